"""The native .doc and .rtf readers: against LibreOffice on the generated Word suite, on job descriptions in old
Word styles, and on the real RTF files of ``../shared/real/rtf``; and without LibreOffice at all.

The suite (every case of ``docx_fixtures`` plus the random lists) is saved by LibreOffice as .doc and .rtf.
For .doc the oracle is LibreOffice's text export of the same .doc. For .rtf it is LibreOffice's text export of
the document it saved as that .rtf: the reader takes the numbers the writer put in the file (``\\listtext``),
and LibreOffice 7.4 reads its own RTF lists back wrongly (start overrides, Russian letters, non-ASCII number
text, the last paragraph); a test checks that wherever we differ from LibreOffice re-reading the .rtf,
LibreOffice differs from itself there too.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

try:
    from docx_fixtures import all_cases, normalise, random_lists, random_styled_lists, require_soffice
    from legacy_docs import EXPECTED
except ImportError:  # tests collected as a package
    from tests.docx_fixtures import all_cases, normalise, random_lists, random_styled_lists, require_soffice
    from tests.legacy_docs import EXPECTED

from pipeline.batch import process_file
from pipeline.readers import ReadError, office, read, read_bytes
from pipeline.readers.doc import read_doc_native
from pipeline.readers.render import as_text
from pipeline.readers.rtf import read_rtf_native

ROOT = Path(__file__).resolve().parents[1]
LEGACY = ROOT / "tests" / "data" / "legacy"
CASES = {c.name: c for c in all_cases()}
SUITE = [*CASES, *(f"random{s}" for s in range(40)), *(f"styled{s}" for s in range(20))]


def _source(name: str) -> bytes:
    if name.startswith("random"):
        return random_lists(int(name[6:]))
    if name.startswith("styled"):
        return random_styled_lists(int(name[6:]))
    return CASES[name].data


def lines(text: str) -> list[str]:
    return normalise(text, bullets=True)


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> dict[tuple[str, str], object]:
    """(name, 'doc'|'rtf') -> path of the file LibreOffice saved; (name, 'lo-doc'|'lo-rtf'|'lo-docx') -> the
    lines of LibreOffice's text export of that file."""
    require_soffice()
    folder = tmp_path_factory.mktemp("legacy_suite")
    sources = []
    for name in SUITE:
        path = folder / f"{name}.docx"
        path.write_bytes(_source(name))
        sources.append(str(path))
    out: dict[tuple[str, str], object] = {}
    for fmt in ("doc", "rtf"):
        for source, result in office.convert_many(sources, to=fmt).items():
            assert isinstance(result, bytes), f"{source} -> {fmt}: {result}"
            target = Path(source).with_suffix(f".{fmt}")
            target.write_bytes(result)
            out[(target.stem, fmt)] = target
    paths = [str(p) for p in folder.iterdir()]
    for path, text in office.export_text_many(paths).items():
        assert isinstance(text, str), f"LibreOffice failed on {path}: {text}"
        out[(Path(path).stem, "lo-" + Path(path).suffix[1:])] = lines(text)
    return out


#: Cases where the reader prints what Word prints and LibreOffice does not (``Case.why``): tracked changes read as
#: accepted, no footnote marks in the body, no line for an empty numbered paragraph; .doc also has no English
#: ordinals. Other ``lo_known`` cases (lvlRestart, isLgl, pStyle links) are lost when LibreOffice writes the
#: file, so the file itself numbers as LibreOffice prints it.
FOLLOW_WORD = {"rtf": {"tracked_changes", "moved_text", "footnotes", "empty_numbered"}}
FOLLOW_WORD["doc"] = FOLLOW_WORD["rtf"] | {"unknown_format"}


def _oracle(name: str, theirs: list[str], fmt: str) -> list[str]:
    """LibreOffice's lines, or Word's where the case documents that LibreOffice prints otherwise."""
    case = CASES.get(name)
    if name in FOLLOW_WORD[fmt] and case and case.lo_known and theirs == lines("\n".join(case.lo_known)):
        return lines("\n".join(case.expected))
    return theirs


