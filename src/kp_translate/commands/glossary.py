"""``kp-translate glossary``: check, export, import and suggest."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import glossary as glossary_lib
from .. import suggest as suggest_lib
from ..fileio import check_output, write_text_atomic
from .glossary_exchange import import_ as import_command
from .options import glossary_option, load_glossary, pair_options, resolve_pair


@click.group()
def glossary() -> None:
    """Check, export, import and extend the glossary."""


@glossary.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--quiet", "-q", is_flag=True, help="Print problems only, no summary.")
def check(paths: tuple[str, ...], quiet: bool) -> None:
    """Validate glossary files (default: the project glossary).

    Every problem is printed as FILE:LINE: MESSAGE; the exit code is 2 if there is any.

    Example: kp-translate glossary check glossary/
    """
    targets: list[str | Path] = list(paths) if paths else list(glossary_lib.default_paths())
    loaded, problems = glossary_lib.parse(targets)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(loaded.files)} file(s)", err=True)
        sys.exit(2)
    if not quiet:
        click.echo(f"ok: {len(loaded)} entries in {len(loaded.files)} file(s)")


@glossary.command("export")
@glossary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "po", "pot", "tbx", "tsv", "csv", "multi"]),
    default="json",
    show_default=True,
    help="multi: CSV with a header row of language codes, every language; po/pot/tsv/csv: one source "
    "language (--from); json/tbx: every language.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Output file (default: stdout).")
@pair_options()
@click.option("--lang", default=None, help="Language code written as the PO/TBX target language (default: --to's).")
@click.option(
    "--corpus",
    type=click.Path(exists=True, path_type=str),
    default=None,
    help="Corpus for PO '#:' references (default: ./corpus/<LANG> when present).",
)
def export(
    glossary_paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    source_lang: str | None,
    target_lang: str | None,
    lang: str | None,
    corpus: str | None,
) -> None:
    """Export the glossary as JSON, PO, POT, TBX, TSV, CSV or a multi-language CSV.

    \b
    Examples:
      kp-translate glossary export --format po -o glossary.po
      kp-translate glossary export --format po --from es -o glossary.es.po
      kp-translate glossary export --format tbx -o glossary.tbx
    """
    from ..config import corpus_dir
    from ..formats import export as export_glossary

    source, target = resolve_pair(source_lang, target_lang)
    loaded = load_glossary(glossary_paths)
    if output:
        # never overwrite a glossary file, nor drop an export where it would be read as glossary
        given = list(glossary_paths) or [str(p) for p in glossary_lib.default_paths()]
        check_output(output, [*loaded.files, *given], "the glossary")
    if corpus is None and corpus_dir(source).is_dir():
        corpus = str(corpus_dir(source))
    text = export_glossary(loaded, fmt, lang=lang or target, corpus=corpus, source=source)
    if output:
        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False)


@glossary.command("suggest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@glossary_option
@click.option(
    "--ignore",
    "ignore_path",
    type=click.Path(path_type=str),
    default=None,
    help="Ignore list (default: ignore.txt in the glossary directory).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--min-count", type=int, default=1, show_default=True, help="Only forms seen at least this often.")
@click.option(
    "--write",
    "write_path",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Write the candidates as draft .kpg stanzas (proposed target, type, country, rule) to this file.",
)
@click.option("--force", is_flag=True, help="With --write: replace an existing file.")
@pair_options()
def suggest(
    glossary_paths: tuple[str, ...],
    paths: tuple[str, ...],
    ignore_path: str | None,
    fmt: str,
    min_count: int,
    write_path: str | None,
    force: bool,
    source_lang: str | None,
    target_lang: str | None,
) -> None:
    """List names and terms in PATHS that the glossary does not cover yet.

    \b
    Examples:
      kp-translate glossary suggest corpus/fr
      kp-translate glossary suggest corpus/es --from es
      kp-translate glossary suggest article.txt --write new.kpg
    """
    from ..lang import get as get_language

    source, _ = resolve_pair(source_lang, target_lang)
    loaded = load_glossary(glossary_paths)
    if ignore_path is None:
        ignore_path = default_ignore_path(glossary_paths, source, loaded.default_source)
    ignore = suggest_lib.load_ignore(ignore_path)
    if write_path is not None:
        from ..errors import InputError

        if Path(write_path).exists() and not force:
            raise InputError("file exists: pass --force to replace it", write_path)
        check_output(write_path, [*paths, *loaded.files], "an input or glossary file")
        language = get_language(source)
        drafts = [d for d in suggest_lib.drafts(paths, loaded, ignore, language) if d.suggestion.count >= min_count]
        write_text_atomic(write_path, suggest_lib.render_drafts(drafts, loaded, language, loaded.default_source))
        ruled = sum(1 for d in drafts if d.rule)
        click.echo(f"wrote {len(drafts)} draft entries to {write_path} ({ruled} with a target proposed by a rule)")
        return
    found = [s for s in suggest_lib.suggest(paths, loaded, ignore, get_language(source)) if s.count >= min_count]
    if fmt == "json":
        click.echo(json.dumps([s.to_dict() for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("nothing to suggest: every name and term is covered")
        return
    width = max(len(s.form) for s in found)
    for s in found:
        click.echo(f"{s.count:4d}  {s.form:<{width}}  {s.example}")
    click.echo(f"{len(found)} candidate(s) not in the glossary", err=True)


def default_ignore_path(glossary_paths: tuple[str, ...], source: str = "", default: str = "") -> str | None:
    """The ignore list of the first glossary directory that has one: ``ignore.<source>.txt`` for
    another language than the glossary's default, ``ignore.txt`` for the default."""
    name = "ignore.txt" if source == default else f"ignore.{source}.txt"
    dirs = [Path(p) for p in glossary_paths] if glossary_paths else glossary_lib.default_paths()
    for d in dirs:
        if d.is_dir() and (d / name).is_file():
            return str(d / name)
    return None


# `glossary import` lives with the PO exchange code.
glossary.add_command(import_command, "import")
