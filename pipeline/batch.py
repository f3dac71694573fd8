"""The batch: input files in, one :class:`FileResult` per file out, nothing lost.

Every input file ends up in exactly one result: ``ok`` (read, with its instructions and clauses), ``skipped``
(read, but no job description in it) or ``failed`` (with a one-line reason a person can act on).
This module knows no terminal: the CLI draws progress and prints summaries.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from .readers import ReadError, read
from .records import Clause, Instruction, Record
from .structure import structure

log = logging.getLogger("jobclauses")

#: Extensions picked up when a folder is given (a file named explicitly is always tried).
DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ".md", ".docx", ".docm", ".doc", ".rtf", ".odt", ".html", ".htm"})


@dataclass(frozen=True)
class FileResult(Record):
    """What happened to one input file; its ``manifest()`` is one line of ``manifest.jsonl``."""

    path: str
    status: str  # ok | skipped | failed
    reason: str = ""
    format: str = ""
    reader: str = ""
    encoding: str = ""
    sha256: str = ""
    warnings: tuple[str, ...] = ()
    instructions: tuple[Instruction, ...] = ()
    clauses: tuple[Clause, ...] = ()

    _nested: ClassVar[dict[str, type]] = {"instructions": Instruction, "clauses": Clause}

    @property
    def source(self) -> str:
        return Path(self.path).name

    def manifest(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "source": self.source,
            "status": self.status,
            "reason": self.reason,
            "format": self.format,
            "reader": self.reader,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "instructions": len(self.instructions),
            "clauses": len(self.clauses),
            "warnings": list(self.warnings),
        }


def collect_inputs(inputs: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[FileResult]]:
    """The files to process (folders walked recursively, sorted, each file once) and the inputs that fail early.

    A folder contributes the files with a known document suffix; symlinked folders are not followed, so a
    symlink loop cannot trap the walk.
    """
    files: dict[str, Path] = {}
    failed: list[FileResult] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs.sort()
                for name in sorted(names):
                    f = Path(root) / name
                    if f.suffix.lower() in DOCUMENT_SUFFIXES and not name.startswith((".", "~$")):
                        files.setdefault(str(f), f)
        elif p.exists() or p.is_symlink():
            files.setdefault(str(p), p)
        else:
            failed.append(FileResult(path=str(p), status="failed", reason="no such file or folder"))
    return sorted(files.values(), key=str), failed


def process_document(document: Any, classifier: Any) -> tuple[tuple[Instruction, ...], tuple[Clause, ...]]:
    found = structure(document)
    clauses = tuple(classifier.predict(found.clauses)) if found.clauses else ()
    return found.instructions, clauses


def process_file(path: Path, classifier: Any) -> FileResult:
    """Read, structure and classify one file; never raises for a bad file."""
    try:
        document = read(path)
    except ReadError as error:
        return FileResult(path=str(path), status="failed", reason=str(error))
    except Exception as error:  # a reader bug must not stop the batch
        log.error("reading %s failed:\n%s", path, traceback.format_exc())
        return FileResult(path=str(path), status="failed", reason=f"reader error: {type(error).__name__}: {error}")
    meta = dict(
        path=str(path),
        format=document.format,
        reader=document.reader,
        encoding=document.encoding,
        sha256=document.sha256,
        warnings=document.warnings,
    )
    try:
        instructions, clauses = process_document(document, classifier)
    except Exception as error:
        log.error("processing %s failed:\n%s", path, traceback.format_exc())
        return FileResult(status="failed", reason=f"pipeline error: {type(error).__name__}: {error}", **meta)
    if not clauses:
        return FileResult(status="skipped", reason="no job description found in the text", **meta)
    return FileResult(status="ok", instructions=instructions, clauses=clauses, **meta)


def run(files: Sequence[Path], classifier: Any) -> Iterator[FileResult]:
    """Process files in order, one result each."""
    for path in files:
        yield process_file(path, classifier)
