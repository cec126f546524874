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
    from ..glossary import load

    return load(list(paths) if paths else None)
