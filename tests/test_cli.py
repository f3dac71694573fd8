"""End to end through the command line: extract writes every table and accounts for every file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

INSTRUCTION = """Должностная инструкция кладовщика

1. Общие положения
1.1. Кладовщик подчиняется заведующему складом.
1.2. Кладовщик должен знать:
- правила приемки товаров;
- основы складского учета.
2. Должностные обязанности
2.1. Принимает товар на склад.
3. Права
Кладовщик имеет право:
3.1. Запрашивать документы у поставщиков.
4. Ответственность
4.1. За причинение материального ущерба.
"""


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "вложенная папка").mkdir(parents=True)
    (folder / "kladovshchik.txt").write_text(INSTRUCTION, encoding="utf-8")
    (folder / "вложенная папка" / "кладовщик cp1251.txt").write_bytes(INSTRUCTION.encode("cp1251"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "folder.docx").mkdir()  # a directory named like a file is not a document
    (folder / "recipe.txt").write_text("Возьмите два яйца и муку. Смешайте и выпекайте двадцать минут.\n",
                                       encoding="utf-8")
    return folder


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_accounts_for_every_file(batch: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    status = main(["extract", str(batch), "--out", str(out), "--classifier", "rules", "-q"])
    assert status == 1  # some files failed, the rest is still written
    manifest = {Path(r["path"]).name: r for r in read_jsonl(out / "manifest.jsonl")}
    assert {k: v["status"] for k, v in manifest.items()} == {
        "kladovshchik.txt": "ok",
        "кладовщик cp1251.txt": "ok",
        "empty.txt": "skipped",
        "junk.txt": "failed",
        "recipe.txt": "skipped",
    }
    assert manifest["empty.txt"]["reason"] == "empty file"
    assert "binary" in manifest["junk.txt"]["reason"]
    assert manifest["кладовщик cp1251.txt"]["encoding"] == "cp1251"
    err = capsys.readouterr().err
    assert "junk.txt: binary" in err and "Traceback" not in err

    rows = read_jsonl(out / "clauses.jsonl")
    by_source = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(row)
    assert len(by_source["kladovshchik.txt"]) == 6
    first = by_source["kladovshchik.txt"][0]
    assert first["position"] == "кладовщик"
    assert first["number"] == "1.1"
    assert first["label"] in {"duty", "right", "liability", "requirement", "other"}
    assert 0.0 < first["confidence"] <= 1.0
    assert [r["text"] for r in by_source["kladovshchik.txt"]] == [r["text"] for r in by_source["кладовщик cp1251.txt"]]

    csv_bytes = (out / "clauses.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert "Кладовщик подчиняется заведующему складом." in csv_bytes.decode("utf-8-sig")
    assert read_jsonl(out / "instructions.jsonl")[0]["position"] == "кладовщик"


def test_a_missing_input_stops_before_anything_is_written(batch: Path, tmp_path: Path, capsys):
    """A typo in one input is bad usage: said at once, not after the other files' batch (tests/test_errors.py
    has the table of every command and bad argument)."""
    status = main(["extract", str(batch), str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o"), "-q"])
    assert status == 2
    assert capsys.readouterr().err == f"jobclauses: {tmp_path / 'nope.txt'}: no such file or folder\n"
    assert not (tmp_path / "o").exists()


def test_bad_usage_exits_2():
    with pytest.raises(SystemExit) as exc:
        main(["extract"])
    assert exc.value.code == 2


@pytest.mark.parametrize("argv", [["-m", "pipeline", "--help"]])
def test_module_entry_point(argv):
    result = subprocess.run([sys.executable, *argv], capture_output=True, text=True, check=True)
    assert "extract" in result.stdout and "evaluate" in result.stdout


def test_import_is_idempotent_and_exports_the_catalogue(batch: Path, tmp_path: Path, capsys):
    import duckdb
    from openpyxl import load_workbook

    db = tmp_path / "db" / "catalogue.duckdb"
    assert main(["import", str(batch), "--db", str(db), "-q", "--classifier", "rules"]) == 1  # junk files fail
    first = capsys.readouterr().out
    assert "2 added" in first
    count = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM clauses").fetchone()[0]
    assert count == 12

    assert main(["import", str(batch), "--db", str(db), "-q", "--classifier", "rules"]) == 1
    assert "0 added, 0 replaced, 2 unchanged" in capsys.readouterr().out
    assert duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM clauses").fetchone()[0] == count

    out = tmp_path / "catalogue"
    assert main(["catalogue", "--db", str(db), "--out", str(out)]) == 0
    sheets = load_workbook(out / "catalogue.xlsx", read_only=True).sheetnames
    assert "catalogue" in sheets
    assert (out / "catalogue.parquet").exists() and (out / "catalogue.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_extract_gives_every_clause_a_canonical_id(batch: Path, tmp_path: Path):
    out = tmp_path / "out"
    main(["extract", str(batch), "--out", str(out), "--classifier", "rules", "-q"])
    rows = read_jsonl(out / "clauses.jsonl")
    assert all(row["canonical_id"] for row in rows)
    by_text = {}
    for row in rows:
        by_text.setdefault(row["text"], set()).add(row["canonical_id"])
    # the same clause in the UTF-8 and the cp1251 copy belongs to one canonical clause
    assert all(len(ids) == 1 for ids in by_text.values())


def test_instructions_carry_their_facts(batch: Path, tmp_path: Path):
    out = tmp_path / "out"
    main(["extract", str(batch), "--out", str(out), "--classifier", "rules", "-q"])
    rows = {row["source"]: row for row in read_jsonl(out / "instructions.jsonl")}
    assert rows["kladovshchik.txt"]["reports_to"] == "заведующий складом"


def test_compare_and_report_from_the_database(batch: Path, tmp_path: Path, capsys):
    db = tmp_path / "catalogue.duckdb"
    main(["import", str(batch), "--db", str(db), "-q", "--classifier", "rules"])
    capsys.readouterr()
    assert main(["compare", str(batch / "kladovshchik.txt"), "--db", str(db), "--classifier", "rules"]) == 0
    assert "кладовщик" in capsys.readouterr().out
    report = tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--out", str(report)]) == 0
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html and "Кладовщик подчиняется заведующему складом." in html


@pytest.fixture()
def umask_027():
    previous = os.umask(0o027)
    yield 0o027
    os.umask(previous)


def test_outputs_get_the_mode_the_umask_allows(batch: Path, tmp_path: Path, umask_027):
    """Outputs are written to a temporary file (mode 0600) and renamed: they must end up as a plain ``open``
    would have made them, readable by whom the umask lets read."""
    out, db, catalogue = tmp_path / "out", tmp_path / "db" / "catalogue.duckdb", tmp_path / "catalogue"
    main(["extract", str(batch), "--out", str(out), "--classifier", "rules", "-q"])
    main(["import", str(batch), "--db", str(db), "--classifier", "rules", "-q"])
    assert main(["catalogue", "--db", str(db), "--out", str(catalogue)]) == 0
    written = [*out.glob("*.*sv"), *out.glob("*.jsonl"), *catalogue.iterdir()]
    assert {p.suffix for p in written} >= {".csv", ".jsonl", ".xlsx", ".parquet"}
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in written} == {
        p.name: oct(0o666 & ~umask_027) for p in written}


def test_the_log_keeps_every_run(batch: Path, tmp_path: Path):
    """A rerun (after an interruption, say) appends to the log: the first run's details stay readable."""
    out = tmp_path / "out"
    argv = ["extract", str(batch), "--out", str(out), "--classifier", "rules", "-q"]
    main(argv)
    first = (out / "jobclauses.log").read_text(encoding="utf-8")
    main(argv)
    both = (out / "jobclauses.log").read_text(encoding="utf-8")
    assert both.startswith(first)
    starts = [line for line in both.splitlines() if "=== run started" in line]
    assert len(starts) == 2
    assert all(line.endswith(f"jobclauses extract {batch} --out {out} --classifier rules -q") for line in starts)


