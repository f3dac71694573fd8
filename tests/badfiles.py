"""Generators of bad input files for the bad-input suite and the fuzzer.

Every function returns the bytes of one file (or writes it, when the case is about the file system rather
than the bytes). The texts are written for these tests; none is copied from a real document.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

from docxgen import abstract, decimal_levels, docx_bytes, lvl, num, para

#: A short job description the pipeline reads as one instruction with seven clauses.
GOOD_INSTRUCTION = """ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ЛАБОРАНТА

1. Общие положения
1.1. Лаборант относится к категории технических исполнителей.
1.2. Лаборант подчиняется заведующему лабораторией.
2. Должностные обязанности
Лаборант обязан:
2.1. Готовить реактивы и посуду к анализам.
2.2. Вести журнал учета проб.
3. Права
3.1. Лаборант имеет право получать информацию, необходимую для работы.
4. Ответственность
4.1. Лаборант несет ответственность за порчу оборудования.
"""

#: A second instruction, so that a bad file's own good part can be told from the good file's clauses.
OTHER_INSTRUCTION = """Должностная инструкция кладовщика

1. Общие положения
1.1. Кладовщик назначается на должность приказом директора.
2. Должностные обязанности
2.1. Принимает товары на склад по накладным.
2.2. Проводит инвентаризацию остатков.
3. Ответственность
3.1. Кладовщик несет ответственность за сохранность товаров.
"""

RECIPE = """Шарлотка с яблоками

Ингредиенты: четыре яйца, стакан сахара, стакан муки, три яблока.
1. Взбейте яйца с сахаром до пышной пены.
2. Аккуратно вмешайте муку.
3. Нарежьте яблоки дольками и выложите в форму.
4. Залейте тестом и выпекайте сорок минут при температуре 180 градусов.
Приятного аппетита!
"""

CONTRACT = """ДОГОВОР ПОСТАВКИ № 17

г. Самара                                                   «12» марта 2024 г.

Общество с ограниченной ответственностью «Ромашка», именуемое в дальнейшем «Поставщик», с одной стороны,
и индивидуальный предприниматель Петров П. П., именуемый в дальнейшем «Покупатель», с другой стороны,
заключили настоящий договор о нижеследующем.

1. Предмет договора
1.1. Поставщик обязуется передать Покупателю товар, а Покупатель обязуется принять и оплатить его.
1.2. Наименование и количество товара указываются в спецификации.
2. Цена и порядок расчетов
2.1. Цена товара указывается в счете Поставщика.
2.2. Оплата производится в течение десяти банковских дней.
3. Ответственность сторон
3.1. За просрочку оплаты Покупатель уплачивает пеню в размере 0,1 % за каждый день просрочки.
3.2. Споры разрешаются в арбитражном суде по месту нахождения Поставщика.
4. Реквизиты и подписи сторон
"""

ENGLISH = """Quarterly report on the warehouse

The warehouse received 1,240 pallets in the third quarter, eight percent more than planned.
Two forklifts were replaced. Staff turnover stayed below five percent.
1. Inbound volume grew in every month of the quarter.
2. Outbound shipments were delayed twice by the carrier.
3. The inventory count found no significant discrepancies.
"""

#: A clause text for every character that starts a spreadsheet formula.
FORMULA_CLAUSES = (
    "=СУММ(A1:A9) вносит в сводную таблицу остатков.",
    "+7 (900) 000-00-00 указывает в заявке как контактный телефон.",
    "-5 градусов поддерживает в холодильной камере.",
    "@HYPERLINK выгружает из учетной системы в конце смены.",
)

FORMULA_INSTRUCTION = """ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ОПЕРАТОРА СКЛАДА

