"""Throughput and latency of ``kp-translate serve`` against Apertium's own server, APy.

Both servers run on loopback ports on the same machine, with the same installed Apertium modes:
kp-translate with the real glossary and enforcement on (``--engine apertium``, its warm pipelines),
APy (Debian ``apertium-apy``, default settings: one pipeline per pair) on ``/translate`` for
es→en and ``/translateChain`` (fra|spa|eng) for fr→en. The requests are one sentence each, taken
from corpus/es and corpus/fr (each sentence once per round, so that no cache helps); 1 client
sends them one after another, 8 clients share them, each client on its own keep-alive
connection. Rounds are interleaved (APy, kp, APy, kp...) and the medians of ``--rounds`` are
printed, with kp-translate's throughput as a ratio of APy's. Goal (issue 11): ≥ 0.8× APy's
throughput, p50 ≤ 50 ms.

    .venv/bin/python bench/bench_serve.py [--rounds 3] [--sentences 120] [--pairs es,fr]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kp_translate.lang import get as get_language  # noqa: E402
from kp_translate.segment import split_document  # noqa: E402

APY_PAIRS = {"es": ("/translate", "langpair", "spa|eng"), "fr": ("/translateChain", "langpairs", "fra|spa|eng")}


def sentences(lang: str, n: int) -> list[str]:
    out: list[str] = []
    language = get_language(lang)
    for path in sorted((ROOT / "corpus" / lang).glob("*.txt")):
        for para in split_document(path.read_text(encoding="utf-8")).paragraphs:
            for s, e in language.split_sentences(para.text):
                sentence = para.text[s:e].strip()
                if 20 <= len(sentence) <= 300:
                    out.append(sentence)
    return out[:n]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, path: str, deadline: float = 120.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer {path}")


@contextmanager
def process(argv: list[str], port: int, ready: str) -> Iterator[None]:
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(port, ready)
        yield
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(30)


Request = Callable[[http.client.HTTPConnection, str], str]


def kp_request(lang: str) -> Request:
    def send(conn: http.client.HTTPConnection, text: str) -> str:
        body = json.dumps({"q": text, "source": lang, "target": "en"})
        conn.request("POST", "/translate", body, {"Content-Type": "application/json"})
        answer = json.loads(conn.getresponse().read())
        return str(answer["translatedText"])

    return send


def apy_request(lang: str) -> Request:
    path, key, value = APY_PAIRS[lang]

    def send(conn: http.client.HTTPConnection, text: str) -> str:
        body = urllib.parse.urlencode({key: value, "q": text})
        conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        answer = json.loads(conn.getresponse().read())
        return str(answer["responseData"]["translatedText"])

    return send


def run(port: int, send: Request, texts: list[str], clients: int) -> tuple[float, list[float]]:
    """(requests per second, latencies in seconds) of *texts* sent by *clients* threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    queue = list(reversed(texts))

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                text = queue.pop()
            start = time.perf_counter()
            send(conn, text)
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(texts) / (time.perf_counter() - started), latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=120)
    parser.add_argument("--pairs", default="es,fr")
    args = parser.parse_args()
    if shutil.which("apertium-apy") is None:
        sys.exit("apertium-apy is not installed (apt-get install apertium-apy)")
    pairs = [p.strip() for p in args.pairs.split(",") if p.strip()]
    kp_port, apy_port = free_port(), free_port()
    store = tempfile.mkdtemp(prefix="kp-bench-store-")
    kp = [sys.executable, "-c", "from kp_translate.cli import main; main()", "serve", "--port", str(kp_port)]
    kp += ["--engine", "apertium", "--warm", ",".join(pairs), "--store", store]
    apy = ["apertium-apy", "-p", str(apy_port), "/usr/share/apertium/modes"]
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env_path if env_path else "")
    with process(kp, kp_port, "/health"), process(apy, apy_port, "/listPairs"):
        print(f"{'pair':5} {'clients':>7} {'server':>12} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for lang in pairs:
            texts = sentences(lang, args.sentences)
            sides = {"apy": (apy_port, apy_request(lang)), "kp-translate": (kp_port, kp_request(lang))}
            for port, send in sides.values():  # warm: pipelines started, dictionaries loaded
                run(port, send, texts[:10], 2)
            for clients in (1, 8):
                results: dict[str, list[tuple[float, list[float]]]] = {name: [] for name in sides}
                for _ in range(args.rounds):
                    for name, (port, send) in sides.items():
                        results[name].append(run(port, send, texts, clients))
                medians = {}
                for name, rounds in results.items():
                    rps = statistics.median(r for r, _ in rounds)
                    p50 = statistics.median(pct(lat, 0.5) for _, lat in rounds) * 1000
                    p95 = statistics.median(pct(lat, 0.95) for _, lat in rounds) * 1000
                    medians[name] = rps
                    print(f"{lang}-en {clients:>7} {name:>12} {rps:>8.1f} {p50:>8.1f} {p95:>8.1f}")
                ratio = medians["kp-translate"] / medians["apy"]
                print(f"{lang}-en {clients:>7} {'ratio':>12} {ratio:>7.2f}×  (kp-translate / APy throughput)")
    shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
