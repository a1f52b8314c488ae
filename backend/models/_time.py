import datetime as dt


def utcnow() -> dt.datetime:
    """Naive UTC: SQLite keeps no zone, so every DateTime column holds UTC without tzinfo."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
