"""bench/resume_demo.py at a small size: the script that shows kill -9 and resume on 2,000 files keeps working.

The kill moments are fixed here (the script picks random ones): a third of the way into the extract and into
the import. The demo's own checks are the assertions: the run was really
interrupted, nothing was left under a final name, the rerun reused the finished files, and every output (every
table for the import) is identical to the uninterrupted run's.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import resume_demo  # noqa: E402

SIZE = 80


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> resume_demo.Setup:
    work = tmp_path_factory.mktemp("resume")
    code = resume_demo.snapshot_code(work / "code")
    inputs = work / "corpus"
    resume_demo.make_corpus(inputs, SIZE)
    return resume_demo.Setup(inputs, work, code, workers=2, classifier="rules")


def test_the_corpus_mixes_bad_files_among_good_ones(setup):
    names = sorted(p.name for p in setup.inputs.iterdir())
    bad = [k for k, name in enumerate(names) if " bad " in name]
    assert len(names) == SIZE
    assert len(bad) == len(resume_demo.bad_cases())
    assert bad[0] > 0 and bad[-1] < SIZE - 1  # spread among the good files, not bunched at one end
    assert any(" copy of " in name for name in names)


def test_extract_killed_in_the_middle_then_resumed(setup):
    outcome = resume_demo.demo_extract(setup, random.Random(0), kill_at=SIZE // 3)
    assert outcome.problems == []
    assert outcome.killed.still_running and outcome.killed.group_gone
    assert SIZE // 3 <= outcome.done_before_kill < SIZE
    assert outcome.left_after_kill == []
    assert 0 < outcome.resumed <= outcome.done_before_kill
    assert sum(outcome.totals.values()) == SIZE
    assert outcome.totals["failed"] > 0 and outcome.totals["skipped"] > 0
    assert {"clauses.jsonl", "manifest.jsonl", "instructions.jsonl"} <= set(outcome.compared)


def test_import_killed_in_the_middle_then_resumed(setup):
    outcome = resume_demo.demo_import(setup, random.Random(0), kill_at=SIZE // 3)
    assert outcome.problems == []
    assert outcome.killed.still_running and outcome.killed.group_gone
    assert SIZE // 3 <= outcome.done_before_kill < SIZE
    assert outcome.left_after_kill == []
    assert 0 < outcome.resumed <= outcome.done_before_kill
    assert sum(outcome.totals.values()) == SIZE
    assert any(name.startswith("clauses (") for name in outcome.compared)
    assert "catalogue.manifest.jsonl" in outcome.compared


@pytest.mark.parametrize(
    "left, right, differences",
    [
        ({"clauses.jsonl": b"a\n"}, {"clauses.jsonl": b"a\n"}, []),
        ({"clauses.jsonl": b"a\n"}, {"clauses.jsonl": b"b\n"}, ["clauses.jsonl: contents differ"]),
        ({"clauses.jsonl": b"a\n", "facts.csv": b""}, {"clauses.jsonl": b"a\n"}, ["facts.csv: only in A"]),
        ({"jobclauses.log": b"03:00"}, {"jobclauses.log": b"04:00"}, []),  # excluded, with its reason
        ({resume_demo.JOURNAL: b"h\nx\ny\n"}, {resume_demo.JOURNAL: b"h\ny\nx\n"}, []),  # the order files were done in
        ({resume_demo.JOURNAL: b"h\nx\n"}, {resume_demo.JOURNAL: b"h\nx\nx\n"}, [f"{resume_demo.JOURNAL}: contents differ"]),
    ],
)
def test_compare_folders(tmp_path, left, right, differences):
    for side, files in (("a", left), ("b", right)):
        (tmp_path / side).mkdir()
        for name, data in files.items():
            (tmp_path / side / name).write_bytes(data)
    assert resume_demo.compare_folders(tmp_path / "a", tmp_path / "b")[1] == differences
