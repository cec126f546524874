"""Regular expressions built at run time (from a language's data or a segment's tokens), compiled
once per pattern; and module-level patterns compiled on first use (:func:`deferred`).

``regex.search(pattern, text)`` looks its pattern up in the ``regex`` module's own cache at every
call; that look-up (flags, locale and keyword checks) costs several microseconds, which made it a
tenth of the per-segment work in translation. :func:`compiled` is a plain dictionary look-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, cast

import regex

from . import rxstore


@lru_cache(maxsize=4096)
def compiled(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, kept for the life of the process (and its compiled form
    across runs: :mod:`kp_translate.rxstore`)."""
    return rxstore.get(pattern, flags)


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


class _Deferred:
    """A pattern compiled the first time one of its attributes is asked for (``pattern`` excepted:
    it is the source, known at once). Each attribute, once got, is kept on the object (a bound
    method included), so that the next look-up finds it without this class's help."""

    def __init__(self, compile: Callable[[str, int], Any], pattern: str, flags: int) -> None:
        self.pattern = pattern
        self._compile = compile
        self._flags = flags
        self._compiled: Any = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = self._compile(self.pattern, self._flags)
        value = getattr(self._compiled, name)
        setattr(self, name, value)
        return value


def deferred(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, done the first time the pattern is used: for the
    module-level patterns a run may never use (a one-sentence ``translate`` used 28 of the 58 its
    modules compiled; compiling the others took 13 ms of its start-up)."""
    return cast("regex.Pattern[str]", _Deferred(compiled, pattern, flags))


def deferred_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """:func:`deferred` for the standard library's ``re`` (patterns it reads exactly as ``regex``)."""
    return cast("re.Pattern[str]", _Deferred(re.compile, pattern, flags))
