"""roles.json is checked whole at start: a bad file stops the app with every problem named."""
import json

import pytest

from backend.services.kinds import load_catalogue
from backend.services.sitecheck.errors import RolesFileInvalid
from backend.services.sitecheck.roles import DEFAULT_FILE, check_roles, load_roles
from tests.conftest import make_app

CAT = load_catalogue(None)


def raw():
    return json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def test_the_shipped_file_is_valid_and_has_the_roles_of_the_issue():
    roles = load_roles(None, CAT)
    assert {"project_manager", "principal", "safety_officer", "tower_crane_operator", "hoist_operator",
            "electrician", "scaffolder"} <= set(roles.by_code)
    pm = roles.get("project_manager")
    assert [r["code"] for r in pm["requirements"]] == ["constructor", "safety_b"]
    assert {o["kind"]: o.get("max_scale") for o in pm["requirements"][0]["any_of"]} == {"JZS1": None, "JZS2": "medium"}
    for role in roles.data["roles"]:          # every special-operations role names a trade of the catalogue
        for req in role["requirements"]:
            for opt in req["any_of"]:
                for s in opt.get("specialties", []):
                    assert CAT.kind(opt["kind"]).specialty(s)


def test_a_province_override_replaces_whole_fields():
    roles = load_roles(None, CAT)
    bj = roles.for_site("project_manager", "11")
    assert bj["explanation"].startswith("北京") and bj["requirements"] == roles.get("project_manager")["requirements"]
    assert roles.for_site("project_manager", "32") is roles.get("project_manager")


@pytest.mark.parametrize("breakage,needle", [
    (lambda d: d["roles"][0]["requirements"][0]["any_of"].append({"kind": "NOPE"}), "unknown kind"),
    (lambda d: d["roles"][0]["requirements"][0]["any_of"][1].update(max_scale="huge"), "max_scale"),
    (lambda d: d["roles"][2]["requirements"][0]["any_of"][0].update(specialties=["C9"]), "specialties"),
    (lambda d: d["roles"][0].pop("name_en"), "name_en"),
    (lambda d: d["roles"].append(dict(d["roles"][0])), "appears twice"),
    (lambda d: d["roles"][0]["requirements"][0].update(specialty="any"), "specialty"),
    (lambda d: d["roles"][0]["province_overrides"].update({"99": {"explanation": "x"}}), "province"),
    (lambda d: d["roles"][0]["requirements"][1].update(at_contractor="yes"), "at_contractor"),
    (lambda d: d["roles"][1].update(requirements=[]), "at least one requirement"),
])
def test_each_problem_is_named(breakage, needle):
    d = raw()
    breakage(d)
    problems = check_roles(d, CAT)
    assert problems and any(needle in p for p in problems), problems


def test_a_bad_file_stops_the_start_with_a_clear_message(tmp_path):
    d = raw()
    d["roles"][0]["requirements"][0]["any_of"][0]["kind"] = "JZS9"
    bad = tmp_path / "roles.json"
    bad.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RolesFileInvalid) as e:
        load_roles(str(bad), CAT)
    assert str(bad) in str(e.value) and "JZS9" in str(e.value) and "角色文件无效" in str(e.value)
    with pytest.raises(Exception) as started:
        make_app(tmp_path / "app", ROLES_FILE=str(bad))
    assert "JZS9" in str(started.value) and "ROLES_FILE" in str(started.value)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RolesFileInvalid, match="not JSON"):
        load_roles(str(tmp_path / "broken.json"), CAT)
