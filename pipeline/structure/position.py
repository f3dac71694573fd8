"""Titles and positions: «Должностная инструкция менеджера по продажам» -> «менеджер по продажам».

The position is put in the nominative with pymorphy3: the head noun and the adjectives agreeing with it
before it are inflected, the rest (``по продажам``, ``2-го разряда``) is kept as written.

>>> nominative("менеджера по продажам")
'менеджер по продажам'
>>> nominative("главного бухгалтера")
'главный бухгалтер'
>>> nominative("Уборщицы служебных помещений")
'уборщица служебных помещений'
>>> nominative("ПРОИЗВОДИТЕЛЬ РАБОТ")
'производитель работ'
>>> title_phrase("Должностная инструкция водителя-экспедитора, образец 2024")
'водителя-экспедитора'
>>> nominative("повара пятого разряда")
'повар 5-го разряда'
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import inflect
from ..data import entries
from ..text import fold, morph
from .vocab import heading_type

#: Letter-spaced words («Д О Л Ж Н О С Т Н А Я   И Н С Т Р У К Ц И Я»): single letters with single spaces between,
#: words with two or more.
LETTER_SPACED = re.compile(r"(?<!\S)(?:[А-ЯЁA-Z] ){3,}[А-ЯЁA-Z](?!\S)")


def unspaced(text: str) -> str:
    """A letter-spaced title with its letters joined: «Д О Л Ж Н О С Т Н А Я  И Н С Т Р У К Ц И Я» ->
    «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ».

    >>> unspaced("Д О Л Ж Н О С Т Н А Я   И Н С Т Р У К Ц И Я")
    'ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ'
    """
    if not LETTER_SPACED.search(text):
        return text
    return " ".join(LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text).split())


@lru_cache(maxsize=1)
def _title_pattern() -> re.Pattern[str]:
    rows = [line.split("\t") for line in entries("title_kinds.txt")]
    kinds = sorted(((phrase.strip(), use.strip()) for phrase, use in rows), key=lambda r: -len(r[0]))

    def words(phrase: str) -> str:
        return r"\s+".join(re.escape(w) for w in phrase.split())

    alone = "|".join(words(p) for p, use in kinds if use == "alone")
    named = "|".join(words(p) for p, use in kinds if use == "named")
    return re.compile(
        rf"(?:{alone})\b(?!\s+(?:по|о|об)\b)"
        rf"|(?:{named})\b(?=\s*:?\s+[^\W\d_])(?!\s+(?:по|о|об)\b)"
        # «Инструкция» alone on its line over the position
        r"|инструкция\b(?=\s*$)"
        # «§ 112. Машинист насосных установок 3-го разряда»: an entry of the tariff directory (ЕТКС)
        r"|§\s*\d+[.:]?(?=\s+[А-ЯЁ])",
        re.I,
    )


_PHRASE_END = re.compile(r"[,.;:!?()\[\]«»\"]|\s[-–—]\s|\s№")
_SUBJECT = re.compile(
    r"([А-ЯЁ][\w-]*(?:\s+[\w-]+){0,7}?)\s+(?:\(далее[^)]{0,80}\)\s+)?"
    r"(?:относится|назначается|подчиняется|несет|несёт|имеет право|должен|должна|вправе|принимается|является"
    r"|выполняет|осуществляет|руководствуется|обязан|обязана|отвечает|принадлежит)\b"
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_QUOTED_POSITION = re.compile(r"должност[иьяю]\s+[«\"]([^»\"]{3,120})[»\"]", re.I)
GENERIC_SUBJECTS = frozenset(
    "работник сотрудник специалист он она лицо настоящая настоящий должность в на при для каждый данный".split()
)


def title_phrase(text: str) -> str | None:
    """The words after «Должностная инструкция» up to the first punctuation, or None if not a title."""
    text = unspaced(text.strip().lstrip("#* "))
    m = _title_pattern().match(text)
    if not m:
        return None
    rest = text[m.end():]
    if rest.lstrip().startswith(":"):
        rest = rest.lstrip()[1:]  # «Профиль должности: инженер по снабжению»
    cut = _PHRASE_END.search(rest)
    phrase = (rest[: cut.start()] if cut else rest).strip(" *")
    return phrase


def is_title(text: str) -> bool:
    """A title line: «Должностная инструкция …» naming a position, not a sentence about instructions."""
    phrase = title_phrase(text)
    if phrase is None:
        return False
    if not phrase and len(_WORD.findall(_title_pattern().sub("", unspaced(text), count=1))) >= 3:
        return False  # «Должностная инструкция — не формальность. Именно на нее …»: a sentence about instructions
    words = phrase.split()
    if len(words) > 12:
        return False
    if text.lstrip().startswith("§") and (not words or heading_type(phrase) is not None):
        return False  # «§ 2. Права и обязанности сторон»: a section of a contract, not a directory entry
    for word in words:
        parses = morph().parse(word.lower())
        if parses and parses[0].tag.POS in ("VERB", "INFN", "PRTS") and not any(p.tag.POS == "NOUN" for p in parses[:2]):
            return False
    return True


@lru_cache(maxsize=1)
def _ordinals() -> dict[str, int]:
    rows = {}
    for line in entries("ordinals.txt"):
        word, number = line.split("\t")[:2]
        rows[word.strip()] = int(number)
    return rows


_GRADE = re.compile(r"(?<!\S)(?:(\d{1,2})(?:-?о?го)?|([а-яё]+))\s+разряда\b")


def grade_digits(position: str) -> str:
    """«повар пятого разряда», «повар 5 разряда» -> «повар 5-го разряда», as the tariff directory (ЕТКС) writes
    grades, so that one position is not counted as two."""

    def digits(m: re.Match) -> str:
        if m.group(1):
            return f"{m.group(1)}-го разряда"
        word = m.group(2)
        number = next((_ordinals()[fold(p.normal_form)] for p in morph().parse(word)[:2]
                       if fold(p.normal_form) in _ordinals()), None)
        return f"{number}-го разряда" if number else m.group(0)

    return _GRADE.sub(digits, position) if "разряд" in position else position


def nominative(phrase: str) -> str:
    """The position named by ``phrase`` in the nominative, lower case, grades written as digits."""
    return grade_digits((inflect.nominative(phrase) or phrase).lower())


def position_from_title(text: str) -> str:
    phrase = title_phrase(text)
    return nominative(phrase) if phrase else ""


def position_from_subjects(texts: list[str]) -> str:
    """The most frequent subject of «X назначается / подчиняется / несет …» in an instruction's clauses."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        m = _QUOTED_POSITION.search(text)
        candidates = [m.group(1)] if m else []
        m = _SUBJECT.match(text)
        if m:
            candidates.append(m.group(1))
        for cand in candidates:
            words = cand.split()
            if not words or words[0].lower() in GENERIC_SUBJECTS:
                continue
            phrase = nominative(cand)
            counts[phrase] = counts.get(phrase, 0) + 1
            first.setdefault(phrase, i)
    if not counts:
        return ""
    return max(counts, key=lambda k: (counts[k], -first[k], len(k)))
