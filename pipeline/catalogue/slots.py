"""Slots: the parameters of a clause (superior, organisation, country, dates, names, boilerplate tails).

A provision is the same whoever appoints, whichever organisation, country or document date a wording
names (``../shared/eval/dev/CLUSTERS.md``). :func:`slotted` finds those parameters in a clause's readable
text (``pipeline.normalise``) and gives

- the lemmas the provision level compares (:mod:`.kinds`, :mod:`.similarity`): the lemma key's words with
  each slot as one token (`{руководитель}`);
- a template for people: the readable text with each slot shown by its name in the case of the words it
  replaces («назначается … приказом {руководителя} {организации}»);
- the values, per slot kind, as written («генерального директора»).

Kinds (vocabulary: ``pipeline/data/catalogue_slots.txt``): ``person`` (a superior or the employer: a head
like `директор`, `главный бухгалтер`, with the title words before it and its genitive words and `по …`
area after it), ``organisation`` (`организация`, `школа`, a legal form and a quoted name), ``name`` (any
other quoted name), ``country`` (`Российской Федерации`, `РК`), ``date``, ``number`` (`№ 12-к`),
``reference`` (a place in a qualification directory: «раздел I, выпуск 12 ЕКСД», «ЕТКС, вып. 2, ч. 1»),
``article`` (articles of a law: «статьями 192, 193»), ``time`` (a time of day: «с 8:00 до 20:00»), ``contact``
(a telephone number, an e-mail or web address: «тел. 312-45-67», «info@vega.ru», «www.vega.ru») and ``tail``
(boilerplate such as «в пределах, определенных действующим трудовым законодательством»).

>>> s = slotted("[должность] назначается на должность приказом генерального директора ооо вега")
>>> s.template
'[должность] назначается на должность приказом {руководителя}'
>>> s.lemmas
('<должность>', 'назначаться', 'на', 'должность', 'приказ', '{руководитель}')
>>> s.values
(('person', 'генерального директора ооо вега'),)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..data import entries
from ..normalise import BLANK, BLANK_KEY, POSITION, POSITION_KEY, key_lemma, replace_phrases, synonyms
from ..text import lemma as text_lemma
from ..text import normal_forms, parses
from .patterns import Pattern

#: How a slot of each kind is shown in a template (nominative; inflected like the words it replaces).
SHOWN = {"person": "руководитель", "organisation": "организация", "name": "название", "country": "страна",
         "date": "дата", "number": "номер", "contact": "контакт",
         "reference": "справочник", "time": "время", "article": "статья"}
#: Slot kinds whose shown name is inflected in the case of the first noun of the words it replaces.
INFLECTED = frozenset({"person", "organisation", "name"})

_WORD = re.compile(r"\[[^\]]*\]|[а-яёa-z0-9]+(?:-[а-яёa-z0-9]+)*", re.IGNORECASE)
_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_DATES = re.compile(
    rf"\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}(?:\s*(?:г\b\.?|года\b))?"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}(?:\s*(?:г\b\.?|года\b))?"
    rf"|\b(?:19|20)\d\d\s*(?:г\b\.?|года\b)",
    re.IGNORECASE,
)
_NUMBERS = re.compile(r"№\s*[\w/-]+|\bn\s?\d[\w/-]*", re.IGNORECASE)
#: A telephone number (with its «тел.» / «т.» and a country or city code), an e-mail address, a web address: where
#: to call or write is a parameter of the clause, not a decisive number (`звонки линии заказов тел. 312-45-67` is
#: the duty `принимает входящие звонки`).
_CONTACTS = re.compile(
    r"\b(?:тел|т|телефон[а-я]*)\.?\s*:?\s*\+?\(?\d[\d ()-]{4,}\d"  # «тел. 312-45-67», «телефону 8 (800) 100-20-30»
    r"|\+\d[\d ()-]{6,}\d"  # «+7 495 123-45-67»
    r"|(?:\(\d{3,5}\)\s*)?\b\d{3}-\d{2}-\d{2}\b"  # «312-45-67», «(495) 123-45-67»
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # «info@vega.ru»
    r"|\b(?:https?://|www\.)[^\s,;()«»]+[^\s,;()«».]"  # «https://vega.ru/news», «www.vega.ru»
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:ru|рф|com|org|net|su|by|kz|ua|info)\b(?:/[^\s,;()«»]*)?",  # «vega.ru»
    re.IGNORECASE,
)
#: A qualification directory and the place in it (section, issue, part): which edition a category or a tariff
#: grade comes from is a parameter (`относится к категории руководителей (раздел I выпуск 12 ЕКСД)` is the category
#: provision of every manager).
_REFERENCE_PART = (r"(?:(?:един\w*\s+)?(?:тарифно-)?квалификационн\w*\s+справочник\w*(?:\s+должностей\s+\w+)?"
                   r"|ексд|еткс|екс|етс|окпдтр"
                   r"|(?:раздел[а-я]*|выпуск[а-я]*|вып\.?|част[а-я]*|ч\.|глав[а-я]*|гл\.)\s*(?:[ivxlc]{1,4}|\d{1,3})\b)")


class _Directory:
    """Runs of directory references that name a directory or its issue (`раздел 5 правил` alone is no directory)."""

    run = re.compile(rf"\b{_REFERENCE_PART}(?:[\s,]*{_REFERENCE_PART})*", re.IGNORECASE)
    named = re.compile(r"справочник|ексд|еткс|\bекс\b|\bетс\b|окпдтр|\bвып", re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return (m for m in self.run.finditer(text) if self.named.search(m.group(0)))


_REFERENCES = _Directory()
#: Articles of a law (`статьями 192 и 193 Трудового кодекса`, `ст. 81 ТК`): which articles a boilerplate tail
#: cites is a parameter, not another provision.
_ARTICLES = re.compile(r"\b(?:стать[а-я]*|ст\.)\s*\d{1,3}(?:\.\d{1,2})?(?:\s*(?:,|и)\s*\d{1,3}(?:\.\d{1,2})?)*",
                       re.IGNORECASE)
#: A time of day (`8:00`, `21.30` after `с` / `до`): when a shop opens or a shift starts is a parameter of the
#: schedule, not another provision.
_HOUR = r"(?:[01]?\d|2[0-3])"
_TIMES = re.compile(rf"\b{_HOUR}:[0-5]\d\b|(?<=\bс ){_HOUR}\.[0-5]\d\b|(?<=\bдо ){_HOUR}\.[0-5]\d\b")
_QUOTED = re.compile(r"[«\"“„]([^«»\"“”„\n]{1,80})[»\"”“]")


@dataclass(frozen=True)
class Slotted:
    """A clause with its slots: lemmas for comparison, a template for people, and the values."""

    lemmas: tuple[str, ...]
    template: str
    values: tuple[tuple[str, str], ...]
    marked: tuple[str, ...] = ()  # ``lemmas`` with a `,` token where the text has a comma or semicolon


@dataclass(frozen=True)
class Vocabulary:
    person: frozenset[str]
    verb: frozenset[str]
    title: frozenset[str]
    noun: frozenset[str]
    area: frozenset[str]
    organisation: frozenset[str]
    legal: frozenset[str]
    countries: tuple[Pattern, ...]
    tails: tuple[tuple[str, Pattern], ...]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The slot vocabulary of ``pipeline/data/catalogue_slots.txt``."""
    words: dict[str, set[str]] = {}
    countries: list[Pattern] = []
    tails: list[tuple[str, Pattern]] = []
    for line in entries("catalogue_slots.txt"):
        kind, value = (part.strip() for part in line.split(":", 1))
        if kind == "country":
            countries.append(Pattern.parse(value))
        elif kind.startswith("tail["):
            tails.append((kind[len("tail["):-1], Pattern.parse(value)))
        else:
            words.setdefault(kind, set()).update(value.split())
    known = {"person", "person-verb", "person-title", "person-noun", "person-area", "organisation", "legal-form"}
    unknown = set(words) - known
    if unknown:
        raise ValueError(f"catalogue_slots.txt: unknown kind(s) {', '.join(sorted(unknown))}")
    get = lambda k: frozenset(words.get(k, ()))  # noqa: E731
    return Vocabulary(get("person"), get("person-verb"), get("person-title"), get("person-noun"), get("person-area"),
                      get("organisation"), get("legal-form"), tuple(countries), tuple(tails))


