"""Flags several commands share, and how flags become :class:`~lawreport.options.Options`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer

from lawreport.options import Options, check_max_size

# The report-kind flags every command that runs the pipeline takes.
KindFlag = Annotated[str, typer.Option(help="Report kind: auto (recognised per document) or a kind's name.")]
KindsFlag = Annotated[list[Path] | None, typer.Option("--kinds", help="A folder of user report kinds (repeatable).")]
# The per-document limits of the batch commands (extract, check).
RuleTimeoutFlag = Annotated[
    float, typer.Option(help="Seconds a rule's regex may run on one document before the file fails.")
]
TimeBudgetFlag = Annotated[
    float, typer.Option(help="Seconds one document may take in all before it fails (0: no limit).")
]
# The input-listing flags of the batch commands (extract, check).
ManifestFlag = Annotated[
    str | None,
    typer.Option("--manifest", help="A file listing input paths, one per line (- for standard input)."),
]
FollowSymlinksFlag = Annotated[
    bool,
    typer.Option("--follow-symlinks", help="Read symlinked files inside input folders wherever they point."),
]


def options_from_flags(
    *,
    encoding: str | None,
    rules: list[Path] | None,
    max_size: float | None = None,
    kinds: list[Path] | None = None,
    **settings: Any,
) -> Options:
    """The options object for a command's flags (``--max-size`` in MB; validated by the library)."""
    if max_size is not None:
        settings["max_bytes"] = check_max_size(max_size)
    return Options(
        encoding=encoding,
        rules=tuple(str(path) for path in rules or ()),
        kinds=tuple(str(path) for path in kinds or ()),
        **settings,
    )


def listing_flag(manifest: str | None) -> str | BinaryIO | None:
    """``--manifest -`` is standard input, read once as a stream; a path is opened by the run."""
    if manifest == "-":
        return sys.stdin.buffer
    return manifest
