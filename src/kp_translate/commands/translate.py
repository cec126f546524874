"""``kp-translate translate``: a thin wrapper over :func:`kp_translate.translate.translate`
(files) and :func:`kp_translate.translate.translate_text` (standard input). The library is
imported with the module, which the group imports only for this command: while the command line
starts, with the cyclic collector paused (:func:`kp_translate.gcpause.hold_startup`)."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..engines import ENGINE_NAMES
from ..errors import InputError
from ..fileio import check_output, write_text_atomic
from ..prestart import settle
from ..translate import collect_inputs, translate_text, warm_up
from ..translate import translate as translate_paths
from .options import glossary_option, load_glossary, pair_options, resolve_pair
from .stdio import read_stdin


class _ProgressBar:
    """A click progress bar on stderr, created on the first update (multi-file runs only)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._last = 0

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=max(total, 1), label="translating", file=sys.stderr)
            self._bar.__enter__()
        elif done < self._last:  # the next language group of a --from auto run
            self.close()
            self._bar, self._last = None, 0
            return self(done, total)
        self._bar.update(done - self._last)
        self._last = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str, allow_dash=True),
    default=None,
    help="Output directory (each input keeps its relative path and file name); with '-' input: the output "
    "file, or '-'/omitted for standard output.",
)
@pair_options(auto=True)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_NAMES),
    default="auto",
    show_default=True,
    help="auto: Argos when a package for the pair is installed, else Apertium.",
)
@glossary_option
@click.option("--no-enforce", is_flag=True, help="Translate without protecting glossary terms (still reported).")
@click.option(
    "--names",
    type=click.Choice(["auto", "suggest", "off"]),
    default="auto",
    show_default=True,
    help="Names the glossary lacks: auto = resolve by rule (Russian, Korean, CLDR places) and protect them; "
    "suggest = only list them in the report; off = leave them to the engine.",
)
@click.option("--report", type=click.Path(dir_okay=False, path_type=str), help="Write the JSON term report here.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Segment cache directory. Default: $KP_TRANSLATE_CACHE, else ~/.cache/kp-translate.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the segment cache.")
@click.option(
    "--progress",
    type=click.Choice(["bar", "json"]),
    is_flag=False,
    flag_value="bar",
    default="bar",
    show_default=True,
    help="Progress on standard error: a bar (several files, or JSONL: documents/s and ETA), or one JSON "
    "object a line for schedulers (JSONL).",
)
@click.option("--no-progress", is_flag=True, help="No progress report.")
@click.option(
    "--input-format",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="text: files and directories of *.txt; jsonl: one JSON Lines archive, one document a line.",
)
@click.option("--id-field", default="id", show_default=True, help="JSONL: the field holding a document's id.")
@click.option("--text-field", default="text", show_default=True, help="JSONL: the field holding its text.")
@click.option(
    "--on-error",
    type=click.Choice(["skip", "fail"]),
    default="skip",
    show_default=True,
    help="JSONL: a malformed line is reported and skipped, or stops the run (finished documents are kept).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="JSONL: local worker processes (each with its own warm engine), or Ray actors with --backend ray.",
)
@click.option(
    "--backend",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="JSONL: this machine, or a Ray cluster (pip install 'kp-translate[ray]').",
)
@click.option("--address", default=None, metavar="ADDR", help="Ray: the cluster to join (default: a local Ray).")
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=64, show_default=True, help="JSONL: documents per batch."
)
def translate(
    paths: tuple[str, ...],
    output: str | None,
    source_lang: str | None,
    target_lang: str | None,
    engine: str,
    glossary_paths: tuple[str, ...],
    no_enforce: bool,
    names: str,
    report: str | None,
    cache_dir: str | None,
    no_cache: bool,
    progress: str,
    no_progress: bool,
    input_format: str,
    id_field: str,
    text_field: str,
    on_error: str,
    workers: int,
    backend: str,
    address: str | None,
    batch_size: int,
) -> None:
    """Translate files or directories (*.txt) into English with enforced terminology.

    Every glossary term is rendered in its canonical English form; the terms that could not be
    enforced are listed in the report (--report) and counted on standard error.

    \b
    Examples:
      kp-translate translate corpus/fr -o out/en --report out/report.json
      kp-translate translate corpus/es -o out/es-en --from es
      echo "Le dirigeant nord-coréen Kim Jong-un" | kp-translate translate -
      kp-translate translate archive.jsonl --input-format jsonl -o archive.en.jsonl --from es --workers 2
    """
    source, target = resolve_pair(source_lang, target_lang, auto=True)
    try:
        if input_format != "jsonl" or (workers == 1 and backend == "local"):  # else the workers translate
            warm_up(engine, source, target)  # its processes load their data while the glossary loads
    finally:
        settle()  # chains started early that the engine did not take are stopped
    glossary = load_glossary(glossary_paths)
    options: dict[str, Any] = dict(
        source=source,
        target=target,
        engine=engine,
        glossary=glossary,
        enforce=not no_enforce,
        names=names,
        report=report,
        cache_dir=cache_dir,
        use_cache=not no_cache,
    )
    jsonl_options: dict[str, Any] = dict(
        id_field=id_field,
        text_field=text_field,
        on_error=on_error,
        workers=workers,
        backend=backend,
        address=address,
        batch_size=batch_size,
    )
    if input_format != "jsonl" and (workers != 1 or backend != "local" or address is not None):
        raise click.UsageError("--workers, --backend and --address apply to --input-format jsonl")
    if input_format == "jsonl":
        _translate_jsonl(paths, output, options, progress=None if no_progress else progress, **jsonl_options)
        return
    if paths == ("-",):
        if output not in (None, "-"):
            check_output(output, glossary.files, "a glossary file")
            if report is not None:
                check_output(report, [output], "the output file")
        result = translate_text(read_stdin(), **options)
        text = result.documents[0].text
        if output in (None, "-"):
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_text_atomic(output, text)
    else:
        if "-" in paths:
            raise InputError("'-' (standard input) cannot be mixed with files")
        if output is None:
            raise click.UsageError("missing option '-o' / '--output' (an output directory)")
        inputs = collect_inputs(paths)
        if output == "-" and len(inputs) != 1:
            raise InputError("'-o -' (standard output) takes a single input")
        bar = _ProgressBar() if not no_progress and len(inputs) > 1 else None
        try:
            result = translate_paths(list(paths), None if output == "-" else output, on_progress=bar, **options)
        finally:
            if bar is not None:
                bar.close()
        if output == "-":
            sys.stdout.write(result.documents[0].text)
    click.echo(result.summary() + (f"; report: {report}" if report else ""), err=True)


def _translate_jsonl(
    paths: tuple[str, ...], output: str | None, options: dict[str, Any], *, progress: str | None, **jsonl: Any
) -> None:
    """``--input-format jsonl``: one archive in, one archive out (:func:`kp_translate.batch.translate_jsonl`)."""
    from ..batch import translate_jsonl
    from .progress import DocumentBar, JsonProgress

    if len(paths) != 1 or paths[0] == "-":
        raise click.UsageError("--input-format jsonl takes one JSON Lines file")
    if output is None or output == "-":
        raise click.UsageError("missing option '-o' / '--output' (the output JSON Lines file)")
    reporter = JsonProgress() if progress == "json" else DocumentBar() if progress == "bar" else None
    try:
        result = translate_jsonl(paths[0], output, on_progress=reporter, **options, **jsonl)
    finally:
        if reporter is not None:
            reporter.close()
    report = options.get("report")
    click.echo(result.summary() + (f"; report: {report}" if report else ""), err=True)
