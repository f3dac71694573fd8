"""Variants: whether two wordings are one variant (near-duplicates), by ordered rules with a reason.

A variant is one wording of a clause: the lemma keys (``pipeline.normalise``) that differ only in word
order, forms, function words or a short qualifier. :func:`verify` compares the *content words* of two keys
after the equivalences of ``pipeline/data/clause_synonyms.tsv`` (`проверять` = `контролировать`): a
wording keeps its own lemma key, only the decision sees the shared concept, and the verdict names the
entries it used. Decisive words (negation, rights vs obligations, numbers, frequency: see
``normalise_decisive.txt``) must agree. Whether two variants are one *provision* (the same obligation,
whatever the position, superior or organisation) is the next level's question (:mod:`.provisions`).

navec vectors (natasha's news embedding) were measured for this level and left out: their cosine ranks
pairs that must stay apart (`устный` / `письменный` 0.61, `заместитель` / `руководитель` 0.66) above pairs
that must merge (`контролировать` / `проверять` 0.49, `клиентский` / `клиент` 0.15).

>>> verify(("вести", "учет", "кассовый", "операция"), ("вести", "учет", "кассовый", "операция", "организация"))
Verdict(merge=True, rule='qualifier', detail='+организация', jaccard=0.8)
>>> verify(("иметь", "право", "подписывать", "документ"), ("обязать", "подписывать", "документ")).rule
'decisive'
>>> verify(("иметь", "право", "подписывать", "документ"), ("подписывать", "документ"), "right").rule
'same-words'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..data import entries
from ..normalise import decisive, leads, normalise, stopwords

#: How many words may precede a lead (`главный специалист имеет право ...`).
LEAD_WINDOW = 3
#: Verified similarity: a substitution merges only at this content Jaccard (1 word replaced in 19 or more):
#: a one-word substitution is a synonym (the vocabulary's job) or a real difference (`поставщиками` /
#: `покупателями` in a 14-word clause), and words alone cannot tell which.
SUBSTITUTION_JACCARD = 0.9
#: A pure addition merges when it adds at most this share of the longer clause's content words (min 1).
QUALIFIER_SHARE = 0.25
#: The shorter clause of an addition needs this many content words (`ведет учет` + `кадров` is new).
QUALIFIER_MIN_WORDS = 3
#: The lowest content Jaccard any merging rule accepts (a qualifier: one word on three, or a quarter of the
#: longer clause; a substitution: SUBSTITUTION_JACCARD): a pair below it is apart without looking further.
MIN_MERGE_JACCARD = min(1 - QUALIFIER_SHARE, QUALIFIER_MIN_WORDS / (QUALIFIER_MIN_WORDS + 1), SUBSTITUTION_JACCARD)

#: (content words, decisive words) of a clause.
Profile = tuple[frozenset[str], frozenset[str]]


@dataclass(frozen=True)
class Verdict:
    """Whether two clauses are one variant, by which rule, and why (for a person to check)."""

    merge: bool
    rule: str
    detail: str
    jaccard: float


@lru_cache(maxsize=1)
def equivalences() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(lemmas, concept lemmas) of ``clause_synonyms.tsv``, longest first; an empty concept is ignored words."""
    out = []
    for line in entries("clause_synonyms.tsv"):
        words, concept = line.split("\t")[:2]
        out.append((tuple(words.split()), () if concept.strip() == "-" else tuple(concept.split())))
    return tuple(sorted(out, key=lambda e: -len(e[0])))


@lru_cache(maxsize=1)
def persons() -> frozenset[str]:
    """Lemmas that name another person (``clause_persons.txt``): an addition of one is never a qualifier."""
    return frozenset(entries("clause_persons.txt"))


@lru_cache(maxsize=1)
def _equivalence_starts() -> frozenset[str]:
    return frozenset(words[0] for words, _ in equivalences())


