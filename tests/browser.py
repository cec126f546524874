"""A real server and a real browser for the review page's tests.

The server is ``kp-translate serve`` in a child process (uvicorn on a free loopback port, the
project's glossary, real Apertium), in its own process group so that nothing it starts outlives
the tests. The browser is Debian's headless Chromium (``/usr/bin/chromium``, installed by
scripts/setup.sh) driven by Playwright, with a fresh profile and every name but the loopback
address unresolvable, so that the page can only reach the server under test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # offline: no name resolves, so nothing but the loopback server can be fetched
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
#: a generous bound: the first request starts Apertium's French chain on a shared CI machine
STARTUP_SECONDS = 90.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """SIGTERM to the group (uvicorn shuts down, the pool closes its pipelines), then SIGKILL."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # anything left in the group
        self.process.wait(timeout=15)


def start_server(store: Path, log: Path, *extra: str) -> Server:
    """``kp-translate serve`` from this checkout's sources on a free port, ready to answer."""
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    command = [
        sys.executable,
        "-c",
        "from kp_translate.cli import main; main()",
        "serve",
        "--port",
        str(port),
        "--store",
        str(store),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--warm", "fr", *extra],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"kp-translate serve exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.stop()
    pytest.fail(f"kp-translate serve did not answer within {STARTUP_SECONDS:.0f} s:\n{log.read_text(errors='replace')}")


def launch_chromium(playwright: Any, profile: Path, downloads: Path) -> Any:
    """Debian's Chromium with a fresh profile; a clear failure when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the review page is tested in Debian's chromium (apt install chromium)")
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        accept_downloads=True,
        downloads_path=str(downloads),
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
