"""Names the glossary lacks (``translate --names``): detection, CLDR places, Korean and Russian rules,
the enforcement path through real Apertium, the report, and the ``check`` gate.

The done-when text (tests/data/names/fr_unseen.txt) is written for these tests: real Russian,
North and South Korean officials, Russian cities and places of the region, none in the glossary;
its table (fr_unseen.tsv) gives the English press form of each, written by hand."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from kp_translate import lang
from kp_translate.check import check
from kp_translate.cli import cli, main
from kp_translate.glossary import Glossary
from kp_translate.infer import NameFinder
from kp_translate.lang import identify, places
from kp_translate.lang.names import fold_capitals, korean_shape, korean_variants, russian_evidence
from kp_translate.match import Matcher
from kp_translate.segment import read_document, split_document
from kp_translate.suggest import LowerCaseWords, words
from kp_translate.translate import translate, translate_text

from conftest import CORPUS_FR

DATA = Path(__file__).parent / "data" / "names"
TEXT = DATA / "fr_unseen.txt"


def _table() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "fr_unseen.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, english = line.split("\t")
            rows.append((source, english))
    return rows


# -- the lang layer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "english"),
    [("Séoul", "Seoul"), ("Moscou", "Moscow"), ("Etats-Unis", "United States"), ("Corée du Nord", "North Korea")],
)
def test_cldr_places_resolve_without_a_hand_entry(name: str, english: str) -> None:
    place = places.lookup(name, "fr")
    assert place is not None and place.english == english


def test_cldr_leaves_alone_what_it_does_not_know() -> None:
    assert places.lookup("Paris Match", "fr") is None
    assert places.lookup("Tokyo", "fr") is None  # the same in English: nothing to change
    assert places.lookup("Moscú", "es") is not None and places.lookup("Moscú", "es").english == "Moscow"  # type: ignore[union-attr]


def test_cldr_index_is_cached_on_disk_and_rebuilt_when_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index a run builds from Babel is written to the cache directory; the next process reads
    it back whole (the same places); a corrupt file is built again; the territory codes too."""
    monkeypatch.setenv("KP_TRANSLATE_CACHE", str(tmp_path))
    for cached in (places.place_index, places._territory_codes):
        cached.cache_clear()
    built = places._build_index("fr")
    assert built["Séoul"].english == "Seoul" and built["Corée du Nord"].english == "North Korea"
    assert places.place_index("fr") == built
    files = sorted(p.name for p in (tmp_path / "cldr").iterdir())
    assert len(files) == 1 and files[0].startswith("places-fr-")
    stored = json.loads((tmp_path / "cldr" / files[0]).read_text(encoding="utf-8"))
    assert stored["Séoul"] == ["Seoul", "city", "zone Asia/Seoul", "KR"]
    # read back without Babel: a file edited by hand is what the next run believes
    stored["Séoul"] = ["Seoul (from the cache)", "city", "zone Asia/Seoul", "KR"]
    (tmp_path / "cldr" / files[0]).write_text(json.dumps(stored), encoding="utf-8")
    places.place_index.cache_clear()
    assert places.lookup("Séoul", "fr") == places.Place("Seoul (from the cache)", "city", "zone Asia/Seoul", "KR")
    # a corrupt file is ignored and written again from Babel
    (tmp_path / "cldr" / files[0]).write_text('{"Séoul": [1, 2]', encoding="utf-8")
    places.place_index.cache_clear()
    assert places.place_index("fr") == built
    assert json.loads((tmp_path / "cldr" / files[0]).read_text(encoding="utf-8"))["Séoul"][0] == "Seoul"
    assert places.territory_problem("KP") is None and places.territory_problem("XQ") is not None
    assert any(p.name.startswith("territories-") for p in (tmp_path / "cldr").iterdir())
    places.place_index.cache_clear()
    places._territory_codes.cache_clear()


