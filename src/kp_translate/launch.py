"""The start of a chain of processes in a session of its own, with nothing imported but :mod:`os`,
:mod:`fcntl` and :mod:`contextlib` (imported before it already): the first thing a ``kp-translate
translate`` run does (:mod:`kp_translate.prestart`), and the way :mod:`kp_translate.spawn` starts
every chain, so that a chain started early is exactly the chain the engine would start.

One ``bash``, started (``os.posix_spawn``) as the leader of a new session under ``setpriv
--pdeathsig KILL``, starts each stage in the background on pipes made here, writes their process
ids on a status pipe (``pids 12 13 14``), then each one's exit status as it ends (``12 0``). The
stages' command lines reach bash as its positional parameters, never as script text: no quoting.
What the caller gets (:class:`Launched`) is bash's process id and our ends of the pipes;
:func:`kp_translate.spawn.adopt` makes the stages' :class:`~kp_translate.spawn.Member` objects from
them, once the status pipe names the stages.

Why this module imports so little: importing :mod:`subprocess`, :mod:`shlex` and :mod:`shutil` (with
:mod:`re`, :mod:`enum`, :mod:`signal` and :mod:`threading` behind them) took 40-70 ms of a 2-core
machine before the first chain could start, and the chains' loading is what a one-sentence run
waits for.
"""

from __future__ import annotations

import contextlib
import fcntl
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO

__all__ = ["CHECK", "REPORT", "Launched", "chain_environment", "error_file", "session"]

#: the start of a chain's script: a bash too old for it (before 4.3) says so and starts nothing
CHECK = "((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 3))) || {{ echo old >&{fd}; exit 0; }}"
#: the end of a chain's script: each stage's exit status as soon as it ends (the trap runs when a
#: child ends, and interrupts ``wait``; ``wait PID`` gives the status of a child already reaped,
#: which ``wait -n`` does not)
REPORT = """report() {{
  local p
  for p in "${{!left[@]}}"; do
    if ! kill -0 "$p" 2>/dev/null; then wait "$p"; echo "$p $?" >&{fd}; unset "left[$p]"; fi
  done
}}
trap report CHLD
report
while ((${{#left[@]}})); do wait; report; done"""
#: the variables that change how bash reads a script (never given to a chain's bash)
BASH_VARIABLES = ("BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS")
#: the file descriptor number of ``subprocess.DEVNULL`` (standard error thrown away)
DEVNULL = -3


class Launched:
    """A chain's bash, just started: its process id, the read end of its status pipe
    (non-blocking), the chain's input (we write) and output (we read)."""

    def __init__(self, pid: int, status: int, stdin: int, stdout: int) -> None:
        self.pid = pid
        self.status = status
        self.stdin = stdin
        self.stdout = stdout

    def abandon(self, *, reap: bool = True) -> None:
        """Kill the whole session (bash and every stage), wait for bash (with *reap*), close our
        ends: for a chain nothing adopted."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, 9)  # SIGKILL (the signal module is not imported here)
        if reap:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        for fd in (self.status, self.stdin, self.stdout):
            with contextlib.suppress(OSError):
                os.close(fd)


def chain_environment() -> dict[str, str]:
    """The environment of a chain: ours in ``LC_ALL=C.UTF-8``, without what changes how bash reads
    a script."""
    env = dict(os.environ, LC_ALL="C.UTF-8")
    for name in BASH_VARIABLES:
        env.pop(name, None)
    return env


def session(
    bash: str,
    launcher: Sequence[str],
    argvs: Sequence[Sequence[str]],
    errors: int,
    env: dict[str, str],
    *,
    check: str = CHECK,
) -> Launched:
    """Start *argvs* as one pipeline in a new session led by *bash* (under *launcher*, ``setpriv
    --pdeathsig KILL --``), standard error into the file descriptor *errors* (:data:`DEVNULL`:
    thrown away). An :class:`OSError` when bash cannot be started (nothing is left open)."""
    pipes = [(_high(r), _high(w)) for r, w in (os.pipe() for _ in range(len(argvs) + 1))]  # in, between, out
    status_r, status_w = (_high(fd) for fd in os.pipe())
    ours = (pipes[0][1], pipes[-1][0])  # the chain's input (we write) and output (we read)
    theirs = [fd for pair in pipes for fd in pair if fd not in ours]
    # the command lines are bash's positional parameters: the launcher's words, then each stage's
    words = list(launcher)
    lines = [check.format(fd=status_w), "declare -A left"]
    prefix = f'"${{@:1:{len(launcher)}}}" ' if launcher else ""
    for k, argv in enumerate(argvs):
        read, write = pipes[k][0], pipes[k + 1][1]
        closes = " ".join(f"{fd}<&-" for fd in (*theirs, status_w) if fd not in (read, write))
        command = f'{prefix}"${{@:{len(words) + 1}:{len(argv)}}}"'
        words += argv
        lines.append(f"{command} 0<&{read} 1>&{write} {read}<&- {write}>&- {closes} & left[$!]=1; pids+=($!)")
    lines.append("exec " + " ".join(f"{fd}<&-" for fd in theirs))
    lines.append(f'echo "pids ${{pids[*]}}" >&{status_w}')
    lines.append(REPORT.format(fd=status_w))
    script = "\n".join(lines)
    # the pipes bash gets keep their numbers (a dup2 onto itself clears close-on-exec in the child)
    actions: list[tuple[int, int, str, int, int] | tuple[int, int, int]] = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0) if errors == DEVNULL else (os.POSIX_SPAWN_DUP2, errors, 2),
        *((os.POSIX_SPAWN_DUP2, fd, fd) for fd in (*theirs, status_w)),
    ]
    argv0 = [*launcher, bash, "--norc", "--noprofile", "-c", script, "kp-translate-chain", *words]
    try:
        pid = os.posix_spawn(argv0[0], argv0, env, file_actions=actions, setsid=True)
    except BaseException:
        for fd in (*ours, *theirs, status_r, status_w):
            os.close(fd)
        raise
    for fd in (*theirs, status_w):
        os.close(fd)
    os.set_blocking(status_r, False)
    return Launched(pid, status_r, *ours)


def error_file() -> IO[bytes]:
    """A file for a chain's standard error, closed with the chain: in memory (a memfd) where the
    system has them, else an unnamed temporary file (:mod:`tempfile`, imported only then)."""
    memfd_create = getattr(os, "memfd_create", None)
    if memfd_create is not None:
        with contextlib.suppress(OSError):
            return open(memfd_create("kp-translate-stderr", os.MFD_CLOEXEC), "w+b")
    import tempfile

    return tempfile.TemporaryFile()


def _high(fd: int) -> int:
    """*fd*, moved above the standard streams if it is one of their numbers (they were closed)."""
    if fd > 2:
        return fd
    try:
        return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    finally:
        os.close(fd)
