"""``import lawreport`` is the public API: cheap to import, every name in ``__all__`` there, and
what the commands do callable from Python (check, evaluate, extract with the same options)."""

from __future__ import annotations

import io
import json
import pkgutil
import subprocess
import sys

import pytest

import lawreport
from conftest import DEV, GOLD, RAW, SEEDS, write_reports


def test_import_lawreport_loads_nothing_else():
    code = (
        "import sys, lawreport; heavy = {'regex', 'pyarrow', 'numpy', 'typer', 'rich', 'lawreport.pipeline'};"
        " print(sorted(heavy & set(sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_every_public_name_resolves_and_is_listed_once():
    assert len(set(lawreport.__all__)) == len(lawreport.__all__)
    assert set(lawreport.__all__) == {"__version__", *lawreport._EXPORTS}
    for name in lawreport.__all__:
        assert getattr(lawreport, name) is not None, name
    assert set(lawreport.__all__) <= set(dir(lawreport))
    with pytest.raises(AttributeError):
        lawreport.no_such_name  # noqa: B018


def test_no_public_name_is_also_a_subpackage():
    # Importing lawreport.x sets the attribute x on the package: a function of the same name
    # would be replaced by the module as soon as the pipeline imports it.
    modules = {info.name for info in pkgutil.iter_modules(lawreport.__path__)}
    assert not modules & set(lawreport.__all__)


def test_process_file_from_the_package(tmp_path):
    result = lawreport.process_file(str(sorted(RAW.glob("*.txt"))[0]))
    assert isinstance(result, lawreport.Processed) and result.ok and result.indicators
    failed = lawreport.process_file(str(tmp_path / "missing.txt"))
    assert isinstance(failed, lawreport.Failed) and failed.error.stage == "read" and not failed.ok


def test_check_is_a_library_gate(tmp_path):
    write_reports(tmp_path / "in", 2)
    output = io.StringIO()
    outcome = lawreport.check([tmp_path / "in"], output=output, output_format="json", jobs=1)
    document = json.loads(output.getvalue())
    assert outcome.files == document["summary"]["files"] == 2
    assert outcome.errors == document["summary"]["errors"]
    assert outcome.passed == (outcome.errors == 0)
    strict = lawreport.check([tmp_path / "in"], lawreport.Options(jobs=1, strict=True, required=("closing",)))
    assert strict.files == 2 and not strict.passed  # no closing part: an error (LR301)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert not lawreport.check([empty], jobs=1).passed  # nothing checked is no pass


def test_check_refuses_a_bad_format_before_anything_is_read(tmp_path):
    with pytest.raises(lawreport.OptionError, match="--format 'xml'"):
        lawreport.check([tmp_path], output=io.StringIO(), output_format="xml")


def test_evaluate_is_a_library_gate():
    passed = lawreport.evaluate(GOLD, thresholds=lawreport.Thresholds(min_recall=1.0))
    assert passed.passed and passed.figures["indicator_recall"] == 1.0 and len(passed.scores) == 5
    failed = lawreport.evaluate(GOLD, thresholds=lawreport.Thresholds(min_precision=1.0, max_violations=-1))
    assert not failed.passed and failed.failures[0].startswith("indicator_precision")
    with pytest.raises(lawreport.UsageError, match="--gold"):
        lawreport.evaluate(SEEDS)


def test_evaluate_fails_on_files_it_cannot_find(tmp_path):
    evaluation = lawreport.evaluate(GOLD, DEV)
    assert not evaluation.passed and "not scored" in evaluation.failures[0]


def test_extract_takes_options_or_the_same_names(tmp_path):
    write_reports(tmp_path / "in", 2)
    by_name = lawreport.extract([tmp_path / "in"], tmp_path / "a", jobs=1, formats="csv")
    by_object = lawreport.extract([tmp_path / "in"], tmp_path / "b", lawreport.Options(jobs=1, formats=("csv",)))
    assert by_name.ok == by_object.ok == 2 and by_name.passed()
    assert (tmp_path / "a" / "indicators.csv").read_bytes() == (tmp_path / "b" / "indicators.csv").read_bytes()
    with pytest.raises(lawreport.OptionError, match="unknown setting"):
        lawreport.extract([tmp_path / "in"], tmp_path / "c", job=1)


def test_the_version_is_the_package_version():
    import tomllib

    from conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert lawreport.__version__ == project["version"]
