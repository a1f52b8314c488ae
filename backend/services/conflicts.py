"""Conflicts with stored data, whether a service's check finds them or, when two requests race past that
check at once, the database's constraint at INSERT: both give the same 409 with the same code, naming
the field and never the value (an ID number must not come back in an error).

The constraint is read from the driver's error: SQLite's message ("UNIQUE constraint failed:
persons.id_number"), PostgreSQL's diagnostics (table, column, constraint, and the key list of the detail,
whose "(columns)=(values)" form is the same in every server locale; only the columns are kept).
"""
from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy import ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.exc import IntegrityError

from backend.models import Person
from backend.services.errors import Conflict

KNOWN = {   # (table, column) -> (code, 中文, English): the services' own checks answer with these too
    ("persons", "id_number"): ("person_exists", "该身份证号码已登记", "This ID number is already registered"),
    ("enterprises", "uscc"): ("enterprise_exists", "该统一社会信用代码已登记", "This credit code is already registered"),
    ("accounts", "username"): ("username_taken", "该用户名已被使用", "This username is taken"),
}
KINDS = {   # constraint kind -> (中文, English)
    "unique": ("该值已被其他记录使用", "Another record already has this value"),
    "foreign_key": ("所引用的记录不存在,或记录仍被引用", "The record referred to does not exist, or is still referred to"),
    "not_null": ("缺少必填的值", "A required value is missing"),
    "check": ("数据不符合数据库的约束", "A value breaks a rule of the database"),
    "constraint": ("与现有数据冲突", "Conflicts with existing data"),
}
PG_STATES = {"23505": "unique", "23503": "foreign_key", "23502": "not_null", "23514": "check"}
SQLITE_RE = re.compile(r"^(UNIQUE|NOT NULL|FOREIGN KEY|CHECK) constraint failed(?::\s*(.*))?", re.S)
PG_KEY_RE = re.compile(r"\(([^()]*)\)=\(")


def already_exists(table: str, column: str) -> Conflict:
    code, zh, en = KNOWN[(table, column)]
    return Conflict(zh, en, code=code, details={"field": column})


def conflict_from_integrity_error(exc: IntegrityError) -> Conflict:
    kind, table, columns = describe(exc.orig)
    if kind == "unique" and len(columns) == 1 and (table, columns[0]) in KNOWN:
        return already_exists(table, columns[0])
    zh, en = KINDS[kind]
    details = {"field": ", ".join(columns), "constraint": kind} if columns else {"constraint": kind}
    return Conflict(zh, en, code="conflict", details=details)


def describe(orig) -> tuple[str, str | None, list[str]]:
    """(kind, table, columns) of a driver's integrity error; table and columns may be unknown."""
    diag = getattr(orig, "diag", None)
    if diag is not None:                                                    # psycopg (PostgreSQL)
        kind = PG_STATES.get(getattr(orig, "sqlstate", None) or "", "constraint")
        table = diag.table_name
        if diag.column_name:
            return kind, table, [diag.column_name]
        m = PG_KEY_RE.search(diag.message_detail or "")
        if m:
            return kind, table, [c.strip().strip('"') for c in m.group(1).split(",")]
        known = _named_constraints().get(diag.constraint_name or "")
        return (kind, *known) if known else (kind, table, [])
    m = SQLITE_RE.match(str(orig))                                          # sqlite3
    if not m:
        return "constraint", None, []
    kind = {"UNIQUE": "unique", "NOT NULL": "not_null", "FOREIGN KEY": "foreign_key", "CHECK": "check"}[m.group(1)]
    rest = (m.group(2) or "").strip()
    if kind == "check" or not rest:
        return kind, None, []
    if rest.startswith("index "):                                           # an index on an expression
        known = _named_constraints().get(rest[6:].strip("'\""))
        return (kind, *known) if known else (kind, None, [])
    pairs = [p.strip().split(".", 1) for p in rest.split(",")]
    return kind, pairs[0][0] if len(pairs[0]) == 2 else None, [p[-1] for p in pairs]


@lru_cache(maxsize=1)
def _named_constraints() -> dict[str, tuple[str, list[str]]]:
    """Constraint and index names -> (table, columns): those given in the models and PostgreSQL's default
    names for unnamed ones (persons_id_number_key, registrations_person_id_fkey, persons_pkey)."""
    names = {}
    for table in Person.metadata.tables.values():
        for c in [*table.constraints, *table.indexes]:
            cols = [col.name for col in c.columns]
            suffix = {UniqueConstraint: "key", ForeignKeyConstraint: "fkey", PrimaryKeyConstraint: "pkey"}.get(type(c))
            if isinstance(c.name, str):
                names[c.name] = (table.name, cols)
            if suffix:
                default = f"{table.name}_pkey" if suffix == "pkey" else f"{table.name}_{'_'.join(cols)}_{suffix}"
                names.setdefault(default[:63], (table.name, cols))
    return names
