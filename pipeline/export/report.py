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
- the catalogue: every canonical clause under an anchor (``#c-<id>``) with its variants and sources.

Tables sort on a click on their header (a few lines of inline JS); nothing is fetched at view time.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..atomic import atomic_write
from ..catalogue import stats
from ..records import LABELS

#: Canonical clauses listed per label among the most used.
TOP_PER_LABEL = 10
#: Points of the coverage table.
COVERAGE_POINTS = (10, 20, 50, 100, 200, 500)
#: Canonical clauses written in the catalogue section at most (most used first), and sources per clause.
CATALOGUE_LIMIT = 3000
SOURCES_PER_CLAUSE = 50
#: Positions shown in the positions × labels heat map at most (most clauses first).
HEATMAP_POSITIONS = 30
LABEL_COLOURS = {"duty": "#4C78A8", "right": "#59A14F", "liability": "#E15759", "requirement": "#F28E2B",
                 "other": "#9D9D9D"}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;
padding:1rem 2rem;color:#222;line-height:1.4}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}
nav a{margin-right:1rem}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;user-select:none;white-space:nowrap}
th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:1rem}.card{background:#f7f7f7;border-radius:6px;padding:.6rem 1rem}
.card b{display:block;font-size:1.4rem}.chart svg{max-width:100%;height:auto}
.label{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-size:.8rem}
.canonical{border-left:4px solid #ddd;padding-left:.8rem;margin:1rem 0}.canonical:target{background:#fffbe6}
.muted{color:#777;font-size:.85rem}details summary{cursor:pointer}
"""

SORT_JS = """
document.querySelectorAll("table.sortable th").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0], index = Array.from(th.parentNode.children).indexOf(th);
    var asc = !th.classList.contains("sorted-asc");
    table.querySelectorAll("th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
    th.classList.add(asc ? "sorted-asc" : "sorted-desc");
    var key = function (row) {
      var cell = row.children[index], text = cell ? (cell.dataset.sort || cell.textContent.trim()) : "";
      var n = parseFloat(text.replace(",", "."));
      return isNaN(n) || !/^[-\\d.,%\\s]+$/.test(text) ? text.toLowerCase() : n;
    };
    Array.from(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b), c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
      return asc ? c : -c;
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""


# --- small HTML helpers -----------------------------------------------------------------------------------


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def anchor(canonical_id: str) -> str:
    """The id of a canonical clause's entry in the catalogue section."""
    return "c-" + re.sub(r"[^0-9A-Za-z_-]", "_", str(canonical_id))


def label_badge(label: str) -> str:
    colour = LABEL_COLOURS.get(str(label), "#666")
    return f'<span class="label" style="background:{colour}">{esc(label)}</span>'


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], table_id: str = "",
          numeric: Sequence[bool] | None = None) -> str:
    """A sortable table; cells are escaped unless given as ``Markup``."""
    numeric = numeric or [False] * len(headers)
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for value, is_num in zip(row, numeric, strict=True):
            content = value.html if isinstance(value, Markup) else esc(value)
            cells.append(f'<td class="num">{content}</td>' if is_num else f"<td>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    ident = f' id="{esc(table_id)}"' if table_id else ""
    return f'<table class="sortable"{ident}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


class Markup:
    """HTML already escaped by this module."""

    def __init__(self, html_text: str) -> None:
        self.html = html_text


def link(canonical_id: str, text: str) -> Markup:
    return Markup(f'<a href="#{anchor(canonical_id)}">{esc(text)}</a>')


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


# --- sections ---------------------------------------------------------------------------------------------


def _section(ident: str, title: str, body: str) -> str:
    return f'<section id="{ident}"><h2>{esc(title)}</h2>{body}</section>'


def section_summary(numbers: dict[str, int]) -> str:
    cards = "".join(f'<div class="card"><b>{value}</b>{esc(name)}</div>' for name, value in numbers.items())
    return _section("summary", "Summary", f'<div class="cards">{cards}</div>')


def section_labels(clauses: pd.DataFrame) -> str:
    counts = label_counts(clauses)
    total = int(counts.sum()) or 1
    rows = [(Markup(label_badge(str(k))), int(v), f"{v / total:.1%}") for k, v in counts.items()]
    body = f'<div class="chart">{chart_labels(counts)}</div>' + table(
        ["label", "clauses", "share"], rows, "labels-table", [False, True, True])
    return _section("labels", "Clauses per label", body)


def section_top(catalogue: pd.DataFrame) -> str:
    parts = []
    for label in _label_order(list(catalogue["label"].astype(str).unique())):
        top = catalogue[catalogue["label"].astype(str) == label].sort_values(
            ["occurrences", "instructions", "canonical_id"], ascending=[False, False, True]).head(TOP_PER_LABEL)
        rows = [(link(r.canonical_id, r.text), int(r.occurrences), int(r.instructions), int(r.positions),
                 int(r.variants), f"{float(r.share_of_instructions):.0%}") for r in top.itertuples()]
        parts.append(f"<h3>{label_badge(label)}</h3>" + table(
            ["canonical clause", "occurrences", "instructions", "positions", "variants", "share of instructions"],
            rows, f"top-{label}", [False, True, True, True, True, True]))
    return _section("top", f"Most used canonical clauses per label (top {TOP_PER_LABEL})", "".join(parts))


def section_positions(clauses: pd.DataFrame) -> str:
    matrix = positions_by_label(clauses)
    if matrix.empty:
        return _section("positions", "Positions × labels", "<p>No instruction names its position.</p>")
    labels = [c for c in matrix.columns if c not in ("instructions", "total")]
    chart = chart_heatmap(matrix.head(HEATMAP_POSITIONS)[labels])
    rows = [(pos, *[int(v) for v in row]) for pos, row in zip(matrix.index, matrix.to_numpy(), strict=True)]
    body = f'<div class="chart">{chart}</div>' + table(
        ["position", *matrix.columns], rows, "positions-table", [False] + [True] * len(matrix.columns))
    return _section("positions", "Positions × labels (clauses)", body)


def section_coverage(catalogue: pd.DataFrame) -> str:
    curve = coverage(catalogue)
    if curve.empty:
        return _section("coverage", "Coverage by the top-N canonical clauses", "<p>The catalogue is empty.</p>")
    points = [n for n in COVERAGE_POINTS if n < len(curve)] + [len(curve)]
    rows = [(n, f"{curve.iloc[n - 1]:.1%}") for n in points]
    single = int((catalogue["occurrences"] == 1).sum())
    note = (f"<p>{len(curve)} canonical clauses cover all clauses; {single} of them occur once "
            f"({single / len(curve):.0%}).</p>")
    body = f'<div class="chart">{chart_coverage(curve)}</div>{note}' + table(
        ["top N", "share of clauses covered"], rows, "coverage-table", [True, True])
    return _section("coverage", "Coverage of the catalogue by the top-N canonical clauses", body)


def section_duplicates(clauses: pd.DataFrame, catalogue: pd.DataFrame) -> str:
    per = duplicates(clauses, catalogue)
    rows = [(Markup(label_badge(str(k))), int(r["clauses"]), int(r["canonical"]), int(r["merged"]),
             f"{r['merged share']:.1%}") for k, r in per.iterrows()]
    body = f'<div class="chart">{chart_duplicates(per)}</div>' + table(
        ["label", "clauses", "canonical clauses", "duplicates merged", "merged share"], rows, "duplicates-table",
        [False, True, True, True, True])
    most = catalogue[catalogue["variants"].astype(int) > 1].nlargest(20, ["variants", "occurrences"])
    if not most.empty:
        rows = [(link(r.canonical_id, r.text), Markup(label_badge(r.label)), int(r.variants), int(r.occurrences))
                for r in most.itertuples()]
        body += "<h3>Canonical clauses with the most variants</h3>" + table(
            ["canonical clause", "label", "variants", "occurrences"], rows, "variants-table",
            [False, False, True, True])
    return _section("duplicates", "Duplicates merged", body)


def section_comparisons(comparisons: Sequence[Any]) -> str:
    parts = []
    for c in comparisons:
        counts = c.counts()
        title = f"{c.source} #{c.instruction}" + (f" — {c.position}" if c.position else "")
        rows = [(u.number, Markup(label_badge(u.label)), u.kind, u.instructions, link(u.canonical_id, u.text)
                 if u.instructions else u.text) for u in c.clauses]
        missing = [(link(m.canonical_id, m.text), Markup(label_badge(m.label)), f"{m.peers_with}/{c.peers}",
                    f"{m.share:.0%}") for m in c.missing]
        parts.append(
            f"<h3>{esc(title)}</h3><p>Against {c.others} other instructions: {counts['common']} common, "
            f"{counts['rare']} rare, {counts['unique']} unique clauses. Peers: {esc(c.basis)} "
            f"({c.peers} instructions).</p>"
            + table(["number", "label", "kind", "other instructions", "clause"], rows, "",
                    [False, False, False, True, False])
            + "<h4>What the peers have and this instruction lacks</h4>"
            + (table(["canonical clause", "label", "peers", "share"], missing, "", [False, False, True, True])
               if missing else "<p>Nothing.</p>"))
    return _section("comparisons", "Instructions compared with the catalogue", "".join(parts))


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


def section_facts(facts: Sequence[Any]) -> str:
    """Facts per position, then per instruction (``pipeline.facts``), one sortable row each."""
    per_position = table(["position", "instructions", "education", "min. experience, years", "reports to",
                          "appointed by"], facts_by_position(facts), "facts-positions-table",
                         [False, True, False, True, False, False])
    columns = ["source", "instruction", "position", "education", "education_field", "experience_years",
               "reports_to", "substitute", "appointed_by", "approved_by", "approved_on"]
    rows = []
    for f in facts:
        years = "; ".join(f"{y:g}" for y in f.experience_years)
        rows.append((f.source, f.instruction, f.position, "; ".join(f.education), f.education_field, years,
                     "; ".join(f.reports_to), f.substitute, f.appointed_by, f.approved_by, f.approved_on))
    numeric = [c == "instruction" for c in columns]
    body = ("<h3>Per position</h3>" + per_position + "<h3>Per instruction</h3>"
            + table(columns, rows, "facts-table", numeric))
    return _section("facts", "Facts per instruction", body)


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


def section_catalogue(catalogue: pd.DataFrame, variants: pd.DataFrame, clauses: pd.DataFrame) -> str:
    shown = catalogue.sort_values("occurrences", ascending=False, kind="stable").head(CATALOGUE_LIMIT)
    # plain records grouped once: per-group DataFrame access costs seconds on a few thousand clauses
    by_variant: dict[str, list[dict[str, Any]]] = {}
    for v in variants[["canonical_id", "variant", "count", "example_text"]].to_dict("records"):
        by_variant.setdefault(v["canonical_id"], []).append(v)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for c in clauses[["canonical_id", "document", "instruction", "number", "clause_path", "position",
                      "text"]].to_dict("records"):
        by_source.setdefault(c["canonical_id"], []).append(c)
    parts = []
    for r in shown.itertuples():
        variant_items = "".join(
            f"<li>{esc(v['example_text'])} <span class='muted'>×{int(v['count'])} · {esc(v['variant'])}</span></li>"
            for v in by_variant.get(r.canonical_id, []))
        sources = by_source.get(r.canonical_id, [])[:SOURCES_PER_CLAUSE]
        source_items = "".join(
            f"<li><span class='muted'>{esc(s['document'])} #{s['instruction']} "
            f"{esc(s['number'] or s['clause_path'])}{' · ' + esc(s['position']) if s['position'] else ''}</span> "
            f"{esc(s['text'])}</li>" for s in sources)
        parts.append(
            f'<div class="canonical" id="{anchor(r.canonical_id)}">{label_badge(r.label)} <b>{esc(r.text)}</b> '
            f"<span class='muted'>{esc(r.canonical_id)} · {int(r.occurrences)} occurrences · "
            f"{int(r.instructions)} instructions</span>"
            f"<details><summary>{int(r.variants)} variants</summary><ul>{variant_items}</ul></details>"
            f"<details><summary>{len(sources)} sources</summary><ul>{source_items}</ul></details></div>")
    note = "" if len(catalogue) <= CATALOGUE_LIMIT else \
        f"<p class='muted'>The {CATALOGUE_LIMIT} most used of {len(catalogue)} canonical clauses.</p>"
    return _section("catalogue", "Catalogue: canonical clauses, their variants and sources", note + "".join(parts))


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
        sections.append(_section("empty", "Empty catalogue", "<p>No clause has been imported yet.</p>"))
    else:
        sections += [section_labels(clauses), section_top(catalogue), section_positions(clauses),
                     section_coverage(catalogue), section_duplicates(clauses, catalogue)]
        if comparisons:
            sections.append(section_comparisons(comparisons))
        if facts:
            sections.append(section_facts(facts))
        sections.append(section_catalogue(catalogue, frames["variants"], clauses))
    links = re.findall(r'<section id="([^"]+)"><h2>([^<]+)</h2>', "".join(sections))
    nav = "<nav>" + "".join(f'<a href="#{i}">{t.split(" (")[0]}</a>' for i, t in links) + "</nav>"
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    return (f'<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{esc(title)}</h1><p class='muted'>Generated {generated} from {esc(store.path)}</p>{nav}"
            f"{''.join(sections)}<script>{SORT_JS}</script></body></html>\n")


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