@dataclass
class _Token:
    surface: str
    start: int
    stop: int
    lemma: str  # the lemma for slot patterns (fillers kept)
    key: str | None  # the lemma of the key (None: a filler the key leaves out)


def _tokens(readable: str) -> list[_Token]:
    syn = synonyms()
    out = []
    for m in _WORD.finditer(readable):
        word = m.group(0)
        if word.startswith("["):
            key = POSITION_KEY if word == POSITION else BLANK_KEY
            out.append(_Token(word, m.start(), m.end(), key, key))
            continue
        low = word.lower()
        key = key_lemma(low)
        base = key if key is not None else text_lemma(low)
        out.append(_Token(word, m.start(), m.end(), base, syn.get(key, key) if key is not None else None))
    return out


def _case(word: str) -> str | None:
    for p in parses(word.lower()):
        if p.tag.POS == "NOUN" and p.tag.case:
            return str(p.tag.case)
    return None


def _first_case(word: str) -> str | None:
    """The case of a word's first reading that has one (`заведующего`: genitive)."""
    for p in parses(word.lower()):
        if p.tag.case and p.tag.POS in ("NOUN", "ADJF", "PRTF", "NPRO"):
            return str(p.tag.case)
    return None


def _has_case(word: str, case: str, pos: Sequence[str] = ("NOUN", "ADJF", "PRTF", "NUMR")) -> bool:
    return any(p.tag.POS in pos and p.tag.case == case for p in parses(word.lower()))


