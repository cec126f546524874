"""The journal of a batch run: the documents already translated, so a rerun does only the rest.

Beside the output ``OUT`` a run keeps ``OUT.journal``, JSON Lines: a header naming the job
(:meth:`~kp_translate.batch.worker.Job.fingerprint`, the input file and the fields read), then
one record per finished document (:func:`~kp_translate.batch.worker.record`, keyed by input line
and a hash of that line), appended as each batch comes back, flushed at once and synced at most
every second. A run killed at any point (Ctrl-C, ``kill -9``, a lost machine) leaves a journal
whose records are whole, except perhaps a torn last line, which the next run cuts off. A journal
written by another job (another glossary version, model, pair...) is refused, not mixed in. Once
the output is written (atomically, from the journal), the journal is removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from array import array
from pathlib import Path
from typing import IO, Any

from ..errors import InputError

FORMAT = 1
_MISSING = -1


def journal_path(output: str | Path) -> Path:
    output = Path(output)
    return output.with_name(output.name + ".journal")


class Journal:
    """An open journal: which input lines are done (by line number and line hash), where their
    records are, and an append handle for new ones."""

    def __init__(self, path: str | Path, header: dict[str, Any], *, sync_every: float = 1.0) -> None:
        self.path = Path(path)
        self.header = {"kp_translate_journal": FORMAT, **header}
        self.sync_every = sync_every
        self._offsets = array("q")  # input line -> offset of its record (-1: none)
        self._digests: dict[int, str] = {}
        self._errors: dict[int, str] = {}
        self.resumed = 0
        self._fh: IO[bytes] | None = None
        self._synced = time.monotonic()
        self._open()

    # -- reading what a previous run left ---------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+b")  # noqa: SIM115 (closed by close())
        except OSError as exc:
            raise InputError(f"cannot open the journal: {exc.strerror or exc}", self.path) from None
        fh.seek(0)
        good = 0
        first = True
        for raw in fh:
            if not raw.endswith(b"\n"):
                break  # torn by a kill: cut off below
            try:
                data = json.loads(raw)
            except ValueError:
                break
            if first:
                first = False
                if data != self.header:
                    fh.close()
                    raise InputError(
                        f"the journal was written by another job ({_difference(data, self.header)}): remove it "
                        "to start over, or run the same job again to resume",
                        self.path,
                    )
            else:
                self._remember(data, good)
            good += len(raw)
        fh.seek(good)
        fh.truncate()
        if first:
            fh.write(json.dumps(self.header, ensure_ascii=False).encode() + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        self._fh = fh
        self.resumed = len(self._digests)

    def _remember(self, data: dict[str, Any], offset: int) -> None:
        line = int(data["line"])
        while len(self._offsets) <= line:
            self._offsets.extend([_MISSING] * max(1024, len(self._offsets)))
        self._offsets[line] = offset
        self._digests[line] = str(data["digest"])
        if "error" in data:
            self._errors[line] = str(data["error"])
        else:
            self._errors.pop(line, None)

    # -- queries ----------------------------------------------------------------------------

    def done(self, line: int, digest: str) -> bool:
        """Whether input *line*, whose bytes hash to *digest*, is translated already."""
        return self._digests.get(line) == digest

    def error(self, line: int) -> str | None:
        """Why the pipeline refused the document of *line*, if it did."""
        return self._errors.get(line)

    def __len__(self) -> int:
        return len(self._digests)

    def read(self, line: int) -> dict[str, Any]:
        """The record of *line* (which must be :meth:`done`)."""
        assert self._fh is not None
        self._fh.seek(self._offsets[line])
        data: dict[str, Any] = json.loads(self._fh.readline())
        self._fh.seek(0, os.SEEK_END)
        return data

    # -- writing ----------------------------------------------------------------------------

    def append(self, records: list[dict[str, Any]]) -> None:
        """Add finished documents' records (flushed now: a kill from here on loses none of them)."""
        assert self._fh is not None
        fh = self._fh
        fh.seek(0, os.SEEK_END)
        offset = fh.tell()
        chunk = bytearray()
        for data in records:
            raw = json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"
            self._remember(data, offset + len(chunk))
            chunk += raw
        try:
            fh.write(chunk)
            fh.flush()
            now = time.monotonic()
            if now - self._synced >= self.sync_every:
                os.fsync(fh.fileno())
                self._synced = now
        except OSError as exc:
            raise InputError(f"cannot write the journal: {exc.strerror or exc}", self.path) from None

    def close(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.flush()
                os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None

    def remove(self) -> None:
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _difference(found: dict[str, Any], expected: dict[str, Any]) -> str:
    keys = [k for k in dict.fromkeys([*expected, *found]) if found.get(k) != expected.get(k)]
    if not keys:
        return "unknown header"
    k = keys[0]
    return f"{k} {found.get(k)!r}, now {expected.get(k)!r}"
