"""The library behind ``kp-translate translate``: documents in, English documents and a term report out.

Data flows one way: document → segments → glossary matches → protected text → engine → restored
text → verification (→ post-edit) → typography → report. The engine decides the segment size
(``engine.unit``: ``"paragraph"`` for Apertium, ``"sentence"`` for everything else) and receives
every uncached segment of the run in batches: the engine's own schedule when it has one
(``engine.translate_chunks``: Apertium's process chains of 64, 128, … up to 1024 paragraphs), else
``engine.chunk_size`` segments each (default 512). Each batch is committed to the segment cache
when it returns and each document is written (atomically) as soon as all its segments are done,
so an interrupted run loses at most one batch and resumes from the cache.

Nothing is translated before the outputs are checked: an output directory that is (or contains)
an input directory, or a report or output file that would overwrite an input, a glossary file or
an output document, is an :class:`~kp_translate.errors.InputError`.

Segments that already read as English (:func:`kp_translate.langid.is_english`) are kept verbatim,
and so is the metadata prefix of a paragraph. Output paragraphs map 1:1 to input paragraphs.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from . import langid, typography
from .cache import SegmentCache, segment_check, segment_key
from .enforce import Enforcer, Failure, Outcome, Protected, Verdict
from .engines import get_engine
from .engines.base import Engine, Hypothesis
from .errors import EngineError, InputError
from .fileio import check_output, read_text, write_text_atomic
from .glossary import Glossary, load
from .segment import Document, split_document, split_sentences

#: n-best size asked of engines that support it, for segments whose best hypothesis fails
RETRY_N_BEST = 4
DEFAULT_CHUNK_SIZE = 512
_BLANK_LINES = regex.compile(r"\n[ \t]*(?:\n[ \t]*)+")

ProgressCallback = Callable[[int, int], None]

#: a paragraph longer than this (characters) goes to a paragraph-level engine in pieces: whole
#: sentences, else clauses, else runs of words, each at most this long, joined back with the
#: source's own spacing (the dossier's longest paragraph has 670 characters)
MAX_SEGMENT_CHARS = 2000
_CLAUSE_END = regex.compile(r"(?<=[;:,)\]»”])\s+|\s+(?=[–—(«“])|\s+-\s+")
_SPACE = regex.compile(r"\s+")


# ------------------------------------------------------------------------------------------
# Reports


@dataclass
class DocumentReport:
    """Terms expected, enforced and failed in one translated document."""

    name: str
    input: str
    output: str | None = None
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
    text: str = ""  # the translation (not part of the JSON report)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def success(self) -> float:
        return self.enforced / self.expected if self.expected else 1.0

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
        return self.enforced / self.expected if self.expected else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "model_id": self.model_id,
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
            "cache": {"hits": self.cache_hits, "misses": self.cache_misses},
            "seconds": round(self.seconds, 3),
            "files": [d.to_dict() for d in self.documents],
        }

    def summary(self) -> str:
        files = len(self.documents)
        return (
            f"{files} file{'s' if files != 1 else ''} with {self.engine}: {self.enforced}/{self.expected} terms "
            f"enforced ({100 * self.success:.1f}%), {self.failed} failed"
            + ("" if self.enforce else " (enforcement off)")
        )


# ------------------------------------------------------------------------------------------
# Segments


@dataclass
class _Unit:
    """One segment: a paragraph, or a sentence of one."""

    doc: int
    para: int
    sentence: int | None
    start: int
    end: int
    text: str
    verbatim: bool
    protected: Protected | None = None
    engine_text: str = ""
    hyps: list[Hypothesis] | None = None
    out: str | None = None
    verdict: Verdict | None = None
    unknown: list[str] = field(default_factory=list)
    postedited: bool = False


@dataclass
class _Job:
    """A document to translate and where its translation goes."""

    document: Document
    input: str
    output: Path | None
    units: list[_Unit] = field(default_factory=list)
    done: bool = False


def _pack(text: str, spans: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Consecutive *spans* of *text* merged while the merged span stays within *limit*."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and e - out[-1][0] <= limit:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _cut_at(pattern: regex.Pattern[str], text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The pieces of ``text[s:e]`` between the matches of *pattern* (the separators dropped)."""
    pieces: list[tuple[int, int]] = []
    pos = s
    for m in pattern.finditer(text, s, e):
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pos = max(pos, m.end())
    if pos < e:
        pieces.append((pos, e))
    return pieces


