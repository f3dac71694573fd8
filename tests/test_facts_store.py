"""Facts per instruction in the catalogue database and its exports: real DuckDB files, real .xlsx files.

- synthetic documents with facts rows as ``pipeline.facts.facts_row`` writes them: stored as lists,
  re-imported unchanged (nothing changes), changed (facts replaced), interrupted (nothing kept);
- a database file made with the version-1 DDL (before facts) opens, gains the table, keeps its rows and
  ids, and gains the facts of its unchanged files on the next import;
- the sample corpus through the real pipeline: known facts in the database, the workbook and the files;
- ``jobclauses import`` / ``catalogue`` on sample files.
"""

import json
import shutil
import zipfile

import duckdb
import openpyxl
import pandas as pd
import pytest
from sample_store import SAMPLES, build_sample_store

from evaluation.facts import evaluate, predictions_from_jsonl
from evaluation.facts import main as facts_eval_main
from pipeline.catalogue.store import SCHEMA_VERSION, Store
from pipeline.cli import main
from pipeline.export.catalogue import export_catalogue
from pipeline.normalise import normalise
from pipeline.records import Clause, Instruction, unflatten


def facts_row(source, instruction, position, **values):
    """A flat row as ``pipeline.facts.facts_row`` makes it (lists joined with `; `)."""
    row = {"source": source, "instruction": instruction, "position": position, "education": "",
           "education_field": "", "experience_years": "", "reports_to": "", "substitute": "", "appointed_by": "",
           "approved_by": "", "approved_on": "", "min_experience": None}
    return row | values


def document(path, sha256, position, texts, facts):
    source = path.rsplit("/", 1)[-1]
    meta = {"path": path, "sha256": sha256, "format": "txt", "reader": "text", "encoding": "utf-8"}
    instructions = [Instruction(source=source, index=1, title=f"Должностная инструкция {position}",
                                position=position, start=0, stop=1000)]
    clauses = [Clause(source=source, instruction=1, number=f"2.{i + 1}", text=t, start=10 * i, stop=10 * i + 9,
                      label="duty") for i, t in enumerate(texts)]
    return meta, instructions, clauses, [facts_row(source, 1, position, **facts)]


BUH = document("in/buh.txt", "sha-buh-1", "бухгалтер", ["Бухгалтер ведет учет кассовых операций."], {
    "education": "высшее; среднее профессиональное", "education_field": "экономическое",
    "experience_years": "0; 2", "min_experience": 0.0, "reports_to": "главный бухгалтер",
    "appointed_by": "генеральный директор", "approved_by": "генеральный директор", "approved_on": "2024-04-01"})
KAS = document("in/kas.txt", "sha-kas-1", "кассир", ["Кассир ведет учет кассовых операций."], {
    "education": "среднее общее", "experience_years": "0.5", "min_experience": 0.5,
    "reports_to": "старший кассир; директор магазина", "substitute": "старший кассир",
    "approved_by": "=HYPERLINK(\"http://x\")", "approved_on": "2023"})  # formula-like text must stay text


def fact_rows(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT document, instruction, education, experience_years, min_experience, "
                           "reports_to, substitute, approved_on FROM instruction_facts ORDER BY document").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("path, column, expected", [
    ("in/buh.txt", "education", ["высшее", "среднее профессиональное"]),
    ("in/buh.txt", "experience_years", [0.0, 2.0]),
    ("in/buh.txt", "min_experience", 0.0),
    ("in/buh.txt", "education_field", "экономическое"),
    ("in/buh.txt", "approved_on", "2024-04-01"),
    ("in/kas.txt", "reports_to", ["старший кассир", "директор магазина"]),
    ("in/kas.txt", "experience_years", [0.5]),
    ("in/kas.txt", "substitute", "старший кассир"),
    ("in/kas.txt", "appointed_by", ""),
])
def test_facts_stored_with_lists(tmp_path, path, column, expected):
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.import_documents([BUH, KAS])
    con = duckdb.connect(str(db), read_only=True)
    try:
        value = con.execute(f"SELECT {column} FROM instruction_facts WHERE document = ?", [path]).fetchone()[0]
        per_document = con.execute("SELECT path, facts FROM documents ORDER BY path").fetchall()
    finally:
        con.close()
    assert value == expected
    assert per_document == [("in/buh.txt", 1), ("in/kas.txt", 1)]


