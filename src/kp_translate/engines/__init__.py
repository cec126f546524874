"""Translation engines. Importing this package imports no engine: use :func:`get_engine`."""

from __future__ import annotations

from typing import Any

from ..config import default_pair
from ..errors import EngineError
from ..lang import Pair
from .base import Engine, Hypothesis

__all__ = ["ENGINE_NAMES", "Engine", "EngineError", "Hypothesis", "get_engine", "install_hints"]

ENGINE_NAMES = ("auto", "argos", "apertium")


def install_hints(pair: Pair) -> dict[str, str]:
    """Per engine, how to make *pair* available."""
    from .apertium import install_hint

    return {
        "argos": f"install a {pair.source}→{pair.target} Argos package: 'kp-translate models install --file "
        f"translate-{pair.source}_{pair.target}.argosmodel' (or 'kp-translate models install {pair.source} "
        f"{pair.target}' when online)",
        "apertium": f"install an Apertium route: {install_hint(pair)}",
    }


def get_engine(name: str = "auto", pair: Pair | None = None, **options: Any) -> Engine:
    """Build an engine for *pair* (default: the project's pair) by name. ``auto``: Argos when a
    package for the pair is installed, else Apertium, else an :class:`EngineError` naming what
    to install for each."""
    from . import apertium

    if name not in ENGINE_NAMES:
        raise EngineError(f"unknown engine '{name}' (use {', '.join(ENGINE_NAMES)})")
    pair = pair or default_pair()
    hints = install_hints(pair)
    if name in ("auto", "argos"):
        from . import argos

        if argos.available(pair):
            return argos.ArgosEngine(pair=pair, **options)
        if name == "argos":
            raise EngineError(f"no {pair.source}→{pair.target} Argos package installed: " + hints["argos"])
    if apertium.available(pair):
        return apertium.ApertiumEngine(pair=pair, **{k: v for k, v in options.items() if k in apertium.OPTIONS})
    if name == "apertium":
        raise EngineError(f"no Apertium route {pair.source}→{pair.target}: " + hints["apertium"])
    raise EngineError(
        f"no translation engine for {pair.source}→{pair.target}: " + hints["argos"] + "; or " + hints["apertium"]
    )
