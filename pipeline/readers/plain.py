"""Plain text basics every reader shares: the encoding of a byte string, the cleaning of its characters, and
the blocks of a text's lines. No reader is registered here, so the readers import it without importing each other.
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from ..records import Block
from . import ReadError

CYRILLIC_ENCODINGS = ("cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5")

_BOMS = (
    (b"\xef\xbb\xbf", "utf_8_sig"),
    (b"\xff\xfe", "utf_16"),
    (b"\xfe\xff", "utf_16"),
)

# C0/C1 controls except tab and newline, soft hyphen, zero-width characters, BOM, the
# replacement of a NUL byte by Word.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_LINE = re.compile(r"[^\n]+")


# Relative frequencies of Russian letters (per mille, National Corpus), to tell code pages apart on a
# few words, where charset-normalizer has too little to go on («ВОДИТЕЛЬ» in koi8-r reads as cp1251 too).
_RU_FREQ = dict(zip(
    "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
    (110, 85, 80, 67, 62, 63, 55, 47, 45, 44, 35, 32, 30, 28, 26, 20, 19, 17, 17, 16, 16, 14, 12, 10,
     9, 7, 6, 5, 4, 3, 3, 0.4, 0.4),
    strict=True,
))
_C0 = bytes(range(0, 32)).replace(b"\t", b"").replace(b"\n", b"").replace(b"\r", b"")
_SHORT_SAMPLE = 400


def _russian_score(text: str) -> float:
    """Log-likelihood of ``text`` as Russian: letter frequencies, and upper case only at word starts."""
    import math

    score = 0.0
    for word in re.findall(r"\w+", text):
        caps = word.isupper()
        for k, ch in enumerate(word):
            low = ch.lower()
            if low in _RU_FREQ:
                score += math.log(_RU_FREQ[low] / 1000)
                if ch.isupper() and k > 0 and not caps:
                    score -= 4.0  # «мЕОЕДФЕП»: koi8-r bytes read as cp1251 swap the case
            elif ch.isalpha():
                score -= 9.0  # a letter no Russian text holds
    # Box drawing, pseudographics and other symbols: what a wrong code page makes of letters. Typographic
    # marks cost more than any letter too: MacCyrillic reads a cp1251 «З» as «.
    for ch in text:
        if ord(ch) > 127 and not ch.isalpha() and not ch.isspace():
            score -= 6.0 if ch in "«»–—№…“”„" else 9.0
    return score


def _rank_cyrillic(sample: bytes) -> str | None:
    best, best_score = None, float("-inf")
    for name in CYRILLIC_ENCODINGS:
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        if sum(not ch.isprintable() and ch not in "\t\n\r" for ch in text) > len(text) // 20:
            continue
        score = _russian_score(text)
        if score > best_score:
            best, best_score = name, score
    return best


#: A text longer than this (about a thousand instructions) is refused: split the file.
MAX_TEXT_CHARS = 16_000_000


def mixed_lines(data: bytes) -> list[tuple[bytes, bool]] | None:
    """Lines of a file that mixes UTF-8 and a legacy code page, each with whether it is UTF-8; None if not mixed.

    A Cyrillic line in cp1251 or koi8-r is almost never valid UTF-8, so a line that decodes as UTF-8 and holds
    non-ASCII letters was written in UTF-8.
    """
    lines = data.splitlines(keepends=True)
    marked, utf8, legacy = [], 0, 0
    for line in lines:
        try:
            line.decode("utf-8")
            is_utf8 = True
            utf8 += any(b > 127 for b in line)
        except UnicodeDecodeError:
            is_utf8 = False
            legacy += 1
        marked.append((line, is_utf8))
    return marked if utf8 and legacy else None


def _decode_mixed(data: bytes) -> tuple[str, str] | None:
    marked = mixed_lines(data)
    if marked is None:
        return None
    other = b"".join(line for line, is_utf8 in marked if not is_utf8)
    encoding = _rank_cyrillic(other.translate(None, _C0)[:_SHORT_SAMPLE * 4]) or "cp1251"
    text = "".join(line.decode("utf-8") if is_utf8 else line.decode(encoding, errors="replace")
                   for line, is_utf8 in marked)
    return text, encoding


def detect_encoding(data: bytes) -> str:
    """The encoding of ``data``, as a Python codec name.

    >>> detect_encoding("Ведет учет".encode("utf-8"))
    'utf_8'
    >>> detect_encoding("Менеджер по продажам подчиняется директору.".encode("koi8_r"))
    'koi8_r'
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf_8"
    except UnicodeDecodeError:
        pass
    # Control bytes mean the same in every candidate code page and only confuse the detector.
    sample = data[: 1 << 20].translate(None, _C0)
    if len(sample) <= _SHORT_SAMPLE:
        ranked = _rank_cyrillic(sample)
        if ranked is not None:
            return ranked
    best = from_bytes(sample, cp_isolation=list(CYRILLIC_ENCODINGS)).best()
    if best is None:
        raise ReadError("cannot detect a text encoding: not Russian text in a known encoding")
    return best.encoding


def clean_text(text: str) -> str:
    """Line endings to ``\\n``; controls, soft hyphens and zero-width marks removed; odd spaces to spaces.

    >>> clean_text("а\\r\\nб\\rв\\u00adг\\u00a0д")
    'а\\nб\\nвг д'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text)


def line_blocks(text: str) -> tuple[Block, ...]:
    """One block per non-blank line; ``text[b.start:b.stop] == b.text`` with outer spaces trimmed."""
    blocks = []
    for i, m in enumerate(_LINE.finditer(text)):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        indent = len(line) - len(line.lstrip())
        blocks.append(Block(text=stripped, level=indent, paragraph=i, start=start, stop=start + len(stripped)))
    return tuple(blocks)


