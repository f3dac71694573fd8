"""HTML stored inside another format: an SQL dump, a JSON export, a CSV file, a PHP array, or plain text.

A CMS keeps its posts as HTML in a database column; a dump, an export or a settings file then holds that HTML as
string literals of its own syntax (``'<p style=\\"…\\">…</p>\\r\\n<ul>…'`` in a MySQL dump, ``"<p>\\u0412…"`` in
JSON, ``"<p class=""x"">"`` in CSV). Read as text, the structure stage would see tags and escapes. Here the file's
container syntax is parsed into *records* (a row of a table, a JSON object, a CSV row, a PHP array) of *fields*
(a value with its column or key name when there is one); a field is HTML on evidence, by the density of known
tags in it (:func:`html_evidence`), never by its first bytes. Each HTML field is unescaped by its container's
rules and read by the HTML reader, so its blocks come out as they would for an ``.html`` file; the record's title
field (``title``, ``name`` …, or else the nearest short text before the HTML) becomes a heading in front. Nothing
else of the container (keywords, keys, ids, dates, slugs) gives a block.

>>> dump = "INSERT INTO `posts` (`id`, `title`, `body`) VALUES " \\
...        "(7,'Кассир','<p>Кассир подчиняется старшему кассиру.</p>\\\\r\\\\n<ul><li>Ведет кассу;</li></ul>');"
>>> found = find_embedded(dump, "dump.sql")
>>> found.container, [(b.number, b.text, b.heading) for b in found.blocks]
('sql', [('', 'Кассир', 1), ('', 'Кассир подчиняется старшему кассиру.', 0), ('•', 'Ведет кассу;', 0)])
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..records import Block
from ..text import fold
from . import ReadError

# ---------------------------------------------------------------------------------------------
# Evidence: is a string HTML?
# ---------------------------------------------------------------------------------------------

#: Elements of a page's content whose tags count as evidence of HTML (not ``<head>`` or ``<script>``: a
#: template's or a config file's markup is not a post).
BLOCK_TAGS = frozenset({
    "p", "div", "br", "hr", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "blockquote", "pre", "section", "article", "center",
})
INLINE_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "s", "strike", "span", "a", "font", "sup", "sub", "small", "big", "mark",
    "code", "img", "abbr", "cite", "q", "del", "ins",
})
_VOID = frozenset({"br", "hr", "img"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,9})(?=[\s/>])[^<>]{0,2000}>")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@dataclass(frozen=True)
class Evidence:
    """Counts of the known tags in a string."""

    chars: int
    tags: int = 0
    block: int = 0
    opened: int = 0  # opening tags of elements that have a closing tag
    closed: int = 0
    br: int = 0

    @property
    def per_kb(self) -> float:
        return 1000 * self.tags / max(self.chars, 1)

    @property
    def is_html(self) -> bool:
        """Three known tags or more, at least 1.5 a kilobyte, and either closed (balanced at least in part:
        ``<p>…</p>``) or line breaks (``…<br>…<br>…``)."""
        if self.tags < 3 or self.per_kb < 1.5:
            return False
        return self.closed >= 0.3 * self.opened and self.closed > 0 or self.br >= 3


def html_evidence(text: str) -> Evidence:
    """Known tags in ``text``, by kind.

    >>> e = html_evidence('<p style="x">Ведет учет.</p><ul><li>кассы;</li></ul>')
    >>> e.tags, e.block, e.opened, e.closed, e.is_html
    (6, 6, 3, 3, True)
    >>> html_evidence("Оклад <не менее> 30 000 руб., стаж <b>3</b> года").is_html
    False
    """
    tags = block = opened = closed = br = 0
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name not in BLOCK_TAGS and name not in INLINE_TAGS:
            continue
        tags += 1
        block += name in BLOCK_TAGS
        if name == "br":
            br += 1
        elif m.group(1):
            closed += 1
        elif name not in _VOID:
            opened += 1
    return Evidence(len(text), tags, block, opened, closed, br)


# ---------------------------------------------------------------------------------------------
# Records and fields of a container
# ---------------------------------------------------------------------------------------------


@dataclass
class Field:
    value: str
    name: str = ""  # the column or key, "" when the container does not name it


@dataclass
class Record:
    fields: list[Field] = field(default_factory=list)


# ---- SQL ------------------------------------------------------------------------------------

_SQL_EVIDENCE = re.compile(r"\b(?:INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|COPY\s+\S+[^;\n]*\bFROM\s+stdin)\b", re.I)
_POSTGRES = re.compile(r"PostgreSQL database dump|standard_conforming_strings\s*=\s*on", re.I)
# Tokens of SQL text: strings (with an optional charset or E prefix), quoted names, comments, punctuation, words.
# Possessive repeats: an unclosed quote fails at once instead of backtracking over the rest of the dump.
_SQL_TOKEN_MYSQL = re.compile(
    r"(?P<str>(?:_\w+\s*|[NnEe])?'(?:[^'\\]|\\.|'')*+')"
    r"|(?P<dstr>\"(?:[^\"\\]|\\.|\"\")*+\")"
    r"|(?P<name>`(?:[^`]|``)*+`)"
    r"|(?P<comment>--[^\n]*|#[^\n]*|/\*.*?\*/)"
    r"|(?P<punct>[(),;])"
    r"|(?P<word>[^\s'\"`(),;]+)",
    re.S)
_SQL_TOKEN_POSTGRES = re.compile(
    r"(?P<estr>[Ee]'(?:[^'\\]|\\.|'')*+')"
    r"|(?P<str>'(?:[^']|'')*+')"
    r"|(?P<name>\"(?:[^\"]|\"\")*+\")"
    r"|(?P<comment>--[^\n]*|/\*.*?\*/)"
    r"|(?P<punct>[(),;])"
    r"|(?P<word>[^\s'\"(),;]+)",
    re.S)
_SQL_ESCAPES = {"0": "", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "", "\\": "\\", "'": "'", '"': '"'}
_BACKSLASH = re.compile(r"\\(.)", re.S)
_COPY = re.compile(r"^COPY\s+([^\s(]+)\s*(?:\(([^)]*)\))?\s+FROM\s+stdin;[^\n]*\n(.*?)^\\\.$", re.M | re.S | re.I)
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_NOT_COLUMNS = frozenset({"primary", "key", "unique", "constraint", "index", "fulltext", "foreign", "check",
                          "spatial", "exclude", "like"})


_SQL_ESCAPE = re.compile(r"\\(.)|''", re.S)


def _sql_unescape(body: str, backslashes: bool) -> str:
    """A string literal's text: ``''`` is one quote; with backslashes (MySQL, PostgreSQL ``E'…'``) ``\\n``,
    ``\\'``, ``\\\\`` … are read in the same left-to-right pass, so «\\\\'» is a backslash and a quote."""
    if not backslashes:
        return body.replace("''", "'")
    if "\\" not in body and "''" not in body:
        return body
    return _SQL_ESCAPE.sub(lambda m: "'" if m.group(1) is None else _SQL_ESCAPES.get(m.group(1), m.group(1)), body)


def _sql_name(token: str) -> str:
    token = token.strip()
    if token[:1] in "`\"" and token[-1:] == token[:1]:
        token = token[1:-1]
    return token.rsplit(".", 1)[-1].strip("`\"")


def _sql_tokens(text: str, postgres: bool) -> Iterator[tuple[str, str]]:
    """(kind, value) of each token; strings are unescaped, names unquoted; comments dropped."""
    pattern = _SQL_TOKEN_POSTGRES if postgres else _SQL_TOKEN_MYSQL
    for m in pattern.finditer(text):
        kind = m.lastgroup
        token = m.group()
        if kind == "comment":
            continue
        if kind in ("str", "estr"):
            quote = token.index("'")
            yield "str", _sql_unescape(token[quote + 1:-1], backslashes=kind == "estr" or not postgres)
        elif kind == "dstr":
            yield "str", _sql_unescape(token[1:-1].replace('""', '"'), backslashes=True)
        elif kind == "name":
            yield "name", _sql_name(token)
        else:
            yield kind, token


def _copy_unescape(value: str) -> str | None:
    if value == "\\N":
        return None

    def one(m: re.Match) -> str:
        return _COPY_ESCAPES.get(m.group(1), m.group(1))

    return _BACKSLASH.sub(one, value)


def sql_records(text: str) -> list[Record]:
    """Rows of ``INSERT … VALUES (…), (…)`` statements (MySQL or PostgreSQL quoting) and of ``COPY … FROM stdin``
    blocks, their fields named from the statement's column list or the table's ``CREATE TABLE``."""
    postgres = bool(_POSTGRES.search(text[:65536]))
    records: list[tuple[int, Record]] = []
    for m in _COPY.finditer(text):
        names = [_sql_name(c) for c in (m.group(2) or "").split(",") if c.strip()]
        for k, line in enumerate(m.group(3).split("\n")):
            values = [_copy_unescape(v) for v in line.split("\t")]
            fields = [Field(v, names[i] if i < len(names) else "") for i, v in enumerate(values) if v is not None]
            records.append((m.start(3) + k, Record(fields)))
    rest = _COPY.sub(lambda m: " " * (m.end() - m.start()), text) if records else text
    columns: dict[str, list[str]] = {}
    tokens = list(_sql_tokens(rest, postgres))
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        upper = value.upper() if kind == "word" else ""
        if upper == "CREATE" and i + 1 < len(tokens) and tokens[i + 1][1].upper() == "TABLE":
            i = _create_table(tokens, i + 2, columns)
            continue
        if upper in ("INSERT", "REPLACE"):
            i = _insert(tokens, i + 1, columns, records)
            continue
        i += 1
    return [r for _, r in sorted(records, key=lambda pair: pair[0])]


def _table_name(tokens: list[tuple[str, str]], i: int) -> tuple[str, int]:
    while i < len(tokens) and tokens[i][0] == "word" and tokens[i][1].upper() in ("IF", "NOT", "EXISTS", "INTO",
                                                                                    "IGNORE", "ONLY"):
        i += 1
    if i >= len(tokens):
        return "", i
    return _sql_name(tokens[i][1]), i + 1


def _create_table(tokens: list[tuple[str, str]], i: int, columns: dict[str, list[str]]) -> int:
    name, i = _table_name(tokens, i)
    if i >= len(tokens) or tokens[i][1] != "(":
        return i
    depth, names, at_item = 0, [], True
    while i < len(tokens):
        kind, value = tokens[i]
        if value == "(" and kind == "punct":
            depth += 1
            at_item = depth == 1
        elif value == ")" and kind == "punct":
            depth -= 1
            if depth == 0:
                break
        elif value == "," and kind == "punct" and depth == 1:
            at_item = True
        elif at_item and depth == 1:
            if kind in ("name", "word") and value.lower() not in _NOT_COLUMNS:
                names.append(_sql_name(value))
            at_item = False
        i += 1
    columns[name] = names
    return i + 1


def _insert(tokens: list[tuple[str, str]], i: int, columns: dict[str, list[str]],
            records: list[tuple[int, Record]]) -> int:
    name, i = _table_name(tokens, i)
    names = columns.get(name, [])
    if i < len(tokens) and tokens[i][1] == "(":  # a column list
        names, i = [], i + 1
        while i < len(tokens) and tokens[i][1] != ")":
            if tokens[i][0] in ("name", "word"):
                names.append(_sql_name(tokens[i][1]))
            i += 1
        i += 1
    if i >= len(tokens) or tokens[i][1].upper() not in ("VALUES", "VALUE"):
        return i
    i += 1
    while i < len(tokens) and tokens[i][1] == "(":
        values, i = _tuple(tokens, i + 1)
        fields = [Field(v, names[k] if k < len(names) else "") for k, v in enumerate(values) if v is not None]
        records.append((i, Record(fields)))
        if i < len(tokens) and tokens[i][1] == ",":
            i += 1
    return i


def _tuple(tokens: list[tuple[str, str]], i: int) -> tuple[list[str | None], int]:
    """The values of one row up to its closing bracket: strings as text, anything else (numbers, NULL, calls)
    as None; the index after the bracket."""
    values: list[str | None] = []
    current: str | None = None
    depth = 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "punct" and value == "(":
            depth += 1
        elif kind == "punct" and value == ")":
            if depth == 0:
                values.append(current)
                return values, i + 1
            depth -= 1
        elif kind == "punct" and value == "," and depth == 0:
            values.append(current)
            current = None
        elif kind == "str" and depth == 0:
            current = value if current is None else current + value
        i += 1
    values.append(current)
    return values, i


# ---- JSON -----------------------------------------------------------------------------------


def json_records(text: str) -> list[Record] | None:
    """Objects of a JSON document or of JSON Lines; None when the text is neither. An object nested in an object
    is part of its record (``{"title": {"rendered": …}, "content": {"rendered": …}}``), an object in a list is a
    record of its own."""
    stripped = text.strip()
    if not stripped or stripped[0] not in "[{":
        return None
    try:
        roots = [json.loads(stripped)]
    except (ValueError, RecursionError):
        roots = []
        for line in stripped.splitlines():
            if line.strip():
                try:
                    roots.append(json.loads(line))
                except (ValueError, RecursionError):
                    return None
    records: list[Record] = []
    for root in roots:
        _json_walk(root, "", records, None)
    return records


def _json_walk(value, name: str, records: list[Record], record: Record | None) -> None:
    if isinstance(value, str):
        if record is None:
            record = Record()
            records.append(record)
        record.fields.append(Field(value, name))
    elif isinstance(value, dict):
        if record is None or not name:
            record = Record()
            records.append(record)
        for key, item in value.items():
            _json_walk(item, f"{name}.{key}" if name else str(key), records, record)
    elif isinstance(value, list):
        if record is None and any(isinstance(item, str) for item in value):
            record = Record()
            records.append(record)
        for item in value:
            # an object in a list is a record of its own; strings in a list stay in the list's record
            _json_walk(item, name, records, None if isinstance(item, (dict, list)) else record)


# ---- CSV ------------------------------------------------------------------------------------


def csv_records(text: str) -> list[Record] | None:
    """Rows of a CSV or TSV file (doubled quotes, quoted line breaks); the first row names the fields when it
    holds no HTML and only short cells."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    if not first.count(delimiter):
        return None
    old = csv.field_size_limit()
    csv.field_size_limit(1 << 28)
    try:
        rows = list(csv.reader(text.splitlines(keepends=True), delimiter=delimiter))
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(old)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return None
    names: list[str] = []
    if all(len(cell) <= 64 and not html_evidence(cell).tags for cell in rows[0]) and len(rows) > 1:
        names, rows = rows[0], rows[1:]
    return [Record([Field(v, names[k] if k < len(names) else "") for k, v in enumerate(row)]) for row in rows]


