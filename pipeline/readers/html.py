"""HTML pages and Word-exported HTML: blocks from the markup.

Block elements (``p``, ``div``, ``li``, ``h1``-``h6``, table cells, ``blockquote``, ``pre`` ...) each give
a block; ``<br>`` splits a paragraph into lines; list items carry the number the browser would draw
in :attr:`Block.number` (``1.``, ``a)``, ``•``), and so do Word's ``mso-list:Ignore`` spans. Page
furniture (scripts, styles, navigation, site header and footer, sidebars, forms, frames, ads) and
hidden elements are dropped. Nothing here decides what is a clause: that is the segmenter's job.

>>> doc = read_html("x.html", "<ol><li>Ведет&nbsp;учет.<li>Составляет <b>отчеты</b>.</ol>".encode())
>>> [(b.number, b.text) for b in doc.blocks]
[('1.', 'Ведет учет.'), ('2.', 'Составляет отчеты.')]
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

from ..records import Block, Document
from . import EmptyDocument, ReadError, register, sha256_bytes
from .plain import _BOMS, clean_text, detect_encoding

# ---------------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------------

# Word puts its meta after long xmlns attributes, so look further than the 1024 bytes of the HTML spec.
_PRESCAN = 16384
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encoding(data: bytes) -> str | None:
    """The codec named by ``<?xml encoding>``, ``<meta charset>`` or ``http-equiv`` Content-Type.

    >>> declared_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    'cp1251'
    >>> declared_encoding(b'<meta charset="utf-8"><p>x</p>')
    'utf-8'
    >>> declared_encoding(b'<p>x</p>') is None
    True
    """
    head = data[:_PRESCAN]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found:
            codec = _codec(found.group(1).decode("ascii"))
            # A UTF-16 label on ASCII-compatible bytes is a lie browsers read as UTF-8 (HTML spec).
            if codec and not codec.startswith(("utf-16", "utf-32")):
                return codec
    return None


def _is_utf8_beyond_ascii(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


def choose_encoding(data: bytes) -> tuple[str, list[str]]:
    """The codec to decode a page with, and warnings: BOM, then declaration, then detection.

    Bytes that are valid UTF-8 beyond ASCII win over a declared single-byte code page: a browser's
    "save page" re-encodes to UTF-8 but keeps the old meta, while cp1251 text is never valid UTF-8.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, []
    declared = declared_encoding(data)
    if declared is None:
        return detect_encoding(data), []
    if declared != "utf-8" and _is_utf8_beyond_ascii(data):
        return "utf-8", [f"declared charset {declared} but the bytes are UTF-8"]
    try:
        data.decode(declared)
        return declared, []
    except UnicodeDecodeError:
        return detect_encoding(data), [f"declared charset {declared} does not decode the bytes"]


def _encoding_label(codec: str) -> str:
    return (_codec(codec) or codec).replace("-sig", "").replace("_sig", "").replace("_", "-")


# ---------------------------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------------------------

#: Elements whose content is never text of the page.
DROPPED = frozenset({
    "head", "title", "script", "style", "noscript", "template", "nav", "aside", "iframe", "frame",
    "frameset", "object", "embed", "svg", "math", "canvas", "video", "audio", "map", "select", "option",
    "button", "input", "textarea", "label", "xml",
})
#: Page header and footer: dropped, except inside an article, where they hold its title and byline.
PAGE_FURNITURE = frozenset({"header", "footer"})
#: ARIA roles of the same furniture (``<div role="navigation">``).
DROPPED_ROLES = frozenset({"navigation", "banner", "complementary", "contentinfo", "search"})
# Parts of class / id names that mark advertising blocks; each seen on Russian sites:
# "ad-slot", "ads-top", "adv_block", "advert", "advertising", "adsbygoogle" (Google AdSense),
# "yandex_rtb_R-A-123" (Yandex RTB), "adfox_1" (AdFox), "reklama" (Russian for advertisement).
AD_NAME_PARTS = frozenset({
    "ad", "ads", "adv", "advert", "adverts", "advertising", "advertisement", "adsbygoogle", "rtb",
    "adfox", "reklama", "promo", "banner",  # "promo-block", "banner": a paid banner inside an article
})
#: Content a form may hold when it wraps a whole page (ASP.NET WebForms puts ``<form>`` around ``<body>``).
_PAGE_CONTENT = "h1 h2 h3 h4 h5 h6 article main ol ul table".split()