def with_equivalences(lemmas: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lemmas with ``clause_synonyms.tsv`` applied, and the entries used (`проверять=контролировать`)."""
    lemmas = tuple(lemmas)
    if _equivalence_starts().isdisjoint(lemmas):
        return lemmas, ()
    out: list[str] = []
    used: list[str] = []
    i = 0
    while i < len(lemmas):
        for words, concept in equivalences():
            if lemmas[i: i + len(words)] == words:
                out.extend(concept)
                used.append(f"{' '.join(words)}={' '.join(concept) or '-'}")
                i += len(words)
                break
        else:
            out.append(lemmas[i])
            i += 1
    return tuple(out), tuple(used)


def strip_lead(lemmas: Sequence[str], label: str) -> tuple[str, ...]:
    """The lemmas without a lead the label already says (`имеет право` in a right), placeholders first."""
    i = 0
    while i < len(lemmas) and lemmas[i].startswith("<"):
        i += 1
    # The lead may follow a subject that is not the placeholder (`Секретарь имеет право` copied into
    # another position's instruction), so it is looked for in the first few words.
    for start in range(i, min(i + LEAD_WINDOW, len(lemmas))):
        for lead in leads().get(label, ()):
            if tuple(lemmas[start: start + len(lead)]) == lead:
                return tuple(lemmas[start + len(lead):])
    return tuple(lemmas[i:])


def content(lemmas: Sequence[str], label: str = "") -> frozenset[str]:
    """The lemmas that carry meaning: lead, function words and placeholders left out.

    A repeated lemma counts again (`директор#2`): `подчиняется директору и заместителю директора`
    holds one more word than `подчиняется заместителю директора`, not the same words.
    """
    stop = stopwords()
    seen: dict[str, int] = {}
    out = []
    for w in strip_lead(lemmas, label):
        if w in stop or w.startswith("<"):
            continue
        seen[w] = seen.get(w, 0) + 1
        out.append(w if seen[w] == 1 else f"{w}#{seen[w]}")
    return frozenset(out)


_DIGIT = re.compile(r"\d")


def signature(lemmas: Sequence[str], label: str = "") -> frozenset[str]:
    """The decisive lemmas of a clause (negation, right/obligation, numbers, frequency, ...)."""
    table = decisive()
    return frozenset(w for w in strip_lead(lemmas, label) if w in table or _DIGIT.search(w))


@lru_cache(maxsize=500_000)
def profile(lemmas: tuple[str, ...], label: str = "") -> tuple[frozenset[str], frozenset[str]]:
    """(content words, decisive words) of a clause, equivalences applied: what :func:`verify` compares."""
    lemmas = with_equivalences(lemmas)[0]
    return content(lemmas, label) or frozenset(lemmas), signature(lemmas, label)


def verify(a: Sequence[str], b: Sequence[str], label: str = "") -> Verdict:
    """Are the clauses with lemmas ``a`` and ``b`` (of ``label``) one canonical clause? First rule wins.

    The detail names the equivalences of ``clause_synonyms.tsv`` the comparison used, if any.
    """
    verdict = judge(profile(tuple(a), label), profile(tuple(b), label))
    used = sorted(set(with_equivalences(a)[1]) | set(with_equivalences(b)[1]))
    if used:
        verdict = dataclasses.replace(verdict, detail=f"{verdict.detail} (via {', '.join(used)})".lstrip())
    return verdict


def judge(
    pa: tuple[frozenset[str], frozenset[str]], pb: tuple[frozenset[str], frozenset[str]], detailed: bool = True
) -> Verdict:
    """The ordered rules on two profiles; ``detailed=False`` skips the explanation (for the build loop)."""
    (ca, sig_a), (cb, sig_b) = pa, pb
    if not detailed:
        # The build loop meets many candidates that share a band key but few words: one set operation
        # settles them (every merging rule needs MIN_MERGE_JACCARD).
        common = len(ca & cb)
        if common < MIN_MERGE_JACCARD * (len(ca) + len(cb) - common):
            return _FAR
    union = ca | cb
    jaccard = round(len(ca & cb) / len(union), 3) if union else 1.0
    if sig_a != sig_b:
        detail = " / ".join(" ".join(sorted(s)) or "-" for s in (sig_a - sig_b, sig_b - sig_a)) if detailed else ""
        return Verdict(False, "decisive", detail, jaccard)
    if ca == cb:
        return Verdict(True, "same-words", "same content words, other order or forms", jaccard)
    small, large = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    if small <= large:
        extra = large - small
        allowed = max(1, int(QUALIFIER_SHARE * len(large)))
        detail = "+" + " +".join(sorted(extra)) if detailed else ""
        # A repeated noun is another object (`директору и заместителю директора`), never a qualifier;
        # a repeated adjective is (`должностных обязанностей ... должностной инструкцией`).
        repeated = any("#" in w and _is_noun(w.split("#", 1)[0]) for w in extra)
        # `заместителю руководителя` is someone else than `руководителю`, not a narrower wording.
        other_person = not persons().isdisjoint(w.split("#", 1)[0] for w in extra)
        if len(small) >= QUALIFIER_MIN_WORDS and len(extra) <= allowed and not repeated and not other_person:
            return Verdict(True, "qualifier", detail, jaccard)
        return Verdict(False, "addition", detail, jaccard)
    detail = f"{' '.join(sorted(ca - cb))} / {' '.join(sorted(cb - ca))}" if detailed else ""
    if jaccard >= SUBSTITUTION_JACCARD:
        return Verdict(True, "reworded", detail, jaccard)
    return Verdict(False, "different", detail, jaccard)


_FAR = Verdict(False, "different", "", 0.0)


@lru_cache(maxsize=50_000)
def _is_noun(lemma: str) -> bool:
    from ..text import parse

    return parse(lemma).tag.POS == "NOUN"


def explain(a: str, b: str, label: str = "", position: str = "") -> Verdict:
    """:func:`verify` on two clause texts, for a person asking why they were (not) merged."""
    return verify(normalise(a, position).lemmas, normalise(b, position).lemmas, label)
