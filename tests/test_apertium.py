"""The Apertium engine, on the real Debian packages (fr→es→en pivot): what survives it, its
unknown-word marks, its capitalisation quirk, and batching over the dossier."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import regex

from kp_translate.enforce import placeholder
from kp_translate.engines import Engine, get_engine
from kp_translate.engines import apertium as apertium_mod
from kp_translate.engines.apertium import ApertiumEngine, clean_output, deformat, reformat
from kp_translate.errors import EngineError
from kp_translate.lang import get as get_language
from kp_translate.segment import read_document
from kp_translate.tokens import PREFIXES

from conftest import CORPUS_FR, running


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    return ApertiumEngine()


def _one(engine: ApertiumEngine, text: str) -> str:
    return engine.translate_batch([text])[0][0].text


def test_installed_and_chosen(engine: ApertiumEngine) -> None:
    assert apertium_mod.available()
    assert engine.modes in (("fr-es", "spa-eng"), ("fr-en",), ("fra-eng",))
    assert isinstance(engine, Engine)
    assert engine.unit == "paragraph" and not engine.supports_n_best
    assert engine.model_id.startswith("apertium-") and "+".join(engine.modes) in engine.model_id
    assert ApertiumEngine().model_id == engine.model_id  # stable: part of the cache key
    assert get_engine("apertium").name == "apertium"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_placeholders_survive_in_every_position(engine: ApertiumEngine, prefix: str) -> None:
    """Subject, object, after an article, an elided article, a preposition, in guillemets,
    in brackets, before a comma: each placeholder comes back once, unchanged, without marks;
    with every prefix a segment may get (``tokens.PREFIXES``)."""
    tokens = [placeholder(i, prefix) for i in range(30)]
    frames = [
        "{} a rencontré {} à {}.",
        "Le secrétaire général de l'{} a parlé avec {}.",
        "Selon {}, la visite de {} en {} est terminée.",
        "« {} », a déclaré {} ({}).",
        "Les missiles de {} et le dirigeant {}, {} et {}.",
        "Mardi, {} a signé avec {} ; {} a refusé.",
        "Le père de {} est arrivé du {} au {} avec {}.",
    ]
    it = iter(tokens)
    sources = []
    for frame in frames:
        sources.append(frame.format(*(next(it) for _ in range(frame.count("{}")))))
    outputs = [h[0].text for h in engine.translate_batch(sources)]
    for source, out in zip(sources, outputs, strict=True):
        for token in (t for t in tokens if t in source):
            assert out.count(token) == 1, (token, out)
        assert "*" not in out and "#" not in out and "@" not in out


def test_proxies_come_back_as_english_and_move_before_the_noun(engine: ApertiumEngine) -> None:
    out = _one(engine, "Le dirigeant japonais a parlé. La capitale portugaise. Les médias suédois. Les armes danoises.")
    assert "Japanese leader" in out
    assert "Portuguese capital" in out
    assert "Swedish media" in out
    assert "Danish arms" in out
    sources = [" ".join(f"Le dirigeant {f}." for f in proxy.forms) for proxy in get_language("fr").proxies]
    for proxy, [hyp] in zip(get_language("fr").proxies, engine.translate_batch(sources), strict=True):
        assert any(e in hyp.text for e in proxy.english), (proxy, hyp.text)


def test_unknown_words_are_listed_and_their_marks_stripped(engine: ApertiumEngine) -> None:
    [[hyp]] = engine.translate_batch(["Le dirigeant nord-coréen Kim Jong-un a parlé avec Iouri Ouchakov."])
    # what the glossary must fix: Apertium's own renderings of these names
    assert "norcoreano" in hyp.text and "Jong-one" in hyp.text and "Iouri Ouchakov" in hyp.text
    assert "*" not in hyp.text
    assert {"norcoreano", "Iouri", "Ouchakov"} <= set(hyp.unknown)


def test_clean_output_marks() -> None:
    hyp = clean_output("The leader *norcoreano met **Kpxa, #give @x and has***b.", "Le Kpxa a*b.")
    assert hyp.text == "The leader norcoreano met Kpxa, give x and has*b."  # the source's own asterisk stays
    assert hyp.unknown == ["norcoreano", "Kpxa", "give", "x", "b"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # issue 9, item 6: marks after digits, and a capitalised code read as words
        ("Le missile 9M723 à 20h30, obus de 152mm.", "The missile 9M723 to the 20h30, **obus of 152mm."),
        ("Le Su-35S et le chasseur.", "The Su-35S and the hunter."),
        ("Le Tu-95, l'Il-76 et le KN-23.", "The Tu-95, the Il-76 and the KN-23."),
        # the source's own * # @ stay; only Apertium's marks go
        ("Le hashtag #MeToo et @kcna_watch, a*b et 5*3.", "The hashtag #MeToo and @kcna_watch, has*b and 5*3."),
    ],
)
def test_no_mark_leaks_and_codes_stay_whole(engine: ApertiumEngine, source: str, expected: str) -> None:
    [[hyp]] = engine.translate_batch([source])
    assert hyp.text == expected.replace("**", "")
    assert not any(w.startswith(("Kpx", "Kqx")) for w in hyp.unknown)


def test_marks_and_codes_with_the_cli() -> None:
    """The issue's sentences through ``kp-translate translate - --engine apertium`` (glossary on:
    "obus" is "shells")."""
    import os
    import subprocess
    import sys

    import kp_translate

    src = Path(kp_translate.__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", "from kp_translate.cli import main; main()", "translate", "-", "--engine", "apertium",
         "--no-cache", "-g", str(src.parent / "glossary")],
        input="Le missile 9M723 à 20h30, obus de 152mm.\n\nLe Su-35S.\n", capture_output=True, text=True,
        check=False, env=dict(os.environ, PYTHONPATH=str(src)),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "The missile 9M723 to the 20h30, shells of 152mm.\n\nThe Su-35S.\n"


def test_code_placeholders_avoid_the_segment_s_own_tokens(engine: ApertiumEngine) -> None:
    """A segment already holding the glossary's placeholders (Kpxa) and a word reading as the next
    prefix: the codes get a third prefix, and everything comes back as it was."""
    [[hyp]] = engine.translate_batch(["Kpxa a vu le Su-35S et Kqxb."])
    assert hyp.text == "Kpxa has seen the Su-35S and Kqxb."


def test_sentence_initial_unknown_does_not_capitalise_the_next_word(engine: ApertiumEngine) -> None:
    out = _one(engine, "Kpxa a rencontré Kpxb. Kpxa est arrivé. Quiconque ne se laisse pas aveugler.")
    assert out.startswith("Kpxa has found Kpxb. Kpxa is arrived.")
    assert "Quiconque does not" in out
    # a proper noun after the unknown run keeps its capital
    assert clean_output("**Kpxa Putin has met.", "Kpxa Poutine a rencontré.").text == "Kpxa Putin has met."


def test_a_dossier_batch_keeps_one_output_per_paragraph(engine: ApertiumEngine) -> None:
    paragraphs = [p.text for f in sorted(CORPUS_FR.glob("*.txt")) for p in read_document(f).paragraphs]
    segments = [*paragraphs[:40], "", "Première ligne\n\n\nseconde ligne", *paragraphs[40:]]
    hyps = engine.translate_batch(segments)
    assert len(hyps) == len(segments)
    assert hyps[40][0].text == ""
    assert hyps[41][0].text.count("\n") == 1  # blank lines inside a segment become one line break
    assert all(h[0].text.strip() for i, h in enumerate(hyps) if i != 40)
    assert all("\n\n" not in h[0].text for h in hyps)
    assert hyps[0][0].text.startswith("Approach among Russia and North Korea")


def test_small_batches_give_the_same_output(engine: ApertiumEngine) -> None:
    paragraphs = [p.text for p in read_document(CORPUS_FR / "001_f667be46968b6bc2.txt").paragraphs]
    whole = engine.translate_batch(paragraphs)
    small = ApertiumEngine(batch_size=6).translate_batch(paragraphs)
    assert [h[0].text for h in whole] == [h[0].text for h in small]


def test_process_chains_start_small_and_grow() -> None:
    """The first chain of a run is small, so that even a short run is resumable (the pipeline
    commits each chain to the cache); later ones grow, so that starting chains stays cheap."""
    assert ApertiumEngine().chain_sizes(3000) == [64, 128, 256, 512, 1024, 1016]
    assert ApertiumEngine().chain_sizes(100) == [64, 36]
    assert ApertiumEngine(batch_size=20).chain_sizes(50) == [20, 20, 10]
    assert ApertiumEngine(first_batch=10, batch_size=30).chain_sizes(100) == [10, 20, 30, 30, 10]
    assert ApertiumEngine().chain_sizes(0) == []


def test_batch_chains_yield_each_chain_as_it_returns(engine: ApertiumEngine) -> None:
    paragraphs = [p.text for p in read_document(CORPUS_FR / "000_7c2f12bc5fc2e4f7.txt").paragraphs[:5]]
    chunks = list(ApertiumEngine(first_batch=2, batch_size=2, warm=False).translate_chunks(paragraphs))
    assert [(start, len(hyps)) for start, hyps in chunks] == [(0, 2), (2, 2), (4, 1)]
    assert [h for _, hyps in chunks for h in hyps] == engine.translate_batch(paragraphs)  # one chain


def test_a_failure_while_feeding_apertium_is_raised_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text Apertium cannot be given (a lone surrogate: undecodable input read with
    surrogateescape) raises in the caller at once: no traceback from the feeding thread, and no
    wait for the timeout with Apertium waiting for the rest of its input."""
    stray: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", stray.append)
    engine = ApertiumEngine(timeout=20)
    with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
        engine.translate_batch(["La RPDC \udcff a tiré."])
    assert stray == []
    assert engine.translate_batch(["La RPDC a tiré."])[0][0].text == "The RPDC has thrown of."


