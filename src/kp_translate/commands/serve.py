"""``kp-translate serve``: a thin wrapper over :func:`kp_translate.server.serve.serve`."""

from __future__ import annotations

import click

from ..engines import ENGINE_NAMES
from .options import glossary_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@glossary_option
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default="auto", show_default=True, help="Engine.")
@click.option(
    "--from",
    "default_source",
    default=None,
    metavar="LANG",
    help="Default source language: the language of request glossaries when a request says source=auto.",
)
@click.option("--api-keys", type=click.Path(dir_okay=False, path_type=str), help="API key file (one key a line).")
@click.option("--req-limit", type=int, default=None, help="Requests per minute per key or client address.")
@click.option("--char-limit", type=int, default=None, help="Characters per request.")
@click.option("--batch-limit", type=int, default=None, help="Items of q per request.")
@click.option("--body-limit", type=int, default=None, help="Bytes per request body (default 1,000,000).")
@click.option("--store", type=click.Path(file_okay=False, path_type=str), help="Directory of stored glossaries.")
@click.option(
    "--warm", default="", metavar="LANGS", help="Source languages whose engines start with the server (es,fr)."
)
def serve(
    host: str,
    port: int,
    glossary_paths: tuple[str, ...],
    engine: str,
    default_source: str | None,
    api_keys: str | None,
    req_limit: int | None,
    char_limit: int | None,
    batch_limit: int | None,
    body_limit: int | None,
    store: str | None,
    warm: str,
    timeout: float | None,
) -> None:
    """Serve LibreTranslate's HTTP API with the glossary enforced.

    \b
    Examples:
      kp-translate serve --port 5000 --warm es,fr
      curl -s localhost:5000/translate -H 'Content-Type: application/json' \\
           -d '{"q": "Iouri Ouchakov a parlé.", "source": "fr", "target": "en"}'
    """
    from ..server.serve import serve as run
    from ..server.settings import DEFAULT_BODY_LIMIT, ServerSettings

    settings = ServerSettings(
        glossary=list(glossary_paths),
        engine=engine,
        default_source=default_source,
        api_keys=api_keys,
        req_limit=req_limit,
        char_limit=char_limit,
        batch_limit=batch_limit,
        body_limit=body_limit or DEFAULT_BODY_LIMIT,
        store=store,
        warm=[c.strip() for c in warm.split(",") if c.strip()],
        timeout=timeout,
    )
    run(settings, host=host, port=port, announce=lambda line: click.echo(line, err=True))
