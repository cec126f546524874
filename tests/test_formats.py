"""Glossary export formats: PO/POT (gettext), TBX-Basic, TSV/CSV."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kp_translate import glossary as glossary_lib
from kp_translate.cli import cli, main
from kp_translate.errors import InputError
from kp_translate.formats import export
from kp_translate.formats import po as po_format
from kp_translate.formats import tbx as tbx_format
from kp_translate.glossary import Entry, Glossary, normalise_form
from kp_translate.segment import read_document

from conftest import CORPUS_FR, GLOSSARY_DIR

SAMPLE = """\
# test glossary
[kim-jong-un]
type: person
target: Kim Jong Un
source: Kim Jong Un
source: Kim Jong-un
forbidden: Kim Jong-one
status: reviewed
note: AP and Reuters write the name unhyphenated.

[iouri-ouchakov]
type: person
target: Yuri Ushakov
source: Iouri Ouchakov
note: Kremlin foreign-policy aide.
comment: first translator comment

[kcna]
type: media
target: KCNA
source: KCNA
dnt: yes
status: reviewed

[rpdc]
type: place
target: DPRK
source: RPDC
pattern: R\\.?P\\.?D\\.?C\\.?
forbidden: RPDC
status: draft

[3m]
type: organisation
target: 3M
source: 3M
case: insensitive
status: reviewed

