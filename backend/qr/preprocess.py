"""Image variants tried by the fallback stages of the QR decoder (see decode.py).

zxing-cpp binarises locally and searches rotations and scales by itself; pyzbar and
OpenCV do much less, so for them we prepare the image variants that rescue the
photos they miss. Variants are produced lazily, in the order that found most codes
per millisecond on the ZXing blackbox photos and the synthetic certificate photos:
each one is computed only if every earlier one failed.
"""
from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

# zbar's and OpenCV's cost grows with the pixel count while a certificate QR stays
# readable well below a phone's full resolution; first attempts run on this size.
WORK_SIDE = 1600
CV_SIDE = 1280


def fit(gray: np.ndarray, max_side: int) -> np.ndarray:
    """Downscale so the longer side is at most max_side (area averaging also denoises)."""
    f = max_side / max(gray.shape)
    return gray if f >= 1 else scale(gray, f)


def scale(gray: np.ndarray, f: float) -> np.ndarray:
    h, w = gray.shape
    size = (max(1, round(w * f)), max(1, round(h * f)))  # never 0 px, even for a 1 px strip
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)


def otsu(gray: np.ndarray) -> np.ndarray:
    # one global threshold: fixes low contrast when the light is even
    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    return cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def adaptive(gray: np.ndarray) -> np.ndarray:
    # local threshold over a window larger than a module: shadows and vignetting
    block = max(15, (min(gray.shape) // 24) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 5)


def sharpen(gray: np.ndarray, sigma: float = 2.0, amount: float = 0.8) -> np.ndarray:
    # unsharp mask: restores the module edges of a defocused photo
    blurred = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1 + amount, blurred, -amount, 0)


def rotate(gray: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate on an enlarged white canvas so no corner of the code is cut off."""
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    c, s = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * s + w * c), int(h * c + w * s)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(gray, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=255)


def pyzbar_variants(gray: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    work = fit(gray, WORK_SIDE)
    yield "as-is", work
    # zbar's scan lines trip over noise, halftone dots and JPEG ringing
    yield "blur", cv2.GaussianBlur(work, (5, 5), 0)
    if max(work.shape) < 1000:
        # codes with modules of 1-2 px: zbar needs wider bars to measure
        yield "x2", scale(work, 2.0)
    yield "half", scale(work, 0.5)
    yield "sharpen", sharpen(work)
    yield "otsu", otsu(work)
    yield "adaptive", adaptive(work)
    # zbar locates finder patterns along horizontal and vertical scan lines, which
    # fails on some codes tilted near 45 degrees (and on some curved ones)
    yield "rotate45", rotate(work, 45)
    # overexposure and ink spread on cloth or glossy paper shrink the dark modules;
    # growing them back (on a 2x copy of small images, so the step is half a pixel)
    # restores the 1:1:3:1:1 finder ratios zbar checks
    thick = cv2.erode(scale(work, 2.0) if max(work.shape) < 1000 else work, np.ones((3, 3), np.uint8))
    yield "thicken", thick
    yield "thicken-rotate45", rotate(thick, 45)
    if work is not gray:
        # a small code in a big photo: the downscaled copy may have lost its modules
        yield "full-resolution", gray
    yield "median", cv2.medianBlur(work, 3)


def opencv_variants(gray: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    work = fit(gray, CV_SIDE)
    yield "as-is", work
    yield "sharpen", sharpen(work)
    yield "mirrored", cv2.flip(work, 1)  # codes seen through glass or printed mirrored
