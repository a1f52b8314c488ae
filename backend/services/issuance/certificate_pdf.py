"""The printable certificate of a copy: an A4 PDF with every field of the MOHURD e-certificate, signed by the
issuing authority (PAdES, its seal as the visible signature). Made on request from the copy's stored data, so
the holder, the employer and the authority get the same document; the photo and signature image are the
holder's as they are now. certificate_page.py draws it, pdf_signing.py signs it.
"""
from __future__ import annotations

import datetime as dt
import io
import threading
from functools import lru_cache

from PIL import Image, ImageOps

from backend.models import CertificateCopy, CopyStatus
from backend.qr.encode import png_modules, qr_modules
from backend.services.clock import Clock
from backend.services.issuance.certificate_page import PHOTO, SEAL_BOX, SIGNATURE, Page, draw_page
from backend.services.issuance.pdf_fonts import Fonts
from backend.services.issuance.pdf_signing import SealSigner
from backend.services.issuance.signing_settings import PdfSigningSettings
from backend.services.kinds import Catalogue
from backend.services.registry.portraits import synthetic_portrait

SEX = {"M": "男 Male", "F": "女 Female"}
ID_TYPES = {"ID": "居民身份证 Resident identity card"}
TITLES = {"safety": ("安全生产考核合格证书", "Certificate of Safety Production Assessment"),
          "special": ("建筑施工特种作业操作资格证书", "Certificate of Qualification for Special Operations in Construction")}
LEVELS = {"1": ("一", "I"), "2": ("二", "II")}
ELECTRONIC = "电子证书 Electronic certificate"


@lru_cache(maxsize=64)
def _fitted(data: bytes, box_w: float, box_h: float, crop: bool) -> bytes | None:
    """The image for a box of box_w x box_h points: a photo cropped to fill it (JPEG, 300 dpi), a signature image
    kept whole (PNG, transparency kept; 200 dpi, plenty for pen strokes, and its planes are compressed on every
    page). None for bytes that are no image: the box then says so."""
    dpi = 300 if crop else 200
    try:
        size = (round(box_w / 72 * dpi), round(box_h / 72 * dpi))
        im = Image.open(io.BytesIO(data))
        im.draft("RGB", size)          # a JPEG decoded at 1/2, 1/4 or 1/8 scale when that is enough
        im = ImageOps.exif_transpose(im)
        buf = io.BytesIO()
        if crop:
            ImageOps.fit(im.convert("RGB"), size, Image.LANCZOS).save(buf, "JPEG", quality=88)
        else:
            im = im.convert("RGBA")
            im.thumbnail(size, Image.LANCZOS)
            im.save(buf, "PNG", compress_level=1)       # decoded again by reportlab at once: no use packing it
        return buf.getvalue()
    except Exception:   # a broken stored image must not stop the certificate (Pillow raises many kinds)
        return None


