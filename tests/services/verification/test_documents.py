"""A certificate PDF: its signature (intact, trusted, unsigned, revoked) judged with the QR codes of its page 1,
from copies made by the real services and PDFs signed here with pyHanko; hostile PDFs refused quickly."""
import time

import pytest

from backend.services.clock import Clock
from backend.services.issuance.copies import issue_copy
from backend.services.verification.document_trust import PdfTrust, split_paths
from backend.services.verification.documents import DocumentLimits, check_document, verify_document
from backend.services.verification.errors import DocumentRejected, NoQrFound
from backend.services.verification.verify import verify_qr
from tests import certificate_pdfs as cp, factories as f

LIMITS = DocumentLimits()


@pytest.fixture(scope="module")
def issuer():
    return cp.make_signer()


@pytest.fixture(scope="module")
def forger():
    return cp.make_signer("某某公司", self_signed=True)


@pytest.fixture()
def trust(issuer, tmp_path):
    return PdfTrust([issuer.write_root(tmp_path)])


@pytest.fixture()
def copy(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")


def verify_pdf(session, svc, trust, data):
    return verify_document(data, LIMITS, trust, svc.clock,
                           lambda text: verify_qr(session, svc.ring, svc.catalogue, svc.settings, svc.clock, text))


def codes(result):
    return [r["code"] for r in result["reasons"]]


def test_a_genuine_signed_certificate_is_valid(session, svc, trust, issuer, copy):
    answer = verify_pdf(session, svc, trust, cp.sign(cp.certificate_pdf(copy.qr_text), issuer))
    doc = answer["document"]
    assert doc["signed"] and doc["intact"] and doc["trusted"]
    assert doc["signer"] == "CN=建证测试发证机关,O=建证测试发证机关,C=CN"
    assert doc["signed_at"].endswith("Z")
    [code] = answer["codes"]
    assert code["qr"] == copy.qr_text and code["verdict"] == "valid" and code["reasons"] == []
    assert code["certificate"]["copy_id"] == copy.public_id


def test_one_byte_changed_in_the_signed_range_is_tampered(session, svc, trust, issuer, copy):
    answer = verify_pdf(session, svc, trust, cp.change_one_byte(cp.sign(cp.certificate_pdf(copy.qr_text), issuer)))
    assert answer["document"]["signed"] and not answer["document"]["intact"]
    [code] = answer["codes"]
    assert code["verdict"] == "invalid" and codes(code) == ["document_tampered"]
    assert code["certificate"] is None and code["specialties"] == []          # as any invalid answer


def test_a_page_changed_after_signing_is_tampered(session, svc, trust, issuer, copy):
    """Every signed byte untouched; an update appended after the signature paints another (genuine, valid)
    copy's certificate over page 1. The code read is the one a reader shows, and it is invalid."""
    other = issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock,
                       f.registration(session, svc.catalogue, svc.clock).registration_number, "test")
    signed = cp.sign(cp.certificate_pdf(copy.qr_text), issuer)
    answer = verify_pdf(session, svc, trust, cp.changed_after_signing(signed, other.qr_text))
    assert answer["document"]["signed"] and not answer["document"]["intact"] and answer["document"]["trusted"]
    assert [c["qr"] for c in answer["codes"]] == [other.qr_text]           # the overlay, as a reader shows it
    [code] = answer["codes"]
    assert code["verdict"] == "invalid" and code["reasons"][0]["code"] == "document_tampered"
    assert code["reasons"][0]["details"] == {"modified_after_signing": True}


def test_a_foreign_self_signed_signature_is_not_trusted(session, svc, trust, forger, copy):
    answer = verify_pdf(session, svc, trust, cp.sign(cp.certificate_pdf(copy.qr_text), forger))
    doc = answer["document"]
    assert doc["signed"] and doc["intact"] and not doc["trusted"] and "某某公司" in doc["signer"]
    [code] = answer["codes"]
    assert code["verdict"] == "invalid" and codes(code) == ["document_untrusted"]


def test_without_trust_roots_nobody_is_trusted(session, svc, issuer, copy):
    answer = verify_pdf(session, svc, PdfTrust(["/nonexistent/root.pem"]),
                        cp.sign(cp.certificate_pdf(copy.qr_text), issuer))
    assert answer["document"]["intact"] and not answer["document"]["trusted"]
    assert answer["codes"][0]["verdict"] == "invalid"


def test_a_revoked_signing_certificate_is_not_trusted(session, svc, issuer, copy, tmp_path):
    crl = tmp_path / "issuer.crl"
    crl.write_bytes(cp.revoked_crl(issuer))
    trust = PdfTrust([issuer.write_root(tmp_path)], crl=str(crl))
    answer = verify_pdf(session, svc, trust, cp.sign(cp.certificate_pdf(copy.qr_text), issuer))
    assert answer["document"]["intact"] and not answer["document"]["trusted"]
    [code] = answer["codes"]
    assert code["verdict"] == "invalid" and code["reasons"][0] == {**code["reasons"][0], "code": "document_untrusted",
                                                                   "details": {"revoked": True}}


def test_a_crl_that_does_not_list_the_signer(session, svc, issuer, copy, tmp_path):
    crl = tmp_path / "issuer.crl"
    crl.write_bytes(cp.revoked_crl(issuer, serial=12345))
    trust = PdfTrust([issuer.write_root(tmp_path)], crl=str(crl))
    answer = verify_pdf(session, svc, trust, cp.sign(cp.certificate_pdf(copy.qr_text), issuer))
    assert answer["document"]["trusted"] and answer["codes"][0]["verdict"] == "valid"


