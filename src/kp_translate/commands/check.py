"""``kp-translate check``: the CI gate, a thin wrapper over :func:`kp_translate.check.check`."""

from __future__ import annotations

import sys

import click

from .options import glossary_option, load_glossary, pair_options, resolve_pair


@click.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option(
    "--ref",
    type=click.Path(path_type=str),
    default=None,
    help="Reference directory (default: corpus/ref/<LANG>, or corpus/ref).",
)
@click.option("--src", type=click.Path(path_type=str), default=None, help="Source dossier (default: corpus/<LANG>).")
@pair_options()
@glossary_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the report (in --format) to FILE; the text report still goes to stdout.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="TOML file with [tool.kp-translate.check] (default: the nearest pyproject.toml).",
)
@click.option("--translate", "do_translate", is_flag=True, help="PATH is the source dossier: translate it first.")
@click.option(
    "--engine",
    type=click.Choice(["auto", "apertium", "argos"]),
    default="auto",
    show_default=True,
    help="Engine for --translate.",
)
@click.option(
    "--translated",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="With --translate: keep the translation in this directory (default: a temporary one).",
)
@click.option("--color/--no-color", "colour", default=None, help="Colour the text report (default: if a TTY).")
def check(
    path: str,
    ref: str | None,
    src: str | None,
    source_lang: str | None,
    target_lang: str | None,
    glossary_paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    config: str | None,
    do_translate: bool,
    engine: str,
    translated: str | None,
    colour: bool | None,
) -> None:
    """Check a translated dossier against the thresholds of [tool.kp-translate.check].

    Exit status: 0 every gate passed, 1 a gate failed, 2 usage or input error.

    \b
    Examples (from the repository root):
      kp-translate check out/en
      kp-translate check out/en --format junit -o kp-check.xml
      kp-translate check corpus/fr --translate --engine apertium
      kp-translate check out/es-en --from es
    """
    from .. import check as check_lib
    from ..fileio import check_output, write_text_atomic
    from ..glossary import default_paths
    from .render import check_junit, check_text, to_json

    source, target = resolve_pair(source_lang, target_lang)
    if output:  # before any work: the report must not replace what it reports on
        inputs = check_lib.input_paths(
            path, src=src, ref=ref, config=config, translate=do_translate, translated=translated, source=source
        )
        for what, given in inputs:
            check_output(output, [given], what)
        check_output(output, list(glossary_paths) or default_paths(), "the glossary")
    glossary = load_glossary(glossary_paths)
    report = check_lib.check(
        path,
        src=src,
        ref=ref,
        glossary=glossary,
        config=config,
        translate=do_translate,
        engine=engine,
        translated=translated,
        source=source,
        target=target,
    )
    use_colour = colour if colour is not None else sys.stdout.isatty()
    if fmt == "json":
        text = to_json(report.to_dict())
    elif fmt == "junit":
        text = check_junit(report)
    else:
        text = check_text(report, colour=False)
    if output:
        write_text_atomic(output, text)
        click.echo(check_text(report, colour=use_colour), nl=False, color=use_colour)
        click.echo(f"report written to {output}")
    elif fmt == "text":
        click.echo(check_text(report, colour=use_colour), nl=False, color=use_colour)
    else:
        click.echo(text, nl=False)
    sys.exit(report.exit_code)
