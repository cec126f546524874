"""`kp-translate check`, the CI gate, on the real dossier translated by Apertium: it passes the
shipped thresholds, an unenforced translation fails them, a deliberately broken translation fails
with every fault in the JUnit report, and bad input or configuration exits 2."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from kp_translate import qa
from kp_translate.check import DEFAULTS, load_thresholds
from kp_translate.cli import cli, main
from kp_translate.errors import InputError
from kp_translate.glossary import Glossary
from kp_translate.metrics import Analyser, Segment
from kp_translate.segment import read_document

from conftest import CORPUS_FR, CORPUS_REF, DOSSIER_FILES, GLOSSARY_DIR, ROOT

PYPROJECT = ROOT / "pyproject.toml"
DOC = "004_46b32e6b4071c38d.txt"  # has 11 000 → 11,000, Kim Jong-un, Hwasong-11, a quote per paragraph


def translate_dossier(out: Path, glossary: Glossary, files: list[Path], enforce: bool = True) -> Path:
    from kp_translate.translate import translate

    translate([str(p) for p in files], out, engine="apertium", glossary=glossary, enforce=enforce, use_cache=False)
    return out


@pytest.fixture(scope="module")
def apertium(tmp_path_factory: pytest.TempPathFactory, real_glossary: Glossary) -> Path:
    """The whole dossier, translated as .ci/run does (Apertium, enforced glossary)."""
    return translate_dossier(tmp_path_factory.mktemp("enforced") / "en", real_glossary, DOSSIER_FILES)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def french(tmp_path: Path, *names: str) -> Path:
    """A French source directory holding only these real dossier articles (check refuses a
    dossier whose source has documents the translation lacks)."""
    src = tmp_path / "fr-subset"
    src.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(CORPUS_FR / name, src / name)
    return src


def check_args(path: Path, *extra: str, src: Path = CORPUS_FR) -> list[str]:
    return ["check", str(path), "--src", str(src), "--ref", str(CORPUS_REF), "-g", str(GLOSSARY_DIR),
            "--config", str(PYPROJECT), *extra]  # fmt: skip


@pytest.fixture(scope="module")
def enforced_report(apertium: Path) -> dict:  # type: ignore[type-arg]
    code, out, _ = invoke(*check_args(apertium, "--format", "json"))
    report = json.loads(out)
    report["_exit"] = code
    return report


def test_enforced_apertium_dossier_passes_the_shipped_gate(enforced_report: dict) -> None:  # type: ignore[type-arg]
    r = enforced_report
    failed = [g for g in r["gates"] if not g["passed"]]
    assert r["_exit"] == 0 and r["passed"], failed
    gates = {g["key"]: g for g in r["gates"]}
    # the shipped pyproject gates every figure it documents
    assert set(gates) >= {"term_success_min", "forbidden_max", "chrf_min", "numbers_max", "two_ways_max"}
    assert gates["forbidden_max"]["value"] == 0
    assert gates["term_success_min"]["value"] >= gates["term_success_min"]["threshold"] >= 95
    assert r["input"]["documents"] == [p.name for p in DOSSIER_FILES]
    assert r["input"]["segments_with_reference"] >= 100


def test_gate_reports_real_faults_of_the_apertium_output(enforced_report: dict) -> None:  # type: ignore[type-arg]
    # Apertium leaves words it does not know in French: the gate tolerates a measured number of
    # them but lists every one with its place
    leftovers = [f for f in enforced_report["findings"] if f["check"] == "source_words"]
    assert leftovers, "the Apertium output has French words left in it"
    words = {f["message"] for f in leftovers}
    assert "French word 'géopolitique'" in words
    first = leftovers[0]
    assert first["path"].endswith(".txt") and first["line"] >= 1 and "[" in first["excerpt"]
    assert enforced_report["checks"]["source_words"]["count"] == len(leftovers)


@pytest.mark.parametrize("fmt", ["text", "junit"])
def test_enforced_output_formats(apertium: Path, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{fmt}"
    code, out, _ = invoke(*check_args(apertium, "--format", fmt, "-o", str(target)))
    assert code == 0
    assert "\x1b[" not in out and "PASS:" in out  # the text table still goes to stdout, no colour
    text = target.read_text(encoding="utf-8")
    assert "\x1b[" not in text
    if fmt == "junit":
        root = ET.fromstring(text)
        assert root.tag == "testsuites" and root.get("failures") == "0"
        suites = [s.get("name") for s in root.iter("testsuite")]
        assert suites == ["gates", *[p.name for p in DOSSIER_FILES]]
        doc_suite = root.find("testsuite[@name='000_7c2f12bc5fc2e4f7.txt']")
        assert doc_suite is not None
        # the QA checks, then the names the glossary lacks and no rule resolves (check.names_findings)
        assert [c.get("name") for c in doc_suite.iter("testcase")] == [*qa.CHECKS, "unresolved_names"]
    else:
        assert "term success rate (%)" in text and "PASS:" in text


def test_unenforced_translation_fails_the_gate(tmp_path: Path, real_glossary: Glossary) -> None:
    # the thresholds are set so that a regression in enforcement breaks them
    raw = translate_dossier(tmp_path / "raw", real_glossary, DOSSIER_FILES[:2], enforce=False)
    code, out, _ = invoke(
        *check_args(raw, "--format", "json", src=french(tmp_path, *(p.name for p in DOSSIER_FILES[:2])))
    )
    assert code == 1
    failed = {g["key"] for g in json.loads(out)["gates"] if not g["passed"]}
    assert {"term_success_min", "forbidden_max", "ref_agreement_min", "chrf_min", "two_ways_max"} <= failed


def break_translation(text: str, source: str) -> tuple[str, dict[str, int]]:
    """Three faults in a real translation: a canonical term replaced by a forbidden one, a number
    changed, a paragraph left in French. Returns the text and the paragraph index of each fault."""
    from kp_translate.segment import split_document

    doc = split_document(text, DOC)
    src = split_document(source, DOC)
    paras = [p.text for p in doc.paragraphs]
    where = {}
    where["forbidden"] = next(i for i, p in enumerate(paras) if i > 3 and "Kim Jong Un" in p)
    paras[where["forbidden"]] = paras[where["forbidden"]].replace("Kim Jong Un", "Kim Jong One", 1)
    where["numbers"] = next(i for i, p in enumerate(paras) if "11,000" in p)
    paras[where["numbers"]] = paras[where["numbers"]].replace("11,000", "12,000")
    where["untranslated"] = next(
        i for i, p in enumerate(src.paragraphs) if len(p.text) > 200 and i not in where.values()
    )
    paras[where["untranslated"]] = src.paragraphs[where["untranslated"]].text
    return doc.join(paras), where


def test_broken_translation_fails_and_junit_shows_each_fault(apertium: Path, tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(apertium / DOC, good / DOC)
    src = french(tmp_path, DOC)
    code, _, _ = invoke(*check_args(good, src=src))
    assert code == 0  # the real translation of this article passes on its own

    broken = tmp_path / "broken"
    broken.mkdir()
    text, where = break_translation((apertium / DOC).read_text(encoding="utf-8"), (CORPUS_FR / DOC).read_text())
    (broken / DOC).write_text(text, encoding="utf-8")
    report_path = tmp_path / "junit.xml"
    code, out, _ = invoke(*check_args(broken, "--format", "junit", "-o", str(report_path), src=src))
    assert code == 1
    assert "FAIL:" in out
    root = ET.parse(report_path).getroot()
    assert int(root.get("failures", "0")) >= 4
    suite = root.find(f"testsuite[@name='{DOC}']")
    assert suite is not None
    failures = {
        case.get("name"): case.find("failure") for case in suite.iter("testcase") if case.find("failure") is not None
    }
    assert {"forbidden", "terms", "numbers", "untranslated"} <= set(failures)
    doc = read_document(broken / DOC)

    def line_of(i: int) -> str:
        return f"{broken / DOC}:{doc.text[: doc.paragraphs[i].start].count(chr(10)) + 1} (#{i})"

    forbidden = failures["forbidden"].text or ""
    assert f"{line_of(where['forbidden'])}: forbidden rendering 'Kim Jong One'" in forbidden
    assert "[Kim Jong One]" in forbidden
    terms = failures["terms"].text or ""
    assert f"{line_of(where['forbidden'])}: " in terms and "[kim-jong-un]" in terms
    numbers = failures["numbers"].text or ""
    assert f"{line_of(where['numbers'])}: numbers differ" in numbers
    assert "'11 000'" in numbers and "'12,000'" in numbers
    untranslated = failures["untranslated"].text or ""
    assert f"{line_of(where['untranslated'])}: translation is the source text" in untranslated
    gates = {c.get("name"): c.find("failure") is not None for c in root.find("testsuite[@name='gates']") or []}
    assert gates["forbidden <= 0"] and gates["numbers <= 0"] and gates["untranslated <= 0"]


def test_check_translate_option(tmp_path: Path) -> None:
    src = tmp_path / "fr"
    src.mkdir()
    shutil.copy(CORPUS_FR / DOC, src / DOC)
    kept = tmp_path / "kept"
    code, out, err = invoke(
        *check_args(src, "--translate", "--engine", "apertium", "--translated", str(kept), "--format", "json", src=src)
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["passed"] and report["input"]["documents"] == [DOC]
    assert (kept / DOC).is_file()
    assert any("translated 1 document(s)" in n for n in report["notes"])


def test_check_line_files(tmp_path: Path) -> None:
    # three French paragraphs of 004 and their reference translations, one figure changed
    src_doc = read_document(CORPUS_FR / DOC)
    refs = json.loads((CORPUS_REF / DOC.replace(".txt", ".json")).read_text(encoding="utf-8"))["snippets"]
    by_hash = {s["hash"]: s["ref"] for s in refs}
    pairs = [(p.text, by_hash[p.hash]) for p in src_doc.paragraphs if p.hash in by_hash][10:13]
    assert any("11,000" in r for _, r in pairs)
    (tmp_path / "src.txt").write_text("".join(f"{s}\n" for s, _ in pairs), encoding="utf-8")
    (tmp_path / "ref.txt").write_text("".join(f"{r}\n" for _, r in pairs), encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("".join(f"{r.replace('11,000', '11,500')}\n" for _, r in pairs), encoding="utf-8")
    argv = check_args(hyp, "--format", "json", src=tmp_path / "src.txt")
    argv[argv.index("--ref") + 1] = str(tmp_path / "ref.txt")
    code, out, _ = invoke(*argv)
    assert code == 1
    report = json.loads(out)
    assert [g["key"] for g in report["gates"] if not g["passed"]] == ["numbers_max"]
    [finding] = report["findings"]
    line = next(i for i, (_, r) in enumerate(pairs, 1) if "11,000" in r)
    assert finding["where"] == f"{hyp}:{line}" and "'11,500'" in finding["message"]


# ---------------------------------------------------------------------------------------------
# thresholds and input errors


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    code = exc.value.code
    return int(code) if isinstance(code, int) else 1, capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("term_success_min = 97\nforbiden_max = 0\n", 3, "unknown threshold 'forbiden_max'"),
        ("term_success_min = 0.95\n", 2, "looks like a fraction: rates are percentages (0-100), write 95"),
        ('chrf_min = "high"\n', 2, "threshold 'chrf_min' must be a number"),
        ("numbers_max = 1.5\n", 2, "counts findings: use a whole number"),
        ("chrf_min = = 3\n", 2, "bad TOML"),
    ],
)
def test_bad_thresholds_exit_2_with_file_and_line(
    apertium: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, line: int, message: str
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.kp-translate.check]\n" + body, encoding="utf-8")
    argv = check_args(apertium)
    argv[argv.index("--config") + 1] = str(config)
    code, err = run_main(argv, capsys)
    assert code == 2
    assert err.startswith(f"kp-translate: error: {config}:{line}: ")
    assert message in err and "Traceback" not in err


def test_thresholds_come_from_the_section_only(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n\n[tool.kp-translate.check]\nchrf_min = 40\n', encoding="utf-8")
    t = load_thresholds(config)
    assert t.values == {"chrf_min": 40.0}
    # no section in the nearest pyproject: the built-in defaults
    config.write_text('[project]\nname = "x"\n', encoding="utf-8")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    import os

    cwd = os.getcwd()
    os.chdir(sub)
    try:
        t = load_thresholds()
    finally:
        os.chdir(cwd)
    assert t.source == "built-in defaults" and t.values == DEFAULTS


def test_shipped_defaults_equal_the_shipped_pyproject() -> None:
    # one gate, documented once: the repository's section and the built-in defaults agree
    assert load_thresholds(PYPROJECT).values == {k: float(v) for k, v in DEFAULTS.items()}


def test_loose_gate_passes_a_broken_translation(apertium: Path, tmp_path: Path) -> None:
    # only the keys written in the section are gated
    broken = tmp_path / "broken"
    broken.mkdir()
    text, _ = break_translation((apertium / DOC).read_text(encoding="utf-8"), (CORPUS_FR / DOC).read_text())
    (broken / DOC).write_text(text, encoding="utf-8")
    config = tmp_path / "loose.toml"
    config.write_text("[tool.kp-translate.check]\nchrf_min = 30\n", encoding="utf-8")
    argv = check_args(broken, "--format", "json", src=french(tmp_path, DOC))
    argv[argv.index("--config") + 1] = str(config)
    code, out, _ = invoke(*argv)
    assert code == 0
    report = json.loads(out)
    assert [g["key"] for g in report["gates"]] == ["chrf_min"]
    # the forbidden form put in, and the French paragraph's leftovers ("Poutine", ...)
    assert report["checks"]["forbidden"]["count"] > 1 and report["checks"]["forbidden"]["gate"] is None
    assert "'Kim Jong One'" in json.dumps(report["findings"])


def test_stale_reference_is_an_input_error_in_check(
    apertium: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "fr"
    src.mkdir()
    name = "000_7c2f12bc5fc2e4f7.txt"
    (src / name).write_text((CORPUS_FR / name).read_text().replace("cinq millions", "six millions"), encoding="utf-8")
    hyp = tmp_path / "en"
    hyp.mkdir()
    shutil.copy(apertium / name, hyp / name)
    code, err = run_main(check_args(hyp, src=src), capsys)
    ref = CORPUS_REF / "000_7c2f12bc5fc2e4f7.json"
    line = ref.read_text(encoding="utf-8").split('"id": "000_7c2f12bc5fc2e4f7.txt#6"')[0].count("\n")
    assert code == 2
    assert err.startswith(f"kp-translate: error: {ref}:{line}: reference snippet 000_7c2f12bc5fc2e4f7.txt#6 is stale")


def test_missing_dossier_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_main(check_args(tmp_path / "nowhere"), capsys)
    assert code == 2 and err == f"kp-translate: error: {tmp_path / 'nowhere'}: no such file or directory\n"


def test_missing_translations_are_an_input_error(
    apertium: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a CI run whose translation half failed: 1 of the 5 articles translated (it was PASS, exit 0)
    half = tmp_path / "en"
    half.mkdir()
    shutil.copy(apertium / DOC, half / DOC)
    missing = [p.name for p in DOSSIER_FILES if p.name != DOC]
    code, err = run_main(check_args(half), capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"kp-translate: error: {half}: 4 of the 5 source document(s) in {CORPUS_FR} have no ")
    assert ", ".join(missing) in err


def _copy_inputs(apertium: Path, tmp_path: Path) -> dict[str, Path]:
    """The real translation, French source, references and thresholds, copied: the regression
    tests below must not risk the repository's files."""
    inputs = {"hyp": tmp_path / "en", "src": tmp_path / "fr", "ref": tmp_path / "ref", "config": tmp_path / "kp.toml"}
    shutil.copytree(apertium, inputs["hyp"])
    shutil.copytree(CORPUS_FR, inputs["src"])
    shutil.copytree(CORPUS_REF, inputs["ref"])
    shutil.copy(PYPROJECT, inputs["config"])
    return inputs


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("hyp/report.xml", "would write inside the translation"),
        ("ref/000_7c2f12bc5fc2e4f7.json", "would write inside the references"),
        ("src/000_7c2f12bc5fc2e4f7.txt", "would write inside the source"),
        ("config", "would overwrite the thresholds file"),
    ],
)
def test_report_never_overwrites_an_input(
    apertium: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, message: str
) -> None:
    inputs = _copy_inputs(apertium, tmp_path)
    key, _, rest = target.partition("/")
    output = inputs[key] / rest if rest else inputs[key]
    before = output.read_bytes() if output.exists() else None
    argv = ["check", str(inputs["hyp"]), "--src", str(inputs["src"]), "--ref", str(inputs["ref"]),
            "-g", str(GLOSSARY_DIR), "--config", str(inputs["config"]), "--format", "junit",
            "-o", str(output)]  # fmt: skip
    code, err = run_main(argv, capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"kp-translate: error: {output}: {message} (")
    assert (output.read_bytes() if output.exists() else None) == before


