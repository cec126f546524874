"""The ``kp-translate`` command line.

:func:`main` is the console entry point. Before it imports click and the command's modules (a
fifth of a second of CPU), it starts the Apertium chains a ``translate`` run is going to need
(:mod:`kp_translate.prestart`), so that they load their data meanwhile. The click group itself,
whose commands are imported on first use, is :data:`kp_translate.commands.group.cli`; ``cli``,
``COMMANDS`` and ``Terminated`` can be imported from here too.
"""

from __future__ import annotations

import sys
from typing import Any

_GROUP_NAMES = frozenset({"cli", "COMMANDS", "LazyGroup", "Terminated"})


def main(argv: list[str] | None = None) -> Any:
    """Console entry point: user errors become one line on stderr, never a traceback."""
    from .prestart import begin

    begin(sys.argv[1:] if argv is None else argv)
    from .commands.group import run

    return run(argv)


def __getattr__(name: str) -> Any:
    if name in _GROUP_NAMES:
        from .commands import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # python -m kp_translate.cli
    main()
