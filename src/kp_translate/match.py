"""Find glossary terms in French text (and forbidden renderings or targets in English text).

Declared forms are indexed by their first word (lower-cased). Matching walks the words of the
text; where a word starts some form, the candidate phrases that begin there (one, two, ... words,
up to the longest form of that word) are looked up, longest first. ``pattern:`` fields are
searched as regular expressions, each compiled on its own (:func:`compile_pattern`) and run with
a time limit (:data:`PATTERN_TIMEOUT`). Matching is leftmost-longest with no overlaps; a pattern
that matches the empty string somewhere is skipped there (never a loop).

:func:`pattern_problem` is the rule ``glossary check`` (and every glossary load) applies to a
``pattern:``: it must compile as the matcher compiles it, match no empty string, use no
backreference, branch reset, recursion, conditional or global inline flag (they depend on the
groups around the pattern), and repeat without bound no group that itself repeats without bound
or holds an alternation (``(a+)+``, ``(a|a)+$``: exponential backtracking).

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

from .errors import InputError
from .glossary import APOSTROPHES, HYPHENS, SPACES, Entry, Glossary, normalise_form

#: seconds one search of a ``pattern:`` may take before it is an error naming the entry
PATTERN_TIMEOUT = 2.0

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


def compile_pattern(pattern: str, case_sensitive: bool = True) -> Any:
    """A ``pattern:`` field as the matcher runs it: whole words, the entry's case rule.

    Raises ``regex.error`` when it does not compile.
    """
    flags = "" if case_sensitive else "i"
    return regex.compile(rf"(?<!{_WORD})(?{flags or '-i'}:{pattern})(?!{_WORD})")


_QUANT = regex.compile(r"[*+?]|\{\d*(?:,\d*)?\}")
_EMPTY_PROBES = ("", " ", "a", "A", "1", "-", ".", "a b", "x-1 2,3 é.")


def pattern_problem(pattern: str) -> str | None:
    """Why *pattern* cannot be a ``pattern:`` field (see the module docstring), or None."""
    try:
        regex.compile(pattern)
    except (regex.error, OverflowError, RecursionError) as exc:
        return f"bad pattern {pattern!r}: {exc}"
    problem = _construct_problem(pattern)
    if problem:
        return f"bad pattern {pattern!r}: {problem}"
    try:
        compiled = compile_pattern(pattern)
    except (regex.error, OverflowError, RecursionError) as exc:
        return f"bad pattern {pattern!r}: {exc}"
    # the pattern's own letters too, for empty matches that need context: (?=Kim)
    literal = regex.sub(r"\\.|[^\p{L}\p{N} '-]", "", pattern)
    try:
        for probe in (*_EMPTY_PROBES, literal, f"a {literal} b"):
            for m in compiled.finditer(probe, timeout=PATTERN_TIMEOUT):
                if m.start() == m.end():
                    return f"bad pattern {pattern!r}: it matches the empty string (write what it must match)"
    except TimeoutError:
        return f"bad pattern {pattern!r}: too slow to match (catastrophic backtracking)"
    return None


def _construct_problem(pattern: str) -> str | None:
    """Constructs the matcher cannot allow, found by a scan of the pattern (classes skipped)."""
    # stack of open groups: [unbounded repetition inside, alternation at its level, atomic]
    stack: list[list[bool]] = [[False, False, False]]
    i, n = 0, len(pattern)
    nested = (
        "a group repeated without bound holds {}: exponential backtracking "
        "(use a bounded count {{1,20}}, an atomic group (?>...) or a possessive ++)"
    )
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt in ("g", "k") or (nxt.isdigit() and nxt != "0"):
                return "backreferences are not allowed (the pattern is part of a larger expression)"
            if nxt in ("p", "P", "N", "x", "u", "U") and pattern[i + 2 : i + 3] == "{":
                close = pattern.find("}", i)
                i = close + 1 if close > 0 else n
                continue
            i += 2
            continue
        if c == "[":
            i = _skip_class(pattern, i)
            continue
        if c == "(":
            rest = pattern[i + 1 :]
            if rest.startswith("?#"):
                close = pattern.find(")", i)
                i = close + 1 if close > 0 else n
                continue
            if rest.startswith("?|"):
                return "branch reset (?|...) is not allowed (it renumbers the groups around the pattern)"
            if rest.startswith(("?P=", "?P>", "?&", "?R", "?(")) or regex.match(r"\?[+-]?\d", rest):
                return "backreferences, recursion and conditionals are not allowed"
            if regex.match(r"\?[a-zA-Z0-9-]*\)", rest) or regex.match(r"\?\^", rest):
                return (
                    "global inline flags such as (?x) or (?i) are not allowed: "
                    "use scoped flags (?i:...) or 'case: insensitive'"
                )
            stack.append([False, False, rest.startswith("?>")])
            i += 1
            continue
        if c == ")":
            if len(stack) == 1:
                i += 1
                continue
            inner_unbounded, inner_alt, atomic = stack.pop()
            i += 1
            quant = _QUANT.match(pattern, i)
            unbounded = quant is not None and _unbounded(quant.group())
            if quant is not None:
                i = quant.end()
                possessive = pattern[i : i + 1] == "+"
                if pattern[i : i + 1] in ("?", "+"):
                    i += 1
                if unbounded and not possessive and not atomic:
                    if inner_unbounded:
                        return nested.format("a part repeated without bound")
                    if inner_alt:
                        return nested.format("an alternation")
            stack[-1][0] = stack[-1][0] or inner_unbounded or unbounded
            continue
        if c == "|":
            stack[-1][1] = True
            i += 1
            continue
        quant = _QUANT.match(pattern, i)
        if quant is not None:
            if _unbounded(quant.group()):
                stack[-1][0] = True
            i = quant.end()
            if pattern[i : i + 1] in ("?", "+"):
                i += 1
            continue
        i += 1
    return None


def _unbounded(quant: str) -> bool:
    return quant in ("*", "+") or (quant.startswith("{") and quant.endswith(",}"))


def _skip_class(pattern: str, i: int) -> int:
    """Index just past the character class that starts at *i* (nested sets included)."""
    depth = 0
    j = i
    n = len(pattern)
    while j < n:
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            if pattern.startswith("[:", j):
                close = pattern.find(":]", j + 2)
                if close > 0:
                    j = close + 2
                    continue
            depth += 1
            j += 1
            if pattern[j : j + 1] == "^":
                j += 1
            if pattern[j : j + 1] == "]":
                j += 1
            continue
        if c == "]":
            depth -= 1
            j += 1
            if depth == 0:
                return j
            continue
        j += 1
    return n


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
        if leading:
            sens = [k for k, e in leading.items() if e.case_sensitive]
            insens = [k for k, e in leading.items() if not e.case_sensitive]
            alts = [f"(?:{_trie_pattern(sens)})"] if sens else []
            alts += [f"(?i:{_trie_pattern(insens)})"] if insens else []
            self._patterns.append(regex.compile(rf"(?<!{_WORD})(?P<lead>{'|'.join(alts)})(?!{_WORD})"))
        # pats[i] for i >= 1 (or >= 0 without leading forms) are user patterns: one regex each,
        # so a slow one is named and none can change another's groups
        self._pattern_of: dict[int, tuple[Entry, str]] = {}
        for e in entries if kind == "source" else ():
            for pat in e.patterns:
                try:
                    compiled = compile_pattern(pat, e.case_sensitive)
                except regex.error as exc:
                    raise InputError(
                        f"bad pattern {pat!r} in entry '{e.id}': {exc}", e.path, e.line_of("pattern", pat)
                    ) from None
                self._pattern_of[len(self._patterns)] = (e, pat)
                self._patterns.append(compiled)

    @classmethod
    def for_forbidden(cls, glossary: Glossary | Iterable[Entry]) -> Matcher:
        """Finds forbidden English renderings."""
        return cls(glossary, "forbidden")

    @classmethod
    def for_targets(cls, glossary: Glossary | Iterable[Entry]) -> Matcher:
        """Finds canonical English targets."""
        return cls(glossary, "target")

    def _search(self, i: int, text: str, pos: int) -> Any:
        """The next non-empty match of pattern *i* in *text* from *pos* (None if none)."""
        pat = self._patterns[i]
        user = self._pattern_of.get(i)
        while pos <= len(text):
            try:
                m = pat.search(text, pos, timeout=PATTERN_TIMEOUT) if user else pat.search(text, pos)
            except TimeoutError:
                assert user is not None
                entry, source = user
                raise InputError(
                    f"pattern {source!r} of entry '{entry.id}' took over {PATTERN_TIMEOUT:g} s on a "
                    "paragraph (catastrophic backtracking): simplify it",
                    entry.path,
                    entry.line_of("pattern", source),
                ) from None
            if m is None or m.end() > m.start():
                return m
            pos = m.start() + 1  # an empty match: never yield it, never stop on it
        return None

    def _entry_for(self, i: int, m: Any) -> Entry:
        user = self._pattern_of.get(i)
        if user is not None:
            return user[0]
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
        pending: list[Any] = [self._search(i, text, 0) for i in range(len(pats))]
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
                    m = pending[i] = self._search(i, text, pos)
                    if m is None:
                        continue
                if best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1]):
                    best, best_i = (m.start(), m.end()), i
            if best is None:
                return
            start, end = best
            if best_i >= 0:
                entry = self._entry_for(best_i, pending[best_i])
                pending[best_i] = self._search(best_i, text, end)
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
