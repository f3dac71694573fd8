"""Education and experience requirements, found by yargy grammars over an instruction's clauses.

yargy is used where morphology does the work (`высшим профессиональным`, `двух лет`, `полутора лет`); it
brings pymorphy2, which breaks on Python 3.11 unless ``yargy`` itself is imported first (its ``morph`` module
patches pymorphy2), so yargy is imported first, through ``nlp.import_yargy`` (the one place that handles it),
and only inside ``grammars()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Any

from ..data import entries
from .nlp import import_yargy


@lru_cache(maxsize=1)
def education_levels() -> dict[tuple[str, ...], str]:
    """Level phrase (lemmas) -> level, longest phrase first."""
    pairs = [line.split("=", 1) for line in entries("facts_education.txt")]
    table = {tuple(lemmas.split()): level.strip() for lemmas, level in pairs}
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def number_words() -> dict[str, float]:
    return {word: float(value) for word, value in (line.split() for line in entries("facts_numbers.txt"))}


# --- grammars (yargy) -----------------------------------------------------------------------------------

#: Words of the grammars that the trigger sets below (``required_lemmas``) name too.
EXPERIENCE_WORDS = ("стаж", "опыт")
UNIT_WORDS = ("год", "месяц", "полгода")
#: The lemmas of EXPERIENCE's ``limit``: `не менее`, `не меньше`, `от`, `свыше`, `более`.
LIMIT_WORDS = ("менее", "меньше", "от", "свыше", "более")


@lru_cache(maxsize=1)
def grammars() -> SimpleNamespace:
    """The yargy rules, built once on first use (yargy imported here, before anything imports pymorphy2)."""
    import_yargy()  # first: it patches pymorphy2 for Python 3.11
    from yargy import not_, or_, rule
    from yargy.predicates import dictionary, eq, in_, in_caseless, normalized
    from yargy.predicates import type as token_type

    def phrase(lemmas: tuple[str, ...]):
        return rule(*[eq(w) if w in "()" else normalized(w) for w in lemmas])

    level = or_(*[phrase(lemmas) for lemmas in education_levels()])
    joined = rule(in_caseless({"или", "либо", ",", "и"}), level)
    levels = rule(level, joined.repeatable(max=3).optional())
    qualifier = or_(rule(dictionary({"технический", "экономический", "юридический", "педагогический",
                                     "медицинский", "гуманитарный", "инженерный", "профильный",
                                     "профессиональный", "специальный", "соответствующий", "фармацевтический",
                                     "финансовый", "дефектологический"})),
                    rule(in_caseless({"(", ")", "или", ",", "либо", "и"})))
    education = rule(levels, qualifier.repeatable(max=6).optional(), normalized("образование"))
    education_after = rule(normalized("образование"), in_({"-", "—", "–", ":"}), levels)

    integer = rule(token_type("INT"), rule(eq("-"), in_caseless({"х", "ти", "ух", "ех", "и"})).optional())
    amount = or_(integer, rule(dictionary(set(number_words()))),
                 rule(integer, eq("("), dictionary(set(number_words())), eq(")")))
    limit = or_(rule(normalized("не"), or_(rule(normalized("менее")), rule(normalized("меньше")))),
                rule(normalized("от")), rule(normalized("свыше")), rule(normalized("более")))
    unit = dictionary(set(UNIT_WORDS))
    # the words between `стаж` and its amount: never another amount or requirement (two in one sentence)
    gap = rule(not_(or_(eq(";"), eq("."), dictionary({"стаж", "опыт", "год", "месяц", "полгода"})))) \
        .repeatable(max=30).optional()
    experience = rule(dictionary(set(EXPERIENCE_WORDS)), gap, limit, amount.optional(), unit)
    no_experience = rule(normalized("без"), normalized("предъявление").optional(), normalized("требование"),
                         normalized("к"), dictionary(set(EXPERIENCE_WORDS)))
    return SimpleNamespace(LEVEL=level, EDUCATION=education, EDUCATION_AFTER=education_after,
                           EXPERIENCE=experience, NO_EXPERIENCE=no_experience)


@cache
def parser(name: str) -> Any:
    from yargy import Parser

    return Parser(getattr(grammars(), name))


#: Words every match of a grammar contains: the parser (Earley, ~1 ms a clause each) runs only where they occur.
GATES = {
    "EDUCATION": re.compile(r"образован", re.I),
    "EDUCATION_AFTER": re.compile(r"образован[а-яё]*\s*[-—–:]", re.I),  # `образование - высшее`
    "EXPERIENCE": re.compile(r"стаж|опыт", re.I),
    "NO_EXPERIENCE": re.compile(r"\bбез\b", re.I),
}


@lru_cache(maxsize=1)
def required_lemmas() -> dict[str, tuple[frozenset[str], ...]]:
    """Per grammar, sets of lemmas of which every match has one each (its own words; yargy's ``normalized``
    and ``dictionary`` compare a token's lemmas): a text without them cannot match, and is not parsed."""
    first_level_words = frozenset(lemmas[0] for lemmas in education_levels())
    levels = (first_level_words,) if not first_level_words & {"(", ")"} else ()
    return {
        "EDUCATION": (frozenset({"образование"}), *levels),
        "EDUCATION_AFTER": (frozenset({"образование"}), *levels),
        "EXPERIENCE": (frozenset(EXPERIENCE_WORDS), frozenset(LIMIT_WORDS), frozenset(UNIT_WORDS)),
        "NO_EXPERIENCE": (frozenset({"без"}), frozenset({"требование"}), frozenset({"к"}),
                          frozenset(EXPERIENCE_WORDS)),
    }


def find(name: str, text: str) -> list[Any]:
    """The matches of the named grammar in ``text``."""
    if name in GATES and name not in _open_gates(text):
        return []
    present = _token_lemmas(text)
    if not all(present & wanted for wanted in required_lemmas().get(name, ())):
        return []
    return list(_findall(name, text))


@lru_cache(maxsize=20_000)
def _open_gates(text: str) -> frozenset[str]:
    """The grammars whose GATES word ``text`` holds (each text is asked about all four, and texts recur)."""
    return frozenset(name for name, gate in GATES.items() if gate.search(text))


@lru_cache(maxsize=20_000)
def _token_lemmas(text: str) -> frozenset[str]:
    """Every lemma yargy's tokenizer gives the words of ``text`` (a tenth of the cost of a parse)."""
    return frozenset(form.normalized for token in parser("LEVEL").tokenizer(text)
                     for form in getattr(token, "forms", ()))


@lru_cache(maxsize=20_000)
def _findall(name: str, text: str) -> tuple[Any, ...]:
    # requirement clauses repeat word for word across instructions written from one template;
    # yargy's matches are read, never changed, so one parse serves every repetition
    return tuple(parser(name).findall(text))


def _lemma_options(token: Any) -> set[str]:
    return {f.normalized for f in getattr(token, "forms", [])} | {token.value.lower()}


def _level_of(match: Any) -> str:
    options = [_lemma_options(t) for t in match.tokens]
    for lemmas, level in education_levels().items():
        if len(lemmas) == len(options) and all(w in o for w, o in zip(lemmas, options, strict=True)):
            return level
    return ""


# --- education and experience ---------------------------------------------------------------------------

#: A field named after `образование`: `по специальности «...»`, `в области ...`, `по направлению подготовки`.
FIELD = re.compile(
    r"^\s*\(?\s*(?:по\s+специальност\w*|по\s+направлени\w*(?:\s+подготовки)?|в\s+области|в\s+сфере"
    r"|по\s+профил\w*(?:\s+образования)?)"
    r"\s+(?:«(?P<quoted>[^»]+)»|(?P<field>.+?)(?=\)|[;.]|\s+(?:и|или|либо|без)\s+(?:стаж|опыт|без|дополнит|высш|средн|"
    r"в\s+области|свидетельств|сертификат|удостоверени|наличи)"
    r"|\s+(?:без|либо|или)\s|,\s|$))",
    re.I | re.S,
)
#: Qualifying adjectives between the level and `образование` that name a field (`высшее экономическое`).
NOT_FIELD = frozenset({"профессиональное", "профессионального", "профессиональным", "специальное", "или",
                       "либо", "и", "соответствующее"})


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("«", "").replace("»", "").replace('"', "")).strip(" ,;:.-—")


