"""Phone-photo degradations of a QR code, made at test time (perspective, blur, noise, light, JPEG)."""
from __future__ import annotations

import io
import struct
import zlib

import cv2
import numpy as np
import qrcode
from PIL import Image


def degraded_photo(text: str, *, seed: int = 0, width: int = 1600, quality: int = 70) -> bytes:
    rnd = np.random.default_rng(seed)
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    q.add_data(text.encode())
    q.make(fit=True)
    code = np.asarray(q.make_image().get_image().convert("L"), dtype=np.uint8)
    h = int(width * 0.75)
    page = np.full((h, width), 235, np.uint8)
    side = int(h * 0.6)
    code = cv2.resize(code, (side, side), interpolation=cv2.INTER_NEAREST)
    y0, x0 = (h - side) // 2, (width - side) // 2
    page[y0:y0 + side, x0:x0 + side] = code
    src = np.float32([[0, 0], [width, 0], [width, h], [0, h]])
    jitter = lambda: rnd.uniform(-0.06, 0.06) * width   # noqa: E731
    dst = np.float32([[jitter(), jitter()], [width + jitter(), jitter()], [width + jitter(), h + jitter()],
                      [jitter(), h + jitter()]])
    img = cv2.warpPerspective(page, cv2.getPerspectiveTransform(src, dst), (width, h), borderValue=90)
    img = cv2.GaussianBlur(img, (0, 0), 1.2)
    yy, xx = np.mgrid[0:h, 0:width]
    light = 0.75 + 0.35 * (xx / width) * (1 - 0.3 * yy / h)          # uneven light
    img = np.clip(img * light + rnd.normal(0, 6, img.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(img).convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A small PNG that claims a huge size (a decompression bomb); only its header matters."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + b"\x00" * (width // 8 + 1)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row) for _ in range(200)) + comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))
