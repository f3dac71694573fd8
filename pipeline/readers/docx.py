"""Word .docx on lxml: paragraphs and table cells as blocks, with Word's automatic numbers.

Each XML part is parsed once and walked once. A block's ``number`` is the label Word computes
from numbering.xml and styles.xml (see :mod:`.numbering`); the paragraph text never contains it.
Tracked insertions are kept and deletions dropped (the document as it reads with changes
accepted); fields show their result; footnotes, headers and text boxes are not body text.
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from ..records import Block, Document
from . import ReadError, register, sha256_bytes
from .numbering import Numberer, W, bullet_text, parse_numbering

#: Caps against zip bombs: a job description is a few hundred kB unpacked.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_PART_BYTES = 128 * 1024 * 1024
MAX_MEMBERS = 10000

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
)
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
#: libxml2's depth limit without XML_PARSE_HUGE (which would also lift the caps that stop entity and size bombs).
MAX_XML_DEPTH = 256
_TABLE_TAG = re.compile(rb"<(/?)(?:\w{1,32}:)?tbl\b[^<>]{0,4096}?(/?)>")

P, R, T, TAB, BR, CR, TBL, TR, TC = (W + n for n in ("p", "r", "t", "tab", "br", "cr", "tbl", "tr", "tc"))
PPR, TCPR, SDT, SDTCONTENT, CUSTOMXML = (W + n for n in ("pPr", "tcPr", "sdt", "sdtContent", "customXml"))
INS, MOVETO = W + "ins", W + "moveTo"
HYPERLINK, SMARTTAG, FLDSIMPLE, FLDCHAR = (W + n for n in ("hyperlink", "smartTag", "fldSimple", "fldChar"))
NOBREAKHYPHEN, SYM, PTAB = (W + n for n in ("noBreakHyphen", "sym", "ptab"))
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Everything not named here is skipped: deletions and moved-away text (w:del, w:moveFrom), field
# instructions (w:instrText), deleted text, footnote marks, drawings and text boxes.

#: Inline containers whose runs are part of the paragraph's visible text.
_INLINE_CONTAINERS = frozenset({INS, MOVETO, HYPERLINK, SMARTTAG, FLDSIMPLE, CUSTOMXML, SDT, SDTCONTENT,
                                W + "dir", W + "bdo"})
#: Block containers whose paragraphs belong to the body in reading order.
_BLOCK_CONTAINERS = frozenset({SDT, SDTCONTENT, CUSTOMXML, INS, MOVETO})

# Control characters, zero-width marks and the soft hyphen are dropped; odd spaces become spaces.
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_HEADING_NAME = re.compile(r"^(?:heading|заголовок)\s*([1-9])$", re.I)

#: Built-in style ids whose stored name is lower case; Word shows them capitalised.
_DISPLAY_NAMES = {"normal": "Normal", "title": "Title", "subtitle": "Subtitle", "list paragraph": "List Paragraph"}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, name: str):
    """A part's root element; a DTD or entity declaration is refused, never resolved."""
    if _DOCTYPE.search(data[:65536]):  # a DTD comes before the root element
        raise ReadError(f"{name} declares a DTD or entities: refused")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in str(error):
            raise ReadError(_too_deep(data, name)) from None
        raise ReadError(f"corrupt Word file: malformed XML in {name}: {str(error).splitlines()[0][:120]}") from None
    if root is None:
        raise ReadError(f"corrupt Word file: empty XML part {name}")
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise ReadError(f"{name} declares a DTD: refused")
    return root


def _too_deep(data: bytes, name: str) -> str:
    """The reason for a part nested past the parser's limit: tables in tables are the usual cause."""
    tables = _table_depth(data)
    if tables > 1:
        return (f"tables nested {tables} levels deep in {name} exceed the reader's limit of {MAX_XML_DEPTH} "
                "levels of XML: copy the text into a new document without the nested tables")
    return (f"XML nested more than {MAX_XML_DEPTH} levels deep in {name} (the reader's limit): "
            "copy the text into a new document")