# ---- PHP and other code: string literals in brackets ----------------------------------------

_CODE_TOKEN = re.compile(
    r"(?P<sq>'(?:[^'\\]|\\.)*+')"
    r"|(?P<dq>\"(?:[^\"\\]|\\.)*+\")"
    r"|(?P<heredoc><<<[ \t]*(?P<q>[\"']?)(?P<label>[A-Za-z_]\w*)(?P=q)[ \t]*\n(?P<body>.*?)\n[ \t]*(?P=label)\b)"
    r"|(?P<comment>//[^\n]*|#(?!\[)[^\n]*|/\*.*?\*/)"
    r"|(?P<arrow>=>)"
    r"|(?P<open>[\[({])"
    r"|(?P<close>[\])}])"
    r"|(?P<sep>[,;:=])"
    r"|(?P<concat>[.+])"
    r"|(?P<word>\$?\w+)"
    r"|(?P<other>\S)",
    re.S)
_PHP_BLOCK = re.compile(r"<\?(?:php\b|=)(.*?)(?:\?>|\Z)", re.S | re.I)
_CODE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "v": "\v", "f": "\f", "e": "\x1b", "0": "", "\\": "\\",
                 "$": "$", '"': '"', "'": "'", "/": "/", "b": "\b"}
_CODE_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{1,2}|.)", re.S)


