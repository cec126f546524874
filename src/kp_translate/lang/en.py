"""English, the target: today's constants from typography, numbers, langid, enforce (articles,
possessives), engines/apertium (capital fix) and qa (accented loanwords), copied exactly."""

from __future__ import annotations

from types import MappingProxyType
from typing import ClassVar

import regex

from ..rx import compiled
from .base import Language

#: langid.ENGLISH
_WORDS = frozenset(
    """the a an of and or to in on at for with from by is are was were be been has have had it its this that these
    those which who whom what when where while as but not no than then there their they them he she his her we our
    you your will would can could should may might must do does did also after before into over about between
    against during without within under more most such only other some any all both each""".split()
)
#: langid._SHARED: words never reported as source-language leftovers in English text
NOT_LEFTOVERS = frozenset("a on son sur plus pour est ce ne pas as me fin via car sans entre".split()) | _WORDS


class English(Language):
    code = "en"
    name = "English"

    decimal_mark = "."
    decimal_marks = "."
    group_marks = ","
    quotes = (("“", "”"), ("‘", "’"))

    abbreviations = frozenset(
        a + "."
        for a in "Mr Mrs Ms Dr Prof St Jr Sr Gen Col Lt Sgt Capt Gov Sen Rep vs etc Inc Corp Co Ltd U.S U.K".split()
    )
    identify_words = _WORDS
    not_leftovers: ClassVar[frozenset[str]] = NOT_LEFTOVERS
    ngrams = frozenset("th|wh|ght|ing |ould|ey |ay |ow |'s | the | of ".split("|"))

    multipliers = MappingProxyType(
        {
            "million": 10**6,
            "millions": 10**6,
            "billion": 10**9,
            "billions": 10**9,
            "trillion": 10**12,
            "trillions": 10**12,
            "thousand": 10**3,
            "thousands": 10**3,
        }
    )
    spelled_numbers = MappingProxyType(
        dict(
            zip(
                "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
                "thousand".split(),
                [*range(1, 21), 30, 40, 50, 60, 70, 80, 90, 100, 1000],
                strict=True,
            )
        )
    )
    # numbers._SPELLED_RE reads "millions?|milliards?|billions?" for English too
    spelled_multipliers = MappingProxyType(
        {
            "million": 10**6,
            "millions": 10**6,
            "milliard": 10**9,
            "milliards": 10**9,
            "billion": 10**9,
            "billions": 10**9,
        }
    )

    #: typography._SCALE: "30.8 millions (of)" → "30.8 million" after a number
    scale_words: ClassVar[tuple[str, ...]] = ("million", "billion", "thousand")

    #: how a sentence of English text as an engine writes it ends: a stop, then closing quotes or
    #: brackets (blanks follow); engines/apertium finds where Apertium's output starts a sentence by it
    sentence_stop: ClassVar[str] = r"[.!?…:][\"»”’)]*"
    #: an opening quote or bracket that starts a sentence (at the text's start or after a blank)
    sentence_opening: ClassVar[str] = r"[«“\"(]"
    #: every character a :attr:`sentence_stop` or a :attr:`sentence_opening` can end with
    sentence_marks: ClassVar[str] = '.!?…:"»”’)«“('

    #: engines/apertium.FUNCTION_WORDS: words that never start with a capital mid-sentence
    lower_case_words: ClassVar[frozenset[str]] = frozenset(
        """a an the and or but nor of to in on at by for with from as into onto about after before since until
        is are was were be been being has have had having do does did will would shall should can could may might
        must also already still never always then not no only even just yet so that which who whom whose what when
        where while it its he she they we you his her their our this these those there here said says say
        declared announced added noted""".split()
    )

    #: enforce.ARTICLE_NOUNS: a multi-word proper name ending in one of these takes "the"
    article_nouns: ClassVar[frozenset[str]] = frozenset(
        """cosmodrome peninsula kremlin council union states kingdom republic emirates islands east west north south
        sea ocean gulf strait river zone agency ministry office committee assembly army navy party times press
        institute center centre school department government bureau commission organization organisation alliance
        federation front guard forces duma parliament secretariat treaty pact agreement summit war pentagon
        court tribunal""".split()
    )
    #: enforce.WORD_ACRONYMS: acronyms read as words, which take no article
    word_acronyms: ClassVar[frozenset[str]] = frozenset(
        """NATO OPEC ASEAN UNESCO UNICEF NASA KCNA TASS SWIFT AUKUS BRICS NORAD SEATO CERN FIFA NAFTA""".split()
    )
    #: enforce.NO_ARTICLE_TYPES
    no_article_types: ClassVar[frozenset[str]] = frozenset({"person"})
    #: words joining a name that then takes "the" ("the Democratic People's Republic of Korea")
    article_linkers: ClassVar[tuple[str, ...]] = ("of", "for", "de")
    #: the article as it may be written (what every match of :attr:`article_before` holds)
    article_words: ClassVar[tuple[str, ...]] = ("the", "The", "THE")
    #: enforce._ARTICLE_BEFORE: the definite article at the end of the text emitted so far
    article_before: ClassVar[regex.Pattern[str]] = compiled(rf"(?<![\p{{L}}\p{{N}}])({'|'.join(article_words)})\s+$")
    #: enforce._POSSESSIVE (used with .match(text, pos) right after a restored target)
    possessive: ClassVar[regex.Pattern[str]] = compiled(r"(['’])\s?s(?![\p{L}\p{N}])")
    #: the indefinite article at the end of the text emitted so far (the article, then its blanks);
    #: every match holds one of :attr:`indefinite_words`
    indefinite_before: ClassVar[regex.Pattern[str]] = compiled(r"(?<![\p{L}\p{N}'’-])(a|an|A|An|AN)(\s+)$")
    indefinite_words: ClassVar[tuple[str, ...]] = ("a", "A")
    #: words spelled with a vowel that sound a consonant first (a union, a European) and with a
    #: consonant that sound a vowel (an hour)
    consonant_sounds: ClassVar[tuple[str, ...]] = (
        "uni", "unanim", "ura", "ure", "uro", "usa", "use", "usu", "uti", "ukr", "eu", "ewe", "one", "once"
    )  # fmt: skip
    vowel_sounds: ClassVar[tuple[str, ...]] = ("hour", "honest", "honor", "honour", "heir")
    #: letters whose name starts with a vowel sound (an FBI, an IAEA, an MP; a UN, a KCNA)
    vowel_letters: ClassVar[str] = "AEFHILMNORSX"

    #: qa.ENGLISH_ACCENTED: English words (and loanwords) written with a French or Spanish diacritic
    accented_words: ClassVar[frozenset[str]] = frozenset(
        """café cafés résumé résumés cliché clichés déjà naïve naïveté façade façades régime régimes élite élites
        protégé protégés fiancé fiancée entrée entrées décor détente état rôle rôles début débuts séance soirée
        touché à première premières crème communiqué communiqués exposé attaché attachés blasé passé née mêlée
        piñata jalapeño señor señora doña coöperation""".split()
    )

    def indefinite_article(self, target: str) -> str:
        """``"an"`` or ``"a"``: the indefinite article before *target* as it sounds (``an ICC``, ``an
        arrest warrant``, ``a UN resolution``, ``a Hwasong-18``, ``a European``)."""
        word = target.split(maxsplit=1)[0] if target.strip() else ""
        letters = word.replace("-", "")
        if len(letters) >= 2 and letters.isalpha() and letters.isupper() and word not in self.word_acronyms:
            return "an" if word[0] in self.vowel_letters else "a"  # read letter by letter
        low = word.lower()
        if low.startswith(self.vowel_sounds):
            return "an"
        if low[:1] in ("a", "e", "i", "o", "u") and not low.startswith(self.consonant_sounds):
            return "an"
        return "a"

    def possessive_of(self, target: str, apostrophe: str = "'") -> str:
        """*target* with the possessive ending (``Kim Jong Un's``, ``Reuters'``), as restore writes it."""
        return target + apostrophe + ("" if target.endswith(("s", "S")) else "s")

    def takes_article(self, target: str, entry_type: str, form: str = "", source: Language | None = None) -> bool:
        """Whether "the" may stand before *target* (``enforce.takes_article`` on strings: the entry's
        ``target`` and ``type``, the matched source *form* and its *source* language).

        * a person never takes one; nor does a target that starts with "the";
        * a form written in lower case, or as a nationality word of the source, keeps the engine's choice;
        * an acronym takes one unless read as a word (:attr:`word_acronyms`);
        * a place, organisation or media name takes one only if it contains "of"/"for" or its last
          word is in :attr:`article_nouns`.
        """
        target = target.strip()
        if not target:
            return True
        if entry_type in self.no_article_types or target.lower().startswith("the "):
            return False
        bare = (source.strip_elision(form) if source is not None else form) if form else ""
        if bare and (bare[0].islower() or (source is not None and source.is_nationality(bare))):
            return True
        compact = target.replace("-", "").replace(" ", "")
        if compact.isupper() and compact.isalpha():
            return target not in self.word_acronyms
        if not target[0].isupper():
            return True
        if entry_type in ("place", "organisation", "media"):
            words = target.split()
            if any(w in self.article_linkers for w in words):
                return True
            return words[-1].lower() in self.article_nouns
        return True
