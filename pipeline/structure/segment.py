"""Locate the instructions of a document and segment them into sections and clauses.

Three passes over the units of :mod:`pipeline.structure.units`:

1. ``ROLE_RULES``: each unit gets a role (title, approval, acknowledgement, heading, run-in heading, lead-in,
   item, line item, prose) from an ordered list of small named rules; the first that fires wins and its name
   is kept for the debug view.
2. ``locate``: instructions are the stretches that start at a title, a first section or a numbering restart
   and end at an acknowledgement line, a run of narrative prose or the next instruction. A stretch with
   no title, no section holding clauses and fewer than three ``N.N.`` clauses is narrative, not an instruction.
3. ``emit``: sections, lead-ins (their meaning passes to their items) and clauses, one per item, per
   inline-list element or per sentence of a run-in paragraph; every unit also leaves a ``Span`` so that
   nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from razdel import sentenize

from ..records import Clause, Document, Instruction, Section, Span, Structure
from ..text import lemma, lemmatize, parse, words
from .position import (
    is_title,
    nominative,
    position_from_subjects,
    position_from_title,
    title_phrase,
)
from .units import BULLETS, PAGE_NUMBER, Unit, build_units, ends_open
from .vocab import article_words, heading_type, is_navigation, is_other_document_title, run_in_heading

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
# «Директор ООО «Ромашка» ф.и.о.», «(подпись)»: a signature line, not a provision
SIGNATURE = re.compile(r"ф\.\s?и\.\s?о\.|\(подпись\)|\bинициалы\b", re.I)
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


@dataclass
class Context:
    units: list[Unit]
    i: int

    @property
    def unit(self) -> Unit:
        return self.units[self.i]

    def next(self, k: int = 1) -> Unit | None:
        j = self.i + k
        return self.units[j] if 0 <= j < len(self.units) else None


RoleRule = Callable[[Context], Role | None]


def _short(text: str, words: int = 10, chars: int = 120) -> bool:
    return len(text) <= chars and len(text.split()) <= words


def _letters(text: str) -> bool:
    return bool(_LETTER.search(text))


# ---- role rules, in order -------------------------------------------------------------------------------


def rule_blank(c: Context) -> Role | None:
    """A line of blanks, dashes or dates only (``________``, ``«__» ____ 20__ г.``)."""
    if not _letters(c.unit.text.replace("г.", "")) and not c.unit.numbered:
        return Role("blank", "blank")
    return None


def rule_navigation(c: Context) -> Role | None:
    """«Читайте также:», «Комментарии»: the page's furniture after an instruction ends it; so does an article's
    advice to its reader («Разграничьте обязанности … Не забудьте:»): an instruction never says «вы»."""
    if c.unit.kind in ("none", "single") and is_navigation(c.unit.text):
        return Role("nav", "navigation")
    if c.unit.kind == "none" and _addresses_reader(c.unit.text):
        return Role("nav", "addressed to the reader")
    return None


_READER = frozenset({"вы", "ваш"})  # lemmas: «вам», «вас», «вашей», «ваши» …
_READER_HINT = re.compile(r"те(?:сь)?\b|\bв(?:ы|ам|ас|ами|аш\w*)\b", re.I)


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
    if _short(u.text, 14, 160) and PAGE_NUMBER.search(u.text):
        return Role("blank", "page header or footer")
    return None


def rule_contents(c: Context) -> Role | None:
    """«1. Зачем нужна инструкция / 2. Что в нее включить / 3. Образец»: an article's table of contents."""

    def entry(u: Unit | None) -> bool:
        return (u is not None and u.kind == "single" and _short(u.text, 9, 90) and ends_open(u.text)
                and heading_type(u.text) is None)

    if DOT_LEADER.search(c.unit.text):
        return Role("contents", "table of contents:page number")  # «1. Общие положения ........ 1»
    if not entry(c.unit):
        return None
    run = 1 + sum(1 for _ in _while(entry, (c.next(k) for k in range(1, 30))))
    run += sum(1 for _ in _while(entry, (c.next(-k) for k in range(1, 30))))
    return Role("contents", "table of contents") if run >= 3 else None


