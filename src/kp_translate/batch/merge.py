"""The run report of a batch job, merged from the per-document records in input order.

Term totals and failures add up; consistency does not: a term rendered one way on one worker
and another way on another is inconsistent, which no worker can see. So each record carries its
document's identified renderings (term → form → occurrences, as the ``consistency`` metric counts
them) and :class:`BatchReport` sums them over the whole archive, then applies the metric's rule
(:class:`~kp_translate.metrics.consistency.TermRenderings`: a term is assessable with two or more
occurrences, consistent with one form). Computed from the records alone, the report of a resumed
run is the report of an uninterrupted one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..glossary import Glossary
from ..metrics.consistency import Rendering, TermRenderings
from ..report import success_rate
from .jsonl import Malformed


@dataclass
class BatchReport:
    """A batch run over one archive."""

    input: str
    output: str
    engine: str
    model_id: str
    pair: str
    glossary_version: str
    enforce: bool
    backend: str = "local"
    workers: int = 1
    documents: int = 0
    paragraphs: int = 0
    expected: int = 0
    enforced: int = 0
    forbidden_unexpected: int = 0
    #: names the glossary lacks (names inferred by rule, candidates, unresolved), never counted as enforced
    names: dict[str, int] = field(default_factory=lambda: {"inferred": 0, "candidates": 0, "unresolved": 0})
    failures: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Malformed] = field(default_factory=list)
    renderings: dict[str, dict[str, int]] = field(default_factory=dict)
    #: documents taken from the journal of an interrupted run / translated by this run
    resumed: int = 0
    translated: int = 0
    seconds: float = 0.0
    #: :meth:`consistency` of the finished run
    consistency_figures: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def success(self) -> float:
        return success_rate(self.enforced, self.expected)

    def add(self, record: dict[str, Any], doc_id: Any) -> None:
        """Count one document's record (in input order)."""
        terms = record["terms"]
        self.documents += 1
        self.paragraphs += int(terms["paragraphs"])
        self.expected += int(terms["expected"])
        self.enforced += int(terms["enforced"])
        self.forbidden_unexpected += len(terms["forbidden"])
        for kind, n in terms.get("names", {}).items():
            self.names[kind] = self.names.get(kind, 0) + int(n)
        self.failures.extend({"line": record["line"], "id": doc_id, **f} for f in terms["failures"])
        for term, forms in terms["renderings"].items():
            slot = self.renderings.setdefault(term, {})
            for form, n in forms.items():
                slot[form] = slot.get(form, 0) + int(n)

    def consistency(self, glossary: Glossary) -> dict[str, Any]:
        """Consistency over the whole archive: terms with one rendering among assessable terms,
        and the terms rendered more than one way."""
        assessable = consistent = 0
        two_ways: list[dict[str, Any]] = []
        for term in sorted(self.renderings):
            entry = glossary.get(term)
            tr = TermRenderings(term, entry.target if entry is not None else "")
            for form, n in self.renderings[term].items():
                tr.forms[form] = Rendering(form, n)
            if not tr.assessable:
                continue
            assessable += 1
            consistent += tr.consistent
            if not tr.consistent:
                two_ways.append({"term": term, "renderings": {r.form: r.count for r in tr.ranked()}})
        score = 100.0 * consistent / assessable if assessable else None
        return {"consistent": consistent, "assessable": assessable, "score": score, "inconsistent": two_ways}

    def finish(self, glossary: Glossary) -> None:
        """Compute the whole archive's figures once every record is counted."""
        self.consistency_figures = self.consistency(glossary)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "output": self.output,
            "engine": self.engine,
            "model_id": self.model_id,
            "pair": self.pair,
            "glossary_version": self.glossary_version,
            "enforce": self.enforce,
            "backend": self.backend,
            "workers": self.workers,
            "documents": self.documents,
            "paragraphs": self.paragraphs,
            "terms": {
                "expected": self.expected,
                "enforced": self.enforced,
                "failed": self.failed,
                "forbidden_unexpected": self.forbidden_unexpected,
                "success": round(self.success, 4),
            },
            "names": self.names,
            "consistency": self.consistency_figures,
            "failures": self.failures,
            "skipped": [m.to_dict() for m in self.skipped],
            "run": {"resumed": self.resumed, "translated": self.translated, "seconds": round(self.seconds, 3)},
        }

    def summary(self) -> str:
        n = self.documents
        skipped = f", {len(self.skipped)} line(s) skipped" if self.skipped else ""
        resumed = f", {self.resumed} resumed from the journal" if self.resumed else ""
        return (
            f"{n} document{'s' if n != 1 else ''} {self.pair.replace('-', '→')} with {self.engine} "
            f"({self.backend}, {self.workers} worker{'s' if self.workers != 1 else ''}): "
            f"{self.enforced}/{self.expected} terms enforced ({100 * self.success:.1f}%), "
            f"{self.failed} failed{skipped}{resumed}{self._consistency_note()}"
            + ("" if self.enforce else " (enforcement off)")
        )

    def _consistency_note(self) -> str:
        score = self.consistency_figures.get("score")
        if score is None:
            return ""
        c = self.consistency_figures
        return f"; consistency {score:.1f}% ({c['consistent']}/{c['assessable']} terms)"
