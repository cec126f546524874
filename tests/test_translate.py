"""End to end: ``kp-translate translate`` with Apertium over the real dossier and the real
glossary; the JSON report; --no-enforce; the segment cache and resuming; stdin/stdout; layout;
error paths."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import regex
from click.testing import CliRunner

from kp_translate.cache import SegmentCache, segment_key
from kp_translate.cli import cli, main
from kp_translate.engines.apertium import ApertiumEngine
from kp_translate.engines.base import Hypothesis
from kp_translate.glossary import Glossary
from kp_translate.lang import get as get_language
from kp_translate.match import Matcher
from kp_translate.segment import read_document, split_document
from kp_translate.session import MAX_SEGMENT_CHARS, split_long
from kp_translate.translate import translate, translate_text

from conftest import CORPUS_FR, DOSSIER_FILES, GLOSSARY_DIR

CANONICAL = [
    "Kim Jong Un",
    "Yuri Ushakov",
    "DPRK",
    "NATO",
    "North Korean",
    "Vostochny Cosmodrome",
    "KCNA",
    "Hwasong-11",
]


@dataclass
class Run:
    out: Path
    report: dict[str, Any]
    stderr: str

    def text(self, name: str) -> str:
        return (self.out / name).read_text(encoding="utf-8")

    def all_text(self) -> str:
        return "\n\n".join(self.text(f.name) for f in DOSSIER_FILES)


def _cli_run(tmp: Path, *extra: str) -> Run:
    out = tmp / "en"
    report = tmp / "report.json"
    result = CliRunner().invoke(
        cli,
        ["translate", str(CORPUS_FR), "-o", str(out), "--engine", "apertium", "--report", str(report),
         "--cache-dir", str(tmp / "cache"), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return Run(out, json.loads(report.read_text(encoding="utf-8")), result.stderr)


@pytest.fixture(scope="module")
def enforced(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _cli_run(tmp_path_factory.mktemp("enforced"))


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _cli_run(tmp_path_factory.mktemp("raw"), "--no-enforce")


# ------------------------------------------------------------------------------------------
# The dossier, enforced


def test_every_dossier_file_is_written_under_its_own_name(enforced: Run) -> None:
    assert sorted(p.name for p in enforced.out.iterdir()) == [f.name for f in DOSSIER_FILES]


def test_named_terms_appear_in_canonical_form(enforced: Run) -> None:
    text = enforced.all_text()
    for target in CANONICAL:
        assert target in text, target
    assert "Kim Jong Un" in enforced.text("001_f667be46968b6bc2.txt")  # "Kim Jong-un" in the source
    assert "Yuri Ushakov" in enforced.text("003_e2dc28380de3b692.txt")
    assert "the Vostochny Cosmodrome" in enforced.text("002_5a8893db02065184.txt")
    assert "general secretary of NATO" in enforced.text("000_7c2f12bc5fc2e4f7.txt")  # "de l'Otan"


def test_no_forbidden_rendering_anywhere(enforced: Run, real_glossary: Glossary) -> None:
    forbidden = Matcher.for_forbidden(real_glossary)
    targets = Matcher.for_targets(real_glossary)
    for f in DOSSIER_FILES:
        text = enforced.text(f.name)
        spans = [(t.start, t.end) for t in targets.find(text)]
        for m in forbidden.find(text):
            # the only tolerated hit is one that cuts a canonical target in two
            # ("sanctions of the UN" in "sanctions of the UN Security Council")
            cut = [(s, e) for s, e in spans if s < m.end and m.start < e and not (m.start <= s and e <= m.end)]
            assert cut, (
                f"{f.name}: forbidden rendering {m.form!r} for {m.entry.id}: {text[m.start - 40 : m.end + 40]!r}"
            )
    for leftover in ("norcoreano", "Jong-one", "Iouri", "Ouchakov", "RPDC", "Otan", "OTAN"):
        assert leftover not in enforced.all_text(), leftover


def test_paragraph_counts_equal_and_layout_kept(enforced: Run) -> None:
    for f in DOSSIER_FILES:
        source = read_document(f)
        output = split_document(enforced.text(f.name), f.name)
        assert len(output.paragraphs) == len(source.paragraphs), f.name
        assert output.separators == source.separators, f.name
    assert enforced.text("002_5a8893db02065184.txt").startswith(" date 2023-09 After ")


def test_english_headline_is_kept_verbatim(enforced: Run) -> None:
    source = read_document(CORPUS_FR / "003_e2dc28380de3b692.txt")
    output = split_document(enforced.text("003_e2dc28380de3b692.txt"))
    assert output.paragraphs[0].text == source.paragraphs[0].text
    assert output.paragraphs[1].text != source.paragraphs[1].text  # its French translation is translated


def test_english_typography(enforced: Run) -> None:
    text = enforced.all_text()
    assert "«" not in text and "»" not in text
    assert "“" in text
    assert "11,000 containers" in enforced.text("004_46b32e6b4071c38d.txt")
    assert "30.8 million" in enforced.text("003_e2dc28380de3b692.txt")
    assert "54%" in enforced.text("003_e2dc28380de3b692.txt")
    assert not regex.search(r"\p{N},\p{N}{1,2}\b", text)  # no decimal comma left
    assert not regex.search(r"\S [;:!?](?:\s|$)", text)  # no French space before punctuation
    assert not regex.search(r"(?<![\p{L}\p{N}])[*#@]\p{L}", text)  # no Apertium mark


def test_report_format(enforced: Run, real_glossary: Glossary) -> None:
    r = enforced.report
    assert r["engine"] == "apertium" and r["model_id"].startswith("apertium-")
    assert r["glossary_version"] == real_glossary.view("fr").version and r["pair"] == "fr-en"
    assert r["enforce"] is True
    assert [f["file"] for f in r["files"]] == [f.name for f in DOSSIER_FILES]
    for f in r["files"]:
        t = f["terms"]
        assert t["expected"] == t["enforced"] + t["failed"]
        assert t["failed"] == len(f["failures"])
        assert f["paragraphs"] == len(read_document(CORPUS_FR / f["file"]).paragraphs)
        assert sum(e["expected"] for e in f["entries"].values()) == t["expected"]
        assert sum(e["enforced"] for e in f["entries"].values()) == t["enforced"]
        for failure in f["failures"]:
            assert set(failure) >= {"paragraph", "entry", "target", "source", "reason"}
    assert r["terms"]["expected"] == sum(f["terms"]["expected"] for f in r["files"])
    # the matcher finds the same number of expected terms in the source
    matcher = Matcher(real_glossary)
    expected = 0
    for path in DOSSIER_FILES:
        for para in read_document(path).paragraphs:
            expected += len(matcher.find(para.text))
    assert r["terms"]["expected"] == expected
    # the leftovers Apertium could not translate are evidence in the report
    unknown = r["files"][0]["unknown_words"]
    assert "autocraties" in unknown  # French word Apertium does not know, left as is
    assert all(not w.startswith("Kpx") for f in r["files"] for w in f["unknown_words"])
    assert r["terms"]["success"] >= 0.95
    assert "terms enforced" in enforced.stderr


def test_enforcement_beats_no_enforce(enforced: Run, raw: Run) -> None:
    e, n = enforced.report["terms"], raw.report["terms"]
    assert raw.report["enforce"] is False
    assert e["expected"] == n["expected"]
    assert e["enforced"] > n["enforced"] + 100
    assert e["success"] > n["success"]
    reasons = {f["reason"] for file in raw.report["files"] for f in file["failures"]}
    assert "forbidden rendering 'Kim Jong-one' remains" in reasons
    assert "forbidden rendering 'Iouri Ouchakov' remains" in reasons
    assert "Kim Jong-one" in raw.all_text() and "norcoreano" in raw.all_text()
    for f in DOSSIER_FILES:  # the layout holds without enforcement too
        assert len(split_document(raw.text(f.name)).paragraphs) == len(read_document(f).paragraphs)
    print(f"\nterm success: enforced {e['enforced']}/{e['expected']}, --no-enforce {n['enforced']}/{n['expected']}")


def test_offline(tmp_path: Path, no_network: None) -> None:
    run = _cli_run(tmp_path)
    assert run.report["terms"]["success"] >= 0.95
    assert "Kim Jong Un" in run.all_text()


# ------------------------------------------------------------------------------------------
# The cache and resuming


def test_second_run_is_served_from_the_cache(tmp_path: Path, real_glossary: Glossary) -> None:
    cache = tmp_path / "cache"
    first = translate([CORPUS_FR], tmp_path / "a", engine="apertium", glossary=real_glossary, cache_dir=cache)
    second = translate([CORPUS_FR], tmp_path / "b", engine="apertium", glossary=real_glossary, cache_dir=cache)
    assert first.cache_hits == 0 and first.cache_misses > 100
    assert second.cache_misses == 0 and second.cache_hits == first.cache_misses
    for f in DOSSIER_FILES:
        assert (tmp_path / "a" / f.name).read_text(encoding="utf-8") == (tmp_path / "b" / f.name).read_text(
            encoding="utf-8"
        )
    off = translate(
        [CORPUS_FR], tmp_path / "c", engine="apertium", glossary=real_glossary, cache_dir=cache, use_cache=False
    )
    assert off.cache_hits == 0


def test_a_committed_result_survives_kill_9_without_a_sync_per_commit(tmp_path: Path) -> None:
    """The cache commits to SQLite's write-ahead log (no disk sync per commit): a process killed
    right after a commit leaves the row to the next run."""
    code = (
        "import sys, time\n"
        "from kp_translate.cache import SegmentCache\n"
        "from kp_translate.engines.base import Hypothesis\n"
        "cache = SegmentCache(sys.argv[1])\n"
        "cache.put_many([('k1', [Hypothesis('The DPRK.')], 'c1')])\n"
        "print(cache._db.execute('PRAGMA journal_mode').fetchone()[0],"
        " cache._db.execute('PRAGMA synchronous').fetchone()[0], flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().split() == ["wal", "1"]  # 1: NORMAL
    finally:
        proc.kill()
        proc.wait()
    with SegmentCache(tmp_path) as cache:
        assert cache.get_many({"k1": "c1"}) == {"k1": [Hypothesis("The DPRK.")]}


def test_cache_key_covers_engine_model_glossary_and_text() -> None:
    base = {"engine": "apertium", "model_id": "m1", "glossary_version": "g1", "enforce": True, "text": "Kpxa a dit."}
    key = segment_key(**base)  # type: ignore[arg-type]
    for field, other in [("engine", "argos"), ("model_id", "m2"), ("glossary_version", "g2"), ("text", "Kpxb")]:
        assert segment_key(**{**base, field: other}) != key  # type: ignore[arg-type]
    assert segment_key(**base, n_best=4) != key  # type: ignore[arg-type]
    assert segment_key(**base) == key  # type: ignore[arg-type]


def test_interrupted_run_leaves_no_partial_file_and_resumes(tmp_path: Path, real_glossary: Glossary) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "out"
    calls: list[tuple[int, int]] = []

    def ctrl_c_after_two_batches(done: int, total: int) -> None:
        calls.append((done, total))
        if done == 40:  # the warm pipelines return segments one by one (batch_size=1)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        translate(
            [CORPUS_FR],
            out,
            engine="apertium",
            glossary=real_glossary,
            cache_dir=cache,
            engine_options={"batch_size": 1},
            on_progress=ctrl_c_after_two_batches,
        )
    assert calls[-1][0] == 40
    # 000 and 001 (17 + 16 paragraphs) are complete and written; nothing else, no temporary file
    written = sorted(p.name for p in out.iterdir())
    assert written == ["000_7c2f12bc5fc2e4f7.txt", "001_f667be46968b6bc2.txt"]
    with SegmentCache(cache) as c:
        assert len(c) == 40

    resumed = translate([CORPUS_FR], out, engine="apertium", glossary=real_glossary, cache_dir=cache)
    assert resumed.cache_hits == 40
    clean = translate([CORPUS_FR], tmp_path / "clean", engine="apertium", glossary=real_glossary, use_cache=False)
    assert resumed.cache_hits + resumed.cache_misses == clean.cache_misses
    for f in DOSSIER_FILES:
        assert (out / f.name).read_text(encoding="utf-8") == (tmp_path / "clean" / f.name).read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [f.name for f in DOSSIER_FILES]


def test_a_short_run_interrupted_after_its_first_results_resumes_from_them(
    tmp_path: Path, real_glossary: Glossary, enforced: Run
) -> None:
    """With the default settings, the dossier (121 paragraphs to translate) comes back from the
    warm pipelines as it is translated, and each result is committed at once: Ctrl-C at the first
    progress report leaves what had come back cached (and no more), and the run resumes from it."""
    cache = tmp_path / "cache"
    out = tmp_path / "out"
    calls: list[tuple[int, int]] = []

    def ctrl_c_after_the_first_results(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        translate(
            [CORPUS_FR], out, engine="apertium", glossary=real_glossary, cache_dir=cache,
            on_progress=ctrl_c_after_the_first_results,
        )  # fmt: skip
    assert calls[0] == (0, 121)
    first = calls[1][0]
    assert 1 <= first < 121
    with SegmentCache(cache) as c:
        assert len(c) == first
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert written == [f.name for f in DOSSIER_FILES[: len(written)]]  # the files complete so far

    resumed = translate([CORPUS_FR], out, engine="apertium", glossary=real_glossary, cache_dir=cache)
    assert (resumed.cache_hits, resumed.cache_misses) == (first, 121 - first)
    for f in DOSSIER_FILES:  # the same as an uninterrupted run
        assert (out / f.name).read_text(encoding="utf-8") == enforced.text(f.name), f.name


# ------------------------------------------------------------------------------------------
# Inputs, outputs, stdin


def test_stdin_to_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["translate", "-", "--engine", "apertium", "-g", str(GLOSSARY_DIR), "--no-cache"],
        input="Le dirigeant nord-coréen Kim Jong-un a reçu Iouri Ouchakov.\n\n« L'Otan a 54 % »\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "The North Korean leader Kim Jong Un has received Yuri Ushakov.\n\n“NATO has 54%”\n"
    assert "4/4 terms enforced" in result.stderr


def test_a_source_word_that_looks_like_a_placeholder_is_left_alone() -> None:
    """Issue 9, item 5: "Kpxa" in the source was overwritten by the target of the RPDC's
    placeholder ("The code DPRK designates the DPRK.", reported as enforced)."""
    result = subprocess.run(
        [sys.executable, "-c", "from kp_translate.cli import main; main()", "translate", "-", "--engine", "apertium",
         "-g", str(GLOSSARY_DIR), "--no-cache"],
        input="Le code Kpxa désigne la RPDC.\n", capture_output=True, text=True, check=False,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src")),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "The code Kpxa designates the DPRK.\n"
    assert "1/1 terms enforced" in result.stderr


def test_sentence_level_engines_get_sentences(tmp_path: Path, real_glossary: Glossary) -> None:
    """The pipeline sends sentences to an engine whose unit is "sentence" (as Argos) and puts the
    paragraphs back together."""
    from kp_translate.engines.apertium import ApertiumEngine

    engine = ApertiumEngine()
    engine.unit = "sentence"
    source = CORPUS_FR / "002_5a8893db02065184.txt"
    report = translate([source], tmp_path, engine=engine, glossary=real_glossary, use_cache=False)
    doc = report.documents[0]
    paragraphs = read_document(source).paragraphs
    assert doc.segments == sum(len(get_language("fr").split_sentences(p.text)) for p in paragraphs) > len(paragraphs)
    assert len(split_document(doc.text).paragraphs) == len(paragraphs)
    assert doc.text.startswith(" date 2023-09 After the ")
    assert doc.success >= 0.95


def test_translate_text_library(real_glossary: Glossary) -> None:
    run = translate_text("Le secrétaire général de l'Otan.", engine="apertium", glossary=real_glossary)
    text, report = run.documents[0].text, run.documents[0]
    assert text == "The general secretary of NATO."
    assert (report.expected, report.enforced, report.failures) == (1, 1, [])


def test_french_ligatures_reach_apertium_spelled_out(real_glossary: Glossary) -> None:
    """Apertium's French dictionary spells out œ: sœur, cœur, manœuvres are unknown words to it
    (raw: ``The **sœur of the leader``); kp-translate gives it soeur, coeur, manoeuvres."""
    text = "La sœur du dirigeant a parlé au cœur des manœuvres."
    doc = translate_text(text, engine="apertium", glossary=real_glossary).documents[0]
    assert "sister" in doc.text and "heart" in doc.text, doc.text
    assert not any(c in doc.text for c in "œŒ") and "sœur" not in doc.unknown_words, doc.unknown_words


def test_files_and_nested_directories_keep_relative_paths(tmp_path: Path, real_glossary: Glossary) -> None:
    src = tmp_path / "src"
    (src / "a" / "b").mkdir(parents=True)
    (src / "a" / "b" / "one.txt").write_text("Kim Jong-un est arrivé.\n", encoding="utf-8")
    (src / "two.txt").write_text("L'Otan a parlé.\n", encoding="utf-8")
    (src / "notes.md").write_text("pas traduit\n", encoding="utf-8")
    (src / ".hidden").mkdir()
    (src / ".hidden" / "x.txt").write_text("caché\n", encoding="utf-8")
    single = tmp_path / "single.txt"
    single.write_text("La RPDC.\n", encoding="utf-8")
    out = tmp_path / "out"
    report = translate([src, single], out, engine="apertium", glossary=real_glossary, use_cache=False)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["a/b/one.txt", "single.txt", "two.txt"]
    assert (out / "a" / "b" / "one.txt").read_text(encoding="utf-8") == "Kim Jong Un is arrived.\n"
    assert (out / "two.txt").read_text(encoding="utf-8") == "NATO has spoken.\n"
    assert (out / "single.txt").read_text(encoding="utf-8") == "The DPRK.\n"
    assert [d.name for d in report.documents] == ["a/b/one.txt", "two.txt", "single.txt"]


def test_outputs_get_the_usual_file_mode(tmp_path: Path, real_glossary: Glossary) -> None:
    umask = os.umask(0o022)
    try:
        translate([DOSSIER_FILES[1]], tmp_path, engine="apertium", glossary=real_glossary, use_cache=False)
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / DOSSIER_FILES[1].name).stat().st_mode) == 0o644


def test_progress_bar_on_multi_file_runs(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["translate", *map(str, DOSSIER_FILES[:2]), "-o", str(tmp_path), "--engine", "apertium", "--no-cache",
         "--progress"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "translating" in result.stderr


# ------------------------------------------------------------------------------------------
# Errors: one line, exit 2


def _error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    return err


def test_error_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _error(["translate", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"), "--no-cache"], capsys)
    assert err == f"kp-translate: error: {tmp_path / 'nope.txt'}: no such file or directory"


def test_error_invalid_utf8_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Premi\xc3\xa8re ligne.\n\nDeuxi\xe8me.\n")
    err = _error(["translate", str(bad), "-o", str(tmp_path / "out"), "--no-cache"], capsys)
    assert err.startswith(f"kp-translate: error: {bad}:3: invalid UTF-8")
    assert not (tmp_path / "out").exists()


def test_error_bad_glossary_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    g = tmp_path / "g.kpg"
    g.write_text("[x]\ntype: person\ntarget: X\nsource: X\nbogus: 1\n", encoding="utf-8")
    argv = ["translate", str(DOSSIER_FILES[0]), "-o", str(tmp_path / "out"), "-g", str(g), "--no-cache"]
    err = _error(argv, capsys)
    assert err.startswith(f"kp-translate: error: {g}:5: unknown field 'bogus'")


def test_error_missing_output_option(capsys: pytest.CaptureFixture[str]) -> None:
    err = _error(["translate", str(DOSSIER_FILES[0])], capsys)
    assert "missing option '-o' / '--output'" in err


def test_error_output_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "file.txt"
    existing.write_text("x", encoding="utf-8")
    err = _error(["translate", str(DOSSIER_FILES[0]), "-o", str(existing), "--no-cache"], capsys)
    assert err == f"kp-translate: error: {existing}: the output must be a directory"


def test_error_output_would_overwrite_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Bonjour.\n", encoding="utf-8")
    err = _error(["translate", str(src), "-o", str(tmp_path), "--no-cache"], capsys)
    assert err == f"kp-translate: error: {src}: the output would overwrite the input"
    assert src.read_text(encoding="utf-8") == "Bonjour.\n"


def test_error_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    err = _error(["translate", str(tmp_path / "empty"), "-o", str(tmp_path / "out"), "--no-cache"], capsys)
    assert err == f"kp-translate: error: {tmp_path / 'empty'}: directory holds no .txt file"


def test_error_invalid_utf8_on_stdin_at_once() -> None:
    """The real command, real stdin: one line naming stdin and the line, exit 2, at once (it used
    to print a thread traceback and wait for Apertium's two-minute timeout)."""
    command = Path(sys.executable).with_name("kp-translate")
    done = subprocess.run(
        [str(command), "translate", "-", "--engine", "apertium", "--no-cache"],
        input=b"Premi\xc3\xa8re ligne.\nLa RPDC \xff a tir\xe9.\n",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode() == "kp-translate: error: -:2: invalid UTF-8 (byte 0xff at offset 25)\n"
    assert done.stdout == b""


def _dossier_copy(tmp_path: Path) -> Path:
    src = tmp_path / "fr"
    src.mkdir()
    for f in DOSSIER_FILES:
        shutil.copy(f, src / f.name)
    return src


def test_error_output_directory_is_or_contains_the_input_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _dossier_copy(tmp_path)
    before = {f.name: f.read_bytes() for f in src.iterdir()}
    err = _error(["translate", str(src), "-o", str(src), "--no-cache"], capsys)
    assert err == f"kp-translate: error: {src}: the output directory is the input directory ({src})"
    err = _error(["translate", str(src), "-o", str(tmp_path), "--no-cache"], capsys)
    assert err == f"kp-translate: error: {tmp_path}: the output directory contains the input directory ({src})"
    assert {f.name: f.read_bytes() for f in src.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fr"]


def test_error_report_would_overwrite_an_input_a_glossary_file_or_an_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checked before anything is translated or written."""
    src = _dossier_copy(tmp_path)
    gloss = tmp_path / "glossary"
    shutil.copytree(GLOSSARY_DIR, gloss)
    kept = {p: p.read_bytes() for p in [*src.iterdir(), *gloss.iterdir()]}
    article = src / DOSSIER_FILES[0].name
    glossary_file = sorted(gloss.glob("*.kpg"))[0]
    out = tmp_path / "out"
    base = ["translate", str(src), "-o", str(out), "-g", str(gloss), "--engine", "apertium", "--no-cache"]

    err = _error([*base, "--report", str(article)], capsys)
    assert err == f"kp-translate: error: {article}: would overwrite an input ({article})"
    err = _error([*base, "--report", str(glossary_file)], capsys)
    assert err == f"kp-translate: error: {glossary_file}: would overwrite a glossary file ({glossary_file})"
    output_doc = out / DOSSIER_FILES[1].name
    err = _error([*base, "--report", str(output_doc)], capsys)
    assert err == f"kp-translate: error: {output_doc}: would overwrite an output document ({output_doc})"
    assert not out.exists()
    assert {p: p.read_bytes() for p in kept} == kept


def test_error_stdin_output_file_would_overwrite_a_glossary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gloss = tmp_path / "glossary"
    shutil.copytree(GLOSSARY_DIR, gloss)
    target = sorted(gloss.glob("*.kpg"))[0]
    kept = target.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("La RPDC a tiré.\n".encode()), encoding="utf-8"))
    err = _error(["translate", "-", "-o", str(target), "-g", str(gloss), "--engine", "apertium", "--no-cache"], capsys)
    assert err == f"kp-translate: error: {target}: would overwrite a glossary file ({target})"
    assert target.read_bytes() == kept


def test_error_unusable_cache_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "cachefile"
    blocker.write_text("not a directory", encoding="utf-8")
    err = _error(
        ["translate", str(DOSSIER_FILES[0]), "-o", str(tmp_path / "out"), "--engine", "apertium", "--cache-dir",
         str(blocker / "sub")],
        capsys,
    )  # fmt: skip
    assert "cannot open the segment cache" in err and "--no-cache" in err


def test_cache_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_glossary: Glossary) -> None:
    monkeypatch.setenv("KP_TRANSLATE_CACHE", str(tmp_path / "envcache"))
    translate([DOSSIER_FILES[1]], tmp_path / "out", engine="apertium", glossary=real_glossary)
    assert (tmp_path / "envcache" / "segments.sqlite3").is_file()
    assert os.listdir(tmp_path / "out") == [DOSSIER_FILES[1].name]


# ------------------------------------------------------------------------------------------
# Over-long paragraphs (issue 9, item 10)


class _RecordingApertium(ApertiumEngine):
    """The real engine, recording the length of every segment it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def translate_chunks(self, segments: Sequence[str]) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        self.sizes.extend(len(s) for s in segments)
        return super().translate_chunks(segments)


def test_an_over_long_paragraph_goes_to_the_engine_in_pieces(real_glossary: Glossary) -> None:
    """A 400 KB paragraph of dossier sentences: the engine gets pieces of at most
    MAX_SEGMENT_CHARS (cut at sentence ends), the translation keeps one paragraph for it, every
    term is enforced, and the run ends in seconds (generous bound: 120 s on a loaded machine;
    bench/bench_long_paragraph.py measures that time grows linearly)."""
    paragraphs = [p.text for f in DOSSIER_FILES for p in read_document(f).paragraphs]
    big = " ".join([" ".join(paragraphs)] * 12)
    assert len(big) > 400_000
    text = f"Premier paragraphe.\n\n{big}\n\nLa RPDC, dernier paragraphe.\n"
    engine = _RecordingApertium()
    started = time.monotonic()
    run = translate_text(text, engine=engine, glossary=real_glossary)
    out, report = run.documents[0].text, run.documents[0]
    elapsed = time.monotonic() - started
    assert len(split_document(out).paragraphs) == 3 == len(split_document(text).paragraphs)
    assert max(engine.sizes) <= MAX_SEGMENT_CHARS < len(big)
    assert sum(engine.sizes) > len(big) // 12  # each distinct piece once (the text repeats 12 times)
    assert report.expected > 7000 and report.failed == 0
    assert out.endswith("\n\nThe DPRK, last paragraph.\n")
    assert elapsed < 120


def test_split_long_cuts_at_sentences_then_clauses_then_words() -> None:
    text = "Une phrase courte. " + "Un membre, " * 30 + "la fin. " + "mot " * 40 + "fin."
    pieces = split_long(text, get_language("fr"), 60)
    assert pieces is not None and all(e - s <= 60 for s, e in pieces)
    assert " ".join(text[s:e] for s, e in pieces).split() == text.split()  # nothing lost, order kept
    assert text[pieces[0][0] : pieces[0][1]] == "Une phrase courte."  # a sentence end first
    assert text[pieces[1][0] : pieces[1][1]].endswith(",")  # then clause ends
    assert split_long("court " + "x" * 61, get_language("fr"), 60) is None  # a word longer than the limit


def test_error_a_paragraph_that_cannot_be_split_fails_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "blob.txt"
    bad.write_text("Bonjour.\n\nUne image : " + "A" * 300_000 + "\n", encoding="utf-8")
    started = time.monotonic()
    err = _error(["translate", str(bad), "-o", str(tmp_path / "out"), "--engine", "apertium", "--no-cache"], capsys)
    assert err == (
        f"kp-translate: error: {bad}:3: paragraph #1 (300,012 characters) cannot be translated: "
        f"it holds a word of more than {MAX_SEGMENT_CHARS:,} characters"
    )
    assert time.monotonic() - started < 30  # before any engine work
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------
# Issue 9, item 12: the report's place, checked cache rows


def test_error_report_inside_an_input_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A report inside an input directory is refused (the next run would translate a report named
    ``*.txt``); inside the output directory, which input collection skips, it is fine."""
    src = tmp_path / "fr"
    src.mkdir()
    (src / "a.txt").write_text("La RPDC.\n", encoding="utf-8")
    for name in ("report.txt", "sub/report.json"):
        err = _error(["translate", str(src), "-o", str(tmp_path / "out"), "--engine", "apertium", "--no-cache",
                      "--report", str(src / name)], capsys)  # fmt: skip
        assert err.startswith(
            f"kp-translate: error: {src / name}: the report would be written inside the input directory"
        )
        assert not (tmp_path / "out").exists() and not (src / name).exists()
    out = src / "en"  # an output directory inside the input directory, the report inside it
    for _ in range(2):  # and again: the second run translates a.txt only
        result = translate([src], out, engine="apertium", report=out / "report.txt", use_cache=False)
        assert [d.name for d in result.documents] == ["a.txt"]
    assert (out / "a.txt").read_text(encoding="utf-8") == "The DPRK.\n"


def test_a_cache_row_that_does_not_match_its_source_is_a_miss(tmp_path: Path, real_glossary: Glossary) -> None:
    """Each cached value carries the hash of its engine, model and source text: a value copied
    onto another row (or edited, or of an older schema) is re-translated, not served."""
    import sqlite3

    doc = CORPUS_FR / "001_f667be46968b6bc2.txt"
    cache = tmp_path / "cache"
    first = translate([doc], tmp_path / "a", engine="apertium", glossary=real_glossary, cache_dir=cache)
    assert first.cache_hits == 0
    db = sqlite3.connect(cache / "segments.sqlite3")
    rows = db.execute("SELECT key, value FROM segments ORDER BY key").fetchall()
    assert len(rows) >= 3
    # row 0 gets row 1's value; row 2 gets a value without its check (the old schema's layout)
    db.execute("UPDATE segments SET value = ? WHERE key = ?", (rows[1][1], rows[0][0]))
    old_layout = json.dumps(json.loads(rows[2][1])["hyps"])
    db.execute("UPDATE segments SET value = ? WHERE key = ?", (old_layout, rows[2][0]))
    db.commit()
    db.close()
    again = translate([doc], tmp_path / "b", engine="apertium", glossary=real_glossary, cache_dir=cache)
    assert (again.cache_hits, again.cache_misses) == (len(rows) - 2, 2)
    assert (tmp_path / "b" / doc.name).read_bytes() == (tmp_path / "a" / doc.name).read_bytes()
    third = translate([doc], tmp_path / "c", engine="apertium", glossary=real_glossary, cache_dir=cache)
    assert (third.cache_hits, third.cache_misses) == (len(rows), 0)  # the rows were rewritten


@pytest.mark.parametrize("module", ["kp_translate", "kp_translate.cli"])
def test_python_dash_m_runs_the_command_line(module: str) -> None:
    """``python -m kp_translate`` (and ``-m kp_translate.cli``) is the same command as ``kp-translate``."""
    run = subprocess.run(
        [sys.executable, "-m", module, "translate", "-", "--engine", "apertium", "--no-cache"],
        input="Iouri Ouchakov a parlé.\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "Yuri Ushakov has spoken.\n"
    assert "1/1 terms enforced" in run.stderr
