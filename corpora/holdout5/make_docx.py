"""Build 05_inzhener-ekolog_docx-numbering.docx of the fifth holdout set and its gold file.

The .docx bytes are the same on every run (every zip member is dated FIXED_TIME). Section, clause and item
numbers come from Word automatic numbering (numbering.xml: ``1.`` sections at level 0, ``1.1.`` clauses at
level 1, ``2.1.1.`` items at level 2) and the rights are an em-dash bullet list; no number is typed in the
text. The gold file is written from the same table of paragraphs, with each clause's number as Word shows it
(without the trailing dot). Run from the repository root: ``.venv/bin/python corpora/holdout5/make_docx.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from outline_docx import build  # noqa: E402

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

APPROVAL = ("УТВЕРЖДАЮ", "Директор АО «Заволжский литейный завод»",
            "______________ П.И. Широков", "«___» ____________ 2026 г.")
HEADING = ("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ", "инженера-эколога")


def main() -> None:
    build(OUT, GOLD, CONTENT, approval=APPROVAL, heading=HEADING, title=TITLE, position=POSITION,
          position_alt=POSITION_ALT, date_time=FIXED_TIME)
    print(OUT, GOLD)


if __name__ == "__main__":
    main()
