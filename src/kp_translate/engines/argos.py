"""The Argos Translate engine, and Argos package management.

**Packages.** An Argos package is a zip archive (``.argosmodel``) of one directory holding
``metadata.json``, a CTranslate2 model in ``model/`` and a ``sentencepiece.model`` (older
packages: ``bpe.model``). Installed packages are directories in the Argos package directory,
shared with argostranslate itself. Its location is resolved on every call, exactly as
argostranslate resolves it once at import time (``ARGOS_PACKAGES_DIR``, else
``$XDG_CONFIG_HOME/argos-translate/settings.json``, else ``$XDG_DATA_HOME/argos-translate/packages``),
so changing the environment takes effect at once. The package index and downloads go through
argostranslate's package API (:mod:`argostranslate.package`), whose settings are pointed at the
same directories before each use. Installing from a file validates the archive first (zip,
safe member paths, CRCs, metadata.json, model files), then extracts it like
``argostranslate.package.install_from_path`` does — without importing ``argostranslate.translate``,
which that function imports (and with it torch, stanza and spacy: 3+ seconds) to clear a cache.

**Decoding.** :class:`ArgosEngine` loads the package's CTranslate2 model and SentencePiece model
once and decodes every segment of a call in one ``translate_batch`` (batched by tokens, sorted
by length by CTranslate2) — the translation pipeline sends all sentences of the whole run in
one call. Sentence splitting is this project's (:func:`kp_translate.segment.split_sentences`);
argostranslate's Stanza/MiniSBD splitters, which download models at run time, are never used
and ``argostranslate.translate`` is never imported. Argos conventions are kept: metadata
``target_prefix``, ``replace_unknowns``, length penalty 0.2, beam size 4.

Nothing in this module touches the network except :func:`update_index` and
:func:`install_from_index`, which run only when the user asks (``kp-translate models install FROM TO``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from ..config import DEFAULT_SOURCE, DEFAULT_TARGET, default_pair
from ..errors import EngineError, InputError
from ..lang import Pair
from .base import BatchEngine, Hypothesis, Unit

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
SOURCE_CODE = DEFAULT_SOURCE
TARGET_CODE = DEFAULT_TARGET
TOKENIZER_FILES = {"sentencepiece.model": "sentencepiece", "bpe.model": "bpe"}

# --------------------------------------------------------------------------------------------
# Where Argos keeps things
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArgosPaths:
    """argostranslate's directories, resolved from the environment now."""

    data_dir: Path
    config_dir: Path
    cache_dir: Path
    packages_dir: Path
    index_url: str  # the remote index.json
    local_index: Path  # the cached index.json
    downloads_dir: Path


def _config_dir() -> Path:
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()
    return Path(os.getenv("XDG_CONFIG_HOME", str(home / ".config"))) / "argos-translate"