def _while(pred, items):
    for item in items:
        if not pred(item):
            return
        yield item


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


def rule_approval(c: Context) -> Role | None:
    """УТВЕРЖДАЮ / СОГЛАСОВАНО: the approval block's first line."""
    if c.unit.kind == "none" and APPROVAL.match(c.unit.text.lstrip("*_ ")) and _short(c.unit.text, 12):
        return Role("approval", "approval")
    return None


def rule_acknowledgement(c: Context) -> Role | None:
    """«С инструкцией ознакомлен: ____» closes an instruction."""
    if ACKNOWLEDGEMENT.match(c.unit.text) and c.unit.kind in ("none", "bullet"):
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


def _inside_bullet_list(c: Context) -> bool:
    """«- требования законодательства о персональных данных» after «- скрипты разговоров;»: an item of the list
    that happens to start with a section's word; a heading in a bulleted page is capitalised («🔹 Права»)."""
    u, prev = c.unit, c.next(-1)
    return (u.kind == "bullet" and prev is not None and prev.kind == "bullet"
            and prev.marker.strip() == u.marker.strip() and u.text[:1].islower())


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
    if u.kind not in ("single", "roman") or not _short(u.text, 8, 90) or not ends_open(u.text):
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


def rule_heading_markup(c: Context) -> Role | None:
    """A heading by style (Word «Заголовок 1», HTML h2, Markdown ##) that is not a known title."""
    u = c.unit
    if u.heading and _short(u.text, 12) and u.kind in ("none", "single", "roman", "part"):
        return Role("heading", "heading:markup", section_type="other", title=u.text)
    return None


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


def rule_inline_list(c: Context) -> Role | None:
    """«Кассир несет ответственность за: 1. … 2. …», «Знает: a; b; c»: a list run into one paragraph."""
    if c.unit.kind == "none" and _split_inline(c.unit.text) is not None:
        return Role("item", "inline list")
    return None


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
    rule_navigation,
    rule_furniture,
    rule_contents,
    rule_title,
    rule_approval,
    rule_heading_numbered,
    rule_heading_plain,
    rule_heading_by_numbering,
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


def assign_roles(units: list[Unit]) -> list[Role]:
    roles = []
    for i in range(len(units)):
        c = Context(units, i)
        for rule in ROLE_RULES:
            role = rule(c)
            if role is not None:
                roles.append(role)
                break
    return roles


# ---- locate ---------------------------------------------------------------------------------------------


@dataclass
class Region:
    first: int
    last: int
    title_unit: int | None = None
    position_line: str = ""
    units: list[int] = field(default_factory=list)
    ended_by_title: bool = False  # the next instruction's title (or an article's advice to its reader) closed it


def _is_structural(role: Role, unit: Unit) -> bool:
    return role.kind in ("heading", "run_in", "item", "lead_in") or (
        role.kind == "line_item" and unit.text.rstrip().endswith(";")
    )


def _is_narrative(role: Role, unit: Unit) -> bool:
    """Running text: an unmarked paragraph that is neither a list line (``…;``) nor a short caption."""
    if role.kind not in ("prose", "line_item") or unit.kind != "none":
        return False
    text = unit.text.rstrip()
    if text.endswith((";", ":")):
        return False
    if len(text) > 160:
        return True
    # Short sentences one per line, with no blank line between them, are provisions written without
    # markers; an article separates its paragraphs.
    return unit.gap_before and text.endswith((".", "?", "!", "…")) and len(text.split()) >= 4


