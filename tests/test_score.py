"""`kp-translate score` on the real dossier translated by Apertium: sacrebleu figures must equal
sacrebleu's own (library and command line), term metrics appear with a source, bad input exits 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sacrebleu
from click.testing import CliRunner
from sacrebleu.metrics import BLEU, CHRF, TER

from kp_translate.cli import cli, main
from kp_translate.glossary import Glossary
from kp_translate.segment import read_document

from conftest import CORPUS_FR, CORPUS_REF, DOSSIER_FILES, GLOSSARY_DIR

DOCS = ["001_f667be46968b6bc2.txt", "002_5a8893db02065184.txt"]  # the two whose TER is quick
STALE_DOC = "000_7c2f12bc5fc2e4f7.txt"


@pytest.fixture(scope="module")
def apertium_dir(tmp_path_factory: pytest.TempPathFactory, real_glossary: Glossary) -> Path:
    """Two dossier articles translated by the real pipeline (Apertium, enforced glossary)."""
    from kp_translate.translate import translate

    out = tmp_path_factory.mktemp("apertium") / "en"
    translate([str(CORPUS_FR / d) for d in DOCS], out, engine="apertium", glossary=real_glossary, use_cache=False)
    return out


def referenced_pairs(hyp_dir: Path, docs: list[str]) -> list[tuple[str, str, str]]:
    """(doc, hypothesis paragraph, reference) for every snippet, found by hash — written here
    independently of kp_translate.references."""
    pairs = []
    for doc in docs:
        src = read_document(CORPUS_FR / doc)
        hyp = read_document(hyp_dir / doc)
        data = json.loads((CORPUS_REF / doc.replace(".txt", ".json")).read_text(encoding="utf-8"))
        index = {}
        for p in src.paragraphs:
            index.setdefault(p.hash, p.index)
        for s in data["snippets"]:
            i = int(s["id"].split("#")[1]) if src.paragraphs[int(s["id"].split("#")[1])].hash == s["hash"] else None
            i = i if i is not None else index[s["hash"]]
            pairs.append((doc, hyp.paragraphs[i].text, s["ref"]))
    return pairs


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def line_files(apertium_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    # TER is slow on long paragraphs: the 16 shortest real segments are enough
    pairs = sorted(referenced_pairs(apertium_dir, DOCS), key=lambda p: len(p[2]))[:16]
    d = tmp_path_factory.mktemp("lines")
    files = {
        "hyp": "\n".join(h for _, h, _ in pairs) + "\n",
        "ref": "\n".join(r for _, _, r in pairs) + "\n",
        # a second reference stream: the same references with straight apostrophes
        "ref2": "\n".join(r.replace("’", "'") for _, _, r in pairs) + "\n",
    }
    out = {}
    for name, text in files.items():
        out[name] = d / f"{name}.txt"
        out[name].write_text(text, encoding="utf-8")
    return out


def test_line_files_equal_sacrebleu(line_files: dict[str, Path]) -> None:
    code, out, _ = invoke("score", "--hyp", str(line_files["hyp"]), "--ref", str(line_files["ref"]), "--format", "json")
    assert code == 0
    report = json.loads(out)
    hyps = line_files["hyp"].read_text(encoding="utf-8").splitlines()
    refs = [line_files["ref"].read_text(encoding="utf-8").splitlines()]
    metrics = {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}
    got = {s["key"]: s for s in report["sacrebleu"]}
    assert got.keys() == metrics.keys()
    for key, metric in metrics.items():
        res = metric.corpus_score(hyps, refs)
        assert got[key]["score"] == res.score, key
        assert got[key]["text"] == str(res)
        assert got[key]["signature"] == str(metric.get_signature())
    assert got["bleu"]["score"] == sacrebleu.corpus_bleu(hyps, refs).score
    assert got["chrf++"]["signature"].endswith("nc:6|nw:2|space:no|version:2.6.0")
    assert report["terms"] == []  # no --src: no term metrics
    assert 10 < got["bleu"]["score"] < 60 and 40 < got["chrf"]["score"] < 80  # real MT, not a degenerate input


def test_two_reference_streams_equal_sacrebleu(line_files: dict[str, Path]) -> None:
    hyp, ref, ref2 = (str(line_files[k]) for k in ("hyp", "ref", "ref2"))
    code, out, _ = invoke("score", "--hyp", hyp, "--ref", ref, "--ref", ref2, "--format", "json")
    assert code == 0
    got = {s["key"]: s for s in json.loads(out)["sacrebleu"]}
    hyps = line_files["hyp"].read_text(encoding="utf-8").splitlines()
    refs = [line_files[k].read_text(encoding="utf-8").splitlines() for k in ("ref", "ref2")]
    assert got["bleu"]["score"] == BLEU().corpus_score(hyps, refs).score
    assert got["ter"]["score"] == TER().corpus_score(hyps, refs).score
    assert got["bleu"]["signature"].startswith("nrefs:2|")
    # the input names the reference files (not their text)
    assert json.loads(out)["input"]["refs"] == [ref, ref2]
    # the apostrophe-normalised second reference helps: straight ' in the engine output
    assert got["bleu"]["score"] >= BLEU().corpus_score(hyps, refs[:1]).score


def test_equals_the_sacrebleu_command_line(line_files: dict[str, Path]) -> None:
    hyp, ref = str(line_files["hyp"]), str(line_files["ref"])
    code, out, _ = invoke("score", "--hyp", hyp, "--ref", ref, "--format", "json")
    assert code == 0
    ours = {s["name"]: s for s in json.loads(out)["sacrebleu"]}
    sacre = Path(sys.executable).parent / "sacrebleu"
    for extra in ([], ["--chrf-word-order", "2"]):
        cmd = [str(sacre), ref, "-i", hyp, "-m", "bleu", "chrf", "-f", "json", "-w", "6", *extra]
        theirs = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        for t in theirs:
            assert round(ours[t["name"]]["score"], 6) == t["score"], t["name"]
            assert ours[t["name"]]["signature"] == t["signature"]


def test_dossier_scores_equal_sacrebleu_per_document(apertium_dir: Path) -> None:
    code, out, err = invoke(
        "score", "--hyp", str(apertium_dir), "--src", str(CORPUS_FR), "--ref", str(CORPUS_REF), "-g", str(GLOSSARY_DIR),
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    pairs = referenced_pairs(apertium_dir, DOCS)
    assert report["input"]["segments_with_reference"] == len(pairs)
    got = {s["key"]: s["score"] for s in report["sacrebleu"]}
    hyps, refs = [h for _, h, _ in pairs], [[r for _, _, r in pairs]]
    assert got["bleu"] == BLEU().corpus_score(hyps, refs).score
    assert got["chrf"] == CHRF().corpus_score(hyps, refs).score
    assert got["ter"] == TER().corpus_score(hyps, refs).score
    for doc in DOCS:
        dh = [h for d, h, _ in pairs if d == doc]
        dr = [[r for d, _, r in pairs if d == doc]]
        per_doc = report["documents"][doc]["sacrebleu"]
        assert per_doc["bleu"] == BLEU().corpus_score(dh, dr).score
        assert per_doc["chrf++"] == CHRF(word_order=2).corpus_score(dh, dr).score
        assert per_doc["ter"] == TER().corpus_score(dh, dr).score
    terms = {t["name"]: t for t in report["terms"]}
    assert list(terms) == ["term_success", "forbidden", "consistency", "ref_agreement"]
    # the enforced translation renders the glossary: every expected term, no forbidden form
    assert terms["term_success"]["total"] > 150 and terms["term_success"]["score"] >= 99.0
    assert terms["forbidden"]["score"] == 0
    assert terms["term_success"]["signature"].startswith("term_success|lang:fr-en|glossary:")
    assert set(terms["term_success"]["by_doc"]) == set(DOCS)
    assert report["stale"] == []
    # two of the five French articles are translated: score scores them and says which are missing
    missing = sorted(p.name for p in DOSSIER_FILES if p.name not in DOCS)
    assert report["input"]["missing"] == missing
    assert report["warnings"] == [
        f"{apertium_dir}: 3 of the 5 source document(s) in {CORPUS_FR} have no translation here, not scored: "
        + ", ".join(missing)
    ]
    assert f"kp-translate: warning: {apertium_dir}: 3 of the 5 source document(s)" in err


def test_line_files_with_source_get_term_metrics(tmp_path: Path) -> None:
    # three real French segments (001 #6 and 004 #11), hand-translated, one with a forbidden form
    src = read_document(CORPUS_FR / "001_f667be46968b6bc2.txt").paragraphs[6].text
    (tmp_path / "src.txt").write_text(f"{src}\nLa RPDC et l'OTAN.\nKim Jong-un est arrivé.\n", encoding="utf-8")
    hyp = (
        "This visit should lead to a comprehensive strategic partnership agreement, according to Iouri Ouchakov.\n"
        "The DPRK and NATO.\nKim Jong One arrived.\n"
    )
    (tmp_path / "hyp.txt").write_text(hyp, encoding="utf-8")
    code, out, _ = invoke(
        "score", "--hyp", str(tmp_path / "hyp.txt"), "--src", str(tmp_path / "src.txt"), "-g", str(GLOSSARY_DIR),
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["sacrebleu"] == []
    terms = {t["name"]: t for t in report["terms"]}
    forbidden = terms["forbidden"]["details"]
    assert [(d["where"], d["form"]) for d in forbidden] == [
        (f"{tmp_path / 'hyp.txt'}:1", "Iouri Ouchakov"),
        (f"{tmp_path / 'hyp.txt'}:3", "Kim Jong One"),
    ]
    missing = {(d["segment"], d["term"]) for d in terms["term_success"]["details"]}
    assert ("hyp.txt:1", "yuri-ushakov") in missing and ("hyp.txt:3", "kim-jong-un") in missing
    assert terms["term_success"]["by_term"]["dprk"]["score"] == 100.0
    assert terms["term_success"]["by_term"]["nato"]["score"] == 100.0


def test_text_report_and_output_file(line_files: dict[str, Path], tmp_path: Path) -> None:
    code, out, _ = invoke("score", "--hyp", str(line_files["hyp"]), "--ref", str(line_files["ref"]))
    assert code == 0
    assert "\x1b[" not in out  # not a TTY: no colour
    hyps = line_files["hyp"].read_text(encoding="utf-8").splitlines()
    refs = [line_files["ref"].read_text(encoding="utf-8").splitlines()]
    assert str(BLEU().corpus_score(hyps, refs)) in out
    assert "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0" in out
    assert "no source: term metrics not computed" in out
    target = tmp_path / "sub" / "score.json"
    code, out, _ = invoke(
        "score", "--hyp", str(line_files["hyp"]), "--ref", str(line_files["ref"]), "--format", "json", "-o", str(target)
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["input"]["segments"] == len(hyps)
    assert [p.name for p in target.parent.iterdir()] == ["score.json"]  # no temporary file left


def test_stale_reference_is_a_warning_in_score(real_glossary: Glossary, tmp_path: Path) -> None:
    from kp_translate.translate import translate

    src = tmp_path / "fr"
    src.mkdir()
    text = (CORPUS_FR / STALE_DOC).read_text(encoding="utf-8")
    (src / STALE_DOC).write_text(text.replace("cinq millions", "six millions"), encoding="utf-8")
    hyp = tmp_path / "en"
    translate([str(CORPUS_FR / STALE_DOC)], hyp, engine="apertium", glossary=real_glossary, use_cache=False)
    code, out, err = invoke(
        "score", "--hyp", str(hyp), "--src", str(src), "--ref", str(CORPUS_REF), "-g", str(GLOSSARY_DIR),
        "--format", "json", "-m", "bleu",
    )  # fmt: skip
    assert code == 0
    assert f"{CORPUS_REF / '000_7c2f12bc5fc2e4f7.json'}:" in err
    assert "reference snippet 000_7c2f12bc5fc2e4f7.txt#6 is stale" in err
    report = json.loads(out)
    assert [s["id"] for s in report["stale"]] == ["000_7c2f12bc5fc2e4f7.txt#6"]
    # used, by its index, so every snippet is still scored
    data = json.loads((CORPUS_REF / "000_7c2f12bc5fc2e4f7.json").read_text(encoding="utf-8"))
    assert report["input"]["segments_with_reference"] == len(data["snippets"])


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    code = exc.value.code
    return int(code) if isinstance(code, int) else 1, capsys.readouterr().err


def test_missing_hypothesis_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_main(["score", "--hyp", str(tmp_path / "nope.txt"), "--ref", str(tmp_path / "r.txt")], capsys)
    assert code == 2
    assert err == f"kp-translate: error: {tmp_path / 'nope.txt'}: no such file or directory\n"


def test_line_count_mismatch_names_the_file(line_files: dict[str, Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    short = tmp_path / "short.txt"
    short.write_text("only one line\n", encoding="utf-8")
    code, err = run_main(["score", "--hyp", str(line_files["hyp"]), "--ref", str(short)], capsys)
    n = len(line_files["hyp"].read_text(encoding="utf-8").splitlines())
    assert code == 2
    assert err.strip() == (
        f"kp-translate: error: {short}: reference has 1 lines but the hypothesis {line_files['hyp']} has {n}"
    )
    assert "Traceback" not in err


def test_bad_reference_json_exits_2_with_file_and_line(apertium_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    refs = tmp_path / "ref"
    refs.mkdir()
    name = DOCS[0].replace(".txt", ".json")
    good = (CORPUS_REF / name).read_text(encoding="utf-8")
    (refs / name).write_text(good.replace('"kind": "quote"', '"kind": "quote",', 1), encoding="utf-8")
    code, err = run_main(
        ["score", "--hyp", str(apertium_dir), "--src", str(CORPUS_FR), "--ref", str(refs), "-g", str(GLOSSARY_DIR)],
        capsys,
    )
    line = good.split('"kind": "quote"')[0].count("\n") + 1  # the doubled comma
    assert code == 2
    assert err.startswith(f"kp-translate: error: {refs / name}:{line}: bad JSON")


def test_paragraph_count_mismatch_exits_2(apertium_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    hyp = tmp_path / "en"
    hyp.mkdir()
    text = (apertium_dir / DOCS[1]).read_text(encoding="utf-8")
    (hyp / DOCS[1]).write_text(text.replace("\n\n", "\n", 1), encoding="utf-8")  # two paragraphs merged
    code, err = run_main(["score", "--hyp", str(hyp), "--src", str(CORPUS_FR), "-g", str(GLOSSARY_DIR)], capsys)
    n = len(read_document(CORPUS_FR / DOCS[1]).paragraphs)
    assert code == 2
    assert f"{hyp / DOCS[1]}: {n - 1} paragraphs but its source {CORPUS_FR / DOCS[1]} has {n}" in err


def test_translation_without_source_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hyp = tmp_path / "en"
    hyp.mkdir()
    (hyp / "999_unknown.txt").write_text("Hello.\n", encoding="utf-8")
    code, err = run_main(["score", "--hyp", str(hyp), "--src", str(CORPUS_FR), "-g", str(GLOSSARY_DIR)], capsys)
    assert code == 2
    assert f"{hyp / '999_unknown.txt'}: no source {CORPUS_FR / '999_unknown.txt'}" in err


@pytest.mark.parametrize("target", ["ref-file", "src", "hyp-dir", "line-ref", "glossary"])
def test_report_never_overwrites_an_input(
    apertium_dir: Path, line_files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    # copies of the real inputs: the test must not risk the repository's files
    ref, src, hyp, glossary = tmp_path / "ref", tmp_path / "fr", tmp_path / "en", tmp_path / "glossary"
    shutil.copytree(CORPUS_REF, ref)
    shutil.copytree(CORPUS_FR, src)
    shutil.copytree(apertium_dir, hyp)
    shutil.copytree(GLOSSARY_DIR, glossary)
    line_hyp, line_ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    shutil.copy(line_files["hyp"], line_hyp)
    shutil.copy(line_files["ref"], line_ref)
    dossier = ["--hyp", str(hyp), "--src", str(src), "--ref", str(ref), "-g", str(glossary), "-m", "bleu"]
    output, argv, message = {
        "ref-file": (ref / "000_7c2f12bc5fc2e4f7.json", dossier, "would write inside the references"),
        "src": (src / DOCS[0], dossier, "would write inside the source"),
        "hyp-dir": (hyp / "score.json", dossier, "would write inside the translation"),
        "line-ref": (line_ref, ["--hyp", str(line_hyp), "--ref", str(line_ref)], "would overwrite the references"),
        "glossary": (glossary / "people.kpg", dossier, "would write inside the glossary"),
    }[target]
    before = output.read_bytes() if output.is_file() else None
    code, err = run_main(["score", *argv, "--format", "json", "-o", str(output)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"kp-translate: error: {output}: {message} (")
    assert (output.read_bytes() if output.is_file() else None) == before


def test_whole_dossier_layout_is_what_translate_writes(apertium_dir: Path) -> None:
    # paragraph i of the translation is paragraph i of the French file (the pairing score relies on)
    for doc in DOCS:
        assert len(read_document(apertium_dir / doc).paragraphs) == len(read_document(CORPUS_FR / doc).paragraphs)
    assert {p.name for p in DOSSIER_FILES} >= set(DOCS)
