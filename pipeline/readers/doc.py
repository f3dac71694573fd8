"""Word 97–2003 binary .doc, read natively: the [MS-DOC] structures, no LibreOffice.

The compound file is opened with olefile. The text comes from the piece table (``Clx`` → ``PlcPcd``:
compressed 8-bit pieces and UTF-16 pieces), paragraph properties from the ``PapxFkp`` pages
(``PlcBtePapx``), character properties from the ``ChpxFkp`` pages (deleted and hidden text, symbols),
styles from the ``STSH``, and list numbers from the ``PlfLst``/``PlfLfo`` tables: each list level's
number text (``%1.%2.``), format (including Russian letters), start and restart rules become the same
:class:`~.numbering.NumberingModel` the .docx reader builds, and :class:`~.numbering.Numberer` renders
the labels. The result is the same blocks as the .docx reader's: rendered number, level, style, heading,
table cell.

What the native reader cannot do (Word 6/95 files, a damaged piece table) raises :class:`Unsupported`;
``read_doc`` then falls back to LibreOffice (or antiword) and the Document's ``reader`` says which.
Encrypted files fail with one line.
"""

from __future__ import annotations

import io
import re
import struct
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..records import Document
from . import ReadError, register, sha256_bytes
from .docx import Para, blocks_of
from .numbering import Level, Num, Numberer, NumberingModel, bullet_text, font_glyph

__all__ = ["Unsupported", "read_doc", "read_doc_native"]

#: Which reader .doc and .rtf files go through: ``native`` (default) or ``libreoffice``.

_u16 = struct.Struct("<H").unpack_from
_i16 = struct.Struct("<h").unpack_from
_u32 = struct.Struct("<I").unpack_from
_i32 = struct.Struct("<i").unpack_from


class Unsupported(ReadError):
    """A .doc the native reader cannot read (an older Word format, a structure it does not know)."""


class Corrupt(ReadError):
    """A .doc whose structures are damaged."""



# ---------------------------------------------------------------- sprms

# Paragraph sprms the reader uses ([MS-DOC] 2.6.2).
SPRM_P_ISTD = 0x4600
SPRM_P_ILVL = 0x260A
SPRM_P_ILFO = 0x460B
SPRM_P_IN_TABLE = 0x2416
SPRM_P_TTP = 0x2417
SPRM_P_OUTLINE = 0x2640
SPRM_P_ITAP = 0x6649
SPRM_P_INNER_CELL = 0x244B
SPRM_P_INNER_TTP = 0x244C
# Character sprms ([MS-DOC] 2.6.1).
SPRM_C_DELETED = 0x0800
SPRM_C_HIDDEN = 0x083C
SPRM_C_SPECIAL = 0x0855
SPRM_C_SYMBOL = 0x6A09
SPRM_C_FONT = 0x4A4F  # sprmCRgFtc0: the ASCII font
SPRM_T_DEF_TABLE = 0xD608
SPRM_T_DEF_TABLE10 = 0xD606
SPRM_P_CHG_TABS = 0xC615

_FIXED = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}


def sprms(grpprl: bytes):
    """(sprm, operand) pairs of a grpprl; a truncated last sprm ends the list."""
    i, n = 0, len(grpprl)
    while i + 2 <= n:
        sprm = _u16(grpprl, i)[0]
        i += 2
        size = _FIXED.get(sprm >> 13)
        if size is None:  # variable length
            if i >= n:
                return
            if sprm in (SPRM_T_DEF_TABLE, SPRM_T_DEF_TABLE10):
                if i + 2 > n:
                    return
                size = _u16(grpprl, i)[0] + 1
            elif sprm == SPRM_P_CHG_TABS and grpprl[i] == 255 and i + 2 < n:
                deleted = grpprl[i + 1]
                at = i + 2 + deleted * 4
                added = grpprl[at] if at < n else 0
                size = 1 + 1 + deleted * 4 + 1 + added * 3
            else:
                size = grpprl[i] + 1
        if i + size > n:
            return
        yield sprm, grpprl[i:i + size]
        i += size


def _operand(op: bytes) -> int:
    if len(op) == 1:
        return op[0]
    if len(op) == 2:
        return _i16(op, 0)[0]
    if len(op) == 4:
        return _i32(op, 0)[0]
    return op[0] if op else 0


@dataclass
class ParaProps:
    istd: int = 0
    ilfo: int | None = None
    ilvl: int | None = None
    in_table: bool = False
    ttp: bool = False
    itap: int = 0
    inner_cell: bool = False
    inner_ttp: bool = False
    outline: int | None = None


