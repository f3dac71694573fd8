"""The trained clause model: a scikit-learn estimator and its versioned pack under ``models/``.

``ClauseModel`` follows scikit-learn's estimator rules (parameters set in ``__init__`` only,
learned attributes end in ``_``, ``fit`` returns ``self``), so it works with ``clone``,
``cross_val_predict`` and ``GridSearchCV``. Its inputs are (text, section type, lead-in) items.

The pack (``models/clauses-v1/``) holds ``model.joblib`` and ``meta.json``; ``load_pack`` checks
the pack's version and format and says to run ``make train`` when they do not fit this code.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from pipeline.classify import features, rules
from pipeline.records import LABELS, Clause

PACK_VERSION = "clauses-v1"
#: Bumped whenever features.py or ClauseModel change in a way an old pack cannot follow.
PACK_FORMAT = 1
MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models"


class PackError(RuntimeError):
    """The model pack is missing or does not fit this code."""


class ClauseModel(ClassifierMixin, BaseEstimator):
    """Lemma, cue, section, lead-in, shape and rule features -> a calibrated linear classifier.

    ``estimator``: ``"logreg"`` (LogisticRegression) or ``"svm"`` (LinearSVC); both are wrapped in
    ``CalibratedClassifierCV`` (sigmoid) so that ``predict_proba`` is a probability one can threshold.
    """

    def __init__(self, estimator: str = "logreg", C: float = 4.0, calibration_folds: int = 3,
                 bigrams: bool = True, cues: bool = True, section: bool = True, lead_in: bool = True,
                 shape: bool = True, rules: bool = True, random_state: int = 0):
        self.estimator = estimator
        self.C = C
        self.calibration_folds = calibration_folds
        self.bigrams = bigrams
        self.cues = cues
        self.section = section
        self.lead_in = lead_in
        self.shape = shape
        self.rules = rules
        self.random_state = random_state

    def settings(self) -> features.Settings:
        return features.Settings(bigrams=self.bigrams, cues=self.cues, section=self.section,
                                 lead_in=self.lead_in, shape=self.shape, rules=self.rules)

    def _base(self):
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        if self.estimator == "logreg":
            return LogisticRegression(C=self.C, max_iter=2000, random_state=self.random_state)
        if self.estimator == "svm":
            return LinearSVC(C=self.C / 8, random_state=self.random_state)
        raise ValueError(f"unknown estimator {self.estimator!r}")

    def fit(self, X: Sequence[features.Item], y: Sequence[str]) -> ClauseModel:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction import DictVectorizer

        self.vectorizer_ = DictVectorizer()
        matrix = self.vectorizer_.fit_transform(features.featurize_all(X, self.settings()))
        self.classifier_ = CalibratedClassifierCV(self._base(), method="sigmoid", cv=self.calibration_folds)
        self.classifier_.fit(matrix, np.asarray(y))
        self.classes_ = self.classifier_.classes_
        self.coef_ = np.mean([c.estimator.coef_ for c in self.classifier_.calibrated_classifiers_], axis=0)
        return self

    def matrix(self, X: Sequence[features.Item]):
        """The feature matrix of items (rows in order); unknown features are dropped.

        Built from the vectorizer's vocabulary directly: all values are 1.0, and this is several
        times faster than ``DictVectorizer.transform`` on short clauses.
        """
        from scipy.sparse import csr_matrix

        vocabulary = self.vectorizer_.vocabulary_
        indices: list[int] = []
        indptr = [0]
        for feats in features.featurize_all(X, self.settings()):
            row = sorted({vocabulary[name] for name in feats if name in vocabulary})
            indices.extend(row)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        return csr_matrix((data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
                          shape=(len(indptr) - 1, len(vocabulary)))

    def predict_proba(self, X: Sequence[features.Item]) -> np.ndarray:
        return self.classifier_.predict_proba(self.matrix(X))

    def predict(self, X: Sequence[features.Item]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def top_features(self, matrix, row: int, label: str, n: int = 3) -> list[str]:
        """The features present in ``matrix[row]`` that pushed most towards ``label``."""
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        indices = matrix.indices[lo:hi]
        scores = self.coef_[list(self.classes_).index(label), indices] * matrix.data[lo:hi]
        names = self.vectorizer_.feature_names_
        best = np.argsort(-scores)[:n + 1]
        return [names[indices[j]] for j in best if scores[j] > 0 and names[indices[j]] != "bias"][:n]


class CompiledProba:
    """``CalibratedClassifierCV.predict_proba`` of a fitted sigmoid-calibrated linear model, in plain numpy.

    scikit-learn validates its input at every step (about 95% of its time on a document's few
    dozen clauses); this view does the same arithmetic in the same order on the arrays it reads
    once: per calibration fold, decision function ``X @ coef.T + intercept``, one sigmoid
    ``expit(-(a * d + b))`` per class, rows normalised to 1; folds averaged. The estimator itself
    is left as it is, so the model still works through scikit-learn's API.
    """

    def __init__(self, calibrated):
        if getattr(calibrated, "method", None) != "sigmoid" or len(calibrated.classes_) < 3:
            raise ValueError("only a sigmoid-calibrated multi-class model can be compiled")
        folds = []
        for fold in calibrated.calibrated_classifiers_:
            order = [list(calibrated.classes_).index(c) for c in fold.estimator.classes_]
            if order != list(range(len(calibrated.classes_))) or len(fold.calibrators) != len(order):
                raise ValueError("a fold's classes differ from the model's")
            folds.append(fold)
        self.classes = calibrated.classes_
        self.width = len(self.classes)
        # one (features x folds*classes) matrix: a sparse row times it gives every fold's scores at once,
        # each output element summed in the same order as a fold on its own
        self.coef = np.ascontiguousarray(np.hstack([f.estimator.coef_.T for f in folds]))
        self.intercept = np.concatenate([f.estimator.intercept_ for f in folds])
        self.a = np.array([c.a_ for f in folds for c in f.calibrators], dtype=np.float64)
        self.b = np.array([c.b_ for f in folds for c in f.calibrators], dtype=np.float64)
        self.folds = len(folds)

    def __call__(self, matrix) -> np.ndarray:
        from scipy.special import expit

        scores = (matrix @ self.coef) + self.intercept
        sigmoid = expit(-(self.a * scores + self.b))
        mean = np.zeros((matrix.shape[0], self.width))
        for k in range(self.folds):
            proba = np.array(sigmoid[:, k * self.width:(k + 1) * self.width])
            denominator = np.sum(proba, axis=1)[:, np.newaxis]
            uniform = np.full_like(proba, 1 / self.width)
            mean += np.divide(proba, denominator, out=uniform, where=denominator != 0)
        mean /= self.folds
        mean[(1.0 < mean) & (mean <= 1.0 + 1e-5)] = 1.0
        return mean


def compile_proba(model: ClauseModel):
    """The fast ``predict_proba`` on a feature matrix; scikit-learn's own when the model has another form."""
    try:
        return CompiledProba(model.classifier_)
    except (AttributeError, ValueError):
        return model.classifier_.predict_proba


