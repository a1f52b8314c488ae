"""Chinese names in 拼音 order, the order people expect of a register, as the browser's
`Intl.Collator('zh-CN')` (ICU's pinyin collation) shows them, for what the server sorts: the roster's
`sort=name` across pages and its exports.

ICU gives each character a weight in the order of its reading: syllable, then tone (ā á ǎ à), and a name
compares character by character, a shorter name first. The key below does the same from pypinyin's
readings; ü sorts right after u (吕 lǚ after 路 lù, before 论 lùn), as ICU puts it. Characters of the same
reading and tone fall back to code-point order where ICU has an order of its own: rare, and only ever
between two characters that sound alike. A polyphonic character takes its commonest reading (单 dān, not
the surname's shàn): pypinyin has no surname mode, and ICU has none either.

Also the pinyin a search may be typed in: `wangwei` or `ww` finds 王伟.
"""
from __future__ import annotations

import os
from functools import lru_cache

NO_TONE = 5          # the neutral tone sorts after the fourth, as ICU has it


@lru_cache(maxsize=1)
def _pypinyin():
    """pypinyin, loaded when first needed and without its phrase dictionary: names are read a character at a
    time, and the phrases cost every process that imports it 44 MB more (12 MB without them)."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
    import pypinyin
    return pypinyin


@lru_cache(maxsize=8192)
def _char_key(ch: str) -> tuple:
    p = _pypinyin()
    Style, lazy_pinyin = p.Style, p.lazy_pinyin      # noqa: N806 - the library's names
    reading = lazy_pinyin(ch, style=Style.TONE3, neutral_tone_with_five=True, v_to_u=False, errors="default")[0]
    if reading == ch:                       # not a Han character: letters and digits before any Han one
        return (0, ch.lower(), 0, 0, ch)
    letters = reading.rstrip("012345")
    tone = int(reading[len(letters):] or NO_TONE)
    # "lv" is pypinyin's ü: as u, then after it (a secondary difference in ICU)
    return (1, letters.replace("v", "u"), "v" in letters, tone, ch)


def pinyin_key(name: str) -> tuple:
    """A sort key that orders names as the pinyin collation does."""
    return tuple(_char_key(ch) for ch in name)


@lru_cache(maxsize=8192)
def spelled(name: str) -> tuple[str, str]:
    """(full pinyin without tones, initials): 王伟 -> ("wangwei", "ww"); ü as v, as people type it."""
    p = _pypinyin()
    syllables = [s.lower() for s in p.lazy_pinyin(name, style=p.Style.NORMAL, v_to_u=False, errors="default")]
    return "".join(syllables), "".join(s[:1] for s in syllables)
