"""A spaCy component: the structure stage and the clause classifier inside a spaCy pipeline.

    import spacy
    from pipeline.classify import spacy_component

    spacy_component.register()              # explicit: nothing is registered at import
    nlp = spacy.blank("ru")
    nlp.add_pipe("jobclauses")              # config: {"kind": "auto" | "model" | "rules"}
    doc = nlp(text)
    for span in doc.spans["clauses"]:
        print(span.label_, span._.number, span._.section, span._.confidence, span.text)

``span._.section`` is the canonical section type (``duties``, ``rights``, ...), ``span._.section_title``
the heading as written.
"""

from __future__ import annotations

from typing import Any

FACTORY = "jobclauses"
SPANS_KEY = "clauses"
EXTENSIONS = {"number": "", "section": "", "section_title": "", "confidence": 0.0}


def register() -> None:
    """Register the ``jobclauses`` factory and the Span extensions (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Span

    for name, default in EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, default_config={"kind": "auto"}, func=_make)


def _make(nlp: Any, name: str, kind: str) -> JobClauses:
    return JobClauses(kind)


class JobClauses:
    """Structure the doc's text, classify its clauses, and store them as ``doc.spans["clauses"]``."""

    def __init__(self, kind: str = "auto"):
        self.kind = kind
        self._classifier = None

    @property
    def classifier(self):
        if self._classifier is None:
            from pipeline.classify import load

            self._classifier = load(self.kind)
        return self._classifier

    def __call__(self, doc):
        from pipeline.readers.text import line_blocks
        from pipeline.records import Document
        from pipeline.structure import structure

        document = Document(path="<spacy>", sha256="", format="txt", text=doc.text, blocks=line_blocks(doc.text))
        clauses = self.classifier.predict(list(structure(document).clauses))
        spans = []
        for clause in clauses:
            span = doc.char_span(clause.start, clause.stop, label=clause.label, alignment_mode="expand")
            if span is None:
                continue
            span._.number = clause.number
            span._.section = clause.section_type
            span._.section_title = clause.section_title
            span._.confidence = clause.confidence
            spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc
