"""The command line: parse arguments, call the stages, draw progress, choose the exit status.

Exit status: 0 when every input was read, 1 when some failed (everything else is still written), 2 on bad usage
(a missing input, an output that is a file where a folder is needed, a database that cannot be opened, a bad
number), 130 when interrupted (Ctrl-C: run the same command again to continue). Every error is one line on
standard error naming the file or argument, never a traceback (``JOBCLAUSES_DEBUG=1`` shows it); the details
of a file that failed go to the log of ``extract`` and ``import``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad usage: the message is one line naming the argument or file; exit status 2."""


class Interrupted(Exception):
    """Ctrl-C, with what was done before it; exit status 130."""


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text} is not above 0")
        return value

    parse.__name__ = f"positive {kind.__name__}"
    return parse


def _inputs_exist(inputs: list[str]) -> None:
    for item in inputs:
        if not (Path(item).exists() or Path(item).is_symlink()):
            raise UsageError(f"{item}: no such file or folder")


def _out_folder(path: str) -> Path:
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: is a file, not a folder (--out names the folder to write into)")
    return out


def _out_file(path: str, option: str) -> Path:
    out = Path(path)
    if out.is_dir():
        raise UsageError(f"{out}: is a folder ({option} names the file to write)")
    return out


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: reading back a large extract makes millions of objects and
    no cycles, and the collector's passes over them cost a quarter of the import's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _store(db: str | Path, read_only: bool = False) -> Any:
    from .catalogue.store import Store, StoreError

    try:
        return Store(db, read_only=read_only)
    except StoreError as error:
        raise UsageError(str(error)) from None


def _progress(iterable, total: int, enabled: bool, desc: str):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="file", file=sys.stderr, dynamic_ncols=True)


def _setup_log(out: Path, args: argparse.Namespace) -> None:
    """Full details (tracebacks) go to a log file, never to the terminal.

    The log is appended to, each run starting with a line of its own: a rerun after an interruption must not
    erase the tracebacks of the files the first run failed on.
    """
    import datetime as dt
    import shlex

    out.mkdir(parents=True, exist_ok=True)
    try:
        handler = logging.FileHandler(out / "jobclauses.log", mode="a", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{out / 'jobclauses.log'}: cannot write the log: {error.strerror or error}") from None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("jobclauses")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    logger.info("=== run started %s: jobclauses %s", started, shlex.join(getattr(args, "argv", [])))


def cmd_extract(args: argparse.Namespace) -> int:
    from .batch import Journal, collect_inputs, fingerprint, load_classifier, run
    from .classify.model import PackError

    out = _out_folder(args.out)
    _inputs_exist(args.inputs)
    if args.db:
        _store(args.db).close()  # fail now, not after the batch, when the database cannot be opened
    files, early = collect_inputs(args.inputs)
    if not files and not early:
        raise UsageError(f"no documents found in {', '.join(args.inputs)} (looked for "
                         ".txt .md .docx .doc .rtf .odt .html)")
    _setup_log(out, args)
    if args.engine == "dask":
        from .engines.dask import run_dask

        try:
            summary = run_dask(args.inputs, out, scheduler=args.scheduler, classifier=args.classifier)
        except (OSError, TimeoutError) as error:
            raise UsageError(f"cannot reach the Dask scheduler: {error}") from None
        print(", ".join(f"{k} {v}" for k, v in summary.items()) + f" -> {out}/")
        if args.db:
            from . import rundir

            results, _ = rundir.load(out)
            print(_import_line(_import_results(args.db, results), args.db))
        return EXIT_SOME_FAILED if summary.get("failed") else EXIT_OK
    try:
        load_classifier(args.classifier)  # fail here, once, with a clear message; the workers inherit it
    except (PackError, ValueError) as error:
        raise UsageError(str(error)) from None

    # Resume: files already done by an interrupted run with the same settings are not processed again.
    journal = Journal(out / ".jobclauses-journal.jsonl", fingerprint(args.classifier))
    journal.load()
    results = list(early)
    reused = [r for r in (journal.reusable(f) for f in files) if r is not None]
    reused_paths = {r.path for r in reused}
    todo = [f for f in files if str(f) not in reused_paths]
    results += reused
    journal.done = {r.path: r for r in reused}
    journal.open()
    show = sys.stderr.isatty() and not args.quiet
    try:
        stream = run(todo, args.classifier, workers=args.workers, timeout=args.timeout)
        for result in _progress(stream, len(todo), show, "extract"):
            if result.status == "failed":
                print(f"jobclauses: {result.path}: {result.reason}", file=sys.stderr)
            journal.append(result)
            results.append(result)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted after {len(results)} of {len(files) + len(early)} files; "
                          "run the same command again to continue") from None
    finally:
        journal.close()
    results.sort(key=lambda r: r.path)
    stored = _import_results(args.db, results) if args.db else None
    rows = _write_extract(out, results, args.db)

    status = Counter(r.status for r in results)
    labels = Counter(row["label"] for row in rows["clauses"])
    flagged = sum(row["needs_review"] for row in rows["clauses"])
    flagged_instructions = sum(row["needs_review"] for row in rows["instructions"])
    resumed = f" ({len(reused)} already done)" if reused else ""
    print(
        f"{len(results)} files{resumed}: {status['ok']} ok, {status['skipped']} skipped, {status['failed']} failed; "
        f"{len(rows['instructions'])} instructions, {len(rows['clauses'])} clauses "
        f"({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))}); "
        f"{flagged} clauses and {flagged_instructions} instructions need review -> {out}/"
    )
    if stored is not None:
        print(_import_line(stored, args.db))
    return EXIT_SOME_FAILED if status["failed"] else EXIT_OK


