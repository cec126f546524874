"""The compiled-glossary cache: a loaded glossary, its language views and their matchers kept as
plain data, so that a run with a 20,000-entry glossary does not parse, validate and compile it again.

``translate`` keeps it beside the segment cache (``--cache-dir``, else the default cache
directory), in ``glossaries/<key>/``; ``--no-cache`` neither reads nor writes it. The key is a
SHA-256 of the glossary files' names and bytes, the default source language, the Python version
and the source of the modules that build what is stored (:func:`code_fingerprint`), so an edited
glossary file or an upgraded kp-translate gets a new key and the old entry is never read again
(the :data:`KEEP` most recently used keys are kept, older ones removed). Only a glossary without
problems is stored: a glossary with one is parsed, and reported, as without the cache.

What a key's directory holds, one file each, written atomically (:func:`kp_translate.fileio.atomic_open`)
when first built, each a magic number, an Adler-32 checksum and a :mod:`marshal` payload (a file
that does not read back whole, or fails its checksum, is ignored and rebuilt):

* ``base.kpc``: the file list, version and languages, and each entry as its own marshalled tuple;
* ``view-<lang>.kpc``: a language view (:meth:`kp_translate.glossary.Glossary.view`): the positions
  of its entries, its version, the entries with surname-only forms;
* ``matcher-<view>-<kind>-<lang>.kpc``: a matcher's word index (:meth:`kp_translate.match.Matcher.tables`):
  its forms sorted by first word, with their entries' positions and case rules, as flat lists.

Read back, nothing is decoded before it is needed: an :class:`~kp_translate.glossary.Entry` is
made when a text matches it (or something iterates the glossary), a group of the word index
when a text has its first word; the Aho-Corasick automaton of a large matcher is built only once
its texts make it worth the time (:data:`kp_translate.match.EAGER_KEYS`). So the cost of a big
glossary is reading its files and these data, not the Python objects of 20,000 entries.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from .config import settings
from .fileio import read_sealed, recover, write_sealed
from .gcpause import FREEZE_MIN, paused
from .glossary import Entry, Glossary, LazySequence, glossary_files, load

if TYPE_CHECKING:
    from .lang import Language
    from .match import Matcher

#: bump when the layout of what is stored changes (the code fingerprint covers the rest)
FORMAT = 2
MAGIC = b"KPGC\x00\x01"
#: the directory, inside the cache directory, that holds the compiled glossaries
DIRECTORY = "glossaries"
#: compiled glossaries kept in one cache directory (the most recently used)
KEEP = 8
_FIELDS = tuple(f.name for f in dataclasses.fields(Entry))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of what builds the stored data: the storage format, the Python version (marshal's),
    and the source of the glossary, matcher, language and cache modules."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{FORMAT}:{sys.version}".encode())
    for path in sorted([here / "glossary.py", here / "match.py", here / "compiled.py", *(here / "lang").glob("*.py")]):
        h.update(path.name.encode() + b"\0")
        with contextlib.suppress(OSError):
            h.update(path.read_bytes())
    return h.hexdigest()


def _entry(data: bytes) -> Entry:
    return Entry(*marshal.loads(data))  # every field, by position (_FIELDS)


def _entry_data(entry: Entry) -> bytes:
    return marshal.dumps(tuple(getattr(entry, name) for name in _FIELDS))


class LazyEntries(LazySequence):
    """A glossary's entries (or a language view's: *positions* in the glossary and the view's
    *language* and default language) made from their marshalled data when first asked for."""

    def __init__(
        self,
        data: list[bytes],
        ids: list[str],
        positions: list[int] | None = None,
        language: tuple[str, str] | None = None,
    ) -> None:
        self._data = data
        self._ids = ids
        self._positions = positions
        self._language = language
        self._made: list[Entry | None] = [None] * (len(positions) if positions is not None else len(data))

    def __len__(self) -> int:
        return len(self._made)

    def _make(self, i: int) -> Entry:
        entry = _entry(self._data[self._positions[i] if self._positions is not None else i])
        if self._language is not None:  # as Glossary.view makes it: that language's forms only
            entry.sources, entry.patterns = entry.sources_for(*self._language)
            entry.lang_sources, entry.lang_patterns = {}, {}
        self._made[i] = entry
        return entry

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> list[Entry]: ...
    def __getitem__(self, i: int | slice) -> Entry | list[Entry]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        entry = self._made[i]
        if entry is not None:
            return entry
        return self._make(i if i >= 0 else i + len(self))

    def __iter__(self) -> Iterator[Entry]:
        for i, entry in enumerate(self._made):
            yield entry if entry is not None else self._make(i)

    def ids(self) -> list[str]:
        """The entries' ids, in order."""
        positions = self._positions
        return self._ids if positions is None else [self._ids[p] for p in positions]

    def by_id(self) -> Mapping[str, Entry]:
        return _ById(self)


