"""Matcher throughput: a synthetic 20,000-entry glossary over 10 MB of French text, and the real
glossary over the dossier ×100 (paragraph by paragraph, as translation and scoring call it).

Prints glossary load and compile time (parsed, and read back from the compiled-glossary cache),
the automaton's build (deferred in a large matcher until it has read ``BUILD_AFTER`` characters a
key: included in no figure below but the first matching call), and matching throughput on one core: kp-translate's
matcher (Aho-Corasick automaton), the word index it replaced (``automaton=False``, the reference
in the tests), and the raw library (``ahocorasick_rs``, leftmost-longest, over the same forms as
declared and the text as it is: no folding, case rules, word boundaries or case endings), with
kp-translate's speed as a fraction of the raw library's. Goals (issue 10): ≥ 0.8× the raw
library, ≥ 3× the word index (4.3–7 MB/s), load+compile < 0.5 s at 20,000 entries.

Each workload also has a **floor** line: the time of what kp-translate's matcher cannot skip
without changing what it matches (the text prepared: variants folded, white space runs collapsed,
lower-cased when an entry is case-insensitive; then the library's search over it), with no Python
per hit, against the raw library's time. Its inverse is the most the matcher could reach with all
its per-hit work (boundaries, case rules, entries, ``Match`` objects) gone.

Each parsed load starts as a fresh process after an edit would: ``normalise_form``'s cache empty,
and the previous repeat's glossary and matcher freed before the clock starts (freeing 20,000
entries is not part of loading the next ones).

Times are CPU times of this process (``time.process_time``: one thread, so on a shared machine
they are what the work costs, not how long other processes kept it waiting).

    .venv/bin/python bench/bench_match.py [--entries 20000] [--mb 10] [--repeat 3] [--dossier 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ahocorasick_rs

from kp_translate import glossary
from kp_translate.match import BUILD_AFTER, Matcher
from kp_translate.segment import read_document

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


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """The best time of *repeat* runs of *run*, and what it returned."""
    times = []
    out = 0
    for _ in range(repeat):
        t0 = time.process_time()
        out = run()
        times.append(time.process_time() - t0)
    return min(times), out


def raw_library(forms: list[str]) -> Callable[[str], int]:
    """The library alone: the declared forms, leftmost-longest, over the text as it is."""
    automaton = ahocorasick_rs.AhoCorasick(
        list(dict.fromkeys(forms)), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )
    return lambda text: len(automaton.find_matches_as_indexes(text))


def floor(matcher: Matcher) -> Callable[[str], int]:
    """The part of kp-translate's matcher it cannot skip without changing what it matches: the text
    prepared as the automaton reads it (variants folded, white space runs collapsed, lower-cased
    when some entry is case-insensitive) and the library's search over it; no Python per hit (the
    hits are counted, not examined: boundaries, case, entries). Reads the matcher's automaton."""
    automaton = matcher._automaton
    assert automaton is not None

    def run(text: str) -> int:
        prepared = automaton.prepare(text)
        return len(automaton.search(prepared.searched)) if prepared is not None else 0

    return run


def compare(label: str, mb: float, repeat: int, runs: dict[str, Callable[[], int]]) -> None:
    """Print the speed of each run (MB/s), kp-translate's against the raw library's and the word
    index's, and the floor's: the fastest kp-translate's matcher could be, all its per-hit work gone."""
    speed = {}
    for name, run in runs.items():
        seconds, count = best_of(repeat, run)
        speed[name] = mb / seconds
        what = "hits" if name.startswith("floor") else "matches"
        print(f"  {name:34s} {seconds:6.2f} s  {speed[name]:6.1f} MB/s  ({count} {what})")
    kp, words, raw = speed["kp-translate (automaton)"], speed["word index (before)"], speed["raw library"]
    print(f"  {label}: kp-translate {kp / raw:.2f}x the raw library (goal >= 0.8x), {kp / words:.1f}x the word index")
    bound = speed[FLOOR] / raw
    print(
        f"  {label}: floor {raw / speed[FLOOR]:.2f}x the raw library's time, so at most {bound:.2f}x its speed "
        f"with no per-hit work at all; kp-translate's per-hit work is {speed[FLOOR] / kp - 1:.0%} on top of the floor"
    )


