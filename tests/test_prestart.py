"""Apertium's chains started before the imports (kp_translate.prestart), with real Apertium: the
engine adopts exactly what it would have started, and nothing else is left running."""

from __future__ import annotations

import marshal
import os
import pwd
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kp_translate import prestart, spawn
from kp_translate.cli import main
from kp_translate.engines import apertium as apertium_mod
from kp_translate.engines.pool import POOL

from conftest import CORPUS_FR, GLOSSARY_DIR, ROOT, running


def test_setpriv_is_installed() -> None:
    """Chains are started early only with util-linux's ``setpriv`` (scripts/setup.sh installs it):
    without it every test below would pass without starting anything."""
    assert spawn.death_launcher()
    assert spawn.session_launch() is not None  # (bash 4.3 or later and pidfds: what an early start needs)


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


def _record(run_dir: Path) -> dict[prestart.Key, list[list[list[str]]]]:
    """The record's chains by key (each entry also names the launcher and bash: checked here)."""
    data = marshal.loads((run_dir / "cache" / prestart.FILENAME).read_bytes())
    assert all((launcher, bash) == spawn.session_launch() for launcher, bash, _ in data.values())
    return {key: [[list(argv) for argv in chain] for chain in chains] for key, (_, _, chains) in data.items()}


def _write_record(
    run_dir: Path, chains_by_key: dict[prestart.Key | None, list[list[list[str]]]], how: object = None
) -> None:
    """A record such as a previous run leaves (*how*: the launcher and bash, by default the ones the
    engine uses), written as the file it is."""
    how = how or spawn.session_launch()
    assert isinstance(how, tuple)
    entries = {k: (*how, tuple(tuple(tuple(a) for a in c) for c in chains)) for k, chains in chains_by_key.items()}
    (run_dir / "cache" / prestart.FILENAME).write_bytes(marshal.dumps(entries))


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


def test_the_chains_start_before_the_heavy_imports() -> None:
    """What the command line imports before it starts the recorded chains (``gcpause``, then
    ``prestart`` and what it imports): none of the modules whose import put the first chain's
    start 50-65 ms into a run."""
    code = (
        "import sys\n"
        "import kp_translate.gcpause, kp_translate.prestart\n"
        "heavy = {'re', 'json', 'subprocess', 'typing', 'pathlib', 'threading', 'tempfile', 'shutil', 'signal',"
        " 'enum'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, "-S", "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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
    _write_record(run_dir, {key: [stray]})
    prestart.begin(_argv(run_dir / "out"))
    assert len(_children("apertium-destxt")) == 1
    prestart._discard()
    assert _children("apertium-destxt") == []

    main(_argv(run_dir / "out"))
    assert _children("apertium-destxt") == []
    chains = _record(run_dir)[key]
    assert stray not in chains and len(chains) == 2
    assert (run_dir / "out" / DOCUMENT.name).read_text().strip()


@pytest.mark.parametrize(
    "content",
    [
        b"{not marshal",
        b"",
        marshal.dumps([]),
        marshal.dumps({"k": [[["lt-proc", 3]]]}),
        marshal.dumps({("a",) * 6: (("/usr/bin/setpriv", "--pdeathsig", "KILL", "--"), "/usr/bin/bash", (((3,),),))}),
    ],
)
def test_an_unreadable_record_is_ignored_and_replaced(run_dir: Path, content: bytes) -> None:
    (run_dir / "cache" / prestart.FILENAME).write_bytes(content)
    main(_argv(run_dir / "out"))
    assert (run_dir / "out" / DOCUMENT.name).read_text().strip()
    assert len(next(iter(_record(run_dir).values()))) == 2


def test_a_record_runs_nothing_but_apertium_programs(run_dir: Path) -> None:
    """The record is a file of the user's cache: a chain naming any other program, or a program by
    path, is never started (nor any chain of a key that holds one); nor is any launcher but
    ``setpriv --pdeathsig KILL --`` or any shell but a bash, each by absolute path."""
    argv = _argv(run_dir / "out")
    key = prestart.key_of(argv)
    assert key is not None
    marker = run_dir / "ran"
    launcher, bash = spawn.session_launch() or ((), "")
    touch = ["touch", str(marker)]
    for chains, how in (
        ([[["sh", "-c", f"touch {marker}"]]], None),
        ([[["/usr/bin/apertium-destxt"]], [touch]], None),
        ([[["apertium-destxt"], touch]], None),
        ([[["apertium-destxt"]]], (("/usr/bin/env", *touch, "--"), bash)),  # a launcher that is not setpriv
        ([[["apertium-destxt"]]], ((launcher[0], "--reuid=0", "--", *touch), bash)),
        ([[["apertium-destxt"]]], (launcher, "/usr/bin/sh")),  # a shell that is not bash
        ([[["apertium-destxt"]]], (launcher, "bash")),  # a bash found on $PATH
    ):
        _write_record(run_dir, {key: chains}, how)
        prestart.begin(argv)
        assert prestart._STATE.started == []
        prestart.settle()
    time.sleep(0.2)
    assert not marker.exists()
    assert _children("apertium-destxt") == []


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("lt-proc", True),
        ("apertium-wblank-attach", True),
        ("lrx-proc", True),
        ("cg-proc", True),
        ("hfst-proc", True),
        ("vislcg3", True),
        ("apertium", False),
        ("lt-", False),
        ("lt--proc", False),
        ("Lt-proc", False),
        ("lt-Proc", False),
        ("xlt-proc", False),
        ("lt-proc;touch", False),
        ("lt-proc ", False),
        ("/usr/bin/lt-proc", False),
        ("vislcg3x", False),
        ("sh", False),
    ],
)
def test_a_record_names_apertium_programs_by_bare_name(name: str, allowed: bool) -> None:
    assert prestart.is_program(name) is allowed


def test_a_run_that_starts_no_chain_forgets_its_key(run_dir: Path) -> None:
    """Once warm, an engine that started no chain (Argos chosen since, say) leaves nothing to
    start for the key next time; what was started for it is killed."""
    argv = _argv(run_dir / "out")
    key = prestart.key_of(argv)
    assert key is not None
    other = prestart.key_of([*argv, "--from", "es"])
    _write_record(run_dir, {key: [[["apertium-retxt"]]], other: [[["lt-proc", "x.bin"]]]})
    prestart.begin(argv)
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
        "import os, select, time\n"
        "from kp_translate import prestart, spawn\n"
        f"chains = ((('apertium-destxt',), ('apertium-retxt',)),)\n"
        f"prestart._write({{prestart.key_of({argv!r}): (*spawn.session_launch(), chains)}})\n"
        f"prestart.begin({argv!r})\n"
        "(early,) = prestart._STATE.started\n"
        "select.select([early.launched.status], [], [], 10)\n"  # bash names the stages: 'pids 12 13'
        "print(early.launched.pid, *os.read(early.launched.status, 4096).decode().split()[1:3], flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        pids = [int(p) for p in line.split()]  # bash and the two stages
        assert len(pids) == 3 and all(running(p) for p in pids), (line, proc.poll(), proc.stderr)
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

    def no_entry(uid: int) -> object:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    for name in ("KP_TRANSLATE_CACHE", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KP_TRANSLATE_GLOSSARY", str(GLOSSARY_DIR))
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
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
    assert [p for p in sorted(programs) if not prestart.is_program(p)] == []
