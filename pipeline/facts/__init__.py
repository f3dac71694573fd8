"""Structured facts of one instruction (``pipeline.records.Facts``), found by rules: education, experience, roles, approval.

- education level(s) and field, years of experience: yargy grammars (``grammars()``: EDUCATION,
  EDUCATION_AFTER, LEVEL, EXPERIENCE, NO_EXPERIENCE) over the instruction's clauses. yargy is used where
  morphology does the work (`высшим профессиональным`, `двух лет`, `полутора лет`); it brings pymorphy2,
  which breaks on Python 3.11 unless ``yargy`` itself is imported first (its ``morph`` module patches
  pymorphy2), so this module imports yargy before anything else and only inside ``grammars()``;
- who the position reports to, who substitutes, who appoints: the regular expressions below find the
  phrase, :func:`nominative` (pymorphy3, ``pipeline.lemmas``) turns its head into the nominative case;
- who approved the document and when: the УТВЕРЖДАЮ block before the instruction (or just after its title);
- for which organisation and who signs it (``parties``): rules on the block and the letterhead, natasha's NER
  (``nlp.NATASHA``, loaded on first use) on those few lines where the rules find nothing, or to put an inflected
  name into the nominative. ``ner=None`` runs the rules alone.

>>> nominative("коммерческому директору компании", "datv")
'коммерческий директор'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..records import Clause, Facts, Instruction
from .approval import APPROVAL_AFTER, approval
from .grammars import education, experience, parser
from .nlp import NATASHA, Natasha
from .parties import parties
from .roles import ROLE_VERBS, appointed_by, nominative, reports_to, substitute

__all__ = ["NATASHA", "Facts", "Natasha", "appointed_by", "approval", "education", "experience", "extract_all",
           "extract_facts", "nominative", "parser", "parties", "reports_to", "substitute"]

#: Clauses longer than this (characters) are not searched for facts: no real clause comes near it (a long one
#: is a few hundred), while yargy spends half a minute and more on a 1 MB one (a file that lost its line breaks).
MAX_FACT_CLAUSE_CHARS = 5_000


def extract_facts(instruction: Instruction, clauses: Sequence[Clause], document_text: str,
                  not_before: int = 0, ner: Natasha | None = NATASHA) -> Facts:
    """The facts of one instruction from its clauses (and, for the approval block and the letterhead, the
    document text); ``ner=None``: without natasha."""
    own = [c for c in clauses if c.instruction == instruction.index and c.source == instruction.source] or \
        list(clauses)
    texts = [re.sub(r"\s+", " ", c.text) for c in own if len(c.text) <= MAX_FACT_CLAUSE_CHARS]
    levels, field, education_evidence = education(texts)
    years, experience_evidence = experience(texts)
    evidence: list[tuple[str, str]] = [("education", t) for t in education_evidence]
    evidence += [("experience_years", t) for t in experience_evidence if ("education", t) not in evidence]
    roles: dict[str, Any] = {"reports_to": (), "substitute": "", "appointed_by": ""}
    for text in texts:
        if not ROLE_VERBS.search(text):
            continue  # one search instead of the four patterns, on the nine clauses in ten that name no role
        for name, rule in (("reports_to", reports_to), ("substitute", substitute), ("appointed_by", appointed_by)):
            if not roles[name]:
                value = rule(text)
                if value:
                    roles[name] = value
                    evidence.append((name, text))
    approver, date, block = approval(document_text, instruction, not_before)
    if block:
        evidence.append(("approval", block))
    signed = parties(document_text, instruction, texts[:8], not_before, ner)
    evidence += list(signed.evidence)
    return Facts(source=instruction.source, instruction=instruction.index, position=instruction.position,
                 education=levels, education_field=field, experience_years=years, approved_by=approver,
                 approved_on=date, organisation=signed.organisation, approver=signed.approver,
                 evidence=tuple(evidence), **roles)


def extract_all(instructions: Sequence[Instruction], clauses: Sequence[Clause], document_text: str,
                ner: Natasha | None = NATASHA) -> list[Facts]:
    """The facts of every instruction of one document, in document order.

    An approval block belongs to the next instruction, unless it stands right after an instruction's title.
    """
    out, not_before = [], 0
    for instruction in sorted(instructions, key=lambda i: i.start):
        out.append(extract_facts(instruction, clauses, document_text, not_before, ner))
        not_before = instruction.start + APPROVAL_AFTER
    return out


