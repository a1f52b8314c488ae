"""An inspection record as files for its inspector: a CSV (one line per certificate, UTF-8 with BOM so that Excel
reads the Chinese) and an A4 PDF drawn with reportlab and the certificate's CJK fonts (issuance/pdf_fonts.py):
the site, the inspector and organisation, the summary, a table of the people with their role, verdicts and what
is missing, and the record's own QR code, its link `{PUBLIC_BASE_URL}/i#<token>`, which verifies the record later.
The PDF is signed as the certificate PDF is (issuance/pdf_signing.py: PAdES, certified, the authority's seal as the
visible signature, stamped over the issuer's name on page 1), so that a PDF reader shows who issued it and that
nothing was changed since.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from backend.models import Inspection
from backend.qr.encode import qr_modules
from backend.services.clock import Clock, iso_utc
from backend.services.issuance.pdf_fonts import Fonts
from backend.services.issuance.pdf_signing import SealSigner
from backend.services.kinds import Catalogue
from backend.services.settings import IssuerSettings
from backend.services.sitecheck.evaluate import FLAGS, INFO
from backend.services.sitecheck.record_token import link
from backend.services.verification.verdicts import VERDICT_TEXT

W, H = A4
LEFT, RIGHT = 15 * mm, W - 15 * mm
INK, GREY, RULE, SHADE = (colors.HexColor(c) for c in ("#1a1a1a", "#6b6b6b", "#8c8c8c", "#f3ede2"))
BAD, GOOD = colors.HexColor("#a61b1b"), colors.HexColor("#1d6b34")
QR_SIZE = 46 * mm
SEAL = 30 * mm          # the seal's box: a square over the issuer's name in the 记录签发 row, and below it
SCALE = {"small": "小型 Small", "medium": "中型 Medium", "large": "大型 Large"}
VERDICT_WORD = {"valid": "有效", "expired": "已过使用期", "lapsed": "已失效", "superseded": "已被替代", "suspended": "已暂扣",
                "revoked": "已注销/吊销", "not_found": "查无此证", "invalid": "无效", "unknown": "无法确认"}
CSV_HEAD = ["记录编号 Record", "工地 Site", "序号 No.", "岗位 Role", "岗位代码 Role code", "符合岗位要求 Role met",
            "问题 Flags", "姓名 Name", "证书类别 Kind", "注册编号 Registration No.", "电子证书编号 Copy",
            "核验结论 Verdict", "聘用单位 Employer", "单位信用代码 Employer USCC", "专业及状态 Specialties",
            "核验时间 Checked at"]


def _safe(v):
    """A cell a spreadsheet would read as a formula is kept as text."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return "" if v is None else v


def _flag_words(flags: list[str]) -> str:
    return ";".join(FLAGS[f][0] for f in flags if f in FLAGS)


def _local(clock: Clock, iso: str | None) -> str:
    if not iso:
        return ""
    t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).replace(tzinfo=None)
    return clock.local(t).strftime("%Y-%m-%d %H:%M")


