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
    """The first cue of a group, in file order, that matches (its first match at a position ``allowed(position)``
    accepts), with its position."""
    for cue, at in matched(lemmas).get(group, ()):
        if allowed is None or allowed(at):
            return cue, at
    return None


@lru_cache(maxsize=100_000)  # the rules and the features ask for every group of every clause
def matched(lemmas: tuple[str, ...]) -> dict[str, tuple[tuple[Cue, int], ...]]:
    """Every cue of ``cues.txt`` the lemmas match, by group in file order, each with its first match's position."""
    index = _by_first_lemma()
    found: dict[str, list[tuple[int, Cue, int]]] = {}
    for first in set(lemmas):
        for order, cue in index.get(first, ()):
            at = position(cue, lemmas)
            if at >= 0:
                found.setdefault(cue.group, []).append((order, cue, at))
    return {group: tuple((cue, at) for _, cue, at in sorted(entries, key=lambda e: e[0]))
            for group, entries in found.items()}


@lru_cache(maxsize=1)
def _by_first_lemma() -> dict[str, tuple[tuple[int, Cue], ...]]:
    """The cues by their first lemma, each with its place in its group."""
    index: dict[str, list[tuple[int, Cue]]] = {}
    for cues in load().values():
        for order, cue in enumerate(cues):
            index.setdefault(cue.lemmas[0], []).append((order, cue))
    return {first: tuple(entries) for first, entries in index.items()}


def find_all(lemmas: tuple[str, ...], prefix: str = "") -> list[Cue]:
    """Every cue whose group starts with ``prefix`` that the lemmas match: the model's cue features."""
    return [cue for group, entries in matched(lemmas).items() if group.startswith(prefix) for cue, _ in entries]
