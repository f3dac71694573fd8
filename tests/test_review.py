"""needs_review: each rule of pipeline/review.py on invented clauses and instructions, then the batch and the
outputs that carry the flags."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from pipeline import review
from pipeline.records import Clause, Instruction

NAMED = Instruction(source="a.txt", index=1, title="Должностная инструкция кладовщика", position="кладовщик",
                    start=0, stop=1000)
UNNAMED = Instruction(source="a.txt", index=1, title="", position="", start=0, stop=1000)


def clause(text: str, confidence: float = 0.95, label: str = "duty", lead_in: str = "") -> Clause:
    return Clause(source="a.txt", instruction=1, number="2.1", text=text, start=0, stop=len(text), label=label,
                  confidence=confidence, lead_in=lead_in)


def flagged(text: str, reason: str = "ends mid-sentence: «…и»") -> Clause:
    return dataclasses.replace(clause(text), needs_review=(reason,))


# (rule, clause, instruction, reason it gives: "" when it must not fire). Every text is invented.
CLAUSE_CASES = [
    ("low_confidence", clause("Ведет учет поступающих материалов.", 0.41), NAMED, "low confidence (0.41)"),
    ("low_confidence", clause("Ведет учет поступающих материалов.", 0.6), NAMED, ""),
    ("low_confidence", clause("Ведет учет поступающих материалов.", 0.2, label=""), NAMED, ""),  # not classified
    ("ends_mid_sentence", clause("Ведет учет поступающих материалов и"), NAMED, "ends mid-sentence: «…и»"),
    ("ends_mid_sentence", clause("Составляет еженедельные отчеты для"), NAMED, "ends mid-sentence: «…для»"),
    ("ends_mid_sentence", clause("Сверяет остатки на складе, а также"), NAMED, "ends mid-sentence: «…также»"),
    ("ends_mid_sentence", clause("Проверяет сопроводительные документы,"), NAMED, "ends mid-sentence: «…,»"),
    ("ends_mid_sentence", clause("правила хранения химических реактивов,", lead_in="Должен знать:"), NAMED, ""),
    ("ends_mid_sentence", clause("Обеспечивает сохранность товара:"), NAMED, "ends mid-sentence: «…:»"),
    ("ends_mid_sentence", clause("Оформляет накладные –"), NAMED, "ends mid-sentence: «…–»"),
    ("ends_mid_sentence", clause("Ведет учет поступающих материалов."), NAMED, ""),
    ("ends_mid_sentence", clause("Ведет учет материалов;"), NAMED, ""),
    ("ends_mid_sentence", clause("Участвует в инвентаризации и"), NAMED, "ends mid-sentence: «…и»"),
    ("ends_mid_sentence", clause("Соблюдает требования охраны труда"), NAMED, ""),  # no stop, but a whole clause
    ("unbalanced", clause("Составляет график отпусков (по согласованию с отделом кадров"), NAMED,
     "looks cut off: a bracket is never closed"),
    ("unbalanced", clause("Работает в программе «Склад-Учет"), NAMED, "looks cut off: a quote is never closed"),
    ("unbalanced", clause("Работает в программе «Склад-Учет» (версия 3)."), NAMED, ""),
    ("form_line", clause("______________ (подпись)"), NAMED, "looks like a form caption, signature or date line"),
    ("form_line", clause("(Ф.И.О.)"), NAMED, "looks like a form caption, signature or date line"),
    ("form_line", clause("М.П."), NAMED, "looks like a form caption, signature or date line"),
    ("form_line", clause("С инструкцией ознакомлен(а):"), NAMED, "looks like a form caption, signature or date line"),
    ("form_line", clause("«__» __________ 20__ г."), NAMED, "looks like a form caption, signature or date line"),
    ("form_line", clause("14.02.2023"), NAMED, "looks like a form caption, signature or date line"),
    ("form_line", clause("от 3 октября 2022 года"), NAMED, "looks like a form caption, signature or date line"),
    ("form_line", clause("Заместитель: ______________ (Ф.И.О., должность)"), NAMED,
     "looks like a form caption, signature or date line"),
    ("form_line", clause("Подписывает товарные накладные и акты приемки."), NAMED, ""),
    ("form_line", clause("Подписывает заказы поставщикам на сумму до ________ рублей."), NAMED, ""),  # a template
    ("form_line", clause("Кладовщик подчиняется ____________ (должность руководителя)."), NAMED, ""),
    ("form_line", clause("Проверяет даты изготовления продукции."), NAMED, ""),
    ("form_line", clause("Знакомит новых сотрудников с правилами склада."), NAMED, ""),
    ("no_position", clause("Ведет учет поступающих материалов."), UNNAMED, "its instruction names no position"),
    ("no_position", clause("Ведет учет поступающих материалов."), NAMED, ""),
]


@pytest.mark.parametrize(("rule", "case", "instruction", "reason"), CLAUSE_CASES,
                         ids=[f"{r}-{c.text[:30]}" for r, c, _, _ in CLAUSE_CASES])
def test_clause_rule(rule, case, instruction, reason):
    assert getattr(review, rule)(case, instruction) == reason


INSTRUCTION_CASES = [
    ("position_missing", UNNAMED, [clause("Ведет учет.")] * 5, "no position found"),
    ("position_missing", NAMED, [clause("Ведет учет.")] * 5, ""),
    ("few_clauses", NAMED, [clause("Ведет учет.")], "only 1 clause"),
    ("few_clauses", NAMED, [clause("Ведет учет.")] * 2, "only 2 clauses"),
    ("few_clauses", NAMED, [clause("Ведет учет.")] * 3, ""),
    ("no_duties", NAMED, [clause("Имеет право запрашивать документы.", label="right")] * 4, "no duties found"),
    ("no_duties", NAMED, [clause("Ведет учет.")] + [clause("Имеет право отдыхать.", label="right")] * 3, ""),
    ("many_flagged", NAMED, [*[flagged("Ведет учет и")] * 2, *[clause("Ведет учет.")] * 6], "2 of 8 clauses need review"),
    ("many_flagged", NAMED, [flagged("Ведет учет и"), *[clause("Ведет учет.")] * 7], ""),
    ("many_flagged", NAMED, [*[flagged("Ведет учет и")] * 2, *[clause("Ведет учет.")] * 7], ""),  # 2 of 9 < 25 %
    ("many_flagged", UNNAMED, [flagged("Ведет учет.", review.NO_POSITION)] * 4, ""),
]


@pytest.mark.parametrize(("rule", "instruction", "clauses", "reason"), INSTRUCTION_CASES,
                         ids=[f"{r}-{len(c)}" for r, _, c, _ in INSTRUCTION_CASES])
def test_instruction_rule(rule, instruction, clauses, reason):
    assert getattr(review, rule)(instruction, clauses) == reason


def test_every_rule_has_a_case_that_fires_and_one_that_does_not():
    fired = {rule for rule, *_, reason in CLAUSE_CASES + INSTRUCTION_CASES if reason}
    quiet = {rule for rule, *_, reason in CLAUSE_CASES + INSTRUCTION_CASES if not reason}
    names = {r.__name__ for r in (*review.CLAUSE_RULES, *review.INSTRUCTION_RULES)}
    assert names <= fired and names <= quiet


def test_review_sets_the_flags_in_rule_order_and_counts_the_flagged_clauses():
    clauses = [clause("Ведет учет поступающих материалов и", 0.4), clause("Оформляет накладные –"),
               clause("Ведет учет поступающих материалов.")] + [clause("Проверяет документы.")] * 4
    (instruction,), reviewed = review.review([NAMED], clauses)
    assert reviewed[0].needs_review == ("low confidence (0.40)", "ends mid-sentence: «…и»")
    assert reviewed[1].needs_review == ("ends mid-sentence: «…–»",)
    assert all(c.needs_review == () for c in reviewed[2:])
    assert instruction.needs_review == ("2 of 7 clauses need review",)
    assert review.clause_flags(reviewed[0], NAMED) == [("low_confidence", "low confidence (0.40)"),
                                                      ("ends_mid_sentence", "ends mid-sentence: «…и»")]


def test_an_instruction_without_a_position_flags_itself_and_its_clauses_but_not_twice():
    (instruction,), reviewed = review.review([UNNAMED], [clause("Ведет учет.")] * 4)
    assert instruction.needs_review == ("no position found",)  # not also «4 of 4 clauses need review»
    assert {c.needs_review for c in reviewed} == {("its instruction names no position",)}


def test_reasons_never_contain_the_join():
    reasons = [r for *_, r in CLAUSE_CASES + INSTRUCTION_CASES if r]
    assert not [r for r in reasons if review.JOIN in r]


INSTRUCTION = """Должностная инструкция кладовщика