def argos_setting(key: str, default: str) -> str:
    """An argostranslate setting: the environment variable *key*, else the key in
    ``$XDG_CONFIG_HOME/argos-translate/settings.json``, else *default* (argostranslate's rules)."""
    value = os.getenv(key)
    if value is None:
        settings_file = _config_dir() / "settings.json"
        if settings_file.is_file():
            with contextlib.suppress(OSError, ValueError):
                loaded = json.loads(settings_file.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    value = loaded.get(key)
    return default if value is None else str(value)


def argos_paths() -> ArgosPaths:
    """Resolve argostranslate's directories the way ``argostranslate.settings`` does at import.

    Environment variables win over ``settings.json`` (``ARGOS_PACKAGES_DIR``, ``ARGOS_PACKAGE_INDEX``).
    Nothing is created.
    """
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()
    data_dir = Path(os.getenv("XDG_DATA_HOME", str(home / ".local" / "share"))) / "argos-translate"
    cache_dir = Path(os.getenv("XDG_CACHE_HOME", str(home / ".local" / "cache"))) / "argos-translate"
    return ArgosPaths(
        data_dir=data_dir,
        config_dir=_config_dir(),
        cache_dir=cache_dir,
        packages_dir=Path(argos_setting("ARGOS_PACKAGES_DIR", str(data_dir / "packages"))),
        index_url=argos_setting("ARGOS_PACKAGE_INDEX", DEFAULT_INDEX_URL) + "index.json",
        local_index=data_dir / "index.json",
        downloads_dir=cache_dir / "downloads",
    )


def _argos_package_api() -> ModuleType:
    """Import ``argostranslate.package`` (cheap: no torch) with its settings pointed at :func:`argos_paths`."""
    from argostranslate import package, settings

    paths = argos_paths()
    for directory in (paths.packages_dir, paths.downloads_dir):
        directory.mkdir(parents=True, exist_ok=True)
    settings.data_dir = paths.data_dir
    settings.cache_dir = paths.cache_dir
    settings.package_data_dir = paths.packages_dir
    settings.package_dirs = [paths.packages_dir, *settings.package_dirs[1:]]
    settings.local_package_index = paths.local_index
    settings.remote_package_index = paths.index_url
    settings.downloads_dir = paths.downloads_dir
    module: ModuleType = package
    return module


def _forget_argos_language_cache() -> None:
    # Only if the caller already imported argostranslate.translate: never import it here.
    module = sys.modules.get("argostranslate.translate")
    if module is not None:
        module.get_installed_languages.cache_clear()


# --------------------------------------------------------------------------------------------
# Installed packages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageInfo:
    """An installed (or about to be installed) Argos package, read from its metadata.json."""

    path: Path
    code: str
    version: str
    type: str
    from_code: str
    to_code: str
    from_name: str = ""
    to_name: str = ""
    target_prefix: str = ""
    tokenizer: str | None = None  # "sentencepiece" | "bpe"
    problem: str | None = None  # why it cannot translate (None: usable)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def usable(self) -> bool:
        return self.problem is None

    def pair(self) -> str:
        left = self.from_name or self.from_code
        right = self.to_name or self.to_code
        return f"{left} → {right}" if left or right else self.type

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "code": self.code,
            "version": self.version,
            "type": self.type,
            "from_code": self.from_code,
            "to_code": self.to_code,
            "from_name": self.from_name,
            "to_name": self.to_name,
            "tokenizer": self.tokenizer,
            "problem": self.problem,
        }


def _package_from_metadata(path: Path, metadata: Any, files: set[str]) -> PackageInfo:
    """Build a :class:`PackageInfo` from parsed metadata and the package's relative file names."""
    if not isinstance(metadata, dict):
        raise ValueError("metadata.json is not a JSON object")

    def text(key: str, default: str = "") -> str:
        value = metadata.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise ValueError(f"metadata.json: '{key}' must be a string")
        return value

    kind = text("type", "translate")
    from_code, to_code = text("from_code"), text("to_code")
    code = text("code") or (f"{kind}-{from_code}_{to_code}" if from_code and to_code else kind)
    tokenizer = next((kind_ for name, kind_ in TOKENIZER_FILES.items() if name in files), None)
    problem = None
    if kind == "translate":
        if not from_code or not to_code:
            problem = "metadata.json has no from_code/to_code"
        elif "model/model.bin" not in files:
            problem = "no CTranslate2 model (model/model.bin)"
        elif tokenizer is None:
            problem = "no tokenizer (sentencepiece.model or bpe.model)"
    return PackageInfo(
        path=path,
        code=code,
        version=text("package_version"),
        type=kind,
        from_code=from_code,
        to_code=to_code,
        from_name=text("from_name"),
        to_name=text("to_name"),
        target_prefix=text("target_prefix"),
        tokenizer=tokenizer,
        problem=problem,
    )


def read_package(path: str | Path) -> PackageInfo:
    """Read an installed package directory. A directory without readable metadata is returned
    with ``problem`` set (so listings show it) rather than raising."""
    path = Path(path)
    files = {
        name
        for name in ("model/model.bin", *TOKENIZER_FILES)
        if (path / name).is_file()  # only the files that matter: no directory walk
    }
    try:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
        return _package_from_metadata(path, metadata, files)
    except FileNotFoundError:
        problem = "no metadata.json"
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problem = f"unreadable metadata.json ({exc})"
    return PackageInfo(path, path.name, "", "", "", "", problem=problem)


def installed_packages(packages_dir: str | Path | None = None) -> list[PackageInfo]:
    """Every directory of the Argos package directory, sorted by name (broken ones included)."""
    directory = Path(packages_dir) if packages_dir is not None else argos_paths().packages_dir
    if not directory.is_dir():
        return []
    return [read_package(p) for p in sorted(directory.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def _version_key(version: str) -> tuple[int, Any, str]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version), version)
    except InvalidVersion:
        return (0, None, version)


