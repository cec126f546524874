"""The shipped glossary (glossary/*.kpg) and its ignore list, checked against the real dossier.

The glossary must validate, cover every name and term that ``kp-translate glossary suggest``
finds in corpus/fr (less the reviewed ignore list), map the known traps of the dossier to the
English forms the press uses, and never forbid a form that is itself a target.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from kp_translate import glossary, suggest
from kp_translate.cli import cli
from kp_translate.glossary import TYPES, Entry, Glossary, normalise_form
from kp_translate.match import Match, Matcher
from kp_translate.segment import read_document

MIN_ENTRIES = 120

# One file per type: glossary/<file> holds only entries of that type.
FILE_TYPES = {
    "people.kpg": "person",
    "organisations.kpg": "organisation",
    "media.kpg": "media",
    "places.kpg": "place",
    "weapons.kpg": "weapon",
    "documents.kpg": "document",
    "events.kpg": "event",
    "terms.kpg": "term",
}

# Titles whose English name really begins with an article: the French article is part of the form.
TITLES_WITH_ARTICLE = {"the-diplomat", "the-last-frontier"}

ENGLISH_ARTICLE = regex.compile(r"^(?:the|a|an)\s", regex.IGNORECASE)
FRENCH_ARTICLE = regex.compile(r"^(?:(?:le|la|les)\s|l['’])", regex.IGNORECASE)


def _dossier(corpus_fr: Path) -> list[Path]:
    files = sorted(corpus_fr.glob("*.txt"))
    assert len(files) == 5
    return files


def _matches(corpus_fr: Path, doc_prefix: str, matcher: Matcher) -> list[tuple[str, Match]]:
    """Every glossary match in one dossier article, with its paragraph id."""
    (path,) = [p for p in _dossier(corpus_fr) if p.name.startswith(doc_prefix)]
    doc = read_document(path)
    return [(para.id, m) for para in doc.paragraphs for m in matcher.find(para.text)]


def _entries_in(g: Glossary, filename: str) -> list[Entry]:
    return [e for e in g if Path(e.path).name == filename]


# ---------------------------------------------------------------------------------------------
# Validation and shape


def test_shipped_glossary_has_no_problems(glossary_dir: Path) -> None:
    loaded, problems = glossary.parse([glossary_dir])
    assert problems == [], "\n".join(str(p) for p in problems)
    assert sorted(Path(f).name for f in loaded.files) == sorted(FILE_TYPES)


def test_glossary_check_command_accepts_it(glossary_dir: Path, real_glossary: Glossary) -> None:
    result = CliRunner().invoke(cli, ["glossary", "check", str(glossary_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"ok: {len(real_glossary)} entries in {len(FILE_TYPES)} file(s)"


def test_glossary_check_finds_it_by_default(
    root: Path, real_glossary: Glossary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KP_TRANSLATE_GLOSSARY", raising=False)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["glossary", "check"])
    assert result.exit_code == 0, result.output
    assert f"ok: {len(real_glossary)} entries" in result.output


def test_at_least_120_entries(real_glossary: Glossary) -> None:
    assert len(real_glossary) >= MIN_ENTRIES


def test_every_type_is_used_and_files_are_split_by_type(real_glossary: Glossary) -> None:
    assert set(Counter(e.type for e in real_glossary)) == set(TYPES)
    for filename, type_ in FILE_TYPES.items():
        entries = _entries_in(real_glossary, filename)
        assert entries, f"{filename} is empty"
        strays = [e.id for e in entries if e.type != type_]
        assert not strays, f"{filename} holds entries that are not of type {type_}: {strays}"


def test_every_entry_has_a_note_and_an_explicit_status(real_glossary: Glossary) -> None:
    no_note = [e.id for e in real_glossary if len(e.note.split()) < 4]
    assert not no_note, f"entries without a real note: {no_note}"
    implicit = [e.id for e in real_glossary if not any(key == "status" for key, _, _ in e.fields)]
    assert not implicit, f"entries without a status line: {implicit}"
    assert sum(e.reviewed for e in real_glossary) >= MIN_ENTRIES


def test_targets_carry_no_article(real_glossary: Glossary) -> None:
    with_article = {e.id for e in real_glossary if ENGLISH_ARTICLE.match(e.target)}
    assert with_article == TITLES_WITH_ARTICLE
    for entry_id in TITLES_WITH_ARTICLE:
        entry = real_glossary.by_id[entry_id]
        # the title's article is carried by the French form too ("Le Diplomate"), never added
        assert all(FRENCH_ARTICLE.match(s) for s in entry.sources), entry.sources


def test_person_forms_never_include_a_french_article(real_glossary: Glossary) -> None:
    bad = [(e.id, s) for e in real_glossary if e.type == "person" for s in e.sources if FRENCH_ARTICLE.match(s)]
    assert not bad


def test_one_spelling_convention(real_glossary: Glossary) -> None:
    targets = [e.target for e in real_glossary]
    british = [t for t in targets if regex.search(r"defence|armoured|Second World War", t)]
    assert not british, british
    assert real_glossary.by_id["mutual-defense-pact"].target == "mutual defense pact"
    assert real_glossary.by_id["world-war-ii"].target == "World War II"
    assert sum("defense" in t.lower() for t in targets) >= 5


def test_dnt_entries_keep_their_form(real_glossary: Glossary) -> None:
    dnt = {e.id for e in real_glossary if e.dnt}
    assert {"kcna", "tass", "hwasong-11", "nk-news", "bbc"} <= dnt
    for entry_id in dnt:
        entry = real_glossary.by_id[entry_id]
        assert entry.target in entry.sources and not entry.forbidden, entry_id


# ---------------------------------------------------------------------------------------------
# Forbidden renderings


def test_no_forbidden_form_is_a_target(real_glossary: Glossary) -> None:
    targets = {normalise_form(e.target).casefold(): e.id for e in real_glossary}
    clashes = [
        (e.id, bad, targets[normalise_form(bad).casefold()])
        for e in real_glossary
        for bad in e.forbidden
        if normalise_form(bad).casefold() in targets
    ]
    assert not clashes, clashes


def test_no_target_contains_a_forbidden_form(real_glossary: Glossary) -> None:
    forbidden = Matcher.for_forbidden(real_glossary)
    found = [(e.id, e.target, m.form, m.entry.id) for e in real_glossary for m in forbidden.find(e.target)]
    assert not found, found


def test_raw_apertium_output_is_flagged(real_glossary: Glossary) -> None:
    # What `apertium -u fr-es | apertium -u spa-eng` printed for dossier sentences.
    raw = (
        "Kim Jong-one, the leader norcoreano, and Iouri Ouchakov met in the RPDC; "
        "the general secretary of the Otan; the Institute Roast; the place Kim He Sung."
    )
    flagged = {m.entry.id for m in Matcher.for_forbidden(real_glossary).find(raw)}
    assert flagged == {"kim-jong-un", "north-korean", "yuri-ushakov", "dprk", "nato", "asan-institute", "kim-il-sung"}
    good = (
        "Kim Jong Un, the North Korean leader, and Yuri Ushakov met in the DPRK; NATO Secretary General "
        "Jens Stoltenberg; the Asan Institute for Policy Studies; Kim Il Sung Square; the West; Beijing."
    )
    assert Matcher.for_forbidden(real_glossary).find(good) == []


# ---------------------------------------------------------------------------------------------
# Coverage of the dossier


def test_dossier_is_covered(corpus_fr: Path, glossary_dir: Path, real_glossary: Glossary) -> None:
    ignore = suggest.load_ignore(glossary_dir / "ignore.txt")
    missing = suggest.uncovered(_dossier(corpus_fr), real_glossary, ignore)
    listing = "\n".join(f"  {t.text!r} in {t.doc}#{t.paragraph}" for t in missing)
    assert not missing, f"{len(missing)} name(s)/term(s) neither in the glossary nor in ignore.txt:\n{listing}"


def test_suggest_command_reports_nothing(corpus_fr: Path, glossary_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["glossary", "suggest", str(corpus_fr), "--glossary", str(glossary_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "nothing to suggest: every name and term is covered"


def test_every_entry_is_real_dossier_vocabulary(corpus_fr: Path, real_glossary: Glossary) -> None:
    # Most reviewed entries match the dossier or the texts of another language (corpus/<lang>,
    # through that language's view); the rest are siblings of entries that do (Stalin of Joseph Stalin).
    used: set[str] = set()
    matcher = Matcher(real_glossary.view("fr"))
    for path in _dossier(corpus_fr):
        used |= {m.entry.id for para in read_document(path).paragraphs for m in matcher.find(para.text)}
    assert len(used) >= MIN_ENTRIES
    for lang in real_glossary.languages:
        view = Matcher(real_glossary.view(lang))
        for path in sorted((corpus_fr.parent / lang).glob("*.txt")):
            used |= {m.entry.id for para in read_document(path).paragraphs for m in view.find(para.text)}
    # entries written for the next article, whose terms no evaluation text uses yet, stay drafts
    reviewed = {e.id for e in real_glossary if e.status == "reviewed"}
    assert len(used & reviewed) >= 0.9 * len(reviewed), sorted(reviewed - used)


# ---------------------------------------------------------------------------------------------
# The ignore list


def _ignore_lines(glossary_dir: Path) -> list[tuple[str, str]]:
    """(form, reason) for every entry line of ignore.txt."""
    out = []
    for line in (glossary_dir / "ignore.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        form, _, reason = line.partition("#")
        out.append((form.strip(), reason.strip()))
    return out


def test_every_ignored_form_has_a_reason(glossary_dir: Path) -> None:
    lines = _ignore_lines(glossary_dir)
    assert lines
    assert not [form for form, reason in lines if len(reason.split()) < 2]
    forms = [form for form, _ in lines]
    assert len(forms) == len(set(forms)), "duplicate lines in ignore.txt"


def test_no_ignored_form_is_a_glossary_form(glossary_dir: Path, real_glossary: Glossary) -> None:
    sources = {normalise_form(s) for e in real_glossary for s in e.sources}
    assert not [form for form, _ in _ignore_lines(glossary_dir) if normalise_form(form) in sources]


def test_every_ignored_form_is_needed(corpus_fr: Path, glossary_dir: Path, real_glossary: Glossary) -> None:
    # Dropping any line of the ignore list makes its form show up as uncovered again: no dead lines.
    ignore = suggest.load_ignore(glossary_dir / "ignore.txt")
    files = _dossier(corpus_fr)
    for form, _ in _ignore_lines(glossary_dir):
        key = normalise_form(form)
        back = {t.text for t in suggest.uncovered(files, real_glossary, ignore - {key})}
        assert back, f"ignore.txt line {form!r} is not needed"
        assert back <= set(key.replace(",", "").split()), (form, back)


# ---------------------------------------------------------------------------------------------
# Spot checks on the real dossier text


@pytest.mark.parametrize(
    ("doc", "form", "entry_id", "target"),
    [
        ("001", "Iouri Ouchakov", "yuri-ushakov", "Yuri Ushakov"),
        ("003", "Iouri Ouchakov", "yuri-ushakov", "Yuri Ushakov"),
        ("003", "RPDC", "dprk", "DPRK"),
        ("004", "Kim Jong-un", "kim-jong-un", "Kim Jong Un"),
        ("002", "Kim Jong Un", "kim-jong-un", "Kim Jong Un"),
        ("004", "Kim Jong-Il", "kim-jong-il", "Kim Jong Il"),
        ("002", "Kim Il Sung", "kim-il-sung", "Kim Il Sung"),
        ("000", "l'Otan", "nato", "NATO"),
        ("001", "l’OTAN", "nato", "NATO"),
        ("004", "l'OTAN", "nato", "NATO"),
        ("003", "KCNA", "kcna", "KCNA"),
        ("004", "Hwasong-11", "hwasong-11", "Hwasong-11"),
        ("003", "Agence centrale nouvelle de Corée", "korean-central-news-agency", "Korean Central News Agency"),
        ("004", "Agence centrale de presse coréenne", "korean-central-news-agency", "Korean Central News Agency"),
        ("003", "Le Diplomate", "the-diplomat", "The Diplomat"),
        ("004", "Hong Ming", "hong-min", "Hong Min"),
        ("004", "Lloyd Austin", "lloyd-austin", "Lloyd Austin"),
        ("002", "Joseph Staline", "joseph-stalin", "Joseph Stalin"),
        ("004", "Vladimir Vladimirovitch", "vladimir-vladimirovich", "Vladimir Vladimirovich"),
        ("000", "Pékin", "beijing", "Beijing"),
        ("002", "cosmodrome de Vostochny", "vostochny-cosmodrome", "Vostochny Cosmodrome"),
        ("003", "maison d'hôtes d'État de Kumsusan", "kumsusan-state-guest-house", "Kumsusan State Guest House"),
        ("004", "la place Kim Il Sung", "kim-il-sung-square", "Kim Il Sung Square"),
        ("000", "Shin Won-sik", "shin-won-sik", "Shin Won-sik"),
        ("004", "Nord-Coréens", "north-koreans", "North Koreans"),
        ("002", "nord-coréennes", "north-korean", "North Korean"),
        ("002", "la Seconde Guerre mondiale", "world-war-ii", "World War II"),
        ("004", "Sud global", "global-south", "Global South"),
        ("000", "pacte de défense mutuelle", "mutual-defense-pact", "mutual defense pact"),
        ("003", "TASSl", "tass-glued", "TASS"),
    ],
)
def test_dossier_trap_maps_to_the_press_form(
    corpus_fr: Path, real_glossary: Glossary, doc: str, form: str, entry_id: str, target: str
) -> None:
    found = [(pid, m) for pid, m in _matches(corpus_fr, doc, real_glossary.matcher()) if m.form == form]
    assert found, f"{form!r} not found in {doc}"
    for pid, m in found:
        assert (m.entry.id, m.entry.target) == (entry_id, target), pid


def test_a_lone_kim_is_not_kim_jong_un(corpus_fr: Path, real_glossary: Glossary) -> None:
    matcher = real_glossary.matcher()
    for doc in ("000", "002", "003", "004"):
        lone = [m for _, m in _matches(corpus_fr, doc, matcher) if m.form == "Kim"]
        assert lone, doc
        assert {(m.entry.id, m.entry.target) for m in lone} == {("kim", "Kim")}
    # and the full name is still found whole, in both spellings, next to the lone form
    forms = [m.form for _, m in _matches(corpus_fr, "004", matcher) if m.entry.id == "kim-jong-un"]
    assert set(forms) == {"Kim Jong-un", "Kim Jong Un"}


def test_traps_are_explained_in_notes(real_glossary: Glossary) -> None:
    assert "Secretary of Defense" in real_glossary.by_id["lloyd-austin"].note
    assert "Hong Ming" in real_glossary.by_id["hong-min"].note
    assert "Agence centrale nouvelle de Corée" in real_glossary.by_id["korean-central-news-agency"].note


def test_north_korean_inflections_and_nato_forms(real_glossary: Glossary) -> None:
    matcher = real_glossary.matcher()
    text = "le dirigeant nord-coréen, la capitale nord-coréenne, les médias nord-coréens, les armes nord-coréennes"
    assert [m.entry.target for m in matcher.find(text)] == ["North Korean"] * 4
    for form in ("Otan", "OTAN", "l'Otan", "l’OTAN"):
        (m,) = matcher.find(f"le secrétaire général de {form}.")
        assert (m.entry.id, m.form) == ("nato", form)
    # case matters: a lower-case "rpdc" is not the acronym
    assert matcher.find("rpdc") == []
