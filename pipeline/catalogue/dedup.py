"""Deduplication: clauses of one label grouped into canonical clauses, with ids that stay stable.

Within a label, in this order:

1. clauses with the same lemma key (``pipeline.normalise``) are one variant;
2. variants with the same set of content lemmas (word order, function words) are one unit;
3. units, heaviest first, look for an existing canonical clause among the candidates that share a
   MinHash band key of their content lemmas (:func:`band_keys`; never all pairs), and join the best one
   that :func:`verify` accepts against that clause's *anchor* (the first unit it was built from);
   otherwise they start a new one (:func:`assign`).

The steps are functions of plain values so that the Dask build (``pipeline.engines.dask``) runs them
apart: :func:`units`, :func:`band_key_matrix` per partition, :func:`verified_pairs` per band-key group
after a shuffle, :func:`assign` with the verified pairs on the client. Both give the same ids.

Scale: how many anchors a new unit is compared with grows with the density of near neighbours (clauses
that share a band key but are not one provision), not with the size of the catalogue as such; a band key
keeps at most BUCKET_CAP possible anchors (:func:`eligible`) and most candidates are rejected by one
bitmask operation, so the build grows near-linearly (``bench/bench_catalogue.py``).

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..data import entries
from ..normalise import decisive, leads, normalise, stopwords
from ..records import Clause

#: How many words may precede a lead (`главный специалист имеет право ...`).
LEAD_WINDOW = 3
#: MinHash size and banding (16 bands of 4 rows): a pair with content Jaccard 0.75 becomes a candidate
#: with probability 0.998, one with 0.3 with 0.12; verification decides, so misses cost recall only.
NUM_PERM = 64
BANDS = (16, 4)
#: A band key keeps at most this many items (in item order) as possible anchors (see :func:`eligible`).
BUCKET_CAP = 64
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


# --- candidates: MinHash band keys on content lemmas ----------------------------------------------------
#
# A clause's content words get a MinHash signature (NUM_PERM hashes); each band of rows becomes one
# integer key, salted with the label and the decisive words (clauses that differ there never merge, so
# they need not meet). Two clauses are candidates when they share a band key. The keys are plain
# integers computed from the words alone, the same in every process, so the Dask build
# (``pipeline.engines.dask``) can group on them and find the same candidates as this process.

Profile = tuple[frozenset[str], frozenset[str]]
#: datasketch's hashing scheme, named so that a new default in a later datasketch cannot change the keys
_SCHEME = "affine32"


@lru_cache(maxsize=1)
def _band_mix() -> Any:
    """One odd multiplier per row of each band: a band's rows become one integer key."""
    import numpy as np

    rng = np.random.RandomState(1)
    return rng.randint(0, 1 << 62, size=BANDS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


@lru_cache(maxsize=1)
def _permutations() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=_SCHEME).permutations


@lru_cache(maxsize=200_000)
def _word_hashes(word: str) -> Any:
    """datasketch's MinHash of the one-word set {word}. The MinHash of a set is the element-wise minimum of
    its words' (what ``MinHash.update_batch`` computes), so a clause's signature is taken over these rows,
    for thousands of clauses at once, instead of hashing every word again in every clause."""
    import numpy as np
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, permutations=_permutations(), scheme=_SCHEME)
    minhash.update(word.encode("utf-8"))
    return minhash.hashvalues.astype(np.uint64)


@lru_cache(maxsize=10_000)
def _salt(label: str, signature: frozenset[str]) -> int:
    text = label + "\x00" + " ".join(sorted(signature))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


#: Items whose band keys are computed in one go (bounds the temporary word-hash matrix to ~20 MB).
_CHUNK = 4096


def minhash_matrix(word_sets: Sequence[frozenset[str]]) -> Any:
    """datasketch MinHash signatures of many word sets: row i equals ``MinHash.update_batch(word_sets[i])``'s
    hash values (zeros for an empty set, which never meets another clause)."""
    import numpy as np

    vocabulary: dict[str, int] = {}
    rows, offsets = [], []
    for words in word_sets:
        offsets.append(len(rows))
        rows.extend(vocabulary.setdefault(w, len(vocabulary)) for w in sorted(words))
    hashes = np.zeros((len(word_sets), NUM_PERM), dtype=np.uint64)
    filled = [i for i, words in enumerate(word_sets) if words]
    if filled:
        table = np.stack([_word_hashes(w) for w in vocabulary])
        hashes[filled] = np.minimum.reduceat(table[np.array(rows)], np.array([offsets[i] for i in filled]), axis=0)
    return hashes


