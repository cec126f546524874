"""Batch translation of JSON Lines archives (issue 12): the same output byte for byte whatever the
backend, the number of workers or the interruptions; malformed lines; passthrough fields; the
merged report; version checks.

The archive is the French dossier, one paragraph a document, plus documents generated from it
(several paragraphs each, with other numbers), with extra fields of every JSON type. Everything
runs real Apertium; the Ray tests start a local Ray instance once for the module.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kp_translate
from kp_translate.batch import translate_jsonl
from kp_translate.batch.journal import journal_path
from kp_translate.batch.worker import JobMismatch, Worker, make_job
from kp_translate.cli import cli, main
from kp_translate.glossary import Glossary
from kp_translate.lang import Pair
from kp_translate.segment import read_document
from kp_translate.translate import translate_text

from conftest import DOSSIER_FILES, GLOSSARY_DIR, ROOT

SRC = Path(kp_translate.__file__).resolve().parents[1]
PARAGRAPHS = [p.text for f in DOSSIER_FILES for p in read_document(f).paragraphs]


def _record(i: int, text: str) -> dict[str, Any]:
    return {
        "source": "dossier" if i < len(PARAGRAPHS) else "generated",
        "id": f"doc-{i:04d}" if i % 3 else i,
        "meta": {"outlet": "Le Temps", "tags": ["Corée", "Russie"], "score": 0.5 + i, "ok": i % 2 == 0, "none": None},
        "text": text,
        "après": "passé tel quel",
    }


def write_archive(path: Path, generated: int = 30) -> list[dict[str, Any]]:
    """The dossier's paragraphs as documents, then *generated* documents of three paragraphs each
    with other figures in them."""
    records = [_record(i, p) for i, p in enumerate(PARAGRAPHS)]
    for k in range(generated):
        paras = [PARAGRAPHS[(k * 7 + j * 13) % len(PARAGRAPHS)] for j in range(3)]
        paras.append(
            f"Selon Iouri Ouchakov, {1000 + 37 * k} soldats nord-coréens étaient présents le {k % 28 + 1} mars."
        )
        records.append(_record(len(records), "\n\n".join(paras)))
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return records


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.jsonl"
    write_archive(path)
    return path


@pytest.fixture(scope="module")
def reference(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, Any]]:
    """The uninterrupted single-worker run: its output and its report."""
    out = tmp_path_factory.mktemp("reference") / "out.jsonl"
    report = out.with_name("report.json")
    translate_jsonl(archive, out, engine="apertium", glossary=_glossary(), use_cache=False, report=report)
    return out.read_bytes(), json.loads(report.read_text(encoding="utf-8"))


def _glossary() -> Glossary:
    from kp_translate import glossary

    return glossary.load(GLOSSARY_DIR)


def _without_run(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in ("run", "backend", "workers", "output")}


# ------------------------------------------------------------------------------------------
# What the output holds


def test_output_lines_hold_the_input_fields_the_translation_and_term_figures(
    archive: Path, reference: tuple[bytes, dict[str, Any]]
) -> None:
    inputs = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()]
    outputs = [json.loads(line) for line in reference[0].decode("utf-8").splitlines()]
    assert len(outputs) == len(inputs) == len(PARAGRAPHS) + 30
    for given, got in zip(inputs, outputs, strict=True):
        assert list(got)[: len(given)] == list(given)  # passthrough fields first, in their order
        assert {k: got[k] for k in given} == given
        assert set(got) - set(given) == {"translation", "terms"}
        assert got["terms"]["language"] == "fr"
        assert got["terms"]["expected"] >= got["terms"]["enforced"]
    # the same translation as the text path gives for that document
    assert (
        outputs[5]["translation"]
        == translate_text(inputs[5]["text"], engine="apertium", glossary=_glossary(), source="fr").documents[0].text
    )
    generated = outputs[-1]
    assert "Yuri Ushakov" in generated["translation"] and "Ouchakov" not in generated["translation"]
    assert generated["terms"]["renderings"]["yuri-ushakov"] == {"Yuri Ushakov": 1}
    assert generated["translation"].count("\n\n") == 3  # paragraphs kept 1:1


def test_report_merges_every_document(reference: tuple[bytes, dict[str, Any]]) -> None:
    output, report = reference
    lines = [json.loads(line) for line in output.decode("utf-8").splitlines()]
    assert report["documents"] == len(lines)
    assert report["terms"]["expected"] == sum(r["terms"]["expected"] for r in lines)
    assert report["terms"]["enforced"] == sum(r["terms"]["enforced"] for r in lines)
    assert report["terms"]["failed"] == len(report["failures"]) == sum(len(r["terms"]["failures"]) for r in lines)
    assert report["terms"]["expected"] > 700  # the dossier's 614 and the generated documents'
    assert report["consistency"]["assessable"] > 20
    assert report["run"] == {"resumed": 0, "translated": len(lines), "seconds": report["run"]["seconds"]}


def test_consistency_is_computed_over_the_whole_archive_not_per_worker(tmp_path: Path) -> None:
    """Raw Apertium renders "Kim Jong-un" as "Kim Jong-one" in one document and "Kim Jong Un" as
    "Kim Jong One" in another: each document, each worker, is consistent on its own; the archive is not."""
    archive = tmp_path / "two.jsonl"
    archive.write_text(
        json.dumps({"id": 1, "text": "Le dirigeant nord-coréen Kim Jong-un a parlé."}) + "\n"
        + json.dumps({"id": 2, "text": "Kim Jong Un a rencontré Poutine à Pyongyang."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "two.out.jsonl"
    result = translate_jsonl(
        archive, out, engine="apertium", glossary=_glossary(), enforce=False, use_cache=False,
        workers=2, batch_size=1,
    )  # fmt: skip
    per_doc = [json.loads(line)["terms"]["renderings"]["kim-jong-un"] for line in out.read_text().splitlines()]
    assert per_doc == [{"Kim Jong-one": 1}, {"Kim Jong One": 1}]
    figures = result.consistency_figures
    assert {"term": "kim-jong-un", "renderings": {"Kim Jong One": 1, "Kim Jong-one": 1}} in figures["inconsistent"]


# ------------------------------------------------------------------------------------------
# Backends: byte-identical outputs


def test_two_local_workers_give_the_same_bytes(
    archive: Path, reference: tuple[bytes, dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    report = tmp_path / "report.json"
    pids: list[list[int]] = []
    translate_jsonl(
        archive, out, engine="apertium", glossary=_glossary(), use_cache=False, report=report,
        workers=2, batch_size=7, on_workers=pids.append,
    )  # fmt: skip
    assert out.read_bytes() == reference[0]
    merged = json.loads(report.read_text(encoding="utf-8"))
    assert _without_run(merged) == _without_run(reference[1])
    assert merged["workers"] == 2 and len(pids[0]) == 2 and os.getpid() not in pids[0]
    assert not journal_path(out).exists()


def test_with_local_workers_the_command_starts_no_engine_of_its_own(
    archive: Path, reference: tuple[bytes, dict[str, Any]], tmp_path: Path
) -> None:
    """The workers translate: the process that hands them the archive starts no Apertium chain."""
    from kp_translate.engines import apertium as apertium_mod
    from kp_translate.engines.pool import POOL

    POOL.close()
    before = apertium_mod._Chain.starts
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli,
        ["translate", str(archive), "--input-format", "jsonl", "-o", str(out), "--engine", "apertium",
         "--no-cache", "--no-progress", "-g", str(GLOSSARY_DIR), "--workers", "2", "--batch-size", "7"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == reference[0]
    assert apertium_mod._Chain.starts == before


@pytest.fixture(scope="module")
def ray_session() -> Iterator[Any]:
    from kp_translate.batch.ray_backend import RaySession

    session = RaySession(num_cpus=2)
    try:
        yield session
    finally:
        session.close()


@pytest.mark.parametrize("actors", [1, 2])
def test_ray_actors_give_the_same_bytes(
    archive: Path, reference: tuple[bytes, dict[str, Any]], tmp_path: Path, ray_session: Any, actors: int
) -> None:
    out = tmp_path / "out.jsonl"
    report = tmp_path / "report.json"
    translate_jsonl(
        archive, out, engine="apertium", glossary=_glossary(), use_cache=False, report=report,
        backend="ray", workers=actors, batch_size=16, ray_session=ray_session,
    )  # fmt: skip
    assert out.read_bytes() == reference[0]
    assert _without_run(json.loads(report.read_text(encoding="utf-8"))) == _without_run(reference[1])


def test_ray_backend_through_the_cli(archive: Path, reference: tuple[bytes, dict[str, Any]], tmp_path: Path,
                                     ray_session: Any) -> None:  # fmt: skip
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli,
        ["translate", str(archive), "--input-format", "jsonl", "-o", str(out), "--engine", "apertium",
         "--cache-dir", str(tmp_path / "cache"), "-g", str(GLOSSARY_DIR), "--backend", "ray", "--workers", "2",
         "--progress", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == reference[0]
    progress = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert progress[-1]["done"] == progress[-1]["total"] == len(PARAGRAPHS) + 30
    assert "(ray, 2 workers)" in result.stderr.splitlines()[-1]
    # the actors filled the segment cache (each opens it in the thread that translates)
    from kp_translate.cache import SegmentCache

    with SegmentCache(tmp_path / "cache") as cache:
        assert len(cache) > len(PARAGRAPHS)  # the dossier's paragraphs and the generated sentences


def test_a_ray_actor_refuses_a_job_of_another_glossary_version(ray_session: Any) -> None:
    from kp_translate.batch.jsonl import Doc
    from kp_translate.batch.ray_backend import run_ray
    from kp_translate.errors import KpError

    job = make_job(_glossary(), Pair("fr", "en"), "apertium", use_cache=False)
    docs = [Doc(1, "d", "x", PARAGRAPHS[0])]
    got: list[dict[str, Any]] = []
    run_ray(job, docs, got.extend, 1, batch_size=4, session=ray_session)  # the genuine job works
    assert [r["line"] for r in got] == [1] and "Russia" in got[0]["translation"]
    with pytest.raises(KpError, match="refusing to mix glossary versions") as exc:
        run_ray(dataclasses.replace(job, glossary_version="0" * 16), docs, got.extend, 1, batch_size=4,
                session=ray_session)  # fmt: skip
    assert str(exc.value).startswith("the Ray job failed: ") and "\n" not in str(exc.value)


def test_ray_hands_each_batch_back_as_it_is_done(ray_session: Any) -> None:
    from kp_translate.batch.jsonl import Doc
    from kp_translate.batch.ray_backend import run_ray

    job = make_job(_glossary(), Pair("fr", "en"), "apertium", use_cache=False)
    docs = [Doc(i + 1, f"d{i}", f"doc-{i}", p) for i, p in enumerate(PARAGRAPHS[:10])]
    handed: list[list[int]] = []
    run_ray(job, docs, lambda records: handed.append([r["line"] for r in records]), 1, batch_size=4,
            session=ray_session)  # fmt: skip
    # one batch a block: the journal and the progress hear of each batch, not of two at a time
    assert sorted(handed) == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]


def test_ray_workers_run_at_the_drivers_priority(ray_session: Any) -> None:
    # Ray starts its workers at nice 15 by default: on a busy machine an actor and its Apertium
    # stages then get a fraction of the CPU a local worker gets (the local instance sets 0)
    ray = ray_session.ray
    assert ray.get(ray.remote(lambda: os.nice(0)).remote()) == os.nice(0)


def test_an_actor_translates_two_batches_at_once_without_mixing_them() -> None:
    import threading

    from kp_translate.batch.jsonl import Doc
    from kp_translate.batch.ray_backend import ACTOR_CONCURRENCY, TranslateBatch

    assert ACTOR_CONCURRENCY == 2
    job = make_job(_glossary(), Pair("fr", "en"), "apertium", use_cache=False)
    docs = [Doc(i + 1, f"d{i}", f"doc-{i}", p) for i, p in enumerate(PARAGRAPHS[:24])]
    halves = [docs[:12], docs[12:]]
    alone = Worker(job)
    expected = [alone(half) for half in halves]
    alone.close()
    actor = TranslateBatch(job)
    start = threading.Barrier(2)
    got: list[Any] = [None, None]

    def call(k: int) -> None:
        half = halves[k]
        batch = {"line": [d.line for d in half], "digest": [d.digest for d in half],
                 "id": [json.dumps(d.id) for d in half], "text": [d.text for d in half]}  # fmt: skip
        start.wait()
        got[k] = actor(batch)

    threads = [threading.Thread(target=call, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(2):
        assert got[k]["line"] == [d.line for d in halves[k]]
        assert [json.loads(r) for r in got[k]["record"]] == expected[k]
    # a worker (its translator) per thread, one warm engine for both
    assert len(actor.workers) == 2 and actor.workers[0] is not actor.workers[1]
    assert actor.workers[0].translator.engine is actor.workers[1].translator.engine is alone.translator.engine


def test_ray_missing_says_how_to_install_it(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    with pytest.raises(SystemExit) as exc:
        main(["translate", str(archive), "--input-format", "jsonl", "-o", str(tmp_path / "o.jsonl"),
              "--backend", "ray", "-g", str(GLOSSARY_DIR)])  # fmt: skip
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "kp-translate: error: the Ray backend needs Ray: pip install 'kp-translate[ray]' (or: pip install 'ray[data]')"
    )
    assert not (tmp_path / "o.jsonl").exists() and not journal_path(tmp_path / "o.jsonl").exists()


# ------------------------------------------------------------------------------------------
# Interruptions: a killed worker, a killed run


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
    return out


def _tagged(tag: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if f"KP_TEST_BATCH={tag}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
    return found


def _start(archive: Path, out: Path, tag: str, *extra: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, KP_TEST_BATCH=tag, PYTHONPATH=str(SRC))
    cmd = [sys.executable, "-c", "from kp_translate.cli import main; main()", "translate", str(archive)]
    cmd += ["--input-format", "jsonl", "-o", str(out), "--engine", "apertium", "--no-cache", "-g", str(GLOSSARY_DIR)]
    cmd += ["--progress", "json", "--batch-size", "4", *extra]
    return subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, cwd=ROOT)


def _journal_records(out: Path) -> int:
    try:
        return max(0, journal_path(out).read_bytes().count(b"\n") - 1)
    except OSError:
        return 0


def _wait_for_records(run: subprocess.Popen[bytes], out: Path, n: int) -> None:
    deadline = time.monotonic() + 120
    while _journal_records(out) < n:
        assert run.poll() is None, run.stderr.read().decode() if run.stderr else ""
        assert time.monotonic() < deadline, "the run wrote no journal"
        time.sleep(0.02)


def _no_survivors(tag: str) -> None:
    deadline = time.monotonic() + 3.0
    left = _tagged(tag)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = _tagged(tag)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert left == [], f"{len(left)} process(es) outlived the run"


def test_a_worker_killed_mid_run_is_replaced_and_the_output_is_the_same(
    archive: Path, reference: tuple[bytes, dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    tag = uuid.uuid4().hex
    run = _start(archive, out, tag, "--workers", "2")
    try:
        _wait_for_records(run, out, 8)
        workers = [pid for pid in _children(run.pid) if _children(pid)]  # the pool processes run Apertium
        assert workers, "no worker process found"
        os.kill(workers[0], signal.SIGKILL)
        assert run.wait(timeout=300) == 0, run.stderr.read().decode() if run.stderr else ""
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert out.read_bytes() == reference[0]
    _no_survivors(tag)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_run_killed_mid_way_resumes_and_gives_the_same_output(
    archive: Path, reference: tuple[bytes, dict[str, Any]], tmp_path: Path, workers: str
) -> None:
    out = tmp_path / "out.jsonl"
    tag = uuid.uuid4().hex
    run = _start(archive, out, tag, "--workers", workers)
    try:
        _wait_for_records(run, out, 12)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    _no_survivors(tag)  # the pool and every Apertium stage died with the run
    assert not out.exists() and journal_path(out).exists()
    done = _journal_records(out)
    total = len(PARAGRAPHS) + 30
    assert 12 <= done < total
    report = tmp_path / "report.json"
    result = translate_jsonl(
        archive, out, engine="apertium", glossary=_glossary(), use_cache=False, report=report, workers=int(workers)
    )
    assert result.resumed == done and result.translated == total - done
    assert out.read_bytes() == reference[0]
    assert _without_run(json.loads(report.read_text(encoding="utf-8"))) == _without_run(reference[1])
    assert not journal_path(out).exists()


def _stop_after(n: int) -> Any:
    def stop(progress: Any) -> None:
        if progress.done >= n:
            raise KeyboardInterrupt

    return stop


def test_ctrl_c_keeps_what_is_done_and_a_torn_journal_line_is_cut_off(archive: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"".join(archive.read_bytes().splitlines(keepends=True)[:10]))
    out = tmp_path / "out.jsonl"
    translate_jsonl(small, out, engine="apertium", glossary=_glossary(), use_cache=False)
    expected = out.read_bytes()
    out.unlink()
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C after the third document
        translate_jsonl(
            small, out, engine="apertium", glossary=_glossary(), use_cache=False, on_progress=_stop_after(3),
            batch_size=1,
        )  # fmt: skip
    assert not out.exists() and _journal_records(out) == 3
    with journal_path(out).open("ab") as fh:  # what a kill in the middle of a write leaves
        fh.write(b'{"line": 4, "digest": "0123", "transl')
    result = translate_jsonl(small, out, engine="apertium", glossary=_glossary(), use_cache=False)
    assert (result.resumed, result.translated) == (3, 7)
    assert out.read_bytes() == expected


def test_a_journal_of_another_job_is_refused(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"".join(archive.read_bytes().splitlines(keepends=True)[:3]))
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        translate_jsonl(
            small, out, engine="apertium", glossary=_glossary(), use_cache=False, on_progress=_stop_after(1),
            batch_size=1,
        )  # fmt: skip
    with pytest.raises(SystemExit) as exc:  # the same archive, another glossary
        main(["translate", str(small), "--input-format", "jsonl", "-o", str(out), "--engine", "apertium",
              "--no-cache", "-g", str(GLOSSARY_DIR), "-g", str(ROOT / "examples" / "my-glossary.tsv")])  # fmt: skip
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kp-translate: error: {journal_path(out)}: the journal was written by another job (")
    assert "glossary_version" in err and "remove it to start over" in err
    assert not out.exists() and _journal_records(out) == 1


# ------------------------------------------------------------------------------------------
# Malformed lines


BAD_LINES = [
    (2, b"{not json\n", "not JSON: "),
    (3, b"[1, 2]\n", "a JSON list where a JSON object (one document) is expected"),
    (4, b'{"id": 7}\n', "no 'text' field (choose the text field with --text-field)"),
    (5, b'{"text": "Bonjour"}\n', "no 'id' field (choose the id field with --id-field)"),
    (6, b'{"id": 8, "text": 12}\n', "the 'text' field must be a string"),
    (8, b'{"id": 9, "text": "caf\xe9"}\n', "invalid UTF-8 (byte 0xe9 at column 23)"),
    (10, b'{"id": 10, "text": "Oui", "translation": "Yes"}\n', "the line already has a 'translation' field"),
]


def _bad_archive(tmp_path: Path) -> Path:
    path = tmp_path / "bad.jsonl"
    good = [json.dumps({"id": i, "text": PARAGRAPHS[i]}, ensure_ascii=False).encode() + b"\n" for i in range(3)]
    bad = [raw for _, raw, _ in BAD_LINES]
    lines = [good[0], *bad[:5], b"\n", bad[5], good[1], bad[6], good[2]]  # line 7 blank: ignored
    path.write_bytes(b"".join(lines))
    return path


def test_malformed_lines_are_skipped_and_reported_with_their_line(tmp_path: Path) -> None:
    archive = _bad_archive(tmp_path)
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    result = CliRunner().invoke(
        cli,
        ["translate", str(archive), "--input-format", "jsonl", "-o", str(out), "--engine", "apertium", "--no-cache",
         "-g", str(GLOSSARY_DIR), "--report", str(report), "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    skipped = json.loads(report.read_text(encoding="utf-8"))["skipped"]
    lines = archive.read_bytes().splitlines()
    wanted = [(n, why) for n, _, why in BAD_LINES]
    assert [s["line"] for s in skipped] == [n for n, _ in wanted]
    for s, (n, why) in zip(skipped, wanted, strict=True):
        assert s["error"].startswith(why), (n, s, lines[n - 1])
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == [0, 1, 2]
    assert "7 line(s) skipped" in result.stderr


def test_on_error_fail_stops_at_the_first_malformed_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = _bad_archive(tmp_path)
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as exc:
        main(["translate", str(archive), "--input-format", "jsonl", "-o", str(out), "--engine", "apertium",
              "--no-cache", "-g", str(GLOSSARY_DIR), "--on-error", "fail"])  # fmt: skip
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kp-translate: error: {archive}:2: not JSON: ") and "\n" not in err
    assert not out.exists() and not journal_path(out).exists()


def test_workers_and_backends_are_for_jsonl_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["translate", str(DOSSIER_FILES[0]), "-o", str(tmp_path), "--workers", "2", "-g", str(GLOSSARY_DIR)]
    )
    assert result.exit_code == 2
    assert "--workers, --backend and --address apply to --input-format jsonl" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_document_the_pipeline_refuses_is_skipped_or_fails_with_its_line(tmp_path: Path) -> None:
    archive = tmp_path / "long.jsonl"
    docs = [{"id": "a", "text": PARAGRAPHS[0]}, {"id": "b", "text": "x" * 2500}, {"id": "c", "text": PARAGRAPHS[1]}]
    archive.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = translate_jsonl(archive, out, engine="apertium", glossary=_glossary(), use_cache=False)
    assert [m.line for m in result.skipped] == [2]
    assert "cannot be translated" in result.skipped[0].message
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "c"]
    out.unlink()
    from kp_translate.errors import InputError

    with pytest.raises(InputError) as exc:
        translate_jsonl(archive, out, engine="apertium", glossary=_glossary(), use_cache=False, on_error="fail")
    assert (exc.value.path, exc.value.line) == (str(archive), 2)
    assert not out.exists() and _journal_records(out) == 3  # nothing done is lost


def test_other_id_and_text_fields(tmp_path: Path) -> None:
    archive = tmp_path / "fields.jsonl"
    archive.write_text(json.dumps({"uid": "k1", "body": "La RPDC et Kim Jong-un.", "id": "gardé"}) + "\n")
    out = tmp_path / "out.jsonl"
    translate_jsonl(
        archive, out, engine="apertium", glossary=_glossary(), use_cache=False, id_field="uid", text_field="body"
    )
    line = json.loads(out.read_text())
    assert line["translation"] == "The DPRK and Kim Jong Un."
    assert (line["uid"], line["id"], line["terms"]["enforced"]) == ("k1", "gardé", 2)


# ------------------------------------------------------------------------------------------
# The job travels with its versions; workers refuse to mix


def test_a_worker_refuses_another_glossary_version_or_model() -> None:
    job = make_job(_glossary(), Pair("fr", "en"), "apertium", use_cache=False)
    assert job.engine == "apertium" and len(job.entries) == len(_glossary().entries) > 200
    with pytest.raises(JobMismatch, match="refusing to mix glossary versions"):
        Worker(dataclasses.replace(job, glossary_version="0" * 16))
    edited = list(job.entries)
    edited[0] = dataclasses.replace(edited[0], target=edited[0].target + "s")
    with pytest.raises(JobMismatch, match="refusing to mix glossary versions"):
        Worker(dataclasses.replace(job, entries=tuple(edited)))
    with pytest.raises(JobMismatch, match="refusing to mix models"):
        Worker(dataclasses.replace(job, model_id="apertium-0.0:fr-es+spa-eng:000000000000"))
    with pytest.raises(JobMismatch, match="refusing to mix"):
        Worker(dataclasses.replace(job, version="0.0.1"))
    worker = Worker(job)  # the genuine job
    worker.close()


def test_progress_bar_shows_documents_per_second(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import click._termui_impl

    monkeypatch.setattr(click._termui_impl, "isatty", lambda stream: True)  # stderr a terminal
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"".join(archive.read_bytes().splitlines(keepends=True)[:6]))
    result = CliRunner().invoke(
        cli,
        ["translate", str(small), "--input-format", "jsonl", "-o", str(tmp_path / "o.jsonl"), "--engine", "apertium",
         "--no-cache", "-g", str(GLOSSARY_DIR), "--batch-size", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "translating" in result.stderr and " docs/s  ETA 00:00:0" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("6 documents fr→en with apertium (local, 1 worker): ")


@pytest.mark.parametrize("names", ["auto", "off"])
def test_names_the_glossary_lacks_are_inferred_per_document_and_totalled(names: str, tmp_path: Path) -> None:
    """--names reaches the workers: a Russian name the glossary lacks is rendered in its English press
    form with ``auto`` (reported as inferred, never as enforced) and left to the engine with ``off``."""
    text = "Le ministre Iouri Ouchakov a reçu Dmitri Peskov à Moscou."
    archive = tmp_path / "in.jsonl"
    archive.write_text(json.dumps({"id": "p", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = translate_jsonl(archive, out, engine="apertium", glossary=_glossary(), use_cache=False, names=names)
    line = json.loads(out.read_text(encoding="utf-8"))
    assert "Yuri Ushakov" in line["translation"]
    inferred = {r["target"] for r in line["terms"]["inferred"]}
    if names == "auto":
        assert "Dmitry Peskov" in line["translation"]
        assert inferred == {"Dmitry Peskov"}
        assert result.to_dict()["names"]["inferred"] == 1
    else:
        assert "Dmitry Peskov" not in line["translation"]
        assert inferred == set()
        assert result.to_dict()["names"]["inferred"] == 0
    assert line["terms"]["enforced"] == line["terms"]["expected"]
