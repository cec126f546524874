"""How kp-translate starts a chain of processes piped one into the next (Apertium's stages).

One implementation for the engine's chains (:mod:`kp_translate.engines.apertium`) and for the
chains :mod:`kp_translate.prestart` starts before anything else is imported, so that a chain
started early is exactly the chain the engine would have started. Only the standard library is
imported here (the early start must not wait for kp-translate's own modules).

Every process is made to receive SIGKILL when kp-translate dies (Linux ``PR_SET_PDEATHSIG``),
even by ``kill -9``: through ``setpriv --pdeathsig KILL`` (util-linux) when installed, which lets
Python start the process with ``vfork``, else through a ``preexec_fn``.

**A chain runs in a session of its own.** Where bash (4.3 or later), ``setpriv`` and pidfds are
there, a chain's stages are started by one ``bash`` that is the leader of a new session
(:class:`Session`; started by :func:`kp_translate.launch.session`, which the early start of
:mod:`kp_translate.prestart` shares, then named by :func:`adopt`): it starts each stage in the
background, its input and output the pipes kp-translate made, tells kp-translate their process ids,
then reports each one's exit status as it ends. Linux's scheduler (with ``CONFIG_SCHED_AUTOGROUP``,
the default of Debian's and most distributions' kernels) shares the processor fairly between
*sessions*: in the same session as kp-translate, the 24 stages of a pivot loading their
dictionaries left its one thread a 25th of the machine, and it waited on the run queue for
0.16-0.22 s of a one-sentence run (its scheduler statistics); with the chains in sessions of their
own, 0.04-0.13 s. The stages are the same programs, with the same arguments, environment and pipes:
what they write is the same. Each stage is a :class:`Member`: its process id, a pidfd to watch and
signal it by (it is bash's child, not ours), and the exit status bash reports. Elsewhere (no bash,
an older one) the stages are started one by one from here, as :class:`subprocess.Popen` children in
kp-translate's session.
"""

from __future__ import annotations

import contextlib
import functools
import os
import select
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import IO, Protocol

from . import launch

