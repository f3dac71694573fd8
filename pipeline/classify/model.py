"""The trained clause model: a scikit-learn estimator and its versioned pack under ``models/``.

``ClauseModel`` follows scikit-learn's estimator rules (parameters set in ``__init__`` only, learned
attributes end in ``_``, ``fit`` returns ``self``), so it works with ``clone`` and ``cross_val_predict``. Its
inputs are ``features.Item`` tuples (text, section type, lead-in, section title, section name; a plain
``(text, section type, lead-in)`` triple is accepted).

It reads a section in two passes:

1. the *first pass* (a logistic regression on ``features.own_features``: the clause's words and lead-in)
   says what each clause is by itself; the clauses of one section vote with these probabilities on what the
   section holds (``sections.votes``);
2. the *second pass* (a logistic regression on the same features plus ``features.section_features``: the
   section type as typed and as settled, the heading's words, the votes) gives the label.

While fitting, the votes of the training rows come from first-pass models that did not see their fold (grouped
folds), so the second pass learns how much votes are worth on unseen text. The confidence is the second pass's
probability with one temperature fitted on held-out folds (``calibrate_on``: the project's real documents), so
that a confidence of 0.8 is right about 8 times in 10 (the model card reports the reliability on the dev set).

The pack (``models/clauses-v2/``) holds ``model.joblib`` and ``meta.json``; ``load_pack`` checks the pack's
version and format and says to run ``make train`` when they do not fit this code.
"""

from __future__ import annotations

import json
import random
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from pipeline.classify import features, rules, sections
from pipeline.records import LABELS, Clause

PACK_VERSION = "clauses-v2"
#: Bumped whenever features.py or ClauseModel change in a way an old pack cannot follow.
PACK_FORMAT = 2
MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models"


class PackError(RuntimeError):
    """The model pack is missing or does not fit this code."""


def _items(X: Sequence) -> list[features.Item]:
    return [x if isinstance(x, features.Item) else features.Item(*x) for x in X]


def grouped_folds(groups: Sequence[str], k: int, seed: int) -> list[int]:
    """A fold for each row: the distinct groups shuffled with the seed, dealt round-robin."""
    distinct = sorted(set(groups))
    random.Random(seed).shuffle(distinct)
    fold_of = {g: i % k for i, g in enumerate(distinct)}
    return [fold_of[g] for g in groups]


