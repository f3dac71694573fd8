"""The catalogue database: a DuckDB file that grows with each import.

Tables: ``documents`` (path, content hash, import time), ``instructions``, ``instruction_facts`` (the
facts of ``pipeline.facts``, one row per instruction), ``clauses`` (with their ``canonical_id``: the
provision, ``variant_id``: the wording, readable normalised text and lemma key), ``provisions`` (id, label,
provision type key), ``variants`` (id, label, anchor key, provision, readable text, the reason it belongs
to its provision), ``variant_keys`` (label, lemma key -> variant id) and ``schema_version``. One import
batch is one transaction: an exception anywhere in it (a reader failing inside the ``results`` iterable
included) leaves the file as it was.

- a document whose path and sha256 are already stored is skipped;
- a document with a stored path and a new sha256 replaces its earlier version, facts included;
- a document stored before the database kept facts (``documents.facts`` is NULL) is replaced once by
  its next import, so an upgraded database gains the facts of its unchanged files;
- ids never change: a new batch is catalogued against the stored catalogue, so a new wording joins its
  existing variant and provision and a re-imported clause keeps its ids; :meth:`Store.drift` says which
  variants a fresh build would group otherwise (reported, never applied);
- a database of version 2 (one level: ``canonical`` clauses were what are now variants) is upgraded when
  opened: each old canonical clause becomes a variant with the same id, the variants are grouped into
  provisions, and its clauses get the provision as ``canonical_id`` (logged to the ``jobclauses`` logger).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..normalise import normalise
from ..records import FACT_FIELDS, Clause, Instruction, unflatten
from . import provisions, similarity, stats
from .build import build, provisions_of
from .state import Catalogue, Provision, Variant

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


def _add_provisions(con: Any) -> None:
    """Version 3: two levels. The old canonical clauses become variants (same ids) grouped into provisions;
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
#: A database made by an earlier version is brought up to date when it is opened.
MIGRATIONS: list[tuple[int, Any]] = [(2, _add_facts), (3, _add_provisions)]
SCHEMA_VERSION = MIGRATIONS[-1][0]

DOCUMENT_COLUMNS = ["path", "source", "sha256", "format", "reader", "encoding", "imported_at",
                    "instructions", "clauses", "facts"]
INSTRUCTION_COLUMNS = ["document", "source", "instruction", "title", "position", "start", "stop"]
FACT_COLUMNS = ["document", "source", "instruction", "position", *FACT_FIELDS]
PROVISION_COLUMNS = ["id", "label", "kind"]
VARIANT_COLUMNS = ["id", "label", "anchor", "provision", "text", "reason"]
STORED_CLAUSE_COLUMNS = [*stats.CLAUSE_COLUMNS, "reason"]
#: The facts sheet and files: provenance, then the facts.
FACTS_FRAME_COLUMNS = ["document", "source", "instruction", "title", "position", *FACT_FIELDS]

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


