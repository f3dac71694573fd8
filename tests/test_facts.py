"""Facts per instruction: each grammar and rule on a table of wordings, then the sample corpus against its gold."""

from pathlib import Path

import pytest

from evaluation.facts import evaluate, load_gold
from pipeline import classify, read
from pipeline.batch import facts_of_file, process_file
from pipeline.facts import (
    Facts,
    appointed_by,
    approval,
    education,
    experience,
    extract_all,
    extract_facts,
    nominative,
    reports_to,
    substitute,
)
from pipeline.facts.grammars import find
from pipeline.records import Clause, Instruction

SAMPLES = Path(__file__).parent.parent / "corpora" / "samples"


@pytest.mark.parametrize("grammar, text, matched", [
    ("EDUCATION", "имеющее высшее образование без стажа", "высшее образование"),
    ("EDUCATION", "среднее профессиональное (техническое) образование", "среднее профессиональное (техническое) образование"),
    ("EDUCATION", "высшим экономическим или юридическим образованием", "высшим экономическим или юридическим образованием"),
    ("EDUCATION", "высшее или среднее профессиональное образование", "высшее или среднее профессиональное образование"),
    ("EDUCATION_AFTER", "образование - высшее или неполное высшее", "образование - высшее или неполное высшее"),
    ("EXPERIENCE", "стаж работы не менее двух лет", "стаж работы не менее двух лет"),
    ("EXPERIENCE", "опыт работы от года", "опыт работы от года"),
    ("EXPERIENCE", "стаж работы по профилю, связанной с учетом, не менее 3-х лет", "стаж работы по профилю, связанной с учетом, не менее 3-х лет"),
    ("NO_EXPERIENCE", "без предъявления требований к стажу работы", "без предъявления требований к стажу"),
    ("NO_EXPERIENCE", "без требований к опыту работы", "без требований к опыту"),
])
def test_grammar_matches(grammar, text, matched):
    spans = [text[m.span.start:m.span.stop] for m in find(grammar, text)]
    assert spans == [matched]


@pytest.mark.parametrize("grammar, text", [
    ("EDUCATION", "образовательные программы"),
    ("EXPERIENCE", "хранит документы не менее 5 лет"),  # a term, not experience
    ("EXPERIENCE", "стаж работы; срок хранения не менее 3 лет"),  # another clause part
    ("NO_EXPERIENCE", "без предъявления документов"),
])
def test_grammar_refuses(grammar, text):
    assert find(grammar, text) == []


@pytest.mark.parametrize("text, levels, field", [
    ("Назначается лицо, имеющее высшее образование без предъявления требований к стажу.", ("высшее",), ""),
    ("высшее профессиональное (экономическое) образование", ("высшее",), "экономическое"),
    ("среднее специальное образование по специальности «Товароведение»", ("среднее профессиональное",),
     "Товароведение"),
    ("начальное профессиональное образование или среднее (полное) общее образование",
     ("начальное профессиональное", "среднее общее"), ""),
    ("образование — высшее или неполное высшее, опыт от года", ("высшее", "неполное высшее"), ""),
    ("высшее образование в области логистики и стаж работы не менее 2 лет", ("высшее",), "логистики"),
    ("основное общее образование", ("основное общее",), ""),
])
def test_education(text, levels, field):
    found, found_field, _ = education([text])
    assert (found, found_field) == (levels, field)


@pytest.mark.parametrize("text, years", [
    ("стаж работы не менее двух лет", (2.0,)),
    ("стаж аналогичной работы от года", (1.0,)),
    ("без предъявления требований к стажу работы", (0.0,)),
    ("стаж работы в должности техника не менее 3 лет", (3.0,)),
    ("опыт работы с покупателями не менее шести месяцев", (0.5,)),
    ("опыт работы не менее полутора лет", (1.5,)),
    ("высшее образование без предъявления требований к стажу или среднее и стаж не менее 5 лет", (0.0, 5.0)),
    ("опыт работы по специальности не менее 3 лет либо среднее профессиональное образование и опыт работы по "
     "специальности не менее 5 лет", (3.0, 5.0)),
    ("опыт работы не менее ___ лет", ()),  # a blank template
    ("хранит журналы не менее трех лет", ()),
])
def test_experience(text, years):
    assert experience([text])[0] == years


@pytest.mark.parametrize("phrase, case, expected", [
    ("коммерческому директору компании", "datv", "коммерческий директор"),
    ("заведующему складом", "datv", "заведующий складом"),
    ("старшей медицинской сестре", "datv", "старшая медицинская сестра"),
    ("начальнику отдела кадров", "datv", "начальник отдела кадров"),
    ("генерального директора", "gent", "генеральный директор"),
    ("Главного инженера предприятия", "gent", "главный инженер"),
    ("директором магазина", "ablt", "директор магазина"),
    ("другому должностному лицу", "datv", "другое должностное лицо"),
    ("непосредственно", "datv", ""),  # no noun group in the dative: not a role
])
def test_nominative(phrase, case, expected):
    assert nominative(phrase, case) == expected


