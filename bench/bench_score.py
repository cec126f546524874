"""Scoring time: 100,000 synthetic segments against a synthetic 20,000-entry glossary.

Every segment has a French source holding glossary terms (multi-word forms, repeated terms, a
surname that is also part of a full name), an English hypothesis rendering most of them with the
canonical target and some with a forbidden form, and a reference. Timed: glossary load, the
per-segment analysis and the four term metrics (term success, forbidden, consistency, reference
agreement) and the QA checks of ``kp-translate check``; then ``score`` end to end as the
command computes it: term metrics plus sacrebleu's BLEU and chrF (whose per-segment statistics
worker processes extract while the term metrics run). Goal (issue 4): under 60 s on this machine.

    .venv/bin/python bench/bench_score.py [--entries 20000] [--segments 100000] [--no-sacrebleu]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from kp_translate import glossary, qa
from kp_translate.metrics import TERM_METRICS, Analyser, Segment
from kp_translate.score import Corpus, score_corpus

SYLLABLES = ["ka", "ri", "mo", "sé", "ou", "chan", "pyo", "ng", "vla", "di", "kor", "ée", "nord", "tra", "mi", "lé"]
EN_SYLLABLES = ["ba", "lo", "ter", "shi", "mun", "da", "gan", "vik", "sto", "pel", "ron", "ast"]
FILLER_FR = "le la les de du des et à en dans pour avec sur par un une qui que ne pas plus a été est".split()
FILLER_EN = "the of and to in for with on by a an which that not more has been is was".split()
GOAL = 60.0


def word(rng: random.Random, syllables: list[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


def write_glossary(path: Path, n: int, rng: random.Random) -> None:
    """*n* entries; 1-2 French forms of 1-3 words, an English target of 1-3 words, and a forbidden
    rendering for one entry in three. Every tenth entry is the surname of the one before it
    (overlapping variants: "Kim" and "Kim Jong Un")."""
    seen: set[str] = set()
    lines = []
    previous: tuple[str, str] | None = None
    i = 0
    while i < n:
        if previous is not None and i % 10 == 0:
            sources, target = [previous[0].split()[0]], previous[1].split()[0]
        else:
            sources = []
            while len(sources) < rng.randint(1, 2):
                form = " ".join(word(rng, SYLLABLES).capitalize() for _ in range(rng.randint(1, 3)))
                sources.append(form)
            target = " ".join(word(rng, EN_SYLLABLES).capitalize() for _ in range(rng.randint(1, 3)))
        sources = [s for s in sources if s.lower() not in seen]
        if not sources or target.lower() in seen:
            previous = None  # draw a fresh entry instead
            continue
        seen.update(s.lower() for s in sources)
        seen.add(target.lower())
        lines += [f"[e{i}]", "type: term", f"target: {target}", *[f"source: {s}" for s in sources]]
        if i % 3 == 0:
            lines.append(f"forbidden: {target} {word(rng, EN_SYLLABLES)}")
        lines.append("")
        previous = (sources[0], target)
        i += 1
    path.write_text("\n".join(lines), encoding="utf-8")


def make_segments(g: glossary.Glossary, n: int, rng: random.Random) -> list[Segment]:
    entries = g.entries
    segments = []
    for i in range(n):
        src: list[str] = []
        hyp: list[str] = []
        ref: list[str] = []
        for _ in range(rng.randint(2, 5)):
            e = rng.choice(entries)
            src += [*rng.sample(FILLER_FR, 3), rng.choice(e.sources)]
            ref += [*rng.sample(FILLER_EN, 3), e.target]
            roll = rng.random()
            if roll < 0.85:
                rendering = e.target
            elif roll < 0.95 and e.forbidden:
                rendering = e.forbidden[0]
            else:
                rendering = word(rng, EN_SYLLABLES)
            hyp += [*rng.sample(FILLER_EN, 3), rendering]
        segments.append(
            Segment(
                f"doc{i // 1000:03d}.txt", i % 1000, " ".join(hyp) + ".", " ".join(src) + ".", (" ".join(ref) + ".",)
            )
        )
    return segments


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=20_000)
    ap.add_argument("--segments", type=int, default=100_000)
    ap.add_argument("--no-sacrebleu", action="store_true", help="skip sacrebleu's BLEU and chrF")
    args = ap.parse_args()
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.kpg"
        write_glossary(path, args.entries, rng)
        t0 = time.perf_counter()
        g = glossary.load(path)
        analyser = Analyser(g)
        t_load = time.perf_counter() - t0
    segments = make_segments(g, args.segments, rng)
    words = sum(len(s.hyp.split()) for s in segments)

    t0 = time.perf_counter()
    analyses = analyser.analyse_all(segments)
    t_analyse = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = [cls(g).compute(analyses) for cls in TERM_METRICS]
    t_metrics = time.perf_counter() - t0
    t0 = time.perf_counter()
    checks = ("terms", "forbidden", "numbers", "source_words", "brackets", "two_ways")
    findings = qa.run(analyses, checks, results[2].data)  # two_ways reuses the consistency metric's data
    t_qa = time.perf_counter() - t0
    t_score = 0.0
    report = None
    if not args.no_sacrebleu:
        # what `kp-translate score` computes: term metrics here, sacrebleu in worker processes
        corpus = Corpus("lines", segments, ["synthetic"], "synthetic")
        t0 = time.perf_counter()
        report = score_corpus(corpus, g, ("bleu", "chrf"))
        t_score = time.perf_counter() - t0

    total = t_load + t_analyse + t_metrics + t_qa
    print(f"glossary: {len(g)} entries; segments: {len(segments)} ({words} hypothesis words)")
    print(f"load + compile matchers: {t_load:6.2f} s")
    print(f"segment analysis:        {t_analyse:6.2f} s ({len(segments) / t_analyse:,.0f} segments/s)")
    print(f"term metrics:            {t_metrics:6.2f} s")
    for r in results:
        print(f"    {r}    {r.signature}")
    print(f"QA checks:               {t_qa:6.2f} s ({sum(len(f) for f in findings.values())} findings)")
    verdict = "OK" if total < GOAL else "OVER"
    print(f"term scoring + QA: {total:.1f} s (goal < {GOAL:.0f} s): {verdict}")
    if report is not None:
        whole = t_load + t_score
        print(
            f"score end to end (load + term metrics + sacrebleu BLEU and chrF, as `kp-translate score`): "
            f"{whole:.1f} s (goal < {GOAL:.0f} s): {'OK' if whole < GOAL else 'OVER'}"
        )
        for sc in report.sacrebleu:
            print(f"    {sc.text}")
    return 0 if total < GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