def _write_extract(out: Path, results: list[Any], db: str | None) -> dict[str, list[dict[str, Any]]]:
    """Write the tables of an extract; every clause carries its canonical clause: the run's own catalogue
    (saved beside the tables for ``import OUT``), or the database's when the results went into one."""
    import dataclasses

    from .catalogue import build
    from .catalogue.store import RUN_CATALOGUE, save_run_catalogue
    from .export.tables import CLAUSE_COLUMNS, clause_row, instruction_row, write_csv, write_jsonl

    # Keyed by path as the database keys them: two folders may hold files of the same name.
    positions = {(r.path, i.index): i.position for r in results for i in r.instructions}
    own = [(r.path, c) for r in results for c in r.clauses]
    to_build = [dataclasses.replace(c, source=path) for path, c in own]
    if db:
        with _store(db, read_only=True) as store:
            existing = store.load_catalogue()
        built, _ = build(to_build, positions, existing)  # every key is stored by now: the database's ids
        (out / RUN_CATALOGUE).unlink(missing_ok=True)
    else:
        built, catalogue = build(to_build, positions)
        save_run_catalogue(out / RUN_CATALOGUE, own, positions, catalogue)
    clause_rows = [clause_row(dataclasses.replace(c, canonical_id=b.canonical_id),
                              positions.get((path, c.instruction), ""), path)
                   for (path, c), b in zip(own, built, strict=True)]
    instruction_rows = []
    for r in results:
        facts = {row["instruction"]: row for row in r.facts}
        for i in r.instructions:
            extra = {k: v for k, v in facts.get(i.index, {}).items() if k not in ("source", "instruction", "position")}
            instruction_rows.append(instruction_row(i, r.path) | extra)
    write_jsonl(out / "clauses.jsonl", clause_rows)
    write_csv(out / "clauses.csv", clause_rows, CLAUSE_COLUMNS)
    write_jsonl(out / "instructions.jsonl", instruction_rows)
    write_jsonl(out / "manifest.jsonl", (r.manifest() for r in results))
    return {"clauses": clause_rows, "instructions": instruction_rows}


