"""Per-language source forms in one glossary: `source.<lang>:` lines, views and their versions."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kp_translate import glossary
from kp_translate.cli import cli

MULTI = """\
[corea-norte]
type: place
target: North Korea
source: Corée du Nord
source.es: Corea del Norte
source.it: Corea del Nord

[kcna]
type: media
target: KCNA
source: KCNA
dnt: yes

[sommet]
type: term
target: summit
source: sommet
source.es: cumbre
"""


def write(tmp_path: Path, text: str, name: str = "g.kpg") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tagged_forms_parse_and_untagged_stay_default(tmp_path: Path) -> None:
    g = glossary.load(write(tmp_path, MULTI))
    entry = g.get("corea-norte")
    assert entry is not None
    assert entry.sources == ["Corée du Nord"]
    assert entry.lang_sources == {"es": ["Corea del Norte"], "it": ["Corea del Nord"]}
    assert g.languages == ["fr", "es", "it"]


def test_view_uses_own_forms_else_inherits(tmp_path: Path) -> None:
    g = glossary.load(write(tmp_path, MULTI))
    es = g.view("es")
    assert es.get("corea-norte").sources == ["Corea del Norte"]  # type: ignore[union-attr]
    assert es.get("kcna").sources == ["KCNA"]  # type: ignore[union-attr]  # inherited
    it = g.view("it")
    assert it.get("sommet").sources == ["sommet"]  # type: ignore[union-attr]  # no Italian form: inherited
    fr = g.view("fr")
    assert fr.get("corea-norte").sources == ["Corée du Nord"]  # type: ignore[union-attr]
    # the matcher of a view finds that language's forms only
    found = [m.entry.id for m in es.matcher().find("La cumbre de Corea del Norte y la KCNA.")]
    assert found == ["sommet", "corea-norte", "kcna"]
    assert fr.matcher().find("La cumbre de Corea del Norte.") == []


def test_adding_a_language_keeps_other_views_versions(tmp_path: Path) -> None:
    before = glossary.load(write(tmp_path, MULTI))
    more = MULTI.replace("source.es: cumbre\n", "source.es: cumbre\nsource.eu: goi-bilera\n")
    after = glossary.load(write(tmp_path, more, "h.kpg"))
    assert after.view("eu").version != before.view("eu").version
    for lang in ("fr", "es", "it"):
        assert after.view(lang).version == before.view(lang).version
    assert after.version != before.version
    # the version is computed once, and a view is made once
    assert before.view("es") is before.view("es")
    assert before.view("es").version == before.view("es").version


def test_unknown_language_tag_and_untaggable_field(tmp_path: Path) -> None:
    bad = MULTI + "\n[x]\ntype: term\ntarget: X\nsource.xx: ex\ntarget.es: Y\n"
    path = write(tmp_path, bad)
    problems = [str(p) for p in glossary.check([path])]
    n = len(MULTI.splitlines())
    assert f"{path}:{n + 5}: unknown language 'xx' in 'source.xx' (known: fr, es, ca, gl, eu, pt, it)" in problems
    assert f"{path}:{n + 6}: field 'target' takes no language tag (only source, pattern)" in problems


def test_duplicate_forms_are_checked_per_language(tmp_path: Path) -> None:
    clash = MULTI + "\n[norte]\ntype: term\ntarget: north\nsource: nord\nsource.es: Corea del Norte\n"
    path = write(tmp_path, clash)
    problems = [str(p) for p in glossary.check([path])]
    assert len(problems) == 1
    assert "source form 'Corea del Norte' (es) maps to 'north' here but to 'North Korea'" in problems[0]
    # the same form in two languages with two targets is no clash
    ok = MULTI + "\n[cumbre-it]\ntype: term\ntarget: top\nsource.it: cumbre\n"
    assert glossary.check([write(tmp_path, ok, "ok.kpg")]) == []


def test_glossary_check_cli_accepts_tagged_forms(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["glossary", "check", str(write(tmp_path, MULTI))])
    assert result.exit_code == 0, result.output


def test_tbx_carries_every_language_and_reads_back(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    from kp_translate.formats import export
    from kp_translate.formats import tbx as tbx_format

    g = glossary.load(write(tmp_path, MULTI))
    text = export(g, "tbx")
    assert tbx_format.validate(text) == []
    root = ET.fromstring(text)
    ns = f"{{{tbx_format.NS}}}"
    concept = next(c for c in root.iter(ns + "conceptEntry") if c.get("id") == "corea-norte")
    sections = {
        sec.get(tbx_format.XML_LANG): [t.text for t in sec.iter(ns + "term")] for sec in concept.iter(ns + "langSec")
    }
    assert sections == {
        "fr": ["Corée du Nord"],
        "es": ["Corea del Norte"],
        "it": ["Corea del Nord"],
        "en": ["North Korea"],
    }
    path = tmp_path / "g.tbx"
    path.write_text(text, encoding="utf-8")
    back = tbx_format.read(path)
    entry = back.get("corea-norte")
    assert entry is not None
    assert entry.sources == ["Corée du Nord"]
    assert entry.lang_sources == {"es": ["Corea del Norte"], "it": ["Corea del Nord"]}
    assert back.view("es").version == g.view("es").version


def test_real_glossary_tbx_has_every_language_it_holds(real_glossary) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    from kp_translate.formats import export
    from kp_translate.formats import tbx as tbx_format

    root = ET.fromstring(export(real_glossary, "tbx"))
    found = {sec.get(tbx_format.XML_LANG) for sec in root.iter(f"{{{tbx_format.NS}}}langSec")}
    assert found == {*real_glossary.languages, "en"}
