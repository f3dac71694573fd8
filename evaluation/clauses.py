"""The scoring of ``../shared/eval/FORMAT.md``: predicted clause records against gold files.

Per document, predicted and gold clauses are compared by normalised text and paired greedily,
most similar first, when ``rapidfuzz.fuzz.ratio / 100 >= 0.90``. From the pairs come segmentation
P/R/F1, classification accuracy and macro-F1, labelled F1 and position accuracy; every figure of
a set is micro-averaged over its documents (counts are summed, then divided).

>>> gold = [GoldClause(1, "2.1", "Ведёт учёт.", "duty")]
>>> score_document(GoldDocument("d", (GoldInstruction(1, "", "бухгалтер"),), tuple(gold)),
...                [{"instruction": 1, "position": "Бухгалтер", "text": "2.1. ведет учет;", "label": "duty"}]).labelled
1
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.records import LABELS

#: A pair may match when its similarity is at least this (FORMAT.md, Scoring 1).
THRESHOLD = 0.90
# fuzz.ratio is a float percentage; a pair at exactly 90 % may come out as 89.99999999999999.
_EPSILON = 1e-9

GOLD_SUFFIX = ".gold.jsonl"
CLUSTER_SUFFIX = ".clusters.jsonl"

# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

_SPACE_RUN = re.compile(r"\s+")
# A leading clause number or bullet: "2.1.", "1.4.1 ", "3)", "а)", "•", "-", "–", "—" and kin.
# Letters only count with a closing bracket, so the conjunction "а" is never taken for a number.
_LEADING_MARK = re.compile(
    r"^(?:\d+(?:\.\d+)*(?:[.)]|(?=\s)|$)|[a-zа-я]\)|[•·▪◦●○■□►➢➤✓✔*\-–—−🔹])\s*"
)
_TRAILING = ".,;: "


def normalise(text: str) -> str:
    """The text clauses are compared by (FORMAT.md, Scoring).

    >>> normalise("  2.1. Ведёт   учёт\\tкассы; ")
    'ведет учет кассы'
    >>> normalise("• - основы трудового законодательства;")
    'основы трудового законодательства'
    >>> normalise("а) Принимать решения.")
    'принимать решения'
    >>> normalise("3)Соблюдает правила:")
    'соблюдает правила'
    """
    text = _SPACE_RUN.sub(" ", text.lower().replace("ё", "е")).strip()
    while True:
        stripped = _LEADING_MARK.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return text.rstrip(_TRAILING)


def normalise_position(position: str) -> str:
    """Positions compare after lower-casing and ``ё`` -> ``е`` (outer and repeated spaces ignored).

    >>> normalise_position(" Главный  Бухгалтёр ")
    'главный бухгалтер'
    """
    return _SPACE_RUN.sub(" ", position.lower().replace("ё", "е")).strip()


def similarity(a: str, b: str) -> float:
    """``fuzz.ratio / 100`` of the normalised texts.

    >>> similarity("Ведет учет.", "2.1. ведёт учёт")
    1.0
    """
    from rapidfuzz import fuzz

    return fuzz.ratio(normalise(a), normalise(b)) / 100


def match(gold_texts: Sequence[str], predicted_texts: Sequence[str]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one pairs ``(gold index, predicted index, similarity)``, most similar first.

    Ties go to the earlier gold clause, then to the earlier prediction, so duplicated texts pair in
    document order.

    >>> match(["ведет учет", "ведет учет кассы"], ["ведет учет кассы", "ведет учет", "иное"])
    [(0, 1, 1.0), (1, 0, 1.0)]
    """
    if not gold_texts or not predicted_texts:
        return []
    import numpy as np
    from rapidfuzz import fuzz, process

    gold_norm = [normalise(t) for t in gold_texts]
    pred_norm = [normalise(t) for t in predicted_texts]
    scores = process.cdist(gold_norm, pred_norm, scorer=fuzz.ratio, dtype=np.float64)
    candidates = [
        (float(scores[g, p]) / 100, g, p)
        for g, p in zip(*(scores >= THRESHOLD * 100 - _EPSILON).nonzero(), strict=True)
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for score, g, p in candidates:
        if g in used_gold or p in used_pred:
            continue
        used_gold.add(g)
        used_pred.add(p)
        pairs.append((int(g), int(p), min(score, 1.0)))
    return pairs


# ---------------------------------------------------------------------------------------------
# Gold files and prediction records
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldInstruction:
    index: int
    title: str
    position: str
    position_alt: tuple[str, ...] = ()

    def accepts(self, position: str) -> bool:
        """Whether a predicted position is this instruction's position or one of its alternatives."""
        wanted = {normalise_position(p) for p in (self.position, *self.position_alt)}
        return normalise_position(position) in wanted


@dataclass(frozen=True)
class GoldClause:
    instruction: int
    number: str
    text: str
    label: str
    optional: bool = False


@dataclass(frozen=True)
class GoldDocument:
    name: str  # the stem: the file name without ``.gold.jsonl``
    instructions: tuple[GoldInstruction, ...] = ()
    clauses: tuple[GoldClause, ...] = ()


def _read_jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig") as lines:
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{lineno}: not JSON: {error.msg}") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{lineno}: not a JSON object")
            yield lineno, record


