"""Merge translators' PO changes back into the ``.kpg`` glossary files (``glossary import``).

What a PO entry can change (its ``msgctxt`` names the glossary entry, its ``msgid`` one source form):

* a changed ``msgstr`` rewrites the entry's ``target:`` line — every PO entry of one glossary entry
  that has a translation must agree (empty ``msgstr`` means "no opinion");
* the ``fuzzy`` flag removed from every PO entry of a draft entry (all of them translated) turns
  its ``status:`` to ``reviewed`` (line rewritten, or added after the last single-valued field);
  ``fuzzy`` set on a reviewed entry turns it back to ``draft``;
* new translator comments (``# ...``) become ``comment:`` lines appended to the stanza (one per
  comment line; existing comments, even re-wrapped, are recognised and never duplicated or removed);
* in a catalogue of another source language than the glossary's default (``X-Source-Language:
  es``, from ``glossary export --format po --from es``), a ``msgid`` that is not yet a form of the
  entry in that language is a new form: a ``source.es:`` line is added after the entry's source
  lines.

A PO entry whose ``msgctxt`` names no glossary entry, whose ``msgid`` is no longer one of the
entry's forms in the default language (a stale export), or whose target disagrees with another
PO entry of the same glossary entry is a *conflict*: reported with its PO line, and its glossary
entry is left untouched. Entries loaded from TSV/CSV glossaries cannot be written back (also a
conflict when the PO changes them).

The merged files are validated (:func:`kp_translate.glossary.parse` on the would-be content of
every glossary file) before anything is written; if they would not validate, nothing is written.
The changed files are replaced together, all or none (:func:`kp_translate.fileio.write_files_atomic`);
every other byte of them stays as it was.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .fileio import write_files_atomic
from .formats import po as po_format
from .glossary import GLOSSARY_SUFFIXES, SOURCE_LANGUAGES, Entry, Glossary, default_paths, load, normalise_form, parse
from .glossary_edit import KpgFile, LineRef, add_comments, add_sources, check_value, set_status, set_target
from .lang import codes


@dataclass(frozen=True)
class Conflict:
    """A PO entry that could not be merged; its glossary entry was left untouched."""

    po_path: str
    line: int
    entry_id: str | None
    message: str

    def __str__(self) -> str:
        label = f" [{self.entry_id}]" if self.entry_id else ""
        return f"{self.po_path}:{self.line}: conflict:{label} {self.message}"


@dataclass(frozen=True)
class Change:
    """One edited line of a glossary file (``line`` is its number after the import)."""

    path: str
    line: int
    entry_id: str
    description: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.entry_id}] {self.description}"


@dataclass
class ImportResult:
    """What :func:`import_po` did (or, with ``dry_run``, would do)."""

    po_path: str
    dry_run: bool
    changes: list[Change] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # entry ids
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # files written (would be written on a dry run)

    def summary(self) -> str:
        line = f"changed: {len(self.changed)}, unchanged: {len(self.unchanged)}, conflicts: {len(self.conflicts)}"
        if self.dry_run:
            return line + " (dry run: nothing written)"
        if self.files:
            return line + f" ({len(self.files)} file(s) written: {', '.join(self.files)})"
        return line + " (nothing to write)"


@dataclass
class _Plan:
    entry: Entry
    target: str | None = None
    status: str | None = None
    comments: list[str] = field(default_factory=list)
    #: new source forms of the catalogue's language (not the default one)
    sources: list[str] = field(default_factory=list)
    language: str = ""

    @property
    def empty(self) -> bool:
        return self.target is None and self.status is None and not self.comments and not self.sources


def _key(text: str) -> str:
    # Comparison key for comments: PO editors re-wrap comments at spaces and after hyphens.
    return "".join(text.split())


def new_comments(existing: Sequence[str], tcomment: str) -> list[str]:
    """Translator-comment lines of *tcomment* that are not (possibly wrapped) *existing* comments."""
    known = {_key(c) for c in existing}
    longest = max((len(k) for k in known), default=0)
    lines = [line.strip() for line in tcomment.split("\n")]
    found: list[str] = []
    i = 0
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        matched, acc = 0, ""
        for j in range(i, len(lines)):
            if not lines[j]:
                break
            acc += _key(lines[j])
            if acc in known:
                matched = j - i + 1
            if len(acc) > longest:
                break
        if matched:
            i += matched
            continue
        found.append(lines[i])
        i += 1
    return found


def _check_language(po: po_format.PoFile) -> None:
    lang = str(po.catalog.metadata.get("Language", "")).strip()
    if lang and lang.replace("_", "-").split("-")[0].lower() != "en":
        line = next((n for n, text in enumerate(po.lines, 1) if text.lstrip().startswith('"Language:')), 1)
        raise InputError(f"PO file is for language '{lang}': the glossary targets English (en)", po.path, line)


def import_po(
    po_path: str | Path,
    glossary_paths: Iterable[str | Path] | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Merge a translator's PO file into the glossary files (see the module docstring).

    Raises :class:`InputError` (nothing written) for a malformed PO file, a post-editing PO (from
    ``postedit export``), an invalid glossary, or a merge that would not validate. Conflicts are
    returned in the result; the other entries are merged.
    """
    po = po_format.read(po_path)
    po.require_kind("glossary")
    _check_language(po)
    paths = list(glossary_paths) if glossary_paths else list(default_paths())
    glossary = load(paths)
    source = _source_language(po, glossary)
    result = ImportResult(po.path, dry_run)

    groups: dict[str, list[Any]] = {}
    for item in po.entries:
        if item.msgctxt is None:
            result.conflicts.append(
                Conflict(
                    po.path, po.line_of(item), None, f"msgid {item.msgid!r} has no msgctxt (the glossary entry id)"
                )
            )
            continue
        if glossary.get(item.msgctxt) is None:
            result.conflicts.append(
                Conflict(
                    po.path,
                    po.line_of(item, "msgctxt"),
                    item.msgctxt,
                    "no glossary entry has this id (renamed or removed since the export?)",
                )
            )
            continue
        groups.setdefault(item.msgctxt, []).append(item)

    plans: list[_Plan] = []
    for entry_id, items in groups.items():
        entry = glossary.by_id[entry_id]
        plan, conflicts = _plan(po, entry, items, result.warnings, source, glossary.default_source)
        if conflicts:
            result.conflicts.extend(conflicts)
        elif plan.empty:
            result.unchanged.append(entry_id)
        else:
            plans.append(plan)

    result.conflicts.sort(key=lambda c: c.line)
    docs = _apply(plans, result)
    _validate(glossary, docs, plans, source)
    result.files = [path for path, doc in docs.items() if doc.changed]
    if not dry_run:
        # all files or none (a journal completes a killed run: see fileio.write_files_atomic)
        write_files_atomic({path: docs[path].render() for path in result.files})
    return result


