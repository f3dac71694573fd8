"""Case tables for the structure stage: markers, headings, lead-ins, clauses, instructions, positions."""

from __future__ import annotations

import pytest

from pipeline.readers.text import clean_text, line_blocks
from pipeline.records import Document
from pipeline.structure import structure
from pipeline.structure.position import is_title, nominative, position_from_subjects
from pipeline.structure.units import parse_marker
from pipeline.structure.vocab import heading_type, run_in_heading


def doc(text: str, name: str = "case.txt") -> Document:
    text = clean_text(text)
    return Document(path=name, sha256="", format="txt", text=text, blocks=line_blocks(text))


def clauses(text: str) -> list[tuple[str, str]]:
    return [(c.number, c.text) for c in structure(doc(text)).clauses]


@pytest.mark.parametrize(
    "line, marker, kind",
    [
        ("1.1. Ведет учет", "1.1.", "multi"),
        ("2.10. Контролирует отгрузки", "2.10.", "multi"),
        ("1.4.1. Готовит отчеты", "1.4.1.", "multi"),
        ("1.1.Водитель назначается", "1.1.", "multi"),
        ("1. Общие положения", "1.", "single"),
        ("1.Общие положения", "1.", "single"),
        ("3) проверяет документы", "3)", "single"),
        ("IV. Ответственность", "IV.", "roman"),
        ("ІІІ. Права", "ІІІ.", "roman"),  # Cyrillic І
        ("а) ведет журнал", "а)", "letter"),
        ("Раздел 2. Обязанности", "Раздел 2.", "part"),
        ("• этику делового общения;", "•", "bullet"),
        ("- законодательными актами РФ;", "-", "bullet"),
        ("-правила дорожного движения;", "-", "bullet"),
        ("— приказами руководства;", "—", "bullet"),
        ("▪ основы делопроизводства;", "▪", "bullet"),
        ("🔹 Ведет переговоры", "🔹", "bullet"),
        ("05.09.2025", "", "none"),
        ("-5 градусов", "", "none"),
        ("**Должен знать:**", "", "none"),
        ("Менеджер имеет право:", "", "none"),
    ],
)
def test_markers(line, marker, kind):
    got_marker, got_kind, _, _ = parse_marker(line)
    assert (got_marker.strip(), got_kind) == (marker, kind)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Общие положения", "general"),
        ("ОБЩИЕ ПОЛОЖЕНИЯ", "general"),
        ("Должностные обязанности менеджера по продажам", "duties"),
        ("Функциональные обязанности менеджера", "duties"),
        ("ПРАВА", "rights"),
        ("Права менеджера по продажам", "rights"),
        ("Ответственность:", "liability"),
        ("Требования к квалификации", "requirements"),
        ("Взаимоотношения (связи по должности)", "relations"),
        ("Условия работы менеджера", "conditions"),
        ("Менеджер по продажам имеет право:", None),
        ("Ответственность за сохранность имущества возлагается на кладовщика в полном объеме;", None),
        ("Должностные обязанности пр.docx", None),  # a file's name on a download page
        ("Обязанности кладовщика.doc", None),
    ],
)
def test_heading_types(text, kind):
    assert heading_type(text) == kind


