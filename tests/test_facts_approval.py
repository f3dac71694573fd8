"""The organisation and the approver of an instruction (``pipeline.facts.parties``): each rule on a table of invented
lines, whole headers with and without natasha, and natasha's part shown by what the rules alone miss."""

from __future__ import annotations

import pytest

from pipeline.facts import NATASHA, Natasha, parties
from pipeline.facts.parties import clean, name_of_line, organisation_of_line
from pipeline.records import Instruction

TITLE = "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ТОВАРОВЕДА\n\n1.1. Товаровед относится к специалистам."


@pytest.mark.parametrize("line, header, organisation, rule", [
    ("Директор ООО «Полярная сова»", False, "ООО «Полярная сова»", "quoted_legal_form"),
    ("Генеральный директор  АО  \"Сибирский  кедр\"", False, 'АО "Сибирский кедр"', "quoted_legal_form"),
    ("Общество с ограниченной ответственностью «Тихая гавань»", True,
     "Общество с ограниченной ответственностью «Тихая гавань»", "quoted_legal_form"),
    ("Автономная некоммерческая организация “Центр семейного досуга”", True,
     'Автономная некоммерческая организация "Центр семейного досуга"', "quoted_legal_form"),
    ("ГБПОУ «Колледж сервиса „Радуга“»", True, 'ГБПОУ «Колледж сервиса "Радуга"»', "quoted_legal_form"),
    ("ФГБОУ ВО «Камский технический университет»", True, "ФГБОУ ВО «Камский технический университет»",
     "quoted_legal_form"),
    ("Западный филиал ООО «Соболь»", True, "Западный филиал ООО «Соболь»", "quoted_legal_form"),
    ("Муниципальное казенное учреждение культуры городской дом культуры", True,
     "Муниципальное казенное учреждение культуры городской дом культуры", "legal_form_line"),
    ("ИП Лебедева Анна Игоревна", True, "ИП Лебедева Анна Игоревна", "entrepreneur"),
    ("Индивидуальный предприниматель Жилин К.Р.", True, "Индивидуальный предприниматель Жилин К.Р.", "entrepreneur"),
    ("Пекарня «Теплый хлеб»", True, "Пекарня «Теплый хлеб»", "named_kind"),
    ("Пекарня «Теплый хлеб»", False, "", ""),  # a block line: a quoted name without a legal form is no employer
    ("в соответствии с ФЗ «О персональных данных»", False, "", ""),  # a law, not a legal form
    ("Генеральный директор", False, "", ""),
    ("(наименование организации)", True, "", ""),
])
def test_organisation_rules(line, header, organisation, rule):
    assert organisation_of_line(line, header) == (organisation, rule)


@pytest.mark.parametrize("line, name, rule", [
    ("________ /Лукин В.Ф./", "Лукин В. Ф.", "initials_name"),
    ("В. Ф. Лукин ___________", "Лукин В. Ф.", "initials_name"),
    ("_________И.П.Шестакова", "Шестакова И. П.", "initials_name"),
    ("Главный врач ______ Д.Д. Ли-Мороз", "Ли-Мороз Д. Д.", "initials_name"),
    ("Рябинина Ольга Викторовна ________", "Рябинина Ольга Викторовна", "full_name"),
    ("Ольга Викторовна Рябинина", "Рябинина Ольга Викторовна", "full_name"),
    ("_______ И.О. Фамилия", "", ""),
    ("(подпись)   (Ф.И.О.)", "", ""),
    ("Генеральный директор ООО «Тихая гавань»", "", ""),
])
def test_name_rules(line, name, rule):
    assert name_of_line(line) == (name, rule)


@pytest.mark.parametrize("raw, cleaned", [
    ("ООО  «Север» ", "ООО «Север»"),
    ("АО « Север »", "АО «Север»"),
    ("ООО „Север“", 'ООО "Север"'),
    ("ООО\u00a0«Север»,", "ООО «Север»"),
])
def test_clean(raw, cleaned):
    assert clean(raw) == cleaned


def found(head: str, ner: Natasha | None = NATASHA) -> tuple[str, str]:
    text = head + "\n\n" + TITLE
    instruction = Instruction(source="x.txt", index=1, title="ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ТОВАРОВЕДА",
                              position="товаровед", start=text.index("ДОЛЖНОСТНАЯ"), stop=len(text))
    result = parties(text, instruction, ner=ner)
    return result.organisation, result.approver


