"""The cue phrases of ``pipeline/data/cues.txt``: loading (lazily, once) and matching on lemmas."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CUES_PATH = Path(__file__).resolve().parent.parent / "data" / "cues.txt"

#: How many other words may stand between two lemmas of a pattern
#: ("несет полную материальную ответственность" matches "нести ответственность").
MAX_GAP = 2


@dataclass(frozen=True)
class Cue:
    group: str
    lemmas: tuple[str, ...]
    anchored: bool
    example: str
    line: int = 0  # where the entry is in its file (for the audit, ``evaluation/cues.py``)

    @property
    def text(self) -> str:
        return ("^" if self.anchored else "") + " ".join(self.lemmas)


def parse_line(line: str, number: int = 0) -> Cue | None:
    """One entry ``group: pattern | example``; comments and blank lines give None."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    head, _, example = line.partition("|")
    group, sep, pattern = head.partition(":")
    if not sep or not pattern.strip():
        raise ValueError(f"cues.txt: expected 'group: pattern | example', got {line!r}")
    pattern = pattern.strip().replace("ё", "е")
    anchored = pattern.startswith("^")
    return Cue(group.strip(), tuple(pattern.lstrip("^").split()), anchored, example.strip(), number)


@lru_cache(maxsize=4)
def load(path: str = str(CUES_PATH)) -> dict[str, tuple[Cue, ...]]:
    """The cues by group, in file order."""
    groups: dict[str, list[Cue]] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        cue = parse_line(line, number)
        if cue is not None:
            groups.setdefault(cue.group, []).append(cue)
    return {group: tuple(cues) for group, cues in groups.items()}


def matches(cue: Cue, lemmas: tuple[str, ...]) -> bool:
    """Whether the cue's lemmas occur in order, each within MAX_GAP words of the previous one."""
    return position(cue, lemmas) >= 0


def position(cue: Cue, lemmas: tuple[str, ...]) -> int:
    """Where the first match of the cue starts in the lemmas, -1 when it does not match."""
    first = cue.lemmas[0]
    starts = [0] if cue.anchored else range(len(lemmas))
    for start in starts:
        if start >= len(lemmas) or lemmas[start] != first:
            continue
        pos = start
        for want in cue.lemmas[1:]:
            window = lemmas[pos + 1: pos + 2 + MAX_GAP]
            if want not in window:
                break
            pos = pos + 1 + window.index(want)
        else:
            return start
    return -1


def find(group: str, lemmas: tuple[str, ...]) -> Cue | None:
    """The first cue of a group that the lemmas match, in file order."""
    found = find_at(group, lemmas)
    return found[0] if found else None


def find_at(group: str, lemmas: tuple[str, ...], allowed=None) -> tuple[Cue, int] | None:
    """The first cue of a group that matches (at a position ``allowed(position)`` accepts), with its position."""
    index = _group_index().get(group)
    if not index:
        return None
    # only the cues starting with a lemma of the clause, in file order (the rules ask for every clause)
    candidates = sorted(entry for first in set(lemmas) for entry in index.get(first, ()))
    for _, cue in candidates:
        at = position(cue, lemmas)
        if at >= 0 and (allowed is None or allowed(at)):
            return cue, at
    return None


@lru_cache(maxsize=1)
def _group_index() -> dict[str, dict[str, tuple[tuple[int, Cue], ...]]]:
    """Per group, its cues by first lemma, each with its place in the group."""
    out: dict[str, dict[str, list[tuple[int, Cue]]]] = {}
    for group, cues in load().items():
        for order, cue in enumerate(cues):
            out.setdefault(group, {}).setdefault(cue.lemmas[0], []).append((order, cue))
    return {group: {first: tuple(entries) for first, entries in index.items()} for group, index in out.items()}


@lru_cache(maxsize=1)
def _by_first_lemma() -> dict[str, tuple[Cue, ...]]:
    index: dict[str, list[Cue]] = {}
    for cues in load().values():
        for cue in cues:
            index.setdefault(cue.lemmas[0], []).append(cue)
    return {first: tuple(cues) for first, cues in index.items()}


def find_all(lemmas: tuple[str, ...], prefix: str = "") -> list[Cue]:
    """Every cue whose group starts with ``prefix`` that the lemmas match: the model's cue features."""
    index = _by_first_lemma()
    found = []
    for first in dict.fromkeys(lemmas):
        for cue in index.get(first, ()):
            if cue.group.startswith(prefix) and matches(cue, lemmas):
                found.append(cue)
    return found
