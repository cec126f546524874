"""No Apertium process outlives kp-translate, however kp-translate dies (issue 9, item 3).

A real ``kp-translate translate`` runs on a document of dossier paragraphs in a subprocess whose
environment carries a unique tag (every process it starts inherits it); once Apertium processes
are running it is killed with SIGKILL (what the OOM killer sends) or SIGTERM (a CI timeout).
Afterwards, no process carrying the tag may remain: found by scanning ``/proc/*/environ``.

Just before the kill, one Apertium process of the chain is stopped (SIGSTOP): it stands for a
stage busy on a long paragraph, which neither reads nor writes for minutes. Without the fix the
chain's processes then outlive kp-translate indefinitely (those before it blocked writing, those
after it waiting for its output); an orphan chain that happens to be writing dies of SIGPIPE
anyway, so without the stopped stage the test could pass by luck.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

import kp_translate
from kp_translate.segment import read_document

from conftest import DOSSIER_FILES, ROOT

SRC = Path(kp_translate.__file__).resolve().parents[1]
APERTIUM_PROGRAMS = ("lt-proc", "apertium", "cg-proc", "lrx-proc", "gawk", "bash")


def tagged(tag: str) -> list[tuple[int, str]]:
    """Live processes (zombies excluded: they hold no environment) whose environment has *tag*."""
    found = []
    needle = f"KP_TEST_CHAIN={tag}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append((int(entry.name), comm))
    return found


def is_apertium(comm: str) -> bool:
    return comm.startswith(APERTIUM_PROGRAMS)


@pytest.fixture(scope="module")
def long_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Dossier paragraphs, twenty times over (about 2,400 paragraphs): a run of many chains."""
    paragraphs = [p.text for f in DOSSIER_FILES for p in read_document(f).paragraphs]
    path = tmp_path_factory.mktemp("long") / "long.txt"
    path.write_text("\n\n".join(paragraphs * 20) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_no_apertium_process_outlives_a_killed_run(long_document: Path, tmp_path: Path, sig: signal.Signals) -> None:
    tag = uuid.uuid4().hex
    env = dict(os.environ, KP_TEST_CHAIN=tag, PYTHONPATH=str(SRC), KP_TRANSLATE_GLOSSARY=str(ROOT / "glossary"))
    cmd = [sys.executable, "-c", "from kp_translate.cli import main; main()", "translate", str(long_document)]
    cmd += ["-o", str(tmp_path / "out"), "--engine", "apertium", "--no-cache", "--no-progress"]
    run = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while True:  # until a whole chain of processes is there to outlive us
            running = [(pid, c) for pid, c in tagged(tag) if is_apertium(c)]
            taggers = [pid for pid, c in running if c.startswith("apertium-tagge")]
            if len(running) >= 10 and taggers:
                break
            assert run.poll() is None, run.stderr.read() if run.stderr else ""
            assert time.monotonic() < deadline, "no Apertium chain started"
            time.sleep(0.01)
        os.kill(taggers[-1], signal.SIGSTOP)  # a stage that makes no progress (see the module doc)
        run.send_signal(sig)
        run.wait(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    deadline = time.monotonic() + 2.0
    left = tagged(tag)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = tagged(tag)
    try:
        assert left == [], f"{len(left)} process(es) outlived kp-translate ({signal.Signals(sig).name}): {left}"
    finally:
        for pid, _ in left:  # do not leave them to the other tests
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert not (tmp_path / "out" / "long.txt").exists()  # no partial output either
    if sig == signal.SIGTERM:  # handled: the run unwinds (chains stopped, no partial file) and says so
        assert run.returncode == 143
        assert run.stderr is not None and run.stderr.read().decode().strip().endswith("kp-translate: terminated")
