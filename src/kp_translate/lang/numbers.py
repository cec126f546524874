"""Numbers written with digits (and small numbers spelled out), read by a language's rules.

One reader for every language, built from :attr:`~Language.group_marks`,
:attr:`~Language.decimal_marks` and :attr:`~Language.multipliers`: Spanish ``11.000`` = 11000 and
``1,5 millones`` = 1500000; French ``11 000`` = 11000 and ``30,8`` = 30.8; English ``11,000`` and
``30.8``. Values are exact decimals written canonically (``"30800000"``, ``"30.8"``), so numbers of
two languages compare as strings. Text is read by the rules of the language it is supposed to be
in: English still reading ``11 000`` yields ``11`` and ``0``.

:func:`compare` is today's ``numbers.compare`` for any pair.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import regex

from ..rx import compiled

if TYPE_CHECKING:
    from .base import Language


class Number(NamedTuple):
    """A number as written (``text`` at ``start:end``) and its normalised ``value``."""

    start: int
    end: int
    text: str
    value: str  # canonical decimal string: "11000", "30.8", "5000000"


def canonical(d: Decimal) -> str:
    """``Decimal`` → canonical string (no exponent, no trailing zeros)."""
    d = d.normalize()
    return format(d, "f") if d == d.to_integral_value() else format(d, "f").rstrip("0")


def _alternation(words: list[str]) -> str:
    return "|".join(r"\s+".join(regex.escape(p) for p in w.split()) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=64)
def _digits_pattern(group: str, decimal: str, mults: tuple[str, ...]) -> regex.Pattern[str]:
    from .typography import GROUP_SPACES

    grouped = rf"\d{{1,3}}(?:[{regex.escape(group)}]\d{{3}})+(?!\p{{N}})|" if group else ""
    mult = rf"(?:[{GROUP_SPACES}]*(?P<mult>{_alternation(list(mults))})(?!\p{{L}}))?" if mults else ""
    return compiled(
        rf"(?<!\p{{N}})(?P<int>{grouped}\d+)(?:(?P<sep>[{regex.escape(decimal)}])(?P<frac>\d+))?(?!\p{{N}}){mult}"
    )


def pattern(lang: Language) -> regex.Pattern[str]:
    """The digit-number pattern of *lang* (groups ``int``, ``sep``, ``frac``, ``mult``)."""
    return _digits_pattern(lang.group_marks, lang.decimal_marks, tuple(lang.multipliers))


def extract(text: str, lang: Language) -> list[Number]:
    """Numbers written with digits in *text*, read by *lang*'s rules."""
    out: list[Number] = []
    mults = lang.multipliers
    for m in pattern(lang).finditer(text):
        digits = regex.sub(r"[^\d]", "", m.group("int"))
        value = Decimal(digits)
        if m.group("frac") is not None:
            value = Decimal(f"{digits}.{m.group('frac')}")
        mult = m.group("mult") if mults else None
        if mult:
            value *= Decimal(mults[" ".join(mult.split())])
        out.append(Number(m.start(), m.end(), m.group(), canonical(value)))
    return out


@lru_cache(maxsize=64)
def _spelled_pattern(words: tuple[str, ...], mults: tuple[str, ...]) -> regex.Pattern[str]:
    mult = rf"(?:[ -](?P<mult>{_alternation(list(mults))}))?" if mults else ""
    return compiled(rf"(?<!\p{{L}})(?P<word>{_alternation(list(words))}){mult}(?![\p{{L}}])", regex.IGNORECASE)


def spelled(text: str, lang: Language) -> Counter[str]:
    """Values of numbers spelled out in words (``cinq millions`` → ``"5000000"``)."""
    out: Counter[str] = Counter()
    if not lang.spelled_numbers:
        return out
    words = {k.lower(): v for k, v in lang.spelled_numbers.items()}
    mults = {k.lower(): v for k, v in lang.spelled_multipliers.items()}
    for m in _spelled_pattern(tuple(lang.spelled_numbers), tuple(lang.spelled_multipliers)).finditer(text):
        value = Decimal(words[" ".join(m.group("word").lower().split())])
        mult = m.group("mult") if mults else None
        if mult:
            value *= Decimal(mults[" ".join(mult.lower().split())])
        out[canonical(value)] += 1
    return out


def values(text: str, lang: Language) -> Counter[str]:
    """Multiset of the normalised values in *text*."""
    return Counter(n.value for n in extract(text, lang))


class NumberDiff(NamedTuple):
    """Numbers of the source missing from the translation, and numbers the translation adds."""

    missing: list[Number]  # source numbers (as written in the source)
    extra: list[Number]  # translation numbers (as written in the translation)

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra)

    def describe(self) -> str:
        parts = []
        if self.missing:
            parts.append("missing from the translation: " + ", ".join(repr(n.text) for n in self.missing))
        if self.extra:
            parts.append("not in the source: " + ", ".join(repr(n.text) for n in self.extra))
        return "; ".join(parts)


def compare(source: str, translation: str, source_lang: Language, target_lang: Language) -> NumberDiff:
    """Compare the multisets of numeric values of a source and its translation (a number spelled
    out on the other side counts as present)."""
    src = extract(source, source_lang)
    tgt = extract(translation, target_lang)
    missing_values = Counter(n.value for n in src) - Counter(n.value for n in tgt)
    extra_values = Counter(n.value for n in tgt) - Counter(n.value for n in src)
    if missing_values:
        missing_values -= spelled(translation, target_lang)
    if extra_values:
        extra_values -= spelled(source, source_lang)

    def pick(found: list[Number], wanted: Counter[str]) -> list[Number]:
        left = Counter(wanted)
        chosen = []
        for n in found:
            if left[n.value] > 0:
                left[n.value] -= 1
                chosen.append(n)
        return chosen

    return NumberDiff(pick(src, missing_values), pick(tgt, extra_values))
