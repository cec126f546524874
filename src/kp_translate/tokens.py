"""Placeholder tokens that are unique to their segment.

A placeholder is a capitalised nonsense word, a *prefix* and a letter code (``Kpxa``, ``Kpxb``, …
``Kpxza``, …; :func:`placeholder_code`). Restoration finds a placeholder again even when the engine
mangles it (a space before any letter, any case), so a segment whose own text holds something
that reads as the prefix under those rules (``Kpxa``, ``KPX``, ``Kp xa``) would have its own word
overwritten by a glossary target. :func:`free_prefix` therefore chooses, per segment, the first
prefix of :data:`PREFIXES` that the text does not contain (case-insensitively, spaces allowed
between its letters), then ``Kpxq``, ``Kpxqq``, …: one always exists, since a text of *n*
characters cannot contain ``Kpx`` followed by *n* ``q``.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from .rx import compiled

#: tried in order; each is a capitalised nonsense syllable that Apertium passes through unchanged
#: (tests/test_apertium.py checks every one in every position)
PREFIXES = ("Kpx", "Kqx", "Kvx", "Kwx", "Kjx")
CODE_LETTERS = "abcdefghijklmnopqrstuvwxy"  # 'z' only continues a code: the codes are prefix-free


def code_length(level: int) -> int:
    """Letters after the *level* z's of a placeholder code: 1 for levels 0 and 1, else *level*."""
    return max(1, level)


@lru_cache(maxsize=4096)
def placeholder_code(index: int) -> str:
    """Letter code of the *index*-th placeholder: a..y, za..zy, then zzaa..zzyy, zzzaaa..zzzyyy...

    The number of leading z's says how many letters follow (and ``z`` is not one of them), so the
    codes are prefix-free and grow logarithmically (the 10,000th is ``zzzowy``).
    """
    base = len(CODE_LETTERS)
    level = 0
    while index >= base ** code_length(level):
        index -= base ** code_length(level)
        level += 1
    letters: list[str] = []
    for _ in range(code_length(level)):
        index, rest = divmod(index, base)
        letters.append(CODE_LETTERS[rest])
    return "z" * level + "".join(reversed(letters))


def mangled(token: str) -> str:
    """A pattern matching *token* with a space inserted before any of its letters (use with
    ``regex.IGNORECASE`` for any case)."""
    return r"\s?".join(regex.escape(ch) for ch in token)


@lru_cache(maxsize=64)
def _mangled_pattern(prefix: str) -> regex.Pattern[str]:
    return compiled(mangled(prefix), regex.IGNORECASE)


def occurs(prefix: str, text: str) -> bool:
    """Whether *text* holds *prefix* as restoration would read it (any case, spaces between letters)."""
    return _mangled_pattern(prefix).search(text) is not None


def free_prefix(text: str, avoid: tuple[str, ...] = ()) -> str:
    """The first placeholder prefix that does not occur in *text* (see the module doc) and is not
    one of *avoid*."""
    for prefix in PREFIXES:
        if prefix not in avoid and not occurs(prefix, text):
            return prefix
    prefix = PREFIXES[0] + "q"
    while prefix in avoid or occurs(prefix, text):
        prefix += "q"
    return prefix