def find_package(
    package: str | Path | None = None,
    packages_dir: str | Path | None = None,
    from_code: str = SOURCE_CODE,
    to_code: str = TARGET_CODE,
) -> PackageInfo:
    """The package to translate with: *package* (an installed directory name, a package code,
    or the path of an unpacked package directory), else the installed *from_code*→*to_code*
    package with the highest version. :class:`EngineError` if there is none."""
    if package is not None and Path(package).is_dir() and (Path(package) / "metadata.json").exists():
        found = read_package(package)
        if found.usable and (found.from_code, found.to_code) != (from_code, to_code):
            raise EngineError(
                f"Argos package {found.path} translates {found.from_code}→{found.to_code}, not {from_code}→{to_code}"
            )
        candidates = [found]
    else:
        candidates = [
            p
            for p in installed_packages(packages_dir)
            if p.type == "translate" and p.from_code == from_code and p.to_code == to_code
        ]
        if package is not None:
            candidates = [p for p in candidates if str(package) in (p.name, p.code)]
    if not candidates:
        where = packages_dir or argos_paths().packages_dir
        what = f"'{package}'" if package is not None else f"{from_code}→{to_code}"
        raise EngineError(f"no {what} Argos package installed in {where}")
    usable = [p for p in candidates if p.usable]
    if not usable:
        bad = candidates[0]
        raise EngineError(f"Argos package {bad.path} cannot translate: {bad.problem}")
    return max(usable, key=lambda p: (_version_key(p.version), p.name))


def available(pair: Pair | None = None) -> bool:
    """Whether a usable Argos package for *pair* (default: the project's pair) is installed.
    Reads metadata.json files only."""
    pair = pair or default_pair()
    try:
        find_package(from_code=pair.source, to_code=pair.target)
    except EngineError:
        return False
    return True


# --------------------------------------------------------------------------------------------
# Installing and removing
# --------------------------------------------------------------------------------------------


