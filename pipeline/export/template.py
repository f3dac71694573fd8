"""A standard instruction for a position, built from the catalogue, written as a Word document.

``jobclauses template --db DB --position "бухгалтер" --out бухгалтер.docx`` takes the instructions of the
position (:func:`within`: the same head noun and at least its qualifiers, so `главный бухгалтер` is within
`бухгалтер`; ``exact``: that position only) and keeps every canonical clause that at least ``threshold`` of
them contain (:func:`build_template`). Each is worded by its most common variant among them, in the most
common wording of that variant, with its slots filled for the position: the name of the position the wording
was written for becomes this position's, in the same case (:func:`fill_position`), and each slot (superior,
organisation, …) takes the value most of these instructions give it (:func:`fill_slots`). Sections come in
the usual order, by the label of the clause: general provisions (``other``), duties, rights, liability,
qualification requirements; within a section, clauses come in the order the instructions give them (their mean
place in their instruction), those under a lead-in («должен знать:») after it. An appendix lists the less
common canonical clauses (in at least ``appendix_min`` instructions) with how many instructions contain them.

The document (:func:`docx_bytes`) is WordprocessingML written here: a title, numbered section headings and
clauses in one list of Word's automatic numbering (``numbering.xml``: ``1.``, ``1.1.``), so that Word,
LibreOffice and ``jobclauses read`` print the same numbers; the appendix is a table. It is written with the
one atomic writer.

>>> head_noun("главный бухгалтер"), sorted(qualifiers("менеджер по продажам"))
('бухгалтер', ['продажа'])
>>> within("главный бухгалтер", "бухгалтер"), within("бухгалтер", "главный бухгалтер")
(True, False)
>>> inflect_position("медицинская сестра терапевтического отделения", "gent")
'медицинской сестры терапевтического отделения'
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd

from ..atomic import atomic_write
from ..catalogue.slots import quoted_names, slotted
from ..normalise import _match_at, _other_position, position_patterns  # where a text names its position
from ..text import fold, lemma, morph, parse, parses, words

#: The sections of a standard instruction, in the usual order: (key, title, the label of its clauses).
SECTIONS = (
    ("general", "Общие положения", "other"),
    ("duties", "Должностные обязанности", "duty"),
    ("rights", "Права", "right"),
    ("liability", "Ответственность", "liability"),
    ("requirements", "Квалификационные требования", "requirement"),
)
DEFAULT_THRESHOLD = 0.5
#: The appendix lists the canonical clauses below the threshold found in at least this many instructions.
DEFAULT_APPENDIX_MIN = 2
#: Parts of speech that are no qualifier of a position (`менеджер по продажам`: `по`).
_FUNCTION = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})


class TemplateError(ValueError):
    """No standard can be built (no instruction of the position); one line to print."""


# --- positions: head noun and qualifiers -------------------------------------------------------------------


def head_index(tokens: Sequence[str]) -> int | None:
    """The index of the head of a position's words: the first noun, or an adjective or participle used as a
    noun (`заведующий складом`, `старший смены`); an adjective agreeing with the noun after it
    (`старший кассир`) is not the head."""
    for i, word in enumerate(tokens):
        p = parse(word)
        if p.tag.POS not in ("NOUN", "ADJF", "PRTF"):
            continue
        if i + 1 < len(tokens) and _agrees_with_next(word, tokens[i + 1]):
            continue
        return i
    return None


def _agrees_with_next(word: str, following: str) -> bool:
    adjectives = [q for q in morph().parse(word) if q.tag.POS in ("ADJF", "PRTF") and "nomn" in q.tag]
    nouns = [q for q in morph().parse(following) if q.tag.POS == "NOUN" and "nomn" in q.tag]
    return any(a.tag.number == n.tag.number and (n.tag.number == "plur" or a.tag.gender == n.tag.gender)
               for a in adjectives for n in nouns)


def head_noun(position: str) -> str:
    """The lemma of the head of a position (`главный бухгалтер` -> `бухгалтер`); "" when none."""
    tokens = words(position)
    i = head_index(tokens)
    if i is None:
        return ""
    p = parse(tokens[i])
    if p.tag.POS == "NOUN":
        return lemma(tokens[i])
    form = p.inflect({"nomn", "sing", "masc"})  # a participle's normal form would be its verb
    return (form.word if form else tokens[i]).replace("ё", "е")


def qualifiers(position: str) -> frozenset[str]:
    """The lemmas of a position's words besides its head and function words (`по`, `и`)."""
    tokens = words(position)
    i = head_index(tokens)
    out = set()
    for k, word in enumerate(tokens):
        if k == i or parse(word).tag.POS in _FUNCTION:
            continue
        out.add(lemma(word))
    return frozenset(out)


