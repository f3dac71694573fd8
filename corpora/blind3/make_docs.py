"""Build the two Word files of the sealed blind set 3 and their gold files.

    .venv/bin/python corpora/blind3/make_docs.py

`01` is built with python-docx (core properties and zip member dates pinned), `08` from raw WordprocessingML
through ``tests/docxgen.py`` (automatic multi-level numbering). The bytes are the same on every run. Every text
here was written for the project; organisations and people are invented.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import docxgen as g  # noqa: E402

FIXED = (2026, 11, 20, 9, 0, 0)

# A clause: (number, text, label, cluster); a fifth element True marks an optional clause (no cluster).

# ---------------------------------------------------------------- 01: a job profile in Word tables

P1_HEAD = [
    ("Должность", "Менеджер по грузоперевозкам", None),
    ("Подразделение", "Отдел автомобильных перевозок", ("", "Отдел автомобильных перевозок", "other", None, True)),
    ("Непосредственный руководитель", "Начальник отдела автомобильных перевозок",
     ("", "Начальник отдела автомобильных перевозок", "other", "other-subordination")),
    ("Кто замещает в период отсутствия", "Другой менеджер отдела по решению начальника отдела",
     ("", "Другой менеджер отдела по решению начальника отдела", "other", "other-substitution")),
    ("Порядок назначения и освобождения", "Приказ генерального директора по представлению начальника отдела",
     ("", "Приказ генерального директора по представлению начальника отдела", "other",
      "other-appointment-dismissal")),
    ("Режим работы", "Пятидневная рабочая неделя, 9:00–18:00, дежурство в выходные дни по графику",
     ("", "Пятидневная рабочая неделя, 9:00–18:00, дежурство в выходные дни по графику", "other",
      "other-working-hours")),
    ("Командировки", "Возможны поездки на терминалы партнеров, до 3 дней в месяц",
     ("", "Возможны поездки на терминалы партнеров, до 3 дней в месяц", "other", "other-business-trips")),
]
P1_PURPOSE = ("", "Обеспечение своевременной и экономичной доставки грузов клиентов автомобильным транспортом.",
              "other", "other-solo-position-purpose-freight")
P1_REQ = [
    ("Образование", ["Высшее (логистика, экономика, организация перевозок)"],
     [("", "Высшее (логистика, экономика, организация перевозок)", "requirement", "req-edu-higher-logistics")]),
    ("Опыт работы", ["Не менее 1 года в экспедировании грузов или диспетчерской службе"],
     [("", "Не менее 1 года в экспедировании грузов или диспетчерской службе", "requirement",
       "req-solo-experience-forwarding-1y")]),
    ("Знания", ["Правила перевозок грузов автомобильным транспортом",
                "Порядок оформления транспортных накладных и путевых листов",
                "Основы трудового законодательства"],
     [("", "Правила перевозок грузов автомобильным транспортом", "requirement", "req-solo-know-freight-rules"),
      ("", "Порядок оформления транспортных накладных и путевых листов", "requirement",
       "req-solo-know-waybills"),
      ("", "Основы трудового законодательства", "requirement", "req-know-labour-law")]),
    ("Навыки", ["Работа в 1С и в системе спутникового мониторинга транспорта; ведение переговоров с перевозчиками"],
     [("", "Работа в 1С и в системе спутникового мониторинга транспорта; ведение переговоров с перевозчиками",
       "requirement", "req-solo-skills-1c-monitoring")]),
    ("Личные качества", ["Стрессоустойчивость, внимательность, пунктуальность"],
     [("", "Стрессоустойчивость, внимательность, пунктуальность", "requirement", "req-personal-qualities")]),
]
P1_DUTIES = [
    ("1", "Принимает заявки клиентов на перевозку и рассчитывает ее стоимость", "15", "duty-solo-freight-orders"),
    ("2", "Подбирает перевозчиков и транспорт, согласует ставки", "20", "duty-solo-choose-carriers"),
    ("3", "Оформляет договоры-заявки, транспортные накладные и доверенности водителям", "15",
     "duty-solo-freight-documents"),
    ("4", "Отслеживает движение машин по системе мониторинга и сообщает клиентам о сроках доставки", "20",
     "duty-solo-track-vehicles"),
    ("5", "Решает вопросы при задержках, повреждении груза и простоях, оформляет акты", "10",
     "duty-solo-freight-incidents"),
    ("6", "Контролирует возврат подписанных документов и передает их в бухгалтерию", "10",
     "duty-solo-return-documents"),
    ("7", "Ведет базу перевозчиков и оценивает их надежность", "5", "duty-solo-carrier-base"),
    ("8", "Готовит еженедельный отчет о перевозках для начальника отдела", "5", "duty-report-to-superior"),
]
P1_RIGHTS = [
    ("4.1", "Запрашивать у отдела продаж и склада сведения о грузах, необходимые для организации перевозки.",
     "right", "right-request-information"),
    ("4.2", "Отказывать клиенту в перевозке груза без надлежащих сопроводительных документов.", "right",
     "right-solo-refuse-freight-without-documents"),
    ("4.3", "Вносить начальнику отдела предложения по выбору перевозчиков и снижению затрат на доставку.",
     "right", "right-proposals"),
    ("4.4", "Проходить обучение за счет компании по программам, согласованным с начальником отдела.", "right",
     "right-training"),
]
P1_LIAB = [
    ("5.1", "За ненадлежащее выполнение задач, указанных в профиле, — в соответствии с трудовым "
     "законодательством.", "liability", "liab-improper-performance"),
    ("5.2", "За ущерб, причиненный компании по его вине, в том числе за штрафы клиентов за срыв сроков, — в "
     "пределах, установленных Трудовым кодексом РФ.", "liability", "liab-material-damage"),
    ("5.3", "За разглашение конфиденциальной информации компании.", "liability", "liab-disclosure-confidential"),
    ("5.4", "За нарушение правил внутреннего трудового распорядка.", "liability", "liab-labour-discipline"),
]
P1_KPI = [
    ("Доставка в срок", "не ниже 95 % рейсов", "other-solo-kpi-on-time-delivery"),
    ("Маржинальность перевозок", "не ниже плановой по отделу", "other-solo-kpi-freight-margin"),
    ("Обоснованные претензии клиентов", "не более 2 в месяц", "other-solo-kpi-client-claims"),
]


def build_01() -> tuple[bytes, list[dict]]:
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    cp = doc.core_properties
    cp.author = "Отдел персонала"
    cp.last_modified_by = "Отдел персонала"
    cp.title = "Профиль должности"
    cp.created = dt.datetime(2026, 11, 20, 9, 0, 0)
    cp.modified = dt.datetime(2026, 11, 20, 9, 0, 0)
    cp.revision = 1

    def hint(text: str) -> None:
        p = doc.add_paragraph()
        r = p.add_run(text)
        r.font.size = Pt(9)
        r.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    def caption(text: str) -> None:
        p = doc.add_paragraph()
        p.add_run(text).bold = True

    def cell_hint(cell, text: str) -> None:
        p = cell.add_paragraph()
        r = p.add_run(text)
        r.italic = True
        r.font.size = Pt(9)
        r.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    gold: list[dict] = [{"type": "instruction", "instruction": 1, "title": "ПРОФИЛЬ ДОЛЖНОСТИ",
                         "position": "менеджер по грузоперевозкам"}]

    def add(c) -> None:
        rec = {"type": "clause", "instruction": 1, "number": c[0], "text": c[1], "label": c[2]}
        if len(c) > 4 and c[4]:
            rec["optional"] = True
        gold.append(rec)

    doc.add_paragraph("ООО «Волжский транзитный узел»")
    p = doc.add_paragraph()
    p.add_run("ПРОФИЛЬ ДОЛЖНОСТИ").bold = True
    hint("заполняется руководителем подразделения совместно с отделом персонала")

    t = doc.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    for label, value, clause in P1_HEAD:
        row = t.add_row().cells
        row[0].text = label
        row[1].text = value
        if clause:
            add(clause)
    row = t.add_row().cells
    row[0].text = "Дата составления"
    row[1].text = "«___» __________ 2026 г."

    caption("1. Цель должности")
    hint("для чего существует должность, одной фразой")
    doc.add_paragraph(P1_PURPOSE[1])
    add(P1_PURPOSE)

    caption("2. Требования к кандидату")
    hint("образование, опыт, знания, навыки, личные качества")
    t = doc.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    for label, paras, clauses in P1_REQ:
        row = t.add_row().cells
        row[0].text = label
        row[1].text = paras[0]
        for extra in paras[1:]:
            row[1].add_paragraph(extra)
        if label == "Знания":
            cell_hint(row[1], "(при необходимости дополните перечень)")
        for c in clauses:
            add(c)

    caption("3. Должностные обязанности")
    hint("перечень задач, которые выполняет работник")
    t = doc.add_table(rows=1, cols=3)
    t.style = "Table Grid"
    hdr = t.rows[0].cells
    hdr[0].text, hdr[1].text, hdr[2].text = "№", "Задача", "% времени"
    for n, text, share, cluster in P1_DUTIES:
        row = t.add_row().cells
        row[0].text, row[1].text, row[2].text = n, text, share
        add((n, text, "duty", cluster))
    row = t.add_row().cells
    row[0].text, row[1].text, row[2].text = "", "Итого", "100"

    caption("4. Права")
    hint("что работник вправе делать и требовать")
    for c in P1_RIGHTS:
        doc.add_paragraph(f"{c[0]}. {c[1]}")
        add(c)

    caption("5. Ответственность")
    hint("за что работник отвечает")
    for c in P1_LIAB:
        doc.add_paragraph(f"{c[0]}. {c[1]}")
        add(c)

    caption("6. Показатели эффективности")
    hint("как оценивается работа, с целевыми значениями")
    t = doc.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    for label, value, cluster in P1_KPI:
        row = t.add_row().cells
        row[0].text, row[1].text = label, value
        add(("", value, "other", cluster))

    doc.add_paragraph("")
    doc.add_paragraph("С профилем ознакомлен: ________________ / ________________ / «___» __________ 2026 г.")
    hint("подпись, Ф.И.О. работника, дата")

    buf = io.BytesIO()
    doc.save(buf)
    return g.with_fixed_times(buf.getvalue(), FIXED), gold


def clauses_01() -> list[tuple]:
    out = [c for _, _, c in P1_HEAD if c] + [P1_PURPOSE]
    for _, _, cs in P1_REQ:
        out += cs
    out += [(n, t, "duty", cl) for n, t, _, cl in P1_DUTIES]
    out += P1_RIGHTS + P1_LIAB + [("", v, "other", cl) for _, v, cl in P1_KPI]
    return out


# ---------------------------------------------------------------- 08: Word automatic numbering

# (level, text, label, cluster); label None = a heading or a lead-in (not a clause)
P8 = [
    (0, "Общие положения", None, None),
    (1, "Операционист относится к категории специалистов.", "other", "other-category-specialists"),
    (1, "Операционист принимается на должность и освобождается от нее приказом управляющего дополнительным "
        "офисом.", "other", "other-appointment-dismissal"),
    (1, "Операционист подчиняется начальнику операционного отдела дополнительного офиса.", "other",
     "other-subordination"),
    (1, "На должность операциониста назначается лицо с высшим экономическим образованием без предъявления "
        "требований к стажу работы либо со средним профессиональным экономическим образованием и опытом работы "
        "в банке не менее одного года.", "requirement", "req-solo-edu-economic-bank-experience"),
    (1, "Операционист должен знать:", None, None),
    (2, "нормативные акты Банка России по кассовым и расчетным операциям;", "requirement",
     "req-solo-know-central-bank-acts"),
    (2, "порядок идентификации клиентов в целях противодействия легализации доходов, полученных преступным "
        "путем;", "requirement", "req-solo-know-client-identification"),
    (2, "тарифы и продукты банка для частных клиентов;", "requirement", "req-solo-know-bank-products"),
    (2, "правила охраны труда и пожарной безопасности.", "requirement", "req-know-safety-rules"),
    (1, "На период отсутствия операциониста его обязанности исполняет другой операционист, назначенный "
        "начальником операционного отдела.", "other", "other-substitution"),
    (1, "В своей работе операционист руководствуется законодательством Российской Федерации, нормативными "
        "актами Банка России, внутренними документами банка и настоящей должностной инструкцией.", "other",
     "other-guided-by"),
    (0, "Должностные обязанности", None, None),
    (1, "Открывает и закрывает текущие и сберегательные счета физических лиц.", "duty",
     "duty-solo-open-close-accounts"),
    (1, "Принимает от клиентов платежные поручения и заявления, проверяет правильность их заполнения.", "duty",
     "duty-solo-accept-payment-orders"),
    (1, "При обслуживании клиента операционист:", None, None),
    (2, "устанавливает личность клиента по документу, удостоверяющему личность;", "duty",
     "duty-solo-identify-client"),
    (2, "проверяет полномочия представителя по доверенности;", "duty", "duty-solo-check-power-of-attorney"),
    (2, "сверяет подпись клиента с образцом в карточке.", "duty", "duty-solo-check-signature"),
    (1, "Консультирует клиентов по продуктам и тарифам банка.", "duty", "duty-solo-advise-bank-products"),
    (1, "Формирует в конце дня операционный реестр и сдает документы дня в архив отдела.", "duty",
     "duty-solo-daily-register"),
    (1, "Сообщает начальнику отдела о подозрительных операциях клиентов в день их выявления.", "duty",
     "duty-solo-report-suspicious-operations"),
    (1, "Хранит в тайне сведения о счетах и операциях клиентов.", "duty", "duty-keep-confidential"),
    (1, "Соблюдает правила внутреннего трудового распорядка банка и требования информационной безопасности.",
     "duty", "duty-observe-internal-rules"),
    (1, "Несет ответственность за правильность оформления принятых документов.", "liability",
     "liab-solo-correct-documents"),
    (0, "Права", None, None),
    (1, "Операционист имеет право:", None, None),
    (2, "отказать клиенту в проведении операции при непредставлении необходимых документов;", "right",
     "right-solo-refuse-operation"),
    (2, "получать от подразделений банка информацию, необходимую для выполнения своих обязанностей;", "right",
     "right-request-information"),
    (2, "вносить предложения по совершенствованию обслуживания клиентов;", "right", "right-proposals"),
    (2, "проходить обучение и повышать квалификацию за счет банка.", "right", "right-training"),
    (0, "Ответственность", None, None),
    (1, "Операционист несет ответственность за:", None, None),
    (2, "неисполнение или ненадлежащее исполнение своих должностных обязанностей — в пределах, установленных "
        "трудовым законодательством Российской Федерации;", "liability", "liab-improper-performance"),
    (2, "разглашение конфиденциальной информации, в том числе сведений, составляющих банковскую тайну;",
     "liability", "liab-disclosure-confidential"),
    (2, "причинение материального ущерба банку — в пределах, определенных трудовым и гражданским "
        "законодательством Российской Федерации.", "liability", "liab-material-damage"),
    (1, "Операционист несет полную материальную ответственность за вверенные ему денежные средства и ценности "
        "на основании договора о полной материальной ответственности.", "liability",
     "liab-safekeeping-entrusted-property"),
    (0, "Заключительные положения", None, None),
    (1, "Инструкция пересматривается при изменении организационной структуры банка, но не реже одного раза в "
        "три года.", "other", "other-document-review"),
    (1, "Операционист может привлекаться к работе в выходные дни в порядке, установленном Трудовым кодексом "
        "РФ.", "other", "other-weekend-work"),
]


def numbered_08() -> list[tuple]:
    """P8 with the number Word shows (``1``, ``1.5``, ``1.5.1``), as (number, text, label, cluster)."""
    counters = [0, 0, 0]
    out = []
    for level, text, label, cluster in P8:
        counters[level] += 1
        for k in range(level + 1, 3):
            counters[k] = 0
        number = ".".join(str(c) for c in counters[: level + 1])
        out.append((number, text, label, cluster))
    return out


def build_08() -> tuple[bytes, list[dict]]:
    def lines(*texts: str) -> str:
        return "".join(g.para(t) for t in texts)

    body = g.table([[
        lines("СОГЛАСОВАНО", "Начальник отдела кадров", "АО «Банк Северный кредит»", "__________ / И. Р. Кольцова",
              "«___» __________ 2026 г."),
        lines("УТВЕРЖДАЮ", "Управляющий дополнительным офисом «Заречный»", "АО «Банк Северный кредит»",
              "__________ / П. А. Веденеев", "«___» __________ 2026 г."),
    ]])
    body += g.para("")
    body += g.para(runs=g.bold("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ"))
    body += g.para(runs=g.bold("операциониста дополнительного офиса «Заречный»"))
    body += g.para("")
    for level, text, _label, _cluster in P8:
        body += g.para(runs=g.bold(text) if level == 0 else g.run(text), num="1", ilvl=level)
    body += g.para("")
    body += g.para(runs=g.bold("ЛИСТ ОЗНАКОМЛЕНИЯ"))
    body += g.table([[g.para(h) for h in ("№ п/п", "Ф.И.О. работника", "Дата", "Подпись")]]
                    + [[g.para(str(i)), g.para(""), g.para(""), g.para("")] for i in (1, 2, 3)])
    numbering = g.abstract(0, g.decimal_levels(3)) + g.num(1, 0)
    data = g.with_fixed_times(g.docx_bytes(body, numbering=numbering), FIXED)
    gold: list[dict] = [{"type": "instruction", "instruction": 1,
                         "title": "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ операциониста дополнительного офиса «Заречный»",
                         "position": "операционист",
                         "position_alt": ["операционист дополнительного офиса",
                                          "операционист дополнительного офиса «заречный»"]}]
    for number, text, label, _cluster in numbered_08():
        if label:
            gold.append({"type": "clause", "instruction": 1, "number": number, "text": text, "label": label})
    return data, gold


def clauses_08() -> list[tuple]:
    return [c for c in numbered_08() if c[2]]


def write(name: str, data: bytes, gold: list[dict]) -> None:
    (HERE / f"{name}.docx").write_bytes(data)
    (HERE / f"{name}.gold.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold), encoding="utf-8")


DOCX = {
    "01_menedzher-po-gruzoperevozkam_docx-profile-grey-hints": (build_01, clauses_01),
    "08_operacionist_docx-multilevel-numbering": (build_08, clauses_08),
}

if __name__ == "__main__":
    for name, (build, _clauses) in DOCX.items():
        write(name, *build())
        print(name)
