"""The engine interface: translate a batch of segments, optionally with n-best hypotheses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass
class Hypothesis:
    """One candidate translation of a segment.

    ``unknown`` lists source words the engine could not translate (e.g. Apertium's ``*word``
    marks, which are stripped from ``text``).
    """

    text: str
    score: float = 0.0
    unknown: list[str] = field(default_factory=list)


@runtime_checkable
class Engine(Protocol):
    """A French→English translation engine."""

    #: short engine name: "argos", "apertium"
    name: str

    @property
    def model_id(self) -> str:
        """Identifies engine + model + version exactly (part of the segment cache key)."""
        ...

    def translate_batch(
        self,
        segments: Sequence[str],
        n_best: int = 1,
        suppress: Sequence[str] = (),
    ) -> list[list[Hypothesis]]:
        """Translate every segment; returns up to *n_best* hypotheses per segment, best first.

        *suppress* lists English strings the engine should avoid producing where it can
        (Argos: CTranslate2 ``suppress_sequences``); engines that cannot ignore it.
        """
        ...
