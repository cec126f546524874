"""Metrics: sacrebleu's corpus metrics and the term metrics, one module each.

Term metrics (:mod:`.term_success`, :mod:`.forbidden`, :mod:`.consistency`,
:mod:`.ref_agreement`) share :mod:`.base`; :mod:`.sacre` wraps sacrebleu's BLEU, chrF, chrF++ and
TER. :data:`TERM_METRICS` lists the term metric classes in report order.
"""

from __future__ import annotations

from .base import Analyser, Segment, SegmentAnalysis, Tally, TermMetric, TermResult
from .consistency import Consistency
from .forbidden import Forbidden
from .ref_agreement import RefAgreement
from .term_success import TermSuccess

TERM_METRICS: tuple[type[TermMetric], ...] = (TermSuccess, Forbidden, Consistency, RefAgreement)

__all__ = [
    "TERM_METRICS",
    "Analyser",
    "Consistency",
    "Forbidden",
    "RefAgreement",
    "Segment",
    "SegmentAnalysis",
    "Tally",
    "TermMetric",
    "TermResult",
    "TermSuccess",
]