def _import_results(db: str | Path, results: list[Any], prebuilt: Any = None) -> Any:
    """Store the ok results in the database in one transaction."""
    with _store(db) as store:
        return store.import_documents(
            ((r.manifest(), r.instructions, r.clauses, r.facts) for r in results if r.status == "ok"), prebuilt)


def _import_line(summary: Any, db: str | Path) -> str:
    return (f"stored in {db}: {summary.added} added, {summary.replaced} replaced, {summary.unchanged} unchanged; "
            f"{_catalogue_counts(summary)}")


def _catalogue_counts(summary: Any) -> str:
    """What an import added to the catalogue: clauses, new canonical clauses (provisions) and variants, and
    the new wordings that fitted several canonical clauses (each one is in the log)."""
    ambiguous = (f" ({summary.ambiguous} new wordings fit several canonical clauses: see jobclauses.log)"
                 if summary.ambiguous else "")
    return (f"{summary.clauses} clauses, {summary.new_canonical} new canonical clauses, "
            f"{summary.new_variants} new variants{ambiguous}")


def cmd_import(args: argparse.Namespace) -> int:
    from . import rundir
    from .batch import collect_inputs

    db = Path(args.db)
    if args.manifest:
        _out_file(args.manifest, "--manifest")
    _inputs_exist(args.inputs)
    folders = [item for item in args.inputs if rundir.is_run_dir(item)]
    if folders and len(folders) < len(args.inputs):
        raise UsageError("give either folders written by `jobclauses extract` or documents, not both: "
                         + ", ".join(folders))
    # Everything that can be said without the database is said before it is opened (or created).
    if folders:
        with _no_cyclic_gc():
            results, prebuilt = [], None
            for folder in folders:
                try:
                    found, prebuilt = rundir.load(folder)
                except rundir.RunDirError as error:
                    raise UsageError(str(error)) from None
                results += found
            with _store(db) as store:
                _setup_log(db.parent, args)
                return _import_run_dirs(args, store, folders, results, prebuilt if len(folders) == 1 else None)
    files, early = collect_inputs(args.inputs)
    if not files and not early:
        raise UsageError(f"no documents found in {', '.join(args.inputs)}")
    with _store(db) as store:  # opened before any reading: a database that cannot be opened fails first
        _setup_log(db.parent, args)
        return _import_files(args, store, files, early)


def _import_run_dirs(args: argparse.Namespace, store: Any, folders: list[str], results: list[Any],
                     prebuilt: Any) -> int:
    """Import what extract wrote, without reading a document again."""
    from .export.tables import write_jsonl

    for r in results:
        if r.status == "failed":
            print(f"jobclauses: {r.path}: {r.reason}", file=sys.stderr)
    db = store.path
    current = store.current()
    unchanged = {r.path for r in results if r.status == "ok" and current.get(r.path) == r.sha256}
    summary = store.import_documents(
        ((r.manifest(), r.instructions, r.clauses, r.facts) for r in results if r.status == "ok"), prebuilt)
    rows = [r.manifest() | ({"reason": "unchanged: already in the database"} if r.path in unchanged else {})
            for r in results]
    manifest = Path(args.manifest) if args.manifest else db.with_name(f"{db.stem}.manifest.jsonl")
    write_jsonl(manifest, sorted(rows, key=lambda row: row["path"]))
    status = Counter(r.status for r in results)
    reused = "; the run's catalogue taken as built" if summary.reused_catalogue else ""
    print(
        f"{len(results)} files from {', '.join(folders)}: {summary.added} added, {summary.replaced} replaced, "
        f"{summary.unchanged} unchanged, {status['skipped']} skipped, {status['failed']} failed; "
        f"{_catalogue_counts(summary)}{reused} "
        f"-> {db}; manifest {manifest}"
    )
    return EXIT_SOME_FAILED if status["failed"] else EXIT_OK


