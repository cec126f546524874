"""Where kp-translate keeps what it caches for the user. :func:`cache_root` imports nothing but
:mod:`os`: :mod:`kp_translate.prestart` reads its record there before anything else is imported."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["cache_root", "default_cache_dir"]


def cache_root() -> str | None:
    """``$KP_TRANSLATE_CACHE``, else ``$XDG_CACHE_HOME/kp-translate``, else ``~/.cache/kp-translate``:
    the segment cache's directory, and that of the answers kept about the installation; ``None``
    when none of them can be known (no home directory: ``$HOME`` unset and no passwd entry)."""
    env = os.environ.get("KP_TRANSLATE_CACHE")
    if env:
        return env
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return os.path.join(xdg, "kp-translate")
    home = os.path.expanduser("~")
    if home.startswith("~"):  # (what pathlib.Path.home reports as an error)
        return None
    return os.path.join(home, ".cache", "kp-translate")


def default_cache_dir() -> Path:
    """:func:`cache_root` as a path; an :class:`~kp_translate.errors.InputError` when there is none
    (what only speeds a run up is then not kept)."""
    from pathlib import Path

    from .errors import InputError

    root = cache_root()
    if root is None:
        raise InputError(
            "no cache directory: there is no home directory; set KP_TRANSLATE_CACHE, give --cache-dir, or --no-cache"
        )
    return Path(root)


def read_record(filename: str) -> dict[str, object]:
    """The JSON object kept in *filename* of the cache directory; empty when it is missing,
    damaged, not an object, or there is no cache directory (a record only saves work)."""
    import json

    from .errors import InputError

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
