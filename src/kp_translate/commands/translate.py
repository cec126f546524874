"""``kp-translate translate``: a thin wrapper over :func:`kp_translate.translate.translate`."""

from __future__ import annotations

import click

from ..engines import ENGINE_NAMES
from .options import glossary_option, load_glossary


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str, allow_dash=True),
    default=None,
    help="Output directory (each input keeps its relative path and file name); '-' or omitted with '-' "
    "input: standard output.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_NAMES),
    default="auto",
    show_default=True,
    help="auto: Argos when a fr→en package is installed, else Apertium.",
)
@glossary_option
@click.option("--no-enforce", is_flag=True, help="Translate without protecting glossary terms (still reported).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=str), help="Write the JSON term report here.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Segment cache directory. Default: $KP_TRANSLATE_CACHE, else ~/.cache/kp-translate.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the segment cache.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Progress bar for several files.")
def translate(
    paths: tuple[str, ...],
    output: str | None,
    engine: str,
    glossary_paths: tuple[str, ...],
    no_enforce: bool,
    report: str | None,
    cache_dir: str | None,
    no_cache: bool,
    progress: bool,
) -> None:
    """Translate French files or directories (*.txt) to English with enforced terminology.

    Every glossary term is rendered in its canonical English form; the terms that could not be
    enforced are listed in the report (--report) and counted on standard error.

    \b
    Examples:
      kp-translate translate corpus/fr -o out/en --report out/report.json
      echo "Le dirigeant nord-coréen Kim Jong-un" | kp-translate translate -
    """
    from ..translate import translate as translate_paths

    if paths != ("-",) and output is None:
        raise click.UsageError("missing option '-o' / '--output' (an output directory)")
    result = translate_paths(
        list(paths),
        output,
        engine=engine,
        glossary=load_glossary(glossary_paths),
        enforce=not no_enforce,
        report=report,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        progress=progress,
    )
    click.echo(result.summary() + (f"; report: {report}" if report else ""), err=True)
