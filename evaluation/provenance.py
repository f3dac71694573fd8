"""Where each vocabulary entry fires: in which of the project's own documents, and in which shared ones.

A rule or vocabulary entry written from one ``../shared/eval`` document's wording fires in that document and
nowhere else: ``python -m evaluation.provenance`` lists, for every entry of every file in ``pipeline/data``, the
documents its words occur in, and ``--suspects`` only those that occur in exactly one shared document and in no
document written for the project (``corpora/``). ``tests/test_provenance.py`` fails on such an entry, so a new
single-document entry is seen when it is written. The sealed set (``corpora/blind2``) is never read here.

"Fires" is approximated by the entry's words: a phrase entry occurs when its words stand together in a line of
the document (folded as the vocabularies are), a lemma entry when its lemmas occur in order in a line with at
most two other words between them (as the cue matcher allows). That over-counts a little (a word in a context
the rule does not look at), which only makes the check lenient, never a false alarm. The catalogue's provision
types fire where their lemma pattern (``pipeline.catalogue.patterns``) finds a line; a synonym class where one of
its members does; a slot entry where its words do.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.catalogue.patterns import Pattern
from pipeline.data import entries
from pipeline.readers import ReadError, read
from pipeline.structure.vocab import key
from pipeline.text import lemmatize

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "pipeline" / "data"
#: The project's own documents (the sealed blind set is left out: it is read by nobody before its scoring).
PROJECT = ("corpora/samples", "corpora/holdout", "corpora/holdout2", "corpora/holdout3", "corpora/holdout4",
           "corpora/holdout5", "corpora/registers", "corpora/blind1")
SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".doc", ".rtf", ".odt", ".sql", ".json", ".csv"}

#: How each vocabulary file names its entries: "phrase" (folded words), "lemmas" (a lemma sequence), or a
#: function of the entry's text giving one of those with the words to look for.
_LEMMA_FILES = {"work_words.txt", "not_positions.txt", "article_words.txt", "ordinals.txt", "facts_numbers.txt",
                "normalise_stopwords.txt", "normalise_fillers.txt", "normalise_decisive.txt", "normalise_leads.txt",
                "clause_persons.txt", "facts_education.txt", "normalise_synonyms.txt", "cues.txt"}
#: The catalogue's files, matched by their own lemma patterns, members or words (see ``vocabulary``).
_LEMMA_LIKE = {"provision_types.txt", "provision_synonyms.txt", "catalogue_slots.txt"}


@dataclass
class Entry:
    file: str
    text: str  # the entry as written (before its comment)
    words: tuple[str, ...]  # what is looked for
    lemmas: bool
    pattern: Pattern | None = None  # a provision type's pattern, matched instead of the words
    members: tuple[tuple[str, ...], ...] = ()  # a synonym class: it fires where one of its members does
    project: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)

    @property
    def suspect(self) -> bool:
        return len(self.shared) == 1 and not self.project


def _words_of(file: str, entry: str) -> tuple[str, ...]:
    if file == "provision_types.txt":
        return tuple(entry.split(" | ")[0].split())
    if file == "provision_synonyms.txt":
        return tuple(lemmatize(entry.split(" | ")[0]))
    if file == "catalogue_slots.txt":
        return tuple(lemmatize(entry.split(":", 1)[-1]))
    if file == "normalise_leads.txt":
        entry = entry.split(":", 1)[-1]
    if file == "cues.txt":
        pattern = entry.split(":", 1)[-1].split("|", 1)[0]
        return tuple(w for w in pattern.replace("^", " ").split() if w.isalpha() or "-" in w)
    if file in ("facts_education.txt", "normalise_synonyms.txt", "normalise_abbreviations.txt"):
        entry = entry.split("=", 1)[0]
    if file == "section_titles.tsv":
        entry = entry.split("\t")[1] if "\t" in entry else entry
    else:
        entry = entry.split("\t", 1)[0]
    return tuple(key(entry).split()) if file not in _LEMMA_FILES else tuple(lemmatize(entry))


def vocabulary() -> list[Entry]:
    out = []
    for path in sorted(DATA.iterdir()):
        if path.suffix not in (".txt", ".tsv"):
            continue
        for entry in entries(path.name):
            words = _words_of(path.name, entry)
            if not words:
                continue
            item = Entry(path.name, entry, words, path.name in _LEMMA_FILES or path.name in _LEMMA_LIKE)
            if path.name == "provision_types.txt":
                item.pattern = Pattern.parse(entry.split(" | ")[2])
            elif path.name == "provision_synonyms.txt":
                fields = entry.split(" | ")
                item.members = tuple(tuple(lemmatize(m)) for m in fields[1].split(",") if m.strip()) \
                    if len(fields) > 1 else ()
            out.append(item)
    return out


@dataclass(frozen=True)
class Text:
    name: str
    lines: tuple[str, ...]  # folded lines
    lemma_lines: tuple[tuple[str, ...], ...]


def _documents(folders: Iterable[Path]) -> list[Text]:
    out = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in SUFFIXES or path.name.endswith(".gold.jsonl") or path.name.isupper() \
                    or path.stem.isupper():
                continue
            try:
                document = read(path)
            except ReadError:
                continue
            lines = [line for line in document.text.splitlines() if line.strip()]
            out.append(Text(f"{folder.name}/{path.name}", tuple(f" {key(line)} " for line in lines),
                            tuple(tuple(lemmatize(line)) for line in lines)))
    return out


def _occurs(entry: Entry, text: Text) -> bool:
    if entry.pattern is not None:
        return any(entry.pattern.search(lemmas) is not None for lemmas in text.lemma_lines)
    if entry.members:
        return any(_in_order(member, lemmas, gap=0) for member in entry.members if member
                   for lemmas in text.lemma_lines)
    if not entry.lemmas:
        phrase = f" {' '.join(entry.words)} "
        return any(phrase in line for line in text.lines)
    return any(_in_order(entry.words, lemmas) for lemmas in text.lemma_lines)


def _in_order(wanted: Sequence[str], lemmas: Sequence[str], gap: int = 2) -> bool:
    for start, lemma in enumerate(lemmas):
        if lemma != wanted[0]:
            continue
        at, ok = start, True
        for word in wanted[1:]:
            window = lemmas[at + 1: at + 2 + gap]
            if word not in window:
                ok = False
                break
            at = at + 1 + window.index(word)
        if ok:
            return True
    return False


@lru_cache(maxsize=1)
def _texts(shared: str) -> tuple[list[Text], list[Text]]:
    project = _documents(ROOT / p for p in PROJECT)
    base = Path(shared)
    return project, _documents([base / "eval" / "dev", base / "seeds"])


def provenance(shared: str | Path = ROOT.parent / "shared") -> list[Entry]:
    """Every vocabulary entry with the project's and the shared documents its words occur in."""
    project, shared_docs = _texts(str(shared))
    found = vocabulary()
    for entry in found:
        entry.project = [t.name for t in project if _occurs(entry, t)]
        entry.shared = [t.name for t in shared_docs if _occurs(entry, t)]
    return found


def shared_documents(shared: str | Path = ROOT.parent / "shared") -> int:
    return len(_texts(str(shared))[1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.provenance", description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--suspects", action="store_true", help="only entries of one shared document and no other")
    args = parser.parse_args(argv)
    for entry in provenance(args.shared):
        if args.suspects and not entry.suspect:
            continue
        shown = re.sub(r"\s+", " ", entry.text)[:70]
        print(f"{entry.file:28} {len(entry.project):3} project {len(entry.shared):2} shared  {shown}"
              + (f"  <- {', '.join(entry.shared)}" if entry.suspect else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
