"""The project's own gold sets, end to end: the structure stage must not fall below 0.97 segmentation F1 on any of
them (issue 14), and its positions must stay right. The golden tree files fix what the pipeline prints; this fixes
how well it does by the gold, so a change that rewrites the trees and loses clauses is caught.

The sets are the project's own (trained-on or tuned-on, see ``evaluation/sets.py``): these figures guard against
regressions, they are no estimate of quality on unseen documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.clauses import evaluate
from pipeline.batch import collect_inputs, load_classifier, run_in_process
from pipeline.export.tables import clause_row

ROOT = Path(__file__).resolve().parent.parent
SETS = ["samples", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "blind1", "registers"]


def predictions(folder: Path) -> list[dict]:
    files, _ = collect_inputs([folder])
    rows = []
    for result in run_in_process(files, load_classifier("rules")):
        positions = {i.index: i.position for i in result.instructions}
        rows += [clause_row(c, positions.get(c.instruction, "")) for c in result.clauses]
    return rows


@pytest.mark.parametrize("name", SETS)
def test_structure_on_the_projects_own_sets(name):
    folder = ROOT / "corpora" / name
    figures = evaluate(folder, predictions(folder)).figures()
    assert figures["segmentation_f1"] >= 0.97, figures
    assert figures["position_accuracy"] >= 0.9, figures