def _caps_position_line(units: list[Unit], roles: list[Role], i: int) -> bool:
    """«ПРОИЗВОДИТЕЛЬ РАБОТ», «СЧЕТОВОД» over the first section: the position's name as a title."""
    u = units[i]
    if u.kind != "none" or roles[i].kind not in ("line_item", "prose") or not u.text.isupper() or not _short(u.text, 8):
        return False
    if sum(ch.isalpha() for ch in u.text) < 0.6 * len(u.text.replace(" ", "")):
        return False  # «00.00.0000 N 000»: a form field, not a name
    for k in range(1, 4):
        if i + k >= len(units):
            return False
        if roles[i + k].kind in ("heading", "run_in"):
            return True
    return False


def locate(units: list[Unit], roles: list[Role]) -> list[Region]:
    regions: list[Region] = []
    current: Region | None = None
    narrative_run = 0
    top_seen = 0  # the highest section number seen in the current region

    def close() -> None:
        nonlocal current
        if current is not None:
            regions.append(current)
        current = None

    for i, (u, role) in enumerate(zip(units, roles, strict=True)):
        starts_title = role.kind == "title" or (
            _caps_position_line(units, roles, i)
            # «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ» / «ВОДИТЕЛЯ ШКОЛЬНОГО АВТОБУСА»: the second line goes on the title
            and not (current is not None and current.title_unit is not None
                     and all(roles[j].kind in ("title", "blank", "approval") for j in current.units))
        )
        number = _section_number(u, role)
        restart = (
            current is not None
            and number == 1
            and top_seen >= 2
            and (role.kind == "heading" or (u.kind == "multi" and u.path[:2] == (1, 1)))
        )
        if starts_title or restart:
            if current is not None and starts_title:
                current.ended_by_title = True
            close()
            current = Region(first=i, last=i, title_unit=i if starts_title else None)
            top_seen = 0
            narrative_run = 0
            if starts_title and role.kind != "title":
                current.position_line = u.text
            current.units.append(i)
            continue
        if current is None:
            if role.kind == "lead_in" and not _announces_list(units, roles, i):
                continue  # «Вуз: Предмет: Файл:» on a download page
            if _is_structural(role, u) or role.kind == "approval":
                current = Region(first=i, last=i)
                top_seen = 0
                narrative_run = 0
            else:
                continue
        if role.kind == "ack":
            current.units.append(i)
            current.last = i
            close()
            continue
        if role.kind == "nav":
            if role.rule == "addressed to the reader":
                current.ended_by_title = True  # an article's advice: what came before may be its introduction
            if _numbering_goes_on(units, roles, current, i):
                current.units.append(i)  # an ad between 2.4 and 2.5 interrupts the list, it does not end it
                continue
            close()
            continue
        if _is_narrative(role, u) and not _prose_mode(current, units, roles) \
                and not _prose_section(current, units, roles, i):
            narrative_run += 1
            if narrative_run >= 2:
                # Two paragraphs of running text: the instruction ended before them.
                current.units = [j for j in current.units if j < i - 1]
                # «На чтение 9 мин.» between the last clause and the article: not part of the instruction
                while len(current.units) > 1 and not _is_structural(roles[current.units[-1]], units[current.units[-1]]) \
                        and roles[current.units[-1]].kind not in ("ack", "title"):
                    current.units.pop()
                current.last = current.units[-1] if current.units else current.first
                close()
                narrative_run = 0
                continue
        else:
            narrative_run = 0
        if number:
            top_seen = max(top_seen, number)
        current.units.append(i)
        current.last = i
    close()
    return [r for r in regions if _qualifies(r, units, roles)]


def _prose_section(region: Region, units: list[Unit], roles: list[Role], i: int) -> bool:
    """«Обязанности» over «Администратор встречает гостей… Рассматривает жалобы…»: unit ``i`` is a paragraph of
    a section of a titled instruction written as paragraphs (nothing structural since its known heading), and
    it reads as a provision."""
    u = units[i]
    if region.title_unit is None or u.kind != "none" or roles[i].kind not in ("prose", "line_item"):
        return False
    position = _position_lemmas(units[region.title_unit].text, region.position_line)
    for j in reversed(region.units):
        if j >= i:
            continue
        if roles[j].kind == "heading":
            if roles[j].section_type in ("", "other"):
                return False
            break
        if _is_structural(roles[j], units[j]) or roles[j].kind == "title":
            return False
        if roles[j].kind in ("prose", "line_item") and not _reads_as_provision(units[j].text, position):
            return False  # the section began as an article («Каждая уважающая себя компания …»): it stays one
    else:
        return False
    return _reads_as_provision(u.text, position)


