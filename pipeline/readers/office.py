""".odt, and .doc/.rtf when the native readers cannot (or are asked not to) read them: converted to .docx by
LibreOffice headless, then read by the .docx reader.

Many files go through one ``soffice`` call (its start-up costs seconds); each process uses a
LibreOffice profile of its own (two instances sharing one block each other); every call has a
timeout, and a batch that times out is retried file by file so one hanging file fails alone.
Without LibreOffice, a .doc the native reader cannot read falls back to antiword and an .rtf to
striprtf, with a warning that the automatic numbering may be lost.

A batch runner reads many files with one LibreOffice start: a worker calls ``prefetch(paths)`` with its
group of files, and ``read(path)`` then takes the conversion from there. ``convert_many(paths)`` gives each
path its .docx bytes (or text, for the tests' oracle) or its :class:`ReadError`, and
``from_docx(path, data, docx, fmt)`` turns the bytes into the Document that ``read(path)`` would have given.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from ..records import Document
from . import UNREADABLE, ReadError, register, sha256_bytes
from .docx import read_package
from .plain import clean_text, line_blocks
from .sniff import sniff_format

#: Seconds one soffice call may take per file in it (plus a fixed start-up allowance).
SECONDS_PER_FILE = 30
STARTUP_SECONDS = 60
#: Files per soffice call: enough to amortise start-up, few enough that a retry stays cheap.
BATCH_SIZE = 50

FILTERS = {
    "docx": 'docx:MS Word 2007 XML',
    "txt": "txt:Text (encoded):UTF8",
    "doc": "doc:MS Word 97",
    "rtf": "rtf:Rich Text Format",
    "odt": "odt:writer8",
}
LOST_NUMBERING = "LibreOffice not installed: read with {tool}; automatic numbering may be lost"

_lock = threading.Lock()
_profile: str | None = None
_profile_pid = 0


def soffice() -> str | None:
    """The LibreOffice binary; ``JOBCLAUSES_SOFFICE`` overrides (empty: behave as if absent)."""
    configured = os.environ.get("JOBCLAUSES_SOFFICE")
    if configured is not None:
        return configured or None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_url() -> str:
    # One profile per process, created on first use and removed at exit; a forked worker makes
    # its own, since two LibreOffice instances on one profile block each other.
    global _profile, _profile_pid
    if _profile is None or _profile_pid != os.getpid():
        _profile = tempfile.mkdtemp(prefix=f"jobclauses-lo-{os.getpid()}-")
        _profile_pid = os.getpid()
        atexit.register(shutil.rmtree, _profile, True)
    return Path(_profile).as_uri()


def close() -> None:
    """Remove this process's LibreOffice profile (workers that end by ``os._exit`` skip atexit)."""
    _drop_profile()


def _drop_profile() -> None:
    global _profile
    if _profile is not None:
        shutil.rmtree(_profile, ignore_errors=True)
        _profile = None


def _run(binary: str, files: list[Path], target: str, outdir: Path, timeout: float) -> str:
    """Run one soffice conversion; return '' or the reason it failed as a whole."""
    cmd = [binary, f"-env:UserInstallation={_profile_url()}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", FILTERS[target], "--outdir", str(outdir), *map(str, files)]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as error:
        return f"cannot start LibreOffice: {error.strerror or error}"
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        _drop_profile()  # a killed instance may leave locks or a half-written profile behind
        return f"LibreOffice timed out after {timeout:g} s"
    return ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _check(target: str, data: bytes) -> bytes | ReadError:
    if not data:
        return ReadError("LibreOffice produced an empty file")
    if target == "docx" and sniff_format(data, "x.docx") != "docx":
        return ReadError("LibreOffice produced no valid .docx")
    return data


