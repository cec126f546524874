"""Term metrics on small hand-computed cases; number extraction; reference snippets.

Every expected figure below is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kp_translate.errors import InputError
from kp_translate.glossary import Glossary, load
from kp_translate.lang import get as get_language
from kp_translate.lang.numbers import NumberDiff, extract
from kp_translate.lang.numbers import compare as compare_numbers
from kp_translate.metrics import Analyser, Consistency, Forbidden, RefAgreement, Segment, TermSuccess
from kp_translate.metrics.consistency import collect, inconsistent
from kp_translate.references import load_for, load_ref_file, resolve
from kp_translate.segment import read_document, split_document

from conftest import CORPUS_FR, CORPUS_REF

GLOSSARY = """\
[kim-jong-un]
type: person
target: Kim Jong Un
source: Kim Jong-un
source: Kim Jong Un
forbidden: Kim Jong One
forbidden: Kim Jong-one

[kim]
type: person
target: Kim
source: Kim

[yuri-ushakov]
type: person
target: Yuri Ushakov
source: Iouri Ouchakov
forbidden: Iouri Ouchakov
forbidden: Yuri Ouchakov

[dprk]
type: place
target: DPRK
source: RPDC
forbidden: RPDC

[ukraine]
type: place
target: Ukraine
source: Ukraine
source: l'Ukraine

[invasion-of-ukraine]
type: event
target: invasion of Ukraine
source: invasion de l'Ukraine

[un-sanctions]
type: document
target: UN sanctions
source: sanctions de l'ONU
forbidden: sanctions of the UN

[un-security-council]
type: organisation
target: UN Security Council
source: Conseil de sécurité de l'ONU

