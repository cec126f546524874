"""Argos decoding: this project's batched engine vs argostranslate's own translate() per paragraph.

Builds a realistic-size random-weight Argos package (default: 6+6 layers, 512 dims, 8 heads,
FFN 2048, ~8000 SentencePiece pieces trained on the dossier, int8), installs it from the
.argosmodel into a temporary Argos directory, then translates every French paragraph of the
dossier twice, with the same package, beam size, compute type, threads and decoding cap:

  (a) kp_translate's ArgosEngine: all sentences of the whole dossier in one translate_batch call;
  (b) argostranslate.translate.translate(paragraph, "fr", "en") called per paragraph, its
      sentence splitter swapped for this project's split_sentences (so only the decoding path
      differs; its own splitters would download models).

Sockets are blocked during both runs. A random model never emits end-of-sentence, so every
sentence decodes to the cap (--max-decoding-length) in both paths. Prints the times, the ratio
(goal: ≥ 2×) and how many paragraphs both paths translate identically.

    .venv/bin/python bench/bench_argos.py             # realistic model (~1.5 min on 2 cores)
    .venv/bin/python bench/bench_argos.py --repeat 2  # best of two interleaved runs each (~2.5 min)
    .venv/bin/python bench/bench_argos.py --quick     # tiny model, a few seconds
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny model (smoke run)")
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--dims", type=int, default=512)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--ffn", type=int, default=2048)
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--quantization", default="int8")
    ap.add_argument("--beam", type=int, default=4, help="beam size, both paths (Argos default 4)")
    ap.add_argument("--intra-threads", type=int, default=os.cpu_count() or 1, help="both paths")
    ap.add_argument("--max-decoding-length", type=int, default=48, help="decoding cap, both paths")
    ap.add_argument("--max-batch-tokens", type=int, default=2048, help="kp_translate batch size (tokens)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each path (interleaved); best one reported")
    ap.add_argument(
        "--eos-bias",
        type=float,
        default=0.0,
        help="end-of-sentence logit bias of the random model (0: every sentence decodes to the cap; "
        "> 0: variable output lengths, like a real model)",
    )
    return ap.parse_args()


def block_sockets() -> None:
    def refuse(*args: object, **kwargs: object) -> Any:
        raise RuntimeError("network access attempted during the benchmark")

    class NoSocket(socket.socket):
        def __init__(self, family: int = socket.AF_INET, *args: Any, **kwargs: Any) -> None:
            if family in (socket.AF_INET, socket.AF_INET6):
                refuse()
            super().__init__(family, *args, **kwargs)

    socket.socket = NoSocket  # type: ignore[misc]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="kp-bench-argos-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    # argostranslate reads its settings once, at import: set them all before importing it.
    os.environ.update(
        {
            "HOME": str(work),
            "XDG_DATA_HOME": str(work / "data"),
            "XDG_CONFIG_HOME": str(work / "config"),
            "XDG_CACHE_HOME": str(work / "cache"),
            "ARGOS_PACKAGES_DIR": str(work / "packages"),
            "ARGOS_BEAM_SIZE": str(args.beam),
            "ARGOS_COMPUTE_TYPE": args.quantization,
            "ARGOS_INTER_THREADS": "1",
            "ARGOS_INTRA_THREADS": str(args.intra_threads),
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    from kp_translate.argos_build import REALISTIC, TINY, ModelConfig, build_package
    from kp_translate.engines import argos
    from kp_translate.lang import get as get_language
    from kp_translate.segment import read_document

    split_sentences = get_language("fr").split_sentences

    files = sorted((ROOT / "corpus" / "fr").glob("*.txt"))
    paragraphs = [p.text for f in files for p in read_document(f).paragraphs]
    if args.quick:
        config = TINY
    else:
        config = ModelConfig(
            layers=args.layers,
            d_model=args.dims,
            heads=args.heads,
            ffn=args.ffn,
            vocab_size=args.vocab,
            sp_model_type=REALISTIC.sp_model_type,
            quantization=args.quantization,
            eos_bias=args.eos_bias,
        )
    t0 = time.perf_counter()
    built = build_package(work / "build", [f.read_text(encoding="utf-8") for f in files], config)
    build_s = time.perf_counter() - t0
    size_mb = built.archive.stat().st_size / 1e6
    info = argos.install_file(built.archive)
    print(
        f"package: {info.name} ({config.layers}+{config.layers} layers, d={config.d_model}, "
        f"heads={config.heads}, ffn={config.ffn}, vocab={built.metadata['kp_random_weights']['vocabulary']}, "
        f"{config.quantization}); built in {build_s:.1f} s, {size_mb:.1f} MB"
    )

    # --- (a) this project's engine --------------------------------------------------------
    engine = argos.ArgosEngine(
        info.name,
        beam_size=args.beam,
        compute_type=args.quantization,
        inter_threads=1,
        intra_threads=args.intra_threads,
        max_batch_tokens=args.max_batch_tokens,
        max_decoding_length=args.max_decoding_length,
    )
    sentences_per_paragraph = [[p[a:b] for a, b in split_sentences(p)] for p in paragraphs]
    sentences = [s for group in sentences_per_paragraph for s in group]
    n_tokens = sum(len(engine.tokenizer.encode(s)) for s in sentences)
    print(
        f"dossier: {len(files)} files, {len(paragraphs)} paragraphs, {len(sentences)} sentences, "
        f"{n_tokens} source tokens; beam {args.beam}, {engine.compute_type}, inter_threads 1, "
        f"intra_threads {args.intra_threads}, max_decoding_length {args.max_decoding_length}"
    )
    engine.translate_batch(["Bonjour."])  # warm-up: first call allocates

    def run_ours() -> list[str]:
        decoded = engine.translate_pieces(sentences, n_best=1)
        out: list[str] = []
        k = 0
        for group in sentences_per_paragraph:
            pieces = [t for hyps in decoded[k : k + len(group)] for t in hyps[0][0]]
            k += len(group)
            out.append(engine.tokenizer.decode(pieces).strip())
        return out

    # --- (b) argostranslate's own path, per paragraph ---------------------------------------
    import argostranslate.translate as at

    class OfflineSentencizer:
        """This project's splitter in argostranslate's sentencizer interface."""

        def __init__(self, pkg: Any) -> None:
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return [text[a:b] for a, b in split_sentences(text)]

    for name in ("MiniSBDSentencizer", "StanzaSentencizer", "SpacySentencizerSmall"):
        setattr(at, name, OfflineSentencizer)

    class CappedTranslator:
        """The same decoding cap for argostranslate (its translate_batch call passes none)."""

        def __init__(self, translator: Any) -> None:
            self.translator = translator

        def translate_batch(self, *a: Any, **kw: Any) -> Any:
            kw.setdefault("max_decoding_length", args.max_decoding_length)
            return self.translator.translate_batch(*a, **kw)

    translation = at.get_translation_from_codes("fr", "en")
    translation.translate("Bonjour.")  # warm-up: loads its ctranslate2.Translator
    package_translation = translation.underlying
    assert isinstance(package_translation.sentencizer, OfflineSentencizer)
    package_translation.translator = CappedTranslator(package_translation.translator)

    def run_argos() -> list[str]:
        return [at.translate(p, "fr", "en") for p in paragraphs]

    block_sockets()
    times: dict[str, list[tuple[float, float]]] = {"a": [], "b": []}
    outputs: dict[str, list[str]] = {}
    for _ in range(args.repeat):  # interleaved, so load from other processes hits both alike
        for key, fn in (("a", run_ours), ("b", run_argos)):
            t0, c0 = time.perf_counter(), time.process_time()
            outputs[key] = fn()
            times[key].append((time.perf_counter() - t0, time.process_time() - c0))
    labels = {
        "a": "(a) kp_translate ArgosEngine, one batched call:",
        "b": "(b) argostranslate translate() per paragraph:  ",
    }
    for key, label in labels.items():
        runs = ", ".join(f"{w:.2f}" for w, _ in times[key])
        wall, cpu = min(times[key])
        print(f"{label} {wall:7.2f} s wall, {cpu:7.2f} s CPU   (runs: {runs} s)")
    (a_wall, a_cpu), (b_wall, b_cpu) = min(times["a"]), min(times["b"])
    print(f"speed-up (b)/(a): {b_wall / a_wall:.2f}x wall time (goal ≥ 2x), {b_cpu / a_cpu:.2f}x CPU time")
    ours, theirs = outputs["a"], outputs["b"]
    same = sum(a.split() == b.split() for a, b in zip(ours, theirs, strict=True))
    print(f"identical paragraph outputs: {same}/{len(paragraphs)}")
    if os.environ.get("KP_BENCH_DIFF"):
        for a, b in zip(ours, theirs, strict=True):
            if a.split() != b.split():
                print("OURS  ", a)
                print("ARGOS ", b)


if __name__ == "__main__":
    main()
