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
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .. import inflect
from ..data import entries
from ..text import fold, morph
from .vocab import heading_type, is_position_field

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
        rf"|(?:{named})\b(?=\s*:?\s+[^\W\d_])"
        r"(?!\s+(?:по|о|об|на|в|во|с|со|к|при|за|от|до|из|у|является|определяет|устанавливает)\b)"
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
    "работник сотрудник специалист он она лицо настоящая настоящий должность в на при для каждый данный подобный "
    "подобные такой такие этот эти любой".split()
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
    while cut is not None and cut.group(0) == "," and _participle_after(rest, cut.end()):
        cut = _PHRASE_END.search(rest, cut.end())  # «… регистра лиц, пострадавших от …»: the name goes on
    phrase = (rest[: cut.start()] if cut else rest).strip(" *")
    return phrase


def _participle_after(text: str, at: int) -> bool:
    word = text[at:].split(maxsplit=1)[:1]
    return bool(word) and any(p.tag.POS == "PRTF" for p in morph().parse(word[0].lower().strip("«»\"()"))[:2])


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


# ---- where an instruction names its position ------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What an instruction offers to name its position, in the order the rules below look."""

    title: str = ""  # the title as written (with its continuation lines)
    position_line: str = ""  # «СЧЕТОВОД» in capitals over the first section
    fields: tuple[str, ...] = ()  # the values of form fields that name the position («Должность: | Специалист»)
    texts: tuple[str, ...] = ()  # lead-ins first, then clauses, in order
    lines: tuple[str, ...] = ()  # every line of the instruction, furniture included (form lines, «Ты — …»)


PositionRule = Callable[[Evidence], str]

#: «… для официантов», «… для продавцов-консультантов»: whom a standard is written for
_FOR_WHOM = re.compile(r"\bдля\s+([^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,4})", re.I)
#: «Должность: ______ кладовщик», «Наименование должности: оператор склада» in a text
_FIELD_LINE = re.compile(r"^\s*([^:]{3,40}):[\s_]*(.{3,80}?)\s*$")
#: «(далее — Специалист)», «(далее – прораб)»
_LATER_CALLED = re.compile(r"\(\s*далее\s*[-–—]?\s*[«\"]?([^»\")]{3,60})[»\"]?\s*\)", re.I)
#: «Обязанностями грузчика являются:», «В обязанности кассира входит:», «Права водителя:»
_DUTIES_OF = re.compile(
    r"\b(?:обязанност(?:и|ями|ей)|прав(?:а|ами)|ответственност(?:ь|и)|функци(?:и|ями))\s+"
    r"([^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,4}?)\s*(?:являются|входит|входят|относятся|:|$)", re.I)
#: «Для работы лаборантом (препаратором) принимается …», «К работе в должности кассира допускаются …»
_WORKS_AS = re.compile(
    r"\b(?:для\s+работы|к\s+работе|работать)\s+(?:в\s+должности\s+([^\W\d_][\w-]*(?:\s+[\w-]+){0,3}?)"
    r"|([^\W\d_][\w-]*(?:\s*\([^)]{2,40}\))?))\s+(?:принима|назнача|допуска|долж|обяза|[,.:;])", re.I)
#: «Ты — продавец-консультант», «Твоя должность — кассир», «Вы — администратор зала»
_YOU_ARE = re.compile(r"^(?:ты|вы|твоя\s+должность|ваша\s+должность)\s*[-–—]\s*([^\W\d_][\w-]*(?:\s+[\w-]+){0,5})",
                      re.I)
#: «…, производитель работ обязан:», «Повар в течение смены обязан:»: a subject after a comma or a phrase
_SUBJECT_ANYWHERE = re.compile(
    r"(?:^|,\s+)([А-ЯЁа-яё][\w-]*(?:\s+[\w-]+){0,5}?)\s+(?:обязан|обязана|должен|должна|имеет\s+право|вправе"
    r"|несет|несёт|отвечает|подчиняется|назначается|принимается|относится)\b")
#: «Производителю работ необходимо знать:», «Кассиру запрещается:», «Официанту предоставляется право:»
_DATIVE_SUBJECT = re.compile(
    r"^([А-ЯЁ][\w-]*(?:\s+[\w-]+){0,4}?)\s+(?:необходимо|запрещается|предоставляется|разрешается|следует|нужно)\b")
#: «Данная должностная инструкция архивариуса составлена …»: a title's words inside a sentence
_TITLE_IN_SENTENCE = re.compile(r"\bинструкци[яиейю]\s+([^\W\d_][\w-]*(?:\s+[\w-]+){0,4}?)\s+(?:в|на|по|при|составлена"
                                r"|разработана|определяет|устанавливает|[,.(:])", re.I)


