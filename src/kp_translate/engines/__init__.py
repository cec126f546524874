"""Translation engines. Importing this package imports no engine: use :func:`get_engine`."""

from __future__ import annotations

from typing import Any

from ..errors import EngineError
from .base import Engine, Hypothesis

__all__ = ["ENGINE_NAMES", "Engine", "EngineError", "Hypothesis", "get_engine"]

ENGINE_NAMES = ("auto", "argos", "apertium")

INSTALL_HINTS = {
    "argos": "install a fr→en Argos package: 'kp-translate models install --file "
    "translate-fr_en.argosmodel' (or 'kp-translate models install fr en' when online)",
    "apertium": "install Apertium: 'sudo apt-get install apertium apertium-fr-es apertium-eng-spa'",
}


def get_engine(name: str = "auto", **options: Any) -> Engine:
    """Build an engine by name. ``auto``: Argos when a fr→en package is installed, else
    Apertium, else an :class:`EngineError` naming the install command for each."""
    if name not in ENGINE_NAMES:
        raise EngineError(f"unknown engine '{name}' (use {', '.join(ENGINE_NAMES)})")
    if name in ("auto", "argos"):
        from . import argos

        if argos.available():
            return argos.ArgosEngine(**options)
        if name == "argos":
            raise EngineError("no fr→en Argos package installed: " + INSTALL_HINTS["argos"])
    from . import apertium

    if apertium.available():
        return apertium.ApertiumEngine(**{k: v for k, v in options.items() if k in apertium.OPTIONS})
    if name == "apertium":
        raise EngineError("Apertium fr→en is not installed: " + INSTALL_HINTS["apertium"])
    raise EngineError(
        "no translation engine available: " + INSTALL_HINTS["argos"] + "; or " + INSTALL_HINTS["apertium"]
    )