def test_translate_refuses_an_english_path(apertium: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the English translation given as PATH with --translate: a clear message, nothing translated
    kept = tmp_path / "kept"
    code, err = run_main([*check_args(apertium, src=apertium), "--translate", "--translated", str(kept)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"kp-translate: error: {apertium}: 5 of the 5 document(s) read as English: with --translate")
    assert "stale" not in err and not kept.exists()


def test_translate_never_writes_over_the_french(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = french(tmp_path, DOC)
    before = (src / DOC).read_bytes()
    code, err = run_main([*check_args(src, src=src), "--translate", "--translated", str(src)], capsys)
    assert code == 2
    assert err == f"kp-translate: error: {src}: would overwrite the source ({src})\n"
    assert (src / DOC).read_bytes() == before


def test_colour_only_when_asked_or_on_a_tty(apertium: Path) -> None:
    code, out, _ = invoke(*check_args(apertium, "--color"))
    assert code == 0 and "\x1b[32m" in out  # green "pass"
    code, out, _ = invoke(*check_args(apertium, "--color", "--format", "json"))
    assert "\x1b[" not in out
    json.loads(out)


# ---------------------------------------------------------------------------------------------
# the QA checks on real paragraphs


def analyse(glossary: Glossary, source: str, hyp: str, doc: str = DOC, index: int = 0):  # type: ignore[no-untyped-def]
    return Analyser(glossary).analyse(Segment(doc, index, hyp, source, (), f"out/{doc}", 1))


def test_untranslated_rules(real_glossary: Glossary) -> None:
    fr = read_document(CORPUS_FR / "003_e2dc28380de3b692.txt")
    english_headline, french_headline = fr.paragraphs[0].text, fr.paragraphs[1].text
    # kept verbatim because the source is English: not untranslated
    assert not qa.check_untranslated(analyse(real_glossary, english_headline, english_headline))
    # French left as it is
    [f] = qa.check_untranslated(analyse(real_glossary, french_headline, french_headline))
    assert f.message == "translation is the source text"
    # mostly the source's words and not English: still untranslated
    half = french_headline.replace("Dans le but de", "In order to")
    assert qa.check_untranslated(analyse(real_glossary, french_headline, half))
    # too short to judge ("ActualitésInternational")
    short = read_document(CORPUS_FR / "001_f667be46968b6bc2.txt").paragraphs[0].text
    assert not qa.check_untranslated(analyse(real_glossary, short, short))


def test_source_words_french_and_pivot_spanish(real_glossary: Glossary) -> None:
    src = "Le dirigeant nord-coréen a rencontré le président russe dans la capitale."
    a = analyse(real_glossary, src, "The leader norcoreano met the Russian president in the capital géopolitique.")
    found = qa.check_source_words(a)
    # "norcoreano" is a declared forbidden rendering (reported by `forbidden`, not twice)
    assert [f.message for f in found] == ["French word 'géopolitique'"]
    assert [f.excerpt for f in qa.check_forbidden(a)] == [
        "The leader [norcoreano] met the Russian president in the capita…"
    ]
    a = analyse(real_glossary, src, "The leader met the Russian president and opposed la desestabilización.")
    assert [f.message for f in qa.check_source_words(a)] == ["French word 'la'", "Spanish word 'desestabilización'"]
    # English loanwords with accents are English
    assert not qa.check_source_words(analyse(real_glossary, src, "The régime's élite met at a café."))


def test_brackets_blame_the_translation_only(real_glossary: Glossary) -> None:
    src = "Il a dit « non » (deux fois)."
    assert not qa.check_brackets(analyse(real_glossary, src, "He said “no” (twice)."))
    [f] = qa.check_brackets(analyse(real_glossary, src, "He said “no (twice)."))
    assert f.message == "unbalanced quote '“'" and f.excerpt == "He said [“]no (twice)."
    [f] = qa.check_brackets(analyse(real_glossary, src, "He said “no” twice)."))
    assert f.message == "unbalanced parenthesis ')'"
    # straight quotes may close a curly one
    assert not qa.check_brackets(analyse(real_glossary, src, 'He said “no" (twice).'))
    # an unbalanced source (003 #21 leaves a quote open) does not make the translation wrong
    assert not qa.check_brackets(analyse(real_glossary, "Selon « NK News, rien.", "According to “NK News, nothing."))


def test_quotes_around_nothing_are_reported(real_glossary: Glossary, tmp_path: Path) -> None:
    """Apertium moves a single quoted word out of its quotes; QA reports the empty pair left."""
    src = "Pyongyang a dénoncé des « provocations » de Séoul."
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "quoted.txt").write_text(src + "\n", encoding="utf-8")
    translate_dossier(tmp_path / "en", real_glossary, [tmp_path / "fr" / "quoted.txt"])
    hyp = (tmp_path / "en" / "quoted.txt").read_text(encoding="utf-8").strip()
    assert "provocations" in hyp and "“”" in hyp, hyp  # the engine's fault, as Debian 12's Apertium makes it
    [f] = qa.check_brackets(analyse(real_glossary, src, hyp))
    assert f.message == "quotes around nothing '“”'" and "[“”]" in f.excerpt
    # white space inside, guillemets left by a pivot
    [f] = qa.check_brackets(analyse(real_glossary, src, "It denounced provocations «  » of Seoul."))
    assert f.message == "quotes around nothing '«  »'"
    # quotes with words inside, one pair after another, or a source with an empty pair: nothing
    assert not qa.check_brackets(analyse(real_glossary, src, "It denounced “provocations” of Seoul."))
    assert not qa.check_brackets(analyse(real_glossary, src, "It said “yes” “no” to Seoul."))
    assert not qa.check_brackets(analyse(real_glossary, "Il a écrit « » ici.", "He wrote “” here."))


def test_numbers_check_on_a_real_paragraph(real_glossary: Glossary) -> None:
    src = read_document(CORPUS_FR / DOC).paragraphs[11].text
    assert "11 000" in src and "Hwasong-11" in src
    ok = src.replace("11 000", "11,000")  # only figures matter to this check
    assert not qa.check_numbers(analyse(real_glossary, src, ok))
    [f] = qa.check_numbers(analyse(real_glossary, src, src.replace("11 000", "1,100")))
    assert f.message == "numbers differ: missing from the translation: '11 000'; not in the source: '1,100'"
    assert "[1,100]" in f.excerpt


def test_thresholds_per_language_override_the_base_table(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(
        "[tool.kp-translate.check]\nchrf_min = 59\nforbidden_max = 0\n\n"
        "[tool.kp-translate.check.es]\nchrf_min = 45\nsource_words_max = 10\n",
        encoding="utf-8",
    )
    assert load_thresholds(config).values == {"chrf_min": 59.0, "forbidden_max": 0.0}
    es = load_thresholds(config, "es")
    assert es.values == {"chrf_min": 45.0, "forbidden_max": 0.0, "source_words_max": 10.0}
    assert es.source.endswith("[tool.kp-translate.check] + [tool.kp-translate.check.es]")
    assert load_thresholds(config, "it").values == {"chrf_min": 59.0, "forbidden_max": 0.0}
    config.write_text("[tool.kp-translate.check]\nchrf_min = 59\n\n[tool.kp-translate.check.es]\nchrf = 45\n")
    with pytest.raises(InputError) as err:
        load_thresholds(config, "es")
    assert err.value.line == 5 and "unknown threshold 'chrf'" in err.value.message
    config.write_text("[tool.kp-translate.check]\nchrf_min = 59\n\n[tool.kp-translate.check.xx]\nchrf_min = 45\n")
    with pytest.raises(InputError, match=r"unknown language table \[tool.kp-translate.check.xx\]"):
        load_thresholds(config)
