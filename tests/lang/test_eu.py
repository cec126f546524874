from __future__ import annotations

import pytest
import regex

from kp_translate import lang

EU = lang.get("eu")


@pytest.mark.parametrize(
    ("form", "text"),
    [
        ("NATO", "NATOren idazkari nagusia"),
        ("NATO", "NATO-ren bilera"),
        ("AEB", "AEBek zigorrak ezarri dituzte"),
        ("Putin", "Putinek esan zuen"),
        ("Errusia", "Errusiarekin sinatu zuen"),
        ("Pyongyang", "Pyongyangen egin zen"),
        ("Kim Jong-un", "Kim Jong-unek bisitatu zuen"),
        ("Kim Jong-un", "Kim Jong-unen aurka"),
        ("Txina", "Txinako enbaxadorea"),
        ("Moskua", "Moskuatik itzuli zen"),
    ],
)
def test_suffix_pattern_matches_inflected_names(form: str, text: str) -> None:
    inflected = text[: text.index(" ", len(form))]
    m = EU.form_regex(form, suffixes=True).search(text)
    assert m is not None and m.group() == inflected
    assert EU.form_regex(form).search(text) is None or "-" in inflected[len(form) :]  # bare form: no match


def test_suffixes_do_not_reach_into_other_words() -> None:
    assert not EU.form_regex("NATO", suffixes=True).search("NATOrenbeste")
    assert not EU.form_regex("Kim", suffixes=True).search("Kimono")
    assert regex.fullmatch(EU.suffix_pattern, "rekin") and not regex.fullmatch(EU.suffix_pattern, "xyz")
    assert EU.elisions == () and EU.elided_variants("Otan") == []


def test_numbers() -> None:
    assert [n.value for n in EU.read_numbers("3 mila milioi eta 11.000 soldadu")] == ["3000000000", "11000"]
