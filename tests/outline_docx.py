"""A one-instruction Word document built from a table of paragraphs, and its gold file.

Each row of the table is ``(kind, label, text)``: ``section`` (Word list level 0, ``1.``), ``clause`` (level 1,
``1.1.``), ``item`` (level 2, ``2.1.1.``), ``bullet`` (an em-dash list), ``lead`` (a numbered lead-in at level 1,
not a clause) or ``plain`` (an unnumbered paragraph, not a clause). Every number comes from numbering.xml, none
is typed; the gold records each clause's number as Word shows it, without the trailing dot.
"""

from __future__ import annotations

import json
from pathlib import Path

from docxgen import abstract, bold, docx_bytes, lvl, num, para, table, with_fixed_times

Row = tuple[str, str, str]
SECTIONS, CLAUSES, ITEMS = 0, 1, 2


def numbering() -> str:
    decimal = lvl(0, text="%1.") + lvl(1, text="%1.%2.") + lvl(2, text="%1.%2.%3.")
    dashes = lvl(0, fmt="bullet", text="—", start=None)
    return abstract(0, decimal) + abstract(1, dashes) + num(1, 0) + num(2, 1)


def paragraph(kind: str, text: str) -> str:
    if kind == "section":
        return para(num="1", ilvl=SECTIONS, runs=bold(text))
    if kind in ("clause", "lead"):
        return para(text, num="1", ilvl=CLAUSES)
    if kind == "item":
        return para(text, num="1", ilvl=ITEMS)
    if kind == "bullet":
        return para(text, num="2", ilvl=0)
    return para(text)


def numbers(content: list[Row]) -> list[str]:
    """The number Word shows for each row ("" for bullets and plain paragraphs)."""
    counters, shown = [0, 0, 0], []
    for kind, _label, _text in content:
        level = {"section": 0, "clause": 1, "lead": 1, "item": 2}.get(kind)
        if level is None:
            shown.append("")
            continue
        counters[level] += 1
        counters[level + 1:] = [0] * (2 - level)
        shown.append(".".join(str(c) for c in counters[:level + 1]))
    return shown


def body(content: list[Row], approval: tuple[str, ...], heading: tuple[str, ...]) -> str:
    """An approval table, the bold title lines ``heading``, the rows, an acknowledgement table."""
    acknowledgement = table([[para("С должностной инструкцией ознакомлен(а):"), para("______________"),
                              para("«___» ____________ 20__ г.")]])
    return "".join([
        table([[para(""), "".join(para(t) for t in approval)]]),
        para(""),
        *(para(runs=bold(line)) for line in heading),
        *(paragraph(kind, text) for kind, _label, text in content),
        para(""),
        acknowledgement,
    ])


def gold_lines(content: list[Row], title: str, position: str, position_alt: list[str]) -> list[str]:
    head = {"type": "instruction", "instruction": 1, "title": title, "position": position,
            "position_alt": position_alt}
    lines = [head]
    for (kind, label, text), number in zip(content, numbers(content), strict=True):
        if kind in ("clause", "item", "bullet"):
            lines.append({"type": "clause", "instruction": 1, "number": number, "text": text, "label": label})
    return [json.dumps(line, ensure_ascii=False) for line in lines]


def build(out: Path, gold: Path, content: list[Row], *, approval: tuple[str, ...], heading: tuple[str, ...],
          title: str, position: str, position_alt: list[str], date_time: tuple[int, ...]) -> None:
    """Write the .docx (every zip member dated ``date_time``: the same bytes on every run) and its gold file."""
    out.write_bytes(with_fixed_times(docx_bytes(body(content, approval, heading), numbering()), date_time))
    gold.write_text("\n".join(gold_lines(content, title, position, position_alt)) + "\n", encoding="utf-8")
