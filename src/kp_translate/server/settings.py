"""What a server is started with: engine, glossaries, default source, limits (from the command
line, or from ``KP_TRANSLATE_SERVER_*`` environment variables for ``kp_translate.server:app``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: LibreTranslate's default body limit is its char limit; ours is a byte limit on the whole body
DEFAULT_BODY_LIMIT = 1_000_000


@dataclass
class ServerSettings:
    """How a server is configured. ``None`` limits mean "no limit"."""

    #: glossary paths applied to every request (empty: the project's default glossary)
    glossary: list[str] = field(default_factory=list)
    #: engine name: auto, apertium, argos
    engine: str = "auto"
    #: source language taken for request glossaries when ``source=auto`` (None: refuse them)
    default_source: str | None = None
    #: a file of API keys, one a line (``KEY`` or ``KEY REQ_LIMIT``); None: no keys asked
    api_keys: str | None = None
    #: requests per minute per API key or client address
    req_limit: int | None = None
    #: characters per request (all of q)
    char_limit: int | None = None
    #: items of q per request
    batch_limit: int | None = None
    #: bytes of a request body
    body_limit: int = DEFAULT_BODY_LIMIT
    #: where POST /glossaries stores glossaries
    store: str | None = None
    #: engines started when the server starts (source codes; empty: on first use)
    warm: list[str] = field(default_factory=list)
    #: seconds an Apertium segment may take before its pipeline counts as hung (None: the engine's
    #: default, 60 s plus a second per 100 characters)
    timeout: float | None = None

    def store_dir(self) -> Path:
        if self.store:
            return Path(self.store)
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "kp-translate" / "glossaries"

    @classmethod
    def from_env(cls) -> ServerSettings:
        """Settings from ``KP_TRANSLATE_SERVER_*`` variables (ENGINE, GLOSSARY (os.pathsep-separated),
        FROM, API_KEYS, REQ_LIMIT, CHAR_LIMIT, BATCH_LIMIT, BODY_LIMIT, STORE, WARM (comma-separated),
        TIMEOUT)."""

        def get(name: str) -> str | None:
            value = os.environ.get(f"KP_TRANSLATE_SERVER_{name}")
            return value if value else None

        def number(name: str) -> int | None:
            value = get(name)
            return int(value) if value is not None else None

        glossary = get("GLOSSARY")
        warm = get("WARM")
        return cls(
            glossary=[p for p in glossary.split(os.pathsep) if p] if glossary else [],
            engine=get("ENGINE") or "auto",
            default_source=get("FROM"),
            api_keys=get("API_KEYS"),
            req_limit=number("REQ_LIMIT"),
            char_limit=number("CHAR_LIMIT"),
            batch_limit=number("BATCH_LIMIT"),
            body_limit=number("BODY_LIMIT") or DEFAULT_BODY_LIMIT,
            store=get("STORE"),
            warm=[c.strip() for c in warm.split(",") if c.strip()] if warm else [],
            timeout=float(get("TIMEOUT") or 0) or None,
        )
