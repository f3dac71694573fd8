"""Write ``samples.jsonl`` and ``registers.jsonl``: the gold clauses of the project's own annotated documents
(``corpora/samples``, ``corpora/registers``: written for the project, never ``../shared/eval``) as training
rows, each with the context a classifier sees.

    python corpora/training/from_gold.py

Two contexts per document:

- ``gold``: every gold clause with the section heading and lead-in found above it in the source text
  (``evaluation.classify.with_gold_context``), so documents in which the structure stage finds no instruction
  still give rows;
- ``structure``: the clauses the structure stage finds, matched to the gold clauses as FORMAT.md scores them,
  with the section and lead-in the structure stage gives them; kept where that context differs from the gold
  one, so the model also learns from the context it will really get.

``section`` names a run of clauses under one heading (the content of a section votes on its type:
``pipeline/classify/sections.py``); ``group`` is the document, so cross-validation holds out whole documents.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evaluation.classify import gold_clauses, matched_gold  # noqa: E402
from pipeline.classify.sections import runs  # noqa: E402

SETS = {"samples": ROOT / "corpora" / "samples", "registers": ROOT / "corpora" / "registers"}


def _stem(source: str) -> str:
    name = Path(source).name
    return name.rsplit(".", 1)[0] if "." in name else name


def _section_ids(clauses, prefix: str) -> list[str]:
    """The section name of each clause as the classifier forms it (``sections.runs``), made unique per set."""
    return [f"{prefix}:{_stem(c.source)}:{name}" if name else "" for c, name in zip(clauses, runs(clauses), strict=True)]


def rows(name: str, directory: Path) -> list[dict[str, str]]:
    gold = gold_clauses(directory, "gold")
    out = []
    seen = set()
    for (clause, label), section in zip(gold, _section_ids([c for c, _ in gold], name), strict=True):
        stem = _stem(clause.source)
        seen.add((stem, clause.text, clause.section_type, clause.lead_in))
        out.append({"text": clause.text, "label": label, "section_type": clause.section_type,
                    "section_title": clause.section_title, "lead_in": clause.lead_in, "section": section,
                    "group": f"{name}:{stem}", "kind": "gold-context"})
    matched = matched_gold(directory)
    for (clause, label), section in zip(matched, _section_ids([c for c, _ in matched], name + "-s"), strict=True):
        stem = _stem(clause.source)
        if (stem, clause.text, clause.section_type, clause.lead_in) in seen:
            continue
        out.append({"text": clause.text, "label": label, "section_type": clause.section_type,
                    "section_title": clause.section_title, "lead_in": clause.lead_in, "section": section,
                    "group": f"{name}:{stem}", "kind": "structure"})
    return out


def main() -> None:
    for name, directory in SETS.items():
        found = rows(name, directory)
        path = HERE / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in found:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        kinds = {k: sum(r["kind"] == k for r in found) for k in ("gold-context", "structure")}
        print(f"{path.name}: {len(found)} rows from {len({r['group'] for r in found})} documents {kinds}")


if __name__ == "__main__":
    main()
