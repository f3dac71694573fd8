"""Provision similarity: how likely two wordings of no provision type are one provision.

A wording is compared by its *profile* (:func:`profile`): the content words of its lemma key with its slots
(:mod:`.slots`) and the lead its label already says left out, after the equivalences of
``clause_synonyms.tsv``; a verb and the noun made from it count as one concept (`начисляет` /
`начисление` -> `~начисл`), so a function written as a noun phrase meets the duty written as a verb.

:func:`features` describes a pair by a few numbers (the weighted cosine of their concepts, their
bigrams, their character 4-grams, whether the act, the first concept, is the same, how much of each is
covered by the other, navec's cosine of their mean word vectors when the pack asks for it), and the pair
model (:class:`Scorer`, a logistic regression trained on the project's own provision gold and shipped in
``models/catalogue-pairs-v*/``) turns them into a probability. Words weigh by their inverse document
frequency in the project's own corpora (the pack's ``idf.tsv``), so `обеспечивать` counts less than
`инвентаризация`. Two wordings whose decisive words differ (`не`, numbers, frequency: see
``normalise_decisive.txt``) are never one provision. Without a pack the score is the weighted cosine.

Every score is a function of the two wordings alone (not of the batch they came in), so a wording gets
the same decision in every import, in every process, and in the Dask build.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..normalise import decisive, stopwords
from ..text import lemma as word_lemma
from ..text import parse, parses, words
from .kinds import Kind, kind_of
from .slots import slotted
from .variants import strip_lead, with_equivalences

#: The pair model pack the catalogue loads by default (``models/<name>/``, next to ``pipeline/``).
DEFAULT_PACK = "catalogue-pairs-v3"
#: A word the weight table does not know weighs like the rarest word it knows (rare = telling).
#: Pairs sharing less than this cosine of their weighted concepts are apart without the model (it gives
#: them a probability of a few per cent at most).
MIN_COSINE = 0.25
FEATURES = ("cosine", "bigrams", "chars", "same_act", "cover_min", "cover_max", "short", "navec", "object", "sub",
            "head", "stems", "head_cos", "head_in", "acts", "soft", "soft_min")
#: The features read from navec's word vectors (the pack loads navec when it uses one of them).
NAVEC_FEATURES = frozenset({"navec", "soft", "soft_min"})
#: Two words with these first letters in common count as one in the ``stems`` feature (`налог` / `налоговый`,
#: `бухгалтерия` / `бухгалтерский`).
STEM = 5

_DIGIT = re.compile(r"\d")
#: A grade written as one Latin letter or a Roman numeral (licence category «B» / «D», electrical safety group
#: «III») is decisive like a number: two grades are two requirements.
_GRADE = re.compile(r"[a-z]|[ivx]{1,4}")
#: Endings of a verb (infinitive) and of a noun made from a verb, cut off to give the concept's stem.
_VERB_END = re.compile(r"(?:ировать|овывать|ывать|ивать|овать|евать|ать|ять|ить|еть|уть|оть|ть|ти|чь)(?:ся|сь)?$")
_NOUN_END = re.compile(r"(?:ирование|ование|евание|ывание|ивание|ение|ание|яние|тие|ация)$")


@lru_cache(maxsize=100_000)
def concept(lemma: str) -> str:
    """A verb and a noun made from it as one concept: `начислять`, `начисление` -> `~начисл`.

    Other words stay as they are. The stem is cut by endings only (`обеспечивать` / `обеспечить` agree,
    `подготавливать` / `подготовка` do not: the character 4-grams of :func:`features` still see them).
    """
    if len(lemma) < 6 or not lemma.isalpha():  # also a synonym class (`=контроль`)
        return lemma
    if _NOUN_END.search(lemma):
        return "~" + _NOUN_END.sub("", lemma)
    if parse(lemma).tag.POS == "INFN":
        stem = _VERB_END.sub("", lemma)
        return "~" + stem if len(stem) >= 3 else lemma
    return lemma


def _first_item_end(lemmas: Sequence[str]) -> int:
    """Where the first item a clause names ends: at the first `и` / `или` / comma after a noun (`составляет и
    представляет отчетность в налоговые органы` names one item; `налоги и сборы`, `основы психологии,
    экономики` two)."""
    from .variants import _is_noun

    seen_noun = False
    for i, w in enumerate(lemmas):
        if w in ("и", "или", ",") and seen_noun and not _joins_acts(lemmas, i):
            return i
        if w[:1] not in "<{," and w.isalpha() and _is_noun(w):
            seen_noun = True
    return len(lemmas)


def _joins_acts(lemmas: Sequence[str], i: int) -> bool:
    """Whether the `и` / `или` at ``i`` joins two acts of one object (`начисление и перечисление налогов`,
    `приём и регистрация заявок`): the first item goes on to the object they share."""
    if lemmas[i] == "," or i == 0 or i + 1 >= len(lemmas):
        return False
    before, after = lemmas[i - 1], lemmas[i + 1]
    return _names_act(before) and _names_act(after)


def _names_act(lemma: str) -> bool:
    return lemma.isalpha() and len(lemma) >= 6 and is_act(concept(lemma))


#: Verbs (and their nouns) that only carry the word after them: `производит начисление` = `начисляет`,
#: `ведет учет` = `учет`, `проведение инструктажа` = `проводит инструктаж`.
LIGHT_VERBS = frozenset({"вести", "~вед", "осуществлять", "~осуществл", "производить", "~производ", "проводить",
                         "~провед", "~произвед", "=вести", "вестись", "~вес", "осуществляться", "производиться",
                         "проводиться"})


def _without_light_verbs(words: tuple[str, ...]) -> tuple[str, ...]:
    """The concepts without the light verbs, wherever they stand, when the wording has other words (`вести
    ~начисл` -> `~начисл`; `=учет путевой лист вести` -> `=учет путевой лист`: `учёт путевых листов ведёт`)."""
    if LIGHT_VERBS.isdisjoint(words):
        return words
    rest = tuple(w for w in words if w not in LIGHT_VERBS)
    return rest or words


@lru_cache(maxsize=1)
def synonym_classes() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """The classes of ``provision_synonyms.txt``: first lemma -> ((lemmas, concept), ...), longest first; an
    empty concept leaves the lemmas out."""
    from ..data import entries

    table: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for line in entries("provision_synonyms.txt"):
        if " | " not in line:
            raise ValueError(f"provision_synonyms.txt: expected `concept | lemma, lemma ...`: {line}")
        name, members, *kind = (part.strip() for part in line.split(" | "))
        if kind and kind != ["thing"]:
            raise ValueError(f"provision_synonyms.txt: the third field can only be `thing`: {line}")
        concept_ = () if name == "-" else ("=" + name,)
        for member in members.split(","):
            words = tuple(member.split())
            if words:
                table.setdefault(words[0], []).append((words, concept_))
    return {first: tuple(sorted(found, key=lambda e: -len(e[0]))) for first, found in table.items()}


@lru_cache(maxsize=1)
def thing_classes() -> frozenset[str]:
    """The concepts (`=работник`) of the classes of ``provision_synonyms.txt`` that name things, not acts."""
    from ..data import entries

    return frozenset("=" + line.split(" | ")[0].strip() for line in entries("provision_synonyms.txt")
                     if line.rstrip().endswith(" | thing"))


def is_act(word: str) -> bool:
    """Whether a concept names an act: a verb or the noun made from it (`~начисл`), or a class of acts
    (`=контроль`)."""
    return word.startswith("~") or word.startswith("=") and word not in thing_classes()


@lru_cache(maxsize=1)
def nominal_phrases() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """The phrases of ``provision_synonyms.txt`` that start with a verb, by the concept of that verb: the noun
    made from it starts the same phrase (`обеспечивать сохранность` / `обеспечение сохранности`, `оказывать
    помощь` / `оказание помощи`)."""
    table: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for first, found in synonym_classes().items():
        key = concept(first)
        if key.startswith("~"):
            table.setdefault(key, []).extend(e for e in found if len(e[0]) > 1)
    return {key: tuple(sorted(found, key=lambda e: -len(e[0]))) for key, found in table.items() if found}


def with_classes(lemmas: Sequence[str]) -> tuple[str, ...]:
    """The lemmas with the synonym classes of ``provision_synonyms.txt`` applied (phrases first; a phrase that
    starts with a verb also starts with the noun made from it)."""
    classes, nominal = synonym_classes(), nominal_phrases()
    out: list[str] = []
    i = 0
    while i < len(lemmas):
        found = next(((len(words), name) for words, name in classes.get(lemmas[i], ())
                      if tuple(lemmas[i: i + len(words)]) == words), None)
        if (found is None or found[0] == 1) and len(lemmas[i]) >= 6 and lemmas[i].isalpha():
            found = next(((len(words), name) for words, name in nominal.get(concept(lemmas[i]), ())
                          if tuple(lemmas[i + 1: i + len(words)]) == words[1:]), found)
        if found is None:
            out.append(lemmas[i])
            i += 1
        else:
            out.extend(found[1])
            i += found[0]
    return tuple(out)


@dataclass(frozen=True)
class Profile:
    """What the provision level knows of a wording: its type, its concepts in order, its decisive words."""

    label: str
    kind: Kind | None
    words: tuple[str, ...]
    signature: frozenset[str]
    head: int = 0  # how many of ``words`` come before the first `и` / `или` (what the clause names first)
    template: str = field(default="", compare=False)
    qualifiers: frozenset[str] = frozenset()  # decisive words of QUALIFIER_GROUPS (`ежедневно`)


#: Groups of decisive words (``normalise_decisive.txt``) that qualify a provision: two wordings that name different
#: ones are two provisions (`ежемесячно составляет отчёт` / `ежеквартально …`), but a wording that names none is
#: the same provision as one that names one (`проверяет оборудование` / `ежедневно проверяет оборудование`).
QUALIFIER_GROUPS = frozenset({"frequency"})


def agree(a: Profile, b: Profile) -> bool:
    """Whether two profiles' decisive words allow one provision: the same decisive words, and qualifiers that do
    not differ where both name one."""
    return a.signature == b.signature and (a.qualifiers == b.qualifiers or not a.qualifiers or not b.qualifiers)


#: The decisive words of a wording are those of what it names first (a compound clause is the provision it
#: names first: `ведет кассовую книгу и ежемесячно сдает отчет` is not a monthly provision).
FIRST_ITEM_SIGNATURE = True


#: An aside in brackets with no number in it («(отпуск, болезнь и т. п.)», «(«первым пришёл — первым ушёл»)»)
#: qualifies a wording, it does not make another provision; a number in brackets («(не менее 3 лет)») stays.
_ASIDE = re.compile(r"\s*\([^()\d]*\)")


_GERUND_CANDIDATE = re.compile(r",\s*([а-яё]+(?:я|ясь|в|вшись|учи|ючи))\b[^,;.]*")


def _without_gerund_phrases(readable: str) -> str:
    """The text without the adverbial participle phrases that follow a comma: `ведёт журнал отдела, фиксируя
    задачи и сроки` says how the journal is kept; the provision is the journal (a compound clause is the
    provision it names first)."""
    if "," not in readable:
        return readable
    return _GERUND_CANDIDATE.sub(lambda m: m.group(0) if not _is_gerund(m.group(1)) else "", readable)


#: Adverbial participles that work as prepositions (`включая индивидуальные планы` = `в том числе по …`): the phrase
#: goes on naming what the clause names.
PREPOSITIONAL_GERUNDS = frozenset({"включая", "исключая", "начиная", "учитывая", "благодаря", "несмотря", "спустя",
                                   "судя", "считая", "касаясь"})


@lru_cache(maxsize=50_000)
def _is_gerund(word: str) -> bool:
    return word not in PREPOSITIONAL_GERUNDS and any(p.tag.POS == "GRND" for p in parses(word))


@lru_cache(maxsize=300_000)
def profile(readable: str, label: str) -> Profile:
    """The profile of a wording given by its readable normalised text (``pipeline.normalise``)."""
    readable = _without_gerund_phrases(_ASIDE.sub(" ", readable))
    slots = slotted(readable)
    lemmas = strip_lead(slots.lemmas, label)
    kind = kind_of(lemmas, label)
    lemmas = with_equivalences(lemmas)[0]
    stop, table = stopwords(), decisive()
    marked = with_equivalences(strip_lead(slots.marked, label))[0]
    end = _first_item_end(marked)
    decisive_of = marked[:end] if FIRST_ITEM_SIGNATURE else lemmas
    signature = frozenset(w for w in decisive_of if w in table or _DIGIT.search(w) or _GRADE.fullmatch(w))
    qualifiers = frozenset(w for w in signature if table.get(w) in QUALIFIER_GROUPS)
    adjectives = _participles(readable)
    if adjectives:  # a participle names a property of a thing, not the act (`ценности, принятые на склад`)
        lemmas = tuple(adjectives.get(w, w) for w in lemmas)
        marked = tuple(adjectives.get(w, w) for w in marked)
    lemmas = with_classes(lemmas)
    words = _without_light_verbs(tuple(concept(w) for w in lemmas if w not in stop and w[:1] not in "<{"))
    first = with_classes(marked[:end])
    head = len(_without_light_verbs(tuple(concept(w) for w in first if w not in stop and w[:1] not in "<{,")))
    return Profile(label, kind, words, signature - qualifiers, max(head, 1), slots.template, qualifiers)


@lru_cache(maxsize=100_000)
def _participle(word: str) -> tuple[str, str] | None:
    """(the verb lemma, the participle's masculine nominative) of a full participle (`принятых` -> (`принять`,
    `принятый`)), or None."""
    p = parse(word)
    if p.tag.POS != "PRTF":
        return None
    form = p.inflect({"sing", "masc", "nomn"})
    return (p.normal_form.replace("ё", "е"), form.word.replace("ё", "е")) if form is not None else None


def _participles(readable: str) -> dict[str, str]:
    """Verb lemma -> participle form, for the verbs a wording uses only as full participles."""
    out: dict[str, str] = {}
    other: set[str] = set()
    for word in words(readable):
        found = _participle(word) if len(word) > 4 else None
        if found is None:
            if word.isalpha():
                other.add(word_lemma(word))
        else:
            out[found[0]] = found[1]
    return {verb: form for verb, form in out.items() if verb not in other}


# --- the pack: word weights, the pair model, navec --------------------------------------------------------


@dataclass
class Scorer:
    """Word weights and the pair model of a pack (``weights`` empty and ``coef`` None: the plain cosine).

    ``threshold``: a pair merges at this probability or more (chosen on the gold's train half; without a
    pack, a cosine of 0.8: a wording that shares four of five weighted concepts). ``type_threshold``: the
    probability a wording of no type needs with each checked wording of a provision of a type (a standard
    provision; chosen on the whole train halves, where the standard provisions give most pairs).
    """

    weights: Mapping[str, float] = field(default_factory=dict)
    default_weight: float = 1.0
    coef: Sequence[float] | None = None
    intercept: float = 0.0
    threshold: float = 0.8
    type_threshold: float | None = None  # a wording of no type joining a provision of a type (None: threshold)
    features: Sequence[str] = FEATURES
    navec: Any = None
    name: str = "cosine"
    min_cosine: float = MIN_COSINE
    veto: bool = True  # a pair the model merges is apart when one substitutes a word of the other's first item
    _cache: dict[Profile, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.type_threshold is not None and self.type_threshold < self.threshold:
            raise ValueError(f"type_threshold {self.type_threshold} is below threshold {self.threshold}")

    def weight(self, word: str) -> float:
        return self.weights.get(word.lstrip("~"), self.weights.get(word, self.default_weight))

    def prepared(self, p: Profile) -> _Prepared:
        """Per profile, once: weighted concepts, their norm and sum, bigrams, 4-grams, stems, the first item."""
        got = self._cache.get(p)
        if got is None:
            got = _Prepared(p, self.weight, self.navec)
            if len(self._cache) > 400_000:
                self._cache.clear()
            self._cache[p] = got
        return got

    def features_of(self, a: Profile, b: Profile) -> tuple[float, ...]:
        """The pair's numbers in the order of FEATURES (all of them)."""
        return self._features(self.prepared(a), self.prepared(b), a, b, None)

    def _features(self, pa: _Prepared, pb: _Prepared, a: Profile, b: Profile,
                  wanted: frozenset[str] | None, stems: float | None = None) -> tuple[float, ...]:
        """FEATURES of a pair; those not in ``wanted`` (None: all) are 0 (the pack's model never reads them).
        ``stems``: the stem cosine when known."""
        wa, wb = pa.weighted, pb.weighted
        dot = shared_a = shared_b = 0.0
        for w in wa.keys() & wb.keys():
            x, y = wa[w], wb[w]
            dot += x * y
            shared_a += x
            shared_b += y
        cover_a, cover_b = shared_a / pa.total, shared_b / pb.total
        every = wanted is None
        bigrams = chars = nav = obj = head = sub = head_cos = 0.0
        if every or "bigrams" in wanted:  # type: ignore[operator]
            ba, bb = pa.bigrams, pb.bigrams
            bigrams = len(ba & bb) / math.sqrt(len(ba) * len(bb)) if ba and bb else 0.0
        if every or "chars" in wanted:  # type: ignore[operator]
            ca, cb = pa.chars, pb.chars
            chars = len(ca & cb) / math.sqrt(len(ca) * len(cb)) if ca and cb else 0.0
        if (every or "navec" in wanted) and pa.vector is not None and pb.vector is not None:  # type: ignore[operator]
            nav = float(pa.vector @ pb.vector)
        if every or "object" in wanted:  # type: ignore[operator]  # the concepts after each one's first (its act)
            first_a, first_b = a.words[0], b.words[0]
            odot = dot - (wa[first_a] * wb[first_a] if first_a in wb else 0.0) \
                - (wa[first_b] * wb[first_b] if first_b in wa and first_b != first_a else 0.0)
            ona = math.sqrt(max(pa.norm * pa.norm - wa[first_a] ** 2, 0.0))
            onb = math.sqrt(max(pb.norm * pb.norm - wb[first_b] ** 2, 0.0))
            obj = max(odot, 0.0) / (ona * onb) if ona and onb else 0.0
        if every or "head" in wanted:  # type: ignore[operator]
            ha, hb = pa.first[0], pb.first[0]
            head = len(ha & hb) / min(len(ha), len(hb)) if ha and hb else 0.0
        if every or "sub" in wanted:  # type: ignore[operator]
            sub = 1.0 if _substitution(pa.first, pb.first) else 0.0
        if stems is None and (every or "stems" in wanted):  # type: ignore[operator]
            stems = _stem_cosine(pa, pb)
        if every or "head_cos" in wanted:  # type: ignore[operator]
            head_cos = _cosine_of(pa.head_stems, pb.head_stems)
        head_in = acts = soft = soft_min = 0.0
        if every or "soft" in wanted or "soft_min" in wanted:  # type: ignore[operator]
            soft, soft_min = _soft(pa, pb)
        if every or "head_in" in wanted:  # type: ignore[operator]
            head_in = max(_contained(pa.head_stems, pb.stems), _contained(pb.head_stems, pa.stems))
        if every or "acts" in wanted:  # type: ignore[operator]
            xa, xb = pa.acts, pb.acts
            acts = len(xa & xb) / len(xa | xb) if xa and xb else 0.0
        return (dot / (pa.norm * pb.norm), bigrams, chars, 1.0 if a.words[0] == b.words[0] else 0.0,
                min(cover_a, cover_b), max(cover_a, cover_b), 1.0 / (1 + min(len(wa), len(wb))), nav, obj, sub,
                head, stems or 0.0, head_cos, head_in, acts, soft, soft_min)

    def score(self, a: Profile, b: Profile) -> float:
        """The probability that the two wordings are one provision: 0 when their decisive words differ, when
        they share less than MIN_COSINE of their weighted concepts, or when one replaces a word of what the
        other names first (:func:`substitution`, looked at only for a pair the model would merge)."""
        return self.score_prepared(self.prepared(a), self.prepared(b), a, b)

    def passes_gate(self, a: Profile, b: Profile) -> bool:
        """Whether the model looks at the pair at all: the same decisive words, and at least ``min_cosine``
        of their weighted concepts in common."""
        return self._gate(self.prepared(a), self.prepared(b), a, b)

    def _gate(self, pa: _Prepared, pb: _Prepared, a: Profile, b: Profile) -> bool:
        if not agree(a, b) or not a.words or not b.words:
            return False
        return _stem_cosine(pa, pb) >= self.min_cosine

    def score_prepared(self, pa: Any, pb: Any, a: Profile, b: Profile) -> float:
        """:meth:`score` with the profiles' :meth:`prepared` data at hand (the walk prepares each once)."""
        if not agree(a, b) or not a.words or not b.words:
            return 0.0
        stems = _stem_cosine(pa, pb)
        if stems < self.min_cosine:
            return 0.0
        x = self._features(pa, pb, a, b, self._wanted, stems)
        if self.coef is None:
            p = x[0]
        else:
            z = self.intercept + sum(c * x[i] for c, i in zip(self.coef, self._index, strict=True))
            p = 1.0 / (1.0 + math.exp(-z))
        if self.veto and p >= self.threshold and (
                _minimal_pair(pa.first, pb.first, a.words, b.words, self.weight) or other_act(a, b)):
            return 0.0
        return p

    @property
    def _wanted(self) -> frozenset[str]:
        wanted = self.__dict__.get("_wanted_features")
        if wanted is None:
            wanted = self.__dict__["_wanted_features"] = frozenset(self.features if self.coef is not None else ())
        return wanted

    @property
    def _index(self) -> list[int]:
        index = self.__dict__.get("_feature_index")
        if index is None:
            index = self.__dict__["_feature_index"] = [FEATURES.index(name) for name in self.features]
        return index


