"""French: today's constants, copied exactly from segment, numbers, typography, langid, enforce,
qa and suggest (see the table in ``docs/languages.md``)."""

from __future__ import annotations

from types import MappingProxyType

from .base import Language, Proxy

_ABBREVIATIONS = """M MM Mme Mmes Mlle Dr Pr St Ste etc cf p pp art av apr J.-C vol n no env Gén Gen Col Lt Sgt Mr Mrs
Ms Jr Sr vs U.S Inc Corp Co Ltd janv févr sept oct nov déc""".split()

#: langid.FRENCH
_WORDS = frozenset(
    """le la les un une des du de et ou où est sont était étaient été être avoir a ont avait avaient il elle ils
    elles nous vous je tu on ce cet cette ces son sa ses leur leurs notre nos votre vos qui que quoi dont
    mais donc car ni pour par avec sans sous dans sur entre vers chez depuis pendant selon contre aussi très plus
    moins déjà encore toujours jamais ne pas n'est c'est qu'il qu'elle d'un d'une l'un aux au lors lorsque puisque
    parce comme être fait faire été peut doivent doit devrait pourrait également cependant ainsi alors""".split()
)
#: langid._SHARED less the English words: French words that are also English (never leftovers)
ENGLISH_HOMOGRAPHS = frozenset("a on son sur plus pour est ce ne pas as me fin via car sans entre".split())


class French(Language):
    code = "fr"
    name = "French"
    unaccented_capitals = True  # the press writes Etats-Unis, Election (docs/names.md)

    decimal_mark = ","
    decimal_marks = ",."  # numbers._FRENCH accepts both
    group_marks = " \u00a0\u202f\u2009"  # numbers._GROUP_SPACES
    quotes = (("«", "»"), ("‹", "›"))
    space_before_punct = ";:!?%"

    elisions = ("l'", "d'", "qu'", "jusqu'", "lorsqu'", "puisqu'")
    article_elisions = ("l'",)  # enforce._ELIDED / _ELIDED_BEFORE
    elision_initials = "aeiouyhâàäéèêëîïôöûùüœæ"
    leftover_elisions = ("l'", "d'", "qu'", "n'")  # langid.leftovers
    abbreviations = frozenset(a + "." for a in _ABBREVIATIONS)  # segment._ABBREVIATIONS
    identify_words = _WORDS
    function_words = _WORDS - ENGLISH_HOMOGRAPHS  # less English words: see lang.en.NOT_LEFTOVERS
    ngrams = frozenset(
        "eau|aux |eux |oux |ais |ait |ent |ées |qu'|ç|œ|ê|è|â|ô|û|î|ï|ë|tion|ment |oi|ée|és |eur".split("|")
    )
    diacritics = "éèêàâùûçîïôœë"  # qa._DIACRITICS less the Spanish ones
    # Apertium's fr-es reads soeur, coeur, manoeuvre, oeuvre; sœur, cœur... are unknown words to it
    ligatures = MappingProxyType({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})

    multipliers = MappingProxyType(
        {"million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9, "mille": 10**3}
    )
    spelled_numbers = MappingProxyType(
        dict(
            zip(
                "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept "
                "dix-huit dix-neuf vingt trente quarante cinquante soixante cent mille".split(),
                [*range(2, 21), 30, 40, 50, 60, 100, 1000],
                strict=True,
            )
        )
    )
    # numbers._SPELLED_RE reads "millions?|milliards?|billions?" with numbers._MULTIPLIERS (billion = 10**9, sic)
    spelled_multipliers = MappingProxyType(
        {
            "million": 10**6,
            "millions": 10**6,
            "milliard": 10**9,
            "milliards": 10**9,
            "billion": 10**9,
            "billions": 10**9,
        }
    )

    proxies = (  # enforce.PROXIES
        Proxy(("japonais", "japonaise", "japonais", "japonaises"), ("Japanese",), ("japon", "japan", "nippon")),
        Proxy(("portugais", "portugaise", "portugais", "portugaises"), ("Portuguese",), ("portug",)),
        Proxy(
            ("suédois", "suédoise", "suédois", "suédoises"), ("Swedish", "Swedes", "Swede"), ("suède", "sued", "swed")
        ),
        Proxy(
            ("danois", "danoise", "danois", "danoises"),
            ("Danish", "Danes", "Dane"),
            ("danois", "danem", "dane", "danish"),
        ),
        Proxy(
            ("finlandais", "finlandaise", "finlandais", "finlandaises"),
            ("Finnish", "Finns", "Finn"),
            ("finland", "finn"),
        ),
        Proxy(("hongrois", "hongroise", "hongrois", "hongroises"), ("Hungarian", "Hungarians"), ("hongr", "hungar")),
        Proxy(
            ("islandais", "islandaise", "islandais", "islandaises"), ("Icelandic", "Icelanders"), ("island", "iceland")
        ),
        Proxy(("écossais", "écossaise", "écossais", "écossaises"), ("Scottish", "Scots", "Scot"), ("écoss", "scot")),
    )
    # enforce._NATIONALITY_SUFFIX / _ADJECTIVE_SUFFIX
    nationality_suffix = r"(?:éen|éenne|éens|éennes|ais|aise|aises|ois|oise|oises|ien|ienne|iens|iennes)$"
    adjective_suffix = (
        r"(?:éen|éenne|éens|éennes|ais|aise|aises|ois|oise|oises|ien|ienne|iens|iennes|ique|iques|al|ale|aux|ales"
        r"|azi|azie|azis|azies)$"
    )
    # suggest._CONNECTORS
    name_particles = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "von", "van", "al", "bin", "ibn"})
