"""Italian: l' dell' all' nell' sull' dall' un' elisions, della/degli/nel leftovers, group '.',
decimal ',', milioni / miliardi."""

from __future__ import annotations

from types import MappingProxyType

from .base import Language

_WORDS = frozenset(
    """della delle dello degli dei del nel nella nelle negli nei alla alle agli allo sul sulla sulle dal dalla
    dalle dai con che non sono è anche molto più già ancora dopo mentre quando dove perché questo questa questi
    queste quello quella suo sua suoi sue loro nostro essere stato stata hanno aveva detto governo paese città
    gli uno una tra fra secondo contro senza sotto verso presso il lo la le di da in per ma ha ai anni""".split()
)
_NOT_LEFTOVERS = frozenset("lo la le di da in per ma ha ai anni non dove sue uno verso dal".split())


class Italian(Language):
    code = "it"
    name = "Italian"
    unaccented_capitals = True  # capitals often lose their accent in press text (docs/names.md)

    decimal_mark = ","
    decimal_marks = ",."
    group_marks = ".\u00a0\u202f\u2009"
    thousand_words = ("mila",)
    quotes = (("«", "»"), ("“", "”"), ("‘", "’"))

    elisions = ("l'", "dell'", "all'", "dall'", "nell'", "sull'", "coll'", "un'", "quest'", "quell'", "d'")
    article_elisions = ("l'", "dell'", "all'", "dall'", "nell'", "sull'")
    elision_initials = "aeiouhàèéìòù"
    leftover_elisions = ("l'", "dell'", "all'", "dall'", "nell'", "sull'", "un'")
    abbreviations = frozenset(
        "Sig. Sigg. Sig.ra Dott. Dott.ssa Prof. Avv. Ing. ecc. pag. art. vol. cap. n. S.p.A.".split()
    )
    identify_words = _WORDS
    function_words = _WORDS - _NOT_LEFTOVERS
    ngrams = frozenset("zione|zioni|gli|cch|zz|ggi|chi|che|ità|dell|ell'|è|ò|tt|i | e |ato |are |ere ".split("|"))
    diacritics = "àèéìíòóù"

    multipliers = MappingProxyType(
        {"mila": 10**3, "milione": 10**6, "milioni": 10**6, "miliardo": 10**9, "miliardi": 10**9}
    )
    spelled_numbers = MappingProxyType(
        dict(
            zip(
                "due tre quattro cinque sette otto nove dieci undici dodici tredici quattordici quindici sedici "
                "diciassette diciotto diciannove venti trenta quaranta cinquanta sessanta cento mille".split(),
                [2, 3, 4, 5, *range(7, 21), 30, 40, 50, 60, 100, 1000],
                strict=True,
            )
        )
    )  # "sei" (6) is left out: it is also "you are"
    spelled_multipliers = MappingProxyType({"milioni": 10**6, "miliardi": 10**9})
    name_particles = Language.name_particles | {"di", "de", "della", "del", "da", "d", "dei", "degli"}
