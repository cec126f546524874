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

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .config import default_pair
from .engines.base import Hypothesis
from .glossary import Entry, Glossary
from .infer import is_inferred
from .lang import Language, Pair, Proxy, target_language
from .lang import get as get_language
from .lang.en import English
from .match import Match
from .rx import compiled, needles_pattern
from .tokens import CODE_LETTERS, PREFIXES, code_length, free_prefix, mangled, placeholder_code
from .verify import Verdict, Verifier

#: the usual placeholder prefix; a segment whose own text holds it gets another (:func:`free_prefix`)
PLACEHOLDER_PREFIX = PREFIXES[0]
_CODE_LETTERS = CODE_LETTERS

_LETTERS = r"[\p{L}\p{N}]"


_code_length = code_length


def _placeholder_level(code: str) -> int:
    return len(code) - len(code.lstrip("z"))


@lru_cache(maxsize=256)
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
# Proxies and articles: the rules are the languages' (lang/); these are the entry-level questions

PROXY_EXCLUDED_TYPES = frozenset({"person", "organisation", "media", "weapon", "document", "event"})


def wants_proxy(entry: Entry, form: str, language: Language | None = None) -> bool:
    """Whether a matched *form* of *entry* is a single adjective or nationality noun of the source
    *language* (proxy-protected): the language's adjective endings for a lower-case form, its
    nationality endings for a capitalised one."""
    language = language or get_language(default_pair().source)
    if entry.dnt or entry.type in PROXY_EXCLUDED_TYPES:
        return False
    if _HYPHENATED_WORD.fullmatch(form) is None:
        return False
    if form[0].islower():
        return bool(language.adjective_suffix) and compiled(language.adjective_suffix).search(form) is not None
    return language.is_nationality(form)


def takes_article(entry: Entry, form: str = "", source: Language | None = None, target: English | None = None) -> bool:
    """Whether an English "the" may stand before *entry*'s target (else it is removed on restore):
    :meth:`kp_translate.lang.en.English.takes_article` for the entry's target and type and the
    matched source *form*."""
    if source is None or target is None:  # the project's languages (read from its settings)
        pair = default_pair()
        source = source or get_language(pair.source)
        target = target or target_language(pair.target)
    return target.takes_article(entry.target, entry.type, form, source)


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
    #: the pair it is translated in (the source's elisions and the target's articles on restore)
    pair: Pair = field(default_factory=lambda: default_pair())


def protect(source: str, matches: Sequence[Match], *, proxies: bool = True, pair: Pair | None = None) -> Protected:
    """Replace every match in *source* (in *pair*'s source language) by a placeholder or a proxy.

    The placeholders' prefix is one that *source* does not contain, so that restoration never
    reads a word of the source (``Le code Kpxa désigne la RPDC``) as a placeholder."""
    pair = pair or default_pair()
    language = get_language(pair.source)
    prefix = free_prefix(source)
    lowered = source.lower()
    free = [p for p in language.proxies if not any(map(lowered.__contains__, p.family))] if proxies else []
    proxy_of: dict[str, Proxy] = {}
    slots: list[Slot] = []
    out: list[str] = []
    pos = 0
    n_placeholders = 0
    for i, m in enumerate(matches):
        out.append(source[pos : m.start])
        keep = language.elided_article(m.form)
        bare = m.form[len(keep) :]
        proxy: Proxy | None = None
        if proxies and wants_proxy(m.entry, bare, language):
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
    return Protected(source, "".join(out), list(matches), slots, prefix, pair)


# ------------------------------------------------------------------------------------------
# Restoration


@dataclass
class Restored:
    """Engine output with the targets put back."""

    text: str
    found: dict[int, int] = field(default_factory=dict)  # slot index -> occurrences restored
    lost: list[Slot] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


_SENTENCE_END = compiled(r"(?:^\s*|\n\s*|[.!?…][\"»”’)]*\s+|^\s*[«“\"(‘]\s*|[.!?…][\"»”’)]*\s+[«“\"(‘]\s*)$")
#: what a match of :data:`_SENTENCE_END` that does not start the text holds (one of them)
_SENTENCE_END_NEEDLES = needles_pattern("\n.!?…")

