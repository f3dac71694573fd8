"""The .docx reader: Word's automatic numbering, the text walk, and bad files.

Every generated case is checked against the lines Word prints (fixed in ``docx_fixtures``) and,
when LibreOffice is installed, against LibreOffice's text export of the same file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

try:
    from docx_fixtures import Case, all_cases, normalise, random_lists, random_styled_lists, require_soffice
    from docxgen import CONTENT_TYPES, abstract, docx_bytes, lvl, num, para, zip_bytes
except ImportError:  # tests collected as a package
    from tests.docx_fixtures import (
        Case,
        all_cases,
        normalise,
        random_lists,
        random_styled_lists,
        require_soffice,
    )
    from tests.docxgen import CONTENT_TYPES, abstract, docx_bytes, lvl, num, para, zip_bytes

from pipeline.readers import ReadError, read, read_bytes
from pipeline.readers import docx as docx_reader
from pipeline.readers.render import as_text

CASES = all_cases()
RANDOM_SEEDS = range(40)
STYLED_SEEDS = range(20)
DEV_FILE = Path("/work/shared/eval/dev/01_buhgalter.docx")


def _read(case: Case):
    return read_bytes(f"{case.name}.docx", case.data)


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docx_cases")
    for case in CASES:
        (folder / f"{case.name}.docx").write_bytes(case.data)
    return folder


@pytest.fixture(scope="module")
def libreoffice_text(case_dir) -> dict[str, str]:
    """LibreOffice's text export of every case, from one soffice call."""
    require_soffice()
    from pipeline.readers.office import export_text_many

    paths = [str(case_dir / f"{case.name}.docx") for case in CASES]
    for seed in RANDOM_SEEDS:
        path = case_dir / f"random{seed}.docx"
        path.write_bytes(random_lists(seed))
        paths.append(str(path))
    for seed in STYLED_SEEDS:
        path = case_dir / f"styled{seed}.docx"
        path.write_bytes(random_styled_lists(seed))
        paths.append(str(path))
    out = {}
    for path, text in export_text_many(paths).items():
        assert not isinstance(text, Exception), f"LibreOffice failed on {path}: {text}"
        out[Path(path).stem] = text
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_numbering_as_word_prints_it(case: Case) -> None:
    assert normalise(as_text(_read(case))) == list(case.expected)


@pytest.mark.soffice
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_numbering_matches_libreoffice(case: Case, libreoffice_text: dict[str, str]) -> None:
    ours = normalise(as_text(_read(case)), bullets=True)
    theirs = normalise(libreoffice_text[case.name], bullets=True)
    if case.lo_known is not None and theirs == list(case.lo_known):
        # A documented divergence (case.why): we print what Word prints.
        assert ours == list(case.expected)
        return
    assert ours == theirs


@pytest.mark.soffice
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_random_lists_match_libreoffice(seed: int, libreoffice_text: dict[str, str]) -> None:
    doc = read_bytes(f"random{seed}.docx", random_lists(seed))
    assert normalise(as_text(doc)) == normalise(libreoffice_text[f"random{seed}"])


@pytest.mark.soffice
@pytest.mark.parametrize("seed", STYLED_SEEDS)
def test_random_styled_lists_match_libreoffice(seed: int, libreoffice_text: dict[str, str]) -> None:
    doc = read_bytes(f"styled{seed}.docx", random_styled_lists(seed))
    assert normalise(as_text(doc)) == normalise(libreoffice_text[f"styled{seed}"])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_block_offsets_and_numbers_outside_text(case: Case) -> None:
    doc = _read(case)
    assert doc.format == "docx" and doc.reader == "docx"
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    for block in doc.blocks:
        assert doc.text[block.start:block.stop] == block.text
        assert block.text == block.text.strip() and block.text
        if block.number:
            assert not block.text.startswith(block.number)


def _blocks(case: Case) -> list[tuple]:
    return [(b.text, b.number, b.level, b.style, b.heading, b.paragraph, b.table) for b in _read(case).blocks]