#: Two different words sharing this many first letters are one word in other forms (`контроль` /
#: `~контролир`), not a substitution.
SAME_STEM = 5


#: A substituted word must weigh this much (`работа` / `заседания педагогического совета`: too common a word
#: to make another act or object; the weights of the pack run from 3 to 9).
SUBSTITUTION_WEIGHT = 4.0


def substitution(a: Profile, b: Profile, weight: Any = None) -> tuple[str, str] | None:
    """The words each wording's first-named item has that the other's lacks (what a clause names before the
    first `и` / `или` / comma after a noun), when the two items share at least half of the shorter one's
    words or none at all (`приказами директора` / `распоряжениями директора`): (words of a, words of b), or
    None. Adverbs and (given ``weight``, the word weights) very common words do not count.

    A different act or object splits a provision however much wording two clauses share
    (`ведет переговоры с покупателями` / `с поставщиками`, `контролирует` / `организует исполнение
    приказов`, `основы организации труда` / `основы экономики, организации труда и управления`); an addition
    does not (`ведет кассовую книгу` + `на основе приходных документов`), nor does a later item of a list
    (`налоги и страховые взносы` / `налоги и сборы`), nor another order of the words.
    Two forms of one word (:func:`_stems`: `контроль` / `~контролир`) are not a substitution.
    """
    return _substitution(first_item(a, weight), first_item(b, weight))


