"""The records that flow between the stages.

Every record is a frozen dataclass with a JSON round-trip (``to_dict`` / ``from_dict``).
Offsets (``start``, ``stop``) always point into ``Document.text``.

>>> b = Block(text="Ведет учет.", number="2.1.", level=1, start=0, stop=11)
>>> Block.from_dict(b.to_dict()) == b
True
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

T = TypeVar("T", bound="Record")

#: The canonical section types (see ``pipeline/data/section_titles.txt``).
SECTION_TYPES = (
    "general",
    "duties",
    "rights",
    "liability",
    "requirements",
    "knowledge",
    "conditions",
    "relations",
    "other",
)

#: The five clause labels of ``LABELS.md``.
LABELS = ("duty", "right", "liability", "requirement", "other")


class Record:
    """JSON round-trip shared by all records; tuples of records nest."""

    _nested: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [v.to_dict() if isinstance(v, Record) else (list(v) if isinstance(v, tuple) else v)
                         for v in value]
            elif isinstance(value, Record):
                value = value.to_dict()
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in names:
                continue
            nested = cls._nested.get(key)
            if nested is not None and isinstance(value, list):
                value = tuple(nested.from_dict(v) for v in value)
            elif isinstance(value, list):
                value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
            kwargs[key] = value
        return cls(**kwargs)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_json(cls: type[T], line: str) -> T:
        return cls.from_dict(json.loads(line))


@dataclass(frozen=True)
class Block(Record):
    """One paragraph-like unit a reader found: a line, a paragraph, a list item, a table cell.

    ``number`` is a number label rendered by the source format (Word's automatic numbering,
    an HTML ``<ol>``) that is *not* part of ``text``; numbers typed into the text stay in ``text``.
    """

    text: str
    number: str = ""
    level: int = 0
    style: str = ""
    heading: int = 0
    paragraph: int = 0
    table: tuple[int, int, int] | None = None  # (table index, row, column)
    start: int = 0
    stop: int = 0


@dataclass(frozen=True)
class Document(Record):
    """A file as a reader saw it: its cleaned text and the blocks of that text."""

    path: str
    sha256: str
    format: str
    text: str
    blocks: tuple[Block, ...] = ()
    encoding: str = ""
    reader: str = ""
    warnings: tuple[str, ...] = ()

    _nested: ClassVar[dict[str, type]] = {"blocks": Block}

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Instruction(Record):
    """One job description found inside a document."""

    source: str
    index: int  # 1-based inside its document
    title: str
    position: str  # nominative, lower case; "" when the text names none
    start: int
    stop: int
    title_start: int = -1
    title_stop: int = -1
    rule: str = ""
    needs_review: tuple[str, ...] = ()  # why an analyst should look at it (``pipeline.review``); () when not


@dataclass(frozen=True)
class Section(Record):
    """A numbered or titled part of an instruction."""

    source: str
    instruction: int
    number: str
    title: str
    type: str  # one of SECTION_TYPES
    start: int
    stop: int
    rule: str = ""


@dataclass(frozen=True)
class Span(Record):
    """The fate of a stretch of text inside an instruction, for the debug view and accounting.

    ``kind`` is one of ``title``, ``heading``, ``lead_in``, ``clause``, ``noise``.
    """

    kind: str
    start: int
    stop: int
    rule: str = ""


@dataclass(frozen=True)
class Clause(Record):
    """One atomic provision, with its place in the source and, once classified, its label."""

    source: str
    instruction: int
    number: str  # the document's own number ("2.1", "3)"), "" for bullets and sentences
    text: str
    start: int
    stop: int
    path: str = ""  # the number, or a generated path such as "2.•3"
    section_number: str = ""
    section_title: str = ""
    section_type: str = ""
    lead_in: str = ""
    rule: str = ""
    label: str = ""
    confidence: float = 0.0
    reason: str = ""
    canonical_id: str = ""
    needs_review: tuple[str, ...] = ()  # why an analyst should look at it (``pipeline.review``); () when not


@dataclass(frozen=True)
class Structure(Record):
    """What the structure stage found in one document."""

    instructions: tuple[Instruction, ...] = ()
    sections: tuple[Section, ...] = ()
    clauses: tuple[Clause, ...] = ()
    spans: tuple[Span, ...] = ()

    _nested: ClassVar[dict[str, type]] = {
        "instructions": Instruction,
        "sections": Section,
        "clauses": Clause,
        "spans": Span,
    }


#: The fact fields an instruction has (``Facts``), compared with a facts gold.
FACT_NAMES = ("education", "education_field", "experience_years", "reports_to", "substitute", "appointed_by",
              "approved_by", "approved_on", "organisation", "approver")
#: The stored fact columns, in order: ``FACT_NAMES`` with ``min_experience`` after the years.
FACT_FIELDS = ("education", "education_field", "experience_years", "min_experience", "reports_to", "substitute",
               "appointed_by", "approved_by", "approved_on", "organisation", "approver")
#: Facts that are lists, and the type of their items.
FACT_LISTS = {"education": str, "experience_years": float, "reports_to": str}
#: How a flat row (a table cell) joins a list: no role or level holds it (roles are cut at ``;``).
FACT_JOIN = "; "


@dataclass(frozen=True)
class Facts:
    """What one instruction says about its position; empty values where the text says nothing.

    >>> row = Facts("a.txt", 1, "кассир", education=("высшее",), experience_years=(0.0, 2.0)).row()
    >>> row["experience_years"], row["min_experience"]
    ('0; 2', 0.0)
    >>> Facts.from_row(row).experience_years
    (0.0, 2.0)
    """

    source: str
    instruction: int
    position: str = ""
    education: tuple[str, ...] = ()  # levels in order of mention: высшее, среднее профессиональное, ...
    education_field: str = ""
    experience_years: tuple[float, ...] = ()  # every requirement in order of mention; 0 = no requirement
    reports_to: tuple[str, ...] = ()
    substitute: str = ""
    appointed_by: str = ""
    approved_by: str = ""
    approved_on: str = ""  # ISO date, or the year alone when day and month are blanks
    organisation: str = ""  # the employer as written: `ООО «Северный ветер»`
    approver: str = ""  # who signs the approval block: `Петров И. И.`, `Смирнова Ирина Петровна`
    evidence: tuple[tuple[str, str], ...] = ()  # (fact, the text it came from)

    @property
    def min_experience(self) -> float | None:
        return min(self.experience_years) if self.experience_years else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = [list(v) if isinstance(v, tuple) else v for v in value] if isinstance(value, tuple) \
                else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Facts:
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: (tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v)
                  for k, v in data.items() if k in names}
        return cls(**kwargs)

    def row(self) -> dict[str, Any]:
        """One flat row for a table (CSV, a workbook sheet, a database table): lists joined, no evidence."""
        row = {k: v for k, v in self.to_dict().items() if k != "evidence"}
        for key in ("education", "reports_to"):
            row[key] = FACT_JOIN.join(row[key])
        row["experience_years"] = FACT_JOIN.join(f"{y:g}" for y in self.experience_years)
        row["min_experience"] = self.min_experience
        return row

    @classmethod
    def from_row(cls, row: Any) -> Facts:
        """The facts of a flat row (``row()``, a database row, or a row with lists); no evidence."""
        record = unflatten(row)
        record.pop("min_experience")
        return cls.from_dict(record)


def _as_list(value: Any, kind: type) -> list[Any]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        items = [part.strip() for part in value.split(FACT_JOIN.strip())]
    else:
        items = list(value)
    return [kind(item) for item in items if str(item).strip() != ""]


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def unflatten(row: Any) -> dict[str, Any]:
    """A facts row (flat, as ``Facts.row`` writes it, or with lists) as source, instruction, position and
    ``FACT_FIELDS``, lists as lists and missing values empty.

    >>> unflatten({"source": "a.txt", "instruction": 1, "education": "высшее; среднее профессиональное",
    ...            "experience_years": "0; 2"})["experience_years"]
    [0.0, 2.0]
    """
    out: dict[str, Any] = {"source": _text(row.get("source")), "instruction": int(row.get("instruction") or 0),
                           "position": _text(row.get("position"))}
    for name in FACT_FIELDS:
        if name in FACT_LISTS:
            out[name] = _as_list(row.get(name), FACT_LISTS[name])
        elif name != "min_experience":
            out[name] = _text(row.get(name))
    years = out["experience_years"]
    out["min_experience"] = min(years) if years else None
    return out
