"""Facts per instruction measured against a facts gold: per-field accuracy, precision and recall.

`python -m pipeline.facts_eval [--gold FILE] [--pred instructions.jsonl] [--classifier rules]` prints one
line per fact. Without ``--pred`` the gold's documents (in the gold file's folder) are read, structured,
classified and their facts extracted here; with it, the facts an ``extract`` run wrote are scored, so
``make eval`` measures exactly what ships.

Gold records and predictions are matched by source and position (as ``pipeline.facts.score`` does:
instruction numbers depend on the structure stage). Per field:

- accuracy: gold records whose predicted value equals the gold value, an empty value equal to an empty one
  (a fact the text does not state is right when nothing is extracted), over all gold records;
- precision and recall of the non-empty values (``pipeline.facts.score``).

The rows of ``instructions.jsonl`` and of the database are flat (``pipeline.facts.facts_row``: lists
joined with ``; ``); :func:`unflatten` turns one back into lists, which no role or level loses: the
rules cut a role phrase at ``;`` and levels come from a vocabulary.

>>> unflatten({"source": "a.txt", "instruction": 1, "education": "высшее; среднее профессиональное",
...            "experience_years": "0; 2"})["experience_years"]
[0.0, 2.0]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

DEFAULT_GOLD = Path(__file__).resolve().parent.parent / "corpora" / "samples" / "facts-gold.jsonl"
#: The stored fact columns, in order (``pipeline.facts.FIELDS`` with ``min_experience`` after the years).
FACT_FIELDS = ("education", "education_field", "experience_years", "min_experience", "reports_to", "substitute",
               "appointed_by", "approved_by", "approved_on")
#: Facts that are lists, and the type of their items.
LIST_FIELDS = {"education": str, "experience_years": float, "reports_to": str}
#: The separator ``pipeline.facts.facts_row`` joins lists with.
JOIN = "; "


def _as_list(value: Any, kind: type) -> list[Any]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        items = [part.strip() for part in value.split(JOIN.strip())]
    else:
        items = list(value)
    return [kind(item) for item in items if str(item).strip() != ""]


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def unflatten(row: Mapping[str, Any]) -> dict[str, Any]:
    """A facts row (flat, as written to instructions.jsonl, or with lists) as source, instruction, position
    and ``FACT_FIELDS``, lists as lists and missing values empty."""
    out: dict[str, Any] = {"source": _text(row.get("source")), "instruction": int(row.get("instruction") or 0),
                           "position": _text(row.get("position"))}
    for name in FACT_FIELDS:
        if name in LIST_FIELDS:
            out[name] = _as_list(row.get(name), LIST_FIELDS[name])
        elif name != "min_experience":
            out[name] = _text(row.get(name))
    years = out["experience_years"]
    out["min_experience"] = min(years) if years else None
    return out


def facts_from_row(row: Mapping[str, Any]) -> Any:
    """A ``pipeline.facts.Facts`` from a flat row (no evidence: the rows carry none)."""
    from .facts import Facts

    record = unflatten(row)
    record.pop("min_experience")
    return Facts.from_dict(record)


# --- scoring --------------------------------------------------------------------------------------------


def _comparable(name: str, value: Any) -> Any:
    """A value as compared: lists as tuples (years rounded to months' precision), nothing as ``""``."""
    if isinstance(value, (list, tuple)):
        items = tuple(round(float(v), 2) if name == "experience_years" else str(v) for v in value)
        return items or ""
    return value or ""


def accuracy(predicted: Sequence[Any], gold: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Per fact field (``pipeline.facts.FIELDS``): gold records, those matched exactly and their share."""
    from .facts import FIELDS

    by_key: dict[tuple[str, str], Any] = {}
    for f in predicted:
        by_key.setdefault((f.source, f.position), f)
    out = {}
    for name in FIELDS:
        matched = 0
        for record in gold:
            fact = by_key.get((record["source"], record["position"]))
            expected = _comparable(name, record.get(name, ""))
            got = _comparable(name, getattr(fact, name)) if fact else ""
            matched += got == expected
        out[name] = {"records": len(gold), "matched": matched,
                     "accuracy": round(matched / len(gold), 3) if gold else 0.0}
    return out


def evaluate(predicted: Sequence[Any], gold: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Accuracy, precision and recall per fact field (``score``'s keys beside ``accuracy``'s)."""
    from .facts import score

    precise = score(predicted, gold)
    return {name: {**values, **precise[name]} for name, values in accuracy(predicted, gold).items()}


def format_table(scores: Mapping[str, Mapping[str, float]]) -> str:
    lines = [f"{'fact':<18}{'accuracy':>9}{'ok':>5}{'of':>5}{'precision':>11}{'recall':>8}"]
    for name, s in scores.items():
        lines.append(f"{name:<18}{s['accuracy']:>9.3f}{s['matched']:>5}{s['records']:>5}{s['precision']:>11.3f}"
                     f"{s['recall']:>8.3f}")
    records = next(iter(scores.values()))["records"] if scores else 0
    matched = sum(s["matched"] for s in scores.values())
    total = records * len(scores)
    lines.append(f"{'all facts':<18}{(matched / total if total else 0.0):>9.3f}{matched:>5}{total:>5}")
    return "\n".join(lines)


# --- predictions ----------------------------------------------------------------------------------------


def predictions_from_jsonl(path: str | Path) -> list[Any]:
    """The facts of every instruction in an ``instructions.jsonl`` written by ``jobclauses extract``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [facts_from_row(json.loads(line)) for line in lines if line.strip()]


def predictions_from_documents(gold: Sequence[Mapping[str, Any]], folder: Path, classifier: str) -> list[Any]:
    """The facts of the gold's documents, extracted here by the pipeline."""
    from . import classify
    from .facts import facts_of_file

    model = classify.load(classifier)
    return [f for source in sorted({g["source"] for g in gold}) for f in facts_of_file(folder / source, model)]


def main(argv: Sequence[str] | None = None) -> int:
    from .facts import load_gold

    parser = argparse.ArgumentParser(prog="python -m pipeline.facts_eval", description=__doc__.split("\n")[0])
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="facts gold (JSON Lines)")
    parser.add_argument("--pred", help="instructions.jsonl of `jobclauses extract` (default: extract here)")
    parser.add_argument("--classifier", default="auto", choices=["auto", "model", "rules"])
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    if args.pred:
        predicted = predictions_from_jsonl(args.pred)
    else:
        predicted = predictions_from_documents(gold, Path(args.gold).parent, args.classifier)
    print(format_table(evaluate(predicted, gold)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
