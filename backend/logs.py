"""Logging, configured once by the app: one access line per request, a request id in every line of that
request (and in the response's X-Request-ID), and no personal data in what is written. LOG_FORMAT: "json",
one object per line (production's default), or "text" (the SQLite demo's).

Where personal data could reach a log, and what stops it:
* SQL parameters: the engine runs with `hide_parameters=True` (create_app); result rows, which SQLAlchemy
  logs at DEBUG, are dropped here (RowLogFilter).
* Paths and query strings (`/lookup?q=王伟`, `/api/v1/registrations/<number>`): the access line names the
  route (the URL rule, its variables unfilled), never the path as sent; gunicorn writes no access log of its
  own (backend/gunicorn_conf.py); the servers' own request lines lose their query strings (ServerLineFilter).
* Anything else, exception text included (PostgreSQL's unique-violation DETAIL carries the value): the
  app's handler masks whatever is shaped like a PRC ID number or a mainland mobile number in the whole
  formatted line (RedactingFormatter: the traceback exists only once the record is formatted).

A host that installed root handlers before create_app (pytest; a gunicorn --log-config) keeps them as
they are; the app adds its own handler only when the root logger has none (gunicorn's default, flask run,
the CLI). Alembic's env.py does not configure logging inside the app (it used to disable every logger).
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request

ACCESS = logging.getLogger("backend.access")
FORMAT = "%(asctime)s [%(process)d] [%(levelname)s] %(name)s rid=%(request_id)s %(message)s"
HEADER = "X-Request-ID"
UNMATCHED = "<unmatched>"            # the route of a request no URL rule matched (404, 405): never its path

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("jz_request_id", default="-")
_INCOMING_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._:-]{7,63}$")
# 17 digits + a digit or X (GB 11643); 1[3-9] + 9 digits, optionally after +86. The bounds keep a
# generated request id (a UUID: digit runs of at most 12, between letters or dashes) from ever matching.
ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9A-Za-z])")


_LONG_DIGITS = re.compile(r"[0-9]{11}")            # what both patterns need: most lines have none


def redact(text: str) -> str:
    if _LONG_DIGITS.search(text) is None:
        return text
    return MOBILE.sub("[PHONE-REDACTED]", ID_NUMBER.sub("[ID-REDACTED]", text))


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record a handler sees ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class RedactingFormatter(logging.Formatter):
    """The app's format, masked (see redact). The time is formatted once per second, not once per line: at a
    thousand requests a second the access line is on the hot path."""
    _second: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:   # noqa: N802 - logging's name
        second = int(record.created)
        if self._second[0] != second:
            self._second = (second, time.strftime(self.default_time_format, self.converter(record.created)))
        return f"{self._second[1]},{int(record.msecs):03d}"

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(RedactingFormatter):
    """LOG_FORMAT=json: one JSON object per line, for a log collector. Every line has `time` (UTC, ISO 8601, ms),
    `level`, `logger`, `pid`, `request_id` and `message`; the access line adds `method`, `route` (the URL rule,
    `/api/v1/certificates/<public_id>`, never the path as sent, nor its query string), `status`, `latency_ms`
    and `role`; an error adds `exc`, its traceback. Masked like the text lines (redact, over the whole line)."""
    _iso: tuple[int, str] = (-1, "")

    def format(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        if self._iso[0] != second:
            self._iso = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        out = {"time": f"{self._iso[1]}.{int(record.msecs):03d}Z", "level": record.levelname, "logger": record.name,
               "pid": record.process, "request_id": getattr(record, "request_id", "-"),
               "message": record.getMessage()}
        fields = getattr(record, "jz", None)
        if fields:
            out.update(fields)
        if record.exc_info:
            record.exc_text = record.exc_text or self.formatException(record.exc_info)
        if record.exc_text:
            out["exc"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return redact(json.dumps(out, ensure_ascii=False, default=str))


class _Stderr(logging.StreamHandler):
    """sys.stderr as it is when a record is written (pytest and gunicorn swap it), like logging.lastResort."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def formatter(fmt: str = "text") -> logging.Formatter:
    """LOG_FORMAT's formatter: "json" (JsonFormatter) or "text" (FORMAT), both masked."""
    return JsonFormatter() if fmt == "json" else RedactingFormatter(FORMAT)


def app_handler(stream=None, fmt: str = "text") -> logging.Handler:
    """The app's handler: the format (LOG_FORMAT), the request id, masking. On stderr unless a stream is given."""
    h = logging.StreamHandler(stream) if stream is not None else _Stderr()
    h.addFilter(RequestIdFilter())
    h.setFormatter(formatter(fmt))
    return h


class RowLogFilter(logging.Filter):
    """Result rows (SQLAlchemy's DEBUG "Row %r") are people's data: never logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


class ServerLineFilter(logging.Filter):
    """The servers' own lines, which the app's handler may not format: werkzeug's request line (flask run)
    and gunicorn's "Invalid request … 'GET /lookup?q=…'" warning. No query string, and masked."""
    QUERY = re.compile(r"\?[^\s'\"]*")

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        clean = redact(self.QUERY.sub("", msg))
        if clean != msg:
            record.msg, record.args = clean, None
        return True


def _add_once(logger: logging.Logger, flt: type[logging.Filter]) -> None:
    if not any(isinstance(f, flt) for f in logger.filters):
        logger.addFilter(flt())


def register_logging(app: Flask) -> None:
    """Before the extensions, so that the request id is set before Flask-Limiter's check can answer 429."""
    level = app.config.get("LOG_LEVEL", "INFO")
    root = logging.getLogger()
    if not root.handlers:                         # nobody configured logging: the app does, once per process
        root.addHandler(app_handler(fmt=app.config.get("LOG_FORMAT") or "text"))
        root.setLevel(level)
    logging.getLogger("backend").setLevel(level)  # the app's own loggers, whoever owns the handlers
    _add_once(logging.getLogger("sqlalchemy.engine.Engine"), RowLogFilter)
    for server in ("werkzeug", "gunicorn.error"):
        _add_once(logging.getLogger(server), ServerLineFilter)
    app.before_request(_begin_request)
    app.after_request(_end_request)
    app.teardown_request(_forget_request)


def _begin_request() -> None:
    incoming = request.headers.get(HEADER, "")
    rid = incoming if _INCOMING_ID.match(incoming) and redact(incoming) == incoming else str(uuid.uuid4())
    g.jz_request_token = _request_id.set(rid)
    g.jz_request_id, g.jz_request_started = rid, time.perf_counter()


def _end_request(response):
    rid = g.get("jz_request_id")
    if rid:
        response.headers[HEADER] = rid
    started = g.get("jz_request_started")
    ms = (time.perf_counter() - started) * 1000 if started is not None else -1.0
    principal = g.get("jz_principal")              # only if a view resolved it: no extra work here
    role = principal.role if principal is not None else None
    rule = request.url_rule
    route = rule.rule if rule is not None else UNMATCHED
    ACCESS.info("%s %s %s %.1fms role=%s", request.method, route, response.status_code, ms, role or "-",
                extra={"jz": {"method": request.method, "route": route, "status": response.status_code,
                              "latency_ms": round(ms, 1), "role": role}})
    return response


def _forget_request(_exc=None) -> None:
    token = g.pop("jz_request_token", None)
    if token is not None:
        try:
            _request_id.reset(token)
        except ValueError:                         # set in another context (should not happen): just clear
            _request_id.set("-")
