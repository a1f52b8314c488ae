"""入库登记's upload rules (docs/onboarding.md): a colour ID photo judged and normalised to 358x441, a signature
found on a photo or scan and kept as ink on transparent, 150 px high; everything else refused with its reason."""
import io

import numpy as np
import pytest
from PIL import Image

from backend.services.uploads.errors import (
    ImageTooLarge,
    ImageUnreadable,
    PhotoAspect,
    PhotoBlank,
    PhotoExposure,
    PhotoNotColour,
    PhotoTooSmall,
    SignatureNoInk,
    SignatureNotLandscape,
    SignatureTooMuchInk,
    SignatureTooSmall,
    UnsupportedFileType,
)
from backend.services.uploads.id_photo import normalise_photo
from backend.services.uploads.signature import normalise_signature
from tests.onboarding_images import (
    blank_paper,
    encode,
    portrait,
    portrait_photo,
    signature,
    signature_photo,
    signature_png,
    text_page,
    turned,
)


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


# -- the photo -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(600, 800), (358, 441), (400, 600), (1200, 1680), (500, 590)])
def test_a_colour_portrait_becomes_a_358x441_jpeg(size):
    data = encode(portrait("p", "F").resize(size))
    got = normalise_photo(data)
    im = opened(got.data)
    assert (got.mime, im.format, im.size, im.mode) == ("image/jpeg", "JPEG", (358, 441), "RGB")
    assert (got.width, got.height) == (358, 441) and len(got.sha256) == 64
    assert got.source == {"mime": "image/jpeg", "bytes": len(data), "width": size[0], "height": size[1]}
    assert got.checks["ratio"] == round(size[0] / size[1], 3) and got.checks["colourfulness"] > 15
    assert not im.getexif() and "icc_profile" not in im.info          # nothing of the upload's metadata


def test_the_photo_is_cut_about_its_centre():
    """A 2:3 photo loses equal bands at top and bottom: a red band on top and a blue one below, each 1/12 of
    the height, are cut away (358:441 keeps 0.82 of a 2:3 photo's height)."""
    im = portrait("c").resize((600, 900))
    px = im.load()
    for y in range(75):
        for x in range(600):
            px[x, y], px[x, 899 - y] = (255, 0, 0), (0, 0, 255)
    out = opened(normalise_photo(encode(im)).data).convert("RGB")
    top, bottom = np.asarray(out)[:3].mean(axis=(0, 1)), np.asarray(out)[-3:].mean(axis=(0, 1))
    far = lambda colour, target: np.abs(colour - np.array(target)).sum() > 150      # noqa: E731
    assert far(top, (255, 0, 0)) and far(bottom, (0, 0, 255)), (top, bottom)     # neither band is left


def test_png_with_transparency_lies_on_white():
    im = portrait("t").convert("RGBA")
    im.putpixel((0, 0), (0, 0, 0, 0))
    got = normalise_photo(encode(im, "PNG"))
    assert got.source["mime"] == "image/png" and opened(got.data).size == (358, 441)


def test_a_phone_photo_stored_sideways_is_judged_upright():
    """EXIF orientation 6: stored 800x600, shown 600x800. Accepted as the upright portrait it is, while the
    same pixels without the tag are a landscape picture."""
    im = portrait("r")
    got = normalise_photo(turned(im))
    assert (got.source["width"], got.source["height"]) == (600, 800)
    with pytest.raises(PhotoAspect) as e:
        normalise_photo(encode(im.transpose(Image.Transpose.ROTATE_90)))
    assert e.value.details["ratio"] == 1.333


@pytest.mark.parametrize("size,error", [
    ((357, 441), PhotoTooSmall), ((358, 440), PhotoTooSmall), ((300, 400), PhotoTooSmall),
    ((600, 600), PhotoAspect), ((800, 600), PhotoAspect), ((480, 900), PhotoAspect),   # square, landscape, 0.53
])
def test_size_and_shape(size, error):
    with pytest.raises(error) as e:
        normalise_photo(encode(portrait("s").resize(size)))
    assert e.value.status == 422 and e.value.details["width"] == size[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.message) and e.value.message_en


def test_aspect_limits_are_inclusive_of_2_3_and_3_4():
    for size in ((400, 600), (450, 600), (425, 500)):          # 0.667, 0.75, 0.85
        assert normalise_photo(encode(portrait("a").resize(size))).width == 358


def test_black_and_white_photos_are_refused():
    im = portrait("g")
    with pytest.raises(PhotoNotColour) as grey_file:
        normalise_photo(encode(im.convert("L")))               # a grey JPEG
    assert grey_file.value.details == {"mode": "L"}
    with pytest.raises(PhotoNotColour) as grey_pixels:
        normalise_photo(encode(im.convert("L").convert("RGB")))     # colour file, grey pixels
    assert grey_pixels.value.details["colourfulness"] < 8


