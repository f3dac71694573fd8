"""Writes the provision-level cluster gold of this folder: ``clauses.jsonl``, ``provisions.clusters.jsonl``,
``splits.json``.

Everything is invented for the project (standard.py: the standard provisions and the layouts of the ten
template families; instructions.py: the sixty instructions and their own clauses). The output is deterministic:
optional layout items («?») are kept or dropped by an MD5 hash of source and cluster, never by ``random``.
Edit the tables and run ``python corpora/provisions/make_gold.py``; ``--table`` prints the README's count table.
"""
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import instructions  # noqa: E402
import standard  # noqa: E402

PREFIX = {"duty": "duty", "right": "right", "liability": "liab", "requirement": "req", "other": "other"}
LABELS = tuple(PREFIX)
LIST_KEYS = ("know", "guided")


def source_of(id):
    return f"{id}_{instructions.INSTRUCTIONS[id]['slug']}.txt"


def kept(source, cluster):
    """An optional item is kept for one instruction in two."""
    return int(hashlib.md5(f"{source}|{cluster}".encode()).hexdigest(), 16) % 2 == 0


def parse(item):
    """«name@tag?» -> (name, tags, optional)."""
    optional = item.endswith("?")
    item = item.rstrip("?")
    name, *tags = item.split("@") if not item.startswith("@") else (item, )
    return name, tags, optional


def applies(tags, flags):
    for tag in tags:
        if tag.startswith("!"):
            if tag[1:] in flags:
                return False
        elif tag not in flags:
            return False
    return True


def std_text(id, meta, k, cluster):
    if (id, cluster) in instructions.REWORD:
        return instructions.REWORD[(id, cluster)]
    if cluster.startswith("other-category-"):
        wordings = standard.CATEGORY_WORDINGS[meta["family"]]
    else:
        wordings = standard.W[cluster][1][meta["family"]]
    return wordings[k % len(wordings)]


def std_label(cluster):
    return "other" if cluster.startswith("other-category-") else standard.W[cluster][0]


def expand(id, meta, k, items, own, used):
    """(label, cluster, raw text) of one run of layout items; own clauses at «@key»."""
    source = source_of(id)
    out = []
    for item in items:
        if item.startswith("@"):
            key = item[1:]
            used.add(key)
            out += [(instructions.KEY_LABEL[key], cluster, text) for cluster, text in own.get(key, [])]
            continue
        name, tags, optional = parse(item)
        if name == "CAT":
            name = f"other-category-{meta['cat']}"
        optional = optional and (id, name) not in instructions.REWORD  # an own wording keeps an optional item
        if (not applies(tags, meta["flags"]) or (optional and not kept(source, name))
                or (id, name) in instructions.OMIT):
            continue
        out.append((std_label(name), name, std_text(id, meta, k, name)))
    return out


def build_instruction(id, k):
    meta = instructions.INSTRUCTIONS[id]
    family = meta["family"]
    layout = standard.LAYOUT[family]
    cat_g, cat_n = standard.CATEGORIES[meta["cat"]]
    slots = dict(meta, cat_g=cat_g, cat_n=cat_n)
    own = defaultdict(list)
    for key, cluster, text in instructions.OWN[id]:
        own[key].append((cluster, text))
    used = set()
    rows = []  # (number, label, cluster, text)
    s = 0
    for section in layout["sections"]:
        if not any(expand(id, meta, k, [i] if isinstance(i, str) else i[1], own, set()) for i in section):
            continue  # an empty section (no functions, say) takes no number
        s += 1
        n = 0
        for item in section:
            if isinstance(item, tuple):
                entries = expand(id, meta, k, item[1], own, used)
                if not entries:
                    continue
                n += 1  # the lead-in («должен знать:») takes a number; its items are bullets
                for i, (label, cluster, text) in enumerate(entries):
                    end = "." if i == len(entries) - 1 else ";"
                    rows.append(("", label, cluster, text.format(**slots).rstrip(".;") + end))
            else:
                for label, cluster, text in expand(id, meta, k, [item], own, used):
                    n += 1
                    number = f"{s}.{n}." if layout["numbered"] else ""
                    rows.append((number, label, cluster, text.format(**slots)))
    for (oid, cluster) in instructions.REWORD:
        assert oid != id or any(r[2] == cluster for r in rows), f"{id}: reworded {cluster} is not in the layout"
    missing = set(own) - used
    assert not missing, f"{id}: own clauses of {missing} have no place in family {family}"
    return meta, rows


