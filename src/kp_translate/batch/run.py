"""``translate --input-format jsonl``: an archive of documents in, the translated archive out.

:func:`translate_jsonl` reads the whole archive once to list its documents (malformed lines
reported by line number, skipped or fatal as *on_error* says), drops those its journal already
holds, translates the rest in batches on the chosen backend (this process, a local process
pool, Ray actors), appends each finished batch to the journal, and at the end writes the output
from the journal in input order, atomically, with the merged run report. The output depends only
on the input, the glossary and the engine: neither the backend, nor the number of workers, nor
interruptions change a byte of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import settings
from ..errors import InputError
from ..fileio import atomic_open, check_output, write_text_atomic
from ..glossary import Glossary, load
from ..lang import pair as make_pair
from .journal import Journal, journal_path
from .jsonl import Doc, Malformed, output_line, parse_line, raw_lines, read_documents
from .merge import BatchReport
from .worker import make_job

BACKENDS = ("local", "ray")
ON_ERROR = ("skip", "fail")
#: documents per batch handed to a worker
DEFAULT_BATCH_SIZE = 64


@dataclass(frozen=True)
class Progress:
    """Where a run is: documents done of *total* (those from the journal included), how many this
    run translated, in how many seconds."""

    done: int
    total: int
    translated: int
    seconds: float

    @property
    def rate(self) -> float:
        """Documents per second translated by this run."""
        return self.translated / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate (``None`` before the first batch)."""
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None


def _batches(docs: Sequence[Doc], size: int) -> Iterator[list[Doc]]:
    for start in range(0, len(docs), size):
        yield list(docs[start : start + size])


def translate_jsonl(
    input: str | Path,
    output: str | Path,
    *,
    source: str | None = None,
    target: str | None = None,
    engine: str = "auto",
    glossary: Glossary | None = None,
    enforce: bool = True,
    names: str = "auto",
    report: str | Path | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    engine_options: dict[str, Any] | None = None,
    id_field: str = "id",
    text_field: str = "text",
    on_error: str = "skip",
    workers: int = 1,
    backend: str = "local",
    address: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[Progress], None] | None = None,
    on_workers: Callable[[list[int]], None] | None = None,
    ray_session: Any = None,
) -> BatchReport:
    """Translate the JSON Lines archive *input* into *output* (see the module doc).

    *workers* is the number of local processes (``backend="local"``; 1: this process) or of Ray
    actors (``backend="ray"``, on the cluster at *address*, else a local Ray instance started for
    the run, or the connection *ray_session* given: a :class:`~kp_translate.batch.ray_backend.RaySession`).
    *on_progress* is called after each batch; *on_workers(pids)* with the local pool's processes.
    """
    started = time.perf_counter()
    if backend not in BACKENDS:
        raise InputError(f"unknown backend '{backend}' (use {', '.join(BACKENDS)})")
    if on_error not in ON_ERROR:
        raise InputError(f"unknown --on-error '{on_error}' (use {', '.join(ON_ERROR)})")
    if workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, not {batch_size}")
    in_path, out_path = Path(input), Path(output)
    if not in_path.is_file():
        raise InputError("no such file" if not in_path.exists() else "a JSONL input must be a file", in_path)
    if out_path.is_dir():
        raise InputError("the JSONL output must be a file, not a directory", out_path)
    config = settings()
    source = source or config.source
    if source == "auto":
        raise InputError("--from auto is not supported for JSONL input: give the archive's language with --from")
    pair = make_pair(source, target or config.target)
    glossary = glossary if glossary is not None else load()
    check_output(out_path, [in_path], "the input")
    check_output(out_path, glossary.files, "a glossary file")
    journal_file = journal_path(out_path)
    check_output(journal_file, [in_path, *glossary.files], "an input")
    if report is not None:
        check_output(report, [in_path, out_path, *glossary.files], "an input or the output")
    if backend == "ray" and ray_session is None:
        from .ray_backend import import_ray

        import_ray()  # before anything else: say how to install it
    job = make_job(
        glossary,
        pair,
        engine,
        enforce=enforce,
        names=names,
        use_cache=use_cache,
        cache_dir=cache_dir,
        engine_options=engine_options,
        origin=str(in_path),
    )
    header = {**job.fingerprint(), "input": str(in_path.resolve()), "id_field": id_field, "text_field": text_field}
    journal = Journal(journal_file, header)
    try:
        docs: list[Doc] = []
        malformed: list[Malformed] = []
        total = 0
        for item in read_documents(in_path, id_field, text_field):
            if isinstance(item, Malformed):
                if on_error == "fail":
                    raise InputError(item.message, in_path, item.line)
                malformed.append(item)
                continue
            total += 1
            if not journal.done(item.line, item.digest):
                docs.append(item)
            elif on_error == "fail" and (why := journal.error(item.line)) is not None:
                raise InputError(why, in_path, item.line)
        resumed = total - len(docs)
        translated = 0

        def sink(records: list[dict[str, Any]]) -> None:
            nonlocal translated
            journal.append(records)
            translated += len(records)
            if on_error == "fail":
                for r in records:
                    if "error" in r:
                        raise InputError(str(r["error"]), in_path, int(r["line"]))
            if on_progress is not None:
                on_progress(Progress(resumed + translated, total, translated, time.perf_counter() - started))

        if on_progress is not None:
            on_progress(Progress(resumed, total, 0, time.perf_counter() - started))
        if backend == "ray":
            from .ray_backend import RaySession, run_ray

            ray = ray_session if ray_session is not None else RaySession(address)
            try:
                run_ray(job, docs, sink, workers, batch_size=batch_size, session=ray)
            finally:
                if ray_session is None:
                    ray.close()
        elif workers == 1:
            from .local import run_inline

            run_inline(job, _batches(docs, batch_size), sink)
        else:
            from .local import run_pool

            run_pool(job, _batches(docs, batch_size), sink, workers, on_start=on_workers)
        result = BatchReport(
            input=str(in_path),
            output=str(out_path),
            engine=job.engine,
            model_id=job.model_id,
            pair=str(pair),
            glossary_version=job.glossary_version,
            enforce=enforce,
            backend=backend,
            workers=workers,
            skipped=malformed,
            resumed=resumed,
            translated=translated,
        )
        _write_output(in_path, out_path, journal, result, id_field, text_field)
        result.finish(job.glossary())
        result.seconds = time.perf_counter() - started
        if report is not None:
            import json

            write_text_atomic(report, json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        journal.remove()
        return result
    finally:
        journal.close()
        if not len(journal) and journal.path.exists():  # stopped before any document was done
            journal.remove()


def _write_output(
    in_path: Path, out_path: Path, journal: Journal, result: BatchReport, id_field: str, text_field: str
) -> None:
    """The output from the journal, in input order, all at once (atomically); the report counts
    each document as it is written."""
    skipped = {m.line for m in result.skipped}
    with atomic_open(out_path) as fh:
        for number, raw in raw_lines(in_path):
            if number in skipped:
                continue
            doc = parse_line(number, raw, id_field, text_field)
            if doc is None or isinstance(doc, Malformed):
                continue
            if not journal.done(number, doc.digest):
                raise InputError("the input changed during the run: run again", in_path, number)
            record = journal.read(number)
            if "error" in record:
                result.skipped.append(Malformed(number, str(record["error"])))
                continue
            fh.write(output_line(raw, {"translation": record["translation"], "terms": record["terms"]}))
            result.add(record, doc.id)
    result.skipped.sort(key=lambda m: m.line)
