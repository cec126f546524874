"""Routes through installed Apertium modes: a direct pair, else one pivot language.

Apertium mode names mix ISO 639-1 and 639-3 codes and carry variants (``fr-es``, ``spa-eng_US``,
``eng-cat_valencia``); :func:`kp_translate.lang.codes.parse_mode` reads them. A route is the list
of modes a text goes through. The pivot order is a measured choice (docs/languages.md): Spanish
first, the language most Apertium pairs meet, then Catalan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..lang import PIVOTS
from ..lang.base import Pair
from ..lang.codes import parse_mode


class Step(NamedTuple):
    mode: str
    source: str
    target: str
    variant: str = ""


class Route(NamedTuple):
    pair: Pair
    steps: tuple[Step, ...]

    @property
    def modes(self) -> tuple[str, ...]:
        return tuple(s.mode for s in self.steps)

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the text is in along the route, source first."""
        return (self.steps[0].source, *(s.target for s in self.steps))

    def __str__(self) -> str:
        return " | ".join(self.modes)


def _steps(modes: Iterable[str]) -> dict[tuple[str, str], Step]:
    """The best installed mode for each (source, target): no variant before a variant, then the
    shortest name (``spa-eng`` before ``spa-eng_US``)."""
    best: dict[tuple[str, str], Step] = {}
    for mode in modes:
        parsed = parse_mode(mode)
        if parsed is None:
            continue
        src, tgt, variant = parsed
        step = Step(mode, src, tgt, variant)
        prior = best.get((src, tgt))
        if prior is None or (bool(step.variant), len(step.mode)) < (bool(prior.variant), len(prior.mode)):
            best[(src, tgt)] = step
    return best


def find_route(pair: Pair, modes: Iterable[str], pivots: Sequence[str] = PIVOTS) -> Route | None:
    """The direct mode of *pair* if installed, else one pivot (preferred pivots first, then any
    other language that both hops meet), else None."""
    steps = _steps(modes)
    direct = steps.get((pair.source, pair.target))
    if direct is not None:
        return Route(pair, (direct,))
    middles = [p for p in pivots] + sorted({t for (s, t) in steps if s == pair.source} - set(pivots))
    for middle in middles:
        first = steps.get((pair.source, middle))
        second = steps.get((middle, pair.target))
        if first is not None and second is not None and middle not in (pair.source, pair.target):
            return Route(pair, (first, second))
    return None


def routes(modes: Iterable[str], target: str = "en") -> dict[str, Route]:
    """Every source language that reaches *target* through *modes*, with its route."""
    modes = list(modes)
    sources = sorted({s.source for s in _steps(modes).values()} - {target})
    found = {src: find_route(Pair(src, target), modes) for src in sources}
    return {src: r for src, r in found.items() if r is not None}
