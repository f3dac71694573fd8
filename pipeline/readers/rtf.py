"""RTF read natively, with the list numbers Word prints.

Word writes each list paragraph's rendered number into the file (``{\\listtext 2.1.\\tab}``, and
``{\\pntext …}`` for Word 6-style numbering) beside the list it belongs to (``\\ls``, ``\\ilvl``); the
reader takes that label as the block's number. A list paragraph without one (a writer that leaves
``\\listtext`` out) is numbered from the ``\\listtable``/``\\listoverridetable`` by the same
:class:`~.numbering.Numberer` the .docx and .doc readers use.

Text: paragraphs (``\\par``), table cells (``\\cell``, ``\\row``, nested ``\\nestcell``), fields by their
result, hidden and deleted text dropped, footnotes, headers, pictures and shapes left out (as the .docx
reader leaves them out). Characters: ``\\uN`` (with ``\\ucN`` fallbacks skipped), ``\\'xx`` in the code page
of the current font's charset (``\\fcharset204`` is cp1251) or the document's ``\\ansicpg``, and symbol
fonts (Symbol, Wingdings) mapped to the bullets they show.

A file this reader cannot parse falls back to LibreOffice, and without it to striprtf's plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..records import Document
from . import ReadError, register, sha256_bytes
from .doc import MAX_TABLE_DEPTH
from .docx import Para, blocks_of
from .numbering import Level, Num, Numberer, NumberingModel, bullet_text, font_glyph

__all__ = ["read_rtf", "read_rtf_native"]

_TOKEN = re.compile(
    r"((?:\\u-?\d{1,6} ?\\'[0-9a-fA-F]{2})+)"  # a run of \uN\'xx: Unicode text with one-byte fallbacks
    r"|\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word and parameter; one space belongs to it
    r"|\\'([0-9a-fA-F]{2})"  # a byte in the current code page
    r"|\\([^a-zA-Z'])"  # control symbol
    r"|([{}])"
    r"|[\r\n]+"
    r"|([^\\{}\r\n]+)",
    re.S,
)

#: Windows charsets (\fcharset) and their code pages; 0 and 1 mean the document's \ansicpg.
CHARSETS = {77: "mac_roman", 128: "cp932", 129: "cp949", 130: "cp1361", 134: "gbk", 136: "cp950", 161: "cp1253",
            162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251",
            222: "cp874", 238: "cp1250", 254: "cp437", 255: "cp850"}
SYMBOL_CHARSET = 2

#: Groups whose text is not body text.
_SKIP = frozenset("""
    fonttbl colortbl stylesheet info pict object header headerl headerr headerf footer footerl footerr footerf
    footnote annotation atnid atnauthor atrfstart atrfend atndate atnref atnparent comment shp shpinst shptxt
    nonshppict shppict bkmkstart bkmkend xe tc tcn rxe txe fldinst template docvar userprops ftnsep ftnsepc
    aftnsep aftnsepc pn pnseclvl pntxta pntxtb revtbl rsidtbl xmlnstbl generator themedata colorschememapping
    latentstyles datastore mmathPr listtable listoverridetable pgdsctbl filetbl fchars lchars protusertbl
    pnlvl formfield datafield objdata blipuid wgrffmtfilter passwordhash upr panose falt
