"""Normalised clause text: a readable form for people and a lemma key for matching.

The readable form is the clause as written with its number or bullet removed, case and ``ё`` folded,
abbreviations expanded, blanks and the instruction's own position name replaced by placeholders,
and punctuation tidied. The key is the lemmas of that text (pymorphy3), with synonyms unified and
filler words (``действующий``, ``настоящий``) left out. Normalising ``readable`` again gives the same key.

>>> n = normalise("2.3. Главный бухгалтер несёт ответственность за соблюдение законодательства РФ;", "главный бухгалтер")
>>> n.readable
'[должность] несет ответственность за соблюдение законодательства российской федерации'
>>> n.key
'<должность> нести ответственность за соблюдение законодательство'
>>> normalise(n.readable, "главный бухгалтер").key == n.key
True
>>> normalise("• Подписывает акт ______ (Ф.И.О., должность)").readable
'подписывает акт […]'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .data import entries
from .text import fold, is_cyrillic, lemma, normal_forms
from .text import parses as text_parses

#: The placeholder for the instruction's own position name, in readable text and in the key.
POSITION = "[должность]"
POSITION_KEY = "<должность>"
#: The placeholder for a blank to fill in (``____``, ``[наименование]``, ``(Ф.И.О.)``).
BLANK = "[…]"
BLANK_KEY = "<…>"


@dataclass(frozen=True)
class Normalised:
    """A clause's readable normalised text, its lemma key and the lemmas of that key."""

    readable: str
    key: str
    lemmas: tuple[str, ...]


# --- vocabularies (read on first use) ---------------------------------------------------------------


@lru_cache(maxsize=1)
def abbreviations() -> tuple[tuple[re.Pattern[str], dict[str, str]], ...]:
    """Two (pattern, abbreviation -> expansion) pairs: exact-case entries, then any-case entries.

    Each pattern is one alternation, longest abbreviation first, so a text is scanned twice in all.
    """
    groups: dict[bool, dict[str, str]] = {True: {}, False: {}}
    for line in entries("normalise_abbreviations.txt"):
        exact = line.startswith("case:")
        if exact:
            line = line[len("case:"):]
        abbr, expansion = (part.strip() for part in line.split("=", 1))
        groups[exact][abbr if exact else abbr.lower()] = expansion
    out = []
    for exact in (True, False):
        table = groups[exact]
        if not table:
            continue
        # An abbreviation ending in a dot (`т.д.`) has no word boundary after it.
        alternatives = [re.escape(a) + ("" if a.endswith(".") else r"(?![\w])")
                        for a in sorted(table, key=len, reverse=True)]
        pattern = re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + ")", 0 if exact else re.IGNORECASE)
        out.append((pattern, table))
    return tuple(out)


@lru_cache(maxsize=1)
def fillers() -> frozenset[str]:
    """Lemmas left out of the key."""
    return frozenset(entries("normalise_fillers.txt"))


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """Lemma -> the lemma that replaces it in the key (one-word entries)."""
    pairs = (line.split("=", 1) for line in entries("normalise_synonyms.txt"))
    return {a.strip(): b.strip() for a, b in pairs if len(a.split()) == 1}


@lru_cache(maxsize=1)
def phrase_synonyms() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Lemma sequences -> the sequence that replaces them in the key (entries of several words), longest first."""
    pairs = (line.split("=", 1) for line in entries("normalise_synonyms.txt"))
    phrases = [(tuple(a.split()), tuple(b.split())) for a, b in pairs if len(a.split()) > 1]
    return tuple(sorted(phrases, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    return frozenset(left[0] for left, _ in phrase_synonyms())


def replace_phrases(lemmas: tuple[str, ...]) -> tuple[str, ...]:
    """`принимать участие` -> `участвовать` and the like (from ``normalise_synonyms.txt``)."""
    phrases = phrase_synonyms()
    if not phrases or _phrase_starts().isdisjoint(lemmas):
        return lemmas
    out: list[str] = []
    i = 0
    while i < len(lemmas):
        for left, right in phrases:
            if lemmas[i: i + len(left)] == left:
                out.extend(right)
                i += len(left)
                break
        else:
            out.append(lemmas[i])
            i += 1
    return tuple(out)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function lemmas that the similarity of clauses ignores."""
    return frozenset(entries("normalise_stopwords.txt"))


