"""Recall-safe structure (issue 14): every line of an instruction is a candidate provision; a line becomes page
furniture only on positive evidence, and the debug view names the rule. Every text here is invented."""

from __future__ import annotations

import pytest

from pipeline.readers import read_bytes
from pipeline.structure import structure
from pipeline.structure.debug import render_debug
from pipeline.structure.position import Evidence, is_title, name_position, title_phrase, unspaced
from tests.docxgen import docx_bytes, para, table
from tests.test_structure import clauses, doc


def texts(text: str) -> list[str]:
    return [c for _, c in clauses(text)]


def positions(text: str) -> list[str]:
    return [i.position for i in structure(doc(text)).instructions]


# ---- what starts, ends and admits an instruction ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # a list of duties saved on its own, no title at all: an instruction with an empty title
        (
            "Обязанностями грузчика являются:\n-погрузка и выгрузка товара;\n-перемещение тары по складу;\n"
            "-уборка рампы в конце смены.\n",
            ["погрузка и выгрузка товара;", "перемещение тары по складу;", "уборка рампы в конце смены."],
        ),
        # sentences of a titled instruction written as paragraphs are clauses, however many follow each other
        (
            "Должностная инструкция вахтера\n\nВахтер подчиняется заведующему хозяйством и работает посменно по "
            "утвержденному графику дежурств.\n\nВахтер проверяет пропуска работников и посетителей, ведет журнал "
            "выдачи ключей от помещений и сообщает дежурному о нарушениях порядка.\n\nВахтер обходит здание "
            "каждые два часа.\n",
            ["Вахтер подчиняется заведующему хозяйством и работает посменно по утвержденному графику дежурств.",
             "Вахтер проверяет пропуска работников и посетителей, ведет журнал выдачи ключей от помещений и "
             "сообщает дежурному о нарушениях порядка.",
             "Вахтер обходит здание каждые два часа."],
        ),
        # a byline starts a new article: the instruction before it ends there
        (
            "Должностная инструкция садовника\n1. Садовник ухаживает за клумбами.\n2. Садовник стрижет газоны.\n"
            "Обновлено 02.04.2025 · Автор: Н. Лесная · 5 мин. чтения\nСадовник — профессия для тех, кто любит "
            "работать на воздухе.\n",
            ["Садовник ухаживает за клумбами.", "Садовник стрижет газоны."],
        ),
        # a caption right over a list is its heading, not a clause
        (
            "Должностная инструкция кондитера\n\nОбязанности\nЗаготовки\n- замешивает тесто;\n- готовит кремы;\n"
            "Витрина\n- выкладывает десерты;\n",
            ["замешивает тесто;", "готовит кремы;", "выкладывает десерты;"],
        ),
        # a greeting is no provision; a company standard in «вы» keeps its «вы» lines
        (
            "Стандарт работы хостес ресторана\n\nДобро пожаловать в команду!\n\nВаша смена\n"
            "- Вы встречаете гостей у входа.\n- Вы провожаете гостей к столу.\n- Вы ведете лист ожидания.\n"
            "Вы отвечаете за порядок у входа.\n",
            ["Вы встречаете гостей у входа.", "Вы провожаете гостей к столу.", "Вы ведете лист ожидания.",
             "Вы отвечаете за порядок у входа."],
        ),
        # a contents list whose entries recur further down as headings: the top ones are contents
        (
            "Памятка грузчика склада\n\nТвой день\nЗапреты\nШтрафы\n\nТвой день\nПриходи к 8:00.\n"
            "Проверь погрузчик.\n\nЗапреты\nНе кури на рампе.\n\nШтрафы\nОпоздание — 300 рублей.\n",
            ["Приходи к 8:00.", "Проверь погрузчик.", "Не кури на рампе.", "Опоздание — 300 рублей."],
        ),
        # the title block under a title (organisation, number, city) and a signature under the text are furniture
        (
            "Должностная инструкция маляра\nООО «Краска-Сервис», г. Тверь\n№ ДИ-12\n1. Маляр грунтует стены.\n"
            "Начальник участка П.П. Сидоров\n",
            ["Маляр грунтует стены."],
        ),
        # a lead-in whose items run together in the paragraph below it: one clause an item
        (
            "Должностная инструкция фасовщика\n\nФасовщик руководствуется в работе:\n\nприказами директора; "
            "правилами охраны труда; настоящей инструкцией.\n",
            ["приказами директора;", "правилами охраны труда;", "настоящей инструкцией."],
        ),
        # a caption with a colon over its value; a list that lost its bullets under a lead-in with a verb
        (
            "Должностная инструкция оператора котельной\n\nОбразование:\nСреднее профессиональное.\n\n"
            "Мы ценим в операторе:\nАккуратность\nВнимательность\n",
            ["Среднее профессиональное.", "Аккуратность", "Внимательность"],
        ),
        # a time of day is no list's colon; who drew the document up signs, he is no provision
        (
            "Должностная инструкция сторожа\n1. Сторож дежурит с 20:00 до 8:00; в выходные — круглосуточно.\n"
            "Инструкцию разработал: ____________ / ____________ /\n",
            ["Сторож дежурит с 20:00 до 8:00; в выходные — круглосуточно."],
        ),
        # a clause goes on across a page break (the page's footer and its running header between its lines)
        (
            "Должностная инструкция гардеробщика\n1. Гардеробщик принимает верхнюю одежду посетителей и\n\n"
            "стр. 1 (всего 2)\nМБУК «Дом культуры». Должностная инструкция гардеробщика\nвыдает номерки.\n"
            "2. Гардеробщик следит за порядком.\n\nстр. 2 (всего 2)\n"
            "МБУК «Дом культуры». Должностная инструкция гардеробщика\n",
            ["Гардеробщик принимает верхнюю одежду посетителей и выдает номерки.",
             "Гардеробщик следит за порядком."],
        ),
        # a blank template's captions under its blanks and its date and number are no provisions
        (
            "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ\n________________\n(наименование должности)\n00.00.0000 № 000\n"
            "1. Рабочий по зданию следит за исправностью дверей.\n",
            ["Рабочий по зданию следит за исправностью дверей."],
        ),
        # a bot's menu prompt («Выберите раздел:») does not make a page of its resource files, whose sentences
        # under a heading are provisions; the menu's caption outside any instruction opens none
        (
            "=== texts/menu.txt ===\nВыберите раздел:\n1 — Обязанности\n=== texts/duties.txt ===\n"
            "ТРЕБОВАНИЯ\nСреднее образование.\nОпыт работы на складе.\n",
            ["Среднее образование.", "Опыт работы на складе."],
        ),
        # a separator with a file name between the parts of one text keeps both parts
        (
            "=== texts/duties.txt ===\nОбязанности официанта:\n- принимает заказы;\n- подает блюда;\n"
            "=== texts/rights.txt ===\nОфициант имеет право:\n- получать чаевые;\n",
            ["принимает заказы;", "подает блюда;", "получать чаевые;"],
        ),
    ],
)
def test_what_an_instruction_holds(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a recipe numbered like a list speaks of no work
        "Пирог с капустой\n\n1. Нашинкуйте капусту.\n2. Потушите ее с луком.\n3. Выложите на тесто и запекайте.\n",
        # a text outside every title in a page is the page's, unless shaped like an instruction
        "Должностная инструкция: зачем она нужна\nАвтор: Н. Иванова\nМногие руководители считают инструкцию "
        "формальностью. Это не так: она защищает и работника, и работодателя.\n",
    ],
)
def test_no_instruction_without_provisions_about_work(text):
    assert structure(doc(text)).clauses == ()


