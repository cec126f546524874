"""Glossary parsing and validation, TSV/CSV import, and the `glossary check|export|suggest` commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kp_translate import glossary
from kp_translate.cli import cli, main

from conftest import CORPUS_FR

SRC = Path(__file__).resolve().parents[1] / "src"

GOOD = """\
# a comment
[iouri-ouchakov]
type: person
target: Yuri Ushakov
source: Iouri Ouchakov
forbidden: Iouri Ouchakov
forbidden: Ouchakov
status: reviewed
note: Kremlin aide; English-language agencies transliterate Юрий Ушаков as Yuri Ushakov.

[rpdc]
type: place
target: DPRK
source: RPDC
"""


def write(tmp_path: Path, text: str | bytes, name: str = "g.kpg") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_parse_fields(tmp_path: Path) -> None:
    g = glossary.load(write(tmp_path, GOOD))
    e = g.by_id["iouri-ouchakov"]
    assert (e.type, e.target, e.sources, e.forbidden, e.status) == (
        "person",
        "Yuri Ushakov",
        ["Iouri Ouchakov"],
        ["Iouri Ouchakov", "Ouchakov"],
        "reviewed",
    )
    assert e.line == 2 and e.line_of("forbidden", "Ouchakov") == 7
    assert g.by_id["rpdc"].case_sensitive and not g.by_id["rpdc"].dnt and g.by_id["rpdc"].status == "draft"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "\n[x]\ntype: term\ntarget: Korea DPR\nsource: RPDC\n", "19: source form 'RPDC' maps to 'Korea DPR'"),
        ("[x]\ntype: term\ntarget: NATO\nsource: Otan\nforbidden: NATO\n", "5: forbidden rendering 'NATO' equals"),
        ("[x]\ntype: term\ntarget: NATO\nsource:\n", "4: empty field 'source'"),
        ("[x]\ntype: term\ntarget: NATO\nsource: Otan\ncolour: blue\n", "5: unknown field 'colour'"),
        ("[x]\ntype: term\ntarget: S\npattern: saison(s\n", "4: bad pattern 'saison(s'"),
        ("[x]\ntype: weapon\ntarget: X\nsource: Y\ndnt: yes\n", "3: 'x' is do-not-translate"),
        ("[x]\ntype: gadget\ntarget: X\nsource: Y\n", "2: unknown type 'gadget'"),
        ("[x]\ntype: term\nsource: Y\n", "1: entry 'x' has no 'target'"),
        ("type: term\n", "1: field outside an entry"),
        ("[x]\ntype: term\ntarget: A\nsource: a\n[x]\ntype: term\ntarget: A\nsource: b\n", "5: duplicate id 'x'"),
    ],
)
def test_check_reports_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    problems = [str(p) for p in glossary.check([path])]
    assert any(p.startswith(f"{path}:{expected}") for p in problems), problems


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"[x]\ntype: term\ntarget: Cor\xe9e\nsource: y\n")
    assert [str(p) for p in glossary.check([path])] == [f"{path}:3: invalid UTF-8 (byte 0xe9 at offset 26)"]


def test_cli_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, GOOD)
    result = CliRunner().invoke(cli, ["glossary", "check", str(good)])
    assert result.exit_code == 0 and "ok: 2 entries" in result.output
    bad = write(tmp_path, "[x]\ntype: term\ntarget: NATO\nsource: Otan\nforbidden: NATO\n", "bad.kpg")
    with pytest.raises(SystemExit) as exc:
        main(["glossary", "check", str(bad)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"{bad}:5: forbidden rendering 'NATO' equals the target of 'x'" in err
    assert "Traceback" not in err


def test_two_column_tsv_and_csv_import(tmp_path: Path) -> None:
    tsv = write(tmp_path, "source\ttarget\nIouri Ouchakov\tYuri Ushakov\nRPDC\tDPRK\n", "mine.tsv")
    csv_ = write(tmp_path, 'fr,en\n"Corée du Nord, la",North Korea\nPékin,Beijing\n', "mine.csv")
    g = glossary.load([tsv, csv_])
    assert [(e.sources[0], e.target) for e in g] == [
        ("Iouri Ouchakov", "Yuri Ushakov"),
        ("RPDC", "DPRK"),
        ("Corée du Nord, la", "North Korea"),
        ("Pékin", "Beijing"),
    ]
    matches = g.matcher().find("Iouri Ouchakov à Pékin")
    assert [m.entry.target for m in matches] == ["Yuri Ushakov", "Beijing"]
    bad = write(tmp_path, "a\tb\tc\n", "bad.tsv")
    assert [str(p) for p in glossary.check([bad])] == [f"{bad}:1: expected 2 columns (source, target), found 3"]


def test_export_json_from_a_tsv_glossary(tmp_path: Path) -> None:
    tsv = write(tmp_path, "Iouri Ouchakov\tYuri Ushakov\n", "mine.tsv")
    result = CliRunner().invoke(cli, ["glossary", "export", "--format", "json", "--glossary", str(tsv)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data[0]["target"] == "Yuri Ushakov" and data[0]["sources"] == ["Iouri Ouchakov"]
    assert set(data[0]) >= {"id", "type", "target", "sources", "forbidden", "dnt", "note"}


def test_export_json_to_file_is_complete(tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    result = CliRunner().invoke(cli, ["glossary", "export", "-g", str(write(tmp_path, GOOD)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == ["iouri-ouchakov", "rpdc"]
    assert data[0]["forbidden"] == ["Iouri Ouchakov", "Ouchakov"] and data[0]["dnt"] is False


def test_suggest_lists_uncovered_names_with_context(tmp_path: Path) -> None:
    g = write(tmp_path, GOOD)
    result = CliRunner().invoke(
        cli, ["glossary", "suggest", str(CORPUS_FR), "-g", str(g), "--format", "json", "--ignore", "/nonexistent"]
    )
    assert result.exit_code == 0, result.output
    rows = {r["form"]: r for r in json.loads(result.output)}
    # covered by this small glossary: not suggested
    assert "Iouri Ouchakov" not in rows and "Ouchakov" not in rows and "RPDC" not in rows
    # real names from the dossier are suggested, with counts and context
    assert rows["Hwasong-11"]["count"] == 1 and "Hwasong-11" in rows["Hwasong-11"]["example"]
    assert rows["Poutine"]["count"] >= 10
    assert "Jens Stoltenberg" in rows
    # sentence-initial common words are not names
    assert "Mais" not in rows and "Les" not in rows


def test_export_refuses_to_overwrite_or_join_the_glossary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gdir = tmp_path / "glossary"
    gdir.mkdir()
    kpg = write(gdir, GOOD, "people.kpg")
    before = kpg.read_bytes()
    monkeypatch.chdir(tmp_path)
    for target in ("glossary/people.kpg", "glossary/new.tsv"):
        with pytest.raises(SystemExit) as exc:
            main(["glossary", "export", "--format", "tsv", "-g", "glossary", "-o", target])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith(f"kp-translate: error: {target}: would ") and err.count("\n") == 1
    assert kpg.read_bytes() == before and not (gdir / "new.tsv").exists()
    assert main(["glossary", "export", "--format", "tsv", "-g", "glossary", "-o", "out.tsv"]) is None
    assert (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()[0] == "Iouri Ouchakov\tYuri Ushakov"


def test_bom_missing_paths_and_empty_dirs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bom = write(tmp_path, "\ufeff" + GOOD, "bom.kpg")
    assert len(glossary.load(bom)) == 2
    assert [str(p) for p in glossary.check([tmp_path / "nope"])] == [f"{tmp_path / 'nope'}: no such file or directory"]
    empty = tmp_path / "md"
    empty.mkdir()
    with pytest.raises(SystemExit) as exc:
        main(["glossary", "suggest", str(empty), "-g", str(bom)])
    assert exc.value.code == 2
    assert capsys.readouterr().err == f"kp-translate: error: {empty}: directory holds no .txt file\n"
    with pytest.raises(SystemExit) as exc:
        main(["glossary", "export", "-g", str(bom), "-o", "/dev/null/x.json"])
    assert exc.value.code == 2 and "Traceback" not in capsys.readouterr().err


_FORM_CHARACTERS = st.sampled_from(
    ["a", "É", "é", "-", "'", " ", " ", "\t", "\n", "\u00a0", "\u2019", "\u2011", "\u202f", "\u00ad", "\x1f", "Ω"]
)


@given(st.lists(st.text(_FORM_CHARACTERS, max_size=8), max_size=6))
@settings(max_examples=400, deadline=None)
def test_normalise_forms_equals_normalise_form_of_each(texts: list[str]) -> None:
    """The bulk path (one pass over the forms joined) gives each text's normalise_form, whatever
    white space, line break, variant or invisible character the texts hold."""
    assert glossary.normalise_forms(texts) == [glossary.normalise_form(t) for t in texts]


def test_normalise_forms_of_the_real_glossary() -> None:
    forms = [f for e in glossary.load(Path(__file__).parents[1] / "glossary") for f in e.sources]
    assert glossary.normalise_forms(forms) == [glossary.normalise_form(f) for f in forms]
    assert glossary.normalise_forms(["Kim\u00a0Jong  Un", "l\u2019Otan"]) == ["Kim Jong Un", "l'Otan"]


def test_a_new_entry_is_the_dataclass_default() -> None:
    """The parser's quick constructor gives what Entry's defaults give (it names every field by
    position: a field added or moved would fail here)."""
    made = glossary._new_entry("kim-jong-un", "people.kpg", 3)
    assert made == glossary.Entry(id="kim-jong-un", type="", target="", path="people.kpg", line=3)


def test_a_field_given_twice_is_reported_at_its_second_line_and_the_first_kept(tmp_path: Path) -> None:
    path = tmp_path / "twice.kpg"
    path.write_text(
        "[kim]\ntype: person\ntype: place\ntarget: Kim Jong Un\ntarget: Kim Jong-un\n"
        "source: Kim Jong-un\ncase: maybe\ncase: insensitive\ncase: sensitive\n",
        encoding="utf-8",
    )
    problems: list[glossary.Problem] = []
    [entry] = glossary.parse_kpg(path, problems)
    assert [(pr.line, pr.message) for pr in problems] == [
        (3, "field 'type' given twice in entry 'kim'"),
        (5, "field 'target' given twice in entry 'kim'"),
        (7, "bad value 'maybe' for 'case' (use sensitive, insensitive)"),
        (8, "field 'case' given twice in entry 'kim'"),
        (9, "field 'case' given twice in entry 'kim'"),
    ]
    assert (entry.type, entry.target, entry.case_sensitive) == ("person", "Kim Jong Un", True)
    assert [line for _, _, line in entry.fields] == [2, 4, 6, 7]  # a bad value is a field still


_CASE_CLASH = (
    "[chamber]\ntype: term\ntarget: State Duma\nsource: DOUMA\n",
    "[douma]\ntype: term\ntarget: Duma\nsource: douma\ncase: insensitive\n",
)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_a_case_insensitive_form_clashes_with_a_case_sensitive_one_in_either_order(
    tmp_path: Path, order: tuple[int, int]
) -> None:
    """'douma' in any case and the capitals 'DOUMA' are the same form: a clash whichever entry
    comes first (it was found only when the case-insensitive one came first)."""
    path = write(tmp_path, "\n".join(_CASE_CLASH[i] for i in order))
    problems = [str(p) for p in glossary.check([path])]
    assert len(problems) == 1
    later = ("source form 'DOUMA' maps to 'State Duma'", "source form 'douma' maps to 'Duma'")[order[1]]
    assert later in problems[0] and f"{path}:4)" in problems[0]


def test_the_problems_are_the_same_whatever_the_string_hash_seed(tmp_path: Path) -> None:
    """A clash names the earliest form it clashes with, in every run: the forms are compared in
    glossary order, not in the order of a set (which follows Python's randomised string hashes:
    'Kim' below was reported against 'x' in some runs and against 'y' in others)."""
    text = (
        "[x]\ntype: term\ntarget: T1\nsource: Kim\n\n"
        "[y]\ntype: term\ntarget: T2\nsource: kim\n\n"
        "[z]\ntype: term\ntarget: T3\nsource: Kim\ncase: insensitive\n"
    )
    path = write(tmp_path, text)
    code = f"from kp_translate import glossary\nfor p in glossary.check([{str(path)!r}]): print(p)\n"
    outputs = set()
    for seed in map(str, range(8)):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(SRC))
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outputs.add(run.stdout)
    assert outputs == {f"{path}:14: source form 'Kim' maps to 'T3' here but to 'T1' in 'x' ({path}:4)\n"}
