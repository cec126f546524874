"""``GET /spec``: the OpenAPI description of the API (LibreTranslate serves its Swagger spec there)."""

from __future__ import annotations

from typing import Any

_PARAMS = {
    "q": {"description": "Text to translate: a string, or a list of strings (a batch)"},
    "source": {"type": "string", "description": "Source language code, or 'auto'"},
    "target": {"type": "string", "description": "Target language code (en)"},
    "format": {"type": "string", "enum": ["text", "html"], "default": "text"},
    "alternatives": {"type": "integer", "default": 0, "description": "Alternatives asked (Apertium has none)"},
    "api_key": {"type": "string", "description": "API key (also read as apiKey)"},
    "glossary_id": {"type": "string", "description": "kp-translate: a stored glossary added for this request"},
    "glossary": {"description": "kp-translate: a two-column TSV string or a list of {source, target, dnt, forbidden}"},
}


def _body(names: list[str], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": {n: _PARAMS[n] for n in names}, "required": required}
    return {
        "content": {
            "application/json": {"schema": schema},
            "application/x-www-form-urlencoded": {"schema": schema},
        }
    }


def _answer(description: str) -> dict[str, Any]:
    error = {"type": "object", "properties": {"error": {"type": "string"}}}
    return {
        "200": {"description": description},
        "400": {"description": "Invalid request", "content": {"application/json": {"schema": error}}},
        "403": {"description": "Banned or API key missing/invalid"},
        "429": {"description": "Slowdown: too many requests"},
        "500": {"description": "Translation error"},
    }


def openapi(version: str) -> dict[str, Any]:
    translate_names = list(_PARAMS)
    return {
        "openapi": "3.0.3",
        "info": {"title": "kp-translate (LibreTranslate-compatible)", "version": version},
        "paths": {
            "/translate": {
                "post": {
                    "summary": "Translate text into English with the glossary enforced",
                    "requestBody": _body(translate_names, ["q", "source", "target"]),
                    "responses": _answer("translatedText (the shape of q), detectedLanguage, alternatives, glossary"),
                }
            },
            "/detect": {
                "post": {
                    "summary": "Detect the language of a text",
                    "requestBody": _body(["q", "api_key"], ["q"]),
                    "responses": _answer("[{confidence, language}]"),
                }
            },
            "/languages": {
                "get": {"summary": "Languages and their targets", "responses": _answer("[{code, name, targets}]")}
            },
            "/frontend/settings": {"get": {"summary": "Settings for a front end", "responses": _answer("settings")}},
            "/health": {"get": {"summary": "Liveness", "responses": _answer('{"status": "ok"}')}},
            "/glossaries": {
                "get": {
                    "summary": "Stored glossaries",
                    "responses": _answer("[{id, name, entries, version, languages}]"),
                },
                "post": {
                    "summary": "Store a glossary (multipart 'file', or JSON {name, content, format})",
                    "responses": _answer("the stored glossary's record"),
                },
            },
            "/glossaries/{id}": {"delete": {"summary": "Delete a stored glossary", "responses": _answer("deleted")}},
        },
    }
