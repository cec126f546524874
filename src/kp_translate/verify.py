"""The one verifier: which canonical targets and forbidden renderings a translation holds.

Translation (:class:`~kp_translate.enforce.Enforcer`) and scoring
(:class:`~kp_translate.metrics.base.Analyser`) both decide "is the term's target there?" here,
so the translate report and the CI gate cannot disagree.

The rule: a term whose source occurs *n* times in a segment is enforced ``min(n, m)`` times, where
*m* counts its canonical target among the targets **of the terms that segment's source holds**,
searched leftmost-longest without overlaps (whole words, typography folded, the entry's case
rule). So with the terms "Kim Jong Un" and "Kim" in the source, "Kim" does not count inside
"Kim Jong Un"; "Ukraine" does count inside "the invasion of Ukraine" when "invasion of Ukraine"
is not a term of that source. A forbidden rendering counts unless it cuts through a canonical
target (it overlaps one and that target reaches outside it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import regex

from .glossary import APOSTROPHES, HYPHENS, SPACES, Entry, Glossary, normalise_form
from .match import Match, Matcher
from .rx import compiled

if TYPE_CHECKING:
    from .enforce import Slot


@lru_cache(maxsize=1 << 16)
def form_key(text: str, case_sensitive: bool) -> str:
    """The key under which a form is counted: typography folded, case folded unless sensitive."""
    key = normalise_form(text)
    return key if case_sensitive else key.lower()


def target_key(entry: Entry) -> str:
    return form_key(entry.target, entry.case_sensitive)


_BOUNDARY = r"[\p{L}\p{N}_]"
_FORM_CLASS = {" ": r"\s+", "'": "['" + APOSTROPHES + "]", "-": "[-" + HYPHENS + "]"}


@lru_cache(maxsize=1 << 16)
def form_pattern(key: str, case_sensitive: bool) -> Any:
    """A compiled pattern finding one normalised form as whole words, with the matcher's rules
    (a space matches any run of white space, apostrophe and hyphen variants are equal)."""
    body = "".join(_FORM_CLASS.get(ch) or regex.escape(ch) for ch in key)
    flags = 0 if case_sensitive else regex.IGNORECASE
    return compiled(rf"(?<!{_BOUNDARY}){body}(?!{_BOUNDARY})", flags)


# one-to-one folding: any single white-space character to a space, apostrophe and hyphen variants
_FOLD = str.maketrans(
    {c: " " for c in SPACES + "\t\n\r\v\f"} | {c: "'" for c in APOSTROPHES} | {c: "-" for c in HYPHENS}
)
#: the characters :data:`_FOLD` changes (a text without any is its own folding)
_TO_FOLD = compiled("[" + "".join(regex.escape(chr(c)) for c, to in _FOLD.items() if chr(c) != to) + "]")


def _find_words(hay: str, key: str) -> list[int]:
    """Start offsets of *key* in *hay* as whole words (not preceded or followed by a word character)."""
    out = []
    n = len(key)
    start = hay.find(key)
    while start >= 0:
        before = hay[start - 1] if start else " "
        end = start + n
        after = hay[end] if end < len(hay) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            out.append(start)
        start = hay.find(key, start + 1)
    return out


def _cuts(target: Match, forbidden: Match) -> bool:
    """Whether *target* overlaps *forbidden* and reaches outside it."""
    overlap = target.start < forbidden.end and forbidden.start < target.end
    return overlap and (target.start < forbidden.start or target.end > forbidden.end)


class Failure(NamedTuple):
    """A term that could not be enforced in a segment."""

    entry: Entry
    form: str  # the source form (or the forbidden rendering, for an unexpected one)
    reason: str
    expected: bool = True  # False: a forbidden rendering of a term that the source segment does not have


@dataclass
class Verdict:
    """What verification found in one segment."""

    expected: int = 0
    enforced: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for f in self.failures if f.expected)

    @property
    def ok(self) -> bool:
        return not self.failures


class Verifier:
    """Compiled matchers of one glossary (view): source forms, canonical targets, forbidden forms."""

    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        # compiled once per glossary view, shared by every verifier, analyser and enforcer of it
        self.source = Matcher.cached(glossary)
        self.forbidden = Matcher.cached(glossary, "forbidden")

    @cached_property
    def targets(self) -> Matcher:
        """The canonical targets' matcher, compiled when first needed: only a forbidden rendering
        found in a translation needs it (a 20,000-entry glossary's took a third of the compile time)."""
        return Matcher.cached(self.glossary, "target")

    def expected(self, text: str, entries: Iterable[Entry]) -> dict[str, list[Match]]:
        """target key -> occurrences in *text* of the targets of *entries* (leftmost-longest)."""
        spans: list[tuple[int, int, str, Entry]] = []
        seen: set[str] = set()
        folded = text.translate(_FOLD) if _TO_FOLD.search(text) is not None else text
        fast = "  " not in folded  # one space between words: plain substring search is exact
        lowered: str | None = None
        for e in entries:
            key = target_key(e)
            if key in seen:
                continue
            seen.add(key)
            if not fast:
                spans.extend((m.start(), m.end(), key, e) for m in form_pattern(key, e.case_sensitive).finditer(text))
                continue
            hay = folded
            if not e.case_sensitive:
                if lowered is None:
                    lowered = folded.lower()
                    if len(lowered) != len(folded):  # lower() changed the length: offsets would drift
                        fast = False
                if not fast:
                    spans.extend(
                        (m.start(), m.end(), key, e) for m in form_pattern(key, e.case_sensitive).finditer(text)
                    )
                    continue
                hay = lowered
            for start in _find_words(hay, key):
                spans.append((start, start + len(key), key, e))
        out: dict[str, list[Match]] = {}
        if not spans:
            return out
        pos = 0
        for start, end, key, e in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
            if start >= pos:
                out.setdefault(key, []).append(Match(start, end, e, text[start:end]))
                pos = end
        return out

    def forbidden_in(self, text: str) -> list[Match]:
        """Forbidden renderings in English *text*, except those cutting through a canonical target.

        A forbidden match that overlaps a canonical target without containing it whole is part
        of a correct rendering: "sanctions of the UN" inside "the sanctions of the UN Security
        Council" (target "UN Security Council"), or a forbidden form inside a longer target. A
        forbidden form that contains a whole target ("Kim Jong One" holds "Kim") is reported.
        """
        forbidden = self.forbidden.find(text)
        if forbidden:
            targets = self.targets.find(text)
            if targets:
                forbidden = [f for f in forbidden if not any(_cuts(t, f) for t in targets)]
        return forbidden

    def verdict(self, matches: Sequence[Match], text: str, lost: Sequence[Slot] = ()) -> Verdict:
        """Check *text* (a translated segment) against its source's *matches*."""
        verdict = Verdict()
        bad_by_entry: dict[str, list[Match]] = {}
        for f in self.forbidden_in(text):
            bad_by_entry.setdefault(f.entry.id, []).append(f)
        lost_by_entry: dict[str, int] = {}
        for s in lost:
            lost_by_entry[s.entry.id] = lost_by_entry.get(s.entry.id, 0) + 1
        # per entry and target: a surname-only mention (``short:``) is the entry with its short target
        by_entry: dict[tuple[str, str], list[Match]] = {}
        for m in matches:
            by_entry.setdefault((m.entry.id, m.entry.target), []).append(m)
        present = self.expected(text, [ms[0].entry for ms in by_entry.values()]) if by_entry else {}
        for (entry_id, _), ms in by_entry.items():
            entry = ms[0].entry
            n = len(ms)
            bad = bad_by_entry.pop(entry_id, [])
            failed = min(n, max(n - len(present.get(target_key(entry), ())), len(bad)))
            verdict.expected += n
            verdict.enforced += n - failed
            if not failed:
                continue
            reasons: list[str] = [f"forbidden rendering '{f.form}' remains" for f in bad]
            reasons.extend(["placeholder lost"] * lost_by_entry.get(entry_id, 0))
            while len(reasons) < failed:
                reasons.append("target missing")
            for k in range(failed):
                verdict.failures.append(Failure(entry, ms[min(k, n - 1)].form, reasons[k]))
        for bad in bad_by_entry.values():
            for f in bad:
                verdict.failures.append(
                    Failure(f.entry, f.form, f"forbidden rendering '{f.form}' (term not in the source)", False)
                )
        return verdict
