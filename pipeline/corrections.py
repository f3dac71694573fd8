"""Corrections an analyst makes in the exported workbook (or a CSV), applied to the catalogue for good.

``jobclauses catalogue`` writes ``catalogue.xlsx``; the analyst edits it and ``jobclauses corrections apply
FILE --db DB`` stores what changed (:meth:`pipeline.catalogue.store.Store.add_corrections`), keyed by the
content of the clause and of its instruction, so that every later import keeps it. What an analyst edits
(shaded headers; the exported values sit in hidden columns, which an edit is compared with):

- sheet **clauses**: ``label`` (one of duty, right, liability, requirement, other); ``canonical_id``: the id of
  another canonical clause moves the clause there, a name starting with ``new`` (``new``, ``new-касса``)
  splits it off into a new canonical clause, together with the clauses given the same name in the file;
- sheet **facts**: ``position`` (nominative, lower case), the instruction's position;
- sheet **catalogue**: ``merge_into``: the id of another canonical clause of the same label, which this one
  joins with all its clauses;
- on every row, ``corrected_by`` and ``note`` (optional): who made the change (else the workbook's last
  editor in its document properties, else the user running the command) and why.

A CSV works too: a sheet saved as CSV, or a table of its own with the same column names, the clause named by
``document`` (its path or file name), ``instruction`` and ``number`` or ``text``, the instruction by
``document`` and ``instruction``. Without the hidden columns, an edit is a value that differs from the
stored one. Applying the same file twice changes nothing: a correction already in force is skipped, and a new
one of the same value supersedes the earlier.

A row that cannot be applied (an unknown label, a canonical id the catalogue lacks, a move across labels) is
listed, one line each, and the other rows are applied. A correction whose clause or instruction is not
stored (any more) is kept and listed by ``jobclauses corrections list``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import getpass
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue.state import Provision
from .catalogue.store import Correction, Store, mark_ids
from .records import LABELS

#: The names that make a canonical_id cell a split: the clause leaves for a new canonical clause.
NEW = "new"
#: Who wrote an exported workbook: a file whose last editor is one of these was not saved by a person.
MACHINES = frozenset({"jobclauses", "openpyxl", ""})
SUPPORTED = (".xlsx", ".xlsm", ".csv")


class CorrectionsError(ValueError):
    """The file cannot be read as corrections; the message is one line naming it."""


@dataclass(frozen=True)
class Edit:
    """One edited value of the file: its kind (``label``, ``canonical_id``, ``position``, ``merge_into``),
    the value, the exported value it replaces (None: compare with the store), what it names, and where it is."""

    kind: str
    value: str
    was: str | None
    where: str
    clause_key: str = ""
    instruction_key: str = ""
    document: str = ""
    instruction: int | None = None
    number: str = ""
    text: str = ""
    canonical_id: str = ""
    corrected_by: str = ""
    note: str = ""


@dataclass
class Applied:
    """What one ``corrections apply`` did."""

    edits: int = 0
    stored: list[Correction] = field(default_factory=list)
    unchanged: int = 0
    superseded: int = 0
    problems: list[str] = field(default_factory=list)
    stale: list[Correction] = field(default_factory=list)

    def line(self, path: str | Path, db: str | Path) -> str:
        kinds = Counter(c.kind for c in self.stored)
        said = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        stale = (f"; {len(self.stale)} apply to nothing stored (see `jobclauses corrections list`)"
                 if self.stale else "")
        return (f"{path}: {self.edits} edits, {len(self.stored)} corrections stored"
                + (f" ({said})" if said else "")
                + f", {self.unchanged} already in force, {self.superseded} earlier ones superseded{stale} -> {db}")


# --- reading the file ------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except ValueError:
        return None


def _kind_of(header: Sequence[str]) -> str:
    """Which edits a table holds, by its columns: ``merges`` (catalogue), ``clauses``, ``instructions``
    (facts), or ``""``."""
    names = set(header)
    if {"canonical_id", "merge_into"} <= names:
        return "merges"
    if names & {"label", "canonical_id"} and ("clause_key" in names or (
            "document" in names and "instruction" in names and names & {"text", "number"})):
        return "clauses"
    if "position" in names and ("instruction_key" in names or {"document", "instruction"} <= names):
        return "instructions"
    return ""


def edits_of_table(header: Sequence[str], rows: Iterable[Sequence[Any]], where: str) -> list[Edit]:
    """The edits of one table (a sheet or a CSV) whose columns are ``header``; ``where`` names it."""
    kind = _kind_of(header)
    out: list[Edit] = []
    if not kind:
        return out
    for n, raw in enumerate(rows, start=2):
        row = {name: _cell(value) for name, value in zip(header, raw, strict=False) if name}
        if not any(row.values()):
            continue
        at = f"{where} row {n}".strip()
        common = {"corrected_by": row.get("corrected_by", ""), "note": row.get("note", "")}
        if kind == "merges":
            if row.get("merge_into"):
                out.append(Edit("merge_into", row["merge_into"], "", at, canonical_id=row.get("canonical_id", ""),
                                **common))
            continue
        names = {"clause_key": row.get("clause_key", ""), "instruction_key": row.get("instruction_key", ""),
                 "document": row.get("document", ""), "instruction": _int(row.get("instruction", "")),
                 "number": row.get("number", ""), "text": row.get("text", "")}
        fields = ("label", "canonical_id") if kind == "clauses" else ("position",)
        for name in fields:
            if name not in row:
                continue
            was = row.get(f"was_{name}") if f"was_{name}" in header else None
            value = row[name]
            if value == was or (was is None and not value):
                continue
            out.append(Edit(name, value, was, at, **names, **common))
    return out


def _sheet_rows(sheet: Any) -> tuple[list[str], Iterable[Sequence[Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    return header, rows


def read_edits(path: str | Path) -> tuple[list[Edit], str, dt.datetime | None]:
    """The edits of a workbook or CSV, with who last saved it and when (from its properties; ``""``/None
    when unknown). Raises :class:`CorrectionsError` when it is no such file or holds no table of edits."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorrectionsError(f"{path}: not a workbook (.xlsx) or a CSV file")
    if suffix == ".csv":
        return _read_csv(path)
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise CorrectionsError(f"{path}: not an Excel workbook ({type(error).__name__})") from None
    try:
        found, tables = [], 0
        for sheet in book.worksheets:
            header, rows = _sheet_rows(sheet)
            if _kind_of(header):
                tables += 1
                found += edits_of_table(header, rows, sheet.title)
        props = book.properties
        editor = (props.lastModifiedBy or "").strip()
        when = props.modified
    finally:
        book.close()
    if not tables:
        raise CorrectionsError(f"{path}: no sheet of corrections in it (clauses with label or canonical_id, facts "
                               "with position, catalogue with merge_into)")
    return found, "" if editor.lower() in MACHINES else editor, when


