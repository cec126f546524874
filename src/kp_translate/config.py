"""Project settings read from the nearest ``pyproject.toml``: ``[tool.kp-translate]``.

``source`` is the default source language (the language of untagged glossary forms and of
``--from`` when it is not given), ``target`` the default target. Both default to ``fr``/``en``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import regex

from .errors import InputError
from .fileio import read_text
from .lang.base import Pair

DEFAULT_SOURCE = "fr"
DEFAULT_TARGET = "en"


def find_pyproject(start: str | Path | None = None) -> Path | None:
    """The nearest pyproject.toml from *start* (default: the working directory) upwards."""
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "pyproject.toml").is_file():
            return d / "pyproject.toml"
    return None


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed TOML file and its text; bad TOML is an :class:`InputError` with its line."""
    import tomllib  # here: most runs find no pyproject.toml, and need no TOML parser

    text = read_text(path)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        m = regex.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else text.count("\n") + (0 if text.endswith("\n") else 1)
        raise InputError(f"bad TOML: {exc}", path, line) from None


class Settings(NamedTuple):
    source: str = DEFAULT_SOURCE
    target: str = DEFAULT_TARGET
    path: str = ""


@lru_cache(maxsize=8)
def _settings_of(path: str) -> Settings:
    data, _ = read_toml(Path(path))
    section = data.get("tool", {}).get("kp-translate", {})
    if not isinstance(section, dict):
        raise InputError("[tool.kp-translate] must be a table", path)
    values: dict[str, str] = {}
    for key in ("source", "target"):
        value = section.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"[tool.kp-translate] {key} must be a language code, got {value!r}", path)
        values[key] = value.strip()
    return Settings(path=path, **values)


def settings(start: str | Path | None = None) -> Settings:
    """The project settings of the nearest pyproject.toml (defaults when there is none)."""
    path = find_pyproject(start)
    return Settings() if path is None else _settings_of(str(path))


CORPUS = Path("corpus")


def corpus_dir(lang: str) -> Path:
    """Where the project keeps its *lang* source documents: ``corpus/<lang>``."""
    return CORPUS / lang


def refs_dir(lang: str) -> Path:
    """Where the English references of the *lang* corpus are: ``corpus/ref/<lang>`` when it exists,
    else ``corpus/ref`` itself (the default language's references, from before there were others)."""
    sub = CORPUS / "ref" / lang
    return sub if sub.is_dir() else CORPUS / "ref"


def default_pair(start: str | Path | None = None) -> Pair:
    """The project's pair (``[tool.kp-translate] source/target``, else fr→en)."""
    config = settings(start)
    return Pair(config.source, config.target)