def test_import_writes_a_manifest_of_every_input(batch: Path, tmp_path: Path, capsys):
    db = tmp_path / "db" / "catalogue.duckdb"
    main(["import", str(batch), "--db", str(db), "-q", "--classifier", "rules"])
    main(["import", str(batch), "--db", str(db), "-q", "--classifier", "rules"])  # the second time: unchanged
    printed = capsys.readouterr().out.splitlines()[-1]
    totals = {w: int(n) for n, w in re.findall(r"(\d+) (added|replaced|unchanged|skipped|failed)", printed)}
    manifest = {Path(r["path"]).name: r for r in read_jsonl(tmp_path / "db" / "catalogue.manifest.jsonl")}
    assert {k: (v["status"], v["clauses"]) for k, v in manifest.items()} == {
        "kladovshchik.txt": ("ok", 6),
        "кладовщик cp1251.txt": ("ok", 6),
        "empty.txt": ("skipped", 0),
        "junk.txt": ("failed", 0),
        "recipe.txt": ("skipped", 0),
    }
    assert manifest["kladovshchik.txt"]["reason"] == "unchanged: already in the database"
    assert set(manifest["junk.txt"]) == set(read_jsonl(tmp_path / "db" / "catalogue.manifest.jsonl")[0])
    assert sum(totals.values()) == len(manifest) == 5
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".")) == []  # the journal is gone

    elsewhere = tmp_path / "manifest.jsonl"
    main(["import", str(batch), "--db", str(db), "-q", "--classifier", "rules", "--manifest", str(elsewhere)])
    assert len(read_jsonl(elsewhere)) == 5


