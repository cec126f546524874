"""Source-language typography left in a translation, converted to the target's conventions.

Applied to what the engine produces (today's ``typography.to_english``, identical for French):

* the source's quote pairs (and guillemets, always) that the target does not use become the target's, level by level
  (fr ``« X »`` → ``“X”``, ``‹ X ›`` → ``‘X’``; es ``«X»`` → ``“X”``), inner spaces dropped;
* inverted marks ``¿ ¡`` are removed when the target does not write them;
* no space before the source's ``space_before_punct`` marks (fr ``; : ! ?``, ``54 %`` → ``54%``);
* decimal and group marks (fr ``30,8`` → ``30.8``, ``11 000`` → ``11,000``; es ``11.000`` →
  ``11,000``, ``1.200,5`` → ``1,200.5``);
* English target: ``30.8 millions`` → ``30.8 million`` after a number (also billion, thousand);
* no-break and narrow no-break spaces → plain spaces; runs of spaces → one space; no space before
  a comma or full stop.

Line breaks are never touched.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from ..rx import compiled, deferred, sub_where
from .base import Language
from .typography import TYPOGRAPHIC_SPACES

_SPACE = f"[{TYPOGRAPHIC_SPACES}]"
_PERCENT = deferred(rf"(?<=\d){_SPACE}+(?=%)")
_NBSP = deferred("[\u00a0\u202f\u2009\u2007]")
_SPACES = deferred(r" {2,}")
_BEFORE_COMMA = deferred(r"(?<=[\p{L}\p{N}”\"’)]) +(?=[,.](?:\s|$))")
_ALL_INVERTED = "¿¡"
#: a character of a number: every rule on numbers below needs one
_NUMBER = compiled(r"\p{N}")
#: converted whatever the source language (a pivot or a quotation may bring them)
_GUILLEMETS = (("«", "»"), ("‹", "›"))


@lru_cache(maxsize=32)
def _before_punct(marks: str) -> regex.Pattern[str]:
    return compiled(rf"(?<=[^\s]){_SPACE}+(?=[{regex.escape(marks)}](?:[\s”’\"»)]|$))")


@lru_cache(maxsize=32)
def _quote_rules(
    source: tuple[tuple[str, str], ...], target: tuple[tuple[str, str], ...]
) -> list[tuple[regex.Pattern[str], str, str]]:
    """(pattern, replacement, the quote mark every match holds)"""
    rules: list[tuple[regex.Pattern[str], str, str]] = []
    foreign = [q for q in source if q not in target]
    foreign += [q for q in _GUILLEMETS if q not in target and q not in foreign]
    for i, (open_, close) in enumerate(foreign):
        t_open, t_close = target[min(i, len(target) - 1)]
        rules.append((compiled(rf"{regex.escape(open_)}{_SPACE}*"), t_open, open_))
        rules.append((compiled(rf"{_SPACE}*{regex.escape(close)}"), t_close, close))
    return rules


# Numbers grouped by spaces (French): today's two steps, decimal comma first, then the groups.
_DECIMAL = deferred(r"(?<![\p{N}.,])(\p{N}+),(\p{N}+)(?![\p{N}]|,\p{N})")
_THOUSANDS = deferred(
    rf"(?<![\p{{N}}.,]|\p{{N}}{_SPACE})(\p{{N}}{{1,3}})((?:{_SPACE}\p{{N}}{{3}})+)(?![\p{{N}}]|,\p{{N}})"
)


def _space_grouped(text: str, group: str, decimal: str) -> str:
    text = sub_where(_DECIMAL, rf"\1{decimal}\2", text, ",") if decimal != "," else text

    def thousands(m: regex.Match[str]) -> str:
        groups = compiled(_SPACE).split(m.group(2).strip(TYPOGRAPHIC_SPACES))
        return str(m.group(1)) + "".join(group + g for g in groups if g)

    return str(_THOUSANDS.sub(thousands, text))


@lru_cache(maxsize=32)
def _mark_grouped_pattern(group: str) -> regex.Pattern[str]:
    g = regex.escape(group)
    return compiled(
        rf"(?<![\p{{N}}.,]|\p{{N}}[{g}])(?P<int>\p{{N}}{{1,3}}(?:[{g}]\p{{N}}{{3}})+|\p{{N}}+)"
        rf"(?:,(?P<frac>\p{{N}}+))?(?![\p{{N}}]|[.,]\p{{N}})"
    )


def _mark_grouped(text: str, source: Language, group: str, decimal: str) -> str:
    """Numbers grouped by a mark (es ``1.200,5``): one pass, groups and decimal together."""

    def rewrite(m: regex.Match[str]) -> str:
        whole, frac = m.group("int"), m.group("frac")
        if frac is None and whole.isdigit():
            return str(m.group())
        digits = compiled(f"[{regex.escape(source.group_marks)}]").split(whole)
        out = group.join(digits)
        return out + (decimal + frac if frac is not None else "")

    return str(_mark_grouped_pattern(source.group_marks).sub(rewrite, text))


def _numbers(text: str, source: Language, target: Language) -> str:
    if source.decimal_mark != "," or not source.group_marks:
        return text
    group, decimal = target.group_marks[:1], target.decimal_mark
    if decimal == "," and group == source.group_marks[:1]:
        return text
    if source.group_marks[0] in TYPOGRAPHIC_SPACES:
        return _space_grouped(text, group, decimal)
    return _mark_grouped(text, source, group, decimal)


@lru_cache(maxsize=8)
def _scale(words: tuple[str, ...]) -> regex.Pattern[str] | None:
    if not words:
        return None
    return compiled(rf"(?<=\p{{N}}\s)({'|'.join(regex.escape(w) for w in words)})s\b(?:\s+of\b)?")


def convert(text: str, source: Language, target: Language) -> str:
    """Convert *source* typography in *text* (a translation into *target*) to *target* conventions.

    Each rule is skipped when *text* lacks what every one of its matches holds
    (:func:`kp_translate.rx.sub_where`): most segments have no guillemet, no ``%``, no double space."""
    for pattern, repl, mark in _quote_rules(source.quotes, target.quotes):
        text = sub_where(pattern, repl, text, mark)
    inverted = "".join(c for c in _ALL_INVERTED if c not in target.inverted_marks)
    if inverted:
        text = sub_where(compiled(rf"[{inverted}]{_SPACE}*"), "", text, inverted)
    marks = "".join(c for c in source.space_before_punct if c != "%" and c not in target.space_before_punct)
    if marks:
        text = sub_where(_before_punct(marks), "", text, marks)
    if "%" in source.space_before_punct and "%" not in target.space_before_punct:
        text = sub_where(_PERCENT, "", text, "%")
    if _NUMBER.search(text) is not None:
        text = _numbers(text, source, target)
        words = tuple(getattr(target, "scale_words", ()))
        scale = _scale(words)
        if scale is not None:
            text = sub_where(scale, lambda m: m.group(1), text, words)
    text = sub_where(_NBSP, " ", text, "\u00a0\u202f\u2009\u2007")
    text = sub_where(_SPACES, " ", text, ("  ",))
    return sub_where(_BEFORE_COMMA, "", text, (" ,", " ."))