def test_the_debug_view_names_start_end_and_admission():
    view = render_debug(doc("Обязанностями грузчика являются:\n- погрузка товара;\n- уборка рампы.\n"))
    assert ("started by first structured unit; ended by end of text; holds provisions about work; position "
            "from_duties_of") in view


# ---- titles and positions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, title, phrase",
    [
        ("Д О Л Ж Н О С Т Н А Я   И Н С Т Р У К Ц И Я", True, ""),
        ("ПРИМЕРНЫЕ ДОЛЖНОСТНЫЕ ОБЯЗАННОСТИ фельдшера", True, "фельдшера"),
        ("Профиль должности: инженер по снабжению", True, "инженер по снабжению"),
        ("Стандарт работы официанта", True, "официанта"),
        ("Описание должности", False, None),  # a kind that needs the position after it is a heading alone
        ("Инструкция по охране труда для токаря", False, None),
        ("Правила работы на кухне", False, None),
        ("Должностная инструкция — не формальность, а защита и работника, и работодателя", False, ""),
    ],
)
def test_title_kinds(line, title, phrase):
    assert is_title(line) == title
    assert title_phrase(line) == phrase


def test_letter_spaced_words_are_joined():
    assert unspaced("П А М Я Т К А  П О В А Р А") == "ПАМЯТКА ПОВАРА"


@pytest.mark.parametrize(
    "evidence, position, rule",
    [
        (Evidence(title="Стандарт обслуживания гостей для официантов"), "официант", "from_title"),
        (Evidence(title="ПРОФИЛЬ ДОЛЖНОСТИ", fields=("Оператор склада",)), "оператор склада", "from_form_field"),
        (Evidence(lines=("Наименование должности: ________ кладовщик",)), "кладовщик", "from_form_field"),
        (Evidence(texts=("На эту работу назначается инженер по надзору (далее — Инженер).",)), "инженер по надзору",
         "from_later_called"),
        (Evidence(texts=("В течение смены, машинист крана обязан:",)), "машинист крана", "from_subjects"),
        (Evidence(texts=("Кладовщику запрещается:",)), "кладовщик", "from_subjects"),
        (Evidence(lines=("Обязанностями грузчика являются:",)), "грузчик", "from_duties_of"),
        (Evidence(texts=("Для работы лаборантом (препаратором) принимается лицо:",)), "лаборант (препаратор)",
         "from_works_as"),
        (Evidence(lines=("Ты — кассир-операционист нашего банка.",)), "кассир-операционист", "from_address"),
        (Evidence(texts=("Данная должностная инструкция архивариуса составлена на основе стандарта.",)),
         "архивариус", "from_title_in_sentence"),
        (Evidence(position_line="ПРАВИЛА СМЕНЫ"), "", ""),  # never a word that names no person
    ],
)
def test_position_rules(evidence, position, rule):
    assert name_position(evidence) == (position, rule)


