"""The matcher per source language: Catalan word characters (punt volat), Basque case endings,
and the leftmost-longest property against a naive scan built on ``lang.form_regex``."""

from __future__ import annotations

import pytest
import regex
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kp_translate import glossary, lang
from kp_translate.cli import cli
from kp_translate.enforce import Enforcer
from kp_translate.lang import Pair
from kp_translate.match import Matcher

from conftest import GLOSSARY_DIR

CATALAN = """\
[collaboration]
type: term
target: collaboration
source.ca: col·laboració

[labour]
type: term
target: labour
source.ca: laboració

[intelligence]
type: term
target: intelligence
source.ca: intel·ligència
case: insensitive

[col]
type: term
target: cabbage
source.ca: col
"""

BASQUE = """\
[kim]
type: person
target: Kim
source.eu: Kim

[kimi]
type: person
target: Kimi
source.eu: Kimi

[kim-jong-un]
type: person
target: Kim Jong Un
source.eu: Kim Jong-un

[nato]
type: organisation
target: NATO
source.eu: NATO

[russia]
type: place
target: Russia
source.eu: Errusia
case: insensitive

[united-states]
type: place
target: United States
source.eu: Estatu Batuak

[west]
type: term
target: the West
source.eu: Mendebaldea
"""


def _load(tmp_path_factory: pytest.TempPathFactory, text: str, code: str) -> glossary.Glossary:
    path = tmp_path_factory.mktemp(code) / f"{code}.kpg"
    path.write_text(text, encoding="utf-8")
    return glossary.load(path).view(code)


@pytest.fixture(scope="module")
def catalan(tmp_path_factory: pytest.TempPathFactory) -> glossary.Glossary:
    return _load(tmp_path_factory, CATALAN, "ca")


@pytest.fixture(scope="module")
def basque(tmp_path_factory: pytest.TempPathFactory) -> glossary.Glossary:
    return _load(tmp_path_factory, BASQUE, "eu")


@pytest.fixture(scope="module")
def real_eu() -> glossary.Glossary:
    return glossary.load(GLOSSARY_DIR).view("eu")


def found(g: glossary.Glossary, text: str) -> list[tuple[str, str]]:
    return [(m.entry.id, m.form) for m in Matcher(g).find(text)]


# --- Catalan: the punt volat is inside a word ------------------------------------------------


def test_the_language_comes_from_the_view(catalan: glossary.Glossary) -> None:
    assert Matcher(catalan).language is lang.get("ca")
    assert Matcher(list(catalan)).language is lang.get("fr")  # no view: the project's source
    assert Matcher(catalan, language="es").language is lang.get("es")
    assert Matcher.for_targets(catalan).language is lang.get("en")
    assert Matcher.for_forbidden(catalan, "en").language is lang.get("en")


@pytest.mark.parametrize("dot", ["·", "\u2027", "\u0387", "."])
def test_laboracio_is_not_found_inside_collaboracio(catalan: glossary.Glossary, dot: str) -> None:
    text = f"un acord de col{dot}laboració militar i de col{dot}laboracions"
    assert found(catalan, text) == [("collaboration", f"col{dot}laboració")]
    # a form with a punt volat is found in its variant spellings, its case rule kept
    assert found(catalan, f"la INTEL{dot}LIGÈNCIA nord-coreana") == [("intelligence", f"INTEL{dot}LIGÈNCIA")]


def test_a_full_stop_is_inside_a_word_only_between_two_l(catalan: glossary.Glossary) -> None:
    assert found(catalan, "Fi de la col. Laboració") == [("col", "col")]
    assert found(catalan, "la col.laboració. laboració.") == [
        ("collaboration", "col.laboració"),
        ("labour", "laboració"),
    ]


def test_other_languages_keep_the_plain_boundary(catalan: glossary.Glossary) -> None:
    entries = [e for e in catalan if e.id == "labour"]
    assert [m.form for m in Matcher(entries, language="es").find("col·laboració")] == ["laboració"]
    assert [m.form for m in Matcher(entries, language="ca").find("col·laboració")] == []


