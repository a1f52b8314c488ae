"""The demo authority's electronic seal: a red round seal, as Chinese official seals are drawn (the name along
the upper arc, a five-pointed star in the middle, a line of text below it), made once on first start when no
seal image is configured (PDF_SEAL_IMAGE). Its lower line says 演示专用章 (seal for demonstration only), so
that it never passes for a real authority's seal whatever ISSUER_NAME says.
"""
from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

RED = (214, 0, 15, 255)
SIZE = 600                       # pixels for a seal printed 40 mm wide: about 380 dpi
DEMO_LINE = "演示专用章"


def _font(paths, size: int, text: str) -> ImageFont.FreeTypeFont:
    """The first of the font files that has every character of `text` (else the first one)."""
    fonts = [ImageFont.truetype(p, size, index=0) for p in paths]
    for f in fonts:
        if all(f.getmask(ch).getbbox() for ch in text if not ch.isspace()):
            return f
    return fonts[0]


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for i in range(10):
        a = math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(a), cy - rr * math.sin(a)))
    draw.polygon(pts, fill=RED)


def _arc_text(img: Image.Image, text: str, font_paths, outer: float) -> None:
    """The name along the upper arc inside the radius `outer`, each character upright towards the centre,
    condensed and heavy as seal engravers cut them."""
    n = max(len(text), 1)
    span = math.radians(min(250.0, 34.0 * n + 20.0))
    size = int(min(SIZE * 0.16, outer * 0.8 * span / n))
    radius = outer - size * 0.6
    font = _font(font_paths, size, text)
    cx = cy = SIZE / 2
    for i, ch in enumerate(text):
        phi = -span / 2 + span * (i + 0.5) / n
        cell = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(cell).text((size, size), ch, font=font, fill=RED, anchor="mm",
                                  stroke_width=max(1, size // 28), stroke_fill=RED)
        cell = cell.crop(cell.getbbox() or (0, 0, 1, 1))                   # centred on the glyph itself
        cell = cell.resize((max(1, int(cell.width * 0.8)), cell.height), Image.LANCZOS)    # condensed
        cell = cell.rotate(-math.degrees(phi), resample=Image.BICUBIC, expand=True)
        x, y = cx + radius * math.sin(phi), cy - radius * math.cos(phi)
        img.alpha_composite(cell, (int(x - cell.width / 2), int(y - cell.height / 2)))


@lru_cache(maxsize=4)
def demo_seal_png(issuer_name: str, font_paths: tuple[str, ...]) -> bytes:
    """A transparent PNG of the seal, SIZE pixels square, naming the issuer in its `issuer` text chunk."""
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    ring = SIZE * 0.036
    draw.ellipse((ring / 2, ring / 2, SIZE - ring / 2, SIZE - ring / 2), outline=RED, width=int(ring))
    _star(draw, SIZE / 2, SIZE / 2, SIZE * 0.16)
    _arc_text(img, issuer_name.strip(), font_paths, SIZE / 2 - ring * 2.6)
    line = _font(font_paths, int(SIZE * 0.08), DEMO_LINE)
    draw.text((SIZE / 2, SIZE * 0.76), DEMO_LINE, font=line, fill=RED, anchor="mm", stroke_width=2, stroke_fill=RED)
    buf = io.BytesIO()
    info = PngInfo()
    info.add_itxt("issuer", issuer_name)
    img.save(buf, "PNG", optimize=True, pnginfo=info)
    return buf.getvalue()
