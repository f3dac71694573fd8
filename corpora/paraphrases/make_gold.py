"""Writes the paraphrase gold of this folder: ``clauses.jsonl``, ``paraphrases.clusters.jsonl``, ``splits.json``.

Everything is invented for the project (``groups_*.txt``: professions, each with groups of wordings of one
provision). The k-th wording of every group of a profession goes into the profession's k-th instruction
(section «Должностные обязанности», «Требования» or «Права» by label); a wording starting with ``=`` is a
function: it goes into the first instruction, section «Функции» (so a function and the duty that restates
it sit in one instruction, in two sections). A group id that recurs in another profession is one provision
across professions (`receive-goods` of a storekeeper, a shop assistant and a pharmacist). Deterministic; run ``python corpora/paraphrases/make_gold.py``
(``--table`` prints the README's count table).
"""
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIX = {"duty": "duty", "right": "right", "liability": "liab", "requirement": "req", "other": "other"}
SECTIONS = {"duty": ("2", "Должностные обязанности"), "right": ("3", "Права"), "liability": ("4", "Ответственность"),
            "requirement": ("1", "Требования"), "other": ("1", "Общие положения")}
FUNCTIONS = ("2", "Функции")
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def slug(name):
    out = "".join(_TRANSLIT.get(ch, ch if ch.isascii() and ch.isalnum() else "-") for ch in name.lower())
    return "-".join(part for part in out.split("-") if part)


def parse(paths):
    """[(profession, split, [(label, group, [wording, ...]), ...]), ...] in file order."""
    professions = []
    for path in paths:
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.rstrip()
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"{path.name}:{lineno}"
            if line.startswith("== "):
                name, split = (part.strip() for part in line[3:].split("|"))
                if split not in ("train", "test"):
                    raise SystemExit(f"{where}: split must be train or test")
                professions.append((name, split, []))
            elif not line.startswith(" "):
                label, group = line.split()
                if label not in PREFIX:
                    raise SystemExit(f"{where}: unknown label {label}")
                professions[-1][2].append((label, group, []))
            else:
                professions[-1][2][-1][2].append(line.strip())
    return professions


def build(professions):
    clauses, clusters, family = [], [], {}
    seen_groups: dict[str, str] = {}  # cluster -> its label (a group id may recur in other professions)
    for name, split, groups in professions:
        mine = set()
        base = slug(name)
        per_source = defaultdict(list)  # k -> [(section, label, group, text)]
        for label, group, wordings in groups:
            cluster = f"{PREFIX[label]}-{group}"
            if cluster in mine:
                raise SystemExit(f"{name}: group {group} defined twice")
            mine.add(cluster)
            seen_groups[cluster] = label
            if len(wordings) < 2:
                raise SystemExit(f"{name}: group {group} has fewer than two wordings")
            plain = [w for w in wordings if not w.startswith("=")]
            for k, text in enumerate(plain):
                per_source[k].append((SECTIONS[label], label, cluster, text))
            for text in (w for w in wordings if w.startswith("=")):
                per_source[0].insert(0, (FUNCTIONS, label, cluster, text[1:].strip()))
        for k in sorted(per_source):
            source = f"{base}-{k + 1}.txt"
            family[source] = split
            texts = set()
            items = sorted(per_source[k], key=lambda item: item[0][0] + ("0" if item[0] == FUNCTIONS else "1"))
            for n, ((number, title), label, cluster, text) in enumerate(items, 1):
                if text in texts:
                    raise SystemExit(f"{source}: the same text twice: {text}")
                texts.add(text)
                clauses.append({"source": source, "instruction": 1, "position": name, "number": f"{number}.{n}",
                                "text": text, "label": label, "section_number": number, "section_title": title})
                clusters.append({"source": source, "text": text, "label": label, "cluster": cluster})
    return clauses, clusters, family


def table(clauses, clusters, family, half=None):
    rows = []
    chosen = [c for c in clusters if half is None or family[c["source"]] == half]
    for label in PREFIX:
        mine = [c for c in chosen if c["label"] == label]
        sizes = Counter(c["cluster"] for c in mine)
        multi = {k: n for k, n in sizes.items() if n > 1}
        pairs = sum(n * (n - 1) // 2 for n in sizes.values())
        rows.append((label, len(mine), len(sizes), len(multi), sum(multi.values()), pairs))
    lines = ["| label | clauses | clusters | clusters with 2+ members | clauses in them | pairs |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        if row[1]:
            lines.append("| " + " | ".join(str(x) for x in row) + " |")
    total = [sum(r[i] for r in rows) for i in range(1, 6)]
    lines.append("| **total** | " + " | ".join(f"**{x}**" for x in total) + " |")
    return "\n".join(lines)


def main(argv):
    professions = parse(sorted(HERE.glob("groups_*.txt")))
    clauses, clusters, family = build(professions)
    if "--table" in argv:
        for half in (None, "train", "test"):
            print(f"\n{half or 'all'}:\n" + table(clauses, clusters, family, half))
        return
    with open(HERE / "clauses.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in clauses)
    with open(HERE / "paraphrases.clusters.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in clusters)
    splits = {"train_families": ["train"], "test_families": ["test"], "family": family}
    (HERE / "splits.json").write_text(json.dumps(splits, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(clauses)} clauses, {len(set(c['cluster'] for c in clusters))} clusters, "
          f"{len(professions)} professions, {len(family)} instructions")


if __name__ == "__main__":
    main(sys.argv[1:])
