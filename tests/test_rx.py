"""kp_translate.rx: patterns compiled once at run time, and module-level patterns compiled on
first use (:func:`kp_translate.rx.deferred`)."""

from __future__ import annotations

import re

import pytest
import regex

from kp_translate import rx
from kp_translate.engines import apertium
from kp_translate.lang import convert


def test_a_deferred_pattern_is_compiled_only_when_used() -> None:
    broken = rx.deferred(r"(\p{L}")  # an error regex.compile would raise at once
    assert broken.pattern == r"(\p{L}"  # the source needs no compiling
    with pytest.raises(regex.error):
        broken.search("a")
    with pytest.raises(re.error):
        rx.deferred_re("(").search("a")


def test_a_deferred_pattern_matches_as_the_compiled_one() -> None:
    texts = ["", "Kim Jong-un à Pyongyang, 12,5 %", "Iouri  Ouchakov\u00a0!", "é" * 3]
    for pattern, flags in [(r"\p{Lu}\p{Ll}+", 0), (r"(\d+),(\d+)", 0), (r"\s{2,}|\u00a0", regex.V1)]:
        lazy, eager = rx.deferred(pattern, flags), regex.compile(pattern, flags)
        for text in texts:
            assert lazy.findall(text) == eager.findall(text)
            assert lazy.sub("_", text) == eager.sub("_", text)
            assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
        assert lazy.flags == eager.flags and lazy.groups == eager.groups
    lazy_re = rx.deferred_re(r"[ \t\n]{2,}", re.S)
    assert lazy_re.sub("[]", "a  b\t\tc") == re.compile(r"[ \t\n]{2,}", re.S).sub("[]", "a  b\t\tc")


def test_a_deferred_pattern_keeps_what_it_looked_up() -> None:
    lazy = rx.deferred(r"\d+")
    search = lazy.search
    assert lazy.search is search  # found on the object from now on, without __getattr__
    assert vars(lazy)["search"] is search


def test_the_modules_deferred_patterns_work_where_they_are_used() -> None:
    # two of the module-level patterns a one-sentence run never compiles: used, they behave
    assert apertium.deformat("a  [b]") == "a[  ]\\[b\\].[][\n]"
    assert convert._THOUSANDS.pattern and convert._DECIMAL.sub(r"\1.\2", "3,5") == "3.5"
