"""The role evaluator on the shared vectors (tests/data/role_cases.json), which the app's JavaScript evaluator
must also give word for word (tests/e2e/test_sitecheck_roles.py)."""
import json
from pathlib import Path

import pytest

from backend.services.kinds import load_catalogue
from backend.services.sitecheck.evaluate import FLAGS, INFO, evaluate
from backend.services.sitecheck.roles import load_roles

CASES = json.loads((Path(__file__).parents[2] / "data" / "role_cases.json").read_text(encoding="utf-8"))["cases"]
ROLES = load_roles(None, load_catalogue(None))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case):
    out = evaluate(ROLES.get(case["role"]), case["certs"], case["site"])
    assert out == case["output"]
    assert (out["met"], out["flags"]) == (case["expect"]["met"], case["expect"]["flags"])


def test_vectors_cover_every_flag_that_a_scan_can_raise():
    raised = {f for c in CASES for f in c["output"]["flags"]}
    assert raised >= {"missing", "other_employer", "specialty_mismatch", "level_limit", "lapsed", "expired",
                      "suspended", "revoked", "superseded", "unconfirmed", "different_holders", *INFO}
    assert set(FLAGS) - raised <= {"not_found", "invalid"}     # no kind without a genuine copy: "missing"


def test_a_met_requirement_names_its_certificate_and_an_unmet_one_says_why():
    for case in CASES:
        for req in case["output"]["requirements"]:
            failing = [f for f in req["flags"] if f not in INFO]
            assert req["met"] == (not failing)
            assert [r["code"] for r in req["reasons"]] == req["flags"]
            assert all(r["message"] and r["message_en"] for r in req["reasons"])
            if req["flags"] != ["missing"]:
                assert req["certificate"]


def test_the_certificates_order_does_not_change_the_answer_when_one_meets():
    case = next(c for c in CASES if c["name"] == "pm_superseded_then_current")
    out = evaluate(ROLES.get("project_manager"), list(reversed(case["certs"])), case["site"])
    assert out["met"] and out["requirements"][0]["certificate"] == "NEWCOPY"
