"""The staff-list template for a bulk check, as CSV or XLSX, in Chinese or English: the three headers the
reader knows (tables.HEADERS) and one example row, so that an HR officer starts from a file that is read
as meant. The XLSX formats the ID-number and registration-number columns as text (Excel otherwise turns
an 18-digit ID number into 1.10105E+17 and loses its last digits) and explains on a second sheet how to
fill it in; the reader takes the first sheet only, so the explanation never becomes rows.
"""
from __future__ import annotations

from backend.services.enterprise.bulk.export import add_sheet, csv_bytes, xlsx_bytes

HEADER = {"zh": ["姓名", "身份证号", "注册编号"], "en": ["Name", "ID number", "Registration number"]}
EXAMPLE = ["张三", "11010519491231002X", "苏232192000001"]     # a well-formed ID number and 二级建造师 number


def _how_to(lang: str, max_rows: int, max_mb: int) -> list[str]:
    if lang == "en":
        return ["One person a row: the name, and the ID number or the registration number (at least one).",
                "Your own staff may be checked by ID number alone; anyone else's staff by registration number "
                "(their ID numbers are not compared).",
                "Keep the ID-number column as text (this template does), or Excel loses the last digits.",
                "Replace the example row with your staff, then upload the first sheet (or save it as CSV, UTF-8).",
                f"At most {max_rows:,} rows and {max_mb} MB."]
    return ["每行一人:填写姓名,以及身份证号或注册编号(至少一项)。",
            "本单位人员可只填身份证号;其他单位人员请填写注册编号(不核对身份证号)。",
            "身份证号一列须为文本格式(本模板已设置),否则 Excel 会丢失末尾数字。",
            "用本单位人员替换示例行后上传第一个工作表(也可另存为 CSV,UTF-8 编码)。",
            f"最多 {max_rows:,} 行、{max_mb} MB。"]


def template_csv(lang: str = "zh") -> bytes:
    return csv_bytes(HEADER[lang], [EXAMPLE])


def template_xlsx(lang: str = "zh", *, max_rows: int = 10_000, max_mb: int = 5) -> bytes:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    en = lang == "en"
    add_sheet(wb, "Staff" if en else "人员名单", HEADER[lang], [EXAMPLE], text_columns=(1, 2), text_cells=True)
    add_sheet(wb, "How to fill in" if en else "填写说明", ["How to fill in" if en else "填写说明"],
              [[line] for line in _how_to(lang, max_rows, max_mb)])
    return xlsx_bytes(wb)