def build():
    by_family = defaultdict(list)
    for id, meta in instructions.INSTRUCTIONS.items():
        by_family[meta["family"]].append(id)
    clauses, gold = [], []
    solo = Counter()
    label_of = {c: lab for c, (lab, _) in standard.W.items()}
    for id in sorted(instructions.INSTRUCTIONS):
        k = by_family[instructions.INSTRUCTIONS[id]["family"]].index(id)
        meta, rows = build_instruction(id, k)
        source = source_of(id)
        for number, label, cluster, text in rows:
            if cluster is None:
                solo[label] += 1
                cluster = f"{PREFIX[label]}-solo-{solo[label]:03d}"
            assert label_of.setdefault(cluster, label) == label, f"{cluster}: {label} / {label_of[cluster]}"
            assert cluster.startswith(PREFIX[label] + "-"), cluster
            assert "{" not in text and "}" not in text, text
            clauses.append({"source": source, "instruction": 1, "position": meta["pos"], "number": number,
                            "text": text, "label": label})
            gold.append({"source": source, "text": text, "label": label, "cluster": cluster})
    keys = Counter((g["source"], g["text"]) for g in gold)
    dup = [k for k, n in keys.items() if n > 1]
    assert not dup, dup[:3]
    return clauses, gold


def splits():
    train, test = [], []
    for id, meta in sorted(instructions.INSTRUCTIONS.items()):
        (train if meta["family"] in standard.TRAIN_FAMILIES else test).append(source_of(id))
    families = {source_of(id): meta["family"] for id, meta in sorted(instructions.INSTRUCTIONS.items())}
    return {"train_families": list(standard.TRAIN_FAMILIES), "test_families": list(standard.TEST_FAMILIES),
            "family": families, "train": train, "test": test}


def pairs(sizes):
    return sum(n * (n - 1) // 2 for n in sizes)


def table(gold, sources=None):
    """Markdown: per label clauses, clusters, clusters with 2+ members, clauses in them, same-cluster pairs."""
    rows = ["| label | clauses | clusters | clusters with 2+ members | clauses in them | pairs |",
            "|---|---|---|---|---|---|"]
    tot = Counter()
    for label in ("liability", "right", "requirement", "other", "duty"):
        sizes = Counter(g["cluster"] for g in gold if g["label"] == label
                        and (sources is None or g["source"] in sources))
        multi = [n for n in sizes.values() if n > 1]
        row = (sum(sizes.values()), len(sizes), len(multi), sum(multi), pairs(sizes.values()))
        tot.update(dict(zip("abcde", row, strict=True)))
        rows.append(f"| {label} | " + " | ".join(map(str, row)) + " |")
    rows.append("| **total** | " + " | ".join(f"**{tot[c]}**" for c in "abcde") + " |")
    return "\n".join(rows)


def main(argv):
    clauses, gold = build()
    dump = lambda rows: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)  # noqa: E731
    (HERE / "clauses.jsonl").write_text(dump(clauses), encoding="utf-8")
    (HERE / "provisions.clusters.jsonl").write_text(dump(gold), encoding="utf-8")
    sp = splits()
    (HERE / "splits.json").write_text(json.dumps(sp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    per_source = Counter(c["source"] for c in clauses)
    print(f"{len(clauses)} clauses in {len(per_source)} instructions "
          f"({min(per_source.values())}-{max(per_source.values())} each), "
          f"{len({g['cluster'] for g in gold})} clusters")
    if "--table" in argv:
        print("\nall\n" + table(gold))
        for part in ("train", "test"):
            print(f"\n{part}\n" + table(gold, set(sp[part])))
    if "--per-source" in argv:
        for s, n in sorted(per_source.items()):
            print(s, n, dict(Counter(c["label"] for c in clauses if c["source"] == s)))


if __name__ == "__main__":
    main(sys.argv[1:])
