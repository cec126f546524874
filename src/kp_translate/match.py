"""Find glossary terms in French text (and forbidden renderings or targets in English text).

Declared forms are indexed by their first word (lower-cased). Matching walks the words of the
text; where a word starts some form, the candidate phrases that begin there (one, two, ... words,
up to the longest form of that word) are looked up, longest first. ``pattern:`` fields are
searched as one more regular expression. Matching is leftmost-longest with no overlaps.

Word boundaries are Unicode letters and digits, so accented letters, apostrophes (' and ’),
guillemets, non-breaking and narrow spaces and dashes all delimit terms. Inside a form, a space
matches any run of white space (non-breaking and narrow included), an apostrophe matches ' ’ ʼ,
and a hyphen matches - ‐ ‑ but not an en or em dash. Only declared forms match: no fuzzy matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import regex

from .glossary import APOSTROPHES, HYPHENS, SPACES, Entry, Glossary, normalise_form

_WORD = r"[\p{L}\p{N}_]"
_CHAR_CLASS = {
    " ": r"\s+",
    "'": "['" + APOSTROPHES + "]",
    "-": "[-" + HYPHENS + "]",
}
_SPLIT = re.compile(r"(\w+)")
_FIRST_TOKEN = re.compile(r"\w+")
# One-to-one folding of apostrophe and hyphen variants (forms are stored with ' and -).
_FOLD = str.maketrans({c: "'" for c in APOSTROPHES} | {c: "-" for c in HYPHENS} | {c: " " for c in SPACES})


class Match(NamedTuple):
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


def _fold_separator(sep: str) -> str:
    """A separator between two words as it is stored in forms: white space runs become one space."""
    if sep == " ":
        return sep
    if sep.isspace():
        return " "
    return sep.translate(_FOLD)


class _Group:
    """The forms that begin with one (lower-cased) word: how many words the longest has, and
    the forms themselves (exact case, and lower-cased for case-insensitive entries)."""

    __slots__ = ("insensitive", "sensitive", "words")

    def __init__(self) -> None:
        self.sensitive: dict[str, Entry] = {}
        self.insensitive: dict[str, Entry] = {}
        self.words = 1

    def add(self, form: str, entry: Entry) -> None:
        if entry.case_sensitive:
            self.sensitive[form] = entry
        else:
            self.insensitive[form.lower()] = entry
        self.words = max(self.words, len(_SPLIT.split(form)) // 2)


class Matcher:
    """Compiled matcher. Build once, call :meth:`find` many times.

    ``Matcher(glossary)`` finds the French source forms (and ``pattern:`` fields);
    :meth:`for_forbidden` and :meth:`for_targets` find English forbidden renderings or targets
    with the same boundary and typography rules.
    """

    def __init__(self, glossary: Glossary | Iterable[Entry], kind: str = "source"):
        entries = list(glossary)
        self.kind = kind
        self._groups: dict[str, _Group] = {}
        leading: dict[str, Entry] = {}  # forms that start or end with a non-word character
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
                first = _FIRST_TOKEN.match(key)
                if first is None or not (key[-1].isalnum() or key[-1] == "_"):
                    leading.setdefault(key if e.case_sensitive else key.lower(), e)
                    continue
                group = self._groups.setdefault(first.group().lower(), _Group())
                table = group.sensitive if e.case_sensitive else group.insensitive
                if (key if e.case_sensitive else key.lower()) not in table:
                    group.add(key, e)
        self._leading = leading
        self._patterns: list[Any] = []
        self._pattern_entries: dict[str, Entry] = {}
        if leading:
            sens = [k for k, e in leading.items() if e.case_sensitive]
            insens = [k for k, e in leading.items() if not e.case_sensitive]
            alts = [f"(?:{_trie_pattern(sens)})"] if sens else []
            alts += [f"(?i:{_trie_pattern(insens)})"] if insens else []
            self._patterns.append(regex.compile(rf"(?<!{_WORD})(?P<lead>{'|'.join(alts)})(?!{_WORD})"))
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
        if m.lastgroup in self._pattern_entries:
            return self._pattern_entries[m.lastgroup]
        key = normalise_form(m.group())
        found = self._leading.get(key)
        return found if found is not None else self._leading[key.lower()]

    def _word_matches(self, text: str, pos: int = 0) -> Iterator[tuple[int, int, Entry]]:
        """Leftmost-longest, non-overlapping matches of the indexed forms, from *pos* on."""
        groups = self._groups
        if not groups:
            return
        parts = _SPLIT.split(text[pos:] if pos else text)
        n_parts = len(parts)
        offsets = [pos] * n_parts  # offsets[k]: where parts[k] starts in text
        at = pos
        for k in range(n_parts):
            offsets[k] = at
            at += len(parts[k])
        skip_to = pos
        for k in range(1, n_parts, 2):
            start = offsets[k]
            if start < skip_to:
                continue
            tok = parts[k]
            group = groups.get(tok.lower())
            if group is None:
                continue
            if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue  # \w and the boundary class differ (e.g. combining marks): stay strict
            # candidate phrases of 1..group.words words starting at this token, longest first
            cands = [tok]
            last = min(n_parts - 1, k + 2 * (group.words - 1))
            for j in range(k + 2, last + 1, 2):
                cands.append(cands[-1] + _fold_separator(parts[j - 1]) + parts[j])
            for idx in range(len(cands) - 1, -1, -1):
                cand = cands[idx]
                entry = group.sensitive.get(cand)
                if entry is None and group.insensitive:
                    entry = group.insensitive.get(cand.lower())
                if entry is not None:
                    end_part = k + 2 * idx
                    end = offsets[end_part] + len(parts[end_part])
                    yield start, end, entry
                    skip_to = end
                    break

    def finditer(self, text: str) -> Iterator[Match]:
        """Yield matches in text order: leftmost-longest, never overlapping."""
        pats = self._patterns
        words = self._word_matches(text)
        word = next(words, None)
        if not pats:
            while word is not None:
                yield Match(word[0], word[1], word[2], text[word[0] : word[1]])
                word = next(words, None)
            return
        pending: list[Any] = [p.search(text) for p in pats]
        pos = 0
        while True:
            if word is not None and word[0] < pos:
                # a pattern match overlapped this one: look again from pos
                words = self._word_matches(text, pos)
                word = next(words, None)
            best: tuple[int, int] | None = (word[0], word[1]) if word is not None else None
            best_i = -1  # -1: the word index; i >= 0: pats[i]
            for i, m in enumerate(pending):
                if m is None:
                    continue
                if m.start() < pos:
                    m = pending[i] = pats[i].search(text, pos)
                    if m is None:
                        continue
                if best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1]):
                    best, best_i = (m.start(), m.end()), i
            if best is None:
                return
            start, end = best
            if best_i >= 0:
                entry = self._entry_for(pending[best_i])
                pending[best_i] = pats[best_i].search(text, end)
            else:
                assert word is not None
                entry = word[2]
                word = next(words, None)
            yield Match(start, end, entry, text[start:end])
            pos = end

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
