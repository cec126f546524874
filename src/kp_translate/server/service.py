"""The translation service behind the HTTP API: warm engines from :data:`~kp_translate.engines.pool.POOL`,
one :class:`~kp_translate.session.Translator` per pair and glossary, and requests batched per engine.

Requests arrive on the server's worker threads. Each engine has one :class:`_Batcher`: a request
puts its documents in the queue, and whichever thread holds the engine takes every queued request
and runs them through the engine in one pass (one ``translate_documents`` per translator), so that
8 clients share the pipeline's throughput instead of queueing one by one. Each request gets its own
documents' reports back: the session keeps documents apart (Apertium's warm chains number every
record), so translations never mix. A request whose documents fail in a shared pass is tried
again alone, so one bad request cannot fail its neighbours; a pipeline that dies or hangs is
restarted by the engine and the segment fed again once (:mod:`kp_translate.engines.apertium`).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import settings as project_settings
from ..engines.base import Engine
from ..engines.pool import POOL
from ..errors import EngineError, InputError, KpError
from ..glossary import Glossary, load
from ..lang import Pair, codes, identify, registered, target_languages
from ..report import DocumentReport
from ..segment import Document, split_document
from ..session import Translator
from ..verify import form_key, form_pattern
from .glossaries import Combined, GlossaryStore, inline_glossary
from .html import Fragment, cut
from .limits import ApiError
from .settings import ServerSettings


@dataclass
class _Job:
    translator: Translator
    documents: list[Document]
    reports: list[DocumentReport] = field(default_factory=list)
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class _Batcher:
    """Serialises one engine: the thread that holds it runs every request queued meanwhile."""

    def __init__(self) -> None:
        self._engine = threading.Lock()
        self._queue = threading.Lock()
        self._pending: list[_Job] = []
        #: passes run and requests they carried (for /health and the benchmark)
        self.passes = 0
        self.requests = 0

    def run(self, translator: Translator, documents: list[Document]) -> list[DocumentReport]:
        job = _Job(translator, documents)
        with self._queue:
            self._pending.append(job)
        with self._engine:
            if not job.done.is_set():
                with self._queue:
                    jobs, self._pending = self._pending, []
                self._run(jobs)
        if job.error is not None:
            raise job.error
        return job.reports

    def _run(self, jobs: list[_Job]) -> None:
        groups: dict[int, list[_Job]] = {}
        for job in jobs:
            groups.setdefault(id(job.translator), []).append(job)
        try:
            for group in groups.values():
                self._pass(group)
        finally:
            for job in jobs:
                if job.error is None and len(job.reports) != len(job.documents):
                    job.error = EngineError("the translation was interrupted")
                job.done.set()

    def _pass(self, group: list[_Job]) -> None:
        translator = group[0].translator
        documents = [d for job in group for d in job.documents]
        self.passes += 1
        self.requests += len(group)
        try:
            reports = translator.translate_documents(documents)
        except Exception as exc:
            if len(group) == 1:
                group[0].error = exc
                return
            for job in group:  # alone, so that the failure stays with the request that has it
                self._pass([job])
            return
        pos = 0
        for job in group:
            job.reports = reports[pos : pos + len(job.documents)]
            pos += len(job.documents)


@dataclass
class _Item:
    """One item of ``q``: its text, the documents it is translated as, and its result."""

    text: str
    fragment: Fragment | None = None
    language: str = ""
    confidence: float = 0.0
    documents: list[Document] = field(default_factory=list)
    reports: list[DocumentReport] = field(default_factory=list)
    translator: Translator | None = None
    translated: str = ""
    #: the documents whose translation the result holds (html: a block whole, or its runs)
    used: list[int] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return self.fragment.plain if self.fragment is not None else self.text


class TranslationService:
    """Languages, glossaries and translation for the API (no HTTP in here)."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.default_source = settings.default_source and codes.normalise(settings.default_source)
        self.glossary: Glossary = load(settings.glossary or None)
        self.store = GlossaryStore(settings.store_dir(), self.default_source or project_settings().source)
        self._combined = Combined()
        self._translators: dict[tuple[object, ...], Translator] = {}
        self._batchers: dict[int, _Batcher] = {}
        self._lock = threading.Lock()
        self._sources: list[str] | None = None

    # -- languages --------------------------------------------------------------------------

    def sources(self) -> list[str]:
        """Source languages an engine is installed for (into English)."""
        if self._sources is None:
            from ..engines import apertium

            found = []
            for code in registered():
                pair = Pair(code, "en")
                if self.settings.engine in ("auto", "apertium") and apertium.route_for(pair) is not None:
                    found.append(code)
                elif self.settings.engine in ("auto", "argos"):
                    from ..engines import argos

                    if argos.available(pair):
                        found.append(code)
            self._sources = found
        return self._sources

    def languages(self) -> list[dict[str, Any]]:
        """LibreTranslate's ``/languages``: each language with the languages it translates into."""
        out = [{"code": c, "name": codes.name(c), "targets": ["en"]} for c in self.sources()]
        out.append({"code": "en", "name": codes.name("en"), "targets": []})
        return out

    def source_code(self, given: str) -> str:
        try:
            code = codes.normalise(given)
        except ValueError:
            raise ApiError(400, f"{given} is not supported") from None
        if code not in self.sources() and code != "en":
            raise ApiError(400, f"{given} is not supported")
        return code

    def detect(self, text: str) -> tuple[str, float]:
        """The language of *text* among the sources and English, confidence 0-100."""
        lang, confidence = identify.identify(text, (*self.sources(), "en"))
        return lang, round(100 * confidence, 1)

    # -- engines and translators ----------------------------------------------------------------

    def engine(self, pair: Pair) -> Engine:
        try:
            return POOL.get(self.settings.engine, pair, **self._options(pair))
        except EngineError as exc:
            raise ApiError(400, f"{pair.source} is not supported ({exc.message})") from None

    def _options(self, pair: Pair) -> dict[str, Any]:
        """Engine options: the pipeline timeout, for Apertium only (``auto`` without an Argos package)."""
        if not self.settings.timeout or self.settings.engine == "argos":
            return {}
        if self.settings.engine == "auto":
            from ..engines import argos

            if argos.available(pair):
                return {}
        return {"timeout": self.settings.timeout}

    def warm(self) -> None:
        """Start the engines the settings name (and their matchers), before the first request."""
        for code in self.settings.warm:
            pair = Pair(codes.normalise(code), "en")
            self.translator(pair, self.glossary.view(pair.source))

    def translator(self, pair: Pair, glossary: Glossary) -> Translator:
        engine = self.engine(pair)
        key = (id(engine), glossary.version)
        with self._lock:
            found = self._translators.get(key)
            if found is None:
                found = self._translators[key] = Translator(engine, glossary)
                if len(self._translators) > 64:  # request glossaries come and go
                    oldest = next(iter(self._translators))
                    del self._translators[oldest]
            return found

    def batcher(self, engine: Engine) -> _Batcher:
        with self._lock:
            return self._batchers.setdefault(id(engine), _Batcher())

    # -- request glossaries -----------------------------------------------------------------

    def request_glossary(self, params: dict[str, Any], source: str) -> Glossary | None:
        """The glossary a request adds (``glossary_id`` and/or inline ``glossary``), or None."""
        inline = params.get("glossary")
        gid = params.get("glossary_id")
        if inline in (None, "", []) and gid in (None, ""):
            return None
        if source == "auto":
            if self.default_source is None:
                raise ApiError(
                    400, "a glossary needs a source language: give 'source' (the server has no default source)"
                )
            source = self.default_source
        parts: list[Glossary] = []
        if gid not in (None, ""):
            stored = self.store.get(str(gid))
            if stored is None:
                raise ApiError(400, f"no glossary with id '{gid}'")
            parts.append(stored.glossary)
        if inline not in (None, "", []):
            try:
                parts.append(inline_glossary(inline, source))
            except InputError as exc:
                raise ApiError(400, f"Invalid glossary: {exc}") from None
        if len(parts) == 1:
            return parts[0]
        entries = [e for g in parts for e in g.view(source)]
        return Glossary(entries, [f for g in parts for f in g.files], default_source=source, source=source)

    # -- translation ------------------------------------------------------------------------

    def translate(
        self, texts: Sequence[str], source: str, fmt: str, extra: Glossary | None
    ) -> tuple[list[_Item], list[Translator]]:
        """Translate *texts* (each an item of ``q``) from *source* (a code or ``auto``) into English."""
        items = [_Item(t, cut(t) if fmt == "html" else None) for t in texts]
        for n, item in enumerate(items):
            if source == "auto":
                item.language, item.confidence = self.detect(item.plain)
                if item.language == "und":
                    item.language = self.default_source or project_settings().source
            else:
                item.language, item.confidence = source, 100.0
            runs = item.fragment.units if item.fragment is not None else [item.text]
            item.documents = [split_document(t, f"q{n}.{k}") for k, t in enumerate(runs)]
        by_engine: dict[int, list[_Item]] = {}
        translators: dict[int, Translator] = {}
        for item in items:
            if item.language == "en":
                continue
            pair = Pair(item.language, "en")
            item.translator = self.translator(pair, self._combined(self.glossary, extra, item.language))
            translators[id(item.translator)] = item.translator
            by_engine.setdefault(id(item.translator.engine), []).append(item)
        for group in by_engine.values():
            # one job per translator of this engine (usually one)
            per_translator: dict[int, list[_Item]] = {}
            for item in group:
                assert item.translator is not None
                per_translator.setdefault(id(item.translator), []).append(item)
            for members in per_translator.values():
                translator = members[0].translator
                assert translator is not None
                documents = [d for item in members for d in item.documents]
                try:
                    reports = self.batcher(translator.engine).run(translator, documents)
                except InputError as exc:
                    raise ApiError(400, str(exc)) from None
                except KpError as exc:
                    raise ApiError(500, str(exc)) from None
                pos = 0
                for item in members:
                    item.reports = reports[pos : pos + len(item.documents)]
                    pos += len(item.documents)
        for item in items:
            if item.translator is None:
                item.translated = item.text
            elif item.fragment is not None:
                item.translated, item.used = item.fragment.fill([r.text for r in item.reports])
            else:
                item.translated = item.reports[0].text if item.reports else item.text
                item.used = [0] if item.reports else []
        return items, list(translators.values())


