"""Build the Word and OpenDocument files of the second holdout set and their gold files.

Run from the repository root: ``.venv/bin/python corpora/holdout2/make_docx.py``.

- ``02_arhivarius_docx-table.docx``: clauses in a two-column table (typed number | text).
- ``03_dispetcher-mehanik_docx-two-instructions.docx``: two instructions in one file, each with Word
  automatic multi-level numbering (``1.`` / ``1.1.`` / ``а)``), the second restarting at 1.
- ``04_bibliotekar_odt.odt``: made from a .docx (Heading 1 sections, automatic ``1.1.`` numbering, a
  dash bullet list) by LibreOffice ``--convert-to odt`` with a private profile. The .docx files are
  byte for byte the same on every run; the .odt carries LibreOffice's own metadata, so it is committed as made.

Each document is written here with the label of each clause, and the gold file is written from the same
lists (labels decided by ``../shared/eval/LABELS.md``); numbers in the gold are the numbers Word shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from docxgen import (  # noqa: E402
    abstract,
    bold,
    convert_with_libreoffice,
    docx_bytes,
    lvl,
    num,
    para,
    style,
    styles,
    table,
    with_fixed_times,
)
from goldfile import Gold  # noqa: E402

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2026, 2, 2, 10, 0, 0)






def fixed(data: bytes) -> bytes:
    return with_fixed_times(data, FIXED_TIME)

# ---------------------------------------------------------------- 02: two-column table

ARHIVARIUS = [
    ("1.", "Общие положения", None),
    ("1.1.", "Архивариус относится к категории технических исполнителей.", "o"),
    ("1.2.", "На должность архивариуса назначается лицо, имеющее среднее профессиональное образование без "
             "предъявления требований к стажу работы.", "q"),
    ("1.3.", "Архивариус подчиняется начальнику общего отдела.", "o"),
    ("1.4.", "Архивариус должен знать:", None),
    ("", "- правила хранения документов в архиве организации;", "q"),
    ("", "- порядок оформления описей дел и актов о выделении документов к уничтожению;", "q"),
    ("", "- номенклатуру дел организации.", "q"),
    ("2.", "Должностные обязанности", None),
    ("2.1.", "Принимает от структурных подразделений законченные делопроизводством дела по описям.", "d"),
    ("2.2.", "Обеспечивает сохранность документов и соблюдение температурного режима в архивохранилище.", "d"),
    ("2.3.", "Выдает дела во временное пользование работникам организации и контролирует их возврат.", "d"),
    ("2.4.", "Готовит архивные справки и копии документов по запросам граждан.", "d"),
    ("2.5.", "Участвует в экспертизе ценности документов.", "d"),
    ("3.", "Права", None),
    ("3.1.", "Архивариус вправе требовать от подразделений передачи дел в архив в установленные сроки.", "r"),
    ("3.2.", "Архивариус вправе не принимать дела, оформленные с нарушением установленных правил.", "r"),
    ("4.", "Ответственность", None),
    ("4.1.", "Архивариус несет ответственность за утрату и порчу документов, переданных на хранение.", "l"),
    ("4.2.", "Архивариус несет ответственность за разглашение сведений, содержащихся в документах архива.", "l"),
]


def cell(text: str, heading: bool = False) -> str:
    return para(runs=bold(text)) if heading else para(text)


def arhivarius() -> None:
    gold = Gold()
    gold.start("Должностная инструкция архивариуса", "архивариус")
    rows = [[cell("№ п/п", True), cell("Содержание", True)]]
    for number, text, label in ARHIVARIUS:
        rows.append([cell(number, label is None and number.count(".") == 1),
                     cell(text, label is None and number.count(".") == 1)])
        if label:
            gold.clause(number.rstrip("."), text.removeprefix("- "), label)
    approval = "".join(para(t) for t in ("УТВЕРЖДАЮ", "Директор ГБУ «Городской центр документации»",
                                          "____________ И.П. Шевчук", "«___» ________ 2026 г."))
    body = "".join([
        para(runs=bold("ГБУ «Городской центр документации»")),
        table([[para(""), approval]]),
        para(""),
        para(runs=bold("Должностная инструкция архивариуса")),
        para(""),
        table(rows),
        para(""),
        para("С инструкцией ознакомлен(а): ____________ / ____________ /"),
    ])
    out = HERE / "02_arhivarius_docx-table.docx"
    out.write_bytes(fixed(docx_bytes(body)))
    gold.write(out.with_suffix(".gold.jsonl"))


# ---------------------------------------------------------------- 03: two instructions, automatic numbering

DISPETCHER = [
    ("Общие положения", [
        ("Диспетчер автотранспорта относится к категории специалистов и подчиняется начальнику гаража.", "o", []),
        ("На должность диспетчера назначается лицо, имеющее среднее профессиональное образование по специальности "
         "«Организация перевозок и управление на транспорте» без предъявления требований к стажу работы.", "q", []),
        ("Диспетчер должен знать:", None, [
            ("правила оформления путевых листов;", "q"),
            ("схемы маршрутов и режим работы водителей;", "q"),
            ("нормы расхода топлива на автомобили парка.", "q"),
        ]),
    ]),
    ("Обязанности", [
        ("Выдает водителям путевые листы и принимает их после возвращения автомобилей.", "d", []),
        ("Контролирует выход автомобилей на линию и возвращение их в гараж по графику.", "d", []),
        ("Ведет учет работы автомобилей и расхода топлива.", "d", []),
        ("Сообщает начальнику гаража о дорожно-транспортных происшествиях и простоях.", "d", []),
    ]),
    ("Права", [
        ("Диспетчер имеет право:", None, [
            ("не выпускать на линию автомобиль без отметки о прохождении предрейсового осмотра;", "r"),
            ("требовать от водителей своевременной сдачи путевых листов.", "r"),
        ]),
    ]),
    ("Ответственность", [
        ("Диспетчер несет ответственность за правильность оформления путевой документации.", "l", []),
    ]),
]

MEHANIK = [
    ("Общие положения", [
        ("Механик гаража относится к категории специалистов.", "o", []),
        ("На должность механика назначается лицо, имеющее высшее техническое образование и опыт ремонта "
         "автомобилей не менее трех лет.", "q", []),
        ("Механик назначается на должность и освобождается от нее приказом директора автобазы.", "o", []),
    ]),
    ("Обязанности", [
        ("Механик гаража обязан:", None, [
            ("проводить проверку технического состояния автомобилей перед выпуском на линию;", "d"),
            ("организовывать техническое обслуживание и ремонт автомобилей;", "d"),
            ("вести учет запасных частей и шин.", "d"),
        ]),
        ("Механик составляет заявки на приобретение запасных частей и материалов.", "d", []),
    ]),
    ("Права", [
        ("Механик вправе отстранять от работы водителей, не прошедших инструктаж по охране труда.", "r", []),
        ("Механик может привлекаться к работе в выходные дни в порядке, установленном законодательством.", "o", []),
    ]),
    ("Ответственность", [
        ("Механик несет ответственность за выпуск на линию технически неисправных автомобилей.", "l", []),
        ("Механик несет ответственность за нарушение правил охраны труда в гараже.", "l", []),
    ]),
]

LETTERS = "абвгдежзик"


def numbered_instruction(gold: Gold, num_id: str, sections: list) -> list[str]:
    parts = []
    for s, (title, clauses) in enumerate(sections, 1):
        parts.append(para(num=num_id, ilvl=0, runs=bold(title)))
        for c, (text, label, items) in enumerate(clauses, 1):
            parts.append(para(text, num=num_id, ilvl=1))
            if label:
                gold.clause(f"{s}.{c}", text, label)
            for i, (item, item_label) in enumerate(items):
                parts.append(para(item, num=num_id, ilvl=2))
                gold.clause(f"{LETTERS[i]})", item, item_label)
    return parts


def two_instructions() -> None:
    gold = Gold()
    levels = (lvl(0, text="%1.") + lvl(1, text="%1.%2.")
              + lvl(2, fmt="russianLower", text="%3)"))
    numbering = abstract(0, levels) + num(1, 0) + num(2, 0, starts={0: 1})
    body = [para(runs=bold("ООО «Автобаза № 3»")),
            para("Утверждены приказом директора от 05.02.2026 № 17"),
            para("")]
    gold.start("Должностная инструкция диспетчера автотранспорта", "диспетчер автотранспорта", ["диспетчер"])
    body.append(para(runs=bold("Должностная инструкция диспетчера автотранспорта")))
    body += numbered_instruction(gold, "1", DISPETCHER)
    body.append(para(""))
    gold.start("Должностная инструкция механика гаража", "механик гаража", ["механик"])
    body.append(para(runs=bold("Должностная инструкция механика гаража")))
    body += numbered_instruction(gold, "2", MEHANIK)
    body.append(para(""))
    body.append(para("Начальник отдела кадров ____________ Л.Р. Гайнуллина"))
    out = HERE / "03_dispetcher-mehanik_docx-two-instructions.docx"
    out.write_bytes(fixed(docx_bytes("".join(body), numbering)))
    gold.write(out.with_suffix(".gold.jsonl"))


# ---------------------------------------------------------------- 04: .odt made from a .docx

BIBLIOTEKAR = [
    ("Общие положения", [
        ("Библиотекарь относится к категории специалистов и подчиняется заведующему библиотекой.", "o", []),
        ("На должность библиотекаря назначается лицо, имеющее высшее или среднее профессиональное образование "
         "в области библиотечно-информационной деятельности.", "q", []),
        ("Библиотекарь должен знать:", None, [
            ("правила каталогизации и систематизации документов;", "q"),
            ("основы работы в автоматизированной библиотечной системе;", "q"),
            ("правила обслуживания читателей.", "q"),
        ]),
        ("В своей работе библиотекарь руководствуется уставом колледжа, положением о библиотеке "
         "и настоящей инструкцией.", "o", []),
    ]),
    ("Должностные обязанности", [
        ("Обслуживает читателей на абонементе и в читальном зале.", "d", []),
        ("Ведет учет библиотечного фонда и списывает устаревшие издания.", "d", []),
        ("Оформляет тематические выставки литературы.", "d", []),
        ("Помогает студентам в подборе литературы для курсовых и дипломных работ.", "d", []),
    ]),
    ("Права", [
        ("Получать информацию о планах учебной работы колледжа для комплектования фонда.", "r", []),
        ("Ограничивать выдачу литературы читателям, имеющим задолженность.", "r", []),
    ]),
    ("Ответственность", [
        ("Библиотекарь несет ответственность за сохранность библиотечного фонда.", "l", []),
        ("За нарушение правил внутреннего распорядка — в порядке, установленном трудовым законодательством.",
         "l", []),
    ]),
]


def bibliotekar_docx(gold: Gold) -> bytes:
    gold.start("Должностная инструкция библиотекаря", "библиотекарь")
    levels = lvl(0, text="%1.") + lvl(1, text="%1.%2.")
    dash = lvl(0, fmt="bullet", text="–", start=None)
    numbering = abstract(0, levels) + abstract(1, dash) + num(1, 0) + num(2, 1)
    sty = styles(style("Heading1", "heading 1", num="1", ilvl=0, outline=0),
                 style("Title", "Title"))
    body = [para("ГАПОУ «Технологический колледж»"),
            para("УТВЕРЖДАЮ"), para("Директор ____________ В.Ю. Лисицына"), para("«___» ________ 2026 г."),
            para(""),
            para("Должностная инструкция библиотекаря", style="Title")]
    for s, (title, clauses) in enumerate(BIBLIOTEKAR, 1):
        body.append(para(title, style="Heading1"))
        for c, (text, label, items) in enumerate(clauses, 1):
            body.append(para(text, num="1", ilvl=1))
            if label:
                gold.clause(f"{s}.{c}", text, label)
            for item, item_label in items:
                body.append(para(item, num="2", ilvl=0))
                gold.clause("", item, item_label)
    body.append(para(""))
    body.append(para("С инструкцией ознакомлен(а): ____________ «___» ________ 2026 г."))
    return fixed(docx_bytes("".join(body), numbering, sty))


def bibliotekar() -> None:
    gold = Gold()
    data = bibliotekar_docx(gold)
    out = HERE / "04_bibliotekar_odt.odt"
    convert_with_libreoffice(data, out, "odt", "-env:UserInstallation=file:///tmp/lo-holdout2")
    gold.write(out.with_suffix(".gold.jsonl"))


def main() -> None:
    arhivarius()
    two_instructions()
    bibliotekar()


if __name__ == "__main__":
    main()
