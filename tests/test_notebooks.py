"""The analysts' notebooks run headless (nbclient, a real kernel) against a store built from the sample corpus.

The notebooks read JOBCLAUSES_DB (the catalogue), JOBCLAUSES_DOCS (documents) and JOBCLAUSES_OUT (where to
write); a notebook that raises fails its test.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from sample_store import SAMPLES, build_sample_store

ROOT = Path(__file__).parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return build_sample_store(tmp_path_factory.mktemp("notebooks") / "catalogue.duckdb")


def execute(path: Path) -> nbformat.NotebookNode:
    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return book


def outputs(book: nbformat.NotebookNode) -> str:
    parts = []
    for cell in book.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_explore_catalogue.ipynb", "02_compare_positions.ipynb",
                                           "03_facts.ipynb"]


@pytest.mark.parametrize("path, expected", [
    (ROOT / "notebooks" / "01_explore_catalogue.ipynb", ["instructions", "canonical_id", "report.html"]),
    (ROOT / "notebooks" / "02_compare_positions.ipynb", ["кладовщик", "common", "MISSING"]),
    (ROOT / "notebooks" / "03_facts.ipynb", ["заведующий складом", "среднее профессиональное"]),
], ids=lambda v: v.name if isinstance(v, Path) else "")
def test_notebook_runs(path, expected, sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("JOBCLAUSES_DB", str(sample_db))
    monkeypatch.setenv("JOBCLAUSES_DOCS", str(SAMPLES))
    monkeypatch.setenv("JOBCLAUSES_OUT", str(tmp_path))
    text = outputs(execute(path))
    for item in expected:
        assert item in text, item
    if path.name.startswith("01_"):
        assert (tmp_path / "report.html").stat().st_size > 10_000


def test_committed_without_outputs():
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        assert not any(cell.get("outputs") for cell in book.cells if cell.cell_type == "code"), path.name
