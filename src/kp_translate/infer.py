"""Names and places the glossary lacks, resolved by rule in one document (``translate --names``).

Which capitalised sequences are names is the detection of ``glossary suggest``
(:func:`kp_translate.suggest.tokens`), made precise: a capitalised word at a sentence start that the
language lists among its common words (``Selon``, ``Un``, ``Est``) or that the document also writes
in lower case is no candidate, nor is an acronym or a code (RPDC, Hwasong-11), nor a word a glossary
match covers. Consecutive candidate words separated by one space form a *run* (``Sergueï
Choïgou``). Each run is resolved by the first rule with evidence, in this order:

1. **CLDR** (:func:`kp_translate.lang.places.lookup`): the run is a territory or time-zone city name
   of the source language (``Séoul`` → ``Seoul``, ``Etats-Unis`` → ``United States``);
2. **Korean** (:func:`kp_translate.lang.names.korean_shape` and
   :meth:`~kp_translate.lang.base.Language.korean_country_hint` over the whole document): a Korean
   surname and a given name of one or two syllables, in a paragraph (else a document) whose context
   words say which Korea (``Choe Son-hui`` → ``Choe Son Hui`` in a North Korean story); undecided:
   unresolved;
3. **Russian** (:func:`kp_translate.lang.names.russian_evidence`, then the language's rule table):
   a sign only a Russian transcription shows (``ï``, ``tch``, ``iou``, ``-ov``, a Russian given
   name…) → the English press form (``Sergueï Choïgou`` → ``Sergei Shoigu``);
4. **surname**: a single word that is the last word of a Russian person inferred earlier in the
   document (``Choïgou`` after ``Sergueï Choïgou``, ``M. Choïgou``).

A Russian given name the glossary lacks right before a glossary person's surname (``Serguei
Choïgou``, written without the diaeresis of the entry's ``Sergueï Choïgou``) is one name: the given
name by the language's rule table, the surname as the glossary writes it (``Sergei`` + ``Shoigu``;
rule ``ru-<code>+glossary``). Without it the surname alone was enforced and the given name left as
the engine writes it (``Serguei Shoigu``).

Before all of them, a run that is a glossary person's surname-only form (``short:``) met before the
person's full name takes that entry's short target (rule ``short``): a rule never contradicts the
glossary. After the full name, such a mention is the glossary entry itself (:func:`short_mentions`).

A run no rule resolves is *unresolved* (reported, left as the engine writes it): French persons and
outlets (``Le Monde``, ``Jean-Yves Le Drian``) stay so. A single word opening a sentence that no rule
resolves is not reported (``Lorsque``, ``Surtout``: nothing says it is a name). A resolved run
becomes a transient glossary entry (:func:`transient_entry`) so that the enforcement path
protects, restores and verifies it exactly like a glossary term (:mod:`kp_translate.enforce`),
without counting it as enforced.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .glossary import Entry, Glossary, normalise_form
from .lang import Language, identify
from .lang import places as cldr
from .lang.en import English
from .lang.names import KOREAN_SURNAMES, Country, korean_english, korean_shape, russian_evidence
from .match import Match, Matcher
from .segment import Document
from .suggest import LowerCaseWords, Token, tokens

__all__ = [
    "NAMES_MODES",
    "DocumentNames",
    "Inferred",
    "NameFinder",
    "Resolution",
    "Unresolved",
    "short_mentions",
    "transient_entry",
]

#: the values of ``translate --names``
NAMES_MODES = ("auto", "suggest", "off")
#: prefix of the ids of transient entries (never a glossary id: those have no ``~``)
INFERRED_ID = "~inferred:"


class Inferred(NamedTuple):
    """A name resolved by rule: where it is (paragraph index, offsets in the paragraph), its source
    and English forms, the rule (``ru-fr``, ``ko-north``, ``cldr``, ``surname``), the CLDR record or
    the evidence, and a confidence."""

    paragraph: int
    start: int
    end: int
    source: str
    target: str
    rule: str
    confidence: float
    type: str = "person"
    evidence: str = ""
    country: str = ""

    def record(self, paragraph_id: str, sentence: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"paragraph": paragraph_id}
        if sentence is not None:
            out["sentence"] = sentence
        out.update({"source": self.source, "target": self.target, "rule": self.rule, "confidence": self.confidence})
        return out


class Resolution(NamedTuple):
    """What a rule makes of a run: the English form, the rule, a confidence, the entry type, the
    evidence (the CLDR record, the sign of a Russian name) and the country (a CLDR territory code)."""

    target: str
    rule: str
    confidence: float
    type: str
    evidence: str = ""
    country: str = ""


#: source surname -> (English surname, English full name) of the Russian persons inferred so far
Surnames = dict[str, tuple[str, str]]


class Unresolved(NamedTuple):
    """A capitalised run no rule resolved (left as the engine writes it)."""

    paragraph: int
    start: int
    end: int
    source: str
    reason: str

    def record(self, paragraph_id: str) -> dict[str, Any]:
        return {"paragraph": paragraph_id, "source": self.source, "reason": self.reason}


@dataclass
class DocumentNames:
    """What :meth:`NameFinder.document` found in one document."""

    inferred: list[Inferred] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)

    def by_paragraph(self) -> dict[int, list[Inferred]]:
        """The inferred names per paragraph index, in order."""
        out: dict[int, list[Inferred]] = {}
        for n in self.inferred:
            out.setdefault(n.paragraph, []).append(n)
        return out


def transient_entry(name: Inferred) -> Entry:
    """A glossary entry standing for one inferred name (its source form, its English target), for
    the one protect → restore → verify path; its id starts with :data:`INFERRED_ID`."""
    return Entry(
        id=f"{INFERRED_ID}{name.rule}:{name.target}",
        type=name.type,
        target=name.target,
        sources=[name.source],
        status="draft",
        note=f"inferred by {name.rule}" + (f" ({name.evidence})" if name.evidence else ""),
    )


def is_inferred(entry: Entry) -> bool:
    return entry.id.startswith(INFERRED_ID)


def inferred_matches(names: Sequence[Inferred], offset: int = 0) -> list[Match]:
    """:class:`~kp_translate.match.Match` objects of *names* in a segment starting at *offset* of its paragraph."""
    return [Match(n.start - offset, n.end - offset, transient_entry(n), n.source) for n in names]


def _plain_capitalised(text: str) -> bool:
    return (
        len(text) >= 2
        and text[0].isupper()
        and text.replace("-", "").isalpha()
        and sum(map(str.isupper, text)) <= text.count("-") + 1
    )


class _Covered:
    """The spans of a paragraph's glossary matches (in order, never overlapping), asked in log time."""

    def __init__(self, matches: Sequence[Match]) -> None:
        self.matches = matches
        self.starts = [m.start for m in matches]
        self.ends = [m.end for m in matches]

    def _at(self, start: int) -> int:
        return bisect_right(self.starts, start) - 1

    def spans(self, start: int, end: int) -> bool:
        """Whether one match spans ``[start, end)``."""
        i = self._at(start)
        return i >= 0 and end <= self.ends[i]

    def exactly(self, start: int, end: int) -> bool:
        """Whether a match is ``[start, end)`` itself."""
        return self.match(start, end) is not None

    def match(self, start: int, end: int) -> Match | None:
        """The match that is ``[start, end)`` itself, if any."""
        i = self._at(start)
        return self.matches[i] if i >= 0 and self.starts[i] == start and self.ends[i] == end else None