#: (header and block, organisation and approver with natasha, the same with the rules alone)
HEADS = [
    ("ООО «Полярная сова»\n\nУТВЕРЖДАЮ\nДиректор\n_______ /Гусев П.П./", ("ООО «Полярная сова»", "Гусев П. П."),
     ("ООО «Полярная сова»", "Гусев П. П.")),
    # natasha's NER: an organisation without quotes or a legal form
    ("Нижнекамский комбинат хлебопродуктов\n\nУТВЕРЖДАЮ\nДиректор\n_______ А.А. Панов",
     ("Нижнекамский комбинат хлебопродуктов", "Панов А. А."), ("", "Панов А. А.")),
    # natasha's normal form: an inflected name in the nominative
    ("УТВЕРЖДЕНА\nдиректором ООО «Кварц»\nБелкиной Ниной Олеговной\nот 11.11.2024",
     ("ООО «Кварц»", "Белкина Нина Олеговна"), ("ООО «Кварц»", "Белкиной Ниной Олеговной")),
    # natasha's NER: a name with no initials and no patronymic
    ("УТВЕРЖДАЮ\nШеф-повар ресторана\n________ Тимур Арсланов", ("", "Арсланов Тимур"), ("", "")),
    # an organisation of the СОГЛАСОВАНО block is not the employer's
    ("СОГЛАСОВАНО\nПредседатель ППО ООО «Бобр»\n______ Н.Н. Ким\n\nУТВЕРЖДАЮ\nДиректор\n______ О.О. Фирсов",
     ("", "Фирсов О. О."), ("", "Фирсов О. О.")),
    # an organisation left of the block on the keyword's line, in curly quotes
    ("ООО “Лесной край”            УТВЕРЖДАЮ\n                              Директор\n"
     "                              _____ Е.Е. Уткина", ("ООО \"Лесной край\"", "Уткина Е. Е."),
     ("ООО \"Лесной край\"", "Уткина Е. Е.")),
    # the organisation only in the general provisions is read from the clauses (not here: no clauses given)
    ("УТВЕРЖДАЮ\n________________\n(должность)", ("", ""), ("", "")),
]


@pytest.mark.parametrize("head, with_ner, rules_alone", HEADS)
def test_headers_with_and_without_natasha(head, with_ner, rules_alone):
    assert found(head) == with_ner
    assert found(head, ner=None) == rules_alone


def test_organisation_from_the_general_provisions():
    text = "УТВЕРЖДАЮ\nДиректор\n_____ /Л.Л. Осипов/\n\n" + TITLE
    instruction = Instruction(source="x.txt", index=1, title="", position="товаровед",
                              start=text.index("ДОЛЖНОСТНАЯ"), stop=len(text))
    clause = "Настоящая инструкция определяет обязанности товароведа Общества с ограниченной ответственностью «Ирбис»."
    result = parties(text, instruction, [clause], ner=None)
    assert (result.organisation, result.organisation_rule) == (
        "Общества с ограниченной ответственностью «Ирбис»", "provisions")


def test_natasha_really_runs_once_per_line():
    """natasha tags the lines where the rules found nothing, once per distinct line (cached by its text)."""
    ner = Natasha()
    assert not ner.loaded
    head = "Верхнекамский завод нестандартного оборудования\n\nУТВЕРЖДАЮ\nДиректор\n_______ /Орлов О.О./"
    assert found(head, ner) == ("Верхнекамский завод нестандартного оборудования", "Орлов О. О.")
    assert ner.loaded and ner.calls >= 1
    calls = ner.calls
    assert found(head, ner)[0] == "Верхнекамский завод нестандартного оборудования"
    assert ner.calls == calls  # the second document with the same letterhead costs nothing
    spans = ner.spans("Утверждено генеральным директором Карповой Еленой Андреевной")
    assert [(s.type, s.last, s.first, s.middle) for s in spans if s.type == "PER"] == [
        ("PER", "Карпова", "Елена", "Андреевна")]


def test_rules_alone_never_load_natasha():
    ner = Natasha()
    assert found("ООО «Полярная сова»\n\nУТВЕРЖДАЮ\nДиректор\n_______ /Гусев П.П./", ner) == \
        ("ООО «Полярная сова»", "Гусев П. П.")
    assert not ner.loaded  # everything was found by the rules: natasha was not needed


@pytest.mark.parametrize("head", [
    "ООО «ХХХ»\n\nУТВЕРЖДАЮ\nДиректор\n__________",
    "УТВЕРЖДАЮ\nДиректор ЗАО «__________»\n__________",
    "Общество с ограниченной ответственностью \"\"\n\nУТВЕРЖДАЮ\nДиректор",
    "Кафе «NNN»\n\nУТВЕРЖДАЮ\nДиректор",
])
def test_a_template_names_no_organisation(head):
    assert found(head) == ("", "")


@pytest.mark.parametrize("head", [
    "УТВЕРЖДАЮ\nСтаршего кассира\n__________",  # a position in the genitive: natasha may call it ORG
    "Инструкция составлена\n\nУТВЕРЖДАЮ\nДиректор",
])
def test_natasha_finds_no_organisation_in_a_position(head):
    assert found(head)[0] == ""
