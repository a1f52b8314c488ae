"""Make the app icons (a white 证 on the theme blue) with Pillow: python pwa/icons/make_icons.py

Needs a CJK font (Debian: fonts-noto-cjk). The PNGs are checked in; run this only to change them.
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
BLUE, WHITE, GREEN = (11, 79, 138), (255, 255, 255), (46, 160, 67)


def icon(size: int, maskable: bool) -> Image.Image:
    scale = 4                                   # draw large, then downsample: smooth edges
    s = size * scale
    im = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    if maskable:                                # full bleed: the platform cuts its own shape
        d.rectangle((0, 0, s, s), fill=BLUE)
        glyph = 0.46                            # inside the 80 % safe zone
    else:
        d.rounded_rectangle((0, 0, s - 1, s - 1), radius=s * 0.22, fill=BLUE)
        glyph = 0.62
    font = ImageFont.truetype(FONT, int(s * glyph), index=2)   # index 2: Simplified Chinese
    box = d.textbbox((0, 0), "证", font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    d.text(((s - w) / 2 - box[0], (s - h) / 2 - box[1] - s * 0.02), "证", font=font, fill=WHITE)
    r = s * (0.07 if maskable else 0.09)        # a green "verified" dot, bottom right
    cx = cy = s * (0.70 if maskable else 0.80)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=GREEN, outline=WHITE, width=max(1, int(s * 0.015)))
    return im.resize((size, size), Image.LANCZOS)


def main() -> None:
    for size in (192, 512):
        icon(size, False).save(HERE / f"icon-{size}.png", optimize=True)
        icon(size, True).save(HERE / f"maskable-{size}.png", optimize=True)
    icon(180, True).convert("RGB").save(HERE / "apple-touch-icon.png", optimize=True)
    icon(32, False).save(HERE / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main()
