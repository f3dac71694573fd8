"""Build 05_inzhener-ekolog_docx-numbering.docx of the fifth holdout set and its gold file.

The .docx bytes are the same on every run (every zip member is dated FIXED_TIME). Section, clause and item
numbers come from Word automatic numbering (numbering.xml: ``1.`` sections at level 0, ``1.1.`` clauses at
level 1, ``2.1.1.`` items at level 2) and the rights are an em-dash bullet list; no number is typed in the
text. The gold file is written from the same table of paragraphs, with each clause's number as Word shows it
(without the trailing dot). Run from the repository root: ``.venv/bin/python corpora/holdout5/make_docx.py``.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from docxgen import abstract, docx_bytes, lvl, num, para, table  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "05_inzhener-ekolog_docx-numbering.docx"
GOLD = HERE / "05_inzhener-ekolog_docx-numbering.gold.jsonl"
FIXED_TIME = (2026, 4, 6, 9, 0, 0)

TITLE = "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ инженера-эколога"
POSITION = "инженер-эколог"
POSITION_ALT: list[str] = []

# (kind, label, text): kind is "section" (level 0), "clause" (level 1), "item" (level 2), "bullet",
# "lead" (a numbered lead-in at level 1, not a clause) or "plain" (an unnumbered paragraph, not a clause).
CONTENT = [
    ("section", "", "Общие положения"),
    ("clause", "other", "Инженер-эколог относится к категории специалистов."),
    ("clause", "other", "Инженер-эколог назначается на должность и освобождается от нее приказом директора завода."),
    ("clause", "other", "Инженер-эколог подчиняется главному инженеру завода."),
    ("clause", "requirement", "На должность инженера-эколога назначается лицо, имеющее высшее образование в области "
                              "охраны окружающей среды и стаж работы по специальности не менее одного года."),
    ("lead", "", "Инженер-эколог должен знать:"),
    ("item", "requirement", "законодательство в области охраны окружающей среды и обращения с отходами;"),
    ("item", "requirement", "технологию основного производства завода;"),
    ("item", "requirement", "порядок составления статистической отчетности по формам 2-ТП."),
    ("section", "", "Должностные обязанности"),
    ("plain", "", "Инженер-эколог:"),
    ("clause", "duty", "Осуществляет контроль за соблюдением в подразделениях завода требований "
                       "природоохранного законодательства."),
    ("clause", "duty", "Ведет учет образования и движения отходов производства."),
    ("clause", "duty", "Организует производственный экологический контроль выбросов и сбросов."),
    ("clause", "duty", "Готовит отчетность в органы государственного экологического надзора."),
    ("clause", "duty", "Участвует в проверках, проводимых контролирующими органами."),
    ("section", "", "Права"),
    ("lead", "", "Инженер-эколог имеет право:"),
    ("bullet", "right", "требовать от руководителей подразделений устранения нарушений природоохранных "
                        "требований;"),
    ("bullet", "right", "привлекать специалистов подразделений к решению экологических вопросов с разрешения "
                        "главного инженера;"),
    ("bullet", "right", "представлять завод в органах экологического надзора по доверенности директора."),
    ("section", "", "Ответственность"),
    ("clause", "liability", "Инженер-эколог несет ответственность за достоверность экологической отчетности и "
                            "своевременность ее представления."),
    ("clause", "liability", "Инженер-эколог несет ответственность за нарушение правил внутреннего трудового "
                            "распорядка и трудовой дисциплины."),
    ("section", "", "Условия работы"),
    ("clause", "other", "Инженер-эколог может направляться в служебные командировки, в том числе "
                        "на производственные площадки в других городах."),
]

SECTIONS, CLAUSES, ITEMS = 0, 1, 2


def bold(text: str) -> str:
    return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def numbering() -> str:
    decimal = lvl(0, text="%1.") + lvl(1, text="%1.%2.") + lvl(2, text="%1.%2.%3.")
    dashes = lvl(0, fmt="bullet", text="—", start=None)
    return abstract(0, decimal) + abstract(1, dashes) + num(1, 0) + num(2, 1)


def approval() -> str:
    lines = ("УТВЕРЖДАЮ", "Директор АО «Заволжский литейный завод»",
             "______________ П.И. Широков", "«___» ____________ 2026 г.")
    return table([[para(""), "".join(para(t) for t in lines)]])


def paragraph(kind: str, text: str) -> str:
    if kind == "section":
        return para(num="1", ilvl=SECTIONS, runs=bold(text))
    if kind in ("clause", "lead"):
        return para(text, num="1", ilvl=CLAUSES)
    if kind == "item":
        return para(text, num="1", ilvl=ITEMS)
    if kind == "bullet":
        return para(text, num="2", ilvl=0)
    return para(text)


def numbers() -> list[str]:
    """The number Word shows for each paragraph of CONTENT ("" for bullets and plain paragraphs)."""
    counters, shown = [0, 0, 0], []
    for kind, _label, _text in CONTENT:
        level = {"section": 0, "clause": 1, "lead": 1, "item": 2}.get(kind)
        if level is None:
            shown.append("")
            continue
        counters[level] += 1
        counters[level + 1:] = [0] * (2 - level)
        shown.append(".".join(str(c) for c in counters[:level + 1]))
    return shown


def body() -> str:
    acknowledgement = table([[para("С должностной инструкцией ознакомлен(а):"), para("______________"),
                              para("«___» ____________ 20__ г.")]])
    return "".join([
        approval(),
        para(""),
        para(runs=bold("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ")),
        para(runs=bold("инженера-эколога")),
        *(paragraph(kind, text) for kind, _label, text in CONTENT),
        para(""),
        acknowledgement,
    ])


def gold_lines() -> list[str]:
    head = {"type": "instruction", "instruction": 1, "title": TITLE, "position": POSITION,
            "position_alt": POSITION_ALT}
    lines = [head]
    for (kind, label, text), number in zip(CONTENT, numbers(), strict=True):
        if kind in ("clause", "item", "bullet"):
            lines.append({"type": "clause", "instruction": 1, "number": number, "text": text, "label": label})
    return [json.dumps(line, ensure_ascii=False) for line in lines]


def with_fixed_times(data: bytes) -> bytes:
    """The same package with every member dated FIXED_TIME, so the bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    OUT.write_bytes(with_fixed_times(docx_bytes(body(), numbering())))
    GOLD.write_text("\n".join(gold_lines()) + "\n", encoding="utf-8")
    print(OUT, GOLD)


if __name__ == "__main__":
    main()
