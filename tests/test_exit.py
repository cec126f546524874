"""How the ``kp-translate`` program ends (kp_translate.cli.main without arguments): the exit
status, the standard streams, ``atexit`` functions and live threads are as a normal interpreter
exit leaves them, the Apertium processes are gone, but Python's final teardown is skipped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kp_translate

from conftest import GLOSSARY_DIR

SRC = Path(kp_translate.__file__).resolve().parents[1]
SENTENCE = "Le dirigeant nord-coréen Kim Jong-un a rencontré Iouri Ouchakov à Pyongyang.\n"


def _program(prelude: str, *args: str, tag: str = "", stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC), KP_TRANSLATE_GLOSSARY=str(GLOSSARY_DIR), KP_TEST_EXIT=tag)
    code = f"{prelude}\nfrom kp_translate.cli import main\nmain()\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args], input=stdin, env=env, capture_output=True, text=True, timeout=120
    )


def _tagged(tag: str) -> list[int]:
    needle = f"KP_TEST_EXIT={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_a_translation_ends_with_its_output_whole_and_no_apertium_process_left(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex
    marker = tmp_path / "atexit-ran"
    prelude = f"import atexit\natexit.register(lambda: open({str(marker)!r}, 'w').write('yes'))"
    run = _program(
        prelude, "translate", "-", "--engine", "apertium", "--no-cache", "--no-progress", tag=tag, stdin=SENTENCE
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.endswith("\n") and "Kim Jong Un" in run.stdout and "Yuri Ushakov" in run.stdout
    assert "terms enforced" in run.stderr
    assert marker.read_text() == "yes"  # atexit functions ran
    deadline = time.monotonic() + 2.0
    while _tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _tagged(tag) == []


def test_the_collector_waits_until_the_command_is_imported_then_skips_what_it_imported() -> None:
    """No collection runs while the command line imports ``translate`` and the library (from
    ``prestart``, the first module ``main`` imports once the pause is held: what comes before may be
    compiled from source here); then the collector is on again, with what the imports made frozen out
    of its walks."""
    prelude = (
        "import atexit, gc, sys\n"
        "early = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and 'kp_translate.prestart' in sys.modules"
        " and 'kp_translate.commands.translate' not in sys.modules and early.append(info))\n"
        "atexit.register(lambda: print('GC', gc.isenabled(), gc.get_freeze_count(), len(early), file=sys.stderr))"
    )
    run = _program(prelude, "translate", "-", "--engine", "apertium", "--no-cache", "--no-progress", stdin=SENTENCE)
    assert run.returncode == 0, run.stderr
    assert "Kim Jong Un" in run.stdout
    _, enabled, frozen, early = run.stderr.splitlines()[-1].split()
    assert (enabled, early) == ("True", "0") and int(frozen) > 20_000


def test_errors_keep_their_exit_status_and_message(tmp_path: Path) -> None:
    run = _program("", "translate", "-", "--from", "xx", stdin=SENTENCE)
    assert run.returncode == 2
    assert "unknown language 'xx'" in run.stderr
    missing = tmp_path / "missing.txt"
    run = _program("", "translate", str(missing), "-o", str(tmp_path / "out"))
    assert run.returncode != 0
    assert run.stderr.startswith("kp-translate: error:") and "Traceback" not in run.stderr


def test_a_thread_still_running_is_waited_for_as_python_would(tmp_path: Path) -> None:
    """A non-daemon thread keeps a normal interpreter alive until it ends: the program does not
    cut it short (here it writes a file after the command is done)."""
    done = tmp_path / "thread-done"
    prelude = (
        "import threading, time\n"
        f"threading.Thread(target=lambda: (time.sleep(0.5), open({str(done)!r}, 'w').write('ok'))).start()"
    )
    run = _program(prelude, "--help")
    assert run.returncode == 0 and "translate" in run.stdout
    assert done.read_text() == "ok"
