"""Reference agreement: for terms present in a reference snippet, does the hypothesis use the
reference's rendering?

For each reference snippet and each glossary entry whose source occurs in the French paragraph,
the reference's identified renderings of the entry (its canonical target and declared forbidden
forms, each count capped at the number of source occurrences) are compared with the hypothesis'
renderings: a rendering used *c* times in the reference and *h* times in the hypothesis scores
``min(c, h)`` hits out of *c*. Terms the reference renders some other way cannot be compared and
are skipped. Score = 100 × hits / reference occurrences. Only the first reference of a segment is
used.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import Counts, SegmentAnalysis, TermMetric, TermResult, head, renderings, where


class RefAgreement(TermMetric):
    name = "ref_agreement"

    def compute(self, analyses: Sequence[SegmentAnalysis]) -> TermResult:
        counts = Counts()
        details = []
        for a in analyses:
            if not a.has_ref or not a.source_matches:
                continue
            entries = a.source_entries()
            for entry_id, n in a.source_counts().items():
                entry = entries[entry_id]
                in_ref = renderings(entry, n, a.target_hits(entry, in_ref=True), a.ref_forbidden)
                if not in_ref:
                    continue
                in_hyp = renderings(entry, n, a.target_hits(entry), a.hyp_forbidden)
                for form, c in in_ref.items():
                    hits = min(c, in_hyp.get(form, 0))
                    counts.add(a.segment.doc, entry_id, hits, c)
                    if hits < c:
                        details.append(
                            {
                                **where(a),
                                "term": entry_id,
                                "reference_form": form,
                                "reference_count": c,
                                "hypothesis_count": hits,
                                "hypothesis_renderings": dict(in_hyp),
                                "excerpt": head(a.segment.hyp),
                            }
                        )
        return self.result_of(counts, details)
