"""``kp-translate glossary import``: merge a translator's PO file back into the glossary."""

from __future__ import annotations

import sys

import click

from .options import glossary_option


@click.command("import")
@click.argument("po_file", type=click.Path(dir_okay=True, path_type=str))
@glossary_option
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def import_(po_file: str, glossary_paths: tuple[str, ...], dry_run: bool) -> None:
    """Merge translators' changes in PO_FILE into the glossary's .kpg files.

    Changed msgstr -> 'target:', fuzzy removed -> 'status: reviewed', new '# ' comments ->
    'comment:' lines; nothing else in the files changes. Prints every edit and a summary
    (changed / unchanged / conflicts). Exit 1 if there are conflicts (those entries are left
    untouched, the others merged), 2 for a malformed PO file or glossary (nothing written).

    Example: kp-translate glossary import glossary.po --dry-run
    """
    from ..exchange import import_po

    result = import_po(po_file, glossary_paths or None, dry_run=dry_run)
    for change in result.changes:
        click.echo(str(change))
    for warning in result.warnings:
        click.echo(warning, err=True)
    for conflict in result.conflicts:
        click.echo(str(conflict), err=True)
    click.echo(result.summary())
    if result.conflicts:
        sys.exit(1)