def first_item(p: Profile, weight: Any = None) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """(the words of what a wording names first, those of them that can make another act or object, all its
    words)."""
    head = p.words[: p.head]
    return frozenset(head), tuple(w for w in dict.fromkeys(head) if _telling(w, weight)), frozenset(p.words)


def _substitution(fa: tuple[frozenset[str], tuple[str, ...], frozenset[str]],
                  fb: tuple[frozenset[str], tuple[str, ...], frozenset[str]]) -> tuple[str, str] | None:
    (set_a, telling_a, all_a), (set_b, telling_b, all_b) = fa, fb
    # a word the other names later is no substitution (`растворы и реактивы` / `реактивы и растворы`)
    only_a = [w for w in telling_a if w not in all_b]
    if not only_a:
        return None
    only_b = [w for w in telling_b if w not in all_a]
    common = len(set_a & set_b)
    if not only_b or 0 < common * 2 < min(len(set_a), len(set_b)):
        return None  # an addition, or a paraphrase too far from a near miss (the pair model decides)
    rest_a, rest_b = set_a - set_b, set_b - set_a
    stems_b = {stem for w in rest_b for stem in _stems(w)}
    only_a = [w for w in only_a if stems_b.isdisjoint(_stems(w))]
    if not only_a:
        return None
    stems_a = {stem for w in rest_a for stem in _stems(w)}
    only_b = [w for w in only_b if stems_a.isdisjoint(_stems(w))]
    if not only_b:
        return None
    only_a = [w for w in only_a if not _compound_of(w, rest_b)]
    only_b = [w for w in only_b if not _compound_of(w, rest_a)]
    if not only_a or not only_b:
        return None
    return " ".join(only_a), " ".join(only_b)


