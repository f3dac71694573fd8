"""The spaCy component (pipeline/classify/spacy_component.py): its contract inside spacy.blank("ru")."""

import pytest
import spacy

from pipeline.classify import REVIEW_THRESHOLD, load, spacy_component

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
    assert all(s._.needs_review == (s._.confidence < REVIEW_THRESHOLD) and s._.reason for s in spans)
    assert spans[1]._.lead_in == "1.2. Кладовщик должен знать:" or spans[1]._.lead_in.endswith("должен знать:")


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


MEMO = "Протри витрину. Нельзя есть за прилавком. Можешь взять отгул, предупредив за день."


def test_spans_mode_classifies_the_sentences_of_your_own_pipeline():
    spacy_component.register()
    nlp = spacy.blank("ru")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("jobclauses", config={"mode": "spans", "input_key": "sents"})
    doc = nlp(MEMO)
    assert [(s.text, s.label_) for s in doc.spans["clauses"]] == [
        ("Протри витрину.", "duty"), ("Нельзя есть за прилавком.", "duty"),
        ("Можешь взять отгул, предупредив за день.", "right")]


def test_spans_mode_reads_the_context_your_pipeline_sets():
    spacy_component.register()
    nlp = spacy.blank("ru")
    doc = nlp.make_doc("Опоздание на смену. Грубость с гостем.")
    spans = [doc.char_span(0, 19), doc.char_span(20, 38)]
    for span in spans:
        span._.section_title = "Штрафы"
    doc.spans["mine"] = spans
    component = spacy_component.JobClauses(mode="spans", input_key="mine", spans_key="labelled")
    labelled = list(component(doc).spans["labelled"])
    assert [s.label_ for s in labelled] == ["liability", "liability"]
    assert all(s._.section_title == "Штрафы" for s in labelled)


def test_labels_are_the_pipelines_own(nlp):
    from pipeline.readers.text import line_blocks
    from pipeline.records import Document
    from pipeline.structure import structure

    document = Document(path="<t>", sha256="", format="txt", text=TEXT, blocks=line_blocks(TEXT))
    direct = load("auto").predict(list(structure(document).clauses))
    doc = nlp(TEXT)
    assert [(s.label_, s._.confidence) for s in doc.spans["clauses"]] == [(c.label, c.confidence) for c in direct]


def test_pipe_batches_documents_with_the_same_result(nlp):
    docs = [nlp(t) for t in (TEXT, TEXT[:200])]
    piped = list(nlp.pipe([TEXT, TEXT[:200]], batch_size=2))
    assert [[(s.text, s.label_) for s in d.spans["clauses"]] for d in docs] == [
        [(s.text, s.label_) for s in d.spans["clauses"]] for d in piped]


def test_config_survives_to_disk_and_load(tmp_path):
    spacy_component.register()
    nlp = spacy.blank("ru")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("jobclauses", config={"mode": "spans", "kind": "rules", "spans_key": "labelled"})
    nlp.to_disk(tmp_path / "nlp")
    again = spacy.load(tmp_path / "nlp")
    component = again.get_pipe("jobclauses")
    assert (component.mode, component.kind, component.spans_key) == ("spans", "rules", "labelled")
    doc = again(MEMO)
    assert [s.label_ for s in doc.spans["labelled"]] == ["duty", "duty", "right"]


def test_bad_usage_says_what_to_do():
    with pytest.raises(ValueError, match="mode 'paragraphs'"):
        spacy_component.JobClauses(mode="paragraphs")
    spacy_component.register()
    doc = spacy.blank("ru")("Протри витрину.")
    with pytest.raises(ValueError, match="no spans under 'mine'"):
        spacy_component.JobClauses(mode="spans", input_key="mine")(doc)
