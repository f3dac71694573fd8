"""Structured facts of one instruction, found by rules: education, experience, roles, approval.

- education level(s) and field, years of experience: yargy grammars (``grammars()``: EDUCATION,
  EDUCATION_AFTER, LEVEL, EXPERIENCE, NO_EXPERIENCE) over the instruction's clauses. yargy is used where
  morphology does the work (`высшим профессиональным`, `двух лет`, `полутора лет`); it brings pymorphy2,
  which breaks on Python 3.11 unless ``yargy`` itself is imported first (its ``morph`` module patches
  pymorphy2), so this module imports yargy before anything else and only inside ``grammars()``;
- who the position reports to, who substitutes, who appoints: the regular expressions below find the
  phrase, :func:`nominative` (pymorphy3, ``pipeline.lemmas``) turns its head into the nominative case;
- who approved the document and when: the УТВЕРЖДАЮ block before the instruction (or just after its title).

>>> nominative("коммерческому директору компании", "datv")
'коммерческий директор'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from . import inflect
from .data import entries
from .records import Clause, Instruction

#: Fact fields compared with the gold (``score``).
FIELDS = ("education", "education_field", "experience_years", "reports_to", "substitute", "appointed_by",
          "approved_by", "approved_on")
#: How far before an instruction (characters) its approval block may stand, and how far after its start.
APPROVAL_BEFORE = 1500
APPROVAL_AFTER = 400
#: Clauses longer than this (characters) are not searched for facts: no real clause comes near it (a long one
#: is a few hundred), while yargy spends half a minute and more on a 1 MB one (a file that lost its line breaks).
MAX_FACT_CLAUSE_CHARS = 5_000


@dataclass(frozen=True)
class Facts:
    """What one instruction says about its position; empty values where the text says nothing."""

    source: str
    instruction: int
    position: str = ""
    education: tuple[str, ...] = ()  # levels in order of mention: высшее, среднее профессиональное, ...
    education_field: str = ""
    experience_years: tuple[float, ...] = ()  # every requirement in order of mention; 0 = no requirement
    reports_to: tuple[str, ...] = ()
    substitute: str = ""
    appointed_by: str = ""
    approved_by: str = ""
    approved_on: str = ""  # ISO date, or the year alone when day and month are blanks
    evidence: tuple[tuple[str, str], ...] = ()  # (fact, the text it came from)

    @property
    def min_experience(self) -> float | None:
        return min(self.experience_years) if self.experience_years else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = [list(v) if isinstance(v, tuple) else v for v in value] if isinstance(value, tuple) \
                else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Facts:
        names = {f.name for f in fields(cls)}
        kwargs = {k: (tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v)
                  for k, v in data.items() if k in names}
        return cls(**kwargs)


# --- vocabularies ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def education_levels() -> dict[tuple[str, ...], str]:
    """Level phrase (lemmas) -> level, longest phrase first."""
    pairs = [line.split("=", 1) for line in entries("facts_education.txt")]
    table = {tuple(lemmas.split()): level.strip() for lemmas, level in pairs}
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def number_words() -> dict[str, float]:
    return {word: float(value) for word, value in (line.split() for line in entries("facts_numbers.txt"))}


@lru_cache(maxsize=1)
def org_words() -> frozenset[str]:
    return frozenset(entries("facts_org_words.txt"))


# --- grammars (yargy) -----------------------------------------------------------------------------------

#: Words of the grammars that the trigger sets below (``required_lemmas``) name too.
EXPERIENCE_WORDS = ("стаж", "опыт")
UNIT_WORDS = ("год", "месяц", "полгода")
#: The lemmas of EXPERIENCE's ``limit``: `не менее`, `не меньше`, `от`, `свыше`, `более`.
LIMIT_WORDS = ("менее", "меньше", "от", "свыше", "более")


@lru_cache(maxsize=1)
def grammars() -> SimpleNamespace:
    """The yargy rules, built once on first use (yargy imported here, before anything imports pymorphy2)."""
    import yargy  # noqa: F401  (first: patches pymorphy2 for Python 3.11)
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
        return _drop_org(" ".join(_lower(t) for t in phrase.split()))
    return _drop_org(inflect.nominative(phrase, (case,)))


def _lower(token: str) -> str:
    letters = [c for c in token if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return token  # an abbreviation: ЧОП, ИТ
    return token.lower()


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


# --- approval -------------------------------------------------------------------------------------------

APPROVAL = re.compile(r"\bУТВЕРЖДАЮ\b|\bУТВЕРЖДЕН[АО]?\b", re.I)
#: Where the approver's position ends on its line: blanks for the signature, a name, the organisation.
APPROVER_END = re.compile(
    r"_{2,}|/|\s[А-ЯЁ]\.\s?[А-ЯЁ]\.|\s[А-ЯЁ]{2,}\b|«|\"|\d")  # blanks, a name, an organisation, a date
MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
          "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
#: `«01» апреля 2024 г.`, `01 апреля 2024`, `01.04.2024`, `«__» ____ 2024 г.`
DATE_WORDS = re.compile(r"[«\"]?\s*(?P<day>\d{1,2}|_+)\s*[»\"]?\s*(?P<month>[а-яё]+|_+)\s*(?P<year>\d{4})", re.I)
DATE_DIGITS = re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b")
#: Lines of the approval block that are never the approver's position.
NOT_POSITION = re.compile(r"^(?:приказ|от\b|м\.?\s?п|\(|подпись|ф\.?и\.?о)", re.I)


def _block_lines(text: str, at: int) -> list[str]:
    """The approval block's lines from the keyword on, cut to its column (blocks stand side by side)."""
    line_start = text.rfind("\n", 0, at) + 1
    prefix = text[line_start:at]
    # indented, or to the right of another block (`СОГЛАСОВАНО      УТВЕРЖДАЮ`); not after `**` markup
    column = len(prefix) if not prefix.strip() or prefix.endswith("  ") else 0
    lines = []
    for line in text[at:].split("\n")[:8]:
        line = line[column:] if lines and column else line  # the first line already starts at the keyword
        lines.append(line.rstrip("\r").lstrip(">").strip(" *>"))  # Markdown emphasis and quotes
        if len(lines) > 1 and not lines[-1]:
            break
    lines[0] = APPROVAL.sub("", lines[0], count=1).strip(" *:")
    return [line for line in lines if line]


