"""How kp-translate starts a chain of processes piped one into the next (Apertium's stages).

One implementation for the engine's chains (:mod:`kp_translate.engines.apertium`) and for the
chains :mod:`kp_translate.prestart` starts before anything else is imported, so that a chain
started early is exactly the chain the engine would have started. Only the standard library is
imported here (the early start must not wait for kp-translate's own modules).

Every process is made to receive SIGKILL when kp-translate dies (Linux ``PR_SET_PDEATHSIG``),
even by ``kill -9``: through ``setpriv --pdeathsig KILL`` (util-linux) when installed, which lets
Python start the process with ``vfork``, else through a ``preexec_fn``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import IO

__all__ = ["death_launcher", "die_with_parent", "start_chain"]

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


def start_chain(
    argvs: Sequence[Sequence[str]],
    errors: IO[bytes] | int,
    *,
    own_session: Sequence[bool] = (),
) -> list[subprocess.Popen[bytes]]:
    """Start *argvs* as one pipeline (each process's standard output is the next one's input; the
    first one's input and the last one's output are pipes of ours), standard error into *errors*,
    in ``LC_ALL=C.UTF-8``. The processes share one new process group (the first one's), except
    those *own_session* marks (a shell script whose pipeline must be killed with its own group).
    On failure every process already started is killed and :class:`StartError` raised."""
    env = dict(os.environ, LC_ALL="C.UTF-8")
    launcher = death_launcher()
    preexec = None if launcher else die_with_parent()
    procs: list[subprocess.Popen[bytes]] = []
    group = 0  # the process group of the chain (0: none yet; the first process makes it)
    stdin: int | IO[bytes] = subprocess.PIPE
    try:
        for k, given in enumerate(argvs):
            argv = list(given)
            if launcher:
                if shutil.which(argv[0]) is None:
                    raise StartError(argv[0], "No such file or directory")
                argv = [*launcher, *argv]
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


def kill_chain(
    procs: Sequence[subprocess.Popen[bytes]], own_session: Sequence[bool] = (), *, reap: bool = True
) -> None:
    """SIGKILL every process of a chain still running (one marked *own_session*: its whole
    group), close our ends of its pipes and (with *reap*) wait for each to end."""
    for k, p in enumerate(procs):
        if p.returncode is not None:
            continue
        try:
            if k < len(own_session) and own_session[k]:
                os.killpg(p.pid, signal.SIGKILL)
            else:
                p.kill()
        except (ProcessLookupError, PermissionError):
            pass
    for p in procs:
        for stream in (p.stdin, p.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if reap:
            p.wait()
