"""Fuzz the readers and the segmenter for a bounded time and report what crashed.

    python fuzz/run.py SECONDS [--engine auto|atheris|random] [--seed N] [--findings DIR]
    python fuzz/run.py --replay FILE...

Inputs are the sample files of ``corpora/samples`` and generated Word files (the numbering fixtures, the
bad-input generators), mutated: bytes flipped, inserted, deleted, duplicated and spliced, tokens a reader
cares about (markers, XML tags, BOMs, NUL) inserted, and for a .docx one XML part mutated and the package
zipped again, so that the mutations reach the XML and not only the zip's checksums. Each input goes through
``read_bytes(name, data)`` and ``structure``; a ``ReadError`` is the expected answer to a bad file, anything
else (and a block whose offsets do not point at its text) is a finding. Findings are saved under
``--findings`` (default ``out/fuzz``), one file per distinct crash site, with its traceback beside it.

With atheris (``pip install atheris``) the mutations are guided by coverage of the pipeline's Python code;
without it, the same mutators run in a seeded random loop. .doc and .rtf go through the native readers
(the legacy documents of ``tests/data/legacy`` are seeds) with LibreOffice switched off
(``JOBCLAUSES_SOFFICE=``), since a conversion, even a fallback one, takes seconds; .odt is not fuzzed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import re
import resource
import signal
import sys
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

#: The file name an input is read under: the first byte of a fuzz input picks it (the sniffer breaks ties by it).
NAMES = ("case.txt", "case.docx", "case.html", "case.md", "case.doc", "case.htm", "case.text", "case")
#: Formats converted by LibreOffice: too slow for a fuzz loop.
SLOW_FORMATS = frozenset({"doc", "rtf", "odt"})
#: Bytes that mean something to some reader.
TOKENS = (
    b"\x00", b"\r", b"\r\n", b"\n\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xd0", b"\xc2\xa0", b"\xe2\x80\xa8",
    b"1.", b"1.1.", b"2.3.1.", b"IV.", b"\xd0\xb0)", b"\xe2\x80\xa2", b"- ", b"**", b":", b";", b"#", b"> ",
    "Должностные обязанности".encode(), "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ".encode(), "имеет право:".encode(),
    b"<w:p>", b"</w:p>", b"<w:r><w:t>", b"</w:t></w:r>", b"<w:tab/>", b"<w:br/>", b"<w:tbl><w:tr><w:tc>",
    b'<w:numPr><w:ilvl w:val="8"/><w:numId w:val="1"/></w:numPr>', b'w:val="4294967296"', b'w:val="-1"',
    b'<w:fldChar w:fldCharType="begin"/>', b'<w:instrText>', b'<w:lvlText w:val="%1.%9"/>',
    b'<w:gridSpan w:val="1000"/>', b"<w:sym w:char=\"FFFF\"/>", b"&#0;", b"&#xD800;", b"&amp;", b"<![CDATA[",
    b"<!--", b"-->", b"<li>", b"<ol start=\"-5\">", b"<ul>", b"<table><tr><td>", b"<br>", b"<meta charset=koi8-r>",
    b"<script>", b"PK\x03\x04", b"{\\rtf1", b"%PDF",
)


# ---- seeds -----------------------------------------------------------------------------------------------


def _name_byte(name: str) -> bytes:
    return bytes([NAMES.index(name)])


def seeds() -> list[bytes]:
    """Fuzz inputs to start from: a name byte, then the file's bytes."""
    import badfiles
    import docx_fixtures
    from docxgen import docx_bytes, para

    out: list[bytes] = []
    samples = sorted(p for p in (ROOT / "corpora" / "samples").iterdir() if p.suffix in (".txt", ".html"))
    for path in samples:
        data = path.read_bytes()
        out.append(_name_byte("case.html" if path.suffix == ".html" else "case.txt") + data)
        if path.suffix == ".txt":
            lines = data.decode("utf-8", errors="ignore").splitlines()[:60]
            out.append(_name_byte("case.docx") + docx_bytes("".join(para(line) for line in lines if line.strip())))
    out += [_name_byte("case.docx") + case.data for case in docx_fixtures.all_cases()]
    legacy = ROOT / "tests" / "data" / "legacy"
    out += [_name_byte("case.doc") + path.read_bytes() for path in sorted(legacy.glob("*.doc"))]
    out += [_name_byte("case.doc") + path.read_bytes() for path in sorted(legacy.glob("*.rtf"))]  # sniffed as RTF
    out += [_name_byte("case.docx") + docx_fixtures.random_lists(seed) for seed in range(3)]
    out += [
        _name_byte("case.docx") + badfiles.good_docx(),
        _name_byte("case.txt") + badfiles.deep_list_text(30),
        _name_byte("case.html") + badfiles.deep_list_html(30),
        _name_byte("case.doc") + badfiles.html_named_doc(),
        _name_byte("case.txt") + badfiles.FORMULA_INSTRUCTION.encode("cp1251"),
        _name_byte("case.txt") + badfiles.mixed_encodings(),
    ]
    return out


