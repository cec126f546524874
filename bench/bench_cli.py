"""Start-up time of `kp-translate --help` (goal < 0.3 s) and of a few commands that must not
import argostranslate/torch.

    .venv/bin/python bench/bench_cli.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def exe() -> str:
    found = shutil.which("kp-translate", path=str(Path(sys.executable).parent))
    return found or "kp-translate"


def timed(args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([exe(), *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return times


def heavy_modules(args: list[str]) -> list[str]:
    """Which heavy modules a command imports (via -X importtime)."""
    code = (
        "import sys; from kp_translate.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(m for m in ('argostranslate', 'torch', 'stanza', 'spacy', 'ctranslate2', 'sacrebleu', 'polib')"
        " if m in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return proc.stderr.strip().splitlines()[-1].split() if proc.stderr.strip() else []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    for cmd in (["--help"], ["glossary", "--help"], ["glossary", "check", "-q"]):
        t = timed(cmd, args.repeat)
        print(
            f"kp-translate {' '.join(cmd):<22} median {statistics.median(t) * 1000:6.0f} ms, "
            f"best {min(t) * 1000:6.0f} ms  (goal for --help: < 300 ms)   imports: {heavy_modules(cmd) or 'none heavy'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
