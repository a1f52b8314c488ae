"""Time to make one certificate PDF and sign it (issue 10, item 5): the A4 page drawn with reportlab (fonts
subset, photo and signature image fitted, QR code as vectors) and the PAdES signature with the seal added by
pyHanko, as GET /api/v1/certificates/<copy>/certificate.pdf does it. Target: median <= 150 ms.

    .venv/bin/python bench/certificate_pdf_bench.py               # 200 copies, each a different holder
    .venv/bin/python bench/certificate_pdf_bench.py --copies 500

Every copy has its own photo (a 900x1200 JPEG, as a phone takes it) and signature image (PNG), so nothing is
served from a cache that a real request would miss; the first PDF (fonts and signer loaded) is reported apart.
Wall-clock and process CPU time are printed: when other processes share the CPUs, the wall clock suffers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_MS = 150.0


def images(i: int) -> tuple[bytes, bytes]:
    from PIL import Image, ImageDraw

    from backend.services.registry.portraits import synthetic_portrait
    photo = Image.open(io.BytesIO(synthetic_portrait(f"bench-{i}", "MF"[i % 2]))).resize((900, 1200))
    jpeg = io.BytesIO()
    photo.save(jpeg, "JPEG", quality=90)
    sig = Image.new("RGBA", (800, 300), (255, 255, 255, 0))
    pts = [(40 + k * 60, 150 + ((k * 37 + i * 11) % 120) - 60) for k in range(12)]
    ImageDraw.Draw(sig).line(pts, fill=(20, 20, 90), width=9, joint="curve")
    png = io.BytesIO()
    sig.save(png, "PNG")
    return jpeg.getvalue(), png.getvalue()


def make_copies(app, n: int) -> list[int]:
    from backend.extensions import db
    from backend.services.checkdigits import id_check_char, uscc_check_char
    from backend.services.issuance.copies import issue_copy
    from backend.services.registry import enterprises, persons, registrations
    e = app.extensions
    ids = []
    with app.app_context():
        first17 = "91320500MA0000001"
        ent = enterprises.create_enterprise(db.session, e["jz.catalogue"], name="苏州基准建设工程有限公司",
                                            uscc=first17 + uscc_check_char(first17), actor="bench")
        for i in range(n):
            birth = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
            body = f"{320505 + i // 400}{birth:%Y%m%d}{(i % 400) * 2 + 11:03d}"
            p = persons.create_person(db.session, name=["欧阳建华", "王伟", "李秀英", "张志强"][i % 4] + "甲乙丙丁"[i // 4 % 4],
                                      id_number=body + id_check_char(body), actor="bench")
            p.photo, p.signature = images(i)
            reg = registrations.create_registration(db.session, e["jz.catalogue"], e["jz.clock"], person_id=p.id,
                                                    enterprise_uscc=ent.uscc, kind_code=("JZS2", "JZS1")[i % 2],
                                                    specialties=[["JZ", "SZ"], ["JZ", "GL", "SL"]][i % 2], actor="bench")
            c = issue_copy(db.session, e["jz.keystore"].get(), e["jz.catalogue"], e["jz.settings"], e["jz.clock"],
                           reg.registration_number, "bench")
            ids.append(c.id)
        db.session.commit()
    return ids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=200)
    args = ap.parse_args()
    from backend import create_app
    from backend.extensions import db
    from backend.models import CertificateCopy
    from backend.services.issuance.certificate_page import SEAL_BOX
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": tmp, "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False})
        ids = make_copies(app, args.copies + 1)
        with app.app_context():
            from backend.api import deps
            maker = deps.certificate_pdfs()
            t = time.perf_counter()
            maker.signed(db.session.get(CertificateCopy, ids[0]))
            cold = (time.perf_counter() - t) * 1000
            page_ms, total_ms, sizes = [], [], []
            cpu0 = time.process_time()
            for i in ids[1:]:
                copy = db.session.get(CertificateCopy, i)
                _ = copy.registration.person.photo, copy.registration.person.signature, copy.qr_png   # loaded first
                t0 = time.perf_counter()
                page = maker.unsigned(copy)
                t1 = time.perf_counter()
                signed = maker.signer.sign(page, SEAL_BOX, reason="签发电子证书 / Certificate issued", location="CN")
                t2 = time.perf_counter()
                page_ms.append((t1 - t0) * 1000)
                total_ms.append((t2 - t0) * 1000)
                sizes.append(len(signed))
            cpu = (time.process_time() - cpu0) * 1000 / len(total_ms)
        q = lambda xs, p: statistics.quantiles(xs, n=100)[p - 1]
        sign_ms = [t - p for t, p in zip(total_ms, page_ms)]
        print(f"certificate PDF, {len(total_ms)} copies (each a different holder, photo and signature image)")
        print(f"  first PDF of the process (fonts, signer, seal loaded): {cold:.0f} ms")
        print(f"  {'':24s} {'median':>8s} {'p90':>8s} {'max':>8s}")
        for label, xs in (("page (reportlab)", page_ms), ("signature (pyHanko)", sign_ms),
                          ("generation + signing", total_ms)):
            print(f"  {label:24s} {statistics.median(xs):6.1f}ms {q(xs, 90):6.1f}ms {max(xs):6.1f}ms")
        print(f"  CPU time per PDF: {cpu:.1f} ms; size median {statistics.median(sizes) / 1024:.0f} KB")
        med = statistics.median(total_ms)
        print(f"  target: median <= {TARGET_MS:.0f} ms -> {'met' if med <= TARGET_MS else 'NOT met'} ({med:.1f} ms)")


if __name__ == "__main__":
    main()