@lru_cache(maxsize=4096)  # asked again for each later paragraph of the same section
def _reads_as_provision(text: str, position: frozenset[str]) -> bool:
    """A sentence of an instruction names its position or starts with the position's verb («Рассматривает
    жалобы…», «Требовать…»); a text about instructions talks to its reader («В этом разделе вы…»)."""
    text = EMPHASIS.sub("", text).rstrip()
    if not text.endswith((".", "!", "…")) or SIGNATURE.search(text):
        return False
    lemmas = lemmatize(text)
    if not lemmas or article_words() & set(lemmas):
        return False
    first = parse(words(text)[0]).tag
    return bool(position & set(lemmas)) or first.POS == "INFN" or (
        first.POS == "VERB" and first.person == "3per" and first.tense == "pres")


@lru_cache(maxsize=1024)
def _position_lemmas(title: str, position_line: str) -> frozenset[str]:
    phrase = title_phrase(title) or position_line or ""
    return frozenset(w for w in lemmatize(phrase) if len(w) >= 4)


def _numbering_goes_on(units: list[Unit], roles: list[Role], region: Region, i: int) -> bool:
    """The numbered item after unit ``i`` continues the region's last numbered item (2.4 … 2.5)."""
    last = next((units[j] for j in reversed(region.units) if units[j].kind == "multi"), None)
    nxt = next((units[j] for j in range(i + 1, min(i + 6, len(units))) if roles[j].kind not in ("blank", "nav")),
               None)
    if last is None or nxt is None or nxt.kind != "multi" or len(nxt.path) != len(last.path):
        return False
    return nxt.path[:-1] == last.path[:-1] and nxt.path[-1] == last.path[-1] + 1


def _announces_list(units: list[Unit], roles: list[Role], i: int) -> bool:
    if i + 1 >= len(units):
        return False
    nxt, role = units[i + 1], roles[i + 1]
    return (role.kind == "item" and nxt.kind != "none") or nxt.text.endswith(";")


def _section_number(u: Unit, role: Role) -> int:
    if role.kind == "heading" and u.path:
        return u.path[0]
    if u.kind == "multi":
        return u.path[0]
    return 0


def _prose_mode(region: Region, units: list[Unit], roles: list[Role]) -> bool:
    """A titled instruction written as plain paragraphs, with no numbering, bullets or headings."""
    if region.title_unit is None:
        return False
    return not any(_is_structural(roles[j], units[j]) for j in region.units if j != region.title_unit)


def _may_hold_clause(role: Role, unit: Unit) -> bool:
    """A list line, a heading with content or a sentence: what a provision is written as. «Содержание» and
    «Обновлено: 14.03.2025 · Автор: …» under an article's headline are not."""
    if role.kind in ("title", "blank", "approval", "ack", "contents", "nav"):
        return False
    if _is_structural(role, unit):
        return True
    text = EMPHASIS.sub("", unit.text).rstrip()
    return text.endswith((".", "!", ";")) and len(text.split()) >= 4


def _mostly_russian(region: Region, units: list[Unit]) -> bool:
    """A README in English with a table of Russian file names is not an instruction; «CRM-системе» in one is."""
    text = " ".join(units[j].text for j in region.units)[:4000]  # the language shows in the first lines
    cyrillic = len(_CYRILLIC.findall(text))
    return cyrillic >= 0.6 * (cyrillic + len(_LATIN.findall(text)))


