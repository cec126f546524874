"""Term success rate: of the glossary terms whose source occurs in a segment, how many have their
canonical target in the translation.

This is the exact-match accuracy of the WMT 2021 terminology task (Alam et al. 2021), counted per
occurrence: a term occurring *n* times in the French segment scores ``min(n, m)`` hits out of *n*,
where *m* is the number of times its canonical target occurs in the translation (whole words,
the entry's case rule). Score = 100 × hits / occurrences.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import SegmentAnalysis, Tally, TermMetric, TermResult, excerpt


class TermSuccess(TermMetric):
    name = "term_success"

    def compute(self, analyses: Sequence[SegmentAnalysis]) -> TermResult:
        overall = Tally()
        by_doc: dict[str, Tally] = {}
        by_term: dict[str, Tally] = {}
        details = []
        for a in analyses:
            if not a.source_matches:
                continue
            doc = by_doc.setdefault(a.segment.doc, Tally())
            counts = a.source_counts()
            entries = a.source_entries()
            for entry_id, n in counts.items():
                entry = entries[entry_id]
                found = min(n, len(a.target_hits(entry)))
                overall.add(found, n)
                doc.add(found, n)
                by_term.setdefault(entry_id, Tally()).add(found, n)
                if found < n:
                    first = next(m for m in a.source_matches if m.entry.id == entry_id)
                    src = a.segment.source or ""
                    details.append(
                        {
                            "doc": a.segment.doc,
                            "segment": a.segment.id,
                            "where": a.segment.where,
                            "index": a.segment.index,
                            "term": entry_id,
                            "source_form": first.form,
                            "target": entry.target,
                            "expected": n,
                            "found": found,
                            "source_excerpt": excerpt(src, first.start, first.end),
                        }
                    )
        result = self.result(overall, by_doc, by_term)
        result.details = details
        return result
