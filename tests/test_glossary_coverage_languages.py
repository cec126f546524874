"""Coverage of the Spanish, Italian, Catalan, Galician, Portuguese and Basque evaluation texts.

The French dossier is checked with ``kp_translate.suggest`` (tests/test_glossary_content.py). Its
sentence rule is French: it does not know that ``¿`` and ``¡`` open a sentence, and it cannot see
that ``Putinek`` is ``Putin`` with a Basque case ending. So the candidates are found here with a
rule of their own, kept simple:

- a *candidate* is an acronym (two or more capitals: ``KCNA``, ``EE``, ``NATOren``), a code (a
  capitalised word with a digit: ``KN-23``, ``Soyuz-2``), or a capitalised word that is not at the
  start of a sentence;
- a capitalised word at the start of a sentence (the start of a paragraph, or after ``.``, ``!``,
  ``?``, ``…`` or an opening ``¿ ¡ « " “ ( — –``) is a candidate only if the same word also stands
  capitalised mid-sentence and its lower-case form never occurs in that language's texts
  (``Japón expresó ...`` counts because ``Japón`` also occurs mid-sentence; ``Estas ...`` does
  not, nor does Italian ``Il ministro ...``, although ``Il`` is mid-sentence in ``Kim Il Sung``);
- a candidate is *covered* when a match of the language's glossary view spans it, or when it (or
  a phrase holding it) is in ``glossary/ignore.<lang>.txt``;
- in Basque only, a candidate is also covered when its stem is: the glossary lists Basque names
  without their case endings (docs/glossary.md), so ``Ipar Koreak`` is covered by ``Ipar Korea``
  once the ending ``-k`` is set aside.

The ignore files follow the rules of glossary/ignore.txt: one form per line, each with a
``# reason``; a line with a space is an exact phrase; no line is a glossary form of the language;
every line is needed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from kp_translate.glossary import Glossary, normalise_form
from kp_translate.match import Matcher
from kp_translate.segment import read_document

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("es", "it", "ca", "gl", "pt", "eu")

_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:[-+][\p{L}\p{N}]+)*")
# what may stand between a sentence end and the first word of the next sentence
_SENTENCE_START = regex.compile(r"(?:^|[.!?…¿¡«\"“(—–])\s*$")

# Basque case endings (and the article -a), longest first: Putin-ek, Korea-ko, NATO-ren,
# Errusia-rekin, Pyongyang-era, Ukraina-ri, Kim-i, Japonia-k, Ipar Korea-n.
BASQUE_ENDINGS = sorted(
    "k ek ak ko eko ren aren en an n ra era ri ari i a rekin arekin ekin tik etik ean rentzat entzat rako".split(),
    key=len,
    reverse=True,
)


# ---------------------------------------------------------------------------------------------
# Candidate detection


class Candidate:
    __slots__ = ("doc", "end", "initial", "para", "start", "text")

    def __init__(self, doc: str, para: int, start: int, end: int, text: str, initial: bool) -> None:
        self.doc, self.para, self.start, self.end, self.text, self.initial = doc, para, start, end, text, initial

    def __repr__(self) -> str:
        return f"{self.text!r} in {self.doc}#{self.para}"


def _always_candidate(word: str) -> bool:
    """Acronyms and codes count wherever they stand."""
    capitals = sum(c.isupper() for c in word)
    return capitals >= 2 or (word[0].isupper() and any(c.isdigit() for c in word))


def candidates_in(paragraphs: list[tuple[str, int, str]]) -> list[Candidate]:
    """The candidate tokens of some paragraphs ``(doc, index, text)``, by the rule above."""
    capitalised: list[Candidate] = []
    for doc, index, text in paragraphs:
        for m in _TOKEN.finditer(text):
            word = m.group()
            if len(word) < 2 or not word[0].isupper():
                continue
            initial = bool(_SENTENCE_START.search(text[max(0, m.start() - 8) : m.start()]))
            capitalised.append(Candidate(doc, index, m.start(), m.end(), word, initial))
    mid_sentence = {c.text for c in capitalised if not c.initial}
    lower = {m.group() for _, _, text in paragraphs for m in _TOKEN.finditer(text) if m.group()[0].islower()}
    return [
        c
        for c in capitalised
        if not c.initial or _always_candidate(c.text) or (c.text in mid_sentence and c.text.lower() not in lower)
    ]


def _paragraphs(lang: str) -> list[tuple[str, int, str]]:
    files = sorted((ROOT / "corpus" / lang).glob("*.txt"))
    assert files, f"no texts in corpus/{lang}"
    out = []
    for path in files:
        doc = read_document(path)
        out.extend((doc.name, para.index, para.text) for para in doc.paragraphs)
    return out


# ---------------------------------------------------------------------------------------------
# Coverage


def _ignore_path(lang: str) -> Path:
    return ROOT / "glossary" / f"ignore.{lang}.txt"


def _ignore_lines(lang: str) -> list[tuple[str, str]]:
    """(form, reason) for every entry line of glossary/ignore.<lang>.txt (none if it is absent)."""
    path = _ignore_path(lang)
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        form, _, reason = line.partition("#")
        out.append((form.strip(), reason.strip()))
    return out


def _spans(text: str, matcher: Matcher, lang: str, phrases: set[str]) -> list[tuple[int, int]]:
    spans = [(m.start, m.end) for m in matcher.find(text)]
    norm = normalise_form(text)
    if len(norm) == len(text):
        for phrase in phrases:
            pattern = r"(?<![\p{L}\p{N}])" + regex.escape(phrase) + r"(?![\p{L}\p{N}])"
            spans += [(m.start(), m.end()) for m in regex.finditer(pattern, norm)]
    if lang == "eu":
        # a capitalised word with a case ending is covered when its stem is matched
        for m in _TOKEN.finditer(text):
            word = m.group()
            if not word[0].isupper():
                continue
            for ending in BASQUE_ENDINGS:
                stem_end = m.end() - len(ending)
                if word.endswith(ending) and stem_end - m.start() >= 2:
                    stemmed = text[:stem_end] + " " * len(ending) + text[m.end() :]
                    found = [(x.start, x.end) for x in matcher.find(stemmed) if x.end == stem_end]
                    if found:
                        spans += [(s, m.end()) for s, _ in found]
                        break
    return spans


def uncovered(lang: str, view: Glossary, ignore: set[str]) -> list[Candidate]:
    paragraphs = _paragraphs(lang)
    matcher = view.matcher()
    phrases = {p for p in ignore if " " in p}
    spans = {(doc, index): _spans(text, matcher, lang, phrases) for doc, index, text in paragraphs}
    return [
        c
        for c in candidates_in(paragraphs)
        if normalise_form(c.text) not in ignore
        and not any(s <= c.start and c.end <= e for s, e in spans[(c.doc, c.para)])
    ]


@pytest.fixture(scope="module", params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_language_texts_are_covered(lang: str, real_glossary: Glossary) -> None:
    ignore = {normalise_form(form) for form, _ in _ignore_lines(lang)}
    missing = uncovered(lang, real_glossary.view(lang), ignore)
    listing = "\n".join(f"  {c!r}" for c in missing)
    assert not missing, (
        f"{len(missing)} name(s)/term(s) of corpus/{lang} neither in the {lang} glossary view "
        f"nor in glossary/ignore.{lang}.txt:\n{listing}"
    )


# ---------------------------------------------------------------------------------------------
# The per-language ignore lists


def test_every_ignored_form_has_a_reason(lang: str) -> None:
    lines = _ignore_lines(lang)
    assert not [form for form, reason in lines if len(reason.split()) < 2]
    forms = [form for form, _ in lines]
    assert len(forms) == len(set(forms)), f"duplicate lines in ignore.{lang}.txt"


def test_no_ignored_form_is_a_glossary_form(lang: str, real_glossary: Glossary) -> None:
    sources = {normalise_form(s) for e in real_glossary.view(lang) for s in e.sources}
    assert not [form for form, _ in _ignore_lines(lang) if normalise_form(form) in sources]


def test_every_ignored_form_is_needed(lang: str, real_glossary: Glossary) -> None:
    view = real_glossary.view(lang)
    ignore = {normalise_form(form) for form, _ in _ignore_lines(lang)}
    for form, _ in _ignore_lines(lang):
        key = normalise_form(form)
        back = {c.text for c in uncovered(lang, view, ignore - {key})}
        assert back, f"ignore.{lang}.txt line {form!r} is not needed"
        assert back <= set(key.replace(",", "").split()), (form, back)


# ---------------------------------------------------------------------------------------------
# The detection rule itself


def test_detection_rule() -> None:
    text = (
        "¿Qué puede hacer el ministro Fulano Detal? Estas cifras, según el Pentágono, son altas. "
        "Fulano llegó con misiles KN-23. ¡Sería un giro! KCNA lo dijo."
    )
    found = [c.text for c in candidates_in([("x", 0, text)])]
    # mid-sentence names; a sentence-initial name seen mid-sentence too; acronyms and codes anywhere
    assert found == ["Fulano", "Detal", "Pentágono", "Fulano", "KN-23", "KCNA"]


def test_basque_case_endings_are_covered_by_the_stem(real_glossary: Glossary) -> None:
    view = real_glossary.view("eu")
    text = "Putinek eta Ipar Koreak ituna sinatu zuten NATOren aurka."
    spans = _spans(text, view.matcher(), "eu", set())
    for word in ("Putinek", "Ipar Koreak", "NATOren"):
        start = text.index(word)
        assert any(s <= start and start + len(word) <= e for s, e in spans), word
    # and only in Basque
    assert not _spans("Putinek", real_glossary.view("es").matcher(), "es", set())


# ---------------------------------------------------------------------------------------------
# Italian agency style: acronyms written in lower case (Kcna, Onu, Nato)


@pytest.mark.parametrize(
    ("sentence", "form", "entry_id", "target"),
    [
        ("Secondo l'agenzia ufficiale Kcna, i due hanno discusso.", "Kcna", "kcna", "KCNA"),
        ("Il segretario generale dell'Onu ha parlato.", "Onu", "un", "UN"),
        ("Il segretario generale della Nato, Mark Rutte, ha confermato.", "Nato", "nato", "NATO"),
        ("Lo riferisce l'agenzia Tass.", "Tass", "tass", "TASS"),
    ],
)
def test_italian_lower_case_acronyms(
    real_glossary: Glossary, sentence: str, form: str, entry_id: str, target: str
) -> None:
    found = [m for m in real_glossary.view("it").matcher().find(sentence) if m.form == form]
    assert [(m.entry.id, m.entry.target) for m in found] == [(entry_id, target)]
