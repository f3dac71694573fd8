"""The catalogue database: a DuckDB file that grows with each import.

Tables: ``documents`` (path, content hash, import time), ``instructions``, ``instruction_facts`` (the
facts of ``pipeline.facts``, one row per instruction), ``clauses`` (with their ``canonical_id``, readable
normalised text and lemma key), ``canonical`` (id, label, anchor key), ``variant_keys`` (label, lemma key
-> canonical id) and ``schema_version``. One import batch is one transaction: an exception anywhere in it
(a reader failing inside the ``results`` iterable included) leaves the file as it was.

- a document whose path and sha256 are already stored is skipped;
- a document with a stored path and a new sha256 replaces its earlier version, facts included;
- a document stored before the database kept facts (``documents.facts`` is NULL) is replaced once by
  its next import, so an upgraded database gains the facts of its unchanged files;
- canonical ids never change: a new batch is catalogued against the stored catalogue, so a new
  variant joins its existing canonical clause and a re-imported clause keeps its id.

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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import atomic_write
from ..normalise import normalise
from ..records import FACT_FIELDS, Clause, Instruction, unflatten
from ..review import JOIN as REVIEW_JOIN
from .dedup import Canonical, Catalogue, build

if TYPE_CHECKING:  # pandas is imported where a frame is made: an import of extract's tables needs none
    import pandas as pd

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


#: Schema changes after version 1 (the five tables above), in order: (version reached, change).
#: A database made by an earlier version is brought up to date when it is opened (read-only openings too:
#: the upgrade is made once, read-write, before the read-only connection).
MIGRATIONS: list[tuple[int, Any]] = [(2, _add_facts), (3, _add_review)]
SCHEMA_VERSION = MIGRATIONS[-1][0]

DOCUMENT_COLUMNS = ["path", "source", "sha256", "format", "reader", "encoding", "imported_at",
                    "instructions", "clauses", "facts"]
INSTRUCTION_COLUMNS = ["document", "source", "instruction", "title", "position", "start", "stop",
                       "needs_review", "review"]
FACT_COLUMNS = ["document", "source", "instruction", "position", *FACT_FIELDS]
#: ``stats.CLAUSE_COLUMNS`` (not imported: it brings pandas), then what only the store keeps.
STORED_CLAUSE_COLUMNS = [
    "document", "source", "instruction", "position", "number", "clause_path", "section_number",
    "section_title", "section_type", "lead_in", "text", "label", "confidence", "canonical_id",
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
    new_canonical: int = 0
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
            for statement in SCHEMA:
                self.con.execute(statement)
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            found = self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0]  # type: ignore[index]
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
            summary.clauses, summary.new_canonical, summary.reused_catalogue = self._insert(pending, prebuilt)
        return summary

    def _delete_document(self, path: str) -> None:
        for table, column in (("clauses", "document"), ("instruction_facts", "document"),
                              ("instructions", "document"), ("documents", "path")):
            self.con.execute(f"DELETE FROM {table} WHERE {column} = ?", [path])

    def _insert(self, pending: Mapping[str, Result], prebuilt: RunCatalogue | None = None
                ) -> tuple[int, int, bool]:
        """Catalogue the pending documents' clauses against the stored catalogue and write everything;
        returns the clauses written, the new canonical clauses and whether ``prebuilt`` was taken."""
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
        norms: Sequence[tuple[str, str]] | None = None
        if prebuilt is not None and not existing.entries and not existing.variants \
                and prebuilt.matches(keyed, positions):
            norms, catalogue = prebuilt.norms, prebuilt.catalogue
            ids = [catalogue.variants[(c.label, key)] for (_, c), (_, key) in zip(keyed, norms, strict=True)]
        else:
            # Keyed by the full path while cataloguing: two folders may hold files of the same name.
            built, catalogue = build([dataclasses.replace(c, source=path) for path, c in keyed], positions, existing)
            ids = [c.canonical_id for c in built]
        rows = [_clause_row(c, path, source, positions.get((path, c.instruction), ""), ids[k],
                            norms[k] if norms else None)
                for k, (path, source, c) in enumerate(clauses)]
        self._append("documents", documents, DOCUMENT_COLUMNS)
        self._append("instructions", instructions, INSTRUCTION_COLUMNS)
        self._append("instruction_facts", facts, FACT_COLUMNS)
        self._append("clauses", rows, STORED_CLAUSE_COLUMNS)
        new = [e for cid, e in catalogue.entries.items() if cid not in existing.entries]
        self._append("canonical", [dataclasses.asdict(e) for e in new], ["id", "label", "anchor"])
        keys = [{"label": label, "key": key, "canonical_id": cid}
                for (label, key), cid in catalogue.variants.items() if (label, key) not in existing.variants]
        self._append("variant_keys", keys, ["label", "key", "canonical_id"])
        return len(rows), len(new), norms is not None

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
        """The stored canonical clauses and variant keys."""
        catalogue = Catalogue()
        for cid, label, anchor in self.con.execute("SELECT id, label, anchor FROM canonical").fetchall():
            catalogue.entries[cid] = Canonical(cid, label, anchor)
        for label, key, cid in self.con.execute("SELECT label, key, canonical_id FROM variant_keys").fetchall():
            catalogue.variants[(label, key)] = cid
        return catalogue

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
        """The clause table (``stats.CLAUSE_COLUMNS``, ``reason``, ``needs_review``, ``review``), in document
        order; a clause stored before reviews were kept does not need one."""
        frame = self.con.execute("SELECT * FROM clauses ORDER BY document, instruction, start").df()
        return _reviewed(frame)

    def n_instructions(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM instructions").fetchone()[0])  # type: ignore[index]

    def catalogue(self) -> pd.DataFrame:
        """One row per canonical clause in use (see ``stats.catalogue_frame``)."""
        from . import stats

        return stats.catalogue_frame(self.clauses(), self.n_instructions() or None)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table the exports write: catalogue, variants, clauses, positions, matrix, facts."""
        from . import stats

        return stats.frames(self.clauses(), self.n_instructions() or None) | {"facts": self.facts()}


