"""Rows an analyst should look at: each clause and instruction gets ``needs_review``, the reasons why.

Applied by the batch after classification (``review(instructions, clauses)``). The reasons come from two
ordered lists of small named rules, :data:`CLAUSE_RULES` and :data:`INSTRUCTION_RULES`; each rule looks at
one record (and, for a clause, its instruction) and returns a reason a person can read, or ``""``. Every
rule that fires adds its reason, in list order; a record no rule fires on has ``needs_review == ()``.

The rules flag what the pipeline cannot vouch for, never what is wrong in the document's content:

- a clause classified with low confidence;
- a clause that ends mid-sentence or looks cut off (a trailing comma, conjunction or preposition, an
  unclosed bracket or quote), the usual trace of a line split the segmenter got wrong;
- a clause that looks like a line of a form: a caption under a blank, a signature or a date line;
- a clause of an instruction that names no position (nothing to compare it with in the catalogue);
- an instruction with no position, no duties, very few clauses, or many clauses that need review.

>>> c = Clause(source="a.txt", instruction=1, number="2.1", text="Ведет учет товаров и", start=0, stop=20,
...            label="duty", confidence=0.95)
>>> i = Instruction(source="a.txt", index=1, title="", position="кладовщик", start=0, stop=100)
>>> clause_reasons(c, i)
('ends mid-sentence: «…и»',)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence

from .classify import REVIEW_THRESHOLD
from .records import Clause, Instruction
from .text import fold

#: A clause classified below this confidence needs a look: the classifier's own threshold, documented with its
#: calibration (``pipeline.classify.REVIEW_THRESHOLD``, MODEL_CARD.md).
LOW_CONFIDENCE = REVIEW_THRESHOLD
#: An instruction with fewer clauses than this is probably found only in part.
FEW_CLAUSES = 3
#: An instruction in which at least this share of the clauses need review (and at least two) needs one too.
FLAGGED_SHARE = 0.25
#: How reasons are joined in a table cell (a reason never contains it).
JOIN = "; "
#: The reason of :func:`no_position`.
NO_POSITION = "its instruction names no position"

#: Words a Russian sentence does not end on: conjunctions, prepositions, particles that need what follows.
#: Invented examples: «Ведет учет товаров и», «Составляет отчеты для», «Обеспечивает сохранность, а также».
DANGLING_WORDS = frozenset("""
и или а но либо также что чтобы как если когда где который которая которое которые
в во на с со по для от к ко о об обо из за при без до через между над под перед про у
не ни ли
""".split()) | {"а также"}
#: Characters a clause does not end on. Invented: «Ведет учет:», «Составляет график (ежемесячный», «Проверяет –».
DANGLING_END = (",", ":", "-", "–", "—", "(", "«", "/", "\\", "+", "&")
#: Lines of a form: a blank to fill (`________`), a caption under it (`(подпись)`, `(Ф.И.О.)`), a stamp (`М.П.`).
BLANK = re.compile(r"_{2,}|\.{6,}")
CAPTION = re.compile(r"\(\s*(?:подпись|личная подпись|ф\.?\s*и\.?\s*о\.?|фамилия|расшифровка|дата|инициалы|должность)"
                     r"[^)]*\)", re.I)
STAMP = re.compile(r"(?:^|\s)м\.\s?п\.?(?=\s|$)", re.I)
#: An acknowledgement: `С инструкцией ознакомлен(а)`, `Ознакомлены:`.
ACKNOWLEDGED = re.compile(r"\bознакомлен(?:\(а\)|а|ы)?\b", re.I)
#: A clause with a blank, caption or stamp is a form line when fewer words than this are left without them
#: (`Подпись: ______`, `______ (Ф.И.О.)`); `Кладовщик подчиняется ______ (должность)` is a template's provision.
FORM_WORDS = 2
#: A whole clause that is only a date: `12.03.2024`, `«12» марта 2024 г.`, `от 1 мая 2023 года`.
DATE_LINE = re.compile(r"^\s*(?:от\s+|дата\s*:?\s*)?[«\"]?\s*\d{1,2}\s*[»\"]?[\s.]*(?:[а-яё]+|\d{1,2})[\s.]*"
                       r"\d{2,4}\s*(?:г\.?|года)?\s*\.?\s*$", re.I)

ClauseRule = Callable[[Clause, Instruction | None], str]
InstructionRule = Callable[[Instruction, Sequence[Clause]], str]


# --- clause rules -------------------------------------------------------------------------------------


def low_confidence(clause: Clause, instruction: Instruction | None) -> str:
    """The classifier was unsure of the label."""
    if clause.label and clause.confidence < LOW_CONFIDENCE:
        return f"low confidence ({clause.confidence:.2f})"
    return ""


def ends_mid_sentence(clause: Clause, instruction: Instruction | None) -> str:
    """The text stops where a sentence cannot: a comma, colon, dash or open bracket, a conjunction or a
    preposition. A list item under a lead-in may end with a comma (`знать: законы, правила,`)."""
    text = clause.text.rstrip()
    if not text:
        return "empty text"
    if text.endswith(DANGLING_END) and not (text.endswith(",") and clause.lead_in):
        return f"ends mid-sentence: «…{text[-1]}»"
    tail = fold(text).rstrip(".;!?… ")
    if tail == fold(text):  # no closing punctuation: look at the last words
        last = re.findall(r"[а-яёa-z]+", tail)
        if last and (last[-1] in DANGLING_WORDS or " ".join(last[-2:]) in DANGLING_WORDS):
            return f"ends mid-sentence: «…{last[-1]}»"
    return ""


def unbalanced(clause: Clause, instruction: Instruction | None) -> str:
    """An opening bracket or quote that is never closed: the rest of the clause went elsewhere."""
    text = clause.text
    if text.count("(") > text.count(")"):
        return "looks cut off: a bracket is never closed"
    if text.count("«") > text.count("»"):
        return "looks cut off: a quote is never closed"
    return ""


def form_line(clause: Clause, instruction: Instruction | None) -> str:
    """A line of a form, not a provision: blanks with captions or a stamp and hardly a word besides, an
    acknowledgement, or a bare date."""
    text = clause.text
    form = BLANK.search(text) or CAPTION.search(text) or STAMP.search(text)
    if (form and len(re.findall(r"[а-яёa-z]{2,}", STAMP.sub(" ", CAPTION.sub(" ", BLANK.sub(" ", text))), re.I))
            < FORM_WORDS) or ACKNOWLEDGED.search(text) or DATE_LINE.match(text):
        return "looks like a form caption, signature or date line"
    return ""


def no_position(clause: Clause, instruction: Instruction | None) -> str:
    """The clause's instruction names no position, so it cannot be compared with its peers."""
    if instruction is not None and not instruction.position:
        return NO_POSITION
    return ""


