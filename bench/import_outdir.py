"""Benchmark: `jobclauses import OUT` after `jobclauses extract … --out OUT`, against the extract itself.

Each command runs as the analyst runs it (a fresh process), timed for wall and CPU time (children
included); the import goes into a new, empty database. Also times `import DOCS` (reading every file again)
for comparison. Not a test: it prints a table.

    .venv/bin/python bench/import_outdir.py                     # corpora/samples and a generated 1 000
    .venv/bin/python bench/import_outdir.py --sizes 1000,5000 --no-samples
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def timed(argv: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and its children, last line printed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline", *argv], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}: {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, (done.stdout.strip().splitlines() or [""])[-1]


def measure(name: str, docs: Path, work: Path, with_files: bool) -> None:
    out, db, db_files = work / "out", work / "from-out.duckdb", work / "from-files.duckdb"
    for p in (out, db, db_files):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    extract = timed(["extract", str(docs), "--out", str(out), "-q"])
    imported = timed(["import", str(out), "--db", str(db), "-q"])
    rows = [("extract", extract), ("import OUT", imported)]
    if with_files:
        rows.append(("import DOCS", timed(["import", str(docs), "--db", str(db_files), "-q"])))
    print(f"\n{name}: {extract[2]}")
    print(f"{'':12} {'wall s':>8} {'cpu s':>8} {'wall / extract':>15} {'cpu / extract':>14}")
    for label, (wall, cpu, _) in rows:
        print(f"{label:12} {wall:8.2f} {cpu:8.2f} {wall / extract[0]:15.3f} {cpu / extract[1]:14.3f}")
    print(f"import OUT said: {imported[2]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000", help="generated corpora, comma-separated sizes")
    parser.add_argument("--no-samples", action="store_true", help="skip corpora/samples")
    parser.add_argument("--no-files", action="store_true", help="skip `import DOCS` (reading every file again)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "import")
    args = parser.parse_args(argv)
    from corpus import generate

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if not args.no_samples:
        measure("corpora/samples", ROOT / "corpora" / "samples", args.work / "samples", not args.no_files)
    for size in (int(s) for s in args.sizes.split(",") if s):
        docs = ROOT / "bench" / "out" / f"corpus-{size}-seed1"
        generate(docs, size, 1)
        measure(f"generated, {size} documents", docs, args.work / str(size), not args.no_files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
