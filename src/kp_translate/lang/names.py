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
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import ModuleType
from typing import Literal, NamedTuple

import regex

from ..rx import compiled, deferred

__all__ = [
    "KOREAN_SURNAMES",
    "RUSSIAN_GIVEN",
    "RUSSIAN_SIGNS",
    "Country",
    "Rule",
    "RuleSet",
    "Transliteration",
    "fold_capitals",
    "korean_country_hint",
    "korean_english",
    "korean_given",
    "korean_shape",
    "korean_variants",
    "russian_evidence",
    "russian_rules",
]

Country = Literal["north", "south"]

_SEPARATOR = deferred(r"([\s\-\u2010\u2011]+)")


class Rule(NamedTuple):
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


class Transliteration(NamedTuple):
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
    #: per first letter: the rules' patterns as regex sources (checked when the table is built,
    #: compiled when it is first used: most runs read one language's table, or none)
    _sources: dict[str, list[tuple[int, Rule, str]]] = field(
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
            self._sources.setdefault(rule.pattern[0], []).append((index, rule, source))

    @cached_property
    def _compiled(self) -> dict[str, list[tuple[int, Rule, regex.Pattern[str]]]]:
        return {
            first: [(index, rule, compiled(source)) for index, rule, source in rules]
            for first, rules in self._sources.items()
        }

    @cached_property
    def _english(self) -> regex.Pattern[str] | None:
        return compiled(self.english) if self.english else None

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


#: context words of a North / South Korean name that every language writes alike, added to the
#: language's own lists: the North's missile families and its cities and sites, the South's cities
#: (not leaders' names: a South Korean story names Kim Jong-un as often as a North Korean one)
KOREAN_NORTH_SIGNS = frozenset(
    "Hwasong* Pukguksong* Wonsan Yongbyon Sohae Sinpo Punggye-ri Rason Hamhung Chongjin Sinuiju Nampo Kaesong".split()
)
KOREAN_SOUTH_SIGNS = frozenset("Yonhap Busan Incheon Daegu Gwangju Daejeon Ulsan Gyeonggi Jeju".split())


@lru_cache(maxsize=16)
def _hint_patterns(code: str) -> tuple[regex.Pattern[str], regex.Pattern[str]] | None:
    module = _names_module(code)
    north = getattr(module, "KOREAN_NORTH", None)
    south = getattr(module, "KOREAN_SOUTH", None)
    if not north or not south:
        return None
    return _word_pattern(north | KOREAN_NORTH_SIGNS), _word_pattern(south | KOREAN_SOUTH_SIGNS)


def _word_pattern(words: Iterable[str]) -> regex.Pattern[str]:
    alternatives = []
    for w in sorted(words, key=len, reverse=True):
        if w.endswith("*"):
            alternatives.append(regex.escape(w[:-1]) + r"\p{L}*")
        else:
            alternatives.append(regex.escape(w))
    return compiled(rf"(?<![\p{{L}}\p{{N}}])(?:{'|'.join(alternatives)})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)


def korean_country_hint(text: str, code: str) -> Country | None:
    """``"north"`` or ``"south"`` when *text* (written in the language *code*) holds more context words
    of one Korea than of the other (fr ``nord-coréen``, ``Pyongyang``, ``KCNA``, ``RPDC`` /
    ``sud-coréen``, ``Séoul``, ``Yonhap``; in every language :data:`KOREAN_NORTH_SIGNS` such as
    ``Hwasong-18``, ``Wonsan`` / :data:`KOREAN_SOUTH_SIGNS`); None when neither or as many of each
    (undecided: leave the name alone), or when the language has no such lists."""
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


# -- press spelling -----------------------------------------------------------------------------


def fold_capitals(form: str) -> str:
    """*form* with every accented capital letter written without its accent (``États-Unis`` →
    ``Etats-Unis``, ``Élection`` → ``Election``); lower-case letters are left as they are."""
    if form.isascii() or _MAYBE_CAPITAL.search(form) is None:
        return form  # no capital outside A-Z (the only letters that can change): the usual case
    return form.translate(_CAPITALS)  # one table look-up a character


#: the characters outside ASCII that may be capitals: those of Latin-1 (U+00C0-U+00DE), and any
#: beyond it (the accents of French, Spanish, Italian... are Latin-1: a quick test of a form);
#: written as what it is not (the range to U+10FFFF took 9 ms to compile, this 0.1 ms)
_MAYBE_CAPITAL = re.compile("[^\x00-\u00bf\u00df-\u00ff]")


class _CapitalFolding(dict[int, int | str]):
    """The :meth:`str.translate` table of :func:`fold_capitals`, filled as characters are met: a
    capital through :func:`_fold_accent`, any other character (the code point) as it is."""

    def __missing__(self, code: int) -> int | str:
        ch = chr(code)
        folded = _fold_accent(ch) if ch.isupper() else ch
        value = self[code] = code if folded == ch else folded
        return value


_CAPITALS = _CapitalFolding()


#: Korean surnames as the press romanises them (North and South): a first word that may open a
#: Korean personal name (``Kim Yo-jong``, ``Choe Son-hui``, ``Lee Jae-myung``)
KOREAN_SURNAMES = frozenset(
    """Kim Lee Yi Ri Rhee Park Pak Choe Choi Jong Jeong Chung Cho Jo Kang Han Yoon Yun Jang Chang Lim Im Ryu
    Yu Hyon Hyun Song Ko Moon Mun Shin Sin Ban Roh No Oh O Hwang Ahn An Ju Jon Jun Kwon Kwak Nam Paek Son Sohn
    Woo Yang Ho Hong Chae Kye Thae Tae Jeon Seo Baek Min Yeo Cha""".split()
)

#: one romanised Korean syllable (McCune-Reischauer as Pyongyang writes it, or Revised Romanisation)
_KOREAN_SYLLABLE = compiled(
    r"(?:kk|tt|pp|ss|jj|ch|ts|sh|[bcdghjklmnprst])?(?:wae|yae|yeo|weo|ae|eo|eu|oe|ui|wa|wo|we|wi|ya|yo|yu|ye|ee|oo|a|e|i|o|u)"
    r"(?:ng|n|m|l|k|p|t)?",
    regex.IGNORECASE,
)


def korean_given(word: str) -> bool:
    """Whether *word* reads as a romanised Korean syllable (``Yo``, ``jong``, ``Myung``)."""
    return _KOREAN_SYLLABLE.fullmatch(word) is not None


def korean_shape(name: str) -> bool:
    """Whether *name* is shaped like a Korean personal name: a :data:`KOREAN_SURNAMES` surname, then a
    given name of one or two romanised syllables, hyphenated or not (``Kim Yo-jong``, ``Choe Son Hui``,
    ``Lee Jae-myung``)."""
    words = name.split()
    if len(words) < 2 or len(words) > 3 or words[0] not in KOREAN_SURNAMES:
        return False
    syllables = _syllables(" ".join(words[1:]))
    if not 1 <= len(syllables) <= 2 or (len(words) == 3 and "-" in name):
        return False
    return syllables[0][:1].isupper() and all(korean_given(s) for s in syllables)


def korean_variants(form: str) -> list[str]:
    """The spellings of a Korean personal name's given name that the press mixes: hyphen or space,
    the second syllable capitalised or not (``Kim Yo-jong``, ``Kim Yo Jong``, ``Kim Yo jong``,
    ``Kim Yo-Jong``); *form* first. A form not shaped like a Korean name (:func:`korean_shape`)
    gives ``[form]``."""
    if not korean_shape(form):
        return [form]
    words = form.split()
    syllables = _syllables(" ".join(words[1:]))
    if len(syllables) != 2:
        return [form]
    first, second = syllables[0], syllables[1].lower()
    out = [form]
    for sep in ("-", " "):
        for s in (second, second.capitalize()):
            variant = f"{words[0]} {first}{sep}{s}"
            if variant not in out:
                out.append(variant)
    return out


# -- Russian evidence ---------------------------------------------------------------------------

#: what only a transcription of Russian writes, in a word of a source text (lower case): letter
#: groups (``tch``, ``ï``, ``iou``), endings (``-ov``, ``-evitch``, ``-ski``, ``-sk``, ``-grad``) and
#: given names; one is the evidence :func:`russian_evidence` needs
RUSSIAN_SIGNS = (
    r"tch(?!$)|chtch|ï|iou|^io[^n]|^ia[kr]|^iek",
    r"(?:ov|ova|ev|eva|iev|ieva|ine|ina|ovitch|evitch|ovna|evna|enko|ski|skaïa|skaia|sk|grad|oslav|ograd|ourg)$",
)
#: Russian given names whose spelling shows no sign above (fr, es, pt and it press forms; compared
#: without accents: Serguéi, Sergueï are serguei)
RUSSIAN_GIVEN = frozenset(
    """dmitri dmitry dimitri evgueni guennadi valeri anatoli vitali arkadi ilia oleg igor vladimir viktor
    valentina tatiana elvira svetlana natalia olga irina boris nikolai mikhail vassili vasili vladislav
    viatcheslav iouri youri alexandre alexei aleksandr aleksei andrei sergei serguei ramzan piotr pyotr
    fiodor fedor leonid konstantin grigori stanislav sviatoslav vsevolod lioudmila ludmila yevgueni evgeni
    gennadi valery anatoly vitaly anastasia""".split()
)
_SIGNS = [compiled(p) for p in RUSSIAN_SIGNS]
#: endings a French (or Polish) word has as often as a Russian one: no evidence on their own
_WEAK_ENDINGS = deferred(r"(?:ine|ina|ourg)$")


def russian_evidence(name: str) -> str | None:
    """The sign that *name* (``Sergueï Choïgou``, ``Vostotchny``) transcribes a Russian name, or None
    (``Jean-Yves Le Drian``, ``Paris Match``): a letter group or ending of :data:`RUSSIAN_SIGNS` in a
    word, or a given name of :data:`RUSSIAN_GIVEN` before a surname. The endings ``-ine``, ``-ina``
    and ``-ourg`` are no evidence on their own (Racine, Sabine, Strasbourg)."""
    words = [w for w in _SEPARATOR.split(unicodedata.normalize("NFC", name))[::2] if w]
    lowered = [w.lower() for w in words]
    if len(words) >= 2 and "".join(map(_fold_accent, lowered[0])) in RUSSIAN_GIVEN:  # Serguéi, Sergueï
        return f"given name {words[0]}"
    for word in lowered:
        m = _SIGNS[0].search(word)
        if m is not None:
            return f"'{m.group()}' in {word}"
    for word in lowered:
        m = _SIGNS[1].search(word)
        if m is not None and len(word) > len(m.group()) + 2 and _WEAK_ENDINGS.fullmatch(m.group()) is None:
            return f"ending -{m.group()}"
    return None
