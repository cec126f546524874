"""Byte-preserving edits of ``.kpg`` glossary files.

A :class:`KpgFile` holds a file's lines exactly as read (line endings included) and records edits
against the original line numbers — the numbers :func:`kp_translate.glossary.parse_kpg` reports
in ``Entry.line`` and ``Entry.fields``. :meth:`KpgFile.render` applies them: a rewritten line
keeps its indentation, key spelling, the spacing around ':' and its line ending; an inserted line
copies the indentation and line ending of the line it follows. Every other byte stays as it was.

Only three edits exist, the ones a PO import needs: :func:`set_target`, :func:`set_status` and
:func:`add_comments`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .fileio import read_text
from .glossary import SINGLE_FIELDS, Entry, formula_problem

#: A line of a file being edited: (original line number, k), k > 0 for the k-th line inserted after it.
LineRef = tuple[int, int]

_FIELD_LINE = re.compile(r"^(?P<indent>\s*)(?P<key>[^:]*?)(?P<sep>\s*:[ \t]*)(?P<value>.*?)(?P<trail>\s*)$", re.DOTALL)
_EOL = re.compile(r"(\r\n|\r|\n|\x0b|\x0c|\x1c|\x1d|\x1e|\x85|\u2028|\u2029)$")


def check_value(value: str) -> str | None:
    """Why *value* cannot be written as one ``key: value`` line, or None if it can."""
    if not value.strip():
        return "empty value"
    if len(value.splitlines()) != 1 or _EOL.search(value):
        return "value contains a line break"
    if value != value.strip():
        return "value has leading or trailing white space"
    return formula_problem(value)


def _split_eol(line: str) -> tuple[str, str]:
    m = _EOL.search(line)
    if m is None:
        return line, ""
    return line[: m.start()], m.group()


@dataclass
class KpgFile:
    """One ``.kpg`` file and the edits planned for it."""

    path: str
    text: str
    lines: list[str] = field(init=False, repr=False)
    replaced: dict[int, str] = field(default_factory=dict, repr=False)
    inserted: dict[int, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # str.splitlines is what glossary.parse_kpg numbers lines with.
        self.lines = self.text.splitlines(keepends=True)

    @classmethod
    def read(cls, path: str | Path) -> KpgFile:
        return cls(str(path), read_text(path))

    @property
    def changed(self) -> bool:
        return bool(self.replaced or self.inserted)

    def _line(self, number: int) -> str:
        if not 1 <= number <= len(self.lines):
            raise InputError(f"no line {number} (file changed while reading?)", self.path, number)
        return self.lines[number - 1]

    def _eol(self) -> str:
        for line in self.lines:
            _, eol = _split_eol(line)
            if eol:
                return eol
        return "\n"

    def set_value(self, number: int, value: str) -> None:
        """Rewrite the value of the ``key: value`` line *number*, keeping everything around it."""
        problem = check_value(value)
        if problem:
            raise InputError(f"cannot write {value!r}: {problem}", self.path, number)
        body, eol = _split_eol(self.replaced.get(number, self._line(number)))
        m = _FIELD_LINE.match(body)
        if m is None:
            raise InputError("expected 'field: value'", self.path, number)
        self.replaced[number] = m["indent"] + m["key"] + m["sep"] + value + m["trail"] + eol

    def insert_after(self, number: int, key: str, value: str) -> LineRef:
        """Insert ``key: value`` after line *number* (after earlier insertions there)."""
        problem = check_value(value)
        if problem:
            raise InputError(f"cannot write {value!r}: {problem}", self.path, number)
        body, _ = _split_eol(self._line(number))
        indent = re.match(r"[ \t]*", body)
        added = self.inserted.setdefault(number, [])
        added.append(f"{indent.group() if indent else ''}{key}: {value}")
        return (number, len(added))

    def rendered_line(self, ref: LineRef) -> int:
        """The line number, in the rendered file, of *ref* (with every edit planned so far)."""
        number, k = ref
        return number + k + sum(len(added) for n, added in self.inserted.items() if n < number)

    def original_line(self, rendered: int) -> int:
        """The original line a line of the rendered file comes from (an inserted line: the line
        it follows)."""
        position = 0
        for number in range(1, len(self.lines) + 1):
            position += 1 + len(self.inserted.get(number, ()))
            if rendered <= position:
                return number
        return rendered - position + len(self.lines)

    def render(self) -> str:
        """The file's text with the planned edits applied."""
        if not self.changed:
            return self.text
        eol = self._eol()
        out: list[str] = []
        for number, original in enumerate(self.lines, 1):
            line = self.replaced.get(number, original)
            added = self.inserted.get(number)
            if not added:
                out.append(line)
                continue
            body, line_eol = _split_eol(line)
            if line_eol:
                out.append(line)
                out.extend(new + line_eol for new in added)
            else:  # last line, no final newline: keep the file without one
                out.append(body + eol)
                out.extend(new + eol for new in added[:-1])
                out.append(added[-1])
        return "".join(out)


def set_target(doc: KpgFile, entry: Entry, target: str) -> LineRef:
    """Rewrite the entry's ``target:`` line."""
    number = _field_line(doc, entry, "target")
    doc.set_value(number, target)
    return (number, 0)


def set_status(doc: KpgFile, entry: Entry, status: str) -> LineRef:
    """Rewrite the entry's ``status:`` line, or add one after its last single-valued field."""
    for key, _, number in entry.fields:
        if key == "status":
            doc.set_value(number, status)
            return (number, 0)
    after = max((number for key, _, number in entry.fields if key in SINGLE_FIELDS), default=entry.line)
    return doc.insert_after(after, "status", status)


def add_sources(doc: KpgFile, entry: Entry, lang: str, forms: list[str]) -> list[LineRef]:
    """Add ``source.<lang>:`` lines after the entry's last source line (of any language)."""
    sources = [number for key, _, number in entry.fields if key.partition(".")[0] == "source"]
    after = max(sources, default=max((number for _, _, number in entry.fields), default=entry.line))
    refs: list[LineRef] = []
    for form in forms:
        refs.append(doc.insert_after(after, f"source.{lang}", form))
    return refs


def add_comments(doc: KpgFile, entry: Entry, comments: list[str]) -> list[LineRef]:
    """Append ``comment:`` lines after the entry's last field."""
    after = max((number for _, _, number in entry.fields), default=entry.line)
    return [doc.insert_after(after, "comment", comment) for comment in comments]


def _field_line(doc: KpgFile, entry: Entry, key: str) -> int:
    for k, _, number in entry.fields:
        if k == key:
            return number
    raise InputError(f"entry '{entry.id}' has no '{key}' line", doc.path, entry.line)
