"""Every registered language (and English) keeps the same contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from kp_translate import lang
from kp_translate.lang import typography
from kp_translate.lang.convert import convert
from kp_translate.lang.en import NOT_LEFTOVERS, English
from kp_translate.lang.sentences import abbreviation_tokens

DATA = Path(__file__).parent / "data"
ALL = (*lang.registered(), "en")
SOURCES = lang.registered()

#: English words that look like words of a source language: none may be a leftover word
ENGLISH_HOMOGRAPHS = frozenset(
    """a an i no come per far son sin do da pie den end ate date fin via car me on as ten polo dove sue uno verso
    dal bat ere nor zen hi ho tot tots fins sense cal cap molt molts ell ara govern co ha lo ma die mine""".split()
)


def _numbers(code: str) -> list[tuple[str, list[str]]]:
    rows = []
    for line in (DATA / f"numbers.{code}.tsv").read_text(encoding="utf-8").splitlines():
        text, _, values = line.partition("\t")
        rows.append((text, values.split()))
    return rows


def _sentences(code: str) -> list[str]:
    return (DATA / f"sentences.{code}.txt").read_text(encoding="utf-8").splitlines()


def test_registered_languages_have_modules() -> None:
    assert SOURCES == ("fr", "es", "ca", "gl", "eu", "pt", "it")
    for code in ALL:
        language = lang.get(code)
        assert language.code == code and type(language).__name__ != "Language"
        assert lang.get(code) is language  # one instance per language


@pytest.mark.parametrize("code", ALL)
def test_fold_is_idempotent_and_keeps_offsets(code: str) -> None:
    for text in [*_sentences(code), "l’OTAN\u00a0–\u202fKim Jong‑un", "a\tb\nc ʼ‘"]:
        once = typography.fold(text)
        assert typography.fold(once) == once
        assert len(once) == len(text)
        assert typography.normalise(typography.normalise(text)) == typography.normalise(text)
    assert typography.fold("l’OTAN\u00a0Kim Jong‑un") == "l'OTAN Kim Jong-un"


@pytest.mark.parametrize("code", ALL)
def test_sentences_cover_the_text_in_order(code: str) -> None:
    language = lang.get(code)
    lines = _sentences(code)
    paragraph = " ".join(lines)
    spans = language.split_sentences(paragraph)
    assert [paragraph[a:b] for a, b in spans] == lines
    ends = [b for _, b in spans]
    starts = [a for a, _ in spans]
    assert starts == sorted(starts) and all(e <= s for e, s in zip(ends, starts[1:], strict=False))
    # nothing but white space between spans
    assert "".join(paragraph[b:a] for b, a in zip([0, *ends], [*starts, len(paragraph)], strict=True)).strip() == ""


@pytest.mark.parametrize("code", ALL)
def test_abbreviations_do_not_end_sentences(code: str) -> None:
    language = lang.get(code)
    for abbreviation in sorted(language.abbreviations):
        tokens = abbreviation.split()
        last = tokens[-1].removesuffix(".")
        if len(last) == 1 and last.isupper():
            continue  # initials never end a sentence anyway
        text = f"Hoy vino {abbreviation} Navarro y se fue."
        assert language.split_sentences(text) == [(0, len(text))], abbreviation
    assert abbreviation_tokens(language.abbreviations) <= {
        a.removesuffix(".") for t in language.abbreviations for a in t.split()
    }


@pytest.mark.parametrize("code", ALL)
def test_numbers_read_the_reference_table(code: str) -> None:
    language = lang.get(code)
    for text, values in _numbers(code):
        assert [n.value for n in language.read_numbers(text)] == values, text
        for n in language.read_numbers(text):
            assert text[n.start : n.end] == n.text


@pytest.mark.parametrize("code", SOURCES)
def test_numbers_survive_conversion_to_english(code: str) -> None:
    """What convert() writes, English reads as the value the source had."""
    source, english = lang.get(code), lang.get("en")
    checked = 0
    for text, _ in _numbers(code):
        found = source.read_numbers(text)
        if any(n.text[-1].isalpha() for n in found):
            continue  # scale words are the engine's to translate
        converted = convert(text, source, english)
        assert [n.value for n in english.read_numbers(converted)] == [n.value for n in found], (text, converted)
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize("code", SOURCES)
def test_convert_leaves_no_source_marks_in_english(code: str) -> None:
    source = lang.get(code)
    text = "«¿Vino?» ‹ ¡Sí ! › dijo ; 54 % del total."
    out = convert(text, source, lang.get("en"))
    assert not set(out) & set("¿¡«»‹›"), out
    assert "\u00a0" not in convert("a\u00a0b", source, lang.get("en"))


@pytest.mark.parametrize("code", ALL)
def test_form_regex_matches_whole_words_only(code: str) -> None:
    language = lang.get(code)
    pattern = language.form_regex("Kim Jong-un")
    assert pattern.search("con Kim\u00a0Jong‑un ayer")
    assert not pattern.search("Kim Jong-unx") and not pattern.search("xKim Jong-un")
    assert language.form_regex("l'Otan").search("de l’Otan")
    assert not language.form_regex("otan").search("Otan")
    assert language.form_regex("otan", case_sensitive=False).search("OTAN")
    for ch in language.word_chars:
        assert language.is_word_char(ch)
        assert not language.form_regex("b").search(f"a{ch}b")


@pytest.mark.parametrize("code", ALL)
def test_elided_variants(code: str) -> None:
    language = lang.get(code)
    variants = language.elided_variants("Otan")
    assert len(variants) == 2 * len(language.elisions)
    for e in language.elisions:
        assert e + "Otan" in variants
        assert language.form_regex(e + "Otan").search(f"x {e[:-1]}’Otan x")
    assert language.elided_variants("Kim") == []  # consonant
    if language.article_elisions:
        elided = language.article_elisions[0] + "Otan"
        assert language.elided_variants(elided) == []  # already elided
        assert language.strip_elision(elided) == "Otan"


@pytest.mark.parametrize("code", SOURCES)
def test_function_words_are_not_english(code: str) -> None:
    words = lang.get(code).function_words
    assert words, code
    assert words == {w.lower() for w in words}
    assert not words & NOT_LEFTOVERS
    assert not words & ENGLISH_HOMOGRAPHS
    assert not words & English.lower_case_words


@pytest.mark.parametrize("code", SOURCES)
def test_leftovers_of_the_language_are_found_in_english(code: str) -> None:
    from kp_translate.lang.identify import leftovers

    language = lang.get(code)
    word = sorted(language.function_words)[0]
    found = leftovers(f"The minister said {word} nothing.", [code])
    assert [(f.word, f.language) for f in found] == [(word, code)]
    assert leftovers(" ".join(_sentences("en")), [code]) == []


@pytest.mark.parametrize("code", SOURCES)
def test_multipliers_apply_after_digits(code: str) -> None:
    language = lang.get(code)
    for word, factor in language.multipliers.items():
        assert [n.value for n in language.read_numbers(f"unos 3 {word} ")] == [str(3 * factor)], word