def _import_files(args: argparse.Namespace, store: Any, files: list[Path], early: list[Any]) -> int:
    import hashlib

    from .batch import Journal, fingerprint, run
    from .export.tables import write_jsonl

    for r in early:
        print(f"jobclauses: {r.path}: {r.reason}", file=sys.stderr)
    db = store.path
    # Files already in the database with the same content (and their facts) are not read again.
    stored = store.current()
    todo = []
    for f in files:
        try:
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        if stored.get(str(f)) != digest:
            todo.append(f)
    unchanged = sorted(set(files) - set(todo))

    # Resume: the database gets everything in one transaction at the end, so the files read by an
    # interrupted import are kept in a journal beside it and not read again.
    journal = Journal(db.parent / f".{db.name}.journal.jsonl", fingerprint(args.classifier))
    journal.load()
    reused = {r.path: r for r in (journal.reusable(f) for f in todo) if r is not None}
    journal.done = reused
    journal.open()
    read_now = {}
    show = sys.stderr.isatty() and not args.quiet
    try:
        stream = run([f for f in todo if str(f) not in reused], args.classifier, workers=args.workers)
        for result in _progress(stream, len(todo) - len(reused), show, "import"):
            if result.status == "failed":
                print(f"jobclauses: {result.path}: {result.reason}", file=sys.stderr)
            journal.append(result)
            read_now[result.path] = result
    except KeyboardInterrupt:
        done = len(unchanged) + len(reused) + len(read_now)
        raise Interrupted(f"interrupted after {done} of {len(files)} files (nothing stored yet); "
                          "run the same command again to continue") from None
    finally:
        journal.close()
    results = [reused.get(str(f)) or read_now[str(f)] for f in todo]  # in input order, as without a resume
    summary = store.import_documents(
        (r.manifest(), r.instructions, r.clauses, r.facts) for r in results if r.status == "ok")
    rows = [*(r.manifest() for r in early + results), *_unchanged_rows(store, unchanged)]
    journal.path.unlink(missing_ok=True)  # committed: nothing left to resume
    manifest = Path(args.manifest) if args.manifest else db.with_name(f"{db.stem}.manifest.jsonl")
    write_jsonl(manifest, sorted(rows, key=lambda row: row["path"]))

    status = Counter(r.status for r in early + results)
    resumed = f" ({len(reused)} already done)" if reused else ""
    print(
        f"{len(files) + len(early)} files{resumed}: {summary.added} added, {summary.replaced} replaced, "
        f"{len(unchanged) + summary.unchanged} unchanged, {status['skipped']} skipped, "
        f"{status['failed']} failed; {_catalogue_counts(summary)} "
        f"-> {db}; manifest {manifest}"
    )
    return EXIT_SOME_FAILED if status["failed"] else EXIT_OK


def _unchanged_rows(store: Any, unchanged: list[Path]) -> list[dict[str, Any]]:
    """Manifest rows of the files the database already holds with the same content, from what it stored."""
    if not unchanged:
        return []
    documents = store.documents().set_index("path")
    rows = []
    for f in unchanged:
        d = documents.loc[str(f)]
        rows.append({
            "path": str(f), "source": f.name, "status": "ok", "reason": "unchanged: already in the database",
            "format": d["format"], "reader": d["reader"], "encoding": d["encoding"], "sha256": d["sha256"],
            "instructions": int(d["instructions"]), "clauses": int(d["clauses"]), "warnings": [],
        })
    return rows


def cmd_catalogue(args: argparse.Namespace) -> int:
    from .export.catalogue import export_catalogue

    out = _out_folder(args.out)
    with _store(args.db, read_only=True) as store:
        paths = export_catalogue(store, out)
    print("\n".join(str(p) for p in paths))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from . import classify
    from .compare import compare_file, compare_file_template
    from .export.template import TemplateError

    _inputs_exist([args.file])
    if not args.template and (args.position or args.exact or args.threshold is not None):
        raise UsageError("--position, --threshold and --exact go with --template")
    with _store(args.db, read_only=True) as store:
        try:
            if args.template:
                comparisons = compare_file_template(args.file, store, classify.load(args.classifier), args.position or "",
                                                    args.threshold if args.threshold is not None else 0.5, args.exact)
            else:
                comparisons = compare_file(args.file, store, classify.load(args.classifier))
        except TemplateError as error:
            raise UsageError(f"{args.db}: {error}") from None
        except ValueError as error:  # the message names the file
            print(f"jobclauses: {error}", file=sys.stderr)
            return EXIT_SOME_FAILED
    for comparison in comparisons:
        print(comparison.format_text())
    return EXIT_OK