def para_props(istd: int, grpprl: bytes, base: ParaProps | None = None) -> ParaProps:
    props = ParaProps(istd=istd) if base is None else ParaProps(**{**base.__dict__})
    for sprm, op in sprms(grpprl):
        if sprm == SPRM_P_ILFO:
            props.ilfo = _operand(op)
        elif sprm == SPRM_P_ILVL:
            props.ilvl = op[0]
        elif sprm == SPRM_P_IN_TABLE:
            props.in_table = bool(op[0])
        elif sprm == SPRM_P_TTP:
            props.ttp = bool(op[0])
        elif sprm == SPRM_P_ITAP:
            props.itap = _operand(op)
            props.in_table = props.in_table or props.itap > 0
        elif sprm == SPRM_P_INNER_CELL:
            props.inner_cell = bool(op[0])
        elif sprm == SPRM_P_INNER_TTP:
            props.inner_ttp = bool(op[0])
        elif sprm == SPRM_P_OUTLINE:
            props.outline = op[0]
        elif sprm == SPRM_P_ISTD:
            props.istd = _operand(op) & 0xFFFF
    return props


@dataclass(frozen=True)
class CharProps:
    deleted: bool = False
    hidden: bool = False
    special: bool = False
    symbol: tuple[int, int] | None = None  # (font index, character)


_PLAIN = CharProps()


def char_props(grpprl: bytes) -> CharProps:
    deleted = hidden = special = False
    symbol = None
    for sprm, op in sprms(grpprl):
        if sprm == SPRM_C_DELETED:
            deleted = op[0] in (1, 0x81)
        elif sprm == SPRM_C_HIDDEN:
            hidden = op[0] in (1, 0x81)
        elif sprm == SPRM_C_SPECIAL:
            special = op[0] in (1, 0x81)
        elif sprm == SPRM_C_SYMBOL and len(op) >= 4:
            symbol = (_u16(op, 0)[0], _u16(op, 2)[0])
    if not (deleted or hidden or special or symbol):
        return _PLAIN
    return CharProps(deleted, hidden, special, symbol)


# ---------------------------------------------------------------- the file


@dataclass
class Fib:
    nfib: int
    lid: int
    flags: int
    ccp_text: int
    fclcb: list[tuple[int, int]]

    def get(self, index: int) -> tuple[int, int]:
        return self.fclcb[index] if index < len(self.fclcb) else (0, 0)


# Indices in FibRgFcLcb97.
FC_STSHF, FC_PLCFBTECHPX, FC_PLCFBTEPAPX, FC_STTBFFFN, FC_CLX, FC_PLFLST, FC_PLFLFO = 1, 12, 13, 15, 33, 73, 74

#: Word 97 and later (nFib 0xC1; 0xC0 and 0xC2 from early builds); Word 6 and 95 are 101–105.
MIN_NFIB = 0xC0


def parse_fib(word: bytes) -> Fib:
    if len(word) < 154 or _u16(word, 0)[0] != 0xA5EC:
        raise Corrupt("corrupt Word file: no Word document header (FIB)")
    nfib, lid, flags = _u16(word, 2)[0], _u16(word, 6)[0], _u16(word, 10)[0]
    if flags & 0x0100 or flags & 0x8000:
        raise ReadError(
            "password-protected (encrypted) Office file: save it without a password")
    if nfib < MIN_NFIB:
        raise Unsupported(f"Word 6/95 document (nFib {nfib}): older than the native reader (Word 97-2003)")
    csw = _u16(word, 32)[0]
    pos = 34 + 2 * csw
    cslw = _u16(word, pos)[0]
    lw = pos + 2
    ccp_text = _i32(word, lw + 12)[0]
    pos = lw + 4 * cslw
    count = _u16(word, pos)[0]
    pos += 2
    if pos + 8 * count > len(word):
        raise Corrupt("corrupt Word file: truncated document header (FIB)")
    fclcb = [struct.unpack_from("<II", word, pos + 8 * i) for i in range(count)]
    return Fib(nfib, lid, flags, ccp_text, fclcb)


@dataclass
class Piece:
    cp: int
    cp_end: int
    fc: int  # byte offset of the piece's first character in the WordDocument stream
    compressed: bool
    prm: int


