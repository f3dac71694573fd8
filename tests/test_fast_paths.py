"""The hot path's shortcuts give exactly what the plain code gives.

- the model pack's plain-array arithmetic against scikit-learn's, and its memory against the estimator;
- the white-space folding of units (whole pieces when already folded) against the character-by-character definition;
- the facts grammars behind their gates against the parser on the whole text.
"""

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.classify import load, model
from pipeline.facts import grammars as facts
from pipeline.facts import roles
from pipeline.records import Clause
from pipeline.structure import units

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_AS_ROWS = ROOT / "corpora" / "training" / "samples.jsonl"  # corpora/samples/*.gold.jsonl


def sample_clauses():
    """The clauses of the project's sample corpus in document order, with the context the gold gives them."""
    rows = [json.loads(line) for line in SAMPLES_AS_ROWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Clause(source=r["group"], instruction=1, number="", text=r["text"], start=0, stop=0,
                   section_title=r["section_title"], section_type=r["section_type"], lead_in=r["lead_in"])
            for r in rows if r["kind"] == "gold-context"]


def sample_items():
    """(text, section type, lead-in) of the sample clauses."""
    return [(c.text, c.section_type, c.lead_in) for c in sample_clauses()]


@pytest.fixture(scope="module")
def classifier():
    return load("model")


# --- the model ------------------------------------------------------------------------------------------


def test_memoised_predict_equals_the_estimator_on_the_sample_clauses(classifier):
    from pipeline.classify import features

    clauses = sample_clauses()
    assert len(clauses) >= 300
    classifier.forget()
    got = classifier.predict(clauses)
    again = classifier.predict(clauses)  # from memory
    proba = classifier.model.predict_proba(features.items_of(clauses))
    assert [c.label for c in got] == list(classifier.model.classes_[proba.argmax(axis=1)])
    assert np.allclose([c.confidence for c in got], proba.max(axis=1), atol=1e-4)
    assert [(c.label, c.confidence, c.reason) for c in again] == [(c.label, c.confidence, c.reason) for c in got]


def test_one_document_at_a_time_equals_all_at_once(classifier):
    clauses = sample_clauses()
    by_document = {}
    for clause in clauses:
        by_document.setdefault(clause.source, []).append(clause)
    classifier.forget()
    one = [c.label for document in by_document.values() for c in classifier.predict(document)]
    classifier.forget()
    assert one == [c.label for c in classifier.predict([c for d in by_document.values() for c in d])]


def test_the_plain_arrays_give_scikit_learns_probabilities():
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [{"w=a": 1.0, "w=b": 1.0}, {"w=b": 1.0}, {"w=c": 1.0}, {"w=a": 1.0, "w=c": 1.0}] * 5
    y = np.array(["duty", "right", "other", "liability", "requirement"] * 4)
    linear = model._fit_linear(rows, y, 4.0, 0)
    vectorizer = DictVectorizer()
    expected = LogisticRegression(C=4.0, tol=1e-3, max_iter=3000, random_state=0).fit(
        vectorizer.fit_transform(rows), y).predict_proba(vectorizer.transform(rows))
    got = model._softmax(linear.scores(linear.matrix(rows)))
    assert np.allclose(got, expected, atol=1e-9)


# --- units ----------------------------------------------------------------------------------------------


def finalise_by_character(text, pieces):
    """The definition: every white-space run becomes one space at its first character; no trailing space."""
    chars, offsets = [], []
    for start, stop in pieces:
        if chars and chars[-1] != " ":
            chars.append(" ")
            offsets.append(start)
        for i in range(start, stop):
            if text[i].isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    offsets.append(i)
            else:
                chars.append(text[i])
                offsets.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets


def finalised(text, pieces):
    unit = units.Unit(start=0, stop=len(text), marker="", kind="none", path=(), content_start=0, text="",
                      pieces=list(pieces))
    units._finalise(text, unit)
    return unit.text, unit.offsets


