"""A real browser for the review page's tests: Debian's headless Chromium (``/usr/bin/chromium``,
installed by scripts/setup.sh) driven by Playwright, with a fresh profile and every host name but
the loopback address unresolvable, so that the page can only reach the server under test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a small /dev/shm
    # offline: no name resolves, so nothing but the loopback server can be fetched
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def launch_chromium(playwright: Any, profile: Path, downloads: Path) -> Any:
    """Debian's Chromium with a fresh profile; a clear failure when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the review page is tested in Debian's chromium (apt install chromium)")
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        accept_downloads=True,
        downloads_path=str(downloads),
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
