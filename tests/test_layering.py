"""The business, crypto and QR packages know nothing of Flask (STYLE.md)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "backend"


@pytest.mark.parametrize("package", ["services", "crypto", "qr", "models"])
def test_no_flask_imports(package):
    offenders = []
    for py in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "flask" or n.startswith("flask.") for n in names):
                offenders.append(py.name)
    assert offenders == []
