"""Build 06_inzhener-programmist_word-numbering.docx of the holdout set, byte for byte the same on every run.

The document's section and clause numbers come from Word automatic numbering (numbering.xml:
``1.`` sections at level 0, ``1.1.`` clauses at level 1, ``3.1.1.`` items at level 2, a bullet list
for the «должен знать» items); no number is typed in the text. Run from the repository root:
``.venv/bin/python corpora/holdout/make_docx.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from docxgen import abstract, bold, docx_bytes, lvl, num, para, table, with_fixed_times  # noqa: E402

OUT = Path(__file__).resolve().parent / "06_inzhener-programmist_word-numbering.docx"
FIXED_TIME = (2026, 1, 15, 9, 0, 0)

SECTIONS, CLAUSES, ITEMS, BULLETS = 0, 1, 2, "2"



def section(title: str) -> str:
    return para(num="1", ilvl=SECTIONS, runs=bold(title))


def clause(text: str) -> str:
    return para(text, num="1", ilvl=CLAUSES)


def item(text: str) -> str:
    return para(text, num="1", ilvl=ITEMS)


def bullet(text: str) -> str:
    return para(text, num=BULLETS, ilvl=0)


def numbering() -> str:
    decimal = (lvl(0, text="%1.") + lvl(1, text="%1.%2.") + lvl(2, text="%1.%2.%3."))
    bullets = lvl(0, fmt="bullet", text="•", start=None, font="Symbol")
    return abstract(0, decimal) + abstract(1, bullets) + num(1, 0) + num(2, 1)


def approval() -> str:
    left = "".join(para(t) for t in ("СОГЛАСОВАНО", "Начальник отдела информационных технологий",
                                      "__________ М.О. Ткачук", "«___» __________ 2026 г."))
    right = "".join(para(t) for t in ("УТВЕРЖДАЮ", "Генеральный директор АО «Квант-Софт»",
                                       "__________ Е.В. Лаптева", "«___» __________ 2026 г."))
    return table([[left, right]])


def body() -> str:
    return "".join([
        approval(),
        para(""),
        para(runs=bold("Должностная инструкция инженера-программиста")),
        section("Общие положения"),
        clause("Инженер-программист относится к категории специалистов."),
        clause("На должность инженера-программиста назначается лицо, имеющее высшее образование в области "
               "информатики и вычислительной техники, без предъявления требований к стажу работы."),
        clause("Инженер-программист подчиняется начальнику отдела информационных технологий."),
        clause("Инженер-программист должен знать:"),
        bullet("языки программирования Python и SQL;"),
        bullet("принципы построения реляционных баз данных;"),
        bullet("методы тестирования программного обеспечения;"),
        bullet("требования к защите информации."),
        clause("В своей деятельности инженер-программист руководствуется стандартами организации на разработку "
               "программного обеспечения и настоящей инструкцией."),
        section("Должностные обязанности"),
        clause("Разрабатывает программы и модули по техническим заданиям отдела."),
        clause("Проводит отладку и тестирование разработанных программ."),
        clause("Сопровождает внедренные программы и исправляет обнаруженные ошибки."),
        clause("Составляет техническую документацию и инструкции для пользователей."),
        clause("Участвует в проверке кода других разработчиков."),
        section("Права"),
        clause("Инженер-программист имеет право:"),
        item("знакомиться с проектами решений руководства, касающимися его деятельности;"),
        item("получать доступ к тестовым серверам и базам данных в объеме, необходимом для работы;"),
        item("участвовать в обсуждении технических заданий."),
        clause("Режим работы инженера-программиста гибкий, удаленная работа допускается по согласованию с "
               "начальником отдела."),
        section("Ответственность"),
        clause("Инженер-программист несет ответственность за ненадлежащее исполнение своих обязанностей в "
               "пределах, определенных трудовым законодательством."),
        clause("Инженер-программист несет ответственность за разглашение сведений, составляющих коммерческую тайну."),
        para(""),
        para("С инструкцией ознакомлен: ______________ «___» __________ 2026 г."),
    ])



def fixed(data: bytes) -> bytes:
    return with_fixed_times(data, FIXED_TIME)


def main() -> None:
    OUT.write_bytes(fixed(docx_bytes(body(), numbering())))
    print(OUT)


if __name__ == "__main__":
    main()
