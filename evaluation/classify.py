"""Measure a classifier on gold clauses, apart from segmentation; never a source of training data.

    python -m evaluation.classify [--kind rules|model|auto] [--context none|gold|structure] [--as LABEL] DIR...
    taskset -c 0 python -m evaluation.classify --bench [--kind model]

``--context gold`` (the default) classifies the *gold* clause texts with the context a reader has above
them in the source: each gold clause is found in the document's text (``pipeline.readers``), and the text
between gold clauses gives the section heading (a short line, a Markdown or HTML heading, a run-in heading
such as «Должностные обязанности.») and the lead-in (a line ending with a colon, in force over the items
that follow it in one list: same marker, or the same paragraph for an inline list). The section type is the
one the structure stage's heading vocabulary gives the heading (``other`` for a heading it does not know,
as the structure stage does). So label quality is seen apart from segmentation: figures "given gold
segmentation". ``--context none`` gives no context at all; ``--context structure`` reads each source, runs
``pipeline.structure`` and the classifier, and scores with ``evaluation.clauses`` as ``make eval`` does.

Besides macro-F1 and F1 per label, it prints the expected calibration error (ECE, 10 equal-width bins of the
top label's confidence), a reliability table with ``--reliability``, and the figures per register: a document
is ``informal`` when at least a fifth of its clauses address the reader («ты», «вы», an imperative or a
2nd-person verb), ``formal`` otherwise (``register_of``), decided from the words alone.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.records import LABELS, Block, Clause

# ---------------------------------------------------------------------------------------------
# Gold clauses with the context of their source text
# ---------------------------------------------------------------------------------------------

#: A block's leading marker: a Markdown heading, a table row, a number («2.1.», «3)», «1.2 »), a letter item
#: («а)»), a Roman section number, a bullet or an emoji used as one.
_MARKER = re.compile(
    r"^\s*(?:(?P<md>#{1,6})\s+|(?P<table>\|)"
    r"|(?P<num>\d{1,3}(?:\.\d{1,3})*)(?P<close>[.)])\s*|(?P<dotted>\d{1,3}(?:\.\d{1,3})+)\s+"
    r"|(?P<alpha>[а-яa-z])\)\s*|(?P<roman>[IVXLCІ]{1,6})\.\s+"
    r"|(?P<bullet>(?:[-–—•*▪●◦·►➢✓✔]|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]\ufe0f?)+)\s*)"
)
_EMPHASIS = re.compile(r"\*\*|__|`")
#: Markup left in a text copy of a web page («<p style=…>», «<br>»): gold texts have none.
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,300}>")
_SPACES = re.compile(r"\s+")
_TABLE_RULE = re.compile(r"^[\s|:\-]+$")
_HAS_LETTER = re.compile(r"[А-Яа-яЁёA-Za-z]")


@dataclass
class _Line:
    """One block of the source as the gold files see it: marker removed, Markdown and table pipes dropped."""

    text: str  # cleaned, white space folded
    folded: str  # the same, lower case with ё as е (what gold texts are found in)
    kind: str  # the marker's kind: num2, num2), alpha, roman, bullet, table, md, none
    number: str
    heading: bool  # a Markdown or HTML heading
    paragraph: int  # blocks of one paragraph share it (a blank line, a marker or a heading starts a new one)
    start: int = 0  # where the line starts in the flat text
    row: tuple[int, int] | None = None  # (table, row) of a table cell a reader gave as its own block


def _marker(block: Block) -> tuple[str, str, str]:
    """(kind, number, text without the marker) of a block."""
    text = block.text
    if block.table is not None:
        return "table", "", text
    if "<" in text:
        import html

        text = html.unescape(_TAG.sub(" ", text))
    found = _MARKER.match(text)
    if found and found["md"]:  # «## 2. Обязанности»: the heading's own number after the Markdown mark
        rest = _MARKER.match(text[found.end():])
        if rest and (rest["num"] or rest["roman"]):
            return "md", rest["num"] or rest["roman"], text[found.end() + rest.end():]
        return "md", "", text[found.end():]
    kind, number = "none", ""
    if found:
        if found["md"]:
            kind = "md"
        elif found["table"]:
            kind = "table"
        elif found["num"] or found["dotted"]:
            number = found["num"] or found["dotted"]
            kind = f"num{number.count('.') + 1}{')' if found['close'] == ')' else ''}"
        elif found["alpha"]:
            kind, number = "alpha", found["alpha"]
        elif found["roman"]:
            kind, number = "roman", found["roman"]
        else:
            kind = "bullet"
        text = text[found.end():]
    if block.number and kind == "none":
        number = block.number.rstrip(".)")
        kind = "bullet" if not number[:1].isdigit() else f"num{number.count('.') + 1}"
    return kind, number, text


def _lines(document) -> list[_Line]:
    lines: list[_Line] = []
    paragraph = 0
    previous_stop = None
    for block in document.blocks:
        if block.text.lstrip().startswith(("**", "__")):
            block = dataclasses.replace(block, text=_EMPHASIS.sub("", block.text))
        kind, number, text = _marker(block)
        if kind == "table":
            text = text.strip().strip("|").strip()
            if _TABLE_RULE.match(text or "-"):
                continue
            text = " | ".join(cell.strip() for cell in text.split("|"))
        text = _SPACES.sub(" ", _EMPHASIS.sub("", text)).strip()
        if not text:
            continue
        heading = kind == "md" or block.heading > 0
        gap = document.text[previous_stop:block.start] if previous_stop is not None else "\n\n"
        if gap.count("\n") >= 2 or kind not in ("none",) or heading or (lines and lines[-1].heading):
            paragraph += 1
        previous_stop = block.stop
        lines.append(_Line(text, text.lower().replace("ё", "е"), kind, number, heading, paragraph,
                           row=block.table[:2] if block.table is not None else None))
    return lines


@dataclass
class _Piece:
    """A stretch of text between gold clauses: a heading, a lead-in or noise."""

    line: int
    start: int  # in the flat text
    text: str
    where: str  # whole (no clause in its line), lead (before the first clause of its line), tail


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text.lower().replace("ё", "е")).strip()


def _locate(flat: str, texts: Sequence[str]) -> list[tuple[int, int]]:
    """Where each gold text is in the flat text, in document order ((-1, -1) when it is not found)."""
    out = []
    cursor = 0
    for text in texts:
        want = _fold(_EMPHASIS.sub("", text))
        at = flat.find(want, cursor)
        if at < 0:
            at = flat.find(want)
        stop = at + len(want)
        if at < 0 and len(want) > 30:  # a table row whose cells the reader split, a quote written otherwise
            at = flat.find(want[:30], cursor)
            stop = at + 30
            if at < 0:
                at = flat.find(want[-30:], cursor)
                stop = at + 30
        out.append((at, stop) if at >= 0 else (-1, -1))
        if at >= 0:
            cursor = stop
    return out


def _word_count(text: str) -> int:
    return len(text.split())


def _heading_text(piece: _Piece, line: _Line) -> bool:
    """Whether a piece of non-clause text is a section heading (not a lead-in, not a sentence of noise)."""
    text = piece.text.rstrip()
    if line.kind == "table":
        return False
    if line.heading and piece.where == "whole":
        return True
    if text.endswith(":"):
        return False
    if piece.where == "lead":  # «Должностные обязанности. Ведет …»: a run-in heading
        return _word_count(text) <= 8
    if piece.where != "whole":
        return False
    if text.endswith((";", ",")) or _word_count(text) > 12:
        return False
    return not (text.endswith(".") and _word_count(text) > 4)


def _section_type(title: str) -> str:
    """The type the structure stage gives a heading: its vocabulary's type, ``other`` for one it does not know."""
    if not title:
        return ""
    from pipeline.structure.vocab import heading_type

    return heading_type(title) or "other"