#: A substituted thing splits a near miss when it weighs this share of each wording (`переговоры с
#: поставщиками муки` / `с покупателями муки`: a third); a lighter one is a detail the pair model weighs.
MINIMAL_SHARE = 0.3


def minimal_pair(a: Profile, b: Profile, weight: Any = None) -> tuple[str, str] | None:
    """A near miss: one word of the first-named item replaced by one other word, the rest of the two items the
    same, when the words are two acts (`ведет учет поступления муки` / `списания муки`, `организует
    инвентаризацию` / `участвует в инвентаризации`), or two things that weigh MINIMAL_SHARE of each wording
    and the only words that differ in the whole wordings (`ведет переговоры с поставщиками` / `с покупателями`,
    `устная` / `письменная речь`): two provisions whatever the pair model says. Any other substitution is left
    to the pair model (`счета пациентов` / `больных`)."""
    weight = weight or (lambda w: 1.0)
    return _minimal_pair(first_item(a, weight), first_item(b, weight), a.words, b.words, weight)


def _minimal_pair(fa: tuple[frozenset[str], tuple[str, ...], frozenset[str]],
                  fb: tuple[frozenset[str], tuple[str, ...], frozenset[str]],
                  words_a: Sequence[str], words_b: Sequence[str], weight: Any) -> tuple[str, str] | None:
    found = _substitution(fa, fb)
    if found is None or " " in found[0] or " " in found[1] or fa[0] - {found[0]} != fb[0] - {found[1]}:
        return None
    x, y = found
    if is_act(x) and is_act(y):
        return found
    if set(words_a) - {x} != set(words_b) - {y}:
        return None  # a thing replaced, and more words besides: the pair model decides
    share_a = weight(x) / (sum(weight(w) for w in set(words_a)) or 1.0)
    share_b = weight(y) / (sum(weight(w) for w in set(words_b)) or 1.0)
    return found if min(share_a, share_b) >= MINIMAL_SHARE else None