def _code_unescape(body: str, single: bool) -> str:
    """PHP single quotes know only ``\\\\`` and ``\\'``; double quotes (and JavaScript strings) know the rest,
    with ``\\uXXXX`` surrogate pairs joined."""
    if single:
        return re.sub(r"\\([\\'])", r"\1", body)

    def one(m: re.Match) -> str:
        code = m.group(1)
        hexadecimal = code[2:-1] if code.startswith("u{") else code[1:] if code[0] in "ux" and len(code) > 1 else ""
        if hexadecimal and int(hexadecimal, 16) <= 0x10FFFF:
            return chr(int(hexadecimal, 16))
        return _CODE_ESCAPES.get(code, "\\" + code)

    out = _CODE_ESCAPE.sub(one, body)
    return out.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if re.search("[\ud800-\udfff]", out) \
        else out


def code_records(text: str) -> list[Record]:
    """String literals of a PHP (or JavaScript) source, grouped by the innermost bracket that holds them (an array
    ``['title' => '…', 'body' => '…']`` is a record); a literal before ``=>`` or ``:`` names the next one, and
    literals joined by ``.`` or ``+`` are one value. Text outside ``<?php … ?>`` is the page's own markup: one
    record of one field."""
    pieces: list[tuple[int, str, bool]] = []  # (offset, text, is code)
    if "<?" in text[:4096] and _PHP_BLOCK.search(text):
        at = 0
        for m in _PHP_BLOCK.finditer(text):
            if m.start() > at:
                pieces.append((at, text[at:m.start()], False))
            pieces.append((m.start(1), m.group(1), True))
            at = m.end()
        if at < len(text):
            pieces.append((at, text[at:], False))
    else:
        pieces.append((0, text, True))
    records: list[tuple[int, Record]] = []
    for offset, piece, is_code in pieces:
        if not is_code:
            if piece.strip():
                records.append((offset, Record([Field(piece)])))
            continue
        records.extend((offset + at, record) for at, record in _literals(piece))
    return [r for _, r in sorted(records, key=lambda pair: pair[0])]


