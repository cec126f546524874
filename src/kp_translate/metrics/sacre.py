"""sacrebleu's corpus metrics, called exactly as sacrebleu's command line does by default.

BLEU (13a tokenizer, exponential smoothing), chrF (β=2, character 6-grams), chrF++ (plus word
bigrams) and TER, each returned with sacrebleu's own signature, so the figures can be reproduced
with ``sacrebleu REF -i HYP -m bleu chrf ter`` (and ``--chrf-word-order 2`` for chrF++).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER


@dataclass(frozen=True)
class CorpusScore:
    """One sacrebleu figure: ``name`` as sacrebleu prints it (BLEU, chrF2, chrF2++, TER)."""

    key: str  # bleu, chrf, chrf++, ter
    name: str
    score: float
    signature: str
    text: str  # sacrebleu's own one-line rendering (``str(result)``)
    higher_is_better: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "score": self.score,
            "signature": self.signature,
            "text": self.text,
            "higher_is_better": self.higher_is_better,
        }


KEYS = ("bleu", "chrf", "chrf++", "ter")


def metric_objects(keys: Sequence[str] = KEYS) -> list[tuple[str, Any]]:
    make: dict[str, Callable[[], Any]] = {
        "bleu": BLEU,
        "chrf": CHRF,
        "chrf++": lambda: CHRF(word_order=2),
        "ter": TER,
    }
    return [(key, make[key]()) for key in keys]


def _result(key: str, metric: Any, res: Any) -> CorpusScore:
    return CorpusScore(key, res.name, float(res.score), str(metric.get_signature()), str(res), key != "ter")


def corpus_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]], keys: Sequence[str] = KEYS) -> list[CorpusScore]:
    """BLEU, chrF, chrF++ and TER of *hyps* against one or more reference streams.

    ``refs[k][i]`` is the *k*-th reference of segment *i* (sacrebleu's layout). This is
    ``metric.corpus_score(hyps, refs)`` for each metric.
    """
    if not hyps:
        return []
    out = []
    for key, metric in metric_objects(keys):
        out.append(_result(key, metric, metric.corpus_score(list(hyps), [list(r) for r in refs])))
    return out


#: below this many segments, sacrebleu runs in this process (a worker pool costs more than it saves)
PARALLEL_MIN_SEGMENTS = 5000


def _statistics(key: str, hyps: list[str], refs: list[list[str]]) -> tuple[list[Any], int]:
    """Per-segment sufficient statistics of one metric, and the number of references it saw
    (``-1``: it varies), as sacrebleu records it for the signature. Runs in a worker process."""
    metric = dict(metric_objects((key,)))[key]
    stats = list(metric._extract_corpus_statistics(hyps, refs))
    return stats, int(metric.num_refs)


class PendingScores:
    """sacrebleu's corpus scores, overall and per group, computed in the background.

    The per-segment statistics are what sacrebleu's ``corpus_score`` extracts; with many segments
    they are extracted by worker processes (one chunk per core) while the caller goes on (the term
    metrics), then aggregated exactly as ``corpus_score`` aggregates them, so the figures are
    sacrebleu's own. :meth:`result` waits for them.
    """

    def __init__(
        self,
        hyps: Sequence[str],
        refs: Sequence[Sequence[str]],
        groups: Sequence[str] | None = None,
        keys: Sequence[str] = KEYS,
        workers: int | None = None,
    ) -> None:
        self.hyps = list(hyps)
        self.refs = [list(r) for r in refs]
        self.groups = list(groups) if groups is not None else None
        self.metrics = metric_objects(keys) if self.hyps else []
        for _, metric in self.metrics:
            metric._check_corpus_score_args(self.hyps, self.refs)
        n = len(self.hyps)
        workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        self._pool: ProcessPoolExecutor | None = None
        self._chunks: list[list[Future[tuple[list[Any], int]]]] = []
        if n >= PARALLEL_MIN_SEGMENTS and workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=workers)
            size = -(-n // workers)
            for key, _ in self.metrics:
                self._chunks.append(
                    [
                        self._pool.submit(
                            _statistics, key, self.hyps[i : i + size], [r[i : i + size] for r in self.refs]
                        )
                        for i in range(0, n, size)
                    ]
                )

    def close(self) -> None:
        """Stop the workers (also done by :meth:`result`)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _stats(self, index: int) -> list[Any]:
        metric = self.metrics[index][1]
        if self._pool is None:
            return list(metric._extract_corpus_statistics(self.hyps, self.refs))
        parts = [future.result() for future in self._chunks[index]]
        counts = {n for _, n in parts}
        metric.num_refs = counts.pop() if len(counts) == 1 else -1  # as _cache_references decides it
        return [st for stats, _ in parts for st in stats]

    def result(self) -> tuple[list[CorpusScore], dict[str, list[CorpusScore]]]:
        """Overall scores and, when groups were given, scores per group."""
        if not self.hyps:
            return [], {}
        overall = []
        names = list(dict.fromkeys(self.groups)) if self.groups is not None else []
        by_group: dict[str, list[CorpusScore]] = {g: [] for g in names}
        try:
            for index, (key, metric) in enumerate(self.metrics):
                stats = self._stats(index)
                overall.append(_result(key, metric, metric._aggregate_and_compute(stats)))
                if self.groups is not None:
                    for g in names:
                        part = [st for st, name in zip(stats, self.groups, strict=True) if name == g]
                        by_group[g].append(_result(key, metric, metric._aggregate_and_compute(part)))
        finally:
            self.close()
        return overall, by_group


def grouped_scores(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str]],
    groups: Sequence[str],
    keys: Sequence[str] = KEYS,
) -> tuple[list[CorpusScore], dict[str, list[CorpusScore]]]:
    """Corpus scores overall and per group (``groups[i]`` names segment *i*'s document).

    Each segment's sufficient statistics are extracted once and aggregated overall and per
    group, exactly as ``corpus_score`` aggregates them, so the per-group figures equal
    ``corpus_score`` on the group's segments without a second pass (TER is slow).
    """
    return PendingScores(hyps, refs, groups, keys).result()