def other_act(a: Profile, b: Profile) -> str | None:
    """The act one wording does to the other's act (`контролирует соблюдение правил` / `соблюдает правила`,
    `организует проведение инвентаризации` / `проводит инвентаризацию`): supervising, organising or taking
    part in what the other does is another provision. None when there is none."""
    for x, y in ((a.words, b.words), (b.words, a.words)):
        if len(x) > 1 and is_act(x[0]) and x[0] not in y and is_act(y[0]) and _stem(x[1]) == _stem(y[0]):
            return x[0]
    return None


def _telling(word: str, weight: Any) -> bool:
    """Whether a word can make another act or object: not an adverb (`систематически` / `в установленные
    сроки` are qualifiers), not too common a word (SUBSTITUTION_WEIGHT)."""
    if weight is not None and weight(word) < SUBSTITUTION_WEIGHT and not word.startswith("="):
        return False  # a synonym class (`=клиент`) is frequent because it gathers words, never too common
    return not _is_adverb(word)


@lru_cache(maxsize=100_000)
def _is_adverb(word: str) -> bool:
    return word[:1] not in "~=" and parse(word).tag.POS in ("ADVB", "ADJS")


def _stem(word: str) -> str:
    """The first STEM letters of a concept (a synonym class stays whole)."""
    return word if word.startswith("=") else word.lstrip("~")[:STEM]


