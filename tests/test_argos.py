"""The Argos engine and `kp-translate models`, on a real (tiny, random-weight) Argos package.

The session fixture builds the package offline (SentencePiece trained on the dossier, seeded random
Transformer weights, int8), every test installs it from the local .argosmodel into a temporary
Argos directory (HOME/XDG_* point into tmp_path: the user's real directories are never touched),
and the decoding tests run with sockets blocked.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kp_translate.argos_build import TINY, BuiltPackage, build_package
from kp_translate.cli import cli, main
from kp_translate.engines import argos, get_engine
from kp_translate.engines.argos import ArgosEngine, ArgosPaths, PackageInfo
from kp_translate.errors import EngineError
from kp_translate.lang import get as get_language
from kp_translate.segment import read_document

from conftest import DOSSIER_FILES, GLOSSARY_DIR, ROOT

split_sentences = get_language("fr").split_sentences

PLACEHOLDER_PIECES = ["▁K", "p", "x", "a"]


def dossier_sentences(index: int = 0) -> list[str]:
    doc = read_document(DOSSIER_FILES[index])
    return [p.text[a:b] for p in doc.paragraphs for a, b in split_sentences(p.text)]


@pytest.fixture(scope="session")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> BuiltPackage:
    texts = [p.read_text(encoding="utf-8") for p in DOSSIER_FILES]
    return build_package(tmp_path_factory.mktemp("argos-build"), texts, TINY)


@pytest.fixture
def argos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ArgosPaths:
    home = tmp_path / "home"
    for var in ("ARGOS_PACKAGES_DIR", "ARGOS_PACKAGE_INDEX", "SNAP", "ARGOS_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    paths = argos.argos_paths()
    assert paths.packages_dir == home / "data" / "argos-translate" / "packages"
    return paths


@pytest.fixture
def installed(argos_home: ArgosPaths, tiny_package: BuiltPackage) -> PackageInfo:
    result = CliRunner().invoke(cli, ["models", "install", "--file", str(tiny_package.archive)])
    assert result.exit_code == 0, result.output
    return argos.find_package()


@pytest.fixture
def engine(installed: PackageInfo) -> ArgosEngine:
    return ArgosEngine(max_decoding_length=32)


# --- the package ------------------------------------------------------------------------------


def test_built_package_has_the_argos_layout(tiny_package: BuiltPackage) -> None:
    with zipfile.ZipFile(tiny_package.archive) as zf:
        names = set(zf.namelist())
        top = tiny_package.name
        for required in ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json"):
            assert f"{top}/{required}" in names
        assert {n.split("/")[0] for n in names} == {top}
        metadata = json.loads(zf.read(f"{top}/metadata.json"))
    assert metadata["from_code"] == "fr" and metadata["to_code"] == "en"
    assert metadata["type"] == "translate" and metadata["argos_version"]
    assert metadata["package_version"] == tiny_package.metadata["package_version"]
    assert metadata["kp_random_weights"]["quantization"] == "int8"


def test_build_is_reproducible_and_seeded(tmp_path: Path, tiny_package: BuiltPackage) -> None:
    texts = [p.read_text(encoding="utf-8") for p in DOSSIER_FILES]
    again = build_package(tmp_path / "a", texts, TINY)
    assert again.archive.read_bytes() == tiny_package.archive.read_bytes()
    other = build_package(tmp_path / "b", texts, replace(TINY, seed=1))
    assert other.name != tiny_package.name
    with zipfile.ZipFile(other.archive) as a, zipfile.ZipFile(tiny_package.archive) as b:
        assert a.read(f"{other.name}/model/model.bin") != b.read(f"{tiny_package.name}/model/model.bin")
        # same text, same tokenizer: only the weights depend on the seed
        assert a.read(f"{other.name}/sentencepiece.model") == b.read(f"{tiny_package.name}/sentencepiece.model")


def test_argostranslate_reads_the_installed_package(installed: PackageInfo) -> None:
    package_api = argos._argos_package_api()
    packages = package_api.get_installed_packages()
    assert [p.package_path for p in packages] == [installed.path]
    (pkg,) = packages
    assert (pkg.from_code, pkg.to_code, pkg.type) == ("fr", "en", "translate")
    assert type(pkg.tokenizer).__name__ == "SentencePieceTokenizer"
    assert pkg.tokenizer.encode("Kpxa") == PLACEHOLDER_PIECES


# --- kp-translate models ----------------------------------------------------------------------


def test_models_install_list_remove(argos_home: ArgosPaths, tiny_package: BuiltPackage) -> None:
    runner = CliRunner()
    empty = runner.invoke(cli, ["models", "list"])
    assert empty.exit_code == 0
    assert "(none)" in empty.output and "No usable fr→en package" in empty.output
    assert "No cached package index" in empty.output
    assert not argos.available()

    done = runner.invoke(cli, ["models", "install", "--file", str(tiny_package.archive)])
    assert done.exit_code == 0, done.output
    target = argos_home.packages_dir / tiny_package.name
    assert f"installed translate-fr_en {tiny_package.metadata['package_version']}" in done.output
    assert (target / "model" / "model.bin").is_file() and (target / "metadata.json").is_file()
    assert argos.available()
    # nothing left beside the package directory by the staged install
    assert sorted(p.name for p in argos_home.packages_dir.parent.iterdir()) == ["packages"]

    listing = runner.invoke(cli, ["models", "list"])
    assert f" *{tiny_package.name}  translate-fr_en" in listing.output
    as_json = json.loads(runner.invoke(cli, ["models", "list", "--json"]).output)
    assert as_json["packages_dir"] == str(argos_home.packages_dir)
    assert [(p["name"], p["selected"], p["problem"]) for p in as_json["installed"]] == [(tiny_package.name, True, None)]

    # reinstalling replaces the directory in place
    again = runner.invoke(cli, ["models", "install", "--file", str(tiny_package.archive)])
    assert again.exit_code == 0
    assert [p.name for p in argos.installed_packages()] == [tiny_package.name]

    gone = runner.invoke(cli, ["models", "remove", tiny_package.name])
    assert gone.exit_code == 0 and "removed" in gone.output
    assert not target.exists() and not argos.available()


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _bad_archives(tmp: Path, good: BuiltPackage) -> dict[str, tuple[Path, str]]:
    top = good.name
    with zipfile.ZipFile(good.archive) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    meta = f"{top}/metadata.json"
    truncated = tmp / "truncated.argosmodel"
    truncated.write_bytes(good.archive.read_bytes()[: good.archive.stat().st_size // 2])
    flipped = bytearray(good.archive.read_bytes())
    with zipfile.ZipFile(good.archive) as zf:
        info = zf.getinfo(f"{top}/model/model.bin")
    flipped[info.header_offset + 30 + len(info.filename) + 100] ^= 0xFF  # inside model.bin's data
    corrupt = tmp / "corrupt.argosmodel"
    corrupt.write_bytes(bytes(flipped))
    (tmp / "text.argosmodel").write_text("not a zip\n")
    return {
        "missing": (tmp / "nothere.argosmodel", "no such file"),
        "not a zip": (tmp / "text.argosmodel", "not a zip archive"),
        "truncated": (truncated, "zip"),
        "bad CRC": (corrupt, "bad CRC"),
        "no metadata": (_zip(tmp / "nometa.zip", {f"{top}/model/model.bin": b"x"}), "metadata.json"),
        "two tops": (_zip(tmp / "two.zip", {**members, "other/metadata.json": b"{}"}), "one top directory"),
        "zip slip": (_zip(tmp / "slip.zip", {**members, f"{top}/../../evil.txt": b"x"}), "unsafe member path"),
        "bad json": (
            _zip(tmp / "json.zip", {**members, meta: b'{"from_code": "fr",\n  oops}'}),
            "invalid JSON (line 2",
        ),
        "no model": (
            _zip(tmp / "nomodel.zip", {k: v for k, v in members.items() if "model.bin" not in k}),
            "model/model.bin",
        ),
        "no tokenizer": (
            _zip(tmp / "notok.zip", {k: v for k, v in members.items() if "sentencepiece" not in k}),
            "no tokenizer",
        ),
    }


def test_models_install_rejects_bad_archives(
    argos_home: ArgosPaths, tiny_package: BuiltPackage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for case, (path, expected) in _bad_archives(tmp_path, tiny_package).items():
        with pytest.raises(SystemExit) as exc:
            main(["models", "install", "--file", str(path)])
        err = capsys.readouterr().err
        assert exc.value.code == 2, case
        assert err.count("\n") == 1 and "Traceback" not in err, (case, err)
        assert err.startswith(f"kp-translate: error: {path}: "), (case, err)
        assert expected in err, (case, err)
        assert argos.installed_packages() == [], case
    assert not (argos_home.packages_dir.parent.parent / "evil.txt").exists()


def test_models_install_usage_errors(argos_home: ArgosPaths, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["models", "install"], ["models", "install", "fr"], ["models", "install", "fr", "en", "--file", "x"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        assert "Traceback" not in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["models", "remove", "translate-fr_en"])
    assert "no installed Argos package named 'translate-fr_en'" in capsys.readouterr().err


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def local_index(tmp_path: Path, tiny_package: BuiltPackage, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A package index + download served over HTTP from 127.0.0.1 (the 'online' path, no internet)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / tiny_package.archive.name).write_bytes(tiny_package.archive.read_bytes())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Quiet(*a, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    entry = {k: v for k, v in tiny_package.metadata.items() if k != "kp_random_weights"}
    entry["links"] = [url + tiny_package.archive.name]
    de_en = entry | {"from_code": "de", "from_name": "German", "code": "translate-de_en", "links": [url + "none"]}
    (site / "index.json").write_text(json.dumps([entry, de_en]))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url)
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


def test_models_install_from_the_package_index(
    argos_home: ArgosPaths, tiny_package: BuiltPackage, local_index: str
) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["models", "install", "fr", "en"])
    assert result.exit_code == 0, result.output
    assert (argos_home.packages_dir / tiny_package.name / "model" / "model.bin").is_file()
    assert argos_home.local_index.is_file()
    assert list(argos_home.downloads_dir.iterdir()) == []  # the download is deleted after install
    listing = runner.invoke(cli, ["models", "list"]).output
    assert f"Available from the cached package index ({argos_home.local_index})" in listing
    assert (
        f"fr en  translate-fr_en {tiny_package.metadata['package_version']}  French → English  [installed]" in listing
    )
    assert "de en  translate-de_en" in listing

    failed = runner.invoke(cli, ["models", "install", "en", "fr"])
    assert failed.exit_code != 0 and "has no en→fr package" in str(failed.exception)
    broken_link = runner.invoke(cli, ["models", "install", "de", "en"])  # its link answers 404
    assert isinstance(broken_link.exception, EngineError)
    assert "cannot download the de→en Argos package: HTTPError 404: 'File not found'" in str(broken_link.exception)
    assert [p.name for p in argos.installed_packages()] == [tiny_package.name]


def test_models_install_from_index_offline_fails_cleanly(
    argos_home: ArgosPaths, local_index: str, no_network: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["models", "install", "fr", "en"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    error_lines = [line for line in err.splitlines() if line.startswith("kp-translate: error:")]
    assert error_lines == [line for line in err.splitlines() if "error" in line.lower()]
    assert len(error_lines) == 1 and "cannot download the Argos package index" in error_lines[0]
    assert local_index + "index.json" in error_lines[0] and "network access attempted" in error_lines[0]
    assert "Traceback" not in err
    assert argos.installed_packages() == []


# --- decoding -----------------------------------------------------------------------------------


def test_translate_offline_one_batched_call(engine: ArgosEngine, no_network: None) -> None:
    sentences = dossier_sentences(0)
    calls: list[int] = []
    real = engine.translator

    class Spy:
        def translate_batch(self, source: list[list[str]], **kw: Any) -> Any:
            calls.append(len(source))
            return real.translate_batch(source, **kw)

    engine.translator = Spy()  # type: ignore[assignment]
    segments = [*sentences, "", "   "]
    out = engine.translate_batch(segments)
    assert calls == [len(sentences)]  # one decoding call for every sentence; blanks never sent
    assert len(out) == len(segments)
    assert all(len(hyps) == 1 and hyps[0].text for hyps in out[: len(sentences)])
    assert [h.text for hyps in out[len(sentences) :] for h in hyps] == ["", ""]
    assert all(h.score < 0 for hyps in out[: len(sentences)] for h in hyps)


def test_get_engine_picks_argos_and_model_id(installed: PackageInfo) -> None:
    auto = get_engine("auto")
    assert isinstance(auto, ArgosEngine) and auto.unit == "sentence" and auto.supports_n_best
    version = installed.version
    assert auto.model_id.startswith(f"argos:translate-fr_en@{version}:int8")
    exact = get_engine("argos", compute_type="float32", beam_size=2)
    assert isinstance(exact, ArgosEngine)
    assert ":float32:beam2:" in exact.model_id and exact.model_id != auto.model_id
    threaded = ArgosEngine(inter_threads=2, intra_threads=1)
    assert threaded.translator.num_translators == 2


def test_engine_option_errors_are_one_line(installed: PackageInfo) -> None:
    with pytest.raises(EngineError, match=r"compute types on cpu: auto, default, .*int8"):
        ArgosEngine(compute_type="int3")
    with pytest.raises(EngineError, match="beam_size must be an integer ≥ 1"):
        ArgosEngine(beam_size=0)
    with pytest.raises(EngineError, match="no 'nope' Argos package installed"):
        ArgosEngine("nope")


def test_package_given_by_path(installed: PackageInfo, tmp_path: Path) -> None:
    assert ArgosEngine(installed.path).package == installed
    other = tmp_path / "translate-de_en"
    shutil.copytree(installed.path, other)
    meta = json.loads((other / "metadata.json").read_text())
    (other / "metadata.json").write_text(json.dumps(meta | {"from_code": "de"}))
    with pytest.raises(EngineError, match="translates de→en, not fr→en"):
        ArgosEngine(other)


def test_no_package_installed(argos_home: ArgosPaths) -> None:
    assert not argos.available()
    with pytest.raises(EngineError, match="no fr→en Argos package installed"):
        get_engine("argos")


def test_n_best_is_honoured(engine: ArgosEngine, no_network: None) -> None:
    sentences = dossier_sentences(1)[:8]
    one = engine.translate_batch(sentences, n_best=1)
    four = engine.translate_pieces(sentences, n_best=4)
    texts = engine.translate_batch(sentences, n_best=4)
    for best, pieces, hyps in zip(one, four, texts, strict=True):
        assert len(pieces) == 4  # CTranslate2 returned four hypotheses
        scores = [s for _, s in pieces]
        assert scores == sorted(scores, reverse=True)
        assert 2 <= len(hyps) <= 4  # distinct texts only, best first
        assert len({h.text for h in hyps}) == len(hyps)
        assert hyps[0].text == best[0].text  # same beam (4): same best hypothesis
    wide = engine.translate_pieces(sentences[:2], n_best=6)  # beam widens to n_best
    assert [len(h) for h in wide] == [6, 6]


def test_deterministic(installed: PackageInfo, no_network: None) -> None:
    sentences = dossier_sentences(2)[:10]
    first = ArgosEngine(max_decoding_length=24).translate_batch(sentences, n_best=2)
    second = ArgosEngine(max_decoding_length=24).translate_batch(sentences, n_best=2)
    assert [[h.text for h in hyps] for hyps in first] == [[h.text for h in hyps] for hyps in second]


def _contains(tokens: list[str], seq: list[str]) -> bool:
    return any(tokens[i : i + len(seq)] == seq for i in range(len(tokens) - len(seq) + 1))


def test_suppress_sequences(engine: ArgosEngine, no_network: None) -> None:
    sentences = dossier_sentences(0)
    before = engine.translate_pieces(sentences, n_best=2)
    counts = Counter(t for hyps in before for tokens, _ in hyps for t in tokens if t.startswith("▁") and len(t) > 2)
    piece, emitted = counts.most_common(1)[0]
    word = piece[1:]
    assert emitted >= 5  # the random model does emit this word
    sequences = engine.suppress_sequences([word])
    assert [piece] in sequences
    assert engine.vocabulary is not None and (word not in engine.vocabulary or [word] in sequences)  # glued form
    assert word.capitalize() in {engine.tokenizer.decode(seq).strip() for seq in sequences}
    after = engine.translate_pieces(sentences, n_best=2, suppress=[word])
    assert not any(_contains(tokens, seq) for hyps in after for tokens, _ in hyps for seq in sequences)
    assert after != before
    texts = engine.translate_batch(sentences, suppress=[word])
    assert all(word not in hyps[0].text.split() for hyps in texts)
    # a multi-token rendering: every segmentation is blocked as a sequence
    pair = "Kim Jong"
    multi = engine.suppress_sequences([pair])
    assert ["▁Kim", "▁Jong"] in multi and all(len(s) >= 2 for s in multi)


# --- placeholders and SentencePiece -------------------------------------------------------------


def test_what_survives_sentencepiece(engine: ArgosEngine) -> None:
    tok = engine.tokenizer
    assert isinstance(tok, argos._SentencePieceTokenizer)
    sp = tok.sp
    # enforce.py's placeholders and the mangled forms its restorer reads back: ordinary pieces,
    # no <unk>, exact round trip
    survives = ["Kpxa", "le Kpxa et Kpxb.", "l'Kpxa", "(Kpxa),", "Kpxa's", "Kpxza", "kpxa", "KPXA", "Kp xa", "K pxa"]
    for text in survives:
        ids = sp.encode(text)
        assert sp.unk_id() not in ids, text
        assert sp.decode(ids) == text, text
        assert tok.decode(tok.encode(text)) == text, text
        assert tok.unknown_words(text) == []
    # a placeholder is four pieces; placeholders differ in their last piece only
    assert tok.encode("Kpxa") == PLACEHOLDER_PIECES
    assert tok.encode("Kpxb")[:-1] == PLACEHOLDER_PIECES[:-1]
    # what SentencePiece changes: NFKC normalisation and white space
    assert sp.decode(sp.encode("Ｋｐｘａ")) == "Kpxa"  # full-width letters become ASCII
    assert sp.decode(sp.encode("Kpxa\u00a0Kpxb")) == "Kpxa Kpxb"  # no-break space becomes a space
    assert sp.decode(sp.encode("  Kp  xa ")) == "Kp xa"  # runs of spaces collapse, ends are trimmed
    # characters the model never saw are <unk>: the model cannot see them, and decoding the ids loses them
    ids = sp.encode("Kpx⟦a⟧")
    assert ids.count(sp.unk_id()) == 2
    assert sp.decode(ids) == "Kpx ⁇ a ⁇ "
    assert tok.unknown_words("le Kpx⟦a⟧ arrive") == ["Kpx⟦a⟧"]


def test_placeholders_through_the_random_model(engine: ArgosEngine, no_network: None) -> None:
    segments = ["Kpxa a rencontré Kpxb à Kpxc.", "Le dirigeant de Kpxa Kpxb est arrivé.", "l'Kpx⟦a⟧ arrive"]
    out = engine.translate_batch(segments, n_best=4)
    assert all(1 <= len(hyps) <= 4 for hyps in out)
    assert out[0][0].unknown == [] and out[2][0].unknown == ["l'Kpx⟦a⟧"]


def test_same_output_as_argostranslate(
    installed: PackageInfo, no_network: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """argostranslate's own translate() on the same package, sentence splitter swapped for ours and
    the same batch size (32 tokens): identical output, so this engine keeps Argos' conventions."""
    argos._argos_package_api()  # argostranslate's settings → the temporary package directory
    import argostranslate.translate as at

    class OfflineSentencizer:
        def __init__(self, pkg: Any) -> None:
            pass

        def split_sentences(self, text: str) -> list[str]:
            return [text[a:b] for a, b in split_sentences(text)]

    class Capped:
        def __init__(self, translator: Any) -> None:
            self.translator = translator

        def translate_batch(self, *a: Any, **kw: Any) -> Any:
            return self.translator.translate_batch(*a, max_decoding_length=40, **kw)

    for name in ("MiniSBDSentencizer", "StanzaSentencizer"):
        monkeypatch.setattr(at, name, OfflineSentencizer)
    monkeypatch.setattr(at, "installed_translates", [])
    at.get_installed_languages.cache_clear()
    translation = at.get_translation_from_codes("fr", "en")
    assert isinstance(translation.underlying.sentencizer, OfflineSentencizer)
    translation.translate("Bonjour.")  # argostranslate loads the model its own way
    translation.underlying.translator = Capped(translation.underlying.translator)
    ours = ArgosEngine(max_batch_tokens=32, max_decoding_length=40)
    paragraphs = [p.text for p in read_document(DOSSIER_FILES[1]).paragraphs]
    try:
        for paragraph in paragraphs:
            theirs = translation.translate(paragraph)
            sentences = [paragraph[a:b] for a, b in split_sentences(paragraph)]
            pieces = [t for hyps in ours.translate_pieces(sentences) for t in hyps[0][0]]
            assert ours.tokenizer.decode(pieces).strip() == theirs
    finally:
        at.get_installed_languages.cache_clear()


