"""Typography conversion skips the rules a text gives nothing to (:func:`kp_translate.rx.sub_where`):
the result is the one every rule applied gives."""

from __future__ import annotations

import random

import pytest

from kp_translate import lang
from kp_translate.lang import convert as convert_mod
from kp_translate.lang.convert import convert

_PIECES = ["«", "»", "‹", "›", "“", "”", "‘", "’", '"', "¿", "¡", ";", ":", "!", "?", "%", ",", ".", " ", "  ",
           "\u00a0", "\u202f", "\u2009", "\u2007", "\n", "11", "000", "3", "200", "30", "8", "1.200", "2024",
           "million", "millions", "billions", "thousands", " of", "dollars", "Kim", "a", "é", ")", "(",
           "٣"]  # fmt: skip


def _every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """No rule skipped: each substitution made whatever the text holds."""
    monkeypatch.setattr(convert_mod, "sub_where", lambda pattern, repl, text, needles: pattern.sub(repl, text))
    monkeypatch.setattr(convert_mod, "_NUMBER", convert_mod.regex.compile(""))  # (matches everywhere)


@pytest.mark.parametrize("code", [*lang.registered()])
def test_skipping_rules_changes_nothing(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = lang.get(code), lang.target_language("en")
    rng = random.Random(code)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 14))) for _ in range(4000)]
    quick = [convert(t, source, target) for t in texts]
    with monkeypatch.context() as mp:
        _every_rule(mp)
        full = [convert(t, source, target) for t in texts]
    assert quick == full
    assert sum(q != t for q, t in zip(quick, texts, strict=True)) > 1000  # the rules had work to do
