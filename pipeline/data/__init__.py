"""Vocabularies of every stage: commented text files, each entry with the example that motivated it."""

from __future__ import annotations

from importlib import resources


def entries(name: str) -> tuple[str, ...]:
    """The entries of a vocabulary file in order: what stands before ``#`` on each line, blank lines dropped."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return tuple(entry for entry in (line.split("#", 1)[0].strip() for line in text.splitlines()) if entry)
