"""Basque: no elisions; case endings after proper names (NATOren, Putinek, Errusiarekin, AEBek),
written with or without a hyphen; group '.', decimal ','; mila / milioi / mila milioi."""

from __future__ import annotations

from types import MappingProxyType

from .base import Language

_WORDS = frozenset(
    """eta ez da du dira zen zuen dute dago ere baina edo bat hau hori hura honek horrek zuten izan egin esan
    zuela duela baino oso gehiago beste arabera aurka buruz artean ondoren gabe bere haren urte urtean herrialde
    hiri nola non zer nor noiz baita ditu dituzte zituen daude dela zela ziren izango behar ari eman hartu
    gobernuak presidenteak ministroak""".split()
)
_NOT_LEFTOVERS = frozenset("da bat ere nor non zen".split())

#: Case endings a proper name may carry. A linking vowel (a/e) or r comes before some endings, as
#: Basque writes them after consonants and vowels: Putin-ek, NATO-ren, Errusia-rekin,
#: Pyongyang-en; a hyphen may come first.
SUFFIX_PATTERN = (
    r"-?(?:[ae]?r?(?:ekin|ekiko|entzat|engatik|en|i)"
    r"|[ae]?(?:k|ko|tik|tako|tan|n|z)"
    r"|[ae]?r?a(?:ntz|ino)?"
    r"|ek|ak|ean|eta(?:ko|n|ra|tik))"
)
#: A common-noun form carries the article (Mendebaldea "the West", Estatu Batuak "the United
#: States"), which a case ending replaces: Mendebaldeko, Estatu Batuetako, Estatu Batuek. (For a
#: name whose -a is its own, Errusia, the shortened stem only ever spells non-words: Errusiko.)
SUFFIX_REPLACES = ("ak", "a")


class Basque(Language):
    code = "eu"
    name = "Basque"

    decimal_mark = ","
    decimal_marks = ",."
    group_marks = ".\u00a0\u202f\u2009"
    quotes = (("«", "»"), ("“", "”"), ("‘", "’"))
    space_before_punct = "%"

    abbreviations = frozenset("etab. or. zk. adib. arg. AEB. Jn. And.".split())
    identify_words = _WORDS
    function_words = _WORDS - _NOT_LEFTOVERS
    ngrams = frozenset("tz|tx|ts|k|eko |aren|ak |rik|tzen|etan|ek |ren |ko |zu|ar ".split("|"))
    diacritics = "ñ"

    multipliers = MappingProxyType({"mila": 10**3, "milioi": 10**6, "mila milioi": 10**9, "bilioi": 10**12})
    spelled_numbers = MappingProxyType(
        dict(
            zip(
                [
                    *"bi hiru lau bost sei zazpi zortzi bederatzi hamar hamaika hamabi hamahiru hamalau "
                    "hamabost hamasei hamazazpi hemezortzi hemeretzi hogei".split(),
                    "hogeita hamar",
                    "berrogei",
                    "ehun",
                    "mila",
                ],
                [*range(2, 21), 30, 40, 100, 1000],
                strict=True,
            )
        )
    )
    spelled_multipliers = MappingProxyType({"milioi": 10**6, "mila milioi": 10**9})
    suffix_pattern = SUFFIX_PATTERN
    suffix_replaces = SUFFIX_REPLACES
