"""Apertium's warm pipelines started first thing in a ``kp-translate translate`` run.

On a 2-core machine the ~24 processes of the fr→en chains need about 0.5 s of CPU to load their
dictionaries, and Python about 0.2 s to import kp-translate before it knows which chains to
start. Started after the imports, the chains left one core idle all that time. So the command
line (:func:`kp_translate.cli.main`) calls :func:`begin` before it imports anything else, and the
chains the previous run with the same *key* started are started again at once, with the code the
engine uses (:func:`kp_translate.spawn.start_chain`): they load while Python imports.

The key is what decides which chains a run starts: the ``--from``, ``--to`` and ``--engine``
options as given, the working directory (the ``pyproject.toml`` that gives the defaults is found
from it), ``$PATH`` and ``$APERTIUM_DATADIR``. The record, ``prestart.json`` in the user cache
directory (:func:`~kp_translate.dirs.default_cache_dir`), maps a key to the command lines of the
chains that run's engine started while warming up (:func:`note`).

Nothing here can change a translation: the engine adopts a chain started early only when its
command lines are exactly those it would start itself (:func:`take`), in the same process, with
the same environment; once the engine is warm (:func:`settle`), every chain it did not adopt is
killed and the record is replaced by what the engine did start. A wrong guess (the project's
default language changed, an Argos package installed since) costs the CPU of loading once. A
record that cannot be read is ignored; one that cannot be written is not kept. Every process
started here gets the parent-death signal (:mod:`kp_translate.spawn`) and is killed at exit
when nothing adopted it. Only the standard library is imported.

The chains are started by a thread of their own, while the main thread imports: on a 2-core
machine each of the 24 starts waits for the processes already loading to let it run, and the
imports no longer wait behind them (in six paired comparisons of one sentence and the dossier,
0.01-0.08 of raw Apertium's time quicker). That thread lives as long as the process: Linux sends
a process its parent-death signal when the *thread* that started it ends.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import re
import tempfile
import threading
from collections.abc import Sequence
from functools import cache
from typing import IO, TypeGuard

from .dirs import read_record, write_record
from .spawn import Process, death_launcher, kill_chain, start_chain

__all__ = ["begin", "note", "settle", "take", "wait"]

FILENAME = "prestart.json"
#: keys kept (the oldest dropped first)
MAX_ENTRIES = 32
#: the options of ``translate`` that decide its chains
_KEY_OPTIONS = ("--from", "--to", "--engine")

Argvs = tuple[tuple[str, ...], ...]


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: str | None = None
        self.collecting = False
        #: chains started early and not adopted yet: command lines, processes, standard error
        self.started: list[tuple[Argvs, list[Process], IO[bytes]]] = []
        #: command lines of the chains the engine started while warming up
        self.noted: list[Argvs] = []
        #: chains adopted by the engine (the tests read it)
        self.adopted = 0


_STATE = _State()


def key_of(argv: Sequence[str]) -> str | None:
    """The record's key for the command line *argv* (without the program name), or ``None`` when
    it is not a ``translate`` run that starts Apertium's chains before it translates."""
    if not argv or argv[0] != "translate" or "-h" in argv or "--help" in argv:
        return None
    given = dict.fromkeys(_KEY_OPTIONS, "")
    args = list(argv[1:])
    names: set[str] = set()
    for k, token in enumerate(args):
        if token == "--":
            break
        name, eq, value = token.partition("=")
        names.add(name)
        if name in given:
            given[name] = value if eq else (args[k + 1] if k + 1 < len(args) else "")
    if given["--engine"] == "argos" or given["--from"] == "auto" or {"--workers", "--backend"} & names:
        return None  # Argos; languages not known yet; an archive that workers translate
    payload = [given[o] for o in _KEY_OPTIONS]
    payload += [os.getcwd(), os.environ.get("PATH", ""), os.environ.get("APERTIUM_DATADIR", "")]
    return json.dumps(payload, ensure_ascii=False)


def _read() -> dict[str, list[list[list[str]]]]:
    return {k: v for k, v in read_record(FILENAME).items() if _is_chains(v)}


#: the programs a recorded chain may start: Apertium's own, by bare name (found on ``$PATH`` as the
#: engine finds them). A record is a file of the user's; still, nothing else is ever run from it.
_PROGRAM = re.compile(r"(?:apertium|lt|lrx|lsx|rtx|cg|hfst)-[a-z0-9][a-z0-9-]*|vislcg3")


