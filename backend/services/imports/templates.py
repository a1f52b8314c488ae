"""The four templates: each column's Chinese header, its stable English key (either names the column in a
file), whether it is required, what it means and an example. docs/import.md describes the same; the
template files served by the API are made here (a header row and one example row), as CSV (UTF-8 with BOM,
which Excel opens as Chinese) or XLSX (every cell text, so that an ID number never becomes a number)."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from backend.services.imports.errors import ImportHeaderError, UnknownImportKind

KINDS = ("enterprises", "persons", "qualifications", "registrations")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    required: bool
    meaning: str
    example: str


C = Column
TEMPLATES: dict[str, tuple[Column, ...]] = {
    "enterprises": (
        C("uscc", "统一社会信用代码", True, "18 位,GB 32100 校验位 / 18 characters with the GB 32100 check character",
          "91110108551385082Q"),
        C("name", "单位名称", True, "全称,至多 200 字 / Full name, at most 200 characters", "北京华建建设工程有限公司"),
        C("short_name", "简称", False, "至多 32 字;空则取名称前 8 字 / At most 32; empty: the name's first 8", "华建建设"),
        C("province_code", "省份代码", False, "GB/T 2260 两位代码;空则取信用代码第 3-4 位 / Two digits; empty: the "
          "credit code's own", "11"),
        C("status", "状态", False, "正常、吊销(资质或执照)、破产;空为正常 / active, revoked, bankrupt; empty: active",
          "正常"),
        C("remark", "备注", False, "不导入 / Not imported", ""),
    ),
    "persons": (
        C("id_number", "身份证号", True, "18 位,GB 11643 校验位;请设为文本列 / 18 characters; a text column",
          "110105198503120020"),
        C("name", "姓名", True, "汉字、间隔号或拉丁字母,至多 40 字 / Chinese, middle dot or Latin, at most 40", "王建国"),
        C("sex", "性别", False, "男/女(M/F),须与身份证号一致 / Must agree with the ID number", "女"),
        C("birth_date", "出生日期", False, "YYYY-MM-DD,须与身份证号一致 / Must agree with the ID number", "1985-03-12"),
        C("phone", "手机号", False, "11 位手机号 / A mainland mobile number", "13800138000"),
        C("remark", "备注", False, "不导入 / Not imported", ""),
    ),
    "qualifications": (
        C("id_number", "身份证号", True, "已导入人员的身份证号 / An imported person's ID number", "110105198503120020"),
        C("kind", "证书类别", True, "类别代码或名称,如 JZS2 或 二级注册建造师 / Kind code or name", "JZS2"),
        C("specialty", "专业", False, "该类别的专业代码或名称;空为不分专业 / A specialty of the kind; empty: any",
          "建筑工程"),
        C("certificate_no", "资格证书编号", True, "至多 64 字 / At most 64 characters", "JZS2-2015-000123"),
        C("issued_on", "签发日期", True, "YYYY-MM-DD,不晚于今天 / Not after today", "2015-06-30"),
        C("remark", "备注", False, "不导入 / Not imported", ""),
    ),
    "registrations": (
        C("registration_number", "注册编号", True, "该类别的编号格式,首字为省份简称 / The kind's format, first the "
          "province's abbreviation", "京211150800001"),
        C("id_number", "身份证号", True, "已导入人员的身份证号 / An imported person's ID number", "110105198503120020"),
        C("kind", "证书类别", True, "类别代码或名称 / Kind code or name", "JZS2"),
        C("enterprise_uscc", "聘用单位统一社会信用代码", True, "已导入单位的信用代码 / An imported enterprise's code",
          "91110108551385082Q"),
        C("specialties", "注册专业", True, "一个或多个专业(代码或名称),以;或、分隔 / One or more, separated by ; or 、",
          "建筑工程"),
        C("valid_from", "有效期起", True, "YYYY-MM-DD,本行各专业的本期起始日 / Start of the current period", "2024-01-15"),
        C("valid_until", "有效期至", True, "YYYY-MM-DD,含当日;不超过类别有效期和年龄上限 / Last day, within the "
          "kind's period and the age cap", "2027-01-14"),
        C("first_registered_on", "初始注册日期", True, "YYYY-MM-DD,不晚于有效期起 / Not after valid_from",
          "2018-03-01"),
        C("status", "注册状态", False, "有效、暂扣、撤销、注销、失效、吊销;空为有效 / Empty: active", "有效"),
        C("status_reason", "状态原因", False, "至多 500 字 / At most 500 characters", ""),
        C("seal_counter", "印章序号", False, "执业印章号括号中的两位数,空为 01 / The seal number's counter", "01"),
        C("remark", "备注", False, "不导入 / Not imported", ""),
    ),
}
NOISE = re.compile(r"[(（\[【].*?[)）\]】]|[\s_\-*:：/]")


def columns(kind: str) -> tuple[Column, ...]:
    cols = TEMPLATES.get(kind)
    if cols is None:
        raise UnknownImportKind()
    return cols


def _norm(cell) -> str:
    return NOISE.sub("", unicodedata.normalize("NFKC", str(cell))).lower() if cell is not None else ""


def match_header(kind: str, cells: list) -> dict[str, int]:
    """{key: column index} of a header row: each cell names a column by its Chinese header or its English key
    (a note in brackets ignored, so '身份证号(id_number)' is read too). Missing required, unknown or repeated
    columns: ImportHeaderError naming them."""
    cols = columns(kind)
    names = {}
    for c in cols:
        names[_norm(c.zh)] = c.key
        names[_norm(c.key)] = c.key
    found, unknown, repeated = {}, [], []
    for i, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        key = names.get(_norm(text)) or names.get(_norm(text.split("/")[0])) or names.get(_norm(text.split(" ")[0]))
        if key is None:
            unknown.append(text)
        elif key in found:
            repeated.append(text)
        else:
            found[key] = i
    missing = [f"{c.zh}({c.key})" for c in cols if c.required and c.key not in found]
    if missing or unknown or repeated:
        raise ImportHeaderError(missing, unknown, repeated, [f"{c.zh}({c.key})" for c in cols])
    return found


def template_csv(kind: str) -> bytes:
    cols = columns(kind)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow([c.zh for c in cols])
    w.writerow([c.example for c in cols])
    return buf.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    cols = columns(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = kind
    for i, c in enumerate(cols, start=1):
        head = ws.cell(row=1, column=i, value=c.zh)
        head.comment = Comment(f"{c.key}{' (必填 / required)' if c.required else ''}\n{c.meaning}", "jianzheng")
        cell = ws.cell(row=2, column=i, value=c.example or None)
        cell.data_type = "s"
        ws.column_dimensions[head.column_letter].width = max(12, len(c.zh) * 2 + 4)
        ws.column_dimensions[head.column_letter].number_format = "@"    # text: ID numbers keep their digits
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
