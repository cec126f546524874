"""Build Argos Translate packages with random weights, offline (tests and benchmarks).

A package built here has exactly the layout of a real Argos package — a zip archive
``<name>.argosmodel`` holding one directory with ``metadata.json``, a CTranslate2 model in
``model/`` and a ``sentencepiece.model`` — so it installs with ``kp-translate models install
--file`` and loads in both this project's engine and argostranslate's own ``translate()``.

The SentencePiece model is really trained (on the text you pass, e.g. the dossier); the
Transformer's weights are seeded numpy random numbers, so the "translations" are garbage
but every step of the real path (tokenise, batch, beam search, n-best, suppression,
detokenise) runs, deterministically for a given seed.

Nothing here downloads anything.
"""

from __future__ import annotations

import io
import itertools
import json
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError

#: ``argos_version`` written to metadata.json (the package format of Argos 1.9+).
ARGOS_VERSION = "1.9.0"
LANGUAGE_NAMES = {"fr": "French", "en": "English"}
# Fixed timestamp for zip members: the same inputs give the same archive bytes.
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ModelConfig:
    """Shape of the random Transformer and of its SentencePiece vocabulary."""

    layers: int = 2
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    vocab_size: int = 1000
    #: "unigram" (like real Argos packages; has n-best segmentations) or "bpe" (reaches
    #: large vocabularies on little text).
    sp_model_type: str = "unigram"
    #: "sentencepiece" (sentencepiece.model) or "bpe" (bpe.model: Moses + subword-nmt BPE codes,
    #: the tokenizer of older Argos packages; vocab_size is then the number of merges).
    tokenizer: str = "sentencepiece"
    #: CTranslate2 weight quantization: "int8", "int8_float32", "float32", ... or None.
    quantization: str | None = "int8"
    seed: int = 0
    #: added to the end-of-sentence logit: 0 lets a random model run to the decoding cap, a few
    #: units make it stop after a handful of tokens, like a real model does.
    eos_bias: float = 0.0

    @property
    def tag(self) -> str:
        tag = f"{self.layers}x{self.d_model}h{self.heads}f{self.ffn}v{self.vocab_size}.s{self.seed}"
        tag += f".e{self.eos_bias:g}" if self.eos_bias else ""
        return tag + (".bpe" if self.tokenizer == "bpe" else "")


#: Small enough to build in well under a second: the test fixture's model.
TINY = ModelConfig(eos_bias=1.0)
#: A realistic size for benchmarks (the shape of a small Argos model).
REALISTIC = ModelConfig(layers=6, d_model=512, heads=8, ffn=2048, vocab_size=8000, sp_model_type="bpe")


@dataclass(frozen=True)
class BuiltPackage:
    """Where :func:`build_package` put things."""

    archive: Path  # the .argosmodel file
    name: str  # the directory name inside the archive (= installed directory name)
    metadata: dict[str, Any]


def train_sentencepiece(texts: Iterable[str], vocab_size: int, model_type: str = "unigram") -> bytes:
    """Train a SentencePiece model on *texts* (lines); returns the serialized model.

    The vocabulary is capped by what the text supports (``hard_vocab_limit=False``), training
    is single-threaded so the result is reproducible.
    """
    import sentencepiece as spm

    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError("no text to train the SentencePiece model on")
    writer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=writer,
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    return writer.getvalue()


