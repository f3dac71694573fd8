"""Write ``clauses.jsonl``: labelled clauses for training the clause classifier.

    python corpora/training/generate.py      (deterministic: a fixed seed, sorted inputs)

Every line: ``{"text", "label", "section_type", "lead_in", "group", "kind"}``. ``group`` names
the phrase a clause was made from, so cross-validation can keep all variants of one phrase in
one fold; ``kind`` names the template family (for reading the data, not for training).

The clauses come from ``vocab.py`` (phrases written for the project) put into the shapes job
descriptions use — numbered items under section headings, items under lead-ins, sentences of
unnumbered prose, run-in directory entries — with the hard cases of LABELS.md on purpose:
clauses whose own words contradict their section, bare noun phrases whose label depends on the
lead-in, clauses with no section at all. ``handwritten.tsv`` (label, section type, lead-in, text;
``#`` starts a comment) is added as it is.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import informal  # noqa: E402
import vocab  # noqa: E402

SEED = 20261126
OUT = HERE / "clauses.jsonl"
HANDWRITTEN = HERE / "handwritten.tsv"

PUNCT = [".", ".", ";", ";", "", ","]

#: Headings a formal instruction gives each section type (what the structure stage reports as its title).
FORMAL_TITLES = {
    "general": ["Общие положения", "ОБЩИЕ ПОЛОЖЕНИЯ", "Общая часть"],
    "duties": ["Должностные обязанности", "ДОЛЖНОСТНЫЕ ОБЯЗАННОСТИ", "Функциональные обязанности", "Обязанности"],
    "rights": ["Права", "ПРАВА", "Права работника"],
    "liability": ["Ответственность", "ОТВЕТСТВЕННОСТЬ"],
    "requirements": ["Квалификационные требования", "Требования к квалификации"],
    "knowledge": ["Должен знать", "Необходимые знания"],
    "conditions": ["Условия работы", "Режим работы"],
    "relations": ["Взаимоотношения (связи по должности)", "Взаимодействие"],
    "other": ["Заключительные положения", "Оценка работы", "Показатели эффективности"],
}


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Maker:
    def __init__(self, rng: random.Random, position: tuple[str, str, str, str]):
        self.rng = rng
        self.nom, self.gen, self.dat, self.domain = position
        self.rows: list[dict[str, str]] = []

    def fill(self, template: str) -> str:
        return template.format(
            nom=self.nom, Nom=cap(self.nom), gen=self.gen, dat=self.dat, Dat=cap(self.dat),
            boss_gen=self.rng.choice(vocab.BOSSES_GEN), boss_dat=self.rng.choice(vocab.BOSSES_DAT),
        )

    def lead(self, kind: str) -> str:
        return self.fill(self.rng.choice(vocab.LEAD_INS[kind]))

    def item(self, text: str, upper: bool | None = None) -> str:
        """An item as a list writes it: capitalised sentence or lower-case list entry, with its punctuation."""
        if upper is None:
            upper = self.rng.random() < 0.6
        punct = self.rng.choice(PUNCT)
        return (cap(text) if upper else text) + punct

    def add(self, text: str, label: str, section: str, lead_in: str, group: str, kind: str) -> None:
        title = self.rng.choice(FORMAL_TITLES[section]) if section else ""
        self.rows.append({"text": text, "label": label, "section_type": section, "section_title": title,
                          "lead_in": lead_in, "section": "", "group": group, "kind": kind})

    def section(self, usual: str, p_none: float = 0.2, others: tuple[str, ...] = ()) -> str:
        draw = self.rng.random()
        if draw < p_none:
            return ""
        if others and draw < p_none + 0.1:
            return self.rng.choice(others)
        return usual

    # --- the families -------------------------------------------------------------------------

    def duties(self) -> None:
        pool = vocab.DUTIES[self.domain]
        chosen = self.rng.sample(pool, min(6, len(pool))) + self.rng.sample(vocab.COMMON_DUTIES, 2)
        for v3, inf, nom in chosen:
            group = "duty:" + v3
            self.add(self.item(v3, upper=self.rng.random() < 0.8), "duty",
                     self.section("duties", 0.25, ("general", "other")),
                     self.lead("neutral") if self.rng.random() < 0.2 else "", group, "verb3")
            if self.rng.random() < 0.4:
                self.add(cap(self.nom) + " " + v3 + ".", "duty", self.section("duties", 0.6), "", group,
                         "prose-verb3")
            if self.rng.random() < 0.45:
                self.add(self.item(inf), "duty", self.section("duties", 0.3), self.lead("duty"), group, "inf-duty")
            if self.rng.random() < 0.45:
                lead = self.lead("duty") if self.rng.random() < 0.5 else ""
                section = "duties" if not lead or self.rng.random() < 0.7 else ""
                self.add(self.item(nom), "duty", section, lead, group, "nominal-duty")

    def rights(self) -> None:
        for inf in self.rng.sample(vocab.RIGHTS, 5):
            group = "right:" + inf
            self.add(self.item(inf), "right", self.section("rights", 0.15), self.lead("right")
                     if self.rng.random() < 0.5 else "", group, "inf-right")
            draw = self.rng.random()
            if draw < 0.25:
                self.add(f"{cap(self.nom)} имеет право {inf}.", "right",
                         self.section("rights", 0.4, ("duties", "general")), "", group, "has-right")
            elif draw < 0.4:
                self.add(f"{cap(self.nom)} вправе {inf}.", "right", self.section("duties", 0.5, ("general",)), "",
                         group, "may-right")

    def liabilities(self) -> None:
        for acc, nom in self.rng.sample(vocab.LIABILITIES, 4):
            group = "liability:" + nom
            limit = self.rng.choice(vocab.LIABILITY_LIMITS)
            self.add(self.item("за " + acc + limit), "liability", self.section("liability", 0.3), "", group,
                     "za-liability")
            if self.rng.random() < 0.5:
                self.add(self.item(nom + limit), "liability", self.section("liability", 0.2),
                         self.lead("liability"), group, "np-liability")
            if self.rng.random() < 0.3:
                self.add(f"{cap(self.nom)} несет ответственность за {acc}{limit}.", "liability",
                         self.section("duties", 0.4, ("general", "rights")), "", group, "bears-liability")

    def knowledge(self) -> None:
        pool = vocab.KNOWLEDGE["common"] + vocab.KNOWLEDGE.get(self.domain, [])
        for item in self.rng.sample(pool, 5):
            group = "knowledge:" + item
            self.add(self.item(item), "requirement", self.section("knowledge", 0.3, ("general", "requirements")),
                     self.lead("knowledge"), group, "knowledge-item")
            draw = self.rng.random()
            if draw < 0.2:
                self.add(f"{cap(self.nom)} должен знать {item}.", "requirement",
                         self.section("general", 0.4, ("duties",)), "", group, "must-know")
            elif draw < 0.4:
                self.add(self.item(item, upper=True), "requirement", self.rng.choice(["knowledge", "requirements"]),
                         "", group, "knowledge-bare")

    def requirements(self) -> None:
        for item in self.rng.sample(vocab.EDUCATION, 4):
            group = "requirement:" + item
            self.add(self.item(item, upper=True), "requirement", self.section("requirements", 0.35, ("general",)),
                     "", group, "requirement")
            if self.rng.random() < 0.4:
                self.add(self.item(item, upper=False), "requirement", self.section("requirements", 0.4),
                         self.lead("requirements"), group, "requirement-item")
        if self.rng.random() < 0.6:
            edu = self.rng.choice(vocab.EDUCATION[:9])
            self.add(f"На должность {self.gen} назначается лицо, имеющее {edu}.", "requirement",
                     self.section("general", 0.3, ("requirements",)), "", "requirement:appointed-person", "appointed")
        for skill in self.rng.sample(vocab.SKILLS, 2):
            self.add(self.item(skill), "requirement", self.section("knowledge", 0.5, ("requirements",)),
                     self.lead("skills"), "skill:" + skill, "skill")

    def guided(self) -> None:
        lead = self.lead("guided")
        for item in self.rng.sample(vocab.GUIDED_BY, 3):
            self.add(self.item(item, upper=False), "other", self.section("general", 0.3), lead,
                     "guided:" + item, "guided")
        if self.rng.random() < 0.3:  # rules of conduct under «руководствуется»: what to do, a duty
            rules_lead = self.fill(self.rng.choice(["{Nom} должен руководствоваться следующими правилами:",
                                                    "В работе {nom} руководствуется правилами:"]))
            for _, inf, _ in self.rng.sample(vocab.COMMON_DUTIES, 2):
                self.add(self.item(inf, upper=False), "duty", self.section("general", 0.4, ("duties",)), rules_lead,
                         "guided-rule:" + inf, "guided-rule")
        nom = self.rng.choice(vocab.GUIDED_BY_NOM)
        self.add(self.item(nom, upper=False), "other", self.section("general", 0.3), lead, "guided:" + nom,
                 "guided-nom")
        if self.rng.random() < 0.5:
            self.add(self.item(nom, upper=False), "requirement", self.section("knowledge", 0.3),
                     self.lead("knowledge"), "guided:" + nom, "known-nom")

    def others(self) -> None:
        for template in self.rng.sample(vocab.OTHER_GENERAL, 5):
            self.add(self.fill(template) + self.rng.choice([".", ".", ";", ""]), "other",
                     self.section("general", 0.35, ("duties", "other")), "", "other:" + template, "other")
        for template in self.rng.sample(vocab.CONDITIONS, 2):
            self.add(self.fill(template) + ".", "other", self.section("conditions", 0.3, ("rights", "general")),
                     "", "condition:" + template, "condition")
        for template in self.rng.sample(vocab.RELATIONS_VERBS, 2):
            self.add(self.item(self.fill(template), upper=True), "other", "relations", "", "relation:" + template,
                     "relation")

    def harder(self) -> None:
        """Shapes where the rules alone are weak: the model must learn them from words."""
        lead = self.lead_from(vocab.PARTICIPATION_LEADS)
        for item in self.rng.sample(vocab.PARTICIPATION, 2):
            self.add(self.item(item, upper=False), "duty", self.section("duties", 0.5),
                     lead if self.rng.random() < 0.7 else "", "participation:" + item, "participation")
        for item in self.rng.sample(vocab.KNOWLEDGE_EXTRA, 3):
            draw = self.rng.random()
            lead = self.lead("knowledge") if draw < 0.4 else ""
            section = "" if draw > 0.7 else self.rng.choice(["knowledge", "requirements", ""])
            self.add(self.item(item), "requirement", section, lead, "knowledge:" + item, "knowledge-extra")
        for item in self.rng.sample(vocab.LIABILITY_BARE, 2):
            self.add(self.item(item, upper=True), "liability", self.section("liability", 0.5), "",
                     "liability-bare:" + item, "liability-bare")
        v3, _, nom = self.rng.choice(vocab.DUTIES[self.domain])
        self.add(self.item(nom, upper=True), "duty", "", "", "duty:" + v3, "nominal-bare")
        template = self.rng.choice(vocab.RELATIONS_COLON)
        self.add(self.fill(template) + ".", "other", self.section("relations", 0.4), "", "relation:" + template,
                 "relation-colon")
        lead = self.lead_from(vocab.CONDITION_LEADS)
        for item in self.rng.sample(vocab.CONDITION_ITEMS, 2):
            self.add(self.item(item), "other", self.section("conditions", 0.2 if lead else 0.0), lead,
                     "condition-item:" + item, "condition-item")
        template = self.rng.choice(vocab.CONDITION_VERBS)
        self.add(self.fill(template) + ".", "other", self.section("conditions", 0.5, ("general",)), "",
                 "condition:" + template, "condition-verb")

    def lead_from(self, templates: list[str]) -> str:
        return self.fill(self.rng.choice(templates))

    def make(self) -> list[dict[str, str]]:
        for family in (self.duties, self.rights, self.liabilities, self.knowledge, self.requirements,
                       self.guided, self.others, self.harder):
            family()
        return self.rows


class Memo:
    """A company memo or standard for one position, in «ты» or «вы»: sections under headings, most of which
    the structure stage does not know, with the clauses of each section written in the registers of
    ``informal.py``. All rows of a memo share its group (cross-validation holds out whole memos) and each
    section its name (the content of a section votes on its type)."""

    def __init__(self, rng: random.Random, position: tuple[str, str, str, str], register: str):
        self.rng = rng
        self.nom, self.gen, self.dat, self.domain = position
        self.register = register
        self.group = f"memo:{self.nom}"
        self.rows: list[dict[str, str]] = []
        self.sections = 0

    def fill(self, template: str) -> str:
        return template.format(nom=self.nom, gen=self.gen, dat=self.dat)

    def heading(self, kind: str) -> tuple[str, str]:
        other = ("ваш", "вы ", "вам") if self.register == "ty" else ("тво", "ты ", "тебе")
        pool = [h for h in informal.HEADINGS[kind] if not any(w in h[0].lower() + " " for w in other)]
        title, section_type = self.rng.choice(pool or informal.HEADINGS[kind])
        if title and self.rng.random() < 0.25:
            title = title.upper()
        return title, section_type

    def section(self, kind: str, items: list[tuple[str, str]], lead_in: str = "",
                heading: tuple[str, str] | None = None) -> None:
        self.sections += 1
        title, section_type = heading or self.heading(kind)
        end = self.rng.choice([".", ".", ";", ""])
        for text, label in items:
            text = text if text.endswith((".", "!", "?")) or not end else text + end
            self.rows.append({"text": cap(text) if not lead_in or self.rng.random() < 0.5 else text,
                              "label": label, "section_type": section_type, "section_title": title,
                              "lead_in": lead_in, "section": f"{self.group}:{self.sections}", "group": self.group,
                              "kind": "memo-" + kind})

    def pick(self, pool: list, low: int, high: int) -> list:
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    def duty_phrases(self) -> list[tuple[str, str, str]]:
        pool = vocab.DUTIES[self.domain] + vocab.COMMON_DUTIES
        return self.pick(pool, 5, 9)

    def duty_text(self, v3: str, inf: str) -> str:
        form = self.rng.choice(informal.DUTY_FORMS[self.register])
        plural = self.register == "vy"
        impr = inflect_verbs(inf, {"impr", "plur" if plural else "sing"})
        you = inflect_verbs(v3, {"2per", "plur" if plural else "sing"})
        if impr is None or you is None:
            form = "Нужно {inf}" if self.register == "ty" else "Необходимо {inf}"
        return form.format(impr=cap(impr or ""), impr_low=impr or "", you=you or "", inf=inf)

    def make(self) -> list[dict[str, str]]:
        rng, ty = self.rng, self.register == "ty"
        if rng.random() < 0.7:
            items = [(self.fill(t), "other") for t in self.pick(informal.ABOUT, 2, 3)]
            if rng.random() < 0.3:  # a term explained among other provisions: still other
                items += [(t, "other") for t in self.pick(informal.GLOSSARY, 1, 2)]
            self.section("about", items)
        if rng.random() < 0.4:
            self.section("glossary", [(t, "other") for t in self.pick(informal.GLOSSARY, 3, 5)])
        if rng.random() < 0.8:
            self.section("requirement", [(self.fill(t), "requirement")
                                         for t in self.pick(informal.REQUIREMENTS, 3, 6)])
        phrases = self.duty_phrases()
        if rng.random() < 0.4:  # a day in phases, each under its own heading
            cut = sorted(rng.sample(range(1, len(phrases)), 2))
            parts = [phrases[:cut[0]], phrases[cut[0]:cut[1]], phrases[cut[1]:]]
            phases = [self.heading("duty_phase") for _ in range(3)]
            for part, heading in zip(parts, phases, strict=True):
                self.section("duty", [(self.duty_text(v3, inf), "duty") for v3, inf, _ in part], heading=heading)
        elif rng.random() < 0.3:  # a nominal checklist, or a table of tasks
            if rng.random() < 0.5:
                self.section("duty", [(nom, "duty") for _, _, nom in phrases])
            else:
                self.section("task_table", [(f"{cap(nom)} | {rng.choice(informal.TASK_WHEN)}", "duty")
                                            for _, _, nom in phrases])
        elif rng.random() < 0.3:  # items under a lead-in («Каждую смену ты:»)
            lead = rng.choice(["Каждую смену ты:", "На смене ты:", "Ты отвечаешь за:"] if ty else
                              ["В ваши обязанности входит:", "Каждую смену вы:", "Вы обязаны:"])
            verb = "2per" if lead.endswith(("ты:", "вы:")) else None
            items = []
            for v3, inf, nom in phrases:
                text = inflect_verbs(v3, {"2per", "sing" if ty else "plur"}) if verb else (
                    nom if "отвечаешь" in lead else inf)
                items.append(((text or inf), "duty"))
            self.section("duty", items, lead_in=lead)
        else:
            self.section("duty", [(self.duty_text(v3, inf), "duty") for v3, inf, _ in phrases])
        if rng.random() < 0.4:  # how things happen around the employee, said of others: other
            self.rows[-1:] = self.rows[-1:] + [dict(self.rows[-1], text=t, label="other")
                                               for t in self.pick(informal.PROCESS_OTHER, 1, 2)]
        if rng.random() < 0.35:
            items = [(t, "duty") for t in self.pick(informal.PROCEDURE_DUTY, 3, 5)]
            items += [(t, "other") for t in self.pick(informal.PROCEDURE_OTHER, 0, 1)]
            items += [(t, "right") for t in self.pick(informal.PROCEDURE_RIGHT, 0, 1)]
            rng.shuffle(items)
            self.section("procedure", items)
        if rng.random() < 0.25:
            self.section("results", [(t, "duty") for t in self.pick(informal.RESULTS, 3, 4)],
                         lead_in=rng.choice(informal.RESULT_LEADS))
        if rng.random() < 0.5:
            self.section("values", [(t, "duty") for t in self.pick(informal.VALUES, 3, 5)])
        elif rng.random() < 0.4:  # qualities asked of everyone in requirement words
            self.section("values_required", [(t, "requirement") for t in self.pick(informal.QUALITIES, 3, 5)],
                         lead_in=rng.choice(informal.QUALITY_LEADS))
        if rng.random() < 0.5:
            self.section("dress", [(t, "duty") for t in self.pick(informal.DRESS, 3, 4)])
        elif rng.random() < 0.4:  # under a heading that calls them requirements
            self.section("dress_required", [(t, "requirement")
                                            for t in self.pick(informal.APPEARANCE_REQUIRED, 3, 5)])
        if rng.random() < 0.3:
            self.section("rules", [(t, "duty") for t in self.pick(informal.RULES_PASSIVE, 3, 4)])
        if rng.random() < 0.8:
            items = self.pick(informal.PROHIBITIONS, 3, 5)
            draw = rng.random()
            if draw < 0.2:
                self.section("prohibition", [(t, "duty") for t in self.pick(informal.PROHIBITIONS_NOMINAL, 3, 5)])
            elif draw < 0.45:
                lead = rng.choice(["На смене запрещено:", "Нельзя:", "Запрещается:", "Ни в коем случае не:"])
                self.section("prohibition", [(inf, "duty") for inf in items], lead_in=lead)
            else:
                self.section("prohibition", [(self.form(informal.PROHIBITION_FORMS, inf), "duty") for inf in items])
        if rng.random() < 0.9:
            items = [(self.form(informal.RIGHT_FORMS, inf), "right") for inf in self.pick(informal.RIGHTS, 3, 5)]
            if rng.random() < 0.4:
                items += [(t, "right") for t in self.pick(informal.BENEFITS, 1, 3)]
            if rng.random() < 0.4:
                for benefit in self.pick(informal.BENEFITS, 1, 2):
                    form = rng.choice(informal.BENEFIT_FORMS[self.register])
                    low = benefit[:1].lower() + benefit[1:]
                    items.append((form.format(acc=accusative(benefit), low=low), "right"))
            if rng.random() < 0.3:  # the employer's own statement stays a working condition under any heading
                items += [(t, "other") for t in self.pick(informal.CONDITIONS[:3], 1, 1)]
            if rng.random() < 0.3:
                lead = "Ты можешь:" if ty else rng.choice(["Вы можете:", "Вы имеете право:"])
                items = [(inf, "right") for inf in self.pick(informal.RIGHTS, 3, 5)]
                self.section("right", items, lead_in=lead)
            else:
                self.section("right", items)
        if rng.random() < 0.8:
            pool = [t for t in informal.CONDITIONS if ("Вы " not in t if ty else "ты " not in t.lower())]
            self.section("condition", [(t, "other") for t in self.pick(pool, 3, 5)])
        if rng.random() < 0.3:
            self.section("kpi", [(t, "other") for t in self.pick(informal.KPI, 2, 4)])
        if rng.random() < 0.7:
            items = []
            for fault in self.pick(informal.FAULTS, 3, 5):
                form = rng.choice(informal.FINE_FORMS)
                sanction = rng.choice(informal.SANCTIONS)
                items.append((form.format(fault=fault, fault_low=accusative(fault), sanction=sanction,
                                          Sanction=cap(sanction)), "liability"))
            if rng.random() < 0.4:
                items += [(t, "liability") for t in self.pick(informal.LIABILITY_SENTENCES, 1, 2)]
            self.section("fine", items)
        if ty and rng.random() < 0.3:
            lead = rng.choice(["", "", "Уволим, если ты:"])
            self.section("dismissal_if", [(t, "liability") for t in self.pick(informal.DISMISSAL_IF, 2, 4)],
                         lead_in=lead)
        elif rng.random() < 0.5:
            forms = informal.DISMISSAL_FORMS[self.register]
            self.section("dismissal", [(rng.choice(forms).format(ground=g, ground_low=accusative(g)), "liability")
                                       for g in self.pick(informal.DISMISSAL, 2, 4)])
        return self.rows

    def profile(self) -> list[dict[str, str]]:
        """A position's profile as a table of label | value rows: the label is each value's lead-in."""
        title, section_type = self.heading("profile")
        self.sections += 1
        for label, values in self.rng.sample(informal.PROFILE_ROWS, self.rng.randint(5, 8)):
            for value, kind in self.rng.sample(values, self.rng.randint(1, len(values))):
                self.rows.append({"text": value, "label": kind, "section_type": section_type, "section_title": title,
                                  "lead_in": label, "section": f"{self.group}:{self.sections}", "group": self.group,
                                  "kind": "memo-profile"})
        return self.rows

    def form(self, forms: dict[str, list[str]], inf: str) -> str:
        form = self.rng.choice(forms[self.register])
        impr = inflect_verbs(inf, {"impr", "plur" if self.register == "vy" else "sing"}) or inf
        return form.format(inf=inf, Inf=cap(inf), impr_low=impr)


def _parse(word: str):
    from pipeline.text import morph

    return morph().parse(word)


def inflect_verbs(phrase: str, grammemes: set[str]) -> str | None:
    """The verbs that open a phrase (before its first noun) in another form: ``принимать и регистрировать
    заявки`` -> ``принимай и регистрируй заявки``; None when no verb could be inflected."""
    words = phrase.split(" ")
    changed = False
    for i, word in enumerate(words):
        parses = [p for p in _parse(word) if {"INFN", "VERB"} & set(p.tag.grammemes)]
        if not parses:
            if {"NOUN", "ADJF", "PRTF", "NPRO"} & set(_parse(word)[0].tag.grammemes) and i > 0:
                break
            continue
        form = parses[0].inflect(grammemes | ({"pres"} if "2per" in grammemes else set()))
        if form is None:
            form = parses[0].inflect(grammemes)
        if form is None:
            return None
        words[i] = form.word
        changed = True
    return " ".join(words) if changed else None


def accusative(phrase: str) -> str:
    """``Недостача в кассе`` -> ``недостачу в кассе``: the words up to the first noun in the accusative case."""
    words = phrase.split(" ")
    for i, word in enumerate(words):
        parse = _parse(word.lower())[0]
        if parse.tag.POS in ("NOUN", "ADJF", "NUMR") and "nomn" in parse.tag:
            form = parse.inflect({"accs"})
            if form is not None:
                words[i] = form.word
        if parse.tag.POS == "NOUN":
            break
    return " ".join(words)[:1].lower() + " ".join(words)[1:]


def handwritten() -> list[dict[str, str]]:
    rows = []
    for n, line in enumerate(HANDWRITTEN.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        label, section, lead_in, text = line.split("\t")
        rows.append({"text": text, "label": label, "section_type": section, "section_title": "",
                     "lead_in": lead_in, "section": "", "group": f"hand:{n}", "kind": "handwritten"})
    return rows


def generate(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for position in vocab.POSITIONS:
        rows.extend(Maker(rng, position).make())
    rows.extend(handwritten())
    memos = random.Random(seed + 1)
    for position in vocab.POSITIONS:
        rows.extend(Memo(memos, position, memos.choice(["ty", "ty", "vy"])).make())
    for position in memos.sample(vocab.POSITIONS, len(vocab.POSITIONS) // 2):
        memo = Memo(memos, position, "vy")
        memo.group = f"profile:{memo.nom}"
        rows.extend(memo.profile())
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for row in rows:
        key = (row["text"], row["section_type"], row["lead_in"], row["section_title"])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def main() -> None:
    rows = generate()
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["label"]] = counts.get(row["label"], 0) + 1
    print(f"{OUT.name}: {len(rows)} clauses", dict(sorted(counts.items())))


if __name__ == "__main__":
    main()
