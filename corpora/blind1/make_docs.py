"""Build the two Word documents of the blind1 set and their gold files.

Run from the repository root: ``.venv/bin/python corpora/blind1/make_docs.py``. The bytes are the same on every
run (every zip member is dated FIXED_TIME).

- ``05_master-uchastka_docx-profile-tables.docx``: a position profile («ПРОФИЛЬ ДОЛЖНОСТИ») made only of real
  Word tables: label | value rows, a functions table (function | % of time | deadline) with an «Итого» row,
  № | text tables for the rights and the liability, requirements and working-conditions rows, blank-form hints
  «(укажите …)» left in some cells.
- ``07_operator-sklada_docx-form-blank-title.docx``: a form whose title is «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ № ___»; the
  position is named only on the form line «Наименование должности: ________ оператор склада» below it. Sections
  and clauses use Word automatic numbering (``1.`` / ``1.1.`` / ``1.5.1.``); the rights are an em-dash bullet
  list; some clauses keep the form's blanks.

Each document is written here with the label of each clause (labels decided by ``shared/eval/LABELS.md``, the
decisions listed in README.md), and the gold file is written from the same tables. A table row that is a clause
has as its text the row's cells joined by `` | `` (the convention of ``../holdout3/`` for Markdown tables); in a
``№ | text`` table the first cell is the clause's number. Numbers in the gold are the numbers Word shows, without
the trailing dot.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from docxgen import abstract, bold, docx_bytes, lvl, num, para, table, with_fixed_times  # noqa: E402

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2026, 4, 20, 9, 0, 0)
LABELS = {"d": "duty", "r": "right", "l": "liability", "q": "requirement", "o": "other"}


class Gold:
    def __init__(self) -> None:
        self.records: list[dict] = []

    def start(self, title: str, position: str, alt: list[str] | None = None) -> None:
        rec = {"type": "instruction", "instruction": 1, "title": title, "position": position}
        if alt:
            rec["position_alt"] = alt
        self.records.append(rec)

    def clause(self, number: str, text: str, label: str, optional: bool = False) -> None:
        rec = {"type": "clause", "instruction": 1, "number": number, "text": text, "label": LABELS[label]}
        if optional:
            rec["optional"] = True
        self.records.append(rec)

    def write(self, path: Path) -> None:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.records), "utf-8")


def cell(text: str, heading: bool = False) -> str:
    return para(runs=bold(text)) if heading else para(text)


# ---------------------------------------------------------------- 05: position profile in tables

# (label or None, optional, cells); None: not a clause (header row, position name, total row)
GENERAL = [
    (None, False, ["Название должности", "Мастер участка механической обработки"]),
    ("o", True, ["Подразделение", "Механосборочный цех № 2"]),
    (None, False, ["Код по ОКПДТР", "(укажите код)"]),
    ("o", False, ["Категория должности", "Руководители"]),
    ("o", False, ["Подчиняется", "Начальнику механосборочного цеха № 2"]),
    ("o", False, ["Подчиненные", "Операторы станков с ЧПУ, токари, фрезеровщики, слесари участка (до 28 человек)"]),
    ("o", False, ["Кто замещает в период отсутствия", "Старший мастер цеха"]),
    ("o", True, ["Кого замещает", "(укажите должность)"]),
    ("o", False, ["Назначается на должность", "Приказом генерального директора по представлению начальника цеха"]),
]

PURPOSE = ("d", "Обеспечение выполнения сменных заданий участком механической обработки с заданным качеством, "
                "в срок и без нарушений требований охраны труда.")

FUNCTIONS = [
    (None, False, ["Функция (обязанность)", "Доля рабочего времени, %", "Срок / периодичность"]),
    ("d", False, ["Планирование загрузки станков и распределение сменных заданий между рабочими", "15",
                  "ежедневно до начала смены"]),
    ("d", False, ["Контроль соблюдения технологических процессов и режимов обработки", "20", "в течение смены"]),
    ("d", False, ["Приемка продукции участка совместно с контролером ОТК", "10", "по окончании каждой партии"]),
    ("d", False, ["Проведение инструктажей по охране труда на рабочем месте", "5",
                  "по графику, не реже 1 раза в квартал"]),
    ("d", False, ["Организация своевременного обслуживания и ремонта оборудования участка", "10",
                  "(укажите срок)"]),
    ("d", False, ["Учет рабочего времени и выработки, подготовка табеля", "10",
                  "ежедневно; табель — до 2-го числа месяца"]),
    ("d", False, ["Подготовка предложений по премированию и взысканиям рабочих участка", "5", "ежемесячно"]),
    ("d", False, ["Обучение новых рабочих и наставничество", "10", "(укажите периодичность)"]),
    ("d", False, ["Участие в расследовании причин брака и простоев", "5", "по мере необходимости"]),
    ("d", False, ["Обеспечение порядка и чистоты на участке по системе 5S", "10", "ежедневно"]),
    (None, False, ["Итого", "100", ""]),
]

RIGHTS = [
    "Давать рабочим участка обязательные для исполнения распоряжения по выполнению сменного задания",
    "Отстранять от работы рабочих, нарушающих требования охраны труда или находящихся в состоянии опьянения",
    "Останавливать оборудование при угрозе аварии или выпуска брака",
    "Представлять начальнику цеха предложения о поощрении и взыскании рабочих",
]

LIABILITY = [
    "Невыполнение сменного задания участком по причинам, зависящим от мастера",
    "Выпуск брака по вине работников участка при отсутствии контроля со стороны мастера",
    "Несчастные случаи на участке, произошедшие из-за нарушения мастером требований охраны труда",
    "Причинение материального ущерба предприятию — в пределах, установленных трудовым законодательством",
]

REQUIREMENTS = [
    ("q", False, ["Образование", "Высшее техническое (машиностроение) или среднее профессиональное техническое "
                                 "при стаже работы мастером не менее 3 лет"]),
    ("q", False, ["Опыт работы", "Не менее 2 лет на инженерных должностях в механообработке"]),
    ("q", False, ["Знания", "Технология механической обработки металлов, устройство станков с ЧПУ, чтение "
                            "чертежей, система допусков и посадок"]),
    ("q", False, ["Навыки", "Работа в системе планирования производства, составление табеля, проведение "
                            "инструктажей"]),
    ("q", False, ["Допуски и удостоверения", "Проверка знаний по охране труда; группа по электробезопасности "
                                             "не ниже II"]),
    ("q", False, ["Личные качества", "Требовательность, умение руководить коллективом, стрессоустойчивость"]),
    ("q", True, ["Иностранный язык", "(укажите при необходимости)"]),
]

CONDITIONS = [
    ("o", False, ["Режим работы", "Двухсменный график, смены по 8 часов"]),
    ("o", False, ["Класс условий труда", "3.1 (вредный, по результатам специальной оценки условий труда)"]),
    ("o", False, ["Командировки", "Не предусмотрены"]),
    ("o", False, ["Ключевые показатели эффективности", "Выполнение сменного задания не ниже 98 %; доля брака "
                                                       "не выше 0,5 %"]),
    ("o", False, ["Порядок оценки", "Ежеквартально, начальником цеха по утвержденным показателям"]),
]


def profile() -> None:
    out = HERE / "05_master-uchastka_docx-profile-tables.docx"
    gold = Gold()
    gold.start("ПРОФИЛЬ ДОЛЖНОСТИ", "мастер участка механической обработки", ["мастер участка"])
    parts = [
        para(runs=bold("АО «Уральский станкозавод»")),
        para(runs=bold("ПРОФИЛЬ ДОЛЖНОСТИ")),
        para("Форма П-02. Заполняется руководителем подразделения совместно с отделом персонала. "
             "Пояснения в скобках удалите после заполнения."),
    ]

    def rows_table(rows, header_first: bool = False) -> str:
        out_rows = []
        for i, (label, optional, cells) in enumerate(rows):
            heading = header_first and i == 0
            out_rows.append([cell(c, heading) for c in cells])
            if label:
                # a label | value row is one clause; in a function | % of time | deadline row the function
                # is the clause and the other cells are its attributes (set before the first run)
                gold.clause("", cells[1] if len(cells) == 2 else cells[0], label, optional)
        return table(out_rows)

    def numbered_table(items: list[str], label: str, head: str) -> str:
        rows = [[cell("№", True), cell(head, True)]]
        for i, text in enumerate(items, 1):
            rows.append([cell(str(i)), cell(text)])
            gold.clause(str(i), text, label)
        return table(rows)

    parts.append(para(runs=bold("Раздел 1. Общие сведения")))
    parts.append(rows_table(GENERAL))
    parts.append(para(runs=bold("Раздел 2. Назначение должности")))
    parts.append(table([[cell(PURPOSE[1])]]))
    gold.clause("", PURPOSE[1], PURPOSE[0])
    parts.append(para(runs=bold("Раздел 3. Функции и обязанности")))
    parts.append(rows_table(FUNCTIONS, header_first=True))
    parts.append(para(runs=bold("Раздел 4. Полномочия")))
    parts.append(numbered_table(RIGHTS, "r", "Полномочие"))
    parts.append(para(runs=bold("Раздел 5. Ответственность")))
    parts.append(numbered_table(LIABILITY, "l", "За что отвечает"))
    parts.append(para(runs=bold("Раздел 6. Требования к кандидату")))
    parts.append(rows_table(REQUIREMENTS))
    parts.append(para(runs=bold("Раздел 7. Условия труда и оценка работы")))
    parts.append(rows_table(CONDITIONS))
    parts.append(para(""))
    parts.append(table([[cell("Профиль составил"), cell("Начальник цеха № 2"), cell("____________ Д.Р. Хасанов")],
                        [cell("Согласовано"), cell("Начальник отдела персонала"),
                         cell("____________ Л.В. Кротова")]]))
    out.write_bytes(with_fixed_times(docx_bytes("".join(parts)), FIXED_TIME))
    gold.write(out.with_name(out.stem + ".gold.jsonl"))


# ---------------------------------------------------------------- 07: form with a blank title, Word numbering

# (kind, label, text): "section" (level 0), "clause" (level 1), "lead" (level 1, not a clause),
# "item" (level 2), "bullet" (em-dash list), "plain" (unnumbered paragraph, not a clause)
FORM = [
    ("section", "", "Общие положения"),
    ("clause", "o", "Оператор склада относится к категории технических исполнителей."),
    ("clause", "o", "Оператор склада принимается на работу и увольняется приказом генерального директора по "
                    "представлению ______________ (заведующего складом)."),
    ("clause", "o", "Оператор склада подчиняется ______________ начальнику смены склада."),
    ("clause", "q", "На должность оператора склада принимается лицо, имеющее среднее общее образование и опыт "
                    "работы со складскими программами не менее 6 месяцев."),
    ("lead", "", "Оператор склада должен знать:"),
    ("item", "q", "порядок приемки, размещения и отгрузки товаров на складе;"),
    ("item", "q", "складскую систему управления (WMS) и работу с терминалом сбора данных;"),
    ("item", "q", "правила оформления товаросопроводительных документов;"),
    ("item", "q", "требования охраны труда и пожарной безопасности на складе."),
    ("clause", "o", "В период отсутствия оператора склада его обязанности исполняет ______________ (должность) "
                    "оператор склада соседней смены."),
    ("clause", "o", "В своей работе оператор склада руководствуется инструкцией пользователя складской системы и "
                    "настоящей должностной инструкцией."),
    ("section", "", "Должностные обязанности"),
    ("clause", "d", "Принимает товар от перевозчика по количеству грузовых мест и сверяет его с "
                    "сопроводительными документами."),
    ("clause", "d", "Регистрирует поступивший товар в складской системе и печатает этикетки для паллет."),
    ("clause", "d", "Формирует задания на размещение товара в ячейках хранения и контролирует их выполнение "
                    "водителями погрузчиков."),
    ("clause", "d", "Формирует задания на отбор товара по заказам клиентов."),
    ("clause", "d", "Проверяет собранные заказы по штрихкодам перед отгрузкой."),
    ("clause", "d", "Оформляет товарно-транспортные накладные и передает документы водителю."),
    ("clause", "d", "Составляет акты о расхождениях при обнаружении недостачи, излишков или повреждения товара."),
    ("clause", "d", "Участвует в инвентаризациях и выборочных пересчетах ячеек."),
    ("clause", "d", "Сообщает начальнику смены о сбоях складской системы и оборудования."),
    ("clause", "d", "Ежедневно сдает начальнику смены отчет о принятых и отгруженных заказах."),
    ("clause", "d", "Соблюдает требования охраны труда, пожарной безопасности и пропускного режима склада."),
    ("section", "", "Права"),
    ("plain", "", "Оператор склада имеет право:"),
    ("bullet", "r", "не принимать товар без сопроводительных документов или с признаками вскрытия упаковки;"),
    ("bullet", "r", "требовать от водителей погрузчиков выполнения заданий в порядке очереди;"),
    ("bullet", "r", "запрашивать у менеджеров по работе с клиентами уточнения по заказам;"),
    ("bullet", "r", "вносить предложения по улучшению процессов приемки и отгрузки;"),
    ("bullet", "r", "получать спецодежду и средства индивидуальной защиты."),
    ("section", "", "Ответственность"),
    ("lead", "", "Оператор склада несет ответственность за:"),
    ("item", "l", "ошибки при приемке и отгрузке, допущенные по его вине;"),
    ("item", "l", "недостоверность данных, внесенных в складскую систему;"),
    ("item", "l", "утрату документов на товар."),
    ("clause", "l", "За нарушение правил внутреннего трудового распорядка оператор склада привлекается к "
                    "дисциплинарной ответственности."),
    ("clause", "l", "За ущерб, причиненный работодателю, оператор склада несет материальную ответственность в "
                    "пределах, установленных законодательством."),
    ("section", "", "Условия работы"),
    ("clause", "o", "Оператор склада работает по сменному графику: две дневные и две ночные смены по 12 часов."),
    ("clause", "o", "Работа выполняется в отапливаемом помещении склада с температурой воздуха не ниже +16 °C."),
    ("clause", "o", "Работа оператора склада оценивается ежемесячно по числу ошибок при приемке и отгрузке."),
]


def form_numbering() -> str:
    decimal = lvl(0, text="%1.") + lvl(1, text="%1.%2.") + lvl(2, text="%1.%2.%3.")
    dashes = lvl(0, fmt="bullet", text="—", start=None)
    return abstract(0, decimal) + abstract(1, dashes) + num(1, 0) + num(2, 1)


def form() -> None:
    out = HERE / "07_operator-sklada_docx-form-blank-title.docx"
    gold = Gold()
    gold.start("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ № ___", "оператор склада")
    approval = "".join(para(t) for t in ("УТВЕРЖДАЮ", "Генеральный директор", "ООО «ТрансЛайн Логистик»",
                                          "______________ / ______________ /", "«___» ____________ 20__ г."))
    parts = [
        para(runs=bold("ООО «ТрансЛайн Логистик»")),
        table([[para(""), approval]]),
        para(""),
        para(runs=bold("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ № ___")),
        para("г. Екатеринбург\t\t\t\t\t«___» ____________ 20__ г."),
        para("Структурное подразделение: ________________ склад ответственного хранения № 3"),
        para("Наименование должности: ________________ оператор склада"),
        para("Код по ОКПДТР: ________________"),
        para(""),
    ]
    counters = [0, 0, 0]
    for kind, label, text in FORM:
        level = {"section": 0, "clause": 1, "lead": 1, "item": 2}.get(kind)
        number = ""
        if level is not None:
            counters[level] += 1
            counters[level + 1:] = [0] * (2 - level)
            number = ".".join(str(c) for c in counters[:level + 1])
        if kind == "section":
            parts.append(para(num="1", ilvl=0, runs=bold(text)))
        elif kind in ("clause", "lead", "item"):
            parts.append(para(text, num="1", ilvl=level))
        elif kind == "bullet":
            parts.append(para(text, num="2", ilvl=0))
        else:
            parts.append(para(text))
        if kind in ("clause", "item", "bullet"):
            gold.clause(number, text, label)
    parts += [
        para(""),
        para("Инструкцию разработал: ______________ / ______________ /"),
        table([[para("С должностной инструкцией ознакомлен(а):"), para("______________"),
                para("«___» ____________ 20__ г.")]]),
    ]
    out.write_bytes(with_fixed_times(docx_bytes("".join(parts), form_numbering()), FIXED_TIME))
    gold.write(out.with_name(out.stem + ".gold.jsonl"))


def main() -> None:
    profile()
    form()


if __name__ == "__main__":
    main()