def _literals(code: str) -> list[tuple[int, Record]]:
    groups: dict[int, Record] = {}
    stack = [0]  # offsets of the open brackets; 0 is the top level
    key = ""
    pending: Field | None = None  # the last literal, until we know whether it is a key
    concat = False
    last_word = ""

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            groups.setdefault(stack[-1], Record()).fields.append(pending)
            pending = None

    for m in _CODE_TOKEN.finditer(code):
        kind = m.lastgroup
        if kind == "comment":
            continue
        if kind in ("sq", "dq", "heredoc"):
            if kind == "heredoc":
                value = m.group("body") if m.group("q") == "'" else _code_unescape(m.group("body"), single=False)
            else:
                value = _code_unescape(m.group()[1:-1], single=kind == "sq")
            if pending is not None and concat:
                pending.value += value
            else:
                flush()
                pending = Field(value, key or "")
                key = ""
            concat = False
            continue
        token = m.group()
        if kind == "arrow" or (kind == "sep" and token == ":" and pending is not None and not concat):
            if pending is not None:
                key, pending = pending.value, None
            elif last_word:
                key = last_word
            continue
        if kind == "sep" and token == ":" and last_word:
            key = last_word.lstrip("$")  # {title: "…"}: a bare key
            continue
        if kind == "sep" and token == "=" and last_word.startswith("$"):
            flush()
            key = last_word.lstrip("$")  # $title = '…';
            continue
        if kind == "concat" and pending is not None:
            concat = True
            continue
        flush()
        concat = False
        if kind == "open":
            stack.append(m.start())
            key = ""
        elif kind == "close" and len(stack) > 1:
            stack.pop()
        elif kind == "sep" and token == ";":
            key = ""
        last_word = token if kind == "word" else ""
    flush()
    return sorted(groups.items())


