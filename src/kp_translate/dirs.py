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
