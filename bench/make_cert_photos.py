"""Generate synthetic phone photos of printed certificates, for the decode benchmark.

Each photo shows a whole A4 certificate page (title, fields, photo box, seal and a
35 mm QR code with error correction M carrying a ~420-character certificate URL),
photographed the way a phone would: perspective, slight rotation, uneven light,
blur, sensor noise, JPEG. Deterministic for a given seed.

    python bench/make_cert_photos.py [--out bench/out/cert-photos] [-n 60] [--seed 1]

Writes NN-<width>.jpg and NN-<width>.txt (the exact QR text, UTF-8) pairs.
"""
from __future__ import annotations

import argparse
import base64
import json
import random
import subprocess
from io import BytesIO
from pathlib import Path

import cv2
import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFont

DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "cert-photos"
PX_PER_MM = 12  # page rendering resolution (~300 dpi), finer than any photo of it
A4_MM = (210, 297)
QR_MM = 35
HEADER = "eyJhbGciOiJFUzI1NiIsImtpZCI6IngxMjM0NTY3In0"  # {"alg":"ES256","kid":"x1234567"}
BASE_URL = "http://127.0.0.1:5000/v#"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "建国"]
PROVINCES = [("苏", "32"), ("京", "11"), ("浙", "33"), ("粤", "44"), ("川", "51"), ("陕", "61")]
COMPANIES = ["江苏华建建设集团有限公司", "北京城建第三工程有限公司", "浙江中天建设有限公司",
             "广东省第二建筑工程有限公司", "四川华西建设有限公司", "陕西建工第五建设集团有限公司"]
SPECIALTIES = ["建筑工程", "市政公用工程", "机电工程", "公路工程", "水利水电工程", "矿业工程"]


