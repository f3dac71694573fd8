"""Building the catalogue: clauses -> lemma keys -> variants -> provisions, with ids that stay stable.

Within a label, in this order:

1. clauses with the same lemma key (``pipeline.normalise``) are one key; keys with the same content and
   decisive words (:func:`.variants.profile`) are one *unit*;
2. units, heaviest first, look for an existing variant among the anchors that share a MinHash band key
   (:mod:`.candidates`) and join the best one :func:`.variants.judge` accepts against that variant's anchor
   (the first unit it was built from); otherwise they found a new variant (:func:`assign`);
3. the new variants find their provision (:mod:`.provisions`): by provision type, or by similarity to
   every checked variant of an existing provision (complete linkage), or they found one.

The steps are functions of plain values so that the Dask build (``pipeline.engines.dask``) runs them
apart: :func:`units`, :func:`.candidates.band_key_matrix` per partition, :func:`verified_pairs` per
band-key group after a shuffle, :func:`assign` with the verified pairs on the client, then the provision
walk (:func:`provisions_of`). Both give the same ids.

An existing catalogue is loaded first, so its ids and anchors win: a new wording joins its existing
variant and provision, and a rerun on the same input gives the same ids. Comparing with anchors only keeps
chains apart (A~B and B~C never pull C into A).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..normalise import normalise
from ..records import Clause
from . import candidates, similarity
from . import provisions as level2
from .candidates import _Index, band_key_matrix, band_keys
from .state import Catalogue, Variant, canonical_id
from .variants import MIN_MERGE_JACCARD, Profile, judge, profile


@dataclass
class Unit:
    """Lemma keys of one label with the same content and decisive words, or an existing variant's anchor.

    ``fixed`` is the id of an existing variant (then ``keys`` is empty): it comes before every new unit
    and is an anchor from the start.
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
    fixed = [Unit(profile(tuple(v.anchor.split()), label), {}, v.id)
             for v in sorted(catalogue.variants.values(), key=lambda v: v.id) if v.label == label]
    return fixed + list(new_units)


def verified_pairs(label: str, members: Sequence[tuple[int, Profile]]) -> list[tuple[int, int, float]]:
    """(earlier item, later item, Jaccard) of the pairs in one band-key group that :func:`judge` merges.

    ``members`` are all the items having the key. The earlier item of a pair is one of the first
    BUCKET_CAP of them (the only ones :func:`.candidates.eligible` lets be anchors under the key), so a
    group costs BUCKET_CAP comparisons a member at most. The Dask build calls this per group; pairs whose
    earlier item turns out not to be an anchor are ignored by :func:`assign`, as this process never
    compares them.
    """
    out = []
    ordered = sorted(members)
    for j, (later, pb) in enumerate(ordered):
        for earlier, pa in ordered[: min(j, candidates.BUCKET_CAP)]:
            verdict = judge(pb, pa, detailed=False)
            if verdict.merge:
                out.append((earlier, later, verdict.jaccard))
    return out


