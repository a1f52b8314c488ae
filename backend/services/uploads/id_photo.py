"""The standard colour ID photo of 入库登记 (docs/onboarding.md), judged and normalised:

    photo = normalise_photo(data)      # NormalisedImage: a 358x441 JPEG, or one of the errors below

1. JPEG or PNG, at most 5 MB, decoded in full within the checks' limits (checks.load_image), turned upright by
   its EXIF orientation;
2. at least 358x441 px (the national ID photo, 26 x 32 mm at 350 dpi) — `photo_too_small`;
3. upright, width / height between 0.60 and 0.85: 2:3, the 1寸 and 2寸 photos, 3:4, 358:441 — `photo_aspect`;
4. neither too dark nor burnt out (mean luma) — `photo_exposure`; not one flat colour (luma deviation) —
   `photo_blank`; in colour (Hasler and Süsstrunk's colourfulness; a grey image scores 0) —
   `photo_not_colour`;
5. cut to 358:441 about its centre and scaled to exactly 358x441, saved anew as a JPEG (no metadata kept).
The measures are taken on a copy of at most 256 px a side: a few milliseconds whatever the upload.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from backend.services.uploads.errors import PhotoAspect, PhotoBlank, PhotoExposure, PhotoNotColour, PhotoTooSmall
from backend.services.uploads.limits import (
    PHOTO_ASPECT,
    PHOTO_LUMA,
    PHOTO_MIN_COLOURFULNESS,
    PHOTO_MIN_CONTRAST,
    PHOTO_MIN_SIZE,
    PHOTO_SIZE,
)
from backend.services.uploads.photos import NormalisedImage, load_upright, over_white

GREY_MODES = ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F")
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def colourfulness(rgb: np.ndarray) -> float:
    """Hasler and Süsstrunk (2003): 0 for a grey image, about 15 "slightly", 33 "moderately colourful"."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


def measures(im: Image.Image) -> dict:
    small = im.copy()
    small.thumbnail((256, 256))
    rgb = np.asarray(small.convert("RGB"), dtype=np.float32)
    luma = rgb @ LUMA_WEIGHTS
    return {"colourfulness": round(colourfulness(rgb), 1), "contrast": round(float(luma.std()), 1),
            "brightness": round(float(luma.mean()), 1)}


def centre_crop(im: Image.Image, ratio: float) -> Image.Image:
    """The largest part of the image of width / height `ratio`, about its centre."""
    w, h = im.size
    if w / h > ratio:
        cw = round(h * ratio)
        x = (w - cw) // 2
        return im.crop((x, 0, x + cw, h))
    ch = round(w / ratio)
    y = (h - ch) // 2
    return im.crop((0, y, w, y + ch))


def normalise_photo(data: bytes) -> NormalisedImage:
    im, source = load_upright(data, colour=True)
    w, h = source["width"], source["height"]
    size = {"width": w, "height": h}
    if w < PHOTO_MIN_SIZE[0] or h < PHOTO_MIN_SIZE[1]:
        raise PhotoTooSmall(details={**size, "min_width": PHOTO_MIN_SIZE[0], "min_height": PHOTO_MIN_SIZE[1]})
    ratio = w / h
    if not PHOTO_ASPECT[0] <= ratio <= PHOTO_ASPECT[1]:
        raise PhotoAspect(details={**size, "ratio": round(ratio, 3), "min_ratio": PHOTO_ASPECT[0],
                                   "max_ratio": PHOTO_ASPECT[1]})
    if im.mode in GREY_MODES:                   # a grey JPEG or PNG: no colour to measure
        raise PhotoNotColour(details={"mode": im.mode})
    rgb = over_white(im).convert("RGB")
    m = {"ratio": round(ratio, 3), **measures(rgb)}
    if not PHOTO_LUMA[0] <= m["brightness"] <= PHOTO_LUMA[1]:
        raise PhotoExposure(details={**m, "min_brightness": PHOTO_LUMA[0], "max_brightness": PHOTO_LUMA[1]})
    if m["contrast"] < PHOTO_MIN_CONTRAST:
        raise PhotoBlank(details={**m, "min_contrast": PHOTO_MIN_CONTRAST})
    if m["colourfulness"] < PHOTO_MIN_COLOURFULNESS:
        raise PhotoNotColour(details={**m, "min_colourfulness": PHOTO_MIN_COLOURFULNESS})
    out = centre_crop(rgb, PHOTO_SIZE[0] / PHOTO_SIZE[1]).resize(PHOTO_SIZE, Image.LANCZOS, reducing_gap=3.0)
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=90, optimize=True)
    return NormalisedImage(buf.getvalue(), "image/jpeg", *PHOTO_SIZE, source=source, checks=m)
