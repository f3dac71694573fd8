"""Build the Word files of the third holdout set (.docx, and .doc / .rtf through LibreOffice) and their gold.

Run from the repository root: ``.venv/bin/python corpora/holdout3/make_docs.py``.

- ``01_marketolog_word97.doc``: a .docx with ``Heading 1`` sections numbered through the style, automatic
  ``1.1.`` clauses and an en-dash bullet list, converted to Word 97 by LibreOffice.
- ``02_ofis-menedzher_rtf.rtf``: the same kind of .docx with the heading style named «Заголовок 1» (as a
  Russian Word writes it) and an inline «должен знать:» list, converted to RTF by LibreOffice.
- ``03_inzhener-tehnolog_docx-nested-bullets.docx``: one automatic list with levels ``1.`` / ``1.1.`` / ``–``;
  numbered lead-ins («2.3. Участвует в:») over en-dash sub-items.
- ``04_farmacevt_docx-approval-table.docx``: typed numbers, CAPS section titles, an approval block in a
  two-cell table (СОГЛАСОВАНО | УТВЕРЖДАЮ) and a signature table at the end.

Each document is written here with the label of each clause and the gold file is written from the same
lists (labels decided by ``../shared/eval/LABELS.md``; numbers as Word shows them, without the trailing dot).
The .docx bytes are the same on every run; the .doc and .rtf carry LibreOffice's own metadata and are
committed as made (the .docx sources of them are not kept).
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
FIXED_TIME = (2026, 3, 3, 9, 0, 0)
PROFILE = "-env:UserInstallation=file:///tmp/lo-holdout3"





def fixed(data: bytes) -> bytes:
    return with_fixed_times(data, FIXED_TIME)


def convert(data: bytes, out: Path, fmt: str) -> None:
    convert_with_libreoffice(data, out, fmt, PROFILE)


# Sections: (title, [(clause text, label or None for a lead-in, [(item, label)], inline)]).
# ``inline`` items are written inside the clause after its colon, separated by «; ».

MARKETOLOG = [
    ("Общие положения", [
        ("Маркетолог относится к категории специалистов.", "o", []),
        ("На должность маркетолога назначается лицо, имеющее высшее экономическое образование и опыт работы "
         "в области маркетинга не менее одного года.", "q", []),
        ("Маркетолог назначается на должность и освобождается от нее приказом генерального директора.", "o", []),
        ("Маркетолог подчиняется руководителю отдела маркетинга.", "o", []),
        ("Маркетолог должен знать:", None, [
            ("методы проведения маркетинговых исследований;", "q"),
            ("основы ценообразования и рекламной деятельности;", "q"),
            ("инструменты веб-аналитики.", "q"),
        ]),
    ]),
    ("Должностные обязанности", [
        ("Проводит исследования рынка, спроса и конкурентной среды.", "d", []),
        ("Разрабатывает план маркетинговых мероприятий на квартал и год.", "d", []),
        ("Готовит технические задания для подрядчиков по рекламе.", "d", []),
        ("Анализирует эффективность рекламных кампаний и готовит отчеты руководителю отдела.", "d", []),
        ("Участвует в подготовке компании к выставкам и отраслевым конференциям.", "d", []),
    ]),
    ("Права", [
        ("Запрашивать у отдела продаж данные о продажах и обращениях клиентов.", "r", []),
        ("Вносить руководителю предложения по совершенствованию маркетинговой политики.", "r", []),
    ]),
    ("Ответственность", [
        ("Маркетолог несет ответственность за достоверность данных в подготовленных отчетах.", "l", []),
        ("За разглашение коммерческой тайны — в соответствии с действующим законодательством.", "l", []),
    ]),
]

OFIS = [
    ("Общие положения", [
        ("Офис-менеджер относится к категории технических исполнителей и подчиняется административному "
         "директору.", "o", []),
        ("На должность офис-менеджера назначается лицо, имеющее среднее профессиональное образование без "
         "предъявления требований к стажу работы.", "q", []),
        ("Офис-менеджер должен знать:", None, [
            ("правила делопроизводства;", "q"),
            ("основы работы с офисной техникой;", "q"),
            ("нормы делового этикета.", "q"),
        ], True),
        ("В период отсутствия офис-менеджера его обязанности исполняет секретарь приемной.", "o", []),
    ]),
    ("Должностные обязанности", [
        ("Встречает посетителей и направляет их к сотрудникам.", "d", []),
        ("Принимает и распределяет входящую корреспонденцию.", "d", []),
        ("Заказывает канцелярские товары, питьевую воду и расходные материалы для офиса.", "d", []),
        ("Следит за исправностью офисной техники и вызывает мастеров для ее ремонта.", "d", []),
        ("Ведет график отпусков сотрудников офиса.", "d", []),
    ]),
    ("Права", [
        ("Требовать от сотрудников соблюдения порядка в помещениях общего пользования.", "r", []),
        ("Согласовывать с поставщиками сроки доставки заказов.", "r", []),
    ]),
    ("Ответственность", [
        ("Офис-менеджер несет ответственность за сохранность материальных ценностей офиса.", "l", []),
        ("За несвоевременную передачу корреспонденции адресатам.", "l", []),
    ]),
    ("Условия работы", [
        ("Режим работы офис-менеджера определяется правилами внутреннего трудового распорядка.", "o", []),
    ]),
]


def styled_instruction(gold: Gold, sections: list, heading_style: str) -> list[str]:
    """Sections in a numbered heading style; clauses on level 1 of the same list; bullets from list 2."""
    parts = []
    for s, (title, clauses) in enumerate(sections, 1):
        parts.append(para(title, style=heading_style))
        for c, (text, label, items, *inline) in enumerate(clauses, 1):
            if inline:
                parts.append(para(text + " " + " ".join(i for i, _ in items), num="1", ilvl=1))
            else:
                parts.append(para(text, num="1", ilvl=1))
            if label:
                gold.clause(f"{s}.{c}", text, label)
            for item, item_label in items:
                if not inline:
                    parts.append(para(item, num="2", ilvl=0))
                gold.clause("", item, item_label)
    return parts


def styled_docx(gold: Gold, sections: list, org: str, director: str, title: str, heading_id: str,
                heading_name: str) -> bytes:
    levels = lvl(0, text="%1.") + lvl(1, text="%1.%2.")
    dash = lvl(0, fmt="bullet", text="–", start=None)
    numbering = abstract(0, levels) + abstract(1, dash) + num(1, 0) + num(2, 1)
    sty = styles(style(heading_id, heading_name, num="1", ilvl=0, outline=0), style("Title", "Title"))
    body = [para(org), para("УТВЕРЖДАЮ"), para(director), para("«___» ____________ 2026 г."), para(""),
            para(title, style="Title")]
    body += styled_instruction(gold, sections, heading_id)
    body += [para(""), para("С должностной инструкцией ознакомлен(а): ______________ / ______________ /")]
    return fixed(docx_bytes("".join(body), numbering, sty))


def marketolog() -> None:
    gold = Gold()
    gold.start("Должностная инструкция маркетолога", "маркетолог")
    data = styled_docx(gold, MARKETOLOG, "ООО «Северный текстиль»", "Генеральный директор ___________ Р.А. Байрамов",
                       "Должностная инструкция маркетолога", "Heading1", "heading 1")
    out = HERE / "01_marketolog_word97.doc"
    convert(data, out, "doc")
    gold.write(out.with_suffix(".gold.jsonl"))


def ofis() -> None:
    gold = Gold()
    gold.start("Должностная инструкция офис-менеджера", "офис-менеджер")
    data = styled_docx(gold, OFIS, "АО «Трансвектор»", "Исполнительный директор ___________ О.П. Лаптева",
                       "Должностная инструкция офис-менеджера", "1", "Заголовок 1")
    out = HERE / "02_ofis-menedzher_rtf.rtf"
    convert(data, out, "rtf")
    gold.write(out.with_suffix(".gold.jsonl"))


# ---------------------------------------------------------------- 03: nested bullets under numbered clauses

TEHNOLOG = [
    ("Общие положения", [
        ("Инженер-технолог относится к категории специалистов и подчиняется главному технологу.", "o", []),
        ("На должность инженера-технолога назначается лицо, имеющее высшее техническое образование по "
         "специальности «Технология машиностроения» без предъявления требований к стажу работы.", "q", []),
        ("Инженер-технолог должен знать:", None, [
            ("технологию производства продукции предприятия;", "q"),
            ("стандарты и технические условия на выпускаемые изделия;", "q"),
            ("системы автоматизированного проектирования технологических процессов.", "q"),
        ]),
    ]),
    ("Должностные обязанности", [
        ("Разрабатывает технологические процессы изготовления деталей и сборки изделий.", "d", []),
        ("Составляет карты технологического процесса и нормы расхода материалов.", "d", []),
        ("Участвует в:", None, [
            ("освоении новых видов продукции;", "d"),
            ("испытаниях опытных образцов;", "d"),
            ("анализе причин брака и разработке мер по его устранению.", "d"),
        ]),
        ("Контролирует соблюдение технологической дисциплины в цехах.", "d", []),
    ]),
    ("Права", [
        ("Инженер-технолог имеет право:", None, [
            ("давать мастерам участков указания по вопросам соблюдения технологии;", "r"),
            ("запрашивать у цехов сведения о выполнении технологических процессов.", "r"),
        ]),
        ("Вносить главному технологу предложения по совершенствованию технологии.", "r", []),
    ]),
    ("Ответственность", [
        ("Инженер-технолог несет ответственность за:", None, [
            ("качество разработанной технологической документации;", "l"),
            ("нарушение сроков выполнения заданий главного технолога.", "l"),
        ]),
    ]),
]


def tehnolog() -> None:
    gold = Gold()
    gold.start("Должностная инструкция инженера-технолога", "инженер-технолог")
    levels = lvl(0, text="%1.") + lvl(1, text="%1.%2.") + lvl(2, fmt="bullet", text="–", start=None)
    numbering = abstract(0, levels) + num(1, 0)
    body = [para(runs=bold("АО «Уральский арматурный завод»")),
            para("Утверждена приказом генерального директора от 12.01.2026 № 4-к"), para(""),
            para(runs=bold("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ")), para(runs=bold("инженера-технолога")), para("")]
    for s, (title, clauses) in enumerate(TEHNOLOG, 1):
        body.append(para(num="1", ilvl=0, runs=bold(title)))
        for c, (text, label, items) in enumerate(clauses, 1):
            body.append(para(text, num="1", ilvl=1))
            if label:
                gold.clause(f"{s}.{c}", text, label)
            for item, item_label in items:
                body.append(para(item, num="1", ilvl=2))
                gold.clause("", item, item_label)
    body += [para(""), para("Главный технолог ______________ С.В. Оконешников")]
    out = HERE / "03_inzhener-tehnolog_docx-nested-bullets.docx"
    out.write_bytes(fixed(docx_bytes("".join(body), numbering)))
    gold.write(out.with_suffix(".gold.jsonl"))


# ---------------------------------------------------------------- 04: approval and signature tables

FARMACEVT = [
    ("1.", "ОБЩИЕ ПОЛОЖЕНИЯ", None),
    ("1.1.", "Фармацевт относится к категории специалистов и подчиняется заведующему аптекой.", "o"),
    ("1.2.", "На должность фармацевта назначается лицо, имеющее среднее фармацевтическое образование и "
             "свидетельство об аккредитации специалиста.", "q"),
    ("1.3.", "Фармацевт руководствуется в работе правилами отпуска лекарственных препаратов, приказами "
             "заведующего аптекой и настоящей инструкцией.", "o"),
    ("1.4.", "Фармацевт должен знать:", None),
    ("-", "правила хранения лекарственных препаратов;", "q"),
    ("-", "фармакологические группы лекарственных средств и их аналоги;", "q"),
    ("-", "порядок работы с контрольно-кассовой техникой.", "q"),
    ("2.", "ДОЛЖНОСТНЫЕ ОБЯЗАННОСТИ", None),
    ("2.1.", "Отпускает лекарственные препараты и товары аптечного ассортимента по рецептам и без рецептов.", "d"),
    ("2.2.", "Консультирует покупателей о правилах приема и хранения лекарственных препаратов.", "d"),
    ("2.3.", "Принимает товар от поставщиков и проверяет сопроводительные документы.", "d"),
    ("2.4.", "Контролирует сроки годности препаратов в торговом зале.", "d"),
    ("3.", "ПРАВА", None),
    ("3.1.", "Отказать в отпуске рецептурного препарата при отсутствии рецепта.", "r"),
    ("3.2.", "Повышать квалификацию за счет работодателя в порядке, установленном в организации.", "r"),
    ("4.", "ОТВЕТСТВЕННОСТЬ", None),
    ("4.1.", "Фармацевт несет ответственность за нарушение правил отпуска лекарственных препаратов.", "l"),
    ("4.2.", "За причинение материального ущерба аптеке — в пределах, определенных трудовым "
             "законодательством.", "l"),
]


def cell(*lines: str) -> str:
    return "".join(para(line) for line in lines)


def farmacevt() -> None:
    gold = Gold()
    gold.start("Должностная инструкция фармацевта", "фармацевт")
    approval = table([[cell("СОГЛАСОВАНО", "Председатель первичной профсоюзной организации",
                            "___________ Н.Г. Ефремова", "«___» ____________ 2026 г."),
                       cell("УТВЕРЖДАЮ", "Директор ООО «Аптека на Лесной»", "___________ Г.С. Миронова",
                            "«___» ____________ 2026 г.")]])
    body = [para(runs=bold("ООО «Аптека на Лесной»")), approval, para(""),
            para(runs=bold("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ФАРМАЦЕВТА")), para("№ 14-ДИ"), para("")]
    for number, text, label in FARMACEVT:
        if label is None and number.count(".") == 1 and number[0].isdigit() and text.isupper():
            body.append(para(runs=bold(f"{number} {text}")))
        elif number == "-":
            body.append(para(f"- {text}"))
        else:
            body.append(para(f"{number} {text}"))
        if label:
            gold.clause("" if number == "-" else number.rstrip("."), text, label)
    signatures = table([
        [cell("Разработал:"), cell("Заведующий аптекой"), cell("___________"), cell("Е.А. Кравец")],
        [cell("Согласовано:"), cell("Юрисконсульт"), cell("___________"), cell("Т.М. Ильина")],
        [cell("С инструкцией ознакомлен(а):"), cell(""), cell("___________"), cell("«___» ________ 2026 г.")],
    ])
    body += [para(""), signatures]
    out = HERE / "04_farmacevt_docx-approval-table.docx"
    out.write_bytes(fixed(docx_bytes("".join(body))))
    gold.write(out.with_suffix(".gold.jsonl"))


def main() -> None:
    marketolog()
    ofis()
    tehnolog()
    farmacevt()


if __name__ == "__main__":
    main()
