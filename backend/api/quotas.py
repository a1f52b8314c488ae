"""Daily quotas per account, counted where the rate limits are (Redis when REDIS_URL is set, so every
worker and instance shares them; memory otherwise). Unlike the rate limits they are never switched off:
they bound what one account may learn, not how fast it asks."""
from __future__ import annotations

import threading

from flask import current_app
from limits import parse, storage, strategies

from backend.api.edge_errors import CounterStoreSilent, IdCheckLimitReached

_lock = threading.Lock()


def _window() -> strategies.FixedWindowRateLimiter:
    ext = current_app.extensions
    if "jz.quotas" not in ext:
        with _lock:
            if "jz.quotas" not in ext:
                uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
                ext["jz.quotas"] = strategies.FixedWindowRateLimiter(storage.storage_from_string(uri))
    return ext["jz.quotas"]


def charge_id_checks(account: str, n: int) -> None:
    """Count n ID-number look-ups against the account's day (BULK_ID_CHECKS_PER_DAY); past it, 429 and
    nothing counted, so a refused file does not use up the day."""
    limit = current_app.config["BULK_ID_CHECKS_PER_DAY"]
    if n <= 0:
        return
    item, window = parse(f"{limit}/day"), _window()
    try:
        granted = n <= limit and window.hit(item, "bulk-id-checks", account, cost=n)
        if not granted and n <= limit:
            window.storage.incr(item.key_for("bulk-id-checks", account), item.get_expiry(), amount=-n)
        stats = window.get_window_stats(item, "bulk-id-checks", account)
    except Exception:   # noqa: BLE001 - the counter store is down: fail closed, no uncounted look-ups
        raise CounterStoreSilent() from None
    if not granted:
        raise IdCheckLimitReached(limit, n, max(0, stats.remaining), int(stats.reset_time))
