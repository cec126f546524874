"""Forbidden renderings found: how many times, and where, the translation uses a rendering the
glossary declares wrong ("Kim Jong One", "norcoreano", "Iouri Ouchakov", "Otan").

Every forbidden form is searched in every translated segment, whether or not the entry's source
occurs there. A forbidden match that cuts through a canonical target (overlaps it without
containing it whole: "sanctions of the UN" in "the sanctions of the UN Security Council", whose
"UN Security Council" is a target) is part of a correct rendering and is not counted. The score
is the count (lower is better); ``total`` is the number of segments searched.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import Counts, SegmentAnalysis, TermMetric, TermResult, excerpt, where


class Forbidden(TermMetric):
    name = "forbidden"
    higher_is_better = False
    unit = "occurrence"

    def compute(self, analyses: Sequence[SegmentAnalysis]) -> TermResult:
        counts = Counts()
        details = []
        for a in analyses:
            n = len(a.hyp_forbidden)
            counts.overall.add(n, 1)
            counts.doc(a.segment.doc).add(n, 1)
            for m in a.hyp_forbidden:
                counts.term(m.entry.id).add(1, 1)
                details.append(
                    {
                        **where(a),
                        "term": m.entry.id,
                        "form": m.form,
                        "target": m.entry.target,
                        "start": m.start,
                        "end": m.end,
                        "excerpt": excerpt(a.segment.hyp, m.start, m.end),
                    }
                )
        result = self.result_of(counts, details)
        result.is_count = True
        return result
