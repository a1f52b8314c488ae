"""Calling a synchronous API that runs its own event loop (pyHanko's sign_pdf and validate_pdf_signature call
asyncio.run) from a thread where an event loop may already be running: an async server's worker, or a test
process that drives a browser through playwright's sync API. asyncio.run refuses to start there, so the call
moves to a short-lived thread of its own; anywhere else it runs in place, at no cost.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(fn: Callable[..., T], *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="jz-sync") as pool:
        return pool.submit(fn, *args, **kwargs).result()
