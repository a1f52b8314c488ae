"""Issue 11: the QR code of a copy, read back from its PNG by zxing-cpp, which reports the symbol's version.
A typical 二级建造师 copy fits version 11 at level M, the largest realistic one version 13, with a
PUBLIC_BASE_URL of 30 characters; and the text is a URL that opens the app (`/V`, the same page as `/v`)."""
import dataclasses
import io

import pytest
import zxingcpp
from PIL import Image

from backend.crypto import tokens
from backend.qr.encode import qr_png, segments
from backend.services.issuance.copies import certificate_url, issue_copy
from backend.services.verification.qr_text import extract_token
from backend.services.verification.verify import verify_qr
from tests import factories as f

BASE_30 = "https://rcz.jst.jiangsu.gov.cn"
WORST_INDEX = 2**32 - 1                      # the status-list index of the 4 billionth copy: a 5-byte CBOR integer
WORST_NUMBER = "苏1320000001912345"           # a registration number in its 15-digit form (17 characters)


def read(png: bytes) -> tuple[str, int, str]:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text, int(found[0].extra["Version"]), found[0].extra["ECLevel"]


def copy_of(session, svc, settings, *, name, kind, specialties, short_name):
    ent = f.enterprise(session, svc.catalogue)
    ent.short_name = short_name
    reg = f.registration(session, svc.catalogue, svc.clock, p=f.person(session, name=name), ent=ent, kind=kind,
                         specialties=specialties)
    return issue_copy(session, svc.ring, svc.catalogue, settings, svc.clock, reg.registration_number, "test")


SHAPES = {   # label: (copy, the largest version allowed at level M)
    "typical": (dict(name="王建国", kind="JZS2", specialties=("JZ", "SZ"), short_name="示范建设"), 11),
    "largest": (dict(name="欧阳志强", kind="JZS1", specialties=("JZ", "SZ", "JD", "SL"), short_name="江苏省建工集团总"), 13),
}


@pytest.mark.parametrize("label", SHAPES)
def test_qr_version_read_back_from_the_png(session, svc, label):
    assert len(BASE_30) == 30
    shape, limit = SHAPES[label]
    settings = dataclasses.replace(svc.settings, base_url=BASE_30)
    c = copy_of(session, svc, settings, **shape)
    text, version, level = read(c.qr_png)
    assert text == c.qr_text and text.startswith("HTTPS://RCZ.JST.JIANGSU.GOV.CN/V#")
    assert level == "M" and version == c.snapshot["qr_version"] <= limit
    assert [mode for mode, _ in segments(text)] == [2, 4, 2]           # alphanumeric, "#" as a byte, alphanumeric
    assert verify_qr(session, svc.ring, svc.catalogue, settings, svc.clock, text)["verdict"] == "valid"
    # the same copy at the far end of the register: the largest index and registration number there are
    _, claims = tokens.verify(svc.ring, c.token, issuer=settings.issuer)
    worst = certificate_url(BASE_30, tokens.sign_certificate(svc.ring, dict(claims, i=WORST_INDEX, r=WORST_NUMBER)))
    text, version, level = read(qr_png(worst)[0])
    assert text == worst and level == "M" and version <= limit, (label, version)


def test_the_legacy_form_is_much_larger(session, svc):
    """For comparison (bench/qr_size.py prints the figures): the same typical copy as a v1 token in `/v#`."""
    settings = dataclasses.replace(svc.settings, base_url=BASE_30)
    c = copy_of(session, svc, settings, **SHAPES["typical"][0])
    _, claims = tokens.verify(svc.ring, c.token, issuer=settings.issuer)
    legacy = f"{BASE_30}/v#{tokens.sign(svc.ring, {k: v for k, v in claims.items() if k != 'h'})}"
    assert read(qr_png(legacy)[0])[1] >= c.snapshot["qr_version"] + 4
    assert verify_qr(session, svc.ring, svc.catalogue, settings, svc.clock, legacy)["verdict"] == "valid"


@pytest.mark.parametrize("base, prefix_in_qr", [
    ("https://www.jst.gov.cn/jzcx", "HTTPS://WWW.JST.GOV.CN/jzcx/V#"),     # a lower-case prefix is kept as written
    ("https://www.jst.gov.cn/JZCX/", "HTTPS://WWW.JST.GOV.CN/JZCX/V#"),
    ("http://[::1]:8080", "HTTP://[::1]:8080/V#"),
    ("http://localhost:5000", "HTTP://LOCALHOST:5000/V#"),
])
def test_a_base_url_with_a_path_or_a_port(session, svc, base, prefix_in_qr):
    """A path prefix keeps its case (a reverse proxy may match paths by case, while scheme and host never
    matter): a lower-case one goes into a byte segment and costs a few modules, the rest stays alphanumeric."""
    settings = dataclasses.replace(svc.settings, base_url=base)
    c = copy_of(session, svc, settings, **SHAPES["typical"][0])
    assert c.qr_text.startswith(prefix_in_qr)
    text, version, _ = read(c.qr_png)
    assert text == c.qr_text and version <= 11
    assert extract_token(text, base) == (c.token, None)
    assert extract_token(text.replace("/V#", "/v#"), base) == (None, "malformed")     # /v takes a compact token only
    other = "https://www.jst.gov.cn/other" if "jst" in base else "http://127.0.0.2:5000"
    assert extract_token(text.replace(prefix_in_qr[:-3], other.upper()), base)[1] == "foreign_url"
