"""Tell a file's real format from its first bytes; the extension is only a tie-breaker.

>>> sniff_format(b"{\\\\rtf1\\\\ansi hello}", "x.doc")
'rtf'
>>> sniff_format("Должностная инструкция".encode("cp1251"), "x.txt")
'txt'
>>> sniff_format(b"", "x.docx")
'empty'
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|table|h[1-6])\b",
                         re.I | re.S)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "mimetype" in names:
                mime = z.read("mimetype")[:100]
                if b"opendocument.text" in mime:
                    return "odt"
            if "word/document.xml" in names:
                return "docx"
            if "[Content_Types].xml" in names:
                # An Office package without a Word body: a workbook or a presentation under a .doc name.
                types = z.read("[Content_Types].xml")[:200_000]
                return "docx" if b"wordprocessingml.document.main" in types else "zip"
            return "zip"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError, zlib.error,
            lzma.LZMAError):
        return "docx-corrupt"


def _ole_kind(data: bytes) -> str:
    # An encrypted OOXML file is an OLE container holding EncryptionInfo/EncryptedPackage.
    head = data[:1 << 16]
    if "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head:
        return "encrypted"
    return "doc"


def sniff_format(data: bytes, name: str = "") -> str:
    """One of ``txt html docx doc rtf odt pdf encrypted zip docx-corrupt empty binary``."""
    lower = name.lower()
    if not data.strip():
        return "empty"
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if data.startswith(b"%PDF"):
        return "pdf"
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if _HTML_START.match(stripped[:4096]) or (
        lower.endswith((".html", ".htm", ".xhtml")) and b"<" in stripped[:4096]
    ):
        return "html"
    if lower.endswith(".docx"):
        return "docx-corrupt"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "txt"  # UTF-16 with a BOM
    if _looks_binary(data[:65536].rstrip(b"\x00")):
        return "binary"
    return "txt"


_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\f\x00")


def _looks_binary(sample: bytes) -> bool:
    r"""NULs in bulk, or NULs among other control bytes: binary. NUL padding and stray NULs in text are text
    (the text reader drops them), and so is text with a few control bytes.

    >>> text = "Ведет учет материалов на складе.".encode("cp1251")
    >>> _looks_binary(text + b"\x00" + text), _looks_binary(bytes(range(256)))
    (False, True)
    """
    if not sample:
        return False
    nuls = sample.count(0)
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    if nuls > 0.05 * len(sample) or (nuls > 0 and controls > 0.01 * len(sample)):
        return True
    return len(sample) >= 64 and controls > 0.1 * len(sample)  # a few bytes of controls: «no text», not binary
