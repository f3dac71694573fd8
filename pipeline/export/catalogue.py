"""Catalogue exports: the analysts' workbook, CSV (UTF-8 with BOM), Parquet and JSON Lines.

``export_catalogue(store_or_frames, out_dir)`` takes a ``pipeline.catalogue.store.Store`` (or the dict
of tables its ``frames()`` returns) and writes, each atomically:

- ``catalogue.xlsx``: sheets catalogue, variants, clauses (with provenance and ``canonical_id``),
  positions (each position's clauses ranked by use), matrix (canonical clause × position), facts (one
  row per instruction: its file, position and the facts of ``pipeline.facts``);
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
from .workbook import write_workbook

SHEETS = ("catalogue", "variants", "clauses", "positions", "matrix", "facts")
#: The clause sheet's columns, provenance first.
CLAUSE_SHEET_COLUMNS = [
    "document", "instruction", "position", "section_number", "section_title", "number", "text", "label",
    "confidence", "canonical_id", "variant_id", "normalised",
]
#: The facts sheet's columns: provenance, then the facts (``pipeline.catalogue.store.FACTS_FRAME_COLUMNS``).
FACTS_SHEET_COLUMNS = [
    "document", "instruction", "position", "title", "education", "education_field", "experience_years",
    "min_experience", "reports_to", "substitute", "appointed_by", "approved_by", "approved_on",
]
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


def workbook_sheets(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The workbook's sheets, in order; the clause and facts sheets restricted to readable columns."""
    sheets = {name: frames[name] for name in SHEETS if name in frames}
    if "clauses" in sheets:
        clauses = sheets["clauses"]
        sheets["clauses"] = clauses[[c for c in CLAUSE_SHEET_COLUMNS if c in clauses.columns]]
    if "facts" in sheets:
        facts = facts_flat(sheets["facts"])
        sheets["facts"] = facts[[c for c in FACTS_SHEET_COLUMNS if c in facts.columns]]
    return sheets


def export_catalogue(store_or_frames: Any, out_dir: str | Path) -> list[Path]:
    """Write the catalogue exports into ``out_dir``; returns the paths written."""
    out = Path(out_dir)
    frames = _frames(store_or_frames)
    catalogue = frames["catalogue"]
    paths = [
        write_workbook(out / "catalogue.xlsx", workbook_sheets(frames)),
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
