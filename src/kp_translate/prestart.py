"""Apertium's warm pipelines started first thing in a ``kp-translate translate`` run.

On a 2-core machine the ~24 processes of the fr→en chains need about 0.5 s of CPU to load their
dictionaries, and Python about 0.2 s to import kp-translate before it knows which chains to
start. Started after the imports, the chains left one core idle all that time. So the command
line (:func:`kp_translate.cli.main`) calls :func:`begin` before it imports anything else, and the
chains the previous run with the same *key* started are started again at once, with the code the
engine uses (:func:`kp_translate.launch.session`): they load while Python imports.

The key is what decides which chains a run starts: the ``--from``, ``--to`` and ``--engine``
options as given, the working directory (the ``pyproject.toml`` that gives the defaults is found
from it), ``$PATH`` and ``$APERTIUM_DATADIR``. The record, ``prestart.marshal`` in the user cache
directory (:func:`~kp_translate.dirs.cache_root`), maps a key to the command lines of the chains
that run's engine started while warming up (:func:`note`), with the ``setpriv`` and the ``bash``
it started them with.

Nothing here can change a translation: the engine adopts a chain started early only when its
command lines, ``setpriv`` and ``bash`` are exactly those it would start itself (:func:`take`), in
the same process, with the same environment; once the engine is warm (:func:`settle`), every chain it did not adopt is
killed and the record is replaced by what the engine did start. A wrong guess (the project's
default language changed, an Argos package installed since) costs the CPU of loading once. A
record that cannot be read is ignored; one that cannot be written is not kept. Every process
started here gets the parent-death signal (:mod:`kp_translate.spawn`) and is killed at exit
when nothing adopted it.

Nothing is imported before the chains are started but :mod:`os`, :mod:`marshal` and
:mod:`kp_translate.launch`: the record is read with :mod:`marshal`, and each chain's bash is started
with ``os.posix_spawn``, its stages named later, when the engine adopts the chain
(:func:`kp_translate.spawn.adopt_started`). Importing :mod:`json`, :mod:`subprocess` and
:mod:`tempfile` first (with :mod:`re`, :mod:`enum` and :mod:`threading` behind them) put the first
chain's start 50-65 ms into the run, and the second one's 75-130 ms, behind one another; both now
start within a few milliseconds of the interpreter's own start. They are started from the main
thread, which lives as long as the process (Linux sends a process its parent-death signal when the
*thread* that started it ends), and only where a chain runs in a session of its own
(:mod:`kp_translate.spawn`: bash 4.3 or later, ``setpriv``, pidfds).
"""

from __future__ import annotations

import _thread
import atexit
import marshal
import os

from . import launch
from .dirs import cache_root

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO, TypeGuard

    from .spawn import Process

__all__ = ["begin", "note", "settle", "take"]

FILENAME = "prestart.marshal"
#: keys kept (the oldest dropped first)
MAX_ENTRIES = 32
#: the options of ``translate`` that decide its chains
_KEY_OPTIONS = ("--from", "--to", "--engine")

Argvs = tuple[tuple[str, ...], ...]
Key = tuple[str, ...]
#: what the record keeps for a key: the launcher (``setpriv --pdeathsig KILL --``), the bash that
#: led the chains' sessions, and the chains' command lines
Entry = tuple[tuple[str, ...], str, tuple[Argvs, ...]]


class _Early:
    """A chain started by :func:`begin`, not adopted yet."""

    def __init__(
        self, argvs: Argvs, launcher: tuple[str, ...], bash: str, launched: launch.Launched, errors: IO[bytes]
    ) -> None:
        self.argvs = argvs
        self.launcher = launcher
        self.bash = bash
        self.launched = launched
        self.errors = errors


class _State:
    def __init__(self) -> None:
        self.lock = _thread.allocate_lock()
        self.key: Key | None = None
        self.collecting = False
        #: chains started early and not adopted yet
        self.started: list[_Early] = []
        #: command lines of the chains the engine started while warming up
        self.noted: list[Argvs] = []
        #: chains adopted by the engine (the tests read it)
        self.adopted = 0


_STATE = _State()


def key_of(argv: Sequence[str]) -> Key | None:
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
    return tuple(payload)


def _load() -> dict[object, object]:
    """The record as it is (a record that cannot be read is empty: it only saves work)."""
    root = cache_root()
    if root is None:
        return {}
    try:
        with open(os.path.join(root, FILENAME), "rb") as fh:
            data = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _read() -> dict[Key, Entry]:
    """The record's valid entries."""
    return {k: v for k, v in _load().items() if _is_key(k) and _is_entry(v)}


def _write(entries: dict[Key, Entry]) -> None:
    """Replace the record by *entries* (the last :data:`MAX_ENTRIES`), atomically; a record that
    cannot be written is not kept."""
    import contextlib
    from pathlib import Path

    from .errors import KpError
    from .fileio import atomic_open

    root = cache_root()
    if root is None:
        return
    items = list(entries.items())[-MAX_ENTRIES:]
    with contextlib.suppress(KpError, OSError), atomic_open(Path(root) / FILENAME, "wb") as fh:
        fh.write(marshal.dumps(dict(items)))  # type: ignore[arg-type]