1. Общие положения
1.1. Оператор склада подчиняется начальнику склада.
2. Должностные обязанности
""" + "".join(f"2.{k}. {text}\n" for k, text in enumerate(FORMULA_CLAUSES, start=1)) + """3. Права
3.1. Оператор склада имеет право запрашивать сведения у других отделов.
"""


def good() -> bytes:
    return GOOD_INSTRUCTION.encode("utf-8")


# ---- text ------------------------------------------------------------------------------------------------


def empty() -> bytes:
    return b""


def whitespace_only() -> bytes:
    return b"  \r\n\t\n   \n\n \t \r\n" * 50


def unicode_spaces_only() -> bytes:
    """No-break, thin and ideographic spaces and zero-width marks: blank to a person, not to ``bytes.strip``."""
    return ("\u00a0\u2009\u3000\u200b\ufeff\n" * 40).encode("utf-8")


def binary_junk(size: int = 64 * 1024, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def high_byte_junk(size: int = 8 * 1024, seed: int = 7) -> bytes:
    """Random bytes above 0x7F and no NUL: every Cyrillic code page decodes them, none into words."""
    rnd = random.Random(seed)
    return bytes(rnd.randrange(0x80, 0x100) for _ in range(size))


def invalid_utf8() -> bytes:
    """UTF-8 lead bytes without their continuations and stray continuation bytes, between ASCII words.

    In cp1251 they are quotes and marks (0x98 is undefined), in koi8-r and cp866 box drawing: no code page
    reads them as text.
    """
    junk = b"\xc3\x28 \xe2\x28\xa1 \xf0\x28\x8c\xbc \x80\x81 \xbf\xbe \xf8\xa1\xa1\xa1\xa1 \xfe\xff "
    return (b"data " + junk) * 400


def mixed_encodings() -> bytes:
    """The first instruction saved as UTF-8, the second appended in cp1251 (a file pasted together)."""
    return GOOD_INSTRUCTION.encode("utf-8") + b"\n" + OTHER_INSTRUCTION.encode("cp1251")


def nul_padded() -> bytes:
    """A text followed by the NUL padding an editor leaves after a crash."""
    return GOOD_INSTRUCTION.encode("utf-8") + b"\x00" * 4096


def nul_sprinkled() -> bytes:
    """A NUL byte at the end of every line (a broken export)."""
    return b"\x00\n".join(line.encode("utf-8") for line in GOOD_INSTRUCTION.splitlines())


def huge_text(megabytes: int = 50, seed: int = 3) -> bytes:
    """An instruction at the top of ``megabytes`` MB of ordinary Russian prose (a pasted-together archive).

    Built from one 1 MB block of random sentences repeated, so that it takes well under a second to make.
    """
    words = ("склад учет товар документ приказ директор отчет журнал проверка контроль сотрудник смена "
             "поставка накладная остаток клиент заявка договор").split()
    rnd = random.Random(seed)
    lines, size = [], 0
    while size < 1 << 20:
        line = " ".join(rnd.choice(words) for _ in range(rnd.randint(4, 24))).capitalize() + "."
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
    block = ("\n".join(lines) + "\n").encode("utf-8")
    head = GOOD_INSTRUCTION.encode("utf-8") + b"\n"
    return head + block * ((megabytes * (1 << 20) - len(head)) // len(block) + 1)


def one_long_line(megabytes: int = 5, seed: int = 5) -> bytes:
    """One line of ``megabytes`` MB: sentences, numbers, colons, semicolons and runs of spaces and dots.

    The mix feeds every marker and list pattern of the segmenter something that almost matches.
    """
    rnd = random.Random(seed)
    pieces = ["Ведет учет", "1.1.", "2)", "а)", "— ", ":", ";", " ", "   ", "....", "1.1.1.1.1.1.1", "ДОЛЖЕН ЗНАТЬ:",
              "обязан", "«", "»", "(", ")", "**", "-", "•", "Права", "IV.", "0" * 40]
    out: list[str] = []
    size = 0
    target = megabytes * (1 << 20)
    while size < target:
        chunk = "".join(rnd.choice(pieces) for _ in range(200))
        out.append(chunk)
        size += len(chunk.encode("utf-8"))
    return "".join(out).encode("utf-8")


def one_huge_clause(megabytes: int = 1) -> bytes:
    """A good instruction whose requirement clause goes on for ``megabytes`` MB on one line: words the facts
    grammars look for (education, experience, a superior), repeated."""
    phrase = ("высшее профессиональное образование и стаж работы не менее 3 лет в должности, подчиняется "
              "заведующему лабораторией, ")
    clause = "1.3. На должность лаборанта назначается лицо, имеющее " + phrase * (megabytes * (1 << 20) // len(
        phrase.encode("utf-8")) + 1)
    lines = GOOD_INSTRUCTION.splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("2."))
    return "\n".join([*lines[:at], clause.rstrip(", ") + ".", *lines[at:]]).encode("utf-8") + b"\n"


def deep_list_text(levels: int = 200) -> bytes:
    """An instruction whose duties nest ``levels`` deep, alternating numbers and bullets, indented."""
    lines = ["ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ ДИСПЕТЧЕРА", "", "1. Общие положения",
             "1.1. Диспетчер подчиняется начальнику смены.", "2. Должностные обязанности", "Диспетчер обязан:"]
    for k in range(1, levels + 1):
        marker = ".".join(["2"] + ["1"] * min(k, 5)) + "." if k % 2 else "-"
        lines.append("  " * k + f"{marker} Проверяет журнал номер {k} и передает его смене;")
    lines += ["3. Права", "3.1. Диспетчер имеет право получать сведения от служб."]
    return ("\n".join(lines) + "\n").encode("utf-8")


def deep_list_html(levels: int = 200) -> bytes:
    """200 nested ``<ul>`` lists under a duties heading."""
    opening = "".join(f"<ul><li>Проверяет журнал номер {k};" for k in range(1, levels + 1))
    closing = "</li></ul>" * levels
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        "<h1>Должностная инструкция диспетчера</h1><h2>1. Общие положения</h2>"
        "<p>1.1. Диспетчер подчиняется начальнику смены.</p><h2>2. Должностные обязанности</h2>"
        f"<p>Диспетчер обязан:</p>{opening}{closing}</body></html>"
    ).encode()


def html_named_doc() -> bytes:
    """A web page saved under a .doc name (Word's «Save as web page» renamed, or a download)."""
    items = "".join(f"<li>{line[5:]}</li>" for line in GOOD_INSTRUCTION.splitlines() if line[:2] == "2.")
    return (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1251'></head><body>"
        "<h1>Должностная инструкция лаборанта</h1>"
        "<h2>1. Общие положения</h2><p>1.1. Лаборант подчиняется заведующему лабораторией.</p>"
        f"<h2>2. Должностные обязанности</h2><p>Лаборант обязан:</p><ol>{items}</ol>"
        "<h2>3. Права</h2><p>3.1. Лаборант имеет право получать информацию, необходимую для работы.</p>"
        "</body></html>"
    ).encode("cp1251")


def blank_html() -> bytes:
    """A page with markup, a title, a script and a style but nothing a reader of the page would see."""
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Должностная инструкция</title>"
            "<style>p { color: red; }</style><script>var x = 'Ведет учет';</script></head>"
            "<body><div><p> </p><p>&nbsp;</p><table><tr><td></td></tr></table></div></body></html>").encode()


