"""sacrebleu's corpus metrics, called exactly as sacrebleu's command line does by default.

BLEU (13a tokenizer, exponential smoothing), chrF (β=2, character 6-grams), chrF++ (plus word
bigrams) and TER, each returned with sacrebleu's own signature, so the figures can be reproduced
with ``sacrebleu REF -i HYP -m bleu chrf ter`` (and ``--chrf-word-order 2`` for chrF++).
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import threading
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
#: segments per extraction: sacrebleu caches the n-grams of every reference it is given, so it is
#: given this many at a time and its memory stays that of one chunk whatever the corpus size
CHUNK_SEGMENTS = 100
#: chunks being extracted or waiting to be summed, per worker (bounds the statistics held)
WINDOW_PER_WORKER = 2


def _statistics(key: str, hyps: list[str], refs: list[list[str]]) -> tuple[list[Any], int]:
    """Per-segment sufficient statistics of one metric over a chunk, and the number of references
    it saw (``-1``: it varies), as sacrebleu records it for the signature. Runs in a worker process
    (or in this one for small corpora)."""
    metric = dict(metric_objects((key,)))[key]
    stats = list(metric._extract_corpus_statistics(hyps, refs))
    return stats, int(metric.num_refs)


class _Sums:
    """sacrebleu's ``sum_of_lists`` over the segments, accumulated one segment at a time in corpus
    order: the same additions in the same order, so the same figures (TER's are floats), without
    holding the per-segment statistics."""

    def __init__(self) -> None:
        self.total: list[Any] | None = None

    def add(self, stats: list[Any]) -> None:
        if self.total is None:
            self.total = [type(stats[0])(0.0)] * len(stats)
        total = self.total
        for i, value in enumerate(stats):
            total[i] += value


class PendingScores:
    """sacrebleu's corpus scores, overall and per group, computed in the background.

    The per-segment sufficient statistics are what sacrebleu's ``corpus_score`` extracts; they are
    extracted :data:`CHUNK_SEGMENTS` segments at a time (by worker processes when there are many,
    while the caller goes on with the term metrics) and summed as they come, in corpus order,
    exactly as ``corpus_score`` sums them: the figures are sacrebleu's own, and memory stays flat
    (one chunk's reference n-grams per worker, a few chunks' statistics, one sum per group; issue
    9, item 12: 4.2 GB at 100,000 paragraph lines before). :meth:`result` waits for them.
    """

    def __init__(
        self,
        hyps: Sequence[str],
        refs: Sequence[Sequence[str]],
        groups: Sequence[str] | None = None,
        keys: Sequence[str] = KEYS,
        workers: int | None = None,
    ) -> None:
        self.hyps = hyps
        self.refs = refs
        self.groups = groups
        self.metrics = metric_objects(keys) if self.hyps else []
        for _, metric in self.metrics:
            metric._check_corpus_score_args(self.hyps, self.refs)
        n = len(self.hyps)
        workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        self._pool: ProcessPoolExecutor | None = None
        self._sums: list[tuple[_Sums, dict[str, _Sums], set[int]]] = []
        self._thread: threading.Thread | None = None
        self._failed: list[BaseException] = []
        self._stop = threading.Event()
        if n >= PARALLEL_MIN_SEGMENTS and workers > 1:
            # spawned, not forked: a forked worker shares the caller's heap (every segment, the
            # glossary), and copies it page by page as the garbage collector touches it
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
            self._thread = threading.Thread(target=self._drive, args=(workers * WINDOW_PER_WORKER,), daemon=True)
            self._thread.start()

    def _chunks(self) -> list[tuple[int, str, int, int]]:
        n = len(self.hyps)
        return [(index, key, i, min(i + CHUNK_SEGMENTS, n)) for index, (key, _) in enumerate(self.metrics)
                for i in range(0, n, CHUNK_SEGMENTS)]  # fmt: skip

    def _task(self, key: str, i: int, j: int) -> tuple[str, list[str], list[list[str]]]:
        return key, list(self.hyps[i:j]), [list(r[i:j]) for r in self.refs]

    def _add(self, index: int, start: int, stats: list[Any], num_refs: int) -> None:
        while len(self._sums) <= index:
            self._sums.append((_Sums(), {}, set()))
        overall, by_group, counts = self._sums[index]
        counts.add(num_refs)
        groups = self.groups
        for offset, st in enumerate(stats):
            overall.add(st)
            if groups is not None:
                g = groups[start + offset]
                if g not in by_group:
                    by_group[g] = _Sums()
                by_group[g].add(st)

    def _drive(self, window: int) -> None:
        """Background thread: keep *window* chunks in the workers, sum their results in order."""
        pool = self._pool
        assert pool is not None
        pending: collections.deque[tuple[int, int, Future[tuple[list[Any], int]]]] = collections.deque()
        chunks = iter(self._chunks())
        try:
            while True:
                while len(pending) < window and not self._stop.is_set():
                    chunk = next(chunks, None)
                    if chunk is None:
                        break
                    index, key, i, j = chunk
                    pending.append((index, i, pool.submit(_statistics, *self._task(key, i, j))))
                if not pending or self._stop.is_set():
                    return
                index, i, future = pending.popleft()
                stats, num_refs = future.result()
                self._add(index, i, stats, num_refs)
        except BaseException as exc:  # handed over to result()
            self._failed.append(exc)

    def close(self) -> None:
        """Stop the workers (also done by :meth:`result`)."""
        self._stop.set()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _compute(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            if self._failed:
                raise self._failed[0]
            return
        for index, key, i, j in self._chunks():
            stats, num_refs = _statistics(*self._task(key, i, j))
            self._add(index, i, stats, num_refs)

    def result(self) -> tuple[list[CorpusScore], dict[str, list[CorpusScore]]]:
        """Overall scores and, when groups were given, scores per group."""
        if not self.hyps:
            return [], {}
        overall = []
        names = list(dict.fromkeys(self.groups)) if self.groups is not None else []
        by_group: dict[str, list[CorpusScore]] = {g: [] for g in names}
        try:
            self._compute()
            for index, (key, metric) in enumerate(self.metrics):
                sums, group_sums, counts = self._sums[index]
                metric.num_refs = counts.pop() if len(counts) == 1 else -1  # as _cache_references decides it
                overall.append(_result(key, metric, metric._compute_score_from_stats(sums.total)))
                for g in names:
                    score = metric._compute_score_from_stats(group_sums[g].total)
                    by_group[g].append(_result(key, metric, score))
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
