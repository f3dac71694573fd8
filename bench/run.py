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


def measure_stages(files: Sequence[Path], classifier: Any) -> dict[str, Any]:
    """Each stage timed alone on the same documents, one after another in this process."""
    seconds = Counter()
    clauses = 0
    for path in files:
        t0 = time.perf_counter()
        try:
            document = read(path)
        except ReadError:
            seconds["read"] += time.perf_counter() - t0
            continue
        t1 = time.perf_counter()
        found = structure(document)
        t2 = time.perf_counter()
        if found.clauses:
            classifier.predict(found.clauses)
        t3 = time.perf_counter()
        seconds["read"] += t1 - t0
        seconds["structure"] += t2 - t1
        seconds["classify"] += t3 - t2
        clauses += len(found.clauses)
    n = len(files)
    return {stage: {"files": n, "clauses": clauses, "seconds": round(s, 3), "docs_per_s": rate(n, s),
                    "clauses_per_s": rate(clauses, s)} for stage, s in seconds.items()}


def measure_pipeline(files: Sequence[Path], classifier: Any) -> dict[str, Any]:
    """``process_file`` over every file, timed per file and grouped by format."""
    seconds: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    clauses: Counter[str] = Counter()
    status: Counter[str] = Counter()
    for path in files:
        t0 = time.perf_counter()
        result = process_file(path, classifier)
        seconds[fmt_of(path)] += time.perf_counter() - t0
        docs[fmt_of(path)] += 1
        clauses[fmt_of(path)] += len(result.clauses)
        status[result.status] += 1
    out: dict[str, Any] = {"status": dict(status), "by_format": {}}
    for fmt in sorted(docs):
        out["by_format"][fmt] = {"files": docs[fmt], "clauses": clauses[fmt], "seconds": round(seconds[fmt], 3),
                                 "docs_per_s": rate(docs[fmt], seconds[fmt]),
                                 "clauses_per_s": rate(clauses[fmt], seconds[fmt])}
    total_s, total_n, total_c = sum(seconds.values()), sum(docs.values()), sum(clauses.values())
    out.update(files=total_n, clauses=total_c, seconds=round(total_s, 3), docs_per_s=rate(total_n, total_s),
               clauses_per_s=rate(total_c, total_s))
    return out


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


def digest(results: Iterable[FileResult]) -> tuple[str, int]:
    h = hashlib.sha256()
    clauses = 0
    for r in sorted(results, key=lambda r: r.path):
        h.update(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True).encode())
        clauses += len(r.clauses)
    return h.hexdigest()[:16], clauses