def _table_depth(data: bytes) -> int:
    """The deepest nesting of tables (w:tbl) in a part, by a scan of its tags (the parser gave up on it)."""
    depth = deepest = 0
    for tag in _TABLE_TAG.finditer(data):
        if tag.group(2):  # an empty <w:tbl/> opens nothing
            continue
        depth = max(0, depth - 1) if tag.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


# ---------------------------------------------------------------- the package


class Package:
    """The zip container with caps on members and unpacked size."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, zlib.error, lzma.LZMAError):
            raise ReadError("corrupt Word file: not a valid zip archive") from None
        if len(infos) > MAX_MEMBERS:
            raise ReadError(f"zip with {len(infos)} members (limit {MAX_MEMBERS}): refused as a zip bomb")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED_BYTES:
            raise ReadError(f"zip unpacks to {total} bytes (limit {MAX_UNPACKED_BYTES}): refused as a zip bomb")
        self.names = {i.filename: i for i in infos}

    def read(self, name: str) -> bytes | None:
        info = self.names.get(name)
        if info is None:
            return None
        if info.flag_bits & 0x1:
            raise ReadError("encrypted zip member: save the file without a password")
        try:
            with self.zip.open(info) as f:
                data = f.read(MAX_PART_BYTES + 1)  # the declared size may lie
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError, zlib.error,
                lzma.LZMAError) as error:
            raise ReadError(f"corrupt Word file: cannot unpack {name} ({error})") from None
        if len(data) > MAX_PART_BYTES:
            raise ReadError(f"{name} unpacks to more than {MAX_PART_BYTES} bytes: refused as a zip bomb")
        return data

    def xml(self, name: str):
        data = self.read(name)
        if data is None:
            return None
        # Strict Open XML (Word's "Strict" save option) names the same elements in other namespaces.
        for strict, transitional in _STRICT_NAMESPACES:
            if strict in data:
                data = data.replace(strict, transitional)
        return parse_xml(data, name)

    def relationships(self, part: str) -> dict[str, str]:
        """Relationship type suffix -> target part name, for ``part`` ('' for the package)."""
        folder, _, base = part.rpartition("/")
        rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels" if base else "_rels/.rels"
        root = self.xml(rels_name)
        out: dict[str, str] = {}
        if root is None:
            return out
        for rel in root.iter(_REL + "Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            out.setdefault(kind, _join(folder, target))
        return out


def _join(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts = (folder.split("/") if folder else []) + target.split("/")
    out: list[str] = []
    for part in parts:
        if part == "..":
            if out:
                out.pop()
        elif part and part != ".":
            out.append(part)
    return "/".join(out)


# ---------------------------------------------------------------- styles


@dataclass
class Style:
    name: str = ""
    based_on: str = ""
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    kind: str = "paragraph"


@dataclass
class Styles:
    by_id: dict[str, Style] = field(default_factory=dict)
    default: str = ""

    def chain(self, style_id: str):
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style_id, style
            style_id = style.based_on

    def num(self, style_id: str) -> tuple[str | None, int | None]:
        """The list (numId, ilvl) a paragraph style gives its paragraphs, following basedOn."""
        num_id = ilvl = None
        for _, style in self.chain(style_id):
            if num_id is None and style.num_id is not None:
                num_id = style.num_id
            if ilvl is None and style.ilvl is not None:
                ilvl = style.ilvl
        return num_id, ilvl

    def num_of_numbering_style(self, style_id: str) -> str | None:
        return self.num(style_id)[0]

    def heading(self, style_id: str) -> int:
        for _, style in self.chain(style_id):
            m = _HEADING_NAME.match(style.name)
            if m:
                return int(m.group(1))
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else 0
        return 0

    def display_name(self, style_id: str) -> str:
        style = self.by_id.get(style_id)
        if style is None:
            return style_id
        name = style.name or style_id
        m = _HEADING_NAME.match(name)
        if m and name[0].islower() and name.startswith("heading"):
            return f"Heading {m.group(1)}"
        return _DISPLAY_NAMES.get(name, name)


def parse_styles(root) -> Styles:
    styles = Styles()
    if root is None:
        return styles
    for el in root.iter(W + "style"):
        sid = el.get(W + "styleId", "")
        kind = el.get(W + "type", "paragraph")
        style = Style(name=_val(el, "name") or sid, based_on=_val(el, "basedOn") or "", kind=kind)
        ppr = el.find(PPR)
        if ppr is not None:
            style.num_id, style.ilvl, style.outline = _num_props(ppr)
        styles.by_id[sid] = style
        if kind == "paragraph" and el.get(W + "default") in ("1", "true", "on"):
            styles.default = sid
    return styles


def _val(el, name: str) -> str | None:
    child = el.find(W + name)
    return None if child is None else child.get(W + "val")


def _int(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def _num_props(ppr) -> tuple[str | None, int | None, int | None]:
    num_id = ilvl = None
    numpr = ppr.find(W + "numPr")
    if numpr is not None:
        num_id = _val(numpr, "numId")
        ilvl = _int(_val(numpr, "ilvl"))
    return num_id, ilvl, _int(_val(ppr, "outlineLvl"))


# ---------------------------------------------------------------- the body walk


@dataclass
class Para:
    """One paragraph as the walk found it, before offsets are assigned."""

    text: str
    number: str
    level: int
    style: str
    heading: int
    paragraph: int
    table: tuple[int, int, int] | None


class BodyWalker:
    def __init__(self, styles: Styles, numberer: Numberer) -> None:
        self.styles = styles
        self.numberer = numberer
        self.paras: list[Para] = []
        self.paragraph = 0
        self.tables = 0
        self.fields: list[bool] = []  # one per open complex field: True while in its instruction
        self.cell: tuple[int, int, int] | None = None
        self._style_info: dict[str, tuple[str, int]] = {}
        self._style_num: dict[str, tuple[str | None, int | None]] = {}

    # block level

    def walk(self, container) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                self.para(child)
            elif tag == TBL:
                self.table(child)
            elif tag in _BLOCK_CONTAINERS:
                self.walk(child)

    def table(self, tbl) -> None:
        index = self.tables
        self.tables += 1
        outer = self.cell
        for row, tr in enumerate(_children(tbl, TR)):
            col = 0
            for tc in _children(tr, TC):
                self.cell = (index, row, col)
                self.walk(tc)
                col += _grid_span(tc)
        self.cell = outer

    def para(self, p) -> None:
        index = self.paragraph
        self.paragraph += 1
        ppr = p.find(PPR)
        style_id = ""
        num_id = ilvl = outline = None
        if ppr is not None:
            style_id = _val(ppr, "pStyle") or ""
            num_id, ilvl, outline = _num_props(ppr)
        style_id = style_id or self.styles.default
        number, level = self.number(style_id, num_id, ilvl)
        raw = "".join(self.inline(p, []))
        # A field result may run over paragraphs (a table of contents); an instruction does not,
        # and one left open by a damaged file would otherwise hide the rest of the document.
        while self.fields and self.fields[-1]:
            self.fields.pop()
        text = _clean(raw)
        if not text:
            return
        name, heading = self.style_info(style_id)
        if outline is not None:
            heading = outline + 1 if outline < 9 else 0
        self.paras.append(Para(text, number, level, name, heading, index, self.cell))

    def style_info(self, style_id: str) -> tuple[str, int]:
        info = self._style_info.get(style_id)
        if info is None:
            info = self._style_info[style_id] = (self.styles.display_name(style_id), self.styles.heading(style_id))
        return info

    def style_num(self, style_id: str) -> tuple[str | None, int | None]:
        found = self._style_num.get(style_id)
        if found is None:
            found = self._style_num[style_id] = self.styles.num(style_id) if style_id else (None, None)
        return found

    def number(self, style_id: str, num_id: str | None, ilvl: int | None) -> tuple[str, int]:
        style_num, style_ilvl = self.style_num(style_id)
        if num_id is None:
            num_id = style_num
        if num_id is None or num_id == "0":
            return "", 0
        if ilvl is None:
            # ECMA-376 17.9.23: a level whose pStyle names the paragraph's style gives the level,
            # before the ilvl of the style's own numPr.
            linked = self.numberer.style_level(num_id, style_id)
            ilvl = linked if linked is not None else (style_ilvl or 0)
        if self.numberer.level(num_id, ilvl) is None:
            if num_id not in self.numberer.model.nums:
                self.numberer.warn(f"list {num_id} is not defined in numbering.xml: its numbers are lost")
            return "", ilvl
        return self.numberer.label(num_id, ilvl).strip(), ilvl

    # inline level

    def inline(self, el, out: list[str]) -> list[str]:
        for child in el:
            tag = child.tag
            if tag == R:
                self.run(child, out)
            elif tag in _INLINE_CONTAINERS:
                self.inline(child, out)
            elif tag == _MC + "AlternateContent":
                continue  # drawings and text boxes: not body text
        return out

    def run(self, r, out: list[str]) -> None:
        for child in r:
            tag = child.tag
            if tag == FLDCHAR:
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.fields.append(True)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = False
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if self.fields and True in self.fields:
                continue  # a field instruction, not its result
            if tag == T:
                out.append(child.text or "")
            elif tag == TAB or tag == PTAB:
                out.append("\t")
            elif tag == BR or tag == CR:
                out.append("\n")  # a line, page or column break: what follows starts a new line
            elif tag == NOBREAKHYPHEN:
                out.append("-")
            elif tag == SYM:
                out.append(_symbol(child.get(W + "char", "")))


def _children(el, tag: str):
    """Direct children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, SDTCONTENT, CUSTOMXML):
            yield from _children(child, tag)


