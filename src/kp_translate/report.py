"""Term reports of a translation run: one :class:`DocumentReport` per document, a :class:`RunReport`
for the run (JSON with :meth:`RunReport.to_dict`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .verify import Failure, Verdict


def success_rate(enforced: int, expected: int) -> float:
    """The term success rate: terms enforced among those expected (1.0 when none was expected)."""
    return enforced / expected if expected else 1.0


@dataclass
class DocumentReport:
    """Terms expected, enforced and failed in one translated document."""

    name: str
    input: str
    output: str | None = None
    #: the source language it was translated from, and how that was decided
    language: str = ""
    identified: tuple[str, float] | None = None  # (language, confidence) when --from auto found it
    paragraphs: int = 0
    verbatim: int = 0  # segments kept as they were (already English)
    segments: int = 0
    expected: int = 0
    enforced: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    forbidden: list[dict[str, Any]] = field(default_factory=list)  # forbidden renderings of terms not in the source
    entries: dict[str, dict[str, int]] = field(default_factory=dict)
    unknown_words: Counter[str] = field(default_factory=Counter)
    postedited: int = 0
    #: names the glossary lacks, resolved by rule and protected (``--names auto``): never counted as enforced
    inferred: list[dict[str, Any]] = field(default_factory=list)
    #: the same names, listed but not applied (``--names suggest``)
    name_candidates: list[dict[str, Any]] = field(default_factory=list)
    #: capitalised runs no rule resolved (left as the engine wrote them)
    unresolved_names: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""  # the translation (not part of the JSON report)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def success(self) -> float:
        return success_rate(self.enforced, self.expected)

    def add(self, paragraph_id: str, sentence: int | None, verdict: Verdict) -> None:
        self.expected += verdict.expected
        self.enforced += verdict.enforced
        for f in verdict.failures:
            record = _failure_record(paragraph_id, sentence, f)
            (self.failures if f.expected else self.forbidden).append(record)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "input": self.input,
            "output": self.output,
            "language": self.language,
            **(
                {"identified": {"language": self.identified[0], "confidence": round(self.identified[1], 3)}}
                if self.identified is not None
                else {}
            ),
            "paragraphs": self.paragraphs,
            "segments": self.segments,
            "verbatim_segments": self.verbatim,
            "postedited_segments": self.postedited,
            "terms": {
                "expected": self.expected,
                "enforced": self.enforced,
                "failed": self.failed,
                "success": round(self.success, 4),
            },
            "failures": self.failures,
            "forbidden": self.forbidden,
            "entries": dict(sorted(self.entries.items())),
            "unknown_words": dict(sorted(self.unknown_words.items(), key=lambda kv: (-kv[1], kv[0]))),
            "names": {
                "inferred": len(self.inferred),
                "candidates": len(self.name_candidates),
                "unresolved": len(self.unresolved_names),
            },
            "inferred": self.inferred,
            "name_candidates": self.name_candidates,
            "unresolved_names": self.unresolved_names,
        }


def _failure_record(paragraph_id: str, sentence: int | None, f: Failure) -> dict[str, Any]:
    record: dict[str, Any] = {"paragraph": paragraph_id}
    if sentence is not None:
        record["sentence"] = sentence
    record.update({"entry": f.entry.id, "target": f.entry.target, "source": f.form, "reason": f.reason})
    return record


@dataclass
class RunReport:
    """One run: the engine, the glossary, and a :class:`DocumentReport` per file."""

    engine: str
    model_id: str
    #: the pair ("fr-en"); with --from auto, every pair used, comma-separated
    pair: str
    glossary_version: str
    glossary_files: list[str]
    enforce: bool
    documents: list[DocumentReport] = field(default_factory=list)
    cache_hits: int = 0
    cache_misses: int = 0
    seconds: float = 0.0

    @property
    def expected(self) -> int:
        return sum(d.expected for d in self.documents)

    @property
    def enforced(self) -> int:
        return sum(d.enforced for d in self.documents)

    @property
    def failed(self) -> int:
        return sum(d.failed for d in self.documents)

    @property
    def success(self) -> float:
        return success_rate(self.enforced, self.expected)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "model_id": self.model_id,
            "pair": self.pair,
            "glossary_version": self.glossary_version,
            "glossary_files": self.glossary_files,
            "enforce": self.enforce,
            "terms": {
                "expected": self.expected,
                "enforced": self.enforced,
                "failed": self.failed,
                "forbidden_unexpected": sum(len(d.forbidden) for d in self.documents),
                "success": round(self.success, 4),
            },
            "names": {
                "inferred": sum(len(d.inferred) for d in self.documents),
                "candidates": sum(len(d.name_candidates) for d in self.documents),
                "unresolved": sum(len(d.unresolved_names) for d in self.documents),
            },
            "cache": {"hits": self.cache_hits, "misses": self.cache_misses},
            "seconds": round(self.seconds, 3),
            "files": [d.to_dict() for d in self.documents],
        }

    def summary(self) -> str:
        files = len(self.documents)
        return (
            f"{files} file{'s' if files != 1 else ''} {self.pair.replace('-', '→')} with {self.engine}: "
            f"{self.enforced}/{self.expected} terms "
            f"enforced ({100 * self.success:.1f}%), {self.failed} failed"
            + ("" if self.enforce else " (enforcement off)")
            + (f"; {inferred} names inferred" if (inferred := sum(len(d.inferred) for d in self.documents)) else "")
        )
