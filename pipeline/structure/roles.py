"""Roles: what each unit of a document is, decided by an ordered list of small named rules.

Every unit gets exactly one role from ``ROLE_RULES``: the first rule that fires wins, and its name is kept for
the debug view (``jobclauses show``). Furniture roles (blank, navigation, approval, acknowledgement, contents,
page furniture) need positive evidence; everything else is a candidate provision.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from razdel import sentenize

from ..text import fold, lemma, parse, words
from .position import is_title, title_phrase
from .units import BULLETS, MAX_PARAGRAPH, PAGE_FURNITURE, PAGE_NUMBER, Unit, ends_open
from .vocab import heading_type, is_aside, is_byline, is_navigation, is_position_field, run_in_heading

APPROVAL = re.compile(r"\s*(утверждаю|утверждено|утверждена|согласовано|согласована|«?\s*утверждаю\s*»?)\b", re.I)
ACKNOWLEDGEMENT = re.compile(
    r"\s*(?:с\s+)?(?:настоящей\s+)?(?:должностной\s+)?(?:инструкци(?:ей|я)\s+)?ознакомлен|\s*лист\s+ознакомления"
    # «С квалификационной характеристикой ознакомлен(а):»: any document the employee signs for
    r"|\s*с\s+(?:[а-яё]+\s+){1,3}ознакомлен"
    # «Инструкцию получил(а): ____», «Второй экземпляр получил на руки»
    r"|\s*(?:(?:должностную\s+)?инструкцию|(?:второй\s+|один\s+)?экземпляр\w*(?:\s+инструкции)?)\s+получил",
    re.I,
)
# «Настоящая должностная инструкция разработана в соответствии с …»: a provision about the document itself
DOCUMENT_BASIS = re.compile(
    r"\s*(?:настоящая\s+)?(?:должностная\s+)?инструкция\s+(?:\S+\s+){0,3}?"
    r"(?:разработана|определяет|устанавливает|регламентирует|составлена)\b", re.I)
# «Главный технолог ______________ С.В. Оконешников», «_________ /И.И. Петров/»: a signature with its name
SIGNED = re.compile(r"_{4,}\s*/?\s*[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.\s?)?[А-ЯЁ][а-яё]+/?\s*$")
# «3. Должностные обязанности ................ 2», «Права …… 4»: a contents line with its page number
DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d{1,3}\s*$|…{2,}\s*\d{1,3}\s*$|\t\d{1,3}\s*$")
# «Директор ООО «Ромашка» ф.и.о.», «(подпись)», «(ФИО)»: a signature line's captions, not a provision
SIGNATURE = re.compile(r"ф\.\s?и\.\s?о\.?|\(\s*подпись\s*\)|\(\s*фио\s*\)|\bинициалы\b|\bрасшифровка\s+подписи\b", re.I)
# «Е.А. Кравец», «Кравец Е.А.», «И. И. Петров»: a person's initials and surname
PERSON = re.compile(r"\b[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|\b[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.")
# a line that ends with a person's name: «Начальник склада В.В. Сорокин», «______ /И.И. Петров/»
PERSON_ONLY = re.compile(r"(?:^|\s|/)(?:[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.)/?\s*$")
PERSON_LINE = re.compile(r"^(?:[_\s/]*)(?:[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.)[_\s/]*$")
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}|[«\"]\s*_*\d*\s*[»\"]\s*\S+\s+\d{0,4}_*\s*г|\b(?:19|20)\d\d\s*г")
# «(должностная) инструкция (менеджера) описывает / содержит / предусматривает …», «должностные инструкции …»:
# job descriptions described in general, as an article does; «настоящая / данная инструкция» is a provision's
ABOUT_INSTRUCTIONS = re.compile(
    r"(?<!настоящая )(?<!данная )(?<!эта )\b(?:должностная\s+)?инструкция(?:\s+[а-яё-]+){0,4}?\s+"
    r"(?:описывает|содержит|предусматривает|включает|перечисляет|представляет\s+собой|нужна|необходима|бывает"
    r"|может\s+быть|должна\s+(?:содержать|включать|быть))\b"
    r"|\bдолжностные\s+инструкции\s+(?:[а-яё-]+\s+){0,3}?(?:бывают|могут|описывают|содержат|нужны|составляют)\b",
    re.I)
# «[Обязанности](#obyazannosti)»: a link to an anchor of the same page, alone on its line
ANCHOR_LINK = re.compile(r"\[[^\]]{1,120}\]\(#[^)\s]{1,120}\)[.;,]?")
# A table cell that only qualifies the provision in its row: a share of the working time («5%», «15 %»), a
# number, a period or a deadline («ежедневно», «до 5-го числа», «по графику», «—»)
ATTRIBUTE = re.compile(
    r"(?:\d{1,3}(?:[.,]\d+)?\s*%|\d{1,3}|[-–—]|(?:ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно"
    r"|постоянно|по\s+мере\s+необходимости|по\s+графику|в\s+течение\s+\S+(?:\s+\S+)?|до\s+\S+(?:\s+\S+){0,3}"
    r"|раз\s+в\s+\S+|\d+\s+раз(?:а)?\s+в\s+\S+|каждый\s+\S+|в\s+день\s+\S+|по\s+запросу|по\s+окончании"
    r"|в\s+конце\s+\S+|не\s+реже\s+\S+|\(укажите[^)]*\))"
    r"(?:[;,]?\s*\S+(?:\s+\S+){0,6})?)\.?",
    re.I)
# A form's instruction to whoever fills it in: «(укажите должность)», «(заполняется при наличии)», «Перечислить
# основные задачи»
FORM_HINT = re.compile(
    r"\(\s*(?:укажите|указать|перечислите|перечислить|заполн\w+|впишите|при\s+наличии)"
    r"|\b(?:указать|перечислить|отобразить|вписать|заполнить)\b|\bукажите\b",
    re.I)
# a header cell of a shares-of-time or deadline column: «% необходимого времени», «Срок», «Периодичность»
ATTRIBUTE_HEADER = re.compile(r"%|\bдол[яи]\b|\bсрок|\bпериодичност|\bчастота|\bкак\s+часто|\bвремени\b", re.I)
BLANKS = re.compile(r"_{6,}")
# «Содержание», «Оглавление», «Содержание статьи», «В этой статье»: the heading of a contents list
CONTENTS_HEADING = re.compile(r"содержание(?:\s+статьи)?|оглавление|в\s+этой\s+статье|навигация\s+по\s+статье", re.I)
# a colon that opens a list, not one of a time of day («с 8:00 до 17:00») or a ratio («2:1»)
_LIST_COLON = re.compile(r"(?<!\d):|:(?!\d)")
# «Инструкцию разработал: ______ / ______ /», «Профиль составил»: who drew the document up, with blanks to sign
COMPILED_BY = re.compile(r"^(?:[А-ЯЁа-яё]+\s+){0,2}(?:разработал|составил|согласовал|проверил|подготовил)\w*\s*:?[\s_/.()а-яё]*$",
                         re.I)
# «(наименование организации)», «(подпись)», «(Ф.И.О.)», «(дата)» under a blank: what the blank is for
FIELD_CAPTION = re.compile(r"\(\s*(?:наименование|название|должность|подпись|дата|фамилия|ф\.?\s?и\.?\s?о|инициалы"
                           r"|расшифровка|место\s+печати|м\.\s?п)", re.I)
# «00.00.0000 N 000», «__.__.20__ № ___»: a blank template's date and number
TEMPLATE_NUMBER = re.compile(r"[\d_.\s]*(?:[№N]\s*[\d_]*)?[\d_.\s]*")
# «----- конец -----», «==== Раздел ====», «*** *** ***»: a separator line
FILE_NAME = re.compile(r"\.(?:docx?|rtf|odt|pdf|xlsx?|pptx?|zip|rar)\s*\)?\s*$", re.I)
SEPARATOR = re.compile(r"^([-=*_~#])\1{2,}(?:\s*\S.{0,100}?\s*\1{3,})?$|^<!--.*-->$")
TABLE_NUMBER = re.compile(r"^№\s*(?:п\s*/\s*п|пп)?\.?$", re.I)
# What stands in a document's title block between the title and its first section: the organisation, the
# document's number, the city and the date, a subtitle in brackets, the order it is an appendix to.
TITLE_BLOCK = re.compile(
    r"№|\bг\.\s*[А-ЯЁ]|\b(?:ООО|ОАО|ЗАО|ПАО|АО|ИП|АНО|МБОУ|МАОУ|МБДОУ|МКУ|МУП|ГБУ|ГБУЗ|ГКУ|ФГУП|ФГБУ)\b|«[^»]+»"
    r"|^\(.*\)$|^\d{1,2}\.\d{1,2}\.\d{2,4}|\bприложение\b|\bк\s+приказу\b|\bредакци|^\d{1,2}-?(?:й|го)?\s+разряд",
    re.I)
INLINE_NUMBER = re.compile(r"(?:(?<=[\s:;.])|^)(\d{1,2})[.)]\s+(?=[А-ЯЁA-Z«\"])")
EMPHASIS = re.compile(r"\*\*")
_LETTER = re.compile(r"[A-Za-zА-Яа-яЁё]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class Role:
    kind: str  # title approval ack heading run_in lead_in item line_item prose blank
    rule: str
    section_type: str = ""
    title: str = ""
    content_at: int = 0  # where a run-in heading's content starts in unit.text


class Layout:
    """What a rule may need to know of the whole document, found once before the rules run (what only some
    documents need is found on first use)."""

    def __init__(self, units: list[Unit] | None = None):
        self._units = units or []
        self.contents: frozenset[int] = frozenset()  # units of a contents list whose entries recur as headings
        self.listed: frozenset[int] = frozenset()  # the units those entries recur as
        self.tables: Tables | None = None
        if units:
            contents, listed = contents_recurring(units)
            self.contents, self.listed, self.tables = frozenset(contents), frozenset(listed), Tables.of(units)

    @classmethod
    def of(cls, units: list[Unit]) -> Layout:
        return cls(units)

    @cached_property
    def heading_glyphs(self) -> frozenset[str]:
        """Glyphs the document marks its headings with («📌 Общие положения», «📌 Права»): two or more lines with
        the glyph are known section titles, and no line with it reads as an item (long, or closed by «.» or «;»)."""
        by_glyph: dict[str, list[Unit]] = {}
        for u in self._units:
            if u.kind == "bullet" and u.marker[:1] and u.marker[:1] not in "-–—−*·•|":
                by_glyph.setdefault(u.marker[:1], []).append(u)
        glyphs = set()
        for glyph, marked in by_glyph.items():
            known = sum(1 for u in marked if heading_type(EMPHASIS.sub("", u.text).strip()) is not None)
            if known >= 2 and all(_short(u.text, 12, 120) and not u.text.rstrip().endswith((".", ";"))
                                  for u in marked):
                glyphs.add(glyph)
        return frozenset(glyphs)

    @cached_property
    def second_person(self) -> bool:
        """The text speaks to the employee («ты», «вы», imperatives) in its lists."""
        return written_to_the_employee(self._units)


@dataclass(frozen=True)
class Tables:
    """The cells of a document's Word tables: per (table, row) the cells in order and their units."""

    rows: dict[tuple[int, int], tuple[tuple[int, tuple[int, ...]], ...]]  # (table, row) -> ((column, units), ...)
    attribute_cells: frozenset[tuple[int, int, int]]  # (table, row, column) holding shares of time or deadlines

    def is_attribute(self, table: int, row: int, column: int) -> bool:
        """The cell's column holds shares of time or deadlines in this run of rows (a header row is voted on with
        its run, so it counts too)."""
        return (table, row, column) in self.attribute_cells or (table, row + 1, column) in self.attribute_cells

    @classmethod
    def of(cls, units: list[Unit]) -> Tables | None:
        cells: dict[tuple[int, int], dict[int, list[int]]] = {}
        for i, u in enumerate(units):
            if u.cell is not None:
                table, row, column = u.cell
                cells.setdefault((table, row), {}).setdefault(column, []).append(i)
        if not cells:
            return None
        rows = {key: tuple((col, tuple(ids)) for col, ids in sorted(cols.items())) for key, cols in cells.items()}
        # A Word table often holds several tables in one (a form): columns are voted on within each run of
        # consecutive rows that have the same columns.
        attribute: set[tuple[int, int, int]] = set()
        runs: list[list[tuple[int, int]]] = []
        for key in sorted(rows):
            columns = tuple(col for col, _ in rows[key])
            last = runs[-1][-1] if runs else None
            if last is not None and last[0] == key[0] and tuple(c for c, _ in rows[last]) == columns:
                runs[-1].append(key)
            else:
                runs.append([key])
        for run in runs:
            if len(rows[run[0]]) < 2:
                continue
            for position, (column, _) in enumerate(rows[run[0]]):
                votes = [bool(ATTRIBUTE.fullmatch(" ".join(units[i].text for i in rows[key][position][1]).strip()))
                         for key in run]
                if sum(votes) >= 2 and sum(votes) >= 0.5 * len(votes):
                    attribute |= {(key[0], key[1], column) for key in run}
        return cls(rows, frozenset(attribute))

    def row(self, u: Unit) -> tuple[tuple[int, tuple[int, ...]], ...]:
        return self.rows.get(u.cell[:2], ()) if u.cell else ()


