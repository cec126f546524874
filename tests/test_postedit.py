"""`postedit export` / `postedit import`: the translated dossier as PO for post-editors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from kp_translate.cli import cli, main
from kp_translate.segment import read_document

from conftest import CORPUS_FR, DOSSIER_FILES, GLOSSARY_DIR

MARK = "[EN] "
GLOSSARY = """\
[kim-jong-un]
type: person
target: Kim Jong Un
source: Kim Jong Un
source: Kim Jong-un
forbidden: Kim Jong-one
status: reviewed

[poutine]
type: person
target: Vladimir Putin
source: Vladimir Poutine
status: reviewed

[pyongyang]
type: place
target: Pyongyang
source: Pyongyang
dnt: yes
status: reviewed
"""


@pytest.fixture
def dossier(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(French dir, machine translation dir, glossary file): the real dossier, a fake MT that
    prefixes every French paragraph with a marker (same file names, same layout)."""
    fr = tmp_path / "corpus" / "fr"
    shutil.copytree(CORPUS_FR, fr, ignore=shutil.ignore_patterns("*.json"))
    mt = tmp_path / "out" / "mt"
    mt.mkdir(parents=True)
    for path in DOSSIER_FILES:
        doc = read_document(path)
        (mt / path.name).write_text(doc.join([MARK + p.text for p in doc.paragraphs]), encoding="utf-8")
    glossary = tmp_path / "g.kpg"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    return fr, mt, glossary