class _Prepared:
    """What :meth:`Scorer.prepared` keeps of a profile (computed once per profile)."""

    __slots__ = ("weighted", "norm", "total", "bigrams", "chars", "vector", "first", "stems", "stem_norm",
                 "head_stems", "acts", "unit", "unit_weight")

    def __init__(self, p: Profile, weight: Any, navec: Any) -> None:
        self.weighted = {w: weight(w) for w in p.words}
        self.norm = math.sqrt(sum(v * v for v in self.weighted.values())) or 1.0
        self.total = sum(self.weighted.values()) or 1.0
        self.bigrams = frozenset(zip(p.words, p.words[1:], strict=False))
        self.chars = frozenset(g for w in p.words for g in _grams(w.lstrip("~=")))
        self.vector = _mean_vector(navec, p.words, self.weighted) if navec is not None else None
        self.unit, self.unit_weight = _unit_vectors(navec, _content_lemmas(p.template), weight) if navec is not None \
            else (None, None)
        self.first = first_item(p, weight)
        self.stems = _stems_of(self.weighted, self.weighted)
        self.stem_norm = math.sqrt(sum(v * v for v in self.stems.values())) or 1.0
        self.head_stems = _stems_of(self.first[0], self.weighted)
        self.acts = frozenset(_stem(w) for w in p.words if is_act(w))


