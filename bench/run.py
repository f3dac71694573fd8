"""``make bench``: throughput, memory and scaling of the whole pipeline on a generated corpus.

Not a test (nothing here asserts a time). For each corpus size (``BENCH_SIZES=1000,10000`` or ``--sizes``):

- per stage on one core (read, structure, classify) over a sample, and end to end (``process_file``,
  file on disk to classified clauses) over every file: documents/s and clauses/s, per format too;
- memory: peak traced Python memory while streaming a prefix of the corpus and four times that prefix
  (equal peaks mean extraction streams), and the peak resident size of this process and of the workers;
- scaling with the number of worker processes, 1 .. the cores of this machine, and whether the results
  are identical to one worker;
- side by side, in the same run and on the same .docx files: LibreOffice's text conversion
  (``soffice --convert-to txt:Text``, many files per call, a profile of its own) and ``unstructured``'s
  docx partitioning when it is installed and works offline;
- a profile (cProfile) of the end-to-end path: the functions that cost the most.

Results go to ``bench/results.json``; a short table is printed.

    .venv/bin/python bench/run.py [--sizes 1000,10000] [--seed 1] [--no-soffice] [--no-scaling]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import inspect
import io
import json
import multiprocessing
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpus  # noqa: E402

from pipeline import classify  # noqa: E402
from pipeline.batch import FileResult, process_file  # noqa: E402
from pipeline.readers import ReadError, read  # noqa: E402
from pipeline.structure import structure  # noqa: E402

OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.json"
GOAL_DOCS_PER_S = 100
GOAL_VS_LIBREOFFICE = 5.0


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fmt_of(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def rate(count: float, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


# ---------------------------------------------------------------------------------------------
# One core: stages and end to end
# ---------------------------------------------------------------------------------------------


class Clock:
    """Wall and CPU seconds: on a shared machine the CPU rate is what one free core would give."""

    def __init__(self) -> None:
        self.wall: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()
        self.docs: Counter[str] = Counter()
        self.clauses: Counter[str] = Counter()

    def add(self, key: str, wall: float, cpu: float, docs: int = 1, clauses: int = 0) -> None:
        self.wall[key] += wall
        self.cpu[key] += cpu
        self.docs[key] += docs
        self.clauses[key] += clauses

    def row(self, key: str) -> dict[str, Any]:
        n, c, wall, cpu = self.docs[key], self.clauses[key], self.wall[key], self.cpu[key]
        return {"files": n, "clauses": c, "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
                "docs_per_s": rate(n, wall), "clauses_per_s": rate(c, wall),
                "docs_per_cpu_s": rate(n, cpu), "clauses_per_cpu_s": rate(c, cpu)}


def now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def facts(instructions: Sequence[Any], clauses: Sequence[Any], text: str) -> None:
    """The facts stage as ``pipeline.batch.process_document`` runs it (nothing when the project has none)."""
    from pipeline.facts import extract_all

    if clauses:
        [f.row() for f in extract_all(instructions, clauses, text)]


def measure_stages(files: Sequence[Path], classifier: Any) -> dict[str, Any]:
    """Each stage timed alone on the same documents, one after another in this process."""
    clock = Clock()
    for path in files:
        fmt = fmt_of(path)
        w0, c0 = now()
        try:
            document = read(path)
        except ReadError:
            continue
        w1, c1 = now()
        found = structure(document)
        w2, c2 = now()
        clauses = tuple(classifier.predict(found.clauses)) if found.clauses else ()
        w3, c3 = now()
        facts(found.instructions, clauses, document.text)
        w4, c4 = now()
        n = len(found.clauses)
        for stage, (wa, ca, wb, cb) in (("read", (w0, c0, w1, c1)), ("structure", (w1, c1, w2, c2)),
                                        ("classify", (w2, c2, w3, c3)), ("facts", (w3, c3, w4, c4))):
            clock.add(stage, wb - wa, cb - ca, clauses=n)
            clock.add(f"{stage}.{fmt}", wb - wa, cb - ca, clauses=n)
    return {key: clock.row(key) for key in sorted(clock.docs, key=lambda k: ("." in k, k))}


def measure_pipeline(files: Sequence[Path], classifier: Any) -> dict[str, Any]:
    """``process_file`` over every file, timed per file and grouped by format."""
    clock = Clock()
    status: Counter[str] = Counter()
    # the per-clause caches (lemmas, rule decisions, model labels, facts grammars) pay off on repetition:
    # say how much the corpus has
    distinct: set[int] = set()
    for path in files:
        w0, c0 = now()
        result = process_file(path, classifier)
        w1, c1 = now()
        clock.add("all", w1 - w0, c1 - c0, clauses=len(result.clauses))
        clock.add(fmt_of(path), w1 - w0, c1 - c0, clauses=len(result.clauses))
        status[result.status] += 1
        distinct.update(hash((c.text, c.section_type, c.lead_in)) for c in result.clauses)
    return {"status": dict(status), **clock.row("all"), "distinct_clauses": len(distinct),
            "by_format": {fmt: clock.row(fmt) for fmt in sorted(clock.docs) if fmt != "all"}}


# ---------------------------------------------------------------------------------------------
# Memory
# ---------------------------------------------------------------------------------------------


def traced_peak(files: Sequence[Path], classifier: Any) -> float:
    """Peak traced memory (MB) while streaming ``files`` through the pipeline, results dropped as they come."""
    tracemalloc.start()
    try:
        for path in files:
            process_file(path, classifier)
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


def measure_memory(files: Sequence[Path], classifier: Any) -> dict[str, Any]:
    small = max(1, min(100, len(files) // 4))
    return {
        "traced_peak_mb": {str(small): traced_peak(files[:small], classifier),
                           str(4 * small): traced_peak(files[: 4 * small], classifier)},
    }


def max_rss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


# ---------------------------------------------------------------------------------------------
# Workers
# ---------------------------------------------------------------------------------------------

_POOL_CLASSIFIER: Any = None


def _pool_init(kind: str) -> None:
    global _POOL_CLASSIFIER
    _POOL_CLASSIFIER = classify.load(kind)


def _pool_process(path: Path) -> dict[str, Any]:
    return process_file(path, _POOL_CLASSIFIER).to_dict()


def pool_run(files: Sequence[Path], kind: str, workers: int) -> Iterable[FileResult]:
    """Stand-in for ``pipeline.batch.run(..., workers=N)`` while that is not there: a plain process pool."""
    with multiprocessing.get_context("fork").Pool(workers, _pool_init, (kind,)) as pool:
        for row in pool.imap(_pool_process, files, chunksize=8):
            yield FileResult.from_dict(row)


def batch_runner() -> tuple[str, Callable[[Sequence[Path], str, int], Iterable[FileResult]]]:
    from pipeline import batch

    if "workers" in inspect.signature(batch.run).parameters:
        return "pipeline.batch.run", lambda files, kind, n: batch.run(files, kind, workers=n)
    return "bench multiprocessing.Pool", pool_run


def digest(results: Iterable[FileResult]) -> tuple[str, int, int]:
    """A hash of the results in the order they come (the input order), counted as they stream by."""
    h = hashlib.sha256()
    files = clauses = 0
    for r in results:
        h.update(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True).encode())
        files += 1
        clauses += len(r.clauses)
    return h.hexdigest()[:16], files, clauses


def measure_scaling(files: Sequence[Path], kind: str, max_workers: int) -> dict[str, Any]:
    runner_name, runner = batch_runner()
    rows = []
    for n in range(1, max_workers + 1):
        t0 = time.perf_counter()
        key, done, clauses = digest(runner(files, kind, n))
        wall = time.perf_counter() - t0
        if done != len(files):
            raise RuntimeError(f"{runner_name}: {done} results for {len(files)} files")
        rows.append({"workers": n, "seconds": round(wall, 2), "docs_per_s": rate(len(files), wall),
                     "clauses_per_s": rate(clauses, wall), "digest": key})
    base = rows[0]["docs_per_s"] or 1
    for row in rows:
        row["speedup"] = round(row["docs_per_s"] / base, 2)
    return {"runner": runner_name, "runs": rows, "identical": len({r["digest"] for r in rows}) == 1,
            "worker_peak_rss_mb": max_rss_mb(resource.RUSAGE_CHILDREN)}


# ---------------------------------------------------------------------------------------------
# What a user would otherwise run
# ---------------------------------------------------------------------------------------------


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _soffice(binary: str, profile: Path, files: Sequence[Path], outdir: Path) -> None:
    cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "txt:Text", "--outdir", str(outdir), *map(str, files)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=3600)


def measure_libreoffice(docx: Sequence[Path], per_call: int = 100) -> dict[str, Any]:
    """LibreOffice's text conversion alone, ``per_call`` files per soffice start (its start-up is amortised)."""
    binary = soffice_binary()
    if binary is None or not docx:
        return {"skipped": "soffice not found" if binary is None else "no .docx files"}
    with tempfile.TemporaryDirectory(prefix="bench-soffice-") as tmp:
        profile, outdir = Path(tmp) / "profile", Path(tmp) / "txt"
        _soffice(binary, profile, docx[:1], outdir)  # the first start creates the profile: not counted
        t0, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        for i in range(0, len(docx), per_call):
            _soffice(binary, profile, docx[i:i + per_call], outdir)
        wall, after = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        converted = len(list(outdir.glob("*.txt")))
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    return {"files": len(docx), "converted": converted, "files_per_call": per_call, "seconds": round(wall, 2),
            "cpu_seconds": round(cpu, 2), "docs_per_s": rate(len(docx), wall),
            "docs_per_cpu_s": rate(len(docx), cpu), "version": version}