def parse_pieces(table: bytes, fc: int, lcb: int) -> tuple[list[Piece], list[bytes]]:
    clx = table[fc:fc + lcb]
    if not clx or len(clx) < lcb:
        raise Corrupt("corrupt Word file: the piece table is missing or truncated")
    prcs: list[bytes] = []
    pos = 0
    while pos < len(clx):
        kind = clx[pos]
        if kind == 1:
            size = _u16(clx, pos + 1)[0]
            prcs.append(clx[pos + 3:pos + 3 + size])
            pos += 3 + size
        elif kind == 2:
            size = _u32(clx, pos + 1)[0]
            plc = clx[pos + 5:pos + 5 + size]
            n = (len(plc) - 4) // 12
            if n <= 0:
                break
            cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
            pieces = []
            for i in range(n):
                value, prm = struct.unpack_from("<IH", plc, 4 * (n + 1) + 8 * i + 2)
                compressed = bool(value & 0x40000000)
                offset = value & 0x3FFFFFFF
                pieces.append(Piece(cps[i], cps[i + 1], offset // 2 if compressed else offset, compressed, prm))
            return pieces, prcs
        else:
            break
    raise Corrupt("corrupt Word file: no piece table in the Clx")


class FkpRuns:
    """Property runs of the FKP pages of a PlcBte: sorted FC starts, ends and their property values."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.values: list = []

    def find(self, fc: int):
        i = bisect_right(self.starts, fc) - 1
        if i >= 0 and fc < self.ends[i]:
            return self.values[i]
        return None


def _bte_pages(table: bytes, fc: int, lcb: int) -> list[int]:
    if lcb < 8:
        return []
    n = (lcb - 4) // 8
    plc = table[fc:fc + lcb]
    if len(plc) < lcb:
        raise Corrupt("corrupt Word file: truncated property table")
    return [v & 0x3FFFFF for v in struct.unpack_from(f"<{n}I", plc, 4 * (n + 1))]


def _fkp_pages(word: bytes, table: bytes, fib: Fib, plcf: int, what: str
               ) -> Iterator[tuple[bytes, int, tuple[int, ...], int]]:
    """Each 512-byte FKP page of a bin table ([MS-DOC] PlcBtePapx, PlcBteChpx): the page, its run count, the run limits (FCs) and
    where its per-run entries start."""
    for pn in _bte_pages(table, *fib.get(plcf)):
        page = word[pn * 512:pn * 512 + 512]
        if len(page) < 512:
            raise Corrupt(f"corrupt Word file: a {what} property page lies outside the file")
        crun = page[511]
        yield page, crun, struct.unpack_from(f"<{crun + 1}I", page, 0), 4 * (crun + 1)


def papx_runs(word: bytes, table: bytes, fib: Fib) -> FkpRuns:
    runs = FkpRuns()
    cache: dict[bytes, ParaProps] = {}
    for page, crun, fcs, base in _fkp_pages(word, table, fib, FC_PLCFBTEPAPX, "paragraph"):
        for i in range(crun):
            offset = page[base + 13 * i] * 2
            if offset == 0:
                papx = b"\0\0"
            else:
                cb = page[offset]
                if cb:
                    papx = page[offset + 1:offset + 1 + 2 * cb - 1]
                else:
                    cb = page[offset + 1]
                    papx = page[offset + 2:offset + 2 + 2 * cb]
            props = cache.get(papx)
            if props is None:
                istd = _u16(papx, 0)[0] if len(papx) >= 2 else 0
                props = cache[papx] = para_props(istd, papx[2:])
            runs.starts.append(fcs[i])
            runs.ends.append(fcs[i + 1])
            runs.values.append(props)
    _sort(runs)
    return runs


def chpx_runs(word: bytes, table: bytes, fib: Fib) -> FkpRuns:
    runs = FkpRuns()
    cache: dict[bytes, CharProps] = {}
    for page, crun, fcs, base in _fkp_pages(word, table, fib, FC_PLCFBTECHPX, "character"):
        for i in range(crun):
            offset = page[base + i] * 2
            grpprl = page[offset + 1:offset + 1 + page[offset]] if offset else b""
            props = cache.get(grpprl)
            if props is None:
                props = cache[grpprl] = char_props(grpprl)
            if props is _PLAIN:
                continue
            runs.starts.append(fcs[i])
            runs.ends.append(fcs[i + 1])
            runs.values.append(props)
    _sort(runs)
    return runs


def _sort(runs: FkpRuns) -> None:
    if any(a > b for a, b in zip(runs.starts, runs.starts[1:], strict=False)):
        order = sorted(range(len(runs.starts)), key=runs.starts.__getitem__)
        runs.starts = [runs.starts[i] for i in order]
        runs.ends = [runs.ends[i] for i in order]
        runs.values = [runs.values[i] for i in order]


# ---------------------------------------------------------------- fonts and styles


@dataclass
class Font:
    name: str
    charset: int


def parse_fonts(table: bytes, fc: int, lcb: int) -> list[Font]:
    data = table[fc:fc + lcb]
    if len(data) < 4:
        return []
    count = _u16(data, 0)[0]
    pos = 4
    if count == 0xFFFF:  # extended: UTF-16 strings announced as such
        count = _u16(data, 2)[0]
        pos = 6
    fonts = []
    for _ in range(count):
        if pos >= len(data):
            break
        size = data[pos]
        ffn = data[pos + 1:pos + 1 + size]
        pos += 1 + size
        charset = ffn[3] if len(ffn) > 3 else 0
        name = ffn[39:].decode("utf-16-le", "replace").split("\0", 1)[0] if len(ffn) > 39 else ""
        fonts.append(Font(name, charset))
    return fonts


_HEADING_NAME = re.compile(r"^(?:heading|заголовок)\s*([1-9])$", re.I)
_DISPLAY_NAMES = {"normal": "Normal", "title": "Title", "subtitle": "Subtitle", "list paragraph": "List Paragraph"}


@dataclass
class Style:
    name: str = ""
    sti: int = 0x0FFE
    kind: int = 1  # 1 paragraph, 2 character, 3 table, 4 numbering
    base: int = 0x0FFF
    props: ParaProps | None = None  # the style's own paragraph sprms, not inherited


@dataclass
class StyleSheet:
    styles: dict[int, Style] = field(default_factory=dict)
    _resolved: dict[int, ParaProps] = field(default_factory=dict)

    def props(self, istd: int) -> ParaProps:
        """The paragraph properties a style gives, following istdBase (cycles cut)."""
        found = self._resolved.get(istd)
        if found is not None:
            return found
        chain = []
        seen = set()
        current = istd
        while current in self.styles and current not in seen and current != 0x0FFF:
            seen.add(current)
            chain.append(self.styles[current])
            current = self.styles[current].base
        props = ParaProps(istd=istd)
        for style in reversed(chain):
            if style.props is not None:
                for name in ("ilfo", "ilvl", "outline"):
                    value = getattr(style.props, name)
                    if value is not None:
                        setattr(props, name, value)
        self._resolved[istd] = props
        return props

    def display_name(self, istd: int) -> str:
        style = self.styles.get(istd)
        if style is None:
            return "Normal" if istd == 0 else ""
        name = style.name.split(",", 1)[0] or f"Style {istd}"  # Word keeps aliases after a comma
        m = _HEADING_NAME.match(name)
        if m and name.startswith("heading"):
            return f"Heading {m.group(1)}"
        return _DISPLAY_NAMES.get(name, name)

    def heading(self, istd: int) -> int:
        seen = set()
        current = istd
        while current in self.styles and current not in seen:
            seen.add(current)
            style = self.styles[current]
            if 1 <= style.sti <= 9:
                return style.sti
            m = _HEADING_NAME.match(style.name.split(",", 1)[0])
            if m:
                return int(m.group(1))
            if style.props is not None and style.props.outline is not None:
                return style.props.outline + 1 if style.props.outline < 9 else 0
            current = style.base
        return 0


def parse_styles(table: bytes, fc: int, lcb: int) -> StyleSheet:
    sheet = StyleSheet()
    data = table[fc:fc + lcb]
    if len(data) < 2 + 4:
        return sheet
    cb_stshi = _u16(data, 0)[0]
    stshi = data[2:2 + cb_stshi]
    if len(stshi) < 4:
        return sheet
    cstd, cb_base = _u16(stshi, 0)[0], _u16(stshi, 2)[0]
    pos = 2 + cb_stshi
    for istd in range(cstd):
        if pos + 2 > len(data):
            break
        size = _u16(data, pos)[0]
        std = data[pos + 2:pos + 2 + size]
        pos += 2 + size
        if size == 0 or len(std) < 10:
            continue
        try:
            sheet.styles[istd] = _parse_std(std, cb_base, istd)
        except (struct.error, IndexError, UnicodeDecodeError):
            continue  # one damaged style: its paragraphs read as plain ones
    return sheet


def _parse_std(std: bytes, cb_base: int, istd: int) -> Style:
    sti = _u16(std, 0)[0] & 0x0FFF
    word = _u16(std, 2)[0]
    kind, base = word & 0x000F, word >> 4
    cupx = _u16(std, 4)[0] & 0x000F
    pos = cb_base
    cch = _u16(std, pos)[0]
    name = std[pos + 2:pos + 2 + 2 * cch].decode("utf-16-le", "replace")
    pos += 2 + 2 * cch + 2
    props = None
    if kind == 1 and cupx >= 1 and pos + 2 <= len(std):
        pos += pos & 1
        cb = _u16(std, pos)[0]
        upx = std[pos + 2:pos + 2 + cb]
        if len(upx) >= 2:
            props = para_props(istd, upx[2:])
    return Style(name=name, sti=sti, kind=kind, base=base, props=props)


# ---------------------------------------------------------------- lists

#: Word's number formats (nfc, [MS-DOC] 2.9.173 / MS-OSHARED) as the names numbering.py renders.
NFC = {0: "decimal", 1: "upperRoman", 2: "lowerRoman", 3: "upperLetter", 4: "lowerLetter", 5: "ordinal",
       6: "cardinalText", 7: "ordinalText", 22: "decimalZero", 23: "bullet", 58: "russianLower",
       59: "russianUpper", 255: "none"}


@dataclass
class _Lst:
    lsid: int
    simple: bool
    styles: tuple[int, ...]
    levels: dict[int, Level] = field(default_factory=dict)


def _parse_lvl(data: bytes, pos: int, fonts: list[Font], ilvl: int, pstyle: str) -> tuple[Level, int]:
    start, nfc, flags = _i32(data, pos)[0], data[pos + 4], data[pos + 5]
    nums = data[pos + 6:pos + 15]
    follow = data[pos + 15]
    cb_chpx, cb_papx, restart_lim = data[pos + 24], data[pos + 25], data[pos + 26]
    pos += 28
    pos += cb_papx
    chpx = data[pos:pos + cb_chpx]
    pos += cb_chpx
    cch = _u16(data, pos)[0]
    xst = data[pos + 2:pos + 2 + 2 * cch].decode("utf-16-le", "replace")
    if len(xst) != cch:
        raise Corrupt("corrupt Word file: a list level runs past its table")
    pos += 2 + 2 * cch
    fmt = NFC.get(nfc, f"nfc{nfc}")
    if fmt == "bullet":
        font = ""
        for sprm, op in sprms(chpx):
            if sprm == SPRM_C_FONT and len(op) == 2:
                index = _u16(op, 0)[0]
                font = fonts[index].name if index < len(fonts) else ""
        text = "".join(font_glyph(ch, font) for ch in xst if ch >= " ")
        text = bullet_text(text) if text.strip() else "•"  # a picture bullet has no character
    else:
        places = {k - 1 for k in nums if k}
        text = "".join(f"%{ord(ch) + 1}" if i in places and ord(ch) < 9 else ch for i, ch in enumerate(xst))
    no_restart = bool(flags & 0x08)
    level = Level(fmt=fmt, text=text, start=max(-32767, min(start, 32767)),
                  restart=restart_lim if no_restart else None, legal=bool(flags & 0x04),
                  suff={0: "tab", 1: "space"}.get(follow, "nothing"), pstyle=pstyle)
    return level, pos


def parse_lists(table: bytes, fib: Fib, fonts: list[Font]) -> NumberingModel:
    model = NumberingModel()
    fc, lcb = fib.get(FC_PLFLST)
    data = table[fc:] if lcb else b""  # the LVLs follow the PlfLst, outside its lcb
    lsts: dict[int, _Lst] = {}
    if len(data) >= 2:
        count = _i16(data, 0)[0]
        pos = 2
        ordered = []
        for _ in range(max(0, count)):
            lsid = _i32(data, pos)[0]
            styles = struct.unpack_from("<9H", data, pos + 8)
            flags = data[pos + 26]
            ordered.append(_Lst(lsid, bool(flags & 1), styles))
            pos += 28
        # The LVLs follow all LSTFs, in the same order: 1 for a simple list, 9 otherwise.
        pos = 2 + 28 * max(0, count)
        for lst in ordered:
            for ilvl in range(1 if lst.simple else 9):
                istd = lst.styles[ilvl]
                lst.levels[ilvl], pos = _parse_lvl(data, pos, fonts, ilvl, "" if istd == 0x0FFF else str(istd))
            lsts.setdefault(lst.lsid, lst)
        for lst in lsts.values():
            model.abstracts[str(lst.lsid)] = lst.levels
    fc, lcb = fib.get(FC_PLFLFO)
    data = table[fc:fc + lcb] if lcb else b""
    if len(data) < 4:
        return model
    count = _i32(data, 0)[0]
    lfos = []
    pos = 4
    for _ in range(max(0, count)):
        lsid, clfolvl = _i32(data, pos)[0], data[pos + 12]
        lfos.append((lsid, clfolvl))
        pos += 16
    for index, (lsid, clfolvl) in enumerate(lfos, start=1):
        starts: dict[int, int] = {}
        levels: dict[int, Level] = {}
        pos += 4  # every LFO has its LFOData: cp, then its clfolvl LFOLVLs
        if clfolvl:
            for _ in range(clfolvl):
                start, flags = _i32(data, pos)[0], _u32(data, pos + 4)[0]
                pos += 8
                ilvl = flags & 0x0F
                if flags & 0x20:  # fFormatting: a whole LVL follows
                    lst = lsts.get(lsid)
                    pstyle = lst.levels[ilvl].pstyle if lst and ilvl in lst.levels else ""
                    levels[ilvl], pos = _parse_lvl(data, pos, fonts, ilvl, pstyle)
                    if flags & 0x10:
                        starts[ilvl] = levels[ilvl].start
                elif flags & 0x10:  # fStartAt
                    starts[ilvl] = start
        model.nums[str(index)] = Num(abstract=str(lsid), start_overrides=starts, level_overrides=levels)
    return model


# ---------------------------------------------------------------- the text walk

_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_PARAGRAPH_ENDS = "\r\x07"
_SPECIALS = re.compile("[\r\x07\x0b\x0c\x0e\x13\x14\x15\x1e\x1f]")

#: Languages whose 8-bit text is in cp1251 (Russian, Ukrainian, Belarusian, Bulgarian, Serbian Cyrillic …).
_CYRILLIC_LIDS = {0x0419, 0x0422, 0x0423, 0x0402, 0x0C1A, 0x281A, 0x042F, 0x043F, 0x0440, 0x0444, 0x0450, 0x0819}


def _cyrillic(fib: Fib, fonts: list[Font]) -> bool:
    """Whether the document is in a Cyrillic language (its FIB's lid) or its first fonts are Cyrillic."""
    return fib.lid in _CYRILLIC_LIDS or any(f.charset == 204 for f in fonts[:3])


_HIGH = bytes(range(0xC0, 0x100))
_ASCII_LETTERS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))


def codec_of_8bit(raw: bytes, cyrillic: bool) -> str:
    """The code page of a compressed piece: cp1252, as [MS-DOC] says (Word compresses only text that cp1252
    holds), except in a Cyrillic document whose 8-bit letters are mostly bytes 0xC0-0xFF, which is Russian in
    cp1251 (as Word 6/95-era writers and converters left it).

    >>> codec_of_8bit("Ведёт учёт".encode("cp1251"), True), codec_of_8bit("Café au lait".encode("cp1252"), True)
    ('cp1251', 'cp1252')
    """
    if not cyrillic:
        return "cp1252"
    high = len(raw) - len(raw.translate(None, _HIGH))
    latin = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    return "cp1251" if high and high >= 0.3 * (high + latin) else "cp1252"


@dataclass
class Chunk:
    """A stretch of main-document text from one piece: its characters and the FC of each."""

    text: str
    fc: int
    width: int  # bytes a character: 1 compressed, 2 UTF-16
    prm: int


def text_chunks(word: bytes, pieces: list[Piece], limit: int, cyrillic: bool, chpx: FkpRuns,
                fonts: list[Font], codecs: set[str]) -> list[Chunk]:
    """The main document's characters (CP 0..limit), split where character properties change, with
    deleted and hidden text removed and symbols replaced; ``codecs`` gets the code pages of 8-bit pieces."""
    out: list[Chunk] = []
    for piece in pieces:
        if piece.cp >= limit:
            break
        count = min(piece.cp_end, limit) - piece.cp
        if count <= 0:
            continue
        width = 1 if piece.compressed else 2
        raw = word[piece.fc:piece.fc + count * width]
        if len(raw) < count * width:
            raise Corrupt("corrupt Word file: the text runs past the end of the document stream")
        if piece.compressed:
            codec = codec_of_8bit(raw, cyrillic)
            codecs.add(codec)
            text = raw.decode(codec, "replace")
        else:
            text = raw.decode("utf-16-le", "replace")
        if not chpx.starts:
            out.append(Chunk(text, piece.fc, width, piece.prm))
            continue
        _split_by_chars(out, text, piece, width, chpx, fonts)
    return out


def _split_by_chars(out: list[Chunk], text: str, piece: Piece, width: int, chpx: FkpRuns,
                    fonts: list[Font]) -> None:
    fc0 = piece.fc
    fc_end = fc0 + len(text) * width
    i = max(0, bisect_right(chpx.starts, fc0) - 1)
    pos = 0  # character index in text
    while i < len(chpx.starts) and chpx.starts[i] < fc_end:
        start, end, props = chpx.starts[i], chpx.ends[i], chpx.values[i]
        i += 1
        if end <= fc0:
            continue
        a = max(0, (start - fc0) // width)
        b = min(len(text), (end - fc0 + width - 1) // width)
        if a >= b:
            continue
        if a > pos:
            out.append(Chunk(text[pos:a], fc0 + pos * width, width, piece.prm))
        pos = max(pos, a)
        segment = text[pos:b]
        if props.deleted or props.hidden:
            # Keep the marks that end paragraphs and cells: the paragraph still ends there.
            kept = "".join(ch if ch in _PARAGRAPH_ENDS else "\x00" for ch in segment)
            out.append(Chunk(kept, fc0 + pos * width, width, piece.prm))
        elif props.symbol is not None:
            font_index, char = props.symbol
            font = fonts[font_index].name if font_index < len(fonts) else ""
            glyph = _symbol_char(char, font)
            out.append(Chunk("".join(glyph if ch == "(" else ch for ch in segment), fc0 + pos * width, width,
                             piece.prm))
        elif props.special:
            # Special characters: pictures (0x01), footnote marks (0x02) and the like are not text.
            out.append(Chunk("".join(ch if ch >= " " or ch in "\r\x07\x13\x14\x15\t\x0b\x0c" else "\x00"
                                     for ch in segment), fc0 + pos * width, width, piece.prm))
        else:
            out.append(Chunk(segment, fc0 + pos * width, width, piece.prm))
        pos = b
    if pos < len(text):
        out.append(Chunk(text[pos:], fc0 + pos * width, width, piece.prm))


def _symbol_char(char: int, font: str) -> str:
    glyph = font_glyph(chr(char), font)
    if "\uf000" <= glyph <= "\uf0ff":
        glyph = bullet_text(glyph)
    return glyph


#: Tables nested deeper than this (a damaged depth, sprmPItap or \\itap) count as this deep.
MAX_TABLE_DEPTH = 64


@dataclass
class _Table:
    index: int
    row: int = 0
    col: int = 0


class Walker:
    """Paragraphs and table cells of the main document, numbered as Word numbers them."""

    def __init__(self, styles: StyleSheet, model: NumberingModel, papx: FkpRuns, prcs: list[bytes]) -> None:
        self.styles = styles
        self.numberer = Numberer(model)
        self.papx = papx
        self.prcs = prcs
        self.paras: list[Para] = []
        self.paragraph = 0
        self.tables = 0
        self.stack: list[_Table] = []  # open tables, outermost first
        self.fields: list[bool] = []
        self.buffer: list[str] = []
        self._style_info: dict[int, tuple[str, int]] = {}

    def feed(self, chunks: list[Chunk]) -> None:
        for chunk in chunks:
            text = chunk.text
            pos = 0
            for m in _SPECIALS.finditer(text):
                k = m.start()
                if k > pos and not (self.fields and True in self.fields):
                    self.buffer.append(text[pos:k])
                pos = k + 1
                ch = m.group()
                if ch == "\r" and not self._ends_paragraph(chunk, k):
                    # A mark inside a property run (a form field's result as LibreOffice writes it): a
                    # line break, the paragraph goes on.
                    if not (self.fields and True in self.fields):
                        self.buffer.append("\n")
                elif ch in _PARAGRAPH_ENDS or (ch == "\x0c" and self._ends_paragraph(chunk, k)):
                    self.end_paragraph(chunk.fc + k * chunk.width, ch, chunk.prm)
                elif ch == "\x13":
                    self.fields.append(True)
                elif ch == "\x14":
                    if self.fields:
                        self.fields[-1] = False
                elif ch == "\x15":
                    if self.fields:
                        self.fields.pop()
                elif self.fields and True in self.fields:
                    continue
                elif ch in "\x0b\x0c\x0e":
                    self.buffer.append("\n")
                elif ch == "\x1e":
                    self.buffer.append("-")
            if pos < len(text) and not (self.fields and True in self.fields):
                self.buffer.append(text[pos:])
        if self.buffer and "".join(self.buffer).strip():
            self.end_paragraph(-1, "\r", 0)

    def _ends_paragraph(self, chunk: Chunk, k: int) -> bool:
        # A section break ends a paragraph when a paragraph property run ends right after it.
        fc = chunk.fc + (k + 1) * chunk.width
        i = bisect_right(self.papx.starts, fc - 1) - 1
        return i < 0 or self.papx.ends[i] == fc or fc - 1 >= self.papx.ends[i]

    def props_at(self, fc: int, prm: int) -> ParaProps:
        props = self.papx.find(fc) if fc >= 0 else None
        if props is None:
            props = ParaProps()
        if prm:
            props = self._apply_prm(props, prm)
        return props

    def _apply_prm(self, props: ParaProps, prm: int) -> ParaProps:
        if prm & 1:  # Prm1: an index into the Clx's grpprls
            index = prm >> 1
            if index < len(self.prcs):
                return para_props(props.istd, self.prcs[index], props)
            return props
        return props  # Prm0: one character or paragraph-layout sprm of a fast save; none the reader uses

    def end_paragraph(self, fc: int, mark: str, prm: int) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        while self.fields and self.fields[-1]:
            self.fields.pop()  # an instruction left open at the end of a paragraph (a damaged file)
        props = self.props_at(fc, prm)
        index = self.paragraph
        self.paragraph += 1
        depth = min(max(props.itap, 1), MAX_TABLE_DEPTH) if props.in_table else 0
        row_end = (mark == "\x07" and props.ttp) or (depth > 1 and props.inner_ttp)
        if depth < len(self.stack):
            del self.stack[depth:]
        while len(self.stack) < depth:
            self.stack.append(_Table(self.tables))
            self.tables += 1
        if row_end:
            if self.stack:
                self.stack[-1].row += 1
                self.stack[-1].col = 0
            return
        cell = (self.stack[-1].index, self.stack[-1].row, self.stack[-1].col) if self.stack else None
        number, level = self.number(props)
        cell_end = mark == "\x07" or (depth > 1 and props.inner_cell)
        if cell_end and self.stack:
            self.stack[-1].col += 1
        text = _DROP.sub("", raw)
        text = _SPACES.sub(" ", text).strip(" \t\n")
        if not text:
            return
        name, heading = self.style_info(props.istd)
        if props.outline is not None:
            heading = props.outline + 1 if props.outline < 9 else 0
        self.paras.append(Para(text, number, level, name, heading, index, cell))

    def style_info(self, istd: int) -> tuple[str, int]:
        info = self._style_info.get(istd)
        if info is None:
            info = self._style_info[istd] = (self.styles.display_name(istd), self.styles.heading(istd))
        return info

    def number(self, props: ParaProps) -> tuple[str, int]:
        style = self.styles.props(props.istd)
        ilfo = props.ilfo if props.ilfo is not None else style.ilfo
        if not ilfo or ilfo < 0:
            return "", 0
        num_id = str(ilfo)
        ilvl = props.ilvl if props.ilvl is not None else style.ilvl
        if ilvl is None:
            linked = self.numberer.style_level(num_id, str(props.istd))
            ilvl = linked if linked is not None else 0
        ilvl = min(max(ilvl, 0), 8)
        if self.numberer.level(num_id, ilvl) is None:
            if num_id not in self.numberer.model.nums:
                self.numberer.warn(f"list {num_id} is not defined in the list tables: its numbers are lost")
            return "", ilvl
        return self.numberer.label(num_id, ilvl).strip(), ilvl


# ---------------------------------------------------------------- the reader


def _streams(data: bytes) -> tuple[bytes, bytes]:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError, RecursionError) as error:
        raise Corrupt(f"corrupt Word file: not a readable compound file ({error})") from None
    try:
        if not ole.exists("WordDocument"):
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                raise ReadError("password-protected (encrypted) Office file: save it without a password")
            raise ReadError("not a Word document: an Office compound file without a WordDocument stream")
        word = ole.openstream("WordDocument").read()
        flags = _u16(word, 10)[0] if len(word) >= 12 else 0
        name = "1Table" if flags & 0x0200 else "0Table"
        table = ole.openstream(name).read() if ole.exists(name) else b""
    except (OSError, ValueError, struct.error, IndexError) as error:
        raise Corrupt(f"corrupt Word file: cannot read its streams ({error})") from None
    finally:
        ole.close()
    return word, table


def read_native(data: bytes) -> tuple[str, tuple, tuple[str, ...], str]:
    """Text, blocks, warnings and the encodings of the text (``utf-16``, ``+cp1252`` or ``+cp1251`` when some
    pieces are 8-bit) of .doc bytes."""
    word, table = _streams(data)
    try:
        fib = parse_fib(word)
    except struct.error:
        raise Corrupt("corrupt Word file: truncated document header (FIB)") from None
    if not table:
        raise Corrupt("corrupt Word file: the table stream is missing")
    try:
        pieces, prcs = parse_pieces(table, *fib.get(FC_CLX))
        fonts = parse_fonts(table, *fib.get(FC_STTBFFFN))
        codecs: set[str] = set()
        styles = parse_styles(table, *fib.get(FC_STSHF))
        model = parse_lists(table, fib, fonts)
        papx = papx_runs(word, table, fib)
        chpx = chpx_runs(word, table, fib)
        chunks = text_chunks(word, pieces, max(0, fib.ccp_text), _cyrillic(fib, fonts), chpx, fonts, codecs)
        walker = Walker(styles, model, papx, prcs)
        walker.feed(chunks)
    except (struct.error, IndexError, ValueError) as error:
        raise Corrupt(f"corrupt Word file: {type(error).__name__} in its structures") from None
    text, blocks = blocks_of(walker.paras)
    return text, blocks, tuple(walker.numberer.warnings), "+".join(["utf-16", *sorted(codecs)])


def read_doc_native(path: str, data: bytes) -> Document:
    text, blocks, warnings, codec = read_native(data)
    return Document(path=path, sha256=sha256_bytes(data), format="doc", text=text, blocks=blocks,
                    encoding=codec, reader="doc", warnings=warnings)


@register("doc")
def read_doc(path: str, data: bytes) -> Document:
    """A .doc: natively, or through LibreOffice when asked (``JOBCLAUSES_DOC_READER=libreoffice``) or when
    the native reader cannot read the file (then antiword when LibreOffice is absent)."""
    from . import office

    if office.prefer_libreoffice() and office.soffice() is not None:
        return office.read_doc_libreoffice(path, data)
    try:
        return read_doc_native(path, data)
    except (Unsupported, Corrupt) as error:
        if office.soffice() is not None:
            try:
                doc = office.read_doc_libreoffice(path, data)
            except ReadError as fallback:
                raise ReadError(f"{error}; LibreOffice: {fallback}") from None
            return _with_warning(doc, f"native .doc reader: {error}")
        if isinstance(error, Unsupported):
            try:
                doc = office.read_doc_antiword(path, data)
            except ReadError as fallback:
                raise ReadError(f"{error}; {fallback}") from None
            return _with_warning(doc, f"native .doc reader: {error}")
        raise


def _with_warning(doc: Document, warning: str) -> Document:
    from dataclasses import replace

    return replace(doc, warnings=(warning, *doc.warnings))
