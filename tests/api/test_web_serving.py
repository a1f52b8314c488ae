"""The web app's files and the API's JSON come compressed as the client allows (brotli, else gzip), are
revalidated by ETag (304), and carry their cache policy (backend/api/compression.py, backend/api/web.py)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import brotli
import pytest

PWA = Path(__file__).resolve().parents[2] / "pwa"
CHROME = "gzip, deflate, br, zstd"          # what Chromium sends
FILES = [("/v", "index.html", "text/html"), ("/V", "index.html", "text/html"),
         ("/app.js", "app.js", "text/javascript"), ("/styles.css", "styles.css", "text/css"),
         ("/manifest.webmanifest", "manifest.webmanifest", "application/manifest+json"),
         ("/vendor/zxing-wasm/reader/zxing_reader.wasm", "vendor/zxing-wasm/reader/zxing_reader.wasm",
          "application/wasm")]
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.mark.parametrize("url, name, mimetype", FILES)
@pytest.mark.parametrize("accept, encoding", [(CHROME, "br"), ("gzip", "gzip"), ("br;q=0.5, gzip", "gzip")])
def test_app_files_come_compressed(client, url, name, mimetype, accept, encoding):
    r = client.get(url, headers={"Accept-Encoding": accept})
    assert r.status_code == 200 and r.mimetype == mimetype
    assert r.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in r.headers["Vary"]
    assert r.headers["Cache-Control"] == "no-cache"
    original = (PWA / name).read_bytes()
    assert DECODE[encoding](r.get_data()) == original
    assert int(r.headers["Content-Length"]) == len(r.get_data()) < len(original) * 0.6


def test_a_client_that_asks_for_no_encoding_gets_the_file_as_it_is(client):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "br;q=0, gzip;q=0"}):
        r = client.get("/app.js", headers=headers)
        assert r.status_code == 200 and "Content-Encoding" not in r.headers
        assert r.get_data() == (PWA / "app.js").read_bytes()
        assert "Accept-Encoding" in r.headers["Vary"]


def test_revalidation_is_a_304_per_encoding(client):
    br = client.get("/app.js", headers={"Accept-Encoding": "br"})
    gz = client.get("/app.js", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/app.js")
    tags = {br.headers["ETag"], gz.headers["ETag"], plain.headers["ETag"]}
    assert len(tags) == 3                       # three bodies, three tags
    again = client.get("/app.js", headers={"Accept-Encoding": "br", "If-None-Match": br.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/app.js", headers={"Accept-Encoding": "br", "If-None-Match": gz.headers["ETag"]})
    assert other.status_code == 200 and brotli.decompress(other.get_data()) == (PWA / "app.js").read_bytes()
    assert client.get("/app.js", headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_icons_are_cached_and_not_recompressed(client):
    r = client.get("/icons/icon-192.png", headers={"Accept-Encoding": CHROME})
    assert r.status_code == 200 and "Content-Encoding" not in r.headers
    assert r.headers["Cache-Control"] == "public, max-age=604800"


def test_the_api_answers_json_compressed(client):
    r = client.get("/api/v1/catalogue", headers={"Accept-Encoding": CHROME})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in r.headers["Vary"]
    body = json.loads(brotli.decompress(r.get_data()))
    assert body["kinds"] == client.get("/api/v1/catalogue").json["kinds"]
    r = client.get("/api/v1/status-list", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(r.get_data()))["token"]


def test_small_and_error_answers_stay_plain(client):
    assert "Content-Encoding" not in client.get("/healthz", headers={"Accept-Encoding": CHROME}).headers
    r = client.get("/api/v1/status-list/x", headers={"Accept-Encoding": CHROME})
    assert r.status_code == 404 and "Content-Encoding" not in r.headers and r.json["error"] == "not_found"


@pytest.mark.parametrize("url", ["/../backend/app.py", "/%2e%2e/backend/app.py", "/js/../../README.md",
                                 "/nothing.js"])
def test_nothing_outside_the_app_is_served(client, url):
    r = client.get(url, headers={"Accept-Encoding": CHROME})
    assert r.status_code == 404 and r.json["error"] == "not_found"


def test_the_page_allows_its_own_inline_scripts_by_hash_only(client):
    import base64
    import hashlib
    import re
    html = (PWA / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(inline) == 1 and "__jzEarly" in inline[0]          # the boot script, and nothing else inline
    want = "'sha256-" + base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode() + "'"
    for url in ("/", "/v", "/V", "/index.html"):
        csp = client.get(url).headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1).split()
        assert sorted(script_src) == sorted(["'self'", "'wasm-unsafe-eval'", want]) and "unsafe-inline" not in csp
    assert "sha256" not in client.get("/app.js").headers["Content-Security-Policy"]


def test_the_console_is_its_own_page_with_no_inline_code(client):
    """/console serves console.html (issue 13) under the strict CSP: it has no inline script or style at all."""
    import re
    html = (PWA / "console.html").read_text(encoding="utf-8")
    assert not re.search(r"<script>|<style|\sstyle=|\son[a-z]+=", html)
    r = client.get("/console")
    assert r.status_code == 200 and r.mimetype == "text/html" and r.get_data() == html.encode()
    script_src = re.search(r"script-src ([^;]*)", r.headers["Content-Security-Policy"]).group(1).split()
    assert sorted(script_src) == ["'self'", "'wasm-unsafe-eval'"]
    assert client.get("/console/").status_code == 404
