"""The handwritten signature image of 入库登记 (docs/onboarding.md), found on a photo or scan and made clean:

    sig = normalise_signature(data)    # NormalisedImage: ink on transparent, 150 px high (PNG), or an error

1. JPEG or PNG, at most 5 MB, decoded in full within the checks' limits, upright by its EXIF orientation,
   transparency laid on white, in grey, on a working copy of at most 4 MP;
2. the light evened out: the paper's brightness is estimated on a 1/16 copy (a grey-level dilation, which
   removes the ink, then a blur) and divided out, so a shadow or a gradient across the sheet is not ink;
3. ink from paper by Otsu's threshold; marks smaller than a pen's dot (dust, sensor noise) dropped;
4. refused when there is no ink, or it is too faint (paper and ink less than 60 grey levels apart) —
   `signature_no_ink`; when the ink is too small (under 40 px high in the upload) — `signature_too_small`;
   when it is not a signature: more than a quarter of the picture, or half its own box, more than 150
   separate marks (a page of text), or marks too broad for a pen (a photo) — `signature_too_much_ink`;
   when it is higher than wide — `signature_not_landscape`;
5. cut to the ink with a margin, the ink's darkness kept as opacity (antialiased edges, no paper), in one
   near-black colour on a transparent background, scaled to 150 px high (at most 900 wide), saved as a PNG.
"""
from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from backend.services.uploads.errors import SignatureNoInk, SignatureNotLandscape, SignatureTooMuchInk, SignatureTooSmall
from backend.services.uploads.limits import (
    SIGNATURE_HEIGHT,
    SIGNATURE_MAX_COVERAGE,
    SIGNATURE_MAX_DENSITY,
    SIGNATURE_MAX_PIECES,
    SIGNATURE_MAX_STROKE,
    SIGNATURE_MAX_WIDTH,
    SIGNATURE_MIN_ASPECT,
    SIGNATURE_MIN_CONTRAST,
    SIGNATURE_MIN_INK_HEIGHT,
)
from backend.services.uploads.photos import NormalisedImage, load_upright, over_white

INK = (20, 20, 28)            # the one colour of every approved signature


def working_grey(im: Image.Image) -> np.ndarray:
    """The image in grey (8 bits): load_upright made it small already."""
    return np.asarray(over_white(im).convert("L"), dtype=np.uint8)


def even_light(g: np.ndarray) -> np.ndarray:
    """The image divided by the paper's own brightness: paper near 255 everywhere, ink darker."""
    h, w = g.shape
    small = cv2.resize(g, (max(1, w // 16), max(1, h // 16)), interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    paper = cv2.GaussianBlur(paper, (0, 0), 2)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(g, np.maximum(paper, 1), scale=255)


def find_ink(flat: np.ndarray) -> tuple[np.ndarray, int]:
    """(ink mask, number of marks): Otsu's threshold, then marks smaller than a pen's dot dropped."""
    _t, ink = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    n, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    min_area = max(4, int((min(flat.shape) / 400) ** 2 * 6))
    keep = np.zeros(n, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    return keep[labels], int(keep.sum())


def stroke_width(ink: np.ndarray, box_h: int) -> float:
    """The pen's width (twice the 99th percentile of the distance from ink to paper) per height of the ink."""
    inside = cv2.distanceTransform(ink.astype(np.uint8), cv2.DIST_L2, 3)[ink]
    return round(2 * float(np.percentile(inside, 99)) / max(1, box_h), 3)


def normalise_signature(data: bytes) -> NormalisedImage:
    im, source = load_upright(data, colour=False)
    g = working_grey(im)
    scale = source["height"] / g.shape[0]                 # upload px per working px
    flat = even_light(g)
    ink, pieces = find_ink(flat)
    n_ink = int(ink.sum())
    if n_ink == 0:
        raise SignatureNoInk(details={"ink_pixels": 0})
    paper = flat[~ink]
    paper_level = float(paper.mean()) if paper.size else 0.0
    ink_level = float(np.percentile(flat[ink], 20))
    contrast = paper_level - float(flat[ink].mean())
    ys, xs = np.nonzero(ink)
    top, bottom, left, right = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    box_w, box_h = right - left, bottom - top
    checks = {"contrast": round(contrast, 1), "coverage": round(n_ink / ink.size, 4),
              "density": round(n_ink / (box_w * box_h), 3), "pieces": pieces, "stroke": stroke_width(ink, box_h),
              "ink_width": round(box_w * scale), "ink_height": round(box_h * scale)}
    if contrast < SIGNATURE_MIN_CONTRAST:
        raise SignatureNoInk(details={**checks, "min_contrast": SIGNATURE_MIN_CONTRAST})
    if checks["coverage"] > SIGNATURE_MAX_COVERAGE or checks["density"] > SIGNATURE_MAX_DENSITY \
            or pieces > SIGNATURE_MAX_PIECES or checks["stroke"] > SIGNATURE_MAX_STROKE:
        raise SignatureTooMuchInk(details={**checks, "max_coverage": SIGNATURE_MAX_COVERAGE,
                                           "max_density": SIGNATURE_MAX_DENSITY, "max_pieces": SIGNATURE_MAX_PIECES,
                                           "max_stroke": SIGNATURE_MAX_STROKE})
    if checks["ink_height"] < SIGNATURE_MIN_INK_HEIGHT:
        raise SignatureTooSmall(details={**checks, "min_ink_height": SIGNATURE_MIN_INK_HEIGHT})
    if box_w / box_h < SIGNATURE_MIN_ASPECT:
        raise SignatureNotLandscape(details={**checks, "min_aspect": SIGNATURE_MIN_ASPECT})
    # the ink's darkness as opacity, only on and right beside the marks kept (never the paper's noise)
    near = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    depth = max(1.0, paper_level - ink_level)
    alpha = np.clip((paper_level - flat.astype(np.float32)) / depth, 0, 1) * 255 * near
    margin = max(2, round(box_h * 0.08))
    top, left = max(0, top - margin), max(0, left - margin)
    bottom, right = min(ink.shape[0], bottom + margin), min(ink.shape[1], right + margin)
    cut = Image.fromarray(alpha[top:bottom, left:right].astype(np.uint8), "L")
    size = (round(cut.width * SIGNATURE_HEIGHT / cut.height), SIGNATURE_HEIGHT)
    if size[0] > SIGNATURE_MAX_WIDTH:
        size = (SIGNATURE_MAX_WIDTH, max(1, round(cut.height * SIGNATURE_MAX_WIDTH / cut.width)))
    mask = cut.resize(size, Image.LANCZOS)
    out = Image.new("RGBA", size, (*INK, 0))
    out.putalpha(mask)
    buf = io.BytesIO()
    out.save(buf, "PNG")
    return NormalisedImage(buf.getvalue(), "image/png", *size, source=source, checks=checks)