@pytest.mark.soffice
@pytest.mark.parametrize("name", SUITE)
def test_doc_reads_as_libreoffice_prints_it(name, suite) -> None:
    path = suite[(name, "doc")]
    doc = read_doc_native(str(path), path.read_bytes())
    assert lines(as_text(doc)) == _oracle(name, suite[(name, "lo-doc")], "doc")


@pytest.mark.soffice
@pytest.mark.parametrize("name", SUITE)
def test_rtf_numbers_are_the_ones_its_writer_printed(name, suite) -> None:
    path = suite[(name, "rtf")]
    doc = read_rtf_native(str(path), path.read_bytes())
    assert lines(as_text(doc)) == _oracle(name, suite[(name, "lo-docx")], "rtf")


@pytest.mark.soffice
@pytest.mark.parametrize("name", SUITE)
def test_rtf_differs_from_libreoffice_only_where_libreoffice_differs_from_itself(name, suite) -> None:
    path = suite[(name, "rtf")]
    ours = lines(as_text(read_rtf_native(str(path), path.read_bytes())))
    if ours != suite[(name, "lo-rtf")]:
        if name in FOLLOW_WORD["rtf"]:
            assert ours == lines("\n".join(CASES[name].expected))
        else:
            assert suite[(name, "lo-rtf")] != suite[(name, "lo-docx")]


def _numbered(text_lines: list[str]) -> list[str]:
    return [line for line in text_lines if " " in line and line.split()[0][-1] in ".)•"]


@pytest.mark.soffice
def test_at_least_98_percent_of_numbered_doc_lines_are_libreoffices(suite) -> None:
    total = same = 0
    for name in SUITE:
        path = suite[(name, "doc")]
        ours = set(lines(as_text(read_doc_native(str(path), path.read_bytes()))))
        theirs = _numbered(suite[(name, "lo-doc")])
        total += len(theirs)
        same += sum(1 for line in theirs if line in ours)
    assert total > 1000 and same / total >= 0.98, (same, total)


# ---------------------------------------------------------------- block fields, as the .docx reader gives them


def _fields(doc) -> list[tuple]:
    return [(b.text, b.number, b.level, b.heading, b.table) for b in doc.blocks]


@pytest.mark.parametrize("fmt", ["doc", "rtf"])
@pytest.mark.parametrize("name", list(EXPECTED))
def test_blocks_are_those_of_the_docx_reader(name, fmt) -> None:
    docx = read(LEGACY / f"{name}.docx")
    doc = read_doc_native(name, (LEGACY / f"{name}.doc").read_bytes()) if fmt == "doc" else \
        read_rtf_native(name, (LEGACY / f"{name}.rtf").read_bytes())
    assert _fields(doc) == _fields(docx)
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    assert all(doc.text[b.start:b.stop] == b.text for b in doc.blocks)


def test_table_cells_and_styles_of_a_doc() -> None:
    doc = read_doc_native("mechanic.doc", (LEGACY / "mechanic.doc").read_bytes())
    cells = [(b.text[:12], b.number, b.table) for b in doc.blocks if b.table]
    assert cells == [("Ежедневно", "", (0, 0, 0)), ("Проверяет ис", "2.", (0, 0, 1)), ("Еженедельно", "", (0, 1, 0)),
                     ("Составляет г", "3.", (0, 1, 1)), ("Заказывает з", "4.", (0, 1, 1))]
    heading = next(b for b in doc.blocks if b.text == "Права")
    assert (heading.number, heading.style, heading.heading) == ("III.", "Heading 1", 1)
    assert next(b for b in doc.blocks if b.number == "1.").style == "Пункт обязанностей"


# ---------------------------------------------------------------- old Word styles, with and without LibreOffice


@pytest.mark.parametrize("fmt", ["doc", "rtf"])
@pytest.mark.parametrize("name", list(EXPECTED))
def test_without_libreoffice_numbers_are_kept(name, fmt, monkeypatch) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    doc = read(LEGACY / f"{name}.{fmt}")
    assert (doc.format, doc.reader, doc.warnings) == (fmt, fmt, ())
    assert normalise(as_text(doc)) == list(EXPECTED[name])