def _is_adjective(word: str) -> bool:
    return any(p.tag.POS in ("ADJF", "PRTF") for p in parses(word.lower()))


# --- finding the slots: each finder marks free tokens of one kind ----------------------------------------


def _char_spans(tokens: list[_Token], regex: re.Pattern[str] | _Directory, text: str) -> list[tuple[int, int]]:
    """Token index spans covering the regex's matches in the text."""
    out = []
    for m in regex.finditer(text):
        inside = [i for i, t in enumerate(tokens) if t.start < m.end() and t.stop > m.start()]
        if inside:
            out.append((inside[0], inside[-1] + 1))
    return out


def _mark(kinds: list[str], start: int, stop: int, kind: str) -> bool:
    if start >= stop or any(kinds[start:stop]):
        return False
    for i in range(start, stop):
        kinds[i] = kind
    return True


def _find_quoted(tokens: list[_Token], kinds: list[str], names: Sequence[str]) -> None:
    """Quoted names of the original text: an organisation after a legal form or an organisation noun."""
    vocab = vocabulary()
    lemmas = [t.surface.lower() for t in tokens]
    for name in names:
        words = [w.lower() for w in _WORD.findall(name)]
        if not words:
            continue
        for i in range(len(tokens) - len(words) + 1):
            if lemmas[i: i + len(words)] == words and not any(kinds[i: i + len(words)]):
                start = i
                while start > 0 and not kinds[start - 1] and tokens[start - 1].lemma in vocab.legal:
                    start -= 1
                before = tokens[start - 1].lemma if start > 0 else ""
                kind = "organisation" if start < i or before in vocab.organisation else "name"
                _mark(kinds, start, i + len(words), kind)
                break


