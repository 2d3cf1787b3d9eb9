"""Read the tables of an output folder back as pandas DataFrames.

The writers do not use pandas (rows go straight to the csv module and Arrow, which is faster
and keeps ~40 MB of pandas out of every worker process); this is the analyst's way back in:

    from lawreport.tables.frames import load_table
    indicators = load_table("data/out", "indicators")

Parquet is preferred (types are exact: nullable Int64/Float64/boolean, dates), single file or
hive-partitioned dataset; CSV is the fallback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lawreport.tables.folder import check_no_pending_commit
from lawreport.tables.schemas import PARTITION_COLUMN, TABLES

if TYPE_CHECKING:
    import pandas as pd


def load_table(out_dir: str | Path, name: str) -> pd.DataFrame:
    """Table ``name`` (documents, sections, indicators, indicators_wide, errors) of ``out_dir``."""
    import pandas as pd
    import pyarrow.dataset as ds

    out = Path(out_dir)
    check_no_pending_commit(out)  # a run killed while swapping its tables: do not mix them
    dataset = out / name
    if dataset.is_dir():
        table = ds.dataset(dataset, format="parquet", partitioning="hive").to_table()
        frame = table.to_pandas()
        if PARTITION_COLUMN in frame.columns:
            frame[PARTITION_COLUMN] = pd.to_numeric(frame[PARTITION_COLUMN].astype(object)).astype("Int64")
        spec = TABLES.get(name)
        if spec is not None:  # folder order is not input order: put the columns back
            frame = frame[[column for column in spec.columns if column in frame.columns]]
        return frame
    if (out / f"{name}.parquet").is_file():
        return pd.read_parquet(out / f"{name}.parquet")
    if (out / f"{name}.csv").is_file():
        return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
    raise FileNotFoundError(f"no table {name!r} in {out} (looked for {name}.parquet, {name}/ and {name}.csv)")


class Tables(dict):
    """The tables of a dataset as DataFrames, by name (``tables["indicators"]``) or as
    attributes (``tables.indicators``): documents, sections, indicators, indicators_wide, errors."""

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no table {name!r}; tables: {', '.join(self)}") from None

    def __repr__(self) -> str:
        return "Tables(" + ", ".join(f"{name}: {len(frame)} rows" for name, frame in self.items()) + ")"


def load(out_dir: str | Path) -> Tables:
    """Every table of output folder ``out_dir`` (what ``lawreport extract -o`` wrote)."""
    from lawreport.tables.schemas import TABLE_NAMES

    out = Path(out_dir)
    if not out.is_dir():
        raise FileNotFoundError(f"no output folder {out}")
    return Tables((name, load_table(out, name)) for name in TABLE_NAMES)
