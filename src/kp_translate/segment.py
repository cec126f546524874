"""Documents → paragraphs, with stable paragraph ids.

A document is split into paragraphs at blank lines; the separators are kept so that the
translated document has exactly the input's layout. ``\r\n`` (Windows) and ``\r`` line ends are
read as ``\n`` (paragraph texts, ids and hashes are those of the LF file) and
:meth:`Document.join` writes the document's own line end back. Paragraph *n* of ``000_x.txt`` has the id
``000_x.txt#n`` (0-based, counting non-empty paragraphs) and a content hash (first 12 hex digits
of the SHA-1 of the whitespace-normalised paragraph). References (corpus/ref) name both, so a
reference still finds its paragraph after paragraphs are added or removed above it.

Sentences are the source language's (:meth:`kp_translate.lang.base.Language.split_sentences`:
this project's own rules with each language's abbreviations; Argos' Stanza/MiniSBD splitters
download models at run time and are never used).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import regex

from .fileio import normalise_newlines, read_text, restore_newlines
from .rx import compiled

_PARA_SEP = compiled(r"\n[ \t\u00a0]*\n\s*")
# A leading metadata tag such as " date 2023-09 " (dossier file 002) is layout, not text.
_META_PREFIX = compiled(r"^\s*date \d{4}(?:-\d{2}){1,2}\s+")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a document: ``text`` sits at ``start`` in the document."""

    doc: str
    index: int
    start: int
    text: str
    prefix: str = ""  # verbatim metadata at the start of the paragraph, not translated

    @property
    def id(self) -> str:
        return f"{self.doc}#{self.index}"

    @property
    def hash(self) -> str:
        return content_hash(self.prefix + self.text)

    @property
    def body(self) -> str:
        return self.text


def content_hash(text: str) -> str:
    """SHA-1 (first 12 hex digits) of *text* with white space normalised."""
    norm = " ".join(text.split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]


@dataclass
class Document:
    """A text split into paragraphs and the separators between them."""

    name: str
    text: str  # with \n line ends
    paragraphs: list[Paragraph]
    separators: list[str]  # separators[i] precedes paragraphs[i]; separators[-1] trails
    newline: str = "\n"  # the line end of the file: "\n", "\r\n" or "\r"

    def join(self, translated: list[str]) -> str:
        """Rebuild the document with each paragraph replaced by its translation, with the
        document's line ends."""
        if len(translated) != len(self.paragraphs):
            raise ValueError("one translation per paragraph is needed")
        out = [self.separators[0]]
        for para, new, sep in zip(self.paragraphs, translated, self.separators[1:], strict=True):
            out.append(para.prefix + new)
            out.append(sep)
        return restore_newlines("".join(out), self.newline)


def split_document(text: str, name: str = "-") -> Document:
    """Split *text* into paragraphs at blank lines, keeping every separator verbatim (line ends
    read as ``\n``: offsets are into the ``\n`` text, ``Document.text``)."""
    text, newline = normalise_newlines(text)
    paragraphs: list[Paragraph] = []
    separators: list[str] = []
    lead = regex.match(r"\s*", text)
    assert lead is not None
    separators.append(lead.group())
    pos = lead.end()
    body_end = len(text.rstrip())
    while pos < body_end:
        m = _PARA_SEP.search(text, pos, body_end)
        end = m.start() if m else body_end
        chunk = text[pos:end]
        prefix = ""
        meta = _META_PREFIX.match(chunk) if not paragraphs else None
        if meta:
            prefix = meta.group()
            chunk = chunk[meta.end() :]
        paragraphs.append(Paragraph(name, len(paragraphs), pos + len(prefix), chunk, prefix))
        if m:
            separators.append(m.group())
            pos = m.end()
        else:
            pos = body_end
    if not paragraphs:
        return Document(name, text, [], [text], newline)
    separators.append(text[body_end:])
    return Document(name, text, paragraphs, separators, newline)


def read_document(path: str | Path, name: str | None = None) -> Document:
    """Read and split a UTF-8 document."""
    path = Path(path)
    return split_document(read_text(path), name or path.name)
