"""Every gold set the project scores, with what it is, and the runner behind ``make eval``.

Each figure is labelled by how the set was used, so nobody reads a tuned figure as a measurement:

- ``trained-on``: the classifier learns from its gold (a score on it shows the pipeline can fit it, no more);
- ``tuned-on``: rules were written from its failures (its first run, recorded in its README, was the honest one);
- ``blind``: nobody looked at the pipeline's output on it before this score.

``python -m evaluation.sets [--only NAME ...]`` extracts each present set with ``jobclauses extract`` and scores
it with ``jobclauses evaluate``; ``--per-document`` adds the table per document. Each set's labels are also
scored given gold segmentation (``python -m evaluation.classify``: each gold clause with the heading and lead-in
above it in its source), overall, per register, with the calibration error.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class GoldSet:
    name: str
    gold: str  # folder of *.gold.jsonl, relative to the project (or to ``shared`` when it starts with "shared/")
    status: str  # trained-on | tuned-on | blind
    note: str
    documents: str = ""  # where the documents are, when not beside the gold


SETS = (
    GoldSet("samples", "corpora/samples", "trained-on", "the classifier learns from its gold"),
    GoldSet("registers", "corpora/registers", "trained-on", "training documents in every register"),
    *(GoldSet(f"holdout{n}", f"corpora/holdout{n}", "tuned-on",
              "rules were written from its failures after its first run (README)") for n in ("", 2, 3, 4, 5)),
    GoldSet("blind1", "corpora/blind1", "tuned-on",
            "blind at its first run (README); rules were written from its failure classes since"),
    GoldSet("blind2", "corpora/blind2", "blind", "sealed: nobody looks at its documents' output before scoring"),
    GoldSet("blind3", "corpora/blind3", "blind", "sealed: nobody looks at its documents' output before scoring"),
    GoldSet("gold-seed", "shared/eval/gold-seed", "tuned-on", "the seed article; rules were written from it",
            documents="shared/seeds"),
    GoldSet("dev", "shared/eval/dev", "tuned-on",
            "real documents; earlier sessions wrote rules from 11 of them (since removed where found)"),
)


def _path(spec: str, shared: Path) -> Path:
    return shared / spec[len("shared/"):] if spec.startswith("shared/") else ROOT / spec


def run(sets: Sequence[GoldSet], out: Path, shared: Path, per_document: bool = False) -> int:
    jobclauses = [sys.executable, "-m", "pipeline"]
    status = 0
    for s in sets:
        gold = _path(s.gold, shared)
        if not gold.is_dir():
            continue
        docs = _path(s.documents, shared) if s.documents else gold
        pred = out / s.name
        subprocess.run([*jobclauses, "extract", "-q", str(docs), "--out", str(pred)], stdout=subprocess.DEVNULL,
                       check=False)
        print(f"== {s.name} [{s.status}] {s.note}", flush=True)
        args = [*jobclauses, "evaluate", "--gold", str(gold), "--pred", str(pred / "clauses.jsonl")]
        status |= subprocess.run(args + (["--per-document"] if per_document else []), check=False).returncode
        # the labels alone: every gold clause classified with the heading and lead-in above it in its source
        status |= subprocess.run([sys.executable, "-m", "evaluation.classify", "--as", s.status, str(gold)],
                                 check=False).returncode
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.sets", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="out/eval", help="where each set's extract goes")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder (../shared)")
    parser.add_argument("--only", nargs="*", help="names of the sets to score (default: all present)")
    parser.add_argument("--per-document", action="store_true")
    args = parser.parse_args(argv)
    chosen = [s for s in SETS if not args.only or s.name in args.only]
    unknown = set(args.only or ()) - {s.name for s in SETS}
    if unknown:
        parser.error(f"unknown set(s): {', '.join(sorted(unknown))}; known: {', '.join(s.name for s in SETS)}")
    return run(chosen, Path(args.out), Path(args.shared), args.per_document)


if __name__ == "__main__":
    raise SystemExit(main())
