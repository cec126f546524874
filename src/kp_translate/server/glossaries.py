"""Glossaries a request brings (inline TSV or a JSON list) and those stored on the server
(``GET/POST/DELETE /glossaries``).

Every glossary is read by the project's own readers (``.kpg``, TSV, CSV through
:func:`kp_translate.glossary.parse`, TBX through :mod:`kp_translate.formats.tbx`, PO through
:mod:`kp_translate.formats.po`) and validated as ``kp-translate glossary check`` validates, so a
bad upload is refused with the line of its first problem. A stored glossary is two files written
all or none (:func:`kp_translate.fileio.write_files_atomic`): ``<id><suffix>`` as uploaded and
``<id>.json`` (its name and format).
"""

from __future__ import annotations

import json
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ..errors import InputError
from ..fileio import decode_text, write_files_atomic
from ..glossary import Entry, Glossary, Problem, normalise_form, parse, validate

#: upload format -> file suffix
FORMATS = {"kpg": ".kpg", "tsv": ".tsv", "csv": ".csv", "tbx": ".tbx", "po": ".po"}
_ID = regex.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def _raise_first(problems: Sequence[Problem], label: str, staged: str) -> None:
    if problems:
        first = problems[0]
        path = label if first.path == staged else first.path
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise InputError(first.message + more, path, first.line or None)


def _relabel(entries: Sequence[Entry], label: str) -> None:
    for e in entries:
        e.path = label


def _from_po(path: Path, label: str, default_source: str) -> Glossary:
    """A PO glossary (``kp-translate glossary export --format po`` or any PO of terms): one entry per
    translated message, msgctxt its id when it has one, msgid the source form, msgstr the target;
    the forms are in the catalogue's ``X-Source-Language`` (default *default_source*)."""
    from ..formats import po as po_format
    from ..lang import codes

    try:
        po = po_format.read(path, require_header=False)
    except InputError as exc:
        raise InputError(exc.message, label, exc.line) from None
    declared = str(po.catalog.metadata.get("X-Source-Language", "")).strip()
    language = codes.normalise(declared) if declared else default_source
    entries: dict[str, Entry] = {}
    for n, message in enumerate(po.entries, 1):
        if not message.msgid or not message.msgstr:
            continue
        line = po.line_of(message)
        entry_id = str(message.msgctxt or f"po.{n}")
        entry = entries.get(entry_id)
        if entry is None:
            entry = entries[entry_id] = Entry(
                id=entry_id, type="term", target=message.msgstr, status="reviewed", path=label, line=line
            )
            entry.fields.append(("target", message.msgstr, line))
        elif entry.target != message.msgstr:
            raise InputError(f"entry '{entry_id}' has two targets ('{entry.target}', '{message.msgstr}')", label, line)
        if language == default_source:
            entry.sources.append(message.msgid)
        else:
            entry.lang_sources.setdefault(language, []).append(message.msgid)
        entry.fields.append(("source", message.msgid, line))
    if not entries:
        raise InputError("no translated message: nothing to enforce", label)
    return Glossary(entries.values(), [label], default_source=default_source)


def read_glossary(data: bytes, fmt: str, label: str, default_source: str) -> Glossary:
    """The glossary *data* holds (in format *fmt*), validated; :class:`InputError` names *label*
    and the line of the first problem."""
    suffix = FORMATS.get(fmt)
    if suffix is None:
        raise InputError(f"unknown glossary format '{fmt}' (use {', '.join(FORMATS)})", label)
    decode_text(data, label)  # invalid UTF-8 or binary: the upload's own line
    with tempfile.TemporaryDirectory(prefix="kp-glossary-") as tmp:
        # the staged file is named after the upload: a table's entry ids come from its name
        stem = regex.sub(r"[^a-z0-9]+", "-", Path(label).stem.lower()).strip("-") or "upload"
        staged = Path(tmp) / f"{stem}{suffix}"
        staged.write_bytes(data)
        if fmt == "tbx":
            from ..formats import tbx

            try:
                glossary = tbx.read(staged)
            except InputError as exc:
                raise InputError(exc.message, label, exc.line) from None
            _relabel(glossary.entries, label)
            glossary = Glossary(glossary.entries, [label], default_source=glossary.default_source)
            _raise_first(validate(glossary.entries, glossary.default_source), label, label)
            return glossary
        if fmt == "po":
            glossary = _from_po(staged, label, default_source)
            _raise_first(validate(glossary.entries, default_source), label, label)
            return glossary
        glossary, problems = parse([staged], default_source)
        _raise_first(problems, label, str(staged))
        _relabel(glossary.entries, label)
        if not glossary.entries:
            raise InputError("the glossary holds no entry", label)
        return Glossary(glossary.entries, [label], default_source=default_source)