# --- the translation pipeline -----------------------------------------------------------------


def test_cli_translate_with_argos_reports_lost_placeholders(
    installed: PackageInfo, tmp_path: Path, no_network: None
) -> None:
    source = DOSSIER_FILES[0]
    out, report, cache = tmp_path / "out", tmp_path / "report.json", tmp_path / "cache"
    argv = ["translate", str(source), "-o", str(out), "--engine", "argos", "-g", str(GLOSSARY_DIR)]
    argv += ["--report", str(report), "--cache-dir", str(cache)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    n_paragraphs = len(read_document(source).paragraphs)
    translated = read_document(out / source.name)
    assert len(translated.paragraphs) == n_paragraphs
    data = json.loads(report.read_text())
    assert data["engine"] == "argos" and data["model_id"] == ArgosEngine().model_id
    (doc,) = data["files"]
    assert doc["paragraphs"] == n_paragraphs
    assert doc["segments"] == sum(len(split_sentences(p.text)) for p in read_document(source).paragraphs)
    terms = data["terms"]
    assert terms["expected"] > 20
    # the random model does not carry placeholders: the report lists every failure
    assert terms["failed"] == len(doc["failures"]) > 0
    assert terms["expected"] == terms["enforced"] + terms["failed"]
    assert {f["reason"] for f in doc["failures"]} >= {"placeholder lost"}
    assert all(f["paragraph"].startswith(source.name + "#") and "sentence" in f for f in doc["failures"])
    assert f"{terms['failed']} failed" in result.output
    # the segment cache is keyed by the model id: a second run decodes nothing
    again = CliRunner().invoke(cli, argv)
    assert again.exit_code == 0
    assert json.loads(report.read_text())["cache"]["misses"] == 0
    assert read_document(out / source.name).text == translated.text


# --- import hygiene ---------------------------------------------------------------------------


def test_argos_paths_and_heavy_imports(installed: PackageInfo, argos_home: ArgosPaths) -> None:
    """available(), get_engine('argos'), translating and `models list` import neither torch nor
    argostranslate.translate (stanza, spacy); `--help` does not even import argostranslate."""
    code = """
import sys
from kp_translate.engines import argos, get_engine
heavy = ("torch", "stanza", "spacy", "minisbd", "argostranslate.translate")
assert argos.available()
assert not [m for m in ("argostranslate", "ctranslate2", *heavy) if m in sys.modules]
engine = get_engine("argos", max_decoding_length=8)
engine.translate_batch(["Bonjour à tous."], n_best=2, suppress=["the"])
from kp_translate.cli import main
main(["models", "list"])
print("LOADED", [m for m in heavy if m in sys.modules])
"""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout and installed.name in done.stdout
    helped = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from kp_translate.cli import main\ntry: main(['--help'])\n"
            "except SystemExit: pass\nprint('ARGOS', 'argostranslate' in sys.modules)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "ARGOS False" in helped.stdout and "models" in helped.stdout


def test_argos_paths_follow_argostranslate_settings(argos_home: ArgosPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = argos_home.config_dir / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": "/srv/argos", "ARGOS_PACKAGE_INDEX": "http://mirror/"}))
    paths = argos.argos_paths()
    assert paths.packages_dir == Path("/srv/argos") and paths.index_url == "http://mirror/index.json"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_home.data_dir / "elsewhere"))
    assert argos.argos_paths().packages_dir == argos_home.data_dir / "elsewhere"  # environment wins
    assert argos_home.downloads_dir == argos_home.cache_dir / "downloads"


