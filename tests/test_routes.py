"""Routes through Apertium modes: direct pairs, one pivot, mode names in 639-1 and 639-3."""

from __future__ import annotations

import pytest
import regex

from kp_translate import glossary
from kp_translate.enforce import Enforcer
from kp_translate.engines import apertium
from kp_translate.engines.apertium import ApertiumEngine
from kp_translate.engines.routes import Route, find_route, routes
from kp_translate.errors import EngineError
from kp_translate.glossary import Glossary
from kp_translate.lang import Pair
from kp_translate.lang.codes import parse_mode

from conftest import GLOSSARY_DIR

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
    with pytest.raises(EngineError, match=r"no Apertium route de→en: 'sudo apt-get install apertium"):
        apertium.ApertiumEngine(pair=Pair("de", "en"))


# -- placeholders through every installed route, with the real pairs ----------------------------

#: short sentences of our own per source language, glossary names as subject and object, after
#: prepositions and articles, in quotes and in brackets
SENTENCES = {
    "es": (
        "Kim Jong-un recibió a Serguéi Lavrov en Pionyang.",
        "El presidente de Rusia, Vladímir Putin, viajó a Corea del Norte con Serguéi Shoigú.",
        "«La OTAN no puede intimidar a la RPDC», dijo Kim Jong-un a la agencia KCNA.",
        "Según el Consejo de Seguridad de la ONU, China (Pekín) y Moscú han hablado.",
        "Los misiles balísticos de la RPDC llegaron a Ucrania, según el Pentágono.",
    ),
    "ca": (
        "Kim Jong-un va rebre Serguei Lavrov a Pyongyang.",
        "El president de Rússia, Vladímir Putin, va viatjar a Corea del Nord amb Serguei Xoigú.",
        "«L'OTAN no pot intimidar la RPDC», va dir Kim Jong-un a l'agència KCNA.",
        "Segons el Consell de Seguretat de l'ONU, la Xina (Pequín) i Moscou han parlat.",
        "Els míssils balístics de la RPDC van arribar a Ucraïna, segons el Pentàgon.",
    ),
    "gl": (
        "Kim Jong-un recibiu a Serguei Lavrov en Pyongyang.",
        "O presidente de Rusia, Vladímir Putin, viaxou a Corea do Norte.",
        "«A OTAN non pode intimidar a RPDC», dixo Kim Jong-un á axencia KCNA.",
        "Segundo o Consello de Seguridade da ONU, China (Pequín) e Moscova falaron.",
        "Os mísiles balísticos da RPDC chegaron a Ucraína, segundo o Pentágono.",
    ),
    # names in the absolutive (no case ending): the matcher does not read Basque endings (Putinek)
    "eu": (
        "Kim Jong-un eta Vladimir Putin Pyongyangen bildu ziren.",
        "Ipar Korea eta Errusia elkarrengana hurbildu dira.",
        "«NATO ez da gure etsaia», esan zuen Vladimir Putin presidenteak.",
        "Hego Korea eta Japonia (Tokio) kezkatuta daude.",
        "Kim Jong-un «Errusia» aipatu zuen.",
    ),
    "pt": (
        "Kim Jong-un recebeu Serguei Lavrov em Pyongyang.",
        "O presidente da Rússia, Vladimir Putin, viajou para a Coreia do Norte com Serguei Shoigu.",
        "«A NATO não pode intimidar a Coreia do Norte», disse Kim Jong-un à agência KCNA.",
        "Segundo o Conselho de Segurança da ONU, a China (Pequim) e Moscovo conversaram.",
        "Os mísseis balísticos da Coreia do Norte chegaram à Ucrânia, segundo o Pentágono.",
    ),
    "it": (
        "Kim Jong-un ha ricevuto Serghei Lavrov a Pyongyang.",
        "Il presidente della Russia, Vladimir Putin, è andato in Corea del Nord con Serghei Shoigu.",
        "«La Nato non può intimidire la Corea del Nord», ha detto Kim Jong-un all'agenzia Kcna.",
        "Secondo il Consiglio di sicurezza dell'Onu, la Cina (Pechino) e Mosca hanno parlato.",
        "I missili balistici della Corea del Nord sono arrivati in Ucraina, secondo il Pentagono.",
    ),
    "fr": (
        "Kim Jong-un a reçu Sergueï Lavrov à Pyongyang.",
        "Le président de la Russie, Vladimir Poutine, s'est rendu en Corée du Nord.",
        "« L'Otan ne peut pas intimider la RPDC », a dit Kim Jong-un à l'agence KCNA.",
        "Selon le Conseil de sécurité de l'ONU, la Chine (Pékin) et Moscou ont parlé.",
        "Les missiles balistiques de la RPDC sont arrivés en Ukraine, selon le Pentagone.",
    ),
}