def split(blob: bytes) -> tuple[str, bytes]:
    if not blob:
        return NAMES[0], b""
    return NAMES[blob[0] % len(NAMES)], blob[1:]


# ---- mutators --------------------------------------------------------------------------------------------


def mutate_bytes(data: bytes, rnd: random.Random, pool: list[bytes], rounds: int = 0) -> bytes:
    """A few random edits of ``data``: flips, inserts, deletions, duplications, tokens, a splice."""
    buf = bytearray(data)
    for _ in range(rounds or rnd.choice((1, 1, 2, 3, 5, 8))):
        at = rnd.randrange(len(buf) + 1)
        kind = rnd.randrange(9)
        if kind == 0 and buf:
            buf[min(at, len(buf) - 1)] ^= 1 << rnd.randrange(8)
        elif kind == 1 and buf:
            buf[min(at, len(buf) - 1)] = rnd.randrange(256)
        elif kind == 2:
            buf[at:at] = rnd.randbytes(rnd.randint(1, 8))
        elif kind == 3 and buf:
            del buf[at:at + rnd.randint(1, 64)]
        elif kind == 4 and buf:
            start = rnd.randrange(len(buf))
            piece = buf[start:start + rnd.randint(1, 256)]
            buf[at:at] = piece * rnd.choice((1, 2, 16))
        elif kind in (5, 6):
            token = rnd.choice(TOKENS)
            if token.startswith(b"<") and b"<" in buf:
                at = _tag_start(buf, rnd)  # between two tags, so that the XML mostly stays well formed
            buf[at:at] = token
        elif kind == 7 and b'w:val="' in buf:
            _replace_value(buf, rnd)
        elif kind == 8 and pool:
            other = rnd.choice(pool)
            cut = rnd.randrange(len(other) + 1)
            buf[at:] = other[cut:cut + rnd.randint(1, 4096)]
    return bytes(buf)


#: Attribute values at the edges of what a Word reader parses: negative, zero, past int16, int32, int64.
VALUES = (b"-1", b"0", b"1", b"9", b"32768", b"2147483648", b"4294967296", b"999999999999999999", b"1e3", b"",
          b"x", b"%1.%2.%3.%4.%5.%6.%7.%8.%9.", b"upperRoman", b"russianLower", b"bullet", b"none", b"decimalZero")


def _replace_value(buf: bytearray, rnd: random.Random) -> None:
    """Replace one ``w:val="..."`` value (a start, a level, a format, a list id) with an edge value."""
    at = buf.find(b'w:val="', rnd.randrange(len(buf)))
    if at < 0:
        at = buf.find(b'w:val="')
    start = at + len(b'w:val="')
    stop = buf.find(b'"', start)
    if stop >= 0:
        buf[start:stop] = rnd.choice(VALUES)


def _tag_start(buf: bytearray, rnd: random.Random) -> int:
    """The offset of the first ``<`` after a random point of ``buf`` (the first ``<`` when there is none)."""
    at = buf.find(b"<", rnd.randrange(len(buf)))
    return at if at >= 0 else buf.find(b"<")


def _zip_parts(data: bytes) -> list[tuple[str, bytes]] | None:
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if len(z.infolist()) > 200:
                return None
            return [(info.filename, z.read(info)) for info in z.infolist()]
    except Exception:  # noqa: BLE001 - a mutated zip: mutate its bytes instead
        return None


