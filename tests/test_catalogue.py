"""The catalogue: merge decisions, ids, canonical choice, statistics, and the dedup gold."""

import random

import pytest

from pipeline.catalogue import build, explain
from pipeline.catalogue.gold import disagreements, score
from pipeline.catalogue.stats import catalogue_frame, clause_frame, positions_frame, variants_frame
from pipeline.records import Clause

MERGE = [
    # (label, a, b, rule)
    ("duty", "Ведет учет кассовых операций", "Учет кассовых операций ведет", "same-words"),
    ("duty", "Соблюдает законодательство РФ", "Соблюдает законодательство Российской Федерации", "same-words"),
    ("liability", "За нарушение, в пределах, определенных действующим трудовым законодательством",
     "За нарушение, в пределах, определенных трудовым законодательством", "same-words"),
    ("duty", "Ведет учет кассовых операций", "Ведет учет кассовых операций организации", "qualifier"),
    ("right", "Принимать решения в пределах своей компетенции",
     "Самостоятельно принимать решения в пределах компетенции", "qualifier"),
    ("other", "Назначение на должность и освобождение от нее производится приказом руководителя организации",
     "Назначается на должность и освобождается от нее приказом руководителя организации", "qualifier"),
    ("right", "Имеет право подписывать документы в пределах компетенции",
     "подписывать документы в пределах компетенции", "same-words"),
    ("liability", "Несет ответственность за причинение материального ущерба",
     "За причинение материального ущерба", "same-words"),
    ("duty", "Обязан соблюдать правила внутреннего трудового распорядка",
     "Соблюдает правила внутреннего трудового распорядка", "same-words"),
    # equivalences of pipeline/data/clause_synonyms.tsv
    ("duty", "Принимает и контролирует первичную документацию", "Принимает и проверяет первичную документацию",
     "same-words"),
    ("duty", "Ведет клиентскую базу", "ведет базу клиентов", "same-words"),
    ("duty", "Не разглашает сведения, составляющие коммерческую тайну организации",
     "Сохраняет конфиденциальность сведений, составляющих коммерческую тайну", "qualifier"),
    ("right", "Запрашивать и получать от структурных подразделений информацию и документы",
     "Запрашивать лично от структурных подразделений информацию и документы", "same-words"),
    ("other", "Назначается на должность и освобождается от нее приказом руководителя организации",
     "Назначается на должность и освобождается от должности приказом директора организации", "same-words"),
]

APART = [
    # (label, a, b, rule): near-misses that must stay apart
    ("duty", "Допускает посторонних лиц в помещение склада", "Не допускает посторонних лиц в помещение склада",
     "decisive"),
    ("duty", "Имеет право подписывать первичные документы", "Обязан подписывать первичные документы", "decisive"),
    ("requirement", "Стаж работы не менее 3 лет", "Стаж работы не менее 5 лет", "decisive"),
    ("requirement", "Высшее профессиональное образование", "Среднее профессиональное образование", "decisive"),
    ("duty", "Ежемесячно составляет отчет о движении товаров", "Ежеквартально составляет отчет о движении товаров",
     "decisive"),
    ("duty", "Составляет и представляет отчетность в налоговые органы",
     "Составляет и представляет отчетность в органы статистики", "different"),
    ("duty", "Ведет учет поступления денежных средств на расчетные счета организации в банках",
     "Ведет учет списания денежных средств с расчетных счетов организации в банках", "different"),
    ("duty", "Подготавливает проекты договоров с поставщиками товаров, работ и услуг, согласовывает их с "
     "юридическим отделом и передает на подпись руководителю организации",
     "Подготавливает проекты договоров с покупателями товаров, работ и услуг, согласовывает их с "
     "юридическим отделом и передает на подпись руководителю организации", "different"),
    ("duty", "Ведет учет", "Ведет учет кадров", "addition"),  # too short for a qualifier
    # a repeated word counts: reporting to two people is not reporting to one
    ("other", "Подчиняется директору и заместителю директора по кадрам", "Подчиняется заместителю директора по кадрам",
     "addition"),
    ("requirement", "правила и нормы охраны труда", "правила и нормы охраны труда и пожарной безопасности",
     "addition"),
    # near-misses of the equivalences: the entry must not carry the difference away
    ("duty", "Не разглашает сведения, составляющие коммерческую тайну организации",
     "Разглашает сведения, составляющие коммерческую тайну организации", "different"),
    ("right", "Получать от структурных подразделений информацию", "Не получать от структурных подразделений информацию",
     "decisive"),
    ("duty", "Ведет клиентскую базу", "Ведет базу поставщиков", "different"),
    ("duty", "Проверяет исполнение приказов руководителя", "Организует исполнение приказов руководителя",
     "different"),
    ("right", "Запрашивать информацию у структурных подразделений",
     "Предоставлять информацию структурным подразделениям", "different"),
    ("duty", "Выполняет поручения непосредственного руководителя", "Выполняет поручения руководителя организации",
     "different"),
    # another person is never a qualifier (pipeline/data/clause_persons.txt)
    ("other", "Подчиняется руководителю организации", "Подчиняется заместителю руководителя организации", "addition"),
    ("other", "Назначается на должность приказом директора организации",
     "Назначается на должность приказом заместителя директора организации", "addition"),
]


