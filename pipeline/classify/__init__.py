"""Clause classification: five labels of LABELS.md, a calibrated confidence and a reason.

``load("rules")`` gives the rule classifier, ``load("model")`` the committed model pack under
``models/`` (run ``make train`` to rebuild it), ``load("auto")`` the model when its pack exists.
Nothing is loaded at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from pipeline.records import Clause

#: A clause whose confidence is below this is one an analyst should check (``needs_review``). The
#: confidence is calibrated on held-out folds of the project's own documents (MODEL_CARD.md: reliability).
REVIEW_THRESHOLD = 0.6


class Classifier(Protocol):
    kind: str

    def predict(self, clauses: Sequence[Clause]) -> list[Clause]: ...


def load(kind: str = "auto") -> Classifier:
    """A classifier: "rules", "model" (the pack under models/), or "auto" (the model if its pack exists)."""
    if kind == "rules":
        from pipeline.classify.rules import RuleClassifier

        return RuleClassifier()
    from pipeline.classify import model

    if kind == "model":
        return model.load_pack()
    if kind == "auto":
        return model.load_pack() if model.pack_exists() else load("rules")
    raise ValueError(f"unknown classifier kind {kind!r}: use 'auto', 'model' or 'rules'")


@lru_cache(maxsize=1)
def _default() -> Classifier:
    return load("auto")


def explain(text: str, section_type: str = "", lead_in: str = "") -> Clause:
    """One clause classified by the default classifier, with its reason (for ``jobclauses explain``)."""
    clause = Clause(source="<explain>", instruction=1, number="", text=text, start=0, stop=len(text),
                    section_type=section_type, lead_in=lead_in)
    return _default().predict([clause])[0]