@pytest.mark.soffice
@pytest.mark.parametrize("name", list(EXPECTED))
def test_legacy_documents_read_as_libreoffice_prints_them(name) -> None:
    require_soffice()
    paths = {fmt: str(LEGACY / f"{name}.{fmt}") for fmt in ("doc", "rtf", "docx")}
    theirs = {fmt: lines(text) for fmt, text in zip(paths, office.export_text_many(list(paths.values())).values(),
                                                      strict=True)}
    assert lines(as_text(read(paths["doc"]))) == theirs["doc"]
    assert lines(as_text(read(paths["rtf"]))) == theirs["docx"]


def test_a_batch_without_libreoffice_finds_the_numbered_clauses(monkeypatch) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    from pipeline.batch import load_classifier

    for fmt in ("doc", "rtf"):
        result = process_file(LEGACY / f"dispatcher.{fmt}", load_classifier("rules"))
        assert (result.status, result.reader) == ("ok", fmt)
        numbers = {c.number for c in result.clauses}
        assert {"1.1", "2.1", "3.1"} <= {n.rstrip(".") for n in numbers}, numbers


@pytest.mark.soffice
def test_libreoffice_reader_on_request(monkeypatch) -> None:
    require_soffice()
    monkeypatch.setenv("JOBCLAUSES_DOC_READER", "libreoffice")
    for fmt in ("doc", "rtf"):
        doc = read(LEGACY / f"storekeeper.{fmt}")
        assert doc.reader == "libreoffice+docx"
        assert normalise(as_text(doc)) == list(EXPECTED["storekeeper"])


# ---------------------------------------------------------------- bad .doc files: one line each


def _patched_fib(offset: int, value: int, fmt: str = "<H") -> bytes:
    data = bytearray((LEGACY / "storekeeper.doc").read_bytes())
    fib = data.find(b"\xec\xa5")  # the FIB opens the WordDocument stream
    struct.pack_into(fmt, data, fib + offset, value)
    return bytes(data)


def _flags() -> int:
    data = (LEGACY / "storekeeper.doc").read_bytes()
    return struct.unpack_from("<H", data, data.find(b"\xec\xa5") + 10)[0]


BAD_DOCS = [
    pytest.param(lambda: _patched_fib(10, _flags() | 0x0100), "password-protected", id="encrypted-flag"),
    pytest.param(lambda: _patched_fib(10, _flags() | 0x8000), "password-protected", id="obfuscated-flag"),
    pytest.param(lambda: (LEGACY / "storekeeper.doc").read_bytes()[:3000], "corrupt Word file", id="truncated"),
    pytest.param(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8, "corrupt Word file",
                 id="ole-magic-then-junk"),
    pytest.param(lambda: _patched_fib(0, 0x1234), "corrupt Word file", id="no-fib"),
]


@pytest.mark.parametrize("make, reason", BAD_DOCS)
def test_a_bad_doc_fails_with_one_line_without_libreoffice(make, reason, monkeypatch) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    with pytest.raises(ReadError) as error:
        read_bytes("bad.doc", make())
    assert reason in str(error.value) and "\n" not in str(error.value)


@pytest.mark.soffice
@pytest.mark.parametrize("make, reason", BAD_DOCS[:3])
def test_a_bad_doc_fails_with_one_line_with_libreoffice(make, reason) -> None:
    require_soffice()
    with pytest.raises(ReadError) as error:
        read_bytes("bad.doc", make())
    assert reason in str(error.value) and "\n" not in str(error.value)


@pytest.mark.soffice
def test_word_95_falls_back_to_libreoffice_and_says_so() -> None:
    require_soffice()
    doc = read_bytes("old.doc", _patched_fib(2, 101))  # nFib 101: Word 6
    assert doc.reader == "libreoffice+docx"
    assert doc.warnings[0].startswith("native .doc reader: Word 6/95 document")


def test_word_95_without_libreoffice_is_one_line(monkeypatch) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    with pytest.raises(ReadError) as error:
        read_bytes("old.doc", _patched_fib(2, 101))
    assert "Word 6/95" in str(error.value) and "\n" not in str(error.value)


# ---------------------------------------------------------------- RTF, written by hand


def _rtf(body: str, head: str = "") -> bytes:
    fonts = (r"{\fonttbl{\f0\froman\fcharset204 Times New Roman;}{\f1\ftech\fcharset2 Symbol;}"
             r"{\f2\fnil\fcharset2 Wingdings;}{\f3\fmodern\fcharset0 Courier New;}}")
    return (r"{\rtf1\ansi\ansicpg1251\deff0" + fonts + head + body + "}").encode("cp1251")


