"""Sentence spans of a paragraph, from a language's abbreviations and inverted marks.

The rule is today's ``segment.split_sentences``: a sentence ends after ``. ! ? …`` (and closing
quotes or brackets) before white space and a capital or digit (optionally after an opening quote
or bracket, or an inverted mark ``¿ ¡`` in Spanish), unless the word before the full stop is an
abbreviation of the language or a single capital (an initial).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from ..rx import compiled, deferred

_CAPITAL = deferred(r"\p{Lu}")

if TYPE_CHECKING:
    from .base import Language


@lru_cache(maxsize=32)
def _sentence_end(inverted: str) -> regex.Pattern[str]:
    inv = regex.escape(inverted)
    opening = f'[«"“(\\[{inv}]' if inverted else '[«"“(\\[]'
    after = f"[{inv}]?[\\p{{Lu}}\\p{{N}}]" if inverted else "[\\p{Lu}\\p{N}]"
    return compiled(
        rf"""(?<=[.!?…])["»”’)\]]*(?=\s+(?:{opening}\s*)?[\p{{Lu}}\p{{N}}])"""
        rf"""|(?<=[.!?…]\s*[»”"])(?=\s+{after})""",
        regex.VERSION1,
    )


def abbreviation_tokens(abbreviations: frozenset[str]) -> frozenset[str]:
    """The words before a full stop that do not end a sentence: each abbreviation split at white
    space, final dots removed (``"EE. UU."`` → ``EE``, ``UU``; ``"J.-C."`` → ``J.-C``)."""
    return frozenset(piece.removesuffix(".") for a in abbreviations for piece in a.split())


_PREV_WORD = deferred(r"([\p{L}.\-]+)\.[\"»”’)\]]*$")


def split_sentences(text: str, lang: Language) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph: ``[(start, end), ...]`` covering all non-space text."""
    abbreviations = abbreviation_tokens(lang.abbreviations)
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _sentence_end(lang.inverted_marks).finditer(text):
        end = m.start()
        prev = _PREV_WORD.search(text[start:end])
        if prev and (prev.group(1) in abbreviations or _CAPITAL.fullmatch(prev.group(1))):
            continue
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
