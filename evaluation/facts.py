"""Facts per instruction measured against a facts gold: per-field accuracy, precision and recall.

`python -m evaluation.facts [--gold FILE] [--pred instructions.jsonl] [--classifier rules]` prints one line per
fact. Without ``--pred`` the gold's documents (in the gold file's folder) are run through the batch here; with
it, the facts an ``extract`` run wrote are scored, so ``make eval`` measures exactly what ships.

Gold records and predictions are matched by source and position (instruction numbers depend on the structure
stage); a list is one value (all levels, all experience requirements, every superior in order). Per field:

- precision: correct non-empty values over the non-empty values predicted;
- recall: correct non-empty values over the non-empty gold values;
- accuracy: correct non-empty values over the records where the gold or the prediction has a value. A fact
  that neither states is not counted at all: an empty prediction against an empty gold is no evidence that
  the rules work (it was counted as a hit before, which made an extractor that finds nothing look good).

>>> from pipeline.records import Facts
>>> gold = [{"source": "a.txt", "position": "кассир", "education": ["высшее"], "substitute": ""}]
>>> scores = evaluate([Facts("a.txt", 1, "кассир", education=("высшее",))], gold)
>>> scores["education"]["accuracy"], scores["substitute"]["records"]
(1.0, 0)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.records import FACT_NAMES, Facts

DEFAULT_GOLD = Path(__file__).resolve().parent.parent / "corpora" / "samples" / "facts-gold.jsonl"


def _comparable(name: str, value: Any) -> Any:
    """A value as compared: lists as tuples (years rounded to months' precision), nothing as ``""``."""
    if isinstance(value, (list, tuple)):
        items = tuple(round(float(v), 2) if name == "experience_years" else str(v) for v in value)
        return items or ""
    return value or ""


def evaluate(predicted: Sequence[Facts], gold: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per fact field: ``records`` (gold or prediction non-empty), ``matched`` (equal and non-empty),
    ``accuracy``, and ``predicted`` / ``gold`` / ``precision`` / ``recall`` of the non-empty values."""
    by_key: dict[tuple[str, str], Facts] = {}
    for f in predicted:
        by_key.setdefault((f.source, f.position), f)
    out: dict[str, dict[str, Any]] = {}
    for name in FACT_NAMES:
        made = correct = present = either = 0
        for record in gold:
            fact = by_key.get((record["source"], record["position"]))
            expected = _comparable(name, record.get(name, ""))
            got = _comparable(name, getattr(fact, name)) if fact else ""
            present += bool(expected)
            made += bool(got)
            either += bool(got or expected)
            correct += bool(got) and got == expected
        out[name] = {"records": either, "matched": correct,
                     "accuracy": round(correct / either, 3) if either else 0.0,
                     "predicted": made, "gold": present,
                     "precision": round(correct / made, 3) if made else 0.0,
                     "recall": round(correct / present, 3) if present else 0.0}
    return out


def format_table(scores: Mapping[str, Mapping[str, Any]]) -> str:
    lines = [f"{'fact':<18}{'accuracy':>9}{'ok':>5}{'of':>5}{'precision':>11}{'recall':>8}"]
    for name, s in scores.items():
        lines.append(f"{name:<18}{s['accuracy']:>9.3f}{s['matched']:>5}{s['records']:>5}{s['precision']:>11.3f}"
                     f"{s['recall']:>8.3f}")
    matched = sum(s["matched"] for s in scores.values())
    total = sum(s["records"] for s in scores.values())
    lines.append(f"{'all facts':<18}{(matched / total if total else 0.0):>9.3f}{matched:>5}{total:>5}")
    return "\n".join(lines)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def predictions_from_jsonl(path: str | Path) -> list[Facts]:
    """The facts of every instruction in an ``instructions.jsonl`` written by ``jobclauses extract``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [Facts.from_row(json.loads(line)) for line in lines if line.strip()]


def predictions_from_documents(gold: Sequence[Mapping[str, Any]], folder: Path, classifier: str,
                               ner: bool = True) -> list[Facts]:
    """The facts of the gold's documents, extracted here by the batch (``ner=False``: without natasha)."""
    from pipeline.batch import facts_of_file, load_classifier
    from pipeline.facts import NATASHA

    model = load_classifier(classifier)
    return [f for source in sorted({g["source"] for g in gold})
            for f in facts_of_file(folder / source, model, NATASHA if ner else None)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.facts", description=__doc__.split("\n")[0])
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="facts gold (JSON Lines)")
    parser.add_argument("--pred", help="instructions.jsonl of `jobclauses extract` (default: extract here)")
    parser.add_argument("--classifier", default="auto", choices=["auto", "model", "rules"])
    parser.add_argument("--no-ner", action="store_true",
                        help="organisation and approver by the rules alone, without natasha's NER")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    if args.pred:
        predicted = predictions_from_jsonl(args.pred)
    else:
        predicted = predictions_from_documents(gold, Path(args.gold).parent, args.classifier, not args.no_ner)
    print(format_table(evaluate(predicted, gold)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