def _qualifies(region: Region, units: list[Unit], roles: list[Role]) -> bool:
    if not _mostly_russian(region, units):
        return False
    if region.title_unit is not None:
        # An instruction with a list or a heading, or one written as plain sentences (more than one); but an
        # article's headline over its byline and introduction, with the instruction's own title further down,
        # is no instruction («Должностная инструкция инженера: образец 2026 года», «Автор: …», intro).
        members = [j for j in region.units if j != region.title_unit]
        if region.ended_by_title and not any(roles[j].kind in ("heading", "run_in") or units[j].numbered
                                             for j in members):
            return False
        return any(_is_structural(roles[j], units[j]) for j in members) or sum(
            _may_hold_clause(roles[j], units[j]) for j in members) >= 2
    sections_with_content = 0
    multi = 0
    in_section = False
    for j in region.units:
        kind = roles[j].kind
        if kind in ("heading", "run_in"):
            in_section = True
            if kind == "run_in":
                sections_with_content += 1
        elif in_section and (kind in ("item", "lead_in") or (kind == "line_item" and units[j].text.endswith(";"))):
            sections_with_content += 1
            in_section = False
        if units[j].kind == "multi" and kind == "item":
            multi += 1
    return sections_with_content >= 1 or multi >= 3


# ---- emit -----------------------------------------------------------------------------------------------


@dataclass
class LeadIn:
    text: str
    kind: str  # the marker kind of the lead-in's own unit
    depth: int


def _clause_number(u: Unit) -> str:
    if u.kind == "multi":
        return ".".join(str(x) for x in u.path)
    if u.kind == "single":
        return u.marker.strip().rstrip(".")
    if u.kind == "letter":
        return u.marker.strip()
    return ""


def _depth(u: Unit) -> int:
    if u.kind == "multi":
        return len(u.path)
    if u.kind in ("single", "roman", "part"):
        return 1
    return 99  # bullets, letters and unmarked items sit below any number


def _lead_in_applies(lead: LeadIn, u: Unit, role: Role) -> bool:
    if lead.kind == "none":
        return True  # an unmarked lead-in governs everything up to the next heading or lead-in
    if u.kind in ("bullet", "letter", "none"):
        return True
    return _depth(u) > lead.depth


def _clean(text: str) -> str:
    return " ".join(EMPHASIS.sub("", text).split())


def _split_inline(text: str, colon: int | None = None) -> tuple[int, list[tuple[int, int, str]]] | None:
    """``Должен знать: a; b; c.`` or ``… за: 1. … 2. …``: the colon's offset and the items after it."""
    colon = text.find(":") if colon is None else colon
    if colon < 0 or colon > 300:
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


def _sentence_line(region: Region, section: Section | None, u: Unit, role: Role) -> bool:
    """«Подчиняется непосредственно руководителю отдела.» on its own line under a heading of a titled
    instruction: a provision written without a marker (a caption or a bold sub-heading has no full stop)."""
    text = EMPHASIS.sub("", u.text).rstrip()
    return (
        region.title_unit is not None
        and section is not None
        and u.kind == "none"
        and role.kind == "line_item"
        and text.endswith(".")
        and len(text.split()) >= 4
        and not SIGNATURE.search(text)
        and not article_words() & set(lemmatize(text))  # «Образец можно изменить под особенности вашего …»
    )


def _run_together(u: Unit) -> list[tuple[int, str]]:
    """Offsets and numbers of the clauses that continue a single-numbered paragraph's own numbering."""
    if u.kind != "single" or not u.marker.strip().endswith("."):
        return []
    expected = u.path[0] + 1
    found = []
    for m in INLINE_NUMBER.finditer(u.text):
        if m.start() == 0 or u.text[m.start() - 2: m.start() - 1] not in (".", ";", ":", "!", "?"):
            continue
        if int(m.group(1)) == expected:
            found.append((m.start(), m.group(1)))
            expected += 1
    return found


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.stop) for s in sentenize(text) if _letters(s.text)]


