"""Who signs an instruction's approval block and for which organisation: the ``organisation`` and ``approver``
facts.

Where they are looked for: the approval block (the УТВЕРЖДАЮ lines, ``approval.block_lines``), the header lines
above the block and between it and the title (a letterhead; the lines of a СОГЛАСОВАНО block are left out),
and, for the organisation only, the first clauses of the general provisions (``… работник Общества с
ограниченной ответственностью «…»``). Rules come first, in order (the debug view names the rule that fired);
natasha's NER (``nlp.Natasha``) runs only on the few lines of the block and the header, and only when the rules
found nothing there, or to put an inflected name into the nominative.

``organisation`` is the employer as written, with spaces and quotes normalised (curly and low quotes become
``"``; «» stay) and its case kept: ``ООО «Северный ветер»``, ``Общество с ограниченной ответственностью
«Кедр-Строй»``, ``ИП Гаврилов Олег Николаевич``. Rules, per line, top of the document first:

- ``quoted_legal_form``: a legal form (an abbreviation of ``data/facts_legal_forms.txt`` or a written-out form
  ending in one of its nouns, with its adjectives and what follows up to the quote) before a quoted name;
- ``legal_form_line``: a header line that is a written-out legal form without quotes (``Муниципальное
  бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 17``);
- ``entrepreneur``: ``ИП`` or ``Индивидуальный предприниматель`` and a name;
- ``named_kind``: a header line of one to three words and a quoted name (``Типография «Печатный двор»``);
- ``ner_org``: natasha's ORG span (widened to a legal form before it, a ``№ 9`` after it and balanced
  quotes), when no rule fired on any line of the block or the header;
- ``provisions``: ``quoted_legal_form`` in the first clauses.

``approver`` is the person who signs the block, never a position: ``Иванов И. И.`` (initials as initials,
spaced, after the surname) or ``Смирнова Ирина Петровна`` (surname, first name, patronymic). Rules:

- ``initials_name``: ``И.И. Петров``, ``Петров И.И.``, ``/Петров И. И./`` (the placeholder ``И.О. Фамилия``
  is no name);
- ``full_name``: three capitalised words, one a patronymic (``-вич``, ``-вна``, ``-чна``, and their cases);
- ``ner_person``: natasha's PER span of a block line, when no rule found a name;

and with natasha, a name whose words cannot all be nominative (``Ивановой Мариной Сергеевной``) is put into the
nominative by natasha (``span.normalize``, ``span.extract_fact``).

>>> organisation_of_line("Генеральный директор ООО «Северный  ветер»")
('ООО «Северный ветер»', 'quoted_legal_form')
>>> name_of_line("__________ /Петров И.И./")
('Петров И. И.', 'initials_name')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..data import entries
from ..records import Instruction
from ..text import parses
from .approval import APPROVAL_BEFORE, block_lines, keyword_at
from .nlp import Natasha, NerSpan

#: Other blocks of the header whose lines are not the employer's letterhead.
OTHER_BLOCK = re.compile(r"^\s*(?:СОГЛАСОВАН[АОЫ]?|ПРИНЯТ[АОЫ]?|РАССМОТРЕН[АОЫ]?)\b", re.I)
#: The same keyword standing left of the УТВЕРЖДАЮ block on its line (side by side).
OTHER_KEYWORD = re.compile(r"СОГЛАСОВАН|ПРИНЯТ|РАССМОТРЕН|УТВЕРЖД", re.I)
#: How many header lines above the block (or the title) are read, and how long a header line may be.
HEADER_LINES = 6
HEADER_MAX_CHARS = 160
#: A line of prose or of a clause, where a letterhead has ended: a numbered clause, or a sentence of words.
PROSE = re.compile(r"^\d+(?:\.\d+)*\.?\s|^(?=(?:\S+\s+){7,}).*[а-яё]{3}[.?!:]$")
#: A line worth natasha's NER: two capitalised words that are not all capitals, outside blanks.
NER_WORTHY = re.compile(r"[А-ЯЁ][а-яё]+.*?(?<![А-ЯЁа-яё])[А-ЯЁ][а-яё]")
#: A line worth looking for an organisation in: a capitalised word and another word.
ORG_WORTHY = re.compile(r"[А-ЯЁ][а-яё-]+\s+[«\"]?[А-ЯЁа-яё]")
#: How many clauses of the general provisions are read for the organisation.
PROVISION_CLAUSES = 6

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "\u00a0": " ", "\u202f": " ",
                        "\t": " "})
ADJECTIVE = re.compile(r"[А-ЯЁа-яё-]+(?:ое|ая|ый|ий|ой|ого|его|ей|ых|их|ую|ее|яя|ому|ему|ым|им)$")
WORD = re.compile(r"[А-ЯЁа-яёA-Za-z][А-ЯЁа-яёA-Za-z-]*")
#: What ends an organisation written on a line: blanks, an address, a tax number, a date.
ORG_END = re.compile(r"\s*(?:_{2,}|,\s*(?:г\.|ИНН|ОГРН|ул\.|адрес)|\bИНН\b|\bОГРН\b|\d{1,2}\.\d{1,2}\.\d{4}).*$")
#: Abbreviations that stand before a quoted title but are no legal form (a law, a standard, a region).
NOT_FORMS = frozenset({"ФЗ", "РФ", "ГОСТ", "СНИП", "СП", "ТК", "ГК", "ДИ", "ПДД", "ИНН", "ОГРН", "КПП", "ОКВЭД",
                       "НДС", "ПК", "ЭВМ", "ЕКС", "ЕТКС", "МП"})

CAP = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
INITIALS = r"[А-ЯЁ]\.\s?[А-ЯЁ]\."
NAME_INITIALS_AFTER = re.compile(rf"(?<![А-ЯЁа-яё])(?P<last>{CAP})\s+(?P<i>[А-ЯЁ])\.\s?(?P<j>[А-ЯЁ])\.")
NAME_INITIALS_BEFORE = re.compile(rf"(?<![А-ЯЁа-яё.])(?P<i>[А-ЯЁ])\.\s?(?P<j>[А-ЯЁ])\.\s?(?P<last>{CAP})")
PATRONYMIC = re.compile(r"(?:вич|вна|чна|ична|вн[аыеуо]й?|вича|вичу|вичем|виче|вной|вну)$")
FULL_NAME = re.compile(rf"(?<![А-ЯЁа-яё])({CAP})\s+({CAP})\s+({CAP})(?![А-ЯЁа-яё])")
#: Words of a placeholder, never a name: `И.О. Фамилия`, `Ф.И.О.`.
PLACEHOLDERS = frozenset({"фамилия", "фио", "подпись", "расшифровка"})
PLACEHOLDER_LINE = re.compile(r"Фамилия|Ф\.\s?И\.\s?О|\bФИО\b", re.I)
ENTREPRENEUR = re.compile(rf"\b(?:ИП|Индивидуальный\s+предприниматель)\s+(?:{CAP}\s+{CAP}\s+{CAP}|{CAP}\s+{INITIALS}|"
                          rf"{INITIALS}\s?{CAP})")


@lru_cache(maxsize=1)
def legal_forms() -> tuple[frozenset[str], tuple[str, ...]]:
    """(abbreviations, noun stems) of ``data/facts_legal_forms.txt``."""
    found = entries("facts_legal_forms.txt")
    return frozenset(e for e in found if e.isupper()), tuple(e for e in found if e.islower())


def clean(text: str) -> str:
    """Spaces and quotes normalised: one space, curly and low quotes as ``"``, none inside «»; case kept.

    >>> clean(' АО «Завод „Искра“ » ')
    'АО «Завод "Искра"»'
    """
    text = re.sub(r"\s+", " ", text.translate(QUOTES)).strip(" ,;:")
    if text.endswith(".") and not re.search(r"(?<![А-ЯЁа-яё])[А-ЯЁ]\.$", text):
        text = text[:-1]  # a full stop, not an initial's
    text = re.sub(r"«\s+", "«", re.sub(r"\s+»", "»", text))
    return re.sub(r'"\s+"', '""', text)


def _quoted(line: str, at: int) -> int | None:
    """The end (after the closing quote) of the quoted name that opens at ``line[at]``; None: not closed."""
    depth = 0
    for k in range(at, len(line)):
        ch = line[k]
        if ch == "«":
            depth += 1
        elif ch == "»":
            depth -= 1
        elif ch == '"':
            opens = k == at or line[k - 1] in " «(" or (k + 1 < len(line) and line[k + 1].isalnum()
                                                       and line[k - 1] in ' «("')
            depth += 1 if opens else -1
        if depth == 0:
            return k + 1
    return None


def _form_before(line: str, quote: int, lowercase: bool) -> int | None:
    """Where the legal form that stands right before ``line[quote]`` starts (None: no legal form there)."""
    abbreviations, stems = legal_forms()
    head = line[:quote].rstrip()
    words = list(WORD.finditer(head))
    if not words:
        return None
    last = words[-1]
    if last.end() == len(head) and last.group(0).isupper() and last.group(0) not in NOT_FORMS:
        # `ООО «…»`, `ФГБОУ ВО «…»`: an abbreviation, or a short one after it
        if last.group(0) in abbreviations or (2 <= len(last.group(0)) <= 6 and len(words) > 1
                                               and words[-2].group(0) in abbreviations):
            start = last.start()
            if len(words) > 1 and words[-2].group(0) in abbreviations and words[-2].end() >= last.start() - 1:
                start = words[-2].start()
            return start
        if len(last.group(0)) <= 6 and len(words) == 1:
            return last.start()  # an unknown abbreviation alone before the quote: `ГАУК «…»`
        return None
    # a written-out form: a noun of the list, the adjectives before it, lower-case words after it up to the quote
    for k in range(len(words) - 1, max(-1, len(words) - 14), -1):
        word = words[k].group(0)
        if word.lower().startswith(stems) and all(w.group(0).islower() or w.group(0).isupper()
                                                   for w in words[k + 1:]):
            if line[words[-1].end():quote].strip():
                return None  # something else stands between the form and the quote
            first = k
            while first > 0 and ADJECTIVE.match(words[first - 1].group(0)):
                first -= 1
            if words[first].group(0)[0].isupper() or lowercase:
                return words[first].start()
            return None
    return None


#: What a branch of an organisation is called before the organisation's name: `Кировский филиал АО «…»`.
BRANCH = re.compile(r"^(?:[А-ЯЁа-яё-]+\s+){0,3}(?:филиал|представительство|подразделение|отделение)\s+$", re.I)


def placeholder(quoted: str) -> bool:
    """A quoted name that stands for one in a template: no letters (`«______»`, `«»`) or one letter repeated
    (`«ХХХ»`, `«NNN»`).

    >>> placeholder("«ХХХ»"), placeholder('"______"'), placeholder("«Ива»")
    (True, True, False)
    """
    letters = [c.lower() for c in quoted if c.isalpha()]
    return len(set(letters)) <= 1


def quoted_legal_form(line: str, lowercase: bool = False) -> str:
    for m in re.finditer(r'[«"]', line):
        if m.start() and line[m.start() - 1] not in " \t" and line[m.start() - 1].isalnum():
            continue
        stop = _quoted(line, m.start())
        if stop is None or placeholder(line[m.start():stop]):
            continue
        start = _form_before(line, m.start(), lowercase)
        if start is not None:
            if BRANCH.match(line[:start]) and line[:1].isupper():
                start = 0  # the branch is the employer
            return clean(line[start:stop])
    return ""


def legal_form_line(line: str) -> str:
    """A line that is a written-out legal form without quotes, from its start."""
    if '"' in line or "«" in line:
        return ""
    _, stems = legal_forms()
    text = ORG_END.sub("", line).strip()
    words = WORD.findall(text)
    if not words or not words[0][0].isupper():
        return ""
    for k, word in enumerate(words[:10]):
        if word.lower().startswith(stems):
            if all(ADJECTIVE.match(w) for w in words[:k]) and len(words) > k + 1:
                return clean(text)
            return ""
    return ""


def entrepreneur(line: str) -> str:
    found = ENTREPRENEUR.search(line)
    return clean(found.group(0)) if found else ""


def named_kind(line: str) -> str:
    """`Типография «Печатный двор»`: a line of one to three words and a quoted name, nothing else."""
    found = re.fullmatch(rf'\s*((?:{CAP}|[а-яё]+)(?:\s+[а-яё-]+){{0,2}})\s*([«"].*)', line)
    if not found or not found.group(1)[0].isupper():
        return ""
    stop = _quoted(line, found.start(2))
    if stop != len(line.rstrip()) or placeholder(line[found.start(2):stop]):
        return ""
    return clean(line[found.start(1):stop])


ORG_RULES = (("quoted_legal_form", quoted_legal_form), ("legal_form_line", legal_form_line),
             ("entrepreneur", entrepreneur))
HEADER_RULES = (*ORG_RULES, ("named_kind", named_kind))


def organisation_of_line(line: str, header: bool = False) -> tuple[str, str]:
    """(organisation, the rule that fired) of one line; ``header``: a letterhead line, where more rules apply."""
    line = line.translate(QUOTES)
    for name, rule in (HEADER_RULES if header else ORG_RULES):
        if name == "legal_form_line" and not header:
            continue
        found = rule(line)
        if found:
            return found, name
    return "", ""


def _widen(line: str, span: NerSpan) -> str:
    """An ORG span of natasha widened to the legal form before it, a number after it and balanced quotes."""
    start, stop = span.start, span.stop
    before = line[:start].rstrip()
    abbreviations, _ = legal_forms()
    words = list(WORD.finditer(before))
    if words and words[-1].end() == len(before) and words[-1].group(0) in abbreviations:
        start = words[-1].start()
    rest = re.match(r'\s*(?:№\s*\d+[А-ЯЁа-яё]?|[»"]+)', line[stop:])
    if rest:
        stop += rest.end()
    text = line[start:stop]
    if text.count("«") > text.count("»") or text.count('"') % 2:
        close = _quoted(line, min(i for i in (line.find("«", start), line.find('"', start)) if i >= 0))
        if close:
            stop = max(stop, close)
    return clean(ORG_END.sub("", line[start:stop]))


#: ORG spans that are a block's or a page's words, not an organisation.
TITLE_LINE = re.compile(r"инструкци|ознакомлен|положени[ея]\b", re.I)
NOT_ORG = re.compile(r"^(?:УТВЕРЖД|СОГЛАСОВ|ПРИНЯТ|ДОЛЖНОСТН|ИНСТРУКЦ|ПРИКАЗ|ИП$|М\.?П)", re.I)


def ner_org(line: str, ner: Natasha) -> str:
    if not ORG_WORTHY.search(line) or TITLE_LINE.search(line):
        return ""
    for span in ner.spans(line):
        if span.type != "ORG" or NOT_ORG.match(span.text) or len(span.text) < 3:
            continue
        if span.text.isupper() and " " not in span.text and span.text not in legal_forms()[0]:
            continue  # one word in capitals: a heading
        if _person_noun_first(span.text):
            continue  # `Старшего кассира`: a position, not an organisation
        widened = _widen(line, span)
        if not any(placeholder(q) for q in re.findall(r'«[^«»]*»|"[^"]*"', widened)):
            return widened
    return ""


def _person_noun_first(text: str) -> bool:
    """Whether the first noun of a span names a person (animate: `кассира`), as a position does; an
    organisation's first noun is a thing (`завод`, `больница`, `банк`)."""
    for word in WORD.findall(text):
        found = parses(word.lower())
        if found and "NOUN" in found[0].tag:
            return "anim" in found[0].tag and "inan" not in found[0].tag
    return False


