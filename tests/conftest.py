"""Shared fixtures: the real dossier, the real glossary, and a socket blocker."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FR = ROOT / "corpus" / "fr"
CORPUS_REF = ROOT / "corpus" / "ref"
GLOSSARY_DIR = ROOT / "glossary"
DOSSIER_FILES = sorted(CORPUS_FR.glob("*.txt"))

#: what the tests cache (segments, the installation's modes, compiled glossaries and patterns), in
#: the processes they start too: a directory of the test session, never the user's ~/.cache
#: (a worker process that imports this module again keeps its session's); tests of where the
#: cache goes set or remove the variable themselves
TEST_CACHE = os.environ.get("KP_TRANSLATE_TESTS_CACHE") or tempfile.mkdtemp(prefix="kp-translate-tests-cache-")
os.environ["KP_TRANSLATE_TESTS_CACHE"] = os.environ["KP_TRANSLATE_CACHE"] = TEST_CACHE


@pytest.fixture(scope="session", autouse=True)
def _test_cache() -> Iterator[str]:
    yield TEST_CACHE
    from kp_translate import rxstore

    rxstore.save()  # now rather than at exit, once the directory is gone
    shutil.rmtree(TEST_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus_fr() -> Path:
    return CORPUS_FR


@pytest.fixture(scope="session")
def glossary_dir() -> Path:
    return GLOSSARY_DIR


@pytest.fixture(scope="session")
def real_glossary():  # type: ignore[no-untyped-def]
    from kp_translate import glossary

    return glossary.load(GLOSSARY_DIR)


class NetworkBlocked(RuntimeError):
    pass


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def running(pid: int) -> bool:
    """Whether process *pid* is still running: gone, or a zombie its parent (or init) has not reaped
    yet, is not."""
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def _loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) and address else address
    return isinstance(host, str) and (host in LOOPBACK or host.startswith("127."))


def block_network(mp: pytest.MonkeyPatch, *, loopback: bool) -> None:
    """Make *mp* refuse network access; with *loopback*, sockets may still bind and connect to
    127.0.0.1 / ::1 (a test server and its clients), nothing else."""
    real_socket = socket.socket
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    if loopback:

        class LoopbackSocket(real_socket):  # type: ignore[misc, valid-type]
            def connect(self, address: object) -> None:
                if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
                    raise NetworkBlocked(f"network access attempted: {address!r}")
                super().connect(address)

            def connect_ex(self, address: object) -> int:
                if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
                    raise NetworkBlocked(f"network access attempted: {address!r}")
                return int(super().connect_ex(address))

            def sendto(self, data: bytes, *args: object) -> int:
                if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(args[-1]):
                    raise NetworkBlocked(f"network access attempted: {args[-1]!r}")
                return int(super().sendto(data, *args))  # type: ignore[call-overload]

        def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
            if host is not None and not _loopback(host):
                raise NetworkBlocked(f"network access attempted: {host!r}")
            return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

        def create_connection(address: object, *args: object, **kwargs: object) -> object:
            if not _loopback(address):
                raise NetworkBlocked(f"network access attempted: {address!r}")
            return real_create_connection(address, *args, **kwargs)  # type: ignore[arg-type]

        mp.setattr(socket, "socket", LoopbackSocket)
        mp.setattr(socket, "getaddrinfo", getaddrinfo)
        mp.setattr(socket, "create_connection", create_connection)
        return

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = socket.AF_INET, *args: object, **kwargs: object) -> None:
            if family in (socket.AF_INET, socket.AF_INET6):
                raise NetworkBlocked(f"network access attempted (family {family})")
            super().__init__(family, *args, **kwargs)  # type: ignore[arg-type]

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkBlocked(f"network access attempted: {args!r}")

    mp.setattr(socket, "socket", GuardedSocket)
    mp.setattr(socket, "create_connection", refuse)
    mp.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a network connection raises NetworkBlocked (AF_UNIX stays allowed)."""
    block_network(monkeypatch, loopback=False)
    yield


@pytest.fixture(scope="module")
def loopback_only() -> Iterator[None]:
    """For a module's tests: network access raises NetworkBlocked except to 127.0.0.1 / ::1."""
    with pytest.MonkeyPatch.context() as mp:
        block_network(mp, loopback=True)
        yield


@contextlib.contextmanager
def running_server(settings: object = None, app: object = None) -> Iterator[str]:
    """A real uvicorn server for *settings* (a ``ServerSettings``), or for *app*, on a free loopback
    port, in a thread of this process; yields its base URL and stops it (its engines' pipelines
    stay in the process pool, closed at exit)."""
    import threading

    import uvicorn

    from kp_translate.server import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    application = app if app is not None else create_app(settings)
    config = uvicorn.Config(application, log_level="warning", access_log=False, lifespan="on")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


#: each test's reports by phase ("setup", "call", "teardown"), for fixtures that act on a failure
PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report: pytest.TestReport = yield
    item.stash.setdefault(PHASE_REPORTS, {})[report.when] = report
    return report