def written_to_the_employee(units: list[Unit]) -> bool:
    """A company standard in the second person: three or more list items say «ты»/«вы» or give an order
    («Протри витрину», «Приветствуйте гостя»). An article talks to its reader in paragraphs, a standard to its
    employee in lists, so there «вы» is the register, not a sign of an article."""
    found = 0
    for u in units:
        if u.kind != "none" and u.text and (_addresses_reader(u.text) or _addresses_employee(u.text)):
            found += 1
            if found >= 3:
                return True
    return False


_EMPLOYEE = frozenset({"ты", "твой"})


@lru_cache(maxsize=65536)
def _addresses_employee(text: str) -> bool:
    """«ты», «твой» among the first words, or a first word in the imperative («Протри витрину», «Следи за …»)."""
    first = words(text)[:6]
    if not first:
        return False
    if any(lemma(word) in _EMPLOYEE for word in first if word[:1] == "т"):
        return True
    tag = parse(first[0]).tag
    return tag.POS == "VERB" and "impr" in tag


def _entry_key(u: Unit) -> str:
    return " ".join(fold(EMPHASIS.sub("", u.text).strip(" *_#").rstrip(":")).split())


def _may_be_entry(u: Unit) -> bool:
    text = EMPHASIS.sub("", u.text).strip(" *_")
    return u.kind in ("none", "single", "multi", "roman", "bullet") and 0 < len(text.split()) <= 9 \
        and len(text) <= 90 and text[-1:] not in ".;,"


