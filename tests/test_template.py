"""The standard instruction of a position: positions grouped by head noun and qualifiers, the wording filled for
the position, and the Word document of a position of the sample corpus, opened by LibreOffice and read back
by the project's own reader with its numbers; `compare --template` against it."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from sample_store import SAMPLES, build_sample_store

from pipeline import classify
from pipeline.batch import process_file
from pipeline.catalogue.store import Store
from pipeline.cli import main
from pipeline.compare import compare_file_template
from pipeline.export.template import (
    SECTIONS,
    fill_position,
    fill_slots,
    inflect_position,
    template_from_store,
    tidy,
    within,
)
from pipeline.normalise import normalise

POSITION, THRESHOLD = "менеджер", 0.4


@pytest.mark.parametrize(("candidate", "position", "exact", "counts"), [
    ("главный бухгалтер", "бухгалтер", False, True),
    ("бухгалтер", "главный бухгалтер", False, False),  # the narrower standard takes no broader instruction
    ("главный бухгалтер", "бухгалтер", True, False),
    ("Бухгалтер", "бухгалтер", True, True),
    ("менеджер по продажам", "менеджер", False, True),
    ("старший менеджер по продажам", "менеджер по продажам", False, True),
    ("менеджер по закупкам", "менеджер по продажам", False, False),
    ("бухгалтер-кассир", "бухгалтер", False, False),  # a compound is a head of its own
    ("заведующий складом", "заведующий", False, True),
    ("старший кассир", "кассир", False, True),
    ("", "кассир", False, False),
])
def test_which_positions_a_standard_takes(candidate, position, exact, counts):
    assert within(candidate, position, exact) is counts


@pytest.mark.parametrize(("position", "case", "number", "form"), [
    ("бухгалтер", "gent", "sing", "бухгалтера"),
    ("главный бухгалтер", "datv", "sing", "главному бухгалтеру"),
    ("менеджер по продажам", "ablt", "sing", "менеджером по продажам"),
    ("медицинская сестра", "gent", "sing", "медицинской сестры"),
    ("продавец-кассир", "gent", "sing", "продавца-кассира"),
    ("заведующий складом", "datv", "sing", "заведующему складом"),
    ("оператор call-центра", "gent", "sing", "оператора call-центра"),
    ("старший кассир", "nomn", "plur", "старшие кассиры"),
    ("кассир", "nomn", "sing", "кассир"),
])
def test_a_position_in_a_case(position, case, number, form):
    assert inflect_position(position, case, number) == form


@pytest.mark.parametrize(("text", "written_for", "position", "filled"), [
    ("Главный бухгалтер подчиняется директору.", "главный бухгалтер", "бухгалтер", "Бухгалтер подчиняется директору."),
    ("На время отсутствия главного бухгалтера его обязанности исполняет заместитель.", "главный бухгалтер",
     "бухгалтер", "На время отсутствия бухгалтера его обязанности исполняет заместитель."),
    ("Работа кассира оценивается старшим кассиром.", "кассир", "продавец-кассир",
     "Работа продавца-кассира оценивается старшим кассиром."),  # the senior cashier is someone else
    ("Кладовщики подчиняются заведующему складом.", "кладовщик", "старший кладовщик",
     "Старшие кладовщики подчиняются заведующему складом."),
    ("Ведет учет кассовых операций.", "кассир", "бухгалтер", "Ведет учет кассовых операций."),
    ("Кассир ведет кассовую книгу.", "кассир", "кассир", "Кассир ведет кассовую книгу."),
])
def test_a_wording_filled_for_the_position(text, written_for, position, filled):
    assert fill_position(text, written_for, position) == filled


@pytest.mark.parametrize(("text", "position", "wanted", "filled"), [
    ("Кассир назначается на должность приказом директора магазина.", "кассир", {"person": "генерального директора"},
     "Кассир назначается на должность приказом генерального директора."),
    ("Подчиняется непосредственно заведующему складом.", "кладовщик", {"person": "директору"},
     "Подчиняется непосредственно директору."),
    # a value in another case would not read: the wording keeps its own
    ("Подчиняется непосредственно заведующему складом.", "кладовщик", {"person": "генерального директора"},
     "Подчиняется непосредственно заведующему складом."),
    ("Соблюдает требования законодательства РФ об охране труда.", "кладовщик", {"person": "директору"},
     "Соблюдает требования законодательства РФ об охране труда."),
])
def test_slots_take_the_most_common_value(text, position, wanted, filled):
    assert fill_slots(text, normalise(text, position).readable, wanted) == filled


@pytest.mark.parametrize(("text", "item"), [
    ("- ведет учет кассовых операций;", "Ведет учет кассовых операций."),
    ("за причинение материального ущерба,", "За причинение материального ущерба."),
    ("Соблюдает правила!", "Соблюдает правила!"),
    ("  • Сдает выручку  инкассатору ", "Сдает выручку инкассатору."),
])
def test_a_clause_as_an_item(text, item):
    assert tidy(text) == item


# --- the sample corpus ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("template")
    db = build_sample_store(tmp / "catalogue.duckdb")
    out = tmp / f"{POSITION}.docx"
    assert main(["template", "--db", str(db), "--position", POSITION, "--out", str(out),
                 "--threshold", f"{THRESHOLD:.0%}"]) == 0
    with Store(db, read_only=True) as store:
        template = template_from_store(store, POSITION, THRESHOLD)
    return {"db": db, "docx": out, "template": template, "tmp": tmp}


def shares(db: Path, positions: list[str]) -> dict[str, float]:
    """Per canonical clause, the share of the positions' instructions that contain it, counted in SQL."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        marks = ", ".join("?" for _ in positions)
        total = con.execute(f"SELECT count(*) FROM instructions WHERE position IN ({marks})", positions).fetchall()[0][0]
        found = con.execute(f"""SELECT canonical_id, count(DISTINCT document || '#' || instruction) FROM clauses
                                WHERE position IN ({marks}) GROUP BY canonical_id""", positions).fetchall()
    finally:
        con.close()
    return {cid: n / total for cid, n in found}


