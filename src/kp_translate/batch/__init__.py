"""Batch translation of archives: JSON Lines in and out, resumable, on a local process pool or Ray.

:func:`~kp_translate.batch.run.translate_jsonl` is the entry point (``kp-translate translate
--input-format jsonl``). Modules: :mod:`.jsonl` (reading lines, writing them back),
:mod:`.worker` (the job that travels to workers, the worker that translates), :mod:`.journal`
(documents finished, for resuming), :mod:`.local` (this process, a process pool),
:mod:`.ray_backend` (Ray Data actors), :mod:`.merge` (the run report).
"""

from __future__ import annotations

from .run import Progress, translate_jsonl

__all__ = ["Progress", "translate_jsonl"]
