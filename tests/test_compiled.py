"""Glossaries kept between runs (kp_translate.compiled): what comes back from the store is what a
fresh load gives, on the real glossary; an edited file, however quick the edit, is loaded
afresh; a file others may write to is never read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kp_translate import compiled, glossary

from conftest import GLOSSARY_DIR


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("KP_TRANSLATE_CACHE", str(where))
    monkeypatch.setattr(compiled, "MIN_ENTRIES", 0)  # store the shipped glossary too
    return where / "compiled"


def _stored(store: Path, name: str) -> list[Path]:
    return sorted((store / name).glob("*.pickle"))


def test_a_stored_glossary_is_the_glossary(store: Path) -> None:
    fresh = glossary.load(GLOSSARY_DIR)
    assert len(_stored(store, "glossary")) == 1
    again = glossary.load(GLOSSARY_DIR)
    assert again is not fresh
    assert [e.to_dict() for e in again] == [e.to_dict() for e in fresh]
    assert [(e.path, e.line, e.fields) for e in again] == [(e.path, e.line, e.fields) for e in fresh]
    assert again.files == fresh.files and again.version == fresh.version
    assert again.view("fr").version == fresh.view("fr").version
    assert again.view("es").version == fresh.view("es").version


def test_an_edit_of_the_same_size_is_loaded_afresh(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "glossary"
    shutil.copytree(GLOSSARY_DIR, copy)
    assert glossary.load(copy).get("yuri-ushakov").target == "Yuri Ushakov"  # type: ignore[union-attr]
    people = next(p for p in copy.glob("*.kpg") if "[yuri-ushakov]" in p.read_text(encoding="utf-8"))
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("target: Yuri Ushakov", "target: Yury Ushakov"), encoding="utf-8")
    assert glossary.load(copy).get("yuri-ushakov").target == "Yury Ushakov"  # type: ignore[union-attr]
    assert len(_stored(store, "glossary")) == 2


def test_a_file_others_may_write_is_not_read(store: Path) -> None:
    first = glossary.load(GLOSSARY_DIR)
    (path,) = _stored(store, "glossary")
    path.chmod(0o666)
    assert compiled.load_glossary(glossary.glossary_files(GLOSSARY_DIR), first.default_source) is None
    path.chmod(0o600)
    assert compiled.load_glossary(glossary.glossary_files(GLOSSARY_DIR), first.default_source) is not None
    path.write_bytes(b"not a pickle")
    path.chmod(0o600)
    assert compiled.load_glossary(glossary.glossary_files(GLOSSARY_DIR), first.default_source) is None
    assert glossary.load(GLOSSARY_DIR).version == first.version  # loaded afresh (and stored again)
