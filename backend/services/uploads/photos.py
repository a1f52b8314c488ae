"""Checking uploaded photos and signature images: JPEG or PNG only, bounded size, decoded in full within a
pixel limit and a memory budget (content.check_image). clean_upload keeps the bytes as uploaded (the
registry's legacy PUT); the 入库登记 rules (id_photo.py, signature.py) start from load_upright and give back a
NormalisedImage, made anew from the pixels (no metadata of the upload survives: no EXIF, no location)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from PIL import Image, ImageOps

from backend.services.uploads.checks import PHOTO_TYPES, check_image, load_image
from backend.services.uploads.errors import ImageTooLarge
from backend.services.uploads.limits import ONBOARDING_MAX_BYTES, ONBOARDING_MAX_PIXELS, ONBOARDING_WORK_PIXELS

EXIF_ORIENTATION = 0x0112
TURNED = (5, 6, 7, 8)          # orientations that swap width and height


def clean_upload(data: bytes, *, max_bytes: int, max_pixels: int = 25_000_000) -> tuple[bytes, str]:
    if len(data) > max_bytes:
        raise ImageTooLarge(max_bytes)
    mime, _size = check_image(data, accepted=PHOTO_TYPES, max_pixels=max_pixels)
    return data, mime


@dataclass(frozen=True)
class NormalisedImage:
    """What the rules made of an upload: the image to keep, and the facts a reviewer may want."""
    data: bytes
    mime: str
    width: int
    height: int
    source: dict                                  # the upload: mime, bytes, width, height (upright, full scale)
    checks: dict = field(default_factory=dict)   # what the rules measured

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def load_upright(data: bytes, *, colour: bool, max_bytes: int = ONBOARDING_MAX_BYTES) -> tuple[Image.Image, dict]:
    """(the upload decoded within the checks' limits, at most ONBOARDING_WORK_PIXELS, turned upright as its
    EXIF orientation says; the facts of the upload at full scale). A phone stores a portrait photo sideways and
    says so in EXIF: the rules judge what the holder saw. Made small before anything else, so that a PNG of
    tens of megapixels (a flat one fits in 5 MB) costs one decode, not one per conversion."""
    if len(data) > max_bytes:
        raise ImageTooLarge(max_bytes)
    im, mime, (width, height) = load_image(data, accepted=PHOTO_TYPES, max_pixels=ONBOARDING_MAX_PIXELS,
                                           colour=colour)
    orientation = im.getexif().get(EXIF_ORIENTATION, 1)
    if orientation in TURNED:
        width, height = height, width
    if im.width * im.height > ONBOARDING_WORK_PIXELS:
        f = (ONBOARDING_WORK_PIXELS / (im.width * im.height)) ** 0.5
        im.thumbnail((max(1, int(im.width * f)), max(1, int(im.height * f))), Image.LANCZOS, reducing_gap=2.0)
    upright = ImageOps.exif_transpose(im) if orientation != 1 else im
    return upright, {"mime": mime, "bytes": len(data), "width": width, "height": height}


def over_white(im: Image.Image) -> Image.Image:
    """The image with any transparency laid on white paper, in RGB (or L when it is grey)."""
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if im.mode in ("L", "RGB"):
        return im
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "F"):        # 16-bit grey PNG: to 8 bits
        return im.point(lambda v: v / 257).convert("L")
    return im.convert("RGB")