class _Emitter:
    def __init__(self, doc: Document, units: list[Unit], roles: list[Role], source: str):
        self.doc, self.units, self.roles, self.source = doc, units, roles, source
        self.sections: list[Section] = []
        self.clauses: list[Clause] = []
        self.spans: list[Span] = []
        self._spanned: set[tuple[int, int]] = set()

    def span(self, kind: str, start: int, stop: int, rule: str) -> None:
        if stop > start and (start, stop) not in self._spanned:
            self._spanned.add((start, stop))
            self.spans.append(Span(kind=kind, start=start, stop=stop, rule=rule))

    def clause(self, index: int, u: Unit, i: int, j: int, number: str, section: Section | None,
               lead: LeadIn | None, rule: str, counter: list[int]) -> None:
        raw = u.text[i:j]
        text = _clean(raw)
        if i == 0 and u.content_start > u.start:
            self.span("noise", u.start, u.content_start, "marker")  # «а)», «IV.», «Раздел 3.»
        if not _letters(text):
            self.span("noise", *(u.span(i, j) if i else (u.content_start, u.stop)), "empty item")
            return
        start, stop = u.span(i, j)
        counter[0] += 1
        sec_no = section.number if section else ""
        path = number or f"{sec_no + '.' if sec_no else ''}•{counter[0]}"
        self.clauses.append(
            Clause(
                source=self.source,
                instruction=index,
                number=number,
                text=text,
                start=start,
                stop=stop,
                path=path,
                section_number=sec_no,
                section_title=section.title if section else "",
                section_type=section.type if section else "",
                lead_in=_clean(lead.text) if lead else "",
                rule=rule,
            )
        )
        self.span("clause", start, stop, rule)

    def instruction(self, index: int, region: Region) -> Instruction:
        units, roles = self.units, self.roles
        section: Section | None = None
        lead: LeadIn | None = None
        counter = [0]
        prose = _prose_mode(region, units, roles)
        started = False  # before the first heading or numbered item: title lines, approval, preamble
        list_kind = ""  # the marker kind of the first item under the current lead-in
        first_clause = len(self.clauses)
        title_text = ""
        title_span = (-1, -1)
        members = region.units
        for pos, j in enumerate(members):
            u, role = units[j], roles[j]
            nxt = units[members[pos + 1]] if pos + 1 < len(members) else None
            nxt_role = roles[members[pos + 1]] if pos + 1 < len(members) else None
            if j == region.title_unit:
                title_text = u.text
                title_span = (u.start, u.stop)
                # «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ» over «ВОДИТЕЛЯ ШКОЛЬНОГО АВТОБУСА»: the title goes on.
                if role.kind == "title" and not title_phrase(u.text) and nxt is not None and nxt.kind == "none" \
                        and _short(nxt.text, 10) and nxt_role.kind in ("line_item", "prose", "heading") \
                        and sum(ch.isalpha() for ch in nxt.text) >= 4 and not nxt.text.startswith(("(", "_")):
                    title_text = f"{u.text} {nxt.text}"
                    title_span = (u.start, nxt.stop)
                    roles[members[pos + 1]] = Role("title", "title:continued")
                self.span("title", u.start, u.stop, role.rule)
                continue
            if role.kind in ("title", "approval", "blank", "ack", "contents", "nav"):
                self.span("noise" if role.kind != "title" else "title", u.start, u.stop, role.rule)
                continue
            if role.kind in ("heading", "run_in", "lead_in") or u.numbered:
                started = True
            if role.kind == "heading":
                # a sub-section without a known title of its own keeps its section's type
                kind = role.section_type or (section.type if section is not None else "other")
                section = Section(self.source, index, u.marker.strip().rstrip(".") if u.marker else "",
                                  _clean(role.title).rstrip(":"), kind, u.start, u.stop, role.rule)
                self.sections.append(section)
                counter = [0]
                lead = LeadIn(u.text, "none", 0) if u.text.rstrip().endswith(":") else None
                list_kind = ""
                self.span("heading", u.start, u.stop, role.rule)
                continue
            if role.kind == "run_in":
                section = Section(self.source, index, "", _clean(role.title), role.section_type, u.start, u.stop,
                                  role.rule)
                self.sections.append(section)
                counter = [0]
                lead = None
                self.span("heading", u.start, u.span(0, role.content_at)[1], role.rule)
                colon = u.text.rfind(":", 0, role.content_at)
                inline = _split_inline(u.text, colon) if colon >= 0 else None
                if inline is not None:
                    # «Должен знать: a; b; c.»: the heading is the lead-in of an inline list
                    head = LeadIn(u.text[: colon + 1], "none", 0)
                    for i, j, num in inline[1]:
                        self.clause(index, u, i, j, num, section, head, "inline item", counter)
                else:
                    self._content(index, u, role.content_at, section, None, counter, sentences=True)
                continue
            if lead is not None and not _lead_in_applies(lead, u, role):
                lead = None
            if lead is not None and lead.kind == "none" and role.kind in ("item", "line_item", "prose"):
                # An unmarked lead-in governs one list: items of the kind of its first item.
                if not list_kind:
                    list_kind = u.kind
                elif u.kind != list_kind and not (u.kind in ("bullet", "letter") and list_kind == "multi"):
                    lead = None
            if not started and role.kind in ("line_item", "prose") and not prose:
                if region.title_unit is not None and DOCUMENT_BASIS.match(EMPHASIS.sub("", u.text)):
                    # «Настоящая должностная инструкция разработана в соответствии с …» before section 1
                    self._content(index, u, 0, section, None, counter, sentences=True)
                else:
                    self.span("noise", u.start, u.stop, "preamble")
                continue
            if role.kind == "lead_in":
                has_items = nxt is not None and (
                    (nxt_role.kind == "item" and (_depth(nxt) > _depth(u) or u.kind == "none"))
                    or (nxt_role.kind in ("line_item", "prose") and nxt.kind == "none"
                        and (nxt.text.endswith(";") or nxt.text[:1].islower()))
                )
                if has_items:
                    lead = LeadIn(u.text, u.kind if u.kind != "bullet" else "none", _depth(u))
                    list_kind = ""
                    self.span("lead_in", u.start, u.stop, role.rule)
                    continue
                if len(u.text.split()) < 3:
                    self.span("noise", u.start, u.stop, "caption")  # «Скачиваний:», «Добавлен:»
                    continue
                self.clause(index, u, 0, len(u.text), _clause_number(u), section, lead, "lead-in without items",
                            counter)
                continue
            if role.kind == "item" or (role.kind == "line_item" and (lead is not None or u.text.endswith(";"))):
                self._content(index, u, 0, section, lead, counter, sentences=False)
                continue
            # Running text inside an instruction: clauses only where the instruction is written as prose
            # or the text sits under a lead-in.
            if prose or lead is not None:
                self._content(index, u, 0, section, lead, counter, sentences=prose)
            elif _sentence_line(region, section, u, role) or _prose_section(region, units, roles, j):
                self._content(index, u, 0, section, None, counter, sentences=True)

            else:
                self.span("noise", u.start, u.stop, "prose inside an instruction")
        start = units[region.first].start
        stop = units[region.last].stop
        position = self._position(region, title_text, first_clause)
        title = _clean(title_text)
        return Instruction(self.source, index, title, position, start, stop, *title_span,
                           rule="title" if region.title_unit is not None else "structure")

    def _content(self, index: int, u: Unit, at: int, section: Section | None, lead: LeadIn | None,
                 counter: list[int], sentences: bool) -> None:
        text = u.text
        if at == 0 and u.content_start > u.start:
            self.span("noise", u.start, u.content_start, "marker")
        if not _letters(text[at:]):
            self.span("noise", *(u.span(at, len(text)) if at else (u.content_start, u.stop)), "empty item")
            return
        number = _clause_number(u) if at == 0 else ""
        run = _run_together(u) if at == 0 else []
        if run:
            # «1. … 2. … 3. …» in one paragraph: one clause per number
            cuts = [(0, number)] + run
            for k, (i, num) in enumerate(cuts):
                j = cuts[k + 1][0] if k + 1 < len(cuts) else len(text)
                body_at = i if k == 0 else i + len(num) + 1
                while body_at < j and text[body_at] == " ":
                    body_at += 1
                end = j
                while end > body_at and text[end - 1] == " ":
                    end -= 1
                inline = _split_inline(text[body_at:end])
                if inline is not None:
                    # «5. Медсестра должна знать: a; b; c.» inside a run-together paragraph
                    colon, items = inline
                    self.span("lead_in", *u.span(body_at, body_at + colon + 1), "inline list")
                    inner = LeadIn(text[body_at:body_at + colon + 1], "none", 0)
                    for i2, j2, num2 in items:
                        self.clause(index, u, body_at + i2, body_at + j2, num2, section, inner, "inline item", counter)
                    continue
                self.clause(index, u, body_at, end, num, section, lead, "run-together item", counter)
            return
        inline = _split_inline(text[at:]) if u.kind != "bullet" else None
        if inline is not None:
            colon, items = inline
            lead_text = text[at:at + colon + 1]
            self.span("lead_in", *u.span(at, at + colon + 1), "inline list")
            inner = LeadIn(lead_text, "none", 0)
            for i, j, num in items:
                self.clause(index, u, at + i, at + j, num, section, inner, "inline item", counter)
            return
        if sentences:
            for i, j in _sentences(text[at:]):
                self.clause(index, u, at + i, at + j, "", section, lead, "sentence", counter)
            return
        self.clause(index, u, at, len(text), number, section, lead, f"item:{u.kind}", counter)

    def _position(self, region: Region, title_text: str, first_clause: int) -> str:
        """From the title, else the position's own line, else the subject of the clauses."""
        phrase = title_phrase(title_text) if title_text else None
        candidates = [
            lambda: nominative(phrase) if phrase else "",
            lambda: nominative(region.position_line) if region.position_line else "",
            lambda: position_from_title(title_text) if title_text else "",
            lambda: position_from_subjects(
                [c.lead_in for c in self.clauses[first_clause:] if c.lead_in]
                + [c.text for c in self.clauses[first_clause:]]
            ),
        ]
        for candidate in candidates:
            position = candidate()
            if sum(ch.isalpha() for ch in position) >= 3:
                return position
        return ""


