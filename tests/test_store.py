"""The catalogue database: a real DuckDB file in tmp_path, imported twice, changed, interrupted."""

from pathlib import Path

import duckdb
import pytest

from pipeline.catalogue.store import Store
from pipeline.records import Clause, Instruction


def document(path, sha256, texts, position, label="duty"):
    source = path.rsplit("/", 1)[-1]
    meta = {"path": path, "sha256": sha256, "format": "txt", "reader": "text", "encoding": "utf-8"}
    instructions = [Instruction(source=source, index=1, title=f"Должностная инструкция {position}",
                                position=position, start=0, stop=1000)]
    clauses = [Clause(source=source, instruction=1, number=f"2.{i + 1}", text=t, start=10 * i, stop=10 * i + 9,
                      label=label) for i, t in enumerate(texts)]
    return meta, instructions, clauses


BUH = document("in/buh.txt", "sha-buh-1", ["Бухгалтер ведет учет кассовых операций.",
                                            "Соблюдает правила внутреннего трудового распорядка."], "бухгалтер")
KAS = document("in/kas.txt", "sha-kas-1", ["Кассир ведет учет кассовых операций.", "Ведет кассовую книгу."],
               "кассир")
ECO = document("in/eco.txt", "sha-eco-1", ["Ведет учет кассовых операций организации.", "=1+1"], "экономист")


def ids(store):
    return {row["text"]: row["canonical_id"] for _, row in store.clauses().iterrows()}


def counts(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "instructions", "clauses", "provisions", "variants", "variant_keys")}
    finally:
        con.close()


def test_stable_ids_across_imports(tmp_path):
    db = tmp_path / "catalogue.duckdb"
    with Store(db) as store:
        summary = store.import_documents([BUH, KAS])
        assert (summary.added, summary.clauses) == (2, 4)
        first = ids(store)
    with Store(db) as store:  # reopened from the file
        summary = store.import_documents([ECO])
        assert summary.added == 1
        second = ids(store)
    assert {t: second[t] for t in first} == first
    # a new variant joins its existing canonical clause
    assert second["Ведет учет кассовых операций организации."] == first["Бухгалтер ведет учет кассовых операций."]
    assert first["Бухгалтер ведет учет кассовых операций."] == first["Кассир ведет учет кассовых операций."]


def test_reimport_unchanged_changes_nothing(tmp_path):
    db = tmp_path / "catalogue.duckdb"
    with Store(db) as store:
        store.import_documents([BUH, KAS])
        before = store.documents()
    snapshot = counts(db)
    with Store(db) as store:
        summary = store.import_documents([BUH, KAS])
        assert (summary.added, summary.replaced, summary.unchanged, summary.clauses) == (0, 0, 2, 0)
        after = store.documents()
    assert counts(db) == snapshot
    assert list(after["imported_at"]) == list(before["imported_at"])


def test_changed_file_replaces_its_earlier_version(tmp_path):
    db = tmp_path / "catalogue.duckdb"
    with Store(db) as store:
        store.import_documents([BUH, KAS])
        old = ids(store)
        changed = document("in/buh.txt", "sha-buh-2", ["Бухгалтер ведет учет кассовых операций.",
                                                       "Ведет кассовую книгу организации."], "бухгалтер")
        summary = store.import_documents([changed])
        assert (summary.added, summary.replaced) == (0, 1)
        clauses = store.clauses()
        docs = store.documents()
    assert list(docs["sha256"]) == ["sha-buh-2", "sha-kas-1"]
    texts = set(clauses["text"])
    assert "Соблюдает правила внутреннего трудового распорядка." not in texts
    assert len(clauses[clauses["document"] == "in/buh.txt"]) == 2
    new = dict(zip(clauses["text"], clauses["canonical_id"], strict=True))
    assert new["Бухгалтер ведет учет кассовых операций."] == old["Бухгалтер ведет учет кассовых операций."]
    assert new["Ведет кассовую книгу организации."] == old["Ведет кассовую книгу."]
    assert counts(db)["instructions"] == 2


def test_rollback_on_exception_mid_import(tmp_path):
    db = tmp_path / "catalogue.duckdb"
    with Store(db) as store:
        store.import_documents([BUH])
    snapshot = counts(db)

    def failing():
        yield KAS
        yield document("in/buh.txt", "sha-buh-3", ["Новый текст."], "бухгалтер")  # would replace BUH
        raise RuntimeError("reader crashed")

    with Store(db) as store:
        with pytest.raises(RuntimeError):
            store.import_documents(failing())
        assert list(store.documents()["sha256"]) == ["sha-buh-1"]
    assert counts(db) == snapshot
    with Store(db) as store:  # the file is usable after the failed batch
        assert store.import_documents([KAS]).added == 1


def test_same_file_name_in_two_folders(tmp_path):
    a = document("one/x.txt", "s1", ["Бухгалтер ведет учет кассовых операций."], "бухгалтер")
    b = document("two/x.txt", "s2", ["Кассир ведет учет кассовых операций."], "кассир")
    with Store(tmp_path / "c.duckdb") as store:
        store.import_documents([a, b])
        clauses = store.clauses()
    assert list(clauses["position"]) == ["бухгалтер", "кассир"]
    assert clauses["canonical_id"].nunique() == 1
    assert list(clauses["normalised"]) == ["[должность] ведет учет кассовых операций"] * 2


def test_catalogue_frame_from_store(tmp_path):
    with Store(tmp_path / "c.duckdb") as store:
        store.import_documents([BUH, KAS, ECO])
        table = store.catalogue()
        frames = store.frames()
    top = table.iloc[0]
    assert top["occurrences"] == 3
    assert top["share_of_instructions"] == 1.0
    assert set(frames) == {"catalogue", "variants", "clauses", "positions", "matrix", "facts"}
    assert list(frames["facts"]["position"]) == ["бухгалтер", "экономист", "кассир"]  # by document path
    assert set(frames["matrix"].columns) >= {"бухгалтер", "кассир", "экономист"}


def test_the_stored_clause_columns_begin_with_the_statistics_columns():
    """store.py names the clause columns itself (importing stats would bring pandas into `import OUT`):
    they must stay those of ``stats.CLAUSE_COLUMNS``, then what only the store keeps."""
    from pipeline.catalogue import stats
    from pipeline.catalogue.store import STORED_CLAUSE_COLUMNS

    assert STORED_CLAUSE_COLUMNS[:len(stats.CLAUSE_COLUMNS)] == stats.CLAUSE_COLUMNS
    assert STORED_CLAUSE_COLUMNS[len(stats.CLAUSE_COLUMNS):] == ["reason", "needs_review", "review", "machine_label",
                                                                 "clause_hash", "corrected"]


def test_an_import_of_extracted_tables_needs_no_pandas():
    """`import OUT` stays light: reading extract's tables back and storing them loads no pandas."""
    import subprocess
    import sys

    code = ("import sys, pipeline.rundir, pipeline.catalogue.store, pipeline.cli; "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "False"
