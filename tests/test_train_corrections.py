"""Corrections teach the model: the labels an analyst corrected in a catalogue become training rows
(``python -m evaluation.train --corrections DB``), and a model trained with them classifies the corrected
wording as the analyst said. Fast: a small model on a third of the training rows, in this process, never
the shipped pack."""

from __future__ import annotations

from pathlib import Path

from evaluation import train
from pipeline.classify import model
from pipeline.cli import main

INSTRUCTION = """Должностная инструкция кладовщика

1. Общие положения
1.1. Кладовщик подчиняется заведующему складом.
2. Должностные обязанности
2.1. Принимает товар на склад по накладным.
2.2. Пользуется служебной парковкой по пропуску.
2.3. Получает спецодежду за счет организации.
3. Права
3.1. Запрашивать у поставщиков недостающие документы.
"""
CORRECTED = ("Пользуется служебной парковкой по пропуску.", "Получает спецодежду за счет организации.")


def corrected_store(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kladovshchik.txt").write_text(INSTRUCTION, encoding="utf-8")
    db = tmp_path / "catalogue.duckdb"
    assert main(["import", str(docs), "--db", str(db), "--classifier", "rules", "-q"]) == 0
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("document,instruction,text,label\n" + "".join(
        f"kladovshchik.txt,1,{text},right\n" for text in CORRECTED), encoding="utf-8")
    assert main(["corrections", "apply", str(fixes), "--db", str(db)]) == 0
    return db


def test_corrected_labels_become_training_rows_and_teach_the_model(tmp_path):
    db = corrected_store(tmp_path)
    items, labels, groups, info = train.corrections_data(db)
    assert [item[0] for item in items] == list(CORRECTED)
    assert [item[1] for item in items] == ["duties", "duties"]  # with their section, as the model sees them
    assert labels == ["right", "right"] and len(set(groups)) == 2
    assert info["clauses"] == 2 and info["label_counts"] == {"right": 2} and info["database"] == str(db)

    data = train.read_data()
    base_items, base_labels = data[0][::3], data[1][::3]
    before = model.ClauseModel(C=4.0, votes=False, calibrate=False).fit(base_items, base_labels)
    after = model.ClauseModel(C=4.0, votes=False, calibrate=False).fit(base_items + items, base_labels + labels)
    right = list(after.classes_).index("right")
    for item in items:
        p_before, p_after = before.predict_proba([item])[0][right], after.predict_proba([item])[0][right]
        assert after.predict([item])[0] == "right", item
        assert p_after > p_before + 0.2, (item, p_before, p_after)


def test_the_model_card_says_how_many_and_from_where(tmp_path):
    db = corrected_store(tmp_path)
    *_, info = train.corrections_data(db)
    assert train.corrections_lines({"corrections": info}) == [
        f"- 2 clause(s) whose label an analyst corrected (`jobclauses corrections apply`), from the catalogue "
        f"`{db}` (right 2)."]
    assert train.corrections_lines({}) == []