def segment_record(item: _Item) -> dict[str, Any]:
    """The ``glossary.segments`` record of one item: what was enforced (with its offsets in code
    points into the item's translated text), inferred and failed."""
    record: dict[str, Any] = {"enforced": [], "inferred": [], "failed": []}
    translator = item.translator
    if translator is None:
        return record
    glossary = translator.glossary
    text = item.translated
    enforced: list[tuple[str, str]] = []  # (entry id, source form), in source order
    for k in item.used:
        document, report = item.documents[k], item.reports[k]
        failed = Counter((f["entry"], f["source"]) for f in report.failures)
        for m in translator.enforcer.matches(document.text):
            if failed[(m.entry.id, m.form)]:
                failed[(m.entry.id, m.form)] -= 1
                continue
            enforced.append((m.entry.id, m.form))
        for f in report.failures:
            record["failed"].append(
                {"entry": f["entry"], "source": f["source"], "target": f["target"], "reason": f["reason"]}
            )
        for inferred in getattr(report, "inferred", []):
            record["inferred"].append({k: v for k, v in inferred.items() if k not in ("paragraph", "sentence")})
    entries = {eid: glossary.get(eid) for eid, _ in enforced}
    found = translator.enforcer.verifier.expected(text, [e for e in entries.values() if e is not None])
    used: Counter[str] = Counter()
    for eid, form in enforced:
        entry = entries[eid]
        if entry is None:
            continue
        key = form_key(entry.target, entry.case_sensitive)
        spots = found.get(key, [])
        spot = spots[used[key]] if used[key] < len(spots) else None
        used[key] += 1
        record["enforced"].append(
            {
                "entry": eid,
                "source": form,
                "target": entry.target,
                "start": spot.start if spot is not None else None,
                "end": spot.end if spot is not None else None,
                "note": entry.note,
                "type": entry.type,
            }
        )
    pos = 0
    for rec in record["inferred"]:
        target = str(rec.get("target", ""))
        pattern = form_pattern(form_key(target, True), True) if target else None
        hit: Any = pattern.search(text, pos) or pattern.search(text) if pattern is not None else None
        rec["start"], rec["end"] = (hit.start(), hit.end()) if hit is not None else (None, None)
        if hit is not None:
            pos = hit.end()
    return record


def target_ok(target: str) -> str:
    try:
        code = codes.normalise(target)
    except ValueError:
        raise ApiError(400, f"{target} is not supported") from None
    if code not in target_languages():
        raise ApiError(400, f"{target} is not supported")
    return code
