"""Clause and instruction tables: JSON Lines and CSV, written atomically.

CSV is UTF-8 with a BOM so that Excel opens Cyrillic correctly, and a cell that Excel or LibreOffice would
take for a formula (``=``, ``+``, ``-``, ``@``, tab, CR at the start) is prefixed with an apostrophe there;
JSON Lines keep every text exactly.

>>> excel_safe("=SUM(A1)"), excel_safe("Ведет учет")
("'=SUM(A1)", 'Ведет учет')
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..atomic import atomic_write
from ..records import Clause, Instruction
from ..review import JOIN as REVIEW_JOIN  # how the reasons of ``needs_review`` share the ``review`` cell

CLAUSE_COLUMNS = (
    "source",
    "instruction",
    "position",
    "section_number",
    "section_title",
    "section_type",
    "number",
    "path",
    "text",
    "label",
    "confidence",
    "reason",
    "lead_in",
    "start",
    "stop",
    "canonical_id",
    "needs_review",
    "review",
    "document",
)
INSTRUCTION_COLUMNS = ("source", "instruction", "title", "position", "start", "stop", "needs_review", "review",
                       "document")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def clause_row(clause: Clause, position: str, document: str = "") -> dict[str, Any]:
    """One row of ``clauses.jsonl``; ``document`` is the file's path as given (``source`` is its name)."""
    row = {
        "source": clause.source,
        "instruction": clause.instruction,
        "position": position,
        "section_number": clause.section_number,
        "section_title": clause.section_title,
        "section_type": clause.section_type,
        "number": clause.number,
        "path": clause.path,
        "text": clause.text,
        "label": clause.label,
        "confidence": round(clause.confidence, 4),
        "reason": clause.reason,
        "lead_in": clause.lead_in,
        "start": clause.start,
        "stop": clause.stop,
        "canonical_id": clause.canonical_id,
        "needs_review": bool(clause.needs_review),
        "review": REVIEW_JOIN.join(clause.needs_review),
        "document": document or clause.source,
    }
    return row


def instruction_row(instruction: Instruction, document: str = "") -> dict[str, Any]:
    """One row of ``instructions.jsonl`` (the facts are added beside it)."""
    return {
        "source": instruction.source,
        "instruction": instruction.index,
        "title": instruction.title,
        "position": instruction.position,
        "start": instruction.start,
        "stop": instruction.stop,
        "needs_review": bool(instruction.needs_review),
        "review": REVIEW_JOIN.join(instruction.needs_review),
        "document": document or instruction.source,
    }


def reasons(value: Any) -> tuple[str, ...]:
    """The reasons of a ``review`` cell (the inverse of the join in ``clause_row``)."""
    if not value:
        return ()
    return tuple(part for part in str(value).split(REVIEW_JOIN) if part)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with atomic_write(path, encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_csv(path: Path, rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> int:
    n = 0
    with atomic_write(path, encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: excel_safe(v) for k, v in row.items()})
            n += 1
    return n