def _source_language(po: po_format.PoFile, glossary: Glossary) -> str:
    """The catalogue's ``X-Source-Language`` (normalised; absent: the glossary's default)."""
    given = str(po.catalog.metadata.get("X-Source-Language", "")).strip()
    if not given:
        return glossary.default_source
    try:
        code = codes.normalise(given)
    except ValueError:
        code = ""
    if code not in SOURCE_LANGUAGES:
        line = next((n for n, t in enumerate(po.lines, 1) if t.lstrip().startswith('"X-Source-Language:')), 1)
        known = ", ".join(SOURCE_LANGUAGES)
        raise InputError(f"X-Source-Language '{given}' is not a source language (known: {known})", po.path, line)
    return code


def _plan(
    po: po_format.PoFile, entry: Entry, items: list[Any], warnings: list[str], source: str, default: str
) -> tuple[_Plan, list[Conflict]]:
    """What the PO entries of one glossary entry change, or why they conflict."""
    conflicts: list[Conflict] = []
    plan = _Plan(entry, language=source)
    forms = entry.sources_for(source, default)[0]
    for item in items:
        if item.msgid_plural:
            conflicts.append(Conflict(po.path, po.line_of(item), entry.id, "plural entries are not glossary terms"))
        elif item.msgid in forms:
            continue
        elif source != default and item.msgid.strip() and not check_value(item.msgid):
            plan.sources.append(item.msgid)
        else:
            listed = ", ".join(repr(f) for f in forms) or "none (pattern-only entry)"
            message = f"msgid {item.msgid!r} is not a source form of this entry any more (forms: {listed})"
            conflicts.append(Conflict(po.path, po.line_of(item), entry.id, message))
    if plan.sources and source not in entry.languages:
        # the first forms of this language: they replace the inherited ones, which stay only if kept
        plan.sources = [*[i.msgid for i in items if i.msgid in forms], *plan.sources]
    plan.sources = list(dict.fromkeys(plan.sources))
    if conflicts:
        return plan, conflicts

    targets: dict[str, list[int]] = {}
    for item in items:
        if item.msgstr.strip():
            targets.setdefault(item.msgstr.strip(), []).append(po.line_of(item, "msgstr"))
    if len(targets) > 1:
        listed = "; ".join(
            f"{t!r} at line{'s' if len(ls) > 1 else ''} {', '.join(map(str, ls))}" for t, ls in targets.items()
        )
        first_other = list(targets.values())[1][0]
        conflicts.append(
            Conflict(po.path, first_other, entry.id, f"the forms of one entry have different targets: {listed}")
        )
        return plan, conflicts
    if targets:
        ((target, lines),) = targets.items()
        problem = check_value(target)
        if problem:
            conflicts.append(Conflict(po.path, lines[0], entry.id, f"msgstr cannot be a target: {problem}"))
        elif target != entry.target:
            if entry.dnt and target not in entry.sources:
                message = f"do-not-translate entry: msgstr {target!r} must stay one of its forms"
                conflicts.append(Conflict(po.path, lines[0], entry.id, message))
            elif any(normalise_form(bad) == normalise_form(target) for bad in entry.forbidden):
                message = f"msgstr {target!r} is listed as a forbidden rendering of this entry"
                conflicts.append(Conflict(po.path, lines[0], entry.id, message))
            else:
                plan.target = target
    if conflicts:
        return plan, conflicts

    fuzzy = [item for item in items if "fuzzy" in item.flags]
    translated = [item for item in items if item.msgstr.strip()]
    if not entry.reviewed:
        if not fuzzy and len(translated) == len(items):
            plan.status = "reviewed"
        elif any("fuzzy" not in item.flags and item.msgstr.strip() for item in items):
            still = ", ".join(str(po.line_of(item)) for item in fuzzy) or "none"
            warnings.append(
                f"{po.path}:{po.line_of(items[0], 'msgctxt')}: warning: [{entry.id}] stays draft: "
                f"every form must be translated and not fuzzy (still fuzzy at line(s) {still})"
            )
    elif fuzzy:
        plan.status = "draft"

    seen = {_key(c) for c in entry.comments}
    for item in items:
        for comment in new_comments(entry.comments, item.tcomment or ""):
            if _key(comment) not in seen:
                seen.add(_key(comment))
                plan.comments.append(comment)

    if not plan.empty and Path(entry.path).suffix.lower() not in GLOSSARY_SUFFIXES:
        message = f"not writable: the entry comes from {entry.path}:{entry.line} (only .kpg files are written back)"
        conflicts.append(Conflict(po.path, po.line_of(items[0], "msgctxt"), entry.id, message))
    return plan, conflicts