class Store:
    """A catalogue database in one DuckDB file (created on first use)."""

    def __init__(self, path: str | Path = DEFAULT_PATH) -> None:
        import duckdb

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path))
        self._migrate()

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

    def import_documents(self, results: Iterable[Result]) -> ImportSummary:
        """Add a batch of read documents in one transaction; see the module docstring for the rules."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            summary = self._import(results)
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        return summary

    def _import(self, results: Iterable[Result]) -> ImportSummary:
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
            summary.clauses, summary.new_canonical, summary.new_variants, summary.ambiguous = self._insert(pending)
        return summary

    def _delete_document(self, path: str) -> None:
        for table, column in (("clauses", "document"), ("instruction_facts", "document"),
                              ("instructions", "document"), ("documents", "path")):
            self.con.execute(f"DELETE FROM {table} WHERE {column} = ?", [path])

    def _insert(self, pending: Mapping[str, Result]) -> tuple[int, int, int, int]:
        """Catalogue the pending documents' clauses against the stored catalogue and write everything."""
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
                                     "stop": ins.stop})
            # Keyed by the full path while cataloguing: two folders may hold files of the same name.
            clauses += [(source, dataclasses.replace(c, source=path)) for c in found]
        existing = self.load_catalogue()
        built, catalogue = build([c for _, c in clauses], positions, existing)
        rows = [_clause_row(c, source, positions.get((c.source, c.instruction), ""), catalogue)
                for (source, _), c in zip(clauses, built, strict=True)]
        self._append("documents", pd.DataFrame(documents, columns=DOCUMENT_COLUMNS))
        self._append("instructions", pd.DataFrame(instructions, columns=INSTRUCTION_COLUMNS))
        self._append("instruction_facts", pd.DataFrame(facts, columns=FACT_COLUMNS))
        self._append("clauses", pd.DataFrame(rows, columns=STORED_CLAUSE_COLUMNS))
        new = [p for pid, p in catalogue.provisions.items() if pid not in existing.provisions]
        self._append("provisions", pd.DataFrame([dataclasses.asdict(p) for p in new], columns=PROVISION_COLUMNS))
        variants = [v for vid, v in catalogue.variants.items() if vid not in existing.variants]
        self._append("variants", pd.DataFrame([dataclasses.asdict(v) for v in variants], columns=VARIANT_COLUMNS))
        keys = [{"label": label, "key": key, "variant_id": vid}
                for (label, key), vid in catalogue.keys.items() if (label, key) not in existing.keys]
        self._append("variant_keys", pd.DataFrame(keys, columns=["label", "key", "variant_id"]))
        for vid, fits in catalogue.notes:
            log.warning("catalogue: wording %s fits provisions %s; joined %s (a re-clustering might merge them)",
                        vid, ", ".join(fits), fits[0])
        return len(rows), len(new), len(variants), len(catalogue.notes)

    def _append(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        import pyarrow as pa

        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        self.con.register("_incoming", arrow)
        try:
            names = ", ".join(f'"{c}"' for c in frame.columns)
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
            SELECT i.document, i.source, i.instruction, i.title, i.position, {names}
            FROM instructions i LEFT JOIN instruction_facts f
              ON f.document = i.document AND f.instruction = i.instruction
            ORDER BY i.document, i.instruction""").df()
        return _facts_frame(frame)

    def instructions(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM instructions ORDER BY document, instruction").df()

    def clauses(self) -> pd.DataFrame:
        """The clause table (``stats.CLAUSE_COLUMNS``, ``reason`` and the document's ``imported_at``), in
        document order."""
        names = ", ".join(f"c.{c}" for c in STORED_CLAUSE_COLUMNS)
        return self.con.execute(f"""SELECT {names}, d.imported_at FROM clauses c
            LEFT JOIN documents d ON d.path = c.document
            ORDER BY c.document, c.instruction, c.start""").df()

    def reasons(self) -> dict[str, str]:
        """Variant id -> why it belongs to its provision."""
        return dict(self.con.execute("SELECT id, reason FROM variants").fetchall())

    def n_instructions(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM instructions").fetchone()[0])  # type: ignore[index]

    def catalogue(self) -> pd.DataFrame:
        """One row per canonical clause in use (see ``stats.catalogue_frame``)."""
        return stats.catalogue_frame(self.clauses(), self.n_instructions() or None)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table the exports write: catalogue, variants, clauses, positions, matrix, facts."""
        return stats.frames(self.clauses(), self.n_instructions() or None, self.reasons()) | {"facts": self.facts()}


def _clause_row(c: Clause, source: str, position: str, catalogue: Catalogue) -> dict[str, Any]:
    norm = normalise(c.text, position)
    return {
        "document": c.source, "source": source, "instruction": c.instruction, "position": position,
        "number": c.number, "clause_path": c.path, "section_number": c.section_number,
        "section_title": c.section_title, "section_type": c.section_type, "lead_in": c.lead_in,
        "text": c.text, "label": c.label, "confidence": float(c.confidence), "canonical_id": c.canonical_id,
        "variant_id": catalogue.keys[(c.label, norm.key)],
        "normalised": norm.readable, "key": norm.key, "start": c.start, "stop": c.stop, "reason": c.reason,
    }


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


def _facts_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB's list cells (numpy arrays; NULL, NaN or NA for an instruction without facts) as Python lists,
    text cells without a value as empty strings."""
    out = frame.copy()
    for column in LIST_FACTS:
        out[column] = [list(v) if isinstance(v, (list, tuple, np.ndarray)) else [] for v in out[column]]
    for column in ("education_field", "substitute", "appointed_by", "approved_by", "approved_on"):
        out[column] = out[column].fillna("").astype(object)
    return out[FACTS_FRAME_COLUMNS]