def _stems_of(words: Any, weighted: Mapping[str, float]) -> dict[str, float]:
    """Stem -> the weight of its heaviest word among ``words``."""
    out: dict[str, float] = {}
    for w in words:
        key = _stem(w)
        v = weighted[w]
        if v > out.get(key, 0.0):
            out[key] = v
    return out


def _cosine_of(sa: Mapping[str, float], sb: Mapping[str, float]) -> float:
    dot = sum(sa[k] * sb[k] for k in sa.keys() & sb.keys())
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(v * v for v in sa.values()) * sum(v * v for v in sb.values()))


def _contained(part: Mapping[str, float], whole: Mapping[str, float]) -> float:
    """The weighted share of ``part``'s stems that ``whole`` has too (what one wording names first, found in
    the other: `ведёт кассовую книгу` in `ведёт кассовую книгу на основании приходных ордеров`)."""
    total = sum(part.values())
    return sum(v for k, v in part.items() if k in whole) / total if total else 0.0


def _stem_cosine(pa: _Prepared, pb: _Prepared) -> float:
    """The weighted cosine of two prepared profiles' stems (each stem weighing as its heaviest word)."""
    sa, sb = pa.stems, pb.stems
    return sum(sa[k] * sb[k] for k in sa.keys() & sb.keys()) / (pa.stem_norm * pb.stem_norm)


def _compound_of(word: str, others: Any) -> bool:
    """Whether one word ends with the other (`электросчетчик` / `счетчик`, `электрооборудование` /
    `оборудование`): a compound names the same thing."""
    word = word.lstrip("~=")
    if len(word) < 4:
        return False
    for other in others:
        other = other.lstrip("~=")
        if len(other) >= 4 and (word.endswith(other) or other.endswith(word)):
            return True
    return False


@lru_cache(maxsize=100_000)
def _stems(word: str) -> frozenset[str]:
    """What two forms of one word share: the first SAME_STEM letters of each part of it (`контроль` /
    `~контролир`, `врач` / `врач-педиатр`, `материальный` / `товарно-материальный`)."""
    return frozenset(part[:SAME_STEM] for part in word.lstrip("~=").split("-") if part)


