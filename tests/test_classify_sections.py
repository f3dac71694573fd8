"""A section's type from its heading's words and its content (pipeline/classify/sections.py), on invented cases."""

import pytest

from pipeline.classify import load, sections
from pipeline.records import Clause

TITLES = [
    ("Штрафы и удержания на складе", "liability"),
    ("За что ты можешь быть уволен?", "liability"),
    ("Когда мы расстаёмся", "liability"),
    ("Что ты можешь на смене", "right"),
    ("Твои права в смене", "right"),
    ("Кого мы берём в команду и ищем", "requirement"),
    ("Тебе подойдёт эта работа, если", "requirement"),
    ("Словарь кухни", "other"),
    ("График и оплата", "other"),
    ("Твой рабочий день", "duty"),
    ("Ценности кофейни", "duty"),
    ("Чего нельзя делать", "duty"),
    ("Наш стиль", "duty"),
    ("Про котиков", ""),
    ("", ""),
]


@pytest.mark.parametrize(("title", "label"), TITLES)
def test_a_heading_announces_its_content(title, label):
    assert sections.title_label(title) == label


EFFECTIVE = [
    # a type the structure stage gave stands, whatever the heading's words or the votes
    ("rights", "Наши ценности", "duty+", ("rights", "heading")),
    ("duties", "", "", ("duties", "heading")),
    # an unknown heading («other» or none): its words, then its clauses
    ("other", "Штрафы", "duty+", ("liability", "title")),
    ("other", "Как у нас заведено", "liability+", ("liability", "content")),
    ("", "", "right+", ("rights", "content")),
    # a weak vote does not decide
    ("other", "Как у нас заведено", "liability", ("other", "none")),
    ("", "", "", ("", "none")),
]


@pytest.mark.parametrize(("section_type", "title", "vote", "expected"), EFFECTIVE)
def test_effective_type(section_type, title, vote, expected):
    assert sections.effective_type(section_type, title, vote) == expected


def clause(text, title="", section_type="", number="", source="memo.txt", instruction=1, lead_in=""):
    return Clause(source=source, instruction=instruction, number="", text=text, start=0, stop=0,
                  section_number=number, section_title=title, section_type=section_type, lead_in=lead_in)


def test_runs_never_reach_past_a_heading():
    clauses = [clause("a", "Смена"), clause("b", "Смена"), clause("c", "Штрафы"), clause("d", "Смена"),
               clause("e", "Смена", source="other.txt"), clause("f")]
    names = sections.runs(clauses)
    assert names[0] == names[1]
    assert len({names[1], names[2], names[3], names[4]}) == 4  # a heading starts a run, a new one each time
    assert names[5] == ""  # no heading: no section to vote in


def test_votes_are_the_other_clauses_mean():
    labels = ["duty", "liability"]
    scores = [[0.1, 0.9], [0.2, 0.8], [0.9, 0.1], [0.5, 0.5]]
    # clause 0 hears [0.55, 0.45], clause 1 [0.5, 0.5], clause 2 [0.15, 0.85]; clause 3 is alone
    assert sections.votes(labels, scores, ["s", "s", "s", "t"]) == ["duty", "duty", "liability+", ""]


# clauses under headings no vocabulary knows: what the section holds decides the bare ones
SECTION_CASES = [
    ("Как у нас принято",
     ["Протирай стойку после каждого гостя.", "Здоровайся с каждым, кто входит.", "Пунктуальность."],
     ["duty", "duty", "duty"]),
    ("Если накосячил",
     ["Опоздание больше чем на четверть часа — штраф 400 рублей.", "Разбитая посуда удерживается из зарплаты.",
      "Грубость с гостем."],
     ["liability", "liability", "liability"]),
]


@pytest.mark.parametrize("kind", ["model", "rules"])
@pytest.mark.parametrize(("title", "texts", "labels"), SECTION_CASES)
def test_bare_clauses_take_their_section_from_its_content(kind, title, texts, labels):
    out = load(kind).predict([clause(t, title, "other") for t in texts])
    assert [c.label for c in out] == labels, [c.reason for c in out]
