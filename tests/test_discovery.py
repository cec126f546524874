"""Apertium's answers (modes, version, mode pipelines) asked once per installation: the real
installation's answers come back from the cache unchanged, and a changed program or mode file
is asked again."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kp_translate.engines import apertium, discovery
from kp_translate.engines.apertium import ApertiumEngine


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("KP_TRANSLATE_CACHE", str(where))
    return where


def _counting_apertium(tmp_path: Path) -> tuple[Path, Path]:
    """An ``apertium`` stand-in that logs each call and lists two modes."""
    log = tmp_path / "calls.log"
    script = tmp_path / "apertium"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\nprintf "  fr-es\\n  spa-eng\\n"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, log


def test_an_answer_is_asked_once_per_installation(tmp_path: Path, cache_dir: Path) -> None:
    script, log = _counting_apertium(tmp_path)
    for _ in range(3):  # three "runs": the in-process memo cleared each time
        apertium.installed_modes.cache_clear()
        assert apertium.installed_modes(str(script)) == ("fr-es", "spa-eng")
    assert log.read_text(encoding="utf-8").splitlines() == ["-l"]
    assert (cache_dir / discovery.FILENAME).is_file()
    # the program changed (a new Apertium): asked again
    script.write_text(script.read_text(encoding="utf-8") + "printf '  eu-en\\n'\n", encoding="utf-8")
    os.utime(script, ns=(1, 1))
    apertium.installed_modes.cache_clear()
    assert apertium.installed_modes(str(script)) == ("fr-es", "spa-eng", "eu-en")
    assert log.read_text(encoding="utf-8").splitlines() == ["-l", "-l"]


def test_a_changed_mode_file_is_asked_again(tmp_path: Path, cache_dir: Path) -> None:
    mode = tmp_path / "x.mode"
    mode.write_text("lt-proc -z a.bin", encoding="utf-8")
    first = discovery.output(["apertium-wblank-mode", "-z", str(mode)], [mode])
    mode.write_text("lt-proc -z b.bin | lt-proc -z -g c.bin", encoding="utf-8")
    second = discovery.output(["apertium-wblank-mode", "-z", str(mode)], [mode])
    assert "a.bin" in first and "a.bin" not in second and "c.bin" in second
    assert second == subprocess.run(["apertium-wblank-mode", "-z", str(mode)], capture_output=True, text=True).stdout


def test_the_real_installation_reads_the_same_from_the_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=True).stdout.split()
    apertium.installed_modes.cache_clear()
    apertium._warm_stages.cache_clear()
    fresh = (apertium.installed_modes(), apertium._warm_stages("apertium", "fr-es"), ApertiumEngine().model_id)
    assert list(fresh[0]) == listed and fresh[1] is not None
    version = subprocess.run(["apertium", "-V"], capture_output=True, text=True).stdout.split()[-1]
    assert fresh[2].startswith(f"apertium-{version}:fr-es+spa-eng:")
    apertium.installed_modes.cache_clear()
    apertium._warm_stages.cache_clear()
    real_run = discovery.run
    asked: list[list[str]] = []

    def spy(args: list[str], timeout: float) -> str:
        asked.append(list(args))
        return real_run(args, timeout)

    monkeypatch.setattr(discovery, "run", spy)
    try:
        again = (apertium.installed_modes(), apertium._warm_stages("apertium", "fr-es"), ApertiumEngine().model_id)
    finally:
        apertium.installed_modes.cache_clear()
        apertium._warm_stages.cache_clear()
    assert again == fresh
    assert asked == []


def test_an_unreadable_cache_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    script, log = _counting_apertium(tmp_path)
    cache_dir.mkdir()
    (cache_dir / discovery.FILENAME).write_text("{not json", encoding="utf-8")
    assert discovery.output([str(script), "-l"]) == "  fr-es\n  spa-eng\n"
    assert discovery.output([str(script), "-l"]) == "  fr-es\n  spa-eng\n"
    assert log.read_text(encoding="utf-8").splitlines() == ["-l"]
