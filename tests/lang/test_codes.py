from __future__ import annotations

import subprocess

import pytest

from kp_translate import lang
from kp_translate.lang import codes


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("FR", "fr"),
        ("fra", "fr"),
        ("fre", "fr"),
        ("pt_BR", "pt"),
        ("pt-BR", "pt"),
        ("por", "pt"),
        ("eus", "eu"),
        ("baq", "eu"),
        ("ca-ES-valencia", "ca"),
        (" spa ", "es"),
        ("de", "de"),
        ("nl-BE", "nl"),
    ],
)
def test_normalise(tag: str, code: str) -> None:
    assert codes.normalise(tag) == code


@pytest.mark.parametrize("tag", ["", "spa-eng_US", "e", "español", "eng-cat_valencia_uni"])
def test_normalise_refuses_what_is_no_tag(tag: str) -> None:
    with pytest.raises(ValueError):
        codes.normalise(tag)


def test_names_and_alpha3() -> None:
    assert [(c.alpha2, c.alpha3, c.name) for c in codes.LANGUAGES.values()][:2] == [
        ("fr", "fra", "French"),
        ("es", "spa", "Spanish"),
    ]
    assert codes.name("glg") == "Galician" and codes.alpha3("eu") == "eus" and codes.name("xx") == "xx"


@pytest.mark.parametrize(
    ("mode", "parsed"),
    [
        ("fr-es", ("fr", "es", "")),
        ("spa-eng_US", ("es", "en", "US")),
        ("eng-cat_valencia_uni", ("en", "ca", "valencia_uni")),
        ("eng-cat_valencia_uni_iec2017", ("en", "ca", "valencia_uni_iec2017")),
        ("gl-en", ("gl", "en", "")),
        ("eu-en", ("eu", "en", "")),
        ("ita-spa", ("it", "es", "")),
        ("pt-es", ("pt", "es", "")),
        ("es-pt_BR", ("es", "pt", "BR")),
        ("eco-fr-es", None),
        ("eco-es-fr", None),
        ("fr", None),
        ("fr-de", None),
        ("fr-fr", None),
        ("fr_CA-es", None),
    ],
)
def test_parse_mode(mode: str, parsed: tuple[str, str, str] | None) -> None:
    assert codes.parse_mode(mode) == parsed


def test_every_installed_mode_parses_or_is_a_known_non_pair() -> None:
    modes = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=False, timeout=30).stdout.split()
    assert modes
    for mode in modes:
        parsed = codes.parse_mode(mode)
        if mode.startswith("eco-"):  # ecosystem helper modes, not a translation direction
            assert parsed is None
            continue
        assert parsed is not None, mode
        source, _, variant = parsed
        assert mode.split("-")[0] in (source, codes.alpha3(source))
        assert variant == mode.partition("_")[2]


def test_get_and_pair() -> None:
    assert lang.get("ES") is lang.get("spa") is lang.get("es-419")
    assert lang.get("pt-BR").code == "pt"
    de = lang.get("de")
    assert (de.code, de.decimal_mark, de.function_words) == ("de", ".", frozenset())
    assert de.split_sentences("Eins. Zwei.") == [(0, 5), (6, 11)]
    assert lang.get("de") is de
    with pytest.raises(ValueError):
        lang.get("spa-eng")
    p = lang.pair("spa", "eng")
    assert (p, str(p)) == (lang.Pair("es", "en"), "es-en")
    assert lang.target_languages() == ("en",)
