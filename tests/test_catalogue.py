"""The catalogue: merge decisions, ids, canonical choice, statistics, and the dedup gold."""

import random
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.catalogue import disagreements, load_records, merges, score
from pipeline.catalogue import Catalogue, build, candidates, explain
from pipeline.catalogue.build import assign, label_items, units, verified_pairs
from pipeline.catalogue.candidates import BANDS, BUCKET_CAP, band_key_matrix, band_keys, eligible
from pipeline.catalogue.stats import catalogue_frame, clause_frame, positions_frame, variants_frame
from pipeline.catalogue.variants import judge
from pipeline.normalise import normalise
from pipeline.records import Clause

ROOT = Path(__file__).resolve().parent.parent

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
    assert {p.label for p in catalogue.provisions.values()} == {"duty", "right"}
    assert all(v.provision in catalogue.provisions for v in catalogue.variants.values())


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
    assert len(catalogue.keys) == 2  # the existing catalogue is not modified
    assert len(grown.keys) == 3


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


def test_every_merge_of_the_gold_is_explained_by_a_merging_rule():
    rows = merges()
    assert len(rows) > 30
    assert {row[3].split()[0] for row in rows} <= {"same-words", "qualifier", "reworded"}
    assert any("(via проверять=контролировать)" in row[3] for row in rows)


def test_empty_and_unlabelled():
    built, catalogue = build([], {})
    assert built == [] and len(catalogue) == 0
    unlabelled = [clause("a.txt", "Ведет учет", label=""), clause("b.txt", "ведёт учёт;", label="")]
    built, catalogue = build(unlabelled, {})
    assert built[0].canonical_id == built[1].canonical_id != ""
    assert built[0].canonical_id.startswith("non-")
    assert catalogue_frame(clause_frame([], {})).empty


# --- candidates and the shared steps of the single-process and Dask builds ------------------------------

WORDS = ["вести", "учет", "кассовый", "операция", "организация", "контролировать", "документ", "банк", "счет",
         "договор", "поставщик", "покупатель"]


def test_band_keys_are_the_same_in_another_process():
    # The Dask build groups on these keys in other processes, where str hashes are salted differently.
    import subprocess
    import sys

    words, signature = frozenset(WORDS[:5]), frozenset({"не"})
    mine = band_keys(words, "duty", signature)
    code = ("from pipeline.catalogue.candidates import band_keys; "
            f"print(list(band_keys(frozenset({sorted(words)!r}), 'duty', frozenset({sorted(signature)!r}))))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345", "PATH": ""}, cwd=ROOT)
    assert list(mine) == eval(other.stdout)
    assert len(mine) == BANDS[0] and all(isinstance(k, int) for k in mine)


def test_band_keys_of_many_clauses_at_once_are_those_of_each():
    profiles = [(frozenset(WORDS[i: i + 4]), frozenset({"не"} if i % 2 else ())) for i in range(9)]
    profiles.insert(3, (frozenset(), frozenset()))  # no content words at all
    matrix = band_key_matrix(profiles, "duty")
    assert [tuple(row) for row in matrix.tolist()] == [band_keys(w, "duty", s) for w, s in profiles]


def test_band_keys_keep_labels_and_decisive_words_apart():
    words = frozenset(WORDS[:4])
    keys = set(band_keys(words, "duty"))
    assert keys.isdisjoint(band_keys(words, "right"))
    assert keys.isdisjoint(band_keys(words, "duty", frozenset({"не"})))
    assert len(keys & set(band_keys(words | {"организация"}, "duty"))) >= 2  # a qualifier still meets


def test_a_crowded_band_key_keeps_the_first_items_only():
    crowded = [(7, 8)] * (BUCKET_CAP + 2)
    may = eligible(crowded + [(8,)])
    assert may[0] == may[BUCKET_CAP - 1] == frozenset({7, 8})
    assert may[BUCKET_CAP] == frozenset()
    assert may[-1] == frozenset()  # key 8 is crowded too


@settings(max_examples=300, deadline=None)
@given(st.sets(st.sampled_from(WORDS), max_size=8), st.sets(st.sampled_from(WORDS), max_size=8),
       st.sets(st.sampled_from(["не", "право"]), max_size=1))
def test_the_quick_rejection_never_changes_a_decision(a, b, signature):
    pa, pb = (frozenset(a), frozenset(signature)), (frozenset(b), frozenset(signature))
    assert judge(pa, pb, detailed=False).merge == judge(pa, pb).merge


@pytest.mark.parametrize("cap", [2, BUCKET_CAP])
def test_assign_with_pairs_verified_per_band_key_equals_assign_verifying_itself(cap, monkeypatch):
    # What the Dask build does, without Dask: group the units on their band keys, verify each group's
    # pairs, walk the units with the verified pairs. A cap of 2 crowds many keys of the gold.
    monkeypatch.setattr(candidates, "BUCKET_CAP", cap)
    records = load_records()
    clauses = [clause(r["source"], r["text"], r["label"]) for r in records]
    positions = {(r["source"], 1): r["position"] for r in records}
    _, expected = build(clauses, positions)
    counts: dict = defaultdict(lambda: defaultdict(int))
    lemmas_of = {}
    for c, r in zip(clauses, records, strict=True):
        norm = normalise(c.text, r["position"])
        counts[c.label][norm.key] += 1
        lemmas_of[norm.key] = norm.lemmas
    catalogue = Catalogue()
    crowded = 0
    for label in sorted(counts):
        items = label_items(label, units(label, counts[label], lemmas_of), catalogue)
        groups = defaultdict(list)
        for i, item in enumerate(items):
            for key in item.band_keys(label):
                groups[key].append((i, item.profile))
        crowded += sum(len(members) > cap for members in groups.values())
        verified = defaultdict(list)
        for members in groups.values():
            for earlier, later, jaccard in verified_pairs(label, members):
                if (earlier, jaccard) not in verified[later]:
                    verified[later].append((earlier, jaccard))
        assign(label, items, catalogue, verified=verified)
    assert {(v.id, v.anchor) for v in catalogue.variants.values()} == {(v.id, v.anchor)
                                                                       for v in expected.variants.values()}
    assert catalogue.keys == expected.keys
    assert crowded or cap == BUCKET_CAP


@pytest.mark.parametrize("words", [
    frozenset({"проверять"}),
    frozenset({"вести", "учет", "материальный", "ценность"}),
    frozenset({"обеспечивать", "сохранность", "документ", "архив", "организация", "пожарный", "безопасность"}),
    frozenset(),
])
def test_signatures_are_datasketch_minhashes(words):
    from datasketch import MinHash

    minhash = MinHash(num_perm=candidates.NUM_PERM, seed=1, scheme="affine32")
    minhash.update_batch([w.encode("utf-8") for w in sorted(words)])
    row = candidates.minhash_matrix([words])[0]
    assert row.tolist() == (minhash.hashvalues.tolist() if words else [0] * candidates.NUM_PERM)
