"""What travels with a batch job, and the worker that translates its documents.

A :class:`Job` carries everything a worker on another machine needs and nothing it could read
differently there: the language pair (not the worker's ``pyproject.toml``), the engine name and
options, the enforce flag, the glossary *content* (its entries) and the versions the driver saw:
kp-translate's, the glossary view's and the engine model's. A :class:`Worker` is built once per
process (or Ray actor): it rebuilds the glossary from the entries, takes its warm engine from
:data:`~kp_translate.engines.pool.POOL`, and refuses to start (:class:`JobMismatch`) when any of
the three versions differs from the job's, so one run never mixes glossaries, models or releases.
It then translates batches of documents through :class:`~kp_translate.session.Translator`, the
pipeline every other command uses.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..cache import SegmentCache
from ..engines.pool import POOL
from ..errors import InputError, KpError
from ..glossary import Entry, Glossary
from ..lang import Pair
from ..metrics.base import Analyser, Segment, renderings
from ..report import DocumentReport
from ..segment import split_document
from ..session import Translator
from .jsonl import Doc


class JobMismatch(KpError):
    """A worker would translate with another glossary, model or release than the job's."""


@dataclass(frozen=True)
class Job:
    """A batch job as it travels to workers (picklable)."""

    source: str
    target: str
    engine: str
    entries: tuple[Entry, ...]
    glossary_files: tuple[str, ...]
    default_source: str
    glossary_version: str  # of the view of the source language
    model_id: str
    enforce: bool = True
    #: names the glossary lacks: "auto", "suggest" or "off" (see Translator)
    names: str = "auto"
    use_cache: bool = True
    cache_dir: str | None = None  # None: each worker's default cache directory
    engine_options: tuple[tuple[str, Any], ...] = ()
    version: str = __version__
    #: where the documents come from (the input file), for error messages
    origin: str = "-"

    @property
    def pair(self) -> Pair:
        return Pair(self.source, self.target)

    def glossary(self) -> Glossary:
        """The job's glossary view, rebuilt from its entries (its version computed afresh)."""
        full = Glossary(self.entries, self.glossary_files, default_source=self.default_source)
        return full.view(self.source)

    def fingerprint(self) -> dict[str, Any]:
        """What a journal of this job's results records: a journal is resumed only by the same job."""
        return {
            "pair": str(self.pair),
            "engine": self.engine,
            "model_id": self.model_id,
            "glossary_version": self.glossary_version,
            "enforce": self.enforce,
            "names": self.names,
            "kp_translate": self.version,
        }


def make_job(
    glossary: Glossary,
    pair: Pair,
    engine: str,
    *,
    enforce: bool = True,
    names: str = "auto",
    use_cache: bool = True,
    cache_dir: str | Path | None = None,
    engine_options: dict[str, Any] | None = None,
    origin: str = "-",
) -> Job:
    """The job for translating with *glossary* and *engine* on *pair*; the engine is built (not
    started) here, to record its model id."""
    from ..engines import get_engine

    options = dict(engine_options or {})
    model_id = get_engine(engine, pair, **options).model_id
    return Job(
        source=pair.source,
        target=pair.target,
        engine=engine,
        entries=tuple(glossary.entries),
        glossary_files=tuple(glossary.files),
        default_source=glossary.default_source,
        glossary_version=glossary.view(pair.source).version,
        model_id=str(model_id),
        enforce=enforce,
        names=names,
        use_cache=use_cache,
        cache_dir=None if cache_dir is None else str(cache_dir),
        engine_options=tuple(sorted(options.items())),
        origin=origin,
    )