def contents_recurring(units: list[Unit]) -> tuple[set[int], set[int]]:
    """A run of three or more short lines each of which stands again, alone, further down: a contents list (its
    entries glued together when the page lost its links) and the headings it lists.

    >>> from pipeline.structure.units import Unit
    >>> texts = ["Общие положения", "Твой день", "Штрафы", "Общие положения", "Ты работаешь …", "Твой день",
    ...          "Протри витрину.", "Штрафы", "Опоздание — 300 рублей."]
    >>> us = [Unit(0, 1, "", "none", (), 0, t) for t in texts]
    >>> sorted(contents_recurring(us)[0]), sorted(contents_recurring(us)[1])
    ([0, 1, 2], [3, 5, 7])
    """
    keys = [_entry_key(u) if _may_be_entry(u) else "" for u in units]
    contents: set[int] = set()
    listed: set[int] = set()
    where: dict[str, list[int]] = {}  # each key's units, in order
    for k, key in enumerate(keys):
        if key:
            where.setdefault(key, []).append(k)
    i = 0
    while i < len(units):
        run: list[int] = []
        j = i
        while j < len(units) and keys[j] and keys[j] not in {keys[k] for k in run}:
            if where[keys[j]][-1] <= j:  # the line does not stand again further down
                break
            run.append(j)
            j += 1
        if len(run) >= 3:
            found = []
            start = run[-1] + 1
            for k in run:
                places = where[keys[k]]
                at = places[bisect_left(places, start)] if places[-1] >= start else None
                if at is None:
                    break
                found.append(at)
                start = at + 1
            if len(found) == len(run):
                contents.update(run)
                listed.update(found)
                i = j
                continue
        i += 1
    return contents, listed


class Context:
    """What a role rule sees: the unit ``i`` of ``units``, the roles of the units before it, the layout."""

    __slots__ = ("units", "i", "roles", "layout", "unit", "previous")

    def __init__(self, units: list[Unit], i: int, roles: list[Role], layout: Layout | None = None) -> None:
        self.units, self.i, self.roles = units, i, roles
        self.layout = layout if layout is not None else Layout()
        self.unit: Unit = units[i]
        self.previous: Role | None = roles[i - 1] if 0 < i <= len(roles) else None

    def next(self, k: int = 1) -> Unit | None:
        j = self.i + k
        return self.units[j] if 0 <= j < len(self.units) else None


