"""The compiled patterns kept across runs (kp_translate.rxstore): a later run makes each pattern
from what an earlier one kept, with nothing parsed, and the pattern matches as the compiled one;
a file that cannot be trusted is ignored and replaced; nothing is kept without a cache directory."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex
import regex._main

from kp_translate import rxstore
from kp_translate.segment import read_document

from conftest import DOSSIER_FILES, GLOSSARY_DIR, ROOT

PATTERNS = [
    (r"(?<![\p{L}\p{N}])Kim\s+Jong[-‐]un(?![\p{L}\p{N}])", 0),
    (r"(?:éen|éenne|éens|éennes)\b", int(regex.IGNORECASE)),
    (r"\[kp(\d+)\](.*)\[kp\1\.\]", int(regex.S)),
]
TEXTS = ["Kim Jong-un et les Nord-Coréennes.", "[kp7]une phrase[kp7.]", "KIM JONG-UN, des Européens"]


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A run of its own: an empty cache directory, nothing read or kept yet, and every compile
    ``regex`` does counted (``compiles``)."""
    monkeypatch.setenv("KP_TRANSLATE_CACHE", str(tmp_path))
    monkeypatch.setattr(rxstore, "_stored", None)
    monkeypatch.setattr(rxstore, "_used", {})
    monkeypatch.setattr(rxstore, "_changed", False)
    monkeypatch.setattr(rxstore.atexit, "register", lambda f: f)  # save() is called by the test
    yield tmp_path / rxstore.FILENAME


def _new_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Forget what this process read and made (as a new process would); the patterns ``regex``
    parses from now on are listed in the returned list."""
    monkeypatch.setattr(rxstore, "_stored", None)
    monkeypatch.setattr(rxstore, "_used", {})
    monkeypatch.setattr(rxstore, "_changed", False)
    parsed: list[str] = []
    real = regex._main._compile

    def counting(pattern: object, flags: int, *rest: object) -> object:
        if isinstance(pattern, str) and pattern:
            parsed.append(pattern)
        return real(pattern, flags, *rest)  # type: ignore[arg-type]

    regex._main._cache.clear()  # type: ignore[attr-defined]
    monkeypatch.setattr(regex._main, "_compile", counting)
    return parsed


def _behaviour(pattern: regex.Pattern[str]) -> list[object]:
    return [
        pattern.pattern,
        int(pattern.flags),
        pattern.groups,
        dict(pattern.groupindex),
        *[[m.span() + m.groups() for m in pattern.finditer(t)] for t in TEXTS],
    ]


def test_a_later_run_parses_nothing_it_kept_and_matches_the_same(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [_behaviour(regex.compile(p, f)) for p, f in PATTERNS]
    parsed = _new_run(monkeypatch)
    assert [_behaviour(rxstore.get(p, f)) for p, f in PATTERNS] == expected
    assert set(parsed) >= {p for p, _ in PATTERNS}
    rxstore.save()
    assert fresh.is_file()
    parsed = _new_run(monkeypatch)
    assert [_behaviour(rxstore.get(p, f)) for p, f in PATTERNS] == expected
    assert not set(parsed) & {p for p, _ in PATTERNS}  # made from the file: none parsed
    before = fresh.stat().st_mtime_ns
    rxstore.save()  # nothing new: the file is not written again
    assert fresh.stat().st_mtime_ns == before


def _write(path: Path, value: object, magic: bytes = rxstore.MAGIC) -> None:
    payload = marshal.dumps(value)
    path.write_bytes(magic + zlib.adler32(payload).to_bytes(4, "big") + payload)


@pytest.mark.parametrize("damage", ["cut", "flipped", "magic", "regex version", "python", "not a dict", "garbage"])
def test_a_file_that_cannot_be_trusted_is_ignored_and_replaced(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    pattern, flags = PATTERNS[0]
    rxstore.get(pattern, flags)
    rxstore.save()
    data = fresh.read_bytes()
    made_by, entries = marshal.loads(data[len(rxstore.MAGIC) + 4 :])
    if damage == "cut":
        fresh.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        fresh.write_bytes(data[:-5] + bytes([data[-5] ^ 0x20]) + data[-4:])
    elif damage == "magic":
        _write(fresh, (made_by, entries), b"KPRX0\n")
    elif damage == "regex version":
        _write(fresh, (("1.0", *made_by[1:]), entries))
    elif damage == "python":
        _write(fresh, ((*made_by[:2], "2.7.18"), entries))
    elif damage == "not a dict":
        _write(fresh, (made_by, list(entries.items())))
    else:
        fresh.write_bytes(os.urandom(len(data)))
    expected = _behaviour(regex.compile(pattern, flags))
    parsed = _new_run(monkeypatch)
    assert _behaviour(rxstore.get(pattern, flags)) == expected
    assert pattern in parsed  # compiled as usual
    rxstore.save()  # and the file replaced by a good one
    parsed = _new_run(monkeypatch)
    rxstore.get(pattern, flags)
    assert pattern not in parsed


def test_an_entry_is_used_only_for_its_own_pattern(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Arguments kept under one key but made for another pattern (a file edited by hand) are not
    used: the pattern asked for is compiled, never another one."""
    (first, first_flags), (second, second_flags) = PATTERNS[0], PATTERNS[1]
    rxstore.get(second, second_flags)
    rxstore.save()
    made_by, entries = marshal.loads(fresh.read_bytes()[len(rxstore.MAGIC) + 4 :])
    _write(fresh, (made_by, {(first, first_flags): entries[(second, second_flags)]}))
    _new_run(monkeypatch)
    got = rxstore.get(first, first_flags)
    assert got.pattern == first
    assert _behaviour(got) == _behaviour(regex.compile(first, first_flags))