@pytest.mark.parametrize(
    "text, title, kind",
    [
        ("Должностные обязанности. Принимает заявки.", "Должностные обязанности", "duties"),
        ("Должен знать: правила охраны труда; основы учета.", "Должен знать", "knowledge"),
        ("Требования к квалификации. Среднее профессиональное образование.", "Требования к квалификации", "requirements"),
        ("Менеджер ведет учет. Составляет отчеты.", None, None),
    ],
)
def test_run_in_headings(text, title, kind):
    found = run_in_heading(text)
    assert (found[0], found[1]) == (title, kind) if title else found is None


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("менеджера по продажам", "менеджер по продажам"),
        ("главного бухгалтера", "главный бухгалтер"),
        ("старшего кладовщика", "старший кладовщик"),
        ("медицинской сестры", "медицинская сестра"),
        ("водителя-экспедитора", "водитель-экспедитор"),
        ("оператора call-центра", "оператор call-центра"),
        ("ВОДИТЕЛЯ ШКОЛЬНОГО АВТОБУСА", "водитель школьного автобуса"),
        ("инженера-сметчика 1 категории", "инженер-сметчик 1 категории"),
        ("ПРОИЗВОДИТЕЛЬ РАБОТ", "производитель работ"),
        # grades as the tariff directory writes them, so one position is not counted twice
        ("повара пятого разряда", "повар 5-го разряда"),
        ("слесаря-ремонтника третьего разряда", "слесарь-ремонтник 3-го разряда"),
        ("электромонтера 2 разряда", "электромонтер 2-го разряда"),
        ("токаря 6-ого разряда", "токарь 6-го разряда"),
        ("водителя высшего разряда", "водитель высшего разряда"),
    ],
)
def test_nominative(phrase, expected):
    assert nominative(phrase) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Должностная инструкция кладовщика", True),
        ("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ", True),
        ("Должностная инструкция менеджера, образец 2024 года", True),
        ("Должностная инструкция представляет собой документ", False),
        ("Должностная инструкция кассира описывает его работу", False),
        ("Инструкция по охране труда для кладовщика", False),
        ("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ № 12", True),
        ("Должностная инструкция — не формальность. Именно на нее ссылается директор.", False),
        ("§ 112. Машинист насосных установок 3-го разряда", True),  # a tariff directory (ЕТКС) entry
        ("§ 2. Права и обязанности сторон", False),  # a contract's section
    ],
)
def test_titles(text, expected):
    assert is_title(text) is expected


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["Кладовщик подчиняется заведующему складом."], "кладовщик"),
        (["Повар 4-го разряда несет ответственность за:"], "повар 4-го разряда"),
        (["Работник подчиняется директору.", "Секретарь назначается приказом."], "секретарь"),
        (['1.1. Должность "Оператор котельной" относится к категории рабочих.'], "оператор котельной"),
    ],
)
def test_position_from_subjects(texts, expected):
    assert position_from_subjects(texts) == expected


NUMBERED = """Должностная инструкция кладовщика

УТВЕРЖДАЮ
Директор ООО «Ромашка»
________ И.И. Иванов
«___» ________ 20__ г.

1. Общие положения
1.1. Кладовщик относится к категории рабочих.
1.2. Кладовщик должен знать:
- правила приемки товаров;
- основы складского учета.
2. Должностные обязанности
Кладовщик выполняет следующие обязанности:
2.1. Принимает товар на склад.
2.2. Ведет учет движения товаров и
оформляет накладные.
3. Права
3.1. Запрашивать у руководства документы.
С инструкцией ознакомлен: ________
"""


def test_numbered_instruction():
    found = structure(doc(NUMBERED))
    assert [(i.title, i.position) for i in found.instructions] == [
        ("Должностная инструкция кладовщика", "кладовщик")
    ]
    assert [(c.number, c.text, c.section_type, c.lead_in) for c in found.clauses] == [
        ("1.1", "Кладовщик относится к категории рабочих.", "general", ""),
        ("", "правила приемки товаров;", "general", "Кладовщик должен знать:"),
        ("", "основы складского учета.", "general", "Кладовщик должен знать:"),
        ("2.1", "Принимает товар на склад.", "duties", "Кладовщик выполняет следующие обязанности:"),
        ("2.2", "Ведет учет движения товаров и оформляет накладные.", "duties",
         "Кладовщик выполняет следующие обязанности:"),
        ("3.1", "Запрашивать у руководства документы.", "rights", ""),
    ]
    assert [s.type for s in found.sections] == ["general", "duties", "rights"]


def test_offsets_point_into_the_text():
    d = doc(NUMBERED)
    for c in structure(d).clauses:
        assert " ".join(d.text[c.start:c.stop].split()) == c.text


def test_every_unit_is_accounted_for():
    d = doc(NUMBERED)
    found = structure(d)
    covered = set()
    for s in found.spans:
        covered.update(range(s.start, s.stop))
    letters = {i for i, ch in enumerate(d.text) if ch.isalpha()}
    assert letters <= covered


