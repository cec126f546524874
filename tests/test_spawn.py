"""kp_translate.spawn: a chain of processes started in a session of its own (through bash) or one
by one, with the same contract either way: the stages piped into each other, their exit statuses,
their standard error in the file given, and nothing left once the chain is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kp_translate import spawn

from conftest import running

WAYS = ["session", "one by one"]


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(spawn, "_NO_SESSIONS", [])
    if request.param == "one by one":
        monkeypatch.setattr(spawn, "_bash", lambda: None)
    else:
        assert spawn._bash() is not None  # bash, setpriv and pidfds: the machine CI runs on has them
    yield request.param


def _fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def test_the_stages_are_piped_and_their_exit_statuses_known(way: str) -> None:
    before = _fds()
    with tempfile.TemporaryFile() as errors:
        procs = spawn.start_chain([["tr", "a-z", "A-Z"], ["sh", "-c", "cat; echo warned >&2; exit 3"]], errors)
        assert len(procs) == 2 and procs[0].stdin is not None and procs[-1].stdout is not None
        procs[0].stdin.write(b"bonjour\n")
        procs[0].stdin.close()
        assert procs[-1].stdout.read() == b"BONJOUR\n"
        assert [p.wait(timeout=10) for p in procs] == [0, 3]
        assert [p.returncode for p in procs] == [0, 3]
        spawn.kill_chain(procs)
        errors.seek(0)
        assert errors.read() == b"warned\n"
    assert _fds() == before  # pipes, pidfds and the status pipe all closed


def test_each_process_is_the_program_itself_and_a_killed_one_says_so(way: str) -> None:
    procs = spawn.start_chain([["cat"], ["cat"], ["cat"]], -3)  # standard error: /dev/null
    try:
        assert procs[0].stdin is not None and procs[-1].stdout is not None
        procs[0].stdin.write(b"x\n")
        procs[0].stdin.flush()
        assert procs[-1].stdout.readline() == b"x\n"  # every stage has run its program by now
        for p in procs:
            assert Path(f"/proc/{p.pid}/cmdline").read_bytes().split(b"\0")[0].endswith(b"cat")
        assert all(p.poll() is None for p in procs)
        os.kill(procs[1].pid, signal.SIGKILL)
        assert procs[1].wait(timeout=10) == -signal.SIGKILL
        assert procs[-1].wait(timeout=10) == 0  # its input ended
        assert procs[0].poll() is None  # still reading ours
    finally:
        spawn.kill_chain(procs)
    assert not any(running(p.pid) for p in procs)
    assert procs[0].returncode == -signal.SIGKILL


def test_a_stage_that_ends_at_once_still_has_its_exit_status(way: str) -> None:
    """A stage may end (and bash reap it) before its process id is even read: its status is bash's."""
    for _ in range(5):
        procs = spawn.start_chain([["sh", "-c", "exit 5"], ["cat"]], -3)
        try:
            assert procs[-1].stdout is not None and procs[-1].stdout.read() == b""
            assert [p.wait(timeout=10) for p in procs] == [5, 0]
        finally:
            spawn.kill_chain(procs)


def test_a_chain_in_a_session_of_its_own_shares_it_between_its_stages(way: str) -> None:
    procs = spawn.start_chain([["cat"], ["cat"]], -3)
    try:
        sessions = {os.getsid(p.pid) for p in procs}
        if way == "session":
            assert len(sessions) == 1 and sessions != {os.getsid(0)}
            (leader,) = sessions
            assert all(os.getpgid(p.pid) == leader for p in procs)  # one group: killed at once
        else:
            assert sessions == {os.getsid(0)}
    finally:
        spawn.kill_chain(procs)
    assert not any(running(p.pid) for p in procs)


def test_a_missing_program_is_a_start_error_and_starts_nothing(way: str) -> None:
    before = _fds()
    with pytest.raises(spawn.StartError, match="cannot start no-such-program-kp: No such file or directory"):
        spawn.start_chain([["cat"], ["no-such-program-kp"]], -3)
    assert _fds() == before


