"""Find glossary terms in source text (and forbidden renderings or targets in English text).

Declared forms are keys of an Aho-Corasick automaton (``ahocorasick_rs``, leftmost-longest; keys
lower-cased when some entry is case-insensitive), run over the text folded one-to-one (space,
apostrophe and hyphen variants, the language's variant characters inside words), its white
space runs collapsed to one space and offsets mapped back. A hit on word boundaries with the
entry's case is a match; the rest (a hit inside a word, a case ending after it, a shorter form
at the same start) are settled by the word index, which is also the reference implementation
(``Matcher(..., automaton=False)``, used for texts whose lower-casing changes length): forms
indexed by their first word (lower-cased), matching walks the words of the text; where a word
starts some form, the candidate phrases that begin there (one, two, ... words, up to the longest
form of that word) are looked up, longest first. ``pattern:`` fields are
searched as regular expressions, each compiled on its own (:func:`compile_pattern`) and run with
a time limit (:data:`PATTERN_TIMEOUT`). Matching is leftmost-longest with no overlaps; a pattern
that matches the empty string somewhere is skipped there (never a loop).

:func:`pattern_problem` is the rule ``glossary check`` (and every glossary load) applies to a
``pattern:``: it must compile as the matcher compiles it, match no empty string, use no
backreference, branch reset, recursion, conditional or global inline flag (they depend on the
groups around the pattern), and repeat without bound no group that itself repeats without bound
or holds an alternation (``(a+)+``, ``(a|a)+$``: exponential backtracking).

Word boundaries are the language's (:class:`~kp_translate.lang.Language`: the source language of
the glossary view for source forms, the target language for targets and forbidden renderings):
Unicode letters, digits and ``_`` plus its ``word_chars`` and ``word_joiners``, so accented
letters, apostrophes (' and ’), guillemets, non-breaking and narrow spaces and dashes all delimit
terms, while the Catalan punt volat does not (``laboració`` is not found in ``col·laboració``; a
form's ``·`` matches its ``char_variants``: ``col‧laboració``, ``col.laboració``). Inside a form, a
space matches any run of white space (non-breaking and narrow included), an apostrophe matches ' ’
ʼ, and a hyphen matches - ‐ ‑ but not an en or em dash. Only declared forms match: no fuzzy matching.

A matcher of more than :data:`EAGER_KEYS` keys defers its automaton (``ahocorasick_rs`` builds a
leftmost-longest one at some 15 µs a key) until its word index has read :data:`BUILD_AFTER`
characters a key; both give the same matches. The word index itself is made a group at a time:
compiling groups the forms by first word (:class:`_Index`), and the group of a word is made when a
text first has that word, so a few documents read with a 20,000-entry glossary make a few hundred
groups. :meth:`Matcher.tables` gives a matcher's word index as plain data (those lists) and
:meth:`Matcher.from_tables` reads it back, each entry made when a text first matches it: what the
compiled-glossary cache stores (:mod:`kp_translate.compiled`).

In a language with case endings (``suffix_pattern``: Basque), a form followed by one of them —
glued or after a hyphen: ``NATOren``, ``NATO-ren``, ``Kim Jong-unek`` — matches as that form, the
whole inflected word being the match (:attr:`Match.suffix` is the ending); the ending may also
replace one of the form's ``suffix_replaces`` endings (the article: ``Estatu Batuak`` →
``Estatu Batuetako``). Of the matches starting at a word, the longest wins, then the one with the
shortest ending (the bare form before an inflected one).
"""

from __future__ import annotations

import marshal
import re
import weakref
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, chain, compress, count, repeat
from operator import add, itemgetter, mul, not_, sub
from typing import Any, NamedTuple

import ahocorasick_rs
import regex

from . import lang
from .config import default_pair
from .errors import InputError
from .gcpause import FREEZE_MIN, paused
from .glossary import APOSTROPHES, HYPHENS, SPACES, Entry, Glossary, normalise_form, normalise_forms
from .lang import Language
from .rx import compiled, deferred, deferred_re

#: seconds one search of a ``pattern:`` may take before it is an error naming the entry
PATTERN_TIMEOUT = 2.0
#: a matcher of up to this many keys builds its automaton at once (ahocorasick_rs: about 10 µs a
#: key, leftmost-longest); a larger one reads texts with the word index until it has read
#: :data:`BUILD_AFTER` characters per key, then builds it: a translation of a few documents with a
#: 20,000-entry glossary never pays the 0.6 s build, a corpus of megabytes gets the automaton's speed
EAGER_KEYS = 5_000
BUILD_AFTER = 25
#: texts whose matches a shared matcher remembers (:meth:`Matcher.find`)
MEMO_TEXTS = 512

_WORD = r"[\p{L}\p{N}_]"
_CHAR_CLASS = {
    " ": r"\s+",
    "'": "['" + APOSTROPHES + "]",
    "-": "[-" + HYPHENS + "]",
}
_SPLIT = re.compile(r"(\w+)")
_LAST = itemgetter(-1)
_WHITE_RUN = deferred_re(r"\s+")
#: what the automaton path folds in a text, one-to-one (each replaced where present: faster than
#: ``str.translate``): white space other than a plain space, apostrophe and hyphen variants
_TO_FOLD = (
    *((chr(c), " ") for c in range(0x3001) if chr(c).isspace() and c != 32),
    *((c, "'") for c in APOSTROPHES),
    *((c, "-") for c in HYPHENS),
)
#: what each character of :data:`_TO_FOLD` is folded to
_FOLD_OF = dict(_TO_FOLD)
#: any character of :data:`_TO_FOLD` (in a paragraph, one scan finds which are there)
_FOLDED_CHAR = re.compile("[" + "".join(map(re.escape, _FOLD_OF)) + "]")
_SPACE_RUN = deferred_re(" {2,}")
# One-to-one folding of apostrophe and hyphen variants (forms are stored with ' and -).
_FOLD = str.maketrans({c: "'" for c in APOSTROPHES} | {c: "-" for c in HYPHENS} | {c: " " for c in SPACES})


