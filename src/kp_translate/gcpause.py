"""The cyclic garbage collector paused while a glossary and its matchers are built.

A 20,000-entry glossary is some 400,000 Python objects (entries, their lists and strings, the
matchers' tables), none of them part of a reference cycle: reference counting frees them. Yet each
allocation counts towards the collector's thresholds, and every collection walks all the objects
still alive, so building them with the collector running spent a third of the build walking them
(issue 10: the whole run 4.0 → 3.0 s with the collector off). :func:`paused` turns it off for the
build; with ``freeze=True`` (large, long-lived structures only), :func:`gc.freeze` then moves every
object alive into the permanent generation, so that later collections never walk them either.
Freezing keeps any garbage cycle that exists at that moment alive for good, which is why small
glossaries (a request's glossary in the server) are not frozen.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

#: entries from which a glossary (and its matchers) is frozen once built
FREEZE_MIN = 2_000


class Pause:
    """What a :func:`paused` block decides: whether to freeze what is alive when it ends."""

    def __init__(self, freeze: bool) -> None:
        self.freeze = freeze


@contextlib.contextmanager
def paused(freeze: bool = False) -> Iterator[Pause]:
    """The block runs with the cyclic collector off (restored after, even on error; nested blocks
    leave it to the outermost). With *freeze* (or ``pause.freeze`` set by the block), what is
    alive when the block succeeds is frozen (:func:`gc.freeze`) before the collector is back on:
    re-enabled first, its next allocation would start a collection walking all of it."""
    enabled = gc.isenabled()
    gc.disable()
    pause = Pause(freeze)
    ok = False
    try:
        yield pause
        ok = True
    finally:
        if ok and pause.freeze:
            gc.freeze()
        if enabled:
            gc.enable()


#: set while :func:`hold_startup`'s pause lasts
_STARTUP: list[bool] = []


def hold_startup() -> None:
    """The collector off while the command line starts (:func:`kp_translate.cli.main`): importing
    a command and what it needs makes some 35,000 objects that live as long as the process, and
    483 that are garbage; with the collector on, 49 collections walked them during a one-sentence
    ``translate``. :func:`end_startup` turns it back on."""
    if gc.isenabled():
        gc.disable()
        _STARTUP.append(True)


def end_startup() -> None:
    """The end of :func:`hold_startup`'s pause, once the command's modules are imported: what is
    alive is frozen (:func:`gc.freeze`: later collections never walk it; the few hundred garbage
    objects of the imports stay, a collection to find them costing 16 ms), then the collector is
    back on. Nothing when no pause is held."""
    if _STARTUP:
        _STARTUP.clear()
        gc.freeze()
        gc.enable()
