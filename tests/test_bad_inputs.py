"""The bad-input suite: every case is a file made here, run through the real command line beside a good file.

For each case: the manifest status and reason of the bad file, the good file still ``ok`` with the same clauses
as when it runs alone, every input exactly once in ``manifest.jsonl``, and no traceback on the terminal.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import badfiles
import pytest

from pipeline.batch import collect_inputs, run
from pipeline.cli import main

GOOD = "good.txt"


@dataclass(frozen=True)
class Case:
    filename: str
    make: Callable[[], bytes]
    status: str
    reason: str = ""  # a substring of the manifest reason ("" for ok)
    warning: str = ""  # a substring of one of the manifest warnings
    clauses: tuple[str, ...] = ()  # clause texts the bad file must still yield


CASES = [
    # A file with no text at all is not broken, just empty: skipped, whatever its format.
    pytest.param(Case("empty.txt", badfiles.empty, "skipped", "empty file"), id="empty"),
    pytest.param(Case("empty.docx", badfiles.empty, "skipped", "empty file"), id="empty-docx-name"),
    pytest.param(Case("blank.txt", badfiles.whitespace_only, "skipped", "empty file"), id="whitespace-only"),
    pytest.param(Case("unicode spaces.txt", badfiles.unicode_spaces_only, "skipped", "no text"),
                 id="unicode-spaces-only"),
    pytest.param(Case("blank page.html", badfiles.blank_html, "skipped", "no text: the page holds no visible text"),
                 id="html-without-visible-text"),
    pytest.param(Case("blank.docx", badfiles.blank_docx, "skipped", "no text: the document holds no text"),
                 id="docx-without-text"),
    pytest.param(Case("junk.txt", badfiles.binary_junk, "failed", "binary data"), id="binary-junk"),
    pytest.param(Case("high bytes.txt", badfiles.high_byte_junk, "failed", "cannot detect a text encoding"),
                 id="high-byte-junk"),
    pytest.param(Case("invalid utf8.txt", badfiles.invalid_utf8, "failed", "cannot detect a text encoding"),
                 id="invalid-utf8"),
    pytest.param(
        Case("mixed.txt", badfiles.mixed_encodings, "ok", warning="encoding",
             clauses=("Готовить реактивы и посуду к анализам.", "Принимает товары на склад по накладным.")),
        id="mixed-encodings",
    ),
    pytest.param(
        Case("nul padded.txt", badfiles.nul_padded, "ok", warning="NUL", clauses=("Вести журнал учета проб.",)),
        id="nul-padding",
    ),
    pytest.param(
        Case("nul lines.txt", badfiles.nul_sprinkled, "ok", warning="NUL", clauses=("Вести журнал учета проб.",)),
        id="nul-in-lines",
    ),
    pytest.param(
        Case("huge.txt", badfiles.huge_text, "failed", "too large"),
        id="50MB-text",
    ),
    pytest.param(Case("one line.txt", badfiles.one_long_line, "skipped", "no job description"),
                 id="5MB-one-line"),
    pytest.param(  # the facts grammars took 30 s on that clause: clauses over MAX_FACT_CLAUSE_CHARS are not parsed
        Case("huge clause.txt", badfiles.one_huge_clause, "ok", clauses=("Готовить реактивы и посуду к анализам.",)),
        id="1MB-clause",
    ),
    pytest.param(
        Case("deep list.txt", badfiles.deep_list_text, "ok",
             clauses=("Проверяет журнал номер 1 и передает его смене;",)),
        id="200-level-list-txt",
    ),
    pytest.param(
        Case("deep list.html", badfiles.deep_list_html, "ok", clauses=("Проверяет журнал номер 200;",)),
        id="200-level-list-html",
    ),
    pytest.param(
        Case("deep list.docx", badfiles.deep_list_docx, "ok", clauses=("Проверяет журнал номер 200;",)),
        id="200-level-list-docx",
    ),
    pytest.param(Case("nested tables.docx", badfiles.nested_tables_docx, "failed",
                      "tables nested 200 levels deep in word/document.xml exceed the reader's limit"),
                 id="200-nested-tables-docx"),
    pytest.param(
        Case("list start.docx", badfiles.huge_list_start, "ok", clauses=("Готовит реактивы к анализам;",)),
        id="docx-list-start-10**15",
    ),
    pytest.param(  # found by fuzz/run.py: roman() appended 'M' 10**15 times
        Case("roman start.docx", lambda: badfiles.huge_list_start("upperRoman", 999999999999999999), "ok",
             clauses=("Готовит реактивы к анализам;",)),
        id="docx-roman-list-start-10**18",
    ),
    pytest.param(Case("cut.docx", badfiles.corrupt_docx, "failed", "corrupt Word file"), id="truncated-docx"),
    pytest.param(Case("pk junk.docx", badfiles.garbage_after_zip_magic, "failed", "corrupt Word file"),
                 id="zip-magic-then-junk"),
    pytest.param(Case("bomb.docx", badfiles.zip_bomb_huge_member, "failed", "zip bomb"), id="zip-bomb-300MB"),
    pytest.param(Case("lying bomb.docx", badfiles.zip_bomb_lying_sizes, "failed", "corrupt Word file"),
                 id="zip-bomb-lying-sizes"),
    pytest.param(
        Case("deflate.docx", badfiles.docx_bad_deflate, "failed", "corrupt Word file"),
        id="docx-invalid-deflate",
    ),
    pytest.param(
        Case("no body.docx", badfiles.office_zip_bad_deflate, "failed", "corrupt Word file"),
        id="sniff-invalid-deflate",
    ),
    pytest.param(Case("members.docx", badfiles.zip_bomb_many_members, "failed", "zip bomb"),
                 id="zip-bomb-20000-members"),
    pytest.param(Case("laughs.docx", badfiles.entity_bomb_docx, "failed", "DTD"), id="xml-entity-bomb"),
    pytest.param(Case("xxe.docx", badfiles.external_entity_docx, "failed", "DTD"), id="xml-external-entity"),
    pytest.param(Case("secret.docx", badfiles.encrypted_office, "failed", "password"), id="encrypted-docx"),
    pytest.param(Case("secret.doc", badfiles.encrypted_office, "failed", "password"), id="encrypted-doc-name"),
    pytest.param(
        Case("web page.doc", badfiles.html_named_doc, "ok", clauses=("Готовить реактивы и посуду к анализам.",)),
        id="html-named-doc",
    ),
    pytest.param(Case("scan.doc", badfiles.pdf_named_doc, "failed", "PDF is not supported"), id="pdf-named-doc"),
    pytest.param(
        Case("saved as text.txt", badfiles.good_docx, "ok", clauses=("Вести журнал учета проб.",)),
        id="docx-named-txt",
    ),
    pytest.param(Case("recipe.txt", lambda: badfiles.RECIPE.encode("utf-8"), "skipped", "no job description"),
                 id="recipe"),
    pytest.param(
        Case("contract.txt", lambda: badfiles.CONTRACT.encode("utf-8"), "skipped", "no job description"),
        id="contract",
    ),
    pytest.param(Case("report.txt", lambda: badfiles.ENGLISH.encode("utf-8"), "skipped", "no job description"),
                 id="english-text"),
]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def extract(folder: Path, out: Path, capfd) -> tuple[dict[str, dict], list[dict], str]:
    """Run the command line on ``folder``: manifest by file name, clause rows, and what reached stderr.

    Also checks that every input appears exactly once in the manifest and that no traceback was printed.
    """
    capfd.readouterr()
    main(["extract", str(folder), "--out", str(out), "-q", "--classifier", "rules"])
    err = capfd.readouterr().err
    assert "Traceback" not in err
    rows = read_jsonl(out / "manifest.jsonl")
    paths = [row["path"] for row in rows]
    assert len(paths) == len(set(paths))
    inputs, _ = collect_inputs([folder])
    assert sorted(paths) == sorted(str(p) for p in inputs)
    return {Path(row["path"]).name: row for row in rows}, read_jsonl(out / "clauses.jsonl"), err


def clauses_of(rows: list[dict], source: str) -> list[tuple[str, str, str]]:
    return [(row["path"], row["text"], row["label"]) for row in rows if row["source"] == source]


@pytest.fixture(scope="module")
def good_alone(tmp_path_factory) -> list[tuple[str, str, str]]:
    """The good file's clauses when it runs alone: what every batch below must still give it."""
    folder = tmp_path_factory.mktemp("alone")
    (folder / GOOD).write_bytes(badfiles.good())
    out = tmp_path_factory.mktemp("alone-out")
    assert main(["extract", str(folder), "--out", str(out), "-q", "--classifier", "rules"]) == 0
    found = clauses_of(read_jsonl(out / "clauses.jsonl"), GOOD)
    assert len(found) == 6
    return found


