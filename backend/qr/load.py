"""Decode an uploaded photo into an upright grayscale array, in bounded memory and time.

    gray = load_image(upload_bytes)        # may raise ImageRejected

The bytes come from anyone (the verify endpoint is anonymous): only JPEG, PNG and WebP, recognised by their
magic bytes; every decoder failure becomes an ImageRejected with a machine code and Chinese and English
messages. Memory is planned from the header before any pixel is decoded. Peak bytes held per pixel,
measured on 40 MP images ("B/px"), decide each path:

- JPEG: libjpeg decodes the luma plane only, at 1/1, 1/2, 1/4 or 1/8 scale (Image.draft) so that at most
  WORK_PIXELS come out: a 200 MP phone photo, decoded at 1/4, cost 24 MB. Progressive files also hold
  their full-size DCT coefficients (formats.open_jpeg), which is counted against the budget.
- PNG: Pillow, at its mode's size (4 B/px for RGB and RGBA), then converted a strip at a time (+1 B/px);
  converting the whole image at once held 15 B/px: 610 MB for 40 MP. Opaque images too large for that
  go to OpenCV's grayscale decode, 2 B/px.
- WebP: OpenCV, 4 B/px (9 with alpha); Pillow's WebP decode holds 15 B/px.

A decode whose planned peak exceeds DECODE_BUDGET is refused as too_many_pixels; what is decoded is then
shrunk to WORK_PIXELS for the QR decoders, whose cascade holds about 3 B/px more (50 MB at 16 MP, measured).
"""
from __future__ import annotations

from io import BytesIO

import cv2
import numpy as np
from PIL import Image

from backend.content import images as formats
from backend.content.sniff import image_format

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000            # PNG and WebP, decoded whole
MAX_JPEG_PIXELS = 250_000_000      # JPEG, decoded at up to 1/8 scale: phones make 48-200 MP photos
WORK_PIXELS = 16_000_000           # the most the QR decoders get (a 4600 x 3460 photo)
DECODE_BUDGET = 80 * 1024 * 1024   # bytes a decode may hold at once (a request's whole budget is 150 MB)
STRIP_BYTES = 4 * 1024 * 1024      # converted a strip of rows at a time
_NO_EXIF = cv2.IMREAD_IGNORE_ORIENTATION   # we apply the orientation ourselves, the same way for every path

_MESSAGES = {
    "unsupported_media_type": ("仅支持 JPEG、PNG 或 WebP 格式的图片", "Only JPEG, PNG or WebP images are accepted"),
    "image_too_large": ("图片文件过大", "The image file is too large"),
    "too_many_pixels": ("图片尺寸过大", "The image has too many pixels"),
    "corrupt_image": ("图片已损坏或无法读取", "The image is damaged or cannot be read"),
}


class ImageRejected(Exception):
    """The upload is not an image we are willing to decode."""

    def __init__(self, code: str, details: dict | None = None):
        self.code = code
        self.message, self.message_en = _MESSAGES[code]
        self.details = details or {}
        super().__init__(f"{code}: {self.message_en}")


