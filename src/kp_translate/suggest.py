"""Find names and terms in source-language text that the glossary does not cover yet.

A *candidate* token is an acronym (two or more capitals: RPDC, KCNA), an alphanumeric code
(Hwasong-11), or a capitalised word. A capitalised word at the start of a sentence counts only if
its lower-case form never occurs in the texts (so "Mais" is not a name, "Poutine" is). A token is
*covered* when a glossary match spans it, or when it (or the phrase it sits in) is listed in the
ignore list (``glossary/ignore.txt``: one form per line, ``#`` comments). The source language
gives the glossary view, the name particles that join a name's parts (fr ``de``, es ``del``) and
the marks that open a sentence (es ``¿ ¡``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import regex

from .config import default_pair
from .errors import InputError
from .fileio import read_text
from .glossary import Glossary, normalise_form
from .lang import Language
from .lang import get as get_language
from .match import Matcher
from .rx import compiled, deferred
from .segment import read_document

_TOKEN = compiled(r"[\p{L}\p{N}]+(?:[-+][\p{L}\p{N}]+)*")
#: the tokens of :data:`_TOKEN` that open with a capital (``str.isupper``: the Unicode property, of
#: which the regex module's tables know a few more letters; callers test ``isupper`` again)
_CAPITALISED_TOKEN = compiled(
    r"(?<![\p{L}\p{N}])(?<![\p{L}\p{N}][-+])(?=\p{Uppercase})[\p{L}\p{N}]+(?:[-+][\p{L}\p{N}]+)*"
)
#: a token of :data:`_TOKEN` at the place it is matched (no letter or digit before it, nor one
#: joined to it by ``-`` or ``+``): a token :func:`words` finds starts exactly at such a place
_TOKEN_HERE = deferred(r"(?<![\p{L}\p{N}])(?<![\p{L}\p{N}][-+])" + _TOKEN.pattern)


@lru_cache(maxsize=16)
def _sentence_start(marks: str) -> regex.Pattern[str]:
    """What ends the text before a sentence-initial word (*marks*: the language's inverted marks)."""
    opening = regex.escape(marks) if marks else ""
    return compiled(rf"(?:^|[.!?:;»«\"“”–—•({opening}]\s*|\d+\.\s+)$")


class Token(NamedTuple):
    doc: str
    paragraph: int
    start: int  # offset in the paragraph
    end: int
    text: str
    sentence_initial: bool


@dataclass
class Suggestion:
    """A candidate name or term not covered by the glossary."""

    form: str
    count: int
    example: str  # a short context around the first occurrence
    where: list[str] = field(default_factory=list)  # paragraph ids

    def to_dict(self) -> dict[str, object]:
        return {"form": self.form, "count": self.count, "example": self.example, "where": self.where}


def load_ignore(path: str | Path | None) -> set[str]:
    """Read an ignore list; a missing file is an empty list."""
    if path is None or not Path(path).is_file():
        return set()
    out = set()
    for line in read_text(path).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(normalise_form(line))
    return out


def _is_candidate_shape(tok: str) -> bool:
    if len(tok) < 2:
        return False
    has_digit = any(c.isdigit() for c in tok)
    has_alpha = any(c.isalpha() for c in tok)
    if has_digit:
        return has_alpha
    if sum(1 for c in tok if c.isupper()) >= 2:
        return True
    return tok[0].isupper()


def words(text: str) -> list[str]:
    """The words :func:`tokens` finds in *text*, as strings."""
    return list(_TOKEN.findall(text))


class LowerCaseWords:
    """The words written in lower case in some texts, asked one at a time: ``word in
    LowerCaseWords(texts)`` is ``word in {w for t in texts for w in words(t) if w[:1].islower()}``,
    each word looked for when first asked (a name finder asks about a few sentence-initial words of a
    document, not about all of its words)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._text = "\n".join(texts)  # (no token reaches across a line break)
        self._known: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = word[:1].islower() and self._occurs(word)
        return known

    def _occurs(self, word: str) -> bool:
        """Whether a token of the texts is *word*: a token starts where *word* does and ends with it."""
        text = self._text
        at = text.find(word)
        while at >= 0:
            m = _TOKEN_HERE.match(text, at)
            if m is not None and m.end() == at + len(word):
                return True
            at = text.find(word, at + 1)
        return False


def tokens(
    text: str,
    doc: str = "-",
    paragraph: int = 0,
    language: Language | None = None,
    capitalised: bool = False,
) -> list[Token]:
    """Word tokens of a paragraph (apostrophes split elisions: l'Otan → l, Otan); with *capitalised*,
    only those whose first letter is a capital (the same tokens, found without the others)."""
    start = _sentence_start((language or _default_language()).inverted_marks)
    out = []
    for m in (_CAPITALISED_TOKEN if capitalised else _TOKEN).finditer(text):
        at = m.start()
        before = text[max(0, at - 6) : at]
        last = before.rstrip()[-1:]
        # what opens a sentence ends with a mark, never a letter: most words need no search
        initial = at == 0 or (not last.isalpha() and start.search(before) is not None)
        out.append(Token(doc, paragraph, at, m.end(), m.group(), initial))
    return out


def _default_language() -> Language:
    return get_language(default_pair().source)


def candidates(paths: Sequence[str | Path], language: Language | None = None) -> list[Token]:
    """Every candidate token in the given documents (files or directories of ``*.txt``)."""
    docs = []
    for p in _expand(paths):
        docs.append(read_document(p))
    all_tokens: list[Token] = []
    for d in docs:
        for para in d.paragraphs:
            all_tokens.extend(tokens(para.text, d.name, para.index, language))
    lower_seen = {t.text for t in all_tokens if t.text[:1].islower()}
    # a sentence-initial word the language lists as one of its common words is no name ("Pero")
    language = language or _default_language()
    common = language.function_words | language.identify_words | language.more_words
    out = []
    for t in all_tokens:
        if not _is_candidate_shape(t.text):
            continue
        plain_capitalised = (
            t.text[0].isupper() and not any(c.isdigit() for c in t.text) and (sum(1 for c in t.text if c.isupper()) < 2)
        )
        if plain_capitalised and t.sentence_initial and (t.text.lower() in lower_seen or t.text.lower() in common):
            continue
        out.append(t)
    return out


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    """The documents given: files as they are, directories by their ``*.txt`` files."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(p.glob("*.txt"))
            if not found:
                raise InputError("directory holds no .txt file", p)
            files.extend(found)
        else:
            files.append(p)
    return files


def uncovered(
    paths: Sequence[str | Path], glossary: Glossary, ignore: set[str] | None = None, language: Language | None = None
) -> list[Token]:
    """Candidate tokens that no match of the glossary's *language* view spans and that the ignore
    list does not list."""
    ignore = ignore or set()
    language = language or _default_language()
    matcher = Matcher.cached(glossary.view(language.code))
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    texts: dict[tuple[str, int], str] = {}
    for p in _expand(paths):
        d = read_document(p)
        for para in d.paragraphs:
            key = (d.name, para.index)
            texts[key] = para.text
            spans[key] = [(m.start, m.end) for m in matcher.finditer(para.text)]
            spans[key] += _ignored_spans(para.text, ignore)
    out = []
    for t in candidates(paths, language):
        covered = any(s <= t.start and t.end <= e for s, e in spans.get((t.doc, t.paragraph), []))
        if not covered and normalise_form(t.text) not in ignore:
            out.append(t)
    return out


def _ignored_spans(text: str, ignore: set[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    norm = normalise_form(text)
    if len(norm) != len(text):  # normalisation changed offsets: fall back to token-level ignore
        return spans
    for phrase in ignore:
        if " " not in phrase:
            continue
        for m in regex.finditer(r"(?<![\p{L}\p{N}])" + regex.escape(phrase) + r"(?![\p{L}\p{N}])", norm):
            spans.append((m.start(), m.end()))
    return spans


def suggest(
    paths: Sequence[str | Path], glossary: Glossary, ignore: set[str] | None = None, language: Language | None = None
) -> list[Suggestion]:
    """Uncovered names/terms of *language* text (default: the project's source language), grouped
    into phrases (consecutive capitalised tokens), most frequent first, each with its count, an
    example context and where it occurs."""
    language = language or _default_language()
    toks = uncovered(paths, glossary, ignore, language)
    texts: dict[tuple[str, int], str] = {}
    for path in _expand(paths):
        d = read_document(path)
        for para in d.paragraphs:
            texts[(d.name, para.index)] = para.text
    # group adjacent uncovered tokens of one paragraph into phrases ("Belfer Center")
    phrases: list[tuple[str, int, int, int, str]] = []  # (doc, para, start, end, text)
    for t in toks:
        text = texts[(t.doc, t.paragraph)]
        if phrases:
            doc, pidx, start, end, _ = phrases[-1]
            gap = text[end : t.start] if (doc, pidx) == (t.doc, t.paragraph) else None
            if gap is not None and _joinable(gap, language.name_particles):
                phrases[-1] = (doc, pidx, start, t.end, text[start : t.end])
                continue
        phrases.append((t.doc, t.paragraph, t.start, t.end, t.text))
    counts: Counter[str] = Counter()
    first: dict[str, tuple[str, int, int, int]] = {}
    where: dict[str, list[str]] = {}
    for doc, pidx, start, end, phrase in phrases:
        key = normalise_form(phrase)
        counts[key] += 1
        first.setdefault(key, (doc, pidx, start, end))
        ref = f"{doc}#{pidx}"
        if ref not in where.setdefault(key, []):
            where[key].append(ref)
    out = []
    for key, n in counts.most_common():
        doc, pidx, start, end = first[key]
        text = texts[(doc, pidx)]
        lo, hi = max(0, start - 40), min(len(text), end + 40)
        example = ("…" if lo else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")
        out.append(Suggestion(key, n, example, where[key]))
    return out


def _joinable(gap: str, particles: frozenset[str]) -> bool:
    words = gap.replace("'", " ").replace("’", " ").split()
    return not gap.strip() or (len(words) <= 2 and all(w.lower() in particles for w in words) and "\n" not in gap)


# -- draft stanzas (``glossary suggest --write``) ---------------------------------------------------


@dataclass
class Draft:
    """A candidate glossary entry: a :class:`Suggestion` with what a rule proposes for it
    (:meth:`kp_translate.infer.NameFinder.resolve`), or the reason none does."""

    suggestion: Suggestion
    target: str
    type: str
    rule: str  # "ru-fr", "ko-north", "cldr", … or "" (no rule: the target is the form, to review)
    evidence: str = ""
    country: str = ""
    confidence: float = 0.0


def drafts(
    paths: Sequence[str | Path], glossary: Glossary, ignore: set[str] | None = None, language: Language | None = None
) -> list[Draft]:
    """:func:`suggest`'s candidates, each with the English form a rule proposes: the Korean context
    is the paragraph of its first occurrence, else its document."""
    from .infer import NameFinder, Resolution

    language = language or _default_language()
    finder = NameFinder(glossary, language)
    documents = {d.name: d for d in (read_document(p) for p in _expand(paths))}
    out: list[Draft] = []
    surnames: dict[str, tuple[str, str]] = {}
    found = suggest(paths, glossary, ignore, language)
    # full names first, so that a surname-only mention finds its person
    for s in sorted(found, key=lambda s: -len(s.form.split())):
        doc_name, _, index = s.where[0].rpartition("#")
        document = documents[doc_name]
        paragraph = document.paragraphs[int(index)].text
        country = language.korean_country_hint(document.text)
        form = _with_korean_surname(s.form, paragraph)
        if form != s.form:  # "Tok-hun" after the surname entry "Kim": the name is "Kim Tok-hun"
            s = Suggestion(form, s.count, s.example, s.where)
        r = finder.resolve(s.form, paragraph, country, surnames)
        if isinstance(r, Resolution):
            out.append(Draft(s, r.target, r.type, r.rule, r.evidence, r.country, r.confidence))
        else:
            kind = "term" if any(c.isdigit() for c in s.form) or s.form.isupper() else "person"
            out.append(Draft(s, s.form, kind, "", r))
    order = {s.where[0] + s.form: k for k, s in enumerate(found)}
    return sorted(out, key=lambda d: order.get(d.suggestion.where[0] + d.suggestion.form, len(order)))


def _with_korean_surname(form: str, paragraph: str) -> str:
    """*form* with the Korean surname written just before it in *paragraph*, when the two make a
    Korean name (:func:`kp_translate.lang.names.korean_shape`); else *form*."""
    from .lang.names import KOREAN_SURNAMES, korean_shape

    m = regex.search(rf"(?<![\p{{L}}\p{{N}}])(\p{{Lu}}\p{{Ll}}+) {regex.escape(form)}(?![\p{{L}}\p{{N}}])", paragraph)
    if m is None or m.group(1) not in KOREAN_SURNAMES or not korean_shape(f"{m.group(1)} {form}"):
        return form
    return f"{m.group(1)} {form}"


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return regex.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "entry"


def render_drafts(found: Sequence[Draft], glossary: Glossary, language: Language, default_source: str) -> str:
    """*found* as ``.kpg`` stanzas, all ``status: draft``, ids unique against *glossary* and each
    other, the forms tagged with *language* unless it is the glossary's *default_source*: a file
    that ``glossary check`` accepts."""
    taken = {e.id for e in glossary}
    tag = "" if language.code == default_source else f".{language.code}"
    lines = [
        "# Candidate entries proposed by `kp-translate glossary suggest`: every one is a draft.",
        "# Check each target against the English press before setting status: reviewed.",
    ]
    for d in found:
        s = d.suggestion
        base = _slug(d.target)
        entry_id, n = base, 2
        while entry_id in taken:
            entry_id, n = f"{base}-{n}", n + 1
        taken.add(entry_id)
        how = f"rule {d.rule}" + (f" ({d.evidence})" if d.evidence else "") if d.rule else f"no rule ({d.evidence})"
        lines += [
            "",
            f"# {how}; {s.count} occurrence(s) in {', '.join(s.where[:5])}{' …' if len(s.where) > 5 else ''}",
            f"# context: {s.example}",
            f"[{entry_id}]",
            f"type: {d.type}",
            f"target: {d.target}",
            f"source{tag}: {s.form}",
            *([f"country: {d.country}"] if d.country else []),
            "status: draft",
            "note: "
            + (
                f"proposed by {d.rule} (confidence {d.confidence:g}); English form to be confirmed"
                if d.rule
                else "no rule proposes an English form: the target is the source form until reviewed"
            ),
        ]
    return "\n".join(lines) + "\n"
