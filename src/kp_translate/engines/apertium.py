"""The Apertium engine: Debian's rule-based pairs, French→Spanish→English pivot or a direct pair.

Segments go through warm pipelines (``apertium fr-es | apertium spa-eng`` as processes of our
own, or one direct ``fr-en`` mode when installed) in null-flush mode, as Apertium's APy server
runs them: started once, kept open, each segment written with a NUL after it and its output read
up to the next NUL (see "warm pipelines" below). A mode that cannot run that way goes through
batch chains of growing size instead: 64 segments, then 128, 256, 512, then 1024 each
(:meth:`ApertiumEngine.chain_sizes`), segments joined with blank lines, which Apertium's ``txt``
format keeps, the output split again and counted (a count mismatch is resolved by halving the
batch until each part comes back whole).

Unknown-word marks stay on (``*word``: unknown to one stage, ``**word``: unknown to both, ``#word``:
generation error, ``@word``: missing from the bilingual dictionary) so the words are known; they are
stripped from the text and listed in :attr:`Hypothesis.unknown`.

Apertium capitalises the first known word of a sentence whose first words are unknown
("Kpxa a rencontré Kim" → "Kpxa Has found Kim"). That word is put back in lower case when the
source word after the unknown run is lower case (or, for a word the source does not show, when
it is an English function word).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import itertools
import os
import queue
import re
import select
import shlex
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

import regex

from .. import prestart
from ..config import DEFAULT_TARGET, default_pair
from ..errors import EngineError
from ..lang import Pair
from ..lang import get as get_language
from ..lang.en import English
from ..launch import error_file
from ..rx import compiled, deferred, deferred_re, sub_where
from ..spawn import Process, StartError, kill_chain, signal_chain, start_chain
from ..tokens import free_prefix, placeholder_code
from . import discovery
from .base import Hypothesis, Unit
from .routes import Route, find_route

#: keyword options accepted by :class:`ApertiumEngine` (``get_engine`` filters by this)
OPTIONS = ("command", "modes", "batch_size", "first_batch", "timeout", "warm")

#: the Debian packages that give each source language a route into English
PACKAGES = {
    "es": ("apertium-eng-spa",),
    "ca": ("apertium-eng-cat",),
    "gl": ("apertium-en-gl",),
    "eu": ("apertium-eu-en",),
    "fr": ("apertium-fr-es", "apertium-eng-spa"),
    "pt": ("apertium-es-pt", "apertium-eng-spa"),
    "it": ("apertium-spa-ita", "apertium-eng-spa"),
}

#: what this module makes of Apertium's output (marks, codes): part of the model id, so that a
#: change to it is a segment-cache miss
OUTPUT_REVISION = 2
_SEPARATOR = "\n\n"
_SPLIT = deferred(r"\n[ \t]*\n\s*")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")  # (ASCII only: as in :data:`_TXT_SPECIAL`)
# A mark is one to three of * # @ glued to the front of a word, at a word start.
# A run of * # @ glued to the front of a word, wherever it stands (a mark, or the source's own)
_RUN_THEN_WORD = compiled(r"([*#@]+)([\p{L}\p{N}_][\p{L}\p{N}_'’\-]*)")
# A code: letters and digits, hyphens inside (see _Codes)
_CODE = deferred(r"(?<![\p{L}\p{N}_\-‐‑*#@])[\p{L}\p{N}]+(?:[\-‐‑][\p{L}\p{N}]+)*(?![\p{L}\p{N}_\-‐‑])")
#: a character of a number: every character ``str.isdigit`` accepts is one
_DIGIT = compiled(r"\p{N}")
_MARKED_WORD = deferred(r"(?<![\p{L}\p{N}])[*#@]{1,3}([\p{L}\p{N}][\p{L}\p{N}'’\-]*)")
#: the three ways a sentence of Apertium's output starts: the text's start, after closing
#: punctuation and blanks (both an empty match there), or after an opening quote or bracket (itself
#: at the start or after a blank) and blanks
_STOP = rf"{English.sentence_stop}\s+"
_AFTER_STOP = compiled(rf"(?:^|(?<={_STOP}))")
_OPENING = compiled(rf"(?<=^|\s){English.sentence_opening}\s*")
#: every sentence start at once (the definition :func:`_opens_sentence` answers for one place)
_SENTENCE_START = deferred(rf"{_AFTER_STOP.pattern}|{_OPENING.pattern}")
#: what the last character before a sentence start (blanks aside) is, when there is one: the end of
#: a :data:`_STOP` or an :data:`_OPENING` mark
_BEFORE_SENTENCE = English.sentence_marks
#: a mark with nothing but blanks between it and the text's start or a :data:`_BEFORE_SENTENCE`
#: character (the standard engine's ``\s`` is ``str.isspace``): the only marks that may open a sentence
_MARK_AFTER_STOP = re.compile(rf"(?:^|[{re.escape(_BEFORE_SENTENCE)}])\s*([*#@])")


def _opens_sentence(text: str, s: int) -> bool:
    """Whether a :data:`_SENTENCE_START` match ends at *s* (where ``text[s]`` is no blank or quote)."""
    if _AFTER_STOP.match(text, s) is not None:
        return True
    t = s
    while t > 0 and text[t - 1].isspace():
        t -= 1
    return t > 0 and _OPENING.fullmatch(text, t - 1, s) is not None


_UNKNOWN_RUN_THEN_WORD = deferred(
    r"((?:[*#@]{1,3}[\p{L}\p{N}][\p{L}\p{N}'’\-]*[,]?\s+)+)(\p{Lu}\p{Ll}+)(?![\p{L}\p{N}])"
)
_SENTENCE_END = deferred(rf"{English.sentence_stop}\s*$")


@functools.lru_cache(maxsize=8)
def installed_modes(command: str = "apertium") -> tuple[str, ...]:
    """The translation directions ``apertium -l`` lists (empty when Apertium is missing), asked
    once per installation (:mod:`.discovery`)."""
    if shutil.which(command) is None:
        return ()
    try:
        out = discovery.output([command, "-l"], discovery.modes_directories(command))
    except EngineError:
        return ()
    return tuple(line.strip() for line in out.splitlines() if line.strip())


def route_for(pair: Pair, command: str = "apertium") -> Route | None:
    """The installed route for *pair*: its direct mode, else one pivot (:mod:`.routes`)."""
    return find_route(pair, installed_modes(command))


def available(pair: Pair | None = None, command: str = "apertium") -> bool:
    """True when Apertium and a route for *pair* (default: the project's pair) are installed."""
    return route_for(pair or default_pair(), command) is not None


def install_hint(pair: Pair) -> str:
    """The apt command that installs a route for *pair*."""
    packages = " ".join(("apertium", *PACKAGES.get(pair.source, (f"apertium-{pair.source}-{pair.target}",))))
    return f"'sudo apt-get install {packages}'"


def _mode_files(command: str, mode: str) -> list[Path]:
    """The ``.mode`` file of *mode* and the data files it names (for the model id)."""
    exe = shutil.which(command)
    candidates = [Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes")]
    if exe:
        candidates.insert(0, Path(exe).resolve().parent.parent / "share" / "apertium" / "modes")
    for directory in candidates:
        path = directory / f"{mode}.mode"
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            data = [Path(p) for p in regex.findall(r"'(/[^']+)'", text)]
            return [path, *data]
    return []


# -- process chains ------------------------------------------------------------------------------
#
# ``apertium -f txt MODE`` is a shell script: it runs ``apertium-destxt``, then (through ``bash``,
# ``gawk`` and ``cat``) the pipeline of its ``.mode`` file, then ``apertium-retxt``. Run that way, a
# kp-translate killed by SIGKILL or SIGTERM (a CI timeout, the OOM killer) left the whole pipeline
# running: the script's children are not ours, and nothing tells them that we are gone. So the
# chain is built here from the mode file: every process of it (``lt-proc``, ``apertium-tagger``,
# ``lrx-proc``, ``cg-proc``, …) is a direct child of kp-translate, started with
# ``PR_SET_PDEATHSIG = SIGKILL`` (Linux): the kernel kills it when we die, however we die. The
# processes of one chain share a process group of their own (a Ctrl-C on the terminal reaches us
# alone, and we stop the chain), and each gets the default SIGPIPE, so a stage whose reader is gone
# exits at its next write. A mode file that is not a plain pipeline of commands falls back to the
# ``apertium`` script in a session of its own, killed as a group (without the parent-death
# guarantee for the script's own children).

#: mode-file arguments as the ``apertium`` script passes them in ``txt`` format: ``$1`` is the
#: generator option (``-g``: unknown words marked), ``$2`` the tagger option (empty)
_MODE_ARGS = {"$1": ("-g",), "$2": ()}


class Stage(NamedTuple):
    """One process of a chain: its command line and the mode it belongs to."""

    argv: tuple[str, ...]
    mode: str
    script: bool = False  # the ``apertium`` script itself (fallback): killed with its process group


def _parse_pipeline(text: str) -> list[tuple[str, ...]] | None:
    """The commands of a ``.mode`` pipeline (``cmd args | cmd args | …``), with ``$1``/``$2`` as
    :data:`_MODE_ARGS` gives them; ``None`` if it is anything but a plain pipeline."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars="|&;<>()")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:
        return None
    commands: list[tuple[str, ...]] = []
    current: list[str] = []
    for token in [*tokens, "|"]:
        if token == "|":
            if not current:
                return None
            commands.append(tuple(current))
            current = []
        elif token in _MODE_ARGS:
            current.extend(_MODE_ARGS[token])
        elif set(token) & set("|&;<>()$`*?[]{}~\\\\") and not token.startswith("/"):
            return None  # redirection, substitution, glob, assignment: not a plain pipeline
        else:
            current.append(token)
    if not commands or any(shutil.which(c[0]) is None for c in commands):
        return None
    return commands


@functools.lru_cache(maxsize=16)
def _direct_stages(command: str, mode: str) -> tuple[Stage, ...] | None:
    """What ``apertium -f txt MODE`` runs, as our own processes (see above), or ``None``."""
    files = _mode_files(command, mode) if shutil.which(command) is not None else []
    if not files or shutil.which("apertium-destxt") is None or shutil.which("apertium-retxt") is None:
        return None
    mode_file = files[0]
    # the script runs the mode through apertium-wblank-mode (word-bound blanks), when installed
    text = ""
    if shutil.which("apertium-wblank-mode") is not None:
        with contextlib.suppress(EngineError):
            text = discovery.output(["apertium-wblank-mode", str(mode_file)], [mode_file])
    if not text.strip():
        text = mode_file.read_text(encoding="utf-8", errors="replace")
    commands = _parse_pipeline(text.strip())
    if commands is None:
        return None
    argvs = [("apertium-destxt",), *commands, ("apertium-retxt",)]
    return tuple(Stage(argv, mode) for argv in argvs)


#: chains running now (their processes are killed at interpreter exit, whatever is left of them)
_LIVE: set[_Chain] = set()
_LIVE_LOCK = threading.Lock()


def _kill_live() -> None:
    """At exit: SIGKILL every process of every live chain. From then on chains are closed without
    waiting for their processes to be reaped (the kernel tears them down while Python finalises;
    nothing is left to wait for them but their parent's exit)."""
    global _EXITING
    _EXITING = True
    with _LIVE_LOCK:
        chains = list(_LIVE)
    for chain in chains:
        chain.kill()


#: set at interpreter exit (see _kill_live)
_EXITING = False
atexit.register(_kill_live)


class _Chain:
    """The processes of one chain, started together and always killed and reaped together."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = list(stages)
        self.procs: list[Process] = []
        self.errors: IO[bytes] = error_file()  # (closed by close())

    #: chains started in this process (the tests count them)
    starts = 0

    def __enter__(self) -> _Chain:
        return self.start()

    def start(self) -> _Chain:
        """Start every process of the chain (registered for the kill at exit first)."""
        with _LIVE_LOCK:
            _LIVE.add(self)
            _Chain.starts += 1
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        argvs = [stage.argv for stage in self.stages]
        adopted = prestart.take(argvs)
        if adopted is not None:  # the same chain, started before the imports (kp_translate.prestart)
            self.procs, errors = adopted
            self.errors.close()
            self.errors = errors
        else:
            try:
                self.procs = start_chain(argvs, self.errors, own_session=[s.script for s in self.stages])
            except StartError as exc:
                raise EngineError(str(exc)) from None

    def kill(self) -> None:
        """SIGKILL every process of the chain that is still running (and, for the ``apertium``
        script, every process of its group)."""
        signal_chain(self.procs, [s.script for s in self.stages])

    def close(self) -> None:
        try:
            kill_chain(self.procs, [s.script for s in self.stages], reap=not _EXITING)
        finally:
            self.errors.close()
            with _LIVE_LOCK:
                _LIVE.discard(self)

    def run(self, text: str, timeout: float, what: str) -> bytes:
        """Feed *text*, return the last stage's output; raise :class:`EngineError` on a timeout
        or a failing stage."""
        first, last = self.procs[0], self.procs[-1]
        feed_failed: list[BaseException] = []

        def feed() -> None:
            # Whatever happens, close the pipe: Apertium then sees the end of its input and exits,
            # and the caller never waits for the timeout. An error other than a pipe closed by a
            # dying process (whose exit status says why) is raised again in the caller.
            assert first.stdin is not None
            try:
                first.stdin.write(text.encode("utf-8"))
            except OSError:  # BrokenPipeError included
                pass
            except BaseException as exc:  # handed over to the caller
                feed_failed.append(exc)
            finally:
                with contextlib.suppress(OSError):
                    first.stdin.close()

        timed_out = threading.Event()

        def kill_all() -> None:
            timed_out.set()
            self.kill()

        feeder = threading.Thread(target=feed, daemon=True)
        timer = threading.Timer(timeout, kill_all)
        timer.daemon = True
        timer.start()
        feeder.start()
        try:
            assert last.stdout is not None
            out = last.stdout.read()
            for p in self.procs:
                p.wait()
        finally:
            timer.cancel()
            feeder.join(timeout=5)
        if feed_failed:
            raise feed_failed[0]
        if timed_out.is_set():
            raise EngineError(f"apertium {what} timed out after {timeout:.0f} s")
        self._check()
        return out

    def _check(self) -> None:
        failed = [(s, p) for s, p in zip(self.stages, self.procs, strict=True) if p.returncode != 0]
        if not failed:
            return
        # a stage killed by SIGPIPE only saw its reader fail: name the reader
        stage, p = next(((s, p) for s, p in failed if p.returncode != -signal.SIGPIPE), failed[0])
        self.errors.seek(0)
        lines = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        detail = lines[0] if lines else f"{Path(stage.argv[0]).name}: exit status {p.returncode}"
        raise EngineError(f"apertium {stage.mode} failed: {detail}")


# -- warm pipelines (null-flush mode) ------------------------------------------------------------
#
# As Apertium's APy server does: each mode's commands run once, with their null-flush option
# (``lt-proc -z``, ``apertium-tagger -z``, …, as ``apertium-wblank-mode -z`` writes the mode), and
# stay open. A segment is written followed by a NUL; every stage flushes its output at the NUL, and
# the segment's output is read up to the NUL that follows it. ``apertium-destxt`` and
# ``apertium-retxt`` have no null-flush mode (Debian 12): the ``txt`` deformatting and reformatting
# are done here (:func:`deformat`, :func:`reformat`) for the text they are known to handle exactly
# (checked against the programs: tests/test_apertium.py), through one call of the program for
# anything else. The deformatted segment ends with a blank (``.[][\n]``, as ``apertium-destxt``
# writes the end of a text) before the NUL: Debian 12's bilingual ``lt-proc -b`` never flushes a
# NUL that follows a word directly.

#: programs of a mode that pass NULs through and flush at them without an option
_NUL_TRANSPARENT = frozenset({"apertium-wblank-attach", "apertium-wblank-detach"})
# The txt format's patterns below name their characters one by one (no property, no \s or \w), so
# the standard library's engine reads them exactly as ``regex`` does, several times faster: they
# run over every segment, twice for a pivot.
#: what ``apertium-destxt`` escapes with a backslash
_TXT_SPECIAL = deferred_re(r"[\]\[\\/@<>^${}]")
#: the blank runs :func:`deformat` puts in brackets: all but a single space
_TXT_BRACKETED = deferred_re(r"[ \t\n]{2,}|[\t\n]")
#: characters :func:`deformat` leaves to the program (C0 controls but tab and line feed, ``~``, DEL)
_TXT_UNSURE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f~]|\n[ \t]*\n")
#: :data:`_TXT_UNSURE` for a text whose line breaks are read as spaces (its characters alone)
_TXT_UNSURE_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f~]")
_RETXT = deferred_re(r"\\([\]\[\\/@<>^${}])|\.\[\]|[\[\]]")
_RETXT_TOKENS = deferred_re(r"\\.|\[[ \t\n]*\]|[\[\]]", re.S)
#: the tokens of :data:`_RETXT_TOKENS` that :func:`reformat` undoes itself: escapes and blanks in brackets
_RETXT_PLAIN_TOKENS = re.compile(r"\\.|\[[ \t\n]*\]", re.S)
#: a segment's record in a warm chain: framed by two blanks of its own (``[kp17]``, ``[kp17.]``),
#: which every stage copies through, so that its output is known to be its own, and whole
_FRAME = compiled(r"\[kp(\d+)\](.*)\[kp\1\.\]", regex.S)


def _frame(number: int, stream: str) -> bytes:
    return f"[kp{number}]{stream}[kp{number}.]".encode()


def _unframe(record: bytes, number: int | None = None) -> tuple[int, str]:
    """The number and the stream of a framed record; :class:`_Failure` for anything else (the
    output of a chain that is dying, or one out of step)."""
    m = _FRAME.fullmatch(record.decode("utf-8", "replace"))
    if m is None or (number is not None and int(m.group(1)) != number):
        raise _Failure("its output is out of step")
    return int(m.group(1)), str(m.group(2))


def _filter(argv: Sequence[str], data: bytes, timeout: float = 60.0) -> bytes:
    """*data* through one run of a program (its standard output)."""
    import subprocess  # (here: a warm chain's run needs none; the module and its imports cost 5 ms)

    try:
        done = subprocess.run(list(argv), input=data, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"cannot run {argv[0]}: {exc}") from None
    if done.returncode != 0:
        raise EngineError(f"{argv[0]} failed: exit status {done.returncode}")
    return done.stdout


def deformat(text: str) -> str:
    """What ``apertium-destxt`` makes of *text* (stripped, no blank line inside) followed by a line
    break, as it stood in a batch chain: special characters escaped, runs of blanks other than one
    space in brackets, ``.[]`` before the final blank."""
    text = text.strip()
    if _TXT_UNSURE.search(text):
        return _filter(["apertium-destxt"], (text + "\n").encode("utf-8")).decode("utf-8", "replace")
    escaped = sub_where(_TXT_SPECIAL, r"\\\g<0>", text, "[]\\/@<>^${}")
    return sub_where(_TXT_BRACKETED, r"[\g<0>]", escaped, ("  ", "\t", "\n")) + ".[][\n]"


def reformat(stream: str) -> str:
    """What ``apertium-retxt`` makes of a mode's output: escapes undone, ``.[]`` and the brackets
    of blanks removed."""
    # plain: no token of _RETXT_TOKENS is a lone bracket, i.e. no bracket is left once the others
    # are taken out (the scan finds the same tokens either way: a lone bracket is one character)
    rest = _RETXT_PLAIN_TOKENS.sub("", stream) if "[" in stream or "]" in stream else ""
    if "[" in rest or "]" in rest or _TXT_UNSURE_CHAR.search(stream):  # (line breaks count as blanks here)
        return _filter(["apertium-retxt"], stream.encode("utf-8")).decode("utf-8", "replace")
    if "\\" in stream:
        return _RETXT.sub(r"\1", stream)  # (a group that took no part in the match is empty)
    # no escape: what _RETXT removes is each ".[]" (from the left) and every other bracket
    return stream.replace(".[]", "").replace("[", "").replace("]", "")


@functools.lru_cache(maxsize=16)
def _warm_stages(command: str, mode: str) -> tuple[Stage, ...] | None:
    """The commands of *mode* in null-flush mode (``apertium-wblank-mode -z``), or ``None`` when
    they cannot be run that way (no mode file, not a plain pipeline, a program without ``-z``)."""
    files = _mode_files(command, mode) if shutil.which(command) is not None else []
    if not files or shutil.which("apertium-wblank-mode") is None:
        return None
    try:
        text = discovery.output(["apertium-wblank-mode", "-z", str(files[0])], [files[0]])
    except EngineError:
        return None
    commands = _parse_pipeline(text.strip()) if text.strip() else None
    if commands is None:
        return None
    if any("-z" not in argv[1:] and Path(argv[0]).name not in _NUL_TRANSPARENT for argv in commands):
        return None
    return tuple(Stage(argv, mode) for argv in commands)


class _Failure(Exception):
    """A warm pipeline died or hung: restarted, and the segment tried again."""


class _Reader:
    """NUL-terminated records from a chain's last stage."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.fd = stream.fileno()
        self.buffer = bytearray()
        self.poller = select.poll()
        self.poller.register(self.fd, select.POLLIN | select.POLLHUP | select.POLLERR)

    def ready(self) -> bool:
        """A whole record is buffered (or can be read without waiting)."""
        return b"\0" in self.buffer or bool(self.poller.poll(0))

    def read(self, deadline: float, trouble: Callable[[], None] = lambda: None) -> bytes:
        """The next record; :class:`_Failure` at the end of the output or past *deadline*;
        *trouble* is called between waits (it raises what went wrong elsewhere)."""
        while True:
            end = self.buffer.find(b"\0")
            if end >= 0:
                record = bytes(self.buffer[:end])
                del self.buffer[: end + 1]
                return record
            trouble()
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Failure("timed out")
            if not self.poller.poll(min(left, 0.05) * 1000):
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError as exc:
                raise _Failure(str(exc)) from None
            if not data:
                raise _Failure("its output ended")
            self.buffer += data


class _Warm:
    """The warm chains of an engine's modes (one per mode), started on first use, restarted after
    a failure, killed by :meth:`close` (and at exit, with every live chain)."""

    def __init__(self, stages: Sequence[Sequence[Stage]]) -> None:
        self.stages = [list(s) for s in stages]
        self.chains: list[_Chain] = []
        self.readers: list[_Reader] = []
        #: times the chains were started again after a failure
        self.restarts = 0
        self.lock = threading.Lock()
        self.numbers = itertools.count()
        self.relays: list[threading.Thread] = []
        #: what went wrong in a relay (a :class:`_Failure`: a chain died)
        self.errors: list[BaseException] = []

    @property
    def alive(self) -> bool:
        return (
            bool(self.chains)
            and not self.errors
            and all(r.is_alive() for r in self.relays)
            and all(p.poll() is None for c in self.chains for p in c.procs)
        )

    def start(self) -> None:
        if self.alive:
            return
        if self.chains:  # a chain found dead before a call: started again, as after a failure in one
            self.restarts += 1
        self.stop()
        try:
            for stages in self.stages:
                chain = _Chain(stages).start()
                self.chains.append(chain)
                last = chain.procs[-1].stdout
                assert last is not None
                self.readers.append(_Reader(last))
        except BaseException:
            self.stop()
            raise
        self.errors = []
        for k in range(len(self.chains) - 1):
            relay = threading.Thread(target=self._relay, args=(k, self.errors), daemon=True)
            relay.start()
            self.relays.append(relay)

    def _relay(self, k: int, errors: list[BaseException]) -> None:
        """Carry each output of mode *k* to mode *k + 1* (reformatted, deformatted again, as
        ``apertium-retxt | apertium-destxt`` did), for as long as both chains live."""
        reader, chains = self.readers[k], self.chains
        try:
            while True:
                number, stream = _unframe(reader.read(float("inf")))
                data = _frame(number, deformat(reformat(stream)))
                stdin = chains[k + 1].procs[0].stdin
                assert stdin is not None
                stdin.write(data + b"\0")
                stdin.flush()
        except _Failure as exc:
            errors.append(_Failure(f"{self.stages[k][0].mode}: {exc}"))
        except (OSError, ValueError):
            errors.append(_Failure(f"{self.stages[k + 1][0].mode}: its input closed"))
        except BaseException as exc:
            errors.append(exc)

    def restart(self) -> None:
        self.stop()
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        """Kill the chains, let the relays end, then reap and close everything."""
        chains, self.chains, self.readers = self.chains, [], []
        relays, self.relays = self.relays, []
        for chain in chains:
            chain.kill()
        for relay in relays if not _EXITING else ():
            relay.join(timeout=10)
        for chain in chains:
            chain.close()

    def detail(self) -> str:
        """The first line a stage wrote on its standard error, or its exit status."""
        for chain in self.chains:
            for stage, p in zip(chain.stages, chain.procs, strict=True):
                if p.poll() is not None and p.returncode not in (0, -signal.SIGPIPE):
                    chain.errors.seek(0)
                    lines = chain.errors.read().decode("utf-8", "replace").strip().splitlines()
                    return lines[0] if lines else f"{Path(stage.argv[0]).name}: exit status {p.returncode}"
        return ""

    def write(self, k: int, data: bytes) -> None:
        stdin = self.chains[k].procs[0].stdin
        assert stdin is not None
        stdin.write(data + b"\0")
        stdin.flush()


def _ends_sentence(text: str) -> bool:
    return _SENTENCE_END.search(text) is not None


#: what shows the case of the word after an unknown one in the source: a comma or not, blanks, the
#: next word's first character (:func:`_case_hint`)
_HINT_AFTER = deferred(r"[,]?\s+([\p{L}\p{N}])")
#: the start of a word: no letter or digit just before
_WORD_START = deferred(r"(?<![\p{L}\p{N}])")


def _case_hint(source: str, word: str) -> str | None:
    r"""The first character of the word that follows the first whole-word *word* of *source* (after
    a comma or not, and blanks), or ``None``: what ``(?<![\p{L}\p{N}])WORD[,]?\s+([\p{L}\p{N}])``
    finds, without a pattern compiled for each word (0.6 ms each; an archive has thousands)."""
    at = source.find(word)
    while at >= 0:
        if _WORD_START.match(source, at) is not None:
            m = _HINT_AFTER.match(source, at + len(word))
            if m is not None:
                return str(m.group(1))
        at = source.find(word, at + 1)
    return None


def _fix_capitals(output: str, source: str, lower_case_words: frozenset[str]) -> str:
    """Undo Apertium's capital on the first known word after sentence-initial unknown words
    (kept when the source shows a capital there, or, when it shows nothing, unless the word is one
    of the target language's *lower_case_words*)."""

    def fix(m: regex.Match[str]) -> str:
        run, word = str(m.group(1)), str(m.group(2))
        last = _MARKED_WORD.findall(run)[-1]
        lower = word[0].lower() + word[1:]
        hint = _case_hint(source, last)
        if hint is not None:
            return run + (lower if hint.islower() else word)
        return run + (lower if word.lower() in lower_case_words else word)

    if "*" not in output and "#" not in output and "@" not in output:
        return output  # no word marked unknown: nothing to undo
    out = []
    pos = 0
    # a run opens with a mark: only the marks that open a sentence are looked at (the same places
    # as every end of a _SENTENCE_START match, found without trying every mark of the output)
    for mark in _MARK_AFTER_STOP.finditer(output):
        s = mark.start(1)
        if s < pos or not _opens_sentence(output, s):
            continue
        m = _UNKNOWN_RUN_THEN_WORD.match(output, s)
        if m is None:
            continue
        out.append(output[pos:s])
        out.append(fix(m))
        pos = m.end()
    out.append(output[pos:])
    return "".join(out)


def _source_runs(source: str) -> list[tuple[str, str]]:
    """The source's own runs of ``* # @`` glued to a word (``a*b``, ``#MeToo``), with that word."""
    if "*" not in source and "#" not in source and "@" not in source:
        return []
    return [(m.group(1), m.group(2).casefold()) for m in _RUN_THEN_WORD.finditer(source)]


def _strip_marks(output: str, source: str) -> tuple[str, list[str]]:
    """*output* without Apertium's marks, and the words that were marked.

    A mark is a run of ``* # @`` glued to the front of a word, wherever Apertium's tokeniser starts
    one: after a space, but also after a digit (``9**M723``, ``20*h30``, ``152**mm``), a hyphen
    (``Known-35*S``) or an underscore. Of such a run, only what the source itself has before the
    same word is kept (``a*b`` → ``has***b``: one asterisk is the source's, ``#MeToo`` →
    ``#**MeToo``); a source run whose word the output does not show (translated) may be matched
    by any run, in order. Everything else is a mark.
    """
    runs = _source_runs(source)
    if not runs:  # (the usual case) every run is a mark
        return _RUN_THEN_WORD.sub(r"\2", output), [w.rstrip("'’-_") for _, w in _RUN_THEN_WORD.findall(output)]
    found = list(_RUN_THEN_WORD.finditer(output))
    keep = [""] * len(found)
    if runs:
        used = [False] * len(runs)
        words = [m.group(2).casefold() for m in found]
        for j, m in enumerate(found):  # the same word first
            k = next(
                (k for k, (r, w) in enumerate(runs) if not used[k] and w == words[j] and m.group(1).startswith(r)), None
            )
            if k is not None:
                used[k], keep[j] = True, runs[k][0]
        shown = set(words)
        for j, m in enumerate(found):  # then source runs whose word was translated away
            if keep[j]:
                continue
            k = next(
                (k for k, (r, w) in enumerate(runs) if not used[k] and w not in shown and m.group(1).startswith(r)),
                None,
            )
            if k is not None:
                used[k], keep[j] = True, runs[k][0]
    out: list[str] = []
    unknown: list[str] = []
    pos = 0
    for m, kept in zip(found, keep, strict=True):
        if len(kept) < len(m.group(1)):
            unknown.append(m.group(2).rstrip("'’-_"))
        out.append(output[pos : m.start()])
        out.append(kept)
        pos = m.start(2)
    out.append(output[pos:])
    return "".join(out), unknown


def clean_output(output: str, source: str = "", lower_case_words: frozenset[str] | None = None) -> Hypothesis:
    """Strip Apertium's unknown-word marks from *output* (:func:`_strip_marks`), listing the
    marked words; *source* is the text Apertium was given, *lower_case_words* the target
    language's (default: the default target's)."""
    if lower_case_words is None:
        lower_case_words = get_language(DEFAULT_TARGET).lower_case_words
    fixed = _fix_capitals(output, source, lower_case_words)
    text, unknown = _strip_marks(fixed, source)
    return Hypothesis(text=text.strip(), score=0.0, unknown=unknown)


@dataclass
class _Codes:
    """A segment whose codes (``Su-35S``, ``9M723``, ``Tu-95``) are replaced by placeholders that
    Apertium carries through: its tokeniser splits a code at its hyphens and digits and translates
    the pieces that are words (``Su-35S`` → ``Known-35S``, ``Tu-95`` → ``Quiet-95``, ``Il-76`` →
    ``He-76``). A code is a word of letters and digits, hyphens inside, with at least one digit
    and one capital letter (``20h30``, ``152mm`` and ``2e`` are not: Apertium only marks them).
    The placeholders' prefix is one the segment does not contain (:func:`kp_translate.tokens.free_prefix`),
    so neither the source nor the glossary's own placeholders are touched."""

    text: str
    prefix: str = ""
    codes: dict[str, str] | None = None

    @classmethod
    def protect(cls, text: str) -> _Codes:
        found = _codes_in(text)
        if not found:
            return cls(text)
        prefix = free_prefix(text)
        codes: dict[str, str] = {}
        by_code: dict[str, str] = {}
        out: list[str] = []
        pos = 0
        for m in found:
            token = by_code.get(m.group())
            if token is None:
                token = by_code[m.group()] = prefix + placeholder_code(len(codes))
                codes[token.casefold()] = m.group()
            out.append(text[pos : m.start()])
            out.append(token)
            pos = m.end()
        out.append(text[pos:])
        return cls("".join(out), prefix, codes)

    def restore(self, hyp: Hypothesis) -> Hypothesis:
        if not self.codes:
            return hyp
        codes = self.codes
        pattern = compiled(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(self.prefix)}[a-z]+(?![\p{{L}}\p{{N}}])", regex.I)
        text = pattern.sub(lambda m: codes.get(m.group().casefold(), m.group()), hyp.text)
        unknown = [w for w in hyp.unknown if w.casefold() not in codes]
        return Hypothesis(text=text, score=hyp.score, unknown=unknown)


def _is_code(word: str) -> bool:
    return any(ch.isdigit() for ch in word) and any(ch.isupper() for ch in word)


def _codes_in(text: str) -> list[regex.Match[str]]:
    """The matches of :data:`_CODE` in *text* that :func:`_is_code` accepts, in order.

    Only the pieces of *text* between spaces and line breaks that hold a digit are searched: a
    code holds a digit and never a space or a line break, and neither character is one that the
    pattern's look-behind or look-ahead refuses, so a piece searched alone (its bounds at a space,
    a line break or an end of the text) gives the matches the whole text gives there."""
    found: list[regex.Match[str]] = []
    pos = 0
    while (digit := _DIGIT.search(text, pos)) is not None:
        at = digit.start()
        start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
        ends = [e for e in (text.find(" ", at), text.find("\n", at)) if e >= 0]
        pos = min(ends) if ends else len(text)
        found.extend(m for m in _CODE.finditer(text, start, pos) if _is_code(m.group()))
    return found


class ApertiumEngine:
    """One language pair through Apertium: its route's modes in one process chain per batch of
    segments (a direct mode, or two through a pivot)."""

    name = "apertium"
    #: Apertium translates whole paragraphs as well as sentences, and much faster per call.
    unit: Unit = "paragraph"
    #: Apertium yields one hypothesis and knows nothing of suppress lists.
    supports_n_best = False

    def __init__(
        self,
        pair: Pair | None = None,
        command: str = "apertium",
        modes: Sequence[str] | None = None,
        batch_size: int = 1024,
        first_batch: int = 64,
        timeout: float | None = None,
        warm: bool = True,
    ) -> None:
        self.command = command
        self.pair = pair or default_pair()
        if modes is None:
            route = route_for(self.pair, command)
            if route is None:
                raise EngineError(f"no Apertium route {self.pair.source}→{self.pair.target}: {install_hint(self.pair)}")
            modes = route.modes
        self.modes: tuple[str, ...] = tuple(modes)
        #: English words that never start with a capital mid-sentence (see :func:`_fix_capitals`)
        self.lower_case_words: frozenset[str] = get_language(self.pair.target).lower_case_words
        self.batch_size = max(1, int(batch_size))
        self.first_batch = max(1, int(first_batch))
        self.timeout = timeout
        self.warm = warm

    def chain_sizes(self, n: int) -> list[int]:
        """How :meth:`translate_chunks` splits *n* segments into process chains: *first_batch*,
        then twice as many each time, up to *batch_size* (64, 128, 256, 512, 1024, 1024, … by
        default)."""
        size = min(self.first_batch, self.batch_size)
        sizes: list[int] = []
        while n > 0:
            sizes.append(min(size, n))
            n -= sizes[-1]
            size = min(2 * size, self.batch_size)
        return sizes

    @functools.cached_property
    def model_id(self) -> str:
        """``apertium-<version>:<modes>:<hash of the mode files and the sizes of their data>``."""
        version = discovery.output([self.command, "-V"]).strip().replace("Apertium ", "") or "unknown"
        h = hashlib.sha256()
        h.update(f"output:{OUTPUT_REVISION}\n".encode())
        for mode in self.modes:
            for path in _mode_files(self.command, mode):
                try:
                    stat = path.stat()
                except OSError:
                    continue
                h.update(f"{path.name}:{stat.st_size}\n".encode())
                if path.suffix == ".mode":
                    h.update(path.read_bytes())
        return f"apertium-{version}:{'+'.join(self.modes)}:{h.hexdigest()[:12]}"

    def translate_batch(
        self,
        segments: Sequence[str],
        n_best: int = 1,
        suppress: Sequence[str] = (),
    ) -> list[list[Hypothesis]]:
        """One hypothesis per segment (Apertium has no n-best); *suppress* is ignored."""
        result: list[list[Hypothesis]] = []
        for _, hyps in self.translate_chunks(segments):
            result.extend(hyps)
        return result

    def translate_chunks(self, segments: Sequence[str]) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        """Translate *segments*, yielding ``(index of the first, their hypotheses)`` in order as
        they come back: through the warm pipelines (:attr:`pipelines`) as soon as each result is
        there (a few at a time when several are ready, at most :attr:`batch_size`), else through
        one batch chain at a time (:meth:`chain_sizes`)."""
        if self.pipelines is None:
            yield from self._batch_chunks(segments)
        else:
            yield from self._warm_chunks(self.pipelines, segments)

    @property
    def streams(self) -> bool:
        """Whether :meth:`translate_chunks` reads its segments one by one as it feeds them (so the
        caller may compute them on demand): with the warm pipelines."""
        return self.pipelines is not None

    def warm_up(self) -> None:
        """Start the warm pipelines now (they load their data while the caller gets ready)."""
        if self.pipelines is not None:
            with self.pipelines.lock:
                self.pipelines.start()

    def close(self) -> None:
        """Stop the warm pipelines (started again if the engine is used after this)."""
        if "pipelines" in self.__dict__ and self.pipelines is not None:
            with self.pipelines.lock:
                self.pipelines.stop()

    @functools.cached_property
    def pipelines(self) -> _Warm | None:
        """The warm null-flush chains of the route's modes (started on first use), or ``None``
        when a mode cannot run that way (or ``warm=False``): batch chains then."""
        if not self.warm:
            return None
        stages = [_warm_stages(self.command, mode) for mode in self.modes]
        if any(s is None for s in stages):
            return None
        return _Warm([s for s in stages if s is not None])

    def _segment_timeout(self, text: str) -> float:
        """Seconds a segment may take in the warm pipelines: generous, growing with its length."""
        return self.timeout if self.timeout is not None else 60.0 + len(text) / 100.0

    def _warm_chunks(self, warm: _Warm, segments: Sequence[str]) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        """The warm schedule: *segments* are read one by one as they are fed (a sequence whose
        items are computed on demand is fine: its length is never asked); a failure restarts the
        chains and feeds again from the first segment not returned; a second failure on the same
        segment is an :class:`EngineError` naming it (``error.segment``: its index)."""
        done = 0  # segments returned
        failed_at = -1  # the segment the last failure happened on
        with warm.lock:
            while True:
                try:
                    for start, group in self._warm_run(warm, segments, done):
                        done = start + len(group)
                        yield start, group
                    return
                except _Failure as exc:
                    if failed_at != done:
                        failed_at = done
                        warm.restart()
                        continue
                    detail = warm.detail()
                    warm.stop()
                    text = _BLANK_LINES.sub("\n", segments[done].strip())
                    preview = text if len(text) <= 60 else text[:57] + "..."
                    error = EngineError(
                        f"apertium {' | '.join(self.modes)} failed twice on segment {done + 1}"
                        f" ({exc}{': ' + detail if detail else ''}): {preview!r}"
                    )
                    error.segment = done  # type: ignore[attr-defined]
                    raise error from None

    def _warm_run(
        self, warm: _Warm, segments: Sequence[str], first: int
    ) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        """``segments[first:]`` through the warm chains: a feeding thread protects codes, deformats
        and writes each segment (announcing it to this generator through a bounded queue); for a
        pivot, a thread per hop carries each output to the next mode; this generator reads the last
        mode's outputs and restores them, yielding them in order, several at a time when several
        are ready. :class:`_Failure` when a chain dies or a segment times out (the chains are then
        killed: the caller restarts them)."""
        warm.start()
        entries: queue.Queue[tuple[int, _Codes | None, int] | None] = queue.Queue(maxsize=256)
        errors: list[BaseException] = []
        stop = threading.Event()

        def stopped() -> None:
            if stop.is_set():
                raise _Failure("stopped")

        def announce(entry: tuple[int, _Codes | None, int] | None) -> bool:
            while not stop.is_set():
                try:
                    entries.put(entry, timeout=0.05)
                    return True
                except queue.Full:
                    continue
            return False

        def feed() -> None:
            i = first
            try:
                while not stop.is_set():
                    try:
                        segment = segments[i]
                    except IndexError:
                        break
                    text = _BLANK_LINES.sub("\n", segment.strip())
                    if not text:
                        if not announce((i, None, -1)):
                            return
                    else:
                        prep = _Codes.protect(text)
                        number = next(warm.numbers)
                        data = _frame(number, deformat(prep.text))
                        if not announce((i, prep, number)):
                            return
                        warm.write(0, data)
                    i += 1
                announce(None)
            except UnicodeError as exc:  # text Apertium cannot be given: the caller's error
                errors.append(exc)
            except (OSError, ValueError) as exc:  # a chain died (its pipe closed, or closed by us)
                errors.append(_Failure(f"its input closed ({exc})"))
            except BaseException as exc:  # handed over to the reader
                errors.append(exc)

        def trouble() -> None:
            if errors or warm.errors:
                raise (errors or warm.errors)[0]

        threads = [threading.Thread(target=feed, daemon=True)]
        for thread in threads:
            thread.start()
        reader = warm.readers[-1]
        finished = False
        try:
            start = first
            group: list[list[Hypothesis]] = []
            while True:
                entry: tuple[int, _Codes | None, int] | None
                while True:
                    trouble()
                    try:
                        entry = entries.get(timeout=0.05)
                        break
                    except queue.Empty:
                        continue
                if entry is None:
                    break
                i, prep, number = entry
                if prep is None:
                    group.append([Hypothesis(text="")])
                else:
                    record = reader.read(time.monotonic() + self._segment_timeout(prep.text), trouble)
                    group.append([self._finish(prep, _unframe(record, number)[1])])
                if len(group) >= self.batch_size or not reader.ready():
                    yield start, group
                    start, group = i + 1, []
            finished = True
            if group:
                yield start, group
        finally:
            stop.set()
            if not finished:  # segments in flight: kill the chains, so that the threads end
                for chain in warm.chains:
                    chain.kill()
            for thread in threads:
                thread.join(timeout=10)
            if not finished:
                warm.stop()

    def _finish(self, prep: _Codes, record: str) -> Hypothesis:
        """The hypothesis for one segment's output record (as :meth:`_translate_checked` splits a
        batch: blank lines inside one segment's output become spaces)."""
        out = reformat(record).strip()
        parts = (_SPLIT.split(out) if "\n" in out else [out]) if out else []
        text = parts[0] if len(parts) == 1 else " ".join(p.strip() for p in parts)
        return prep.restore(clean_output(text, prep.text, self.lower_case_words))

    def _batch_chunks(self, segments: Sequence[str]) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        """Translate *segments* one process chain at a time (:meth:`chain_sizes`), yielding
        ``(index of the chain's first segment, its hypotheses)`` as each chain returns.

        The pipeline commits each chain's output to the segment cache as it comes, so an
        interrupted run loses one chain's work at most; the first chains are small (a run of a
        hundred paragraphs is already resumable), later ones large (each chain costs about a
        quarter of a second to start, which stays a small part of a long run).
        """
        start = 0
        for size in self.chain_sizes(len(segments)):
            part = segments[start : start + size]
            result: list[list[Hypothesis]] = [[Hypothesis(text="")] for _ in part]
            todo = [(i, _BLANK_LINES.sub("\n", s.strip())) for i, s in enumerate(part) if s.strip()]
            if todo:
                prepared = [_Codes.protect(s) for _, s in todo]
                outputs = self._translate_checked([p.text for p in prepared])
                for (i, _), prep, out in zip(todo, prepared, outputs, strict=True):
                    result[i] = [prep.restore(clean_output(out, prep.text, self.lower_case_words))]
            yield start, result
            start += size

    # -- process handling --------------------------------------------------------------------

    def _translate_checked(self, segments: list[str]) -> list[str]:
        """Translate joined segments; split the batch in two while the paragraph count is off."""
        raw = self._pipe(_SEPARATOR.join(segments) + "\n")
        parts = [p for p in _SPLIT.split(raw.strip())] if raw.strip() else []
        if len(parts) == len(segments):
            return parts
        if len(segments) == 1:
            return [" ".join(p.strip() for p in parts)]
        half = len(segments) // 2
        return self._translate_checked(segments[:half]) + self._translate_checked(segments[half:])

    @functools.cached_property
    def stages(self) -> list[Stage]:
        """The processes of one chain, first to last: for each mode, ``apertium-destxt``, the
        mode's own commands and ``apertium-retxt`` (what ``apertium -f txt MODE`` runs), or the
        ``apertium`` script itself when the mode file cannot be read as a plain pipeline."""
        out: list[Stage] = []
        for mode in self.modes:
            direct = _direct_stages(self.command, mode)
            out.extend(direct if direct is not None else [Stage((self.command, "-f", "txt", mode), mode, script=True)])
        return out

    def _pipe(self, text: str) -> str:
        """Run *text* through every stage in one chain of processes; returns stdout of the last."""
        timeout = self.timeout if self.timeout is not None else 120.0 + len(text) / 2000.0
        with _Chain(self.stages) as chain:
            return chain.run(text, timeout, " | ".join(self.modes)).decode("utf-8", "replace")