RoleRule = Callable[[Context], Role | None]
#: Every kind of unit marker (``units.parse_marker``).
ALL_KINDS = ("none", "multi", "single", "letter", "bullet", "roman", "part")


def applies_to(*kinds: str) -> Callable[[RoleRule], RoleRule]:
    """The marker kinds of the units a rule can fire on (the others never reach it): part of the rule's contract,
    and what keeps a long ordered list cheap for the numbered items that make most of a document."""

    def mark(rule: RoleRule) -> RoleRule:
        rule.kinds = kinds  # type: ignore[attr-defined]
        return rule

    return mark


def _short(text: str, words: int = 10, chars: int = 120) -> bool:
    return len(text) <= chars and len(text.split()) <= words


def _letters(text: str) -> bool:
    return bool(_LETTER.search(text))


# ---- role rules, in order -------------------------------------------------------------------------------


def rule_blank(c: Context) -> Role | None:
    """A line of blanks, dashes or dates only (``________``, ``«__» ____ 20__ г.``), a separator with a word or
    a file name between runs of dashes or equals signs («----- конец -----», «=== texts/rights.txt ===»), an HTML
    comment left in Markdown («<!-- pagebreak -->»), a table's number column («№ п/п»)."""
    text = c.unit.text.strip()
    if len(text) > MAX_PARAGRAPH:
        return Role("blank", "oversized paragraph")
    if not _letters(text.replace("г.", "")) and not c.unit.numbered:
        return Role("blank", "blank")
    if SEPARATOR.match(text) or TABLE_NUMBER.match(text):
        return Role("blank", "separator")
    return None


@applies_to("none",)
def rule_form_hint(c: Context) -> Role | None:
    """«(укажите должность)», «(заполняется при наличии)»: a blank form's hint to whoever fills it in, in
    brackets on a line of its own; «(наименование организации)», «(Ф.И.О.)» under a blank: the field's caption;
    «00.00.0000 № 000»: a template's date and number; the line above a hint, when it is a bare caption, is the
    hint's field."""
    text = EMPHASIS.sub("", c.unit.text).strip()
    if c.unit.kind == "none" and text.startswith("(") and text.rstrip(".").endswith(")") and (
            FORM_HINT.search(text) or FIELD_CAPTION.match(text)):
        return Role("form", "form hint")
    if c.unit.kind == "none" and TEMPLATE_NUMBER.fullmatch(text):
        return Role("form", "a template's date or number")
    nxt = c.next(1)
    if c.unit.kind == "none" and nxt is not None and _is_caption(text) and nxt.kind == "none":
        hint = EMPHASIS.sub("", nxt.text).strip()
        if hint.startswith("(") and hint.rstrip(".").endswith(")") and FORM_HINT.search(hint):
            return Role("form", "form field with a hint")
    return None


@applies_to("none", "single", "bullet")
def rule_navigation(c: Context) -> Role | None:
    """«Читайте также:», «Комментарии»: the page's furniture after an instruction ends it; so does an article's
    advice to its reader («Разграничьте обязанности … Не забудьте:») unless the whole text speaks to its reader
    (a company standard in «вы»), and a caption right above such furniture («Что еще важно учесть»)."""
    if c.unit.kind in ("none", "single") and is_navigation(c.unit.text):
        return Role("nav", "navigation")
    nxt = c.next(1)
    if c.unit.kind == "none" and nxt is not None and _is_caption(c.unit.text) and (
            nxt.kind in ("none", "single") and is_navigation(nxt.text)
            or nxt.kind == "none" and _addresses_reader(nxt.text) and not c.layout.second_person):
        return Role("nav", "heading of the page's furniture")
    if c.unit.kind in ("none", "bullet") and _short(c.unit.text, 14, 160) and FILE_NAME.search(c.unit.text):
        return Role("nav", "file link")  # «Инструкция по охране труда для токаря.docx» on a download page
    if c.unit.kind == "none" and _addresses_reader(c.unit.text) and not c.layout.second_person:
        return Role("nav", "addressed to the reader")
    return None


_READER = frozenset({"вы", "ваш"})  # lemmas: «вам», «вас», «вашей», «ваши» …
_READER_HINT = re.compile(r"те(?:сь)?\b|\bв(?:ы|ам|ас|ами|аш\w*)\b", re.I)


@lru_cache(maxsize=65536)
def _addresses_reader(text: str) -> bool:
    """A verb in the imperative plural («укажите», «не забудьте») or «вы», «ваш»."""
    if not _READER_HINT.search(text):
        return False  # neither a «…те» word nor a «вы» form: most lines are decided here
    for word in words(text):
        if lemma(word) in _READER:
            return True
        tag = parse(word).tag
        if "impr" in tag and "plur" in tag and tag.POS == "VERB":
            return True
    return False


def rule_furniture(c: Context) -> Role | None:
    """Lines that belong to the page, not to the text: a Markdown table's header row («| Требование | Описание |»
    over «|---|---|»), a signature («Главный технолог ______ С.В. Оконешников»), a page's running header or
    footer in a PDF copy («ДИ-08/2026 Должностная инструкция слесаря Стр. 1 из 2», «- 2 -»)."""
    u, nxt = c.unit, c.next(1)
    if u.marker == "|" and nxt is not None and nxt.marker == "|" and not _letters(nxt.text):
        return Role("blank", "table header")
    if "____" in u.text and SIGNED.search(u.text):
        return Role("blank", "signature")
    if _short(u.text, 14, 160) and PAGE_NUMBER.search(u.text) or u.style == PAGE_FURNITURE:
        return Role("blank", "page header or footer")
    return None