def test_unaccented_capitals_rule() -> None:
    assert fold_capitals("États-Unis") == "Etats-Unis"
    assert fold_capitals("département d'État") == "département d'Etat"
    assert fold_capitals("élection") == "élection"  # lower-case accents stay
    assert lang.get("fr").fold_capitals("Élection") == "Election"
    assert lang.get("eu").fold_capitals("Élection") == "Élection"  # a language without the rule


def test_korean_shape_and_variants() -> None:
    assert korean_shape("Choe Son-hui") and korean_shape("Kim Yo Jong") and korean_shape("Lee Jae-myung")
    assert not korean_shape("Le Monde") and not korean_shape("Kim") and not korean_shape("Paris Match")
    assert korean_variants("Kim Yo-jong") == ["Kim Yo-jong", "Kim Yo-Jong", "Kim Yo jong", "Kim Yo Jong"]
    assert korean_variants("Jean-Yves Le Drian") == ["Jean-Yves Le Drian"]


@pytest.mark.parametrize(
    ("name", "russian"),
    [
        ("Sergueï Choïgou", True),
        ("Vostotchny", True),
        ("Dmitri Peskov", True),
        ("Kaliningrad", True),
        ("Jean-Yves Le Drian", False),
        ("Emmanuel Macron", False),
        ("Paris Match", False),
        ("Le Monde", False),
        ("Racine", False),
        ("Strasbourg", False),
    ],
)
def test_russian_evidence(name: str, russian: bool) -> None:
    assert (russian_evidence(name) is not None) is russian


def test_the_matcher_finds_unaccented_capitals_and_korean_variants() -> None:
    g = Glossary(
        [
            _entry("united-states", "place", "United States", ["États-Unis"]),
            _entry("kim-yo-jong", "person", "Kim Yo Jong", ["Kim Yo-jong"]),
            _entry("election", "term", "election", ["élection"]),
        ]
    )
    m = Matcher(g.view("fr"))
    found = [(x.entry.id, x.form) for x in m.find("Aux Etats-Unis, Kim Yo jong et Kim Yo Jong ; une election.")]
    assert found == [("united-states", "Etats-Unis"), ("kim-yo-jong", "Kim Yo jong"), ("kim-yo-jong", "Kim Yo Jong")]


def _entry(entry_id: str, kind: str, target: str, sources: list[str]):  # type: ignore[no-untyped-def]
    from kp_translate.glossary import Entry

    return Entry(id=entry_id, type=kind, target=target, sources=sources, status="reviewed")


# -- detection ------------------------------------------------------------------------------------


def test_detection_skips_common_words_glossary_terms_and_french_names(real_glossary: Glossary) -> None:
    text = (
        "Selon Le Monde, Sergueï Sobianine a reçu Kang Sun-nam à Pyongyang. Un envoyé de Jean-Yves Le Drian "
        "était à Tachkent. Est-ce que Sobianine reviendra ?"
    )
    found = NameFinder(real_glossary, lang.get("fr")).document(split_document(text))
    inferred = {(n.source, n.target, n.rule) for n in found.inferred}
    assert inferred == {
        ("Sergueï Sobianine", "Sergei Sobyanin", "ru-fr"),
        ("Kang Sun-nam", "Kang Sun Nam", "ko-north"),
        ("Tachkent", "Tashkent", "cldr"),
        ("Sobianine", "Sobyanin", "surname"),  # no sign of its own: the full name came first
    }
    unresolved = {u.source for u in found.unresolved}
    assert "Jean-Yves Le Drian" in unresolved and "Selon" not in unresolved and "Un" not in unresolved
    assert not any(n.source in ("Pyongyang", "Selon", "Est") for n in found.inferred)  # a glossary term, common words


