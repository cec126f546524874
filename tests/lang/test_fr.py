"""French cases from today's tests (test_enforce.test_typography, test_metrics numbers)."""

from __future__ import annotations

import pytest

from kp_translate import lang
from kp_translate.lang.convert import convert
from kp_translate.lang.numbers import compare

FR, EN = lang.get("fr"), lang.get("en")


@pytest.mark.parametrize(
    ("french_style", "english"),
    [
        ("« It is there », he said : yes ; no ! Really ?", "“It is there”, he said: yes; no! Really?"),
        ("‹ inner › quote", "‘inner’ quote"),
        ("11\u202f000 and 3\u00a0200\u00a0000", "11,000 and 3,200,000"),
        ("30,8 millions of dollars", "30.8 million dollars"),
        ("1 200,5 km", "1,200.5 km"),
        ("54 % more", "54% more"),
        ("on 18 and 19 June 2024, in 2023 300 people", "on 18 and 19 June 2024, in 2023 300 people"),
        ("does not treat  often , ok .", "does not treat often, ok."),
        ("line one\nline two", "line one\nline two"),
    ],
)
def test_convert(french_style: str, english: str) -> None:
    assert convert(french_style, FR, EN) == english


def test_number_comparison() -> None:
    assert not compare(
        "environ 11 000 conteneurs, 54 % et 30,8 millions", "about 11,000 containers, 54% and 30.8 million", FR, EN
    )
    assert not compare("cinq millions d'obus", "5 million shells", FR, EN)
    assert not compare("une visite de 2 jours", "a two-day visit", FR, EN)
    diff = compare("environ 11 000 conteneurs", "about 12,000 containers", FR, EN)
    assert diff.describe() == "missing from the translation: '11 000'; not in the source: '12,000'"
    diff = compare("les 18 et 19 juin, 18 heures", "June 18 and 19", FR, EN)
    assert [n.text for n in diff.missing] == ["18"] and not diff.extra


def test_elisions_and_proxies() -> None:
    assert FR.elided_variants("Otan")[:4] == ["l'Otan", "L'Otan", "d'Otan", "D'Otan"]
    assert FR.elided_variants("Ukraine")[0] == "l'Ukraine"
    assert FR.proxies[0].form_for("Nord-Coréennes") == "Japonaises"
    assert FR.is_nationality("nord-coréen") and not FR.is_nationality("Otan")


def test_sentences() -> None:
    text = "M. Dupont est venu. Il est reparti vers 18 h. Mme Durand aussi."
    assert [text[a:b] for a, b in FR.split_sentences(text)] == [
        "M. Dupont est venu.",
        "Il est reparti vers 18 h.",
        "Mme Durand aussi.",
    ]


def test_ligatures_are_spelled_out_for_the_engine() -> None:
    assert FR.for_engine("sa sœur, le cœur, ŒUVRE et Œdipe, æ") == "sa soeur, le coeur, OeUVRE et Oedipe, ae"
    assert FR.for_engine("11 mil") == "11 mil"  # French writes no thousand words: nothing else changes
    assert lang.get("es").for_engine("sœur") == "sœur"  # a language without ligatures is left alone
    assert lang.get("es").for_engine("10 mil soldados") == "10.000 soldados"  # the thousands, as before