def record_csv(row: Inspection, clock: Clock, catalogue: Catalogue) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_HEAD)
    for p in row.people:
        for c in p["certificates"]:
            cert = c.get("certificate") or {}
            specs = ";".join(f"{s['code']} {s.get('name', '')} {s['status']}" for s in c.get("specialties") or [])
            w.writerow([_safe(v) for v in (
                row.public_id, row.site.get("name"), p["index"] + 1, p["role_name"], p["role"],
                "是 yes" if p["met"] else "否 no", _flag_words(p["flags"]), cert.get("name"),
                cert.get("kind_name"), cert.get("registration_number"), cert.get("copy_id"),
                f"{VERDICT_WORD.get(c['verdict'], c['verdict'])} {c['verdict']}", (cert.get("employer") or {}).get("name"),
                (cert.get("employer") or {}).get("uscc"), specs, _local(clock, c.get("checked_at")))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class _Pdf:
    def __init__(self, fonts: Fonts, title: str):
        self.fonts = fonts
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1, initialFontName=fonts.main)
        self.c.setTitle(title)
        self.c.setCreator("建证 Jianzheng")
        self.page = 1
        self.y = H - 20 * mm

    def text(self, x, y, s, size, *, color=INK, anchor="start", bold=False):
        self.c.setFillColor(color)
        self.c.setStrokeColor(color)
        self.fonts.draw(self.c, x, y, s, size, anchor=anchor, bold=bold)

    def need(self, height):
        if self.y - height < 18 * mm:
            self.footer()
            self.c.showPage()
            self.page += 1
            self.y = H - 18 * mm

    def footer(self):
        self.text(W / 2, 10 * mm, f"第 {self.page} 页 / Page {self.page}", 7.5, color=GREY, anchor="middle")

    def lines(self, x, width, s, size, *, color=INK, bold=False, gap=1.35):
        for line in self.fonts.wrap(s, size, width) or [""]:
            self.need(size * gap)
            self.y -= size * gap
            self.text(x, self.y, line, size, color=color, bold=bold)


def _qr(c, modules, x, y, size):
    n = len(modules)
    m = size / n
    c.setFillColor(colors.white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(colors.black)
    for r, row in enumerate(modules):
        col = 0
        while col < n:
            if row[col]:
                end = col
                while end < n and row[end]:
                    end += 1
                c.rect(x + col * m, y + (n - 1 - r) * m, (end - col) * m, m, stroke=0, fill=1)
                col = end
            else:
                col += 1


def _header(pdf: _Pdf, row: Inspection, settings: IssuerSettings, clock: Clock,
            catalogue: Catalogue) -> tuple[float, float, float, float]:
    """The page's head; returns the seal's box (x1, y1, x2, y2), centred on the issuer's name as drawn."""
    c = pdf.c
    pdf.text(W / 2, H - 20 * mm, "施工现场人员持证核查记录", 18, anchor="middle", bold=True)
    pdf.text(W / 2, H - 26 * mm, "Site inspection record: certificates of the people on site", 9, anchor="middle",
             color=GREY)
    site = row.site
    spec = next((k.specialty(site.get("specialty")) for k in catalogue.kinds.values()
                 if k.family == "constructor" and k.specialty(site.get("specialty") or "")), None)
    gps = site.get("gps")
    rows = [("记录编号", "Record", row.public_id),
            ("工地名称", "Site", site.get("name") or ""),
            ("工程专业", "Specialty", f"{spec.name} {spec.name_en}" if spec else site.get("specialty") or ""),
            ("工程规模", "Size", SCALE.get(site.get("scale"), "未填写 not given")),
            ("施工单位信用代码", "Contractor", site.get("contractor_uscc") or ""),
            ("位置", "GPS", f"{gps['lat']:.6f}, {gps['lon']:.6f} (±{gps.get('accuracy_m') or '?'} m)" if gps else "—"),
            ("检查时间", "Time", f"{_local(clock, iso_utc(row.started_at))} — {_local(clock, iso_utc(row.finished_at)) or '…'}"),
            ("检查人员", "Inspector", f"{row.inspector}" + (f"({row.organisation})" if row.organisation else "")),
            ("记录签发", "Signed", f"{_local(clock, iso_utc(row.created_at))} · {settings.issuer_name}")]
    top = H - 33 * mm
    label_w, row_h, right = 38 * mm, 7.5 * mm, RIGHT - QR_SIZE - 6 * mm
    c.setLineWidth(0.5)
    for i, (zh, en, value) in enumerate(rows):
        y = top - (i + 1) * row_h
        c.setStrokeColor(RULE)
        c.setFillColor(SHADE)
        c.rect(LEFT, y, label_w, row_h, stroke=1, fill=1)
        c.rect(LEFT + label_w, y, right - LEFT - label_w, row_h, stroke=1, fill=0)
        pdf.text(LEFT + 2 * mm, y + 2.6 * mm, zh, 8.5, bold=True)
        pdf.text(LEFT + 3 * mm + pdf.fonts.width(zh, 8.5), y + 2.6 * mm, en, 6.5, color=GREY)
        width = right - LEFT - label_w - 4 * mm
        size = pdf.fonts.fit(value, 9.5, width, 6)
        pdf.text(LEFT + label_w + 2 * mm, y + 2.6 * mm, value, size)
        if en == "Signed":          # the last row: the seal lies over the issuer's name, as on paper
            end = LEFT + label_w + 2 * mm + pdf.fonts.width(value, size)
            cx = end - pdf.fonts.width(settings.issuer_name, size) / 2
            cx = min(max(cx, LEFT + label_w + SEAL / 2), right - SEAL / 2)
            seal = (cx - SEAL / 2, y + row_h - SEAL - 1 * mm, cx + SEAL / 2, y + row_h - 1 * mm)
    qx, qy = RIGHT - QR_SIZE, top - QR_SIZE - 2 * mm
    _qr(c, qr_modules(link(settings, row.token)), qx, qy, QR_SIZE)
    pdf.text(qx + QR_SIZE / 2, qy - 4 * mm, "扫码核验本记录", 8, anchor="middle")
    pdf.text(qx + QR_SIZE / 2, qy - 7.5 * mm, "Scan to verify this record", 7, anchor="middle", color=GREY)
    s = row.summary
    pdf.y = min(top - len(rows) * row_h - 4 * mm, qy - 13 * mm, seal[1])   # the summary below the seal
    flags = ";".join(f"{FLAGS[f][0]} {n} 人" for f, n in s.get("flags", {}).items() if f in FLAGS and f not in INFO)
    pdf.lines(LEFT, RIGHT - LEFT, f"共 {s['people']} 人、{s['certificates']} 张证书;{s['met']} 人符合岗位要求,"
              f"{s['people'] - s['met']} 人不符合。" + (f"问题:{flags}。" if flags else ""), 10.5, bold=True)
    pdf.lines(LEFT, RIGHT - LEFT, f"{s['people']} people, {s['certificates']} certificates: {s['met']} meet their "
              f"role, {s['people'] - s['met']} do not.", 8.5, color=GREY)
    return seal


def _person(pdf: _Pdf, p: dict):
    pdf.need(30 * mm)
    pdf.y -= 4 * mm
    pdf.c.setStrokeColor(RULE)
    pdf.c.line(LEFT, pdf.y, RIGHT, pdf.y)
    word, tone = ("符合 Meets the role", GOOD) if p["met"] else ("不符合 Does not meet the role", BAD)
    pdf.y -= 5.5 * mm
    head = f"{p['index'] + 1}. {p['role_name']} {p['role_name_en']} · {p.get('holder') or '姓名不明 name unknown'}"
    pdf.text(LEFT, pdf.y, head, 11, bold=True)
    pdf.text(RIGHT, pdf.y, word, 10, color=tone, anchor="end", bold=True)
    for c in p["certificates"]:
        cert = c.get("certificate") or {}
        what = " ".join(x for x in (cert.get("kind_name"), cert.get("registration_number")) if x) or "不可识别的二维码"
        employer = (cert.get("employer") or {}).get("name")
        verdict = f"{VERDICT_WORD.get(c['verdict'], c['verdict'])} / {VERDICT_TEXT.get(c['verdict'], ('', c['verdict']))[1]}"
        pdf.lines(LEFT + 4 * mm, RIGHT - LEFT - 4 * mm, f"证书 {what}" + (f" · {employer}" if employer else "")
                  + f" — {verdict}", 9, color=BAD if c["verdict"] != "valid" else INK)
    for r in p["requirements"]:
        mark = "✓" if r["met"] else "✗"
        why = ";".join(x["message"] for x in r["reasons"])
        pdf.lines(LEFT + 4 * mm, RIGHT - LEFT - 4 * mm, f"{mark} {r['name']}" + (f":{why}" if why else ""), 9,
                  color=INK if r["met"] else BAD)
    for x in p.get("reasons", []):
        pdf.lines(LEFT + 4 * mm, RIGHT - LEFT - 4 * mm, f"✗ {x['message']} / {x['message_en']}", 9, color=BAD)


def record_pdf(row: Inspection, settings: IssuerSettings, clock: Clock, catalogue: Catalogue, fonts: Fonts,
               signer: SealSigner | None = None) -> bytes:
    """The record as A4 PDF; signed by `signer` (the authority's PDF signing identity and seal) when given."""
    pdf = _Pdf(fonts, f"现场检查记录 {row.public_id}")
    seal = _header(pdf, row, settings, clock, catalogue)
    for p in row.people:
        _person(pdf, p)
    pdf.need(14 * mm)
    pdf.y -= 6 * mm
    pdf.lines(LEFT, RIGHT - LEFT, "本记录由签发机关以电子签名(ES256)签署;扫描二维码,或在 POST /api/v1/inspections/verify "
              "提交记录链接即可核验,内容被改动的记录不能通过核验。各证书的结论为记录签发时服务器的核验结果。", 7.5, color=GREY)
    pdf.lines(LEFT, RIGHT - LEFT, "The issuer signs this record (ES256): scan its QR code, or send its link to POST "
              "/api/v1/inspections/verify; an altered record does not verify. Each verdict is the server's at the "
              "time the record was signed.", 7, color=GREY)
    pdf.footer()
    pdf.c.showPage()
    pdf.c.save()
    if signer is None:
        return pdf.buf.getvalue()
    return signer.sign(pdf.buf.getvalue(), seal, reason="签发现场检查记录 / Inspection record issued",
                       location=settings.issuer_name or "CN")
