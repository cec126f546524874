"""Reference snippets (corpus/ref/<article>.json) and how they find their paragraph.

A reference file holds English translations of some paragraphs of one article::

    {"doc": "000_7c2f12bc5fc2e4f7.txt",
     "snippets": [{"id": "000_7c2f12bc5fc2e4f7.txt#0", "hash": "3b5d1c0e9a7f",
                   "kind": "headline", "ref": "Rapprochement between Russia and North Korea: ..."}]}

Resolution: a snippet belongs to the French paragraph whose content hash
(:attr:`kp_translate.segment.Paragraph.hash`) equals ``hash`` — so it survives paragraphs added or
removed above it; when several paragraphs share the hash (a repeated headline), the one at the
id's index wins, else the first. When no paragraph has the hash, the French paragraph was edited
after the reference was written: the snippet is *stale*. It then falls back to the id's index,
and callers decide: ``kp-translate score`` uses it and warns; ``kp-translate check`` refuses it
(exit 2), because a gate must not compare a translation with a reference for other text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from .errors import InputError
from .fileio import read_text
from .rx import compiled
from .segment import Document, Paragraph

KINDS = ("headline", "quote", "paragraph")
_HASH = compiled(r"^[0-9a-f]{12}$")
_ID = compiled(r"^(?P<doc>.+)#(?P<index>\d+)$")


@dataclass(frozen=True)
class Snippet:
    """One reference translation of a French paragraph."""

    id: str
    hash: str
    kind: str
    ref: str
    path: str
    line: int  # line of the snippet object in the JSON file

    @property
    def doc(self) -> str:
        return self.id.rsplit("#", 1)[0]

    @property
    def index(self) -> int:
        return int(self.id.rsplit("#", 1)[1])

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class RefFile:
    """A parsed reference file."""

    path: str
    doc: str
    snippets: list[Snippet]


@dataclass(frozen=True)
class Resolved:
    """A snippet and the French paragraph it belongs to (None: no paragraph at all)."""

    snippet: Snippet
    paragraph: Paragraph | None
    stale: bool

    @property
    def index(self) -> int:
        return self.paragraph.index if self.paragraph is not None else self.snippet.index

    def problem(self) -> str:
        """Why the snippet is stale (empty if it is not)."""
        s = self.snippet
        if not self.stale:
            return ""
        if self.paragraph is None:
            return (
                f"reference snippet {s.id} is stale: no paragraph of {s.doc} has hash {s.hash} "
                f"and the document has no paragraph #{s.index}"
            )
        return (
            f"reference snippet {s.id} is stale: no paragraph of {s.doc} has hash {s.hash} "
            f"(paragraph #{s.index} now hashes to {self.paragraph.hash}); update the snippet"
        )


def _snippet_lines(text: str, count: int) -> list[int]:
    """Line of each element of the ``snippets`` array (text is known to be valid JSON)."""
    decoder = json.JSONDecoder()
    m = regex.search(r'"snippets"\s*:\s*\[', text)
    lines: list[int] = []
    if m is None:
        return [1] * count
    pos = m.end()
    for _ in range(count):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        lines.append(text.count("\n", 0, pos) + 1)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:  # pragma: no cover - the whole text parsed already
            break
    lines.extend([lines[-1] if lines else 1] * (count - len(lines)))
    return lines


def load_ref_file(path: str | Path) -> RefFile:
    """Parse and validate a reference file; problems raise :class:`InputError` with file:line."""
    path = Path(path)
    p = str(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise InputError("no such reference file", p) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a reference .json file", p) from None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"bad JSON: {exc.msg} (column {exc.colno})", p, exc.lineno) from None
    if not isinstance(data, dict):
        raise InputError("expected a JSON object with 'doc' and 'snippets'", p, 1)

    def key_line(key: str) -> int:
        m = regex.search(rf'"{regex.escape(key)}"\s*:', text)
        return text.count("\n", 0, m.start()) + 1 if m else 1

    doc = data.get("doc")
    if not isinstance(doc, str) or not doc:
        raise InputError("missing or empty 'doc' (the article's file name)", p, key_line("doc"))
    snippets_raw = data.get("snippets")
    if not isinstance(snippets_raw, list):
        raise InputError("missing 'snippets' list", p, key_line("snippets") if "snippets" in data else 1)
    lines = _snippet_lines(text, len(snippets_raw))
    snippets: list[Snippet] = []
    seen: dict[str, int] = {}
    for raw, line in zip(snippets_raw, lines, strict=True):
        if not isinstance(raw, dict):
            raise InputError("snippet is not a JSON object", p, line)
        for key in ("id", "hash", "kind", "ref"):
            if key not in raw:
                raise InputError(f"snippet has no '{key}'", p, line)
            if not isinstance(raw[key], str):
                raise InputError(f"snippet '{key}' must be a string", p, line)
        sid, h, kind, ref = raw["id"], raw["hash"], raw["kind"], raw["ref"]
        m = _ID.match(sid)
        if m is None:
            raise InputError(f"bad snippet id {sid!r}: expected '<doc>#<paragraph index>'", p, line)
        if m.group("doc") != doc:
            raise InputError(f"snippet id {sid!r} names another document than 'doc' ({doc})", p, line)
        if not _HASH.match(h):
            raise InputError(f"bad hash {h!r} in snippet {sid}: expected 12 hex digits", p, line)
        if kind not in KINDS:
            raise InputError(f"unknown kind {kind!r} in snippet {sid} (known: {', '.join(KINDS)})", p, line)
        if not ref.strip():
            raise InputError(f"empty 'ref' in snippet {sid}", p, line)
        if sid in seen:
            raise InputError(f"duplicate snippet id {sid} (first at line {seen[sid]})", p, line)
        seen[sid] = line
        snippets.append(Snippet(sid, h, kind, ref, p, line))
    return RefFile(p, doc, snippets)


def ref_path(ref_dir: str | Path, doc: str) -> Path:
    """``<ref_dir>/<doc without .txt>.json``."""
    name = doc[: -len(".txt")] if doc.endswith(".txt") else doc
    return Path(ref_dir) / f"{name}.json"


def load_for(ref_dir: str | Path, doc: str) -> RefFile | None:
    """The reference file of article *doc* in *ref_dir*, or None if there is none."""
    path = ref_path(ref_dir, doc)
    if not path.is_file():
        return None
    refs = load_ref_file(path)
    if refs.doc != doc:
        raise InputError(f"'doc' is {refs.doc!r} but this file is the reference of {doc}", path, 1)
    return refs


def resolve(refs: RefFile, source: Document) -> list[Resolved]:
    """Find each snippet's French paragraph in *source* (by hash, else stale by index)."""
    by_hash: dict[str, list[Paragraph]] = {}
    for para in source.paragraphs:
        by_hash.setdefault(para.hash, []).append(para)
    out: list[Resolved] = []
    for s in refs.snippets:
        candidates = by_hash.get(s.hash, [])
        if candidates:
            chosen = next((c for c in candidates if c.index == s.index), candidates[0])
            out.append(Resolved(s, chosen, False))
        elif 0 <= s.index < len(source.paragraphs):
            out.append(Resolved(s, source.paragraphs[s.index], True))
        else:
            out.append(Resolved(s, None, True))
    return out