def test_english_paragraphs_and_lone_function_words_are_no_names(real_glossary: Glossary) -> None:
    """A paragraph already in English (kept verbatim: the dossier's English headline) holds no names
    to resolve, and a capitalised article after a comma (the dossier writes "à Pyongyang, Des
    responsables") is no name; a real one in the same text still is."""
    text = (
        "In Bid to Be Major Global Player, North Korea Signs New Treaty With Russia\n\n"
        "BERLIN | Lorsque Dmitri Peskov parlait à Pyongyang, Des responsables de La Havane écoutaient."
    )
    found = NameFinder(real_glossary, lang.get("fr")).document(split_document(text))
    assert {u.source for u in found.unresolved} == set()
    # a leading function word is part of a name only in a place CLDR knows whole ("La Havane")
    assert {(n.source, n.target) for n in found.inferred} == {
        ("Dmitri Peskov", "Dmitry Peskov"),
        ("La Havane", "Havana"),
    }


def test_korean_name_without_context_is_left_alone(real_glossary: Glossary) -> None:
    found = NameFinder(real_glossary, lang.get("fr")).document(split_document("Le ministre Kang Sun-nam a parlé."))
    assert not found.inferred and [u.source for u in found.unresolved] == ["Kang Sun-nam"]


def test_surname_after_the_full_name(real_glossary: Glossary) -> None:
    text = "Le maire Guennadi Ziouganov parle. Plus tard, M. Ziouganov est parti."
    found = NameFinder(real_glossary, lang.get("fr")).document(split_document(text))
    assert [(n.source, n.target) for n in found.inferred] == [
        ("Guennadi Ziouganov", "Gennady Zyuganov"),
        ("Ziouganov", "Zyuganov"),
    ]


# -- through real Apertium ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, real_glossary: Glossary) -> dict[str, tuple[str, dict]]:  # type: ignore[type-arg]
    out: dict[str, tuple[str, dict]] = {}  # type: ignore[type-arg]
    for mode in ("auto", "suggest", "off"):
        d = tmp_path_factory.mktemp(mode)
        report = d / "report.json"
        translate([TEXT], d / "en", source="fr", engine="apertium", glossary=real_glossary, names=mode,
                  report=report, use_cache=False)  # fmt: skip
        out[mode] = ((d / "en" / TEXT.name).read_text(encoding="utf-8"), json.loads(report.read_text()))
    return out


def test_at_least_90_percent_of_unseen_names_in_english_press_form(runs: dict[str, tuple[str, dict]]) -> None:  # type: ignore[type-arg]
    rows = _table()
    assert len(rows) >= 40
    text, _ = runs["auto"]
    got = [english for _, english in rows if english in text]
    assert len(got) / len(rows) >= 0.9, [r for r in rows if r[1] not in text]
    off, _ = runs["off"]
    assert sum(english in off for _, english in rows) < len(got) / 2  # the rules, not the engine, did it


def test_french_persons_and_outlets_are_left_as_the_engine_writes_them(runs: dict[str, tuple[str, dict]]) -> None:  # type: ignore[type-arg]
    auto, report = runs["auto"]
    off, _ = runs["off"]
    assert auto.splitlines()[-1] == off.splitlines()[-1]  # the paragraph of Le Monde, Le Drian, Macron
    sources = {r["source"] for r in report["files"][0]["inferred"]}
    assert not sources & {"Le Monde", "Paris Match", "Jean-Yves Le Drian", "Emmanuel Macron", "Monde"}


def test_inferred_never_counted_as_enforced(runs: dict[str, tuple[str, dict]]) -> None:  # type: ignore[type-arg]
    (_, auto), (_, off), (_, suggest) = runs["auto"], runs["off"], runs["suggest"]
    assert off["terms"] == suggest["terms"]
    # the only difference: the surname entry "Kim" (Kim Jong Un) no longer matches inside "Kim Tok-hun"
    # and "Kim Yong-hyun", whose whole name is inferred instead
    assert auto["terms"]["expected"] == auto["terms"]["enforced"] == off["terms"]["expected"] - 2
    doc = auto["files"][0]
    assert doc["names"]["inferred"] == len(doc["inferred"]) >= 40
    record = next(r for r in doc["inferred"] if r["source"] == "Dmitri Peskov")
    assert record["target"] == "Dmitry Peskov" and record["rule"] == "ru-fr" and record["rendered"] is True
    assert record["paragraph"] == f"{TEXT.name}#0" and 0 < record["confidence"] <= 1
    assert not any(e.startswith("~") for e in doc["entries"])
    assert auto["names"]["inferred"] == doc["names"]["inferred"]