def _apply(plans: list[_Plan], result: ImportResult) -> dict[str, KpgFile]:
    """Plan the line edits of every changed entry; fills ``result.changes``."""
    docs: dict[str, KpgFile] = {}
    pending: list[tuple[KpgFile, LineRef, str, str]] = []
    for plan in plans:
        entry = plan.entry
        doc = docs.get(entry.path)
        if doc is None:
            doc = docs[entry.path] = KpgFile.read(entry.path)
        if plan.target is not None:
            pending.append(
                (doc, set_target(doc, entry, plan.target), entry.id, f"target: {entry.target!r} -> {plan.target!r}")
            )
        if plan.status is not None:
            pending.append(
                (doc, set_status(doc, entry, plan.status), entry.id, f"status: {entry.status} -> {plan.status}")
            )
        for ref, form in zip(add_sources(doc, entry, plan.language, plan.sources), plan.sources, strict=True):
            pending.append((doc, ref, entry.id, f"source.{plan.language} added: {form!r}"))
        for ref, comment in zip(add_comments(doc, entry, plan.comments), plan.comments, strict=True):
            pending.append((doc, ref, entry.id, f"comment added: {comment!r}"))
        result.changed.append(entry.id)
    for doc, ref, entry_id, description in pending:
        result.changes.append(Change(doc.path, doc.rendered_line(ref), entry_id, description))
    result.changes.sort(key=lambda c: (c.path, c.line))
    return docs


def _validate(glossary: Glossary, docs: dict[str, KpgFile], plans: list[_Plan], source: str) -> None:
    """Parse the would-be glossary; raise (nothing written) unless it validates and holds exactly
    the planned changes."""
    changed = {path: doc for path, doc in docs.items() if doc.changed}
    if not changed:
        return
    with tempfile.TemporaryDirectory(prefix="kp-import-") as tmp:
        paths: list[str] = []
        real: dict[str, str] = {}
        for index, path in enumerate(glossary.files):
            if path in changed:
                copy = Path(tmp) / str(index) / Path(path).name
                copy.parent.mkdir()
                copy.write_bytes(changed[path].render().encode("utf-8"))
                real[str(copy)] = path
                paths.append(str(copy))
            else:
                paths.append(path)
        merged, problems = parse(paths)
    if problems:
        # Name lines as they are on disk (unchanged): map the would-be files back.
        def on_disk(name: str, line: int) -> tuple[str, int]:
            if name not in real:
                return name, line
            return real[name], changed[real[name]].original_line(line)

        def repl(m: re.Match[str]) -> str:
            return "{}:{}".format(*on_disk(m.group(1), int(m.group(2))))

        first = problems[0]
        names = "|".join(re.escape(name) for name in real)
        message = re.sub(rf"({names}):(\d+)", repl, first.message)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        path, line = on_disk(first.path, first.line)
        raise InputError(f"{message}{more}: the merged glossary would not validate, nothing written", path, line)
    expected = {e.id: e.to_dict() for e in glossary}
    for plan in plans:
        want = expected[plan.entry.id]
        if plan.target is not None:
            want["target"] = plan.target
        if plan.status is not None:
            want["status"] = plan.status
        want["comments"] = [*plan.entry.comments, *plan.comments]
        if plan.sources:
            tagged = {k: list(v) for k, v in plan.entry.lang_sources.items()}
            tagged.setdefault(source, []).extend(plan.sources)
            want["lang_sources"] = tagged
    got = {e.id: e.to_dict() for e in merged}
    if got != expected:
        wrong = next(i for i in expected if got.get(i) != expected[i])
        entry = glossary.by_id[wrong]
        raise InputError(
            f"editing entry '{wrong}' would not give the planned result (file changed meanwhile?); nothing written",
            entry.path,
            entry.line,
        )
