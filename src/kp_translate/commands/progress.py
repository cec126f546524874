"""Progress of a batch run on standard error: a bar with documents/s and the ETA on a terminal,
or one JSON object a line (``--progress json``) for schedulers."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from ..batch import Progress


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--:--"
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


class DocumentBar:
    """A click progress bar over the archive's documents, created on the first update."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._last = 0
        self._progress: Progress | None = None

    def _label(self, _: object) -> str:
        p = self._progress
        if p is None:
            return ""
        return f"{p.rate:.1f} docs/s  ETA {_clock(p.eta)}"

    def __call__(self, progress: Progress) -> None:
        self._progress = progress
        if self._bar is None:
            self._bar = click.progressbar(
                length=max(progress.total, 1),
                label="translating",
                file=sys.stderr,
                show_eta=False,
                item_show_func=self._label,
            )
            self._bar.__enter__()
        self._bar.update(progress.done - self._last, progress)
        self._last = progress.done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


class JsonProgress:
    """One line per update: ``{"done": …, "total": …, "translated": …, "seconds": …, "docs_per_s": …, "eta_s": …}``."""

    def __call__(self, progress: Progress) -> None:
        eta = progress.eta
        line = {
            "done": progress.done,
            "total": progress.total,
            "translated": progress.translated,
            "seconds": round(progress.seconds, 3),
            "docs_per_s": round(progress.rate, 3),
            "eta_s": None if eta is None else round(eta, 1),
            "time": round(time.time(), 3),
        }
        click.echo(json.dumps(line), err=True)

    def close(self) -> None:
        return None
