"""A catalogue store built from the sample corpus through the real pipeline (read, structure, classify, facts, dedup)."""

from __future__ import annotations

from pathlib import Path

from pipeline import classify
from pipeline.batch import collect_inputs, process_file
from pipeline.catalogue.store import Store

SAMPLES = Path(__file__).parent.parent / "corpora" / "samples"


def build_sample_store(db: Path, exclude: tuple[str, ...] = ()) -> Path:
    """Import every sample document (but ``exclude``), with its facts, into a new DuckDB file at ``db``."""
    files, _ = collect_inputs([SAMPLES])
    classifier = classify.load("auto")
    results = [process_file(f, classifier) for f in files if f.name not in exclude]
    with Store(db) as store:
        store.import_documents((r.manifest(), r.instructions, r.clauses, r.facts)
                               for r in results if r.status == "ok")
    return db
