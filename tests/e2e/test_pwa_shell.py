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
    assert sorted(files - NOT_SHELL) == sorted(shell_list())


def test_cache_version_follows_the_files():
    version = re.search(r"const VERSION = '([^']+)';", (PWA / "sw.js").read_text()).group(1)
    want = shell_digest(shell_list())
    assert version == want, f"the shell changed: set VERSION = '{want}' in pwa/sw.js"
