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

import vocab  # noqa: E402

SEED = 20261126
OUT = HERE / "clauses.jsonl"
HANDWRITTEN = HERE / "handwritten.tsv"

PUNCT = [".", ".", ";", ";", "", ","]


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
        self.rows.append({"text": text, "label": label, "section_type": section, "lead_in": lead_in,
                          "group": group, "kind": kind})

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


def handwritten() -> list[dict[str, str]]:
    rows = []
    for n, line in enumerate(HANDWRITTEN.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        label, section, lead_in, text = line.split("\t")
        rows.append({"text": text, "label": label, "section_type": section, "lead_in": lead_in,
                     "group": f"hand:{n}", "kind": "handwritten"})
    return rows


def generate(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for position in vocab.POSITIONS:
        rows.extend(Maker(rng, position).make())
    rows.extend(handwritten())
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for row in rows:
        key = (row["text"], row["section_type"], row["lead_in"])
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