#: The clause rules, in the order their reasons are listed.
CLAUSE_RULES: tuple[ClauseRule, ...] = (low_confidence, ends_mid_sentence, unbalanced, form_line, no_position)


# --- instruction rules --------------------------------------------------------------------------------


def position_missing(instruction: Instruction, clauses: Sequence[Clause]) -> str:
    """No position was found in the title or the text."""
    return "" if instruction.position else "no position found"


def few_clauses(instruction: Instruction, clauses: Sequence[Clause]) -> str:
    """So few clauses that part of the instruction was probably not found."""
    if len(clauses) < FEW_CLAUSES:
        return f"only {len(clauses)} clause{'' if len(clauses) == 1 else 's'}"
    return ""


def no_duties(instruction: Instruction, clauses: Sequence[Clause]) -> str:
    """A job description without a single duty: its duties section was probably missed or mislabelled."""
    if clauses and not any(c.label == "duty" for c in clauses):
        return "no duties found"
    return ""


def many_flagged(instruction: Instruction, clauses: Sequence[Clause]) -> str:
    """Many of its clauses need review themselves (the position rule aside: it flags them all)."""
    own = [c for c in clauses if any(r != NO_POSITION for r in c.needs_review)]
    if len(own) >= 2 and len(own) >= FLAGGED_SHARE * len(clauses):
        return f"{len(own)} of {len(clauses)} clauses need review"
    return ""

#: The instruction rules, in the order their reasons are listed (they see the reviewed clauses).
INSTRUCTION_RULES: tuple[InstructionRule, ...] = (position_missing, few_clauses, no_duties, many_flagged)


# --- the stage ----------------------------------------------------------------------------------------


def clause_flags(clause: Clause, instruction: Instruction | None = None,
                 rules: Sequence[ClauseRule] = CLAUSE_RULES) -> list[tuple[str, str]]:
    """(rule name, reason) of every rule that fires on one clause, in rule order: the debug view."""
    return [(rule.__name__, reason) for rule in rules if (reason := rule(clause, instruction))]


def instruction_flags(instruction: Instruction, clauses: Sequence[Clause],
                      rules: Sequence[InstructionRule] = INSTRUCTION_RULES) -> list[tuple[str, str]]:
    """(rule name, reason) of every rule that fires on one instruction, in rule order."""
    return [(rule.__name__, reason) for rule in rules if (reason := rule(instruction, clauses))]


def clause_reasons(clause: Clause, instruction: Instruction | None = None,
                   rules: Sequence[ClauseRule] = CLAUSE_RULES) -> tuple[str, ...]:
    """The reasons the rules give for one clause, in rule order."""
    return tuple(reason for _, reason in clause_flags(clause, instruction, rules))


def instruction_reasons(instruction: Instruction, clauses: Sequence[Clause],
                        rules: Sequence[InstructionRule] = INSTRUCTION_RULES) -> tuple[str, ...]:
    """The reasons the rules give for one instruction, given its (reviewed) clauses."""
    return tuple(reason for _, reason in instruction_flags(instruction, clauses, rules))


def review(instructions: Sequence[Instruction], clauses: Sequence[Clause]
           ) -> tuple[tuple[Instruction, ...], tuple[Clause, ...]]:
    """The instructions and clauses of one document with ``needs_review`` set."""
    by_index = {i.index: i for i in instructions}
    # most clauses need no review: a frozen record is copied only for one that does
    reviewed = tuple(dataclasses.replace(c, needs_review=reasons) if (reasons := clause_reasons(
        c, by_index.get(c.instruction))) else c for c in clauses)
    per_instruction: dict[int, list[Clause]] = {}
    for c in reviewed:
        per_instruction.setdefault(c.instruction, []).append(c)
    out = tuple(dataclasses.replace(i, needs_review=instruction_reasons(i, per_instruction.get(i.index, [])))
                for i in instructions)
    return out, reviewed
