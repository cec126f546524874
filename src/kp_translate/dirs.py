"""Where kp-translate keeps what it caches for the user (standard library only: read before the
command line is parsed, by :mod:`kp_translate.prestart`)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

__all__ = ["default_cache_dir"]


def default_cache_dir() -> Path:
    """``$KP_TRANSLATE_CACHE``, else ``$XDG_CACHE_HOME/kp-translate``, else ``~/.cache/kp-translate``:
    the segment cache's directory, and that of the answers kept about the installation. An
    :class:`InputError` when none of them can be known (no home directory: an account without
    one, ``$HOME`` unset); what only speeds a run up is then not kept."""
    env = os.environ.get("KP_TRANSLATE_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "kp-translate"
    try:
        home = Path.home()
    except RuntimeError:
        raise InputError(
            "no cache directory: there is no home directory; set KP_TRANSLATE_CACHE, give --cache-dir, or --no-cache"
        ) from None
    return home / ".cache" / "kp-translate"


def read_record(filename: str) -> dict[str, object]:
    """The JSON object kept in *filename* of the cache directory; empty when it is missing,
    damaged, not an object, or there is no cache directory (a record only saves work)."""
    import json

    try:
        data = json.loads((default_cache_dir() / filename).read_text(encoding="utf-8"))
    except (OSError, ValueError, InputError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str)} if isinstance(data, dict) else {}


def write_record(filename: str, entries: dict[str, object], keep: int) -> None:
    """Replace *filename* of the cache directory by *entries* (the last *keep* of them),
    atomically; a record that cannot be written is not kept."""
    import contextlib
    import json

    from .errors import KpError
    from .fileio import atomic_open

    items = list(entries.items())[-keep:]
    with contextlib.suppress(KpError, OSError), atomic_open(default_cache_dir() / filename) as fh:
        json.dump(dict(items), fh)
