"""The catalogue database: a DuckDB file that grows with each import.

Tables: ``documents`` (path, content hash, import time), ``instructions``, ``instruction_facts`` (the
facts of ``pipeline.facts``, one row per instruction), ``clauses`` (with their ``canonical_id``: the
provision, ``variant_id``: the wording, readable normalised text, lemma key, and whether the clause needs
review), ``provisions`` (id, label, provision type key), ``variants`` (id, label, anchor key, provision,
readable text, the reason it belongs to its provision), ``variant_keys`` (label, lemma key -> variant id)
and ``schema_version``. One import batch is one transaction: an exception anywhere in it (a reader failing
inside the ``results`` iterable included) leaves the file as it was.

- a document whose path and sha256 are already stored is skipped;
- a document with a stored path and a new sha256 replaces its earlier version, facts included;
- a document stored before the database kept facts (``documents.facts`` is NULL) is replaced once by
  its next import, so an upgraded database gains the facts of its unchanged files;
- ids never change: a new batch is catalogued against the stored catalogue, so a new wording joins its
  existing variant and provision and a re-imported clause keeps its ids; :meth:`Store.drift` says which
  variants a fresh build would group otherwise (reported, never applied);
- a database made by an earlier version is upgraded when opened (:data:`MIGRATIONS`): version 3 added the
  review columns; version 4 made the catalogue two levels (the ``canonical`` clauses of version 3 and
  before were what are now variants: each becomes a variant with the same id, the variants are grouped
  into provisions, and its clauses get the provision as ``canonical_id``, logged to the ``jobclauses``
  logger); version 5 added the analysts' corrections (below).

Corrections (``corrections`` table, :class:`Correction`; ``pipeline.corrections`` reads them from a workbook
or a CSV): a clause's label, an instruction's position, a clause moved or split off to another canonical
clause, a canonical clause merged into another. Each is keyed by content (:func:`text_hash` of the clause,
:func:`instruction_hash` of its instruction), so an import applies the corrections in force to every clause
it stores, of a new, the same or a changed document: the label and position before cataloguing (a corrected
clause is catalogued under its corrected label), the membership and merges after. The machine's label and
position are kept beside them (``machine_label``, ``machine_position``) and ``corrected`` names each value a
correction set and which one (``label #3; canonical_id #7``). A correction of a clause or an instruction no
longer stored stays in the table, set nothing, and is listed as such.

Reading commands open the file read-only (``Store(path, read_only=True)``), so they run while another
process (a notebook) reads it too. Every way the file can fail to open (a folder, not a DuckDB file, held by
another process, missing) is a :class:`StoreError` with one line to print.

Importing what ``extract`` made: ``extract`` builds its run's catalogue exactly as an import into an empty
database would, and saves it beside its tables (:func:`save_run_catalogue`); an import of those tables into
an empty database (:class:`RunCatalogue`) takes that catalogue instead of building it again, after checking
that the clauses are the very ones it was built from (:func:`build_digest`) with the same code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import atomic_write
from ..normalise import normalise
from ..records import FACT_FIELDS, Clause, Instruction, unflatten
from ..review import JOIN as REVIEW_JOIN
from . import provisions, similarity
from .build import build, provisions_of
from .state import Catalogue, Provision, Variant

if TYPE_CHECKING:  # pandas is imported where a frame is made: an import of extract's tables needs none
    import pandas as pd

log = logging.getLogger("jobclauses")

DEFAULT_PATH = Path("out") / "catalogue.duckdb"

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS documents (
        path VARCHAR NOT NULL, source VARCHAR, sha256 VARCHAR NOT NULL, format VARCHAR, reader VARCHAR,
        encoding VARCHAR, imported_at TIMESTAMP, instructions INTEGER, clauses INTEGER)""",
    """CREATE TABLE IF NOT EXISTS instructions (
        document VARCHAR NOT NULL, source VARCHAR, instruction INTEGER, title VARCHAR, position VARCHAR,
        start INTEGER, stop INTEGER)""",
    """CREATE TABLE IF NOT EXISTS clauses (
        document VARCHAR NOT NULL, source VARCHAR, instruction INTEGER, position VARCHAR, number VARCHAR,
        clause_path VARCHAR, section_number VARCHAR, section_title VARCHAR, section_type VARCHAR,
        lead_in VARCHAR, text VARCHAR, label VARCHAR, confidence DOUBLE, reason VARCHAR,
        canonical_id VARCHAR, normalised VARCHAR, key VARCHAR, start INTEGER, stop INTEGER)""",
    """CREATE TABLE IF NOT EXISTS canonical (id VARCHAR NOT NULL, label VARCHAR, anchor VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS variant_keys (label VARCHAR, key VARCHAR, canonical_id VARCHAR)""",
]


# --- corrections: what an analyst changed, keyed by content so that it survives a re-import ---------------

#: The ``corrections`` table: one row per correction, never deleted; a later correction of the same value
#: supersedes it (``superseded_by``). ``kind`` is ``label``, ``position``, ``move`` (a clause into another
#: canonical clause), ``split`` (a clause into a new canonical clause named ``name`` in the analyst's file) or
#: ``merge`` (canonical clause ``old_value`` into ``new_value``). A clause's correction is keyed by its
#: ``clause_hash`` within the instruction of ``instruction_hash`` (wherever it is stored: a copy of the document
#: too), or, when that instruction changed, within the instruction of the same ``document``, ``title`` and
#: ``instruction`` number; a position's by ``instruction_hash``, or the same ``document``, ``title`` and number. ``corrected_by``/``corrected_at`` come from the file,
#: ``applied_by``/``applied_at`` from the system that applied it.
CORRECTION_TABLE = [
    ("id", "INTEGER NOT NULL"), ("kind", "VARCHAR"), ("document", "VARCHAR"), ("instruction", "INTEGER"),
    ("title", "VARCHAR"), ("instruction_hash", "VARCHAR"), ("clause_hash", "VARCHAR"), ("subject", "VARCHAR"),
    ("old_value", "VARCHAR"), ("new_value", "VARCHAR"), ("name", "VARCHAR"), ("corrected_by", "VARCHAR"),
    ("corrected_at", "TIMESTAMP"), ("note", "VARCHAR"), ("origin", "VARCHAR"), ("applied_by", "VARCHAR"),
    ("applied_at", "TIMESTAMP"), ("superseded_by", "INTEGER"),
]
CORRECTION_COLUMNS = [name for name, _ in CORRECTION_TABLE]
#: Correction kinds and the stored value each one sets.
CORRECTION_KINDS = {"label": "label", "position": "position", "move": "canonical_id", "split": "canonical_id",
                    "merge": "canonical_id"}