def test_a_timeout_kills_the_whole_chain(tmp_path: Path) -> None:
    """``apertium`` is a script whose own pipeline does the work. A command of the same shape that
    never finishes: at the timeout the whole chain is killed and the error comes at once (killing
    the script alone left its pipeline holding the output pipe, and the read blocked until that
    pipeline ended by itself)."""
    script = tmp_path / "apertium"
    script.write_text("#!/bin/sh\nsleep 120 &\nwait\n", encoding="utf-8")
    script.chmod(0o755)
    engine = ApertiumEngine(command=str(script), modes=("fr-en",), timeout=1)
    started = time.monotonic()
    with pytest.raises(EngineError, match="timed out after 1 s"):
        engine.translate_batch(["Bonjour."])
    assert time.monotonic() - started < 60


def test_a_missing_mode_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="apertium xx-yy failed"):
        ApertiumEngine(modes=("xx-yy",)).translate_batch(["Bonjour."])


def test_a_missing_command_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="cannot start"):
        ApertiumEngine(command="/nonexistent/apertium", modes=("fr-es",)).translate_batch(["Bonjour."])


# -- warm pipelines ------------------------------------------------------------------------------


def _dossier() -> list[str]:
    return [p.text for f in sorted(CORPUS_FR.glob("*.txt")) for p in read_document(f).paragraphs]


