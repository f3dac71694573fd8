"""A seeded generator of realistic job descriptions for the benchmark (same seed, same bytes).

The material is the project's own: the positions and clause texts of the gold files in
``corpora/samples/`` and, when present, the training clauses and positions of ``corpora/training/``
(never ``../shared/eval``). Each document is one instruction (approval block, title, four or five
sections) written in one of several layouts and formats:

- ``.txt`` in UTF-8, cp1251 or KOI8-R (KOI8-R has no «» or dashes: they become ASCII, as in real files);
  layouts: ``1.`` / ``1.1.`` numbers, Roman sections with numbers restarting, CAPS headings with
  bullets under a lead-in, Word's tab after the number;
- ``.docx`` whose numbers are Word's automatic numbering (``numbering.xml``), not typed text;
- ``.html`` with ``h1``/``h2`` headings and ``<ol>`` lists.

    .venv/bin/python bench/corpus.py OUT_DIR --size 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import random
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape as html_escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
TRAINING = ROOT / "corpora" / "training"

#: Bumped whenever the bytes for a given seed change, so a cached corpus is regenerated.
VERSION = 1

LABELS = ("duty", "right", "liability", "requirement", "other")

# (format, encoding, weight): the mix of a collection found on a file share.
FORMATS = (
    ("txt", "utf-8", 3),
    ("txt", "cp1251", 2),
    ("txt", "koi8-r", 1),
    ("docx", "", 4),
    ("html", "utf-8", 1),
)

# Section order of the classic instruction; the first clauses of "general" are the "other" and
# "requirement" ones (subordination, appointment, education), as in the samples.
SECTIONS = (
    ("general", ("Общие положения", "ОБЩИЕ ПОЛОЖЕНИЯ"), ("other", "requirement"), (3, 8)),
    ("duties", ("Должностные обязанности", "ДОЛЖНОСТНЫЕ ОБЯЗАННОСТИ"), ("duty",), (5, 18)),
    ("rights", ("Права", "ПРАВА"), ("right",), (3, 7)),
    ("liability", ("Ответственность", "ОТВЕТСТВЕННОСТЬ"), ("liability",), (2, 5)),
    ("requirements", ("Требования к квалификации", "ТРЕБОВАНИЯ К КВАЛИФИКАЦИИ"), ("requirement",), (2, 5)),
)

LEAD_INS = {
    "duties": "{nom} обязан:",
    "rights": "{nom} имеет право:",
    "liability": "{nom} несет ответственность:",
    "requirements": "{nom} должен знать:",
}

ROMAN = ("I", "II", "III", "IV", "V", "VI")

ORGS = ("ООО «Северный ветер»", "АО «Технопарк»", "ГБУ «Городская служба»", "ООО «Альфа-Сервис»",
        "МУП «Водоканал»", "ЗАО «Промснаб»")
BOSSES = ("Генеральный директор", "Директор", "Главный врач", "Заведующий", "Начальник управления")

# KOI8-R cannot encode typographic quotes and dashes; files written in it use ASCII instead.
KOI8_ASCII = str.maketrans({"«": '"', "»": '"', "—": "-", "–": "-", "№": "N", "…": "...", "“": '"', "”": '"'})


@dataclass(frozen=True)
class Material:
    positions: tuple[tuple[str, str], ...]  # (nominative, genitive)
    clauses: dict[str, tuple[str, ...]]  # label -> clause texts


@dataclass(frozen=True)
class Section:
    type: str
    title: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """One instruction before it is written in a format: what it says, not how it looks."""

    position: str
    genitive: str
    org: str
    boss: str
    sections: tuple[Section, ...]

    @property
    def n_clauses(self) -> int:
        return sum(len(s.clauses) for s in self.sections)


# ---------------------------------------------------------------------------------------------
# Material
# ---------------------------------------------------------------------------------------------


def _gold_records(folder: Path) -> list[dict]:
    out = []
    for path in sorted(folder.glob("*.gold.jsonl")):
        out += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _training_vocab(folder: Path):
    path = folder / "vocab.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("_bench_training_vocab", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _usable(text: str) -> bool:
    # Training shapes that only read right under a lead-in (lower-case infinitives, bare nouns) are left out:
    # every generated clause must read as a sentence of its own.
    return 12 <= len(text) <= 400 and text[:1].isupper() and "\n" not in text


@lru_cache(maxsize=2)
def load_material(root: Path = ROOT) -> Material:
    clauses: dict[str, set[str]] = {label: set() for label in LABELS}
    positions: dict[str, str] = {}
    for rec in _gold_records(root / "corpora" / "samples"):
        if rec.get("type") == "clause" and rec.get("instruction") and rec.get("label") in clauses:
            if _usable(rec["text"]):
                clauses[rec["label"]].add(rec["text"])
        elif rec.get("type") == "instruction" and rec.get("position"):
            positions.setdefault(rec["position"], "")
    training = root / "corpora" / "training" / "clauses.jsonl"
    if training.exists():
        for line in training.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("label") in clauses and _usable(rec["text"]):
                clauses[rec["label"]].add(rec["text"])
    vocab = _training_vocab(root / "corpora" / "training")
    if vocab is not None:
        for nom, gen, *_ in vocab.POSITIONS:
            positions[nom] = gen
    # A gold position without a known genitive is written as «должностная инструкция: <nom>».
    pos = tuple(sorted(positions.items()))
    return Material(positions=pos, clauses={k: tuple(sorted(v)) for k, v in clauses.items()})


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


def plan_document(rng: random.Random, material: Material) -> Plan:
    nom, gen = rng.choice(material.positions)
    sections = []
    for stype, titles, labels, (low, high) in SECTIONS:
        if stype == "requirements" and rng.random() < 0.4:
            continue
        pool = [t for label in labels for t in material.clauses[label]]
        picked = rng.sample(pool, min(len(pool), rng.randint(low, high)))
        sections.append(Section(stype, titles[0], tuple(picked)))
    return Plan(nom, gen, rng.choice(ORGS), rng.choice(BOSSES), tuple(sections))


def _title(plan: Plan, caps: bool) -> list[str]:
    if not plan.genitive:
        return ["ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ", plan.position] if caps else [f"Должностная инструкция: {plan.position}"]
    if caps:
        return ["ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ", plan.genitive]
    return [f"Должностная инструкция {plan.genitive}"]


def _approval(plan: Plan) -> list[str]:
    return [plan.org, "", "УТВЕРЖДАЮ", plan.boss, "____________ /И.О. Фамилия/", "«___» __________ 20__ г.", ""]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", ";", ":")) else text + "."


def _item(text: str, last: bool) -> str:
    # Under a lead-in, items start lower case and end with ";" (the last with ".").
    body = text.rstrip(".;")
    body = body[:1].lower() + body[1:] if not body[1:2].isupper() else body
    return body + ("." if last else ";")


def _signature() -> list[str]:
    return ["", "С инструкцией ознакомлен: ____________ /________/", "«___» __________ 20__ г."]


# ---------------------------------------------------------------------------------------------
# Plain text layouts (ordered: one per style of the samples)
# ---------------------------------------------------------------------------------------------


def layout_classic(plan: Plan, rng: random.Random) -> list[str]:
    """``1. Общие положения`` / ``1.1. Кладовщик ...``."""
    lines = _approval(plan) + _title(plan, caps=False) + [""]
    for i, section in enumerate(plan.sections, 1):
        lines += [f"{i}. {section.title}", ""]
        lines += [f"{i}.{k}. {_sentence(t)}" for k, t in enumerate(section.clauses, 1)]
        lines.append("")
    return lines + _signature()


def layout_roman(plan: Plan, rng: random.Random) -> list[str]:
    """``I. ОБЩИЕ ПОЛОЖЕНИЯ`` with ``1.``, ``2.`` restarting in every section."""
    lines = _approval(plan) + _title(plan, caps=True) + [""]
    for i, section in enumerate(plan.sections):
        lines += [f"{ROMAN[i]}. {section.title.upper()}", ""]
        lines += [f"{k}. {_sentence(t)}" for k, t in enumerate(section.clauses, 1)]
        lines.append("")
    return lines + _signature()


def layout_bullets(plan: Plan, rng: random.Random) -> list[str]:
    """Unnumbered CAPS headings with a colon; bullets under a lead-in where the section has one."""
    bullet = rng.choice(("-", "•", "—", "*"))
    lines = _title(plan, caps=True) + [""]
    for section in plan.sections:
        lines += [section.title.upper() + ":", ""]
        lead = LEAD_INS.get(section.type)
        if lead:
            lines.append(lead.format(nom=plan.position[:1].upper() + plan.position[1:]))
            last = len(section.clauses) - 1
            lines += [f"{bullet} {_item(t, k == last)}" for k, t in enumerate(section.clauses)]
        else:
            lines += [f"{bullet} {_sentence(t)}" for t in section.clauses]
        lines.append("")
    return lines


def layout_tabs(plan: Plan, rng: random.Random) -> list[str]:
    """A Word template saved as text: a tab after every number, CAPS section titles."""
    lines = _approval(plan) + _title(plan, caps=False) + [""]
    for i, section in enumerate(plan.sections, 1):
        lines.append(f"{i}.\t{section.title.upper()}")
        lines += [f"{i}.{k}.\t{_sentence(t)}" for k, t in enumerate(section.clauses, 1)]
        lines.append("")
    return lines + _signature()


TEXT_LAYOUTS: tuple[Callable[[Plan, random.Random], list[str]], ...] = (
    layout_classic,
    layout_roman,
    layout_bullets,
    layout_tabs,
)


def render_txt(plan: Plan, rng: random.Random, encoding: str) -> bytes:
    layout = rng.choice(TEXT_LAYOUTS)
    newline = "\r\n" if rng.random() < 0.3 else "\n"
    text = newline.join(layout(plan, rng)) + newline
    if encoding == "koi8-r":
        text = text.translate(KOI8_ASCII)
    return text.encode(encoding, errors="replace")


# ---------------------------------------------------------------------------------------------
# .docx with automatic numbering
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _docxgen():
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import docxgen
    finally:
        sys.path.remove(str(ROOT / "tests"))
    return docxgen


# A fixed timestamp: zipfile would otherwise stamp every member with the current time.
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def _zip(parts: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return buf.getvalue()


def docx_package(body: str, numbering: str, styles: str) -> bytes:
    """The parts of ``tests/docxgen.docx_bytes`` zipped with fixed timestamps."""
    g = _docxgen()
    rel = g.REL
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdS" Type="{rel}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rIdN" Type="{rel}/numbering" Target="numbering.xml"/></Relationships>')
    return _zip({
        "[Content_Types].xml": g.CONTENT_TYPES,
        "_rels/.rels": g.PACKAGE_RELS,
        "word/document.xml": g._xml("document", f"<w:body>{body}<w:sectPr/></w:body>"),
        "word/styles.xml": g._xml("styles", styles),
        "word/numbering.xml": g._xml("numbering", numbering),
        "word/_rels/document.xml.rels": rels,
    })


def _runs(g, text: str, rng: random.Random) -> str:
    # Word splits paragraphs into several runs (spelling marks, edits): split at a word boundary.
    words = text.split(" ")
    if len(words) < 4 or rng.random() < 0.5:
        return g.run(text)
    cut = rng.randint(1, len(words) - 1)
    return g.run(" ".join(words[:cut]) + " ") + g.run(" ".join(words[cut:]))


def render_docx(plan: Plan, rng: random.Random) -> bytes:
    """Sections on list level 0 (``1.``), clauses on level 1 (``1.1.``) of one automatic list."""
    g = _docxgen()
    body = [g.table([[g.para(plan.org)], [g.para("УТВЕРЖДАЮ") + g.para(plan.boss) + g.para("________")]])]
    body += [g.para(line, style="Title") for line in _title(plan, caps=rng.random() < 0.5)]
    bulleted = rng.random() < 0.3
    for section in plan.sections:
        body.append(g.para(section.title, num="1", ilvl=0, style="Heading1"))
        if bulleted and section.type in LEAD_INS:
            body.append(g.para(LEAD_INS[section.type].format(nom=plan.position.capitalize()), num="1", ilvl=1))
            last = len(section.clauses) - 1
            body += [g.para(runs=_runs(g, _item(t, k == last), rng), num="2", ilvl=0)
                     for k, t in enumerate(section.clauses)]
        else:
            body += [g.para(runs=_runs(g, _sentence(t), rng), num="1", ilvl=1) for t in section.clauses]
    body.append(g.para("С инструкцией ознакомлен: ____________"))
    numbering = (g.abstract(0, g.decimal_levels(3)) + g.abstract(1, g.lvl(0, fmt="bullet", text="–"))
                 + g.num(1, 0) + g.num(2, 1))
    styles = g.styles(g.style("Title", "Title"), g.style("Heading1", "heading 1", outline=0))
    return docx_package("".join(body), numbering, styles)


# ---------------------------------------------------------------------------------------------
# .html
# ---------------------------------------------------------------------------------------------


def render_html(plan: Plan, rng: random.Random) -> bytes:
    e = html_escape
    out = ['<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">',
           f"<title>{e(' '.join(_title(plan, caps=False)))}</title></head><body>",
           '<nav><a href="/">Главная</a> / <a href="/di/">Должностные инструкции</a></nav>',
           f"<p>УТВЕРЖДАЮ<br>{e(plan.boss)}<br>{e(plan.org)}</p>",
           f"<h1>{e(' '.join(_title(plan, caps=False)))}</h1>"]
    typed = rng.random() < 0.5
    for i, section in enumerate(plan.sections, 1):
        out.append(f"<h2>{i}. {e(section.title)}</h2>")
        if typed:
            out += [f"<p>{i}.{k}. {e(_sentence(t))}</p>" for k, t in enumerate(section.clauses, 1)]
        else:
            out.append("<ol>" + "".join(f"<li>{e(_sentence(t))}</li>" for t in section.clauses) + "</ol>")
    out.append("<footer>© Кадровый портал</footer></body></html>")
    return "\n".join(out).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    name: str
    data: bytes
    format: str
    encoding: str
    plan: Plan


def document(index: int, seed: int, material: Material) -> Generated:
    """Document ``index`` of the corpus ``seed``: a function of (index, seed) alone."""
    rng = random.Random(f"{seed}:{index}")
    fmt, encoding, _ = rng.choices(FORMATS, weights=[w for *_, w in FORMATS])[0]
    plan = plan_document(rng, material)
    if fmt == "txt":
        data = render_txt(plan, rng, encoding)
        name = f"{index:06d}_{encoding.replace('-', '')}.txt"
    elif fmt == "docx":
        data, name = render_docx(plan, rng), f"{index:06d}.docx"
    else:
        data, name = render_html(plan, rng), f"{index:06d}.html"
    return Generated(name, data, fmt, encoding, plan)


def generate(out_dir: Path, size: int, seed: int = 1, root: Path = ROOT) -> list[Path]:
    """Write ``size`` documents into ``out_dir`` (reused when a previous run wrote the same corpus)."""
    out_dir = Path(out_dir)
    stamp = out_dir / ".corpus.json"
    meta = {"version": VERSION, "size": size, "seed": seed}
    if stamp.exists() and json.loads(stamp.read_text()) == meta:
        return sorted(p for p in out_dir.iterdir() if not p.name.startswith("."))
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if not old.name.startswith("."):
            old.unlink()
    material = load_material(root)
    paths = []
    for i in range(size):
        doc = document(i, seed, material)
        path = out_dir / doc.name
        path.write_bytes(doc.data)
        paths.append(path)
    stamp.write_text(json.dumps(meta))
    return sorted(paths)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.out, args.size, args.seed)
    print(f"{len(paths)} documents in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
