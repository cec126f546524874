"""Whole-process cost of ``kp-translate translate`` against one raw Apertium pipeline.

Four workloads, each timed as separate processes (wall time, the median of ``--repeat``
interleaved runs, so that drift on a busy machine hits both sides alike; each round starts with the
next side in turn, so that none always runs right after the same other one; the dossier and one
sentence, quick, get at least 9 rounds):

* the dossier (corpus/fr, 122 paragraphs);
* about 5,000 paragraphs: the dossier's, repeated with a small variation each time (a number
  written into each paragraph) so that nothing repeats, and run with ``--no-cache``;
* one sentence through ``kp-translate translate -`` (standard input);
* the same with the default options (the segment cache on), a sentence not seen before each time
  (a number written into it), as a user typing sentences gets it.

The raw side is ``apertium fr-es | apertium spa-eng`` (or the installed route's modes) on the same
paragraphs joined with blank lines; the kp-translate side is the real CLI with the real glossary,
enforcement on, ``--engine apertium --no-cache --no-progress``. Goal (issue 10): at most 1.10×.

For the first three workloads a third side is timed, the *floor*: ``bench/floor_client.py``, a
Python process that starts the chains kp-translate's engine starts (the same command lines),
imports click and pipes the paragraphs through them as NUL-separated records, with none of
kp-translate's own work. Its ratio to raw Apertium is what any Python command line over these
chains pays; the gap between it and kp-translate is what kp-translate's own work costs.

    .venv/bin/python bench/bench_enforce.py [--repeat 5] [--paragraphs 5000] [--src DIR]

``--src`` runs another copy of the sources (e.g. the code before a change). Bytecode is written
and used (``PYTHONDONTWRITEBYTECODE`` is dropped), and the first run of each side, untimed, fills
the page cache and kp-translate's caches of the installation (``engines/discovery.py``, and the
chains to start before the imports, ``prestart.py``), as any run after the first finds them. CPU
times count every process a run started, reaped or not (:func:`adopt_orphans`).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "fr"
SENTENCE = "Le dirigeant nord-coréen Kim Jong-un a rencontré Vladimir Poutine à Vladivostok."


def paragraphs_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def big_corpus(directory: Path, n: int) -> Path:
    """*n* paragraphs in files of 125: the dossier's, each with a number written into it."""
    base = [p for f in sorted(CORPUS.glob("*.txt")) for p in paragraphs_of(f)]
    out = directory / "big"
    out.mkdir()
    paragraphs = [f"{base[i % len(base)]} ({i + 1})" for i in range(n)]
    for k in range(0, n, 125):
        (out / f"{k // 125:03d}.txt").write_text("\n\n".join(paragraphs[k : k + 125]) + "\n", encoding="utf-8")
    return out


def joined(directory: Path, into: Path) -> Path:
    paragraphs = [p for f in sorted(directory.glob("*.txt")) for p in paragraphs_of(f)]
    into.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return into


