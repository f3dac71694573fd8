"""The benchmark corpus generator: deterministic, and its documents go through the real pipeline.

Each generated document knows its plan (position, sections, clause texts), so the pipeline's output can
be checked against what was written, not just for being non-empty.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

from pipeline import classify  # noqa: E402
from pipeline.batch import process_file  # noqa: E402
from pipeline.readers import read  # noqa: E402

SIZE = 12
SEED = 5


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    return corpus.generate(tmp_path_factory.mktemp("corpus"), SIZE, SEED)


@pytest.fixture(scope="module")
def model():
    return classify.load("auto")


@pytest.fixture(scope="module")
def material():
    return corpus.load_material()


@pytest.mark.parametrize("size, seed", [(12, 5), (30, 1), (8, 20261126)])
def test_same_seed_same_bytes(tmp_path, size, seed):
    first = corpus.generate(tmp_path / "a", size, seed)
    second = corpus.generate(tmp_path / "b", size, seed)
    assert [p.name for p in first] == [p.name for p in second]
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert len(first) == size


def test_another_seed_other_documents(tmp_path):
    corpus.generate(tmp_path / "a", SIZE, 1)
    corpus.generate(tmp_path / "b", SIZE, 2)
    assert set(tree_digest(tmp_path / "a").values()).isdisjoint(tree_digest(tmp_path / "b").values())


def test_a_document_does_not_depend_on_the_corpus_size(tmp_path):
    small = tree_digest(Path(corpus.generate(tmp_path / "a", 5, SEED)[0]).parent)
    large = tree_digest(Path(corpus.generate(tmp_path / "b", 15, SEED)[0]).parent)
    assert all(large[name] == digest for name, digest in small.items())


def test_material_comes_from_the_projects_corpora(material):
    assert {label: bool(texts) for label, texts in material.clauses.items()} == dict.fromkeys(corpus.LABELS, True)
    assert len(material.positions) > 10


@pytest.mark.parametrize("fmt, encoding", [("txt", "utf-8"), ("txt", "cp1251"), ("txt", "koi8-r"),
                                           ("docx", ""), ("html", "utf-8")])
def test_every_format_is_generated(material, fmt, encoding):
    seen = {(d.format, d.encoding) for d in (corpus.document(i, SEED, material) for i in range(60))}
    assert (fmt, encoding) in seen


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251", "koi8-r"])
def test_text_is_read_in_the_encoding_it_was_written_in(tmp_path, material, encoding):
    import random

    plan = corpus.plan_document(random.Random(3), material)
    path = tmp_path / "doc.txt"
    path.write_bytes(corpus.render_txt(plan, random.Random(3), encoding))
    assert read(path).encoding == encoding


def test_docx_numbers_are_automatic_numbering(tmp_path, material):
    import random

    plan = corpus.plan_document(random.Random(4), material)
    path = tmp_path / "doc.docx"
    path.write_bytes(corpus.render_docx(plan, random.Random(4)))
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode()
        assert "<w:abstractNum " in z.read("word/numbering.xml").decode()
    assert "<w:numId " in body and "1.1." not in body  # no typed numbers
    numbers = [b.number for b in read(path).blocks if b.number]
    assert numbers[:2] == ["1.", "1.1."]


def test_documents_yield_the_planned_clauses_through_the_pipeline(generated, model, material):
    plans = {corpus.document(i, SEED, material).name: corpus.document(i, SEED, material).plan for i in range(SIZE)}
    planned = found = 0
    for path in generated:
        result = process_file(path, model)
        plan = plans[path.name]
        assert result.status == "ok", (path.name, result.reason)
        assert result.instructions[0].position == plan.position.lower(), path.name
        planned += plan.n_clauses
        found += len(result.clauses)
    assert abs(found - planned) <= planned * 0.05
