"""Benchmark: .docx files read per second by our reader vs python-docx and docx2python.

Not a test (no timed assertions): it prints the rates and the ratio. The files are generated in
memory, shaped like real job descriptions (multi-level numbered clauses, runs with formatting,
a header table), so disk speed does not enter the numbers.

    .venv/bin/python bench/bench_docx.py [--files 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from docxgen import abstract, decimal_levels, docx_bytes, lvl, num, para, style, styles, table  # noqa: E402

from pipeline.readers.docx import read_docx  # noqa: E402

WORDS = ("ведет учет обеспечивает контроль составляет отчетность по участкам бухгалтерского учета "
         "организует работу подчиняется директору предприятия несет ответственность за нарушение").split()


def _runs(rng: random.Random) -> str:
    # Word splits a paragraph into several formatted runs (spell checks, revisions, edits).
    out = []
    for _ in range(rng.randint(1, 5)):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))) + " "
        out.append(f'<w:r w:rsidR="00{rng.randint(100000, 999999)}"><w:rPr><w:rFonts w:ascii="Times New Roman" '
                   f'w:hAnsi="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>'
                   f'<w:t xml:space="preserve">{text}</w:t></w:r>')
    return "".join(out)


def make_file(seed: int) -> bytes:
    rng = random.Random(seed)
    body = [table([[para("УТВЕРЖДАЮ"), para("Директор ________")]]), para("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ", style="Title")]
    for _section in range(rng.randint(4, 6)):
        body.append(para(runs=_runs(rng), num="1", ilvl=0))
        for _clause in range(rng.randint(4, 15)):
            body.append(para(runs=_runs(rng), num="1", ilvl=1))
            if rng.random() < 0.2:
                body.extend(para(runs=_runs(rng), num="2", ilvl=0) for _ in range(rng.randint(2, 4)))
        body.append(para())
    numbering = (abstract(0, decimal_levels(3)) + abstract(1, lvl(0, fmt="russianLower", text="%1)"))
                 + num(1, 0) + num(2, 1))
    return docx_bytes("".join(body), numbering, styles(style("Title", "Title")))


def ours(data: bytes) -> int:
    return len(read_docx("bench.docx", data).blocks)


def python_docx(data: bytes) -> int:
    import docx

    document = docx.Document(io.BytesIO(data))
    return sum(1 for p in document.paragraphs if p.text)


def docx2python_text(data: bytes) -> int:
    from docx2python import docx2python

    with docx2python(io.BytesIO(data)) as result:
        return len(result.text)


def rate(func: Callable[[bytes], int], files: list[bytes], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for data in files:
            func(data)
        best = min(best, time.perf_counter() - start)
    return len(files) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # docx2python warns for every Russian list it cannot number; the rates are what matters here.
    warnings.filterwarnings("ignore", module="docx2python")
    files = [make_file(seed) for seed in range(args.files)]
    size = sum(map(len, files)) / len(files)
    print(f"{len(files)} generated .docx files, {size / 1024:.1f} kB each on average; best of {args.repeat} runs")
    for func in (ours, python_docx, docx2python_text):  # warm imports and caches
        func(files[0])
    rates = {
        "jobclauses docx reader (with numbering)": rate(ours, files, args.repeat),
        "python-docx paragraph iteration": rate(python_docx, files, args.repeat),
        "docx2python text": rate(docx2python_text, files, args.repeat),
    }
    for name, value in rates.items():
        print(f"  {name:42s} {value:8.1f} files/s")
    ours_rate = rates["jobclauses docx reader (with numbering)"]
    print(f"our time / python-docx time: {rates['python-docx paragraph iteration'] / ours_rate:.2f} "
          f"(goal: at most 1.5; below 1 means we are faster)")
    print(f"our time / docx2python time: {rates['docx2python text'] / ours_rate:.2f}")


if __name__ == "__main__":
    main()