def _clause_row(c: Clause, path: str, source: str, position: str, canonical_id: str,
                norm: tuple[str, str] | None = None) -> dict[str, Any]:
    """One stored clause of the document at ``path``; ``norm`` is its (readable, key) when already known."""
    readable, key = norm if norm is not None else _norm(c.text, position)
    return {
        "document": path, "source": source, "instruction": c.instruction, "position": position,
        "number": c.number, "clause_path": c.path, "section_number": c.section_number,
        "section_title": c.section_title, "section_type": c.section_type, "lead_in": c.lead_in,
        "text": c.text, "label": c.label, "confidence": round(float(c.confidence), 4),
        "canonical_id": canonical_id, "normalised": readable, "key": key, "start": c.start, "stop": c.stop,
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

#: The file ``extract`` writes beside its tables; the name of the format it holds.
RUN_CATALOGUE = ".jobclauses-catalogue.json"
RUN_CATALOGUE_FORMAT = "jobclauses run catalogue 1"


def catalogue_fingerprint() -> str:
    """What decides a catalogue besides its clauses: the code and vocabularies of normalisation and
    cataloguing (this module and the statistics aside), and the versions of the lemmatiser's dictionaries
    and of datasketch."""
    from importlib import metadata

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    catalogue = [p for p in sorted((package / "catalogue").glob("*.py")) if p.name not in ("store.py", "stats.py")]
    files = [package / "normalise.py", package / "text.py", *catalogue, *sorted((package / "data").glob("*.t[sx][tv]"))]
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in ("pymorphy3", "pymorphy3-dicts-ru", "datasketch"):
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(name.encode())
    return digest.hexdigest()[:16]


def build_digest(clauses: Sequence[tuple[str, Clause]], positions: Mapping[tuple[str, int], str]) -> str:
    """A digest of what ``build`` sees, in order: for each (document path, clause), the path, instruction,
    label, text and position (``positions`` is keyed by path and instruction)."""
    digest = hashlib.sha256()
    for path, c in clauses:
        position = positions.get((path, c.instruction), "")
        digest.update(f"{path}\x1f{c.instruction}\x1f{c.label}\x1f{c.text}\x1f{position}\x1e".encode())
    return digest.hexdigest()


@dataclass
class RunCatalogue:
    """The catalogue ``extract`` built from scratch over its ok documents, as an import into an empty
    database would build it: the clauses (keyed by document path, in path order) it was built from are
    named by ``digest``, ``norms`` holds each one's (readable, key) in that order."""

    fingerprint: str
    digest: str
    catalogue: Catalogue
    norms: list[tuple[str, str]] = field(default_factory=list)

    def matches(self, clauses: Sequence[tuple[str, Clause]], positions: Mapping[tuple[str, int], str]) -> bool:
        """Whether these (document path, clause) pairs, with this code, are the ones it was built from."""
        return (self.fingerprint == catalogue_fingerprint() and len(clauses) == len(self.norms)
                and self.digest == build_digest(clauses, positions)
                and all((c.label, n[1]) in self.catalogue.variants
                        for (_, c), n in zip(clauses, self.norms, strict=True)))


def save_run_catalogue(path: str | Path, clauses: Sequence[tuple[str, Clause]],
                       positions: Mapping[tuple[str, int], str], catalogue: Catalogue) -> Path:
    """Write the catalogue that ``build`` gave for these (document path, clause) pairs, built from scratch
    with the clauses keyed by their document's path."""
    path = Path(path)
    norms = [_norm(c.text, positions.get((p, c.instruction), "")) for p, c in clauses]  # cached by build
    data = {
        "format": RUN_CATALOGUE_FORMAT, "fingerprint": catalogue_fingerprint(),
        "digest": build_digest(clauses, positions),
        "entries": [dataclasses.asdict(e) for e in catalogue.entries.values()],
        "variants": [[label, key, cid] for (label, key), cid in catalogue.variants.items()],
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
        for entry in data["entries"]:
            catalogue.entries[entry["id"]] = Canonical(**entry)
        for label, key, cid in data["variants"]:
            catalogue.variants[(label, key)] = cid
        norms = [(readable, key) for readable, key in data["norms"]]
        return RunCatalogue(data["fingerprint"], data["digest"], catalogue, norms)
    except (OSError, ValueError, KeyError, TypeError):
        return None