def _find_patterns(tokens: list[_Token], kinds: list[str], patterns: Sequence[tuple[str, Pattern]], kind: str,
                   labels: dict[int, str] | None = None) -> None:
    """Mark the matches of each (label, pattern) as ``kind`` (``labels`` gets each marked token's label)."""
    sequence, spans = _sequence(tokens, kinds)
    present = set(sequence)
    for label, pattern in patterns:
        if not pattern.may_match(present):
            continue
        marked = False
        for start, stop in pattern.finditer(sequence):
            first, last = spans[start][0], spans[stop - 1][1]
            # A country, date or number inside (the country of a tail) becomes part of this slot.
            if all(kinds[k] in ("", "country", "date", "number") for k in range(first, last)):
                for k in range(first, last):
                    kinds[k] = kind
                    if labels is not None:
                        labels[k] = label
                marked = True
        if marked:
            sequence, spans = _sequence(tokens, kinds)
            present = set(sequence)


def _sequence(tokens: list[_Token], kinds: list[str]) -> tuple[list[str], list[tuple[int, int]]]:
    """One item per free token and per slot found so far (a slot of several words is one `{страна}`)."""
    sequence: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        j = i + 1
        if kinds[i]:
            while j < len(tokens) and kinds[j] == kinds[i]:
                j += 1
        sequence.append("{" + SHOWN.get(kinds[i], kinds[i]) + "}" if kinds[i] else tokens[i].lemma)
        spans.append((i, j))
        i = j
    return sequence, spans


def _find_persons(tokens: list[_Token], kinds: list[str], starts: set[int]) -> None:
    """Mark each person; ``starts`` gets the index each one starts at (two persons side by side stay two)."""
    vocab = vocabulary()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        head = not kinds[i] and (t.lemma in vocab.person or t.key in vocab.person
                                 or not vocab.person.isdisjoint(normal_forms(t.surface.lower()))
                                 or _is_person_participle(t.surface, vocab.verb)) \
            and not _names_an_act(tokens, kinds, i) \
            and not (i and tokens[i - 1].lemma == "категория")  # «относится к категории руководителей»
        titled = (not kinds[i] and i > 0 and not kinds[i - 1] and _is_title(tokens[i - 1])
                  and not vocab.noun.isdisjoint(normal_forms(t.surface.lower())))  # `главного энергетика`
        if not (head or titled):
            i += 1
            continue
        start = i
        while start > 0 and not kinds[start - 1] and (_is_title(tokens[start - 1])
                                                      or tokens[start - 1].lemma in vocab.noun):
            start -= 1
        stop = i + 1
        # `заведующий складом` governs the instrumental, every other head the genitive.
        case = "ablt" if t.lemma in ("заведующий", "заведовать", "управлять", "управляющий") else "gent"
        while stop < len(tokens):
            if kinds[stop] in ("organisation", "name", "number"):
                stop += 1
            elif not kinds[stop] and tokens[stop].lemma in vocab.legal:  # `ООО Вега` without quotes
                stop += 1
                if stop < len(tokens) and not kinds[stop]:
                    stop += 1
            elif not kinds[stop] and tokens[stop].lemma == "по" and (end := _area_end(tokens, kinds, stop + 1)):
                stop = end
            elif end := _dependent_end(tokens, kinds, stop, case):
                stop, case = end, "gent"
            else:
                break
        for k in range(start, stop):  # an organisation or name inside becomes part of the person
            kinds[k] = "person"
        starts.add(start)
        i = stop


def _is_person_participle(word: str, verbs: frozenset[str]) -> bool:
    """`заведующего`, `управляющему`: a participle of a person-verb (its verb form is content)."""
    first = parses(word.lower())[0]
    return first.tag.POS == "PRTF" and first.normal_form in verbs


