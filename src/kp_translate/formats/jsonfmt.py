"""JSON export: an array with one object per entry."""

from __future__ import annotations

import json
from typing import Any

from ..glossary import Glossary


def export(glossary: Glossary, **_: Any) -> str:
    """One object per entry: id, type, target, sources, patterns, forbidden, dnt, case_sensitive,
    status, note, comments."""
    return json.dumps([e.to_dict() for e in glossary], ensure_ascii=False, indent=2) + "\n"