def _program(name: str, data: str) -> str:
    return subprocess.run([name], input=data.encode(), capture_output=True, check=True).stdout.decode()


def test_deformat_and_reformat_are_what_the_programs_do() -> None:
    """The txt deformatting and reformatting done in Python for the warm pipelines give what
    ``apertium-destxt`` and ``apertium-retxt`` give, on the dossier and on random text full of
    the characters they treat specially (the rest goes to the programs themselves)."""
    rng = random.Random(10)
    alphabet = list("ab .,\n\t[]\\/@<>^${}*#+|\"'%&=é«»~\r\x01")
    texts = [*_dossier()[:30]]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25))) for _ in range(150)]
    for text in texts:
        text = regex.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", text.strip())
        if not text:
            continue
        stream = _program("apertium-destxt", text + "\n")
        assert deformat(text) == stream, text
        assert reformat(stream) == _program("apertium-retxt", stream), stream
        retxt = subprocess.run(["apertium-retxt"], input=text.encode(), capture_output=True, check=False)
        if retxt.returncode == 0:  # (it rejects some malformed streams: so does reformat, then)
            assert reformat(text) == retxt.stdout.decode(), text


def test_warm_pipelines_give_what_batch_chains_give() -> None:
    paragraphs = _dossier()
    warm = ApertiumEngine()
    assert warm.pipelines is not None and warm.streams
    try:
        assert warm.translate_batch(paragraphs) == ApertiumEngine(warm=False).translate_batch(paragraphs)
    finally:
        warm.close()


