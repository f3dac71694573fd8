"""Excel workbooks for analysts: one sheet per table, header frozen, filters on, column widths set.

Text stays text: a cell that begins with ``=``, ``+``, ``-``, ``@``, tab or CR is stored as a string,
never as a formula, so a clause such as ``=1+1`` or ``- ведет учет`` reads as written. Characters that
the xlsx format cannot hold (control characters) are dropped; lists become lines of one cell.
The file is written beside its target and renamed into place, so a reader never sees half a workbook.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..atomic import atomic_path

#: Excel's limits: rows per sheet (header included) and characters per cell.
MAX_ROWS = 1_048_576
MAX_CELL = 32_767
MIN_WIDTH, MAX_WIDTH = 8, 70
#: Rows looked at to size a column.
WIDTH_SAMPLE = 200
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value: Any) -> Any:
    """A value openpyxl can store: lists joined by lines, missing values empty, illegal characters dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value)
    elif hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
        if isinstance(value, list):
            value = "\n".join(str(v) for v in value)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
    return value


def column_width(header: str, values: pd.Series) -> int:
    """Characters wide: the header or the longest first line among the first rows, within limits."""
    longest = len(str(header))
    for value in values.head(WIDTH_SAMPLE):
        text = cell_value(value)
        if text is not None:
            longest = max(longest, max((len(line) for line in str(text).split("\n")), default=0))
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _write_sheet(book: Any, name: str, frame: pd.DataFrame) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(title=name[:31])
    columns = [str(c) for c in frame.columns]
    rows = frame.head(MAX_ROWS - 1)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{_letter(len(columns))}{max(len(rows) + 1, 1)}"
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[_letter(i)].width = column_width(column, frame.iloc[:, i - 1])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=cell_value(column))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for record in rows.itertuples(index=False, name=None):
        sheet.append([_cell(sheet, value) for value in record])


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    value = cell_value(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text as written, not a formula
        return cell
    return value


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write ``sheets`` (name -> table, in order) to an .xlsx file at ``path``, atomically."""
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        _write_sheet(book, name, frame)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path
