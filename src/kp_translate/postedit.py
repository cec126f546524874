"""The translated dossier as a PO file for post-editors, and back.

:func:`postedit_export`: one PO entry per paragraph of each French document. ``msgctxt`` is the
paragraph id (``000_x.txt#3``), ``msgid`` the French paragraph, ``msgstr`` the machine translation
(paragraph *i* of the English file of the same name) flagged ``fuzzy``; ``#.`` comments list the
glossary terms of the paragraph with their required English targets (and forbidden renderings),
``#:`` is ``file:paragraph``. The header records the French directory (``X-Source-Dir``) for the
people reading it; the import never follows it (``--src``, default ``corpus/fr``).

:func:`postedit_import`: rebuilds every document named in the PO with ``Document.join`` of the
French document, so the English files have the French layout and paragraph count — the dossier
convention that ``score`` and ``check`` rely on. For each paragraph:

* a non-empty ``msgstr`` is used, fuzzy or not (a fuzzy one is the machine translation left as
  it was, or an edit the post-editor did not confirm: it is counted as "still fuzzy");
* an empty ``msgstr``, or a paragraph missing from the PO, keeps the French paragraph and is
  reported as a warning (``score`` and ``check`` will show it as untranslated).

A ``msgid`` that no longer matches its French paragraph, an unknown file or paragraph, or a
``msgstr`` holding a blank line (it would split the paragraph) is an error: nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from .config import DEFAULT_SOURCE as DEFAULT_LANGUAGE
from .config import corpus_dir, default_pair
from .errors import InputError
from .fileio import check_output, write_files_atomic
from .formats import po as po_format
from .glossary import Glossary
from .segment import Document, read_document, split_document

_PARA_ID = re.compile(r"^(?P<doc>[^#/\\]+)#(?P<index>\d+)$")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
HEADER_COMMENT = (
    "kp-translate dossier for post-editing: French paragraphs and their machine translation.\n"
    "msgctxt is the paragraph id (file#paragraph). Edit msgstr and remove 'fuzzy' when a\n"
    "paragraph is done. The '#.' lines give the glossary terms and their required English.\n"
    "Then: kp-translate postedit import FILE.po -o out/en"
)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _documents(source: str | Path) -> list[Path]:
    files = po_format.corpus_files(source)
    if not files:
        raise InputError("no .txt document found", source)
    return files


def term_comments(text: str, glossary: Glossary | None, matcher: Any = None) -> list[str]:
    """``#.`` lines for the glossary terms of one paragraph, each entry once, in text order."""
    if glossary is None:
        return []
    if matcher is None:
        matcher = glossary.matcher()
    lines: list[str] = []
    seen: set[str] = set()
    for m in matcher.find(text):
        entry = m.entry
        if entry.id in seen:
            continue
        seen.add(entry.id)
        line = f"term: {m.form} -> {entry.target}"
        if entry.dnt:
            line += " (do not translate)"
        if entry.forbidden:
            line += " (not: " + " | ".join(entry.forbidden) + ")"
        lines.append(line)
    return lines