def test_unsigned_keeps_the_token_verdict_with_a_note(session, svc, trust, copy):
    answer = verify_pdf(session, svc, trust, cp.certificate_pdf(copy.qr_text))
    assert answer["document"] == {"signed": False, "intact": False, "trusted": False, "signer": None,
                                  "signed_at": None}
    [code] = answer["codes"]
    assert code["verdict"] == "valid" and codes(code) == ["document_unsigned"]
    assert code["certificate"]["copy_id"] == copy.public_id


def test_a_tampered_pdf_is_invalid_whatever_its_token(session, svc, trust, issuer):
    """An expired copy in a tampered PDF: invalid (the more serious verdict), the copy's own reason kept."""
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -400))
    old = issue_copy(session, svc.ring, svc.catalogue, svc.settings, f.at(svc.clock, -181), reg.registration_number,
                     "test")
    answer = verify_pdf(session, svc, trust, cp.change_one_byte(cp.sign(cp.certificate_pdf(old.qr_text), issuer)))
    assert answer["codes"][0]["verdict"] == "invalid"
    assert codes(answer["codes"][0]) == ["document_tampered", "copy_expired"]


def test_no_qr_on_page_one(session, svc, trust, issuer):
    with pytest.raises(NoQrFound) as e:
        verify_pdf(session, svc, trust, cp.sign(cp.certificate_pdf(None), issuer))
    assert e.value.details["document"]["trusted"]


def test_a_qr_on_page_two_is_not_read(trust, issuer):
    data = cp.sign(cp.certificate_pdf(None, pages=2), issuer)
    assert check_document(data, LIMITS, trust, Clock()).texts == []


@pytest.mark.parametrize("name", cp.HOSTILE)
def test_hostile_pdfs_are_refused_quickly(trust, name):
    data, status, code = cp.hostile(name)
    check_document(cp.certificate_pdf(None), LIMITS, trust, Clock())       # the zygote is up: time the check only
    started = time.perf_counter()
    with pytest.raises(DocumentRejected) as e:
        check_document(data, LIMITS, trust, Clock())
    assert (e.value.status, e.value.code) == (status, code), name
    assert time.perf_counter() - started < LIMITS.seconds + 0.5, name
    assert e.value.message and e.value.message_en


def test_limits_of_bytes_and_pages(trust):
    with pytest.raises(DocumentRejected) as e:
        check_document(b"%PDF-1.7\n" + b" " * 200, DocumentLimits(max_bytes=100), trust, Clock())
    assert (e.value.status, e.value.code) == (413, "pdf_too_large")
    with pytest.raises(DocumentRejected) as e:
        check_document(cp.certificate_pdf("x", pages=3), DocumentLimits(max_pages=2), trust, Clock())
    assert e.value.code == "pdf_too_many_pages" and e.value.details == {"pages": 3, "max_pages": 2}


def test_an_encrypted_pdf_is_refused(trust):
    from tests.proof_files import encrypted_pdf
    with pytest.raises(DocumentRejected) as e:
        check_document(encrypted_pdf(), LIMITS, trust, Clock())
    assert (e.value.status, e.value.code) == (422, "pdf_encrypted")


def test_a_scan_in_a_pdf(trust):
    """A printout scanned to PDF at 300 dpi is read (unsigned); at 600 dpi its image is refused by name, not
    left out of the page for want of memory."""
    assert check_document(cp.scan_pdf("http://127.0.0.1:5000/v#x"), LIMITS, trust, Clock()).texts == [
        "http://127.0.0.1:5000/v#x"]
    with pytest.raises(DocumentRejected) as e:
        check_document(cp.scan_pdf("http://127.0.0.1:5000/v#x", size=(4960, 7016)), LIMITS, trust, Clock())
    assert (e.value.status, e.value.code) == (413, "pdf_image_too_large")


def test_a_large_page_is_rendered_within_the_pixel_limit(trust):
    """A3 at 200 dpi is 7.7 MP; a larger page (A1 here) is rendered smaller, its QR code still read."""
    from tests.certificate_pdfs import raw_pdf
    assert check_document(raw_pdf(page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"), LIMITS, trust,
                          Clock()).texts == []


def test_trust_roots_setting_is_split_on_colons_and_commas():
    assert split_paths("/a.pem:/b.pem, /c.pem") == ["/a.pem", "/b.pem", "/c.pem"]
    assert split_paths(None) == [] and split_paths(["/a.pem"]) == ["/a.pem"]


def test_checks_run_side_by_side_and_survive_the_zygote(trust, issuer):
    """Threads of one worker check at once (one child each); a zygote that died is started again."""
    from concurrent.futures import ThreadPoolExecutor

    from backend.services.verification import pdf_zygote
    data = cp.sign(cp.certificate_pdf("http://127.0.0.1:5000/v#side-by-side"), issuer)
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _: check_document(data, LIMITS, trust, Clock()), range(8)))
    assert all(c.texts == ["http://127.0.0.1:5000/v#side-by-side"] and c.document["trusted"] for c in found)
    pdf_zygote._ZYGOTE.proc.kill()
    pdf_zygote._ZYGOTE.proc.wait()
    assert check_document(data, LIMITS, trust, Clock()).document["trusted"]
