"""Vocabularies of the structure stage, read from ``pipeline/data`` on first use.

>>> heading_type("2. Должностные обязанности менеджера по продажам".split(" ", 1)[1])
'duties'
>>> heading_type("III. ПРАВА".split(" ", 1)[1])
'rights'
>>> heading_type("Менеджер по продажам имеет право:") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..data import entries
from ..text import fold

_CLEAN = re.compile(r"[^\w\s-]", re.U)


@lru_cache(maxsize=1)
def section_titles() -> tuple[tuple[str, str], ...]:
    """(prefix, type) pairs, longest prefix first."""
    rows = []
    for line in entries("section_titles.tsv"):
        kind, prefix = (part.strip() for part in line.split("\t")[:2])
        rows.append((prefix, kind))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def navigation_phrases() -> tuple[str, ...]:
    return entries("navigation.txt")


def is_navigation(text: str) -> bool:
    """«Читайте также:», «Комментарии (3)»: a web page's furniture after an article.

    >>> is_navigation("Читайте также:"), is_navigation("Комментарии (12)"), is_navigation("Права")
    (True, True, False)
    """
    if len(text) > 80:
        return False
    return _starts_a_phrase(key(text), _navigation_by_word())


@lru_cache(maxsize=1)
def _bylines() -> tuple[str, ...]:
    return tuple(entries("bylines.txt"))


def is_byline(text: str) -> bool:
    """«Автор: …», «Обновлено 14.03.2025», «На чтение 6 мин.», «© 2025 …»: an article's byline or a page's footer.

    >>> is_byline("Обновлено 14.03.2025 · Автор: И. Мельникова"), is_byline("Ведет учет кадров.")
    (True, False)
    """
    if text.lstrip("*_ ").startswith("©"):
        return True
    return _byline_pattern().search(f" {key(text)} ") is not None


@lru_cache(maxsize=1)
def _byline_pattern() -> re.Pattern[str]:
    """Any byline phrase as whole words: one search instead of one per phrase."""
    return re.compile(" (?:" + "|".join(map(re.escape, sorted(_bylines(), key=len, reverse=True))) + ") ")


@lru_cache(maxsize=1)
def _navigation_by_word() -> dict[str, tuple[str, ...]]:
    return _by_first_word(navigation_phrases())


def _by_first_word(phrases: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Phrases by their first word: a line is compared only with the phrases it can start."""
    by_word: dict[str, list[str]] = {}
    for phrase in phrases:
        by_word.setdefault(phrase.split(" ", 1)[0], []).append(phrase)
    return {word: tuple(found) for word, found in by_word.items()}


def _starts_a_phrase(folded: str, by_word: dict[str, tuple[str, ...]]) -> bool:
    """The folded line is one of the phrases, or one of them and more words."""
    return any(folded == p or folded.startswith(p + " ") for p in by_word.get(folded.split(" ", 1)[0], ()))


@lru_cache(maxsize=1)
def other_document_titles() -> tuple[str, ...]:
    return entries("other_documents.txt")


def is_other_document_title(text: str) -> bool:
    """«ДОГОВОР ПОСТАВКИ № 12», «Положение об оплате труда»: a document that is not a job description.

    >>> is_other_document_title("ДОГОВОР ПОСТАВКИ № 12"), is_other_document_title("Должностная инструкция кассира")
    (True, False)
    """
    if len(text) > 150:
        return False
    folded = key(text)
    return any(folded == p or folded.startswith(p + " ") or folded.startswith(p)
               and p.endswith(" о") for p in other_document_titles())


@lru_cache(maxsize=1)
def article_words() -> frozenset[str]:
    """Lemmas of a text about job descriptions rather than of one (``data/article_words.txt``)."""
    return frozenset(entries("article_words.txt"))


@lru_cache(maxsize=1)
def measure_units() -> frozenset[str]:
    return frozenset(entries("measure_units.txt"))


def is_quantity(marker: str, text: str) -> bool:
    """«29.94» before «Кб Скачать»: a number with a unit, not a clause number.

    >>> is_quantity("29.94", "Кб Скачать"), is_quantity("2.1.", "Кб учитываются …")
    (True, False)
    """
    if marker.rstrip().endswith((".", ")")):
        return False
    first = text.split(maxsplit=1)[0].lower().rstrip(".,") if text.strip() else ""
    return first in measure_units()