@dataclass
class Worker:
    """One process's (or actor's) translator for a job, built once; call it with batches of documents."""

    job: Job
    translator: Translator = field(init=False)
    analyser: Analyser = field(init=False)
    cache: SegmentCache | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        job = self.job
        if job.version != __version__:
            raise JobMismatch(f"this worker runs kp-translate {__version__}, the job {job.version}: refusing to mix")
        glossary = job.glossary()
        if glossary.version != job.glossary_version:
            raise JobMismatch(
                f"the glossary rebuilt here has version {glossary.version}, the job {job.glossary_version}: "
                "refusing to mix glossary versions"
            )
        engine = POOL.get(job.engine, job.pair, **dict(job.engine_options))
        if str(engine.model_id) != job.model_id:
            raise JobMismatch(
                f"the {engine.name} engine here is {engine.model_id}, the job's {job.model_id}: "
                "refusing to mix models (install the same engine packages on every machine)"
            )
        self.translator = Translator(engine, glossary, enforce=job.enforce, names=job.names)
        self.analyser = Analyser(glossary)
        self._cache_thread = 0

    def _use_cache(self) -> None:
        """The segment cache, opened in the thread that translates (a SQLite connection is used by
        the thread that made it; a Ray actor is built in one thread and called in another)."""
        if not self.job.use_cache or self._cache_thread == threading.get_ident():
            return
        self.close()
        self.cache = SegmentCache(self.job.cache_dir)
        self._cache_thread = threading.get_ident()
        self.translator.cache = self.cache

    def close(self) -> None:
        if self.cache is not None:
            with contextlib.suppress(Exception):  # another thread's connection: dropped
                self.cache.close()
            self.cache = None
            self.translator.cache = None

    def __call__(self, docs: Sequence[Doc]) -> list[dict[str, Any]]:
        """One record per document (:func:`record`), in the order of *docs*. A document the
        pipeline refuses (an over-long word...) gets an ``error`` record instead; the others of
        its batch are translated."""
        self._use_cache()
        try:
            return self._translate(docs)
        except InputError:
            if len(docs) == 1:
                raise
        out: list[dict[str, Any]] = []
        for doc in docs:
            try:
                out.extend(self._translate([doc]))
            except InputError as exc:
                out.append({"line": doc.line, "digest": doc.digest, "error": exc.message})
        return out

    def _translate(self, docs: Sequence[Doc]) -> list[dict[str, Any]]:
        documents = [split_document(d.text, d.name) for d in docs]
        inputs = [f"{self.job.origin}:{d.line}" for d in docs]
        reports = self.translator.translate_documents(documents, inputs)
        return [record(d, r, self.analyser, self.job.pair) for d, r in zip(docs, reports, strict=True)]


def document_renderings(analyser: Analyser, doc: Doc, translation: str, pair: Pair) -> dict[str, dict[str, int]]:
    """term id -> rendering -> occurrences in one translated document: the canonical target and
    each declared forbidden form found (the consistency metric's identified renderings)."""
    analysis = analyser.analyse(Segment(doc.name, 0, translation, source=doc.text, pair=pair))
    entries = analysis.source_entries()
    out: dict[str, dict[str, int]] = {}
    for entry_id, n in sorted(analysis.source_counts().items()):
        entry = entries[entry_id]
        found = renderings(entry, n, analysis.target_hits(entry), analysis.hyp_forbidden)
        if found:
            out[entry_id] = dict(sorted(found.items()))
    return out


def document_figures(report: DocumentReport, rendered: dict[str, dict[str, int]]) -> dict[str, Any]:
    """The ``terms`` field of a translated line."""
    data = report.to_dict()
    return {
        "language": report.language,
        "paragraphs": report.paragraphs,
        **data["terms"],
        "failures": data["failures"],
        "forbidden": data["forbidden"],
        "renderings": rendered,
        "names": data["names"],
        "inferred": data["inferred"],
    }


def record(doc: Doc, report: DocumentReport, analyser: Analyser, pair: Pair) -> dict[str, Any]:
    """What the journal keeps of a translated document (and the output line gains)."""
    return {
        "line": doc.line,
        "digest": doc.digest,
        "translation": report.text,
        "terms": document_figures(report, document_renderings(analyser, doc, report.text, pair)),
    }