# ---------------------------------------------------------------------------------------------
# Which container, which fields
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def title_fields() -> tuple[str, ...]:
    from ..data import entries

    return entries("title_fields.txt")


_NAME_PARTS = re.compile(r"[A-ZА-ЯЁ]?[a-zа-яё0-9]+|[A-ZА-ЯЁ]+(?![a-zа-яё])")
_LANGUAGE = frozenset({"ru", "rus", "en", "eng", "uk", "by", "kz"})


def _title_rank(name: str) -> tuple[int, int] | None:
    """(how the name matches, the entry's rank) when ``name`` names a title field; None when it does not."""
    vocabulary = title_fields()
    whole = re.sub(r"[-.\s]", "_", name.strip().lower())
    parts = [p.lower() for p in _NAME_PARTS.findall(name)]
    parts = [p for p in parts if p not in _LANGUAGE]
    if "_".join(parts) in vocabulary or whole in vocabulary:
        return (0, vocabulary.index("_".join(parts) if "_".join(parts) in vocabulary else whole))
    ranks = [vocabulary.index(p) for p in parts if p in vocabulary]
    return (1, min(ranks)) if ranks else None


_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*|[\w.+-]+@[\w.-]+|[a-z][a-z0-9+.-]*://\S+|[\d\s.:/+-]+")


