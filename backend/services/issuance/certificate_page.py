"""The certificate page (A4), drawn with reportlab: the fields of the MOHURD e-certificate (建办市〔2021〕40号) in
a bordered table, bilingual labels (Chinese first), photo top right, the QR code (its symbol 33 mm, quiet zone
kept white), the 本人签名 box, and the issuer's name under the place where its seal goes (SEAL_BOX: the visible
signature field pdf_signing.py adds). The content depends on the copy alone, creation date included, so
every download of a copy is the same document up to its signature.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from backend.services.issuance.pdf_fonts import Fonts

# Binary streams, not ASCII85: a third smaller, and encoding ASCII85 in Python took a fifth of the page's time.
# (A process-wide reportlab setting; nothing here needs 7-bit-clean PDF files.)
rl_config.useA85 = 0

W, H = A4
LEFT, RIGHT = 18 * mm, W - 18 * mm
INK, RULE, SHADE, GREY = (colors.HexColor(c) for c in ("#1a1a1a", "#8c8c8c", "#f3ede2", "#6b6b6b"))
FRAME = colors.HexColor("#8a1c1c")
PHOTO = (158 * mm, H - 99 * mm, 34 * mm, 45 * mm)                 # x, y, width, height
ZONE = H - 222 * mm                                              # the top of the QR, signature and issuer zone
SIGNATURE = (64 * mm, ZONE - 40 * mm, 62 * mm, 40 * mm)
SEAL_BOX = (141 * mm, ZONE - 46 * mm, 181 * mm, ZONE - 6 * mm)    # x1, y1, x2, y2: the seal over the issuer's name
QR_SYMBOL = 33 * mm                                              # the symbol without its quiet zone (>= 30 mm)
FOOTER = ("打印件须经持证人手写签名,且与本证书上的本人签名图像一致方为有效;电子证书与打印件不一致的,以电子证书为准。"
          "本证书超过使用有效期的,请重新下载。",
          "A printed copy is valid only with the holder's handwritten signature matching the signature image on this "
          "certificate; where a printed copy and the electronic certificate differ, the electronic certificate prevails. "
          "Past its usage period, download a new copy.")


@dataclass(frozen=True)
class Page:
    """What the page shows, in display form (dates already local)."""
    title: tuple[str, str]
    subtitle: str
    rows_beside_photo: list[tuple[str, str, str]]      # (label zh, label en, value)
    rows: list[tuple[str, str, str]]
    specialty_label: tuple[str, str]
    specialties: list[tuple[str, str, str]]            # (name, valid from, valid until)
    copy_rows: list[tuple[str, str, str]]
    qr_modules: list[list[bool]]
    photo: bytes | None                                # JPEG sized for its box
    signature: bytes | None                            # PNG sized for its box
    issuer_name: str
    issuer_name_en: str
    issue_date: str
    void: bool
    meta: dict                                         # title, author, subject, created (D:YYYYMMDDHHmmSS+08'00')


def _text(c, fonts: Fonts, x, y, text, size, *, color=INK, anchor="start", bold=False):
    c.setFillColor(color)
    c.setStrokeColor(color)
    fonts.draw(c, x, y, text, size, anchor=anchor, bold=bold)


def _cell_label(c, fonts, x, y, w, h, zh, en):
    c.setFillColor(SHADE)
    c.rect(x, y, w, h, stroke=1, fill=1)
    if en:
        _text(c, fonts, x + 2 * mm, y + h / 2 + 0.6 * mm, zh, 9, bold=True)
        _text(c, fonts, x + 2 * mm, y + h / 2 - 3.2 * mm, en, fonts.fit(en, 6.5, w - 3 * mm, 5), color=GREY)
    else:
        _text(c, fonts, x + 2 * mm, y + h / 2 - 1.2 * mm, zh, 9, bold=True)


def _rows(c, fonts, top, rows, right, row_h=9 * mm, label_w=40 * mm, size=11):
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    for i, (zh, en, value) in enumerate(rows):
        y = top - (i + 1) * row_h
        _cell_label(c, fonts, LEFT, y, label_w, row_h, zh, en)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.rect(LEFT + label_w, y, right - LEFT - label_w, row_h, stroke=1, fill=0)
        width = right - LEFT - label_w - 4 * mm
        fs = fonts.fit(value, size, width, 7.5)
        if fonts.width(value, fs) <= width + 0.01:
            _text(c, fonts, LEFT + label_w + 2 * mm, y + row_h / 2 - fs * 0.36, value, fs)
        else:                                   # too long even at 7.5 pt (an identifier): two lines
            lines = fonts.wrap(value, 7.5, width)[:2]
            for j, line in enumerate(lines):
                _text(c, fonts, LEFT + label_w + 2 * mm, y + row_h / 2 + (0.5 - j) * 3.4 * mm - 1 * mm, line, 7.5)
    return top - len(rows) * row_h


def _specialties(c, fonts, top, label, rows, room):
    """The specialties' table in at most `room` (points) below `top`: one column group, or two side by side for
    more than five (一级 has ten); rows 8 mm high, lower when they must."""
    groups = 1 if len(rows) <= 5 else 2
    per = -(-len(rows) // groups)
    width = (RIGHT - LEFT) / groups
    cols = [LEFT + g * width + f * width for g in range(groups) for f in (0, 0.53, 0.765)]
    heads = [label, ("有效期自", "Valid from"), ("有效期至", "Valid until")] * groups
    row_h = min(8 * mm, (room - 8 * mm) / max(per, 1))
    size = min(10.5, row_h / mm * 2.1)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.setFillColor(SHADE)
    c.rect(LEFT, top - 8 * mm, RIGHT - LEFT, 8 * mm, stroke=1, fill=1)
    for i, (x, (zh, en)) in enumerate(zip(cols, heads)):
        _text(c, fonts, x + 2 * mm, top - 5.2 * mm, zh, 9, bold=True)
        room_en = (cols[i + 1] if i + 1 < len(cols) else RIGHT) - x - fonts.width(zh, 9) - 5 * mm
        if fonts.width(en, 5) <= room_en:
            _text(c, fonts, x + 3.5 * mm + fonts.width(zh, 9), top - 5.2 * mm, en, fonts.fit(en, 6.5, room_en),
                  color=GREY)
    bottom = top - 8 * mm - per * row_h
    for r in range(per):
        c.setStrokeColor(RULE)
        c.rect(LEFT, top - 8 * mm - (r + 1) * row_h, RIGHT - LEFT, row_h, stroke=1, fill=0)
    for i, values in enumerate(rows):
        x0, y = i // per * 3, top - 8 * mm - (i % per + 1) * row_h
        for j, value in enumerate(values):
            w = (cols[x0 + j + 1] if x0 + j + 1 < len(cols) else RIGHT) - cols[x0 + j] - 3 * mm
            _text(c, fonts, cols[x0 + j] + 2 * mm, y + row_h / 2 - size * 0.36, value, fonts.fit(value, size, w))
    c.setStrokeColor(RULE)
    for x in cols[1:]:
        c.line(x, top, x, bottom)
    return bottom


def _qr(c, modules, x, y):
    """Vector modules (sharp at any printer resolution), written as one path in module units. (x, y): the lower
    left of the quiet zone."""
    n = len(modules)
    m = QR_SYMBOL / (n - 8)
    c.setFillColor(colors.white)
    c.rect(x, y, n * m, n * m, stroke=0, fill=1)
    ops = []
    for r, row in enumerate(modules):
        col = 0
        while col < n:
            if row[col]:
                end = col
                while end < n and row[end]:
                    end += 1
                ops.append(f"{col} {n - 1 - r} {end - col} 1 re")
                col = end
            else:
                col += 1
    c.saveState()
    c.translate(x, y)
    c.scale(m, m)
    c.setFillColor(colors.black)
    c.addLiteral("\n".join(ops) + "\nf")
    c.restoreState()
    return n * m


def _bottom(c, fonts: Fonts, page: Page):
    size = _qr(c, page.qr_modules, LEFT, ZONE - QR_SYMBOL - 8 * (QR_SYMBOL / (len(page.qr_modules) - 8)))
    _text(c, fonts, LEFT + size / 2, ZONE - size - 4 * mm, "扫码核验 Scan to verify", 8, anchor="middle", color=GREY)
    x, y, w, h = SIGNATURE
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.rect(x, y, w, h, stroke=1, fill=0)
    _text(c, fonts, x + 2 * mm, y + h - 5 * mm, "本人签名", 9, bold=True)
    _text(c, fonts, x + 2 * mm + fonts.width("本人签名", 9) + 1.5 * mm, y + h - 5 * mm, "Holder's signature", 6.5,
          color=GREY)
    if page.signature:
        c.drawImage(ImageReader(io.BytesIO(page.signature)), x + 3 * mm, y + 3 * mm, w - 6 * mm, h - 11 * mm,
                    preserveAspectRatio=True, anchor="c", mask="auto")
    else:
        _text(c, fonts, x + w / 2, y + h / 2 - 1 * mm, "未留存签名图像", 10, anchor="middle", color=GREY)
        _text(c, fonts, x + w / 2, y + h / 2 - 5.5 * mm, "No signature image on file", 7.5, anchor="middle", color=GREY)
    cx = (SEAL_BOX[0] + SEAL_BOX[2]) / 2
    _text(c, fonts, cx, ZONE - 1 * mm, "发证机关 Issuing authority", 8, anchor="middle", color=GREY)
    _text(c, fonts, cx, ZONE - 27 * mm, page.issuer_name, fonts.fit(page.issuer_name, 13, 60 * mm), anchor="middle",
          bold=True)
    _text(c, fonts, cx, ZONE - 4.5 * mm, page.issuer_name_en, fonts.fit(page.issuer_name_en, 7, 60 * mm),
          anchor="middle", color=GREY)
    _text(c, fonts, cx, ZONE - 35 * mm, page.issue_date, 10, anchor="middle")


def _frame_and_header(c, fonts: Fonts, page: Page):
    c.setStrokeColor(FRAME)
    c.setLineWidth(1.8)
    c.rect(8 * mm, 8 * mm, W - 16 * mm, H - 16 * mm)
    c.setLineWidth(0.6)
    c.rect(10.5 * mm, 10.5 * mm, W - 21 * mm, H - 21 * mm)
    _text(c, fonts, W / 2, H - 24 * mm, "中华人民共和国", 14, anchor="middle", bold=True)
    _text(c, fonts, W / 2, H - 35 * mm, page.title[0], 22, anchor="middle", bold=True)
    _text(c, fonts, W / 2, H - 41.5 * mm, page.title[1], 9.5, anchor="middle", color=GREY)
    _text(c, fonts, W / 2, H - 47 * mm, page.subtitle, 8.5, anchor="middle", color=FRAME)


def draw_page(page: Page, fonts: Fonts) -> bytes:
    """The unsigned PDF."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, initialFontName=fonts.main, initialFontSize=10)
    c.setTitle(page.meta["title"])
    c.setAuthor(page.meta["author"])
    c.setSubject(page.meta["subject"])
    c.setCreator("建证 Jianzheng")
    c.setDateFormatter(lambda *_: page.meta["created"])        # the copy's issue time, not the download's
    _frame_and_header(c, fonts, page)
    top = _rows(c, fonts, H - 54 * mm, page.rows_beside_photo, PHOTO[0] - 5 * mm)
    x, y, w, h = PHOTO
    c.setStrokeColor(RULE)
    c.rect(x, y, w, h, stroke=1, fill=0)
    if page.photo:
        c.drawImage(ImageReader(io.BytesIO(page.photo)), x, y, w, h)
    else:
        _text(c, fonts, x + w / 2, y + h / 2, "照片 Photo", 9, anchor="middle", color=GREY)
    top = _rows(c, fonts, min(top, y), page.rows, RIGHT)
    room = top - 8 * mm - len(page.copy_rows) * 8 * mm - (ZONE + 4 * mm)     # above the QR and seal zone
    top = _specialties(c, fonts, top - 4 * mm, page.specialty_label, page.specialties, room)
    _rows(c, fonts, top - 4 * mm, page.copy_rows, RIGHT, row_h=8 * mm, size=10)
    _bottom(c, fonts, page)
    y = 24 * mm
    for line in fonts.wrap(FOOTER[0], 7.2, RIGHT - LEFT) + fonts.wrap(FOOTER[1], 6.6, RIGHT - LEFT):
        _text(c, fonts, LEFT, y, line, 7.2 if ord(line[0]) > 0x2E7F else 6.6, color=GREY)
        y -= 3.1 * mm
    if page.void:
        c.saveState()
        c.setFillColor(colors.red)
        c.setFillAlpha(0.25)
        c.translate(W / 2, H / 2)
        c.rotate(35)
        fonts.draw(c, 0, 0, "已失效 VOID", 60, anchor="middle")
        c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()