def _gold_record(path: Path, lineno: int, record: dict[str, Any]) -> GoldInstruction | GoldClause:
    kind = record.get("type")
    where = f"{path}:{lineno}"
    if kind == "instruction":
        return GoldInstruction(
            index=int(record.get("instruction", 1)),
            title=str(record.get("title", "")),
            position=str(record.get("position", "")),
            position_alt=tuple(str(p) for p in record.get("position_alt", ())),
        )
    if kind == "clause":
        label = record.get("label", "")
        if label not in LABELS:
            raise ValueError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
        if not isinstance(record.get("text"), str):
            raise ValueError(f"{where}: clause without text")
        return GoldClause(
            instruction=int(record.get("instruction") or 0),  # optional narrative items have none
            number=str(record.get("number", "")),
            text=record["text"],
            label=label,
            optional=bool(record.get("optional", False)),
        )
    raise ValueError(f"{where}: type {kind!r} is neither 'instruction' nor 'clause'")


def read_gold_file(path: Path) -> GoldDocument:
    instructions, clauses = [], []
    for lineno, record in _read_jsonl(path):
        item = _gold_record(path, lineno, record)
        (instructions if isinstance(item, GoldInstruction) else clauses).append(item)
    return GoldDocument(path.name[: -len(GOLD_SUFFIX)], tuple(instructions), tuple(clauses))


