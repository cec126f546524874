"""End to end per source language: ``translate corpus/<lang> --from <lang> --engine apertium``, then
``check``, through the CLI, with the real Apertium pairs, the real glossary and the real corpora."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import regex
from click.testing import CliRunner

from kp_translate.cli import cli
from kp_translate.segment import read_document

from conftest import GLOSSARY_DIR, ROOT

LANGUAGES = ("es", "ca", "gl", "eu", "pt", "it")

#: English forms the glossary enforces from each corpus's own source forms (source form → target)
ENFORCED = {
    "es": {"Kim Jong-un": "Kim Jong Un", "Corea del Norte": "North Korea", "Pionyang": "Pyongyang"},
    "ca": {"Corea del Nord": "North Korea", "Seül": "Seoul", "Rússia": "Russia"},
    "gl": {"Corea do Norte": "North Korea", "Moscova": "Moscow", "Kim Jong-un": "Kim Jong Un"},
    "eu": {"Ipar Korea": "North Korea", "Vladimir Putin": "Vladimir Putin", "Kim Jong-un": "Kim Jong Un"},
    "pt": {"Coreia do Norte": "North Korea", "Moscovo": "Moscow", "Choe Son-hui": "Choe Son Hui"},
    "it": {"Corea del Nord": "North Korea", "Cremlino": "Kremlin", "Serghei Lavrov": "Sergei Lavrov"},
}

#: chrF2 of ``check`` when this test was written (docs/languages.md, "Routes and pivots"); the
#: test fails if a language falls more than CHRF_SLACK points below it. eu is under the gate's
#: floor (59) through the engine's quality, which this test does not assert.
CHRF_MEASURED = {"es": 66.87, "ca": 68.07, "gl": 70.41, "eu": 52.59, "pt": 66.93, "it": 63.27}
CHRF_SLACK = 3.0

#: gates that enforcement and the pipeline answer for, whatever the engine's quality
PIPELINE_GATES = (
    "term_success_min",
    "forbidden_max",
    "consistency_min",
    "ref_agreement_min",
    "numbers_max",
    "brackets_max",
    "two_ways_max",
)

_MARK = regex.compile(r"[*#@][\p{L}\p{N}]|[\p{L}\p{N}][*#@]")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {lang: tmp_path_factory.mktemp(f"run-{lang}") for lang in LANGUAGES}


def _paragraphs(path: Path) -> int:
    return len(read_document(path).paragraphs)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translate_corpus(lang: str, runs: dict[str, Path], no_network: None) -> None:
    work = runs[lang]
    src = ROOT / "corpus" / lang
    out, report = work / "out", work / "r.json"
    result = CliRunner().invoke(
        cli,
        [
            *("translate", str(src), "-o", str(out), "--from", lang, "--engine", "apertium", "--no-cache"),
            *("--no-progress", "-g", str(GLOSSARY_DIR), "--report", str(report)),
        ],
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert data["terms"]["expected"] > 0
    assert data["terms"]["failed"] == 0 and data["terms"]["enforced"] == data["terms"]["expected"], data["terms"]
    inputs = sorted(src.glob("*.txt"))
    assert inputs and sorted(p.name for p in out.glob("*.txt")) == [p.name for p in inputs]
    text = ""
    for path in inputs:
        translated = out / path.name
        assert _paragraphs(translated) == _paragraphs(path), path.name
        text += translated.read_text(encoding="utf-8") + "\n"
    assert not _MARK.findall(text), _MARK.findall(text)[:10]
    assert not regex.findall(r"[¿¡«»]", text)
    assert not regex.search(r"(?i)k\s?p\s?x[a-z]", text)
    source = "".join(p.read_text(encoding="utf-8") for p in inputs)
    for form, target in ENFORCED[lang].items():
        assert form in source, form  # the corpus holds the source form: the target is enforced
        assert target in text, (form, target)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_check_translated_corpus(lang: str, runs: dict[str, Path]) -> None:
    out = runs[lang] / "out"
    if not out.is_dir():
        pytest.fail(f"test_translate_corpus[{lang}] did not run first")
    result = CliRunner().invoke(
        cli,
        [
            *("check", str(out), "--from", lang, "--format", "json", "-g", str(GLOSSARY_DIR)),
            *("--src", str(ROOT / "corpus" / lang), "--ref", str(ROOT / "corpus" / "ref" / lang)),
            *("--config", str(ROOT / "pyproject.toml")),
        ],
    )
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output[result.output.index("{") : result.output.rindex("}") + 1])
    gates = {g["key"]: g for g in data["gates"]}
    assert gates["term_success_min"]["value"] == 100.0
    assert gates["forbidden_max"]["value"] == 0
    for key in PIPELINE_GATES:
        assert gates[key]["passed"], gates[key]
    chrf = gates["chrf_min"]["value"]
    assert chrf >= CHRF_MEASURED[lang] - CHRF_SLACK, (lang, chrf)
    assert result.exit_code == (0 if all(g["passed"] for g in gates.values()) else 1)
