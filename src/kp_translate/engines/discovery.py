"""What an Apertium installation offers, asked once per installation rather than once per run.

Building a route and its warm pipelines asks Apertium four kinds of question: which modes are
installed (``apertium -l``, a shell script that runs ``basename`` once per mode), its version
(``apertium -V``, for the model id) and, for each mode, its pipeline as ``apertium-wblank-mode``
rewrites it (with and without ``-z``). Each answer costs a process or a few (0.1–0.15 s together
on a busy 2-core machine, a third of what kp-translate adds to a one-sentence run), and the
answers only change when the installation does. :func:`output` keeps each answer in one JSON file
of the user cache directory (:func:`~kp_translate.cache.default_cache_dir`, the segment cache's:
``$KP_TRANSLATE_CACHE``, else ``$XDG_CACHE_HOME/kp-translate``, else ``~/.cache/kp-translate``),
keyed on the command line and on the ``stat`` (path, size, modification time, inode) of every file
the answer depends on: the program (resolved through ``PATH``), the mode file, the modes
directories (installing or removing a pair adds or removes a file there, which changes the
directory's modification time) and ``$APERTIUM_DATADIR``. A changed installation is a new key: no
stale answer is ever read. The file is replaced atomically (:func:`~kp_translate.fileio.atomic_open`);
one that cannot be read or written is ignored (the question is asked as before).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..dirs import read_record, write_record
from ..errors import EngineError

FILENAME = "apertium-discovery.json"
#: answers kept (oldest dropped first): a few installations' worth
MAX_ENTRIES = 256
#: where ``apertium`` looks for modes when ``$APERTIUM_DATADIR`` is not set (Debian's script)
DEFAULT_DATADIR = Path("/usr/share/apertium")


def modes_directories(command: str) -> list[Path]:
    """The directories an installation's ``.mode`` files live in: ``$APERTIUM_DATADIR/modes``
    (default ``/usr/share/apertium/modes``), the one beside the command, ``/usr/local``'s."""
    dirs = [Path(os.environ.get("APERTIUM_DATADIR") or DEFAULT_DATADIR) / "modes"]
    exe = shutil.which(command)
    if exe:
        dirs.append(Path(exe).resolve().parent.parent / "share" / "apertium" / "modes")
    dirs.append(Path("/usr/local/share/apertium/modes"))
    return list(dict.fromkeys(dirs))


def _stamp(path: Path) -> list[object]:
    try:
        st = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), st.st_size, st.st_mtime_ns, st.st_ino]


def _key(args: Sequence[str], depends_on: Iterable[Path]) -> str:
    exe = shutil.which(args[0])
    files = [Path(exe).resolve() if exe else Path(args[0]), *depends_on]
    payload = [list(args), os.environ.get("APERTIUM_DATADIR", ""), [_stamp(p) for p in files]]
    return hashlib.sha256(json.dumps(payload).encode("utf-8")).hexdigest()


def _read() -> dict[str, str]:
    return {k: v for k, v in read_record(FILENAME).items() if isinstance(v, str)}


def _write(entries: dict[str, str]) -> None:
    write_record(FILENAME, dict(entries), MAX_ENTRIES)


def run(args: Sequence[str], timeout: float) -> str:
    """The standard output of *args* (exit status ignored); :class:`EngineError` when it cannot
    be run or takes longer than *timeout* seconds."""
    import subprocess  # (here: a run whose answers are all remembered needs none)

    try:
        done = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"cannot run {args[0]}: {exc}") from None
    return done.stdout


def output(args: Sequence[str], depends_on: Iterable[Path] = (), timeout: float = 30.0) -> str:
    """:func:`run` of *args*, remembered across runs for as long as the program and every file of
    *depends_on* are unchanged (see the module docstring)."""
    key = _key(args, depends_on)
    entries = _read()
    found = entries.get(key)
    if found is not None:
        return found
    out = run(args, timeout)
    entries = _read()  # another process may have written since
    entries.pop(key, None)
    entries[key] = out
    _write(entries)
    return out