def education(texts: Iterable[str]) -> tuple[tuple[str, ...], str, list[str]]:
    """Levels in order of mention, the field (named phrase first, else qualifying adjectives), evidence."""
    levels: list[str] = []
    field, evidence = "", []
    for text in texts:
        matches = find("EDUCATION", text) + find("EDUCATION_AFTER", text)
        for match in sorted(matches, key=lambda m: m.span.start):
            span = text[match.span.start:match.span.stop]
            for level_match in find("LEVEL", span):
                level = _level_of(level_match)
                if level and level not in levels:
                    levels.append(level)
            if not field:  # the first requirement that names a field: a phrase after it, else its adjectives
                found = FIELD.match(text[match.span.stop:])
                field = _clean(found.group("quoted") or found.group("field")) if found else _field_adjectives(match)
            if text not in evidence:
                evidence.append(text)
    return tuple(levels), field, evidence


def _field_adjectives(match: Any) -> str:
    words = [t.value for t in match.tokens if t.value.isalpha()]
    level_words = {w for lemmas in education_levels() for w in lemmas}
    kept = []
    for token in match.tokens:
        value = token.value.lower()
        if not value.isalpha() or value in NOT_FIELD or _lemma_options(token) & (level_words | {"образование"}):
            if kept and value in {"или", "и"}:
                kept.append(value)
            continue
        kept.append(value)
    while kept and kept[-1] in {"или", "и"}:
        kept.pop()
    return " ".join(kept) if words else ""


def _amount(match: Any) -> float:
    value: float | None = None
    for token in match.tokens:
        if token.type == "INT" and value is None:
            value = float(token.value)
        for lemma in _lemma_options(token):
            if value is None and lemma in number_words():
                value = number_words()[lemma]
    last = _lemma_options(match.tokens[-1])
    if "полгода" in last:
        return 0.5 if value is None else value / 2
    if value is None:
        value = 1.0  # `от года`, `не менее года`
    if "месяц" in last:
        return round(value / 12, 2)
    return value


def experience(texts: Iterable[str]) -> tuple[tuple[float, ...], list[str]]:
    """Every experience requirement in order of mention (0 for `без предъявления требований к стажу`)."""
    years: list[float] = []
    evidence = []
    for text in texts:
        found = [(m.span.start, 0.0) for m in find("NO_EXPERIENCE", text)]
        found += [(m.span.start, _amount(m)) for m in find("EXPERIENCE", text)]
        for _, value in sorted(found):
            if value not in years:
                years.append(value)
        if found:
            evidence.append(text)
    return tuple(years), evidence
