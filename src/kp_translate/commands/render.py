"""Report writers: a readable text table (colour only when asked), JSON, and JUnit XML.

JUnit layout (what Jenkins, GitLab and GitHub test reporters display): one ``<testsuite>`` named
``gates`` with one ``<testcase>`` per threshold, then one ``<testsuite>`` per document with one
``<testcase>`` per QA check. A document's check fails when the check's gate failed and the
document has findings for it; the ``<failure>`` body lists them as
``file:line (#paragraph): message: excerpt``. Findings of checks whose gate passed (or that are not
gated) go to the test case's ``<system-out>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from xml.etree import ElementTree as ET

import click

from ..check import GATES, CheckReport, GateResult
from ..metrics.base import TermResult
from ..qa import DESCRIPTIONS
from ..score import ScoreReport

Style = Callable[..., str]


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """*text* without the characters XML 1.0 cannot carry."""
    return _XML_INVALID.sub("\ufffd", text)


def _plain(text: str, **_: Any) -> str:
    return text


def styler(colour: bool) -> Style:
    """``click.style`` when *colour*, else the identity."""
    return click.style if colour else _plain


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _table(rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        out.append("  ".join(cells).rstrip())
    return out


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def gate_value(g: GateResult) -> str:
    """A gate's figure as people read it: counts as whole numbers, scores with two decimals."""
    if g.value is None:
        return g.note
    return f"{g.value:.0f}" if g.key.endswith("_max") and g.key != "ter_max" else f"{g.value:.2f}"


def _term_cell(t: TermResult, doc: str) -> str:
    tally = t.by_doc.get(doc)
    if tally is None:
        return "-"
    return str(tally.hits) if t.is_count else _fmt(tally.score, 1)


# ---------------------------------------------------------------------------------------------
# score


def score_text(report: ScoreReport, colour: bool = False, worst_terms: int = 10) -> str:
    s = styler(colour)
    c = report.corpus
    lines = [
        s(f"kp-translate score: {c.hyp}", bold=True)
        + f" ({len(c.documents)} document(s), {len(c.segments)} segment(s), {len(c.referenced)} with a reference)"
    ]
    if report.glossary_version:
        lines.append(f"glossary {report.glossary_version}: {', '.join(report.glossary_files) or '-'}")
    lines.append("")
    rows = [[sc.text.split(" = ")[0], _fmt(sc.score), sc.signature] for sc in report.sacrebleu]
    rows += [[t.name, t.format_score(), t.signature] for t in report.terms]
    if rows:
        lines += _table([["metric", "score", "signature"], *rows])
    for sc in report.sacrebleu:
        lines.append(s(sc.text, dim=True))
    if not report.sacrebleu:
        lines.append("no reference: sacrebleu metrics not computed")
    if not report.terms:
        lines.append("no source: term metrics not computed")
    if c.mode == "dossier" and len(c.documents) > 1:
        lines.append("")
        keys = [sc.key for sc in report.sacrebleu]
        header = ["document", *[sc.text.split(" = ")[0] for sc in report.sacrebleu], *[t.name for t in report.terms]]
        table = [header]
        for doc in c.documents:
            by_key = {x.key: x.score for x in report.sacrebleu_by_doc.get(doc, [])}
            table.append([doc, *[_fmt(by_key.get(k)) for k in keys], *[_term_cell(t, doc) for t in report.terms]])
        lines += _table(table, right=range(1, len(header)))
    success = report.term("term_success")
    if success is not None:
        misses = sorted(
            ((tid, t) for tid, t in success.by_term.items() if t.hits < t.total),
            key=lambda x: (x[1].score or 0, x[0]),
        )
        if misses:
            lines.append("")
            lines.append(f"terms missing their target ({len(misses)}):")
            for tid, t in misses[:worst_terms]:
                lines.append(f"  {tid}: {t.hits}/{t.total}")
            if len(misses) > worst_terms:
                lines.append(f"  … {len(misses) - worst_terms} more (--format json lists all)")
    forbidden = report.term("forbidden")
    if forbidden is not None and forbidden.details:
        lines.append("")
        lines.append(s(f"forbidden renderings ({len(forbidden.details)}):", fg="red"))
        for d in forbidden.details[:worst_terms]:
            lines.append(f"  {d['where']}: '{d['form']}' → '{d['target']}': {d['excerpt']}")
        if len(forbidden.details) > worst_terms:
            lines.append(f"  … {len(forbidden.details) - worst_terms} more (--format json lists all)")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# check


