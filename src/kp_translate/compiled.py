"""Loaded glossaries and compiled matchers kept between runs, in the user cache directory.

Loading and checking a glossary and compiling its matchers is the same work every run while the
files do not change: 0.1 s for the shipped 222 entries, 3–5 s at 20,000 (parsing, the duplicate
checks of every language, three automata). Two stores skip it:

* :func:`load_glossary`: the glossary as :func:`kp_translate.glossary.parse` returns it without a
  problem (with the view of its default source language), keyed on the glossary files (path as
  given and resolved, a hash of the bytes, in order), the default source language and the code;
* :func:`load_matcher` / :func:`store_matcher`: one compiled :class:`~kp_translate.match.Matcher`,
  keyed on the glossary view's :attr:`~kp_translate.glossary.Glossary.version` (its content), the
  matcher's kind, its language and the code. Its entries are written as their positions in the
  view and read back as the view's own entries (so ``match.entry is view.entries[i]``); the
  Aho-Corasick automaton, which the library cannot pickle, is rebuilt from its keys (a tenth of the
  compile time).

"The code" is the ``stat`` of every module of the package: any upgrade or edit is a new key. A
file is used only if it belongs to the user and nobody else may write to it (``pickle`` runs what
a file says: the cache directory must be the user's own, as it is by default); a damaged or
unreadable file is ignored and rewritten. Writes are atomic (:func:`~kp_translate.fileio.atomic_open`);
each store keeps its :data:`KEEP` newest files. Only glossaries (views) of :data:`MIN_ENTRIES` entries or more
are stored. ``KP_TRANSLATE_NO_COMPILED_CACHE=1`` turns both off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import KpError

if TYPE_CHECKING:
    from .glossary import Entry, Glossary
    from .match import Matcher

#: files kept per store (the newest)
KEEP = 16
#: what is stored: a glossary (a matcher) of at least this many entries; a smaller one loads and
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


# -- matchers -----------------------------------------------------------------------------------


class _Pickler(pickle.Pickler):
    """Entries as their positions in the view, languages as their codes."""

    def __init__(self, file: io.BytesIO, entries: Sequence[Entry]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.positions = {id(e): i for i, e in enumerate(entries)}

    def persistent_id(self, obj: Any) -> Any:
        from .glossary import Entry
        from .lang import Language

        if isinstance(obj, Entry):
            position = self.positions.get(id(obj))
            if position is None:
                raise pickle.PicklingError(f"entry {obj.id!r} is not in the glossary")
            return position
        if isinstance(obj, Language):
            return obj.code
        return None


class _Unpickler(pickle.Unpickler):
    """An entry's position (an int) as the view's entry, a language code (a str) as the language."""

    def __init__(self, file: io.BytesIO, entries: Sequence[Entry]) -> None:
        from . import lang

        super().__init__(file)
        self.entries = entries
        self.language = lang.get

    def persistent_load(self, pid: Any) -> Any:
        if type(pid) is int:
            return self.entries[pid]
        if type(pid) is str:
            return self.language(pid)
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def _matcher_key(glossary: Glossary, kind: str, language: str) -> str:
    return _key("matcher", glossary.version, len(glossary), kind, language)


def load_matcher(glossary: Glossary, kind: str, language: str) -> Matcher | None:
    """The matcher stored for this glossary (view) content, kind and language, or None."""
    if not enabled() or not language:
        return None
    data = _read(_store("matchers") / f"{_matcher_key(glossary, kind, language)}.pickle")
    if data is None:
        return None
    from .match import Matcher

    try:
        found = _Unpickler(io.BytesIO(data), glossary.entries).load()
    except Exception:
        return None
    return found if isinstance(found, Matcher) else None


def store_matcher(matcher: Matcher, glossary: Glossary, kind: str, language: str) -> None:
    """Keep *matcher*, compiled from *glossary*, for the next run."""
    if not enabled() or not language:
        return
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, glossary.entries).dump(matcher)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    _write(_store("matchers") / f"{_matcher_key(glossary, kind, language)}.pickle", buffer.getvalue())
