"""POST /api/v1/applications/<id>/files checks proof files by content: a name change used to accept a
66-byte PNG, or any bytes after "%PDF-", as its proof."""
from __future__ import annotations

import io

import pytest

from tests.api.helpers import assert_error_shape, make_registration
from tests.api.login_helpers import bearer_for
from tests.proof_files import PLAIN_PDF, TINY_PNG, encrypted_pdf, pdf, png, scan_jpeg, stream


@pytest.fixture(scope="module")
def name_change(app, mc):
    """(files URL, holder's headers) of a draft name change: the application that needs a proof."""
    admin = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
    reg = make_registration(mc, admin, name="吴旧名")
    holder = bearer_for(mc, admin, "holder", person_id=reg["person"]["id"])
    r = mc.post("/api/v1/applications", headers=holder, json={
        "type": "personal_info", "registration_number": reg["registration_number"], "changes": {"name": "吴新名"}})
    assert r.status_code == 201, r.json
    return f"/api/v1/applications/{r.json['id']}/files", holder


def upload(mc, name_change, data: bytes, filename: str):
    url, holder = name_change
    return mc.post(url, headers=holder, data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


@pytest.mark.parametrize("data,filename,status,code", [
    (TINY_PNG, "proof.png", 422, "image_too_small"),
    (b"%PDF-1.4\n%proof\n", "proof.pdf", 422, "pdf_unreadable"),
    (b"%PDF-" + b"MZ\x90\x00" * 100, "proof.pdf", 422, "pdf_unreadable"),
    (encrypted_pdf(), "proof.pdf", 422, "pdf_encrypted"),
    (pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.launchURL('x')) >> "), "proof.pdf", 422,
     "pdf_active_content"),
    (pdf(b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>", stream(b"MZ", b"/Type /EmbeddedFile"),
         catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> "), "proof.pdf", 422, "pdf_embedded_files"),
    (scan_jpeg()[:10_000], "proof.jpg", 422, "corrupt_image"),
], ids=["tiny-png", "magic-only-pdf", "not-a-pdf", "encrypted", "javascript", "embedded-file", "truncated-jpeg"])
def test_fake_proofs_are_refused(mc, name_change, data, filename, status, code):
    assert_error_shape(upload(mc, name_change, data, filename), status, code)


@pytest.mark.parametrize("data,filename,mime", [
    (PLAIN_PDF, "改名证明.pdf", "application/pdf"),
    (scan_jpeg(), "户口本.jpg", "image/jpeg"),
    (png((1000, 1400), "RGB", (250, 250, 245)), "scan.png", "image/png"),
])
def test_genuine_proofs_are_accepted(mc, name_change, data, filename, mime):
    r = upload(mc, name_change, data, filename)
    assert r.status_code == 201, r.json
    assert r.json["files"][-1]["mime"] == mime and r.json["files"][-1]["size"] == len(data)
