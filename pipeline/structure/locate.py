"""Locate: which stretches of units are instructions.

An instruction starts at a title (or the position's own line in capitals), at a numbering that starts again
from 1 after a complete outline, or — outside every title — at its first provision. It ends only on positive
evidence: the next title, an acknowledgement line, the page's furniture (navigation, a byline, comments), or
the end of the text. Inside it every unit is kept for the emitter; nothing ends it for being prose.

Which stretch counts as an instruction (``QUALIFY_RULES``) depends on where it stands:

- a titled stretch counts when it holds a provision (an article's headline over its byline and introduction,
  closed by the instruction's own title, holds none of the instruction's shape and does not count);
- in a *page* (a text with a title or page furniture somewhere), a stretch outside every title counts only with
  the shape of an instruction: a known section with content, a lead-in with its items, numbered clauses. The
  paragraphs of an article around an instruction are that article's, not an untitled instruction;
- in a text that is neither (a list of duties saved on its own, a bot's resource file), any provision counts.

Each region keeps the names of the rules that started, ended and admitted it, for the debug view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..text import lemmatize
from .roles import _CYRILLIC, _LATIN, EMPHASIS, Role, _short
from .units import Unit
from .vocab import work_words


@dataclass
class Region:
    first: int
    last: int
    title_unit: int | None = None
    position_line: str = ""
    units: list[int] = field(default_factory=list)
    started_by: str = ""
    ended_by: str = "end of text"
    qualified_by: str = ""

    @property
    def ended_by_title(self) -> bool:
        """The next instruction's title (or an article's advice to its reader) closed it."""
        return self.ended_by in ("next title", "addressed to the reader")


#: Roles of the page rather than the text: they never start an instruction and never hold a clause.
FURNITURE = frozenset({"blank", "approval", "ack", "contents", "nav", "byline", "signature", "form", "article",
                       "attribute", "aside"})


def _is_structural(role: Role, unit: Unit) -> bool:
    return role.kind in ("heading", "run_in", "item", "lead_in") or (
        role.kind == "line_item" and unit.text.rstrip().endswith(";")
    )


def _may_hold_clause(role: Role, unit: Unit, captions: bool = False) -> bool:
    """A list line, a heading with content or a sentence: what a provision is written as; with ``captions``
    also a line of two words or more («Пунктуальность и вежливость») under a title."""
    if role.kind in FURNITURE or role.kind == "title":
        return False
    if _is_structural(role, unit):
        return True
    text = EMPHASIS.sub("", unit.text).rstrip()
    if text.endswith((".", "!", ";")) and len(text.split()) >= 3:
        return True
    return captions and len(text.split()) >= 2 and role.kind != "heading"


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


def _announces_list(units: list[Unit], roles: list[Role], i: int) -> bool:
    if i + 1 >= len(units):
        return False
    nxt, role = units[i + 1], roles[i + 1]
    return (role.kind in ("item", "line_item") and nxt.kind != "none") or nxt.text.endswith(";") or (
        role.kind in ("line_item", "prose") and nxt.text[:1].islower())


def _section_number(u: Unit, role: Role) -> int:
    if role.kind == "heading" and u.path:
        return u.path[0]
    if u.kind == "multi":
        return u.path[0]
    return 0


def _numbering_goes_on(units: list[Unit], roles: list[Role], region: Region, i: int) -> bool:
    """The numbered item after unit ``i`` continues the region's last numbered item (2.4 … 2.5)."""
    last = next((units[j] for j in reversed(region.units) if units[j].kind == "multi"), None)
    nxt = next((units[j] for j in range(i + 1, min(i + 6, len(units))) if roles[j].kind not in FURNITURE), None)
    if last is None or nxt is None or nxt.kind != "multi" or len(nxt.path) != len(last.path):
        return False
    return nxt.path[:-1] == last.path[:-1] and nxt.path[-1] == last.path[-1] + 1


def is_page(roles: list[Role]) -> bool:
    """A text with a title, page furniture (navigation, a byline) or an article's talk about job descriptions
    somewhere: a page that may hold articles around instructions. A line addressed to a reader alone
    («Выберите раздел:» of a bot) does not make one."""
    return any(r.kind in ("title", "byline", "article") or r.kind == "nav" and r.rule != "addressed to the reader"
               for r in roles)


# ---- where an instruction starts ------------------------------------------------------------------------


@dataclass
class Scan:
    units: list[Unit]
    roles: list[Role]
    page: bool
    current: Region | None = None
    top_seen: int = 0  # the highest section number seen in the current region


