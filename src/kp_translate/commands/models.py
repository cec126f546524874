"""``kp-translate models``: list, install and remove Argos Translate packages.

Thin wrappers over :mod:`kp_translate.engines.argos`. Only ``models install FROM TO`` uses the
network (the Argos package index and the package download), and only because the user asked.
"""

from __future__ import annotations

import json

import click

from ..engines import argos
from ..errors import EngineError


@click.group()
def models() -> None:
    """List and install Argos Translate model packages.

    Packages live in argostranslate's package directory (ARGOS_PACKAGES_DIR, default
    ~/.local/share/argos-translate/packages), shared with argostranslate itself.
    """


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def list_models(as_json: bool) -> None:
    """List installed packages, and those of the cached package index (no network).

    The package the argos engine uses for French→English is marked with '*'.

    Example: kp-translate models list
    """
    paths = argos.argos_paths()
    installed = argos.installed_packages()
    try:
        chosen: argos.PackageInfo | None = argos.find_package()
    except EngineError:
        chosen = None
    index = argos.cached_index()
    if as_json:
        doc = {
            "packages_dir": str(paths.packages_dir),
            "pairs": pair_lines(),
            "installed": [p.to_dict() | {"selected": p == chosen} for p in installed],
            "index": str(paths.local_index) if index is not None else None,
            "available": [
                {"code": e.code, "version": e.version, "from_code": e.from_code, "to_code": e.to_code}
                for e in index or []
            ],
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    click.echo(f"Installed in {paths.packages_dir}:")
    if not installed:
        click.echo("  (none)")
    for p in installed:
        mark = "*" if p == chosen else " "
        line = f" {mark}{p.name}  {p.code} {p.version}  {p.pair()}"
        click.echo(line + (f"  [unusable: {p.problem}]" if p.problem else ""))
    if chosen is None:
        click.echo(f"No usable fr→en package: {argos_install_hint()}")
    click.echo("Engines per pair (into English):")
    for line in pair_lines():
        click.echo("  " + line)
    if index is None:
        click.echo("No cached package index ('kp-translate models install FROM TO' fetches it when online).")
        return
    have = {(p.code, p.version) for p in installed}
    click.echo(f"Available from the cached package index ({paths.local_index}):")
    for e in sorted(index, key=lambda e: (e.from_code, e.to_code, e.code)):
        if e.type != "translate":
            continue
        flag = "  [installed]" if (e.code, e.version) in have else ""
        click.echo(f"  {e.from_code} {e.to_code}  {e.code} {e.version}  {e.pair()}{flag}")


def pair_lines() -> list[str]:
    """Per supported source language: the Argos package and the Apertium route that would
    translate it into English, or what to install (no network)."""
    from ..engines import apertium, install_hints
    from ..lang import Pair, registered

    lines = []
    for source in registered():
        pair = Pair(source, "en")
        hints = install_hints(pair)
        try:
            package = argos.find_package(from_code=source, to_code="en")
            argos_text = f"argos: {package.name} {package.version}"
        except EngineError:
            argos_text = "argos: missing"
        route = apertium.route_for(pair)
        apertium_text = f"apertium: {route}" if route is not None else "apertium: missing, " + hints["apertium"]
        lines.append(f"{source}→en  {argos_text}; {apertium_text}")
    return lines


def argos_install_hint() -> str:
    return (
        "'kp-translate models install --file translate-fr_en.argosmodel', or 'kp-translate models install fr en' online"
    )


@models.command("install")
@click.argument("codes", nargs=-1, metavar="[FROM TO]")
@click.option(
    "--file",
    "archive",
    type=click.Path(dir_okay=False, path_type=str),
    help="Install this local .argosmodel file (no network).",
)
def install(codes: tuple[str, ...], archive: str | None) -> None:
    """Install a package from a local .argosmodel file, or FROM TO from the Argos index (online).

    Examples:

      kp-translate models install --file translate-fr_en-1_9.argosmodel

      kp-translate models install fr en
    """
    if archive is not None and codes:
        raise click.UsageError("give either --file PATH or FROM TO, not both")
    if archive is not None:
        info = argos.install_file(archive)
    elif len(codes) == 2:
        click.echo(f"Downloading the Argos package index and the {codes[0]}→{codes[1]} package...", err=True)
        info = argos.install_from_index(codes[0], codes[1])
    else:
        raise click.UsageError("give --file PATH (a local .argosmodel) or two language codes, e.g. 'fr en'")
    click.echo(f"installed {info.code} {info.version} ({info.pair()}) in {info.path}")


@models.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Uninstall a package (its directory name or code, as shown by 'models list')."""
    info = argos.remove_package(name)
    click.echo(f"removed {info.name} ({info.path})")