#: Restore and post-edit test the end of the text emitted so far with ``$``-anchored patterns
#: (:data:`_SENTENCE_END`, the target's ``article_before``, the source's ``elided_before``). A match of any of them
#: is a run of spaces, quotes and brackets (:data:`_TRAILING_RUN`) after at most four other
#: characters and one of lookbehind, so they only ever need that run and a few characters before
#: it: looking at that tail, not at the whole text, keeps restoration linear in the segment length.
#: The run's characters: white space (what ``regex`` reads as ``\s``, Unicode's White_Space: the
#: tests check it), quotes and brackets.
_TRAILING_RUN = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f"
    "\u205f\u3000"
    '"»”’)«“(‘'
)
_HYPHENATED_WORD = compiled(r"\p{L}+(?:-\p{L}+)*")
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
        self._tail: tuple[str, int] | None = None  # until the next append or cut

    def append(self, text: str) -> None:
        if text:
            self.pieces.append(text)
            self._tail = None

    def tail(self) -> tuple[str, int]:
        if self._tail is None:
            self._tail = self._window()
        return self._tail

    def _window(self) -> tuple[str, int]:
        run = 0
        for piece in reversed(self.pieces):
            length = len(piece) - len(piece.rstrip(_TRAILING_RUN))
            run += length
            if length < len(piece):
                break
        need = run + _CONTEXT + 1
        if self.pieces and len(self.pieces[-1]) >= need:  # the usual case: the last piece holds it all
            return self.pieces[-1][-need:], 1
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
        self._tail = None
        while n > 0 and self.pieces:
            last = self.pieces[-1]
            if len(last) > n:
                self.pieces[-1] = last[:-n]
                return
            n -= len(last)
            self.pieces.pop()

    def text(self) -> str:
        return "".join(self.pieces)


def _search_end(
    pattern: regex.Pattern[str], emitted: _Emitted, needles: re.Pattern[str] | None = None
) -> tuple[regex.Match[str] | None, int]:
    """*pattern* (anchored with ``$``) at the end of *emitted*; also the number of characters from
    the start of the match to the end. *needles* (:func:`kp_translate.rx.needles_pattern`): what
    every match of *pattern* that does not start the text holds (one of them), if known: a window
    (not the whole text) holding none has no match."""
    window, pos = emitted.tail()
    if needles is not None and pos and needles.search(window) is None:
        return None, 0
    m = pattern.search(window, pos)
    return m, (len(window) - m.start() if m is not None else 0)


def _at_sentence_start(emitted: _Emitted) -> bool:
    return _search_end(_SENTENCE_END, emitted, _SENTENCE_END_NEEDLES)[0] is not None


def _agree_indefinite(out: _Emitted, target: str, language: English, needles: re.Pattern[str] | None) -> None:
    """The indefinite article that *out* ends with, if any, made the one *target* takes (``a`` →
    ``an`` before ``International Criminal Court``): the engine chose it before a placeholder or
    a forbidden rendering, not before the target."""
    found, cut = _search_end(language.indefinite_before, out, needles)
    if found is None:
        return
    have, blanks = found.group(1), found.group(2)
    want = language.indefinite_article(target)
    if have.lower() == want:
        return
    written = want.upper() if have.isupper() and len(have) > 1 else want.capitalize() if have[0].isupper() else want
    out.cut(cut)
    out.append(written + blanks)


def restore(output: str, protected: Protected) -> Restored:
    """Put each slot's canonical target back into *output* (see the module doc)."""
    result = Restored(text=output)
    if not protected.slots:
        return result
    src_lang = get_language(protected.pair.source)
    tgt_lang = target_language(protected.pair.target)
    elided_before = src_lang.elided_before
    elided_marks, article_words = needles_pattern(src_lang.elided_marks), needles_pattern(tgt_lang.article_words)
    indefinite_words = needles_pattern(tgt_lang.indefinite_words)
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
    if by_code:  # (the longest code has the highest level: a code's length grows with its level)
        max_level = _placeholder_level(max(by_code, key=len)[len(protected.prefix) :])
        alternatives.append(f"(?P<ph>{_placeholder_pattern(max_level, protected.prefix)})")
    # groups named by their order, so that segments with the same proxies share one compiled pattern
    for k, slots in enumerate(proxy_slots.values()):
        name = f"p{k}"
        group_slots[name] = slots
        words = sorted(slots[0].proxy.english if slots[0].proxy else (), key=len, reverse=True)
        alternatives.append(f"(?P<{name}>{'|'.join(regex.escape(w) for w in words)})")
    pattern = compiled(rf"(?<!{_LETTERS})(?:{'|'.join(alternatives)})(?!{_LETTERS})", regex.IGNORECASE)

    out = _Emitted()
    pos = 0  # end of the output consumed
    at = 0  # where to look for the next match
    used: dict[str, int] = {}  # proxy group -> occurrences restored
    while (m := pattern.search(output, at)) is not None:
        name = m.lastgroup
        assert name is not None
        at = m.end()
        if name == "ph":  # (a placeholder's letters, without the blanks an engine may put between them)
            found = by_code.get("".join(m.group().split()).casefold())
            if found is None:  # a placeholder code this segment does not have: no match here
                at = m.start() + 1
                continue
            slot = found
        else:
            slots = group_slots[name]
            slot = slots[min(used.get(name, 0), len(slots) - 1)]
            used[name] = used.get(name, 0) + 1
        out.append(output[pos : m.start()])
        entry = slot.entry
        target = entry.target
        capital = False
        elided, cut = _search_end(elided_before, out, elided_marks) if elided_before is not None else (None, 0)
        if elided:
            capital = elided.group()[0].isupper()
            out.cut(cut)
        art, cut = _search_end(tgt_lang.article_before, out, article_words)
        if art and (not takes_article(entry, slot.match.form, src_lang, tgt_lang) or target.lower().startswith("the ")):
            capital = capital or art.group(1)[0].isupper()
            out.cut(cut)
        if capital or _at_sentence_start(out):
            target = _capitalise(target)
        _agree_indefinite(out, target, tgt_lang, indefinite_words)
        end = m.end()
        poss = tgt_lang.possessive.match(output, end)
        if poss:
            target += poss.group(1) + ("" if target.endswith(("s", "S")) else "s")
            end = poss.end()
        out.append(target)
        pos = end
        result.found[slot.index] = result.found.get(slot.index, 0) + 1
    out.append(output[pos:])
    result.text = out.text()
    for slot in protected.slots:
        if slot.proxy is None and not result.found.get(slot.index):
            result.lost.append(slot)
    for k, slots in enumerate(proxy_slots.values()):
        got = used.get(f"p{k}", 0)
        for j, slot in enumerate(slots):
            if j < got:
                result.found[slot.index] = result.found.get(slot.index, 0) + 1
            else:
                result.lost.append(slot)
    result.lost.sort(key=lambda s: s.index)
    return result


