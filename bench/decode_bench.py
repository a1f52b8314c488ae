"""Benchmark of the photo QR decoder: success rate and time, per decoder and for the cascade.

    python bench/decode_bench.py

(a) the 179 real photos of the ZXing QR blackbox sets (/work/shared/qr-samples/zxing/qrcode-1..6);
(b) synthetic phone photos of printed certificates (bench/out/cert-photos, generated if missing).

Success = one decoded text equals N.txt exactly (read as UTF-8 bytes, so \\r\\n survive).
Times include loading the image bytes (load_image) and are measured on one thread,
one photo after another; OpenCV is limited to one thread too, as in a busy server.
Wall-clock times suffer when other processes share the CPUs, so the CPU time the
process spent is printed as well: on an idle machine the two agree.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from importlib.metadata import version
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import cv2  # noqa: E402
from PIL import Image  # noqa: E402

from backend.qr import decode  # noqa: E402

SAMPLES = REPO.parent / "shared" / "qr-samples" / "zxing"
CERT_DIR = REPO / "bench" / "out" / "cert-photos"
NO_LIMIT = decode._Deadline(None)

# Each single decoder is run on the loaded grayscale image without the cascade around it.
DECODERS = {
    "cascade (decode_image_bytes)": None,
    "zxing-cpp only": decode._zxing,
    "pyzbar only": decode._pyzbar,
    "pyzbar + preprocessing": lambda g: decode._pyzbar_stage(g, NO_LIMIT),
    "OpenCV only": decode._opencv,
}


def as_accepted_bytes(path: Path) -> bytes:
    """The API takes JPEG/PNG/WebP only: re-encode GIF samples as PNG, in memory."""
    data = path.read_bytes()
    if data[:4] == b"GIF8":
        buf = BytesIO()
        Image.open(BytesIO(data)).save(buf, "PNG")
        data = buf.getvalue()
    return data


def real_samples() -> list[tuple[str, bytes, str]]:
    out = []
    for d in sorted(SAMPLES.glob("qrcode-*")):
        for txt in sorted(d.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)):
            if txt.name.endswith(".metadata.txt"):
                continue
            images = [p for ext in ("png", "jpg", "jpeg", "gif") for p in [txt.with_suffix("." + ext)] if p.exists()]
            if images:
                out.append((f"{d.name}/{images[0].name}", as_accepted_bytes(images[0]),
                            txt.read_bytes().decode("utf-8")))
    return out


def cert_samples() -> list[tuple[str, bytes, str]]:
    if not any(CERT_DIR.glob("*.jpg")):
        from make_cert_photos import generate  # same directory

        print(f"generating synthetic certificate photos into {CERT_DIR} ...", flush=True)
        generate(CERT_DIR)
    return [(p.name, p.read_bytes(), p.with_suffix(".txt").read_bytes().decode("utf-8"))
            for p in sorted(CERT_DIR.glob("*.jpg"))]


def run(decoder, samples):
    """[(name, ok, wall ms, cpu ms)] for one decoder over the samples."""
    rows = []
    for name, data, expected in samples:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            texts = decode.decode_image_bytes(data) if decoder is None else decoder(decode.load_image(data))
        except decode.ImageRejected as exc:
            texts = [f"<rejected {exc.code}>"]
        rows.append((name, expected in texts, (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    return rows


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def line(label, rows, extra=""):
    ms = [r[2] for r in rows]
    ok = sum(r[1] for r in rows)
    print(f"  {label:<30} {ok:>4}/{len(rows):<4} {100 * ok / len(rows):6.1f}%  "
          f"{statistics.median(ms):8.1f} {pct(ms, 0.9):8.1f} {max(ms):8.1f} "
          f"{statistics.median(r[3] for r in rows):8.1f}{extra}")


def header(title, extra=("", "")):
    print(f"\n{title}")
    print(f"  {'decoder':<30} {'success':>9} {'rate':>7}  {'median':>8} {'p90':>8} {'max':>8} {'median':>8}{extra[0]}")
    print(f"  {'':<30} {'':>9} {'':>7}  {'wall ms':>8} {'wall ms':>8} {'wall ms':>8} {'cpu ms':>8}{extra[1]}")


def main() -> None:
    cv2.setNumThreads(1)
    started = time.perf_counter()
    print(f"python {sys.version.split()[0]}, zxing-cpp {version('zxing-cpp')}, "
          f"OpenCV {cv2.__version__}, {os.cpu_count()} CPUs (benchmark uses one)")
    real = real_samples()
    decode.decode_image_bytes(real[0][1])  # warm-up: first calls initialise the libraries
    header(f"(a) ZXing blackbox photos qrcode-1..6: {len(real)} images")
    cascade_fails = []
    for label, fn in DECODERS.items():
        rows = run(fn, real)
        line(label, rows)
        if fn is None:
            cascade_fails = [r[0] for r in rows if not r[1]]
    print(f"  cascade misses: {', '.join(cascade_fails) or 'none'}")

    certs = cert_samples()
    header(f"(b) synthetic certificate photos: {len(certs)} images (2000 and 3000 px wide)",
           (f" {'med 2000':>9} {'med 3000':>9} {'med 3000':>9}", f" {'wall ms':>9} {'wall ms':>9} {'cpu ms':>9}"))
    for label, fn in DECODERS.items():
        rows = run(fn, certs)
        cols = [[r[2] for r in rows if r[0].endswith("-2000.jpg")], [r[2] for r in rows if r[0].endswith("-3000.jpg")],
                [r[3] for r in rows if r[0].endswith("-3000.jpg")]]
        line(label, rows, "".join(f" {statistics.median(v):9.1f}" if v else f" {'-':>9}" for v in cols))
        if fn is None:
            misses = [r[0] for r in rows if not r[1]]
            cascade_line = f"  cascade misses: {', '.join(misses) or 'none'}"
    print(cascade_line)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\ntotal bench time {time.perf_counter() - started:.1f} s (load average now {load:.2f})")


if __name__ == "__main__":
    main()
