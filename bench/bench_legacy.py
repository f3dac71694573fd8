"""Benchmark: legacy Word (.doc) and RTF beside .docx, native readers vs LibreOffice, on the same documents.

Not a test (no timed assertions). The first ``--files`` .docx of the bench corpus (``corpus.py``: job
descriptions with Word's automatic numbering) are saved by LibreOffice as .doc and .rtf once (cached in
``bench/out/legacy-N/``); then, one core:

- reading alone: the .docx reader on the .docx, the native .doc and .rtf readers on the .doc and .rtf;
- end to end (``process_file``: file to classified clauses) with the native readers;
- end to end through LibreOffice (``JOBCLAUSES_DOC_READER=libreoffice``) as the batch runs it now: one worker,
  files converted in groups (one soffice start a group), CPU time of the worker and its soffice included;
- the same through LibreOffice one file per soffice start (as the batch did before), on a small sample;
- agreement: the share of LibreOffice's numbered lines (its text export of each .doc and .rtf) that the
  native readers print identically.

Results go to ``bench/legacy_results.json``.

    .venv/bin/python bench/bench_legacy.py [--files 150] [--single 12]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

import corpus  # noqa: E402
from docx_fixtures import normalise  # noqa: E402

from pipeline import classify  # noqa: E402
from pipeline.batch import process_file, run  # noqa: E402
from pipeline.readers import office, read  # noqa: E402
from pipeline.readers.render import as_text  # noqa: E402

OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "legacy_results.json"


def rate(count: float, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(func: Callable[[], Any], files: int, children: bool = False) -> dict[str, Any]:
    w0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
    func()
    wall = time.perf_counter() - w0
    cpu = time.process_time() - c0 + ((children_cpu() - k0) if children else 0.0)
    return {"files": files, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "docs_per_s": rate(files, wall),
            "docs_per_cpu_s": rate(files, cpu)}


def in_fresh_process(func: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``func()`` in a forked child: each measurement starts from the same state of the per-clause caches
    (the documents of the three formats share their clause texts, so a warm cache would favour the later)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()

    def target() -> None:
        child.send(func())

    proc = ctx.Process(target=target)
    proc.start()
    result = parent.recv()
    proc.join()
    return result


def prepare(count: int) -> dict[str, list[Path]]:
    """The first ``count`` .docx of the bench corpus and their .doc and .rtf (made once by LibreOffice)."""
    files = corpus.generate(OUT / "corpus-1000-seed1", 1000, 1)
    docx = [p for p in files if p.suffix == ".docx"][:count]
    folder = OUT / f"legacy-{count}"
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {"docx": docx}
    for fmt in ("doc", "rtf"):
        targets = [folder / f"{p.stem}.{fmt}" for p in docx]
        missing = [str(p) for p, t in zip(docx, targets, strict=True) if not t.exists()]
        if missing:
            print(f"   LibreOffice saves {len(missing)} files as .{fmt} (once)", flush=True)
            for source, data in office.convert_many(missing, to=fmt).items():
                if isinstance(data, bytes):
                    (folder / f"{Path(source).stem}.{fmt}").write_bytes(data)
        out[fmt] = [t for t in targets if t.exists()]
    return out


def read_all(paths: Sequence[Path]) -> None:
    for path in paths:
        read(path)


def end_to_end(paths: Sequence[Path], classifier: Any) -> None:
    for path in paths:
        process_file(path, classifier)


def through_libreoffice(paths: Sequence[Path], grouped: bool, classifier: Any) -> list[Any]:
    os.environ["JOBCLAUSES_DOC_READER"] = "libreoffice"
    try:
        if grouped:
            return list(run(paths, "auto", workers=1))
        return [process_file(p, classifier) for p in paths]  # one soffice start a file
    finally:
        del os.environ["JOBCLAUSES_DOC_READER"]


def _numbered(lines: list[str]) -> list[str]:
    return [line for line in lines if " " in line and line.split()[0][-1] in ".)•"]


def agreement(paths: Sequence[Path]) -> dict[str, Any]:
    theirs = office.export_text_many([str(p) for p in paths])
    total = same = files_same = 0
    for path in paths:
        text = theirs[str(path)]
        if not isinstance(text, str):
            continue
        lo = normalise(text, bullets=True)
        ours = normalise(as_text(read(path)), bullets=True)
        files_same += ours == lo
        numbered = _numbered(lo)
        total += len(numbered)
        ours_set = set(ours)
        same += sum(1 for line in numbered if line in ours_set)
    return {"files": len(paths), "files_identical": files_same, "numbered_lines": total,
            "numbered_lines_identical": same, "share": round(same / total, 4) if total else None}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=150)
    parser.add_argument("--single", type=int, default=12, help="files converted one soffice start each")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if office.soffice() is None:
        print("bench_legacy: LibreOffice (soffice) not found: nothing to compare")
        return 0
    classifier = classify.load("auto")
    sets = prepare(args.files)
    spare = [p for p in corpus.generate(OUT / "corpus-1000-seed1", 1000, 1) if p.suffix == ".docx"][-3:]
    end_to_end(spare, classifier)  # warm-up on other documents: imports, the readers' first calls
    for fmt in ("doc", "rtf"):
        read(sets[fmt][-1])
    report: dict[str, Any] = {"files": {k: len(v) for k, v in sets.items()}, "load_average": os.getloadavg()}
    report["read"] = {fmt: timed(lambda f=fmt: read_all(sets[f]), len(sets[fmt])) for fmt in sets}
    report["end_to_end_native"] = {
        fmt: in_fresh_process(lambda f=fmt: timed(lambda: end_to_end(sets[f], classifier), len(sets[f])))
        for fmt in sets}
    print("   native done", flush=True)
    report["end_to_end_libreoffice_grouped"] = {}
    report["end_to_end_libreoffice_one_per_start"] = {}
    for fmt in ("doc", "rtf"):
        report["end_to_end_libreoffice_grouped"][fmt] = timed(
            lambda f=fmt: through_libreoffice(sets[f], True, classifier), len(sets[fmt]), children=True)
        sample = sets[fmt][: args.single]
        report["end_to_end_libreoffice_one_per_start"][fmt] = timed(
            lambda s=sample: through_libreoffice(s, False, classifier), len(sample), children=True)
    print("   LibreOffice done", flush=True)
    report["agreement_with_libreoffice"] = {fmt: agreement(sets[fmt]) for fmt in ("doc", "rtf")}
    report["load_average_after"] = os.getloadavg()
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print_table(report)
    return 0


def print_table(report: dict[str, Any]) -> None:
    print(f"\n.doc and .rtf beside .docx: the same {report['files']['docx']} corpus documents, one core "
          f"(load average {tuple(round(x, 1) for x in report['load_average'])})")
    line = "  {:<52} {:>9} {:>11}"
    print(line.format("", "docs/s", "docs/cpu-s"))
    for fmt in ("docx", "doc", "rtf"):
        row = report["read"][fmt]
        print(line.format(f"read .{fmt} ({'native' if fmt != 'docx' else 'docx reader'})", row["docs_per_s"],
                          row["docs_per_cpu_s"]))
    for fmt in ("docx", "doc", "rtf"):
        row = report["end_to_end_native"][fmt]
        print(line.format(f"end to end .{fmt}, native", row["docs_per_s"], row["docs_per_cpu_s"]))
    for fmt in ("doc", "rtf"):
        row = report["end_to_end_libreoffice_grouped"][fmt]
        print(line.format(f"end to end .{fmt}, LibreOffice in groups (batch, 1 worker)", row["docs_per_s"],
                          row["docs_per_cpu_s"]))
        row = report["end_to_end_libreoffice_one_per_start"][fmt]
        print(line.format(f"end to end .{fmt}, LibreOffice one start a file ({row['files']})", row["docs_per_s"],
                          row["docs_per_cpu_s"]))
    for fmt, row in report["agreement_with_libreoffice"].items():
        print(f"  .{fmt}: {row['numbered_lines_identical']}/{row['numbered_lines']} of LibreOffice's numbered lines "
              f"identical ({row['share']:.2%}), {row['files_identical']}/{row['files']} files identical")
    print(f"results in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
