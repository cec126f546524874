"""Consistency: one source term, one English rendering (in the spirit of WMT 2023's terminology
task).

For every glossary entry whose source occurs in a segment, the *identified renderings* in that
translated segment are its canonical target and each of its declared forbidden forms found there
(counts capped at the number of source occurrences). Renderings the glossary does not declare
cannot be identified; they are term-success failures, not counted here.

A term is *assessable* in a scope (the whole dossier, or one document) when it has at least two
identified rendering occurrences there, and *consistent* when all of them are the same form.
Score = 100 × consistent / assessable terms. ``details`` lists, per term, every rendering with
where it occurs, for the terms rendered two (or more) ways (:func:`inconsistent`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..match import Match
from ..verify import form_key
from .base import SegmentAnalysis, Tally, TermMetric, TermResult, excerpt, renderings


class Place(NamedTuple):
    """One translated segment where a rendering occurs (*times* times; *match* is the first)."""

    analysis: SegmentAnalysis
    match: Match | None
    times: int

    @property
    def paragraph(self) -> int:
        return self.analysis.segment.index

    @property
    def excerpt(self) -> str:
        m = self.match
        return excerpt(self.analysis.segment.hyp, m.start, m.end) if m else ""

    def to_dict(self) -> dict[str, Any]:
        seg = self.analysis.segment
        return {
            "doc": seg.doc,
            "segment": seg.id,
            "where": seg.where,
            "index": seg.index,
            "count": self.times,
            "excerpt": self.excerpt,
        }


@dataclass
class Rendering:
    """Where one rendering of a term occurs."""

    form: str
    count: int = 0
    places: list[Place] = field(default_factory=list)


@dataclass
class TermRenderings:
    """The identified renderings of one term in one scope."""

    term: str
    target: str
    forms: dict[str, Rendering] = field(default_factory=dict)

    @property
    def occurrences(self) -> int:
        return sum(r.count for r in self.forms.values())

    @property
    def assessable(self) -> bool:
        return self.occurrences >= 2

    @property
    def consistent(self) -> bool:
        return len(self.forms) <= 1

    def ranked(self) -> list[Rendering]:
        """Most frequent first; the canonical target first among equals."""
        return sorted(self.forms.values(), key=lambda r: (-r.count, r.form != self.target, r.form))

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "target": self.target,
            "consistent": self.consistent,
            "renderings": [
                {"form": r.form, "count": r.count, "places": [p.to_dict() for p in r.places]} for r in self.ranked()
            ],
        }


def _span(matches: Sequence[Match], form: str, case_sensitive: bool) -> Match | None:
    key = form_key(form, case_sensitive)
    return next((m for m in matches if form_key(m.form, case_sensitive) == key), None)


def collect(analyses: Sequence[SegmentAnalysis]) -> dict[str, dict[str, TermRenderings]]:
    """scope ('' for the dossier, else the document name) -> term id -> renderings."""
    dossier: dict[str, TermRenderings] = {}
    scopes: dict[str, dict[str, TermRenderings]] = {"": dossier}
    for a in analyses:
        if not a.source_matches:
            continue
        entries = a.source_entries()
        doc = scopes.get(a.segment.doc)
        if doc is None:
            doc = scopes[a.segment.doc] = {}
        for entry_id, n in a.source_counts().items():
            entry = entries[entry_id]
            hits = a.target_hits(entry)
            for form, count in renderings(entry, n, hits, a.hyp_forbidden).items():
                m = hits[0] if form == entry.target else _span(a.hyp_forbidden, form, entry.case_sensitive)
                place = Place(a, m, count)
                for terms in (dossier, doc):
                    tr = terms.get(entry_id)
                    if tr is None:
                        tr = terms[entry_id] = TermRenderings(entry_id, entry.target)
                    r = tr.forms.get(form)
                    if r is None:
                        r = tr.forms[form] = Rendering(form)
                    r.count += count
                    r.places.append(place)
    return scopes


def inconsistent(scope: dict[str, TermRenderings]) -> list[TermRenderings]:
    """Terms rendered more than one way in *scope*, by term id."""
    return [tr for _, tr in sorted(scope.items()) if not tr.consistent]


class Consistency(TermMetric):
    name = "consistency"
    unit = "term"

    def compute(self, analyses: Sequence[SegmentAnalysis]) -> TermResult:
        scopes = collect(analyses)
        data = dict(scopes)

        def tally(terms: dict[str, TermRenderings]) -> Tally:
            t = Tally()
            for tr in terms.values():
                if tr.assessable:
                    t.add(int(tr.consistent), 1)
            return t

        dossier = scopes.pop("")
        by_doc = {doc: tally(terms) for doc, terms in scopes.items()}
        by_term = {}
        for term_id, tr in dossier.items():
            if tr.assessable:
                by_term[term_id] = Tally(int(tr.consistent), 1)
        result = self.result(tally(dossier), by_doc, by_term)
        # itemised: the terms rendered more than one way (every term's figures are in by_term)
        result.details = [tr.to_dict() for tr in inconsistent(dossier)]
        result.data = data  # every scope, for the two_ways QA check
        return result


def rendering_counts(analyses: Sequence[SegmentAnalysis]) -> dict[str, Counter[str]]:
    """term id -> Counter(rendering form -> occurrences) over the whole dossier."""
    return {t: Counter({f: r.count for f, r in tr.forms.items()}) for t, tr in collect(analyses)[""].items()}
