"""Everything that can change the rows of a file, as named digests: the row cache's key.

A cached row is reused only when every component is unchanged: the tool version and the
digest of its own code (an edited checkout is a new tool), the result-changing options, every
packaged data file (lexicons, gazetteer, outline styles, chrome patterns, the jieba user
dictionary, the built-in rule packs and kinds), the bytes of every user rule pack and user
kind (``--kinds``), and the versions of
the libraries and Unicode tables the pipeline runs on. Each is a digest of bytes, so an edit
is seen whatever its timestamp says.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import stat
import sys
import unicodedata
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from lawreport.indicators.rulepack import PACK_FILES
from lawreport.version import __version__

if TYPE_CHECKING:
    from lawreport.options import Options

# Libraries whose output is part of a row (text conversion, regexes, segmentation, HTML).
ROW_LIBRARIES = ("opencc", "regex", "jieba", "rjieba", "selectolax", "numpy")


_HASH_BLOCK = 1 << 20


def content_sha256(path: str) -> str:
    """SHA-256 of a regular file's bytes; '' when it cannot be read (or is a pipe or device,
    which are never opened here)."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        while block := os.read(fd, _HASH_BLOCK):
            digest.update(block)
    except OSError:
        return ""
    finally:
        os.close(fd)
    return digest.hexdigest()


def _digest(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()[:16]


def _tree_parts(folder: Traversable, prefix: str, suffixes: tuple[str, ...] | None) -> list[bytes]:
    parts = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        name = f"{prefix}{entry.name}"
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            parts.extend(_tree_parts(entry, name + "/", suffixes))
        elif suffixes is None or entry.name.endswith(suffixes):
            parts.extend((name.encode(), entry.read_bytes()))
    return parts


@functools.cache
def code_digest() -> str:
    """The package's own Python code (an edited checkout keeps its version number)."""
    return _digest(_tree_parts(resources.files("lawreport"), "", (".py",)))


@functools.cache
def data_digest() -> str:
    """Every packaged data file, built-in rule packs included."""
    return _digest(_tree_parts(resources.files("lawreport.data"), "", None))


@functools.cache
def libraries_digest() -> str:
    versions = [f"python={sys.version_info[0]}.{sys.version_info[1]}", f"unicode={unicodedata.unidata_version}"]
    for name in ROW_LIBRARIES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return _digest([version.encode() for version in versions])


def user_packs_digest(folders: tuple[str, ...]) -> str:
    """The bytes of the user rule packs, in order (read now: a pack edited since it was
    loaded counts as edited)."""
    parts = []
    for folder in folders:
        for name in PACK_FILES:
            path = Path(folder) / name
            parts.append(name.encode())
            parts.append(path.read_bytes() if path.is_file() else b"\0missing")
    return _digest(parts)


def user_kinds_digest(folders: tuple[str, ...]) -> str:
    """The bytes of the user's kind files (``--kinds``: every ``.toml`` under each folder,
    by relative path), read now like the rule packs."""
    parts = []
    for folder in folders:
        root = Path(folder)
        files = sorted(root.rglob("*.toml")) if root.is_dir() else []
        parts.append(b"\0folder")
        for path in files:
            parts.extend((path.relative_to(root).as_posix().encode(), path.read_bytes()))
    return _digest(parts)


def options_digest(options: Options) -> str:
    """The options that can change a row (:data:`lawreport.options.ROW_FIELDS`; the rule
    packs count by their bytes, see :func:`user_packs_digest`)."""
    return _digest([json.dumps(options.row_settings(), sort_keys=True, default=str).encode()])


def components(options: Options) -> dict[str, str]:
    """Named digests of everything a row depends on."""
    return {
        "version": __version__,
        "code": code_digest(),
        "data": data_digest(),
        "libraries": libraries_digest(),
        "options": options_digest(options),
        "user_rules": user_packs_digest(tuple(options.rules)),
        "user_kinds": user_kinds_digest(tuple(options.kinds)),
    }


def settings_key(parts: dict[str, str]) -> str:
    return _digest([json.dumps(parts, sort_keys=True).encode()])


def describe_change(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Which components differ, in words."""
    words = {
        "version": "the lawreport version",
        "code": "lawreport's code",
        "data": "its data files",
        "libraries": "the library versions",
        "options": "the options",
        "user_rules": "the user rule packs",
        "user_kinds": "the user report kinds",
    }
    return [words.get(name, name) for name in new if old.get(name) != new[name]]
