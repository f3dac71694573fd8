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
  logger).

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


def _columns(con: Any, table: str) -> set[str]:
    """The column names of a table of the file (empty: no such table)."""
    rows = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]).fetchall()
    return {name for (name,) in rows}


#: Schema changes after version 1 (the five tables above), in order: (version reached, change).
#: A database made by an earlier version is brought up to date when it is opened (read-only openings too:
#: the upgrade is made once, read-write, before the read-only connection). Version 3 (review columns) came
#: first on main, so files of version 3 exist with it; the two-level catalogue is version 4.
MIGRATIONS: list[tuple[int, Any]] = [(2, _add_facts), (3, _add_review), (4, _add_provisions)]
SCHEMA_VERSION = MIGRATIONS[-1][0]

DOCUMENT_COLUMNS = ["path", "source", "sha256", "format", "reader", "encoding", "imported_at",
                    "instructions", "clauses", "facts"]
INSTRUCTION_COLUMNS = ["document", "source", "instruction", "title", "position", "start", "stop",
                       "needs_review", "review"]
FACT_COLUMNS = ["document", "source", "instruction", "position", *FACT_FIELDS]
PROVISION_COLUMNS = ["id", "label", "kind"]
VARIANT_COLUMNS = ["id", "label", "anchor", "provision", "text", "reason"]
#: ``stats.CLAUSE_COLUMNS`` (not imported: it brings pandas), then what only the store keeps.
STORED_CLAUSE_COLUMNS = [
    "document", "source", "instruction", "position", "number", "clause_path", "section_number",
    "section_title", "section_type", "lead_in", "text", "label", "confidence", "canonical_id", "variant_id",
    "normalised", "key", "start", "stop", "reason", "needs_review", "review",
]

#: The facts sheet and files: provenance, then the facts, then whether the instruction needs review.
FACTS_FRAME_COLUMNS = ["document", "source", "instruction", "title", "position", *FACT_FIELDS, "needs_review",
                       "review"]

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
        documents, instructions, clauses, facts, positions = [], [], [], [], {}
        for path, (meta, instrs, found, found_facts) in pending.items():
            source = Path(path.replace("\\", "/")).name
            own_facts = _fact_rows(path, source, instrs, found_facts)
            facts += own_facts
            documents.append({
                "path": path, "source": source, "sha256": meta["sha256"], "format": meta.get("format", ""),
                "reader": meta.get("reader", ""), "encoding": meta.get("encoding", ""), "imported_at": now,
                "instructions": len(instrs), "clauses": len(found), "facts": len(own_facts),
            })
            for ins in instrs:
                positions[(path, ins.index)] = ins.position
                instructions.append({"document": path, "source": source, "instruction": ins.index,
                                     "title": ins.title, "position": ins.position, "start": ins.start,
                                     "stop": ins.stop, "needs_review": bool(ins.needs_review),
                                     "review": REVIEW_JOIN.join(ins.needs_review)})
            clauses += [(path, source, c) for c in found]
        existing = self.load_catalogue()
        keyed = [(path, c) for path, _, c in clauses]
        reused = prebuilt is not None and not existing.provisions and not existing.variants \
            and prebuilt.matches(keyed, positions)
        if reused:
            assert prebuilt is not None
            norms, catalogue = prebuilt.norms, prebuilt.catalogue
        else:
            # Keyed by the full path while cataloguing: two folders may hold files of the same name.
            _, catalogue = build([dataclasses.replace(c, source=path) for path, c in keyed], positions, existing)
            norms = [_norm(c.text, positions.get((path, c.instruction), "")) for path, c in keyed]
        variant_ids = [catalogue.keys[(c.label, key)] for (_, c), (_, key) in zip(keyed, norms, strict=True)]
        rows = [_clause_row(c, path, source, positions.get((path, c.instruction), ""),
                            catalogue.variants[variant_ids[k]].provision, variant_ids[k], norms[k])
                for k, (path, source, c) in enumerate(clauses)]
        self._append("documents", documents, DOCUMENT_COLUMNS)
        self._append("instructions", instructions, INSTRUCTION_COLUMNS)
        self._append("instruction_facts", facts, FACT_COLUMNS)
        self._append("clauses", rows, STORED_CLAUSE_COLUMNS)
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
        return len(rows), len(new), len(variants), len(catalogue.notes), reused

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
            SELECT i.document, i.source, i.instruction, i.title, i.position, {names}, i.needs_review, i.review
            FROM instructions i LEFT JOIN instruction_facts f
              ON f.document = i.document AND f.instruction = i.instruction
            ORDER BY i.document, i.instruction""").df()
        return _facts_frame(_reviewed(frame))

    def instructions(self) -> pd.DataFrame:
        frame = self.con.execute("SELECT * FROM instructions ORDER BY document, instruction").df()
        return _reviewed(frame)

    def clauses(self) -> pd.DataFrame:
        """The clause table (``stats.CLAUSE_COLUMNS``, ``reason``, ``needs_review``, ``review`` and the
        document's ``imported_at``), in document order; a clause stored before reviews were kept does not
        need one."""
        names = ", ".join(f"c.{c}" for c in STORED_CLAUSE_COLUMNS)
        frame = self.con.execute(f"""SELECT {names}, d.imported_at FROM clauses c
            LEFT JOIN documents d ON d.path = c.document
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

        return stats.frames(self.clauses(), self.n_instructions() or None, self.reasons()) | {"facts": self.facts()}


def _clause_row(c: Clause, path: str, source: str, position: str, canonical_id: str, variant_id: str,
                norm: tuple[str, str] | None = None) -> dict[str, Any]:
    """One stored clause of the document at ``path``; ``norm`` is its (readable, key) when already known."""
    readable, key = norm if norm is not None else _norm(c.text, position)
    return {
        "document": path, "source": source, "instruction": c.instruction, "position": position,
        "number": c.number, "clause_path": c.path, "section_number": c.section_number,
        "section_title": c.section_title, "section_type": c.section_type, "lead_in": c.lead_in,
        "text": c.text, "label": c.label, "confidence": round(float(c.confidence), 4),
        "canonical_id": canonical_id, "variant_id": variant_id, "normalised": readable, "key": key, "start": c.start, "stop": c.stop,
        "reason": c.reason, "needs_review": bool(c.needs_review), "review": REVIEW_JOIN.join(c.needs_review),
    }


def _norm(text: str, position: str) -> tuple[str, str]:
    norm = normalise(text, position)
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
    return frame


def _facts_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB's list cells (numpy arrays; NULL, NaN or NA for an instruction without facts) as Python lists,
    text cells without a value as empty strings."""
    import numpy as np

    out = frame.copy()
    for column in LIST_FACTS:
        out[column] = [list(v) if isinstance(v, (list, tuple, np.ndarray)) else [] for v in out[column]]
    for column in ("education_field", "substitute", "appointed_by", "approved_by", "approved_on"):
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
    norms = [_norm(c.text, positions.get((p, c.instruction), "")) for p, c in clauses]
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
