"""Tell English from French (and Spanish left behind by a pivot) with function-word lists.

Good enough for the two questions the toolkit asks: "is this segment already English?" (keep it
verbatim) and "which source-language words were left in this English output?" (QA). Lists hold
frequent function words and words that do not exist in English, so a correct English sentence
does not hit them.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_WORD = regex.compile(r"[\p{L}]+(?:['’][\p{L}]+)?")

ENGLISH = frozenset(
    """the a an of and or to in on at for with from by is are was were be been has have had it its this that these
    those which who whom what when where while as but not no than then there their they them he she his her we our
    you your will would can could should may might must do does did also after before into over about between
    against during without within under more most such only other some any all both each""".split()
)
FRENCH = frozenset(
    """le la les un une des du de et ou où est sont était étaient été être avoir a ont avait avaient il elle ils
    elles nous vous je tu on ce cet cette ces son sa ses leur leurs notre nos votre vos qui que quoi dont
    mais donc car ni pour par avec sans sous dans sur entre vers chez depuis pendant selon contre aussi très plus
    moins déjà encore toujours jamais ne pas n'est c'est qu'il qu'elle d'un d'une l'un aux au lors lorsque puisque
    parce comme être fait faire été peut doivent doit devrait pourrait également cependant ainsi alors""".split()
)
SPANISH = frozenset(
    """el los las del y o es son fue fueron ser estar está están había han ha una unos unas con sin sobre entre
    hacia desde durante según contra también muy más menos ya todavía siempre nunca pero porque como para
    por que quien cuyo este esta estos estas ese esa esos esas su sus nuestro nuestra norcoreano norcoreana
    norcoreanos norcoreanas surcoreano surcoreana surcoreanos surcoreanas ruso rusa rusos rusas estadounidense
    dirigente presidente ministro municiones armas acuerdo""".split()
)
# Words shared by English and a source language that must not count as leftovers.
_SHARED = frozenset("a on son sur plus pour est ce ne pas as me fin via car sans entre".split()) | ENGLISH


@dataclass(frozen=True)
class Leftover:
    """A source-language word found in English text."""

    start: int
    end: int
    word: str
    language: str  # "fr" or "es"


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def scores(text: str) -> dict[str, float]:
    """Share of words that are English / French / Spanish function words."""
    ws = words(text)
    if not ws:
        return {"en": 0.0, "fr": 0.0, "es": 0.0}
    n = len(ws)
    return {
        "en": sum(w in ENGLISH for w in ws) / n,
        "fr": sum(w in FRENCH for w in ws) / n,
        "es": sum(w in SPANISH for w in ws) / n,
    }


def guess(text: str) -> str:
    """'en', 'fr', 'es', or 'und' when the text has too few function words to tell."""
    s = scores(text)
    lang = max(s, key=lambda k: s[k])
    return lang if s[lang] >= 0.08 else "und"


def is_english(text: str) -> bool:
    """True when *text* reads as English rather than French (used to keep English segments verbatim)."""
    s = scores(text)
    return s["en"] >= 0.12 and s["en"] > 2 * s["fr"]


def leftovers(text: str, languages: tuple[str, ...] = ("fr", "es")) -> list[Leftover]:
    """French or Spanish words in an English text (function words and words with no English use)."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower().replace("’", "'")
        if w in _SHARED or (m.group().isupper() and len(m.group()) > 1):
            continue
        if "fr" in languages and (w in FRENCH or (w.split("'")[-1] != w and w.split("'")[0] in {"l", "d", "qu", "n"})):
            out.append(Leftover(m.start(), m.end(), m.group(), "fr"))
        elif "es" in languages and w in SPANISH:
            out.append(Leftover(m.start(), m.end(), m.group(), "es"))
    return out
