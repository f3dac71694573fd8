"""Catalogue statistics: clause tables (one row per clause) into catalogue tables (pandas DataFrames).

The clause table has the columns of :data:`CLAUSE_COLUMNS`; :func:`clause_frame` makes one from records,
``Store.clauses()`` reads one from the database. From it:

- :func:`catalogue_frame`: per canonical clause its label, canonical text (a real variant: the most
  frequent, ties by centrality), documents, instructions, positions, occurrences, share of instructions,
  variants with counts, sections and examples with provenance;
- :func:`variants_frame`: per canonical clause and variant (readable normalised text) its count;
- :func:`positions_frame`: per position its canonical clauses ranked by use;
- :func:`matrix_frame`: canonical clauses × positions, the number of instructions that contain each;
- :func:`frames`: all of them at once.
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


def _pick_variant(tied: list[tuple[str, str, str]], pool: list[tuple[frozenset[str], int]]) -> tuple[str, str]:
    """Among equally frequent (readable, key, wording) variants, the most central one, then alphabetically.

    Centrality: the count-weighted Jaccard similarity of its lemmas to the cluster's variants.
    """
    best: tuple[float, str, str] | None = None
    for text, key, wording in tied:
        words = frozenset(key.split())
        centrality = sum(n * _jaccard(words, other) for other, n in pool)
        candidate = (-centrality, text, wording)
        if best is None or candidate < best:
            best = candidate
    assert best is not None
    return best[1], best[2]


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


def canonical_texts(df: pd.DataFrame, counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per canonical clause: its canonical variant (``normalised``) and a real wording of it (``text``).

    The most frequent variant wins; only clusters with a tie go through the (slower) centrality.
    """
    columns = ["canonical_id", "text", "normalised"]
    counts = variant_counts(df) if counts is None else counts
    if counts.empty:
        return pd.DataFrame(columns=columns)
    top = counts[counts["count"] == counts.groupby("canonical_id")["count"].transform("max")]
    tied_ids = top["canonical_id"][top["canonical_id"].duplicated(keep=False)]
    single = top[~top["canonical_id"].isin(tied_ids)]
    rows = pd.DataFrame({"canonical_id": single["canonical_id"], "text": single["example_text"],
                         "normalised": single["normalised"]})
    if tied_ids.empty:
        return rows.reset_index(drop=True)
    tied_set = set(tied_ids)
    pools: dict[str, list[tuple[frozenset[str], int]]] = {}
    ranked = counts[counts["canonical_id"].isin(tied_set)].sort_values("count", ascending=False)
    for cid, key, n in zip(ranked["canonical_id"], ranked["key"], ranked["count"], strict=True):
        pool = pools.setdefault(cid, [])
        if len(pool) < CENTRALITY_LIMIT:
            pool.append((frozenset(str(key).split()), int(n)))
    candidates: dict[str, list[tuple[str, str, str]]] = {}
    tied = top[top["canonical_id"].isin(tied_set)]
    for cid, text, key, wording in zip(tied["canonical_id"], tied["normalised"], tied["key"], tied["example_text"],
                                       strict=True):
        candidates.setdefault(cid, []).append((str(text), str(key), str(wording)))
    extra = []
    for cid, options in candidates.items():
        text, wording = _pick_variant(options, pools[cid])
        extra.append({"canonical_id": cid, "text": wording, "normalised": text})
    return pd.concat([rows, pd.DataFrame(extra, columns=columns)], ignore_index=True)


def catalogue_frame(
    df: pd.DataFrame, n_instructions: int | None = None, texts: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
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
    counts = variant_counts(df) if counts is None else counts
    texts = canonical_texts(df, counts) if texts is None else texts
    counts = counts.sort_values(["count", "normalised"], ascending=[False, True])
    base["variants"] = counts.groupby("canonical_id").size()
    base["variant_list"] = _lists(counts, "example_text", "count", INLINE_VARIANTS)
    base["position_list"] = _ranked_lists(named, "position")
    sections = df.assign(section=df["section_title"].where(df["section_title"] != "", df["section_type"]))
    base["sections"] = _ranked_lists(sections[sections["section"] != ""], "section")
    base["examples"] = _examples(df)
    for column in ("position_list", "sections", "examples"):
        base[column] = base[column].apply(lambda v: v if isinstance(v, list) else [])
    out = base.reset_index().merge(texts, on="canonical_id", how="left")
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
    number = picked["number"].where(picked["number"] != "", picked["clause_path"]).replace("", "-")
    lines = (picked["document"].astype(str) + " #" + picked["instruction"].astype(str) + " "
             + number.astype(str) + ": " + picked["text"].astype(str))
    return lines.groupby(picked["canonical_id"]).agg(list)


def variants_frame(
    df: pd.DataFrame, texts: pd.DataFrame | None = None, counts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per variant: its canonical clause, readable text, count and a real wording."""
    columns = ["canonical_id", "label", "canonical_text", "variant", "count", "example_text", "is_canonical"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    counts = variant_counts(df) if counts is None else counts
    texts = canonical_texts(df, counts) if texts is None else texts
    chosen = texts.rename(columns={"text": "canonical_text", "normalised": "_chosen"})
    labels = df.groupby("canonical_id")["label"].first().rename("label")
    out = counts.merge(chosen, on="canonical_id").merge(labels, left_on="canonical_id", right_index=True)
    out["is_canonical"] = out["normalised"] == out["_chosen"]
    out = out.rename(columns={"normalised": "variant"})
    out = out.sort_values(["label", "canonical_id", "count", "variant"], ascending=[True, True, False, True])
    return out[columns].reset_index(drop=True)


def positions_frame(df: pd.DataFrame, texts: pd.DataFrame | None = None) -> pd.DataFrame:
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
    texts = canonical_texts(df) if texts is None else texts
    per = per.merge(texts[["canonical_id", "text"]], on="canonical_id", how="left")
    per = per.sort_values(["position", "instructions", "occurrences", "canonical_id"],
                          ascending=[True, False, False, True])
    per["rank"] = per.groupby("position").cumcount() + 1
    return per[columns].reset_index(drop=True)


def matrix_frame(df: pd.DataFrame, texts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Canonical clauses (rows) × positions (columns): how many instructions of the position contain it."""
    named = df[df["position"].astype(str) != ""]
    if named.empty:
        return pd.DataFrame(columns=["canonical_id", "label", "text"])
    named = named.assign(_instr=_instruction_ids(named))
    table = named.pivot_table(index="canonical_id", columns="position", values="_instr", aggfunc="nunique",
                              fill_value=0)
    table.columns = [str(c) for c in table.columns]
    texts = (canonical_texts(df) if texts is None else texts).set_index("canonical_id")["text"]
    labels = df.groupby("canonical_id")["label"].first()
    table.insert(0, "text", texts.reindex(table.index))
    table.insert(0, "label", labels.reindex(table.index))
    table = table.reset_index()
    order = table.iloc[:, 3:].sum(axis=1)
    table = table.assign(_n=order).sort_values(["label", "_n", "canonical_id"], ascending=[True, False, True])
    return table.drop(columns="_n").reset_index(drop=True)


def frames(df: pd.DataFrame, n_instructions: int | None = None) -> dict[str, pd.DataFrame]:
    """Every catalogue table of a clause table, the canonical choice made once for all of them."""
    counts = variant_counts(df)
    texts = canonical_texts(df, counts)
    return {
        "catalogue": catalogue_frame(df, n_instructions, texts, counts),
        "variants": variants_frame(df, texts, counts),
        "clauses": df,
        "positions": positions_frame(df, texts),
        "matrix": matrix_frame(df, texts),
    }
