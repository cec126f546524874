"""The library behind ``kp-translate serve``: check the settings, build the service, run uvicorn."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import InputError
from .settings import ServerSettings

INSTALL_HINT = "the server needs its extra: pip install 'kp-translate[server]' (Starlette, uvicorn, python-multipart)"


def serve(
    settings: ServerSettings,
    *,
    host: str = "127.0.0.1",
    port: int = 5000,
    announce: Callable[[str], None] = lambda line: None,
) -> None:
    """Serve the API on *host*:*port* until interrupted. The glossary, the API key file and the
    languages are checked before the server listens (an :class:`InputError` names the file and
    line); *announce* is told where it listens."""
    import importlib.util

    if not all(importlib.util.find_spec(m) for m in ("starlette", "uvicorn")) or not (
        importlib.util.find_spec("python_multipart") or importlib.util.find_spec("multipart")
    ):
        raise InputError(INSTALL_HINT)
    import uvicorn

    from ..lang import codes
    from .api import create_app
    from .limits import read_keys
    from .service import TranslationService

    for code in [settings.default_source or "", *settings.warm]:
        if code:
            try:
                codes.normalise(code)
            except ValueError:
                raise InputError(f"not a language code: {code!r}") from None
    if settings.api_keys:
        read_keys(settings.api_keys)
    service = TranslationService(settings)
    for code in settings.warm:
        if codes.normalise(code) not in service.sources():
            raise InputError(f"no engine translates {code} into English here")
    app = create_app(settings, service)
    announce(
        f"kp-translate serve: http://{host}:{port}/ ({len(service.glossary)} glossary entries, "
        f"languages {', '.join(service.sources())} → en)"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
