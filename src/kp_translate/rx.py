"""Regular expressions built at run time (from a language's data or a segment's tokens), compiled
once per pattern.

``regex.search(pattern, text)`` looks its pattern up in the ``regex`` module's own cache at every
call; that look-up (flags, locale and keyword checks) costs several microseconds, which made it a
tenth of the per-segment work in translation. :func:`compiled` is a plain dictionary look-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import regex


@lru_cache(maxsize=4096)
def compiled(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, kept for the life of the process."""
    return regex.compile(pattern, flags)


def sub_where(pattern: regex.Pattern[str] | re.Pattern[str], repl: Any, text: str, needles: Iterable[str]) -> str:
    """``pattern.sub(repl, text)``, or *text* itself when it holds none of *needles*: for a pattern
    every match of which holds one of them (a look-ahead counts), whose scan of a text is then
    skipped at the cost of a few substring tests (a string of characters is a set of needles)."""
    if any(map(text.__contains__, needles)):
        return str(pattern.sub(repl, text))
    return text


@lru_cache(maxsize=256)
def needles_pattern(needles: str | tuple[str, ...]) -> re.Pattern[str]:
    """A pattern finding any of *needles* (the characters of a string, or the strings of a tuple):
    in a short text, one search is quicker than a substring test per needle."""
    return re.compile("|".join(re.escape(n) for n in needles))