def check_good(manifest: dict[str, dict], rows: list[dict], good_alone) -> None:
    assert manifest[GOOD]["status"] == "ok"
    assert clauses_of(rows, GOOD) == good_alone


@pytest.mark.parametrize("case", CASES)
def test_bad_file_beside_a_good_one(case: Case, tmp_path: Path, capfd, good_alone):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / GOOD).write_bytes(badfiles.good())
    (folder / case.filename).write_bytes(case.make())
    started = time.monotonic()
    manifest, rows, err = extract(folder, tmp_path / "out", capfd)
    print(f"{case.filename}: {time.monotonic() - started:.1f} s")  # the 50 MB and 5 MB cases: see the report
    check_good(manifest, rows, good_alone)
    bad = manifest[case.filename]
    assert bad["status"] == case.status, bad
    assert case.reason in bad["reason"]
    assert (bad["reason"] == "") == (case.status == "ok")
    if case.status == "failed":
        assert f"{case.filename}: {bad['reason']}" in err  # the one-line reason, on the terminal too
    if case.status == "skipped":
        assert len(bad["sha256"]) == 64  # hashed: a resumed batch does not read it again
    if case.warning:
        assert any(case.warning in w for w in bad["warnings"]), bad["warnings"]
    texts = [row["text"] for row in rows if row["source"] == case.filename]
    assert set(case.clauses) <= set(texts)
    assert bad["clauses"] == len(texts)
    assert (case.status == "ok") == bool(texts)  # a failed or skipped file contributes nothing to the tables


