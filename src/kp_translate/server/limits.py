"""LibreTranslate's limits: API keys, requests per minute (moving window), characters and batch
size per request. The messages are LibreTranslate's, so that its clients show them as they do."""

from __future__ import annotations

import threading
import time
from collections import deque
from pathlib import Path

from ..errors import InputError
from ..fileio import read_text

WINDOW = 60.0


class ApiError(Exception):
    """An HTTP error answered as ``{"error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def read_keys(path: str | Path) -> dict[str, int | None]:
    """An API key file: one key a line (``KEY`` or ``KEY REQ_LIMIT``), ``#`` comments and blank
    lines skipped; a bad line is an :class:`InputError` naming it."""
    keys: dict[str, int | None] = {}
    for n, line in enumerate(read_text(path).splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        fields = text.split()
        if len(fields) > 2 or (len(fields) == 2 and not fields[1].isdigit()):
            raise InputError("expected 'KEY' or 'KEY REQUESTS_PER_MINUTE'", path, n)
        if fields[0] in keys:
            raise InputError(f"key given twice: {fields[0][:4]}…", path, n)
        keys[fields[0]] = int(fields[1]) if len(fields) == 2 else None
    if not keys:
        raise InputError("the API key file holds no key", path)
    return keys


class Limits:
    """Who may ask and how much: an API key check, a moving-window request limit per key (or per
    client address without keys), and the character and batch limits of one request."""

    def __init__(
        self,
        keys: dict[str, int | None] | None = None,
        req_limit: int | None = None,
        char_limit: int | None = None,
        batch_limit: int | None = None,
    ) -> None:
        self.keys = keys
        self.req_limit = req_limit
        self.char_limit = char_limit
        self.batch_limit = batch_limit
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, api_key: str | None, client: str) -> None:
        """Check the key and count the request; :class:`ApiError` 403 or 429."""
        limit = self.req_limit
        who = f"ip:{client}"
        if self.keys is not None:
            if not api_key:
                raise ApiError(403, "Please contact the server operator to get an API key")
            if api_key not in self.keys:
                raise ApiError(403, "Invalid API key")
            limit = self.keys[api_key] if self.keys[api_key] is not None else limit
            who = f"key:{api_key}"
        if limit is None:
            return
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(who, deque())
            while seen and seen[0] <= now - WINDOW:
                seen.popleft()
            if len(seen) >= limit:
                raise ApiError(429, f"Slowdown: {limit} per 1 minute")
            seen.append(now)
            if len(self._seen) > 100_000:  # forget idle clients
                for k in [k for k, v in self._seen.items() if not v or v[-1] <= now - WINDOW]:
                    del self._seen[k]

    def check_size(self, items: list[str]) -> None:
        """The batch and character limits of one request (:class:`ApiError` 400)."""
        if self.batch_limit is not None and len(items) > self.batch_limit:
            raise ApiError(400, f"Invalid request: request ({len(items)}) exceeds text limit ({self.batch_limit})")
        chars = sum(len(q) for q in items)
        if self.char_limit is not None and chars > self.char_limit:
            raise ApiError(400, f"Invalid request: request ({chars}) exceeds text limit ({self.char_limit})")
