"""Shared fixtures: the real dossier, the real glossary, and a socket blocker."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FR = ROOT / "corpus" / "fr"
CORPUS_REF = ROOT / "corpus" / "ref"
GLOSSARY_DIR = ROOT / "glossary"
DOSSIER_FILES = sorted(CORPUS_FR.glob("*.txt"))


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


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a network connection raises NetworkBlocked (AF_UNIX stays allowed)."""
    real_socket = socket.socket

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = socket.AF_INET, *args: object, **kwargs: object) -> None:
            if family in (socket.AF_INET, socket.AF_INET6):
                raise NetworkBlocked(f"network access attempted (family {family})")
            super().__init__(family, *args, **kwargs)  # type: ignore[arg-type]

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkBlocked(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


#: each test's reports by phase ("setup", "call", "teardown"), for fixtures that act on a failure
PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report: pytest.TestReport = yield
    item.stash.setdefault(PHASE_REPORTS, {})[report.when] = report
    return report
