"""Term success rate: of the glossary terms whose source occurs in a segment, how many have their
canonical target in the translation.

This is the exact-match accuracy of the WMT 2021 terminology task (Alam et al. 2021), counted per
occurrence: a term occurring *n* times in the French segment scores ``min(n, m)`` hits out of *n*,
where *m* is the number of times its canonical target occurs in the translation (whole words,
the entry's case rule). Score = 100 × hits / occurrences.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import Counts, SegmentAnalysis, TermMetric, TermResult, excerpt, where


class TermSuccess(TermMetric):
    name = "term_success"

    def compute(self, analyses: Sequence[SegmentAnalysis]) -> TermResult:
        counts = Counts()
        details = []
        for a in analyses:
            if not a.source_matches:
                continue
            entries = a.source_entries()
            for entry_id, n in a.source_counts().items():
                entry = entries[entry_id]
                found = min(n, len(a.target_hits(entry)))
                counts.add(a.segment.doc, entry_id, found, n)
                if found < n:
                    first = next(m for m in a.source_matches if m.entry.id == entry_id)
                    src = a.segment.source or ""
                    details.append(
                        {
                            **where(a),
                            "term": entry_id,
                            "source_form": first.form,
                            "target": entry.target,
                            "expected": n,
                            "found": found,
                            "source_excerpt": excerpt(src, first.start, first.end),
                        }
                    )
        return self.result_of(counts, details)