LIST_TABLE = (r"{\*\listtable{\list\listtemplateid1{\listlevel\levelnfc0\levelstartat1{\leveltext\'02\'00.;}"
              r"{\levelnumbers\'01;}}{\listlevel\levelnfc58\levelstartat1{\leveltext\'02\'01);}{\levelnumbers\'01;}}"
              r"\listid7}}{\*\listoverridetable{\listoverride\listid7\listoverridecount0\ls1}}")

RTF_CASES = [
    pytest.param(r"\pard{\listtext 2.1.\tab}\ls1\ilvl1 Ведёт учёт.\par", [("2.1.", 1, "Ведёт учёт.")],
                 id="listtext"),
    pytest.param(r"\pard{\pntext\f0 3)\tab}{\*\pn\pnlvlbody\pndec\pnstart3{\pntxta )}}Отчитывается.\par",
                 [("3)", 0, "Отчитывается.")], id="pntext-of-word-6-numbering"),
    pytest.param(r"\pard{\listtext\f1 \'b7\tab}\ls1 Первый.\par\pard{\listtext\f3 o\tab}\ls1\ilvl1 Второй.\par"
                 r"\pard{\listtext\f2 \'a7\tab}\ls1\ilvl2 Третий.\par",
                 [("•", 0, "Первый."), ("◦", 1, "Второй."), ("▪", 2, "Третий.")], id="symbol-font-bullets"),
    pytest.param(r"\pard\ls1\ilvl0 Раздел\par\pard\ls1\ilvl1 пункт\par\pard\ls1\ilvl1 пункт\par",
                 [("1.", 0, "Раздел"), ("а)", 1, "пункт"), ("б)", 1, "пункт")], id="list-table-without-listtext"),
    pytest.param(r"\pard \'c2\'e5\'e4\'e5\'f2 \u1091?\u1095?\'e5\'f2.\par", [("", 0, "Ведет учет.")],
                 id="cp1251-bytes-and-unicode-with-fallback"),
    pytest.param(r"\pard\uc2 \u1040\'3f\'3fб\par", [("", 0, "Аб")], id="uc2-skips-two-fallbacks"),
    pytest.param(r"\pard Поле: {\field{\*\fldinst HYPERLINK x}{\fldrslt ссылка}}\par", [("", 0, "Поле: ссылка")],
                 id="field-result-not-instruction"),
    pytest.param(r"\pard видно{\v скрыто} тоже\line вторая\par", [("", 0, "видно тоже\nвторая")],
                 id="hidden-text-and-line-break"),
    pytest.param(r"{\header колонтитул\par}\pard Текст{\footnote сноска}.\par{\*\unknown x}",
                 [("", 0, "Текст.")], id="header-footnote-unknown-destination"),
    pytest.param(r"\trowd\cellx1000\cellx2000\pard\intbl Должность\cell Кладовщик\cell\row"
                 r"\pard После\par", [("", 0, "Должность"), ("", 0, "Кладовщик"), ("", 0, "После")], id="table"),
    pytest.param(r"\pard до {\*\bkmkstart a}{\pict\bin4 }}}}\bin0 }после\par", [("", 0, "до после")],
                 id="binary-picture"),
    pytest.param(r"\pard незакрытая {\b группа\par", [("", 0, "незакрытая группа")], id="unbalanced-braces"),
]


@pytest.mark.parametrize("body, expected", RTF_CASES)
def test_rtf_by_hand(body, expected) -> None:
    doc = read_rtf_native("x.rtf", _rtf(body, LIST_TABLE))
    assert [(b.number, b.level, b.text) for b in doc.blocks] == expected


def test_rtf_table_cells_have_row_and_column() -> None:
    body = (r"\trowd\cellx1000\cellx2000\pard\intbl А\cell Б\cell\row\trowd\cellx1000\pard\intbl В\cell\row"
            r"\pard между\par\trowd\cellx1000\pard\intbl Г\cell\row")
    doc = read_rtf_native("x.rtf", _rtf(body))
    assert [(b.text, b.table) for b in doc.blocks] == [
        ("А", (0, 0, 0)), ("Б", (0, 0, 1)), ("В", (0, 1, 0)), ("между", None), ("Г", (1, 0, 0))]


