"""Corrections that stick: edits made in the exported workbook (or a CSV) go through `corrections apply`, a
re-import of the same, a copied and a changed document, and the next export; applying twice changes nothing.

Everything is real: the documents are imported by the CLI into a DuckDB file, the workbook is the one
`jobclauses catalogue` writes, edited with openpyxl as an analyst's spreadsheet program would save it.
The documents are invented for the project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipeline.catalogue.store import SCHEMA_VERSION, Store, instruction_hash, text_hash
from pipeline.cli import main
from pipeline.corrections import Edit, edits_of_table, statuses

KASSIR_1 = """Должностная инструкция кассира

1. Общие положения
1.1. Кассир назначается на должность и освобождается от должности приказом директора магазина.
1.2. Кассир подчиняется старшему кассиру.
2. Должностные обязанности
2.1. Принимает оплату от покупателей наличными и банковскими картами.
2.2. Ведет кассовую книгу.
2.3. Сдает выручку инкассатору в конце смены.
2.4. Следит за наличием разменной монеты в кассе.
3. Права
3.1. Получать сведения о работе платежных терминалов.
4. Ответственность
4.1. Кассир несет ответственность за сохранность денежных средств в кассе.
"""
KASSIR_2 = """Должностная инструкция кассира

1. Общие положения
1.1. Кассир назначается на должность и освобождается от должности приказом директора магазина.
1.2. Кассир подчиняется старшему кассиру.
2. Должностные обязанности
2.1. Принимает оплату от покупателей наличными и банковскими картами.
2.2. Ведет кассовую книгу.
2.3. Пересчитывает наличные деньги в кассе при передаче смены.
2.4. Оформляет возврат товара по чеку.
3. Права
3.1. Получать сведения о работе платежных терминалов.
4. Ответственность
4.1. Кассир несет ответственность за сохранность денежных средств в кассе.
"""
BUHGALTER = """Должностная инструкция бухгалтера

1. Общие положения
1.1. Бухгалтер назначается на должность и освобождается от должности приказом директора магазина.
1.2. Бухгалтер подчиняется главному бухгалтеру.
2. Должностные обязанности
2.1. Ведет учет кассовых операций.
2.2. Проверяет кассовую книгу.
2.3. Начисляет заработную плату работникам магазина.
3. Права
3.1. Запрашивать у кассиров отчеты о движении денежных средств.
4. Ответственность
4.1. Бухгалтер несет ответственность за достоверность учетных данных.
"""
EDITOR = "Ольга Смирнова"


def write_docs(folder: Path, kassir_1: str = KASSIR_1, buhgalter: str = BUHGALTER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("kassir-1.txt", kassir_1), ("kassir-2.txt", KASSIR_2), ("buhgalter.txt", buhgalter)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rows(db: Path, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def clause(db: Path, source: str, text: str) -> dict:
    """The stored clause of ``source`` with ``text``: label, machine label, canonical id, what was corrected."""
    found = rows(db, """SELECT label, machine_label, canonical_id, variant_id, corrected FROM clauses
                        WHERE source = ? AND text = ?""", source, text)
    assert len(found) == 1, (source, text, found)
    return dict(zip(("label", "machine_label", "canonical_id", "variant_id", "corrected"), found[0], strict=True))


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table a correction may change, in a fixed order."""
    return {
        "clauses": rows(db, "SELECT document, instruction, start, label, canonical_id, variant_id, corrected "
                            "FROM clauses ORDER BY ALL"),
        "instructions": rows(db, "SELECT document, instruction, position, corrected FROM instructions ORDER BY ALL"),
        "facts": rows(db, "SELECT document, instruction, position FROM instruction_facts ORDER BY ALL"),
        "corrections": rows(db, "SELECT id, kind, new_value, superseded_by FROM corrections ORDER BY id"),
        "provisions": rows(db, "SELECT id FROM provisions ORDER BY id"),
    }


