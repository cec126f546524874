"""The matcher: boundaries, typography, case rules, longest match, and properties (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kp_translate import glossary
from kp_translate.match import Matcher, contains
from kp_translate.segment import read_document

from conftest import CORPUS_FR

SMALL = """\
[kim-jong-un]
type: person
target: Kim Jong Un
source: Kim Jong Un
source: Kim Jong-un
forbidden: Kim Jong One

[kim]
type: person
target: Kim
source: Kim

[nato]
type: organisation
target: NATO
source: l'Otan
source: Otan
source: OTAN

[dprk]
type: place
target: DPRK
source: RPDC

[kcna]
type: media
target: KCNA
source: KCNA
dnt: yes

[far-east]
type: place
target: Russian Far East
source: d'Extrême-Orient
source: Extrême-Orient

[united-states]
type: place
target: United States
source: États-Unis
source: aux États-Unis

[north-korean]
type: term
target: North Korean
source: nord-coréen
source: nord-coréenne
source: nord-coréens
source: nord-coréennes
case: insensitive

[hwasong-11]
type: weapon
target: Hwasong-11
source: Hwasong-11
dnt: yes

[season]
type: term
target: season
pattern: saisons?
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> glossary.Glossary:
    path = tmp_path_factory.mktemp("g") / "small.kpg"
    path.write_text(SMALL, encoding="utf-8")
    return glossary.load(path)


def found(g: glossary.Glossary, text: str) -> list[tuple[str, str]]:
    return [(m.entry.id, m.form) for m in Matcher(g).find(text)]


def test_longest_match_wins_and_lone_kim_is_not_kim_jong_un(small: glossary.Glossary) -> None:
    assert found(small, "Kim Jong Un et Kim") == [("kim-jong-un", "Kim Jong Un"), ("kim", "Kim")]
    # "Kim" alone must never be taken for the full name: only declared forms match
    assert [m.entry.id for m in Matcher(small).find("Poutine et Kim ont parlé")] == ["kim"]


def test_typographic_variants(small: glossary.Glossary) -> None:
    text = "Kim\u00a0Jong\u202fUn, Kim Jong\u2011un, l’Otan, l'Otan, « KCNA », la RPDC."
    assert found(small, text) == [
        ("kim-jong-un", "Kim\u00a0Jong\u202fUn"),
        ("kim-jong-un", "Kim Jong\u2011un"),
        ("nato", "l’Otan"),
        ("nato", "l'Otan"),
        ("kcna", "KCNA"),
        ("dprk", "RPDC"),
    ]


def test_en_dash_is_not_a_hyphen(small: glossary.Glossary) -> None:
    # "Kim Jong–un" with an en dash is not the declared hyphenated form; "Kim" still matches
    assert found(small, "Kim Jong–un") == [("kim", "Kim")]
    # a dash next to a term is a boundary
    assert found(small, "l'Otan–Russie") == [("nato", "l'Otan")]


def test_word_boundaries_hold_for_accents_and_digits(small: glossary.Glossary) -> None:
    assert found(small, "Hwasong-11 Hwasong-115 xKCNA KCNAé éKCNA KCNA2") == [("hwasong-11", "Hwasong-11")]
    assert found(small, "d'Extrême-Orient et Extrême-Orientale") == [("far-east", "d'Extrême-Orient")]


def test_case_rules_per_entry(small: glossary.Glossary) -> None:
    assert found(small, "rpdc Rpdc RPDC") == [("dprk", "RPDC")]
    assert found(small, "Nord-Coréennes et NORD-CORÉENS") == [
        ("north-korean", "Nord-Coréennes"),
        ("north-korean", "NORD-CORÉENS"),
    ]


def test_patterns_are_matched_with_boundaries(small: glossary.Glossary) -> None:
    assert found(small, "deux saisons, une saison, assaisonner") == [("season", "saisons"), ("season", "saison")]


def test_forbidden_and_target_matchers(small: glossary.Glossary) -> None:
    forbidden = Matcher.for_forbidden(small).find("Kim Jong One met Kim Jong Un.")
    assert [(m.entry.id, m.form) for m in forbidden] == [("kim-jong-un", "Kim Jong One")]
    targets = Matcher.for_targets(small).find("Kim Jong Un and NATO, not NATOs")
    assert [m.form for m in targets] == ["Kim Jong Un", "NATO"]
    assert contains("the North  Korean leader", "North Korean")
    assert not contains("NorthKorean", "North Korean")