class ModelClassifier:
    """A fitted ClauseModel behind the batch interface (``predict`` on records).

    A clause's label, confidence and reason depend on its (text, section type, lead-in) alone, and
    the same clauses recur across the instructions of one organisation or one template: each
    distinct item is classified once per process and remembered (the oldest forgotten past
    ``REMEMBERED`` items, so memory stays bounded on any number of documents).
    """

    kind = "model"
    REMEMBERED = 50_000

    def __init__(self, model: ClauseModel, meta: dict):
        self.model = model
        self.meta = meta
        self.proba = compile_proba(model)
        self.classes = [str(c) for c in model.classes_]
        self._known: dict[features.Item, tuple[str, float, str]] = {}

    def predict(self, clauses: Sequence[Clause]) -> list[Clause]:
        if not clauses:
            return []
        items = features.items_of(clauses)
        known = self._known
        missing = [item for item in dict.fromkeys(items) if item not in known]
        if missing:
            self._classify(missing)
        return [_labelled(clause, *known[item]) for clause, item in zip(clauses, items, strict=True)]

    def _classify(self, items: list[features.Item]) -> None:
        matrix = self.model.matrix(items)
        proba = self.proba(matrix)
        best = proba.argmax(axis=1)
        confidence = proba[np.arange(len(items)), best].tolist()
        tops = self._top_features(matrix, best)
        for i, item in enumerate(items):
            label = self.classes[best[i]]
            self._known[item] = (label, round(confidence[i], 4), self.reason(item, label, tops[i]))
        while len(self._known) > self.REMEMBERED:
            del self._known[next(iter(self._known))]

    def _top_features(self, matrix, best: np.ndarray, n: int = 3) -> list[list[str]]:
        """``ClauseModel.top_features`` of every row for its best class, the rows' scores read in one go."""
        indptr = matrix.indptr.tolist()
        rows = np.repeat(best, np.diff(matrix.indptr))
        scores = self.model.coef_[rows, matrix.indices] * matrix.data
        names = self.model.vectorizer_.feature_names_
        indices = matrix.indices.tolist()
        out = []
        for lo, hi in zip(indptr, indptr[1:], strict=False):
            row = scores[lo:hi]
            order = np.argsort(-row)[:n + 1].tolist()
            values = row.tolist()
            out.append([names[indices[lo + j]] for j in order
                        if values[j] > 0 and names[indices[lo + j]] != "bias"][:n])
        return out

    @staticmethod
    def reason(item: features.Item, label: str, top: list[str]) -> str:
        text, section_type, lead_in = item
        decision = rules.decide(text, section_type, lead_in)
        agree = "agreed" if decision.label == label else f"said {decision.label}"
        cue = f" «{decision.cue}»" if decision.cue else ""
        said = ", ".join(features.describe(name) for name in top) or "no strong feature"
        return f"model: {said}; rule {decision.rule}{cue} {agree}; {rules.prior_note(label, section_type)}"


