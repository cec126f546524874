"""Atomic file output (one file, or several all-or-nothing) and strict UTF-8 input.

Every user file is read through :func:`read_text` (or :func:`decode_text` for bytes already in
memory): the whole file must be UTF-8 without NUL bytes, else :class:`InputError` names the line.
Line ends are the file's own; :func:`normalise_newlines` is the one place that folds ``\\r\\n``
and ``\\r`` to ``\\n`` and tells which one a file uses, so output can keep it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import marshal
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from .errors import InputError

_NEWLINE = re.compile(r"\r\n?|\n")


def _line_at(data: bytes, offset: int) -> int:
    """1-based line of byte *offset*; ``\\r\\n``, ``\\r`` and ``\\n`` each end a line."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def decode_text(data: bytes, path: str | Path, *, hint: str = "") -> str:
    """Decode a whole file strictly: invalid UTF-8 or a NUL byte raise :class:`InputError`
    naming the line (*hint* is appended to the invalid-UTF-8 message)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        message = f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}){hint}"
        raise InputError(message, path, line) from None
    if "\x00" in text:
        offset = data.index(b"\x00")
        raise InputError(f"binary file: NUL byte at offset {offset}, not text", path, _line_at(data, offset))
    return text


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file (line ends as they are); invalid bytes or a NUL byte raise
    :class:`InputError` naming the line. OS errors (missing file...) propagate."""
    return decode_text(Path(path).read_bytes(), path)


def normalise_newlines(text: str) -> tuple[str, str]:
    """*text* with ``\\r\\n`` and ``\\r`` line ends turned into ``\\n``, and the line end the
    text uses (its first one; ``\\n`` when it has none), to write the output back with."""
    m = _NEWLINE.search(text)
    if m is None:
        return text, "\n"
    newline = m.group()
    if "\r" not in text:
        return text, newline
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


def restore_newlines(text: str, newline: str) -> str:
    """The inverse of :func:`normalise_newlines` for text with ``\\n`` line ends."""
    return text if newline == "\n" else text.replace("\n", newline)


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
    # ENOSPC, EFBIG, EACCES...: one line naming the file being written
    return InputError(f"cannot write: {exc.strerror or exc}", path)


#: how a new temporary file is opened: created here or not at all, never through a symbolic link
_NEW_FILE = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _new_file(directory: str | Path, prefix: str, suffix: str) -> tuple[int, str]:
    """A new file ``PREFIX<12 random hex digits>SUFFIX`` in *directory*, created with mode 0600 by
    this call alone (``O_EXCL``: an existing name is never reused), and its absolute path: what
    ``tempfile.mkstemp`` makes, without importing :mod:`tempfile` (and :mod:`random` behind it: 5 ms
    of CPU at every start)."""
    for _ in range(100):
        name = os.path.join(os.path.abspath(directory), f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, _NEW_FILE, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(directory))


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new ``.NAME.*.tmp`` file in *path*'s directory (created if needed), the name a killed run's
    leftovers are recognised by; *path* must not be a directory."""
    if path.is_dir():
        raise InputError("is a directory: give a file name", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _new_file(path.parent, f".{path.name}.", ".tmp")
    except OSError as exc:
        raise _os_error(exc, path) from None


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w") -> Iterator[IO[str]]:
    """Open a temporary file beside *path*; it replaces *path* only if the block succeeds.

    An exception (or Ctrl-C) inside the block leaves *path* as it was and no temporary file.
    Operating-system errors (a directory in the way, no permission...) become :class:`InputError`.
    """
    path = Path(path)
    fd, tmp = _temp_beside(path)
    try:
        binary = "b" in mode
        with os.fdopen(fd, mode, encoding=None if binary else "utf-8", newline=None if binary else "") as fh:
            try:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise _os_error(exc, path) from None
        try:
            os.chmod(tmp, _file_mode(path))  # made 0600 (_new_file); give the usual permissions
            os.replace(tmp, path)
        except OSError as exc:
            raise _os_error(exc, path) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_sealed(path: str | Path, magic: bytes) -> Any:
    """The value :func:`write_sealed` stored in *path*; None when the file is missing, cut short or
    damaged (its magic number or its Adler-32 checksum wrong) or holds no marshal data: the
    caches kp-translate keeps (:mod:`kp_translate.compiled`, :mod:`kp_translate.rxstore`) only
    save work, and one that cannot be read is made again."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head = len(magic)
    if data[:head] != magic or len(data) < head + 4:
        return None
    payload = memoryview(data)[head + 4 :]
    if zlib.adler32(payload) != int.from_bytes(data[head : head + 4], "big"):
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def write_sealed(path: str | Path, magic: bytes, value: Any) -> None:
    """Store *value* (:mod:`marshal` data) in *path* after *magic* and its Adler-32 checksum,
    atomically (:func:`atomic_open`); a cache that cannot be written is no error."""
    payload = marshal.dumps(value)
    with contextlib.suppress(InputError, OSError), atomic_open(path, "wb") as fh:
        fh.write(magic + zlib.adler32(payload).to_bytes(4, "big") + payload)  # type: ignore[arg-type]


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


# ---------------------------------------------------------------------------------------------
# Several files, all or nothing