def _is_title(token: _Token) -> bool:
    """`главного` (read first as the noun `главное`), `генеральному`: a person-title word in any reading,
    not an adverb (`подчиняется непосредственно директору`)."""
    word = token.surface.lower()
    if parses(word)[0].tag.POS in ("ADVB", "ADJS"):
        return False
    return not normal_forms(word).isdisjoint(vocabulary().title)


#: Nouns that name a part of the organisation: in the genitive after a person they belong to the person
#: («начальника отдела кадров», «руководителя структурного подразделения»).
_UNITS = frozenset({"отдел", "отделение", "служба", "управление", "департамент", "цех", "участок", "склад",
                    "подразделение", "филиал", "лаборатория", "сектор", "бюро", "группа", "смена", "кафедра",
                    "факультет", "магазин", "аптека", "пункт", "кадр", "бухгалтерия", "хозяйство", "объект",
                    "комплекс", "центр", "правление", "совет", "дирекция", "направление"})


def _dependent_end(tokens: list[_Token], kinds: list[str], i: int, case: str) -> int:
    """The end of a noun phrase in ``case`` at ``i`` that names a unit, an organisation or another
    person («структурного подразделения», «школы», «директора»), or 0. Other genitives («копии
    документов» after «руководителю») are the clause's own content and stay out."""
    vocab = vocabulary()
    j = i
    while j < len(tokens) and not kinds[j] and tokens[j].lemma not in _UNITS \
            and tokens[j].lemma not in vocab.organisation and _is_adjective(tokens[j].surface) \
            and _has_case(tokens[j].surface, case):
        j += 1
    if j >= len(tokens) or kinds[j] and kinds[j] not in ("organisation", "person"):
        return 0
    if kinds[j]:
        while j < len(tokens) and kinds[j] in ("organisation", "person"):
            j += 1
        return j
    noun = tokens[j]
    if noun.lemma in _UNITS | vocab.organisation | vocab.person | vocab.noun and _has_case(noun.surface, case):
        return j + 1
    return 0


def _area_end(tokens: list[_Token], kinds: list[str], i: int) -> int:
    """The end of `по учебной работе` starting at ``i`` (after `по`), or 0 when it is not an area."""
    vocab = vocabulary()
    j = i
    while j < len(tokens) and not kinds[j] and tokens[j].lemma not in vocab.area and _is_adjective(tokens[j].surface):
        j += 1
    if j < len(tokens) and not kinds[j] and tokens[j].lemma in vocab.area:
        return j + 1
    return 0


#: Heads that also name an act, with the case of the object that makes them one: `организация труда`
#: (organising), `руководство работой отдела` (managing) are content, not the employer or a superior.
_ACTS = {"организация": "gent", "руководство": "ablt"}


def _names_an_act(tokens: list[_Token], kinds: list[str], i: int) -> bool:
    """Whether the head at ``i`` names an act: its object (after any adjectives: `организация рекламных
    кампаний`) is a noun in the case of _ACTS."""
    case = _ACTS.get(tokens[i].lemma)
    if case is None:
        return False
    j = i + 1
    while j + 1 < len(tokens) and not kinds[j] and _is_adjective(tokens[j].surface) \
            and any(p.tag.case == case for p in parses(tokens[j].surface.lower())):
        j += 1
    if j >= len(tokens) or kinds[j]:
        return False
    nxt = tokens[j]
    vocab = vocabulary()
    if nxt.lemma in vocab.organisation | vocab.person | _UNITS or nxt.lemma in vocab.legal:
        return False
    return any(p.tag.POS == "NOUN" and p.tag.case == case for p in parses(nxt.surface.lower()))


def _find_organisations(tokens: list[_Token], kinds: list[str]) -> None:
    vocab = vocabulary()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        legal = t.lemma in vocab.legal
        if kinds[i] or not (t.lemma in vocab.organisation or t.key in vocab.organisation or legal) \
                or _names_an_act(tokens, kinds, i):
            i += 1
            continue
        start = i
        while start > 0 and not kinds[start - 1] and _is_adjective(tokens[start - 1].surface) \
                and tokens[start - 1].key is not None and tokens[start - 1].lemma not in ("свой", "его", "весь"):
            start -= 1
        stop = i + 1
        while stop < len(tokens) and kinds[stop] in ("name", "number"):
            stop += 1
        if legal and stop == i + 1:  # `ООО Вега` without quotes: the next word is the name
            stop = min(len(tokens), stop + 1)
        _mark(kinds, start, stop, "organisation")
        i = stop