def test_facts_frame_one_row_per_instruction(tmp_path):
    no_facts = document("in/eco.txt", "sha-eco-1", "экономист", ["Ведет учет."], {})[:3]  # a caller without facts
    with Store(tmp_path / "c.duckdb") as store:
        store.import_documents([BUH, KAS, no_facts])
        facts = store.facts()
    assert list(facts["position"]) == ["бухгалтер", "экономист", "кассир"]
    eco = facts[facts["position"] == "экономист"].iloc[0]
    assert (eco["education"], eco["reports_to"], eco["approved_by"]) == ([], [], "")
    assert facts.iloc[0]["title"] == "Должностная инструкция бухгалтер"


def test_reimport_unchanged_keeps_facts(tmp_path):
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.import_documents([BUH, KAS])
    before = fact_rows(db)
    with Store(db) as store:
        summary = store.import_documents([BUH, KAS])
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 0, 2)
    assert fact_rows(db) == before


def test_changed_file_replaces_its_facts(tmp_path):
    db = tmp_path / "c.duckdb"
    changed = document("in/buh.txt", "sha-buh-2", "бухгалтер", ["Бухгалтер ведет учет кассовых операций."],
                       {"education": "высшее", "experience_years": "3", "min_experience": 3.0})
    with Store(db) as store:
        store.import_documents([BUH, KAS])
        summary = store.import_documents([changed])
    assert summary.replaced == 1
    rows = fact_rows(db)
    assert [r[0] for r in rows] == ["in/buh.txt", "in/kas.txt"]  # one row per instruction, the old one gone
    assert rows[0][2:5] == (["высшее"], [3.0], 3.0)
    assert rows[0][5] == []  # the superior of the earlier version is not kept


def test_interrupted_import_keeps_no_facts(tmp_path):
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.import_documents([BUH])
    before = fact_rows(db)

    def failing():
        yield KAS
        yield document("in/buh.txt", "sha-buh-3", "бухгалтер", ["Новый текст."], {"education": "высшее"})
        raise RuntimeError("reader crashed")

    with Store(db) as store:
        with pytest.raises(RuntimeError):
            store.import_documents(failing())
    assert fact_rows(db) == before


# --- migration of a database made before facts ----------------------------------------------------------