def text_hash(text: str) -> str:
    """The content hash of a clause: its text with white space folded (16 hex digits).

    >>> text_hash("Ведет  учет.") == text_hash(" Ведет учет. ")
    True
    """
    return hashlib.blake2b(" ".join(str(text).split()).encode(), digest_size=8).hexdigest()


def instruction_hash(title: str, texts: Iterable[str]) -> str:
    """The content hash of an instruction: its title and its clauses' texts in order (white space folded)."""
    digest = hashlib.blake2b(" ".join(str(title).split()).encode(), digest_size=8)
    for text in texts:
        digest.update(b"\x1f" + " ".join(str(text).split()).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Correction:
    """One correction (a row of the ``corrections`` table; see :data:`CORRECTION_TABLE`)."""

    id: int
    kind: str
    document: str = ""
    instruction: int = 0
    title: str = ""
    instruction_hash: str = ""
    clause_hash: str = ""
    subject: str = ""
    old_value: str = ""
    new_value: str = ""
    name: str = ""
    corrected_by: str = ""
    corrected_at: dt.datetime | None = None
    note: str = ""
    origin: str = ""
    applied_by: str = ""
    applied_at: dt.datetime | None = None
    superseded_by: int | None = None

    @property
    def slot(self) -> tuple[str, ...]:
        """What it corrects: a later correction of the same slot supersedes it (a move and a split of one
        clause are both its membership)."""
        if self.kind == "merge":
            return ("merge", self.old_value)
        if self.kind == "position":
            return ("position", self.instruction_hash, self.document, self.title, str(self.instruction))
        group = "membership" if self.kind in ("move", "split") else self.kind
        return (group, self.instruction_hash, self.clause_hash)

    def same_as(self, other: Correction) -> bool:
        """The same correction of the same slot (applying it again changes nothing)."""
        return self.slot == other.slot and self.new_value == other.new_value and self.name == other.name


class Overrides:
    """The corrections in force, looked up by what they are keyed by; ``uses`` counts what each one set."""

    def __init__(self, corrections: Iterable[Correction] = ()) -> None:
        self.by_clause: dict[str, list[Correction]] = {}
        self.positions: list[Correction] = []
        self.merges: dict[str, Correction] = {}
        for c in sorted(corrections, key=lambda c: c.id):
            if c.superseded_by is not None:
                continue
            if c.kind == "merge":
                self.merges[c.old_value] = c
            elif c.kind == "position":
                self.positions.append(c)
            else:
                self.by_clause.setdefault(c.clause_hash, []).append(c)

    def __bool__(self) -> bool:
        return bool(self.by_clause or self.positions or self.merges)

    def position(self, document: str, index: int, title: str, ihash: str) -> Correction | None:
        """The latest position correction of this instruction: the same content, or the same document, title
        and number."""
        found = [c for c in self.positions if c.instruction_hash == ihash
                 or (c.document == document and c.title == title and c.instruction == index)]
        return found[-1] if found else None

    def clause(self, group: str, document: str, index: int, title: str, ihash: str, chash: str) -> Correction | None:
        """The latest correction of ``group`` (``label`` or ``membership``) of a clause: its text in the same
        instruction, or in the instruction of the same document, number and title."""
        found = [c for c in self.by_clause.get(chash, ())
                 if ("membership" if c.kind in ("move", "split") else c.kind) == group
                 and (c.instruction_hash == ihash
                      or (c.document == document and c.title == title and c.instruction == index))]
        return found[-1] if found else None

    def merged(self, pid: str) -> tuple[str, list[int]]:
        """The canonical clause ``pid`` ends in after the merges in force, and the merges that took it there."""
        used: list[int] = []
        while pid in self.merges and self.merges[pid].id not in used:
            used.append(self.merges[pid].id)
            pid = self.merges[pid].new_value
        return pid, used


def corrected_mark(marks: Mapping[str, Sequence[int]]) -> str:
    """The ``corrected`` cell: each corrected value with the corrections that set it (``label #3; canonical_id
    #7 #9``); ``""`` when none."""
    return "; ".join(f"{name} " + " ".join(f"#{i}" for i in ids) for name, ids in marks.items() if ids)


def mark_ids(mark: str) -> list[int]:
    """The correction ids of a ``corrected`` cell."""
    return [int(m) for m in re.findall(r"#(\d+)", mark or "")]


def _add_facts(con: Any) -> None:
    """Version 2: facts per instruction, and per document how many were stored (NULL: stored before)."""
    con.execute("""CREATE TABLE IF NOT EXISTS instruction_facts (
        document VARCHAR NOT NULL, source VARCHAR, instruction INTEGER, position VARCHAR,
        education VARCHAR[], education_field VARCHAR, experience_years DOUBLE[], min_experience DOUBLE,
        reports_to VARCHAR[], substitute VARCHAR, appointed_by VARCHAR, approved_by VARCHAR,
        approved_on VARCHAR)""")
    con.execute("ALTER TABLE documents ADD COLUMN IF NOT EXISTS facts INTEGER")


def _add_review(con: Any) -> None:
    """Version 3: why a clause or an instruction needs review (``pipeline.review``); NULL: stored before."""
    for table in ("clauses", "instructions"):
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS needs_review BOOLEAN")
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS review VARCHAR")


def _add_provisions(con: Any) -> None:
    """Version 4: two levels. The old canonical clauses become variants (same ids) grouped into provisions;
    each clause keeps its old id as ``variant_id`` and gets its provision as ``canonical_id``."""
    con.execute("""CREATE TABLE IF NOT EXISTS variants (id VARCHAR NOT NULL, label VARCHAR, anchor VARCHAR,
        provision VARCHAR, text VARCHAR, reason VARCHAR)""")
    con.execute("CREATE TABLE IF NOT EXISTS provisions (id VARCHAR NOT NULL, label VARCHAR, kind VARCHAR)")
    con.execute("ALTER TABLE clauses ADD COLUMN IF NOT EXISTS variant_id VARCHAR")
    # Each step looks at what the file has, so a file whose version row was lost is upgraded only as needed.
    if "canonical_id" in _columns(con, "variant_keys"):
        con.execute("ALTER TABLE variant_keys RENAME COLUMN canonical_id TO variant_id")
    if not _columns(con, "canonical"):
        return
    old = con.execute("SELECT id, label, anchor FROM canonical ORDER BY id").fetchall()
    if old:
        catalogue = Catalogue()
        for vid, label, anchor in old:
            catalogue.variants[vid] = Variant(vid, label, anchor)
        texts = {(label, key): text for label, key, text in con.execute(
            "SELECT label, key, min(normalised) FROM clauses GROUP BY label, key").fetchall()}
        weights = dict(con.execute("SELECT canonical_id, count(*) FROM clauses GROUP BY canonical_id").fetchall())
        provisions_of(catalogue, {vid: int(weights.get(vid, 0)) for vid in catalogue.variants}, texts,
                      similarity.load())
        con.executemany("INSERT INTO variants VALUES (?, ?, ?, ?, ?, ?)",
                        [[v.id, v.label, v.anchor, v.provision, v.text, v.reason] for v in catalogue.variants.values()])
        con.executemany("INSERT INTO provisions VALUES (?, ?, ?)",
                        [[p.id, p.label, p.kind] for p in catalogue.provisions.values()])
        con.execute("UPDATE clauses SET variant_id = canonical_id")
        con.execute("UPDATE clauses SET canonical_id = v.provision FROM variants v WHERE v.id = clauses.variant_id")
        log.info("catalogue upgraded to two levels: %d canonical clauses became %d variants of %d provisions",
                 len(old), len(catalogue.variants), len(catalogue.provisions))
    con.execute("DROP TABLE canonical")


def _add_corrections(con: Any) -> None:
    """Version 5: the analysts' corrections (``corrections``), what the machine said beside what is in force
    (``machine_label``, ``machine_position``), which values a correction set (``corrected``), and the content
    hashes corrections are keyed by (``clause_hash``, ``instruction_hash``)."""
    con.execute(f"CREATE TABLE IF NOT EXISTS corrections ({', '.join(f'{c} {t}' for c, t in CORRECTION_TABLE)})")
    for name in ("machine_label", "clause_hash", "corrected"):
        con.execute(f"ALTER TABLE clauses ADD COLUMN IF NOT EXISTS {name} VARCHAR")
    for name in ("machine_position", "instruction_hash", "corrected"):
        con.execute(f"ALTER TABLE instructions ADD COLUMN IF NOT EXISTS {name} VARCHAR")
    con.execute("UPDATE clauses SET machine_label = label, corrected = '' WHERE machine_label IS NULL")
    con.execute("UPDATE instructions SET machine_position = position, corrected = '' WHERE machine_position IS NULL")
    con.create_function("jobclauses_text_hash", text_hash, ["VARCHAR"], "VARCHAR")
    try:
        con.execute("UPDATE clauses SET clause_hash = jobclauses_text_hash(coalesce(text, '')) WHERE clause_hash IS NULL")
    finally:
        con.remove_function("jobclauses_text_hash")
    rows = con.execute("""SELECT i.document, i.instruction, i.title,
            list(c.text ORDER BY c.start) FILTER (WHERE c.text IS NOT NULL)
        FROM instructions i LEFT JOIN clauses c ON c.document = i.document AND c.instruction = i.instruction
        WHERE i.instruction_hash IS NULL GROUP BY i.document, i.instruction, i.title""").fetchall()
    if rows:
        import numpy as np

        hashes = {"document": np.array([r[0] for r in rows], dtype=object),
                  "instruction": np.array([r[1] for r in rows], dtype=object),
                  "h": np.array([instruction_hash(r[2] or "", r[3] or ()) for r in rows], dtype=object)}
        con.register("_hashes", hashes)
        try:
            con.execute("""UPDATE instructions SET instruction_hash = h.h FROM _hashes h
                WHERE instructions.document = h.document AND instructions.instruction = h.instruction""")
        finally:
            con.unregister("_hashes")


def _add_parties(con: Any) -> None:
    """Version 6: the organisation and the approver of each instruction (``pipeline.facts.parties``); NULL:
    stored before (read as empty). A file that lost its facts table gets it back first."""
    if not _columns(con, "instruction_facts"):
        _add_facts(con)
    for name in ("organisation", "approver"):
        con.execute(f"ALTER TABLE instruction_facts ADD COLUMN IF NOT EXISTS {name} VARCHAR")


def _columns(con: Any, table: str) -> set[str]:
    """The column names of a table of the file (empty: no such table)."""
    rows = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]).fetchall()
    return {name for (name,) in rows}


