"""French typography left in English text, converted to English conventions.

Applied to what the engine produces (never to segments kept verbatim):

* guillemets ``« X »`` → ``“X”`` (``‹ X ›`` → ``‘X’``), inner spaces dropped;
* no space before ``; : ! ?`` and ``%`` (``54 %`` → ``54%``);
* decimal comma → point (``30,8`` → ``30.8``); thousands grouped by a space, no-break space or
  narrow no-break space → comma (``11 000`` → ``11,000``, ``1 200,5`` → ``1,200.5``);
* ``30.8 millions`` → ``30.8 million`` after a number (also billion);
* no-break and narrow no-break spaces → plain spaces; runs of spaces → one space; no space before
  a comma or full stop.

Line breaks are never touched, so a paragraph keeps its lines.
"""

from __future__ import annotations

import regex

_SPACE = "[ \u00a0\u202f\u2009\u2007]"
_OPEN = regex.compile(rf"«{_SPACE}*")
_CLOSE = regex.compile(rf"{_SPACE}*»")
_OPEN_SINGLE = regex.compile(rf"‹{_SPACE}*")
_CLOSE_SINGLE = regex.compile(rf"{_SPACE}*›")
_BEFORE_PUNCT = regex.compile(rf"(?<=[^\s]){_SPACE}+(?=[;:!?](?:[\s”’\"»)]|$))")
_PERCENT = regex.compile(rf"(?<=\d){_SPACE}+(?=%)")
_DECIMAL = regex.compile(r"(?<![\p{N}.,])(\p{N}+),(\p{N}+)(?![\p{N}]|,\p{N})")
_THOUSANDS = regex.compile(
    rf"(?<![\p{{N}}.,]|\p{{N}}{_SPACE})(\p{{N}}{{1,3}})((?:{_SPACE}\p{{N}}{{3}})+)(?![\p{{N}}]|,\p{{N}})"
)
_SCALE = regex.compile(r"(?<=\p{N}\s)(million|billion|thousand)s\b(?:\s+of\b)?")
_NBSP = regex.compile("[\u00a0\u202f\u2009\u2007]")
_SPACES = regex.compile(r" {2,}")
_BEFORE_COMMA = regex.compile(r"(?<=[\p{L}\p{N}”\"’)]) +(?=[,.](?:\s|$))")


def _thousands(m: regex.Match[str]) -> str:
    groups = regex.split(_SPACE, m.group(2).strip("\u00a0\u202f\u2009\u2007 "))
    return str(m.group(1)) + "".join("," + g for g in groups if g)


def to_english(text: str) -> str:
    """Convert French typography in *text* to English conventions (see the module doc)."""
    text = _OPEN.sub("“", text)
    text = _CLOSE.sub("”", text)
    text = _OPEN_SINGLE.sub("‘", text)
    text = _CLOSE_SINGLE.sub("’", text)
    text = _BEFORE_PUNCT.sub("", text)
    text = _PERCENT.sub("", text)
    text = _DECIMAL.sub(r"\1.\2", text)
    text = _THOUSANDS.sub(_thousands, text)
    text = _SCALE.sub(lambda m: m.group(1), text)
    text = _NBSP.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _BEFORE_COMMA.sub("", text)
    return text
