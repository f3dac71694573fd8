"""Format sniffing: the bytes decide, the extension only breaks ties."""

from __future__ import annotations

import io
import struct
import zipfile

import docx
import openpyxl
import pytest

from pipeline.readers import ReadError, read
from pipeline.readers.sniff import sniff_format

FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _dir_entry(name: str, kind: int, child: int = FREE, right: int = FREE) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB3I", len(encoded), kind, 1, FREE, right, child)
        + bytes(16 + 4 + 8 + 8)  # class id, state bits, creation and modification times
        + struct.pack("<IQ", END, 0)  # first sector, size: the streams are empty
    )


def compound_file(*streams: str) -> bytes:
    """A valid OLE2 compound file (version 3, 512-byte sectors) holding empty streams of these names.

    Word .doc files and password-protected .docx files are both such containers; what tells them
    apart is the stream names.
    """
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
        + struct.pack("<HHHHH6s9I", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<109I", 0, *([FREE] * 108))
    )
    fat = struct.pack("<128I", FATSECT, END, *([FREE] * 126))
    entries = [_dir_entry("Root Entry", 5, child=1 if streams else FREE)]
    for i, name in enumerate(streams, start=1):
        entries.append(_dir_entry(name, 2, right=i + 1 if i < len(streams) else FREE))
    directory = b"".join(entries).ljust(512, b"\x00")
    assert len(header) == 512 and len(directory) == 512
    return header + fat + directory


def word_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Должностная инструкция кладовщика")
    document.add_paragraph("1.1. Кладовщик подчиняется заведующему складом.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def excel_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Должностная инструкция кладовщика"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def odt() -> bytes:
    # OpenDocument requires an uncompressed "mimetype" entry first.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", b"<?xml version='1.0'?><office:document-content/>")
    return out.getvalue()


RTF = rb"{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0 Times New Roman;}}\f0 \'c4\'ee\'eb\'e6\'ed\'ee\'f1\'f2\'ed\'e0\'ff\par}"
WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">\r\n'
    '<head><meta http-equiv=Content-Type content="text/html; charset=windows-1251"></head>\r\n'
    "<body><p class=MsoNormal>Должностная инструкция</p></body></html>"
).encode("cp1251")
TEXT_1251 = "Должностная инструкция секретаря\r\n1. Общие положения\r\n".encode("cp1251")

CASES = [
    # name, file name, bytes, expected format
    ("rtf named .doc", "instr.doc", RTF, "rtf"),
    ("rtf after a BOM and blank lines", "instr.rtf", b"\xef\xbb\xbf\r\n" + RTF, "rtf"),
    ("Word web page named .doc", "instr.doc", WORD_HTML, "html"),
    ("html with a doctype named .txt", "page.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    ("html after an xml declaration and a comment", "page.htm",
     b"<?xml version='1.0' encoding='utf-8'?>\n<!-- saved from url -->\n<html><body>x</body></html>", "html"),
    ("html fragment starting with a div", "frag", "<div class=\"entry\"><p>Кладовщик</p></div>".encode(), "html"),
    (".html file starting with text", "page.html", "Кладовщик <b>ведет</b> учет".encode(), "html"),
    ("docx named .doc", "instr.doc", word_docx(), "docx"),
    ("docx named .docx", "instr.docx", word_docx(), "docx"),
    ("docx with no extension", "instr", word_docx(), "docx"),
    ("odt named .doc", "instr.doc", odt(), "odt"),
    ("Word 97 OLE file", "instr.doc", compound_file("WordDocument", "1Table", "\x05SummaryInformation"), "doc"),
    ("OLE file named .docx", "instr.docx", compound_file("WordDocument", "1Table"), "doc"),
    ("encrypted docx (OLE container)", "instr.docx",
     compound_file("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"), "encrypted"),
    ("encrypted docx named .doc", "instr.doc", compound_file("EncryptedPackage", "EncryptionInfo"), "encrypted"),
    ("zip of text files", "archive.zip", zip_of({"a.txt": b"x", "b.txt": b"y"}), "zip"),
    ("zip of text files named .docx", "instr.docx", zip_of({"a.txt": b"x"}), "zip"),
    ("empty zip archive", "instr.zip", zip_of({}), "zip"),
    ("truncated docx", "instr.docx", word_docx()[:300], "docx-corrupt"),
    ("plain text named .docx", "instr.docx", TEXT_1251, "docx-corrupt"),
    ("empty file", "instr.docx", b"", "empty"),
    ("white space only", "instr.txt", b" \r\n\t\r\n", "empty"),
    ("binary with NUL bytes", "instr.txt", bytes(range(256)) * 8, "binary"),
    ("png image named .doc", "instr.doc", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary"),
    ("pdf", "instr.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "pdf"),
    ("pdf named .doc", "instr.doc", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "pdf"),
    ("cp1251 text", "instr.txt", TEXT_1251, "txt"),
    ("UTF-16 text with a BOM", "instr.txt", "\ufeffДолжностная инструкция\r\n".encode("utf-16-le"), "txt"),
    ("UTF-16 big-endian text with a BOM", "instr.txt", "\ufeffИнструкция\n".encode("utf-16-be"), "txt"),
    ("Markdown", "instr.md", "# Должностная инструкция\n\n## 1. Общие положения\n".encode(), "txt"),
    ("text starting with a bracket", "instr.txt", "<Наименование организации>\nУТВЕРЖДАЮ\n".encode(), "txt"),
    ("UTF-8 text with a BOM named .doc", "instr.doc", "\ufeffКладовщик".encode(), "txt"),
]


# Office packages that are not Word documents.
KNOWN_WRONG = [
    pytest.param("instr.doc", excel_xlsx(), "zip", id="Excel workbook named .doc"),
]


@pytest.mark.parametrize(("name", "data", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES] + KNOWN_WRONG)
def test_sniff_format(name: str, data: bytes, expected: str) -> None:
    assert sniff_format(data, name) == expected


def test_compound_file_helper_is_a_valid_ole_file() -> None:
    # The OLE containers above are built by hand; their structure is checked so the cases stay honest.
    data = compound_file("EncryptionInfo", "EncryptedPackage")
    assert len(data) == 3 * 512
    sector_shift, = struct.unpack_from("<H", data, 30)
    first_dir_sector, = struct.unpack_from("<I", data, 48)
    directory = data[512 * (1 + first_dir_sector):]
    names = [directory[i:i + 64].decode("utf-16-le").split("\x00")[0] for i in range(0, 384, 128)]
    assert sector_shift == 9
    assert names == ["Root Entry", "EncryptionInfo", "EncryptedPackage"]


# Formats that are recognised but refused: read() gives the reason a person can act on.
REFUSED = [
    ("instr.docx", compound_file("EncryptionInfo", "EncryptedPackage"), "password"),
    ("instr.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    ("archive.zip", zip_of({"a.txt": b"x"}), "zip archive"),
    ("instr.docx", word_docx()[:300], "corrupt"),
    ("instr.doc", b"", "empty"),
    ("instr.doc", bytes(range(256)) * 8, "binary"),
]


@pytest.mark.parametrize(("name", "data", "reason"), REFUSED, ids=["encrypted", "pdf", "zip", "corrupt", "empty", "binary"])
def test_refused_formats_raise_read_error(tmp_path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError, match=reason):
        read(path)
