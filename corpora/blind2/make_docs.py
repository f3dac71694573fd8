"""Build the two Word files of the sealed set ``blind2`` and their gold files.

Run from the repository root: ``.venv/bin/python corpora/blind2/make_docs.py``. The .docx bytes are the same on
every run (every zip member is dated FIXED_TIME).

- ``02_starshij-kassir_docx-numbering.docx``: a bank branch instruction whose section, clause and item numbers
  all come from Word automatic numbering (numbering.xml: ``1.`` at level 0, ``1.1.`` at level 1, ``1.6.1.`` at
  level 2); no number is typed. An em-dash bullet list, an unnumbered lead-in paragraph, numbered lead-ins over
  level-2 items, an approval table and an acknowledgement table with numbered rows.
- ``08_vospitatel_docx-tables.docx``: a kindergarten instruction written as a form: label | value tables
  (position, department, superior, substitute ...), a duties table with «% времени» and «Срок» columns, form
  hints in italics in some cells, rights and liability in two-column tables with typed numbers.

The gold is written from the same lists as the documents (labels decided by ../shared/eval/LABELS.md).
Conventions: ``number`` as Word shows it without the trailing dot; a label | value row that is a clause has the
text «label | value» (cells joined by `` | ``, as the Markdown table rows of ../holdout3/); a duties table row
is a clause whose text is its duty cell only (the «% времени» and «Срок» cells are attributes, not words of
the provision) and whose number is its «№» cell.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from docxgen import abstract, bold, docx_bytes, lvl, num, para, table, with_fixed_times  # noqa: E402

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2026, 4, 20, 9, 0, 0)
LABELS = {"d": "duty", "r": "right", "l": "liability", "q": "requirement", "o": "other"}


def italic(text: str) -> str:
    return f'<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def write_gold(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")


def clause(number: str, text: str, label: str, optional: bool = False) -> dict:
    rec = {"type": "clause", "instruction": 1, "number": number, "text": text, "label": LABELS[label]}
    if optional:
        rec["optional"] = True
    return rec


# ---------------------------------------------------------------- 02: Word automatic numbering

# (kind, label, text): "section" (level 0), "clause" (level 1), "lead" (level 1, not a clause), "item"
# (level 2), "bullet" (em-dash list), "plain" (unnumbered paragraph, not a clause).
KASSIR = [
    ("section", "", "Общие положения"),
    ("clause", "o", "Настоящая должностная инструкция устанавливает обязанности, права и ответственность старшего "
                    "кассира дополнительного офиса «Заречный» АО «Камский промышленный банк»."),
    ("clause", "o", "Старший кассир относится к категории специалистов."),
    ("clause", "o", "Старший кассир назначается на должность и освобождается от должности приказом управляющего "
                    "филиалом."),
    ("clause", "o", "Старший кассир непосредственно подчиняется начальнику дополнительного офиса."),
    ("clause", "q", "На должность старшего кассира назначается лицо, имеющее среднее профессиональное "
                    "экономическое образование и стаж работы кассиром в кредитной организации не менее двух лет."),
    ("lead", "", "Старший кассир должен знать:"),
    ("item", "q", "нормативные акты Банка России, регламентирующие порядок ведения кассовых операций;"),
    ("item", "q", "признаки платежеспособности банкнот и монеты Банка России и порядок их определения;"),
    ("item", "q", "признаки подлинности денежных знаков иностранных государств;"),
    ("item", "q", "порядок работы с программным комплексом автоматизации кассовых операций;"),
    ("item", "q", "требования по противодействию легализации доходов, полученных преступным путем;"),
    ("item", "q", "правила охраны труда и пожарной безопасности."),
    ("clause", "d", "Старший кассир ежегодно проходит проверку знаний по противодействию легализации доходов, "
                    "полученных преступным путем."),
    ("clause", "o", "На время отсутствия старшего кассира (отпуск, болезнь) его обязанности выполняет кассир, "
                    "назначенный приказом управляющего филиалом."),
    ("section", "", "Должностные обязанности"),
    ("plain", "", "Старший кассир:"),
    ("clause", "d", "Организует работу кассиров дополнительного офиса и распределяет между ними участки работы."),
    ("clause", "d", "Принимает от инкассаторов и выдает им сумки с наличными деньгами и ценностями."),
    ("clause", "d", "Выдает кассирам наличные деньги под отчет в начале операционного дня и принимает их остатки "
                    "в конце дня."),
    ("clause", "d", "Осуществляет операции по приему, выдаче, пересчету, обмену и упаковке наличных денег."),
    ("clause", "d", "Проверяет подлинность и платежеспособность денежных знаков, оформляет изъятие сомнительных "
                    "знаков."),
    ("clause", "d", "Ведет книгу хранилища ценностей и составляет кассовую отчетность за день."),
    ("clause", "d", "Обеспечивает соблюдение лимита остатка наличных денег в кассе."),
    ("lead", "", "При пересчете наличных денег старший кассир:"),
    ("item", "d", "пересчитывает деньги в присутствии клиента только в кабине, оборудованной видеонаблюдением;"),
    ("item", "d", "оформляет акт при обнаружении расхождений в сумме вложения;"),
    ("item", "d", "сообщает начальнику дополнительного офиса о каждом случае выявления поддельных денежных знаков."),
    ("clause", "l", "Несет ответственность за правильность оформления кассовых документов и соответствие "
                    "фактических остатков учетным данным."),
    ("clause", "d", "Готовит заявки на подкрепление кассы наличными деньгами и сдает излишки в кассу филиала."),
    ("clause", "d", "Соблюдает порядок доступа в хранилище ценностей и режим его охраны."),
    ("clause", "d", "Участвует в проведении внезапных ревизий кассы."),
    ("section", "", "Права"),
    ("lead", "", "Старший кассир имеет право:"),
    ("bullet", "r", "требовать от кассиров соблюдения порядка ведения кассовых операций;"),
    ("bullet", "r", "приостанавливать операцию при возникновении сомнений в подлинности денежных знаков или "
                    "документов клиента;"),
    ("bullet", "r", "вносить начальнику дополнительного офиса предложения о поощрении кассиров и о наложении "
                    "взысканий;"),
    ("bullet", "r", "получать от подразделений банка сведения, необходимые для выполнения обязанностей;"),
    ("bullet", "r", "на обеспечение рабочего места техническими средствами проверки банкнот;"),
    ("bullet", "r", "проходить обучение по программам повышения квалификации за счет банка."),
    ("clause", "o", "Старший кассир может привлекаться к работе в субботу по графику работы дополнительного офиса "
                    "с предоставлением другого дня отдыха."),
    ("section", "", "Ответственность"),
    ("lead", "", "Старший кассир несет ответственность за:"),
    ("item", "l", "недостачу наличных денег и ценностей — в соответствии с договором о полной коллективной "
                  "материальной ответственности;"),
    ("item", "l", "неисполнение или ненадлежащее исполнение обязанностей, предусмотренных настоящей инструкцией;"),
    ("item", "l", "нарушение банковской тайны и порядка обработки персональных данных клиентов;"),
    ("item", "l", "нарушение правил внутреннего трудового распорядка и требований охраны труда."),
    ("clause", "o", "Меры ответственности применяются в порядке, установленном трудовым законодательством "
                    "Российской Федерации."),
    ("section", "", "Условия работы"),
    ("clause", "o", "Режим работы старшего кассира определяется правилами внутреннего трудового распорядка банка."),
    ("clause", "o", "Старшему кассиру выдаются личная печать и ключи от хранилища ценностей под подпись в журнале."),
]


def kassir_numbering() -> str:
    decimal = lvl(0, text="%1.") + lvl(1, text="%1.%2.") + lvl(2, text="%1.%2.%3.")
    dashes = lvl(0, fmt="bullet", text="—", start=None)
    return abstract(0, decimal) + abstract(1, dashes) + num(1, 0) + num(2, 1)


def shown_numbers(content: list[tuple[str, str, str]]) -> list[str]:
    counters, shown = [0, 0, 0], []
    for kind, _label, _text in content:
        level = {"section": 0, "clause": 1, "lead": 1, "item": 2}.get(kind)
        if level is None:
            shown.append("")
            continue
        counters[level] += 1
        counters[level + 1:] = [0] * (2 - level)
        shown.append(".".join(str(c) for c in counters[:level + 1]))
    return shown


def kassir() -> None:
    paragraphs = []
    for kind, _label, text in KASSIR:
        if kind == "section":
            paragraphs.append(para(num="1", ilvl=0, runs=bold(text)))
        elif kind in ("clause", "lead"):
            paragraphs.append(para(text, num="1", ilvl=1))
        elif kind == "item":
            paragraphs.append(para(text, num="1", ilvl=2))
        elif kind == "bullet":
            paragraphs.append(para(text, num="2", ilvl=0))
        else:
            paragraphs.append(para(text))
    approval = "".join(para(t) for t in (
        "УТВЕРЖДАЮ", "Управляющий Заречным филиалом", "АО «Камский промышленный банк»",
        "______________ Д.Р. Сафиуллин", "«___» ____________ 2026 г."))
    sheet = table([
        [para(runs=bold("№")), para(runs=bold("Ф.И.О. работника")), para(runs=bold("Дата")),
         para(runs=bold("Подпись"))],
        [para("1"), para(""), para(""), para("")],
        [para("2"), para(""), para(""), para("")],
        [para("3"), para(""), para(""), para("")],
    ])
    body = "".join([
        para(runs=bold("АО «Камский промышленный банк»")),
        table([[para(""), approval]]),
        para(""),
        para(runs=bold("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ")),
        para(runs=bold("старшего кассира")),
        para(""),
        *paragraphs,
        para(""),
        para(runs=bold("ЛИСТ ОЗНАКОМЛЕНИЯ")),
        sheet,
    ])
    out = HERE / "02_starshij-kassir_docx-numbering.docx"
    out.write_bytes(with_fixed_times(docx_bytes(body, kassir_numbering()), FIXED_TIME))
    records = [{"type": "instruction", "instruction": 1, "title": "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ старшего кассира",
                "position": "старший кассир"}]
    for (kind, label, text), number in zip(KASSIR, shown_numbers(KASSIR), strict=True):
        if kind in ("clause", "item", "bullet"):
            records.append(clause(number, text, label))
    write_gold(out.with_suffix(".gold.jsonl"), records)


# ---------------------------------------------------------------- 08: a form in tables

# label | value rows: (label cell, value cell, gold label or "" for no clause, optional); a value starting
# with "(" is a form hint written in italics.
GENERAL = [
    ("Должность", "Воспитатель", "", False),
    ("Ф.И.О. работника", "(заполняется при ознакомлении)", "", False),
    ("Структурное подразделение", "Педагогический персонал, группа № ____", "o", True),
    ("Категория должности", "Педагогические работники", "o", False),
    ("Назначение на должность и освобождение от должности", "Приказом заведующего детским садом", "o", False),
    ("Непосредственный руководитель", "Старший воспитатель", "o", False),
    ("Кто замещает на время отсутствия", "Воспитатель, работающий в группе во вторую смену", "o", False),
    ("Кого замещает", "Воспитателя другой группы по приказу заведующего", "o", False),
    ("Подчиненные", "Помощник воспитателя группы", "o", False),
    ("Режим работы", "36 часов в неделю, две смены: 7:00–14:12 и 11:48–19:00", "o", False),
]

QUALIFICATION = [
    ("Образование", "Высшее или среднее профессиональное образование по направлению подготовки «Образование и "
                    "педагогические науки»", "q", False),
    ("Опыт работы", "Без предъявления требований к стажу работы", "q", False),
    ("Медицинские требования", "Прохождение обязательных предварительного и периодических медицинских осмотров, "
                               "наличие личной медицинской книжки", "q", False),
    ("Ограничения", "Отсутствие судимости и уголовного преследования, препятствующих педагогической "
                    "деятельности", "q", False),
]
KNOWLEDGE = [
    "основы дошкольной педагогики и возрастной психологии;",
    "федеральный государственный образовательный стандарт дошкольного образования;",
    "санитарные правила для организаций, осуществляющих воспитание и обучение детей;",
    "приемы оказания первой помощи.",
]

# (№, duty, % времени, срок)
DUTIES = [
    ("1", "Принимает детей утром, проводит утренний фильтр и опрашивает родителей о самочувствии ребенка.",
     "5", "ежедневно"),
    ("2", "Планирует и проводит образовательную деятельность в соответствии с образовательной программой "
          "детского сада.", "30", "ежедневно, по расписанию занятий"),
    ("3", "Организует прогулки, игры, дневной сон и прием пищи детьми.", "25", "ежедневно"),
    ("4", "Обеспечивает охрану жизни и здоровья детей во время пребывания в группе и на прогулке.", "—",
     "постоянно"),
    ("5", "Ведет табель посещаемости и журнал утреннего фильтра.", "3", "ежедневно"),
    ("6", "Проводит педагогическую диагностику развития детей и заполняет карты развития.", "5",
     "два раза в год (сентябрь, май)"),
    ("7", "Консультирует родителей по вопросам воспитания и развития ребенка, проводит родительские собрания.",
     "7", "собрания — не реже одного раза в квартал"),
    ("8", "Готовит группу и детей к праздникам и участвует в их проведении.", "10", "по годовому плану"),
    ("9", "Составляет календарный план работы группы.", "5", "до 25-го числа предыдущего месяца"),
    ("10", "Координирует работу помощника воспитателя.", "5", "ежедневно"),
    ("11", "Передает детей вечером только родителям или лицам, указанным в их письменном заявлении.", "5",
     "ежедневно"),
    ("12", "Проходит обучение по оказанию первой помощи.", "—", "один раз в три года"),
]

RIGHTS = [
    ("4.1", "Участвовать в работе педагогического совета."),
    ("4.2", "Выбирать формы, методы и средства обучения и воспитания в пределах образовательной программы."),
    ("4.3", "Повышать квалификацию не реже одного раза в три года за счет работодателя."),
    ("4.4", "Получать от администрации методическую помощь и необходимые материалы."),
    ("4.5", "На сокращенную продолжительность рабочего времени и ежегодный удлиненный оплачиваемый отпуск."),
]

LIABILITY = [
    ("5.1", "За неисполнение или ненадлежащее исполнение обязанностей, предусмотренных настоящей инструкцией, — "
            "в пределах, определенных трудовым законодательством."),
    ("5.2", "За жизнь и здоровье детей во время образовательного процесса и присмотра за ними."),
    ("5.3", "За применение методов воспитания, связанных с физическим или психическим насилием над личностью "
            "ребенка, — вплоть до увольнения."),
    ("5.4", "За причинение материального ущерба имуществу детского сада."),
]

EVALUATION = [
    ("Посещаемость детьми группы", "не ниже 75 % в месяц", "o", False),
    ("Обоснованные жалобы родителей", "отсутствуют", "o", False),
]


def value_cell(text: str) -> str:
    return para(runs=italic(text)) if text.startswith("(") else para(text)


def vospitatel() -> None:
    records: list[dict] = [{"type": "instruction", "instruction": 1, "title": "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ воспитателя",
                            "position": "воспитатель"}]

    def label_value_table(rows, header=None):
        out = [[para(runs=bold(h)) for h in header]] if header else []
        for left, right, label, optional in rows:
            out.append([para(left), value_cell(right)])
            if label:
                records.append(clause("", right, label, optional))
        return table(out)

    general = label_value_table(GENERAL)
    qualification_rows = []
    for left, right, label, optional in QUALIFICATION:
        qualification_rows.append([para(left), para(right)])
        records.append(clause("", right, label, optional))
    qualification_rows.append([para("Должен знать"), "".join(para(t) for t in KNOWLEDGE)])
    for text in KNOWLEDGE:
        records.append(clause("", text, "q"))
    qualification = table(qualification_rows)

    duty_rows = [[para(runs=bold("№")),
                  para(runs=bold("Содержание обязанности")) + para(runs=italic("(формулируется глаголом в "
                                                                               "настоящем времени)")),
                  para(runs=bold("% времени")), para(runs=bold("Срок (периодичность)"))]]
    for number, text, share, term in DUTIES:
        duty_rows.append([para(number), para(text), para(share), para(term)])
        records.append(clause(number, text, "d"))
    duty_rows.append([para(""), para(runs=italic("(при необходимости дополните перечень)")),
                      para(runs=italic("(указать)")), para(runs=italic("(указать)"))])
    duty_rows.append([para(""), para(runs=bold("Итого")), para(runs=bold("100")), para("")])
    duties = table(duty_rows)

    rights = table([[para(n), para(t)] for n, t in RIGHTS])
    records.extend(clause(n, t, "r") for n, t in RIGHTS)
    liability = table([[para(n), para(t)] for n, t in LIABILITY])
    records.extend(clause(n, t, "l") for n, t in LIABILITY)
    evaluation = label_value_table(EVALUATION, header=("Показатель", "Целевое значение"))

    agreed = "".join(para(t) for t in ("СОГЛАСОВАНО", "Председатель первичной профсоюзной организации",
                                       "__________ Н.Г. Фомичева", "«___» __________ 2026 г."))
    approved = "".join(para(t) for t in ("УТВЕРЖДАЮ", "Заведующий МБДОУ «Детский сад № 41 «Ромашка»",
                                         "__________ Т.В. Курочкина", "Приказ от 09.01.2026 № 2-о"))
    acknowledgement = table([
        [para("С инструкцией ознакомлен(а), экземпляр получил(а):"), para("____________"),
         para("______________________"), para("«___» ________ 20__ г.")],
        [para(""), para(runs=italic("(подпись)")), para(runs=italic("(расшифровка подписи)")),
         para(runs=italic("(дата)"))],
    ])
    body = "".join([
        para(runs=bold("Муниципальное бюджетное дошкольное образовательное учреждение")),
        para(runs=bold("«Детский сад № 41 «Ромашка» (МБДОУ «Детский сад № 41 «Ромашка»)")),
        para(""),
        table([[agreed, approved]]),
        para(""),
        para(runs=bold("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ")),
        para(runs=bold("воспитателя")),
        para(""),
        para(runs=bold("1. Общие сведения о должности")),
        general,
        para(""),
        para(runs=bold("2. Требования к квалификации")),
        qualification,
        para(""),
        para(runs=bold("3. Должностные обязанности")),
        duties,
        para(""),
        para(runs=bold("4. Права")),
        para("Воспитатель имеет право:"),
        rights,
        para(""),
        para(runs=bold("5. Ответственность")),
        para("Воспитатель несет ответственность:"),
        liability,
        para(""),
        para(runs=bold("6. Оценка результатов работы")),
        evaluation,
        para(""),
        acknowledgement,
    ])
    out = HERE / "08_vospitatel_docx-tables.docx"
    out.write_bytes(with_fixed_times(docx_bytes(body), FIXED_TIME))
    write_gold(out.with_suffix(".gold.jsonl"), records)


def main() -> None:
    kassir()
    vospitatel()
    print("written:", HERE)


if __name__ == "__main__":
    main()
