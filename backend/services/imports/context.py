"""What every batch of an import shares: the session, the catalogue's vocabulary, today, the actor, the counts,
the refused rows and the per-record audit events it collects; and, in a dry run, what earlier batches would
have written (`carry`), since nothing of them is in the database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from backend.services.clock import Clock
from backend.services.imports.rows import Problem, Vocab


@dataclass
class Context:
    session: Session
    vocab: Vocab
    clock: Clock
    actor: str
    batch_id: int
    dry_run: bool
    today: dt.date = None
    now: dt.datetime = None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str | None, list[Problem]]] = field(default_factory=list)
    events: list[tuple[str, str, object, dict]] = field(default_factory=list)
    carry: dict = field(default_factory=dict)

    def refuse(self, line: int, key: str | None, problems: list[Problem]) -> None:
        self.refused.append((line, key, problems))

    def event(self, action: str, entity_type: str, entity_id, line: int, changes: dict) -> None:
        self.events.append((action, entity_type, entity_id, {"import_batch": self.batch_id, "line": line,
                                                             "changes": changes}))


def changes_of(fields: tuple[str, ...], old: list | tuple, new: list | tuple) -> dict:
    return {f: {"from": a, "to": b} for f, a, b in zip(fields, old, new) if a != b}


NEW = 0      # the id of a record a batch inserts, until it is written


def sort_row(ctx: Context, known: dict, new: dict, key, values, fields: tuple[str, ...]) -> tuple[list | None, dict]:
    """One row of a batch against what is stored (known: key -> [id, *values]): new (counted, kept in `new`),
    unchanged, or changed (counted, `known` updated). Returns the stored record and what changed when a record
    that exists in the database changed (to update and audit), else (None, {})."""
    cur = known.get(key)
    if cur is None:
        known[key] = new[key] = [NEW, *values]
        ctx.inserted += 1
        return None, {}
    diff = changes_of(fields, cur[1:], values)
    if not diff:
        ctx.unchanged += 1
        return None, {}
    cur[1:] = values
    ctx.updated += 1
    return (cur, diff) if cur[0] != NEW else (None, {})
