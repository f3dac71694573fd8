"""Catalogue exports: the analysts' workbook, CSV (UTF-8 with BOM), Parquet and JSON Lines.

``export_catalogue(store_or_frames, out_dir)`` takes a ``pipeline.catalogue.store.Store`` (or the dict
of tables its ``frames()`` returns) and writes, each atomically:

- ``catalogue.xlsx``: sheets catalogue (every canonical clause, i.e. provision, with its type, its template
  with slots and their values, and its variant count, most widespread first: by how many instructions
  contain it, whatever its label; the cumulative share of clauses follows that order), variants and clauses (grouped by canonical clause in the
  catalogue's order, so that each canonical id links to its rows there and back), positions (each
  position's clauses ranked by use), matrix (canonical clause × position), facts (one row per instruction:
  its file, position, the facts of ``pipeline.facts`` and whether it needs review), laid out and set up
  for print by ``pipeline.export.workbook``; the columns an analyst may edit (:data:`EDITABLE`: label and
  canonical id of a clause, position of an instruction, ``merge_into`` of a canonical clause) have shaded
  headers, what was exported sits in hidden columns (:data:`HIDDEN`), and ``corrected`` names the values
  a correction set (``pipeline.corrections`` applies an edited copy);
- ``catalogue.csv`` and ``variants.csv``: UTF-8 with BOM, lists as lines of one cell, formula-like
  cells prefixed with an apostrophe (as ``pipeline.export.tables`` does);
- ``catalogue.parquet`` and ``catalogue.jsonl``: the catalogue table with its lists kept as lists;
- ``facts.csv`` (lists joined with ``; `` as in ``instructions.jsonl``), ``facts.parquet`` and
  ``facts.jsonl`` (lists kept as lists), when the tables include facts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..atomic import atomic_path, atomic_write
from .tables import excel_safe
from .workbook import Layout, rows_location, write_workbook

SHEETS = ("catalogue", "variants", "clauses", "positions", "matrix", "facts")
#: The catalogue sheet's columns, in order; a column of the catalogue table not named here or in
#: CATALOGUE_SHEET_LEFT_OUT comes after them.
CATALOGUE_SHEET_COLUMNS = [
    "canonical_id", "label", "text", "instructions", "share_of_instructions", "occurrences", "documents",
    "positions", "variants", "clauses_to_review", "kind", "template", "slots", "cumulative_share",
    "first_seen", "last_seen", "position_list", "corrected_clauses", "merge_into", "corrected_by", "note",
]
#: In the CSV, Parquet and JSON Lines catalogue, not on the sheet: the variants and clauses sheets hold them.
CATALOGUE_SHEET_LEFT_OUT = frozenset({"normalised", "variant_list", "sections", "examples"})
#: The clause sheet's columns: the canonical clause, provenance, the clause, whether it needs review.
CLAUSE_SHEET_COLUMNS = [
    "canonical_id", "variant_id", "document", "instruction", "position", "section_number", "section_title",
    "number", "text", "label", "confidence", "needs_review", "review", "normalised", "corrected", "corrected_by",
    "note", "clause_key", "was_label", "was_canonical_id",
]
#: The facts sheet's columns: provenance, then the facts (``pipeline.catalogue.store.FACTS_FRAME_COLUMNS``).
FACTS_SHEET_COLUMNS = [
    "document", "instruction", "position", "title", "education", "education_field", "experience_years",
    "min_experience", "reports_to", "substitute", "appointed_by", "approved_by", "approved_on", "organisation",
    "approver", "needs_review",
    "review", "corrected", "corrected_by", "note", "instruction_key", "was_position",
]
#: Corrections in the workbook (``pipeline.corrections``): per sheet, the columns an analyst edits (shaded
#: headers) and the hidden columns holding what was exported, which an edit is compared with. ``clause_key``
#: and ``instruction_key`` name the clause and the instruction by content; ``corrected`` names the values a
#: correction set (read-only).
EDITABLE = {"catalogue": frozenset({"merge_into", "corrected_by", "note"}),
            "clauses": frozenset({"label", "canonical_id", "corrected_by", "note"}),
            "facts": frozenset({"position", "corrected_by", "note"})}
HIDDEN = {"clauses": frozenset({"clause_key", "was_label", "was_canonical_id"}),
          "facts": frozenset({"instruction_key", "was_position"})}
#: How the facts sheet and facts.csv join a list: on one line, as ``pipeline.facts.facts_row`` does, so a
#: text filter in Excel finds `высшее` and a row keeps one line's height.
FACTS_JOIN = "; "


def _frames(store_or_frames: Any) -> dict[str, pd.DataFrame]:
    if hasattr(store_or_frames, "frames"):
        return store_or_frames.frames()
    return dict(store_or_frames)


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists as lines of one cell (for CSV)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, (list, tuple))).any():
            out[column] = out[column].map(lambda v: "\n".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    safe = _flat(frame).map(excel_safe)
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
        safe.to_csv(handle, index=False)
    return path


def _json_value(value: Any) -> Any:
    if hasattr(value, "tolist") and not isinstance(value, str):
        return value.tolist()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def write_jsonl(path: Path, frame: pd.DataFrame) -> Path:
    with atomic_write(path, "w", encoding="utf-8") as handle:
        for record in frame.to_dict(orient="records"):
            row = {k: _json_value(v) for k, v in record.items()}
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    return path


def write_parquet(path: Path, frame: pd.DataFrame) -> Path:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)
    return path


def _joined(value: Any) -> Any:
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
        items = value.tolist() if hasattr(value, "tolist") else value
        return FACTS_JOIN.join(f"{v:g}" if isinstance(v, float) else str(v) for v in items)
    return value


def facts_flat(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts table with its lists joined on one line (``0; 2``, ``высшее; среднее профессиональное``)."""
    out = facts.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_joined)
    return out


