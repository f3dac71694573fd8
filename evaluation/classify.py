"""Measure a classifier on gold clauses (``../shared/eval``): never a source of training data.

    python -m evaluation.classify [--kind rules|model|auto] [--context none|guess|structure] DIR...
    taskset -c 0 python -m evaluation.classify --bench [--kind model]

``--context guess`` finds each gold clause in its source text and guesses its lead-in (the nearest
line above ending with ``:``) and section type (the nearest short heading line above) — a poor
stand-in for the structure stage; ``--context structure`` reads each source, runs
``pipeline.structure`` and the classifier on it, and scores the result with ``evaluation.clauses``
(segmentation, classification and labelled F1, as ``make eval`` does).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from pipeline.records import LABELS, Clause

#: Heading words -> section type, for the guessed context only.
_HEADINGS = (
    ("requirements", ("квалификационные требования", "требования к квалификации", "требования")),
    ("knowledge", ("должен знать", "знать", "знания")),
    ("liability", ("ответственность",)),
    ("rights", ("права",)),
    ("duties", ("обязанности", "функции")),
    ("relations", ("взаимоотношения", "взаимодействие", "связи по должности")),
    ("conditions", ("условия работы", "режим работы")),
    ("general", ("общие положения",)),
)


def norm(text: str) -> str:
    text = text.lower().replace("ё", "е")
    text = re.sub(r"^\s*(?:[\d.]+\)?|[•\-–*])\s*", "", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(".,;: ")


def source_text(gold: Path) -> str:
    stem = gold.name[: -len(".gold.jsonl")]
    for path in sorted(gold.parent.glob(stem + ".*")):
        if path.name.endswith(".gold.jsonl"):
            continue
        if path.suffix == ".txt":
            return path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".docx":
            import docx

            return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return ""


def _heading_type(line: str) -> str:
    low = line.lower().strip(" .:0123456789IVX")
    if len(low) > 60:
        return ""
    for section, words in _HEADINGS:
        if any(low.startswith(w) or low.endswith(w) for w in words):
            return section
    return ""


def guess_context(text: str, clause: str) -> tuple[str, str]:
    """(section type, lead-in) guessed from the lines above the clause in the source text."""
    flat = re.sub(r"\s+", " ", text)
    probe = re.sub(r"\s+", " ", clause).strip()[:40]
    at = flat.find(probe)
    if at < 0:
        return "", ""
    before = flat[:at]
    lines = re.split(r"(?<=[.;:])\s+(?=[А-ЯA-Z0-9IVX•\-])", before)
    lead_in = ""
    for line in reversed(lines[-40:]):
        line = line.strip()
        if line.endswith(":") and len(line) < 160:
            lead_in = line
            break
        if _heading_type(line):
            break
    section = ""
    for line in reversed(lines):
        section = _heading_type(line)
        if section:
            break
    return section, lead_in


def gold_clauses(directory: Path, context: str) -> list[tuple[Clause, str]]:
    out: list[tuple[Clause, str]] = []
    for gold in sorted(directory.glob("*.gold.jsonl")):
        rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = [r for r in rows if r.get("type") == "clause" and not r.get("optional")]
        text = source_text(gold) if context == "guess" else ""
        for row in rows:
            section, lead_in = guess_context(text, row["text"]) if text else ("", "")
            clause = Clause(source=gold.name, instruction=row.get("instruction", 1), number=row.get("number", ""),
                            text=row["text"], start=0, stop=0, section_type=section, lead_in=lead_in)
            out.append((clause, row["label"]))
    return out


def macro_f1(pairs: list[tuple[str, str]]) -> tuple[float, dict[str, float]]:
    per: dict[str, float] = {}
    for label in LABELS:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        per[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return sum(per.values()) / len(per), per


def structured(directory: Path) -> dict[str, list[Clause]]:
    """The clauses ``pipeline.structure`` finds in each source beside a gold file, by gold stem."""
    from pipeline import readers
    from pipeline.structure import structure

    out: dict[str, list[Clause]] = {}
    for gold in sorted(directory.glob("*.gold.jsonl")):
        stem = gold.name[: -len(".gold.jsonl")]
        for path in sorted(directory.glob(stem + ".*")):
            if path.name.endswith(".gold.jsonl"):
                continue
            try:
                document = readers.read(str(path))
            except Exception as error:  # noqa: BLE001 - a reader failure is reported, the set goes on
                print(f"  {path.name}: {error}")
                continue
            out.setdefault(stem, []).extend(structure(document).clauses)
    return out


def matched_gold(directory: Path) -> list[tuple[Clause, str]]:
    """Structured clauses paired with the gold label of the gold clause they match (FORMAT.md matching)."""
    from evaluation.clauses import load_gold, match

    gold = load_gold(directory)
    pairs = []
    for stem, clauses in structured(directory).items():
        doc = gold.get(stem)
        if doc is None:
            continue
        for gi, pi, _ in match([g.text for g in doc.clauses], [c.text for c in clauses]):
            if not doc.clauses[gi].optional:
                pairs.append((clauses[pi], doc.clauses[gi].label))
    return pairs


def end_to_end(directory: Path, classifier, errors: bool = False) -> None:
    """Read each source beside the gold files, structure it, classify it, score with evaluation.clauses."""
    from evaluation.clauses import evaluate

    predictions = []
    clauses_total, seconds = 0, 0.0
    for stem, clauses in structured(directory).items():
        start = time.perf_counter()
        labelled = classifier.predict(clauses)
        seconds += time.perf_counter() - start
        clauses_total += len(labelled)
        predictions += [{"source": c.source or stem, "instruction": c.instruction, "number": c.number,
                         "text": c.text, "label": c.label, "confidence": c.confidence} for c in labelled]
    report = evaluate(directory, predictions)
    print(report.table())
    print(f"classified {clauses_total} clauses in {seconds:.2f}s")
    if errors:
        pairs = matched_gold(directory)
        for (clause, gold), got in zip(pairs, classifier.predict([c for c, _ in pairs]), strict=True):
            if got.label != gold:
                print(f"  gold={gold} got={got.label} [{clause.section_type}|{clause.lead_in[:40]}] "
                      f"{clause.text[:90]!r} :: {got.reason}")


def throughput(kind: str) -> None:
    """Clauses per second on the training clauses: cold (empty lemma caches, analyzer loading
    included) and warm (a second pass, as inside a long batch). Pin to one core with ``taskset -c 0``."""
    from pipeline.classify import analysis, load, rules

    root = Path(__file__).resolve().parent.parent / "corpora" / "training" / "clauses.jsonl"
    rows = [json.loads(line) for line in root.read_text(encoding="utf-8").splitlines() if line.strip()]
    clauses = [Clause(source="bench", instruction=1, number="", text=r["text"], start=0, stop=0,
                      section_type=r["section_type"], lead_in=r["lead_in"]) for r in rows]
    classifier = load(kind)
    analysis.analyse.cache_clear()
    rules._decide_cached.cache_clear()
    for run in ("cold", "warm"):
        start = time.perf_counter()
        classifier.predict(clauses)
        elapsed = time.perf_counter() - start
        print(f"{classifier.kind} {run}: {len(clauses)} clauses in {elapsed:.2f}s = {len(clauses) / elapsed:.0f}/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dirs", nargs="*")
    parser.add_argument("--bench", action="store_true", help="measure clauses per second and stop")
    parser.add_argument("--kind", default="auto")
    parser.add_argument("--context", default="guess", choices=("none", "guess", "structure"))
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    if args.bench:
        throughput(args.kind)
        return 0
    from pipeline.classify import load

    classifier = load(args.kind)
    if args.context == "structure":
        for d in args.dirs:
            end_to_end(Path(d), classifier, args.errors)
        return 0
    items = [item for d in args.dirs for item in gold_clauses(Path(d), args.context)]
    start = time.perf_counter()
    predicted = classifier.predict([c for c, _ in items])
    elapsed = time.perf_counter() - start
    pairs = [(gold, p.label) for (_, gold), p in zip(items, predicted, strict=True)]
    score, per = macro_f1(pairs)
    accuracy = sum(g == p for g, p in pairs) / max(len(pairs), 1)
    print(f"{classifier.kind}: n={len(pairs)} accuracy={accuracy:.3f} macro-F1={score:.3f} "
          + " ".join(f"{k}={v:.2f}" for k, v in per.items()) + f" ({len(pairs) / elapsed:.0f} clauses/s)")
    if args.errors:
        confusion = Counter((g, p) for g, p in pairs if g != p)
        print(confusion.most_common())
        for (clause, gold), p in zip(items, predicted, strict=True):
            if gold != p.label:
                print(f"  gold={gold} got={p.label} [{clause.section_type}|{clause.lead_in[:40]}] "
                      f"{clause.text[:90]!r} :: {p.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
