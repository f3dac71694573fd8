"""Plain text files: one block per non-empty line, in the encoding ``plain`` detects; HTML found inside the text
(a dump, an export) or Markdown markup is read as what it is.

The encoding is taken from a BOM when there is one, else strict UTF-8, else charset-normalizer
restricted to the encodings Russian text exports use (a free guess over all code pages mistakes
short cp1251 text for Greek or Turkish).
"""

from __future__ import annotations

from ..records import Document
from . import EmptyDocument, ReadError, register, sha256_bytes
from .plain import (  # noqa: F401  (re-exported: the readers' shared basics used to live here)
    _BOMS,
    MAX_TEXT_CHARS,
    _decode_mixed,
    clean_text,
    detect_encoding,
    line_blocks,
    mixed_lines,
)


@register("txt")
def read_text(path: str, data: bytes) -> Document:
    warnings = []
    mixed = _decode_mixed(data) if not data.startswith(tuple(b for b, _ in _BOMS)) else None
    if mixed is not None:
        raw, legacy = mixed
        encoding = f"utf_8+{legacy}"
        warnings.append(f"mixed encodings: UTF-8 lines and {legacy.replace('_', '-')} lines")
    else:
        encoding = detect_encoding(data)
        try:
            raw = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise ReadError(f"not valid {encoding} text at byte {error.start}") from None
    if len(raw) > MAX_TEXT_CHARS:
        raise ReadError(f"text too large: {len(raw)} characters (limit {MAX_TEXT_CHARS}): split the file")
    if "\x00" in raw:
        warnings.append("NUL characters removed")
    text = clean_text(raw)
    if not text.strip():
        raise EmptyDocument("no text: the file holds only white space or control characters")
    encoding = encoding.replace("_sig", "").replace("_", "-")
    embedded = _read_embedded(path, data, text, encoding, warnings)
    if embedded is not None:
        return embedded
    letters = sum(map(str.isalpha, text[:100000]))
    if letters < 0.3 * len(text[:100000].replace(" ", "").replace("\n", "")):
        raise ReadError("binary data, not text: too few letters")
    reader, blocks = "text", None
    from .markdown import render_markup

    rendered = render_markup(text)
    if rendered is not None:
        text, blocks, found = rendered
        reader = "+".join(found) if found != ("html",) else "text+html"
    return Document(
        path=path,
        sha256=sha256_bytes(data),
        format="txt",
        text=text,
        blocks=blocks if blocks is not None else line_blocks(text),
        encoding=encoding,
        reader=reader,
        warnings=tuple(warnings),
    )


def _read_embedded(path: str, data: bytes, text: str, encoding: str, warnings: list[str]) -> Document | None:
    """HTML stored in an SQL dump, a JSON, CSV or PHP file, or a text that is HTML throughout: its blocks as the
    HTML reader gives them (``pipeline/readers/embedded.py``), the reader named ``html-in-<container>``."""
    from .embedded import find_embedded
    from .html import with_offsets

    found = find_embedded(text, path)
    if found is None:
        return None
    joined, blocks = with_offsets(list(found.blocks))
    return Document(
        path=path,
        sha256=sha256_bytes(data),
        format="html",
        text=joined,
        blocks=blocks,
        encoding=encoding,
        reader=f"html-in-{found.container}",
        warnings=tuple(warnings),
    )