StartRule = Callable[[Scan, int], str | None]


def start_at_title(s: Scan, i: int) -> str | None:
    """«Должностная инструкция …», «Примерные должностные обязанности …»: a title starts an instruction."""
    if s.roles[i].kind == "title" and s.roles[i].rule != "title:continued":
        return "title"
    return None


def start_at_position_line(s: Scan, i: int) -> str | None:
    """«СЧЕТОВОД» in capitals over the first section; not the second line of a bare «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ»."""
    cur = s.current
    if not _caps_position_line(s.units, s.roles, i):
        return None
    if cur is not None and cur.title_unit is not None and all(
            s.roles[j].kind in ("title", "blank", "approval") for j in cur.units):
        return None
    return "position line"


def start_at_renumbering(s: Scan, i: int) -> str | None:
    """Section 1 (or clause 1.1) again after section 2 or later: the next instruction of a collection."""
    u, role = s.units[i], s.roles[i]
    if s.current is None or _section_number(u, role) != 1 or s.top_seen < 2:
        return None
    if role.kind == "heading" or (u.kind == "multi" and u.path[:2] == (1, 1)):
        return "numbering starts again"
    return None


def start_at_post(s: Scan, i: int) -> str | None:
    """A post read out of a data file (an SQL dump, a JSON export: the reader marks its first block «post:…») is
    a document of its own: each starts its own instruction."""
    u = s.units[i]
    if not u.style.startswith("post:"):
        return None
    if i > 0 and s.units[i - 1].style.startswith("post:"):
        return None  # the post's title field right before its own heading
    return "a post of a data file"


START_RULES: tuple[StartRule, ...] = (start_at_title, start_at_position_line, start_at_renumbering, start_at_post)


def opens_untitled(s: Scan, i: int) -> str | None:
    """Outside every instruction: in a page, the first unit with an instruction's shape (an article's paragraphs
    are its own); elsewhere, the first unit that can hold a provision."""
    u, role = s.units[i], s.roles[i]
    if role.kind in FURNITURE and role.kind != "approval" or role.kind == "title":
        return None
    if role.kind == "lead_in" and not _announces_list(s.units, s.roles, i) and not role.rule.startswith("table:"):
        return None  # «Вуз: Предмет: Файл:» on a download page
    if role.kind == "approval":
        return "approval block"
    if _is_structural(role, u):
        return "first structured unit"
    if not s.page and _may_hold_clause(role, u):
        return "first provision"
    return None


# ---- where it ends ---------------------------------------------------------------------------------------


EndRule = Callable[[Scan, int], str | None]


def end_at_acknowledgement(s: Scan, i: int) -> str | None:
    """«С инструкцией ознакомлен: ____» closes the instruction (and belongs to it)."""
    return "acknowledgement" if s.roles[i].kind == "ack" else None


def end_at_furniture(s: Scan, i: int) -> str | None:
    """«Читайте также», «Комментарии», a byline, an article's advice to its reader: the page goes on, the
    instruction has ended; unless its numbering goes on after it (an ad between 2.4 and 2.5)."""
    role = s.roles[i]
    if role.kind not in ("nav", "byline"):
        return None
    if s.current is not None and _numbering_goes_on(s.units, s.roles, s.current, i):
        return None
    return role.rule if role.rule == "addressed to the reader" else role.kind


END_RULES: tuple[EndRule, ...] = (end_at_acknowledgement, end_at_furniture)


def locate(units: list[Unit], roles: list[Role]) -> list[Region]:
    scan = Scan(units, roles, is_page(roles))
    regions: list[Region] = []

    def close(reason: str) -> None:
        if scan.current is not None:
            scan.current.ended_by = reason
            regions.append(scan.current)
        scan.current = None

    for i, (u, role) in enumerate(zip(units, roles, strict=True)):
        started = next((name for rule in START_RULES if (name := rule(scan, i))), None)
        if started:
            close("next title" if started in ("title", "position line") else started)
            # a post's title field («Ночной портье» in a dump's «name» column) is its title: the position's name
            field = started == "a post of a data file" and u.style.startswith("post:field")
            titled = started in ("title", "position line") or role.kind == "title" or field
            scan.current = Region(first=i, last=i, title_unit=i if titled else None, started_by=started)
            if field and role.kind != "title":
                scan.current.position_line = u.text
            if started == "position line":
                scan.current.position_line = u.text
            scan.top_seen = 0
            scan.current.units.append(i)
            continue
        if scan.current is None:
            opened = opens_untitled(scan, i)
            if not opened:
                continue
            scan.current = Region(first=i, last=i, started_by=opened)
            scan.top_seen = 0
        ended = next((name for rule in END_RULES if (name := rule(scan, i))), None)
        if ended == "acknowledgement":
            scan.current.units.append(i)
            scan.current.last = i
            close(ended)
            continue
        if ended:
            close(ended)
            continue
        number = _section_number(u, role)
        if number:
            scan.top_seen = max(scan.top_seen, number)
        scan.current.units.append(i)
        if role.kind not in FURNITURE:
            scan.current.last = i
    close("end of text")
    kept = []
    for region in regions:
        region.units = [j for j in region.units if j <= region.last]
        reason = next((name for rule in QUALIFY_RULES if (name := rule(scan, region))), None)
        if reason and not reason.startswith("not:"):
            region.qualified_by = reason
            kept.append(region)
    return kept


