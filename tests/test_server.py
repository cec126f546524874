"""The HTTP server through real clients: a real uvicorn server on a loopback port, real Apertium,
the PyPI client ``libretranslatepy``, and raw HTTP for what clients send (JSON, form, query string,
Mastodon's batch of HTML with source=auto). Nothing but loopback is reachable."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kp_translate.server.settings import ServerSettings

from conftest import GLOSSARY_DIR, running_server

FR = (
    "Selon le Kremlin, le conseiller Iouri Ouchakov a déclaré mardi que la Russie et la Corée du Nord ont signé "
    "un traité."
)
ES = "El asesor del Kremlin Yuri Ushakov dijo que Serguéi Lavrov viajará a Pionyang."


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="module")
def app(store: Path) -> Any:
    from kp_translate.server import create_app

    return create_app(ServerSettings(glossary=[str(GLOSSARY_DIR)], engine="apertium", store=str(store), warm=["fr"]))


@pytest.fixture(scope="module")
def url(loopback_only: None, app: Any) -> Iterator[str]:
    with running_server(app=app) as base:
        yield base


def call(
    url: str, path: str, body: bytes | None = None, *, method: str = "POST", kind: str = "application/json"
) -> tuple[int, Any]:
    request = urllib.request.Request(url + path, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", kind)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def post_json(url: str, path: str, payload: Any) -> tuple[int, Any]:
    return call(url, path, json.dumps(payload).encode())


def test_libretranslatepy_client_gets_the_glossary_enforced(url: str) -> None:
    from libretranslatepy import LibreTranslateAPI

    client = LibreTranslateAPI(url)
    text = client.translate(FR, "fr", "en")
    assert "Yuri Ushakov" in text and "Ouchakov" not in text
    assert "North Korea" in text
    codes = {lang["code"]: lang for lang in client.languages()}
    assert {"fr", "es", "ca", "gl", "eu", "pt", "it"} <= set(codes)
    assert codes["es"]["targets"] == ["en"]
    assert client.detect(FR)[0]["language"] == "fr"


def test_mastodon_style_batch_of_html_with_source_auto(url: str) -> None:
    post = (
        '<p>Le conseiller diplomatique du Kremlin, <a href="https://example.invalid/@iouri" class="u-url">'
        "Iouri Ouchakov</a>, a déclaré mardi que la Russie soutient la Corée du Nord &amp; la Chine.</p>"
        "<p>Selon l'agence KCNA, Kim Jong-un a reçu une délégation russe.<br>Fin.</p>"
    )
    status, body = post_json(
        url, "/translate", {"q": [post, ES], "source": "auto", "target": "en", "format": "html", "api_key": ""}
    )
    assert status == 200, body
    html, spanish = body["translatedText"]
    assert html.startswith("<p>") and '<a href="https://example.invalid/@iouri" class="u-url">Yuri Ushakov</a>' in html
    assert "&amp;" in html and "<br>" in html and html.count("<p>") == 2 and html.count("</p>") == 2
    assert "Kim Jong Un" in html and "KCNA" in html
    assert "Sergei Lavrov" in spanish and "Pyongyang" in spanish
    assert [d["language"] for d in body["detectedLanguage"]] == ["fr", "es"]
    assert all(0 < d["confidence"] <= 100 for d in body["detectedLanguage"])
    segments = body["glossary"]["segments"]
    assert len(segments) == 2
    enforced = {e["entry"]: e for e in segments[0]["enforced"]}
    assert enforced["yuri-ushakov"]["source"] == "Iouri Ouchakov"
    spot = enforced["yuri-ushakov"]
    assert html[spot["start"] : spot["end"]] == "Yuri Ushakov"
    assert body["glossary"]["pair"] == "fr-en,es-en"


def test_form_encoded_and_query_string_requests(url: str) -> None:
    form = urllib.parse.urlencode({"q": FR, "source": "fr", "target": "en"}).encode()
    status, body = call(url, "/translate", form, kind="application/x-www-form-urlencoded")
    assert status == 200 and "Yuri Ushakov" in body["translatedText"]
    query = urllib.parse.urlencode({"q": FR, "source": "fra", "target": "en"})
    status, body = call(url, f"/translate?{query}", b"", kind="application/x-www-form-urlencoded")
    assert status == 200 and "Yuri Ushakov" in body["translatedText"]
    status, body = call(url, f"/translate?{query}", method="GET")
    assert status == 200 and "Yuri Ushakov" in body["translatedText"]
    # a repeated q in a form is a batch
    form = urllib.parse.urlencode([("q", FR), ("q", "Iouri Ouchakov a parlé."), ("source", "fr"), ("target", "en")])
    status, body = call(url, "/translate", form.encode(), kind="application/x-www-form-urlencoded")
    assert status == 200 and len(body["translatedText"]) == 2 and "Yuri Ushakov" in body["translatedText"][1]


def test_offsets_are_code_points_into_the_translation(url: str) -> None:
    text = "🇷🇺 Iouri Ouchakov et Kim Jong-un 😀 ont parlé de la RPDC."
    status, body = post_json(url, "/translate", {"q": text, "source": "fr", "target": "en", "alternatives": 3})
    assert status == 200
    out = body["translatedText"]
    assert body["alternatives"] == []
    seen = {}
    for e in body["glossary"]["segments"][0]["enforced"]:
        assert out[e["start"] : e["end"]] == e["target"]  # Python indexes code points
        seen[e["entry"]] = e
    assert {"yuri-ushakov", "kim-jong-un", "dprk"} <= set(seen)
    assert seen["yuri-ushakov"]["type"] == "person" and "Ushakov" in seen["yuri-ushakov"]["note"]
    assert body["glossary"]["entries"] > 200 and body["glossary"]["version"]


def test_inline_glossaries_tsv_and_json(url: str) -> None:
    text = "La centrale de Yongbyon et le missile Hwasong-19 ont été montrés."
    tsv = "Yongbyon\tNyongbyon Nuclear Complex\ncentrale\tpower station\n"
    status, body = post_json(url, "/translate", {"q": text, "source": "fr", "target": "en", "glossary": tsv})
    assert status == 200, body
    assert "Nyongbyon Nuclear Complex" in body["translatedText"]
    assert "power station" in body["translatedText"]
    listed = [{"source": ["Hwasong-19"], "target": "Hwasong-19", "dnt": True}, {"source": "montrés", "target": "shown"}]
    status, body = post_json(url, "/translate", {"q": text, "source": "fr", "target": "en", "glossary": listed})
    assert status == 200, body
    assert "Hwasong-19" in body["translatedText"] and "shown" in body["translatedText"]
    records = body["glossary"]["segments"][0]["enforced"]
    assert any(r["entry"] == "request.2" and r["target"] == "shown" for r in records)
    status, body = post_json(url, "/translate", {"q": text, "source": "auto", "target": "en", "glossary": tsv})
    assert status == 400 and "source" in body["error"]
    status, body = post_json(url, "/translate", {"q": text, "source": "fr", "target": "en", "glossary": "a\tb\tc\n"})
    assert status == 400 and "glossary:1:" in body["error"] and "2 columns" in body["error"]


def test_stored_glossaries_upload_use_list_delete(url: str, store: Path) -> None:
    tsv = "Yongbyon\tNyongbyon Nuclear Complex\n"
    status, record = post_json(url, "/glossaries", {"name": "sites", "content": tsv, "format": "tsv"})
    assert status == 201, record
    assert record["name"] == "sites" and record["entries"] == 1 and record["version"]
    assert (store / f"{record['id']}.tsv").read_text(encoding="utf-8") == tsv
    status, listed = call(url, "/glossaries", method="GET")
    assert any(r["id"] == record["id"] for r in listed)
    payload = {"q": "Le site de Yongbyon.", "source": "fr", "target": "en", "glossary_id": record["id"]}
    status, body = post_json(url, "/translate", payload)
    assert status == 200 and "Nyongbyon Nuclear Complex" in body["translatedText"]
    # multipart upload of a .kpg file
    kpg = (GLOSSARY_DIR / "weapon.kpg").read_bytes() if (GLOSSARY_DIR / "weapon.kpg").exists() else None
    if kpg is not None:
        status, up = _multipart(url, "weapons.kpg", kpg)
        assert status == 201 and up["entries"] > 0, up
    status, gone = call(url, f"/glossaries/{record['id']}", method="DELETE")
    assert status == 200 and gone == {"deleted": record["id"]}
    assert not (store / f"{record['id']}.tsv").exists()
    status, body = post_json(url, "/translate", payload)
    assert status == 400 and record["id"] in body["error"]
    status, body = call(url, f"/glossaries/{record['id']}", method="DELETE")
    assert status == 404 and "error" in body


def _multipart(url: str, filename: str, data: bytes, name: str = "") -> tuple[int, Any]:
    boundary = "kpboundary7d1f"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    ]
    if name:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'.encode())
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return call(url, "/glossaries", body, kind=f"multipart/form-data; boundary={boundary}")


def test_broken_glossary_upload_names_the_line(url: str, store: Path) -> None:
    before = sorted(p.name for p in store.iterdir()) if store.exists() else []
    broken = b"[kim-jong-un]\ntype: person\ntarget: Kim Jong Un\nsource Kim Jong-un\nsource: Kim Jong-un\n"
    status, body = _multipart(url, "broken.kpg", broken)
    assert status == 400 and body["error"].startswith("broken.kpg:4: "), body
    status, body = post_json(url, "/glossaries", {"name": "bad", "content": "a\tb\nc\n", "format": "tsv"})
    assert status == 400 and body["error"].startswith("bad:2:")
    status, body = _multipart(url, "latin1.tsv", "Corée\tKorea\n".encode("latin-1"))
    assert status == 400 and "UTF-8" in body["error"]
    after = sorted(p.name for p in store.iterdir()) if store.exists() else []
    assert after == before  # nothing written
    assert call(url, "/health", method="GET") == (200, {"status": "ok"})


def test_bad_inputs_get_an_error_and_the_server_keeps_serving(url: str) -> None:
    status, body = call(url, "/translate", b'{"q": "Bonjour", "source": "fr"')
    assert status == 400 and "malformed JSON" in body["error"]
    status, body = call(url, "/translate", b"[1, 2]")
    assert status == 400 and "error" in body
    status, body = post_json(url, "/translate", {"q": "Hallo", "source": "de", "target": "en"})
    assert status == 400 and body["error"] == "de is not supported"
    status, body = post_json(url, "/translate", {"q": "Hola", "source": "es", "target": "fr"})
    assert status == 400 and body["error"] == "fr is not supported"
    status, body = post_json(url, "/translate", {"source": "es", "target": "en"})
    assert status == 400 and body["error"] == "Invalid request: missing q parameter"
    status, body = post_json(url, "/translate", {"q": [1, 2], "source": "es", "target": "en"})
    assert status == 400 and "q must be" in body["error"]
    status, body = post_json(url, "/translate", {"q": "Hola", "source": "es", "target": "en", "format": "pdf"})
    assert status == 400 and "format" in body["error"]
    big = json.dumps({"q": "a" * 10_000_000, "source": "fr", "target": "en"}).encode()
    answer = _raw(url, b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(big), big)
    assert answer.startswith("HTTP/1.1 413") and '"error":"Request body too large' in answer
    status, body = call(url, "/nowhere", method="GET")
    assert status == 404 and "error" in body
    status, body = post_json(url, "/translate", {"q": "Iouri Ouchakov a parlé.", "source": "fr", "target": "en"})
    assert status == 200 and "Yuri Ushakov" in body["translatedText"]


def _raw(url: str, headers: bytes, body: bytes) -> str:
    """POST /translate over a raw socket, the body sent by a thread while the answer is read (the
    server answers a body too large before it has all of it, and closes)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")

        def send() -> None:
            try:
                for k in range(0, len(body), 65536):
                    sock.sendall(body[k : k + 65536])
            except OSError:
                pass  # closed by the server once it has answered

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        answer = b""
        try:
            while b"}" not in answer:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass
        sender.join(60)
    return answer.decode("latin-1")


