"""Who approved the document and when: the УТВЕРЖДАЮ block before an instruction (or just after its title)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import Instruction

#: How far before an instruction (characters) its approval block may stand, and how far after its start.
APPROVAL_BEFORE = 1500
APPROVAL_AFTER = 400

APPROVAL = re.compile(r"\bУТВЕРЖДАЮ\b|\bУТВЕРЖДЕН[АО]?\b", re.I)
#: Where the approver's position ends on its line: blanks for the signature, a name, the organisation.
APPROVER_END = re.compile(
    r"_{2,}|/|\s[А-ЯЁ]\.\s?[А-ЯЁ]\.|\s[А-ЯЁ]{2,}\b|«|\"|\d")  # blanks, a name, an organisation, a date
MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
          "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
#: `«01» апреля 2024 г.`, `01 апреля 2024`, `01.04.2024`, `«__» ____ 2024 г.`
DATE_WORDS = re.compile(r"[«\"]?\s*(?P<day>\d{1,2}|_+)\s*[»\"]?\s*(?P<month>[а-яё]+|_+)\s*(?P<year>\d{4})", re.I)
DATE_DIGITS = re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b")
#: Lines of the approval block that are never the approver's position.
NOT_POSITION = re.compile(r"^(?:приказ|от\b|м\.?\s?п|\(|подпись|ф\.?и\.?о)", re.I)


def block_lines(text: str, at: int) -> tuple[list[str], int]:
    """The approval block's lines from the keyword on, cut to its column (blocks stand side by side), and the
    offset where the block ends (after its last line)."""
    line_start = text.rfind("\n", 0, at) + 1
    prefix = text[line_start:at]
    # indented, or to the right of another block (`СОГЛАСОВАНО      УТВЕРЖДАЮ`); not after `**` markup
    column = len(prefix) if not prefix.strip() or prefix.endswith("  ") else 0
    lines, stop = [], at
    for line in text[at:].split("\n")[:8]:
        stop += len(line) + 1
        line = line[column:] if lines and column else line  # the first line already starts at the keyword
        lines.append(line.rstrip("\r").lstrip(">").strip(" *>"))  # Markdown emphasis and quotes
        if len(lines) > 1 and not lines[-1]:
            break
    lines[0] = APPROVAL.sub("", lines[0], count=1).strip(" *:")
    return [line for line in lines if line], min(stop, len(text))


def _approver(lines: Sequence[str]) -> str:
    for line in lines:
        if NOT_POSITION.match(line) or DATE_WORDS.search(line) and not re.match(r"[А-ЯЁа-яё]{3}", line):
            continue
        cut = APPROVER_END.search(line)
        candidate = (line[:cut.start()] if cut else line).strip(" ,.:")
        if re.search(r"[а-яё]{3}", candidate, re.I):
            return candidate.lower()
        if cut and cut.group(0).startswith("_"):
            continue
    return ""


def _date(lines: Sequence[str]) -> str:
    for line in lines:
        found = DATE_DIGITS.search(line)
        if found:
            return f"{found['year']}-{int(found['month']):02d}-{int(found['day']):02d}"
        found = DATE_WORDS.search(line)
        if found:
            month = next((n for stem, n in MONTHS.items() if found["month"].lower().startswith(stem)), 0)
            if found["day"].isdigit() and month:
                return f"{found['year']}-{month:02d}-{int(found['day']):02d}"
            return found["year"]
    return ""


def keyword_at(document_text: str, instruction: Instruction, not_before: int = 0) -> int | None:
    """Where the УТВЕРЖДАЮ keyword of the block that belongs to ``instruction`` stands (None: no block).

    The block stands before the instruction or just after its title; ``not_before`` keeps the block of
    the instruction before out (a false instruction found in an article's text may still cover a block).
    """
    start = max(not_before, instruction.start - APPROVAL_BEFORE, 0)
    stop = min(instruction.stop, instruction.start + APPROVAL_AFTER)
    found = list(APPROVAL.finditer(document_text, start, stop))
    if not found:
        return None
    before = [m for m in found if m.start() < instruction.start]
    return (before[-1] if before else found[0]).start()


def approval(document_text: str, instruction: Instruction, not_before: int = 0) -> tuple[str, str, str]:
    """(approver's position, date, the block's text) of the УТВЕРЖДАЮ block that belongs to ``instruction``."""
    at = keyword_at(document_text, instruction, not_before)
    if at is None:
        return "", "", ""
    lines, _ = block_lines(document_text, at)
    return _approver(lines), _date(lines), "\n".join(lines)
