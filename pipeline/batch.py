"""The batch: input files in, one :class:`FileResult` per file out, nothing lost.

Every input file ends up in exactly one result: ``ok`` (read, with its instructions and clauses), ``skipped``
(read, but no job description in it) or ``failed`` (with a one-line reason a person can act on).
This module knows no terminal: the CLI draws progress and prints summaries.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, ClassVar

from .atomic import atomic_write
from .facts import NATASHA, Natasha, extract_all
from .readers import EmptyDocument, ReadError, read
from .records import Clause, Facts, Instruction, Record
from .review import review
from .structure import structure

log = logging.getLogger("jobclauses")

#: Extensions picked up when a folder is given (a file named explicitly is always tried); an SQL dump, a JSON,
#: CSV or PHP export may hold posts in HTML (pipeline/readers/embedded.py).
DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ".md", ".docx", ".docm", ".doc", ".rtf", ".odt", ".html", ".htm",
                               ".sql", ".json", ".csv", ".php"})


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
    facts: tuple[dict[str, Any], ...] = ()  # one flat row (``Facts.row``) per instruction

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


def process_document(
    document: Any, classifier: Any, ner: Natasha | None = NATASHA
) -> tuple[tuple[Instruction, ...], tuple[Clause, ...], tuple[Facts, ...]]:
    """Structure, classify, flag what needs review (``pipeline.review``) and extract the facts of one read
    document (``ner=None``: the facts without natasha)."""
    found = structure(document)
    clauses = tuple(classifier.predict(found.clauses)) if found.clauses else ()
    instructions, clauses = review(found.instructions, clauses)
    facts = tuple(extract_all(instructions, clauses, document.text, ner)) if clauses else ()
    return instructions, clauses, facts


def facts_of_file(path: str | os.PathLike[str], classifier: Any, ner: Natasha | None = NATASHA) -> list[Facts]:
    """The facts of every instruction of one file, with their evidence; [] when it cannot be read or holds none."""
    try:
        document = read(Path(path))
    except ReadError:
        return []
    return list(process_document(document, classifier, ner)[2])


def process_file(path: Path, classifier: Any) -> FileResult:
    """Read, structure and classify one file; never raises for a bad file."""
    try:
        document = read(path)
    except EmptyDocument as error:
        return FileResult(path=str(path), status="skipped", reason=str(error), format=error.format,
                          sha256=error.sha256)
    except ReadError as error:
        return FileResult(path=str(path), status="failed", reason=str(error))
    except MemoryError:
        return FileResult(path=str(path), status="failed", reason="out of memory while reading the file")
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
        instructions, clauses, facts = process_document(document, classifier)
    except MemoryError:
        return FileResult(status="failed", reason="out of memory while processing the file", **meta)
    except Exception as error:
        log.error("processing %s failed:\n%s", path, traceback.format_exc())
        return FileResult(status="failed", reason=f"pipeline error: {type(error).__name__}: {error}", **meta)
    if not clauses:
        return FileResult(status="skipped", reason="no job description found in the text", **meta)
    return FileResult(status="ok", instructions=instructions, clauses=clauses, facts=tuple(f.row() for f in facts),
                      **meta)


#: Per-file limits of an isolated worker: a file that takes longer, or more memory, is recorded as failed.
FILE_TIMEOUT = 300.0
WORKER_MEMORY = 6 * 1024**3


#: Classifiers loaded in this process, by kind: a forked worker finds its own here instead of loading it.
_LOADED: dict[str, Any] = {}
_LOAD_LOCK = threading.Lock()


def load_classifier(kind: str) -> Any:
    """The classifier of a kind, loaded once per process (``run`` loads it before forking its workers; the
    threads of a Dask worker share it)."""
    with _LOAD_LOCK:
        if kind not in _LOADED:
            from . import classify

            _LOADED[kind] = classify.load(kind)
        return _LOADED[kind]


def process_group(paths: Sequence[str | os.PathLike[str]], classifier: Any) -> Iterator[FileResult]:
    """The per-file work of every engine: the files that go through LibreOffice converted ahead with one start
    for the group, then each file read, structured and classified on its own (a file that fails, fails alone)."""
    from .readers import office

    if len(paths) > 1:
        try:
            office.prefetch([str(p) for p in paths])
        except Exception:  # noqa: BLE001 - each file is then converted on its own, as before
            log.error("converting a group ahead failed:\n%s", traceback.format_exc())
    for path in paths:
        try:
            yield process_file(Path(path), classifier)
        except MemoryError:
            yield FileResult(path=str(path), status="failed", reason="out of memory while processing the file")


def _load_before_fork(kind: str) -> None:
    """Load what every worker needs once, in the parent: the classifier (with the lemmatiser) and the facts
    grammars take about 3 CPU-seconds, which each forked worker would otherwise spend again.

    A failure is left to the workers, which report it as before.
    """
    try:
        load_classifier(kind)
        from .facts import parser

        for name in ("EDUCATION", "EDUCATION_AFTER", "EXPERIENCE", "NO_EXPERIENCE", "LEVEL"):
            parser(name)
    except Exception:  # noqa: BLE001 - the same error surfaces in the worker, per file, as it always did
        log.info("loading before the workers start failed; each worker loads for itself", exc_info=True)


def _worker_main(conn: Connection, classifier_kind: str, memory: int) -> None:
    """A worker process: load the classifier once (or take the parent's), then read paths and send back
    plain result dicts."""
    import resource
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers and says so
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    classifier = load_classifier(classifier_kind)
    from .readers import office

    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, KeyboardInterrupt):
                return
            if task is None:
                return
            paths = task if isinstance(task, list) else [task]
            for result in process_group(paths, classifier):
                conn.send(result.to_dict())
    finally:
        from .readers import office

        office.close()  # the worker's own LibreOffice profile


class _Slot:
    """One worker process and the file it is working on."""

    def __init__(self, ctx: Any, classifier_kind: str, memory: int):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, classifier_kind, memory), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.path = ""
        self.started = 0.0
        self.allowance = 0.0  # seconds on top of the per-file timeout (a group's conversion ahead)
        self.rest: deque[tuple[int, Path]] = deque()  # the files of its group still to come

    def give(self, task: list[tuple[int, Path]]) -> None:
        (self.index, path), self.rest = task[0], deque(task[1:])
        self.path, self.started = str(path), time.monotonic()
        self.allowance = _group_allowance(len(task)) if task[1:] else 0.0
        self.conn.send([str(p) for _, p in task] if task[1:] else self.path)

    def next_of_group(self) -> None:
        """The file after the one just done: the next of its group, or none."""
        if self.rest:
            self.index, path = self.rest.popleft()
            self.path, self.started, self.allowance = str(path), time.monotonic(), 0.0
        else:
            self.index = None

    def leftover(self) -> list[list[tuple[int, Path]]]:
        """The files of its group not started, as a group again (the file that stopped this worker is out)."""
        rest, self.rest = ([list(self.rest)] if self.rest else []), deque()
        return rest

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def run(
    files: Sequence[Path],
    classifier: str = "auto",
    workers: int = 1,
    timeout: float = FILE_TIMEOUT,
    memory: int = WORKER_MEMORY,
) -> Iterator[FileResult]:
    """Process files in isolated worker processes; yield one result per file, in the order of ``files``.

    A file that hangs past ``timeout`` seconds, exhausts ``memory`` bytes or kills its worker is recorded as
    failed and the worker is replaced; the others go on. The results do not depend on ``workers``.
    """
    if not files:
        return
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if ctx.get_start_method() == "fork":
        _load_before_fork(classifier)
    todo = deque(_tasks(files, workers))
    done: dict[int, FileResult] = {}
    slots = [_Slot(ctx, classifier, memory) for _ in range(max(1, min(workers, len(files))))]
    next_out = 0
    try:
        while next_out < len(files):
            for slot in slots:
                if slot.index is None and todo:
                    slot.give(todo.popleft())
            busy = {slot.conn: slot for slot in slots if slot.index is not None}
            for conn in wait(list(busy), timeout=0.5):
                slot = busy[conn]
                try:
                    done[slot.index] = FileResult.from_dict(conn.recv())
                except (EOFError, OSError):
                    slot.process.join(timeout=5)
                    code = slot.process.exitcode
                    reason = "out of memory" if code in (-9, 137) else f"the reader crashed (exit code {code})"
                    log.error("worker died on %s: exit code %s", slot.path, code)
                    done[slot.index] = FileResult(path=slot.path, status="failed", reason=reason)
                    todo.extendleft(reversed(slot.leftover()))
                    slots[slots.index(slot)] = _replace(slot, ctx, classifier, memory)
                    continue
                slot.next_of_group()
            now = time.monotonic()
            for k, slot in enumerate(slots):
                if slot.index is not None and now - slot.started > timeout + slot.allowance:
                    log.error("timed out on %s after %.0f s", slot.path, timeout)
                    done[slot.index] = FileResult(path=slot.path, status="failed",
                                                  reason=f"timed out after {timeout:.0f} s")
                    todo.extendleft(reversed(slot.leftover()))
                    slots[k] = _replace(slot, ctx, classifier, memory)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for slot in slots:
            slot.stop(kill=slot.index is not None)


#: Files a worker gets at once when they are read through LibreOffice: it converts them with one start
#: (measured on .doc job descriptions: 8 a start 7.6 docs/cpu-s, 16 13, 48 25).
OFFICE_GROUP = 48


def _tasks(files: Sequence[Path], workers: int = 1) -> list[list[tuple[int, Path]]]:
    """What the workers are given: one file at a time, except files read through LibreOffice (by suffix:
    .odt, and .doc/.rtf when ``JOBCLAUSES_DOC_READER=libreoffice``), which go in groups of up to
    ``OFFICE_GROUP``, smaller when there are too few to keep every worker busy."""
    from .readers.office import goes_through_libreoffice, soffice

    office = soffice() is not None
    through = [office and goes_through_libreoffice(p.suffix.lower().lstrip(".")) for p in files]
    size = max(1, min(OFFICE_GROUP, -(-sum(through) // max(1, workers))))
    tasks: list[list[tuple[int, Path]]] = []
    group: list[tuple[int, Path]] = []
    for item, lo in zip(enumerate(files), through, strict=True):
        if lo:
            group.append(item)
            if len(group) == size:
                tasks.append(group)
                group = []
        else:
            tasks.append([item])
    if group:
        tasks.append(group)
    return tasks


def _group_allowance(size: int) -> float:
    """Extra seconds for the first file of a group: the group's conversion, and the file-by-file retry of one
    file that hangs it (the conversion's own timeouts, :mod:`.readers.office`)."""
    from .readers.office import SECONDS_PER_FILE, STARTUP_SECONDS

    return 2 * STARTUP_SECONDS + SECONDS_PER_FILE * (size + 1)


def _replace(slot: _Slot, ctx: Any, classifier: str, memory: int) -> _Slot:
    slot.stop(kill=True)
    return _Slot(ctx, classifier, memory)


def run_in_process(files: Sequence[Path], classifier: Any) -> Iterator[FileResult]:
    """Process files in this process (no isolation): for engines that bring their own workers, and for tests."""
    yield from process_group(files, classifier)


class Journal:
    """Results of a run, appended as each file is done, so that a rerun after an interruption skips them.

    A file counts as done when its path and content hash match a journalled result produced by the same
    pipeline settings (``fingerprint``); anything else is processed again.
    """

    def __init__(self, path: Path, fingerprint: str):
        self.path = path
        self.fingerprint = fingerprint
        self.done: dict[str, FileResult] = {}
        self._lines: dict[str, str] = {}  # the loaded lines by path: reused as they are, not serialised again
        self._handle: Any = None

    def load(self) -> dict[str, FileResult]:
        if not self.path.exists():
            return {}
        lines = self.path.read_text(encoding="utf-8").splitlines()
        if not lines or json.loads(lines[0]).get("fingerprint") != self.fingerprint:
            return {}
        for line in lines[1:]:
            try:
                result = FileResult.from_dict(json.loads(line))
            except (ValueError, TypeError):
                break  # a line cut by the interruption: everything after it is redone
            if result.sha256:
                self.done[result.path] = result
                self._lines[result.path] = line + "\n"
        return self.done

    def reusable(self, path: Path) -> FileResult | None:
        prior = self.done.get(str(path))
        if prior is None:
            return None
        try:
            current = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
        return prior if current == prior.sha256 else None

    def open(self) -> None:
        """Start the journal afresh with the reused results, then keep it open for appending.

        The new journal is written beside the old one and renamed over it with one fsync: rewriting the old
        one in place took an fsync per line (seconds for thousands of files) and a kill meanwhile lost the
        lines not yet rewritten.
        """
        with atomic_write(self.path, encoding="utf-8") as handle:
            handle.write(json.dumps({"fingerprint": self.fingerprint}) + "\n")
            for result in self.done.values():
                handle.write(self._lines.get(result.path) or self._line(result))
        self._handle = self.path.open("a", encoding="utf-8")

    @staticmethod
    def _line(result: FileResult) -> str:
        return json.dumps(result.to_dict(), ensure_ascii=False) + "\n"

    def append(self, result: FileResult) -> None:
        self._handle.write(self._line(result))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def fingerprint(classifier: str) -> str:
    """What decides a file's result besides its bytes: the package version, the classifier and its model pack,
    and the code and vocabularies themselves (a rule changed between two runs of a development checkout must
    not let the second run resume from the first one's results)."""
    from . import __version__

    digest = hashlib.sha256(f"{__version__}:{classifier}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".txt", ".tsv") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    for meta in sorted((package.parent / "models").glob("*/meta.json")):
        digest.update(meta.read_bytes())
    return digest.hexdigest()[:16]