def with_gold_context(document, texts: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """(section number, section title, section type, lead-in) above each gold text in a read document.

    >>> from pipeline.readers import read_bytes
    >>> doc = read_bytes("d.txt", "2. Права\\nКассир имеет право:\\n- брать отгул;\\n- вносить идеи.\\n"
    ...                  "3. Ответственность\\nЗа порчу кассы.".encode())
    >>> [c[1:] for c in with_gold_context(doc, ["брать отгул;", "вносить идеи.", "За порчу кассы."])]
    [('Права', 'rights', 'Кассир имеет право:'), ('Права', 'rights', 'Кассир имеет право:'), \
('Ответственность', 'liability', '')]
    """
    lines = _lines(document)
    flat_parts = []
    offset = 0
    for line in lines:
        line.start = offset
        flat_parts.append(line.folded)
        offset += len(line.folded) + 1
    flat = " ".join(flat_parts)
    starts = [line.start for line in lines]
    spans = _locate(flat, texts)

    def line_of(at: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= at:
                lo = mid
            else:
                hi = mid - 1
        return lo

    # what each line holds of clauses, and the text between them
    covered: dict[int, list[tuple[int, int]]] = {}
    for at, stop in spans:
        if at < 0:
            continue
        first, last = line_of(at), line_of(max(at, stop - 1))
        for i in range(first, last + 1):
            lo = max(at, lines[i].start) - lines[i].start
            hi = min(stop, lines[i].start + len(lines[i].folded)) - lines[i].start
            covered.setdefault(i, []).append((lo, hi))
    pieces: list[_Piece] = []
    for i, line in enumerate(lines):
        spans_here = sorted(covered.get(i, []))
        cursor, cuts = 0, []
        for lo, hi in spans_here:
            cuts.append((cursor, lo))
            cursor = max(cursor, hi)
        cuts.append((cursor, len(line.text)))
        for n, (lo, hi) in enumerate(cuts):
            text = line.text[lo:hi].strip(" .;,|—–-") if not line.text[lo:hi].rstrip().endswith(":") \
                else line.text[lo:hi].strip(" |—–-")
            if not _HAS_LETTER.search(text):
                continue
            where = "whole" if not spans_here else ("lead" if n == 0 else "tail")
            if where == "whole" and pieces and pieces[-1].where == "whole" and pieces[-1].line == i - 1 \
                    and lines[i - 1].paragraph == line.paragraph and not pieces[-1].text.endswith(":") \
                    and text[:1].islower():
                pieces[-1].text += " " + text  # a heading or lead-in wrapped over two lines
                pieces[-1].line = i
                continue
            pieces.append(_Piece(i, line.start + lo, text, where))

    events = sorted([(p.start, 0, k) for k, p in enumerate(pieces)]
                    + [(at, 1, k) for k, (at, _) in enumerate(spans) if at >= 0])
    out: list[tuple[str, str, str, str]] = [("", "", "", "")] * len(texts)
    number = title = lead = ""
    lead_line, items_kind = -1, None
    row_label: dict[tuple[int, int], str] = {}
    for at, is_clause, k in events:
        if not is_clause:
            piece = pieces[k]
            line = lines[piece.line]
            if _heading_text(piece, line):
                title, number, lead, items_kind = piece.text.rstrip(" :."), line.number, "", None
            elif piece.text.endswith(":"):
                lead, lead_line, items_kind = piece.text, piece.line, None
            elif line.kind == "table" and line.row is not None:
                row_label[line.row] = piece.text  # «Подчиняется | директору»: the label cell of a form row
            elif line.kind != "table" and piece.where == "whole":
                lead, items_kind = "", None  # a sentence that is not a clause ends a list
            continue
        i = line_of(at)
        line = lines[i]
        inline = at > line.start or line.kind == "none" and i == lead_line
        kind = "inline" if inline else line.kind
        if lead:
            if items_kind is None:
                items_kind = kind
            elif items_kind == "inline":
                if line.paragraph != lines[lead_line].paragraph:
                    lead = ""
            elif kind != items_kind and not (kind == "inline" and line.paragraph == lines[lead_line].paragraph):
                lead = ""
        own_label = row_label.get(line.row) if line.kind == "table" and line.row is not None else None
        out[k] = (number, title, _section_type(title), own_label.rstrip(" :") + ":" if own_label else lead)
    return out


def gold_rows(path: Path) -> list[dict]:
    """The clause records of a gold file (optional ones included, flagged)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    return [r for r in rows if r.get("type") == "clause"]


def source_of(gold: Path) -> Path | None:
    """The document a gold file annotates: the file beside it with the same stem, else one in ``../seeds`` of
    the evaluation folder (``../shared/eval/gold-seed`` annotates ``../shared/seeds``)."""
    stem = gold.name[: -len(".gold.jsonl")]
    for folder in (gold.parent, gold.parent.parent.parent / "seeds"):
        for path in sorted(folder.glob(stem + ".*")):
            if not path.name.endswith(".gold.jsonl"):
                return path
    return None


def gold_clauses(directory: Path, context: str = "gold", optional: bool = False) -> list[tuple[Clause, str]]:
    """(clause, gold label) for every gold clause of a folder; with ``context="gold"`` each clause carries the
    section and lead-in found above it in its source (``with_gold_context``), with ``"none"`` no context."""
    out: list[tuple[Clause, str]] = []
    for gold in sorted(Path(directory).glob("*.gold.jsonl")):
        rows = gold_rows(gold)  # optional clauses too: they are clauses, not headings, in the source
        contexts = [("", "", "", "")] * len(rows)
        source = source_of(gold)
        if context == "gold" and source is not None:
            from pipeline import readers

            try:
                contexts = with_gold_context(readers.read(str(source)), [r["text"] for r in rows])
            except readers.ReadError as error:  # the clauses are still scored, without context
                print(f"  {source.name}: {error}: classified without context", file=sys.stderr)
        name = source.name if source is not None else gold.name
        for row, (number, title, section_type, lead_in) in zip(rows, contexts, strict=True):
            if row.get("optional") and not optional:
                continue
            clause = Clause(source=name, instruction=row.get("instruction") or 1, number=row.get("number", ""),
                            text=row["text"], start=0, stop=0, section_number=number, section_title=title,
                            section_type=section_type, lead_in=lead_in)
            out.append((clause, row["label"]))
    return out


# ---------------------------------------------------------------------------------------------
# Registers
# ---------------------------------------------------------------------------------------------

_ADDRESS = frozenset({"ты", "вы", "тебя", "тебе", "тобой", "вас", "вам", "вами", "твой", "ваш"})


def addresses_reader(text: str) -> bool:
    """Whether a clause speaks to the reader: «ты»/«вы» and their forms, an imperative, a 2nd-person verb."""
    from pipeline.text import lemma, tags, words

    for word in words(text)[:12]:
        if word in _ADDRESS or lemma(word) in ("твой", "ваш"):
            return True
        found = tags(word)
        if found and found[0].startswith("VERB") and ("impr" in found[0] or "2per" in found[0]):
            return True
    return False


def register_of(texts: Sequence[str], share: float = 0.2) -> str:
    """``informal`` when at least ``share`` of a document's clauses address the reader, else ``formal``."""
    if not texts:
        return "formal"
    return "informal" if sum(map(addresses_reader, texts)) >= share * len(texts) else "formal"


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def calibration(gold: Sequence[str], predicted: Sequence[str], confidence: Sequence[float],
                bins: int = 10) -> tuple[float, list[tuple[float, float, int, float, float]]]:
    """ECE and the reliability table: per bin (low, high, clauses, mean confidence, accuracy).

    >>> round(calibration(["duty", "right"], ["duty", "duty"], [0.95, 0.55])[0], 2)  # (|0.95 - 1| + |0.55 - 0|) / 2
    0.3
    """
    rows = []
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [i for i, c in enumerate(confidence) if low < c <= high or (b == 0 and c == 0)]
        if not inside:
            continue
        mean = sum(confidence[i] for i in inside) / len(inside)
        accuracy = sum(gold[i] == predicted[i] for i in inside) / len(inside)
        total += len(inside) * abs(mean - accuracy)
        rows.append((low, high, len(inside), mean, accuracy))
    return (total / len(gold) if gold else 0.0), rows


@dataclass
class Figures:
    clauses: int
    accuracy: float
    macro_f1: float
    f1: dict[str, float]
    ece: float
    reliability: list
    review: int  # clauses below the review threshold
    review_errors: int  # wrong labels among them
    errors: int
    documents: int = 0

    def line(self) -> str:
        per = " ".join(f"{k}={self.f1.get(k, 0.0):.3f}" for k in LABELS)
        return (f"n={self.clauses} accuracy={self.accuracy:.3f} macro-F1={self.macro_f1:.3f} {per} "
                f"ECE={self.ece:.3f} review={self.review} (catches {self.review_errors}/{self.errors} errors)")


def figures(gold: Sequence[str], predicted: Sequence[Clause]) -> Figures:
    from evaluation.clauses import macro_f1
    from pipeline.classify import REVIEW_THRESHOLD

    labels = [p.label for p in predicted]
    confidence = [p.confidence for p in predicted]
    macro, per = macro_f1(list(zip(gold, labels, strict=True)))
    ece, table = calibration(gold, labels, confidence)
    wrong = [g != p for g, p in zip(gold, labels, strict=True)]
    low = [c < REVIEW_THRESHOLD for c in confidence]
    return Figures(len(gold), sum(not w for w in wrong) / max(len(gold), 1), macro or 0.0, per, ece, table,
                   sum(low), sum(w and lo for w, lo in zip(wrong, low, strict=True)), sum(wrong))


def reliability_table(table: list) -> str:
    lines = ["| confidence | clauses | mean confidence | accuracy |", "|---|---|---|---|"]
    for low, high, n, mean, accuracy in table:
        lines.append(f"| {low:.1f}–{high:.1f} | {n} | {mean:.3f} | {accuracy:.3f} |")
    return "\n".join(lines)


def measure(classifier, directory: Path, context: str = "gold") -> dict:
    """Figures of a classifier on a gold folder, overall and per register, as a dict (for meta.json)."""
    items = gold_clauses(directory, context)
    predicted = classifier.predict([c for c, _ in items])
    gold = [g for _, g in items]
    out = {"all": figures(gold, predicted)}
    by_source: dict[str, list[int]] = {}
    for i, (clause, _) in enumerate(items):
        by_source.setdefault(clause.source, []).append(i)
    registers: dict[str, list[int]] = {}
    for rows in by_source.values():
        registers.setdefault(register_of([items[i][0].text for i in rows]), []).extend(rows)
    for name, rows in sorted(registers.items()):
        out[name] = figures([gold[i] for i in rows], [predicted[i] for i in rows])
        out[name].documents = sum(1 for r in by_source.values() if r[0] in set(rows))
    out["_items"] = (items, predicted)
    return out


# ---------------------------------------------------------------------------------------------
# End to end (the structure stage's clauses) and speed
# ---------------------------------------------------------------------------------------------


def structured(directory: Path) -> dict[str, list[Clause]]:
    """The clauses ``pipeline.structure`` finds in each source beside a gold file, by gold stem."""
    from pipeline import readers
    from pipeline.structure import structure

    out: dict[str, list[Clause]] = {}
    for gold in sorted(Path(directory).glob("*.gold.jsonl")):
        path = source_of(gold)
        if path is None:
            continue
        try:
            document = readers.read(str(path))
        except Exception as error:  # noqa: BLE001 - a reader failure is reported, the set goes on
            print(f"  {path.name}: {error}")
            continue
        out[gold.name[: -len(".gold.jsonl")]] = list(structure(document).clauses)
    return out


def matched_gold(directory: Path) -> list[tuple[Clause, str]]:
    """Structured clauses paired with the gold label of the gold clause they match (FORMAT.md matching)."""
    from evaluation.clauses import load_gold, match

    gold = load_gold(directory)
    pairs = []
    for stem, clauses in structured(directory).items():
        doc = gold.get(stem)
        if doc is None:
            continue
        for gi, pi, _ in match([g.text for g in doc.clauses], [c.text for c in clauses]):
            if not doc.clauses[gi].optional:
                pairs.append((clauses[pi], doc.clauses[gi].label))
    return pairs


def end_to_end(directory: Path, classifier, errors: bool = False) -> None:
    """Read each source beside the gold files, structure it, classify it, score with evaluation.clauses."""
    from evaluation.clauses import evaluate

    predictions = []
    clauses_total, seconds = 0, 0.0
    for stem, clauses in structured(directory).items():
        start = time.perf_counter()
        labelled = classifier.predict(clauses)
        seconds += time.perf_counter() - start
        clauses_total += len(labelled)
        predictions += [{"source": c.source or stem, "instruction": c.instruction, "number": c.number,
                         "text": c.text, "label": c.label, "confidence": c.confidence} for c in labelled]
    report = evaluate(directory, predictions)
    print(report.table())
    print(f"classified {clauses_total} clauses in {seconds:.2f}s")
    if errors:
        pairs = matched_gold(directory)
        for (clause, gold), got in zip(pairs, classifier.predict([c for c, _ in pairs]), strict=True):
            if got.label != gold:
                print(f"  gold={gold} got={got.label} [{clause.section_type}|{clause.lead_in[:40]}] "
                      f"{clause.text[:90]!r} :: {got.reason}")


def throughput(kind: str) -> None:
    """Clauses per second on the register corpus given gold segmentation (documents of 50 clauses with their
    sections and lead-ins): cold (empty lemma caches and classifier memory, analyzer loading included) and
    warm (a second pass, as inside a long batch). Pin to one core with ``taskset -c 0``."""
    from pipeline.classify import analysis, load, rules

    root = Path(__file__).resolve().parent.parent / "corpora" / "registers"
    clauses = [c for c, _ in gold_clauses(root, "gold")]
    classifier = load(kind)
    classifier.predict(clauses[:1])
    analysis.analyse.cache_clear()
    rules._decide_cached.cache_clear()
    if hasattr(classifier, "forget"):
        classifier.forget()
    documents: dict[str, list[Clause]] = {}
    for clause in clauses:
        documents.setdefault(clause.source, []).append(clause)
    for run in ("cold", "warm"):
        start = time.perf_counter()
        for document in documents.values():
            classifier.predict(document)
        elapsed = time.perf_counter() - start
        print(f"{classifier.kind} {run}: {len(clauses)} clauses in {elapsed:.2f}s = {len(clauses) / elapsed:.0f}/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*")
    parser.add_argument("--bench", action="store_true", help="measure clauses per second and stop")
    parser.add_argument("--kind", default="auto")
    parser.add_argument("--context", default="gold", choices=("none", "gold", "structure"))
    parser.add_argument("--as", dest="status", default="",
                        help="what the set is to this classifier: trained-on, tuned-on or blind (printed)")
    parser.add_argument("--reliability", action="store_true", help="print the reliability table")
    parser.add_argument("--errors", action="store_true", help="print the wrongly labelled clauses")
    args = parser.parse_args(argv)
    if args.bench:
        throughput(args.kind)
        return 0
    from pipeline.classify import load

    classifier = load(args.kind)
    for d in args.dirs:
        if not Path(d).is_dir():
            print(f"{d}: not a folder", file=sys.stderr)
            return 2
        if args.context == "structure":
            end_to_end(Path(d), classifier, args.errors)
            continue
        start = time.perf_counter()
        found = measure(classifier, Path(d), args.context)
        elapsed = time.perf_counter() - start
        status = f" [{args.status}]" if args.status else ""
        print(f"{d}{status}: labels given gold segmentation ({classifier.kind}, context {args.context})")
        print(f"  all      {found['all'].line()}")
        for name in ("formal", "informal"):
            if name in found:
                print(f"  {name:8} {found[name].documents} documents: {found[name].line()}")
        if args.reliability:
            print(reliability_table(found["all"].reliability))
        items, predicted = found["_items"]
        print(f"  ({len(items) / elapsed:.0f} clauses/s with reading)")
        if args.errors:
            pairs = [(g, p.label) for (_, g), p in zip(items, predicted, strict=True) if g != p.label]
            print(Counter(pairs).most_common())
            for (clause, gold), p in zip(items, predicted, strict=True):
                if gold != p.label:
                    print(f"  gold={gold} got={p.label} {p.confidence:.2f} [{clause.section_type}|"
                          f"{clause.section_title[:30]}|{clause.lead_in[:40]}] {clause.text[:90]!r} :: {p.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