class Match(NamedTuple):
    """One occurrence of a glossary entry: ``text[start:end] == form``."""

    start: int
    end: int
    entry: Entry
    form: str
    #: the case ending *form* ends with (Basque ``"ren"`` of ``NATOren``, ``"-ren"`` of ``NATO-ren``)
    suffix: str = ""


def _trie_pattern(forms: list[str], classes: dict[str, str] | None = None) -> str:
    """A regex that matches exactly the given (normalised) forms, longest first (a character of
    *classes* matches its class: a language's variant characters)."""
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        terminal = "" in node
        branches = [
            (_CHAR_CLASS.get(ch) or (classes or {}).get(ch) or regex.escape(ch)) + emit(child)
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


#: the longest case ending tried inside a word (Basque ``-arengatik`` has 10 characters)
_MAX_SUFFIX = 12
#: a separator that joins a case ending to a form (NATO-ren)
_HYPHEN_CHARS = frozenset("-" + HYPHENS)


class _Words:
    """What a word is in one language, as the matcher needs it: the pattern splitting text into
    words and separators, the folding of a word's variant characters, the boundary assertions, and
    the case endings (compiled for both case rules) with the endings they may replace."""

    def __init__(self, language: Language) -> None:
        self.language = language
        extra = language.word_chars
        if extra or language.word_joiners:
            # a run of word characters; a joiner (between two of its letters) continues it
            chars = f"[\\w{re.escape(extra)}]"
            joiners = "|".join(
                f"(?<=[{re.escape(letters)}]){re.escape(ch)}(?=[{re.escape(letters)}])"
                for ch, letters in sorted(language.word_joiners.items())
            )
            self.split = re.compile(f"({chars}+(?:(?:{joiners}){chars}+)*)" if joiners else f"({chars}+)")
        else:
            self.split = _SPLIT
        #: over keys joined by newlines: each key's first word ('' where it starts with none)
        self.first_words = re.compile(f"(?:{self.split.pattern})?[^\\n]*\\n?")
        #: a character that is not part of a word
        self.non_word = re.compile(f"[^\\w{re.escape(extra)}]")
        folding = language.variant_folding()
        self.fold: dict[int, str] | None = folding or None
        self.before, self.after = language.boundaries
        pattern = language.suffix_pattern
        self.suffix: tuple[Any, Any] | None = None
        if pattern:
            self.suffix = (compiled(pattern), compiled(pattern, regex.IGNORECASE))
        self.replaces = tuple(language.suffix_replaces)

    def key(self, text: str) -> str:
        """*text* (normalised) with the variant characters inside its words folded (``col.laboració``
        → ``col·laboració``): the key forms are stored and looked up under."""
        if self.fold is None:
            return text
        parts = self.split.split(text)
        return "".join(p.translate(self.fold) if k % 2 else p for k, p in enumerate(parts))

    def is_suffix(self, text: str, case_sensitive: bool) -> bool:
        assert self.suffix is not None
        return self.suffix[0 if case_sensitive else 1].fullmatch(text) is not None


def _fold_separator(sep: str) -> str:
    """A separator between two words as it is stored in forms: white space runs become one space."""
    if sep == " ":
        return sep
    if sep.isspace():
        return " "
    return _WHITE_RUN.sub(" ", sep.translate(_FOLD))


class _Group:
    """The forms that begin with one (lower-cased) word: how many words the longest has, and
    the forms themselves (exact case, and lower-cased for case-insensitive entries)."""

    __slots__ = ("insensitive", "sensitive", "words")

    def __init__(self) -> None:
        #: (dicts while the matcher is built; read-only tables when read from the compiled cache)
        self.sensitive: Mapping[str, Entry] = {}
        self.insensitive: Mapping[str, Entry] = {}
        self.words = 1

    def add(self, form: str, entry: Entry, words: int) -> None:
        table = self.sensitive if entry.case_sensitive else self.insensitive
        assert isinstance(table, dict)
        table[form if entry.case_sensitive else form.lower()] = entry
        self.words = max(self.words, words)

    def get(self, key: str) -> Entry | None:
        """The entry of the form *key* (exact case, else lower-cased for case-insensitive entries)."""
        entry = self.sensitive.get(key)
        if entry is None and self.insensitive:
            entry = self.insensitive.get(key.lower())
        return entry


class _Resolving(Mapping[str, Entry]):
    """A form -> entry table of a group read from the compiled-glossary cache: the entry is made
    (``entries[position]``) only when its form is looked up."""

    __slots__ = ("_entries", "_positions")

    def __init__(self, positions: dict[str, int], entries: Sequence[Entry]) -> None:
        self._positions = positions
        self._entries = entries

    def get(self, form: str, default: Any = None) -> Any:
        i = self._positions.get(form)
        return default if i is None else self._entries[i]

    def __getitem__(self, form: str) -> Entry:
        return self._entries[self._positions[form]]

    def __contains__(self, form: object) -> bool:
        return form in self._positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


#: forms per marshalled chunk of a word index read from the compiled-glossary cache
_CHUNK = 256
#: a first word's forms ``keys[start:end]`` are stored as ``start * _SPAN + end`` (one int a word)
_SPAN = 1 << 32


class _Index(Mapping[str, _Group]):
    """A matcher's word index: first word (lower-cased) -> :class:`_Group`, each group made when a
    text first has its word (or something walks the index), from the indexed forms grouped by
    their first word: ``keys[i]`` is a form (normalised, its variant characters folded),
    ``owners[i]`` the position of its entry in *entries*, ``sensitive[i]`` its case rule, and the
    forms of a word are ``keys[start:end]`` (``spans[word] == start * _SPAN + end``), in the order
    the matcher met them, so the first form of a key wins, as it did when every group was made at
    once. With *lazy* (read from the compiled-glossary cache) the forms
    are marshalled in chunks of :data:`_CHUNK`, each decoded when a group needs it, and a group's
    tables make an entry when its form is looked up; otherwise they hold the entries."""

    def __init__(
        self,
        spans: dict[str, int],
        forms: tuple[list[str], list[int], bytes] | list[bytes],
        entries: Sequence[Entry],
        split: Any,
        lazy: bool,
    ) -> None:
        #: first word -> its span (a dict: its keys view intersects a text's words at C speed)
        self.spans = spans
        self._forms = forms
        self._chunks: list[Any] = [None] * len(forms) if lazy else []
        self._entries = entries
        self._split = split
        self._lazy = lazy
        self._made: dict[str, _Group] = {}

    @classmethod
    def grouped(
        cls,
        counts: dict[str, int],
        forms: tuple[list[str], list[int], bytes],
        entries: Sequence[Entry],
        split: Any,
    ) -> _Index:
        """The index of *forms* sorted by first word (in the order the matcher met the words,
        each word's forms in the order it met them), *counts* holding how many forms each first
        word has, in that order."""
        ends = list(accumulate(counts.values()))
        starts = map(sub, ends, counts.values())
        spans = dict(zip(counts, map(add, map(mul, starts, repeat(_SPAN)), ends), strict=True))
        return cls(spans, forms, entries, split, lazy=False)

    def forms(self, lo: int = 0, hi: int = -1) -> tuple[list[str], list[int], bytes]:
        """The keys, entry positions and case rules of forms *lo* to *hi* (-1: the last) in the index's order."""
        forms = self._forms
        if isinstance(forms, tuple):
            keys, owners, flags = forms
            return (keys[lo:hi], owners[lo:hi], flags[lo:hi]) if (lo, hi) != (0, -1) else forms
        if hi < 0:
            hi = len(forms) * _CHUNK
        keys, owners, flags = [], [], b""
        chunks = self._chunks
        for c in range(lo // _CHUNK, (hi - 1) // _CHUNK + 1 if hi > lo else lo // _CHUNK):
            chunk = chunks[c]
            if chunk is None:
                chunk = chunks[c] = marshal.loads(forms[c])
            a, b = max(lo - c * _CHUNK, 0), hi - c * _CHUNK
            keys += chunk[0][a:b]
            owners += chunk[1][a:b]
            flags += chunk[2][a:b]
        return keys, owners, flags

    def _make(self, word: str) -> _Group:
        lo, hi = divmod(self.spans[word], _SPAN)
        keys, owners, flags = self.forms(lo, hi)
        entries = self._entries
        lazy = self._lazy
        split = self._split
        sensitive: dict[str, Any] = {}
        insensitive: dict[str, Any] = {}
        longest = 1
        for key, owner, flag in zip(keys, owners, flags, strict=True):
            if flag:
                table, stored = sensitive, key
            else:
                table, stored = insensitive, key.lower()
            if stored not in table:
                table[stored] = owner if lazy else entries[owner]
                longest = max(longest, len(split.split(key)) // 2)
        group = _Group()
        group.words = longest
        if lazy:
            group.sensitive = _Resolving(sensitive, entries)
            group.insensitive = _Resolving(insensitive, entries)
        else:
            group.sensitive, group.insensitive = sensitive, insensitive
        self._made[word] = group
        return group

    def __getitem__(self, word: str) -> _Group:
        group = self._made.get(word)
        if group is None:
            if word not in self.spans:
                raise KeyError(word)
            group = self._make(word)
        return group

    def get(self, word: str, default: Any = None) -> Any:
        group = self._made.get(word)
        if group is None:
            return self._make(word) if word in self.spans else default
        return group

    def __contains__(self, word: object) -> bool:
        return word in self.spans

    def __iter__(self) -> Iterator[str]:
        return iter(self.spans)

    def __len__(self) -> int:
        return len(self.spans)


def compile_pattern(pattern: str, case_sensitive: bool = True, language: Language | None = None) -> Any:
    """A ``pattern:`` field as the matcher runs it: whole words of *language* (default: the generic
    boundary), the entry's case rule, then optionally one of the language's case endings (group
    ``kp_suffix``).

    Raises ``regex.error`` when it does not compile.
    """
    flags = "" if case_sensitive else "i"
    if language is None:
        return compiled(rf"(?<!{_WORD})(?{flags or '-i'}:{pattern})(?!{_WORD})")
    before, after = language.boundaries
    suffix = f"(?P<kp_suffix>(?{flags or '-i'}:{language.suffix_pattern}))?" if language.suffix_pattern else ""
    return compiled(rf"{before}(?{flags or '-i'}:{pattern}){suffix}{after}")


_QUANT = deferred(r"[*+?]|\{\d*(?:,\d*)?\}")
_EMPTY_PROBES = ("", " ", "a", "A", "1", "-", ".", "a b", "x-1 2,3 é.")


def pattern_problem(pattern: str) -> str | None:
    """Why *pattern* cannot be a ``pattern:`` field (see the module docstring), or None."""
    try:
        compiled(pattern)
    except (regex.error, OverflowError, RecursionError) as exc:
        return f"bad pattern {pattern!r}: {exc}"
    problem = _construct_problem(pattern)
    if problem:
        return f"bad pattern {pattern!r}: {problem}"
    try:
        made = compile_pattern(pattern)
    except (regex.error, OverflowError, RecursionError) as exc:
        return f"bad pattern {pattern!r}: {exc}"
    # the pattern's own letters too, for empty matches that need context: (?=Kim)
    literal = regex.sub(r"\\.|[^\p{L}\p{N} '-]", "", pattern)
    try:
        for probe in (*_EMPTY_PROBES, literal, f"a {literal} b"):
            for m in made.finditer(probe, timeout=PATTERN_TIMEOUT):
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


class _Prepared(NamedTuple):
    """A text as the automaton reads it: folded one-to-one (white space, apostrophes, hyphens, the
    language's variant characters inside words), white space runs collapsed to one space, and
    lower-cased when some entry is case-insensitive; with the map back to the text's offsets."""

    folded: str
    searched: str
    #: positions in *folded* just after a collapsed run, and the characters removed up to each
    runs: list[int]
    removed: list[int]


class _Automaton:
    """The indexed forms of a :class:`Matcher` in one Aho-Corasick automaton (``ahocorasick_rs``,
    leftmost-longest), lower-cased when some entry is case-insensitive. In a language with case
    endings, the stems a case ending may replace an ending of are keys too.

    One leftmost-longest pass over the prepared text gives spans such that every occurrence of a
    key starts inside one. A span whose key is a form, on word boundaries, with the entry's case
    (and, with case endings, no hyphen and word after it) is the leftmost-longest match at its
    start. Any other span (inside a word, the case wrong, an ending after it, or overlapped by
    the previous match) is read by the word index (:meth:`Matcher._indexed_matches`) from its
    start (or the previous match's end) to a word boundary past the longest form: the matches it
    finds starting inside the span are the matches there.
    """

    def __init__(self, matcher: Matcher) -> None:
        words = matcher._words
        language = matcher.language
        # read from the word index's forms (every group made would be the same, slower): the first
        # form of a key wins, as in a group's tables
        index = matcher._groups
        assert isinstance(index, _Index)
        forms, owners, flags = index.forms()
        entries = index._entries
        self.lowered = 0 in flags
        #: per key: (exact forms of case-sensitive entries, the case-insensitive entry)
        values: dict[str, tuple[dict[str, Entry], Entry | None]] = {}
        for form, owner, sensitive in zip(forms, owners, flags, strict=True):
            if sensitive:
                sens, insens = values.setdefault(form.lower() if self.lowered else form, ({}, None))
                if form not in sens:
                    sens[form] = entries[owner]
            else:
                low = form.lower()
                sens, insens = values.get(low, ({}, None))
                if insens is None:
                    values[low] = (sens, entries[owner])
        stems: set[str] = set()
        if words.suffix is not None:
            for key in list(values):
                low = key.lower()
                for r in words.replaces:
                    if low.endswith(r) and len(key) - len(r) >= 3:
                        stem = key[: -len(r)]
                        if stem not in values:
                            stems.add(stem)
        keys = list(values)
        self.values: list[tuple[dict[str, Entry], Entry | None]] = [values[k] for k in keys]
        self.values += [({}, None)] * len(stems)
        keys += sorted(stems)
        self.longest = max(len(k) for k in keys)
        self.search = ahocorasick_rs.AhoCorasick(
            keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        ).find_matches_as_indexes
        self.word_chars = language.word_chars
        self.joiners = dict(language.word_joiners)
        #: frequent characters that are never inside a word of the language (a quick test)
        self.separators = language.separators()
        self.suffixes = words.suffix is not None
        # the variant characters folded inside words: word characters anywhere, joiners between their letters
        alternatives = []
        self.variant_of: dict[str, str] = {}
        for c, vs in language.char_variants.items():
            for v in vs:
                if language.is_word_char(v):
                    alternatives.append(re.escape(v))
                elif v in language.word_joiners:
                    letters = re.escape(language.word_joiners[v])
                    alternatives.append(f"(?<=[{letters}]){re.escape(v)}(?=[{letters}])")
                else:
                    continue
                self.variant_of[v] = c
        self.variants = re.compile("|".join(alternatives)) if alternatives else None

    def prepare(self, text: str) -> _Prepared | None:
        """*text* as the automaton reads it, or None when it cannot be (lower-casing would change
        its length, or depend on the context: a capital sigma)."""
        folded = text
        # what is folded is white space other than a space (never printable) or one of a few
        # printable variants: a printable ASCII text has none; in a paragraph, one scan finds those
        # it has; in a long text, one substring search a character (each in C, at memory speed)
        if len(text) >= 4096:
            for c, folded_c in _TO_FOLD:
                if c in folded:
                    folded = folded.replace(c, folded_c)
        elif not (text.isascii() and text.isprintable()):
            for c in set(_FOLDED_CHAR.findall(text)):
                folded = folded.replace(c, _FOLD_OF[c])
        if self.variants is not None and self.variants.search(folded) is not None:
            variant_of = self.variant_of
            folded = self.variants.sub(lambda m: variant_of[m.group()], folded)
        runs: list[int] = []
        removed: list[int] = []
        if "  " in folded:
            pieces = []
            at = total = 0
            for m in _SPACE_RUN.finditer(folded):
                pieces.append(folded[at : m.start() + 1])
                total += m.end() - m.start() - 1
                at = m.end()
                runs.append(m.end() - total)
                removed.append(total)
            pieces.append(folded[at:])
            folded = "".join(pieces)
        searched = folded
        if self.lowered:
            searched = folded.lower()
            if len(searched) != len(folded) or "Σ" in folded:
                return None
        return _Prepared(folded, searched, runs, removed)

    def matches(self, matcher: Matcher, text: str, prepared: _Prepared, pos: int) -> list[Match]:
        """:meth:`Matcher._word_matches` of *matcher* (whose automaton this is) from *pos* on
        (offsets in *text*). The automaton holds no reference to its matcher: no reference cycle,
        so a matcher is freed as soon as its glossary is."""
        folded, searched, runs, removed = prepared
        n = len(folded)
        values = self.values
        wc = self.word_chars
        separators = self.separators
        joiners = self.joiners
        suffixes = self.suffixes
        indexed = matcher._indexed_matches
        word_at = matcher._words.split.match
        reach = self.longest + (_MAX_SUFFIX + 1 if suffixes else 0)
        new = tuple.__new__
        same = folded is text  # nothing folded: the form is the text
        out: list[Match] = []
        append = out.append

        def original(p: int) -> int:
            k = bisect_left(runs, p + 1) - 1
            return p + removed[k] if k >= 0 else p

        def inside(c: str, at: int, prev: int, nxt: int) -> bool:
            """Whether the joiner *c* at *at* (between *prev* and *nxt*) is inside a word."""
            letters = joiners.get(c)
            return letters is not None and prev >= 0 and nxt < n and folded[prev] in letters and folded[nxt] in letters

        cur = pos  # in text: where the next match may start
        for index, s, e in self.search(searched):
            if runs:
                s0, e0 = original(s), original(e)
            else:
                s0, e0 = s, e
            if e0 <= cur:
                continue
            if s0 >= cur:
                # the usual hit: a separator (or the text's end) on either side
                before = folded[s - 1] if s else " "
                after = folded[e] if e < n else " "
                if before in separators:
                    word_start = True
                else:
                    c = before
                    word_start = not (c.isalnum() or c == "_" or c in wc or (joiners and inside(c, s - 1, s - 2, s)))
                if after in separators:
                    word_end = True
                else:
                    c = after
                    word_end = not (c.isalnum() or c == "_" or c in wc or (joiners and inside(c, e, e - 1, e + 1)))
                if word_start and word_end and not (suffixes and after == "-" and e + 1 < n):
                    sens, insens = values[index]
                    form = folded[s:e]
                    entry = sens.get(form) if sens else None
                    if entry is None:
                        entry = insens
                    if entry is not None:
                        append(new(Match, (s0, e0, entry, form if same else text[s0:e0], "")))
                        cur = e0
                        continue
                # the word index reads from the first word start in the span, if any
                if not word_start or not suffixes:
                    m = word_at(folded, s)
                    at = m.end() if m is not None else s
                    if at >= e:
                        # one word: no match starts in it (without case endings, none ends inside it)
                        continue
                    if not word_start:
                        s0 = original(at) if runs else at
            # read this span with the word index, to a word boundary past the longest form
            b = min(n, e - 1 + reach)
            if b < n:
                m = word_at(folded, b)
                if m is not None:
                    b = m.end()
                if suffixes and b + 1 < n and folded[b] == "-":
                    m = word_at(folded, b + 1)
                    if m is not None:
                        b = m.end()
            for start, end, entry, ending in indexed(text, max(s0, cur), original(b) if runs else b):
                if start >= e0:
                    break
                append(Match(start, end, entry, text[start:end], text[end - ending : end] if ending else ""))
                cur = end
        return out


def _language_for(glossary: Glossary | Iterable[Entry], kind: str, language: Language | str | None) -> Language:
    """The language a matcher of *kind* reads (see :class:`Matcher`)."""
    if kind not in ("source", "forbidden", "target"):
        raise ValueError(f"unknown matcher kind {kind!r}")
    if language is None:
        if kind != "source":
            language = default_pair().target
        elif isinstance(glossary, Glossary):
            language = glossary.source or glossary.default_source
        else:
            language = default_pair().source
    return lang.get(language) if isinstance(language, str) else language


#: compiled matchers per glossary (view): (kind, language) -> matcher (see :meth:`Matcher.cached`)
_MATCHERS: weakref.WeakKeyDictionary[Glossary, dict[tuple[str, Language], Matcher]] = weakref.WeakKeyDictionary()


class Matcher:
    """Compiled matcher. Build once, call :meth:`find` many times.

    ``Matcher(glossary)`` finds the source forms (and ``pattern:`` fields) in text of *language*
    (default: the glossary view's language ``glossary.source``, else the glossary's default source
    language, else the project's); :meth:`for_forbidden` and :meth:`for_targets` find forbidden
    renderings or targets in text of the target language (default: the project's), with the same
    typography rules and that language's word characters.
    """

    def __init__(
        self,
        glossary: Glossary | Iterable[Entry],
        kind: str = "source",
        *,
        language: Language | str | None = None,
        automaton: bool = True,
    ):
        entries = list(glossary)
        # the tables hold no reference cycle: built with the collector off, frozen when large
        with paused(freeze=len(entries) >= FREEZE_MIN):
            self._build(glossary, entries, kind, language, automaton)

    def _build(
        self,
        glossary: Glossary | Iterable[Entry],
        entries: list[Entry],
        kind: str,
        language: Language | str | None,
        automaton: bool,
    ) -> None:
        self.language: Language = _language_for(glossary, kind, language)
        words = self._words = _Words(self.language)
        self.kind = kind
        #: lower-cased one-word forms and the stems a case ending may follow (a quick filter)
        stems: set[str] = set()
        self._stems = stems
        leading: dict[str, Entry] = {}  # forms that start or end with a non-word character
        fold = words.fold
        split = words.split
        replaces = words.replaces if words.suffix is not None else None
        # every declared form, then the language's variants of the source forms
        # (lang.Language.form_variants), each with the position of its entry (*owners*); the work
        # is done a list at a time (map, chain, one regex over all keys, one sort), with no Python
        # loop per form (20,000 entries: some 36,000 forms)
        if kind == "source":
            of_entry = [e.sources for e in entries]
        elif kind == "forbidden":
            of_entry = [e.forbidden for e in entries]
        else:
            of_entry = [[e.target] for e in entries]
        texts = list(chain.from_iterable(of_entry))
        owners = [i for i, forms in enumerate(of_entry) for _ in forms]
        if kind == "source":
            type_of = [e.type for e in entries]
            variants = list(map(self.language.form_variants, texts, map(type_of.__getitem__, owners)))
            texts += chain.from_iterable(variants)
            owners += [i for i, forms in zip(owners, variants, strict=True) if forms for _ in forms]
        keys = normalise_forms(texts)
        if fold is not None:
            keys = list(map(words.key, keys))
        # each key's first word ("" if it starts with no word character); keys hold no newline
        joined = "\n".join(keys)
        firsts = words.first_words.findall(joined)[: len(keys)]  # (and an empty match at the end)
        # the forms the word index cannot hold: empty, or starting or ending with a non-word
        # character (leading forms, matched by a regular expression)
        try:
            lasts = "".join(map(_LAST, keys))  # each key's last character
        except IndexError:  # an empty key: one that is odd
            lasts = "".join([key[-1:] or "\n" for key in keys])
        odd = [m.start() for m in words.non_word.finditer(lasts)]
        if "" in firsts:
            odd = sorted({*odd, *(j for j, w in enumerate(firsts) if not w)})
        if odd:
            for j in odd:
                key = keys[j]
                if key:
                    e = entries[owners[j]]
                    leading.setdefault(key if e.case_sensitive else key.lower(), e)
            kept = [True] * len(keys)
            for j in odd:
                kept[j] = False
            keys = list(compress(keys, kept))
            owners = list(compress(owners, kept))
            firsts = list(compress(firsts, kept))
        sensitive_entry = [e.case_sensitive for e in entries]
        flags = list(map(sensitive_entry.__getitem__, owners))
        # the forms grouped by first word (lower-cased), the words in the order the forms meet
        # them and each word's forms in their order (a stable sort), as a loop appending them would
        lows = list(map(str.lower, firsts))
        counted = Counter(lows)  # in the order of first appearance
        rank = dict(zip(counted, count()))
        order = sorted(range(len(keys)), key=list(map(rank.__getitem__, lows)).__getitem__)
        grouped = (
            list(map(keys.__getitem__, order)),
            list(map(owners.__getitem__, order)),
            bytes(map(flags.__getitem__, order)),
        )
        index = _Index.grouped(counted, grouped, entries, split)
        if all(flags):
            self._keys = len(set(keys))
        else:
            insensitive = set(map(str.lower, compress(keys, map(not_, flags))))
            self._keys = len(set(compress(keys, flags))) + len(insensitive)
        if replaces is not None:  # one word: a stem for case endings
            for key, first in zip(keys, firsts, strict=True):
                if len(first) == len(key):
                    low = key.lower()
                    stems.add(low)
                    stems.update(low[: -len(r)] for r in replaces if low.endswith(r) and len(low) > len(r) + 2)
        self._groups: Mapping[str, _Group] = index
        #: the first words of the forms, as a dict (its keys view intersects a text's words at C speed)
        self._first_words: dict[str, Any] = index.spans
        self._finish(leading, [(e, pat) for e in entries if kind == "source" for pat in e.patterns], automaton)

    def _finish(self, leading: dict[str, Entry], patterns: list[tuple[Entry, str]], automaton: bool) -> None:
        """The matcher's regular expressions (*leading* forms, the user *patterns*) and automaton,
        once its word index is made (built, or read from the compiled-glossary cache)."""
        self._leading = leading
        #: the matches of recent texts (None: not kept; see :meth:`cached`)
        self._memo: dict[str, tuple[Match, ...]] | None = None
        self._automaton: _Automaton | None = None
        #: characters the word index may read before the automaton is built (None: never built)
        self._budget: int | None = None
        if automaton and self._groups:
            if self._keys <= EAGER_KEYS:
                self._automaton = _Automaton(self)
            else:
                self._budget = BUILD_AFTER * self._keys
        self._patterns: list[Any] = []
        words = self._words
        before, after = words.before, words.after
        if leading:
            classes = {c: "[" + regex.escape(c + vs) + "]" for c, vs in self.language.char_variants.items()}
            sens = [k for k, e in leading.items() if e.case_sensitive]
            insens = [k for k, e in leading.items() if not e.case_sensitive]
            alts = [f"(?:{_trie_pattern(sens, classes)})"] if sens else []
            alts += [f"(?i:{_trie_pattern(insens, classes)})"] if insens else []
            self._patterns.append(compiled(rf"{before}(?P<lead>{'|'.join(alts)}){after}"))
        # pats[i] for i >= 1 (or >= 0 without leading forms) are user patterns: one regex each,
        # so a slow one is named and none can change another's groups
        self._pattern_of: dict[int, tuple[Entry, str]] = {}
        for e, pat in patterns:
            try:
                made = compile_pattern(pat, e.case_sensitive, self.language)
            except regex.error as exc:
                raise InputError(
                    f"bad pattern {pat!r} in entry '{e.id}': {exc}", e.path, e.line_of("pattern", pat)
                ) from None
            self._pattern_of[len(self._patterns)] = (e, pat)
            self._patterns.append(made)

    def _automaton_for(self, text: str) -> _Automaton | None:
        """The automaton, built once the word index has read :data:`BUILD_AFTER` characters per key
        (a large matcher's automaton costs more to build than a few texts cost to read without it)."""
        budget = self._budget
        if budget is not None:
            budget -= len(text)
            self._budget = budget
            if budget < 0:
                self.build_automaton()
        return self._automaton

    def build_automaton(self) -> None:
        """Build the deferred automaton now (nothing if it is built, or the matcher has none)."""
        if self._budget is not None:
            self._budget = None
            with paused(freeze=self._keys >= FREEZE_MIN):
                self._automaton = _Automaton(self)

    def tables(self, index: Mapping[int, int]) -> dict[str, Any]:
        """The word index, stems, leading forms and patterns as plain data (marshal-able), each
        entry by its position (*index*: ``id(entry)`` -> position) in the glossary compiled: what
        the compiled-glossary cache stores (:meth:`from_tables` reads it back)."""
        groups = self._groups
        assert isinstance(groups, _Index)
        made = groups._entries
        keys, owners, sensitive = groups.forms()
        owners = [index[id(made[i])] for i in owners]
        return {
            "spans": groups.spans,
            "forms": [
                marshal.dumps((keys[c : c + _CHUNK], owners[c : c + _CHUNK], sensitive[c : c + _CHUNK]))
                for c in range(0, len(keys), _CHUNK)
            ],
            "count": self._keys,
            "stems": sorted(self._stems),
            "leading": {k: index[id(e)] for k, e in self._leading.items()},
            "patterns": [(index[id(e)], pat) for e, pat in self._pattern_of.values()],
        }

    @classmethod
    def from_tables(
        cls, tables: dict[str, Any], entries: Sequence[Entry], kind: str, language: Language, automaton: bool = True
    ) -> Matcher:
        """The matcher whose :meth:`tables` these are, over *entries* (the glossary compiled): each
        group of the word index is decoded when a text first has its word, each entry made when
        first matched."""
        self = cls.__new__(cls)
        self.language = language
        self._words = _Words(language)
        self.kind = kind
        index = _Index(tables["spans"], tables["forms"], entries, self._words.split, lazy=True)
        self._groups = index
        self._first_words = index.spans
        self._keys = tables["count"]
        self._stems = set(tables["stems"])
        leading = {k: entries[i] for k, i in tables["leading"].items()}
        self._finish(leading, [(entries[i], pat) for i, pat in tables["patterns"]], automaton)
        return self

    @classmethod
    def cached(cls, glossary: Glossary, kind: str = "source", language: Language | str | None = None) -> Matcher:
        """``Matcher(glossary, kind, language=language)``, compiled once per glossary (view), kind
        and language: a glossary is not modified once built, so every :class:`~kp_translate.verify.Verifier`,
        ``Analyser`` and ``Enforcer`` of one view shares its matchers (held as long as the view is)."""
        resolved = _language_for(glossary, kind, language)
        per_glossary = _MATCHERS.get(glossary)
        if per_glossary is None:
            per_glossary = _MATCHERS[glossary] = {}
        matcher = per_glossary.get((kind, resolved))
        if matcher is None:
            store = glossary.store  # the compiled-glossary cache (kp_translate.compiled), if any
            matcher = store.matcher(glossary, kind, resolved) if store is not None else None
            if matcher is None:
                matcher = cls(glossary, kind, language=resolved)
                if store is not None:
                    store.save_matcher(glossary, kind, resolved, matcher)
            matcher._memo = {}
            per_glossary[(kind, resolved)] = matcher
        return matcher

    @classmethod
    def for_forbidden(cls, glossary: Glossary | Iterable[Entry], language: Language | str | None = None) -> Matcher:
        """Finds forbidden renderings (in text of the target *language*, default the project's)."""
        return cls(glossary, "forbidden", language=language)

    @classmethod
    def for_targets(cls, glossary: Glossary | Iterable[Entry], language: Language | str | None = None) -> Matcher:
        """Finds canonical targets (in text of the target *language*, default the project's)."""
        return cls(glossary, "target", language=language)

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
        key = self._words.key(normalise_form(m.group()))
        found = self._leading.get(key)
        return found if found is not None else self._leading[key.lower()]

    def _word_matches(self, text: str, pos: int = 0, prepared: _Prepared | None = None) -> Iterable[Match]:
        """Leftmost-longest, non-overlapping matches of the indexed forms, from *pos* on: through
        the automaton, or (a text it cannot fold one-to-one, or ``automaton=False``) the word index."""
        automaton = self._automaton
        if automaton is not None:
            if prepared is None:
                prepared = automaton.prepare(text)
            if prepared is not None:
                return automaton.matches(self, text, prepared, pos)
        return (
            Match(start, end, entry, text[start:end], text[end - ending : end] if ending else "")
            for start, end, entry, ending in self._indexed_matches(text, pos)
        )

    def _indexed_matches(self, text: str, pos: int = 0, stop: int = -1) -> Iterator[tuple[int, int, Entry, int]]:
        """:meth:`_word_matches` through the word index (the reference implementation), in
        ``text[pos:stop]`` (*stop* -1: to the end; the slice ends at a word boundary)."""
        groups = self._groups
        if not groups:
            return
        words = self._words
        parts = words.split.split(text[pos:stop] if stop >= 0 else text[pos:] if pos else text)
        n_parts = len(parts)
        fold = words.fold
        keys = [p.translate(fold) if k % 2 else p for k, p in enumerate(parts)] if fold is not None else parts
        inflected = words.suffix is not None
        order: Iterable[int] = range(1, n_parts, 2)
        if not inflected:  # only the words that start some form (set operations: no loop per word)
            lows = list(map(str.lower, keys[1::2]))
            present = self._first_words.keys() & lows
            if not present:
                return
            order = [2 * i + 1 for i, w in enumerate(lows) if w in present]
        offsets = list(accumulate(map(len, parts), initial=pos))  # offsets[k]: where parts[k] starts
        stems = self._stems
        skip_to = pos
        for k in order:
            start = offsets[k]
            if start < skip_to:
                continue
            tok = keys[k]
            group = groups.get(tok.lower())
            if group is None and not inflected:
                continue
            if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue  # \w and the boundary class differ (e.g. combining marks): stay strict
            if inflected:
                if group is None:  # only a one-word form with an ending can start here: any stem?
                    low, n = tok.lower(), len(tok)
                    j = max(1, n - _MAX_SUFFIX)
                    while j < n and low[:j] not in stems:
                        j += 1
                    if j == n:
                        continue
                found = self._inflected(parts, keys, offsets, k, group)
                if found is not None:
                    yield start, found[0], found[2], found[1]
                    skip_to = found[0]
                continue
            assert group is not None
            # candidate phrases of 1..group.words words starting at this token, longest first
            cands = [tok]
            last = min(n_parts - 1, k + 2 * (group.words - 1))
            for j in range(k + 2, last + 1, 2):
                cands.append(cands[-1] + _fold_separator(parts[j - 1]) + keys[j])
            for idx in range(len(cands) - 1, -1, -1):
                cand = cands[idx]
                entry = group.sensitive.get(cand)
                if entry is None and group.insensitive:
                    entry = group.insensitive.get(cand.lower())
                if entry is not None:
                    end_part = k + 2 * idx
                    end = offsets[end_part] + len(parts[end_part])
                    yield start, end, entry, 0
                    skip_to = end
                    break

    def _inflected(
        self, parts: list[str], keys: list[str], offsets: list[int], k: int, group: _Group | None
    ) -> tuple[int, int, Entry] | None:
        """In a language with case endings, the match starting at word *k*: ``(end, length of the
        ending, entry)``, the longest, then the one with the shortest ending; None if there is none."""
        words = self._words
        groups = self._groups
        stems = self._stems
        n_parts = len(parts)
        best: tuple[int, int, Entry] | None = None

        def consider(end: int, ending: int, entry: Entry) -> None:
            nonlocal best
            if best is None or end > best[0] or (end == best[0] and ending < best[1]):
                best = (end, ending, entry)

        def inflections(cand: str, word_len: int, fixed: _Group | None) -> Iterator[tuple[int, Entry]]:
            """*cand* read as a form (or the form less an ending the case ending replaces) and a case
            ending inside its last word (*word_len* characters): (length of the ending, entry)."""
            n = len(cand)
            low = cand.lower()
            for j in range(max(n - word_len + 1, n - _MAX_SUFFIX), n):
                if fixed is None and low[:j] not in stems:
                    continue
                head = cand[:j]
                for replaced in ("", *words.replaces):
                    if replaced and len(head) < 3:
                        continue
                    form = head + replaced
                    g = fixed if fixed is not None else groups.get(form.lower())
                    entry = g.get(form) if g is not None else None
                    if entry is not None and words.is_suffix(cand[j:], entry.case_sensitive):
                        yield n - j, entry

        if group is not None:
            cands = [keys[k]]
            last = min(n_parts - 1, k + 2 * (group.words - 1))
            for j in range(k + 2, last + 1, 2):
                cands.append(cands[-1] + _fold_separator(parts[j - 1]) + keys[j])
            for idx, cand in enumerate(cands):
                e = k + 2 * idx
                end = offsets[e] + len(parts[e])
                entry = group.get(cand)
                if entry is not None:
                    # the form, then a case ending after a hyphen (NATO-ren)?
                    ending = "-" + parts[e + 2] if e + 2 < n_parts and parts[e + 1] in _HYPHEN_CHARS else ""
                    if ending and words.is_suffix(ending, entry.case_sensitive):
                        consider(offsets[e + 2] + len(parts[e + 2]), len(ending), entry)
                    else:
                        consider(end, 0, entry)
                if idx:  # a form of several words whose last one is inflected (Kim Jong-unek)
                    for length, entry in inflections(cand, len(keys[e]), group):
                        consider(end, length, entry)
        # a form of one word, inflected (NATOren, Mendebaldeko for Mendebaldea)
        for length, entry in inflections(keys[k], len(keys[k]), None):
            consider(offsets[k] + len(parts[k]), length, entry)
        return best

    def finditer(self, text: str) -> Iterator[Match]:
        """Matches in text order: leftmost-longest, never overlapping (without ``pattern:``
        fields, an iterator over the matches found at once; with them, found as they are read)."""
        automaton = self._automaton_for(text)
        prepared = automaton.prepare(text) if automaton is not None else None
        if not self._patterns:
            return iter(self._word_matches(text, 0, prepared))
        return self._with_patterns(text, prepared)

    def _with_patterns(self, text: str, prepared: _Prepared | None) -> Iterator[Match]:
        """:meth:`finditer` of a matcher with regular expressions (leading forms, ``pattern:``
        fields): their matches merged with the word matches, leftmost-longest."""
        pats = self._patterns
        words = iter(self._word_matches(text, 0, prepared))
        word = next(words, None)
        pending: list[Any] = [self._search(i, text, 0) for i in range(len(pats))]
        pos = 0
        while True:
            if word is not None and word.start < pos:
                # a pattern match overlapped this one: look again from pos
                words = iter(self._word_matches(text, pos, prepared))
                word = next(words, None)
            best: tuple[int, int] | None = (word.start, word.end) if word is not None else None
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
                m = pending[best_i]
                entry = self._entry_for(best_i, m)
                suffix = (m.groupdict().get("kp_suffix") or "") if best_i in self._pattern_of else ""
                pending[best_i] = self._search(best_i, text, end)
                yield Match(start, end, entry, text[start:end], suffix)
            else:
                assert word is not None
                yield word
                word = next(words, None)
            pos = end

    def find(self, text: str) -> list[Match]:
        """All matches in *text*, in order.

        A shared matcher (:meth:`cached`) remembers the matches of the last :data:`MEMO_TEXTS`
        texts: a translation reads each paragraph three times (surname-only mentions, names the
        glossary lacks, protection)."""
        memo = self._memo
        if memo is not None:
            known = memo.get(text)
            if known is not None:
                return list(known)
        if not self._patterns:
            automaton = self._automaton if self._budget is None else self._automaton_for(text)
            prepared = automaton.prepare(text) if automaton is not None else None
            if prepared is not None:
                assert automaton is not None
                found = automaton.matches(self, text, prepared, 0)
            else:
                found = list(self._word_matches(text))
        else:
            found = list(self.finditer(text))
        if memo is not None:
            if len(memo) >= MEMO_TEXTS:
                memo.clear()
            memo[text] = tuple(found)
        return found


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
