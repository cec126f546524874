"""Fuzz the loaders and commands with random and mutated inputs (issue 9).

Each input is a real file of the repository (a ``.kpg`` file, a TSV/CSV glossary, a glossary PO,
a post-editing PO, a one-segment-per-line file) mutated at random — bytes flipped, ranges cut or
repeated, line ends changed, tokens that broke things before spliced in (NUL, ESC, ``\\r``,
invalid UTF-8, ``pattern: a*``, formulas, ``X-Source-Dir``, ``../``) — or plain random bytes. It
goes through the command that reads it (``glossary check``, ``glossary export``, ``glossary
import``, ``postedit import``, ``score``) with click's CliRunner and must give:

* exit status 0, 1 or 2, and no exception but SystemExit (never a traceback);
* on exit 2, exactly one line ``kp-translate: error: ...`` on standard error;
* no file written outside the run's temporary directory, and the input file unchanged.

    .venv/bin/python bench/fuzz_inputs.py [-n 3000] [--seed 1]

prints how many inputs were tried per command and every failure (command, reason, input saved
under ``--keep DIR`` when given). ``tests/test_fuzz_inputs.py`` runs the same checks, bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FR = ROOT / "corpus" / "fr"
GLOSSARY_DIR = ROOT / "glossary"
EXAMPLES = ROOT / "examples"

#: byte strings that broke a reader before, or that readers treat specially
TOKENS: tuple[bytes, ...] = (
    b"\x00",
    b"\x1b[31m",
    b"\x07",
    b"\r\n",
    b"\r",
    b"\n\n",
    b"\xff",
    b"\xe9",
    b"\xc3",
    b'"',
    b"\\",
    b"\\q",
    b"\t",
    b"#",
    b":",
    b"[x]\n",
    b"pattern: a*\n",
    b"pattern: (a|a)+$\n",
    b"pattern: (a)\\1\n",
    b'target: =HYPERLINK("http://evil.example/")\n',
    b"=SUM(A1)",
    b'msgctxt "../x#0"\n',
    b'msgctxt ".netrc#0"\n',
    b'"X-Source-Dir: /etc\\n"\n',
    b'msgid ""\n',
    b"msgstr ",
    b"#, fuzzy\n",
    b"\xef\xbb\xbf",
    "\u2028".encode(),
)


@dataclass(frozen=True)
class Kind:
    """One kind of input: its file name and the command lines that read it."""

    name: str
    filename: str
    argv: Callable[[Path, Path], list[list[str]]]  # (input file, work dir) -> command lines


def _glossary_argv(path: Path, work: Path) -> list[list[str]]:
    return [
        ["glossary", "check", str(path)],
        ["glossary", "export", "-g", str(path), "--format", "csv", "-o", str(work / "out" / "g.csv")],
    ]


def _glossary_po_argv(path: Path, work: Path) -> list[list[str]]:
    copy = work / "glossary"
    if not copy.exists():
        shutil.copytree(GLOSSARY_DIR, copy)
    return [["glossary", "import", str(path), "-g", str(copy)]]


def _postedit_po_argv(path: Path, work: Path) -> list[list[str]]:
    return [["postedit", "import", str(path), "-o", str(work / "out"), "--src", str(CORPUS_FR)]]


def _lines_argv(path: Path, work: Path) -> list[list[str]]:
    return [
        ["score", "--hyp", str(path), "--ref", str(EXAMPLES / "ref.txt")],
        ["score", "--hyp", str(EXAMPLES / "hyp.txt"), "--ref", str(path)],
    ]


KINDS: dict[str, Kind] = {
    "kpg": Kind("kpg", "g.kpg", _glossary_argv),
    "tsv": Kind("tsv", "g.tsv", _glossary_argv),
    "csv": Kind("csv", "g.csv", _glossary_argv),
    "po": Kind("po", "g.po", _glossary_po_argv),
    "postedit-po": Kind("postedit-po", "d.po", _postedit_po_argv),
    "lines": Kind("lines", "hyp.txt", _lines_argv),
}


class _Entry:
    """Lets CliRunner run ``kp_translate.cli.main`` (the real entry point: error lines, exit codes)."""

    name = "kp-translate"

    def main(self, args: Sequence[str] = (), prog_name: str | None = None, **_: Any) -> Any:
        from kp_translate.cli import main

        return main(list(args))


def invoke(argv: list[str]) -> Any:
    """Run one command line as the console script does; returns click's Result."""
    return CliRunner().invoke(_Entry(), argv)  # type: ignore[arg-type]


