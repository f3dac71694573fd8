"""The analysts' HTML report: ONE self-contained file (inline CSS, inline JS, charts as inline SVG).

``write_report(store, out_path)`` reads a ``pipeline.catalogue.store.Store`` and writes, atomically:

- a summary (documents, instructions, clauses, canonical clauses, duplicates merged);
- clauses per label (chart and table);
- the most used canonical clauses per label;
- positions × labels (heat map and table);
- coverage of the catalogue by the top-N canonical clauses (curve and table);
- duplicates merged per label, and the canonical clauses with the most variants;
- optional comparisons of instructions with the catalogue (``pipeline.compare``);
- facts per position and per instruction (``pipeline.facts``): those given, else those the store keeps;
- the clauses that need review (``pipeline.review``), with why;
- the catalogue: every canonical clause under an anchor (``#c-<id>``) with its variants and sources.

The page is rendered by Jinja2 from ``pipeline/export/templates/`` with autoescaping on: every text from a
document is escaped by the template engine; only the SVG charts made here are marked safe. Tables sort on a
click on their header, and a search box filters the clause rows and catalogue entries (inline JS: nothing is
fetched at view time). Wherever a list is cut, the page says so and says how many there are: no number
shown is a silent cap. A source is named as `file, instruction N, clause 2.1`, with its full path on hover.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..atomic import atomic_write
from ..catalogue import stats
from ..records import LABELS

#: Canonical clauses listed per label among the most used.
TOP_PER_LABEL = 10
#: Points of the coverage table.
COVERAGE_POINTS = (10, 20, 50, 100, 200, 500)
#: Canonical clauses written in the catalogue section at most (most widespread first), and sources listed
#: per clause; the page says how many there are whenever it lists fewer.
CATALOGUE_LIMIT = 3000
SOURCES_PER_CLAUSE = 50
#: Canonical clauses listed among those with the most variants.
MOST_VARIANTS = 20
#: How many missing clauses a comparison lists at most (``pipeline.compare.MISSING_LIMIT``; not imported:
#: compare sits above the exports).
COMPARE_MISSING_SHOWN = 30
#: Positions shown in the positions × labels heat map at most (most clauses first).
HEATMAP_POSITIONS = 30
LABEL_COLOURS = {"duty": "#4C78A8", "right": "#59A14F", "liability": "#E15759", "requirement": "#F28E2B",
                 "other": "#9D9D9D"}

# --- templates and small helpers -------------------------------------------------------------------------

TEMPLATES = Path(__file__).with_name("templates")


def environment() -> Any:
    """The Jinja2 environment of the report's templates, autoescaping everything."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       keep_trailing_newline=True)


def anchor(canonical_id: str) -> str:
    """The id of a canonical clause's entry in the catalogue section."""
    return "c-" + re.sub(r"[^0-9A-Za-z_-]", "_", str(canonical_id))


def badge(label: str) -> dict[str, str]:
    """A label cell, drawn as a coloured badge by the templates."""
    return {"badge": str(label), "colour": LABEL_COLOURS.get(str(label), "#666")}


def link(canonical_id: str, text: str) -> dict[str, str]:
    """A cell linking to a canonical clause's entry in the catalogue section."""
    return {"href": f"#{anchor(canonical_id)}", "text": str(text)}


def source_label(document: str, instruction: Any, number: str = "") -> str:
    """How a source is named: `file, instruction N, clause 2.1` (the file's name, not its path)."""
    name = re.split(r"[\\/]", str(document))[-1]
    label = f"{name}, instruction {instruction}"
    return f"{label}, clause {number}" if number else label


# --- charts (matplotlib, inline SVG) ----------------------------------------------------------------------


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)  # a date and licence links: noise


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # no display; the only backend a server or CI has
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 10, "axes.spines.top": False,
                         "axes.spines.right": False})  # text stays text: the browser's fonts draw Cyrillic
    return plt


