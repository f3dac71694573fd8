"""The clause classifier as a spaCy pipeline component, for users who keep their texts in spaCy.

    import spacy
    from pipeline.classify import spacy_component

    spacy_component.register()          # explicit: nothing is registered at import
    nlp = spacy.blank("ru")
    nlp.add_pipe("jobclauses")          # after your own components, if any
    doc = nlp(text)
    for span in doc.spans["clauses"]:
        print(span.label_, span._.confidence, span._.needs_review, span._.section, span.text)

The contract
------------

Factory ``jobclauses``, config (all optional):

- ``kind``: ``"auto"`` (the model pack when it exists, else the rules), ``"model"`` or ``"rules"``;
- ``mode``: ``"structure"`` (default) finds the clauses itself: the doc's text goes through jobclauses'
  structure stage (numbered items, bullets, inline lists, sections, lead-ins), then the classifier;
  ``"spans"`` classifies the spans *your* pipeline made: ``doc.spans[input_key]``, or the sentences when
  ``input_key`` is ``"sents"`` (a ``sentencizer`` or a parser must run before). A span's context is read from
  its extensions ``section_title`` and ``lead_in`` when your pipeline sets them (consecutive spans under one
  ``section_title`` form a section, whose clauses vote on its type);
- ``input_key`` (``"sents"``), ``spans_key`` (``"clauses"``): where the spans are read and written.

Writes ``doc.spans[spans_key]``: one span per clause, ``label_`` one of ``duty``, ``right``, ``liability``,
``requirement``, ``other``, and the extensions

- ``span._.confidence`` (calibrated: MODEL_CARD.md), ``span._.needs_review`` (confidence below
  ``pipeline.classify.REVIEW_THRESHOLD``), ``span._.reason`` (what decided);
- ``span._.number``, ``span._.section`` (canonical section type, ``duties`` …), ``span._.section_title`` (the
  heading as written), ``span._.lead_in`` — filled by the structure stage in ``"structure"`` mode, read (and
  kept) in ``"spans"`` mode.

It reads only ``doc.text`` and the input spans, so it runs after any tokenizer or component; it keeps no state
between documents but the classifier's memory of clauses already seen. ``nlp.pipe`` batches documents
(``pipe``): the clauses of a batch are classified in one call. ``nlp.to_disk`` stores its config (the model
itself is the versioned pack under ``models/``, loaded on first use); ``spacy.load`` restores it once
``register()`` has run.

What it costs, measured (CPU time, one core, the 25 plain-text documents of ``corpora/registers``, 1,308 clauses,
caches warm): structure and classifier called directly 163 docs/s; the same inside ``spacy.blank("ru")`` 75
docs/s — spaCy's tokenizer alone runs at 207 docs/s, more than jobclauses' own work per document. The spans and
labels are identical to the direct call's. So jobclauses does not carry its documents in a spaCy ``Doc`` (it would
halve its throughput for nothing it uses); the component is for pipelines that already have one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FACTORY = "jobclauses"
SPANS_KEY = "clauses"
EXTENSIONS = {"number": "", "section": "", "section_title": "", "lead_in": "", "confidence": 0.0,
              "needs_review": False, "reason": ""}
DEFAULT_CONFIG = {"kind": "auto", "mode": "structure", "input_key": "sents", "spans_key": SPANS_KEY}


def register() -> None:
    """Register the ``jobclauses`` factory and the Span extensions (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Span

    for name, default in EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, default_config=dict(DEFAULT_CONFIG), func=_make)


def _make(nlp: Any, name: str, kind: str, mode: str, input_key: str, spans_key: str) -> JobClauses:
    return JobClauses(kind=kind, mode=mode, input_key=input_key, spans_key=spans_key)


class JobClauses:
    """Find (or take) the clauses of a doc, classify them, store them as ``doc.spans[spans_key]``."""

    def __init__(self, kind: str = "auto", mode: str = "structure", input_key: str = "sents",
                 spans_key: str = SPANS_KEY):
        if mode not in ("structure", "spans"):
            raise ValueError(f"jobclauses: mode {mode!r} is neither 'structure' nor 'spans'")
        self.kind = kind
        self.mode = mode
        self.input_key = input_key
        self.spans_key = spans_key
        self._classifier = None

    @property
    def classifier(self):
        if self._classifier is None:
            from pipeline.classify import load

            self._classifier = load(self.kind)
        return self._classifier

    # --- the clauses of one doc ------------------------------------------------------------------

    def _found(self, doc) -> list:
        """The clause records of a doc, unlabelled, with their offsets into ``doc.text``."""
        from pipeline.records import Clause

        if self.mode == "structure":
            from pipeline.readers.text import line_blocks
            from pipeline.records import Document
            from pipeline.structure import structure

            document = Document(path="<spacy>", sha256="", format="txt", text=doc.text,
                                blocks=line_blocks(doc.text))
            return list(structure(document).clauses)
        if self.input_key == "sents":
            spans = list(doc.sents)
        elif self.input_key in doc.spans:
            spans = list(doc.spans[self.input_key])
        else:
            raise ValueError(f"jobclauses: the doc has no spans under {self.input_key!r} (doc.spans has "
                             f"{', '.join(doc.spans) or 'none'}); set input_key or add the component that makes them")
        out = []
        for span in spans:
            text = span.text.strip()
            if not text:
                continue
            out.append(Clause(source="<spacy>", instruction=1, number="", text=text, start=span.start_char,
                              stop=span.end_char, section_title=span._.section_title or "",
                              lead_in=span._.lead_in or ""))
        return out

    def _store(self, doc, clauses) -> None:
        from pipeline.classify import REVIEW_THRESHOLD

        spans = []
        for clause in clauses:
            span = doc.char_span(clause.start, clause.stop, label=clause.label, alignment_mode="expand")
            if span is None:
                continue
            span._.number = clause.number
            span._.section = clause.section_type
            span._.section_title = clause.section_title
            span._.lead_in = clause.lead_in
            span._.confidence = clause.confidence
            span._.needs_review = clause.confidence < REVIEW_THRESHOLD
            span._.reason = clause.reason
            spans.append(span)
        doc.spans[self.spans_key] = spans

    def __call__(self, doc):
        self._store(doc, self.classifier.predict(self._found(doc)))
        return doc

    def pipe(self, stream, batch_size: int = 64):
        """Docs in batches: the clauses of a batch are classified in one call."""
        batch: list = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, docs: list) -> list:
        found = [self._found(doc) for doc in docs]
        labelled = iter(self.classifier.predict([c for clauses in found for c in clauses]))
        for doc, clauses in zip(docs, found, strict=True):
            self._store(doc, [next(labelled) for _ in clauses])
        return docs

    # --- serialisation: the config only (the model is the pack under models/) ------------------------

    def _config(self) -> dict:
        return {"kind": self.kind, "mode": self.mode, "input_key": self.input_key, "spans_key": self.spans_key}

    def to_bytes(self, *, exclude=()) -> bytes:
        return json.dumps(self._config()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude=()) -> JobClauses:
        self.__init__(**json.loads(data.decode("utf-8")))
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_bytes(self.to_bytes())

    def from_disk(self, path, *, exclude=()) -> JobClauses:
        return self.from_bytes((Path(path) / "cfg.json").read_bytes())
