"""What the classifier reads in a clause: its lemmas and its grammatical shape.

Both the rules and the model read the same analysis, so a rule's cue and a model feature
mean the same thing. Lemmas and tags come from ``pipeline.text`` (the one pymorphy3 cache); lemmas are
``ё``-folded so that cue files need not care which spelling a document used.

Shapes (the clause's first predicate-like word, within the first words of the clause):

- ``verb3``: a finite verb in the 3rd person, present tense (``Ведет учет``, ``Менеджер осуществляет``);
- ``inf``: an infinitive (``Запрашивать документы``, ``В пределах компетенции подписывать``);
- ``impr``: an imperative (``Протри витрину``, ``Сообщайте старшему смены``);
- ``verb2``: a verb in the 2nd person (``Ты отвечаешь за кассу``, ``Вы встречаете гостя``, ``Можешь взять отгул``);
- ``verb1p``: a verb in the 1st person plural, the employer speaking (``Форму выдаём бесплатно``);
- ``pred``: a predicative (``Нельзя курить``, ``Можно взять отгул``, ``Нужно сдать кассу``);
- ``za``: the clause opens with ``за`` (``За нарушение правил ...``);
- ``np``: no predicate, a noun phrase (``Основы делопроизводства``, ``Поиск клиентов``).

For a noun phrase, ``case`` is the grammatical case its first noun can only be in:
``ablt`` (``законодательными актами`` under *руководствуется*), ``accs`` (``организацию
производства`` under *должен знать*), or ``nomn`` when nominative is possible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.text import WORD, lemma, tags

#: Words after which a verb belongs to a subordinate clause, not to the clause itself
#: (``правила, которые определяют ...`` is a noun phrase).
_SUBORDINATORS = frozenset({"который", "что", "если", "когда", "где", "чтобы", "как"})

#: How many words the shape looks at: long enough for a subject (``Менеджер по работе с
#: клиентами осуществляет``), short enough to miss verbs deep inside a noun phrase.
_SHAPE_WINDOW = 10


@dataclass(frozen=True)
class Analysis:
    words: tuple[str, ...]
    lemmas: tuple[str, ...]
    shape: str  # verb3, inf, impr, verb2, verb1p, pred, za, np, empty
    head: str  # the lemma of the word that decided the shape (the verb, or the first noun)
    head_index: int  # its position in ``lemmas``; -1 when none
    case: str  # for np: ablt, accs, nomn or ""
    first_case: str  # the case the first word can be in (same scale), "" for non-nominals


def _first_tag(word: str) -> str:
    found = tags(word)
    return found[0] if found else ""


def is_predicate(word: str) -> bool:
    """A verb form that can head a clause (finite, infinitive, short participle, ``вправе``), not an attribute."""
    return _first_tag(word).startswith(("VERB", "INFN", "PRTS", "PRED"))


def _noun_case(word: str) -> str:
    """The case a noun or adjective can be in: nomn if any parse allows it, else ablt/accs/other."""
    cases = set()
    for tag in tags(word):
        if tag.startswith(("NOUN", "ADJF", "PRTF", "NPRO")):
            for case in ("nomn", "accs", "ablt", "gent", "datv", "loct"):
                if case in tag:
                    cases.add(case)
    if not cases:
        return ""
    for case in ("nomn", "accs", "ablt"):
        if case in cases:
            return case
    return sorted(cases)[0]


def _shape(words: tuple[str, ...], lem: tuple[str, ...]) -> tuple[str, str, int, str]:
    if not words:
        return "empty", "", -1, ""
    if words[0] == "за":
        return "za", lem[1] if len(lem) > 1 else "", 1, ""
    for i, word in enumerate(words[:_SHAPE_WINDOW]):
        if lem[i] in _SUBORDINATORS:
            break
        tag = _first_tag(word)
        if tag.startswith("VERB"):
            if "impr" in tag:
                return "impr", lem[i], i, ""
            if "pres" in tag or "futr" in tag:
                if "3per" in tag:
                    return "verb3", lem[i], i, ""
                if "2per" in tag:
                    return "verb2", lem[i], i, ""
                if "1per" in tag and "plur" in tag:
                    return "verb1p", lem[i], i, ""
        if tag.startswith("INFN"):
            return "inf", lem[i], i, ""
        if tag.startswith("PRED") and i < 3:
            return "pred", lem[i], i, ""
    for i, word in enumerate(words[:_SHAPE_WINDOW]):
        tag = _first_tag(word)
        if tag.startswith("NOUN"):
            return "np", lem[i], i, _noun_case(word)
    return "np", lem[0], 0, _noun_case(words[0])


#: A sentence or item boundary inside a lead-in: what comes before it is not part of the announcement.
_BOUNDARY = re.compile(r"[.;!?](?:\s|$)(?=.*\S)")

#: How many words of a lead-in announce its list («Для выполнения возложенных функций кассир имеет право:»).
LEAD_WORDS = 12


@lru_cache(maxsize=10_000)
def lead_tail(lead_in: str) -> str:
    """The words of a lead-in that announce its list: its last sentence, at most ``LEAD_WORDS`` words. A lead-in the
    structure stage ran together with the provisions above it («Ведёт учёт. Выполняет поручения. Кассир имеет
    право:») passes on only what stands before its colon.

    >>> lead_tail("Выполняет поручения директора. Кассир имеет право:")
    'Кассир имеет право:'
    """
    found = list(_BOUNDARY.finditer(lead_in.rstrip()))
    tail = lead_in[found[-1].end():] if found else lead_in
    return " ".join(tail.split()[-LEAD_WORDS:])


@lru_cache(maxsize=100_000)
def analyse(text: str) -> Analysis:
    """Words, lemmas and shape of one clause or lead-in (cached: clauses repeat across documents)."""
    words = tuple(w.lower() for w in WORD.findall(text))
    lem = tuple(lemma(w) for w in words)
    shape, head, index, case = _shape(words, lem)
    first_case = _noun_case(words[0]) if words else ""
    return Analysis(words, lem, shape, head, index, case, first_case)