JOURNAL_PREFIX = ".kp-journal-"


_TEMP_TAG = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _temp_of(filename: str) -> str | None:
    """The file a temporary file of :func:`atomic_open` or :func:`write_files_atomic` was made
    for (``.NAME.TAG.tmp`` or ``.NAME.TAG.bak``, *TAG* letters, digits and ``_``), else ``None``."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot or suffix not in ("tmp", "bak") or not stem.startswith("."):
        return None
    name, dot, tag = stem[1:].rpartition(".")
    if not dot or not name or not tag or not _TEMP_TAG.issuperset(tag):
        return None
    return name


def recover(directories: Iterable[str | Path], names: Iterable[str] = ()) -> list[str]:
    """Finish what a killed :func:`write_files_atomic` left in *directories*, and clean up.

    A journal (``.kp-journal-*.json``) is written only once every new file is staged and synced:
    its renames are completed (roll forward), then its backups removed. Temporary files
    ``.NAME.*.tmp`` (and ``.NAME.*.bak``) of the files *names* that no journal refers to are
    leftovers of a run killed before it renamed anything: they are removed. Returns the files
    completed.
    """
    completed: list[str] = []
    wanted = set(names)
    for directory in dict.fromkeys(Path(d) for d in directories):
        if not directory.is_dir():
            continue
        for journal in sorted(directory.glob(JOURNAL_PREFIX + "*.json")):
            completed.extend(_roll_forward(journal))
        if not wanted:
            continue
        for leftover in directory.iterdir():
            if _temp_of(leftover.name) in wanted:
                with contextlib.suppress(OSError):
                    leftover.unlink()
    return completed


def _roll_forward(journal: Path) -> list[str]:
    try:
        steps = json.loads(journal.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        # written last, synced before any rename: an unreadable journal means no rename started
        with contextlib.suppress(OSError):
            journal.unlink()
        return []
    done: list[str] = []
    for target, tmp, _ in steps:
        if os.path.exists(tmp):
            os.replace(tmp, target)
            done.append(target)
    _fsync_dirs(Path(target).parent for target, _, _ in steps)
    for _, _, backup in steps:
        if backup:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(backup)
    journal.unlink()
    _fsync_dirs([journal.parent])
    return done


def _fsync_dirs(directories: Iterable[Path]) -> None:
    for directory in dict.fromkeys(directories):
        with contextlib.suppress(OSError):
            fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def write_files_atomic(files: Mapping[str | Path, str]) -> None:
    """Write every file of *files* (path -> text) or none of them.

    1. each new text goes to a temporary file beside its target (``.NAME.XXXX.tmp``), synced;
       a failure here (disk full, file too large, no permission) removes them all: nothing written;
    2. each existing target gets a hard-linked backup (``.NAME.XXXX.bak``) and a journal naming
       every rename is written and synced in the first target's directory;
    3. the temporary files are renamed over their targets; if a rename fails, the renamed ones
       are put back from their backups; if the process is killed, the next :func:`recover` of
       that directory completes the renames from the journal;
    4. the journal and the backups are removed.

    Permission bits of replaced files are kept. Errors are :class:`InputError` naming the file.
    """
    targets = [Path(p) for p in files]
    if not targets:
        return
    recover({t.parent for t in targets}, {t.name for t in targets})
    staged: list[tuple[Path, str, str | None]] = []  # (target, tmp, backup)
    journal: str | None = None
    try:
        for target, text in zip(targets, files.values(), strict=True):
            fd, staging = _temp_beside(target)
            staged.append((target, staging, None))
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(staging, _file_mode(target))
            except OSError as exc:
                raise _os_error(exc, target) from None
        for i, (target, staging, _) in enumerate(staged):
            if target.exists():
                backup = staging[: -len(".tmp")] + ".bak"
                try:
                    os.link(target, backup)
                except OSError as exc:
                    raise _os_error(exc, target) from None
                staged[i] = (target, staging, backup)
        fd, journal = _new_file(targets[0].parent, JOURNAL_PREFIX, ".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"files": [[str(t.resolve()), str(Path(tmp).resolve()), b] for t, tmp, b in staged]}, fh)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise _os_error(exc, Path(journal)) from None
        _fsync_dirs([targets[0].parent])
    except BaseException:
        _discard(staged)
        if journal:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(journal)
        raise
    renamed: list[tuple[Path, str | None]] = []
    try:
        for target, staging, saved in staged:
            try:
                os.replace(staging, target)
            except OSError as exc:
                raise _os_error(exc, target) from None
            renamed.append((target, saved))
    except BaseException:
        # put back what was replaced; the journal goes, so no later run rolls forward
        for target, saved in reversed(renamed):
            with contextlib.suppress(OSError):
                if saved:
                    os.replace(saved, target)
                else:
                    os.unlink(target)
        _discard(staged)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(journal)
        raise
    _fsync_dirs(t.parent for t in targets)
    os.unlink(journal)
    _discard(staged)


def _discard(staged: Iterable[tuple[Path, str, str | None]]) -> None:
    """Remove the temporary files and backups of *staged* that still exist."""
    for _, tmp, backup in staged:
        for leftover in (tmp, backup):
            if leftover:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)
