"""The photo QR decoder: real QR codes, degraded like phone photos, decoded back exactly.

No mocks: codes are rendered with `qrcode`, photographed synthetically with OpenCV, and
the rejections are fed real (or deliberately broken) files.
"""
from __future__ import annotations

import base64
import json
import struct
import time
import zlib
from io import BytesIO
from pathlib import Path

import cv2
import numpy as np
import pytest
import qrcode
from PIL import Image

from backend.qr.decode import ImageRejected, decode_image_bytes, decode_qr_texts, load_image
from tests.conftest import need

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ZXING_SET = SHARED / "qr-samples" / "zxing" / "qrcode-1"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def certificate_url(seed: int = 0) -> str:
    """A ~400-character URL shaped like a real certificate QR: base URL + '#' + ES256 JWS."""
    claims = {"v": 1, "lv": 2, "n": "张伟", "rn": "苏232151600123", "sp": [["建筑工程", 20270531]],
              "em": "91320594780268314T", "es": "江苏华建", "iat": 1760000000 + seed, "exp": 1775552000,
              "sl": 4211 + seed, "jti": "k3n8q2w5x7z9m4p6"}
    payload = b64url(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    signature = b64url(np.random.default_rng(seed).bytes(64))
    return ("http://127.0.0.1:5000/v#eyJhbGciOiJFUzI1NiIsImtpZCI6IngxMjM0NTY3In0"
            f".{payload}.{signature}")


URL = certificate_url()
CHINESE = "二级建造师电子证书 苏232151600123 张伟 " + certificate_url(1)  # UTF-8 bytes in the code


def qr_gray(text: str, box: int = 6, border: int = 4) -> np.ndarray:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=border)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    return np.where(np.array(qr.get_matrix(), dtype=bool), 0, 255).astype(np.uint8).repeat(box, 0).repeat(box, 1)


def encode(img: np.ndarray | Image.Image, fmt: str, **params) -> bytes:
    im = Image.fromarray(img) if isinstance(img, np.ndarray) else img
    buf = BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def phone_photo(text: str, seed: int, width: int = 1200, quality: int = 70) -> bytes:
    """The code on a sheet of paper, photographed: perspective, light, blur, noise, JPEG."""
    rng = np.random.default_rng(seed)
    code = qr_gray(text)
    side = code.shape[0]
    sheet = np.full((side * 2, int(side * 1.6)), 238, np.uint8)  # paper around the code
    y0, x0 = (sheet.shape[0] - side) // 2, (sheet.shape[1] - side) // 2
    sheet[y0:y0 + side, x0:x0 + side] = np.minimum(code, 238)
    height = width * 4 // 3
    sh, sw = sheet.shape
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    quad = np.float32([[0.12, 0.1], [0.88, 0.13], [0.92, 0.9], [0.1, 0.86]]) * [width, height]
    quad = (quad + rng.uniform(-0.03, 0.03, quad.shape) * width).astype(np.float32)
    photo = cv2.warpPerspective(sheet, cv2.getPerspectiveTransform(src, quad), (width, height),
                                flags=cv2.INTER_AREA, borderValue=70)  # a dark desk around the paper
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 1.0 - 0.35 * (xx / width) * (yy / height) - 0.15 * ((xx / width - 0.5) ** 2 + (yy / height - 0.5) ** 2)
    photo = cv2.GaussianBlur(photo.astype(np.float32) * light, (0, 0), rng.uniform(0.8, 1.3))
    photo += rng.normal(0, 5, photo.shape)
    rgb = cv2.cvtColor(np.clip(photo, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)
    return encode(rgb, "JPEG", quality=quality)


# --- decoding ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [URL, CHINESE], ids=["url", "chinese"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_degraded_phone_photo_gives_back_the_exact_text(text, seed):
    assert decode_image_bytes(phone_photo(text, seed)) == [text]


@pytest.mark.parametrize("fmt,params", [("PNG", {}), ("WEBP", {"quality": 80}), ("WEBP", {"lossless": True})])
def test_png_and_webp_inputs(fmt, params):
    assert decode_image_bytes(encode(qr_gray(CHINESE, box=4), fmt, **params)) == [CHINESE]


def test_code_on_a_transparent_background_is_read_against_white():
    # dark modules on fully transparent pixels that store black: a naive grey conversion loses them
    code = qr_gray(URL, box=4)
    rgba = np.zeros(code.shape + (4,), np.uint8)
    rgba[..., 3] = np.where(code == 0, 255, 0)
    assert decode_image_bytes(encode(Image.fromarray(rgba, "RGBA"), "PNG")) == [URL]


def test_two_codes_in_one_photo_give_both_texts():
    a, b = qr_gray(URL, box=4), qr_gray(CHINESE, box=4)
    canvas = np.full((max(a.shape[0], b.shape[0]) + 40, a.shape[1] + b.shape[1] + 60), 255, np.uint8)
    canvas[20:20 + a.shape[0], 20:20 + a.shape[1]] = a
    canvas[20:20 + b.shape[0], 40 + a.shape[1]:40 + a.shape[1] + b.shape[1]] = b
    assert sorted(decode_image_bytes(encode(canvas, "PNG"))) == sorted([URL, CHINESE])


def test_photo_without_a_code_gives_an_empty_list():
    rng = np.random.default_rng(5)
    yy, xx = np.mgrid[0:600, 0:800]
    img = (120 + 60 * np.sin(xx / 40) * np.cos(yy / 55) + rng.normal(0, 8, xx.shape)).clip(0, 255).astype(np.uint8)
    cv2.putText(img, "no code here", (100, 300), cv2.FONT_HERSHEY_SIMPLEX, 2, 20, 4)
    assert decode_image_bytes(encode(img, "JPEG", quality=80)) == []


def test_budget_bounds_the_search_on_a_photo_without_code():
    blank = np.full((3000, 4000), 200, np.uint8)
    started = time.perf_counter()
    assert decode_qr_texts(blank, budget_ms=1) == []
    assert time.perf_counter() - started < 1.0  # only the first attempt runs


def test_binary_payload_does_not_crash():
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4)
    qr.add_data(bytes(range(128, 256)) + b"\xff\xfe\x00\x01")
    qr.make(fit=True)
    texts = decode_image_bytes(encode(qr.make_image().get_image().convert("L"), "PNG"))
    assert len(texts) == 1 and isinstance(texts[0], str)


