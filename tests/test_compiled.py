"""The compiled-glossary cache (kp_translate.compiled): a hit reads back the glossary, its views and
matchers exactly as parsing and compiling make them; an edit, a damaged file or --no-cache never
serve stale data; the collector pause leaves the collector as it was."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kp_translate import compiled, glossary, match
from kp_translate.cli import cli
from kp_translate.compiled import DIRECTORY, LazyEntries
from kp_translate.errors import InputError
from kp_translate.gcpause import paused
from kp_translate.match import Matcher
from kp_translate.segment import read_document

from conftest import DOSSIER_FILES, GLOSSARY_DIR

PARAGRAPHS = [p.text for f in DOSSIER_FILES for p in read_document(f).paragraphs]
BASQUE = "NATOren idazkari nagusiak Kim Jong-unekin eta Estatu Batuetako ordezkariarekin hitz egin zuen."


@pytest.fixture
def gdir(tmp_path: Path) -> Path:
    """A copy of the real glossary that a test may edit."""
    return Path(shutil.copytree(GLOSSARY_DIR, tmp_path / "glossary"))


def _keys(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / DIRECTORY).iterdir() if p.is_dir())


def _found(matcher: Matcher, texts: list[str]) -> list[tuple[int, int, str, str, str, str]]:
    return [(m.start, m.end, m.entry.id, m.entry.target, m.form, m.suffix) for t in texts for m in matcher.find(t)]


def _entries(g: glossary.Glossary) -> list[dict[str, object]]:
    return [{**e.to_dict(), "path": e.path, "line": e.line, "fields": e.fields} for e in g]


def _fill(gdir: Path, cache: Path) -> glossary.Glossary:
    """A first load through the cache, with the French view's matchers compiled (so stored)."""
    g = glossary.load(gdir, compiled=cache)
    view = g.view("fr")
    for kind in ("source", "forbidden", "target"):
        Matcher.cached(view, kind)
    return g


