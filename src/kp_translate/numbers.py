"""Numbers written with digits, extracted from French or English text and normalised to values.

French: ``11 000`` (space, no-break space U+00A0, narrow no-break space U+202F or thin space
U+2009 between groups of three), ``30,8`` (decimal comma), ``5 millions``/``2 milliards``/``3 mille``,
``54 %``, years, ranges ``1950-1953`` (two numbers). English: ``11,000``, ``30.8``, ``5 million``,
``2 billion``, ``3 thousand``, ``54%``. Values are exact decimals, so ``30,8 millions`` and
``30.8 million`` are both ``30800000``. Numbers spelled out in words are not required on the
other side, but a number written with digits on one side matches the same number spelled out on
the other (``cinq millions`` ↔ ``5 million``, ``2 jours`` ↔ ``two-day``; single words up to
twenty, the tens, hundred/thousand, optionally followed by million/billion).

Text is read by the rules of the language it is supposed to be in, so an English translation
still reading ``11 000`` or ``30,8`` yields ``11``, ``0`` / ``30``, ``8`` and does not compare
equal to the source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import regex

_GROUP_SPACES = " \u00a0\u202f\u2009"
_FRENCH = regex.compile(
    rf"(?<!\p{{N}})(?P<int>\d{{1,3}}(?:[{_GROUP_SPACES}]\d{{3}})+(?!\p{{N}})|\d+)"
    r"(?:(?P<sep>[,.])(?P<frac>\d+))?(?!\p{N})"
    rf"(?:[{_GROUP_SPACES}]*(?P<mult>millions?|milliards?|mille)(?!\p{{L}}))?"
)
_ENGLISH = regex.compile(
    r"(?<!\p{N})(?P<int>\d{1,3}(?:,\d{3})+(?!\p{N})|\d+)"
    r"(?:(?P<sep>\.)(?P<frac>\d+))?(?!\p{N})"
    rf"(?:[{_GROUP_SPACES}]*(?P<mult>millions?|billions?|trillions?|thousands?)(?!\p{{L}}))?"
)
_MULTIPLIERS = {
    "million": Decimal(10**6),
    "millions": Decimal(10**6),
    "milliard": Decimal(10**9),
    "milliards": Decimal(10**9),
    "mille": Decimal(10**3),
    "billion": Decimal(10**9),
    "billions": Decimal(10**9),
    "trillion": Decimal(10**12),
    "trillions": Decimal(10**12),
    "thousand": Decimal(10**3),
    "thousands": Decimal(10**3),
}


_SPELLED = {
    "fr": dict(
        zip(
            "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept "
            "dix-huit dix-neuf vingt trente quarante cinquante soixante cent mille".split(),
            [*range(2, 21), 30, 40, 50, 60, 100, 1000],
            strict=True,
        )
    ),
    "en": dict(
        zip(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
            "thousand".split(),
            [*range(1, 21), 30, 40, 50, 60, 70, 80, 90, 100, 1000],
            strict=True,
        )
    ),
}
_SPELLED_RE = {
    lang: regex.compile(
        r"(?<!\p{L})(?P<word>" + "|".join(sorted(words, key=len, reverse=True)) + r")"
        r"(?:[ -](?P<mult>millions?|milliards?|billions?))?(?![\p{L}])",
        regex.IGNORECASE,
    )
    for lang, words in _SPELLED.items()
}


@dataclass(frozen=True)
class Number:
    """A number as written (``text`` at ``start:end``) and its normalised ``value``."""

    start: int
    end: int
    text: str
    value: str  # canonical decimal string: "11000", "30.8", "5000000"


def _canonical(d: Decimal) -> str:
    d = d.normalize()
    return format(d, "f") if d == d.to_integral_value() else format(d, "f").rstrip("0")


def extract(text: str, language: str) -> list[Number]:
    """Numbers written with digits in *text*, read by *language*'s rules ('fr' or 'en')."""
    pattern = _FRENCH if language == "fr" else _ENGLISH
    out: list[Number] = []
    for m in pattern.finditer(text):
        digits = regex.sub(r"[^\d]", "", m.group("int"))
        value = Decimal(digits)
        if m.group("frac") is not None:
            value = Decimal(f"{digits}.{m.group('frac')}")
        mult = m.group("mult")
        if mult:
            value *= _MULTIPLIERS[mult.lower()]
        out.append(Number(m.start(), m.end(), m.group(), _canonical(value)))
    return out


def spelled(text: str, language: str) -> Counter[str]:
    """Values of numbers spelled out in words (``cinq millions`` → 5000000)."""
    out: Counter[str] = Counter()
    for m in _SPELLED_RE[language].finditer(text):
        value = Decimal(_SPELLED[language][m.group("word").lower()])
        mult = m.group("mult")
        if mult:
            value *= _MULTIPLIERS[mult.lower()]
        out[_canonical(value)] += 1
    return out


def values(text: str, language: str) -> Counter[str]:
    """Multiset of the normalised values in *text*."""
    return Counter(n.value for n in extract(text, language))


@dataclass(frozen=True)
class NumberDiff:
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


def compare(source: str, translation: str, source_language: str = "fr") -> NumberDiff:
    """Compare the multisets of numeric values of a source and its English translation."""
    src = extract(source, source_language)
    tgt = extract(translation, "en")
    missing_values = Counter(n.value for n in src) - Counter(n.value for n in tgt)
    extra_values = Counter(n.value for n in tgt) - Counter(n.value for n in src)
    if missing_values:
        missing_values -= spelled(translation, "en")
    if extra_values:
        extra_values -= spelled(source, source_language)

    def pick(numbers: list[Number], wanted: Counter[str]) -> list[Number]:
        left = Counter(wanted)
        chosen = []
        for n in numbers:
            if left[n.value] > 0:
                left[n.value] -= 1
                chosen.append(n)
        return chosen

    return NumberDiff(pick(src, missing_values), pick(tgt, extra_values))
