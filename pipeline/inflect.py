"""The one nominative inflector: a noun group turned into the nominative, the rest kept as written.

Positions come in the genitive from titles («инструкция главного бухгалтера»), roles in the dative or the
instrumental from clauses («подчиняется коммерческому директору», «приказом директора»). One function puts
either into the nominative with pymorphy3: the head noun and the words agreeing with it before it are
inflected (a person, in the singular, is preferred to a thing), an adjective right after the head agrees
with it unless it belongs to the noun after it, and an adjective or participle used as a noun
(«горничной», «заведующему складом») is itself the head.

>>> nominative("главного бухгалтера")
'главный бухгалтер'
>>> nominative("коммерческому директору компании", ("datv",))
'коммерческий директор компании'
>>> nominative("заведующим аптекой", ("ablt",))
'заведующий аптекой'
>>> nominative("санитарки палатной хирургического отделения")
'санитарка палатная хирургического отделения'
>>> nominative("непосредственно", ("datv",))
''
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .text import morph

#: The cases a position can be written in after «Должностная инструкция» or as a heading of its own.
TITLE_CASES = ("nomn", "gent", "accs")
_AGREEING = ("ADJF", "PRTF")


@lru_cache(maxsize=8192)
def nominative(phrase: str, cases: tuple[str, ...] = TITLE_CASES) -> str:
    """``phrase`` (a noun group in one of ``cases``) with its head group in the nominative, lower case
    (abbreviations inside a mixed-case phrase kept: «ИТ»); ``""`` when no noun group in those cases starts it."""
    tokens = phrase.split()
    if not tokens:
        return ""
    shouting = all(not c.isalpha() or c.isupper() for c in phrase)
    out = [t.lower() if shouting else keep_abbreviation(t) for t in tokens]
    words = [_bare(t) for t in out]
    head = _head_index(words, cases)
    if head is None:
        return _substantive(out, words, cases)
    nouns = [p for p in morph().parse(words[head]) if p.tag.POS == "NOUN" and p.tag.case in cases]
    # A position is one person: the singular reading wins («уборщицы» is «уборщица», not plural), and a
    # person, not a thing («механика гаража» is the mechanic's, not the science).
    nouns.sort(key=lambda p: (p.tag.number != "sing" and "Pltm" not in p.tag, p.tag.animacy != "anim",
                              _rank(p.tag.case, cases)))
    head_parse = nouns[0]
    if head > 0 and not _agrees(words[head - 1], head_parse):
        # «заведующим аптекой»: the participle is the head and governs the noun after it
        return _substantive(out, words, cases)
    number = "plur" if head_parse.tag.number == "plur" and "Pltm" not in head_parse.tag else "sing"
    form = head_parse.inflect({"nomn", number})
    if form is not None:
        out[head] = _keep_spelling(out[head], form.word)
    gender = head_parse.tag.gender or "masc"
    for i in range(head):
        for p in morph().parse(words[i]):
            if p.tag.POS in _AGREEING and p.tag.case in (head_parse.tag.case, "gent"):
                out[i] = _in_nominative(out[i], p, number, gender)
                break
    if head + 1 < len(out):
        out[head + 1] = _postpositive(out[head + 1], words[head + 2] if head + 2 < len(words) else "",
                                      head_parse)
    return " ".join(out)


def _rank(case: str, cases: tuple[str, ...]) -> int:
    return cases.index(case) if case in cases else len(cases)


def _bare(token: str) -> str:
    return token.lower().strip("«»\"'(),")


def keep_abbreviation(token: str) -> str:
    letters = [c for c in token if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return token  # an abbreviation: ЧОП, ИТ
    return token.lower()


def _head_index(words: list[str], cases: tuple[str, ...]) -> int | None:
    """The head noun: the first noun in one of ``cases`` after the words that can agree with it."""
    for i, word in enumerate(words):
        parses = morph().parse(word)
        if parses and parses[0].tag.POS in ("ADJF", "PRTF", "NUMR"):
            continue
        # «главного бухгалтера»: a word that can be an adjective before a noun is not the head.
        if i + 1 < len(words) and any(p.tag.POS in _AGREEING for p in parses[:4]) and any(
            p.tag.POS == "NOUN" for p in morph().parse(words[i + 1])[:2]
        ):
            continue
        if any(p.tag.POS == "NOUN" and p.tag.case in cases for p in parses[:3]):
            return i
        return None
    return None


def _agrees(word: str, noun: Any) -> bool:
    """Whether the word before the head can agree with it (a non-agreeing word is not its attribute)."""
    parses = [p for p in morph().parse(word) if p.tag.POS in _AGREEING]
    if not parses:
        return True  # a number or an abbreviation: nothing to check
    if noun.tag.case == "ablt" and parses[0].tag.POS == "PRTF":
        return False  # «заведующим складом»: a participle governs a noun in the instrumental, it does not agree
    wanted = noun.tag.number if noun.tag.number == "plur" else noun.tag.gender
    return any(noun.tag.case in p.tag and (wanted is None or wanted in p.tag) for p in parses)


def _postpositive(word: str, after: str, head: Any) -> str:
    """«санитарки палатной» -> «санитарка палатная»: an adjective after its noun agrees with it, unless it
    belongs to the noun after it («начальника технического отдела» keeps «технического»)."""
    tag = head.tag
    bare = _bare(word)
    parses = morph().parse(bare)[:6]
    if after and any(p.tag.POS == "ADJF" and q.tag.POS == "NOUN" and q.tag.case == p.tag.case
                     and q.tag.number == p.tag.number and (p.tag.number == "plur" or q.tag.gender == p.tag.gender)
                     for p in parses for q in morph().parse(after)[:4]):
        return word
    for p in parses:
        if p.tag.POS != "ADJF" or p.tag.case != tag.case or p.tag.number != tag.number or \
                (tag.number == "sing" and p.tag.gender != tag.gender):
            continue
        return _in_nominative(word, p, tag.number or "sing", tag.gender)
    return word


def _substantive(out: list[str], words: list[str], cases: tuple[str, ...]) -> str:
    """«горничной», «заведующего хозяйством», «старшей горничной»: a position named by an adjective or a
    participle used as a noun; the last of the leading adjectives is the head, the words after it are kept."""
    k = 0
    while k < len(words) and any(p.tag.POS in _AGREEING for p in morph().parse(words[k])[:4]):
        k += 1
    if k == 0:
        return ""
    head = [p for p in morph().parse(words[k - 1]) if p.tag.POS in _AGREEING and p.tag.number == "sing"
            and p.tag.case in cases]
    if not head:
        return ""
    # the person's gender: «горничной» is feminine only, «заведующего» masculine (or neuter, never a person)
    head.sort(key=lambda p: (p.tag.gender == "neut", _rank(p.tag.case, cases)))
    gender = head[0].tag.gender or "masc"
    out = list(out)
    for i in range(k):
        for p in morph().parse(words[i]):
            if p.tag.POS in _AGREEING and p.tag.number == "sing" and p.tag.gender == gender:
                out[i] = _in_nominative(out[i], p, "sing", gender)
                break
    return " ".join(out)


def _in_nominative(word: str, parse: Any, number: str, gender: str | None) -> str:
    """An adjective (``word``, read as ``parse``) in the nominative, agreeing in number and, in the singular,
    in gender."""
    form = parse.inflect({"nomn", number} | ({gender} if number == "sing" and gender else set()))
    return _keep_spelling(word, form.word) if form is not None else word


def _keep_spelling(original: str, inflected: str) -> str:
    # pymorphy inflects «водителя-экспедитора» as a whole; trust it unless it dropped a part.
    # It also writes ё where the source wrote е: keep the source's spelling.
    if "ё" not in original:
        inflected = inflected.replace("ё", "е")
    return inflected if inflected.count("-") == original.count("-") else original
