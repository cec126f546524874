"""Loaded glossaries kept between runs, in the user cache directory.

Parsing and checking a glossary is the same work every run while its files do not change.
:func:`load_glossary` returns the glossary as :func:`kp_translate.glossary.parse` gave it without
a problem (with the view of its default source language), keyed on the glossary files (path as
given and resolved, a hash of the bytes, in order), the default source language and the code.
Compiled matchers are not stored: unpickling one (its dictionaries of forms, and the Aho-Corasick
automaton, which ``ahocorasick_rs`` cannot pickle, rebuilt from its keys) measured as slow as
compiling it.

"The code" is the ``stat`` of every module of the package: any upgrade or edit is a new key. A
file is used only if it belongs to the user and nobody else may write to it (``pickle`` runs what
a file says: the cache directory must be the user's own, as it is by default); a damaged or
unreadable file is ignored and rewritten. Writes are atomic (:func:`~kp_translate.fileio.atomic_open`);
each store keeps its :data:`KEEP` newest files. Only glossaries of :data:`MIN_ENTRIES` entries or more are
stored. ``KP_TRANSLATE_NO_COMPILED_CACHE=1`` turns both off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KpError

if TYPE_CHECKING:
    from .glossary import Glossary

#: files kept per store (the newest)
KEEP = 16
#: what is stored: a glossary of at least this many entries; a smaller one loads and
#: compiles about as fast as it would unpickle (the shipped 222 entries: 0.1 s), and a size,
#: unlike a time, gives every run on every machine the same behaviour
MIN_ENTRIES = 2000
_PACKAGE = Path(__file__).resolve().parent


def enabled() -> bool:
    return os.environ.get("KP_TRANSLATE_NO_COMPILED_CACHE", "") in ("", "0")


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """A hash of the ``stat`` of every module of the package (and the Python version)."""
    h = hashlib.sha256(f"{sys.version}:{pickle.HIGHEST_PROTOCOL}".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        with contextlib.suppress(OSError):
            st = path.stat()
            h.update(f"{path.relative_to(_PACKAGE)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _store(name: str) -> Path:
    from .cache import default_cache_dir

    return default_cache_dir() / "compiled" / name


def _key(*parts: object) -> str:
    return hashlib.sha256(repr((code_stamp(), *parts)).encode("utf-8")).hexdigest()[:32]


def _read(path: Path) -> bytes | None:
    try:
        with path.open("rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            return fh.read()
    except OSError:
        return None


def _write(path: Path, data: bytes) -> None:
    from .fileio import atomic_open

    with contextlib.suppress(KpError, OSError):
        with atomic_open(path, "wb") as fh:
            fh.write(data)  # type: ignore[arg-type]
        os.chmod(path, 0o600)
        older = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in older[KEEP:]:
            stale.unlink(missing_ok=True)


# -- glossaries ---------------------------------------------------------------------------------


def _glossary_key(files: Sequence[Path], default_source: str) -> str:
    """The files' paths and a hash of their bytes (a modification time can stay the same across
    two quick edits of equal size)."""
    stamps = [(str(f), str(f.resolve()), hashlib.sha256(f.read_bytes()).hexdigest()) for f in files]
    return _key("glossary", default_source, stamps)


def load_glossary(files: Sequence[Path], default_source: str) -> Glossary | None:
    """The glossary stored for exactly these *files* as they are now, or None."""
    if not enabled() or not files:
        return None
    try:
        path = _store("glossary") / f"{_glossary_key(files, default_source)}.pickle"
    except OSError:
        return None
    data = _read(path)
    if data is None:
        return None
    try:
        found = pickle.loads(data)
    except Exception:
        return None
    from .glossary import Glossary

    return found if isinstance(found, Glossary) else None


def store_glossary(glossary: Glossary, files: Sequence[Path]) -> None:
    """Keep *glossary* (parsed from *files* without a problem) for the next run."""
    if not enabled() or not files:
        return
    try:
        key = _glossary_key(files, glossary.default_source)
    except OSError:
        return
    glossary.view(glossary.default_source).version  # noqa: B018 (computed once, stored with it)
    _write(_store("glossary") / f"{key}.pickle", pickle.dumps(glossary, protocol=pickle.HIGHEST_PROTOCOL))