def test_rtf_without_libreoffice_reads_natively(monkeypatch) -> None:
    monkeypatch.setenv("JOBCLAUSES_SOFFICE", "")
    doc = read_bytes("x.rtf", _rtf(r"\pard{\listtext 1.\tab}\ls1 Пункт.\par", LIST_TABLE))
    assert (doc.reader, doc.encoding, [b.number for b in doc.blocks]) == ("rtf", "cp1251", ["1."])


# ---------------------------------------------------------------- the real RTF files of ../shared/real/rtf


def _real_folder() -> Path | None:
    candidates = [os.environ.get("JOBCLAUSES_SHARED", ""), ROOT.parent / "shared", ROOT.parents[1] / "shared"]
    for base in candidates:
        if base and (Path(base) / "real" / "rtf").is_dir():
            return Path(base) / "real" / "rtf"
    return None


REAL = _real_folder()
REAL_FILES = sorted(p.name for p in REAL.glob("*.rtf")) if REAL else []

#: Where Word's own labels and LibreOffice's re-computation part: what Word wrote, and why we keep it.
REAL_KNOWN = {
    "562.rtf": "Word 2003 wrote \\listtext «III.» … «VII.» for a list override starting at 3 "
               "(\\listoverridestartat\\levelstartat3) and none for a heading of the list's style that it does not "
               "number; LibreOffice 7.4 ignores the override (II. … V.) and numbers that heading (VI.)",
}


def test_the_real_rtf_folder_is_there() -> None:
    if REAL is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("../shared/real/rtf is missing: CI must have shared/ beside the checkout")
        pytest.skip("../shared/real/rtf is not beside this checkout: the 56 real RTF files are not compared here")
    assert len(REAL_FILES) == 56


@pytest.fixture(scope="module")
def real_lo() -> dict[str, list[str]]:
    require_soffice()
    assert REAL is not None
    texts = office.export_text_many([str(REAL / name) for name in REAL_FILES])
    return {Path(p).name: lines(t) for p, t in texts.items() if isinstance(t, str)}


@pytest.mark.soffice
@pytest.mark.parametrize("name", REAL_FILES)
def test_real_rtf_numbers_as_libreoffice_prints_them(name, real_lo) -> None:
    path = REAL / name  # type: ignore[operator]
    ours = lines(as_text(read_rtf_native(str(path), path.read_bytes())))
    theirs = real_lo[name]
    if name not in REAL_KNOWN:
        assert ours == theirs
        return
    # Same paragraphs; only labels differ: another label, or LibreOffice's where Word wrote none.
    assert len(ours) == len(theirs)
    differ = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    assert differ and all(a.split(" ", 1)[1:] == b.split(" ", 1)[1:] or b.split(" ", 1)[1:] == [a]
                          for a, b in differ)


# ---------------------------------------------------------------- 8-bit (compressed) text pieces


def compressed(doc: bytes, codec: str, lid: int, tmp: Path) -> bytes:
    """The same .doc with its one UTF-16 piece stored as 8-bit text in ``codec`` (as Word stores text that fits
    in one byte a character, and older writers stored Russian in cp1251), and the language ``lid``.

    The text is written over the start of the old piece; the piece descriptor gets fCompressed and the byte
    offset times two; the FCs of the paragraph and character property pages are mapped to the new offsets.
    """
    import olefile

    from pipeline.readers import doc as native

    path = tmp / "compressed.doc"
    path.write_bytes(doc)
    ole = olefile.OleFileIO(str(path), write_mode=True)
    word = bytearray(ole.openstream("WordDocument").read())
    fib = native.parse_fib(bytes(word))
    table_name = "1Table" if fib.flags & 0x0200 else "0Table"
    table = bytearray(ole.openstream(table_name).read())
    pieces, _ = native.parse_pieces(bytes(table), *fib.get(native.FC_CLX))
    (piece,) = pieces
    fc0, count = piece.fc, piece.cp_end - piece.cp
    text = bytes(word[fc0:fc0 + 2 * count]).decode("utf-16-le")
    word[fc0:fc0 + count] = text.encode(codec)

    def moved(fc: int) -> int:
        return fc0 + (fc - fc0) // 2 if fc0 <= fc <= fc0 + 2 * count else fc

    for index in (native.FC_PLCFBTEPAPX, native.FC_PLCFBTECHPX):
        for pn in native._bte_pages(bytes(table), *fib.get(index)):
            crun = word[pn * 512 + 511]
            for i in range(crun + 1):
                at = pn * 512 + 4 * i
                struct.pack_into("<I", word, at, moved(struct.unpack_from("<I", word, at)[0]))
    clx_fc, clx_lcb = fib.get(native.FC_CLX)
    pcd = clx_fc + clx_lcb - 8  # the one piece descriptor ends the Clx
    struct.pack_into("<I", table, pcd + 2, (fc0 * 2) | 0x40000000)
    struct.pack_into("<H", word, 6, lid)
    ole.write_stream("WordDocument", bytes(word))
    ole.write_stream(table_name, bytes(table))
    ole.close()
    return path.read_bytes()