# ---- which stretches are instructions --------------------------------------------------------------------


QualifyRule = Callable[[Scan, Region], str | None]


def not_russian(s: Scan, region: Region) -> str | None:
    """A README in English with a table of Russian file names is not an instruction; «CRM-системе» in one is."""
    text = " ".join(s.units[j].text for j in region.units[:40])[:2000]  # the language shows in the first lines
    latin = len(text) - len(_LATIN.sub("", text))
    if not latin:
        return None
    cyrillic = len(text) - len(_CYRILLIC.sub("", text))
    return None if cyrillic >= 0.6 * (cyrillic + latin) else "not: mostly not Russian"


def headline_of_an_article(s: Scan, region: Region) -> str | None:
    """«Должностная инструкция инженера: образец 2026 года» over a byline and an introduction, closed by the
    instruction's own title: an article's headline, with nothing of an instruction's shape under it."""
    if region.title_unit is None or not region.ended_by_title:
        return None
    members = [j for j in region.units if j != region.title_unit]
    if any(s.roles[j].kind in ("heading", "run_in") or s.units[j].numbered for j in members):
        return None
    return "not: an article's headline"


def titled_with_a_provision(s: Scan, region: Region) -> str | None:
    """A title with at least one provision under it."""
    if region.title_unit is None:
        return None
    members = [j for j in region.units if j != region.title_unit]
    if any(_may_hold_clause(s.roles[j], s.units[j], captions=True) for j in members):
        return "title with provisions"
    return "not: a title with nothing under it"


def shaped_like_an_instruction(s: Scan, region: Region) -> str | None:
    """Outside every title in a page: a section of a job description (a heading the vocabulary knows) with
    content, or three numbered clauses. An article's own headings («Зачем школе должностная инструкция») and its
    lists do not make it an instruction."""
    if not s.page:
        return None
    sections_with_content = multi = 0
    in_section = False
    for j in region.units:
        kind = s.roles[j].kind
        if kind == "heading":
            in_section = bool(s.roles[j].section_type) and s.roles[j].section_type != "other"
        elif kind == "run_in":
            in_section = True
            if kind == "run_in":
                sections_with_content += 1
        elif in_section and (kind in ("item", "lead_in") or (kind == "line_item" and s.units[j].text.endswith(";"))):
            sections_with_content += 1
            in_section = False
        if s.units[j].kind == "multi" and kind == "item":
            multi += 1
    if sections_with_content >= 1 or multi >= 3:
        return "shaped like an instruction"
    return "not: text of a page outside every title"


def holds_a_provision(s: Scan, region: Region) -> str | None:
    """A text that is not a page: any provision makes it an instruction (a list of duties saved on its own), when
    it speaks of work (two lemmas of ``work_words.txt``): a recipe numbered like a list is no instruction."""
    if not any(_may_hold_clause(s.roles[j], s.units[j]) for j in region.units):
        return "not: no provision"
    found: set[str] = set()
    for j in region.units:
        found |= work_words() & set(lemmatize(s.units[j].text[:300]))
        if len(found) >= 2:
            return "holds provisions about work"
    return "not: nothing about work"


QUALIFY_RULES: tuple[QualifyRule, ...] = (
    not_russian,
    headline_of_an_article,
    titled_with_a_provision,
    shaped_like_an_instruction,
    holds_a_provision,
)


def prose_mode(region: Region, units: list[Unit], roles: list[Role]) -> bool:
    """A titled instruction written as plain paragraphs, with no numbering, bullets or headings."""
    if region.title_unit is None:
        return False
    return not any(_is_structural(roles[j], units[j]) for j in region.units if j != region.title_unit)
