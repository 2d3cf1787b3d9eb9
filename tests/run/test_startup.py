"""What a run imports: pandas (0.3-0.5 s, ~50 MB) only when a pandas API is used."""

from __future__ import annotations

import subprocess
import sys

from conftest import write_reports


def test_a_run_writing_parquet_never_imports_pandas_and_pandas_reads_it_after(tmp_path):
    (path,) = write_reports(tmp_path / "in", 1)
    code = (
        "import sys; from lawreport.run.batch import extract; "
        f"summary = extract([{str(path)!r}], {str(tmp_path / 'out')!r}, jobs=1, formats='csv,parquet'); "
        "print(summary.rows['indicators'], 'pandas' in sys.modules); "
        "import pandas as pd, pyarrow as pa; "
        f"frame = pd.read_parquet({str(tmp_path / 'out' / 'indicators.parquet')!r}); "
        "print(len(frame), frame['indicator_no'].dtype, "
        "pa.array(pd.Series([1, None], dtype='Int64')).null_count)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    rows, imported, read, dtype, nulls = output
    assert int(rows) == 3 and imported == "False"
    assert (int(read), dtype, nulls) == (3, "Int64", "1")  # pandas metadata and pandas objects still work
