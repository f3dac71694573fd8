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
)
INSTRUCTION_COLUMNS = ("source", "instruction", "title", "position", "start", "stop")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def clause_row(clause: Clause, position: str) -> dict[str, Any]:
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
    }
    return row


def instruction_row(instruction: Instruction) -> dict[str, Any]:
    return {
        "source": instruction.source,
        "instruction": instruction.index,
        "title": instruction.title,
        "position": instruction.position,
        "start": instruction.start,
        "stop": instruction.stop,
    }


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
