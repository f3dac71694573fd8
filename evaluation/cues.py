"""Where each cue of ``pipeline/data/cues.txt`` fires: the audit that keeps the cue list general.

    python -m evaluation.cues [--all]

For every entry it counts the documents it fires in: the evaluation documents (``../shared/eval`` dev and
gold-seed gold clauses; lead-in and heading cues on the lead-ins and headings found above them in the source) and the project's own
documents (``corpora/samples``, ``corpora/registers``, ``corpora/holdout*``), and the training rows
(``corpora/training/*.jsonl``), and how close each entry's example is to an evaluation text. A cue is a feature and an explanation: an entry that fires in exactly one
evaluation document and in none of the project's own documents or training rows was, in all likelihood, written from that
document; ``suspects`` lists them and ``tests/test_cue_audit.py`` fails on them. It prints only counts and the
entries' own patterns, never evaluation text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.classify import cues
from pipeline.classify.analysis import analyse

ROOT = Path(__file__).resolve().parent.parent
#: ``../shared/eval`` of the repository (or of the main checkout, for a git worktree one level deeper).
EVAL = next((p / "eval" for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if (p / "eval").is_dir()),
            ROOT.parent / "shared" / "eval")
EVAL_DIRS = (EVAL / "dev", EVAL / "gold-seed")
OWN_DIRS = (ROOT / "corpora" / "samples", ROOT / "corpora" / "registers",
            *sorted((ROOT / "corpora").glob("holdout*")))
TRAINING = ROOT / "corpora" / "training"
#: An example this similar to an evaluation text (``rapidfuzz`` ratio of the normalised texts) was copied.
COPIED = 0.8


@dataclass
class Firing:
    cue: cues.Cue
    evaluation: set[str] = field(default_factory=set)
    own: set[str] = field(default_factory=set)
    training: int = 0
    copied: float = 0.0  # the highest similarity of the entry's example to an evaluation clause or lead-in

    @property
    def suspect(self) -> bool:
        """Fires in one evaluation document and in nothing the project wrote (documents or training rows)."""
        return len(self.evaluation) == 1 and not self.own and not self.training


def _texts_of(directory: Path) -> Iterable[tuple[str, str, str, str]]:
    """(document, clause text, lead-in, section title) of every gold clause of a folder, the lead-ins and
    headings found in the source."""
    from evaluation.classify import gold_clauses

    for clause, _ in gold_clauses(directory, "gold", optional=True):
        yield clause.source, clause.text, clause.lead_in, clause.section_title


def _fires(cue: cues.Cue, text: str, lead_in: str, title: str) -> bool:
    """Lead-in cues on the lead-in, heading cues on the section title, the others on the clause."""
    where = {"lead": lead_in, "title": title}.get(cue.group.split(".", 1)[0], text)
    return bool(where) and cues.matches(cue, analyse(where).lemmas)


def _firing(found: list[Firing], text: str, lead_in: str, title: str):
    """The entries of ``found`` that fire on one clause (only those whose first lemma the texts hold are tried)."""
    present = set(analyse(text).lemmas) | set(analyse(lead_in).lemmas) | set(analyse(title).lemmas)
    return [f for f in found if f.cue.lemmas[0] in present and _fires(f.cue, text, lead_in, title)]


@lru_cache(maxsize=4)
def _documents(dirs: tuple[Path, ...]) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((f"{d.name}/{doc}", *rest) for d in dirs if d.is_dir() for doc, *rest in _texts_of(d))


def _training_rows() -> list[tuple[str, str, str]]:
    rows = []
    for path in sorted(TRAINING.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], row.get("lead_in", ""), row.get("section_title", "")))
    return rows


def audit(eval_dirs: tuple[Path, ...] = EVAL_DIRS, own_dirs: tuple[Path, ...] = OWN_DIRS,
          cue_file: Path = cues.CUES_PATH) -> list[Firing]:
    """Every cue of a cue file with the documents and training rows it fires in."""
    found = [Firing(cue) for group in cues.load(str(cue_file)).values() for cue in group]
    for where, docs in (("evaluation", _documents(tuple(eval_dirs))), ("own", _documents(tuple(own_dirs)))):
        for doc, text, lead_in, title in docs:
            for firing in _firing(found, text, lead_in, title):
                getattr(firing, where).add(doc)
    for text, lead_in, title in _training_rows():
        for firing in _firing(found, text, lead_in, title):
            firing.training += 1
    from rapidfuzz import fuzz, process

    from evaluation.clauses import normalise

    evaluated = sorted({normalise(t) for _, *texts in _documents(tuple(eval_dirs)) for t in texts if t})
    for firing in found:
        example = normalise(firing.cue.example.split(" («")[0])
        best = process.extractOne(example, evaluated, scorer=fuzz.ratio) if evaluated and example else None
        firing.copied = best[1] / 100 if best else 0.0
    return found


def suspects(found: list[Firing] | None = None) -> list[Firing]:
    return [f for f in (audit() if found is None else found) if f.suspect]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every entry, not only the suspects")
    args = parser.parse_args(argv)
    if not any(d.is_dir() for d in EVAL_DIRS):
        print(f"{EVAL}: no evaluation documents here; counting the project's own only", file=sys.stderr)
    found = audit()
    print("line  group             pattern                              eval own training example~eval")
    for f in found:
        if args.all or f.suspect or f.copied >= COPIED:
            mark = "  <- one evaluation document only" if f.suspect else ""
            mark += "  <- example close to an evaluation text" if f.copied >= COPIED else ""
            print(f"{f.cue.line:4}  {f.cue.group:17} {f.cue.text:36} {len(f.evaluation):4} {len(f.own):3} "
                  f"{f.training:8} {f.copied:13.2f}{mark}")
    print(f"{len(found)} cues, {sum(f.suspect for f in found)} fire in one evaluation document and nowhere else")
    return 0


if __name__ == "__main__":
    sys.exit(main())
