"""Provisions: variants (distinct wordings) grouped into canonical clauses, with a reason for every merge.

Per label, variants are walked in a fixed order: those of the existing catalogue first (they keep their
provision), then the new ones, heaviest first (ties by anchor key). A new variant

1. of a provision type (:mod:`.kinds`) joins the provision of its type key, or founds it;
2. of no type joins the provision, among those of the earlier variants it meets, whose first MAX_CHECK
   variants it is similar to, every one of them (:class:`.similarity.Scorer`, at the scorer's threshold):
   complete linkage, so a chain A~B~C never puts C with A unless A~C; the best such provision (highest
   weakest score, then the smallest id) wins; with none it founds a provision. A provision of a type asks the
   scorer's ``type_threshold`` instead (a wording of no type joins a standard provision only when it is very
   like its wordings).

Two wordings met side by side in one list (one known section, one lead-in) of one instruction are two
provisions (an author does not list one provision twice; a literal repeat is one wording, and a function restated
as a duty sits in another section): a variant never joins a provision one of whose variants shares a *context*
(document, instruction, section, lead-in) with it in this build, and a type then gets a second provision.

A variant meets an earlier variant when they share a *block key* (:func:`block_keys`): its heaviest concept,
or a pair of its BLOCK_WORDS heaviest concepts, salted with the label and the decisive words. A key keeps at most BLOCK_CAP variants as partners, in walk
order (:class:`.candidates._Index`), so the walk grows near-linearly with the catalogue; the pairs are the
same whether scored here or per key on Dask workers (:func:`pairs_of_group`).

The provision takes the id of the variant that founded it: ids never change, a rebuild from scratch gives
the same ids, and a re-clustering that would change an assignment is reported, never applied: a new wording
that fits more than one provision is noted (``Catalogue.notes``: a fresh clustering might merge them), and
:func:`drift` compares a catalogue with a fresh build.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .candidates import _Index
from .similarity import Profile, Scorer, _stem
from .state import Catalogue, Provision

#: Concepts of a variant whose pairs become block keys (its heaviest, by the scorer's weights).
BLOCK_WORDS = 4
#: Of a wording's heaviest concepts, this many are block keys alone too, when they weigh SINGLE_WEIGHT or more
#: (a rare word: two wordings naming the same rare thing meet, whatever else they say).
SINGLE_WORDS = 1
SINGLE_WEIGHT = 5.0
#: Of what a long wording names first (its first item), the pairs of this many heaviest concepts are block keys
#: too: a short wording of the act and its object meets the long one that goes on to list more.
HEAD_WORDS = 4
#: A block key keeps at most this many variants as partners (in walk order).
BLOCK_CAP = 8
#: A variant joins a provision only if it is similar to each of the provision's first MAX_CHECK variants.
MAX_CHECK = 8


@dataclass(frozen=True)
class Item:
    """A variant in the walk: its id, profile, weight (clauses in this build), existing provision, and the
    contexts (:func:`context_id`) its clauses of this build sit in."""

    variant: str
    profile: Profile
    weight: int = 0
    provision: str = ""
    contexts: frozenset[int] = frozenset()


def context_id(source: str, instruction: int, section_number: str, section_title: str, lead_in: str = "") -> int:
    """One list of one section of one instruction of one document (the items under one lead-in), as a signed 64-bit
    integer (the same in every process)."""
    text = f"{source}\x00{instruction}\x00{section_number}\x00{section_title}"
    if lead_in.strip():
        text += "\x00" + " ".join(lead_in.split())
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little", signed=True)


def block_keys(p: Profile, scorer: Scorer) -> tuple[int, ...]:
    """The block keys of a profile: each pair of its BLOCK_WORDS heaviest stems (`налог` / `налоговый` are one),
    its SINGLE_WORDS heaviest alone when it weighs SINGLE_WEIGHT (a rare word), both stems of a profile of
    one or two, and for a long wording the pair of the heaviest two of what it names first; salted with the
    label and the decisive words, as signed 64-bit integers (the same in every process). Two wordings meet
    when they share two of their heavy stems or a rare one: most pairs never meet. A wording of a type has
    keys too: a wording of no type may join the type's provision by similarity."""
    if not p.words:
        return ()
    heaviest: dict[str, float] = {}
    for w in p.words:  # each word by its stem (`налог` / `налоговый` meet), as heavy as its heaviest word
        key = _stem(w)
        heaviest[key] = max(heaviest.get(key, 0.0), scorer.weight(w))
    weight = heaviest.__getitem__
    ranked = sorted(heaviest, key=lambda w: (-heaviest[w], w))
    top = ranked[:BLOCK_WORDS]
    names = list(ranked) if len(ranked) <= 2 else [w for w in ranked[:SINGLE_WORDS] if weight(w) >= SINGLE_WEIGHT]
    names += [f"{x}+{y}" for i, x in enumerate(top) for y in top[i + 1:]]
    if len(p.words) > p.head > 1:  # a long wording: each pair of the heaviest words of what it names first, too
        first = sorted({_stem(w) for w in p.words[: p.head]}, key=lambda w: (-heaviest[w], w))[:HEAD_WORDS]
        known = set(names)
        names += [f"{x}+{y}" for i, x in enumerate(first) for y in first[i + 1:]
                  if f"{x}+{y}" not in known and f"{y}+{x}" not in known]
    salt = p.label + "\x00" + " ".join(sorted(p.signature)) + "\x00"
    return tuple(int.from_bytes(hashlib.blake2b((salt + w).encode(), digest_size=8).digest(), "little", signed=True)
                 for w in names)