def certificate_url(rng: random.Random, target_len: int = 420) -> str:
    """A URL shaped like the real ones: base URL + '#' + a compact ES256 JWS."""
    prov, code = rng.choice(PROVINCES)
    claims = {
        "v": 1, "lv": 2, "n": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "rn": f"{prov}2{code}{rng.randint(10, 23)}{rng.randint(10, 24)}{rng.randint(0, 99999):05d}",
        "sp": [[rng.choice(SPECIALTIES), 20270000 + rng.randint(1, 12) * 100 + rng.randint(1, 28)]],
        "em": "91320594780268314T", "es": rng.choice(COMPANIES)[:6],
        "iat": 1760000000 + rng.randint(0, 9_000_000), "sl": rng.randint(0, 65535),
    }
    claims["exp"] = claims["iat"] + 180 * 86400

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signature = b64(rng.randbytes(64))  # 86 characters, like a real P-256 signature
    fixed = len(BASE_URL) + len(HEADER) + len(signature) + 2
    payload = b64(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    # pad with a jti nonce so every URL has about the same length as a real one
    while len(payload) + fixed < target_len - 3:
        claims["jti"] = claims.get("jti", "") + rng.choice("abcdefghjkmnpqrstuvwxyz23456789")
        payload = b64(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    return f"{BASE_URL}{HEADER}.{payload}.{signature}"


def cjk_font_path() -> str | None:
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
        if found and "CJK" in found and Path(found).exists():
            return found
    except (OSError, subprocess.SubprocessError):
        pass
    fallback = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    return str(fallback) if fallback.exists() else None


def font(size_mm: float, path: str | None):
    if path:
        return ImageFont.truetype(path, int(size_mm * PX_PER_MM))
    return ImageFont.load_default(size=int(size_mm * PX_PER_MM))  # no CJK glyphs: boxes, still "text"


def render_page(rng: random.Random, text: str, font_path: str | None) -> Image.Image:
    mm = PX_PER_MM
    w, h = A4_MM[0] * mm, A4_MM[1] * mm
    page = Image.new("RGB", (w, h), (252, 250, 244))
    d = ImageDraw.Draw(page)
    d.rectangle([8 * mm, 8 * mm, w - 8 * mm, h - 8 * mm], outline=(150, 120, 60), width=int(1.2 * mm))
    d.text((w // 2, 30 * mm), "中华人民共和国二级建造师注册证书", fill=(20, 20, 20),
           font=font(8, font_path), anchor="mm")
    d.text((w // 2, 42 * mm), "电子证书（打印件）", fill=(60, 60, 60), font=font(5, font_path), anchor="mm")
    prov, code = rng.choice(PROVINCES)
    fields = [
        ("姓    名", rng.choice(SURNAMES) + rng.choice(GIVEN)), ("性    别", rng.choice("男女")),
        ("出生日期", f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"),
        ("注册编号", f"{prov}2{code}{rng.randint(10, 23)}{rng.randint(10, 24)}{rng.randint(0, 99999):05d}"),
        ("聘用企业", rng.choice(COMPANIES)), ("统一社会信用代码", "91320594780268314T"),
        ("注册专业", f"{rng.choice(SPECIALTIES)}  有效期至 2027-{rng.randint(1, 12):02d}-28"),
        ("使用有效期", "2025-10-09 至 2026-04-07"),
    ]
    body = font(4.2, font_path)
    for i, (label, value) in enumerate(fields):
        y = (62 + i * 14) * mm
        d.text((22 * mm, y), f"{label}：{value}", fill=(25, 25, 25), font=body)
        d.line([(22 * mm, y + 8 * mm), (140 * mm, y + 8 * mm)], fill=(200, 200, 200), width=2)
    # photo box with a grey silhouette
    d.rectangle([150 * mm, 60 * mm, 185 * mm, 105 * mm], outline=(80, 80, 80), width=4, fill=(210, 220, 235))
    d.ellipse([160 * mm, 66 * mm, 175 * mm, 84 * mm], fill=(120, 120, 130))
    d.rectangle([156 * mm, 86 * mm, 179 * mm, 105 * mm], fill=(120, 120, 130))
    d.text((22 * mm, 190 * mm), "本人签名：", fill=(25, 25, 25), font=body)
    d.line([(50 * mm, 196 * mm), (110 * mm, 196 * mm)], fill=(60, 60, 60), width=3)
    small = font(3.2, font_path)
    for i, line in enumerate(["扫描右侧二维码核验证书真伪及状态。", "打印件须经本人手写签名方为有效。",
                              "发证机关：江苏省住房和城乡建设厅"]):
        d.text((22 * mm, (215 + i * 9) * mm), line, fill=(70, 70, 70), font=small)
    # red seal overlapping the text, as printed certificates have
    cx, cy = 85 * mm, 245 * mm
    d.ellipse([cx - 20 * mm, cy - 20 * mm, cx + 20 * mm, cy + 20 * mm], outline=(210, 40, 40), width=int(1.2 * mm))
    d.text((cx, cy), "★", fill=(210, 40, 40), font=font(10, font_path), anchor="mm")

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    modules = np.array(qr.get_matrix(), dtype=bool)
    side = QR_MM * mm
    qr_img = Image.fromarray(np.where(modules, 0, 255).astype(np.uint8)).resize((side, side), Image.NEAREST)
    page.paste(qr_img.convert("RGB"), (w - 22 * mm - side, h - 22 * mm - side))
    return page


def photograph(rng: random.Random, page: Image.Image, width: int) -> Image.Image:
    """Place the page in a 3:4 portrait frame as a hand-held phone would see it."""
    nprng = np.random.default_rng(rng.randrange(2**32))
    height = width * 4 // 3
    pw, ph = page.size
    # background: a desk with a soft colour gradient and texture
    base = np.array([rng.randint(60, 170), rng.randint(50, 150), rng.randint(40, 130)], np.float32)
    shade = np.linspace(0.8, 1.2, width, dtype=np.float32)[None, :, None]
    texture = nprng.normal(0, 6, (height // 2, width // 2)).astype(np.float32)
    texture = cv2.resize(texture, (width, height), interpolation=cv2.INTER_NEAREST)[..., None]
    photo = np.clip(base * shade + texture, 0, 255).astype(np.uint8)

    # destination quad: page fills 78-92 % of the height, tilted and rotated a little
    fill = rng.uniform(0.78, 0.92)
    dh = height * fill
    dw = dh * pw / ph
    ang = np.deg2rad(rng.uniform(-5, 5))
    keystone = rng.uniform(-0.07, 0.07)  # phone tilted forward/back: one edge shorter
    skew = rng.uniform(-0.04, 0.04)
    quad = np.array([[-dw / 2 * (1 - keystone), -dh / 2], [dw / 2 * (1 - keystone), -dh / 2],
                     [dw / 2 * (1 + keystone), dh / 2], [-dw / 2 * (1 + keystone), dh / 2]])
    quad[:, 0] += quad[:, 1] * skew
    quad += nprng.normal(0, 0.008 * width, quad.shape)
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    quad = quad @ rot.T + [width / 2 + rng.uniform(-0.03, 0.03) * width, height / 2]
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    m = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    cv2.warpPerspective(np.asarray(page), m, (width, height), dst=photo, flags=cv2.INTER_AREA,
                        borderMode=cv2.BORDER_TRANSPARENT)

    # uneven light: a directional gradient times a vignette, sometimes a soft shadow;
    # smooth, so computed on a coarse grid and scaled up
    lw, lh = width // 8, height // 8
    yy, xx = np.mgrid[0:lh, 0:lw].astype(np.float32)
    gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
    light = 1 - rng.uniform(0.1, 0.3) * ((xx / lw - 0.5) * gx + (yy / lh - 0.5) * gy + 0.5)
    r2 = ((xx - lw / 2) / lw) ** 2 + ((yy - lh / 2) / lh) ** 2
    light *= 1 - rng.uniform(0.2, 0.5) * r2 * 2
    if rng.random() < 0.3:  # the phone's own shadow across a corner
        sx, sy = rng.uniform(0, lw), rng.uniform(0, lh)
        light *= 1 - 0.25 * np.exp(-(((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * (0.25 * lw) ** 2)))
    light = cv2.resize(light * rng.uniform(0.9, 1.05), (width, height), interpolation=cv2.INTER_LINEAR)
    img = photo.astype(np.float32) * light[..., None]

    # optics and sensor: defocus blur, then noise, then the phone's JPEG
    sigma = rng.uniform(0.4, 1.4) * width / 2000
    img = cv2.GaussianBlur(img, (0, 0), sigma)
    noise = np.empty_like(img)
    cv2.setRNGSeed(rng.randrange(2**31))  # cv2.randn draws from OpenCV's global generator
    cv2.randn(noise, 0, rng.uniform(2, 7))
    img += noise
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def generate(out: Path = DEFAULT_OUT, n: int = 60, seed: int = 1) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("[0-9]*-[0-9]*.jpg"), *out.glob("[0-9]*-[0-9]*.txt")]:
        old.unlink()  # a set made with another -n must not linger in the benchmark
    rng = random.Random(seed)
    font_path = cjk_font_path()
    written = []
    for i in range(n):
        width = 2000 if i < n // 2 else 3000
        text = certificate_url(rng)
        photo = photograph(rng, render_page(rng, text, font_path), width)
        buf = BytesIO()
        exif = Image.Exif()
        if rng.random() < 0.3:
            # like most phones: landscape sensor data plus an EXIF "rotate 90° CW" tag
            photo = photo.transpose(Image.Transpose.ROTATE_90)
            exif[0x0112] = 6
        photo.save(buf, "JPEG", quality=rng.randint(70, 92), exif=exif)
        path = out / f"{i:02d}-{width}.jpg"
        path.write_bytes(buf.getvalue())
        path.with_suffix(".txt").write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("-n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    paths = generate(args.out, args.n, args.seed)
    print(f"wrote {len(paths)} photos to {args.out}")


if __name__ == "__main__":
    main()
