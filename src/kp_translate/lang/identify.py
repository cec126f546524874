"""Which registered language a text is in, and which source-language words an English text keeps.

The model is written here (no download, no dependency): each word of the text that a language
lists in ``identify_words`` votes for it, and each of the language's typical character sequences
(``ngrams``: Portuguese ``ção``, Catalan ``·``, Basque ``tz``) found in a word votes half as much. A
vote is shared among the languages that list the same word or sequence (``que`` counts a sixth for
each of six languages, ``coa`` all for Galician), so the words only one language uses decide.
Scores are votes per word.

:func:`function_word_shares`, :func:`guess` and :func:`is_language` are today's ``langid.scores``,
``langid.guess`` and ``langid.is_english`` over any languages; :func:`leftovers` and
:func:`accented_leftovers` are ``langid.leftovers`` and ``qa.accented_leftovers``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from ..rx import compiled, deferred
from . import get, registered
from .base import Language

#: langid._WORD: a word, possibly with one elision or inner apostrophe
WORD = compiled(r"[\p{L}]+(?:['’][\p{L}]+)?")
_TOKEN = deferred(r"[\p{L}·]+(?:['’][\p{L}·]+)*")
NGRAM_WEIGHT = 1.0


def words(text: str) -> list[str]:
    """Lower-case words of *text* (``langid.words``)."""
    return [w.lower() for w in WORD.findall(text)]


def _candidates(languages: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(languages) if languages is not None else (*registered(), "en")


@lru_cache(maxsize=16)
def _model(codes: tuple[str, ...]) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """word → {lang: weight} and ngram → {lang: weight}, each vote shared among its languages."""
    word_langs: dict[str, list[str]] = {}
    gram_langs: dict[str, list[str]] = {}
    for code in codes:
        lang = get(code)
        for w in lang.identify_words | lang.more_words:
            word_langs.setdefault(w, []).append(code)
        for g in lang.ngrams:
            gram_langs.setdefault(g, []).append(code)
    words_w = {w: {c: 1 / len(cs) for c in cs} for w, cs in word_langs.items()}
    grams_w = {g: {c: NGRAM_WEIGHT / len(cs) for c in cs} for g, cs in gram_langs.items()}
    return words_w, grams_w


def scores(text: str, languages: Sequence[str] | None = None) -> dict[str, float]:
    """Score of each candidate language (registered sources and English by default) for *text*."""
    codes = _candidates(languages)
    word_w, gram_w = _model(codes)
    out = dict.fromkeys(codes, 0.0)
    tokens = [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]
    if not tokens:
        return out
    padded = " " + " ".join(tokens) + " "
    for tok in tokens:
        pieces = [tok]
        if "'" in tok:
            head, _, tail = tok.partition("'")
            pieces = [tok, head + "'", tail]
        for piece in pieces:
            for code, w in word_w.get(piece, {}).items():
                out[code] += w
    for gram, langs in gram_w.items():
        n = padded.count(gram)
        if n:
            for code, w in langs.items():
                out[code] += n * w
    return {code: s / len(tokens) for code, s in out.items()}


#: votes (words and sequences) a text needs for its winner's share to count in full
FULL_EVIDENCE = 5.0


def identify(text: str, languages: Sequence[str] | None = None) -> tuple[str, float]:
    """The most likely language of *text* and a confidence in [0, 1]: its share of all scores,
    scaled down while the text holds fewer than :data:`FULL_EVIDENCE` votes (a name and a number
    are no evidence); ``("und", 0.0)`` when nothing in the text votes."""
    s = scores(text, languages)
    total = sum(s.values())
    if total <= 0:
        return "und", 0.0
    best = max(s, key=lambda k: s[k])
    votes = total * len(_TOKEN.findall(text))
    return best, s[best] / total * min(1.0, votes / FULL_EVIDENCE)


# -- today's function-word shares (langid.scores / guess / is_english) -------------------------


def function_word_shares(text: str, languages: Sequence[str] = ("en", "fr", "es")) -> dict[str, float]:
    """Share of the words of *text* that each language lists in ``identify_words`` (``langid.scores``)."""
    ws = words(text)
    if not ws:
        return dict.fromkeys(languages, 0.0)
    n = len(ws)
    out: dict[str, float] = {}
    for code in languages:
        out[code] = sum(map(get(code).identify_words.__contains__, ws)) / n
    return out


def guess(text: str, languages: Sequence[str] = ("en", "fr", "es"), threshold: float = 0.08) -> str:
    """The language with the highest share, or ``"und"`` below *threshold* (``langid.guess``)."""
    s = function_word_shares(text, languages)
    best = max(s, key=lambda k: s[k])
    return best if s[best] >= threshold else "und"


def is_language(text: str, lang: str = "en", against: str = "fr", minimum: float = 0.12, ratio: float = 2.0) -> bool:
    """True when *text* reads as *lang* rather than *against* (``langid.is_english`` with the defaults)."""
    s = function_word_shares(text, (lang, against))
    return s[lang] >= minimum and s[lang] > ratio * s[against]


# -- leftovers -----------------------------------------------------------------------------------


class Leftover(NamedTuple):
    """A source-language word found in a translation."""

    start: int
    end: int
    word: str
    language: str


def _elided_leftover(word: str, lang: Language) -> bool:
    head, sep, tail = word.partition("'")
    return bool(sep) and bool(tail) and head + "'" in lang.leftover_elisions


def leftovers(text: str, languages: Iterable[str] = ("fr", "es"), target: str = "en") -> list[Leftover]:
    """Words of the source *languages* left in *text* (in *target*): their ``function_words`` and
    elided words (``l'accord``), less the target's own words and acronyms (``langid.leftovers``;
    the first language listing a word claims it)."""
    langs = [get(c) for c in languages]
    tgt = get(target)
    shared: frozenset[str] = getattr(tgt, "not_leftovers", tgt.identify_words)
    out = []
    for m in WORD.finditer(text):
        w = m.group().lower().replace("’", "'")
        if w in shared or (m.group().isupper() and len(m.group()) > 1):
            continue
        for lang in langs:
            if w in lang.function_words or _elided_leftover(w, lang):
                out.append(Leftover(m.start(), m.end(), m.group(), lang.code))
                break
    return out


_LOWER_WORD = deferred(r"(?<![\p{L}'’-])\p{Ll}[\p{L}]*(?![\p{L}])")


def accented_leftovers(text: str, languages: Iterable[str] = ("es", "fr"), target: str = "en") -> list[Leftover]:
    """Lower-case words with a diacritic of one of the source *languages* that the target does not
    use (``qa.accented_leftovers``): the first language (in the order given) one of whose
    ``diacritics`` the word has claims it; the target's ``accented_words`` are not reported."""
    langs = [get(c) for c in languages]
    allowed: frozenset[str] = getattr(get(target), "accented_words", frozenset())
    union = frozenset("".join(lang.diacritics for lang in langs))
    out = []
    for m in _LOWER_WORD.finditer(text):
        word = m.group()
        if union.isdisjoint(word) or word in allowed:
            continue
        lang = next(lang for lang in langs if not frozenset(lang.diacritics).isdisjoint(word))
        out.append(Leftover(m.start(), m.end(), word, lang.code))
    return out
