"""Random and mutated inputs through the loaders and commands (bounded; bench/fuzz_inputs.py runs
the same checks for as long as you like). See bench/fuzz_inputs.py for what each run asserts:
exit status 0/1/2, never a traceback, errors one line, nothing written outside the run's
temporary directory, the input unchanged."""

from __future__ import annotations

import sys
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import fuzz_inputs

_EDITS = st.lists(
    st.tuples(
        st.integers(0, 7),
        st.integers(0, 1 << 20),
        st.integers(0, 1 << 20),
        st.sampled_from(fuzz_inputs.TOKENS),
    ),
    min_size=1,
    max_size=4,
)
_SETTINGS = settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


@cache
def _seeds() -> dict[str, bytes]:
    return fuzz_inputs.seeds()


@_SETTINGS
@given(kind=st.sampled_from(sorted(fuzz_inputs.KINDS)), edits=_EDITS)
def test_mutated_inputs(kind: str, edits: list[tuple[int, int, int, bytes]]) -> None:
    data = _seeds()[kind]
    for op, a, b, token in edits:
        data = fuzz_inputs.edit(data, op, a, b, token)
    assert fuzz_inputs.check_input(kind, data, watch=False) == []


@settings(max_examples=60, deadline=5000, derandomize=True)
@given(kind=st.sampled_from(sorted(fuzz_inputs.KINDS)), data=st.binary(max_size=300))
def test_random_bytes(kind: str, data: bytes) -> None:
    assert fuzz_inputs.check_input(kind, data, watch=False) == []


def test_repository_unchanged_after_a_fuzz_run() -> None:
    # the full check once, with the fingerprint of corpus/, glossary/ and examples/
    seeds = _seeds()
    for kind in sorted(fuzz_inputs.KINDS):
        data = fuzz_inputs.edit(seeds[kind], 6, 1, 1, b"")  # CRLF line ends
        data = fuzz_inputs.edit(data, 0, len(data) // 2, 0, b"\x00\x1b[31m")
        assert fuzz_inputs.check_input(kind, data, watch=True) == []


def test_the_checks_can_fail() -> None:
    # a command that writes two error lines is caught: the harness is not vacuous
    from pathlib import Path

    bad = fuzz_inputs._bad_error_output(["score"], Path("x"), "kp-translate: error: a\nb\n")
    assert bad == "exit 2 without exactly one error line"
    assert fuzz_inputs._bad_error_output(["score"], Path("x"), "kp-translate: error: \x1b[31m\n")
