"""Batch translation throughput: local workers against Ray actors, on one machine (issue 12).

An archive of ``--paragraphs`` paragraphs (default 5,000) is generated from the dossier
(corpus/fr): documents of one to four paragraphs, each paragraph given a dateline with its own
number and one of several names, so that no two segments are the same (and ``--no-cache``: the
segment cache is off). It is translated fr→en with Apertium, enforcement on, by:

* ``local×1``: this process (the default, ``--workers 1``);
* ``local×2``: two worker processes;
* ``ray×1`` / ``ray×2``: Ray Data with one or two actors on a local Ray instance, started once
  (its start-up is timed apart).

``--repeat`` rounds, the configurations interleaved in each round so that the machine's drift
hits all of them alike; medians are printed. For each configuration: paragraphs/s over the whole
run (engine start-up included), paragraphs/s *once started* (from the first batch back to the
last, within each run) and its ratio to ``local×1`` per actor or worker (the median of the rounds'
ratios, each against the ``local×1`` run of its own round), the *marginal* rate between a run of
the whole archive and one of its first half (skipped with ``--no-half``), and the peak memory
(RSS) of each worker with its Apertium processes. Then Ray's start-up,
its per-batch overhead against the local single worker, the driver's own cost per document
(journal, output, report), and a projection of the wall time for 10 million paragraphs on 50 such
machines.

    .venv/bin/python bench/bench_scale.py [--repeat 3] [--paragraphs 5000] [--batch-size 64] [--no-half]
        [--configs local×1,local×2,ray×1,ray×2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kp_translate.batch import translate_jsonl  # noqa: E402
from kp_translate.glossary import load  # noqa: E402
from kp_translate.segment import read_document  # noqa: E402

NAMES = ["Vladimir Poutine", "Kim Jong-un", "Sergueï Lavrov", "Iouri Ouchakov", "Choe Son-hui", "Sergueï Choïgou"]
CITIES = ["PARIS", "SÉOUL", "MOSCOU", "PYONGYANG", "TOKYO", "PÉKIN", "BERLIN"]


def make_archive(path: Path, paragraphs: int, seed: int = 12) -> tuple[int, int]:
    """Documents of 1-4 dossier paragraphs, each paragraph with a distinct dateline and a name."""
    rng = random.Random(seed)
    base = [p.text for f in sorted((ROOT / "corpus" / "fr").glob("*.txt")) for p in read_document(f).paragraphs]
    written = docs = 0
    with path.open("w", encoding="utf-8") as fh:
        while written < paragraphs:
            n = min(rng.randint(1, 4), paragraphs - written)
            paras = []
            for _ in range(n):
                para = base[rng.randrange(len(base))]
                day, number = rng.randint(1, 28), written + 1
                name = NAMES[rng.randrange(len(NAMES))]
                paras.append(f"{rng.choice(CITIES)}, le {day} mars – Dépêche {number}, selon {name}. {para}")
                written += 1
            fh.write(json.dumps({"id": f"wire-{docs:06d}", "desk": "fr", "text": "\n\n".join(paras)}) + "\n")
            docs += 1
    return docs, written


# -- memory ---------------------------------------------------------------------------------


def _ppid_map() -> dict[int, int]:
    out = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as fh:
                    out[int(entry.name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class MemorySampler:
    """Samples, every second, the RSS of each worker root (a process and all its descendants)."""

    def __init__(self, roots: Callable[[], list[int]]) -> None:
        self.roots = roots
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(1.0):  # a scan of /proc costs ~6 ms of this process
            roots = self.roots()
            if not roots:
                continue
            parents = _ppid_map()
            children: dict[int, list[int]] = {}
            for pid, ppid in parents.items():
                children.setdefault(ppid, []).append(pid)
            for root in roots:
                total, todo = 0, [root]
                while todo:
                    pid = todo.pop()
                    total += _rss_kb(pid)
                    todo.extend(c for c in children.get(pid, []) if not _is_ray(c))  # Ray's own: not ours
                self.peaks[root] = max(self.peaks.get(root, 0), total)


def _ray_actors() -> list[int]:
    return [
        int(e.name)
        for e in os.scandir("/proc")
        if e.name.isdigit() and _cmdline(int(e.name)).startswith("ray::MapWorker(MapBatches(TranslateBatch))")
    ]


def _is_ray(pid: int) -> bool:
    """Ray's own processes (raylet, GCS, idle workers), not counted in a local worker's memory."""
    line = _cmdline(pid)
    return line.startswith("ray::") or "/ray/" in line or "raylet" in line or "gcs_server" in line


# -- runs -----------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: list[float] = field(default_factory=list)
    #: documents/s from the first batch back to the last (start-up and the final write left out)
    steady: float = float("nan")


def run_once(name: str, archive: Path, out: Path, batch_size: int, glossary: Any, ray_session: Any) -> Run:
    """One run of configuration *name* (``local×2``...) over *archive*: wall time, peak memory."""
    backend, workers = name.split("×")
    pool: list[int] = []

    def roots() -> list[int]:
        if backend == "ray":
            return _ray_actors()
        return pool if int(workers) > 1 else [os.getpid()]

    marks: list[tuple[float, int]] = []  # (time, documents done) as each batch comes back

    def progress(p: Any) -> None:
        if p.translated:
            marks.append((time.perf_counter(), p.translated))

    started = time.perf_counter()
    with MemorySampler(roots) as memory:
        translate_jsonl(
            archive,
            out,
            source="fr",
            engine="apertium",
            glossary=glossary,
            use_cache=False,
            workers=int(workers),
            backend=backend,
            batch_size=batch_size,
            on_workers=pool.extend,
            on_progress=progress,
            ray_session=ray_session,
        )
    seconds = time.perf_counter() - started
    out.unlink()
    (t0, d0), (t1, d1) = marks[0], marks[-1]
    steady = (d1 - d0) / (t1 - t0) if t1 > t0 else float("nan")
    return Run(seconds, sorted(v / 1024 for v in memory.peaks.values()), steady)


def driver_cost(archive: Path, out: Path, glossary: Any) -> float:
    """Seconds per document the driver spends on its own (journal append, output and report
    written from the journal), measured on a finished run's records replayed into a new journal."""
    from kp_translate.batch import run as batch_run
    from kp_translate.batch.journal import Journal
    from kp_translate.batch.jsonl import Doc, read_documents
    from kp_translate.batch.merge import BatchReport

    translate_jsonl(archive, out, source="fr", engine="apertium", glossary=glossary, use_cache=False)
    docs = [d for d in read_documents(archive) if isinstance(d, Doc)]
    records = []
    for doc, line in zip(docs, out.read_text(encoding="utf-8").splitlines(), strict=True):
        data = json.loads(line)
        records.append(
            {"line": doc.line, "digest": doc.digest, "translation": data["translation"], "terms": data["terms"]}
        )
    out.unlink()
    journal_file = out.with_name("replay.journal")
    started = time.perf_counter()
    journal = Journal(journal_file, {"bench": 1})
    for k in range(0, len(records), 64):
        journal.append(records[k : k + 64])
    report = BatchReport(str(archive), str(out), "apertium", "-", "fr-en", "-", True)
    batch_run._write_output(archive, out, journal, report, "id", "text")
    report.finish(glossary.view("fr"))
    json.dumps(report.to_dict())
    journal.remove()
    seconds = time.perf_counter() - started
    out.unlink()
    return seconds / len(records)