def _read_csv(path: Path) -> tuple[list[Edit], str, dt.datetime | None]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # Excel in a Russian locale saves with «;»
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    header = [_cell(v) for v in next(reader, [])]
    if not _kind_of(header):
        raise CorrectionsError(f"{path}: its columns name no corrections ({', '.join(h for h in header if h)[:80]}): "
                               "see README, Corrections")
    found = edits_of_table(header, reader, "")
    return found, "", None


# --- resolving the edits against the store ---------------------------------------------------------------


class _Index:
    """The stored clauses and instructions, by what an edit names them with."""

    def __init__(self, store: Store) -> None:
        con = store.con
        self.clauses = con.execute("""SELECT c.document, c.source, c.instruction, c.number, c.text, c.label,
                c.canonical_id, c.clause_hash, i.instruction_hash, i.title, c.corrected
            FROM clauses c JOIN instructions i ON i.document = c.document AND i.instruction = c.instruction
            ORDER BY c.document, c.instruction, c.start""").fetchall()
        self.instructions = con.execute("""SELECT document, source, instruction, title, position, instruction_hash
            FROM instructions ORDER BY document, instruction""").fetchall()
        self.provisions = {pid: label for pid, label in con.execute("SELECT id, label FROM provisions").fetchall()}
        self.in_use = {pid for (pid,) in con.execute("SELECT DISTINCT canonical_id FROM clauses").fetchall()}
        self.by_key: dict[str, list[tuple]] = {}
        for row in self.clauses:
            self.by_key.setdefault(f"{row[8]}:{row[7]}", []).append(row)
        self.by_ihash = {row[5]: row for row in self.instructions}

    @staticmethod
    def _same_document(stored: str, source: str, named: str) -> bool:
        named = named.replace("\\", "/")
        return named in (stored, source) or stored.replace("\\", "/").endswith("/" + named)

    def clause(self, edit: Edit) -> tuple[list[tuple], str]:
        """The stored rows of the clause an edit names (several only for one text repeated in an
        instruction), or why there is none."""
        if edit.clause_key:
            rows = self.by_key.get(edit.clause_key, [])
            return rows, "" if rows else "the clause is not stored (any more)"
        rows = [r for r in self.clauses if self._same_document(r[0], r[1], edit.document)
                and r[2] == edit.instruction
                and (not edit.number or r[3] == edit.number)
                and (not edit.text or " ".join(r[4].split()) == edit.text)]
        if not rows:
            return [], f"no stored clause {edit.number or edit.text[:40]!r} in {edit.document} #{edit.instruction}"
        if len({(r[0], r[7]) for r in rows}) > 1:
            return [], (f"{len(rows)} stored clauses fit {edit.document} #{edit.instruction} "
                        f"{edit.number or edit.text[:40]!r}: give the number and the text")
        return rows, ""

    def instruction(self, edit: Edit) -> tuple | None:
        if edit.instruction_key:
            return self.by_ihash.get(edit.instruction_key)
        rows = [r for r in self.instructions if self._same_document(r[0], r[1], edit.document)
                and r[2] == edit.instruction]
        return rows[0] if len(rows) == 1 else None


