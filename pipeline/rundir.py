"""A folder written by ``extract`` read back: one :class:`~pipeline.batch.FileResult` per input file, as the
batch gave it, without reading or parsing a document again (``jobclauses import OUT_DIR``).

The folder's ``manifest.jsonl`` gives every file (its status, format, hash); ``instructions.jsonl`` and
``clauses.jsonl`` give the instructions, their facts and the clauses, matched to their file by the
``document`` column (the path as extract was given it; older folders without it are matched by file name
when names are unique). What the tables do not keep (the rule that placed a clause, the title's offsets)
the catalogue does not keep either. The run's own catalogue (``.jobclauses-catalogue.json``, see
``pipeline.catalogue.store.RunCatalogue``) is returned beside the results when it is there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .batch import FileResult
from .catalogue.store import RUN_CATALOGUE, RunCatalogue, load_run_catalogue
from .export.tables import reasons
from .records import FACT_FIELDS, Clause, Instruction

#: The files that make a folder an extract's output.
MARKERS = ("manifest.jsonl", "instructions.jsonl", "clauses.jsonl")


class RunDirError(Exception):
    """The folder cannot be read back; the message is one line naming the file (and line)."""


def is_run_dir(path: str | Path) -> bool:
    """Whether ``path`` is a folder ``extract`` wrote (it holds the three tables)."""
    p = Path(path)
    return p.is_dir() and all((p / name).is_file() for name in MARKERS)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise RunDirError(f"{path}: {error.strerror or error}") from None
    with handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise RunDirError(f"{path}, line {lineno}: not a JSON line written by extract") from None
            if not isinstance(row, dict):
                raise RunDirError(f"{path}, line {lineno}: not a JSON object")
            yield lineno, row


def _instruction(row: dict[str, Any]) -> Instruction:
    return Instruction(source=row["source"], index=int(row["instruction"]), title=row.get("title") or "",
                       position=row.get("position") or "", start=int(row.get("start") or 0),
                       stop=int(row.get("stop") or 0), needs_review=reasons(row.get("review")))


def _clause(row: dict[str, Any]) -> Clause:
    return Clause(
        source=row["source"], instruction=int(row["instruction"]), number=row.get("number") or "",
        text=row["text"], start=int(row.get("start") or 0), stop=int(row.get("stop") or 0),
        path=row.get("path") or "", section_number=row.get("section_number") or "",
        section_title=row.get("section_title") or "", section_type=row.get("section_type") or "",
        lead_in=row.get("lead_in") or "", label=row.get("label") or "",
        confidence=float(row.get("confidence") or 0.0), reason=row.get("reason") or "",
        canonical_id=row.get("canonical_id") or "", needs_review=reasons(row.get("review")))


def load(folder: str | Path) -> tuple[list[FileResult], RunCatalogue | None]:
    """The results of the files an extract wrote into ``folder``, in its manifest's order, and its catalogue."""
    folder = Path(folder)
    if not is_run_dir(folder):
        missing = ", ".join(name for name in MARKERS if not (folder / name).is_file())
        raise RunDirError(f"{folder}: not a folder written by `jobclauses extract` (no {missing})")
    manifest = [row for _, row in _rows(folder / "manifest.jsonl")]
    paths = [str(row.get("path", "")) for row in manifest]
    names: dict[str, list[str]] = {}
    for path in paths:
        names.setdefault(Path(path.replace("\\", "/")).name, []).append(path)

    def document(table: str, lineno: int, row: dict[str, Any]) -> str:
        if row.get("document"):
            return str(row["document"])
        found = names.get(str(row.get("source", "")), [])
        if len(found) != 1:
            raise RunDirError(f"{folder / table}, line {lineno}: no `document` column and the file name "
                              f"{row.get('source')!r} is not one file of the manifest; run extract again")
        return found[0]

    instructions: dict[str, list[Instruction]] = {}
    facts: dict[str, list[dict[str, Any]]] = {}
    clauses: dict[str, list[Clause]] = {}
    try:
        for lineno, row in _rows(folder / "instructions.jsonl"):
            path = document("instructions.jsonl", lineno, row)
            instructions.setdefault(path, []).append(_instruction(row))
            if any(name in row for name in FACT_FIELDS):
                facts.setdefault(path, []).append(row)
        for lineno, row in _rows(folder / "clauses.jsonl"):
            clauses.setdefault(document("clauses.jsonl", lineno, row), []).append(_clause(row))
    except (KeyError, TypeError, ValueError) as error:
        raise RunDirError(f"{folder}: a row lacks a field or has a wrong value ({error}); "
                          "run extract again") from None
    results = []
    for row in manifest:
        path = str(row.get("path", ""))
        results.append(FileResult(
            path=path, status=row.get("status", "failed"), reason=row.get("reason", ""),
            format=row.get("format", ""), reader=row.get("reader", ""), encoding=row.get("encoding", ""),
            sha256=row.get("sha256", ""), warnings=tuple(row.get("warnings") or ()),
            instructions=tuple(instructions.get(path, ())), clauses=tuple(clauses.get(path, ())),
            facts=tuple(facts.get(path, ()))))
    return results, load_run_catalogue(folder / RUN_CATALOGUE)
