"""Kill -9 in the middle of a batch, run it again, and compare with a run that was never interrupted.

Issue 7's proof of resume, on a mixed corpus (``bench/corpus.py``'s documents with a few bad files of
``tests/badfiles.py`` spread among them, so that failed and skipped files are part of the proof):

1. ``jobclauses extract`` runs uninterrupted into ``A``;
2. the same command into ``B`` is started in its own process group and gets SIGKILL (the whole group: the
   command and its workers) once its journal shows a random number of files done, somewhere in the middle;
3. the command into ``B`` is run again with the same arguments: it must reuse the journalled files;
4. every file of ``A`` and ``B`` is compared byte for byte.

Then the same for ``jobclauses import --db``, killed once its journal shows a random number of files read
(nothing is committed before the end): the rerun must reuse them, and the tables of the database and the
import's manifest must hold what the uninterrupted import wrote. The exit status is 1 on any difference or when a run was not interrupted.

    .venv/bin/python bench/resume_demo.py [--size 2000] [--workers 2] [--kill-seed N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

JOURNAL = ".jobclauses-journal.jsonl"

#: Files that legitimately differ between an interrupted-and-resumed run and an uninterrupted one.
EXCLUDED = {
    # Every run appends to the log (its lines carry the time): after a resume it holds both runs.
    "jobclauses.log": "timestamps; a resumed run's log holds the interrupted run's lines too",
}

#: Files whose lines are compared as a sorted list, with the reason.
UNORDERED = {JOURNAL: "lines compared in any order: it lists files in the order they were done, and a rerun "
                      "redoes the files that failed before the kill after the ones it reuses"}

#: Columns that legitimately differ between two imports of the same files.
EXCLUDED_COLUMNS = {("documents", "imported_at"): "the wall-clock time of the import"}


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------


def _badfiles():
    # tests/badfiles.py imports tests/docxgen.py as a top-level module, as pytest's rootdir import does.
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import badfiles
    finally:
        sys.path.remove(str(ROOT / "tests"))
    return badfiles


def bad_cases() -> list[tuple[str, Callable[[], bytes]]]:
    """(name suffix, bytes) of the bad files mixed into the corpus: each is cheap to make and to read."""
    b = _badfiles()
    return [
        ("empty.txt", b.empty),
        ("junk.txt", b.binary_junk),
        ("invalid utf8.txt", b.invalid_utf8),
        ("mixed encodings.txt", b.mixed_encodings),
        ("recipe.txt", lambda: b.RECIPE.encode("utf-8")),
        ("contract.txt", lambda: b.CONTRACT.encode("utf-8")),
        ("english.txt", lambda: b.ENGLISH.encode("utf-8")),
        ("cut.docx", b.corrupt_docx),
        ("secret.docx", b.encrypted_office),
        ("laughs.docx", b.entity_bomb_docx),
        ("nested tables.docx", b.nested_tables_docx),
        ("web page.doc", b.html_named_doc),
        ("scan.doc", b.pdf_named_doc),
    ]


def make_corpus(folder: Path, size: int, seed: int = 1) -> list[Path]:
    """``size`` files: generated instructions, the bad cases and one duplicate spread evenly among them."""
    folder.mkdir(parents=True, exist_ok=True)
    material = corpus.load_material()
    specials = bad_cases()[: max(0, size // 6)]  # a tiny corpus keeps most of its files good
    step = size // (len(specials) + 2)
    at = {step * (k + 1): case for k, case in enumerate(specials)}
    paths = []
    for index in range(size):
        if index in at:
            suffix, make = at[index]
            path, data = folder / f"{index:06d} bad {suffix}", make()
        elif index == size - 1 and size > 2:  # the same bytes as the first document, under another name
            first = corpus.document(0, seed, material)
            path, data = folder / f"{index:06d} copy of {first.name}", first.data
        else:
            doc = corpus.document(index, seed, material)
            path, data = folder / doc.name, doc.data
        path.write_bytes(data)
        paths.append(path)
    return sorted(paths)


# ---------------------------------------------------------------------------------------------
# Running and killing the command
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """What every run of a demonstration shares: the inputs, the code that runs, its arguments."""

    inputs: Path
    work: Path
    code: Path  # a copy of the package: the checkout may change under a demo that runs for minutes
    workers: int = 2
    classifier: str = "auto"

    @property
    def files(self) -> int:
        return len(list(self.inputs.iterdir()))

    def command(self, kind: str, target: Path) -> list[str]:
        where = ["--out", str(target)] if kind == "extract" else ["--db", str(target)]
        return [sys.executable, "-m", "pipeline", kind, str(self.inputs), *where, "-q",
                "--workers", str(self.workers), "--classifier", self.classifier]

    def env(self) -> dict[str, str]:
        return dict(os.environ, PYTHONPATH=str(self.code))


def snapshot_code(target: Path) -> Path:
    """The package and its model pack as they are now, copied: every run of the demo runs the same code."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pipeline", "models"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, target / name, ignore=ignore, dirs_exist_ok=True)
    return target