def inspect_archive(path: str | Path) -> PackageInfo:
    """Validate an ``.argosmodel`` archive without installing it.

    Raises :class:`InputError` naming *path* for anything that is not an installable package:
    not a zip, corrupt members, unsafe member paths, no single top directory, missing or invalid
    metadata.json, a translate package without model or tokenizer.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", path)
    if not zipfile.is_zipfile(path):
        raise InputError("not an Argos package (not a zip archive)", path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            tops: set[str] = set()
            for name in names:
                pure = PurePosixPath(name)
                if pure.is_absolute() or ".." in pure.parts or "\\" in name or not pure.parts:
                    raise InputError(f"not an Argos package (unsafe member path '{name}')", path)
                tops.add(pure.parts[0])
            if len(tops) != 1:
                found = ", ".join(sorted(tops)[:3]) or "nothing"
                raise InputError(f"not an Argos package (expected one top directory, found {found})", path)
            top = tops.pop()
            if top.startswith("."):
                raise InputError(f"not an Argos package (hidden top directory '{top}')", path)
            files = {str(PurePosixPath(n).relative_to(top)) for n in names if not n.endswith("/") and n != top}
            if "metadata.json" not in files:
                raise InputError(f"not an Argos package (no {top}/metadata.json)", path)
            bad = zf.testzip()
            if bad is not None:
                raise InputError(f"corrupt archive (bad CRC for '{bad}')", path)
            raw = zf.read(f"{top}/metadata.json")
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise InputError(f"corrupt zip archive ({exc})", path) from None
    except (OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise InputError(f"unreadable zip archive ({exc})", path) from None
    try:
        metadata = json.loads(raw.decode("utf-8"))
        info = _package_from_metadata(Path(top), metadata, files)
    except UnicodeDecodeError:
        raise InputError(f"{top}/metadata.json is not UTF-8", path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{top}/metadata.json: invalid JSON (line {exc.lineno}: {exc.msg})", path) from None
    except ValueError as exc:
        raise InputError(f"{top}/{exc}", path) from None
    if info.problem is not None:
        raise InputError(f"not an installable Argos package ({info.problem})", path)
    return info


def install_file(path: str | Path, packages_dir: str | Path | None = None) -> PackageInfo:
    """Install a local ``.argosmodel`` into the Argos package directory (replacing an installed
    package of the same directory name). The archive is validated first (:func:`inspect_archive`);
    the installed directory appears atomically (extracted beside, then renamed)."""
    info = inspect_archive(path)
    target_dir = Path(packages_dir) if packages_dir is not None else argos_paths().packages_dir
    target_dir.mkdir(parents=True, exist_ok=True)
    # Staging beside the package directory, not inside it: argostranslate lists every directory
    # in there and fails on one without metadata.json.
    staging = Path(tempfile.mkdtemp(prefix=".kp-translate-install-", dir=target_dir.parent))
    destination = target_dir / info.name
    old = staging / "previous"
    try:
        with zipfile.ZipFile(path) as zf:
            zf.extractall(staging / "new")
        if destination.exists():
            destination.rename(old)
        (staging / "new" / info.name).rename(destination)
    except OSError as exc:
        if old.exists() and not destination.exists():
            old.rename(destination)
        raise EngineError(f"cannot install into {target_dir}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _forget_argos_language_cache()
    return read_package(destination)


def remove_package(name: str, packages_dir: str | Path | None = None) -> PackageInfo:
    """Uninstall the package whose directory name or code is *name*."""
    matches = [p for p in installed_packages(packages_dir) if name in (p.name, p.code)]
    if not matches:
        raise EngineError(f"no installed Argos package named '{name}' (see 'kp-translate models list')")
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise EngineError(f"'{name}' matches several packages ({names}): give the directory name")
    shutil.rmtree(matches[0].path)
    _forget_argos_language_cache()
    return matches[0]


@dataclass(frozen=True)
class IndexEntry:
    """A package listed in the (cached) Argos package index."""

    code: str
    version: str
    from_code: str
    to_code: str
    from_name: str
    to_name: str
    type: str
    links: tuple[str, ...]

    def pair(self) -> str:
        return f"{self.from_name or self.from_code} → {self.to_name or self.to_code}"


def cached_index() -> list[IndexEntry] | None:
    """Packages of the cached package index (no network); ``None`` if no index was ever fetched."""
    index = argos_paths().local_index
    if not index.is_file():
        return None
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"unreadable package index ({exc})", index) from None
    if not isinstance(data, list):
        raise InputError("package index is not a JSON list", index)
    entries = []
    for item in data:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("type") or "translate")
        src, tgt = str(item.get("from_code") or ""), str(item.get("to_code") or "")
        entries.append(
            IndexEntry(
                code=str(item.get("code") or (f"{kind}-{src}_{tgt}" if src and tgt else kind)),
                version=str(item.get("package_version") or ""),
                from_code=src,
                to_code=tgt,
                from_name=str(item.get("from_name") or ""),
                to_name=str(item.get("to_name") or ""),
                type=kind,
                links=tuple(str(link) for link in item.get("links") or ()),
            )
        )
    return entries


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # argostranslate logs str(args): "(<HTTPError 404: 'File not found'>,)"
        message = record.getMessage()
        for wrapper in (r"\((.*),\)", r"<(.*)>", r"'(.*)'", r'"(.*)"'):
            m = re.fullmatch(wrapper, message.strip(), re.DOTALL)
            if m:
                message = m.group(1)
        self.messages.append(message)


@contextlib.contextmanager
def _argos_errors() -> Iterator[_Collect]:
    """argostranslate logs network errors instead of raising: collect them for our message."""
    handler = _Collect()
    logger = logging.getLogger("argostranslate.utils")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def update_index() -> Path:
    """Download the Argos package index (NETWORK). Returns the cached index path."""
    api = _argos_package_api()
    paths = argos_paths()
    before = paths.local_index.stat().st_mtime_ns if paths.local_index.exists() else None
    with _argos_errors() as errors:
        api.update_package_index()
    after = paths.local_index.stat().st_mtime_ns if paths.local_index.exists() else None
    if after is None or (errors.messages and after == before):
        reason = errors.messages[-1] if errors.messages else "no data"
        raise EngineError(f"cannot download the Argos package index {paths.index_url}: {reason}")
    return paths.local_index


def install_from_index(from_code: str, to_code: str) -> PackageInfo:
    """Update the package index, download the *from_code*→*to_code* package and install it (NETWORK)."""
    update_index()
    api = _argos_package_api()
    matches = [
        p
        for p in api.get_available_packages()
        if p.type == "translate" and (p.from_code, p.to_code) == (from_code, to_code)
    ]
    if not matches:
        raise EngineError(f"the Argos package index has no {from_code}→{to_code} package")
    best = max(matches, key=lambda p: _version_key(p.package_version))
    with _argos_errors() as errors:
        try:
            download = Path(best.download())
        except Exception as exc:  # argostranslate raises a bare Exception when every link failed
            reason = errors.messages[-1] if errors.messages else str(exc)
            raise EngineError(f"cannot download the {from_code}→{to_code} Argos package: {reason}") from None
    try:
        return install_file(download)
    finally:
        download.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------


class _BpeTokenizer:
    """Older packages (bpe.model): argostranslate's Moses + BPE tokenizer (imports no torch)."""

    def __init__(self, model: Path, from_code: str, to_code: str, vocabulary: set[str] | None) -> None:
        from argostranslate.tokenizer import BPETokenizer

        self._tok = BPETokenizer(model, from_code, to_code)
        self._vocabulary = vocabulary

    def encode(self, text: str) -> list[str]:
        return list(self._tok.encode(text))

    def decode(self, pieces: list[str]) -> str:
        return str(self._tok.decode(pieces)) if pieces else ""

    def variants(self, text: str, n: int) -> list[list[str]]:
        return [self.encode(text)]  # BPE segmentation is deterministic

    def unknown_words(self, text: str) -> list[str]:
        """Moses tokens of *text* with a BPE unit outside the model's vocabulary."""
        if self._vocabulary is None:
            return []
        words: list[str] = []
        units: list[str] = []
        for token in self.encode(text):
            units.append(token)
            if not token.endswith("@@"):
                if any(u not in self._vocabulary for u in units):
                    words.append("".join(u.removesuffix("@@") for u in units))
                units = []
        return words


