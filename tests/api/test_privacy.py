"""No public answer lets anyone rebuild an ID number (issue 8, items 1 and 2; docs/privacy.md).

An ID number is region (6) + birth date (8) + sequence (3) + check. The attacker of these tests scans a
certificate and searches the public lookup, then tries every way to put the full number together: the
masked characters, any date from which the birth date follows (the age-cap date, a validity or usage
period cut at it), and the check character.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest

from backend.services.checkdigits import id_check_char
from backend.services.clock import add_years
from tests import factories as f
from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for
from tests.conftest import dispose, make_app

DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _today(app) -> dt.date:
    return app.extensions["jz.clock"].today()


@pytest.fixture(scope="module")
def people(app):
    """A holder far from the age cap, and one whose specialty and copy are cut at their 65th birthday."""
    client = app.test_client()
    auth = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
    young = make_registration(client, auth, name="钱如意", birth=dt.date(1986, 4, 2))
    near_birth = add_years(_today(app), -65) + dt.timedelta(days=100)
    old = make_registration(client, auth, name="孙长寿", birth=near_birth, specialties=("JZ",))
    assert old["specialties"][0]["valid_until"] == add_years(near_birth, 65).isoformat()    # cut at the cap
    return {"young": (young, issue(client, auth, young["registration_number"])),
            "old": (old, issue(client, auth, old["registration_number"])), "auth": auth}


def candidates(masked: str, birth_dates: set[dt.date]) -> int:
    """How many well-formed ID numbers agree with the masked one and one of the birth dates it may have."""
    if not masked or len(masked) != 18:
        return 10 ** 9
    if any(c != "*" for c in masked[6:14]):
        return 1                                       # the birth date itself is shown: never allowed
    n = 0
    for birth in birth_dates or {None}:
        if masked[:6].count("*") or birth is None:
            return 10 ** 9                            # the region or the birth date unknown: millions
        for seq in range(1000):
            first17 = f"{masked[:6]}{birth:%Y%m%d}{seq:03d}"
            if all(m in ("*", c) for m, c in zip(masked[14:], first17[14:] + id_check_char(first17))):
                n += 1
    return n


def dates_in(answer) -> set[dt.date]:
    out = set()
    for y, m, d in DATE_RE.findall(json.dumps(answer)):
        try:
            out.add(dt.date(int(y), int(m), int(d)))
        except ValueError:
            pass
    return out


def births_from(dates: set[dt.date]) -> set[dt.date]:
    """Every birth date an attacker may derive: a date is a 55th, 60th, 65th or 70th birthday (the caps)."""
    return {add_years(d, -years) for d in dates for years in (55, 60, 65, 70)}


def assert_not_rebuildable(person: dict, *answers):
    """Alone or together, the answers leave at least 500 candidates for the person's ID number."""
    full = person["id_number"]
    text = json.dumps(answers, ensure_ascii=False)
    assert full not in text and full[6:14] not in text.replace("-", "")
    masks = set(re.findall(r'"id_number": "([0-9X*]{18})"', text))
    births = births_from(set().union(*(dates_in(a) for a in answers)))
    for m in masks:
        assert candidates(m, births) >= 500, (m, sorted(births)[:5])


def test_verify_carries_no_age_cap_date_and_masks_to_the_region(client, people):
    reg, copy = people["young"]
    body = client.post("/api/v1/verify", json={"qr": copy["qr"]}).get_json()
    cert = body["certificate"]
    assert body["verdict"] == "valid" and "age_cap_date" not in cert
    assert cert["id_number"] == reg["person"]["id_number"][:6] + "*" * 12
    assert "birth" not in json.dumps(body) and "age" not in {k for r in body["reasons"] for k in r.get("details", {})}
    assert_not_rebuildable(reg["person"], body)