#: Schema changes after version 1 (the five tables above), in order: (version reached, change).
#: A database made by an earlier version is brought up to date when it is opened (read-only openings too:
#: the upgrade is made once, read-write, before the read-only connection). Version 3 (review columns) came
#: first on main, so files of version 3 exist with it; the two-level catalogue is version 4.
MIGRATIONS: list[tuple[int, Any]] = [(2, _add_facts), (3, _add_review), (4, _add_provisions), (5, _add_corrections),
                                     (6, _add_parties)]
SCHEMA_VERSION = MIGRATIONS[-1][0]

DOCUMENT_COLUMNS = ["path", "source", "sha256", "format", "reader", "encoding", "imported_at",
                    "instructions", "clauses", "facts"]
INSTRUCTION_COLUMNS = ["document", "source", "instruction", "title", "position", "start", "stop",
                       "needs_review", "review", "machine_position", "instruction_hash", "corrected"]
FACT_COLUMNS = ["document", "source", "instruction", "position", *FACT_FIELDS]
PROVISION_COLUMNS = ["id", "label", "kind"]
VARIANT_COLUMNS = ["id", "label", "anchor", "provision", "text", "reason"]
#: ``stats.CLAUSE_COLUMNS`` (not imported: it brings pandas), then what only the store keeps.
STORED_CLAUSE_COLUMNS = [
    "document", "source", "instruction", "position", "number", "clause_path", "section_number",
    "section_title", "section_type", "lead_in", "text", "label", "confidence", "canonical_id", "variant_id",
    "normalised", "key", "start", "stop", "reason", "needs_review", "review", "machine_label", "clause_hash",
    "corrected",
]

#: The facts sheet and files: provenance, then the facts, then whether the instruction needs review.
FACTS_FRAME_COLUMNS = ["document", "source", "instruction", "title", "position", *FACT_FIELDS, "needs_review",
                       "review", "machine_position", "instruction_hash", "corrected"]

#: (manifest, instructions, clauses) or (manifest, instructions, clauses, facts rows of ``pipeline.facts``).
Result = tuple[Any, ...]


