"""Emit: sections, lead-ins and clauses of each located instruction, and a span for every unit's fate."""

from __future__ import annotations

from dataclasses import dataclass

from razdel import sentenize

from ..records import Clause, Document, Instruction, Section, Span
from .locate import FURNITURE, Region, is_page, prose_mode
from .position import Evidence, name_position
from .roles import _LIST_COLON, EMPHASIS, INLINE_NUMBER, Role, _has_predicate, _letters, _split_inline
from .units import Unit

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


#: The depth of «1)» items: below any dotted number («1.2. … лицо:» over «1) имеющее …»), above letters and bullets.
BRACKET_DEPTH = 50


def _depth(u: Unit) -> int:
    if u.kind == "multi":
        return len(u.path)
    if u.kind == "single" and u.marker.rstrip().endswith(")"):
        return BRACKET_DEPTH
    if u.kind in ("single", "roman", "part"):
        return 1
    return 99  # bullets, letters and unmarked items sit below any number


def _lead_in_applies(lead: LeadIn, u: Unit, role: Role) -> bool:
    if lead.kind == "none":
        return True  # an unmarked lead-in governs everything up to the next heading or lead-in
    if u.kind in ("bullet", "letter", "none"):
        return True
    return _depth(u) > lead.depth


def _short_nominal(text: str) -> bool:
    """A short line with no verb («Пунктуальность», «Честность в расчетах»): a list item that lost its bullet."""
    return len(text.split()) <= 8 and not _has_predicate(text)


def _clean(text: str) -> str:
    return " ".join(EMPHASIS.sub("", text).split())


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


def _list_in_sentence(sentence: str) -> tuple[int, list[tuple[int, int, str]]] | None:
    """The colon and the «;» items of a list inside one sentence of a paragraph («Проверяет оборудование:
    Склад: весы; сканеры; принтеры этикеток.»): its lead-in ends at the last colon before the first «;», and
    the list ends with the sentence, not with the paragraph."""
    first = sentence.find(";")
    colons = [m.start() for m in _LIST_COLON.finditer(sentence, 0, first)] if first > 0 else []
    return _split_inline(sentence, colons[-1]) if colons else None


class _Emitter:
    def __init__(self, doc: Document, units: list[Unit], roles: list[Role], source: str):
        self.doc, self.units, self.roles, self.source = doc, units, roles, source
        self.page = is_page(roles)
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
        prose = prose_mode(region, units, roles)
        list_kind = ""  # the marker kind of the first item under the current lead-in
        first_clause = len(self.clauses)
        title_text = ""
        title_span = (-1, -1)
        members = region.units
        for pos, j in enumerate(members):
            u, role = units[j], roles[j]
            nxt = units[members[pos + 1]] if pos + 1 < len(members) else None
            nxt_role = roles[members[pos + 1]] if pos + 1 < len(members) else None
            if j == region.title_unit or role.rule == "title:continued":
                # «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ» over «ВОДИТЕЛЯ ШКОЛЬНОГО АВТОБУСА»: the roles made the second line go on
                title_text = f"{title_text} {u.text}" if title_text else u.text
                title_span = (u.start, u.stop) if title_span[0] < 0 else (title_span[0], u.stop)
                self.span("title", u.start, u.stop, role.rule)
                continue
            if role.kind in FURNITURE or role.kind == "title":
                self.span("noise" if role.kind != "title" else "title", u.start, u.stop, role.rule)
                continue
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
            if role.kind == "lead_in":
                has_items = nxt is not None and role.rule == "table:label of the next cell" or nxt is not None and (
                    (nxt_role.kind == "item" and (_depth(nxt) > _depth(u) or u.kind == "none"))
                    or (nxt_role.kind in ("line_item", "prose") and nxt.kind == "none"
                        and (nxt.text.endswith(";") or nxt.text[:1].islower()
                             # «Образование:» over «Высшее техническое.»: a caption over its value;
                             # «Мы ждем от каждого:» over «Пунктуальность»: a list that lost its bullets
                             or not _has_predicate(u.text.rstrip(" :")) or _short_nominal(nxt.text)))
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
            # an unmarked paragraph right under a lead-in that runs its items together («a; b; c.»): one clause
            # an item (a numbered item may hold «;» of its own and stays whole)
            inline = _split_inline(u.text, -1) if lead is not None and u.kind == "none" and lead.kind == "none" \
                and pos > 0 and roles[members[pos - 1]].kind == "lead_in" \
                and EMPHASIS.sub("", lead.text).rstrip().endswith(":") else None
            if inline is not None:
                for i, j, num in inline[1]:
                    self.clause(index, u, i, j, num, section, lead, "inline item under the lead-in above", counter)
                lead = None
                continue
            if role.kind == "item" or (role.kind == "line_item" and (lead is not None or u.text.endswith(";"))):
                self._content(index, u, 0, section, lead, counter, sentences=False)
                continue
            # Running text inside an instruction: its sentences are clauses; under a lead-in the line is one
            if prose or lead is not None:
                self._content(index, u, 0, section, lead, counter, sentences=prose)
            elif region.title_unit is None and self.page:
                # in a page, text outside every title is the page's (an article's) unless it is in a list
                self.span("noise", u.start, u.stop, "page text outside every title")
            else:
                self._content(index, u, 0, section, None, counter, sentences=True)
        start = units[region.first].start
        stop = units[region.last].stop
        position, named_by = self._position(region, title_text, first_clause)
        title = _clean(title_text)
        return Instruction(self.source, index, title, position, start, stop, *title_span,
                           rule=f"started by {region.started_by}; ended by {region.ended_by}; {region.qualified_by}; "
                                f"position {named_by or 'not named'}")

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
        inline = _split_inline(text[at:]) if not sentences else None
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
                inline = _list_in_sentence(text[at + i:at + j])
                if inline is not None:
                    # «… следующего оборудования: кондиционеры; серверы; коммутаторы.» inside a paragraph
                    colon, items = inline
                    base = at + i
                    self.span("lead_in", *u.span(base, base + colon + 1), "inline list in a sentence")
                    inner = LeadIn(text[base:base + colon + 1], "none", 0)
                    for i2, j2, num in items:
                        self.clause(index, u, base + i2, base + j2, num, section, inner, "inline item", counter)
                    continue
                self.clause(index, u, at + i, at + j, "", section, lead, "sentence", counter)
            return
        self.clause(index, u, at, len(text), number, section, lead, f"item:{u.kind}", counter)

    def _position(self, region: Region, title_text: str, first_clause: int) -> tuple[str, str]:
        """The position and the rule of ``POSITION_RULES`` that named it."""
        own = self.clauses[first_clause:]
        evidence = Evidence(
            title=title_text,
            position_line=region.position_line,
            fields=tuple(self.units[j].text for j in region.units
                         if self.roles[j].rule in ("table:position field value", "form field value")),
            texts=tuple([c.lead_in for c in own if c.lead_in] + [c.text for c in own]),
            lines=tuple(self.units[j].text for j in region.units),
        )
        return name_position(evidence)