#: The DDL of the catalogue database before it kept facts (version 1, commit e9373d2), kept verbatim:
#: the files analysts already have were made with it.
V1_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS documents (
        path VARCHAR NOT NULL, source VARCHAR, sha256 VARCHAR NOT NULL, format VARCHAR, reader VARCHAR,
        encoding VARCHAR, imported_at TIMESTAMP, instructions INTEGER, clauses INTEGER)""",
    """CREATE TABLE IF NOT EXISTS instructions (
        document VARCHAR NOT NULL, source VARCHAR, instruction INTEGER, title VARCHAR, position VARCHAR,
        start INTEGER, stop INTEGER)""",
    """CREATE TABLE IF NOT EXISTS clauses (
        document VARCHAR NOT NULL, source VARCHAR, instruction INTEGER, position VARCHAR, number VARCHAR,
        clause_path VARCHAR, section_number VARCHAR, section_title VARCHAR, section_type VARCHAR,
        lead_in VARCHAR, text VARCHAR, label VARCHAR, confidence DOUBLE, reason VARCHAR,
        canonical_id VARCHAR, normalised VARCHAR, key VARCHAR, start INTEGER, stop INTEGER)""",
    """CREATE TABLE IF NOT EXISTS canonical (id VARCHAR NOT NULL, label VARCHAR, anchor VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS variant_keys (label VARCHAR, key VARCHAR, canonical_id VARCHAR)""",
]
OLD_ID = "duty-0000000001"


def make_v1_database(path):
    """A version-1 file holding BUH as the version-1 import wrote it (no facts anywhere)."""
    text = BUH[2][0].text
    norm = normalise(text, "бухгалтер")
    con = duckdb.connect(str(path))
    try:
        for statement in V1_SCHEMA:
            con.execute(statement)
        con.execute("INSERT INTO documents VALUES ('in/buh.txt', 'buh.txt', 'sha-buh-1', 'txt', 'text', 'utf-8', "
                    "TIMESTAMP '2026-11-01 10:00:00', 1, 1)")
        con.execute("INSERT INTO instructions VALUES ('in/buh.txt', 'buh.txt', 1, 'Должностная инструкция "
                    "бухгалтер', 'бухгалтер', 0, 1000)")
        con.execute("INSERT INTO clauses VALUES ('in/buh.txt', 'buh.txt', 1, 'бухгалтер', '2.1', '', '', '', '', "
                    "'', ?, 'duty', 1.0, 'rule', ?, ?, ?, 0, 9)", [text, OLD_ID, norm.readable, norm.key])
        con.execute("INSERT INTO canonical VALUES (?, 'duty', ?)", [OLD_ID, norm.key])
        con.execute("INSERT INTO variant_keys VALUES ('duty', ?, ?)", [norm.key, OLD_ID])
    finally:
        con.close()
    return path


def tables(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()


def test_v1_database_opens_and_gains_the_facts_table(tmp_path):
    db = make_v1_database(tmp_path / "old.duckdb")
    assert "instruction_facts" not in tables(db)
    with Store(db) as store:
        assert store.schema_version() == SCHEMA_VERSION == 6
        documents = store.documents()
        clauses = store.clauses()
        facts = store.facts()
    assert {"instruction_facts", "schema_version"} <= tables(db)
    assert list(documents["sha256"]) == ["sha-buh-1"] and documents["facts"].isna().all()  # stored before facts
    assert list(clauses["canonical_id"]) == [OLD_ID]
    assert list(facts["position"]) == ["бухгалтер"] and facts.iloc[0]["education"] == []
    assert not clauses["needs_review"].any() and set(clauses["review"]) == {""}  # stored before reviews
    with Store(db) as store:  # opened again: nothing migrates twice
        assert store.schema_version() == SCHEMA_VERSION
        assert len(store.documents()) == 1


def test_v1_database_gains_the_facts_of_an_unchanged_file_once(tmp_path):
    db = make_v1_database(tmp_path / "old.duckdb")
    with Store(db) as store:
        assert store.current() == {}  # the stored file is read again: it has no facts yet
        first = store.import_documents([BUH, KAS])
        second = store.import_documents([BUH, KAS])
        clauses = store.clauses()
        assert set(store.current()) == {"in/buh.txt", "in/kas.txt"}
    assert (first.added, first.replaced, first.unchanged) == (1, 1, 0)
    assert (second.added, second.replaced, second.unchanged) == (0, 0, 2)
    assert [r[2] for r in fact_rows(db)] == [["высшее", "среднее профессиональное"], ["среднее общее"]]
    # the clause read again keeps its canonical id, and the cashier's variant joins it
    assert set(clauses["canonical_id"]) == {OLD_ID}


# --- the sample corpus through the real pipeline --------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("facts-store")
    db = build_sample_store(tmp / "catalogue.duckdb")
    with Store(db) as store:
        facts = store.facts()
        paths = export_catalogue(store, tmp / "catalogue")
    return db, facts, tmp / "catalogue", paths


#: Known facts of four sample instructions (what the documents say, see corpora/samples/facts-gold.jsonl).
KNOWN = [
    ("01_kladovshchik.txt", "кладовщик", "education", ["среднее общее", "среднее профессиональное"]),
    ("01_kladovshchik.txt", "кладовщик", "reports_to", ["заведующий складом"]),
    ("01_kladovshchik.txt", "кладовщик", "experience_years", [1.0, 0.0]),
    ("01_kladovshchik.txt", "кладовщик", "approved_on", "2024"),
    ("03_sistemnyi-administrator_koi8r.txt", "системный администратор", "education_field",
     "информационных технологий"),
    ("03_sistemnyi-administrator_koi8r.txt", "системный администратор", "substitute", "инженер техподдержки"),
    ("03_sistemnyi-administrator_koi8r.txt", "системный администратор", "min_experience", 2.0),
    ("09_sekretar-rukovoditelya.html", "секретарь руководителя", "education",
     ["высшее", "среднее профессиональное"]),
    ("09_sekretar-rukovoditelya.html", "секретарь руководителя", "experience_years", [0.0, 2.0]),
    ("02_operator-call-centra_cp1251.txt", "оператор call-центра", "appointed_by", "директор"),
    ("01_kladovshchik.txt", "кладовщик", "organisation",
     'Общество с ограниченной ответственностью «Логистический центр "Волга"»'),
    ("02_operator-call-centra_cp1251.txt", "оператор call-центра", "approver", "Мирошниченко В. С."),
]


@pytest.fixture(scope="module")
def facts_sheet(sample):
    """The facts sheet of the sample corpus' workbook (loaded once: the clause sheets make it slow)."""
    _, _, out, _ = sample
    return openpyxl.load_workbook(out / "catalogue.xlsx")["facts"]


def row_of(facts, source, position):
    found = facts[(facts["source"] == source) & (facts["position"] == position)]
    assert len(found) == 1, (source, position)
    return found.iloc[0]


@pytest.mark.parametrize("source, position, column, expected", KNOWN)
def test_sample_facts_in_the_database(sample, source, position, column, expected):
    db, facts, _, _ = sample
    assert row_of(facts, source, position)[column] == expected
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute(f"SELECT {column} FROM instruction_facts WHERE source = ? AND position = ?",
                             [source, position]).fetchone()[0]
    finally:
        con.close()
    assert stored == expected


def test_every_sample_instruction_has_a_facts_row(sample):
    db, facts, _, _ = sample
    con = duckdb.connect(str(db), read_only=True)
    try:
        instructions = con.execute("SELECT count(*) FROM instructions").fetchone()[0]
        stored = con.execute("SELECT count(*) FROM instruction_facts").fetchone()[0]
        counted = con.execute("SELECT sum(facts) FROM documents").fetchone()[0]
    finally:
        con.close()
    assert instructions == stored == counted == len(facts)


def joined(value):
    return "; ".join(f"{v:g}" if isinstance(v, float) else v for v in value) if isinstance(value, list) else value


@pytest.mark.parametrize("source, position, column, expected", KNOWN)
def test_sample_facts_in_the_workbook(facts_sheet, source, position, column, expected):
    sheet = facts_sheet
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    found = [r for r in rows if r["document"].endswith("/" + source) and r["position"] == position]
    assert len(found) == 1
    assert (found[0][column] or "") == joined(expected)


def test_workbook_facts_sheet_layout(sample, facts_sheet):
    _, facts, _, _ = sample
    sheet = facts_sheet
    assert sheet.parent.sheetnames[-1] == "facts"
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["document", "instruction", "position", "title"]
    assert {"education", "experience_years", "min_experience", "reports_to", "approved_on"} <= set(header)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(facts) + 1}"
    for name in ("document", "education", "reports_to"):
        assert sheet.column_dimensions[openpyxl.utils.get_column_letter(header.index(name) + 1)].width > 12
    minimum = header.index("min_experience")
    numbers = [row[minimum].value for row in sheet.iter_rows(min_row=2) if row[minimum].value is not None]
    assert numbers and all(isinstance(n, (int, float)) for n in numbers)  # a number an analyst can filter on