def _grid_span(tc) -> int:
    tcpr = tc.find(TCPR)
    span = _int(_val(tcpr, "gridSpan")) if tcpr is not None else None
    return span if span and span > 0 else 1


def _symbol(code: str) -> str:
    try:
        ch = chr(int(code, 16))
    except (ValueError, OverflowError):
        return ""
    if ch < "\uf000":
        return ch
    return bullet_text(chr(0xF000 + (ord(ch) & 0xFF)))


def _clean(text: str) -> str:
    text = _DROP.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip(" \t\n")


# ---------------------------------------------------------------- the reader


def _parts(package: Package) -> tuple[str, dict[str, str]]:
    main = package.relationships("").get("officeDocument", "")
    if not main or main not in package.names:
        main = "word/document.xml"
    if main not in package.names:
        raise ReadError("not a Word document: word/document.xml is missing")
    return main, package.relationships(main)


def blocks_of(paras: list[Para]) -> tuple[str, tuple[Block, ...]]:
    """Join paragraph texts with newlines and give each block its offsets."""
    blocks = []
    pos = 0
    for para in paras:
        stop = pos + len(para.text)
        blocks.append(Block(text=para.text, number=para.number, level=para.level, style=para.style,
                            heading=para.heading, paragraph=para.paragraph, table=para.table,
                            start=pos, stop=stop))
        pos = stop + 1
    return "\n".join(p.text for p in paras), tuple(blocks)


def read_package(data: bytes) -> tuple[str, tuple[Block, ...], tuple[str, ...]]:
    """Text, blocks and warnings of .docx bytes; :class:`ReadError` when they are not readable."""
    package = Package(data)
    main, rels = _parts(package)
    document = package.xml(main)
    body = document.find(W + "body") if document is not None else None
    if body is None:
        raise ReadError(f"not a Word document: {main} has no body")
    styles = parse_styles(package.xml(rels["styles"])) if "styles" in rels else Styles()
    model = parse_numbering(package.xml(rels["numbering"])) if "numbering" in rels else parse_numbering(None)
    numberer = Numberer(model, styles.num_of_numbering_style)
    walker = BodyWalker(styles, numberer)
    walker.walk(body)
    text, blocks = blocks_of(walker.paras)
    return text, blocks, tuple(numberer.warnings)


@register("docx")
def read_docx(path: str, data: bytes) -> Document:
    text, blocks, warnings = read_package(data)
    return Document(path=path, sha256=sha256_bytes(data), format="docx", text=text, blocks=blocks,
                    encoding="utf-8", reader="docx", warnings=warnings)