def measure_unstructured(docx: Sequence[Path]) -> dict[str, Any]:
    try:
        from unstructured.partition.docx import partition_docx
    except ImportError:
        # Checked by hand: it installs without torch, but partition_docx downloads a spaCy model at run time.
        return {"skipped": "unstructured is not installed in this venv; `pip install 'unstructured[docx]'` works "
                           "without torch, but its docx partitioning downloads a spaCy model at run time"}
    try:
        partition_docx(str(docx[0]))  # first call loads its models
    except Exception as error:  # e.g. it downloads a spaCy model at run time: impossible offline
        return {"skipped": f"unstructured installed but partition_docx fails: {type(error).__name__}: "
                           f"{str(error)[:160]}"}
    w0, c0 = now()
    for path in docx:
        partition_docx(str(path))
    w1, c1 = now()
    return {"files": len(docx), "seconds": round(w1 - w0, 2), "docs_per_s": rate(len(docx), w1 - w0),
            "docs_per_cpu_s": rate(len(docx), c1 - c0)}


# ---------------------------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------------------------


def profile_pipeline(files: Sequence[Path], classifier: Any, top: int = 20) -> dict[str, Any]:
    profiler = cProfile.Profile()
    profiler.enable()
    for path in files:
        process_file(path, classifier)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (filename, line, func), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{_short(filename)}:{line}({func})", "calls": calls,
                     "self_s": round(tottime, 3), "cum_s": round(cumtime, 3),
                     "self_share": round(tottime / total, 3) if total else 0.0})
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(60)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "profile.txt").write_text(text.getvalue(), encoding="utf-8")
    by_self = sorted(rows, key=lambda r: -r["self_s"])[:top]
    ours = [r for r in rows if r["function"].startswith("pipeline/")]
    by_cum = sorted(ours, key=lambda r: -r["cum_s"])[:top]
    return {"files": len(files), "total_s": round(total, 2), "top_self": by_self, "top_cumulative_pipeline": by_cum}


