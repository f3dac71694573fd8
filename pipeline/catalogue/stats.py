"""Catalogue statistics: clause tables (one row per clause) into catalogue tables (pandas DataFrames).

The clause table has the columns of :data:`CLAUSE_COLUMNS`; :func:`clause_frame` makes one from records,
``Store.clauses()`` reads one from the database. From it:

- :func:`catalogue_frame`: per canonical clause its label, canonical text (a real variant: the most
  frequent, ties by centrality), documents, instructions, positions, occurrences, share of instructions,
  variants with counts, sections and examples with provenance;
- :func:`variants_frame`: per canonical clause and variant (readable normalised text) its count;
- :func:`positions_frame`: per position its canonical clauses ranked by use;
- :func:`matrix_frame`: canonical clauses × positions, the number of instructions that contain each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..normalise import normalise
from ..records import Clause

CLAUSE_COLUMNS = [
    "document", "source", "instruction", "position", "number", "clause_path", "section_number",
    "section_title", "section_type", "lead_in", "text", "label", "confidence", "canonical_id",
    "normalised", "key", "start", "stop",
]
#: Examples listed per canonical clause, variants listed inline in the catalogue table.
EXAMPLES = 3
INLINE_VARIANTS = 10
#: Centrality (for ties between equally frequent variants) looks at this many variants at most.
CENTRALITY_LIMIT = 200


def clause_frame(
    clauses: Sequence[Clause],
    positions: Mapping[tuple[str, int], str],
    documents: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The clause table of catalogued clauses; ``documents`` maps a source to its full path (default: itself)."""
    rows = []
    for c in clauses:
        position = positions.get((c.source, c.instruction), "")
        norm = normalise(c.text, position)
        rows.append({
            "document": (documents or {}).get(c.source, c.source), "source": c.source,
            "instruction": c.instruction, "position": position, "number": c.number, "clause_path": c.path,
            "section_number": c.section_number, "section_title": c.section_title,
            "section_type": c.section_type, "lead_in": c.lead_in, "text": c.text, "label": c.label,
            "confidence": c.confidence, "canonical_id": c.canonical_id, "normalised": norm.readable,
            "key": norm.key, "start": c.start, "stop": c.stop,
        })
    return pd.DataFrame(rows, columns=CLAUSE_COLUMNS)


def _instruction_ids(df: pd.DataFrame) -> pd.Series:
    return df["document"].astype(str) + "#" + df["instruction"].astype(str)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def _pick_variant(variants: pd.DataFrame) -> str:
    """The most frequent variant of one canonical clause; ties by centrality, then alphabetically."""
    top = variants[variants["count"] == variants["count"].max()]
    if len(top) == 1:
        return str(top["normalised"].iloc[0])
    pool = variants.nlargest(CENTRALITY_LIMIT, "count")
    sets = [(frozenset(str(k).split()), int(n)) for k, n in zip(pool["key"], pool["count"], strict=True)]
    best: tuple[float, str] | None = None
    for text, key in zip(top["normalised"], top["key"], strict=True):
        words = frozenset(str(key).split())
        centrality = sum(n * _jaccard(words, other) for other, n in sets)
        candidate = (-centrality, str(text))
        if best is None or candidate < best:
            best = candidate
    assert best is not None
    return best[1]


