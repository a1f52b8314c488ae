"""Synthetic images for the demo's 入库登记 (photo and signature onboarding), deterministic from a seed.

    signature_photo("赵延续:110105…", 3)   # JPEG: a handwritten signature on paper, as a phone photographs it
    portrait_photo("seed", "F")            # JPEG 600x800: a colour ID-style portrait, as a phone takes it

No font is rendered: a signature is drawn stroke by stroke, each stroke a curve whose width follows the pen's
pressure (thick start, thin exit), in the shapes of Chinese handwriting (横 rising to the right, 竖 with or
without a hook, 撇, 捺, 点, the loops of running script), slanted, with hairlines where the pen did not leave
the paper (连笔) and sometimes a closing flourish. One block of strokes per character of the name. The
images go through the real upload rules (services/uploads), so they are photographed, not clean: paper with
uneven light and sensor noise.
"""
from __future__ import annotations

import hashlib
import io
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

INK = (24, 32, 78)             # a blue-black gel pen
PAPER = (239, 236, 226)


def _rng(seed: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big"))


def _curve(p0, c, p1, n: int = 24) -> list[tuple[float, float]]:
    """A quadratic Bézier from p0 through the pull of c to p1."""
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, d = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append((a * p0[0] + b * c[0] + d * p1[0], a * p0[1] + b * c[1] + d * p1[1]))
    return out


def _stroke(kind: str, r: random.Random) -> tuple[list[tuple[float, float]], str]:
    """One stroke in a unit box (x right, y down): its points and its pressure profile."""
    u = r.uniform
    if kind == "heng":                               # rises a little to the right
        y = u(0.12, 0.88)
        x0, x1 = u(0.0, 0.3), u(0.62, 1.0)
        pts = _curve((x0, y), ((x0 + x1) / 2, y - u(0.02, 0.12)), (x1, y - u(0.03, 0.1)))
        return pts, "press"
    if kind == "shu":
        x = u(0.3, 0.7)
        y0, y1 = u(0.0, 0.25), u(0.7, 1.0)
        pts = _curve((x, y0), (x + u(-0.06, 0.06), (y0 + y1) / 2), (x + u(-0.05, 0.05), y1))
        if r.random() < 0.4:                         # 竖钩: a flick up to the left
            pts += _curve(pts[-1], (pts[-1][0] - 0.05, pts[-1][1] + 0.02), (pts[-1][0] - 0.16, pts[-1][1] - 0.1), 8)[1:]
        return pts, "press"
    if kind == "pie":
        x0, y0 = u(0.45, 0.8), u(0.0, 0.3)
        x1, y1 = u(0.0, 0.25), u(0.65, 1.0)
        return _curve((x0, y0), (x0 - u(0.0, 0.1), (y0 + y1) / 2 + 0.1), (x1, y1)), "taper"
    if kind == "na":
        x0, y0 = u(0.25, 0.5), u(0.25, 0.5)
        return _curve((x0, y0), (x0 + 0.2, y0 + 0.35), (u(0.8, 1.05), u(0.85, 1.0))), "swell"
    if kind == "dian":
        x, y = u(0.2, 0.8), u(0.0, 0.6)
        return _curve((x, y), (x + 0.04, y + 0.05), (x + u(0.06, 0.12), y + u(0.08, 0.14)), 8), "swell"
    # a loop of running script (口, 日 written in one move)
    cx, cy, rx, ry = u(0.35, 0.65), u(0.35, 0.7), u(0.18, 0.32), u(0.15, 0.28)
    start, turns = u(0, math.tau), u(0.75, 1.1)
    pts = [(cx + rx * math.cos(start + a / 30 * math.tau * turns), cy + ry * math.sin(start + a / 30 * math.tau * turns))
           for a in range(31)]
    return pts, "press"


def signature_strokes(seed: str, n_chars: int) -> list[tuple[list[tuple[float, float]], str, float]]:
    """The strokes of a signature of n_chars characters, in units of the character height: each
    (points, pressure profile, width)."""
    r = _rng(seed)
    pen = r.uniform(0.03, 0.048)                    # nib width, in character heights
    slant = r.uniform(0.12, 0.3)
    advance = r.uniform(0.85, 1.05)
    out: list[tuple[list[tuple[float, float]], str, float]] = []
    last = None
    for i in range(max(1, n_chars)):
        x0 = i * advance
        scale = r.uniform(0.85, 1.1) * (0.9 if i else 1.0)
        kinds = r.choices(["heng", "shu", "pie", "na", "dian", "loop"], weights=[5, 4, 3, 2, 2, 2], k=r.randint(3, 6))
        for kind in kinds:
            pts, profile = _stroke(kind, r)
            pts = [(x0 + x * scale + slant * (1 - y), y * scale + (1 - scale) * 0.6) for x, y in pts]
            if last is not None and r.random() < 0.55:           # 连笔: the pen stays on the paper
                mid = ((last[0] + pts[0][0]) / 2 + r.uniform(-0.1, 0.1), (last[1] + pts[0][1]) / 2 - r.uniform(0, 0.15))
                out.append((_curve(last, mid, pts[0], 12), "hair", pen))
            out.append((pts, profile, pen * r.uniform(0.85, 1.2)))
            last = pts[-1]
    if r.random() < 0.5:                             # a closing flourish under the name
        end = n_chars * advance
        out.append((_curve(last, (end + 0.3, 1.25), (r.uniform(-0.1, 0.4), r.uniform(1.05, 1.2)), 30), "taper", pen))
    return out


def _width(profile: str, t: float) -> float:
    if profile == "hair":
        return 0.35
    if profile == "taper":
        return 1.1 - 0.75 * t
    if profile == "swell":
        return 0.6 + 0.8 * t
    return 1.15 - 0.35 * t + 0.2 * math.sin(math.pi * t)         # pressed in, lifted out


def signature_mask(seed: str, n_chars: int, height: int = 160, supersample: int = 3) -> Image.Image:
    """The signature as an "L" mask (255 = ink), the characters `height` px high, antialiased."""
    strokes = signature_strokes(seed, n_chars)
    xs = [x for pts, _, _ in strokes for x, _ in pts]
    ys = [y for pts, _, _ in strokes for _, y in pts]
    s = height * supersample
    margin = 0.25
    x_min, y_min = min(xs) - margin, min(ys) - margin
    w, h = int((max(xs) + margin - x_min) * s), int((max(ys) + margin - y_min) * s)
    im = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(im)
    for pts, profile, pen in strokes:
        n = len(pts)
        for i in range(n - 1):
            (ax, ay), (bx, by) = pts[i], pts[i + 1]
            steps = max(1, int(math.hypot(bx - ax, by - ay) * s / 2))
            for k in range(steps):
                t = (i + k / steps) / (n - 1)
                x, y = ax + (bx - ax) * k / steps, ay + (by - ay) * k / steps
                rad = max(0.6, pen * _width(profile, t) * s / 2)
                cx, cy = (x - x_min) * s, (y - y_min) * s
                d.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), fill=255)
    return im.resize((max(1, w // supersample), max(1, h // supersample)), Image.LANCZOS)


def _photographed(im: Image.Image, r: random.Random, quality: int) -> bytes:
    """Light falling unevenly, sensor noise, a lens's softness; saved as a phone saves it (JPEG)."""
    a = np.asarray(im, dtype=np.float32)
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = r.uniform(-0.12, 0.12), r.uniform(-0.12, 0.12)
    light = 1.0 + gx * (xx / w - 0.5) + gy * (yy / h - 0.5)
    a = a * light[..., None] + np.random.default_rng(r.randrange(2**32)).normal(0, 3.0, a.shape)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def signature_photo(seed: str, n_chars: int) -> bytes:
    """A phone photo (JPEG) of the signature written on a sheet of paper, a little askew."""
    r = _rng("photo:" + seed)
    mask = signature_mask(seed, n_chars, height=r.randint(150, 200))
    pad_x, pad_y = r.randint(120, 260), r.randint(90, 180)
    paper = Image.new("RGB", (mask.width + 2 * pad_x, mask.height + 2 * pad_y), PAPER)
    paper.paste(Image.new("RGB", mask.size, INK), (pad_x, pad_y), mask)
    paper = paper.rotate(r.uniform(-3, 3), resample=Image.BILINEAR, fillcolor=PAPER)
    return _photographed(paper, r, quality=88)


def signature_png(seed: str, n_chars: int) -> bytes:
    """The same signature as a clean scan: dark ink on white, PNG."""
    mask = signature_mask(seed, n_chars)
    im = Image.new("RGB", mask.size, (255, 255, 255))
    im.paste(Image.new("RGB", mask.size, (20, 20, 20)), (0, 0), mask)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


BACKDROPS = [(67, 142, 219), (250, 250, 250), (200, 30, 40)]        # 蓝底 / 白底 / 红底


def portrait_photo(seed: str, sex: str, size: tuple[int, int] = (600, 800)) -> bytes:
    """A colour ID-style portrait (JPEG, 3:4 by default): plain backdrop, head and shoulders, as a phone takes it."""
    r = _rng("portrait:" + seed)
    w, h = size
    k = w / 300
    bg = BACKDROPS[r.randrange(3)]
    skin = (r.randint(196, 232), r.randint(150, 186), r.randint(118, 150))
    hair = (r.randint(15, 50),) * 3
    coat = r.choice([(30, 40, 60), (60, 60, 70), (90, 30, 30), (40, 70, 50)])
    im = Image.new("RGB", size, bg)
    d = ImageDraw.Draw(im)
    cx, top = w / 2, h * 0.14
    face_w = (96 + r.randint(0, 16)) * k
    face_h = 150 * k
    d.ellipse((cx - 135 * k, top + face_h * 1.12, cx + 135 * k, h + 160 * k), fill=coat)           # shoulders
    d.rectangle((cx - 24 * k, top + face_h * 0.8, cx + 24 * k, top + face_h * 1.2), fill=skin)      # neck
    d.ellipse((cx - face_w / 2, top, cx + face_w / 2, top + face_h), fill=skin)                   # face
    if sex == "F":
        d.chord((cx - face_w / 2 - 14 * k, top - 20 * k, cx + face_w / 2 + 14 * k, top + face_h * 0.55), 180, 360, fill=hair)
        d.rectangle((cx - face_w / 2 - 14 * k, top + face_h * 0.17, cx - face_w / 2 + 4 * k, top + face_h * 1.05), fill=hair)
        d.rectangle((cx + face_w / 2 - 4 * k, top + face_h * 0.17, cx + face_w / 2 + 14 * k, top + face_h * 1.05), fill=hair)
    else:
        d.chord((cx - face_w / 2 - 4 * k, top - 14 * k, cx + face_w / 2 + 4 * k, top + face_h * 0.45), 180, 360, fill=hair)
    for ex in (-22 * k, 22 * k):
        d.ellipse((cx + ex - 6 * k, top + 68 * k, cx + ex + 6 * k, top + 76 * k), fill=(30, 30, 30))
    d.arc((cx - 20 * k, top + 102 * k, cx + 20 * k, top + 126 * k), 20, 160, fill=(150, 60, 60), width=max(2, int(3 * k)))
    return _photographed(im, r, quality=90)
