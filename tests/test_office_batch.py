"""The batch converts the files it reads through LibreOffice in groups, one soffice start a group, and a file
that hangs still fails alone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

try:
    from docx_fixtures import require_soffice
    from legacy_docs import EXPECTED
except ImportError:  # tests collected as a package
    from tests.docx_fixtures import require_soffice
    from tests.legacy_docs import EXPECTED

from pipeline import readers
from pipeline.batch import OFFICE_GROUP, _tasks, run, run_in_process
from pipeline.readers import office

LEGACY = Path(__file__).resolve().parent / "data" / "legacy"


N = OFFICE_GROUP


@pytest.mark.parametrize("choice, workers, names, shape", [
    # The native readers read .doc and .rtf: only .odt goes to LibreOffice, in groups.
    ("", 1, ["a.txt", "b.odt", "c.doc", "d.odt", "e.rtf"], [["a.txt"], ["c.doc"], ["e.rtf"], ["b.odt", "d.odt"]]),
    ("libreoffice", 1, ["a.txt", "b.odt", "c.doc", "d.docx", "e.RTF"],
     [["a.txt"], ["d.docx"], ["b.odt", "c.doc", "e.RTF"]]),
    # Two workers: the five go in groups of three and two, so that both convert.
    ("libreoffice", 2, ["a.txt", "b.odt", "c.doc", "d.docx", "e.RTF", "f.doc", "g.doc"],
     [["a.txt"], ["d.docx"], ["b.odt", "c.doc", "e.RTF"], ["f.doc", "g.doc"]]),
    # Many: groups of OFFICE_GROUP at most.
    ("libreoffice", 1, [f"{k:02d}.doc" for k in range(N + 2)],
     [[f"{k:02d}.doc" for k in range(N)], [f"{N:02d}.doc", f"{N + 1:02d}.doc"]]),
])
def test_files_read_through_libreoffice_go_in_groups(choice, workers, names, shape, monkeypatch) -> None:
    require_soffice()
    monkeypatch.setenv("JOBCLAUSES_DOC_READER", choice)
    tasks = _tasks([Path(n) for n in names], workers)
    assert sorted([p.name for _, p in task] for task in tasks) == sorted(shape)
    assert sorted(i for task in tasks for i, _ in task) == list(range(len(names)))


def test_without_libreoffice_every_file_goes_alone(monkeypatch) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    monkeypatch.setenv("JOBCLAUSES_DOC_READER", "libreoffice")
    assert [len(t) for t in _tasks([Path("a.odt"), Path("b.doc"), Path("c.odt")])] == [1, 1, 1]


@pytest.fixture(scope="module")
def odt_files(tmp_path_factory) -> list[Path]:
    """The legacy documents saved by LibreOffice as .odt, three copies each."""
    require_soffice()
    folder = tmp_path_factory.mktemp("odt")
    sources = [str(LEGACY / f"{name}.docx") for name in EXPECTED]
    out = []
    for source, data in office.convert_many(sources, to="odt").items():
        assert isinstance(data, bytes), data
        for copy in range(3):
            path = folder / f"{Path(source).stem}-{copy}.odt"
            path.write_bytes(data)
            out.append(path)
    return sorted(out)


def _summary(results) -> list[tuple]:
    return [(Path(r.path).name, r.status, r.reader, len(r.clauses), r.reason) for r in results]


@pytest.mark.soffice
def test_a_group_gives_what_one_by_one_gives(odt_files, tmp_path) -> None:
    from pipeline.batch import load_classifier

    alone = _summary(run_in_process(odt_files, load_classifier("rules")))
    grouped = _summary(run(odt_files, "rules", workers=2))
    assert grouped == alone
    assert {r[2] for r in grouped} == {"libreoffice+docx"} and {r[1] for r in grouped} == {"ok"}


@pytest.mark.soffice
def test_prefetch_converts_with_one_start_and_read_takes_it(odt_files) -> None:
    paths = [str(p) for p in odt_files[:4]]
    assert office.prefetch(paths) == 4
    assert set(paths) <= set(office._prefetched)
    started = time.perf_counter()
    docs = [readers.read(p) for p in paths]
    assert time.perf_counter() - started < 1.0  # no LibreOffice start: the conversions were there
    assert all(d.reader == "libreoffice+docx" and d.blocks for d in docs)
    assert not set(paths) & set(office._prefetched)


@pytest.fixture()
def hanging_odt_reader(monkeypatch):
    """The .odt reader hangs on files named «hang…»: the real worker isolation is tested."""
    readers._load_readers()
    real = readers.READERS["odt"]

    def reader(path: str, data: bytes):
        if Path(path).name.startswith("hang"):
            time.sleep(600)
        return real(path, data)

    monkeypatch.setitem(readers.READERS, "odt", reader)


@pytest.mark.soffice
def test_a_hanging_file_in_a_group_fails_alone(odt_files, tmp_path, hanging_odt_reader) -> None:
    files = [tmp_path / f"{k}.odt" for k in "ab"] + [tmp_path / "hang.odt"] + [tmp_path / f"{k}.odt" for k in "cd"]
    for path in files:
        path.write_bytes(odt_files[0].read_bytes())
    results = {Path(r.path).name: r for r in run(files, "rules", workers=1, timeout=3.0)}
    assert (results["hang.odt"].status, results["hang.odt"].reason) == ("failed", "timed out after 3 s")
    assert {k: results[f"{k}.odt"].status for k in "abcd"} == dict.fromkeys("abcd", "ok"), results
