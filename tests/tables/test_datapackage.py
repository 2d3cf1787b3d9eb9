"""datapackage.json, written with every run: valid against the published Data Package v1 JSON
schemas, and true of the folder it describes (every field a column of its file, sizes and
hashes right, keys unique, coded columns within their code lists)."""

from __future__ import annotations

import hashlib
import json

import jsonschema
import pandas as pd
import pyarrow.parquet as pq
import pytest

import lawreport
from conftest import DEV, FIXTURES, SEEDS
from lawreport.tables.frames import load_table

PROFILES = FIXTURES / "datapackage"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("dp") / "out"
    lawreport.extract([SEEDS, DEV], out, formats="csv,parquet,jsonl", jobs=1)
    return out


def _package(out):
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))


def _profile(name):
    return json.loads((PROFILES / name).read_text(encoding="utf-8"))


def test_valid_against_the_published_v1_schemas(out):
    package = _package(out)
    for profile in ("data-package.json", "tabular-data-package.json"):
        errors = list(jsonschema.Draft4Validator(_profile(profile)).iter_errors(package))
        assert errors == [], (profile, [error.message for error in errors[:3]])
    table_schema = jsonschema.Draft4Validator(_profile("table-schema.json"))
    for resource in package["resources"]:
        assert list(table_schema.iter_errors(resource["schema"])) == [], resource["name"]
    assert len({resource["name"] for resource in package["resources"]}) == len(package["resources"])


def test_a_broken_package_fails_the_schemas():
    broken = {"profile": "tabular-data-package", "resources": [{"name": "Bad Name", "path": "x.csv"}]}
    assert list(jsonschema.Draft4Validator(_profile("tabular-data-package.json")).iter_errors(broken))


def test_resources_describe_the_files(out):
    package = _package(out)
    formats = {}
    for resource in package["resources"]:
        path = out / resource["path"]
        names = [field["name"] for field in resource["schema"]["fields"]]
        formats.setdefault(resource["format"], set()).add(resource["path"])
        if resource["format"] == "csv":
            header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
            assert header == names
            assert resource["bytes"] == path.stat().st_size
            assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        elif resource["format"] == "parquet":
            assert pq.read_schema(path).names == names
        else:
            first = path.read_text(encoding="utf-8").splitlines()
            if first:
                assert list(json.loads(first[0])) == names
    assert formats["csv"] == {f"{t}.csv" for t in ("documents", "sections", "indicators", "indicators_wide", "errors")}
    assert "datapackage.json" not in {r["path"] for r in package["resources"]}


def test_keys_are_unique_and_codes_hold_on_the_data(out):
    package = _package(out)
    for resource in package["resources"]:
        if resource["format"] != "parquet":
            continue
        frame = load_table(out, resource["name"].removesuffix("-parquet"))
        schema = resource["schema"]
        if len(frame):
            assert not frame.duplicated(schema["primaryKey"]).any(), resource["name"]
        for field in schema["fields"]:
            enum = field.get("constraints", {}).get("enum")
            if enum:
                values = set(frame[field["name"]].dropna()) - {""}
                assert values <= set(enum), (resource["name"], field["name"], values - set(enum))
            if field.get("constraints", {}).get("required"):
                assert frame[field["name"]].notna().all(), (resource["name"], field["name"])
            pattern = field.get("constraints", {}).get("pattern")
            if pattern:
                values = frame[field["name"]].dropna()
                assert values[values != ""].str.fullmatch(pattern).all(), field["name"]


def test_a_hive_dataset_is_one_resource_listing_its_files(tmp_path):
    out = tmp_path / "out"
    lawreport.extract([SEEDS], out, formats="parquet", partition=True, jobs=1)
    package = _package(out)
    indicators = next(r for r in package["resources"] if r["name"] == "indicators")
    files = sorted(p.relative_to(out).as_posix() for p in (out / "indicators").rglob("*.parquet"))
    assert indicators["path"] == files or [indicators["path"]] == files
    assert pd.concat([pd.read_parquet(out / f) for f in files]).shape[0] == len(load_table(out, "indicators"))


def test_same_dataset_same_bytes(out, tmp_path):
    again = tmp_path / "again"
    lawreport.extract([SEEDS, DEV], again, formats="csv,parquet,jsonl", jobs=1)
    assert (again / "datapackage.json").read_bytes() == (out / "datapackage.json").read_bytes()