[north-korean]
type: term
target: North Korean
source: nord-coréen
forbidden: norcoreano
case: insensitive
"""


@pytest.fixture
def small(tmp_path: Path) -> Glossary:
    path = tmp_path / "small.kpg"
    path.write_text(GLOSSARY, encoding="utf-8")
    return load(path)


def seg(source: str, hyp: str, doc: str = "a.txt", index: int = 0, ref: str | None = None) -> Segment:
    return Segment(doc, index, hyp, source, (ref,) if ref is not None else (), f"out/{doc}", index + 1)


def run(glossary: Glossary, segments: list[Segment]):  # type: ignore[no-untyped-def]
    analyses = Analyser(glossary).analyse_all(segments)
    return {cls.name: cls(glossary).compute(analyses) for cls in (TermSuccess, Forbidden, Consistency, RefAgreement)}


# ---------------------------------------------------------------------------------------------
# term success


def test_multi_word_term_found_and_missed(small: Glossary) -> None:
    r = run(
        small,
        [
            seg("Le conseiller Iouri Ouchakov a parlé.", "Adviser Yuri Ushakov spoke."),  # 1/1
            seg("Selon Iouri Ouchakov, la RPDC...", "According to Iouri Ouchakov, the DPRK...", index=1),  # 1/2
        ],
    )
    ts = r["term_success"]
    assert (ts.overall.hits, ts.overall.total) == (2, 3)
    assert ts.score == pytest.approx(200 / 3)
    assert ts.by_term["yuri-ushakov"].hits == 1 and ts.by_term["yuri-ushakov"].total == 2
    assert ts.by_term["dprk"].score == 100.0
    [miss] = ts.details
    assert miss["segment"] == "a.txt#1" and miss["term"] == "yuri-ushakov" and miss["target"] == "Yuri Ushakov"
    assert "[Iouri Ouchakov]" in miss["source_excerpt"]
    assert r["forbidden"].score == 1.0
    assert r["forbidden"].details[0]["form"] == "Iouri Ouchakov"


def test_repeated_term_counts_each_occurrence(small: Glossary) -> None:
    # three occurrences in the source, the target twice and a forbidden form once: 2/3
    r = run(
        small,
        [
            seg(
                "Kim Jong-un a parlé. Kim Jong Un a souri. Kim Jong-un est parti.",
                "Kim Jong Un spoke. Kim Jong One smiled. Kim Jong Un left.",
            )
        ],
    )
    ts = r["term_success"]
    assert (ts.overall.hits, ts.overall.total) == (2, 3)
    assert ts.details[0]["expected"] == 3 and ts.details[0]["found"] == 2
    assert r["forbidden"].overall.hits == 1
    # a target present more often than the source term does not score above 100 %
    r = run(small, [seg("La RPDC a parlé.", "The DPRK spoke. The DPRK said.")])
    assert (r["term_success"].overall.hits, r["term_success"].overall.total) == (1, 1)


def test_overlapping_variants_full_name_and_surname(small: Glossary) -> None:
    # the source holds "Kim Jong-un" and, separately, "Kim": two terms
    src = "Kim Jong-un a rencontré les diplomates. Kim a souri."
    r = run(small, [seg(src, "Kim Jong Un met the diplomats. Kim smiled.")])
    assert (r["term_success"].overall.hits, r["term_success"].overall.total) == (2, 2)
    # the "Kim" inside "Kim Jong Un" is not the surname's rendering: 1/2
    r = run(small, [seg(src, "Kim Jong Un met the diplomats. He smiled.")])
    assert (r["term_success"].overall.hits, r["term_success"].overall.total) == (1, 2)
    assert r["term_success"].by_term["kim"].hits == 0
    assert r["term_success"].by_term["kim-jong-un"].hits == 1


def test_longer_target_of_an_absent_term_does_not_hide_a_target(small: Glossary) -> None:
    # "invasion actuelle de l'Ukraine": only [ukraine] is a source term; the hypothesis' "invasion
    # of Ukraine" is another entry's target but must not swallow "Ukraine"
    r = run(small, [seg("l'invasion actuelle de l'Ukraine", "the current invasion of Ukraine")])
    assert (r["term_success"].overall.hits, r["term_success"].overall.total) == (1, 1)
    # "invasion de l'Ukraine" is the longer source term: it alone is expected
    r = run(small, [seg("l'invasion de l'Ukraine", "the invasion of Ukraine")])
    assert r["term_success"].by_term.keys() == {"invasion-of-ukraine"}
    assert r["term_success"].score == 100.0


def test_typographic_variants_match(small: Glossary) -> None:
    # non-breaking space and typographic apostrophe in the source, both still match
    r = run(small, [seg("l’invasion de l’Ukraine et Kim\u00a0Jong-un", "the invasion of Ukraine and Kim Jong Un")])
    assert (r["term_success"].overall.hits, r["term_success"].overall.total) == (2, 2)


def test_targets_across_line_breaks_and_runs_of_spaces(small: Glossary) -> None:
    # a space in a form matches any run of white space, as in the glossary matcher
    src = "Kim Jong-un et l'invasion de l'Ukraine"
    for hyp in ("Kim  Jong Un and the invasion of\nUkraine", "Kim\u202fJong Un and the invasion  of Ukraine"):
        r = run(small, [seg(src, hyp)])
        assert (r["term_success"].overall.hits, r["term_success"].overall.total) == (2, 2), hyp
    # but not across a word boundary that is not white space
    r = run(small, [seg(src, "Kim-Jong Un and the invasion of Ukrainex")])
    assert r["term_success"].overall.hits == 0


def test_case_insensitive_entry(small: Glossary) -> None:
    r = run(small, [seg("le dirigeant Nord-Coréen", "the north korean leader")])
    assert r["term_success"].score == 100.0
    r = run(small, [seg("le dirigeant nord-coréen", "the leader Norcoreano")])
    assert r["term_success"].score == 0.0
    assert r["forbidden"].details[0]["form"] == "Norcoreano"


# ---------------------------------------------------------------------------------------------
# forbidden


def test_forbidden_cutting_through_a_target_is_not_counted(small: Glossary) -> None:
    r = run(small, [seg("x", "because of the sanctions of the UN Security Council against North Korea")])
    assert r["forbidden"].score == 0.0
    r = run(small, [seg("x", "because of the sanctions of the UN against North Korea")])
    assert r["forbidden"].score == 1.0
    # a forbidden form that contains a whole target ("Kim" in "Kim Jong One") is counted
    r = run(small, [seg("x", "Kim Jong One arrived")])
    assert r["forbidden"].score == 1.0


def test_forbidden_per_document_and_term(small: Glossary) -> None:
    r = run(
        small,
        [
            seg("a", "the RPDC and Kim Jong One", doc="a.txt"),
            seg("b", "the RPDC", doc="b.txt"),
            seg("c", "nothing wrong here", doc="b.txt", index=1),
        ],
    )
    f = r["forbidden"]
    assert f.score == 3.0 and f.overall.total == 3  # 3 forbidden renderings in 3 segments
    assert f.by_doc["a.txt"].hits == 2 and f.by_doc["b.txt"].hits == 1
    assert f.by_term["dprk"].hits == 2 and f.by_term["kim-jong-un"].hits == 1
    assert [d["where"] for d in f.details] == ["out/a.txt:1 (#0)", "out/a.txt:1 (#0)", "out/b.txt:1 (#0)"]


# ---------------------------------------------------------------------------------------------
# consistency and reference agreement


def test_consistency_dossier_and_documents(small: Glossary) -> None:
    segments = [
        seg("Kim Jong-un et la RPDC", "Kim Jong Un and the DPRK", doc="a.txt", index=0),
        seg("Kim Jong-un", "Kim Jong One", doc="a.txt", index=1),
        seg("Kim Jong-un et la RPDC", "Kim Jong Un and the DPRK", doc="b.txt", index=0),
        seg("Iouri Ouchakov", "he", doc="b.txt", index=1),  # unrecognised rendering: not assessable
    ]
    r = run(small, segments)
    c = r["consistency"]
    # dossier: kim-jong-un has 3 identified renderings of 2 forms (inconsistent), dprk 2 of 1 form
    assert (c.overall.hits, c.overall.total) == (1, 2)
    assert c.score == 50.0
    # a.txt: kim-jong-un assessable and inconsistent, dprk once only; b.txt: nothing twice
    assert (c.by_doc["a.txt"].hits, c.by_doc["a.txt"].total) == (0, 1)
    assert c.by_doc["b.txt"].score is None
    kju = next(d for d in c.details if d["term"] == "kim-jong-un")
    assert [(x["form"], x["count"]) for x in kju["renderings"]] == [("Kim Jong Un", 2), ("Kim Jong One", 1)]
    scopes = collect(Analyser(small).analyse_all(segments))
    assert [t.term for t in inconsistent(scopes["a.txt"])] == ["kim-jong-un"]
    assert inconsistent(scopes["b.txt"]) == []


def test_reference_agreement(small: Glossary) -> None:
    r = run(
        small,
        [
            # ref: Kim Jong Un ×1, Kim ×1; hyp: forbidden form, and Kim (twice, capped at 1): 1/2
            seg("Kim Jong-un et Kim", "Kim Jong One and Kim", ref="Kim Jong Un and Kim"),
            # the reference renders the term some other way: not comparable, skipped
            seg("la RPDC", "the DPRK", index=1, ref="North Korea"),
            # no reference at all: skipped
            seg("la RPDC", "the RPDC", index=2),
            # same rendering as the reference, even a forbidden one: agreement 1/1
            seg("Iouri Ouchakov", "Yuri Ouchakov said", index=3, ref="Yuri Ouchakov said"),
        ],
    )
    ra = r["ref_agreement"]
    assert (ra.overall.hits, ra.overall.total) == (2, 3)
    assert ra.by_term["kim-jong-un"].hits == 0 and ra.by_term["kim"].hits == 1
    assert "dprk" not in ra.by_term
    [miss] = ra.details
    assert miss["term"] == "kim-jong-un" and miss["reference_form"] == "Kim Jong Un"
    assert miss["hypothesis_renderings"] == {"Kim Jong One": 1}


def test_signatures_say_how(small: Glossary) -> None:
    r = run(small, [seg("la RPDC", "the DPRK")])
    v = small.view("fr").version
    assert (
        r["term_success"].signature
        == f"term_success|lang:fr-en|glossary:{v}|match:exact|case:entry|unit:occurrence|v:0.1.0"
    )
    assert r["forbidden"].signature.startswith(f"forbidden|lang:fr-en|glossary:{v}|")
    assert r["consistency"].signature == f"consistency|lang:fr-en|glossary:{v}|match:exact|case:entry|unit:term|v:0.1.0"
    assert r["ref_agreement"].signature.startswith("ref_agreement|")
    # a different glossary is a different signature
    other = Glossary(small.entries[:3])
    assert TermSuccess(other).signature() != TermSuccess(small).signature()


def test_no_terms_is_not_a_score(small: Glossary) -> None:
    r = run(small, [seg("Rien à signaler.", "Nothing to report.")])
    assert r["term_success"].score is None and r["term_success"].format_score() == "n/a"
    assert r["consistency"].score is None


def test_real_glossary_on_a_real_paragraph(real_glossary: Glossary) -> None:
    # 001 #6 names Iouri Ouchakov; its reference renders every term canonically
    doc = read_document(CORPUS_FR / "001_f667be46968b6bc2.txt")
    para = doc.paragraphs[6]
    refs = {r.index: r.snippet.ref for r in resolve(load_for(CORPUS_REF, doc.name), doc)}  # type: ignore[arg-type]
    good = run(real_glossary, [seg(para.text, refs[6])])
    assert good["term_success"].score == 100.0
    assert good["term_success"].by_term["yuri-ushakov"].hits == 1
    bad = run(real_glossary, [seg(para.text, refs[6].replace("Yuri Ushakov", "Iouri Ouchakov"))])
    assert bad["term_success"].by_term["yuri-ushakov"].hits == 0
    assert [d["form"] for d in bad["forbidden"].details] == ["Iouri Ouchakov"]


# ---------------------------------------------------------------------------------------------
# numbers


@pytest.mark.parametrize(
    ("text", "language", "values"),
    [
        ("environ 11 000 conteneurs", "fr", ["11000"]),
        ("11\u00a0000 et 11\u202f000", "fr", ["11000", "11000"]),
        ("30,8 millions de dollars", "fr", ["30800000"]),
        ("cinq millions d'obus et 5 millions", "fr", ["5000000"]),
        ("a augmenté de 54 %", "fr", ["54"]),
        ("la guerre de Corée (1950-1953) et 1961", "fr", ["1950", "1953", "1961"]),
        ("en 2019, des émigrés", "fr", ["2019"]),
        ("2,5 milliards", "fr", ["2500000000"]),
        ("about 11,000 containers", "en", ["11000"]),
        ("$30.8 million", "en", ["30800000"]),
        ("5 million shells, 54%", "en", ["5000000", "54"]),
        ("2.5 billion, 1,000,000", "en", ["2500000000", "1000000"]),
        ("in 2023, 54% more", "en", ["2023", "54"]),
        # French typography left in English is not read as one number
        ("11 000", "en", ["11", "0"]),
        ("30,8", "en", ["30", "8"]),
    ],
)
def test_number_values(text: str, language: str, values: list[str]) -> None:
    assert [n.value for n in extract(text, get_language(language))] == values


def compare(source: str, translation: str) -> NumberDiff:
    return compare_numbers(source, translation, get_language("fr"), get_language("en"))


def test_number_comparison() -> None:
    assert not compare(
        "environ 11 000 conteneurs, 54 % et 30,8 millions", "about 11,000 containers, 54% and 30.8 million"
    )
    assert not compare("la guerre de Corée (1950-1953)", "the Korean War (1950-1953)")
    # spelled out on one side, digits on the other
    assert not compare("cinq millions d'obus", "5 million shells")
    assert not compare("une visite de 2 jours", "a two-day visit")
    diff = compare("environ 11 000 conteneurs", "about 12,000 containers")
    assert [n.text for n in diff.missing] == ["11 000"] and [n.text for n in diff.extra] == ["12,000"]
    assert diff.describe() == "missing from the translation: '11 000'; not in the source: '12,000'"
    diff = compare("environ 11 000 conteneurs", "about 11 000 containers")  # typography not converted
    assert [n.text for n in diff.extra] == ["11", "000"]
    # a number dropped: repeated values count as a multiset
    diff = compare("les 18 et 19 juin, 18 heures", "June 18 and 19")
    assert [n.text for n in diff.missing] == ["18"] and not diff.extra


# ---------------------------------------------------------------------------------------------
# reference snippets


def test_real_references_resolve_by_hash() -> None:
    for ref_path in sorted(CORPUS_REF.glob("*.json")):
        refs = load_ref_file(ref_path)
        doc = read_document(CORPUS_FR / refs.doc)
        resolved = resolve(refs, doc)
        assert len(resolved) == len(refs.snippets) > 0
        assert not [r for r in resolved if r.stale], ref_path
        for r in resolved:
            assert r.paragraph is not None and r.paragraph.hash == r.snippet.hash


def test_reference_survives_a_paragraph_added_above(tmp_path: Path) -> None:
    doc = read_document(CORPUS_FR / "000_7c2f12bc5fc2e4f7.txt")
    refs = load_ref_file(CORPUS_REF / "000_7c2f12bc5fc2e4f7.json")
    moved = split_document("Un nouveau chapeau.\n\n" + doc.text, doc.name)
    resolved = resolve(refs, moved)
    assert not any(r.stale for r in resolved)
    assert [r.index for r in resolved] == [r.snippet.index + 1 for r in resolved]


def test_edited_paragraph_makes_its_snippet_stale() -> None:
    doc = read_document(CORPUS_FR / "000_7c2f12bc5fc2e4f7.txt")
    refs = load_ref_file(CORPUS_REF / "000_7c2f12bc5fc2e4f7.json")
    edited = split_document(doc.text.replace("cinq millions", "six millions"), doc.name)
    stale = [r for r in resolve(refs, edited) if r.stale]
    assert [r.snippet.id for r in stale] == ["000_7c2f12bc5fc2e4f7.txt#6"]  # "cinq millions d'obus"
    assert stale[0].index == 6  # falls back to the id's index
    assert "is stale" in stale[0].problem() and stale[0].snippet.hash in stale[0].problem()


def test_repeated_headline_resolves_by_id() -> None:
    # 004 #0 and #1 are the same headline (same hash); the snippet of #0 stays on #0
    doc = read_document(CORPUS_FR / "004_46b32e6b4071c38d.txt")
    assert doc.paragraphs[0].hash == doc.paragraphs[1].hash
    refs = load_ref_file(CORPUS_REF / "004_46b32e6b4071c38d.json")
    first = resolve(refs, doc)[0]
    assert first.snippet.index == 0 and first.index == 0 and not first.stale


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('{"doc": "x.txt", "snippets": [\n  {"id": "x.txt#0",\n', 3, "bad JSON"),
        ("[1, 2]\n", 1, "expected a JSON object"),
        ('{\n  "snippets": []\n}\n', 1, "missing or empty 'doc'"),
        (
            '{\n  "doc": "x.txt",\n  "snippets": [\n    {"id": "x.txt#0", "hash": "0123456789ab", "kind": "paragraph", '
            '"ref": "ok"},\n    {"id": "x.txt#1", "hash": "0123456789ab", "kind": "paragraph"}\n  ]\n}\n',
            5,
            "snippet has no 'ref'",
        ),
        (
            '{"doc": "x.txt", "snippets": [\n{"id": "y.txt#0", "hash": "0123456789ab", "kind": "paragraph", '
            '"ref": "r"}]}\n',
            2,
            "names another document",
        ),
        (
            '{"doc": "x.txt", "snippets": [\n{"id": "x.txt#0", "hash": "0123", "kind": "paragraph", "ref": "r"}]}\n',
            2,
            "bad hash",
        ),
        (
            '{"doc": "x.txt", "snippets": [\n'
            '{"id": "x.txt#0", "hash": "0123456789ab", "kind": "title", "ref": "r"}]}\n',
            2,
            "unknown kind 'title'",
        ),
        (
            '{"doc": "x.txt", "snippets": [\n{"id": "x.txt#0", "hash": "0123456789ab", "kind": "quote", "ref": "r"},\n'
            '{"id": "x.txt#0", "hash": "0123456789ab", "kind": "quote", "ref": "r"}]}\n',
            3,
            "duplicate snippet id x.txt#0 (first at line 2)",
        ),
    ],
)
def test_bad_reference_files_name_file_and_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_ref_file(path)
    assert exc.value.path == str(path) and exc.value.line == line
    assert message in exc.value.message


def test_reference_file_must_match_its_document(tmp_path: Path) -> None:
    data = json.loads((CORPUS_REF / "000_7c2f12bc5fc2e4f7.json").read_text(encoding="utf-8"))
    (tmp_path / "001_f667be46968b6bc2.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"reference of 001_f667be46968b6bc2\.txt"):
        load_for(tmp_path, "001_f667be46968b6bc2.txt")
    assert load_for(tmp_path, "002_5a8893db02065184.txt") is None
