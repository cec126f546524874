"""Request parameters as LibreTranslate reads them: from a JSON body, a form body (urlencoded or
multipart) or the query string, the body winning over the query; ``apiKey`` is read as ``api_key``
(a client spells it so). The body is read with a size limit, so a 10 MB upload is refused without
being held in memory."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect, Request

from .limits import ApiError

#: parameter spellings some clients send -> the name LibreTranslate documents
ALIASES = {"apiKey": "api_key", "glossaryId": "glossary_id"}


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, at most *limit* bytes (413 beyond, as announced or as read)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"Request body too large ({int(declared):,} bytes; the limit is {limit:,})")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"Request body too large (over {limit:,} bytes)")
            chunks.append(chunk)
    except ClientDisconnect:
        raise ApiError(400, "client disconnected") from None
    return b"".join(chunks)


def _form(body: bytes) -> dict[str, Any]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"Invalid request: the form body is not UTF-8 (byte {exc.start})") from None
    out: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        if key in out:  # q=a&q=b: a batch, as a list
            previous = out[key]
            out[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[key] = value
    return out


async def read_params(request: Request, limit: int) -> dict[str, Any]:
    """Every parameter of *request*: query string, then the body's (JSON object, urlencoded or
    multipart form) over it; :class:`ApiError` 400 for a body that cannot be read."""
    params: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key in params:
            previous = params[key]
            params[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            params[key] = value
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await read_body(request, limit)
    if kind == "multipart/form-data":
        return _aliased({**params, **await _multipart(request, body)})
    if kind == "application/json" or (not kind and body.lstrip()[:1] in (b"{", b"[")):
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise ApiError(400, f"Invalid request: malformed JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid request: the JSON body must be an object")
        params.update(data)
    elif body:
        params.update(_form(body))
    return _aliased(params)


async def _multipart(request: Request, body: bytes) -> dict[str, Any]:
    """The fields of a multipart body already read (within the limit): a file field is
    ``(filename, bytes)``."""
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    out: dict[str, Any] = {}
    try:
        async with Request(request.scope, replay).form() as form:
            for key, field in form.multi_items():
                if isinstance(field, str):
                    out[key] = field
                else:
                    out[key] = (field.filename or key, await field.read())
    except Exception as exc:  # python-multipart's parse errors
        raise ApiError(400, f"Invalid request: bad multipart body ({exc})") from None
    return out


def _aliased(params: dict[str, Any]) -> dict[str, Any]:
    for alias, name in ALIASES.items():
        if alias in params and name not in params:
            params[name] = params.pop(alias)
    return params
