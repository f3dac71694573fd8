"""One instruction against a real DuckDB catalogue: common / rare / unique clauses and what its peers have."""

from pathlib import Path

import pytest
from sample_store import SAMPLES, build_sample_store

from pipeline import classify
from pipeline.catalogue.store import Store
from pipeline.compare import compare, compare_file, format_text, head_noun
from pipeline.records import Clause, Instruction

COMMON = "Ведет учет кассовых операций."
KASSA = "Ведет кассовую книгу."
INKASSACIA = "Сдает выручку инкассатору в конце смены."
TALON = "Выдает покупателям талоны на скидку."


def document(name, position, texts):
    meta = {"path": f"in/{name}", "sha256": f"sha-{name}", "format": "txt", "reader": "text", "encoding": "utf-8"}
    instruction = Instruction(source=name, index=1, title="Должностная инструкция", position=position,
                              start=0, stop=1000)
    clauses = [Clause(source=name, instruction=1, number=f"2.{i + 1}", text=t, start=10 * i, stop=10 * i + 9,
                      label="duty") for i, t in enumerate(texts)]
    return meta, [instruction], clauses


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("compare") / "catalogue.duckdb"
    with Store(db) as s:
        s.import_documents([
            document("k1.txt", "кассир", [COMMON, KASSA, INKASSACIA]),
            document("k2.txt", "кассир", [COMMON, KASSA, INKASSACIA]),
            document("k3.txt", "старший кассир", [COMMON, KASSA]),
            document("b1.txt", "бухгалтер", [COMMON, "Составляет бухгалтерскую отчетность."]),
            document("b2.txt", "бухгалтер", [COMMON]),
        ])
    with Store(db) as s:
        yield s


def clauses_of(texts, name="new.txt"):
    return [Clause(source=name, instruction=1, number=str(i + 1), text=t, start=0, stop=1, label="duty")
            for i, t in enumerate(texts)]


@pytest.mark.parametrize("text, kind, instructions", [
    (COMMON, "common", 5),           # in every other instruction
    (INKASSACIA, "common", 2),       # in 2 of 5: above COMMON_SHARE
    (TALON, "unique", 0),            # nowhere else
])
def test_clause_kinds(store, text, kind, instructions):
    result = compare(clauses_of([text]), store, "кассир")
    use = result.clauses[0]
    assert (use.kind, use.instructions) == (kind, instructions)
    assert result.others == 5


def test_rare_below_common_share(store):
    import pipeline.compare as module

    result = compare(clauses_of(["Составляет бухгалтерскую отчетность."]), store, "кассир")
    assert result.clauses[0].instructions == 1
    assert result.clauses[0].share < module.COMMON_SHARE
    assert result.clauses[0].kind == "rare"


@pytest.mark.parametrize("position, basis, peers, missing", [
    ("кассир", "same position", 2, {KASSA, INKASSACIA}),
    ("главный кассир", "similar positions", 3, {KASSA, INKASSACIA}),  # head noun кассир
    ("дворник", "all instructions", 5, {KASSA}),  # in 3 of 5; INKASSACIA in 2 of 5
])
def test_missing_from_peers(store, position, basis, peers, missing):
    result = compare(clauses_of([COMMON, TALON]), store, position)
    assert (result.basis, result.peers) == (basis, peers)
    assert {m.text for m in result.missing} == missing
    assert all(m.share >= 0.5 for m in result.missing)
    assert COMMON not in {m.text for m in result.missing}  # it has it


def test_an_instruction_already_stored_is_not_its_own_peer(store):
    result = compare(clauses_of([COMMON, KASSA, INKASSACIA], name="k1.txt"), store, "кассир")
    assert result.others == 4
    assert result.peers == 1  # k2 only
    assert result.missing == ()


def test_format_text(store):
    text = format_text(compare(clauses_of([COMMON, TALON]), store, "кассир"))
    assert "1 common, 0 rare, 1 unique" in text
    assert "UNIQUE (1)" in text and TALON in text
    assert "2/2" in text and KASSA in text


@pytest.mark.parametrize("position, head", [
    ("главный бухгалтер", "бухгалтер"),
    ("менеджер по закупкам", "менеджер"),
    ("старший кассир", "кассир"),
    ("старший смены", "старший"),
    ("заведующий складом", "заведующий"),
    ("", ""),
])
def test_head_noun(position, head):
    assert head_noun(position) == head


def test_sample_file_against_the_other_samples(tmp_path):
    db = build_sample_store(tmp_path / "c.duckdb", exclude=("12_menedzher-po-zakupkam_word-tabs.txt",))
    with Store(db) as store:
        results = compare_file(SAMPLES / "12_menedzher-po-zakupkam_word-tabs.txt", store, classify.load("auto"))
        stored = store.n_instructions()
    assert len(results) == 1
    result = results[0]
    assert result.position == "менеджер по закупкам"
    assert result.others == stored
    assert result.basis == "similar positions"  # the seed page's менеджер по продажам
    assert sum(result.counts().values()) == len(result.clauses) > 30
    assert result.counts()["rare"] + result.counts()["common"] >= 1  # shares at least one clause


def test_unreadable_file_raises(tmp_path, store):
    bad = Path(tmp_path / "empty.txt")
    bad.write_text("", encoding="utf-8")
    with pytest.raises(ValueError):
        compare_file(bad, store, classify.load("rules"))