def _stages(engine: ApertiumEngine) -> list[int]:
    assert engine.pipelines is not None
    return [p.pid for chain in engine.pipelines.chains for p in chain.procs]


def test_one_warm_pipeline_serves_every_call() -> None:
    """The dossier's paragraphs twice, then one by one: one chain start per mode of the route,
    the same processes throughout, each result in order as it comes."""
    paragraphs = _dossier()
    engine = ApertiumEngine()
    before = apertium_mod._Chain.starts
    try:
        chunks = list(engine.translate_chunks(paragraphs))
        pids = _stages(engine)
        assert [start for start, _ in chunks] == [sum(len(h) for _, h in chunks[:k]) for k in range(len(chunks))]
        first = [h for _, hyps in chunks for h in hyps]
        assert len(first) == len(paragraphs)
        assert engine.translate_batch(paragraphs) == first
        assert [engine.translate_batch([p])[0] for p in paragraphs[:10]] == first[:10]
        assert apertium_mod._Chain.starts - before == len(engine.modes)
        assert _stages(engine) == pids and all(Path(f"/proc/{pid}").exists() for pid in pids)
        assert engine.pipelines is not None and engine.pipelines.restarts == 0
    finally:
        engine.close()
    assert not any(map(running, pids))


@pytest.mark.parametrize("how", ["SIGKILL", "SIGSTOP"])
def test_a_dead_or_hung_stage_is_restarted(how: str) -> None:
    """One stage of the live chain killed (or stopped: a stage that hangs) between two calls: the
    next call gets its result all the same, after one restart of the pipelines."""
    paragraphs = _dossier()[:6]
    engine = ApertiumEngine()
    try:
        expected = engine.translate_batch(paragraphs)  # no time limit while the chains load (a busy machine)
        assert engine.pipelines is not None
        victim = engine.pipelines.chains[-1].procs[2]  # the last mode's tagger
        engine.timeout = None if how == "SIGKILL" else 3
        os.kill(victim.pid, getattr(signal, how))
        assert engine.translate_batch(paragraphs) == expected
        assert engine.pipelines.restarts == 1
        assert victim.pid not in _stages(engine)
    finally:
        engine.close()


def test_a_segment_that_fails_twice_is_an_engine_error_naming_it() -> None:
    engine = ApertiumEngine(timeout=0.001)  # no segment comes back that fast from cold pipelines
    try:
        with pytest.raises(EngineError, match=r"failed twice on segment 2 \(timed out\): 'Bonjour le monde.'") as info:
            engine.translate_batch(["", "Bonjour le monde.", "Au revoir."])
        assert info.value.segment == 1  # type: ignore[attr-defined]
    finally:
        engine.close()