@pytest.mark.parametrize("name, codec, lid, encoding", [
    ("storekeeper", "cp1251", 0x0419, "utf-16+cp1251"),  # Russian stored as 8-bit cp1251 in a Russian document
    ("dispatcher", "cp1251", 0x0419, "utf-16+cp1251"),
])
def test_compressed_cyrillic_pieces(name, codec, lid, encoding, tmp_path) -> None:
    data = compressed((LEGACY / f"{name}.doc").read_bytes(), codec, lid, tmp_path)
    doc = read_doc_native(name, data)
    assert doc.encoding == encoding
    assert normalise(as_text(doc)) == list(EXPECTED[name])


@pytest.mark.soffice
def test_compressed_western_piece_is_cp1252_in_a_russian_document(tmp_path) -> None:
    try:
        from docxgen import docx_bytes, para
    except ImportError:
        from tests.docxgen import docx_bytes, para

    require_soffice()  # LibreOffice makes the .doc
    source = tmp_path / "latin.docx"
    source.write_bytes(docx_bytes(para("Café «menu» — 2 €") + para("Second line.")))
    data = office.convert_many([str(source)], to="doc")[str(source)]
    assert isinstance(data, bytes)
    doc = read_doc_native("latin.doc", compressed(data, "cp1252", 0x0419, tmp_path))
    assert (doc.encoding, [b.text for b in doc.blocks]) == ("utf-16+cp1252", ["Café «menu» — 2 €", "Second line."])


# ---------------------------------------------------------------- list tables of a .doc, built by hand


def _lvl(text: str, nfc: int = 0, start: int = 1, places: tuple[int, ...] = (), flags: int = 0,
         restart_lim: int = 0) -> bytes:
    """An LVL: LVLF, no grpprls, the number text (placeholders are characters 0-8)."""
    nums = bytes(places) + bytes(9 - len(places))
    lvlf = struct.pack("<iBB9sBiiBBBB", start, nfc, flags, nums, 0, 0, 0, 0, 0, restart_lim, 0)
    return lvlf + struct.pack("<H", len(text)) + text.encode("utf-16-le")


def _lists(levels: list[bytes], lfos: list[tuple[int, list[tuple[int, int, bytes | None]]]]) -> bytes:
    """A PlfLst with one list (lsid 77, nine levels) followed by its LVLs, then a PlfLfo: each LFO is
    (lsid, [(ilvl, start or -1, LVL or None)])."""
    lstf = struct.pack("<ii9HBB", 77, 0, *([0x0FFF] * 9), 0, 0)
    plflst = struct.pack("<h", 1) + lstf + b"".join(levels)
    plflfo = struct.pack("<i", len(lfos))
    plflfo += b"".join(struct.pack("<iiiBBBB", lsid, 0, 0, len(over), 0, 0, 0) for lsid, over in lfos)
    for _, over in lfos:
        plflfo += struct.pack("<I", 0xFFFFFFFF)
        for ilvl, start, lvl in over:
            flags = ilvl | (0x10 if start >= 0 else 0) | (0x20 if lvl is not None else 0)
            plflfo += struct.pack("<iI", max(start, 0), flags) + (lvl or b"")
    return plflst + plflfo