def load_image(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """An upright grayscale uint8 array of at most WORK_PIXELS. max_pixels bounds the header of a PNG or
    WebP, and what comes out of a JPEG's reduced decode (its header may claim up to MAX_JPEG_PIXELS)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageRejected("unsupported_media_type")
    data = bytes(data)
    if len(data) > max_bytes:
        raise ImageRejected("image_too_large", {"bytes": len(data), "max_bytes": max_bytes})
    fmt = image_format(data)
    if fmt is None:
        raise ImageRejected("unsupported_media_type", {"accepted": ["image/jpeg", "image/png", "image/webp"]})
    try:
        gray, turn = _DECODERS[fmt](data, max_pixels)
        if gray is None:            # OpenCV's way of saying it could not decode
            raise ValueError("undecodable")
        return upright(fit(gray, WORK_PIXELS), turn)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # PIL's own guard (the warning is an exception under `-W error`)
        raise ImageRejected("too_many_pixels", {"max_pixels": max_pixels}) from None
    except Exception:  # truncated data, bad chunks, CRC errors, MemoryError...
        raise ImageRejected("corrupt_image") from None


def _check_pixels(width: int, height: int, max_pixels: int) -> None:
    if width == 0 or height == 0:
        raise ImageRejected("corrupt_image")
    if width * height > max_pixels:
        raise ImageRejected("too_many_pixels", {"width": width, "height": height, "max_pixels": max_pixels})


def _check_budget(width: int, height: int, planned_bytes: int) -> None:
    if planned_bytes > DECODE_BUDGET:
        raise ImageRejected("too_many_pixels", {"width": width, "height": height,
                                                "reason": "decoding would need too much memory"})


def _jpeg(data: bytes, max_pixels: int):
    im, buffered = formats.open_jpeg(data)
    width, height = im.size
    _check_pixels(width, height, MAX_JPEG_PIXELS)
    scale = formats.jpeg_scale(width, height, min(max_pixels, WORK_PIXELS))
    if scale is None:
        raise ImageRejected("too_many_pixels", {"width": width, "height": height, "max_pixels": max_pixels})
    out = -(-width // scale) * -(-height // scale)
    per_pixel = 1 if im.mode in ("L", "RGB") else formats.mode_bytes(im.mode)  # CMYK stays 4 B/px
    _check_budget(width, height, buffered + out * (per_pixel + 1))
    formats.draft_scaled(im, scale)          # luma only, reduced: decoded as small as it can be
    im.load()
    return pillow_gray(im, _luma), orientation(im)


def _png(data: bytes, max_pixels: int):
    im, essentials = formats.open_png(data)
    width, height = im.size
    _check_pixels(width, height, max_pixels)
    sixteen = im.mode.startswith("I")          # 16-bit grey (its tRNS, one grey value, is ignored)
    transparent = im.mode in ("RGBA", "LA") or "transparency" in im.info
    pillow_bytes = width * height * (formats.mode_bytes(im.mode) + 1)
    if sixteen or transparent or pillow_bytes <= DECODE_BUDGET:
        # Pillow, as before: OpenCV's grey differs by one level here and there, which cost a marginal photo
        _check_budget(width, height, pillow_bytes)
        im.load()
        convert = _scaled(im) if sixteen else _on_white if transparent else _luma
        return pillow_gray(im, convert), orientation(im)
    _check_budget(width, height, width * height * 2)     # large opaque images: OpenCV holds 2 B/px
    buf = np.frombuffer(essentials, np.uint8)
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE | _NO_EXIF), orientation(im)


def _webp(data: bytes, max_pixels: int):
    with Image.open(BytesIO(data), formats=["WEBP"]) as im:    # the header only (libwebp's demuxer)
        width, height = im.size
        alpha, turn = im.mode == "RGBA", orientation(im)
    _check_pixels(width, height, max_pixels)
    _check_budget(width, height, width * height * (9 if alpha else 4))
    buf = np.frombuffer(data, np.uint8)
    if not alpha:
        return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE | _NO_EXIF), turn
    bgra = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED | _NO_EXIF)
    if bgra is None or bgra.ndim != 3 or bgra.shape[2] != 4:
        return (None if bgra is None else cv2.cvtColor(bgra, cv2.COLOR_BGR2GRAY)), turn
    out = np.empty(bgra.shape[:2], np.uint8)
    step = max(1, STRIP_BYTES // (4 * bgra.shape[1]))
    for y in range(0, bgra.shape[0], step):
        rows = bgra[y:y + step]
        out[y:y + step] = white_under(cv2.cvtColor(rows, cv2.COLOR_BGRA2GRAY), rows[..., 3])
    return out, turn


_DECODERS = {"JPEG": _jpeg, "PNG": _png, "WEBP": _webp}


# --- conversions, a strip at a time ----------------------------------------------------

def pillow_gray(im: Image.Image, convert) -> np.ndarray:
    """A decoded Pillow image as a new uint8 array, converted strip by strip: np.asarray(im) would hold two
    whole copies more (tobytes() builds a list of chunks, then joins them)."""
    width, height = im.size
    out = np.empty((height, width), np.uint8)
    step = max(1, STRIP_BYTES // (4 * width))
    for y in range(0, height, step):
        out[y:y + step] = convert(im.crop((0, y, width, min(height, y + step))))
    return out


def _luma(strip: Image.Image) -> np.ndarray:
    return np.asarray(strip if strip.mode == "L" else strip.convert("L"))


def white_under(luma: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    # a transparent background stores black (0,0,0,0) pixels: a dark code on it would vanish in a plain
    # conversion, so lay the image on white paper: 255 - (255 - luma) * alpha / 255
    return (255 - ((255 - luma.astype(np.uint16)) * alpha + 127) // 255).astype(np.uint8)


def _on_white(strip: Image.Image) -> np.ndarray:
    # see white_under; P, L and RGB with tRNS get their alpha from convert()
    paper = Image.new("RGBA", strip.size, (255, 255, 255, 255))
    paper.alpha_composite(strip.convert("RGBA"))
    return np.asarray(paper.convert("L"))


def _scaled(im: Image.Image):
    # 16-bit PNGs: PIL's conversion to L clips at 255, so scale by the brightest pixel instead
    factor = 255.0 / max(float(im.getextrema()[1]), 1.0)
    return lambda strip: (np.asarray(strip, dtype=np.float32) * factor).astype(np.uint8)


# --- size and orientation ------------------------------------------------------------------

def fit(gray: np.ndarray, max_pixels: int) -> np.ndarray:
    """Shrink (area averaging) to at most max_pixels."""
    height, width = gray.shape[:2]
    if height * width <= max_pixels:
        return gray
    f = (max_pixels / (height * width)) ** 0.5
    return cv2.resize(gray, (max(1, int(width * f)), max(1, int(height * f))), interpolation=cv2.INTER_AREA)


def orientation(im: Image.Image) -> int:
    """The EXIF orientation (1-8) from the header; 1 when absent or broken. Phones store the sensor's
    landscape pixels plus this tag; a broken EXIF block must not cost a readable photo (the decoders find
    rotated codes anyway, mirrored ones not)."""
    raw = im.info.get("exif")
    if not raw:
        return 1
    try:
        exif = Image.Exif()
        exif.load(raw)
        value = int(exif.get(0x0112, 1))
    except Exception:
        return 1
    return value if 1 <= value <= 8 else 1


# the EXIF orientations as numpy views (ImageOps.exif_transpose does the same on a Pillow image)
_UPRIGHT = {2: lambda a: a[:, ::-1], 3: lambda a: a[::-1, ::-1], 4: lambda a: a[::-1], 5: lambda a: a.T,
            6: lambda a: np.rot90(a, -1), 7: lambda a: np.rot90(a, 2).T, 8: lambda a: np.rot90(a)}


def upright(gray: np.ndarray, turn: int) -> np.ndarray:
    if turn not in _UPRIGHT:
        return gray
    return np.ascontiguousarray(_UPRIGHT[turn](gray))
