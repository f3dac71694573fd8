"""Candidates: which wordings are compared at all, by MinHash band keys of their content words.

A clause's content words get a MinHash signature (NUM_PERM hashes); each band of rows becomes one
integer key, salted with the label and the decisive words (clauses that differ there never merge, so
they need not meet). Two clauses are candidates when they share a band key; never all pairs. The keys
are plain integers computed from the words alone, the same in every process, so the Dask build
(``pipeline.engines.dask``) can group on them and find the same candidates as this process.

A key that many clauses share says little about any pair of them: it keeps at most BUCKET_CAP items (in
walk order) as possible anchors (:func:`eligible`), so the build grows near-linearly
(``bench/bench_catalogue.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from .variants import Profile

#: MinHash size and banding (16 bands of 4 rows): a pair with content Jaccard 0.75 becomes a candidate
#: with probability 0.998, one with 0.3 with 0.12; verification decides, so misses cost recall only.
NUM_PERM = 64
BANDS = (16, 4)
#: A band key keeps at most this many items (in item order) as possible anchors (see :func:`eligible`).
BUCKET_CAP = 64

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
    """Anchors of one label by key; an item's candidates share a key with it. A key keeps the first ``cap``
    items that have it (default BUCKET_CAP) as possible anchors."""

    def __init__(self, cap: int | None = None) -> None:
        self.buckets: dict[int, list[int]] = {}
        self.seen: dict[int, int] = {}  # key -> items met with it so far (counted up to the cap)
        self.cap = BUCKET_CAP if cap is None else cap

    def admit(self, keys: Sequence[int]) -> list[int]:
        """The next item's keys under which it may be an anchor (see :func:`eligible`); counts it under all."""
        mine = []
        seen, cap = self.seen, self.cap
        for key in keys:
            n = seen.get(key, 0)
            if n < cap:
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
