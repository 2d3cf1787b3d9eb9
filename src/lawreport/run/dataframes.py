"""``lawreport.read(inputs)``: the tables of some reports as DataFrames, without an output
folder to manage.

It runs :func:`lawreport.run.batch.extract` into a temporary folder (Parquet only, no
cache) and loads the tables back, so the rows are exactly those ``lawreport extract`` writes
(the same duplicate handling, ids and order); the folder is removed before it returns."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lawreport.options import Options
from lawreport.tables.frames import Tables, load


def read(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], options: Options | None = None, **settings: Any
) -> Tables:
    """The tables of the reports in ``inputs`` (files or folders) as DataFrames.

    ``settings`` are :class:`~lawreport.options.Options` fields (``jobs=1``, ``rules=(...)``);
    ``formats``, caching and partitioning are fixed here."""
    from lawreport.run.batch import extract

    paths = [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs)
    base = options or Options(**settings)
    options = dataclasses.replace(base, formats=("parquet",), incremental=False, partition=False, replace=True)
    with tempfile.TemporaryDirectory(prefix="lawreport-read-") as folder:
        out = Path(folder) / "out"
        extract([os.fspath(path) for path in paths], out, options)
        return load(out)
