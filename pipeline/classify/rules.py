"""The rule classifier: an ordered list of small named rules, first match wins.

The order follows LABELS.md: the clause's own words first (a strong cue, then the grammatical
shape), then the lead-in the item hangs under, then the section type, then weak cues of a bare
noun phrase. Each rule returns a ``Decision`` whose confidence reflects how strong that kind of
evidence is; the model (``model.py``) uses the same decision as its prior.

>>> decide("Несет ответственность за сохранность документов.", "duties").label
'liability'
>>> decide("законодательные акты РФ;", lead_in="Бухгалтер руководствуется:").label
'other'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.classify import cues
from pipeline.classify.analysis import Analysis, analyse, is_predicate, lead_tail
from pipeline.records import Clause
from pipeline.text import parse

#: What each section type says about its clauses when their own words are neutral.
SECTION_PRIOR = {
    "duties": "duty",
    "rights": "right",
    "liability": "liability",
    "requirements": "requirement",
    "knowledge": "requirement",
    "general": "other",
    "conditions": "other",
    "relations": "other",
    "other": "other",
}

#: Sections whose clauses are ``other`` even when they read like a duty
#: ("Получает от бухгалтерии сведения ..." under relations with other departments).
_NON_DUTY_SECTIONS = frozenset({"relations", "conditions"})

#: The lead-in groups of cues.txt, in the order they are consulted ("обязан знать:" is knowledge).
_LEAD_GROUPS = ("requirement", "other", "liability", "right", "duty")

#: Shapes whose head is a verb of the clause itself: a cue after it belongs to its object.
_VERB_SHAPES = ("verb3", "inf", "impr", "verb2", "verb1p")

#: Endings of nominalised actions (``Ведение``, ``Составление``, ``Подготовка``): a task, not a topic.
_TASK_ENDINGS = ("ние", "тие", "ка")


@dataclass(frozen=True)
class Context:
    text: str
    section_type: str
    lead_in: str
    own: Analysis
    lead: Analysis


@dataclass(frozen=True)
class Decision:
    label: str
    confidence: float
    rule: str
    cue: str = ""
    stage: str = ""  # own words, lead-in, section, noun phrase, default
    trace: tuple[str, ...] = ()


Rule = Callable[[Context], "Decision | None"]


def _cue_rule(group: str, label: str, confidence: float, stage: str = "own words", anywhere: bool = False) -> Rule:
    """A rule firing on a cue of ``group``.

    Unless ``anywhere``, a cue standing after the clause's finite verb or leading infinitive belongs to that
    verb's object (``Ведет учет стажа работы``, ``Обеспечивает информацией лиц, имеющих право ...``,
    ``Требовать отстранения лиц, не прошедших инструктаж``): the verb
    decides, so such a cue must start no later than the verb, or be a predicate itself
    (``назначается и освобождается от должности``).
    """

    def rule(ctx: Context) -> Decision | None:
        allowed = None
        if ctx.own.shape in _VERB_SHAPES and not anywhere:
            # "может" carries its infinitive: "может выезжать в служебные командировки"; a sanction in the
            # object of a permission is not one the employee bears ("Можешь оспорить штраф"), unless the
            # permission is passive ("может быть уволен")
            reach = 5 if ctx.own.head == "мочь" else 0
            if reach and label == "liability" and "быть" not in ctx.own.lemmas[ctx.own.head_index:][:3]:
                reach = 1

            def allowed(at: int) -> bool:
                return at <= ctx.own.head_index + reach or is_predicate(ctx.own.words[at])
        found = cues.find_at(group, ctx.own.lemmas, allowed)
        if found is None:
            return None
        return Decision(label, confidence, "", found[0].text, stage)

    return rule


own_procedure = _cue_rule("own.procedure", "other", 0.93, anywhere=True)
own_liability = _cue_rule("own.liability", "liability", 0.96)
own_condition = _cue_rule("own.condition", "other", 0.92)
own_requirement = _cue_rule("own.requirement", "requirement", 0.93)
own_party = _cue_rule("own.party", "other", 0.85, anywhere=True)
own_right = _cue_rule("own.right", "right", 0.95)
own_other = _cue_rule("own.other", "other", 0.93)
own_duty = _cue_rule("own.duty", "duty", 0.9)


def za_noun(ctx: Context) -> Decision | None:
    """``За нарушение правил ...``: what the employee answers for; ``За работу с вредными веществами выдается
    молоко`` is what the employee is given, a working condition."""
    if ctx.own.shape == "za" and cues.find_at("own.condition", ctx.own.lemmas, None) is None:
        return Decision("liability", 0.93, "", f"за {ctx.own.head}", "own words")
    return None


def may_do(ctx: Context) -> Decision | None:
    """``Может вносить предложения``: a permission (business trips were caught before)."""
    lem = ctx.own.lemmas
    if "мочь" in lem[:_window(ctx)] and ctx.own.shape in ("verb3", "inf", "verb2"):
        return Decision("right", 0.85, "", "мочь + инфинитив", "own words")
    return None


def _window(ctx: Context) -> int:
    return max(ctx.own.head_index + 2, 3)


def verb_in_relations(ctx: Context) -> Decision | None:
    """A finite verb under relations or working conditions describes the setting, not a task."""
    if ctx.own.shape == "verb3" and ctx.section_type in _NON_DUTY_SECTIONS and _bare_lead_in(ctx):
        return Decision("other", 0.75, "", f"{ctx.own.head} (section {ctx.section_type})", "section")
    return None


def _bare_lead_in(ctx: Context) -> bool:
    """No lead-in, or one that only names the position («Тьютор:»), so it says nothing of the items below."""
    if not ctx.lead_in:
        return True
    return ctx.lead.shape == "np" and len(ctx.lead.lemmas) <= 4 and parse(ctx.lead.head).tag.POS == "NOUN"


def finite_verb(ctx: Context) -> Decision | None:
    """``Ведет клиентскую базу``: a 3rd-person present verb is what the employee does."""
    if ctx.own.shape == "verb3":
        return Decision("duty", 0.9, "", ctx.own.head, "own words")
    return None


def addresses_reader(ctx: Context) -> Decision | None:
    """``Протри витрину``, ``Ты встречаешь гостя``: an instruction to the reader is a task."""
    if ctx.own.shape in ("impr", "verb2") and _bare_lead_in(ctx):
        return Decision("duty", 0.85, "", ctx.own.head, "own words")
    return None


def lead_in_cue(ctx: Context) -> Decision | None:
    """The lead-in's meaning passes to its items (``Менеджер имеет право:``); an infinitive under «руководствуется»
    is a rule of conduct to follow (``Сотрудник руководствуется правилами: не оставлять кассу …``), not a document."""
    if not ctx.lead.lemmas:
        return None
    for label in _LEAD_GROUPS:
        cue = cues.find(f"lead.{label}", ctx.lead.lemmas)
        if cue is not None:
            if label == "other" and cue.lemmas[0] == "руководствоваться" and ctx.own.shape == "inf":
                return Decision("duty", 0.8, "", cue.text + " + инфинитив", "lead-in")
            return Decision(label, 0.9, "", cue.text, "lead-in")
    return None


def instrumental_list(ctx: Context) -> Decision | None:
    """``законодательными актами РФ;``: an instrumental noun phrase is what one is guided by."""
    if ctx.own.shape == "np" and ctx.own.case == "ablt" and ctx.own.first_case == "ablt":
        return Decision("other", 0.75, "", f"{ctx.own.head} (творительный падеж)", "noun phrase")
    return None


np_liability = _cue_rule("np.liability", "liability", 0.8, "noun phrase")


def section_prior(ctx: Context) -> Decision | None:
    label = SECTION_PRIOR.get(ctx.section_type)
    if label is None:
        return None
    confidence = 0.8 if label != "other" else 0.7
    return Decision(label, confidence, "", f"section {ctx.section_type}", "section")


def infinitive(ctx: Context) -> Decision | None:
    """``Запрашивать документы ...`` with nothing around it: the typical shape of a right."""
    if ctx.own.shape == "inf":
        return Decision("right", 0.7, "", ctx.own.head, "own words")
    return None


np_requirement = _cue_rule("np.requirement", "requirement", 0.7, "noun phrase")
np_duty = _cue_rule("np.duty", "duty", 0.7, "noun phrase")


def accusative_topic(ctx: Context) -> Decision | None:
    """``Организацию производства``: an accusative-only noun phrase is the object of *знать*."""
    if ctx.own.shape == "np" and ctx.own.case == "accs":
        return Decision("requirement", 0.65, "", f"{ctx.own.head} (винительный падеж)", "noun phrase")
    return None


def nominalised_task(ctx: Context) -> Decision | None:
    """``Составление отчетов``: a verbal noun names a task."""
    if ctx.own.shape == "np" and ctx.own.head.endswith(_TASK_ENDINGS) and ctx.own.head_index == 0:
        return Decision("duty", 0.6, "", ctx.own.head, "noun phrase")
    return None


def bare_noun_phrase(ctx: Context) -> Decision | None:
    """A noun phrase with no cue at all: in job descriptions mostly a topic one must know."""
    if ctx.own.shape == "np":
        return Decision("requirement", 0.45, "", ctx.own.head, "default")
    return None


def fallback(ctx: Context) -> Decision | None:
    return Decision("other", 0.35, "", "", "default")


#: The rules, in the order they are tried.
RULES: tuple[tuple[str, Rule], ...] = (
    ("own_procedure", own_procedure),
    ("own_liability", own_liability),
    ("za_noun", za_noun),
    ("own_condition", own_condition),
    ("own_requirement", own_requirement),
    ("own_party", own_party),
    ("own_right", own_right),
    ("may_do", may_do),
    ("own_other", own_other),
    ("own_duty", own_duty),
    ("verb_in_relations", verb_in_relations),
    ("finite_verb", finite_verb),
    ("addresses_reader", addresses_reader),
    ("lead_in_cue", lead_in_cue),
    ("instrumental_list", instrumental_list),
    ("np_liability", np_liability),
    ("section_prior", section_prior),
    ("infinitive", infinitive),
    ("accusative_topic", accusative_topic),
    ("np_requirement", np_requirement),
    ("np_duty", np_duty),
    ("nominalised_task", nominalised_task),
    ("bare_noun_phrase", bare_noun_phrase),
    ("fallback", fallback),
)


def context(text: str, section_type: str = "", lead_in: str = "") -> Context:
    return Context(text, section_type or "", lead_in or "", analyse(text), analyse(lead_tail(lead_in or "")))


def decide(text: str, section_type: str = "", lead_in: str = "", debug: bool = False) -> Decision:
    """The first rule that fires; with ``debug`` the decision's ``trace`` lists every rule tried."""
    if debug:
        return _decide(text, section_type, lead_in, True)
    return _decide_cached(text, section_type or "", lead_in or "")