def _approver(lines: Sequence[str]) -> str:
    for line in lines:
        if NOT_POSITION.match(line) or DATE_WORDS.search(line) and not re.match(r"[А-ЯЁа-яё]{3}", line):
            continue
        cut = APPROVER_END.search(line)
        candidate = (line[:cut.start()] if cut else line).strip(" ,.:")
        if re.search(r"[а-яё]{3}", candidate, re.I):
            return candidate.lower()
        if cut and cut.group(0).startswith("_"):
            continue
    return ""


def _date(lines: Sequence[str]) -> str:
    for line in lines:
        found = DATE_DIGITS.search(line)
        if found:
            return f"{found['year']}-{int(found['month']):02d}-{int(found['day']):02d}"
        found = DATE_WORDS.search(line)
        if found:
            month = next((n for stem, n in MONTHS.items() if found["month"].lower().startswith(stem)), 0)
            if found["day"].isdigit() and month:
                return f"{found['year']}-{month:02d}-{int(found['day']):02d}"
            return found["year"]
    return ""


def approval(document_text: str, instruction: Instruction, not_before: int = 0) -> tuple[str, str, str]:
    """(approver's position, date, the block's text) of the УТВЕРЖДАЮ block that belongs to ``instruction``.

    The block stands before the instruction or just after its title; ``not_before`` keeps the block of
    the instruction before out (a false instruction found in an article's text may still cover a block).
    """
    start = max(not_before, instruction.start - APPROVAL_BEFORE, 0)
    stop = min(instruction.stop, instruction.start + APPROVAL_AFTER)
    found = list(APPROVAL.finditer(document_text, start, stop))
    if not found:
        return "", "", ""
    before = [m for m in found if m.start() < instruction.start]
    at = (before[-1] if before else found[0]).start()
    lines = _block_lines(document_text, at)
    return _approver(lines), _date(lines), "\n".join(lines)


# --- the instruction ------------------------------------------------------------------------------------