def seeds() -> dict[str, bytes]:
    """The real files each kind of input is mutated from (PO files exported from the dossier)."""
    out = {
        "kpg": (GLOSSARY_DIR / "people.kpg").read_bytes(),
        "tsv": (EXAMPLES / "my-glossary.tsv").read_bytes(),
        "lines": (EXAMPLES / "hyp.txt").read_bytes(),
    }
    with tempfile.TemporaryDirectory(prefix="kp-fuzz-seed-") as tmp:
        for kind, argv in (
            ("csv", ["glossary", "export", "-g", str(GLOSSARY_DIR / "weapons.kpg"), "--format", "csv"]),
            ("po", ["glossary", "export", "-g", str(GLOSSARY_DIR / "media.kpg"), "--format", "po"]),
            ("postedit-po", ["postedit", "export", str(CORPUS_FR / "001_f667be46968b6bc2.txt"), "-t", str(CORPUS_FR)]),
        ):
            path = Path(tmp) / kind
            result = invoke([*argv, "-o", str(path)])
            if result.exit_code != 0:
                raise RuntimeError(f"cannot build the {kind} seed: {result.output}{result.stderr}")
            out[kind] = path.read_bytes()
    return out


def mutate(data: bytes, rng: random.Random) -> bytes:
    """1 to 4 random edits of *data* (or, rarely, random bytes instead)."""
    if rng.random() < 0.05:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
    for _ in range(rng.randint(1, 4)):
        data = edit(data, rng.randrange(8), rng.randrange(1 << 30), rng.randrange(1 << 30), rng.choice(TOKENS))
    return data


def edit(data: bytes, op: int, a: int, b: int, token: bytes) -> bytes:
    """One deterministic edit (the hypothesis test draws *op*, *a*, *b*, *token*)."""
    n = len(data)
    i = a % (n + 1)
    j = i + b % 64
    if op == 0:  # splice a token in
        return data[:i] + token + data[i:]
    if op == 1:  # replace a range by a token
        return data[:i] + token + data[j:]
    if op == 2:  # cut a range
        return data[:i] + data[j:]
    if op == 3:  # repeat a range
        return data[:j] + data[i:j] + data[j:]
    if op == 4 and n:  # flip a byte
        k = a % n
        return data[:k] + bytes([data[k] ^ (1 << (b % 8))]) + data[k + 1 :]
    if op == 5:  # truncate
        return data[:i]
    if op == 6:  # change every line end
        return data.replace(b"\n", b"\r\n" if b % 2 else b"\r")
    return data[:i] + token * (1 + b % 5) + data[i:]


def _bad_error_output(argv: list[str], path: Path, err: str) -> str | None:
    """What is wrong with the standard error of a command that exited 2, or None."""
    lines = err.splitlines()
    if any(not line.isprintable() for line in lines):
        return "control characters on stderr"
    if argv[:2] == ["glossary", "check"]:
        # a list of problems, one line each (every line names the file), then the count
        if not lines or not re.fullmatch(r"\d+ problem\(s\) in \d+ file\(s\)", lines[-1]):
            return "no problem count"
        if any(not line.startswith(str(path)) for line in lines[:-1]):
            return "a problem that is not one line naming the file"
        return None
    if len(lines) != 1 or not lines[0].startswith("kp-translate: error: "):
        return "exit 2 without exactly one error line"
    return None


