"""Catalogue exports: the workbook opened with openpyxl, CSV with BOM, Parquet and JSON Lines."""

import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from pipeline.catalogue.store import Store
from pipeline.export.catalogue import export_catalogue
from pipeline.export.workbook import write_workbook
from pipeline.records import Clause, Instruction

TEXTS = {
    "in/buh.txt": ("бухгалтер", ["Бухгалтер ведет учет кассовых операций.", "=1+1", "-1 день отпуска",
                                 "Соблюдает законы РФ"]),
    "in/kas.txt": ("кассир", ["Кассир ведет учет кассовых операций.", "@SUM(A1)", "Ведёт кассовую книгу"]),
}


def results():
    for path, (position, texts) in TEXTS.items():
        source = path.rsplit("/", 1)[-1]
        meta = {"path": path, "sha256": path, "format": "txt", "reader": "text", "encoding": "utf-8"}
        instructions = [Instruction(source=source, index=1, title="", position=position, start=0, stop=500)]
        clauses = [Clause(source=source, instruction=1, number=f"{i + 1}", text=t, start=i * 50, stop=i * 50 + 40,
                          label="duty", section_title="Должностные обязанности") for i, t in enumerate(texts)]
        yield meta, instructions, clauses


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    with Store(out / "catalogue.duckdb") as store:
        store.import_documents(results())
        paths = export_catalogue(store, out / "catalogue")
    return out / "catalogue", paths


def test_files_written_without_leftovers(exported):
    out, paths = exported
    assert sorted(p.name for p in paths) == ["catalogue.csv", "catalogue.jsonl", "catalogue.parquet",
                                             "catalogue.xlsx", "facts.csv", "facts.jsonl", "facts.parquet",
                                             "variants.csv"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temp files left


def test_workbook_sheets_header_filter_widths(exported):
    out, _ = exported
    book = openpyxl.load_workbook(out / "catalogue.xlsx")
    assert book.sheetnames == ["catalogue", "variants", "clauses", "positions", "matrix", "facts"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold
    catalogue = book["catalogue"]
    header = [c.value for c in catalogue[1]]
    assert header[:3] == ["canonical_id", "label", "text"]
    text_column = openpyxl.utils.get_column_letter(header.index("text") + 1)
    assert catalogue.column_dimensions[text_column].width > 20
    assert catalogue.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{catalogue.max_row}"
    matrix_header = [c.value for c in book["matrix"][1]]
    assert {"бухгалтер", "кассир"} <= set(matrix_header)


def test_formula_like_clauses_stay_text(exported):
    out, _ = exported
    book = openpyxl.load_workbook(out / "catalogue.xlsx")
    cells = {c.value: c for row in book["clauses"].iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=1+1", "@SUM(A1)", "-1 день отпуска"):
        assert cells[text].data_type == "s"
    with zipfile.ZipFile(out / "catalogue.xlsx") as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) for n in sheets)


def test_cyrillic_intact(exported):
    out, _ = exported
    book = openpyxl.load_workbook(out / "catalogue.xlsx")
    values = {c.value for row in book["clauses"].iter_rows() for c in row}
    assert "Ведёт кассовую книгу" in values
    assert "Бухгалтер ведет учет кассовых операций." in values
    lines = [json.loads(line) for line in (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()]
    examples = [e for row in lines for e in row["examples"]]  # on the clauses sheet, the workbook's catalogue
    assert "in/buh.txt #1 1: Бухгалтер ведет учет кассовых операций." in examples  # keeps none


def test_csv_has_bom_and_round_trips(exported):
    out, _ = exported
    for name in ("catalogue.csv", "variants.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out / "catalogue.csv", encoding="utf-8-sig")
    assert "Ведёт кассовую книгу" in set(table["text"])
    assert "'=1+1" in set(table["text"])  # Excel opens CSV cells too: formula-like text is quoted
    assert table["occurrences"].sum() == 7


def test_parquet_and_jsonl_keep_lists(exported):
    out, _ = exported
    parquet = pd.read_parquet(out / "catalogue.parquet")
    lines = [json.loads(line) for line in (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(parquet) == parquet["canonical_id"].nunique()
    top = next(r for r in lines if r["occurrences"] == 2)
    assert top["position_list"] == ["бухгалтер (1)", "кассир (1)"]
    assert top["sections"] == ["Должностные обязанности (2)"]
    assert "=1+1" in set(parquet["text"])


def test_write_workbook_from_frames(tmp_path):
    frame = pd.DataFrame({"text": ["=A1*2", "\tтаб", "обычный"], "items": [["a", "b"], [], ["в"]]})
    path = write_workbook(tmp_path / "t.xlsx", {"лист": frame})
    sheet = openpyxl.load_workbook(path)["лист"]
    assert [c.value for c in sheet["A"]][:2] == ["text", "=A1*2"]
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "a\nb"


def test_catalogue_sheet_most_widespread_first_with_links_both_ways(exported):
    out, _ = exported
    book = openpyxl.load_workbook(out / "catalogue.xlsx")
    catalogue, variants, clauses = book["catalogue"], book["variants"], book["clauses"]
    header = [c.value for c in catalogue[1]]
    assert header[:5] == ["canonical_id", "label", "text", "instructions", "share_of_instructions"]
    assert "clauses_to_review" in header and "examples" not in header
    instructions = [row[header.index("instructions")].value for row in catalogue.iter_rows(min_row=2)]
    assert instructions == sorted(instructions, reverse=True) and instructions[0] == 2  # labels mixed
    clause_header = [c.value for c in clauses[1]]
    assert {"needs_review", "review"} <= set(clause_header)
    for row in catalogue.iter_rows(min_row=2):
        cid, link = row[0].value, row[0].hyperlink
        sheet, cells = link.location.split("!")
        assert sheet == "'variants'"
        first, last = (int("".join(ch for ch in part if ch.isdigit())) for part in cells.split(":"))
        assert {variants.cell(r, 1).value for r in range(first, last + 1)} == {cid}
        assert variants.cell(first - 1, 1).value != cid and variants.cell(last + 1, 1).value != cid  # all rows
        occurrences = row[header.index("occurrences")]
        sheet, cells = occurrences.hyperlink.location.split("!")
        first, last = (int("".join(ch for ch in part if ch.isdigit())) for part in cells.split(":"))
        assert sheet == "'clauses'" and last - first + 1 == occurrences.value
        assert {clauses.cell(r, 1).value for r in range(first, last + 1)} == {cid}
        back = clauses.cell(first, 1).hyperlink.location
        assert back == f"'catalogue'!A{row[0].row}:{openpyxl.utils.get_column_letter(len(header))}{row[0].row}"


def test_every_sheet_is_set_up_for_print(exported):
    out, _ = exported
    book = openpyxl.load_workbook(out / "catalogue.xlsx")
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert all(d.width <= 60 for d in sheet.column_dimensions.values())


def test_long_text_wraps_within_its_width(tmp_path):
    long = "Ведет учет поступления, хранения и отпуска товарно-материальных ценностей на складе предприятия."
    frame = pd.DataFrame({"id": ["a", "b"], "text": [long, "коротко"], "n": [1, 2]})
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", {"s": frame}))["s"]
    assert sheet.column_dimensions["B"].width == 60 and sheet["B2"].alignment.wrap_text
    assert not sheet["C2"].alignment.wrap_text and sheet.column_dimensions["C"].width == 8
