"""Compiled ``regex`` patterns kept across runs (``patterns.marshal`` in the cache directory).

``regex`` compiles a pattern in Python (its parser and compiler): 0.3-2.5 ms each, and a dossier's
``translate`` compiles about a hundred, 30-40 ms of CPU, a tenth of kp-translate's own work. A
compiled pattern pickles as the arguments of ``regex``'s C constructor (``regex``'s own pickle
support, through :mod:`copyreg`); those arguments are kept here, and a later run makes the same
pattern from them in some 20 µs, with nothing parsed.

* **What is kept**: per pattern and flags, those arguments, which are data only (strings,
  numbers, bytes, lists, dicts, tuples): :mod:`marshal`, never pickle, nothing run. The file is a
  magic number, an Adler-32 checksum and the payload, which names the ``regex`` version, its
  default version flag and the Python version it was made with.
* **What is ignored**: a file missing, cut short, damaged, or of another ``regex`` or Python;
  an entry that is not the pattern and flags asked for, or that ``regex`` refuses. The pattern is
  then compiled as usual, and the file replaced at exit.
* **When it is written**: at exit, only if the run compiled a pattern the file did not hold; the
  :data:`MAX_ENTRIES` used last are kept, replaced atomically (a rename). It is kept whatever
  ``--no-cache`` says, as Apertium's answers and the chains to start early are: it changes no
  output, only the time a run takes. Without a cache directory (no home directory and no
  ``$KP_TRANSLATE_CACHE``) nothing is kept.

:func:`kp_translate.rx.compiled` and :func:`kp_translate.rx.deferred` compile through :func:`get`.
"""

from __future__ import annotations

import atexit
import copyreg
import marshal
import os
import sys
import threading
from typing import Any

import regex

from .dirs import cache_root
from .fileio import read_sealed, write_sealed

__all__ = ["FILENAME", "MAX_ENTRIES", "MAX_ENTRY_BYTES", "get", "save"]

FILENAME = "patterns.marshal"
#: patterns kept: the last used (a dossier's run uses about a hundred; the file is read whole by
#: every run: 1.6 ms for 456 patterns)
MAX_ENTRIES = 1_000
#: a pattern whose arguments take more is not kept (a few are 1 KB; the file stays small)
MAX_ENTRY_BYTES = 1 << 16
MAGIC = b"KPRX1\n"
#: what the stored arguments were made by: another regex or Python is another layout
_MADE_BY = (str(regex.__version__), int(regex.DEFAULT_VERSION), sys.version)

Key = tuple[str, int]

_lock = threading.Lock()
#: the file's entries (None: not read yet)
_stored: dict[Key, tuple[Any, ...]] | None = None
#: the entries this run used or made, in the order it did
_used: dict[Key, tuple[Any, ...]] = {}
#: whether this run made an entry the file did not hold (the file is then written at exit)
_changed = False
#: regex's C constructor, as its pickle support names it (found when first needed)
_make: Any = None


def _path() -> str | None:
    root = cache_root()
    return None if root is None else os.path.join(root, FILENAME)


def _read() -> dict[Key, tuple[Any, ...]]:
    """The file's entries; empty when there is none or it cannot be used (see the module docstring)."""
    path = _path()
    value = read_sealed(path, MAGIC) if path is not None else None
    if not (isinstance(value, tuple) and len(value) == 2 and value[0] == _MADE_BY and isinstance(value[1], dict)):
        return {}
    entries: dict[Key, tuple[Any, ...]] = value[1]
    return entries


def _constructor() -> Any:
    global _make
    if _make is None:
        _make = copyreg.dispatch_table[regex.Pattern](regex.compile(""))[0]
    return _make


def _from_arguments(key: Key, arguments: object) -> regex.Pattern[str] | None:
    """The pattern made from stored *arguments*, or None when they are not those of *key*."""
    if not (isinstance(arguments, tuple) and arguments and arguments[0] == key[0]):
        return None
    try:
        made = _constructor()(*arguments)
    except Exception:  # (arguments of another layout: compiled as usual)
        return None
    return made if isinstance(made, regex.Pattern) else None  # (its pattern is arguments[0], checked above)


def get(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, made from the kept arguments when there are some."""
    global _stored, _changed
    key = (pattern, int(flags))
    with _lock:
        if _stored is None:
            _stored = _read()
        arguments = _stored.get(key)
    if arguments is not None:
        made = _from_arguments(key, arguments)
        if made is not None:
            with _lock:
                _used[key] = arguments
            return made
    compiled = regex.compile(pattern, flags)
    try:
        made_of: tuple[Any, ...] = tuple(copyreg.dispatch_table[regex.Pattern](compiled)[1])
        size = len(marshal.dumps(made_of))
    except (KeyError, IndexError, TypeError, ValueError):  # (nothing that can be kept)
        return compiled
    if size > MAX_ENTRY_BYTES:
        return compiled
    with _lock:
        if not _changed:
            atexit.register(save)
        _changed = True
        _used[key] = made_of
    return compiled


def save() -> None:
    """Write the file if this run made a pattern it did not hold (called at exit)."""
    global _changed
    with _lock:
        if not _changed:
            return
        _changed = False
        entries = dict(_stored or {})
        for key, arguments in _used.items():  # the used last, at the end: what is kept
            entries.pop(key, None)
            entries[key] = arguments
    path = _path()
    if path is not None:
        write_sealed(path, MAGIC, (_MADE_BY, dict(list(entries.items())[-MAX_ENTRIES:])))