def test_hypotheses_with_the_same_text_are_merged(engine: ArgosEngine, no_network: None) -> None:
    """Two segmentations of one text (▁rem vs ▁re + m) are one hypothesis; the better score wins."""
    real = engine.translator
    sp = engine.tokenizer.sp  # type: ignore[union-attr]

    class Resegmented:
        def __init__(self, result: Any) -> None:
            best = list(result.hypotheses[0])
            others = [list(p) for p in sp.nbest_encode_as_pieces(sp.decode_pieces(best), 4) if list(p) != best]
            alternative = others[0]  # another segmentation of the very same text
            self.hypotheses = [best, alternative, *result.hypotheses[1:]]
            self.scores = [result.scores[0], result.scores[0] - 0.5, *result.scores[1:]]

    class Translator:
        def translate_batch(self, source: list[list[str]], **kw: Any) -> Any:
            return [Resegmented(r) for r in real.translate_batch(source, **kw)]

    sentences = dossier_sentences(3)[:5]
    expected = engine.translate_batch(sentences, n_best=3)
    engine.translator = Translator()  # type: ignore[assignment]
    merged = engine.translate_batch(sentences, n_best=3)
    assert [[(h.text, h.score) for h in hyps] for hyps in merged] == [
        [(h.text, h.score) for h in hyps] for hyps in expected
    ]