# --- the result -------------------------------------------------------------------------------------------


def _shown(kind: str, tokens: Sequence[_Token], label: str = "") -> str:
    if kind == "tail":
        return "{" + label + "}"
    name = SHOWN[kind]
    if kind in INFLECTED:
        case = next((c for c in (_first_case(t.surface) for t in tokens) if c), None)
        if case and case != "nomn":
            inflected = parses(name)[0].inflect({case})
            if inflected is not None:
                name = inflected.word
    return "{" + name + "}"


@lru_cache(maxsize=200_000)
def slotted(readable: str, quoted: tuple[str, ...] = ()) -> Slotted:
    """The slots of a clause's readable normalised text; ``quoted`` are the names the original text had in
    quotes (``pipeline.normalise`` drops the quotes), see :func:`quoted_names`."""
    tokens = _tokens(readable)
    kinds = [""] * len(tokens)
    vocab = vocabulary()
    _find_quoted(tokens, kinds, quoted)
    for regex, kind in ((_CONTACTS, "contact"), (_REFERENCES, "reference"), (_ARTICLES, "article"), (_DATES, "date"),
                        (_TIMES, "time"), (_NUMBERS, "number")):
        for start, stop in _char_spans(tokens, regex, readable):
            _mark(kinds, start, stop, kind)
    _find_patterns(tokens, kinds, [("", p) for p in vocab.countries], "country")
    tail_of: dict[int, str] = {}
    _find_patterns(tokens, kinds, vocab.tails, "tail", tail_of)
    starts: set[int] = set()
    _find_persons(tokens, kinds, starts)
    _find_organisations(tokens, kinds)

    lemmas: list[str] = []
    marked: list[str] = []  # the lemmas with a `,` where the text has a comma or a semicolon
    parts: list[str] = []
    values: list[tuple[str, str]] = []
    cursor = 0
    i = 0
    while i < len(tokens):
        kind = kinds[i]
        if i and any(mark in readable[tokens[i - 1].stop: tokens[i].start] for mark in ",;"):
            marked.append(",")
        if not kind:
            if tokens[i].key is not None:
                lemmas.append(tokens[i].key)  # type: ignore[arg-type]
                marked.append(tokens[i].key)  # type: ignore[arg-type]
            i += 1
            continue
        j = i
        while j < len(tokens) and kinds[j] == kind and (kind != "tail" or tail_of.get(j) == tail_of.get(i)) \
                and (j == i or j not in starts):
            j += 1
        shown = _shown(kind, tokens[i:j], tail_of.get(i, ""))
        lemmas.append("{" + (SHOWN.get(kind) or "оговорка") + "}")
        marked.append(lemmas[-1])
        parts.append(readable[cursor: tokens[i].start])
        parts.append(shown)
        values.append((kind, readable[tokens[i].start: tokens[j - 1].stop]))
        cursor = tokens[j - 1].stop
        i = j
    parts.append(readable[cursor:])
    template = "".join(parts)
    if BLANK in template:
        template = template.replace(BLANK, "{…}")
    return Slotted(replace_phrases(tuple(lemmas)), template, tuple(values), replace_phrases(tuple(marked)))


def quoted_names(text: str) -> tuple[str, ...]:
    """The names a clause's original text has in quotes («Вега», "Об охране труда")."""
    if not any(q in text for q in "«\"“„"):
        return ()
    return tuple(m.group(1).strip() for m in _QUOTED.finditer(text) if m.group(1).strip())
