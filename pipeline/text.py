"""Words, lemmas and folding: the one tokeniser, the one pymorphy3 cache and the one case/``ё`` fold.

Every stage that compares words goes through here, so a vocabulary entry, a cue and a model feature mean
the same thing. Lemmas are ``ё``-folded (vocabularies are written with ``е``). The analyzer is created on
first use, never at import time, once per process.

>>> lemmatize("Ведёт учёт хозяйственных операций")
['вести', 'учет', 'хозяйственный', 'операция']
>>> words("Ведёт учёт (в т.ч. кассы) за 2024 год;")
['ведёт', 'учёт', 'в', 'т', 'ч', 'кассы', 'за', '2024', 'год']
>>> fold("Учёт КАССЫ")
'учет кассы'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

#: A word: letters and digits, hyphenated compounds kept whole (``водитель-экспедитор``).
WORD = re.compile(r"[а-яёa-z0-9]+(?:-[а-яёa-z0-9]+)*", re.I)
_analyzer: Any = None


def fold(text: str) -> str:
    """Lower case with ``ё`` as ``е``: the one way text is folded for comparison."""
    return text.lower().replace("ё", "е")


def is_cyrillic(word: str) -> bool:
    """Whether a lower-cased word starts with a Russian letter (the words pymorphy3 can analyse)."""
    return bool(word) and ("а" <= word[0] <= "я" or word[0] == "ё")


def morph() -> Any:
    """The shared pymorphy3 analyzer (loaded on first call)."""
    global _analyzer
    if _analyzer is None:
        import pymorphy3

        _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer


def words(text: str) -> list[str]:
    """Lower-cased word tokens; digits kept, punctuation dropped."""
    return [w.lower() for w in WORD.findall(text)]


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple[Any, ...]:
    """Every pymorphy3 parse of one lower-cased word, most probable first (the one analysis cache)."""
    return tuple(morph().parse(word))


def parse(word: str) -> Any:
    """The most probable parse of one lower-cased word."""
    return parses(word)[0]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The ``ё``-folded normal form of one word; words with digits or Latin letters are returned as they are."""
    if not is_cyrillic(word):
        return word
    return parse(word).normal_form.replace("ё", "е")


@lru_cache(maxsize=200_000)
def normal_forms(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 offers for a word (``главного`` -> главное, главный), ``ё`` folded."""
    if not is_cyrillic(word):
        return frozenset({word})
    return frozenset(p.normal_form.replace("ё", "е") for p in parses(word))


@lru_cache(maxsize=200_000)
def tags(word: str) -> tuple[str, ...]:
    """The tags of every parse of a word as strings (``()`` for words pymorphy3 cannot analyse)."""
    if not is_cyrillic(word):
        return ()
    return tuple(str(p.tag) for p in parses(word))


def lemmatize(text: str) -> list[str]:
    """The lemmas of the words of ``text``, in order."""
    return [lemma(w) for w in words(text)]
