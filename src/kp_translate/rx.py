"""Regular expressions built at run time (from a language's data or a segment's tokens), compiled
once per pattern.

``regex.search(pattern, text)`` looks its pattern up in the ``regex`` module's own cache at every
call; that look-up (flags, locale and keyword checks) costs several microseconds, which made it a
tenth of the per-segment work in translation. :func:`compiled` is a plain dictionary look-up.
"""

from __future__ import annotations

from functools import lru_cache

import regex


@lru_cache(maxsize=4096)
def compiled(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, kept for the life of the process."""
    return regex.compile(pattern, flags)
