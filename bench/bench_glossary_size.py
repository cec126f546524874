"""Translation time against glossary size: ``kp-translate translate`` on the dossier (corpus/fr)
with the real glossary, and with the real glossary plus the 20,000 synthetic entries of
``bench_match.py`` (in a temporary directory), the segment cache on (a first run of each fills
it, so the timed runs measure what the glossary costs, not the engine). Goal (issue 10): the
20,000-entry run within 1.2× of the real-glossary run.

    .venv/bin/python bench/bench_glossary_size.py [--entries 20000] [--repeat 3] [--engine auto]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_match import write_glossary
from kp_translate import glossary

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--engine", default="auto")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "glossary"
        shutil.copytree(ROOT / "glossary", big)
        write_glossary(big / "synthetic.kpg", args.entries, random.Random(42))
        cache = Path(tmp) / "cache"
        best: dict[str, float] = {}
        for name, gdir in (("real", ROOT / "glossary"), ("real + synthetic", big)):
            entries = len(glossary.load(gdir))
            cmd = [sys.executable, "-c", "from kp_translate.cli import main; main()", "translate",
                   str(ROOT / "corpus" / "fr"), "-o", str(Path(tmp) / "out" / name.replace(" ", "")),
                   "-g", str(gdir), "--cache-dir", str(cache), "--engine", args.engine, "--no-progress"]  # fmt: skip
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fills the cache
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                best[name] = min(best.get(name, float("inf")), time.perf_counter() - t0)
            print(f"translate corpus/fr, {name} glossary ({entries:,} entries), cache on: {best[name]:.2f} s")
    ratio = best["real + synthetic"] / best["real"]
    print(f"{args.entries:,} entries more: {ratio:.2f}x the real glossary's time (goal <= {GOAL}x)")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
