"""Catalogue statistics: clause tables (one row per clause) into catalogue tables (pandas DataFrames).

The clause table has the columns of :data:`CLAUSE_COLUMNS`; :func:`clause_frame` makes one from records,
``Store.clauses()`` reads one from the database. A clause's ``canonical_id`` is its provision, its
``variant_id`` its wording (without a variant id, each readable normalised text is a variant). From it:

- :func:`catalogue_frame`: per provision (canonical clause) its label, type, canonical text (a real
  wording of the most frequent variant, ties by centrality) and its template with slots («… приказом
  {руководителя} …»), the slot values seen, documents, instructions, positions, occurrences, share of
  instructions, the share of all clauses the provisions up to this one cover (by frequency), first and last
  seen (when the table has ``imported_at``), variants with counts, sections and examples with provenance;
- :func:`variants_frame`: per provision and variant its count, a real wording, its slot values, the same
  statistics as a provision has, and the reason it belongs to the provision (when given the reasons);
- :func:`positions_frame`: per position its canonical clauses ranked by use;
- :func:`matrix_frame`: canonical clauses × positions, the number of instructions that contain each;
- :func:`frames`: all of them at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..normalise import normalise
from ..records import Clause
from .similarity import profile
from .slots import SHOWN, slotted
from .state import Catalogue

CLAUSE_COLUMNS = [
    "document", "source", "instruction", "position", "number", "clause_path", "section_number",
    "section_title", "section_type", "lead_in", "text", "label", "confidence", "canonical_id", "variant_id",
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
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """The clause table of catalogued clauses; ``documents`` maps a source to its full path (default: itself);
    ``catalogue`` (the one the clauses were built with) gives each clause its variant id."""
    rows = []
    for c in clauses:
        position = positions.get((c.source, c.instruction), "")
        norm = normalise(c.text, position, c.lead_in)
        variant = catalogue.keys.get((c.label, norm.key), "") if catalogue is not None else ""
        rows.append({
            "document": (documents or {}).get(c.source, c.source), "source": c.source,
            "instruction": c.instruction, "position": position, "number": c.number, "clause_path": c.path,
            "section_number": c.section_number, "section_title": c.section_title,
            "section_type": c.section_type, "lead_in": c.lead_in, "text": c.text, "label": c.label,
            "confidence": c.confidence, "canonical_id": c.canonical_id, "variant_id": variant,
            "normalised": norm.readable,
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


def _with_variant(df: pd.DataFrame) -> pd.DataFrame:
    """The table with ``_variant``: the variant id, or (without one) the readable normalised text."""
    text = df["normalised"].astype(str)
    if "variant_id" not in df.columns:
        return df.assign(_variant="~" + text)
    ids = df["variant_id"].fillna("").astype(str)
    return df.assign(_variant=ids.where(ids != "", "~" + text))


def variant_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Per provision and variant: ``variant_id`` (``""`` without one), count, the variant's most frequent
    readable text (``normalised``) and its key, and the most frequent original wording (``example_text``)."""
    columns = ["canonical_id", "variant_id", "count", "normalised", "key", "example_text", "_variant"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df = _with_variant(df)
    out = df.groupby(["canonical_id", "_variant"], sort=False).size().reset_index(name="count")
    top = (
        df.groupby(["canonical_id", "_variant", "normalised", "key", "text"], sort=False).size()
        .reset_index(name="n")
        .sort_values(["n", "normalised", "text"], ascending=[False, True, True])
        .drop_duplicates(["canonical_id", "_variant"])
        .rename(columns={"text": "example_text"})
    )
    out = out.merge(top[["canonical_id", "_variant", "normalised", "key", "example_text"]],
                    on=["canonical_id", "_variant"], how="left")
    out["variant_id"] = out["_variant"].where(~out["_variant"].str.startswith("~"), "")
    return out[columns]


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
    counts: pd.DataFrame | None = None, values: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per provision (canonical clause), the most used first."""
    columns = [
        "canonical_id", "label", "text", "template", "slots", "variants", "kind", "normalised", "occurrences",
        "documents", "instructions", "positions", "share_of_instructions", "cumulative_share", "variant_list",
        "position_list", "sections", "first_seen", "last_seen", "examples",
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
    if "imported_at" in df.columns:
        seen = df.groupby("canonical_id")["imported_at"]
        base["first_seen"], base["last_seen"] = seen.min(), seen.max()
    else:
        base["first_seen"] = base["last_seen"] = None
    counts = variant_counts(df) if counts is None else counts
    texts = canonical_texts(df, counts) if texts is None else texts
    counts = counts.sort_values(["count", "normalised"], ascending=[False, True])
    base["variants"] = counts.groupby("canonical_id").size()
    base["variant_list"] = _lists(counts, "example_text", "count", INLINE_VARIANTS)
    base["position_list"] = _ranked_lists(named, "position")
    sections = df.assign(section=df["section_title"].where(df["section_title"] != "", df["section_type"]))
    base["sections"] = _ranked_lists(sections[sections["section"] != ""], "section")
    base["examples"] = _examples(df)
    base["slots"] = slot_lists(slot_values(df) if values is None else values)
    for column in ("position_list", "sections", "examples", "slots"):
        base[column] = base[column].apply(lambda v: v if isinstance(v, list) else [])
    out = base.reset_index().merge(texts, on="canonical_id", how="left")
    out["template"] = [slotted(str(t)).template if isinstance(t, str) else "" for t in out["normalised"]]
    out["kind"] = [_kind(str(t), str(label)) for t, label in zip(out["normalised"], out["label"], strict=True)]
    out = out.sort_values(["occurrences", "label", "canonical_id"], ascending=[False, True, True])
    out["cumulative_share"] = (out["occurrences"].cumsum() / max(len(df), 1)).round(4)
    return out[columns].reset_index(drop=True)


def _kind(readable: str, label: str) -> str:
    kind = profile(readable, label).kind
    return kind.name if kind is not None else ""


#: Slot values are read from this many of a variant's most frequent readable texts (its wordings differ in
#: little else; bounds the statistics of a million clauses).
SLOT_TEXTS = 5


def slot_values(df: pd.DataFrame) -> pd.DataFrame:
    """(canonical_id, _variant, slot, value, n): the slot values of each variant's most frequent readable
    texts (SLOT_TEXTS of them), each text read once, with the number of clauses that have it."""
    columns = ["canonical_id", "_variant", "slot", "value", "n"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df = df if "_variant" in df.columns else _with_variant(df)
    per = df.groupby(["canonical_id", "_variant", "normalised"], sort=False).size().reset_index(name="n")
    per = per.sort_values(["n", "normalised"], ascending=[False, True]).groupby("_variant").head(SLOT_TEXTS)
    rows = []
    for cid, variant, text, n in zip(per["canonical_id"], per["_variant"], per["normalised"], per["n"], strict=True):
        for kind, value in slotted(str(text)).values:
            rows.append((cid, variant, SHOWN.get(kind, "оговорка"), value, int(n)))
    return pd.DataFrame(rows, columns=columns)


def slot_lists(values: pd.DataFrame, by: str = "canonical_id") -> pd.Series:
    """Per provision (or ``by`` ``_variant``), `slot: value (count), …` for each slot met, most frequent
    values first (from :func:`slot_values`)."""
    if values.empty:
        return pd.Series(dtype=object)
    counts = values.groupby([by, "slot", "value"], sort=False)["n"].sum().reset_index()
    counts = counts.sort_values([by, "slot", "n", "value"], ascending=[True, True, False, True])
    out: dict[str, list[str]] = {}
    for (key, slot), group in counts.groupby([by, "slot"], sort=False):
        shown = ", ".join(f"{v} ({c})" for v, c in zip(group["value"][:10], group["n"][:10], strict=False))
        out.setdefault(key, []).append(f"{slot}: {shown}")
    return pd.Series(out, dtype=object)


def coverage(catalogue: pd.DataFrame, top: int = 50) -> float:
    """The share of all clauses that the ``top`` most frequent provisions cover (a catalogue frame's
    ``cumulative_share`` at that rank; all of them when there are fewer)."""
    if catalogue.empty:
        return 0.0
    return float(catalogue["cumulative_share"].iloc[min(top, len(catalogue)) - 1])


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
    df: pd.DataFrame, texts: pd.DataFrame | None = None, counts: pd.DataFrame | None = None,
    reasons: Mapping[str, str] | None = None, values: pd.DataFrame | None = None,
    n_instructions: int | None = None,
) -> pd.DataFrame:
    """One row per variant: its provision, readable text, count, a real wording, its slot values, its own
    statistics (documents, instructions, positions, share of instructions, first and last seen) and (given
    ``reasons``: variant id -> reason) why it belongs to its provision."""
    columns = ["canonical_id", "label", "canonical_text", "variant_id", "variant", "count", "example_text",
               "slots", "documents", "instructions", "positions", "share_of_instructions", "first_seen",
               "last_seen", "is_canonical", "reason"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    counts = variant_counts(df) if counts is None else counts
    texts = canonical_texts(df, counts) if texts is None else texts
    chosen = texts.rename(columns={"text": "canonical_text", "normalised": "_chosen"})
    labels = df.groupby("canonical_id")["label"].first().rename("label")
    out = counts.merge(chosen, on="canonical_id").merge(labels, left_on="canonical_id", right_index=True)
    out["is_canonical"] = out["normalised"] == out["_chosen"]
    slots = slot_lists(slot_values(df) if values is None else values, "_variant")
    out["slots"] = [slots.get(v, []) if isinstance(slots.get(v, []), list) else [] for v in out["_variant"]]
    out["reason"] = [(reasons or {}).get(v, "") for v in out["variant_id"]]
    each = _with_variant(df).assign(_instr=_instruction_ids(df))
    total = n_instructions or each["_instr"].nunique()
    grouped = each.groupby("_variant")
    own = pd.DataFrame({"documents": grouped["document"].nunique(), "instructions": grouped["_instr"].nunique()})
    named = each[each["position"].astype(str) != ""]
    own["positions"] = named.groupby("_variant")["position"].nunique().reindex(own.index).fillna(0).astype(int)
    own["share_of_instructions"] = (own["instructions"] / max(total, 1)).round(4)
    if "imported_at" in each.columns:
        own["first_seen"], own["last_seen"] = grouped["imported_at"].min(), grouped["imported_at"].max()
    else:
        own["first_seen"] = own["last_seen"] = None
    out = out.merge(own, left_on="_variant", right_index=True, how="left")
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


def frames(df: pd.DataFrame, n_instructions: int | None = None,
           reasons: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Every catalogue table of a clause table, the canonical choice made once for all of them."""
    counts = variant_counts(df)
    texts = canonical_texts(df, counts)
    values = slot_values(df)
    return {
        "catalogue": catalogue_frame(df, n_instructions, texts, counts, values),
        "variants": variants_frame(df, texts, counts, reasons, values, n_instructions),
        "clauses": df,
        "positions": positions_frame(df, texts),
        "matrix": matrix_frame(df, texts),
    }
