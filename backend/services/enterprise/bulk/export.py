"""A stored bulk-check answer as a CSV (UTF-8 with BOM, so that Excel reads the Chinese) or an XLSX
(openpyxl write-only). Values that came from the upload are neutralised against formula injection:
a CSV cell starting with = + - @ gets a leading apostrophe (OWASP), an XLSX cell is typed as text."""
from __future__ import annotations

import csv
import io

from backend.models import RegStatus
from backend.services.kinds import Catalogue

RESULT_ZH = {"found": "已找到", "not_found": "未找到", "mismatch": "不符", "invalid_row": "无效行"}
EMPLOYER_ZH = {"this": "本单位", "other": "其他单位"}
COLUMNS = [("line", "行号"), ("result", "结果"), ("name", "姓名"), ("id_number", "身份证号"),
           ("registration_number", "注册编号"), ("kind", "类别"), ("status", "状态"), ("employer", "聘用单位"),
           ("earliest_expiry", "最早到期日"), ("signals", "挂证风险"), ("message", "说明"), ("message_en", "message")]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header() -> list[str]:
    return [zh if zh == en else f"{zh} {en}" for en, zh in COLUMNS]


def _values(row: dict, catalogue: Catalogue) -> list:
    kind = catalogue.kind(row["kind"]) if row.get("kind") else None
    return [row["line"], f"{RESULT_ZH[row['result']]} {row['result']}", row.get("name"), row.get("id_number"),
            row.get("registration_number"), kind.name if kind else None,
            RegStatus.ZH.get(row["status"]) if row.get("status") else None,
            EMPLOYER_ZH.get(row.get("employer")), row.get("earliest_expiry"),
            ";".join(s["message"] for s in row.get("signals") or []) or None, row.get("message"), row.get("message_en")]


def _csv_safe(v):
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def to_csv(answer: dict, catalogue: Catalogue) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(_header())
    for row in answer["rows"]:
        w.writerow([_csv_safe(v) for v in _values(row, catalogue)])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(answer: dict, catalogue: Catalogue) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("核查结果")
    ws.append(_header())
    for row in answer["rows"]:
        values = _values(row, catalogue)
        for i, v in enumerate(values):
            if isinstance(v, str) and v.startswith("="):      # openpyxl would store it as a formula
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"
                values[i] = cell
        ws.append(values)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
