"""Every command with each bad argument: one line on stderr naming the file or argument, the right status,
never a traceback; Ctrl-C in the middle of a batch, for real.

The table runs the CLI in this process (``pipeline.cli.main``): an exception that escaped would fail the
test as a traceback would. A database held by another process is held by a real one (a child Python).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent

INSTRUCTION = """Должностная инструкция кладовщика

1. Общие положения
1.1. Кладовщик подчиняется заведующему складом.
2. Должностные обязанности
2.1. Принимает товар на склад.
2.2. Ведет учет движения товаров.
3. Права
3.1. Запрашивать документы у поставщиков.
"""


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> dict[str, str]:
    """The files and folders the cases name, by placeholder."""
    tmp = tmp_path_factory.mktemp("errors")
    docs = tmp / "docs"
    docs.mkdir()
    (docs / "kladovshchik.txt").write_text(INSTRUCTION, encoding="utf-8")
    (tmp / "empty-folder").mkdir()
    (tmp / "a-file.txt").write_text("not a folder, not JSON\n", encoding="utf-8")
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "not-duckdb.duckdb").write_text("just text\n", encoding="utf-8")
    (tmp / "folder.duckdb").mkdir()
    db, out = tmp / "good.duckdb", tmp / "extracted"
    assert main(["import", str(docs), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    assert main(["extract", str(docs), "--out", str(out), "--classifier", "rules", "-q"]) == 0
    broken = tmp / "broken-extract"
    broken.mkdir()
    for name in ("manifest.jsonl", "instructions.jsonl"):
        (broken / name).write_bytes((out / name).read_bytes())
    (broken / "clauses.jsonl").write_text("{not json\n", encoding="utf-8")
    (tmp / "bad.xlsx").write_text("not a workbook\n", encoding="utf-8")
    (tmp / "no-edits.csv").write_text("colour,size\nred,2\n", encoding="utf-8")
    (tmp / "bad-rows.csv").write_text("document,instruction,number,label\nkladovshchik.txt,1,2.1,dutty\n",
                                      encoding="utf-8")
    import duckdb

    duckdb.connect(str(tmp / "plain.duckdb")).execute("CREATE TABLE t (x INTEGER)").close()
    gold = tmp / "gold"
    gold.mkdir()
    (gold / "kladovshchik.gold.jsonl").write_text(
        '{"text": "Кладовщик подчиняется заведующему складом.", "label": "other"}\n', encoding="utf-8")
    return {"DOCS": str(docs), "EMPTY_FOLDER": str(tmp / "empty-folder"), "A_FILE": str(tmp / "a-file.txt"),
            "EMPTY_TXT": str(tmp / "empty.txt"), "MISSING": str(tmp / "missing.txt"),
            "NOT_DUCKDB": str(tmp / "not-duckdb.duckdb"), "FOLDER_DB": str(tmp / "folder.duckdb"),
            "NO_DB": str(tmp / "missing.duckdb"), "DB": str(db), "PLAIN_DB": str(tmp / "plain.duckdb"),
            "OUT": str(tmp / "out"), "EXTRACTED": str(out), "BROKEN": str(broken), "GOLD": str(gold),
            "PRED": str(out / "clauses.jsonl"), "LOCKED": str(tmp / "locked.duckdb"), "TMP": str(tmp),
            "BAD_XLSX": str(tmp / "bad.xlsx"), "NO_EDITS_CSV": str(tmp / "no-edits.csv"),
            "BAD_ROWS_CSV": str(tmp / "bad-rows.csv")}


@pytest.fixture(scope="module")
def locked(place):
    """A catalogue another process holds open for writing (a notebook with ``Store(db)``, say)."""
    main(["import", place["DOCS"], "--db", place["LOCKED"], "--classifier", "rules", "-q"])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
         " time.sleep(600)", place["LOCKED"]], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    yield holder.pid
    holder.kill()
    holder.wait()


# (argv with placeholders, exit status, what the one line says: a regular expression)
CASES = [
    # extract
    ("extract MISSING --out OUT", 2, r"^jobclauses: MISSING: no such file or folder$"),
    ("extract DOCS MISSING --out OUT", 2, r"^jobclauses: MISSING: no such file or folder$"),
    ("extract DOCS --out A_FILE", 2, r"^jobclauses: A_FILE: is a file, not a folder"),
    ("extract EMPTY_FOLDER --out OUT", 2, r"^jobclauses: no documents found in EMPTY_FOLDER"),
    ("extract DOCS --out OUT --workers 0", 2, r"^jobclauses extract: argument --workers: 0 is not above 0"),
    ("extract DOCS --out OUT --workers -2", 2, r"^jobclauses extract: argument --workers: -2 is not above 0"),
    ("extract DOCS --out OUT --workers two", 2, r"^jobclauses extract: argument --workers: 'two' is not a number"),
    ("extract DOCS --out OUT --timeout 0", 2, r"^jobclauses extract: argument --timeout: 0 is not above 0"),
    ("extract DOCS --out OUT --timeout -1.5", 2, r"^jobclauses extract: argument --timeout: -1.5 is not above 0"),
    ("extract DOCS --out OUT --classifier bert", 2, r"^jobclauses extract: argument --classifier: invalid choice"),
    ("extract DOCS", 2, r"^jobclauses extract: the following arguments are required: --out"),
    ("extract DOCS --out OUT --db FOLDER_DB", 2, r"^jobclauses: FOLDER_DB: is a folder, not a database file$"),
    ("extract DOCS --out OUT --db NOT_DUCKDB", 2, r"^jobclauses: NOT_DUCKDB: not a DuckDB database$"),
    ("extract DOCS --out OUT --db LOCKED", 2, r"^jobclauses: LOCKED: in use by another process \(PID \d+\)"),
    # import
    ("import MISSING --db NO_DB", 2, r"^jobclauses: MISSING: no such file or folder$"),
    ("import EMPTY_FOLDER --db NO_DB", 2, r"^jobclauses: no documents found in EMPTY_FOLDER$"),
    ("import DOCS --db FOLDER_DB", 2, r"^jobclauses: FOLDER_DB: is a folder, not a database file$"),
    ("import DOCS --db NOT_DUCKDB", 2, r"^jobclauses: NOT_DUCKDB: not a DuckDB database$"),
    ("import DOCS --db LOCKED", 2, r"^jobclauses: LOCKED: in use by another process \(PID \d+\); close it there"),
    ("import DOCS --db A_FILE/x.duckdb", 2, r"^jobclauses: A_FILE/x.duckdb: cannot create its folder"),
    ("import DOCS --db NO_DB --workers 0", 2, r"^jobclauses import: argument --workers: 0 is not above 0"),
    ("import DOCS --db NO_DB --manifest EMPTY_FOLDER", 2, r"^jobclauses: EMPTY_FOLDER: is a folder \(--manifest"),
    ("import EXTRACTED DOCS --db NO_DB", 2, r"^jobclauses: give either folders written by `jobclauses extract` or "
                                           r"documents, not both: EXTRACTED$"),
    ("import BROKEN --db NO_DB", 2, r"^jobclauses: BROKEN/clauses.jsonl, line 1: not a JSON line written by extract$"),
    # catalogue
    ("catalogue --db NO_DB --out OUT", 2, r"^jobclauses: NO_DB: no such database: run `jobclauses import` first$"),
    ("catalogue --db FOLDER_DB --out OUT", 2, r"^jobclauses: FOLDER_DB: is a folder, not a database file$"),
    ("catalogue --db NOT_DUCKDB --out OUT", 2, r"^jobclauses: NOT_DUCKDB: not a DuckDB database$"),
    ("catalogue --db PLAIN_DB --out OUT", 2, r"^jobclauses: PLAIN_DB: not a jobclauses catalogue"),
    ("catalogue --db LOCKED --out OUT", 2, r"^jobclauses: LOCKED: in use by another process \(PID \d+\) that writes"),
    ("catalogue --db DB --out A_FILE", 2, r"^jobclauses: A_FILE: is a file, not a folder"),
    ("catalogue --out OUT --db", 2, r"^jobclauses catalogue: argument --db: expected one argument"),
    ("catalogue --db DB --out /proc/jobclauses", 1, r"^jobclauses: /proc/jobclauses: No such file or directory"),
    # report
    ("report --db NO_DB --out OUT/r.html", 2, r"^jobclauses: NO_DB: no such database"),
    ("report --db FOLDER_DB --out OUT/r.html", 2, r"^jobclauses: FOLDER_DB: is a folder, not a database file$"),
    ("report --db NOT_DUCKDB --out OUT/r.html", 2, r"^jobclauses: NOT_DUCKDB: not a DuckDB database$"),
    ("report --db LOCKED --out OUT/r.html", 2, r"^jobclauses: LOCKED: in use by another process \(PID \d+\)"),
    ("report --db DB --out EMPTY_FOLDER", 2, r"^jobclauses: EMPTY_FOLDER: is a folder \(--out names the file"),
    ("report --db DB --out /proc/jobclauses/r.html", 1, r"^jobclauses: /proc/jobclauses: No such file or directory"),
    # compare
    ("compare MISSING --db DB", 2, r"^jobclauses: MISSING: no such file or folder$"),
    ("compare DOCS/kladovshchik.txt --db NO_DB", 2, r"^jobclauses: NO_DB: no such database"),
    ("compare DOCS/kladovshchik.txt --db NOT_DUCKDB", 2, r"^jobclauses: NOT_DUCKDB: not a DuckDB database$"),
    ("compare DOCS/kladovshchik.txt --db LOCKED", 2, r"^jobclauses: LOCKED: in use by another process"),
    ("compare EMPTY_TXT --db DB --classifier rules", 1, r"^jobclauses: EMPTY_TXT: empty file$"),
    ("compare DOCS/kladovshchik.txt --db DB --template --classifier rules", 2,
     r"^jobclauses: DB: no other instruction in the catalogue to build the standard for 'кладовщик' from$"),
    ("compare DOCS/kladovshchik.txt --db DB --threshold 0.5", 2,
     r"^jobclauses: --position, --threshold and --exact go with --template$"),
    # corrections
    ("corrections apply MISSING --db DB", 2, r"^jobclauses: MISSING: no such file or folder$"),
    ("corrections apply EMPTY_FOLDER --db DB", 2, r"^jobclauses: EMPTY_FOLDER: is a folder \(give the edited"),
    ("corrections apply A_FILE --db DB", 2, r"^jobclauses: A_FILE: not a workbook \(.xlsx\) or a CSV file$"),
    ("corrections apply BAD_XLSX --db DB", 2, r"^jobclauses: BAD_XLSX: not an Excel workbook"),
    ("corrections apply NO_EDITS_CSV --db DB", 2, r"^jobclauses: NO_EDITS_CSV: its columns name no corrections"),
    ("corrections apply BAD_ROWS_CSV --db NO_DB", 2, r"^jobclauses: NO_DB: no such database"),
    ("corrections apply BAD_ROWS_CSV --db NOT_DUCKDB", 2, r"^jobclauses: NOT_DUCKDB: not a DuckDB database$"),
    ("corrections apply BAD_ROWS_CSV --db LOCKED", 2, r"^jobclauses: LOCKED: in use by another process"),
    ("corrections apply BAD_ROWS_CSV --db DB", 1, r"^jobclauses: BAD_ROWS_CSV: row 2: label 'dutty' "
                                                  r"is not one of duty, liability, other, requirement, right$"),
    ("corrections list --db NO_DB", 2, r"^jobclauses: NO_DB: no such database"),
    ("corrections", 2, r"^jobclauses corrections: the following arguments are required: verb"),
    # template
    ("template --db DB --position дворник --out OUT/t.docx", 2,
     r"^jobclauses: DB: no instruction of the position 'дворник' in the catalogue \(positions: кладовщик\)$"),
    ("template --db DB --position кладовщик --out EMPTY_FOLDER", 2, r"^jobclauses: EMPTY_FOLDER: is a folder \(--out"),
    ("template --db DB --position кладовщик --out OUT/t.docx --threshold 0", 2,
     r"^jobclauses template: argument --threshold: 0 is not a share between 0 and 1"),
    ("template --db DB --position кладовщик --out OUT/t.docx --threshold half", 2,
     r"^jobclauses template: argument --threshold: 'half' is not a share"),
    ("template --db NO_DB --position кладовщик --out OUT/t.docx", 2, r"^jobclauses: NO_DB: no such database"),
    ("template --db DB --out OUT/t.docx", 2, r"^jobclauses template: the following arguments are required: --position"),
    ("template --db DB --position ' ' --out OUT/t.docx", 2, r"^jobclauses: --position: empty$"),
    # train
    ("train --db NO_DB", 2, r"^jobclauses: NO_DB: no such database"),
    ("train --db NOT_DUCKDB", 2, r"^jobclauses: NOT_DUCKDB: not a DuckDB database$"),
    # read, show
    ("read MISSING", 2, r"^jobclauses: MISSING: no such file or folder$"),
    ("read EMPTY_FOLDER", 1, r"^jobclauses: EMPTY_FOLDER: is a directory, not a file$"),
    ("show MISSING", 2, r"^jobclauses: MISSING: no such file or folder$"),
    # evaluate
    ("evaluate --gold MISSING --pred PRED", 2, r"^jobclauses: MISSING: no such folder$"),
    ("evaluate --gold A_FILE --pred PRED", 2, r"^jobclauses: A_FILE: is a file, not a folder"),
    ("evaluate --gold EMPTY_FOLDER --pred PRED", 2, r"^jobclauses: EMPTY_FOLDER: no \*.gold.jsonl files in it$"),
    ("evaluate --gold GOLD --pred MISSING", 2, r"^jobclauses: MISSING: no such file$"),
    ("evaluate --gold GOLD --pred A_FILE", 2, r"^jobclauses: A_FILE: not the clauses.jsonl of extract"),
    ("evaluate --gold GOLD --pred EMPTY_FOLDER", 2, r"^jobclauses: EMPTY_FOLDER: is a folder without clauses.jsonl"),
    ("evaluate --gold GOLD --pred PRED --json EMPTY_FOLDER", 2, r"^jobclauses: EMPTY_FOLDER: is a folder \(--json"),
    # explain, and no command at all
    ("explain ''", 2, r"^jobclauses: explain: the clause text is empty$"),
    ("explain '   '", 2, r"^jobclauses: explain: the clause text is empty$"),
    ("", 2, r"^jobclauses: the following arguments are required: command"),
    ("frobnicate", 2, r"^jobclauses: argument command: invalid choice: 'frobnicate'"),
]


def argv_of(template: str, place: dict[str, str]) -> list[str]:
    import shlex

    words = shlex.split(template)
    return [re.sub(r"\b[A-Z][A-Z_]+\b", lambda m: place.get(m.group(0), m.group(0)), w) for w in words]


@pytest.mark.parametrize(("template", "status", "line"), CASES, ids=[c[0] or "(nothing)" for c in CASES])
def test_one_line_and_the_status(template, status, line, place, locked, capfd):
    argv = argv_of(template, place)
    try:
        got = main(argv)
    except SystemExit as exit_:  # argparse
        got = exit_.code
    out, err = capfd.readouterr()
    expected = re.sub(r"\b[A-Z][A-Z_]+\b", lambda m: re.escape(place[m.group(0)]) if m.group(0) in place
                      else m.group(0), line)
    assert got == status
    assert len(err.strip().splitlines()) == 1, err
    assert re.search(expected, err.strip()), err
    assert "Traceback" not in err + out
    named = [place[k] for k in re.findall(r"\b[A-Z][A-Z_]+\b", template) if k in place and k != "TMP"]
    for path in named:  # a path is never said twice (`compare` did)
        assert err.count(path) <= 1, err
    if template.startswith(("extract", "catalogue")) and status == 2:
        assert not Path(place["OUT"]).exists()  # nothing written on bad usage


def test_the_table_covers_every_command():
    from pipeline.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001
    assert {c[0].split()[0] for c in CASES if c[0]} >= commands
    assert len(CASES) >= 50


def test_read_only_commands_run_beside_a_reader(place, tmp_path, capfd):
    """catalogue, report and compare open the database read-only: a notebook reading it does not stop them."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True);"
         " print('held', flush=True); time.sleep(600)", place["DB"]], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["catalogue", "--db", place["DB"], "--out", str(tmp_path / "catalogue")]) == 0
        assert main(["report", "--db", place["DB"], "--out", str(tmp_path / "report.html")]) == 0
        assert main(["compare", f"{place['DOCS']}/kladovshchik.txt", "--db", place["DB"], "--classifier",
                     "rules"]) == 0
        assert (tmp_path / "catalogue" / "catalogue.xlsx").exists() and (tmp_path / "report.html").exists()
        assert "Traceback" not in capfd.readouterr().err
    finally:
        holder.kill()
        holder.wait()


