"""Pivot choice: each source language without a direct Apertium pair, through every installed pivot.

For each language given (default: every registered source language with more than one installed
one-pivot route into English), translate its corpus (``corpus/<lang>``) through each route with
enforcement (real glossary, segment cache off) and score it against its references
(``corpus/ref`` for French, ``corpus/ref/<lang>`` otherwise): chrF2, BLEU, term success, and the
wall time of the translation. The routes are forced with ``ApertiumEngine(modes=...)``, so the
table does not depend on ``PIVOTS``.

    .venv/bin/python bench/bench_pivots.py [LANG ...] [--repeat N]

The Catalan pivots need ``apt-get install apertium-fra-cat apertium-por-cat apertium-cat-ita``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kp_translate import lang
from kp_translate.engines.apertium import ApertiumEngine, installed_modes
from kp_translate.engines.routes import Route, find_route
from kp_translate.lang.codes import parse_mode
from kp_translate.score import score
from kp_translate.translate import translate

ROOT = Path(__file__).resolve().parents[1]


def pivot_routes(source: str, modes: tuple[str, ...], target: str = "en") -> list[Route]:
    """Every one-pivot route from *source* to *target* through *modes*, one per pivot language."""
    pair = lang.Pair(source, target)
    middles = sorted({p[1] for p in map(parse_mode, modes) if p is not None and p[0] == source} - {target})
    found: list[Route] = []
    for middle in middles:
        route = find_route(pair, modes, pivots=(middle,))
        if route is not None and len(route.steps) == 2 and route.languages[1] == middle:
            found.append(route)
    return found


def measure(source: str, route: Route, repeat: int) -> dict[str, float]:
    engine = ApertiumEngine(pair=route.pair, modes=route.modes)
    times: list[float] = []
    result: dict[str, float] = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out"
            start = time.perf_counter()
            report = translate([ROOT / "corpus" / source], out, source=source, engine=engine, use_cache=False)
            times.append(time.perf_counter() - start)
            scored = score(out, source=source)
            result = {
                "chrf": scored.value("chrf") or 0.0,
                "bleu": scored.value("bleu") or 0.0,
                "term_success": scored.value("term_success") or 0.0,
                "enforced": float(report.to_dict()["terms"]["enforced"]),
                "expected": float(report.to_dict()["terms"]["expected"]),
            }
    result["seconds"] = statistics.median(times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="*", help="source languages (default: those with several pivots)")
    parser.add_argument("--repeat", type=int, default=1, help="translations per route (median wall time)")
    args = parser.parse_args()
    modes = installed_modes()
    languages = args.languages or [s for s in lang.registered() if len(pivot_routes(s, modes)) > 1]
    print(f"{'lang':<5} {'route':<24} {'chrF2':>6} {'BLEU':>6} {'terms':>14} {'seconds':>8}")
    for source in languages:
        for route in pivot_routes(source, modes):
            r = measure(source, route, max(1, args.repeat))
            terms = f"{r['term_success']:.1f} ({r['enforced']:.0f}/{r['expected']:.0f})"
            print(f"{source:<5} {route!s:<24} {r['chrf']:>6.2f} {r['bleu']:>6.2f} {terms:>14} {r['seconds']:>8.2f}")


if __name__ == "__main__":
    main()
