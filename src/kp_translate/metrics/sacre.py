"""sacrebleu's corpus metrics, called exactly as sacrebleu's command line does by default.

BLEU (13a tokenizer, exponential smoothing), chrF (β=2, character 6-grams), chrF++ (plus word
bigrams) and TER, each returned with sacrebleu's own signature, so the figures can be reproduced
with ``sacrebleu REF -i HYP -m bleu chrf ter`` (and ``--chrf-word-order 2`` for chrF++).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER


@dataclass(frozen=True)
class CorpusScore:
    """One sacrebleu figure: ``name`` as sacrebleu prints it (BLEU, chrF2, chrF2++, TER)."""

    key: str  # bleu, chrf, chrf++, ter
    name: str
    score: float
    signature: str
    text: str  # sacrebleu's own one-line rendering (``str(result)``)
    higher_is_better: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "score": self.score,
            "signature": self.signature,
            "text": self.text,
            "higher_is_better": self.higher_is_better,
        }


KEYS = ("bleu", "chrf", "chrf++", "ter")


def metric_objects(keys: Sequence[str] = KEYS) -> list[tuple[str, Any]]:
    make: dict[str, Callable[[], Any]] = {
        "bleu": BLEU,
        "chrf": CHRF,
        "chrf++": lambda: CHRF(word_order=2),
        "ter": TER,
    }
    return [(key, make[key]()) for key in keys]


def _result(key: str, metric: Any, res: Any) -> CorpusScore:
    return CorpusScore(key, res.name, float(res.score), str(metric.get_signature()), str(res), key != "ter")


def corpus_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]], keys: Sequence[str] = KEYS) -> list[CorpusScore]:
    """BLEU, chrF, chrF++ and TER of *hyps* against one or more reference streams.

    ``refs[k][i]`` is the *k*-th reference of segment *i* (sacrebleu's layout). This is
    ``metric.corpus_score(hyps, refs)`` for each metric.
    """
    if not hyps:
        return []
    out = []
    for key, metric in metric_objects(keys):
        out.append(_result(key, metric, metric.corpus_score(list(hyps), [list(r) for r in refs])))
    return out


def grouped_scores(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str]],
    groups: Sequence[str],
    keys: Sequence[str] = KEYS,
) -> tuple[list[CorpusScore], dict[str, list[CorpusScore]]]:
    """Corpus scores overall and per group (``groups[i]`` names segment *i*'s document).

    Each segment's sufficient statistics are extracted once and aggregated overall and per
    group, exactly as ``corpus_score`` aggregates them, so the per-group figures equal
    ``corpus_score`` on the group's segments without a second pass (TER is slow).
    """
    if not hyps:
        return [], {}
    overall = []
    by_group: dict[str, list[CorpusScore]] = {g: [] for g in dict.fromkeys(groups)}
    for key, metric in metric_objects(keys):
        hyp_list = list(hyps)
        ref_list = [list(r) for r in refs]
        metric._check_corpus_score_args(hyp_list, ref_list)
        stats = metric._extract_corpus_statistics(hyp_list, ref_list)
        overall.append(_result(key, metric, metric._aggregate_and_compute(stats)))
        for g in by_group:
            part = [st for st, name in zip(stats, groups, strict=True) if name == g]
            by_group[g].append(_result(key, metric, metric._aggregate_and_compute(part)))
    return overall, by_group