def _export(fr: Path, mt: Path, glossary: Path, out: Path) -> polib.POFile:
    result = CliRunner().invoke(
        cli, ["postedit", "export", str(fr), "--translations", str(mt), "-g", str(glossary), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return polib.pofile(str(out))


def _run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
        raise SystemExit(0)
    code = exc.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err


def test_export_one_fuzzy_entry_per_paragraph(dossier: tuple[Path, Path, Path], tmp_path: Path) -> None:
    fr, mt, glossary = dossier
    po_path = tmp_path / "dossier.po"
    catalog = _export(fr, mt, glossary, po_path)
    docs = {p.name: read_document(p) for p in DOSSIER_FILES}
    assert len(catalog) == sum(len(d.paragraphs) for d in docs.values())
    for item in catalog:
        name, _, index = item.msgctxt.partition("#")
        para = docs[name].paragraphs[int(index)]
        assert item.msgid == para.text
        assert item.msgstr == MARK + para.text
        assert item.flags == ["fuzzy"]
        assert item.occurrences == [(name, index)]
        # every glossary term of the paragraph is listed with its required English
        if "Kim Jong Un" in para.text:
            assert "term: Kim Jong Un -> Kim Jong Un (not: Kim Jong-one)" in item.comment.splitlines()
        if "Vladimir Poutine" in para.text:
            assert "term: Vladimir Poutine -> Vladimir Putin" in item.comment.splitlines()
        if "Pyongyang" in para.text:
            assert "term: Pyongyang -> Pyongyang (do not translate)" in item.comment.splitlines()
        if not any(t in para.text for t in ("Kim Jong", "Poutine", "Pyongyang")):
            assert "term:" not in (item.comment or "")
    assert any("Vladimir Poutine" in e.msgid for e in catalog)
    # the metadata prefix of 002 is layout, mentioned but not translatable
    first = next(e for e in catalog if e.msgctxt == "002_5a8893db02065184.txt#0")
    assert not first.msgid.startswith("date")
    assert "kept as is before the paragraph: 'date 2023-09'" in first.comment
    assert catalog.metadata["X-Source-Dir"] == str(fr)
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_export_uses_the_real_glossary(dossier: tuple[Path, Path, Path], tmp_path: Path) -> None:
    fr, mt, _ = dossier
    catalog = _export(fr, mt, GLOSSARY_DIR, tmp_path / "d.po")
    para = next(e for e in catalog if "Kim Jong Un" in e.msgid)
    assert any(line.startswith("term: Kim Jong Un -> Kim Jong Un") for line in para.comment.splitlines())


def test_import_writes_post_edited_files(dossier: tuple[Path, Path, Path], tmp_path: Path) -> None:
    fr, mt, glossary = dossier
    po_path = tmp_path / "dossier.po"
    catalog = _export(fr, mt, glossary, po_path)
    edits = {
        "000_7c2f12bc5fc2e4f7.txt#0": "Russia and North Korea: Putin and Kim want to support each other",
        "002_5a8893db02065184.txt#0": "After the handshakes, the outcome of the talks remained hidden.",
        "004_46b32e6b4071c38d.txt#3": "A paragraph\nwith a line break inside.",
    }
    for item in catalog:
        if item.msgctxt in edits:
            item.msgstr = edits[item.msgctxt]
            item.flags.remove("fuzzy")
    catalog.save(str(po_path))
    out = tmp_path / "out" / "en"
    result = CliRunner().invoke(cli, ["postedit", "import", str(po_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    total = sum(len(read_document(p).paragraphs) for p in DOSSIER_FILES)
    assert result.stdout.strip() == (
        f"wrote 5 file(s) to {out}: {total} paragraphs (3 post-edited, {total - 3} still fuzzy, 0 kept from the source)"
    )
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in DOSSIER_FILES]
    for path in DOSSIER_FILES:
        french = read_document(path)
        english = read_document(out / path.name)
        assert len(english.paragraphs) == len(french.paragraphs)
        expected = [edits.get(p.id, MARK + p.text) for p in french.paragraphs]
        assert [p.text for p in english.paragraphs] == expected
        # same layout: the file is the French one with each paragraph replaced
        assert (out / path.name).read_text(encoding="utf-8") == french.join(expected)
    text = (out / "002_5a8893db02065184.txt").read_text(encoding="utf-8")
    assert text.startswith(" date 2023-09 After the handshakes")


def test_empty_and_missing_paragraphs_keep_the_french(dossier: tuple[Path, Path, Path], tmp_path: Path) -> None:
    fr, mt, glossary = dossier
    po_path = tmp_path / "dossier.po"
    catalog = _export(fr, mt, glossary, po_path)
    emptied = next(e for e in catalog if e.msgctxt == "001_f667be46968b6bc2.txt#2")
    emptied.msgstr = ""
    catalog.remove(next(e for e in catalog if e.msgctxt == "003_e2dc28380de3b692.txt#4"))
    catalog.save(str(po_path))
    out = tmp_path / "en"
    result = CliRunner().invoke(cli, ["postedit", "import", str(po_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = po_path.read_text(encoding="utf-8").splitlines()
    start = lines.index('msgctxt "001_f667be46968b6bc2.txt#2"')
    empty_line = next(n for n in range(start, len(lines)) if lines[n] == 'msgstr ""') + 1
    assert f"{po_path}:{empty_line}: warning: empty msgstr for 001_f667be46968b6bc2.txt#2" in result.stderr
    assert "003_e2dc28380de3b692.txt#4 is not in the PO" in result.stderr
    assert "2 kept from the source" in result.stdout
    p001 = read_document(CORPUS_FR / "001_f667be46968b6bc2.txt").paragraphs[2].text
    assert read_document(out / "001_f667be46968b6bc2.txt").paragraphs[2].text == p001
    p003 = read_document(CORPUS_FR / "003_e2dc28380de3b692.txt").paragraphs[4].text
    assert read_document(out / "003_e2dc28380de3b692.txt").paragraphs[4].text == p003


def test_import_source_is_corpus_fr_or_the_option(dossier: tuple[Path, Path, Path], tmp_path: Path) -> None:
    fr, mt, glossary = dossier
    po_path = tmp_path / "dossier.po"
    _export(fr, mt, glossary, po_path)
    text = po_path.read_text(encoding="utf-8").replace(f'"X-Source-Dir: {fr}\\n"', '"X-Source-Dir: corpus/fr\\n"')
    po_path.write_text(text, encoding="utf-8")
    out = tmp_path / "en"
    result = CliRunner().invoke(cli, ["postedit", "import", str(po_path), "-o", str(out)])
    assert result.exit_code == 0, result.output  # corpus/fr of the working directory (the repository)
    moved = tmp_path / "elsewhere" / "dossier.po"
    moved.parent.mkdir()
    shutil.move(po_path, moved)
    result = CliRunner().invoke(cli, ["postedit", "import", str(moved), "-o", str(out), "--source", str(fr)])
    assert result.exit_code == 0, result.output
    # --src, as on score and check (--source stays an alias)
    result = CliRunner().invoke(cli, ["postedit", "import", str(moved), "-o", str(tmp_path / "en2"), "--src", str(fr)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "en2" / DOSSIER_FILES[0].name).read_bytes() == (out / DOSSIER_FILES[0].name).read_bytes()


def _po_with(tmp_path: Path, dossier: tuple[Path, Path, Path], change: str) -> tuple[Path, int]:
    fr, mt, glossary = dossier
    po_path = tmp_path / "dossier.po"
    catalog = _export(fr, mt, glossary, po_path)
    target = next(e for e in catalog if e.msgctxt == "001_f667be46968b6bc2.txt#1")
    if change == "msgid":
        target.msgid = "Un autre texte."
    elif change == "blank-line":
        target.msgstr = "First part.\n\nSecond part."
    elif change == "file":
        target.msgctxt = "999_missing.txt#1"
    elif change == "index":
        target.msgctxt = "001_f667be46968b6bc2.txt#99"
    elif change == "ctxt":
        target.msgctxt = "paragraph one"
    elif change == "twice":
        target.msgctxt = "001_f667be46968b6bc2.txt#0"
    catalog.save(str(po_path))
    lines = po_path.read_text(encoding="utf-8").splitlines()
    keyword = {"msgid": "msgid", "blank-line": "msgstr"}.get(change, "msgctxt")
    start = lines.index(f'msgctxt "{target.msgctxt}"')
    if change == "twice":  # the error names the second entry
        start = lines.index(f'msgctxt "{target.msgctxt}"', start + 1)
    line = next(n for n in range(start, len(lines)) if lines[n].startswith(keyword)) + 1
    return po_path, line


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("msgid", "msgid is not paragraph 001_f667be46968b6bc2.txt#1"),
        ("blank-line", "holds a blank line"),
        ("file", "no document 999_missing.txt"),
        ("index", "has 16 paragraphs: no paragraph 99"),
        ("ctxt", "is not a paragraph id"),
        ("twice", "given twice"),
    ],
)
def test_import_errors_exit_2_and_write_nothing(
    dossier: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str, message: str
) -> None:
    po_path, line = _po_with(tmp_path, dossier, change)
    out = tmp_path / "en"
    code, err = _run_main(["postedit", "import", str(po_path), "-o", str(out), "--src", str(dossier[0])], capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"kp-translate: error: {po_path}:{line}: "), err
    assert message in err
    assert not out.exists()


def test_export_errors(dossier: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fr, mt, glossary = dossier
    broken = mt / "003_e2dc28380de3b692.txt"
    doc = read_document(broken)
    broken.write_text(doc.join([p.text for p in doc.paragraphs[:-2]] + ["x\n\ny", "z"]), encoding="utf-8")
    # one paragraph more than the French: refused, naming the translation file
    argv = ["postedit", "export", str(fr), "-t", str(mt), "-g", str(glossary), "-o", str(tmp_path / "d.po")]
    code, err = _run_main(argv, capsys)
    assert code == 2
    assert err.startswith(f"kp-translate: error: {broken}: 28 paragraphs, but ")
    assert not (tmp_path / "d.po").exists()
    broken.unlink()
    code, err = _run_main(argv, capsys)
    assert code == 2
    assert "no translation of 003_e2dc28380de3b692.txt" in err


def _exit_code(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def test_score_and_check_accept_the_imported_files(
    dossier: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fr, mt, glossary = dossier
    po_path = tmp_path / "dossier.po"
    _export(fr, mt, glossary, po_path)
    out = tmp_path / "en"
    assert _exit_code(["postedit", "import", str(po_path), "-o", str(out)]) == 0
    assert _exit_code(["score", "--hyp", str(out), "--src", str(fr), "-g", str(glossary)]) == 0
    # check may fail its quality gates on this fake translation (1), but must not reject the input (2)
    assert _exit_code(["check", str(out), "--src", str(fr), "-g", str(glossary)]) in (0, 1)
    assert "error:" not in capsys.readouterr().err


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("fr", "would overwrite the source"),
        ("fr/en", "would write inside the source"),
        ("po-dir", "would overwrite the PO file"),
    ],
)
def test_import_never_writes_over_the_french(
    dossier: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, message: str
) -> None:
    # 'postedit import dossier.po -o corpus/fr' replaced the French articles with English
    fr, mt, glossary = dossier
    po_dir = tmp_path / "po"
    po_dir.mkdir()
    po_path = po_dir / DOSSIER_FILES[0].name  # a PO file named like a document: -o po-dir would replace it
    _export(fr, mt, glossary, po_path)
    po_bytes = po_path.read_bytes()
    before = _snapshot(fr)
    out = po_dir if output == "po-dir" else tmp_path / "corpus" / output
    code, err = _run_main(["postedit", "import", str(po_path), "-o", str(out), "--src", str(fr)], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("kp-translate: error: ") and message in err
    assert _snapshot(fr) == before and po_path.read_bytes() == po_bytes
    assert not (fr / "en").exists()


def test_export_never_writes_over_its_inputs(
    dossier: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fr, mt, glossary = dossier
    for output, message in [
        (fr / DOSSIER_FILES[0].name, "would write inside the source"),
        (mt / DOSSIER_FILES[0].name, "would write inside the translations"),
        (glossary, "would overwrite the glossary"),
    ]:
        before = output.read_bytes()
        argv = ["postedit", "export", str(fr), "-t", str(mt), "-g", str(glossary), "-o", str(output)]
        code, err = _run_main(argv, capsys)
        assert code == 2 and err.count("\n") == 1, err
        assert err.startswith(f"kp-translate: error: {output}: {message} (")
        assert output.read_bytes() == before


def test_import_refuses_a_glossary_po(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po_path = tmp_path / "glossary.po"
    result = CliRunner().invoke(
        cli, ["glossary", "export", "--format", "po", "-g", str(GLOSSARY_DIR), "-o", str(po_path)]
    )
    assert result.exit_code == 0, result.output
    line = next(
        n for n, t in enumerate(po_path.read_text(encoding="utf-8").splitlines(), 1) if "X-Glossary-Version" in t
    )
    out = tmp_path / "en"
    code, err = _run_main(["postedit", "import", str(po_path), "-o", str(out), "--src", str(CORPUS_FR)], capsys)
    assert code == 2
    assert err == (
        f"kp-translate: error: {po_path}:{line}: this is a glossary PO (written by 'glossary export': header "
        f"X-Glossary-Version), not a post-editing PO: use 'kp-translate glossary import {po_path}'\n"
    )
    assert not out.exists()


def test_import_refuses_an_invalid_escape(
    dossier: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # msgfmt rejects \q ("invalid control sequence"); it used to be written literally into the English
    fr, mt, glossary = dossier
    po_path = tmp_path / "dossier.po"
    _export(fr, mt, glossary, po_path)
    lines = po_path.read_text(encoding="utf-8").split("\n")
    start = lines.index('msgctxt "001_f667be46968b6bc2.txt#1"')
    n = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
    lines[n] = lines[n].replace('msgstr "', 'msgstr "Edited \\q ', 1)
    po_path.write_text("\n".join(lines), encoding="utf-8")
    assert subprocess.run(["msgfmt", "-o", "/dev/null", str(po_path)], capture_output=True).returncode != 0
    out = tmp_path / "en"
    code, err = _run_main(["postedit", "import", str(po_path), "-o", str(out), "--src", str(fr)], capsys)
    assert code == 2
    assert err.startswith(f"kp-translate: error: {po_path}:{n + 1}: msgstr: invalid escape sequence '\\q'"), err
    assert err.count("\n") == 1 and not out.exists()
