"""Limits of the HTTP server as LibreTranslate has them: API keys (403), requests per minute (429
``Slowdown: ...``), character and batch limits (400); and the ``serve`` command's own errors."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kp_translate.cli import cli
from kp_translate.glossary import load
from kp_translate.server.settings import ServerSettings

from conftest import GLOSSARY_DIR, running_server

TEXT = "Iouri Ouchakov a parlé."


def post(url: str, payload: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(url + "/translate", data=json.dumps(payload).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture(scope="module")
def keyed(loopback_only: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    keys = tmp_path_factory.mktemp("keys") / "keys.txt"
    keys.write_text("# operators\nk-unlimited\nk-two 2\n", encoding="utf-8")
    settings = ServerSettings(
        glossary=[str(GLOSSARY_DIR)],
        engine="apertium",
        api_keys=str(keys),
        req_limit=100,
        char_limit=200,
        batch_limit=3,
        store=str(tmp_path_factory.mktemp("store")),
    )
    with running_server(settings) as base:
        yield base


def test_api_keys(keyed: str) -> None:
    status, body = post(keyed, {"q": TEXT, "source": "fr", "target": "en"})
    assert status == 403 and "API key" in body["error"]
    status, body = post(keyed, {"q": TEXT, "source": "fr", "target": "en", "api_key": "nope"})
    assert status == 403 and body["error"] == "Invalid API key"
    status, body = post(keyed, {"q": TEXT, "source": "fr", "target": "en", "api_key": "k-unlimited"})
    assert status == 200 and "Yuri Ushakov" in body["translatedText"]
    status, body = post(keyed, {"q": TEXT, "source": "fr", "target": "en", "apiKey": "k-unlimited"})
    assert status == 200 and "Yuri Ushakov" in body["translatedText"]


def test_rate_limit_per_key_moving_window(keyed: str) -> None:
    answers = [post(keyed, {"q": TEXT, "source": "fr", "target": "en", "api_key": "k-two"}) for _ in range(3)]
    assert [a[0] for a in answers] == [200, 200, 429]
    assert answers[2][1] == {"error": "Slowdown: 2 per 1 minute"}
    # another key has its own window
    status, _ = post(keyed, {"q": TEXT, "source": "fr", "target": "en", "api_key": "k-unlimited"})
    assert status == 200


def test_char_and_batch_limits(keyed: str) -> None:
    key = "k-unlimited"
    status, body = post(keyed, {"q": "a" * 201, "source": "fr", "target": "en", "api_key": key})
    assert status == 400 and body["error"] == "Invalid request: request (201) exceeds text limit (200)"
    status, body = post(keyed, {"q": [TEXT] * 4, "source": "fr", "target": "en", "api_key": key})
    assert status == 400 and body["error"] == "Invalid request: request (4) exceeds text limit (3)"
    status, body = post(keyed, {"q": [TEXT] * 3, "source": "fr", "target": "en", "api_key": key})
    assert status == 200 and len(body["translatedText"]) == 3
    request = urllib.request.Request(keyed + "/frontend/settings")
    with urllib.request.urlopen(request, timeout=30) as response:
        settings = json.loads(response.read())
    assert settings["keyRequired"] is True and settings["charLimit"] == 200


def test_rate_limit_per_client_address(loopback_only: None, tmp_path: Path) -> None:
    settings = ServerSettings(glossary=[str(GLOSSARY_DIR)], engine="apertium", req_limit=1, store=str(tmp_path))
    with running_server(settings) as base:
        assert post(base, {"q": TEXT, "source": "fr", "target": "en"})[0] == 200
        assert post(base, {"q": TEXT, "source": "fr", "target": "en"}) == (429, {"error": "Slowdown: 1 per 1 minute"})


def test_serve_command_errors_are_one_line(tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("good\nbad key 3\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--api-keys", str(keys), "--port", "0"], standalone_mode=False)
    assert result.exception is not None
    assert str(result.exception) == f"{keys}:2: expected 'KEY' or 'KEY REQUESTS_PER_MINUTE'"
    broken = tmp_path / "g.tsv"
    broken.write_text("Iouri Ouchakov\tYuri Ushakov\nseul\n", encoding="utf-8")
    result = runner.invoke(cli, ["serve", "-g", str(broken), "--port", "0"], standalone_mode=False)
    assert result.exception is not None and str(result.exception).startswith(f"{broken}:2: expected 2 columns")
    result = runner.invoke(cli, ["serve", "--warm", "de", "--port", "0"], standalone_mode=False)
    assert result.exception is not None and "no engine translates de" in str(result.exception)


def test_serve_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec

    def missing(name: str, *args: Any) -> Any:
        return None if name == "uvicorn" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", missing)
    result = CliRunner().invoke(cli, ["serve"], standalone_mode=False)
    assert result.exception is not None and "pip install 'kp-translate[server]'" in str(result.exception)


def test_a_hung_pipeline_is_restarted_and_the_request_retried(loopback_only: None, tmp_path: Path) -> None:
    import os
    import signal
    import time

    from kp_translate.lang import Pair
    from kp_translate.server import create_app

    settings = ServerSettings(
        glossary=[str(GLOSSARY_DIR)], engine="apertium", store=str(tmp_path), timeout=3.0, warm=["es"]
    )
    app = create_app(settings)
    with running_server(app=app) as base:
        payload = {"q": "El asesor Yuri Ushakov llegó a Pionyang.", "source": "es", "target": "en"}
        status, before = post(base, payload)
        assert status == 200
        engine = app.state.service.engine(Pair("es", "en"))  # the server's own engine
        warm = engine.pipelines
        restarts = warm.restarts
        victim = warm.chains[0].procs[2]
        os.kill(victim.pid, signal.SIGSTOP)  # a stage that hangs
        try:
            started = time.monotonic()
            status, after = post(base, payload)
            took = time.monotonic() - started
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim.pid, signal.SIGCONT)
        assert status == 200 and after["translatedText"] == before["translatedText"]
        assert warm.restarts == restarts + 1 and 2.5 < took < 30


def test_the_importable_app_reads_its_settings_from_the_environment(
    loopback_only: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kp_translate.server as server_module

    table = tmp_path / "extra.tsv"
    table.write_text("Yongbyon\tNyongbyon Nuclear Complex\n", encoding="utf-8")
    monkeypatch.setenv("KP_TRANSLATE_SERVER_GLOSSARY", f"{GLOSSARY_DIR}:{table}")
    monkeypatch.setenv("KP_TRANSLATE_SERVER_ENGINE", "apertium")
    monkeypatch.setenv("KP_TRANSLATE_SERVER_REQ_LIMIT", "2")
    monkeypatch.setenv("KP_TRANSLATE_SERVER_STORE", str(tmp_path / "store"))
    monkeypatch.setattr(server_module, "_APP", None)
    with running_server(app=server_module.app) as base:
        status, body = post(base, {"q": "Iouri Ouchakov a visité Yongbyon.", "source": "fr", "target": "en"})
        assert status == 200
        assert "Yuri Ushakov" in body["translatedText"] and "Nyongbyon Nuclear Complex" in body["translatedText"]
        assert body["glossary"]["entries"] == len(load(GLOSSARY_DIR).entries) > 200
        assert post(base, {"q": "Bonjour.", "source": "fr", "target": "en"})[0] == 200
        assert post(base, {"q": "Bonjour.", "source": "fr", "target": "en"})[0] == 429