def adopt_orphans() -> None:
    """Make this process the reaper of every process its runs leave behind (Linux
    ``PR_SET_CHILD_SUBREAPER``): kp-translate kills its Apertium stages at exit without waiting for
    them, and the CPU time of a process counts for whoever reaps it."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_orphans() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def timed(run: Callable[[], None]) -> tuple[float, float]:
    """Wall time (until the process started exits) and CPU time (user + system, of every process
    the run started, down to the last one: see :func:`adopt_orphans`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    run()
    wall = time.perf_counter() - t0
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--paragraphs", type=int, default=5000)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the kp_translate sources to run")
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    adopt_orphans()

    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()), KP_TRANSLATE_GLOSSARY=str(ROOT / "glossary"))
    # an installed package has its bytecode compiled; a session that forbids writing it would time
    # the compilation of every module at every start instead
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.path.insert(0, str(args.src.resolve()))
    from kp_translate.engines.apertium import ApertiumEngine, route_for
    from kp_translate.lang import Pair

    route = route_for(Pair("fr", "en"))
    assert route is not None, "no Apertium route fr→en"
    raw_cmd = " | ".join(f"apertium {shlex.quote(m)}" for m in route.modes)
    warm = ApertiumEngine(Pair("fr", "en")).pipelines
    assert warm is not None, "the fr→en modes cannot run in null-flush mode"
    chains = json.dumps([[stage.argv for stage in chain] for chain in warm.stages])
    floor = [sys.executable, str(ROOT / "bench" / "floor_client.py"), chains]
    kp = [sys.executable, "-c", "from kp_translate.cli import main; main()", "translate"]
    opts = ["--engine", "apertium", "--no-cache", "--no-progress"]
    print(f"route {raw_cmd}; sources {args.src}; {args.repeat} interleaved runs each")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        workloads: list[tuple[str, Path]] = [("dossier", CORPUS)]
        if not args.skip_big:
            workloads.append((f"{args.paragraphs:,} paragraphs", big_corpus(tmp, args.paragraphs)))
        for label, directory in workloads:
            text = joined(directory, tmp / f"{directory.name}.joined")
            out = tmp / f"out-{directory.name}"

            def raw(text: Path = text) -> None:
                with text.open("rb") as f:
                    subprocess.run(["bash", "-c", raw_cmd], stdin=f, stdout=subprocess.DEVNULL, check=True)

            def ours(directory: Path = directory, out: Path = out) -> None:
                subprocess.run([*kp, str(directory), "-o", str(out), *opts], env=env, check=True, cwd=tmp)

            def least(text: Path = text) -> None:
                with text.open("rb") as f:
                    subprocess.run(floor, stdin=f, env=env, stdout=subprocess.DEVNULL, check=True, cwd=tmp)

            report(label, raw, ours, max(args.repeat, 9) if directory is CORPUS else args.repeat, least)

        def raw_one() -> None:
            subprocess.run(["bash", "-c", raw_cmd], input=SENTENCE.encode(), stdout=subprocess.DEVNULL, check=True)

        def ours_one() -> None:
            subprocess.run([*kp, "-", *opts], input=SENTENCE.encode(), env=env, stdout=subprocess.DEVNULL, check=True)

        def least_one() -> None:
            subprocess.run(floor, input=SENTENCE.encode(), env=env, stdout=subprocess.DEVNULL, check=True, cwd=tmp)

        report("one sentence", raw_one, ours_one, max(args.repeat, 9), least_one)

        # What a user typing sentences into `translate -` gets: the default options (segment cache
        # on, in a cache directory of its own here), a sentence the cache has not seen each time.
        rounds = itertools.count()
        cached_env = dict(env, KP_TRANSLATE_CACHE=str(tmp / "cache"))
        sentence = [SENTENCE]

        def raw_new() -> None:
            sentence[0] = f"{SENTENCE[:-1]} ({next(rounds)})."
            subprocess.run(["bash", "-c", raw_cmd], input=sentence[0].encode(), stdout=subprocess.DEVNULL, check=True)

        def ours_new() -> None:
            run = [*kp, "-", "--engine", "apertium", "--no-progress"]
            subprocess.run(run, input=sentence[0].encode(), env=cached_env, stdout=subprocess.DEVNULL, check=True)

        report("one new sentence, cache on", raw_new, ours_new, max(args.repeat, 9))


def report(
    label: str, raw: Callable[[], None], ours: Callable[[], None], repeat: int, least: Callable[[], None] | None = None
) -> None:
    """Print the medians of *repeat* interleaved runs of *raw* and *ours* (and of the *least* a
    Python front end over the same chains costs: :mod:`floor_client`)."""
    raw()  # warm the page cache
    ours()
    raw_times: list[float] = []
    our_times: list[float] = []
    raw_cpu: list[float] = []
    our_cpu: list[float] = []
    floor_times: list[float] = []
    floor_cpu: list[float] = []
    sides = [(raw_times, raw_cpu, raw), (our_times, our_cpu, ours)]
    if least is not None:
        least()  # warm the page cache
        sides.append((floor_times, floor_cpu, least))
    for round_ in range(repeat):
        k = round_ % len(sides)  # (the sides in turn first: no side always follows the same one)
        for times, cpus, run in sides[k:] + sides[:k]:
            wall, cpu = timed(run)
            times.append(wall)
            cpus.append(cpu)
    r, o = statistics.median(raw_times), statistics.median(our_times)
    rc, oc = statistics.median(raw_cpu), statistics.median(our_cpu)
    verdict = "ok" if o / r <= 1.10 else "over goal"
    print(
        f"{label:>17}: raw Apertium {r:7.3f} s, kp-translate {o:7.3f} s -> {o / r:.2f}x (goal <= 1.10x: {verdict});"
        f" runs raw {', '.join(f'{t:.2f}' for t in raw_times)}; ours {', '.join(f'{t:.2f}' for t in our_times)}",
        flush=True,
    )
    # The raw pipeline's processes load and translate on every core (Apertium's stages run in
    # parallel): the CPU seconds kp-translate adds cannot hide behind it, so on a machine that raw
    # Apertium already keeps busy the wall-time ratio tends to the CPU-time ratio.
    cores = os.cpu_count() or 1
    print(
        f"{'':>17}  CPU (user + system, every process, medians): raw {rc:.3f} s, kp-translate {oc:.3f} s "
        f"(+{oc - rc:.3f} s, {oc / rc:.2f}x); raw Apertium alone keeps {min(1.0, rc / r / cores):.0%} of the "
        f"{cores} cores busy while it runs",
        flush=True,
    )
    if floor_times:
        f, fc = statistics.median(floor_times), statistics.median(floor_cpu)
        print(
            f"{'':>17}  floor (Python starting the same chains, importing click, piping the text through: "
            f"bench/floor_client.py): {f:.3f} s -> {f / r:.2f}x, CPU {fc:.3f} s ({fc / rc:.2f}x); "
            f"kp-translate's own work takes {o - f:+.3f} s, {oc - fc:+.3f} s of CPU",
            flush=True,
        )


if __name__ == "__main__":
    main()
