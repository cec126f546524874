"""Names by rule: Russian names as a source language's press writes them → the English press form, and
North/South Korean personal names → the English press's spelling.

**Russian names.** A :class:`RuleSet` is an ordered table of :class:`Rule` rows (``pattern``,
``replacement``, ``context``, and an example pair that the tests run). It is applied to each word of a
name (words are separated by spaces and hyphens, which are kept) in **one left-to-right pass**: at each
position, of the rules whose pattern matches there and whose context holds, the **longest pattern**
wins (ties: the earlier rule); its replacement is written and the pass jumps over the pattern. A
position no rule matches copies its character (without its accent, see ``fold``). Rules never see
their own output, so ``ch → sh`` cannot re-apply to the ``ch`` written by ``tch → ch``.

A context is ``LEFT_RIGHT`` around ``_`` (the pattern): regex fragments over the lower-cased source
word, where ``V`` is a vowel of the rule set, ``C`` a consonant (any other letter), ``^`` the start
and ``$`` the end of the word, ``.`` any character (``_.``: not at the end). ``"_"`` is no
condition; ``"V_V"`` between vowels, ``"C_$"`` final after a consonant, ``"^_[vgkf]"`` initial
before v, g, k or f, ``"^_$"`` a whole word (given names no general rule spells: ``Iouri`` → ``Yuri``).

The tables live in ``lang/<code>_names.py`` (``RUSSIAN``); :func:`russian_rules` finds the one of a
language, and :meth:`kp_translate.lang.base.Language.transliterate_russian` applies it.

**Korean names.** :func:`korean_english` writes a North Korean name in three capitalised parts
(``Kim Yo-jong`` → ``Kim Yo Jong``) and a South Korean one with its hyphen (``Lee Jae-Myung`` →
``Lee Jae-myung``); which country is a decision of the caller, helped by
:func:`korean_country_hint` over the language's context words (``KOREAN_NORTH``/``KOREAN_SOUTH`` of
``lang/<code>_names.py``).
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import ModuleType
from typing import Literal

import regex

__all__ = [
    "Country",
    "Rule",
    "RuleSet",
    "Transliteration",
    "korean_country_hint",
    "korean_english",
    "russian_rules",
]

Country = Literal["north", "south"]

_SEPARATOR = regex.compile(r"([\s\-\u2010\u2011]+)")


@dataclass(frozen=True)
class Rule:
    """One row of a rule table: *pattern* (lower case, source spelling) becomes *replacement* where
    *context* holds; *source* → *english* is a real name the rule takes part in (the tests run it)."""

    pattern: str
    replacement: str
    context: str = "_"
    source: str = ""
    english: str = ""

    def __str__(self) -> str:
        where = "" if self.context == "_" else f" /{self.context}"
        return f"{self.pattern}→{self.replacement}{where}"


@dataclass(frozen=True)
class Transliteration:
    """The result of :meth:`RuleSet.apply`: the English form and the rules that produced it, in order."""

    source: str
    english: str
    rules: tuple[Rule, ...]

    @property
    def changed(self) -> bool:
        return self.english != self.source


def _fold_accent(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base or ch


@dataclass(frozen=True)
class RuleSet:
    """An ordered table of :class:`Rule` rows for one source language (see the module docstring)."""

    code: str
    rules: tuple[Rule, ...]
    #: the vowels of the source spelling (``V`` in contexts); every other letter is a consonant
    vowels: str = "aeiouy"
    #: characters folded to their base letter before the rules see the word (es ``áéíóú``: stress marks)
    fold: str = ""
    #: a character no rule matches is copied without its accent (``è`` → ``e``)
    fold_rest: bool = True
    #: regex: a word holding it is already in English press spelling and is copied as it is (fr ``sh``,
    #: ``zh``, ``yu``: ``Mishustin`` written the English way in a French text is not made ``Mishustin`` → …)
    english: str = ""
    _compiled: dict[str, list[tuple[int, Rule, regex.Pattern[str]]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        vowel = f"[{regex.escape(self.vowels)}]"
        consonant = rf"(?:(?!{vowel})\p{{L}})"
        for index, rule in enumerate(self.rules):
            left, sep, right = rule.context.partition("_")
            if not sep or not rule.pattern or rule.pattern != rule.pattern.lower():
                raise ValueError(f"bad rule {rule!r}: a lower-case pattern and a context with '_'")
            left = left.replace("V", vowel).replace("C", consonant)
            right = right.replace("V", vowel).replace("C", consonant)
            source = (f"(?<={left})" if left else "") + regex.escape(rule.pattern) + (f"(?={right})" if right else "")
            self._compiled.setdefault(rule.pattern[0], []).append((index, rule, regex.compile(source)))

    @cached_property
    def _english(self) -> regex.Pattern[str] | None:
        return regex.compile(self.english) if self.english else None

    @cached_property
    def _fold_table(self) -> dict[int, str]:
        return {ord(c): _fold_accent(c) for c in self.fold}

    def word(self, word: str) -> tuple[str, list[Rule]]:
        """One word (no separator) → its English spelling (case restored) and the rules used."""
        lower = word.lower().translate(self._fold_table)
        if self._english is not None and self._english.search(lower):
            return word, []
        out: list[str] = []
        used: list[Rule] = []
        pos = 0
        while pos < len(lower):
            best: tuple[int, int, Rule] | None = None
            for index, rule, pattern in self._compiled.get(lower[pos], ()):
                if pattern.match(lower, pos) is None:
                    continue
                key = (len(rule.pattern), -index)
                if best is None or key > (best[0], best[1]):
                    best = (key[0], key[1], rule)
            if best is None:
                ch = lower[pos]
                out.append(_fold_accent(ch) if self.fold_rest else ch)
                pos += 1
            else:
                rule = best[2]
                out.append(rule.replacement)
                used.append(rule)
                pos += len(rule.pattern)
        text = "".join(out)
        if len(word) > 1 and word.isupper():
            text = text.upper()
        elif word[:1].isupper():
            text = text[:1].upper() + text[1:]
        return text, used

    def apply(self, name: str) -> Transliteration:
        """*name* (``Sergueï Choïgou``, ``Rostov-na-Donou``) word by word; separators are kept."""
        parts = _SEPARATOR.split(unicodedata.normalize("NFC", name))
        out: list[str] = []
        used: list[Rule] = []
        for i, part in enumerate(parts):
            if i % 2 or not part:
                out.append(part)
                continue
            text, rules = self.word(part)
            out.append(text)
            used.extend(rules)
        return Transliteration(name, "".join(out), tuple(used))

    def __call__(self, name: str) -> str:
        return self.apply(name).english


def _names_module(code: str) -> ModuleType | None:
    if not code.isalpha():
        return None
    try:
        return importlib.import_module(f"kp_translate.lang.{code}_names")
    except ModuleNotFoundError:
        return None


@lru_cache(maxsize=16)
def russian_rules(code: str) -> RuleSet | None:
    """The Russian-name rule table of the language *code* (``RUSSIAN`` of ``lang/<code>_names.py``), or None."""
    module = _names_module(code)
    table = getattr(module, "RUSSIAN", None)
    return table if isinstance(table, RuleSet) else None


# -- Korean -----------------------------------------------------------------------------------------


def _syllables(given: str) -> list[str]:
    return [s for s in regex.split(r"[\s\-\u2010\u2011]+", given) if s]


def korean_english(name: str, country: Country | None) -> str:
    """A Korean personal name (surname first) as the English press writes it.

    North (``Kim Yo-jong``, ``Choe Son-hui``, ``Kim Jong-Un``) → three capitalised parts (``Kim Yo
    Jong``); South (``Lee Jae-Myung``, ``Moon Jae In``) → surname, then the given name's syllables
    joined by a hyphen, the second in lower case (``Lee Jae-myung``, ``Moon Jae-in``). *country*
    None (not known) → *name* unchanged. Names of one given syllable (``Park Jin``) keep their shape.
    Persons with a spelling of their own (``Yoon Suk Yeol``) are glossary entries, not this rule.
    """
    if country is None:
        return name
    words = name.split()
    if len(words) < 2:
        return name
    surname, syllables = words[0], _syllables(" ".join(words[1:]))
    if not syllables:
        return name
    if country == "north":
        return " ".join([surname, *(s[:1].upper() + s[1:].lower() for s in syllables)])
    first, rest = syllables[0], syllables[1:]
    given = first[:1].upper() + first[1:].lower()
    if rest:
        given += "-" + "-".join(s.lower() for s in rest)
    return f"{surname} {given}"


@lru_cache(maxsize=16)
def _hint_patterns(code: str) -> tuple[regex.Pattern[str], regex.Pattern[str]] | None:
    module = _names_module(code)
    north = getattr(module, "KOREAN_NORTH", None)
    south = getattr(module, "KOREAN_SOUTH", None)
    if not north or not south:
        return None
    return _word_pattern(north), _word_pattern(south)


def _word_pattern(words: Iterable[str]) -> regex.Pattern[str]:
    alternatives = []
    for w in sorted(words, key=len, reverse=True):
        if w.endswith("*"):
            alternatives.append(regex.escape(w[:-1]) + r"\p{L}*")
        else:
            alternatives.append(regex.escape(w))
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{'|'.join(alternatives)})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)


def korean_country_hint(text: str, code: str) -> Country | None:
    """``"north"`` or ``"south"`` when *text* (written in the language *code*) holds more context words
    of one Korea than of the other (fr ``nord-coréen``, ``Pyongyang``, ``KCNA``, ``RPDC`` /
    ``sud-coréen``, ``Séoul``, ``Yonhap``); None when neither or as many of each (undecided: leave the
    name alone), or when the language has no such lists."""
    patterns = _hint_patterns(code)
    if patterns is None:
        return None
    folded = unicodedata.normalize("NFC", text).replace("\u2011", "-").replace("\u2010", "-")
    north = len(patterns[0].findall(folded))
    south = len(patterns[1].findall(folded))
    if north > south:
        return "north"
    if south > north:
        return "south"
    return None
