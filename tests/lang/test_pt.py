from __future__ import annotations

from kp_translate import lang
from kp_translate.lang.identify import leftovers

PT = lang.get("pt")


def test_numbers() -> None:
    assert [n.value for n in PT.read_numbers("1 mil milhões e 2,5 milhões")] == [str(10**9), "2500000"]
    assert PT.read_spelled("mil milhões") == {str(10**9): 1}
    assert [n.value for n in PT.read_numbers("2 bilhões")] == [str(2 * 10**9)]  # pt-BR
    assert [n.value for n in PT.read_numbers("2 biliões")] == [str(2 * 10**12)]  # pt-PT


def test_brazilian_portuguese_uses_this_module() -> None:
    assert lang.get("pt-BR") is PT and lang.get("pt_BR") is PT


def test_leftovers_and_particles() -> None:
    assert [f.word for f in leftovers("The leader não said com the soldiers dos allies", ["pt"])] == [
        "não",
        "com",
        "dos",
    ]
    assert {"da", "do", "dos"} <= PT.name_particles


def test_thousands_written_out_but_not_inside_a_word_or_before_a_larger_multiplier() -> None:
    pt = lang.get("pt")
    assert pt.write_out_thousands("mais de 10 mil militares") == "mais de 10.000 militares"
    assert pt.write_out_thousands("3 mil milhões de dólares") == "3 mil milhões de dólares"
