"""Writes the restatement gold of this folder: ``clauses.jsonl``, ``restatements.clusters.jsonl``, ``splits.json``.

Everything is invented for the project (``documents_*.txt``: forty instructions in eight house-style families, one
file per family). Inside one instruction the same provision is stated two or three times, in different sections
and different words (a function and its duty, a task and its result, a duty and a procedure step, a right and
«Сотрудник может …»); the file's keys say which clauses are one provision:

- ``-``: a clause with no partner (cluster ``<prefix>-solo-NNN``, numbered in file order per label);
- ``name``: a provision restated inside this instruction (cluster ``<prefix>-<doc id>-<name>``; two or more
  members in the instruction, never elsewhere);
- ``*name``: a provision shared across instructions (cluster ``<prefix>-<name>``: subordination, improper
  performance, …; members in two or more instructions).

Deterministic; run ``python corpora/restatements/make_gold.py`` (``--table`` prints the README's count tables).
"""
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIX = {"duty": "duty", "right": "right", "liability": "liab", "requirement": "req", "other": "other"}
#: The section types of the pipeline's heading vocabulary (pipeline/data/section_titles.tsv).
SECTION_TYPES = ("general", "duties", "rights", "liability", "requirements", "knowledge", "conditions", "relations",
                 "other")
TRAIN_FAMILIES = ("A", "C", "E", "G")
TEST_FAMILIES = ("B", "D", "F", "H")
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))
#: Words that do not make a near miss (see ``near_misses``): the template's own words.
_STOP_STEMS = {"должн", "обяза", "настоя", "инстр", "преде", "опред", "закон", "своих", "своей", "своег", "работ",
               "котор", "также", "течен", "соотв", "устан", "являе", "связа", "необх", "испол", "выпол", "предус",
               "росси", "федер", "респу", "казах", "белар", "орган", "сотру", "работн", "имеет", "права", "право",
               "вправ", "может", "можно", "знать", "уметь", "всех", "после", "перед", "через", "каждо", "чтобы", "поряд"}


def slug(name):
    out = "".join(_TRANSLIT.get(ch, ch if ch.isascii() and ch.isalnum() else "-") for ch in name.lower())
    return "-".join(part for part in out.split("-") if part)


def parse(path):
    """[(doc id, position, title, [(section number, title, type, label, key, text), ...]), ...]."""
    docs = []
    section = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{lineno}"
        if line.startswith("=== "):
            doc, position, title = (part.strip() for part in line[4:].split("|"))
            docs.append((doc, position, title, []))
            section = None
        elif line.startswith("§ "):
            number, title, kind = (part.strip() for part in line[2:].split("|"))
            if kind not in SECTION_TYPES:
                raise SystemExit(f"{where}: unknown section type {kind}")
            section = ("" if number == "-" else number, title, kind)
        else:
            head, sep, text = line.partition(" | ")
            parts = head.split()
            if not sep or len(parts) != 2 or parts[0] not in PREFIX or not text.strip():
                raise SystemExit(f"{where}: expected `<label> <key> | <text>`")
            if section is None or not docs:
                raise SystemExit(f"{where}: a clause outside a section")
            docs[-1][3].append((*section, parts[0], parts[1], text.strip()))
    return docs


def build(paths):
    clauses, gold, family = [], [], {}
    solo = Counter()
    label_of = {}  # cluster -> label
    shared_in = defaultdict(set)  # shared cluster -> its documents
    for path in paths:
        fam = path.stem.rsplit("_", 1)[-1]
        docs = parse(path)
        if len(docs) != 5:
            raise SystemExit(f"{path.name}: {len(docs)} documents, expected 5")
        for doc, position, title, rows in docs:
            if not doc.startswith(fam):
                raise SystemExit(f"{path.name}: document {doc} outside family {fam}")
            source = f"{doc.lower()}_{slug(position)}.txt"
            family[source] = fam
            if not 15 <= len(rows) <= 40:
                raise SystemExit(f"{source}: {len(rows)} clauses, expected 15-40")
            local = Counter((label, key) for _, _, _, label, key, _ in rows if key != "-" and not key.startswith("*"))
            lonely = [key for key, n in local.items() if n < 2]
            if lonely:
                raise SystemExit(f"{source}: a restated provision with one member: {lonely}")
            texts = set()
            numbers = Counter()
            for number, stitle, kind, label, key, text in rows:
                if text in texts:
                    raise SystemExit(f"{source}: the same text twice: {text}")
                texts.add(text)
                if key == "-":
                    solo[label] += 1
                    cluster = f"{PREFIX[label]}-solo-{solo[label]:03d}"
                elif key.startswith("*"):
                    cluster = f"{PREFIX[label]}-{key[1:]}"
                    shared_in[cluster].add(source)
                else:
                    cluster = f"{PREFIX[label]}-{doc.lower()}-{key}"
                if label_of.setdefault(cluster, label) != label:
                    raise SystemExit(f"{source}: cluster {cluster} under two labels")
                numbers[stitle] += 1
                clauses.append({"source": source, "instruction": 1, "title": title, "position": position,
                                "number": f"{number}.{numbers[stitle]}" if number else "", "text": text,
                                "label": label, "section_number": number, "section_title": stitle,
                                "section_type": kind, "lead_in": ""})
                gold.append({"source": source, "text": text, "label": label, "cluster": cluster})
    once = sorted(c for c, docs in shared_in.items() if len(docs) < 2)
    if once:
        raise SystemExit(f"shared provisions met in one document only: {once}")
    return clauses, gold, family


