"""The engine interface: one language pair, declared capabilities, batches of segments.

An engine says what it is instead of being probed: its :attr:`~Engine.pair`, the segment
:attr:`~Engine.unit` it wants (``"paragraph"`` or ``"sentence"``), whether it honours n-best and
``suppress`` (:attr:`~Engine.supports_n_best`), and how a run's segments are scheduled
(:meth:`~Engine.translate_chunks`: Apertium's process chains; :class:`BatchEngine` slices of
:attr:`~BatchEngine.chunk_size` for everything else).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal, Protocol, runtime_checkable

from ..lang import Pair

Unit = Literal["sentence", "paragraph"]


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
    """A translation engine for one language pair."""

    #: short engine name: "argos", "apertium"
    name: str
    #: the language pair it translates
    pair: Pair
    #: the segments it is given: whole paragraphs or sentences
    unit: Unit
    #: honours ``n_best`` > 1 and ``suppress`` (the pipeline retries failing segments)
    supports_n_best: bool

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

        *suppress* lists target-language strings the engine should avoid producing where it can
        (Argos: CTranslate2 ``suppress_sequences``); engines that cannot ignore it.
        """
        ...

    def translate_chunks(self, segments: Sequence[str]) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        """Translate a run's *segments* in the engine's own schedule, yielding ``(index of the
        chunk's first segment, its hypotheses)`` in order as each chunk returns."""
        ...


class BatchEngine:
    """Default schedule: consecutive slices of :attr:`chunk_size` segments through
    :meth:`translate_batch`."""

    chunk_size: ClassVar[int] = 512

    def translate_batch(
        self, segments: Sequence[str], n_best: int = 1, suppress: Sequence[str] = ()
    ) -> list[list[Hypothesis]]:
        raise NotImplementedError

    def translate_chunks(self, segments: Sequence[str]) -> Iterator[tuple[int, list[list[Hypothesis]]]]:
        for start in range(0, len(segments), self.chunk_size):
            yield start, self.translate_batch(segments[start : start + self.chunk_size])
