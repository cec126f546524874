"""Enforcement overhead: the dossier through raw Apertium vs the full enforced pipeline.

Both sides translate the whole dossier (corpus/fr, real glossary) with the same batching (one
Apertium process chain for the run) and the segment cache disabled:

* raw: read + split the documents, one ``translate_batch`` call over every paragraph, typography,
  join (what ``--no-enforce`` costs, minus the term report);
* enforced: ``kp_translate.translate.translate(..., enforce=True, use_cache=False)``, i.e. matching,
  protection, Apertium, restoration, verification, post-editing, typography, report.

Prints the median of several repetitions of each and the overhead ratio. Goal (issue 3): at most
10 % extra wall time.

    .venv/bin/python bench/bench_enforce.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kp_translate import glossary
from kp_translate.enforce import Enforcer
from kp_translate.engines.apertium import ApertiumEngine
from kp_translate.lang import get as get_language
from kp_translate.lang.convert import convert
from kp_translate.segment import read_document
from kp_translate.translate import translate

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "fr"


def to_english(text: str) -> str:
    return convert(text, get_language("fr"), get_language("en"))


def raw_run(engine: ApertiumEngine, files: list[Path]) -> int:
    docs = [read_document(f) for f in files]
    paragraphs = [p.text for d in docs for p in d.paragraphs]
    hyps = engine.translate_batch(paragraphs)
    out = iter(to_english(h[0].text) for h in hyps)
    words = 0
    for d in docs:
        text = d.join([next(out) for _ in d.paragraphs])
        words += len(text.split())
    return words


def enforced_run(engine: ApertiumEngine, gloss: glossary.Glossary, out: Path) -> float:
    report = translate([CORPUS], out, engine=engine, glossary=gloss, enforce=True, use_cache=False)
    return report.success


def enforcement_only(engine: ApertiumEngine, gloss: glossary.Glossary, files: list[Path], repeat: int) -> float:
    """Median seconds of the enforcement work alone (match, protect, restore, verify, post-edit,
    typography) on the dossier, the Apertium output computed once beforehand."""
    paragraphs = [p.text for f in files for p in read_document(f).paragraphs]
    enforcer = Enforcer(gloss)
    protected = [enforcer.protect(p) for p in paragraphs]
    hyps = engine.translate_batch([p.text for p in protected])
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        enforcer = Enforcer(gloss)
        for text in paragraphs:
            enforcer.protect(text)
        for prot, h in zip(protected, hyps, strict=True):
            enforcer.finish(prot, h, to_english)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    files = sorted(CORPUS.glob("*.txt"))
    gloss = glossary.load(ROOT / "glossary")
    engine = ApertiumEngine()
    print(f"engine {engine.model_id}; glossary {gloss.version} ({len(gloss)} entries); {len(files)} files")
    raw_run(engine, files)  # warm the page cache and the model id
    raw_times: list[float] = []
    enforced_times: list[float] = []
    success = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        enforced_run(engine, gloss, Path(tmp) / "warm")
        for i in range(args.repeat):
            # alternate so that drift on a busy machine hits both sides alike
            t0 = time.perf_counter()
            words = raw_run(engine, files)
            raw_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            success = enforced_run(engine, gloss, Path(tmp) / f"run{i}")
            enforced_times.append(time.perf_counter() - t0)
    raw = statistics.median(raw_times)
    enforced = statistics.median(enforced_times)
    print(f"raw Apertium     : median {raw:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in raw_times)}; {words} words)")
    print(
        f"enforced pipeline: median {enforced:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in enforced_times)};"
        f" term success {100 * success:.1f}%)"
    )
    alone = enforcement_only(engine, gloss, files, args.repeat)
    print(f"enforcement alone: median {alone:.3f} s  ({100 * alone / raw:.1f}% of the raw Apertium time)")
    overhead = enforced / raw - 1
    best = min(enforced_times) / min(raw_times) - 1
    verdict = "ok" if overhead <= 0.10 else "over goal"
    print(
        f"overhead         : {100 * overhead:+.1f}% on medians, {100 * best:+.1f}% on best runs"
        f" (goal: <= +10%) -> {verdict}"
    )


if __name__ == "__main__":
    main()
