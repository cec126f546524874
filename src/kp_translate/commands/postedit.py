"""``kp-translate postedit``: the translated dossier as PO for post-editors, and back."""

from __future__ import annotations

import click

from ..fileio import check_output, write_text_atomic
from .options import glossary_option, load_glossary, pair_options, resolve_pair


@click.group()
def postedit() -> None:
    """Exchange the translated dossier with post-editors as PO."""


@postedit.command("export")
@click.argument("source", type=click.Path(path_type=str))
@click.option(
    "--translations",
    "-t",
    type=click.Path(path_type=str),
    default="out/en",
    show_default=True,
    help="Machine translation: one English file per French file, same name and paragraph count.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="PO file (default: stdout).")
@glossary_option
@pair_options()
@click.option("--lang", default=None, help="Language code for the PO header (default: --to's).")
def export(
    source: str,
    translations: str,
    output: str | None,
    glossary_paths: tuple[str, ...],
    source_lang: str | None,
    target_lang: str | None,
    lang: str | None,
) -> None:
    """Write the source documents in SOURCE and their translation as one PO file.

    msgid: a French paragraph; msgstr: its machine translation, flagged fuzzy; '#.' comments:
    the glossary terms of the paragraph and their required English; '#:' file:paragraph.

    \b
    Examples:
      kp-translate postedit export corpus/fr --translations out/en -o dossier.po
      kp-translate postedit export corpus/es --translations out/es-en --from es -o dossier.es.po
    """
    from ..glossary import default_paths
    from ..postedit import postedit_export

    source_language, target = resolve_pair(source_lang, target_lang)
    if output:
        check_output(output, [source], "the source")
        check_output(output, [translations], "the translations")
        check_output(output, list(glossary_paths) or default_paths(), "the glossary")
    text = postedit_export(
        source, translations, load_glossary(glossary_paths), lang=lang or target, source_language=source_language
    )
    if output:
        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@postedit.command("import")
@click.argument("po_file", type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=str),
    required=True,
    help="Directory for the English documents.",
)
@click.option(
    "--src",
    "--source",
    "source",
    type=click.Path(path_type=str),
    default=None,
    help="Source documents (default: corpus/<LANG>; the PO header's X-Source-Dir is never read). --source is an alias.",
)
@pair_options()
def import_(po_file: str, output: str, source: str | None, source_lang: str | None, target_lang: str | None) -> None:
    """Write the post-edited translation in PO_FILE as English documents.

    Each document gets the layout of its French original (same paragraphs, separators and
    metadata prefix). Empty msgstr: the French paragraph is kept, with a warning. The output
    directory may not be the French directory or lie inside it.

    Example: kp-translate postedit import dossier.po -o out/en
    """
    from ..postedit import postedit_import

    source_language, _ = resolve_pair(source_lang, target_lang)
    result = postedit_import(po_file, output, source=source, source_language=source_language)
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(result.summary())
