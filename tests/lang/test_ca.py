from __future__ import annotations

from kp_translate import lang
from kp_translate.lang.identify import leftovers

CA = lang.get("ca")


def test_punt_volat_is_a_word_character() -> None:
    assert CA.is_word_char("·") and not lang.get("es").is_word_char("·")
    text = "un acord de col·laboració militar"
    assert not CA.form_regex("laboració").search(text)
    assert not CA.form_regex("col").search(text)
    assert CA.form_regex("col·laboració").search(text)
    assert CA.form_regex("col·laboració").search("la col\u2027laboració")  # hyphenation point written for it
    assert [m.group() for m in CA.word_regex.finditer(text)] == ["un", "acord", "de", "col·laboració", "militar"]
    # Spanish has no punt volat: the same form is found there
    assert lang.get("es").form_regex("laboració").search(text)


def test_elisions_and_numbers() -> None:
    assert CA.elided_variants("OTAN") == ["l'OTAN", "L'OTAN", "d'OTAN", "D'OTAN", "n'OTAN", "N'OTAN"]
    assert [n.value for n in CA.read_numbers("11.000 persones i 3 mil milions")] == ["11000", "3000000000"]


def test_leftovers() -> None:
    found = leftovers("The talks amb Moscow dels soldiers", ["ca"])
    assert [f.word for f in found] == ["amb", "dels"]
    assert [f.word for f in leftovers("l'acord was signed", ["ca"])] == ["l'acord"]
