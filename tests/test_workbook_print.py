"""The workbook of the sample corpus printed to PDF by LibreOffice (Calc), read back page by page.

Each page must show every column of its sheet, under the header row (repeated): no column is cut off
onto another page. The footer names the sheet of each page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from sample_store import build_sample_store

from pipeline.catalogue.store import Store
from pipeline.export.catalogue import export_catalogue

pytestmark = pytest.mark.soffice


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: make setup installs libreoffice-calc-nogui"
    tmp = tmp_path_factory.mktemp("print")
    with Store(build_sample_store(tmp / "catalogue.duckdb"), read_only=True) as store:
        export_catalogue(store, tmp / "catalogue")
    book = tmp / "catalogue" / "catalogue.xlsx"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(book)],
                   check=True, capture_output=True, timeout=600, start_new_session=True)
    pdf = tmp / "catalogue.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF: is Calc installed (libreoffice-calc-nogui)?"
    return book, pdf


def test_every_page_shows_every_column_of_its_sheet(printed):
    import pypdf

    book, pdf = printed
    headers = {sheet.title: shown_header(sheet) for sheet in openpyxl.load_workbook(book).worksheets}
    pages = Counter()
    for number, page in enumerate(pypdf.PdfReader(pdf).pages, start=1):
        text = page.extract_text()
        found = re.search(r"(\w+) — page (\d+) of", text)
        assert found, f"page {number}: no footer naming its sheet"
        sheet = found.group(1)
        pages[sheet] += 1
        assert not missing_columns(headers[sheet], text), f"page {number} ({sheet}): columns not on the page: " \
            f"{missing_columns(headers[sheet], text)}"
    assert set(pages) == set(headers)  # every sheet printed
    print(f"{sum(pages.values())} pages: {dict(pages)}")


def shown_header(sheet) -> list[str]:
    """The header of the columns a sheet shows (the hidden ones, what an edit is compared with, never print)."""
    return [str(c.value) for c in sheet[1] if not sheet.column_dimensions[c.column_letter].hidden]


def missing_columns(header: list[str], text: str) -> list[str]:
    """The column names not found, in order, in a page's text (the extraction may join neighbouring cells)."""
    flat = re.sub(r"\s+", "", text)
    missing, at = [], 0
    for name in header:
        found = flat.find(re.sub(r"\s+", "", name), at)
        if found < 0:
            missing.append(name)
        else:
            at = found + 1
    return missing


@pytest.mark.parametrize(("header", "text", "missing"), [
    (["id", "text", "label"], "id text label\nfoo", []),
    (["id", "number", "text"], "idnumbertext\n1 2 3", []),  # cells joined by the extraction
    (["id", "text", "label"], "id text\nfoo", ["label"]),  # a column printed on another page
    (["id", "text", "label"], "label id text\nfoo", ["label"]),  # in the sheet's order or not at all
])
def test_missing_columns(header, text, missing):
    assert missing_columns(header, text) == missing