def _is_chains(value: object) -> TypeGuard[list[list[list[str]]]]:
    return isinstance(value, list) and all(
        isinstance(chain, list)
        and chain
        and all(
            isinstance(argv, list)
            and argv
            and all(isinstance(a, str) for a in argv)
            and _PROGRAM.fullmatch(argv[0]) is not None
            for argv in chain
        )
        for chain in value
    )


def begin(argv: Sequence[str]) -> None:
    """Have the chains recorded for *argv*'s key started (see the module docstring; :func:`wait`
    waits for them); from now until :func:`settle`, the chains the engine starts are noted.
    Nothing without ``setpriv`` (a chain started here must die with us without Python code
    between fork and exec)."""
    _discard()  # an earlier run in this process (the tests) that did not settle
    key = key_of(argv)
    with _STATE.lock:
        _STATE.key, _STATE.noted = None, []
        _STATE.collecting = key is not None and bool(death_launcher())
        if not _STATE.collecting:
            return
        _STATE.key = key
    assert key is not None
    recorded = read_record(FILENAME).get(key)
    chains = recorded if _is_chains(recorded) else []  # this key's chains alone are checked
    if chains:
        _STARTED.clear()
        _starter().put(chains)


#: set when no chain is being started (:func:`wait`)
_STARTED = threading.Event()
_STARTED.set()


@cache
def _starter() -> queue.SimpleQueue[list[list[list[str]]]]:
    """The queue of the thread that starts :func:`begin`'s chains (started on first use)."""
    pending: queue.SimpleQueue[list[list[list[str]]]] = queue.SimpleQueue()
    threading.Thread(target=_start, args=(pending,), name="kp-translate prestart", daemon=True).start()
    return pending


def _start(pending: queue.SimpleQueue[list[list[list[str]]]]) -> None:
    """Start the chains of each request, for as long as the process lives (the processes'
    parent-death signal goes with this thread)."""
    while True:
        chains = pending.get()
        try:
            for chain in chains:
                _start_one(tuple(tuple(a) for a in chain))
        finally:
            _STARTED.set()


def _start_one(argvs: Argvs) -> None:
    """Start one chain; one that cannot be started is left to the engine (nothing raised: the
    thread must not end)."""
    try:
        errors = tempfile.TemporaryFile()  # noqa: SIM115 (the engine's once adopted, else closed by _discard)
    except OSError:
        return
    try:
        procs = start_chain(argvs, errors)
    except Exception:
        errors.close()
        return
    with _STATE.lock:
        _STATE.started.append((argvs, procs, errors))


def wait(timeout: float | None = 30.0) -> None:
    """Wait until the chains :func:`begin` starts are all started."""
    _STARTED.wait(timeout)


def take(argvs: Sequence[Sequence[str]]) -> tuple[list[Process], IO[bytes]] | None:
    """The processes and standard-error file of a chain started early with exactly these command
    lines, now the caller's; ``None`` when there is none. The chain is noted (:func:`note`)."""
    wanted = tuple(tuple(a) for a in argvs)
    note(wanted)
    wait()
    with _STATE.lock:
        for k, (started, procs, errors) in enumerate(_STATE.started):
            if started == wanted and all(p.poll() is None for p in procs):
                del _STATE.started[k]
                _STATE.adopted += 1
                return procs, errors
    return None


def note(argvs: Sequence[Sequence[str]]) -> None:
    """Record that the engine started this chain while warming up (between :func:`begin` and
    :func:`settle`; nothing at other times)."""
    wanted = tuple(tuple(a) for a in argvs)
    with _STATE.lock:
        if _STATE.collecting and wanted not in _STATE.noted:
            _STATE.noted.append(wanted)


def settle() -> None:
    """The engine is warm: kill the chains it did not adopt, and record the chains it started
    for this key (none: the key is forgotten)."""
    with _STATE.lock:
        key, collecting, noted = _STATE.key, _STATE.collecting, list(_STATE.noted)
        _STATE.collecting = False
    _discard()
    if key is None or not collecting:
        return
    chains = [[list(argv) for argv in chain] for chain in noted]
    if read_record(FILENAME).get(key) == (chains or None):
        return  # the record says so already
    entries = _read()
    entries.pop(key, None)
    if chains:
        entries[key] = chains
    write_record(FILENAME, dict(entries), MAX_ENTRIES)


def _discard(*, reap: bool = True) -> None:
    wait()
    with _STATE.lock:
        started, _STATE.started = _STATE.started, []
    for _, procs, errors in started:
        kill_chain(procs, reap=reap)
        errors.close()


atexit.register(_discard, reap=False)