def within(candidate: str, position: str, exact: bool = False) -> bool:
    """Whether instructions of ``candidate`` count as instructions of ``position``: the same position, or
    (unless ``exact``) the same head noun with at least the position's qualifiers (`главный бухгалтер` is
    within `бухгалтер`, `менеджер по продажам` within `менеджер`; not the other way)."""
    a, b = " ".join(fold(candidate).split()), " ".join(fold(position).split())
    if not a or not b:
        return False
    if a == b:
        return True
    if exact:
        return False
    head = head_noun(b)
    return bool(head) and head_noun(a) == head and qualifiers(b) <= qualifiers(a)


# --- inflecting a position, filling a wording -------------------------------------------------------------


def _inflect_word(word: str, grammemes: set[str], pos: Sequence[str], gender: str | None = None,
                  number: str = "sing") -> str:
    """One word in the nominative put into ``grammemes``, spelling kept when it does not inflect."""
    candidates = [p for p in parses(word.lower()) if p.tag.POS in pos and p.tag.case == "nomn"
                  and (gender is None or p.tag.gender in (gender, None) or number == "plur")]
    for p in candidates:
        form = p.inflect(grammemes)
        if form is not None:
            return _keep_case(word, form.word)
    return word


def _keep_case(original: str, inflected: str) -> str:
    if original.isupper() and len(original) > 1:
        return inflected.upper()
    if original[:1].isupper():
        return inflected[:1].upper() + inflected[1:]
    return inflected


def inflect_position(position: str, case: str, number: str = "sing") -> str:
    """A position (nominative) in ``case`` (pymorphy3's names: gent, datv, accs, ablt, loct): its head and the
    words agreeing with it before it inflect, the words after it stay (`менеджера по продажам`)."""
    tokens = position.split()
    i = head_index([t.lower() for t in tokens])
    if i is None or case == "nomn" and number == "sing":
        return position
    head = [p for p in parses(tokens[i].lower()) if p.tag.POS in ("NOUN", "ADJF", "PRTF") and p.tag.case == "nomn"]
    gender = head[0].tag.gender if head else None
    grammemes = {case, number} | ({"anim"} if case == "accs" else set())
    out = list(tokens)
    out[i] = _inflect_word(tokens[i], grammemes, ("NOUN", "ADJF", "PRTF"), None if head and head[0].tag.POS == "NOUN"
                           else gender, number)
    for k in range(i):
        out[k] = _inflect_word(tokens[k], grammemes, ("ADJF", "PRTF"), gender, number)
    return " ".join(out)


_SPAN = re.compile(r"[а-яёa-z0-9]+(?:-[а-яёa-z0-9]+)*", re.IGNORECASE)


def _case_of(words_: Sequence[str], head_lemma: str) -> tuple[str, str]:
    """The case and number of the word among ``words_`` whose lemma is the position's head."""
    for word in words_:
        for p in parses(word.lower()):
            if str(p.normal_form).replace("ё", "е") == head_lemma and p.tag.case:
                return str(p.tag.case), str(p.tag.number or "sing")
    return "nomn", "sing"


