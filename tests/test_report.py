"""The HTML report of a store built from the sample corpus by the real pipeline, read by lxml and by Chromium.

Chromium comes from Debian's `chromium` package (`make setup` installs it); the test fails without it.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from sample_store import SAMPLES, build_sample_store

from pipeline import classify
from pipeline.batch import facts_of_file
from pipeline.catalogue.store import Store
from pipeline.compare import compare
from pipeline.export.report import anchor, write_report
from pipeline.records import Clause

SECTIONS = ("summary", "labels", "top", "positions", "coverage", "duplicates", "comparisons", "facts", "review",
            "catalogue")
CHARTS = ("labels", "positions", "coverage", "duplicates")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    db = build_sample_store(tmp / "catalogue.duckdb")
    with Store(db) as store:
        clauses = store.clauses()
        first = clauses[clauses["source"] == "01_kladovshchik.txt"]
        own = [Clause(source="01_kladovshchik.txt", instruction=1, number=r.number, text=r.text, start=0, stop=1,
                      label=r.label) for r in first.itertuples()]
        comparison = compare(own, store, "кладовщик")
        facts = facts_of_file(SAMPLES / "01_kladovshchik.txt", classify.load("auto"))
        path = write_report(store, tmp / "report.html", [comparison], facts)
        expected = {"clauses": len(clauses), "canonical": clauses["canonical_id"].nunique(),
                    "ids": set(clauses["canonical_id"]),
                    "stored facts": write_report(store, tmp / "report-stored-facts.html")}
    return path, expected


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is missing: apt-get install -y --no-install-recommends chromium (make setup does)"
    return found


def run_chromium(tmp_path: Path, *args: str) -> str:
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'profile'}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)
    return done.stdout


def test_one_self_contained_file(report):
    path, _ = report
    text = path.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(text)
    assert not tree.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe")
    # an address may only name an XML namespace (an identifier, never fetched)
    assert {name for name in re.findall(r'([\w:-]+)="https?://', text)} <= {"xmlns", "xmlns:xlink"}
    assert "url(http" not in text and "@import" not in text


def test_structure(report):
    path, expected = report
    tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    assert [s.get("id") for s in tree.xpath("//section")] == list(SECTIONS)
    for section in CHARTS:
        assert tree.xpath(f"//section[@id='{section}']//div[@class='chart']/*[local-name()='svg']"), section
    assert len(tree.xpath("//table[contains(@class, 'sortable')]")) >= 10
    cards = {c.xpath("string(text())").strip(): int(c.xpath("string(b)")) for c in tree.xpath("//div[@class='card']")}
    assert cards["clauses"] == expected["clauses"]
    assert cards["canonical clauses"] == expected["canonical"]
    assert cards["duplicates merged"] == expected["clauses"] - expected["canonical"]
    assert tree.xpath("//table[@id='labels-table']//tr[td]/td[2]/text()")  # counts per label


def test_every_canonical_clause_has_an_anchor_and_every_link_a_target(report):
    path, expected = report
    tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    ids = set(tree.xpath("//div[@class='canonical']/@id"))
    assert ids == {anchor(cid) for cid in expected["ids"]}
    targets = {href[1:] for href in tree.xpath("//a/@href")}
    assert targets - set(tree.xpath("//@id")) == set()
    entry = tree.xpath("//div[@class='canonical']")[0]
    assert entry.xpath(".//details[1]//li") and entry.xpath(".//details[2]//li")  # variants and sources


def test_positions_table_names_the_sample_positions(report):
    path, _ = report
    tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    positions = set(tree.xpath("//table[@id='positions-table']//tr/td[1]/text()"))
    assert {"кладовщик", "охранник", "главный бухгалтер", "учитель-логопед"} <= positions


def test_rendered_in_chromium(report, tmp_path):
    path, _ = report
    dom = run_chromium(tmp_path, "--dump-dom", path.as_uri())
    tree = lxml_html.fromstring(dom)
    svgs = tree.xpath("//div[@class='chart']/*[local-name()='svg']")
    assert len(svgs) >= len(CHARTS)
    assert all(svg.xpath(".//*[local-name()='path' or local-name()='rect' or local-name()='image']") for svg in svgs)
    assert len(tree.xpath("//table[contains(@class, 'sortable')]//tbody/tr")) > 20


def test_a_click_sorts_a_table_in_chromium(report, tmp_path):
    path, _ = report
    clicked = tmp_path / "clicked.html"
    script = "<script>document.querySelector('#labels-table th:nth-child(2)').click();</script></body>"
    clicked.write_text(path.read_text(encoding="utf-8").replace("</body>", script), encoding="utf-8")
    tree = lxml_html.fromstring(run_chromium(tmp_path, "--dump-dom", clicked.as_uri()))
    counts = [int(v) for v in tree.xpath("//table[@id='labels-table']//tbody/tr/td[2]/text()")]
    assert counts == sorted(counts) and len(counts) == 5
    assert "sorted-asc" in tree.xpath("//table[@id='labels-table']//th[2]/@class")[0]


def test_screenshot(report, tmp_path):
    path, _ = report
    shot = tmp_path / "report.png"
    run_chromium(tmp_path, "--window-size=1280,2400", f"--screenshot={shot}", path.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # charts and tables drawn, not a blank page


def test_comparison_and_facts_sections(report):
    path, _ = report
    tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    comparison = tree.xpath("//section[@id='comparisons']")[0]
    kinds = set(comparison.xpath(".//table[1]//tbody/tr/td[3]/text()"))
    assert kinds and kinds <= {"common", "rare", "unique"}
    facts = tree.xpath("//table[@id='facts-table']//tbody/tr")
    assert [row.xpath("string(td[3])") for row in facts] == ["кладовщик"]
    assert facts[0].xpath("string(td[7])") == "заведующий складом"


def test_facts_from_the_store_when_none_are_given(report):
    _, expected = report
    tree = lxml_html.fromstring(expected["stored facts"].read_text(encoding="utf-8"))
    rows = {row.xpath("string(td[3])"): row for row in tree.xpath("//table[@id='facts-table']//tbody/tr")}
    assert {"кладовщик", "охранник", "главный бухгалтер", "секретарь руководителя"} <= set(rows)
    assert rows["кладовщик"].xpath("string(td[7])") == "заведующий складом"
    assert rows["секретарь руководителя"].xpath("string(td[6])") == "0; 2"
    per_position = {row.xpath("string(td[1])"): [td.text_content() for td in row.xpath("td")]
                    for row in tree.xpath("//table[@id='facts-positions-table']//tbody/tr")}
    assert per_position["кладовщик"] == ["кладовщик", "1", "среднее общее; среднее профессиональное", "0",
                                         "заведующий складом", "генеральный директор"]
    assert "" not in per_position  # an instruction without a position is left out of the per-position table


# --- the report tells the truth: no silent caps, readable sources, escaped text, a search box -------------

COMMON = "Соблюдает правила внутреннего трудового распорядка."


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """57 instructions share one clause (more than SOURCES_PER_CLAUSE); one clause carries markup."""
    from pipeline.export import report as report_module
    from pipeline.records import Instruction

    tmp = tmp_path_factory.mktemp("many")
    results = []
    for k in range(57):
        path = f"архив/отдел {k % 3}/инструкция {k:02d}.txt"
        texts = [COMMON, f"Ведет журнал учета номер {k}.", "<script>alert('x')</script> & <b>жирно</b>"]
        clauses = [Clause(source=path, instruction=1, number=f"2.{i + 1}", text=t, start=i * 80, stop=i * 80 + 60,
                          label="duty", confidence=0.9) for i, t in enumerate(texts)]
        results.append(({"path": path, "sha256": f"sha{k}", "format": "txt"},
                        [Instruction(source=path, index=1, title="", position="кладовщик", start=0, stop=300)],
                        clauses))
    with Store(tmp / "many.duckdb") as store:
        store.import_documents(results)
        path = write_report(store, tmp / "many.html")
    assert report_module.SOURCES_PER_CLAUSE < 57
    return path


def test_no_silent_cap_on_sources(many):
    tree = lxml_html.fromstring(many.read_text(encoding="utf-8"))
    (entry,) = [e for e in tree.xpath("//div[@class='canonical']") if e.xpath("string(b)") == COMMON]
    summary = entry.xpath("string(details[2]/summary)")
    assert summary == "57 sources"
    items = entry.xpath("details[2]//li")
    assert len(items) == 51 and items[-1].text_content().startswith("… and 7 more")


def test_sources_are_named_by_file_and_instruction(many):
    tree = lxml_html.fromstring(many.read_text(encoding="utf-8"))
    (entry,) = [e for e in tree.xpath("//div[@class='canonical']") if e.xpath("string(b)") == COMMON]
    first = entry.xpath("details[2]//li/span")[0]
    assert first.text_content() == "инструкция 00.txt, instruction 1, clause 2.1 · кладовщик"
    assert first.get("title") == "архив/отдел 0/инструкция 00.txt"  # the full path on hover
    assert not re.search(r"#\d+ ", tree.text_content())  # no `file #1 2` labels anywhere


def test_text_from_documents_is_escaped(many):
    text = many.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(text)
    assert len(tree.xpath("//script")) == 1  # ours; the clause's is text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;жирно&lt;/b&gt;" in text
    assert not tree.xpath("//b[text()='жирно']")


def test_the_search_box_filters_clauses_offline_in_chromium(many, tmp_path):
    searched = tmp_path / "searched.html"
    script = ("<script>var box = document.getElementById('search'); box.value = 'ЖУРНАЛ учёта номер 41.';"
              "box.dispatchEvent(new Event('input'));</script></body>")
    searched.write_text(many.read_text(encoding="utf-8").replace("</body>", script), encoding="utf-8")
    tree = lxml_html.fromstring(run_chromium(tmp_path, "--dump-dom", searched.as_uri()))
    entries = tree.xpath("//div[contains(concat(' ', @class, ' '), ' canonical ')]")
    shown = [e for e in entries if "hidden-by-search" not in e.get("class")]
    assert len(entries) == 59 and [e.xpath("string(b)") for e in shown] == ["Ведет журнал учета номер 41."]
    rows = tree.xpath("//table[contains(@class, 'searchable')]//tbody/tr")
    assert rows and all("hidden-by-search" in (r.get("class") or "") or "номер 41." in r.text_content() for r in rows)
    visible_rows = [r for r in rows if "hidden-by-search" not in (r.get("class") or "")]
    assert tree.xpath("string(//span[@id='search-count'])") == \
        f"{len(shown) + len(visible_rows)} of {len(entries) + len(rows)} clause rows and catalogue entries"


def test_rendered_by_templates_with_autoescape():
    from pipeline.export.report import environment

    env = environment()
    assert env.autoescape is True
    assert env.get_template("report.html.j2").render  # the page is a template file
