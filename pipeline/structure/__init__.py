"""The structure stage: locate instructions, then sections and clauses (``structure(document)``)."""

from .segment import structure

__all__ = ["structure"]