def fill_position(text: str, written_for: str, position: str) -> str:
    """``text`` (written in an instruction of ``written_for``) with each mention of that position (its full
    name, or its head alone: `Бухгалтер ...` in an instruction of `главный бухгалтер`) replaced by
    ``position`` in the same case and number.

    >>> fill_position("Главный бухгалтер подчиняется директору.", "главный бухгалтер", "бухгалтер")
    'Бухгалтер подчиняется директору.'
    >>> fill_position("Приказом о назначении менеджера по продажам.", "менеджер по продажам", "менеджер")
    'Приказом о назначении менеджера.'

    A mention right after an adjective names someone else (`старшим кассиром` in an instruction of `кассир`),
    as in normalisation.
    """
    if not written_for or fold(written_for) == fold(position):
        return text
    patterns = position_patterns(written_for)
    head = head_noun(written_for)
    if not patterns or not head:
        return text
    spans = list(_SPAN.finditer(text))
    out, cursor, i = [], 0, 0
    while i < len(spans):
        n = _match_at(spans, i, patterns)
        if n and _other_position(text, spans, i, patterns[0]):
            n = 0
        if not n:
            i += 1
            continue
        found = [s.group(0) for s in spans[i:i + n]]
        case, number = _case_of(found, head)
        replacement = inflect_position(position, case, number)
        if found[0][:1].isupper():
            replacement = replacement[:1].upper() + replacement[1:]
        out += [text[cursor:spans[i].start()], replacement]
        cursor = spans[i + n - 1].end()
        i += n
    out.append(text[cursor:])
    return "".join(out)


def _first_case(value: str) -> str:
    for word in words(value):
        for p in parses(word):
            if p.tag.case and p.tag.POS in ("NOUN", "ADJF", "PRTF"):
                return str(p.tag.case)
    return ""


def fill_slots(text: str, readable: str, wanted: Mapping[str, str]) -> str:
    """``text`` with each slot value it has (found in its ``readable`` normalised text) replaced by the value
    ``wanted`` for that slot kind, when both are in the same case and the value is found in the text as
    written (whatever its case and quotes); the text as it was otherwise."""
    found = slotted(readable, quoted_names(text)).values
    for kind, value in found:
        want = wanted.get(kind)
        if not want or want == value or _first_case(want) != _first_case(value):
            continue
        pattern = r"[\s«»\"“”„]+".join(re.escape(w) for w in value.split())
        match = re.search(pattern, text.replace("ё", "е").replace("Ё", "Е"), re.IGNORECASE)
        if match is None:
            continue
        replacement = want if not text[match.start()].isupper() else want[:1].upper() + want[1:]
        text = text[:match.start()] + replacement + text[match.end():]
    return text


def tidy(text: str) -> str:
    """A clause as an item of a list: no bullet in front, first letter upper case, one full stop at the end."""
    text = " ".join(text.split()).lstrip("-–—•·*▪◦ ").strip()
    text = re.sub(r"[\s;,:]+$", "", text)
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


# --- the template -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One canonical clause of the standard: its wording and how many of the instructions contain it."""

    canonical_id: str
    label: str
    text: str
    instructions: int
    share: float
    variant_id: str = ""
    lead_in: str = ""
    number: str = ""


@dataclass(frozen=True)
class Section:
    """A numbered section: its items, each run of items under a lead-in shown after that lead-in."""

    key: str
    title: str
    number: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Template:
    position: str
    title: str
    exact: bool
    threshold: float
    instructions: int
    positions: tuple[tuple[str, int], ...]  # the positions grouped, with their instructions
    sections: tuple[Section, ...]
    appendix: tuple[Item, ...]
    appendix_min: int
    left_out: int  # canonical clauses of fewer than ``appendix_min`` instructions, not listed

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def canonical_ids(self) -> set[str]:
        return {item.canonical_id for item in self.items()}


def _ids(frame: pd.DataFrame) -> pd.Series:
    return frame["document"].astype(str) + "#" + frame["instruction"].astype(str)


def positions_within(positions: Iterable[str], position: str, exact: bool = False) -> list[str]:
    """The stored positions whose instructions count as ``position``'s."""
    return sorted({p for p in positions if isinstance(p, str) and within(p, position, exact)})