def _grams(word: str, n: int = 4) -> list[str]:
    padded = f" {word} "
    return [padded[i: i + n] for i in range(max(1, len(padded) - n + 1))]


def _content_lemmas(template: str) -> tuple[str, ...]:
    """The content words of a wording's template as lemmas (navec's words; slots, function and light words out).
    Only a pack that reads navec asks for them, so a profile does not keep them."""
    stop = stopwords()
    out = (word_lemma(w) for w in words(template) if w.isalpha() and len(w) > 2)
    return tuple(w for w in out if w not in stop and w not in LIGHT_VERBS)


def _unit_vectors(navec: Any, lemmas: Sequence[str], weight: Any) -> tuple[Any, Any]:
    """navec's unit vectors of a wording's content lemmas (those navec knows, each once) and their weights (the
    weight of the lemma's concept), or (None, None)."""
    import numpy as np

    known = [w for w in dict.fromkeys(lemmas) if _navec_unit(navec, w) is not None]
    if not known:
        return None, None
    return (np.stack([_navec_unit(navec, w) for w in known]),
            np.array([weight(concept(w)) for w in known], dtype=np.float32))


_UNITS: dict[str, Any] = {}


def _navec_unit(navec: Any, word: str) -> Any:
    """navec's vector of a word scaled to length 1 (None for a word it does not know); cached per word."""
    if word not in _UNITS:
        import numpy as np

        vector = navec.get(word)
        norm = float(np.linalg.norm(vector)) if vector is not None else 0.0
        _UNITS[word] = vector / norm if norm else None
    return _UNITS[word]


def _soft(pa: _Prepared, pb: _Prepared) -> tuple[float, float]:
    """The soft alignment of two wordings' words: each word's best cosine with the other wording's words (navec),
    averaged with the words' weights, in each direction; (mean of the two, the smaller). `подметает территорию`
    / `убирает двор` share no word but align."""
    if pa.unit is None or pb.unit is None:
        return 0.0, 0.0
    m = pa.unit @ pb.unit.T
    a = float(m.max(axis=1) @ pa.unit_weight / pa.unit_weight.sum())
    b = float(m.max(axis=0) @ pb.unit_weight / pb.unit_weight.sum())
    return (a + b) / 2, min(a, b)


def _mean_vector(navec: Any, words: Sequence[str], weighted: Mapping[str, float]) -> Any:
    import numpy as np

    total = np.zeros(300, dtype=np.float32)
    for w in words:
        key = w.lstrip("~")
        if key in navec:
            total += weighted[w] * navec[key]
    n = float(np.linalg.norm(total))
    return total / n if n else None


def models_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "models"


_SCORERS: dict[str, Scorer] = {}


def load(pack: str | Path | None = DEFAULT_PACK) -> Scorer:
    """The scorer of a pack under ``models/`` (by name or path); ``None`` or a missing default pack: the
    plain weighted cosine. Loaded once per process."""
    if pack is None:
        return _SCORERS.setdefault("", Scorer())
    key = str(pack)
    if key in _SCORERS:
        return _SCORERS[key]
    folder = Path(pack) if Path(pack).is_dir() else models_dir() / str(pack)
    if not (folder / "meta.json").is_file():
        if pack == DEFAULT_PACK:
            return _SCORERS.setdefault(key, Scorer())
        raise FileNotFoundError(f"{folder}: no catalogue pair model pack (meta.json) there")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    model = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    weights = read_weights(folder / "idf.tsv")
    navec = load_navec() if NAVEC_FEATURES.intersection(model["features"]) else None
    scorer = Scorer(weights=weights, default_weight=max(weights.values(), default=1.0), coef=model["coef"],
                    intercept=model["intercept"], threshold=model["threshold"],
                    type_threshold=model.get("type_threshold"), features=model["features"],
                    navec=navec, name=f"{meta['name']}-{meta['version']}", veto=model.get("veto", True),
                    min_cosine=model.get("min_cosine", MIN_COSINE))
    _SCORERS[key] = scorer
    return scorer


def read_weights(path: Path) -> dict[str, float]:
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, value = line.split("\t")[:2]
            out[word] = float(value)
    return out


@lru_cache(maxsize=1)
def load_navec() -> Any:
    """natasha's navec news embedding (250k words, 300 dimensions), shipped inside the natasha package."""
    import natasha
    from navec import Navec

    return Navec.load(str(Path(natasha.__file__).parent / "data" / "emb" / "navec_news_v1_1B_250K_300d_100q.tar"))