""".split())

#: List labels that are a bullet character of a symbol font written without the font.
_BARE_BULLETS = {"o": "◦", "\u00b7": "•", "\u00a7": "▪", "\u00d8": "➢", "\u00fc": "✓", "\u00a8": "□"}

_UNICODE = re.compile(r"\\u(-?\d{1,6}) ?\\'([0-9a-fA-F]{2})")

_HEADING_NAME = re.compile(r"^(?:heading|заголовок)\s*([1-9])$", re.I)
_DISPLAY_NAMES = {"normal": "Normal", "title": "Title", "subtitle": "Subtitle", "list paragraph": "List Paragraph"}
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")

_SYMBOLS = {"emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘", "rquote": "’", "ldblquote": "“",
            "rdblquote": "”", "tab": "\t", "line": "\n", "page": "\n", "column": "\n", "emspace": " ",
            "enspace": " ", "qmspace": " ", "zwj": "", "zwnj": "", "ltrmark": "", "rtlmark": "", "chftn": "",
            "chdate": "", "chtime": "", "chpgn": "", "sectnum": ""}


@dataclass
class State:
    """What a group changes and its end restores (RTF keeps character and paragraph properties per group)."""

    dest: str = "body"  # body, skip, listtext, fonttbl, stylesheet, style, listtable, list, level, override, ...
    font: int = -1
    uc: int = 1
    hidden: bool = False
    style: int = 0
    ls: int = 0
    ilvl: int | None = None
    intbl: bool = False
    itap: int = 1
    outline: int | None = None


@dataclass
class _Font:
    charset: int | None = None
    codepage: str | None = None
    name: str = ""


@dataclass
class _Style:
    name: str = ""
    outline: int | None = None
    ls: int = 0
    ilvl: int | None = None


@dataclass
class _ListLevel:
    nfc: int = 0
    start: int = 1
    text: str = ""
    numbers: list[int] = field(default_factory=list)
    legal: bool = False
    norestart: bool = False
    follow: int = 0
    font: int = -1


@dataclass
class _Table:
    index: int
    row: int = 0
    col: int = 0


class Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.word_labels = "\\listtext" in source or "\\pntext" in source
        self.ansi = "cp1252"
        self.default_font = -1
        self.fonts: dict[int, _Font] = {}
        self.styles: dict[int, _Style] = {}
        self.lists: dict[int, list[_ListLevel]] = {}  # listid -> levels
        self.overrides: dict[int, tuple[int, dict[int, int]]] = {}  # ls -> (listid, start overrides)
        self.paras: list[Para] = []
        self.buffer: list[str] = []
        self.pending = bytearray()  # \'xx bytes not yet decoded (double-byte code pages need pairs)
        self.pending_codec = "cp1252"
        self.listtext: list[str] | None = None
        self.paragraph = 0
        self.tables = 0
        self.stack_tables: list[_Table] = []
        self.after_row = False
        self.numberer: Numberer | None = None
        self.warnings: list[str] = []
        # the object being defined in a table destination
        self._font: _Font | None = None
        self._font_id = -1
        self._font_name: list[str] = []
        self._style: _Style | None = None
        self._style_id = 0
        self._style_name: list[str] = []
        self._list: list[_ListLevel] | None = None
        self._list_id = 0
        self._level: _ListLevel | None = None
        self._override: dict = {}
        self._state_for_bytes = State()
        self._level_text: list[str] = []
        self._lfolevel: dict = {}
        self._style_kind = "s"
        self._symbolic: dict[int, str] = {}  # font -> its name when it is a symbol font, else ""

    # ------------------------------------------------------------ tokens

    def parse(self) -> None:
        s = self.source
        pos, end = 0, len(s)
        state = State()
        stack: list[State] = []
        skip = 0  # fallback characters still to skip after \uN
        first_in_group = False
        star = False
        match = _TOKEN.match
        while pos < end:
            m = match(s, pos)
            if m is None:
                pos += 1
                continue
            pos = m.end()
            urun, word, param, hexa, sym, brace, text = m.groups()
            if urun is not None:
                first_in_group = star = False
                self.flush()
                if state.uc == 1 and not skip:  # each \'xx is the fallback of its \uN: the common case, fast
                    self.text(state, "".join(chr(int(n) % 65536) for n, _ in _UNICODE.findall(urun)))
                    continue
                for n, fallback in _UNICODE.findall(urun):
                    self.unicode(state, int(n))
                    skip = state.uc
                    if skip:
                        skip -= 1
                    else:
                        self.byte(state, int(fallback, 16))
                self.flush()
                continue
            if text is not None:
                if skip:
                    cut = min(skip, len(text))
                    skip -= cut
                    text = text[cut:]
                    if not text:
                        continue
                first_in_group = star = False
                self.flush()
                if not text.isascii():  # raw 8-bit text: in the code page of the current font
                    text = text.encode("latin-1").decode(self._codec_for_raw(state), "replace")
                self.text(state, text)
                continue
            if hexa is not None:
                if skip:
                    skip -= 1
                    continue
                self.byte(state, int(hexa, 16))
                continue
            if brace is not None:
                skip = 0
                self.flush()
                if brace == "{":
                    stack.append(state)
                    state = replace(state)
                    first_in_group, star = True, False
                else:
                    self.end_group(state)
                    if not stack:
                        break  # the document's closing brace
                    state = stack.pop()
                    first_in_group = star = False
                continue
            if word is None and sym is None:  # a line end in the source: nothing
                continue
            if sym is not None:
                if sym == "*":
                    star = True
                    continue
                self.flush()
                if skip:
                    skip -= 1
                    continue
                self.symbol(state, sym)
                first_in_group = star = False
                continue
            value = int(param) if param is not None else None
            if word == "bin" and value:
                pos += value
                continue
            if word == "u" and value is not None:
                self.flush()
                self.unicode(state, value)
                skip = state.uc
                first_in_group = star = False
                continue
            if skip:
                skip = 0
            self.flush()
            if first_in_group:
                first_in_group = False
                if self.destination(state, word, star):
                    star = False
                    continue
            elif star:
                star = False
            self.control(state, word, value)
        self.flush()
        if "".join(self.buffer).strip():
            self.end_paragraph(state, "par")

    # ------------------------------------------------------------ destinations

    def destination(self, state: State, word: str, star: bool) -> bool:
        """A group's first control word: whether it opened a destination (and which)."""
        dest = state.dest
        if dest == "skip":
            return True
        if word == "fonttbl":
            state.dest = "fonttbl"
        elif word == "stylesheet":
            state.dest = "stylesheet"
        elif word == "listtable":
            state.dest = "listtable"
        elif word == "listoverridetable":
            state.dest = "overridetable"
        elif word in ("listtext", "pntext") and dest == "body":
            state.dest = "listtext"
            self.listtext = []
        elif word == "nesttableprops" and dest == "body":
            state.dest = "nestprops"  # a nested row's properties, ended by \nestrow: no text
        elif word == "fldrslt" or word == "ud" or word == "result":
            state.dest = "body" if dest in ("body", "listtext") else dest
        elif dest == "fonttbl" and word == "f":
            return False  # {\f1\fcharset204 Name;}: a font of the table
        elif dest == "stylesheet":  # {\s1 … heading 1;}: a style of the sheet
            state.dest = "style"
            self._begin_style()
            return False
        elif dest == "listtable" and word == "list":
            state.dest = "list"
            self._list = []
            self._list_id = 0
        elif dest == "list" and word == "listlevel":
            state.dest = "level"
            self._level = _ListLevel()
            if self._list is not None:
                self._list.append(self._level)
        elif dest == "level" and word in ("leveltext", "levelnumbers"):
            state.dest = word
            self._level_text = []
        elif dest == "overridetable" and word == "listoverride":
            state.dest = "override"
            self._override = {"ls": 0, "listid": 0, "starts": {}, "levels": 0}
        elif dest == "override" and word == "lfolevel":
            state.dest = "lfolevel"
            self._lfolevel = {"ilvl": self._override.get("levels", 0), "start": None, "override": False}
            self._override["levels"] = self._override.get("levels", 0) + 1
        elif word in _SKIP or star or dest not in ("body", "listtext"):
            state.dest = "skip"
        else:
            return False
        return True

    def end_group(self, state: State) -> None:
        dest = state.dest
        if dest == "listtext":
            pass  # kept in self.listtext for the paragraph
        elif dest == "style":
            self._end_style()
        elif dest == "list" and self._list is not None:
            self.lists.setdefault(self._list_id, self._list)
            self._list = None
        elif dest in ("leveltext", "levelnumbers") and self._level is not None:
            raw = "".join(self._level_text)
            if dest == "leveltext":
                self._level.text = raw
            else:
                self._level.numbers = [ord(ch) for ch in raw]
        elif dest == "override" and self._override:
            if self._override["ls"]:
                self.overrides[self._override["ls"]] = (self._override["listid"], self._override["starts"])
        elif dest == "lfolevel" and self._override:
            if self._lfolevel["override"] and self._lfolevel["start"] is not None:
                self._override["starts"][self._lfolevel["ilvl"]] = self._lfolevel["start"]
        elif dest == "fonttbl":
            self._end_font()

    # ------------------------------------------------------------ control words

    def control(self, state: State, word: str, value: int | None) -> None:
        dest = state.dest
        if dest == "skip":
            return
        if dest == "nestprops":
            if word == "nestrow":
                self.end_row(state, 2)
            return
        if dest == "fonttbl":
            if word == "f":
                self._end_font()
                self._font_id = value or 0
                self._font = self.fonts.setdefault(self._font_id, _Font())
            elif word == "fcharset" and self._font is not None:
                self._font.charset = value
            elif word == "cpg" and self._font is not None and value:
                self._font.codepage = f"cp{value}"
            return
        if dest == "style":
            self._style_control(word, value)
            return
        if dest in ("list", "level", "override", "lfolevel", "listtable", "overridetable", "leveltext",
                    "levelnumbers"):
            self._list_control(dest, word, value)
            return
        if word == "par":
            self.end_paragraph(state, "par")
        elif word == "cell":
            self.end_paragraph(state, "cell")
        elif word == "nestcell":
            self.end_paragraph(state, "cell", nested=True)
        elif word == "row":
            self.end_row(state, 1)
        elif word == "nestrow":
            self.end_row(state, 2)
        elif word == "sect":
            if "".join(self.buffer).strip():
                self.end_paragraph(state, "par")
        elif word == "pard":
            state.style, state.ls, state.ilvl, state.intbl, state.itap, state.outline = 0, 0, None, False, 1, None
        elif word == "plain":
            state.font, state.hidden = self.default_font, False
        elif word == "f":
            state.font = value or 0
        elif word == "s":
            state.style = value or 0
        elif word == "ls":
            state.ls = value or 0
        elif word == "ilvl":
            state.ilvl = value or 0
        elif word == "intbl":
            state.intbl = True
        elif word == "itap":
            state.itap = value if value is not None else 1
            if state.itap == 0:
                state.intbl = False
        elif word == "outlinelevel":
            state.outline = value
        elif word == "uc":
            state.uc = value if value is not None and value >= 0 else 1
        elif word in ("v", "deleted"):
            state.hidden = value != 0
        elif word == "ansicpg" and value:
            self.ansi = f"cp{value}"
        elif word == "deff":
            self.default_font = value or 0
            if state.font == -1:
                state.font = self.default_font
        elif word == "pnlvl":
            state.ilvl = (value or 1) - 1
        else:
            ch = _SYMBOLS.get(word)
            if ch is not None and not state.hidden:
                self.emit(state, ch)

    def symbol(self, state: State, sym: str) -> None:
        if state.dest == "skip":
            return
        if sym in "\r\n":
            self.control(state, "par", None)
        elif sym in "\\{}":
            self.text(state, sym)
        elif sym == "~":
            self.text(state, "\u00a0")
        elif sym == "_":
            self.text(state, "-")
        elif sym == "-":
            pass  # optional hyphen
        elif sym == "\t":
            self.text(state, "\t")
        # \| \: and others: formula and index characters, not text

    # ------------------------------------------------------------ characters

    def codec(self, state: State) -> str:
        font = self.fonts.get(state.font)
        if font is not None:
            if font.codepage:
                return font.codepage
            if font.charset == SYMBOL_CHARSET:
                return "symbol"
            codepage = CHARSETS.get(font.charset) if font.charset is not None else None
            if codepage:
                return codepage
        return self.ansi

    def _codec_for_raw(self, state: State) -> str:
        codec = self.codec(state) if state.dest in ("body", "listtext") else self.ansi
        if codec == "symbol":
            return "latin-1"
        try:
            "".encode(codec)
        except LookupError:
            return "cp1252"
        return codec

    def byte(self, state: State, value: int) -> None:
        codec = self.codec(state) if state.dest in ("body", "listtext") else self.ansi
        if self.pending and (codec != self.pending_codec or state is not self._state_for_bytes):
            self.flush()
        self.pending_codec = codec
        self._state_for_bytes = state
        self.pending.append(value)

    def flush(self) -> None:
        if not self.pending:
            return
        data, codec = bytes(self.pending), self.pending_codec
        self.pending.clear()
        if codec == "symbol":
            text = data.decode("latin-1")
            self._decoded(text, symbol=True)
            return
        try:
            text = data.decode(codec, "replace")
        except LookupError:
            text = data.decode("cp1252", "replace")
        self._decoded(text)

    def _decoded(self, text: str, symbol: bool = False) -> None:
        # Decoded bytes go where the text of the current group goes; the state is that of the bytes.
        self._emit_decoded(text, symbol)

    def unicode(self, state: State, value: int) -> None:
        if value < 0:
            value += 65536
        self.text(state, chr(value))

    def text(self, state: State, text: str) -> None:
        dest = state.dest
        if dest in ("body", "listtext"):
            if state.hidden:
                return
            symbolic = self._symbolic.get(state.font)
            if symbolic is None:
                font = self.fonts.get(state.font)
                symbolic = self._symbolic[state.font] = "" if font is None else (
                    (font.name or "Symbol") if font.charset == SYMBOL_CHARSET or _is_symbol_font(font.name) else "")
            if symbolic or dest == "listtext":
                name = symbolic or (self.fonts[state.font].name if state.font in self.fonts else "")
                if name:
                    text = "".join(font_glyph(ch, name) for ch in text)
            if dest == "listtext":
                if self.listtext is not None:
                    self.listtext.append(text)
            else:
                self.buffer.append(text)
        elif dest == "fonttbl":
            self._font_name.append(text)
        elif dest == "style":
            self._style_name.append(text)
        elif dest in ("leveltext", "levelnumbers"):
            self._level_text.append(text)

    def _emit_decoded(self, text: str, symbol: bool) -> None:
        state = self._state_for_bytes
        if symbol:
            font = self.fonts.get(state.font)
            text = "".join(font_glyph(ch, (font.name if font else "") or "Symbol") for ch in text)
            if state.dest in ("body", "listtext") and not state.hidden:
                self.emit(state, text)
            return
        self.text(state, text)

    def emit(self, state: State, text: str) -> None:
        if state.dest == "listtext":
            if self.listtext is not None:
                self.listtext.append(text)
        else:
            self.buffer.append(text)

    # ------------------------------------------------------------ paragraphs and tables

    def end_paragraph(self, state: State, mark: str, nested: bool = False) -> None:
        if state.dest not in ("body",):
            return
        raw = "".join(self.buffer)
        self.buffer = []
        label = self.listtext
        self.listtext = None
        index = self.paragraph
        self.paragraph += 1
        depth = min(max(state.itap, 1), MAX_TABLE_DEPTH) if state.intbl else 0
        if depth < len(self.stack_tables):
            del self.stack_tables[depth:]
        while len(self.stack_tables) < depth:
            self.stack_tables.append(_Table(self.tables))
            self.tables += 1
        cell = (self.stack_tables[-1].index, self.stack_tables[-1].row, self.stack_tables[-1].col) \
            if self.stack_tables else None
        if mark == "cell" and self.stack_tables:
            self.stack_tables[-1].col += 1
        number, level = self.number(state, label)
        text = _DROP.sub("", raw.replace("\r", ""))
        text = _SPACES.sub(" ", text).strip(" \t\n")
        if not text:
            return
        style = self.styles.get(state.style)
        name = _display(style.name if style else ("Normal" if state.style == 0 else ""))
        heading = _heading(style)
        if state.outline is not None:
            heading = state.outline + 1 if state.outline < 9 else 0
        self.paras.append(Para(text, number, level, name, heading, index, cell))

    def end_row(self, state: State, depth: int) -> None:
        if "".join(self.buffer).strip():
            self.end_paragraph(state, "cell")
        self.buffer = []
        if len(self.stack_tables) >= depth:
            del self.stack_tables[depth:]
            self.stack_tables[-1].row += 1
            self.stack_tables[-1].col = 0

    def number(self, state: State, label: list[str] | None) -> tuple[str, int]:
        style = self.styles.get(state.style)
        level = state.ilvl if state.ilvl is not None else (style.ilvl if style and style.ilvl is not None else 0)
        if label is not None:
            raw = "".join(label)
            text = _SPACES.sub(" ", bullet_text(_DROP.sub("", raw))).strip(" \t\n")
            if not text and "\x00" in raw:
                text = "•"  # a picture bullet: its character is a NUL
            else:
                # A label without its font (LibreOffice writes none): Word's bullets by their codes in Symbol,
                # Courier New and Wingdings.
                text = _BARE_BULLETS.get(text, text)
            return text, level
        ls = state.ls or (style.ls if style else 0)
        if not ls or self.word_labels:
            # A writer that gives list paragraphs their labels (Word) gives one to every paragraph it
            # numbers: a paragraph without one shows none.
            return "", 0
        numberer = self._numberer()
        if numberer.level(str(ls), level) is None:
            return "", level
        return numberer.label(str(ls), level).strip(), level

    def _numberer(self) -> Numberer:
        if self.numberer is None:
            self.numberer = Numberer(self.numbering_model())
        return self.numberer

    def numbering_model(self) -> NumberingModel:
        model = NumberingModel()
        for listid, levels in self.lists.items():
            model.abstracts[str(listid)] = {i: self._level_of(lv) for i, lv in enumerate(levels)}
        for ls, (listid, starts) in self.overrides.items():
            model.nums[str(ls)] = Num(abstract=str(listid), start_overrides=dict(starts))
        return model

    def _level_of(self, lv: _ListLevel) -> Level:
        from .doc import NFC

        raw = lv.text[1:] if lv.text else ""  # the first character is the length
        if lv.text:
            raw = raw[:ord(lv.text[0])]
        fmt = NFC.get(lv.nfc, f"nfc{lv.nfc}")
        places = {k - 1 for k in lv.numbers if k}
        if fmt == "bullet":
            font = self.fonts.get(lv.font)
            text = "".join(font_glyph(ch, font.name if font else "") for ch in raw if ch >= " ")
            text = bullet_text(text) if text.strip() else "•"
        else:
            text = "".join(f"%{ord(ch) + 1}" if i in places and ord(ch) < 9 else ch for i, ch in enumerate(raw))
        return Level(fmt=fmt, text=text, start=lv.start, restart=0 if lv.norestart else None, legal=lv.legal,
                     suff={0: "tab", 1: "space"}.get(lv.follow, "nothing"))

    # ------------------------------------------------------------ tables of the header

    def _end_font(self) -> None:
        self._symbolic.clear()
        if self._font is not None:
            name = "".join(self._font_name).strip()
            if name:
                self._font.name = name.rstrip(";").strip()
        self._font = None
        self._font_name = []

    def _begin_style(self) -> None:
        self._style = _Style()
        self._style_id = 0
        self._style_name = []
        self._style_kind = "s"

    def _style_control(self, word: str, value: int | None) -> None:
        if self._style is None:
            return
        if word == "s":
            self._style_id = value or 0
        elif word in ("cs", "ds", "ts"):
            self._style_kind = word
        elif word == "outlinelevel":
            self._style.outline = value
        elif word == "ls":
            self._style.ls = value or 0
        elif word == "ilvl":
            self._style.ilvl = value or 0

    def _end_style(self) -> None:
        if self._style is not None and self._style_kind == "s":
            self._style.name = "".join(self._style_name).strip().rstrip(";").strip()
            self.styles.setdefault(self._style_id, self._style)
        self._style = None

    def _list_control(self, dest: str, word: str, value: int | None) -> None:
        if dest == "list" and word == "listid" and value is not None:
            self._list_id = value
        elif dest == "level" and self._level is not None:
            if word == "levelnfc":
                self._level.nfc = value or 0
            elif word == "levelnfcn":
                self._level.nfc = value or 0
            elif word == "levelstartat":
                self._level.start = value if value is not None else 1
            elif word == "levellegal":
                self._level.legal = bool(value)
            elif word == "levelnorestart":
                self._level.norestart = bool(value)
            elif word == "levelfollow":
                self._level.follow = value or 0
            elif word == "f":
                self._level.font = value or 0
        elif dest == "override" and self._override:
            if word == "ls":
                self._override["ls"] = value or 0
            elif word == "listid":
                self._override["listid"] = value or 0
        elif dest == "lfolevel" and self._lfolevel:
            if word == "listoverridestartat":
                self._lfolevel["override"] = True
            elif word == "levelstartat":
                self._lfolevel["start"] = value


