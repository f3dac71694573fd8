"""Lemma patterns: the small language the catalogue's vocabularies write word sequences in.

A pattern is a sequence of items separated by spaces, matched against a sequence of lemmas:

- ``назначаться|приниматься``: one lemma of the alternatives; ``охрана_труд|техника_безопасность``: an
  alternative of several lemmas joined by ``_``; ``{руководитель}`` is a slot token; ``управлени*`` any
  lemma starting with ``управлени``;
- an item ending in ``?`` may be missing (``непосредственно? подчиняться``);
- ``…`` skips up to GAP lemmas, ``…3`` up to 3;
- ``^`` first: at most ANCHOR content lemmas come before the match (function words, slots and the
  position placeholder do not count); ``^^``: none; ``$`` last: the match ends the sequence.

>>> p = Pattern.parse("^ назначаться|приниматься … освобождаться|увольнение")
>>> p.search(("<должность>", "назначаться", "на", "должность", "и", "освобождаться"))
(1, 6)
>>> p.search(("контролировать", "своевременный", "оформление", "документ", "назначаться", "и", "увольнение")) is None
True
>>> Pattern.parse("нарушение … охрана_труд|пожарный").search(("нарушение", "правило", "охрана", "труд"))
(0, 4)
>>> Pattern.parse("в предел …3 законодательство").search(("в", "предел", "определить", "законодательство"))
(0, 4)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

#: ``…`` skips at most this many lemmas.
GAP = 10
#: ``^``: at most this many content lemmas before the match (3: `в соответствии с трудовым кодексом лаборант
#: назначается …` is still an appointment; measured on corpora/provisions, 2 -> 3 raised the held-out half's recall).
ANCHOR = 3


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    from ..normalise import stopwords

    return stopwords()


#: Words that stand for the employee as the subject of a clause, like the position placeholder
#: («Сотрудник подчиняется …», «Вы подчиняетесь …»): they do not count before a ``^`` match.
SUBJECTS = frozenset({"вы", "ты", "ваш", "твой", "сотрудник", "работник", "специалист", "должность"})


def content_before(lemmas: Sequence[str], start: int) -> int:
    """How many content lemmas (not function words, slots, placeholders or subjects) come before ``start``."""
    stop = _stop()
    return sum(1 for w in lemmas[:start] if w not in stop and w not in SUBJECTS and w[:1] not in "<{")


@dataclass(frozen=True)
class Pattern:
    """A compiled lemma pattern (see the module docstring)."""

    text: str
    regex: re.Pattern[str]
    anchored: bool
    #: ``^^``: the match starts at the first content word
    first: bool = False
    #: Lemmas one of which every match contains (the first words of the last required item's alternatives
    #: that has no prefix): a sequence with none of them is skipped without the regex.
    needs: frozenset[str] = frozenset()

    def may_match(self, words: frozenset[str] | set[str]) -> bool:
        return not self.needs or not self.needs.isdisjoint(words)

    @classmethod
    def parse(cls, text: str) -> Pattern:
        items = text.split()
        first = bool(items) and items[0] == "^^"
        anchored = first or bool(items) and items[0] == "^"
        if anchored:
            items = items[1:]
        end = bool(items) and items[-1] == "$"
        if end:
            items = items[:-1]
        if not items:
            raise ValueError(f"empty pattern: {text!r}")
        parts = []
        needs: frozenset[str] = frozenset()
        for item in items:
            if item.startswith("…"):
                limit = int(item[1:]) if item[1:] else GAP
                parts.append(f"(?:[^ ]+ ){{0,{limit}}}?")
                continue
            optional = item.endswith("?") and len(item) > 1
            item = item[:-1] if optional else item
            options = "|".join(re.escape(a[:-1].replace("_", " ")) + "[^ ]*" if a.endswith("*") and len(a) > 1
                               else re.escape(a).replace("_", " ") for a in item.split("|"))
            parts.append(f"(?:(?:{options}) )" + ("?" if optional else ""))
            alternatives = item.split("|")
            if not optional and not any(a.endswith("*") for a in alternatives):
                needs = frozenset(a.split("_")[0] for a in alternatives)  # the last required item
        body = "".join(parts) + ("$" if end else "")
        return cls(text, re.compile("(?<= )" + body), anchored, first, needs)

    def search(self, lemmas: Sequence[str]) -> tuple[int, int] | None:
        """(start, stop) lemma indices of the leftmost match, or None."""
        joined = " " + " ".join(lemmas) + " "
        pos = 1
        while True:
            m = self.regex.search(joined, pos)
            if m is None:
                return None
            start = joined.count(" ", 0, m.start()) - 1
            if self.anchored and content_before(lemmas, start) > (0 if self.first else ANCHOR):
                return None
            if m.end() > m.start():
                return start, start + joined.count(" ", m.start(), m.end())
            pos = m.start() + 1

    def finditer(self, lemmas: Sequence[str]) -> Iterable[tuple[int, int]]:
        """Every non-overlapping (start, stop) match, left to right (``^`` is ignored here)."""
        joined = " " + " ".join(lemmas) + " "
        for m in self.regex.finditer(joined):
            if m.end() > m.start():
                start = joined.count(" ", 0, m.start()) - 1
                yield start, start + joined.count(" ", m.start(), m.end())