def inline_glossary(value: Any, default_source: str) -> Glossary:
    """A request's ``glossary``: a two-column TSV string (source, target), or a JSON list of
    ``{"source", "target", "dnt", "forbidden"}`` (``source`` a string or a list of strings)."""
    if isinstance(value, str):
        return read_glossary(value.encode(), "tsv", "glossary", default_source)
    if not isinstance(value, list):
        raise InputError("'glossary' must be a TSV string or a list of {source, target} objects")
    entries: list[Entry] = []
    for n, item in enumerate(value, 1):
        where = f"glossary item {n}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected an object with 'source' and 'target'")
        unknown = sorted(set(item) - {"source", "target", "dnt", "forbidden", "note", "type"})
        if unknown:
            raise InputError(f"{where}: unknown field '{unknown[0]}'")
        sources = item.get("source")
        sources = [sources] if isinstance(sources, str) else sources
        if not sources or not all(isinstance(s, str) and s.strip() for s in sources):
            raise InputError(f"{where}: 'source' must be a non-empty string or list of strings")
        dnt = item.get("dnt", False)
        if not isinstance(dnt, bool):
            raise InputError(f"{where}: 'dnt' must be true or false")
        target = item.get("target", sources[0] if dnt else None)
        if not isinstance(target, str) or not target.strip():
            raise InputError(f"{where}: 'target' must be a non-empty string")
        forbidden = item.get("forbidden", [])
        forbidden = [forbidden] if isinstance(forbidden, str) else forbidden
        if not isinstance(forbidden, list) or not all(isinstance(f, str) and f for f in forbidden):
            raise InputError(f"{where}: 'forbidden' must be a string or a list of strings")
        note = item.get("note", "")
        kind = item.get("type", "term")
        if not isinstance(note, str) or not isinstance(kind, str):
            raise InputError(f"{where}: 'note' and 'type' must be strings")
        entry = Entry(
            id=f"request.{n}",
            type=kind,
            target=target.strip(),
            sources=[s.strip() for s in sources],
            forbidden=list(forbidden),
            dnt=dnt,
            status="reviewed",
            note=note,
            path="glossary",
            line=n,
        )
        entry.fields = [("target", entry.target, n), *(("source", s, n) for s in entry.sources)]
        entries.append(entry)
    if not entries:
        raise InputError("'glossary' is empty")
    problems = validate(entries, default_source)
    if problems:
        raise InputError(f"glossary item {problems[0].line}: {problems[0].message}")
    return Glossary(entries, ["glossary"], default_source=default_source)


class Combined:
    """The server's glossary with a request's, as one source language sees them: a form the
    request's glossary declares replaces the server entry declaring it (for that request only).
    The last few combinations are kept, so that a stored glossary used again reuses its matchers."""

    def __init__(self, size: int = 32) -> None:
        self._cache: OrderedDict[tuple[str, str, str], Glossary] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def __call__(self, server: Glossary, extra: Glossary | None, source: str) -> Glossary:
        base = server.view(source)
        if extra is None:
            return base
        key = (base.version, extra.version, source)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        added = extra.view(source)
        taken = {normalise_form(f).lower() for e in added for f in e.sources}
        ids = {e.id for e in added}
        kept = [e for e in base if e.id not in ids and not any(normalise_form(f).lower() in taken for f in e.sources)]
        combined = Glossary([*kept, *added], [*server.files, *extra.files], default_source=source, source=source)
        with self._lock:
            self._cache[key] = combined
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return combined


@dataclass
class Stored:
    id: str
    name: str
    format: str
    glossary: Glossary

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "entries": len(self.glossary),
            "version": self.glossary.version,
            "languages": self.glossary.languages,
            "format": self.format,
        }


class GlossaryStore:
    """Glossaries stored in a directory, loaded at start and kept in memory."""

    def __init__(self, directory: Path, default_source: str) -> None:
        self.directory = directory
        self.default_source = default_source
        self._items: dict[str, Stored] = {}
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        if not self.directory.is_dir():
            return
        for meta_path in sorted(self.directory.glob("*.json")):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                gid, name, fmt = meta_path.stem, str(meta["name"]), str(meta["format"])
                data = (self.directory / f"{gid}{FORMATS[fmt]}").read_bytes()
                glossary = read_glossary(data, fmt, name, self.default_source)
            except (OSError, ValueError, KeyError, InputError):
                continue  # a damaged store entry is skipped, never fatal
            self._items[gid] = Stored(gid, name, fmt, glossary)

    def list(self) -> list[Stored]:
        with self._lock:
            return sorted(self._items.values(), key=lambda s: (s.name, s.id))

    def get(self, gid: str) -> Stored | None:
        with self._lock:
            return self._items.get(gid)

    def add(self, name: str, data: bytes, fmt: str, label: str | None = None) -> Stored:
        """Validate and store a glossary (*label*: what errors name, default *name*)."""
        name = name.strip()
        if not name:
            raise InputError("a stored glossary needs a 'name'")
        fmt = fmt.lower().lstrip(".")
        glossary = read_glossary(data, fmt, label or name, self.default_source)
        gid = secrets.token_hex(6)
        meta = json.dumps({"name": name, "format": fmt}, ensure_ascii=False) + "\n"
        self.directory.mkdir(parents=True, exist_ok=True)
        write_files_atomic(
            {
                self.directory / f"{gid}{FORMATS[fmt]}": data.decode("utf-8"),
                self.directory / f"{gid}.json": meta,
            }
        )
        stored = Stored(gid, name, fmt, glossary)
        with self._lock:
            self._items[gid] = stored
        return stored

    def delete(self, gid: str) -> bool:
        if not _ID.match(gid):
            return False
        with self._lock:
            stored = self._items.pop(gid, None)
        if stored is None:
            return False
        for path in (self.directory / f"{gid}.json", self.directory / f"{gid}{FORMATS[stored.format]}"):
            path.unlink(missing_ok=True)
        return True


def format_of(filename: str, given: str | None) -> str:
    """The format an upload is in: *given*, else its file name's suffix."""
    if given:
        return given.lower().lstrip(".")
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InputError(f"cannot tell the glossary format from the file name (use {', '.join(FORMATS)})", filename)
    return suffix
