"""The service worker's precache list and version, checked from the files (no browser).

The shell is served cache-first, so a changed file reaches phones only under a new cache VERSION.
VERSION is a digest of the shell's files: change a file and this test names the VERSION to set."""
from __future__ import annotations

import hashlib
import re

import pytest
from e2e_support import REPO

pytestmark = pytest.mark.e2e

PWA = REPO / "pwa"
NOT_SHELL = {"sw.js", "README.md", "icons/make_icons.py", "vendor/zxing-wasm/LICENSE", "vendor/zxing-wasm/VENDORED.md"}


def is_console(path: str) -> bool:
    """The authority's console (console.html, console*.css, js/console/, the charts' vendor/echarts/): online
    only, never precached."""
    return path.startswith(("js/console/", "vendor/echarts/")) or bool(re.fullmatch(r"console[^/]*\.(html|css)", path))


def shell_list() -> list[str]:
    src = (PWA / "sw.js").read_text()
    block = re.search(r"const SHELL = \[(.*?)\];", src, re.S).group(1)
    return re.findall(r"'([^']+)'", block)


def shell_digest(paths: list[str]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.encode() + b"\0" + (PWA / p).read_bytes() + b"\0")
    return h.hexdigest()[:12]


def test_every_app_file_is_precached():
    files = {str(p.relative_to(PWA)) for p in PWA.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert sorted(f for f in files - NOT_SHELL if not is_console(f)) == sorted(shell_list())
    assert not [p for p in shell_list() if is_console(p)]


def test_cache_version_follows_the_files():
    version = re.search(r"const VERSION = '([^']+)';", (PWA / "sw.js").read_text()).group(1)
    want = shell_digest(shell_list())
    assert version == want, f"the shell changed: set VERSION = '{want}' in pwa/sw.js"


STATIC_IMPORT = re.compile(r"^\s*(?:import|export)\s+(?:[^'\"()]*?\s+from\s+)?['\"]([^'\"]+)['\"]", re.M)


def static_graph(entry: str) -> set[str]:
    """The modules `entry` imports statically, itself included, transitively (paths relative to pwa/)."""
    seen, todo = set(), [entry]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        base = (PWA / path).parent
        for spec in STATIC_IMPORT.findall((PWA / path).read_text()):
            todo.append(str((base / spec).resolve().relative_to(PWA.resolve())))
    return seen


def test_the_link_path_is_preloaded_and_small():
    """What a certificate link's verdict needs is app.js's static import graph: index.html preloads exactly
    it, so that it comes in one round trip, and with styles.css it stays within the six connections a
    browser opens to a host (bench/scan_bench.py --link-open measures the time). The scanner, the decoder
    and everything else is imported when first needed."""
    html = (PWA / "index.html").read_text()
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', html))
    graph = static_graph("app.js")
    assert preloaded == graph
    assert len(graph) + 1 <= 6, f"{len(graph)} modules and styles.css: more than one round trip on a slow link"
    scanning = ("decoder.js", "scanner.js", "camera.js")
    assert not {p for p in graph if p.startswith(("vendor/", "scan-worker")) or p.endswith(scanning)}
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)">', html) == ["styles.css"]