# --- the approver ----------------------------------------------------------------------------------------


def _initials(i: str, j: str) -> str:
    return f"{i}. {j}."


def initials_name(line: str) -> tuple[str, int, int]:
    for pattern in (NAME_INITIALS_BEFORE, NAME_INITIALS_AFTER):
        found = pattern.search(line)
        if found and found["last"].lower() not in PLACEHOLDERS:
            return f"{found['last']} {_initials(found['i'], found['j'])}", found.start(), found.end()
    return "", 0, 0


def full_name(line: str) -> tuple[str, int, int]:
    for found in FULL_NAME.finditer(line):
        words = list(found.groups())
        if any(w.lower() in PLACEHOLDERS for w in words):
            continue
        if PATRONYMIC.search(words[2].lower()):
            return " ".join(words), found.start(), found.end()  # Фамилия Имя Отчество
        if PATRONYMIC.search(words[1].lower()):
            return f"{words[2]} {words[0]} {words[1]}", found.start(), found.end()  # Имя Отчество Фамилия
    return "", 0, 0


NAME_RULES = (("initials_name", initials_name), ("full_name", full_name))


def name_of_line(line: str) -> tuple[str, str]:
    """(the person's name as the rules read it, the rule that fired) of one line of an approval block."""
    name, rule, _, _ = _name_span(line)
    return name, rule


