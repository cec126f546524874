"""Language knowledge of kp-translate: one :class:`Language` per language, found by code.

>>> from kp_translate import lang
>>> lang.get("spa").decimal_mark
','
>>> str(lang.pair("fra", "en"))
'fr-en'
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from . import codes
from .base import Language, Pair, Proxy
from .en import English

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

#: the language modules (``fr.py``…) and their classes, each imported when its language is first
#: asked for: a run reads two or three languages of the eight
_CLASSES: dict[str, str] = {
    "fr": "French",
    "es": "Spanish",
    "ca": "Catalan",
    "gl": "Galician",
    "eu": "Basque",
    "pt": "Portuguese",
    "it": "Italian",
    "en": "English",
}
#: source languages, in the order reports list them
_SOURCES = ("fr", "es", "ca", "gl", "eu", "pt", "it")


@lru_cache(maxsize=64)
def _get(code: str) -> Language:
    name = _CLASSES.get(code)
    if name is None:
        plain: type[Language] = type(f"Language_{code}", (Language,), {"code": code, "name": codes.name(code)})
        return plain()
    cls: type[Language] = getattr(importlib.import_module(f"{__name__}.{code}"), name)
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