def test_real_dossier_offsets(small: glossary.Glossary) -> None:
    # On the real articles, every match maps back to the exact text it came from.
    seen = set()
    for path in sorted(CORPUS_FR.glob("*.txt")):
        for para in read_document(path).paragraphs:
            for m in Matcher(small).find(para.text):
                assert para.text[m.start : m.end] == m.form
                seen.add(m.entry.id)
    assert {"kim-jong-un", "nato", "dprk", "kcna", "hwasong-11", "north-korean", "far-east"} <= seen


# --- properties ---------------------------------------------------------------------------------

WORDS = ["Kim", "Jong", "Un", "un", "Otan", "l'Otan", "RPDC", "KCNA", "nord-coréen", "Hwasong-11", "saison", "é"]
WORDS += ["États-Unis", "Etats-Unis", "etats-unis", "aux", "Etats", "Unis"]  # unaccented capitals
SEPARATORS = [" ", "\u00a0", "\u202f", "’", "'", "-", "\u2011", "–", ", ", " « ", " » ", "\n", "  ", "."]

texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_spans_never_overlap_and_map_back(small: glossary.Glossary, text: str) -> None:
    matches = Matcher(small).find(text)
    last_end = 0
    for m in matches:
        assert last_end <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.form
        last_end = m.end
        # the matched text is a declared form of the entry (up to typography), or matches its pattern
        norm = glossary.normalise_form(m.form)
        language = Matcher(small).language
        forms = {
            glossary.normalise_form(v) for s in m.entry.sources for v in [s, *language.form_variants(s, m.entry.type)]
        }
        if not m.entry.case_sensitive:
            forms = {f.lower() for f in forms}
            norm = norm.lower()
        assert norm in forms or m.entry.patterns


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_leftmost_longest_is_what_a_naive_scan_finds(small: glossary.Glossary, text: str) -> None:
    # Independent reference: at each boundary position try every declared form with contains()-style
    # checks, take the longest, continue after it.
    import regex

    # the declared forms and the variants the language's rule gives them (unaccented capitals, Korean given names)
    language = Matcher(small).language
    forms = [
        (glossary.normalise_form(v), e)
        for e in small
        for s in e.sources
        for v in [s, *language.form_variants(s, e.type)]
    ]
    got = [(m.start, m.end, m.entry.id) for m in Matcher(small).find(text) if not m.entry.patterns]
    expected = []
    pos = 0
    while pos < len(text):
        best = None
        for form, e in forms:
            flags = 0 if e.case_sensitive else regex.IGNORECASE
            body = "".join(
                r"\s+" if c == " " else "['’ʼ‘]" if c == "'" else "[-‐‑]" if c == "-" else regex.escape(c) for c in form
            )
            m = regex.compile(r"(?<![\p{L}\p{N}_])" + body + r"(?![\p{L}\p{N}_])", flags).match(text, pos)
            if m and (best is None or m.end() > best[1]):
                best = (pos, m.end(), e.id)
        if best:
            expected.append(best)
            pos = best[1]
        else:
            pos += 1
    assert got == expected


def test_glossary_file_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.kpg"
    bad.write_text("[ok]\ntype: person\ntarget: A\nsource: a\n\n[x]\ntype: person\ntarget: B\nsource: a\n")
    problems = glossary.check([bad])
    assert [str(p) for p in problems] == [
        f"{bad}:9: source form 'a' maps to 'B' here but to 'A' in 'ok' ({bad}:4)",
    ]


def test_compiled_matchers_are_shared_per_glossary_view(small: glossary.Glossary) -> None:
    from kp_translate.enforce import Enforcer
    from kp_translate.metrics import Analyser

    enforcer, analyser = Enforcer(small), Analyser(small.view("fr"))
    assert enforcer.source is analyser.source is Matcher.cached(small.view("fr"))
    assert enforcer.verifier.targets is analyser.targets is Matcher.cached(small.view("fr"), "target")
    assert analyser.forbidden is Analyser(small.view("fr")).forbidden
    assert Matcher.cached(small.view("fr"), language="es") is not analyser.source  # another language
    assert Matcher.cached(small.view("fr")).language is Matcher(small.view("fr")).language


def test_the_automaton_maps_folded_offsets_back(small: glossary.Glossary) -> None:
    # collapsed white space runs, folded apostrophes and hyphens: offsets are the text's
    text = "la  RPDC,\t\tKim \n Jong\u2011un et l’Otan   KCNA"
    got = [(m.form, text[m.start : m.end]) for m in Matcher(small).find(text)]
    assert got == [(f, f) for f in ["RPDC", "Kim \n Jong\u2011un", "l’Otan", "KCNA"]]
    assert Matcher(small).find(text) == Matcher(small, automaton=False).find(text)
