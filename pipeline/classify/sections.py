"""A section's type from its content, where its heading says nothing the structure stage knows.

The structure stage types a section by its heading (``pipeline/data/section_titles.tsv``); a heading it does
not know («Твой день», «Наши ценности», «За что ты можешь быть уволен?») comes out as ``other`` or empty.
The classifier then looks at what the section holds, in this order:

1. a type the structure stage gave (``duties``, ``rights``, … — anything but ``other`` and empty) stands;
2. the heading's own words (``title.*`` cues of ``pipeline/data/cues.txt``: «штраф» is liability, «можешь»
   rights, «ценности» duties);
3. the votes of the other clauses of its list (the same heading and the same lead-in): what each of them is by
   its own words and lead-in (the model's first pass, or the rules' own-word decisions), averaged; a clear
   majority types the section.

The section is a run of consecutive clauses of one instruction under one heading (``runs``), so nothing
of one section — its votes included — reaches past the next heading, known or not.

>>> title_label("За что ты можешь быть уволен?"), title_label("Наши ценности"), title_label("Мой кот")
('liability', 'duty', '')
>>> effective_type("other", "Наши ценности", ""), effective_type("rights", "Наши ценности", "duty")
(('duties', 'title'), ('rights', 'heading'))
>>> effective_type("other", "Как у нас принято", "liability+")
('liability', 'content')
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pipeline.classify import cues
from pipeline.classify.analysis import analyse

#: Section types of the structure stage that say what their clauses are; ``other`` and "" do not (a heading
#: the vocabulary does not know comes out as ``other``).
KNOWN = frozenset({"general", "duties", "rights", "liability", "requirements", "knowledge", "conditions",
                   "relations"})

#: The section type a label stands for when a section's content or heading decides.
TYPE_OF_LABEL = {"duty": "duties", "right": "rights", "liability": "liability", "requirement": "requirements",
                 "other": "other"}

#: A vote is strong (``+``) when the mean probability of its label over the section's other clauses reaches this.
STRONG = 0.6

#: The order ``title.*`` cue groups are consulted in.
_TITLE_GROUPS = ("liability", "right", "requirement", "other", "duty")


@lru_cache(maxsize=10_000)
def title_label(title: str) -> str:
    """The label a heading's words announce (first ``title.*`` group that matches), or ""."""
    if not title:
        return ""
    lemmas = analyse(title).lemmas
    for label in _TITLE_GROUPS:
        if cues.find(f"title.{label}", lemmas) is not None:
            return label
    return ""


def effective_type(section_type: str, title: str, vote: str) -> tuple[str, str]:
    """(section type, how it was found: heading / title / content / none) for a clause.

    ``vote`` is what the section's other clauses say (``duty``, or ``duty+`` for a strong majority, or "")."""
    if section_type in KNOWN:
        return section_type, "heading"
    label = title_label(title)
    if label:
        return TYPE_OF_LABEL[label], "title"
    if vote.endswith("+"):
        return TYPE_OF_LABEL[vote[:-1]], "content"
    return section_type or "", "none"


def runs(clauses: Sequence) -> list[str]:
    """A name for the section of each clause: consecutive clauses of one source and instruction under one
    heading share it («7:3» is the third heading of instruction 7 of this batch)."""
    out: list[str] = []
    previous, run = None, 0
    for clause in clauses:
        key = (clause.source, clause.instruction, clause.section_number, clause.section_title, clause.section_type)
        if key != previous:
            run += 1
            previous = key
        out.append(f"{clause.instruction}:{run}" if (clause.section_title or clause.section_type) else "")
    return out


def votes(labels: Sequence[str], scores: Sequence[Sequence[float]], sections: Sequence[str]) -> list[str]:
    """For each clause, what the *other* clauses of its section say: the label of the highest mean score
    (``+`` when the mean reaches ``STRONG``), "" for a clause alone in its section or without one.

    ``scores[i]`` are clause i's probabilities over ``labels`` by its own words and lead-in alone.

    >>> votes(["duty", "right"], [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], ["a", "a", "a"])
    ['duty', 'duty+', 'duty+']
    """
    members: dict[str, list[int]] = {}
    for i, section in enumerate(sections):
        if section:
            members.setdefault(section, []).append(i)
    width = len(labels)
    totals = {s: [sum(scores[i][k] for i in rows) for k in range(width)] for s, rows in members.items()}
    out = []
    for i, section in enumerate(sections):
        rows = members.get(section, ())
        if len(rows) < 2:
            out.append("")
            continue
        mean = [(totals[section][k] - scores[i][k]) / (len(rows) - 1) for k in range(width)]
        best = max(range(width), key=mean.__getitem__)
        out.append(labels[best] + ("+" if mean[best] >= STRONG else ""))
    return out
