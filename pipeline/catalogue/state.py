"""What a catalogue holds: provisions (canonical clauses), their variants, and the lemma keys of the variants.

Two levels (issue 16):

- a **variant** is one wording: the lemma keys (``pipeline.normalise``) that :mod:`.variants` finds to be
  near-duplicates (word order, forms, a qualifier); it has an *anchor* key and a readable text;
- a **provision** is one canonical clause: the variants that say the same thing whatever the position,
  organisation, superior or country (:mod:`.provisions`); a clause's ``canonical_id`` is its provision's id.

Ids are short hashes of the label and the anchor key, so a rebuild from scratch gives the same ids; a
provision takes the id of the variant that founded it. Ids, once given, never change: a later build only
adds keys, variants and provisions (:func:`pipeline.catalogue.build.build`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Variant:
    """One wording: its id, label, anchor key, a readable text of the anchor, and its provision.

    ``reason`` says why the variant belongs to its provision (the type that matched, or the scores of
    the pairs that merged it; ``founded`` for the variant a provision was built from).
    """

    id: str
    label: str
    anchor: str
    provision: str = ""
    text: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Provision:
    """One canonical clause: its id (that of its founding variant), label and provision type (``""``: none)."""

    id: str
    label: str
    kind: str = ""


@dataclass
class Catalogue:
    """Provisions, variants and the lemma keys assigned to variants; grows with every build."""

    variants: dict[str, Variant] = field(default_factory=dict)
    keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (label, key) -> variant id
    provisions: dict[str, Provision] = field(default_factory=dict)
    #: What the last build noted for people (not stored): (variant id, the provisions it fitted, the one it
    #: joined first) for each new wording similar enough to several provisions, which a fresh clustering
    #: might merge.
    notes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list, compare=False)

    def copy(self) -> Catalogue:
        """A copy to grow (its notes start empty: they are about one build)."""
        return Catalogue(dict(self.variants), dict(self.keys), dict(self.provisions))

    def __len__(self) -> int:
        """The number of provisions (canonical clauses)."""
        return len(self.provisions)

    def provision_of_key(self, label: str, key: str) -> str:
        """The provision id of a lemma key of ``label`` (KeyError when the key is not catalogued)."""
        return self.variants[self.keys[(label, key)]].provision

    def members(self) -> dict[str, list[str]]:
        """Provision id -> its variant ids, in id order."""
        out: dict[str, list[str]] = {}
        for vid in sorted(self.variants):
            out.setdefault(self.variants[vid].provision, []).append(vid)
        return out


def canonical_id(label: str, anchor: str, taken: Mapping[str, Any]) -> str:
    """A short id from the label and the anchor key, so a rebuild from scratch gives the same ids."""
    digest = hashlib.blake2b(f"{label}\x00{anchor}".encode(), digest_size=5).hexdigest()
    base = f"{(label or 'none')[:3]}-{digest}"
    cid, n = base, 1
    while cid in taken:
        n += 1
        cid = f"{base}-{n}"
    return cid