@lru_cache(maxsize=1)
def decisive() -> dict[str, str]:
    """Decisive lemma -> its group name (see ``normalise_decisive.txt``)."""
    out: dict[str, str] = {}
    for line in entries("normalise_decisive.txt"):
        group, words = line.split(":", 1)
        for word in words.split():
            out[word] = group.strip()
    return out


@lru_cache(maxsize=1)
def leads() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Label -> lead lemma sequences a clause of that label may start with, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for line in entries("normalise_leads.txt"):
        label, words = line.split(":", 1)
        out.setdefault(label.strip(), []).append(tuple(words.split()))
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


# --- the readable text: ordered rules, each a str -> str function --------------------------------------

_NUMBERING = re.compile(
    r"""^\s*(?:
        \d+(?:\.\d+)+[.)]?(?=\s|$)      # 2.1.  2.1  2.1)
      | \d+[.)](?=\s|$)                 # 3)  12.
      | \(\d+\)                         # (3)
      | [а-яa-z][.)](?=\s)              # а)  b.
      | [ivxlc]+[.)](?=\s)              # IV.  ii)
      | [•·▪►◦○●■□➢✓✔*\-–—−]            # bullets and dashes
    )\s*""",
    re.IGNORECASE | re.VERBOSE,
)
_BLANKS = [
    re.compile(r"_{2,}|\.{4,}|…{2,}"),  # ______  ........
    re.compile(r"\[(?!должность\])[^\]\n]{0,60}\]", re.IGNORECASE),  # [наименование организации]
    re.compile(r"<[^>\n]{0,60}>"),  # <название>
    re.compile(
        r"\(\s*(?:ф\.?\s*и\.?\s*о\.?|фио|должность|наименование|подпись|дата|название)[^)\n]{0,60}\)",
        re.IGNORECASE,
    ),  # (Ф.И.О., должность)
]
_QUOTES = re.compile(r"[«»\"“”„‟'`]")
_DASHES = re.compile(r"\s*[–—−]\s*|\s+-\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)])")
_SPACE_AFTER_OPEN = re.compile(r"\(\s+")
_REPEATED_BLANKS = re.compile(r"(?:\[…\][\s,.;:]*){2,}")
_TRAILING = re.compile(r"[\s.,;:!]+$")
_WORD_SPAN = re.compile(r"\[[^\]]*\]|[а-яёa-z0-9]+(?:-[а-яёa-z0-9]+)*", re.IGNORECASE)


def strip_numbering(text: str) -> str:
    """`2.1. Ведет учет` -> `Ведет учет`; repeated for `1) – Ведет учет`."""
    previous = None
    while previous != text:
        previous, text = text, _NUMBERING.sub("", text, count=1)
    return text


def mark_blanks(text: str) -> str:
    """Blanks to fill in (`____`, `[наименование]`, `(Ф.И.О.)`) -> `[…]`."""
    if not any(mark in text for mark in ("__", "....", "……", "[", "<", "(")):  # most clauses have no blank
        return text
    for pattern in _BLANKS:
        text = pattern.sub(f" {BLANK} ", text)
    return text


def expand_abbreviations(text: str) -> str:
    """`РФ` -> `Российской Федерации` (from ``normalise_abbreviations.txt``)."""
    for pattern, table in abbreviations():
        text = pattern.sub(lambda m, t=table: t.get(m.group(0)) or t[m.group(0).lower()], text)
    return text


