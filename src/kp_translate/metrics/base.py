"""Common ground of the term metrics: segments, per-segment analysis, tallies, results, signatures.

Scoring works like sacrebleu: statistics are extracted once per segment (:class:`Analyser` →
:class:`SegmentAnalysis`: which glossary terms the French source holds, and which canonical
targets and forbidden renderings the English hypothesis and reference hold), then every metric
aggregates those statistics per term, per document and overall. Every result carries a signature
saying exactly how it was computed, e.g.
``term_success|glossary:3f2a9c0d1b2e4f5a|match:exact|case:entry|unit:occurrence|v:0.1.0``.

Matching rules are the glossary matcher's (:mod:`kp_translate.match`): whole words, declared forms
only, typographic variants of spaces/apostrophes/hyphens folded, case as the entry says,
leftmost-longest without overlaps. Counts are per occurrence: a term that occurs three times in a
source segment needs its target three times in the translation.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .. import __version__
from ..config import default_pair
from ..glossary import Entry, Glossary
from ..lang import Pair
from ..match import Match
from ..verify import Verifier, form_key, target_key


@dataclass(frozen=True)
class Segment:
    """One unit scored: a hypothesis, its French source and (optionally) references.

    ``doc``/``index`` identify it (dossier: file name and paragraph index; line files: file name
    and 0-based line); ``path``/``line`` say where the hypothesis is, for messages.
    """

    doc: str
    index: int
    hyp: str
    source: str | None = None
    refs: tuple[str, ...] = ()
    path: str = "-"
    line: int = 0
    kind: str = "paragraph"  # "paragraph" (dossier) or "line" (plain text files)
    #: the language pair of source and hypothesis
    pair: Pair = field(default_factory=lambda: default_pair())

    @property
    def id(self) -> str:
        return f"{self.doc}#{self.index}" if self.kind == "paragraph" else f"{self.doc}:{self.index + 1}"

    @property
    def where(self) -> str:
        """``path:line (#n)`` — clickable in editors and CI logs."""
        if self.kind == "paragraph":
            return f"{self.path}:{self.line} (#{self.index})"
        return f"{self.path}:{self.line}"


@dataclass
class SegmentAnalysis:
    """Term statistics of one segment, shared by all term metrics."""

    segment: Segment
    #: French source matches (leftmost-longest)
    source_matches: list[Match]
    #: target key -> occurrences in the hypothesis of the canonical targets of the source's terms
    hyp_expected: dict[str, list[Match]]
    #: forbidden renderings found in the hypothesis (those cutting through a canonical target dropped)
    hyp_forbidden: list[Match]
    #: same as hyp_expected / hyp_forbidden for the first reference, when there is one
    ref_expected: dict[str, list[Match]] = field(default_factory=dict)
    ref_forbidden: list[Match] = field(default_factory=list)
    has_ref: bool = False
    analyser: Analyser | None = field(default=None, repr=False)
    _targets: list[Match] | None = field(default=None, repr=False)
    _counts: dict[str, int] | None = field(default=None, repr=False)
    _entries: dict[str, Entry] | None = field(default=None, repr=False)

    @property
    def hyp_targets(self) -> list[Match]:
        """Every canonical target in the hypothesis, of any entry (leftmost-longest; computed on demand)."""
        if self._targets is None:
            self._targets = self.analyser.targets.find(self.segment.hyp) if self.analyser else []
        return self._targets

    def source_counts(self) -> dict[str, int]:
        """entry id -> occurrences in the French source (computed once)."""
        if self._counts is None:
            counts: dict[str, int] = {}
            for m in self.source_matches:
                counts[m.entry.id] = counts.get(m.entry.id, 0) + 1
            self._counts = counts
        return self._counts

    def source_entries(self) -> dict[str, Entry]:
        """entry id -> entry, for the terms of the French source (computed once)."""
        if self._entries is None:
            self._entries = {m.entry.id: m.entry for m in self.source_matches}
        return self._entries

    def target_hits(self, entry: Entry, in_ref: bool = False) -> list[Match]:
        """Occurrences of *entry*'s canonical target in the hypothesis (or the reference)."""
        table = self.ref_expected if in_ref else self.hyp_expected
        return table.get(target_key(entry), [])


def forbidden_of(matches: Iterable[Match], entry: Entry) -> dict[str, int]:
    """*entry*'s forbidden renderings among *matches*, counted by declared form."""
    out: dict[str, int] = {}
    declared = {form_key(f, entry.case_sensitive): f for f in entry.forbidden}
    for m in matches:
        form = declared.get(form_key(m.form, entry.case_sensitive))
        if form is not None:
            out[form] = out.get(form, 0) + 1
    return out


def renderings(entry: Entry, n_source: int, targets: Sequence[Match], forbidden: Sequence[Match]) -> dict[str, int]:
    """Identified renderings of *entry* in one translated segment holding *n_source* occurrences.

    *targets* are the occurrences of the entry's target; the canonical target and each declared
    forbidden form found are counted, each capped at *n_source*. Renderings the glossary does not
    declare cannot be identified and are absent.
    """
    out: dict[str, int] = {}
    t = min(n_source, len(targets))
    if t:
        out[entry.target] = t
    if forbidden and entry.forbidden:
        for form, c in forbidden_of(forbidden, entry).items():
            out[form] = min(n_source, c)
    return out


class Analyser(Verifier):
    """Compiled matchers for one glossary; :meth:`analyse` extracts a segment's statistics.

    The canonical targets expected in a translation are searched among the targets of the terms
    its source holds only, leftmost-longest: "Ukraine" counts in "the invasion of Ukraine" even
    though "invasion of Ukraine" is another entry's target, unless that entry's source is in the
    segment too; "Kim" does not count inside "Kim Jong Un" when both are source terms.
    """

    def analyse(self, segment: Segment) -> SegmentAnalysis:
        source = self.source.find(segment.source) if segment.source else []
        entries = [m.entry for m in source]
        analysis = SegmentAnalysis(
            segment,
            source,
            self.expected(segment.hyp, entries) if entries else {},
            self.forbidden_in(segment.hyp),
            analyser=self,
        )
        if segment.refs:
            ref = segment.refs[0]
            analysis.ref_expected = self.expected(ref, entries) if entries else {}
            analysis.ref_forbidden = self.forbidden_in(ref)
            analysis.has_ref = True
        return analysis

    def analyse_all(self, segments: Iterable[Segment]) -> list[SegmentAnalysis]:
        return [self.analyse(s) for s in segments]


@dataclass
class Tally:
    """hits out of total; ``score`` is a percentage (None when nothing was counted)."""

    hits: int = 0
    total: int = 0

    def add(self, hits: int, total: int) -> None:
        self.hits += hits
        self.total += total

    @property
    def score(self) -> float | None:
        return 100.0 * self.hits / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"hits": self.hits, "total": self.total, "score": self.score}