# --- Basque: case endings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry", "form", "suffix"),
    [
        ("NATOren idazkari nagusia", "nato", "NATOren", "ren"),
        ("NATO-ren bilera", "nato", "NATO-ren", "-ren"),
        ("Putinek esan zuen", "putin", "Putinek", "ek"),
        ("Errusiarekin sinatu zuen", "russia", "Errusiarekin", "rekin"),
        ("AEBek zigorrak ezarri dituzte", "united-states", "AEBek", "ek"),
        ("Estatu Batuetako presidentea", "united-states", "Estatu Batuetako", "etako"),
        ("Kim Jong-unek bisitatu zuen", "kim-jong-un", "Kim Jong-unek", "ek"),
        ("Txinako enbaxadorea", "china", "Txinako", "ko"),
        ("Mendebaldeko herrialdeak", "west", "Mendebaldeko", "ko"),
        ("NATO bildu da", "nato", "NATO", ""),
    ],
)
def test_basque_case_endings_in_the_real_glossary(
    real_eu: glossary.Glossary, text: str, entry: str, form: str, suffix: str
) -> None:
    m = Matcher(real_eu).find(text)[0]
    assert (m.entry.id, m.form, m.suffix, m.start) == (entry, form, suffix, 0)
    assert text[m.start : m.end] == form


def test_basque_endings_do_not_reach_into_other_words(basque: glossary.Glossary) -> None:
    assert found(basque, "NATOrenbeste Kimono Kimxyz Estatu Batu") == []
    # the bare form wins over the same word read as a form with an ending
    assert found(basque, "Kimi eta Kimik") == [("kimi", "Kimi"), ("kimi", "Kimik")]
    assert found(basque, "ERRUSIAREKIN eta errusiako") == [("russia", "ERRUSIAREKIN"), ("russia", "errusiako")]
    assert found(basque, "Kim Jong-unen aurka, Kim-ek") == [("kim-jong-un", "Kim Jong-unen"), ("kim", "Kim-ek")]


def test_patterns_take_the_endings_too(tmp_path_factory: pytest.TempPathFactory) -> None:
    g = _load(tmp_path_factory, "[kju]\ntype: person\ntarget: Kim Ju Ae\npattern.eu: Kim Ju[- ]?ae\n", "eu")
    matches = Matcher(g).find("Kim Ju-aerekin eta Kim Juae")
    assert [(m.form, m.suffix) for m in matches] == [("Kim Ju-aerekin", "rekin"), ("Kim Juae", "")]
    assert Matcher(g, language="fr").find("Kim Ju-aerekin") == []


def test_protection_replaces_the_whole_inflected_word(real_eu: glossary.Glossary) -> None:
    enforcer = Enforcer(real_eu, pair=Pair("eu", "en"))
    protected = enforcer.protect("NATOren idazkariak Putinekin hitz egin du.")
    assert protected.text == "Kpxa idazkariak Kpxb hitz egin du."
    assert [s.match.suffix for s in protected.slots] == ["ren", "ekin"]


