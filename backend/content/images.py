"""What an uploaded JPEG, PNG or WebP will cost to decode, read from its bytes before any pixel is.

Shared by the photo loader (load.py) and the proof-file checks (services/uploads/checks.py). Everything here reads
headers and chunk lists only, in time linear in the file size and with no allocation beyond one copy of it.
"""
from __future__ import annotations

from io import BytesIO

from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

# Bytes per pixel of a decoded Pillow image by mode: Pillow stores every multi-band mode (RGB, LA...) as
# 4 bytes per pixel, so a "small" RGB image costs as much as an RGBA one.
MODE_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I": 4, "F": 4}
MAX_JPEG_SEGMENTS = 1000     # markers before the first scan: a real file has a few dozen (ICC chunks, EXIF...)
MAX_JPEG_SCANS = 100         # progressive files have ~10; each scan walks the whole coefficient buffer again
MAX_PNG_CHUNKS = 100_000     # encoders write 8-64 KB IDAT chunks; millions of empty ones only cost time
# the chunks a PNG decoder needs; eXIf for the orientation. Text (zTXt, iTXt), ICC profiles and APNG frames
# are dropped: libpng keeps up to 1000 decompressed text chunks of 8 MB each, so a 4 MB file of zTXt
# chunks cost OpenCV 4 GB and 29 s (measured), and Pillow holds up to 64 MB of text
PNG_KEEP = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"eXIf"}


def mode_bytes(mode: str) -> int:
    return MODE_BYTES.get(mode, 4)


# --- JPEG ---------------------------------------------------------------------------

def _first_scan(data: bytes) -> int:
    """Offset of the main image's first SOS marker, walking the segments (an EXIF thumbnail inside APP1 has
    its own SOS, so searching for the bytes would find the wrong one)."""
    pos, segments, n = 2, 0, len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:                    # junk between segments: libjpeg and Pillow skip it too
            pos = data.find(b"\xff", pos)
            if pos < 0:
                break
            continue
        marker = data[pos + 1]
        if marker == 0xFF:                       # fill byte
            pos += 1
            continue
        segments += 1
        if segments > MAX_JPEG_SEGMENTS:
            raise ValueError("too many JPEG segments")
        if marker == 0xDA:
            return pos
        if marker == 0xD9:
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:     # markers without a length
            pos += 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    raise ValueError("no JPEG scan")


def open_jpeg(data: bytes) -> tuple[JpegImageFile, int]:
    """The header of a JPEG (nothing decoded yet) and the bytes libjpeg will buffer for its DCT coefficients.

    libjpeg decodes a single-scan (baseline, interleaved) file row by row, at the scale asked for with
    draft(); a progressive file, or one whose first scan holds fewer than all components, needs the whole
    image's coefficients (2 bytes per sample, at full size, whatever the scale): 3 bytes per pixel for 4:2:0
    colour, 6 for 4:4:4. Measured: a 40 MP progressive 4:4:4 photo cost 229 MB decoded at 1/8.
    Not Image.open: its decompression-bomb guard refuses the 200 MP photos of some phones, which the caller
    decodes at 1/8 scale after its own checks.
    """
    sos = _first_scan(data)
    if data.count(b"\xff\xda", sos) > MAX_JPEG_SCANS:
        raise ValueError("too many JPEG scans")
    im = JpegImageFile(BytesIO(data))
    components = len(im.layer) or 1
    in_first_scan = data[sos + 4] if sos + 4 < len(data) else components
    if not (im.info.get("progressive") or in_first_scan < components):
        return im, 0
    hmax = max((h for _, h, _, _ in im.layer), default=1) or 1
    vmax = max((v for _, _, v, _ in im.layer), default=1) or 1
    w, h = im.size
    blocks = 0
    for _, hs, vs, _ in im.layer or [(1, 1, 1, 0)]:
        hs, vs = hs or 1, vs or 1
        bw, bh = -(-w * hs // (8 * hmax)), -(-h * vs // (8 * vmax))      # blocks of this component...
        blocks += -(-bw // hs) * hs * -(-bh // vs) * vs                   # ...padded to whole MCUs
    return im, blocks * 128


def jpeg_scale(width: int, height: int, max_pixels: int) -> int | None:
    """The smallest libjpeg scale denominator (1, 2, 4 or 8) that brings the image within max_pixels."""
    return next((s for s in (1, 2, 4, 8) if -(-width // s) * -(-height // s) <= max_pixels), None)


def draft_scaled(im: JpegImageFile, scale: int, mode: str = "L") -> None:
    """Ask libjpeg for 1/scale of the size (draft() picks the largest scale whose result is at least the
    size asked, so ask for the floor)."""
    w, h = im.size
    im.draft(mode, (max(1, w // scale), max(1, h // scale)))


# --- PNG ----------------------------------------------------------------------------

def png_essentials(data: bytes) -> bytes:
    """The PNG with only the chunks needed to decode its pixels (see PNG_KEEP). Raises ValueError when the
    chunk structure is broken."""
    view, n = memoryview(data), len(data)
    parts, pos, count = [view[:8]], 8, 0
    while pos + 12 <= n:
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > n:
            raise ValueError("truncated PNG chunk")
        count += 1
        if count > MAX_PNG_CHUNKS:
            raise ValueError("too many PNG chunks")
        # unknown critical chunks (upper-case first letter) stay: the decoder must refuse them itself
        if kind in PNG_KEEP or not kind[:1].islower():
            parts.append(view[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(parts)


def open_png(data: bytes) -> tuple[Image.Image, bytes]:
    """Pillow's view of the PNG's essential chunks (the header only; decode with load()), and those chunks."""
    essentials = png_essentials(data)
    return Image.open(BytesIO(essentials), formats=["PNG"]), essentials
