"""The rule classifier on readable cases: the hard cases of LABELS.md first, then each rule."""

import pytest

from pipeline.classify import cues, load
from pipeline.classify.analysis import analyse
from pipeline.classify.rules import RULES, decide
from pipeline.records import Clause

HARD_CASES = [
    # own words beat the section
    ("Несет ответственность за достоверность сведений в отчетах.", "duties", "", "liability"),
    ("Кладовщик должен знать правила складского учета.", "general", "", "requirement"),
    # neutral words: the lead-in decides
    ("уставом общества;", "", "Оператор в своей работе руководствуется:", "other"),
    ("трудовое законодательство;", "", "Оператор должен знать:", "requirement"),
    ("приказами директора;", "general", "", "other"),
    # present-tense obligation vs. what one answers for
    ("Соблюдает требования охраны труда и пожарной безопасности.", "", "", "duty"),
    ("За нарушение требований охраны труда и пожарной безопасности.", "", "", "liability"),
    # business trips are a working condition
    ("Может направляться в служебные командировки, в том числе за рубеж.", "rights", "", "other"),
    ("Может выезжать в служебные командировки.", "", "", "other"),
    ("Представлять интересы отдела в отношениях с другими подразделениями.", "rights", "", "right"),
    ("Представлять интересы отдела в отношениях с другими подразделениями.", "",
     "Начальник отдела имеет право:", "right"),
    # a cue in the object of a finite verb does not decide: the verb does
    ("Соблюдает график работы и правила охраны труда.", "duties", "", "duty"),
    ("Заказывает билеты и гостиницы для командировок директора.", "duties", "", "duty"),
    ("Ведет учет стажа работы сотрудников.", "", "", "duty"),
    ("Обеспечивает сведениями лиц, имеющих право на их получение.", "", "", "duty"),
    # ... and so does a leading infinitive
    ("Требовать от руководителей отстранения от работы лиц, не прошедших инструктаж.", "rights", "", "right"),
    # what the employee is given or may be sent to do is a working condition
    ("За работу с вредными веществами лаборанту выдается молоко по установленным нормам.", "conditions", "",
     "other"),
    ("Может привлекаться к сварочным работам на объектах заказчиков.", "rights", "", "other"),
    ("Менеджер может выезжать к клиентам для проведения переговоров.", "", "", "other"),
    ("Может привлекаться к дисциплинарной ответственности.", "", "", "liability"),
    # answering for money or property is liability; «отвечает за» a task is a duty
    ("Кассир отвечает за сохранность денежных средств в кассе.", "", "", "liability"),
    ("Уборщица отвечает за поддержание чистоты в помещениях.", "duties", "", "duty"),
    # category, the document itself, procedures about the employee
    ("Должность специалиста относится к старшей группе должностей муниципальной службы.", "general", "", "other"),
    ("Инструкция определяет обязанности, права и ответственность специалиста.", "", "", "other"),
    ("Вопрос о привлечении работника к ответственности рассматривается главой администрации.", "liability", "",
     "other"),
    ("Требуется среднее профессиональное образование.", "knowledge", "", "requirement"),
    # under relations, a verb of receiving or exchanging information describes the relation
    ("получает от заместителя директора информацию нормативно-правового характера;", "relations", "Тьютор:",
     "other"),
    ("Контролирует исполнение приказов.", "duties", "Тьютор:", "duty"),
    # substitution, in whichever order it is written
    ("В отсутствие директора магазина администратор торгового зала исполняет его обязанности.", "general", "",
     "other"),
    ("Добросовестно исполняет свои должностные обязанности.", "duties", "", "duty"),
    ("выполнение плана продаж не менее чем на 95 %;", "other", "Работа оценивается по следующим показателям:",
     "other"),
    ("Отказать клиенту в обслуживании при отсутствии документа, удостоверяющего личность.", "rights", "", "right"),
    # who may hold the position
    ("К работе допускаются лица, прошедшие обучение и проверку знаний.", "general", "", "requirement"),
    ("На должность сторожа принимается гражданин, достигший 18 лет.", "general", "", "requirement"),
    # knowledge, skills and qualities without a heading
    ("Умение работать с большим объемом информации.", "", "", "requirement"),
    ("Навыки работы в программе 1С: Бухгалтерия.", "", "", "requirement"),
]

