"""Roles: what each unit of a document is, decided by an ordered list of small named rules.

Every unit gets exactly one role from ``ROLE_RULES``: the first rule that fires wins, and its name is kept for
the debug view (``jobclauses show``). Furniture roles (blank, navigation, approval, acknowledgement, contents,
page furniture) need positive evidence; everything else is a candidate provision.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from razdel import sentenize

from ..text import lemma, parse, words
from .position import is_title
from .units import BULLETS, PAGE_NUMBER, Unit, ends_open
from .vocab import heading_type, is_navigation, run_in_heading

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


