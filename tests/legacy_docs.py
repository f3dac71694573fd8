"""Job descriptions in the old Word styles of an HR archive, written for the project (all names invented).

Each document is built as a .docx with :mod:`docxgen` and saved by LibreOffice as Word 97-2003 .doc and
as .rtf; the files are committed under ``tests/data/legacy/`` so that a machine without LibreOffice tests
the native readers on them. Rebuild them (same content every run) with::

    PYTHONPATH=. .venv/bin/python tests/legacy_docs.py [NAME ...]

``EXPECTED`` holds the lines Word prints for each document (numbers as rendered), the layout of
``render.as_text`` with white space collapsed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from docxgen import abstract, docx_bytes, lvl, num, para, run, style, styles, table  # noqa: E402

FOLDER = HERE / "data" / "legacy"


def spaced(text: str, twips: int = 60) -> str:
    """A run with Word's expanded character spacing (the letter-spaced titles of old forms)."""
    return (f'<w:r><w:rPr><w:b/><w:spacing w:val="{twips}"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')


def storekeeper() -> bytes:
    """A form with a label/value table, a title typed letter by letter, and numbers typed by hand."""
    header = table([
        [para("Организация"), para("ООО «Полярный кедр»")],
        [para("Подразделение"), para("Склад готовой продукции")],
        [para("Утверждаю"), para("Директор ____________ П. С. Брусникин")],
    ])
    body = (header
            + para(runs=spaced("Д О Л Ж Н О С Т Н А Я   И Н С Т Р У К Ц И Я"))
            + para(runs=spaced("кладовщика", 100))
            + para("1. Общие положения")
            + para("1.1. Кладовщик относится к категории технических исполнителей.")
            + para("1.2. На должность кладовщика принимается лицо со средним профессиональным образованием.")
            + para("2. Должностные обязанности")
            + para("2.1. Принимает товар на склад и проверяет его по накладным.")
            + para("2.2. Ведёт учёт остатков и сдаёт отчёты в бухгалтерию.")
            + para("3. Права")
            + para("3.1. Требует от поставщиков исправных документов.")
            + para("С инструкцией ознакомлен: ____________"))
    return docx_bytes(body)


def dispatcher() -> bytes:
    """Automatic numbering as Word 97 templates had it: %1. / %1.%2. with a Russian-letter level and
    symbol-font bullets (Symbol «·», Courier New «o», Wingdings «§»)."""
    numbering = (abstract(0, lvl(0, text="%1.") + lvl(1, text="%1.%2.") + lvl(2, fmt="russianLower", text="%3)"))
                 + abstract(1, lvl(0, fmt="bullet", text="\uf0b7", font="Symbol")
                            + lvl(1, fmt="bullet", text="o", font="Courier New")
                            + lvl(2, fmt="bullet", text="\uf0a7", font="Wingdings"))
                 + num(1, 0) + num(2, 1))
    items = [
        (0, "1", "Общие положения"),
        (1, "1", "Диспетчер автоколонны подчиняется начальнику автоколонны."),
        (1, "1", "В своей работе руководствуется:"),
        (2, "1", "правилами перевозок грузов;"),
        (2, "1", "приказами по предприятию;"),
        (2, "1", "настоящей инструкцией."),
        (0, "1", "Обязанности"),
        (1, "1", "Выдаёт водителям путевые листы и принимает их по возвращении."),
        (0, "2", "ведёт журнал выезда машин;"),
        (1, "2", "отмечает время выезда;"),
        (2, "2", "и время возвращения;"),
        (0, "2", "сообщает о простоях начальнику."),
        (0, "1", "Ответственность"),
        (1, "1", "Диспетчер отвечает за полноту записей в журнале."),
    ]
    body = para(runs=spaced("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ДИСПЕТЧЕРА", 40)) + "".join(
        para(text, num=num_id, ilvl=ilvl) for ilvl, num_id, text in items)
    return docx_bytes(body, numbering)


def mechanic() -> bytes:
    """Numbered headings through their style (Heading 1, Roman numbers), duties numbered through a style of
    their own in one list over the sections, some in a two-column table, a closing paragraph in a plain style."""
    st = styles(style("Heading1", "heading 1", num="3", ilvl=0, outline=0),
                style("Duty", "Пункт обязанностей", num="4", ilvl=0))
    numbering = (abstract(2, lvl(0, fmt="upperRoman", text="%1.", pstyle="Heading1"))
                 + abstract(3, lvl(0, text="%1.", pstyle="Duty")) + num(3, 2) + num(4, 3))
    body = (para(runs=run("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ МЕХАНИКА ГАРАЖА"))
            + para("Общие положения", style="Heading1")
            + para("Механик назначается приказом генерального директора.", style="Duty")
            + para("Обязанности", style="Heading1")
            + table([[para("Ежедневно"), para("Проверяет исправность машин на линии.", style="Duty")],
                     [para("Еженедельно"), para("Составляет график ремонтов.", style="Duty")
                      + para("Заказывает запасные части.", style="Duty")]])
            + para("Права", style="Heading1")
            + para("Отстраняет от работы неисправные машины.", style="Duty")
            + para("Согласовано: юрисконсульт О. Т. Клюквина"))
    return docx_bytes(body, numbering, st)


