"""Places and countries by CLDR: a source language's name of a territory or of a time-zone city →
its English name, from Babel's copy of the Unicode CLDR (no table is copied into this repository).

Two CLDR records feed the index of a language: **territory names** (``KR`` is ``Corée du Sud`` in
French, ``South Korea`` in English) and **exemplar cities** of the time zones (``Asia/Seoul`` is
``Séoul`` in French; English CLDR writes few city names, so its name is the zone id's last part,
``Seoul``). A name whose English form is the same is left out (nothing to change), and so is a name
that two records give two different English names (undecided: do nothing).

:func:`place_index` builds the reverse index of a language once (``lru_cache``); :func:`lookup`
reads it, also under the language's press spelling of capitals without their accent
(:meth:`kp_translate.lang.base.Language.fold_capitals`: ``Etats-Unis`` finds ``États-Unis``).

Reading Babel's locale data costs more than the rest of a one-sentence translation's Python work
(unpickling it imports ``babel.dates``, ``zoneinfo`` and ``sysconfig``: about 0.1 s of CPU), so the
index and the territory codes are also kept as JSON in the user cache directory
(:func:`kp_translate.cache.default_cache_dir`), one file per language and Babel installation (its
data file's size and time stamp are in the name): a later run reads them without importing Babel.
A missing, unreadable or malformed file is built again from Babel; nothing is cached when the
directory cannot be written.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["Place", "lookup", "place_index", "territory_problem"]


class Place(NamedTuple):
    """One CLDR record: the English name, what it is, and its CLDR key (``territory KR``, ``zone Asia/Seoul``)."""

    english: str
    type: str  # "country" or "city"
    record: str
    #: the territory code (``KR``: the country itself, or the country of the time zone's city)
    country: str = ""


def _load(code: str) -> dict[str, object] | None:
    from babel import localedata

    if not code.isalpha() or not localedata.exists(code):
        return None
    data = localedata.load(code)
    return dict(data) if data is not None else None


@lru_cache(maxsize=1)
def _babel_stamp() -> str:
    """Which Babel data this process would read: its ``global.dat``'s path, size and time stamp
    (found without importing Babel); empty when Babel cannot be found."""
    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return ""
    data = Path(spec.origin).parent / "global.dat"
    try:
        st = data.stat()
    except OSError:
        return ""
    return hashlib.sha256(f"{data}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:16]


def _cached(name: str, build: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """*build()* (JSON data), read back from the user cache directory when an earlier run stored it
    for this Babel installation (see the module docstring)."""
    stamp = _babel_stamp()
    if not stamp:
        return build()
    from ..dirs import default_cache_dir
    from ..errors import KpError
    from ..fileio import atomic_open

    try:
        path = default_cache_dir() / "cldr" / f"{name}-{stamp}.json"
    except KpError:  # no home directory to find the cache in: build it, keep nothing
        return build()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if valid(data):
            return data
    except (OSError, ValueError):
        pass
    data = build()
    with contextlib.suppress(Exception), atomic_open(path) as fh:
        json.dump(data, fh, ensure_ascii=False)
    return data


def _is_index(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(k, str) and isinstance(v, list) and len(v) == 4 and all(isinstance(x, str) for x in v)
        for k, v in data.items()
    )


def _english_city(zone: str, english_zones: dict[str, dict[str, str]]) -> str:
    city = english_zones.get(zone, {}).get("city")
    return city or zone.rsplit("/", 1)[-1].replace("_", " ")


@lru_cache(maxsize=16)
def place_index(code: str) -> dict[str, Place]:
    """Source name (as CLDR writes it in *code*) → :class:`Place`; empty for a language CLDR lacks."""
    if not code.isalpha():
        return {}
    index = _cached(f"places-{code}", lambda: {k: list(v) for k, v in _build_index(code).items()}, _is_index)
    return {name: Place(*fields) for name, fields in index.items()}


def _build_index(code: str) -> dict[str, Place]:
    from babel.core import get_global

    data, english = _load(code), _load("en")
    if data is None or english is None:
        return {}
    out: dict[str, Place] = {}
    clashes: set[str] = set()

    def add(name: str, place: Place) -> None:
        if not name or name == place.english or name in clashes:
            return
        prior = out.get(name)
        if prior is not None and prior.english != place.english:
            del out[name]
            clashes.add(name)
            return
        out.setdefault(name, place)

    territories = data.get("territories", {})
    english_territories = english.get("territories", {})
    assert isinstance(territories, dict) and isinstance(english_territories, dict)
    for key, name in territories.items():
        target = english_territories.get(key)
        if len(key) == 2 and key.isalpha() and isinstance(target, str) and isinstance(name, str):
            add(name, Place(target, "country", f"territory {key}", key))
    zones = data.get("time_zones", {})
    english_zones = english.get("time_zones", {})
    assert isinstance(zones, dict) and isinstance(english_zones, dict)
    territory_of = get_global("zone_territories")
    for zone, names in zones.items():
        city = names.get("city") if isinstance(names, dict) else None
        if isinstance(city, str) and "/" in zone and not zone.startswith("Etc/"):
            add(city, Place(_english_city(zone, english_zones), "city", f"zone {zone}", territory_of.get(zone, "")))
    return out


@lru_cache(maxsize=16)
def _folded_index(code: str) -> dict[str, Place]:
    from . import get

    language = get(code)
    out: dict[str, Place] = {}
    for name, place in place_index(code).items():
        folded = language.fold_capitals(name)
        if folded != name:
            out.setdefault(folded, place)
    return out


def lookup(name: str, code: str) -> Place | None:
    """The CLDR place *name* (written in the language *code*) is, or None (``Séoul`` → ``Seoul``)."""
    found = place_index(code).get(name)
    if found is None:
        found = _folded_index(code).get(name)
    return found


def territory_problem(code: str) -> str | None:
    """Why *code* is not a CLDR territory code (``KP``, ``KR``, ``RU``), or None (``glossary check``)."""
    if len(code) == 2 and code.isupper() and code in _territory_codes():
        return None
    return f"unknown country {code!r}: use a CLDR territory code (KP, KR, RU…)"


@lru_cache(maxsize=1)
def _territory_codes() -> frozenset[str]:
    """The two-letter territory codes of CLDR (``KP``, ``KR``, ``RU``…)."""

    def build() -> list[str]:
        english = _load("en")
        territories = english.get("territories", {}) if english is not None else {}
        return (
            sorted(k for k in territories if isinstance(k, str) and len(k) == 2 and k.isalpha())
            if isinstance(territories, dict)
            else []
        )

    codes = _cached("territories", build, lambda d: isinstance(d, list) and all(isinstance(x, str) for x in d))
    return frozenset(codes)