def test_deep_list_loses_no_item(tmp_path: Path, capfd):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "deep.txt").write_bytes(badfiles.deep_list_text(200))
    manifest, rows, _ = extract(tmp_path / "in", tmp_path / "out", capfd)
    joined = "\n".join(row["text"] for row in rows)
    assert manifest["deep.txt"]["status"] == "ok"
    assert all(f"журнал номер {k} " in joined for k in range(1, 201))


def test_symlink_loops(tmp_path: Path, capfd, good_alone):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / GOOD).write_bytes(badfiles.good())
    links = badfiles.make_symlink_loops(folder)
    manifest, rows, _ = extract(folder, tmp_path / "out", capfd)
    check_good(manifest, rows, good_alone)
    assert set(manifest) == {GOOD} | {link.name for link in links}  # the folder loop is not walked into
    for link in links:
        assert manifest[link.name]["status"] == "failed"
        assert "symbolic links" in manifest[link.name]["reason"]


def test_unreadable_file(tmp_path: Path, capfd, good_alone):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / GOOD).write_bytes(badfiles.good())
    locked = folder / "locked.txt"
    locked.write_bytes(badfiles.OTHER_INSTRUCTION.encode("utf-8"))
    locked.chmod(0)
    try:
        manifest, rows, _ = extract(folder, tmp_path / "out", capfd)
    finally:
        locked.chmod(0o644)
    check_good(manifest, rows, good_alone)
    if os.geteuid() == 0:  # root (as in CI) reads through any permission bits
        assert manifest["locked.txt"]["status"] == "ok"
    else:
        assert (manifest["locked.txt"]["status"], manifest["locked.txt"]["reason"]) == ("failed", "permission denied")


