"""The structure stage: locate instructions, then sections and clauses (``structure(document)``).

Four modules, each importing only the ones before it: ``units`` (lines of the read text -> units with their
markers and numbers), ``roles`` (an ordered list of named rules gives each unit its role), ``locate`` (which
stretches of units are instructions) and ``emit`` (sections, lead-ins and clauses, and the fate of every unit as
a ``Span``, so that nothing is dropped silently).
"""

from __future__ import annotations

import dataclasses

from ..records import Document, Instruction, Structure
from .emit import _Emitter
from .locate import locate
from .position import is_title
from .roles import Role, assign_roles
from .units import Unit, build_units
from .vocab import heading_type, is_other_document_title

__all__ = ["explain_units", "structure"]


def structure(doc: Document) -> Structure:
    """Instructions, sections, clauses and the fate of every unit of ``doc``."""
    units = build_units(doc, looks_like_heading=lambda t: heading_type(t) is not None or is_title(t))
    roles = assign_roles(units)
    regions = locate(units, roles)
    if _other_document(units, roles):
        # A contract or an order with numbered clauses: only a titled job description inside it counts.
        regions = [r for r in regions if r.title_unit is not None and roles[r.title_unit].kind == "title"]
    emitter = _Emitter(doc, units, roles, doc.name)
    instructions = carry_positions([emitter.instruction(k, region) for k, region in enumerate(regions, start=1)])
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


def carry_positions(instructions: list[Instruction]) -> list[Instruction]:
    """Fragments of one instruction (a bot's files, a standard whose rules sit under a title of their own) that
    name no position take the one position the document's other parts name; with two or more, nothing is guessed."""
    named = {i.position for i in instructions if i.position}
    if len(named) != 1:
        return instructions
    (position,) = named
    source = next(i.index for i in instructions if i.position)
    return [i if i.position else dataclasses.replace(
        i, position=position, rule=i.rule.replace("position not named", f"position of instruction {source}"))
        for i in instructions]


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