def _installed_routes() -> list[tuple[str, Route | None]]:
    """Every installed route into English of each language of :data:`SENTENCES`: the direct mode,
    else one route per pivot language (``None`` for a language with no route: that case fails)."""
    modes = apertium.installed_modes()
    out: list[tuple[str, Route | None]] = []
    for source in SENTENCES:
        pair = Pair(source, "en")
        direct = find_route(pair, modes, pivots=())
        if direct is not None and len(direct.steps) == 1:
            out.append((source, direct))
            continue
        middles = sorted({p[1] for p in map(parse_mode, modes) if p is not None and p[0] == source} - {"en"})
        found = [find_route(pair, modes, pivots=(m,)) for m in middles]
        pivoted = [r for r, m in zip(found, middles, strict=True) if r is not None and r.languages[1] == m]
        out.extend((source, r) for r in pivoted) if pivoted else out.append((source, None))
    return out


ROUTES = _installed_routes()


@pytest.fixture(scope="module")
def glossary_all() -> Glossary:
    return glossary.load(GLOSSARY_DIR)


@pytest.mark.parametrize(("source", "route"), ROUTES, ids=[f"{s}:{r}" for s, r in ROUTES])
def test_placeholders_survive_every_hop_of_every_route(
    source: str, route: Route | None, glossary_all: Glossary
) -> None:
    """Each placeholder comes out of every stage of the route unchanged and once; restored, every
    slot is found, every target is there, no forbidden rendering and no placeholder is left."""
    assert route is not None, f"no Apertium route {source}→en installed"
    pair = Pair(source, "en")
    enforcer = Enforcer(glossary_all, pair=pair)
    protected = [enforcer.protect(s) for s in SENTENCES[source]]
    for p in protected:
        assert len(p.slots) >= 2 and all(s.proxy is None for s in p.slots), (p.source, p.text)
    # hop by hop: the text in the pivot language, then in English
    for k in range(1, len(route.steps) + 1):
        hop = ApertiumEngine(pair=Pair(source, route.languages[k]), modes=route.modes[:k])
        outputs = [h[0].text for h in hop.translate_batch([p.text for p in protected])]
        for p, out in zip(protected, outputs, strict=True):
            for slot in p.slots:
                assert out.count(slot.token) == 1, (route.modes[:k], slot.token, p.text, out)
    engine = ApertiumEngine(pair=pair, modes=route.modes)
    for p, hyps in zip(protected, engine.translate_batch([p.text for p in protected]), strict=True):
        outcome = enforcer.finish(p, hyps)
        assert outcome.lost == [], (p.text, hyps[0].text)
        assert outcome.verdict.ok, (outcome.text, outcome.verdict.failures)
        for slot in p.slots:
            assert slot.entry.target.casefold() in outcome.text.casefold(), (slot.entry.target, outcome.text)
        assert p.prefix.casefold() not in outcome.text.casefold(), outcome.text
        assert not regex.search(r"(?i)k\s?p\s?x", outcome.text), outcome.text