def from_title(e: Evidence) -> str:
    """«Должностная инструкция главного бухгалтера» -> главный бухгалтер; «Стандарт обслуживания гостей для
    официантов» -> официант (a standard names whom it is for)."""
    phrase = title_phrase(e.title) if e.title else None
    if not phrase:
        return ""
    whom = _FOR_WHOM.search(e.title)
    if whom:
        person = _singular(whom.group(1))
        return person if _animate_head(person) else ""  # «Памятка для смены» names no one
    return nominative(phrase)


def from_position_line(e: Evidence) -> str:
    """«СЧЕТОВОД» in capitals over the first section."""
    return nominative(e.position_line) if e.position_line else ""


def from_form_field(e: Evidence) -> str:
    """«Должность: | Специалист», «Наименование должности: ________ оператор склада»."""
    for value in e.fields:
        value = value.strip(" _:")
        if value:
            return nominative(value)
    for line in e.lines[:40]:
        m = _FIELD_LINE.match(line)
        if m and is_position_field(m.group(1)):
            value = m.group(2).strip(" _")
            if value and not value.startswith("("):
                return nominative(value)
    return ""


def from_later_called(e: Evidence) -> str:
    """«… назначается специалист службы поддержки (далее — Специалист)»: the noun group right before «(далее …)»,
    the longest run of words ending there that starts with a noun or an adjective."""
    for text in e.texts[:30]:
        m = _LATER_CALLED.search(text)
        if not m:
            continue
        words = text[: m.start()].strip(" ,").split()[-8:]
        # the words after the last verb or comma, from the first noun or adjective on
        for k in range(len(words) - 1, -1, -1):
            tag = morph().parse(words[k].lower().strip("«»\"(),"))[0].tag
            if tag.POS in ("VERB", "INFN", "PRTS") or words[k].endswith(","):
                words = words[k + 1:]
                break
        while words and morph().parse(words[0].lower().strip("«»\"(),"))[0].tag.POS not in ("NOUN", "ADJF", "PRTF"):
            words = words[1:]
        if words:
            return nominative(" ".join(words))
    return ""


def from_subjects(e: Evidence) -> str:
    """The most frequent subject of «X назначается / подчиняется / несет …», also after a comma («…, прораб
    обязан:»), or of a dative lead-in («Кассиру запрещается:»)."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, text in enumerate(e.texts):
        candidates = []
        m = _QUOTED_POSITION.search(text)
        if m:
            candidates.append((m.group(1), ("nomn", "gent", "accs")))
        m = _SUBJECT.match(text) or _SUBJECT_ANYWHERE.search(text)
        if m:
            candidates.append((m.group(1), ("nomn",)))
        m = _DATIVE_SUBJECT.match(text)
        if m:
            candidates.append((m.group(1), ("datv",)))
        for cand, cases in candidates:
            words = cand.split()
            if not words or words[0].lower() in GENERIC_SUBJECTS or words[0].lower() in _PREPOSITIONS:
                continue
            phrase = grade_digits((inflect.nominative(cand, cases) or "").lower())
            if not phrase:
                continue
            counts[phrase] = counts.get(phrase, 0) + 1
            first.setdefault(phrase, i)
    if not counts:
        return ""
    return max(counts, key=lambda k: (counts[k], -first[k], len(k)))


def from_duties_of(e: Evidence) -> str:
    """«Обязанностями грузчика являются:», «В обязанности кассира входит:», «Права водителя:»: the position in the
    genitive after the name of a list of its provisions."""
    for text in (*e.texts[:40], *e.lines[:40]):
        m = _DUTIES_OF.search(text)
        first = morph().parse(m.group(1).split()[0].lower())[0] if m else None
        if first is not None and first.tag.POS in ("NOUN", "ADJF", "PRTF") and first.normal_form not in _DETERMINERS:
            position = nominative(m.group(1))
            if _animate_head(position):
                return position
    return ""


def from_works_as(e: Evidence) -> str:
    """«Для работы лаборантом (препаратором) принимается лицо …», «К работе в должности кассира допускаются …»:
    the position named in the instrumental, or in the genitive after «в должности»."""
    for text in e.texts[:40]:
        m = _WORKS_AS.search(text)
        if m:
            phrase, case = (m.group(1), ("gent",)) if m.group(1) else (m.group(2), ("ablt",))
            return _with_alternatives(phrase, case)
    return ""


def _with_alternatives(phrase: str, cases: tuple[str, ...]) -> str:
    """«лаборантом (препаратором)» -> лаборант (препаратор): an alternative in brackets goes into the nominative too."""
    m = re.match(r"(.*?)\s*\(([^)]+)\)\s*$", phrase)
    if not m:
        return grade_digits((inflect.nominative(phrase, cases) or "").lower())
    main = (inflect.nominative(m.group(1), cases) or "").lower()
    alternative = (inflect.nominative(m.group(2), cases) or m.group(2)).lower()
    return f"{main} ({alternative})" if main else ""


def from_address(e: Evidence) -> str:
    """«Ты — продавец-консультант», «Твоя должность — кассир»: a standard names its reader's position."""
    for line in e.lines[:60]:
        m = _YOU_ARE.match(line.strip(" *_"))
        if m:
            words = m.group(1).split(",")[0].split(".")[0].split()
            kept = []
            for word in words:  # «кассир нашего банка»: the position, not whose it is
                if morph().parse(word.lower())[0].normal_form in ("наш", "ваш", "твой", "свой", "этот"):
                    break
                kept.append(word)
            return nominative(" ".join(kept))
    return ""