def test_engine_defaults_follow_argostranslate_settings(
    installed: PackageInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "2")
    monkeypatch.setenv("ARGOS_COMPUTE_TYPE", "float32")
    monkeypatch.setenv("ARGOS_INTER_THREADS", "2")
    from_env = ArgosEngine()
    assert ":float32:beam2:" in from_env.model_id and from_env.translator.num_translators == 2
    assert ":int8_float32:beam3:" in ArgosEngine(beam_size=3, compute_type="int8").model_id  # options win
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "wide")
    with pytest.raises(EngineError, match="ARGOS_BEAM_SIZE must be an integer"):
        ArgosEngine()


def test_model_id_changes_when_the_weights_do(
    installed: PackageInfo, tiny_package: BuiltPackage, tmp_path: Path
) -> None:
    before = ArgosEngine().model_id
    texts = [p.read_text(encoding="utf-8") for p in DOSSIER_FILES]
    version = tiny_package.metadata["package_version"]
    rebuilt = build_package(tmp_path, texts, replace(TINY, seed=7), package_version=version)
    assert rebuilt.name == tiny_package.name
    argos.install_file(rebuilt.archive)  # replaces the installed package, same name and version
    after = ArgosEngine().model_id
    assert after != before
    assert after.rsplit(":", 1)[0] == before.rsplit(":", 1)[0]  # only the weights fingerprint differs


