"""A stored bulk-check answer as a CSV (UTF-8 with BOM, so that Excel reads the Chinese) or an XLSX
(openpyxl write-only), in one language: the headers, the category, status, employer, the reason and what
to do all in Chinese (`lang="zh"`, the default) or all in English. A file with both in every header
("message message_en") was read by nobody.

The XLSX is made to be worked from: the header row frozen, columns as wide as what they hold (within
bounds), an autofilter on the header. Values that came from the upload are neutralised against formula
injection: a CSV cell starting with = + - @ gets a leading apostrophe (OWASP), an XLSX cell is typed as text.
"""
from __future__ import annotations

import csv
import io
import unicodedata

from backend.models import RegStatus
from backend.services.enterprise.bulk import categories
from backend.services.kinds import Catalogue

LANGS = ("zh", "en")
COLUMNS = [("line", "行号", "Line"), ("category", "核查结论", "Outcome"), ("name", "姓名", "Name"),
           ("id_number", "身份证号", "ID number"), ("registration_number", "注册编号", "Registration number"),
           ("kind", "类别", "Kind"), ("status", "注册状态", "Status"), ("employer", "聘用单位", "Employer"),
           ("earliest_expiry", "最早到期日", "Earliest expiry"), ("signals", "挂证风险", "Certificate-renting signals"),
           ("reason", "说明", "Reason"), ("advice", "建议处理", "What to do")]
EMPLOYER = {"this": ("本单位", "this enterprise"), "other": ("其他单位", "another enterprise")}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_WIDTH, MAX_WIDTH = 8, 60          # in Excel's character widths; longer text is cut off in view, not lost
WIDTH_SAMPLE = 2000                   # rows measured for the widths: enough to see every kind of value


def header(lang: str) -> list[str]:
    return [en if lang == "en" else zh for _, zh, en in COLUMNS]


def _values(row: dict, catalogue: Catalogue, lang: str) -> list:
    en = lang == "en"
    kind = catalogue.kind(row["kind"]) if row.get("kind") else None
    status = row.get("status")
    category = row.get("category") or categories.category_of(row)
    employer = EMPLOYER.get(row.get("employer"))
    signals = [s["message_en" if en else "message"] for s in row.get("signals") or []]
    return [row["line"], categories.label(category, lang), row.get("name"), row.get("id_number"),
            row.get("registration_number"), (kind.name_en if en else kind.name) if kind else None,
            (RegStatus.EN if en else RegStatus.ZH).get(status) if status else None,
            employer[en] if employer else None, row.get("earliest_expiry"),
            ("; " if en else ";").join(signals) or None, row.get("message_en" if en else "message"),
            categories.advice(category, lang)]


def _csv_safe(v):
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def csv_bytes(head: list[str], rows) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(head)
    for values in rows:
        w.writerow([_csv_safe(v) for v in values])
    return buf.getvalue().encode("utf-8-sig")


def display_width(v) -> int:
    """Excel's column width for a value: a CJK (wide) character takes two."""
    if v is None:
        return 0
    s = str(v)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def add_sheet(wb, title: str, head: list[str], rows: list[list], *, text_columns=(), text_cells: bool = False) -> None:
    """One worksheet of a write-only workbook: widths from the widest value of each column (so they are set
    before any row is written, as write-only mode needs), the header frozen and filterable. Columns in
    `text_columns` (0-based) are formatted as text, so that an ID number typed in later keeps its digits;
    with `text_cells` their written cells too (a styled cell costs: only for a few rows)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    ws = wb.create_sheet(title)
    for i in range(len(head)):
        widest = max([display_width(head[i]), *(display_width(r[i]) for r in rows[:WIDTH_SAMPLE] if i < len(r))])
        dim = ws.column_dimensions[get_column_letter(i + 1)]
        dim.width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))
        if i in text_columns:
            dim.number_format = "@"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(rows) + 1}"
    bold = Font(bold=True)
    cells = []
    for h in head:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        cells.append(c)
    ws.append(cells)
    for values in rows:
        values = list(values)
        for i, v in enumerate(values):
            if isinstance(v, str) and (v.startswith("=") or (text_cells and i in text_columns)):
                cell = WriteOnlyCell(ws, value=v)     # openpyxl would store "=..." as a formula
                cell.data_type = "s"
                if text_cells and i in text_columns:
                    cell.number_format = "@"
                values[i] = cell
        ws.append(values)


def xlsx_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_csv(answer: dict, catalogue: Catalogue, lang: str = "zh") -> bytes:
    return csv_bytes(header(lang), (_values(r, catalogue, lang) for r in answer["rows"]))


def to_xlsx(answer: dict, catalogue: Catalogue, lang: str = "zh") -> bytes:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    add_sheet(wb, "Results" if lang == "en" else "核查结果", header(lang),
              [_values(r, catalogue, lang) for r in answer["rows"]], text_columns=(3, 4))
    return xlsx_bytes(wb)