def mutate_package(parts: list[tuple[str, bytes]], rnd: random.Random, edit) -> bytes:
    """Mutate one part of a zip package (most often an XML part of word/) with ``edit``; zip it again."""
    parts = list(parts)
    xml = [k for k, (name, _) in enumerate(parts) if name.startswith("word/") and name.endswith(".xml")]
    choice = rnd.randrange(10)
    if choice == 0 and len(parts) > 1:
        del parts[rnd.randrange(len(parts))]  # a missing part
    elif choice == 1:
        k = rnd.randrange(len(parts))
        parts[k] = (parts[k][0] + rnd.choice(("", ".bak", "x")), parts[k][1])  # a renamed part
    else:
        k = rnd.choice(xml) if xml and choice > 2 else rnd.randrange(len(parts))
        parts[k] = (parts[k][0], edit(parts[k][1]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in parts:
            z.writestr(name, part)
    return buffer.getvalue()


def mutate(blob: bytes, rnd: random.Random, pool: list[bytes], edit=None) -> bytes:
    """A new fuzz input from ``blob``: its name byte sometimes changed, its package or its bytes mutated."""
    name, data = split(blob)
    if rnd.randrange(20) == 0:
        name = rnd.choice(NAMES)
    edit = edit or (lambda part: mutate_bytes(part, rnd, pool))
    parts = _zip_parts(data) if rnd.randrange(10) else None
    data = mutate_package(parts, rnd, edit) if parts else edit(data)
    return _name_byte(name) + data


# ---- the target ------------------------------------------------------------------------------------------


class Report:
    """Outcomes of every run and the distinct crashes, saved as they are found."""

    def __init__(self, findings: Path, slow_seconds: float = 10.0):
        self.findings = findings
        self.slow_seconds = slow_seconds
        self.runs = 0
        self.outcomes: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.crashes: dict[str, dict] = {}
        self.slowest = (0.0, "")
        self.started = time.monotonic()

    def crash(self, name: str, data: bytes, error: BaseException) -> None:
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f for f in frames if "/pipeline/" in f.filename] or frames
        site = f"{type(error).__name__} at {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else \
            type(error).__name__
        seen = self.crashes.get(site)
        if seen is not None:
            seen["count"] += 1
            return
        self.findings.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(data).hexdigest()[:12]
        suffix = Path(name).suffix or ".bin"
        path = self.findings / f"crash-{digest}{suffix}"
        path.write_bytes(data)
        tb = "".join(traceback.format_exception(error))
        path.with_suffix(path.suffix + ".traceback.txt").write_text(f"{site}\nread as {name}\n\n{tb}", "utf-8")
        self.crashes[site] = {"count": 1, "message": str(error)[:200], "file": str(path)}
        print(f"fuzz: new crash: {site}: {str(error)[:160]} -> {path}", file=sys.stderr, flush=True)

    def slow(self, name: str, data: bytes, seconds: float) -> None:
        if seconds > self.slowest[0]:
            self.slowest = (seconds, name)
        if seconds > self.slow_seconds:
            self.crash(name, data, TimeoutError(f"one input took {seconds:.1f} s"))

    def summary(self, engine: str) -> str:
        elapsed = time.monotonic() - self.started
        lines = [
            f"fuzz ({engine}): {self.runs} inputs in {elapsed:.0f} s ({self.runs / max(elapsed, 1e-9):.0f}/s); "
            f"slowest input {self.slowest[0]:.2f} s",
            "outcomes: " + ", ".join(f"{k} {v}" for k, v in self.outcomes.most_common()),
            "most frequent ReadError reasons:",
            *[f"  {n:6d}  {reason}" for reason, n in self.reasons.most_common(12)],
        ]
        if self.crashes:
            lines.append(f"{len(self.crashes)} distinct crash sites:")
            for site, c in self.crashes.items():
                lines.append(f"  {site} ({c['count']}x): {c['message']}\n      saved: {c['file']}")
        else:
            lines.append("no crashes")
        return "\n".join(lines)


def check(name: str, data: bytes) -> str:
    """Read and structure one input; return its outcome, raise on anything but a ``ReadError``."""
    from pipeline.readers import ReadError, read_bytes, sniff_format
    from pipeline.structure import structure

    fmt = sniff_format(data, name)
    if fmt in SLOW_FORMATS:
        return f"not fuzzed ({fmt})"
    try:
        doc = read_bytes(name, data, fmt)
    except ReadError as error:
        raise _Refused(str(error)) from None
    for block in doc.blocks:
        if doc.text[block.start:block.stop] != block.text:
            raise AssertionError(f"block offsets do not point at its text: {block.text[:60]!r}")
    found = structure(doc)
    for clause in found.clauses:
        if not 0 <= clause.start < clause.stop <= len(doc.text):
            raise AssertionError(f"clause offsets outside the text: {clause.start}..{clause.stop}")
    return f"{fmt}: read"


class _Refused(Exception):
    """A ``ReadError``: the expected outcome for a bad file."""


class Hang(BaseException):
    """An input that ran past the per-input time limit (a BaseException, so no ``except Exception`` eats it)."""


def _alarm(signum, frame) -> None:
    raise Hang("one input ran past the time limit")


def limit_resources(seconds: float, memory_mb: int) -> None:
    """A hang becomes :class:`Hang` after ``seconds``, a runaway allocation a MemoryError past ``memory_mb``."""
    global INPUT_SECONDS
    INPUT_SECONDS = seconds
    signal.signal(signal.SIGALRM, _alarm)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


INPUT_SECONDS = 0.0


def run_one(report: Report, blob: bytes) -> None:
    name, data = split(blob)
    started = time.monotonic()
    if INPUT_SECONDS:
        signal.setitimer(signal.ITIMER_REAL, INPUT_SECONDS)
    try:
        outcome = check(name, data)
    except _Refused as refused:
        outcome = "ReadError"
        report.reasons[_reason_class(str(refused))] += 1
    except (Exception, Hang) as error:  # noqa: BLE001 - every other exception is what we look for
        outcome = "crash"
        report.crash(name, data, error)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    if outcome != "crash":
        report.slow(name, data, time.monotonic() - started)
    report.runs += 1
    report.outcomes[outcome] += 1


def _reason_class(reason: str) -> str:
    """A reason without its numbers and quoted details, so that reasons of one kind count together."""
    reason = re.sub(r"\d+", "N", reason)
    return re.sub(r"(line|column) N.*", r"\1 N …", reason)[:110]


# ---- engines ---------------------------------------------------------------------------------------------


def run_random(seconds: float, seed: int, report: Report) -> None:
    rnd = random.Random(seed)
    corpus = seeds()
    pool = [split(s)[1] for s in corpus]
    for blob in corpus:
        run_one(report, blob)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        blob = rnd.choice(corpus)
        for _ in range(rnd.choice((1, 1, 2, 4))):
            blob = mutate(blob, rnd, pool)
        run_one(report, blob)


def run_atheris(seconds: float, seed: int, report: Report) -> None:
    import tempfile

    import atheris

    with atheris.instrument_imports(include=["pipeline"]):
        import pipeline.readers as readers
        import pipeline.structure  # noqa: F401

        readers._load_readers()
    corpus = seeds()
    pool = [split(s)[1] for s in corpus]
    corpus_dir = Path(tempfile.mkdtemp(prefix="jobclauses-fuzz-"))
    for k, blob in enumerate(corpus):
        (corpus_dir / f"seed-{k:03d}").write_bytes(blob)
    deadline = time.monotonic() + seconds

    def one_input(blob: bytes) -> None:
        run_one(report, blob)
        if time.monotonic() > deadline:
            _finish(report, "atheris")

    def custom_mutator(blob: bytes, max_size: int, mutator_seed: int) -> bytes:
        rnd = random.Random(mutator_seed)
        edit = (lambda part: atheris.Mutate(part, max(len(part) * 2, 64))) if rnd.randrange(2) else None
        out = mutate(blob, rnd, pool, edit)
        return out[:max_size]

    argv = [sys.argv[0], str(corpus_dir), f"-seed={seed or 1}", "-max_len=400000", "-timeout=120",
            "-rss_limit_mb=4096", f"-max_total_time={int(seconds) + 60}", "-print_final_stats=0", "-close_fd_mask=0"]
    atheris.Setup(argv, one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()


def _finish(report: Report, engine: str) -> None:
    print(report.summary(engine), flush=True)
    os._exit(1 if report.crashes else 0)


def replay(files: list[str], report: Report) -> None:
    for file in files:
        data = Path(file).read_bytes()
        name = f"case{Path(file).suffix}" if f"case{Path(file).suffix}" in NAMES else "case.txt"
        run_one(report, _name_byte(name) + data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", type=float, nargs="?", default=60.0, help="how long to fuzz")
    parser.add_argument("--engine", choices=["auto", "atheris", "random"], default="auto")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--findings", default=str(ROOT / "out" / "fuzz"), help="folder for crashing inputs")
    parser.add_argument("--replay", nargs="+", metavar="FILE", help="run saved inputs once and report")
    parser.add_argument("--input-seconds", type=float, default=20.0, help="time limit of one input")
    parser.add_argument("--memory-mb", type=int, default=3072, help="memory limit of the fuzzing process")
    args = parser.parse_args(argv)
    os.environ["JOBCLAUSES_SOFFICE"] = ""  # native readers only: no LibreOffice start per input
    report = Report(Path(args.findings), slow_seconds=args.input_seconds / 2)
    limit_resources(args.input_seconds, args.memory_mb)
    if args.replay:
        replay(args.replay, report)
        print(report.summary("replay"))
        return 1 if report.crashes else 0
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "random"
    if engine == "atheris":
        run_atheris(args.seconds, args.seed, report)  # ends the process itself
    run_random(args.seconds, args.seed, report)
    print(report.summary(engine))
    return 1 if report.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