def test_a_body_sent_in_chunks_past_the_limit_is_refused(url: str) -> None:
    chunk = b"a" * 1_000_000
    body = b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(11)) + b"0\r\n\r\n"
    answer = _raw(url, b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", body)
    assert answer.startswith("HTTP/1.1 413") and '"error":"Request body too large' in answer


def test_client_disconnecting_mid_request_is_harmless(url: str) -> None:
    host, port = url.removeprefix("http://").split(":")
    body = json.dumps({"q": FR, "source": "fr", "target": "en"}).encode()
    for cut in (len(body) // 2, len(body)):
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            head = (
                "POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            sock.sendall(head.encode() + body[:cut])
        # closed: half a body, or the whole body before the answer came
    status, answer = post_json(url, "/translate", {"q": FR, "source": "fr", "target": "en"})
    assert status == 200 and "Yuri Ushakov" in answer["translatedText"]


def test_fifty_concurrent_requests_never_mix(url: str) -> None:
    sentences = [f"Iouri Ouchakov a rencontré {n} diplomates à Pyongyang le {n % 28 + 1} mars." for n in range(50)]
    results: dict[int, Any] = {}

    def one(n: int) -> None:
        results[n] = post_json(url, "/translate", {"q": sentences[n], "source": "fr", "target": "en"})

    threads = [threading.Thread(target=one, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert len(results) == 50
    for n in range(50):
        status, body = results[n]
        assert status == 200, body
        out = body["translatedText"]
        assert "Yuri Ushakov" in out and "Pyongyang" in out
        assert f" {n} " in out and f"{n % 28 + 1}" in out  # its own numbers, not a neighbour's
    # the same sentence alone gives the same translation as under load
    status, alone = post_json(url, "/translate", {"q": sentences[7], "source": "fr", "target": "en"})
    assert alone["translatedText"] == results[7][1]["translatedText"]


def test_other_endpoints(url: str) -> None:
    status, languages = call(url, "/languages", method="GET")
    assert status == 200 and all(set(lang) == {"code", "name", "targets"} for lang in languages)
    status, found = post_json(url, "/detect", {"q": ES})
    assert status == 200 and found[0]["language"] == "es" and 0 < found[0]["confidence"] <= 100
    status, settings = call(url, "/frontend/settings", method="GET")
    assert status == 200 and settings["keyRequired"] is False and settings["charLimit"] == -1
    status, spec = call(url, "/spec", method="GET")
    assert status == 200 and "/translate" in spec["paths"]
    with urllib.request.urlopen(url + "/", timeout=30) as response:
        page = response.read().decode()
        assert response.headers["content-type"].startswith("text/html") and "<html" in page
    with urllib.request.urlopen(url + "/static/index.html", timeout=30) as response:
        assert response.read().decode() == page


def test_english_text_comes_back_as_it_is(url: str) -> None:
    text = "The Kremlin said on Tuesday that the talks with North Korea would go on."
    status, body = post_json(url, "/translate", {"q": text, "source": "auto", "target": "en"})
    assert status == 200 and body["translatedText"] == text and body["detectedLanguage"]["language"] == "en"


def test_a_dead_pipeline_is_restarted_and_the_request_served(url: str, app: Any) -> None:
    import os
    import signal

    from kp_translate.lang import Pair

    payload = {"q": FR, "source": "fr", "target": "en"}
    status, before = post_json(url, "/translate", payload)
    assert status == 200
    engine = app.state.service.engine(Pair("fr", "en"))  # the server's own warm engine (same process)
    warm = engine.pipelines
    assert warm is not None and warm.chains
    victim = warm.chains[0].procs[-1]
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(10)
    status, after = post_json(url, "/translate", payload)
    assert status == 200 and after["translatedText"] == before["translatedText"]
    live = [p.pid for chain in warm.chains for p in chain.procs]
    assert live and victim.pid not in live and all(p.poll() is None for c in warm.chains for p in c.procs)


def test_health_answers_while_a_long_request_is_translated(url: str) -> None:
    import time

    from conftest import DOSSIER_FILES

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in DOSSIER_FILES)
    result: list[tuple[int, Any]] = []
    worker = threading.Thread(
        target=lambda: result.append(post_json(url, "/translate", {"q": text, "source": "fr", "target": "en"}))
    )
    worker.start()
    time.sleep(0.3)
    started = time.perf_counter()
    assert call(url, "/health", method="GET") == (200, {"status": "ok"})
    health = time.perf_counter() - started
    busy = worker.is_alive()
    worker.join(300)
    status, body = result[0]
    assert status == 200 and body["translatedText"].count("Yuri Ushakov") >= 1
    assert busy, "the long request should still have been running"
    assert health < 1.0


def test_html_inline_markup_inside_a_sentence(url: str) -> None:
    mention = '<span class="h-card"><a href="https://m.example/@ana" class="u-url mention">@<span>ana</span></a></span>'
    post = f"<p>Merci {mention} ! La <b>RPDC</b> a reçu <em>Iouri Ouchakov</em> à Pyongyang.</p>"
    post += "<!-- fin --><pre>RPDC</pre>"
    status, body = post_json(url, "/translate", {"q": post, "source": "fr", "target": "en", "format": "html"})
    assert status == 200, body
    out = body["translatedText"]
    assert mention in out  # a mention is copied as it is
    assert "<b>DPRK</b>" in out and "<em>Yuri Ushakov</em>" in out
    assert out.endswith("</p><!-- fin --><pre>RPDC</pre>")  # comments and preformatted text untouched
    assert "Thank you" in out  # one sentence for the engine, not "Merci" alone
    records = {e["entry"]: e for e in body["glossary"]["segments"][0]["enforced"]}
    for entry in ("dprk", "yuri-ushakov", "pyongyang"):
        assert out[records[entry]["start"] : records[entry]["end"]] == records[entry]["target"]


def test_stored_tbx_and_po_exports_of_the_real_glossary(url: str) -> None:
    from kp_translate.formats import export
    from kp_translate.glossary import load

    glossary = load(GLOSSARY_DIR)
    status, tbx = post_json(url, "/glossaries", {"name": "dossier.tbx", "content": export(glossary, "tbx")})
    assert status == 201, tbx
    assert tbx["entries"] == len(glossary) and {"fr", "es", "it"} <= set(tbx["languages"])
    po_es = export(glossary, "po", source="es")
    status, po = _multipart(url, "dossier.es.po", po_es.encode())
    assert status == 201, po
    assert "es" in po["languages"] and po["entries"] > 200
    payload = {"q": ES, "source": "es", "target": "en", "glossary_id": po["id"]}
    status, body = post_json(url, "/translate", payload)
    assert status == 200 and "Sergei Lavrov" in body["translatedText"] and "Pyongyang" in body["translatedText"]
    for record in (tbx, po):
        assert call(url, f"/glossaries/{record['id']}", method="DELETE")[0] == 200
