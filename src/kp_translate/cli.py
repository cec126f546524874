"""The ``kp-translate`` command line.

:func:`main` is the console entry point. Before it imports click and the command's modules (a
fifth of a second of CPU), it starts the Apertium chains a ``translate`` run is going to need
(:mod:`kp_translate.prestart`), so that they load their data meanwhile. The click group itself,
whose commands are imported on first use, is :data:`kp_translate.commands.group.cli`; ``cli``,
``COMMANDS`` and ``Terminated`` can be imported from here too.

Only ``sys`` is imported with this module (``typing`` for the type checker alone): the cyclic
collector is paused from the first line of :func:`main` (:func:`kp_translate.gcpause.hold_startup`),
and importing ``typing`` before it ran eight collections.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_GROUP_NAMES = frozenset({"cli", "COMMANDS", "LazyGroup", "Terminated"})


def main(argv: list[str] | None = None) -> Any:
    """Console entry point: user errors become one line on stderr, never a traceback. Without
    *argv* (the program's own command line), the process ends here (:func:`_end`)."""
    from .gcpause import hold_startup

    hold_startup()  # until the command's modules are imported (commands.group.LazyGroup)
    from .prestart import begin

    begin(sys.argv[1:] if argv is None else argv)
    from .commands.group import run

    if argv is not None:
        return run(argv)
    try:
        run(None)
    except SystemExit as exc:
        _end(exc.code)
        raise
    _end(0)
    return None


def _end(code: object) -> None:
    """End the process as the interpreter would, without its final teardown: standard streams
    flushed, ``atexit`` functions run (Apertium's chains killed, temporary files removed, …),
    then ``os._exit``. Freeing every module's objects one by one took 25-30 ms of CPU after
    each run, a twentieth of a one-sentence ``translate``. Nothing is skipped when a thread other
    than the main one would keep the interpreter alive, or a status is not a number."""
    import atexit
    import contextlib
    import os
    import threading

    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if others or run_exitfuncs is None or not (code is None or isinstance(code, int)):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    run_exitfuncs()
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code or 0)


def __getattr__(name: str) -> Any:
    if name in _GROUP_NAMES:
        from .commands import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # python -m kp_translate.cli
    main()