def test_older_bpe_packages(argos_home: ArgosPaths, tmp_path: Path, no_network: None) -> None:
    """Packages with bpe.model (Moses + subword-nmt BPE) instead of SentencePiece."""
    texts = [p.read_text(encoding="utf-8") for p in DOSSIER_FILES]
    built = build_package(tmp_path, texts, replace(TINY, tokenizer="bpe", vocab_size=100))
    info = argos.install_file(built.archive)
    assert info.tokenizer == "bpe" and (info.path / "bpe.model").is_file()
    assert not (info.path / "sentencepiece.model").exists()
    engine = ArgosEngine(max_decoding_length=24)
    sentences = dossier_sentences(4)[:12]
    # placeholders survive Moses + BPE: split into units, joined back
    assert engine.tokenizer.encode("Kpxa, (Kpxc).") == [
        "K@@",
        "p@@",
        "x@@",
        "a",
        ",",
        "(",
        "K@@",
        "p@@",
        "x@@",
        "c",
        ")",
        ".",
    ]
    assert engine.tokenizer.decode(engine.tokenizer.encode("Kpxa et Kpxb, (Kpxc).")) == "Kpxa et Kpxb, (Kpxc)."
    before = engine.translate_pieces(sentences, n_best=2)
    assert [len(h) for h in before] == [2] * len(sentences)
    counts = Counter(t for hyps in before for tokens, _ in hyps for t in tokens if len(t) > 1)
    token = counts.most_common(1)[0][0]
    after = engine.translate_pieces(sentences, n_best=2, suppress=[token.removesuffix("@@")])
    blocked = engine.suppress_sequences([token.removesuffix("@@")])
    assert blocked and not any(_contains(t, seq) for hyps in after for t, _ in hyps for seq in blocked)
    out = engine.translate_batch(["Le dirigeant a rencontré Kpx⟦a⟧ hier."])
    assert out[0][0].text and "@@ " not in out[0][0].text
    assert out[0][0].unknown == ["⟦", "⟧"]  # Moses splits them off; the units are not in the vocabulary
