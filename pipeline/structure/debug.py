"""The debug view of ``jobclauses show``: every unit, the rule that placed it, and the final tree."""

from __future__ import annotations

from ..records import Document
from . import explain_units, structure


def render_debug(doc: Document, width: int = 100) -> str:
    found = structure(doc)
    out = [f"# {doc.path}  format={doc.format} reader={doc.reader} encoding={doc.encoding}", "", "## units"]
    fate: dict[int, str] = {}
    for span in found.spans:
        fate.setdefault(span.start, f"{span.kind}:{span.rule}")
    for unit, role in explain_units(doc):
        kinds = {fate.get(o) for o in range(unit.start, unit.stop + 1) if o in fate} - {None}
        marker = f"[{unit.marker.strip()}] " if unit.marker else ""
        text = (marker + unit.text).replace("\n", " ")
        out.append(f"{role.rule:<22} {','.join(sorted(kinds)) or '-':<34} {text[:width]}")
    out += ["", "## tree"]
    for ins in found.instructions:
        out.append(f"instruction {ins.index}: {ins.title!r} -> position {ins.position!r} [{ins.start}:{ins.stop}]")
        out.append(f"  ({ins.rule})")
        section = None
        for clause in (c for c in found.clauses if c.instruction == ins.index):
            key = (clause.section_number, clause.section_title)
            if key != section:
                section = key
                out.append(f"  section {clause.section_number or '-'} {clause.section_title!r} ({clause.section_type or '?'})")
            lead = f"  <- {clause.lead_in[:40]!r}" if clause.lead_in else ""
            out.append(f"    {clause.path:<8} {clause.text[:width]}{lead}")
    out.append("")
    return "\n".join(out)