def build_template(clauses: pd.DataFrame, instructions: pd.DataFrame, position: str,
                   threshold: float = DEFAULT_THRESHOLD, exact: bool = False,
                   appendix_min: int = DEFAULT_APPENDIX_MIN) -> Template:
    """The standard instruction of ``position`` from a clause table (``Store.clauses()``) and an instruction
    table (``Store.instructions()``); raises :class:`TemplateError` when no instruction is of the position."""
    position = " ".join(position.lower().split())
    chosen = positions_within(instructions["position"].unique(), position, exact)
    if not chosen:
        known = sorted(p for p in instructions["position"].unique() if isinstance(p, str) and p)
        near = [p for p in known if head_noun(p) and head_noun(p) == head_noun(position)] or known
        hint = ", ".join(near[:6]) + (" …" if len(near) > 6 else "")
        raise TemplateError(f"no instruction of the position {position!r} in the catalogue"
                            + (f" (positions: {hint})" if hint else " (it is empty)"))
    own = instructions[instructions["position"].isin(chosen)]
    total = int(_ids(own).nunique())
    group = clauses[clauses["position"].isin(chosen)].copy()
    group["_instr"] = _ids(group)
    group["_place"] = group.groupby("_instr").cumcount() / group.groupby("_instr")["text"].transform("size")
    per = group.groupby("canonical_id").agg(instructions=("_instr", "nunique"), place=("_place", "mean"),
                                            label=("label", lambda s: s.mode().iloc[0]))
    per["share"] = per["instructions"] / max(total, 1)
    counts = Counter(dict(zip(own["position"], [0] * len(own), strict=False)))
    counts.update(own.drop_duplicates(["document", "instruction"])["position"])
    main = per[per["share"] >= threshold - 1e-9]
    rest = per[(per["share"] < threshold - 1e-9) & (per["instructions"] >= appendix_min)]
    items = {cid: _item(cid, row, group, clauses, position) for cid, row in pd.concat([main, rest]).iterrows()}
    sections = []
    for n, (key, title, label) in enumerate(SECTIONS, start=1):
        mine = main[main["label"] == label]
        ordered = _ordered([items[cid] for cid in mine.index], mine["place"].to_dict())
        numbered = tuple(Item(**{**i.__dict__, "number": f"{n}.{k}."}) for k, i in enumerate(ordered, start=1))
        sections.append(Section(key, title, f"{n}.", numbered))
    section_rank = {label: k for k, (_, _, label) in enumerate(SECTIONS)}
    appendix = sorted((items[cid] for cid in rest.index),
                      key=lambda i: (section_rank.get(i.label, 9), -i.instructions, i.text))
    left_out = int(((per["share"] < threshold - 1e-9) & (per["instructions"] < appendix_min)).sum())
    title = f"Должностная инструкция {inflect_position(position, 'gent')}"
    return Template(position, title, exact, threshold, total,
                    tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))), tuple(sections),
                    tuple(appendix), appendix_min, left_out)


def _ordered(items: list[Item], place: Mapping[str, float]) -> list[Item]:
    """Items in their usual order; those under one lead-in kept together, after the items of none, in the
    order of their first item."""
    items = sorted(items, key=lambda i: (place.get(i.canonical_id, 0.0), i.canonical_id))
    first: dict[str, int] = {}
    for k, item in enumerate(items):
        first.setdefault(fold(item.lead_in), k)
    return sorted(items, key=lambda i: (bool(i.lead_in), first[fold(i.lead_in)] if i.lead_in else 0,
                                        items.index(i)))


