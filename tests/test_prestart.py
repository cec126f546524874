"""Apertium's chains started before the imports (kp_translate.prestart), with real Apertium: the
engine adopts exactly what it would have started, and nothing else is left running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kp_translate import prestart
from kp_translate.cli import main
from kp_translate.engines import apertium as apertium_mod
from kp_translate.engines.pool import POOL

from conftest import CORPUS_FR, GLOSSARY_DIR, ROOT, running


def test_setpriv_is_installed() -> None:
    """Chains are started early only with util-linux's ``setpriv`` (scripts/setup.sh installs it):
    without it every test below would pass without starting anything."""
    assert prestart.death_launcher()


DOCUMENT = sorted(CORPUS_FR.glob("*.txt"))[1]


@pytest.fixture
def run_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory and a cache directory of the test's own; the pool emptied before and
    after, so that each run builds (and warms) its engine as a fresh process does."""
    monkeypatch.setenv("KP_TRANSLATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KP_TRANSLATE_GLOSSARY", str(GLOSSARY_DIR))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cache").mkdir()
    POOL.close()
    yield tmp_path
    POOL.close()


def _argv(out: Path) -> list[str]:
    return ["translate", str(DOCUMENT), "-o", str(out), "--engine", "apertium", "--no-cache", "--no-progress"]


def _record(run_dir: Path) -> dict[str, list[list[list[str]]]]:
    data: dict[str, list[list[list[str]]]] = json.loads((run_dir / "cache" / prestart.FILENAME).read_text())
    return data


