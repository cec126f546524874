from __future__ import annotations

from kp_translate import lang
from kp_translate.lang.convert import convert
from kp_translate.lang.identify import accented_leftovers, leftovers
from kp_translate.lang.numbers import compare

ES, EN = lang.get("es"), lang.get("en")


def values(text: str) -> list[str]:
    return [n.value for n in ES.read_numbers(text)]


def test_numbers() -> None:
    assert values("unos 11.000 soldados") == ["11000"]
    assert values("1,5 millones") == ["1500000"]
    assert values("un billón de euros y 2 billones") == ["2000000000000"]  # "un" is spelled, not digits
    assert values("1 billón") == [str(10**12)]
    assert values("3 mil millones y 3 mil") == [str(3 * 10**9), "3000"]
    assert values("3.5 grados") == ["3.5"]  # American Spanish decimal point, not a group of three


def test_numbers_compare_with_english() -> None:
    assert not compare("unos 11.000 contenedores, 30,8 %", "about 11,000 containers, 30.8%", ES, EN)
    diff = compare("unos 11.000 contenedores", "about 11.000 containers", ES, EN)
    assert [n.text for n in diff.extra] == ["11.000"]  # English reads 11.000 as 11.0 = 11
    assert not compare("dos millones de obuses", "2 million shells", ES, EN)


def test_abbreviations_do_not_end_sentences() -> None:
    text = "El Sr. García viajó a EE. UU. con la Sra. Pérez. Allí lo recibió el Dr. Ruiz."
    assert [text[a:b] for a, b in ES.split_sentences(text)] == [
        "El Sr. García viajó a EE. UU. con la Sra. Pérez.",
        "Allí lo recibió el Dr. Ruiz.",
    ]


def test_inverted_marks_start_sentences() -> None:
    text = "Llegó tarde. ¿Por qué? ¡Nadie lo sabe! Fin."
    assert [text[a:b] for a, b in ES.split_sentences(text)] == ["Llegó tarde.", "¿Por qué?", "¡Nadie lo sabe!", "Fin."]
    # French keeps today's rule: no inverted marks there
    assert len(lang.get("fr").split_sentences(text)) == 2


def test_convert_to_english() -> None:
    assert convert("Dijo: «¿Quién paga 11.000 o 1.200,5 euros?» ¡Nadie! Un 54 %.", ES, EN) == (
        "Dijo: “Quién paga 11,000 o 1,200.5 euros?” Nadie! Un 54%."
    )
    assert "¿" not in convert("¿ Qué ?", ES, EN)


def test_leftovers() -> None:
    found = leftovers("The leader of los soldiers said para Pyongyang norcoreano.", ["es"])
    assert [f.word for f in found] == ["los", "para", "norcoreano"]
    assert [f.word for f in accented_leftovers("a desestabilización of the región", ["es"])] == [
        "desestabilización",
        "región",
    ]


def test_thousands_after_digits_are_written_out_for_the_engine() -> None:
    es = lang.get("es")
    assert (
        es.write_out_thousands("Más de 10 mil soldados y 1,5 mil heridos.") == "Más de 10.000 soldados y 1.500 heridos."
    )
    # "mil millones" is a larger multiplier, a year is not a count of thousands
    assert es.write_out_thousands("3 mil millones en 2024") == "3 mil millones en 2024"