def postedit_export(
    source: str | Path,
    translations: str | Path,
    glossary: Glossary | None = None,
    *,
    lang: str = "en",
    source_language: str | None = None,
) -> str:
    """The dossier in *source* (in *source_language*, default the project's) and its machine
    translation in *translations* as PO text."""
    source_language = source_language or default_pair().source
    translations = Path(translations)
    if not translations.is_dir():
        raise InputError("translations directory not found (translate the dossier first)", translations)
    catalog = polib.POFile(wrapwidth=po_format.WRAP_WIDTH, encoding="utf-8")
    catalog.header = HEADER_COMMENT
    extra = {
        "X-Source-Dir": str(source),
        "X-Source-Language": source_language,
        "X-Translations-Dir": str(translations),
    }
    view = glossary.view(source_language) if glossary is not None else None
    if view is not None:
        extra["X-Glossary-Version"] = view.version
    catalog.metadata = po_format.header("kp-translate dossier", lang, extra)
    matcher = view.matcher() if view is not None else None
    for path in _documents(source):
        french = read_document(path)
        english_path = translations / path.name
        if not english_path.is_file():
            raise InputError(f"no translation of {path.name} (expected {english_path})", english_path)
        english = read_document(english_path, path.name)
        if len(english.paragraphs) != len(french.paragraphs):
            raise InputError(
                f"{len(english.paragraphs)} paragraphs, but {path} has {len(french.paragraphs)}: "
                "paragraph i of the translation must translate paragraph i of the source",
                english_path,
            )
        for para, target in zip(french.paragraphs, english.paragraphs, strict=True):
            comments = term_comments(para.text, view, matcher)
            if para.prefix:
                comments.append(f"kept as is before the paragraph: {para.prefix.strip()!r}")
            catalog.append(
                polib.POEntry(
                    msgctxt=para.id,
                    msgid=para.text,
                    msgstr=target.text,
                    comment="\n".join(comments),
                    occurrences=[(french.name, str(para.index))],
                    flags=["fuzzy"],
                )
            )
    text: str = str(catalog)
    return text if text.endswith("\n") else text + "\n"


@dataclass
class PosteditResult:
    """What :func:`postedit_import` wrote."""

    output: str
    files: list[str] = field(default_factory=list)
    paragraphs: int = 0
    done: int = 0  # non-empty msgstr without the fuzzy flag
    fuzzy: int = 0  # non-empty msgstr still fuzzy
    kept_source: int = 0  # empty or missing: the French paragraph was kept
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"wrote {len(self.files)} file(s) to {self.output}: {self.paragraphs} paragraphs "
            f"({self.done} post-edited, {self.fuzzy} still fuzzy, {self.kept_source} kept from the source)"
        )


#: where the source documents are when ``--src`` is not given: ``corpus/<language>``, the language
#: being the command line's (a project default, never a name read from the PO file: its header
#: comes from outside)
DEFAULT_SOURCE = str(corpus_dir(DEFAULT_LANGUAGE))


def _source_dir(po: po_format.PoFile, source: str | Path | None, language: str) -> Path:
    """The source directory: *source* as given on the command line, else ``corpus/<language>``.
    The header's ``X-Source-Dir`` is only named in the error, never read; its
    ``X-Source-Language``, when present, must be *language*."""
    declared = str(po.catalog.metadata.get("X-Source-Language", "")).strip()
    if declared and declared != language:
        raise InputError(
            f"the PO is a {declared} dossier, not {language}: pass --from {declared}",
            po.path,
            po.header_line("X-Source-Language"),
        )
    if source is not None:
        path = Path(source)
        if not path.is_dir():
            raise InputError("source directory not found", path)
        return path
    default = corpus_dir(language)
    if default.is_dir():
        return default
    given = str(po.catalog.metadata.get("X-Source-Dir", "")).strip()
    hint = f" (the PO header names {given!r}; it is not read from the file)" if given else ""
    raise InputError(
        f"no {default} here: pass --src DIR, the source documents{hint}", po.path, po.header_line("X-Source-Dir")
    )


def _check_outputs(po: po_format.PoFile, src_dir: Path, output: str | Path, names: set[str]) -> None:
    """The output directory must not be (or lie inside) the source directory, and no file
    written may replace the PO file or a source document."""
    for target in (Path(output), *(Path(output) / name for name in sorted(names))):
        check_output(target, [src_dir], "the source")
        check_output(target, [po.path], "the PO file")