def _pdf_date(t: dt.datetime) -> str:
    minutes = int(t.utcoffset().total_seconds() // 60)
    hh, mm = divmod(abs(minutes), 60)
    return f"D:{t:%Y%m%d%H%M%S}{'+' if minutes >= 0 else '-'}{hh:02d}'{mm:02d}'"


def _titles(snap: dict, family: str | None) -> tuple[tuple[str, str], str]:
    kind_line = f"{snap['kind_name']} {snap.get('kind_name_en', '')}".strip()
    if family in TITLES:
        return TITLES[family], kind_line
    if family == "constructor" and snap.get("level") in LEVELS:
        zh, en = LEVELS[snap["level"]]
        return (f"{zh}级建造师注册证书", f"Registration Certificate of Constructor, Grade {en}"), ELECTRONIC
    return (f"{snap['kind_name']}注册证书", f"Registration Certificate: {snap.get('kind_name_en', '')}"), ELECTRONIC


def page_of(snap: dict, *, family: str | None, identifier: str, copy_id: str, version: int, status: str,
            issued_at: dt.datetime, usage_from: dt.datetime, usage_until: dt.datetime, qr: list[list[bool]],
            photo: bytes | None, signature: bytes | None, clock: Clock) -> Page:
    """What the page shows for a copy (times are naive UTC, as stored; `qr` the modules of its QR code)."""
    local = lambda t: clock.local(t).strftime("%Y-%m-%d %H:%M")
    issued = clock.local(issued_at)
    registered = family not in TITLES
    title, subtitle = _titles(snap, family)
    number = ("注册编号", "Registration No.") if registered else ("证书编号", "Certificate No.")
    rows = [("聘用企业", "Employer", snap["employer"]["name"]),
            ("统一社会信用代码", "Unified social credit code", snap["employer"]["uscc"]), (*number, snap["registration_number"])]
    if registered:
        rows.append(("执业印章号", "Practice seal No.", snap["seal_number"]))
    label = {"safety": ("人员类别", "Category"), "special": ("操作类别", "Operation")}.get(family, ("注册专业", "Specialty"))
    return Page(
        title=title, subtitle=subtitle,
        rows_beside_photo=[("姓名", "Name", snap["name"]), ("性别", "Sex", SEX.get(snap["sex"], snap["sex"])),
                           ("出生日期", "Date of birth", snap["birth_date"]),
                           ("证件类型", "ID type", ID_TYPES.get(snap["id_type"], snap["id_type"])),
                           ("证件号码", "ID number", snap["id_number"])],
        rows=rows, specialty_label=label,
        specialties=[(s["name"], s["valid_from"], s["valid_until"]) for s in snap["specialties"]],
        copy_rows=[("签发日期", "Issue date", f"{local(issued_at)} (UTC{issued.isoformat()[-6:]})"),
                   ("使用有效期", "Usage period", f"{local(usage_from)} 至 {local(usage_until)}"),
                   ("电子证照标识", "Licence identifier", identifier),
                   ("证书副本", "Copy", f"{copy_id} · 第 {version} 版 / version {version}")],
        qr_modules=qr,
        photo=_fitted(photo, PHOTO[2], PHOTO[3], True) if photo else None,
        signature=_fitted(signature, SIGNATURE[2], SIGNATURE[3] - 40, False) if signature else None,
        issuer_name=snap.get("issuer_name", ""), issuer_name_en=snap.get("issuer_name_en", ""),
        issue_date=f"{issued.year}年{issued.month}月{issued.day}日", void=status != CopyStatus.CURRENT,
        meta={"title": f"{title[0]} {snap['name']} {snap['registration_number']}", "author": snap.get("issuer_name", ""),
              "subject": f"电子证照标识 {identifier}",
              "created": _pdf_date(issued)})


def _modules(copy: CertificateCopy) -> list[list[bool]]:
    """The stored QR image's modules: the very symbol of qr.png (made again from the text only without one)."""
    try:
        return png_modules(copy.qr_png)
    except Exception:    # no stored image, or not one qr_png made
        return qr_modules(copy.qr_text)


class CertificatePdfs:
    """Makes the signed certificate PDFs; one per app: the fonts and the signer are loaded once per process."""

    def __init__(self, settings: PdfSigningSettings, catalogue: Catalogue, clock: Clock):
        self.settings, self.catalogue, self.clock = settings, catalogue, clock
        self.signer = SealSigner(settings)
        self._fonts: Fonts | None = None
        self._lock = threading.Lock()

    @property
    def fonts(self) -> Fonts:
        with self._lock:
            if self._fonts is None:
                self._fonts = Fonts(self.settings.fonts)
            return self._fonts

    def unsigned(self, copy: CertificateCopy) -> bytes:
        person = copy.registration.person
        photo = person.photo or (synthetic_portrait(person.id_number, person.sex) if person.synthetic else None)
        snap = copy.snapshot
        kind = self.catalogue.kind(snap["kind"])
        page = page_of(snap, family=kind.family if kind else None, identifier=copy.identifier, copy_id=copy.public_id,
                       version=copy.version, status=copy.status, issued_at=copy.issued_at, usage_from=copy.usage_from,
                       usage_until=copy.usage_until, qr=_modules(copy), photo=photo, signature=person.signature,
                       clock=self.clock)
        return draw_page(page, self.fonts)

    def signed(self, copy: CertificateCopy) -> bytes:
        return self.signer.sign(self.unsigned(copy), SEAL_BOX, reason="签发电子证书 / Certificate issued",
                                location=copy.snapshot.get("issuer_name") or "CN")