class _SentencePieceTokenizer:
    def __init__(self, model: Path) -> None:
        import sentencepiece as spm

        self.sp = spm.SentencePieceProcessor(model_file=str(model))
        self._unk = self.sp.unk_id()

    def encode(self, text: str) -> list[str]:
        return list(self.sp.encode(text, out_type=str))

    def decode(self, pieces: list[str]) -> str:
        # Like argostranslate: pieces → text, the word-boundary mark as a space.
        return str(self.sp.decode_pieces(pieces)).replace("▁", " ")

    def variants(self, text: str, n: int) -> list[list[str]]:
        """The best segmentation and up to *n* - 1 others (unigram models have several)."""
        out = [self.encode(text)]
        with contextlib.suppress(RuntimeError, ValueError, TypeError):  # BPE models: no n-best
            for pieces in self.sp.nbest_encode_as_pieces(text, n):
                if list(pieces) not in out:
                    out.append(list(pieces))
        return out[:n]

    def unknown_words(self, text: str) -> list[str]:
        """Words of *text* with a character the model does not know (encoded as ``<unk>``)."""
        if self._unk not in self.sp.encode(text):
            return []
        return [word for word in text.split() if self._unk in self.sp.encode(word)]


def _read_vocabulary(model_dir: Path) -> set[str] | None:
    for name in ("target_vocabulary", "shared_vocabulary"):
        json_file, txt_file = model_dir / f"{name}.json", model_dir / f"{name}.txt"
        with contextlib.suppress(OSError, ValueError):
            if json_file.is_file():
                return set(json.loads(json_file.read_text(encoding="utf-8")))
            if txt_file.is_file():
                return set(txt_file.read_text(encoding="utf-8").split("\n"))
    return None


def _int_setting(option: str, value: int | None, key: str, default: int) -> int:
    if value is not None:
        return value
    raw = argos_setting(key, str(default))
    try:
        return int(raw)
    except ValueError:
        raise EngineError(f"argos: {key} must be an integer (got {raw!r})") from None


