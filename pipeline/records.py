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
