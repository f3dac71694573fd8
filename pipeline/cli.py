"""The command line: parse arguments, call the stages, draw progress, choose the exit status.

Exit status: 0 when every input was read, 1 when some failed (everything else is still written), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


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
    handler = logging.FileHandler(out / "jobclauses.log", mode="a", encoding="utf-8")
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
    from .export.tables import (
        CLAUSE_COLUMNS,
        clause_row,
        instruction_row,
        write_csv,
        write_jsonl,
    )

    out = Path(args.out)
    _setup_log(out, args)
    if args.engine == "dask":
        from .engines.dask import run_dask

        try:
            summary = run_dask(args.inputs, out, scheduler=args.scheduler, classifier=args.classifier)
        except (OSError, TimeoutError) as error:
            print(f"jobclauses: cannot reach the Dask scheduler: {error}", file=sys.stderr)
            return EXIT_USAGE
        print(", ".join(f"{k} {v}" for k, v in summary.items()) + f" -> {out}/")
        return EXIT_SOME_FAILED if summary.get("failed") else EXIT_OK
    files, early = collect_inputs(args.inputs)
    if not files and not early:
        print("jobclauses: no input files found", file=sys.stderr)
        return EXIT_USAGE
    try:
        load_classifier(args.classifier)  # fail here, once, with a clear message; the workers inherit it
    except (PackError, ValueError) as error:
        print(f"jobclauses: {error}", file=sys.stderr)
        return EXIT_USAGE

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
    finally:
        journal.close()
    results.sort(key=lambda r: r.path)

    # Every clause carries the canonical clause it belongs to within this run's catalogue.
    from .catalogue import build

    positions = {(i.source, i.index): i.position for r in results for i in r.instructions}
    catalogued, _ = build([c for r in results for c in r.clauses], positions)
    clause_rows = [clause_row(c, positions.get((c.source, c.instruction), "")) for c in catalogued]
    instruction_rows = []
    for r in results:
        facts = {row["instruction"]: row for row in r.facts}
        for i in r.instructions:
            extra = {k: v for k, v in facts.get(i.index, {}).items() if k not in ("source", "instruction", "position")}
            instruction_rows.append(instruction_row(i) | extra)
    write_jsonl(out / "clauses.jsonl", clause_rows)
    write_csv(out / "clauses.csv", clause_rows, CLAUSE_COLUMNS)
    write_jsonl(out / "instructions.jsonl", instruction_rows)
    write_jsonl(out / "manifest.jsonl", (r.manifest() for r in results))

    status = Counter(r.status for r in results)
    labels = Counter(row["label"] for row in clause_rows)
    resumed = f" ({len(reused)} already done)" if reused else ""
    print(
        f"{len(results)} files{resumed}: {status['ok']} ok, {status['skipped']} skipped, {status['failed']} failed; "
        f"{len(instruction_rows)} instructions, {len(clause_rows)} clauses "
        f"({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))}) -> {out}/"
    )
    return EXIT_SOME_FAILED if status["failed"] else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    import hashlib

    from .batch import Journal, collect_inputs, fingerprint, run
    from .catalogue.store import Store
    from .export.tables import write_jsonl

    db = Path(args.db)
    _setup_log(db.parent, args)
    files, early = collect_inputs(args.inputs)
    if not files and not early:
        print("jobclauses: no input files found", file=sys.stderr)
        return EXIT_USAGE
    for r in early:
        print(f"jobclauses: {r.path}: {r.reason}", file=sys.stderr)
    with Store(db) as store:
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
        f"{status['failed']} failed; {summary.clauses} clauses, {summary.new_canonical} new canonical clauses "
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


def _database_exists(db: str) -> bool:
    if Path(db).exists():
        return True
    print(f"jobclauses: {db}: no such database: run `jobclauses import` first", file=sys.stderr)
    return False


def cmd_catalogue(args: argparse.Namespace) -> int:
    from .catalogue.store import Store
    from .export.catalogue import export_catalogue

    if not _database_exists(args.db):
        return EXIT_USAGE
    with Store(args.db) as store:
        paths = export_catalogue(store, args.out)
    print("\n".join(str(p) for p in paths))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from . import classify
    from .catalogue.store import Store
    from .compare import compare_file

    if not _database_exists(args.db):
        return EXIT_USAGE
    with Store(args.db) as store:
        try:
            comparisons = compare_file(args.file, store, classify.load(args.classifier))
        except ValueError as error:
            print(f"jobclauses: {args.file}: {error}", file=sys.stderr)
            return EXIT_SOME_FAILED
    for comparison in comparisons:
        print(comparison.format_text())
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .catalogue.store import Store
    from .export.report import write_report

    if not _database_exists(args.db):
        return EXIT_USAGE
    with Store(args.db) as store:
        print(write_report(store, args.out))
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    from .readers import ReadError, read

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

    try:
        document = read(args.file)
    except ReadError as error:
        print(f"jobclauses: {args.file}: {error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    sys.stdout.write(render_debug(document))
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from evaluation.clauses import evaluate, evaluate_clusters, load_predictions

    predictions = load_predictions(Path(args.pred))
    report = evaluate(Path(args.gold), predictions)
    print(report.table(per_document=args.per_document))
    if list(Path(args.gold).glob("*.clusters.jsonl")):
        print(evaluate_clusters(Path(args.gold), predictions).table())
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from . import classify

    clause = classify.explain(args.text, section_type=args.section or "", lead_in=args.lead_in or "")
    print(f"{clause.label}\t{clause.confidence:.2f}\t{clause.reason}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobclauses",
        description="Turn Russian job descriptions into structured, classified clauses.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="read files or folders and write clause tables")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (searched recursively)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--classifier", default="auto", choices=["auto", "model", "rules"])
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="worker processes (default: the number of cores)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds one file may take before it is failed")
    p.add_argument("--engine", default="local", choices=["local", "dask"],
                   help="local worker processes, or a Dask cluster (writes partitioned Parquet too)")
    p.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("import", help="add files to the catalogue database (unchanged files are skipped)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (searched recursively)")
    p.add_argument("--db", default="out/catalogue.duckdb", help="DuckDB file (default: out/catalogue.duckdb)")
    p.add_argument("--classifier", default="auto", choices=["auto", "model", "rules"])
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
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
    p.set_defaults(func=cmd_compare)

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
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