_FILE_NAME = re.compile(r"\.(?:docx?|rtf|odt|pdf|txt|xlsx?|html?)\s*$", re.I)


@lru_cache(maxsize=65536)  # several rules ask it of the same line
def key(text: str) -> str:
    """The form vocabulary phrases are matched in: folded (``pipeline.text.fold``), punctuation, emoji and
    Markdown emphasis dropped, spaces folded."""
    text = fold(text).replace("*", " ").replace("_", " ")
    return " ".join(_CLEAN.sub(" ", text).split())


@lru_cache(maxsize=65536)  # asked ~40 times a document, mostly of the same few lines
def heading_type(text: str, max_extra_words: int = 6) -> str | None:
    """The canonical type of a heading text, or None when it is not a known section heading.

    A heading is short: at most ``max_extra_words`` words beyond the matched prefix (the position's
    name, «(связи по должности)»), and it does not end like a sentence or a lead-in.
    """
    stripped = text.strip().rstrip(" *")
    if not stripped or len(stripped) > 120 or stripped.endswith((";", ",")):
        return None
    if _FILE_NAME.search(stripped):
        return None  # «Должностные обязанности пр.docx»: a file's name on a download page
    folded = key(stripped)
    if stripped.endswith(".") and len(folded.split()) > 4:
        return None  # «Условия работы лаборанта определяются …»: a sentence, not a heading
    for prefix, kind in section_titles():
        if folded == prefix or folded.startswith(prefix + " "):
            extra = folded.split()[len(prefix.split()):]
            if len(extra) <= max_extra_words and not _has_verb(extra):
                return kind
    return None


def _has_verb(words: list[str]) -> bool:
    """«Условия работы лаборанта определяются …»: a finite verb makes a sentence of a would-be heading."""
    from ..text import parse

    return any(parse(w).tag.POS == "VERB" for w in words if w.isalpha())


def run_in_heading(text: str) -> tuple[str, str, int] | None:
    """A heading run into its paragraph (``Должностные обязанности. Ведет учет ...``): (title, type, content offset).

    >>> run_in_heading("Должностные обязанности. Ведет журнал проб.")
    ('Должностные обязанности', 'duties', 25)
    >>> run_in_heading("Должен знать: основы учета; правила охраны труда.")[:2]
    ('Должен знать', 'knowledge')
    """
    m = re.match(r"([^.:]{3,60}?)\s*[.:]\s+(?=\S)", text)
    if not m:
        return None
    title = m.group(1).strip(" *")
    kind = heading_type(title, max_extra_words=1)
    if kind is None:
        return None
    return title, kind, m.end()


@lru_cache(maxsize=1)
def work_words() -> frozenset[str]:
    """Lemmas of the world of work (``work_words.txt``)."""
    return frozenset(entries("work_words.txt"))


@lru_cache(maxsize=1)
def _position_fields() -> tuple[str, ...]:
    return tuple(entries("position_fields.txt"))


def is_position_field(label: str) -> bool:
    """«Должность:», «Наименование должности», «Название штатной должности»: a form's field for the position.

    >>> is_position_field("Наименование должности:"), is_position_field("Подчиняется")
    (True, False)
    """
    folded = key(label)
    return any(folded == f or folded.startswith(f + " ") and len(folded.split()) <= len(f.split()) + 2
               for f in _position_fields())


@lru_cache(maxsize=1)
def _asides() -> tuple[str, ...]:
    return tuple(entries("asides.txt"))


def is_aside(text: str) -> bool:
    """«Добро пожаловать в команду!», «Удачи на смене!»: a greeting or a sign-off, no provision.

    >>> is_aside("Привет! Это твой путеводитель."), is_aside("Приветствуй гостя у входа.")
    (True, False)
    """
    if len(text) > 200:
        return False
    return _starts_a_phrase(key(text), _asides_by_word())


@lru_cache(maxsize=1)
def _asides_by_word() -> dict[str, tuple[str, ...]]:
    return _by_first_word(_asides())