__all__ = ["Process", "adopt", "death_launcher", "die_with_parent", "kill_chain", "start_chain"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive SIGKILL when kp-translate dies (Linux
    ``prctl(PR_SET_PDEATHSIG)``); ``None`` elsewhere. The function is resolved here, in the parent,
    so the child only makes one system call between fork and exec. A process started by another
    means (a batch worker) calls it on itself with its *parent*'s pid."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    parent = os.getpid() if parent is None else parent

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # we died between fork and prctl: nobody would kill it
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


@functools.lru_cache(maxsize=1)
def death_launcher() -> tuple[str, ...]:
    """``setpriv --pdeathsig KILL --`` (util-linux), when installed: the same parent-death signal as
    :func:`die_with_parent`, set by the child itself after ``exec``. Python then starts each
    process with ``vfork`` instead of a ``fork`` that runs Python code in the child: 28 processes
    start in a third of the time."""
    if not sys.platform.startswith("linux"):
        return ()
    exe = shutil.which("setpriv")
    return (exe, "--pdeathsig", "KILL", "--") if exe else ()


class StartError(Exception):
    """A process of the chain could not be started (``argv0``: which; ``reason``: why)."""

    def __init__(self, argv0: str, reason: str) -> None:
        super().__init__(f"cannot start {argv0}: {reason}")
        self.argv0 = argv0
        self.reason = reason


class Process(Protocol):
    """What a chain's processes offer: a :class:`subprocess.Popen`, or a :class:`Member` of a
    chain's session (the first one's ``stdin`` and the last one's ``stdout`` are the chain's ends)."""

    pid: int
    stdin: IO[bytes] | None
    stdout: IO[bytes] | None

    @property
    def returncode(self) -> int | None: ...

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...


#: how long the bash of a chain may take to start its stages and name them
START_TIMEOUT = 30.0
#: how long a stage's exit status may take to come, once its process has ended
_STATUS_WAIT = 2.0

#: the start of a chain's script (:data:`kp_translate.launch.CHECK`; the tests replace it here)
_CHECK = launch.CHECK


@functools.lru_cache(maxsize=1)
def _bash() -> str | None:
    """The bash that starts chains in sessions of their own, or ``None`` (see the module docstring)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open") or not death_launcher():
        return None
    return shutil.which("bash")


class _Old(Exception):
    """The chain's bash is older than 4.3, or the C library cannot start a session with
    ``posix_spawn`` (no session is tried again in this process)."""


#: set when a chain's bash turned out too old: stages are started one by one from then on
_NO_SESSIONS: list[bool] = []


def _readable(fd: int, timeout: float | None) -> bool:
    """Whether *fd* can be read (a pidfd: its process has ended) within *timeout* seconds."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    return bool(poller.poll(None if timeout is None else timeout * 1000))


class _Leader:
    """The bash that leads a chain's session: a child of ours (:func:`kp_translate.launch.session`),
    waited for by its process id."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def wait(self) -> int:
        if self.returncode is None:
            try:
                _, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:  # (reaped by a handler of someone else's: it has ended)
                self.returncode = -signal.SIGKILL
        return self.returncode


class Session:
    """The bash that leads a chain's session, and the exit statuses it reports."""

    def __init__(self, leader: _Leader, status: int) -> None:
        self.leader = leader
        self.status = status  # the read end of the status pipe (non-blocking)
        self.buffer = b""
        self.statuses: dict[int, int] = {}
        self.ended = False  # the status pipe is closed: bash has ended
        self.closed = False
        self.lock = threading.Lock()  # the stages' threads ask for statuses, one may close

    def read(self, timeout: float) -> list[bytes]:
        """The whole lines bash has written, waiting up to *timeout* for one (the caller holds the
        lock, or is the only one to know the session yet)."""
        lines: list[bytes] = []
        deadline = time.monotonic() + timeout
        while not lines and not self.ended:
            left = deadline - time.monotonic()
            if not _readable(self.status, max(left, 0.0)):
                break
            try:
                data = os.read(self.status, 1 << 12)
            except BlockingIOError:
                continue
            if not data:
                self.ended = True
                break
            *lines, self.buffer = (self.buffer + data).split(b"\n")
        for line in lines:
            fields = line.split()
            if len(fields) == 2 and fields[0].isdigit() and fields[1].isdigit():
                code = int(fields[1])
                self.statuses[int(fields[0])] = -(code - 128) if code > 128 else code
        return lines

    def status_of(self, pid: int) -> int:
        """The exit status of stage *pid*, which has ended: as bash reports it (``-N``: killed by
        signal N), waited for a moment; ``-SIGKILL`` when bash ended without reporting it (the
        session was killed)."""
        deadline = time.monotonic() + _STATUS_WAIT
        with self.lock:
            while pid not in self.statuses and not self.ended and time.monotonic() < deadline:
                self.read(deadline - time.monotonic())
            return self.statuses.get(pid, -signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL the whole session's process group: bash, every stage, whatever they started.
        Nothing once bash is reaped (its number may be another's by then)."""
        if self.leader.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.leader.pid, signal.SIGKILL)

    def close(self, reap: bool) -> None:
        """Close the status pipe (once) and, with *reap*, wait for bash to end."""
        if reap:
            self.leader.wait()
        with self.lock:
            if not self.closed:
                self.closed = True
                self.ended = True
                with contextlib.suppress(OSError):
                    os.close(self.status)


class Member:
    """One stage of a chain started in a session of its own: bash's child, watched and signalled
    through a pidfd; its exit status is the one bash reports."""

    def __init__(self, pid: int, session: Session) -> None:
        self.pid = pid
        self.session = session
        self.stdin: IO[bytes] | None = None
        self.stdout: IO[bytes] | None = None
        self._returncode: int | None = None
        try:
            self.pidfd = os.pidfd_open(pid)
        except ProcessLookupError:  # it has ended, and bash has reaped it: its status is on the way
            self.pidfd = -1

    @property
    def returncode(self) -> int | None:
        return self._returncode

    def _ended(self, timeout: float | None) -> bool:
        return self.pidfd < 0 or _readable(self.pidfd, timeout)

    def poll(self) -> int | None:
        if self._returncode is None and self._ended(0):
            self._returncode = self.session.status_of(self.pid)
        return self._returncode

    def wait(self, timeout: float | None = None) -> int:
        if self._returncode is None:
            if not self._ended(timeout):
                import subprocess

                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0.0)
            self._returncode = self.session.status_of(self.pid)
        return self._returncode

    def kill(self) -> None:
        if self.pidfd >= 0:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)

    def reap(self) -> None:
        """Once its bash is gone: wait for the ended stage if it has become a child of ours (Linux
        gives an orphan to the nearest subreaper, or to process 1: kp-translate itself, as a
        container's first process). Nothing when it is not ours (init reaps it)."""
        if self.pidfd >= 0:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitid(os.P_PIDFD, self.pidfd, os.WEXITED | os.WNOHANG)

    def close(self) -> None:
        """Close the pidfd (after which the stage counts as ended)."""
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1