def test_file_deleted_while_the_batch_runs(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a other.txt").write_bytes(badfiles.OTHER_INSTRUCTION.encode("utf-8"))
    (folder / GOOD).write_bytes(badfiles.good())
    (folder / "z gone.txt").write_bytes(badfiles.OTHER_INSTRUCTION.encode("utf-8"))
    files, early = collect_inputs([folder])
    assert [f.name for f in files] == ["a other.txt", GOOD, "z gone.txt"] and not early
    results = {}
    # One worker takes one file at a time: when the first result is in, the last file has not been given out.
    for result in run(files, "rules", workers=1):
        if not results:
            (folder / "z gone.txt").unlink()
        results[Path(result.path).name] = result
    assert (results["z gone.txt"].status, results["z gone.txt"].reason) == (
        "failed", "file not found (deleted or a broken link)")
    assert results[GOOD].status == "ok" and len(results[GOOD].clauses) == 6
    assert results["a other.txt"].status == "ok"


def test_path_with_spaces_and_cyrillic(tmp_path: Path, capfd, good_alone):
    folder = tmp_path / "входящие документы"
    inner = folder / "отдел кадров 2024" / "архив (копии)"
    inner.mkdir(parents=True)
    (folder / GOOD).write_bytes(badfiles.good())
    name = "Должностная инструкция № 5 кладовщика — копия.txt"
    (inner / name).write_bytes(badfiles.OTHER_INSTRUCTION.encode("cp1251"))
    manifest, rows, _ = extract(folder, tmp_path / "выход с пробелами", capfd)
    check_good(manifest, rows, good_alone)
    assert manifest[name]["path"] == str(inner / name)
    assert (manifest[name]["status"], manifest[name]["encoding"]) == ("ok", "cp1251")
    assert "Принимает товары на склад по накладным." in {row["text"] for row in rows if row["source"] == name}


def test_duplicate_files_under_two_names(tmp_path: Path, capfd, good_alone):
    folder = tmp_path / "in"
    (folder / "копии").mkdir(parents=True)
    (folder / GOOD).write_bytes(badfiles.good())
    shutil.copy(folder / GOOD, folder / "копии" / "good (2).txt")
    manifest, rows, _ = extract(folder, tmp_path / "out", capfd)
    check_good(manifest, rows, good_alone)
    copy = manifest["good (2).txt"]
    assert copy["status"] == "ok"
    assert copy["sha256"] == manifest[GOOD]["sha256"]
    assert [r[1:] for r in clauses_of(rows, "good (2).txt")] == [r[1:] for r in good_alone]


def test_formula_like_clauses_are_escaped_in_csv_only(tmp_path: Path, capfd, good_alone):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / GOOD).write_bytes(badfiles.good())
    (folder / "formulas.txt").write_bytes(badfiles.FORMULA_INSTRUCTION.encode("utf-8"))
    manifest, rows, _ = extract(folder, tmp_path / "out", capfd)
    check_good(manifest, rows, good_alone)
    texts = [row["text"] for row in rows if row["source"] == "formulas.txt"]
    assert all(text in texts for text in badfiles.FORMULA_CLAUSES)  # JSON Lines keep the text exactly
    with (tmp_path / "out" / "clauses.csv").open(encoding="utf-8-sig", newline="") as handle:
        cells = [row["text"] for row in csv.DictReader(handle) if row["source"] == "formulas.txt"]
    for text in badfiles.FORMULA_CLAUSES:
        assert "'" + text in cells
        assert text not in cells


def test_reading_after_importing_one_reader_module(tmp_path: Path):
    """Importing one reader module (as a test or a helper does) must not hide the others from ``read``."""
    path = tmp_path / "good.docx"
    path.write_bytes(badfiles.good_docx())
    code = "import sys, pipeline.readers.text; from pipeline.readers import read; print(read(sys.argv[1]).format)"
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "docx", done.stderr.strip().splitlines()[-1:]
