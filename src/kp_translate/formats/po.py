"""Gettext PO/POT: the glossary as a catalogue for translators, and a strict PO reader.

Export (:func:`export`): one catalogue per source language (``X-Source-Language``; default: the
glossary's default language), one PO entry per source form of each glossary entry in that
language (its own ``source.<lang>`` forms, else the inherited default-language forms, marked so in
a ``#.`` comment). ``msgctxt`` is the entry id (homographs stay apart), ``msgid`` the form,
``msgstr`` the canonical target
(empty in a POT). ``#.`` comments carry the type, the other forms, regex patterns, forbidden
renderings, "do not translate" and the note; ``#:`` references name the corpus paragraphs where
the form occurs (``000_x.txt:3`` is paragraph 3, 0-based, of that file); ``comment:`` fields are
translator comments (``# ...``); ``status: draft`` entries carry the ``fuzzy`` flag. Entries with
only ``pattern:`` sources have no translatable string and are left out.

Reading (:func:`read`): polib is lenient, so the file is first checked line by line (strings,
their backslash escapes, keywords, a ``msgstr`` after each ``msgid``), then the header (present,
``charset=UTF-8``). :meth:`PoFile.kind` tells a glossary export from a post-editing export.
Every failure is an :class:`~kp_translate.errors.InputError` naming the file and line.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from .. import __version__
from ..errors import InputError
from ..fileio import decode_text
from ..glossary import Entry, Glossary, normalise_form
from ..lang import codes
from ..lang.plurals import plural_forms

WRAP_WIDTH = 78
HEADER_COMMENT = (
    "kp-translate glossary, {language} source forms.\n"
    "msgctxt is the glossary entry id: all forms of one entry share one target.\n"
    "Edit msgstr to change the target, remove 'fuzzy' to mark the entry reviewed,\n"
    "add '# ' translator comments{more}; then: kp-translate glossary import FILE.po"
)


def timestamp() -> str:
    """Header date: $SOURCE_DATE_EPOCH when set (reproducible builds), else now; UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = float(epoch) if epoch.isdigit() else time.time()
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(seconds))