def _name_span(line: str) -> tuple[str, str, int, int]:
    line = line.translate(QUOTES)
    for rule_name, rule in NAME_RULES:
        found, start, stop = rule(line)
        if found:
            return found, rule_name, start, stop
    return "", "", 0, 0


def _format(span: NerSpan) -> str:
    """A person of natasha: surname first, initials as ``И. О.``, the ``ё`` of the text kept."""
    if not span.last:
        return ""
    last, first, middle = (restore_yo(p, span.text) for p in (span.last, span.first, span.middle))
    if len(first) == 1 and (not middle or len(middle) == 1):
        return f"{last} " + " ".join(f"{x}." for x in (first, middle) if x)
    return " ".join(p for p in (last, first, middle) if p)


def ner_person(lines: Sequence[str], ner: Natasha) -> str:
    for line in lines:
        if not NER_WORTHY.search(line) or PLACEHOLDER_LINE.search(line):
            continue
        for span in ner.spans(line):
            if span.type == "PER" and len(span.last) > 1 and span.last.lower() not in PLACEHOLDERS \
                    and span.last[:1].isupper() and not PLACEHOLDER_LINE.search(line):
                return _format(span)
    return ""


def restore_yo(normal: str, written: str) -> str:
    """natasha's normal form with the ``ё`` of the written words back (``Ковалёва`` -> ``Ковалев`` -> ``Ковалёв``).

    >>> restore_yo("Ковалев Дмитрий", "Ковалёва Дмитрия")
    'Ковалёв Дмитрий'
    """
    out = []
    for word in normal.split(" "):
        for source in written.split():
            k = source.find("ё")
            if k >= 0 and k < len(word) and word[:k] == source[:k] and word[k] == "е":
                word = word[:k] + "ё" + word[k + 1:]
                break
        out.append(word)
    return " ".join(out)


