"""Provision types: the standard provisions of job descriptions, recognised by lemma patterns.

Appointment and dismissal, subordination, substitution, guided-by, category, the liability grounds,
the standard rights (``pipeline/data/provision_types.txt``): whatever the wording, a clause of one type
and label is one provision with every other clause of that type and label (the split words aside), and
the reason of the merge names the type and the pattern that matched. The type is a first split: a
clause of no type is compared by similarity (:mod:`.similarity`) with other clauses of no type only.

>>> kind_of(("<должность>", "назначаться", "на", "должность", "приказ", "{руководитель}"), "other").name
'other-appointment-dismissal'
>>> kind_of(("высокий", "образование", "и", "стаж", "работа", "не", "менее", "3", "год"), "requirement").key
'req-education:3 высокий'
>>> kind_of(("вести", "учет", "касса"), "duty") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..data import entries
from ..text import parse
from .patterns import Pattern

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Entry:
    """One line of the vocabulary: a type, the labels it applies to, a pattern and its split words."""

    name: str
    labels: frozenset[str]
    pattern: Pattern
    split: frozenset[str]
    only: frozenset[str] | None = None  # the content words a clause may have after the match (None: any)
    decided: bool = False  # `split!:`: a clause naming none of the split words (nor a number) is not of the type
    never: frozenset[str] = frozenset()  # `not:`: a clause with one of these from the match on is not of the type


@dataclass(frozen=True)
class Kind:
    """The type of a clause: its name, its provision key (name and split words found) and what matched."""

    name: str
    key: str
    pattern: str
    matched: str

    @property
    def reason(self) -> str:
        return f"type {self.name}: «{self.matched}» ({self.pattern})"


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Entry, ...]:
    """The entries of ``pipeline/data/provision_types.txt`` in file order."""
    out = []
    for line in entries("provision_types.txt"):
        parts = [p.strip() for p in line.split(" | ")]
        if len(parts) not in (3, 4, 5, 6):
            raise ValueError(f"provision_types.txt: expected `type | labels | pattern [| split: ...] [| only: ...] "
                             f"[| not: ...]`: {line}")
        split: frozenset[str] = frozenset()
        only: frozenset[str] | None = None
        decided = False
        never: frozenset[str] = frozenset()
        for extra in parts[3:]:
            if extra.startswith(("split:", "split!:")):
                decided = extra.startswith("split!:")
                split = frozenset(extra.split(":", 1)[1].split())
            elif extra.startswith("only:"):
                only = frozenset(extra[len("only:"):].split())
            elif extra.startswith("not:"):
                never = frozenset(extra[len("not:"):].split())
            else:
                raise ValueError(f"provision_types.txt: a field after the pattern must be `split: ...`, `split!: ...`, "
                                 f"`only: ...` or `not: ...`: {line}")
        labels = frozenset(label.strip() for label in parts[1].split(","))
        out.append(Entry(parts[0], labels, Pattern.parse(parts[2]), split, only, decided, never))
    return tuple(out)


#: A long split word (a field: `педагогический`, `медицинский`) is also found as another word of its stem, the
#: field's noun: `по направлению «Образование и педагогика»` names the field of `педагогическое образование`.
FIELD_STEM = 6
FIELD_WORD = 10


def _field_of(word: str, split: frozenset[str]) -> str:
    """The long split word sharing its first FIELD_STEM letters with ``word``, or '' (a compound such as
    `профессионально-технический` is a level, never found by a stem)."""
    return next((s for s in sorted(split) if len(s) >= FIELD_WORD and "-" not in s and s[:FIELD_STEM] == word[:FIELD_STEM]),
                "")


#: Split words found by a phrase, not a word: no education required at all (`без требований к образованию`,
#: `образование не требуется`: not the `без требований к стажу` a requirement without years says), and a
#: training besides the education (`среднее общее образование и профессиональная подготовка`).
NO_EDUCATION = "без_образования"
TRAINING = "подготовка"
_NONE_AFTER = re.compile(r"\bобразование (?:и (?:стаж|опыт) )?(?:(?!стаж |опыт )[^ ]+ ){0,2}?"
                         r"не (?:требоваться|предъявляться|нужный|обязательный)\b")
_NONE_BEFORE = re.compile(r"\b(?:без|не нужный|не требоваться) (?:[^ ]+ ){0,3}?образование\b")
_TRAINING = re.compile(r"\b(?:профессиональный|специальный) подготовка\b(?! специалист)")
#: A grade written in Roman numerals (`экономист II категории`): another grade is another requirement.
_ROMAN = re.compile(r"[ivx]{1,4}")


def split_words(lemmas: Sequence[str], split: frozenset[str]) -> list[str]:
    """The words of ``split``, Roman grades and the numbers in a clause, sorted: `стаж от года` has the number 1;
    a requirement without years and `без требований к стажу` / `опыт не обязателен` say the same."""
    found = {w for w in lemmas if w in split or _DIGITS.search(w) or _ROMAN.fullmatch(w)}
    found.update(_field_of(w, split) for w in lemmas if len(w) >= FIELD_STEM and w not in split)
    found.discard("")
    if "год" in lemmas and not any(_DIGITS.search(w) for w in lemmas):
        found.add("1")
    text = " ".join(lemmas)
    if "без" in split and ("не обязательный" in text or "не требоваться" in text):
        found.add("без")
    if NO_EDUCATION in split and (_NONE_AFTER.search(text) or _NONE_BEFORE.search(text)):
        found.add(NO_EDUCATION)
    if TRAINING in split:
        found.discard(TRAINING)
        if _TRAINING.search(text):
            found.add(TRAINING)
    return sorted(found)


def _only(rest: Sequence[str], allowed: frozenset[str]) -> bool:
    """Whether every content word of ``rest`` is one of ``allowed`` (function words, slots, placeholders,
    numbers and punctuation aside)."""
    from ..normalise import stopwords

    stop = stopwords()
    return all(w in allowed or w in stop or w[:1] in "<{," or not w.isalpha() for w in rest)


#: In a `not:` field: a reflexive verb or `мочь` (`зачисляется`, `устанавливается`, `могут возлагаться`): the words
#: go on as a sentence about the employee, not as a list item naming a document (its participles, `регулирующими`,
#: are keyed as plain verbs and stay allowed).
SENTENCE_VERB = "<глагол-ся>"


def _never(rest: Sequence[str], never: frozenset[str]) -> bool:
    """Whether the words from a match on hold one that the entry's `not:` field excludes."""
    if not never.isdisjoint(rest):
        return True
    return SENTENCE_VERB in never and any(w == "мочь" or w.endswith(("ся", "сь")) and _is_verb(w) for w in rest)