def catalogue_order(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The catalogue, most widespread first: by instructions, then occurrences, then id (labels mixed)."""
    return catalogue.sort_values(["instructions", "occurrences", "canonical_id"], ascending=[False, False, True],
                                 kind="stable").reset_index(drop=True)


def _grouped(frame: pd.DataFrame, rank: dict[str, int], then: list[str]) -> pd.DataFrame:
    """Rows grouped by canonical clause in catalogue order, then by ``then`` (the columns it has)."""
    keys = [c for c in then if c in frame.columns]
    out = frame.assign(_rank=frame["canonical_id"].map(rank).fillna(len(rank)))
    return out.sort_values(["_rank", *keys], kind="stable").drop(columns="_rank").reset_index(drop=True)


def _spans(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Canonical id -> (first, last) row of its group in a grouped table."""
    spans: dict[str, tuple[int, int]] = {}
    for row, cid in enumerate(frame["canonical_id"]):
        first, _ = spans.get(cid, (row, row))
        spans[cid] = (first, row)
    return spans


def workbook_sheets(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The workbook's sheets, in order: the catalogue most widespread first, variants and clauses grouped by
    canonical clause in that order, the clause and facts sheets restricted to readable columns."""
    return workbook(frames)[0]


def workbook(frames: Mapping[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, Layout]]:
    """The sheets and their layouts: each canonical id links to its rows on the variants and clauses sheets,
    and from there back to its catalogue row; shares as percentages; the matrix's positions upright."""
    sheets = {name: frames[name] for name in SHEETS if name in frames}
    layouts: dict[str, Layout] = {}
    if "catalogue" not in sheets:
        return sheets, layouts
    catalogue = catalogue_order(sheets["catalogue"])
    if "cumulative_share" in catalogue.columns and not catalogue.empty:  # the share covered down to this row
        total = max(int(catalogue["occurrences"].sum()), 1)
        catalogue["cumulative_share"] = (catalogue["occurrences"].cumsum() / total).round(4)
    clauses = sheets.get("clauses")
    if clauses is not None and "needs_review" in clauses.columns and not catalogue.empty:
        flagged = clauses[clauses["needs_review"].astype(bool)].groupby("canonical_id").size()
        catalogue["clauses_to_review"] = catalogue["canonical_id"].map(flagged).fillna(0).astype(int)
    catalogue = catalogue.assign(merge_into="", corrected_by="", note="")
    shown = [c for c in CATALOGUE_SHEET_COLUMNS if c in catalogue.columns]
    shown += [c for c in catalogue.columns if c not in shown and c not in CATALOGUE_SHEET_LEFT_OUT]
    catalogue = catalogue[shown]
    rank = {cid: i for i, cid in enumerate(catalogue["canonical_id"])}
    sheets["catalogue"] = catalogue
    back = {cid: rows_location("catalogue", i, i, len(shown)) for cid, i in rank.items()}
    links: dict[str, dict[Any, str]] = {}
    if "variants" in sheets:
        variants = _grouped(sheets["variants"], rank, [])  # within a canonical clause: most frequent first
        sheets["variants"] = variants
        to_variants = {cid: rows_location("variants", a, b, len(variants.columns))
                       for cid, (a, b) in _spans(variants).items()}
        links |= {"canonical_id": to_variants, "variants": to_variants}
        layouts["variants"] = Layout(links={"canonical_id": back}, key="canonical_id")
    if clauses is not None:
        clauses = _grouped(_editable_clauses(clauses), rank, ["document", "instruction", "start"])
        clauses = clauses[[c for c in CLAUSE_SHEET_COLUMNS if c in clauses.columns]]
        sheets["clauses"] = clauses
        to_clauses = {cid: rows_location("clauses", a, b, len(clauses.columns))
                      for cid, (a, b) in _spans(clauses).items()}
        links["occurrences"] = to_clauses
        layouts["clauses"] = Layout(links={"canonical_id": back}, formats={"confidence": "0.00"}, key="canonical_id",
                                    hidden=HIDDEN["clauses"], editable=EDITABLE["clauses"])
    layouts["catalogue"] = Layout(links={k: v for k, v in links.items() if v},
                                  formats={"share_of_instructions": "0%", "cumulative_share": "0%"},
                                  key="canonical_id", editable=EDITABLE["catalogue"])
    if "positions" in sheets:
        layouts["positions"] = Layout(links={"canonical_id": back}, formats={"share_of_position": "0%"},
                                      key="canonical_id")
    if "matrix" in sheets:
        matrix = sheets["matrix"]
        positions = frozenset(c for c in matrix.columns if c not in ("canonical_id", "label", "text"))
        sheets["matrix"] = _grouped(matrix, rank, [])
        layouts["matrix"] = Layout(links={"canonical_id": back}, upright=positions, key="canonical_id")
    if "facts" in sheets:
        facts = facts_flat(sheets["facts"])
        if "instruction_hash" in facts.columns:
            facts = facts.assign(corrected_by="", note="", instruction_key=facts["instruction_hash"],
                                 was_position=facts["position"])
        sheets["facts"] = facts[[c for c in FACTS_SHEET_COLUMNS if c in facts.columns]]
        layouts["facts"] = Layout(hidden=HIDDEN["facts"], editable=EDITABLE["facts"])
    return sheets, layouts


def _editable_clauses(clauses: pd.DataFrame) -> pd.DataFrame:
    """The clause table with what an edit of the sheet needs: the clause's content key, the exported label
    and canonical id (hidden), and empty ``corrected_by`` and ``note`` cells."""
    if "clause_hash" not in clauses.columns or "instruction_hash" not in clauses.columns:
        return clauses
    key = clauses["instruction_hash"].fillna("").astype(str) + ":" + clauses["clause_hash"].fillna("").astype(str)
    return clauses.assign(corrected_by="", note="", clause_key=key, was_label=clauses["label"],
                          was_canonical_id=clauses["canonical_id"])


def export_catalogue(store_or_frames: Any, out_dir: str | Path) -> list[Path]:
    """Write the catalogue exports into ``out_dir``; returns the paths written."""
    out = Path(out_dir)
    frames = _frames(store_or_frames)
    catalogue = frames["catalogue"]
    paths = [
        write_workbook(out / "catalogue.xlsx", *workbook(frames)),
        write_csv(out / "catalogue.csv", catalogue),
        write_csv(out / "variants.csv", frames["variants"]),
        write_parquet(out / "catalogue.parquet", catalogue),
        write_jsonl(out / "catalogue.jsonl", catalogue),
    ]
    if "facts" in frames:
        facts = frames["facts"]
        paths += [
            write_csv(out / "facts.csv", facts_flat(facts)),
            write_parquet(out / "facts.parquet", facts),
            write_jsonl(out / "facts.jsonl", facts),
        ]
    return paths