def can_be_nominative(word: str) -> bool:
    """Whether a name's word can stand in the nominative (the project's pymorphy3 cache, ``pipeline.text``)."""
    return any("nomn" in p.tag for p in parses(word.lower())) or not parses(word.lower())


def nominative_name(line: str, ner: Natasha) -> str:
    """The name the rules read in ``line``, put into the nominative by natasha (its normaliser over the name's
    tokens, tagged by its morphology model) when one of its words cannot be nominative."""
    name, _, start, stop = _name_span(line)
    words = [w for w in WORD.findall(name) if len(w) > 1]
    if not name or all(can_be_nominative(w) for w in words):
        return name  # natasha is not needed (and not loaded) for a name in the nominative
    normal = restore_yo(ner.normal_form(line.translate(QUOTES), start, stop), line[start:stop])
    return name_of_line(normal)[0] or name


# --- where they are looked for ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Parties:
    """The organisation and the approver of one instruction, the rules that found them and their lines."""

    organisation: str = ""
    approver: str = ""
    organisation_rule: str = ""
    approver_rule: str = ""
    evidence: tuple[tuple[str, str], ...] = ()


def _logical(lines: Sequence[str]) -> list[str]:
    """Lines with an organisation written on two joined: a legal form without its name, then the quoted name;
    a quote opened and closed on the next line."""
    out: list[str] = []
    for line in lines:
        # (`+ " x"`: a form that ends its line, `…учреждение`, is still a form when a name follows)
        if out and line[:1] in '«"“„' and (legal_form_line(out[-1] + " x") or out[-1].count("«") > out[-1].count("»")
                                           or _form_before(out[-1] + " «", len(out[-1]) + 1, False) is not None):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