def test_basque_translation_through_the_cli_enforces_the_names() -> None:
    source = "NATOren idazkari nagusiak esan du Putinek Errusiarekin negoziatu nahi duela.\n"
    result = CliRunner().invoke(
        cli,
        ["translate", "-", "--from", "eu", "--engine", "apertium", "--no-cache", "-g", str(GLOSSARY_DIR)],
        input=source,
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    for target in ("NATO", "Putin", "Russia"):
        assert regex.search(rf"(?<![\p{{L}}\p{{N}}]){target}(?![\p{{L}}\p{{N}}-])", out), out
    for glued in ("NATOren", "NATO-ren", "Putinek", "Russiarekin", "Errusia", "Kpx"):
        assert glued not in out, out


# --- the property: leftmost-longest equals a naive scan over lang.form_regex -------------------


def naive(g: glossary.Glossary, text: str) -> list[tuple[int, int, str]]:
    """At each position, every declared form through ``form_regex(..., suffixes=True)`` (a hyphen
    before an ending may be any hyphen); the longest wins, then the bare form, then the longest form."""
    language = lang.get(g.source or "fr")
    forms = [
        (glossary.normalise_form(v), e) for e in g for s in e.sources for v in [s, *language.form_variants(s, e.type)]
    ]
    hyphen = "[-" + lang.typography.HYPHENS + "]"

    def pattern(form: str, case_sensitive: bool, suffixes: bool) -> regex.Pattern[str]:
        p = language.form_regex(form, case_sensitive, suffixes=suffixes)
        return regex.compile(p.pattern.replace("(?:-?(?:", f"(?:{hyphen}?(?:"), p.flags)

    out: list[tuple[int, int, str]] = []
    pos = 0
    while pos < len(text):
        best: tuple[int, bool, int, str] | None = None
        for form, e in forms:
            m = pattern(form, e.case_sensitive, True).match(text, pos)
            if m is None:
                continue
            bare = pattern(form, e.case_sensitive, False).match(text, pos)
            key = (m.end(), bare is not None and bare.end() == m.end(), len(form), e.id)
            if best is None or key[:3] > best[:3]:
                best = key
        if best:
            out.append((pos, best[0], best[3]))
            pos = best[0]
        else:
            pos += 1
    return out


CA_WORDS = ["col·laboració", "col.laboració", "col‧laboració", "laboració", "col", "intel·ligència", "INTEL.LIGÈNCIA"]
CA_WORDS += ["l", "la", "·", "."]
EU_WORDS = ["Kim", "Kimi", "Kimek", "Jong-un", "Jong-unek", "NATO", "NATOren", "ren", "ek", "Errusiarekin"]
EU_WORDS += ["ERRUSIA", "Estatu", "Batuak", "Batuetako", "Mendebaldeko", "Mendebaldea", "a", "Kimono", "i"]
SEPARATORS = [" ", "\u00a0", "-", "\u2011", ", ", ". ", "’", "", "·", ".", "l"]


def texts(words: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(st.sampled_from(words), st.sampled_from(SEPARATORS)), max_size=30).map(
        lambda pairs: "".join(w + s for w, s in pairs)
    )


@settings(max_examples=300, deadline=None)
@given(text=texts(CA_WORDS))
def test_catalan_matches_are_what_a_naive_scan_finds(catalan: glossary.Glossary, text: str) -> None:
    got = [(m.start, m.end, m.entry.id) for m in Matcher(catalan).find(text)]
    assert got == naive(catalan, text)


@settings(max_examples=300, deadline=None)
@given(text=texts(EU_WORDS))
def test_basque_matches_are_what_a_naive_scan_finds(basque: glossary.Glossary, text: str) -> None:
    matches = Matcher(basque).find(text)
    assert [(m.start, m.end, m.entry.id) for m in matches] == naive(basque, text)
    for m in matches:
        assert text[m.start : m.end] == m.form and m.form.endswith(m.suffix)


# --- the property: the Aho-Corasick matcher is the word-index matcher ---------------------------

#: pieces of forms and texts per language: words, and what joins them (inside a form: a space, a
#: hyphen, an apostrophe or nothing; in a text: every variant, runs of white space, punctuation)
AC_WORDS = {
    "fr": ["Kim", "kim", "KIM", "Jong", "un", "Un", "Otan", "l", "d", "é", "Ée", "nord", "coréen", "11", "ß", "İ"],
    "ca": ["col", "laboració", "intel", "ligència", "l", "L", "la", "Girona", "ll", "Col", "à"],
    "eu": ["Kim", "Kimi", "NATO", "nato", "Errusia", "Estatu", "Batuak", "Batu", "Mendebaldea", "a", "ak", "ren"],
}
AC_ENDINGS = ["", "ren", "ek", "ekin", "etako", "ko", "k", "a", "i", "rekin", "xyz"]
FORM_JOINS = [" ", "-", "'", ""]
TEXT_JOINS = [" ", "  ", "\u00a0", "\u202f", "\n", " \t", "-", "\u2011", "–", "'", "’", "", ", ", " « ", ".", "·"]
TEXT_JOINS += ["‧", " - ", "_", "Σ"]


@st.composite
def glossary_and_text(draw: st.DrawFn, code: str) -> tuple[list[glossary.Entry], str]:
    words = AC_WORDS[code]
    forms = st.lists(st.tuples(st.sampled_from(words), st.sampled_from(FORM_JOINS)), min_size=1, max_size=3).map(
        lambda pairs: "".join(w + j for w, j in pairs[:-1]) + pairs[-1][0]
    )
    entries = []
    for i in range(draw(st.integers(1, 8))):
        sources = draw(st.lists(forms, min_size=1, max_size=3))
        entries.append(glossary.Entry(f"e{i}", "term", f"T{i}", sources=sources, case_sensitive=draw(st.booleans())))
    declared = [s for e in entries for s in e.sources]
    piece = st.one_of(
        st.sampled_from(words),
        st.sampled_from(declared),
        st.builds(lambda f, end: f.upper() + end, st.sampled_from(declared), st.sampled_from(AC_ENDINGS)),
        st.builds(lambda f, end: f + end, st.sampled_from(declared), st.sampled_from(AC_ENDINGS)),
    )
    pairs = draw(st.lists(st.tuples(piece, st.sampled_from(TEXT_JOINS)), max_size=25))
    return entries, "".join(w + j for w, j in pairs)


@pytest.mark.parametrize("code", ["fr", "ca", "eu"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_automaton_finds_what_the_word_index_finds(code: str, data: st.DataObject) -> None:
    entries, text = data.draw(glossary_and_text(code))
    fast = Matcher(entries, language=code)
    assert fast._automaton is not None
    reference = Matcher(entries, language=code, automaton=False)

    def spans(matcher: Matcher) -> list[tuple[int, int, str, str]]:
        return [(m.start, m.end, m.entry.id, m.suffix) for m in matcher.find(text)]

    assert spans(fast) == spans(reference)