BLOCKS = frozenset({
    "html", "body", "address", "article", "blockquote", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "footer", "hgroup", "hr", "legend", "li", "main", "menu", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
_MSO_IGNORE = re.compile(r"mso-list\s*:\s*ignore", re.I)
_MSO_LEVEL = re.compile(r"mso-list\s*:[^;]*\blevel(\d+)", re.I)
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([a-z-]+)", re.I)
# Downlevel-revealed conditionals Word writes around list numbers: <![if !supportLists]> ... <![endif]>.
_DOWNLEVEL = re.compile(r"<!\[(?:end)?if[^\]]*\]>", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_SPACE_RUN = re.compile(r"\s+")

# Word's Symbol / Wingdings / Courier New bullet characters as exported (also as private-use code points).
_WORD_BULLETS = {"·": "•", "§": "▪", "Ø": "➢", "ü": "✓", "o": "◦", "\uf0b7": "•", "\uf0a7": "▪"}


def squash(text: str) -> str:
    """Clean a fragment and fold its runs of white space to one space.

    >>> squash("  Ведет\\n\\t учет\\u00a0кассы\\u00ad ")
    'Ведет учет кассы'
    """
    return _SPACE_RUN.sub(" ", clean_text(text)).strip()


# ---- list numbers ---------------------------------------------------------------------------

_LATIN = "abcdefghijklmnopqrstuvwxyz"
# CSS cyrillic-lower: the Russian alphabet without ё, й, ъ, ы, ь.
_CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
#: CSS list-style-type names to the ``type`` attribute letters they mean.
_CSS_TYPES = {
    "decimal": "1", "lower-alpha": "a", "lower-latin": "a", "upper-alpha": "A", "upper-latin": "A",
    "lower-roman": "i", "upper-roman": "I", "cyrillic-lower": "а", "lower-russian": "а",
    "cyrillic-upper": "А", "upper-russian": "А", "disc": "•", "circle": "◦", "square": "▪", "none": "",
}


def _letters(n: int, alphabet: str) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, len(alphabet))
        out = alphabet[rest] + out
    return out


def _roman(n: int) -> str:
    out = ""
    for value, digits in _ROMAN:
        count, n = divmod(n, value)
        out += digits * count
    return out


def render_number(n: int, kind: str) -> str:
    """The label a list item ``n`` of a list of ``kind`` shows.

    Letters take a closing bracket, the Russian way of lettering items; numbers and numerals a dot.

    >>> [render_number(n, k) for n, k in [(1, "1"), (3, "a"), (2, "A"), (4, "i"), (9, "I"), (2, "а"), (27, "a")]]
    ['1.', 'c)', 'B)', 'iv.', 'IX.', 'б)', 'aa)']
    """
    if n < 1 and kind not in ("1", "•", "◦", "▪", ""):
        return f"{n}."
    if kind == "a":
        return _letters(n, _LATIN) + ")"
    if kind == "A":
        return _letters(n, _LATIN).upper() + ")"
    if kind == "а":
        return _letters(n, _CYRILLIC) + ")"
    if kind == "А":
        return _letters(n, _CYRILLIC).upper() + ")"
    if kind == "i":
        return _roman(n) + "."
    if kind == "I":
        return _roman(n).upper() + "."
    if kind in ("•", "◦", "▪", ""):
        return kind
    return f"{n}."


def _int(value: str | None, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _list_kind(el, ordered: bool, inherited: str | None = None) -> str:
    found = _LIST_STYLE.search(el.get("style") or "")
    if found and found.group(1).lower() in _CSS_TYPES:
        return _CSS_TYPES[found.group(1).lower()]
    kind = (el.get("type") or "").strip()
    if ordered and kind in ("1", "a", "A", "i", "I"):
        return kind
    if not ordered and kind.lower() in ("disc", "circle", "square"):
        return _CSS_TYPES[kind.lower()]
    if inherited is not None:
        return inherited
    return "1" if ordered else "•"


@dataclass
class _List:
    ordered: bool
    kind: str
    counter: int
    depth: int


@dataclass
class _Item:
    """A list item's label, given to the first block of text inside the item."""

    number: str
    used: bool = False


@dataclass(frozen=True)
class _Context:
    heading: int = 0
    level: int = 0
    style: str = ""
    table: tuple[int, int, int] | None = None
    item: _Item | None = None
    pre: bool = False
    in_article: bool = False


# ---- what to drop ---------------------------------------------------------------------------


def _is_hidden(el) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _is_ad(el) -> bool:
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return any(part in AD_NAME_PARTS for part in re.split(r"[\s_-]+", names) if part)


def _is_contents_list(el, tag: str) -> bool:
    """A list whose every item is only a link to an anchor of the same page: the page's table of contents
    (``<li><a href="#duties">2. Обязанности</a></li>``), furniture like a menu."""
    if tag not in ("ul", "ol"):
        return False
    items = [child for child in el if isinstance(child.tag, str) and child.tag.lower() == "li"]
    if len(items) < 2:
        return False
    for item in items:
        links = [a for a in item.iter("a") if (a.get("href") or "").startswith("#")]
        text = " ".join("".join(item.itertext()).split())
        if not links or text != " ".join(" ".join("".join(a.itertext()) for a in links).split()):
            return False
    return True


def _is_page_form(el) -> bool:
    return any(el.find(f".//{tag}") is not None for tag in _PAGE_CONTENT)


def _dropped(el, tag: str, ctx: _Context) -> bool:
    """Ordered checks: furniture by tag, by role, hidden, advertising."""
    if tag in DROPPED:
        return True
    if tag in PAGE_FURNITURE and not ctx.in_article:
        return True
    if tag == "form" and not _is_page_form(el):
        return True
    if (el.get("role") or "").strip().lower() in DROPPED_ROLES and not ctx.in_article:
        return True
    return _is_hidden(el) or _is_ad(el) or _is_contents_list(el, tag)


# ---- the walk -------------------------------------------------------------------------------


class _Walker:
    """Collects blocks in document order; ``buffer`` holds the inline text of the block being built."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.paragraph = 0
        self.mso_number = ""
        self.lists: list[_List] = []
        self.tables: list[list[int]] = []  # per open table: [index, row, column]
        self.table_count = 0

    # -- text --

    def add(self, text: str | None, ctx: _Context) -> None:
        if not text:
            return
        if not ctx.pre:
            self.buffer.append(text)
            return
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i:
                self.flush(ctx)
            self.buffer.append(line)

    def flush(self, ctx: _Context) -> None:
        text = squash("".join(self.buffer))
        self.buffer.clear()
        if not text:
            return
        number = ""
        if self.mso_number:
            number, self.mso_number = self.mso_number, ""
        elif ctx.item is not None and not ctx.item.used:
            number = ctx.item.number
        if ctx.item is not None:
            ctx.item.used = True
        self.blocks.append(Block(text=text, number=number, level=ctx.level, style=ctx.style,
                                 heading=ctx.heading, paragraph=self.paragraph, table=ctx.table))

    # -- elements --

    def walk(self, el, ctx: _Context) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or _dropped(el, tag, ctx):  # comments, processing instructions, furniture
            self.add(el.tail, ctx)
            return
        if _MSO_IGNORE.search(el.get("style") or ""):
            mark = squash(el.text_content())
            self.mso_number = _WORD_BULLETS.get(mark, mark)
            self.add(el.tail, ctx)
            return
        if tag == "br":
            self.flush(ctx)
            self.add(el.tail, ctx)
            return
        if tag not in BLOCKS:
            self.add(el.text, ctx)
            for child in el:
                self.walk(child, ctx)
            self.add(el.tail, ctx)
            return
        self.flush(ctx)
        inner = self.enter(el, tag, ctx)
        self.paragraph += 1
        self.add(el.text, inner)
        for child in el:
            self.walk(child, inner)
        self.flush(inner)
        self.leave(tag)
        # Text after a block is a paragraph of its own; only <br> and <pre> lines share one.
        self.paragraph += 1
        self.add(el.tail, ctx)

    def enter(self, el, tag: str, ctx: _Context) -> _Context:
        """The context of an element's content: heading, list, table cell, style."""
        klass = (el.get("class") or "").split()
        style = next((k for k in klass if k.startswith("Mso")), tag)
        inner = replace(ctx, style=style, item=ctx.item if tag not in ("ol", "ul", "menu", "dir") else None)
        if tag in _HEADINGS:
            inner = replace(inner, heading=_HEADINGS[tag])
        elif tag in ("article", "main", "section"):
            inner = replace(inner, in_article=True)
        elif tag == "pre":
            inner = replace(inner, pre=True)
        elif tag in ("ol", "ul", "menu", "dir"):
            inner = self._enter_list(el, tag, inner)
        elif tag == "li":
            inner = self._enter_item(el, inner)
        elif tag in ("table", "tr", "td", "th"):
            inner = self._enter_table(el, tag, inner)
        mso_level = _MSO_LEVEL.search(el.get("style") or "")
        if mso_level:
            inner = replace(inner, level=int(mso_level.group(1)))
        return inner

    def leave(self, tag: str) -> None:
        if tag in ("ol", "ul", "menu", "dir") and self.lists:
            self.lists.pop()
        elif tag == "table" and self.tables:
            self.tables.pop()
        self.mso_number = ""  # a Word number with no text after it in its paragraph

    def _enter_list(self, el, tag: str, ctx: _Context) -> _Context:
        ordered = tag == "ol"
        start = _int(el.get("start"), 1)
        depth = len(self.lists) + 1
        self.lists.append(_List(ordered, _list_kind(el, ordered), start - 1, depth))
        return replace(ctx, level=depth)

    def _enter_item(self, el, ctx: _Context) -> _Context:
        if not self.lists:  # an <li> outside any list: drawn as a bullet
            return replace(ctx, item=_Item("•"), level=max(ctx.level, 1))
        current = self.lists[-1]
        current.counter = _int(el.get("value"), current.counter + 1)
        kind = _list_kind(el, current.ordered, current.kind)
        return replace(ctx, item=_Item(render_number(current.counter, kind)), level=current.depth)

    def _enter_table(self, el, tag: str, ctx: _Context) -> _Context:
        if tag == "table":
            self.tables.append([self.table_count, -1, 0])
            self.table_count += 1
            return replace(ctx, table=None)
        if not self.tables:  # a row or cell outside any table
            return ctx
        state = self.tables[-1]
        if tag == "tr":
            state[1] += 1
            state[2] = 0
            return ctx
        row = max(state[1], 0)
        column = state[2]
        state[2] += max(_int(el.get("colspan"), 1), 1)
        return replace(ctx, table=(state[0], row, column))


def html_blocks(markup: str) -> list[Block]:
    """Blocks of a decoded page, without offsets."""
    import lxml.etree
    import lxml.html

    markup = _DOWNLEVEL.sub("", _XML_DECLARATION.sub("", markup, count=1))
    # huge_tree: without it libxml2 silently drops everything nested deeper than 256 elements.
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  default_doctype=False, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ReadError(f"not readable as HTML: {error}") from None
    walker = _Walker()
    try:
        walker.walk(root, _Context())
    except RecursionError:
        raise ReadError("markup nested too deeply to read") from None
    walker.flush(_Context())
    return _dense_paragraphs(walker.blocks)


def _dense_paragraphs(blocks: list[Block]) -> list[Block]:
    """Paragraph indices 0, 1, 2 ... in order (the walk counts elements that gave no text too)."""
    dense: dict[int, int] = {}
    return [replace(b, paragraph=dense.setdefault(b.paragraph, len(dense))) for b in blocks]


def with_offsets(blocks: list[Block]) -> tuple[str, tuple[Block, ...]]:
    """The document text (block texts joined by newlines) and the blocks with their offsets in it."""
    placed, start = [], 0
    for block in blocks:
        placed.append(replace(block, start=start, stop=start + len(block.text)))
        start += len(block.text) + 1
    return "\n".join(b.text for b in blocks), tuple(placed)


@register("html")
def read_html(path: str, data: bytes) -> Document:
    codec, warnings = choose_encoding(data)
    try:
        markup = data.decode(codec)
    except UnicodeDecodeError as error:
        raise ReadError(f"not valid {_encoding_label(codec)} text at byte {error.start}") from None
    text, blocks = with_offsets(html_blocks(clean_text(markup)))
    if not blocks:
        raise EmptyDocument("no text: the page holds no visible text")
    return Document(
        path=path,
        sha256=sha256_bytes(data),
        format="html",
        text=text,
        blocks=blocks,
        encoding=_encoding_label(codec),
        reader="html",
        warnings=tuple(warnings),
    )
