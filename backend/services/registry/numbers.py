"""Registration numbers: the next free one of a kind's format (backend/data/kinds.json), by province and year."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Registration
from backend.services.kinds import Catalogue, Kind


def new_registration_number(session: Session, kind: Kind, catalogue: Catalogue, province: str,
                            qual_year: int, reg_year: int, cat: str = "", city: str = "A", trade: str = "99") -> str:
    """The next free number of the kind's format: the highest serial under the same prefix, plus one.

    The prefix is found as a range over the unique index (byte order on SQLite, COLLATE "C" on
    PostgreSQL, migration 0003), and only numbers of the same length count: a 13-character prefix
    also starts 17-character numbers of the newer Beijing format.
    """
    fields = {"abbr": catalogue.provinces[province], "level": kind.level, "prov": province,
              "qual_yy": f"{qual_year % 100:02d}", "reg_yy": f"{reg_year % 100:02d}", "qual_yyyy": str(qual_year),
              "reg_yyyy": str(reg_year), "cat": cat, "city": city, "trade": trade}
    prefix = kind.number_template.split("{serial")[0].format(**fields)
    length = len(kind.number_template.format(serial=0, **fields))
    col = Registration.registration_number
    if session.get_bind().dialect.name == "postgresql":
        col = col.collate("C")
    last = session.scalar(select(func.max(col)).where(col >= prefix, col < prefix + "\U0010ffff",
                                                      func.length(Registration.registration_number) == length))
    serial = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return kind.number_template.format(serial=serial, **fields)