def stems(text):
    words = re.findall(r"[а-яё]+", text.lower().replace("ё", "е"))
    return {w[:5] for w in words if len(w) >= 4} - _STOP_STEMS


def near_misses(clauses, gold):
    """Same-document, same-label pairs of two different clusters whose texts share two or more content-word
    stems (the first five letters of a word of four or more letters, outside the template words above)."""
    by_source = defaultdict(list)
    for c, g in zip(clauses, gold, strict=True):
        by_source[c["source"]].append((c["label"], g["cluster"], stems(c["text"]) - stems(c["position"])))
    out = Counter()
    for source, rows in by_source.items():
        for (la, ca, sa), (lb, cb, sb) in itertools.combinations(rows, 2):
            if la == lb and ca != cb and len(sa & sb) >= 2:
                out[source] += 1
    return out


def counts(clauses, gold, family, sources):
    """clauses, clusters, clauses with a partner in their own document, same-document pairs, cross-document
    pairs, near-miss pairs over ``sources``."""
    mine = [g for g in gold if g["source"] in sources]
    members = defaultdict(list)
    for g in mine:
        members[g["cluster"]].append(g["source"])
    same = cross = partnered = 0
    for docs in members.values():
        for a, b in itertools.combinations(docs, 2):
            if a == b:
                same += 1
            else:
                cross += 1
        per_doc = Counter(docs)
        partnered += sum(n for n in per_doc.values() if n > 1)
    near = near_misses(clauses, gold)
    return (len(mine), len(members), partnered, same, cross, sum(near[s] for s in sources))


def table(clauses, gold, family):
    lines = ["| family | split | documents | clauses | clusters | clauses restated in their document | "
             "same-document pairs | cross-document pairs | near-miss same-document pairs |",
             "|---|---|---|---|---|---|---|---|---|"]
    for fam in sorted(set(family.values())):
        sources = {s for s, f in family.items() if f == fam}
        split = "train" if fam in TRAIN_FAMILIES else "test"
        lines.append(f"| {fam} | {split} | {len(sources)} | " + " | ".join(map(str, counts(clauses, gold, family,
                                                                                          sources))) + " |")
    for name, fams in (("train", TRAIN_FAMILIES), ("test", TEST_FAMILIES), ("all", TRAIN_FAMILIES + TEST_FAMILIES)):
        sources = {s for s, f in family.items() if f in fams}
        lines.append(f"| **{name}** | | {len(sources)} | " + " | ".join(
            f"{x}" for x in counts(clauses, gold, family, sources)) + " |")
    lines += ["", "| label | clauses | clusters | clusters with 2+ members | clauses in them | pairs |",
              "|---|---|---|---|---|---|"]
    tot = Counter()
    for label in PREFIX:
        sizes = Counter(g["cluster"] for g in gold if g["label"] == label)
        multi = [n for n in sizes.values() if n > 1]
        row = (sum(sizes.values()), len(sizes), len(multi), sum(multi), sum(n * (n - 1) // 2 for n in sizes.values()))
        tot.update(dict(zip("abcde", row, strict=True)))
        lines.append(f"| {label} | " + " | ".join(map(str, row)) + " |")
    lines.append("| **total** | " + " | ".join(f"**{tot[c]}**" for c in "abcde") + " |")
    return "\n".join(lines)


def main(argv):
    paths = sorted(HERE.glob("documents_*.txt"))
    clauses, gold, family = build(paths)
    dump = lambda rows: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)  # noqa: E731
    (HERE / "clauses.jsonl").write_text(dump(clauses), encoding="utf-8")
    (HERE / "restatements.clusters.jsonl").write_text(dump(gold), encoding="utf-8")
    splits = {"train_families": list(TRAIN_FAMILIES), "test_families": list(TEST_FAMILIES), "family": family}
    (HERE / "splits.json").write_text(json.dumps(splits, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    per_source = Counter(c["source"] for c in clauses)
    print(f"{len(clauses)} clauses in {len(per_source)} instructions "
          f"({min(per_source.values())}-{max(per_source.values())} each), "
          f"{len({g['cluster'] for g in gold})} clusters")
    if "--table" in argv:
        print(table(clauses, gold, family))


if __name__ == "__main__":
    main(sys.argv[1:])