@pytest.mark.parametrize("label, a, b, rule", MERGE)
def test_merge(label, a, b, rule):
    verdict = explain(a, b, label)
    assert verdict.merge, verdict
    assert verdict.rule == rule


@pytest.mark.parametrize("label, a, b, rule", APART)
def test_apart(label, a, b, rule):
    verdict = explain(a, b, label)
    assert not verdict.merge, verdict
    assert verdict.rule == rule


def test_verdict_names_the_equivalences_it_used():
    verdict = explain("Принимает и контролирует первичную документацию", "Принимает и проверяет первичную документацию",
                      "duty")
    assert "проверять=контролировать" in verdict.detail
    assert "via" not in explain("Ведет учет кассовых операций", "Ведет учет кассовых операций организации",
                                "duty").detail


def clause(source, text, label="duty", number=""):
    return Clause(source=source, instruction=1, number=number, text=text, start=0, stop=len(text), label=label)


CORPUS = [
    clause("a.txt", "Бухгалтер ведет учет кассовых операций.", number="2.1"),
    clause("b.txt", "Кассир ведет учет кассовых операций.", number="2.1"),
    clause("c.txt", "Ведёт учёт кассовых операций организации;", number="2.4"),
    clause("a.txt", "Соблюдает правила внутреннего трудового распорядка.", number="2.2"),
    clause("b.txt", "Не допускает посторонних лиц в кассу.", number="2.2"),
    clause("c.txt", "Принимать решения в пределах своей компетенции.", "right", "3.1"),
    clause("a.txt", "Ведет учет кассовых операций.", "right", "3.2"),  # another label: never merged across
]
POSITIONS = {("a.txt", 1): "бухгалтер", ("b.txt", 1): "кассир", ("c.txt", 1): "экономист"}


def test_build_assigns_every_clause():
    built, catalogue = build(CORPUS, POSITIONS)
    assert all(c.canonical_id for c in built)
    ids = [c.canonical_id for c in built]
    assert ids[0] == ids[1] == ids[2]
    assert len(set(ids)) == 5
    assert ids[6] != ids[0]
    assert [dataclass_without_id(c) for c in built] == [dataclass_without_id(c) for c in CORPUS]
    assert {e.label for e in catalogue.entries.values()} == {"duty", "right"}


def dataclass_without_id(c):
    return c.to_dict() | {"canonical_id": ""}


def test_ids_do_not_depend_on_order():
    first, _ = build(CORPUS, POSITIONS)
    shuffled = CORPUS[:]
    random.Random(7).shuffle(shuffled)
    second, _ = build(shuffled, POSITIONS)
    assert {c.text: c.canonical_id for c in first} == {c.text: c.canonical_id for c in second}