def sentencepiece_vocabulary(model: bytes) -> list[str]:
    """The pieces of a serialized SentencePiece model, in id order (``<unk>``, ``<s>``, ``</s>``, ...)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def learn_bpe(texts: Iterable[str], merges: int, language: str = "fr") -> str:
    """subword-nmt style BPE codes (``#version: 0.2``) learnt on Moses-tokenised *texts*."""
    from collections import Counter

    from sacremoses import MosesTokenizer  # type: ignore[import-untyped]

    tokenizer = MosesTokenizer(language)
    words: Counter[str] = Counter()
    for text in texts:
        for line in text.splitlines():
            words.update(tokenizer.tokenize(line.strip(), escape=False))
    vocab = {(*w[:-1], w[-1] + "</w>"): n for w, n in words.items() if w}
    codes = ["#version: 0.2"]
    for _ in range(merges):
        pairs: Counter[tuple[str, str]] = Counter()
        for symbols, n in vocab.items():
            for pair in itertools.pairwise(symbols):
                pairs[pair] += n
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        codes.append(f"{best[0]} {best[1]}")
        merged: dict[tuple[str, ...], int] = {}
        for symbols, n in vocab.items():
            out: list[str] = []
            i = 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        vocab = merged
    return "\n".join(codes) + "\n"


def bpe_vocabulary(codes_file: Path, texts: Iterable[str], from_code: str, to_code: str) -> list[str]:
    """Special tokens, then every token argostranslate's BPE tokenizer makes of *texts*."""
    from argostranslate.tokenizer import BPETokenizer

    tokenizer = BPETokenizer(codes_file, from_code, to_code)
    tokens: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            if line.strip():
                tokens.update(tokenizer.encode(line))
    return ["<unk>", "<s>", "</s>", *sorted(tokens - {"<unk>", "<s>", "</s>"})]


def build_model(output_dir: str | Path, vocabulary: list[str], config: ModelConfig = TINY) -> Path:
    """Save a CTranslate2 Transformer with seeded random weights and a shared *vocabulary*."""
    from ctranslate2.specs import TransformerSpec

    if config.d_model % config.heads:
        raise ValueError("d_model must be a multiple of heads")
    rng = np.random.default_rng(config.seed)
    d, ffn, vocab = config.d_model, config.ffn, len(vocabulary)

    def matrix(rows: int, cols: int) -> np.ndarray:
        out: np.ndarray = rng.standard_normal((rows, cols), dtype=np.float32) / np.float32(np.sqrt(cols))
        return out.astype(np.float32)

    def vector(n: int, mean: float = 0.0, scale: float = 0.02) -> np.ndarray:
        return (mean + scale * rng.standard_normal(n, dtype=np.float32)).astype(np.float32)

    def layer_norm(spec: Any) -> None:
        spec.gamma = vector(d, 1.0, 0.05)
        spec.beta = vector(d)

    def linear(spec: Any, rows: int, cols: int) -> None:
        spec.weight = matrix(rows, cols)
        spec.bias = vector(rows)

    spec = TransformerSpec.from_config((config.layers, config.layers), config.heads)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = matrix(vocab, d)
    decoder.embeddings.weight = matrix(vocab, d)
    layer_norm(encoder.layer_norm)
    layer_norm(decoder.layer_norm)
    for layer in encoder.layer:
        layer_norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)  # fused query/key/value
        linear(layer.self_attention.linear[1], d, d)
        layer_norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, d)
        linear(layer.ffn.linear_1, d, ffn)
    for layer in decoder.layer:
        layer_norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        layer_norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)  # query
        linear(layer.attention.linear[1], 2 * d, d)  # fused key/value over the encoder output
        linear(layer.attention.linear[2], d, d)
        layer_norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, d)
        linear(layer.ffn.linear_1, d, ffn)
    linear(decoder.projection, vocab, d)
    if config.eos_bias:
        decoder.projection.bias[vocabulary.index("</s>")] += np.float32(config.eos_bias)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=config.quantization)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(output_dir))
    return output_dir


def package_name(from_code: str, to_code: str, version: str) -> str:
    """The directory name Argos packages use: ``translate-fr_en-1_9``."""
    return f"translate-{from_code}_{to_code}-" + "".join(c if c.isalnum() else "_" for c in version)


def build_package(
    output_dir: str | Path,
    texts: Iterable[str],
    config: ModelConfig = TINY,
    *,
    from_code: str = "fr",
    to_code: str = "en",
    package_version: str | None = None,
    target_prefix: str = "",
) -> BuiltPackage:
    """Build ``<output_dir>/<name>.argosmodel``: SentencePiece trained on *texts*, random weights.

    *package_version* defaults to ``0.0.0+kp.random.<shape>.s<seed>`` so packages of different
    shapes or seeds never share a version (the version is part of the engine's cache key).
    """
    version = package_version or f"0.0.0+kp.random.{config.tag}"
    name = package_name(from_code, to_code, version)
    output_dir = Path(output_dir)
    staging = output_dir / f".{name}.build"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    texts = list(texts)
    if config.tokenizer == "bpe":
        tokenizer_file, tokenizer_data = "bpe.model", learn_bpe(texts, config.vocab_size, from_code).encode()
        (staging / tokenizer_file).write_bytes(tokenizer_data)
        vocabulary = bpe_vocabulary(staging / tokenizer_file, texts, from_code, to_code)
    elif config.tokenizer == "sentencepiece":
        tokenizer_file = "sentencepiece.model"
        tokenizer_data = train_sentencepiece(texts, config.vocab_size, config.sp_model_type)
        vocabulary = sentencepiece_vocabulary(tokenizer_data)
    else:
        raise ValueError(f"unknown tokenizer {config.tokenizer!r}")
    build_model(staging / "model", vocabulary, config)
    metadata: dict[str, Any] = {
        "package_version": version,
        "argos_version": ARGOS_VERSION,
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        "type": "translate",
        "code": f"translate-{from_code}_{to_code}",
        "links": [],
        "kp_random_weights": asdict(config) | {"vocabulary": len(vocabulary)},
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    readme = (
        f"# {name}\n\nRANDOM WEIGHTS — built by kp_translate.argos_build for tests and benchmarks.\n"
        "Its output is meaningless; install a real fr→en package to translate.\n"
    )
    files: dict[str, bytes] = {
        "metadata.json": (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode(),
        "README.md": readme.encode(),
        tokenizer_file: tokenizer_data,
    }
    for path in sorted((staging / "model").iterdir()):
        files[f"model/{path.name}"] = path.read_bytes()
    archive = output_dir / f"{name}.argosmodel"
    tmp = archive.with_suffix(".argosmodel.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for directory in (f"{name}/", f"{name}/model/"):
            zf.writestr(zipfile.ZipInfo(directory, _ZIP_DATE), b"")
        for rel, data in files.items():
            info = zipfile.ZipInfo(f"{name}/{rel}", _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    tmp.replace(archive)
    shutil.rmtree(staging)
    return BuiltPackage(archive, name, metadata)
