"""Words and their lemmas: pymorphy3 called directly (its first parse), cached across documents.

The analyzer is created on first use, never at import time, once per process.

>>> lemmatize("Ведет учет хозяйственных операций")
['вести', 'учёт', 'хозяйственный', 'операция']
>>> words("Ведёт учёт (в т.ч. кассы) за 2024 год;")
['ведёт', 'учёт', 'в', 'т', 'ч', 'кассы', 'за', '2024', 'год']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[а-яёa-z0-9]+(?:-[а-яёa-z0-9]+)*", re.I)
_analyzer: Any = None


def morph() -> Any:
    """The shared pymorphy3 analyzer (loaded on first call)."""
    global _analyzer
    if _analyzer is None:
        import pymorphy3

        _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer


def words(text: str) -> list[str]:
    """Lower-cased word tokens; digits kept, punctuation dropped."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=200_000)
def parse(word: str) -> Any:
    """The most probable pymorphy3 parse of one lower-cased word."""
    return morph().parse(word)[0]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The normal form of one word; words with digits or Latin letters are returned as they are."""
    if not word or not ("а" <= word[0] <= "я" or word[0] == "ё"):
        return word
    return parse(word).normal_form


def lemmatize(text: str) -> list[str]:
    """The lemmas of the words of ``text``, in order."""
    return [lemma(w) for w in words(text)]
