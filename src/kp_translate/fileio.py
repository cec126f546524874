"""Atomic file output and strict UTF-8 input."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import InputError


def read_text(path: str | Path) -> str:
    """Read a UTF-8 file; invalid bytes raise :class:`InputError` naming the line."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", path, line) from None


def check_output(output: str | Path, inputs: Iterable[str | Path], what: str = "an input") -> None:
    """Refuse an output path that would overwrite one of *inputs* (files or directories), or
    land inside an input directory (where it would be read back as input next time).

    Raises :class:`InputError` naming the output: ``out: would overwrite an input (corpus/fr/x.txt)``.
    """
    out = Path(output).resolve()
    for given in inputs:
        src = Path(given).resolve()
        if out == src:
            raise InputError(f"would overwrite {what} ({given})", output)
        if src.is_dir() and src in out.parents:
            raise InputError(f"would write inside {what} ({given}), where it would be read as input", output)


def _os_error(exc: OSError, path: Path) -> InputError:
    return InputError(f"cannot write: {exc.strerror or exc}", exc.filename or path)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w") -> Iterator[IO[str]]:
    """Open a temporary file beside *path*; it replaces *path* only if the block succeeds.

    An exception (or Ctrl-C) inside the block leaves *path* as it was and no temporary file.
    Operating-system errors (a directory in the way, no permission...) become :class:`InputError`.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory: give a file name", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _os_error(exc, path) from None
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _file_mode(path: Path) -> int:
    """The mode *path* has now, or what a new file gets (0666 less the umask)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write *text* to *path* atomically (all or nothing)."""
    with atomic_open(path) as fh:
        fh.write(text)
