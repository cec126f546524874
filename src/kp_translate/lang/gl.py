"""Galician: contractions written solid (do, da, coa, cunha), non, xa, tamén; group '.', decimal ','."""

from __future__ import annotations

from types import MappingProxyType

from .base import Language, proxies_from

_WORDS = frozenset(
    """coa coas co cun cunha cunhas unha unhas non dos das nos nas polo pola polos polas tamén moi máis xa ata
    dende despois mentres cando onde porque pero está foi foron ser ten teñen hai dixo goberno país cidade este
    esta estes estas iso isto aquí seu súa seus súas noso nosa ao aos á ás os o a do da no na que e é de en un
    como para por sobre entre segundo contra sen era eran ano anos tras""".split()
)
_NOT_LEFTOVERS = frozenset(
    "non polo polos ten o a do da no na que e é de en un como para por sobre entre segundo contra sen era tras "
    "este ano anos co".split()
)


class Galician(Language):
    code = "gl"
    name = "Galician"

    decimal_mark = ","
    decimal_marks = ",."
    group_marks = ".\u00a0\u202f\u2009"
    thousand_words = ("mil",)
    quotes = (("«", "»"), ("“", "”"), ("‘", "’"))
    inverted_marks = "¿¡"  # optional in Galician, written by some
    space_before_punct = "%"

    abbreviations = frozenset("Sr. Sra. Dr. Dra. páx. núm. etc. art. vol. cap. aprox. EUA. EE. UU.".split())
    identify_words = _WORDS
    function_words = _WORDS - _NOT_LEFTOVERS
    ngrams = frozenset("x|cións|nh|ou |ei|ase | unha |nunha|aín|ao | o | os |ía |eu |ón ".split("|"))
    diacritics = "áéíóúñ"

    multipliers = MappingProxyType(
        {
            "mil": 10**3,
            "millón": 10**6,
            "millóns": 10**6,
            "mil millóns": 10**9,
            "billón": 10**12,
            "billóns": 10**12,
        }
    )
    spelled_numbers = MappingProxyType(
        dict(
            zip(
                "dous dúas tres catro cinco seis sete oito nove dez once doce trece catorce quince dezaseis "
                "dezasete dezaoito dezanove vinte trinta corenta cincuenta sesenta cen mil".split(),
                [2, 2, *range(3, 21), 30, 40, 50, 60, 100, 1000],
                strict=True,
            )
        )
    )
    spelled_multipliers = MappingProxyType({"millóns": 10**6, "mil millóns": 10**9, "billóns": 10**12})
    proxies = proxies_from(
        (
            (("xaponés", "xaponesa", "xaponeses", "xaponesas"), ("Japanese",), ("xapon", "japan", "nipon")),
            (("sueco", "sueca", "suecos", "suecas"), ("Swedish", "Swedes", "Swede"), ("suec", "swed")),
            (
                ("húngaro", "húngara", "húngaros", "húngaras"),
                ("Hungarian", "Hungarians"),
                ("hungr", "húngar", "hungar"),
            ),
        )
    )
    #: nationality and other adjectives a one-word term is protected by a proxy for (norcoreano, soviético)
    adjective_suffix = r"(?:ano|ana|anos|anas|és|esa|eses|esas|ense|enses|ico|ica|icos|icas|eo|ea|eos|eas)$"
    name_particles = Language.name_particles | {"de", "do", "da", "dos", "das", "e"}