def test_the_pool_keeps_one_warm_engine_per_pair_and_options() -> None:
    from kp_translate.engines.pool import EnginePool
    from kp_translate.lang import Pair

    pool = EnginePool()
    try:
        engine = pool.get("apertium", Pair("fr", "en"))
        assert pool.get("apertium", Pair("fr", "en")) is engine
        assert pool.get("apertium", Pair("fr", "en"), timeout=30) is not engine
        assert pool.get("apertium", Pair("es", "en")) is not engine
        assert isinstance(engine, ApertiumEngine) and engine.pipelines is not None
        assert engine.pipelines.alive  # warmed up when built
        pids = _stages(engine)
    finally:
        pool.close()
    assert len(pool) == 0 and engine.pipelines is not None and not engine.pipelines.chains
    assert not any(map(running, pids))


_PIECES = ["*foo", "#bar", "@Baz", "**x", "*Ab", "*Kim", "*Jong-one", "The", "Said", "Of", "the", "and", "é", "*é",
           ".", ". ", "! ", "?»", ":", ",", " ", "  ", "\n", "\t", "\u00a0", "«", "“", '"', "(", ")", "»", "…",
           "’", "\x1c", "x"]  # fmt: skip


def _fix_capitals_at_every_sentence_start(output: str, source: str, lower: frozenset[str]) -> str:
    """The rule as first written: try the unknown-word run at the end of every match of the
    sentence-start pattern, scanning the whole output (the reference for the quicker search)."""
    out, pos = [], 0
    for start in apertium_mod._SENTENCE_START.finditer(output):
        s = start.end()
        m = apertium_mod._UNKNOWN_RUN_THEN_WORD.match(output, s) if s >= pos else None
        if m is not None:
            out.append(output[pos:s])
            # the run's own rewriting is the module's: only where runs are looked for is compared
            out.append(apertium_mod._fix_capitals(m.group(), source, lower))
            pos = m.end()
    out.append(output[pos:])
    return "".join(out)


def test_capitals_fixed_at_the_same_places_as_a_scan_of_every_sentence_start() -> None:
    """Apertium output-like strings (marked words, stops, quotes, blanks): the marks looked at one
    by one give what trying every sentence start gives, and some of them are changed."""
    rng = random.Random(11)
    lower = frozenset({"the", "said", "of"})
    changed = 0
    for _ in range(30_000):
        text = "".join(rng.choice(_PIECES) + (" " if rng.random() < 0.5 else "") for _ in range(rng.randint(0, 12)))
        source = " ".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 5)))
        fixed = apertium_mod._fix_capitals(text, source, lower)
        assert fixed == _fix_capitals_at_every_sentence_start(text, source, lower), text
        changed += fixed != text
    assert changed > 300


_HINT_PIECES = ["Kpxa", "Kpx", "a", "é", "É", "9", "٣", ",", ", ", " ", "  ", "\n", "\u00a0", "\u202f", "-", "’", ".",
                 "x", "Ab", "ab", "_"]  # fmt: skip


def test_the_case_hint_is_what_a_pattern_for_the_word_finds() -> None:
    """The source's case hint for an unknown word, found without a pattern per word, is what the
    pattern made for that word finds first, on text made of the word, letters, digits, commas
    and blanks of several kinds."""
    rng = random.Random(13)
    found = 0
    for _ in range(20_000):
        source = "".join(rng.choice(_HINT_PIECES) for _ in range(rng.randint(0, 10)))
        word = rng.choice(["Kpxa", "Kpx", "a", "é", "ab", "x"])
        m = regex.search(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(word)}[,]?\s+([\p{{L}}\p{{N}}])", source)
        expected = m.group(1) if m is not None else None
        assert apertium_mod._case_hint(source, word) == expected, (source, word)
        found += expected is not None
    assert found > 250  # (the hint found in about one case of 60)


_CODE_PIECES = ["Su-35S", "9M723", "Tu-95", "Il-76", "20h30", "152mm", "2e", "KN-23", "Hwasong-11", "a1", "Ab",
                "x-", "-", "‐", "‑", "_", "*", "#", "@", "9", "٣", "½", "Ⅻ", "²", "É7", "b", "--", " ", ", ",
                "\n", "\t", "(", "’"]  # fmt: skip


