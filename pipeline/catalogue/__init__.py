"""The canonical clause catalogue: deduplication, statistics and the DuckDB store.

``build(clauses, positions, existing)`` assigns ``canonical_id`` to clauses (see ``dedup``);
``stats`` turns clause tables into catalogue tables; ``store.Store`` keeps everything in a DuckDB file.
"""

from .dedup import Canonical, Catalogue, Verdict, build, explain, verify

__all__ = ["Canonical", "Catalogue", "Verdict", "build", "explain", "verify"]