def split_long(text: str, limit: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int]] | None:
    """Spans of *text* (stripped, non-empty) of at most *limit* characters each, cut at sentence
    ends, else at clause boundaries, else between words; ``None`` if a single word is longer."""
    pieces: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        if e - s <= limit:
            pieces.append((s, e))
            continue
        for cs, ce in _pack(text, _cut_at(_CLAUSE_END, text, s, e), limit):
            if ce - cs <= limit:
                pieces.append((cs, ce))
                continue
            words = _pack(text, _cut_at(_SPACE, text, cs, ce), limit)
            if any(we - ws > limit for ws, we in words):
                return None
            pieces.extend(words)
    return _pack(text, pieces, limit)


def _units_of(
    doc_index: int, document: Document, unit: str, source: str = "-", limit: int = MAX_SEGMENT_CHARS
) -> list[_Unit]:
    units: list[_Unit] = []
    for para in document.paragraphs:
        spans = split_sentences(para.text) if unit == "sentence" else [(0, len(para.text))]
        if unit != "sentence":
            stripped = para.text.strip()
            lead = len(para.text) - len(para.text.lstrip())
            spans = [(lead, lead + len(stripped))] if stripped else []
            if len(stripped) > limit:  # an over-long paragraph goes in pieces, joined back in _assemble
                pieces = split_long(para.text, limit)
                if pieces is None:
                    line = document.text.count("\n", 0, para.start) + 1
                    raise InputError(
                        f"paragraph #{para.index} ({len(stripped):,} characters) cannot be translated: "
                        f"it holds a word of more than {limit:,} characters",
                        source,
                        line,
                    )
                spans = pieces
        for k, (s, e) in enumerate(spans):
            text = para.text[s:e]
            units.append(
                _Unit(
                    doc_index,
                    para.index,
                    k if unit == "sentence" else None,
                    s,
                    e,
                    text,
                    verbatim=langid.is_english(text),
                )
            )
    return units