@dataclass
class ImportSummary:
    """What one import batch did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    clauses: int = 0
    new_canonical: int = 0  # new provisions (canonical clauses)
    new_variants: int = 0
    #: New wordings that fitted more than one provision (joined the first; each is logged to the
    #: ``jobclauses`` logger): a re-clustering might merge those provisions (see ``Store.drift``).
    ambiguous: int = 0
    reused_catalogue: bool = False  # the catalogue extract built was taken as it was (``RunCatalogue``)


class StoreError(Exception):
    """The database cannot be opened or used; the message is one line naming the file."""


def _connect(path: Path, read_only: bool) -> Any:
    """A DuckDB connection, or a :class:`StoreError` saying in one line why there is none."""
    import duckdb

    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if read_only and not path.exists():
        raise StoreError(f"{path}: no such database: run `jobclauses import` first")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as error:
        raise StoreError(f"{path}: {_why(str(error), read_only)}") from None


def _why(message: str, read_only: bool) -> str:
    """DuckDB's error as a reason a person can act on."""
    if "Conflicting lock" in message or "Could not set lock" in message:
        pid = re.search(r"PID (\d+)", message)
        holder = f"another process (PID {pid.group(1)})" if pid else "another process"
        if read_only:
            return f"in use by {holder} that writes to it; close it there, or open it there read-only"
        return f"in use by {holder}; close it there first (an import needs it to itself)"
    if "not a valid DuckDB database" in message:
        return "not a DuckDB database"
    return message.split("Error: ", 1)[-1].splitlines()[0]