#: Company memos and standards (corpora/registers/README.md decisions), in words of our own.
REGISTER_CASES = [
    # an instruction to the reader is a task
    ("Протирай прилавок после каждого покупателя.", "", "", "duty"),
    ("Ты встречаешь гостя у дверей и провожаешь к столику.", "", "", "duty"),
    ("Вы сверяете накладную с тем, что привёз водитель.", "", "", "duty"),
    # prohibitions are duties of conduct
    ("Нельзя оставлять тележки в проходе.", "", "", "duty"),
    ("Запрещается принимать оплату переводом на карту.", "", "", "duty"),
    ("приносить еду в зону сборки;", "", "Сборщику запрещается:", "duty"),
    # fines, deductions and dismissal are liability; «может быть уволен» is no right
    ("Выход на линию без формы — штраф 300 рублей.", "", "", "liability"),
    ("Разбитые бокалы удерживаются из заработной платы.", "", "", "liability"),
    ("Можешь быть уволен за кражу со склада.", "", "", "liability"),
    ("Тебя могут уволить за три прогула подряд.", "rights", "", "liability"),
    # rights in «ты»
    ("Можешь поменяться сменой с напарником.", "", "", "right"),
    ("Ты вправе не обслуживать посетителя в нетрезвом виде.", "", "", "right"),
    # the document itself is other, whatever it mentions
    ("Настоящий стандарт описывает права, обязанности и ответственность бариста.", "", "", "other"),
    ("Этот документ нужен, чтобы новичок быстрее освоился.", "", "", "other"),
]

RULE_CASES = [
    ("Охранник подчиняется начальнику смены.", "", "", "other", "own_other"),
    ("Водитель назначается на должность и освобождается от нее приказом директора.", "", "", "other", "own_other"),
    ("На должность водителя назначается лицо, имеющее водительское удостоверение категории D.", "", "",
     "requirement", "own_requirement"),
    ("В период отсутствия кассира его обязанности исполняет старший кассир, который несет ответственность за "
     "их надлежащее исполнение.", "general", "", "other", "own_procedure"),
    ("Настоящая инструкция определяет функции, права и ответственность охранника.", "", "", "other",
     "own_procedure"),
    ("Инженер-программист относится к категории специалистов.", "", "", "other", "own_other"),
    ("Режим работы устанавливается правилами внутреннего трудового распорядка.", "", "", "other",
     "own_condition"),
    ("Учитель вправе выбирать методики обучения.", "", "", "right", "own_right"),
    ("Может вносить предложения по улучшению работы склада.", "", "", "right", "may_do"),
    ("Медсестра обязана соблюдать правила асептики.", "", "", "duty", "own_duty"),
    ("Ведет журнал учета рабочего времени.", "", "", "duty", "finite_verb"),
    ("Менеджер по закупкам осуществляет поиск поставщиков.", "", "", "duty", "finite_verb"),
    ("Получает от бухгалтерии сведения о расчетах.", "relations", "", "other", "verb_in_relations"),
    ("получать информацию от подразделений;", "", "Специалист имеет право:", "right", "lead_in_cue"),
    ("своевременность подготовки отчетов;", "", "Экономист несет ответственность за:", "liability",
     "lead_in_cue"),
    ("ведение кассовой книги;", "", "Кассир выполняет следующие обязанности:", "duty", "lead_in_cue"),
    ("методическими рекомендациями министерства;", "", "", "other", "instrumental_list"),
    ("Разглашение сведений, составляющих коммерческую тайну.", "", "", "liability", "np_liability"),
    ("сохранность вверенного имущества;", "liability", "", "liability", "section_prior"),
    ("Подписывать документы в пределах своей компетенции.", "", "", "right", "infinitive"),
    ("Вести учет поступающих материалов.", "duties", "", "duty", "section_prior"),
    ("Технологию производства хлебобулочных изделий.", "", "", "requirement", "accusative_topic"),
    ("Основы гражданского законодательства.", "", "", "requirement", "np_requirement"),
    ("Мониторинг цен конкурентов.", "", "", "duty", "np_duty"),
    ("Подключение новых абонентов.", "", "", "duty", "nominalised_task"),
    ("Сверяй остатки в конце смены.", "", "", "duty", "addresses_reader"),
    ("Покупатель может обменять товар без чека.", "rights", "", "other", "own_party"),
]


