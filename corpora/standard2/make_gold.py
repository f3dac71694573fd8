"""Writes the standard-provision gold of this folder: ``clauses.jsonl``, ``standard2.clusters.jsonl``, ``splits.json``.

Everything is invented for the project (``documents_*.txt``: forty instructions in eight house-style families, one
file per family). The set is about the *standard provisions* of Russian job descriptions (category, appointment,
subordination, substitution, what the employee is guided by, must-know items, the standard duties, rights and
liabilities, education and experience) worded in each family's own house style, beside a few profession duties.
The file's keys say which clauses are one provision:

- ``-``: a clause with no partner (cluster ``<prefix>-solo-NNN``, numbered in file order per label);
- ``*name``: a standard provision (cluster ``<prefix>-<name>``; members in two or more instructions);
- ``+name``: a profession provision shared by instructions of one profession (cluster ``<prefix>-<name>``,
  the name starting with the profession; members in two or more instructions);
- ``name``: a provision restated inside this instruction (cluster ``<prefix>-<doc id>-<name>``; two or more
  members there, nowhere else).

Lead-ins (not clauses; their text goes to the items' ``lead_in``, as the pipeline writes list items):
``> text`` an unnumbered lead-in line (its items keep the section's numbering), ``>#  text`` a numbered lead-in
(«1.6. Бухгалтер должен знать:»: it takes a number, its items are bullets or inline items with number ""),
``<`` ends the lead-in; a new section ends it too.

Deterministic; run ``python corpora/standard2/make_gold.py`` (``--table`` prints the README's count tables).
"""
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "standard2"
PREFIX = {"duty": "duty", "right": "right", "liability": "liab", "requirement": "req", "other": "other"}
#: The section types of the pipeline's heading vocabulary (pipeline/data/section_titles.tsv).
SECTION_TYPES = ("general", "duties", "rights", "liability", "requirements", "knowledge", "conditions", "relations",
                 "other")
TRAIN_FAMILIES = ("A", "C", "E", "G")
TEST_FAMILIES = ("B", "D", "F", "H")
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def slug(name):
    out = "".join(_TRANSLIT.get(ch, ch if ch.isascii() and ch.isalnum() else "-") for ch in name.lower())
    return "-".join(part for part in out.split("-") if part)


def parse(path):
    """[(doc id, position, title, [(section number, title, type, numbered lead-in?, lead-in, label, key, text)])]."""
    docs = []
    section = None
    lead = None  # (numbered?, text)
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{lineno}"
        if line.startswith("=== "):
            doc, position, title = (part.strip() for part in line[4:].split("|"))
            docs.append((doc, position, title, []))
            section, lead = None, None
        elif line.startswith("§ "):
            number, title, kind = (part.strip() for part in line[2:].split("|"))
            if kind not in SECTION_TYPES:
                raise SystemExit(f"{where}: unknown section type {kind}")
            section, lead = ("" if number == "-" else number, title, kind), None
        elif line.startswith(">#"):
            lead = (True, line[2:].strip())
        elif line.startswith(">"):
            lead = (False, line[1:].strip())
        elif line == "<":
            lead = None
        else:
            head, sep, text = line.partition(" | ")
            parts = head.split()
            if not sep or len(parts) != 2 or parts[0] not in PREFIX or not text.strip():
                raise SystemExit(f"{where}: expected `<label> <key> | <text>`")
            if section is None or not docs:
                raise SystemExit(f"{where}: a clause outside a section")
            if lead is not None and not lead[1].endswith(":"):
                raise SystemExit(f"{where}: a lead-in should end with a colon: {lead[1]}")
            docs[-1][3].append((*section, lead, parts[0], parts[1], text.strip()))
    return docs


def kind_of(key):
    return "solo" if key == "-" else "standard" if key.startswith("*") else "profession" if key.startswith(
        "+") else "local"


def build(paths):
    clauses, gold, family = [], [], {}
    solo = Counter()
    label_of = {}  # cluster -> label
    kind_in = {}  # cluster -> standard / profession / ...
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
            if not 15 <= len(rows) <= 35:
                raise SystemExit(f"{source}: {len(rows)} clauses, expected 15-35")
            local = Counter((label, key) for *_, label, key, _ in rows if kind_of(key) == "local")
            lonely = [key for key, n in local.items() if n < 2]
            if lonely:
                raise SystemExit(f"{source}: a restated provision with one member: {lonely}")
            texts = set()
            numbers = Counter()
            last_lead = None
            for number, stitle, stype, lead, label, key, text in rows:
                if text in texts:
                    raise SystemExit(f"{source}: the same text twice: {text}")
                texts.add(text)
                kind = kind_of(key)
                if kind == "solo":
                    solo[label] += 1
                    cluster = f"{PREFIX[label]}-solo-{solo[label]:03d}"
                elif kind == "local":
                    cluster = f"{PREFIX[label]}-{doc.lower()}-{key}"
                else:
                    cluster = f"{PREFIX[label]}-{key[1:]}"
                    shared_in[cluster].add(source)
                if label_of.setdefault(cluster, label) != label:
                    raise SystemExit(f"{source}: cluster {cluster} under two labels")
                if kind_in.setdefault(cluster, kind) != kind:
                    raise SystemExit(f"{source}: cluster {cluster} both {kind} and {kind_in[cluster]}")
                if lead is not None and lead[0]:
                    if lead is not last_lead:  # a numbered lead-in takes a number; its items are bullets
                        numbers[stitle] += 1
                    own = ""
                else:
                    numbers[stitle] += 1
                    own = f"{number}.{numbers[stitle]}" if number else ""
                last_lead = lead
                clauses.append({"source": source, "instruction": 1, "title": title, "position": position,
                                "number": own, "text": text, "label": label, "section_number": number,
                                "section_title": stitle, "section_type": stype,
                                "lead_in": lead[1] if lead else ""})
                gold.append({"source": source, "text": text, "label": label, "cluster": cluster})
    once = sorted(c for c, docs in shared_in.items() if len(docs) < 2)
    if once:
        raise SystemExit(f"shared provisions met in one document only: {once}")
    return clauses, gold, family, kind_in


