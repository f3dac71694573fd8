""".doc, .rtf and .odt: LibreOffice conversion to .docx, the fallbacks, and failures one file at a time.

The .doc/.rtf/.odt files are made by LibreOffice from the generated .docx cases; what our reader
prints for them is compared with LibreOffice's own text export of the same files.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest

try:
    from docx_fixtures import case_named as _case
    from docx_fixtures import normalise, require_soffice
    from docxgen import docx_bytes, para
except ImportError:  # tests collected as a package
    from tests.docx_fixtures import case_named as _case
    from tests.docx_fixtures import normalise, require_soffice
    from tests.docxgen import docx_bytes, para

from pipeline.readers import ReadError, office, read
from pipeline.readers.render import as_text

CASE_NAMES = ["multilevel", "russian_lower", "tables", "style_linked", "heading_numbered", "interleaved", "bullets"]
FORMATS = ["doc", "rtf", "odt"]

RTF_1251 = (rb"{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0 Times New Roman;}}"
            rb"\pard \'c2\'e5\'e4\'e5\'f2 \'f3\'f7\'e5\'f2.\par"
            rb"\pard 2.1. \'ce\'f2\'f7\'e8\'f2\'fb\'e2\'e0\'e5\'f2\'f1\'ff.\par}")


def _long_docx() -> bytes:
    # antiword refuses very short documents, so this one has some body.
    return docx_bytes("".join(para(f"Пункт {i}: бухгалтер ведёт учёт и составляет отчётность.") for i in range(40)))


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(case, format) -> a .doc/.rtf/.odt file LibreOffice made from the case's .docx."""
    require_soffice()
    folder = tmp_path_factory.mktemp("office")
    sources = []
    for name in CASE_NAMES:
        path = folder / f"{name}.docx"
        path.write_bytes(_case(name).data)
        sources.append(str(path))
    long_path = folder / "long.docx"
    long_path.write_bytes(_long_docx())
    sources.append(str(long_path))
    out = {}
    for fmt in FORMATS:
        for source, result in office.convert_many(sources, to=fmt).items():
            assert not isinstance(result, Exception), f"{source} -> {fmt}: {result}"
            target = folder / f"{Path(source).stem}.{fmt}"
            target.write_bytes(result)
            out[(Path(source).stem, fmt)] = target
    return out


@pytest.fixture(scope="module")
def lo_text(made) -> dict[Path, str]:
    paths = [str(p) for p in made.values()]
    return {Path(p): t for p, t in office.export_text_many(paths).items()}


PAIRS = [(name, fmt) for name in CASE_NAMES for fmt in FORMATS]


@pytest.fixture(scope="module")
def read_back(made) -> dict[Path, object]:
    """Each made file converted back to .docx in one batch (as the batch runner does) and read."""
    paths = [str(p) for p in made.values()]
    out = {}
    for path, docx in office.convert_many(paths).items():
        data = Path(path).read_bytes()
        out[Path(path)] = docx if isinstance(docx, Exception) else office.from_docx(path, data, docx, path[-3:])
    return out


@pytest.mark.soffice
@pytest.mark.parametrize("name,fmt", PAIRS, ids=[f"{n}.{f}" for n, f in PAIRS])
def test_converted_file_reads_as_libreoffice_prints_it(name, fmt, made, read_back, lo_text) -> None:
    path = made[(name, fmt)]
    doc = read_back[path]
    assert not isinstance(doc, Exception), doc
    assert (doc.format, doc.reader) == (fmt, "libreoffice+docx")
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert not isinstance(lo_text[path], Exception), lo_text[path]
    assert normalise(as_text(doc), bullets=True) == normalise(lo_text[path], bullets=True)


@pytest.mark.soffice
@pytest.mark.parametrize("choice, reader", [("", "doc"), ("libreoffice", "libreoffice+docx")])
def test_read_numbers_of_a_doc(made, monkeypatch, choice, reader) -> None:
    monkeypatch.setenv("JOBCLAUSES_DOC_READER", choice)
    doc = read(made[("multilevel", "doc")])
    assert (doc.format, doc.reader) == ("doc", reader)
    numbers = [b.number for b in doc.blocks]
    assert numbers == ["1.", "1.1.", "1.1.1.", "1.1.2.", "1.2.", "2.", "2.1."]


