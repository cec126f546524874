"""gettext plural rules: the ``Plural-Forms`` a PO file's header gives for its language.

The rules are those of the gettext manual ("Plural forms", "Additional functions for plural
forms") for the languages a glossary is likely to be translated into; any other language gets
the English rule (two forms, singular for 1 only), which ``msgfmt -c`` accepts.

>>> plural_forms("fra")
'nplurals=2; plural=(n > 1);'
"""

from __future__ import annotations

from . import codes

_TWO = "nplurals=2; plural=(n != 1);"
_EAST_SLAVIC = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
_ONE = "nplurals=1; plural=0;"

#: ``Plural-Forms`` by ISO 639-1 code
RULES: dict[str, str] = {
    "en": _TWO,
    "ca": _TWO,
    "de": _TWO,
    "es": _TWO,
    "eu": _TWO,
    "gl": _TWO,
    "it": _TWO,
    "nl": _TWO,
    "pt": _TWO,
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": _EAST_SLAVIC,
    "uk": _EAST_SLAVIC,
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ko": _ONE,
    "ja": _ONE,
    "zh": _ONE,
}


def plural_forms(code: str) -> str:
    """The ``Plural-Forms`` header of a PO file in language *code* (any tag: ``fr``, ``fra``,
    ``pt_BR``); the English rule for a language not in :data:`RULES` or a tag that is none."""
    try:
        short = codes.normalise(code)
    except ValueError:
        return RULES["en"]
    return RULES.get(short, RULES["en"])
