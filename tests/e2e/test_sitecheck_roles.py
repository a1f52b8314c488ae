"""The app's role evaluator (pwa/js/sitecheck/roles.js) in Chromium on the shared vectors of the server's
(tests/data/role_cases.json, tests/services/sitecheck/test_role_cases.py): both give every output word for word,
so the offline answer on a site and the signed record's cannot drift apart. The roles come from GET /api/v1/roles,
as the app has them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

CASES = json.loads((Path(__file__).parents[1] / "data" / "role_cases.json").read_text(encoding="utf-8"))["cases"]

RUN = """async (cases) => {
  const { evaluate, roleByCode } = await import('/js/sitecheck/roles.js');
  const doc = await (await fetch('/api/v1/roles', { cache: 'no-store' })).json();
  return cases.map((c) => evaluate(roleByCode(doc, c.role), c.certs, c.site));
}"""


def test_the_js_evaluator_gives_the_vectors_outputs(page, live):
    page.goto(f"{live.base}/api/v1/roles")
    outputs = page.evaluate(RUN, [{k: c[k] for k in ("role", "certs", "site")} for c in CASES])
    assert len(outputs) == len(CASES)
    for case, out in zip(CASES, outputs):
        assert out == case["output"], case["name"]
