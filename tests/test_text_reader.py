"""The plain-text reader: encoding detection on short Russian texts, cleaning, offsets, refusals."""

from __future__ import annotations

import re

import pytest

from pipeline.readers import ReadError, read
from pipeline.readers.text import detect_encoding, read_text

# Short texts of the kinds a folder of exports holds: a title alone, one clause, a few lines.
ONE_LINE = "Должностная инструкция кладовщика"
ONE_SENTENCE = "Кладовщик подчиняется непосредственно заведующему складом."
FEW_LINES = (
    "УТВЕРЖДАЮ\n"
    "Директор ООО \"Северный склад\"\n"
    "1. Общие положения\n"
    "1.1. Кладовщик относится к категории рабочих.\n"
    "1.2. Кладовщик имеет право:\n"
    "- получать спецодежду и средства защиты;\n"
)
CAPS_LINE = "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ОХРАННИКА"
ONE_WORD = "Кладовщик"
# A liability clause alone: cp1251 «З» is byte 0xC7, which MacCyrillic reads as «.
LIABILITY_LINE = "За причинение материального ущерба."

# encoding written -> (codec name detect_encoding returns, encoding the Document reports)
ENCODINGS = {
    "utf-8": ("utf_8", "utf-8"),
    "utf-8-sig": ("utf_8_sig", "utf-8"),
    "utf-16": ("utf_16", "utf-16"),  # Python writes a BOM and the platform's byte order
    "utf-16-be-bom": ("utf_16", "utf-16"),
    "cp1251": ("cp1251", "cp1251"),
    "koi8-r": ("koi8_r", "koi8-r"),
    "cp866": ("cp866", "cp866"),
}


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


DETECT_CASES = [
    pytest.param(text, enc, id=f"{name}-{enc}")
    for name, text in (("line", ONE_LINE), ("sentence", ONE_SENTENCE), ("lines", FEW_LINES))
    for enc in ENCODINGS
] + [
    pytest.param(text, enc, id=f"{name}-{enc}")
    for name, text in (("caps", CAPS_LINE), ("word", ONE_WORD))
    for enc in ("utf-8", "cp1251", "cp866")
] + [
    pytest.param(CAPS_LINE, "koi8-r", id="caps-koi8-r"),
    pytest.param(ONE_WORD, "koi8-r", id="word-koi8-r"),
] + [
    pytest.param(LIABILITY_LINE, enc, id=f"liability-{enc}")
    for enc in ("utf-8", "utf-16", "koi8-r", "cp866")
] + [
    pytest.param(LIABILITY_LINE, "cp1251", id="liability-cp1251"),
]


@pytest.mark.parametrize(("text", "encoding"), DETECT_CASES)
def test_detect_encoding_of_short_russian_text(text: str, encoding: str) -> None:
    assert detect_encoding(encode(text, encoding)) == ENCODINGS[encoding][0]


