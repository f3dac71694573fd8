"""Write real .docx files with chosen document.xml, numbering.xml, styles.xml and footnotes.xml.

The helpers return WordprocessingML fragments as strings; :func:`docx_bytes` wraps a body in a
complete package Word and LibreOffice open.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
</Types>"""

PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>
</Relationships>"""

DEFAULT_STYLES = [
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>',
]


def _xml(root: str, inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{root} {NS}>{inner}</w:{root}>'


def docx_bytes(body: str, numbering: str | None = None, styles: str | None = None,
               footnotes: str | None = None) -> bytes:
    """A complete .docx whose body is ``body`` (paragraph and table XML)."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": _xml("document", f"<w:body>{body}<w:sectPr/></w:body>"),
        "word/styles.xml": _xml("styles", styles if styles is not None else "".join(DEFAULT_STYLES)),
    }
    rels = [f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>']
    if numbering is not None:
        parts["word/numbering.xml"] = _xml("numbering", numbering)
        rels.append(f'<Relationship Id="rIdN" Type="{REL}/numbering" Target="numbering.xml"/>')
    if footnotes is not None:
        parts["word/footnotes.xml"] = _xml("footnotes", footnotes)
        rels.append(f'<Relationship Id="rIdF" Type="{REL}/footnotes" Target="footnotes.xml"/>')
    parts["word/_rels/document.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels) + "</Relationships>")
    return zip_bytes(parts)


def zip_bytes(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def with_fixed_times(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The same package with every member dated ``date_time``, so that a corpus script writes the same bytes
    on every run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def convert_with_libreoffice(data: bytes, out, fmt: str, profile: str) -> None:
    """Write ``data`` (a .docx) as ``out`` in ``fmt`` (odt, doc, rtf) through LibreOffice, with a private
    profile (``-env:UserInstallation=file:///…``) so that it runs beside another soffice."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (out.stem + ".docx")
        src.write_bytes(data)
        subprocess.run([shutil.which("soffice") or "soffice", profile, "--headless", "--convert-to", fmt,
                        "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=180)
        shutil.copyfile(Path(tmp) / (out.stem + "." + fmt), out)


# ---------------------------------------------------------------- document.xml


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def bold(text: str) -> str:
    return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(text: str = "", num: str | None = None, ilvl: int | None = None, style: str | None = None,
         outline: int | None = None, runs: str | None = None) -> str:
    """A paragraph; ``num``/``ilvl`` give it a numPr, ``runs`` replaces the plain text run."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None or ilvl is not None:
        ppr += "<w:numPr>"
        if ilvl is not None:
            ppr += f'<w:ilvl w:val="{ilvl}"/>'
        if num is not None:
            ppr += f'<w:numId w:val="{num}"/>'
        ppr += "</w:numPr>"
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    content = runs if runs is not None else (run(text) if text else "")
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{content}</w:p>"


def table(rows: list[list[str]]) -> str:
    """A table; each cell is paragraph XML (a string of one or more ``para``)."""
    cols = max(len(r) for r in rows)
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(cols))
    trs = "".join("<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{c}</w:tc>'
                                     for c in row) + "</w:tr>" for row in rows)
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{trs}</w:tbl>'


# ---------------------------------------------------------------- numbering.xml


def lvl(ilvl: int, fmt: str = "decimal", text: str = "%1.", start: int | None = 1, restart: int | None = None,
        legal: bool = False, suff: str | None = None, pstyle: str | None = None, font: str | None = None) -> str:
    parts = [f'<w:lvl w:ilvl="{ilvl}">']
    if start is not None:
        parts.append(f'<w:start w:val="{start}"/>')
    parts.append(f'<w:numFmt w:val="{fmt}"/>')
    if restart is not None:
        parts.append(f'<w:lvlRestart w:val="{restart}"/>')
    if pstyle:
        parts.append(f'<w:pStyle w:val="{pstyle}"/>')
    if legal:
        parts.append("<w:isLgl/>")
    if suff:
        parts.append(f'<w:suff w:val="{suff}"/>')
    parts.append(f'<w:lvlText w:val="{escape(text, {chr(34): "&quot;"})}"/><w:lvlJc w:val="left"/>')
    parts.append(f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr>')
    if font:
        parts.append(f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>')
    parts.append("</w:lvl>")
    return "".join(parts)


def decimal_levels(n: int = 3) -> str:
    """Levels ``%1.``, ``%1.%2.``, ``%1.%2.%3.`` ..."""
    return "".join(lvl(i, text="".join(f"%{k + 1}." for k in range(i + 1))) for i in range(n))


def abstract(aid: int, levels: str, style_link: str | None = None, num_style_link: str | None = None) -> str:
    links = ""
    if style_link:
        links += f'<w:styleLink w:val="{style_link}"/>'
    if num_style_link:
        links += f'<w:numStyleLink w:val="{num_style_link}"/>'
    return (f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>'
            f"{links}{levels}</w:abstractNum>")


def num(num_id: int, aid: int, starts: dict[int, int] | None = None, levels: dict[int, str] | None = None) -> str:
    overrides = ""
    for ilvl in sorted(set(starts or {}) | set(levels or {})):
        inner = ""
        if starts and ilvl in starts:
            inner += f'<w:startOverride w:val="{starts[ilvl]}"/>'
        if levels and ilvl in levels:
            inner += levels[ilvl]
        overrides += f'<w:lvlOverride w:ilvl="{ilvl}">{inner}</w:lvlOverride>'
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


# ---------------------------------------------------------------- styles.xml


def style(sid: str, name: str, based_on: str | None = None, num: str | None = None, ilvl: int | None = None,
          outline: int | None = None, kind: str = "paragraph") -> str:
    ppr = ""
    if num is not None or ilvl is not None:
        ppr += "<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "")
        ppr += (f'<w:numId w:val="{num}"/>' if num is not None else "") + "</w:numPr>"
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    return (f'<w:style w:type="{kind}" w:styleId="{sid}"><w:name w:val="{escape(name)}"/>'
            + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
            + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + "</w:style>")


def styles(*items: str) -> str:
    return "".join(DEFAULT_STYLES) + "".join(items)
