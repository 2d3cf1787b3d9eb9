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


def test_a_one_file_run_loads_only_what_that_file_needs(tmp_path):
    """Start-up for one small file: the driver does not warm up for a run's only chunk, the
    rjieba package's default segmenter is never built (ours is), the towns table is not read
    for a text without 镇/乡/街道/苏木, only the default kind's rule set is compiled and no
    .dta writer's numpy code is imported. The rows are those of a run that loads everything."""
    (path,) = write_reports(tmp_path / "in", 1)
    code = (
        "import sys; import lawreport.run.executors as ex; calls = []; real = ex.warm_up; "
        "ex.warm_up = lambda options: (calls.append(1), real(options)); "
        "from lawreport.run.batch import extract; "
        f"summary = extract([{str(path)!r}], {str(tmp_path / 'out')!r}, jobs=2, formats='csv'); "
        "from lawreport.metadata.gazetteer import towns; "
        "from lawreport.indicators.rulepack import load_ruleset; "
        "print(summary.rows['indicators'], len(calls), 'rjieba' in sys.modules, towns.cache_info().currsize, "
        "load_ruleset.cache_info().currsize)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert output == ["3", "0", "False", "0", "1"]
    # the same file in a run that warms up first (two chunks: 9 files) gives the same rows
    paths = write_reports(tmp_path / "many", 9)
    code = code.replace(repr(str(path)), ", ".join(repr(str(p)) for p in [paths[0], *paths[1:]]))
    code = code.replace(repr(str(tmp_path / "out")), repr(str(tmp_path / "many-out")))
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert output[:2] == ["27", "1"]
    one = (tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    many = (tmp_path / "many-out" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    assert one[1:] and [line.split(",", 1)[1] for line in one[1:]] == [
        line.split(",", 1)[1] for line in many[1 : len(one)]
    ]