def _fingerprint(paths: Sequence[Path]) -> str:
    """A hash of every file under *paths* (names, sizes, contents): to see writes outside tmp."""
    h = hashlib.sha256()
    for top in paths:
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file():
                h.update(str(path).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


WATCHED = [CORPUS_FR, ROOT / "corpus" / "ref", GLOSSARY_DIR, EXAMPLES]


@contextlib.contextmanager
def _in_dir(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def check_input(kind: str, data: bytes, *, watch: bool = True, exits: Counter[str] | None = None) -> list[str]:
    """Run every command of *kind* on *data*; the list of broken promises (empty: all kept)."""
    spec = KINDS[kind]
    failures: list[str] = []
    before = _fingerprint(WATCHED) if watch else ""
    root = Path(tempfile.mkdtemp(prefix="kp-fuzz-"))
    saved_tempdir = tempfile.tempdir
    tempfile.tempdir = str(root)  # the commands' own temporary files go here too, to be watched
    try:
        work = root / "work"
        work.mkdir()
        path = work / spec.filename
        path.write_bytes(data)
        with _in_dir(work):
            for argv in spec.argv(path, work):
                result = invoke(argv)
                name = " ".join(argv[:2])
                if exits is not None:
                    exits[f"{name} -> {result.exit_code}"] += 1
                if result.exit_code not in (0, 1, 2):
                    failures.append(f"{name}: exit status {result.exit_code}")
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    failures.append(f"{name}: {type(result.exception).__name__}: {result.exception}")
                err = result.stderr
                if "Traceback" in err:
                    failures.append(f"{name}: traceback on stderr")
                if result.exit_code == 2:
                    problem = _bad_error_output(argv, path, err)
                    if problem:
                        failures.append(f"{name}: {problem}: {err[:200]!r}")
                if path.read_bytes() != data:
                    failures.append(f"{name}: the input file changed")
        stray = sorted(p.name for p in root.iterdir() if p != work)
        if stray:
            failures.append(f"{kind}: temporary files left behind: {stray}")
        written = {q.relative_to(work).parts[0] for q in work.rglob("*")} - {spec.filename, "out", "glossary"}
        if written:
            failures.append(f"{kind}: files written outside -o: {sorted(written)}")
    finally:
        tempfile.tempdir = saved_tempdir
        shutil.rmtree(root, ignore_errors=True)
    if watch and _fingerprint(WATCHED) != before:
        failures.append(f"{kind}: a file of the repository (corpus, glossary, examples) changed")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="inputs to try (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="save failing inputs in this directory")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    base = seeds()
    tried: Counter[str] = Counter()
    exits: Counter[str] = Counter()
    failed: list[tuple[str, list[str]]] = []
    start = time.monotonic()
    for i in range(args.n):
        kind = rng.choice(list(KINDS))
        data = mutate(base[kind], rng)
        tried[kind] += 1
        problems = check_input(kind, data, watch=i % 50 == 0, exits=exits)
        if problems:
            failed.append((kind, problems))
            if args.keep is not None:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / f"{i:05d}-{KINDS[kind].filename}").write_bytes(data)
        if (i + 1) % 500 == 0:
            print(f"... {i + 1} inputs, {len(failed)} failing, {time.monotonic() - start:.0f} s", file=sys.stderr)
    elapsed = time.monotonic() - start
    print(
        f"tried {args.n} inputs in {elapsed:.0f} s (seed {args.seed}): "
        + ", ".join(f"{k} {n}" for k, n in sorted(tried.items()))
    )
    print("exit status per command: " + ", ".join(f"{k}: {n}" for k, n in sorted(exits.items())))
    print(f"failing inputs: {len(failed)}")
    reasons = Counter(
        problem.split(":", 2)[0] + ": " + problem.split(":", 2)[1][:60] for _, ps in failed for problem in ps
    )
    for reason, count in reasons.most_common():
        print(f"  {count:5d}  {reason}")
    for kind, problems in failed[:20]:
        print(f"  [{kind}] {problems[0][:300]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