def numbered(text: str) -> list[tuple[str, str]]:
    """(number, text) of each numbered line of `jobclauses read`'s output."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^ +(\d+\.(?:\d+\.)?) (.*)$", text, re.MULTILINE)]


def test_the_template_holds_the_clauses_above_the_threshold_only(sample):
    template = sample["template"]
    assert template.instructions == 5 and {p for p, _ in template.positions} == {
        "менеджер", "менеджер по продажам", "менеджер по закупкам", "менеджер по работе с клиентами"}
    share = shares(sample["db"], [p for p, _ in template.positions])
    assert template.canonical_ids() == {cid for cid, s in share.items() if s >= THRESHOLD}
    assert template.canonical_ids()  # something is shared
    assert all(share[i.canonical_id] < THRESHOLD for i in template.appendix)
    assert [s.title for s in template.sections] == [title for _, title, _ in SECTIONS]
    for section, (_, _, label) in zip(template.sections, SECTIONS, strict=True):
        assert all(item.label == label for item in section.items)


def test_it_reads_back_with_its_numbers(sample, capsys):
    capsys.readouterr()
    assert main(["read", str(sample["docx"])]) == 0
    text = capsys.readouterr().out
    template = sample["template"]
    expected = []
    for section in template.sections:
        expected.append((section.number, section.title))
        expected += [(item.number, item.text) for item in section.items]
    assert numbered(text) == expected
    assert text.splitlines()[0] == "Должностная инструкция менеджера"


@pytest.mark.soffice
def test_libreoffice_opens_it_and_prints_the_same_numbers(sample):
    from docx_fixtures import normalise, require_soffice

    from pipeline.readers import read
    from pipeline.readers.office import export_text_many
    from pipeline.readers.render import as_text

    require_soffice()
    theirs = export_text_many([str(sample["docx"])])[str(sample["docx"])]
    assert not isinstance(theirs, Exception), theirs
    assert normalise(theirs) == normalise(as_text(read(str(sample["docx"]))))
    assert len(numbered(theirs)) == len(sample["template"].items()) + len(SECTIONS)


def test_extract_finds_one_instruction_of_the_position(sample):
    result = process_file(sample["docx"], classify.load("rules"))
    assert result.status == "ok"
    assert [i.position for i in result.instructions] == [POSITION]
    numbers = [c.number for c in result.clauses if c.number]
    assert [i.number.rstrip(".") for i in sample["template"].items()] == [n.rstrip(".") for n in numbers][
        :len(sample["template"].items())]


def test_exact_takes_that_position_only(sample):
    with Store(sample["db"], read_only=True) as store:
        exact = template_from_store(store, POSITION, 0.5, exact=True)
        chief = template_from_store(store, "бухгалтер")
    assert exact.positions == (("менеджер", 1),) and exact.instructions == 1
    assert chief.positions == (("главный бухгалтер", 1),)
    assert chief.title == "Должностная инструкция бухгалтера"
    assert all("главный бухгалтер" not in item.text.lower() for item in chief.items())


def test_the_same_template_writes_the_same_bytes(sample, tmp_path):
    out = tmp_path / "again.docx"
    assert main(["template", "--db", str(sample["db"]), "--position", POSITION, "--out", str(out),
                 "--threshold", "0.4"]) == 0
    assert out.read_bytes() == sample["docx"].read_bytes()


def test_compare_against_the_standard(sample, capsys):
    path = SAMPLES / "12_menedzher-po-zakupkam_word-tabs.txt"
    with Store(sample["db"], read_only=True) as store:
        [result] = compare_file_template(path, store, classify.load("auto"), POSITION, THRESHOLD)
        others = template_from_store(store, POSITION, THRESHOLD)
    assert result.position == "менеджер по закупкам" and result.instructions == 4  # the others
    standard = {number for number, *_ in result.lacks} | {w.standard_number for w in result.rare}
    assert standard <= {i.number for i in others.items()} | {n for n, *_ in result.lacks}
    assert result.lacks and result.adds
    assert result.matched + len(result.adds) == len(process_file(path, classify.load("auto")).clauses)
    for wording in result.rare:
        assert wording.used_by <= 0.25 * wording.with_provision
    capsys.readouterr()
    assert main(["compare", str(path), "--db", str(sample["db"]), "--template", "--position", POSITION,
                 "--threshold", "40%"]) == 0
    out = capsys.readouterr().out
    assert "against the standard for 'менеджер' (4 other instructions" in out
    assert f"LACKS ({len(result.lacks)})" in out and f"RARE WORDINGS ({len(result.rare)})" in out
