"""The certificate PDF draws the QR code from the stored PNG's modules: the very symbol of qr.png."""
import pytest

from backend.qr.encode import png_modules, qr_modules, qr_png


@pytest.mark.parametrize("text", ["x", "http://127.0.0.1:5000/v#" + "eyJhbGciOiJFUzI1NiJ9." * 20])
@pytest.mark.parametrize("box", [1, 6, 10])
def test_png_modules_are_the_symbols_modules(text, box):
    png, _ = qr_png(text, box_size=box)
    assert png_modules(png) == qr_modules(text)