@lru_cache(maxsize=50_000)
def _is_verb(lemma: str) -> bool:
    return parse(lemma).tag.POS in ("INFN", "VERB")


@lru_cache(maxsize=200_000)
def kind_of(lemmas: Sequence[str], label: str) -> Kind | None:
    """The type of a clause of ``label`` with these lemmas (slots as tokens, the lead removed), or None.

    Of the entries of the label, the one whose match starts first wins; at the same start, the one that ends
    first (`соблюдает правила внутреннего распорядка и охраны труда` names the internal rules first), then
    the earlier line.
    """
    best: tuple[int, int, int, Entry] | None = None
    present = set(lemmas)
    for order, entry in enumerate(vocabulary()):
        if label not in entry.labels or not entry.pattern.may_match(present):
            continue
        found = entry.pattern.search(lemmas)
        if found is not None and entry.only is not None and not _only(lemmas[found[1]:], entry.only):
            continue
        if found is not None and entry.never and _never(lemmas[found[0]:], entry.never):
            continue
        if found is not None and entry.decided and not split_words(lemmas, entry.split):
            continue  # it names nothing that decides the provision: the pair model's to compare
        if found is not None and (best is None or (*found, order) < best[:3]):
            best = (*found, order, entry)
    if best is None:
        return None
    start, stop, entry = best[0], best[1], best[3]
    key = entry.name
    if entry.split:
        key += ":" + " ".join(split_words(lemmas, entry.split))
    return Kind(entry.name, key, entry.pattern.text, " ".join(lemmas[start:stop]))