def convert_many(paths: list[str], to: str = "docx", timeout_per_file: float = SECONDS_PER_FILE,
                 startup_seconds: float = STARTUP_SECONDS, binary: str | None = None) -> dict[str, bytes | ReadError]:
    """Convert files with LibreOffice: path -> the converted bytes, or the :class:`ReadError` for it.

    ``to`` is ``docx`` (for reading), ``txt`` (LibreOffice's text export, the tests' oracle) or
    ``doc``/``rtf``/``odt``. Inputs are copied under neutral names whose extension is the sniffed
    format, so a .doc that is really RTF converts and equal base names never collide.
    """
    binary = binary or soffice()
    if binary is None:
        return {p: ReadError("LibreOffice (soffice) is not installed") for p in paths}
    out: dict[str, bytes | ReadError] = {}
    with _lock, tempfile.TemporaryDirectory(prefix="jobclauses-convert-") as tmp:
        staged: dict[str, Path] = {}
        for i, path in enumerate(paths):
            try:
                data = Path(path).read_bytes()
            except OSError as error:
                out[path] = ReadError(f"cannot open: {error.strerror or error}")
                continue
            fmt = sniff_format(data, path)
            if fmt in UNREADABLE:
                out[path] = ReadError(UNREADABLE[fmt])
                continue
            ext = fmt if fmt in ("doc", "rtf", "odt", "docx", "html", "txt") else Path(path).suffix.lstrip(".")
            src = Path(tmp, "in", f"f{i}.{ext}")
            src.parent.mkdir(exist_ok=True)
            src.write_bytes(data)
            staged[path] = src
        for start in range(0, len(staged), BATCH_SIZE):
            batch = dict(list(staged.items())[start:start + BATCH_SIZE])
            out.update(_convert_batch(binary, batch, to, Path(tmp), (startup_seconds, timeout_per_file)))
    return out


def _convert_batch(binary: str, batch: dict[str, Path], to: str, tmp: Path,
                   timeouts: tuple[float, float]) -> dict[str, bytes | ReadError]:
    outdir = tmp / "out"
    outdir.mkdir(exist_ok=True)
    failure = _run(binary, list(batch.values()), to, outdir, timeouts[0] + timeouts[1] * len(batch))
    results = _collect(batch, to, outdir)
    missing = [p for p, r in results.items() if r is None]
    if missing and len(batch) > 1:
        # Retry one by one: the file that hung or crashed the batch then fails alone.
        for path in missing:
            results.update(_convert_batch(binary, {path: batch[path]}, to, tmp, timeouts))
        return results  # type: ignore[return-value]
    reason = failure or "LibreOffice could not convert the file (unreadable or unsupported content)"
    return {p: (r if r is not None else ReadError(reason)) for p, r in results.items()}


def _collect(batch: dict[str, Path], to: str, outdir: Path) -> dict[str, bytes | ReadError | None]:
    results: dict[str, bytes | ReadError | None] = {}
    for path, src in batch.items():
        target = outdir / (src.stem + "." + to)
        if target.exists():
            results[path] = _check(to, target.read_bytes())
            target.unlink()
        else:
            results[path] = None
    return results


def convert_bytes(path: str, data: bytes, to: str = "docx") -> bytes:
    """Convert one file's bytes; raise :class:`ReadError` when LibreOffice cannot."""
    with tempfile.TemporaryDirectory(prefix="jobclauses-one-") as tmp:
        fmt = sniff_format(data, path)
        src = Path(tmp, f"input.{fmt}")
        src.write_bytes(data)
        result = convert_many([str(src)], to)[str(src)]
    if isinstance(result, ReadError):
        raise result
    return result


def export_text_many(paths: list[str]) -> dict[str, str | ReadError]:
    """LibreOffice's own text export of each file (UTF-8, BOM removed)."""
    return {p: (r if isinstance(r, ReadError) else r.decode("utf-8-sig"))
            for p, r in convert_many(paths, to="txt").items()}


# ---------------------------------------------------------------- readers


def from_docx(path: str, data: bytes, docx: bytes, fmt: str) -> Document:
    """The Document of a file LibreOffice converted to ``docx`` (hash and format of the original)."""
    text, blocks, warnings = read_package(docx)
    return Document(path=path, sha256=sha256_bytes(data), format=fmt, text=text, blocks=blocks,
                    encoding="utf-8", reader="libreoffice+docx", warnings=warnings)


# ---------------------------------------------------------------- conversion ahead, in groups

#: Conversions done ahead by :func:`prefetch`: path -> (hash of the bytes converted, .docx bytes or error).
_prefetched: dict[str, tuple[str, bytes | ReadError]] = {}


#: Send .doc and .rtf through LibreOffice instead of the native readers: ``JOBCLAUSES_DOC_READER=libreoffice``.
READER_VARIABLE = "JOBCLAUSES_DOC_READER"


def prefer_libreoffice() -> bool:
    return os.environ.get(READER_VARIABLE, "").strip().lower() in ("libreoffice", "soffice", "lo")


