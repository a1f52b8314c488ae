"""One row read for a decision, locked against a second decision at once: PostgreSQL locks the row (FOR UPDATE);
SQLite has no row locks, so bumping the row's `lock_seq` takes the database's write lock for the transaction
(BEGIN IMMEDIATE, backend/sqlite_transactions.py) before the row is read. Either way the second request reads
the row as the first one left it, and sees it decided. The model needs `public_id` and `lock_seq` columns."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session


def lock_by_public_id(session: Session, model, public_id):
    """The row of `model` whose public id is `public_id`, locked; None when there is none (or the id is no str)."""
    where = model.public_id == (public_id if isinstance(public_id, str) else "")
    q = select(model).where(where).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(model).where(where).values(lock_seq=model.lock_seq + 1)
                        .execution_options(synchronize_session=False))
    else:
        q = q.with_for_update(of=model)
    return session.scalar(q)