class NameFinder:
    """The runs of capitalised words of a source *language* that the *glossary* (view) lacks,
    resolved by rule (see the module docstring)."""

    def __init__(self, glossary: Glossary, language: Language) -> None:
        self.language = language
        self.matcher = Matcher.cached(glossary.view(language.code))
        self.common = language.function_words | language.identify_words | language.more_words
        #: the glossary persons' surname-only forms (``short:``): before the full name has appeared,
        #: such a mention takes the entry's short target, not a rule's
        self.shorts = {normalise_form(f): e for e in glossary.view(language.code).with_short for f in e.short}

    def document(self, document: Document, english: Mapping[int, bool] | None = None) -> DocumentNames:
        """Every run of *document*, resolved or not, in text order. A paragraph that reads as English
        is kept verbatim, so it has no run: *english* says which do (paragraph index → whether it
        does) where the caller already asked (:func:`kp_translate.lang.identify.is_language`)."""
        language = self.language
        english = english or {}
        paragraphs = [(p.index, p.text) for p in document.paragraphs]
        # only capitalised words can be in a run: two are in one run when one space alone parts them
        # (no other word between), so the others need no token
        toks: list[tuple[int, list[Token]]] = [
            (i, tokens(t, document.name, i, language, capitalised=True)) for i, t in paragraphs
        ]
        lower_seen = LowerCaseWords(t for _, t in paragraphs)
        hint: list[Country | None] = []

        def country() -> Country | None:
            """The document's Korean hint, read from its text when a Korean name first needs it."""
            if not hint:
                hint.append(language.korean_country_hint(document.text))
            return hint[0]

        out = DocumentNames()
        surnames: Surnames = {}
        for (index, text), (_, ts) in zip(paragraphs, toks, strict=True):
            is_english = english.get(index)
            if is_english is None:
                is_english = identify.is_language(text, English.code, language.code)
            if is_english:  # kept verbatim: already English
                continue
            covered = _Covered(self.matcher.find(text))
            runs: list[list[Token]] = []
            for k, t in enumerate(ts):
                if not _plain_capitalised(t.text) or (
                    covered.spans(t.start, t.end) and not self._opens_korean(text, ts, k, covered)
                ):
                    named = self._given_before_surname(index, text, runs[-1] if runs else [], t, covered)
                    if named is not None:
                        out.inferred.append(named)
                        runs[-1] = []
                    runs.append([])
                    continue
                if t.sentence_initial and (t.text.lower() in self.common or t.text.lower() in lower_seen):
                    runs.append([])
                    continue
                if runs and runs[-1] and text[runs[-1][-1].end : t.start] == " ":
                    runs[-1].append(t)
                else:
                    runs.append([t])
            for run in runs:
                if run:
                    self._resolve(index, text, run, country, surnames, out)
        return out

    def _given_before_surname(
        self, paragraph: int, text: str, run: list[Token], t: Token, covered: _Covered
    ) -> Inferred | None:
        """The name that a *run* of one Russian given name the glossary lacks and the glossary
        person's surname *t* right after it make (see the module docstring), or None."""
        if len(run) != 1 or not t.text.isalpha():
            return None
        given, surname = run[0], covered.match(t.start, t.end)
        if surname is None or surname.entry.type != "person" or " " in surname.entry.target:
            return None
        source = text[given.start : t.end]
        if text[given.end : t.start] != " " or self.language.russian_name_rules is None:
            return None
        evidence = russian_evidence(source)
        if evidence is None or not evidence.startswith("given name"):
            return None
        target = f"{self.language.transliterate_russian(given.text)} {surname.entry.target}"
        rule = f"ru-{self.language.code}+glossary"
        return Inferred(paragraph, given.start, t.end, source, target, rule, 0.8, "person", evidence, "RU")

    @staticmethod
    def _opens_korean(text: str, ts: list[Token], k: int, covered: _Covered) -> bool:
        """Whether token *k*, covered by a glossary match of itself alone (``Kim``: a surname entry),
        opens a Korean name the glossary lacks (``Kim Tok-hun``): the longer name is read as a run."""
        t = ts[k]
        if t.text not in KOREAN_SURNAMES or not covered.exactly(t.start, t.end) or k + 1 >= len(ts):
            return False
        nxt = ts[k + 1]
        return text[t.end : nxt.start] == " " and _plain_capitalised(nxt.text) and not covered.spans(nxt.start, nxt.end)

    def resolve(
        self,
        source: str,
        context: str = "",
        country: str | Callable[[], str | None] | None = None,
        surnames: Surnames | None = None,
    ) -> Resolution | str:
        """The rule that resolves the capitalised run *source* (see the module docstring), or why none
        does. *context* is the paragraph around it (its Korean context words come first), *country*
        the document's Korean hint (or a function giving it, called only if a Korean name needs it),
        *surnames* the Russian persons inferred so far (updated)."""
        code = self.language.code
        person = self.shorts.get(normalise_form(source))
        if person is not None:
            return Resolution(person.short_target, "short", 0.7, "person", f"short form of {person.id}", person.country)
        place = cldr.lookup(source, code)
        if place is not None:
            return Resolution(place.english, "cldr", 1.0, "place", place.record, place.country)
        if korean_shape(source):
            country = self.language.korean_country_hint(context) or (country() if callable(country) else country)
            if country is None:
                return "Korean name, country undecided by the context"
            target = korean_english(source, "north" if country == "north" else "south")
            return Resolution(target, f"ko-{country}", 0.8, "person", "", "KP" if country == "north" else "KR")
        words = source.split()
        evidence = russian_evidence(source)
        if evidence is not None and self.language.russian_name_rules is not None:
            target = self.language.transliterate_russian(source)
            kind = "person" if len(words) > 1 or (surnames is not None and source in surnames) else "place"
            if len(words) > 1 and surnames is not None:
                surnames[words[-1]] = (target.split()[-1], target)
            return Resolution(target, f"ru-{code}", 0.9 if evidence.startswith("'") else 0.8, kind, evidence, "RU")
        if len(words) == 1 and surnames is not None and source in surnames:
            english, full = surnames[source]
            return Resolution(english, "surname", 0.8, "person", full, "RU")
        return "no rule"

    def _resolve(
        self,
        paragraph: int,
        text: str,
        run: list[Token],
        country: Callable[[], str | None],
        surnames: Surnames,
        out: DocumentNames,
    ) -> None:
        start, end = run[0].start, run[-1].end
        source = text[start:end]
        if len(run) > 1 and run[0].text.lower() in self.language.function_words:
            # a leading "Lorsque", "Le", "Des" belongs to the name only in a place CLDR knows whole
            # ("Le Caire"); else the name starts after it ("Lorsque Dmitri Peskov")
            place = cldr.lookup(source, self.language.code)
            if place is None:
                self._resolve(paragraph, text, run[1:], country, surnames, out)
                return
        found = self.resolve(source, text, country, surnames)
        if isinstance(found, Resolution):
            out.inferred.append(Inferred(paragraph, start, end, source, *found))
        elif len(run) > 1 or not (run[0].sentence_initial or run[0].text.lower() in self.language.function_words):
            # a lone capital opening a sentence, or a lone function word ("Des" after a comma): no name shown
            out.unresolved.append(Unresolved(paragraph, start, end, source, found))