def walk_order(items: Iterable[Item]) -> list[Item]:
    """Existing variants (by provision, then id), then the new ones of a provision type, then the others, each
    heaviest first (ties: variant id): a wording of no type meets the provisions of the types as well."""
    items = list(items)
    existing = sorted((it for it in items if it.provision), key=lambda it: (it.provision, it.variant))
    new = sorted((it for it in items if not it.provision),
                 key=lambda it: (it.profile.kind is None, -it.weight, it.variant))
    return existing + new


def pairs_of_group(members: Sequence[tuple[int, Profile]], scorer: Scorer) -> list[tuple[int, int, float]]:
    """(earlier, later, score) for the pairs of one block key that the walk compares: every member with
    the earlier members among the key's first BLOCK_CAP (only pairs scoring at the threshold or more)."""
    out = []
    ordered = sorted(members, key=lambda m: m[0])
    for j, (later, pb) in enumerate(ordered):
        if pb.kind is not None:
            continue  # a wording of a type joins its type's provision: it is never scored
        for earlier, pa in ordered[: min(j, BLOCK_CAP)]:
            s = round(scorer.score(pa, pb), 6)  # rounded as the walk rounds it
            if s >= scorer.threshold:  # (a provision of a type asks type_threshold, never less)
                out.append((earlier, later, s))
    return out


