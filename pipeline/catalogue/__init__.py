"""The canonical clause catalogue: provisions over variants over clauses, statistics and the DuckDB store.

One module per job:

- ``state``: what a catalogue holds (provisions, variants, lemma keys) and its ids;
- ``variants``: whether two wordings are one variant (near-duplicates), by ordered rules with a reason;
- ``candidates``: MinHash band keys, which wordings are compared at all;
- ``slots``: the parameters of a clause (superior, organisation, country, dates, boilerplate tails);
- ``patterns``: the lemma pattern language of the vocabularies;
- ``kinds``: the standard provision types (appointment, subordination, liability grounds, rights, ...);
- ``similarity``: how likely two wordings of no type are one provision (the pair model pack);
- ``provisions``: variants into provisions (complete linkage, a reason for each merge, drift reports);
- ``build``: all of it for a batch of clauses against an existing catalogue (``build(clauses, positions,
  existing)`` assigns ``canonical_id``, the provision);
- ``stats``: clause tables into catalogue tables; ``store.Store`` keeps everything in a DuckDB file.
"""

from .build import build
from .state import Catalogue, Provision, Variant
from .variants import Verdict, explain, verify

__all__ = ["Catalogue", "Provision", "Variant", "Verdict", "build", "explain", "verify"]