def band_key_matrix(profiles: Sequence[Profile], label: str = "") -> Any:
    """The band keys of many clauses of one label: a numpy int64 array, one row of BANDS[0] keys each.

    Row i is what :func:`band_keys` gives for ``profiles[i]`` (content words, decisive words); the
    MinHash of each clause is the minimum of its words' hash rows, computed for a chunk of clauses at once.
    """
    import numpy as np

    mix = _band_mix()
    out = np.zeros((len(profiles), BANDS[0]), dtype=np.int64)
    for start in range(0, len(profiles), _CHUNK):
        chunk = profiles[start: start + _CHUNK]
        hashes = minhash_matrix([words for words, _ in chunk])
        salts = np.array([_salt(label, signature) for _, signature in chunk], dtype=np.uint64)
        keys = (hashes.reshape(len(chunk), *BANDS) * mix).sum(axis=2, dtype=np.uint64) + salts[:, None]
        out[start: start + len(chunk)] = keys.view(np.int64)
    return out


def band_keys(words: frozenset[str], label: str = "", signature: frozenset[str] = frozenset()) -> tuple[int, ...]:
    """The BANDS[0] band keys (signed 64-bit integers) of a clause's content words.

    A pair with content Jaccard 0.75 (the lowest any merge rule accepts) shares a key with probability
    0.998; one with 0.3 with 0.12.
    """
    return tuple(band_key_matrix([(words, signature)], label)[0].tolist())


def eligible(items_keys: Sequence[Sequence[int]]) -> list[frozenset[int]]:
    """For each item, the band keys under which it may be an anchor: those it reaches among the first
    BUCKET_CAP items (in item order) that have the key.

    A key that many clauses share says little about any pair of them, and comparing every later unit
    with every anchor under it made the build quadratic. Items come heaviest first, so the anchors a
    crowded key keeps are the clauses most used; a pair still meets under any of its other keys.
    """
    index = _Index()
    return [frozenset(index.admit(keys)) for keys in items_keys]


class _Index:
    """Anchors (canonical clauses) of one label by band key; a unit's candidates share a key with it."""

    def __init__(self) -> None:
        self.buckets: dict[int, list[int]] = {}
        self.seen: dict[int, int] = {}  # key -> items met with it so far (counted up to BUCKET_CAP)

    def admit(self, keys: Sequence[int]) -> list[int]:
        """The next item's keys under which it may be an anchor (see :func:`eligible`); counts it under all."""
        mine = []
        seen = self.seen
        for key in keys:
            n = seen.get(key, 0)
            if n < BUCKET_CAP:
                mine.append(key)
                seen[key] = n + 1
        return mine

    def add(self, item: int, keys: Iterable[int]) -> None:
        for key in keys:
            self.buckets.setdefault(key, []).append(item)

    def query(self, keys: Sequence[int]) -> list[int]:
        found: dict[int, None] = {}
        for key in keys:
            for item in self.buckets.get(key, ()):
                found[item] = None
        return list(found)


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
class Unit:
    """Variants (lemma keys) of one label with the same content and decisive words, or an existing anchor.

    ``fixed`` is the id of an existing canonical clause (then ``keys`` is empty): it comes before every
    new unit and is an anchor from the start.
    """

    profile: Profile
    keys: dict[str, int]  # key -> number of clauses
    fixed: str = ""

    @property
    def weight(self) -> int:
        return sum(self.keys.values())

    def band_keys(self, label: str) -> tuple[int, ...]:
        return band_keys(self.profile[0], label, self.profile[1])


def units(label: str, label_keys: Mapping[str, int], lemmas_of: Mapping[str, tuple[str, ...]] | None = None,
          profiles: Mapping[str, Profile] | None = None) -> list[Unit]:
    """Keys grouped by profile, heaviest unit first (ties by smallest key, for determinism).

    The profile of a key comes from ``profiles`` when given (the Dask build computes them on the workers),
    else from its lemmas.
    """
    groups: dict[Profile, dict[str, int]] = defaultdict(dict)
    for key, count in label_keys.items():
        prof = profiles[key] if profiles is not None else profile(lemmas_of[key], label)  # type: ignore[index]
        groups[prof][key] = count
    out = [Unit(prof, keys) for prof, keys in groups.items()]
    out.sort(key=lambda u: (-u.weight, min(u.keys)))
    return out


def label_items(label: str, new_units: Sequence[Unit], catalogue: Catalogue) -> list[Unit]:
    """What :func:`assign` walks for ``label``: the catalogue's existing anchors (by id), then the new units."""
    fixed = [Unit(profile(tuple(e.anchor.split()), label), {}, e.id)
             for e in sorted(catalogue.entries.values(), key=lambda e: e.id) if e.label == label]
    return fixed + list(new_units)


def verified_pairs(label: str, members: Sequence[tuple[int, Profile]]) -> list[tuple[int, int, float]]:
    """(earlier item, later item, Jaccard) of the pairs in one band-key group that :func:`judge` merges.

    ``members`` are all the items having the key. The earlier item of a pair is one of the first
    BUCKET_CAP of them (the only ones :func:`eligible` lets be anchors under the key), so a group costs
    BUCKET_CAP comparisons a member at most. The Dask build calls this per group; pairs whose earlier
    item turns out not to be an anchor are ignored by :func:`assign`, as this process never compares them.
    """
    out = []
    ordered = sorted(members)
    for j, (later, pb) in enumerate(ordered):
        for earlier, pa in ordered[: min(j, BUCKET_CAP)]:
            verdict = judge(pb, pa, detailed=False)
            if verdict.merge:
                out.append((earlier, later, verdict.jaccard))
    return out