def extract_facts(instruction: Instruction, clauses: Sequence[Clause], document_text: str,
                  not_before: int = 0) -> Facts:
    """The facts of one instruction from its clauses (and, for the approval block, the document text)."""
    own = [c for c in clauses if c.instruction == instruction.index and c.source == instruction.source] or \
        list(clauses)
    texts = [re.sub(r"\s+", " ", c.text) for c in own if len(c.text) <= MAX_FACT_CLAUSE_CHARS]
    levels, field, education_evidence = education(texts)
    years, experience_evidence = experience(texts)
    evidence: list[tuple[str, str]] = [("education", t) for t in education_evidence]
    evidence += [("experience_years", t) for t in experience_evidence if ("education", t) not in evidence]
    roles: dict[str, Any] = {"reports_to": (), "substitute": "", "appointed_by": ""}
    for text in texts:
        if not ROLE_VERBS.search(text):
            continue  # one search instead of the four patterns, on the nine clauses in ten that name no role
        for name, rule in (("reports_to", reports_to), ("substitute", substitute), ("appointed_by", appointed_by)):
            if not roles[name]:
                value = rule(text)
                if value:
                    roles[name] = value
                    evidence.append((name, text))
    approver, date, block = approval(document_text, instruction, not_before)
    if block:
        evidence.append(("approval", block))
    return Facts(source=instruction.source, instruction=instruction.index, position=instruction.position,
                 education=levels, education_field=field, experience_years=years, approved_by=approver,
                 approved_on=date, evidence=tuple(evidence), **roles)


def extract_all(instructions: Sequence[Instruction], clauses: Sequence[Clause], document_text: str) -> list[Facts]:
    """The facts of every instruction of one document, in document order.

    An approval block belongs to the next instruction, unless it stands right after an instruction's title.
    """
    out, not_before = [], 0
    for instruction in sorted(instructions, key=lambda i: i.start):
        out.append(extract_facts(instruction, clauses, document_text, not_before))
        not_before = instruction.start + APPROVAL_AFTER
    return out


def facts_of_file(path: str | Path, classifier: Any) -> list[Facts]:
    """The facts of every instruction of one file (read, structured and classified here); [] when it has none."""
    from .batch import process_file
    from .readers import ReadError, read

    result = process_file(Path(path), classifier)
    if result.status != "ok":
        return []
    try:
        text = read(Path(path)).text
    except ReadError:
        return []
    return extract_all(result.instructions, result.clauses, text)


def facts_row(facts: Facts) -> dict[str, Any]:
    """One flat row for a table (CSV, a workbook sheet, a database table): lists joined with `; `, no evidence."""
    row = {k: v for k, v in facts.to_dict().items() if k != "evidence"}
    for key in ("education", "reports_to"):
        row[key] = "; ".join(row[key])
    row["experience_years"] = "; ".join(f"{y:g}" for y in facts.experience_years)
    row["min_experience"] = facts.min_experience
    return row


def facts_frame(facts: Sequence[Facts]) -> Any:
    """A pandas table of facts, one row per instruction (see ``facts_row``)."""
    import pandas as pd

    return pd.DataFrame([facts_row(f) for f in facts])


# --- measuring ------------------------------------------------------------------------------------------


def _comparable(name: str, value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(round(float(v), 2) if name == "experience_years" else str(v) for v in value)
    return value


def score(predicted: Sequence[Facts], gold: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per fact field: values predicted, correct, present in the gold; precision and recall (exact match).

    Gold records are matched by source and position (instruction numbers depend on the structure stage);
    a list is one value (all levels, all experience requirements, every superior in order).
    """
    by_key: dict[tuple[str, str], Facts] = {}
    for f in predicted:
        by_key.setdefault((f.source, f.position), f)
    out: dict[str, dict[str, float]] = {}
    for name in FIELDS:
        made = correct = present = 0
        for record in gold:
            fact = by_key.get((record["source"], record["position"]))
            expected = _comparable(name, record.get(name, ""))
            got = _comparable(name, getattr(fact, name)) if fact else ""
            present += bool(expected)
            made += bool(got)
            correct += bool(got) and got == expected
        out[name] = {"predicted": made, "correct": correct, "gold": present,
                     "precision": round(correct / made, 3) if made else 0.0,
                     "recall": round(correct / present, 3) if present else 0.0}
    return out


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def format_score(scores: dict[str, dict[str, float]]) -> str:
    lines = [f"{'fact':<18}{'pred':>6}{'ok':>6}{'gold':>6}{'precision':>11}{'recall':>8}"]
    for name, s in scores.items():
        lines.append(f"{name:<18}{s['predicted']:>6}{s['correct']:>6}{s['gold']:>6}{s['precision']:>11.3f}"
                     f"{s['recall']:>8.3f}")
    return "\n".join(lines)
