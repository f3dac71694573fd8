"""The one atomic writer: a file appears under its name complete, or not at all.

Every output (tables, workbook, Parquet parts, the journal) is written to a temporary file beside its final
path and renamed into place when complete, so a kill never leaves a half-written file under a real name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def publish(tmp: str | Path, path: Path) -> None:
    """Rename a finished temporary file into place with the mode a plain ``open`` would have given it:
    mkstemp makes it 0600, which would hide the outputs from the colleagues who share the folder."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (hidden by a leading dot) for a library that writes by file name;
    renamed over ``path`` when the block ends without an error, removed otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """An open file whose content replaces ``path`` (flushed and fsynced) only when the block completes."""
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