@lru_cache(maxsize=100_000)
def _decide_cached(text: str, section_type: str, lead_in: str) -> Decision:
    # the model's features and its reason both ask, and clauses repeat across documents
    return _decide(text, section_type, lead_in, False)


def _decide(text: str, section_type: str, lead_in: str, debug: bool) -> Decision:
    ctx = context(text, section_type, lead_in)
    tried: list[str] = []
    for name, rule in RULES:
        found = rule(ctx)
        if found is None:
            if debug:
                tried.append(f"{name}: -")
            continue
        if debug:
            tried.append(f"{name}: {found.label} ({found.cue})")
        return Decision(found.label, found.confidence, name, found.cue, found.stage, tuple(tried))
    raise AssertionError("the fallback rule always fires")


def prior_note(label: str, section_type: str) -> str:
    """Whether the section's prior agreed with a label, for ``reason``."""
    prior = SECTION_PRIOR.get(section_type)
    if prior is None:
        return "no section"
    return f"section {section_type} {'agreed' if prior == label else 'prior ' + prior + ' disagreed'}"


def reason(decision: Decision, section_type: str) -> str:
    cue = f" «{decision.cue}»" if decision.cue else ""
    return f"rule {decision.rule}{cue} ({decision.stage}); {prior_note(decision.label, section_type)}"


