"""Translation time against glossary size: ``kp-translate translate`` on the dossier (corpus/fr)
with the real glossary, and with the real glossary plus the 20,000 synthetic entries of
``bench_match.py`` (in a temporary directory), the segment cache on (a first run of each fills
it, so the timed runs measure what the glossary costs, not the engine), medians of interleaved
runs, with the CPU time of each (the process and its Apertium stages: steadier than wall time on
a shared machine). Goal (issue 10): the 20,000-entry run within 1.2× of the real-glossary run.

    .venv/bin/python bench/bench_glossary_size.py [--entries 20000] [--repeat 5] [--engine auto]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_enforce import adopt_orphans, reap_orphans
from bench_match import write_glossary
from kp_translate import glossary

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--engine", default="auto")
    args = ap.parse_args()
    adopt_orphans()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "glossary"
        shutil.copytree(ROOT / "glossary", big)
        write_glossary(big / "synthetic.kpg", args.entries, random.Random(42))
        cache = Path(tmp) / "cache"
        # kp-translate's own cache (Apertium's answers) in this run's directory, filled by the first
        # run of each side like the segment cache; bytecode kept, as an installed package has it
        env = dict(os.environ, KP_TRANSLATE_CACHE=str(Path(tmp) / "kp-cache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cmds: dict[str, list[str]] = {}
        sizes: dict[str, int] = {}
        for name, gdir in (("real", ROOT / "glossary"), ("real + synthetic", big)):
            sizes[name] = len(glossary.load(gdir))
            out = str(Path(tmp) / "out" / name.replace(" ", ""))
            cmds[name] = [sys.executable, "-c", "from kp_translate.cli import main; main()", "translate",
                          str(ROOT / "corpus" / "fr"), "-o", out, "-g", str(gdir), "--cache-dir", str(cache),
                          "--engine", args.engine, "--no-progress"]  # fmt: skip
            subprocess.run(cmds[name], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times: dict[str, list[float]] = {name: [] for name in cmds}
        cpu: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(args.repeat):  # interleaved, so that drift on a busy machine hits both alike
            for name, cmd in cmds.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                times[name].append(time.perf_counter() - t0)
                reap_orphans()  # the Apertium stages kp-translate killed at exit without waiting
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    median = {name: statistics.median(t) for name, t in times.items()}
    median_cpu = {name: statistics.median(t) for name, t in cpu.items()}
    for name in cmds:
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(
            f"translate corpus/fr, {name} glossary ({sizes[name]:,} entries), cache on: {median[name]:.2f} s "
            f"({runs}); CPU {median_cpu[name]:.2f} s"
        )
    ratio = median["real + synthetic"] / median["real"]
    ratio_cpu = median_cpu["real + synthetic"] / median_cpu["real"]
    print(
        f"{args.entries:,} entries more: {ratio:.2f}x the real glossary's time (median; goal <= {GOAL}x); "
        f"CPU time (the process and its Apertium stages) {ratio_cpu:.2f}x"
    )
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