@applies_to("none", "bullet")
def rule_about_instructions(c: Context) -> Role | None:
    """«Обычно должностная инструкция кассира содержит …», «Должностные инструкции бывают …»: a
    sentence that describes job descriptions in general is an article's, never a provision. A provision speaks
    of its own document as «настоящая / данная инструкция» and says what it defines or when it takes effect."""
    u = c.unit
    if u.kind not in ("none", "bullet") or "нструкци" not in u.text or not ABOUT_INSTRUCTIONS.search(u.text):
        return None
    return Role("article", "article:about instructions")


def rule_table_cell(c: Context) -> Role | None:
    """Word tables of a form-like instruction. A column of shares of time or deadlines holds attributes of the
    provision in its row, not provisions; a header row names the columns; a form's hints («(укажите …)»,
    «перечень задач, которые …») are furniture; in a two-column row the left cell is the label of the right
    one, whose text is the clause (the label passes to it as a lead-in), and a row naming the position
    («Должность: | Специалист») is a form field."""
    u, tables = c.unit, c.layout.tables
    if u.cell is None or tables is None:
        return None
    text = EMPHASIS.sub("", u.text).strip()
    table, row_index, column = u.cell
    row = tables.row(u)
    if tables.is_attribute(table, row_index, column) and (ATTRIBUTE.fullmatch(text) or not _letters(text)):
        return Role("attribute", "table:attribute of the row")
    if FORM_HINT.search(text):
        return Role("form", "table:form hint")
    if len(row) == 2:
        (left, left_units), (right, right_units) = row
        label = " ".join(c.units[i].text for i in left_units[:1]).strip()
        value = " ".join(c.units[i].text for i in right_units).strip()
        if column == left and value and _letters(label):
            if TABLE_NUMBER.match(label) or label.rstrip(".").isdigit():
                return Role("blank", "table:row number")
            if is_position_field(label):
                return Role("form", "table:position field")
            if c.i == left_units[0]:
                return Role("lead_in", "table:label of the next cell")
            return Role("form", "table:the label's explanation")  # «уровень и сфера образования, …» under it
        if column == right and is_position_field(label):
            return Role("form", "table:position field value")
    if _short(text, 8, 120) and any(_column_header(c.units, ids) for col, ids in row
                                     if tables.is_attribute(table, row_index, col)):
        return Role("blank", "table:column header")  # «% необходимого времени | Прямые обязанности»
    if len(row) == 1 and len(row[0][1]) == 1 and _is_caption(text) and not u.rendered:
        return Role("heading", "table:heading row", section_type=heading_type(text.rstrip(":")) or "", title=u.text)
    return None


def _column_header(units: list[Unit], ids: tuple[int, ...]) -> bool:
    """The cell heads a column of shares of time or deadlines («Доля рабочего времени, %», «Срок»)."""
    text = " ".join(units[i].text for i in ids)
    return bool(ATTRIBUTE_HEADER.search(text)) and not ATTRIBUTE.fullmatch(text.strip()) \
        and not FORM_HINT.search(text)


#: A line that is only a grade or category: «3-й разряд», «5 разряда», «II категория», «высшая категория».
GRADE_LINE = re.compile(r"(?:\d{1,2}\s*-?\s*(?:й|го|ой)?|[IVX]{1,4})\s+(?:разряд|категори)\w*\.?"
                        r"|(?:высш|перв|втор)\w+\s+категори\w*\.?", re.I)


@applies_to("none",)
def rule_grade_line(c: Context) -> Role | None:
    """«СЧЕТОВОД» over «3-й разряд»: a line that names only a grade or category captions the position (a
    directory's entry, a title's second line); it holds no provision."""
    if c.unit.kind == "none" and GRADE_LINE.fullmatch(EMPHASIS.sub("", c.unit.text).strip(" *_")):
        return Role("form", "grade line")
    return None


@applies_to("none",)
def rule_title_block(c: Context) -> Role | None:
    """«г. Самара № ДИ-17», «(отдел продаж ООО «Теплосервис»)», «Приложение № 2 к приказу …» right under the
    title, before its first section: the title block (the organisation, the number, the place and the date of the
    document). A line with a verb is a provision, never the title block."""
    prev, u = c.previous, c.unit
    if prev is None or not (prev.kind == "title" or prev.rule == "title block") or u.kind != "none":
        return None
    text = EMPHASIS.sub("", u.text).strip().strip("*_ ")
    if not _short(text, 12, 160) or text.endswith((":", ";")) or heading_type(text) is not None:
        return None
    if TITLE_BLOCK.search(text) and not _has_predicate(text):
        return Role("form", "title block")
    return None


@applies_to("none", "bullet")
def rule_aside(c: Context) -> Role | None:
    """«Добро пожаловать в команду!», «Удачи на смене!»: a greeting or a sign-off (``pipeline/data/asides.txt``)."""
    if c.unit.kind in ("none", "bullet") and is_aside(EMPHASIS.sub("", c.unit.text).strip(" *_")):
        return Role("aside", "greeting or sign-off")
    return None


@applies_to("none", "bullet")
def rule_byline(c: Context) -> Role | None:
    """«Обновлено 09.02.2026 · Автор: …», «На чтение 9 мин.», «Просмотров 212»: an article's byline, a new
    article's start; it ends an instruction before it (``pipeline/data/bylines.txt``)."""
    u = c.unit
    if u.kind in ("none", "bullet") and _short(u.text, 25, 240) and is_byline(u.text):
        return Role("byline", "byline")
    return None