def assign(
    label: str,
    items: Sequence[Unit],
    catalogue: Catalogue,
    verified: Mapping[int, Sequence[tuple[int, float]]] | None = None,
    allowed: Callable[[int, int], bool] | None = None,
) -> None:
    """Give every key of ``items`` a variant id in ``catalogue`` (updated in place), in item order.

    An existing anchor keeps its id. A unit with a known key keeps that key's variant. Otherwise the unit
    joins the anchor, among the earlier anchors sharing a band key with it, that :func:`judge` accepts
    (and ``allowed(unit, anchor)``: :func:`first_named_guard`) with the highest Jaccard (ties: the smallest
    id); with none it becomes a new variant and its own anchor (its provision is given by :mod:`.provisions`
    afterwards).

    ``verified`` maps an item to the (earlier item, Jaccard) pairs already verified with it (the Dask
    build); without it each unit is verified here against the anchors its band keys find.
    """
    index = _Index()
    masks = _Masks(items) if verified is None else None
    anchor_of: dict[int, str] = {}  # item -> variant id, for the items that are anchors
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
        known = [(-n, catalogue.keys[(label, k)]) for k, n in item.keys.items() if (label, k) in catalogue.keys]
        if known:
            vid: str | None = min(known)[1]
        else:
            if verified is None:
                found = masks.verified(i, index.query(keys))  # type: ignore[union-attr]
            else:
                found = [(jac, a) for a, jac in verified.get(i, ()) if a in anchor_of]
            if allowed is not None:
                found = [(jac, a) for jac, a in found if allowed(i, a)]
            vid = min(((-jac, anchor_of[a]) for jac, a in found), default=(0.0, None))[1]
            if vid is None:
                anchor = min(item.keys, key=lambda k: (-item.keys[k], k))
                vid = canonical_id(label, anchor, catalogue.variants)
                catalogue.variants[vid] = Variant(vid, label, anchor)
                anchor_of[i] = vid
                if verified is None:
                    index.add(i, may_anchor)
        for key in item.keys:
            catalogue.keys.setdefault((label, key), vid)


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

    def verified(self, i: int, found: Sequence[int]) -> list[tuple[float, int]]:
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


def first_named_guard(label: str, items: Sequence[Unit], catalogue: Catalogue,
                      texts: Mapping[tuple[str, str], str], scorer: similarity.Scorer) -> Callable[[int, int], bool]:
    """``allowed(unit, anchor)`` for :func:`assign`: a wording never joins a variant whose first-named item
    differs from its own (:func:`.similarity.substitution`: `основы организации труда` is not a qualified
    `основы психологии и организации труда`), since a variant belongs to one provision. Wordings of one
    provision type are not checked (the type decides)."""
    cache: dict[int, similarity.Profile] = {}

    def profile_of(i: int) -> similarity.Profile:
        if i not in cache:
            item = items[i]
            if item.fixed:
                text = catalogue.variants[item.fixed].text
            else:
                text = texts.get((label, min(item.keys, key=lambda k: (-item.keys[k], k))), "")
            cache[i] = similarity.profile(text, label)
        return cache[i]

    def allowed(i: int, a: int) -> bool:
        pi, pa = profile_of(i), profile_of(a)
        if pi.kind is not None and pa.kind is not None and pi.kind.key == pa.kind.key:
            return True
        return similarity.substitution(pi, pa, scorer.weight) is None

    return allowed


# --- the provision level --------------------------------------------------------------------------------


def new_variants(catalogue: Catalogue, existing: Catalogue | None) -> set[str]:
    """The variant ids of ``catalogue`` that ``existing`` lacks (those that need a provision)."""
    return {vid for vid in catalogue.variants if existing is None or vid not in existing.variants}


def provisions_of(
    catalogue: Catalogue,
    new: Mapping[str, int],
    texts: Mapping[tuple[str, str], str],
    scorer: similarity.Scorer,
    contexts: Mapping[tuple[str, str], Iterable[int]] | None = None,
) -> None:
    """Give each new variant (id -> its clauses in this build) its readable text and a provision (in place).

    ``texts`` maps (label, anchor key) to the readable text of the anchor (the smallest of its clauses');
    ``contexts`` maps (label, key) to the contexts (:func:`.provisions.context_id`) of its clauses here.
    """
    name_texts(catalogue, new, texts)
    by_variant = variant_contexts(catalogue, contexts or {})
    for label in sorted({catalogue.variants[vid].label for vid in new}):
        level2.assign(label, walk(label, catalogue, new, by_variant), catalogue, scorer)


def name_texts(catalogue: Catalogue, new: Iterable[str], texts: Mapping[tuple[str, str], str]) -> None:
    """Give each new variant the readable text of its anchor key."""
    for vid in new:
        v = catalogue.variants[vid]
        catalogue.variants[vid] = dataclasses.replace(v, text=texts.get((v.label, v.anchor), v.anchor))


