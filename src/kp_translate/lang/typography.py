"""Typographic mechanics shared by every language: variant characters, folding, whole-word forms.

No language data here: what a *word* is comes from the :class:`~kp_translate.lang.base.Language`
(``word_chars``: Catalan ``·``; ``suffix_pattern``: Basque case endings).

Character classes (the superset of today's copies, see ``docs/languages.md``):

* :data:`SPACES`: characters equal to a plain space (no-break, narrow no-break, thin, figure, en/em
  quads and spaces, hair, ideographic). Inside a form, a space matches any run of white space.
* :data:`APOSTROPHES`: ``’ ʼ ‘`` equal to ``'``.
* :data:`HYPHENS`: ``‐ ‑`` equal to ``-`` (not the en or em dash).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from ..rx import compiled

if TYPE_CHECKING:
    from .base import Language

SPACES = "\u00a0\u202f\u2009\u2007\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000"
APOSTROPHES = "\u2019\u02bc\u2018"
HYPHENS = "\u2010\u2011"
#: white space that :func:`fold` maps to a space besides :data:`SPACES` (metrics.base folds these too)
CONTROL_SPACES = "\t\n\r\v\f"
#: spaces that group digits (numbers.py ``_GROUP_SPACES``)
GROUP_SPACES = " \u00a0\u202f\u2009"
#: the spaces typography.py removes or converts (``_SPACE``)
TYPOGRAPHIC_SPACES = " \u00a0\u202f\u2009\u2007"

_FOLD = str.maketrans(
    {c: " " for c in SPACES + CONTROL_SPACES} | {c: "'" for c in APOSTROPHES} | {c: "-" for c in HYPHENS}
)
#: inside a form: what each folded character matches
CHAR_CLASS = {" ": r"\s+", "'": "['" + APOSTROPHES + "]", "-": "[-" + HYPHENS + "]"}


def fold(text: str) -> str:
    """One-to-one folding (offsets are kept): every space variant and white-space character to a
    space, apostrophe variants to ``'``, hyphen variants to ``-``. Idempotent."""
    return text.translate(_FOLD)


def normalise(text: str) -> str:
    """:func:`fold`, then runs of white space collapsed to one space and the ends stripped (the key
    under which glossary forms are stored and compared: ``glossary.normalise_form``)."""
    return " ".join(fold(text).split())


def word_class(lang: Language) -> str:
    """A regex class of the characters that belong to a word in *lang* (letters, digits, ``_`` and
    the language's ``word_chars``)."""
    return "[\\p{L}\\p{N}_" + regex.escape(lang.word_chars) + "]" if lang.word_chars else r"[\p{L}\p{N}_]"


def boundaries(lang: Language) -> tuple[str, str]:
    """Regex assertions ``(before, after)``: no word character of *lang* just before (after) this
    point, nor one of its ``word_joiners`` between two of its letters (Catalan ``col.laboració``)."""
    word = word_class(lang)
    before, after = f"(?<!{word})", f"(?!{word})"
    for ch, letters in sorted(lang.word_joiners.items()):
        j, ls = regex.escape(ch), "[" + regex.escape(letters) + "]"
        before += f"(?<!{ls}{j}(?={ls}))"
        after += f"(?!{j}(?<={ls}{j}){ls})"
    return before, after


@lru_cache(maxsize=1 << 14)
def _compiled(
    form: str, bounds: tuple[str, str], variants: tuple[tuple[str, str], ...], suffix: str, stems: str, flags: int
) -> regex.Pattern[str]:
    classes = {c: "[" + regex.escape(c + vs) + "]" for c, vs in variants}
    body = "".join(CHAR_CLASS.get(ch) or classes.get(ch) or regex.escape(ch) for ch in form)
    if suffix:
        # the form, or the form less an ending the case ending replaces (eu: Estatu Batuak → Estatu Batuetako)
        replaced = [e for e in stems.split() if form.endswith(e) and len(form) - len(e) >= 3]
        stem_bodies = [body[: len(body) - len(regex.escape(e))] for e in replaced]
        body = "(?:" + "|".join([f"{body}(?:{suffix})?", *(f"{b}(?:{suffix})" for b in stem_bodies)]) + ")"
    return compiled(f"{bounds[0]}{body}{bounds[1]}", flags)


def form_regex(form: str, lang: Language, case_sensitive: bool = True, *, suffixes: bool = False) -> regex.Pattern[str]:
    """THE whole-word pattern for *form* in text of *lang*.

    The form is :func:`normalise`-d; a space in it matches any run of white space, an apostrophe or
    hyphen any of its variants, a language variant character its variants (Catalan ``·``:
    ``· ‧ · .``). The match may not start or end inside a word of *lang* (so ``laboració`` is not found
    in ``col·laboració`` nor in ``col.laboració``). With *suffixes*, the language's
    ``suffix_pattern`` may follow (Basque ``NATOren`` for ``NATO``), also in place of one of its
    ``suffix_replaces`` endings (``Estatu Batuetako`` for ``Estatu Batuak``). Compiled patterns are cached.
    """
    key = normalise(form)
    flags = 0 if case_sensitive else regex.IGNORECASE
    variants = tuple(sorted(lang.char_variants.items()))
    suffix = lang.suffix_pattern if suffixes else ""
    return _compiled(key, boundaries(lang), variants, suffix, " ".join(lang.suffix_replaces), flags)
