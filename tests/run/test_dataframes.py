"""`lawreport.read(inputs)` gives the same rows as `lawreport extract` then `lawreport.load(out)`."""

from __future__ import annotations

import pandas as pd
import pytest

import lawreport
from conftest import RAW
from lawreport.tables.schemas import TABLE_NAMES


def test_read_has_the_rows_extract_writes(tmp_path):
    out = tmp_path / "out"
    lawreport.extract([str(RAW)], out, lawreport.Options(jobs=1))
    on_disk = lawreport.load(out)
    in_memory = lawreport.read(RAW, jobs=1)
    assert list(in_memory) == list(TABLE_NAMES) == list(on_disk)
    assert len(in_memory.documents) == 5 and len(in_memory.indicators) > 0
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(in_memory[name], on_disk[name], check_dtype=True)
    assert not list(tmp_path.glob("lawreport-read-*"))


def test_read_takes_a_list_and_leaves_no_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    tables = lawreport.read([RAW / "guangzhou_haizhu_zsj_2022.txt"], jobs=1)
    assert tables.documents["path"].str.endswith("guangzhou_haizhu_zsj_2022.txt").all()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(AttributeError, match="no table"):
        _ = tables.nope


def test_load_names_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        lawreport.load(tmp_path / "none")