def _labelled(clause: Clause, label: str, confidence: float, reason: str) -> Clause:
    """``dataclasses.replace(clause, label=..., confidence=..., reason=...)`` at a fifth of its cost.

    The copy takes the fields' values as they are (replace would pass them through ``__init__``,
    which only stores them): thirty clauses a document make this the classifier's largest cost.
    """
    copy = object.__new__(Clause)
    copy.__dict__.update(clause.__dict__, label=label, confidence=confidence, reason=reason)
    return copy


def pack_dir(directory: Path | None = None) -> Path:
    return Path(directory) if directory is not None else MODELS_DIR / PACK_VERSION


def pack_exists(directory: Path | None = None) -> bool:
    return (pack_dir(directory) / "meta.json").exists()


def read_meta(directory: Path | None = None) -> dict:
    path = pack_dir(directory) / "meta.json"
    if not path.exists():
        raise PackError(f"no model pack at {path.parent}: run `make train` to build it")
    meta = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("version") != PACK_VERSION or meta.get("format") != PACK_FORMAT:
        raise PackError(
            f"model pack {path.parent} is version {meta.get('version')!r} format {meta.get('format')!r}, "
            f"this code needs {PACK_VERSION!r} format {PACK_FORMAT}: run `make train` to rebuild it"
        )
    if tuple(meta.get("labels", ())) != tuple(sorted(LABELS)):
        raise PackError(f"model pack {path.parent} has labels {meta.get('labels')}: run `make train` to rebuild it")
    return meta


def load_pack(directory: Path | None = None) -> ModelClassifier:
    """The classifier of a pack, after checking its version (PackError with what to do otherwise)."""
    import joblib

    meta = read_meta(directory)
    model_path = pack_dir(directory) / meta.get("model_file", "model.joblib")
    if not model_path.exists():
        raise PackError(f"model pack {model_path.parent} has no {model_path.name}: run `make train` to rebuild it")
    import sklearn

    built = meta.get("libraries", {}).get("scikit-learn", "?")
    try:
        with warnings.catch_warnings():
            # a pickle from another scikit-learn release warns; if it loads and predicts, it is usable
            warnings.simplefilter("ignore")
            model = joblib.load(model_path)
            model.predict_proba([("Ведет учет.", "", "")])
    except Exception as error:  # noqa: BLE001 - any unpickling failure means the same thing to a person
        raise PackError(f"model pack {model_path.parent} (built with scikit-learn {built}) does not load with "
                        f"scikit-learn {sklearn.__version__}: {error}; run `make train` to rebuild it") from error
    return ModelClassifier(model, meta)
