"""The least a Python front end over kp-translate's Apertium chains can cost: the floor that
``bench_enforce.py`` measures beside raw Apertium and kp-translate.

It starts the chains kp-translate's engine starts (the command lines are given as JSON in the
first argument; started through :func:`kp_translate.spawn.start_chain`, which imports only the
standard library), imports click (the command line's toolkit), then pipes its standard input
through them as kp-translate does: one NUL-terminated record per paragraph (blank lines apart),
written by a thread, carried from one chain to the next by a thread, read back by the main
thread and written out. No glossary, no protection, no restoration, no report: what is left of
kp-translate's cost once its own work is taken away.

    python bench/floor_client.py '[[["lt-proc", "-z", "..."], ...], ...]' < paragraphs.txt
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

from kp_translate.spawn import kill_chain, start_chain


def records(fd: int) -> Iterator[bytes]:
    """The NUL-terminated records read from *fd*, until it ends."""
    buffer = b""
    while True:
        while b"\0" not in buffer:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return
            buffer += chunk
        record, buffer = buffer.split(b"\0", 1)
        yield record


def main() -> None:
    chains = [start_chain([tuple(argv) for argv in chain], subprocess.DEVNULL) for chain in json.loads(sys.argv[1])]
    import click  # noqa: F401 (what the command line imports before anything else)

    text = sys.stdin.buffer.read().decode("utf-8")
    paragraphs = [" ".join(p.split()).encode("utf-8") for p in text.split("\n\n") if p.strip()]

    def feed() -> None:
        stdin = chains[0][0].stdin
        assert stdin is not None
        for paragraph in paragraphs:
            stdin.write(paragraph + b" \0")
            stdin.flush()

    def relay(k: int) -> None:
        out, stdin = chains[k][-1].stdout, chains[k + 1][0].stdin
        assert out is not None and stdin is not None
        for record in records(out.fileno()):
            stdin.write(record.strip() + b" \0")
            stdin.flush()

    threads = [threading.Thread(target=feed, daemon=True)]
    threads += [threading.Thread(target=relay, args=(k,), daemon=True) for k in range(len(chains) - 1)]
    for thread in threads:
        thread.start()
    last = chains[-1][-1].stdout
    assert last is not None
    outputs = [record.strip() for _, record in zip(paragraphs, records(last.fileno()), strict=False)]
    sys.stdout.buffer.write(b"\n\n".join(outputs) + b"\n")
    sys.stdout.flush()
    for chain in chains:
        kill_chain(chain, reap=False)
    os._exit(0)


if __name__ == "__main__":
    main()
