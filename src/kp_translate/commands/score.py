"""``kp-translate score``: a thin wrapper over :func:`kp_translate.score.score`."""

from __future__ import annotations

import sys

import click

from .options import glossary_option, load_glossary, pair_options, resolve_pair


@click.command()
@click.option(
    "--hyp",
    required=True,
    type=click.Path(path_type=str),
    help="Translated dossier directory, or a text file with one segment per line.",
)
@click.option(
    "--ref",
    "refs",
    multiple=True,
    type=click.Path(path_type=str),
    help="Reference directory (dossier; default corpus/ref/<LANG>, or corpus/ref, if present) or reference "
    "file(s), repeatable.",
)
@click.option(
    "--src",
    type=click.Path(path_type=str),
    default=None,
    help="Source: directory (dossier; default corpus/<LANG>) or file with one segment per line.",
)
@pair_options()
@click.option(
    "-m",
    "--metric",
    "metrics",
    multiple=True,
    type=click.Choice(["bleu", "chrf", "chrf++", "ter"]),
    help="sacrebleu metric(s) to compute, repeatable (default: all four; TER is the slow one).",
)
@glossary_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Write the report here.")
@click.option("--color/--no-color", "colour", default=None, help="Colour the text report (default: if a TTY).")
def score(
    hyp: str,
    refs: tuple[str, ...],
    src: str | None,
    source_lang: str | None,
    target_lang: str | None,
    metrics: tuple[str, ...],
    glossary_paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    colour: bool | None,
) -> None:
    """Score a translation: sacrebleu BLEU, chrF, chrF++, TER, and term metrics.

    \b
    Examples (from the repository root):
      kp-translate score --hyp out/en                  # dossier vs corpus/fr + corpus/ref
      kp-translate score --hyp out/es-en --from es     # vs corpus/es + corpus/ref/es
      kp-translate score --hyp hyp.txt --ref ref.txt --src src.txt --format json
    """
    from .. import score as score_lib
    from ..fileio import check_output, write_text_atomic
    from ..glossary import default_paths
    from ..metrics.sacre import KEYS
    from .render import score_text, to_json

    source, target = resolve_pair(source_lang, target_lang)
    uses_glossary = bool(glossary_paths or src or _is_dir(hyp))
    if output:  # before any work: the report must not replace what it reports on
        for what, given in score_lib.input_paths(hyp, list(refs) or None, src, source):
            check_output(output, [given], what)
        if uses_glossary:
            check_output(output, list(glossary_paths) or default_paths(), "the glossary")
    glossary = load_glossary(glossary_paths) if uses_glossary else None
    report = score_lib.score(
        hyp,
        list(refs) or None,
        src,
        glossary=glossary,
        stale="warn",
        metrics=metrics or KEYS,
        source=source,
        target=target,
    )
    for warning in report.warnings:
        click.echo(f"kp-translate: warning: {warning}", err=True)
    if fmt == "json":
        text = to_json(report.to_dict())
    else:
        use_colour = colour if colour is not None else (output is None and sys.stdout.isatty())
        text = score_text(report, colour=use_colour)
    if output:
        write_text_atomic(output, click.unstyle(text) if fmt == "text" else text)
    else:
        click.echo(text, nl=False, color=True if fmt == "text" and colour else None)


def _is_dir(path: str) -> bool:
    from pathlib import Path

    return Path(path).is_dir()
