"""The few statements a batch needs, in bulk: rows fetched by natural key with IN queries (in chunks the
drivers accept), ids taken in one go, inserts as COPY (PostgreSQL) or executemany (SQLite), updates as
executemany. Values go to the driver as it stores them: dates and times as ISO text on SQLite (SQLAlchemy's
own format there), as date and datetime objects on PostgreSQL."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

IN_CHUNK = 2000


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def chunks(values: Iterable, size: int = IN_CHUNK):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


def fetch(session: Session, columns: tuple, key, values: Iterable, *where) -> list:
    """Rows of `columns` whose `key` is one of `values` (typed by the model's columns: dates as dates on
    SQLite too), one IN query per chunk."""
    out = []
    if is_pg(session):
        # one array parameter, `key = ANY(:keys)`: an IN of 2,000 parameters cost the importer more CPU to
        # render (a cast per parameter) and for psycopg to parse than the server took to answer it
        cond = key == func.any(bindparam("keys", type_=ARRAY(key.type)))
        q = select(*columns).where(cond, *where)
        for part in chunks(set(values)):
            out.extend(map(tuple, session.execute(q, {"keys": part})))
        return out
    for part in chunks(set(values)):
        out.extend(map(tuple, session.execute(select(*columns).where(key.in_(part), *where))))
    return out


def new_ids(session: Session, table: str, n: int) -> list[int]:
    """n fresh ids of a table: its sequence's next values on PostgreSQL; on SQLite, after the largest (the
    batch's transaction holds the write lock from its BEGIN IMMEDIATE, so nobody else takes them)."""
    if n <= 0:
        return []
    if is_pg(session):
        return list(session.execute(text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                                          "FROM generate_series(1, :n)"), {"n": n}).scalars())
    top = session.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0
    return list(range(top + 1, top + 1 + n))


def _sqlite_value(v):
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _sqlite_rows(rows: list[tuple], dates: tuple[int, ...] | None) -> list[tuple]:
    """Dates and times as SQLite stores them; only the columns `dates` names are looked at, when given."""
    if dates is None:
        return [tuple(_sqlite_value(v) for v in r) for r in rows]
    out = []
    for r in rows:
        r = list(r)
        for i in dates:
            r[i] = _sqlite_value(r[i])
        out.append(tuple(r))
    return out


def insert(session: Session, table: str, cols: tuple[str, ...], rows: list[tuple], *,
           dates: tuple[int, ...] | None = None) -> None:
    if not rows:
        return
    conn = session.connection()
    if is_pg(session):
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                         _sqlite_rows(rows, dates))


@contextmanager
def large_cache(session: Session, kib: int = 262144):
    """SQLite: a page cache of `kib` KiB for one batch's transaction (the default 2 MB makes every index of a
    large table a disk read per row), the connection's own size restored before it goes back to the pool."""
    if is_pg(session):
        yield
        return
    conn = session.connection()
    saved = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(saved)}")


def update(session: Session, table: str, cols: tuple[str, ...], rows: list[tuple], *, extra: str = "") -> None:
    """UPDATE table SET col = value, ... [, extra] WHERE id = the row's last value."""
    if not rows:
        return
    pg = is_pg(session)
    mark = "%s" if pg else "?"
    sets = ", ".join(f"{c} = {mark}" for c in cols) + (f", {extra}" if extra else "")
    data = rows if pg else [tuple(_sqlite_value(v) for v in r) for r in rows]
    session.connection().exec_driver_sql(f"UPDATE {table} SET {sets} WHERE id = {mark}", data)
