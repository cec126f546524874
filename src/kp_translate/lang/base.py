"""What a language is to kp-translate: data (class attributes) and default behaviour built from it.

A language module (``fr.py``, ``es.py``…) subclasses :class:`Language` and sets data only. Code
elsewhere takes a ``Language`` (from :func:`kp_translate.lang.get`) or a :class:`Pair` and never
spells a language rule itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, NamedTuple

import regex

from ..rx import compiled
from . import names, sentences, typography
from .names import Country, RuleSet

if TYPE_CHECKING:
    from .numbers import Number

_EMPTY: Mapping[str, int] = MappingProxyType({})
_NO_VARIANTS: Mapping[str, str] = MappingProxyType({})
#: the apostrophes an elided article ends with
_ELISION_MARKS = "'’ʼ"


class Pair(NamedTuple):
    """A translation direction between two ISO 639-1 codes."""

    source: str  # "es"
    target: str  # "en"

    def __str__(self) -> str:
        return f"{self.source}-{self.target}"


class Proxy(NamedTuple):
    """A source-language nationality adjective standing in for a protected single-word term
    (moved from ``enforce.Proxy``): the engine translates *and moves* it like the term, then its
    English rendering is replaced by the target."""

    forms: tuple[str, str, str, str]  # masculine singular, feminine singular, masculine plural, feminine plural
    english: tuple[str, ...]  # what the engine renders it as (first: the adjective)
    stems: tuple[str, ...]  # if any occurs in a segment, the proxy is not used there
    #: how the language marks agreement: endings of a feminine plural, a feminine singular and a
    #: masculine plural word (French ``-es``, ``-e``, ``-s``/``-x``; Spanish ``-as``, ``-a``, ``-os``/``-es``)
    endings: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (("es",), ("e",), ("s", "x"))

    @property
    def family(self) -> tuple[str, ...]:
        """Its stems and forms: a segment holding any of them cannot use this proxy."""
        return self.stems + self.forms

    def form_for(self, word: str) -> str:
        """The proxy form agreeing with *word* (gender and number read from its ending)."""
        w = word.lower()
        feminine_plural, feminine, plural = self.endings
        if w.endswith(feminine_plural):
            form = self.forms[3]
        elif w.endswith(feminine):
            form = self.forms[1]
        elif w.endswith(plural):
            form = self.forms[2]
        else:
            form = self.forms[0]
        return form[0].upper() + form[1:] if word[:1].isupper() else form


@lru_cache(maxsize=8)
def _ligature_table(pairs: tuple[tuple[str, str], ...]) -> dict[int, str]:
    return str.maketrans(dict(pairs))


class Language:
    """A language: data as class attributes, behaviour as methods with default implementations.

    Every attribute has a neutral default, so an unknown code still gets a working object.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""

    # -- typography -----------------------------------------------------------------------
    decimal_mark: ClassVar[str] = "."  # the one this language writes
    decimal_marks: ClassVar[str] = "."  # the ones a number reader accepts (fr: ",." as today)
    group_marks: ClassVar[str] = ","  # between groups of three digits
    #: quote pairs, outer level first
    quotes: ClassVar[tuple[tuple[str, str], ...]] = (("“", "”"), ("‘", "’"))
    inverted_marks: ClassVar[str] = ""  # es: "¿¡" (open a question / exclamation)
    space_before_punct: ClassVar[str] = ""  # fr: ";:!?%" (a space is written before them)

    # -- words ----------------------------------------------------------------------------
    word_chars: ClassVar[str] = ""  # extra characters inside words (ca: "·")
    #: characters written in text for a word character of a form (ca: "·" → "\u0387\u2027.":
    #: ``col·laboració`` is also written ``col‧laboració``, ``col.laboració``)
    char_variants: ClassVar[Mapping[str, str]] = _NO_VARIANTS
    #: letters the language writes joined that the engine's dictionaries spell out (fr ``œ`` → ``oe``:
    #: Apertium's French reads ``soeur``, not ``sœur``); see :meth:`for_engine`
    ligatures: ClassVar[Mapping[str, str]] = _NO_VARIANTS
    #: characters inside a word only between two of the given letters (ca: the full stop written for
    #: the punt volat, ``{".": "lL"}``: ``col.laboració`` is one word, ``Girona.La`` two)
    word_joiners: ClassVar[Mapping[str, str]] = _NO_VARIANTS
    #: frequent characters that never stand inside a word: blanks and punctuation less this
    #: language's word characters and joiners (the matcher's quick test for a word boundary)
    _SEPARATORS: ClassVar[str] = " ,.;:!?\"'()[]«»“”-–—/\n"

    @classmethod
    def separators(cls) -> frozenset[str]:
        return frozenset(cls._SEPARATORS) - set(cls.word_chars) - set(cls.word_joiners)

    #: elided articles/prepositions (ending in "'") that may precede a form starting with a vowel or h
    elisions: ClassVar[tuple[str, ...]] = ()
    #: the elided articles a source form may carry (enforce keeps them before the placeholder)
    article_elisions: ClassVar[tuple[str, ...]] = ()
    #: first letters before which an elision is written (lower case; upper case is derived)
    elision_initials: ClassVar[str] = "aeiouh"
    #: sentence splitting never splits after these (written with their dots: "Sr.", "EE. UU.")
    abbreviations: ClassVar[frozenset[str]] = frozenset()
    #: words of this language that should never remain in an English translation (lower case, no English homographs)
    function_words: ClassVar[frozenset[str]] = frozenset()
    #: frequent words used to recognise the language (may overlap other languages, English included)
    identify_words: ClassVar[frozenset[str]] = frozenset()
    #: more words for :func:`kp_translate.lang.identify.identify` only (keeps ``identify_words`` as today's lists)
    more_words: ClassVar[frozenset[str]] = frozenset()
    #: character sequences typical of the language (identification of short texts)
    ngrams: ClassVar[frozenset[str]] = frozenset()
    #: elided words that are leftovers in English ("l'", "d'"...: l'accord)
    leftover_elisions: ClassVar[tuple[str, ...]] = ()
    #: accented letters of the language that English does not use (accented leftovers)
    diacritics: ClassVar[str] = ""

    # -- numbers --------------------------------------------------------------------------
    multipliers: ClassVar[Mapping[str, int]] = _EMPTY  # after digits: "1,5 millones"
    spelled_numbers: ClassVar[Mapping[str, int]] = _EMPTY  # "cinq" → 5
    spelled_multipliers: ClassVar[Mapping[str, int]] = _EMPTY  # after a spelled number: "cinq millions"

    # -- names ----------------------------------------------------------------------------
    proxies: ClassVar[tuple[Proxy, ...]] = ()
    nationality_suffix: ClassVar[str] = ""  # regex: endings of nationality adjectives/nouns
    adjective_suffix: ClassVar[str] = ""  # regex: endings of lower-case adjectives that get a proxy
    #: lower-case words that join the parts of a name ("de", "del", "von"...)
    name_particles: ClassVar[frozenset[str]] = frozenset({"von", "van", "al", "bin", "ibn"})
    #: regex fragment: endings an inflected proper-name form may carry (eu: NATOren, Putinek)
    suffix_pattern: ClassVar[str] = ""
    #: endings of a form that a :attr:`suffix_pattern` ending replaces (eu: the article, ``-ak`` of
    #: ``Estatu Batuak`` → ``Estatu Batuetako``, ``-a`` of ``Mendebaldea`` → ``Mendebaldeko``)
    suffix_replaces: ClassVar[tuple[str, ...]] = ()
    #: whether this language's press drops the accent of a capital letter (fr ``Etats-Unis`` for
    #: ``États-Unis``, ``Election``): the matcher then also finds a form with its capitals unaccented
    unaccented_capitals: ClassVar[bool] = False
    #: the word for "thousand" written after digits ("10 mil", it "11mila"), which rule-based engines
    #: translate word by word ("10 one thousand"): written out as digits before the engine
    thousand_words: ClassVar[tuple[str, ...]] = ()

    # -- as a target language -------------------------------------------------------------
    #: words never capitalised mid-sentence (the Apertium capital fix; en: a, the, of...)
    lower_case_words: ClassVar[frozenset[str]] = frozenset()
    #: words and loanwords of this language written with another language's diacritic (en: café)
    accented_words: ClassVar[frozenset[str]] = frozenset()

    def __repr__(self) -> str:
        return f"<Language {self.code or '?'} {self.name}>"

    # -- words ----------------------------------------------------------------------------

    def is_word_char(self, ch: str) -> bool:
        """Whether *ch* belongs to a word (letters, digits, ``_`` and :attr:`word_chars`)."""
        return ch.isalnum() or ch == "_" or ch in self.word_chars

    @property
    def word_class(self) -> str:
        """Regex character class of word characters."""
        return typography.word_class(self)

    @property
    def boundaries(self) -> tuple[str, str]:
        """Regex assertions ``(before, after)`` that a whole word starts and ends there
        (:func:`kp_translate.lang.typography.boundaries`)."""
        return typography.boundaries(self)

    def variant_folding(self) -> dict[int, str]:
        """A :meth:`str.translate` table from each :attr:`char_variants` character to the form's
        character (ca: ``‧`` and ``.`` to ``·``), for a text *word* (where a joiner is inside a word)."""
        return {ord(v): c for c, vs in self.char_variants.items() for v in vs}

    @cached_property
    def word_regex(self) -> regex.Pattern[str]:
        """A word: word characters, with inner hyphens and apostrophes."""
        w = self.word_class
        return compiled(rf"{w}+(?:[-'{typography.APOSTROPHES}{typography.HYPHENS}]{w}+)*")

    def form_regex(self, form: str, case_sensitive: bool = True, *, suffixes: bool = False) -> regex.Pattern[str]:
        """:func:`kp_translate.lang.typography.form_regex` for this language."""
        return typography.form_regex(form, self, case_sensitive, suffixes=suffixes)

    def elided_variants(self, form: str) -> list[str]:
        """*form* preceded by each elision (``Otan`` → ``l'Otan``, ``L'Otan``, ``d'Otan``, ``D'Otan``…).

        Only for forms starting with a vowel or h (:attr:`elision_initials`) and not already elided.
        Variants are written with ``'``: :meth:`form_regex` matches ``’`` and ``ʼ`` too.
        """
        if not form or form[0].lower() not in self.elision_initials or self.strip_elision(form) != form:
            return []
        out: list[str] = []
        for e in self.elisions:
            for prefix in (e, e[0].upper() + e[1:]):
                if prefix + form not in out:
                    out.append(prefix + form)
        return out

    @cached_property
    def _leading_elision(self) -> regex.Pattern[str] | None:
        if not self.article_elisions:
            return None
        alts = "|".join(
            f"[{regex.escape(e[0].lower())}{regex.escape(e[0].upper())}]{regex.escape(e[1:-1])}"
            for e in self.article_elisions
        )
        return compiled(rf"^((?:{alts})[{_ELISION_MARKS}]\s*)(?=\p{{L}})")

    def elided_article(self, form: str) -> str:
        """The elided article *form* starts with (``"l'"`` of ``"l'Otan"``), or ``""``
        (``enforce._ELIDED``: ' ’ ʼ, then optional spaces, then a letter)."""
        pattern = self._leading_elision
        if pattern is None or not any(map(form.__contains__, _ELISION_MARKS)):
            return ""  # (no apostrophe: no elision)
        m = pattern.match(form)
        return m.group(1) if m else ""

    def strip_elision(self, form: str) -> str:
        """*form* without its leading elided article."""
        return form[len(self.elided_article(form)) :]

    @cached_property
    def _elided_before(self) -> regex.Pattern[str] | None:
        if not self.article_elisions:
            return None
        alts = "|".join(
            f"[{regex.escape(e[0].lower())}{regex.escape(e[0].upper())}]{regex.escape(e[1:-1])}"
            for e in self.article_elisions
        )
        return compiled(rf"(?<![\p{{L}}\p{{N}}])(?:{alts})['’]\s*$")

    @property
    def elided_before(self) -> regex.Pattern[str] | None:
        """``$``-anchored pattern of an elided article left at the end of a text (``enforce._ELIDED_BEFORE``)."""
        return self._elided_before

    #: what every match of :attr:`elided_before` holds (one of its apostrophes)
    elided_marks: ClassVar[str] = "'’"

    # -- names by rule (tables in ``lang/<code>_names.py``, mechanics in :mod:`.names`) ----------

    @property
    def russian_name_rules(self) -> RuleSet | None:
        """This language's table for Russian names as its press writes them, or None."""
        return names.russian_rules(self.code)

    def transliterate_russian(self, name: str) -> str:
        """A Russian name as this language's press writes it (``Sergueï Choïgou``) → the English press
        form (``Sergei Shoigu``); unchanged when the language has no table. ``russian_name_rules.apply``
        also says which rules were used."""
        rules = self.russian_name_rules
        return rules(name) if rules is not None else name

    def korean_country_hint(self, text: str) -> Country | None:
        """Which Korea *text* is about, from this language's context words (``nord-coréen``, ``KCNA`` /
        ``sud-coréen``, ``Yonhap``); None when undecided (:func:`.names.korean_country_hint`)."""
        return names.korean_country_hint(text, self.code)

    def fold_capitals(self, form: str) -> str:
        """*form* with its accented capitals written without the accent (``États-Unis`` →
        ``Etats-Unis``, ``département d'État`` → ``département d'Etat``) when this language's press
        does that (:attr:`unaccented_capitals`); lower-case accents stay. Else *form* unchanged."""
        if not self.unaccented_capitals:
            return form
        return names.fold_capitals(form)

    def form_variants(self, form: str, entry_type: str = "") -> list[str]:
        """The forms the matcher also finds for a glossary *form* (of an entry of *entry_type*):
        the capitals unaccented (:meth:`fold_capitals`), and for a Korean personal name the given
        name written with a hyphen or a space, capitalised or not (:func:`.names.korean_variants`).
        *form* itself is not in the list."""
        if entry_type != "person":  # the usual case, once per form of a glossary: no list to walk
            if not self.unaccented_capitals or form.isascii():
                return []
            folded = self.fold_capitals(form)
            return [folded] if folded != form else []
        out: list[str] = []
        for f in names.korean_variants(form):
            for g in (f, self.fold_capitals(f)):
                if g != form and g not in out:
                    out.append(g)
        return out

    def is_nationality(self, form: str) -> bool:
        """Whether *form* ends like a nationality adjective or noun (``nord-coréen``)."""
        return bool(self.nationality_suffix) and compiled(self.nationality_suffix).search(form) is not None

    # -- sentences and numbers --------------------------------------------------------------

    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans ``[(start, end), ...]`` covering all non-space text, in order."""
        return sentences.split_sentences(text, self)

    def read_numbers(self, text: str) -> list[Number]:
        """Numbers written with digits, read by this language's marks and multipliers."""
        from . import numbers  # (here: only the QA checks read numbers; it imports decimal)

        return numbers.extract(text, self)

    def for_engine(self, text: str) -> str:
        """*text* (protected) as the engine gets it: thousands written out
        (:meth:`write_out_thousands`) and :attr:`ligatures` spelled out."""
        text = self.write_out_thousands(text)
        if self.ligatures and any(c in text for c in self.ligatures):
            text = text.translate(_ligature_table(tuple(self.ligatures.items())))
        return text

    def write_out_thousands(self, text: str) -> str:
        """``10 mil soldados`` → ``10.000 soldados`` (``1,5 mil`` → ``1.500``), in this language's own
        digit groups, for the engine; ``mil millones`` (a larger multiplier) is left alone."""
        if not self.thousand_words or not self.group_marks:
            return text
        larger = tuple(w for w, v in {**self.multipliers, **self.spelled_multipliers}.items() if v >= 10**6)
        pattern = _thousands_pattern(self.thousand_words, self.decimal_mark, larger)
        group = self.group_marks[0]

        def digits(m: regex.Match[str]) -> str:
            whole, fraction = m.group(1), m.group(2) or ""
            if len(fraction) > 3:
                return str(m.group())
            value = int(whole) * 1000 + int((fraction + "000")[:3])
            out = f"{value:,}".replace(",", group)
            return out

        return str(pattern.sub(digits, text))

    def read_spelled(self, text: str) -> Counter[str]:
        """Values of numbers spelled out in words (``cinq millions`` → ``"5000000"``)."""
        from . import numbers

        return numbers.spelled(text, self)


