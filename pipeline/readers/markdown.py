"""Markdown and stray HTML in a text file: the markup becomes structure, never text.

A text file keeps its lines (the structure stage reads a plain text line by line, joins hard-wrapped lines and
sees blank lines), but each line loses the markup a reader of the rendered page would not see:

- a task list's box (``- [ ] Ведет учет``, ``- [x] …``) is the item's marker, given as the block's ``number``
  (``☐`` / ``☑``, like a Word list's rendered bullet); the text is what follows it;
- a blockquote's ``>`` markers are dropped, the quoted line is text;
- emphasis (``*italic*``, ``_italic_``, ``~~struck~~``) and backslash escapes lose their marks,
  bold is written one way (``__bold__`` as ``**bold**``: the structure stage reads bold captions and drops
  ``**`` from clause texts), HTML entities are decoded;
- HTML in the file (``<br>``, ``<p>``, ``<b>``, a ``<ul>`` or ``<table>`` written in HTML) is read by the HTML
  reader: each of its blocks is a line of its own, list items and headings keep their rendered number and level.

Headings (``#``), ``-``/``*``/``1.`` list markers and ``|`` table rows stay in the text: the structure stage
reads them as markers. A line with none of this is left as it is, and a file with none of it is not touched.

>>> text, blocks, found = render_markup("## Обязанности\\n- [x] Ведет *учет* __кассы__;<br>сдает отчеты.")
>>> print(text)
## Обязанности
Ведет учет **кассы**;
сдает отчеты.
>>> [(b.number, b.text) for b in blocks], found
([('', '## Обязанности'), ('☑', 'Ведет учет **кассы**;'), ('', 'сдает отчеты.')], ('markdown', 'html'))
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..records import Block
from . import ReadError
from .embedded import BLOCK_TAGS, html_evidence

_QUOTE = re.compile(r"[ \t]{0,3}(?:>[ \t]?)+")
_BOX = re.compile(r"([ \t]*)(?:[-*+•][ \t]+)?\[([ xXхХ✓✔])\][ \t]+(?=\S)")
_NUMBERED_BOX = re.compile(r"([ \t]*\d{1,3}[.)][ \t]+)\[([ xXхХ✓✔])\][ \t]+(?=\S)")
# Emphasis: the marks hug a non-space at both ends, inside a line. Underscores need a letter or a digit inside
# them, so blanks to fill in (««__» ______ 20__ г.», «________ (должность)») are never read as emphasis. Bold
# stays as ``**`` (the structure stage reads «**Отчетность.** Готовит …» as a caption run into its sentence and
# drops the marks from clause texts); ``__bold__`` and ``***both***`` are written as ``**`` too.
_EMPHASIS = (
    (re.compile(r"\*\*\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*\*\*"), r"**\1**"),
    (re.compile(r"(?<![\w_])__(?=[^\W_]|[«\"(])(.+?)(?<=[^\W_]|[.,:;!?»\")])__(?![\w_])"), r"**\1**"),
    (re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*]+?)(?<=[^\s*\\])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w\\])_(?=[^\W_]|[«\"(])([^_]+?)(?<=[^\W_]|[.,:;!?»\")])_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
)
_MARKS = re.compile(r"[*_~\\&]")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#[xX][0-9A-Fa-f]{1,6});")
_ANY_MARKUP = re.compile(r"[*_~\\&<>\[]")
_OPEN_BLOCK = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>")


@dataclass
class _Line:
    text: str
    number: str = ""
    heading: int = 0
    table: tuple[int, int, int] | None = None


def _inline(text: str) -> str:
    """``text`` without emphasis marks, code ticks and escapes, entities decoded."""
    if not _MARKS.search(text):
        return text  # most lines: nothing to do
    for pattern, replacement in _EMPHASIS:
        count = 1
        while count:
            text, count = pattern.subn(replacement, text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text


def _html_run_end(lines: list[str], i: int) -> int:
    """The line after an HTML run that starts at line ``i``: up to where its block elements are closed again, or
    up to a blank line (where CommonMark ends an HTML block too)."""
    depth = 0
    j = i
    while j < len(lines) and (j == i or lines[j].strip()):
        for m in _OPEN_BLOCK.finditer(lines[j]):
            name = m.group(2).lower()
            if name in BLOCK_TAGS and name not in ("br", "hr", "p", "li", "td", "th", "tr", "dt", "dd"):
                depth += -1 if m.group(1) else 1
        j += 1
        if depth <= 0:
            break
    return j


def _html_lines(markup: str, tables: int) -> tuple[list[_Line], bool]:
    """The lines of the HTML reader's blocks of ``markup``, and whether Markdown was inside them too."""
    from .html import html_blocks

    try:
        blocks = html_blocks(markup)
    except ReadError:
        return [_Line(markup)], False
    lines = [_Line(_inline(b.text), b.number, b.heading,
                   (b.table[0] + tables, *b.table[1:]) if b.table is not None else None) for b in blocks]
    return lines, any(line.text != b.text for line, b in zip(lines, blocks, strict=True))


def _prefix(line: str) -> tuple[str, str]:
    """The line without its blockquote markers and its task box, and the box as a number (``☐``, ``☑``)."""
    if ">" in line[:8]:
        quote = _QUOTE.match(line)
        if quote and ">" in quote.group():
            line = line[quote.end():]
    if "[" not in line[:16]:
        return line, ""
    box = _NUMBERED_BOX.match(line)
    if box:
        return box.group(1) + line[box.end():], ""
    box = _BOX.match(line)
    if box:
        return box.group(1) + line[box.end():], "☐" if box.group(2) == " " else "☑"
    return line, ""


def render_markup(text: str) -> tuple[str, tuple[Block, ...], tuple[str, ...]] | None:
    """The text without its markup, its blocks (one a non-blank line, with a task box as the number) and what was
    found (``markdown``, ``html``); None when the text holds no markup."""
    if not _ANY_MARKUP.search(text):
        return None
    lines = text.split("\n")
    out: list[_Line] = []
    markdown = has_html = False
    tables = 0
    i = 0
    while i < len(lines):
        line, number = _prefix(lines[i])
        if "<" in line and html_evidence(line).tags:
            end = _html_run_end(lines, i)
            rendered, inner = _html_lines("\n".join([line, *lines[i + 1:end]]), tables)
            markdown |= inner or line != lines[i]
            tables = max([tables] + [r.table[0] + 1 for r in rendered if r.table is not None])
            if rendered and number:
                rendered[0].number = number
            out.extend(rendered)
            has_html = True
            i = end
            continue
        rendered_line = _inline(line)
        out.append(_Line(rendered_line, number))
        markdown |= rendered_line != lines[i] or bool(number)
        i += 1
    if not markdown and not has_html:
        return None
    found = tuple(name for name, present in (("markdown", markdown), ("html", has_html)) if present)
    return "\n".join(line.text for line in out), tuple(_blocks(out)), found


def _blocks(lines: list[_Line]) -> list[Block]:
    blocks = []
    at = 0
    for i, line in enumerate(lines):
        stripped = line.text.strip()
        if stripped:
            indent = len(line.text) - len(line.text.lstrip())
            blocks.append(Block(text=stripped, number=line.number, level=indent, heading=line.heading, paragraph=i,
                                table=line.table, start=at + indent, stop=at + indent + len(stripped)))
        at += len(line.text) + 1
    return blocks