def _texty(value: str) -> bool:
    """A short line of words: not a slug, a date, a number, an address or a path."""
    text = value.strip()
    if not 2 <= len(text) <= 200 or "\n" in text or "<" in text and html_evidence(text).tags:
        return False
    if _SLUG.fullmatch(text):
        return False
    letters = len(_LETTER.findall(text))
    return letters >= 3 and letters >= 0.6 * len(text.replace(" ", "")) and bool(
        _CYRILLIC.search(text) or " " in text)


def _title_of(record: Record, first_html: int) -> Field | None:
    named = [(rank, k) for k, f in enumerate(record.fields)
             if f.name and _texty(f.value) and (rank := _title_rank(f.name)) is not None]
    if named:
        return record.fields[min(named)[1]]
    if any(f.name for f in record.fields):
        return None  # the fields are named and none names a title
    for f in reversed(record.fields[:first_html]):
        if _texty(f.value):
            return f
    return None


# ---------------------------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Embedded:
    container: str  # sql | json | csv | php | text
    blocks: tuple[Block, ...]
    posts: int


_INLINE_ONLY_BREAK = re.compile(r"\r?\n")
_STEM = re.compile(r"\w{1,5}")


def _stems(text: str) -> set[str]:
    return {fold(m.group()) for m in _STEM.finditer(" ".join(w[:5] for w in text.split()))}


def _post_blocks(record: Record) -> list[Block]:
    """The blocks of one record: its title field as a heading (unless the HTML opens with a heading that names
    it already), then the blocks of each HTML field in order."""
    from .html import html_blocks

    html_at = [k for k, f in enumerate(record.fields) if html_evidence(f.value).is_html]
    if not html_at:
        return []
    body: list[Block] = []
    for k in html_at:
        markup = record.fields[k].value
        if not html_evidence(markup).block:
            # inline tags only (a bot's message in HTML parse mode): its line breaks are the text's own
            markup = _INLINE_ONLY_BREAK.sub("<br>", markup)
        try:
            body.extend(html_blocks(markup))
        except ReadError:
            continue
    if not body:
        return []  # markup with no text (``<p></p><br><br>``): no post, whatever its title
    title = _title_of(record, html_at[0])
    blocks: list[Block] = []
    if title is not None:
        text = " ".join(title.value.split())
        opening = next((b for b in body[:2] if b.heading), None)
        if opening is None or not _stems(text) <= _stems(opening.text):
            blocks.append(Block(text=text, heading=1, style=f"field:{title.name}" if title.name else "field"))
    return blocks + body