@pytest.mark.parametrize(
    "text, expected",
    [
        # ЕКС style: run-in heading, one clause per sentence, inline list after a colon
        (
            "СЧЕТОВОД\n\nДолжностные обязанности. Ведет учет материалов. Составляет отчеты.\n\n"
            "Должен знать: основы учета; правила охраны труда.\n",
            [("", "Ведет учет материалов."), ("", "Составляет отчеты."), ("", "основы учета;"),
             ("", "правила охраны труда.")],
        ),
        # several numbered clauses run together in one paragraph
        (
            "IV. Ответственность\n\nКассир несет ответственность за: 1. Нарушение порядка ведения кассы. "
            "2. Причинение материального ущерба.\n",
            [("1", "Нарушение порядка ведения кассы."), ("2", "Причинение материального ущерба.")],
        ),
        # an inline «;» list inside a run-together numbered paragraph
        (
            "I. Общие положения\n\n1. Медсестра относится к специалистам. 2. Медсестра должна знать: основы "
            "асептики; правила хранения лекарств.\n",
            [("1", "Медсестра относится к специалистам."), ("", "основы асептики;"), ("", "правила хранения лекарств.")],
        ),
        # a number alone on its line, hard-wrapped clause
        (
            "1. Общие положения\n1.1.\nОхранник\nподчиняется начальнику\nохраны.\n1.2. Охранник назначается приказом.\n",
            [("1.1", "Охранник подчиняется начальнику охраны."), ("1.2", "Охранник назначается приказом.")],
        ),
        # unnumbered headings with bullets of several kinds
        (
            "ОБЯЗАННОСТИ\n• Проверяет пропуска;\n▪ Ведет журнал;\n\nПРАВА\n— Требовать соблюдения режима.\n",
            [("", "Проверяет пропуска;"), ("", "Ведет журнал;"), ("", "Требовать соблюдения режима.")],
        ),
        # a bulleted item that starts with a section's word is still an item; its wrapped line joins it
        (
            "1. Требования к квалификации\nОператор должен знать:\n- скрипты разговоров;\n- требования законодательства о персональных данных\n"
            "  и правила работы с конфиденциальной информацией;\n- основы этики.\n",
            [("", "скрипты разговоров;"),
             ("", "требования законодательства о персональных данных и правила работы с конфиденциальной информацией;"),
             ("", "основы этики.")],
        ),
        # a run-in heading in Markdown bold: the clause starts after the heading
        (
            "СЧЕТОВОД\n\n**Должностные обязанности.** Ведет учет материалов. Составляет отчеты.\n",
            [("", "Ведет учет материалов."), ("", "Составляет отчеты.")],
        ),
        # a paragraph right under a known heading of a titled instruction: its sentences are provisions
        (
            "Должностная инструкция кассира\n\n1. Общие положения\n1.1. Кассир назначается приказом директора.\n\n"
            "2. Условия работы\n\nРежим работы кассира определяется графиком. Работа организована посменно.\n",
            [("1.1", "Кассир назначается приказом директора."), ("", "Режим работы кассира определяется графиком."),
             ("", "Работа организована посменно.")],
        ),
        # a lead-in with its own content and no items below is a clause
        (
            "1. Общие положения\n1.1. Водитель назначается приказом.\n1.2. Водитель подчиняется: механику.\n",
            [("1.1", "Водитель назначается приказом."), ("1.2", "Водитель подчиняется: механику.")],
        ),
    ],
)
def test_clause_styles(text, expected):
    assert clauses(text) == expected


def test_article_lists_are_not_an_instruction():
    article = (
        "Как составить должностную инструкцию и зачем она нужна работодателю в современной компании.\n\n"
        "Инструкция включает в себя пять разделов, каждый из которых важен для работника и работодателя.\n\n"
        "1. Общие положения. В первом разделе указываются общие вопросы.\n"
        "2. Обязанности. Здесь описывается, что делает работник.\n\n"
        "Документ утверждается руководителем организации и подписывается работником при приеме.\n\n"
        "Подпишитесь на нашу рассылку, чтобы получать новые статьи каждую неделю без задержек.\n"
    )
    assert clauses(article) == []


def test_two_instructions_in_one_page():
    text = NUMBERED + "\n\nДолжностная инструкция охранника\n\n1. Общие положения\n1.1. Охранник подчиняется начальнику охраны.\n"
    found = structure(doc(text))
    assert [i.position for i in found.instructions] == ["кладовщик", "охранник"]
    assert found.clauses[-1].instruction == 2


