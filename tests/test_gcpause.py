"""kp_translate.gcpause: the collector paused while a glossary is built, and while the command line
starts (held by kp_translate.cli.main, ended once the command's modules are imported)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kp_translate import gcpause


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    """Each test starts with the collector on, nothing frozen and no pause held; leaves it so."""
    gc.unfreeze()
    gc.enable()
    gcpause._STARTUP.clear()
    yield
    gc.unfreeze()
    gc.enable()
    gcpause._STARTUP.clear()


def test_the_start_up_pause_turns_the_collector_off_then_on_with_what_is_alive_frozen() -> None:
    gcpause.hold_startup()
    assert not gc.isenabled()
    alive = [[] for _ in range(1000)]  # made during the pause
    gcpause.end_startup()
    assert gc.isenabled() and gc.get_freeze_count() >= len(alive)
    gcpause.end_startup()  # a second end changes nothing
    assert gc.isenabled()


def test_the_start_up_pause_leaves_a_collector_someone_else_turned_off_as_it_was() -> None:
    gc.disable()
    gcpause.hold_startup()
    gcpause.end_startup()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_an_end_without_a_pause_freezes_nothing() -> None:
    gcpause.end_startup()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_build_pause_inside_the_start_up_pause_leaves_it_to_the_start_up_end() -> None:
    gcpause.hold_startup()
    with gcpause.paused():
        pass
    assert not gc.isenabled()  # still the start-up's pause
    gcpause.end_startup()
    assert gc.isenabled()
