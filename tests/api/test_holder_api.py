"""A holder's own registrations and copies (我的注册, 证照加注)."""
from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for


def test_holder_sees_own_registrations_and_gets_copies(client, auth):
    mine = make_registration(client, auth, name="韩梅梅", sex="F")
    other = make_registration(client, auth, name="李雷")
    me = bearer_for(client, auth, "holder", person_id=mine["person"]["id"])
    r = client.get("/api/v1/holder/registrations", headers=me)
    assert r.status_code == 200
    regs = r.json["registrations"]
    assert [x["registration_number"] for x in regs] == [mine["registration_number"]]
    assert regs[0]["current_copy"] is None and regs[0]["person"]["id_number"] == mine["person"]["id_number"]
    got = client.post(f"/api/v1/holder/registrations/{mine['registration_number']}/copies", headers=me)
    assert got.status_code == 201
    now = client.get("/api/v1/holder/registrations", headers=me).json["registrations"][0]["current_copy"]
    assert now["copy_id"] == got.json["copy_id"] and now["expired"] is False
    pdf = client.get(f"/api/v1/certificates/{got.json['copy_id']}/certificate.pdf", headers=me)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.post("/api/v1/verify", json={"qr": got.json["qr"]}).json["verdict"] == "valid"
    # someone else's registration is not found for this holder
    assert_error_shape(client.post(f"/api/v1/holder/registrations/{other['registration_number']}/copies",
                                   headers=me), 404, "registration_not_found")
    client.post(f"/api/v1/holder/registrations/{mine['registration_number']}/copies", headers=me)
    assert_error_shape(client.post(f"/api/v1/holder/registrations/{mine['registration_number']}/copies",
                                   headers=me), 429, "daily_limit_reached")


def test_holder_endpoints_are_for_holders(client, auth):
    reg = make_registration(client, auth)
    issue(client, auth, reg["registration_number"])
    assert_error_shape(client.get("/api/v1/holder/registrations"), 401, "unauthorized")
    assert_error_shape(client.get("/api/v1/holder/registrations", headers=auth), 403, "forbidden")
    ent = bearer_for(client, auth, "enterprise", enterprise_uscc=reg["employer"]["uscc"])
    assert_error_shape(client.post(f"/api/v1/holder/registrations/{reg['registration_number']}/copies",
                                   headers=ent), 403, "forbidden")