@pytest.mark.parametrize("make,error", [
    (lambda: Image.new("RGB", (600, 800), (67, 142, 219)), PhotoBlank),          # the backdrop alone
    (lambda: portrait("d").point(lambda v: v // 10), PhotoExposure),             # far too dark
    (lambda: portrait("b").point(lambda v: min(255, v + 200)), PhotoExposure),   # burnt out
])
def test_blank_and_badly_exposed_photos_are_refused(make, error):
    with pytest.raises(error):
        normalise_photo(encode(make()))


def test_what_is_not_an_image_is_refused_before_any_rule():
    with pytest.raises(UnsupportedFileType):
        normalise_photo(b"GIF89a" + b"\0" * 100)
    with pytest.raises(ImageUnreadable):
        normalise_photo(portrait_photo("x", "M")[:2000])               # truncated
    with pytest.raises(ImageTooLarge):
        normalise_photo(b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024))


def test_a_large_phone_photo_is_decoded_small():
    """A 24 MP photo under 5 MB: decoded at a reduced scale, so the rules cost little memory."""
    data = encode(portrait("big").resize((4000, 5600)), quality=60)
    assert len(data) < 5 * 1024 * 1024
    got = normalise_photo(data)
    assert (got.source["width"], got.source["height"], got.width) == (4000, 5600, 358)


# -- the signature ---------------------------------------------------------------------------------------------

def ink_and_paper(data: bytes):
    im = opened(data)
    a = np.asarray(im)
    return im, a[..., 3]


@pytest.mark.parametrize("seed,chars", [("王建国:1", 3), ("李秀英:2", 3), ("刘洋:3", 2), ("欧阳明月:5", 4)])
def test_a_photographed_signature_becomes_ink_on_transparent(seed, chars):
    data = signature_photo(seed, chars)
    got = normalise_signature(data)
    im, alpha = ink_and_paper(got.data)
    assert (got.mime, im.format, im.mode, im.height) == ("image/png", "PNG", "RGBA", 150)
    assert im.width > im.height and im.width <= 900
    assert alpha[0, 0] == alpha[-1, -1] == 0                               # no paper left
    assert (alpha == 255).sum() > 500 and 0.03 < (alpha > 0).mean() < 0.4  # solid ink, mostly empty around it
    assert np.unique(np.asarray(im)[..., :3][alpha > 0].reshape(-1, 3), axis=0).tolist() == [[20, 20, 28]]
    # the ink touches its margin's edge nowhere: cut with room around it
    assert alpha[:3].max() == alpha[-3:].max() == alpha[:, :3].max() == alpha[:, -3:].max() == 0
    assert got.checks["pieces"] >= 1 and got.checks["ink_height"] >= 40


def test_a_clean_scan_and_a_transparent_png_are_accepted():
    scan = normalise_signature(signature_png("赵延续:4", 3))
    mask = opened(signature_png("赵延续:4", 3)).convert("L").point(lambda v: 255 - v)
    clear = Image.new("RGBA", mask.size, (0, 0, 0, 0))
    clear.putalpha(mask)                                                   # black ink, alpha = ink
    transparent = normalise_signature(encode(clear, "PNG"))
    assert scan.height == transparent.height == 150
    assert abs(scan.width - transparent.width) <= 3


def test_uneven_light_across_the_sheet_is_not_ink():
    """A strong shadow falling across the paper (a third darker on one side) leaves the signature alone."""
    im = signature("影子:7", 2)
    a = np.asarray(im, dtype=np.float32)
    shade = np.linspace(0.62, 1.0, a.shape[1], dtype=np.float32)[None, :, None]
    got = normalise_signature(encode(Image.fromarray((a * shade).astype(np.uint8))))
    clean = normalise_signature(encode(im))
    assert abs(got.checks["coverage"] - clean.checks["coverage"]) < 0.01
    assert abs(got.width - clean.width) <= 6


def test_a_signature_stored_sideways_is_judged_upright():
    got = normalise_signature(turned(signature("转向:8", 3)))
    assert got.height == 150 and got.width > 150


@pytest.mark.parametrize("make,error", [
    (lambda: blank_paper(), SignatureNoInk),                                        # nothing written
    (lambda: encode(Image.new("RGB", (800, 400), "black")), SignatureNoInk),         # all dark, no paper
    (lambda: encode(Image.fromarray((255 - (255 - np.asarray(signature()).astype(np.float32)) * 0.18)
                                    .astype(np.uint8))), SignatureNoInk),           # pencil too faint
    (lambda: text_page(), SignatureTooMuchInk),                                     # a page of text
    (lambda: encode(signature().resize((180, 80))), SignatureTooSmall),             # photographed from afar
    (lambda: encode(signature().transpose(Image.Transpose.ROTATE_90)), SignatureNotLandscape),
    (lambda: portrait_photo("face", "F"), SignatureTooMuchInk),                     # a portrait photo
])
def test_what_is_not_a_usable_signature_is_refused(make, error):
    with pytest.raises(error) as e:
        normalise_signature(make())
    assert e.value.status == 422
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.message) and e.value.message_en


def test_too_much_ink_says_what_was_measured():
    with pytest.raises(SignatureTooMuchInk) as e:
        normalise_signature(text_page())
    d = e.value.details
    assert d["pieces"] > d["max_pieces"] and set(d) >= {"coverage", "density", "stroke", "max_coverage"}