@applies_to("none", "bullet")
def rule_signature(c: Context) -> Role | None:
    """«Начальник склада В.В. Сорокин», «(подпись) (Ф.И.О.)», «Директор ______ /Петров/»: a signature line
    (a person's initials and surname, or a signature's captions), never a provision: it has no verb."""
    u = c.unit
    text = EMPHASIS.sub("", u.text).strip()
    if u.kind not in ("none", "bullet") or not _short(text, 12, 160) or text.endswith((";", ":")):
        return None
    if COMPILED_BY.match(text) and ("____" in text or len(text.split()) <= 3):
        return Role("signature", "signature:drawn up by")
    found = None
    if SIGNATURE.search(text) or PERSON_ONLY.search(text) or ("____" in text and SIGNED.search(text)):
        found = Role("signature", "signature")
    elif BLANKS.search(text) and _short(text, 6, 200) and not text.endswith("."):
        found = Role("signature", "signature:position over blanks")  # «Начальник отдела ________/________/»
    else:
        nxt = c.next(1)
        if nxt is not None and _short(text, 5, 60) and not text.endswith(".") \
                and PERSON_LINE.match(EMPHASIS.sub("", nxt.text).strip()) and heading_type(text) is None:
            found = Role("signature", "signature:position over a name")  # «Заведующий аптекой» / «Е.А. Кравец»
    if found is not None and _has_predicate(text):
        return None  # «Кассир подчиняется ______ (Ф.И.О., должность).»: a clause with blanks
    return found


def _is_caption(text: str) -> bool:
    """A short line with no closing punctuation: a heading or a caption, not a sentence."""
    text = EMPHASIS.sub("", text).strip(" *_#")
    return bool(text) and _short(text, 8, 90) and text[-1] not in ".;:,!"


def _has_predicate(text: str) -> bool:
    for word in words(text)[:12]:
        tag = parse(word).tag
        if tag.POS in ("VERB", "INFN", "PRTS", "PRED"):
            return True
    return False


def rule_contents_listed(c: Context) -> Role | None:
    """«Общие положения / Твой день / Штрафы» at the top, each standing again as a heading further down: a contents
    list whose entries recur (they lost their page numbers or links); the later ones are the headings."""
    if c.i in c.layout.contents:
        return Role("contents", "contents:entries recur as headings")
    if c.i in c.layout.listed:
        text = EMPHASIS.sub("", c.unit.text).strip(" *_")
        return Role("heading", "heading:listed in the contents", section_type=heading_type(text) or "",
                    title=c.unit.text)
    return None


def rule_contents(c: Context) -> Role | None:
    """«1. Общие положения ........ 1»: a contents line with its page number; «[Права](#prava)»: a link to a place
    on the same page (a contents list of a web page or a Markdown file)."""
    if DOT_LEADER.search(c.unit.text):
        return Role("contents", "table of contents:page number")
    text = EMPHASIS.sub("", c.unit.text).strip()
    if ANCHOR_LINK.fullmatch(text):
        return Role("contents", "table of contents:link into the page")
    if c.unit.kind == "none" and CONTENTS_HEADING.fullmatch(text.strip(" #*:")):
        return Role("contents", "table of contents:its heading")
    prev = c.previous
    if prev is not None and prev.kind == "contents" and not c.unit.gap_before and _is_caption(text):
        return Role("contents", "table of contents:entry under its heading")
    return None


def _while(pred, items):
    for item in items:
        if not pred(item):
            return
        yield item


@applies_to("none",)
def rule_title_continued(c: Context) -> Role | None:
    """«ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ» over «ВОДИТЕЛЯ ШКОЛЬНОГО АВТОБУСА»: a bare title goes on in the next line,
    which names the position."""
    prev, u = c.previous, c.unit
    if prev is None or prev.rule != "title" or title_phrase(prev.title) or u.kind != "none":
        return None
    text = u.text.strip()
    # «врача поликлинической группы регистра лиц, пострадавших от …»: a long name in the genitive goes on too
    if not _short(text, 25 if text[:1].islower() else 10, 240) or sum(ch.isalpha() for ch in text) < 4 \
            or text.startswith(("(", "_")) or text.endswith((".", ";", ":")):
        return None
    if heading_type(EMPHASIS.sub("", text)) is not None or APPROVAL.match(text.lstrip("*_ ")):
        return None
    return Role("title", "title:continued", title=text)


def rule_title(c: Context) -> Role | None:
    """«Должностная инструкция менеджера по продажам», «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ» over the position's line."""
    u = c.unit
    if u.kind not in ("none", "bullet") and not u.heading:
        return None
    if u.kind == "bullet" and u.marker.strip() in BULLETS:
        return None  # «🚴 Должностная инструкция курьера»: an emoji decorates a title; «• …» is an item
    if is_title(u.text):
        return Role("title", "title", title=u.text)
    return None


@applies_to("none", "single")
def rule_approval(c: Context) -> Role | None:
    """УТВЕРЖДАЮ / СОГЛАСОВАНО: the approval block's first line."""
    if c.unit.kind in ("none", "single") and APPROVAL.match(c.unit.text.lstrip("*_ ")) and _short(c.unit.text, 12):
        return Role("approval", "approval")
    return None


@applies_to("none",)
def rule_approval_block(c: Context) -> Role | None:
    """«Генеральный директор», «ООО «Вектор»», «______ И.И. Петров», «"__" ______ 2025 г.» right under УТВЕРЖДАЮ,
    before a blank line: the rest of the approval block (the approver's position, name, organisation, date)."""
    prev = c.previous
    if prev is None or prev.kind != "approval" or c.unit.kind != "none" or c.unit.gap_before and c.unit.rendered:
        return None
    text = EMPHASIS.sub("", c.unit.text).strip()
    if is_title(text) or heading_type(text) is not None or not _short(text, 10, 140) or text.endswith((";", ":")):
        return None
    if text.endswith(".") and not (PERSON.search(text) or _DATE.search(text)) and len(text.split()) > 3:
        return None  # a sentence: «Настоящая инструкция разработана …» is no part of the block
    return Role("approval", "approval block")