def _children(pattern: str) -> list[int]:
    """Our child processes whose command line contains *pattern*, not yet reaped."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and pattern in cmdline:
            found.append(int(stat.parent.name))
    return found


def test_the_key_is_what_decides_the_chains() -> None:
    base = prestart.key_of(["translate", "a.txt", "-o", "out"])
    assert base is not None
    assert prestart.key_of(["translate", "b.txt", "c.txt", "-o", "elsewhere", "--report", "r.json"]) == base
    assert prestart.key_of(["translate", "a.txt", "--from", "es"]) == prestart.key_of(["translate", "--from=es", "x"])
    assert prestart.key_of(["translate", "a.txt", "--from", "es"]) != base
    assert prestart.key_of(["translate", "a.txt", "--engine", "apertium"]) != base
    for argv in (
        [],
        ["score", "a.txt"],
        ["glossary", "check"],
        ["translate", "--help"],
        ["translate", "a.txt", "-h"],
        ["translate", "a.txt", "--from", "auto"],
        ["translate", "a.txt", "--engine", "argos"],
        ["translate", "a.jsonl", "--input-format", "jsonl", "--workers", "2"],
        ["translate", "a.jsonl", "--backend=ray"],
    ):
        assert prestart.key_of(argv) is None, argv


def test_the_next_run_adopts_the_chains_started_before_the_imports(
    run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main(_argv(run_dir / "first"))
    chains = next(iter(_record(run_dir).values()))
    # fr→en: the fr-es mode, then Spanish→English, each a chain of Apertium's own programs
    assert len(chains) == 2
    assert any("fr-es.automorf.bin" in arg for argv in chains[0] for arg in argv)
    assert any("spa-eng.automorf.bin" in arg for argv in chains[1] for arg in argv)
    assert all(argv[0] in {"lt-proc", "lrx-proc"} or argv[0].startswith("apertium-") for c in chains for argv in c)
    POOL.close()

    started_by_engine = []
    real_start = apertium_mod.start_chain

    def spy(argvs: object, *args: object, **kwargs: object) -> object:
        started_by_engine.append(argvs)
        return real_start(argvs, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(apertium_mod, "start_chain", spy)
    adopted = prestart._STATE.adopted
    main(_argv(run_dir / "second"))
    assert prestart._STATE.adopted - adopted == 2
    assert started_by_engine == []  # the engine started no chain of its own
    name = DOCUMENT.name
    assert (run_dir / "second" / name).read_text() == (run_dir / "first" / name).read_text()
    assert "Kim Jong Un" in (run_dir / "second" / name).read_text()


def test_chains_the_engine_does_not_take_are_killed_and_the_record_replaced(run_dir: Path) -> None:
    key = prestart.key_of(_argv(run_dir / "out"))
    assert key is not None
    stray = [["apertium-destxt"]]  # a chain no engine starts (it waits on its input): a stale record
    (run_dir / "cache" / prestart.FILENAME).write_text(json.dumps({key: [stray]}))
    prestart.begin(_argv(run_dir / "out"))
    prestart.wait()
    assert len(_children("apertium-destxt")) == 1
    prestart._discard()
    assert _children("apertium-destxt") == []

    main(_argv(run_dir / "out"))
    assert _children("apertium-destxt") == []
    chains = _record(run_dir)[key]
    assert stray not in chains and len(chains) == 2
    assert (run_dir / "out" / DOCUMENT.name).read_text().strip()


@pytest.mark.parametrize("content", ["{not json", '{"k": [[["lt-proc", 3]]]}', "[]", ""])
def test_an_unreadable_record_is_ignored_and_replaced(run_dir: Path, content: str) -> None:
    (run_dir / "cache" / prestart.FILENAME).write_text(content)
    main(_argv(run_dir / "out"))
    assert (run_dir / "out" / DOCUMENT.name).read_text().strip()
    assert len(next(iter(_record(run_dir).values()))) == 2


def test_a_record_runs_nothing_but_apertium_programs(run_dir: Path) -> None:
    """The record is a file of the user's cache: a chain naming any other program, or a program by
    path, is never started (nor any chain of a key that holds one)."""
    argv = _argv(run_dir / "out")
    key = prestart.key_of(argv)
    assert key is not None
    marker = run_dir / "ran"
    for chains in (
        [[["sh", "-c", f"touch {marker}"]]],
        [[["/usr/bin/apertium-destxt"]], [["touch", str(marker)]]],
        [[["apertium-destxt"], ["touch", str(marker)]]],
    ):
        (run_dir / "cache" / prestart.FILENAME).write_text(json.dumps({key: chains}))
        prestart.begin(argv)
        prestart.wait()
        assert prestart._STATE.started == []
        prestart.settle()
    time.sleep(0.2)
    assert not marker.exists()
    assert _children("apertium-destxt") == []


def test_a_run_that_starts_no_chain_forgets_its_key(run_dir: Path) -> None:
    """Once warm, an engine that started no chain (Argos chosen since, say) leaves nothing to
    start for the key next time; what was started for it is killed."""
    argv = _argv(run_dir / "out")
    key = prestart.key_of(argv)
    assert key is not None
    other = prestart.key_of([*argv, "--from", "es"])
    record = {key: [[["apertium-retxt"]]], other: [[["lt-proc", "x.bin"]]]}
    (run_dir / "cache" / prestart.FILENAME).write_text(json.dumps(record))
    prestart.begin(argv)
    prestart.wait()
    assert len(_children("apertium-retxt")) == 1
    prestart.settle()
    assert _children("apertium-retxt") == []
    assert _record(run_dir) == {other: [[["lt-proc", "x.bin"]]]}


def test_a_chain_started_early_dies_with_kp_translate(tmp_path: Path) -> None:
    """kill -9 of the process that started a chain early, before anything adopted it: the kernel
    kills the chain (parent-death signal), nothing is left."""
    cache = tmp_path / "cache"
    cache.mkdir()
    argv = ["translate", "x.txt"]
    env = dict(os.environ, KP_TRANSLATE_CACHE=str(cache), PYTHONPATH=str(ROOT / "src"))
    code = (
        "import json, sys, time\n"
        "from kp_translate import prestart\n"
        f"open({str(cache / prestart.FILENAME)!r}, 'w').write(json.dumps("
        f"{{prestart.key_of({argv!r}): [[['apertium-destxt'], ['apertium-retxt']]]}}))\n"
        f"prestart.begin({argv!r})\n"
        "prestart.wait()\n"
        "print(' '.join(str(p.pid) for _, procs, _ in prestart._STATE.started for p in procs), flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        pids = [int(p) for p in line.split()]
        assert len(pids) == 2 and all(running(p) for p in pids), (line, proc.poll(), proc.stderr)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()
    deadline = time.monotonic() + 10
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(p) for p in pids)


def test_no_home_directory_is_no_error_without_the_segment_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An account without a home directory (``$HOME`` unset, no passwd entry): what only speeds a
    run up (started chains, Apertium's answers, CLDR names) is not kept, and the run works; the
    segment cache, which the run was asked to use, is a one-line error."""

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    for name in ("KP_TRANSLATE_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KP_TRANSLATE_GLOSSARY", str(GLOSSARY_DIR))
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.chdir(tmp_path)
    POOL.close()
    try:
        main(_argv(tmp_path / "out"))
        assert "Kim Jong Un" in (tmp_path / "out" / DOCUMENT.name).read_text()
        with pytest.raises(SystemExit) as exit_:
            main([a for a in _argv(tmp_path / "out2") if a != "--no-cache"])
    finally:
        POOL.close()
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("kp-translate: error: no cache directory") and "KP_TRANSLATE_CACHE" in err
    assert not (tmp_path / "out2").exists()


def test_every_installed_route_can_be_started_early() -> None:
    """The programs of every route's warm chains (fr, es, ca, gl, eu, pt, it into English) are ones
    a record may start: no installed pair silently loses its early start."""
    from kp_translate.engines.apertium import ApertiumEngine
    from kp_translate.lang import Pair

    programs = set()
    for source in ("fr", "es", "ca", "gl", "eu", "pt", "it"):
        warm = ApertiumEngine(pair=Pair(source, "en")).pipelines
        assert warm is not None, source
        programs |= {stage.argv[0] for chain in warm.stages for stage in chain}
    assert {"lt-proc", "apertium-tagger", "apertium-transfer"} <= programs
    assert [p for p in sorted(programs) if not prestart._PROGRAM.fullmatch(p)] == []
