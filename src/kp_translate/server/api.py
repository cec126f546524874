"""The routes: LibreTranslate's API (``/translate``, ``/languages``, ``/detect``,
``/frontend/settings``, ``/health``, ``/spec``), the glossary store (``/glossaries``) and the review
page (``/``, ``/static/*``). Every error is ``{"error": message}`` with LibreTranslate's status."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..errors import InputError
from .glossaries import format_of
from .limits import ApiError, Limits, read_keys
from .params import read_params
from .service import TranslationService, segment_record, target_ok
from .settings import ServerSettings

STATIC = Path(__file__).parent / "static"


class JSON(JSONResponse):
    """JSON as LibreTranslate writes it: UTF-8, non-ASCII characters as they are."""

    def render(self, content: Any) -> bytes:
        import json

        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _service(request: Request) -> TranslationService:
    service: TranslationService = request.app.state.service
    return service


def _limits(request: Request) -> Limits:
    limits: Limits = request.app.state.limits
    return limits


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else "-"


def _string(params: dict[str, Any], name: str, default: str | None = None) -> str:
    value = params.get(name, default)
    if value is None or value == "":
        raise ApiError(400, f"Invalid request: missing {name} parameter")
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid request: {name} must be a string")
    return value


def _texts(params: dict[str, Any]) -> tuple[list[str], bool]:
    q = params.get("q")
    if q is None or q == "":
        raise ApiError(400, "Invalid request: missing q parameter")
    if isinstance(q, str):
        return [q], False
    if isinstance(q, list) and all(isinstance(t, str) for t in q):
        return list(q), True
    raise ApiError(400, "Invalid request: q must be a string or a list of strings")


def _alternatives(params: dict[str, Any]) -> int:
    value = params.get("alternatives", 0)
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Invalid request: alternatives must be a number") from None
    if n < 0:
        raise ApiError(400, "Invalid request: alternatives must be 0 or more")
    return n


async def translate(request: Request) -> Response:
    service = _service(request)
    limits = _limits(request)
    params = await read_params(request, service.settings.body_limit)
    limits.admit(params.get("api_key"), _client(request))
    texts, batch = _texts(params)
    limits.check_size(texts)
    source = _string(params, "source")
    target_ok(_string(params, "target"))
    fmt = params.get("format", "text") or "text"
    if fmt not in ("text", "html"):
        raise ApiError(400, f"{fmt} format is not supported")
    alternatives = _alternatives(params)
    source = source if source == "auto" else service.source_code(source)
    extra = service.request_glossary(params, source)
    items, translators = await run_in_threadpool(service.translate, texts, source, fmt, extra)
    body: dict[str, Any] = {}
    translated = [item.translated for item in items]
    body["translatedText"] = translated if batch else translated[0]
    if source == "auto":
        detected = [{"confidence": item.confidence, "language": item.language} for item in items]
        body["detectedLanguage"] = detected if batch else detected[0]
    if alternatives:
        body["alternatives"] = [[] for _ in items] if batch else []
    reference = translators[0] if translators else None
    default = service.glossary.default_source
    view = reference.glossary if reference is not None else service.glossary.view(items[0].language or default)
    body["glossary"] = {
        "version": ",".join(dict.fromkeys(t.glossary.version for t in translators)) or view.version,
        "pair": ",".join(dict.fromkeys(str(t.pair) for t in translators)) or "en-en",
        "entries": len(view),
        "segments": [segment_record(item) for item in items],
    }
    return JSON(body)


async def languages(request: Request) -> Response:
    return JSON(_service(request).languages())


async def detect(request: Request) -> Response:
    service = _service(request)
    params = await read_params(request, service.settings.body_limit)
    _limits(request).admit(params.get("api_key"), _client(request))
    texts, batch = _texts(params)
    _limits(request).check_size(texts)
    found = [service.detect(t) for t in texts]
    out = [[{"confidence": c, "language": lang}] for lang, c in found]
    return JSON(out if batch else out[0])


async def frontend_settings(request: Request) -> Response:
    service = _service(request)
    limits = _limits(request)
    return JSON(
        {
            "charLimit": limits.char_limit if limits.char_limit is not None else -1,
            "frontendTimeout": 500,
            "apiKeys": limits.keys is not None,
            "keyRequired": limits.keys is not None,
            "suggestions": False,
            "filesTranslation": False,
            "supportedFilesFormat": [],
            "language": {
                "source": {"code": "auto", "name": "Auto Detect"},
                "target": {"code": "en", "name": "English"},
            },
            "defaultSource": service.default_source,
            "glossary": {"entries": len(service.glossary), "version": service.glossary.version},
        }
    )


async def health(request: Request) -> Response:
    return JSON({"status": "ok"})


async def spec(request: Request) -> Response:
    from .spec import openapi

    return JSON(openapi(__version__))


async def list_glossaries(request: Request) -> Response:
    return JSON([s.record() for s in _service(request).store.list()])


async def add_glossary(request: Request) -> Response:
    service = _service(request)
    params = await read_params(request, service.settings.body_limit)
    _limits(request).admit(params.get("api_key"), _client(request))
    upload = params.get("file")
    try:
        if isinstance(upload, tuple):
            filename, data = upload
            name = params.get("name") or Path(filename).stem
            label = Path(filename).name
            fmt = format_of(filename, params.get("format"))
        else:
            content = params.get("content")
            if not isinstance(content, str) or not content:
                raise ApiError(400, "Invalid request: give a 'file' (multipart) or 'content' and 'format'")
            name = params.get("name") or ""
            label = str(name)
            fmt = format_of(str(name), params.get("format"))
            data = content.encode("utf-8")
        if not isinstance(name, str) or not isinstance(fmt, str):
            raise ApiError(400, "Invalid request: 'name' and 'format' must be strings")
        stored = await run_in_threadpool(service.store.add, name, data, fmt, label)
    except InputError as exc:
        raise ApiError(400, str(exc)) from None
    return JSON(stored.record(), status_code=201)


async def delete_glossary(request: Request) -> Response:
    service = _service(request)
    gid = request.path_params["gid"]
    if not await run_in_threadpool(service.store.delete, gid):
        raise ApiError(404, f"no glossary with id '{gid}'")
    return JSON({"deleted": gid})


async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", media_type="text/html")


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSON({"error": exc.message}, status_code=exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSON({"error": str(exc.detail)}, status_code=exc.status_code)


async def _server_error(request: Request, exc: Exception) -> Response:
    return JSON({"error": f"Internal error: {type(exc).__name__}: {exc}"}, status_code=500)


def create_app(settings: ServerSettings | None = None, service: TranslationService | None = None) -> Starlette:
    """The ASGI application for *settings* (default: from the environment); *service* when it is
    built already (the ``serve`` command builds it first, so that a bad glossary is a one-line
    error before the server starts)."""
    settings = settings or ServerSettings.from_env()
    keys = read_keys(settings.api_keys) if settings.api_keys else None
    limits = Limits(keys, settings.req_limit, settings.char_limit, settings.batch_limit)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if getattr(app.state, "service", None) is None:
            app.state.service = await run_in_threadpool(TranslationService, settings)
        await run_in_threadpool(app.state.service.warm)
        yield

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/translate", translate, methods=["GET", "POST"]),
        Route("/languages", languages, methods=["GET", "POST"]),
        Route("/detect", detect, methods=["POST"]),
        Route("/frontend/settings", frontend_settings, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/spec", spec, methods=["GET"]),
        Route("/glossaries", list_glossaries, methods=["GET"]),
        Route("/glossaries", add_glossary, methods=["POST"]),
        Route("/glossaries/{gid}", delete_glossary, methods=["DELETE"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _server_error},
    )
    app.state.service = service
    app.state.limits = limits
    app.state.settings = settings
    return app