def start_chain(
    argvs: Sequence[Sequence[str]],
    errors: IO[bytes] | int,
    *,
    own_session: Sequence[bool] = (),
) -> list[Process]:
    """Start *argvs* as one pipeline (each process's standard output is the next one's input; the
    first one's input and the last one's output are pipes of ours), standard error into *errors*,
    in ``LC_ALL=C.UTF-8``: in a session of its own where it can be (see the module docstring),
    else one by one in ours, each in one new process group (the first one's), except those
    *own_session* marks (a shell script whose pipeline must be killed with its own group). On
    failure every process already started is killed and :class:`StartError` raised."""
    env = launch.chain_environment()
    launcher = death_launcher()
    if launcher and (missing := _missing(argvs)) is not None:
        raise StartError(missing, "No such file or directory")
    how = session_launch()
    if how is not None:
        try:
            return _start_session(how[1], argvs, errors, env, how[0])
        except _Old:
            _NO_SESSIONS.append(True)
    return _start_one_by_one(argvs, errors, env, launcher, own_session)


def _missing(argvs: Sequence[Sequence[str]]) -> str | None:
    """The first program of *argvs* not found on ``$PATH``, if any."""
    return next((argv[0] for argv in argvs if shutil.which(argv[0]) is None), None)


def _start_session(
    bash: str, argvs: Sequence[Sequence[str]], errors: IO[bytes] | int, env: dict[str, str], launcher: Sequence[str]
) -> list[Process]:
    """The stages started by one bash, the leader of a new session (see the module docstring)."""
    fd = errors if isinstance(errors, int) else errors.fileno()
    try:
        launched = launch.session(bash, launcher, argvs, fd, env, check=_CHECK)
    except OSError as exc:
        raise StartError(argvs[0][0], exc.strerror or str(exc)) from None
    except NotImplementedError:  # (a C library whose posix_spawn cannot start a session)
        raise _Old from None
    return adopt(launched, len(argvs))


def adopt(launched: launch.Launched, n: int) -> list[Process]:
    """The *n* stages of a chain :func:`kp_translate.launch.session` started, once its bash names
    them (:class:`_Old` when it is too old; a :class:`StartError` when it ends first): the first
    one's ``stdin`` and the last one's ``stdout`` are the chain's ends."""
    session = Session(_Leader(launched.pid), launched.status)
    stdin, stdout = os.fdopen(launched.stdin, "wb"), os.fdopen(launched.stdout, "rb")
    members: list[Member] = []
    try:
        pids = _named(session, n)
        for pid in pids:
            members.append(Member(pid, session))
    except BaseException:
        session.kill()
        for member in members:
            member.close()
        stdin.close()
        stdout.close()
        session.close(reap=True)
        raise
    members[0].stdin, members[-1].stdout = stdin, stdout
    return list(members)


def session_launch() -> tuple[tuple[str, ...], str] | None:
    """The launcher (``setpriv --pdeathsig KILL --``) and the bash that :func:`start_chain` starts a
    chain's session with now; ``None`` when it starts the stages one by one."""
    bash = _bash()
    if bash is None or _NO_SESSIONS:
        return None
    return death_launcher(), bash


