"""Units: blocks with their list marker parsed, number-only lines merged, wrapped lines joined.

A unit is the segmenter's view of one paragraph: its marker (typed or rendered), the marker's kind and
numeric path, and its content with offsets into ``Document.text``. Every regular expression here is
anchored and bounded, so none can backtrack badly on a long line.

>>> parse_marker("1.4.1. Ведет учет")
('1.4.1.', 'multi', (1, 4, 1), 7)
>>> parse_marker("1.Общие положения")[:3]
('1.', 'single', (1,))
>>> parse_marker("ІV. Ответственность")[:3]
('ІV.', 'roman', (4,))
>>> parse_marker("-правила дорожного движения;")[:2]
('-', 'bullet')
>>> parse_marker("05.09.2025")
('', 'none', (), 0)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..records import Block, Document
from ..text import morph
from .vocab import is_quantity

MULTI = re.compile(r"(\d{1,3}(?:\.\d{1,3}){1,4})(\.?)(?=\s|[^\d.\s]|$)")
SINGLE = re.compile(r"(\d{1,3})([.)])(?=\s|[А-ЯЁA-Z«\"(]|$)")
# Roman numerals, written with Latin letters or with the Cyrillic/Ukrainian look-alike І (U+0406).
ROMAN = re.compile(r"([IVXІ]{1,6})\.(?=\s|[А-ЯЁ]|$)")
LETTER = re.compile(r"([а-яё])\)(?=\s)")
PART = re.compile(r"(раздел|глава)\s+(\d{1,3}|[IVXІ]{1,6})\.?(?=\s|$)", re.I)
BULLETS = "•·▪▫◦‣⁃∙●○■□►▶➤➢✓✔❖♦◆*-–—−"
BULLET = re.compile(rf"([{re.escape(BULLETS)}])(?=\S|\s|$)")
NUMBER_ONLY = re.compile(r"(?:\d{1,3}(?:\.\d{1,3}){0,4}\.?|[IVXІ]{1,6}\.)")
# «Стр. 1 из 2», «Страница 3», «- 2 -» closing a line: a page's running header or footer in a PDF copy
PAGE_NUMBER = re.compile(r"(?:\bстр\.|\bстраница)\s*\d{1,3}(?:\s*(?:из|/)\s*\d{1,3}|\s*\(\s*всего\s+\d{1,3}\s*\))?\s*$"
                         r"|^\s*[-–—]\s*\d{1,3}\s*[-–—]\s*$", re.I)
#: «=== texts/duties.txt ===», «----- конец -----»: a separator line, never part of a paragraph
SEPARATOR_LINE = re.compile(r"^([-=*_~#])\1{2,}")
MARKDOWN_PREFIX = re.compile(r"(?:>+\s*)+|#{1,6}\s+")
_ROMAN_VALUES = {"I": 1, "І": 1, "V": 5, "X": 10, "L": 50}


def roman_value(text: str) -> int:
    total, prev = 0, 0
    for ch in reversed(text):
        v = _ROMAN_VALUES.get(ch, 0)
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _is_symbol(ch: str) -> bool:
    # «№ п/п» heads a table's number column; «© 2024», «° C» are not list markers either
    return unicodedata.category(ch) in ("So", "Sk") and ch not in "«»\"'№©®°™"


def parse_marker(text: str) -> tuple[str, str, tuple[int, ...], int]:
    """(marker as written, kind, numeric path, offset where the content starts) for a typed marker."""
    m = MULTI.match(text)
    if m:
        path = tuple(int(x) for x in m.group(1).split("."))
        return m.group(0), "multi", path, _skip_space(text, m.end())
    m = SINGLE.match(text)
    if m:
        return m.group(0), "single", (int(m.group(1)),), _skip_space(text, m.end())
    m = ROMAN.match(text)
    if m:
        return m.group(0), "roman", (roman_value(m.group(1)),), _skip_space(text, m.end())
    m = LETTER.match(text)
    if m:
        return m.group(0), "letter", (ord(m.group(1)) - ord("а") + 1,), _skip_space(text, m.end())
    m = PART.match(text)
    if m:
        g = m.group(2)
        value = int(g) if g.isdigit() else roman_value(g)
        return m.group(0), "part", (value,), _skip_space(text, m.end())
    if text[:1] and (text[0] in BULLETS or _is_symbol(text[0])):
        # A dash before a digit is a minus sign, two stars are Markdown bold, «---- конец ----» a separator.
        if text.startswith(("**", "--", "——", "––", "==")) or (text[0] in "-−" and text[1:2].isdigit()):
            return "", "none", (), 0
        if text[0] == "*" and text[1:2] not in (" ", "\t", ""):
            return "", "none", (), 0  # «*Утверждена приказом …*»: Markdown italics; a star bullet has a space
        end = 1
        while end < len(text) and (_is_symbol(text[end]) or text[end] == "\ufe0f"):
            end += 1
        return text[:end], "bullet", (), _skip_space(text, end)
    return "", "none", (), 0


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def rendered_kind(label: str) -> tuple[str, tuple[int, ...]]:
    """Kind and path of a number rendered by the reader (Word's automatic numbering, HTML lists)."""
    label = label.strip()
    marker, kind, path, _ = parse_marker(label + " x")
    if kind != "none":
        return kind, path
    if label:
        return "bullet", ()
    return "none", ()


@dataclass
class Unit:
    """One paragraph as the segmenter sees it (mutable while units are built, then read only)."""

    start: int  # of the whole paragraph in Document.text, typed marker included
    stop: int
    marker: str
    kind: str  # multi | single | roman | letter | part | bullet | none
    path: tuple[int, ...]
    content_start: int
    text: str  # the content, wrapped lines joined with one space
    heading: int = 0  # heading level given by the reader (Word style, HTML h1-h6, Markdown #)
    gap_before: bool = False  # a blank line (or paragraph break) before it
    rendered: bool = False  # the marker came from the reader, not the text
    indented: bool = False  # a plain-text line that starts after spaces: a wrapped line of the item above
    cell: tuple[int, int, int] | None = None  # (table, row, column) of a table cell's paragraph
    style: str = ""  # the reader's style of the first block («post:h1»: the start of a post read from a data file)
    blocks: list[int] = field(default_factory=list)
    pieces: list[tuple[int, int]] = field(default_factory=list)  # content spans in Document.text
    offsets: list[int] = field(default_factory=list)  # Document.text offset of each character of text

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Document offsets of ``text[i:j]``."""
        if not self.offsets or i >= j:
            return self.content_start, self.content_start
        return self.offsets[i], self.offsets[min(j, len(self.offsets)) - 1] + 1

    @property
    def numbered(self) -> bool:
        return self.kind in ("multi", "single", "roman", "letter", "part")


_TERMINAL = ".;:!?"


def ends_open(text: str) -> bool:
    """True when a line stops mid-sentence (a hard wrap), not at a sentence or item end."""
    t = text.rstrip(" »\"')*")
    return bool(t) and t[-1] not in _TERMINAL


def _starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def _block_unit(doc: Document, index: int, block: Block) -> Unit:
    text, start = block.text, block.start
    heading = block.heading
    m = MARKDOWN_PREFIX.match(text)
    if m and doc.format == "txt":
        if text.startswith("#"):
            heading = len(text) - len(text.lstrip("#"))
        start += m.end()
        text = text[m.end():]
    if block.number:
        kind, path = rendered_kind(block.number)
        marker, cstart = block.number, start
        rendered = True
    else:
        marker, kind, path, offset = parse_marker(text)
        if kind == "multi" and is_quantity(marker, text[offset:]):
            marker, kind, path, offset = "", "none", (), 0  # «29.94 Кб»: a size, not clause 29.94
        if kind == "none" and doc.format == "txt":
            marker, kind, path, offset = _emphasised_marker(text) or _table_row(text) or (marker, kind, path, offset)
        cstart = start + offset
        rendered = False
    cstop = block.stop
    if marker == "|":
        cstop = start + len(text.rstrip().rstrip("|").rstrip())  # the row's closing pipe is not its text
    content = doc.text[cstart:cstop]
    gap = index == 0 or doc.format != "txt" or doc.text.count("\n", doc.blocks[index - 1].stop, block.start) > 1
    return Unit(
        start=block.start,
        stop=block.stop,
        marker=marker,
        kind=kind,
        path=path,
        content_start=cstart,
        text=content,
        heading=heading,
        gap_before=gap,
        rendered=rendered,
        indented=doc.format == "txt" and block.start > 0 and doc.text[block.start - 1] in " \t",
        cell=block.table,
        style=block.style,
        blocks=[index],
        pieces=[(cstart, cstop)] if content else [],
    )


def _emphasised_marker(text: str) -> tuple[str, str, tuple[int, ...], int] | None:
    """«**2. Должностные обязанности**», «**2.1.** Ведет учет»: a number inside Markdown emphasis."""
    if not text.startswith(("**", "__")):
        return None
    marker, kind, path, offset = parse_marker(text[2:])
    if kind not in ("multi", "single", "roman", "part", "letter"):
        return None
    offset += 2
    if text.startswith(("**", "__"), offset):
        offset = _skip_space(text, offset + 2)
    return marker, kind, path, offset


def _table_row(text: str) -> tuple[str, str, tuple[int, ...], int] | None:
    """«| Образование | Высшее … |»: a row of a Markdown table, an item of its own; its cells stay joined by «|»."""
    stripped = text.rstrip()
    if not (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3):
        return None
    return "|", "bullet", (), _skip_space(text, 1)


def _append(unit: Unit, other: Unit) -> None:
    if other.text:
        unit.text = f"{unit.text} {other.text}" if unit.text else other.text
        unit.pieces.extend(other.pieces)
    unit.stop = other.stop
    unit.blocks.extend(other.blocks)


def build_units(doc: Document, looks_like_heading=lambda text: False) -> list[Unit]:
    """Units of a document: a marker alone on its line takes the next line; wrapped lines are joined.

    Joining applies to line-based formats (plain text), where a paragraph may be hard-wrapped;
    a Word or HTML paragraph is already whole.
    """
    units: list[Unit] = []
    pending: Unit | None = None  # a number or bullet alone on its line
    width = wrap_width(doc) if doc.format == "txt" and is_hard_wrapped(doc) else 0
    page_furniture = _page_furniture(doc.blocks) if doc.format == "txt" and _PAGE_NUMBER_ANYWHERE.search(doc.text) \
        else frozenset()
    before_page_break: Unit | None = None  # the last unit of text before a page's footer and header
    for i, block in enumerate(doc.blocks):
        unit = _block_unit(doc, i, block)
        if i in page_furniture:
            if units and units[-1].blocks[-1] not in page_furniture:
                before_page_break = units[-1]
            unit.style = PAGE_FURNITURE
            units.append(unit)
            continue
        if pending is not None:
            if unit.kind == "none" and not unit.heading:
                pending.text = unit.text
                pending.pieces = unit.pieces
                pending.stop = unit.stop
                pending.blocks.extend(unit.blocks)
                units.append(pending)
                pending = None
                continue
            units.append(pending)
            pending = None
        if unit.kind != "none" and not unit.text and not unit.rendered:
            pending = unit
            continue
        prev = units[-1] if units else None
        if prev is not None and prev.blocks[-1] in page_furniture and before_page_break is not None:
            # «… квалификацию и» / «стр. 2 (всего 3)» / a running header / «проходит аккредитацию …»: the
            # clause goes on across the page break
            prev = before_page_break
        before_page_break = None if not (units and units[-1].blocks[-1] in page_furniture) else before_page_break
        if (
            prev is not None
            and doc.format == "txt"
            and unit.kind == "none"
            and not unit.heading
            and not prev.heading
            and _continues(prev, unit, looks_like_heading, _wrapped_here(doc, prev, block, width))
        ):
            _append(prev, unit)
            continue
        units.append(unit)
    if pending is not None:
        units.append(pending)
    for u in units:
        _finalise(doc.text, u)
    return [piece for u in units for run in split_run_on(u) for piece in split_glyph_items(run)]


_PAGE_NUMBER_ANYWHERE = re.compile(PAGE_NUMBER.pattern.replace("$", "(?m:$)").replace("^", "(?m:^)"), re.I)

#: The style of a unit that is a page's footer or running header (``_page_furniture``).
PAGE_FURNITURE = "page furniture"


def _page_furniture(blocks: tuple[Block, ...] | list[Block]) -> frozenset[int]:
    """Blocks of a page's footer and header in a text exported from pages (PDF): a page-number line, and a line
    right after one that stands in the text again (a running header repeated on every page)."""
    keys = [" ".join(b.text.lower().split()) for b in blocks]
    counts: dict[str, int] = {}
    for k in keys:
        if k:
            counts[k] = counts.get(k, 0) + 1
    found = set()
    for i, block in enumerate(blocks):
        if PAGE_NUMBER.search(block.text) and len(block.text.split()) <= 14:
            found.add(i)
            for j in (i + 1, i - 1):
                if 0 <= j < len(blocks) and counts.get(keys[j], 0) >= 2 and len(keys[j].split()) <= 16:
                    found.add(j)
    return frozenset(found)


# «1.1. Логист относится … 1.2. На должность …» inside one paragraph: a page that lost its line breaks
_INLINE_MARKER = re.compile(r"(?:(?<=\s)|^)(\d{1,2}(?:\.\d{1,2}){0,3})\.\s+(?=[А-ЯЁA-Z«\"])")


_REFERENCE = re.compile(r"(?:\bп|\bпп|\bст|\bпункт\w*|\bраздел\w*|\bстать\w*)\.?\s*$", re.I)


def _follows(prev: tuple[int, ...] | None, cur: tuple[int, ...]) -> bool:
    """``cur`` is the next number after ``prev`` in an outline: a sibling, a first child or an ancestor's sibling."""
    if prev is None:
        return True
    if cur == prev + (1,):
        return True
    k = len(cur)
    return k <= len(prev) and cur[:-1] == prev[: k - 1] and cur[-1] == prev[k - 1] + 1


def split_run_on(unit: Unit) -> list[Unit]:
    """A paragraph holding a whole outline («1. Общие положения 1.1. … 1.2. … 2. Должностные обязанности 2.1. …»)
    split at each number that continues the outline, into the units the lost line breaks would have made.

    Only outlines with sub-numbers (``1.1.``) are split here; «…за: 1. … 2. … 3. …» stays one unit, whose
    clauses the segmenter finds as numbered clauses run together.
    """
    text = unit.text
    if len(text) < 120 or not unit.offsets or text.count(". ") < 3:
        return [unit]
    prev = unit.path if unit.kind in ("single", "multi") else None
    cuts: list[int] = []
    for m in _INLINE_MARKER.finditer(text):
        if m.start() == 0:
            continue
        path = tuple(int(x) for x in m.group(1).split("."))
        before = text[max(0, m.start() - 12):m.start()]
        if _REFERENCE.search(before):
            continue  # «согласно п. 2.3. Положения»: a reference, not a clause
        # after a sentence's end, or a heading's words before its first sub-item («Общие положения 1.1. …»)
        if _follows(prev, path) and (before.rstrip()[-1:] in ".;:!?»)" or path == (prev or ()) + (1,)):
            cuts.append(m.start())
            prev = path
    multi = sum(1 for c in cuts if "." in _INLINE_MARKER.match(text, c).group(1))
    if len(cuts) < 3 or multi < 2:
        return [unit]
    return _cut(unit, cuts)


def _cut(unit: Unit, cuts: list[int]) -> list[Unit]:
    """The unit cut at each offset of its text: the first piece keeps the unit's marker, each other piece starts
    with the marker its text begins with."""
    text = unit.text
    pieces = []
    bounds = [0] + cuts + [len(text)]
    for n, (i, j) in enumerate(zip(bounds, bounds[1:], strict=False)):
        while j > i and text[j - 1] == " ":
            j -= 1
        if n == 0:
            first = _copy(unit, unit.start, unit.offsets[j - 1] + 1, unit.marker, unit.kind, unit.path,
                          unit.content_start, text[:j], unit.offsets[:j])
            first.gap_before = unit.gap_before
            pieces.append(first)
            continue
        marker, kind, path, offset = parse_marker(text[i:j])
        pieces.append(_copy(unit, unit.offsets[i], unit.offsets[j - 1] + 1, marker, kind, path,
                            unit.offsets[min(i + offset, j - 1)], text[i + offset:j], unit.offsets[i + offset:j]))
    return pieces


#: A paragraph longer than this (characters, some sixty pages) is no text a person wrote as one paragraph but a
#: file that lost all its breaks and more (a dump, a generated line): it holds no provision. A whole instruction
#: that lost its line breaks is a few tens of thousands and is split by its numbering in ``units``.
MAX_PARAGRAPH = 200_000

#: Bullets that are also dashes or Markdown marks: inside a line they are punctuation, never an item's start.
_DASH_BULLETS = "-–—−*·|"


_LETTER_AFTER = re.compile(r"[\ufe0f\s]*[A-Za-zА-Яа-яЁё]")


def split_glyph_items(unit: Unit) -> list[Unit]:
    """«🔹 Изучает сервисы компании, 🔹 ведет их документацию;»: the glyph that starts a bulleted item stands again
    inside it, after a space or a comma, where a lost line break stood: each glyph starts an item of its own."""
    glyph = unit.marker[:1]
    if unit.kind != "bullet" or not glyph or glyph in _DASH_BULLETS or not unit.offsets \
            or len(unit.text) > MAX_PARAGRAPH:
        return [unit]
    text = unit.text
    cuts = []
    at = text.find(glyph, 1)
    while at != -1:
        if text[at - 1] in " ,;" and _LETTER_AFTER.match(text, at + 1):  # a letter follows: no bare glyph piece
            cuts.append(at)
        at = text.find(glyph, at + 1)
    return _cut(unit, cuts) if cuts else [unit]


def _copy(unit: Unit, start: int, stop: int, marker: str, kind: str, path: tuple[int, ...], content_start: int,
          text: str, offsets: list[int]) -> Unit:
    return Unit(start=start, stop=stop, marker=marker, kind=kind, path=path, content_start=content_start,
                text=text, heading=unit.heading, rendered=unit.rendered and start == unit.start, cell=unit.cell,
                blocks=list(unit.blocks), pieces=[(start, stop)], offsets=offsets)


def _finalise(text: str, unit: Unit) -> None:
    """Fold white space in the unit's content and keep, per character, its offset in the document."""
    parts: list[str] = []  # single spaces, and characters or whole pieces that end in no white space
    offsets: list[int] = []
    for start, stop in unit.pieces:
        piece = text[start:stop]
        if parts and parts[-1].endswith("-") and _rejoins(parts[-1], piece):
            if _dehyphenated(parts[-1], piece):
                parts[-1] = parts[-1][:-1]  # «приме-» + «нения»: one word broken by the wrap
                offsets.pop()
            lead = len(piece) - len(piece.lstrip())
            start, piece = start + lead, piece[lead:]
        elif parts and parts[-1] != " ":
            parts.append(" ")
            offsets.append(start)
        if piece and " ".join(piece.split()) == piece:
            # already folded (most paragraphs): the piece is its own text, character by character
            parts.append(piece)
            offsets.extend(range(start, stop))
            continue
        for i in range(start, stop):
            ch = text[i]
            if ch.isspace():
                if parts and parts[-1] != " ":
                    parts.append(" ")
                    offsets.append(i)
            else:
                parts.append(ch)
                offsets.append(i)
    while parts and parts[-1] == " ":
        parts.pop()
        offsets.pop()
    unit.text = "".join(parts)
    unit.offsets = offsets


_WORD_END = re.compile(r"([^\W\d_]+)-$")
_WORD_START = re.compile(r"\s*([^\W\d_]+)")


def _rejoins(before: str, piece: str) -> bool:
    """A line ending in «слово-» over a line starting in lower case: a word wrapped at a hyphen."""
    start = _WORD_START.match(piece)
    return bool(_WORD_END.search(before)) and start is not None and start.group(1)[0].islower()


def _dehyphenated(before: str, piece: str) -> bool:
    """True when the hyphen only broke the word («органи-»/«зации»), False when the word has its own hyphen
    («водитель-»/«экспедитор»): the joined word is in the dictionary."""
    word = _WORD_END.search(before).group(1) + _WORD_START.match(piece).group(1)
    return morph().word_is_known(word.lower())


def is_hard_wrapped(doc: Document) -> bool:
    """Lines cut mid-sentence with the next line in lower case, often: a hard-wrapped text (Markdown, e-mail)."""
    blocks = doc.blocks
    wraps = sum(
        1
        for a, b in zip(blocks, blocks[1:], strict=False)
        if ends_open(a.text) and _starts_lower(b.text) and doc.text.count("\n", a.stop, b.start) == 1
    )
    return wraps >= 3 and wraps >= 0.08 * len(blocks)


def wrap_width(doc: Document) -> int:
    """The width a hard-wrapped text was wrapped at: the length most of its long lines reach."""
    lengths = sorted(len(b.text.rstrip()) for b in doc.blocks if b.text.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _wrapped_here(doc: Document, prev: Unit, block: Block, width: int) -> bool:
    """The line before ``block`` was broken by the wrap: the next line's first word would not have fit on it.

    «…сдает отчеты в срок.» at 40 characters of a text wrapped at 78 ended its paragraph there; at 75 it did
    not choose to, the wrap did.
    """
    if not width:
        return False
    last = doc.blocks[prev.blocks[-1]].text.rstrip()
    first_word = block.text.strip().split(" ", 1)[0]
    return len(last) + 1 + len(first_word) > width


def _field_goes_on(prev: Unit, unit: Unit) -> bool:
    """«… подчиняется непосредственно ______» over «______ ______.»: a template's blank field wrapped onto the
    next line, not a separator."""
    return prev.text.rstrip().endswith("_") and unit.text.lstrip().startswith("_")


def _continues(prev: Unit, unit: Unit, looks_like_heading, wrapped: bool = False) -> bool:
    if PAGE_NUMBER.search(prev.text) or PAGE_NUMBER.search(unit.text):
        return False  # a page's footer stands between two lines, it does not join them
    if SEPARATOR_LINE.match(prev.text) or SEPARATOR_LINE.match(unit.text) and not _field_goes_on(prev, unit):
        return False  # «=== texts/rights.txt ===»: the boundary between two files of a concatenation
    if prev.text and wrapped and not ends_open(prev.text) and prev.kind != "none" and not unit.gap_before \
            and not prev.text.rstrip().endswith(":") and not looks_like_heading(unit.text):
        return True  # «…в отделе.» / «Организует разработку…»: one item wrapped at a sentence end
    if not prev.text or not ends_open(prev.text):
        return False
    if prev.kind == "bullet" and unit.indented and _starts_lower(unit.text):
        return True  # «- требования законодательства …» over «  и правила работы …;»
    if prev.kind != "multi" and looks_like_heading(prev.text):
        return False  # «2. Должностные обязанности» is whole; «2.1. Требования к стажу определены» is not
    if _starts_lower(unit.text):
        return True  # a heading never starts in lower case: «обязанности бухгалтера» goes on a wrapped line
    if looks_like_heading(unit.text):
        return False
    if prev.kind in ("none", "single", "roman", "part") and len(prev.text) < 60 and not _starts_lower(unit.text) \
            and prev.text.isupper():
        return False  # a capitalised title line over another line
    # An upper-case start after a line that stops mid-sentence: a wrap only inside one paragraph.
    return not unit.gap_before and prev.kind != "none" or (not unit.gap_before and prev.text[-1:] in ",-–(")