@lru_cache(maxsize=16)
def _thousands_pattern(words: tuple[str, ...], decimal: str, larger: tuple[str, ...]) -> regex.Pattern[str]:
    alternatives = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    bigger = "|".join(regex.escape(w) for w in sorted(larger, key=len, reverse=True)) or "(?!)"
    return compiled(
        rf"(?<![\p{{N}}.,])(\p{{N}}{{1,3}})(?:{regex.escape(decimal)}(\p{{N}}{{1,3}}))?[ \u00a0\u202f]?"
        rf"(?:{alternatives})(?![\p{{L}}\p{{N}}])(?![ \u00a0]+(?:{bigger})(?![\p{{L}}]))"
    )


#: agreement endings of Spanish, Portuguese, Galician and Catalan adjectives (norcoreanas, norcoreana,
#: norcoreanos / nord-coreanes, nord-coreana, nord-coreans)
IBERIAN_ENDINGS: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (("as", "es"), ("a",), ("os", "s"))


def proxies_from(
    table: tuple[tuple[tuple[str, str, str, str], tuple[str, ...], tuple[str, ...]], ...],
    endings: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = IBERIAN_ENDINGS,
) -> tuple[Proxy, ...]:
    """Proxies from ``(forms, english, stems)`` rows, with the language's agreement *endings*."""
    return tuple(Proxy(forms, english, stems, endings) for forms, english, stems in table)