# -- surname-only mentions of glossary persons (``short:``) -----------------------------------------


def short_mentions(document: Document, glossary: Glossary, matcher: Matcher | None = None) -> dict[int, list[Match]]:
    """Surname-only mentions (``Choïgou``, ``M. Choïgou``) of the glossary persons that list them
    (``short:``), once the entry's full name has been matched earlier in *document*: paragraph
    index → matches (offsets in the paragraph), each of an entry like the person's with the short
    form as source and :attr:`~kp_translate.glossary.Entry.short_target` as target (same id: it
    counts as that entry). A mention inside a glossary match is not one."""
    from dataclasses import replace

    from .verify import form_pattern

    persons = glossary.with_short
    if not persons:
        return {}
    matcher = matcher or Matcher.cached(glossary)
    seen: set[str] = set()
    out: dict[int, list[Match]] = {}
    for para in document.paragraphs:
        found = matcher.find(para.text)
        first: dict[str, int] = {}  # entry id -> end of its first full-name match in this paragraph
        for m in found:
            first.setdefault(m.entry.id, m.end)
        mentions: list[Match] = []
        for e in persons:
            if e.id not in seen and e.id not in first:
                continue
            after = 0 if e.id in seen else first[e.id]
            for short in e.short:
                derived = replace(e, target=e.short_target, sources=[short], patterns=[])
                key = normalise_form(short)
                for hit in form_pattern(key if e.case_sensitive else key.lower(), e.case_sensitive).finditer(para.text):
                    s, t = hit.start(), hit.end()
                    if s < after or any(m.start < t and s < m.end for m in [*found, *mentions]):
                        continue
                    mentions.append(Match(s, t, derived, hit.group()))
        seen |= set(first)
        if mentions:
            out[para.index] = sorted(mentions, key=lambda m: m.start)
    return out