def test_import_resumes_from_its_journal(batch: Path, tmp_path: Path, capsys):
    """An import interrupted before its commit leaves the files it read in a journal: the rerun reuses them
    and the database ends up as after an uninterrupted import (bench/resume_demo.py kills it for real)."""
    import duckdb

    from pipeline.batch import Journal, collect_inputs, fingerprint, run

    full, resumed = tmp_path / "full" / "catalogue.duckdb", tmp_path / "resumed" / "catalogue.duckdb"
    main(["import", str(batch), "--db", str(full), "-q", "--classifier", "rules"])
    files, _ = collect_inputs([batch])
    journal = Journal(resumed.parent / ".catalogue.duckdb.journal.jsonl", fingerprint("rules"))
    journal.open()
    read_before = list(run(files[:4], "rules", workers=1))  # what the interrupted run had read
    for result in read_before:
        journal.append(result)
    journal.close()
    capsys.readouterr()
    main(["import", str(batch), "--db", str(resumed), "-q", "--classifier", "rules"])
    reusable = sum(1 for r in read_before if r.sha256)  # a file failed before it was hashed is read again
    assert reusable >= 2
    assert f"({reusable} already done)" in capsys.readouterr().out
    assert not journal.path.exists()

    def tables(db: Path) -> dict[str, list]:
        con = duckdb.connect(str(db), read_only=True)
        names = [name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {name: con.execute(f"SELECT * EXCLUDE (imported_at) FROM {name} ORDER BY ALL").fetchall()
                if name == "documents" else con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
                for name in names}

    assert tables(resumed) == tables(full)
    assert (resumed.parent / "catalogue.manifest.jsonl").read_bytes() == (
        full.parent / "catalogue.manifest.jsonl").read_bytes()


def tables(db: Path) -> dict[str, list]:
    """Every table of a database, rows sorted (the import time left out)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {name: con.execute(f"SELECT * EXCLUDE (imported_at) FROM {name} ORDER BY ALL" if name == "documents"
                                  else f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in names}
    finally:
        con.close()


def test_import_of_what_extract_wrote_equals_an_import_of_the_documents(batch: Path, tmp_path: Path, capsys):
    """`import OUT` stores what `import DOCS` stores, without reading a document: the documents are gone
    when it runs. Into an empty database it takes the run's catalogue; into a filled one it builds."""
    import shutil

    out, from_docs, from_out = tmp_path / "out", tmp_path / "docs.duckdb", tmp_path / "out.duckdb"
    main(["import", str(batch), "--db", str(from_docs), "--classifier", "rules", "-q"])
    main(["extract", str(batch), "--out", str(out), "--classifier", "rules", "-q"])
    moved = tmp_path / "moved"
    shutil.move(batch, moved)  # nothing left to read
    capsys.readouterr()
    assert main(["import", str(out), "--db", str(from_out)]) == 1  # junk.txt failed in the extract
    said = capsys.readouterr()
    assert "2 added" in said.out and "the run's catalogue taken as built" in said.out
    assert "junk.txt: binary" in said.err
    assert tables(from_out) == tables(from_docs)
    manifest = {Path(r["path"]).name: r["status"] for r in read_jsonl(tmp_path / "out.manifest.jsonl")}
    assert manifest == {"kladovshchik.txt": "ok", "кладовщик cp1251.txt": "ok", "empty.txt": "skipped",
                        "junk.txt": "failed", "recipe.txt": "skipped"}

    # A database that already holds a catalogue: the clauses are catalogued against it, as an import would.
    shutil.move(moved, batch)
    other = tmp_path / "other"
    other.mkdir()
    (other / "kassir.txt").write_text(INSTRUCTION.replace("кладовщик", "кассир").replace("Кладовщик", "Кассир"),
                                      encoding="utf-8")
    filled_docs, filled_out = tmp_path / "filled-docs.duckdb", tmp_path / "filled-out.duckdb"
    for db in (filled_docs, filled_out):
        main(["import", str(other), "--db", str(db), "--classifier", "rules", "-q"])
    main(["import", str(batch), "--db", str(filled_docs), "--classifier", "rules", "-q"])
    capsys.readouterr()
    main(["import", str(out), "--db", str(filled_out), "-q"])
    assert "taken as built" not in capsys.readouterr().out
    assert tables(filled_out) == tables(filled_docs)
    assert main(["import", str(out), "--db", str(filled_out), "-q"]) == 1
    assert "0 added, 0 replaced, 2 unchanged" in capsys.readouterr().out


def test_a_changed_clause_table_is_catalogued_again(batch: Path, tmp_path: Path, capsys):
    """The run's catalogue is taken only for the very clauses it was built from: an edited clauses.jsonl
    (a label changed by hand) is catalogued afresh."""
    out = tmp_path / "out"
    main(["extract", str(batch), "--out", str(out), "--classifier", "rules", "-q"])
    rows = read_jsonl(out / "clauses.jsonl")
    rows[0]["label"] = "right" if rows[0]["label"] != "right" else "duty"
    (out / "clauses.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                       encoding="utf-8")
    capsys.readouterr()
    main(["import", str(out), "--db", str(tmp_path / "c.duckdb"), "-q"])
    assert "taken as built" not in capsys.readouterr().out
    import duckdb

    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    labels = con.execute("SELECT label FROM clauses WHERE start = ? AND source = ?",
                         [rows[0]["start"], rows[0]["source"]]).fetchall()
    assert labels == [(rows[0]["label"],)]


def test_extract_with_a_database_stores_the_results_and_writes_its_ids(batch: Path, tmp_path: Path, capsys):
    out, db, alone = tmp_path / "out", tmp_path / "c.duckdb", tmp_path / "alone.duckdb"
    assert main(["extract", str(batch), "--out", str(out), "--db", str(db), "--classifier", "rules", "-q"]) == 1
    said = capsys.readouterr().out.splitlines()
    assert said[-1] == f"stored in {db}: 2 added, 0 replaced, 0 unchanged; 12 clauses, 6 new canonical clauses, 6 new variants"
    main(["import", str(batch), "--db", str(alone), "--classifier", "rules", "-q"])
    assert tables(db) == tables(alone)
    import duckdb

    stored = dict(((d, s), cid) for d, s, cid in duckdb.connect(str(db), read_only=True).execute(
        "SELECT document, start, canonical_id FROM clauses").fetchall())
    written = {(r["document"], r["start"]): r["canonical_id"] for r in read_jsonl(out / "clauses.jsonl")}
    assert written == stored
