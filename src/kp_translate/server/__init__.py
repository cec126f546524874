"""``kp-translate serve``: a LibreTranslate-compatible HTTP API with enforced glossaries.

``create_app(settings)`` builds the ASGI application; ``kp_translate.server:app`` is the one built
from ``KP_TRANSLATE_SERVER_*`` environment variables (on first access), for any ASGI server::

    uvicorn kp_translate.server:app --port 5000

Needs the ``server`` extra (Starlette, uvicorn, python-multipart): ``pip install 'kp-translate[server]'``.
See docs/server.md.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    from .api import create_app as build

    return build(*args, **kwargs)


_APP: Any = None


def __getattr__(name: str) -> Any:
    global _APP
    if name == "app":
        if _APP is None:
            _APP = create_app()
        return _APP
    raise AttributeError(name)
