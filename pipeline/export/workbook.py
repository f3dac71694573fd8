"""Excel workbooks made to be read on screen and on paper.

Every sheet: a bold header row that stays in view (frozen) and carries filters, columns as wide as their
content within limits, long text wrapped at the top of its cell, and a page setup that prints it whole:
A4 landscape, all columns fitted to the page's width (only rows run on to the next page), the header row
repeated on every page, the sheet's name and the page number in the footer. A :class:`Layout` adds, per
sheet, links from a cell to rows of another sheet, number formats and narrow columns with upright headers.

Text stays text: a cell that begins with ``=``, ``+``, ``-``, ``@``, tab or CR is stored as a string,
never as a formula, so a clause such as ``=1+1`` or ``- ведет учет`` reads as written. Characters that
the xlsx format cannot hold (control characters) are dropped; lists become lines of one cell.
The file is written beside its target and renamed into place, so a reader never sees half a workbook.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..atomic import atomic_path

#: Excel's limits: rows per sheet (header included) and characters per cell.
MAX_ROWS = 1_048_576
MAX_CELL = 32_767
#: Column widths in characters: a column is as wide as its longest line (or header) within these limits;
#: longer text wraps.
MIN_WIDTH, MAX_WIDTH = 8, 60
#: Rows looked at to size a column.
WIDTH_SAMPLE = 200
#: Width of a column whose header stands upright (the matrix's positions).
UPRIGHT_WIDTH = 6
#: Points per line of text (Calibri 11, the default row height), per character of upright text, and the
#: highest row Excel allows. Rows with wrapped text get the height of their lines: LibreOffice keeps the
#: file's heights, so without it a wrapped cell spills over the rows below it on screen and on paper.
LINE_HEIGHT, UPRIGHT_CHAR, MAX_HEIGHT = 15.0, 6.5, 409.0
#: Characters of wrapped text that fit in one character of column width (words do not break).
FILL = 1.1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The header fill of a column the analyst may edit (a pale yellow).
EDITABLE_FILL = "FFF2CC"
#: Who wrote the workbook (its document properties): an edited copy names its last editor instead.
CREATOR = "jobclauses"


@dataclass
class Layout:
    """How one sheet is laid out beyond the defaults.

    ``links``: column -> {key -> location in the workbook (``'clauses'!A2:M9``)}: the cell links there; the key
    is the row's value in column ``key`` (the cell's own value when ``key`` is empty).
    ``formats``: column -> Excel number format (``0%``). ``upright``: columns with narrow upright headers.
    ``widths``: column -> width in characters, instead of the measured one. ``hidden``: columns kept out of
    sight (what an edit is compared with). ``editable``: columns whose header is shaded, for the analyst to edit.
    """

    links: dict[str, dict[Any, str]] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    upright: frozenset[str] = frozenset()
    widths: dict[str, float] = field(default_factory=dict)
    key: str = ""
    hidden: frozenset[str] = frozenset()
    editable: frozenset[str] = frozenset()


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


def longest_line(header: str, values: pd.Series) -> int:
    """Characters of the longest line among the header and the first rows."""
    longest = len(str(header))
    for value in values.head(WIDTH_SAMPLE):
        text = cell_value(value)
        if text is not None:
            longest = max(longest, max((len(line) for line in str(text).split("\n")), default=0))
    return longest


def column_width(header: str, values: pd.Series) -> int:
    """Characters wide: the header or the longest first line among the first rows, within limits."""
    return max(MIN_WIDTH, min(MAX_WIDTH, longest_line(header, values) + 2))


def text_lines(value: Any, width: float) -> int:
    """Lines a value takes in a wrapped cell ``width`` characters wide (each of its own lines wraps).

    >>> text_lines("короткий текст", 20), text_lines("слово " * 10, 20), text_lines("a\\nb", 20)
    (1, 3, 2)
    """
    if value is None:
        return 1
    per_line = max(1, int((width - 1) * FILL))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n"))


def _multiline(value: Any) -> bool:
    """A list of more than one item, or text of more than one line: shown as lines of one cell."""
    if isinstance(value, str):
        return "\n" in value
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and hasattr(value, "__len__")):
        return len(value) > 1
    return False


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _page_setup(sheet: Any, n_rows: int, n_columns: int) -> None:
    """A4 landscape, every column on the page's width, the header row on every page, name and page below."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = "1:1"
    sheet.oddFooter.center.text = "&A — page &P of &N"
    if n_columns:
        sheet.auto_filter.ref = f"A1:{_letter(n_columns)}{max(n_rows + 1, 1)}"


