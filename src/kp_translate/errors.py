"""Errors that reach the user as one line (``file:line: message``), never a traceback."""

from __future__ import annotations

import unicodedata
from pathlib import Path


def escape_controls(text: str) -> str:
    """*text* with control characters (ESC, BEL, NUL, line breaks...) written as escapes
    (``\\x1b``, ``\\n``), so a message from untrusted input stays one inert line on a terminal."""
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif unicodedata.category(ch) in ("Zs",):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


class KpError(Exception):
    """A user-facing error. The CLI prints ``str(error)`` and exits with ``exit_code``."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.format())

    def format(self) -> str:
        message = escape_controls(self.message)
        if self.path is None:
            return message
        path = escape_controls(self.path)
        if self.line is None:
            return f"{path}: {message}"
        return f"{path}:{self.line}: {message}"


class InputError(KpError):
    """Bad input file (syntax, encoding, content)."""


class EngineError(KpError):
    """A translation engine is missing or failed."""
