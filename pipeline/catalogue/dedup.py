"""Deduplication: clauses of one label grouped into canonical clauses, with ids that stay stable.

Within a label, in this order:

1. clauses with the same lemma key (``pipeline.normalise``) are one variant;
2. variants with the same set of content lemmas (word order, function words) are one unit;
3. units, heaviest first, look for an existing canonical clause among the candidates that MinHash/LSH
   on their content lemmas proposes (never all pairs), and join the best one that :func:`verify` accepts
   against that clause's *anchor* (the first unit it was built from); otherwise they start a new one.

Verification (:func:`verify`) compares content words after the equivalences of
``pipeline/data/clause_synonyms.tsv`` (`проверять` = `контролировать`): a wording keeps its own lemma key
and variant, only the merge decision sees the shared concept, and the verdict names the entries it used.
navec vectors (natasha's news embedding) were measured for this and left out: their cosine ranks pairs
that must stay apart (`устный` / `письменный` 0.61, `заместитель` / `руководитель` 0.66) above pairs that
must merge (`контролировать` / `проверять` 0.49, `клиентский` / `клиент` 0.15), so no threshold separates them.

Comparing with the anchor only (not with any member) keeps chains apart: A~B and B~C never pull C into A.
An existing catalogue is loaded first, so its ids and anchors win: a new variant joins its existing
canonical clause, and a rerun on the same input gives the same ids.

>>> verify(("вести", "учет", "кассовый", "операция"), ("вести", "учет", "кассовый", "операция", "организация"))
Verdict(merge=True, rule='qualifier', detail='+организация', jaccard=0.8)
>>> verify(("иметь", "право", "подписывать", "документ"), ("обязать", "подписывать", "документ")).rule
'decisive'
>>> verify(("иметь", "право", "подписывать", "документ"), ("подписывать", "документ"), "right").rule
'same-words'
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..normalise import DATA, decisive, leads, normalise, stopwords
from ..records import Clause

#: How many words may precede a lead (`главный специалист имеет право ...`).
LEAD_WINDOW = 3
#: MinHash size and LSH banding (16 bands of 4 rows): a pair with content Jaccard 0.75 becomes a
#: candidate with probability 0.998, one with 0.3 with 0.12; verification decides, so misses cost recall only.
NUM_PERM = 64
BANDS = (16, 4)
#: Verified similarity: a substitution merges only at this content Jaccard (1 word replaced in 19 or more):
#: a one-word substitution is a synonym (the vocabulary's job) or a real difference (`поставщиками` /
#: `покупателями` in a 14-word clause), and words alone cannot tell which.
SUBSTITUTION_JACCARD = 0.9
#: A pure addition merges when it adds at most this share of the longer clause's content words (min 1).
QUALIFIER_SHARE = 0.25
#: The shorter clause of an addition needs this many content words (`ведет учет` + `кадров` is new).
QUALIFIER_MIN_WORDS = 3


@dataclass(frozen=True)
class Canonical:
    """One canonical clause: its id, label, and the key new variants are compared with."""

    id: str
    label: str
    anchor: str


@dataclass
class Catalogue:
    """Canonical clauses and the variant keys assigned to them; grows with every build."""

    entries: dict[str, Canonical] = field(default_factory=dict)
    variants: dict[tuple[str, str], str] = field(default_factory=dict)  # (label, key) -> id

    def copy(self) -> Catalogue:
        return Catalogue(dict(self.entries), dict(self.variants))

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class Verdict:
    """Whether two clauses are one canonical clause, by which rule, and why (for a person to check)."""

    merge: bool
    rule: str
    detail: str
    jaccard: float


# --- the verified similarity -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def equivalences() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(lemmas, concept lemmas) of ``clause_synonyms.tsv``, longest first; an empty concept is ignored words."""
    out = []
    for raw in (DATA / "clause_synonyms.tsv").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        words, concept = raw.split("\t")[:2]
        out.append((tuple(words.split()), () if concept.strip() == "-" else tuple(concept.split())))
    return tuple(sorted(out, key=lambda e: -len(e[0])))


@lru_cache(maxsize=1)
def persons() -> frozenset[str]:
    """Lemmas that name another person (``clause_persons.txt``): an addition of one is never a qualifier."""
    lines = (DATA / "clause_persons.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in (line.split("#", 1)[0].strip() for line in lines) if w)


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


@lru_cache(maxsize=50_000)
def _is_noun(lemma: str) -> bool:
    from ..lemmas import parse

    return parse(lemma).tag.POS == "NOUN"


def explain(a: str, b: str, label: str = "", position: str = "") -> Verdict:
    """:func:`verify` on two clause texts, for a person asking why they were (not) merged."""
    return verify(normalise(a, position).lemmas, normalise(b, position).lemmas, label)


# --- candidates: MinHash/LSH on content lemmas --------------------------------------------------------


class _Candidates:
    """An LSH index of anchors of one label (datasketch, loaded on first use)."""

    _permutations: Any = None

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=BANDS)

    @classmethod
    def minhash(cls, words: frozenset[str]) -> Any:
        from datasketch import MinHash

        if cls._permutations is None:
            cls._permutations = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations
        m = MinHash(num_perm=NUM_PERM, permutations=cls._permutations, scheme="affine32")
        m.update_batch([w.encode("utf-8") for w in sorted(words)])
        return m

    def add(self, canonical_id: str, words: frozenset[str]) -> None:
        self.lsh.insert(canonical_id, self.minhash(words), check_duplication=False)

    def query(self, words: frozenset[str]) -> list[str]:
        return sorted(self.lsh.query(self.minhash(words)))


