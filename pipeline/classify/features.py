"""Features of a clause for the model: what the text, its lead-in and its section say.

A clause becomes a set of named binary features (a dict for the vectorizer), so that the model's decisions can
be explained by name in ``reason``. Two families, because the model reads a section in two passes
(``model.py``):

``own_features`` — the clause's own words and its lead-in, the first pass that votes on a section's type:

- ``w=`` lemma unigrams and ``b=`` bigrams of the clause (``first=`` its first lemma);
- ``cue=`` the cue phrases of ``cues.txt`` found in the clause (``cuegroup=`` their group);
- ``lead=`` the label a lead-in's cue passes to its items, ``L=`` the lead-in's lemmas;
- ``shape=`` the grammatical shape (3rd, 2nd or 1st-plural person verb, imperative, infinitive, predicative,
  ``за`` + noun, noun phrase) with ``case=`` / ``case0=`` for noun phrases, ``head=`` the deciding word, for a
  verb its ``subject=`` (first word) and whether it is reflexive; ``gloss`` for «ТСД — терминал …» lines,
  ``dash`` for «Опоздание — штраф» lines;
- ``rule=`` / ``rule_label=`` the rule classifier's decision on the words alone (the prior the model may overrule).

``section_features`` — where the clause stands, the second pass:

- ``sec=`` the structure stage's section type (``sec=none`` without one), ``secx=`` the type the classifier
  settles on (``sections.effective_type``: the structure's, the heading's words, or the section's content)
  and ``how=`` which of the three it was;
- ``T=`` the heading's lemmas, ``tcue=`` the label its words announce, ``vote=`` what the section's other
  clauses say by their own words (``+`` for a strong majority);
- ``srule=`` / ``srule_label=`` the rule classifier's decision given the settled section type, and
  ``shape×sec=`` / ``shape×lead=`` crossings, because an infinitive means one thing under rights and another
  under «должен уметь» or «нельзя».
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from pipeline.classify import cues, rules, sections
from pipeline.classify.analysis import analyse, lead_tail


class Item(NamedTuple):
    """A clause as the model sees it. ``section`` names its run of clauses under one heading (``sections.runs``);
    it is not itself a feature."""

    text: str
    section_type: str = ""
    lead_in: str = ""
    section_title: str = ""
    section: str = ""

    @property
    def list_name(self) -> str:
        """The clauses that vote on each other: one list of a section (the same heading and the same lead-in:
        «должен знать:» items and the section's other provisions are different lists) whose heading the structure
        stage did not type; under a known heading there is no vote (nor its cost)."""
        return f"{self.section}|{self.lead_in}" if self.section and self.section_type not in sections.KNOWN else ""


@dataclass(frozen=True)
class Settings:
    """Which feature families are on (stored in the pack's meta.json)."""

    bigrams: bool = True
    cues: bool = True
    section: bool = True
    lead_in: bool = True
    shape: bool = True
    rules: bool = True
    title: bool = True
    votes: bool = True


#: «ТСД — терминал сбора данных», «Стоп-лист: блюда, которых нет»: a term and its meaning.
_GLOSS = re.compile(r"^\s*[«\"]?[A-ZА-ЯЁ][A-ZА-ЯЁa-zа-яё0-9-]{0,14}(?:\s[A-ZА-ЯЁ]{2,6})?[»\"]?\s+[—–-]\s+\S")
_DASH = re.compile(r"\s[—–]\s|\s-\s|\s\|\s")


@lru_cache(maxsize=10_000)  # every item under one lead-in asks again
def lead_label(lead_in: str) -> str:
    """The label a lead-in's cue passes to its items, or ``none``."""
    if not lead_in:
        return "none"
    lemmas = analyse(lead_tail(lead_in)).lemmas
    for label in ("requirement", "other", "liability", "right", "duty"):
        if cues.find(f"lead.{label}", lemmas) is not None:
            return label
    return "none"


@lru_cache(maxsize=200_000)
def own_features(text: str, lead_in: str, settings: Settings = Settings()) -> dict[str, float]:
    """The features of a clause's own words and its lead-in (cached: clauses repeat across documents)."""
    own = analyse(text)
    out: dict[str, float] = {"bias": 1.0}
    lem = own.lemmas
    for word in lem:
        out["w=" + word] = 1.0
    if lem:
        out["first=" + lem[0]] = 1.0
    if settings.bigrams:
        for a, b in zip(lem, lem[1:], strict=False):
            out[f"b={a}_{b}"] = 1.0
    if settings.cues:
        for cue in cues.find_all(lem, prefix="own.") + cues.find_all(lem, prefix="np."):
            out[f"cue={cue.group}:{cue.text}"] = 1.0
            out[f"cuegroup={cue.group}"] = 1.0
    lead = lead_label(lead_in)
    if settings.lead_in:
        out["lead=" + lead] = 1.0
        for word in analyse(lead_tail(lead_in)).lemmas if lead_in else ():
            out["L=" + word] = 1.0
    if settings.shape:
        out["shape=" + own.shape] = 1.0
        out["head=" + own.head] = 1.0
        if own.shape == "np":
            out["case=" + (own.case or "none")] = 1.0
            out["case0=" + (own.first_case or "none")] = 1.0
        out[f"shape×lead={own.shape}|{lead}"] = 1.0
        if own.shape == "verb3":
            # "Рабочее место оборудуется", "Условия работы определяются": a reflexive verb with a
            # subject that is not the employee describes the setting rather than a task
            if own.head.endswith(("ся", "сь")):
                out["verb_reflexive"] = 1.0
            if own.head_index > 0:
                out["subject=" + lem[0]] = 1.0
        if ":" in text.rstrip(" .;:"):
            out["inner_colon"] = 1.0
        if text.rstrip().endswith(";"):
            out["end=;"] = 1.0
        if text[:1].islower():
            out["lower"] = 1.0
        if _GLOSS.match(text):
            out["gloss"] = 1.0
        elif _DASH.search(text):
            out["dash"] = 1.0
    if settings.rules:
        decision = rules.decide(text, "", lead_in)
        out["rule=" + decision.rule] = 1.0
        out["rule_label=" + decision.label] = 1.0
    return out


def section_features(item: Item, vote: str, settings: Settings = Settings()) -> dict[str, float]:
    """The features of where a clause stands: its section (as typed, as settled), heading words and votes."""
    text, section_type, lead_in, title, _ = item
    out: dict[str, float] = {}
    settled, how = sections.effective_type(section_type, title if settings.title else "",
                                           vote if settings.votes else "")
    if settings.section:
        out["sec=" + (section_type or "none")] = 1.0
        out["secx=" + (settled or "none")] = 1.0
        out["how=" + how] = 1.0
    if settings.title and title:
        for word in analyse(title).lemmas:
            out["T=" + word] = 1.0
        out["tcue=" + (sections.title_label(title) or "none")] = 1.0
    if settings.votes and vote:
        out["vote=" + vote.rstrip("+")] = 1.0
        if vote.endswith("+"):
            out["vote+=" + vote[:-1]] = 1.0
    if settings.shape:
        shape = analyse(text).shape
        out[f"shape×sec={shape}|{settled or 'none'}"] = 1.0
    if settings.rules:
        decision = rules.decide(text, settled, lead_in)
        out["srule=" + decision.rule] = 1.0
        out["srule_label=" + decision.label] = 1.0
    return out


#: How ``reason`` names each kind of feature.
_DESCRIPTIONS = {
    "w": "слово «{}»", "b": "биграмма «{}»", "first": "начало «{}»", "cue": "cue {}", "cuegroup": "cue group {}",
    "sec": "section {}", "secx": "section settled as {}", "how": "section type from {}", "T": "heading word «{}»",
    "tcue": "heading says {}", "vote": "section's clauses say {}", "vote+": "section's clauses clearly say {}",
    "lead": "lead-in {}", "L": "lead-in word «{}»", "shape": "shape {}", "head": "head «{}»", "case": "case {}",
    "case0": "first word case {}", "rule": "rule {}", "rule_label": "rules say {}", "srule": "rule in section {}",
    "srule_label": "rules in section say {}", "shape×sec": "shape|section {}", "shape×lead": "shape|lead-in {}",
}


@lru_cache(maxsize=50_000)
def describe(name: str) -> str:
    """A feature name as a person reads it in ``reason``."""
    kind, _, value = name.partition("=")
    template = _DESCRIPTIONS.get(kind)
    if template is None:
        return name
    return template.format(value.replace("_", " ") if kind == "b" else value)


def items_of(clauses: Sequence) -> list[Item]:
    """Records (``pipeline.records.Clause``) as model items, each with its section's name."""
    names = sections.runs(clauses)
    return [Item(c.text, c.section_type or "", c.lead_in or "", c.section_title or "", name)
            for c, name in zip(clauses, names, strict=True)]
