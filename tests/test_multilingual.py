"""The multilingual pipeline end to end: --from auto, the Translator session, and the regression
cases of the multilingual issue (Spanish numbers, inverted marks, leftovers of other languages)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kp_translate import qa
from kp_translate.cli import cli, main
from kp_translate.engines import get_engine
from kp_translate.glossary import Glossary
from kp_translate.lang import Pair
from kp_translate.metrics import Analyser, Segment
from kp_translate.session import Translator

from conftest import GLOSSARY_DIR, ROOT

CORPUS = ROOT / "corpus"


def test_from_auto_identifies_each_document(tmp_path: Path, no_network: None) -> None:
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    picks = {
        "fr": CORPUS / "fr" / "001_f667be46968b6bc2.txt",
        "es": CORPUS / "es" / "es_02_visita_pionyang.txt",
        "it": CORPUS / "it" / "it_01_lavrov_pyongyang.txt",
        "ca": CORPUS / "ca" / "ca_01_tropes_kursk.txt",
    }
    for path in picks.values():
        shutil.copy(path, mixed / path.name)
    out, report = tmp_path / "en", tmp_path / "report.json"
    args = ["translate", str(mixed), "-o", str(out), "--from", "auto", "--engine", "apertium", "--no-cache"]
    result = CliRunner().invoke(cli, [*args, "-g", str(GLOSSARY_DIR), "--report", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    found = {f["file"]: f["language"] for f in data["files"]}
    assert found == {path.name: lang for lang, path in picks.items()}
    assert all(f["identified"]["confidence"] > 0.3 for f in data["files"])
    assert set(data["pair"].split(",")) == {"fr-en", "es-en", "it-en", "ca-en"}
    assert data["terms"]["failed"] == 0 and data["terms"]["expected"] > 40
    assert "Kim Jong Un" in (out / picks["es"].name).read_text(encoding="utf-8")


def _main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return int(exit_info.value.code or 0), capsys.readouterr().err


def test_from_auto_refuses_what_it_cannot_tell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "x.txt"
    doc.write_text("KCNA 2024\n", encoding="utf-8")
    args = ["translate", str(doc), "-o", str(tmp_path / "o"), "--from", "auto", "--engine", "apertium"]
    code, err = _main(args, capsys)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"kp-translate: error: {doc}: cannot tell which language this is (best guess ")
    assert err.endswith("give --from\n") and not (tmp_path / "o").exists()


def test_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["translate", "-", "--from", "xx"], input="Hola.\n")
    assert result.exit_code == 2 and "unknown language 'xx'" in result.output


def test_translator_session_translates_text_after_text(real_glossary: Glossary, no_network: None) -> None:
    engine = get_engine("apertium", Pair("es", "en"))
    translator = Translator(engine, real_glossary)
    assert translator.glossary.version == real_glossary.view("es").version
    first = translator.translate_text("El líder de Corea del Norte, Kim Jong-un, habló con Serguéi Lavrov.")
    second = translator.translate_text("¿Qué dijo la KCNA? ¡Que la OTAN tiene 11.000 soldados!")
    assert "Kim Jong Un" in first.text and "North Korea" in first.text and "Sergei Lavrov" in first.text
    assert first.language == "es" and first.failed == 0
    # inverted marks never reach the English; Spanish digit groups become English ones
    assert "¿" not in second.text and "¡" not in second.text
    assert "11,000" in second.text and "NATO" in second.text and "KCNA" in second.text


@pytest.mark.parametrize(
    ("pair", "source", "hyp", "check", "expect"),
    [
        # Spanish 11.000 is eleven thousand: the English 11,000 agrees
        (
            Pair("es", "en"),
            "Hay 11.000 soldados y 1,5 millones de obuses.",
            "There are 11,000 soldiers and 1.5 million shells.",
            "numbers",
            0,
        ),
        (Pair("es", "en"), "Hay 11.000 soldados.", "There are 11 soldiers.", "numbers", 1),
        # an Italian word left in an English translation
        (
            Pair("it", "en"),
            "Il ministro della Difesa ha parlato.",
            "The minister della Defence spoke.",
            "source_words",
            1,
        ),
        # a Spanish pivot word in an English translation from Portuguese (pt → es → en)
        (Pair("pt", "en"), "O ministro da Defesa falou.", "The minister del Defence spoke.", "source_words", 1),
    ],
)
def test_qa_reads_the_pair(real_glossary: Glossary, pair: Pair, source: str, hyp: str, check: str, expect: int) -> None:
    view = real_glossary.view(pair.source)
    analyses = Analyser(view).analyse_all([Segment("a.txt", 0, hyp, source, pair=pair)])
    findings = qa.run(analyses, [check])[check]
    assert len(findings) == expect, findings


@pytest.mark.parametrize(
    ("lang", "source"),
    [
        ("es", "El líder norcoreano habló con las tropas norcoreanas."),
        ("pt", "O líder norte-coreano falou com as tropas norte-coreanas."),
        ("gl", "O líder norcoreano falou coas tropas norcoreanas."),
        ("ca", "El líder nord-coreà va parlar amb les tropes nord-coreanes."),
    ],
)
def test_nationality_adjectives_move_like_adjectives(real_glossary: Glossary, lang: str, source: str) -> None:
    """A one-word nationality adjective is protected by one of the language's own proxies, which
    the engine moves before the noun as it moves any adjective ("the North Korean leader")."""
    translator = Translator(get_engine("apertium", Pair(lang, "en")), real_glossary)
    protected = translator.enforcer.protect(source)
    assert [s.proxy is not None for s in protected.slots] == [True, True]
    report = translator.translate_text(source)
    assert "North Korean leader" in report.text and "North Korean troops" in report.text, report.text
    assert report.failed == 0
