"""Locate: the stretches of units that are instructions, each with its title unit and position line."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..text import lemmatize, parse, words
from .position import title_phrase
from .roles import _CYRILLIC, _LATIN, EMPHASIS, SIGNATURE, Role, _short
from .units import Unit
from .vocab import article_words

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


