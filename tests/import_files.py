"""Import files for the tests: a small register (enterprises, persons, qualifications, registrations) with valid
check characters and dates, written as CSV (UTF-8, GB18030) or XLSX in the templates' Chinese headers."""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

from backend.services.imports.templates import columns
from tests import factories as f

_names = itertools.cycle(["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"])
_serial = itertools.count(1)


def table(kind: str, rows: list[dict], *, header: list[str] | None = None) -> list[list[str]]:
    cols = [c for c in columns(kind) if c.key != "remark"]
    head = header or [c.zh for c in cols]
    return [head] + [[r.get(c.key, "") for c in cols] for r in rows]


def as_csv(lines: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(lines)
    return buf.getvalue().encode(encoding)


def as_xlsx(lines: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for line in lines:
        ws.append(line)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def register(n: int = 3, *, today: dt.date | None = None, province: str = "11") -> dict[str, list[dict]]:
    """n enterprises, n persons with a JZS2 qualification each, n registrations (one per person)."""
    today = today or dt.date.today()
    out = {"enterprises": [], "persons": [], "qualifications": [], "registrations": []}
    for i in range(n):
        uscc = f.uscc(f"{province}0108")
        out["enterprises"].append({"uscc": uscc, "name": f"北京测试建设工程有限公司{uscc[-6:]}", "status": "正常"})
        idn = f.id_number(dt.date(1980 + i % 10, 3, 1 + i % 27), "M" if i % 2 else "F")
        out["persons"].append({"id_number": idn, "name": next(_names), "phone": f"138{i:08d}"})
        out["qualifications"].append({"id_number": idn, "kind": "JZS2", "specialty": "JZ",
                                      "certificate_no": f"Q-{idn[-6:]}", "issued_on": "2015-06-30"})
        vf = today - dt.timedelta(days=100)
        out["registrations"].append({
            "registration_number": f"京2{province}1516{next(_serial):05d}", "id_number": idn, "kind": "JZS2",
            "enterprise_uscc": uscc, "specialties": "建筑工程", "valid_from": vf.isoformat(),
            "valid_until": (vf.replace(year=vf.year + 3) - dt.timedelta(days=1)).isoformat(),
            "first_registered_on": "2016-05-01", "status": "有效"})
    return out