class Sheet:
    """A sheet of an openpyxl workbook addressed by column names."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet
        self.columns = {c.value: c.column for c in sheet[1]}

    def find(self, **where) -> int:
        found = [r for r in range(2, self.sheet.max_row + 1)
                 if all(str(self.get(r, k)).endswith(v) if k == "document" else self.get(r, k) == v
                        for k, v in where.items())]
        assert len(found) == 1, (where, found)
        return found[0]

    def get(self, row: int, column: str):
        return self.sheet.cell(row, self.columns[column]).value

    def set(self, row: int, column: str, value) -> None:
        self.sheet.cell(row, self.columns[column]).value = value

    def hidden(self, column: str) -> bool:
        return bool(self.sheet.column_dimensions[openpyxl.utils.get_column_letter(self.columns[column])].hidden)


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    """A catalogue of three invented instructions, its exported workbook edited with one edit of each kind,
    and the result of `corrections apply`."""
    tmp = tmp_path_factory.mktemp("corrections")
    docs = write_docs(tmp / "docs")
    db = tmp / "catalogue.duckdb"
    assert main(["import", str(docs), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    assert main(["catalogue", "--db", str(db), "--out", str(tmp / "export")]) == 0
    before = {
        "label": clause(db, "kassir-1.txt", "Получать сведения о работе платежных терминалов."),
        "moved": clause(db, "kassir-1.txt", "Следит за наличием разменной монеты в кассе."),
        "target": clause(db, "kassir-1.txt", "Принимает оплату от покупателей наличными и банковскими картами."),
        "split": clause(db, "buhgalter.txt", "Проверяет кассовую книгу."),
        "book": clause(db, "kassir-1.txt", "Ведет кассовую книгу."),
        "merged": clause(db, "kassir-1.txt", "Сдает выручку инкассатору в конце смены."),
        "into": clause(db, "kassir-2.txt", "Пересчитывает наличные деньги в кассе при передаче смены."),
    }
    assert before["split"]["canonical_id"] == before["book"]["canonical_id"]  # the catalogue grouped them
    book = openpyxl.load_workbook(tmp / "export" / "catalogue.xlsx")
    clauses, facts, catalogue = Sheet(book["clauses"]), Sheet(book["facts"]), Sheet(book["catalogue"])
    assert all(clauses.hidden(c) for c in ("clause_key", "was_label", "was_canonical_id"))
    assert facts.hidden("instruction_key") and not facts.hidden("position")
    # label: the analyst says this right is a duty
    row = clauses.find(document="kassir-1.txt", number="3.1")
    clauses.set(row, "label", "duty")
    clauses.set(row, "note", "это обязанность")
    # move: into the canonical clause of another clause of the same label
    clauses.set(clauses.find(document="kassir-1.txt", number="2.4"), "canonical_id", before["target"]["canonical_id"])
    # split: checking the cash book is not keeping it
    row = clauses.find(document="buhgalter.txt", number="2.2")
    clauses.set(row, "canonical_id", "new-проверка")
    clauses.set(row, "corrected_by", "Пётр Иванов")
    # position: the accountant's instruction is the chief accountant's
    facts.set(facts.find(document="buhgalter.txt"), "position", "Главный бухгалтер")
    # merge: two canonical clauses of one label
    catalogue.set(catalogue.find(canonical_id=before["merged"]["canonical_id"]), "merge_into",
                  before["into"]["canonical_id"])
    book.properties.lastModifiedBy = EDITOR
    edited = tmp / "edited.xlsx"
    book.save(edited)
    return {"tmp": tmp, "docs": docs, "db": db, "edited": edited, "before": before}


def test_apply_stores_one_correction_of_each_kind(curated, capsys):
    db = curated["db"]
    capsys.readouterr()
    assert main(["corrections", "apply", str(curated["edited"]), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "5 edits, 5 corrections stored (1 label, 1 merge, 1 move, 1 position, 1 split)" in out
    stored = {kind: (by, note) for kind, by, note in rows(db, "SELECT kind, corrected_by, note FROM corrections")}
    assert stored == {"label": (EDITOR, "это обязанность"), "move": (EDITOR, ""), "split": ("Пётр Иванов", ""),
                      "position": (EDITOR, ""), "merge": (EDITOR, "")}
    assert all(at is not None and applied is not None
               for at, applied in rows(db, "SELECT corrected_at, applied_at FROM corrections"))


def check_corrected(db: Path, before: dict, sources: tuple[str, ...] = ("kassir-1.txt",)) -> None:
    """Every correction in force on the stored clauses of ``sources`` (copies of kassir-1) and the others."""
    for source in sources:
        label = clause(db, source, "Получать сведения о работе платежных терминалов.")
        assert (label["label"], label["machine_label"]) == ("duty", "right")
        assert label["canonical_id"].startswith("dut-") and label["corrected"].startswith("label #")
        moved = clause(db, source, "Следит за наличием разменной монеты в кассе.")
        assert moved["canonical_id"] == before["target"]["canonical_id"]
        assert moved["variant_id"] == before["moved"]["variant_id"]  # its wording is its own still
        merged = clause(db, source, "Сдает выручку инкассатору в конце смены.")
        assert merged["canonical_id"] == before["into"]["canonical_id"] and "canonical_id #" in merged["corrected"]
    # the same right in the other cashier's instruction (other content) keeps the machine's label
    assert clause(db, "kassir-2.txt", "Получать сведения о работе платежных терминалов.")["label"] == "right"
    split = clause(db, "buhgalter.txt", "Проверяет кассовую книгу.")
    assert split["canonical_id"].startswith("dut-n") and split["canonical_id"] != before["split"]["canonical_id"]
    assert clause(db, "kassir-1.txt", "Ведет кассовую книгу.")["canonical_id"] == before["book"]["canonical_id"]
    [(position, machine, mark)] = rows(db, "SELECT position, machine_position, corrected FROM instructions "
                                           "WHERE source = 'buhgalter.txt'")
    assert (position, machine) == ("главный бухгалтер", "бухгалтер") and mark.startswith("position #")
    assert rows(db, "SELECT position FROM instruction_facts WHERE source = 'buhgalter.txt'") == [("главный бухгалтер",)]
    assert rows(db, "SELECT count(*) FROM clauses WHERE canonical_id = ?", before["merged"]["canonical_id"]) == [(0,)]


def test_the_corrections_are_in_force(curated):
    applied(curated)
    check_corrected(curated["db"], curated["before"])
    with Store(curated["db"], read_only=True) as store:
        assert [s.state for s in statuses(store)] == ["in force"] * 5


def applied(curated):
    """The first test of the module applies the file; a test run alone applies it here."""
    if not rows(curated["db"], "SELECT count(*) FROM corrections")[0][0]:
        assert main(["corrections", "apply", str(curated["edited"]), "--db", str(curated["db"])]) == 0


def test_applying_the_same_file_again_changes_nothing(curated, capsys):
    applied(curated)
    db = curated["db"]
    before = snapshot(db)
    capsys.readouterr()
    assert main(["corrections", "apply", str(curated["edited"]), "--db", str(db)]) == 0
    assert "0 corrections stored, 5 already in force, 0 earlier ones superseded" in capsys.readouterr().out
    assert snapshot(db) == before


def test_a_reimport_of_the_same_a_copied_and_a_changed_document_keeps_them(curated, capsys):
    applied(curated)
    db, tmp, before = curated["db"], curated["tmp"], curated["before"]
    assert main(["import", str(curated["docs"]), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    assert "0 added, 0 replaced, 3 unchanged" in capsys.readouterr().out
    check_corrected(db, before)
    # a copy of the cashier's instruction elsewhere: the same content, the same corrections
    copy = tmp / "elsewhere"
    copy.mkdir(exist_ok=True)
    shutil.copy(curated["docs"] / "kassir-1.txt", copy / "kassir-copy.txt")
    assert main(["import", str(copy), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    # the cashier's instruction changed: a clause added, another one reworded
    changed = KASSIR_1.replace("2.4. Следит за наличием разменной монеты в кассе.\n",
                               "2.4. Следит за наличием разменной монеты в кассе.\n2.5. Выдает покупателям сдачу.\n")
    changed = changed.replace("Кассир подчиняется старшему кассиру.", "Кассир подчиняется заведующему магазином.")
    (curated["docs"] / "kassir-1.txt").write_text(changed, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(curated["docs"]), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    assert "0 added, 1 replaced, 2 unchanged" in capsys.readouterr().out
    check_corrected(db, before, ("kassir-1.txt", "kassir-copy.txt"))
    with Store(db, read_only=True) as store:
        uses = {s.correction.kind: s.uses for s in statuses(store)}
    assert uses == {"label": 2, "move": 2, "merge": 2, "split": 1, "position": 1}


def test_the_next_export_marks_the_corrected_values(curated):
    applied(curated)
    db, before = curated["db"], curated["before"]
    out = curated["tmp"] / "export-2"
    assert main(["catalogue", "--db", str(db), "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out / "catalogue.xlsx")
    clauses, facts, catalogue = Sheet(book["clauses"]), Sheet(book["facts"]), Sheet(book["catalogue"])
    row = clauses.find(document="kassir-1.txt", number="3.1")
    assert (clauses.get(row, "label"), clauses.get(row, "was_label")) == ("duty", "duty")
    assert clauses.get(row, "corrected").startswith("label #")
    row = clauses.find(document="buhgalter.txt", number="2.2")
    assert clauses.get(row, "canonical_id").startswith("dut-n") and clauses.get(row, "corrected").startswith("canonical_id #")
    row = facts.find(document="buhgalter.txt")
    assert facts.get(row, "position") == "главный бухгалтер" and facts.get(row, "corrected").startswith("position #")
    ids = [catalogue.get(r, "canonical_id") for r in range(2, catalogue.sheet.max_row + 1)]
    assert before["merged"]["canonical_id"] not in ids  # merged away
    row = catalogue.find(canonical_id=before["into"]["canonical_id"])
    assert catalogue.get(row, "corrected_clauses") >= 2
    unmarked = clauses.find(document="kassir-2.txt", number="2.4")
    assert clauses.get(unmarked, "corrected") in (None, "")
    # the same marks in the other exports
    import pandas as pd

    assert pd.read_csv(out / "facts.csv", encoding="utf-8-sig")["corrected"].fillna("").str.startswith("position #").sum() == 1
    assert pd.read_csv(out / "catalogue.csv", encoding="utf-8-sig")["corrected_clauses"].sum() >= 5


def test_a_correction_whose_clause_is_gone_is_listed(curated, capsys):
    applied(curated)
    db = curated["db"]
    gone = BUHGALTER.replace("2.2. Проверяет кассовую книгу.\n", "")
    docs = write_docs(curated["tmp"] / "docs-3", buhgalter=gone)
    for name in ("kassir-1.txt", "kassir-2.txt", "buhgalter.txt"):  # the same paths as stored
        shutil.copy(docs / name, curated["docs"] / name)
    assert main(["import", str(curated["docs"]), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    capsys.readouterr()
    assert main(["corrections", "list", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    split = [line for line in lines if " split off: " in line]
    assert len(split) == 1 and "no longer applies: the clause is not stored" in split[0], lines
    assert "«Проверяет кассовую книгу.»" in split[0] and "by Пётр Иванов" in split[0]
    position = [line for line in lines if " position: " in line]
    assert len(position) == 1 and "in force: 1 instruction" in position[0]  # a changed document, the same title


# --- a CSV of the analyst's own -----------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path):
    docs = write_docs(tmp_path / "docs")
    db = tmp_path / "c.duckdb"
    assert main(["import", str(docs), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    return tmp_path, db


def test_a_csv_in_a_russian_locale_applies_once(small, capsys):
    tmp, db = small
    csv = tmp / "fixes.csv"
    csv.write_text("document;instruction;number;text;label;corrected_by\n"
                   "kassir-2.txt;1;2.4;;requirement;Анна\n", encoding="utf-8-sig")
    capsys.readouterr()
    assert main(["corrections", "apply", str(csv), "--db", str(db)]) == 0
    assert "1 corrections stored (1 label)" in capsys.readouterr().out
    assert clause(db, "kassir-2.txt", "Оформляет возврат товара по чеку.")["label"] == "requirement"
    assert rows(db, "SELECT corrected_by FROM corrections") == [("Анна",)]
    assert main(["corrections", "apply", str(csv), "--db", str(db)]) == 0
    assert "0 corrections stored, 1 already in force" in capsys.readouterr().out


@pytest.mark.parametrize(("line", "problem"), [
    ("kassir-2.txt,1,2.4,,dutty,", "label 'dutty' is not one of duty, liability, other, requirement, right"),
    ("kassir-2.txt,1,2.4,,,rig-0000000000", "canonical_id 'rig-0000000000' is not in the catalogue"),
    ("kassir-2.txt,1,9.9,,duty,", "no stored clause '9.9' in kassir-2.txt #1"),
    ("kassir-2.txt,1,,,duty,", "stored clauses fit kassir-2.txt #1"),
    ("kassir-2.txt,1,2.4,,,RIGHT", "is a canonical clause of right, the clause is a duty (change its label as well)"),
])
def test_a_bad_row_is_one_line_and_the_others_are_applied(small, capsys, line, problem):
    tmp, db = small
    right = rows(db, "SELECT canonical_id FROM clauses WHERE source = 'kassir-1.txt' AND label = 'right'")[0][0]
    csv = tmp / "fixes.csv"
    csv.write_text("document,instruction,number,text,label,canonical_id\n" + line.replace("RIGHT", right) + "\n"
                   "buhgalter.txt,1,2.3,,other,\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["corrections", "apply", str(csv), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    [said] = err.strip().splitlines()
    assert said.startswith(f"jobclauses: {csv}: row 2: ") and problem in said, said
    assert "1 corrections stored (1 label)" in out
    assert clause(db, "buhgalter.txt", "Начисляет заработную плату работникам магазина.")["label"] == "other"


def test_a_merge_back_is_refused(small, capsys):
    tmp, db = small
    a = clause(db, "kassir-1.txt", "Сдает выручку инкассатору в конце смены.")["canonical_id"]
    b = clause(db, "kassir-2.txt", "Пересчитывает наличные деньги в кассе при передаче смены.")["canonical_id"]
    first, back = tmp / "merge.csv", tmp / "back.csv"
    first.write_text(f"canonical_id,merge_into\n{a},{b}\n", encoding="utf-8")
    back.write_text(f"canonical_id,merge_into\n{b},{a}\n", encoding="utf-8")
    assert main(["corrections", "apply", str(first), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["corrections", "apply", str(back), "--db", str(db)]) == 1
    assert f"row 2: {a} is merged into {b} already" in capsys.readouterr().err
    assert rows(db, "SELECT count(*) FROM corrections") == [(1,)]


def test_a_later_edit_supersedes_the_earlier(small, capsys):
    tmp, db = small
    csv = tmp / "fixes.csv"
    for label in ("requirement", "other"):
        csv.write_text(f"document,instruction,number,label\nkassir-2.txt,1,2.4,{label}\n", encoding="utf-8")
        assert main(["corrections", "apply", str(csv), "--db", str(db)]) == 0
    assert "1 earlier ones superseded" in capsys.readouterr().out
    assert clause(db, "kassir-2.txt", "Оформляет возврат товара по чеку.")["label"] == "other"
    assert rows(db, "SELECT id, superseded_by FROM corrections ORDER BY id") == [(1, 2), (2, None)]
    with Store(db, read_only=True) as store:
        assert [s.state for s in statuses(store, include_superseded=True)] == ["superseded", "in force"]


# --- reading edits ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "row", "kinds"), [
    (["document", "instruction", "number", "label", "was_label"], ["a.txt", 1, "2.1", "duty", "duty"], []),
    (["document", "instruction", "number", "label", "was_label"], ["a.txt", 1, "2.1", "right", "duty"], ["label"]),
    (["document", "instruction", "number", "label"], ["a.txt", 1, "2.1", "duty"], ["label"]),  # the store decides
    (["document", "instruction", "number", "label"], ["a.txt", 1, "2.1", ""], []),
    (["document", "instruction", "position", "was_position"], ["a.txt", 2, "кассир", "бухгалтер"], ["position"]),
    (["canonical_id", "label", "merge_into"], ["dut-1", "duty", ""], []),
    (["canonical_id", "label", "merge_into"], ["dut-1", "duty", "dut-2"], ["merge_into"]),
    (["colour", "size"], ["red", 2], []),
])
def test_which_cells_are_edits(header, row, kinds):
    assert [e.kind for e in edits_of_table(header, [row], "sheet")] == kinds


def test_an_edit_says_where_it_is():
    [edit] = edits_of_table(["clause_key", "label", "was_label", "note"], [["ab:cd", "right", "duty", "почему"]], "clauses")
    assert edit == Edit("label", "right", "duty", "clauses row 2", clause_key="ab:cd", note="почему")


# --- the store's schema -------------------------------------------------------------------------------------


def test_a_database_of_version_4_gains_the_corrections_and_the_same_hashes(tmp_path):
    docs = write_docs(tmp_path / "docs")
    db = tmp_path / "old.duckdb"
    assert main(["import", str(docs), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    hashes = rows(db, "SELECT document, start, clause_hash FROM clauses ORDER BY ALL")
    instructions = rows(db, "SELECT document, instruction, instruction_hash FROM instructions ORDER BY ALL")
    con = duckdb.connect(str(db))
    for name in ("machine_label", "clause_hash", "corrected"):
        con.execute(f"ALTER TABLE clauses DROP COLUMN {name}")
    for name in ("machine_position", "instruction_hash", "corrected"):
        con.execute(f"ALTER TABLE instructions DROP COLUMN {name}")
    con.execute("DROP TABLE corrections")
    con.execute("UPDATE schema_version SET version = 4")
    con.close()
    with Store(db, read_only=True) as store:
        assert store.schema_version() == SCHEMA_VERSION == 6
    assert rows(db, "SELECT document, start, clause_hash FROM clauses ORDER BY ALL") == hashes
    assert rows(db, "SELECT document, instruction, instruction_hash FROM instructions ORDER BY ALL") == instructions
    assert rows(db, "SELECT count(*) FROM clauses WHERE machine_label = label AND corrected = ''")[0][0] == len(hashes)


def test_content_hashes_fold_white_space_only():
    assert text_hash("Ведет  кассовую книгу.") == text_hash("Ведет кассовую книгу. ")
    assert text_hash("Ведет кассовую книгу.") != text_hash("Ведёт кассовую книгу.")
    assert instruction_hash("Инструкция", ["а", "б"]) != instruction_hash("Инструкция", ["б", "а"])