[kim-surname]
type: person
target: Kim
source: Kim
status: reviewed
"""

CORPUS = {
    "a.txt": "Kim Jong Un arrive.\n\nLa RPDC et KCNA.\n\nIouri Ouchakov et Kim Jong-un.\n",
    "b.txt": " date 2024-06 Kim parle à KCNA.\n\nRien ici.\n",
}


def _write_sample(tmp_path: Path) -> tuple[Path, Path]:
    gdir = tmp_path / "glossary"
    gdir.mkdir()
    (gdir / "sample.kpg").write_text(SAMPLE, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in CORPUS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return gdir, corpus


def _export(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["glossary", "export", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _msgfmt(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "--check-format", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )


# --------------------------------------------------------------------------------------------- PO


def test_po_entries_per_source_form(tmp_path: Path) -> None:
    gdir, corpus = _write_sample(tmp_path)
    out = tmp_path / "g.po"
    _export(["-g", str(gdir), "--format", "po", "-o", str(out), "--corpus", str(corpus)])
    catalog = polib.pofile(str(out))
    got = {(e.msgctxt, e.msgid): e for e in catalog}
    assert sorted(got) == sorted(
        [
            ("kim-jong-un", "Kim Jong Un"),
            ("kim-jong-un", "Kim Jong-un"),
            ("iouri-ouchakov", "Iouri Ouchakov"),
            ("kcna", "KCNA"),
            ("rpdc", "RPDC"),
            ("3m", "3M"),
            ("kim-surname", "Kim"),
        ]
    )
    kim = got["kim-jong-un", "Kim Jong-un"]
    assert kim.msgstr == "Kim Jong Un"
    assert "fuzzy" not in kim.flags
    assert "forbidden (en): Kim Jong-one" in kim.comment.splitlines()
    assert "variants: Kim Jong Un" in kim.comment.splitlines()
    assert "note: AP and Reuters write the name unhyphenated." in kim.comment.splitlines()
    # where the forms occur, as file:paragraph (paragraph 2 of a.txt holds "Kim Jong-un")
    assert kim.occurrences == [("a.txt", "2")]
    assert got["kim-jong-un", "Kim Jong Un"].occurrences == [("a.txt", "0")]
    # "Kim" alone occurs only in b.txt (inside the metadata-prefixed first paragraph)
    assert got["kim-surname", "Kim"].occurrences == [("b.txt", "0")]
    assert got["kcna", "KCNA"].occurrences == [("a.txt", "1"), ("b.txt", "0")]
    assert "do not translate: keep the form as is" in got["kcna", "KCNA"].comment
    # draft and entries without status are fuzzy; translator comments come from comment: fields
    assert "fuzzy" in got["rpdc", "RPDC"].flags
    assert "fuzzy" in got["iouri-ouchakov", "Iouri Ouchakov"].flags
    assert got["iouri-ouchakov", "Iouri Ouchakov"].tcomment == "first translator comment"
    assert "patterns (regex, not translatable): R\\.?P\\.?D\\.?C\\.?" in got["rpdc", "RPDC"].comment
    assert "case-insensitive" in got["3m", "3M"].comment
    meta = catalog.metadata
    assert meta["Language"] == "en"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d\+0000", meta["POT-Creation-Date"])
    assert meta["Project-Id-Version"]
    result = _msgfmt(out)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_pot_has_no_targets(tmp_path: Path) -> None:
    gdir, _ = _write_sample(tmp_path)
    out = tmp_path / "g.pot"
    _export(["-g", str(gdir), "--format", "pot", "--lang", "ru", "-o", str(out)])
    catalog = polib.pofile(str(out))
    assert len(catalog) == 7
    assert all(e.msgstr == "" and not e.flags for e in catalog)
    assert catalog.metadata["Language"] == "ru"
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=3;")
    kim = next(e for e in catalog if e.msgid == "Kim Jong-un")
    assert "en: Kim Jong Un" in kim.comment.splitlines()
    result = _msgfmt(out)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_homographs_stay_apart(tmp_path: Path) -> None:
    # one French form in two entries (same target, so the glossary is valid): two PO messages
    (tmp_path / "h.kpg").write_text(
        "[sommet-a]\ntype: event\ntarget: summit\nsource: sommet\nstatus: reviewed\n\n"
        "[sommet-b]\ntype: term\ntarget: summit\nsource: sommet\nsource: Sommet\nstatus: reviewed\n",
        encoding="utf-8",
    )
    out = tmp_path / "h.po"
    _export(["-g", str(tmp_path / "h.kpg"), "--format", "po", "-o", str(out)])
    catalog = polib.pofile(str(out))
    assert [(e.msgctxt, e.msgid) for e in catalog] == [
        ("sommet-a", "sommet"),
        ("sommet-b", "sommet"),
        ("sommet-b", "Sommet"),
    ]
    assert _msgfmt(out).returncode == 0


def test_real_glossary_po_passes_msgfmt(tmp_path: Path) -> None:
    out = tmp_path / "glossary.po"
    _export(["-g", str(GLOSSARY_DIR), "--format", "po", "-o", str(out), "--corpus", str(CORPUS_FR)])
    result = _msgfmt(out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    real = glossary_lib.load(GLOSSARY_DIR)
    forms = {(e.id, s) for e in real for s in e.sources}
    catalog = polib.pofile(str(out))
    assert len(catalog) == len(forms)
    assert {(e.msgctxt, e.msgid) for e in catalog} == forms
    by_id = real.by_id
    for item in catalog:
        entry = by_id[item.msgctxt]
        assert item.msgstr == entry.target
        assert ("fuzzy" in item.flags) == (entry.status != "reviewed")
    # every reference names a paragraph that really holds the form (typography folded)
    docs = {p.name: read_document(p) for p in CORPUS_FR.glob("*.txt")}
    checked = 0
    for item in catalog:
        entry = by_id[item.msgctxt]
        for name, para in item.occurrences:
            text = normalise_form(docs[name].paragraphs[int(para)].text)
            form = normalise_form(item.msgid)
            assert (form in text) if entry.case_sensitive else (form.lower() in text.lower()), (item.msgid, name)
            checked += 1
    assert checked > 50
    kim = next(e for e in catalog if e.msgctxt == "kim-jong-un" and e.msgid == "Kim Jong Un")
    assert kim.occurrences, "Kim Jong Un occurs in the dossier"


PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.mark.parametrize(
    ("escape", "decoded"),
    [
        ("\\n", "\n"),
        ("\\t", "\t"),
        ("\\r", "\r"),
        ('\\"', '"'),
        ("\\\\", "\\"),
        ("\\q", None),  # msgfmt: invalid control sequence
        ("\\'", None),  # likewise
        ("\\?", None),
        ("\\x41", None),  # msgfmt reads 'A'; polib would keep the four characters
        ("\\101", None),
        ("\\a", None),
    ],
)
def test_po_reader_escapes(tmp_path: Path, escape: str, decoded: str | None) -> None:
    path = tmp_path / "t.po"
    path.write_text(PO_HEADER + f'msgctxt "kcna"\nmsgid "KCNA"\nmsgstr ""\n"KC{escape}NA"\n', encoding="utf-8")
    if decoded is not None:
        [item] = po_format.read(path).entries
        assert item.msgstr == f"KC{decoded}NA"
        assert _msgfmt(path).returncode == 0
        return
    with pytest.raises(InputError) as exc:
        po_format.read(path)
    assert (exc.value.path, exc.value.line) == (str(path), 8)
    assert "msgstr continuation: " in exc.value.message and f"'{escape}'" in exc.value.message
    if escape in ("\\q", "\\'", "\\?"):
        assert "invalid control sequence" in _msgfmt(path).stderr


# --------------------------------------------------------------------------------------------- TBX


def _ns(tag: str) -> str:
    return f"{{{tbx_format.NS}}}{tag}"


def test_tbx_structure_and_statuses(tmp_path: Path) -> None:
    gdir, _ = _write_sample(tmp_path)
    text = _export(["-g", str(gdir), "--format", "tbx"])
    assert tbx_format.validate(text) == []
    root = ET.fromstring(text)
    assert root.tag == _ns("tbx") and root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    concepts = {c.get("id"): c for c in root.iter(_ns("conceptEntry"))}
    assert list(concepts) == ["kim-jong-un", "iouri-ouchakov", "kcna", "rpdc", "_3m", "kim-surname"]

    def terms(cid: str, lang: str) -> list[tuple[str, str]]:
        out = []
        for sec in concepts[cid].findall(_ns("langSec")):
            if sec.get(tbx_format.XML_LANG) != lang:
                continue
            for ts in sec.findall(_ns("termSec")):
                status = next(n.text for n in ts.findall(_ns("termNote")) if n.get("type") == "administrativeStatus")
                out.append((ts.findtext(_ns("term")), status))
        return out

    assert terms("kim-jong-un", "en") == [
        ("Kim Jong Un", "preferredTerm-admn-sts"),
        ("Kim Jong-one", "deprecatedTerm-admn-sts"),
    ]
    assert terms("kim-jong-un", "fr") == [
        ("Kim Jong Un", "preferredTerm-admn-sts"),
        ("Kim Jong-un", "admittedTerm-admn-sts"),
    ]
    notes = [n.text for n in concepts["kcna"].findall(_ns("note"))]
    assert "translation needed: no" in notes
    assert "translation needed: no" not in [n.text for n in concepts["rpdc"].findall(_ns("note"))]
    assert "status: draft" in [n.text for n in concepts["rpdc"].findall(_ns("note"))]


def test_tbx_reader_round_trip(tmp_path: Path) -> None:
    gdir, _ = _write_sample(tmp_path)
    for source in (gdir, GLOSSARY_DIR):
        loaded = glossary_lib.load(source)
        path = tmp_path / "g.tbx"
        path.write_text(export(loaded, "tbx"), encoding="utf-8")
        back = tbx_format.read(path)
        assert [e.to_dict() for e in back] == [_tbx_view(e) for e in loaded]


def _tbx_view(entry: Entry) -> dict[str, object]:
    # TBX holds each term once per language, and not the country and short forms of a .kpg entry
    view = entry.to_dict()
    view.pop("country", None)
    view.pop("short", None)
    view["sources"] = list(dict.fromkeys(entry.sources))
    view["forbidden"] = list(dict.fromkeys(entry.forbidden))
    return view


def test_real_glossary_tbx_is_valid() -> None:
    text = export(glossary_lib.load(GLOSSARY_DIR), "tbx")
    assert tbx_format.validate(text) == []
    root = ET.fromstring(text)
    real = glossary_lib.load(GLOSSARY_DIR)
    assert len(list(root.iter(_ns("conceptEntry")))) == len(real)
    deprecated = sum(
        1
        for note in root.iter(_ns("termNote"))
        if note.get("type") == "administrativeStatus" and note.text == "deprecatedTerm-admn-sts"
    )
    assert deprecated == sum(len(set(e.forbidden)) for e in real)
    dnt_notes = sum(1 for note in root.iter(_ns("note")) if note.text == "translation needed: no")
    assert dnt_notes == sum(1 for e in real if e.dnt) > 0


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (lambda t: t.replace("preferredTerm-admn-sts", "bestTerm", 1), "administrativeStatus value 'bestTerm'"),
        (lambda t: t.replace("properNoun", "name", 1), "partOfSpeech value 'name'"),
        (lambda t: t.replace(">variant<", ">alias<", 1), "termType value 'alias'"),
        (lambda t: t.replace('type="TBX-Basic"', 'type="TBX-Default"'), "expected 'TBX-Basic'"),
        (lambda t: t.replace('id="kim-jong-un"', 'id="1kim"'), "not a valid XML id"),
        (lambda t: t.replace('id="kcna"', 'id="kim-jong-un"'), "duplicate <conceptEntry> id"),
        (lambda t: re.sub(r"<term>Kim Jong Un</term>", "", t, count=1), "must start with <term>"),
        (
            lambda t: t.replace("<note>type: person</note>", '<termNote type="partOfSpeech">noun</termNote>', 1),
            "not allowed in <conceptEntry>",
        ),
        (
            lambda t: t.replace("<note>type: person</note>", '<descrip type="context">x</descrip>', 1),
            "not allowed in <conceptEntry>",
        ),
        (
            lambda t: t.replace("<note>type: person</note>", '<descrip type="usage">x</descrip>', 1),
            "not a TBX-Basic data category",
        ),
        (lambda t: t.replace("<sourceDesc>", "<notes>").replace("</sourceDesc>", "</notes>"), "no <sourceDesc>"),
        (lambda t: t.replace('<langSec xml:lang="en">', "<langSec>", 1), "without xml:lang"),
        (lambda t: t.replace("</body>", "<body>", 1), "not well-formed"),
        (lambda t: t.replace(tbx_format.NS, "urn:example"), "expected <tbx>"),
    ],
)
def test_tbx_checker_rejects(tmp_path: Path, mutation: object, message: str) -> None:
    gdir, _ = _write_sample(tmp_path)
    text = export(glossary_lib.load(gdir), "tbx")
    assert tbx_format.validate(text) == []
    assert callable(mutation)
    bad = mutation(text)
    assert bad != text
    problems = tbx_format.validate(bad)
    assert any(message in p for p in problems), problems


def test_tbx_refuses_characters_xml_cannot_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.kpg"
    path.write_text("[x]\ntype: term\ntarget: bell\nsource: clo\x07che\n", encoding="utf-8")
    out = tmp_path / "c.tbx"
    with pytest.raises(SystemExit) as exc:
        main(["glossary", "export", "-g", str(path), "--format", "tbx", "-o", str(out)])
    assert exc.value.code == 2
    assert capsys.readouterr().err == (
        f"kp-translate: error: {path}:4: 'source' holds U+0007, which XML (TBX) cannot carry\n"
    )
    assert not out.exists()


# --------------------------------------------------------------------------------------------- TSV/CSV


def _pairs(entries: list[Entry]) -> list[tuple[str, str]]:
    return [(e.sources[0], e.target) for e in entries]


def _expected_pairs(glossary: Glossary) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for e in glossary:
        for s in e.sources:
            if s not in seen:
                seen[s] = e.target
    return list(seen.items())


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_table_round_trip_real_glossary(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"real.{fmt}"
    _export(["-g", str(GLOSSARY_DIR), "--format", fmt, "-o", str(out)])
    loaded, problems = glossary_lib.parse([out])
    assert problems == []
    real = glossary_lib.load(GLOSSARY_DIR)
    assert _pairs(loaded.entries) == _expected_pairs(real)
    first = out.read_text(encoding="utf-8").splitlines()[0]
    kim = "Kim Jong Un\tKim Jong Un" if fmt == "tsv" else "Kim Jong Un,Kim Jong Un"
    assert kim in out.read_text(encoding="utf-8").splitlines()
    assert first.lower() not in ("source\ttarget", "source,target")  # no header row by default


def test_table_quoting(tmp_path: Path) -> None:
    (tmp_path / "q.kpg").write_text(
        '[a]\ntype: term\ntarget: the "Juche" idea\nsource: "Juche"\n\n'
        "[b]\ntype: term\ntarget: Hwasong-11, a missile\nsource: Hwasong-11; KN-23\n\n"
        "[c]\ntype: term\ntarget: source\nsource: target\n",
        encoding="utf-8",
    )
    g = glossary_lib.load(tmp_path / "q.kpg")
    tsv = export(g, "tsv")
    assert tsv.splitlines() == [
        '"""Juche"""\tthe "Juche" idea',
        "Hwasong-11; KN-23\tHwasong-11, a missile",
        "target\tsource",
    ]
    csv_text = export(g, "csv")
    assert csv_text.splitlines()[1] == 'Hwasong-11; KN-23,"Hwasong-11, a missile"'
    for fmt, text in (("tsv", tsv), ("csv", csv_text)):
        path = tmp_path / f"q.{fmt}"
        path.write_text(text, encoding="utf-8")
        loaded, problems = glossary_lib.parse([path])
        assert problems == []
        assert _pairs(loaded.entries) == [
            ('"Juche"', 'the "Juche" idea'),
            ("Hwasong-11; KN-23", "Hwasong-11, a missile"),
            ("target", "source"),
        ]


_CELL = (
    st.one_of(
        st.sampled_from(["source", "target", "fr", "en", "Kim Jong-un", "RPDC", "d'Extrême-Orient"]),
        st.text(
            alphabet=st.sampled_from([*list("abcéèçÉ ;,\"'’\\#:\t-«»[]"), "\xa0"]),
            min_size=1,
            max_size=12,
        ),
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(_CELL, _CELL), min_size=1, max_size=6, unique_by=lambda p: p[0]))
def test_table_round_trip_property(tmp_path: Path, pairs: list[tuple[str, str]]) -> None:
    # targets a spreadsheet would run as formulas are refused (tests/test_security.py)
    assume(not any(glossary_lib.formula_problem(t) for _, t in pairs))
    entries = [Entry(id=f"e{i}", type="term", target=t, sources=[s]) for i, (s, t) in enumerate(pairs)]
    g = Glossary(entries)
    for fmt in ("tsv", "csv"):
        path = tmp_path / f"p.{fmt}"
        path.write_text(export(g, fmt), encoding="utf-8")
        loaded, problems = glossary_lib.parse([path])
        assert problems == [], (fmt, path.read_text(encoding="utf-8"))
        assert _pairs(loaded.entries) == pairs, (fmt, path.read_text(encoding="utf-8"))
