"""Glossary file formats, one module per format, behind one interface.

Each format module provides ``export(glossary, *, lang, corpus) -> str``; formats that can be read
back also provide ``read``. :func:`export` dispatches by format name.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..glossary import Glossary

#: format name -> module (relative to this package) that implements it
EXPORTERS = {
    "json": "jsonfmt",
    "po": "po",
    "pot": "po",
    "tbx": "tbx",
    "tsv": "tsv",
    "csv": "tsv",
    "multi": "tsv",
}


def export(glossary: Glossary, fmt: str, *, lang: str = "en", corpus: str | None = None, **options: Any) -> str:
    """Serialise *glossary* in format *fmt* (json, po, pot, tbx, tsv, csv, multi); *options* may
    name the ``source`` language (po, pot, tsv, csv: one language's forms)."""
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(f"{__name__}.{EXPORTERS[fmt]}")
    result: str = module.export(glossary, fmt=fmt, lang=lang, corpus=corpus, **options)
    return result