def counts(gold, kind_in, sources):
    """clauses, clusters, clusters with 2+ members, pairs, standard-provision pairs, profession pairs."""
    members = Counter(g["cluster"] for g in gold if g["source"] in sources)
    pairs = Counter()
    for cluster, n in members.items():
        pairs[kind_in[cluster]] += n * (n - 1) // 2
    return (sum(members.values()), len(members), sum(1 for n in members.values() if n > 1), sum(pairs.values()),
            pairs["standard"], pairs["profession"])


def table(gold, family, kind_in):
    lines = ["| family | split | documents | clauses | clusters | clusters with 2+ members | pairs | "
             "standard-provision pairs | profession pairs |", "|---|---|---|---|---|---|---|---|---|"]
    for fam in sorted(set(family.values())):
        sources = {s for s, f in family.items() if f == fam}
        split = "train" if fam in TRAIN_FAMILIES else "test"
        lines.append(f"| {fam} | {split} | {len(sources)} | " + " | ".join(map(str, counts(gold, kind_in, sources)))
                     + " |")
    for name, fams in (("train", TRAIN_FAMILIES), ("test", TEST_FAMILIES), ("all", TRAIN_FAMILIES + TEST_FAMILIES)):
        sources = {s for s, f in family.items() if f in fams}
        lines.append(f"| **{name}** | | {len(sources)} | " + " | ".join(map(str, counts(gold, kind_in, sources)))
                     + " |")
    lines += ["", "| label | clauses | clusters | clusters with 2+ members | clauses in them | pairs | "
              "standard-provision clauses | standard-provision pairs |", "|---|---|---|---|---|---|---|---|"]
    tot = Counter()
    for label in PREFIX:
        sizes = Counter(g["cluster"] for g in gold if g["label"] == label)
        multi = [n for n in sizes.values() if n > 1]
        std = {c: n for c, n in sizes.items() if kind_in[c] == "standard"}
        row = (sum(sizes.values()), len(sizes), len(multi), sum(multi), sum(n * (n - 1) // 2 for n in sizes.values()),
               sum(std.values()), sum(n * (n - 1) // 2 for n in std.values()))
        tot.update(dict(zip("abcdefg", row, strict=True)))
        lines.append(f"| {label} | " + " | ".join(map(str, row)) + " |")
    lines.append("| **total** | " + " | ".join(f"**{tot[c]}**" for c in "abcdefg") + " |")
    lines += ["", "| shared cluster | kind | members | documents | families |", "|---|---|---|---|---|"]
    docs = defaultdict(list)
    for g in gold:
        docs[g["cluster"]].append(g["source"])
    for cluster, where in sorted(docs.items(), key=lambda kv: (kind_in[kv[0]], -len(kv[1]), kv[0])):
        if kind_in[cluster] in ("standard", "profession"):
            fams = "".join(sorted({family[s] for s in where}))
            lines.append(f"| {cluster} | {kind_in[cluster]} | {len(where)} | {len(set(where))} | {fams} |")
    return "\n".join(lines)


def main(argv):
    paths = sorted(HERE.glob("documents_*.txt"))
    clauses, gold, family, kind_in = build(paths)
    dump = lambda rows: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)  # noqa: E731
    (HERE / "clauses.jsonl").write_text(dump(clauses), encoding="utf-8")
    (HERE / f"{NAME}.clusters.jsonl").write_text(dump(gold), encoding="utf-8")
    splits = {"train_families": list(TRAIN_FAMILIES), "test_families": list(TEST_FAMILIES), "family": family}
    (HERE / "splits.json").write_text(json.dumps(splits, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    per_source = Counter(c["source"] for c in clauses)
    print(f"{len(clauses)} clauses in {len(per_source)} instructions "
          f"({min(per_source.values())}-{max(per_source.values())} each), "
          f"{len({g['cluster'] for g in gold})} clusters")
    if "--table" in argv:
        print(table(gold, family, kind_in))


if __name__ == "__main__":
    main(sys.argv[1:])
