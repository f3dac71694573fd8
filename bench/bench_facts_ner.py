"""What natasha costs and adds in the facts stage: ``organisation`` and ``approver`` with the rules alone and with
natasha's NER (``pipeline.facts.parties``), on the documents given.

    python bench/bench_facts_ner.py corpora/samples [more files or folders] [--repeat 3]

Each document is read, structured and classified once (rules classifier, not timed); then the facts stage is
timed on it (CPU time) without natasha and with it, natasha's line cache emptied before each document (the cost
of a document whose letterhead was never seen: the worst case; a batch of one employer's documents pays it once).
Prints the models' load time (once per process), the seconds added per 1000 documents, how many lines natasha
tagged, and how many documents get a non-empty organisation and approver in each mode. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import classify  # noqa: E402
from pipeline.batch import process_document  # noqa: E402
from pipeline.facts import Natasha, extract_all  # noqa: E402
from pipeline.readers import ReadError, read  # noqa: E402

SKIP = (".jsonl", ".json", ".md", ".py")


def documents(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for arg in args:
        p = Path(arg)
        out += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.endswith(SKIP)) if p.is_dir() else [p]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per mode (the least is kept)")
    args = parser.parse_args(argv)
    classifier = classify.load("rules")
    ready = []
    for path in documents(args.paths):
        try:
            document = read(path)
        except ReadError:
            continue
        instructions, clauses, _ = process_document(document, classifier, None)
        if clauses:
            ready.append((path, instructions, clauses, document.text))
    ner = Natasha()
    t0 = time.process_time()
    ner.load()
    load = time.process_time() - t0
    ner.spans("Северный завод Иванова Ивана Ивановича")  # the first call warms the taggers up: not a document's
    seconds = {"rules": [], "natasha": []}
    found = {}
    for _ in range(args.repeat):
        for mode in ("rules", "natasha"):
            total, calls, counts = 0.0, 0, {"organisation": 0, "approver": 0, "either": 0}
            for _path, instructions, clauses, text in ready:
                ner._cache.clear()
                ner._normals.clear()
                before = ner.calls
                t = time.process_time()
                facts = extract_all(instructions, clauses, text, ner if mode == "natasha" else None)
                total += time.process_time() - t
                calls += ner.calls - before
                counts["organisation"] += any(f.organisation for f in facts)
                counts["approver"] += any(f.approver for f in facts)
                counts["either"] += any(f.organisation or f.approver for f in facts)
            seconds[mode].append(total)
            found[mode] = (counts, calls)
    n = len(ready)
    rules, natasha = min(seconds["rules"]), min(seconds["natasha"])
    print(f"documents with clauses: {n}; natasha's models loaded in {load:.2f} CPU-s (once per process)")
    for mode, value in (("rules alone", rules), ("with natasha", natasha)):
        key = "rules" if mode == "rules alone" else "natasha"
        counts, calls = found[key]
        print(f"{mode:<13} facts stage {value / n * 1000:7.2f} CPU-s per 1000 documents; "
              f"organisation in {counts['organisation']}, approver in {counts['approver']} of {n} documents; "
              f"lines tagged by natasha {calls}")
    print(f"natasha adds {(natasha - rules) / n * 1000:.2f} CPU-s per 1000 documents (cold line cache)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