def pdf_named_doc() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# ---- Word ------------------------------------------------------------------------------------------------


def good_docx() -> bytes:
    return docx_bytes("".join(para(line) for line in GOOD_INSTRUCTION.splitlines() if line))


def blank_docx() -> bytes:
    """A Word file as a new blank document saves it: empty paragraphs, no text."""
    return docx_bytes(para() + para() + para())


def huge_list_start(fmt: str = "russianLower", start: int = 10**15) -> bytes:
    """A numbered list that starts at ``start`` (Word's own limit is 32767): the letter label of 10**15 would
    be a 34 TB string."""
    numbering = abstract(1, lvl(0, fmt=fmt, text="%1)", start=start)) + num(1, 1)
    body = "".join(para(line) for line in GOOD_INSTRUCTION.splitlines()[:6] if line)
    return docx_bytes(body + para("Готовит реактивы к анализам;", num="1", ilvl=0), numbering=numbering)


def deep_list_docx(levels: int = 200) -> bytes:
    """A Word list whose items go ``levels`` levels deep (Word defines levels 0-8: the rest have no number)."""
    numbering = abstract(1, decimal_levels(9)) + num(1, 1)
    body = "".join(para(line) for line in GOOD_INSTRUCTION.splitlines()[:6] if line)
    items = "".join(para(f"Проверяет журнал номер {k};", num="1", ilvl=k) for k in range(1, levels + 1))
    return docx_bytes(body + items, numbering=numbering)


