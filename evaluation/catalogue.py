"""The catalogue's gold sets: clause records catalogued and scored pairwise against a person's clusters.

A gold folder holds ``clauses.jsonl`` (clause records as the pipeline writes them: source, instruction,
position, number, text, label) and ``*.clusters.jsonl`` (the group a person gave each clause, in the format
of ``../shared/eval/FORMAT.md``). :func:`score` builds the catalogue from the records and scores, with
``evaluation.clauses.evaluate_clusters``, either level: ``variant`` (the wording: ``corpora/dedup`` was
written for near-duplicate wordings) or ``provision`` (the canonical clause, ``canonical_id``).
:func:`disagreements` lists the pairs the variant level got wrong with the verdict of its similarity.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from pipeline.catalogue import build, explain, verify
from pipeline.normalise import normalise
from pipeline.records import Clause

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "corpora" / "dedup"


def load_records(folder: Path = DEFAULT_DIR) -> list[dict[str, Any]]:
    """The clause records of ``clauses.jsonl``."""
    lines = (Path(folder) / "clauses.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def predict(folder: Path = DEFAULT_DIR, level: str = "variant", records: list[dict[str, Any]] | None = None,
            scorer: Any = None) -> list[dict[str, Any]]:
    """The clause records with the id the catalogue gives them at ``level`` as ``canonical_id``."""
    out, _ = _catalogued(folder, records, scorer)
    if level == "variant":
        return [dict(r, canonical_id=r["variant_id"]) for r in out]
    return out


def _catalogued(folder: Path, records: list[dict[str, Any]] | None = None,
                scorer: Any = None) -> tuple[list[dict[str, Any]], Any]:
    records = load_records(folder) if records is None else records
    clauses = [
        Clause(source=r["source"], instruction=r.get("instruction", 1), number=r.get("number", ""),
               text=r["text"], start=0, stop=len(r["text"]), label=r.get("label", ""))
        for r in records
    ]
    positions = {(r["source"], r.get("instruction", 1)): r.get("position", "") for r in records}
    built, catalogue = build(clauses, positions, scorer=scorer)
    out = []
    for r, c in zip(records, built, strict=True):
        key = normalise(c.text, positions[(c.source, c.instruction)]).key
        out.append(dict(r, canonical_id=c.canonical_id, variant_id=catalogue.keys[(c.label, key)]))
    return out, catalogue


def score(folder: Path = DEFAULT_DIR, level: str = "variant", records: list[dict[str, Any]] | None = None,
          scorer: Any = None) -> Any:
    """The pairwise report (``evaluation.clauses.ClusterReport``) of the catalogue on the gold, at ``level``."""
    from .clauses import evaluate_clusters

    return evaluate_clusters(Path(folder), predict(folder, level, records, scorer))


def disagreements(folder: Path = DEFAULT_DIR) -> list[tuple[str, str, str, str]]:
    """(kind, text a, text b, verdict) for every wrongly merged (FP) or wrongly split (FN) gold pair.

    Gold clauses are joined to records by exact source and text (the gold was written with them).
    """
    predicted = {(r["source"], r["text"]): r for r in predict(folder, "variant")}
    gold = []
    for path in sorted(Path(folder).glob("*.clusters.jsonl")):
        gold += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for a, b in itertools.combinations(gold, 2):
        if a["label"] != b["label"]:
            continue
        ra, rb = predicted[(a["source"], a["text"])], predicted[(b["source"], b["text"])]
        same_gold = a["cluster"] == b["cluster"]
        same_id = ra["canonical_id"] == rb["canonical_id"]
        if same_gold != same_id:
            verdict = explain(_unplaced(ra), _unplaced(rb), a["label"])
            kind = "FN" if same_gold else "FP"
            out.append((kind, a["text"], b["text"], f"{verdict.rule} J={verdict.jaccard} {verdict.detail}"))
    return out


def merges(folder: Path = DEFAULT_DIR) -> list[tuple[str, str, str, str]]:
    """(variant id, anchor text, wording, verdict) for every wording merged into a variant.

    The verdict is the rule and similarity that joins the wording to the variant's anchor (the wording it
    was built from), with the equivalences of ``clause_synonyms.tsv`` it used.
    """
    records, catalogue = _catalogued(folder)
    keyed = [(r, normalise(r["text"], r.get("position", ""))) for r in records]
    anchor_text = {n.key: r["text"] for r, n in reversed(keyed)}  # the first clause of each key
    out, seen = [], set()
    for r, norm in sorted(keyed, key=lambda rn: (rn[0]["variant_id"], rn[1].key)):
        anchor = catalogue.variants[r["variant_id"]].anchor
        if norm.key == anchor or (r["variant_id"], norm.key) in seen:
            continue
        seen.add((r["variant_id"], norm.key))
        verdict = verify(tuple(anchor.split()), norm.lemmas, r["label"])
        out.append((r["variant_id"], anchor_text[anchor], r["text"],
                    f"{verdict.rule} J={verdict.jaccard} {verdict.detail}"))
    return out


def _unplaced(record: dict[str, Any]) -> str:
    """The record's text with its own position name replaced, so that ``explain`` compares like build."""
    return normalise(record["text"], record.get("position", "")).readable


def main(argv: list[str]) -> None:
    """`python -m evaluation.catalogue [FOLDER] [--pairs] [--merges]`: the scores; with --pairs every
    wrong pair, with --merges why each merged wording joined its canonical clause."""
    folders = [a for a in argv if not a.startswith("--")]
    folder = Path(folders[0]) if folders else DEFAULT_DIR
    print(score(folder).table())
    if "--pairs" in argv:
        for row in disagreements(folder):
            print(" | ".join(row))
    if "--merges" in argv:
        for row in merges(folder):
            print(" | ".join(row))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
