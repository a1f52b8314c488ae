"""The rules of the house (ARCHITECTURE.md), checked:

1. The business layer, the models, crypto, QR code and content sniffing load without Flask: each module is
   imported in a fresh interpreter and `flask` (nor Flask-SQLAlchemy, Flask-Limiter, Werkzeug) is not in
   sys.modules afterwards. So every service can be used, and tested, on a plain SQLAlchemy session.
2. The import graph of backend/ has no cycle: every import counts, also one inside a function (a
   function-level import is how a cycle hides).
3. The services know nothing of HTTP: no module under backend/services imports backend.api.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backend"
FLASK_FREE = ("services", "models", "crypto", "qr", "content")
FLASK_MODULES = ("flask", "flask_sqlalchemy", "flask_limiter", "flask_migrate", "werkzeug")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def backend_modules() -> dict[str, Path]:
    return {module_name(p): p for p in BACKEND.rglob("*.py")
            if "migrations" not in p.parts and "static" not in p.parts}


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The backend modules that this file imports, wherever in the file the import is."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([node.module] if node.module else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        out |= {n for n in names if n in modules and n != me}
    return out


def test_no_import_cycles():
    mods = backend_modules()
    graph = {m: imports_of(p, set(mods)) for m, p in mods.items()}
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):                     # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for m in graph:
        if m not in index:
            visit(m)
    assert cycles == []


FLASK_FREE_MODULES = sorted(m for m in backend_modules() if m.split(".")[1:2] and m.split(".")[1] in FLASK_FREE)


def test_the_business_layer_loads_without_flask():
    """One fresh interpreter imports each module in turn, checking sys.modules after each."""
    code = f"""
import importlib, json, sys
bad = {{}}
for m in {FLASK_FREE_MODULES!r}:
    importlib.import_module(m)
    loaded = [f for f in {FLASK_MODULES!r} if f in sys.modules]
    if loaded:
        bad[m] = loaded
        break
print(json.dumps(bad))
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {}
    assert len(FLASK_FREE_MODULES) > 40


@pytest.mark.parametrize("package", FLASK_FREE)
def test_no_flask_or_http_in_the_lower_layers(package):
    offenders = []
    for py in (BACKEND / package).rglob("*.py"):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] in FLASK_MODULES or n.startswith("backend.api") or n == "backend.app"
                   or n == "backend.extensions" for n in names):
                offenders.append(str(py.relative_to(ROOT)))
    assert offenders == []