class _Linear:
    """A fitted multinomial logistic regression as plain arrays: scores and probabilities without
    scikit-learn's input checks (most of its time on a document's few dozen clauses)."""

    def __init__(self, vocabulary: dict[str, int], names: list[str], coef: np.ndarray, intercept: np.ndarray):
        self.vocabulary = vocabulary
        self.names = names
        self.coef = np.ascontiguousarray(coef.T)  # features x classes
        self.intercept = intercept

    def indices(self, feats) -> list[int]:
        """The columns of a row's features in this vocabulary (unknown features dropped), sorted."""
        vocabulary = self.vocabulary
        return sorted({vocabulary[name] for name in feats if name in vocabulary})

    def matrix(self, rows: Sequence[dict[str, float]], known: Sequence[list[int]] | None = None):
        """The rows as a sparse matrix over this vocabulary (unknown features dropped; all values are 1);
        ``known[i]``, when given, are row i's columns already looked up (merged with those of ``rows[i]``)."""
        from scipy.sparse import csr_matrix

        indices: list[int] = []
        indptr = [0]
        for i, feats in enumerate(rows):
            own = self.indices(feats)
            indices.extend(sorted(set(own) | set(known[i])) if known is not None and known[i] else own)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        return csr_matrix((data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
                          shape=(len(indptr) - 1, len(self.vocabulary)))

    def scores(self, matrix) -> np.ndarray:
        return np.asarray(matrix @ self.coef) + self.intercept


def _softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    scaled = scores / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def _fit_linear(rows: Sequence[dict[str, float]], y: np.ndarray, C: float, seed: int) -> _Linear:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    classifier = LogisticRegression(C=C, tol=1e-3, max_iter=3000, random_state=seed)
    classifier.fit(matrix, y)
    order = [list(classifier.classes_).index(c) for c in sorted(LABELS)]
    return _Linear(dict(vectorizer.vocabulary_), list(vectorizer.feature_names_), classifier.coef_[order],
                   classifier.intercept_[order])


def fit_temperature(scores: np.ndarray, gold: np.ndarray) -> float:
    """The temperature that minimises the log-loss of ``softmax(scores / T)`` on held-out rows."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(len(gold))

    def loss(log_t: float) -> float:
        proba = _softmax(scores, float(np.exp(log_t)))
        return float(-np.mean(np.log(np.clip(proba[rows, gold], 1e-12, None))))

    return float(np.exp(minimize_scalar(loss, bounds=(-2.5, 2.5), method="bounded").x))


class ClauseModel(ClassifierMixin, BaseEstimator):
    """Two passes of multinomial logistic regression over named features, with a fitted temperature.

    ``C`` and ``vote_C`` are the inverse regularisation of the second and first pass; ``folds`` the grouped
    folds of the held-out votes and of the temperature; ``calibrate=False`` keeps temperature 1.
    """

    def __init__(self, C: float = 4.0, vote_C: float = 4.0, folds: int = 3, bigrams: bool = True,
                 cues: bool = True, section: bool = True, lead_in: bool = True, shape: bool = True,
                 rules: bool = True, title: bool = True, votes: bool = True, calibrate: bool = True,
                 random_state: int = 0):
        self.C = C
        self.vote_C = vote_C
        self.folds = folds
        self.bigrams = bigrams
        self.cues = cues
        self.section = section
        self.lead_in = lead_in
        self.shape = shape
        self.rules = rules
        self.title = title
        self.votes = votes
        self.calibrate = calibrate
        self.random_state = random_state

    def settings(self) -> features.Settings:
        return features.Settings(bigrams=self.bigrams, cues=self.cues, section=self.section,
                                 lead_in=self.lead_in, shape=self.shape, rules=self.rules, title=self.title,
                                 votes=self.votes)

    # --- fitting --------------------------------------------------------------------------------

    def fit(self, X: Sequence, y: Sequence[str], groups: Sequence[str] | None = None,
            calibrate_on: Sequence[bool] | None = None) -> ClauseModel:
        """Fit both passes. ``groups`` (default: each row's section, or the row itself) keeps related rows in
        one fold; ``calibrate_on`` marks the rows the temperature is fitted on (default: all)."""
        items = _items(X)
        y = np.asarray(y)
        self.classes_ = np.array(sorted(LABELS))
        gold = np.searchsorted(self.classes_, y)
        groups = list(groups) if groups is not None else [x.section or f"row:{i}" for i, x in enumerate(items)]
        fold_of = np.asarray(grouped_folds(groups, self.folds, self.random_state))
        settings = self.settings()
        own = [features.own_features(x.text, x.lead_in, settings) for x in items]

        self.first_ = _fit_linear(own, y, self.vote_C, self.random_state)
        votes = [""] * len(items)
        if self.votes:
            held_out = np.zeros((len(items), len(self.classes_)))
            for k in range(self.folds):
                train, test = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
                first = _fit_linear([own[i] for i in train], y[train], self.vote_C, self.random_state)
                held_out[test] = _softmax(first.scores(first.matrix([own[i] for i in test])))
            votes = sections.votes(list(self.classes_), held_out.tolist(), [x.list_name for x in items])
        rows = [{**own[i], **features.section_features(x, votes[i], settings)} for i, x in enumerate(items)]
        self.second_ = _fit_linear(rows, y, self.C, self.random_state)
        self.temperature_ = 1.0
        if self.calibrate:
            mask = np.ones(len(items), bool) if calibrate_on is None else np.asarray(calibrate_on, bool)
            scores = np.zeros((len(items), len(self.classes_)))
            for k in range(self.folds):
                train, test = np.flatnonzero(fold_of != k), np.flatnonzero((fold_of == k) & mask)
                if len(test):
                    second = _fit_linear([rows[i] for i in train], y[train], self.C, self.random_state)
                    scores[test] = second.scores(second.matrix([rows[i] for i in test]))
            self.temperature_ = fit_temperature(scores[mask], gold[mask])
        self.coef_ = self.second_.coef.T
        self.n_features_ = len(self.second_.names)
        return self

    # --- predicting -----------------------------------------------------------------------------

    def first_pass(self, items: Sequence[features.Item]) -> np.ndarray:
        """Each clause's probabilities by its own words and lead-in alone."""
        settings = self.settings()
        rows = [features.own_features(x.text, x.lead_in, settings) for x in items]
        return _softmax(self.first_.scores(self.first_.matrix(rows)))

    def second_rows(self, items: Sequence[features.Item], votes: Sequence[str]) -> list[dict[str, float]]:
        settings = self.settings()
        return [{**features.own_features(x.text, x.lead_in, settings), **features.section_features(x, v, settings)}
                for x, v in zip(items, votes, strict=True)]

    def votes_of(self, items: Sequence[features.Item]) -> list[str]:
        if not self.votes:
            return [""] * len(items)
        return sections.votes(list(self.classes_), self.first_pass(items).tolist(), [x.list_name for x in items])

    def predict_proba(self, X: Sequence) -> np.ndarray:
        items = _items(X)
        matrix = self.second_.matrix(self.second_rows(items, self.votes_of(items)))
        return _softmax(self.second_.scores(matrix), self.temperature_)

    def predict(self, X: Sequence) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def top_features(self, matrix, row: int, label: str, n: int = 3) -> list[str]:
        """The features present in ``matrix[row]`` that pushed most towards ``label``."""
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        indices = matrix.indices[lo:hi]
        scores = self.coef_[list(self.classes_).index(label), indices] * matrix.data[lo:hi]
        names = self.second_.names
        best = np.argsort(-scores)[:n + 1]
        return [names[indices[j]] for j in best if scores[j] > 0 and names[indices[j]] != "bias"][:n]


class ModelClassifier:
    """A fitted ClauseModel behind the batch interface (``predict`` on records).

    A clause's first-pass probabilities depend on its text and lead-in, its label on those, its section's
    context and its section's votes: each distinct one is computed once per process and remembered (the oldest
    forgotten past ``REMEMBERED``, so memory stays bounded on any number of documents)."""

    kind = "model"
    REMEMBERED = 50_000

    def __init__(self, model: ClauseModel, meta: dict):
        self.model = model
        self.meta = meta
        self.classes = [str(c) for c in model.classes_]
        self._first: dict[tuple[str, str], list[float]] = {}
        self._known: dict[tuple, tuple[str, float, str]] = {}
        self._columns: dict[tuple[str, str], list[int]] = {}  # a clause's own features in the second pass

    def forget(self) -> None:
        """Drop what was remembered (for measuring speed from cold)."""
        self._first.clear()
        self._known.clear()
        self._columns.clear()

    def predict(self, clauses: Sequence[Clause]) -> list[Clause]:
        if not clauses:
            return []
        items = features.items_of(clauses)
        votes = self._votes(items)
        keys = [(x.text, x.section_type, x.lead_in, x.section_title, v) for x, v in zip(items, votes, strict=True)]
        missing = {key: (x, v) for key, x, v in zip(keys, items, votes, strict=True) if key not in self._known}
        if missing:
            self._classify(list(missing), [x for x, _ in missing.values()], [v for _, v in missing.values()])
        return [_labelled(clause, *self._known[key]) for clause, key in zip(clauses, keys, strict=True)]

    def _votes(self, items: list[features.Item]) -> list[str]:
        if not self.model.votes:
            return [""] * len(items)
        first = self._first
        names = [x.list_name for x in items]
        if not any(names):
            return [""] * len(items)
        missing = [x for x in dict.fromkeys(x for x, name in zip(items, names, strict=True) if name)
                   if (x.text, x.lead_in) not in first]
        if missing:
            for x, row in zip(missing, self.model.first_pass(missing).tolist(), strict=True):
                first[(x.text, x.lead_in)] = row
        uniform = [1 / len(self.classes)] * len(self.classes)
        scores = [first.get((x.text, x.lead_in), uniform) if name else uniform for x, name in zip(items, names,
                                                                                                  strict=True)]
        while len(first) > self.REMEMBERED:
            del first[next(iter(first))]
        return sections.votes(self.classes, scores, names)

    def _classify(self, keys: list[tuple], items: list[features.Item], votes: list[str]) -> None:
        model = self.model
        settings = model.settings()
        columns = self._columns
        for x in items:
            if (x.text, x.lead_in) not in columns:
                columns[(x.text, x.lead_in)] = model.second_.indices(features.own_features(x.text, x.lead_in, settings))
        matrix = model.second_.matrix([features.section_features(x, v, settings) for x, v in zip(items, votes, strict=True)],
                                      [columns[(x.text, x.lead_in)] for x in items])
        while len(columns) > self.REMEMBERED:
            del columns[next(iter(columns))]
        proba = _softmax(model.second_.scores(matrix), model.temperature_)
        best = proba.argmax(axis=1)
        confidence = proba[np.arange(len(items)), best].tolist()
        tops = self._top_features(matrix, best)
        for i, (key, item) in enumerate(zip(keys, items, strict=True)):
            label = self.classes[best[i]]
            self._known[key] = (label, round(confidence[i], 4), self.reason(item, votes[i], label, tops[i]))
        while len(self._known) > self.REMEMBERED:
            del self._known[next(iter(self._known))]

    def _top_features(self, matrix, best: np.ndarray, n: int = 3) -> list[list[str]]:
        """``ClauseModel.top_features`` of every row for its best class, the rows' scores read in one go."""
        indptr = matrix.indptr.tolist()
        rows = np.repeat(best, np.diff(matrix.indptr))
        scores = self.model.coef_[rows, matrix.indices] * matrix.data
        names = self.model.second_.names
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
    def reason(item: features.Item, vote: str, label: str, top: list[str]) -> str:
        settled, how = sections.effective_type(item.section_type, item.section_title, vote)
        decision = rules.decide(item.text, settled, item.lead_in)
        agree = "agreed" if decision.label == label else f"said {decision.label}"
        cue = f" «{decision.cue}»" if decision.cue else ""
        said = ", ".join(features.describe(name) for name in top) or "no strong feature"
        where = rules.prior_note(label, settled) + (f" (from its {how})" if how in ("title", "content") else "")
        return f"model: {said}; rule {decision.rule}{cue} {agree}; {where}"


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
