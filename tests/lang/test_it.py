from __future__ import annotations

from kp_translate import lang
from kp_translate.lang.identify import leftovers

IT = lang.get("it")


def test_della_is_a_leftover_in_english() -> None:
    found = leftovers("The leader della North Korea met the members degli allies.", ["it"])
    assert [(f.word, f.language) for f in found] == [("della", "it"), ("degli", "it")]
    assert [f.word for f in leftovers("The statement dell'ONU", ["it"])] == ["dell'ONU"]


def test_elided_variants() -> None:
    variants = IT.elided_variants("ONU")
    assert "dell'ONU" in variants and "l'ONU" in variants and "all'ONU" in variants
    assert IT.form_regex("dell'ONU").search("il segretario dell’ONU ha detto")
    assert IT.elided_article("dell'ONU") == "dell'" and IT.strip_elision("nell'Unione") == "Unione"
    assert IT.elided_variants("Russia") == []


def test_numbers() -> None:
    assert [n.value for n in IT.read_numbers("2 miliardi e 11.000 soldati, 30,8 %")] == ["2000000000", "11000", "30.8"]
