"""The scorer of FORMAT.md on small hand-written gold sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from sklearn.metrics import f1_score

from evaluation.clauses import (
    cluster_pair_counts,
    evaluate,
    evaluate_clusters,
    load_gold,
    load_predictions,
    macro_f1,
    match,
    normalise,
    source_stem,
)

# The shared dev set lives next to the checkout (../shared/eval/dev), as in CI.
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"

# 100 characters once normalised, so k replaced characters give a similarity of exactly 1 - k/100.
BASE = ("бухгалтер ведет учет основных средств и товарно материальных ценностей "
        "и сдает все его отчеты в срок")
assert len(normalise(BASE)) == 100


def damaged(k: int) -> str:
    """BASE with k letters replaced by a digit that BASE never holds."""
    chars = list(BASE)
    letters = [i for i, ch in enumerate(chars) if ch.isalpha()]
    for i in letters[:: len(letters) // k][:k]:
        chars[i] = "7"
    return "".join(chars)


def inst(index: int, position: str, alt: tuple[str, ...] = ()) -> dict:
    record = {"type": "instruction", "instruction": index, "title": "", "position": position}
    if alt:
        record["position_alt"] = list(alt)
    return record


def gc(text: str, label: str = "duty", instruction: int = 1, optional: bool = False) -> dict:
    record = {"type": "clause", "instruction": instruction, "number": "", "text": text, "label": label}
    if optional:
        record["optional"] = True
    return record


def pc(text: str, label: str = "duty", instruction: int = 1, position: str = "бухгалтер",
       source: str = "doc.txt") -> dict:
    return {"source": source, "instruction": instruction, "position": position, "number": "",
            "text": text, "label": label}


def write_gold(folder: Path, documents: dict[str, list[dict]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, records in documents.items():
        lines = (json.dumps(r, ensure_ascii=False) for r in records)
        (folder / f"{stem}.gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------------------------
# Normalisation and matching
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("Ведет учет.", "ведет учет"),
    ("2.1. Ведет учет;", "ведет учет"),
    ("2.1.Ведет учет", "ведет учет"),
    ("1.4.1 нормативными актами;", "нормативными актами"),
    ("3) Принимает документы:", "принимает документы"),
    ("а) принимать решения,", "принимать решения"),
    ("• основы законодательства;", "основы законодательства"),
    ("- основы законодательства", "основы законодательства"),
    ("– основы законодательства", "основы законодательства"),
    ("-основы законодательства", "основы законодательства"),
    ("1. - основы законодательства", "основы законодательства"),
    ("Ведёт учёт ЁМКОСТЕЙ", "ведет учет емкостей"),
    ("относится к   категории \t\n специалистов", "относится к категории специалистов"),
    ("Подчиняется директору . ;  ", "подчиняется директору"),
    ("а также ведет учет", "а также ведет учет"),  # the conjunction is not an item letter
    ("В 2024 году проходит аттестацию.", "в 2024 году проходит аттестацию"),
])
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("k, similarity, matched", [
    (0, 1.00, True),
    (9, 0.91, True),
    (10, 0.90, True),  # the threshold itself matches
    (11, 0.89, False),
])
def test_threshold(k, similarity, matched):
    variant = damaged(k) if k else BASE
    assert fuzz.ratio(normalise(BASE), normalise(variant)) / 100 == pytest.approx(similarity)
    assert bool(match([BASE], [variant])) is matched


def test_greedy_takes_the_most_similar_pair_first():
    # The prediction resembles both gold clauses; the closer one (0.97) wins over the earlier one (0.91).
    gold = [damaged(9), damaged(3)]
    assert match(gold, [BASE]) == [(1, 0, pytest.approx(0.97))]


def test_each_clause_is_matched_once():
    pairs = match(["ведет учет", "ведет учет"], ["ведет учет", "ведет учет", "ведет учет"])
    assert [(g, p) for g, p, _ in pairs] == [(0, 0), (1, 1)]


@pytest.mark.parametrize("source, stem", [
    ("07_buhgalter.docx", "07_buhgalter"),
    ("dir/sub/05_word.html", "05_word"),
    ("C:\\in\\a.b.txt", "a.b"),
    ("noext", "noext"),
])
def test_source_stem(source, stem):
    assert source_stem(source) == stem


# --------------------------------------------------------------------------------------------
# Documents and sets
# --------------------------------------------------------------------------------------------

A, B, C, D = ("Ведет учет кассовых операций.", "Составляет налоговую отчетность.",
              "Имеет право запрашивать документы.", "Несет ответственность за ущерб.")

DOCUMENT_CASES = {
    "exact": (
        [inst(1, "бухгалтер"), gc(A), gc(B), gc(C, "right")],
        [pc("1. " + A), pc(B), pc(C, "right")],
        {"segmentation_f1": 1.0, "classification_accuracy": 1.0, "labelled_f1": 1.0, "position_accuracy": 1.0},
    ),
    "near match with a number and bullet": (
        [inst(1, "бухгалтер"), gc(A)],
        [pc("2.1. " + A.replace("кассовых", "касовых"))],
        {"segmentation_precision": 1.0, "segmentation_recall": 1.0},
    ),
    "missed and spurious": (
        [inst(1, "бухгалтер"), gc(A), gc(B)],
        [pc(A), pc("Совершенно другой текст о погоде.")],
        {"segmentation_precision": 0.5, "segmentation_recall": 0.5, "segmentation_f1": 0.5},
    ),
    "wrong label": (
        [inst(1, "бухгалтер"), gc(A), gc(C, "right")],
        [pc(A), pc(C, "duty")],
        {"segmentation_f1": 1.0, "classification_accuracy": 0.5, "labelled_precision": 0.5,
         "labelled_recall": 0.5, "labelled_f1": 0.5, "classification_macro_f1": pytest.approx(1 / 3)},
    ),
    "optional matched is not spurious": (
        [inst(1, "бухгалтер"), gc(A), gc(B, optional=True)],
        [pc(A), pc(B)],
        {"segmentation_precision": 1.0, "segmentation_recall": 1.0, "classification_accuracy": 1.0},
    ),
    "optional absent is not missed": (
        [inst(1, "бухгалтер"), gc(A), gc(B, optional=True)],
        [pc(A)],
        {"segmentation_precision": 1.0, "segmentation_recall": 1.0},
    ),
    "optional label is not scored": (
        [inst(1, "бухгалтер"), gc(A), gc(B, "other", optional=True)],
        [pc(A), pc(B, "duty")],
        {"classification_accuracy": 1.0, "labelled_f1": 1.0},
    ),
    "position with ё and capitals": (
        [inst(1, "счётовод"), gc(A)],
        [pc(A, position="Счетовод")],
        {"position_accuracy": 1.0},
    ),
    "position_alt accepted": (
        [inst(1, "производитель работ (прораб)", ("прораб",)), gc(A)],
        [pc(A, position="прораб")],
        {"position_accuracy": 1.0},
    ),
    "position wrong": (
        [inst(1, "главный бухгалтер"), gc(A)],
        [pc(A, position="бухгалтер")],
        {"position_accuracy": 0.0},
    ),
    "position without any matched clause is wrong": (
        [inst(1, "бухгалтер"), gc(A)],
        [pc("Совершенно другой текст о погоде.")],
        {"position_accuracy": 0.0},
    ),
    "instruction without a position is not scored": (
        [inst(1, ""), gc(A)],
        [pc(A, position="")],
        {"position_accuracy": None, "segmentation_f1": 1.0},
    ),
    "position of the instruction that got most clauses": (
        [inst(1, "повар"), gc(A), gc(B), gc(C, "right"), inst(2, "кассир"), gc(D, "liability", 2)],
        # Two of instruction 1's three clauses went to predicted instruction 2 ("повар"), one to 1 ("кассир").
        [pc(A, instruction=1, position="кассир"), pc(B, instruction=2, position="повар"),
         pc(C, "right", instruction=2, position="повар"), pc(D, "liability", instruction=3, position="кассир")],
        {"position_accuracy": 1.0, "segmentation_f1": 1.0},
    ),
}


@pytest.mark.parametrize("gold, predicted, expected", DOCUMENT_CASES.values(), ids=DOCUMENT_CASES.keys())
def test_document_figures(tmp_path, gold, predicted, expected):
    report = evaluate(write_gold(tmp_path / "set", {"doc": gold}), predicted)
    figures = report.figures()
    for name, value in expected.items():
        assert figures[name] == value, name


def test_optional_narrative_item_without_an_instruction(tmp_path):
    narrative = gc(B, optional=True) | {"instruction": None}
    folder = write_gold(tmp_path / "set", {"doc": [inst(1, "бухгалтер"), gc(A), narrative]})
    assert load_gold(folder)["doc"].clauses[1].instruction == 0
    figures = evaluate(folder, [pc(A), pc(B, instruction=2, position="")]).figures()
    assert (figures["segmentation_precision"], figures["position_accuracy"]) == (1.0, 1.0)


def test_set_is_micro_averaged_and_routes_by_stem(tmp_path):
    folder = write_gold(tmp_path / "set", {
        "01_a": [inst(1, "бухгалтер"), gc(A), gc(B), gc(C, "right")],
        "02_b": [inst(1, "кассир"), gc(D, "liability")],
        "03_missing": [inst(1, "повар"), gc(A), gc(B)],
    })
    predictions = [
        pc(A, source="01_a.docx"), pc(B, source="01_a.docx"), pc(C, "right", source="01_a.docx"),
        pc(D, "liability", source="02_b.html", position="кассир"),
        pc(A, source="99_no_gold.txt"),  # no gold file: ignored
    ]
    report = evaluate(folder, predictions)
    total = report.total
    assert (total.gold, total.predicted, total.matched) == (6, 4, 4)
    figures = report.figures()
    assert figures["segmentation_precision"] == 1.0
    assert figures["segmentation_recall"] == pytest.approx(4 / 6)  # micro, not the mean 0.667 of 1, 1, 0
    assert figures["position_accuracy"] == pytest.approx(2 / 3)
    missing = {d.name: d for d in report.documents}["03_missing"]
    assert (missing.predicted, missing.matched, missing.gold) == (0, 0, 2)


def test_two_sources_with_one_stem_are_scored_together_with_a_warning(tmp_path):
    folder = write_gold(tmp_path / "set", {"01_a": [inst(1, "бухгалтер"), gc(A)]})
    report = evaluate(folder, [pc(A, source="01_a.docx"), pc(A, source="01_a.txt")])
    assert report.figures()["segmentation_precision"] == 0.5
    assert report.warnings == ["01_a: predictions from 2 files (01_a.docx, 01_a.txt) are scored together "
                               "against one gold file"]
    assert "warning: 01_a" in report.table()


def test_table_and_dict(tmp_path):
    folder = write_gold(tmp_path / "dev", {"01_a": [inst(1, "бухгалтер"), gc(A), gc(C, "right")]})
    report = evaluate(folder, [pc(A, source="01_a.txt"), pc(C, "duty", source="01_a.txt")])
    table = report.table()
    rows = {line[:26].strip(): line[26:].split() for line in table.splitlines()[2:11]}
    assert rows["segmentation F1"] == ["1.000"]
    assert rows["classification accuracy"] == ["0.500", "1/2"]
    assert rows["position accuracy"] == ["1.000", "1/1"]
    assert "01_a" not in table
    per_document = report.table(per_document=True)
    assert any(line.startswith("01_a ") and "1.000" in line for line in per_document.splitlines())
    data = json.loads(json.dumps(report.to_dict()))
    assert data["set"] == "dev" and data["warnings"] == []
    assert data["figures"]["classification_accuracy"] == 0.5
    assert data["documents"][0]["counts"]["matched"] == 2


# --------------------------------------------------------------------------------------------
# Macro-F1
# --------------------------------------------------------------------------------------------

MACRO_CASES = {
    "all correct": [("duty", "duty"), ("right", "right")],
    "label absent from gold and predictions": [("duty", "duty"), ("duty", "right"), ("liability", "liability")],
    "label only predicted": [("duty", "other"), ("duty", "duty")],
    "label only in gold": [("requirement", "duty"), ("duty", "duty")],
    "all five": [("duty", "duty"), ("right", "right"), ("liability", "duty"), ("requirement", "requirement"),
                 ("other", "right")],
}


@pytest.mark.parametrize("pairs", MACRO_CASES.values(), ids=MACRO_CASES.keys())
def test_macro_f1_agrees_with_scikit_learn(pairs):
    gold, predicted = zip(*pairs, strict=True)
    expected = f1_score(gold, predicted, average="macro", zero_division=0)
    assert macro_f1(pairs)[0] == pytest.approx(expected)


def test_macro_f1_leaves_out_absent_labels():
    value, per_label = macro_f1([("duty", "duty"), ("right", "right")])
    assert value == 1.0
    assert set(per_label) == {"duty", "right"}


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line, message", [
    ('{"type": "clause", "instruction": 1, "text": "Ведет учет.", "label": "obligation"}', "label"),
    ('{"type": "heading", "text": "Права"}', "type"),
    ("not json", "not JSON"),
])
def test_bad_gold_line_names_file_and_line(tmp_path, line, message):
    (tmp_path / "x.gold.jsonl").write_text(json.dumps(inst(1, "кассир")) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"x\.gold\.jsonl:2: .*{message}"):
        load_gold(tmp_path)


def test_load_predictions(tmp_path):
    path = tmp_path / "clauses.jsonl"
    path.write_text(json.dumps(pc(A), ensure_ascii=False) + "\n\n" + json.dumps(pc(B), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert [r["text"] for r in load_predictions(path)] == [A, B]
    path.write_text('{"text": "без источника"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="source"):
        load_predictions(path)


# --------------------------------------------------------------------------------------------
# Catalogue clusters
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("items, counts", [
    ([("duty", "a", "x"), ("duty", "a", "x")], (1, 0, 0)),
    ([("duty", "a", "x"), ("duty", "a", "y")], (0, 0, 1)),
    ([("duty", "a", "x"), ("duty", "b", "x")], (0, 1, 0)),
    ([("duty", "a", "x"), ("right", "a", "x")], (0, 0, 0)),  # different gold labels: not a pair
    ([("duty", "a", ""), ("duty", "a", "")], (0, 0, 1)),  # no canonical id shares nothing
    ([("duty", "a", "x"), ("duty", "a", "x"), ("duty", "a", "x"), ("duty", "b", "x")], (3, 3, 0)),
])
def test_cluster_pair_counts(items, counts):
    assert cluster_pair_counts(items) == counts


def test_evaluate_clusters(tmp_path):
    rows = [
        {"source": "07_a.docx", "text": "За причинение материального ущерба.", "label": "liability", "cluster": "damage"},
        {"source": "08_b.docx", "text": "За причинение ущерба имуществу.", "label": "liability", "cluster": "damage"},
        {"source": "08_b.docx", "text": "За нарушение трудовой дисциплины.", "label": "liability", "cluster": "discipline"},
        {"source": "09_c.docx", "text": "Ведет учет кассы.", "label": "duty", "cluster": "cash"},
    ]
    (tmp_path / "catalogue.clusters.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    predictions = [
        {"source": "07_a.docx", "text": "3.1. За причинение материального ущерба;", "canonical_id": "c1"},
        {"source": "08_b.docx", "text": "За причинение ущерба имуществу", "canonical_id": "c1"},
        {"source": "08_b.docx", "text": "За нарушение трудовой дисциплины", "canonical_id": "c1"},
    ]
    report = evaluate_clusters(tmp_path, predictions)
    assert (report.gold, report.matched) == (4, 3)
    assert (report.true_positives, report.false_positives, report.false_negatives) == (1, 2, 0)
    assert report.figures()["pair_precision"] == pytest.approx(1 / 3)
    assert report.figures()["pair_recall"] == 1.0
    assert "pairwise F1                 0.500" in report.table()
    assert report.to_dict()["files"] == ["catalogue.clusters.jsonl"]


def test_no_cluster_files(tmp_path):
    report = evaluate_clusters(tmp_path, [pc(A)])
    assert report.files == [] and report.figures()["pair_f1"] is None


# --------------------------------------------------------------------------------------------
# The dev set scored against itself
# --------------------------------------------------------------------------------------------


def gold_as_predictions(folder: Path) -> list[dict]:
    records = []
    for stem, doc in load_gold(folder).items():
        positions = {i.index: i.position for i in doc.instructions}
        records += [
            {"source": f"{stem}.txt", "instruction": c.instruction, "position": positions.get(c.instruction, ""),
             "number": c.number, "text": c.text, "label": c.label}
            for c in doc.clauses
        ]
    return records


@pytest.mark.skipif(not DEV.is_dir(), reason="the shared dev set is not next to this checkout")
def test_dev_gold_against_itself_scores_one():
    report = evaluate(DEV, gold_as_predictions(DEV))
    assert len(report.documents) >= 10
    figures = report.figures()
    assert figures == dict.fromkeys(figures, 1.0)
    for doc in report.documents:
        assert doc.figures()["segmentation_f1"] == 1.0, doc.name