def watchman() -> bytes:
    """A table inside a table (the schedule of shifts inside the duties table), numbered items in both."""
    numbering = abstract(4, lvl(0, text="%1.")) + num(5, 4)
    shifts = table([[para("Дневная смена"), para("с 8 до 20 часов", num="5", ilvl=0)],
                    [para("Ночная смена"), para("с 20 до 8 часов", num="5", ilvl=0)]])
    body = (para("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ СТОРОЖА")
            + table([[para("Обязанности"), para("Обходит территорию склада.", num="5", ilvl=0)],
                     [para("Режим работы"), shifts + para("Смены чередуются по графику.")]])
            + para("Сторож подчиняется заведующему складом.", num="5", ilvl=0))
    return docx_bytes(body, numbering)


DOCUMENTS = {"storekeeper": storekeeper, "dispatcher": dispatcher, "mechanic": mechanic, "watchman": watchman}

EXPECTED = {
    "storekeeper": (
        "Организация", "ООО «Полярный кедр»", "Подразделение", "Склад готовой продукции", "Утверждаю",
        "Директор ____________ П. С. Брусникин", "Д О Л Ж Н О С Т Н А Я И Н С Т Р У К Ц И Я", "кладовщика",
        "1. Общие положения", "1.1. Кладовщик относится к категории технических исполнителей.",
        "1.2. На должность кладовщика принимается лицо со средним профессиональным образованием.",
        "2. Должностные обязанности", "2.1. Принимает товар на склад и проверяет его по накладным.",
        "2.2. Ведёт учёт остатков и сдаёт отчёты в бухгалтерию.", "3. Права",
        "3.1. Требует от поставщиков исправных документов.", "С инструкцией ознакомлен: ____________"),
    "dispatcher": (
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ДИСПЕТЧЕРА", "1. Общие положения",
        "1.1. Диспетчер автоколонны подчиняется начальнику автоколонны.", "1.2. В своей работе руководствуется:",
        "а) правилами перевозок грузов;", "б) приказами по предприятию;", "в) настоящей инструкцией.",
        "2. Обязанности", "2.1. Выдаёт водителям путевые листы и принимает их по возвращении.",
        "• ведёт журнал выезда машин;", "◦ отмечает время выезда;", "▪ и время возвращения;",
        "• сообщает о простоях начальнику.", "3. Ответственность",
        "3.1. Диспетчер отвечает за полноту записей в журнале."),
    "mechanic": (
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ МЕХАНИКА ГАРАЖА", "I. Общие положения",
        "1. Механик назначается приказом генерального директора.", "II. Обязанности", "Ежедневно",
        "2. Проверяет исправность машин на линии.", "Еженедельно", "3. Составляет график ремонтов.",
        "4. Заказывает запасные части.", "III. Права", "5. Отстраняет от работы неисправные машины.",
        "Согласовано: юрисконсульт О. Т. Клюквина"),
    "watchman": (
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ СТОРОЖА", "Обязанности", "1. Обходит территорию склада.", "Режим работы",
        "Дневная смена", "2. с 8 до 20 часов", "Ночная смена", "3. с 20 до 8 часов", "Смены чередуются по графику.",
        "4. Сторож подчиняется заведующему складом."),
}


def build(folder: Path = FOLDER, names: list[str] | None = None) -> list[Path]:
    """Write each document (or those ``names``) as .docx, .doc and .rtf under ``folder`` (LibreOffice makes the
    .doc and .rtf)."""
    from docxgen import convert_with_libreoffice, with_fixed_times

    folder.mkdir(parents=True, exist_ok=True)
    profile = "-env:UserInstallation=file:///tmp/jobclauses-legacy-docs"
    written = []
    for name, make in DOCUMENTS.items():
        if names and name not in names:
            continue
        data = with_fixed_times(make(), (2001, 1, 1, 0, 0, 0))
        (folder / f"{name}.docx").write_bytes(data)
        written.append(folder / f"{name}.docx")
        for fmt in ("doc", "rtf"):
            convert_with_libreoffice(data, folder / f"{name}.{fmt}", fmt, profile)
            written.append(folder / f"{name}.{fmt}")
    return written


if __name__ == "__main__":
    for path in build(names=sys.argv[1:] or None):
        print(path.relative_to(HERE.parent))
