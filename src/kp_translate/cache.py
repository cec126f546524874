"""The segment cache: engine output stored in SQLite, so an interrupted run resumes where it stopped.

One table, ``segments(key, value)``. The key is a SHA-256 of the engine name, its ``model_id``,
the glossary version, the enforce flag, the n-best size, the suppress list and the exact text the
engine is given (placeholders included); the value is the engine's hypotheses as JSON, with the
*check* of what they translate: a hash of the engine name, its ``model_id`` and the exact text
(:func:`segment_check`). A row whose check is not the one expected for its key (a damaged or
edited row, a value copied from another row, a row of an older schema) is a miss. What is
cached is the *engine's* output: restoration, post-editing and typography run again on every run,
so a fix to them never needs the cache cleared.

Location: ``--cache-dir``, else ``$KP_TRANSLATE_CACHE``, else ``$XDG_CACHE_HOME/kp-translate``,
else ``~/.cache/kp-translate``; the file is ``segments.sqlite3``. Each batch is committed as soon
as the engine returns it, to SQLite's write-ahead log (:func:`_write_ahead`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .dirs import default_cache_dir as default_cache_dir
from .engines.base import Hypothesis
from .errors import KpError

if TYPE_CHECKING:
    import sqlite3

SCHEMA = 2
FILENAME = "segments.sqlite3"


def segment_key(
    *,
    engine: str,
    model_id: str,
    glossary_version: str,
    enforce: bool,
    text: str,
    n_best: int = 1,
    suppress: Sequence[str] = (),
) -> str:
    """The cache key of one engine call for one segment."""
    payload = json.dumps(
        [SCHEMA, engine, model_id, glossary_version, enforce, n_best, sorted(suppress), text],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def segment_check(*, engine: str, model_id: str, text: str) -> str:
    """What a cached value must carry to be used: a hash of the engine, its model and the source
    text it translates (stored in the value, so a value moved to another row does not match)."""
    payload = json.dumps([engine, model_id, text], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _encode(hyps: Sequence[Hypothesis], check: str) -> str:
    return json.dumps({"check": check, "hyps": [[h.text, h.score, h.unknown] for h in hyps]}, ensure_ascii=False)


def _decode(value: str, check: str | None) -> list[Hypothesis] | None:
    """The hypotheses of a row, or ``None`` when its check is not *check* (``None``: any)."""
    data = json.loads(value)
    if not isinstance(data, dict) or (check is not None and data.get("check") != check):
        return None
    return [Hypothesis(text=str(t), score=float(s), unknown=[str(w) for w in u]) for t, s, u in data["hyps"]]


def _write_ahead(db: sqlite3.Connection) -> None:
    """Commits without waiting for the disk: SQLite's write-ahead log with ``synchronous=NORMAL``.

    With the default rollback journal every commit syncs the journal and the database, 30 ms a
    commit on this machine's disk, and a translation commits each result as it comes (121 times
    on the dossier). In WAL mode a commit appends to the log; the log is synced at checkpoints
    only. A commit survives kp-translate being killed (the log is in the file system); after a
    power cut the last commits may be lost, never the database: a cache can afford it. Where WAL
    cannot be used (a file system without shared memory, a read-only file), the default stays."""
    import sqlite3

    with contextlib.suppress(sqlite3.Error):
        if db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal":
            db.execute("PRAGMA synchronous=NORMAL")


class SegmentCache:
    """A persistent key → hypotheses store (SQLite)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        import sqlite3  # here: a run without the cache (--no-cache) never imports it

        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.path = self.directory / FILENAME
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            _write_ahead(self._db)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS segments (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL)"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise KpError(
                f"cannot open the segment cache ({exc}); use --no-cache or --cache-dir DIR", self.path
            ) from None

    def get_many(self, keys: Iterable[str] | Mapping[str, str]) -> dict[str, list[Hypothesis]]:
        """The rows of *keys*; given a mapping key → :func:`segment_check`, only the rows whose
        check matches (any other row is a miss)."""
        import sqlite3

        checks: Mapping[str, str] | None = keys if isinstance(keys, Mapping) else None
        wanted = list(dict.fromkeys(keys))
        found: dict[str, list[Hypothesis]] = {}
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, value in self._db.execute(f"SELECT key, value FROM segments WHERE key IN ({marks})", chunk):
                    try:
                        hyps = _decode(value, checks[key] if checks is not None else None)
                    except (ValueError, TypeError, KeyError, AttributeError):
                        continue  # a damaged row is a miss
                    if hyps is not None:
                        found[key] = hyps
        except sqlite3.Error as exc:
            raise KpError(f"cannot read the segment cache ({exc}); use --no-cache", self.path) from None
        return found

    def put_many(self, items: Iterable[tuple[str, Sequence[Hypothesis], str]]) -> None:
        """Store ``(key, hypotheses, check)`` rows (*check*: :func:`segment_check` of the source)."""
        import sqlite3

        now = time.time()
        rows = [(key, _encode(hyps, check), now) for key, hyps, check in items]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO segments (key, value, created) VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise KpError(f"cannot write the segment cache ({exc}); use --no-cache", self.path) from None

    def __len__(self) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM segments").fetchone()
        return int(row[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SegmentCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
