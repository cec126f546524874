"""Standard input and output at the CLI boundary (the library never touches them)."""

from __future__ import annotations

import sys

from ..fileio import decode_text


def read_stdin() -> str:
    """Standard input, decoded strictly as a file is (:func:`kp_translate.fileio.decode_text`):
    invalid UTF-8 or a NUL is an :class:`~kp_translate.errors.InputError` ``-:LINE: ...``."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # already text (a StringIO put in its place)
        return str(sys.stdin.read())
    data: bytes = stream.read()
    return decode_text(data, "-")
