"""The batch runner: isolation of bad files, worker count, resume after an interruption."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import readers
from pipeline.batch import Journal, collect_inputs, run
from pipeline.cli import main

INSTRUCTION = """Должностная инструкция {who}

1. Общие положения
1.1. {Who} подчиняется директору.
2. Должностные обязанности
2.1. Ведет учет документов.
2.2. Готовит отчеты для руководства.
3. Ответственность
3.1. За причинение материального ущерба.
"""
POSITIONS = ["кладовщика", "охранника", "секретаря", "бухгалтера", "кассира", "водителя", "повара", "инженера"]


def write_batch(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        who = POSITIONS[k % len(POSITIONS)]
        text = INSTRUCTION.format(who=who, Who=who.capitalize()) + f"3.2. За нарушение регламента № {k}.\n"
        (folder / f"doc{k:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("clauses.jsonl", "clauses.csv", "instructions.jsonl",
                                                        "manifest.jsonl")}


@pytest.fixture()
def misbehaving_reader(monkeypatch):
    """A text reader that hangs, crashes or eats memory on files named so: the real isolation is tested."""
    readers._load_readers()
    real = readers.READERS["txt"]

    def reader(path: str, data: bytes):
        name = Path(path).name
        if name.startswith("hang"):
            time.sleep(600)
        if name.startswith("crash"):
            os._exit(3)
        if name.startswith("hog"):
            hog = bytearray(8 * 1024**3)
            return hog
        return real(path, data)

    monkeypatch.setitem(readers.READERS, "txt", reader)


@pytest.mark.parametrize(
    "name, reason",
    [
        ("hang.txt", "timed out after 3 s"),
        ("crash.txt", "the reader crashed (exit code 3)"),
        ("hog.txt", "out of memory while reading the file"),
    ],
)
def test_a_bad_file_is_isolated(tmp_path, misbehaving_reader, name, reason):
    folder = write_batch(tmp_path / "in", 3)
    (folder / name).write_text("Должностная инструкция", encoding="utf-8")
    files, _ = collect_inputs([folder])
    results = list(run(files, "rules", workers=2, timeout=3.0, memory=2 * 1024**3))
    by_name = {Path(r.path).name: r for r in results}
    assert len(results) == 4
    assert (by_name[name].status, by_name[name].reason) == ("failed", reason)
    assert all(by_name[f"doc{k:04d}.txt"].status == "ok" for k in range(3))


def test_results_do_not_depend_on_worker_count(tmp_path):
    folder = write_batch(tmp_path / "in", 12)
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["extract", str(folder), "--out", str(one), "--workers", "1", "-q", "--classifier", "rules"]) == 0
    assert main(["extract", str(folder), "--out", str(two), "--workers", "2", "-q", "--classifier", "rules"]) == 0
    assert outputs(one) == outputs(two)


def test_results_do_not_depend_on_input_order(tmp_path):
    folder = write_batch(tmp_path / "in", 8)
    names = sorted(str(p) for p in folder.iterdir())
    shuffled = names[3:] + names[:3][::-1]
    runs = {"sorted": names, "shuffled": shuffled, "reversed": names[::-1]}
    for name, inputs in runs.items():
        assert main(["extract", *inputs, "--out", str(tmp_path / name), "-q", "--classifier", "rules",
                     "--workers", "1"]) == 0
    assert outputs(tmp_path / "sorted") == outputs(tmp_path / "shuffled") == outputs(tmp_path / "reversed")


def test_kill_and_resume_gives_the_same_outputs(tmp_path):
    folder = write_batch(tmp_path / "in", 60)
    full, resumed = tmp_path / "full", tmp_path / "resumed"
    assert main(["extract", str(folder), "--out", str(full), "-q", "--classifier", "rules"]) == 0

    cmd = [sys.executable, "-m", "pipeline", "extract", str(folder), "--out", str(resumed), "-q",
           "--classifier", "rules", "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    journal = resumed / ".jobclauses-journal.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) > 10:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(journal.read_text(encoding="utf-8").splitlines()) - 1
    assert 0 < done_before < 60, "the run was not interrupted halfway"
    assert not (resumed / "clauses.jsonl").exists()  # nothing half-written under a final name

    rerun = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "already done" in rerun.stdout
    assert outputs(resumed) == outputs(full)


@pytest.mark.parametrize("reused", [0, 1, 5])
def test_reopening_the_journal_keeps_the_reused_results_and_appends(tmp_path, reused):
    folder = write_batch(tmp_path / "in", 6)
    files, _ = collect_inputs([folder])
    results = list(run(files, "rules", workers=1))
    path = tmp_path / "out" / ".jobclauses-journal.jsonl"
    first = Journal(path, "f1")
    first.open()
    for result in results:
        first.append(result)
    first.close()

    second = Journal(path, "f1")
    assert list(second.load()) == [r.path for r in results]
    second.done = {r.path: r for r in results[:reused]}
    second.open()
    second.append(results[-1])
    second.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left behind
    assert list(Journal(path, "f1").load()) == [r.path for r in results[:reused]] + [results[-1].path]
    assert Journal(path, "f2").load() == {}  # other settings: nothing is reused