def _split_id(label: str, name: str, hashes: Iterable[str]) -> str:
    """The id of the canonical clause a split founds: from the label, the name the analyst gave and the
    clauses given it, so that the same file gives the same id."""
    digest = hashlib.blake2b(f"{name}\x00{' '.join(sorted(hashes))}".encode(), digest_size=5).hexdigest()
    return f"{(label or 'none')[:3]}-n{digest}"


def resolve(edits: Sequence[Edit], store: Store, editor: str = "", when: dt.datetime | None = None,
            origin: str = "") -> tuple[list[Correction], list[Provision], list[str], int]:
    """The corrections the edits make against ``store`` (ids 0: the store gives them), the canonical
    clauses splits found, one line for each edit that cannot be applied, and how many edits say what is
    stored already (a CSV without the exported values)."""
    index = _Index(store)
    user = _system_user()
    problems: list[str] = []
    out: list[tuple[Correction, str]] = []  # with where its edit is
    same = 0
    labels_now: dict[str, str] = {}  # clause key -> the label this file gives it
    for edit in edits:
        base = {"corrected_by": edit.corrected_by or editor or user, "corrected_at": when, "note": edit.note,
                "origin": f"{origin} {edit.where}".strip()}
        if edit.kind in ("label", "canonical_id"):
            rows, why = index.clause(edit)
            if not rows and not edit.clause_key:
                problems.append(f"{edit.where}: {why}")
                continue
            if edit.kind == "label":
                label = edit.value.lower()
                if label not in LABELS:
                    problems.append(f"{edit.where}: label {edit.value!r} is not one of {', '.join(sorted(LABELS))}")
                    continue
                if edit.was is None and rows and rows[0][5] == label:
                    same += 1
                    continue
                out.append((_clause_correction("label", edit, rows, index, label, base), edit.where))
                if rows:
                    labels_now[f"{rows[0][8]}:{rows[0][7]}"] = label
            else:
                if edit.was is None and rows and rows[0][6] == edit.value:
                    same += 1
                    continue
                out.append((_clause_correction("move", edit, rows, index, edit.value, base), edit.where))
        elif edit.kind == "position":
            row = index.instruction(edit)
            position = " ".join(edit.value.lower().split())
            if not position:
                problems.append(f"{edit.where}: the position is empty")
                continue
            if row is None and not edit.instruction_key:
                problems.append(f"{edit.where}: no stored instruction {edit.document} #{edit.instruction}")
                continue
            if edit.was is None and row is not None and row[4] == position:
                same += 1
                continue
            document, _, number, title, old, ihash = row if row is not None else (
                edit.document, "", edit.instruction or 0, "", edit.was or "", edit.instruction_key)
            out.append((Correction(0, "position", document=document, instruction=int(number or 0),
                                   title=title or "", instruction_hash=ihash or "", subject=title or "",
                                   old_value=old or "", new_value=position, **base), edit.where))
        elif edit.kind == "merge_into":
            out.append((Correction(0, "merge", subject=edit.canonical_id, old_value=edit.canonical_id,
                                   new_value=edit.value, **base), edit.where))
    corrections, founded = _checked(out, index, store.overrides(), labels_now, problems)
    return corrections, founded, problems, same