def test_a_database_from_an_earlier_version_is_upgraded_once_then_read(tmp_path):
    """A read-only command on a database of schema 2 upgrades it once (read-write), then reads it."""
    import duckdb

    from pipeline.catalogue.store import SCHEMA_VERSION, Store

    db = tmp_path / "old.duckdb"
    main(["import", str(ROOT / "corpora" / "samples" / "01_kladovshchik.txt"), "--db", str(db), "-q",
          "--classifier", "rules"])
    con = duckdb.connect(str(db))
    for table in ("clauses", "instructions"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN needs_review")
        con.execute(f"ALTER TABLE {table} DROP COLUMN review")
    con.execute("UPDATE schema_version SET version = 2")
    con.close()
    with Store(db, read_only=True) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert not store.clauses()["needs_review"].any()


# --- Ctrl-C, for real ---------------------------------------------------------------------------------


def test_ctrl_c_says_how_far_it_got_and_the_rerun_continues(tmp_path):
    """SIGINT to the whole process group, as a terminal sends it, while a file blocks (a FIFO that nobody
    writes): one line, status 130, no worker's traceback, and the rerun reuses the files done before."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (docs / name).write_text(INSTRUCTION, encoding="utf-8")
    os.mkfifo(docs / "z-blocks.txt")  # read last (names are sorted), never written: the batch waits on it
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pipeline", "extract", str(docs), "--out", str(out), "--classifier", "rules",
               "--workers", "1", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True, cwd=tmp_path)
    journal = out / ".jobclauses-journal.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) >= 4:  # header + 3 files
            break
        time.sleep(0.2)
    time.sleep(0.5)  # the worker is blocked in the FIFO now
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip() == "jobclauses: interrupted after 3 of 4 files; run the same command again to continue"
    assert stdout == ""
    (docs / "z-blocks.txt").unlink()  # a plain file this time
    (docs / "z-blocks.txt").write_text(INSTRUCTION, encoding="utf-8")
    rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert "4 files (3 already done): 4 ok" in rerun.stdout