def assign(
    label: str,
    items: Sequence[Item],
    catalogue: Catalogue,
    scorer: Scorer,
    scored: Mapping[int, Mapping[int, float]] | None = None,
) -> None:
    """Give every new variant of ``items`` (in walk order) a provision in ``catalogue`` (updated in place).

    ``scored`` maps an item to {earlier item: score} of the pairs already scored (the Dask build, only those
    at the threshold); without it the pairs are scored here as the block keys say.

    A new wording of a type that shares a context with another new wording of the same type key
    (:func:`_colliding`: two of them side by side in one section, one of which is another provision the
    type's pattern also matches) waits until the other wordings of the types have their provisions; then
    the wordings of each such group take the type's provisions by how similar they are to their members
    (:func:`_settle`), so which of the two joins the type's common provision does not depend on the order.
    """
    index = _Index(BLOCK_CAP) if scored is None else None
    typed: dict[str, list[str]] = {}  # kind key -> its provisions, oldest first
    members: dict[str, list[int]] = {}  # provision id -> its first MAX_CHECK items
    contexts: dict[str, set[int]] = {}  # provision id -> the contexts of its variants in this build
    provision_of: dict[int, str] = {}
    keys_of = [block_keys(it.profile, scorer) for it in items] if scored is None else None
    prepared = [scorer.prepared(it.profile) if it.profile.words else None for it in items]
    colliding = _colliding(items)
    pending: list[int] = []
    threshold = scorer.threshold
    typed_threshold = scorer.type_threshold

    def place(i: int, pid: str) -> None:
        provision_of[i] = pid
        contexts.setdefault(pid, set()).update(items[i].contexts)
        group = members.setdefault(pid, [])
        if len(group) < MAX_CHECK and prepared[i] is not None:
            group.append(i)

    for i, item in enumerate(items):
        if index is not None:
            may_partner = index.admit(keys_of[i])  # type: ignore[index]
        p = item.profile
        if item.provision:
            pid = item.provision
            if p.kind is not None and pid not in typed.setdefault(p.kind.key, []):
                typed[p.kind.key].append(pid)
        elif p.kind is not None and i in colliding:
            pending.append(i)
            pid = ""
        elif p.kind is not None:
            pid = next((q for q in typed.get(p.kind.key, ()) if contexts.get(q, set()).isdisjoint(item.contexts)), "")
            if pid:
                _join(catalogue, item.variant, pid, p.kind.reason)
            else:
                pid = _found(catalogue, item, label, p.kind.key)
                typed.setdefault(p.kind.key, []).append(pid)
        else:
            if pending:
                _settle(pending, items, catalogue, label, typed, members, contexts, prepared, place)
                pending = []
            if scored is None:
                mine = prepared[i]
                near = {a: round(scorer.score_prepared(prepared[a], mine, items[a].profile, p), 6)
                        for a in index.query(keys_of[i])}  # type: ignore[union-attr, index]
            else:
                near = dict(scored.get(i, {}))
            pid, weakest, n, fits = _best(near, members, provision_of, threshold, contexts, item.contexts,
                                          typed_threshold, catalogue.provisions)
            if len(fits) > 1:
                catalogue.notes.append((item.variant, tuple(fits)))
            if pid:
                other = items[weakest].variant
                _join(catalogue, item.variant, pid,
                      f"similar to all {n} checked variant(s) of the provision (weakest p={near[weakest]:.2f}, {other})")
            else:
                pid = _found(catalogue, item, label, "")
        if pid:
            place(i, pid)
        if index is not None:
            index.add(i, may_partner)
    if pending:
        _settle(pending, items, catalogue, label, typed, members, contexts, prepared, place)


def _colliding(items: Sequence[Item]) -> set[int]:
    """The new wordings of a type that share a context with another new wording of the same type key."""
    seen: dict[tuple[str, int], list[int]] = {}
    for i, it in enumerate(items):
        if it.provision or it.profile.kind is None:
            continue
        for c in it.contexts:
            seen.setdefault((it.profile.kind.key, c), []).append(i)
    return {i for group in seen.values() if len(group) > 1 for i in group}


def _settle(pending: Sequence[int], items: Sequence[Item], catalogue: Catalogue, label: str,
            typed: dict[str, list[str]], members: Mapping[str, list[int]], contexts: Mapping[str, set[int]],
            prepared: Sequence[Any], place: Any) -> None:
    """Provisions for the wordings of a type that share a section with another of the same type (in walk order
    of their groups): the pairs (wording, provision of the type with none of the wording's contexts) are taken
    most similar first (the weighted cosine with the provision's checked members), one wording per provision
    in a group; a wording left over founds another provision of the type."""
    by_key: dict[str, list[int]] = {}
    for i in pending:
        by_key.setdefault(items[i].profile.kind.key, []).append(i)  # type: ignore[union-attr]
    for key, group in by_key.items():
        left = list(group)
        while left:
            ranked = []
            for i in left:
                for order, pid in enumerate(typed.get(key, ())):
                    if contexts.get(pid, set()).isdisjoint(items[i].contexts):
                        sims = [_cosine(prepared[i], prepared[m]) for m in members.get(pid, ())]
                        ranked.append((-(sum(sims) / len(sims) if sims else 0.0), order, i, pid))
            if not ranked:
                i = left.pop(0)
                pid = _found(catalogue, items[i], label, key)
                typed.setdefault(key, []).append(pid)
                place(i, pid)
                continue
            score, _, i, pid = min(ranked)
            kind = items[i].profile.kind
            _join(catalogue, items[i].variant, pid, f"{kind.reason}; beside another wording of the type, "  # type: ignore[union-attr]
                                                   f"the more similar to the provision (cosine {-score:.2f})")
            place(i, pid)
            left.remove(i)