def adopt_started(
    launched: launch.Launched, argvs: Sequence[Sequence[str]], launcher: Sequence[str], bash: str
) -> list[Process] | None:
    """The stages of a chain that :func:`kp_translate.launch.session` started early with *launcher*
    and *bash* (:mod:`kp_translate.prestart`), when :func:`start_chain` would start the same chain
    now (the same launcher and bash, every program found) and all of them are running; else
    ``None``, the chain killed."""
    how = session_launch()
    if how != (tuple(launcher), bash) or _missing(argvs) is not None:
        launched.abandon()
        return None
    try:
        procs = adopt(launched, len(argvs))
    except _Old:
        _NO_SESSIONS.append(True)
        return None
    except StartError:
        return None
    if any(p.poll() is not None for p in procs):
        kill_chain(procs)
        return None
    return procs


def _named(session: Session, n: int) -> list[int]:
    """The *n* process ids the chain's bash names (:class:`_Old` when it is too old; a
    :class:`StartError` when it ends or takes too long first)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for line in session.read(deadline - time.monotonic()):
            if line == b"old":
                session.close(reap=True)
                raise _Old
            fields = line.split()
            if fields[:1] == [b"pids"] and len(fields) == n + 1:
                return [int(f) for f in fields[1:]]
        if session.ended:
            break
    raise StartError("bash", "the chain's stages were not started")


def _start_one_by_one(
    argvs: Sequence[Sequence[str]],
    errors: IO[bytes] | int,
    env: dict[str, str],
    launcher: Sequence[str],
    own_session: Sequence[bool],
) -> list[Process]:
    """The stages started one by one from here, children of ours in our session."""
    import subprocess  # (here: the chains of a bash of 4.3 or later start with :mod:`launch` alone)

    preexec = None if launcher else die_with_parent()
    procs: list[Process] = []
    group = 0  # the process group of the chain (0: none yet; the first process makes it)
    stdin: int | IO[bytes] = subprocess.PIPE
    try:
        for k, given in enumerate(argvs):
            argv = [*launcher, *given]
            session = k < len(own_session) and own_session[k]
            try:
                p = subprocess.Popen(
                    argv,
                    stdin=stdin,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    env=env,
                    preexec_fn=preexec,
                    start_new_session=session,
                    process_group=None if session else group,
                )
            except (OSError, subprocess.SubprocessError) as exc:
                raise StartError(given[0], getattr(exc, "strerror", None) or str(exc)) from None
            if procs:
                prev_out = procs[-1].stdout
                assert prev_out is not None
                prev_out.close()  # the new process owns it now
            if not session and not group:
                group = p.pid
            procs.append(p)
            assert p.stdout is not None
            stdin = p.stdout
    except BaseException:
        kill_chain(procs, own_session)
        raise
    return procs


def signal_chain(procs: Sequence[Process], own_session: Sequence[bool] = ()) -> None:
    """SIGKILL every process of a chain still running: a session's whole process group; a shell
    script marked *own_session*, its whole group."""
    killed: set[int] = set()  # the sessions killed (one killpg each)
    for k, p in enumerate(procs):
        if p.returncode is not None:
            continue
        try:
            if isinstance(p, Member):
                if id(p.session) not in killed:
                    killed.add(id(p.session))
                    p.session.kill()
                p.kill()
            elif k < len(own_session) and own_session[k]:
                os.killpg(p.pid, signal.SIGKILL)
            else:
                p.kill()
        except (ProcessLookupError, PermissionError):
            pass


def kill_chain(procs: Sequence[Process], own_session: Sequence[bool] = (), *, reap: bool = True) -> None:
    """SIGKILL every process of a chain still running (:func:`signal_chain`), close our ends of its
    pipes and (with *reap*) wait for each to end."""
    signal_chain(procs, own_session)
    for p in procs:
        for stream in (p.stdin, p.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if reap:
            p.wait()
    sessions = {id(p.session): p.session for p in procs if isinstance(p, Member)}
    for session in sessions.values():
        session.close(reap)
    for p in procs:
        if isinstance(p, Member):
            if reap:
                p.reap()
            p.close()