def header(project: str, lang: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A complete gettext header (all fields ``msgfmt -c`` looks for)."""
    now = timestamp()
    meta = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
        "X-Generator": f"kp-translate {__version__}",
    }
    meta.update(extra or {})
    return meta


# ---------------------------------------------------------------------------------------------
# Export


def corpus_files(corpus: str | Path) -> list[Path]:
    """The ``.txt`` documents of a corpus directory (sorted), or the file itself."""
    path = Path(corpus)
    if path.is_dir():
        return sorted(p for p in path.glob("*.txt") if p.is_file())
    if path.is_file():
        return [path]
    raise InputError("no such file or directory", path)


def occurrences(glossary: Glossary, corpus: str | Path) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Where each declared source form occurs: ``{(entry id, form): [(file name, paragraph), ...]}``.

    A match is credited to the declared form it spells (typography and, for case-insensitive
    entries, case folded); ``pattern:`` matches have no form and are not listed.
    """
    from ..match import Matcher
    from ..segment import read_document

    matcher = Matcher.cached(glossary)
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for path in corpus_files(corpus):
        doc = read_document(path)
        for para in doc.paragraphs:
            for m in matcher.find(para.text):
                form = _declared_form(m.entry, m.form[: len(m.form) - len(m.suffix)])  # NATOren: NATO
                if form is None:
                    continue
                refs = found.setdefault((m.entry.id, form), [])
                ref = (doc.name, str(para.index))
                if ref not in refs:
                    refs.append(ref)
    return found


def _declared_form(entry: Entry, matched: str) -> str | None:
    key = normalise_form(matched)
    for src in entry.sources:
        norm = normalise_form(src)
        if norm == key or (not entry.case_sensitive and norm.lower() == key.lower()):
            return src
    return None


def unique_forms(entry: Entry) -> list[str]:
    """The entry's source forms, each once, in file order: one PO entry each."""
    return list(dict.fromkeys(entry.sources))


def extracted_comments(entry: Entry, form: str, *, pot: bool = False, inherited: str = "") -> list[str]:
    """The ``#.`` lines of one PO entry: what the translator needs to know about the concept
    (*inherited*: the language the form comes from, when the entry has none of its own here)."""
    lines = [f"type: {entry.type}"]
    if inherited:
        lines.append(f"inherited: no form of this language yet, these are the {inherited} forms")
    others = [f for f in unique_forms(entry) if f != form]
    if others:
        lines.append("variants: " + " | ".join(others))
    if entry.patterns:
        lines.append("patterns (regex, not translatable): " + " | ".join(entry.patterns))
    if pot:
        lines.append(f"en: {entry.target}")
    if entry.forbidden:
        lines.append("forbidden (en): " + " | ".join(entry.forbidden))
    if entry.dnt:
        lines.append("do not translate: keep the form as is")
    if not entry.case_sensitive:
        lines.append("case-insensitive")
    if entry.note:
        lines.append(f"note: {entry.note}")
    return lines


def build_catalog(
    glossary: Glossary,
    *,
    fmt: str = "po",
    lang: str = "en",
    corpus: str | Path | None = None,
    source: str | None = None,
) -> Any:
    """The glossary's *source*-language forms (default: the glossary's default language) as a
    :class:`polib.POFile` (``fmt`` 'po' with targets, 'pot' without)."""
    if fmt not in ("po", "pot"):
        raise ValueError(f"unknown format {fmt!r}")
    pot = fmt == "pot"
    source = source or glossary.source or glossary.default_source
    view = glossary.view(source)
    refs = occurrences(view, corpus) if corpus is not None else {}
    catalog = polib.POFile(wrapwidth=WRAP_WIDTH, encoding="utf-8")
    default = glossary.default_source
    more = f" (a new msgid adds a {source} form)" if source != default else ""
    catalog.header = HEADER_COMMENT.format(language=codes.name(source), more=more)
    catalog.metadata = header(
        "kp-translate glossary", lang, {"X-Glossary-Version": view.version, "X-Source-Language": source}
    )
    for entry in view:
        original = glossary.get(entry.id)
        inherited = ""
        if source != default and original is not None and source not in original.languages:
            inherited = codes.name(default)
        for form in unique_forms(entry):
            catalog.append(
                polib.POEntry(
                    msgctxt=entry.id,
                    msgid=form,
                    msgstr="" if pot else entry.target,
                    comment="\n".join(extracted_comments(entry, form, pot=pot, inherited=inherited)),
                    tcomment="\n".join(entry.comments),
                    occurrences=refs.get((entry.id, form), []),
                    flags=["fuzzy"] if not pot and not entry.reviewed else [],
                )
            )
    return catalog


def export(
    glossary: Glossary,
    *,
    fmt: str = "po",
    lang: str = "en",
    corpus: str | None = None,
    source: str | None = None,
    **_: Any,
) -> str:
    """Serialise *glossary*'s *source*-language forms as PO (or POT with ``fmt='pot'``)."""
    text: str = str(build_catalog(glossary, fmt=fmt, lang=lang, corpus=corpus, source=source))
    return text if text.endswith("\n") else text + "\n"


# ---------------------------------------------------------------------------------------------
# Strict reading

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=\s|\"|$)\s*(.*)$")
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')
_CHARSET = re.compile(rb"Content-Type:[^\n\"]*?charset=([^\s\"\\;]+)", re.IGNORECASE)
_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")
#: a backslash and what it escapes: one character, or gettext's octal and hex forms
_ESCAPE = re.compile(r"\\([0-7]{1,3}|x[0-9a-fA-F]*|.?)")
#: escapes a PO string may hold here: what gettext tools write for text (decoded by polib)
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}
#: escapes GNU gettext accepts but that stand for control characters or code points, which
#: polib does not decode: refused rather than written literally
_GETTEXT_ONLY = ("a", "b", "f", "v")
_UTF8 = ("utf-8", "utf8")
MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")