def cmd_corrections_apply(args: argparse.Namespace) -> int:
    from .corrections import CorrectionsError, apply_file, read_edits

    _inputs_exist([args.file])
    if Path(args.file).is_dir():
        raise UsageError(f"{args.file}: is a folder (give the edited catalogue.xlsx or a CSV file)")
    if not Path(args.db).exists() and not Path(args.db).is_symlink():
        raise UsageError(f"{args.db}: no such database: run `jobclauses import` first")
    try:
        read_edits(args.file)  # a file that is no workbook of corrections fails before the database is opened
        with _store(args.db) as store:
            applied = apply_file(args.file, store)
    except CorrectionsError as error:
        raise UsageError(str(error)) from None
    for problem in applied.problems:
        print(f"jobclauses: {args.file}: {problem}", file=sys.stderr)
    print(applied.line(args.file, args.db))
    return EXIT_SOME_FAILED if applied.problems else EXIT_OK


def cmd_corrections_list(args: argparse.Namespace) -> int:
    from .corrections import statuses

    with _store(args.db, read_only=True) as store:
        found = statuses(store, include_superseded=args.all)
    for status in found:
        print(status.line())
    if not found:
        print(f"no corrections in {args.db}")
    return EXIT_OK


def _share_arg(text: str) -> float:
    """A share: 0.5, 50% or 50 (percent)."""
    raw = text.strip()
    try:
        value = float(raw.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share (0.5 or 50%)") from None
    if raw.endswith("%") or value > 1:
        value /= 100
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1 (or 100%)")
    return value


def cmd_template(args: argparse.Namespace) -> int:
    from .export.template import TemplateError, summary_line, template_from_store, write_docx

    out = _out_file(args.out, "--out")
    if not args.position.strip():
        raise UsageError("--position: empty")
    with _store(args.db, read_only=True) as store:
        try:
            template = template_from_store(store, args.position, args.threshold, args.exact, args.appendix_min)
        except TemplateError as error:
            raise UsageError(f"{args.db}: {error}") from None
    write_docx(template, out)
    print(summary_line(template, out))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .export.report import write_report

    out = _out_file(args.out, "--out")
    with _store(args.db, read_only=True) as store:
        print(write_report(store, out))
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    from .readers import ReadError, read

    _inputs_exist([args.file])
    try:
        document = read(args.file)
    except ReadError as error:
        print(f"jobclauses: {args.file}: {error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    if args.blocks:
        for block in document.blocks:
            print(block.to_json())
    else:
        from .readers.render import as_text

        sys.stdout.write(as_text(document))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from .readers import ReadError, read
    from .structure.debug import render_debug

    _inputs_exist([args.file])
    try:
        document = read(args.file)
    except ReadError as error:
        print(f"jobclauses: {args.file}: {error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    sys.stdout.write(render_debug(document))
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from evaluation.clauses import evaluate, evaluate_clusters, load_predictions

    gold, pred = Path(args.gold), Path(args.pred)
    if not gold.exists():
        raise UsageError(f"{gold}: no such folder")
    if not gold.is_dir():
        raise UsageError(f"{gold}: is a file, not a folder (--gold names a folder of *.gold.jsonl files)")
    if not any(gold.glob("*.gold.jsonl")):
        raise UsageError(f"{gold}: no *.gold.jsonl files in it")
    if pred.is_dir() and (pred / "clauses.jsonl").is_file():
        pred = pred / "clauses.jsonl"  # the folder extract wrote
    if not pred.exists():
        raise UsageError(f"{pred}: no such file")
    if pred.is_dir():
        raise UsageError(f"{pred}: is a folder without clauses.jsonl (--pred names the clauses.jsonl of extract)")
    if args.json:
        _out_file(args.json, "--json")
    try:
        predictions = load_predictions(pred)
    except (ValueError, UnicodeDecodeError) as error:
        why = str(error).splitlines()[0] if str(error) else type(error).__name__
        if why.startswith(f"{pred}:"):  # said once: `PRED:3: not JSON` -> `line 3: not JSON`
            why = "line " + why[len(f"{pred}:"):].lstrip()
        raise UsageError(f"{pred}: not the clauses.jsonl of extract ({why})") from None
    report = evaluate(gold, predictions)
    print(report.table(per_document=args.per_document))
    if list(gold.glob("*.clusters.jsonl")):
        print(evaluate_clusters(gold, predictions).table())
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from evaluation import train

    argv = ["--out", args.out] if args.out else []
    if args.db:
        _store(args.db, read_only=True).close()  # one line now if it cannot be opened, not after the training
        argv += ["--corrections", args.db]
    if args.no_textcat:
        argv.append("--no-textcat")
    return train.main(argv)


def cmd_explain(args: argparse.Namespace) -> int:
    from . import classify

    if not args.text.strip():
        raise UsageError("explain: the clause text is empty")
    clause = classify.explain(args.text, section_type=args.section or "", lead_in=args.lead_in or "")
    print(f"{clause.label}\t{clause.confidence:.2f}\t{clause.reason}")
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error: what is wrong and where to look, not the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jobclauses",
        description="Turn Russian job descriptions into structured, classified clauses.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="read files or folders and write clause tables")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (searched recursively)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--classifier", default="auto", choices=["auto", "model", "rules"])
    p.add_argument("--workers", type=_positive(int), default=os.cpu_count() or 1,
                   help="worker processes (default: the number of cores)")
    p.add_argument("--timeout", type=_positive(float), default=300.0,
                   help="seconds one file may take before it is failed")
    p.add_argument("--db", help="also store the results in this catalogue database (as `import OUT` would)")
    p.add_argument("--engine", default="local", choices=["local", "dask"],
                   help="local worker processes, or a Dask cluster (writes partitioned Parquet too)")
    p.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("import", help="add files, or what extract wrote, to the catalogue database "
                                      "(unchanged files are skipped)")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files or folders (searched recursively), or folders written by extract (their tables "
                        "are stored without reading a document again)")
    p.add_argument("--db", default="out/catalogue.duckdb", help="DuckDB file (default: out/catalogue.duckdb)")
    p.add_argument("--classifier", default="auto", choices=["auto", "model", "rules"])
    p.add_argument("--workers", type=_positive(int), default=os.cpu_count() or 1)
    p.add_argument("--manifest", help="what happened to every input file, JSON Lines "
                                      "(default: beside the database, <name>.manifest.jsonl)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("catalogue", help="export the catalogue: Excel, CSV, Parquet, JSON Lines")
    p.add_argument("--db", default="out/catalogue.duckdb")
    p.add_argument("--out", required=True, help="output folder")
    p.set_defaults(func=cmd_catalogue)

    p = sub.add_parser("compare", help="one instruction against the catalogue: common, rare, missing clauses")
    p.add_argument("file")
    p.add_argument("--db", default="out/catalogue.duckdb")
    p.add_argument("--classifier", default="auto", choices=["auto", "model", "rules"])
    p.add_argument("--template", action="store_true",
                   help="against the standard of its position (see `template`): what it lacks, adds, words rarely")
    p.add_argument("--position", help="with --template: the standard of this position (default: the instruction's)")
    p.add_argument("--threshold", type=_share_arg, help="with --template: as for `template` (default 0.5)")
    p.add_argument("--exact", action="store_true", help="with --template: as for `template`")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("corrections", help="the analysts' corrections: apply an edited workbook or CSV, list them")
    verbs = p.add_subparsers(dest="verb", required=True)
    q = verbs.add_parser("apply", help="store the corrections made in an exported catalogue.xlsx (or a CSV)")
    q.add_argument("file", help="the edited catalogue.xlsx, or a CSV (see README, Corrections)")
    q.add_argument("--db", default="out/catalogue.duckdb")
    q.set_defaults(func=cmd_corrections_apply)
    q = verbs.add_parser("list", help="every correction, who made it and when, and whether it still applies")
    q.add_argument("--db", default="out/catalogue.duckdb")
    q.add_argument("--all", action="store_true", help="superseded corrections too")
    q.set_defaults(func=cmd_corrections_list)

    p = sub.add_parser("template", help="a standard instruction for a position, from what its instructions share "
                                        "(a Word document)")
    p.add_argument("--db", default="out/catalogue.duckdb")
    p.add_argument("--position", required=True, help="the position, nominative (бухгалтер)")
    p.add_argument("--out", required=True, help="the .docx file to write")
    p.add_argument("--threshold", type=_share_arg, default=0.5,
                   help="the share of the position's instructions a canonical clause must be in (default 0.5)")
    p.add_argument("--exact", action="store_true",
                   help="this position only (default: also those within it: главный бухгалтер for бухгалтер)")
    p.add_argument("--appendix-min", type=_positive(int), default=2,
                   help="the appendix lists less common clauses found in at least this many instructions (default 2)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("report", help="one self-contained HTML report of the catalogue, with charts")
    p.add_argument("--db", default="out/catalogue.duckdb")
    p.add_argument("--out", default="out/report.html")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("read", help="print a document as the readers see it")
    p.add_argument("file")
    p.add_argument("--blocks", action="store_true", help="JSON Lines, one block a line, every field")
    p.set_defaults(func=cmd_read)

    p = sub.add_parser("show", help="debug view: blocks, the rule that placed each, the final tree")
    p.add_argument("file")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("evaluate", help="score predictions against gold files")
    p.add_argument("--gold", required=True, help="folder of *.gold.jsonl files")
    p.add_argument("--pred", required=True, help="clauses.jsonl written by extract")
    p.add_argument("--per-document", action="store_true")
    p.add_argument("--json", help="also write the figures to this JSON file")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("train", help="rebuild the clause classifier (as `make train`), with the labels corrected "
                                     "in a catalogue")
    p.add_argument("--db", help="also train on the labels corrected in this catalogue database")
    p.add_argument("--out", help="the model pack folder to write (default: the shipped pack, models/clauses-v1)")
    p.add_argument("--no-textcat", action="store_true", help="skip spaCy's textcat in the comparison")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("explain", help="classify one clause text and say why")
    p.add_argument("text")
    p.add_argument("--section", help="section type (duties, rights, ...)")
    p.add_argument("--lead-in", help="the lead-in the clause hangs under")
    p.set_defaults(func=cmd_explain)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # for the log's line marking the run's start
    try:
        return args.func(args)
    except UsageError as error:
        print(f"jobclauses: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as error:
        print(f"\njobclauses: {error}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("\njobclauses: interrupted; run the same command again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `jobclauses read x | head`: the reader went away, nothing to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_SOME_FAILED
    except Exception as error:
        if os.environ.get("JOBCLAUSES_DEBUG"):
            raise
        logger = logging.getLogger("jobclauses")
        if logger.handlers:  # the log of extract or import; no handler would mean Python's own, on stderr
            logger.exception("unexpected error")
        where = f"{error.filename}: " if isinstance(error, OSError) and error.filename else ""
        what = error.strerror if isinstance(error, OSError) and error.strerror else f"{type(error).__name__}: {error}"
        print(f"jobclauses: {where}{str(what).splitlines()[0] if str(what) else type(error).__name__} "
              "(JOBCLAUSES_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_SOME_FAILED


if __name__ == "__main__":
    sys.exit(main())
