"""Compressed answers (brotli, else gzip, as the client's Accept-Encoding allows) for the text-like types: the
web app's HTML, JavaScript, CSS, manifest and the decoder's .wasm, and the API's JSON. On a slow phone
connection the bytes are the time: the inspector's link-open page must show a verdict before 1.5 s.

* The web app's files (`static_file`): compressed once per file version (path, mtime, size) and kept in
  memory, at brotli's best quality (a smaller level for the one large file, the decoder's .wasm, so its
  first request stays short); a strong ETag per version and encoding, so a revalidation is a 304.
* Any other answer (`register_compression`, after every view): JSON and text bodies of 512 bytes or more,
  at a fast level. A file sent as a stream, a partial answer or one already encoded is left alone.
Both say `Vary: Accept-Encoding`, so no cache hands a compressed body to a client that did not ask for it.
"""
from __future__ import annotations

import gzip
import threading
from pathlib import Path

import brotli
from flask import Flask, Response, request, send_file
from werkzeug.security import safe_join

MIN_SIZE = 512                       # smaller bodies gain less than the header costs
STATIC_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
                ".webmanifest": "application/manifest+json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
                ".txt": "text/plain"}
DYNAMIC_TYPES = {"application/json", "application/problem+json", "text/html", "text/plain", "text/csv",
                 "text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/xml"}
BIG = 256 * 1024                     # brotli 11 takes ~5 s on the 950 KB .wasm; 9 takes 0.2 s for 11% more bytes
_cache: dict[tuple, bytes] = {}
_lock = threading.Lock()


def negotiate() -> str | None:
    """'br' or 'gzip' as the request's Accept-Encoding allows (brotli when both weigh the same), else None."""
    acc = request.accept_encodings
    br, gz = acc["br"], acc["gzip"]     # the quality of each, 0 when refused or not named
    if br and br >= gz:
        return "br"
    return "gzip" if gz else None


def compress(data: bytes, encoding: str, best: bool) -> bytes:
    if encoding == "br":
        quality = (11 if len(data) < BIG else 9) if best else 4
        return brotli.compress(data, quality=quality)
    return gzip.compress(data, compresslevel=9 if best else 6, mtime=0)


def _compressed(path: Path, stat, encoding: str) -> bytes:
    key = (str(path), stat.st_mtime_ns, stat.st_size, encoding)
    hit = _cache.get(key)
    if hit is None:
        with _lock:                  # one thread compresses a file; the others wait for it, not redo it
            hit = _cache.get(key)
            if hit is None:
                for old in [k for k in _cache if k[0] == key[0] and k[3] == encoding]:
                    del _cache[old]  # a changed file: drop its older version
                hit = _cache[key] = compress(path.read_bytes(), encoding, best=True)
    return hit


def static_file(root: str | Path, name: str, cache_control: str) -> Response:
    """One file of the web app, compressed when its type and the client allow; conditional (304) by ETag.
    Raises FileNotFoundError for a name outside root or no file."""
    joined = safe_join(str(root), name)
    if joined is None or not Path(joined).is_file():
        raise FileNotFoundError(name)
    path = Path(joined)
    stat = path.stat()
    mimetype = STATIC_TYPES.get(path.suffix)
    encoding = negotiate() if mimetype else None
    version = f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
    if encoding is None:
        resp = send_file(path, mimetype=mimetype, etag=version, conditional=True, max_age=None)
    else:
        resp = Response(_compressed(path, stat, encoding), mimetype=mimetype)
        resp.headers["Content-Encoding"] = encoding
        resp.set_etag(f"{version}-{encoding}")
        resp.last_modified = stat.st_mtime
        resp.make_conditional(request)
    if mimetype:
        resp.vary.add("Accept-Encoding")
    resp.headers["Cache-Control"] = cache_control
    return resp


def _compress_answer(resp: Response) -> Response:
    if (resp.direct_passthrough or resp.is_streamed or resp.status_code != 200 or "Content-Encoding" in resp.headers
            or resp.mimetype not in DYNAMIC_TYPES):
        return resp
    resp.vary.add("Accept-Encoding")
    encoding = negotiate()
    data = resp.get_data()
    if encoding is None or len(data) < MIN_SIZE:
        return resp
    resp.set_data(compress(data, encoding, best=False))
    resp.headers["Content-Encoding"] = encoding
    etag, weak = resp.get_etag()
    if etag:                         # another body, another tag
        resp.set_etag(f"{etag}-{encoding}", weak=weak)
    return resp


def register_compression(app: Flask) -> None:
    """Every answer of the app passes through _compress_answer after its view (the web app's files come
    compressed already, by static_file)."""
    app.after_request(_compress_answer)