class _Pipeline:
    def __init__(
        self,
        engine: Engine,
        glossary: Glossary,
        enforce: bool,
        cache: SegmentCache | None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.engine = engine
        self.glossary = glossary
        self.enforce = enforce
        self.cache = cache
        self.enforcer = Enforcer(glossary)
        self.unit = str(getattr(engine, "unit", "sentence"))
        self.chunk_size = max(1, int(getattr(engine, "chunk_size", DEFAULT_CHUNK_SIZE)))
        self.n_best_ok = bool(getattr(engine, "supports_n_best", False))
        self.on_progress = on_progress
        self.hits = 0
        self.misses = 0
        self._failed_at = 0  # index in the run's texts of the first segment of the batch being translated
        self._model_id: str | None = None

    @property
    def model_id(self) -> str:
        if self._model_id is None:
            self._model_id = str(self.engine.model_id)
        return self._model_id

    def check(self, text: str) -> str:
        """What the cached translation of *text* must carry (see :func:`kp_translate.cache.segment_check`)."""
        return segment_check(engine=self.engine.name, model_id=self.model_id, text=text)

    def key(self, text: str, n_best: int = 1, suppress: Sequence[str] = ()) -> str:
        return segment_key(
            engine=self.engine.name,
            model_id=self.model_id,
            glossary_version=self.glossary.version,
            enforce=self.enforce,
            text=text,
            n_best=n_best,
            suppress=suppress,
        )

    # -- the run -------------------------------------------------------------------------

    def run(self, jobs: list[_Job], finished: Callable[[_Job, DocumentReport], None]) -> list[DocumentReport]:
        reports: list[DocumentReport | None] = [None] * len(jobs)
        todo: list[_Unit] = []
        for i, job in enumerate(jobs):
            job.units = _units_of(i, job.document, self.unit, job.input)
            for u in job.units:
                if u.verbatim:
                    continue
                if self.enforce:
                    u.protected = self.enforcer.protect(u.text)
                    u.engine_text = u.protected.text
                else:
                    u.engine_text = u.text
                todo.append(u)
        total = len(todo)
        # cached segments first
        if self.cache is not None and todo:
            found = self.cache.get_many({self.key(u.engine_text): self.check(u.engine_text) for u in todo})
            for u in todo:
                hyps = found.get(self.key(u.engine_text))
                if hyps is not None:
                    u.hyps = hyps
                    self.hits += 1
        waiting: dict[str, list[_Unit]] = {}
        for u in todo:
            if u.hyps is None:
                waiting.setdefault(u.engine_text, []).append(u)
        texts = list(waiting)
        done = total - sum(len(us) for us in waiting.values())
        self._progress(done, total)
        self._finish_ready(jobs, reports, finished)
        try:
            self._translate_waiting(jobs, reports, finished, texts, waiting, done, total)
        except EngineError as exc:
            # where it happened: the first paragraph of the batch that failed
            if exc.path is not None or not texts:
                raise
            u = waiting[texts[min(self._failed_at, len(texts) - 1)]][0]
            job = jobs[u.doc]
            para = job.document.paragraphs[u.para]
            line = job.document.text.count("\n", 0, para.start) + 1
            msg = f"paragraph #{para.index} (or one of the next in its batch): {exc.message}"
            raise EngineError(msg, job.input, line) from None
        self._finish_ready(jobs, reports, finished)
        return [r for r in reports if r is not None]

    def _translate_waiting(
        self,
        jobs: list[_Job],
        reports: list[DocumentReport | None],
        finished: Callable[[_Job, DocumentReport], None],
        texts: list[str],
        waiting: dict[str, list[_Unit]],
        done: int,
        total: int,
    ) -> None:
        expected = 0
        self._failed_at = 0
        for start, results in self._chunks(texts):
            part = texts[start : start + len(results)]
            if start != expected or len(part) != len(results):
                raise EngineError(
                    f"engine {self.engine.name} returned results {start}-{start + len(results)} "
                    f"where {expected}-{expected + len(results)} of {len(texts)} segments were due"
                )
            expected += len(results)
            for text, result in zip(part, results, strict=True):
                for u in waiting[text]:
                    u.hyps = result
                    done += 1
                    self.misses += 1
            if self.cache is not None:  # committed at once: an interrupted run resumes from here
                self.cache.put_many((self.key(t), r, self.check(t)) for t, r in zip(part, results, strict=True))
            self._finish_ready(jobs, reports, finished)
            self._progress(done, total)
            self._failed_at = expected
        if expected != len(texts):
            raise EngineError(f"engine {self.engine.name} returned {expected} results for {len(texts)} segments")

    def _progress(self, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total)

    def _chunks(self, texts: list[str]) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        """``(start, hypotheses)`` for consecutive slices of *texts*: the engine's own schedule when
        it has one (``translate_chunks``: Apertium's growing process chains), else slices of
        ``engine.chunk_size``."""
        chunked: Callable[[list[str]], Iterable[tuple[int, list[list[Hypothesis]]]]] | None
        chunked = getattr(self.engine, "translate_chunks", None)
        if chunked is not None:
            yield from chunked(texts)
            return
        for start in range(0, len(texts), self.chunk_size):
            yield start, self.engine.translate_batch(texts[start : start + self.chunk_size])

    def _retry(self, units: list[_Unit]) -> None:
        """Segments that fail: ask an n-best engine again, avoiding the forbidden renderings."""
        failing = [u for u in units if u.protected is not None and u.verdict is not None and not u.verdict.ok]
        if not failing or not self.n_best_ok:
            return
        suppress = sorted({s for u in failing for s in self.enforcer.suppress(u.protected)})  # type: ignore[arg-type]
        texts = list(dict.fromkeys(u.engine_text for u in failing))
        keys = {t: self.key(t, RETRY_N_BEST, suppress) for t in texts}
        checks = {keys[t]: self.check(t) for t in texts}
        cached = self.cache.get_many(checks) if self.cache is not None else {}
        missing = [t for t in texts if keys[t] not in cached]
        if missing:
            fresh = self.engine.translate_batch(missing, n_best=RETRY_N_BEST, suppress=suppress)
            new = {keys[t]: h for t, h in zip(missing, fresh, strict=True)}
            if self.cache is not None:
                self.cache.put_many((k, h, checks[k]) for k, h in new.items())
            cached.update(new)
        for u in failing:
            assert u.protected is not None and u.verdict is not None
            alt = self.enforcer.finish(u.protected, cached[keys[u.engine_text]], typography.to_english)
            if len(alt.verdict.failures) < len(u.verdict.failures):
                u.out, u.verdict, u.unknown, u.postedited = alt.text, alt.verdict, alt.unknown, alt.postedited

    def _finalise_unit(self, u: _Unit) -> None:
        if u.verbatim:
            u.out = u.text
            u.verdict = self.enforcer.verify(self.enforcer.matches(u.text), u.text)
            return
        assert u.hyps is not None
        if self.enforce:
            assert u.protected is not None
            outcome: Outcome = self.enforcer.finish(u.protected, u.hyps, typography.to_english)
            u.out = outcome.text
            u.verdict = outcome.verdict
            u.unknown = outcome.unknown
            u.postedited = outcome.postedited
        else:
            hyp = u.hyps[0] if u.hyps else Hypothesis(text="")
            u.out = typography.to_english(hyp.text)
            u.verdict = self.enforcer.verify(self.enforcer.matches(u.text), u.out)
            u.unknown = list(hyp.unknown)

    def _finish_ready(
        self,
        jobs: list[_Job],
        reports: list[DocumentReport | None],
        finished: Callable[[_Job, DocumentReport], None],
    ) -> None:
        for i, job in enumerate(jobs):
            if job.done or any(u.hyps is None and not u.verbatim for u in job.units):
                continue
            for u in job.units:
                self._finalise_unit(u)
            if self.enforce:
                self._retry(job.units)
            report = self._assemble(job)
            job.done = True
            reports[i] = report
            finished(job, report)

    def _assemble(self, job: _Job) -> DocumentReport:
        doc = job.document
        report = DocumentReport(
            name=doc.name,
            input=job.input,
            output=str(job.output) if job.output is not None else None,
            paragraphs=len(doc.paragraphs),
            segments=len(job.units),
        )
        by_para: dict[int, list[_Unit]] = {}
        for u in job.units:
            by_para.setdefault(u.para, []).append(u)
        translated: list[str] = []
        for para in doc.paragraphs:
            units = by_para.get(para.index, [])
            pieces: list[str] = []
            pos = 0
            for u in units:
                pieces.append(para.text[pos : u.start])
                pieces.append(u.out if u.out is not None else u.text)
                pos = u.end
                assert u.verdict is not None
                report.add(f"{doc.name}#{para.index}", u.sentence, u.verdict)
                report.verbatim += u.verbatim
                report.postedited += u.postedited
                report.unknown_words.update(u.unknown)
                source_matches = u.protected.matches if u.protected is not None else self.enforcer.matches(u.text)
                counts = Counter(m.entry.id for m in source_matches)
                failed = Counter(f.entry.id for f in u.verdict.failures if f.expected)
                for entry_id, n in counts.items():
                    slot = report.entries.setdefault(entry_id, {"expected": 0, "enforced": 0})
                    slot["expected"] += n
                    slot["enforced"] += n - min(n, failed[entry_id])
            pieces.append(para.text[pos:])
            text = _BLANK_LINES.sub("\n", "".join(pieces))
            translated.append(text if text.strip() or not para.text.strip() else para.text)
        report.text = doc.join(translated)
        return report


# ------------------------------------------------------------------------------------------
# Inputs and outputs


def collect_inputs(paths: Sequence[str | Path], output: Path | None = None) -> list[tuple[Path, str]]:
    """Expand *paths* into ``(file, relative output name)``: directories give their ``*.txt`` files
    (recursively, hidden directories and the *output* directory skipped), a file gives its own name."""
    out_dir = output.resolve() if output is not None else None
    found: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError("no such file or directory", path)
        if path.is_dir():
            if out_dir is not None and (out_dir == path.resolve() or out_dir in path.resolve().parents):
                assert output is not None
                relation = "is" if out_dir == path.resolve() else "contains"
                raise InputError(f"the output directory {relation} the input directory ({given})", output)
            files = []
            for f in sorted(path.rglob("*.txt")):
                rel = f.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                    continue
                if out_dir is not None and out_dir in f.resolve().parents:
                    continue
                files.append((f, rel.as_posix()))
            if not files:
                raise InputError("directory holds no .txt file", path)
            found.extend(files)
        else:
            found.append((path, path.name))
    seen: dict[str, Path] = {}
    for file, name in found:
        if name in seen and seen[name].resolve() != file.resolve():
            msg = f"two inputs would be written to the same output file '{name}' (other: {seen[name]})"
            raise InputError(msg, file)
        seen[name] = file
    unique: dict[Path, tuple[Path, str]] = {}
    for file, name in found:
        unique.setdefault(file.resolve(), (file, name))
    return list(unique.values())


def _check_outputs(
    documents: Sequence[tuple[Document, str, Path | None]], report: str | Path | None, glossary: Glossary
) -> None:
    """Before anything is translated: no output document may overwrite a glossary file, and the
    report may overwrite neither an input, nor a glossary file, nor an output document."""
    inputs = [source for _, source, _ in documents if source != "-"]
    outputs = [target for _, _, target in documents if target is not None]
    for target in outputs:
        check_output(target, glossary.files, "a glossary file")
    if report is not None:
        check_output(report, inputs, "an input")
        check_output(report, glossary.files, "a glossary file")
        check_output(report, outputs, "an output document")


def _check_report_location(report: Path, inputs: Sequence[Path], output: Path | None) -> None:
    """The report may not be written inside an input directory (the next run would take it for
    input, or the directory would no longer hold documents only), unless it is inside the output
    directory, which input collection skips."""
    where = report.resolve()
    if output is not None and output.resolve() in where.parents:
        return
    for given in inputs:
        if given.is_dir() and given.resolve() in where.parents:
            raise InputError(
                f"the report would be written inside the input directory {given}: write it elsewhere "
                "(or inside the output directory)",
                report,
            )


def _read_stdin() -> str:
    """Standard input, decoded strictly as :func:`kp_translate.fileio.read_text` decodes a file:
    invalid bytes raise :class:`InputError` ``-:LINE: invalid UTF-8 ...`` (read as text, they
    would become lone surrogates that no engine can be given)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # already text (a StringIO put in its place)
        return str(sys.stdin.read())
    data: bytes = stream.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", "-", line) from None


def _resolve_engine(engine: str | Engine, engine_options: dict[str, Any] | None) -> Engine:
    if isinstance(engine, str):
        return get_engine(engine, **(engine_options or {}))
    return engine


def _open_cache(use_cache: bool, cache_dir: str | Path | None) -> SegmentCache | None:
    return SegmentCache(cache_dir) if use_cache else None


def _write_report(report: RunReport, path: str | Path | None) -> None:
    if path is None:
        return
    import json

    write_text_atomic(path, json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")


class _ProgressBar:
    """A click progress bar on stderr, created on the first update (multi-file runs only)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._last = 0

    def __call__(self, done: int, total: int) -> None:
        import click

        if self._bar is None:
            self._bar = click.progressbar(length=max(total, 1), label="translating", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._last)
        self._last = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def translate(
    paths: Sequence[str | Path],
    output: str | Path | None,
    *,
    engine: str | Engine = "auto",
    glossary: Glossary | None = None,
    enforce: bool = True,
    report: str | Path | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool = False,
    engine_options: dict[str, Any] | None = None,
    on_progress: ProgressCallback | None = None,
) -> RunReport:
    """Translate files or directories of French text to English.

    *output* is a directory: each input keeps its relative path and file name under it (a file
    given directly keeps its name). ``None`` writes nothing (the translations are in
    ``report.documents[i].text``). ``paths == ["-"]`` reads standard input and, with *output*
    ``None`` or ``"-"``, writes standard output. *report* names a JSON file for the term report.
    *on_progress(done, total)* is called as segments are translated.
    """
    started = time.perf_counter()
    names = [str(p) for p in paths]
    if not names:
        raise InputError("no input given")
    stdin = names == ["-"]
    if "-" in names and not stdin:
        raise InputError("'-' (standard input) cannot be mixed with files")
    to_stdout = output == "-" or (stdin and output is None)
    out_path = None if output is None or output == "-" else Path(output)
    documents: list[tuple[Document, str, Path | None]] = []
    if stdin:
        # standard input: OUTPUT (if given) is the file to write
        documents.append((split_document(_read_stdin(), "-"), "-", out_path))
    else:
        if out_path is not None and out_path.exists() and not out_path.is_dir():
            raise InputError("the output must be a directory", out_path)
        inputs = collect_inputs(paths, out_path)
        if to_stdout and len(inputs) != 1:
            raise InputError("'-o -' (standard output) takes a single input")
        for path, rel in inputs:
            target = out_path / rel if out_path is not None else None
            if target is not None and target.resolve() == path.resolve():
                raise InputError("the output would overwrite the input", path)
            documents.append((split_document(read_text(path), rel), str(path), target))

    glossary = glossary if glossary is not None else load()
    _check_outputs(documents, report, glossary)
    if report is not None and not stdin:
        _check_report_location(Path(report), [Path(p) for p in paths], out_path)
    eng = _resolve_engine(engine, engine_options)
    cache = _open_cache(use_cache, cache_dir)
    try:
        pipeline = _Pipeline(eng, glossary, enforce, cache)
        result = RunReport(
            engine=eng.name,
            model_id=pipeline.model_id,
            glossary_version=glossary.version,
            glossary_files=list(glossary.files),
            enforce=enforce,
        )

        def finished(job: _Job, doc_report: DocumentReport) -> None:
            if job.output is not None:
                write_text_atomic(job.output, doc_report.text)
            elif to_stdout:
                sys.stdout.write(doc_report.text)
                sys.stdout.flush()

        bar = _ProgressBar() if progress and len(documents) > 1 else None
        try:

            def both(done: int, total: int) -> None:
                if bar is not None:
                    bar(done, total)
                if on_progress is not None:
                    on_progress(done, total)

            pipeline.on_progress = both
            jobs = [_Job(d, inp, out) for d, inp, out in documents]
            result.documents = pipeline.run(jobs, finished)
        finally:
            if bar is not None:
                bar.close()
        result.cache_hits, result.cache_misses = pipeline.hits, pipeline.misses
        result.seconds = time.perf_counter() - started
        _write_report(result, report)
        return result
    finally:
        if cache is not None:
            cache.close()


def translate_text(
    text: str,
    *,
    engine: str | Engine = "auto",
    glossary: Glossary | None = None,
    enforce: bool = True,
    name: str = "-",
    cache_dir: str | Path | None = None,
    use_cache: bool = False,
    engine_options: dict[str, Any] | None = None,
) -> tuple[str, DocumentReport]:
    """Translate one text; returns the English text and its term report."""
    glossary = glossary if glossary is not None else load()
    eng = _resolve_engine(engine, engine_options)
    cache = _open_cache(use_cache, cache_dir)
    try:
        pipeline = _Pipeline(eng, glossary, enforce, cache)
        reports = pipeline.run([_Job(split_document(text, name), name, None)], lambda job, rep: None)
        return reports[0].text, reports[0]
    finally:
        if cache is not None:
            cache.close()
