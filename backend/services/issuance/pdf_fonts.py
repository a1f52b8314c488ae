"""The certificate's fonts: TrueType files (reportlab embeds TrueType outlines only, never CFF), registered once
per process and embedded as subsets. A character is drawn in the first font of the list that has it, so a
rare character in a name can come from a fallback font. The default (README) is Debian's WenQuanYi Micro Hei
(Latin and the 20,932 common CJK ideographs; Apache-2.0) with Droid Sans Fallback behind it (6,582 more, of
CJK Extension A; Apache-2.0).
"""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from backend.services.issuance.signing_settings import DEFAULT_FONTS

_lock = threading.Lock()
NO_BREAK_BEFORE = set(",。、;:!?)》」』】〕”’,.;:!?)")


class FontMissing(RuntimeError):
    def __init__(self, paths):
        super().__init__(f"证书字体缺失 / no certificate font found: {', '.join(paths)} "
                         "(Debian: apt-get install fonts-wqy-microhei fonts-droid-fallback; or set PDF_FONTS)")


class Fonts:
    """The fonts of PDF_FONTS that exist; `runs` splits a text into (font name, part) by who has each character."""

    def __init__(self, paths=DEFAULT_FONTS):
        self.paths = tuple(str(p) for p in paths if Path(p).is_file())
        if not self.paths:
            raise FontMissing(paths)
        self.names: list[str] = []
        self._cmaps: list[dict] = []
        with _lock:
            for path in self.paths:
                name = "JZ" + hashlib.sha1(path.encode()).hexdigest()[:8]
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))    # a .ttc: its first face
                self.names.append(name)
                self._cmaps.append(pdfmetrics.getFont(name).face.charToGlyph)
        self.main = self.names[0]
        self._cache: dict[str, str] = {}
        self._in_main: set[str] = set()

    def font_for(self, ch: str) -> str:
        name = self._cache.get(ch)
        if name is None:
            code = ord(ch)
            name = next((n for n, cmap in zip(self.names, self._cmaps) if code in cmap), self.main)
            self._cache[ch] = name
            if name == self.main:
                self._in_main.add(ch)
        return name

    def runs(self, text: str) -> list[tuple[str, str]]:
        if self._in_main.issuperset(text):      # the usual case, at C speed
            return [(self.main, text)] if text else []
        out: list[tuple[str, str]] = []
        for ch in text:
            name = self.font_for(ch)
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    def width(self, text: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(part, name, size) for name, part in self.runs(text))

    def fit(self, text: str, size: float, width: float, smallest: float = 6.0) -> float:
        """The largest size up to `size` at which the text fits `width` (not below `smallest`)."""
        w = self.width(text, size)
        return size if w <= width else max(smallest, size * width / w)

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        """Lines that fit `width`: broken between CJK characters, Latin text at spaces; never before a closing
        punctuation mark (it stays at the end of the line, a little past `width`)."""
        lines, line = [], ""
        for token in _tokens(text):
            if line and token not in NO_BREAK_BEFORE and self.width(line + token, size) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        return lines + [line] if line else lines

    def draw(self, c, x: float, y: float, text: str, size: float, *, anchor: str = "start", bold: bool = False):
        """Draw on a reportlab canvas; `anchor` start, middle or end; `bold` strokes the outlines too (the font
        has one weight)."""
        if anchor != "start":
            x -= self.width(text, size) / (2 if anchor == "middle" else 1)
        t = c.beginText(x, y)
        if bold:
            t.setTextRenderMode(2)
            c.setLineWidth(size * 0.035)
        for name, part in self.runs(text):
            t.setFont(name, size)
            t.textOut(part)
        c.drawText(t)


def _tokens(text: str):
    word = ""
    for ch in text:
        if ch == " " or ord(ch) > 0x2E7F:      # a space or a CJK character ends a word
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
    if word:
        yield word