def test_codes_found_as_by_a_scan_of_the_whole_text() -> None:
    """Text made of codes, words, digits of other scripts, hyphens, marks and blanks: the codes
    found in the pieces that hold a digit are those the code pattern finds in the whole text."""
    rng = random.Random(5)
    found = 0
    for _ in range(30_000):
        text = "".join(rng.choice(_CODE_PIECES) for _ in range(rng.randint(0, 12)))
        every = [m.span() for m in apertium_mod._CODE.finditer(text) if apertium_mod._is_code(m.group())]
        assert [m.span() for m in apertium_mod._codes_in(text)] == every, text
        found += len(every)
    assert found > 10_000
    # every character that makes a word a code (str.isdigit) is one the search starts from
    assert all(apertium_mod._DIGIT.match(chr(c)) for c in range(0x110000) if chr(c).isdigit())


def test_reformat_without_escapes_as_its_pattern() -> None:
    """A stream with no backslash loses what the escape pattern removes, whichever way it is done."""
    rng = random.Random(12)
    alphabet = [*"ab .,\n\t[]@é", ".[]", ".[][\n]", "[ ]", "[\n]", "..", "[]]"]
    checked = 0
    for _ in range(20_000):
        stream = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        plain = all(t.group()[0] != "]" and t.group() != "[" for t in apertium_mod._RETXT_TOKENS.finditer(stream))
        if plain:
            assert reformat(stream) == apertium_mod._RETXT.sub(r"\1", stream), stream
            checked += 1
    assert checked > 5000


def test_reformat_takes_a_stream_as_plain_as_its_tokens_say() -> None:
    """Random streams of brackets, escapes and blanks: reformat undoes a stream itself exactly when
    none of the txt format's tokens in it is a lone bracket (else apertium-retxt gets it)."""
    rng = random.Random(13)
    alphabet = [*"ab .\n\t[]\\", "\\[", "\\]", "[ ]", "[\n]", ".[]", "]["]
    undone = 0
    for _ in range(20_000):
        stream = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        tokens = [t.group() for t in apertium_mod._RETXT_TOKENS.finditer(stream)]
        plain = all(t[0] != "]" and t != "[" for t in tokens)
        rest = apertium_mod._RETXT_PLAIN_TOKENS.sub("", stream)
        assert plain == ("[" not in rest and "]" not in rest), stream
        undone += plain and ("[" in stream or "]" in stream)
    assert undone > 2000


def test_blanks_before_a_mark_are_what_str_isspace_calls_blank() -> None:
    """The marks that may open a sentence are found with the standard engine's ``\\s``: every
    character ``str.isspace`` calls a blank, and only those (the rule looks back over them)."""
    blank = apertium_mod.re.compile(r"\s")
    assert all(bool(blank.match(chr(c))) == chr(c).isspace() for c in range(0x110000))


def _strip_every_mark(output: str) -> tuple[str, list[str]]:
    """The general rule of ``_strip_marks`` when the source has no run of its own: every run is a
    mark, taken out of the output one by one, its word listed."""
    out, unknown, pos = [], [], 0
    for m in apertium_mod._RUN_THEN_WORD.finditer(output):
        unknown.append(m.group(2).rstrip("'’-_"))
        out.append(output[pos : m.start()])
        pos = m.start(2)
    out.append(output[pos:])
    return "".join(out), unknown


def test_marks_stripped_as_the_general_rule_strips_them_when_the_source_has_none() -> None:
    """Outputs full of marks, a source with none: one substitution strips what the general rule does."""
    rng = random.Random(14)
    pieces = ["*foo", "#bar", "@Baz", "**x", "*Ab", "*Jong-one'", "*é_", "a", " ", "9", "-", ".", "*", "#"]
    stripped = 0
    for _ in range(20_000):
        output = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert apertium_mod._strip_marks(output, "a b") == _strip_every_mark(output), output
        stripped += output != _strip_every_mark(output)[0]
    assert stripped > 10_000
