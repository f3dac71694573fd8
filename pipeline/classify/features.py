"""Features of a clause for the model: what the text, its lead-in and its section say.

A clause becomes a set of named binary features (a dict for ``DictVectorizer``), so that the
model's decisions can be explained by name in ``reason``:

- ``w=`` lemma unigrams and ``b=`` bigrams of the clause (``first=`` its first lemma);
- ``cue=`` the cue phrases of ``cues.txt`` found in the clause, ``lcue=`` those found in the lead-in;
- ``sec=`` the section type (``sec=none`` without one); ``L=`` the lead-in's lemmas;
- ``shape=`` the grammatical shape (finite verb in the 3rd person, infinitive, ``за`` + noun,
  noun phrase) with ``case=`` / ``case0=`` for noun phrases, ``head=`` the deciding word, and for
  a verb its ``subject=`` (first word) and whether it is reflexive;
- ``rule=`` / ``rule_label=`` the rule classifier's decision (the prior the model may overrule),
  and ``shape×sec=`` / ``shape×lead=`` crossings, because an infinitive means one thing under
  rights and another under ``должен уметь``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.classify import cues, rules
from pipeline.classify.analysis import analyse

#: A clause as the model sees it: (text, section type, lead-in).
Item = tuple[str, str, str]


@dataclass(frozen=True)
class Settings:
    """Which feature families are on (stored in the pack's meta.json)."""

    bigrams: bool = True
    cues: bool = True
    section: bool = True
    lead_in: bool = True
    shape: bool = True
    rules: bool = True


@lru_cache(maxsize=10_000)
def lead_label(lead_in: str) -> str:  # cached: every item under one lead-in asks again
    """The label a lead-in's cue passes to its items, or ``none``."""
    if not lead_in:
        return "none"
    lemmas = analyse(lead_in).lemmas
    for label in ("requirement", "other", "liability", "right", "duty"):
        if cues.find(f"lead.{label}", lemmas) is not None:
            return label
    return "none"


def featurize(item: Item, settings: Settings = Settings()) -> dict[str, float]:
    text, section_type, lead_in = item
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
    section = section_type or "none"
    if settings.section:
        out["sec=" + section] = 1.0
    lead = lead_label(lead_in)
    if settings.lead_in:
        out["lead=" + lead] = 1.0
        for word in analyse(lead_in).lemmas if lead_in else ():
            out["L=" + word] = 1.0
    if settings.shape:
        out["shape=" + own.shape] = 1.0
        out["head=" + own.head] = 1.0
        if own.shape == "np":
            out["case=" + (own.case or "none")] = 1.0
            out["case0=" + (own.first_case or "none")] = 1.0
        out[f"shape×sec={own.shape}|{section}"] = 1.0
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
    if settings.rules:
        decision = rules.decide(text, section_type, lead_in)
        out["rule=" + decision.rule] = 1.0
        out["rule_label=" + decision.label] = 1.0
    return out


def featurize_all(items: Iterable[Item], settings: Settings = Settings()) -> list[dict[str, float]]:
    return [featurize(item, settings) for item in items]


def describe(name: str) -> str:
    """A feature name as a person reads it in ``reason``."""
    kind, _, value = name.partition("=")
    return {
        "w": f"слово «{value}»", "b": f"биграмма «{value.replace('_', ' ')}»", "first": f"начало «{value}»",
        "cue": f"cue {value}", "cuegroup": f"cue group {value}", "sec": f"section {value}",
        "lead": f"lead-in {value}", "L": f"lead-in word «{value}»", "shape": f"shape {value}",
        "head": f"head «{value}»", "case": f"case {value}", "case0": f"first word case {value}",
        "rule": f"rule {value}", "rule_label": f"rules say {value}",
        "shape×sec": f"shape|section {value}", "shape×lead": f"shape|lead-in {value}",
    }.get(kind, name)


def items_of(clauses: Sequence) -> list[Item]:
    """Records (``pipeline.records.Clause``) as model items."""
    return [(c.text, c.section_type or "", c.lead_in or "") for c in clauses]
