"""The read document as plain text: one block a line, its automatic number in front.

This is the layout of LibreOffice's "Text" export (a list paragraph is indented four spaces per
level and its label followed by one space), so the two can be compared line by line.

>>> from pipeline.records import Block, Document
>>> doc = Document(path="x", sha256="", format="docx", text="Общие\\nВедет учет.",
...                blocks=(Block("Общие", "1.", 0, start=0, stop=5), Block("Ведет учет.", "1.1.", 1, start=6, stop=17)))
>>> print(as_text(doc))
    1. Общие
        1.1. Ведет учет.
"""

from __future__ import annotations

from ..records import Block, Document


def block_line(block: Block) -> str:
    if not block.number:
        return block.text
    return "    " * (block.level + 1) + block.number + " " + block.text


def as_text(doc: Document) -> str:
    return "\n".join(block_line(b) for b in doc.blocks)