def structure(doc: Document) -> Structure:
    """Instructions, sections, clauses and the fate of every unit of ``doc``."""
    units = build_units(doc, looks_like_heading=lambda t: heading_type(t) is not None or is_title(t))
    roles = assign_roles(units)
    regions = locate(units, roles)
    if _other_document(units, roles):
        # A contract or an order with numbered clauses: only a titled job description inside it counts.
        regions = [r for r in regions if r.title_unit is not None and roles[r.title_unit].kind == "title"]
    emitter = _Emitter(doc, units, roles, doc.name)
    instructions = [emitter.instruction(k, region) for k, region in enumerate(regions, start=1)]
    inside = {j for r in regions for j in r.units}
    for j, u in enumerate(units):
        if j not in inside:
            emitter.span("noise", u.start, u.stop, f"outside:{roles[j].rule}")
    spans = sorted(emitter.spans, key=lambda s: (s.start, s.stop))
    return Structure(
        instructions=tuple(instructions),
        sections=tuple(emitter.sections),
        clauses=tuple(emitter.clauses),
        spans=tuple(spans),
    )


def _other_document(units: list[Unit], roles: list[Role]) -> bool:
    """The document opens, within its first lines, with the title of another kind of document."""
    for u, role in list(zip(units, roles, strict=True))[:6]:
        if role.kind == "title":
            return False
        if u.kind == "none" and is_other_document_title(u.text):
            return True
    return False


def explain_units(doc: Document) -> list[tuple[Unit, Role]]:
    """Units with the role rule that placed each, for the debug view."""
    units = build_units(doc, looks_like_heading=lambda t: heading_type(t) is not None or is_title(t))
    return list(zip(units, assign_roles(units), strict=True))