def load_gold(gold_dir: Path) -> dict[str, GoldDocument]:
    """Every ``*.gold.jsonl`` of a folder, keyed by document stem (``07_buhgalter``)."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise ValueError(f"{gold_dir}: not a folder")
    paths = sorted(gold_dir.glob("*" + GOLD_SUFFIX))
    return {doc.name: doc for doc in map(read_gold_file, paths)}


def load_predictions(path: Path) -> list[dict[str, Any]]:
    """The records of a ``clauses.jsonl``; each needs at least ``source`` and ``text``."""
    records = []
    for lineno, record in _read_jsonl(Path(path)):
        for key in ("source", "text"):
            if not isinstance(record.get(key), str):
                raise ValueError(f"{path}:{lineno}: record without {key!r}")
        records.append(record)
    return records


def source_stem(source: str) -> str:
    """The document a prediction belongs to: its file name without folders and extension.

    >>> source_stem("07_buhgalter.docx"), source_stem("in/a.b.html"), source_stem("README")
    ('07_buhgalter', 'a.b', 'README')
    """
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


def _by_stem(predictions: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in predictions:
        grouped[source_stem(str(record.get("source", "")))].append(record)
    return grouped


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def ratio(numerator: int, denominator: int) -> float | None:
    """``None`` where the denominator is zero (shown as ``-``): nothing to measure."""
    return numerator / denominator if denominator else None


def f1(true_positives: int, predicted: int, gold: int) -> float | None:
    """F1 = 2TP / (predicted + gold), which equals 2PR / (P + R) and stays defined when P is not."""
    return ratio(2 * true_positives, predicted + gold)


def macro_f1(pairs: Sequence[tuple[str, str]]) -> tuple[float | None, dict[str, float]]:
    """Macro-F1 over the five labels, from ``(gold label, predicted label)`` pairs.

    A label that is in neither the gold nor the predicted labels is left out of the average
    (as scikit-learn does); one present on a single side scores 0.

    >>> macro_f1([("duty", "duty"), ("right", "duty")])
    (0.3333333333333333, {'duty': 0.6666666666666666, 'right': 0.0})
    """
    gold = Counter(g for g, _ in pairs)
    pred = Counter(p for _, p in pairs)
    hits = Counter(g for g, p in pairs if g == p)
    per_label = {
        label: 2 * hits[label] / (gold[label] + pred[label])
        for label in LABELS
        if gold[label] or pred[label]
    }
    if not per_label:
        return None, {}
    return sum(per_label.values()) / len(per_label), per_label


@dataclass
class DocumentScore:
    """The counts of one document; every figure is derived from counts so sets can sum them."""

    name: str
    predicted: int = 0  # prediction records of the document
    gold: int = 0  # non-optional gold clauses
    optional: int = 0  # optional gold clauses
    matched: int = 0  # pairs with a non-optional gold clause
    matched_optional: int = 0  # pairs with an optional gold clause
    labelled: int = 0  # non-optional pairs with the same label
    positions: int = 0  # gold instructions with a position
    positions_right: int = 0
    label_pairs: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: DocumentScore) -> None:
        for name in ("predicted", "gold", "optional", "matched", "matched_optional", "labelled",
                     "positions", "positions_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.label_pairs += other.label_pairs

    def figures(self) -> dict[str, float | None]:
        scored = self.predicted - self.matched_optional
        return {
            "segmentation_precision": ratio(self.matched, scored),
            "segmentation_recall": ratio(self.matched, self.gold),
            "segmentation_f1": f1(self.matched, scored, self.gold),
            "classification_accuracy": ratio(self.labelled, self.matched),
            "classification_macro_f1": macro_f1(self.label_pairs)[0],
            "labelled_precision": ratio(self.labelled, scored),
            "labelled_recall": ratio(self.labelled, self.gold),
            "labelled_f1": f1(self.labelled, scored, self.gold),
            "position_accuracy": ratio(self.positions_right, self.positions),
        }

    def counts(self) -> dict[str, int]:
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "optional": self.optional,
            "matched": self.matched,
            "matched_optional": self.matched_optional,
            "labelled": self.labelled,
            "positions": self.positions,
            "positions_right": self.positions_right,
        }


def _instruction_positions(predicted: Sequence[dict[str, Any]]) -> dict[Any, str]:
    """The position the pipeline gave each of its instructions: the most frequent on its records."""
    votes: dict[Any, Counter[str]] = defaultdict(Counter)
    for record in predicted:
        votes[record.get("instruction", 1)][str(record.get("position") or "")] += 1
    return {index: counter.most_common(1)[0][0] for index, counter in votes.items()}


def _assigned_instruction(gold_clauses: Sequence[int], doc: GoldDocument, pred_of: dict[int, int],
                          predicted: Sequence[dict[str, Any]]) -> Any | None:
    """The predicted instruction that got most of these gold clauses' matches (the earliest on a tie).

    Non-optional clauses vote; optional ones only when no non-optional clause of it was matched.
    """
    voters = [g for g in gold_clauses if g in pred_of and not doc.clauses[g].optional]
    voters = voters or [g for g in gold_clauses if g in pred_of]
    votes: Counter[Any] = Counter()
    first: dict[Any, int] = {}
    for g in voters:
        index = predicted[pred_of[g]].get("instruction", 1)
        votes[index] += 1
        first.setdefault(index, pred_of[g])
    if not votes:
        return None
    return max(votes, key=lambda index: (votes[index], -first[index]))


def _score_positions(doc: GoldDocument, predicted: Sequence[dict[str, Any]],
                     pairs: Sequence[tuple[int, int, float]]) -> tuple[int, int]:
    pred_of = {g: p for g, p, _ in pairs}
    positions = _instruction_positions(predicted)
    total = right = 0
    for instruction in doc.instructions:
        if not instruction.position.strip():
            continue
        total += 1
        clauses = [i for i, c in enumerate(doc.clauses) if c.instruction == instruction.index]
        assigned = _assigned_instruction(clauses, doc, pred_of, predicted)
        if assigned is not None and instruction.accepts(positions.get(assigned, "")):
            right += 1
    return total, right


def score_document(doc: GoldDocument, predicted: Sequence[dict[str, Any]]) -> DocumentScore:
    """The counts of one gold document against the prediction records of the same source."""
    pairs = match([c.text for c in doc.clauses], [str(r.get("text", "")) for r in predicted])
    score = DocumentScore(
        name=doc.name,
        predicted=len(predicted),
        gold=sum(not c.optional for c in doc.clauses),
        optional=sum(c.optional for c in doc.clauses),
    )
    for g, p, _ in pairs:
        clause = doc.clauses[g]
        if clause.optional:
            score.matched_optional += 1
            continue
        label = str(predicted[p].get("label", ""))
        score.matched += 1
        score.labelled += label == clause.label
        score.label_pairs.append((clause.label, label))
    score.positions, score.positions_right = _score_positions(doc, predicted, pairs)
    return score


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------

_FIGURE_ROWS = (
    ("segmentation precision", "segmentation_precision", "matched", "scored"),
    ("segmentation recall", "segmentation_recall", "matched", "gold"),
    ("segmentation F1", "segmentation_f1", "", ""),
    ("classification accuracy", "classification_accuracy", "labelled", "matched"),
    ("classification macro-F1", "classification_macro_f1", "", ""),
    ("labelled precision", "labelled_precision", "labelled", "scored"),
    ("labelled recall", "labelled_recall", "labelled", "gold"),
    ("labelled F1", "labelled_f1", "", ""),
    ("position accuracy", "position_accuracy", "positions_right", "positions"),
)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@dataclass
class Report:
    """The scores of one gold set: per-document counts and the micro-averaged figures."""

    name: str
    documents: list[DocumentScore]
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> DocumentScore:
        total = DocumentScore(name="all")
        for doc in self.documents:
            total.add(doc)
        return total

    def figures(self) -> dict[str, float | None]:
        return self.total.figures()

    def table(self, per_document: bool = False) -> str:
        total = self.total
        counts = total.counts() | {"scored": total.predicted - total.matched_optional}
        figures = total.figures()
        lines = [
            f"gold set {self.name}: {len(self.documents)} documents, {total.gold} gold clauses "
            f"(+{total.optional} optional), {total.predicted} predicted",
            f"{'metric':<26} {'value':>6}  counts",
        ]
        for title, key, num, den in _FIGURE_ROWS:
            shown = f"{counts[num]}/{counts[den]}" if num else ""
            lines.append(f"{title:<26} {_fmt(figures[key]):>6}  {shown}".rstrip())
        _, per_label = macro_f1(total.label_pairs)
        if per_label:
            lines.append("F1 by label: " + ", ".join(f"{k} {_fmt(v)}" for k, v in per_label.items()))
        if per_document:
            lines += ["", *self._document_rows()]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def _document_rows(self) -> list[str]:
        width = max([len("document"), *(len(d.name) for d in self.documents)])
        head = (f"{'document':<{width}} {'gold':>5} {'opt':>4} {'pred':>5} {'match':>5} "
                f"{'seg-P':>6} {'seg-R':>6} {'seg-F1':>6} {'acc':>6} {'lab-F1':>6} {'pos':>5}")
        rows = [head, "-" * len(head)]
        for doc in [*self.documents, self.total]:
            f = doc.figures()
            pos = f"{doc.positions_right}/{doc.positions}"
            rows.append(
                f"{doc.name:<{width}} {doc.gold:>5} {doc.optional:>4} {doc.predicted:>5} {doc.matched:>5} "
                f"{_fmt(f['segmentation_precision']):>6} {_fmt(f['segmentation_recall']):>6} "
                f"{_fmt(f['segmentation_f1']):>6} {_fmt(f['classification_accuracy']):>6} "
                f"{_fmt(f['labelled_f1']):>6} {pos:>5}"
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        total = self.total
        return {
            "set": self.name,
            "figures": total.figures(),
            "counts": total.counts(),
            "f1_by_label": macro_f1(total.label_pairs)[1],
            "warnings": self.warnings,
            "documents": [
                {"document": d.name, "figures": d.figures(), "counts": d.counts()} for d in self.documents
            ],
        }


def evaluate(gold_dir: Path, predictions: list[dict[str, Any]]) -> Report:
    """Score prediction records against the gold files of a folder.

    Predictions pair with gold files by the stem of ``source``; a gold document without predictions
    counts as all missed, predictions for documents without a gold file are ignored.
    """
    gold = load_gold(Path(gold_dir))
    grouped = _by_stem(predictions)
    documents = [score_document(doc, grouped.get(name, [])) for name, doc in sorted(gold.items())]
    return Report(name=Path(gold_dir).name, documents=documents, warnings=_shared_stems(gold, grouped))


def _shared_stems(gold: dict[str, GoldDocument], grouped: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Gold documents whose predictions come from several files (``a.docx`` and ``a.txt``): all are scored."""
    warnings = []
    for name in sorted(gold):
        sources = sorted({str(r.get("source", "")) for r in grouped.get(name, [])})
        if len(sources) > 1:
            warnings.append(f"{name}: predictions from {len(sources)} files ({', '.join(sources)}) "
                            "are scored together against one gold file")
    return warnings