def tidy_punctuation(text: str) -> str:
    """Quotes dropped, dashes unified, spaces folded, trailing `.;:,` removed."""
    text = _QUOTES.sub("", text)
    text = _DASHES.sub(" - ", text)
    text = " ".join(text.split())
    # Repeated blanks first: merging «[…] […]?» must not leave a space before the «?» (idempotence).
    text = _REPEATED_BLANKS.sub(f"{BLANK} ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub("(", text)
    text = _TRAILING.sub("", text)
    return strip_numbering(text).strip()


def _readable_rules(position: str) -> list[Callable[[str], str]]:
    return [
        strip_numbering,
        mark_blanks,
        expand_abbreviations,
        fold,
        lambda text: replace_position(text, position),
        tidy_punctuation,
    ]


# --- the position's own name ----------------------------------------------------------------------------


@lru_cache(maxsize=10_000)
def position_patterns(position: str) -> tuple[tuple[str, ...], ...]:
    """The lemma sequences that name the position in a clause, longest first.

    For `главный бухгалтер отдела`: the full name, `главный бухгалтер`, `бухгалтер отдела`, `бухгалтер`.
    The head is the first noun; the shorter forms are how clauses refer back to the position.
    """
    words = [w for w in fold(position).split() if w]
    if not words:
        return ()
    tokens = [m.group(0).lower() for m in _WORD_SPAN.finditer(" ".join(words))]
    lemmas = [lemma(t) for t in tokens]
    head = next((i for i, t in enumerate(tokens) if _is_head_noun(t)), None)
    if head is None:  # `заведующий складом`: a bare `заведующий` may be someone else's
        return (tuple(lemmas),)
    candidates = {tuple(lemmas), tuple(lemmas[: head + 1]), tuple(lemmas[head:]), (lemmas[head],)}
    return tuple(sorted((c for c in candidates if c), key=lambda c: (-len(c), c)))


@lru_cache(maxsize=10_000)
def _stems(patterns: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """The first letters of each pattern's first word: a text without any of them names no position.

    Russian inflects at the end of a word, so `бухгалтер` / `бухгалтеру` share `бухг`; the check only
    saves time (most clauses do not name the position).
    """
    return frozenset(p[0][:4] for p in patterns if p)


def _is_head_noun(word: str) -> bool:
    """A nominative noun that cannot be read as an adjective (`старший` can, `менеджер` cannot)."""
    parses = text_parses(word)
    nominative = any(p.tag.POS == "NOUN" and p.tag.case == "nomn" for p in parses)
    return nominative and not any(p.tag.POS in ("ADJF", "PRTF") for p in parses)


def replace_position(text: str, position: str) -> str:
    """The instruction's own position name, in any case form, -> `[должность]`.

    `Главный бухгалтер несет ...`, `... главного бухгалтера` and `Бухгалтер ...` all name the
    position `главный бухгалтер`, so a clause copied between instructions keeps one key.
    """
    patterns = position_patterns(position)
    if not patterns or not any(stem in text for stem in _stems(patterns)):
        return text
    spans = list(_WORD_SPAN.finditer(text))
    out: list[str] = []
    cursor = 0
    i = 0
    while i < len(spans):
        length = _match_at(spans, i, patterns)
        if length and (_other_position(text, spans, i, patterns[0]) or _staff_category(spans, i)):
            length = 0
        if length:
            out.append(text[cursor: spans[i].start()])
            out.append(POSITION)
            cursor = spans[i + length - 1].end()
            i += length
        else:
            i += 1
    out.append(text[cursor:])
    return "".join(out)


def _staff_category(spans: list[re.Match[str]], i: int) -> bool:
    """A match right after `категории` names a staff category, not the position: `Специалист по закупкам
    относится к категории специалистов`."""
    return i > 0 and "категория" in normal_forms(spans[i - 1].group(0).lower())


def _other_position(text: str, spans: list[re.Match[str]], i: int, full: tuple[str, ...]) -> bool:
    """A match that starts at the head noun right after an adjective names another position.

    For the position `бухгалтер`, `главному бухгалтеру` is someone else (the chief accountant).
    """
    if i == 0 or normal_forms(spans[i].group(0).lower()) & {full[0]} and len(full) > 1:
        return False
    before = spans[i - 1]
    if text[before.end(): spans[i].start()].strip():
        return False
    word = before.group(0).lower()
    if word.startswith("[") or "свой" in normal_forms(word):
        return False
    return any(p.tag.POS in ("ADJF", "PRTF") for p in text_parses(word))


def _match_at(spans: list[re.Match[str]], i: int, patterns: tuple[tuple[str, ...], ...]) -> int:
    """How many words starting at ``spans[i]`` name the position (0 when none)."""
    for pattern in patterns:
        if i + len(pattern) > len(spans):
            continue
        if all(want in normal_forms(spans[i + k].group(0).lower()) for k, want in enumerate(pattern)):
            return len(pattern)
    return 0


# --- the key --------------------------------------------------------------------------------------------


def key_lemmas(readable: str) -> tuple[str, ...]:
    """The lemmas of a readable text: placeholders kept as tokens, synonyms unified, fillers dropped."""
    out = []
    syn = synonyms()
    for match in _WORD_SPAN.finditer(readable):
        token = match.group(0)
        if token.startswith("["):
            out.append(POSITION_KEY if token == POSITION else BLANK_KEY)
            continue
        word = key_lemma(token.lower())
        if word is not None:
            out.append(syn.get(word, word))
    return replace_phrases(tuple(out))


_ADJECTIVAL = ("ADJF", "PRTF", "PRTS")


@lru_cache(maxsize=200_000)
def key_lemma(word: str) -> str | None:
    """The lemma of a word for the key, or None for a filler word.

    A participle is keyed by its verb whichever reading pymorphy3 puts first, so that
    `предусмотренными` (read as an adjective) and `предусмотрены` (a short participle) agree.
    A filler is recognised by any adjectival reading (`действующим` is first read as a participle).
    """
    if not is_cyrillic(word):
        return word
    parses = text_parses(word)
    first = parses[0]
    drop = fillers()
    if first.normal_form.replace("ё", "е") in drop:
        return None
    if first.tag.POS in _ADJECTIVAL:
        if any(p.tag.POS in ("ADJF", "PRTF") and p.normal_form.replace("ё", "е") in drop for p in parses):
            return None
        verb = next((p.normal_form for p in parses if p.tag.POS in ("PRTF", "PRTS")), None)
        if verb is not None:
            return verb.replace("ё", "е")
    return lemma(word)


# --- the wording the catalogue reads: a list item with the lead-in it continues ----------------------------------


def _lead_ends_with_preposition(lead: str, first: str) -> bool:
    """`Осуществляет контроль за:` / `соблюдением санитарных правил`: the item is the lead-in's object."""
    return _is_preposition(lead)


def _item_continues_a_verb(lead: str, first: str) -> bool:
    """`Участвует:` / `в инвентаризации склада`: the item, a prepositional phrase, completes the verb."""
    return _is_preposition(first) and any(p.tag.POS in ("VERB", "INFN") for p in text_parses(lead.lower()))


def _is_preposition(word: str) -> bool:
    parses = text_parses(word.lower())
    return bool(parses) and parses[0].tag.POS == "PREP"


#: When a list item is read with its lead-in (the item cannot stand alone: the act is in the lead-in).
WORDING_RULES: tuple[Callable[[str, str], bool], ...] = (_lead_ends_with_preposition, _item_continues_a_verb)
_LAST_WORD = re.compile(r"([а-яё]+)\s*:\s*$", re.IGNORECASE)
_FIRST_WORD = re.compile(r"^\s*([а-яё]+)", re.IGNORECASE)


@lru_cache(maxsize=100_000)
def wording(text: str, lead_in: str = "") -> str:
    """A clause's text as the catalogue reads it: with its lead-in when the item continues it (WORDING_RULES:
    `Участвует:` + `в проведении инвентаризации` -> `Участвует в проведении инвентаризации`), else the text.

    >>> wording("в проведении инвентаризации склада;", "Кладовщик участвует:")
    'Кладовщик участвует в проведении инвентаризации склада;'
    >>> wording("Ведёт учёт товаров.", "Кладовщик обязан:")
    'Ведёт учёт товаров.'
    """
    if not lead_in:
        return text
    last, first = _LAST_WORD.search(lead_in), _FIRST_WORD.match(text)
    if last is None or first is None:
        return text
    if any(rule(last.group(1), first.group(1)) for rule in WORDING_RULES):
        return lead_in[: last.end(1)] + " " + text.lstrip()
    return text


def normalise(text: str, position: str = "", lead_in: str = "") -> Normalised:
    """The readable normalised text and the lemma key of one clause of an instruction for ``position``; a list
    item is read with the ``lead_in`` it continues (:func:`wording`)."""
    return _normalise(wording(text, lead_in) if lead_in else text, position)


@lru_cache(maxsize=100_000)
def _normalise(text: str, position: str) -> Normalised:
    readable = text
    for rule in _readable_rules(position):
        readable = rule(readable)
    lemmas = key_lemmas(readable)
    return Normalised(readable=readable, key=" ".join(lemmas), lemmas=lemmas)