def test_a_bad_pattern_is_an_error_as_regex_says_and_is_not_kept(fresh: Path) -> None:
    with pytest.raises(regex.error):
        rxstore.get(r"(unclosed")
    rxstore.save()
    assert not fresh.exists()


def test_without_a_cache_directory_nothing_is_kept(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(rxstore, "cache_root", lambda: None)
    pattern, flags = PATTERNS[0]
    assert _behaviour(rxstore.get(pattern, flags)) == _behaviour(regex.compile(pattern, flags))
    rxstore.save()
    assert list(tmp_path.iterdir()) == []


def test_the_file_keeps_the_patterns_used_last(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rxstore, "MAX_ENTRIES", 3)
    for k in range(5):
        rxstore.get(f"word{k}")
    rxstore.save()
    _new_run(monkeypatch)
    rxstore.get("word3")  # used again: kept
    rxstore.get("word9")  # new
    rxstore.save()
    entries = marshal.loads(fresh.read_bytes()[len(rxstore.MAGIC) + 4 :])[1]
    assert [p for p, _ in entries] == ["word4", "word3", "word9"]


def test_a_dossier_run_keeps_its_patterns_and_the_next_one_matches_as_compiled(tmp_path: Path) -> None:
    """Two real ``translate`` runs of the dossier in processes of their own: the first keeps the
    patterns it compiled; each one made from the file finds, over every paragraph of the dossier,
    what the compiled pattern finds; the second run's output is the first one's."""
    env = dict(os.environ, KP_TRANSLATE_CACHE=str(tmp_path / "cache"), KP_TRANSLATE_GLOSSARY=str(GLOSSARY_DIR))
    outputs = []
    for k in range(2):
        out = tmp_path / f"en{k}"
        command = [sys.executable, "-m", "kp_translate", "translate", str(ROOT / "corpus" / "fr"), "-o", str(out)]
        subprocess.run([*command, "--engine", "apertium", "--no-cache", "--no-progress"], env=env, check=True)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    data = (tmp_path / "cache" / rxstore.FILENAME).read_bytes()
    made_by, entries = marshal.loads(data[len(rxstore.MAGIC) + 4 :])
    assert made_by == rxstore._MADE_BY
    assert len(entries) >= 40  # the enforcer's, the engine's, the languages'
    paragraphs = [p.text for path in DOSSIER_FILES for p in read_document(path).paragraphs]
    for (pattern, flags), arguments in entries.items():
        made = rxstore._from_arguments((pattern, flags), arguments)
        assert made is not None, pattern
        compiled = regex.compile(pattern, flags)
        assert (made.pattern, made.flags, made.groupindex) == (compiled.pattern, compiled.flags, compiled.groupindex)
        for text in paragraphs:
            assert [m.span() for m in made.finditer(text)] == [m.span() for m in compiled.finditer(text)], pattern


def test_a_pattern_too_large_to_keep_is_compiled_and_not_kept(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rxstore, "MAX_ENTRY_BYTES", 200)
    large = "|".join(f"word{k}" for k in range(100))
    assert rxstore.get(large).fullmatch("word42") is not None
    rxstore.get("small")
    rxstore.save()
    entries = marshal.loads(fresh.read_bytes()[len(rxstore.MAGIC) + 4 :])[1]
    assert list(entries) == [("small", 0)]