def test_title_over_two_lines_and_approval_block():
    text = (
        "УТВЕРЖДАЮ\nДиректор школы\n______ /И.И. Петров/\n« » ________ 2015 г.\n"
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ\nВОДИТЕЛЯ ШКОЛЬНОГО АВТОБУСА\n1.Общие положения\n"
        "1.1.Водитель назначается приказом директора.\n"
    )
    found = structure(doc(text))
    assert [(i.title, i.position) for i in found.instructions] == [
        ("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ВОДИТЕЛЯ ШКОЛЬНОГО АВТОБУСА", "водитель школьного автобуса")
    ]
    assert [c.text for c in found.clauses] == ["Водитель назначается приказом директора."]


def test_debug_view_names_the_rules():
    from pipeline.structure.debug import render_debug

    view = render_debug(doc(NUMBERED))
    assert "heading:vocabulary" in view and "lead-in" in view and "acknowledgement" in view
    assert "instruction 1: 'Должностная инструкция кладовщика' -> position 'кладовщик'" in view


def test_article_furniture_is_not_part_of_an_instruction():
    text = (
        "Должностная инструкция учителя: образец\n\nСодержание\n1. Зачем нужна инструкция\n2. Что в нее включить\n"
        "3. Образец документа\n\n1. Общие положения\n1.1. Учитель относится к категории педагогических работников.\n"
        "2. Должностные обязанности\n2.1. Проводит уроки по расписанию.\n\nЧитайте также:\n"
        "• Инструкция классного руководителя: что изменилось\n• Нагрузка учителя: вопросы и ответы\n"
    )
    assert clauses(text) == [
        ("1.1", "Учитель относится к категории педагогических работников."),
        ("2.1", "Проводит уроки по расписанию."),
    ]


def test_an_articles_headline_over_its_contents_is_not_an_instruction():
    text = (
        "Должностная инструкция кассира в 2025 году: образец и разбор\n"
        "Обновлено: 14.03.2025 · Автор: Редакция сайта · 5 мин. чтения\n\nСодержание\n1. Зачем нужна инструкция\n"
        "2. Что в нее включить\n3. Образец\n\nИнструкция нужна каждому магазину, и вот почему это так.\n\n"
        "Должностная инструкция кассира\n\n1. Общие положения\n1.1. Кассир назначается приказом директора.\n"
    )
    found = structure(doc(text))
    assert [(i.title, i.position) for i in found.instructions] == [("Должностная инструкция кассира", "кассир")]
    assert [c.text for c in found.clauses] == ["Кассир назначается приказом директора."]


def test_a_download_pages_furniture_is_not_a_clause():
    text = (
        "Вуз: Предмет: Файл:\nДолжностные обязанности кассира.docx\nСкачиваний:\n0\nДобавлен:\n01.07.2025\n"
        "Размер:\n29.94 Кб\nСкачать\n\nIV. Ответственность\n\nКассир несет ответственность за: 1. Нарушение "
        "порядка ведения кассы. 2. Причинение материального ущерба.\n"
    )
    assert clauses(text) == [("1", "Нарушение порядка ведения кассы."), ("2", "Причинение материального ущерба.")]


def test_an_english_readme_listing_russian_files_is_not_an_instruction():
    text = (
        "# Samples\n\n## Files\n\n- `01_kassir.txt`: a cashier's job description (должностная инструкция), "
        "numbered sections;\n- `02_yurist.html`: a web page with two instructions and an ad;\n"
        "- `03_povar.docx`: Word numbering, «Повар 4-го разряда».\n"
    )
    assert structure(doc(text)).instructions == ()