def _model(levels, lfos):
    from pipeline.readers.doc import FC_PLFLFO, FC_PLFLST, Fib, parse_lists

    table = _lists(levels, lfos)
    lfo_at = len(_lists(levels, [])) - 4  # the PlfLfo starts after the LVLs (an empty one is 4 bytes)
    fclcb = [(0, 0)] * 75
    fclcb[FC_PLFLST] = (0, 2 + 28)  # the PlfLst's lcb covers its LSTFs, not the LVLs that follow
    fclcb[FC_PLFLFO] = (lfo_at, len(table) - lfo_at)
    return parse_lists(table, Fib(0xC1, 0x0419, 0, 0, fclcb), [])


NINE = [_lvl("\x00.", places=(1,))] + [_lvl("".join(f"{chr(k)}." for k in range(i + 1)), places=tuple(
    range(1, 2 * i + 2, 2))) for i in range(1, 9)]


@pytest.mark.parametrize("lfos, paragraphs, labels", [
    pytest.param([(77, [])], [(1, 0), (1, 1), (1, 1), (1, 0)], ["1.", "1.1.", "1.2.", "2."], id="one-lfo"),
    pytest.param([(77, []), (77, [(0, 5, None)])], [(1, 0), (1, 0), (2, 0), (2, 0), (1, 0)],
                 ["1.", "2.", "5.", "6.", "7."], id="start-override-restarts-the-shared-list"),
    pytest.param([(77, []), (77, [(0, -1, _lvl("Статья \x00", places=(8,)))])], [(1, 0), (2, 0), (1, 0)],
                 ["1.", "Статья 2", "3."], id="formatting-override-keeps-counting"),
    pytest.param([(77, [(1, 3, None)])], [(1, 0), (1, 1), (1, 1)], ["1.", "1.3.", "1.4."],
                 id="override-on-level-2"),
])
def test_doc_list_tables(lfos, paragraphs, labels) -> None:
    from pipeline.readers.numbering import Numberer

    numberer = Numberer(_model(NINE, lfos))
    assert [numberer.label(str(ilfo), ilvl) for ilfo, ilvl in paragraphs] == labels


@pytest.mark.parametrize("level, counts, labels", [
    pytest.param(_lvl("\x01)", nfc=58, places=(1,)), 3, ["а)", "б)", "в)"], id="russian-lower"),
    pytest.param(_lvl("\x01.", nfc=59, places=(1,)), 2, ["А.", "Б."], id="russian-upper"),
    pytest.param(_lvl("\x01.", nfc=1, start=4, places=(1,)), 2, ["IV.", "V."], id="upper-roman-from-4"),
    pytest.param(_lvl("\x01", nfc=22, start=9, places=(1,)), 2, ["09", "10"], id="leading-zero"),
    pytest.param(_lvl("\x00.\x01.", places=(1, 3), flags=0x04), 2, ["1.1.", "1.2."], id="legal"),
    pytest.param(_lvl("\uf0a7", nfc=23), 2, ["▪", "▪"], id="bullet-in-the-private-area"),
    pytest.param(_lvl("", nfc=255), 2, ["", ""], id="no-number"),
])
def test_doc_level_formats(level, counts, labels) -> None:
    from pipeline.readers.numbering import Numberer

    levels = [NINE[0], level, *NINE[2:]]
    numberer = Numberer(_model(levels, [(77, [])]))
    numberer.label("1", 0)
    assert [numberer.label("1", 1) for _ in range(counts)] == labels


def test_doc_level_restart_limit() -> None:
    from pipeline.readers.numbering import Numberer

    # Level 3 restarts after level 1 only (fNoRestart, ilvlRestartLim 1), Word's «Restart list after level 1».
    levels = [*NINE[:2], _lvl("\x00.\x01.\x02.", places=(1, 3, 5), flags=0x08, restart_lim=1), *NINE[3:]]
    numberer = Numberer(_model(levels, [(77, [])]))
    labels = [numberer.label("1", ilvl) for ilvl in (0, 1, 2, 1, 2, 0, 1, 2)]
    assert labels == ["1.", "1.1.", "1.1.1.", "1.2.", "1.2.2.", "2.", "2.1.", "2.1.1."]
