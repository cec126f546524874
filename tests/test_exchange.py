"""`glossary import`: merging translators' PO changes back into .kpg files, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kp_translate import glossary as glossary_lib
from kp_translate.cli import cli, main
from kp_translate.exchange import import_po, new_comments
from kp_translate.formats import export
from kp_translate.glossary import normalise_form

from conftest import CORPUS_FR, GLOSSARY_DIR

PEOPLE = """\
# People (test glossary)

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
target: Iouri Ouchakov
source: Iouri Ouchakov
source: Youri Ouchakov
note: Kremlin foreign-policy aide.

# indented stanza, extra spaces after ':'
[poutine]
  type: person
  target:  Vladimir Putin
  source: Vladimir Poutine
  status: draft
  comment: check the first name
"""

MEDIA = """\
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
source: République populaire démocratique de Corée
status: draft
"""


@pytest.fixture
def gdir(tmp_path: Path) -> Path:
    d = tmp_path / "glossary"
    d.mkdir()
    (d / "people.kpg").write_text(PEOPLE, encoding="utf-8")
    (d / "media.kpg").write_text(MEDIA, encoding="utf-8")
    return d


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def _export_po(gdir: Path, out: Path) -> polib.POFile:
    result = CliRunner().invoke(
        cli, ["glossary", "export", "--format", "po", "-g", str(gdir), "-o", str(out), "--corpus", str(CORPUS_FR)]
    )
    assert result.exit_code == 0, result.output
    return polib.pofile(str(out))


def _find(catalog: polib.POFile, ctx: str, msgid: str) -> polib.POEntry:
    return next(e for e in catalog if e.msgctxt == ctx and e.msgid == msgid)


def _line(path: Path, text: str) -> int:
    """1-based number of the first line of *path* equal to *text*."""
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def _run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
        raise SystemExit(0)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


# --------------------------------------------------------------------------------------------- merging


def test_translator_edits_change_exactly_the_expected_lines(gdir: Path, tmp_path: Path) -> None:
    po_path = tmp_path / "glossary.po"
    catalog = _export_po(gdir, po_path)
    for form in ("Iouri Ouchakov", "Youri Ouchakov"):
        item = _find(catalog, "iouri-ouchakov", form)
        item.msgstr = "Yuri Ushakov"
        item.flags.remove("fuzzy")
    _find(catalog, "iouri-ouchakov", "Youri Ouchakov").tcomment = "Kremlin aide since 2012"
    _find(catalog, "poutine", "Vladimir Poutine").flags.remove("fuzzy")
    _find(catalog, "kcna", "KCNA").tcomment = "keep the acronym\nno article before it"
    catalog.save(str(po_path))

    result = CliRunner().invoke(cli, ["glossary", "import", str(po_path), "-g", str(gdir)])
    assert result.exit_code == 0, result.output

    expected_people = PEOPLE.replace("target: Iouri Ouchakov\n", "target: Yuri Ushakov\n").replace(
        "note: Kremlin foreign-policy aide.\n",
        "note: Kremlin foreign-policy aide.\nstatus: reviewed\ncomment: Kremlin aide since 2012\n",
    )
    expected_people = expected_people.replace("  status: draft\n", "  status: reviewed\n")
    expected_media = MEDIA.replace(
        "dnt: yes\nstatus: reviewed\n",
        "dnt: yes\nstatus: reviewed\ncomment: keep the acronym\ncomment: no article before it\n",
    )
    assert (gdir / "people.kpg").read_text(encoding="utf-8") == expected_people
    assert (gdir / "media.kpg").read_text(encoding="utf-8") == expected_media
    lines = result.stdout.splitlines()
    people = str(gdir / "people.kpg")
    target_line = _line(gdir / "people.kpg", "target: Yuri Ushakov")
    assert f"{people}:{target_line}: [iouri-ouchakov] target: 'Iouri Ouchakov' -> 'Yuri Ushakov'" in lines
    assert any(line.endswith("[poutine] status: draft -> reviewed") for line in lines)
    assert lines[-1].startswith("changed: 3, unchanged: 2, conflicts: 0")
    # the glossary still loads and says what the translator said
    g = glossary_lib.load(gdir)
    assert g.by_id["iouri-ouchakov"].target == "Yuri Ushakov"
    assert g.by_id["iouri-ouchakov"].status == "reviewed"
    assert g.by_id["poutine"].status == "reviewed"
    assert g.by_id["kcna"].comments == ["keep the acronym", "no article before it"]

    # importing the same PO again changes nothing
    before = _snapshot(gdir)
    again = CliRunner().invoke(cli, ["glossary", "import", str(po_path), "-g", str(gdir)])
    assert again.exit_code == 0
    assert "changed: 0, unchanged: 5, conflicts: 0" in again.stdout
    assert _snapshot(gdir) == before


def test_fuzzy_on_a_reviewed_entry_makes_it_draft_and_partial_review_warns(gdir: Path, tmp_path: Path) -> None:
    po_path = tmp_path / "g.po"
    catalog = _export_po(gdir, po_path)
    _find(catalog, "kcna", "KCNA").flags.append("fuzzy")
    _find(catalog, "rpdc", "RPDC").flags.remove("fuzzy")  # the other form stays fuzzy
    catalog.save(str(po_path))
    result = CliRunner().invoke(cli, ["glossary", "import", str(po_path), "-g", str(gdir)])
    assert result.exit_code == 0, result.output
    assert (gdir / "media.kpg").read_text(encoding="utf-8") == MEDIA.replace(
        "dnt: yes\nstatus: reviewed\n", "dnt: yes\nstatus: draft\n"
    )
    assert "[rpdc] stays draft" in result.stderr


def test_long_comments_survive_polib_wrapping(tmp_path: Path) -> None:
    long = "Transliteration follows the Yonhap style guide; " * 3 + "see also Kim Jong-un and Ri Pyong-chol."
    (tmp_path / "c.kpg").write_text(
        "[ri]\ntype: person\ntarget: Ri Pyong Chol\nsource: Ri Pyong-chol\nstatus: reviewed\n"
        f"comment: {long.strip()}\n",
        encoding="utf-8",
    )
    po_path = tmp_path / "c.po"
    catalog = _export_po(tmp_path / "c.kpg", po_path)
    assert len(catalog[0].tcomment.splitlines()) > 1  # polib wrapped it
    before = (tmp_path / "c.kpg").read_bytes()
    result = import_po(po_path, [tmp_path / "c.kpg"])
    assert result.changed == [] and result.conflicts == []
    assert (tmp_path / "c.kpg").read_bytes() == before


def test_new_comments_recognises_rewrapped_comments() -> None:
    existing = ["AP writes Kim Jong Un unhyphenated", "second"]
    assert new_comments(existing, "AP writes Kim Jong\nUn unhyphenated\nsecond\nbrand new") == ["brand new"]
    assert new_comments(existing, "AP writes Kim Jong-\nUn unhyphenated") == ["AP writes Kim Jong-", "Un unhyphenated"]
    assert new_comments([], " \nnew one\n") == ["new one"]


def test_dry_run_writes_nothing(gdir: Path, tmp_path: Path) -> None:
    po_path = tmp_path / "g.po"
    catalog = _export_po(gdir, po_path)
    _find(catalog, "rpdc", "RPDC").msgstr = "North Korea"
    _find(catalog, "rpdc", "République populaire démocratique de Corée").msgstr = "North Korea"
    catalog.save(str(po_path))
    before = _snapshot(gdir)
    mtimes = {p.name: p.stat().st_mtime_ns for p in gdir.iterdir()}
    result = CliRunner().invoke(cli, ["glossary", "import", str(po_path), "-g", str(gdir), "--dry-run"])
    assert result.exit_code == 0, result.output
    media = str(gdir / "media.kpg")
    assert f"{media}:10: [rpdc] target: 'DPRK' -> 'North Korea'" in result.stdout.splitlines()
    assert "changed: 1, unchanged: 4, conflicts: 0 (dry run: nothing written)" in result.stdout
    assert _snapshot(gdir) == before
    assert {p.name: p.stat().st_mtime_ns for p in gdir.iterdir()} == mtimes
    assert sorted(p.name for p in gdir.iterdir()) == ["media.kpg", "people.kpg"]  # no temporary files left


def test_file_mode_and_line_endings_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "crlf.kpg"
    path.write_bytes(b"[a]\r\ntype: term\r\ntarget: summit\r\nsource: sommet\r\nstatus: draft")  # no final newline
    os.chmod(path, 0o640)
    po_path = tmp_path / "a.po"
    catalog = _export_po(path, po_path)
    catalog[0].msgstr = "summit meeting"
    catalog[0].flags.remove("fuzzy")
    catalog[0].tcomment = "new"
    catalog.save(str(po_path))
    result = import_po(po_path, [path])
    assert result.changed == ["a"]
    assert path.read_bytes() == (
        b"[a]\r\ntype: term\r\ntarget: summit meeting\r\nsource: sommet\r\nstatus: reviewed\r\ncomment: new"
    )
    assert os.stat(path).st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------------------------- conflicts


def test_conflicts_exit_1_with_po_lines(gdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po_path = tmp_path / "g.po"
    catalog = _export_po(gdir, po_path)
    _find(catalog, "kcna", "KCNA").msgctxt = "kcna-old"  # renamed since
    _find(catalog, "iouri-ouchakov", "Youri Ouchakov").msgid = "Yuri Ouchakov"  # not a form
    _find(catalog, "kim-jong-un", "Kim Jong-un").msgstr = "Kim Jong-Un"  # disagrees with the other form
    _find(catalog, "poutine", "Vladimir Poutine").msgstr = "Vladimir V. Putin"  # mergeable
    catalog.save(str(po_path))
    before = _snapshot(gdir)

    code, out, err = _run_main(["glossary", "import", str(po_path), "-g", str(gdir)], capsys)
    assert code == 1
    conflicts = [line for line in err.splitlines() if ": conflict:" in line]
    kcna_line = _line(po_path, 'msgctxt "kcna-old"')
    kim_line = _line(po_path, 'msgstr "Kim Jong-Un"')
    yuri_line = _line(po_path, 'msgid "Yuri Ouchakov"')
    expected = [
        f"{po_path}:{kcna_line}: conflict: [kcna-old] no glossary entry has this id",
        f"{po_path}:{kim_line}: conflict: [kim-jong-un] the forms of one entry have different targets",
        f"{po_path}:{yuri_line}: conflict: [iouri-ouchakov] msgid 'Yuri Ouchakov' is not a source form",
    ]
    assert len(conflicts) == 3
    for line, start in zip(conflicts, expected, strict=True):  # in PO line order
        assert line.startswith(start), (line, start)
    assert "changed: 1, unchanged: 1, conflicts: 3" in out
    # conflicting entries untouched, the others merged
    assert (gdir / "media.kpg").read_bytes() == before["media.kpg"]
    assert (gdir / "people.kpg").read_text(encoding="utf-8") == PEOPLE.replace(
        "  target:  Vladimir Putin\n", "  target:  Vladimir V. Putin\n"
    )


def test_dnt_and_forbidden_targets_are_conflicts(gdir: Path, tmp_path: Path) -> None:
    po_path = tmp_path / "g.po"
    catalog = _export_po(gdir, po_path)
    _find(catalog, "kcna", "KCNA").msgstr = "Korean Central News Agency"
    for form in ("Kim Jong Un", "Kim Jong-un"):
        _find(catalog, "kim-jong-un", form).msgstr = "Kim Jong-one"
    catalog.save(str(po_path))
    before = _snapshot(gdir)
    result = CliRunner().invoke(cli, ["glossary", "import", str(po_path), "-g", str(gdir)])
    assert result.exit_code == 1
    assert "do-not-translate entry" in result.stderr
    assert "forbidden rendering" in result.stderr
    assert _snapshot(gdir) == before


def test_tsv_entries_are_not_writable(tmp_path: Path) -> None:
    d = tmp_path / "g"
    d.mkdir()
    (d / "extra.tsv").write_text("Pyongyang\tPyongyang\nséoul\tSeoul\n", encoding="utf-8")
    (d / "a.kpg").write_text("[a]\ntype: term\ntarget: summit\nsource: sommet\nstatus: draft\n", encoding="utf-8")
    po_path = tmp_path / "g.po"
    catalog = _export_po(d, po_path)
    seoul = next(e for e in catalog if e.msgid == "séoul")
    seoul.msgstr = "Seoul (South Korea)"
    _find(catalog, "a", "sommet").flags.remove("fuzzy")
    catalog.save(str(po_path))
    result = CliRunner().invoke(cli, ["glossary", "import", str(po_path), "-g", str(d)])
    assert result.exit_code == 1
    assert f"[{seoul.msgctxt}] not writable" in result.stderr
    assert (d / "extra.tsv").read_text(encoding="utf-8") == "Pyongyang\tPyongyang\nséoul\tSeoul\n"
    assert (d / "a.kpg").read_text(encoding="utf-8").endswith("status: reviewed\n")


def test_merge_that_would_not_validate_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "g"
    d.mkdir()
    # "Pyongyang" is a form of two entries with the same target: a new target for one breaks that
    (d / "a.kpg").write_text("[pyongyang]\ntype: place\ntarget: Pyongyang\nsource: Pyongyang\n", encoding="utf-8")
    (d / "b.kpg").write_text(
        "[capitale]\ntype: place\ntarget: Pyongyang\nsource: Pyongyang\nsource: la capitale nord-coréenne\n",
        encoding="utf-8",
    )
    po_path = tmp_path / "g.po"
    catalog = _export_po(d, po_path)
    for item in catalog:
        if item.msgctxt == "capitale":
            item.msgstr = "the North Korean capital"
        item.flags.remove("fuzzy")
    catalog.save(str(po_path))
    before = _snapshot(d)
    code, _out, err = _run_main(["glossary", "import", str(po_path), "-g", str(d)], capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"kp-translate: error: {d / 'b.kpg'}:4: source form 'Pyongyang' maps to")
    assert "nothing written" in err
    assert _snapshot(d) == before


# --------------------------------------------------------------------------------------------- malformed PO

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
ENTRY = 'msgctxt "kcna"\nmsgid "KCNA"\nmsgstr "KCNA"\n'


def _mo_bytes(tmp_path: Path) -> bytes:
    src = tmp_path / "m.po"
    src.write_text(HEADER + 'msgctxt "kcna"\nmsgid "KCNA"\nmsgstr "KCNA (agency)"\n', encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(tmp_path / "m.mo"), str(src)], check=True)
    return (tmp_path / "m.mo").read_bytes()


MALFORMED: list[tuple[str, object, int, str]] = [
    ("unterminated", HEADER + 'msgctxt "kcna"\nmsgid "KCNA\nmsgstr "KCNA"\n', 7, "unterminated string"),
    ("quote", HEADER + 'msgctxt "kcna"\nmsgid "KC"NA"\nmsgstr "KCNA"\n', 7, "unescaped double quote"),
    ("garbage", HEADER + ENTRY + "\nhello world\n", 10, "not PO syntax"),
    (
        "no-msgstr",
        HEADER + 'msgctxt "kcna"\nmsgid "KCNA"\n\nmsgid "x"\nmsgstr "y"\n',
        9,
        "msgid at line 7 has no msgstr",
    ),
    ("polib-order", HEADER + 'msgstr "x"\n' + ENTRY, 6, "bad PO syntax"),
    ("latin1-declared", (HEADER.replace("UTF-8", "ISO-8859-1") + ENTRY).encode("latin-1"), 3, "charset 'ISO-8859-1'"),
    (
        "latin1-bytes",
        (HEADER + '# comment\nmsgctxt "kcna"\nmsgid "KCNA"\nmsgstr "Corée"\n').encode("latin-1"),
        9,
        "invalid UTF-8",
    ),
    ("no-header", ENTRY, 1, "missing PO header"),
    ("no-content-type", 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n' + ENTRY, 1, "no Content-Type"),
    ("charset-template", HEADER.replace("UTF-8", "CHARSET") + ENTRY, 3, "charset 'CHARSET'"),
    ("german", HEADER.replace("Language: en", "Language: de") + ENTRY, 4, "for language 'de'"),
    ("empty", "", 1, "empty file"),
    ("json", "JSON", 1, "JSON, not a PO file"),
    ("mo", "MO", 1, "compiled MO file"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00", 3, "binary file"),
    ("kpg", MEDIA, 1, "not PO syntax"),
    # msgfmt: "invalid control sequence"; it was merged as a literal backslash
    ("escape", HEADER + 'msgctxt "kcna"\nmsgid "KCNA"\nmsgstr "KC\\qNA"\n', 8, "msgstr: invalid escape sequence '\\q'"),
    (
        "escape-continued",
        HEADER + 'msgctxt "kcna"\nmsgid "KCNA"\nmsgstr ""\n"KCNA \\\\ ok"\n"\\\'"\n',
        10,
        "msgstr continuation: invalid escape sequence '\\''",
    ),
]


@pytest.mark.parametrize(("name", "content", "line", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_po_exit_2_one_line(
    gdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: object, line: int, message: str
) -> None:
    po_path = tmp_path / "bad.po"
    if content == "JSON":
        po_path.write_text(export(glossary_lib.load(gdir), "json"), encoding="utf-8")
    elif content == "MO":
        po_path.write_bytes(_mo_bytes(tmp_path))
    elif isinstance(content, bytes):
        po_path.write_bytes(content)
    else:
        assert isinstance(content, str)
        po_path.write_text(content, encoding="utf-8")
    before = _snapshot(gdir)
    code, _out, err = _run_main(["glossary", "import", str(po_path), "-g", str(gdir)], capsys)
    assert code == 2
    assert err.count("\n") == 1, err
    assert err.startswith(f"kp-translate: error: {po_path}:{line}: "), err
    assert message in err
    assert "Traceback" not in err
    assert _snapshot(gdir) == before


def test_a_post_editing_po_is_not_a_glossary_po(gdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the dossier PO of 'postedit export' (real articles) used to give one "conflict" per paragraph
    from kp_translate.postedit import postedit_export

    po_path = tmp_path / "dossier.po"
    po_path.write_text(postedit_export(CORPUS_FR, CORPUS_FR, glossary_lib.load(gdir)), encoding="utf-8")
    line = next(n for n, t in enumerate(po_path.read_text(encoding="utf-8").splitlines(), 1) if "X-Source-Dir" in t)
    before = _snapshot(gdir)
    code, out, err = _run_main(["glossary", "import", str(po_path), "-g", str(gdir)], capsys)
    assert code == 2 and out == ""
    assert err == (
        f"kp-translate: error: {po_path}:{line}: this is a post-editing PO (written by 'postedit export': header "
        f"X-Source-Dir), not a glossary PO: use 'kp-translate postedit import {po_path} -o DIR'\n"
    )
    assert _snapshot(gdir) == before


def test_missing_po_file(gdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run_main(["glossary", "import", str(tmp_path / "nope.po"), "-g", str(gdir)], capsys)
    assert code == 2
    assert err == f"kp-translate: error: {tmp_path / 'nope.po'}: no such file\n"


# --------------------------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("lang", ["fr", "es", "ca", "gl", "pt", "it", "eu"])
def test_real_glossary_round_trip_changes_no_byte(tmp_path: Path, lang: str) -> None:
    copy = tmp_path / "glossary"
    shutil.copytree(GLOSSARY_DIR, copy)
    before = _snapshot(copy)
    po_path = tmp_path / f"glossary.{lang}.po"
    result = CliRunner().invoke(
        cli, ["glossary", "export", "--format", "po", "--from", lang, "-g", str(copy), "-o", str(po_path)]
    )
    assert result.exit_code == 0, result.output
    catalog = polib.pofile(str(po_path))
    assert catalog.metadata["X-Source-Language"] == lang
    view = glossary_lib.load(copy).view(lang)
    assert len(catalog) == sum(len(set(e.sources)) for e in view)
    result = CliRunner().invoke(cli, ["glossary", "import", str(po_path), "-g", str(copy)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"changed: 0, unchanged: {len(view)}, conflicts: 0")
    assert _snapshot(copy) == before


def test_spanish_po_adds_source_es_lines(tmp_path: Path) -> None:
    """A Spanish translator's new forms land as `source.es:` lines: beside the entry's Spanish
    forms, or as its first Spanish forms (with the inherited ones the translator kept)."""
    copy = tmp_path / "glossary"
    shutil.copytree(GLOSSARY_DIR, copy)
    po_path = tmp_path / "glossary.es.po"
    result = CliRunner().invoke(
        cli, ["glossary", "export", "--format", "po", "--from", "es", "-g", str(copy), "-o", str(po_path)]
    )
    assert result.exit_code == 0, result.output
    catalog = polib.pofile(str(po_path))
    # north-korea has Spanish forms of its own; kim-jong-un inherits the French ones
    assert "inherited" not in _find(catalog, "north-korea", "Corea del Norte").comment
    kim = _find(catalog, "kim-jong-un", "Kim Jong-un")
    assert "inherited: no form of this language yet, these are the French forms" in kim.comment
    catalog.append(polib.POEntry(msgctxt="north-korea", msgid="Norcorea", msgstr="North Korea"))
    catalog.append(polib.POEntry(msgctxt="kim-jong-un", msgid="Kim Jong Un (Corea del Norte)", msgstr="Kim Jong Un"))
    catalog.save(str(po_path))
    result = CliRunner().invoke(cli, ["glossary", "import", str(po_path), "-g", str(copy)])
    assert result.exit_code == 0, result.output
    places = (copy / "places.kpg").read_text(encoding="utf-8")
    assert "source.es: Corea del Norte\n" in places and "source.es: Norcorea\n" in places
    loaded = glossary_lib.load(copy)
    original = glossary_lib.load(GLOSSARY_DIR)
    assert "Norcorea" in loaded.view("es").by_id["north-korea"].sources
    es_kim = loaded.view("es").by_id["kim-jong-un"].sources
    assert es_kim == [*original.by_id["kim-jong-un"].sources, "Kim Jong Un (Corea del Norte)"]
    assert loaded.by_id["kim-jong-un"].lang_sources == {"es": es_kim}
    # the other languages' views do not change
    for lang in ("fr", "it", "pt"):
        assert loaded.view(lang).version == original.view(lang).version
    # a form that is not in a French catalogue's entry is still a conflict there (a stale export)
    fr_po = tmp_path / "glossary.fr.po"
    CliRunner().invoke(cli, ["glossary", "export", "--format", "po", "-g", str(copy), "-o", str(fr_po)])
    fr = polib.pofile(str(fr_po))
    fr.append(polib.POEntry(msgctxt="kim-jong-un", msgid="Kim Jong-oun", msgstr="Kim Jong Un"))
    fr.save(str(fr_po))
    result = CliRunner().invoke(cli, ["glossary", "import", str(fr_po), "-g", str(copy)])
    assert "conflicts: 1" in result.stdout and "is not a source form of this entry any more" in result.output


def test_multi_language_csv_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "multi.csv"
    result = CliRunner().invoke(
        cli, ["glossary", "export", "--format", "multi", "-g", str(GLOSSARY_DIR), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    header = out.read_text(encoding="utf-8").split("\n", 1)[0]
    assert header == "en,fr,es,ca,gl,pt,it,eu"
    original = glossary_lib.load(GLOSSARY_DIR)
    back = glossary_lib.load(out)

    def pairs(g: glossary_lib.Glossary, lang: str) -> set[tuple[str, str]]:
        return {(form, e.target) for e in g.view(lang) for form in e.sources}

    for lang in original.languages:
        assert pairs(back, lang) == pairs(original, lang), lang
    # a two-column table whose header names the pair declares its language
    pair = tmp_path / "es-en.csv"
    pair.write_text("es,en\nSerguéi Lavrov,Sergei Lavrov\n", encoding="utf-8")
    g = glossary_lib.load(pair)
    assert [e.sources for e in g.view("es")] == [["Serguéi Lavrov"]]
    assert len(g.view("fr")) == 0


def test_a_header_may_name_its_languages_in_english(tmp_path: Path) -> None:
    """Any language kp-translate knows, by code or English name, makes a header row: the pair's
    source is that language (not the glossary's default), and a header mixing a word and a
    language is still a header, not an entry."""
    for header in ("Spanish,English", "spanish,ENGLISH", "spa,en-GB", "es-ES,English"):
        table = tmp_path / "es-en.csv"
        table.write_text(f"{header}\nSerguéi Lavrov,Sergei Lavrov\n", encoding="utf-8")
        g = glossary_lib.load(table)
        assert [e.sources for e in g.view("es")] == [["Serguéi Lavrov"]], header
        assert len(g.view("fr")) == 0, header
    for header in ("source\tEnglish", "term\ten", "Basque\ttarget"):
        table = tmp_path / "pair.tsv"
        table.write_text(f"{header}\nKim Jong-un\tKim Jong Un\n", encoding="utf-8")
        assert [(e.sources, e.target) for e in glossary_lib.load(table)] == [(["Kim Jong-un"], "Kim Jong Un")], header
    # a first row of words that name no language is an entry
    table = tmp_path / "entry.tsv"
    table.write_text("Korea\tKorea\nKim Jong-un\tKim Jong Un\n", encoding="utf-8")
    assert [e.target for e in glossary_lib.load(table)] == ["Korea", "Kim Jong Un"]


# generated glossaries: forms with accents, apostrophes, quotes, backslashes, '#', tabs; notes, dnt, draft
_ALPHABET = [*list("abcdeéèàçôœÉKJ0123456789 '’\"\\#-,;:.()[]«»%"), "\t", "\xa0"]
_VALUE = st.text(alphabet=st.sampled_from(_ALPHABET), min_size=1, max_size=24).map(str.strip).filter(bool)
_ID = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}", fullmatch=True)


@st.composite
def _glossaries(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    """A valid .kpg text (with layout variations) and a description of its entries."""
    ids = draw(st.lists(_ID, min_size=1, max_size=5, unique=True))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    used: set[str] = set()
    out: list[str] = []
    entries: list[dict[str, object]] = []
    for entry_id in ids:
        sources = []
        for form in draw(st.lists(_VALUE, min_size=1, max_size=3)):
            key = normalise_form(form).lower()
            if key not in used:
                used.add(key)
                sources.append(form)
        if not sources:
            continue
        dnt = draw(st.booleans())
        target = sources[0] if dnt else draw(_VALUE)
        assume(glossary_lib.formula_problem(target) is None)  # refused at check (CSV formula injection)
        forbidden = [f for f in draw(st.lists(_VALUE, max_size=2)) if normalise_form(f) != normalise_form(target)]
        indent = draw(st.sampled_from(["", "  ", "\t"]))
        sep = draw(st.sampled_from([": ", ":   ", " : "]))
        status = draw(st.sampled_from([None, "draft", "reviewed"]))
        note = draw(st.none() | _VALUE)
        comments = draw(st.lists(st.text(alphabet=st.sampled_from(_ALPHABET), min_size=1, max_size=100), max_size=2))
        comments = [c.strip() for c in comments if c.strip()]
        if draw(st.booleans()):
            out.append(f"# comment before {entry_id} with # and \\ {eol}")
        out.append(f"[{entry_id}]{eol}")
        lines = [("type", "person"), ("target", target)]
        lines += [("source", s) for s in sources]
        lines += [("forbidden", f) for f in forbidden]
        if dnt:
            lines.append(("dnt", "yes"))
        if status:
            lines.append(("status", status))
        if note:
            lines.append(("note", note))
        lines += [("comment", c) for c in comments]
        out.extend(f"{indent}{key}{sep}{value}{eol}" for key, value in lines)
        out.append(draw(st.sampled_from(["", eol, eol + eol])))
        entries.append({"id": entry_id, "sources": sources, "dnt": dnt, "target_line": (indent, sep, eol)})
    if not entries:
        out = [f"[x]{eol}type: term{eol}target: y{eol}source: z{eol}"]
        entries = [{"id": "x", "sources": ["z"], "dnt": False, "target_line": ("", ": ", eol)}]
    return "".join(out), entries


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_glossaries())
def test_round_trip_generated_glossaries(data: tuple[str, list[dict[str, object]]]) -> None:
    text, entries = data
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "g"
        d.mkdir()
        path = d / "gen.kpg"
        path.write_bytes(text.encode("utf-8"))
        loaded, problems = glossary_lib.parse([d])
        assert problems == [], [str(p) for p in problems]
        po_path = Path(tmp) / "gen.po"
        po_path.write_text(export(loaded, "po"), encoding="utf-8")
        assert len(polib.pofile(str(po_path))) == sum(len(e["sources"]) for e in entries)  # type: ignore[arg-type]
        result = import_po(po_path, [d])
        assert result.changed == [] and result.conflicts == [], [str(c) for c in result.conflicts]
        assert path.read_bytes() == text.encode("utf-8")

        # one target edited: exactly that entry's target line changes (a dnt entry: conflict, no change)
        first = entries[0]
        new_target = 'Edited "target" é\\'
        catalog = polib.pofile(str(po_path))
        for item in catalog:
            if item.msgctxt == first["id"]:
                item.msgstr = new_target
        catalog.save(str(po_path))
        result = import_po(po_path, [d])
        assert [c.entry_id for c in result.conflicts] == ([first["id"]] if first["dnt"] else [])
        expected_lines = text.splitlines(keepends=True)
        if not first["dnt"]:
            indent, sep, eol = first["target_line"]  # type: ignore[misc]
            expected_lines[loaded.by_id[str(first["id"])].line_of("target") - 1] = (
                f"{indent}target{sep}{new_target}{eol}"
            )
            assert glossary_lib.load(d).by_id[str(first["id"])].target == new_target
        assert path.read_bytes() == "".join(expected_lines).encode("utf-8")
