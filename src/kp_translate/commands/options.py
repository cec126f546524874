"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def glossary_option(f: F) -> F:
    """``--glossary PATH`` (repeatable): a glossary directory, ``.kpg`` file, or two-column TSV/CSV."""
    return click.option(
        "--glossary",
        "-g",
        "glossary_paths",
        multiple=True,
        type=click.Path(path_type=str),
        help="Glossary directory, .kpg file, or two-column TSV/CSV (repeatable). "
        "Default: $KP_TRANSLATE_GLOSSARY, else ./glossary.",
    )(f)


def load_glossary(paths: tuple[str, ...] | list[str]) -> Any:
    """The glossary of ``--glossary`` (the default one when none is given); for a command with a
    segment cache (``--cache-dir``, ``--no-cache``), through the compiled-glossary cache beside it."""
    from ..glossary import load

    return load(list(paths) if paths else None, compiled=_compiled_cache())


def _compiled_cache() -> str | None:
    """The cache directory of the running command, unless it has none or ``--no-cache`` was given."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or "no_cache" not in ctx.params or ctx.params["no_cache"]:
        return None
    from ..cache import default_cache_dir

    return ctx.params.get("cache_dir") or str(default_cache_dir())


def pair_options(*, auto: bool = False) -> Callable[[F], F]:
    """``--from LANG`` and ``--to LANG``: the language pair (default: ``[tool.kp-translate] source``
    and ``target`` of the nearest pyproject.toml, else fr and en). With *auto*, ``--from auto``
    identifies the language of each document."""

    def decorate(f: F) -> F:
        extra = " 'auto': identify each document's language." if auto else ""
        f = click.option(
            "--to",
            "target_lang",
            default=None,
            metavar="LANG",
            help="Target language (default: [tool.kp-translate] target, else en).",
        )(f)
        return click.option(
            "--from",
            "source_lang",
            default=None,
            metavar="LANG",
            help="Source language: fr, es, ca, gl, eu, pt, it (ISO 639-1 or 639-3; default: "
            "[tool.kp-translate] source, else fr)." + extra,
        )(f)

    return decorate


def resolve_pair(source_lang: str | None, target_lang: str | None, *, auto: bool = False) -> tuple[str, str]:
    """The pair the options name, codes normalised (``fra`` → ``fr``); a language kp-translate has
    no module for is a usage error."""
    from ..config import settings
    from ..lang import codes, registered, target_languages

    config = settings()
    out: list[str] = []
    for option, given, default, known in (
        ("--from", source_lang, config.source, registered()),
        ("--to", target_lang, config.target, target_languages()),
    ):
        value = given if given is not None else default
        if auto and option == "--from" and value == "auto":
            out.append("auto")
            continue
        try:
            code = codes.normalise(value)
        except ValueError:
            code = ""
        if code not in known:
            choices = ", ".join((*known, "auto") if auto and option == "--from" else known)
            raise click.BadParameter(f"unknown language '{value}' (known: {choices})", param_hint=option)
        out.append(code)
    return out[0], out[1]
