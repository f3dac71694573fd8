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

    @property
    def text(self) -> str:
        return ("^" if self.anchored else "") + " ".join(self.lemmas)


def parse_line(line: str) -> Cue | None:
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
    return Cue(group.strip(), tuple(pattern.lstrip("^").split()), anchored, example.strip())


@lru_cache(maxsize=4)
def load(path: str = str(CUES_PATH)) -> dict[str, tuple[Cue, ...]]:
    """The cues by group, in file order."""
    groups: dict[str, list[Cue]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cue = parse_line(line)
        if cue is not None:
            groups.setdefault(cue.group, []).append(cue)
    return {group: tuple(cues) for group, cues in groups.items()}


def matches(cue: Cue, lemmas: tuple[str, ...]) -> bool:
    """Whether the cue's lemmas occur in order, each within MAX_GAP words of the previous one."""
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
            return True
    return False


def find(group: str, lemmas: tuple[str, ...]) -> Cue | None:
    """The first cue of a group that the lemmas match, in file order."""
    present = set(lemmas)
    for cue in load().get(group, ()):
        if cue.lemmas[0] in present and matches(cue, lemmas):
            return cue
    return None


def find_all(lemmas: tuple[str, ...]) -> list[Cue]:
    """Every cue (of every group) the lemmas match: the model's cue features."""
    present = set(lemmas)
    return [cue for cues in load().values() for cue in cues
            if cue.lemmas[0] in present and matches(cue, lemmas)]