def test_facts_files_keep_cyrillic_and_lists(sample):
    _, facts, out, paths = sample
    assert {"facts.csv", "facts.parquet", "facts.jsonl"} <= {p.name for p in paths}
    assert (out / "facts.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out / "facts.csv", encoding="utf-8-sig")
    klad = table[table["source"] == "01_kladovshchik.txt"].iloc[0]
    assert klad["education"] == "среднее общее; среднее профессиональное"
    assert klad["reports_to"] == "заведующий складом"
    lines = [json.loads(line) for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    parquet = pd.read_parquet(out / "facts.parquet")
    assert len(lines) == len(parquet) == len(table) == len(facts)
    klad_line = next(r for r in lines if r["source"] == "01_kladovshchik.txt")
    assert klad_line["experience_years"] == [1.0, 0.0] and klad_line["min_experience"] == 0.0
    klad_parquet = parquet[parquet["source"] == "01_kladovshchik.txt"].iloc[0]
    assert list(klad_parquet["education"]) == ["среднее общее", "среднее профессиональное"]


def test_formula_like_facts_stay_text(tmp_path):
    with Store(tmp_path / "c.duckdb") as store:
        store.import_documents([BUH, KAS])
        export_catalogue(store, tmp_path / "out")
    sheet = openpyxl.load_workbook(tmp_path / "out" / "catalogue.xlsx")["facts"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells['=HYPERLINK("http://x")'].data_type == "s"
    with zipfile.ZipFile(tmp_path / "out" / "catalogue.xlsx") as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    table = pd.read_csv(tmp_path / "out" / "facts.csv", encoding="utf-8-sig")
    assert "'=HYPERLINK(\"http://x\")" in set(table["approved_by"])


# --- the command line -----------------------------------------------------------------------------------


def test_import_and_catalogue_commands_carry_facts(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("01_kladovshchik.txt", "06_okhrannik_utf8-bom.txt"):
        shutil.copy(SAMPLES / name, docs / name)
    db = tmp_path / "db" / "catalogue.duckdb"
    assert main(["import", str(docs), "--db", str(db), "-q", "--classifier", "rules", "--workers", "1"]) == 0
    assert "2 added" in capsys.readouterr().out
    before = fact_rows(db)
    assert len(before) == 2 and before[0][2] == ["среднее общее", "среднее профессиональное"]
    assert main(["import", str(docs), "--db", str(db), "-q", "--classifier", "rules", "--workers", "1"]) == 0
    assert "0 added, 0 replaced, 2 unchanged" in capsys.readouterr().out
    assert fact_rows(db) == before
    out = tmp_path / "catalogue"
    assert main(["catalogue", "--db", str(db), "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out / "catalogue.xlsx", read_only=True)["facts"]
    positions = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert positions == ["кладовщик", "охранник"]
    assert len(pd.read_csv(out / "facts.csv", encoding="utf-8-sig")) == 2


def _imported(tmp_path, capsys):
    """(documents folder, database) after `import` of one sample instruction."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLES / "01_kladovshchik.txt", docs / "01_kladovshchik.txt")
    db = tmp_path / "catalogue.duckdb"
    assert main(["import", str(docs), "--db", str(db), "-q", "--classifier", "rules", "--workers", "1"]) == 0
    capsys.readouterr()
    return docs, db


def test_import_command_fills_the_facts_of_a_v1_database(tmp_path, capsys):
    docs, db = _imported(tmp_path, capsys)
    con = duckdb.connect(str(db))  # back to what a version-1 import left: no facts, no version
    try:
        con.execute("DROP TABLE instruction_facts")
        con.execute("DROP TABLE schema_version")
        con.execute("ALTER TABLE documents DROP COLUMN facts")
    finally:
        con.close()
    assert main(["import", str(docs), "--db", str(db), "-q", "--classifier", "rules", "--workers", "1"]) == 0
    assert "0 added, 1 replaced, 0 unchanged" in capsys.readouterr().out
    assert [r[6] for r in fact_rows(db)] == ["лицо, назначенное приказом генерального директора"]
    assert main(["import", str(docs), "--db", str(db), "-q", "--classifier", "rules", "--workers", "1"]) == 0
    assert "0 added, 0 replaced, 1 unchanged" in capsys.readouterr().out


def test_a_version_5_database_gains_organisation_and_approver(tmp_path, capsys):
    """Version 6 adds the two columns; the rows stored before keep their facts and read the new ones as empty."""
    _, db = _imported(tmp_path, capsys)
    con = duckdb.connect(str(db))  # back to what a version-5 import left
    try:
        con.execute("ALTER TABLE instruction_facts DROP COLUMN organisation")
        con.execute("ALTER TABLE instruction_facts DROP COLUMN approver")
        con.execute("UPDATE schema_version SET version = 5")
    finally:
        con.close()
    with Store(db, read_only=True) as store:
        assert store.schema_version() == SCHEMA_VERSION == 6
        facts = store.facts()
    assert (facts.loc[0, "organisation"], facts.loc[0, "approver"], facts.loc[0, "approved_on"]) == ("", "", "2024")
    assert [r[6] for r in fact_rows(db)] == ["лицо, назначенное приказом генерального директора"]


# --- the facts scorer -----------------------------------------------------------------------------------


@pytest.mark.parametrize("row, field, expected", [
    ({"education": "высшее; среднее профессиональное"}, "education", ["высшее", "среднее профессиональное"]),
    ({"education": ["высшее"]}, "education", ["высшее"]),
    ({"education": ""}, "education", []),
    ({"experience_years": "0; 2"}, "experience_years", [0.0, 2.0]),
    ({"experience_years": "0; 2"}, "min_experience", 0.0),
    ({"experience_years": ""}, "min_experience", None),
    ({"reports_to": "начальник смены; мастер участка"}, "reports_to", ["начальник смены", "мастер участка"]),
    ({"approved_on": None}, "approved_on", ""),
])
def test_unflatten(row, field, expected):
    assert unflatten({"source": "a.txt", "instruction": 1, **row})[field] == expected


GOLD = [
    {"source": "a.txt", "position": "кассир", "education": ["высшее"], "experience_years": [2],
     "reports_to": ["директор"], "substitute": ""},
    {"source": "b.txt", "position": "повар", "education": [], "experience_years": [],
     "reports_to": ["шеф-повар"], "substitute": "су-шеф"},
]


def test_accuracy_never_counts_an_empty_prediction_against_an_empty_gold(tmp_path):
    rows = [facts_row("a.txt", 1, "кассир", education="высшее", experience_years="2", reports_to="директор"),
            facts_row("b.txt", 1, "повар", education="среднее общее", reports_to="шеф-повар")]
    pred = tmp_path / "instructions.jsonl"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    scores = evaluate(predictions_from_jsonl(pred), GOLD)
    assert (scores["education"]["matched"], scores["education"]["accuracy"]) == (1, 0.5)  # b: found, not asked
    assert scores["education"]["precision"] == 0.5
    assert scores["experience_years"]["accuracy"] == 1.0
    # a: neither states a substitute, so a is not counted at all; b: missed
    assert (scores["substitute"]["records"], scores["substitute"]["accuracy"]) == (1, 0.0)
    assert scores["reports_to"]["accuracy"] == 1.0


def test_facts_eval_prints_the_samples_table(capsys):
    assert facts_eval_main(["--classifier", "rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = {line.split()[0]: line.split() for line in lines[1:-1]}
    assert set(table) == {"education", "education_field", "experience_years", "reports_to", "substitute",
                          "appointed_by", "approved_by", "approved_on", "organisation", "approver"}
    assert all(float(row[1]) >= 0.9 for row in table.values())  # the samples were written with the rules
    assert lines[-1].startswith("all facts")