def test_new_variant_joins_existing_canonical():
    first, catalogue = build(CORPUS[:3], POSITIONS)
    new = [clause("d.txt", "Учет кассовых операций предприятия ведет.", number="2.9")]
    second, grown = build(new, {("d.txt", 1): "кассир"}, catalogue)
    assert second[0].canonical_id == first[0].canonical_id
    assert len(grown) == len(catalogue)
    assert len(catalogue.variants) == 2  # the existing catalogue is not modified
    assert len(grown.variants) == 3


def test_existing_ids_win_over_a_rebuild():
    _, catalogue = build(CORPUS, POSITIONS)
    # the same clause keeps its id even when a heavier variant would now anchor the cluster
    more = CORPUS + [clause(f"x{i}.txt", "Ведет учет кассовых операций организации.") for i in range(5)]
    again, _ = build(more, POSITIONS, catalogue)
    first, _ = build(CORPUS, POSITIONS)
    assert [c.canonical_id for c in again[: len(CORPUS)]] == [c.canonical_id for c in first]


def frame():
    built, _ = build(CORPUS + [clause("d.txt", "Ведет учет кассовых операций.", number="5")],
                     POSITIONS | {("d.txt", 1): "кассир"})
    return clause_frame(built, POSITIONS | {("d.txt", 1): "кассир"}), built


def test_catalogue_statistics():
    df, built = frame()
    table = catalogue_frame(df, n_instructions=4)
    row = table[table["canonical_id"] == built[0].canonical_id].iloc[0]
    assert row["label"] == "duty"
    assert row["occurrences"] == 4
    assert row["documents"] == 4
    assert row["instructions"] == 4
    assert row["positions"] == 3  # бухгалтер, кассир, экономист
    assert row["share_of_instructions"] == 1.0
    # `[должность] ведет учет кассовых операций` twice, `ведет учет кассовых операций` and `... организации`
    assert row["variants"] == 3
    assert row["variant_list"][0].endswith("(2)")
    # the canonical text is a real wording of the most frequent variant
    assert row["normalised"] == "[должность] ведет учет кассовых операций"
    assert row["text"] in {c.text for c in CORPUS}
    assert any(e.startswith("a.txt #1 2.1: ") for e in row["examples"])
    assert row["position_list"][0] == "кассир (2)"


def test_variants_and_positions():
    df, built = frame()
    variants = variants_frame(df)
    mine = variants[variants["canonical_id"] == built[0].canonical_id]
    assert mine["count"].sum() == 4
    assert mine["is_canonical"].sum() == 1
    ranked = positions_frame(df)
    cashier = ranked[ranked["position"] == "кассир"]
    assert list(cashier["rank"]) == list(range(1, len(cashier) + 1))
    assert cashier.iloc[0]["canonical_id"] == built[0].canonical_id


def test_dedup_gold():
    report = score()
    figures = report.figures()
    assert report.matched == report.gold >= 150
    # Goal of the issue: precision >= 0.97, F1 >= 0.95. Measured: precision 1.000, recall 0.992, F1 0.996;
    # the pair missed is an elaboration (`в том числе местного значения`), see disagreements().
    assert figures["pair_precision"] >= 0.97
    assert figures["pair_f1"] >= 0.95
    assert not [d for d in disagreements() if d[0] == "FP"]


def test_empty_and_unlabelled():
    built, catalogue = build([], {})
    assert built == [] and len(catalogue) == 0
    unlabelled = [clause("a.txt", "Ведет учет", label=""), clause("b.txt", "ведёт учёт;", label="")]
    built, catalogue = build(unlabelled, {})
    assert built[0].canonical_id == built[1].canonical_id != ""
    assert built[0].canonical_id.startswith("non-")
    assert catalogue_frame(clause_frame([], {})).empty
