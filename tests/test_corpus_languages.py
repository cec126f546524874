"""The evaluation texts written in Spanish, Italian, Catalan, Galician, Portuguese and Basque.

Each language has a directory corpus/<lang>/ (documents + manifest.json) and its English references
in corpus/ref/<lang>/, in the corpus/ref format: one file per document, a snippet for every
paragraph, ids and hashes as kp_translate.segment computes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from kp_translate.segment import read_document

from conftest import ROOT

CORPUS = ROOT / "corpus"
REF = CORPUS / "ref"
LANGUAGES = ["es", "it", "ca", "gl", "pt", "eu"]
MIN_PARAGRAPHS = {"es": 30, "it": 15, "ca": 8, "gl": 8, "pt": 8, "eu": 8}
KINDS = {"headline", "quote", "paragraph"}
MANIFEST_KEYS = {"file", "outlet", "date", "original_language", "topic", "notes"}


def _documents(lang: str) -> list[Path]:
    return sorted((CORPUS / lang).glob("*.txt"))


def _reference(lang: str, doc: Path) -> dict:
    return json.loads((REF / lang / f"{doc.stem}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_manifest_lists_every_file(lang: str) -> None:
    manifest = json.loads((CORPUS / lang / "manifest.json").read_text(encoding="utf-8"))
    listed = [entry["file"] for entry in manifest["files"]]
    assert listed == [p.name for p in _documents(lang)]
    for entry in manifest["files"]:
        assert set(entry) == MANIFEST_KEYS, entry["file"]
        assert entry["original_language"] == lang, entry["file"]
        assert regex.fullmatch(r"\d{4}-\d{2}(-\d{2})?", entry["date"]), entry["file"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_documents_are_named_and_laid_out(lang: str) -> None:
    docs = _documents(lang)
    assert docs, f"no documents in corpus/{lang}"
    for path in docs:
        assert regex.fullmatch(rf"{lang}_\d\d_[a-z0-9_]+\.txt", path.name), path.name
        text = path.read_bytes().decode("utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n"), path.name
        assert "\r" not in text and "\ufeff" not in text, path.name


def test_file_names_are_unique_across_languages() -> None:
    names = [p.name for lang in LANGUAGES for p in _documents(lang)]
    names += [p.name for p in (CORPUS / "fr").glob("*.txt")]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_paragraph_has_its_reference(lang: str) -> None:
    total = 0
    for path in _documents(lang):
        ref_path = REF / lang / f"{path.stem}.json"
        assert ref_path.is_file(), f"missing reference {ref_path.relative_to(ROOT)}"
        raw = ref_path.read_text(encoding="utf-8")
        data = json.loads(raw)
        assert raw == json.dumps(data, ensure_ascii=False, indent=2) + "\n", ref_path.name
        assert data["doc"] == path.name
        paragraphs = read_document(path).paragraphs
        snippets = data["snippets"]
        assert [s["id"] for s in snippets] == [p.id for p in paragraphs], path.name
        for para, snip in zip(paragraphs, snippets, strict=True):
            assert snip["hash"] == para.hash, f"{snip['id']}: stale hash"
            assert snip["kind"] in KINDS, snip["id"]
            assert snip["ref"].strip(), f"{snip['id']}: empty reference"
            if para.index == 0:
                assert snip["kind"] == "headline", snip["id"]
            elif "«" in para.text:
                assert snip["kind"] == "quote", snip["id"]
        total += len(paragraphs)
    assert total >= MIN_PARAGRAPHS[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_references_use_english_typography(lang: str) -> None:
    for path in _documents(lang):
        for snip in _reference(lang, path)["snippets"]:
            ref = snip["ref"]
            assert not regex.search(r"[«»’¿¡·]", ref), f"{snip['id']}: source typography in {ref!r}"
            assert ref.count("“") == ref.count("”"), f"{snip['id']}: unbalanced quotes"
            assert "Kim Jong-un" not in ref and "Jong-Un" not in ref, snip["id"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_stray_reference_files(lang: str) -> None:
    stems = {p.stem for p in _documents(lang)}
    assert {p.stem for p in (REF / lang).glob("*.json")} == stems
