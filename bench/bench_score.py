"""Scoring time: 100,000 synthetic segments against a synthetic 20,000-entry glossary.

Every segment has a French source holding glossary terms (multi-word forms, repeated terms, a
surname that is also part of a full name), an English hypothesis rendering most of them with the
canonical target and some with a forbidden form, and a reference. Timed: glossary load, the
per-segment analysis and the four term metrics (term success, forbidden, consistency, reference
agreement) and the QA checks of ``kp-translate check``; then ``score`` end to end as the
command computes it: term metrics plus sacrebleu's BLEU and chrF (whose per-segment statistics
worker processes extract while the term metrics run). Goal (issue 4): under 60 s on this machine.

    .venv/bin/python bench/bench_score.py [--entries 20000] [--segments 100000] [--no-sacrebleu]

With ``--memory``: peak memory of ``kp-translate score --hyp H --ref R`` on line files of
paragraph-long lines (default 100,000; each a dossier reference snippet, i.e. a translated
paragraph of about 280 characters, or ``--join N`` of them; the hypothesis drops every third
word), against the ``sacrebleu`` command line on the same files and metrics. Printed per
command: the peak RSS of its largest process (``wait4``'s rusage) and the peak of the sum of
PSS over its process tree (sampled every 0.1 s: kp-translate's workers included). Goal (issue
9, item 12): < 500 MB. sacrebleu's own command line holds every reference's n-grams (about
120 KB a line of 280 characters for chrF): it is run on ``--sacrebleu-lines`` lines (default
10,000) and its growth per line printed.

    .venv/bin/python bench/bench_score.py --memory [--lines 100000] [--metric bleu --metric chrf]

With ``--ratio``: ``kp-translate score --hyp H --ref R --src S -g G`` (BLEU and chrF, and the
term metrics over the 20,000-entry glossary *G*) against the ``sacrebleu`` command line alone on
the same files (``--segments`` lines of the synthetic segments), wall time, best of
``--repeat``: the ratio (goal, issue 10: ≤ 1.1×).

    .venv/bin/python bench/bench_score.py --ratio [--entries 20000] [--segments 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
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
MEMORY_GOAL_MB = 500.0
ROOT = Path(__file__).resolve().parents[1]


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


def _tree_pss(root: int) -> int:
    """Proportional set size (bytes) of *root* and all its descendants, from /proc: forked workers
    share their parent's pages, which RSS would count once per process."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    total = 0
    for pid in parent:
        p = pid
        while p > 1 and p != root:
            p = parent.get(p, 0)
        if p != root:
            continue
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def measure(cmd: list[str]) -> tuple[float, float, float, str]:
    """Run *cmd*; return (seconds, peak RSS of its largest process in MB, peak PSS of its whole
    process tree in MB (sampled), stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()
    streams: dict[str, str] = {}

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_pss(proc.pid))
            done.wait(0.1)

    def drain(name: str) -> None:
        stream = getattr(proc, name)
        streams[name] = stream.read()

    threads = [threading.Thread(target=f, args=a, daemon=True) for f, a in
               ((sample, ()), (drain, ("stdout",)), (drain, ("stderr",)))]  # fmt: skip
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak RSS (and its reaped workers')
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {streams['stderr'].strip()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, peak[0] / 2**20, streams["stdout"]


def memory(lines: int, metrics: list[str], sacrebleu_lines: int, join: int) -> int:
    snippets = [s["ref"] for p in sorted((ROOT / "corpus" / "ref").glob("*.json"))
                for s in json.loads(p.read_text("utf-8"))["snippets"]]  # fmt: skip
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        files = {n: (Path(tmp) / f"hyp{n}.txt", Path(tmp) / f"ref{n}.txt") for n in {lines, sacrebleu_lines}}
        handles = {n: (h.open("w", encoding="utf-8"), r.open("w", encoding="utf-8")) for n, (h, r) in files.items()}
        for i in range(lines):
            line = " ".join(rng.sample(snippets, join)).replace("\n", " ")
            hyp_line = " ".join(w for k, w in enumerate(line.split()) if k % 3)
            for n, (h, r) in handles.items():
                if i < n:
                    r.write(line + "\n")
                    h.write(hyp_line + "\n")
        for h, r in handles.values():
            h.close()
            r.close()
        hyp, ref = files[lines]
        mb = (hyp.stat().st_size + ref.stat().st_size) / 2**20
        print(f"{lines:,} lines of about {ref.stat().st_size // lines} characters ({mb:.0f} MB of text); "
              f"metrics: {', '.join(metrics)}")  # fmt: skip

        def kp(n: int) -> list[str]:
            h, r = files[n]
            return [sys.executable, "-c", "from kp_translate.cli import main; main()", "score", "--hyp", str(h),
                    "--ref", str(r), "--format", "json", *[a for m in metrics for a in ("-m", m)]]  # fmt: skip

        def sb(n: int) -> list[str]:
            h, r = files[n]
            cmd = [str(Path(sys.executable).with_name("sacrebleu")), str(r), "-i", str(h), "-m",
                   *dict.fromkeys(m.replace("chrf++", "chrf") for m in metrics), "-b"]  # fmt: skip
            return cmd + (["--chrf-word-order", "2"] if "chrf++" in metrics else [])

        runs = [(f"kp-translate score, {lines:,} lines", kp(lines))]
        if sacrebleu_lines != lines:
            runs.append((f"kp-translate score, {sacrebleu_lines:,} lines", kp(sacrebleu_lines)))
        runs.append((f"sacrebleu CLI, {sacrebleu_lines:,} lines", sb(sacrebleu_lines)))
        outputs = {}
        worst = 0.0
        for name, cmd in runs:
            seconds, largest, tree, out = measure(cmd)
            outputs[name] = out
            if name.startswith("kp"):
                worst = max(worst, largest, tree)
            print(f"{name:34s} {seconds:7.1f} s   peak: largest process {largest:6.0f} MB RSS, "
                  f"process tree {tree:6.0f} MB PSS")  # fmt: skip
            if name.startswith("sacrebleu"):
                print(f"{'':34s} sacrebleu grows {largest * 1024 / sacrebleu_lines:.0f} KB a line")
        same = [s for s in json.loads(outputs[runs[-2][0]])["sacrebleu"]]
        print(f"same {sacrebleu_lines:,} lines: kp-translate {[round(s['score'], 1) for s in same]}, "
              f"sacrebleu -b {outputs[runs[-1][0]].split()}")  # fmt: skip
        verdict = "OK" if worst < MEMORY_GOAL_MB else "OVER"
        print(f"kp-translate peak {worst:.0f} MB (goal < {MEMORY_GOAL_MB:.0f} MB): {verdict}")
        return 0 if worst < MEMORY_GOAL_MB else 1
    return 0


def ratio(entries: int, n: int, repeat: int) -> int:
    """``kp-translate score`` with ``--src`` and the synthetic glossary against sacrebleu alone."""
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as tmp:
        gpath = Path(tmp) / "synthetic.kpg"
        write_glossary(gpath, entries, rng)
        segments = make_segments(glossary.load(gpath), n, rng)
        files = {name: Path(tmp) / f"{name}.txt" for name in ("hyp", "ref", "src")}
        files["hyp"].write_text("".join(s.hyp + "\n" for s in segments), encoding="utf-8")
        files["ref"].write_text("".join(s.refs[0] + "\n" for s in segments), encoding="utf-8")
        files["src"].write_text("".join(s.source + "\n" for s in segments), encoding="utf-8")
        hyp, ref, src = (str(files[k]) for k in ("hyp", "ref", "src"))
        kp = [sys.executable, "-c", "from kp_translate.cli import main; main()", "score", "--hyp", hyp, "--ref", ref,
              "--src", src, "-g", str(gpath), "-m", "bleu", "-m", "chrf", "--format", "json"]  # fmt: skip
        sb = [str(Path(sys.executable).with_name("sacrebleu")), ref, "-i", hyp, "-m", "bleu", "chrf", "-b"]
        best: dict[str, float] = {}
        for name, cmd in (("kp-translate score --src -g (20k)", kp), ("sacrebleu CLI", sb)):
            for _ in range(repeat):
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                best[name] = min(best.get(name, float("inf")), time.perf_counter() - t0)
            print(f"{name:36s} {best[name]:6.2f} s (best of {repeat})")
        r = best["kp-translate score --src -g (20k)"] / best["sacrebleu CLI"]
        print(f"{n:,} segments, {entries:,} entries: kp-translate score / sacrebleu = {r:.2f}x (goal <= 1.1x)")
        return 0 if r <= 1.1 else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=20_000)
    ap.add_argument("--segments", type=int, default=100_000)
    ap.add_argument("--no-sacrebleu", action="store_true", help="skip sacrebleu's BLEU and chrF")
    ap.add_argument("--memory", action="store_true", help="peak memory of `score` on line files (see above)")
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--sacrebleu-lines", type=int, default=10_000)
    ap.add_argument("--join", type=int, default=1, help="reference snippets (dossier paragraphs) per line")
    ap.add_argument("--metric", action="append", choices=["bleu", "chrf", "chrf++", "ter"])
    ap.add_argument("--ratio", action="store_true", help="`score --src` with the glossary vs sacrebleu (see above)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if args.ratio:
        return ratio(args.entries, args.segments, args.repeat)
    if args.memory:
        return memory(args.lines, args.metric or ["bleu", "chrf"], min(args.lines, args.sacrebleu_lines), args.join)
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