FLOOR = "floor (prepare + library search)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=20_000)
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dossier", type=int, default=100, help="times the dossier is matched (real glossary)")
    args = ap.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        gpath = Path(tmp) / "synthetic.kpg"
        forms = write_glossary(gpath, args.entries, rng)
        text = make_text(int(args.mb * 1_000_000), forms, rng)
        size_mb = len(text.encode("utf-8")) / 1_000_000
        loads, compiles, builds, warm_loads, warm_compiles = [], [], [], [], []
        cache = Path(tmp) / "cache"
        Matcher.cached(glossary.load(gpath, compiled=cache))  # fills the compiled-glossary cache
        g = matcher = stored = None
        for _ in range(args.repeat):
            # as in a fresh process after an edit: the form cache empty, and the previous repeat's
            # glossary freed here rather than inside a timed step
            g = matcher = stored = None
            glossary.normalise_form.cache_clear()
            t0 = time.process_time()
            g = glossary.load(gpath)
            t1 = time.process_time()
            matcher = Matcher(g)
            t2 = time.process_time()
            matcher.build_automaton()
            loads.append(t1 - t0)
            compiles.append(t2 - t1)
            builds.append(time.process_time() - t2)
            t0 = time.process_time()
            stored = glossary.load(gpath, compiled=cache)
            t1 = time.process_time()
            Matcher.cached(stored)
            warm_loads.append(t1 - t0)
            warm_compiles.append(time.process_time() - t1)
        t0 = time.process_time()
        words = Matcher(g, automaton=False)
        t_words = time.process_time() - t0
        t0 = time.process_time()
        raw = raw_library(forms)
        t_raw = time.process_time() - t0
    load, compile_, build = statistics.median(loads), statistics.median(compiles), statistics.median(builds)
    warm_load, warm_compile = statistics.median(warm_loads), statistics.median(warm_compiles)
    print(f"glossary: {args.entries} entries, {len(forms)} source forms")
    print(
        f"parsed: load {load:.3f} s + compile {compile_:.3f} s = {load + compile_:.3f} s (median; goal < 0.5 s), "
        f"+ {build:.3f} s for the automaton when the matcher has read {BUILD_AFTER} characters a key"
    )
    print(
        f"from the compiled-glossary cache: load {warm_load:.3f} s + matcher {warm_compile:.3f} s = "
        f"{warm_load + warm_compile:.3f} s (median)"
    )
    print(f"compile without the automaton (word index) {t_words:.3f} s, raw library automaton {t_raw:.3f} s")
    print(f"text: {size_mb:.1f} MB (one string)")
    synthetic_floor = floor(matcher)
    compare(
        "synthetic",
        size_mb,
        args.repeat,
        {
            "kp-translate (automaton)": lambda: sum(1 for _ in matcher.finditer(text)),
            "word index (before)": lambda: sum(1 for _ in words.finditer(text)),
            "raw library": lambda: raw(text),
            FLOOR: lambda: synthetic_floor(text),
        },
    )

    real = glossary.load(ROOT / "glossary").view("fr")
    documents = sorted((ROOT / "corpus" / "fr").glob("*.txt"))
    paragraphs = [p.text for path in documents for p in read_document(path).paragraphs]
    paragraphs *= args.dossier
    real_mb = sum(len(p.encode("utf-8")) for p in paragraphs) / 1_000_000
    t0 = time.process_time()
    real_matcher = Matcher(real)
    t_real = time.process_time() - t0
    real_words = Matcher(real, automaton=False)
    real_raw = raw_library([s for e in real for s in e.sources])
    real_floor = floor(real_matcher)
    print(
        f"real glossary: {len(real)} entries (compile {t_real:.3f} s); dossier x{args.dossier}: "
        f"{len(paragraphs)} paragraphs, {real_mb:.1f} MB"
    )
    compare(
        "real glossary, dossier",
        real_mb,
        args.repeat,
        {
            "kp-translate (automaton)": lambda: sum(len(real_matcher.find(p)) for p in paragraphs),
            "word index (before)": lambda: sum(len(real_words.find(p)) for p in paragraphs),
            "raw library": lambda: sum(real_raw(p) for p in paragraphs),
            FLOOR: lambda: sum(map(real_floor, paragraphs)),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
