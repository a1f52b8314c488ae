"""The report of an import: one line per refused row (line, key, fields, codes, reasons in Chinese and in
English), as CSV (UTF-8 with BOM, which Excel opens as Chinese) or XLSX (openpyxl write-only), streamed from
import_rejects. Values that came from the file are neutralised against formula injection (a CSV cell starting
with = + - @ gets an apostrophe; an XLSX cell is typed as text), as the bulk check's downloads are."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from backend.models import ImportBatch
from backend.services.imports.batches import rejects

HEADER = ["行号 line", "关键字段 key", "字段 field", "代码 code", "原因 reason", "reason"]


def _lines(session: Session, batch: ImportBatch) -> Iterator[list]:
    for line, key, problems in rejects(session, batch.id):
        yield [line, key or "", ";".join(p["field"] for p in problems), ";".join(p["code"] for p in problems),
               ";".join(p["message"] for p in problems), "; ".join(p["message_en"] for p in problems)]


def _safe(v):
    return "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def report_csv(session: Session, batch: ImportBatch) -> Iterator[bytes]:
    """The CSV in pieces (a generator: a response streams it)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(HEADER)
    first = True
    for n, values in enumerate(_lines(session, batch), start=1):
        w.writerow([_safe(v) for v in values])
        if n % 2000 == 0:
            yield buf.getvalue().encode("utf-8-sig" if first else "utf-8")
            buf.seek(0)
            buf.truncate()
            first = False
    yield buf.getvalue().encode("utf-8-sig" if first else "utf-8")


def report_xlsx(session: Session, batch: ImportBatch) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("拒绝的行 refused")
    ws.append(HEADER)
    for values in _lines(session, batch):
        row = []
        for v in values:
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, str):
                cell.data_type = "s"
            row.append(cell)
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_report(session: Session, batch: ImportBatch, path: Path) -> None:
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(report_xlsx(session, batch))
        return
    with open(path, "wb") as f:
        for piece in report_csv(session, batch):
            f.write(piece)
