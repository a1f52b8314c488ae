"""GET /api/v1/certificates/<copy>/certificate.pdf (issue 10): the holder, the employer and the authority get the
same signed document; anyone else's copy is answered as an unknown one."""
from pathlib import Path

from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for
from tests.signed_pdfs import validate


def test_holder_employer_and_authority_get_the_same_signed_document(app, client, auth):
    reg = make_registration(client, auth, name="韩梅梅", sex="F")
    copy = issue(client, auth, reg["registration_number"])
    holder = bearer_for(client, auth, "holder", person_id=reg["person"]["id"])
    employer = bearer_for(client, auth, "enterprise", enterprise_uscc=reg["employer"]["uscc"])
    ca = (Path(app.config["PDF_SIGNING_DIR"]) / "ca.cert.pem").read_bytes()
    got = []
    for who in (holder, employer, auth):
        r = client.get(copy["links"]["pdf"], headers=who)
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert r.headers["Cache-Control"] == "private, no-store"
        assert r.headers["Content-Disposition"] == f"inline; filename=certificate-{copy['copy_id']}.pdf"
        assert validate(r.data, ca)[1].bottom_line
        got.append(r.data)
    first = got[0][:got[0].index(b"%%EOF") + 5]                     # the page as issued, before its signature
    assert all(g.startswith(first) for g in got)


def test_someone_elses_copy_is_not_found(client, auth):
    reg = make_registration(client, auth)
    copy = issue(client, auth, reg["registration_number"])
    other = make_registration(client, auth, name="李雷")
    for who in (bearer_for(client, auth, "holder", person_id=other["person"]["id"]),
                bearer_for(client, auth, "enterprise", enterprise_uscc=other["employer"]["uscc"])):
        assert_error_shape(client.get(copy["links"]["pdf"], headers=who), 404, "copy_not_found")
    assert_error_shape(client.get(copy["links"]["pdf"]), 401, "unauthorized")