1. Общие положения
1.1. Кладовщик подчиняется заведующему складом.
2. Должностные обязанности
2.1. Принимает товар на склад.
2.2. Проверяет комплектность поставок и
2.3. Ведет учет движения товаров.
3. Права
3.1. Запрашивать документы у поставщиков.

С инструкцией ознакомлен: ____________ (подпись)
"""


def test_extract_writes_the_flags_and_says_how_many(tmp_path: Path, capsys):
    from pipeline.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kladovshchik.txt").write_text(INSTRUCTION, encoding="utf-8")
    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--classifier", "rules",
                 "-q"]) == 0
    rows = [json.loads(line) for line in (tmp_path / "out" / "clauses.jsonl").read_text("utf-8").splitlines()]
    flagged = {row["text"]: row["review"] for row in rows if row["needs_review"]}
    assert flagged.get("Проверяет комплектность поставок и") == "ends mid-sentence: «…и»"
    assert all(row["review"] == "" for row in rows if not row["needs_review"])
    line = capsys.readouterr().out
    instructions = [json.loads(x) for x in (tmp_path / "out" / "instructions.jsonl").read_text("utf-8").splitlines()]
    n_instructions = sum(row["needs_review"] for row in instructions)
    assert f"; {len(flagged)} clauses and {n_instructions} instructions need review -> " in line
