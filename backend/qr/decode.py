"""Read the QR codes in a photo of a certificate (no Flask: plain bytes in, texts out).

    texts = decode_image_bytes(upload_bytes)        # may raise ImageRejected

Loading (load.py) is defensive because the bytes come from anyone: only JPEG, PNG and WebP, a pixel and
memory budget planned from the header before any pixel is decoded, and every decoder failure an
ImageRejected with a machine code and a message in Chinese and English.

Decoding is a cascade of three libraries, cheapest and strongest first, stopping at
the first stage that finds anything (a certificate photo holds one QR code).
"""
from __future__ import annotations

import time

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from backend.qr import preprocess
from backend.qr.load import MAX_BYTES, MAX_PIXELS, ImageRejected, load_image  # noqa: F401


class _Deadline:
    def __init__(self, budget_ms: float | None):
        self.end = None if budget_ms is None else time.perf_counter() + budget_ms / 1000

    def passed(self) -> bool:
        return self.end is not None and time.perf_counter() > self.end


def decode_qr_texts(gray: np.ndarray, *, budget_ms: float | None = None) -> list[str]:
    """Distinct texts of the QR codes found in a grayscale image, in the order found.

    With budget_ms, no new attempt starts once the budget is spent (the first one
    always runs), so the worst case is bounded for photos without any code.
    """
    deadline = _Deadline(budget_ms)
    gray = np.asarray(gray)
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGRA2GRAY if gray.shape[2] == 4 else cv2.COLOR_BGR2GRAY)
    if min(gray.shape) < 21:
        return []  # smaller than a version 1 code at one pixel per module
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    for stage in (_zxing_stage, _pyzbar_stage, _opencv_stage):
        texts = stage(gray, deadline)
        if texts:
            return list(dict.fromkeys(texts))
        if deadline.passed():
            break
    return []


def decode_image_bytes(data: bytes, **limits) -> list[str]:
    """load_image (with max_bytes / max_pixels) then decode_qr_texts (with budget_ms)."""
    budget_ms = limits.pop("budget_ms", None)
    return decode_qr_texts(load_image(data, **limits), budget_ms=budget_ms)


# --- stage 1: zxing-cpp -----------------------------------------------------------
# The strongest reader on photos (166 of the 179 ZXing blackbox photos alone) and the
# cheapest: it binarises locally and tries rotations, inversion and a downscale pyramid
# by itself, 10-30 ms on a full 12 MP photo. TextMode.Plain returns the text as encoded
# (control characters included) instead of the escaped "human readable" form.
def _zxing(gray: np.ndarray, binarizer=zxingcpp.Binarizer.LocalAverage, pyramid: bool = True) -> list[str]:
    found = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True,
                                   try_downscale=pyramid, try_invert=True,
                                   text_mode=zxingcpp.TextMode.Plain, binarizer=binarizer)
    return [b.text for b in found if b.text]


def _zxing_attempts(gray: np.ndarray):
    if max(gray.shape) >= 3200:
        # a 12 MP photo of a page still gives a 35 mm code 2+ px per module at half
        # size, where the read costs a quarter; full resolution comes next if needed
        yield lambda: _zxing(preprocess.scale(gray, 0.5), pyramid=False)
    yield lambda: _zxing(gray)
    # one global threshold wins on small, evenly lit codes whose modules the local
    # window (8 px blocks) mistakes for texture
    yield lambda: _zxing(gray, zxingcpp.Binarizer.GlobalHistogram)
    # defocus is the commonest failure of hand-held photos: an unsharp mask restores
    # the module edges that the blur merged; mild first, then strong (which also
    # amplifies noise, hence second)
    yield lambda: _zxing(preprocess.sharpen(gray))
    yield lambda: _zxing(preprocess.sharpen(gray, sigma=1.5, amount=3.0))


def _zxing_stage(gray: np.ndarray, deadline: _Deadline) -> list[str]:
    for attempt in _zxing_attempts(gray):
        texts = attempt()
        if texts or deadline.passed():
            return texts
    return []


# --- stage 2: pyzbar (zbar) on preprocessed variants --------------------------------
# A different detector (scan lines, not blocks): it reads some codes zxing misses,
# e.g. halftoned or tilted ones, especially after the variants of preprocess.py.
def _pyzbar(img: np.ndarray) -> list[str]:
    # zbar has already transcoded the code's bytes to UTF-8 (Chinese included);
    # binary payloads must not crash us, so replace what is not UTF-8
    symbols = pyzbar.decode(img, symbols=[pyzbar.ZBarSymbol.QRCODE])
    return [s.data.decode("utf-8", errors="replace") for s in symbols if s.data]


def _pyzbar_stage(gray: np.ndarray, deadline: _Deadline) -> list[str]:
    for _name, img in preprocess.pyzbar_variants(gray):
        texts = _pyzbar(img)
        if texts or deadline.passed():
            return texts
    return []


# --- stage 3: OpenCV, the last resort -----------------------------------------------
# Weakest on photos, but a third, independent detector (contours, then quirc-like
# sampling). Its decodeCurved() is deliberately not used: it corrupted the heap on
# these photos with OpenCV 5.0 (see also opencv/opencv#19626, #22892).
def _opencv(img: np.ndarray) -> list[str]:
    detector = cv2.QRCodeDetector()  # holds per-call state: never shared between threads
    try:
        ok, texts, _, _ = detector.detectAndDecodeMulti(img)
        found = [t for t in texts if t] if ok else []
        if not found:
            text, _, _ = detector.detectAndDecode(img)
            found = [text] if text else []
        return found
    except (cv2.error, UnicodeDecodeError, ValueError):
        # the binding raises UnicodeDecodeError for codes whose bytes are not UTF-8
        return []


def _opencv_stage(gray: np.ndarray, deadline: _Deadline) -> list[str]:
    for _name, img in preprocess.opencv_variants(gray):
        texts = _opencv(img)
        if texts or deadline.passed():
            return texts
    return []