@pytest.mark.parametrize("text, pieces", [
    ("Ведет учет.", [(0, 11)]),
    ("  Ведет   учет\t\n операций.  ", [(0, 28)]),
    ("1.1. Ведет учет\nопераций;", [(5, 15), (16, 25)]),
    ("Ведет\u00a0учет\u2003и\u3000анализ", [(0, 18)]),  # no-break, em and ideographic spaces
    ("абв\x1cгде\x85жз", [(0, 9)]),  # separators and NEL count as white space for str.isspace
    ("   ", [(0, 3)]),
    ("а  б", [(0, 1), (1, 4)]),
    ("", []),
])
def test_folding_runs_equals_folding_characters(text, pieces):
    assert finalised(text, pieces) == finalise_by_character(text, pieces)


def test_the_white_space_of_str_split_is_the_white_space_of_str_isspace():
    differ = [hex(code) for code in range(sys.maxunicode + 1)
              if (len(("a" + chr(code) + "a").split()) == 2) != chr(code).isspace()]
    assert differ == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("аб .;\t\n\u00a0\u2028x"), max_size=40), st.data())
def test_folding_runs_equals_folding_characters_on_any_text(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    pieces = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    assert finalised(text, pieces) == finalise_by_character(text, pieces)


# --- facts ----------------------------------------------------------------------------------------------


#: Wordings of our own that each grammar matches (the samples have no `образование: ...`).
OWN_WORDINGS = [
    "Образование: высшее техническое, стаж работы не менее 3 лет.",
    "образование - высшее или неполное высшее; опыт работы от года",
    "Требования: образование — среднее профессиональное, без предъявления требований к стажу работы.",
    "опыт работы в должности не менее полугода, образование:среднее общее",
]


def sample_texts():
    return sorted({" ".join(text.split()) for text, _, _ in sample_items()} | set(OWN_WORDINGS))


@pytest.mark.parametrize("grammar", ["EDUCATION", "EDUCATION_AFTER", "EXPERIENCE", "NO_EXPERIENCE"])
def test_a_gated_grammar_finds_what_the_parser_finds_on_the_sample_clauses(grammar):
    texts = sample_texts()
    gated = [[m.span for m in facts.find(grammar, t)] for t in texts]
    plain = [[m.span for m in facts.parser(grammar).findall(t)] for t in texts]
    assert gated == plain
    assert any(gated)


def test_a_remembered_clause_is_labelled_as_a_new_one(classifier):
    clauses = [Clause(source="t.txt", instruction=1, number=str(i), text=text, start=0, stop=len(text),
                      section_type=section, lead_in=lead_in) for i, (text, section, lead_in) in
               enumerate(sample_items()[:60])]
    first = classifier.predict(clauses)
    again = classifier.predict(list(reversed(clauses)))
    fresh = model.ModelClassifier(classifier.model, classifier.meta).predict(clauses[::-1])
    assert again == fresh == list(reversed(first))
    assert all(c.label and c.reason for c in first)


def test_a_labelled_copy_equals_dataclasses_replace():
    clause = Clause(source="t.txt", instruction=2, number="3.1", text="Ведет учет.", start=5, stop=16,
                    section_type="duties", lead_in="")
    copy = model._labelled(clause, "duty", 0.97, "model: ...")
    assert copy == dataclasses.replace(clause, label="duty", confidence=0.97, reason="model: ...")
    assert clause.label == "" and type(copy) is Clause and hash(copy) == hash(
        dataclasses.replace(clause, label="duty", confidence=0.97, reason="model: ..."))


@pytest.mark.parametrize("pattern", ["REPORTS_TO", "APPOINTED_BY_ORDER", "APPOINTED_BY_PERSON", "SUBSTITUTE"])
def test_a_text_without_a_role_verb_matches_no_role_pattern(pattern):
    texts = sample_texts() + ["Подчиняется непосредственно директору.", "Назначается приказом директора.",
                              "В период отсутствия его обязанности исполняет заместитель."]
    found = [t for t in texts if getattr(roles, pattern).search(t)]
    assert found and all(roles.ROLE_VERBS.search(t) for t in found)
