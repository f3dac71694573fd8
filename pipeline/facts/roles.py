"""Who the position reports to, who substitutes, who appoints: a phrase found by a regular expression, its
head put into the nominative by ``pipeline.inflect``.

>>> nominative("коммерческому директору компании", "datv")
'коммерческий директор'
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import inflect
from ..data import entries


@lru_cache(maxsize=1)
def org_words() -> frozenset[str]:
    return frozenset(entries("facts_org_words.txt"))


# --- roles ----------------------------------------------------------------------------------------------

#: `подчиняется (непосредственно) <кому>`; the phrase is in the dative.
REPORTS_TO = re.compile(r"\bподчиняется\s+(?:непосредственно\s+)?(?P<who>[^.;]+)", re.I)
#: `приказом <кого>` after `назначается` / `принимается`; the phrase is in the genitive.
APPOINTED_BY_ORDER = re.compile(
    r"\b(?:назначается|принимается|освобождается)\b[^.;]*?\bприказом\s+(?P<who>[^.;]+)", re.I)
#: `назначается ... и освобождается от должности <кем>`; the phrase is in the instrumental.
APPOINTED_BY_PERSON = re.compile(
    r"\b(?:назначается|освобождается)\b[^.;]*?\bот\s+(?:должности|нее|неё|него|работы)\s+(?P<who>[^.;]+)",
    re.I)
#: `в период (временного) отсутствия ... <глагол> <кто>`; the verb decides the case of the phrase.
SUBSTITUTE = re.compile(
    r"\b(?:в\s+период|во\s+время|на\s+время|на\s+период)\s+(?:его\s+)?(?:временного\s+)?отсутствия\b[^.;]*?"
    r"\b(?P<verb>исполняет|исполняют|выполняет|замещает|возлагаются\s+на|переходят\s+к)\s+(?P<who>[^.;]+)",
    re.I)
SUBSTITUTE_CASE = {"исполняет": "nomn", "исполняют": "nomn", "выполняет": "nomn", "замещает": "nomn",
                   "возлагаются на": "accs", "переходят к": "datv"}
#: A word each role pattern above needs (REPORTS_TO, APPOINTED_BY_*, SUBSTITUTE).
ROLE_VERBS = re.compile(r"подчиняется|назначается|принимается|освобождается|отсутствия", re.I)
#: Where a role phrase ends: a second clause (`, а по вопросам`), a condition, a procedure.
ROLE_END = re.compile(
    r",\s*(?:а|о\s+чем|который|которая|что)\b|\s+(?:по\s+представлению|по\s+согласованию|в\s+соответствии|"
    r"в\s+установленном|в\s+порядке|на\s+основании|согласно|с\s+учетом|с\s+учётом|по\s+вопросам|в\s+части|из\s+числа)\b"
    r"|\s+[-–—]\s+",
    re.I)
#: A person's name after a role (`заместителю директора Покалюку Д.Г.`): case matters, so apart from ROLE_END.
PERSON = re.compile(r"\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ](?:\.|$)|\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.")
#: Alternatives and conjuncts inside one role phrase (`начальнику охраны объекта и старшему смены`).
ROLE_SPLIT = re.compile(r"\s*/\s*|\s*,\s*|\s+и\s+|\s+или\s+", re.I)
PLACEHOLDER = re.compile(r"_{2,}|\(\s*(?:ф\.\s*и\.\s*о|должност|подпись|фио)", re.I)

def nominative(phrase: str, case: str) -> str:
    """``phrase`` with its head noun group turned from ``case`` into the nominative (``pipeline.inflect``),
    employer words at the end dropped; ``""`` when no noun group in that case starts it."""
    if case == "nomn":
        return _drop_org(" ".join(inflect.keep_abbreviation(t) for t in phrase.split()))
    return _drop_org(inflect.nominative(phrase, (case,)))


def _drop_org(text: str) -> str:
    words = text.split()
    cut = len(words)
    for i, word in enumerate(words):
        if i > 0 and word.lower().strip("«»\"'") in org_words():
            cut = i
            break
    return " ".join(words[:cut]).strip(" ,;:.-—")


def _role_phrase(raw: str) -> str:
    text = PERSON.split(ROLE_END.split(raw, maxsplit=1)[0], maxsplit=1)[0]
    if PLACEHOLDER.search(text):
        inner = re.search(r"\(([^)]*)\)", text)
        if inner is None or PLACEHOLDER.search(inner.group(0)):
            return ""
        text = inner.group(1)
    return re.sub(r"\s+", " ", text).strip(" ,;:.-—«»")


def reports_to(text: str) -> tuple[str, ...]:
    found = REPORTS_TO.search(text)
    if not found:
        return ()
    phrase = _role_phrase(found.group("who"))
    roles = [nominative(part, "datv") for part in ROLE_SPLIT.split(phrase) if part.strip()]
    return tuple(r for r in roles if r)


def appointed_by(text: str) -> str:
    for pattern, case in ((APPOINTED_BY_ORDER, "gent"), (APPOINTED_BY_PERSON, "ablt")):
        found = pattern.search(text)
        if found:
            phrase = _role_phrase(found.group("who"))
            if phrase:
                return nominative(ROLE_SPLIT.split(phrase)[0], case)
    return ""


def substitute(text: str) -> str:
    found = SUBSTITUTE.search(text)
    if not found:
        return ""
    verb = re.sub(r"\s+", " ", found.group("verb").lower())
    phrase = _role_phrase(found.group("who"))
    if not phrase:
        return ""
    head, _, rest = phrase.partition(",")
    # a generic `лицо` is named by what follows (`лицо, назначенное приказом ...`); anyone else by the head
    if rest and head.strip().lower() == "лицо":
        return re.sub(r"\s+", " ", phrase.lower())
    return nominative(head, SUBSTITUTE_CASE[verb])


