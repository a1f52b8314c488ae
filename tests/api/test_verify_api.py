"""POST /api/v1/verify and /api/v1/verify/image as DESIGN.md specifies them."""
import io

import pytest

from tests.api.helpers import assert_error_shape, issue, make_registration


@pytest.fixture(scope="module")
def copy(app):
    c = app.test_client()
    auth = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
    reg = make_registration(c, auth)
    return issue(c, auth, reg["registration_number"])


def test_verify_shape(client, copy):
    r = client.post("/api/v1/verify", json={"qr": copy["qr"]})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.json
    assert set(body) >= {"verdict", "message", "message_en", "reasons", "checked_at", "certificate", "specialties"}
    assert body["verdict"] == "valid"
    cert = body["certificate"]
    assert cert["copy_id"] == copy["copy_id"] and cert["photo_url"] is None   # no photo on file
    assert all(set(s) >= {"code", "name", "valid_until", "status"} for s in body["specialties"])


def test_photo_url_is_signed_and_short_lived(app, client, auth, copy):
    reg = make_registration(client, auth, name="孙丽", sex="F")
    pid = reg["person"]["id"]
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (120, 160), (200, 180, 160)).save(buf, "JPEG")
    r = client.put(f"/api/v1/persons/{pid}/photo", headers=auth,
                   data={"image": (io.BytesIO(buf.getvalue()), "p.jpg")}, content_type="multipart/form-data")
    assert r.status_code == 200, r.json
    c = issue(client, auth, reg["registration_number"])
    url = client.post("/api/v1/verify", json={"qr": c["qr"]}).json["certificate"]["photo_url"]
    got = client.get(url)
    assert got.status_code == 200 and got.mimetype == "image/jpeg" and got.data == buf.getvalue()
    assert_error_shape(client.get(url.replace("sig=", "sig=0")), 403, "photo_link_invalid")
    assert_error_shape(client.get(url.split("?")[0]), 403, "photo_link_invalid")
    odd = url.split("?")[0] + "?exp=7305488417694&sig=%3D%F1%AD%83%87%21N"
    assert_error_shape(client.get(odd), 403, "photo_link_invalid")


@pytest.mark.parametrize("body,code", [
    ({}, "validation_failed"), ({"qr": None}, "validation_failed"), ({"qr": 42}, "validation_failed"),
    ({"qr": ["a"]}, "validation_failed"), ({"qr": ""}, "validation_failed"), ({"qr": "x" * 5000}, "validation_failed"),
])
def test_verify_bad_fields(client, body, code):
    assert_error_shape(client.post("/api/v1/verify", json=body), 422, code)


@pytest.mark.parametrize("raw,ctype,code", [
    (b"{not json", "application/json", "invalid_json"),
    (b"[1,2]", "application/json", "invalid_body"),
    (b"\xff\xfe\x00{", "application/json", "invalid_encoding"),
    (b'{"qr": "\xe4\xb8"}', "application/json", "invalid_encoding"),
    (b"", "application/json", "invalid_json"),
    (b"qr=abc", "application/x-www-form-urlencoded", "invalid_json"),
    (b"[" * 100000 + b"]" * 100000, "application/json", "invalid_json"),
])
def test_verify_malformed_bodies(client, raw, ctype, code):
    assert_error_shape(client.post("/api/v1/verify", data=raw, content_type=ctype), 400, code)


def test_verify_oversized_body(client):
    big = b'{"qr": "' + b"a" * (13 * 1024 * 1024) + b'"}'
    assert_error_shape(client.post("/api/v1/verify", data=big, content_type="application/json"), 413)


@pytest.mark.parametrize("qr", ["' OR 1=1 --", "<script>alert(1)</script>", "%00", "../../etc/passwd",
                                "http://127.0.0.1:5000/v#<img src=x onerror=alert(1)>", "\u0000\u0001",
                                "a.b.c'; DROP TABLE persons; --"])
