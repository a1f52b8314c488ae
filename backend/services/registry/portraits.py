"""Holder photos: the stored one, or for synthetic demo persons a drawn portrait (deterministic)."""
from __future__ import annotations

import hashlib
import io
from functools import lru_cache

from PIL import Image, ImageDraw

from backend.services.registry.errors import PhotoMissing


@lru_cache(maxsize=256)
def synthetic_portrait(seed: str, sex: str) -> bytes:
    """A 300x400 ID-photo-like drawing: plain backdrop, head, shoulders; colours from the seed."""
    h = hashlib.sha256(seed.encode()).digest()
    bg = [(67, 142, 219), (255, 255, 255), (200, 30, 40)][h[0] % 3]          # 蓝底 / 白底 / 红底
    skin = (224 - h[1] % 40, 180 - h[2] % 40, 150 - h[3] % 40)
    hair = (20 + h[4] % 40,) * 3
    coat = [(30, 40, 60), (60, 60, 70), (90, 30, 30), (40, 70, 50)][h[5] % 4]
    im = Image.new("RGB", (300, 400), bg)
    d = ImageDraw.Draw(im)
    d.ellipse((40, 290, 260, 520), fill=coat)                                 # shoulders
    d.rectangle((125, 230, 175, 300), fill=skin)                              # neck
    face_w = 96 + h[6] % 16
    d.ellipse((150 - face_w // 2, 110, 150 + face_w // 2, 260), fill=skin)    # face
    if sex == "F":
        d.chord((150 - face_w // 2 - 14, 90, 150 + face_w // 2 + 14, 300), 180, 360, fill=hair)
        d.rectangle((150 - face_w // 2 - 14, 190, 150 - face_w // 2 + 4, 290), fill=hair)
        d.rectangle((150 + face_w // 2 - 4, 190, 150 + face_w // 2 + 14, 290), fill=hair)
    else:
        d.chord((150 - face_w // 2 - 4, 96, 150 + face_w // 2 + 4, 200), 180, 360, fill=hair)
    for ex in (-22, 22):                                                       # eyes
        d.ellipse((150 + ex - 6, 178, 150 + ex + 6, 186), fill=(30, 30, 30))
    d.arc((130, 212, 170, 236), 20, 160, fill=(150, 60, 60), width=3)         # mouth
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def photo_of(person) -> tuple[bytes, str]:
    """(image bytes, MIME type) of the person's photo: the stored one, else a drawn one for a demo person."""
    if person.photo:
        return person.photo, person.photo_mime or "image/jpeg"
    if person.synthetic:
        return synthetic_portrait(person.id_number, person.sex), "image/jpeg"
    raise PhotoMissing()
