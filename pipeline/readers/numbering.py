"""Word's automatic numbering: the numbering.xml model and the number renderer.

Word does not store list numbers in the text: a paragraph names a list (``numId``) and a level
(``ilvl``), and the label is computed from the level's template (``lvlText`` such as ``%1.%2.``),
its number format, its start value and the paragraphs numbered before it. :class:`Numberer`
replays that computation in document order.

>>> levels = {0: Level(fmt="decimal", text="%1."), 1: Level(fmt="russianLower", text="%2)")}
>>> model = NumberingModel(abstracts={"0": levels}, nums={"1": Num(abstract="0")})
>>> n = Numberer(model)
>>> [n.label("1", lvl) for lvl in (0, 1, 1, 0, 1)]
['1.', 'а)', 'б)', '2.', 'а)']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Level:
    """One ``w:lvl`` of an abstract numbering definition."""

    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # lvlRestart: 1-based level after which this one restarts; 0 = never
    legal: bool = False  # isLgl: every %N of this level's template in decimal
    suff: str = "tab"  # what Word puts between the number and the text: tab, space, nothing
    pstyle: str = ""  # a paragraph style linked to this level


@dataclass(frozen=True)
class Num:
    """A ``w:num``: an abstract definition plus per-level overrides."""

    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


@dataclass
class NumberingModel:
    abstracts: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, Num] = field(default_factory=dict)
    num_style_links: dict[str, str] = field(default_factory=dict)  # abstract id -> numbering style id

    def levels(self, num_id: str, style_num: Callable[[str], str | None] | None = None) -> dict[int, Level]:
        """The effective levels of list ``num_id`` (overrides applied, numStyleLink followed)."""
        num = self.nums.get(num_id)
        if num is None:
            return {}
        return {**self._abstract_levels(num.abstract, style_num), **num.level_overrides}

    def abstract_of(self, num_id: str, style_num: Callable[[str], str | None] | None = None) -> str:
        num = self.nums.get(num_id)
        if num is None:
            return ""
        return self._resolve_abstract(num.abstract, style_num)

    def _resolve_abstract(self, abstract: str, style_num: Callable[[str], str | None] | None) -> str:
        # numStyleLink: the definition lives in the abstractNum of the numbering style's own list.
        seen = set()
        while abstract in self.num_style_links and style_num is not None and abstract not in seen:
            seen.add(abstract)
            linked_num = style_num(self.num_style_links[abstract])
            target = self.nums.get(linked_num or "")
            if target is None:
                break
            abstract = target.abstract
        return abstract

    def _abstract_levels(self, abstract: str, style_num: Callable[[str], str | None] | None) -> dict[int, Level]:
        return self.abstracts.get(self._resolve_abstract(abstract, style_num), {})


# ---------------------------------------------------------------- parsing numbering.xml


def _val(el, name: str) -> str | None:
    child = el.find(W + name)
    return None if child is None else child.get(W + "val")


def _on(el, name: str) -> bool:
    child = el.find(W + name)
    return child is not None and child.get(W + "val", "true") not in ("0", "false", "off")


#: Word accepts list start values up to 32767; a larger one in a damaged or hostile file is clamped.
MAX_START = 32767


def _int(text: str | None, default: int) -> int:
    try:
        value = int(text) if text is not None else default
    except ValueError:
        return default
    return max(-MAX_START, min(value, MAX_START))


def parse_level(lvl) -> Level:
    restart = _val(lvl, "lvlRestart")
    ppr = lvl.find(W + "pPr")
    fmt = _val(lvl, "numFmt") or "decimal"
    text = _val(lvl, "lvlText") or ""
    if fmt == "bullet" and not text.strip() and lvl.find(W + "lvlPicBulletId") is not None:
        text = "•"  # a picture bullet: the picture is not text, but the item is still a bullet
    elif fmt == "bullet":
        fonts = lvl.find(W + "rPr/" + W + "rFonts")
        font = "" if fonts is None else (fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or "")
        if font:
            text = "".join(font_glyph(ch, font) for ch in text)
    return Level(
        fmt=fmt,
        text=text,
        start=_int(_val(lvl, "start"), 0),  # ECMA-376: an omitted start is zero
        restart=None if restart is None else _int(restart, 0),
        legal=_on(lvl, "isLgl"),
        suff=_val(lvl, "suff") or "tab",
        pstyle=(_val(lvl, "pStyle") or (_val(ppr, "pStyle") if ppr is not None else None) or ""),
    )


def parse_numbering(root) -> NumberingModel:
    """The model of a parsed ``word/numbering.xml`` root (or ``None`` for a file without lists)."""
    model = NumberingModel()
    if root is None:
        return model
    for el in root:
        if el.tag == W + "abstractNum":
            aid = el.get(W + "abstractNumId", "")
            levels = {}
            for lvl in el.iter(W + "lvl"):
                levels[_int(lvl.get(W + "ilvl"), 0)] = parse_level(lvl)
            model.abstracts[aid] = levels
            link = _val(el, "numStyleLink")
            if link:
                model.num_style_links[aid] = link
        elif el.tag == W + "num":
            model.nums[el.get(W + "numId", "")] = _parse_num(el)
    return model


def _parse_num(el) -> Num:
    starts: dict[int, int] = {}
    levels: dict[int, Level] = {}
    for ov in el.iter(W + "lvlOverride"):
        ilvl = _int(ov.get(W + "ilvl"), 0)
        start = _val(ov, "startOverride")
        if start is not None:
            starts[ilvl] = _int(start, 1)
        lvl = ov.find(W + "lvl")
        if lvl is not None:
            levels[ilvl] = parse_level(lvl)
    return Num(abstract=_val(el, "abstractNumId") or "", start_overrides=starts, level_overrides=levels)


# ---------------------------------------------------------------- number formats

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))

#: Word's Russian list letters: the alphabet without ё, й, ъ, ь (LibreOffice's table for
#: russianLower, made to match Word: ... ш, щ, ы, э, ю, я, then аа).
RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def roman(n: int) -> str:
    """Upper-case Roman numerals.

    >>> roman(1994)
    'MCMXCIV'
    """
    if n <= 0 or n > 3999:
        return str(n)  # beyond Roman numerals, as Word does
    out = []
    for value, digits in _ROMAN:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def letters(n: int, alphabet: str) -> str:
    """Word's letter numbering: a..z, then aa, bb, ... (the letter repeated, not base 26).

    >>> letters(1, LATIN_LETTERS), letters(27, LATIN_LETTERS), letters(30, RUSSIAN_LETTERS)
    ('a', 'aa', 'аа')
    """
    if n <= 0 or n > 780:
        return str(n)  # Word stops repeating letters at 780 (zz…z)
    return alphabet[(n - 1) % len(alphabet)] * ((n - 1) // len(alphabet) + 1)


FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"0{n}" if 0 < n < 10 else str(n),
    "upperRoman": roman,
    "lowerRoman": lambda n: roman(n).lower(),
    "upperLetter": lambda n: letters(n, LATIN_LETTERS).upper(),
    "lowerLetter": lambda n: letters(n, LATIN_LETTERS),
    "russianLower": lambda n: letters(n, RUSSIAN_LETTERS),
    "russianUpper": lambda n: letters(n, RUSSIAN_LETTERS).upper(),
    "none": lambda n: "",
    "bullet": lambda n: "",
}


def format_number(n: int, fmt: str) -> str | None:
    """``n`` in Word format ``fmt``; ``None`` when the format is not known.

    >>> format_number(4, "upperRoman"), format_number(3, "russianUpper"), format_number(7, "decimalZero")
    ('IV', 'В', '07')
    """
    func = FORMATS.get(fmt)
    return None if func is None else func(n)


#: Bullet characters of the Symbol and Wingdings fonts (private-use code points) and what they show.
#: Word writes U+F0B7 for the Symbol-font round bullet of its default bullet list, U+F0A7 for the
#: Wingdings square bullet, U+F0D8 for the arrowhead, U+F0FC for the tick.
SYMBOL_BULLETS = {
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf0d8": "➢",
    "\uf0fc": "✓",
    "\uf076": "❖",
    "\uf0a8": "□",
    "\uf06e": "■",
    "\uf0e0": "➔",
    "\uf02d": "-",
    "\uf0be": "—",
    "\uf0a0": " ",
}


#: What the symbol fonts show for the characters list bullets use, by font (the code in the font's
#: 8-bit table; Word writes it either plainly or in the private-use area, U+F000 + code).
FONT_GLYPHS = {
    "symbol": {0xB7: "•", 0x2D: "-", 0xBE: "—", 0xA0: " ", 0xAE: "→", 0xDE: "⇒", 0xD7: "·", 0x2A: "∗",
               0xA8: "♦", 0xB0: "°"},
    "wingdings": {0xA7: "▪", 0xD8: "➢", 0xFC: "✓", 0x76: "❖", 0xA8: "□", 0x6E: "■", 0xE0: "➔", 0x6C: "●",
                  0x71: "❑", 0x75: "◆", 0x77: "⬥", 0xA1: "○", 0x9F: "•", 0x9E: "·", 0xFB: "✗", 0xFE: "☑",
                  0xF0: "⇨", 0xE8: "➔", 0x6F: "□", 0x70: "■", 0x73: "♦", 0x74: "⧫"},
}


def font_glyph(ch: str, font: str) -> str:
    """What a character in ``font`` shows: the Symbol and Wingdings codes of bullets mapped to Unicode, and
    the letter «o» of Courier New (Word's second-level bullet) as the white bullet «◦».

    >>> font_glyph("\u00a7", "Wingdings"), font_glyph("\uf0b7", "Symbol"), font_glyph("o", "Courier New")
    ('▪', '•', '◦')
    """
    name = font.lower()
    if name.startswith("courier"):
        return "◦" if ch == "o" else ch
    table = FONT_GLYPHS.get("wingdings" if name.startswith("wingdings") else name.split()[0] if name else "")
    if table is None:
        return ch
    code = ord(ch)
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    elif code > 0xFF:
        return ch
    glyph = table.get(code)
    if glyph is not None:
        return glyph
    return SYMBOL_BULLETS.get(chr(0xF000 + code), "•") if code >= 0x80 or ch >= "\uf000" else ch


def bullet_text(text: str) -> str:
    """The visible bullet of a bullet level's ``lvlText`` (private-use font glyphs mapped).

    >>> bullet_text("\\uf0b7"), bullet_text("o"), bullet_text("\\uf0b1")
    ('•', 'o', '•')
    """
    out = []
    for ch in text:
        if "\uf000" <= ch <= "\uf0ff":
            out.append(SYMBOL_BULLETS.get(ch, "•"))
        else:
            out.append(ch)
    return "".join(out)


_PLACEHOLDER = re.compile(r"%([1-9])")


# ---------------------------------------------------------------- the numberer


class Numberer:
    """Replays Word's list counters in document order; one instance per document.

    Counters belong to the abstract definition, so every ``w:num`` sharing one continues the
    same list (interleaved lists, and a ``w:num`` whose level override only restyles a level, as
    documents converted from .doc have). A ``w:num`` with ``startOverride`` restarts the list once,
    at its first paragraph on a level that has an override, at that override; paragraphs of any
    ``w:num`` of the list then count on from there. This is how LibreOffice reads Word's lists.
    """

    def __init__(self, model: NumberingModel, style_num: Callable[[str], str | None] | None = None) -> None:
        self.model = model
        self.style_num = style_num
        self.counters: dict[str, dict[int, int]] = {}
        self.warnings: list[str] = []
        self.started: set[str] = set()  # w:num ids whose startOverride has been applied
        self._levels_cache: dict[str, dict[int, Level]] = {}
        self._key_cache: dict[str, str] = {}

    def levels(self, num_id: str) -> dict[int, Level]:
        cached = self._levels_cache.get(num_id)
        if cached is None:
            cached = self._levels_cache[num_id] = self.model.levels(num_id, self.style_num)
        return cached

    def style_level(self, num_id: str, style_id: str) -> int | None:
        """The level of list ``num_id`` linked to paragraph style ``style_id`` by its pStyle."""
        if num_id not in self.model.nums:
            return None
        for ilvl, level in self.levels(num_id).items():
            if level.pstyle == style_id:
                return ilvl
        return None

    def _key(self, num_id: str) -> str:
        key = self._key_cache.get(num_id)
        if key is None:
            key = self._key_cache[num_id] = self.model.abstract_of(num_id, self.style_num)
        return key

    def level(self, num_id: str, ilvl: int) -> Level | None:
        if num_id not in self.model.nums:
            return None
        return self.levels(num_id).get(ilvl)

    def label(self, num_id: str, ilvl: int) -> str:
        """Count one paragraph of list ``num_id`` at level ``ilvl`` and return its rendered label."""
        levels = self.levels(num_id) if num_id in self.model.nums else {}
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(self._key(num_id), {})
        overrides = self.model.nums[num_id].start_overrides
        if ilvl in overrides and num_id not in self.started:
            counters[ilvl] = overrides[ilvl]  # the list restarts here
            self.started.add(num_id)
        else:
            counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for shallower in range(ilvl):
            # A level skipped over shows its start value and counts as used (1.1., then 2.).
            if shallower not in counters and shallower in levels:
                counters[shallower] = levels[shallower].start
        for deeper in [d for d in counters if d > ilvl]:
            if _restarts(levels.get(deeper), deeper, ilvl):
                del counters[deeper]
        return self.render(level, levels, counters)

    def render(self, level: Level, levels: dict[int, Level], counters: dict[int, int]) -> str:
        if level.fmt == "bullet":
            return bullet_text(level.text)

        def one(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = levels.get(ref)
            if ref_level is None:
                return ""
            value = counters.get(ref, ref_level.start)
            fmt = "decimal" if level.legal and ref_level.fmt not in ("none", "bullet") else ref_level.fmt
            if fmt == "bullet":
                return bullet_text(ref_level.text)
            text = format_number(value, fmt)
            if text is None:
                self.warn(f"unknown number format {fmt!r}: numbered in decimal")
                text = str(value)
            return text

        return _PLACEHOLDER.sub(one, level.text)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _restarts(level: Level | None, deeper: int, used: int) -> bool:
    """Whether level ``deeper`` restarts when level ``used`` (shallower) is numbered."""
    if level is None or level.restart is None:
        return True
    if level.restart == 0:
        return False
    return used + 1 <= level.restart
