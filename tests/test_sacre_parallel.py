"""sacrebleu statistics extracted by worker processes give sacrebleu's own figures and signatures."""

from __future__ import annotations

import json

import pytest
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER

from kp_translate.metrics import sacre

from conftest import CORPUS_REF


def test_worker_statistics_equal_sacrebleu(monkeypatch: pytest.MonkeyPatch) -> None:
    refs = [s["ref"] for p in sorted(CORPUS_REF.glob("*.json")) for s in json.loads(p.read_text("utf-8"))["snippets"]]
    # hypotheses: the references with every third word dropped, so scores are neither 0 nor 100
    hyps = [" ".join(w for i, w in enumerate(r.split()) if i % 3) for r in refs]
    groups = [f"doc{i % 4}" for i in range(len(refs))]
    monkeypatch.setattr(sacre, "PARALLEL_MIN_SEGMENTS", 10)
    pending = sacre.PendingScores(hyps, [refs], groups, workers=2)
    assert pending._pool is not None  # the worker path is the one under test
    overall, by_group = pending.result()
    metrics = [BLEU(), CHRF(), CHRF(word_order=2), TER()]
    for got, metric in zip(overall, metrics, strict=True):
        expected = metric.corpus_score(hyps, [refs])
        assert (got.score, got.text, got.signature) == (expected.score, str(expected), str(metric.get_signature()))
        assert 0 < got.score < 100
    for g, scores in by_group.items():
        idx = [i for i, name in enumerate(groups) if name == g]
        bleu = BLEU().corpus_score([hyps[i] for i in idx], [[refs[i] for i in idx]])
        assert scores[0].score == bleu.score


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "workers"])
def test_chunked_statistics_equal_sacrebleu_with_two_references(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """Statistics extracted a few segments at a time (here 7, so many chunks and a full window)
    and summed as they come give sacrebleu's figures exactly, overall and per group, with two
    references (TER's reference length is then a float average)."""
    refs = [s["ref"] for p in sorted(CORPUS_REF.glob("*.json")) for s in json.loads(p.read_text("utf-8"))["snippets"]]
    hyps = [" ".join(w for i, w in enumerate(r.split()) if i % 3) for r in refs]
    refs2 = [
        " ".join(w for j, w in enumerate(r.split()) if j % 4) if i % 2 else r + " en plus" for i, r in enumerate(refs)
    ]
    groups = [f"doc{i % 3}" for i in range(len(refs))]
    monkeypatch.setattr(sacre, "PARALLEL_MIN_SEGMENTS", 10)
    monkeypatch.setattr(sacre, "CHUNK_SEGMENTS", 7)
    pending = sacre.PendingScores(hyps, [refs, refs2], groups, workers=workers)
    assert (pending._pool is not None) == (workers > 1)
    overall, by_group = pending.result()
    for k, make in enumerate([BLEU, CHRF, lambda: CHRF(word_order=2), TER]):
        metric = make()
        expected = metric.corpus_score(hyps, [refs, refs2])
        assert (overall[k].score, overall[k].text, overall[k].signature) == (
            expected.score, str(expected), str(metric.get_signature()),
        )  # fmt: skip
        for g, scores in by_group.items():
            idx = [i for i, name in enumerate(groups) if name == g]
            part = make().corpus_score([hyps[i] for i in idx], [[refs[i] for i in idx], [refs2[i] for i in idx]])
            assert scores[k].text == str(part)
