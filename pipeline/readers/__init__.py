"""Readers: one module per format behind one small interface.

A reader is a function ``(path, data) -> Document`` that extracts blocks and nothing more:
structure inference belongs to the segmenter. ``read(path)`` sniffs the real format from the
bytes (not the extension) and dispatches. A file that cannot be read raises :class:`ReadError`
with a one-line reason a person can act on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from ..records import Document
from .sniff import sniff_format

__all__ = ["EmptyDocument", "ReadError", "read", "read_bytes", "register", "sniff_format", "READERS", "MAX_FILE_BYTES"]

#: Files larger than this are refused before they are read (one instruction is a few kB).
MAX_FILE_BYTES = 64 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read; ``str(error)`` is the one-line reason."""


class EmptyDocument(ReadError):
    """A file with no text at all (0 bytes, white space, a page or a Word file with nothing visible): nothing
    is wrong with it and nothing is in it, so a batch records it as skipped, not failed.

    ``read_bytes`` fills in the file's hash and format, so that a resumed batch need not read it again.
    """

    sha256 = ""
    format = ""


#: Formats that are recognised but never readable, with the reason a person sees.
UNREADABLE = {
    "empty": "empty file",
    "binary": "binary data, not text or a known document format",
    "docx-corrupt": "corrupt Word file: not a valid zip archive",
    "encrypted": "password-protected (encrypted) Office file: save it without a password",
    "pdf": "PDF is not supported: save it as .docx or .txt",
    "zip": "a zip archive that is not a Word or OpenDocument file",
}

Reader = Callable[[str, bytes], Document]
READERS: dict[str, Reader] = {}
_loaded = False


def register(fmt: str) -> Callable[[Reader], Reader]:
    def wrap(func: Reader) -> Reader:
        READERS[fmt] = func
        return func

    return wrap


def _load_readers() -> None:
    # Imported lazily so that importing the package does no work; each module registers itself.
    global _loaded
    from . import text  # noqa: F401

    for name in ("html", "docx", "office", "doc", "rtf"):
        try:
            __import__(f"{__name__}.{name}")
        except ModuleNotFoundError as error:  # a reader module not written yet
            if error.name != f"{__name__}.{name}":
                raise
    _loaded = True


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: str, data: bytes, fmt: str | None = None) -> Document:
    if not _loaded:  # importing one reader module (text) must not hide the others
        _load_readers()
    fmt = fmt or sniff_format(data, path)
    try:
        document = _read_format(path, data, fmt)
        if not document.text.strip():
            raise EmptyDocument("no text: the document holds no text")
    except EmptyDocument as error:
        error.sha256, error.format = sha256_bytes(data), fmt
        raise
    return document


def _read_format(path: str, data: bytes, fmt: str) -> Document:
    if fmt == "empty":
        raise EmptyDocument(UNREADABLE[fmt])
    if fmt in UNREADABLE:
        raise ReadError(UNREADABLE[fmt])
    reader = READERS.get(fmt)
    if reader is None:
        raise ReadError(f"unsupported format: {fmt}")
    return reader(path, data)


def read(path: str | os.PathLike[str], fmt: str | None = None) -> Document:
    """Read one file into a :class:`Document`; raise :class:`ReadError` when it cannot be read."""
    p = Path(path)
    try:
        if p.is_dir():
            raise ReadError("is a directory, not a file")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(f"file too large: {size} bytes (limit {MAX_FILE_BYTES})")
        data = p.read_bytes()
    except PermissionError:
        raise ReadError("permission denied") from None
    except FileNotFoundError:
        raise ReadError("file not found (deleted or a broken link)") from None
    except OSError as error:
        raise ReadError(f"cannot open: {error.strerror or error}") from None
    return read_bytes(str(p), data, fmt)