def _write_sheet(book: Any, name: str, frame: pd.DataFrame, layout: Layout) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheet = book.create_sheet(title=name[:31])
    columns = [str(c) for c in frame.columns]
    rows = frame.head(MAX_ROWS - 1)
    sheet.freeze_panes = "A2"
    _page_setup(sheet, len(rows), len(columns))
    wrapped: list[bool] = []
    for i, column in enumerate(columns, start=1):
        if column in layout.upright:
            width = float(UPRIGHT_WIDTH)
        elif column in layout.widths:
            width = float(layout.widths[column])
        else:
            width = float(column_width(column, frame.iloc[:, i - 1]))
        sheet.column_dimensions[_letter(i)].width = width
        if column in layout.hidden:
            sheet.column_dimensions[_letter(i)].hidden = True
        values = frame.iloc[:, i - 1]
        wrapped.append(column not in layout.upright
                       and (longest_line(column, values) + 2 > width or bool(values.map(_multiline).any())))
    bold = Font(bold=True)
    shade = PatternFill("solid", fgColor=EDITABLE_FILL)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=cell_value(column))
        cell.font = bold
        if column in layout.editable:
            cell.fill = shade
        cell.alignment = Alignment(text_rotation=90, horizontal="center") if column in layout.upright \
            else Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    upright = [c for c in columns if c in layout.upright]
    if upright:
        sheet.row_dimensions[1].height = min(MAX_HEIGHT, UPRIGHT_CHAR * max(len(c) for c in upright) + 8)
    sheet.append(header)
    widths = [sheet.column_dimensions[_letter(i)].width for i in range(1, len(columns) + 1)]
    styles = _Styles()
    links = [layout.links.get(c) for c in columns]
    formats = [layout.formats.get(c) for c in columns]
    plain = not any(wrapped) and not any(links) and not any(formats)
    key = columns.index(layout.key) if layout.key in columns else None
    for row_number, record in enumerate(rows.itertuples(index=False, name=None), start=2):
        lines = max((text_lines(cell_value(v), w) for v, w, is_wrapped in zip(record, widths, wrapped, strict=True)
                     if is_wrapped), default=1)
        if lines > 1:
            sheet.row_dimensions[row_number].height = min(MAX_HEIGHT, LINE_HEIGHT * lines)
        if plain and lines == 1:
            sheet.append([_cell(sheet, value) for value in record])
            continue
        out = []
        for value, is_wrapped, link, number_format in zip(record, wrapped, links, formats, strict=True):
            target = link.get(value if key is None else record[key]) if link else None
            if not (is_wrapped or target or number_format or lines > 1):
                out.append(_cell(sheet, value))
                continue
            cell = WriteOnlyCell(sheet, value=cell_value(value))
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"
            cell._style = copy(styles.get(sheet, is_wrapped, number_format, bool(target)))
            if target:
                cell.hyperlink = Hyperlink(ref="", location=target)
            out.append(cell)
        sheet.append(out)


class _Styles:
    """Cell styles made once and copied into each cell: setting a style attribute on every cell looks the
    style up in the workbook's tables each time, which took most of the time of a large sheet."""

    def __init__(self) -> None:
        self._made: dict[tuple[bool, str, bool], Any] = {}

    def get(self, sheet: Any, wrapped: bool, number_format: str | None, link: bool) -> Any:
        key = (wrapped, number_format or "", link)
        if key not in self._made:
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Alignment

            cell = WriteOnlyCell(sheet)
            if link:
                cell.style = "Hyperlink"
            cell.alignment = Alignment(wrap_text=True, vertical="top") if wrapped else Alignment(vertical="top")
            if number_format:
                cell.number_format = number_format
            self._made[key] = cell._style
        return self._made[key]


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    value = cell_value(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text as written, not a formula
        return cell
    return value


def rows_location(sheet: str, first: int, last: int, n_columns: int) -> str:
    """The location of data rows ``first`` … ``last`` (0-based, header not counted) of a sheet, whole rows."""
    return f"'{sheet}'!A{first + 2}:{_letter(max(n_columns, 1))}{last + 2}"


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame],
                   layouts: Mapping[str, Layout] | None = None) -> Path:
    """Write ``sheets`` (name -> table, in order) to an .xlsx file at ``path``, atomically."""
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    book.properties.creator = book.properties.lastModifiedBy = CREATOR
    for name, frame in sheets.items():
        _write_sheet(book, name, frame, (layouts or {}).get(name, Layout()))
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path