def assign(
    label: str,
    items: Sequence[Unit],
    catalogue: Catalogue,
    verified: Mapping[int, Sequence[tuple[int, float]]] | None = None,
) -> None:
    """Give every key of ``items`` a canonical id in ``catalogue`` (updated in place), in item order.

    An existing anchor keeps its id. A unit with a known variant key keeps that key's id. Otherwise the
    unit joins the anchor, among the earlier anchors sharing a band key with it, that :func:`judge`
    accepts with the highest Jaccard (ties: the smallest id); with none it becomes a new canonical clause
    and its own anchor. Comparing with anchors only keeps chains apart (A~B and B~C never pull C into A).

    ``verified`` maps an item to the (earlier item, Jaccard) pairs already verified with it (the Dask
    build); without it each unit is verified here against the anchors its band keys find.
    """
    index = _Index()
    masks = _Masks(items) if verified is None else None
    anchor_of: dict[int, str] = {}  # item -> canonical id, for the items that are anchors
    keys_of = band_key_matrix([item.profile for item in items], label) if verified is None else None
    for i, item in enumerate(items):
        if keys_of is not None:
            keys = keys_of[i].tolist()
            may_anchor = index.admit(keys)
        if item.fixed:
            anchor_of[i] = item.fixed
            if verified is None:
                index.add(i, may_anchor)
            continue
        known = [(-n, catalogue.variants[(label, k)]) for k, n in item.keys.items() if (label, k) in catalogue.variants]
        if known:
            cid: str | None = min(known)[1]
        else:
            if verified is None:
                candidates = masks.verified(i, index.query(keys))  # type: ignore[union-attr]
            else:
                candidates = [(jac, a) for a, jac in verified.get(i, ()) if a in anchor_of]
            cid = min(((-jac, anchor_of[a]) for jac, a in candidates), default=(0.0, None))[1]
            if cid is None:
                anchor = min(item.keys, key=lambda k: (-item.keys[k], k))
                cid = canonical_id(label, anchor, catalogue.entries)
                catalogue.entries[cid] = Canonical(cid, label, anchor)
                anchor_of[i] = cid
                if verified is None:
                    index.add(i, may_anchor)
        for key in item.keys:
            catalogue.variants.setdefault((label, key), cid)


class _Masks:
    """Each item's content words as the bits of one integer, for the quick rejection of many candidates.

    At a million clauses a unit meets about a hundred candidates, most sharing a band key but few words;
    ``(a & b).bit_count()`` counts the common words several times faster than intersecting frozensets.
    """

    def __init__(self, items: Sequence[Unit]) -> None:
        self.items = items
        bits: dict[str, int] = {}
        self.masks = []
        for item in items:
            mask = 0
            for word in item.profile[0]:
                mask |= 1 << bits.setdefault(word, len(bits))
            self.masks.append(mask)
        self.sizes = [len(item.profile[0]) for item in items]

    def verified(self, i: int, found: Iterable[int]) -> list[tuple[float, int]]:
        """(Jaccard, anchor) of the anchors in ``found`` that :func:`judge` merges with item ``i``."""
        masks, sizes, least = self.masks, self.sizes, MIN_MERGE_JACCARD
        mask, size = masks[i], sizes[i]
        out = []
        for a in found:
            common = (mask & masks[a]).bit_count()
            if common < least * (size + sizes[a] - common):
                continue
            verdict = judge(self.items[i].profile, self.items[a].profile, detailed=False)
            if verdict.merge:
                out.append((verdict.jaccard, a))
        return out


def normalise_all(clauses: Sequence[Clause], positions: Mapping[tuple[str, int], str]) -> list[Any]:
    """The normalised form of every clause; each distinct (text, position) is normalised once per build."""
    seen: dict[tuple[str, str], Any] = {}
    out = []
    for c in clauses:
        pair = (c.text, positions.get((c.source, c.instruction), ""))
        norm = seen.get(pair)
        if norm is None:
            norm = seen[pair] = normalise(*pair)
        out.append(norm)
    return out


def with_ids(clauses: Sequence[Clause], keys: Sequence[str], catalogue: Catalogue) -> list[Clause]:
    """The clauses with the canonical id of their (label, key)."""
    return [dataclasses.replace(c, canonical_id=catalogue.variants[(c.label, k)])
            for c, k in zip(clauses, keys, strict=True)]


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
    norms = normalise_all(clauses, positions)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lemmas_of: dict[str, tuple[str, ...]] = {}
    for clause, norm in zip(clauses, norms, strict=True):
        counts[clause.label][norm.key] += 1
        lemmas_of[norm.key] = norm.lemmas
    for label in sorted(counts):
        assign(label, label_items(label, units(label, counts[label], lemmas_of), catalogue), catalogue)
    return with_ids(clauses, [n.key for n in norms], catalogue), catalogue