def from_title_in_sentence(e: Evidence) -> str:
    """«Данная должностная инструкция архивариуса составлена …»: a title inside a sentence, its position
    in the genitive right after «инструкция»."""
    for text in (*e.texts[:20], *e.lines[:20]):
        m = _TITLE_IN_SENTENCE.search(text)
        if m and any(p.tag.POS in ("NOUN", "ADJF") and p.tag.case == "gent"
                     for p in morph().parse(m.group(1).split()[0].lower())[:3]):
            return nominative(m.group(1))
    return ""


POSITION_RULES: tuple[PositionRule, ...] = (
    from_title,
    from_position_line,
    from_form_field,
    from_later_called,
    from_subjects,
    from_duties_of,
    from_works_as,
    from_address,
    from_title_in_sentence,
)


def name_position(e: Evidence) -> tuple[str, str]:
    """The instruction's position and the rule that named it: the first rule whose answer names a person (its
    head word can be a living being); failing that, the first answer that is not refused outright."""
    answers = [(rule(e), rule.__name__) for rule in POSITION_RULES]
    for position, rule in answers:
        if may_name_a_position(position) and _animate_head(position):
            return position, rule
    for position, rule in answers:  # «тьютор», «хостес»: persons the dictionary does not know as living beings
        if rule in _NAMING_PLACES and may_name_a_position(position):
            return position, rule
    return "", ""


#: The rules that read a place made for the position's name (a title, a caps line, a form field), trusted even
#: when the dictionary does not know the head word as a living being.
_NAMING_PLACES = frozenset({"from_title", "from_position_line", "from_form_field"})


def may_name_a_position(phrase: str) -> bool:
    """A candidate position with three letters or more whose head word is not one that never names a position
    (``pipeline/data/not_positions.txt``): «профиль должности», «правила работы …» are refused."""
    if sum(ch.isalpha() for ch in phrase) < 3:
        return False
    first = phrase.split()[0]
    if first in _PREPOSITIONS:
        return False
    head = morph().parse(first)[0].normal_form.replace("ё", "е")
    return head not in _not_positions() and first not in _not_positions()


def _animate_head(phrase: str) -> bool:
    """The first word can name a living being, is an adjective used as a noun («заведующий»), or is unknown."""
    first = phrase.split()[0]
    if not morph().word_is_known(first):
        return True
    return any(p.tag.POS in ("ADJF", "PRTF") or p.tag.POS == "NOUN" and p.tag.animacy == "anim"
               for p in morph().parse(first))


#: «подобных сотрудников», «таких работников», «этого специалиста»: an article's generic person, no position
_DETERMINERS = frozenset("подобный такой этот данный каждый любой весь наш ваш твой свой".split())
_PREPOSITIONS = frozenset("на в во для по с со к ко о об от до за при из у".split())


@lru_cache(maxsize=1)
def _not_positions() -> frozenset[str]:
    return frozenset(entries("not_positions.txt"))


def _singular(phrase: str) -> str:
    """«официантов» -> официант, «консультантов офисов банка» -> консультант офиса банка: the head in the
    nominative singular, the plural genitives after it in the singular."""
    words = [w.lower() for w in phrase.split()]
    parses = [p for p in morph().parse(words[0]) if p.tag.POS == "NOUN"]
    if not parses:
        return nominative(phrase)
    form = parses[0].inflect({"nomn", "sing"})
    out = [form.word if form else words[0]]
    for word in words[1:]:
        plural = next((p for p in morph().parse(word) if p.tag.case == "gent" and p.tag.number == "plur"
                       and p.tag.POS in ("NOUN", "ADJF")), None)
        single = plural.inflect({"gent", "sing"}) if plural else None
        out.append(single.word if single else word)
    return " ".join(out)


def position_from_subjects(texts: list[str]) -> str:
    """The most frequent subject of the clauses (``from_subjects`` on these texts alone)."""
    return from_subjects(Evidence(texts=tuple(texts)))
