"""JSON Lines archives: one document a line in, the same line with its translation out.

A document line is a JSON object with an id field and a text field (``id`` and ``text`` by
default); every other field is passed through untouched, in its order. The output line is the
input object with two fields added: ``translation`` (the English text) and ``terms`` (the
document's term figures, :func:`kp_translate.batch.worker.document_figures`). Blank lines are
ignored; anything else that is not such an object is a :class:`Malformed` line, reported with
its line number.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

#: the fields a translated line gains (an input line that already has one is malformed)
ADDED_FIELDS = ("translation", "terms")


@dataclass(frozen=True)
class Doc:
    """One document of an archive: its line (1-based), a hash of the line, its id and text."""

    line: int
    digest: str
    id: Any
    text: str

    @property
    def name(self) -> str:
        return str(self.id)


@dataclass(frozen=True)
class Malformed:
    """A line that is not a document: where, and why."""

    line: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "error": self.message}


def line_digest(raw: bytes) -> str:
    """What ties a journal record to the input line it translates (the line changed: translate again)."""
    return hashlib.sha1(raw.rstrip(b"\r\n")).hexdigest()[:16]


def raw_lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of every line of *path*, line end included."""
    try:
        with open(path, "rb") as fh:
            yield from enumerate(fh, 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None


def decode_object(raw: bytes) -> dict[str, Any] | str:
    """The JSON object of a line, or why it is not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"invalid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"
    try:
        value = json.loads(text)
    except ValueError as exc:
        return f"not JSON: {exc}"
    if not isinstance(value, dict):
        return f"a JSON {type(value).__name__} where a JSON object (one document) is expected"
    return value


def parse_line(number: int, raw: bytes, id_field: str, text_field: str) -> Doc | Malformed | None:
    """The document on line *number* (``None`` for a blank line)."""
    if not raw.strip():
        return None
    value = decode_object(raw)
    if isinstance(value, str):
        return Malformed(number, value)
    if id_field not in value:
        return Malformed(number, f"no '{id_field}' field (choose the id field with --id-field)")
    if text_field not in value:
        return Malformed(number, f"no '{text_field}' field (choose the text field with --text-field)")
    ident, text = value[id_field], value[text_field]
    if not isinstance(ident, (str, int)) or isinstance(ident, bool):
        return Malformed(number, f"the '{id_field}' field must be a string or an integer")
    if not isinstance(text, str):
        return Malformed(number, f"the '{text_field}' field must be a string")
    if "\x00" in text:
        return Malformed(number, f"the '{text_field}' field holds a NUL character")
    for name in ADDED_FIELDS:
        if name in value:
            return Malformed(number, f"the line already has a '{name}' field (kp-translate adds it)")
    return Doc(number, line_digest(raw), ident, text)


def read_documents(path: str | Path, id_field: str = "id", text_field: str = "text") -> Iterator[Doc | Malformed]:
    """Every document (and every malformed line) of the archive *path*, in order."""
    for number, raw in raw_lines(path):
        item = parse_line(number, raw, id_field, text_field)
        if item is not None:
            yield item


def output_line(raw: bytes, added: dict[str, Any]) -> str:
    """The output line of input line *raw* (a valid document line): its object with *added*."""
    value = json.loads(raw.decode("utf-8"))
    value.update(added)
    return json.dumps(value, ensure_ascii=False) + "\n"