# ---------------------------------------------------------------------------------------------
# Catalogue clusters
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldClusterClause:
    source: str  # the document stem
    text: str
    label: str
    cluster: str


def load_clusters(gold_dir: Path) -> list[GoldClusterClause]:
    """Every clause of every ``*.clusters.jsonl`` in the folder (one pool: cluster names are global)."""
    clauses = []
    for path in sorted(Path(gold_dir).glob("*" + CLUSTER_SUFFIX)):
        for lineno, record in _read_jsonl(path):
            missing = [k for k in ("source", "text", "label", "cluster") if not isinstance(record.get(k), str)]
            if missing:
                raise ValueError(f"{path}:{lineno}: record without {', '.join(missing)}")
            clauses.append(GoldClusterClause(source_stem(record["source"]), record["text"],
                                             record["label"], record["cluster"]))
    return clauses


def _pairs_within(groups: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in groups)


@dataclass
class ClusterReport:
    """Pairwise scores of predicted ``canonical_id`` against gold clusters."""

    name: str
    files: list[str]
    gold: int = 0  # gold cluster clauses
    matched: int = 0  # of them matched to a prediction
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def figures(self) -> dict[str, float | None]:
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        return {
            "pair_precision": ratio(tp, tp + fp),
            "pair_recall": ratio(tp, tp + fn),
            "pair_f1": f1(tp, tp + fp, tp + fn),
        }

    def table(self) -> str:
        f = self.figures()
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        return "\n".join([
            f"catalogue {self.name}: {len(self.files)} cluster files, {self.gold} gold clauses, "
            f"{self.matched} matched to predictions",
            f"{'metric':<26} {'value':>6}  counts",
            f"{'pairwise precision':<26} {_fmt(f['pair_precision']):>6}  {tp}/{tp + fp}",
            f"{'pairwise recall':<26} {_fmt(f['pair_recall']):>6}  {tp}/{tp + fn}",
            f"{'pairwise F1':<26} {_fmt(f['pair_f1']):>6}",
        ])

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "files": self.files,
            "figures": self.figures(),
            "counts": {
                "gold": self.gold,
                "matched": self.matched,
                "true_positives": self.true_positives,
                "false_positives": self.false_positives,
                "false_negatives": self.false_negatives,
            },
        }