@pytest.mark.parametrize(("text", "encoding"), DETECT_CASES)
def test_read_decodes_short_russian_text(tmp_path, text: str, encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(encode(text, encoding))
    doc = read(path)
    assert doc.text == text
    assert doc.format == "txt"
    assert doc.reader == "text"
    assert doc.encoding == ENCODINGS[encoding][1]
    assert read_text(str(path), path.read_bytes()) == doc  # read() dispatches to the text reader


# The same three lines with every line ending convention; the read text always uses "\n".
LINES = ["1. Общие положения", "1.1. Водитель подчиняется механику.", "1.2. Водитель должен знать:"]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r", "\r\r\n"], ids=["lf", "crlf", "cr", "cr-crlf"])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1251", "koi8-r", "cp866", "utf-16"])
def test_line_endings_become_newlines(tmp_path, ending: str, encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(encode(ending.join(LINES) + ending, encoding))
    doc = read(path)
    assert "\r" not in doc.text
    assert [b.text for b in doc.blocks] == LINES


# (what the file holds, what the reader must give); the text is UTF-8 so only cleaning is tested.
CLEANING = [
    ("Кла\u00adдов\u00adщик ведет учет.", "Кладовщик ведет учет."),  # soft hyphens from Word
    ("Ведет\u200b учет\u2060 товаров.", "Ведет учет товаров."),  # zero-width marks from web copies
    ("Ведет\x07 учет\x0c товаров.\x1a", "Ведет учет товаров."),  # cell marks, page breaks, DOS end of file
    ("1.1.\u00a0Кладовщик\u202fподчиняется", "1.1. Кладовщик подчиняется"),  # no-break spaces
    ("\ufeffУТВЕРЖДАЮ", "УТВЕРЖДАЮ"),  # a second BOM inside the text
    ("Первая\u2028вторая\u2029третья", "Первая\nвторая\nтретья"),  # Unicode line/paragraph separators
    ("1.1.\tКладовщик", "1.1.\tКладовщик"),  # tabs are kept: they separate numbers from text
]


@pytest.mark.parametrize(("raw", "clean"), CLEANING, ids=[
    "soft-hyphen", "zero-width", "controls", "no-break-space", "inner-bom", "unicode-separators", "tab-kept"])
def test_controls_and_soft_hyphens_removed(tmp_path, raw: str, clean: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(raw.encode("utf-8"))
    assert read(path).text == clean


# A Word export in a legacy code page: soft hyphens and a cell mark survive into the .txt file.
LEGACY_WITH_CONTROLS = [
    ("Должностная инструкция\r\n1.1. Кладов\u00adщик подчиняется\x07 директору.\r\n", "cp1251"),
    ("Строка с переносом\r\nи\x07 управляющими\r\n", "cp866"),
    ("Строка с переносом\r\nи\x07 управляющими\r\n", "koi8-r"),
]


@pytest.mark.parametrize(("raw", "encoding"), LEGACY_WITH_CONTROLS, ids=[e for _, e in LEGACY_WITH_CONTROLS])
def test_legacy_code_page_with_control_bytes(tmp_path, raw: str, encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(raw.encode(encoding, errors="ignore"))
    doc = read(path)
    assert doc.encoding == encoding
    assert doc.text == re.sub("[\u00ad\x07]", "", raw).replace("\r\n", "\n")


OFFSET_TEXTS = [
    pytest.param(FEW_LINES, id="few-lines"),
    pytest.param("  1.1. Отступ слева\n\n\n\t2.\tТабуляция  \n", id="indents"),
    pytest.param("Стр\u00adока с мягким пере\u00adносом\r\nи\x07 управляющими\r\n", id="controls"),
    pytest.param("\ufeffБОМ в начале\r\rпустые строки между\r", id="bom-cr"),
    pytest.param("один блок без перевода строки", id="no-newline"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1251", "cp866"])
@pytest.mark.parametrize("raw", OFFSET_TEXTS)
def test_block_offsets_point_into_text(tmp_path, raw: str, encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(raw.encode(encoding, errors="ignore"))
    doc = read(path)
    assert doc.blocks, "every one of these texts has a non-blank line"
    for b in doc.blocks:
        assert doc.text[b.start:b.stop] == b.text
        assert b.text == b.text.strip() and "\n" not in b.text
    starts = [b.start for b in doc.blocks]
    assert starts == sorted(starts)


def test_indent_is_reported_as_level(tmp_path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes("1. Раздел\n    - пункт;\n".encode())
    blocks = read(path).blocks
    assert [(b.text, b.level) for b in blocks] == [("1. Раздел", 0), ("- пункт;", 4)]


REFUSED = [
    ("empty", b"", "empty"),
    ("white space only", b" \r\n\t \r\n", "empty"),
    ("control characters only", b"\x01\x02\x03\x04\x05", "no text"),
    ("random bytes", bytes((i * 73 + 41) % 256 for i in range(4096)), "binary"),
    ("gzip stream", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)) * 4, "binary"),
    ("windows executable", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200), "binary"),
    ("high bytes without a NUL", bytes(128 + (i * 37) % 128 for i in range(3000)), "not"),
]


@pytest.mark.parametrize(("name", "data", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_unreadable_files_raise_read_error(tmp_path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as error:
        read(path)
    message = str(error.value)
    assert reason in message
    assert "\n" not in message and len(message) < 200


def test_directory_named_like_a_file_raises_read_error(tmp_path) -> None:
    folder = tmp_path / "instruction.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match="directory"):
        read(folder)


def test_missing_file_raises_read_error(tmp_path) -> None:
    with pytest.raises(ReadError, match="not found"):
        read(tmp_path / "absent.txt")