@pytest.mark.parametrize("text, expected", [
    ("Товаровед подчиняется непосредственно коммерческому директору.", ("коммерческий директор",)),
    ("Подчиняется начальнику смены и мастеру участка.", ("начальник смены", "мастер участка")),
    ("Подчиняется директору филиала / управляющему магазином.", ("директор филиала", "управляющий магазином")),
    ("Повар подчиняется шеф-повару, а по вопросам санитарии — врачу.", ("шеф-повар",)),
    ("Кассир подчиняется непосредственно ____________ (Ф.И.О., должность).", ()),
    ("Инженер подчиняется начальнику отдела Иванову И.И.", ("начальник отдела",)),
    ("Кассир ведет кассовую книгу.", ()),
])
def test_reports_to(text, expected):
    assert reports_to(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Назначается на должность и освобождается от нее приказом генерального директора.", "генеральный директор"),
    ("Принимается на работу приказом директора по представлению главного инженера.", "директор"),
    ("Назначается на должность и освобождается от нее заведующим складом.", "заведующий складом"),
    ("Назначается на должность приказом __________ (должность руководителя).", ""),
    ("Соблюдает правила охраны труда.", ""),
])
def test_appointed_by(text, expected):
    assert appointed_by(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("В период отсутствия кассира его обязанности исполняет старший кассир.", "старший кассир"),
    ("На время отсутствия механика его обязанности возлагаются на инженера гаража.", "инженер гаража"),
    ("Во время отсутствия повара его права и обязанности переходят к другому должностному лицу, о чем "
     "издается приказ.", "другое должностное лицо"),
    ("В период временного отсутствия его обязанности возлагаются на ________ (должность).", ""),
    ("Ведет учет товаров.", ""),
])
def test_substitute(text, expected):
    assert substitute(text) == expected


TITLE = "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ТОВАРОВЕДА\n\n1.1. Товаровед относится к специалистам."


@pytest.mark.parametrize("block, approver, date", [
    ("УТВЕРЖДАЮ\nГенеральный директор ООО «Ромашка»\n________ /А.Б. Петров/\n«___» ________ 2024 г.\n\n",
     "генеральный директор", "2024"),
    ("                    УТВЕРЖДАЮ\n                    Директор магазина\n"
     "                    12 марта 2023 г.\n\n", "директор магазина", "2023-03-12"),
    ("СОГЛАСОВАНО                 УТВЕРЖДАЮ\nГлавный бухгалтер           Управляющий\n"
     "«__» _____ 2022 г.          «__» _____ 2022 г.\n\n", "управляющий", "2022"),
    ("УТВЕРЖДАЮ Заведующий аптекой ______ В.В. Сидорова 01.02.2021\n\n", "заведующий аптекой", "2021-02-01"),
    ("УТВЕРЖДАЮ\n___________________\n(должность руководителя)\n«___» ______ 20__ г.\n\n", "", ""),
])
def test_approval_block(block, approver, date):
    text = block + TITLE
    instruction = Instruction(source="x.txt", index=1, title="ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ТОВАРОВЕДА",
                              position="товаровед", start=len(block), stop=len(text))
    found_approver, found_date, _ = approval(text, instruction)
    assert (found_approver, found_date) == (approver, date)


def test_extract_facts_and_round_trip():
    text = ("УТВЕРЖДАЮ\nДиректор\n«___» ____ 2025 г.\n\nДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ТОВАРОВЕДА\n"
            "1. Товаровед подчиняется непосредственно коммерческому директору.\n"
            "2. На должность назначается лицо, имеющее высшее образование и стаж работы не менее двух лет.\n")
    start = text.index("ДОЛЖНОСТНАЯ")
    instruction = Instruction(source="x.txt", index=1, title="", position="товаровед", start=start, stop=len(text))
    clauses = [Clause(source="x.txt", instruction=1, number=str(i + 1), text=line.split(". ", 1)[1], start=0, stop=0)
               for i, line in enumerate(text[start:].splitlines()[1:])]
    facts = extract_facts(instruction, clauses, text)
    assert facts.education == ("высшее",)
    assert facts.experience_years == (2.0,)
    assert facts.min_experience == 2.0
    assert facts.reports_to == ("коммерческий директор",)
    assert (facts.approved_by, facts.approved_on) == ("директор", "2025")
    assert Facts.from_dict(facts.to_dict()) == facts


@pytest.fixture(scope="module")
def sample_facts():
    classifier = classify.load("rules")
    gold = load_gold(SAMPLES / "facts-gold.jsonl")
    facts = []
    for source in sorted({g["source"] for g in gold}):
        result = process_file(SAMPLES / source, classifier)
        facts += extract_all(result.instructions, result.clauses, read(SAMPLES / source).text)
    return facts, gold


def test_sample_corpus_against_facts_gold(sample_facts):
    facts, gold = sample_facts
    scores = evaluate(facts, gold)
    # The samples were written while the rules were: this guards against regressions, it is no estimate.
    for name, s in scores.items():
        assert s["precision"] >= 0.9, (name, s)
        assert s["recall"] >= 0.9, (name, s)


def test_score_counts_a_wrong_value(sample_facts):
    facts, gold = sample_facts
    wrong = [Facts(**{**f.__dict__, "appointed_by": "дворник"}) for f in facts]
    assert evaluate(wrong, gold)["appointed_by"]["matched"] == 0


def test_facts_of_a_file_as_a_table_row():
    facts = facts_of_file(SAMPLES / "09_sekretar-rukovoditelya.html", classify.load("rules"))
    assert [f.position for f in facts] == ["секретарь руководителя"]
    row = facts[0].row()
    assert row["education"] == "высшее; среднее профессиональное"
    assert row["experience_years"] == "0; 2"
    assert row["min_experience"] == 0.0
    assert "evidence" not in row
    assert dict(facts[0].evidence)["reports_to"].startswith("Секретарь руководителя подчиняется")


def test_a_file_without_instructions_has_no_facts(tmp_path):
    empty = tmp_path / "note.txt"
    empty.write_text("Список покупок: хлеб, молоко.", encoding="utf-8")
    assert facts_of_file(empty, classify.load("rules")) == []
