"""fr and en hold exactly today's constants: replacing the old code by lang.get("fr") changes nothing.

These compare with the modules that the migration replaces; delete each test with its old module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kp_translate import enforce, langid, numbers, qa, segment, suggest, typography
from kp_translate.engines import apertium
from kp_translate.lang import get, identify
from kp_translate.lang import numbers as lang_numbers
from kp_translate.lang import typography as lang_typography
from kp_translate.lang.convert import convert
from kp_translate.lang.en import NOT_LEFTOVERS
from kp_translate.lang.sentences import abbreviation_tokens

ROOT = Path(__file__).resolve().parents[2]
PARAGRAPHS = [
    p.text for f in sorted((ROOT / "corpus" / "fr").glob("*.txt")) for p in segment.read_document(f).paragraphs
]
FR, EN = get("fr"), get("en")
TRICKY = [
    "« It is there », he said : yes ; no ! Really ?",
    "‹ inner › quote",
    "11 000 containers, 11\u202f000 and 3\u00a0200\u00a0000",
    "30,8 millions of dollars, 1 200,5 km, 54 % more",
    "on 18 and 19 June 2024, in 2023 300 people, 2023 300 000",
    "does not treat  often , ok .",
    "the war (1950-1953), 2+2, 1,2,3 and 1.5",
    "line one\nline two",
    "M. Dupont et J.-C. Martin. Puis Mme Durand arriva. « Oui. » Non.",
    "Il a dit : « Non ! » Ensuite 3 jours. U.S. Army. A. Smith vint.",
]


def test_constants() -> None:
    assert abbreviation_tokens(FR.abbreviations) == segment._ABBREVIATIONS
    assert FR.identify_words == langid.FRENCH
    assert EN.identify_words == langid.ENGLISH
    assert NOT_LEFTOVERS == langid._SHARED
    assert FR.proxies == tuple(get("fr").proxies) and [p.forms for p in FR.proxies] == [
        p.forms for p in enforce.PROXIES
    ]
    assert [(p.english, p.stems) for p in FR.proxies] == [(p.english, p.stems) for p in enforce.PROXIES]
    assert FR.nationality_suffix == enforce._NATIONALITY_SUFFIX.pattern
    assert FR.adjective_suffix == enforce._ADJECTIVE_SUFFIX.pattern
    assert set(FR.name_particles) == suggest._CONNECTORS
    assert EN.article_nouns == enforce.ARTICLE_NOUNS  # type: ignore[attr-defined]
    assert EN.word_acronyms == enforce.WORD_ACRONYMS  # type: ignore[attr-defined]
    assert EN.no_article_types == enforce.NO_ARTICLE_TYPES  # type: ignore[attr-defined]
    assert EN.lower_case_words == apertium.FUNCTION_WORDS  # type: ignore[attr-defined]
    assert EN.accented_words == qa.ENGLISH_ACCENTED  # type: ignore[attr-defined]
    assert set(FR.diacritics + get("es").diacritics) == qa._DIACRITICS
    assert dict(FR.spelled_numbers) == numbers._SPELLED["fr"] and dict(EN.spelled_numbers) == numbers._SPELLED["en"]
    assert {k: v for k, v in numbers._MULTIPLIERS.items()} == {**FR.multipliers, **EN.multipliers}
    assert (lang_typography.SPACES, lang_typography.APOSTROPHES, lang_typography.HYPHENS) == (
        __import__("kp_translate.glossary", fromlist=["x"]).SPACES,
        __import__("kp_translate.glossary", fromlist=["x"]).APOSTROPHES,
        __import__("kp_translate.glossary", fromlist=["x"]).HYPHENS,
    )


@pytest.mark.parametrize("text", PARAGRAPHS + TRICKY)
def test_sentences_numbers_typography(text: str) -> None:
    assert FR.split_sentences(text) == segment.split_sentences(text)
    assert convert(text, FR, EN) == typography.to_english(text)
    assert FR.read_numbers(text) == [lang_numbers.Number(*n.__dict__.values()) for n in numbers.extract(text, "fr")]
    assert [n.value for n in EN.read_numbers(text)] == [n.value for n in numbers.extract(text, "en")]
    assert FR.read_spelled(text) == numbers.spelled(text, "fr")
    assert EN.read_spelled(text) == numbers.spelled(text, "en")
    english = typography.to_english(text)
    new = lang_numbers.compare(text, english, FR, EN)
    old = numbers.compare(text, english, "fr")
    assert (new.describe(), bool(new)) == (old.describe(), bool(old))


@pytest.mark.parametrize("text", PARAGRAPHS + TRICKY)
def test_identification_helpers(text: str) -> None:
    assert identify.function_word_shares(text) == langid.scores(text)
    assert identify.guess(text) == langid.guess(text)
    assert identify.is_language(text) == langid.is_english(text)
    assert identify.words(text) == langid.words(text)
    english = typography.to_english(text)
    for hyp in (text, english):
        assert [(x.start, x.end, x.word, x.language) for x in identify.leftovers(hyp, ["fr"])] == [
            (x.start, x.end, x.word, x.language) for x in langid.leftovers(hyp, ("fr",))
        ]
        assert [(x.start, x.word, x.language) for x in identify.accented_leftovers(hyp)] == [
            (x.start, x.word, x.language) for x in qa.accented_leftovers(hyp)
        ]


def test_elided_article_and_takes_article() -> None:
    for form in ["l'Otan", "L’Ukraine", "l' Otan", "la Corée", "Otan", "l'", "d'Otan"]:
        m = enforce._ELIDED.match(form)
        assert FR.elided_article(form) == (m.group(1) if m else "")
    assert FR.elided_before is not None
    for tail in ["de l'", "L’ ", "il", "the l'", "xl'"]:
        assert bool(FR.elided_before.search(tail)) == bool(enforce._ELIDED_BEFORE.search(tail))
    from kp_translate.glossary import Entry

    cases = [
        ("NATO", "organisation", "l'Otan"),
        ("DPRK", "place", "RPDC"),
        ("Kim Jong Un", "person", "Kim"),
        ("Vostochny Cosmodrome", "place", "cosmodrome Vostotchny"),
        ("North Korean", "term", "nord-coréen"),
        ("North Korean", "term", "Nord-Coréens"),
        ("Democratic People's Republic of Korea", "place", "République"),
        ("Pyongyang", "place", "Pyongyang"),
        ("the Hague", "place", "La Haye"),
        ("uranium", "term", "uranium"),
    ]
    for target, kind, form in cases:
        entry = Entry(id="x", type=kind, target=target)
        assert EN.takes_article(target, kind, form, FR) == enforce.takes_article(entry, form)  # type: ignore[attr-defined]
        assert EN.takes_article(target, kind) == enforce.takes_article(entry)  # type: ignore[attr-defined]
    assert EN.possessive_of("Kim Jong Un") == "Kim Jong Un's" and EN.possessive_of("Reuters", "’") == "Reuters’"  # type: ignore[attr-defined]