def test_an_ad_between_numbered_items_does_not_end_the_instruction():
    text = (
        "Должностная инструкция юриста\n\n2. Должностные обязанности\n2.1. Готовит договоры.\n"
        "2.2. Ведет претензионную работу.\n\nЧитайте также: как принять юриста\n\n2.3. Консультирует работников.\n"
    )
    found = structure(doc(text))
    assert [(c.instruction, c.section_number, c.number) for c in found.clauses] == [
        (1, "2", "2.1"), (1, "2", "2.2"), (1, "2", "2.3")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # headings over plain paragraphs: one clause per sentence, the instruction does not end on them
        (
            "Должностная инструкция администратора гостиницы\n\nОбщие положения\n\nАдминистратор гостиницы "
            "относится к категории специалистов и подчиняется управляющему гостиницей, который назначает его на "
            "должность. Назначение производится приказом.\n\nНа должность администратора принимается лицо со средним "
            "профессиональным образованием и опытом работы в гостинице не менее одного года.\n\nОбязанности\n\n"
            "Встречает гостей, оформляет их заселение и выезд, бронирует номера по телефону и электронной почте, "
            "принимает оплату за проживание и дополнительные услуги гостиницы.\n",
            ["Администратор гостиницы относится к категории специалистов и подчиняется управляющему гостиницей, "
             "который назначает его на должность.", "Назначение производится приказом.",
             "На должность администратора принимается лицо со средним профессиональным образованием и опытом работы "
             "в гостинице не менее одного года.",
             "Встречает гостей, оформляет их заселение и выезд, бронирует номера по телефону и электронной почте, "
             "принимает оплату за проживание и дополнительные услуги гостиницы."],
        ),
        # a text about instructions under a known heading talks to its reader: not a provision
        (
            "Должностная инструкция юриста: образец\n\nОбязанности\n\nВ этом разделе вы перечисляете всё, что юрист "
            "делает каждый день, от договоров до претензий и судебных дел, и ничего не упускаете.\n\n"
            "Мы собрали типичные ошибки работодателей, которые забывают про эту часть инструкции юриста и потом "
            "не могут потребовать работу.\n",
            [],
        ),
        # a directory's (ЕКС) run-in heading alone on its line, its category lines below
        (
            "ЭКОНОМИСТ\n\nДолжностные обязанности. Изучает спрос на продукцию.\n\nТребования к квалификации.\n"
            "Экономист I категории: высшее экономическое образование и стаж работы не менее 3 лет.\n",
            ["Изучает спрос на продукцию.",
             "Экономист I категории: высшее экономическое образование и стаж работы не менее 3 лет."],
        ),
        # tariff directory (ЕТКС) entries: «§ N. Profession N-го разряда» titles each entry
        (
            "§ 112. Токарь 3-го разряда\n\nХарактеристика работ. Обтачивает детали на станках.\n\n"
            "§ 113. Токарь 4-го разряда\n\nХарактеристика работ. Обтачивает сложные детали.\n\n"
            "Требуется среднее профессиональное образование.\n",
            ["Обтачивает детали на станках.", "Обтачивает сложные детали.",
             "Требуется среднее профессиональное образование."],
        ),
    ],
)
def test_instructions_written_as_paragraphs(text, expected):
    assert [c.text for c in structure(doc(text)).clauses] == expected


def test_directory_entries_are_instructions_with_their_positions():
    text = (
        "§ 112. Токарь 3-го разряда\n\nХарактеристика работ. Обтачивает детали на станках.\n\n"
        "§ 113. Токарь четвертого разряда\n\nХарактеристика работ. Обтачивает сложные детали.\n"
    )
    assert [i.position for i in structure(doc(text)).instructions] == ["токарь 3-го разряда", "токарь 4-го разряда"]


def test_sentence_lines_under_headings_of_a_titled_instruction():
    text = (
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ОХРАННИКА\n\nОБЩИЕ ПОЛОЖЕНИЯ\nОхранник относится к категории рабочих.\n"
        "Подчиняется непосредственно начальнику смены охраны.\nКадровая служба\n\nОБЯЗАННОСТИ\n"
        "- проверяет пропуска;\n\nДиректор ООО «Щит» ф.и.о.\n"
    )
    assert clauses(text) == [
        ("", "Охранник относится к категории рабочих."),
        ("", "Подчиняется непосредственно начальнику смены охраны."),
        ("", "проверяет пропуска;"),
    ]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Условия работы бухгалтера определяются", None),  # a finite verb: the start of a sentence
        ("Условия работы бухгалтера", "conditions"),
    ],
)
def test_a_verb_makes_a_sentence_not_a_heading(text, kind):
    assert heading_type(text) == kind
