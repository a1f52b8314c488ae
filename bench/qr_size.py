"""QR size of a certificate copy, token v2 (CBOR, packed into `{BASE}/V#<Base32>`) against v1 (JSON in
`{base}/v#<token>`, every copy issued before issue 11), and the CPU cost of verifying each form's token.

    .venv/bin/python bench/qr_size.py
    .venv/bin/python bench/qr_size.py --base https://rcz.jst.jiangsu.gov.cn --rounds 3000

For each shape (typical 二级: 3-character name, 2 specialties, a 4-character employer short name; largest
一级: 4-character name, 4 specialties, an 8-character short name, a 17-character registration number; both
with the status-list index of the 4 billionth copy) it prints the payload bytes, the QR text's characters,
its segments, and the version at level M that zxing-cpp reads back from the PNG (the targets of issue 11:
typical <= 11, largest <= 13, with a 30-character PUBLIC_BASE_URL). Then the time of
`extract_token` + `tokens.verify` for one QR text of each form (the least of 7 batches, the forms taking
turns), in this process (no HTTP, no database;
`bench/verify_throughput.py` measures the whole request). A throwaway key under bench/out/.
"""
from __future__ import annotations

import argparse
import base64
import io
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import zxingcpp  # noqa: E402
from PIL import Image  # noqa: E402

from backend.crypto import cbor_claims, keys, tokens  # noqa: E402
from backend.qr.encode import qr_png, segments  # noqa: E402
from backend.services.issuance.copies import certificate_url  # noqa: E402
from backend.services.issuance.presentations import presentation_url  # noqa: E402
from backend.services.verification.qr_text import extract_token  # noqa: E402

TARGET = {"typical": 11, "largest": 13}
IAT = 1_764_500_000
SHAPES = {
    "typical": {"iss": "JZ", "jti": "k3vq7xmb", "iat": IAT, "exp": IAT + 180 * 86400, "i": 2**32 - 1,
                "r": "苏232192612345", "n": "王建国", "k": "JZS2", "s": [["JZ", 20281130], ["SZ", 20281130]],
                "e": ["91320594MA1MX8YW3T", "示范建设"], "h": "123X"},
    "largest": {"iss": "JZ", "jti": "k3vq7xmb", "iat": IAT, "exp": IAT + 180 * 86400, "i": 2**32 - 1,
                "r": "苏1320000001912345", "n": "欧阳志强", "k": "JZS1",
                "s": [["JZ", 20281130], ["SZ", 20281130], ["JD", 20290315], ["SL", 20290315]],
                "e": ["91320594MA1MX8YW3T", "江苏省建工集团总"], "h": "123X"},
}
MODES = {1: "num", 2: "alnum", 4: "byte", 8: "kanji"}


def read_back(text: str) -> int:
    png, made = qr_png(text)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    if len(found) != 1 or found[0].text != text or found[0].extra.get("ECLevel") != "M":
        raise SystemExit(f"zxing-cpp did not read back the QR text ({len(found)} codes)")
    version = int(found[0].extra["Version"])
    assert version == made
    return version


def per_call_us(fns: dict, rounds: int, batches: int = 7) -> dict:
    """CPU microseconds per call of each function: the least of `batches` batches of `rounds` calls, the
    functions taking turns batch by batch (other processes on the machine only ever add time)."""
    best = {k: float("inf") for k in fns}
    for fn in fns.values():
        fn()
    for _ in range(batches):
        for k, fn in fns.items():
            t0 = time.process_time()
            for _ in range(rounds):
                fn()
            best[k] = min(best[k], (time.process_time() - t0) / rounds * 1e6)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="https://rcz.jst.jiangsu.gov.cn", help="PUBLIC_BASE_URL (default: 30 characters)")
    ap.add_argument("--rounds", type=int, default=2000, help="verifications per timing batch")
    a = ap.parse_args()
    ring = keys.load_keyring(REPO / "bench" / "out" / "qr-size-keys")
    print(f"PUBLIC_BASE_URL {a.base} ({len(a.base)} characters); error correction M; versions read back by zxing-cpp")
    print(f"{'copy':9} {'form':4} {'payload B':>9} {'token B':>8} {'QR chars':>8} {'version':>7}  segments")
    texts = {}
    for label, claims in SHAPES.items():
        v2 = tokens.sign_certificate(ring, claims)
        v1 = tokens.sign(ring, {k: v for k, v in claims.items() if k != "h"})
        shown = {**claims, "iat": IAT + 3600, "exp": IAT + 3600 + 90, "u": claims["exp"]}
        live = tokens.sign_presentation(ring, shown)
        forms = {"v2": (certificate_url(a.base, v2), len(cbor_claims.encode(claims)),
                        len(base64.b32decode(tokens.pack(v2) + "=" * (-len(tokens.pack(v2)) % 8)))),
                 "v1": (f"{a.base}/v#{v1}", len(v1.split(".")[1]) * 3 // 4, len(v1)),
                 "live": (presentation_url(a.base, live), len(cbor_claims.encode(shown)),
                          len(base64.b32decode(tokens.pack(live) + "=" * (-len(tokens.pack(live)) % 8))))}
        for form, (text, payload, token_bytes) in forms.items():
            version = read_back(text)
            segs = " + ".join(f"{MODES[m]} {len(s)}" for m, s in segments(text))
            note = f"  (target <= {TARGET[label]}: {'met' if version <= TARGET[label] else 'NOT met'})" if form == "v2" else ""
            if form == "live":   # on a phone's screen: the symbol's modules over a 280 CSS px square
                note = f"  ({17 + 4 * version + 8} modules with the quiet zone: {280 / (25 + 4 * version):.1f} px each at 280 px)"
            print(f"{label:9} {form:4} {payload:9d} {token_bytes:8d} {len(text):8d} {version:7d}  {segs}{note}")
            if form != "live":
                texts[(label, form)] = text
    print("token B: v2 = the packed bytes (kid 6 + CBOR payload + signature 64); v1 = the compact JWS's characters;")
    print("live = a holder's live code (typ jz-presentation, `{BASE}/V#1<packed>`): the copy's claims + `u`")
    print()
    print(f"verification in this process (extract_token + tokens.verify, ES256 by pyjwt), least of 7 x {a.rounds}:")
    require = ("iat", "exp", "iss", "jti", "i", "r")
    fns = {}
    for key, text in texts.items():
        def once(text=text):
            token, _ = extract_token(text, a.base)
            tokens.verify(ring, token, issuer="JZ", typ=tokens.CERTIFICATE_TYPES, require=require)
        fns[key] = once
    us = per_call_us(fns, a.rounds)
    for label in SHAPES:
        print(f"  {label:9} v1 {us[(label, 'v1')]:6.1f} us   v2 {us[(label, 'v2')]:6.1f} us   "
              f"v2/v1 {us[(label, 'v2')] / us[(label, 'v1')]:.2f}")

if __name__ == "__main__":
    main()
