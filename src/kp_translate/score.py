"""Score a translation: sacrebleu's BLEU, chrF, chrF++ and TER, and the term metrics.

Two kinds of input:

* a **translated dossier directory** (``out/en``): every ``*.txt`` file in it is paired with the
  French file of the same name in the source directory (default ``corpus/fr``) paragraph by
  paragraph, and with the reference snippets of ``<ref dir>/<name without .txt>.json`` (default
  ``corpus/ref``; see :mod:`kp_translate.references`). sacrebleu metrics are computed over the
  paragraphs that have a reference; term metrics over every paragraph. French documents with no
  translation are listed in ``Corpus.missing`` with a warning (:mod:`kp_translate.check` refuses them).
* **plain text files**, one segment per line (sacrebleu's convention: lines are right-stripped),
  with one or more reference files and optionally a French source file (``--src``) of the same
  length; without a source only sacrebleu's metrics are computed.

Library use::

    from kp_translate.score import score
    report = score("out/en")                      # dossier against corpus/fr and corpus/ref
    report.value("chrf"), report.value("term_success")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import DEFAULT_SOURCE, DEFAULT_TARGET, corpus_dir, default_pair, refs_dir
from .errors import InputError
from .fileio import normalise_newlines, read_text
from .glossary import Glossary
from .lang import Pair
from .metrics import TERM_METRICS, Analyser, Segment, SegmentAnalysis, TermResult
from .metrics.sacre import KEYS, CorpusScore, PendingScores
from .references import Resolved, load_for, resolve
from .segment import Document, read_document

#: the default source language's corpus and references (relative to the working directory)
DEFAULT_SRC = str(corpus_dir(DEFAULT_SOURCE))
DEFAULT_REF = str(refs_dir(DEFAULT_SOURCE))
STALE_POLICIES = ("warn", "error")
MISSING_POLICIES = ("warn", "error")


@dataclass
class Corpus:
    """What is scored: segments with their sources and references, and where they came from."""

    mode: str  # "dossier" or "lines"
    segments: list[Segment]
    documents: list[str]
    hyp: str
    src: str | None = None
    refs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stale: list[Resolved] = field(default_factory=list)
    #: the language pair of the sources and translations
    pair: Pair = field(default_factory=lambda: Pair(DEFAULT_SOURCE, DEFAULT_TARGET))
    #: source documents of the source directory with no translation in the dossier (dossier mode)
    missing: list[str] = field(default_factory=list)
    #: source documents by name (dossier mode), for callers that need the paragraphs
    sources: dict[str, Document] = field(default_factory=dict)

    @property
    def has_source(self) -> bool:
        return any(s.source is not None for s in self.segments)

    @property
    def referenced(self) -> list[Segment]:
        return [s for s in self.segments if s.refs]


def _line_of(doc: Document, start: int) -> int:
    return doc.text.count("\n", 0, start) + 1


def load_document_pair(hyp_path: Path, src_path: Path) -> tuple[Document, Document]:
    """Read a translated file and its source; they must have as many paragraphs."""
    if not src_path.is_file():
        raise InputError(f"no source {src_path} for this translation (pass --src DIR)", hyp_path)
    hyp_doc = read_document(hyp_path)
    src_doc = read_document(src_path)
    if len(hyp_doc.paragraphs) != len(src_doc.paragraphs):
        raise InputError(
            f"{len(hyp_doc.paragraphs)} paragraphs but its source {src_path} has {len(src_doc.paragraphs)}: "
            "a translated document keeps paragraph i of the source at paragraph i",
            hyp_path,
        )
    return hyp_doc, src_doc


def load_dossier(
    hyp_dir: str | Path,
    src_dir: str | Path | None = None,
    ref_dir: str | Path | None = None,
    *,
    stale: str = "warn",
    missing: str = "warn",
    pair: Pair | None = None,
) -> Corpus:
    """Pair a translated dossier with its sources (in *pair*'s source language) and reference snippets.

    *src_dir* defaults to ``corpus/<source>`` and *ref_dir* to its references
    (:func:`kp_translate.config.refs_dir`; used only if present;
    an explicit *ref_dir* must exist). *stale* says what a stale snippet does: ``"warn"`` (use
    the paragraph at the snippet's index, add a warning) or ``"error"`` (raise
    :class:`InputError` at the snippet's line). *missing* says what a source document of
    *src_dir* without a translation in *hyp_dir* does: ``"warn"`` (listed in ``Corpus.missing``
    with a warning; the translated documents are scored) or ``"error"`` (raise
    :class:`InputError` naming them).
    """
    if stale not in STALE_POLICIES:
        raise ValueError(f"stale must be one of {STALE_POLICIES}")
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}")
    hyp_dir = Path(hyp_dir)
    if not hyp_dir.is_dir():
        raise InputError("no such directory", hyp_dir)
    pair = pair or default_pair()
    src = Path(src_dir) if src_dir is not None else corpus_dir(pair.source)
    if not src.is_dir():
        hint = "" if src_dir is not None else " (the default; pass --src DIR)"
        raise InputError(f"no such source directory{hint}", src)
    refs: Path | None = None
    if ref_dir is not None:
        refs = Path(ref_dir)
        if not refs.is_dir():
            raise InputError("no such reference directory", refs)
        if not any(q.is_file() for q in refs.glob("*.json")):
            raise InputError("no reference file (*.json) in this directory", refs)
    elif refs_dir(pair.source).is_dir():
        refs = refs_dir(pair.source)
    files = sorted(p for p in hyp_dir.iterdir() if p.is_file() and p.suffix == ".txt")
    if not files:
        raise InputError("no translated .txt file in this directory", hyp_dir)
    corpus = Corpus(
        "dossier", [], [f.name for f in files], str(hyp_dir), str(src), [str(refs)] if refs else [], pair=pair
    )
    translated = {f.name for f in files}
    corpus.missing = sorted(p.name for p in src.glob("*.txt") if p.is_file() and p.name not in translated)
    if corpus.missing:
        listed = ", ".join(corpus.missing)
        n_src = len(corpus.missing) + sum((src / name).is_file() for name in translated)
        what = f"{len(corpus.missing)} of the {n_src} source document(s) in {src} have no translation here"
        if missing == "error":
            hint = "translate every document, or give --src a directory of only the documents to check"
            raise InputError(f"{what}: {listed} ({hint})", hyp_dir)
        corpus.warnings.append(f"{hyp_dir}: {what}, not scored: {listed}")
    for hyp_path in files:
        hyp_doc, src_doc = load_document_pair(hyp_path, src / hyp_path.name)
        corpus.sources[hyp_path.name] = src_doc
        ref_text: dict[int, str] = {}
        ref_file = load_for(refs, hyp_path.name) if refs else None
        if ref_file is not None:
            for r in resolve(ref_file, src_doc):
                if r.stale:
                    if stale == "error":
                        raise InputError(r.problem(), r.snippet.path, r.snippet.line)
                    corpus.stale.append(r)
                    if r.paragraph is None:
                        corpus.warnings.append(f"{r.snippet.where}: {r.problem()}; snippet ignored")
                        continue
                    corpus.warnings.append(f"{r.snippet.where}: {r.problem()}; used for paragraph #{r.index}")
                ref_text[r.index] = r.snippet.ref
        for hp, sp in zip(hyp_doc.paragraphs, src_doc.paragraphs, strict=True):
            ref = ref_text.get(hp.index)
            corpus.segments.append(
                Segment(
                    doc=hyp_path.name,
                    index=hp.index,
                    hyp=hp.text,
                    source=sp.text,
                    refs=(ref,) if ref is not None else (),
                    path=str(hyp_path),
                    line=_line_of(hyp_doc, hp.start),
                    pair=pair,
                )
            )
    return corpus


def read_lines(path: str | Path) -> list[str]:
    """Segments of a plain text file: one per line, right-stripped (as sacrebleu reads them)."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path)
    if path.is_dir():
        raise InputError("is a directory: plain-text input is one segment per line", path)
    text, _ = normalise_newlines(read_text(path))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise InputError("empty file: expected one segment per line", path)
    return [line.rstrip() for line in lines]


def load_lines(
    hyp_file: str | Path,
    ref_files: Sequence[str | Path] = (),
    src_file: str | Path | None = None,
    pair: Pair | None = None,
) -> Corpus:
    """Pair a one-segment-per-line hypothesis with reference files and a source file."""
    pair = pair or default_pair()
    hyp = read_lines(hyp_file)
    name = Path(hyp_file).name

    def same_length(path: str | Path, what: str) -> list[str]:
        lines = read_lines(path)
        if len(lines) != len(hyp):
            raise InputError(f"{what} has {len(lines)} lines but the hypothesis {hyp_file} has {len(hyp)}", path)
        return lines

    refs = [same_length(r, "reference") for r in ref_files]
    src = same_length(src_file, "source") if src_file is not None else None
    if not refs and src is None:
        raise InputError("nothing to score against: give --ref FILE and/or --src FILE", hyp_file)
    segments = [
        Segment(
            doc=name,
            index=i,
            hyp=h,
            source=src[i] if src is not None else None,
            refs=tuple(r[i] for r in refs),
            path=str(hyp_file),
            line=i + 1,
            kind="line",
            pair=pair,
        )
        for i, h in enumerate(hyp)
    ]
    return Corpus(
        "lines",
        segments,
        [name],
        str(hyp_file),
        str(src_file) if src_file else None,
        [str(r) for r in ref_files],
        pair=pair,
    )


def load(
    hyp: str | Path,
    ref: str | Path | Sequence[str | Path] | None = None,
    src: str | Path | None = None,
    *,
    stale: str = "warn",
    missing: str = "warn",
    pair: Pair | None = None,
) -> Corpus:
    """A dossier directory or a plain text file, whichever *hyp* is (*stale*, *missing*: see
    :func:`load_dossier`), translated in *pair* (default: the project's)."""
    refs: list[str | Path] = [] if ref is None else [ref] if isinstance(ref, (str, Path)) else list(ref)
    if Path(hyp).is_dir():
        if len(refs) > 1:
            raise InputError("a translated dossier takes one reference directory", hyp)
        if src is not None and not Path(src).is_dir():
            raise InputError("the source of a translated dossier must be a directory", src)
        return load_dossier(hyp, src, refs[0] if refs else None, stale=stale, missing=missing, pair=pair)
    if not Path(hyp).exists():
        raise InputError("no such file or directory", hyp)
    for r in refs:
        if Path(r).is_dir():
            raise InputError("reference directories go with a translated dossier directory, not a file", r)
    return load_lines(hyp, refs, src, pair)


def input_paths(
    hyp: str | Path,
    ref: str | Path | Sequence[str | Path] | None = None,
    src: str | Path | None = None,
    source: str | None = None,
) -> list[tuple[str, Path]]:
    """Every path :func:`load` reads for these arguments, defaults included (``corpus/<source>``
    and its references for a dossier), each with what it is: what an output file must not
    overwrite (see :func:`kp_translate.fileio.check_output`)."""
    lang = source or default_pair().source
    refs: list[str | Path] = [] if ref is None else [ref] if isinstance(ref, (str, Path)) else list(ref)
    dossier = Path(hyp).is_dir()
    paths = [("the translation", Path(hyp)), *(("the references", Path(r)) for r in refs)]
    if src is not None:
        paths.append(("the source", Path(src)))
    elif dossier:
        paths.append(("the source", corpus_dir(lang)))
    if dossier and not refs and refs_dir(lang).is_dir():
        paths.append(("the references", refs_dir(lang)))
    return paths


@dataclass
class ScoreReport:
    """Every figure of a scoring run (``to_dict`` is the ``--format json`` output)."""

    corpus: Corpus
    sacrebleu: list[CorpusScore]
    sacrebleu_by_doc: dict[str, list[CorpusScore]]
    terms: list[TermResult]
    glossary_version: str | None
    glossary_files: list[str]
    analyses: list[SegmentAnalysis] = field(default_factory=list, repr=False)

    @property
    def warnings(self) -> list[str]:
        return self.corpus.warnings

    def term(self, name: str) -> TermResult | None:
        return next((t for t in self.terms if t.name == name), None)

    def value(self, key: str) -> float | None:
        """A figure by key: bleu, chrf, chrf++, ter, term_success, forbidden, consistency, ref_agreement."""
        for s in self.sacrebleu:
            if s.key == key:
                return s.score
        t = self.term(key)
        return t.score if t is not None else None

    def to_dict(self) -> dict[str, Any]:
        c = self.corpus
        return {
            "input": {
                "mode": c.mode,
                "hyp": c.hyp,
                "src": c.src,
                "refs": c.refs,
                "documents": c.documents,
                "missing": c.missing,
                "segments": len(c.segments),
                "segments_with_reference": len(c.referenced),
                "glossary": {"version": self.glossary_version, "files": self.glossary_files},
            },
            "sacrebleu": [s.to_dict() for s in self.sacrebleu],
            "terms": [t.to_dict() for t in self.terms],
            "documents": {
                doc: {
                    "sacrebleu": {s.key: s.score for s in self.sacrebleu_by_doc.get(doc, [])},
                    "terms": {
                        t.name: (t.by_doc[doc].hits if t.is_count else t.by_doc[doc].score) if doc in t.by_doc else None
                        for t in self.terms
                    },
                }
                for doc in c.documents
            },
            "warnings": list(c.warnings),
            "stale": [
                {"id": r.snippet.id, "where": r.snippet.where, "problem": r.problem()} for r in self.corpus.stale
            ],
        }


def score_corpus(corpus: Corpus, glossary: Glossary | None, sacrebleu_metrics: Sequence[str] = KEYS) -> ScoreReport:
    """Compute sacrebleu's metrics (segments with references) and the term metrics (with a source).

    *sacrebleu_metrics* chooses among ``bleu``, ``chrf``, ``chrf++`` and ``ter`` (TER is the slow one).
    """
    referenced = corpus.referenced
    n_refs = max((len(s.refs) for s in referenced), default=0)
    hyps = [s.hyp for s in referenced]
    refs = [[s.refs[k] for s in referenced] for k in range(n_refs)]
    # sacrebleu works in worker processes (large corpora) while the term metrics are computed here
    groups = [s.doc for s in referenced] if corpus.mode == "dossier" else None
    pending = PendingScores(hyps, refs, groups, sacrebleu_metrics)
    terms: list[TermResult] = []
    analyses: list[SegmentAnalysis] = []
    try:
        if glossary is not None and corpus.has_source:
            view = glossary.view(corpus.pair.source)
            analyses = Analyser(view).analyse_all(corpus.segments)
            terms = [cls(view, corpus.pair).compute(analyses) for cls in TERM_METRICS]
    except BaseException:
        pending.close()
        raise
    scores, by_doc = pending.result()
    return ScoreReport(
        corpus,
        scores,
        by_doc,
        terms,
        glossary.view(corpus.pair.source).version if glossary is not None else None,
        list(glossary.files) if glossary is not None else [],
        analyses,
    )


def score(
    hyp: str | Path,
    ref: str | Path | Sequence[str | Path] | None = None,
    src: str | Path | None = None,
    *,
    glossary: Glossary | None = None,
    stale: str = "warn",
    metrics: Sequence[str] = KEYS,
    source: str | None = None,
    target: str | None = None,
) -> ScoreReport:
    """Score *hyp* (dossier directory or line file). See the module docstring.

    *glossary* defaults to the project glossary (:func:`kp_translate.glossary.load`) when there is
    a source to compute term metrics from. *metrics* chooses the sacrebleu metrics (``bleu``,
    ``chrf``, ``chrf++``, ``ter``; default all). *source*/*target* name the pair (default: the
    project's): its corpus and references are the defaults, its glossary view gives the terms.
    """
    unknown = [m for m in metrics if m not in KEYS]
    if unknown:
        raise InputError(f"unknown metric(s) {', '.join(unknown)} (known: {', '.join(KEYS)})")
    defaults = default_pair()
    corpus = load(hyp, ref, src, stale=stale, pair=Pair(source or defaults.source, target or defaults.target))
    if glossary is None and corpus.has_source:
        from .glossary import load as load_glossary

        glossary = load_glossary()
    return score_corpus(corpus, glossary, [k for k in KEYS if k in metrics])
