"""The translation session: documents in, translated documents and term reports out.

Data flows one way: document → segments → glossary matches → protected text → engine → restored
text → verification (→ post-edit) → target typography → report. The engine decides the segment
size (``engine.unit``: whole paragraphs for Apertium, sentences for Argos, split by the source
language's rules) and receives every uncached segment of the run in its own schedule
(``engine.translate_chunks``). Each batch is committed to the segment cache when it returns and each
document is handed back as soon as all its segments are done, so an interrupted run loses at most
one batch and resumes from the cache.

Segments that already read as the target language are kept verbatim, and so is the metadata prefix
of a paragraph. Output paragraphs map 1:1 to input paragraphs.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

import regex

from .cache import SegmentCache, segment_check, segment_key
from .enforce import Enforcer, Outcome, Protected
from .engines.base import Engine, Hypothesis
from .errors import EngineError, InputError
from .glossary import Glossary
from .infer import (
    INFERRED_ID,
    NAMES_MODES,
    DocumentNames,
    Inferred,
    NameFinder,
    inferred_matches,
    short_mentions,
    transient_entry,
)
from .lang import Language, Pair, identify, target_language
from .lang import get as get_language
from .lang.convert import convert
from .lang.en import English
from .match import Match
from .report import DocumentReport
from .rx import compiled, deferred
from .segment import Document, split_document
from .verify import Verdict, target_key

#: n-best size asked of engines that support it, for segments whose best hypothesis fails
RETRY_N_BEST = 4
_BLANK_LINES = compiled(r"\n[ \t]*(?:\n[ \t]*)+")

ProgressCallback = Callable[[int, int], None]

#: a paragraph longer than this (characters) goes to a paragraph-level engine in pieces: whole
#: sentences, else clauses, else runs of words, each at most this long, joined back with the
#: source's own spacing (the dossier's longest paragraph has 670 characters)
MAX_SEGMENT_CHARS = 2000
_CLAUSE_END = deferred(r"(?<=[;:,)\]»”])\s+|\s+(?=[–—(«“])|\s+-\s+")
_SPACE = deferred(r"\s+")


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
    #: names inferred by rule inside this segment (``names="auto"``: protected with the glossary's terms)
    names: list[Inferred] = field(default_factory=list)
    #: surname-only mentions of glossary persons (``short:``) inside this segment (paragraph offsets)
    short: list[Match] = field(default_factory=list)


@dataclass
class _Job:
    """A document being translated."""

    document: Document
    input: str
    units: list[_Unit] = field(default_factory=list)
    done: bool = False
    names: DocumentNames = field(default_factory=DocumentNames)
    #: whether :meth:`Translator._find_names` has run (just before its first segment is protected,
    #: so that protection finds the paragraphs' glossary matches still remembered by the matcher)
    named: bool = False


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


def split_long(text: str, language: Language, limit: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int]] | None:
    """Spans of *text* (stripped, non-empty) of at most *limit* characters each, cut at *language*'s
    sentence ends, else at clause boundaries, else between words; ``None`` if a single word is longer."""
    pieces: list[tuple[int, int]] = []
    for s, e in language.split_sentences(text):
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
    doc_index: int,
    document: Document,
    unit: str,
    pair: tuple[Language, Language],
    source: str = "-",
    limit: int = MAX_SEGMENT_CHARS,
) -> list[_Unit]:
    """The segments of *document* for an engine of *unit*; a segment that already reads as the
    target language is kept verbatim."""
    src, tgt = pair
    units: list[_Unit] = []
    for para in document.paragraphs:
        spans = src.split_sentences(para.text) if unit == "sentence" else [(0, len(para.text))]
        if unit != "sentence":
            stripped = para.text.strip()
            lead = len(para.text) - len(para.text.lstrip())
            spans = [(lead, lead + len(stripped))] if stripped else []
            if len(stripped) > limit:  # an over-long paragraph goes in pieces, joined back in _assemble
                pieces = split_long(para.text, src, limit)
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
                    verbatim=identify.is_language(text, tgt.code, src.code),
                )
            )
    return units


class _Feed(Sequence[str]):
    """The distinct engine texts of a run's segments, protected on demand, in order: the engine's
    feeding thread protects the next segments while the engine translates and the caller restores
    finished ones. ``waiting[text]`` lists the segments of *text* seen so far; a segment whose text
    came back before the segment was protected gets its hypotheses here (:meth:`done`)."""

    def __init__(self, translator: Translator, jobs: list[_Job], units: list[_Unit]) -> None:
        self._translator = translator
        self._jobs = jobs
        self._units = units
        self._next = 0
        self.texts: list[str] = []
        self.waiting: dict[str, list[_Unit]] = {}
        self.results: dict[str, list[Hypothesis]] = {}
        #: segments that got their hypotheses when they were protected (counted by the caller)
        self.late = 0
        self.lock = threading.RLock()

    def _upto(self, n: int) -> None:
        """Protect segments until *n* texts are known (or every segment is)."""
        with self.lock:
            while len(self.texts) < n and self._next < len(self._units):
                u = self._units[self._next]
                self._next += 1
                self._translator._protect(u, self._jobs[u.doc])
                group = self.waiting.get(u.engine_text)
                if group is None:
                    self.waiting[u.engine_text] = [u]
                    self.texts.append(u.engine_text)
                    continue
                group.append(u)
                if u.engine_text in self.results:
                    u.hyps = self.results[u.engine_text]
                    self.late += 1

    def __len__(self) -> int:
        self._upto(len(self._units))
        return len(self.texts)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            if i.stop is None or i.stop < 0 or (i.start is not None and i.start < 0):
                self._upto(len(self._units))
            else:
                self._upto(i.stop)
            return self.texts[i]
        self._upto(len(self._units) if i < 0 else i + 1)
        return self.texts[i]


class Translator:
    """A long-lived translation session: one engine (its pair), the glossary as that pair's source
    language sees it, compiled matchers, an optional segment cache.

    The CLI, a server and a batch worker all translate through this object; it reads no file,
    writes nothing but the cache, prints nothing. *on_progress(done, total)* is called as segments
    come back from the engine.
    """

    def __init__(
        self,
        engine: Engine,
        glossary: Glossary,
        *,
        enforce: bool = True,
        cache: SegmentCache | None = None,
        on_progress: ProgressCallback | None = None,
        names: str = "auto",
    ) -> None:
        if names not in NAMES_MODES:
            raise ValueError(f"names must be one of {', '.join(NAMES_MODES)}, not {names!r}")
        self.engine = engine
        self.pair: Pair = engine.pair
        self.source_language = get_language(self.pair.source)
        self.target_language = target_language(self.pair.target)
        self.enforcer = Enforcer(glossary, pair=self.pair)
        #: the glossary view of the pair (its version goes into cache keys and reports)
        self.glossary = self.enforcer.glossary
        self.enforce = enforce
        #: names the glossary lacks: "auto" (resolved by rule and protected), "suggest" (listed), "off"
        self.names = names
        self._finder: NameFinder | None = None
        self.cache = cache
        self.unit = engine.unit
        self.n_best_ok = engine.supports_n_best
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

    def translate_documents(
        self,
        documents: Sequence[Document],
        inputs: Sequence[str] | None = None,
        on_done: Callable[[int, DocumentReport], None] | None = None,
    ) -> list[DocumentReport]:
        """Translate *documents* (*inputs*: where each came from, for reports and messages) in one
        pass through the engine; *on_done(index, report)* is called as each document is finished,
        in completion order. Returns the reports in document order."""
        names = list(inputs) if inputs is not None else [d.name for d in documents]
        jobs = [_Job(d, name) for d, name in zip(documents, names, strict=True)]
        return self._run(jobs, on_done or (lambda i, r: None))

    def translate_text(self, text: str, name: str = "-") -> DocumentReport:
        """Translate one text (paragraphs separated by blank lines); the report holds the text."""
        return self.translate_documents([split_document(text, name)], [name])[0]

    def _run(self, jobs: list[_Job], finished: Callable[[int, DocumentReport], None]) -> list[DocumentReport]:
        reports: list[DocumentReport | None] = [None] * len(jobs)
        todo: list[_Unit] = []
        pair = (self.source_language, self.target_language)
        for i, job in enumerate(jobs):
            job.units = _units_of(i, job.document, self.unit, pair, job.input)
            todo.extend(u for u in job.units if not u.verbatim)
        total = len(todo)
        if self.cache is None and getattr(self.engine, "streams", False):
            # protected as the engine asks for them (its feeding thread), no cache to look up first
            feed = _Feed(self, jobs, todo)
            self._progress(0, total)
            self._finish_ready(jobs, reports, finished)
            try:
                self._translate_waiting(jobs, reports, finished, feed, feed.waiting, 0, total, feed)
            except EngineError as exc:
                self._locate(exc, jobs, feed, feed.waiting)
            self._finish_ready(jobs, reports, finished)
            return [r for r in reports if r is not None]
        for u in todo:
            self._protect(u, jobs[u.doc])
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
            self._locate(exc, jobs, texts, waiting)
        self._finish_ready(jobs, reports, finished)
        return [r for r in reports if r is not None]

    def _find_names(self, job: _Job) -> None:
        """The names of *job*'s document that the glossary lacks (:class:`~kp_translate.infer.NameFinder`),
        handed to its segments (once: before its first segment is protected, or when it is finished)."""
        if job.named:
            return
        job.named = True
        shorts = short_mentions(job.document, self.enforcer.glossary, self.enforcer.source) if self.enforce else {}
        for u in job.units:
            u.short = [m for m in shorts.get(u.para, ()) if u.start <= m.start and m.end <= u.end]
        if self.names == "off":
            return
        if self._finder is None:
            self._finder = NameFinder(self.enforcer.glossary, self.source_language)
        job.names = self._finder.document(job.document, self._english_paragraphs(job))
        by_paragraph = job.names.by_paragraph()
        for u in job.units:
            if not u.verbatim:  # a surname-only mention of a glossary person is the glossary's
                u.names = [
                    n
                    for n in by_paragraph.get(u.para, ())
                    if u.start <= n.start
                    and n.end <= u.end
                    and not any(m.start < n.end and n.start < m.end for m in u.short)
                ]

    def _english_paragraphs(self, job: _Job) -> dict[int, bool]:
        """Paragraph index → whether it reads as English, for the paragraphs that are one segment
        (whose verbatim test, :func:`_units_of`, was that question on the same words)."""
        if self.target_language.code != English.code:
            return {}
        count = Counter(u.para for u in job.units)
        paragraphs = job.document.paragraphs
        return {
            u.para: u.verbatim for u in job.units if count[u.para] == 1 and u.text == paragraphs[u.para].text.strip()
        }

    def _protect(self, u: _Unit, job: _Job) -> None:
        """The glossary's placeholders in *u* (when enforcing; and the inferred names' with
        ``names="auto"``), then the text the engine gets; *job* is its document's."""
        self._find_names(job)
        if self.enforce:
            extra = [m._replace(start=m.start - u.start, end=m.end - u.start) for m in u.short]
            extra += inferred_matches(u.names, u.start) if self.names == "auto" else []
            u.protected = self.enforcer.protect(u.text, extra)
            u.engine_text = self.source_language.for_engine(u.protected.text)
        else:
            u.engine_text = self.source_language.for_engine(u.text)

    def _locate(
        self, exc: EngineError, jobs: list[_Job], texts: Sequence[str], waiting: dict[str, list[_Unit]]
    ) -> None:
        """Raise *exc* again with the file and line of the paragraph it happened on: the segment
        the engine names (``exc.segment``), else the first of the batch that failed."""
        if exc.path is not None or not len(texts):
            raise exc
        segment = getattr(exc, "segment", None)
        index = segment if isinstance(segment, int) else self._failed_at
        u = waiting[texts[min(index, len(texts) - 1)]][0]
        job = jobs[u.doc]
        para = job.document.paragraphs[u.para]
        line = job.document.text.count("\n", 0, para.start) + 1
        where = (
            f"paragraph #{para.index}"
            if isinstance(segment, int)
            else f"paragraph #{para.index} (or one of the next in its batch)"
        )
        raise EngineError(f"{where}: {exc.message}", job.input, line) from None

    def _translate_waiting(
        self,
        jobs: list[_Job],
        reports: list[DocumentReport | None],
        finished: Callable[[int, DocumentReport], None],
        texts: Sequence[str],
        waiting: dict[str, list[_Unit]],
        done: int,
        total: int,
        feed: _Feed | None = None,
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
            with feed.lock if feed is not None else contextlib.nullcontext():
                for text, result in zip(part, results, strict=True):
                    for u in waiting[text]:
                        u.hyps = result
                        done += 1
                        self.misses += 1
                    if feed is not None:
                        feed.results[text] = result
                if feed is not None:
                    done, self.misses, feed.late = done + feed.late, self.misses + feed.late, 0
            if self.cache is not None:  # committed at once: an interrupted run resumes from here
                self.cache.put_many((self.key(t), r, self.check(t)) for t, r in zip(part, results, strict=True))
            self._finish_ready(jobs, reports, finished)
            self._progress(done, total)
            self._failed_at = expected
        if expected != len(texts):
            raise EngineError(f"engine {self.engine.name} returned {expected} results for {len(texts)} segments")
        if feed is not None and feed.late:  # segments protected after the last result came
            with feed.lock:
                done, self.misses, feed.late = done + feed.late, self.misses + feed.late, 0
            self._finish_ready(jobs, reports, finished)
            self._progress(done, total)

    def _progress(self, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total)

    def _chunks(self, texts: Sequence[str]) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        """``(start, hypotheses)`` for consecutive slices of *texts*, in the engine's own schedule."""
        return self.engine.translate_chunks(texts)

    def polish(self, text: str) -> str:
        """The target language's typography on engine output (:func:`kp_translate.lang.convert.convert`)."""
        return convert(text, self.source_language, self.target_language)

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
            alt = self.enforcer.finish(u.protected, cached[keys[u.engine_text]], self.polish)
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
            outcome: Outcome = self.enforcer.finish(u.protected, u.hyps, self.polish)
            u.out = outcome.text
            u.verdict = outcome.verdict
            u.unknown = outcome.unknown
            u.postedited = outcome.postedited
        else:
            hyp = u.hyps[0] if u.hyps else Hypothesis(text="")
            u.out = self.polish(hyp.text)
            u.verdict = self.enforcer.verify(self.enforcer.matches(u.text), u.out)
            u.unknown = list(hyp.unknown)

    def _finish_ready(
        self,
        jobs: list[_Job],
        reports: list[DocumentReport | None],
        finished: Callable[[int, DocumentReport], None],
    ) -> None:
        for i, job in enumerate(jobs):
            if job.done or any(u.hyps is None and not u.verbatim for u in job.units):
                continue
            self._find_names(job)  # a document whose segments are all verbatim (none was protected)
            for u in job.units:
                self._finalise_unit(u)
            if self.enforce:
                self._retry(job.units)
            report = self._assemble(job)
            job.done = True
            reports[i] = report
            finished(i, report)

    def _assemble(self, job: _Job) -> DocumentReport:
        doc = job.document
        report = DocumentReport(
            name=doc.name,
            input=job.input,
            language=self.pair.source,
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
                if u.unknown:
                    report.unknown_words.update(u.unknown)
                source_matches = u.protected.matches if u.protected is not None else self.enforcer.matches(u.text)
                if u.names:
                    self._report_names(report, f"{doc.name}#{para.index}", u)
                counts: dict[str, int] = {}  # (plain dictionaries: a Counter per segment costs more than its counting)
                for m in source_matches:
                    if not m.entry.id.startswith(INFERRED_ID):
                        counts[m.entry.id] = counts.get(m.entry.id, 0) + 1
                failed: dict[str, int] = {}
                for f in u.verdict.failures:
                    if f.expected:
                        failed[f.entry.id] = failed.get(f.entry.id, 0) + 1
                for entry_id, n in counts.items():
                    slot = report.entries.setdefault(entry_id, {"expected": 0, "enforced": 0})
                    slot["expected"] += n
                    slot["enforced"] += n - min(n, failed.get(entry_id, 0))
            pieces.append(para.text[pos:])
            text = _BLANK_LINES.sub("\n", "".join(pieces))
            translated.append(text if text.strip() or not para.text.strip() else para.text)
        report.text = doc.join(translated)
        for name in job.names.unresolved:
            report.unresolved_names.append(name.record(f"{doc.name}#{name.paragraph}"))
        return report

    def _report_names(self, report: DocumentReport, paragraph_id: str, u: _Unit) -> None:
        """*u*'s inferred names: ``inferred`` when protected (``names="auto"``), else candidates."""
        protected = self.names == "auto" and u.protected is not None
        found = self.enforcer.verifier.expected(u.out or "", [transient_entry(n) for n in u.names]) if protected else {}
        used: Counter[str] = Counter()
        for n in u.names:
            record = n.record(paragraph_id, u.sentence)
            record["type"] = n.type
            if protected:
                key = target_key(transient_entry(n))
                record["rendered"] = used[key] < len(found.get(key, ()))
                used[key] += 1
                report.inferred.append(record)
            else:
                record["evidence"] = n.evidence
                report.name_candidates.append(record)
