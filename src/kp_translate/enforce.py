"""Terminology enforcement around an engine: protect → translate → restore → verify → post-edit.

Per segment (a paragraph or a sentence, as the engine prefers):

1. **Protect.** Every glossary match is replaced by a token the engine carries through:

   * a *placeholder* ``Kpx`` + a letter code (``Kpxa``, ``Kpxb``, … ``Kpxy``, ``Kpxza``, …): a
     capitalised nonsense word that Apertium passes on as an unknown word and a SentencePiece
     model splits into ordinary pieces. The codes are prefix-free (``z`` only ever continues a
     code), so ``Kpxb`` is never read inside ``Kpxba``. A segment whose own text reads as the
     prefix (``Le code Kpxa``) gets another one (``Kqxa``: :func:`kp_translate.tokens.free_prefix`);
   * a *proxy* for single-word adjectives and nationality nouns (``nord-coréen``,
     ``nord-coréennes``, ``Nord-Coréens``): a French nationality adjective of the same gender and
     number (``japonais``, ``japonaise``, …) which the engine translates *and moves* like the
     term (``le dirigeant japonais`` → ``the Japanese leader``), and whose English rendering
     (``Japanese``) is then replaced by the target. A proxy is used only when its family occurs
     nowhere in the segment; otherwise a placeholder is used.

   An elided article that a source form includes (``l'Otan``) stays in the text (``l'Kpxa``) so
   the engine still sees the preposition and article it needs (``de l'Otan`` → ``of the Kpxa``).

2. **Restore.** Placeholders are found again even when mangled: spaces inserted (``Kp xa``), case
   changed (``KPXA``), punctuation attached (``(Kpxa),``), reordered or repeated. Each becomes the
   entry's canonical target, and what the substitution breaks is fixed:

   * articles: ``the`` before a target that takes none is dropped (``of the NATO`` → ``of NATO``,
     never ``the the NATO``; see :func:`takes_article` for the rule);
   * a target that lands at a sentence start gets a capital letter;
   * possessives: ``Kpxa's`` → ``Kim Jong Un's``, ``Reuters'`` for a target ending in *s*;
   * a French elided article left glued to a placeholder (``l'Kpxa``) is dropped.

3. **Verify.** Each expected target must be present as often as its source forms occur and no
   forbidden rendering may be present.

4. **Post-edit.** A forbidden rendering of an entry expected in the segment is replaced by the
   target. Whatever still fails is reported per segment with the entry, the source form and the
   reason (``placeholder lost``, ``forbidden rendering 'X' remains``, ``target missing``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import regex

from .engines.base import Hypothesis
from .glossary import Entry, Glossary
from .match import Match
from .tokens import CODE_LETTERS, PREFIXES, code_length, free_prefix, mangled, placeholder_code
from .verify import Verdict, Verifier

#: the usual placeholder prefix; a segment whose own text holds it gets another (:func:`free_prefix`)
PLACEHOLDER_PREFIX = PREFIXES[0]
_CODE_LETTERS = CODE_LETTERS

_ELIDED = regex.compile(r"^([lL]['’ʼ]\s*)(?=\p{L})")
_LETTERS = r"[\p{L}\p{N}]"
_NATIONALITY_SUFFIX = regex.compile(r"(?:éen|éenne|éens|éennes|ais|aise|aises|ois|oise|oises|ien|ienne|iens|iennes)$")
# adjective endings of lower-case single-word forms that get a proxy (occidental, soviétique, nazie…)
_ADJECTIVE_SUFFIX = regex.compile(
    r"(?:éen|éenne|éens|éennes|ais|aise|aises|ois|oise|oises|ien|ienne|iens|iennes|ique|iques|al|ale|aux|ales"
    r"|azi|azie|azis|azies)$"
)


_code_length = code_length


def _placeholder_level(code: str) -> int:
    return len(code) - len(code.lstrip("z"))


def _placeholder_pattern(max_level: int, prefix_token: str = PLACEHOLDER_PREFIX) -> str:
    """A pattern for any placeholder code of level <= *max_level*, mangled as :func:`_mangled`
    allows (a space before any letter, any case)."""
    prefix = _mangled(prefix_token)
    letter = rf"\s?[{_CODE_LETTERS}]"
    levels = [rf"(?:\s?z){{{level}}}(?:{letter}){{{_code_length(level)}}}" for level in range(max_level + 1)]
    return f"{prefix}(?:{'|'.join(levels)})"


def placeholder(index: int, prefix: str = PLACEHOLDER_PREFIX) -> str:
    """The *index*-th placeholder token: ``Kpxa``, ``Kpxb``, … (with another *prefix*: ``Kqxa``, …)"""
    return prefix + placeholder_code(index)


_mangled = mangled


# ------------------------------------------------------------------------------------------
# Proxies: French adjectives whose English rendering is replaced by the target


@dataclass(frozen=True)
class Proxy:
    """A French nationality adjective standing in for a single-word term."""

    forms: tuple[str, str, str, str]  # masculine singular, feminine singular, masculine plural, feminine plural
    english: tuple[str, ...]  # what the engine renders it as (first: the adjective)
    stems: tuple[str, ...]  # if any occurs in a segment, the proxy is not used there

    def form_for(self, word: str) -> str:
        """The proxy form agreeing with *word* (gender and number read from its ending)."""
        w = word.lower()
        if w.endswith("es"):
            form = self.forms[3]
        elif w.endswith("e"):
            form = self.forms[1]
        elif w.endswith(("s", "x")):
            form = self.forms[2]
        else:
            form = self.forms[0]
        return form[0].upper() + form[1:] if word[:1].isupper() else form


PROXIES: tuple[Proxy, ...] = (
    Proxy(("japonais", "japonaise", "japonais", "japonaises"), ("Japanese",), ("japon", "japan", "nippon")),
    Proxy(("portugais", "portugaise", "portugais", "portugaises"), ("Portuguese",), ("portug",)),
    Proxy(("suédois", "suédoise", "suédois", "suédoises"), ("Swedish", "Swedes", "Swede"), ("suède", "sued", "swed")),
    Proxy(
        ("danois", "danoise", "danois", "danoises"), ("Danish", "Danes", "Dane"), ("danois", "danem", "dane", "danish")
    ),
    Proxy(
        ("finlandais", "finlandaise", "finlandais", "finlandaises"), ("Finnish", "Finns", "Finn"), ("finland", "finn")
    ),
    Proxy(("hongrois", "hongroise", "hongrois", "hongroises"), ("Hungarian", "Hungarians"), ("hongr", "hungar")),
    Proxy(("islandais", "islandaise", "islandais", "islandaises"), ("Icelandic", "Icelanders"), ("island", "iceland")),
    Proxy(("écossais", "écossaise", "écossais", "écossaises"), ("Scottish", "Scots", "Scot"), ("écoss", "scot")),
)

PROXY_EXCLUDED_TYPES = frozenset({"person", "organisation", "media", "weapon", "document", "event"})


def wants_proxy(entry: Entry, form: str) -> bool:
    """Whether a matched *form* of *entry* is a single adjective or nationality noun (proxy-protected)."""
    if entry.dnt or entry.type in PROXY_EXCLUDED_TYPES:
        return False
    if not regex.fullmatch(r"\p{L}+(?:-\p{L}+)*", form):
        return False
    if form[0].islower():
        return bool(_ADJECTIVE_SUFFIX.search(form))
    return bool(_NATIONALITY_SUFFIX.search(form))


# ------------------------------------------------------------------------------------------
# Articles


#: a multi-word proper name ending in one of these takes "the" ("the Vostochny Cosmodrome")
ARTICLE_NOUNS = frozenset(
    """cosmodrome peninsula kremlin council union states kingdom republic emirates islands east west north south
    sea ocean gulf strait river zone agency ministry office committee assembly army navy party times press
    institute center centre school department government bureau commission organization organisation alliance
    federation front guard forces duma parliament secretariat treaty pact agreement summit war""".split()
)
#: acronyms read as words, which take no article ("NATO", not "the NATO")
WORD_ACRONYMS = frozenset(
    """NATO OPEC ASEAN UNESCO UNICEF NASA KCNA TASS SWIFT AUKUS BRICS NORAD SEATO CERN FIFA NAFTA""".split()
)
NO_ARTICLE_TYPES = frozenset({"person"})


def takes_article(entry: Entry, form: str = "") -> bool:
    """Whether an English "the" may stand before *entry*'s target (else it is removed on restore).

    The rule, from the entry alone (no list to maintain per entry):

    * a person never takes one; nor does a target that starts with "the" (it brings its own);
    * an acronym takes one ("the DPRK", "the UN") unless it is read as a word (:data:`WORD_ACRONYMS`:
      NATO, KCNA, TASS…);
    * a place, organisation or media name takes one only if it contains "of"/"for" or its last word
      is a common noun (:data:`ARTICLE_NOUNS`: "the Vostochny Cosmodrome", "the Kremlin", "the
      Korean Central News Agency"); otherwise not ("North Korea", "Pyongyang", "Roscosmos");
    * everything else (adjectives, common terms, weapons, events, documents, and any form the
      source writes in lower case or as a nationality word) keeps what the engine wrote.
    """
    target = entry.target.strip()
    if not target:
        return True
    if entry.type in NO_ARTICLE_TYPES or target.lower().startswith("the "):
        return False
    bare = _ELIDED.sub("", form) if form else ""
    if bare and (bare[0].islower() or _NATIONALITY_SUFFIX.search(bare)):
        return True
    compact = target.replace("-", "").replace(" ", "")
    if compact.isupper() and compact.isalpha():
        return target not in WORD_ACRONYMS
    if not target[0].isupper():
        return True
    if entry.type in ("place", "organisation", "media"):
        words = target.split()
        if any(w in ("of", "for", "de") for w in words):
            return True
        return words[-1].lower() in ARTICLE_NOUNS
    return True


# ------------------------------------------------------------------------------------------
# Protection


@dataclass
class Slot:
    """One protected glossary match of a segment."""

    index: int
    match: Match
    token: str  # what the engine sees instead of the term ("Kpxa", or a proxy form such as "japonaise")
    proxy: Proxy | None = None

    @property
    def entry(self) -> Entry:
        return self.match.entry


@dataclass
class Protected:
    """A segment with its glossary terms protected."""

    source: str
    text: str  # what the engine is given
    matches: list[Match]
    slots: list[Slot]
    #: the placeholder prefix of this segment: one its source text does not contain (``Kpx`` unless
    #: the source holds something restoration would read as it, see :func:`kp_translate.tokens.free_prefix`)
    prefix: str = PLACEHOLDER_PREFIX


def protect(source: str, matches: Sequence[Match], *, proxies: bool = True) -> Protected:
    """Replace every match in *source* by a placeholder or a proxy.

    The placeholders' prefix is one that *source* does not contain, so that restoration never
    reads a word of the source (``Le code Kpxa désigne la RPDC``) as a placeholder."""
    prefix = free_prefix(source)
    lowered = source.lower()
    free = [p for p in PROXIES if not any(stem in lowered for stem in p.stems + p.forms)] if proxies else []
    proxy_of: dict[str, Proxy] = {}
    slots: list[Slot] = []
    out: list[str] = []
    pos = 0
    n_placeholders = 0
    for i, m in enumerate(matches):
        out.append(source[pos : m.start])
        elided = _ELIDED.match(m.form)
        keep = elided.group(1) if elided and len(m.form) > elided.end() else ""
        bare = m.form[len(keep) :]
        proxy: Proxy | None = None
        if proxies and wants_proxy(m.entry, bare):
            proxy = proxy_of.get(m.entry.id)
            if proxy is None and free:
                proxy = proxy_of[m.entry.id] = free.pop(0)
        if proxy is not None:
            token = proxy.form_for(bare)
        else:
            token = placeholder(n_placeholders, prefix)
            n_placeholders += 1
        slots.append(Slot(i, m, token, proxy))
        out.append(keep + token)
        pos = m.end
    out.append(source[pos:])
    return Protected(source, "".join(out), list(matches), slots, prefix)


# ------------------------------------------------------------------------------------------
# Restoration


@dataclass
class Restored:
    """Engine output with the targets put back."""

    text: str
    found: Counter[int] = field(default_factory=Counter)  # slot index -> occurrences restored
    lost: list[Slot] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


_SENTENCE_END = regex.compile(r"(?:^\s*|\n\s*|[.!?…][\"»”’)]*\s+|^\s*[«“\"(‘]\s*|[.!?…][\"»”’)]*\s+[«“\"(‘]\s*)$")
_ARTICLE_BEFORE = regex.compile(r"(?<![\p{L}\p{N}])(the|The|THE)\s+$")
_ELIDED_BEFORE = regex.compile(r"(?<![\p{L}\p{N}])[lL]['’]\s*$")
_POSSESSIVE = regex.compile(r"(['’])\s?s(?![\p{L}\p{N}])")  # used with .match(text, pos)

#: Restore and post-edit test the end of the text emitted so far with ``$``-anchored patterns
#: (:data:`_SENTENCE_END`, :data:`_ARTICLE_BEFORE`, :data:`_ELIDED_BEFORE`). A match of any of them
#: is a run of spaces, quotes and brackets (:data:`_TRAILING_RUN`) after at most four other
#: characters and one of lookbehind, so they only ever need that run and a few characters before
#: it: looking at that tail, not at the whole text, keeps restoration linear in the segment length.
_TRAILING_RUN = regex.compile(r"[\s\"»”’)«“(‘]*$", regex.REVERSE)
_CONTEXT = 32


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class _Emitted:
    """Text built left to right whose end can be inspected and cut back cheaply.

    :meth:`tail` gives the end of the text as ``(window, pos)``: search the ``$``-anchored patterns
    with ``pattern.search(window, pos)`` and they find what they would in the whole text. The
    window is the trailing run of :data:`_TRAILING_RUN` characters and :data:`_CONTEXT` more; when
    that is not the whole text, *window* starts with one more character and *pos* is 1, so that a
    lookbehind sees the real preceding character and ``^`` cannot match.
    """

    def __init__(self) -> None:
        self.pieces: list[str] = []

    def append(self, text: str) -> None:
        if text:
            self.pieces.append(text)

    def tail(self) -> tuple[str, int]:
        run = 0
        for piece in reversed(self.pieces):
            m = _TRAILING_RUN.search(piece)
            length = m.end() - m.start() if m is not None else 0
            run += length
            if length < len(piece):
                break
        need = run + _CONTEXT + 1
        got: list[str] = []
        for piece in reversed(self.pieces):
            take = piece[-need:] if len(piece) > need else piece
            got.append(take)
            need -= len(take)
            if need == 0:
                break
        window = "".join(reversed(got))
        return window, 1 if need == 0 else 0

    def cut(self, n: int) -> None:
        """Remove the last *n* characters."""
        while n > 0 and self.pieces:
            last = self.pieces[-1]
            if len(last) > n:
                self.pieces[-1] = last[:-n]
                return
            n -= len(last)
            self.pieces.pop()

    def text(self) -> str:
        return "".join(self.pieces)


def _search_end(pattern: regex.Pattern[str], emitted: _Emitted) -> tuple[regex.Match[str] | None, int]:
    """*pattern* (anchored with ``$``) at the end of *emitted*; also the number of characters from
    the start of the match to the end."""
    window, pos = emitted.tail()
    m = pattern.search(window, pos)
    return m, (len(window) - m.start() if m is not None else 0)


def _at_sentence_start(emitted: _Emitted) -> bool:
    return _search_end(_SENTENCE_END, emitted)[0] is not None


def restore(output: str, protected: Protected) -> Restored:
    """Put each slot's canonical target back into *output* (see the module doc)."""
    result = Restored(text=output)
    if not protected.slots:
        return result
    # One pattern for every placeholder (then a look-up of its code) rather than one alternative per
    # slot: a segment with thousands of placeholders is then scanned in linear time.
    alternatives: list[str] = []
    group_slots: dict[str, list[Slot]] = {}
    proxy_slots: dict[int, list[Slot]] = {}
    by_code: dict[str, Slot] = {}
    for slot in protected.slots:
        if slot.proxy is None:
            by_code[slot.token.casefold()] = slot
        else:
            proxy_slots.setdefault(id(slot.proxy), []).append(slot)
    if by_code:
        max_level = max(_placeholder_level(code[len(protected.prefix) :]) for code in by_code)
        alternatives.append(f"(?P<ph>{_placeholder_pattern(max_level, protected.prefix)})")
    for key, slots in proxy_slots.items():
        name = f"p{key}"
        group_slots[name] = slots
        words = sorted(slots[0].proxy.english if slots[0].proxy else (), key=len, reverse=True)
        alternatives.append(f"(?P<{name}>{'|'.join(regex.escape(w) for w in words)})")
    pattern = regex.compile(rf"(?<!{_LETTERS})(?:{'|'.join(alternatives)})(?!{_LETTERS})", regex.IGNORECASE)

    out = _Emitted()
    pos = 0  # end of the output consumed
    at = 0  # where to look for the next match
    used: Counter[str] = Counter()
    while (m := pattern.search(output, at)) is not None:
        name = m.lastgroup
        assert name is not None
        at = m.end()
        if name == "ph":
            found = by_code.get("".join(ch for ch in m.group() if ch.isalpha()).casefold())
            if found is None:  # a placeholder code this segment does not have: no match here
                at = m.start() + 1
                continue
            slot = found
        else:
            slots = group_slots[name]
            slot = slots[min(used[name], len(slots) - 1)]
            used[name] += 1
        out.append(output[pos : m.start()])
        entry = slot.entry
        target = entry.target
        capital = False
        elided, cut = _search_end(_ELIDED_BEFORE, out)
        if elided:
            capital = elided.group()[0].isupper()
            out.cut(cut)
        art, cut = _search_end(_ARTICLE_BEFORE, out)
        if art and (not takes_article(entry, slot.match.form) or target.lower().startswith("the ")):
            capital = capital or art.group(1)[0].isupper()
            out.cut(cut)
        if capital or _at_sentence_start(out):
            target = _capitalise(target)
        end = m.end()
        poss = _POSSESSIVE.match(output, end)
        if poss:
            target += poss.group(1) + ("" if target.endswith(("s", "S")) else "s")
            end = poss.end()
        out.append(target)
        pos = end
        result.found[slot.index] += 1
    out.append(output[pos:])
    result.text = out.text()
    for slot in protected.slots:
        if slot.proxy is None and not result.found[slot.index]:
            result.lost.append(slot)
    for key, slots in proxy_slots.items():
        got = used[f"p{key}"]
        for j, slot in enumerate(slots):
            if j < got:
                result.found[slot.index] += 1
            else:
                result.lost.append(slot)
    result.lost.sort(key=lambda s: s.index)
    return result


# ------------------------------------------------------------------------------------------
# Verification and post-editing


class Enforcer:
    """Glossary-bound enforcement: the matchers are compiled once per run."""

    def __init__(self, glossary: Glossary, *, proxies: bool = True) -> None:
        self.glossary = glossary
        self.verifier = Verifier(glossary)
        self.source = self.verifier.source
        self.proxies = proxies

    # -- stages ----------------------------------------------------------------------------

    def matches(self, text: str) -> list[Match]:
        return self.source.find(text)

    def protect(self, text: str) -> Protected:
        return protect(text, self.matches(text), proxies=self.proxies)

    def suppress(self, protected: Protected) -> list[str]:
        """Forbidden renderings of the terms expected in a segment (for engines that can avoid them)."""
        seen: dict[str, None] = {}
        for m in protected.matches:
            for bad in m.entry.forbidden:
                seen.setdefault(bad, None)
        return list(seen)

    def forbidden_in(self, text: str) -> list[Match]:
        """Forbidden renderings in *text* (see :meth:`Verifier.forbidden_in`)."""
        return self.verifier.forbidden_in(text)

    def verify(self, matches: Sequence[Match], text: str, lost: Sequence[Slot] = ()) -> Verdict:
        """Check *text* (a translated segment) against the source *matches* (the one verifier)."""
        return self.verifier.verdict(matches, text, lost)

    def postedit(self, matches: Sequence[Match], text: str) -> str:
        """Replace forbidden renderings of the terms expected in the segment by their target."""
        expected = {m.entry.id for m in matches}
        if not expected:
            return text
        out = _Emitted()
        pos = 0
        for f in self.forbidden_in(text):
            if f.entry.id not in expected:
                continue
            out.append(text[pos : f.start])
            target = f.entry.target
            art, cut = _search_end(_ARTICLE_BEFORE, out)
            capital = False
            if art and not takes_article(f.entry):
                capital = art.group(1)[0].isupper()
                out.cut(cut)
            if capital or _at_sentence_start(out):
                target = _capitalise(target)
            out.append(target)
            pos = f.end
        out.append(text[pos:])
        return out.text()

    # -- one segment, end to end -----------------------------------------------------------

    def finish(
        self,
        protected: Protected,
        hypotheses: Sequence[Hypothesis],
        polish: Callable[[str], str] | None = None,
    ) -> Outcome:
        """Restore every hypothesis (then *polish* it, e.g. typography), keep the first that
        verifies (else the one that fails least), post-edit it and verify again."""
        best: Outcome | None = None
        for rank, hyp in enumerate(hypotheses or [Hypothesis(text="")]):
            restored = restore(hyp.text, protected)
            text = polish(restored.text) if polish is not None else restored.text
            verdict = self.verify(protected.matches, text, restored.lost)
            outcome = Outcome(text, verdict, _unknown(hyp, protected), rank, restored.lost)
            if best is None or len(verdict.failures) < len(best.verdict.failures):
                best = outcome
            if verdict.ok:
                break
        assert best is not None
        if not best.verdict.ok:
            edited = self.postedit(protected.matches, best.text)
            if edited != best.text:
                best.text = edited
                best.postedited = True
                best.verdict = self.verify(protected.matches, edited, best.lost)
        return best


@dataclass
class Outcome:
    """The enforced translation of one segment."""

    text: str
    verdict: Verdict
    unknown: list[str]
    hypothesis: int = 0  # rank of the hypothesis kept
    lost: list[Slot] = field(default_factory=list)
    postedited: bool = False


def _unknown(hyp: Hypothesis, protected: Protected) -> list[str]:
    """The engine's unknown words, less the placeholders and proxies."""
    tokens = {s.token.lower() for s in protected.slots}
    return [w for w in hyp.unknown if w.lower() not in tokens and not w.startswith(protected.prefix)]