def cluster_pair_counts(items: Sequence[tuple[str, str, str]]) -> tuple[int, int, int]:
    """``(tp, fp, fn)`` over pairs of ``(gold label, gold cluster, canonical_id)`` with the same label.

    An empty ``canonical_id`` is shared with nothing.

    >>> cluster_pair_counts([("duty", "a", "x"), ("duty", "a", "x"), ("duty", "b", "x"), ("right", "b", "x")])
    (1, 2, 0)
    """
    tp = same_id = same_cluster = 0
    for label in {label for label, _, _ in items}:
        group = [(cluster, cid) for lab, cluster, cid in items if lab == label]
        tp += _pairs_within(Counter((c, i) for c, i in group if i).values())
        same_id += _pairs_within(Counter(i for _, i in group if i).values())
        same_cluster += _pairs_within(Counter(c for c, _ in group).values())
    return tp, same_id - tp, same_cluster - tp


def evaluate_clusters(gold_dir: Path, predictions: list[dict[str, Any]]) -> ClusterReport:
    """Score the ``canonical_id`` of predictions against the folder's ``*.clusters.jsonl`` (none: all zero)."""
    gold_dir = Path(gold_dir)
    files = [p.name for p in sorted(gold_dir.glob("*" + CLUSTER_SUFFIX))]
    gold = load_clusters(gold_dir)
    grouped = _by_stem(predictions)
    by_source: dict[str, list[GoldClusterClause]] = defaultdict(list)
    for clause in gold:
        by_source[clause.source].append(clause)
    items = []
    for source, clauses in by_source.items():
        predicted = grouped.get(source, [])
        for g, p, _ in match([c.text for c in clauses], [str(r.get("text", "")) for r in predicted]):
            items.append((clauses[g].label, clauses[g].cluster, str(predicted[p].get("canonical_id") or "")))
    tp, fp, fn = cluster_pair_counts(items)
    return ClusterReport(gold_dir.name, files, len(gold), len(items), tp, fp, fn)
