"""Write ``samples.jsonl``: the gold-labelled clauses of ``corpora/samples`` with the context
the structure stage gives them (section type, lead-in), as training rows.

    python corpora/training/from_samples.py

``corpora/samples`` is written for the project (never ``../shared/eval``). Each gold clause is
matched to a structured clause as FORMAT.md scores them; the row keeps the structured clause's
text, section type and lead-in and the gold label. ``group`` is the document, so cross-validation
holds out whole documents.
"""

from __future__ import annotations

import json
from pathlib import Path

from evaluation.classify import matched_gold

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"
OUT = HERE / "samples.jsonl"


def rows() -> list[dict[str, str]]:
    out = []
    for clause, label in matched_gold(SAMPLES):
        stem = Path(clause.source).name.rsplit(".", 1)[0]
        out.append({"text": clause.text, "label": label, "section_type": clause.section_type,
                    "lead_in": clause.lead_in, "group": "sample:" + stem, "kind": "sample"})
    return out


def main() -> None:
    found = rows()
    with OUT.open("w", encoding="utf-8") as out:
        for row in found:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{OUT.name}: {len(found)} clauses from {len({r['group'] for r in found})} documents")


if __name__ == "__main__":
    main()