def postedit_import(
    po_path: str | Path, output: str | Path, *, source: str | Path | None = None, source_language: str | None = None
) -> PosteditResult:
    """Write the post-edited translation in *po_path* as English documents in *output*.

    *source* is the source directory (default: ``corpus/<source_language>``, the language being
    the project's unless given). Refused before anything is written: an *output* that would
    overwrite the PO file or write into the source directory, a glossary PO (``glossary
    export``), a PO of another source language, and every problem listed in the module docstring.
    """
    po = po_format.read(po_path)
    po.require_kind("postedit")
    src_dir = _source_dir(po, source, source_language or default_pair().source)
    # only the .txt documents of the directory the user named are read, and written by name
    known = {path.name: path for path in po_format.corpus_files(src_dir) if not path.name.startswith(".")}
    names: set[str] = set()
    for item in po.entries:
        m = _PARA_ID.match(item.msgctxt or "")
        if m is None:
            where = po.line_of(item, "msgctxt") if item.msgctxt is not None else po.line_of(item)
            raise InputError(f"msgctxt {item.msgctxt!r} is not a paragraph id (file#paragraph)", po.path, where)
        if m["doc"] not in known:
            message = f"no document {m['doc']} in {src_dir} (only its .txt documents can be named)"
            raise InputError(message, po.path, po.line_of(item, "msgctxt"))
        names.add(m["doc"])
    _check_outputs(po, src_dir, output, names)
    documents: dict[str, Document] = {}
    chosen: dict[str, list[str | None]] = {}
    lines: dict[tuple[str, int], int] = {}
    result = PosteditResult(str(output))
    for item in po.entries:
        m = _PARA_ID.match(item.msgctxt or "")
        if m is None:
            where = po.line_of(item, "msgctxt") if item.msgctxt is not None else po.line_of(item)
            raise InputError(f"msgctxt {item.msgctxt!r} is not a paragraph id (file#paragraph)", po.path, where)
        name, index = m["doc"], int(m["index"])
        if name not in documents:
            documents[name] = read_document(known[name])
            chosen[name] = [None] * len(documents[name].paragraphs)
        doc = documents[name]
        if index >= len(doc.paragraphs):
            message = f"{name} has {len(doc.paragraphs)} paragraphs: no paragraph {index}"
            raise InputError(message, po.path, po.line_of(item, "msgctxt"))
        if (name, index) in lines:
            message = f"paragraph {item.msgctxt} given twice (first at line {lines[name, index]})"
            raise InputError(message, po.path, po.line_of(item, "msgctxt"))
        lines[name, index] = po.line_of(item, "msgctxt")
        para = doc.paragraphs[index]
        if _norm(item.msgid) != _norm(para.text):
            message = f"msgid is not paragraph {item.msgctxt} of {src_dir / name} any more: export the dossier again"
            raise InputError(message, po.path, po.line_of(item))
        text = item.msgstr.strip()
        if _BLANK_LINE.search(text):
            message = f"msgstr of {item.msgctxt} holds a blank line: it would split the paragraph in two"
            raise InputError(message, po.path, po.line_of(item, "msgstr"))
        if not text:
            result.kept_source += 1
            result.warnings.append(
                f"{po.path}:{po.line_of(item, 'msgstr')}: warning: empty msgstr for {item.msgctxt}: "
                "kept the source paragraph"
            )
            chosen[name][index] = para.text
            continue
        if "fuzzy" in item.flags:
            result.fuzzy += 1
        else:
            result.done += 1
        chosen[name][index] = text

    rendered: dict[str, str] = {}
    for name, doc in documents.items():
        texts: list[str] = []
        for para, text in zip(doc.paragraphs, chosen[name], strict=True):
            if text is None:
                result.kept_source += 1
                result.warnings.append(f"{po.path}: warning: {para.id} is not in the PO: kept the source paragraph")
                text = para.text
            texts.append(text)
        english = doc.join(texts)
        count = len(split_document(english, name).paragraphs)
        if count != len(doc.paragraphs):
            raise InputError(f"{name} would have {count} paragraphs instead of {len(doc.paragraphs)}", po.path)
        rendered[name] = english
        result.paragraphs += len(texts)
    out = Path(output)
    write_files_atomic({out / name: english for name, english in rendered.items()})
    result.files.extend(str(out / name) for name in rendered)
    return result