# --- building the catalogue ----------------------------------------------------------------------------


def canonical_id(label: str, anchor: str, taken: Mapping[str, Any]) -> str:
    """A short id from the label and the anchor key, so a rebuild from scratch gives the same ids."""
    digest = hashlib.blake2b(f"{label}\x00{anchor}".encode(), digest_size=5).hexdigest()
    base = f"{(label or 'none')[:3]}-{digest}"
    cid, n = base, 1
    while cid in taken:
        n += 1
        cid = f"{base}-{n}"
    return cid


@dataclass
class _Unit:
    """Variants (lemma keys) of one label with the same content words."""

    words: frozenset[str]
    profile: tuple[frozenset[str], frozenset[str]]  # of its heaviest key, for verification
    keys: dict[str, int]  # key -> number of clauses

    @property
    def weight(self) -> int:
        return sum(self.keys.values())


def _units(label: str, label_keys: Mapping[str, int], lemmas_of: Mapping[str, tuple[str, ...]]) -> list[_Unit]:
    """Keys grouped by content words, heaviest unit first (ties by key, for determinism)."""
    groups: dict[tuple[frozenset[str], frozenset[str]], dict[str, int]] = defaultdict(dict)
    for key, count in label_keys.items():
        lemmas = lemmas_of[key]
        groups[profile(lemmas, label)][key] = count
    units = []
    for (words, _), keys in groups.items():
        top = min(keys, key=lambda k: (-keys[k], k))
        units.append(_Unit(words, profile(lemmas_of[top], label), keys))
    units.sort(key=lambda u: (-u.weight, min(u.keys)))
    return units


def _assign_label(label: str, units: list[_Unit], catalogue: Catalogue) -> None:
    """Give every key of ``units`` a canonical id in ``catalogue`` (updated in place)."""
    index = _Candidates()
    anchors: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for entry in catalogue.entries.values():
        if entry.label == label:
            anchors[entry.id] = profile(tuple(entry.anchor.split()), label)
            index.add(entry.id, anchors[entry.id][0])
    for unit in units:
        known = [(-n, catalogue.variants[(label, k)]) for k, n in unit.keys.items() if (label, k) in catalogue.variants]
        cid = min(known)[1] if known else _best_anchor(label, unit, index, anchors)
        if cid is None:
            anchor = min(unit.keys, key=lambda k: (-unit.keys[k], k))
            cid = canonical_id(label, anchor, catalogue.entries)
            catalogue.entries[cid] = Canonical(cid, label, anchor)
            anchors[cid] = unit.profile
            index.add(cid, unit.words)
        for key in unit.keys:
            catalogue.variants.setdefault((label, key), cid)


def _best_anchor(
    label: str, unit: _Unit, index: _Candidates, anchors: Mapping[str, tuple[frozenset[str], frozenset[str]]]
) -> str | None:
    """The candidate canonical clause whose anchor verifies with the unit best, or None."""
    best: tuple[float, str] | None = None
    for cid in index.query(unit.words):
        verdict = judge(unit.profile, anchors[cid], detailed=False)
        if verdict.merge and (best is None or verdict.jaccard > best[0]):
            best = (verdict.jaccard, cid)
    return best[1] if best else None


def build(
    clauses: Sequence[Clause],
    positions: Mapping[tuple[str, int], str],
    existing: Catalogue | None = None,
) -> tuple[list[Clause], Catalogue]:
    """Assign a ``canonical_id`` to every clause; returns the clauses and the grown catalogue.

    ``positions`` maps (source, instruction) to the instruction's position (for the placeholder).
    ``existing`` is never modified.
    """
    catalogue = existing.copy() if existing is not None else Catalogue()
    seen: dict[tuple[str, str], Any] = {}  # each distinct wording is normalised once, whatever the caches hold
    keys = []
    for c in clauses:
        pair = (c.text, positions.get((c.source, c.instruction), ""))
        norm = seen.get(pair)
        if norm is None:
            norm = seen[pair] = normalise(*pair)
        keys.append(norm)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lemmas_of: dict[str, tuple[str, ...]] = {}
    for clause, norm in zip(clauses, keys, strict=True):
        counts[clause.label][norm.key] += 1
        lemmas_of[norm.key] = norm.lemmas
    for label in sorted(counts):
        _assign_label(label, _units(label, counts[label], lemmas_of), catalogue)
    out = [
        dataclasses.replace(c, canonical_id=catalogue.variants[(c.label, n.key)])
        for c, n in zip(clauses, keys, strict=True)
    ]
    return out, catalogue
