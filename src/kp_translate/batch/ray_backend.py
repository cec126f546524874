"""The Ray backend: Ray Data ``map_batches`` over an actor pool, one warm translator per actor.

The driver makes a dataset of the documents still to translate (line, digest, id, text), maps it
with :class:`TranslateBatch` on ``ActorPoolStrategy(size=N)`` actors, each of which builds its
:class:`~kp_translate.batch.worker.Worker` once (its engine, its glossary view rebuilt from the
job's entries, the versions checked), and streams the records back to the driver, which writes
the journal and then the output exactly as the local backends do. An actor that dies is restarted
and its batch retried by Ray; a driver that dies leaves the journal for the next run.

Ray is an optional dependency (``pip install 'kp-translate[ray]'``), imported only here.
``address`` is that of a running cluster (``ray start --head`` on one machine, ``ray start
--address=HEAD:6379`` on the others); without one, a local Ray instance is started for the run
and stopped after it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import KpError
from .jsonl import Doc
from .worker import Job, Worker

Sink = Callable[[list[dict[str, Any]]], None]

#: object store of a local Ray instance (bytes)
LOCAL_OBJECT_STORE = 512 * 1024 * 1024
#: batches an actor translates at once (see :class:`TranslateBatch`)
ACTOR_CONCURRENCY = 2
#: blocks of the dataset at most (beyond, a block holds several batches)
MAX_BLOCKS = 100_000
INSTALL_HINT = "pip install 'kp-translate[ray]' (or: pip install 'ray[data]')"


class RayMissing(KpError):
    """``--backend ray`` without Ray installed."""


def import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise RayMissing(f"the Ray backend needs Ray: {INSTALL_HINT}") from None
    return ray


class TranslateBatch:
    """The callable class Ray Data runs on each actor: built once, called per batch.

    An actor works on :data:`ACTOR_CONCURRENCY` batches at once, one per thread, each thread with
    its own :class:`Worker` (its translator, its segment cache connection) over the actor's one
    warm engine. The engine takes one batch at a time; while it translates one, the other thread
    prepares the next batch's documents or makes the records of the last, so the pipeline does
    not wait for that Python work (nor for Ray to hand the next batch over) between batches."""

    def __init__(self, job: Job) -> None:
        self.job = job
        #: every worker built, one per thread; the first here, so that a job this actor must
        #: refuse fails at once
        self.workers = [Worker(job)]
        self._claimed = 0
        self._lock = threading.Lock()
        self._local = threading.local()

    def _worker(self) -> Worker:
        """This thread's worker: the one built with the actor for the first thread to call, new
        ones (over the same warm engine) for the others."""
        worker: Worker | None = getattr(self._local, "worker", None)
        if worker is None:
            with self._lock:
                if self._claimed == len(self.workers):
                    self.workers.append(Worker(self.job))
                worker = self.workers[self._claimed]
                self._claimed += 1
            self._local.worker = worker
        return worker

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        worker = self._worker()
        docs = [
            Doc(int(line), str(digest), json.loads(ident), str(text))
            for line, digest, ident, text in zip(
                batch["line"], batch["digest"], batch["id"], batch["text"], strict=True
            )
        ]
        records = worker(docs)
        return {"line": [r["line"] for r in records], "record": [json.dumps(r, ensure_ascii=False) for r in records]}


class RaySession:
    """A connection to Ray for one or more runs: ``ray.init`` (local instance or *address*),
    ``ray.shutdown`` on :meth:`close` if this session connected."""

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None) -> None:
        ray = import_ray()
        self.ray = ray
        self.owned = not ray.is_initialized()
        started = time.perf_counter()
        if self.owned:
            options: dict[str, Any] = {
                # "local": a new instance of our own, even when another run's is up on this machine
                # (without it, ray.init joins the last one started here)
                "address": address if address is not None else "local",
                "logging_level": logging.ERROR,
                "log_to_driver": False,
                "include_dashboard": False,
                "configure_logging": True,
            }
            if address is None:
                # the local instance's workers import the kp-translate this driver runs
                package_root = str(Path(__file__).resolve().parents[2])
                path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
                options["runtime_env"] = {"env_vars": {"PYTHONPATH": path}}
                # a small object store (documents and records are small), and no memory monitor: on
                # a machine whose memory others fill, it kills our actors first (Ray Data makes them
                # restartable) and the run crawls through restarts; the kernel's OOM killer remains
                options["object_store_memory"] = LOCAL_OBJECT_STORE
                options["_system_config"] = {"memory_monitor_refresh_ms": 0, "worker_niceness": 0}
                if num_cpus is not None:
                    options["num_cpus"] = num_cpus
            try:
                ray.init(**options)
            except ConnectionError as exc:
                raise KpError(f"cannot connect to the Ray cluster at {address}: {exc}") from None
        #: seconds ``ray.init`` took (0 when Ray was already initialised)
        self.startup = time.perf_counter() - started
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
        context = ray.data.DataContext.get_current()
        for flag in ("enable_progress_bars", "enable_operator_progress_bars", "print_on_execution_start"):
            if hasattr(context, flag):
                setattr(context, flag, False)

    def close(self) -> None:
        if self.owned and self.ray.is_initialized():
            self.ray.shutdown()


def run_ray(
    job: Job,
    docs: Sequence[Doc],
    sink: Sink,
    actors: int,
    *,
    batch_size: int,
    session: RaySession,
) -> None:
    """Translate *docs* on *actors* Ray actors, handing records to *sink* as batches come back."""
    if not docs:
        return
    ray = session.ray
    import pyarrow  # Ray Data's own dependency

    # blocks of exactly one batch (several only beyond MAX_BLOCKS), so that each task is one batch
    # and its records come back, to the journal and the progress, as soon as it is done (blocks of
    # a few documents less, as an even split gives, are bundled two to a task)
    per_block = batch_size * -(-len(docs) // (batch_size * MAX_BLOCKS))
    dataset = ray.data.from_arrow(
        [
            pyarrow.table(
                {
                    "line": [d.line for d in part],
                    "digest": [d.digest for d in part],
                    "id": [json.dumps(d.id) for d in part],
                    "text": [d.text for d in part],
                }
            )
            for part in (docs[k : k + per_block] for k in range(0, len(docs), per_block))
        ]
    )
    mapped = dataset.map_batches(
        TranslateBatch,
        fn_constructor_kwargs={"job": job},
        batch_size=batch_size,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=actors, max_concurrent_calls_per_actor=ACTOR_CONCURRENCY),
        num_cpus=1,
    )  # Ray Data restarts a dead actor and retries its batch by default
    try:
        for batch in mapped.iter_batches(batch_size=None, batch_format="numpy"):
            sink([json.loads(r) for r in batch["record"]])
    except ray.exceptions.RayError as exc:
        raise KpError(f"the Ray job failed: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    """The line of a Ray error that says what went wrong in the actor (a :class:`JobMismatch`...)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error:" in line or "Mismatch:" in line:
            return line.split("Error: ", 1)[-1].split("Mismatch: ", 1)[-1]
    return lines[0] if lines else type(exc).__name__