def test_a_fragment_without_a_position_takes_its_documents_one():
    text = ("Должностная инструкция пекаря\n1. Пекарь замешивает тесто.\n\nПамятка для смены\n"
            "- приходи вовремя;\n- мой руки перед работой.\n")
    assert positions(text) == ["пекарь", "пекарь"]


# ---- hard wraps ----------------------------------------------------------------------------------------


def test_a_line_ended_by_the_wrap_goes_on_a_line_ended_by_the_writer_does_not():
    width = "Кладовщик принимает товар по накладным и сверяет количество мест с документами"
    text = (
        "Должностная инструкция кладовщика\n\n- " + width + "\nпоставщика и отметками водителя, ведет учет.\n"
        "- Выдает товар.\nКладовщик подчиняется начальнику склада.\n"
        + "".join(f"- {width}\nи ведет учет партии номер {k}.\n" for k in range(3))
    )
    got = texts(text)
    assert "Выдает товар." in got and "Кладовщик подчиняется начальнику склада." in got


# ---- Word tables of a form -------------------------------------------------------------------------------


def _form_with_two_tables_in_one_docx() -> bytes:
    """One Word table holding a label | value part and a share-of-time part below it (a form's layout)."""
    cell = para
    return docx_bytes("".join([
        para("Должностная инструкция"),
        table([
            [cell("Должность:"), cell("Техник-смотритель")],
            [cell("Подчиняется"), cell("Главному инженеру")],
            [cell("Подразделение"), cell("Эксплуатационный участок")],
            [cell("% времени"), cell("Обязанности")],
            [cell("60%"), cell("Осмотр кровли и подвалов")],
            [cell("40%"), cell("Заявки жильцов")],
        ]),
    ]))


def test_shares_of_time_are_voted_on_within_their_part_of_a_table():
    found = structure(read_bytes("form2.docx", _form_with_two_tables_in_one_docx()))
    assert [c.text for c in found.clauses] == ["Главному инженеру", "Эксплуатационный участок",
                                             "Осмотр кровли и подвалов", "Заявки жильцов"]
    assert [i.position for i in found.instructions] == ["техник-смотритель"]


def _form_docx() -> bytes:
    cell = para
    body = "".join([
        para("ПРОФИЛЬ ДОЛЖНОСТИ"),
        table([
            [cell("Наименование должности"), cell("Механик гаража")],
            [cell("Подчиняется"), cell("Главному механику")],
            [cell("Кого замещает"), cell("(укажите должность)")],
        ]),
        para("Функции"),
        table([
            [cell("Функция"), cell("Доля времени, %"), cell("Срок")],
            [cell("Проверка машин перед выездом"), cell("40"), cell("ежедневно")],
            [cell("Ремонт ходовой части"), cell("60"), cell("по мере необходимости")],
        ]),
    ])
    return docx_bytes(body)


def test_a_form_in_word_tables():
    document = read_bytes("form.docx", _form_docx())
    found = structure(document)
    assert [c.text for c in found.clauses] == ["Главному механику", "Проверка машин перед выездом",
                                             "Ремонт ходовой части"]
    assert found.clauses[0].lead_in == "Подчиняется"
    assert [i.position for i in found.instructions] == ["механик гаража"]
    view = render_debug(document)
    for rule in ("table:position field", "table:attribute of the row", "table:column header", "form hint"):
        assert rule in view


def test_each_post_of_a_data_file_is_an_instruction_its_name_field_names_the_position():
    dump = ("INSERT INTO jobs (id, name, body) VALUES (1, 'Гардеробщик', '<h2>Обязанности</h2><ul><li>принимает "
            "верхнюю одежду;</li><li>выдает номерки.</li></ul>'), (2, 'Швейцар', '<p>Швейцар открывает двери "
            "гостям.</p><p>Швейцар вызывает такси по просьбе гостя.</p>');\n")
    found = structure(read_bytes("jobs.sql", dump.encode("utf-8")))
    assert [i.position for i in found.instructions] == ["гардеробщик", "швейцар"]
    assert [c.text for c in found.clauses if c.instruction == 2] == ["Швейцар открывает двери гостям.",
                                                                    "Швейцар вызывает такси по просьбе гостя."]