def goes_through_libreoffice(fmt: str) -> bool:
    """Whether a file of this (sniffed) format is read through LibreOffice in this process: .odt always;
    .doc and .rtf when ``JOBCLAUSES_DOC_READER=libreoffice`` (the native readers are the default)."""
    return fmt == "odt" or (fmt in ("doc", "rtf") and prefer_libreoffice())


def prefetch(paths: list[str]) -> int:
    """Convert, with one LibreOffice start, those of ``paths`` that will be read through LibreOffice; a later
    ``read(path)`` of the same bytes takes its conversion from here. Returns how many were converted.

    A batch worker calls this with the group of files it was given: start-up is paid once a group, the
    per-file timeout and the file-by-file retry of :func:`convert_many` still apply.
    """
    if soffice() is None:
        return 0
    todo: dict[str, str] = {}
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_PREFETCH_BYTES + 1)
        except OSError:
            continue
        if len(data) > MAX_PREFETCH_BYTES or not goes_through_libreoffice(sniff_format(data, path)):
            continue
        todo[path] = sha256_bytes(data)
    if len(todo) < 2:
        return 0  # one file gains nothing from going ahead
    _prefetched.clear()  # a group's conversions not read (a file that failed before reading) are stale now
    for path, result in convert_many(list(todo)).items():
        _prefetched[path] = (todo[path], result)
    return len(todo)


MAX_PREFETCH_BYTES = 64 * 1024 * 1024


def _via_libreoffice(path: str, data: bytes, fmt: str) -> Document:
    ahead = _prefetched.pop(path, None)
    if ahead is not None and ahead[0] == sha256_bytes(data):
        if isinstance(ahead[1], ReadError):
            raise ahead[1]
        return from_docx(path, data, ahead[1], fmt)
    return from_docx(path, data, convert_bytes(path, data, "docx"), fmt)


def _plain(path: str, data: bytes, fmt: str, text: str, reader: str) -> Document:
    text = clean_text(text)
    if not text.strip():
        raise ReadError(f"no text found by {reader}")
    return Document(path=path, sha256=sha256_bytes(data), format=fmt, text=text, blocks=line_blocks(text),
                    encoding="utf-8", reader=reader, warnings=(LOST_NUMBERING.format(tool=reader),))


def read_doc_antiword(path: str, data: bytes) -> Document:
    binary = shutil.which("antiword")
    if binary is None:
        raise ReadError("cannot read .doc: neither LibreOffice nor antiword is installed")
    with tempfile.NamedTemporaryFile(suffix=".doc") as f:
        f.write(data)
        f.flush()
        try:
            proc = subprocess.run([binary, "-m", "UTF-8.txt", "-w", "0", f.name], capture_output=True,
                                  timeout=SECONDS_PER_FILE)
        except subprocess.TimeoutExpired:
            raise ReadError(f"antiword timed out after {SECONDS_PER_FILE} s") from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError("antiword cannot read the file" + (f": {reason[-1][:120]}" if reason else ""))
    return _plain(path, data, "doc", proc.stdout.decode("utf-8", "replace"), "antiword")


_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def read_rtf_striprtf(path: str, data: bytes) -> Document:
    from striprtf.striprtf import rtf_to_text

    m = _CODEPAGE.search(data[:4096])
    encoding = f"cp{int(m.group(1))}" if m else "cp1252"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except (LookupError, ValueError, IndexError) as error:
        raise ReadError(f"striprtf cannot read the RTF: {error}") from None
    return _plain(path, data, "rtf", text, "striprtf")


def read_doc_libreoffice(path: str, data: bytes) -> Document:
    """A .doc through LibreOffice (or antiword without it); the native reader is :mod:`.doc`."""
    if soffice() is None:
        return read_doc_antiword(path, data)
    return _via_libreoffice(path, data, "doc")


def read_rtf_libreoffice(path: str, data: bytes) -> Document:
    """An .rtf through LibreOffice (or striprtf without it); the native reader is :mod:`.rtf`."""
    if soffice() is None:
        return read_rtf_striprtf(path, data)
    return _via_libreoffice(path, data, "rtf")


@register("odt")
def read_odt(path: str, data: bytes) -> Document:
    if soffice() is None:
        raise ReadError("cannot read .odt: LibreOffice (soffice) is not installed")
    return _via_libreoffice(path, data, "odt")
