"""The glossary: entries, the ``.kpg`` text format, two-column TSV/CSV import, and validation.

A ``.kpg`` file is a sequence of stanzas, one per concept::

    # comment lines start with '#'
    [kim-jong-un]
    type: person
    target: Kim Jong Un
    source: Kim Jong Un
    source: Kim Jong-un
    forbidden: Kim Jong One
    status: reviewed
    note: AP, Reuters and the BBC write the name unhyphenated.

Every field sits on its own line (``key: value``) so that a change to one form is a one-line diff.
Repeatable fields: ``source``, ``pattern``, ``forbidden``, ``comment``. ``source`` and ``pattern``
take a language tag (``source.es: Corea del Norte``): untagged forms belong to the glossary's
default source language, and a language with no tagged form of its own inherits them (so a name
written alike everywhere, "KCNA", needs one line). :meth:`Glossary.view` gives the entries as one
language pair sees them. See docs/glossary.md for the full reference. Parsing never raises on
the first problem: :func:`check` collects every problem as ``file:line: message``; :func:`load`
raises :class:`~kp_translate.errors.InputError` on the first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import re
from abc import abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import regex

from .config import DEFAULT_SOURCE, settings
from .errors import InputError, escape_controls
from .fileio import normalise_newlines, read_text, recover
from .gcpause import FREEZE_MIN, paused
from .lang import codes, registered, target_languages
from .rx import deferred

if TYPE_CHECKING:
    from .compiled import Store
    from .match import Matcher

TYPES = ("person", "organisation", "media", "place", "weapon", "document", "event", "term")
SINGLE_FIELDS = ("type", "target", "dnt", "case", "status", "note", "country")
LIST_FIELDS = ("source", "pattern", "forbidden", "comment", "short")
FIELDS = SINGLE_FIELDS + LIST_FIELDS
#: fields that take a language tag (``source.es``)
TAGGED_FIELDS = ("source", "pattern")
#: the source languages a form may be tagged with
SOURCE_LANGUAGES = registered()
STATUSES = ("reviewed", "draft")
GLOSSARY_SUFFIXES = (".kpg",)
TABLE_SUFFIXES = (".tsv", ".csv")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
#: the words of a table's header row that are not a language (see :func:`is_header_cell`)
HEADER_WORDS = {
    "source",
    "target",
    "src",
    "tgt",
    "term",
    "translation",
    "source term",
    "target term",
}

# Characters that the matcher treats as equivalent to a plain space, apostrophe or hyphen.
SPACES = "\u00a0\u202f\u2009\u2007\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000"
APOSTROPHES = "\u2019\u02bc\u2018"
HYPHENS = "\u2010\u2011"
_TO_NORMALISE = re.compile(f"[{SPACES}{APOSTROPHES}{HYPHENS}]")
_VARIANTS = SPACES + APOSTROPHES + HYPHENS
_NORMALISE = str.maketrans({**{c: " " for c in SPACES}, **{c: "'" for c in APOSTROPHES}, **{c: "-" for c in HYPHENS}})


# A cell a spreadsheet would run as a formula (CSV/TSV injection, OWASP): '=' and anything, or
# '+', '-', '@' followed by a function call, a cell reference, another operator or an arithmetic
# expression. '+' or '-' before plain text ("-ism", "+7 495 ...") stays legitimate.
_FORMULA = deferred(
    r"""^(?:=|[+\-@]\s*(?:[\p{L}_][\p{L}\p{N}_.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+(?![\p{L}\p{N}_])|[=+\-@(]|\d[\d.,]*\s*[-+*/^&<>=]))"""
)


#: first characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """A CSV/TSV cell a spreadsheet will not run: ``'`` before a formula start (OWASP), and before
    a leading ``'`` (so that the escape itself reads back)."""
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def unescape_cell(text: str) -> str:
    """The inverse of :func:`escape_cell`, for tables read back (a lone leading ``'`` before
    anything else, as in ``'t Hooft``, is the text's own)."""
    return text[1:] if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")) else text


def formula_problem(value: str) -> str | None:
    """Why *value* cannot be a target (a spreadsheet would run it as a formula), or None."""
    if _FORMULA.match(value):
        return f"target {value!r} would run as a spreadsheet formula in a CSV/TSV export (it starts with {value[0]!r})"
    return None


@lru_cache(maxsize=1 << 17)
def normalise_form(text: str) -> str:
    """Fold typographic variants (spaces, apostrophes, hyphens) so equal forms compare equal
    (memoised: a glossary's forms are normalised by every check and matcher of every language)."""
    if not text.isascii() and _TO_NORMALISE.search(text) is not None:  # translate alone: 3x slower
        text = text.translate(_NORMALISE)
    return " ".join(text.split())


def normalise_forms(texts: Sequence[str]) -> list[str]:
    """:func:`normalise_form` of each of *texts*, in one pass over them joined (a glossary's forms,
    20,000 entries: some 36,000): the variants folded at once, and, when the texts are already
    single-spaced (the usual case: each a field value the parser has stripped), no split and join
    of each; else each text on its own."""
    joined = "\n".join(texts)
    # one substring search a variant (a character beyond the text's range is known absent at once)
    folded = not joined.isascii() and any(map(joined.__contains__, _VARIANTS))
    if folded:
        joined = joined.translate(_NORMALISE)
    if (
        texts
        and "  " not in joined
        and "\n " not in joined
        and " \n" not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
        and joined.count("\n") == len(texts) - 1  # no text holds a line break
        and joined.replace("\n", "").isprintable()  # no white space but plain spaces (and more)
    ):
        return joined.split("\n") if folded else list(texts)  # (each text already normalised)
    return list(map(normalise_form, texts))


@dataclass(slots=True)
class Entry:
    """One concept of the glossary (slots: a 20,000-entry glossary makes 20,000 of them, quicker
    to make and to read than with a ``__dict__`` each)."""

    id: str
    type: str
    target: str
    sources: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    dnt: bool = False
    case_sensitive: bool = True
    status: str = "draft"
    note: str = ""
    #: the CLDR territory code a person or place belongs to (``KP``, ``KR``, ``RU``), or ""
    country: str = ""
    #: surname-only forms of a person (``Choïgou``), matched once the full name has appeared in a document
    short: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    #: tagged forms: language code -> forms (``source.es:``), and the same for patterns
    lang_sources: dict[str, list[str]] = field(default_factory=dict)
    lang_patterns: dict[str, list[str]] = field(default_factory=dict)
    path: str = "<memory>"
    line: int = 0
    # line number of every field value, in file order: [(key, value, line), ...]
    fields: list[tuple[str, str, int]] = field(default_factory=list, repr=False)

    @property
    def reviewed(self) -> bool:
        return self.status == "reviewed"

    @property
    def languages(self) -> list[str]:
        """The languages that have tagged forms of their own, in file order."""
        return list(dict.fromkeys([*self.lang_sources, *self.lang_patterns]))

    def sources_for(self, lang: str, default: str = DEFAULT_SOURCE) -> tuple[list[str], list[str]]:
        """(forms, patterns) of this entry in source language *lang*.

        The default language has the untagged forms plus any tagged with its own code; another
        language has its tagged forms, or inherits the untagged ones when it has none.
        """
        own = lang in self.lang_sources or lang in self.lang_patterns
        if lang == default:
            return (
                [*self.sources, *self.lang_sources.get(lang, [])],
                [*self.patterns, *self.lang_patterns.get(lang, [])],
            )
        if own:
            return list(self.lang_sources.get(lang, [])), list(self.lang_patterns.get(lang, []))
        return list(self.sources), list(self.patterns)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.type,
            "target": self.target,
            "sources": list(self.sources),
            "patterns": list(self.patterns),
            "forbidden": list(self.forbidden),
            "dnt": self.dnt,
            "case_sensitive": self.case_sensitive,
            "status": self.status,
            "note": self.note,
            "comments": list(self.comments),
            **({"country": self.country} if self.country else {}),
            **({"short": list(self.short)} if self.short else {}),
            **({"lang_sources": {k: list(v) for k, v in self.lang_sources.items()}} if self.lang_sources else {}),
            **({"lang_patterns": {k: list(v) for k, v in self.lang_patterns.items()}} if self.lang_patterns else {}),
        }

    @property
    def short_target(self) -> str:
        """What a surname-only mention (:attr:`short`) becomes: the target's surname, its first word
        for a Korean person (``Kim``), its last word otherwise (``Shoigu``)."""
        words = self.target.split()
        return (words[0] if self.country in ("KP", "KR") else words[-1]) if words else self.target

    def line_of(self, key: str, value: str | None = None) -> int:
        """Line of the first field *key* (with *value*, if given); the stanza line otherwise."""
        for k, v, line in self.fields:
            if (k == key or k.startswith(key + ".")) and (value is None or v == value):
                return line
        return self.line


class Problem(NamedTuple):
    """A validation problem, printed as ``file:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        path, message = escape_controls(self.path), escape_controls(self.message)
        if self.line <= 0:  # about the file as a whole (missing, empty directory)
            return f"{path}: {message}"
        return f"{path}:{self.line}: {message}"


class LazySequence(Sequence[Entry]):
    """Entries made when first asked for (the compiled-glossary cache's, :mod:`kp_translate.compiled`)."""

    @abstractmethod
    def by_id(self) -> Mapping[str, Entry]:
        """Entry id -> entry, each entry made when looked up."""


class Glossary:
    """An ordered collection of entries loaded from one or more files.

    A glossary is not modified once built (edits go through the files): its :attr:`version` is
    computed once. :meth:`view` gives the glossary as one source language sees it, with a version
    of its own, so that adding a Basque form does not invalidate the French cache.
    """

    def __init__(
        self,
        entries: Iterable[Entry] = (),
        files: Sequence[str] = (),
        *,
        default_source: str = DEFAULT_SOURCE,
        source: str | None = None,
    ):
        #: the entries, in file order (a glossary read from the compiled cache makes each
        #: :class:`Entry` when it is first asked for: :class:`kp_translate.compiled.LazyEntries`)
        self.entries: Sequence[Entry] = entries if isinstance(entries, LazySequence) else list(entries)
        self.files: list[str] = list(files)
        self.default_source = default_source
        #: the source language this glossary is a view for (None: all languages, as loaded)
        self.source = source
        self._version: str | None = None
        self._languages: list[str] | None = None
        self._by_id: Mapping[str, Entry] | None = None
        self._with_short: list[Entry] | None = None
        self._views: dict[str, Glossary] = {}
        #: the compiled-glossary cache this glossary was read from or is saved to (None: none)
        self.store: Store | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    @property
    def by_id(self) -> Mapping[str, Entry]:
        """Entry id -> entry."""
        if self._by_id is None:
            entries = self.entries
            self._by_id = entries.by_id() if isinstance(entries, LazySequence) else {e.id: e for e in entries}
        return self._by_id

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    @property
    def with_short(self) -> list[Entry]:
        """The entries that have surname-only forms (``short:``), in order."""
        if self._with_short is None:
            self._with_short = [e for e in self.entries if e.short]
        return self._with_short

    @property
    def version(self) -> str:
        """A content hash: changes whenever anything that affects translation changes (computed once).

        A view's version covers only what its language sees (and the language itself)."""
        if self._version is None:
            h = hashlib.sha256()
            if self.source is not None:
                h.update(f"source:{self.source}".encode())
            for e in self.entries:
                key = (e.id, e.type, e.target, e.sources, e.patterns, e.forbidden, e.dnt, e.case_sensitive)
                tagged = (sorted(e.lang_sources.items()), sorted(e.lang_patterns.items()))
                h.update(repr(key + tagged if tagged != ([], []) else key).encode())
                if e.short:  # a field added later: entries without it keep their hash
                    h.update(repr(("short", e.short, e.short_target)).encode())
            self._version = h.hexdigest()[:16]
        return self._version

    @property
    def languages(self) -> list[str]:
        """Every source language the glossary has forms for: the default first, then tagged ones."""
        if self._languages is None:
            found: dict[str, None] = {self.default_source: None}
            for e in self.entries:
                found.update(dict.fromkeys(e.languages))
            self._languages = list(found)
        return list(self._languages)

    def matcher(self) -> Matcher:
        from .match import Matcher

        return Matcher.cached(self)

    def view(self, source: str) -> Glossary:
        """The glossary as source language *source* sees it: every entry with that language's
        forms only (see :meth:`Entry.sources_for`); entries with no form there are left out."""
        if self.source is not None:
            if source != self.source:
                raise ValueError(f"a {self.source} view has no {source} view")
            return self
        cached = self._views.get(source)
        if cached is None and self.store is not None:
            cached = self.store.view(self, source)
        if cached is None:
            with paused():
                entries = []
                for e in self.entries:
                    forms, patterns = e.sources_for(source, self.default_source)
                    if forms or patterns:
                        entries.append(view_entry(e, forms, patterns))
            cached = Glossary(entries, self.files, default_source=self.default_source, source=source)
            if self.store is not None:
                self.store.save_view(self, cached)
        self._views[source] = cached
        return cached


def view_entry(entry: Entry, forms: list[str], patterns: list[str]) -> Entry:
    """*entry* as a language view holds it: a copy with that language's *forms* and *patterns* and
    no tagged ones (:meth:`Glossary.view`)."""
    seen = Entry(*_FIELD_VALUES(entry))  # a copy (dataclasses.replace: 6x slower at 20,000 entries)
    seen.sources, seen.patterns, seen.lang_sources, seen.lang_patterns = forms, patterns, {}, {}
    return seen


#: every field of an entry, in order (its constructor's arguments)
_FIELD_VALUES = attrgetter(*(f.name for f in dataclasses.fields(Entry)))


# ---------------------------------------------------------------------------------------------
# Parsing


def _decode_lines(path: Path, problems: list[Problem]) -> list[str] | None:
    try:
        return read_text(path).removeprefix("\ufeff").splitlines()
    except InputError as exc:
        problems.append(Problem(str(path), exc.line or 1, exc.message))
        return None
    except OSError as exc:
        problems.append(Problem(str(path), 1, f"cannot read: {exc.strerror}"))
        return None


def _parse_bool(value: str) -> bool | None:
    return {"yes": True, "true": True, "no": False, "false": False}.get(value.lower())


#: a field name as written before its ':' (``source``, ``source.es``, ``Source ``) -> its key,
#: language tag, the name it is stored under in :attr:`Entry.fields` and whether it is single: the
#: names already read without a problem (a file has a handful), so a line needs one look-up
_FIELD_NAMES: dict[str, tuple[str, str, str, bool]] = {}


def _field_name(name: str) -> tuple[str, str, str, bool] | str:
    """The field *name* (as written before the ':') stands for, or the message saying why it is none."""
    known = _FIELD_NAMES.get(name)
    if known is not None:
        return known
    key, dot, tag = name.strip().lower().partition(".")
    if dot:
        if key not in TAGGED_FIELDS:
            return f"field '{key}' takes no language tag (only {', '.join(TAGGED_FIELDS)})"
        if tag not in SOURCE_LANGUAGES:
            return f"unknown language '{tag}' in '{key}.{tag}' (known: {', '.join(SOURCE_LANGUAGES)})"
    if key not in FIELDS:
        return f"unknown field '{key}' (known: {', '.join(FIELDS)})"
    known = (key, tag, f"{key}.{tag}" if tag else key, key in SINGLE_FIELDS)
    if len(_FIELD_NAMES) < 256:
        _FIELD_NAMES[name] = known
    return known


def _new_entry(entry_id: str, path: str, line: int) -> Entry:
    """``Entry(id=entry_id, type="", target="", path=path, line=line)``, every field given by
    position (twice as quick as by keyword with the default factories: 20,000 entries a glossary)."""
    return Entry(entry_id, "", "", [], [], [], False, True, "draft", "", "", [], [], {}, {}, path, line, [])


def parse_kpg(path: str | Path, problems: list[Problem]) -> list[Entry]:
    """Parse one ``.kpg`` file, appending every problem found to *problems*."""
    path = Path(path)
    lines = _decode_lines(path, problems)
    if lines is None:
        return []
    p = str(path)
    entries: list[Entry] = []
    current: Entry | None = None
    fields: list[tuple[str, str, int]] = []  # the current entry's
    sources: list[str] = []
    seen_single: set[str] = set()
    add_problem = problems.append
    field_names = _FIELD_NAMES

    def finish(entry: Entry | None) -> None:
        if entry is None:
            return
        if not entry.type:
            add_problem(Problem(p, entry.line, f"entry '{entry.id}' has no 'type'"))
        if not entry.target:
            add_problem(Problem(p, entry.line, f"entry '{entry.id}' has no 'target'"))
        if (
            not entry.sources
            and not entry.patterns
            and not entry.languages
            and not any(k.partition(".")[0] == "pattern" for k, _, _ in entry.fields)
        ):
            add_problem(Problem(p, entry.line, f"entry '{entry.id}' has no 'source'"))
        for short in entry.short:
            problem = short_problem(entry, short)
            if problem:
                add_problem(Problem(p, entry.line_of("short", short), problem))
        entries.append(entry)

    # One pass over the lines; the frequent fields (source, target, type) are tested first.
    for lineno, line in enumerate(map(str.strip, lines), 1):
        if not line:
            continue
        first = line[0]
        if first == "#":
            continue
        if first == "[":
            finish(current)
            if line[-1] != "]":
                add_problem(Problem(p, lineno, f"bad entry header {line!r}: expected [id]"))
                current = None
                continue
            entry_id = line[1:-1].strip()
            if ID_RE.match(entry_id) is None:
                add_problem(Problem(p, lineno, f"bad entry id {entry_id!r}: use a-z, 0-9, '-', '.', '_'"))
            current = _new_entry(entry_id, p, lineno)
            fields, sources = current.fields, current.sources
            seen_single = set()
            continue
        if current is None:
            add_problem(Problem(p, lineno, "field outside an entry: start one with [id]"))
            continue
        name, sep, value = line.partition(":")
        if not sep:
            add_problem(Problem(p, lineno, f"expected 'field: value', got {line!r}"))
            continue
        known = field_names.get(name)
        if known is None:
            found = _field_name(name)
            if isinstance(found, str):
                add_problem(Problem(p, lineno, found))
                continue
            known = found
        key, tag, stored, single = known
        value = value.strip()
        if not value:
            add_problem(Problem(p, lineno, f"empty field '{key}'"))
            continue
        if key == "source":
            fields.append((stored, value, lineno))
            (current.lang_sources.setdefault(tag, []) if tag else sources).append(value)
            continue
        # target and type: given once their value is set (a value is never empty)
        if key == "target" or key == "type":
            if current.target if key == "target" else current.type:
                add_problem(Problem(p, lineno, f"field '{key}' given twice in entry '{current.id}'"))
                continue
            fields.append((stored, value, lineno))
            if key == "target":
                current.target = value
                continue
            if value not in TYPES:
                add_problem(Problem(p, lineno, f"unknown type '{value}' (known: {', '.join(TYPES)})"))
            current.type = value
            continue
        if single:
            if key in seen_single:
                add_problem(Problem(p, lineno, f"field '{key}' given twice in entry '{current.id}'"))
                continue
            seen_single.add(key)
        fields.append((stored, value, lineno))
        if key == "pattern":
            from .match import pattern_problem

            problem = pattern_problem(value)
            if problem:
                add_problem(Problem(p, lineno, problem))
            else:
                (current.lang_patterns.setdefault(tag, []) if tag else current.patterns).append(value)
        elif key == "forbidden":
            current.forbidden.append(value)
        elif key == "comment":
            current.comments.append(value)
        elif key == "short":
            current.short.append(value)
        elif key == "note":
            current.note = value
        elif key == "country":
            from .lang.places import territory_problem

            problem = territory_problem(value)
            if problem:
                add_problem(Problem(p, lineno, problem))
            current.country = value
        elif key == "status":
            if value not in STATUSES:
                add_problem(Problem(p, lineno, f"unknown status '{value}' (known: {', '.join(STATUSES)})"))
            current.status = value
        else:  # dnt, case
            if key == "case":
                flag = {"sensitive": True, "insensitive": False}.get(value.lower())
            else:
                flag = _parse_bool(value)
            if flag is None:
                allowed = "sensitive, insensitive" if key == "case" else "yes, no"
                add_problem(Problem(p, lineno, f"bad value {value!r} for '{key}' (use {allowed})"))
            elif key == "case":
                current.case_sensitive = flag
            else:
                current.dnt = flag
    finish(current)
    return entries


def short_problem(entry: Entry, short: str) -> str | None:
    """Why *short* cannot be a surname-only form of *entry* (``glossary check``), or None: the entry
    must be a person and *short* whole words of one of its source forms (``Choïgou`` of ``Sergueï Choïgou``)."""
    if entry.type != "person":
        return f"'short' is for persons: entry '{entry.id}' is a {entry.type or 'entry without type'}"
    forms = [*entry.sources, *(f for fs in entry.lang_sources.values() for f in fs)]
    key = f" {normalise_form(short)} "
    if not any(key in f" {normalise_form(f).replace('-', ' ')} " for f in forms) or key.strip() in map(
        normalise_form, forms
    ):
        return f"short form '{short}' is not part of a longer source form of '{entry.id}'"
    return None


def _sniff_dialect(text: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    if suffix == ".csv":
        first = text.split("\n", 1)[0]
        return ";" if first.count(";") > first.count(",") and "\t" not in first else ","
    return "\t"


def _cell_language(cell: str) -> str | None:
    """The language a header cell names: a tag (``fr``, ``fra``, ``en-GB``) or the English name of a
    language kp-translate knows (``Spanish``); None for anything else."""
    try:
        return codes.normalise(cell)
    except ValueError:
        return codes.by_name(cell)


def is_header_cell(cell: str) -> bool:
    """Whether a cell of a table's first row reads as a header: a word of :data:`HEADER_WORDS`
    (``source``, ``target term``…) or a language kp-translate knows, by code or English name."""
    return cell.lower() in HEADER_WORDS or _cell_language(cell) in codes.LANGUAGES


def language_header(cells: list[str]) -> list[str] | None:
    """The columns' languages when a header row is made of language codes or names (``en,fr,es``:
    Google's equivalent term sets, Amazon's multi-directional CSV; ``Spanish,English``), with one
    target language among them."""
    if len(cells) < 2:
        return None
    found: list[str] = []
    for cell in cells:
        code = _cell_language(cell)
        if code is None or (code not in SOURCE_LANGUAGES and code not in target_languages()):
            return None
        found.append(code)
    if len(set(found)) != len(found) or sum(c in target_languages() for c in found) != 1:
        return None
    return found


def _multi_row(
    cells: list[str], languages: list[str], default: str, entry_id: str, path: str, line: int, problems: list[Problem]
) -> Entry | None:
    """One row of a table with a language header: the target column's cell is the target, every
    other non-empty cell a form of its column's language."""
    if len(cells) > len(languages):
        problems.append(Problem(path, line, f"{len(cells)} columns but the header names {len(languages)} languages"))
        return None
    cells = cells + [""] * (len(languages) - len(cells))
    target = next(c for c, lang in zip(cells, languages, strict=True) if lang in target_languages())
    if not target:
        problems.append(Problem(path, line, "empty target"))
        return None
    entry = Entry(id=entry_id, type="term", target=target, status="reviewed", path=path, line=line)
    entry.fields.append(("target", target, line))
    for cell, lang in zip(cells, languages, strict=True):
        if not cell or lang in target_languages():
            continue
        if lang == default:
            entry.sources.append(cell)
            entry.fields.append(("source", cell, line))
        else:
            entry.lang_sources.setdefault(lang, []).append(cell)
            entry.fields.append((f"source.{lang}", cell, line))
    if not entry.sources and not entry.lang_sources:
        problems.append(Problem(path, line, "no source form in this row"))
        return None
    return entry


def parse_table(path: str | Path, problems: list[Problem], default_source: str = DEFAULT_SOURCE) -> list[Entry]:
    """Parse a two-column glossary (source, target) as DeepL/Amazon/Google accept it, or a table
    whose header row names each column's language (``en,fr,es,it``; ``es,en`` for one pair).

    Without a language header the forms are untagged (the default language's, inherited by the
    others: the table applies to the run's pair); an optional header row (``source,target``...) is
    skipped. Rows with another number of columns are reported as problems.
    """
    path = Path(path)
    p = str(path)
    try:
        text = read_text(path)
    except InputError as exc:
        problems.append(Problem(p, exc.line or 1, exc.message))
        return []
    text = normalise_newlines(text)[0]
    import csv  # (here: a glossary of .kpg files needs no CSV reader)

    delim = _sniff_dialect(text, path.suffix.lower())
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delim)
    entries: list[Entry] = []
    stem = regex.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-") or "table"
    try:
        rows = list(reader)
    except csv.Error as exc:
        problems.append(Problem(p, reader.line_num, f"bad {path.suffix[1:]} syntax: {exc}"))
        return []
    lineno = 0
    languages: list[str] | None = None
    previous = 0  # line of the last row read into an entry
    for index, row in enumerate(rows):
        lineno = index + 1
        if not row or all(not c.strip() for c in row):
            continue
        cells = [unescape_cell(c.strip()) for c in row]
        if index == 0 and (columns := language_header(cells)) is not None:
            languages = columns
            continue
        if languages is not None:
            entry = _multi_row(cells, languages, default_source, f"{stem}.{lineno}", p, lineno, problems)
            if entry is None:
                continue
            last = entries[-1] if entries else None
            if last is not None and last.target == entry.target and last.line == previous:
                # consecutive rows with one target are one concept's variants
                last.sources.extend(entry.sources)
                for lang, forms in entry.lang_sources.items():
                    last.lang_sources.setdefault(lang, []).extend(forms)
                last.fields.extend(f for f in entry.fields if f[0] != "target")
                last.line = previous = lineno
                continue
            entries.append(entry)
            previous = lineno
            continue
        if index == 0 and len(cells) >= 2 and all(map(is_header_cell, cells)):
            if len(cells) > 2:
                msg = f"unknown column '{cells[2]}': expected two columns (source, target)"
                problems.append(Problem(p, lineno, msg))
            continue
        if len(cells) != 2:
            problems.append(Problem(p, lineno, f"expected 2 columns (source, target), found {len(cells)}"))
            continue
        source, target = cells
        if not source or not target:
            problems.append(Problem(p, lineno, "empty " + ("source" if not source else "target")))
            continue
        entry = Entry(
            id=f"{stem}.{lineno}",
            type="term",
            target=target,
            sources=[source],
            status="reviewed",
            path=p,
            line=lineno,
            fields=[("source", source, lineno), ("target", target, lineno)],
        )
        entries.append(entry)
    return entries


def glossary_files(path: str | Path) -> list[Path]:
    """The glossary files a path stands for: the file itself, or a directory's files, sorted."""
    path = Path(path)
    if path.is_dir():
        return sorted(
            q for q in path.iterdir() if q.is_file() and q.suffix.lower() in GLOSSARY_SUFFIXES + TABLE_SUFFIXES
        )
    return [path]


def parse(paths: Iterable[str | Path], default_source: str | None = None) -> tuple[Glossary, list[Problem]]:
    """Parse and validate glossary files; returns the glossary and every problem found.

    Untagged forms are in *default_source* (default: the project's ``[tool.kp-translate] source``)."""
    if default_source is None:
        default_source = settings().source
    paths = list(paths)
    problems: list[Problem] = []
    # entries hold no reference cycle: parsed with the collector off (frozen when large, below)
    with paused() as pause:
        glossary = _parse(paths, default_source, problems)
        pause.freeze = len(glossary) >= FREEZE_MIN
    return glossary, problems


def _parse(paths: list[str | Path], default_source: str, problems: list[Problem]) -> Glossary:
    """:func:`parse`'s work: the glossary, its problems appended to *problems* (sorted)."""
    entries: list[Entry] = []
    files: list[str] = []
    for given in paths:
        given = Path(given)
        if not given.exists():
            problems.append(Problem(str(given), 0, "no such file or directory"))
            continue
        found = glossary_files(given)
        # a 'glossary import' killed while renaming left a journal: complete it before reading
        with contextlib.suppress(OSError):
            recover([given if given.is_dir() else given.parent], [f.name for f in found])
        if given.is_dir() and not found:
            problems.append(Problem(str(given), 0, "directory holds no .kpg, .tsv or .csv file"))
        for f in found:
            files.append(str(f))
            suffix = f.suffix.lower()
            if suffix in TABLE_SUFFIXES:
                entries.extend(parse_table(f, problems, default_source))
            elif suffix in GLOSSARY_SUFFIXES:
                entries.extend(parse_kpg(f, problems))
            else:
                problems.append(Problem(str(f), 1, f"unknown glossary format '{suffix}' (use .kpg, .tsv or .csv)"))
    problems.extend(validate(entries, default_source))
    problems.sort(key=lambda pr: (pr.path, pr.line))
    return Glossary(entries, files, default_source=default_source)


def validate(entries: Sequence[Entry], default: str = DEFAULT_SOURCE) -> list[Problem]:
    """Cross-entry checks: duplicate ids, a source form with two targets within one language,
    forbidden == target."""
    problems: list[Problem] = []
    if len(set(map(_ID, entries))) != len(entries):
        ids: dict[str, Entry] = {}
        for e in entries:
            if e.id in ids:
                first = ids[e.id]
                problems.append(Problem(e.path, e.line, f"duplicate id '{e.id}' (first at {first.path}:{first.line})"))
            else:
                ids[e.id] = e
    # the entries a check below may concern (one pass: most have no tagged or forbidden form,
    # target starting as a formula does, or 'dnt')
    flagged = [
        e
        for e in entries
        if e.lang_sources or e.lang_patterns or e.forbidden or e.dnt or e.target.startswith(_FORMULA_FIRST)
    ]
    tagged = [e for e in flagged if e.lang_sources or e.lang_patterns]
    languages = dict.fromkeys([default, *(lang for e in tagged for lang in e.languages)])
    # which entries hold each untagged form (lower-cased key): what another language inherits
    inherited: dict[str, list[int]] = {}
    if len(languages) > 1:
        inherited = _holders(entries)
    for lang in languages:
        problems.extend(_duplicate_forms(entries, lang, default, inherited, tagged))
    for e in [e for e in flagged if e.forbidden or e.dnt or e.target.startswith(_FORMULA_FIRST)]:
        for bad in e.forbidden:
            if normalise_form(bad) == normalise_form(e.target):
                problems.append(
                    Problem(
                        e.path,
                        e.line_of("forbidden", bad),
                        f"forbidden rendering '{bad}' equals the target of '{e.id}'",
                    )
                )
        target = e.target
        formula = formula_problem(target) if target.startswith(_FORMULA_FIRST) else None
        if formula:
            problems.append(Problem(e.path, e.line_of("target"), formula))
        if e.dnt and target and e.sources and target not in e.sources:
            msg = f"'{e.id}' is do-not-translate but its target '{target}' is not one of its sources"
            problems.append(Problem(e.path, e.line_of("target"), msg))
    return problems


_ID = attrgetter("id")
_SOURCES = attrgetter("sources")
#: the first characters of a target that may be a formula (those of :data:`_FORMULA`)
_FORMULA_FIRST = ("=", "+", "-", "@")


def _holders(entries: Sequence[Entry]) -> dict[str, list[int]]:
    """The positions of the entries holding each untagged form, by lower-cased key."""
    sources = list(map(_SOURCES, entries))
    holders: dict[str, list[int]] = {}
    owners = chain.from_iterable(map(repeat, range(len(entries)), map(len, sources)))
    for i, key in zip(owners, map(str.lower, normalise_forms(list(chain.from_iterable(sources)))), strict=True):
        holders.setdefault(key, []).append(i)
    return holders


def _duplicate_forms(
    entries: Sequence[Entry],
    lang: str,
    default: str,
    inherited: dict[str, list[int]] | None = None,
    with_tags: Sequence[Entry] | None = None,
) -> list[Problem]:
    """Source forms of language *lang* that map to two different targets. For a language other
    than the default, a clash between two inherited forms is the default language's problem and
    reported there only. *inherited*: the indexes of the entries holding each untagged form, by
    lower-cased key (built when absent); *with_tags*: the entries with tagged forms (all of them, in
    order; found when absent)."""
    problems: list[Problem] = []
    #: by lower-cased key, the forms met so far: entry, form as written, normalised form
    forms: dict[str, list[tuple[Entry, str, str]]] = {}
    where = "" if lang == default else f" ({lang})"
    # Every lookup below is of one form's key, lower-cased or not: forms clash only within one
    # lower-cased key. So only the keys two forms share are followed: in the default language,
    # the lower-cased keys that occur twice; outside it, the keys of the language's own forms
    # (for most languages, a few forms of 20,000), with the entries that hold them.
    followed: set[str]
    candidates_of: Iterable[Entry] = entries
    if lang == default:
        if any(default in e.lang_sources for e in (entries if with_tags is None else with_tags)):
            texts = [src for e in entries for src in e.sources_for(lang, default)[0]]
        else:
            texts = list(chain.from_iterable(map(_SOURCES, entries)))
        lowered = list(map(str.lower, normalise_forms(texts)))
        distinct = set(lowered)
        if len(distinct) == len(lowered):
            return problems
        followed = {k for k, n in Counter(lowered).items() if n > 1}
    else:
        tagged = [i for i, e in enumerate(entries) if lang in e.lang_sources or lang in e.lang_patterns]
        followed = {normalise_form(src).lower() for i in tagged for src in entries[i].lang_sources.get(lang, ())}
        if not followed:
            return problems
        if inherited is None:
            inherited = _holders(entries)
        relevant = set(tagged)
        for lowered_key in followed:
            relevant.update(inherited.get(lowered_key, ()))
        candidates_of = [entries[i] for i in sorted(relevant)]
    for e in candidates_of:
        own = lang == default or lang in e.lang_sources
        if lang == default:
            candidates = e.sources_for(lang, default)[0] if e.lang_sources else e.sources
        elif lang in e.lang_sources or lang in e.lang_patterns:
            candidates = e.lang_sources.get(lang, [])
        else:
            candidates = e.sources
        for src in candidates:
            key = normalise_form(src)
            if key.lower() not in followed:
                continue
            lowered_key = key.lower()
            same = forms.setdefault(lowered_key, [])
            # the earlier forms of this lower-cased key, in glossary order: two case-sensitive forms
            # that differ only in case ("Occidentaux", "occidentaux") are different forms; a
            # case-insensitive one on either side is the same form, whichever comes first
            for other, other_src, other_key in same:
                if other.target == e.target or other is e:
                    continue
                if e.case_sensitive and other.case_sensitive and other_key != key:
                    continue
                if own or lang in other.lang_sources:
                    problems.append(
                        Problem(
                            e.path,
                            e.line_of("source", src),
                            f"source form '{src}'{where} maps to '{e.target}' here but to '{other.target}' "
                            f"in '{other.id}' ({other.path}:{other.line_of('source', other_src)})",
                        )
                    )
                break
            same.append((e, src, key))
    return problems


def check(paths: Iterable[str | Path]) -> list[Problem]:
    """Validate glossary files; an empty list means they are fine."""
    return parse(paths)[1]


def load(paths: Iterable[str | Path] | str | Path | None = None, *, compiled: str | Path | None = None) -> Glossary:
    """Load a glossary, raising :class:`InputError` on the first problem.

    *paths* defaults to :func:`default_paths`. *compiled*: a cache directory whose compiled-glossary
    cache (:mod:`kp_translate.compiled`) is read, or filled, instead of parsing files read before.
    """
    if paths is None:
        paths = default_paths()
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    if compiled is not None:
        from .compiled import load_compiled

        return load_compiled(list(paths), compiled)
    glossary, problems = parse(list(paths))
    if problems:
        first = problems[0]
        more = ""
        if len(problems) > 1:
            more = f" (and {len(problems) - 1} more problem(s): run 'kp-translate glossary check')"
        raise InputError(first.message + more, first.path, first.line or None)
    return glossary


def default_paths() -> list[Path]:
    """Where the glossary is when none is given: $KP_TRANSLATE_GLOSSARY, ./glossary, or the
    project's own glossary/ next to the source tree."""
    env = os.environ.get("KP_TRANSLATE_GLOSSARY")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    local = Path("glossary")
    if local.is_dir():
        return [local]
    shipped = Path(__file__).resolve().parents[2] / "glossary"
    if shipped.is_dir():
        return [shipped]
    raise InputError("no glossary found: pass --glossary PATH or set KP_TRANSLATE_GLOSSARY")