@applies_to("none", "bullet")
def rule_acknowledgement(c: Context) -> Role | None:
    """«С инструкцией ознакомлен: ____», also in emphasis («*С инструкцией ознакомлен(а):* ____»), closes an
    instruction."""
    if ACKNOWLEDGEMENT.match(c.unit.text.lstrip("*_ ")) and c.unit.kind in ("none", "bullet"):
        return Role("ack", "acknowledgement")
    return None


def rule_heading_numbered(c: Context) -> Role | None:
    """«2. Должностные обязанности», «III. ПРАВА», «Раздел 4. Ответственность»: a known section title."""
    u = c.unit
    if u.kind in ("single", "roman", "part") or (u.kind == "none" and u.heading):
        kind = heading_type(EMPHASIS.sub("", u.text))
        if kind:
            return Role("heading", "heading:vocabulary", section_type=kind, title=u.text)
    return None


@applies_to("none", "bullet", "multi")
def rule_heading_plain(c: Context) -> Role | None:
    """«Общие положения», «ОБЯЗАННОСТИ:», «🔹 Права»: an unnumbered line that is a known section title."""
    u = c.unit
    if _inside_bullet_list(c):
        return None
    if u.kind in ("none", "bullet", "multi") and _short(u.text, 8, 90):
        text = EMPHASIS.sub("", u.text).strip()
        kind = heading_type(text)
        if kind and not text.endswith("."):
            return Role("heading", "heading:plain", section_type=kind, title=u.text)
        # «Требования к квалификации.» alone on its line: a directory's (ЕКС) run-in heading with nothing after it
        kind = heading_type(text[:-1], max_extra_words=1) if text.endswith(".") and not text.endswith("..") else None
        if kind:
            return Role("heading", "heading:plain", section_type=kind, title=u.text)
    return None


@applies_to("bullet",)
def rule_heading_glyph(c: Context) -> Role | None:
    """«📌 Порядок обработки обращений» in a text whose «📌» marks «Общие положения» and «Права»: a heading the
    vocabulary does not know, marked as the document marks its headings (its type comes from its clauses)."""
    u = c.unit
    if u.kind == "bullet" and u.marker[:1] in c.layout.heading_glyphs:
        return Role("heading", "heading:the document's heading glyph",
                    section_type=heading_type(EMPHASIS.sub("", u.text).strip()) or "", title=u.text)
    return None


def _inside_bullet_list(c: Context) -> bool:
    """«- требования законодательства о персональных данных» after «- скрипты разговоров;»: an item of the list
    that happens to start with a section's word; a heading in a bulleted page is capitalised («🔹 Права»)."""
    u, prev = c.unit, c.next(-1)
    return (u.kind == "bullet" and prev is not None and prev.kind == "bullet"
            and prev.marker.strip() == u.marker.strip() and u.text[:1].islower())


@applies_to("multi", "single", "roman", "part")
def rule_heading_by_numbering(c: Context) -> Role | None:
    """«5. Прочее» followed by «5.1.»: a single-number line whose sub-items carry its number."""
    u = c.unit
    if u.kind == "multi" and _short(u.text, 8, 90) and ends_open(u.text) and not u.text.endswith("…"):
        # «1.1. Назначение и подчинение» over «1.1.1. …»: a sub-section's heading
        for k in (1, 2):
            nxt = c.next(k)
            if nxt is not None and nxt.kind == "multi":
                if len(nxt.path) > len(u.path) and nxt.path[: len(u.path)] == u.path:
                    return Role("heading", "heading:sub-numbering", section_type=heading_type(u.text) or "",
                                title=u.text)
                break
        return None
    if u.kind not in ("single", "roman", "part") or not _short(u.text, 8, 90) or not ends_open(u.text):
        return None
    if u.text.isupper() and sum(ch.isalpha() for ch in u.text) >= 4:
        return Role("heading", "heading:capitals", section_type="other", title=u.text)  # «6. ПОКАЗАТЕЛИ РАБОТЫ»
    for k in (1, 2):
        nxt = c.next(k)
        if nxt is not None and nxt.kind == "multi":
            if u.kind == "single" and nxt.path[0] == u.path[0]:
                return Role("heading", "heading:numbering", section_type="other", title=u.text)
            break
    return None


@applies_to("none",)
def rule_heading_over_items(c: Context) -> Role | None:
    """«Организация учета» or «**Контроль**» over «- …» items, «ЧТО ДОЛЖЕН ЗНАТЬ ВОДИТЕЛЬ» over bullets: a short
    line with no closing punctuation right above a list is that list's heading (its type from the vocabulary, or
    its section's when unknown)."""
    u, nxt = c.unit, c.next(1)
    if u.kind != "none" or nxt is None or nxt.kind == "none" or nxt.kind == "multi" and u.heading == 0 and False:
        return None
    text = EMPHASIS.sub("", u.text).strip().strip("*_ ")
    if not text or not _short(text, 8, 90) or text[-1] in ".;,!" or text[:1].islower() or c.previous is not None \
            and c.previous.kind == "lead_in":
        return None
    if text.endswith(":"):
        return None  # a lead-in
    if text.isupper() or not _has_predicate(text):
        return Role("heading", "heading:caption over items", section_type=heading_type(text) or "", title=u.text)
    return None


@applies_to("none", "single", "roman", "part")
def rule_heading_markup(c: Context) -> Role | None:
    """A heading by style (Word «Заголовок 1», HTML h2, Markdown ##) that is not a known title."""
    u = c.unit
    if u.heading and _short(u.text, 12) and u.kind in ("none", "single", "roman", "part"):
        return Role("heading", "heading:markup", section_type="other", title=u.text)
    return None