def _header_lines(text: str, start: int, stop: int) -> list[str]:
    """The letterhead lines of ``text[start:stop]``, last ``HEADER_LINES`` of them, without other blocks."""
    lines, skipping = [], False
    for raw in text[start:stop].split("\n"):
        line = raw.translate(QUOTES).strip(" *>#\r")
        if not line:
            skipping = False
            continue
        if OTHER_BLOCK.match(line):
            skipping = True
        if skipping or line.startswith("("):
            continue
        lines.append(re.sub(r"\s{2,}", "  ", line))
    out: list[str] = []
    for line in reversed(lines[-HEADER_LINES:]):  # upwards from the block: a letterhead ends at prose
        if PROSE.search(line) or len(line) > HEADER_MAX_CHARS:
            break
        out.insert(0, line)
    return out


def parties(document_text: str, instruction: Instruction, provisions: Sequence[str] = (), not_before: int = 0,
            ner: Natasha | None = None) -> Parties:
    """The organisation and the approver of ``instruction`` (see the module's docstring); ``ner=None``: the
    rules alone."""
    window = max(not_before, instruction.start - APPROVAL_BEFORE, 0)
    at = keyword_at(document_text, instruction, not_before)
    block: list[str] = []
    above: list[str] = []
    between: list[str] = []
    if at is not None:
        block, block_stop = block_lines(document_text, at)
        block = [b.translate(QUOTES) for b in block]
        line_start = document_text.rfind("\n", 0, at) + 1
        left = document_text[line_start:at].translate(QUOTES).strip(" *>#")
        above = _header_lines(document_text, window, line_start)
        if left and not OTHER_KEYWORD.search(left):
            above.append(left)  # an organisation left of the block on its keyword line
        if block_stop < instruction.start:
            between = _header_lines(document_text, block_stop, instruction.start)[:3]
    else:
        above = _header_lines(document_text, window, instruction.start)
    above, block_logical, between = _logical(above), _logical(block), _logical(between)
    evidence: list[tuple[str, str]] = []

    organisation, org_rule = "", ""
    candidates = [(line, True) for line in above] + [(line, False) for line in block_logical] + \
        [(line, True) for line in between]
    for line, header in candidates:
        organisation, org_rule = organisation_of_line(line, header)
        if organisation:
            evidence.append(("organisation", line))
            break
    if not organisation and ner is not None:
        for line, _ in candidates:
            organisation = ner_org(line, ner)
            if organisation:
                org_rule = "ner_org"
                evidence.append(("organisation", line))
                break
    if not organisation:
        for text in provisions[:PROVISION_CLAUSES]:
            organisation = quoted_legal_form(text, lowercase=True)
            if organisation:
                org_rule = "provisions"
                evidence.append(("organisation", text))
                break

    approver, approver_rule = "", ""
    for line in block:
        approver, approver_rule = name_of_line(line)
        if approver:
            if ner is not None:
                normal = nominative_name(line, ner)
                if normal != approver:
                    approver, approver_rule = normal, approver_rule + "+ner_normalise"
            evidence.append(("approver", line))
            break
    if not approver and ner is not None and block:
        approver = ner_person(block, ner)
        if approver:
            approver_rule = "ner_person"
            evidence.append(("approver", "\n".join(block)))
    return Parties(organisation, approver, org_rule, approver_rule, tuple(evidence))