def _case(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


def test_block_fields_of_a_multilevel_list() -> None:
    assert _blocks(_case("multilevel"))[:3] == [
        ("Общие положения", "1.", 0, "Normal", 0, 0, None),
        ("Первый пункт", "1.1.", 1, "Normal", 0, 1, None),
        ("Подпункт", "1.1.1.", 2, "Normal", 0, 2, None),
    ]


def test_table_cells_are_blocks_with_row_and_column() -> None:
    blocks = _blocks(_case("tables"))
    assert [(b[0], b[1], b[6]) for b in blocks] == [
        ("До таблицы", "1.", None),
        ("Должность", "", (0, 0, 0)),
        ("Бухгалтер", "", (0, 0, 1)),
        ("Обязанности", "", (0, 1, 0)),
        ("ведёт учёт", "1.1.", (0, 1, 1)),
        ("сдаёт отчёты", "1.2.", (0, 1, 1)),
        ("После таблицы", "2.", None),
    ]


def test_headings_by_style_name_and_outline_level() -> None:
    assert [(b[0], b[3], b[4]) for b in _blocks(_case("headings"))] == [
        ("Русский заголовок", "Заголовок 1", 1),
        ("Английский", "Heading 2", 2),
        ("По наследству", "Мой стиль", 2),
        ("Уровень структуры", "Normal", 3),
        ("Текст", "Normal", 0),
    ]


def test_numbered_headings_carry_level_and_heading() -> None:
    assert [(b[1], b[2], b[4]) for b in _blocks(_case("heading_pstyle_link"))] == [
        ("1.", 0, 1), ("1.1.", 1, 2), ("", 0, 0), ("1.2.", 1, 2), ("2.", 0, 1)]


def test_empty_paragraphs_give_no_block_but_keep_their_index() -> None:
    blocks = _blocks(_case("characters"))
    assert blocks[-1][0] == "после пустых" and blocks[-1][5] == 6


def test_tab_kept_inside_text() -> None:
    assert _blocks(_case("characters"))[1][0] == "до\tпосле"


def test_unknown_format_warns() -> None:
    doc = _read(_case("unknown_format"))
    assert [b.number for b in doc.blocks] == ["1", "2"]
    assert doc.warnings == ("unknown number format 'ordinal': numbered in decimal",)


def test_undefined_list_warns_and_gives_no_number() -> None:
    doc = read_bytes("x.docx", docx_bytes(para("пункт", num="7", ilvl=0), abstract(0, lvl(0)) + num(1, 0)))
    assert [b.number for b in doc.blocks] == [""]
    assert doc.warnings == ("list 7 is not defined in numbering.xml: its numbers are lost",)


def test_footnote_text_stays_out_of_the_body() -> None:
    assert "сноски" not in _read(_case("footnotes")).text


def test_blocks_round_trip_as_json() -> None:
    from pipeline.records import Block

    for block in _read(_case("tables")).blocks:
        assert Block.from_json(block.to_json()) == block


# ---------------------------------------------------------------- the real dev file


@pytest.mark.skipif(not DEV_FILE.exists(), reason="the shared eval set is not next to this checkout")
def test_dev_file_yields_its_clause_numbers() -> None:
    numbers = [b.number for b in read(DEV_FILE).blocks if b.number]
    for expected in ("1.1.", "1.2.", "1.4.1.", "1.4.2.", "1.4.3.", "1.5.12.", "2.1.", "3.7."):
        assert expected in numbers


@pytest.mark.soffice
@pytest.mark.skipif(not DEV_FILE.exists(), reason="the shared eval set is not next to this checkout")
def test_dev_file_matches_libreoffice() -> None:
    require_soffice()
    from pipeline.readers.office import export_text_many

    lo = export_text_many([str(DEV_FILE)])[str(DEV_FILE)]
    assert not isinstance(lo, Exception), lo
    assert normalise(as_text(read(DEV_FILE)), bullets=True) == normalise(lo, bullets=True)


# ---------------------------------------------------------------- bad files


def _with_document(xml: str) -> bytes:
    return zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": xml})


BAD_FILES = [
    ("empty", b"", "empty file"),
    ("corrupt zip", b"PK\x03\x04" + b"\x00" * 200, "corrupt"),
    ("truncated docx", docx_bytes(para("текст"))[:300], "corrupt"),
    ("no document.xml", zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/styles.xml": "<x/>"}),
     "word/document.xml is missing"),
    ("external entity", _with_document(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'), "DTD"),
    ("billion laughs", _with_document(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><d>&b;</d>'), "DTD"),
    ("malformed xml", _with_document("<w:document><w:body>"), "malformed XML"),
    ("no body", _with_document('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'),
     "no body"),
    ("encrypted", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512,
     "password"),
]


@pytest.mark.parametrize("name,data,reason", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_one_clear_read_error(name: str, data: bytes, reason: str, tmp_path) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(ReadError) as error:
        read(path)
    message = str(error.value)
    assert reason in message and "\n" not in message


def test_zip_with_too_many_members_is_refused() -> None:
    parts = {f"word/media/{i}.bin": b"" for i in range(docx_reader.MAX_MEMBERS)}
    parts["word/document.xml"] = docx_bytes(para("x"))  # any content: refused before it is read
    with pytest.raises(ReadError, match="zip bomb"):
        docx_reader.read_docx("bomb.docx", zip_bytes(parts))


def test_zip_unpacking_beyond_the_cap_is_refused(monkeypatch) -> None:
    # The cap is lowered so that the bomb stays small; the code path is the real one.
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 1_000_000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", docx_bytes(para("x")))
        z.writestr("word/media/zeros.bin", b"\x00" * 2_000_000)
    with pytest.raises(ReadError, match="zip bomb"):
        docx_reader.read_docx("bomb.docx", buf.getvalue())


def test_part_larger_than_declared_is_cut_at_the_cap(monkeypatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_PART_BYTES", 1000)
    body = "".join(para(f"абзац {i}") for i in range(200))
    with pytest.raises(ReadError, match="zip bomb"):
        docx_reader.read_docx("big.docx", docx_bytes(body))


def test_strict_open_xml_reads_like_transitional() -> None:
    source = zipfile.ZipFile(io.BytesIO(_case("multilevel").data))
    strict = {name: source.read(name).replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                             b"http://purl.oclc.org/ooxml/wordprocessingml/main")
              for name in source.namelist()}
    doc = read_bytes("strict.docx", zip_bytes(strict))
    assert normalise(as_text(doc)) == list(_case("multilevel").expected)


def test_a_docx_named_doc_is_read_as_docx(tmp_path) -> None:
    path = tmp_path / "instruction.doc"
    path.write_bytes(docx_bytes(para("пункт", num="1", ilvl=0), abstract(0, lvl(0)) + num(1, 0)))
    doc = read(path)
    assert (doc.format, doc.blocks[0].number) == ("docx", "1.")