def test_verify_hostile_text_is_an_invalid_verdict(client, qr):
    r = client.post("/api/v1/verify", json={"qr": qr})
    assert r.status_code == 200 and r.json["verdict"] == "invalid" and r.json["reasons"]


def test_method_not_allowed_and_unknown_path(client):
    assert_error_shape(client.get("/api/v1/verify"), 405, "method_not_allowed")
    assert_error_shape(client.get("/api/v1/nothing-here"), 404, "not_found")


def test_verify_image_round_trip_of_a_degraded_phone_photo(client, copy):
    from tests.qr_photos import degraded_photo
    jpeg = degraded_photo(copy["qr"], seed=3)
    r = client.post("/api/v1/verify/image", data={"image": (io.BytesIO(jpeg), "photo.jpg")},
                    content_type="multipart/form-data")
    assert r.status_code == 200, r.json
    codes = r.json["codes"]
    assert len(codes) == 1 and codes[0]["verdict"] == "valid" and codes[0]["qr"] == copy["qr"]


def test_verify_image_png_and_webp(client, copy):
    import qrcode
    from PIL import Image
    img = qrcode.make(copy["qr"]).get_image().convert("L")
    for fmt in ("PNG", "WEBP"):
        buf = io.BytesIO()
        img.save(buf, fmt)
        r = client.post("/api/v1/verify/image", data={"image": (io.BytesIO(buf.getvalue()), f"x.{fmt.lower()}")},
                        content_type="multipart/form-data")
        assert r.status_code == 200 and r.json["codes"][0]["verdict"] == "valid", fmt
    assert isinstance(Image.open(io.BytesIO(buf.getvalue())).size, tuple)


def test_verify_image_without_qr(client):
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 130, 140)).save(buf, "JPEG")
    r = client.post("/api/v1/verify/image", data={"image": (io.BytesIO(buf.getvalue()), "x.jpg")},
                    content_type="multipart/form-data")
    assert_error_shape(r, 422, "no_qr_found")


@pytest.mark.parametrize("data,status,code", [
    (b"GIF89a" + b"\x00" * 100, 415, "unsupported_media_type"),
    (b"BM" + b"\x00" * 100, 415, "unsupported_media_type"),
    (b"%PDF-1.4 hello", 422, "pdf_unreadable"),              # a PDF goes to the document check
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415, "unsupported_media_type"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 50, 422, "corrupt_image"),
])
def test_verify_image_rejections(client, data, status, code):
    r = client.post("/api/v1/verify/image", data={"image": (io.BytesIO(data), "x.jpg")}, content_type="multipart/form-data")
    assert_error_shape(r, status, code)


def test_verify_image_missing_field(client):
    assert_error_shape(client.post("/api/v1/verify/image", data={"photo": (io.BytesIO(b"x"), "x.jpg")},
                                   content_type="multipart/form-data"), 422, "validation_failed")
    assert_error_shape(client.post("/api/v1/verify/image", json={"image": "x"}), 422, "validation_failed")


def test_verify_image_decompression_bomb(client):
    from tests.qr_photos import png_bomb
    r = client.post("/api/v1/verify/image", data={"image": (io.BytesIO(png_bomb()), "bomb.png")},
                    content_type="multipart/form-data")
    assert_error_shape(r, 413, "too_many_pixels")


# --- a certificate PDF (issue 10, item 4) -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def issuer(app, tmp_path_factory):
    """A test CA trusted by the app besides its own (the demo CA that signs its certificate PDFs)."""
    from backend.services.verification.document_trust import PdfTrust
    from tests.certificate_pdfs import make_signer
    signer = make_signer()
    before = app.extensions["jz.pdf_trust"]
    app.extensions["jz.pdf_trust"] = PdfTrust([*map(str, before.roots), signer.write_root(tmp_path_factory.mktemp("ca"))])
    yield signer
    app.extensions["jz.pdf_trust"] = before