# ------------------------------------------------------------------------------------------
# Verification and post-editing


class Enforcer:
    """Glossary-bound enforcement: the matchers are compiled once per run."""

    def __init__(self, glossary: Glossary, *, proxies: bool = True, pair: Pair | None = None) -> None:
        self.pair = pair or default_pair()
        #: the glossary as the pair's source language sees it
        self.glossary = glossary.view(self.pair.source)
        self.verifier = Verifier(self.glossary)
        self.source = self.verifier.source
        self.proxies = proxies
        self.source_language = get_language(self.pair.source)
        self.target_language = target_language(self.pair.target)

    # -- stages ----------------------------------------------------------------------------

    def matches(self, text: str) -> list[Match]:
        return self.source.find(text)

    def protect(self, text: str, extra: Sequence[Match] = ()) -> Protected:
        """*text* with its glossary matches protected, and the *extra* matches (names inferred by
        rule, :mod:`kp_translate.infer`) that no glossary match overlaps."""
        return protect(text, merge_matches(self.matches(text), extra), proxies=self.proxies, pair=self.pair)

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
        article_words = needles_pattern(self.target_language.article_words)
        indefinite_words = needles_pattern(self.target_language.indefinite_words)
        for f in self.forbidden_in(text):
            if f.entry.id not in expected:
                continue
            out.append(text[pos : f.start])
            target = f.entry.target
            art, cut = _search_end(self.target_language.article_before, out, article_words)
            capital = False
            if art and not takes_article(f.entry, "", self.source_language, self.target_language):
                capital = art.group(1)[0].isupper()
                out.cut(cut)
            if capital or _at_sentence_start(out):
                target = _capitalise(target)
            _agree_indefinite(out, target, self.target_language, indefinite_words)
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
        # names inferred by rule are protected and restored like terms, but not verified as terms
        glossary_matches = [m for m in protected.matches if not is_inferred(m.entry)]
        for rank, hyp in enumerate(hypotheses or [Hypothesis(text="")]):
            restored = restore(hyp.text, protected)
            text = polish(restored.text) if polish is not None else restored.text
            verdict = self.verify(glossary_matches, text, [s for s in restored.lost if not is_inferred(s.entry)])
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
                best.verdict = self.verify(glossary_matches, edited, [s for s in best.lost if not is_inferred(s.entry)])
        return best


def merge_matches(matches: Sequence[Match], extra: Sequence[Match]) -> list[Match]:
    """*matches* and those of *extra* that overlap none of them, in text order; an *extra* match
    that contains the matches it overlaps replaces them (the longest wins, as in the matcher:
    ``Kim Tok-hun`` over a surname entry ``Kim``)."""
    if not extra:
        return list(matches)
    out = list(matches)
    for x in extra:
        overlapping = [m for m in out if m.start < x.end and x.start < m.end]
        if all(x.start <= m.start and m.end <= x.end and (m.start, m.end) != (x.start, x.end) for m in overlapping):
            out = [m for m in out if m not in overlapping] + [x]
    return sorted(out, key=lambda m: m.start)


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
