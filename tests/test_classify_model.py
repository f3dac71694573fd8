"""The clause model: its pack, its predictions on readable cases, explain, and the estimator contract."""

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from pipeline.classify import explain, load, model
from pipeline.records import LABELS, Clause

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "corpora" / "training"


@pytest.fixture(scope="session")
def classifier():
    return load("model")


def clause(text, section_type="", lead_in="", number=""):
    return Clause(source="t.txt", instruction=1, number=number, text=text, start=0, stop=len(text),
                  section_type=section_type, lead_in=lead_in)


CASES = [
    # the hard cases of LABELS.md, in words of our own
    ("Несет ответственность за правильность оформления накладных.", "duties", "", "liability"),
    ("Должен знать устройство погрузчика.", "general", "", "requirement"),
    ("нормативные документы по охране труда;", "", "Лаборант в своей работе руководствуется:", "other"),
    ("нормативные документы по охране труда;", "", "Лаборант должен знать:", "requirement"),
    ("Соблюдает правила внутреннего трудового распорядка.", "", "", "duty"),
    ("За нарушение правил внутреннего трудового распорядка.", "", "", "liability"),
    ("Может выезжать в служебные командировки.", "rights", "", "other"),
    ("Представлять интересы лаборатории в сторонних организациях.", "rights", "", "right"),
    ("Умение работать в команде.", "", "", "requirement"),
    ("Коммуникабельность, ответственность, стрессоустойчивость.", "", "", "requirement"),
    # one per label, each shape
    ("Менеджер по туризму подбирает туры по запросам клиентов.", "", "", "duty"),
    ("подготовка ежедневных сводок;", "duties", "", "duty"),
    ("в проведении ежегодной инвентаризации;", "", "Участвует:", "duty"),
    ("получать от руководства информацию о планах развития;", "", "Администратор имеет право:", "right"),
    ("Администратор вправе отстранять от работы сотрудников в состоянии опьянения.", "", "", "right"),
    ("Причинение ущерба имуществу гостиницы.", "liability", "", "liability"),
    ("Высшее техническое образование и опыт работы от двух лет.", "requirements", "", "requirement"),
    ("методы контроля качества сварных швов;", "", "Сварщик должен знать:", "requirement"),
    ("Сварщик назначается на должность и освобождается от нее приказом директора.", "", "", "other"),
    ("В период отсутствия администратора его обязанности исполняет старший смены.", "general", "", "other"),
    ("Настоящая инструкция определяет обязанности и права администратора.", "", "", "other"),
    ("Получает от диспетчера: заявки, маршруты, сроки доставки.", "relations", "", "other"),
]


@pytest.mark.parametrize(("text", "section", "lead_in", "label"), CASES)
def test_model_labels_readable_cases(classifier, text, section, lead_in, label):
    (out,) = classifier.predict([clause(text, section, lead_in)])
    assert out.label == label, out.reason


def test_predict_fills_fields_and_keeps_the_rest(classifier):
    given = [clause("Ведет учет рабочего времени.", "duties", number="2.4"),
             clause("Запрашивать необходимые документы.", "rights")]
    out = classifier.predict(given)
    assert [c.label for c in out] == ["duty", "right"]
    assert all(0.5 < c.confidence <= 1.0 for c in out)
    assert out[0].number == "2.4" and out[0].text == given[0].text
    assert "section duties agreed" in out[0].reason and "rule finite_verb" in out[0].reason
    assert classifier.predict([]) == []


def test_explain_gives_label_confidence_and_reason():
    out = explain("Несет ответственность за сохранность документов.", section_type="duties")
    assert out.label == "liability"
    assert out.confidence > 0.8
    assert "own_liability" in out.reason and "disagreed" in out.reason


def test_auto_is_the_model_when_the_pack_exists():
    assert load("auto").kind == "model"
    assert load("rules").kind == "rules"
    with pytest.raises(ValueError, match="unknown classifier kind"):
        load("neural")


def test_pack_meta_describes_the_model():
    meta = model.read_meta()
    assert meta["version"] == model.PACK_VERSION and meta["labels"] == sorted(LABELS)
    assert meta["training"]["clauses"] >= 1500 and len(meta["training"]["sha256"]) == 64
    assert {"rules", "logreg", "svm"} <= set(meta["cross_validation"])
    assert sum(p.stat().st_size for p in model.pack_dir().iterdir()) < 5_000_000


def test_a_pack_of_another_version_is_refused_with_what_to_do(tmp_path):
    shutil.copytree(model.pack_dir(), tmp_path / "pack")
    meta_path = tmp_path / "pack" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["version"] = "clauses-v0"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(model.PackError, match="run `make train`"):
        model.load_pack(tmp_path / "pack")


def test_a_missing_pack_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(model.PackError, match="run `make train`"):
        model.load_pack(tmp_path / "nothing")


def test_clause_model_follows_the_estimator_contract():
    rows = [json.loads(line) for line in (TRAINING / "clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = rows[::6]
    X = [(r["text"], r["section_type"], r["lead_in"]) for r in rows]
    y = [r["label"] for r in rows]
    estimator = model.ClauseModel(C=2.0, bigrams=False)
    assert clone(estimator).get_params() == estimator.get_params()
    fitted = estimator.fit(X, y)
    assert fitted is estimator and sorted(fitted.classes_) == sorted(LABELS)
    proba = fitted.predict_proba(X[:20])
    assert proba.shape == (20, 5) and np.allclose(proba.sum(axis=1), 1.0)
    assert (fitted.predict(X) == np.array(y)).mean() > 0.9


def test_sample_rows_are_gold_clauses_of_the_project_samples_grouped_by_document():
    rows = [json.loads(line) for line in (TRAINING / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert all(r["group"].startswith("sample:") and r["label"] in LABELS for r in rows)
    stems = {r["group"].split(":", 1)[1] for r in rows}
    assert all((ROOT / "corpora" / "samples" / f"{stem}.gold.jsonl").exists() for stem in stems)


def test_training_data_is_large_varied_and_regenerated_identically():
    rows = [json.loads(line) for line in (TRAINING / "clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 1500
    assert {r["label"] for r in rows} == set(LABELS)
    assert sum(1 for r in rows if not r["section_type"] and not r["lead_in"]) >= 150
    sys.path.insert(0, str(TRAINING))
    try:
        import generate
    finally:
        sys.path.remove(str(TRAINING))
    assert generate.generate() == rows


def test_a_broken_model_file_is_refused_with_what_to_do(tmp_path):
    shutil.copytree(model.pack_dir(), tmp_path / "pack")
    (tmp_path / "pack" / "model.joblib").write_bytes(b"not a pickle")
    with pytest.raises(model.PackError, match="run `make train`"):
        model.load_pack(tmp_path / "pack")