def _clause_correction(kind: str, edit: Edit, rows: Sequence[tuple], index: _Index, value: str,
                       base: Mapping[str, Any]) -> Correction:
    """A correction of one clause: keyed by the stored clause the edit names, or by the key the row carries
    when that clause is no longer stored (it is kept, and applies to nothing until it is imported again)."""
    if rows:
        document, _, number, _, text, label, canonical, chash, ihash, title, _ = rows[0]
        old = label if kind == "label" else canonical
    else:
        ihash, _, chash = edit.clause_key.partition(":")
        found = index.by_ihash.get(ihash)
        document, number, title = edit.document, edit.instruction or 0, found[3] if found else ""
        text, old = edit.text, edit.was or ""
    return Correction(0, kind, document=document, instruction=int(number or 0), title=title or "",
                      instruction_hash=ihash or "", clause_hash=chash or "", subject=text or "", old_value=old or "",
                      new_value=value, **base)


def _checked(corrections: list[tuple[Correction, str]], index: _Index, active: Any, labels_now: Mapping[str, str],
             problems: list[str]) -> tuple[list[Correction], list[Provision]]:
    """Moves, splits and merges checked against the catalogue (ids, labels, cycles); splits named."""
    out: list[Correction] = []
    splits: dict[str, list[Correction]] = {}
    merges = {src: c.new_value for src, c in active.merges.items()}
    for c, where in corrections:
        if c.kind == "move":
            key = f"{c.instruction_hash}:{c.clause_hash}"
            label = labels_now.get(key) or _stored_label(index, key)
            if c.new_value.lower().startswith(NEW):
                splits.setdefault(f"{label}\x00{c.new_value}", []).append(dataclasses.replace(c, kind="split"))
                continue
            if c.new_value not in index.provisions:
                problems.append(f"{where}: canonical_id {c.new_value!r} is not in the catalogue (a new canonical "
                                f"clause is named new…)")
                continue
            if label and index.provisions[c.new_value] != label:
                problems.append(f"{where}: {c.new_value} is a canonical clause of {index.provisions[c.new_value]}, "
                                f"the clause is a {label} (change its label as well)")
                continue
            out.append(c)
        elif c.kind == "merge":
            src, into = c.old_value, c.new_value
            if src not in index.provisions:
                problems.append(f"{where}: canonical_id {src!r} is not in the catalogue")
            elif into not in index.provisions:
                problems.append(f"{where}: merge_into {into!r} is not in the catalogue")
            elif src == into:
                problems.append(f"{where}: {src} cannot be merged into itself")
            elif index.provisions[src] != index.provisions[into]:
                problems.append(f"{where}: {src} is a {index.provisions[src]}, {into} a {index.provisions[into]}: "
                                "only canonical clauses of one label merge")
            elif _ends_in(merges, into, src):
                problems.append(f"{where}: {into} is merged into {src} already: merging back would make a cycle")
            else:
                merges[src] = into
                out.append(c)
        else:
            out.append(c)
    founded: list[Provision] = []
    for key, group in splits.items():
        label, name = key.split("\x00", 1)
        pid = _split_id(label, name, (c.clause_hash for c in group))
        founded.append(Provision(pid, label, ""))
        out += [dataclasses.replace(c, new_value=pid, name=name) for c in group]
    return out, founded