def check_text(report: CheckReport, colour: bool = False, max_findings: int = 10) -> str:
    s = styler(colour)
    sr = report.score
    c = sr.corpus

    def verdict(passed: bool) -> str:
        return s("pass", fg="green") if passed else s("FAIL", fg="red", bold=True)

    lines = [
        s(f"kp-translate check: {c.hyp}", bold=True)
        + f" against {c.src} ({len(c.documents)} document(s), {len(c.segments)} paragraph(s), "
        f"{len(c.referenced)} with a reference)",
        f"glossary {sr.glossary_version} ({report.glossary_entries} entries); thresholds: {report.thresholds.source}",
        "",
    ]
    rows = [["gate", "value", "threshold", "result"]]
    for g in report.gates:
        rows.append([GATES[g.key][2], gate_value(g), f"{g.op} {g.threshold:g}", "pass" if g.passed else "FAIL"])
    table = _table(rows, right=(1,))
    lines.append(table[0])
    for line, g in zip(table[1:], report.gates, strict=True):
        lines.append(line[:-4] + verdict(g.passed))
    if report.findings:
        lines.append("")
        short = _short_names(c.documents)
        rows = [["check", *short, "total", "gated by"]]
        for name, found in report.findings.items():
            gate = report.gate_for(name)
            rows.append(
                [
                    name,
                    *[str(len(report.by_doc(name, d))) for d in c.documents],
                    str(len(found)),
                    gate.key if gate else "-",
                ]
            )
        lines += _table(rows, right=range(1, len(c.documents) + 2))
    for name, found in report.findings.items():
        if not found:
            continue
        failed = report.failed(name)
        title = f"{name}: {DESCRIPTIONS[name]} ({len(found)})"
        lines.append("")
        lines.append(s(title, fg="red", bold=True) if failed else s(title, fg="yellow"))
        for f in found[:max_findings]:
            lines.append(f"  {f}")
        if len(found) > max_findings:
            lines.append(f"  … {len(found) - max_findings} more (--format json or junit lists all)")
    for note in report.notes:
        lines.append(s(f"note: {note}", dim=True))
    lines.append("")
    summary = report.summary()
    lines.append(s(summary, fg="green" if report.passed else "red", bold=True))
    return "\n".join(lines) + "\n"


def check_junit(report: CheckReport) -> str:
    """JUnit XML (see the module docstring)."""
    root = ET.Element("testsuites", name="kp-translate check")
    total_tests = 0
    total_failures = 0

    def suite(name: str) -> ET.Element:
        return ET.SubElement(root, "testsuite", name=name)

    gates = suite("gates")
    failures = 0
    for g in report.gates:
        case = ET.SubElement(gates, "testcase", classname="kp-translate.gates", name=g.label)
        value = gate_value(g)
        detail = f"{GATES[g.key][2]}: {value} (threshold {g.op} {g.threshold:g})"
        if g.signature:
            detail += f"\nsignature: {g.signature}"
        if not g.passed:
            failures += 1
            failure = ET.SubElement(case, "failure", message=f"{g.figure} = {value}, needs {g.op} {g.threshold:g}")
            failure.set("type", g.key)
            failure.text = xml_safe(detail)
        else:
            ET.SubElement(case, "system-out").text = xml_safe(detail)
    gates.set("tests", str(len(report.gates)))
    gates.set("failures", str(failures))
    gates.set("errors", "0")
    total_tests += len(report.gates)
    total_failures += failures
    for doc in report.documents:
        path = next((s.path for s in report.score.corpus.segments if s.doc == doc), doc)
        ts = suite(doc)
        failures = 0
        for name in report.findings:
            found = report.by_doc(name, doc)
            case = ET.SubElement(ts, "testcase", classname=f"kp-translate.{doc}", name=name, file=path)
            body = xml_safe("\n".join(str(f) for f in found))
            if found and report.failed(name):
                failures += 1
                gate = report.gate_for(name)
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{len(found)} finding(s): {DESCRIPTIONS[name]}"
                    + (f" (gate {gate.label} failed)" if gate else ""),
                )
                failure.set("type", name)
                failure.text = body
            elif found:
                ET.SubElement(case, "system-out").text = body
        ts.set("tests", str(len(report.findings)))
        ts.set("failures", str(failures))
        ts.set("errors", "0")
        total_tests += len(report.findings)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _short_names(documents: list[str]) -> list[str]:
    """Column labels for documents: the fewest leading ``_``-separated parts of each stem that
    tell them apart (``000`` for ``000_7c2f….txt``, ``es_01`` for ``es_01_cumbre.txt``)."""
    parts = [d.split(".")[0].split("_") for d in documents]
    for k in range(1, max((len(p) for p in parts), default=1) + 1):
        labels = ["_".join(p[:k]) for p in parts]
        if len(set(labels)) == len(labels):
            return labels
    return [d.split(".")[0] for d in documents]
