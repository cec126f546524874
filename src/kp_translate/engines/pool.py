"""One warm engine per (name, pair, options) for the life of the process.

An engine is expensive to start (Apertium's pipelines load their dictionaries; Argos loads its
model) and cheap to use once started, so a process keeps each one it builds: the CLI for its run,
a server or a batch worker for all its requests. :meth:`EnginePool.get` builds an engine on first
request (:func:`kp_translate.engines.get_engine`) and returns the same object afterwards;
:meth:`EnginePool.close` stops them all (Apertium: its pipeline processes), and the process-wide
pool (:data:`POOL`) is closed at interpreter exit.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from typing import Any

from ..config import default_pair
from ..lang import Pair
from .base import Engine

__all__ = ["POOL", "EnginePool"]


def _installed(name: str, pair: Pair, options: dict[str, Any]) -> tuple[str, str]:
    """The engine *name* stands for now (``auto``: Argos when a package for *pair* is installed,
    else Apertium) and, for Argos, which package (a package installed or replaced since is a new
    engine)."""
    if name not in ("auto", "argos"):
        return name, ""
    from . import argos

    try:
        package = argos.find_package(options.get("package"), options.get("packages_dir"), pair.source, pair.target)
    except Exception:
        return ("apertium" if name == "auto" else name), ""
    try:
        stamp = (package.path / "metadata.json").stat().st_mtime_ns
    except OSError:
        stamp = 0
    return "argos", f"{package.path}:{package.version}:{stamp}"


def _key(name: str, pair: Pair, options: dict[str, Any]) -> tuple[object, ...]:
    name, revision = _installed(name, pair, options)
    items = []
    for k, v in sorted(options.items()):
        if isinstance(v, list):
            v = tuple(v)
        items.append((k, v))
    return (name, revision, pair.source, pair.target, tuple(items))


class EnginePool:
    """Engines by (name, pair, options), built once each."""

    def __init__(self) -> None:
        self._engines: dict[tuple[object, ...], Engine] = {}
        self._lock = threading.Lock()

    def get(self, name: str = "auto", pair: Pair | None = None, **options: Any) -> Engine:
        """The engine :func:`~kp_translate.engines.get_engine` builds for these arguments, built on
        the first call and shared afterwards (options must be hashable: numbers, strings, tuples)."""
        from . import get_engine

        pair = pair or default_pair()
        key = _key(name, pair, options)
        with self._lock:
            engine = self._engines.get(key)
            if engine is None:
                engine = self._engines[key] = get_engine(name, pair, **options)
                warm_up = getattr(engine, "warm_up", None)
                if callable(warm_up):
                    warm_up()
            return engine

    def __len__(self) -> int:
        return len(self._engines)

    def close(self) -> None:
        """Close every engine (those that have a ``close``) and forget them."""
        with self._lock:
            engines, self._engines = list(self._engines.values()), {}
        for engine in engines:
            close = getattr(engine, "close", None)
            if callable(close):
                with contextlib.suppress(Exception):
                    close()


#: the process's pool (``kp_translate.translate.translate`` takes its engines from it)
POOL = EnginePool()
atexit.register(POOL.close)
