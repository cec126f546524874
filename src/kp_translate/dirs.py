"""Where kp-translate keeps what it caches for the user (standard library only: read before the
command line is parsed, by :mod:`kp_translate.prestart`)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_cache_dir"]


def default_cache_dir() -> Path:
    """``$KP_TRANSLATE_CACHE``, else ``$XDG_CACHE_HOME/kp-translate``, else ``~/.cache/kp-translate``:
    the segment cache's directory, and that of the answers kept about the installation."""
    env = os.environ.get("KP_TRANSLATE_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "kp-translate"
