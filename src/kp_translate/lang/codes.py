"""Language codes: ISO 639-1 ↔ ISO 639-3 ↔ English names, tag normalisation, Apertium mode names.

Only the languages kp-translate knows are in :data:`LANGUAGES`; :func:`normalise` still accepts any
well-formed tag (``de``, ``nl-BE``) and returns its primary subtag, so that :func:`kp_translate.lang.get`
can fall back to a plain :class:`~kp_translate.lang.base.Language` for it.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from ..rx import compiled


class LanguageCode(NamedTuple):
    """One language: ISO 639-1 (``alpha2``), ISO 639-3 (``alpha3``), English ``name``."""

    alpha2: str
    alpha3: str
    name: str
    bibliographic: str = ""  # ISO 639-2/B where it differs from 639-3 (fre, baq)


LANGUAGES: dict[str, LanguageCode] = {
    c.alpha2: c
    for c in (
        LanguageCode("fr", "fra", "French", "fre"),
        LanguageCode("es", "spa", "Spanish"),
        LanguageCode("ca", "cat", "Catalan"),
        LanguageCode("gl", "glg", "Galician"),
        LanguageCode("eu", "eus", "Basque", "baq"),
        LanguageCode("pt", "por", "Portuguese"),
        LanguageCode("it", "ita", "Italian"),
        LanguageCode("en", "eng", "English"),
    )
}
_BY_ALPHA3: dict[str, str] = {
    **{c.alpha3: c.alpha2 for c in LANGUAGES.values()},
    **{c.bibliographic: c.alpha2 for c in LANGUAGES.values() if c.bibliographic},
}

# BCP 47-ish: primary subtag (2-3 letters), then script (4 letters), region (2 letters or 3
# digits) or variant (5-8 alphanumerics, or a digit and 3 alphanumerics); '-' or '_' between.
_SUBTAG = r"(?:[a-z]{4}|[a-z]{2}|\d{3}|[a-z\d]{5,8}|\d[a-z\d]{3})"
_TAG = compiled(rf"(?P<primary>[a-z]{{2,3}})(?:[-_]{_SUBTAG})*", regex.IGNORECASE)


def normalise(code: str) -> str:
    """The ISO 639-1 code of a language tag when there is one, else its lower-cased primary subtag.

    ``"FR"``, ``"fra"``, ``"fre"`` → ``"fr"``; ``"pt_BR"``, ``"pt-BR"``, ``"por"`` → ``"pt"``; ``"de"`` → ``"de"``.
    Raises :class:`ValueError` for what is not a tag at all (``""``, ``"spa-eng_US"``: a mode name).
    """
    m = _TAG.fullmatch(code.strip())
    if m is None:
        raise ValueError(f"not a language code: {code!r}")
    primary = str(m.group("primary")).lower()
    return _BY_ALPHA3.get(primary, primary)


#: the English names of :data:`LANGUAGES`, lower-cased
_BY_NAME: dict[str, str] = {c.name.lower(): c.alpha2 for c in LANGUAGES.values()}


def by_name(text: str) -> str | None:
    """The ISO 639-1 code of the language of :data:`LANGUAGES` whose English name *text* is, in any
    case (``"Spanish"`` → ``"es"``); None for anything else."""
    return _BY_NAME.get(text.strip().lower())


def name(code: str) -> str:
    """English name of a language (``"es"`` → ``"Spanish"``); the code itself when unknown."""
    try:
        short = normalise(code)
    except ValueError:
        return code
    known = LANGUAGES.get(short)
    return known.name if known else short


def alpha3(code: str) -> str:
    """ISO 639-3 code (``"es"`` → ``"spa"``); the normalised code itself when unknown."""
    short = normalise(code)
    known = LANGUAGES.get(short)
    return known.alpha3 if known else short


def _known(code: str) -> str | None:
    low = code.lower()
    if low in LANGUAGES:
        return low
    return _BY_ALPHA3.get(low)


def parse_mode(mode: str) -> tuple[str, str, str] | None:
    """An Apertium mode name read as ``(source, target, variant)`` with ISO 639-1 codes.

    ``"fr-es"`` → ``("fr", "es", "")``; ``"spa-eng_US"`` → ``("es", "en", "US")``;
    ``"eng-cat_valencia_uni"`` → ``("en", "ca", "valencia_uni")``. ``None`` for a name that is not
    two known codes joined by ``-`` (``"eco-fr-es"``, ``"fr"``), or whose source carries a variant.
    """
    parts = mode.strip().split("-")
    if len(parts) != 2:
        return None
    source = _known(parts[0])
    target_code, _, variant = parts[1].partition("_")
    target = _known(target_code)
    if source is None or target is None or source == target:
        return None
    return source, target, variant
