"""Errors that reach the user as one line (``file:line: message``), never a traceback."""

from __future__ import annotations

from pathlib import Path


class KpError(Exception):
    """A user-facing error. The CLI prints ``str(error)`` and exits with ``exit_code``."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.format())

    def format(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class InputError(KpError):
    """Bad input file (syntax, encoding, content)."""


class EngineError(KpError):
    """A translation engine is missing or failed."""