def variant_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Per canonical clause and variant: count, a key, and the most frequent original wording."""
    grouped = df.groupby(["canonical_id", "normalised"], sort=False)
    out = grouped.agg(count=("text", "size"), key=("key", "first")).reset_index()
    wording = (
        df.groupby(["canonical_id", "normalised", "text"], sort=False).size().reset_index(name="n")
        .sort_values(["n", "text"], ascending=[False, True])
        .drop_duplicates(["canonical_id", "normalised"])
        .rename(columns={"text": "example_text"})[["canonical_id", "normalised", "example_text"]]
    )
    return out.merge(wording, on=["canonical_id", "normalised"], how="left")


def canonical_texts(df: pd.DataFrame) -> pd.DataFrame:
    """Per canonical clause: its canonical variant (``normalised``) and a real wording of it (``text``)."""
    counts = variant_counts(df)
    rows = []
    for cid, variants in counts.groupby("canonical_id", sort=False):
        chosen = _pick_variant(variants)
        text = variants.loc[variants["normalised"] == chosen, "example_text"].iloc[0]
        rows.append({"canonical_id": cid, "text": text, "normalised": chosen})
    return pd.DataFrame(rows, columns=["canonical_id", "text", "normalised"])


def catalogue_frame(df: pd.DataFrame, n_instructions: int | None = None) -> pd.DataFrame:
    """One row per canonical clause, most used first within each label."""
    columns = [
        "canonical_id", "label", "text", "normalised", "occurrences", "documents", "instructions",
        "positions", "share_of_instructions", "variants", "variant_list", "position_list", "sections",
        "examples",
    ]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df = df.assign(_instr=_instruction_ids(df))
    total = n_instructions or df["_instr"].nunique()
    base = df.groupby("canonical_id", sort=False).agg(
        label=("label", "first"), occurrences=("text", "size"), documents=("document", "nunique"),
        instructions=("_instr", "nunique"),
    )
    named = df[df["position"].astype(str) != ""]
    base["positions"] = named.groupby("canonical_id")["position"].nunique().reindex(base.index).fillna(0).astype(int)
    base["share_of_instructions"] = (base["instructions"] / max(total, 1)).round(4)
    counts = variant_counts(df).sort_values(["count", "normalised"], ascending=[False, True])
    base["variants"] = counts.groupby("canonical_id").size()
    base["variant_list"] = _lists(counts, "example_text", "count", INLINE_VARIANTS)
    base["position_list"] = _ranked_lists(named, "position")
    sections = df.assign(section=df["section_title"].where(df["section_title"] != "", df["section_type"]))
    base["sections"] = _ranked_lists(sections[sections["section"] != ""], "section")
    base["examples"] = _examples(df)
    for column in ("position_list", "sections", "examples"):
        base[column] = base[column].apply(lambda v: v if isinstance(v, list) else [])
    out = base.reset_index().merge(canonical_texts(df), on="canonical_id", how="left")
    out = out.sort_values(["label", "occurrences", "canonical_id"], ascending=[True, False, True])
    return out[columns].reset_index(drop=True)


def _ranked_lists(df: pd.DataFrame, column: str) -> pd.Series:
    counts = df.groupby(["canonical_id", column]).size().reset_index(name="n")
    counts = counts.sort_values(["n", column], ascending=[False, True])
    return _lists(counts, column, "n", 20)


def _lists(counts: pd.DataFrame, value: str, count: str, limit: int) -> pd.Series:
    """Per canonical clause, `value (count)` strings in the order of ``counts``."""
    out: dict[str, list[str]] = {}
    for cid, v, n in zip(counts["canonical_id"], counts[value], counts[count], strict=True):
        items = out.setdefault(cid, [])
        if len(items) < limit:
            items.append(f"{v} ({n})")
    return pd.Series(out, dtype=object)


def _examples(df: pd.DataFrame) -> pd.Series:
    """Up to EXAMPLES clauses per canonical clause: `file #instruction clause number: text`."""
    picked = df.sort_values(["document", "instruction", "start"]).groupby("canonical_id").head(EXAMPLES)

    def line(row: pd.Series) -> str:
        number = row["number"] or row["clause_path"] or "-"
        return f"{row['document']} #{row['instruction']} {number}: {row['text']}"

    lines = picked.assign(_line=picked.apply(line, axis=1))
    return lines.groupby("canonical_id")["_line"].apply(list)


def variants_frame(df: pd.DataFrame) -> pd.DataFrame:
    """One row per variant: its canonical clause, readable text, count and a real wording."""
    columns = ["canonical_id", "label", "canonical_text", "variant", "count", "example_text", "is_canonical"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    counts = variant_counts(df)
    chosen = canonical_texts(df).rename(columns={"text": "canonical_text", "normalised": "_chosen"})
    labels = df.groupby("canonical_id")["label"].first().rename("label")
    out = counts.merge(chosen, on="canonical_id").merge(labels, left_on="canonical_id", right_index=True)
    out["is_canonical"] = out["normalised"] == out["_chosen"]
    out = out.rename(columns={"normalised": "variant"})
    out = out.sort_values(["label", "canonical_id", "count", "variant"], ascending=[True, True, False, True])
    return out[columns].reset_index(drop=True)


def positions_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Per position, its canonical clauses ranked by the number of its instructions that contain them."""
    columns = ["position", "rank", "canonical_id", "label", "text", "instructions", "occurrences",
               "share_of_position"]
    named = df[df["position"].astype(str) != ""]
    if named.empty:
        return pd.DataFrame(columns=columns)
    named = named.assign(_instr=_instruction_ids(named))
    per = named.groupby(["position", "canonical_id"]).agg(
        label=("label", "first"), instructions=("_instr", "nunique"), occurrences=("text", "size")).reset_index()
    totals = named.groupby("position")["_instr"].nunique().rename("_total")
    per = per.merge(totals, left_on="position", right_index=True)
    per["share_of_position"] = (per["instructions"] / per["_total"]).round(4)
    per = per.merge(canonical_texts(df)[["canonical_id", "text"]], on="canonical_id", how="left")
    per = per.sort_values(["position", "instructions", "occurrences", "canonical_id"],
                          ascending=[True, False, False, True])
    per["rank"] = per.groupby("position").cumcount() + 1
    return per[columns].reset_index(drop=True)


def matrix_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Canonical clauses (rows) × positions (columns): how many instructions of the position contain it."""
    named = df[df["position"].astype(str) != ""]
    if named.empty:
        return pd.DataFrame(columns=["canonical_id", "label", "text"])
    named = named.assign(_instr=_instruction_ids(named))
    table = named.pivot_table(index="canonical_id", columns="position", values="_instr", aggfunc="nunique",
                              fill_value=0)
    table.columns = [str(c) for c in table.columns]
    texts = canonical_texts(df).set_index("canonical_id")["text"]
    labels = df.groupby("canonical_id")["label"].first()
    table.insert(0, "text", texts.reindex(table.index))
    table.insert(0, "label", labels.reindex(table.index))
    table = table.reset_index()
    order = table.iloc[:, 3:].sum(axis=1)
    table = table.assign(_n=order).sort_values(["label", "_n", "canonical_id"], ascending=[True, False, True])
    return table.drop(columns="_n").reset_index(drop=True)