@dataclass
class PoFile:
    """A PO file read by :func:`read`: the polib catalogue plus line lookups for messages."""

    path: str
    catalog: Any  # polib.POFile
    lines: list[str] = field(repr=False)

    @property
    def entries(self) -> list[Any]:
        """The live (not obsolete) entries, header excluded."""
        return [e for e in self.catalog if not e.obsolete]

    def line_of(self, entry: Any, keyword: str = "msgid") -> int:
        """Line of *keyword* ('msgctxt', 'msgid', 'msgstr') in *entry*; its first line if absent."""
        start = max(int(entry.linenum or 1), 1)
        for number in range(start, len(self.lines) + 1):
            text = self.lines[number - 1].lstrip()
            if text.startswith("#"):
                continue
            m = _KEYWORD.match(text)
            if m is None:
                continue
            word = m.group(1).split("[")[0]
            if word == keyword:
                return number
            if word == "msgstr":
                break
        return start

    def header_line(self, name: str) -> int:
        """Line of header field *name* (``"Name: value\\n"``), or 1."""
        prefix = f'"{name}:'
        return next((n for n, text in enumerate(self.lines, 1) if text.lstrip().startswith(prefix)), 1)

    def kind(self) -> tuple[str | None, str]:
        """What kind of kp-translate export this is, by the header fields the exports write:
        ``("postedit", field)`` (``postedit export``: X-Source-Dir, X-Translations-Dir),
        ``("glossary", field)`` (``glossary export``: X-Glossary-Version without those), or
        ``(None, "")`` when the header says neither (a PO from elsewhere)."""
        meta = self.catalog.metadata
        for name in POSTEDIT_FIELDS:
            if name in meta:
                return "postedit", name
        if GLOSSARY_FIELD in meta:
            return "glossary", GLOSSARY_FIELD
        return None, ""

    def require_kind(self, wanted: str) -> None:
        """Refuse (:class:`InputError` at the telling header line) a PO of the other kind."""
        found, name = self.kind()
        if found is None or found == wanted:
            return
        if found == "postedit":
            message = (
                f"this is a post-editing PO (written by 'postedit export': header {name}), not a glossary PO: "
                f"use 'kp-translate postedit import {self.path} -o DIR'"
            )
        else:
            message = (
                f"this is a glossary PO (written by 'glossary export': header {name}), not a post-editing PO: "
                f"use 'kp-translate glossary import {self.path}'"
            )
        raise InputError(message, self.path, self.header_line(name))


#: header fields that mark a ``postedit export`` (dossier) PO, and a ``glossary export`` PO
POSTEDIT_FIELDS = ("X-Source-Dir", "X-Translations-Dir")
GLOSSARY_FIELD = "X-Glossary-Version"


def _lines(text: str) -> list[str]:
    # polib iterates the file in universal-newline mode: \r\n, \r and \n end a line.
    return re.split(r"\r\n|\r|\n", text)


def _decode(data: bytes, path: str) -> str:
    """Reject what is not a UTF-8 PO file before polib sees it."""
    if not data.strip():
        raise InputError("empty file: not a PO file", path, 1)
    if data[:4] in MO_MAGIC:
        raise InputError("compiled MO file, not a PO file (give the .po source)", path, 1)
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not a PO file", path, data[: data.index(b"\x00")].count(b"\n") + 1)
    m = _CHARSET.search(data)
    if m is not None and m.group(1).decode("ascii", "replace").lower() not in _UTF8:
        line = data[: m.start()].count(b"\n") + 1
        charset = m.group(1).decode("ascii", "replace")
        raise InputError(f"charset '{charset}' in Content-Type: only UTF-8 is accepted (charset=UTF-8)", path, line)
    # the whole file: invalid UTF-8 or a NUL byte anywhere (not only in the first 8 KB)
    text = decode_text(data, path, hint=": the file must be UTF-8 as its header declares")
    body = text.lstrip("\ufeff \t\r\n")
    if body[:1] in ("{", "["):
        try:
            json.loads(body)
        except ValueError:
            pass
        else:
            raise InputError("this is JSON, not a PO file", path, len(_lines(text[: len(text) - len(body)])))
    return text


def check_syntax(text: str, path: str) -> None:
    """Line-level PO syntax: comments, keywords followed by a string, continuation strings, and a
    ``msgstr`` for every ``msgid``. Raises :class:`InputError` on the first problem."""
    expect: str | None = None  # keyword the grammar needs next, with the line that needs it
    pending_line = 0
    seen_msgid = False
    current = ""  # the keyword a continuation string belongs to
    for number, raw in enumerate(_lines(text), 1):
        line = raw.strip()
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        m = _KEYWORD.match(line)
        if m is not None:
            word, rest = m.group(1).split("[")[0], m.group(2)
            if expect == "msgid" and word != "msgid":
                raise InputError(f"'{word}' after msgctxt: expected msgid", path, number)
            if expect == "msgstr" and word not in ("msgstr", "msgid_plural"):
                raise InputError(f"msgid at line {pending_line} has no msgstr", path, number)
            if word == "msgctxt":
                expect, pending_line = "msgid", number
            elif word == "msgid":
                expect, pending_line, seen_msgid = "msgstr", number, True
            elif word == "msgid_plural":
                expect = "msgstr"
            else:
                expect = None
            current = m.group(1)
            _check_string(rest, path, number, word)
            continue
        if line.startswith('"'):
            if expect is None and not seen_msgid:
                raise InputError("string outside an entry", path, number)
            _check_string(line, path, number, f"{current} continuation" if current else "continuation")
            continue
        shown = line if len(line) <= 40 else line[:37] + "..."
        raise InputError(
            f"not PO syntax: expected a comment, a keyword or a quoted string, found {shown!r}", path, number
        )
    if expect == "msgstr":
        raise InputError("msgid has no msgstr", path, pending_line)
    if expect == "msgid":
        raise InputError("msgctxt has no msgid", path, pending_line)
    if not seen_msgid:
        raise InputError("no msgid found: not a PO file", path, 1)