@pytest.mark.soffice
def test_a_batch_reports_each_file_and_leaves_no_temporary_files(made, tmp_path, monkeypatch) -> None:
    # A temporary directory of its own: another jobclauses process converting at the same time leaves its
    # folders in the global one while it runs.
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(own_tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again

    def ours() -> set[str]:
        return {p.name for p in Path(tempfile.gettempdir()).glob("jobclauses-convert-*")}

    bad = tmp_path / "broken.doc"
    bad.write_bytes(made[("tables", "doc")].read_bytes()[:5000])  # a truncated .doc: LibreOffice cannot load it
    rtf = tmp_path / "really_rtf.doc"  # converted by its real format, not its name
    rtf.write_bytes(RTF_1251)
    empty = tmp_path / "empty.rtf"
    empty.write_bytes(b"")
    good = str(made[("multilevel", "doc")])
    before = ours()
    results = office.convert_many([good, str(bad), str(rtf), str(empty)])
    assert tempfile.gettempdir() == str(own_tmp)
    assert before == set() and ours() == set()
    assert str(results[str(empty)]) == "empty file"
    assert isinstance(results[str(bad)], ReadError) and "\n" not in str(results[str(bad)])
    assert [b.number for b in office.from_docx(good, b"", results[good], "doc").blocks][:2] == ["1.", "1.1."]
    doc = office.from_docx(str(rtf), RTF_1251, results[str(rtf)], "rtf")
    assert [b.text for b in doc.blocks] == ["Ведет учет.", "2.1. Отчитывается."]


@pytest.mark.soffice
def test_timeout_is_a_read_error_and_the_next_call_still_works(made) -> None:
    path = str(made[("multilevel", "doc")])
    result = office.convert_many([path], startup_seconds=0.01, timeout_per_file=0)[path]
    assert isinstance(result, ReadError) and "timed out" in str(result)
    assert isinstance(office.convert_many([path])[path], bytes)


# ---------------------------------------------------------------- without LibreOffice


def test_rtf_without_libreoffice_is_read_natively(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    path = tmp_path / "x.rtf"
    path.write_bytes(RTF_1251)
    doc = read(path)
    assert (doc.format, doc.reader, doc.warnings) == ("rtf", "rtf", ())
    assert [b.text for b in doc.blocks] == ["Ведет учет.", "2.1. Отчитывается."]


def test_striprtf_is_the_last_fallback_and_says_numbers_may_be_lost() -> None:
    doc = office.read_rtf_striprtf("x.rtf", RTF_1251)
    assert (doc.format, doc.reader) == ("rtf", "striprtf")
    assert [b.text for b in doc.blocks] == ["Ведет учет.", "2.1. Отчитывается."]
    assert doc.warnings == ("LibreOffice not installed: read with striprtf; automatic numbering may be lost",)


def test_odt_without_libreoffice_is_a_clear_failure(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    path = tmp_path / "x.odt"
    path.write_bytes(office_zip_odt())
    with pytest.raises(ReadError, match="LibreOffice"):
        read(path)


def office_zip_odt() -> bytes:
    try:
        from docxgen import zip_bytes
    except ImportError:
        from tests.docxgen import zip_bytes
    return zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})


@pytest.mark.soffice
def test_doc_without_libreoffice_is_read_natively(made, monkeypatch) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    doc = read(made[("multilevel", "doc")])
    assert (doc.format, doc.reader) == ("doc", "doc")
    assert [b.number for b in doc.blocks][:3] == ["1.", "1.1.", "1.1.1."]


@pytest.mark.soffice
def test_antiword_is_the_fallback_for_what_the_native_reader_cannot_read(made) -> None:
    if shutil.which("antiword") is None:
        pytest.fail("antiword is not installed: `make setup` installs it for the .doc fallback")
    path = made[("long", "doc")]
    doc = office.read_doc_antiword(str(path), path.read_bytes())
    assert (doc.format, doc.reader) == ("doc", "antiword")
    assert "Пункт 39: бухгалтер ведёт учёт и составляет отчётность." in [b.text for b in doc.blocks]
    assert "numbering may be lost" in doc.warnings[0]
