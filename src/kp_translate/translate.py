"""The library behind ``kp-translate translate``: files in, translated files and a term report out.

:func:`translate` lists the documents, checks the outputs, groups documents by source language
(``source="auto"`` identifies each document's language) and runs each group through one
:class:`~kp_translate.session.Translator`. Nothing is translated before the outputs are checked: an
output directory that is (or contains) an input directory, or a report or output file that would
overwrite an input, a glossary file or an output document, is an
:class:`~kp_translate.errors.InputError`. Each document is written (atomically) as soon as it is
finished. This module reads no standard input and writes no standard output: the CLI does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import SegmentCache
from .config import settings
from .engines.base import Engine
from .engines.pool import POOL
from .errors import EngineError, InputError
from .fileio import check_output, read_text, write_text_atomic
from .glossary import Glossary, load
from .infer import NAMES_MODES
from .lang import Pair, identify, registered
from .lang import pair as make_pair
from .report import DocumentReport, RunReport
from .segment import Document, split_document
from .session import ProgressCallback, Translator

__all__ = [
    "DocumentReport",
    "RunReport",
    "Translator",
    "collect_inputs",
    "identify_source",
    "translate",
    "translate_text",
    "warm_up",
]

#: below this confidence, ``--from auto`` says it could not tell
MIN_CONFIDENCE = 0.25


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


def _check_outputs(sources: Sequence[_Source], report: str | Path | None, glossary: Glossary) -> None:
    """Before anything is translated: no output document may overwrite a glossary file, and the
    report may overwrite neither an input, nor a glossary file, nor an output document."""
    inputs = [s.input for s in sources if s.input != "-"]
    outputs = [s.output for s in sources if s.output is not None]
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


def _resolve_engine(engine: str | Engine, pair: Pair, engine_options: dict[str, Any] | None) -> Engine:
    if isinstance(engine, str):
        return POOL.get(engine, pair, **(engine_options or {}))
    if engine.pair != pair:
        raise EngineError(f"the {engine.name} engine translates {engine.pair}, not {pair}")
    return engine


def warm_up(engine: str | Engine, source: str | None = None, target: str | None = None) -> None:
    """Start the engine a run from *source* into *target* will use (from the process's pool), so
    that it loads its data while the caller loads the glossary; nothing for ``source="auto"``
    (the documents' languages are not known yet) or an engine object."""
    if isinstance(engine, str):
        config = settings()
        source = source or config.source
        if source != "auto":
            _resolve_engine(engine, make_pair(source, target or config.target), None)


def _open_cache(use_cache: bool, cache_dir: str | Path | None) -> SegmentCache | None:
    return SegmentCache(cache_dir) if use_cache else None


def _write_report(report: RunReport, path: str | Path | None) -> None:
    if path is None:
        return
    import json

    write_text_atomic(path, json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")


@dataclass
class _Source:
    document: Document
    input: str
    output: Path | None


def identify_source(text: str) -> tuple[str, float]:
    """The registered source language *text* is written in, with the identifier's confidence."""
    return identify.identify(text, registered())


def translate(
    paths: Sequence[str | Path],
    output: str | Path | None,
    *,
    source: str | None = None,
    target: str | None = None,
    engine: str | Engine = "auto",
    glossary: Glossary | None = None,
    enforce: bool = True,
    names: str = "auto",
    report: str | Path | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    engine_options: dict[str, Any] | None = None,
    on_progress: ProgressCallback | None = None,
    on_done: Callable[[DocumentReport], None] | None = None,
) -> RunReport:
    """Translate files or directories of text from *source* (default: the project's source
    language; ``"auto"``: identify each document's) into *target* (default: the project's).

    *output* is a directory: each input keeps its relative path and file name under it (a file
    given directly keeps its name). ``None`` writes nothing (the translations are in
    ``report.documents[i].text``; *on_done* is called with each finished document's report).
    *report* names a JSON file for the term report. *on_progress(done, total)* is called as
    segments are translated (per language group with ``source="auto"``). *names* (``auto``,
    ``suggest``, ``off``): what to do with names the glossary lacks (:mod:`kp_translate.infer`).
    """
    started = time.perf_counter()
    if not paths:
        raise InputError("no input given")
    out_path = None if output is None else Path(output)
    if out_path is not None and out_path.exists() and not out_path.is_dir():
        raise InputError("the output must be a directory", out_path)
    sources: list[_Source] = []
    for path, rel in collect_inputs(paths, out_path):
        dest = out_path / rel if out_path is not None else None
        if dest is not None and dest.resolve() == path.resolve():
            raise InputError("the output would overwrite the input", path)
        sources.append(_Source(split_document(read_text(path), rel), str(path), dest))
    if report is not None:
        check_output(report, [s.input for s in sources], "an input")
        _check_report_location(Path(report), [Path(p) for p in paths], out_path)
    return _translate_sources(
        sources,
        source=source,
        target=target,
        engine=engine,
        glossary=glossary,
        enforce=enforce,
        names=names,
        report=report,
        cache_dir=cache_dir,
        use_cache=use_cache,
        engine_options=engine_options,
        on_progress=on_progress,
        on_done=on_done,
        started=started,
    )


def translate_text(
    text: str,
    *,
    source: str | None = None,
    target: str | None = None,
    engine: str | Engine = "auto",
    glossary: Glossary | None = None,
    enforce: bool = True,
    names: str = "auto",
    name: str = "-",
    cache_dir: str | Path | None = None,
    use_cache: bool = False,
    engine_options: dict[str, Any] | None = None,
    report: str | Path | None = None,
) -> RunReport:
    """Translate one text (e.g. standard input read by the CLI); the run report holds one
    document whose ``text`` is the translation."""
    return _translate_sources(
        [_Source(split_document(text, name), name, None)],
        source=source,
        target=target,
        engine=engine,
        glossary=glossary,
        enforce=enforce,
        names=names,
        report=report,
        cache_dir=cache_dir,
        use_cache=use_cache,
        engine_options=engine_options,
        started=time.perf_counter(),
    )


def _translate_sources(
    sources: list[_Source],
    *,
    source: str | None,
    target: str | None,
    engine: str | Engine,
    glossary: Glossary | None,
    enforce: bool,
    names: str,
    report: str | Path | None,
    cache_dir: str | Path | None,
    use_cache: bool,
    engine_options: dict[str, Any] | None,
    started: float,
    on_progress: ProgressCallback | None = None,
    on_done: Callable[[DocumentReport], None] | None = None,
) -> RunReport:
    if names not in NAMES_MODES:
        raise InputError(f"--names must be one of {', '.join(NAMES_MODES)}, not {names!r}")
    config = settings()
    target = target or config.target
    source = source or config.source
    # the language of each document, then one group (one engine, one Translator) per pair
    identified: list[tuple[str, float] | None] = [None] * len(sources)
    groups: dict[Pair, list[int]] = {}
    for i, s in enumerate(sources):
        lang = source
        if source == "auto":
            found = identify_source(s.document.text)
            identified[i] = found
            if found[1] < MIN_CONFIDENCE:
                raise InputError(
                    f"cannot tell which language this is (best guess {found[0]}, confidence {found[1]:.2f}): "
                    "give --from",
                    s.input,
                )
            lang = found[0]
        groups.setdefault(make_pair(lang, target), []).append(i)
    # the engines first: their processes load their data while the glossary loads and compiles
    engines = {pair: _resolve_engine(engine, pair, engine_options) for pair in groups}
    glossary = glossary if glossary is not None else load()
    _check_outputs(sources, report, glossary)
    cache = SegmentCache(cache_dir) if use_cache else None
    try:
        translators = {
            pair: Translator(eng, glossary, enforce=enforce, cache=cache, names=names) for pair, eng in engines.items()
        }
        first = next(iter(translators.values()))
        result = RunReport(
            engine=first.engine.name,
            model_id=",".join(dict.fromkeys(t.model_id for t in translators.values())),
            pair=",".join(str(p) for p in translators),
            glossary_version=",".join(dict.fromkeys(t.glossary.version for t in translators.values())),
            glossary_files=list(glossary.files),
            enforce=enforce,
        )
        reports: list[DocumentReport | None] = [None] * len(sources)
        for pair, members in groups.items():
            translator = translators[pair]
            translator.on_progress = on_progress

            def finished(k: int, doc_report: DocumentReport, members: list[int] = members) -> None:
                i = members[k]
                s = sources[i]
                doc_report.identified = identified[i]
                if s.output is not None:
                    doc_report.output = str(s.output)
                    write_text_atomic(s.output, doc_report.text)
                reports[i] = doc_report
                if on_done is not None:
                    on_done(doc_report)

            translator.translate_documents(
                [sources[i].document for i in members], [sources[i].input for i in members], finished
            )
            result.cache_hits += translator.hits
            result.cache_misses += translator.misses
        result.documents = [r for r in reports if r is not None]
        result.seconds = time.perf_counter() - started
        _write_report(result, report)
        return result
    finally:
        if cache is not None:
            cache.close()