class Store:
    """A catalogue database in one DuckDB file (created on first use unless ``read_only``)."""

    def __init__(self, path: str | Path = DEFAULT_PATH, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only:
            self.con = _connect(self.path, read_only=True)
            version = self._found_version()
            if version is None:
                self.con.close()
                raise StoreError(f"{self.path}: not a jobclauses catalogue (no schema_version table)")
            if version < SCHEMA_VERSION:  # upgrade once, read-write, then read
                self.con.close()
                try:
                    Store(self.path).close()
                except StoreError as error:
                    raise StoreError(f"{error}; it was made by an earlier jobclauses and is upgraded once, "
                                     "by the first command that has it to itself") from None
                self.con = _connect(self.path, read_only=True)
            return
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a database file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{self.path}: cannot create its folder: {error.strerror or error}") from None
        self.con = _connect(self.path, read_only=False)
        self._migrate()

    def _found_version(self) -> int | None:
        """The schema version of the file (1 before versions were kept), None when it is no catalogue."""
        tables = {name for (name,) in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "schema_version" not in tables:
            return 1 if "documents" in tables else None
        found = self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0]  # type: ignore[index]
        return 1 if found is None else int(found)

    def _migrate(self) -> None:
        """Create the tables, then apply the migrations the file lacks, all in one transaction."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            has_version = bool(_columns(self.con, "schema_version"))
            found = self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0] \
                if has_version else None  # type: ignore[index]
            if found is None:  # a new file, or one of version 1: the tables of version 1 first
                for statement in SCHEMA:
                    self.con.execute(statement)
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            version = 1 if found is None else int(found)
            for target, change in MIGRATIONS:
                if target > version:
                    change(self.con)
            if version < SCHEMA_VERSION:
                self.con.execute("DELETE FROM schema_version")
                self.con.execute("INSERT INTO schema_version VALUES (?)", [SCHEMA_VERSION])
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def schema_version(self) -> int:
        return int(self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0])  # type: ignore[index]

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- import ---------------------------------------------------------------------------------------

    def import_documents(self, results: Iterable[Result], prebuilt: RunCatalogue | None = None) -> ImportSummary:
        """Add a batch of read documents in one transaction; see the module docstring for the rules.

        ``prebuilt``: the catalogue ``extract`` built over these very documents (:func:`load_run_catalogue`),
        taken instead of a new build when the database holds no catalogue yet and the clauses match it.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        self.con.execute("BEGIN TRANSACTION")
        try:
            summary = self._import(results, prebuilt)
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        return summary

    def _import(self, results: Iterable[Result], prebuilt: RunCatalogue | None = None) -> ImportSummary:
        summary = ImportSummary()
        current = self.current()
        stored = {path for (path,) in self.con.execute("SELECT path FROM documents").fetchall()}
        pending: dict[str, Result] = {}
        for meta, instructions, clauses, *facts in results:
            path = str(meta["path"])
            if current.get(path) == meta["sha256"] and path not in pending:
                summary.unchanged += 1
                continue
            if path in stored:
                self._delete_document(path)
                stored.discard(path)
                current.pop(path, None)
                summary.replaced += 1
            elif path not in pending:
                summary.added += 1
            pending[path] = (meta, instructions, clauses, facts[0] if facts else ())
        if pending:
            (summary.clauses, summary.new_canonical, summary.new_variants, summary.ambiguous,
             summary.reused_catalogue) = self._insert(pending, prebuilt)
        return summary

    def _delete_document(self, path: str) -> None:
        for table, column in (("clauses", "document"), ("instruction_facts", "document"),
                              ("instructions", "document"), ("documents", "path")):
            self.con.execute(f"DELETE FROM {table} WHERE {column} = ?", [path])

    def _insert(self, pending: Mapping[str, Result], prebuilt: RunCatalogue | None = None
                ) -> tuple[int, int, int, int, bool]:
        """Catalogue the pending documents' clauses against the stored catalogue and write everything;
        returns the clauses written, the new provisions (canonical clauses), the new variants, the new
        wordings that fitted several provisions, and whether ``prebuilt`` was taken."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        overrides = self.overrides()
        documents, facts, batch = [], [], _Batch()
        for path, (meta, instrs, found, found_facts) in pending.items():
            source = Path(path.replace("\\", "/")).name
            batch.add(path, source, instrs, found, overrides)
            own_facts = _fact_rows(path, source, instrs, found_facts)
            for row in own_facts:  # the position in force (a corrected one) beside the facts
                row["position"] = batch.positions.get((path, row["instruction"]), row.get("position", ""))
            facts += own_facts
            documents.append({
                "path": path, "source": source, "sha256": meta["sha256"], "format": meta.get("format", ""),
                "reader": meta.get("reader", ""), "encoding": meta.get("encoding", ""), "imported_at": now,
                "instructions": len(instrs), "clauses": len(found), "facts": len(own_facts),
            })
        # extract built its catalogue from the clauses as the machine labelled them
        usable = None if overrides else prebuilt
        rows, catalogue, existing, reused = self._catalogue(batch, overrides, usable)
        self._append("documents", documents, DOCUMENT_COLUMNS)
        self._append("instructions", batch.instructions, INSTRUCTION_COLUMNS)
        self._append("instruction_facts", facts, FACT_COLUMNS)
        self._append("clauses", rows, STORED_CLAUSE_COLUMNS)
        new, variants = self._grow(catalogue, existing)
        return len(rows), new, variants, len(catalogue.notes), reused

    def _catalogue(self, batch: _Batch, overrides: Overrides, prebuilt: RunCatalogue | None = None
                   ) -> tuple[list[dict[str, Any]], Catalogue, Catalogue, bool]:
        """The stored rows of a batch's clauses, catalogued against the stored catalogue with the labels and
        positions in force, then moved, split and merged as the corrections say; the grown catalogue, the
        stored one, and whether ``prebuilt`` was taken."""
        existing = self.load_catalogue()
        keyed = [(e.path, e.clause) for e in batch.clauses]
        positions = batch.positions
        reused = prebuilt is not None and not existing.provisions and not existing.variants \
            and prebuilt.matches(keyed, positions)
        if reused:
            assert prebuilt is not None
            norms, catalogue = prebuilt.norms, prebuilt.catalogue
        else:
            # Keyed by the full path while cataloguing: two folders may hold files of the same name.
            _, catalogue = build([dataclasses.replace(c, source=path) for path, c in keyed], positions, existing)
            norms = [_norm(c, positions.get((path, c.instruction), "")) for path, c in keyed]
        rows = []
        for e, norm in zip(batch.clauses, norms, strict=True):
            vid = catalogue.keys[(e.clause.label, norm[1])]
            pid = catalogue.variants[vid].provision
            marks = {name: list(ids) for name, ids in e.marks}
            if overrides:
                member = overrides.clause("membership", e.path, e.clause.instruction, e.title, e.ihash, e.chash)
                if member is not None:
                    pid = member.new_value
                    marks.setdefault("canonical_id", []).append(member.id)
                pid, merges = overrides.merged(pid)
                if merges:
                    marks.setdefault("canonical_id", []).extend(merges)
            row = _clause_row(e.clause, e.path, e.source, positions.get((e.path, e.clause.instruction), ""),
                              pid, vid, norm)
            row |= {"machine_label": e.machine_label, "clause_hash": e.chash, "corrected": corrected_mark(marks)}
            rows.append(row)
        return rows, catalogue, existing, reused

    def _grow(self, catalogue: Catalogue, existing: Catalogue) -> tuple[int, int]:
        """Store what ``catalogue`` adds to ``existing`` (provisions, variants, lemma keys); log its notes;
        returns the new provisions and variants."""
        new = [p for pid, p in catalogue.provisions.items() if pid not in existing.provisions]
        self._append("provisions", [dataclasses.asdict(p) for p in new], PROVISION_COLUMNS)
        variants = [v for vid, v in catalogue.variants.items() if vid not in existing.variants]
        self._append("variants", [dataclasses.asdict(v) for v in variants], VARIANT_COLUMNS)
        keys = [{"label": label, "key": key, "variant_id": vid}
                for (label, key), vid in catalogue.keys.items() if (label, key) not in existing.keys]
        self._append("variant_keys", keys, ["label", "key", "variant_id"])
        for vid, fits in catalogue.notes:
            log.warning("catalogue: wording %s fits provisions %s; joined %s (a re-clustering might merge them)",
                        vid, ", ".join(fits), fits[0])
        return len(new), len(variants)

    # --- corrections ----------------------------------------------------------------------------------

    def corrections(self, active_only: bool = False) -> list[Correction]:
        """The stored corrections in the order they were made (``active_only``: those in force)."""
        where = " WHERE superseded_by IS NULL" if active_only else ""
        rows = self.con.execute(f"SELECT {', '.join(CORRECTION_COLUMNS)} FROM corrections{where} ORDER BY id")
        return [Correction(*(("" if v is None and c not in ("corrected_at", "applied_at", "superseded_by",
                                                            "instruction") else v)
                             for c, v in zip(CORRECTION_COLUMNS, row, strict=True)))
                for row in rows.fetchall()]

    def overrides(self) -> Overrides:
        return Overrides(self.corrections(active_only=True))

    def add_corrections(self, corrections: Sequence[Correction], provisions_to_add: Sequence[Provision] = ()
                        ) -> tuple[list[Correction], int, int]:
        """Store the corrections (ids are given here) in one transaction and bring the clauses, instructions
        and facts they touch up to date; a correction already in force is skipped, one of the same slot is
        superseded. ``provisions_to_add``: the canonical clauses a split founds. Returns the corrections
        stored, how many were already in force and how many earlier ones were superseded."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        self.con.execute("BEGIN TRANSACTION")
        try:
            out = self._add_corrections(corrections, provisions_to_add)
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        return out

    def _add_corrections(self, corrections: Sequence[Correction], provisions_to_add: Sequence[Provision]
                         ) -> tuple[list[Correction], int, int]:
        active = {c.slot: c for c in self.corrections(active_only=True)}
        next_id = int(self.con.execute("SELECT coalesce(max(id), 0) FROM corrections").fetchall()[0][0]) + 1
        stored: list[Correction] = []
        unchanged = superseded = 0
        touched: list[Correction] = []
        for c in corrections:
            old = active.get(c.slot)
            if old is not None and old.same_as(c):
                unchanged += 1
                continue
            c = dataclasses.replace(c, id=next_id, superseded_by=None)
            next_id += 1
            if old is not None:
                self.con.execute("UPDATE corrections SET superseded_by = ? WHERE id = ?", [c.id, old.id])
                superseded += 1
                touched.append(old)
            active[c.slot] = c
            stored.append(c)
            touched.append(c)
        self._append("corrections", [dataclasses.asdict(c) for c in stored], CORRECTION_COLUMNS)
        known = {pid for (pid,) in self.con.execute("SELECT id FROM provisions").fetchall()}
        self._append("provisions", [dataclasses.asdict(p) for p in provisions_to_add if p.id not in known],
                     PROVISION_COLUMNS)
        if touched:
            self._reapply(self._touched_documents(touched))
        return stored, unchanged, superseded

    def _touched_documents(self, corrections: Sequence[Correction]) -> list[str]:
        """The stored documents a correction (or its withdrawal) may change."""
        found: set[str] = set()
        for c in corrections:
            if c.kind == "position":
                rows = self.con.execute("""SELECT DISTINCT document FROM instructions WHERE instruction_hash = ?
                    OR (document = ? AND title = ? AND instruction = ?)""",
                                        [c.instruction_hash, c.document, c.title, c.instruction]).fetchall()
            elif c.kind == "merge":
                rows = self.con.execute("""SELECT DISTINCT c.document FROM clauses c
                    LEFT JOIN variants v ON v.id = c.variant_id
                    WHERE c.canonical_id IN (?, ?) OR v.provision = ? OR c.corrected LIKE '%canonical_id%'""",
                                        [c.old_value, c.new_value, c.old_value]).fetchall()
            else:
                rows = self.con.execute("""SELECT DISTINCT c.document FROM clauses c JOIN instructions i
                    ON i.document = c.document AND i.instruction = c.instruction
                    WHERE c.clause_hash = ? AND (i.instruction_hash = ?
                        OR (i.document = ? AND i.title = ? AND i.instruction = ?))""",
                                        [c.clause_hash, c.instruction_hash, c.document, c.title, c.instruction]).fetchall()
            found.update(document for (document,) in rows)
        return sorted(found)

    def _reapply(self, documents: Sequence[str]) -> None:
        """Catalogue the stored clauses of ``documents`` again from what the machine said, with the
        corrections in force (their rows, their instructions' positions and facts replaced)."""
        if not documents:
            return
        overrides = self.overrides()
        self.con.execute("CREATE TEMP TABLE IF NOT EXISTS _touched (document VARCHAR)")
        self.con.execute("DELETE FROM _touched")
        self._append("_touched", [{"document": d} for d in documents], ["document"])
        names = ", ".join(INSTRUCTION_COLUMNS)
        stored_instructions = self.con.execute(f"""SELECT {names} FROM instructions
            WHERE document IN (SELECT document FROM _touched) ORDER BY document, instruction""").fetchall()
        names = ", ".join(STORED_CLAUSE_COLUMNS)
        stored_clauses = self.con.execute(f"""SELECT {names} FROM clauses
            WHERE document IN (SELECT document FROM _touched) ORDER BY document, instruction, start""").fetchall()
        instructions: dict[str, list[Instruction]] = {d: [] for d in documents}
        sources: dict[str, str] = {}
        for row in stored_instructions:
            r = dict(zip(INSTRUCTION_COLUMNS, row, strict=True))
            sources[r["document"]] = r["source"] or ""
            instructions.setdefault(r["document"], []).append(Instruction(
                source=r["source"] or "", index=int(r["instruction"]), title=r["title"] or "",
                position=r["machine_position"] if r["machine_position"] is not None else (r["position"] or ""),
                start=int(r["start"] or 0), stop=int(r["stop"] or 0), needs_review=_reasons(r["review"])))
        clauses: dict[str, list[Clause]] = {d: [] for d in documents}
        for row in stored_clauses:
            r = dict(zip(STORED_CLAUSE_COLUMNS, row, strict=True))
            sources.setdefault(r["document"], r["source"] or "")
            clauses.setdefault(r["document"], []).append(Clause(
                source=r["source"] or "", instruction=int(r["instruction"]), number=r["number"] or "",
                text=r["text"] or "", start=int(r["start"] or 0), stop=int(r["stop"] or 0),
                path=r["clause_path"] or "", section_number=r["section_number"] or "",
                section_title=r["section_title"] or "", section_type=r["section_type"] or "",
                lead_in=r["lead_in"] or "",
                label=r["machine_label"] if r["machine_label"] is not None else (r["label"] or ""),
                confidence=float(r["confidence"] or 0.0), reason=r["reason"] or "",
                needs_review=_reasons(r["review"])))
        batch = _Batch()
        for document in documents:
            batch.add(document, sources.get(document, ""), instructions.get(document, []),
                      clauses.get(document, []), overrides)
        rows, catalogue, existing, _ = self._catalogue(batch, overrides)
        for table in ("clauses", "instructions"):
            self.con.execute(f"DELETE FROM {table} WHERE document IN (SELECT document FROM _touched)")
        self._append("instructions", batch.instructions, INSTRUCTION_COLUMNS)
        self._append("clauses", rows, STORED_CLAUSE_COLUMNS)
        for row in batch.instructions:
            self.con.execute("UPDATE instruction_facts SET position = ? WHERE document = ? AND instruction = ?",
                             [row["position"], row["document"], row["instruction"]])
        self._grow(catalogue, existing)

    def correction_uses(self) -> dict[int, int]:
        """Correction id -> the stored clauses (label, membership, merge) or instructions (position) it sets."""
        uses: dict[int, int] = {}
        for table in ("clauses", "instructions"):
            for mark, n in self.con.execute(
                    f"SELECT corrected, count(*) FROM {table} WHERE corrected <> '' GROUP BY corrected").fetchall():
                for cid in set(mark_ids(mark)):
                    uses[cid] = uses.get(cid, 0) + int(n)
        return uses

    def _append(self, table: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
        """Insert rows (dicts) into a table in one statement, each column handed to DuckDB as a NumPy array
        of Python objects (lists stay lists, None is NULL); unlike Arrow's, this conversion needs no pandas,
        which would double the time of an import of extract's tables."""
        if not rows:
            return
        import numpy as np

        data = {c: np.fromiter((row.get(c) for row in rows), dtype=object, count=len(rows)) for c in columns}
        self.con.register("_incoming", data)
        try:
            names = ", ".join(f'"{c}"' for c in columns)
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    # --- reading --------------------------------------------------------------------------------------

    def load_catalogue(self) -> Catalogue:
        """The stored provisions, variants and lemma keys."""
        catalogue = Catalogue()
        for row in self.con.execute(f"SELECT {', '.join(PROVISION_COLUMNS)} FROM provisions").fetchall():
            catalogue.provisions[row[0]] = Provision(*row)
        for row in self.con.execute(f"SELECT {', '.join(VARIANT_COLUMNS)} FROM variants").fetchall():
            catalogue.variants[row[0]] = Variant(*(value or "" for value in row))
        for label, key, vid in self.con.execute("SELECT label, key, variant_id FROM variant_keys").fetchall():
            catalogue.keys[(label, key)] = vid
        return catalogue

    def drift(self) -> list[tuple[str, str, str]]:
        """(variant id, its provision, the provision a fresh build would give it) for the variants a build
        from scratch of every stored clause would group otherwise (:func:`.provisions.drift`)."""
        rows = self.con.execute("SELECT document, instruction, position, text, label FROM clauses").fetchall()
        clauses = [Clause(source=d, instruction=i, number="", text=t, start=0, stop=0, label=lab or "")
                   for d, i, _, t, lab in rows]
        positions = {(d, i): p or "" for d, i, p, _, _ in rows}
        _, fresh = build(clauses, positions)
        return provisions.drift(self.load_catalogue(), fresh)

    def documents(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM documents ORDER BY path").df()

    def current(self) -> dict[str, str]:
        """Path -> sha256 of the stored documents an import of the same bytes leaves alone: those stored
        with their facts (a document stored before the database kept facts is read again)."""
        rows = self.con.execute("SELECT path, sha256 FROM documents WHERE facts IS NOT NULL").fetchall()
        return dict(rows)

    def facts(self) -> pd.DataFrame:
        """One row per stored instruction with its facts (``FACTS_FRAME_COLUMNS``), in document order.

        Lists (education levels, experience requirements, superiors) are Python lists; an instruction
        imported without facts has empty values.
        """
        names = ", ".join(f"f.{c}" for c in FACT_FIELDS)
        frame = self.con.execute(f"""
            SELECT i.document, i.source, i.instruction, i.title, i.position, {names}, i.needs_review, i.review,
                i.machine_position, i.instruction_hash, i.corrected
            FROM instructions i LEFT JOIN instruction_facts f
              ON f.document = i.document AND f.instruction = i.instruction
            ORDER BY i.document, i.instruction""").df()
        return _facts_frame(_reviewed(frame))

    def instructions(self) -> pd.DataFrame:
        frame = self.con.execute("SELECT * FROM instructions ORDER BY document, instruction").df()
        return _reviewed(frame)

    def clauses(self) -> pd.DataFrame:
        """The clause table (``stats.CLAUSE_COLUMNS``, ``reason``, ``needs_review``, ``review``, the label
        the machine gave, the content hashes of the clause and of its instruction, the values corrections set
        (``corrected``) and the document's ``imported_at``), in document order; a clause stored before
        reviews were kept does not need one."""
        names = ", ".join(f"c.{c}" for c in STORED_CLAUSE_COLUMNS)
        frame = self.con.execute(f"""SELECT {names}, d.imported_at, i.instruction_hash FROM clauses c
            LEFT JOIN documents d ON d.path = c.document
            LEFT JOIN instructions i ON i.document = c.document AND i.instruction = c.instruction
            ORDER BY c.document, c.instruction, c.start""").df()
        return _reviewed(frame)

    def reasons(self) -> dict[str, str]:
        """Variant id -> why it belongs to its provision."""
        return dict(self.con.execute("SELECT id, reason FROM variants").fetchall())

    def n_instructions(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM instructions").fetchone()[0])  # type: ignore[index]

    def catalogue(self) -> pd.DataFrame:
        """One row per canonical clause in use (see ``stats.catalogue_frame``)."""
        from . import stats

        return stats.catalogue_frame(self.clauses(), self.n_instructions() or None)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table the exports write: catalogue, variants, clauses, positions, matrix, facts."""
        from . import stats

        clauses = self.clauses()
        out = stats.frames(clauses, self.n_instructions() or None, self.reasons()) | {"facts": self.facts()}
        catalogue = out["catalogue"]  # how many of each canonical clause's clauses a correction set a value of
        corrected = clauses[clauses["corrected"] != ""].groupby("canonical_id").size()
        catalogue["corrected_clauses"] = catalogue["canonical_id"].map(corrected).fillna(0).astype(int)
        return out


def _clause_row(c: Clause, path: str, source: str, position: str, canonical_id: str, variant_id: str,
                norm: tuple[str, str] | None = None) -> dict[str, Any]:
    """One stored clause of the document at ``path``; ``norm`` is its (readable, key) when already known."""
    readable, key = norm if norm is not None else _norm(c, position)
    return {
        "document": path, "source": source, "instruction": c.instruction, "position": position,
        "number": c.number, "clause_path": c.path, "section_number": c.section_number,
        "section_title": c.section_title, "section_type": c.section_type, "lead_in": c.lead_in,
        "text": c.text, "label": c.label, "confidence": round(float(c.confidence), 4),
        "canonical_id": canonical_id, "variant_id": variant_id, "normalised": readable, "key": key, "start": c.start, "stop": c.stop,
        "reason": c.reason, "needs_review": bool(c.needs_review), "review": REVIEW_JOIN.join(c.needs_review),
    }


@dataclass(frozen=True)
class _Entry:
    """A clause of a batch with what its corrections are keyed by; ``clause`` has the label in force."""

    path: str
    source: str
    clause: Clause
    machine_label: str
    title: str
    ihash: str
    chash: str
    marks: tuple[tuple[str, list[int]], ...] = ()


@dataclass
class _Batch:
    """Documents to catalogue: their instruction rows and positions in force, and their clauses."""

    instructions: list[dict[str, Any]] = field(default_factory=list)
    positions: dict[tuple[str, int], str] = field(default_factory=dict)
    clauses: list[_Entry] = field(default_factory=list)

    def add(self, path: str, source: str, instructions: Sequence[Instruction], clauses: Sequence[Clause],
            overrides: Overrides) -> None:
        """One document (``path``): its instructions with the positions in force, its clauses with the labels
        in force, each with what the machine said and the corrections that changed it."""
        texts: dict[int, list[tuple[int, str]]] = {}
        for c in clauses:
            texts.setdefault(c.instruction, []).append((c.start, c.text))
        hashes, titles = {}, {}
        for ins in instructions:
            ihash = instruction_hash(ins.title, (t for _, t in sorted(texts.get(ins.index, []), key=lambda x: x[0])))
            hashes[ins.index], titles[ins.index] = ihash, ins.title
            found = overrides.position(path, ins.index, ins.title, ihash) if overrides else None
            position = found.new_value if found is not None else ins.position
            self.positions[(path, ins.index)] = position
            self.instructions.append({
                "document": path, "source": source, "instruction": ins.index, "title": ins.title,
                "position": position, "start": ins.start, "stop": ins.stop, "needs_review": bool(ins.needs_review),
                "review": REVIEW_JOIN.join(ins.needs_review), "machine_position": ins.position,
                "instruction_hash": ihash, "corrected": corrected_mark({"position": [found.id]} if found else {})})
        for c in clauses:
            chash = text_hash(c.text)
            ihash, title = hashes.get(c.instruction, ""), titles.get(c.instruction, "")
            found = overrides.clause("label", path, c.instruction, title, ihash, chash) if overrides else None
            label = found.new_value if found is not None else c.label
            marks = (("label", [found.id]),) if found is not None else ()
            clause = dataclasses.replace(c, label=label) if label != c.label else c
            self.clauses.append(_Entry(path, source, clause, c.label, title, ihash, chash, marks))


def _reasons(value: Any) -> tuple[str, ...]:
    """The reasons of a stored ``review`` cell."""
    return tuple(part for part in str(value or "").split(REVIEW_JOIN) if part)


def _norm(c: Clause, position: str) -> tuple[str, str]:
    norm = normalise(c.text, position, c.lead_in)
    return norm.readable, norm.key


def _fact_rows(path: str, source: str, instructions: Sequence[Instruction],
               rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The facts rows of one document (``facts_row`` of ``pipeline.facts``, or ``Facts.to_dict()``) keyed by
    its stored path; a row for an instruction the document does not have is dropped."""
    known = {i.index for i in instructions}
    out = []
    for row in rows:
        record = unflatten(row.to_dict() if hasattr(row, "to_dict") else row)
        if record["instruction"] in known:
            out.append({**record, "document": path, "source": source})
    return out


LIST_FACTS = ("education", "experience_years", "reports_to")


def _reviewed(frame: pd.DataFrame) -> pd.DataFrame:
    """``needs_review`` and ``review`` of rows stored before they were kept (NULL) as False and ''."""
    if "needs_review" in frame.columns:
        frame["needs_review"] = frame["needs_review"].fillna(False).astype(bool)
        frame["review"] = frame["review"].fillna("").astype(object)
    if "corrected" in frame.columns:
        frame["corrected"] = frame["corrected"].fillna("").astype(object)
    return frame


def _facts_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB's list cells (numpy arrays; NULL, NaN or NA for an instruction without facts) as Python lists,
    text cells without a value as empty strings."""
    import numpy as np

    out = frame.copy()
    for column in LIST_FACTS:
        out[column] = [list(v) if isinstance(v, (list, tuple, np.ndarray)) else [] for v in out[column]]
    for column in ("education_field", "substitute", "appointed_by", "approved_by", "approved_on", "organisation",
                   "approver", "machine_position", "instruction_hash", "corrected"):
        out[column] = out[column].fillna("").astype(object)
    return out[FACTS_FRAME_COLUMNS]


# --- the catalogue extract built, reused by an import of its tables ---------------------------------------

#: The file ``extract`` writes beside its tables; the name of the format it holds (2: the two-level catalogue
#: of provisions, variants and lemma keys; a file of format 1 is not trusted, so its import builds again).
RUN_CATALOGUE = ".jobclauses-catalogue.json"
RUN_CATALOGUE_FORMAT = "jobclauses run catalogue 2"


def catalogue_fingerprint() -> str:
    """What decides a catalogue besides its clauses: the code and vocabularies of normalisation and
    cataloguing (this module and the statistics aside), the pair model pack the provisions are grouped with,
    and the versions of the lemmatiser's dictionaries and of datasketch."""
    from importlib import metadata

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    catalogue = [p for p in sorted((package / "catalogue").glob("*.py")) if p.name not in ("store.py", "stats.py")]
    files = [package / "normalise.py", package / "text.py", *catalogue, *sorted((package / "data").glob("*.t[sx][tv]"))]
    pack = similarity.models_dir() / similarity.DEFAULT_PACK
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for path in sorted(pack.glob("*")) if pack.is_dir() else ():
        if path.suffix in (".json", ".tsv"):
            digest.update(f"models/{pack.name}/{path.name}".encode())
            digest.update(path.read_bytes())
    for name in ("pymorphy3", "pymorphy3-dicts-ru", "datasketch"):
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(name.encode())
    return digest.hexdigest()[:16]


def build_digest(clauses: Sequence[tuple[str, Clause]], positions: Mapping[tuple[str, int], str]) -> str:
    """A digest of what ``build`` sees, in order: for each (document path, clause), the path, instruction,
    section (number and title: items side by side in one section stay apart), label, text and position
    (``positions`` is keyed by path and instruction)."""
    digest = hashlib.sha256()
    for path, c in clauses:
        position = positions.get((path, c.instruction), "")
        digest.update(f"{path}\x1f{c.instruction}\x1f{c.section_number}\x1f{c.section_title}\x1f{c.label}"
                      f"\x1f{c.text}\x1f{position}\x1e".encode())
    return digest.hexdigest()


@dataclass
class RunCatalogue:
    """The catalogue ``extract`` built from scratch over its ok documents, as an import into an empty
    database would build it (provisions, variants, lemma keys and the build's notes): the clauses (keyed by
    document path, in path order) it was built from are named by ``digest``, ``norms`` holds each one's
    (readable, key) in that order."""

    fingerprint: str
    digest: str
    catalogue: Catalogue
    norms: list[tuple[str, str]] = field(default_factory=list)

    def matches(self, clauses: Sequence[tuple[str, Clause]], positions: Mapping[tuple[str, int], str]) -> bool:
        """Whether these (document path, clause) pairs, with this code, are the ones it was built from."""
        return (self.fingerprint == catalogue_fingerprint() and len(clauses) == len(self.norms)
                and self.digest == build_digest(clauses, positions)
                and all((c.label, n[1]) in self.catalogue.keys
                        for (_, c), n in zip(clauses, self.norms, strict=True)))


def save_run_catalogue(path: str | Path, clauses: Sequence[tuple[str, Clause]],
                       positions: Mapping[tuple[str, int], str], catalogue: Catalogue) -> Path:
    """Write the catalogue that ``build`` gave for these (document path, clause) pairs, built from scratch
    with the clauses keyed by their document's path."""
    path = Path(path)
    norms = [_norm(c, positions.get((p, c.instruction), "")) for p, c in clauses]
    data = {
        "format": RUN_CATALOGUE_FORMAT, "fingerprint": catalogue_fingerprint(),
        "digest": build_digest(clauses, positions),
        "provisions": [[getattr(p, c) for c in PROVISION_COLUMNS] for p in catalogue.provisions.values()],
        "variants": [[getattr(v, c) for c in VARIANT_COLUMNS] for v in catalogue.variants.values()],
        "keys": [[label, key, vid] for (label, key), vid in catalogue.keys.items()],
        "notes": [[vid, list(fits)] for vid, fits in catalogue.notes],
        "norms": norms,
    }
    with atomic_write(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
    return path


def load_run_catalogue(path: str | Path) -> RunCatalogue | None:
    """The catalogue saved by :func:`save_run_catalogue`, or None when there is none to trust."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != RUN_CATALOGUE_FORMAT:
            return None
        catalogue = Catalogue()
        for row in data["provisions"]:
            catalogue.provisions[row[0]] = Provision(*row)
        for row in data["variants"]:
            catalogue.variants[row[0]] = Variant(*row)
        for label, key, vid in data["keys"]:
            catalogue.keys[(label, key)] = vid
        catalogue.notes = [(vid, tuple(fits)) for vid, fits in data["notes"]]
        if any(vid not in catalogue.variants for vid in catalogue.keys.values()) \
                or any(v.provision not in catalogue.provisions for v in catalogue.variants.values()):
            return None
        norms = [(readable, key) for readable, key in data["norms"]]
        return RunCatalogue(data["fingerprint"], data["digest"], catalogue, norms)
    except (OSError, ValueError, KeyError, TypeError):
        return None
