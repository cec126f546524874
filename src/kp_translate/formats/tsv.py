"""Two-column glossaries (source, target) as DeepL, Amazon Translate and Google accept them.

``tsv``: ``source<TAB>target`` per line, no header (DeepL's format). A field is quoted CSV-style
only when it must be for the file to read back (it starts with '"' or holds a tab or line
break), which no real term does. ``csv``: comma-separated with standard quoting, no header.
A cell that starts with ``= + - @``, a tab or a carriage return (a spreadsheet would run it as a
formula) is written ``'`` + cell, quoted, as OWASP recommends; :func:`read` drops that ``'``.

Rows: one per source form of each entry (patterns are not exported), each source once (DeepL
rejects duplicate sources; the first entry wins). A header row ``source,target`` is written only
when the first data row would otherwise be taken for a header, or (CSV) make
:func:`kp_translate.glossary.parse_table` guess ';' as the delimiter.

:func:`read` loads such a file back through :func:`kp_translate.glossary.parse_table`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..glossary import Entry, Glossary, Problem, escape_cell, is_header_cell, language_header, parse_table


def rows(glossary: Glossary) -> list[tuple[str, str]]:
    """``(source form, target)`` pairs, each source once, in glossary order."""
    pairs: dict[str, str] = {}
    for entry in glossary:
        for form in entry.sources:
            pairs.setdefault(form, entry.target)
    return list(pairs.items())


def _tsv_field(text: str) -> str:
    if escape_cell(text) != text:
        return '"' + escape_cell(text).replace('"', '""') + '"'
    if text.startswith('"') or any(c in text for c in "\t\r\n"):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_field(text: str) -> str:
    """A CSV cell as ``csv.writer`` (minimal quoting) writes it; a formula start escaped and quoted."""
    escaped = escape_cell(text) != text
    if escaped:
        text = escape_cell(text)
    if escaped or any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _looks_like_header(pair: tuple[str, str]) -> bool:
    """Whether a reader would take this first row for a header (words such as ``source,target``,
    or language codes such as ``en,ca``): then a ``source,target`` header is written before it."""
    cells = [cell.strip() for cell in pair]
    return all(map(is_header_cell, cells)) or language_header(cells) is not None


def export(glossary: Glossary, *, fmt: str = "tsv", source: str | None = None, **_: Any) -> str:
    """The glossary's *source*-language forms (default: the glossary's default language) as a
    two-column TSV (``fmt='tsv'``) or CSV (``fmt='csv'``) text; ``fmt='multi'``: every language
    (:func:`export_multi`)."""
    if fmt == "multi":
        return export_multi(glossary)
    pairs = rows(glossary.view(source or glossary.source or glossary.default_source))
    if fmt == "tsv":
        lines = [f"{_tsv_field(s)}\t{_tsv_field(t)}\n" for s, t in pairs]
        if pairs and _looks_like_header(pairs[0]):
            lines.insert(0, "source\ttarget\n")
        return "".join(lines)
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}")
    text = "".join(f"{_csv_field(s)},{_csv_field(t)}\n" for s, t in pairs)
    first = text.split("\n", 1)[0]
    if pairs and (_looks_like_header(pairs[0]) or first.count(";") > first.count(",")):
        text = "source,target\n" + text
    return text


def export_multi(glossary: Glossary, target: str = "en") -> str:
    """One CSV row per concept and form, one column per language under a header row of language
    codes (``en,fr,es,…``: Google's equivalent term sets, Amazon's multi-directional CSV); an
    entry's extra forms take extra rows with the same target, which a reader takes as one concept.
    Read back by :func:`kp_translate.glossary.parse_table`: every language sees the same forms."""
    languages = glossary.languages
    lines = [",".join([target, *languages]) + "\n"]
    for entry in glossary:
        # every language's forms as it sees them (inherited ones written out: a reader of this
        # format has no notion of inheritance)
        by_lang = [list(dict.fromkeys(entry.sources_for(lang, glossary.default_source)[0])) for lang in languages]
        for row in range(max((len(forms) for forms in by_lang), default=0)):
            cells = [entry.target, *(forms[row] if row < len(forms) else "" for forms in by_lang)]
            lines.append(",".join(_csv_field(c) for c in cells) + "\n")
    return "".join(lines)


def read(path: str | Path) -> list[Entry]:
    """Entries of a two-column TSV/CSV file (the format is chosen by the suffix)."""
    problems: list[Problem] = []
    entries = parse_table(path, problems)
    if problems:
        raise InputError(problems[0].message, problems[0].path, problems[0].line)
    return entries