def test_suggest_lists_and_leaves_the_text(runs: dict[str, tuple[str, dict]]) -> None:  # type: ignore[type-arg]
    suggest_text, suggest = runs["suggest"]
    off_text, _ = runs["off"]
    assert suggest_text == off_text
    doc = suggest["files"][0]
    assert not doc["inferred"] and len(doc["name_candidates"]) >= 40
    assert {"source": "Tachkent", "target": "Tashkent"}.items() <= next(
        c for c in doc["name_candidates"] if c["source"] == "Tachkent"
    ).items()


def test_cli_names_option_offline(no_network: None, real_glossary: Glossary) -> None:
    result = CliRunner().invoke(
        cli, ["translate", "-", "--from", "fr", "--engine", "apertium", "--names", "auto"],
        input="Le porte-parole Dmitri Peskov était à Tachkent.\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Dmitry Peskov" in result.stdout and "Tashkent" in result.stdout
    bad = CliRunner().invoke(cli, ["translate", "-", "--names", "maybe"], input="x\n")
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_library_rejects_an_unknown_mode(real_glossary: Glossary) -> None:
    from kp_translate.errors import InputError

    with pytest.raises(InputError, match="--names"):
        translate_text("Bonjour.", source="fr", engine="apertium", glossary=real_glossary, names="maybe")


# -- check ----------------------------------------------------------------------------------------


def test_check_counts_names_apart_and_gates_unresolved(
    tmp_path: Path,
    runs: dict[str, tuple[str, dict]],  # type: ignore[type-arg]
    real_glossary: Glossary,
) -> None:
    src, hyp = tmp_path / "src", tmp_path / "hyp"
    src.mkdir()
    hyp.mkdir()
    (src / TEXT.name).write_text(TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    (hyp / TEXT.name).write_text(runs["auto"][0], encoding="utf-8")
    strict = check(hyp, src=src, glossary=real_glossary,
                   thresholds={"unresolved_names_max": 0})  # fmt: skip
    unresolved = strict.findings["unresolved_names"]
    assert {f.message.split("'")[1] for f in unresolved} >= {"Jean-Yves Le Drian", "Paris Match"}
    assert not strict.passed
    loose = check(hyp, src=src, glossary=real_glossary,
                  thresholds={"unresolved_names_max": len(unresolved)})  # fmt: skip
    assert loose.passed
    note = next(n for n in loose.notes if n.startswith("names"))
    assert "inferred by rule" in note and f"{len(unresolved)} unresolved" in note


def test_read_document_of_the_text_has_the_names() -> None:
    doc = read_document(TEXT)
    for source, _ in _table():
        assert source in doc.text


# -- glossary suggest --write ---------------------------------------------------------------------


def test_suggest_write_gives_draft_stanzas_glossary_check_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kp_translate import glossary as glossary_lib

    out = tmp_path / "new.kpg"
    result = CliRunner().invoke(cli, ["glossary", "suggest", str(TEXT), "--write", str(out)])
    assert result.exit_code == 0, result.output
    assert "draft entries" in result.stdout
    loaded, problems = glossary_lib.parse([out])
    assert problems == []
    by_source = {e.sources[0]: e for e in loaded}
    peskov = by_source["Dmitri Peskov"]
    assert (peskov.target, peskov.type, peskov.country, peskov.status) == ("Dmitry Peskov", "person", "RU", "draft")
    assert by_source["Kim Tok-hun"].target == "Kim Tok Hun" and by_source["Kim Tok-hun"].country == "KP"
    assert by_source["Tachkent"].target == "Tashkent" and by_source["Tachkent"].country == "UZ"
    assert by_source["Jean-Yves Le Drian"].target == "Jean-Yves Le Drian"  # no rule: the form, to review
    assert all(e.status == "draft" for e in loaded)
    text = out.read_text(encoding="utf-8")
    assert "# rule ru-fr" in text and "# context: " in text and "# rule cldr (zone Asia/Tashkent)" in text
    # an existing file is kept unless --force
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["glossary", "suggest", str(TEXT), "--write", str(out)])
    err = capsys.readouterr().err
    assert exited.value.code != 0 and err == f"kp-translate: error: {out}: file exists: pass --force to replace it\n"
    assert out.read_text(encoding="utf-8") == text
    forced = CliRunner().invoke(cli, ["glossary", "suggest", str(TEXT), "--write", str(out), "--force"])
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["new.kpg"]  # no temporary file left


def test_glossary_check_validates_country(tmp_path: Path) -> None:
    from kp_translate import glossary as glossary_lib

    path = tmp_path / "g.kpg"
    path.write_text(
        "[a]\ntype: person\ntarget: Kim Tok Hun\nsource: Kim Tok-hun\ncountry: KP\nstatus: draft\n\n"
        "[b]\ntype: person\ntarget: Ri Pyong Chol\nsource: Ri Pyong-chol\ncountry: North\nstatus: draft\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in glossary_lib.check([path])]
    assert problems == [f"{path}:12: unknown country 'North': use a CLDR territory code (KP, KR, RU…)"]


# -- surname-only mentions (short:) ---------------------------------------------------------------


def test_short_mention_after_the_full_name_counts_as_the_entry(real_glossary: Glossary) -> None:
    text = (
        "Tolstoï reste lu en Russie.\n\n"
        "Le romancier Léon Tolstoï est né en 1828. M. Tolstoï a écrit Guerre et Paix ; Tolstoï est mort en 1910.\n"
    )
    result = translate_text(text, source="fr", engine="apertium", glossary=real_glossary)
    doc = result.documents[0]
    out = doc.text.split("\n\n")
    assert "Leo Tolstoy" in out[1] and out[1].count("Tolstoy") == 3
    assert doc.entries["leo-tolstoy"] == {"expected": 3, "enforced": 3}  # the full name and two mentions
    # before the full name: not the glossary's, but no rule contradicts it either
    assert [(r["source"], r["target"], r["rule"]) for r in doc.inferred] == [("Tolstoï", "Tolstoy", "short")]
    off = translate_text(text, source="fr", engine="apertium", glossary=real_glossary, names="off").documents[0]
    assert off.entries["leo-tolstoy"] == {"expected": 3, "enforced": 3} and "Tolstoï" in off.text.split("\n\n")[0]


def test_a_given_name_before_a_glossary_surname_is_one_name(real_glossary: Glossary) -> None:
    """``Serguei Choïgou`` (the entry's full form is ``Sergueï Choïgou``): the surname is the
    glossary's shoigu entry, the given name goes by the rule table; through real Apertium."""
    text = "Serguei Choïgou, secrétaire du Conseil de sécurité russe, a rencontré Kim Jong-un.\n"
    found = NameFinder(real_glossary, lang.get("fr")).document(split_document(text))
    assert [(n.source, n.target, n.rule) for n in found.inferred] == [
        ("Serguei Choïgou", "Sergei Shoigu", "ru-fr+glossary")
    ]
    doc = translate_text(text, source="fr", engine="apertium", glossary=real_glossary).documents[0]
    assert doc.text.startswith("Sergei Shoigu, secretary of the Russian Security Council"), doc.text
    off = translate_text(text, source="fr", engine="apertium", glossary=real_glossary, names="off").documents[0]
    assert off.text.startswith("Serguei Shoigu"), off.text  # the surname alone, as before
    # a given name that is not Russian, or a glossary surname that is not a person's: no such name
    for other in ("Marie Choïgou est arrivée.", "Serguei Séoul est arrivé."):
        found = NameFinder(real_glossary, lang.get("fr")).document(split_document(other))
        assert all(n.rule != "ru-fr+glossary" for n in found.inferred), other


def test_glossary_check_validates_short(tmp_path: Path) -> None:
    from kp_translate import glossary as glossary_lib

    path = tmp_path / "g.kpg"
    path.write_text(
        "[a]\ntype: person\ntarget: Sergei Naryshkin\nsource: Sergueï Narychkine\nshort: Narychkine\nstatus: draft\n\n"
        "[b]\ntype: person\ntarget: Anton Siluanov\nsource: Anton Silouanov\nshort: Siluanov\nstatus: draft\n\n"
        "[c]\ntype: place\ntarget: Chelyabinsk\nsource: Tcheliabinsk\nshort: Tcheliabinsk\nstatus: draft\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in glossary_lib.check([path])]
    assert problems == [
        f"{path}:12: short form 'Siluanov' is not part of a longer source form of 'b'",
        f"{path}:19: 'short' is for persons: entry 'c' is a place",
    ]


def test_capitalised_tokens_are_the_capitalised_ones_of_all_tokens() -> None:
    """``tokens(capitalised=True)`` (what the name finder reads) finds exactly the tokens of
    ``tokens()`` that open with a capital, with the same sentence-initial flags, on real text."""
    from kp_translate.suggest import tokens

    paragraphs = [p.text for f in sorted(Path("corpus/fr").glob("*.txt")) for p in read_document(f).paragraphs]
    paragraphs += [*TEXT.read_text(encoding="utf-8").split("\n\n"), "-Kim, A-B Sa-Kim x-Yo «Ébène» ǅemal Σ-Ωx 3-Ab"]
    french = lang.get("fr")
    some = 0
    for text in paragraphs:
        every = [t for t in tokens(text, language=french) if t.text[0].isupper()]
        assert tokens(text, language=french, capitalised=True) == every, text
        some += len(every)
    assert some > 500


# -- the searches that find what a full scan finds ------------------------------------------------


def test_lower_case_words_as_the_set_of_every_word() -> None:
    """Texts of words joined by hyphens, plus signs, apostrophes, digits and blanks: a word is said
    to occur in lower case exactly when the set of every lower-case word of the texts holds it."""
    rng = random.Random(3)
    pieces = ["le", "Le", "selon", "Selon", "nord", "coréen", "-", "+", "'", "’", " ", "\n", "1", "é", "x", "É", "_"]
    asked = 0
    for _ in range(3000):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(rng.randint(1, 3))]
        every = {w for t in texts for w in words(t) if w[:1].islower()}
        seen = LowerCaseWords(texts)
        for word in [*every, *("".join(rng.choice(pieces) for _ in range(rng.randint(1, 3))) for _ in range(5))]:
            assert (word in seen) == (word in every), (texts, word)
            asked += word in every
    assert asked > 3000


def test_names_found_with_the_verbatim_test_handed_over_as_without(real_glossary: Glossary) -> None:
    """The dossier's documents, an English paragraph added to each: the names found when the
    translator says which paragraphs read as English are those found when the finder asks itself."""
    finder = NameFinder(real_glossary, lang.get("fr"))
    quoted = "The North Korean leader Kim Jong Un met Vladimir Putin and Choe Son Hui in the city of Vladivostok."
    told_english = 0
    for path in sorted(CORPUS_FR.glob("*.txt")):
        document = split_document(path.read_text(encoding="utf-8") + "\n\n" + quoted + "\n", path.name)
        told = {p.index: identify.is_language(p.text.strip(), "en", "fr") for p in document.paragraphs}
        told_english += sum(told.values())
        assert finder.document(document, told) == finder.document(document), path
    assert told_english >= 5