def corrupt_docx() -> bytes:
    """A real .docx cut in half: the local headers are there, the central directory is not."""
    data = good_docx()
    return data[: len(data) // 2]


def garbage_after_zip_magic(seed: int = 11) -> bytes:
    return b"PK\x03\x04" + random.Random(seed).randbytes(4000)


def zip_bomb_huge_member(megabytes: int = 300) -> bytes:
    """A .docx whose document.xml unpacks to ``megabytes`` MB of empty paragraphs (about 1 MB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:  # level 1: 3x faster
        for name, part in _docx_parts(good_docx()).items():
            if name != "word/document.xml":
                z.writestr(name, part)
        chunk = b"<w:p/>" * (1 << 17)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body>')
            for _ in range(megabytes * (1 << 20) // len(chunk)):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return buffer.getvalue()


def zip_bomb_lying_sizes(megabytes: int = 150) -> bytes:
    """A .docx whose document.xml says it unpacks to 2 kB but unpacks to ``megabytes`` MB.

    The declared sizes are patched in the local header and the central directory, so that a reader that
    trusts them and checks only the totals lets the member through.
    """
    data = bytearray(zip_bomb_huge_member(megabytes))
    name = b"word/document.xml"
    local = _find_header(data, b"PK\x03\x04", 26, 30, name)
    central = _find_header(data, b"PK\x01\x02", 28, 46, name)
    _patch_size(data, local + 22, local + 30 + len(name), struct.unpack_from("<H", data, local + 28)[0])
    _patch_size(data, central + 24, central + 46 + len(name), struct.unpack_from("<H", data, central + 30)[0])
    return bytes(data)


def _find_header(data: bytearray, signature: bytes, name_len_at: int, name_at: int, name: bytes) -> int:
    """The offset of the zip header with ``signature`` that names ``name``."""
    at = data.find(signature)
    while at >= 0:
        length = struct.unpack_from("<H", data, at + name_len_at)[0]
        if data[at + name_at: at + name_at + length] == name:
            return at
        at = data.find(signature, at + 4)
    raise ValueError(f"no header for {name!r}")


def _patch_size(data: bytearray, size_at: int, extra_at: int, extra_len: int, size: int = 2048) -> None:
    """Declare ``size`` as the uncompressed size: in the header, or in its zip64 extra field when it has one."""
    if struct.unpack_from("<I", data, size_at)[0] != 0xFFFFFFFF:
        struct.pack_into("<I", data, size_at, size)
        return
    end = extra_at + extra_len
    while extra_at + 4 <= end:
        tag, length = struct.unpack_from("<HH", data, extra_at)
        if tag == 0x0001:  # zip64: the uncompressed size comes first
            struct.pack_into("<Q", data, extra_at + 4, size)
            return
        extra_at += 4 + length
    raise ValueError("no zip64 extra field")


def bad_deflate(parts: dict[str, bytes], broken: str) -> bytes:
    """A zip of ``parts`` whose member ``broken`` has an invalid deflate stream (its first block type is 11).

    zlib raises ``zlib.error`` on it before any checksum is checked: a reader that expects only
    ``BadZipFile`` lets it through.
    """
    data = bytearray(_zip(parts))
    name = broken.encode()
    local = _find_header(data, b"PK\x03\x04", 26, 30, name)
    name_len, extra_len = struct.unpack_from("<HH", data, local + 26)
    data[local + 30 + name_len + extra_len] = 0xFF
    return bytes(data)


def docx_bad_deflate() -> bytes:
    """A .docx whose word/document.xml cannot be inflated."""
    return bad_deflate(_docx_parts(good_docx()), "word/document.xml")


def office_zip_bad_deflate() -> bytes:
    """A zip named .docx with no Word body and a [Content_Types].xml that cannot be inflated (the sniffer reads it)."""
    parts = _docx_parts(good_docx())
    del parts["word/document.xml"]
    return bad_deflate(parts, "[Content_Types].xml")


def zip_bomb_many_members(members: int = 20000) -> bytes:
    """A .docx with ``members`` tiny extra parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for name, part in _docx_parts(good_docx()).items():
            z.writestr(name, part)
        for k in range(members):
            z.writestr(f"customXml/item{k}.xml", b"<a/>")
    return buffer.getvalue()


def entity_bomb_docx(depth: int = 10) -> bytes:
    """«Billion laughs» inside word/document.xml: ten levels of ten references each."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{k} "{("&lol" + str(k - 1) + ";") * 10}">' for k in range(1, depth)
    ]
    document = (
        '<?xml version="1.0"?>\n<!DOCTYPE w:document [' + "".join(entities) + "]>\n"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"<w:p><w:r><w:t>&lol{depth - 1};</w:t></w:r></w:p></w:body></w:document>"
    )
    parts = _docx_parts(good_docx())
    parts["word/document.xml"] = document.encode("utf-8")
    return _zip(parts)


def external_entity_docx() -> bytes:
    """An XXE: document.xml pulls /etc/passwd into a paragraph through an external entity."""
    document = (
        '<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    parts = _docx_parts(good_docx())
    parts["word/document.xml"] = document.encode("utf-8")
    return _zip(parts)


def nested_tables_docx(levels: int = 200) -> bytes:
    """A table in a cell of a table, ``levels`` deep, with a duty in the innermost cell."""
    inner = para("Проверяет журнал учета проб.")
    for _ in range(levels):
        inner = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    return docx_bytes("".join(para(line) for line in GOOD_INSTRUCTION.splitlines() if line) + inner)


def _docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in parts.items():
            z.writestr(name, part)
    return buffer.getvalue()


# ---- an encrypted Office file: a Compound File (OLE2) holding EncryptionInfo and EncryptedPackage ---------

_SECTOR = 512
_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = -1, right: int = -1) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBiii16sIQQIQ",
        encoded, len(encoded), kind, 1,  # 1: black in the red-black tree of names
        -1, right, child,  # left sibling, right sibling, child
        b"\0" * 16, 0, 0, 0,  # class id, state bits, creation and modification times
        start & 0xFFFFFFFF, size,
    )


def encrypted_office(seed: int = 13) -> bytes:
    """What Word writes for a password-protected .docx: an OLE container, not a zip.

    Two 4 kB streams (so that both live in regular sectors and no mini stream is needed): EncryptionInfo
    with an agile-encryption header, EncryptedPackage with random bytes.
    """
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>'
    )
    info = info.ljust(4096, b"\0")
    package = struct.pack("<Q", 20000) + random.Random(seed).randbytes(4096 - 8)
    per_stream = 4096 // _SECTOR
    # sector 0: the FAT; sector 1: the directory; then the two streams
    fat = [_FAT, _END]
    for first in (2, 2 + per_stream):
        fat += [first + k + 1 for k in range(per_stream - 1)] + [_END]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    directory = (
        _dir_entry("Root Entry", 5, _END, 0, child=1)
        # names are ordered by length first: EncryptionInfo (14) < EncryptedPackage (16)
        + _dir_entry("EncryptionInfo", 2, 2, len(info), right=2)
        + _dir_entry("EncryptedPackage", 2, 2 + per_stream, len(package))
        + _dir_entry("", 0, 0, 0)
    )
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, 1, 1, 0, 4096, _END, 0, _END, 0,  # dir sectors, FAT sectors, first dir sector, transaction,
    ) + struct.pack("<109I", 0, *([_FREE] * 108))  # cutoff, mini FAT, DIFAT: the FAT is sector 0
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + info + package


# ---- the file system -------------------------------------------------------------------------------------


def make_symlink_loops(folder: Path) -> list[Path]:
    """A folder link to its own parent and two file links to each other; returns the file links."""
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    a, b = folder / "петля a.txt", folder / "петля b.txt"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    return [a, b]
