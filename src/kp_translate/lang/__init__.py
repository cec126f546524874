"""Language knowledge of kp-translate: one :class:`Language` per language, found by code.

>>> from kp_translate import lang
>>> lang.get("spa").decimal_mark
','
>>> str(lang.pair("fra", "en"))
'fr-en'
"""

from __future__ import annotations

from functools import lru_cache

from . import codes
from .base import Language, Pair, Proxy
from .ca import Catalan
from .en import English
from .es import Spanish
from .eu import Basque
from .fr import French
from .gl import Galician
from .it import Italian
from .pt import Portuguese

__all__ = [
    "PIVOTS",
    "Language",
    "Pair",
    "Proxy",
    "get",
    "leftover_languages",
    "pair",
    "registered",
    "target_language",
    "target_languages",
]

#: pivot languages of two-hop routes, preferred first (docs/languages.md says how this was chosen)
PIVOTS = ("es", "ca")

_CLASSES: dict[str, type[Language]] = {
    c.code: c for c in (French, Spanish, Catalan, Galician, Basque, Portuguese, Italian, English)
}
#: source languages, in the order reports list them
_SOURCES = ("fr", "es", "ca", "gl", "eu", "pt", "it")


@lru_cache(maxsize=64)
def _get(code: str) -> Language:
    cls = _CLASSES.get(code)
    if cls is None:
        cls = type(f"Language_{code}", (Language,), {"code": code, "name": codes.name(code)})
    return cls()


@lru_cache(maxsize=256)
def get(code: str) -> Language:
    """The :class:`Language` for *code* (``"es"``, ``"spa"``, ``"ES"``, ``"pt-BR"``…), one instance per
    language. An unknown but well-formed code (``"de"``) gets a plain :class:`Language` with that
    code and neutral defaults; a string that is no language tag (``"spa-eng"``) raises ValueError."""
    return _get(codes.normalise(code))


def registered() -> tuple[str, ...]:
    """The source languages kp-translate has a module for."""
    return _SOURCES


def target_languages() -> tuple[str, ...]:
    """The languages kp-translate translates into."""
    return ("en",)


def target_language(code: str) -> English:
    """The target :class:`~kp_translate.lang.en.English` module for *code*; ValueError for a
    language kp-translate does not translate into."""
    language = get(code)
    if not isinstance(language, English):
        raise ValueError(f"kp-translate translates into {', '.join(target_languages())}, not {code!r}")
    return language


def pair(source: str, target: str = "en") -> Pair:
    """A :class:`Pair` of normalised codes."""
    return Pair(codes.normalise(source), codes.normalise(target))


def leftover_languages(source: str) -> tuple[str, ...]:
    """The languages whose words may be left in a translation from *source*: the source itself and
    the preferred pivot (a two-hop route leaves pivot words: ``norcoreano`` after fr→es→en)."""
    return tuple(dict.fromkeys((codes.normalise(source), PIVOTS[0])))
