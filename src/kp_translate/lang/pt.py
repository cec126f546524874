"""Portuguese (pt-PT; pt-BR reaches this module by code fallback): da/do/dos contractions as name
particles, não, com; group '.', decimal ','; mil milhões (10⁹), bilião (pt-PT 10¹²) vs bilhão
(pt-BR 10⁹)."""

from __future__ import annotations

from types import MappingProxyType

from .base import Language, proxies_from

_WORDS = frozenset(
    """não com dos das uma umas uns pelo pela pelos pelas também muito muitos mais já até depois enquanto quando
    onde porque mas está estão foi foram são ser tem têm há disse governo país cidade este esta estes estas isso
    isto aqui seu sua seus suas nosso nossa ao aos à às num numa nos nas ele ela eles elas lhe os o a do da no na
    que e é de em um como para por sobre entre segundo desde contra sem era eram ano anos""".split()
)
_NOT_LEFTOVERS = frozenset(
    "à o a do da no na que e é de em um como para por sobre entre segundo desde contra sem era este ano anos".split()
)


class Portuguese(Language):
    code = "pt"
    name = "Portuguese"
    unaccented_capitals = True  # capitals often lose their accent in press text (docs/names.md)

    decimal_mark = ","
    decimal_marks = ",."
    group_marks = ".\u00a0\u202f\u2009"
    thousand_words = ("mil",)
    quotes = (("«", "»"), ("“", "”"), ("‘", "’"))
    space_before_punct = "%"

    abbreviations = frozenset("Sr. Sra. Dr. Dra. Srs. pág. n.º nº. etc. art. vol. cap. aprox. EUA. EE. UU. Av.".split())
    identify_words = _WORDS
    function_words = _WORDS - _NOT_LEFTOVERS
    ngrams = frozenset("ção|ções|ão|õe|ã|õ|lh|nh|ê|ô|ss|m |ç| um | em | o | os |ei|ou ".split("|"))
    diacritics = "ãõâêôáéíóúàç"

    multipliers = MappingProxyType(
        {
            "mil": 10**3,
            "milhão": 10**6,
            "milhões": 10**6,
            "mil milhões": 10**9,
            "bilhão": 10**9,  # pt-BR
            "bilhões": 10**9,  # pt-BR
            "bilião": 10**12,  # pt-PT
            "biliões": 10**12,  # pt-PT
        }
    )
    spelled_numbers = MappingProxyType(
        dict(
            zip(
                "dois duas três quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezasseis "
                "dezesseis dezassete dezessete dezoito dezanove dezenove vinte trinta quarenta cinquenta sessenta cem "
                "mil".split(),
                [
                    2,
                    2,
                    3,
                    4,
                    5,
                    6,
                    7,
                    8,
                    9,
                    10,
                    11,
                    12,
                    13,
                    14,
                    15,
                    16,
                    16,
                    17,
                    17,
                    18,
                    19,
                    19,
                    20,
                    30,
                    40,
                    50,
                    60,
                    100,
                    1000,
                ],
                strict=True,
            )
        )
    )
    spelled_multipliers = MappingProxyType({"milhões": 10**6, "mil milhões": 10**9, "bilhões": 10**9})
    proxies = proxies_from(
        (
            (("japonês", "japonesa", "japoneses", "japonesas"), ("Japanese",), ("japon", "japan", "nipon")),
            (("sueco", "sueca", "suecos", "suecas"), ("Swedish", "Swedes", "Swede"), ("suec", "swed")),
            (
                ("dinamarquês", "dinamarquesa", "dinamarqueses", "dinamarquesas"),
                ("Danish", "Danes"),
                ("dinamar", "dan"),
            ),
            (("finlandês", "finlandesa", "finlandeses", "finlandesas"), ("Finnish", "Finns"), ("finland", "finn")),
            (("islandês", "islandesa", "islandeses", "islandesas"), ("Icelandic", "Icelanders"), ("island", "iceland")),
        )
    )
    #: nationality and other adjectives a one-word term is protected by a proxy for (norte-coreano, soviético)
    adjective_suffix = r"(?:ano|ana|anos|anas|ês|esa|eses|esas|ense|enses|ico|ica|icos|icas|eu|eia|eus|eias)$"
    name_particles = Language.name_particles | {"de", "da", "do", "dos", "das", "e"}