def label_clause(clause: Clause, vote: str = "") -> Clause:
    """A clause labelled by the rules, its section type settled by ``sections.effective_type``."""
    from pipeline.classify import sections

    settled, how = sections.effective_type(clause.section_type, clause.section_title, vote)
    found = decide(clause.text, settled, clause.lead_in)
    where = f" (section type from its {how})" if how in ("title", "content") else ""
    return dataclasses.replace(clause, label=found.label, confidence=found.confidence,
                               reason=reason(found, settled) + where)


#: The stages whose decision is a clause's own evidence, the ones that vote on its section's type.
_OWN_STAGES = frozenset({"own words", "lead-in"})


class RuleClassifier:
    """The rules behind the batch interface (``predict``): a section's type comes from the structure stage,
    its heading's words, or the own-word decisions of its clauses (``sections``)."""

    kind = "rules"

    def predict(self, clauses: Sequence[Clause]) -> list[Clause]:
        from pipeline.classify import sections
        from pipeline.records import LABELS

        labels = list(LABELS)
        scores = []
        for c in clauses:
            own = decide(c.text, "", c.lead_in)
            scores.append([float(own.stage in _OWN_STAGES and own.label == label) for label in labels])
        votes = sections.votes(labels, scores, [f"{name}|{c.lead_in}" if name and c.section_type not in sections.KNOWN
                                                else "" for name, c in zip(sections.runs(clauses), clauses, strict=True)])
        return [label_clause(c, vote) for c, vote in zip(clauses, votes, strict=True)]


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.classify.rules "текст" [--section duties] [--lead-in "..."]``: every rule tried."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("text")
    parser.add_argument("--section", default="")
    parser.add_argument("--lead-in", default="")
    args = parser.parse_args(argv)
    found = decide(args.text, args.section, args.lead_in, debug=True)
    for line in found.trace:
        print(line)
    print(f"=> {found.label} {found.confidence:.2f}: {reason(found, args.section)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
