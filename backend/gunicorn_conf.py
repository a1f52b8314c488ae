"""gunicorn settings (`gunicorn -c python:backend.gunicorn_conf ...`, as scripts/run.sh and the Dockerfile run
it): gunicorn answers some bad requests itself, before the app sees them (a request line over 4 KB: 414;
too many or too large headers: 431; a malformed request line: 400), and by default as an HTML page. Here
those answers take the app's one error shape, in Chinese and English, so that a client never has to parse
two kinds of error. gunicorn's own message (it may quote the request line, query string included) is
not sent back.

Without PUBLIC_BASE_URL, the links in QR codes follow the address gunicorn was bound to (`when_ready`)."""
from __future__ import annotations

import json
import os

from gunicorn import util

from backend.api.errors import HTTP_TEXT
from backend.config import default_base_url


def write_error(sock, status_int, reason, mesg):      # noqa: ARG001 - mesg is deliberately not echoed
    code, zh, en = HTTP_TEXT.get(status_int, ("bad_request", "请求格式错误", reason or "Bad request"))
    body = json.dumps({"error": code, "message": zh, "message_en": en, "details": {}}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


util.write_error = write_error


def when_ready(server):
    """After binding, before the workers start (they inherit the environment): without PUBLIC_BASE_URL, the
    links in QR codes and PDFs lead to the address gunicorn listens on, whatever --bind or PORT said."""
    if os.environ.get("PUBLIC_BASE_URL"):
        return
    addr = next((s.sock.getsockname() for s in server.LISTENERS if isinstance(s.sock.getsockname(), tuple)), None)
    if addr:
        os.environ["PUBLIC_BASE_URL"] = default_base_url(addr[0], addr[1])
        server.log.info("PUBLIC_BASE_URL %s", os.environ["PUBLIC_BASE_URL"])