def test_a_bash_too_old_leaves_the_stages_to_be_started_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spawn, "_NO_SESSIONS", [])
    monkeypatch.setattr(spawn, "_CHECK", "echo old >&{fd}; exit 0")  # what bash before 4.3 does
    procs = spawn.start_chain([["cat"]], -3)
    try:
        assert spawn._NO_SESSIONS and os.getsid(procs[0].pid) == os.getsid(0)
        assert not isinstance(procs[0], spawn.Member)
    finally:
        spawn.kill_chain(procs)


def test_a_c_library_without_spawned_sessions_leaves_the_stages_to_be_started_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``os.posix_spawn(setsid=True)`` raises NotImplementedError where the C library lacks
    POSIX_SPAWN_SETSID: the stages are then started one by one, with nothing left open."""

    def no_setsid(*args: object, **kwargs: object) -> int:
        raise NotImplementedError("setsid is not supported")

    monkeypatch.setattr(spawn, "_NO_SESSIONS", [])
    monkeypatch.setattr(os, "posix_spawn", no_setsid)
    before = _fds()
    procs = spawn.start_chain([["cat"], ["cat"]], -3)
    try:
        assert spawn._NO_SESSIONS and not any(isinstance(p, spawn.Member) for p in procs)
        assert procs[0].stdin is not None and procs[-1].stdout is not None
        procs[0].stdin.write(b"kept\n")
        procs[0].stdin.close()
        assert procs[-1].stdout.read() == b"kept\n"
    finally:
        spawn.kill_chain(procs)
    assert _fds() == before


def test_the_session_ends_with_its_chain_killed_by_us_or_by_our_death(tmp_path: Path) -> None:
    """kill_chain leaves no process of the session, bash included; and a process that starts a
    chain, then dies by SIGKILL, takes the whole session with it (parent-death signals: bash's,
    then each stage's)."""
    procs = spawn.start_chain([["cat"], ["cat"]], -3)
    assert isinstance(procs[0], spawn.Member)
    leader = procs[0].session.leader.pid
    spawn.kill_chain(procs)
    assert not running(leader)

    script = tmp_path / "starter.py"
    script.write_text(
        "import sys, time\n"
        "from kp_translate import spawn\n"
        "procs = spawn.start_chain([['cat'], ['cat']], -3)\n"
        "print(procs[0].session.leader.pid, *(p.pid for p in procs), flush=True)\n"
        "time.sleep(60)\n",
        encoding="utf-8",
    )
    starter = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE)
    assert starter.stdout is not None
    pids = [int(p) for p in starter.stdout.readline().split()]
    assert len(pids) == 3 and all(map(running, pids))
    starter.kill()
    starter.wait()
    deadline = time.monotonic() + 10
    while any(map(running, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(running, pids))


def test_a_subreaper_is_left_no_zombie(tmp_path: Path) -> None:
    """Run as a container's first process (or under a subreaper), kp-translate inherits the stages
    of a killed chain's bash: kill_chain reaps them, so restarts leave no zombies behind."""
    script = tmp_path / "reaper.py"
    script.write_text(
        "import ctypes, os\n"
        "from pathlib import Path\n"
        "from kp_translate import spawn\n"
        "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER\n"
        "for _ in range(3):\n"
        "    spawn.kill_chain(spawn.start_chain([['cat'], ['cat'], ['cat']], -3))\n"
        "me = str(os.getpid())\n"
        "zombies = []\n"
        "for entry in Path('/proc').iterdir():\n"
        "    try:\n"
        "        fields = (entry / 'stat').read_text().rsplit(')', 1)[1].split()\n"
        "    except OSError:\n"
        "        continue\n"
        "    if fields[1] == me and fields[0] == 'Z':\n"
        "        zombies.append(entry.name)\n"
        "print(len(zombies))\n",
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == "0", run.stderr
