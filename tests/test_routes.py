"""Routes through Apertium modes: direct pairs, one pivot, mode names in 639-1 and 639-3."""

from __future__ import annotations

import pytest

from kp_translate.engines import apertium
from kp_translate.engines.routes import find_route, routes
from kp_translate.lang import Pair

#: what `apertium -l` lists on a Debian machine with the seven pairs of scripts/setup.sh
DEBIAN_MODES = (
    "cat-eng cat-eng_US eco-es-fr eco-fr-es en-gl eng-cat eng-cat_iec2017 eng-cat_valencia eng-spa es-fr es-pt "
    "es-pt_BR eu-en fr-es gl-en ita-spa pt-es spa-eng spa-eng_US spa-ita"
).split()


def test_direct_pair_first_then_one_pivot() -> None:
    assert find_route(Pair("fr", "en"), ["fr-es", "spa-eng", "fr-en"]).modes == ("fr-en",)  # type: ignore[union-attr]
    assert find_route(Pair("fr", "en"), ["es-fr", "fr-es", "spa-eng", "eng-spa"]).modes == (  # type: ignore[union-attr]
        "fr-es",
        "spa-eng",
    )
    assert find_route(Pair("fr", "en"), ["fr-es"]) is None
    # a variant only when nothing else is there; 639-1 and 639-3 codes mixed
    assert find_route(Pair("es", "en"), ["spa-eng_US", "spa-eng"]).modes == ("spa-eng",)  # type: ignore[union-attr]
    assert find_route(Pair("es", "en"), ["spa-eng_US"]).modes == ("spa-eng_US",)  # type: ignore[union-attr]
    # the preferred pivot first, then any
    assert find_route(Pair("fr", "en"), ["fr-ca", "cat-eng", "fr-es", "spa-eng"]).modes == ("fr-es", "spa-eng")  # type: ignore[union-attr]
    assert find_route(Pair("fr", "en"), ["fr-pt", "por-eng"]).modes == ("fr-pt", "por-eng")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("source", "modes"),
    [
        ("es", ("spa-eng",)),
        ("ca", ("cat-eng",)),
        ("gl", ("gl-en",)),
        ("eu", ("eu-en",)),
        ("fr", ("fr-es", "spa-eng")),
        ("pt", ("pt-es", "spa-eng")),
        ("it", ("ita-spa", "spa-eng")),
    ],
)
def test_routes_on_debian_modes(source: str, modes: tuple[str, ...]) -> None:
    route = find_route(Pair(source, "en"), DEBIAN_MODES)
    assert route is not None and route.modes == modes
    assert route.languages[0] == source and route.languages[-1] == "en"


def test_every_supported_language_has_a_route_on_this_machine() -> None:
    found = routes(apertium.installed_modes())
    assert {s: str(r) for s, r in found.items() if s in ("fr", "es", "ca", "gl", "eu", "pt", "it")} == {
        "es": "spa-eng",
        "ca": "cat-eng",
        "gl": "gl-en",
        "eu": "eu-en",
        "fr": "fr-es | spa-eng",
        "pt": "pt-es | spa-eng",
        "it": "ita-spa | spa-eng",
    }


def test_missing_pair_names_what_to_install() -> None:
    with pytest.raises(apertium.EngineError, match=r"no Apertium route de→en: 'sudo apt-get install apertium"):
        apertium.ApertiumEngine(pair=Pair("de", "en"))