@pytest.mark.parametrize("shape", [(1, 1), (1, 4000), (4000, 2), (21, 21), (25, 9000)])
def test_tiny_or_extreme_images_give_an_empty_list(shape):
    assert decode_image_bytes(encode(np.full(shape, 255, np.uint8), "PNG")) == []


def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    data = encode(Image.new("RGB", (300, 200), "white"), "JPEG", exif=exif)
    gray = load_image(data)
    assert gray.shape == (300, 200) and gray.dtype == np.uint8


# --- rejections --------------------------------------------------------------------

def png_claiming(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose IHDR is patched (with a correct CRC) to claim width x height."""
    data = bytearray(encode(np.zeros((1, 1), np.uint8), "PNG"))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


SMALL = np.full((40, 40), 255, np.uint8)


@pytest.mark.parametrize("data", [
    encode(SMALL, "GIF"), encode(SMALL, "BMP"), encode(SMALL, "TIFF"),
    b"http://127.0.0.1:5000/v#eyJhbGciOiJFUzI1NiJ9",
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF", b"",
], ids=["gif", "bmp", "tiff", "text", "svg", "pdf", "empty"])
def test_other_formats_are_unsupported_media(data):
    with pytest.raises(ImageRejected) as err:
        load_image(data)
    assert err.value.code == "unsupported_media_type"
    assert err.value.message and err.value.message_en and isinstance(err.value.details, dict)


@pytest.mark.parametrize("side", [30000, 8000], ids=["900MP-pil-guard", "64MP-own-check"])
def test_decompression_bomb_is_rejected_from_its_header(side):
    bomb = png_claiming(side, side)
    started = time.perf_counter()
    with pytest.raises(ImageRejected) as err:
        decode_image_bytes(bomb)
    assert err.value.code == "too_many_pixels"
    assert time.perf_counter() - started < 0.5  # no pixel was decoded


def test_pixel_and_byte_limits_are_parameters():
    data = encode(qr_gray(URL, box=4), "PNG")
    with pytest.raises(ImageRejected) as err:
        load_image(data, max_pixels=10_000)
    assert err.value.code == "too_many_pixels"
    with pytest.raises(ImageRejected) as err:
        load_image(data, max_bytes=len(data) - 1)
    assert err.value.code == "image_too_large"


def test_truncated_jpeg_is_corrupt():
    data = phone_photo(URL, seed=1, width=600)
    with pytest.raises(ImageRejected) as err:
        load_image(data[: len(data) // 2])
    assert err.value.code == "corrupt_image"


def test_damaged_files_raise_only_image_rejected():
    # flip bytes at random places of valid files: either an image or ImageRejected, nothing else
    rng = np.random.default_rng(7)
    for fmt in ("JPEG", "PNG", "WEBP"):
        good = encode(qr_gray("damaged", box=3), fmt)
        for _ in range(12):
            bad = bytearray(good)
            for pos in rng.integers(4, len(bad), size=int(rng.integers(1, 8))):
                bad[pos] = int(rng.integers(0, 256))
            try:
                assert isinstance(decode_image_bytes(bytes(bad), budget_ms=20), list)
            except ImageRejected as exc:
                assert exc.code in {"corrupt_image", "too_many_pixels", "unsupported_media_type"}


# --- real photos ----------------------------------------------------------------------

def test_real_photos_from_the_zxing_blackbox_set():
    need(ZXING_SET.is_dir(), "shared QR sample photos not present (../shared/qr-samples)")
    names = [str(n) for n in range(1, 11)]
    decoded = 0
    for n in names:
        image = next(p for p in ZXING_SET.glob(f"{n}.*") if p.suffix in {".png", ".jpg", ".jpeg"})
        expected = (ZXING_SET / f"{n}.txt").read_bytes().decode("utf-8")  # bytes: keep \r\n as is
        decoded += expected in decode_image_bytes(image.read_bytes())
    assert decoded >= 8, f"only {decoded} of {len(names)} photos decoded"