def _cosine(pa: Any, pb: Any) -> float:
    """The weighted cosine of two prepared profiles' concepts."""
    if pa is None or pb is None:
        return 0.0
    wa, wb = pa.weighted, pb.weighted
    return sum(wa[w] * wb[w] for w in wa.keys() & wb.keys()) / (pa.norm * pb.norm)


def _best(near: Mapping[int, float], members: Mapping[str, list[int]], provision_of: Mapping[int, str],
          threshold: float, contexts: Mapping[str, set[int]], mine: frozenset[int],
          typed_threshold: float | None = None, provisions: Mapping[str, Provision] | None = None
          ) -> tuple[str, int, int, list[str]]:
    """The provision every checked member of which scores at the threshold or more with the item, and none
    of whose variants sits in one of the item's contexts: (its id, its weakest member, the members checked,
    every provision that qualified, best first). A provision of a type (``provisions[pid].kind``) asks
    ``typed_threshold`` (when given) instead: a wording of no type joins a standard provision only when
    it is very like its wordings."""
    best: tuple[float, str] | None = None
    weakest_of: dict[str, tuple[int, int]] = {}
    low = threshold if typed_threshold is None else min(threshold, typed_threshold)
    for a, s in near.items():
        if s < low or a not in provision_of:
            continue
        pid = provision_of[a]
        if pid in weakest_of or not contexts.get(pid, set()).isdisjoint(mine):
            continue
        bar = threshold
        if typed_threshold is not None and provisions is not None and pid in provisions and provisions[pid].kind:
            bar = typed_threshold
        group = members.get(pid, [])
        scores = [near.get(m, 0.0) for m in group]
        if not scores or min(scores) < bar:
            continue
        low = min(range(len(group)), key=lambda k: (scores[k], group[k]))
        weakest_of[pid] = (group[low], len(group))
        candidate = (-scores[low], pid)
        if best is None or candidate < best:
            best = candidate
    if best is None:
        return "", -1, 0, []
    weakest, n = weakest_of[best[1]]
    fits = sorted(weakest_of, key=lambda pid: (-near[weakest_of[pid][0]], pid))
    return best[1], weakest, n, fits


def _found(catalogue: Catalogue, item: Item, label: str, kind: str) -> str:
    pid = item.variant
    catalogue.provisions[pid] = Provision(pid, label, kind)
    _join(catalogue, item.variant, pid, "founded")
    return pid


def _join(catalogue: Catalogue, variant: str, pid: str, reason: str) -> None:
    catalogue.variants[variant] = dataclasses.replace(catalogue.variants[variant], provision=pid, reason=reason)


def items_of(label: str, catalogue: Catalogue, new: Mapping[str, int], profile_of: Any,
             contexts: Mapping[str, frozenset[int]] | None = None) -> list[Item]:
    """The walk of ``label``: every variant of the catalogue with its provision, then the ``new`` variant ids
    (id -> weight) without one; ``contexts``: variant id -> the contexts of its clauses in this build."""
    out = []
    for vid, v in catalogue.variants.items():
        if v.label != label:
            continue
        out.append(Item(vid, profile_of(v.text, label), new.get(vid, 0), "" if vid in new else v.provision,
                        (contexts or {}).get(vid, frozenset())))
    return walk_order(out)


def drift(catalogue: Catalogue, fresh: Catalogue) -> list[tuple[str, str, str]]:
    """(variant id, its provision, the provision a fresh build would give it) for every variant whose
    grouping a fresh build would change: reported to people, never applied (ids are stable)."""
    old_groups = _groups(catalogue)
    new_groups = _groups(fresh)
    out = []
    for vid, v in sorted(catalogue.variants.items()):
        if vid not in fresh.variants:
            continue
        mine = {m for m in old_groups[v.provision] if m in fresh.variants}
        theirs = {m for m in new_groups[fresh.variants[vid].provision] if m in catalogue.variants}
        if mine != theirs:
            out.append((vid, v.provision, fresh.variants[vid].provision))
    return out


def _groups(catalogue: Catalogue) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for vid, v in catalogue.variants.items():
        out.setdefault(v.provision, set()).add(vid)
    return out
