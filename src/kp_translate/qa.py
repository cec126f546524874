"""Quality-assurance checks in the spirit of Xbench / Okapi CheckMate.

Each check looks at source/translation pairs and returns :class:`Finding` objects naming the
file, line, paragraph and an excerpt. The checks (names as used in reports and thresholds):

``terms``
    a glossary term of the source whose canonical target is missing from the translation
    (one finding per term and paragraph; see :mod:`kp_translate.metrics.term_success`).
``forbidden``
    a forbidden rendering in the translation (one finding per occurrence).
``numbers``
    the multisets of numeric values of source and translation differ, each read by its own
    language's rules (:mod:`kp_translate.lang.numbers`): French ``5 millions`` = ``5 million``,
    ``11 000`` = ``11,000``, ``30,8`` = ``30.8``; Spanish ``11.000`` = ``11,000``, ``mil millones`` =
    ``1 billion``.
``untranslated``
    the translation is the source again, or reads as non-English while at least 60 % of its words
    are words of the source. Source paragraphs that are already English (kept verbatim by design)
    and paragraphs of fewer than 3 words (bylines, names, page chrome) are not judged.
``source_words``
    a word of the source language, or of the pivot a two-hop route goes through (``norcoreano``
    after fr→es→en; :func:`kp_translate.lang.leftover_languages`), in the translation: their
    function words (:func:`kp_translate.lang.identify.leftovers`), and any lower-case word carrying
    one of their diacritics (``géopolitique``, ``desestabilización``) that is not an English loanword
    (``régime``, ``café``, ``déjà``...: the target's ``accented_words``); words inside a glossary target or a
    forbidden form (already reported) and paragraphs reported as untranslated are skipped, as are
    paragraphs whose source is English.
``brackets``
    parentheses, square brackets or double quotes unbalanced in the translation while balanced in
    the source (straight ``"`` may close or open either kind), or a pair of quotes around nothing
    (``“”``, ``«  »``) where the source has none: Apertium moves a quoted word out of its quotes
    (``des « provocations » de Séoul`` → ``provocations «  » of Seoul``).
``two_ways``
    within one document, a term rendered two or more identified ways (its target and a forbidden
    form, or two forbidden forms; :mod:`kp_translate.metrics.consistency`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .config import default_pair
from .lang import Pair, codes, identify, leftover_languages, numbers
from .lang import get as get_language
from .metrics.base import Segment, SegmentAnalysis, excerpt, head
from .metrics.consistency import TermRenderings, collect, inconsistent
from .rx import compiled

CHECKS = ("terms", "forbidden", "numbers", "untranslated", "source_words", "brackets", "two_ways")
DESCRIPTIONS = {
    "terms": "glossary term missing its canonical target",
    "forbidden": "forbidden rendering used",
    "numbers": "numbers differ between source and translation",
    "untranslated": "paragraph left untranslated",
    "source_words": "source (or pivot) language word left in the translation",
    "brackets": "unbalanced or empty quotes, unbalanced brackets",
    "two_ways": "term rendered two ways in one document",
    # not a segment check: kp_translate.check.names_findings (names the glossary lacks, no rule resolves)
    "unresolved_names": "name the glossary lacks that no rule resolves",
}
UNTRANSLATED_OVERLAP = 0.6
MIN_WORDS = 3


@dataclass(frozen=True)
class Finding:
    """One fault: which check, where (file, line, paragraph), what, and an excerpt."""

    check: str
    doc: str
    path: str
    line: int
    index: int
    segment: str
    message: str
    excerpt: str
    where: str = ""  # "path:line (#paragraph)" for a dossier, "path:line" for a line file

    def __post_init__(self) -> None:
        if not self.where:
            object.__setattr__(self, "where", f"{self.path}:{self.line} (#{self.index})")

    def __str__(self) -> str:
        return f"{self.where}: {self.message}: {self.excerpt}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "doc": self.doc,
            "path": self.path,
            "line": self.line,
            "paragraph": self.index,
            "segment": self.segment,
            "where": self.where,
            "message": self.message,
            "excerpt": self.excerpt,
        }


def _finding(check: str, seg: Segment, message: str, text: str) -> Finding:
    return Finding(check, seg.doc, seg.path, seg.line, seg.index, seg.id, message, text, seg.where)


@lru_cache(maxsize=256)
def _is_target(text: str, target: str, source: str) -> bool:
    return identify.is_language(text, target, source)


def _source_is_target(seg: Segment) -> bool:
    """The source paragraph is already in the target language (kept verbatim by design)."""
    return bool(seg.source) and _is_target(seg.source or "", seg.pair.target, seg.pair.source)


def check_terms(a: SegmentAnalysis) -> list[Finding]:
    seg = a.segment
    out = []
    counts = a.source_counts()
    entries = a.source_entries()
    for entry_id, n in counts.items():
        entry = entries[entry_id]
        found = min(n, len(a.target_hits(entry)))
        if found < n:
            first = next(m for m in a.source_matches if m.entry.id == entry_id)
            times = f" ({n - found} of {n} occurrences)" if n > 1 else ""
            msg = f"'{first.form}' should be rendered '{entry.target}'{times} [{entry_id}]"
            out.append(_finding("terms", seg, msg, "source: " + excerpt(seg.source or "", first.start, first.end)))
    return out


def check_forbidden(a: SegmentAnalysis) -> list[Finding]:
    seg = a.segment
    return [
        _finding(
            "forbidden",
            seg,
            f"forbidden rendering '{m.form}': write '{m.entry.target}' [{m.entry.id}]",
            excerpt(seg.hyp, m.start, m.end),
        )
        for m in a.hyp_forbidden
    ]


def check_numbers(a: SegmentAnalysis) -> list[Finding]:
    seg = a.segment
    if seg.source is None:
        return []
    source = seg.pair.target if _source_is_target(seg) else seg.pair.source
    diff = numbers.compare(seg.source, seg.hyp, get_language(source), get_language(seg.pair.target))
    if not diff:
        return []
    first = (diff.extra or diff.missing)[0]
    text = excerpt(seg.hyp, first.start, first.end) if diff.extra else head(seg.hyp)
    return [_finding("numbers", seg, "numbers differ: " + diff.describe(), text)]


def is_untranslated(source: str, hyp: str, pair: Pair | None = None) -> bool:
    """The rule of the ``untranslated`` check (see the module docstring)."""
    pair = pair or default_pair()
    src_words = identify.words(source)
    if len(src_words) < MIN_WORDS or _is_target(source, pair.target, pair.source):
        return False
    hyp_words = identify.words(hyp)
    if hyp_words == src_words:
        return True
    if not hyp_words:
        return False
    known = set(src_words)
    overlap = sum(w in known for w in hyp_words) / len(hyp_words)
    return overlap >= UNTRANSLATED_OVERLAP and identify.guess(hyp, (pair.target, pair.source)) != pair.target


def check_untranslated(a: SegmentAnalysis) -> list[Finding]:
    seg = a.segment
    if seg.source is None or not is_untranslated(seg.source, seg.hyp, seg.pair):
        return []
    same = identify.words(seg.source) == identify.words(seg.hyp)
    target = codes.name(seg.pair.target)
    msg = "translation is the source text" if same else f"translation is mostly the source's words, not {target}"
    return [_finding("untranslated", seg, msg, head(seg.hyp))]


def check_source_words(a: SegmentAnalysis) -> list[Finding]:
    seg = a.segment
    languages = leftover_languages(seg.pair.source)
    found = {(w.start, w.end): w for w in identify.leftovers(seg.hyp, languages, seg.pair.target)}
    for w in identify.accented_leftovers(seg.hyp, languages, seg.pair.target):
        found.setdefault((w.start, w.end), w)
    if not found:
        return []
    if seg.source is not None and (_source_is_target(seg) or is_untranslated(seg.source, seg.hyp, seg.pair)):
        return []
    covered = [(m.start, m.end) for m in a.hyp_targets + a.hyp_forbidden]
    out = []
    for (start, end), w in sorted(found.items()):
        if any(s <= start and end <= e for s, e in covered):
            continue
        out.append(
            _finding("source_words", seg, f"{codes.name(w.language)} word '{w.word}'", excerpt(seg.hyp, start, end))
        )
    return out


_PAIRS = {"(": ")", "[": "]"}
_OPEN_QUOTES = "«“„"
_CLOSE_QUOTES = "»”"


_BRACKET_CHARS = compiled('[][()«»“”„"]')


def unbalanced(text: str) -> tuple[str, int] | None:
    """The first unbalanced bracket or double quote: (kind, position), or None if balanced."""
    stack: list[tuple[str, int]] = []
    for m in _BRACKET_CHARS.finditer(text):
        i, ch = m.start(), m.group()
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in (")", "]"):
            want = "(" if ch == ")" else "["
            if stack and stack[-1][0] == want:
                stack.pop()
            else:
                return ("parenthesis" if ch == ")" else "bracket", i)
        elif ch in _OPEN_QUOTES:
            stack.append(("“", i))
        elif ch in _CLOSE_QUOTES:
            if stack and stack[-1][0] in ("“", '"'):
                stack.pop()
            else:
                return ("quote", i)
        elif ch == '"':
            if stack and stack[-1][0] in ("“", '"'):
                stack.pop()
            else:
                stack.append(('"', i))
    if stack:
        kind, pos = stack[0]
        return ({"(": "parenthesis", "[": "bracket"}.get(kind, "quote"), pos)
    return None


#: an opening and a closing quote (curly or guillemets) with nothing but white space between them
_EMPTY_QUOTES = compiled(f"[{_OPEN_QUOTES}]\\s*[{_CLOSE_QUOTES}]")


def check_brackets(a: SegmentAnalysis) -> list[Finding]:
    seg = a.segment
    problem = unbalanced(seg.hyp)
    if problem is not None and (seg.source is None or unbalanced(seg.source) is None):
        kind, pos = problem
        return [_finding("brackets", seg, f"unbalanced {kind} '{seg.hyp[pos]}'", excerpt(seg.hyp, pos, pos + 1))]
    empty = _EMPTY_QUOTES.search(seg.hyp)
    if empty is not None and (seg.source is None or _EMPTY_QUOTES.search(seg.source) is None):
        return [_finding("brackets", seg, f"quotes around nothing '{empty.group()}'", excerpt(seg.hyp, *empty.span()))]
    return []


SEGMENT_CHECKS: dict[str, Callable[[SegmentAnalysis], list[Finding]]] = {
    "terms": check_terms,
    "forbidden": check_forbidden,
    "numbers": check_numbers,
    "untranslated": check_untranslated,
    "source_words": check_source_words,
    "brackets": check_brackets,
}


def check_two_ways(
    analyses: Sequence[SegmentAnalysis], scopes: dict[str, dict[str, TermRenderings]] | None = None
) -> list[Finding]:
    """Per document: terms rendered more than one identified way (*scopes*: the consistency
    metric's :func:`~kp_translate.metrics.consistency.collect`, when already computed)."""
    out = []
    if scopes is None:
        scopes = collect(analyses)
    for doc, terms in sorted(scopes.items()):
        if not doc:
            continue
        for tr in inconsistent(terms):
            ranked = tr.ranked()
            summary = ", ".join(
                f"'{r.form}' ×{r.count} (" + ", ".join(f"#{p.paragraph}" for p in r.places) + ")" for r in ranked
            )
            minority = ranked[-1].places[0]
            msg = f"'{tr.target}' [{tr.term}] rendered {len(ranked)} ways: {summary}"
            out.append(_finding("two_ways", minority.analysis.segment, msg, minority.excerpt))
    return out


def run(
    analyses: Sequence[SegmentAnalysis],
    checks: Sequence[str] = CHECKS,
    scopes: dict[str, dict[str, TermRenderings]] | None = None,
) -> dict[str, list[Finding]]:
    """Run *checks* over the analysed segments; check name -> findings in document order.

    *scopes* is the consistency metric's data (``TermResult.data``), reused when given."""
    unknown = [c for c in checks if c not in CHECKS]
    if unknown:
        raise ValueError(f"unknown check(s): {', '.join(unknown)}")
    out: dict[str, list[Finding]] = {c: [] for c in checks}
    for a in analyses:
        for name in checks:
            fn = SEGMENT_CHECKS.get(name)
            if fn is not None:
                out[name].extend(fn(a))
    if "two_ways" in out:
        out["two_ways"] = check_two_ways(analyses, scopes)
    return out