def chart_labels(counts: pd.Series) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 2.8))
    labels = list(counts.index)
    ax.barh(labels, counts.values, color=[LABEL_COLOURS.get(str(x), "#666") for x in labels])
    ax.invert_yaxis()
    for y, v in enumerate(counts.values):
        ax.text(v, y, f" {int(v)}", va="center")
    ax.set_xlabel("clauses")
    return _svg(fig)


def chart_heatmap(matrix: pd.DataFrame) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(matrix) + 1.2))
    values = matrix.to_numpy()
    ax.imshow(values, aspect="auto", cmap="Blues")
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns])
    ax.set_yticks(range(len(matrix.index)), [str(i) for i in matrix.index])
    for (y, x), v in pd.DataFrame(values).stack().items():
        ax.text(x, y, str(int(v)), ha="center", va="center", fontsize=8,
                color="white" if v > values.max() / 2 else "black")
    ax.xaxis.tick_top()
    return _svg(fig)


def chart_coverage(curve: pd.Series) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot(range(1, len(curve) + 1), curve.values * 100, color="#4C78A8")
    ax.set_xlabel("top N canonical clauses (most used first)")
    ax.set_ylabel("% of all clauses covered")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    return _svg(fig)


def chart_duplicates(frame: pd.DataFrame) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 2.8))
    labels = list(frame.index)
    ax.barh(labels, frame["canonical"], color="#BBBBBB", label="canonical clauses")
    ax.barh(labels, frame["merged"], left=frame["canonical"], color="#E15759", label="duplicates merged into them")
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_xlabel("clauses")
    return _svg(fig)


# --- the numbers ------------------------------------------------------------------------------------------


def _label_order(labels: Sequence[str]) -> list[str]:
    known = [x for x in LABELS if x in set(labels)]
    return known + sorted(set(labels) - set(known))


def summary(frames: dict[str, pd.DataFrame], n_documents: int, n_instructions: int) -> dict[str, int]:
    clauses, catalogue = frames["clauses"], frames["catalogue"]
    return {"documents": n_documents, "instructions": n_instructions, "clauses": len(clauses),
            "canonical clauses": len(catalogue), "variants": len(frames["variants"]),
            "duplicates merged": len(clauses) - len(catalogue),
            "positions": int(clauses.loc[clauses["position"].astype(str) != "", "position"].nunique())}


def label_counts(clauses: pd.DataFrame) -> pd.Series:
    counts = clauses["label"].astype(str).value_counts()
    return counts.reindex(_label_order(list(counts.index)))


def positions_by_label(clauses: pd.DataFrame) -> pd.DataFrame:
    named = clauses[clauses["position"].astype(str) != ""]
    if named.empty:
        return pd.DataFrame()
    table_ = pd.crosstab(named["position"].astype(str), named["label"].astype(str))
    table_ = table_[_label_order(list(table_.columns))]
    instructions = named.assign(_i=named["document"].astype(str) + "#" + named["instruction"].astype(str)) \
        .groupby("position")["_i"].nunique()
    table_.insert(0, "instructions", instructions.reindex(table_.index).astype(int))
    table_["total"] = table_[_label_order([c for c in table_.columns if c != "instructions"])].sum(axis=1)
    return table_.sort_values(["total"], ascending=False)


def coverage(catalogue: pd.DataFrame) -> pd.Series:
    """Share of all clause occurrences covered by the top N canonical clauses, for N = 1 … all."""
    occurrences = catalogue["occurrences"].astype(int).sort_values(ascending=False).reset_index(drop=True)
    total = occurrences.sum()
    return occurrences.cumsum() / total if total else occurrences.astype(float)