#: the programs a recorded chain may start: Apertium's own, by bare name (found on ``$PATH`` as the
#: engine finds them): ``apertium-*``, ``lt-*``, ``lrx-*``, ``lsx-*``, ``rtx-*``, ``cg-*``,
#: ``hfst-*`` (lower-case letters, digits and hyphens after the prefix) and ``vislcg3``. A record is
#: a file of the user's; still, nothing else is ever run from it.
_PREFIXES = frozenset({"apertium", "lt", "lrx", "lsx", "rtx", "cg", "hfst"})
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def is_program(name: str) -> bool:
    """Whether a record may start the program *name* (see :data:`_PREFIXES`; checked without
    :mod:`re`, which is not imported yet when the record is read)."""
    prefix, dash, rest = name.partition("-")
    return name == "vislcg3" or (
        bool(dash) and prefix in _PREFIXES and rest[:1] not in ("", "-") and set(rest) <= _NAME_CHARS
    )


def _is_key(value: object) -> TypeGuard[Key]:
    return isinstance(value, tuple) and len(value) == 3 + 3 and all(isinstance(v, str) for v in value)


def _is_entry(value: object) -> TypeGuard[Entry]:
    """A launcher ``/…/setpriv --pdeathsig KILL --``, a bash ``/…/bash``, and chains of Apertium's
    programs (:func:`is_program`), each command line a tuple of strings."""
    if not (isinstance(value, tuple) and len(value) == 3):
        return False
    launcher, bash, chains = value
    return (
        isinstance(launcher, tuple)
        and len(launcher) == 4
        and all(isinstance(a, str) for a in launcher)
        and os.path.isabs(launcher[0])
        and os.path.basename(launcher[0]) == "setpriv"
        and launcher[1:] == ("--pdeathsig", "KILL", "--")
        and isinstance(bash, str)
        and os.path.isabs(bash)
        and os.path.basename(bash) == "bash"
        and isinstance(chains, tuple)
        and all(
            isinstance(chain, tuple)
            and chain
            and all(
                isinstance(argv, tuple) and argv and all(isinstance(a, str) for a in argv) and is_program(argv[0])
                for argv in chain
            )
            for chain in chains
        )
    )


def begin(argv: Sequence[str]) -> None:
    """Start the chains recorded for *argv*'s key (see the module docstring); from now until
    :func:`settle`, the chains the engine starts are noted."""
    _discard()  # an earlier run in this process (the tests) that did not settle
    key = key_of(argv)
    with _STATE.lock:
        _STATE.key, _STATE.noted, _STATE.collecting = key, [], key is not None
    if key is None or not hasattr(os, "pidfd_open"):
        return
    entry = _load().get(key)  # (only this key's entry is checked: a run starts nothing else)
    if not _is_entry(entry):
        return
    launcher, bash, chains = entry
    env = launch.chain_environment()
    for argvs in chains:
        errors = launch.error_file()
        try:
            launched = launch.session(bash, launcher, argvs, errors.fileno(), env)
        except (OSError, NotImplementedError):  # (no setpriv or bash there any more, no session with
            errors.close()  # posix_spawn: the engine starts its own)
            return
        with _STATE.lock:
            _STATE.started.append(_Early(argvs, launcher, bash, launched, errors))


def take(argvs: Sequence[Sequence[str]]) -> tuple[list[Process], IO[bytes]] | None:
    """The processes and standard-error file of a chain started early with exactly these command
    lines (and the launcher and bash the engine would use now), now the caller's; ``None`` when
    there is none. The chain is noted (:func:`note`)."""
    from .spawn import adopt_started

    wanted = tuple(tuple(a) for a in argvs)
    note(wanted)
    with _STATE.lock:
        found = next((e for e in _STATE.started if e.argvs == wanted), None)
        if found is None:
            return None
        _STATE.started.remove(found)
    procs = adopt_started(found.launched, wanted, found.launcher, found.bash)
    if procs is None:
        found.errors.close()
        return None
    with _STATE.lock:
        _STATE.adopted += 1
    return procs, found.errors


def note(argvs: Sequence[Sequence[str]]) -> None:
    """Record that the engine started this chain while warming up (between :func:`begin` and
    :func:`settle`; nothing at other times)."""
    wanted = tuple(tuple(a) for a in argvs)
    with _STATE.lock:
        if _STATE.collecting and wanted not in _STATE.noted:
            _STATE.noted.append(wanted)


def settle() -> None:
    """The engine is warm: kill the chains it did not adopt, and record the chains it started
    for this key (none, or chains not run in sessions of their own: the key is forgotten)."""
    from .spawn import session_launch

    with _STATE.lock:
        key, collecting, noted = _STATE.key, _STATE.collecting, tuple(_STATE.noted)
        _STATE.collecting = False
    _discard()
    if key is None or not collecting:
        return
    how = session_launch()
    entry: Entry | None = (how[0], how[1], noted) if how is not None and noted else None
    entries = _read()
    if entries.get(key) == entry:
        return  # the record says so already
    entries.pop(key, None)
    if entry is not None:
        entries[key] = entry
    _write(entries)


def _discard(*, reap: bool = True) -> None:
    """Kill the chains started early that nothing adopted (with *reap*, wait for their bash)."""
    with _STATE.lock:
        started, _STATE.started = _STATE.started, []
    for early in started:
        early.launched.abandon(reap=reap)
        early.errors.close()


atexit.register(_discard, reap=False)