def variant_contexts(catalogue: Catalogue, contexts: Mapping[tuple[str, str], Iterable[int]]) -> dict[str, frozenset[int]]:
    """Variant id -> the contexts of its keys' clauses in this build."""
    out: dict[str, set[int]] = {}
    for pair, found in contexts.items():
        out.setdefault(catalogue.keys[pair], set()).update(found)
    return {vid: frozenset(found) for vid, found in out.items()}


def walk(label: str, catalogue: Catalogue, new: Mapping[str, int],
         contexts: Mapping[str, frozenset[int]] | None = None) -> list[level2.Item]:
    """The provision walk of ``label`` (:func:`.provisions.items_of` with this build's profiles)."""
    return level2.items_of(label, catalogue, new, similarity.profile, contexts)


def normalise_all(clauses: Sequence[Clause], positions: Mapping[tuple[str, int], str]) -> list[Any]:
    """The normalised form of every clause; each distinct (text, position, lead-in) is normalised once per build."""
    seen: dict[tuple[str, str, str], Any] = {}
    out = []
    for c in clauses:
        key = (c.text, positions.get((c.source, c.instruction), ""), c.lead_in)
        norm = seen.get(key)
        if norm is None:
            norm = seen[key] = normalise(*key)
        out.append(norm)
    return out


def with_ids(clauses: Sequence[Clause], keys: Sequence[str], catalogue: Catalogue) -> list[Clause]:
    """The clauses with the canonical id (the provision) of their (label, key)."""
    return [dataclasses.replace(c, canonical_id=catalogue.provision_of_key(c.label, k))
            for c, k in zip(clauses, keys, strict=True)]


def clause_context(clause: Clause) -> int | None:
    """The context of a clause: its document, instruction, section and lead-in (:func:`.provisions.context_id`);
    None for a clause of no known section (a clause record without its document's structure)."""
    if not clause.section_number and not clause.section_title:
        return None
    return level2.context_id(clause.source, clause.instruction, clause.section_number, clause.section_title,
                             clause.lead_in)


def variant_weights(catalogue: Catalogue, counts: Mapping[str, Mapping[str, int]], new: set[str]) -> dict[str, int]:
    """Per new variant, the number of this build's clauses in it."""
    out: dict[str, int] = dict.fromkeys(new, 0)
    for label, keys in counts.items():
        for key, n in keys.items():
            vid = catalogue.keys[(label, key)]
            if vid in out:
                out[vid] += n
    return out


def build(
    clauses: Sequence[Clause],
    positions: Mapping[tuple[str, int], str],
    existing: Catalogue | None = None,
    scorer: similarity.Scorer | None = None,
) -> tuple[list[Clause], Catalogue]:
    """Assign a ``canonical_id`` (the provision) to every clause; returns the clauses and the grown catalogue.

    ``positions`` maps (source, instruction) to the instruction's position (for the placeholder).
    ``existing`` is never modified. ``scorer``: the provision similarity (default: the shipped pair model).
    """
    scorer = scorer if scorer is not None else similarity.load()
    catalogue = existing.copy() if existing is not None else Catalogue()
    norms = normalise_all(clauses, positions)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lemmas_of: dict[str, tuple[str, ...]] = {}
    texts: dict[tuple[str, str], str] = {}
    contexts: dict[tuple[str, str], set[int]] = defaultdict(set)
    for clause, norm in zip(clauses, norms, strict=True):
        counts[clause.label][norm.key] += 1
        lemmas_of[norm.key] = norm.lemmas
        pair = (clause.label, norm.key)
        if pair not in texts or norm.readable < texts[pair]:
            texts[pair] = norm.readable
        context = clause_context(clause)
        if context is not None:
            contexts[pair].add(context)
    for label in sorted(counts):
        items = label_items(label, units(label, counts[label], lemmas_of), catalogue)
        assign(label, items, catalogue, allowed=first_named_guard(label, items, catalogue, texts, scorer))
    new = new_variants(catalogue, existing)
    provisions_of(catalogue, variant_weights(catalogue, counts, new), texts, scorer, contexts)
    return with_ids(clauses, [n.key for n in norms], catalogue), catalogue
