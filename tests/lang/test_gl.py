from __future__ import annotations

from kp_translate import lang
from kp_translate.lang.identify import identify, leftovers

GL = lang.get("gl")


def test_leftovers() -> None:
    assert [f.word for f in leftovers("The talks coa delegation unha vez", ["gl"])] == ["coa", "unha"]


def test_numbers_and_identification() -> None:
    assert [n.value for n in GL.read_numbers("3 mil millóns e 11.000 persoas")] == ["3000000000", "11000"]
    assert identify("Xa non hai unha solución coa que estean de acordo.")[0] == "gl"
