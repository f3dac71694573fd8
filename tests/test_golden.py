"""Golden renderings of the sample corpus: the structure tree of every document, compared as text.

Regenerate after an intended change with ``JOBCLAUSES_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review
the diff; the switch must never be on in CI (a test below checks it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.readers import read
from pipeline.structure import structure

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "corpora" / "samples").iterdir() if p.suffix in {".txt", ".html", ".docx"})
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("JOBCLAUSES_UPDATE_GOLDEN") == "1"


def render(path: Path) -> str:
    doc = read(path)
    found = structure(doc)
    lines = []
    for ins in found.instructions:
        lines.append(f"instruction {ins.index} | {ins.position} | {ins.title}")
        for c in (c for c in found.clauses if c.instruction == ins.index):
            lead = f" <- {c.lead_in}" if c.lead_in else ""
            lines.append(f"  {c.path} [{c.section_type or '-'}] {c.text}{lead}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_structure_matches_golden(path: Path):
    golden = GOLDEN / (path.name + ".tree.txt")
    got = render(path)
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden file for {path.name}: run with JOBCLAUSES_UPDATE_GOLDEN=1"
    assert got == golden.read_text(encoding="utf-8")


def test_update_switch_is_off_in_ci():
    assert not (UPDATE and os.environ.get("CI")), "golden files must not be regenerated in CI"