def _short(filename: str) -> str:
    for marker in (str(ROOT) + "/", "site-packages/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# ---------------------------------------------------------------------------------------------
# One size, the table, main
# ---------------------------------------------------------------------------------------------


def bench_size(size: int, seed: int, classifier: Any, args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    files = corpus.generate(OUT / f"corpus-{size}-seed{seed}", size, seed)
    generated = time.perf_counter() - t0
    formats = Counter(fmt_of(p) for p in files)
    print(f"\n== {size} documents ({', '.join(f'{k} {v}' for k, v in sorted(formats.items()))}); "
          f"corpus ready in {generated:.1f} s", flush=True)
    for path in files[:5]:  # warm-up: lazy imports, first lemma lookups
        process_file(path, classifier)
    result: dict[str, Any] = {"size": size, "seed": seed, "formats": dict(formats),
                              "load_average_before": [round(x, 1) for x in os.getloadavg()]}
    result["stages"] = measure_stages(files[: args.stage_files], classifier)
    result["pipeline"] = measure_pipeline(files, classifier)
    print("   one core done", flush=True)
    result["memory"] = measure_memory(files, classifier)
    # Before LibreOffice: the workers' peak RSS is read from RUSAGE_CHILDREN, which soffice would join.
    if not args.no_scaling:
        result["scaling"] = measure_scaling(files, args.classifier, args.max_workers)
        print("   scaling done", flush=True)
    docx = [p for p in files if fmt_of(p) == "docx"][: args.compare_files]
    if docx:
        result["docx_side_by_side"] = side = {"files": len(docx)}
        ours = measure_pipeline(docx, classifier)
        side["jobclauses_end_to_end"] = {k: ours[k] for k in ("docs_per_s", "docs_per_cpu_s")}
        read_only = measure_stages(docx, classifier)["read"]
        side["jobclauses_read"] = {k: read_only[k] for k in ("docs_per_s", "docs_per_cpu_s")}
        if not args.no_soffice:
            side["libreoffice"] = measure_libreoffice(docx)
            print("   LibreOffice done", flush=True)
        side["unstructured"] = measure_unstructured(docx)
    result["memory"]["bench_process_peak_rss_mb"] = max_rss_mb(resource.RUSAGE_SELF)
    result["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    return result


def ratios(result: dict[str, Any]) -> dict[str, Any]:
    """Ours over theirs, on wall time and on CPU time (the CPU ratio holds on a busy machine too)."""
    out: dict[str, Any] = {}
    side = result.get("docx_side_by_side", {})
    for other in ("libreoffice", "unstructured"):
        theirs = side.get(other, {})
        for clock in ("docs_per_s", "docs_per_cpu_s"):
            if theirs.get(clock):
                suffix = "" if clock == "docs_per_s" else "_cpu"
                out[f"end_to_end_vs_{other}{suffix}"] = round(side["jobclauses_end_to_end"][clock] / theirs[clock], 2)
                out[f"read_vs_{other}{suffix}"] = round(side["jobclauses_read"][clock] / theirs[clock], 2)
    by_format = result["pipeline"]["by_format"]
    out["goal_docs_per_s"] = GOAL_DOCS_PER_S
    out["goal_met_docx_txt_cpu"] = all(by_format[f]["docs_per_cpu_s"] >= GOAL_DOCS_PER_S for f in ("docx", "txt")
                                       if f in by_format)
    if "end_to_end_vs_libreoffice_cpu" in out:
        out["goal_met_vs_libreoffice_cpu"] = out["end_to_end_vs_libreoffice_cpu"] >= GOAL_VS_LIBREOFFICE
    return out


def print_table(result: dict[str, Any]) -> None:
    line = "{:<36} {:>9} {:>10} {:>12} {:>12}"
    print(line.format("one core", "docs/s", "clauses/s", "docs/cpu-s", "clauses/cpu-s"))

    def show(name: str, row: dict[str, Any]) -> None:
        print(line.format(name, row["docs_per_s"], row["clauses_per_s"], row["docs_per_cpu_s"],
                          row["clauses_per_cpu_s"]))

    for key, row in result["stages"].items():
        if "." not in key:
            show(f"  stage {key} ({row['files']} files)", row)
    p = result["pipeline"]
    show(f"  end to end ({p['files']} files)", p)
    if "distinct_clauses" in p:
        print(f"    ({p['clauses']} clauses, {p['distinct_clauses']} distinct (text, section, lead-in))")
    for fmt, row in p["by_format"].items():
        show(f"    .{fmt} ({row['files']})", row)
    side = result.get("docx_side_by_side")
    if side:
        print(f"same {side['files']} .docx files{'':<11} {'docs/s':>9} {'docs/cpu-s':>10}")
        for name in ("jobclauses_end_to_end", "jobclauses_read", "libreoffice", "unstructured"):
            row = side.get(name, {})
            if "docs_per_s" in row:
                print(f"  {name:<34} {row['docs_per_s']:>9} {row['docs_per_cpu_s']:>10}")
            else:
                print(f"  {name}: skipped: {row.get('skipped', 'not run')}")
    scaling = result.get("scaling")
    if scaling:
        print(f"workers ({scaling['runner']}; identical results: {scaling['identical']}; load average "
              f"{result['load_average_before']} -> {result['load_average_after']})")
        for row in scaling["runs"]:
            print(f"  {row['workers']}: {row['docs_per_s']:>8} docs/s  {row['seconds']:>7} s  x{row['speedup']}")
    mem = result["memory"]
    print("memory: traced peak " + ", ".join(f"{k} files {v} MB" for k, v in mem["traced_peak_mb"].items())
          + f"; bench process max RSS {mem['bench_process_peak_rss_mb']} MB"
          + (f"; workers max RSS {scaling['worker_peak_rss_mb']} MB" if scaling else ""))
    print("ratios: " + json.dumps(result["ratios"], ensure_ascii=False))


def print_profile(profile: dict[str, Any]) -> None:
    print(f"\nprofile: {profile['files']} files, {profile['total_s']} s under cProfile (bench/out/profile.txt)")
    print("  top self time:")
    for row in profile["top_self"][:12]:
        print(f"    {row['self_s']:>7.2f} s {row['self_share']:>6.1%}  {row['calls']:>8}  {row['function']}")
    print("  top cumulative (pipeline/):")
    for row in profile["top_cumulative_pipeline"][:12]:
        print(f"    {row['cum_s']:>7.2f} s  {row['calls']:>8}  {row['function']}")


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000"),
                        help="comma-separated corpus sizes (default: $BENCH_SIZES or 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--classifier", default="auto")
    parser.add_argument("--stage-files", type=int, default=300, help="files timed per stage (a sample)")
    parser.add_argument("--compare-files", type=int, default=300, help=".docx files compared with LibreOffice")
    parser.add_argument("--profile-files", type=int, default=150)
    parser.add_argument("--max-workers", type=int, default=cores())
    parser.add_argument("--no-soffice", action="store_true")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    t0 = time.perf_counter()
    classifier = classify.load(args.classifier)
    load_s = time.perf_counter() - t0
    report: dict[str, Any] = {
        "commit": git_commit(), "python": platform.python_version(), "cores": cores(),
        "classifier": getattr(classifier, "kind", args.classifier), "classifier_load_s": round(load_s, 2),
        "sizes": [],
    }
    print(f"jobclauses bench: commit {report['commit']}, {report['cores']} cores, classifier "
          f"{report['classifier']} loaded in {load_s:.1f} s")
    for size in sizes:
        result = bench_size(size, args.seed, classifier, args)
        result["ratios"] = ratios(result)
        report["sizes"].append(result)
        print_table(result)
    files = corpus.generate(OUT / f"corpus-{sizes[0]}-seed{args.seed}", sizes[0], args.seed)
    report["profile"] = profile_pipeline(files[: args.profile_files], classifier)
    print_profile(report["profile"])
    report["wall_s"] = round(time.perf_counter() - t0, 1)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n{report['wall_s']} s; results in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