def test_a_hit_reads_back_what_parsing_and_compiling_make(gdir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _fill(gdir, cache)
    assert not isinstance(first.entries, LazyEntries)  # parsed: nothing was stored yet
    (key,) = _keys(cache)
    assert sorted(p.name for p in key.iterdir()) == [
        "base.kpc",
        "matcher-fr-forbidden-en.kpc",
        "matcher-fr-source-fr.kpc",
        "matcher-fr-target-en.kpc",
        "view-fr.kpc",
    ]
    again = glossary.load(gdir, compiled=cache)
    assert isinstance(again.entries, LazyEntries)
    plain = glossary.load(gdir)  # no cache at all: the reference
    assert len(again) == len(plain) == 245
    assert again.files == plain.files and again.version == plain.version and again.languages == plain.languages
    view, reference = again.view("fr"), plain.view("fr")
    assert view.version == reference.version and len(view) == len(reference)
    assert isinstance(view.entries, LazyEntries)
    source = Matcher.cached(view)
    assert _found(source, PARAGRAPHS) == _found(Matcher(reference), PARAGRAPHS)
    english = ["Iouri Ouchakov met Kim Jong Un and the North Korean leader in Pyongyang.", "NATO and the UN said so."]
    for kind in ("forbidden", "target"):
        found = _found(Matcher.cached(view, kind), english)
        assert found and found == _found(Matcher(reference, kind), english)
    assert [e.id for e in view.with_short] == [e.id for e in reference.with_short]
    assert _entries(view) == _entries(reference)
    assert _entries(again) == _entries(plain)
    assert again.get("yuri-ushakov") is not None and again.get("yuri-ushakov").target == "Yuri Ushakov"  # type: ignore[union-attr]


def test_a_view_compiled_later_is_stored_too(gdir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _fill(gdir, cache)
    hit = glossary.load(gdir, compiled=cache)
    eu = hit.view("eu")  # not stored yet: built from the stored entries, then stored
    assert _found(Matcher.cached(eu), [BASQUE]) == _found(Matcher(glossary.load(gdir).view("eu")), [BASQUE])
    (key,) = _keys(cache)
    assert (key / "view-eu.kpc").is_file() and (key / "matcher-eu-source-eu.kpc").is_file()
    stored = glossary.load(gdir, compiled=cache).view("eu")
    assert isinstance(stored.entries, LazyEntries)
    found = _found(Matcher.cached(stored), [BASQUE])
    assert [f[4] for f in found] == ["NATOren", "Kim Jong-unekin", "Estatu Batuetako"]


def test_an_edited_glossary_file_is_never_read_from_the_stale_entry(gdir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _fill(gdir, cache)
    people = gdir / "people.kpg"
    people.write_text(
        people.read_text(encoding="utf-8").replace("target: Yuri Ushakov", "target: Iouri Ushakov"), encoding="utf-8"
    )
    edited = glossary.load(gdir, compiled=cache)
    assert edited.get("yuri-ushakov").target == "Iouri Ushakov"  # type: ignore[union-attr]
    (match_,) = [m for m in Matcher.cached(edited.view("fr")).find("Le conseiller Iouri Ouchakov a parlé.")]
    assert match_.entry.target == "Iouri Ushakov"
    assert len(_keys(cache)) == 2
    assert glossary.load(gdir, compiled=cache).get("yuri-ushakov").target == "Iouri Ushakov"  # type: ignore[union-attr]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty"])
def test_a_damaged_file_is_ignored_and_rebuilt(gdir: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    _fill(gdir, cache)
    (key,) = _keys(cache)
    for name in ("base.kpc", "matcher-fr-source-fr.kpc"):
        path = key / name
        data = path.read_bytes()
        if damage == "truncated":
            data = data[: len(data) // 2]
        elif damage == "flipped":
            middle = len(data) // 2
            data = data[:middle] + bytes([data[middle] ^ 0x40]) + data[middle + 1 :]
        elif damage == "garbage":
            data = b"not a compiled glossary at all"
        else:
            data = b""
        path.write_bytes(data)
    reread = glossary.load(gdir, compiled=cache)
    assert not isinstance(reread.entries, LazyEntries)  # the damaged base was not used: parsed again
    assert _entries(reread) == _entries(glossary.load(gdir))
    store = compiled.Store(key)
    assert store.read("base") is not None  # rewritten whole
    hit = glossary.load(gdir, compiled=cache)
    assert isinstance(hit.entries, LazyEntries)
    assert _found(Matcher.cached(hit.view("fr")), PARAGRAPHS[:20]) == _found(
        Matcher(glossary.load(gdir).view("fr")), PARAGRAPHS[:20]
    )


def test_a_glossary_with_a_problem_is_reported_as_without_the_cache_and_not_stored(tmp_path: Path) -> None:
    bad = tmp_path / "bad.kpg"
    bad.write_text("[x]\ntype: person\ntarget: X\nsource: X\nsource: X\nfoo: bar\n", encoding="utf-8")
    cache = tmp_path / "cache"
    with pytest.raises(InputError) as cached_error:
        glossary.load(bad, compiled=cache)
    with pytest.raises(InputError) as plain_error:
        glossary.load(bad)
    assert str(cached_error.value) == str(plain_error.value) and "unknown field 'foo'" in str(plain_error.value)
    assert not (cache / DIRECTORY).exists() or not _keys(cache)
    with pytest.raises(InputError, match="no such file"):
        glossary.load(tmp_path / "missing", compiled=cache)


def test_only_the_most_recently_used_keys_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "KEEP", 2)
    cache = tmp_path / "cache"
    path = tmp_path / "g.kpg"
    for n in range(4):
        path.write_text(f"[e{n}]\ntype: term\ntarget: T{n}\nsource: S{n}\n", encoding="utf-8")
        glossary.load(path, compiled=cache)
    kept = _keys(cache)
    assert len(kept) == 2
    assert glossary.load(path, compiled=cache).get("e3") is not None


def _translate(tmp_path: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["translate", str(DOSSIER_FILES[1]), "-o", str(tmp_path / "out"), "--engine", "apertium", "--no-progress",
         "--cache-dir", str(tmp_path / "cache"), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_translate_keeps_it_beside_the_segment_cache_and_no_cache_writes_nothing(tmp_path: Path) -> None:
    _translate(tmp_path, "--no-cache")
    assert not (tmp_path / "cache").exists()
    _translate(tmp_path)
    (key,) = _keys(tmp_path / "cache")
    assert {"base.kpc", "view-fr.kpc", "matcher-fr-source-fr.kpc"} <= {p.name for p in key.iterdir()}
    first = (tmp_path / "out" / DOSSIER_FILES[1].name).read_text(encoding="utf-8")
    _translate(tmp_path)  # served from it: the same translation
    assert (tmp_path / "out" / DOSSIER_FILES[1].name).read_text(encoding="utf-8") == first
    assert "Yuri Ushakov" in first or "Kim Jong Un" in first


def test_a_large_matcher_builds_its_automaton_once_its_texts_make_it_worth_it(
    gdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(match, "EAGER_KEYS", 10)
    monkeypatch.setattr(match, "BUILD_AFTER", 20)
    reference = Matcher(glossary.load(gdir).view("fr"), automaton=False)
    lazy = Matcher(glossary.load(gdir).view("fr"))
    assert lazy._automaton is None
    texts = PARAGRAPHS * 3
    assert _found(lazy, texts) == _found(reference, texts)
    assert lazy._automaton is not None  # read more than 20 characters a key: built
    cache = tmp_path / "cache"
    _fill(gdir, cache)
    view = glossary.load(gdir, compiled=cache).view("fr")
    stored = Matcher.cached(view)
    assert stored._automaton is None
    # nothing is made before it is needed: the view's entries come as texts match them
    assert isinstance(view.entries, LazyEntries)
    one = stored.find(PARAGRAPHS[3])
    made = sum(e is not None for e in view.entries._made)
    assert one and made <= len({m.entry.id for m in one}) + len(view.with_short)
    assert _found(stored, texts) == _found(reference, texts)
    assert stored._automaton is not None


def test_the_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block decides
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def _groups(m: Matcher) -> dict[str, tuple[int, dict[str, str], dict[str, str]]]:
    """Every group of *m*'s word index: its longest form's words and its forms' entry ids."""
    return {
        word: (g.words, {f: e.id for f, e in g.sensitive.items()}, {f: e.id for f, e in g.insensitive.items()})
        for word, g in m._groups.items()
    }


def test_every_group_read_back_equals_the_group_compiled(tmp_path: Path) -> None:
    # 700 entries under five first words, one case-insensitive in three, a form given twice: groups
    # of 140 forms, so some straddle the cache's chunks of forms, and the first form of a key wins
    lines = []
    for i in range(700):
        word = ("Corée", "Conseil", "Kim", "Mer", "République")[i % 5]
        lines += [f"[t{i}]", "type: term", f"target: T{i}", f"source: {word} n{i // 5} du Nord"]
        lines += ["case: insensitive", ""] if i % 3 == 0 else [""]
    lines += ["[dup]", "type: term", "target: T5", "source: Corée n1 du Nord", ""]  # same target: no clash
    gdir = tmp_path / "g"
    gdir.mkdir()
    (gdir / "many.kpg").write_text("\n".join(lines), encoding="utf-8")
    cache = tmp_path / "cache"
    _fill(gdir, cache)
    view = glossary.load(gdir, compiled=cache).view("fr")
    stored = Matcher.cached(view)
    compiled = Matcher(glossary.load(gdir).view("fr"))
    spans = [divmod(s, match._SPAN) for s in compiled._groups.spans.values()]  # type: ignore[attr-defined]
    assert any(lo // match._CHUNK != (hi - 1) // match._CHUNK for lo, hi in spans)
    assert _groups(stored) == _groups(compiled)
    assert _groups(compiled)["corée"][1]["Corée n1 du Nord"] == "t5"  # not "dup"
    text = "La Corée n7 du Nord et la république n9 du nord, Kim, MER n3 du Nord."
    assert _found(stored, [text]) == _found(compiled, [text]) == _found(Matcher(view, automaton=False), [text])