class Counts:
    """The tallies a term metric fills as it counts: overall, per document and per term."""

    def __init__(self) -> None:
        self.overall = Tally()
        self.by_doc: dict[str, Tally] = {}
        self.by_term: dict[str, Tally] = {}

    def doc(self, doc: str) -> Tally:
        return self.by_doc.setdefault(doc, Tally())

    def term(self, term_id: str) -> Tally:
        return self.by_term.setdefault(term_id, Tally())

    def add(self, doc: str, term_id: str, hits: int, total: int) -> None:
        """Count *hits* out of *total* for one term of one document (and overall)."""
        self.overall.add(hits, total)
        self.doc(doc).add(hits, total)
        self.term(term_id).add(hits, total)


def where(a: SegmentAnalysis) -> dict[str, Any]:
    """The fields that locate a segment in a metric's itemised details."""
    return {"doc": a.segment.doc, "segment": a.segment.id, "where": a.segment.where, "index": a.segment.index}


@dataclass
class TermResult:
    """A term metric's figures: overall, per document, per term, plus itemised details."""

    name: str
    signature: str
    overall: Tally
    by_doc: dict[str, Tally]
    by_term: dict[str, Tally]
    higher_is_better: bool = True
    #: itemised occurrences (missing terms, forbidden forms found, renderings...), JSON-ready
    details: list[dict[str, Any]] = field(default_factory=list)
    #: for count metrics (forbidden): the score is ``overall.hits``
    is_count: bool = False
    #: the metric's intermediate data, for callers that reuse it (not serialised)
    data: Any = field(default=None, repr=False)

    @property
    def score(self) -> float | None:
        return float(self.overall.hits) if self.is_count else self.overall.score

    def format_score(self) -> str:
        if self.is_count:
            return f"{self.overall.hits}"
        s = self.overall.score
        return "n/a" if s is None else f"{s:.2f} ({self.overall.hits}/{self.overall.total})"

    def __str__(self) -> str:
        return f"{self.name} = {self.format_score()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": self.score,
            "hits": self.overall.hits,
            "total": self.overall.total,
            "signature": self.signature,
            "higher_is_better": self.higher_is_better,
            "by_doc": {k: v.to_dict() for k, v in self.by_doc.items()},
            "by_term": {k: v.to_dict() for k, v in sorted(self.by_term.items())},
            "details": self.details,
        }


class TermMetric(ABC):
    """Base of the term metrics: a name, a signature, and :meth:`compute` over segment analyses."""

    name: ClassVar[str]
    higher_is_better: ClassVar[bool] = True
    #: how occurrences are counted (part of the signature)
    unit: ClassVar[str] = "occurrence"

    def __init__(self, glossary: Glossary, pair: Pair | None = None):
        self.pair = pair or default_pair()
        #: the glossary as the pair's source language sees it (its version is in the signature)
        self.glossary = glossary.view(self.pair.source)
        self.glossary_version = self.glossary.version

    def signature_fields(self) -> dict[str, str]:
        return {
            "lang": str(self.pair),
            "glossary": self.glossary_version,
            "match": "exact",
            "case": "entry",
            "unit": self.unit,
        }

    def signature(self) -> str:
        fields = [f"{k}:{v}" for k, v in self.signature_fields().items()]
        return "|".join([self.name, *fields, f"v:{__version__}"])

    @abstractmethod
    def compute(self, analyses: Sequence[SegmentAnalysis]) -> TermResult:
        """Aggregate per term, per document and overall."""

    def result(self, overall: Tally, by_doc: dict[str, Tally], by_term: dict[str, Tally]) -> TermResult:
        return TermResult(self.name, self.signature(), overall, by_doc, by_term, self.higher_is_better)

    def result_of(self, counts: Counts, details: list[dict[str, Any]]) -> TermResult:
        result = self.result(counts.overall, counts.by_doc, counts.by_term)
        result.details = details
        return result


def excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    """``…context [match] context…`` on one line."""
    a = max(0, start - width)
    b = min(len(text), end + width)
    left = ("…" if a > 0 else "") + text[a:start]
    right = text[end:b] + ("…" if b < len(text) else "")
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def head(text: str, width: int = 90) -> str:
    """The start of *text* on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
