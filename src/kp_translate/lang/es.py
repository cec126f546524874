"""Spanish: ¿ ¡, « » then “ ” quotes, group '.', decimal ',', millón / mil millones / billón (10¹²),
Sr. Sra. EE. UU., the pivot words today's langid.SPANISH lists (norcoreano…)."""

from __future__ import annotations

from types import MappingProxyType

from .base import Language, proxies_from

#: langid.SPANISH (the words Apertium's fr→es→en pivot leaves behind), less "sin" (an English word)
_PIVOT = frozenset(
    """el los las del y o es son fue fueron ser estar está están había han ha una unos unas con sobre entre
    hacia desde durante según contra también muy más menos ya todavía siempre nunca pero porque como para
    por que quien cuyo este esta estos estas ese esa esos esas su sus nuestro nuestra norcoreano norcoreana
    norcoreanos norcoreanas surcoreano surcoreana surcoreanos surcoreanas ruso rusa rusos rusas estadounidense
    dirigente presidente ministro municiones armas acuerdo""".split()
)
_MORE = frozenset(
    """al aunque donde cuando mientras sino tras dijo afirmó señaló aseguró gobierno país años año esto eso aquí
    allí ahora hoy otro otra otros otras mismo misma cual cuales cuyo cuya tiene tienen hay puede pueden
    sido siendo hacer hizo dos tres cuatro cinco seis siete ocho nueve diez""".split()
)
#: langid._SHARED less the English words, and "ha" (an English interjection)
_ENGLISH = frozenset("a on son sur plus pour est ce ne pas as me fin via car sans entre ha".split())


class Spanish(Language):
    code = "es"
    name = "Spanish"
    unaccented_capitals = True  # capitals often lose their accent in press text (docs/names.md)

    decimal_mark = ","
    decimal_marks = ",."  # "11.000" is read as a group first; "3.5" (American Spanish) as a decimal
    group_marks = ".\u00a0\u202f\u2009"
    thousand_words = ("mil",)
    quotes = (("«", "»"), ("“", "”"), ("‘", "’"))
    inverted_marks = "¿¡"
    space_before_punct = "%"  # "54 %" (RAE)

    abbreviations = frozenset(
        """Sr. Sra. Sres. Srta. Dr. Dra. Lic. Ing. D. Dña. Ud. Uds. Vd. EE. UU. EE.UU. etc. pág. págs. núm. art.
        vol. cap. aprox. Avda. Gral. Cnel. Tte. Sto. Sta. S.A. p. ej. a. C. d. C. ene. feb. mar. abr. jun. jul.
        ago. sept. oct. nov. dic.""".split()
    )
    identify_words = _PIVOT | frozenset({"sin"})  # exactly langid.SPANISH
    more_words = _MORE | frozenset("de la en un lo se le no a".split())
    function_words = (_PIVOT | _MORE) - _ENGLISH
    ngrams = frozenset("ñ|ción|ciones|¿|¡|ll|dad |ía|ado |ada |ido |ué|ió|ue|ie".split("|"))
    diacritics = "ñáíóú"  # qa.accented_leftovers' Spanish letters (é is shared with French)

    multipliers = MappingProxyType(
        {
            "mil": 10**3,
            "millón": 10**6,
            "millon": 10**6,
            "millones": 10**6,
            "mil millones": 10**9,
            "millardo": 10**9,
            "millardos": 10**9,
            "billón": 10**12,
            "billones": 10**12,
        }
    )
    spelled_numbers = MappingProxyType(
        dict(
            zip(
                "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete "
                "dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta cien mil".split(),
                [*range(2, 21), 30, 40, 50, 60, 100, 1000],
                strict=True,
            )
        )
    )
    spelled_multipliers = MappingProxyType(
        {"millón": 10**6, "millones": 10**6, "mil millones": 10**9, "billón": 10**12, "billones": 10**12}
    )
    proxies = proxies_from(
        (
            (("japonés", "japonesa", "japoneses", "japonesas"), ("Japanese",), ("japon", "japan", "nipon")),
            (("portugués", "portuguesa", "portugueses", "portuguesas"), ("Portuguese",), ("portug",)),
            (("sueco", "sueca", "suecos", "suecas"), ("Swedish", "Swedes", "Swede"), ("suec", "swed")),
            (("danés", "danesa", "daneses", "danesas"), ("Danish", "Danes", "Dane"), ("danes", "dinamar", "dan")),
            (
                ("finlandés", "finlandesa", "finlandeses", "finlandesas"),
                ("Finnish", "Finns", "Finn"),
                ("finland", "finn"),
            ),
            (
                ("húngaro", "húngara", "húngaros", "húngaras"),
                ("Hungarian", "Hungarians"),
                ("hungr", "húngar", "hungar"),
            ),
            (("islandés", "islandesa", "islandeses", "islandesas"), ("Icelandic", "Icelanders"), ("island", "iceland")),
            (("escocés", "escocesa", "escoceses", "escocesas"), ("Scottish", "Scots", "Scot"), ("escoc", "scot")),
        )
    )
    #: nationality and other adjectives a one-word term is protected by a proxy for (norcoreano, soviético)
    adjective_suffix = r"(?:ano|ana|anos|anas|és|esa|eses|esas|ense|enses|ico|ica|icos|icas|eo|ea|eos|eas)$"
    name_particles = Language.name_particles | {"de", "del", "la", "las", "los", "y"}
