"""Images for the 入库登记 tests: good ones from the demo's generators (backend/demo/images.py), and the
ones the rules must refuse, made here pixel by pixel."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from backend.demo.images import portrait_photo, signature_photo, signature_png

__all__ = ["encode", "portrait", "portrait_photo", "signature", "signature_photo", "signature_png", "text_page"]


def encode(im: Image.Image, fmt: str = "JPEG", exif: Image.Exif | None = None, **kw) -> bytes:
    buf = io.BytesIO()
    if exif is not None:
        kw["exif"] = exif
    im.save(buf, fmt, **{**({"quality": 90} if fmt == "JPEG" else {}), **kw})
    return buf.getvalue()


def portrait(seed: str = "test", sex: str = "M") -> Image.Image:
    return Image.open(io.BytesIO(portrait_photo(seed, sex))).convert("RGB")


def signature(seed: str = "王测试:1", chars: int = 3) -> Image.Image:
    return Image.open(io.BytesIO(signature_photo(seed, chars))).convert("RGB")


def turned(im: Image.Image, orientation: int = 6) -> bytes:
    """The image stored sideways, as a phone does, with the EXIF orientation that turns it back."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(im.transpose(Image.Transpose.ROTATE_90), exif=exif)


def text_page(seed: int = 1) -> bytes:
    """A photographed page of text: hundreds of marks."""
    rng = np.random.default_rng(seed)
    page = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(page)
    for y in range(100, 1650, 40):
        for x in range(100, 1140, 22):
            if rng.random() < 0.8:
                d.rectangle((x, y, x + 14, y + 22), fill="black")
    return encode(page)


def blank_paper(size=(900, 600), level: int = 232, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    a = np.clip(level + rng.normal(0, 3, (size[1], size[0], 3)), 0, 255).astype(np.uint8)
    return encode(Image.fromarray(a))
