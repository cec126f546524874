"""Matcher throughput: a synthetic 20,000-entry glossary over 10 MB of French text.

Prints glossary load+compile time and matching throughput on one core. Goals (issue 2):
≥ 5 MB/s matching, < 1 s load+compile.

    .venv/bin/python bench/bench_match.py [--entries 20000] [--mb 10]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kp_translate import glossary
from kp_translate.match import Matcher

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = ["ka", "ri", "mo", "sé", "ou", "chan", "pyo", "ng", "vla", "di", "kor", "ée", "nord", "tra", "mi", "lé"]


def pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def write_glossary(path: Path, n: int, rng: random.Random) -> list[str]:
    """A .kpg file with *n* entries of 1-3 forms (1-3 words each, some elided or capitalised)."""
    forms_used: set[str] = set()
    lines = []
    all_forms = []
    for i in range(n):
        forms = []
        while len(forms) < rng.randint(1, 3):
            words = [pseudo_word(rng) for _ in range(rng.randint(1, 3))]
            form = " ".join(w.capitalize() if rng.random() < 0.6 else w for w in words)
            if rng.random() < 0.1:
                form = "l'" + form
            if form.lower() not in forms_used:
                forms_used.add(form.lower())
                forms.append(form)
        lines.append(f"[e{i}]")
        lines.append("type: term")
        lines.append(f"target: Target {i}")
        lines += [f"source: {f}" for f in forms]
        if rng.random() < 0.05:
            lines.append("case: insensitive")
        lines.append("")
        all_forms += forms
    path.write_text("\n".join(lines), encoding="utf-8")
    return all_forms


def make_text(size: int, forms: list[str], rng: random.Random) -> str:
    """French-looking text: the real dossier's words with glossary forms sprinkled in (~1 in 15 words)."""
    base = " ".join((ROOT / "corpus" / "fr").glob("*.txt").__next__().read_text(encoding="utf-8").split())
    words = base.split()
    out: list[str] = []
    n = 0
    while n < size:
        w = rng.choice(forms) if rng.random() < 0.07 else rng.choice(words)
        out.append(w)
        n += len(w.encode("utf-8")) + 1
    return " ".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=20_000)
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        gpath = Path(tmp) / "synthetic.kpg"
        forms = write_glossary(gpath, args.entries, rng)
        text = make_text(int(args.mb * 1_000_000), forms, rng)
        size_mb = len(text.encode("utf-8")) / 1_000_000

        loads = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            g = glossary.load(gpath)
            matcher = Matcher(g)
            loads.append(time.perf_counter() - t0)
        runs = []
        count = 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            count = sum(1 for _ in matcher.finditer(text))
            runs.append(time.perf_counter() - t0)
    best = min(runs)
    print(f"glossary: {args.entries} entries, {len(forms)} source forms")
    print(f"load+compile: median {statistics.median(loads):.3f} s (goal < 1 s)")
    print(f"text: {size_mb:.1f} MB, {count} matches")
    print(
        f"matching: best {best:.2f} s, median {statistics.median(runs):.2f} s -> {size_mb / best:.1f} MB/s "
        f"(goal >= 5 MB/s, one core)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
