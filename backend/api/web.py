"""The web app (pwa/) from the same origin as the API, with a strict Content-Security-Policy; its files
compressed (backend/api/compression.py) and revalidated by ETag: no file name carries a version, so the
browser asks again each time (a 304 when unchanged) and the service worker keeps the app for offline use.

No inline script or style runs, except an HTML page's own inline scripts (index.html has one, the boot
script that asks for a certificate link's verdict before any module has arrived): the CSP of that page
allows each by its SHA-256, computed here from the file, never by 'unsafe-inline'."""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from flask import Blueprint, current_app
from werkzeug.routing import PathConverter

from backend.api.compression import static_file
from backend.services.errors import NotFound

bp = Blueprint("web", __name__)


class AppPathConverter(PathConverter):
    """A path of the web app: never under /api/ or /.well-known/, so those keep their own 404 and 405."""
    regex = r"(?!api/|\.well-known/)[^/].*?"

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; worker-src 'self' blob:; media-src 'self' blob:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


@bp.after_app_request
def security_headers(resp):
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "no-referrer")
    resp.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
    return resp


ICONS_CACHE = "public, max-age=604800"   # icons change seldom, and an old one for a week does no harm
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)   # no attributes: inline, not a src
_page_csp: dict[tuple, str] = {}


def page_csp(path: Path) -> str:
    """CSP, its script-src also allowing each inline script of this HTML file by its SHA-256."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _page_csp:
        sums = [base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
                for s in INLINE_SCRIPT.findall(path.read_text(encoding="utf-8"))]
        allow = "".join(f" 'sha256-{h}'" for h in sums)
        _page_csp[key] = CSP.replace("'wasm-unsafe-eval'", "'wasm-unsafe-eval'" + allow, 1)
    return _page_csp[key]


def _serve(name: str):
    root = Path(current_app.config["PWA_DIR"])
    try:
        resp = static_file(root, name, ICONS_CACHE if name.startswith("icons/") else "no-cache")
    except FileNotFoundError:
        raise NotFound() from None
    if name.endswith(".html"):
        resp.headers["Content-Security-Policy"] = page_csp(root / name)
    return resp


@bp.get("/")
@bp.get("/v")
@bp.get("/V")      # the packed certificate link (upper case, for the QR's alphanumeric mode)
@bp.get("/i")      # an inspection record's link, {base}/i#<token>, printed on its PDF (docs/site-checks.md)
def index():
    return _serve("index.html")


@bp.get("/console")       # the authority's console (issue 13): its own page, online only (sw.js never caches it)
def console():
    return _serve("console.html")


@bp.get("/<apppath:name>")
def asset(name: str):
    return _serve(name)
