"""The in-process and local process-pool backends.

``workers=1`` translates in this process (one warm engine, no pickling). ``workers=N`` starts N
processes (``spawn``: no thread or engine state is copied from the driver); each builds one
:class:`~kp_translate.batch.worker.Worker` (its warm engine, its glossary view) when it starts,
then translates the batches it is given. At most two batches per worker are in flight, so memory
stays bounded whatever the archive's size, and results come back as each batch finishes.

Every worker process dies with the driver, however the driver dies: it sets
``PR_SET_PDEATHSIG = SIGKILL`` on itself first (as the Apertium stages do, and its own Apertium
stages die with it). A worker that dies (killed, out of memory) breaks the pool: its unfinished
batches are given to a new pool, up to :data:`RESTARTS` times per run; the finished ones are
already in the journal.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import KpError
from ..spawn import die_with_parent
from .jsonl import Doc
from .worker import Job, Worker

Sink = Callable[[list[dict[str, Any]]], None]

#: new pools started in one run after a worker died, before the run gives up
RESTARTS = 3

_WORKER: Worker | BaseException | None = None


def run_inline(job: Job, batches: Iterable[list[Doc]], sink: Sink) -> None:
    """Translate every batch here, handing each batch's records to *sink* as it finishes."""
    worker = Worker(job)
    try:
        for batch in batches:
            sink(worker(batch))
    finally:
        worker.close()


def _init(job: Job, parent: int) -> None:
    """A pool process starts: die with the driver, leave Ctrl-C to it, build the worker."""
    global _WORKER
    guard = die_with_parent(parent)
    if guard is not None:
        guard()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _WORKER = Worker(job)
    except BaseException as exc:  # reported with the first batch (an initializer error would break the pool)
        _WORKER = exc


def _work(batch: list[Doc]) -> tuple[int, list[dict[str, Any]]]:
    if isinstance(_WORKER, BaseException):
        raise _WORKER
    assert _WORKER is not None
    return os.getpid(), _WORKER(batch)


class LostWorkers(KpError):
    """Workers kept dying: the run stops (what they finished is in the journal)."""


def run_pool(
    job: Job,
    batches: Iterable[list[Doc]],
    sink: Sink,
    workers: int,
    *,
    on_start: Callable[[list[int]], None] | None = None,
) -> None:
    """Translate the batches on *workers* processes; *on_start(pids)* is told each pool's processes."""
    pending: Iterator[list[Doc]] = iter(batches)
    retry: list[list[Doc]] = []
    restarts = 0
    while True:
        try:
            _run_one_pool(job, pending, retry, sink, workers, on_start)
            return
        except BrokenProcessPool:
            restarts += 1
            if restarts > RESTARTS:
                raise LostWorkers(
                    f"worker processes died {restarts} times; the documents finished are kept: run again to resume"
                ) from None


def _run_one_pool(
    job: Job,
    pending: Iterator[list[Doc]],
    retry: list[list[Doc]],
    sink: Sink,
    workers: int,
    on_start: Callable[[list[int]], None] | None,
) -> None:
    """One pool's life; on a dead worker, the unfinished batches go back to *retry*."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(job, os.getpid()))
    running: dict[Future[tuple[int, list[dict[str, Any]]]], list[Doc]] = {}
    started = False

    def submit() -> bool:
        batch = retry.pop() if retry else next(pending, None)
        if batch is None:
            return False
        running[pool.submit(_work, batch)] = batch
        return True

    try:
        while len(running) < 2 * workers and submit():
            pass
        while running:
            if not started and on_start is not None:
                started = True
                on_start(_pids(pool))
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                batch = running.pop(future)
                try:
                    _, records = future.result()
                except BrokenProcessPool:
                    retry.append(batch)
                    broken = True
                    continue
                sink(records)
            if broken:
                retry.extend(running.values())
                running.clear()
                raise BrokenProcessPool("a worker process died")
            while len(running) < 2 * workers and submit():
                pass
    finally:
        _stop(pool)


def _pids(pool: ProcessPoolExecutor) -> list[int]:
    processes: dict[int, Any] = getattr(pool, "_processes", None) or {}
    return sorted(processes)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's processes (a finished run's are idle; an interrupted run's must not go on)."""
    processes: dict[int, Any] = dict(getattr(pool, "_processes", None) or {})
    for process in processes.values():
        with contextlib.suppress(Exception):
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