def _mode(values: Iterable[Any]) -> Any:
    counted = Counter(v for v in values if isinstance(v, str) and v)
    if not counted:
        return ""
    return min(counted.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


def _item(cid: str, row: Any, group: pd.DataFrame, clauses: pd.DataFrame, position: str) -> Item:
    """The wording of a canonical clause for the position: its most common variant among the group (ties: the
    more common in the whole catalogue), that variant's most common wording, its slots and position filled."""
    mine = group[group["canonical_id"] == cid]
    variant = mine["variant_id"].fillna("").astype(str) if "variant_id" in mine.columns else pd.Series("", mine.index)
    variant = variant.where(variant != "", "~" + mine["normalised"].astype(str))
    overall = Counter(clauses.loc[clauses["canonical_id"] == cid, "variant_id"].fillna("").astype(str)) \
        if "variant_id" in clauses.columns else Counter()
    counted = Counter(variant)
    best = min(counted, key=lambda v: (-counted[v], -overall.get(v, 0), v))
    chosen = mine[variant == best]
    text = _mode(chosen["text"].map(lambda t: " ".join(str(t).split())))
    source = chosen[chosen["text"].map(lambda t: " ".join(str(t).split())) == text].iloc[0]
    wanted = _wanted_slots(mine)
    written_for = str(source["position"] or "")
    filled = fill_slots(fill_position(text, written_for, position), str(source["normalised"] or ""), wanted)
    lead_in = _mode(chosen["lead_in"]) if "lead_in" in chosen.columns else ""
    if lead_in and not text[:1].islower():
        lead_in = ""  # a whole sentence needs no lead-in
    if lead_in:
        lead_in = fill_position(" ".join(lead_in.split()), written_for, position)
    return Item(cid, str(row["label"]), tidy(filled), int(row["instructions"]), round(float(row["share"]), 4),
                "" if best.startswith("~") else best, lead_in)


def _wanted_slots(mine: pd.DataFrame) -> dict[str, str]:
    """Per slot kind, the value most of the group's clauses of a canonical clause give it."""
    counted: dict[str, Counter[str]] = {}
    for readable, text in zip(mine["normalised"].astype(str), mine["text"].astype(str), strict=True):
        for kind, value in slotted(readable, quoted_names(text)).values:
            counted.setdefault(kind, Counter())[value] += 1
    return {kind: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for kind, c in counted.items()}


def template_from_store(store: Any, position: str, threshold: float = DEFAULT_THRESHOLD, exact: bool = False,
                        appendix_min: int = DEFAULT_APPENDIX_MIN) -> Template:
    """:func:`build_template` over a ``pipeline.catalogue.store.Store``."""
    return build_template(store.clauses(), store.instructions(), position, threshold, exact, appendix_min)


# --- the Word document ------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: The list every numbered paragraph belongs to (``numbering.xml``).
NUM_ID = 1

CONTENT_TYPES = _XML + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.numbering+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
    'core-properties+xml"/>'
    "</Types>")
