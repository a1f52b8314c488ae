"""The printable certificate (A4 PDF): holder data, photo, signature image, specialties, QR code,
usage period and the issuer. Chinese text uses reportlab's built-in CID font STSong-Light, so no font
file is needed on the server."""
from __future__ import annotations

import contextlib
import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from backend.models import CertificateCopy
from backend.services.clock import Clock
from backend.services.registry.portraits import synthetic_portrait

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
SEX = {"M": "男", "F": "女"}


def _local(naive_utc: dt.datetime, tz: str = "Asia/Shanghai") -> str:
    return Clock(tz).local(naive_utc).strftime("%Y-%m-%d %H:%M")


def certificate_pdf(copy: CertificateCopy) -> bytes:
    """The copy as printed: the data it was issued with, its QR code (load `qr_png` with it), and the holder's
    photo (a drawn portrait for a demo person) and signature image as they are now."""
    person = copy.registration.person
    photo = person.photo or (synthetic_portrait(person.id_number, person.sex) if person.synthetic else None)
    return render_certificate_pdf(copy.snapshot, identifier=copy.identifier, copy_id=copy.public_id, status=copy.status,
                                  issued_at=copy.issued_at, usage_until=copy.usage_until, qr_png=copy.qr_png,
                                  photo=photo, signature=person.signature)


def render_certificate_pdf(snap: dict, *, identifier: str, copy_id: str, status: str, issued_at: dt.datetime,
                           usage_until: dt.datetime, qr_png: bytes, photo: bytes | None,
                           signature: bytes | None) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(f"{snap['kind_name']}注册证书 {snap['registration_number']}")
    c.setAuthor(snap.get("issuer_name", ""))
    W, H = A4
    c.setStrokeColor(colors.HexColor("#8a1c1c"))
    c.setLineWidth(2)
    c.rect(12 * mm, 12 * mm, W - 24 * mm, H - 24 * mm)
    c.setFont(FONT, 22)
    c.drawCentredString(W / 2, H - 35 * mm, "中华人民共和国")
    c.drawCentredString(W / 2, H - 47 * mm, f"{snap['kind_name']}注册证书")
    c.setFont(FONT, 10)
    c.drawCentredString(W / 2, H - 54 * mm, f"{snap.get('kind_name_en', '')} — electronic certificate")

    if photo:
        try:
            c.drawImage(ImageReader(io.BytesIO(photo)), W - 57 * mm, H - 110 * mm, 35 * mm, 47 * mm,
                        preserveAspectRatio=True, anchor="c")
        except Exception:   # a broken stored image must not stop the certificate
            photo = None
    if not photo:
        c.rect(W - 57 * mm, H - 110 * mm, 35 * mm, 47 * mm)
        c.drawCentredString(W - 39.5 * mm, H - 87 * mm, "照片 / photo")

    rows = [
        ("姓名 Name", snap["name"]), ("性别 Sex", SEX.get(snap["sex"], snap["sex"])),
        ("出生日期 Birth date", snap["birth_date"]), ("身份证件号码 ID number", snap["id_number"]),
        ("聘用企业 Employer", snap["employer"]["name"]), ("统一社会信用代码 USCC", snap["employer"]["uscc"]),
        ("注册编号 Registration No.", snap["registration_number"]), ("执业印章号 Seal No.", snap["seal_number"]),
    ]
    y = H - 70 * mm
    for label, value in rows:
        c.setFont(FONT, 9)
        c.setFillColor(colors.grey)
        c.drawString(22 * mm, y, label)
        c.setFillColor(colors.black)
        c.setFont(FONT, 12)
        c.drawString(72 * mm, y, str(value))
        y -= 9 * mm

    y -= 3 * mm
    c.setFont(FONT, 12)
    c.drawString(22 * mm, y, "注册专业 Specialties                      有效期 Valid")
    y -= 7 * mm
    c.setFont(FONT, 11)
    for s in snap["specialties"]:
        c.drawString(26 * mm, y, s["name"])
        c.drawString(95 * mm, y, f"{s['valid_from']} 至 {s['valid_until']}")
        y -= 7 * mm

    qr_size = 45 * mm
    c.drawImage(ImageReader(io.BytesIO(qr_png)), 22 * mm, 40 * mm, qr_size, qr_size)
    c.setFont(FONT, 9)
    c.drawString(22 * mm, 36 * mm, "扫码核验 / scan to verify")
    c.setFont(FONT, 10)
    info = [f"签发日期 Issued: {_local(issued_at)}", f"使用有效期至 Usage until: {_local(usage_until)}",
            f"电子证照标识: {identifier}", f"证书副本 Copy: {copy_id}", f"发证机关 Issuer: {snap.get('issuer_name', '')}"]
    yy = 80 * mm
    for line in info:
        c.drawString(75 * mm, yy, line)
        yy -= 6 * mm
    c.drawString(75 * mm, 46 * mm, "本人签名 Signature:")
    if signature:
        with contextlib.suppress(Exception):        # likewise a broken signature image
            c.drawImage(ImageReader(io.BytesIO(signature)), 110 * mm, 40 * mm, 50 * mm, 15 * mm,
                        preserveAspectRatio=True, mask="auto")
    c.line(110 * mm, 40 * mm, 170 * mm, 40 * mm)
    c.setFont(FONT, 8)
    c.drawString(22 * mm, 20 * mm, "打印件须本人手写签名,与签名图像笔迹不一致的无效。电子证书超过使用时限无效,请重新下载。")
    c.drawString(22 * mm, 16 * mm, "Printed copies are valid only with the holder's handwritten signature. "
                                   "Past its usage period the copy is invalid: download a new one.")
    if status != "current":
        c.saveState()
        c.setFillColor(colors.red)
        c.setFont(FONT, 60)
        c.translate(W / 2, H / 2)
        c.rotate(35)
        c.drawCentredString(0, 0, "已失效 VOID")
        c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()