def test_a_date_cut_at_the_age_cap_hides_the_whole_id_number(client, people):
    reg, copy = people["old"]
    body = client.post("/api/v1/verify", json={"qr": copy["qr"]}).get_json()
    assert body["certificate"]["id_number"] == "*" * 18
    assert_not_rebuildable(reg["person"], body)
    found = client.get("/api/v1/lookup", query_string={"q": reg["registration_number"]}).get_json()["results"]
    assert found[0]["id_number"] == "*" * 18
    by_name = client.get("/api/v1/lookup", query_string={"q": "孙长寿"}).get_json()["results"]
    image = client.post("/api/v1/verify/image",
                        data={"image": (io.BytesIO(client.get(copy["links"]["qr_png"],
                                                              headers=people["auth"]).data), "qr.png")}).get_json()
    assert_not_rebuildable(reg["person"], body, found, by_name, image)     # combined, too


def test_the_age_cap_date_stays_for_the_holder_the_employer_and_the_authority(client, people, auth):
    reg, copy = people["young"]
    employer = bearer_for(client, auth, "enterprise", enterprise_uscc=reg["employer"]["uscc"])
    stranger = bearer_for(client, auth, "enterprise",
                          enterprise_uscc=make_registration(client, auth, name="路人甲")["employer"]["uscc"])
    holder = bearer_for(client, auth, "holder", person_id=reg["person"]["id"])
    cap = add_years(dt.date(1986, 4, 2), 65).isoformat()
    for who in (auth, employer, holder):
        cert = client.post("/api/v1/verify", json={"qr": copy["qr"]}, headers=who).get_json()["certificate"]
        assert cert["age_cap_date"] == cap and cert["id_number"] == reg["person"]["id_number"]
    for who in (stranger, bearer_for(client, auth, "inspector"), {"Authorization": "Bearer nonsense"}):
        cert = client.post("/api/v1/verify", json={"qr": copy["qr"]}, headers=who).get_json()["certificate"]
        assert "age_cap_date" not in cert and "*" in cert["id_number"]


def test_lookup_masks_to_the_region(client, people):
    reg, _ = people["young"]
    res = client.get("/api/v1/lookup", query_string={"q": "钱如意"}).get_json()["results"]
    assert [r["id_number"] for r in res] == [reg["person"]["id_number"][:6] + "*" * 12]
    assert_not_rebuildable(reg["person"], res)


def test_the_bulk_check_counts_id_numbers_per_account_and_day(tmp_path):
    app = make_app(tmp_path, BULK_ID_CHECKS_PER_DAY=5)
    try:
        client = app.test_client()
        auth = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
        reg = make_registration(client, auth, name="王建国")
        ent = bearer_for(client, auth, "enterprise", enterprise_uscc=reg["employer"]["uscc"])
        other = bearer_for(client, auth, "enterprise", enterprise_uscc=reg["employer"]["uscc"])

        def upload(headers, n):
            rows = "".join(f"王建国,{f.id_number(dt.date(1980, 1, 1 + i), 'M')},\n" for i in range(n))
            return client.post("/api/v1/enterprise/bulk-check", headers=headers,
                               data={"file": (io.BytesIO(("姓名,身份证号,注册编号\n" + rows).encode()), "s.csv")})
        assert upload(ent, 3).status_code == 200
        body = assert_error_shape(upload(ent, 3), 429, "id_check_limit_reached")
        assert body["details"]["limit"] == 5 and body["details"]["remaining"] == 2   # the refused file cost nothing
        assert upload(ent, 2).status_code == 200
        assert_error_shape(upload(ent, 1), 429, "id_check_limit_reached")
        assert upload(other, 5).status_code == 200                        # per account
        numbers_only = client.post("/api/v1/enterprise/bulk-check", headers=ent, data={"file": (io.BytesIO(
            f"姓名,注册编号\n王建国,{reg['registration_number']}\n".encode()), "s.csv")})
        assert numbers_only.status_code == 200                             # no ID number, nothing counted
    finally:
        dispose(app)
