"""One instruction against the catalogue: how usual each of its clauses is, and what its peers have that it lacks.

- each clause is catalogued against the stored catalogue (``pipeline.catalogue.build`` on a copy: the
  store is never written) and counted in the *other* instructions of the store: ``common`` when at least
  :data:`COMMON_SHARE` of them contain its canonical clause, ``rare`` when fewer do, ``unique`` when none;
- peers are the other instructions of the same position, else of similar positions (the same head noun:
  `менеджер по продажам` ~ `менеджер по закупкам`), else every other instruction; a canonical clause
  that at least :data:`MISSING_SHARE` of the peers contain and this instruction does not is *missing*;
- against the standard of its position (``--template``, :func:`compare_template`: the standard
  ``pipeline.export.template`` writes, built from the other instructions): what the instruction lacks that the
  standard has, what it adds, and which of its clauses are *rare wordings* of a standard provision (a
  wording, not the standard's, that at most :data:`RARE_WORDING_SHARE` of the position's instructions with that
  provision use).

>>> head_noun("главный бухгалтер")
'бухгалтер'
>>> head_noun("старший кассир")
'кассир'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .catalogue import build
from .catalogue.stats import canonical_texts
from .export.template import DEFAULT_THRESHOLD, Item, TemplateError, build_template, head_noun
from .normalise import normalise
from .records import Clause, Instruction

#: A canonical clause in at least this share of the other instructions is common.
COMMON_SHARE = 0.25
#: A canonical clause in at least this share of the peers is missing when the instruction lacks it.
MISSING_SHARE = 0.5
#: Missing clauses listed at most.
MISSING_LIMIT = 30
#: A clause of a standard provision is a rare wording when at most this share of the position's instructions
#: that have the provision word it so (and it is not the standard's wording).
RARE_WORDING_SHARE = 0.25


@dataclass(frozen=True)
class ClauseUse:
    """One clause of the instruction and how many other instructions contain its canonical clause."""

    number: str
    text: str
    label: str
    canonical_id: str
    instructions: int
    share: float
    kind: str  # common | rare | unique


@dataclass(frozen=True)
class Missing:
    """A canonical clause most peers have and the instruction lacks."""

    canonical_id: str
    label: str
    text: str
    peers_with: int
    share: float


@dataclass(frozen=True)
class Comparison:
    source: str
    instruction: int
    position: str
    basis: str  # same position | similar positions | all instructions | empty catalogue
    peer_positions: tuple[str, ...]
    peers: int
    others: int  # other instructions in the catalogue
    clauses: tuple[ClauseUse, ...]
    missing: tuple[Missing, ...]

    def counts(self) -> dict[str, int]:
        out = {"common": 0, "rare": 0, "unique": 0}
        for c in self.clauses:
            out[c.kind] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format_text(self) -> str:
        return format_text(self)


def _instruction_ids(df: pd.DataFrame) -> pd.Series:
    return df["document"].astype(str) + "#" + df["instruction"].astype(str)


def _others(clauses: pd.DataFrame, source: str, instruction: int) -> pd.DataFrame:
    """The stored clauses of every instruction but this one (it may already be in the store)."""
    paths = clauses["document"].astype(str)
    own = ((clauses["source"].astype(str) == source) | (paths == source)
           | paths.str.endswith("/" + source)) & (clauses["instruction"] == instruction)
    return clauses[~own]


def _peers(others: pd.DataFrame, position: str) -> tuple[str, pd.DataFrame]:
    named = others[others["position"].astype(str) != ""]
    same = named[named["position"] == position] if position else named.iloc[0:0]
    if not same.empty:
        return "same position", same
    head = head_noun(position) if position else ""
    if head:
        heads = {p: head_noun(p) for p in named["position"].unique()}
        similar = named[named["position"].map(heads) == head]
        if not similar.empty:
            return "similar positions", similar
    if others.empty:
        return "empty catalogue", others
    return "all instructions", others


def compare(instruction_clauses: Sequence[Clause], store: Any, position: str = "") -> Comparison:
    """Compare the clauses of ONE instruction (classified, from ``pipeline.batch``) with a catalogue ``Store``."""
    clauses = list(instruction_clauses)
    source = clauses[0].source if clauses else ""
    index = clauses[0].instruction if clauses else 0
    built, _ = build(clauses, {(source, index): position}, store.load_catalogue())
    stored = store.clauses()
    others = _others(stored, source, index)
    others = others.assign(_instr=_instruction_ids(others))
    total = others["_instr"].nunique()
    use = others.groupby("canonical_id")["_instr"].nunique()
    rows = []
    for c in built:
        n = int(use.get(c.canonical_id, 0))
        share = n / total if total else 0.0
        kind = "unique" if n == 0 else "common" if share >= COMMON_SHARE else "rare"
        rows.append(ClauseUse(c.number or c.path, c.text, str(c.label), c.canonical_id, n, round(share, 4), kind))
    basis, peers = _peers(others, position)
    missing = _missing(peers, {c.canonical_id for c in built}, stored)
    return Comparison(source=source, instruction=index, position=position, basis=basis,
                      peer_positions=tuple(sorted(peers["position"].astype(str).unique())) if len(peers) else (),
                      peers=int(peers["_instr"].nunique()) if len(peers) else 0, others=int(total),
                      clauses=tuple(rows), missing=missing)


def _missing(peers: pd.DataFrame, own: set[str], stored: pd.DataFrame) -> tuple[Missing, ...]:
    if peers.empty:
        return ()
    n = peers["_instr"].nunique()
    per = peers.groupby("canonical_id").agg(peers_with=("_instr", "nunique"), label=("label", "first"))
    per = per[(per["peers_with"] / n >= MISSING_SHARE) & ~per.index.isin(list(own))]
    if per.empty:
        return ()
    texts = canonical_texts(stored).set_index("canonical_id")["text"]
    per = per.assign(share=(per["peers_with"] / n).round(4), text=texts.reindex(per.index).fillna(""))
    per = per.reset_index().sort_values(["share", "label", "canonical_id"], ascending=[False, True, True])
    return tuple(Missing(str(r.canonical_id), str(r.label), str(r.text), int(r.peers_with), float(r.share))
                 for r in per.head(MISSING_LIMIT).itertuples())


def format_text(comparison: Comparison, width: int = 100) -> str:
    """The comparison for a terminal: counts, each clause with its kind, then what the peers have."""
    c = comparison
    counts = c.counts()
    title = f"{c.source} #{c.instruction}" + (f" ({c.position})" if c.position else "")
    lines = [title, f"against {c.others} other instructions in the catalogue: "
                    f"{counts['common']} common, {counts['rare']} rare, {counts['unique']} unique clauses", ""]
    for kind in ("unique", "rare", "common"):
        chosen = [u for u in c.clauses if u.kind == kind]
        if not chosen:
            continue
        lines.append(f"{kind.upper()} ({len(chosen)})")
        for u in chosen:
            lines.append(_line(f"  {u.number or '-':>6} {u.label:<11} {u.instructions:>4}  ", u.text, width))
        lines.append("")
    peers = ", ".join(c.peer_positions[:5]) + (" …" if len(c.peer_positions) > 5 else "")
    lines.append(f"MISSING: what at least {MISSING_SHARE:.0%} of {c.peers} peer instructions have "
                 f"({c.basis}{': ' + peers if peers and c.basis != 'all instructions' else ''})")
    if not c.missing:
        lines.append("  nothing")
    for m in c.missing:
        lines.append(_line(f"  {m.peers_with:>3}/{c.peers:<3} {m.label:<11} ", m.text, width))
    return "\n".join(lines)


def _line(prefix: str, text: str, width: int) -> str:
    room = max(width - len(prefix), 20)
    text = " ".join(text.split())
    return prefix + (text if len(text) <= room else text[: room - 1] + "…")


def compare_stored(store: Any, document: str, instruction: int) -> Comparison:
    """An instruction already in the store compared with all the others (for notebooks)."""
    rows = store.clauses()
    own = rows[(rows["document"] == document) & (rows["instruction"] == instruction)]
    if own.empty:
        raise ValueError(f"no clauses of {document} #{instruction} in {store.path}")
    clauses = [Clause(source=str(r.source), instruction=int(r.instruction), number=str(r.number), text=str(r.text),
                      start=int(r.start), stop=int(r.stop), path=str(r.clause_path), label=str(r.label))
               for r in own.itertuples()]
    return compare(clauses, store, str(own["position"].iloc[0]))


def compare_file(path: str | Path, store: Any, classifier: Any) -> list[Comparison]:
    """Every instruction of one file compared with the catalogue (for ``jobclauses compare FILE --db DB``).

    Raises ``ValueError`` with the batch's reason when the file cannot be read or holds no instruction.
    """
    return [compare(own, store, instruction.position) for instruction, own in _instructions_of(path, classifier)]


def _instructions_of(path: str | Path, classifier: Any) -> list[tuple[Instruction, list[Clause]]]:
    """Each instruction of one file with its clauses (those with none left out); ``ValueError`` with the batch's
    reason when the file cannot be read or holds no instruction."""
    from .batch import process_file

    result = process_file(Path(path), classifier)
    if result.status != "ok":
        raise ValueError(f"{path}: {result.reason}")
    out = []
    for instruction in result.instructions:
        own = [c for c in result.clauses if c.instruction == instruction.index]
        if own:
            out.append((instruction, own))
    return out


# --- against the standard of the position ------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """A clause of the instruction that states a standard provision in a rare wording."""

    number: str
    text: str
    canonical_id: str
    standard_number: str
    standard_text: str
    used_by: int  # the position's instructions (with the provision) that use this wording
    with_provision: int  # the position's instructions that have the provision


@dataclass(frozen=True)
class TemplateComparison:
    source: str
    instruction: int
    position: str  # the instruction's
    standard: str  # the position of the standard
    instructions: int  # the standard's instructions
    threshold: float
    lacks: tuple[tuple[str, str, str, float], ...]  # (number in the standard, label, text, share)
    adds: tuple[ClauseUse, ...]  # clauses of no standard provision
    rare: tuple[Wording, ...]
    matched: int  # clauses of a standard provision

    def format_text(self, width: int = 100) -> str:
        c = self
        head = f"{c.source} #{c.instruction}" + (f" ({c.position})" if c.position else "")
        n = c.matched + len(c.adds)
        lines = [head, f"against the standard for {c.standard!r} ({c.instructions} other instructions, provisions in "
                       f"at least {c.threshold:.0%} of them): {c.matched} of its {n} clauses are standard provisions, "
                       f"{len(c.adds)} are not; {len(c.lacks)} standard provisions missing; {len(c.rare)} rare "
                       "wordings", ""]
        lines.append(f"LACKS ({len(c.lacks)}): in the standard, not in the instruction")
        lines += [_line(f"  {number:>6} {label:<11} {share:>4.0%}  ", text, width) for number, label, text, share in c.lacks]
        lines.append("")
        lines.append(f"ADDS ({len(c.adds)}): in the instruction, no standard provision")
        lines += [_line(f"  {u.number or '-':>6} {u.label:<11} {u.instructions:>4}  ", u.text, width) for u in c.adds]
        lines.append("")
        lines.append(f"RARE WORDINGS ({len(c.rare)}): a standard provision worded otherwise")
        for w in c.rare:
            lines.append(_line(f"  {w.number or '-':>6} ~ {w.standard_number:<6} {w.used_by}/{w.with_provision}  ",
                               w.text, width))
            lines.append(_line(f"  {'':>6}   standard: ", w.standard_text, width))
        return "\n".join(lines)


def compare_template(instruction_clauses: Sequence[Clause], store: Any, position: str = "",
                     standard: str = "", threshold: float = DEFAULT_THRESHOLD, exact: bool = False
                     ) -> TemplateComparison:
    """Compare the clauses of ONE instruction with the standard of ``standard`` (default: its own
    ``position``), built from the other instructions of the store. Raises ``TemplateError`` when the
    catalogue has no other instruction of that position."""
    clauses = list(instruction_clauses)
    source = clauses[0].source if clauses else ""
    index = clauses[0].instruction if clauses else 0
    target = standard or position
    if not target:
        raise TemplateError(f"{source} #{index}: names no position; give the standard's with --position")
    built, catalogue = build(clauses, {(source, index): position}, store.load_catalogue())
    stored = store.clauses()
    others = _others(stored, source, index)
    instructions = store.instructions()
    paths = instructions["document"].astype(str)
    own = ((instructions["source"].astype(str) == source) | (paths == source) | paths.str.endswith("/" + source)) \
        & (instructions["instruction"] == index)
    if instructions[~own].empty:
        raise TemplateError(f"no other instruction in the catalogue to build the standard for {target!r} from")
    template = build_template(others, instructions[~own], target, threshold, exact)
    standard_items = {item.canonical_id: item for item in template.items()}
    group = others[others["position"].isin([p for p, _ in template.positions])]
    group = group.assign(_instr=_instruction_ids(group))
    use = others.assign(_instr=_instruction_ids(others)).groupby("canonical_id")["_instr"].nunique()
    adds, rare, seen = [], [], set()
    for c in built:
        item = standard_items.get(c.canonical_id)
        if item is None:
            adds.append(ClauseUse(c.number or c.path, c.text, str(c.label), c.canonical_id,
                                  int(use.get(c.canonical_id, 0)), 0.0, "added"))
            continue
        seen.add(c.canonical_id)
        wording = _wording_rarity(c, position, catalogue, group, item)
        if wording is not None:
            rare.append(Wording(c.number or c.path, c.text, c.canonical_id, item.number, item.text, *wording))
    lacks = tuple((item.number, item.label, item.text, item.share) for item in template.items()
                  if item.canonical_id not in seen)
    return TemplateComparison(source, index, position, template.position, template.instructions, threshold, lacks,
                              tuple(adds), tuple(rare), len(built) - len(adds))


def _wording_rarity(clause: Clause, position: str, catalogue: Any, group: pd.DataFrame, item: Item
                    ) -> tuple[int, int] | None:
    """(instructions using its wording, instructions with the provision) when the clause words a standard
    provision otherwise than the standard and rarely; None when its wording is the standard's or common."""
    variant = catalogue.keys.get((clause.label, normalise(clause.text, position, clause.lead_in).key), "")
    if variant and variant == item.variant_id:
        return None
    mine = group[group["canonical_id"] == clause.canonical_id]
    with_provision = int(mine["_instr"].nunique())
    used_by = int(mine.loc[mine["variant_id"].astype(str) == variant, "_instr"].nunique()) if variant else 0
    if with_provision and used_by / with_provision > RARE_WORDING_SHARE:
        return None
    return used_by, with_provision


def compare_file_template(path: str | Path, store: Any, classifier: Any, standard: str = "",
                          threshold: float = DEFAULT_THRESHOLD, exact: bool = False) -> list[TemplateComparison]:
    """Every instruction of one file against the standard of its position (``jobclauses compare FILE --template``).

    Raises ``ValueError`` with the batch's reason when the file cannot be read or holds no instruction, and
    ``TemplateError`` when the catalogue has no other instruction of the position.
    """
    return [compare_template(own, store, instruction.position, standard, threshold, exact)
            for instruction, own in _instructions_of(path, classifier)]