@applies_to("none",)
def rule_run_in(c: Context) -> Role | None:
    """«Должностные обязанности. Ведет учет …»: the heading runs into its paragraph (ЕКС style)."""
    u = c.unit
    if u.kind != "none":
        return None
    found = run_in_heading(EMPHASIS.sub("", u.text))
    if found is None:
        return None
    title, kind, at = found
    return Role("run_in", "run-in heading", section_type=kind, title=title, content_at=_with_emphasis(u.text, at))


def _with_emphasis(text: str, at: int) -> int:
    """The offset in ``text`` of character ``at`` of ``text`` with its ``**`` marks removed."""
    i = n = 0
    while n < at and i < len(text):
        if text.startswith("**", i):
            i += 2
            continue
        i += 1
        n += 1
    return i


def rule_lead_in(c: Context) -> Role | None:
    """«Менеджер имеет право:», «1.5. Менеджер должен знать:»: announces the items below."""
    text = EMPHASIS.sub("", c.unit.text).rstrip()
    if text.endswith(":"):
        return Role("lead_in", "lead-in")
    return None


@applies_to("none",)
def rule_inline_list(c: Context) -> Role | None:
    """«Кассир несет ответственность за: 1. … 2. …», «Знает: a; b; c»: a list run into one paragraph. A «;» list
    in a paragraph of several sentences is prose whose sentence holds the list («Обходит склад. Проверяет: весы;
    сканеры. Сообщает мастеру.»): its sentences are read one by one, and the list ends with its sentence."""
    if c.unit.kind != "none":
        return None
    found = _split_inline(c.unit.text)
    if found is None:
        return None
    numbered = any(number for _, _, number in found[1])
    if numbered or not _is_multi_sentence(c.unit.text):
        return Role("item", "inline list")
    return None


@applies_to("multi", "single", "letter", "bullet", "roman", "part")
def rule_item(c: Context) -> Role | None:
    """A numbered, lettered or bulleted item."""
    if c.unit.kind in ("multi", "single", "letter", "bullet", "roman", "part") and c.unit.text:
        return Role("item", f"item:{c.unit.kind}")
    return None


def rule_line_item(c: Context) -> Role | None:
    """An unmarked line ending with «;», or a short unmarked line (an item of a list written without bullets)."""
    text = c.unit.text.rstrip()
    if text.endswith(";"):
        return Role("line_item", "line item:semicolon")
    if _short(text, 25, 200) and not _is_multi_sentence(text):
        return Role("line_item", "line item:short")
    return None


def rule_prose(c: Context) -> Role | None:
    """Anything else: a paragraph of running text."""
    return Role("prose", "prose")


ROLE_RULES: tuple[RoleRule, ...] = (
    rule_blank,
    rule_acknowledgement,
    rule_title_continued,
    rule_form_hint,
    rule_navigation,
    rule_byline,
    rule_aside,
    rule_furniture,
    rule_contents_listed,
    rule_contents,
    rule_title,
    rule_title_block,
    rule_grade_line,
    rule_table_cell,
    rule_about_instructions,
    rule_approval,
    rule_approval_block,
    rule_signature,
    rule_heading_numbered,
    rule_heading_plain,
    rule_heading_glyph,
    rule_heading_by_numbering,
    rule_heading_over_items,
    rule_heading_markup,
    rule_run_in,
    rule_lead_in,
    rule_inline_list,
    rule_item,
    rule_line_item,
    rule_prose,
)


def _is_multi_sentence(text: str) -> bool:
    return sum(1 for _ in sentenize(text)) > 1


def _rules_for(kind: str) -> tuple[RoleRule, ...]:
    return tuple(rule for rule in ROLE_RULES if kind in getattr(rule, "kinds", ALL_KINDS))


RULES_BY_KIND = {kind: _rules_for(kind) for kind in ALL_KINDS}


def assign_roles(units: list[Unit]) -> list[Role]:
    roles: list[Role] = []
    layout = Layout.of(units)
    for i in range(len(units)):
        c = Context(units, i, roles, layout)
        for rule in RULES_BY_KIND[units[i].kind]:
            role = rule(c)
            if role is not None:
                roles.append(role)
                break
    return roles



def _split_inline(text: str, colon: int | None = None) -> tuple[int, list[tuple[int, int, str]]] | None:
    """``Должен знать: a; b; c.`` or ``… за: 1. … 2. …``: the colon's offset and the items after it. With
    ``colon=-1`` the whole text is the list (its lead-in, ending in the colon, stands in the paragraph before)."""
    if colon is None:
        found = _LIST_COLON.search(text)
        if found is None:
            return None
        colon = found.start()
    if colon < -1 or colon > 300 or colon == -1 and text.count(";") < 2:
        return None
    rest_at = colon + 1
    rest = text[rest_at:]
    numbers = list(INLINE_NUMBER.finditer(rest))
    if len(numbers) >= 2 and [int(m.group(1)) for m in numbers] == list(range(1, len(numbers) + 1)):
        items = []
        for k, m in enumerate(numbers):
            end = numbers[k + 1].start() if k + 1 < len(numbers) else len(rest)
            body = rest[m.end():end].strip()
            items.append((rest_at + m.end(), rest_at + m.end() + len(body), m.group(1)))
        return colon, items
    if rest.count(";") >= 1 and rest.strip():
        items = []
        pos = 0
        for part in rest.split(";"):
            stripped = part.strip()
            if stripped:
                lead = part.find(stripped)
                start = rest_at + pos + lead
                stop = start + len(stripped)
                if rest_at + pos + len(part) < len(text):
                    stop += 1  # keep the «;» as the source has it
                items.append((start, stop, ""))
            pos += len(part) + 1
        if len(items) >= 2:
            return colon, items
    return None


