"""Classification measured apart from segmentation (evaluation/classify.py): gold clauses with the heading and
lead-in found above them in their source, calibration figures and registers, on invented documents."""

import json

import pytest

from evaluation import classify as measure
from pipeline.readers import read_bytes

TXT = """ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ЛАБОРАНТА

1. Общие положения
1.1. Лаборант относится к категории технических исполнителей.
1.2. Лаборант должен знать:
- правила отбора проб;
- устройство весов.
1.3. Лаборант подчиняется заведующему лабораторией.

2. Должностные обязанности
Лаборант:
2.1. Готовит посуду к анализам.
2.2. Ведёт журнал проб.

Должен знать: приёмы титрования; правила хранения реактивов.
Права. Лаборант имеет право на спецодежду. Лаборант вправе отказаться от работы без вытяжки.
"""

MD = """# Памятка мойщика

## Твой день
- Включи воду и проверь напор.
- Разложи губки по цветам.

## Штрафы
Штрафуем за:
- Опоздание — 200 рублей.
- Порча губок.

| Нарушение | Сумма |
|---|---|
| Сон на смене | 500 рублей |
"""


def contexts(text, name, clauses):
    document = read_bytes(name, text.encode("utf-8"))
    return [c[1:] for c in measure.with_gold_context(document, clauses)]


def test_heading_and_lead_in_of_numbered_items_and_bullets():
    found = contexts(TXT, "lab.txt", [
        "Лаборант относится к категории технических исполнителей.", "правила отбора проб;", "устройство весов.",
        "Лаборант подчиняется заведующему лабораторией.", "Готовит посуду к анализам.", "Ведёт журнал проб."])
    assert found == [
        ("Общие положения", "general", ""),
        ("Общие положения", "general", "Лаборант должен знать:"),
        ("Общие положения", "general", "Лаборант должен знать:"),
        # a numbered item at the lead-in's level is not one of its items
        ("Общие положения", "general", ""),
        ("Должностные обязанности", "duties", "Лаборант:"),
        ("Должностные обязанности", "duties", "Лаборант:"),
    ]


def test_inline_list_and_run_in_headings():
    found = contexts(TXT, "lab.txt", ["приёмы титрования;", "правила хранения реактивов.",
                                      "Лаборант имеет право на спецодежду.",
                                      "Лаборант вправе отказаться от работы без вытяжки."])
    assert [f[2] for f in found[:2]] == ["Должен знать:", "Должен знать:"]
    # «Права.» runs into its paragraph: a heading, and the inline lead-in above it no longer applies
    assert found[2:] == [("Права", "rights", ""), ("Права", "rights", "")]


def test_markdown_headings_lead_in_and_table_rows():
    found = contexts(MD, "memo.md", ["Включи воду и проверь напор.", "Разложи губки по цветам.",
                                     "Опоздание — 200 рублей.", "Порча губок.", "Сон на смене | 500 рублей"])
    assert found == [("Твой день", "other", ""), ("Твой день", "other", ""),
                     ("Штрафы", "other", "Штрафуем за:"), ("Штрафы", "other", "Штрафуем за:"),
                     ("Штрафы", "other", "")]


def test_gold_clauses_of_a_folder_carry_their_context(tmp_path):
    (tmp_path / "m.md").write_text(MD, encoding="utf-8")
    texts = [("Включи воду и проверь напор.", "duty", False), ("Разложи губки по цветам.", "duty", True),
             ("Опоздание — 200 рублей.", "liability", False), ("Порча губок.", "liability", False),
             ("Сон на смене | 500 рублей", "liability", False)]
    rows = [{"type": "instruction", "instruction": 1, "title": "", "position": "мойщик"}] + [
        {"type": "clause", "instruction": 1, "number": "", "text": t, "label": label, "optional": optional}
        for t, label, optional in texts]
    (tmp_path / "m.gold.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                           encoding="utf-8")
    found = measure.gold_clauses(tmp_path, "gold")
    assert [c.text for c, _ in found] == [t for t, _, optional in texts if not optional]
    clause, label = found[2]
    assert (clause.text, clause.section_title, clause.lead_in, label) == ("Порча губок.", "Штрафы", "Штрафуем за:",
                                                                          "liability")
    assert all((c.section_title, c.lead_in) == ("", "") for c, _ in measure.gold_clauses(tmp_path, "none"))


def test_calibration_error_and_reliability_table():
    gold = ["duty", "duty", "right", "right"]
    predicted = ["duty", "right", "right", "right"]
    ece, table = measure.calibration(gold, predicted, [0.95, 0.95, 0.65, 0.65])
    # bin 0.9–1.0: confidence 0.95, accuracy 0.5; bin 0.6–0.7: confidence 0.65, accuracy 1.0
    assert ece == pytest.approx((2 * 0.45 + 2 * 0.35) / 4)
    assert [(round(low, 1), n, accuracy) for low, _, n, _, accuracy in table] == [(0.6, 2, 1.0), (0.9, 2, 0.5)]


@pytest.mark.parametrize(("texts", "register"), [
    (["Протри витрину.", "Ты отвечаешь за кассу.", "Пунктуальность."], "informal"),
    (["Вы встречаете гостя у входа.", "Оформляет накладные.", "Ведёт учёт.", "Подписывает акты.",
      "Сверяет остатки."], "informal"),
    (["Оформляет накладные.", "Ведёт учёт.", "Знание 1С.", "Подчиняется директору.", "Несёт ответственность."],
     "formal"),
])
def test_register_of_a_document(texts, register):
    assert measure.register_of(texts) == register