class _ById(Mapping[str, Entry]):
    """Entry id -> entry of :class:`LazyEntries`, each made when looked up."""

    def __init__(self, entries: LazyEntries) -> None:
        self._entries = entries
        self._index = {entry_id: i for i, entry_id in enumerate(entries.ids())}

    def __getitem__(self, entry_id: str) -> Entry:
        return self._entries[self._index[entry_id]]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class Store:
    """One compiled glossary's directory (``glossaries/<key>/``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.kpc"

    def read(self, name: str) -> Any:
        """What :meth:`write` stored under *name*, or None when it is missing, cut short or damaged."""
        with paused():
            return read_sealed(self._path(name), MAGIC)

    def write(self, name: str, value: Any) -> None:
        """Store *value* under *name* (atomically); a cache that cannot be written is no error."""
        write_sealed(self._path(name), MAGIC, value)

    # -- the glossary ---------------------------------------------------------------------

    def glossary(self, default_source: str) -> Glossary | None:
        """The stored glossary, its entries made when first asked for; None if there is none."""
        base = self.read("base")
        try:
            if base is None or base["default_source"] != default_source:
                return None
            entries = LazyEntries(base["entries"], base["ids"])
            glossary = Glossary(entries, base["files"], default_source=default_source)
            glossary._version, glossary._languages = base["version"], base["languages"]
        except (KeyError, TypeError, ValueError):
            return None
        glossary.store = self
        with contextlib.suppress(OSError):
            os.utime(self._path("base"))  # recently used: kept by the pruning
        return glossary

    def save(self, glossary: Glossary) -> None:
        """Store *glossary* (freshly parsed) and keep it attached, so its views and matchers are
        stored as they are first built; then remove the least recently used other keys."""
        with paused():
            data = [_entry_data(e) for e in glossary.entries]
        self.write(
            "base",
            {
                "default_source": glossary.default_source,
                "files": glossary.files,
                "version": glossary.version,
                "languages": glossary.languages,
                "ids": [e.id for e in glossary.entries],
                "entries": data,
            },
        )
        glossary.store = self
        _prune(self.directory.parent, keep=self.directory)

    def view(self, glossary: Glossary, source: str) -> Glossary | None:
        """*glossary*'s stored view for *source* (None if not stored, or *glossary* not read from here)."""
        entries = glossary.entries
        if not isinstance(entries, LazyEntries):
            return None
        stored = self.read(f"view-{source}")
        try:
            if stored is None:
                return None
            positions, version, short = stored["positions"], stored["version"], stored["short"]
            seen = LazyEntries(entries._data, entries._ids, positions, (source, glossary.default_source))
            view = Glossary(seen, glossary.files, default_source=glossary.default_source, source=source)
            view._version = version
            view._with_short = [seen[i] for i in short]
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        view.store = self
        return view

    def save_view(self, glossary: Glossary, view: Glossary) -> None:
        """Store *view* (just built from *glossary*) and attach it."""
        position = {e.id: i for i, e in enumerate(glossary.entries)}
        self.write(
            f"view-{view.source}",
            {
                "positions": [position[e.id] for e in view.entries],
                "version": view.version,
                "short": [i for i, e in enumerate(view.entries) if e.short],
            },
        )
        view.store = self

    # -- matchers -------------------------------------------------------------------------

    @staticmethod
    def _matcher_name(glossary: Glossary, kind: str, language: Language) -> str:
        return f"matcher-{glossary.source or 'all'}-{kind}-{language.code or language.name}"

    def matcher(self, glossary: Glossary, kind: str, language: Language) -> Matcher | None:
        """*glossary*'s stored matcher of *kind* for *language*, or None."""
        from .match import Matcher

        if not isinstance(glossary.entries, LazyEntries):
            return None
        tables = self.read(self._matcher_name(glossary, kind, language))
        if tables is None:
            return None
        try:
            with paused(freeze=len(glossary) >= FREEZE_MIN):
                return Matcher.from_tables(tables, glossary.entries, kind, language)
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def save_matcher(self, glossary: Glossary, kind: str, language: Language, matcher: Matcher) -> None:
        """Store *matcher* (just compiled for *glossary*)."""
        with paused():
            tables = matcher.tables({id(e): i for i, e in enumerate(glossary.entries)})
        self.write(self._matcher_name(glossary, kind, language), tables)


def _prune(directory: Path, keep: Path) -> None:
    """Remove all but the :data:`KEEP` most recently used compiled glossaries of *directory*."""
    with contextlib.suppress(OSError):
        found = []
        for child in directory.iterdir():
            if child != keep and child.is_dir():
                base = child / "base.kpc"
                found.append((base.stat().st_mtime if base.exists() else 0.0, child))
        for _, child in sorted(found, reverse=True)[KEEP - 1 :]:
            shutil.rmtree(child, ignore_errors=True)


def _key(given: Sequence[str], files: Sequence[Path], contents: Sequence[bytes], default_source: str) -> str:
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(repr((default_source, list(given))).encode())
    for path, data in zip(files, contents, strict=True):
        h.update(f"\0{path}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:32]


def load_compiled(paths: Sequence[str | Path], directory: str | Path) -> Glossary:
    """:func:`kp_translate.glossary.load` of *paths* through the compiled-glossary cache in
    *directory* (its ``glossaries/`` subdirectory): the stored glossary when the files are the
    ones it was built from, else the files parsed (problems raised as without the cache) and stored."""
    default_source = settings().source
    files: list[Path] = []
    for given in map(Path, paths):
        if not given.exists():
            return load(paths)  # reported as without the cache
        found = glossary_files(given)
        # a 'glossary import' killed while renaming left a journal: complete it before reading
        with contextlib.suppress(OSError):
            recover([given if given.is_dir() else given.parent], [f.name for f in found])
        files.extend(found)
    try:
        contents = [f.read_bytes() for f in files]
    except OSError:
        return load(paths)
    store = Store(Path(directory) / DIRECTORY / _key([str(p) for p in paths], files, contents, default_source))
    glossary = store.glossary(default_source)
    if glossary is not None:
        return glossary
    glossary = load(paths)
    try:  # stored only if the files are still what the key says (not edited while parsed)
        unchanged = [f.read_bytes() for f in files] == contents
    except OSError:
        unchanged = False
    if unchanged:
        store.save(glossary)
    return glossary
