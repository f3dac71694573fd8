"""The catalogue database: a DuckDB file that grows with each import.

Tables: ``documents`` (path, content hash, import time), ``instructions``, ``clauses`` (with their
``canonical_id``, readable normalised text and lemma key), ``canonical`` (id, label, anchor key) and
``variant_keys`` (label, lemma key -> canonical id). One import batch is one transaction: an exception
anywhere in it (a reader failing inside the ``results`` iterable included) leaves the file as it was.

- a document whose path and sha256 are already stored is skipped;
- a document with a stored path and a new sha256 replaces its earlier version;
- canonical ids never change: a new batch is catalogued against the stored catalogue, so a new
  variant joins its existing canonical clause and a re-imported clause keeps its id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..normalise import normalise
from ..records import Clause, Instruction
from . import stats
from .dedup import Canonical, Catalogue, build

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

DOCUMENT_COLUMNS = ["path", "source", "sha256", "format", "reader", "encoding", "imported_at",
                    "instructions", "clauses"]
INSTRUCTION_COLUMNS = ["document", "source", "instruction", "title", "position", "start", "stop"]
STORED_CLAUSE_COLUMNS = [*stats.CLAUSE_COLUMNS, "reason"]

Result = tuple[Mapping[str, Any], Sequence[Instruction], Sequence[Clause]]


@dataclass
class ImportSummary:
    """What one import batch did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    clauses: int = 0
    new_canonical: int = 0


class Store:
    """A catalogue database in one DuckDB file (created on first use)."""

    def __init__(self, path: str | Path = DEFAULT_PATH) -> None:
        import duckdb

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path))
        for statement in SCHEMA:
            self.con.execute(statement)

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
        stored = dict(self.con.execute("SELECT path, sha256 FROM documents").fetchall())
        pending: dict[str, Result] = {}
        for meta, instructions, clauses in results:
            path = str(meta["path"])
            if stored.get(path) == meta["sha256"] and path not in pending:
                summary.unchanged += 1
                continue
            if path in stored:
                self._delete_document(path)
                del stored[path]
                summary.replaced += 1
            elif path not in pending:
                summary.added += 1
            pending[path] = (meta, instructions, clauses)
        if pending:
            summary.clauses, summary.new_canonical = self._insert(pending)
        return summary

    def _delete_document(self, path: str) -> None:
        for table, column in (("clauses", "document"), ("instructions", "document"), ("documents", "path")):
            self.con.execute(f"DELETE FROM {table} WHERE {column} = ?", [path])

    def _insert(self, pending: Mapping[str, Result]) -> tuple[int, int]:
        """Catalogue the pending documents' clauses against the stored catalogue and write everything."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        documents, instructions, clauses, positions = [], [], [], {}
        for path, (meta, instrs, found) in pending.items():
            source = Path(path.replace("\\", "/")).name
            documents.append({
                "path": path, "source": source, "sha256": meta["sha256"], "format": meta.get("format", ""),
                "reader": meta.get("reader", ""), "encoding": meta.get("encoding", ""), "imported_at": now,
                "instructions": len(instrs), "clauses": len(found),
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
        rows = [_clause_row(c, source, positions.get((c.source, c.instruction), ""))
                for (source, _), c in zip(clauses, built, strict=True)]
        self._append("documents", pd.DataFrame(documents, columns=DOCUMENT_COLUMNS))
        self._append("instructions", pd.DataFrame(instructions, columns=INSTRUCTION_COLUMNS))
        self._append("clauses", pd.DataFrame(rows, columns=STORED_CLAUSE_COLUMNS))
        new = [e for cid, e in catalogue.entries.items() if cid not in existing.entries]
        self._append("canonical", pd.DataFrame([dataclasses.asdict(e) for e in new],
                                               columns=["id", "label", "anchor"]))
        keys = [{"label": label, "key": key, "canonical_id": cid}
                for (label, key), cid in catalogue.variants.items() if (label, key) not in existing.variants]
        self._append("variant_keys", pd.DataFrame(keys, columns=["label", "key", "canonical_id"]))
        return len(rows), len(new)

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
        """The stored canonical clauses and variant keys."""
        catalogue = Catalogue()
        for cid, label, anchor in self.con.execute("SELECT id, label, anchor FROM canonical").fetchall():
            catalogue.entries[cid] = Canonical(cid, label, anchor)
        for label, key, cid in self.con.execute("SELECT label, key, canonical_id FROM variant_keys").fetchall():
            catalogue.variants[(label, key)] = cid
        return catalogue

    def documents(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM documents ORDER BY path").df()

    def instructions(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM instructions ORDER BY document, instruction").df()

    def clauses(self) -> pd.DataFrame:
        """The clause table (``stats.CLAUSE_COLUMNS`` and ``reason``), in document order."""
        return self.con.execute("SELECT * FROM clauses ORDER BY document, instruction, start").df()

    def n_instructions(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM instructions").fetchone()[0])  # type: ignore[index]

    def catalogue(self) -> pd.DataFrame:
        """One row per canonical clause in use (see ``stats.catalogue_frame``)."""
        return stats.catalogue_frame(self.clauses(), self.n_instructions() or None)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table the exports write: catalogue, variants, clauses, positions, matrix."""
        return stats.frames(self.clauses(), self.n_instructions() or None)


def _clause_row(c: Clause, source: str, position: str) -> dict[str, Any]:
    norm = normalise(c.text, position)
    return {
        "document": c.source, "source": source, "instruction": c.instruction, "position": position,
        "number": c.number, "clause_path": c.path, "section_number": c.section_number,
        "section_title": c.section_title, "section_type": c.section_type, "lead_in": c.lead_in,
        "text": c.text, "label": c.label, "confidence": float(c.confidence), "canonical_id": c.canonical_id,
        "normalised": norm.readable, "key": norm.key, "start": c.start, "stop": c.stop, "reason": c.reason,
    }