class LineCounter:
    """Complete lines of a file that grows, counted from where the last look stopped (it may be 50 MB)."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.lines = path, 0, 0

    def count(self) -> int:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
        except FileNotFoundError:
            return 0
        self.lines += chunk.count(b"\n")
        self.offset += len(chunk)
        return self.lines


def journal_done(out: Path) -> int:
    """Files the journal records as done: complete lines after the header line."""
    return max(0, LineCounter(out / JOURNAL).count() - 1)


@dataclass
class Killed:
    seconds: float  # from the start of the command to the SIGKILL
    still_running: bool  # the command had not exited by itself when it was killed
    group_gone: bool  # no process of its group is left


class Started:
    """A command started in a session of its own, its standard error collected line by line as it comes."""

    def __init__(self, setup: Setup, cmd: Sequence[str]) -> None:
        # The session's process group holds the command, its workers and any LibreOffice they start.
        self.proc = subprocess.Popen(cmd, cwd=setup.code, env=setup.env(), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.errors: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:  # type: ignore[union-attr]
            self.errors.append(line.rstrip("\n"))


def kill_when(started: Started, ready: Callable[[], bool], began: float, limit: float = 600) -> Killed:
    """SIGKILL the process group of the command as soon as ``ready()`` holds."""
    proc = started.proc
    while not ready() and proc.poll() is None and time.monotonic() - began < limit:
        time.sleep(0.005)
    still_running = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    seconds = time.monotonic() - began
    proc.wait()
    gone = _group_gone(proc.pid)
    started._reader.join(timeout=10)
    return Killed(seconds, still_running, gone)


def _group_gone(pgid: int, wait: float = 10.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def run_to_end(setup: Setup, cmd: Sequence[str]) -> tuple[str, str, float]:
    """The command's standard output and error and its wall time; exit status 1 (some files failed) is expected."""
    began = time.monotonic()
    done = subprocess.run(cmd, cwd=setup.code, env=setup.env(), capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return done.stdout, done.stderr, time.monotonic() - began


def already_done(stdout: str) -> int:
    found = re.search(r"\((\d+) already done\)", stdout)
    return int(found.group(1)) if found else 0


# ---------------------------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------------------------


def compare_folders(a: Path, b: Path) -> tuple[list[str], list[str]]:
    """(files compared, differences): every file of either folder but the excluded ones, byte for byte."""
    names = sorted({str(p.relative_to(a)) for p in a.rglob("*") if p.is_file()}
                   | {str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()})
    compared, differences = [], []
    for name in names:
        if name in EXCLUDED:
            continue
        compared.append(name)
        left, right = a / name, b / name
        if not (left.is_file() and right.is_file()):
            differences.append(f"{name}: only in {'A' if left.is_file() else 'B'}")
        elif _contents(left, name) != _contents(right, name):
            differences.append(f"{name}: contents differ")
    return compared, differences


def _contents(path: Path, name: str) -> bytes | list[bytes]:
    data = path.read_bytes()
    return sorted(data.splitlines(keepends=True)) if name in UNORDERED else data


def table_rows(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the excluded columns."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {}
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall():
            columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()
                       if (table, row[0]) not in EXCLUDED_COLUMNS]
            names = ", ".join(f'"{c}"' for c in columns)
            tables[table] = con.execute(f"SELECT {names} FROM {table} ORDER BY ALL").fetchall()
        return tables
    finally:
        con.close()


def compare_databases(a: Path, b: Path) -> tuple[list[str], list[str]]:
    """(tables compared, differences): every table of either database, row for row."""
    left, right = table_rows(a), table_rows(b)
    tables = sorted(set(left) | set(right))
    differences = [f"table {t}: {len(left.get(t, []))} rows in A, {len(right.get(t, []))} in B, contents differ"
                   for t in tables if left.get(t) != right.get(t)]
    return [f"{t} ({len(left.get(t, []))} rows)" for t in tables], differences


def manifest_totals(out: Path) -> Counter:
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    return Counter(row["status"] for row in rows)


def manifest_paths(out: Path) -> list[str]:
    return [json.loads(line)["path"] for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def leftovers(folder: Path, kept: Sequence[str] = (JOURNAL,)) -> list[str]:
    """Files an interrupted run left but ``kept`` and the log: final outputs (there must be none) and
    temporary ones."""
    return sorted(p.name for p in folder.iterdir() if p.name not in (*kept, "jobclauses.log"))


# ---------------------------------------------------------------------------------------------
# The two demonstrations
# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one kill-and-resume demonstration saw; ``problems`` empty means it proved its point."""

    command: str
    files: int
    seconds_full: float = 0.0
    seconds_rerun: float = 0.0
    killed: Killed | None = None
    done_before_kill: int = 0
    resumed: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    compared: list[str] = field(default_factory=list)
    left_after_kill: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.problems


def kill_target(files: int, rng: random.Random) -> int:
    """How many files the journal shows when the kill comes: somewhere in the middle, never the ends."""
    low, high = max(1, files * 15 // 100), max(2, files * 85 // 100)
    return rng.randint(low, high)


def demo_extract(setup: Setup, rng: random.Random, kill_at: int | None = None) -> Outcome:
    """Kill the extract once its journal shows ``kill_at`` files done (default: a random number)."""
    files = setup.files
    full, resumed = setup.work / "extract-A", setup.work / "extract-B"
    outcome = Outcome("extract", files)
    *_, outcome.seconds_full = run_to_end(setup, setup.command("extract", full))
    outcome.totals = dict(manifest_totals(full))
    if sorted(manifest_paths(full)) != sorted(str(p) for p in setup.inputs.iterdir()):
        outcome.problems.append(f"the manifest does not list each of the {files} inputs once: {outcome.totals}")

    target = kill_at if kill_at is not None else kill_target(files, rng)
    cmd = setup.command("extract", resumed)
    began = time.monotonic()
    counter = LineCounter(resumed / JOURNAL)
    outcome.killed = kill_when(Started(setup, cmd), lambda: counter.count() - 1 >= target, began)
    outcome.done_before_kill = journal_done(resumed)
    outcome.left_after_kill = leftovers(resumed)
    if not outcome.killed.still_running or outcome.done_before_kill >= files:
        outcome.problems.append("the run finished before the kill: nothing was interrupted")
    if outcome.left_after_kill:
        outcome.problems.append(f"files under final names after the kill: {outcome.left_after_kill}")
    _check_group(outcome)

    stdout, _, outcome.seconds_rerun = run_to_end(setup, cmd)
    outcome.resumed = already_done(stdout)
    if not outcome.resumed:
        outcome.problems.append("the rerun reused no file of the interrupted run")
    outcome.compared, differences = compare_folders(full, resumed)
    outcome.problems += differences
    return outcome


def demo_import(setup: Setup, rng: random.Random, kill_at: int | None = None) -> Outcome:
    """Kill the import once its journal shows ``kill_at`` files read (default: a random number).

    The import commits once, at the end: the files read before the kill are in its journal only, and the
    rerun must reuse them.
    """
    full = setup.work / "import-A" / "catalogue.duckdb"
    resumed = setup.work / "import-B" / "catalogue.duckdb"
    outcome = Outcome("import", setup.files)
    stdout, _, outcome.seconds_full = run_to_end(setup, setup.command("import", full))
    outcome.totals = import_totals(stdout)
    if sum(outcome.totals.values()) != outcome.files:
        outcome.problems.append(f"the import's totals do not add up to {outcome.files} files: {outcome.totals}")

    target = kill_at if kill_at is not None else kill_target(setup.files, rng)
    cmd = setup.command("import", resumed)
    began = time.monotonic()
    counter = LineCounter(import_journal(resumed))
    outcome.killed = kill_when(Started(setup, cmd), lambda: counter.count() - 1 >= target, began)
    outcome.done_before_kill = max(0, LineCounter(import_journal(resumed)).count() - 1)
    # The database file (and its write-ahead log) exists from the start, empty until the commit.
    outcome.left_after_kill = leftovers(resumed.parent, (import_journal(resumed).name, resumed.name,
                                                         f"{resumed.name}.wal"))
    if not outcome.killed.still_running:
        outcome.problems.append("the import finished before the kill: nothing was interrupted")
    if stored_documents(resumed):
        outcome.problems.append(f"{stored_documents(resumed)} documents in the database after the kill")
    _check_group(outcome)

    stdout, _, outcome.seconds_rerun = run_to_end(setup, cmd)
    outcome.resumed = already_done(stdout)
    if not outcome.resumed:
        outcome.problems.append("the rerun reused no file of the interrupted import")
    if import_journal(resumed).exists():
        outcome.problems.append("the journal is still there after the import committed")
    outcome.compared, differences = compare_databases(full, resumed)
    outcome.problems += differences
    manifest = f"{full.stem}.manifest.jsonl"
    outcome.compared.append(manifest)
    if (full.parent / manifest).read_bytes() != (resumed.parent / manifest).read_bytes():
        outcome.problems.append(f"{manifest}: contents differ")
    return outcome


def import_journal(db: Path) -> Path:
    """Where ``jobclauses import --db DB`` keeps the files it has read until it commits."""
    return db.parent / f".{db.name}.journal.jsonl"


def _check_group(outcome: Outcome) -> None:
    if outcome.killed is not None and not outcome.killed.group_gone:
        outcome.problems.append("a process of the killed group survived")


def import_totals(stdout: str) -> dict[str, int]:
    """The counts of the import's summary line: added, replaced, unchanged, skipped, failed."""
    return {word: int(n) for n, word in re.findall(r"(\d+) (added|replaced|unchanged|skipped|failed)", stdout)}


def stored_documents(db: Path) -> int:
    """Documents committed to the database (0 when the kill came before it was created)."""
    if not db.exists():
        return 0
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
    except duckdb.CatalogException:  # killed before the tables were created
        return 0
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------


def summary(outcome: Outcome) -> list[str]:
    k = outcome.killed
    totals = ", ".join(f"{outcome.totals.get(s, 0)} {s}" for s in _statuses(outcome))
    done = "files journalled" if outcome.command == "extract" else "files journalled (0 documents committed)"
    lines = [
        f"{outcome.command}: {outcome.files} files: {totals} (sum {sum(outcome.totals.values())})",
        f"  uninterrupted run {outcome.seconds_full:.1f} s",
        f"  kill -9 after {k.seconds:.1f} s: {outcome.done_before_kill} {done} before the kill; "
        f"command still running: {_yes(k.still_running)}; process group gone: {_yes(k.group_gone)}; "
        f"files left by the killed run: {', '.join(outcome.left_after_kill) or 'nothing'}",
        f"  rerun {outcome.seconds_rerun:.1f} s: {outcome.resumed} files reused{_redone(outcome)}",
        f"  compared: {', '.join(outcome.compared)}",
        f"  identical: {_yes(outcome.identical)}",
    ]
    lines += [f"  PROBLEM: {p}" for p in outcome.problems]
    return lines


def _redone(outcome: Outcome) -> str:
    redone = outcome.done_before_kill - outcome.resumed
    return f" ({redone} journalled files that failed before they were hashed are read again)" if redone else ""


def _statuses(outcome: Outcome) -> tuple[str, ...]:
    if outcome.command == "extract":
        return ("ok", "skipped", "failed")
    return ("added", "replaced", "unchanged", "skipped", "failed")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def demo(size: int, work: Path, kill_seed: int, workers: int = 2, classifier: str = "auto",
         commands: Sequence[str] = ("extract", "import")) -> Iterator[Outcome]:
    """Make the corpus and a copy of the code in ``work``, then run the demonstrations named in ``commands``."""
    setup = Setup(work / "corpus", work, snapshot_code(work / "code"), workers, classifier)
    make_corpus(setup.inputs, size)
    rng = random.Random(kill_seed)
    if "extract" in commands:
        yield demo_extract(setup, rng)
    if "import" in commands:
        yield demo_import(setup, rng)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--classifier", default="auto", choices=["auto", "model", "rules"])
    parser.add_argument("--kill-seed", type=int, help="seed of the kill moments (default: random)")
    parser.add_argument("--only", choices=["extract", "import"], help="one of the two demonstrations")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    kill_seed = args.kill_seed if args.kill_seed is not None else random.SystemRandom().randrange(10**6)
    work = args.keep or Path(tempfile.mkdtemp(prefix="jobclauses-resume-"))
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
    commands = (args.only,) if args.only else ("extract", "import")
    outcomes: list[Outcome] = []
    try:
        print(f"resume demo: {args.size} files, {args.workers} workers, classifier {args.classifier}, "
              f"kill seed {kill_seed}", flush=True)
        for outcome in demo(args.size, work, kill_seed, args.workers, args.classifier, commands):
            print("\n".join(summary(outcome)), flush=True)
            outcomes.append(outcome)
        for name, why in EXCLUDED.items():
            print(f"not compared: {name} ({why})")
        for name, why in UNORDERED.items():
            print(f"{name}: {why}")
        for (table, column), why in EXCLUDED_COLUMNS.items():
            print(f"not compared: {table}.{column} ({why})")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    ok = all(o.identical for o in outcomes)
    print("identical after kill -9 and rerun: " + _yes(ok))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