def _ends_in(merges: Mapping[str, str], start: str, target: str) -> bool:
    seen = set()
    while start in merges and start not in seen:
        seen.add(start)
        start = merges[start]
        if start == target:
            return True
    return start == target


def _stored_label(index: _Index, key: str) -> str:
    rows = index.by_key.get(key)
    return rows[0][5] if rows else ""


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container)
        return ""


def apply_file(path: str | Path, store: Store) -> Applied:
    """Read the corrections of ``path`` and store them in ``store`` (opened for writing)."""
    path = Path(path)
    edits, editor, when = read_edits(path)
    if when is None:
        when = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    elif when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    corrections, founded, problems, same = resolve(edits, store, editor, when, path.name)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    user = _system_user()
    corrections = [dataclasses.replace(c, applied_by=user, applied_at=now) for c in corrections]
    stored, unchanged, superseded = store.add_corrections(corrections, founded)
    uses = store.correction_uses()
    return Applied(len(edits), stored, unchanged + same, superseded, problems,
                   [c for c in stored if not uses.get(c.id)])


# --- listing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """A stored correction and what it does now."""

    correction: Correction
    uses: int
    state: str  # in force | no longer applies | superseded

    def line(self) -> str:
        c = self.correction
        when = c.corrected_at.strftime("%Y-%m-%d %H:%M") if c.corrected_at else "?"
        what = {"label": "label", "position": "position", "move": "moved", "split": "split off",
                "merge": "merged"}[c.kind]
        if c.kind == "merge":
            change = f"{c.old_value} -> {c.new_value}"
        elif c.kind == "position" and not c.subject:
            change = f"{c.old_value or '-'} -> {c.new_value}"
        else:
            shown = c.subject if len(c.subject) <= 60 else c.subject[:59] + "…"
            name = f" ({c.name})" if c.name else ""
            change = f"«{shown}» {c.old_value or '-'} -> {c.new_value}{name}"
        unit = "instruction" if c.kind == "position" else "clause"
        if self.state == "in force":
            state = f"in force: {self.uses} {unit}{'s' if self.uses != 1 else ''}"
        elif self.state == "superseded":
            state = f"superseded by #{c.superseded_by}"
        else:
            state = f"no longer applies: the {'canonical clause' if c.kind == 'merge' else unit} is not stored"
        where = f" [{c.document} #{c.instruction}]" if c.document else ""
        note = f" — {c.note}" if c.note else ""
        return f"#{c.id} {what}: {change}{where}; by {c.corrected_by or '?'} {when}; {state}{note}"


def statuses(store: Store, include_superseded: bool = False) -> list[Status]:
    """Every stored correction (superseded ones only when asked) with what it sets now."""
    uses = store.correction_uses()
    out = []
    for c in store.corrections():
        if c.superseded_by is not None:
            if include_superseded:
                out.append(Status(c, 0, "superseded"))
            continue
        n = uses.get(c.id, 0)
        out.append(Status(c, n, "in force" if n else "no longer applies"))
    return out


# --- training data ---------------------------------------------------------------------------------------


def training_rows(store: Store) -> list[dict[str, Any]]:
    """The clauses whose label a correction set, as training rows (``text``, ``section_type``, ``lead_in``,
    ``label``, ``group``: one group per wording, so that cross-validation keeps its copies in one fold, and the
    ids of the ``corrections``); a wording corrected in several instructions is a row for each."""
    rows = store.con.execute("""SELECT text, section_type, lead_in, label, clause_hash, corrected FROM clauses
        WHERE corrected LIKE '%label #%' ORDER BY document, instruction, start""").fetchall()
    out = []
    for text, section, lead_in, label, chash, mark in rows:
        if not any(part.startswith("label ") for part in mark.split("; ")):
            continue
        out.append({"text": text, "section_type": section or "", "lead_in": lead_in or "", "label": label,
                    "group": f"correction:{chash}", "corrections": mark_ids(mark)})
    return out
