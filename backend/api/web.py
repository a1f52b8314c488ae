"""The web app (pwa/) from the same origin as the API, with a strict Content-Security-Policy."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory
from werkzeug.routing import PathConverter

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
    resp.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
    return resp


def _serve(name: str):
    root = Path(current_app.config["PWA_DIR"])
    if not (root / name).is_file():
        raise NotFound()
    resp = send_from_directory(root, name)
    if name in ("index.html", "sw.js"):
        resp.headers["Cache-Control"] = "no-cache"   # the service worker decides what is cached
    return resp


@bp.get("/")
@bp.get("/v")
def index():
    return _serve("index.html")


@bp.get("/<apppath:name>")
def asset(name: str):
    return _serve(name)