def post_pdf(client, data: bytes):
    return client.post("/api/v1/verify/image", data={"image": (io.BytesIO(data), "certificate.pdf")},
                       content_type="multipart/form-data")


def test_verify_a_signed_certificate_pdf(client, copy, issuer):
    from tests.certificate_pdfs import certificate_pdf, sign
    r = post_pdf(client, sign(certificate_pdf(copy["qr"]), issuer))
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store", r.json
    assert set(r.json) == {"codes", "document"}
    doc = r.json["document"]
    assert (doc["signed"], doc["intact"], doc["trusted"]) == (True, True, True) and "建证测试发证机关" in doc["signer"]
    [code] = r.json["codes"]
    assert code["verdict"] == "valid" and code["qr"] == copy["qr"] and code["certificate"]["copy_id"] == copy["copy_id"]


def test_verify_a_tampered_certificate_pdf(client, copy, issuer):
    from tests.certificate_pdfs import certificate_pdf, change_one_byte, sign
    r = post_pdf(client, change_one_byte(sign(certificate_pdf(copy["qr"]), issuer)))
    assert r.status_code == 200 and r.json["document"]["intact"] is False
    [code] = r.json["codes"]
    assert code["verdict"] == "invalid" and [x["code"] for x in code["reasons"]] == ["document_tampered"]
    assert code["message"] == "无效:不是本机关签发的真实证书" and code["certificate"] is None


def test_verify_a_pdf_signed_by_someone_else(client, copy, issuer):
    from tests.certificate_pdfs import certificate_pdf, make_signer, sign
    r = post_pdf(client, sign(certificate_pdf(copy["qr"]), make_signer("伪造单位", self_signed=True)))
    doc = r.json["document"]
    assert r.status_code == 200 and doc["signed"] and doc["intact"] and doc["trusted"] is False
    assert r.json["codes"][0]["verdict"] == "invalid"
    assert [x["code"] for x in r.json["codes"][0]["reasons"]] == ["document_untrusted"]


def test_verify_an_unsigned_pdf(client, copy, issuer):
    from tests.certificate_pdfs import certificate_pdf
    r = post_pdf(client, certificate_pdf(copy["qr"]))
    assert r.status_code == 200 and r.json["document"]["signed"] is False
    [code] = r.json["codes"]
    assert code["verdict"] == "valid" and [x["code"] for x in code["reasons"]] == ["document_unsigned"]


def test_verify_a_pdf_without_qr(client, issuer):
    from tests.certificate_pdfs import certificate_pdf, sign
    body = assert_error_shape(post_pdf(client, sign(certificate_pdf(None), issuer)), 422, "no_qr_found")
    assert body["details"]["document"]["trusted"] is True


@pytest.mark.parametrize("name", ["5,000 pages", "page 14,400 pt square (5 m)", "fields nested 100,000 arrays deep",
                                  "not a PDF after its header"])
def test_verify_hostile_pdfs(client, issuer, name):
    from tests.certificate_pdfs import hostile
    data, status, code = hostile(name)
    assert_error_shape(post_pdf(client, data), status, code)


def test_verify_an_encrypted_pdf(client, issuer):
    from tests.proof_files import encrypted_pdf
    assert_error_shape(post_pdf(client, encrypted_pdf()), 422, "pdf_encrypted")


def test_the_certificate_pdf_round_trips(client, auth, app, copy):
    """The issuer's own signed certificate PDF, downloaded and sent back: valid, signed by the issuer."""
    pdf = client.get(f"/api/v1/certificates/{copy['copy_id']}/certificate.pdf", headers=auth)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    r = post_pdf(client, pdf.data)
    assert r.status_code == 200, r.json
    doc = r.json["document"]
    assert (doc["signed"], doc["intact"], doc["trusted"]) == (True, True, True)
    assert app.config["ISSUER_NAME"] in doc["signer"]
    assert [c["verdict"] for c in r.json["codes"]] == ["valid"] and r.json["codes"][0]["qr"] == copy["qr"]