def duplicates(clauses: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    per = pd.DataFrame({"clauses": clauses["label"].astype(str).value_counts(),
                        "canonical": catalogue["label"].astype(str).value_counts()}).fillna(0).astype(int)
    per = per.reindex(_label_order(list(per.index)))
    per["merged"] = per["clauses"] - per["canonical"]
    per["merged share"] = (per["merged"] / per["clauses"].where(per["clauses"] > 0, 1)).round(3)
    return per


# --- sections: the data each template section shows ----------------------------------------------------


def section_summary(numbers: dict[str, int]) -> dict[str, Any]:
    return {"id": "summary", "title": "Summary", "cards": list(numbers.items())}


def section_labels(clauses: pd.DataFrame) -> dict[str, Any]:
    counts = label_counts(clauses)
    total = int(counts.sum()) or 1
    rows = [(badge(str(k)), int(v), f"{v / total:.1%}") for k, v in counts.items()]
    return {"id": "labels", "title": "Clauses per label", "chart": Markup(chart_labels(counts)), "rows": rows}


def section_top(catalogue: pd.DataFrame) -> dict[str, Any]:
    groups = []
    for label in _label_order(list(catalogue["label"].astype(str).unique())):
        top = catalogue[catalogue["label"].astype(str) == label].sort_values(
            ["occurrences", "instructions", "canonical_id"], ascending=[False, False, True]).head(TOP_PER_LABEL)
        groups.append((label, [(link(r.canonical_id, r.text), int(r.occurrences), int(r.instructions),
                                int(r.positions), int(r.variants), f"{float(r.share_of_instructions):.0%}")
                               for r in top.itertuples()]))
    return {"id": "top", "title": f"Most used canonical clauses per label (top {TOP_PER_LABEL} of each)",
            "groups": groups}


def section_positions(clauses: pd.DataFrame) -> dict[str, Any]:
    matrix = positions_by_label(clauses)
    section: dict[str, Any] = {"id": "positions", "title": "Positions × labels (clauses)", "rows": []}
    if matrix.empty:
        return section
    labels = [c for c in matrix.columns if c not in ("instructions", "total")]
    note = "" if len(matrix) <= HEATMAP_POSITIONS else \
        f"The chart shows the {HEATMAP_POSITIONS} positions with the most clauses of {len(matrix)}; the table has all."
    return section | {
        "chart": Markup(chart_heatmap(matrix.head(HEATMAP_POSITIONS)[labels])), "chart_note": note,
        "headers": ["position", *matrix.columns], "numeric": [False] + [True] * len(matrix.columns),
        "rows": [(pos, *[int(v) for v in row]) for pos, row in zip(matrix.index, matrix.to_numpy(), strict=True)]}


def section_coverage(catalogue: pd.DataFrame) -> dict[str, Any]:
    curve = coverage(catalogue)
    section: dict[str, Any] = {"id": "coverage", "title": "Coverage of the catalogue by the top-N canonical clauses",
                               "rows": []}
    if curve.empty:
        return section
    points = [n for n in COVERAGE_POINTS if n < len(curve)] + [len(curve)]
    single = int((catalogue["occurrences"] == 1).sum())
    return section | {
        "chart": Markup(chart_coverage(curve)), "rows": [(n, f"{curve.iloc[n - 1]:.1%}") for n in points],
        "note": f"{len(curve)} canonical clauses cover all clauses; {single} of them occur once "
                f"({single / len(curve):.0%})."}


def section_duplicates(clauses: pd.DataFrame, catalogue: pd.DataFrame) -> dict[str, Any]:
    per = duplicates(clauses, catalogue)
    rows = [(badge(str(k)), int(r["clauses"]), int(r["canonical"]), int(r["merged"]), f"{r['merged share']:.1%}")
            for k, r in per.iterrows()]
    several = catalogue[catalogue["variants"].astype(int) > 1]
    most = several.nlargest(MOST_VARIANTS, ["variants", "occurrences"])
    return {"id": "duplicates", "title": "Duplicates merged", "chart": Markup(chart_duplicates(per)), "rows": rows,
            "most": [(link(r.canonical_id, r.text), badge(r.label), int(r.variants), int(r.occurrences))
                     for r in most.itertuples()],
            "most_note": f"{len(most)} of the {len(several)} with more than one variant"}


def section_comparisons(comparisons: Sequence[Any]) -> dict[str, Any]:
    items = []
    for c in comparisons:
        counts = c.counts()
        rows = [(u.number, badge(u.label), u.kind, u.instructions,
                 link(u.canonical_id, u.text) if u.instructions else u.text) for u in c.clauses]
        missing = [(link(m.canonical_id, m.text), badge(m.label), f"{m.peers_with}/{c.peers}", f"{m.share:.0%}")
                   for m in c.missing]
        items.append({
            "title": source_label(c.source, c.instruction) + (f" — {c.position}" if c.position else ""),
            "others": c.others, "common": counts["common"], "rare": counts["rare"], "unique": counts["unique"],
            "basis": c.basis, "peers": c.peers, "rows": rows, "missing": missing,
            "missing_note": f"the {len(missing)} most shared; there may be more"
            if len(missing) >= COMPARE_MISSING_SHOWN else ""})
    return {"id": "comparisons", "title": "Instructions compared with the catalogue", "comparisons": items}


def _distinct(values: Any) -> str:
    """Values in order of first mention, each once, joined with `; `."""
    return "; ".join(dict.fromkeys(v for v in values if v))


def facts_by_position(facts: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Per named position: instructions, education levels, the least and most experience asked, superiors,
    who appoints (each value once, in order of mention)."""
    groups: dict[str, list[Any]] = {}
    for f in facts:
        if f.position:
            groups.setdefault(f.position, []).append(f)
    rows = []
    for position, group in sorted(groups.items()):
        years = [f.min_experience for f in group if f.min_experience is not None]
        span = "" if not years else f"{min(years):g}" if min(years) == max(years) else \
            f"{min(years):g}–{max(years):g}"
        rows.append((position, len(group), _distinct(level for f in group for level in f.education), span,
                     _distinct(r for f in group for r in f.reports_to), _distinct(f.appointed_by for f in group)))
    return rows


def section_facts(facts: Sequence[Any]) -> dict[str, Any]:
    """Facts per position, then per instruction (``pipeline.facts``), one sortable row each."""
    columns = ["source", "instruction", "position", "education", "education_field", "experience_years",
               "reports_to", "substitute", "appointed_by", "approved_by", "approved_on", "organisation", "approver"]
    rows = []
    for f in facts:
        years = "; ".join(f"{y:g}" for y in f.experience_years)
        rows.append((f.source, f.instruction, f.position, "; ".join(f.education), f.education_field, years,
                     "; ".join(f.reports_to), f.substitute, f.appointed_by, f.approved_by, f.approved_on,
                     f.organisation, f.approver))
    return {"id": "facts", "title": "Facts per instruction", "per_position": facts_by_position(facts),
            "columns": columns, "rows": rows, "numeric": [c == "instruction" for c in columns]}


def stored_facts(store: Any) -> list[Any]:
    """The facts the store keeps (``Store.facts()``) as ``pipeline.facts.Facts``, instructions with none left out."""
    from ..records import FACT_FIELDS, Facts

    if not hasattr(store, "facts"):
        return []
    out = []
    for row in store.facts().to_dict("records"):
        if any(_present(row[name]) for name in FACT_FIELDS):
            out.append(Facts.from_row(row))
    return out


def _present(value: Any) -> bool:
    if isinstance(value, float):
        return value == value
    return bool(len(value)) if hasattr(value, "__len__") else value is not None


def section_review(clauses: pd.DataFrame) -> dict[str, Any]:
    """Every clause ``pipeline.review`` flagged, with its reasons, in document order."""
    flagged = clauses[clauses["needs_review"].astype(bool)] if "needs_review" in clauses.columns else clauses.head(0)
    rows = [({"text": source_label(r.document, r.instruction, r.number or r.clause_path), "title": r.document},
             r.position, badge(r.label), r.text, r.review) for r in flagged.itertuples()]
    note = (f"{len(rows)} of {len(clauses)} clauses need a look: the pipeline cannot vouch for them "
            "(low confidence, cut off, a line of a form, no position)." if rows else "No clause needs review.")
    return {"id": "review", "title": "Clauses that need review", "rows": rows, "note": note}


def section_catalogue(catalogue: pd.DataFrame, variants: pd.DataFrame, clauses: pd.DataFrame) -> dict[str, Any]:
    shown = catalogue.sort_values(["instructions", "occurrences"], ascending=False, kind="stable").head(CATALOGUE_LIMIT)
    # plain records grouped once: per-group DataFrame access costs seconds on a few thousand clauses
    by_variant: dict[str, list[dict[str, Any]]] = {}
    for v in variants[["canonical_id", "variant", "count", "example_text"]].to_dict("records"):
        by_variant.setdefault(v["canonical_id"], []).append(
            {"text": v["example_text"], "count": int(v["count"]), "variant": v["variant"]})
    by_source: dict[str, list[dict[str, Any]]] = {}
    for c in clauses[["canonical_id", "document", "instruction", "number", "clause_path", "position",
                      "text"]].to_dict("records"):
        label = source_label(c["document"], c["instruction"], c["number"] or c["clause_path"])
        by_source.setdefault(c["canonical_id"], []).append(
            {"label": label + (f" · {c['position']}" if c["position"] else ""), "path": c["document"],
             "text": c["text"]})
    entries = []
    for r in shown.itertuples():
        sources = by_source.get(r.canonical_id, [])
        entries.append({
            "anchor": anchor(r.canonical_id), "id": r.canonical_id, "label": str(r.label), "text": r.text,
            "occurrences": int(r.occurrences), "instructions": int(r.instructions),
            "variants": by_variant.get(r.canonical_id, []), "n_sources": len(sources),
            "sources": sources[:SOURCES_PER_CLAUSE], "more": max(0, len(sources) - SOURCES_PER_CLAUSE)})
    note = "" if len(catalogue) <= CATALOGUE_LIMIT else \
        (f"The {CATALOGUE_LIMIT} most widespread of {len(catalogue)} canonical clauses; catalogue.xlsx and "
         "catalogue.csv (jobclauses catalogue) have every one.")
    return {"id": "catalogue", "title": "Catalogue: canonical clauses, their variants and sources",
            "entries": entries, "note": note}


# --- the page ---------------------------------------------------------------------------------------------


def render(store: Any, comparisons: Sequence[Any] = (), facts: Sequence[Any] = (),
           title: str = "jobclauses: catalogue report") -> str:
    """The report's HTML text; without ``facts``, the facts the store keeps."""
    clauses = store.clauses()
    facts = facts or stored_facts(store)
    # not store.frames(): the position tables it also computes are not shown here
    frames = {"clauses": clauses, "catalogue": stats.catalogue_frame(clauses, store.n_instructions() or None),
              "variants": stats.variants_frame(clauses)}
    catalogue = frames["catalogue"]
    numbers = summary(frames, len(store.documents()), store.n_instructions())
    sections = [section_summary(numbers)]
    if clauses.empty:
        sections.append({"id": "empty", "title": "Empty catalogue"})
    else:
        sections += [section_labels(clauses), section_top(catalogue), section_positions(clauses),
                     section_coverage(catalogue), section_duplicates(clauses, catalogue)]
        if comparisons:
            sections.append(section_comparisons(comparisons))
        if facts:
            sections.append(section_facts(facts))
        sections += [section_review(clauses), section_catalogue(catalogue, frames["variants"], clauses)]
    for section in sections:
        section["nav"] = section["title"].split(" (")[0].split(":")[0]
    return environment().get_template("report.html.j2").render(
        title=title, generated=datetime.now().strftime("%Y-%m-%d %H:%M"), database=str(store.path),
        sections=sections, colours=LABEL_COLOURS, css=Markup((TEMPLATES / "report.css").read_text("utf-8")),
        js=Markup((TEMPLATES / "report.js").read_text("utf-8")))


def write_report(store: Any, out_path: str | Path, comparisons: Sequence[Any] = (),
                 facts: Sequence[Any] = ()) -> Path:
    """Write the report of ``store`` to ``out_path``, with optional ``pipeline.compare`` comparisons and
    ``pipeline.facts`` facts (the store keeps neither)."""
    path = Path(out_path)
    text = render(store, comparisons, facts)
    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o644)  # a page to share: the temporary file it was renamed from was private
    return path
