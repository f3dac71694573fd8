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
from typing import Any

from ..data import entries
from ..lemmas import morph
from .vocab import heading_type

TITLE = re.compile(
    r"(?:должностная|рабочая|производственная)\s+инструкция\b|инструкция\b(?=\s*$)"
    # «КВАЛИФИКАЦИОННАЯ ХАРАКТЕРИСТИКА» over «Педагог-организатор»: the directory's kind of document
    r"|квалификационная\s+характеристика\b(?=\s*$|\s+[А-ЯЁ][а-яё])"
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
    m = TITLE.match(text.strip().lstrip("#* "))
    if not m:
        return None
    rest = text.strip().lstrip("#* ")[m.end():]
    cut = _PHRASE_END.search(rest)
    phrase = (rest[: cut.start()] if cut else rest).strip(" *")
    return phrase


def is_title(text: str) -> bool:
    """A title line: «Должностная инструкция …» naming a position, not a sentence about instructions."""
    phrase = title_phrase(text)
    if phrase is None:
        return False
    if not phrase and len(_WORD.findall(TITLE.sub("", text, count=1))) >= 3:
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


def _head_index(words: list[str]) -> int | None:
    for i, word in enumerate(words):
        parses = morph().parse(word.lower())
        if parses and parses[0].tag.POS in ("ADJF", "PRTF", "NUMR"):
            continue
        # «главного бухгалтера»: a word that can be an adjective before a noun is not the head.
        if i + 1 < len(words) and any(p.tag.POS in ("ADJF", "PRTF") for p in parses[:4]) and any(
            p.tag.POS == "NOUN" for p in morph().parse(words[i + 1].lower())[:2]
        ):
            continue
        for p in parses[:3]:
            if p.tag.POS == "NOUN" and p.tag.case in ("gent", "nomn", "accs"):
                return i
    return None


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
        number = next((_ordinals()[p.normal_form.replace("ё", "е")] for p in morph().parse(word)[:2]
                       if p.normal_form.replace("ё", "е") in _ordinals()), None)
        return f"{number}-го разряда" if number else m.group(0)

    return _GRADE.sub(digits, position) if "разряд" in position else position


@lru_cache(maxsize=4096)
def nominative(phrase: str) -> str:
    """The phrase with its head noun (and the adjectives agreeing before it) in the nominative, lower case."""
    return grade_digits(_nominative(phrase))


def _nominative(phrase: str) -> str:
    words = phrase.split()
    if not words:
        return ""
    out = [w.lower() for w in words]
    head = _head_index(words)
    if head is None:
        return _substantive_nominative(out)
    nouns = [p for p in morph().parse(out[head]) if p.tag.POS == "NOUN" and p.tag.case in ("gent", "nomn", "accs")]
    # A position is one person: the singular reading wins («уборщицы» is «уборщица», not plural), and a
    # person, not a thing («механика гаража» is the mechanic's, not the science).
    nouns.sort(key=lambda p: (p.tag.number != "sing", p.tag.animacy != "anim", p.tag.case != "nomn",
                              p.tag.case != "gent"))
    head_parse = nouns[0] if nouns else None
    if head_parse is None:
        return " ".join(out)
    number = head_parse.tag.number or "sing"
    form = head_parse.inflect({"nomn", number})
    if form is not None:
        out[head] = _keep_hyphen_parts(out[head], form.word)
    gender = head_parse.tag.gender or "masc"
    for i in range(head):
        for p in morph().parse(out[i]):
            if p.tag.POS in ("ADJF", "PRTF") and p.tag.case in (head_parse.tag.case, "gent"):
                out[i] = _in_nominative(out[i], p, number, gender)
                break
    if head + 1 < len(out):
        out[head + 1] = _postpositive(out[head + 1], out[head + 2] if head + 2 < len(out) else "", head_parse)
    return " ".join(out)


def _postpositive(word: str, after: str, head: Any) -> str:
    """«санитарки палатной» -> «санитарка палатная»: an adjective after its noun agrees with it, unless it
    belongs to the noun after it («начальника технического отдела» keeps «технического»)."""
    tag = head.tag
    parses = morph().parse(word)[:6]
    if after and any(p.tag.POS == "ADJF" and q.tag.POS == "NOUN" and q.tag.case == p.tag.case
                     and q.tag.number == p.tag.number and (p.tag.number == "plur" or q.tag.gender == p.tag.gender)
                     for p in parses for q in morph().parse(after)[:4]):
        return word  # «программного обеспечения», «технического отдела»: it goes with the noun after it
    for p in parses:
        if p.tag.POS != "ADJF" or p.tag.case != tag.case or p.tag.number != tag.number or \
                (tag.number == "sing" and p.tag.gender != tag.gender):
            continue
        return _in_nominative(word, p, tag.number or "sing", tag.gender)
    return word


def _substantive_nominative(out: list[str]) -> str:
    """«горничной», «заведующего хозяйством», «старшей горничной»: a position named by an adjective or a
    participle used as a noun; the last of the leading adjectives is the head, the words after it are kept."""
    k = 0
    while k < len(out) and any(p.tag.POS in ("ADJF", "PRTF") for p in morph().parse(out[k])[:4]):
        k += 1
    if k == 0:
        return " ".join(out)
    head = [p for p in morph().parse(out[k - 1]) if p.tag.POS in ("ADJF", "PRTF") and p.tag.number == "sing"
            and p.tag.case in ("gent", "nomn")]
    if not head:
        return " ".join(out)
    # the person's gender: «горничной» is feminine only, «заведующего» masculine (or neuter, never a person)
    head.sort(key=lambda p: p.tag.gender == "neut")
    gender = head[0].tag.gender or "masc"
    for i in range(k):
        for p in morph().parse(out[i]):
            if p.tag.POS in ("ADJF", "PRTF") and p.tag.number == "sing" and p.tag.gender == gender:
                out[i] = _in_nominative(out[i], p, "sing", gender)
                break
    return " ".join(out)


def _in_nominative(word: str, parse: Any, number: str, gender: str | None) -> str:
    """An adjective (``word``, read as ``parse``) in the nominative, agreeing in number and, in the singular,
    in gender."""
    form = parse.inflect({"nomn", number} | ({gender} if number == "sing" and gender else set()))
    return _keep_hyphen_parts(word, form.word) if form is not None else word


def _keep_hyphen_parts(original: str, inflected: str) -> str:
    # pymorphy inflects «водителя-экспедитора» as a whole; trust it unless it dropped a part.
    # It also writes ё where the source wrote е: keep the source's spelling.
    if "ё" not in original:
        inflected = inflected.replace("ё", "е")
    return inflected if inflected.count("-") == original.count("-") else original


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