@pytest.mark.parametrize(("text", "section", "lead_in", "label"), HARD_CASES)
def test_hard_cases_of_the_guide(text, section, lead_in, label):
    assert decide(text, section, lead_in).label == label


@pytest.mark.parametrize(("text", "section", "lead_in", "label"), REGISTER_CASES)
def test_registers_of_company_memos(text, section, lead_in, label):
    assert decide(text, section, lead_in).label == label


@pytest.mark.parametrize(("text", "section", "lead_in", "label", "rule"), RULE_CASES)
def test_each_rule_fires_where_meant(text, section, lead_in, label, rule):
    found = decide(text, section, lead_in, debug=True)
    assert (found.label, found.rule) == (label, rule), found.trace


def test_every_rule_has_a_case():
    covered = {case[-1] for case in RULE_CASES} | {"za_noun", "own_liability", "own_condition",
                                                   "bare_noun_phrase", "fallback"}
    assert {name for name, _ in RULES} <= covered


def test_debug_trace_names_the_rules_tried():
    found = decide("Ведет журнал учета.", debug=True)
    assert found.trace[-1].startswith("finite_verb: duty")
    assert found.trace[0].startswith("own_procedure: -")


ALL_CUES = [cue for group in cues.load().values() for cue in group]


@pytest.mark.parametrize("cue", ALL_CUES, ids=lambda c: f"{c.line}:{c.group}:{c.text}")
def test_every_cue_matches_its_own_example(cue):
    assert cue.example and cues.matches(cue, analyse(cue.example).lemmas), cue


def test_no_cue_example_is_a_training_row():
    """A cue whose example is in the training set proves nothing about the cue."""
    import json
    from pathlib import Path

    from evaluation.clauses import normalise

    rows = set()
    for path in (Path(__file__).resolve().parent.parent / "corpora" / "training").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows |= {normalise(row["text"]), normalise(row.get("lead_in", "")), normalise(row.get("section_title", ""))}
    assert [f"{c.line}: {c.example}" for c in ALL_CUES if normalise(c.example) in rows] == []


def test_cue_groups_the_rules_consult_exist():
    assert {"own.procedure", "own.liability", "own.right", "own.duty", "lead.requirement", "np.duty",
            "title.liability"} <= set(cues.load())


def test_predict_fills_label_confidence_and_reason():
    clause = Clause(source="x.txt", instruction=1, number="3.1", text="Вправе запрашивать документы.", start=0,
                    stop=29, section_type="duties")
    (out,) = load("rules").predict([clause])
    assert out.label == "right"
    assert 0.5 < out.confidence <= 1.0
    assert "own_right" in out.reason and "disagreed" in out.reason
    assert out.text == clause.text and out.number == "3.1"


def test_command_line_prints_the_trace(capsys):
    from pipeline.classify.rules import main

    assert main(["Может выезжать в служебные командировки.", "--section", "rights"]) == 0
    out = capsys.readouterr().out
    assert "own_condition: other" in out and "=> other" in out and "disagreed" in out
