"""One options object: every setting validated as it is made, modes as Literal types, and a
row cache key that covers every field that can change a row (each field says which it is)."""

from __future__ import annotations

import dataclasses
import shutil
import typing
from pathlib import Path

import pytest

import lawreport
from lawreport.errors import OptionError
from lawreport.options import ENGINES, ROW_FIELDS, RUN_FIELDS, Engine, Options, Thresholds
from lawreport.run.cachekey import components, options_digest
from lawreport.tables.formats import FORMATS


def test_every_field_is_either_part_of_the_cache_key_or_says_why_not():
    fields = {field.name for field in dataclasses.fields(Options)}
    assert set(ROW_FIELDS) | set(RUN_FIELDS) == fields
    assert not set(ROW_FIELDS) & set(RUN_FIELDS)
    assert all(reason for reason in RUN_FIELDS.values())


ROW_CHANGES = {"encoding": "gb18030", "max_bytes": 1000, "rule_timeout": 1.0, "time_budget": 10.0}
RUN_CHANGES = {
    "formats": "csv",
    "csv_escape": False,
    "partition": True,
    "jobs": 1,
    "engine": "dask",
    "incremental": False,
    "replace": True,
    "follow_symlinks": True,
    "strict": True,
    "required": ("plans",),
    "ignore": ("LR201",),
}


ROW_CHANGES["kind"] = "other"


@pytest.mark.parametrize(("name", "value"), ROW_CHANGES.items())
def test_a_field_that_changes_rows_changes_the_key(name, value):
    assert set(ROW_CHANGES) == set(ROW_FIELDS)
    assert options_digest(Options(**{name: value})) != options_digest(Options())


@pytest.mark.parametrize(("name", "value"), RUN_CHANGES.items())
def test_a_field_that_cannot_change_rows_keeps_the_key(name, value):
    assert set(RUN_CHANGES) | {"rules", "kinds", "scheduler"} == set(RUN_FIELDS)
    assert components(Options(**{name: value})) == components(Options())


def test_user_packs_count_by_their_bytes_not_their_spelling(tmp_path, monkeypatch):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.toml").write_text('[pack]\nname = "p"\nversion = "1"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    spelled = [Options(rules=(str(pack),)), Options(rules=("pack",)), Options(rules=("./pack/",))]
    keys = {components(options)["user_rules"] for options in spelled}
    assert len(keys) == 1
    (pack / "pack.toml").write_text('[pack]\nname = "p"\nversion = "2"\n', encoding="utf-8")
    assert components(spelled[1])["user_rules"] not in keys


def test_user_kinds_count_by_their_bytes_not_their_spelling(tmp_path, monkeypatch):
    builtin = Path(lawreport.__file__).parent / "data" / "kinds" / "other"
    mine = tmp_path / "kinds" / "memo"
    shutil.copytree(builtin, mine)
    kind_file = mine / "kind.toml"
    kind_file.write_text(kind_file.read_text(encoding="utf-8").replace('name = "other"', 'name = "memo"'), "utf-8")
    monkeypatch.chdir(tmp_path)
    spelled = [Options(kinds=(str(tmp_path / "kinds"),)), Options(kinds=("kinds",)), Options(kinds=("./kinds/",))]
    keys = {components(options)["user_kinds"] for options in spelled}
    assert len(keys) == 1 and components(Options())["user_kinds"] not in keys
    kind_file.write_text(kind_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert components(spelled[1])["user_kinds"] not in keys


BAD = [
    ({"jobs": -1}, "--jobs -1"),
    ({"jobs": True}, "--jobs True"),
    ({"engine": "daskk"}, "--engine 'daskk': unknown"),
    ({"formats": ("xls",)}, "--format xls: unknown format"),
    ({"formats": ""}, "unknown format"),
    ({"encoding": "latin9x"}, "unknown encoding"),
    ({"max_bytes": 0}, "max_bytes 0"),
    ({"rule_timeout": 0}, "--rule-timeout 0"),
    ({"time_budget": -1}, "--time-budget must be a positive number"),
    ({"scheduler": "tcp://h:1"}, "only used with --engine dask"),
    ({"rules": ("no/such/pack",)}, "--rules 'no/such/pack' is not a folder"),
    ({"required": ("conclusions",)}, "--require conclusions: unknown part"),
    ({"strict": "yes"}, "strict 'yes': must be true or false"),
]


@pytest.mark.parametrize(("settings", "words"), BAD, ids=[str(settings) for settings, _ in BAD])
def test_a_bad_value_is_refused_as_the_object_is_made(settings, words):
    with pytest.raises(OptionError, match=words.replace("(", r"\(").replace(")", r"\)")):
        Options(**settings)


def test_values_are_normalised_once():
    options = Options(formats="CSV, parquet,csv", rules=[], jobs=None, time_budget=0, required="plans, measures")
    assert options.formats == ("csv", "parquet") and options.rules == () and options.jobs == 0
    assert options.time_budget is None and options.required == ("plans", "measures")
    assert options.workers >= 1 and Options(jobs=1).workers == 1
    assert Options(engine="dask").partitioned and not Options().partitioned and Options(partition=True).partitioned


def test_the_appendix_is_a_part_check_can_require():
    assert Options(required=("appendix",)).required_parts() == ("appendix",)
    assert Options().required_parts() == ("measures", "shortcomings", "plans")


def test_modes_are_literal_types_and_formats_come_from_the_sinks():
    assert typing.get_args(Engine) == ENGINES == ("local", "dask")
    assert Options().formats == FORMATS


def test_with_settings_refuses_an_unknown_name():
    assert Options.with_settings(None, {"jobs": 1}) == Options(jobs=1)
    with pytest.raises(OptionError, match="unknown setting"):
        Options.with_settings(None, {"job": 1})


def test_thresholds_are_validated_as_made():
    assert Thresholds(min_f1=0.5).minimums()["indicator_f1"] == 0.5
    with pytest.raises(OptionError, match=r"--min-f1 1\.5: must be between 0 and 1"):
        Thresholds(min_f1=1.5)
    with pytest.raises(OptionError, match="--max-violations -2"):
        Thresholds(max_violations=-2)


def test_options_are_hashable_and_picklable():
    import pickle

    options = Options(jobs=1, formats="csv")
    assert pickle.loads(pickle.dumps(options)) == options and hash(options) == hash(Options(jobs=1, formats="csv"))
