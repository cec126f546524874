"""Find glossary terms in French text.

The declared source forms are compiled into character tries, each emitted as one ``regex``
pattern (one for case-sensitive forms, one for case-insensitive ones); ``pattern:`` fields form a
third. Matching is leftmost-longest with no overlaps. Word boundaries are Unicode letters and
digits, so accented letters, apostrophes (' and ’), guillemets, non-breaking and narrow spaces
and dashes all delimit terms. Inside a form, a space matches any run of white space (non-breaking
and narrow included), an apostrophe matches ' ’ ʼ, and a hyphen matches - ‐ ‑ but not an en or em
dash. Only declared forms match: no fuzzy matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from .glossary import APOSTROPHES, HYPHENS, Entry, Glossary, normalise_form

_WORD = r"[\p{L}\p{N}_]"
_CHAR_CLASS = {
    " ": r"\s+",
    "'": "['" + APOSTROPHES + "]",
    "-": "[-" + HYPHENS + "]",
}


@dataclass(frozen=True)
class Match:
    """One occurrence of a glossary entry: ``text[start:end] == form``."""

    start: int
    end: int
    entry: Entry
    form: str


def _trie_pattern(forms: list[str]) -> str:
    """A regex that matches exactly the given (normalised) forms, longest first."""
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        terminal = "" in node
        branches = [
            (_CHAR_CLASS[ch] + emit(child)) if ch in _CHAR_CLASS else regex.escape(ch) + emit(child)
            for ch, child in sorted((k, v) for k, v in node.items() if k)
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if terminal:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


def _bounded(body: str, flags: str = "") -> str:
    inner = f"(?{flags}:{body})" if flags else f"(?:{body})"
    return rf"(?<!{_WORD}){inner}(?!{_WORD})"


class Matcher:
    """Compiled matcher. Build once, call :meth:`find` many times.

    ``Matcher(glossary)`` finds the French source forms (and ``pattern:`` fields);
    :meth:`for_forbidden` and :meth:`for_targets` find English forbidden renderings or targets
    with the same boundary and typography rules.
    """

    def __init__(self, glossary: Glossary | Iterable[Entry], kind: str = "source"):
        entries = list(glossary)
        self.kind = kind
        self.sensitive: dict[str, Entry] = {}
        self.insensitive: dict[str, Entry] = {}
        for e in entries:
            if kind == "source":
                forms = e.sources
            elif kind == "forbidden":
                forms = e.forbidden
            elif kind == "target":
                forms = [e.target]
            else:
                raise ValueError(f"unknown matcher kind {kind!r}")
            for form in forms:
                key = normalise_form(form)
                if not key:
                    continue
                if e.case_sensitive:
                    self.sensitive.setdefault(key, e)
                else:
                    self.insensitive.setdefault(key.lower(), e)
        self._patterns: list[Any] = []
        if self.sensitive:
            self._patterns.append(regex.compile(_bounded(_trie_pattern(list(self.sensitive)))))
        if self.insensitive:
            self._patterns.append(regex.compile(_bounded(_trie_pattern(list(self.insensitive)), "i")))
        self._pattern_entries: dict[str, Entry] = {}
        alternatives = []
        for e in entries if kind == "source" else ():
            for pat in e.patterns:
                name = f"p{len(self._pattern_entries)}"
                self._pattern_entries[name] = e
                flags = "" if e.case_sensitive else "i"
                alternatives.append(f"(?P<{name}>(?{flags or '-i'}:{pat}))")
        if alternatives:
            self._patterns.append(regex.compile(rf"(?<!{_WORD})(?:{'|'.join(alternatives)})(?!{_WORD})"))

    @classmethod
    def for_forbidden(cls, glossary: Glossary | Iterable[Entry]) -> Matcher:
        """Finds forbidden English renderings."""
        return cls(glossary, "forbidden")

    @classmethod
    def for_targets(cls, glossary: Glossary | Iterable[Entry]) -> Matcher:
        """Finds canonical English targets."""
        return cls(glossary, "target")

    def _entry_for(self, m: Any) -> Entry:
        if m.lastgroup is not None and m.lastgroup in self._pattern_entries:
            return self._pattern_entries[m.lastgroup]
        key = normalise_form(m.group())
        found = self.sensitive.get(key)
        if found is None:
            found = self.insensitive[key.lower()]
        return found

    def finditer(self, text: str) -> Iterator[Match]:
        """Yield matches in text order: leftmost-longest, never overlapping."""
        pats = self._patterns
        if not pats:
            return
        pending: list[Any] = [p.search(text) for p in pats]
        pos = 0
        while True:
            best_i = -1
            for i, m in enumerate(pending):
                if m is None:
                    continue
                if m.start() < pos:
                    m = pending[i] = pats[i].search(text, pos)
                    if m is None:
                        continue
                if best_i < 0:
                    best_i = i
                    continue
                b = pending[best_i]
                if m.start() < b.start() or (m.start() == b.start() and m.end() > b.end()):
                    best_i = i
            if best_i < 0:
                return
            m = pending[best_i]
            yield Match(m.start(), m.end(), self._entry_for(m), m.group())
            pos = m.end()
            pending[best_i] = pats[best_i].search(text, pos)

    def find(self, text: str) -> list[Match]:
        """All matches in *text*, in order."""
        return list(self.finditer(text))


def find(text: str, glossary: Glossary) -> list[Match]:
    """Convenience: compile *glossary* and return its source-form matches in *text*."""
    return Matcher(glossary).find(text)


def contains(text: str, form: str, case_sensitive: bool = True) -> bool:
    """Whether *form* occurs in *text* as whole words (same typography rules as the matcher)."""
    key = normalise_form(form)
    if not key:
        return False
    pat = _bounded(_trie_pattern([key if case_sensitive else key.lower()]), "" if case_sensitive else "i")
    return regex.search(pat, text) is not None
