"""The declarative base of every model: plain SQLAlchemy 2, so that models, and the services that use them,
load without Flask (Flask-SQLAlchemy is given this metadata in backend/extensions.py)."""
import datetime as dt

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    """Naive UTC: SQLite keeps no zone, so every DateTime column holds UTC without tzinfo."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