PACKAGE_RELS = _XML + (
    f'<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{PKG}/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>")
DOCUMENT_RELS = _XML + (
    f'<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/numbering" Target="numbering.xml"/>'
    "</Relationships>")
STYLES = _XML + (
    f'<w:styles xmlns:w="{W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
    'w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/>'
    '<w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="252" w:lineRule="auto"/><w:jc w:val="both"/>'
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>'
    '<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/><w:jc w:val="center"/></w:pPr>'
    '<w:rPr><w:b/><w:caps/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/>'
    '<w:jc w:val="left"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/>'
    '<w:rPr><w:i/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style></w:styles>")
NUMBERING = _XML + (
    f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
    f'</w:abstractNum><w:num w:numId="{NUM_ID}"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
#: A4, margins of 2 cm (left 3 cm), in twentieths of a point.
SECTION_PROPERTIES = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" '
                      'w:bottom="1134" w:left="1701" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>')
#: The appendix table's columns: (title, width in twentieths of a point).
APPENDIX_COLUMNS = (("Раздел", 1900), ("Положение", 5255), ("Инструкций", 1300), ("Доля", 900))


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


def _run(text: str, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def _para(text: str, style: str = "", level: int | None = None, runs: str = "", keep: bool = False) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if keep:
        props += "<w:keepNext/>"
    if level is not None:
        props += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{NUM_ID}"/></w:numPr>'
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs or (_run(text) if text else '')}</w:p>"


def _cell(text: str, width: int, bold: bool = False) -> str:
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr>{_run(text, bold=bold)}</w:p></w:tc>')


def _share(value: float) -> str:
    return f"{round(value * 100):d}%"


def _intro(template: Template) -> str:
    grouped = "; ".join(f"{p} — {n}" for p, n in template.positions)
    return (f"Типовая редакция, составленная по каталогу положений: инструкций — {template.instructions} "
            f"(должности: {grouped}). В неё вошли положения, которые есть не менее чем в "
            f"{_share(template.threshold)} из них, каждое в самой частой формулировке.")


def document_xml(template: Template) -> str:
    """The body of the standard: title, numbered sections and clauses, the appendix table."""
    body = [_para(template.title, "Title"), _para(_intro(template), "Note")]
    for section in template.sections:
        body.append(_para(section.title, "Heading1", level=0, keep=True))
        if not section.items:
            body.append(_para(f"Нет положений, которые есть не менее чем в {_share(template.threshold)} "
                              "инструкций.", "Note"))
        lead_in = ""
        for item in section.items:
            if item.lead_in and fold(item.lead_in) != fold(lead_in):
                body.append(_para(item.lead_in if item.lead_in.endswith(":") else item.lead_in + ":", keep=True))
            lead_in = item.lead_in
            body.append(_para(item.text, level=1))
    if template.appendix or template.left_out:
        body.append(_para("Приложение. Менее распространённые положения", "Heading1"))
        body.append(_para(f"Положения, которые есть менее чем в {_share(template.threshold)} инструкций, но не "
                          f"меньше чем в {template.appendix_min} из них: сколько инструкций их содержат."
                          + (f" Ещё положений, которые есть в меньшем числе инструкций: {template.left_out}."
                             if template.left_out else ""), "Note"))
    if template.appendix:
        titles = {label: title for _, title, label in SECTIONS}
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for _, w in APPENDIX_COLUMNS)
        header = ('<w:tr><w:trPr><w:tblHeader/></w:trPr>'
                  + "".join(_cell(name, w, bold=True) for name, w in APPENDIX_COLUMNS) + "</w:tr>")
        rows = "".join(
            "<w:tr>" + "".join(_cell(v, w) for v, (_, w) in zip(
                (titles.get(i.label, i.label), i.text, f"{i.instructions} из {template.instructions}", _share(i.share)),
                APPENDIX_COLUMNS, strict=True)) + "</w:tr>"
            for i in template.appendix)
        body.append('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
                    f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header}{rows}</w:tbl>')
        body.append(_para(""))
    return _XML + f'<w:document xmlns:w="{W}" xmlns:r="{REL}"><w:body>{"".join(body)}{SECTION_PROPERTIES}</w:body></w:document>'


def core_xml(template: Template) -> str:
    return _XML + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(template.title)}</dc:title><dc:creator>jobclauses</dc:creator>"
        f"<dc:description>{_text(_intro(template))}</dc:description></cp:coreProperties>")


def docx_bytes(template: Template) -> bytes:
    """The standard as a .docx package (the same bytes for the same template)."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": core_xml(template),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/document.xml": document_xml(template),
        "word/styles.xml": STYLES,
        "word/numbering.xml": NUMBERING,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data.encode("utf-8"),
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_docx(template: Template, path: str | Path) -> Path:
    """Write the standard to ``path`` (atomically)."""
    path = Path(path)
    with atomic_write(path, "wb") as handle:
        handle.write(docx_bytes(template))
    return path


def summary_line(template: Template, path: str | Path) -> str:
    n = len(template.items())
    return (f"{path}: the standard for {template.position!r} from {template.instructions} instructions "
            f"({', '.join(f'{p} {k}' for p, k in template.positions)}): {n} canonical clauses in at least "
            f"{_share(template.threshold)} of them, {len(template.appendix)} in the appendix")