class ArgosEngine(BatchEngine):
    """Translate with an installed Argos package: CTranslate2 + SentencePiece, batched.

    Options (all keyword, also accepted by ``get_engine("argos", **options)`` and the translation
    library's ``engine_options``). Those marked † default to argostranslate's own setting of the
    same meaning (environment variable, else its settings.json), so ``ARGOS_BEAM_SIZE=2
    kp-translate translate ...`` works from the command line:

    - ``pair``: the language pair (default: the project's, fr→en unless configured);
    - ``package``: installed directory name, package code, or path of an unpacked package
      (default: the installed package of the pair with the highest version);
    - ``beam_size`` † ``ARGOS_BEAM_SIZE``, 4; ``length_penalty`` 0.2 (as Argos);
    - ``compute_type`` † ``ARGOS_COMPUTE_TYPE``, ``auto`` (fastest on this CPU); ``int8``,
      ``int8_float32``, ``float32``, ...;
    - ``inter_threads`` † ``ARGOS_INTER_THREADS``, 1 (batches decoded in parallel);
      ``intra_threads`` † ``ARGOS_INTRA_THREADS``, 0 (threads per batch; 0: one per core);
    - ``max_batch_tokens`` (2048 source tokens per CTranslate2 batch);
    - ``max_decoding_length`` (256 target tokens per sentence, as CTranslate2/Argos);
    - ``device`` † ``ARGOS_DEVICE_TYPE``, ``cpu``; ``packages_dir`` (default: argostranslate's).
    """

    name = "argos"
    #: the translation pipeline sends this engine sentences, not paragraphs
    unit: Unit = "sentence"
    #: n-best hypotheses and ``suppress`` are honoured (the pipeline retries failing segments)
    supports_n_best = True

    def __init__(
        self,
        package: str | Path | None = None,
        *,
        pair: Pair | None = None,
        beam_size: int | None = None,
        compute_type: str | None = None,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        max_batch_tokens: int = 2048,
        max_decoding_length: int = 256,
        length_penalty: float = 0.2,
        device: str | None = None,
        packages_dir: str | Path | None = None,
    ) -> None:
        beam_size = _int_setting("beam_size", beam_size, "ARGOS_BEAM_SIZE", 4)
        inter_threads = _int_setting("inter_threads", inter_threads, "ARGOS_INTER_THREADS", 1)
        intra_threads = _int_setting("intra_threads", intra_threads, "ARGOS_INTRA_THREADS", 0)
        compute_type = compute_type or argos_setting("ARGOS_COMPUTE_TYPE", "auto")
        device = device or argos_setting("ARGOS_DEVICE_TYPE", "cpu")
        for option, value, low in (
            ("beam_size", beam_size, 1),
            ("inter_threads", inter_threads, 1),
            ("intra_threads", intra_threads, 0),
            ("max_batch_tokens", max_batch_tokens, 1),
            ("max_decoding_length", max_decoding_length, 1),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise EngineError(f"argos: {option} must be an integer ≥ {low} (got {value!r})")
        self.pair = pair or default_pair()
        self.package = find_package(package, packages_dir, self.pair.source, self.pair.target)
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        self.max_decoding_length = max_decoding_length
        self.length_penalty = float(length_penalty)
        import ctranslate2

        model_dir = self.package.path / "model"
        try:
            self.translator = ctranslate2.Translator(
                str(model_dir),
                device=device,
                compute_type=compute_type,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
            )
        except ValueError as exc:
            supported = ", ".join(sorted(ctranslate2.get_supported_compute_types(device)))
            raise EngineError(f"argos: {exc} (compute types on {device}: auto, default, {supported})") from None
        except RuntimeError as exc:
            raise EngineError(f"argos: cannot load the model in {model_dir}: {exc}") from None
        self.compute_type = str(self.translator.compute_type)
        tokenizer_file = next(n for n, kind in TOKENIZER_FILES.items() if kind == self.package.tokenizer)
        self.vocabulary = _read_vocabulary(model_dir)
        self.tokenizer: _SentencePieceTokenizer | _BpeTokenizer
        try:
            if self.package.tokenizer == "sentencepiece":
                self.tokenizer = _SentencePieceTokenizer(self.package.path / tokenizer_file)
            else:
                self.tokenizer = _BpeTokenizer(
                    self.package.path / tokenizer_file, self.package.from_code, self.package.to_code, self.vocabulary
                )
        except (OSError, RuntimeError) as exc:
            raise EngineError(f"argos: cannot load {self.package.path / tokenizer_file}: {exc}") from None
        self._fingerprint = self._model_fingerprint(model_dir, self.package.path / tokenizer_file)

    @staticmethod
    def _model_fingerprint(model_dir: Path, tokenizer: Path) -> str:
        """Tokenizer, model size, and the first and last MiB of the weights: cheap, and changes
        when a package is rebuilt under the same version."""
        digest = hashlib.sha1(tokenizer.read_bytes())
        weights = model_dir / "model.bin"
        size = weights.stat().st_size
        digest.update(str(size).encode())
        with weights.open("rb") as fh:
            digest.update(fh.read(1 << 20))
            fh.seek(max(0, size - (1 << 20)))
            digest.update(fh.read(1 << 20))
        return digest.hexdigest()[:8]

    @property
    def model_id(self) -> str:
        """``argos:<code>@<version>:<compute type>:beam<n>:<fingerprint>`` — everything that changes output."""
        p = self.package
        return f"argos:{p.code}@{p.version}:{self.compute_type}:beam{self.beam_size}:{self._fingerprint}"

    def suppress_sequences(self, renderings: Sequence[str]) -> list[list[str]]:
        """Target token sequences that block *renderings*: each rendering as written and
        capitalised, in its best and alternative SentencePiece segmentations (the model could
        emit any), after a space and glued to what precedes (``(Kim`` has no ``▁`` before
        ``Kim``); sequences with tokens outside the model's target vocabulary are dropped."""
        sequences: list[list[str]] = []
        for rendering in renderings:
            rendering = rendering.strip()
            if not rendering:
                continue
            forms = dict.fromkeys([rendering, rendering[0].upper() + rendering[1:]])
            for form in forms:
                for pieces in self.tokenizer.variants(form, 4):
                    if not pieces:
                        continue
                    glued = pieces[1:] if pieces[:1] == ["▁"] else [pieces[0][1:], *pieces[1:]]
                    for candidate in (pieces, glued) if pieces[0].startswith("▁") else (pieces,):
                        if not candidate or candidate in sequences:
                            continue
                        if self.vocabulary is not None and not all(t in self.vocabulary for t in candidate):
                            continue
                        sequences.append(candidate)
        return sequences

    def translate_pieces(
        self, segments: Sequence[str], n_best: int = 1, suppress: Sequence[str] = ()
    ) -> list[list[tuple[list[str], float]]]:
        """Decode every segment in one CTranslate2 call; per segment, up to *n_best*
        ``(target tokens, score)`` pairs, best first. Empty segments get ``[([], 0.0)]``."""
        if n_best < 1:
            raise ValueError("n_best must be ≥ 1")
        out: list[list[tuple[list[str], float]]] = [[([], 0.0)] for _ in segments]
        todo = [i for i, seg in enumerate(segments) if seg.strip()]
        if not todo:
            return out
        source = [self.tokenizer.encode(segments[i]) for i in todo]
        prefix = self.package.target_prefix
        sequences = self.suppress_sequences(suppress)
        try:
            results = self.translator.translate_batch(
                source,
                target_prefix=[[prefix] for _ in source] if prefix else None,
                max_batch_size=self.max_batch_tokens,
                batch_type="tokens",
                beam_size=max(self.beam_size, n_best),
                num_hypotheses=n_best,
                length_penalty=self.length_penalty,
                replace_unknowns=True,
                return_scores=True,
                suppress_sequences=sequences or None,
                max_input_length=0,  # never truncate a sentence silently
                max_decoding_length=self.max_decoding_length,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"argos: decoding failed: {exc}") from None
        for i, result in zip(todo, results, strict=True):
            hyps = []
            for tokens, score in zip(result.hypotheses, result.scores, strict=True):
                tokens = list(tokens)
                if prefix and tokens[:1] == [prefix]:
                    tokens = tokens[1:]
                hyps.append((tokens, float(score)))
            out[i] = hyps
        return out

    def translate_batch(
        self, segments: Sequence[str], n_best: int = 1, suppress: Sequence[str] = ()
    ) -> list[list[Hypothesis]]:
        """Translate every segment (one CTranslate2 call); up to *n_best* distinct hypotheses each."""
        decoded = self.translate_pieces(segments, n_best, suppress)
        out: list[list[Hypothesis]] = []
        for segment, hyps in zip(segments, decoded, strict=True):
            unknown = self.tokenizer.unknown_words(segment) if segment.strip() else []
            seen: set[str] = set()
            items = []
            for tokens, score in hyps:
                text = self.tokenizer.decode(tokens).strip()
                if text in seen:  # different segmentations of the same text
                    continue
                seen.add(text)
                items.append(Hypothesis(text, score, list(unknown)))
            out.append(items)
        return out