def measure_scaling(files: Sequence[Path], kind: str, max_workers: int) -> dict[str, Any]:
    name, runner = batch_runner()
    rows = []
    for n in range(1, max_workers + 1):
        t0 = time.perf_counter()
        results = list(runner(files, kind, n))
        wall = time.perf_counter() - t0
        key, clauses = digest(results)
        rows.append({"workers": n, "seconds": round(wall, 2), "docs_per_s": rate(len(files), wall),
                     "clauses_per_s": rate(clauses, wall), "digest": key})
    base = rows[0]["docs_per_s"] or 1
    for row in rows:
        row["speedup"] = round(row["docs_per_s"] / base, 2)
    return {"runner": name, "runs": rows, "identical": len({r["digest"] for r in rows}) == 1,
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
        t0 = time.perf_counter()
        for i in range(0, len(docx), per_call):
            _soffice(binary, profile, docx[i:i + per_call], outdir)
        wall = time.perf_counter() - t0
        converted = len(list(outdir.glob("*.txt")))
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    return {"files": len(docx), "converted": converted, "files_per_call": per_call, "seconds": round(wall, 2),
            "docs_per_s": rate(len(docx), wall), "version": version}


def measure_unstructured(docx: Sequence[Path]) -> dict[str, Any]:
    try:
        from unstructured.partition.docx import partition_docx
    except ImportError:
        return {"skipped": "unstructured is not installed in this venv (pip install 'unstructured[docx]')"}
    try:
        partition_docx(str(docx[0]))  # first call loads its models
    except Exception as error:  # e.g. it downloads a spaCy model at run time: impossible offline
        return {"skipped": f"unstructured installed but partition_docx fails: {type(error).__name__}: "
                           f"{str(error)[:160]}"}
    t0 = time.perf_counter()
    for path in docx:
        partition_docx(str(path))
    wall = time.perf_counter() - t0
    return {"files": len(docx), "seconds": round(wall, 2), "docs_per_s": rate(len(docx), wall)}


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
    result: dict[str, Any] = {"size": size, "seed": seed, "formats": dict(formats)}
    result["stages"] = measure_stages(files[: args.stage_files], classifier)
    print("   stages done", flush=True)
    result["pipeline"] = measure_pipeline(files, classifier)
    print("   one-core pipeline done", flush=True)
    result["memory"] = measure_memory(files, classifier)
    docx = [p for p in files if fmt_of(p) == "docx"][: args.compare_files]
    if docx:
        ours = measure_pipeline(docx, classifier)
        ours_read = measure_stages(docx, classifier)["read"]
        result["docx_side_by_side"] = {"files": len(docx), "jobclauses_pipeline_docs_per_s": ours["docs_per_s"],
                                       "jobclauses_read_docs_per_s": ours_read["docs_per_s"]}
        if not args.no_soffice:
            result["libreoffice"] = measure_libreoffice(docx)
            print("   LibreOffice done", flush=True)
        result["unstructured"] = measure_unstructured(docx)
    if not args.no_scaling:
        result["scaling"] = measure_scaling(files, args.classifier, args.max_workers)
        print("   scaling done", flush=True)
    result["memory"]["bench_process_peak_rss_mb"] = max_rss_mb(resource.RUSAGE_SELF)
    return result


def ratios(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    side = result.get("docx_side_by_side", {})
    lo = result.get("libreoffice", {}).get("docs_per_s")
    if lo:
        out["pipeline_vs_libreoffice_docx"] = round(side["jobclauses_pipeline_docs_per_s"] / lo, 2)
        out["read_vs_libreoffice_docx"] = round(side["jobclauses_read_docs_per_s"] / lo, 2)
    un = result.get("unstructured", {}).get("docs_per_s")
    if un:
        out["pipeline_vs_unstructured_docx"] = round(side["jobclauses_pipeline_docs_per_s"] / un, 2)
    by_format = result["pipeline"]["by_format"]
    out["goal_docs_per_s"] = GOAL_DOCS_PER_S
    out["goal_met_docx_txt"] = all(by_format[f]["docs_per_s"] >= GOAL_DOCS_PER_S for f in ("docx", "txt")
                                   if f in by_format)
    if lo:
        out["goal_met_vs_libreoffice"] = out["pipeline_vs_libreoffice_docx"] >= GOAL_VS_LIBREOFFICE
    return out


def print_table(result: dict[str, Any]) -> None:
    line = "{:<34} {:>10} {:>12}"
    print(line.format("one core", "docs/s", "clauses/s"))
    for stage, row in result["stages"].items():
        print(line.format(f"  stage {stage} ({row['files']} files)", row["docs_per_s"], row["clauses_per_s"]))
    p = result["pipeline"]
    print(line.format(f"  end to end ({p['files']} files)", p["docs_per_s"], p["clauses_per_s"]))
    for fmt, row in p["by_format"].items():
        print(line.format(f"    .{fmt} ({row['files']})", row["docs_per_s"], row["clauses_per_s"]))
    side = result.get("docx_side_by_side")
    if side:
        print(f"same {side['files']} .docx files, docs/s:")
        print(line.format("  jobclauses end to end", side["jobclauses_pipeline_docs_per_s"], ""))
        print(line.format("  jobclauses read only", side["jobclauses_read_docs_per_s"], ""))
        for name in ("libreoffice", "unstructured"):
            other = result.get(name, {})
            print(line.format(f"  {name}", other.get("docs_per_s", "-"), "") if "docs_per_s" in other
                  else f"  {name}: skipped: {other.get('skipped', 'not run')}")
    scaling = result.get("scaling")
    if scaling:
        print(f"workers ({scaling['runner']}; identical results: {scaling['identical']})")
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
    parser.add_argument("--stage-files", type=int, default=1000, help="files timed per stage (a sample)")
    parser.add_argument("--compare-files", type=int, default=500, help=".docx files compared with LibreOffice")
    parser.add_argument("--profile-files", type=int, default=200)
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