#: The style of a post's first block starts with this: each post is a part of the document of its own (one
#: instruction, as a rule), whether or not its title says so.
POST_START = "post:"


def _renumber(posts: list[list[Block]]) -> list[Block]:
    """One list of blocks: paragraph and table indices go on from post to post (the HTML reader counts each
    post from 0); the first block of each post has a style starting with :data:`POST_START`."""
    out: list[Block] = []
    paragraph = table = 0
    for blocks in posts:
        paragraphs = tables = 0
        for k, b in enumerate(blocks):
            cell = (b.table[0] + table, *b.table[1:]) if b.table is not None else None
            style = POST_START + b.style if k == 0 else b.style
            out.append(replace(b, paragraph=b.paragraph + paragraph, table=cell, style=style))
            paragraphs = max(paragraphs, b.paragraph + 1)
            tables = max(tables, b.table[0] + 1) if b.table is not None else tables
        paragraph += paragraphs + 1
        table += tables
    return out


_PHP_START = re.compile(r"\A\s*<\?(?:php\b|=)", re.I)
_CODE_EXTENSIONS = (".php", ".phtml", ".inc", ".js", ".ts")
_MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")


def containers(text: str, path: str) -> Iterator[tuple[str, list[Record]]]:
    """The container readings of ``text`` to try, most specific first, by evidence (and the file's extension
    where the syntax gives none, as for CSV)."""
    lower = path.lower()
    records = json_records(text)
    if records is not None:
        yield "json", records
        return
    lowered = text.lower()
    if ("into" in lowered or "copy" in lowered) and _SQL_EVIDENCE.search(text):
        yield "sql", sql_records(text)
    if _PHP_START.match(text) or lower.endswith(_CODE_EXTENSIONS):
        yield "php" if not lower.endswith((".js", ".ts")) else "js", code_records(text)
    if lower.endswith((".csv", ".tsv")):
        records = csv_records(text)
        if records is not None:
            yield "csv", records


def _whole_text_is_html(text: str) -> bool:
    """Text that is HTML throughout (a page's source saved as .txt, a CMS field pasted into a file): dense tags
    and most non-empty lines holding one."""
    evidence = html_evidence(text)
    if not evidence.is_html or evidence.block < 3:
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    tagged = sum(1 for line in lines if html_evidence(line).tags)
    return tagged >= 0.5 * len(lines)


def find_embedded(text: str, path: str = "") -> Embedded | None:
    """The blocks of the HTML stored in ``text`` (a decoded, cleaned file), or None when none is there.

    A post stored twice (a revision, a copy in another table) is read once. A text in no container syntax is
    read as HTML when it is HTML throughout; a Markdown file never is (its HTML lines are read one by one by
    :mod:`.markdown`, with the Markdown around them)."""
    recognised = False
    try:
        readings = list(containers(text, path))
    except RecursionError:  # JSON nested deeper than Python recurses: not a CMS export
        readings = []
    for container, records in readings:
        recognised = True
        posts, seen = [], set()
        for record in records:
            blocks = _post_blocks(record)
            key = tuple(b.text for b in blocks)
            if blocks and key not in seen:
                seen.add(key)
                posts.append(blocks)
        if posts:
            return Embedded(container, tuple(_renumber(posts)), len(posts))
    if not recognised and not path.lower().endswith(_MARKDOWN_EXTENSIONS) and _whole_text_is_html(text):
        blocks = _post_blocks(Record([Field(text)]))
        if blocks:
            return Embedded("text", tuple(_renumber([blocks])), 1)
    return None
