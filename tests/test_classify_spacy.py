"""The spaCy component: structure + classifier inside spacy.blank("ru")."""

import pytest
import spacy

from pipeline.classify import spacy_component

TEXT = """ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ КЛАДОВЩИКА

1. Общие положения
1.1. Кладовщик относится к категории рабочих.
1.2. Кладовщик должен знать:
- правила приемки и хранения товаров;
- основы складского учета.

2. Должностные обязанности
2.1. Принимает товары на склад и проверяет их количество.
2.2. Несет ответственность за сохранность товаров на складе.

3. Права
Кладовщик имеет право:
- запрашивать документы, необходимые для работы;
- вносить предложения по улучшению работы склада.
"""

EXPECTED = [
    ("1.1", "general", "other", "Кладовщик относится к категории рабочих."),
    ("", "general", "requirement", "правила приемки и хранения товаров;"),
    ("", "general", "requirement", "основы складского учета."),
    ("2.1", "duties", "duty", "Принимает товары на склад и проверяет их количество."),
    ("2.2", "duties", "liability", "Несет ответственность за сохранность товаров на складе."),
    ("", "rights", "right", "запрашивать документы, необходимые для работы;"),
    ("", "rights", "right", "вносить предложения по улучшению работы склада."),
]


@pytest.fixture(scope="module")
def nlp():
    spacy_component.register()
    spacy_component.register()  # idempotent
    pipeline = spacy.blank("ru")
    pipeline.add_pipe("jobclauses")
    return pipeline


def test_component_sets_clause_spans_with_labels_and_attributes(nlp):
    doc = nlp(TEXT)
    spans = list(doc.spans["clauses"])
    assert [(s._.number, s.label_, s.text) for s in spans] == [(n, label, t) for n, _, label, t in EXPECTED]
    # items under "должен знать:" inside general provisions may be typed as either by the structure stage
    for span, (_, section, _, _) in zip(spans, EXPECTED, strict=True):
        assert span._.section == section or (section == "general" and span._.section == "knowledge")
    assert all(0.5 < s._.confidence <= 1.0 for s in doc.spans["clauses"])


def test_component_on_text_without_clauses(nlp):
    doc = nlp("Просто строка текста без инструкции.")
    assert list(doc.spans["clauses"]) == []


def test_factory_is_not_registered_at_import():
    import subprocess
    import sys

    code = ("import spacy.language, pipeline.classify.spacy_component as c; "
            "print(spacy.language.Language.has_factory('jobclauses'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
