"""Catalan: the punt volat '·' is a word character (col·laboració is one word), l' d' n' elisions,
group '.', decimal ',', milions / mil milions / bilions."""

from __future__ import annotations

from types import MappingProxyType

from .base import Language, proxies_from

_WORDS = frozenset(
    """amb dels dels als pels els del seva seu seus seves és són però perquè també més aquest aquesta aquests
    aquestes després segons havia havien encara mai doncs quan què ells elles nosaltres vosaltres govern país
    una unes uns sobre fins entre cap contra sense tot tots totes molt molts moltes ha han va van ja sí hi ho li
    per com on no la les el en un de que i o ara any anys va dir diu ell""".split()
)
# Catalan words that are English words too, or too ambiguous to report as leftovers
_NOT_LEFTOVERS = frozenset(
    "per com on no la les el en un de que i o ara any anys cap tot tots fins sense molt ha han va van hi ho li ell "
    "entre contra sobre dir diu una govern molts".split()
)


class Catalan(Language):
    code = "ca"
    name = "Catalan"

    decimal_mark = ","
    decimal_marks = ",."
    group_marks = ".\u00a0\u202f\u2009"
    thousand_words = ("mil",)
    quotes = (("«", "»"), ("“", "”"), ("‘", "’"))
    space_before_punct = "%"

    word_chars = "·\u0387\u2027"  # punt volat (U+00B7), Greek ano teleia and hyphenation point written for it
    # written for it: the Greek ano teleia, the hyphenation point and (some press) a full stop, which
    # is then inside a word only between two l (col.laboració; Girona.La is two words)
    char_variants = MappingProxyType({"·": "\u0387\u2027."})
    word_joiners = MappingProxyType({".": "lL"})
    elisions = ("l'", "d'", "n'")
    article_elisions = ("l'",)
    elision_initials = "aeiouhàèéíòóú"
    leftover_elisions = ("l'", "d'")
    abbreviations = frozenset("Sr. Sra. Dr. Dra. pàg. núm. etc. art. vol. cap. aprox. av. EUA. c. p. ex.".split())
    identify_words = _WORDS
    function_words = _WORDS - _NOT_LEFTOVERS
    ngrams = frozenset("·|ny|ix|tx|ç|à|è|ò|ï|ció|cions|tat |ts | va | els |ll|nt |aqu|eu |l'".split("|"))
    diacritics = "àèéíòóúïüç·"

    multipliers = MappingProxyType(
        {
            "mil": 10**3,
            "milió": 10**6,
            "milions": 10**6,
            "mil milions": 10**9,
            "miliard": 10**9,
            "miliards": 10**9,
            "bilió": 10**12,
            "bilions": 10**12,
        }
    )
    spelled_numbers = MappingProxyType(
        dict(
            zip(
                "dos tres quatre cinc sis set vuit nou deu onze dotze tretze catorze quinze setze disset divuit dinou "
                "vint trenta quaranta cinquanta seixanta cent mil".split(),
                [*range(2, 21), 30, 40, 50, 60, 100, 1000],
                strict=True,
            )
        )
    )
    spelled_multipliers = MappingProxyType({"milions": 10**6, "mil milions": 10**9, "bilions": 10**12})
    proxies = proxies_from(
        (
            (("japonès", "japonesa", "japonesos", "japoneses"), ("Japanese",), ("japon", "japan", "nipon")),
            (("suec", "sueca", "suecs", "sueques"), ("Swedish", "Swedes", "Swede"), ("suec", "swed")),
            (("hongarès", "hongaresa", "hongaresos", "hongareses"), ("Hungarian", "Hungarians"), ("hongar", "hungar")),
        ),
        (("es", "ques"), ("a",), ("os", "s")),
    )
    #: nationality and other adjectives a one-word term is protected by a proxy for (nord-coreà, soviètic)
    adjective_suffix = r"(?:à|ana|ans|anes|ès|esa|esos|eses|ic|ica|ics|iques|eu|ea|eus|ees)$"
    name_particles = Language.name_particles | {"de", "del", "d", "i", "la", "l"}
