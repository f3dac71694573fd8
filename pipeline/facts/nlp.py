"""natasha and yargy for the facts stage: the one place that imports them.

yargy and natasha bring pymorphy2, which breaks on Python 3.11 and later (``inspect.getargspec`` is gone)
unless ``yargy`` is imported first: its ``morph`` module patches pymorphy2. :func:`import_yargy` does that, and
every import of yargy or natasha in the facts stage goes through it.

natasha's news models (the navec embedding, slovnet's NER and morphology taggers) ship inside its wheel: nothing
is downloaded. They are loaded by a :class:`Natasha` object on first use, or by its :meth:`Natasha.load`, once per
process (``NATASHA`` is the process's one instance; making it loads nothing), and each line's result is cached
by its text, since approval blocks and letterheads repeat from document to document.

>>> Natasha().loaded   # making one loads nothing
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def import_yargy() -> Any:
    """``yargy``, imported before anything imports pymorphy2 (Python 3.11: it patches pymorphy2)."""
    import yargy

    return yargy


@dataclass(frozen=True)
class NerSpan:
    """One span natasha's NER found in a line: ``ORG``, ``PER`` or ``LOC``, where it stands, its text, and for a
    person the normal form (nominative) and the name's parts as natasha's ``NamesExtractor`` reads them."""

    type: str
    start: int
    stop: int
    text: str
    normal: str = ""
    first: str = ""
    middle: str = ""
    last: str = ""


def _joined(first: NerSpan, second: NerSpan, line: str) -> NerSpan:
    """Two person spans side by side as one: the surname, then the first name and the patronymic (or the
    reverse), read by where the patronymic stands."""
    words = f"{first.normal} {second.normal}".split()
    patronymic = [k for k, w in enumerate(words) if w.lower().endswith(("вич", "вна", "чна", "ична"))]
    if len(words) == 3 and patronymic == [2]:
        last, name, middle = words
    elif len(words) == 3 and patronymic == [1]:
        name, middle, last = words
    else:
        return first
    return NerSpan("PER", first.start, second.stop, line[first.start:second.stop], " ".join(words), name, middle, last)


class Natasha:
    """natasha's segmenter, news NER and morphology taggers, morph vocabulary and names extractor, loaded once on
    first use; :meth:`spans` of one line, cached by the line's text."""

    #: Lines cached at most; the cache is emptied when full (a batch of a million documents stays bounded).
    MAX_CACHED = 50_000

    def __init__(self, blas_threads: int | None = 1) -> None:
        self.blas_threads = blas_threads
        self._models: dict[str, Any] | None = None
        self._cache: dict[str, tuple[NerSpan, ...]] = {}
        self._normals: dict[str, str] = {}
        self.calls = 0  # lines tagged (cache misses), for the cost figures

    @property
    def loaded(self) -> bool:
        return self._models is not None

    def load(self) -> Natasha:
        """Load the models now (about 1 CPU-second and 100 MB); later calls do nothing.

        natasha's taggers multiply small matrices, which OpenBLAS's threads only slow down: CPU time doubles on
        an idle machine and grows tenfold on a busy one (threads spinning). Loading limits the process's BLAS to
        ``blas_threads`` threads (``None``: left as it is); the batch's workers are processes already.
        """
        if self._models is None:
            if self.blas_threads is not None:
                try:
                    from threadpoolctl import threadpool_limits
                except ImportError:  # scikit-learn brings it; without it the threads stay as they are
                    pass
                else:
                    threadpool_limits(limits=self.blas_threads, user_api="blas")
            import_yargy()
            from natasha import (
                MorphVocab,
                NamesExtractor,
                NewsEmbedding,
                NewsMorphTagger,
                NewsNERTagger,
                Segmenter,
            )

            embedding = NewsEmbedding()
            vocab = MorphVocab()
            self._models = {"segmenter": Segmenter(), "ner": NewsNERTagger(embedding),
                            "morph": NewsMorphTagger(embedding), "vocab": vocab, "names": NamesExtractor(vocab)}
        return self

    def spans(self, line: str) -> tuple[NerSpan, ...]:
        """The NER spans of one line; persons normalised (``span.normalize``) and read (``span.extract_fact``)."""
        found = self._cache.get(line)
        if found is None:
            found = self._tag(line)
            if len(self._cache) >= self.MAX_CACHED:
                self._cache.clear()
            self._cache[line] = found
        return found

    def normal_form(self, line: str, start: int, stop: int) -> str:
        """natasha's normal form (nominative) of the words of ``line[start:stop]``: the line tagged by its
        morphology model, those tokens normalised as ``DocSpan.normalize`` does for a person."""
        key = f"{start}:{stop}:{line}"
        found = self._normals.get(key)
        if found is None:
            from natasha.norm import normalize

            doc, models = self._segmented(line)
            doc.tag_morph(models["morph"])
            tokens = [t for t in doc.tokens if t.start >= start and t.stop <= stop]
            found = normalize(models["vocab"], tokens) if tokens else line[start:stop]
            if len(self._normals) >= self.MAX_CACHED:
                self._normals.clear()
            self._normals[key] = found
        return found

    def _segmented(self, line: str) -> tuple[Any, dict[str, Any]]:
        """natasha's Doc of one line, segmented (each call counts: the tests check the cache by it)."""
        from natasha import Doc

        models = self.load()._models
        assert models is not None
        self.calls += 1
        doc = Doc(line)
        doc.segment(models["segmenter"])
        return doc, models

    def _tag(self, line: str) -> tuple[NerSpan, ...]:
        doc, models = self._segmented(line)
        doc.tag_ner(models["ner"])
        if not doc.spans:
            return ()
        if any(span.type == "PER" for span in doc.spans):
            doc.tag_morph(models["morph"])
        out = []
        for span in doc.spans:
            if span.type != "PER":
                out.append(NerSpan(span.type, span.start, span.stop, span.text))
                continue
            span.normalize(models["vocab"])
            span.extract_fact(models["names"])
            parts = span.fact.as_dict if span.fact else {}
            person = NerSpan("PER", span.start, span.stop, span.text, span.normal or span.text,
                             parts.get("first", ""), parts.get("middle", ""), parts.get("last", ""))
            if out and out[-1].type == "PER" and not line[out[-1].stop:span.start].strip():
                person = _joined(out.pop(), person, line)  # `Карповой` + `Еленой Андреевной`: one person
            out.append(person)
        return tuple(out)


#: The process's one instance: it loads nothing until a line is tagged (or ``NATASHA.load()`` is called).
NATASHA = Natasha()
