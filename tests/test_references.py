"""The English reference translations in corpus/ref, checked against the real dossier and glossary.

Every snippet must still name its French paragraph (id and content hash), translate it whole, use
the glossary's canonical English forms, avoid forbidden renderings, and carry every figure of the
French paragraph in English notation.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import regex

from kp_translate.glossary import Glossary
from kp_translate.match import Matcher, contains
from kp_translate.segment import Document, Paragraph, read_document

from conftest import CORPUS_FR, CORPUS_REF, DOSSIER_FILES

REF_FILES = sorted(CORPUS_REF.glob("*.json"))
KINDS = {"headline", "quote", "paragraph"}
MIN_SNIPPETS = 45
MIN_PER_ARTICLE = 7

# Paragraphs that must not get a reference: boilerplate, and 003's headline, which is already English.
NOT_TRANSLATED = {
    "000_7c2f12bc5fc2e4f7.txt#14",  # external-content consent notice
    "000_7c2f12bc5fc2e4f7.txt#15",  # cookie/consent text
    "001_f667be46968b6bc2.txt#0",  # "ActualitésInternational"
    "001_f667be46968b6bc2.txt#15",  # author blurb
    "002_5a8893db02065184.txt#36",  # AP contributor credit line
    "003_e2dc28380de3b692.txt#0",  # English headline of the original
    "003_e2dc28380de3b692.txt#26",  # "A lire également"
    "004_46b32e6b4071c38d.txt#1",  # verbatim repeat of the headline #0
    "004_46b32e6b4071c38d.txt#24",  # "A lire également"
}

# Headlines and section titles: all of them have a reference of kind "headline".
HEADLINES = {
    "000_7c2f12bc5fc2e4f7.txt#0",
    "001_f667be46968b6bc2.txt#1",
    "001_f667be46968b6bc2.txt#4",
    "001_f667be46968b6bc2.txt#7",
    "001_f667be46968b6bc2.txt#12",
    "003_e2dc28380de3b692.txt#1",
    "004_46b32e6b4071c38d.txt#0",
    "004_46b32e6b4071c38d.txt#8",
    "004_46b32e6b4071c38d.txt#17",
    "004_46b32e6b4071c38d.txt#20",
}

# A pull quote set without guillemets in the French.
PULL_QUOTES = {"001_f667be46968b6bc2.txt#9"}

# French words that cannot occur as whole words in correct English prose.
FRENCH_WORDS = (
    "le la les des du au aux est sont ont été qui que dans avec une cette mais nous leur selon entre très sur pas"
).split()
_FRENCH_WORD_RE = regex.compile(r"(?<![\p{L}’'-])(" + "|".join(FRENCH_WORDS) + r")(?![\p{L}’'-])", regex.IGNORECASE)

# Numbers of the French paragraph written out in words in the reference (deliberate, and few).
WRITTEN_OUT = {
    ("001_f667be46968b6bc2.txt#2", "2"): "two-day",  # "visite historique de 2 jours"
    ("003_e2dc28380de3b692.txt#7", "9"): "ninefold",  # "multiplié par 9"
}

# French number: digits, thin/no-break/plain spaces between groups of three, decimal comma.
_FR_NUMBER = regex.compile(r"(?<!\d)\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?(?!\d)")


# ---------------------------------------------------------------------------------------------
# Helpers


@cache
def _document(name: str) -> Document:
    return read_document(CORPUS_FR / name)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _snippets() -> list[dict[str, Any]]:
    return [s for path in REF_FILES for s in _load(path)["snippets"]]


def _paragraph(snippet_id: str) -> Paragraph:
    doc_name, _, index = snippet_id.rpartition("#")
    return _document(doc_name).paragraphs[int(index)]


def english_number(french: str) -> str:
    """'11 000' -> '11,000', '30,8' -> '30.8', '2024' -> '2024'."""
    whole, _, decimals = french.partition(",")
    groups = regex.split(r"[ \u00a0\u202f]", whole)
    return ",".join(groups) + ("." + decimals if decimals else "")


def has_number(text: str, number: str) -> bool:
    """Whether *number* occurs in *text* as a whole number (not inside '11,000' or '30.8')."""
    pattern = r"(?<![\d.,])" + regex.escape(number) + r"(?!\d|[.,]\d)"
    return regex.search(pattern, text) is not None


SNIPPET_IDS = [s["id"] for s in _snippets()]


# ---------------------------------------------------------------------------------------------
# Files and format


def test_one_reference_file_per_article() -> None:
    assert [p.stem for p in REF_FILES] == [p.stem for p in DOSSIER_FILES]


@pytest.mark.parametrize("path", REF_FILES, ids=lambda p: p.name)
def test_file_parses_and_is_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert set(data) == {"doc", "snippets"}, path.name
    assert data["doc"] == path.stem + ".txt"
    assert (CORPUS_FR / data["doc"]).is_file()
    assert isinstance(data["snippets"], list) and data["snippets"]
    for snippet in data["snippets"]:
        where = f"{path.name}: {snippet.get('id')}"
        assert set(snippet) == {"id", "hash", "kind", "ref"}, where
        assert snippet["id"].startswith(data["doc"] + "#"), where
        assert regex.fullmatch(r"[0-9a-f]{12}", snippet["hash"]), where
        assert snippet["kind"] in KINDS, where
        assert isinstance(snippet["ref"], str) and snippet["ref"].strip() == snippet["ref"] != "", where
    # One layout, so that a diff shows exactly the snippets that changed.
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n", f"{path.name}: not in 2-space JSON layout"


@pytest.mark.parametrize("path", REF_FILES, ids=lambda p: p.name)
def test_snippets_follow_the_paragraph_order(path: Path) -> None:
    indexes = [int(s["id"].rpartition("#")[2]) for s in _load(path)["snippets"]]
    assert indexes == sorted(indexes), path.name


def test_enough_snippets_over_all_five_articles() -> None:
    ids = _snippets()
    assert len(ids) >= MIN_SNIPPETS
    per_doc = {p.name: 0 for p in DOSSIER_FILES}
    for snippet in ids:
        per_doc[snippet["id"].rpartition("#")[0]] += 1
    assert len(per_doc) == 5
    thin = {doc: n for doc, n in per_doc.items() if n < MIN_PER_ARTICLE}
    assert not thin, f"articles with fewer than {MIN_PER_ARTICLE} references: {thin}"


def test_no_duplicate_ids() -> None:
    duplicates = sorted(i for i, n in Counter(SNIPPET_IDS).items() if n > 1)
    assert not duplicates, f"ids referenced twice: {duplicates}"


# ---------------------------------------------------------------------------------------------
# Ids and hashes resolve against the current corpus


@pytest.mark.parametrize("snippet", _snippets(), ids=SNIPPET_IDS)
def test_id_and_hash_name_the_current_paragraph(snippet: dict[str, Any]) -> None:
    doc_name, sep, index = snippet["id"].rpartition("#")
    assert sep and index.isdigit(), f"{snippet['id']}: malformed id"
    doc = _document(doc_name)
    assert int(index) < len(doc.paragraphs), f"{snippet['id']}: {doc_name} has {len(doc.paragraphs)} paragraphs"
    para = doc.paragraphs[int(index)]
    assert para.id == snippet["id"]
    assert snippet["hash"] == para.hash, (
        f"{snippet['id']}: hash {snippet['hash']} but the paragraph now hashes to {para.hash} "
        f"(source changed or paragraphs moved): {para.text[:60]!r}"
    )


def test_boilerplate_and_english_paragraphs_have_no_reference() -> None:
    for name in NOT_TRANSLATED:
        _paragraph(name)  # the exclusion list itself names real paragraphs
    assert not NOT_TRANSLATED & set(SNIPPET_IDS)


def test_every_headline_has_a_headline_reference() -> None:
    kinds = {s["id"]: s["kind"] for s in _snippets()}
    missing = sorted(HEADLINES - set(kinds))
    assert not missing, f"headlines without a reference: {missing}"
    wrong = sorted(i for i, kind in kinds.items() if (kind == "headline") != (i in HEADLINES))
    assert not wrong, f"kind 'headline' must be exactly the headlines: {wrong}"


@pytest.mark.parametrize("snippet", _snippets(), ids=SNIPPET_IDS)
def test_quote_kind_matches_the_french(snippet: dict[str, Any]) -> None:
    quoted = "«" in _paragraph(snippet["id"]).text
    if snippet["kind"] == "quote":
        assert quoted or snippet["id"] in PULL_QUOTES, f"{snippet['id']}: kind 'quote' but no quotation in French"
    elif snippet["kind"] == "paragraph":
        assert not quoted, f"{snippet['id']}: the French quotes someone; kind should be 'quote'"


# ---------------------------------------------------------------------------------------------
# The references are English, whole, and keep the figures


@pytest.mark.parametrize("snippet", _snippets(), ids=SNIPPET_IDS)
def test_reference_has_no_french_words_or_typography(snippet: dict[str, Any]) -> None:
    ref = snippet["ref"]
    found = sorted({m.group().lower() for m in _FRENCH_WORD_RE.finditer(ref)})
    assert not found, f"{snippet['id']}: French words {found} in {ref!r}"
    assert not regex.search(r"[«»\"]", ref), f"{snippet['id']}: use “ ” quotes, not « » or straight quotes"
    assert not regex.search(r"\d[ \u00a0\u202f]\d{3}(?!\d)", ref), f"{snippet['id']}: write 11,000, not 11 000"
    assert not regex.search(r"\d,\d{1,2}(?!\d)", ref), f"{snippet['id']}: decimal point, not comma"
    assert ref.count("“") == ref.count("”"), f"{snippet['id']}: unbalanced quotation marks"


@pytest.mark.parametrize("snippet", _snippets(), ids=SNIPPET_IDS)
def test_reference_is_a_whole_paragraph(snippet: dict[str, Any]) -> None:
    # A whole-paragraph translation: its length stays within a plausible ratio of the French.
    french = _paragraph(snippet["id"]).text
    ratio = len(snippet["ref"]) / len(french)
    assert 0.6 <= ratio <= 1.3, f"{snippet['id']}: {len(snippet['ref'])} chars for {len(french)} of French"


@pytest.mark.parametrize("snippet", _snippets(), ids=SNIPPET_IDS)
def test_every_french_number_is_in_the_reference(snippet: dict[str, Any]) -> None:
    french = _paragraph(snippet["id"]).text
    missing = []
    for m in _FR_NUMBER.finditer(french):
        english = english_number(m.group())
        word = WRITTEN_OUT.get((snippet["id"], english))
        if word is not None:
            assert not has_number(snippet["ref"], english), f"{snippet['id']}: {english} is listed as written out"
            if word not in snippet["ref"]:
                missing.append(f"{m.group()!r} as {word!r}")
        elif not has_number(snippet["ref"], english):
            missing.append(f"{m.group()!r} as {english!r}")
    assert not missing, f"{snippet['id']}: missing {', '.join(missing)} in {snippet['ref']!r}"


def test_written_out_exceptions_are_real() -> None:
    for snippet_id, number in WRITTEN_OUT:
        french = _paragraph(snippet_id).text
        assert number in [english_number(m.group()) for m in _FR_NUMBER.finditer(french)], (snippet_id, number)
        assert snippet_id in SNIPPET_IDS


def test_number_conversion() -> None:
    assert english_number("11 000") == "11,000"
    assert english_number("11\u202f000") == "11,000"
    assert english_number("30,8") == "30.8"
    assert [english_number(m.group()) for m in _FR_NUMBER.finditer("guerre de Corée (1950-1953), 2+2")] == [
        "1950",
        "1953",
        "2",
        "2",
    ]
    assert has_number("some 11,000 containers", "11,000")
    assert not has_number("some 11,000 containers", "11")
    assert has_number("Hwasong-11 missiles", "11")
    assert not has_number("$30.8 million", "30")
    assert has_number("$30.8 million", "30.8")


# ---------------------------------------------------------------------------------------------
# Terminology: the glossary's canonical forms, never a forbidden rendering


def test_glossary_terms_use_their_canonical_target(real_glossary: Glossary) -> None:
    source = Matcher(real_glossary)
    problems = []
    for snippet in _snippets():
        french = _paragraph(snippet["id"]).text
        for m in source.find(french):
            if not contains(snippet["ref"], m.entry.target, m.entry.case_sensitive):
                problems.append(f"{snippet['id']}: {m.form!r} needs {m.entry.target!r} [{m.entry.id}]")
    assert len(source.find(" ".join(_paragraph(i).text for i in SNIPPET_IDS))) > len(SNIPPET_IDS)
    assert not problems, "glossary targets missing from references:\n" + "\n".join(sorted(set(problems)))


def test_no_forbidden_rendering(real_glossary: Glossary) -> None:
    forbidden = Matcher.for_forbidden(real_glossary)
    problems = [
        f"{snippet['id']}: {m.form!r} [{m.entry.id}: use {m.entry.target!r}]"
        for snippet in _snippets()
        for m in forbidden.find(snippet["ref"])
    ]
    assert not problems, "forbidden renderings in references:\n" + "\n".join(problems)