def _check_string(token: str, path: str, line: int, what: str) -> None:
    if _STRING.match(token):
        _check_escapes(token[1:-1], path, line, what)
        return
    if not token.startswith('"'):
        raise InputError(f"{what}: expected a quoted string", path, line)
    body = token[1:]
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] == '"':
            if i == len(body) - 1:
                break
            raise InputError(f"{what}: unescaped double quote or text after the closing quote", path, line)
        i += 1
    raise InputError(f"{what}: unterminated string (no closing quote)", path, line)


def _check_escapes(body: str, path: str, line: int, what: str) -> None:
    """Refuse a backslash escape other than ``\\n \\t \\r \\" \\\\``: msgfmt rejects unknown ones
    (``\\q``), and the ones it accepts besides those (``\\a``, ``\\x41``, ``\\101``...) polib would
    keep as literal text."""
    for m in _ESCAPE.finditer(body):
        seq = m.group(1)
        if seq in ESCAPES:
            continue
        shown = "\\" + seq
        allowed = "allowed: " + " ".join("\\" + k for k in ESCAPES)
        if seq and (seq in _GETTEXT_ONLY or seq[0] in "01234567" or (seq[0] == "x" and len(seq) > 1)):
            message = f"escape sequence '{shown}' is not supported: write the character itself ({allowed})"
        else:
            message = f"invalid escape sequence '{shown}' ({allowed})"
        raise InputError(f"{what}: {message}", path, line)


def read(path: str | Path, *, require_header: bool = True) -> PoFile:
    """Read a PO file strictly: UTF-8, well-formed, with a header declaring ``charset=UTF-8``."""
    p = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", p) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a PO file", p) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", p) from None
    text = _decode(data, p)
    check_syntax(text, p)
    try:
        catalog = polib.pofile(p, encoding="utf-8", wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError, KeyError, IndexError) as exc:
        m = _POLIB_LINE.search(str(exc))
        line = int(m.group(1)) if m else 1
        detail = (m.group(2) if m and m.group(2) else "syntax error") if m else str(exc)
        raise InputError(f"bad PO syntax: {detail}", p, line) from None
    lines = _lines(text)
    if require_header:
        _check_header(catalog, lines, p)
    return PoFile(p, catalog, lines)


def _check_header(catalog: Any, lines: list[str], path: str) -> None:
    header_line = _header_line(lines)
    if header_line is None or not catalog.metadata:
        raise InputError('missing PO header: the file must start with msgid "" and a Content-Type', path, 1)
    content_type = catalog.metadata.get("Content-Type")
    if not content_type:
        raise InputError(
            "PO header has no Content-Type: add 'Content-Type: text/plain; charset=UTF-8'", path, header_line
        )
    m = re.search(r"charset=([^\s;]+)", content_type, re.IGNORECASE)
    if m is None or m.group(1).lower() not in _UTF8:
        raise InputError(f"Content-Type '{content_type}' does not declare charset=UTF-8", path, header_line)


def _header_line(lines: Iterable[str]) -> int | None:
    """Line of the header's ``msgid ""`` (the first live msgid of the file, without msgctxt)."""
    previous = ""
    for number, raw in enumerate(lines, 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid"):
            if previous.startswith("msgctxt"):
                return None
            return number if re.fullmatch(r'msgid\s*""', line) else None
        if not line.startswith('"'):
            previous = line
    return None


def pretty_ref(refs: Iterable[tuple[str, str]]) -> str:
    return " ".join(f"{f}:{n}" if n else f for f, n in refs)
