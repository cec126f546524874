"""The CI gate: score a translated dossier, run the QA checks, compare with thresholds.

Thresholds come from ``[tool.kp-translate.check]`` in pyproject.toml (the nearest one from the
working directory up, or ``--config FILE``); when no such section exists, :data:`DEFAULTS` apply.
When the section exists it *is* the gate: only the keys written there are gated, the other
figures are reported but cannot fail the run.

Keys (rates and sacrebleu scores are percentages, 0–100, like sacrebleu prints them; the QA
counts are numbers of findings over the whole dossier):

=====================  =========================================================
``term_success_min``   term success rate (%) at least this
``forbidden_max``      forbidden renderings found at most this
``consistency_min``    consistency (%) at least this
``ref_agreement_min``  reference agreement (%) at least this
``bleu_min``           sacrebleu BLEU over the referenced paragraphs
``chrf_min``           sacrebleu chrF2
``chrfpp_min``         sacrebleu chrF2++
``ter_max``            sacrebleu TER at most this
``numbers_max``        number mismatches at most this
``untranslated_max``   untranslated paragraphs
``source_words_max``   source (or pivot) language words left in the translation
``brackets_max``       unbalanced or empty quotes, brackets
``two_ways_max``       terms rendered two ways within a document
``unresolved_names_max`` capitalised names of the source that the glossary lacks and no rule resolves
=====================  =========================================================

A term rate with nothing to measure (no glossary term in the source, no term occurring twice)
passes: there is nothing to get wrong. A sacrebleu gate with no reference snippet for the
checked documents fails ("not measured"): a gate that silently stops measuring is no gate.
Stale reference snippets are input errors here (exit 2): see :mod:`kp_translate.references`; so
is a French document of the source directory with no translation in the checked dossier.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .config import default_pair, find_pyproject, read_toml, refs_dir
from .errors import InputError
from .fileio import check_output, read_text
from .glossary import SOURCE_LANGUAGES, Glossary
from .lang import Pair, codes
from .lang import get as get_language
from .qa import CHECKS, DESCRIPTIONS, Finding, run
from .score import Corpus, ScoreReport, load, score_corpus
from .score import input_paths as input_paths_score

SECTION = ("tool", "kp-translate", "check")

#: gate key -> (figure, comparison, what it is)
GATES: dict[str, tuple[str, str, str]] = {
    "term_success_min": ("term_success", ">=", "term success rate (%)"),
    "forbidden_max": ("forbidden", "<=", "forbidden renderings found"),
    "consistency_min": ("consistency", ">=", "term consistency across the dossier (%)"),
    "ref_agreement_min": ("ref_agreement", ">=", "term agreement with the references (%)"),
    "bleu_min": ("bleu", ">=", "sacrebleu BLEU"),
    "chrf_min": ("chrf", ">=", "sacrebleu chrF2"),
    "chrfpp_min": ("chrf++", ">=", "sacrebleu chrF2++"),
    "ter_max": ("ter", "<=", "sacrebleu TER"),
    "numbers_max": ("numbers", "<=", "number mismatches"),
    "untranslated_max": ("untranslated", "<=", "untranslated paragraphs"),
    "source_words_max": ("source_words", "<=", "source-language words left"),
    "brackets_max": ("brackets", "<=", "unbalanced or empty quotes, brackets"),
    "two_ways_max": ("two_ways", "<=", "terms rendered two ways in a document"),
    "unresolved_names_max": ("unresolved_names", "<=", "names left unresolved"),
}
PERCENT_KEYS = ("term_success_min", "consistency_min", "ref_agreement_min")
SACREBLEU_FIGURES = ("bleu", "chrf", "chrf++", "ter")
#: which gate decides whether a QA check's findings fail the run
CHECK_GATE = {
    "terms": "term_success_min",
    "forbidden": "forbidden_max",
    "numbers": "numbers_max",
    "untranslated": "untranslated_max",
    "source_words": "source_words_max",
    "brackets": "brackets_max",
    "two_ways": "two_ways_max",
    "unresolved_names": "unresolved_names_max",
}

#: Used when no ``[tool.kp-translate.check]`` section is found. Measured on the enforced Apertium
#: translation of the dossier (see docs/score-check.md for the figures and the reasoning).
DEFAULTS: dict[str, float] = {
    "term_success_min": 99.0,
    "forbidden_max": 0,
    "consistency_min": 98.0,
    "ref_agreement_min": 98.0,
    "chrf_min": 59.0,
    "numbers_max": 0,
    "untranslated_max": 0,
    "source_words_max": 40,
    "brackets_max": 0,
    "two_ways_max": 0,
}


@dataclass(frozen=True)
class Thresholds:
    """The gate: key -> threshold, and where it was read from."""

    values: dict[str, float]
    source: str  # "pyproject.toml [tool.kp-translate.check]" or "built-in defaults"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "values": dict(self.values)}


def _key_line(text: str, key: str, table: str = "") -> int:
    """Line of ``key =`` inside the check section, or its *table* subsection (1 if not found)."""
    lines = text.splitlines()
    in_section = False
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            sub = rf"\s*\.\s*{regex.escape(table)}" if table else ""
            header = rf"\[\s*tool\s*\.\s*\"?kp-translate\"?\s*\.\s*check{sub}\s*\]"
            in_section = regex.match(header, stripped) is not None
            continue
        if in_section and regex.match(rf"^\s*\"?{regex.escape(key)}\"?\s*=", line):
            return n
    return 1


def parse_thresholds(
    values: Mapping[str, Any], path: str = "<thresholds>", text: str = "", table: str = ""
) -> dict[str, float]:
    """Validate threshold keys and values; problems raise :class:`InputError` (file:line)."""
    out: dict[str, float] = {}
    for key, value in values.items():
        line = _key_line(text, key, table) if text else None
        if key not in GATES:
            raise InputError(f"unknown threshold '{key}' (known: {', '.join(GATES)})", path, line)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"threshold '{key}' must be a number, got {value!r}", path, line)
        if value < 0:
            raise InputError(f"threshold '{key}' must not be negative", path, line)
        if key in PERCENT_KEYS and 0 < value < 1:
            raise InputError(
                f"threshold '{key}' = {value} looks like a fraction: rates are percentages (0-100), "
                f"write {value * 100:g}",
                path,
                line,
            )
        if (key in PERCENT_KEYS or key in ("chrf_min", "chrfpp_min", "bleu_min")) and value > 100:
            raise InputError(f"threshold '{key}' = {value} is above 100", path, line)
        if key.endswith("_max") and key not in ("ter_max",) and float(value) != int(value):
            raise InputError(f"threshold '{key}' counts findings: use a whole number", path, line)
        out[key] = float(value)
    return out


def load_thresholds(config: str | Path | None = None, language: str | None = None) -> Thresholds:
    """Read ``[tool.kp-translate.check]`` from *config* (default: nearest pyproject.toml).

    With *language*, the keys of ``[tool.kp-translate.check.<language>]`` override the base table
    for that source language (a table for another language is ignored)."""
    path = Path(config) if config is not None else find_pyproject()
    if path is None:
        return Thresholds(dict(DEFAULTS), "built-in defaults")
    if not path.is_file():
        raise InputError("no such config file", path)
    data, text = read_toml(path)
    section: Any = data
    for part in SECTION:
        section = section.get(part) if isinstance(section, dict) else None
        if section is None:
            if config is not None:
                raise InputError("no [tool.kp-translate.check] section", path)
            return Thresholds(dict(DEFAULTS), "built-in defaults")
    if not isinstance(section, dict):
        raise InputError("[tool.kp-translate.check] must be a table", path)
    base = {k: v for k, v in section.items() if not isinstance(v, dict)}
    values = parse_thresholds(base, str(path), text)
    where = f"{path} [tool.kp-translate.check]"
    for tag, table in section.items():
        if not isinstance(table, dict):
            continue
        if tag not in SOURCE_LANGUAGES:
            known = ", ".join(SOURCE_LANGUAGES)
            raise InputError(f"unknown language table [tool.kp-translate.check.{tag}] (known: {known})", path)
        parsed = parse_thresholds(table, str(path), text, tag)
        if tag == language:
            values.update(parsed)
            where += f" + [tool.kp-translate.check.{tag}]"
    return Thresholds(values, where)


@dataclass(frozen=True)
class GateResult:
    key: str
    figure: str
    op: str
    threshold: float
    value: float | None
    passed: bool
    note: str = ""
    signature: str = ""

    @property
    def label(self) -> str:
        return f"{self.figure} {self.op} {self.threshold:g}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "figure": self.figure,
            "op": self.op,
            "threshold": self.threshold,
            "value": self.value,
            "passed": self.passed,
            "note": self.note,
            "signature": self.signature,
        }


@dataclass
class CheckReport:
    """Everything ``kp-translate check`` reports; ``exit_code`` is 0 (pass) or 1 (gate failed)."""

    score: ScoreReport
    findings: dict[str, list[Finding]]
    gates: list[GateResult]
    thresholds: Thresholds
    glossary_entries: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(g.passed for g in self.gates)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    @property
    def documents(self) -> list[str]:
        return self.score.corpus.documents

    def gate_for(self, check: str) -> GateResult | None:
        key = CHECK_GATE.get(check)
        return next((g for g in self.gates if g.key == key), None)

    def failed(self, check: str) -> bool:
        gate = self.gate_for(check)
        return gate is not None and not gate.passed

    def by_doc(self, check: str, doc: str) -> list[Finding]:
        return [f for f in self.findings.get(check, []) if f.doc == doc]

    def summary(self) -> str:
        failed = [g for g in self.gates if not g.passed]
        if not failed:
            return f"PASS: {len(self.gates)} gate(s) passed"
        names = ", ".join(g.label for g in failed)
        return f"FAIL: {len(failed)} of {len(self.gates)} gate(s) failed: {names}"

    def to_dict(self) -> dict[str, Any]:
        score = self.score.to_dict()
        return {
            "passed": self.passed,
            "exit_code": self.exit_code,
            "summary": self.summary(),
            "input": score["input"],
            "thresholds": self.thresholds.to_dict(),
            "gates": [g.to_dict() for g in self.gates],
            "checks": {
                name: {
                    "description": DESCRIPTIONS[name],
                    "gate": CHECK_GATE[name] if self.gate_for(name) else None,
                    "failed": self.failed(name),
                    "count": len(found),
                    "by_doc": {doc: len(self.by_doc(name, doc)) for doc in self.documents},
                }
                for name, found in self.findings.items()
            },
            "findings": [f.to_dict() for name in self.findings for f in self.findings[name]],
            "metrics": {"sacrebleu": score["sacrebleu"], "terms": score["terms"], "documents": score["documents"]},
            "notes": list(self.notes),
        }


def evaluate(report: ScoreReport, findings: dict[str, list[Finding]], thresholds: Thresholds) -> list[GateResult]:
    """Compare every gated figure with its threshold."""
    results = []
    for key, threshold in thresholds.values.items():
        figure, op, _ = GATES[key]
        signature = ""
        note = ""
        value: float | None
        if figure in findings:
            value = float(len(findings[figure]))
            if figure == "forbidden":
                term = report.term("forbidden")
                signature = term.signature if term else ""
        elif figure in SACREBLEU_FIGURES:
            value = report.value(figure)
            signature = next((s.signature for s in report.sacrebleu if s.key == figure), "")
            if value is None:
                note = "not measured: no reference snippet for the checked documents"
        else:
            term = report.term(figure)
            value = term.score if term is not None else None
            signature = term.signature if term is not None else ""
            if value is None:
                note = "nothing to measure" if term is not None else "not measured: no source"
        if value is None:
            passed = note == "nothing to measure"
        else:
            passed = value >= threshold if op == ">=" else value <= threshold
        results.append(GateResult(key, figure, op, threshold, value, passed, note, signature))
    return results


def check(
    path: str | Path,
    *,
    src: str | Path | None = None,
    ref: str | Path | None = None,
    glossary: Glossary | None = None,
    thresholds: Thresholds | Mapping[str, float] | None = None,
    config: str | Path | None = None,
    translate: bool = False,
    engine: str = "auto",
    translated: str | Path | None = None,
    source: str | None = None,
    target: str | None = None,
) -> CheckReport:
    """Check a translated dossier (or, with *translate*, translate the source dossier *path* first).

    *source*/*target* name the pair (default: the project's): its corpus (``corpus/<source>``) and
    references are the defaults, its glossary view gives the terms, ``[tool.kp-translate.check.<source>]``
    overrides the base thresholds. *thresholds* overrides the configuration (a mapping is validated
    like the pyproject section); otherwise they are read from *config* or the nearest
    pyproject.toml. A source document of the source directory with no translation in the dossier
    is an :class:`InputError`: a gate that passes half a dossier hides a failed translation.
    """
    defaults = default_pair()
    pair = Pair(source or defaults.source, target or defaults.target)
    if thresholds is None:
        gate = load_thresholds(config, pair.source)
    elif isinstance(thresholds, Thresholds):
        gate = thresholds
    else:
        gate = Thresholds(parse_thresholds(thresholds), "given")
    if glossary is None:
        from .glossary import load as load_glossary

        glossary = load_glossary()
    notes: list[str] = []
    if translate:
        return _check_translated(path, ref, glossary, gate, engine, translated, pair)
    corpus = load(path, ref, src, stale="error", missing="error", pair=pair)
    if not corpus.has_source:
        raise InputError("check needs the source (--src)", path)
    figures = [k for k in SACREBLEU_FIGURES if k != "ter" or "ter_max" in gate.values]
    report = score_corpus(corpus, glossary, figures)
    consistency = report.term("consistency")
    findings = run(report.analyses, CHECKS, consistency.data if consistency is not None else None)
    if "unresolved_names_max" in gate.values or corpus.sources:
        findings["unresolved_names"], names_note = names_findings(corpus, glossary)
        notes.append(names_note)
    result = CheckReport(report, findings, evaluate(report, findings, gate), gate, len(glossary), notes)
    if not corpus.referenced:
        result.notes.append("no reference snippet matches the checked documents: sacrebleu metrics not computed")
    return result


def names_findings(corpus: Corpus, glossary: Glossary) -> tuple[list[Finding], str]:
    """The names of the source documents that the glossary lacks (:class:`~kp_translate.infer.NameFinder`):
    a finding per unresolved run, and a note counting the names a rule resolves (``inferred``,
    kept apart from the glossary's terms) and how many of them the translation holds in their English form."""
    from .infer import NameFinder, transient_entry
    from .verify import Verifier

    finder = NameFinder(glossary, get_language(corpus.pair.source))
    hyps = {(s.doc, s.index): s for s in corpus.segments}
    verifier = Verifier(glossary.view(corpus.pair.source))
    findings: list[Finding] = []
    inferred = rendered = 0
    for name, document in corpus.sources.items():
        names = finder.document(document)
        for n in names.inferred:
            inferred += 1
            seg = hyps.get((name, n.paragraph))
            if seg is not None and verifier.expected(seg.hyp, [transient_entry(n)]):
                rendered += 1
        for u in names.unresolved:
            seg = hyps.get((name, u.paragraph))
            if seg is None:
                continue
            para = document.paragraphs[u.paragraph].text
            excerpt = " ".join(para[max(0, u.start - 30) : u.end + 30].split())
            message = f"name {u.source!r} unresolved ({u.reason})"
            findings.append(Finding("unresolved_names", name, seg.path, seg.line, u.paragraph, para, message, excerpt))
    note = f"names the glossary lacks: {inferred} inferred by rule ({rendered} rendered so), {len(findings)} unresolved"
    return findings, note


def _require_source(src: Path, inputs: list[str], pair: Pair) -> None:
    """With ``--translate`` PATH is the source: refuse a directory whose documents read as the
    target language (a translation given by mistake), before translating anything."""
    from .lang.identify import is_language

    done = [Path(p).name for p in inputs if is_language(read_text(p), pair.target, pair.source)]
    if len(done) * 2 > len(inputs):
        raise InputError(
            f"{len(done)} of the {len(inputs)} document(s) read as {codes.name(pair.target)}: with --translate, "
            "PATH is the "
            "source dossier (to check a translation, drop --translate: kp-translate check PATH --src DIR)",
            src,
        )


def input_paths(
    path: str | Path,
    *,
    src: str | Path | None = None,
    ref: str | Path | None = None,
    config: str | Path | None = None,
    translate: bool = False,
    translated: str | Path | None = None,
    source: str | None = None,
) -> list[tuple[str, Path]]:
    """Every path :func:`check` reads for these arguments, defaults included (the source, the
    references, the thresholds file), each with what it is: what a report file must not
    overwrite (see :func:`kp_translate.fileio.check_output`)."""
    lang = source or default_pair().source
    if translate:
        paths = [("the source", Path(path)), ("the references", Path(ref if ref is not None else refs_dir(lang)))]
        if translated is not None:
            paths.append(("the translation", Path(translated)))
    else:
        paths = input_paths_score(path, ref, src, lang)
    thresholds = Path(config) if config is not None else find_pyproject()
    if thresholds is not None:
        paths.append(("the thresholds file", thresholds))
    return paths


def _check_translated(
    src: str | Path,
    ref: str | Path | None,
    glossary: Glossary,
    gate: Thresholds,
    engine: str,
    translated: str | Path | None,
    pair: Pair,
) -> CheckReport:
    """Translate the source dossier *src* with enforced terminology, then check the result."""
    from . import translate as translate_lib

    src = Path(src)
    if not src.is_dir():
        raise InputError("--translate needs the source dossier directory", src)
    inputs = sorted(str(p) for p in src.glob("*.txt"))
    if not inputs:
        raise InputError("no .txt file to translate", src)
    _require_source(src, inputs, pair)
    if translated is not None:
        # the translation is written there: not over the source, the references or the glossary
        check_output(translated, [src], "the source")
        check_output(translated, [ref if ref is not None else refs_dir(pair.source)], "the references")
        check_output(translated, glossary.files, "the glossary")

    def run_in(out: Path) -> CheckReport:
        translate_lib.translate(
            inputs, str(out), source=pair.source, target=pair.target, engine=engine, glossary=glossary
        )
        report = check(
            out, src=src, ref=ref, glossary=glossary, thresholds=gate, source=pair.source, target=pair.target
        )
        report.notes.append(f"translated {len(inputs)} document(s) from {src} with engine '{engine}' into {out}")
        return report

    if translated is not None:
        return run_in(Path(translated))
    with tempfile.TemporaryDirectory(prefix="kp-check-") as tmp:
        return run_in(Path(tmp))