def report(
    results: dict[str, dict[str, list[Run]]],
    configs: list[str],
    paragraphs: int,
    half_paragraphs: int,
    docs: int,
    batch_size: int,
    ray_start: float,
    per_doc: float,
) -> None:
    """The medians of the rounds so far, the overheads and the projection."""
    print()
    print(
        f"{'config':8s} {'wall s':>7s} {'para/s':>7s} {'marginal':>8s} {'steady':>7s} {'per actor':>9s} "
        f"{'vs local×1':>10s} {'(marginal)':>10s} {'fixed s':>8s}  peak MB/worker"
    )
    per_doc_paragraphs = paragraphs / docs
    summary: dict[str, tuple[float, float, float]] = {}
    steady: dict[str, float] = {}
    for c in configs:
        wall = statistics.median(r.seconds for r in results[c]["big"])
        wall_half = statistics.median(r.seconds for r in results[c]["half"]) if results[c]["half"] else wall
        # marginal: the rate between the two sizes (start-up and the last write cancel out)
        started = (paragraphs - half_paragraphs) / (wall - wall_half) if wall > wall_half else float("nan")
        # steady: within each run, from the first batch back to the last
        steady[c] = statistics.median(r.steady for r in results[c]["big"]) * per_doc_paragraphs
        fixed = wall - paragraphs / steady[c]  # start-up and the final write
        summary[c] = (wall, started, fixed)
    peer = "local×1" if "local×1" in summary else configs[0]
    base = summary[peer][1]
    for c in configs:
        wall, started, fixed = summary[c]
        n = int(c.split("×")[1])
        peak = max((m for size in results[c].values() for r in size for m in r.peak_mb), default=0.0)
        # the ratio once started: median over rounds of (this config's steady rate per actor / the
        # peer's in the same round), so that the machine's drift between rounds cancels out
        paired = statistics.median(
            r.steady / n / p.steady for r, p in zip(results[c]["big"], results[peer]["big"], strict=True)
        )
        print(
            f"{c:8s} {wall:7.1f} {paragraphs / wall:7.1f} {started:8.1f} {steady[c]:7.1f} {steady[c] / n:9.1f} "
            f"{paired:9.2f}× {started / n / base:9.2f}× {fixed:8.1f}  {peak:.0f}"
        )
    print(
        f"(paragraphs/s; marginal: between the {paragraphs:,}- and the {half_paragraphs:,}-paragraph runs; steady: "
        f"from the first batch back to the last in the {paragraphs:,}-paragraph run; vs {peer}: steady per "
        "actor/worker, median of the rounds' ratios)"
    )
    print()
    batch_paragraphs = batch_size * paragraphs / docs
    if "ray×1" in summary and "local×1" in summary:
        per_batch = (1 / steady["ray×1"] - 1 / steady["local×1"]) * batch_paragraphs
        print(f"Ray start-up: ray.init {ray_start:.1f} s (once per machine: ray start)")
        print(
            f"Ray fixed cost per run: {summary['ray×1'][2]:.1f} s (actors start, warm their engines; dataset "
            f"planning) against {summary['local×1'][2]:.1f} s for local×1 (engine start-up)"
        )
        print(
            f"Ray per-batch overhead once started: {per_batch * 1000:+.0f} ms per batch of {batch_size} "
            f"documents (~{batch_paragraphs:.0f} paragraphs)"
        )
    print(f"driver cost (journal + output + report): {per_doc * 1e6:.0f} µs per document")
    ray_configs = [c for c in summary if c.startswith("ray")]
    best = max(ray_configs or list(summary), key=lambda c: steady[c])
    rate = steady[best]
    fixed = summary[best][2]
    machines, total = 50, 10_000_000
    per_machine = total / machines
    docs_total = total * docs / paragraphs
    compute = per_machine / rate
    driver = docs_total * per_doc
    print(
        f"projection, 10,000,000 paragraphs on {machines} machines like this one ({best} on each: "
        f"{rate:.1f} para/s once started): {per_machine:,.0f} paragraphs per machine = {compute / 3600:.2f} h, "
        f"+ per machine {ray_start:.0f} s ray start + {fixed:.0f} s actors and engines; the driver writes "
        f"{docs_total:,.0f} documents at {per_doc * 1e6:.0f} µs = {driver / 60:.1f} min, overlapped with "
        f"translation except the final output ({docs_total * per_doc / 2 / 60:.1f} min, about half of it): "
        f"≈ {(compute + ray_start + fixed + driver / 2) / 3600:.2f} h in all"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--paragraphs", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--configs", default="local×1,local×2,ray×1,ray×2")
    parser.add_argument(
        "--no-half", action="store_true", help="skip the runs of the first half (no marginal rate: steady only)"
    )
    args = parser.parse_args()
    configs = args.configs.split(",")
    glossary = load(ROOT / "glossary")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "archive.jsonl"
        docs, paragraphs = make_archive(big, args.paragraphs)
        half = Path(tmp) / "half.jsonl"
        lines = big.read_text(encoding="utf-8").splitlines(keepends=True)
        half.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
        half_paragraphs = sum(json.loads(line)["text"].count("\n\n") + 1 for line in lines[: len(lines) // 2])
        print(
            f"archive: {docs} documents, {paragraphs} paragraphs (and its first half: {half_paragraphs}); "
            "fr→en, Apertium, enforcement on, --no-cache"
        )
        session = None
        ray_start = 0.0
        if any(c.startswith("ray") for c in configs):
            from kp_translate.batch.ray_backend import RaySession

            session = RaySession(num_cpus=os.cpu_count() or 2)
            ray_start = session.startup
            print(f"ray.init (local instance): {ray_start:.1f} s")
        results: dict[str, dict[str, list[Run]]] = {c: {"big": [], "half": []} for c in configs}
        per_doc = driver_cost(half, Path(tmp) / "out.jsonl", glossary)
        try:
            for r in range(args.repeat):
                for c in configs:
                    for size, archive in (("big", big), ("half", half))[: 1 if args.no_half else 2]:
                        run = run_once(c, archive, Path(tmp) / "out.jsonl", args.batch_size, glossary, session)
                        results[c][size].append(run)
                        n = paragraphs if size == "big" else half_paragraphs
                        print(
                            f"  round {r + 1} {c:8s} {n:5d} paragraphs {run.seconds:6.1f} s "
                            f"{n / run.seconds:6.1f} para/s  steady {run.steady * paragraphs / docs:6.1f}  "
                            f"load {os.getloadavg()[0]:4.1f}  peak {', '.join(f'{m:.0f}' for m in run.peak_mb)} MB",
                            flush=True,
                        )
                if r + 1 < args.repeat:
                    print(f"after round {r + 1}:")
                    report(results, configs, paragraphs, half_paragraphs, docs, args.batch_size, ray_start, per_doc)
                    print(flush=True)
        finally:
            if session is not None:
                session.close()
        report(results, configs, paragraphs, half_paragraphs, docs, args.batch_size, ray_start, per_doc)


if __name__ == "__main__":
    main()
