"""入库登记 over HTTP (docs/onboarding.md): the holder uploads, the authority reviews, only approved images reach
copies; refusals in the one error shape; the legacy PUT still answers as before and is recorded."""
import io

import pytest
from PIL import Image

from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for
from tests.onboarding_images import blank_paper, encode, portrait, portrait_photo, signature_photo, text_page


def _send(client, path, headers, data, name="x.jpg"):
    return client.post(path, headers=headers, data={"image": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.fixture()
def holder(client, auth):
    reg = make_registration(client, auth, name="林照片")
    return {"reg": reg, "person_id": reg["person"]["id"],
            "headers": bearer_for(client, auth, "holder", person_id=reg["person"]["id"])}


def test_upload_review_approve_then_the_copy_prints_it(client, auth, holder):
    h, pid, number = holder["headers"], holder["person_id"], holder["reg"]["registration_number"]
    old = issue(client, auth, number)
    r = _send(client, "/api/v1/holder/photo", h, portrait_photo("api", "F"))
    assert r.status_code == 201, r.json
    sub = r.json
    assert (sub["state"], sub["state_name"], sub["kind"], sub["uploaded_by"]) == ("pending", "待审核", "photo", "holder")
    assert (sub["width"], sub["height"], sub["mime"]) == (358, 441, "image/jpeg")
    assert sub["source"]["width"] == 600 and sub["person"]["id"] == pid and not sub["person"]["has_photo"]
    assert r.headers["Cache-Control"] == "private, no-store"
    img = client.get(sub["image_url"], headers=h)
    assert img.status_code == 200 and img.mimetype == "image/jpeg" and img.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(img.data)).size == (358, 441)
    assert_error_shape(client.get("/api/v1/holder/photo", headers=h), 404, "photo_missing")   # not before approval

    queue = client.get("/api/v1/image-submissions?state=pending", headers=auth).json
    assert sub["id"] in [s["id"] for s in queue["submissions"]] and queue["page_size"] == 20
    done = client.post(f"/api/v1/image-submissions/{sub['id']}/decide", headers=auth, json={"decision": "approve"})
    assert done.status_code == 200 and done.json["state"] == "approved" and done.json["person"]["has_photo"]
    assert client.post("/api/v1/verify", json={"qr": old["qr"]}).json["verdict"] == "superseded"
    current = client.get("/api/v1/holder/photo", headers=h)
    assert current.status_code == 200 and current.data == img.data
    assert client.get(f"/api/v1/persons/{pid}/photo", headers=auth).data == img.data
    mine = client.get("/api/v1/holder/images", headers=h).json
    assert mine["current"] == {"photo": True, "signature": False} and mine["submissions"][0]["state"] == "approved"
    new = issue(client, auth, number)
    pdf = client.get(f"/api/v1/certificates/{new['copy_id']}/certificate.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_returned_upload_tells_the_holder_why(client, auth, holder):
    h = holder["headers"]
    sub = _send(client, "/api/v1/holder/signature", h, signature_photo("林:1", 2)).json
    assert (sub["mime"], sub["height"]) == ("image/png", 150)
    url = f"/api/v1/image-submissions/{sub['id']}/decide"
    body = assert_error_shape(client.post(url, headers=auth, json={"decision": "return"}), 422, "validation_failed")
    assert body["details"]["fields"]["reason"]["code"] == "required"
    r = client.post(url, headers=auth, json={"decision": "return", "reason": "签名不清晰,请重新拍摄"})
    assert r.status_code == 200 and (r.json["state"], r.json["reason"]) == ("returned", "签名不清晰,请重新拍摄")
    assert client.get("/api/v1/holder/images", headers=h).json["submissions"][0]["reason"] == "签名不清晰,请重新拍摄"
    assert_error_shape(client.post(url, headers=auth, json={"decision": "approve"}), 409, "submission_not_pending")
    assert_error_shape(client.get("/api/v1/holder/signature", headers=h), 404, "signature_missing")


@pytest.mark.parametrize("path,data,status,code", [
    ("photo", encode(portrait().resize((300, 400))), 422, "photo_too_small"),
    ("photo", encode(portrait().resize((800, 600))), 422, "photo_aspect"),
    ("photo", encode(portrait().convert("L")), 422, "photo_not_colour"),
    ("photo", b"GIF89a" + b"\0" * 50, 415, "unsupported_media_type"),
    ("photo", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, 422, "corrupt_image"),
    ("signature", blank_paper(), 422, "signature_no_ink"),
    ("signature", text_page(), 422, "signature_too_much_ink"),
    ("signature", b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 10), 413, "image_too_large"),
])
def test_refusals_say_why(client, holder, path, data, status, code):
    body = assert_error_shape(_send(client, f"/api/v1/holder/{path}", holder["headers"], data), status, code)
    assert body["message_en"]


def test_the_form_needs_a_file(client, holder):
    r = client.post("/api/v1/holder/photo", headers=holder["headers"], data={"image": "text"},
                    content_type="multipart/form-data")
    assert_error_shape(r, 422, "validation_failed")


def test_holders_see_and_withdraw_their_own_only(client, auth, holder):
    other = make_registration(client, auth, name="邻居")
    theirs = bearer_for(client, auth, "holder", person_id=other["person"]["id"])
    sub = _send(client, "/api/v1/holder/photo", holder["headers"], portrait_photo("own", "M")).json
    assert_error_shape(client.get(sub["image_url"], headers=theirs), 404, "submission_not_found")
    assert_error_shape(client.post(f"/api/v1/holder/images/{sub['id']}/withdraw", headers=theirs), 404,
                       "submission_not_found")
    assert client.get("/api/v1/holder/images", headers=theirs).json["submissions"] == []
    w = client.post(f"/api/v1/holder/images/{sub['id']}/withdraw", headers=holder["headers"])
    assert w.status_code == 200 and w.json["state"] == "withdrawn"
    assert_error_shape(client.post(f"/api/v1/holder/images/{sub['id']}/withdraw", headers=holder["headers"]), 409,
                       "submission_not_pending")
    assert_error_shape(client.post(f"/api/v1/image-submissions/{sub['id']}/decide", headers=auth,
                                   json={"decision": "approve"}), 409, "submission_not_pending")


def test_the_authority_uploads_on_the_holders_behalf(client, auth, holder):
    pid, number = holder["person_id"], holder["reg"]["registration_number"]
    old = issue(client, auth, number)
    pending = _send(client, "/api/v1/holder/signature", holder["headers"], signature_photo("林:2", 2)).json
    r = _send(client, f"/api/v1/persons/{pid}/signature", auth, signature_photo("林:3", 2))
    assert r.status_code == 201, r.json
    assert (r.json["state"], r.json["uploaded_by"], r.json["decided_by"]) == ("approved", "authority", "authority")
    states = {s["id"]: s["state"] for s in client.get("/api/v1/holder/images", headers=holder["headers"]).json[
        "submissions"]}
    assert states == {pending["id"]: "withdrawn", r.json["id"]: "approved"}
    assert client.get(f"/api/v1/persons/{pid}/signature", headers=auth).data == \
        client.get(r.json["image_url"], headers=auth).data
    assert client.post("/api/v1/verify", json={"qr": old["qr"]}).json["verdict"] == "superseded"
    assert_error_shape(_send(client, "/api/v1/persons/999999/photo", auth, portrait_photo("n", "M")), 404,
                       "person_not_found")
    assert_error_shape(client.get("/api/v1/persons/999999/signature", headers=auth), 404, "person_not_found")


def test_the_legacy_put_still_stores_as_uploaded_and_is_recorded(client, auth, holder):
    pid = holder["person_id"]
    buf = io.BytesIO()
    Image.new("RGB", (120, 160), (200, 180, 160)).save(buf, "JPEG")
    r = client.put(f"/api/v1/persons/{pid}/photo", headers=auth, data={"image": (io.BytesIO(buf.getvalue()), "p.jpg")},
                   content_type="multipart/form-data")
    assert r.status_code == 200 and r.json["has_photo"] is True and r.json["id"] == pid
    assert client.get(f"/api/v1/persons/{pid}/photo", headers=auth).data == buf.getvalue()
    [sub] = client.get("/api/v1/image-submissions?state=approved&kind=photo", headers=auth).json["submissions"][:1]
    assert (sub["person"]["id"], sub["uploaded_by"], sub["width"], sub["checks"]) == (pid, "authority", 120, {})


def test_the_queue_query_is_checked(client, auth):
    for q in ("state=nope", "kind=video", "page=0", "page=x"):
        assert_error_shape(client.get(f"/api/v1/image-submissions?{q}", headers=auth), 422, "validation_failed")
    assert client.get("/api/v1/image-submissions?page=500", headers=auth).json["submissions"] == []
    assert_error_shape(client.get("/api/v1/image-submissions/im_nope/image", headers=auth), 404, "submission_not_found")