def _is_symbol_font(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(("symbol", "wingdings"))


def _display(name: str) -> str:
    name = name.split(",", 1)[0].strip()
    m = _HEADING_NAME.match(name)
    if m and name.startswith("heading"):
        return f"Heading {m.group(1)}"
    return _DISPLAY_NAMES.get(name, name)


def _heading(style: _Style | None) -> int:
    if style is None:
        return 0
    m = _HEADING_NAME.match(style.name.split(",", 1)[0].strip())
    if m:
        return int(m.group(1))
    if style.outline is not None:
        return style.outline + 1 if style.outline < 9 else 0
    return 0


# ---------------------------------------------------------------- the reader

#: RTF files are text; one bigger than this is refused (a picture-laden file still reads well below it).
MAX_RTF_CHARS = 64 * 1024 * 1024


def read_native(data: bytes) -> tuple[str, tuple, tuple[str, ...], str]:
    """Text, blocks, warnings and the document's code page of RTF bytes."""
    source = data.decode("latin-1")
    start = source.find("{\\rtf")
    if start < 0:
        raise ReadError("not an RTF file: no {\\rtf header")
    parser = Parser(source[start:])
    parser.parse()
    text, blocks = blocks_of(parser.paras)
    warnings = tuple(parser.numberer.warnings) if parser.numberer is not None else ()
    return text, blocks, warnings, parser.ansi


def read_rtf_native(path: str, data: bytes) -> Document:
    text, blocks, warnings, codepage = read_native(data)
    return Document(path=path, sha256=sha256_bytes(data), format="rtf", text=text, blocks=blocks,
                    encoding=codepage, reader="rtf", warnings=warnings)


@register("rtf")
def read_rtf(path: str, data: bytes) -> Document:
    """An .rtf: natively, or through LibreOffice when asked (``JOBCLAUSES_DOC_READER=libreoffice``); striprtf's
    plain text only when neither reads it."""
    from . import office
    from .office import prefer_libreoffice

    if prefer_libreoffice() and office.soffice() is not None:
        return office.read_rtf_libreoffice(path, data)
    try:
        return read_rtf_native(path, data)
    except (RecursionError, ValueError, IndexError, KeyError, TypeError) as error:
        reason = f"native RTF reader: {type(error).__name__}: {error}"
    return replace(office.read_rtf_libreoffice(path, data), warnings=(reason,))
