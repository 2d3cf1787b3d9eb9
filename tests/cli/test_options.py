"""Usage errors are usage errors: every bad option is refused before any output is touched,
with one line saying what is wrong and what to do; paths and messages are printed literally."""

from __future__ import annotations

import hashlib
import os
import sys

import pytest
from typer.testing import CliRunner

from conftest import GOLD, write_reports
from lawreport.cli import app
from lawreport.errors import UsageError
from lawreport.run import batch
from lawreport.run.batch import extract

runner = CliRunner()


def snapshot(folder) -> dict[str, str]:
    found = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if name == ".lawreport.lock":  # its note names the holder and the second it started
                found[path] = "present"
                continue
            with open(path, "rb") as handle:
                found[path] = hashlib.sha256(handle.read()).hexdigest()
    return found


@pytest.fixture
def dataset(tmp_path):
    write_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(tmp_path / "in"), "-o", str(out), "-j", "1", "-q"]).exit_code == 0
    return tmp_path / "in", out


def only_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    return lines[0]


BAD_EXTRACT = [
    (["--jobs", "-3"], "--jobs -3"),
    (["--jobs", "1000"], "--jobs 1000: at most"),
    (["--encoding", "latin9x"], "unknown encoding"),
    (["--encoding", "rot13"], "not a text encoding"),
    (["--max-size", "-1"], "--max-size -1.0: must be a positive number"),
    (["--max-size", "nan"], "--max-size nan"),
    (["--rule-timeout", "0"], "--rule-timeout 0.0"),
    (["--rule-timeout", "inf"], "--rule-timeout inf"),
    (["--format", "xls"], "--format xls: unknown format"),
    (["--format", ","], "unknown format"),
    (["--engine", "spark"], "--engine 'spark': unknown"),
    (["--scheduler", "tcp://localhost:8786"], "only used with --engine dask"),
    (["--engine", "dask", "--scheduler", "localhost"], "not a scheduler address"),
    (["--manifest", "missing.txt"], "--manifest 'missing.txt' does not exist"),
    (["--rules", "no_such_pack"], "--rules 'no_such_pack' is not a folder"),
    (["missing_input"], "input 'missing_input' does not exist. Check the path"),
]


@pytest.mark.parametrize(("args", "words"), BAD_EXTRACT, ids=[" ".join(args) for args, _ in BAD_EXTRACT])
def test_every_bad_extract_option_is_one_line_exit_2_and_touches_nothing(dataset, tmp_path, monkeypatch, args, words):
    inputs, out = dataset
    monkeypatch.chdir(tmp_path)
    before = snapshot(out)
    positional = [] if args[0] == "missing_input" else [str(inputs)]
    for target in (out, tmp_path / "fresh"):
        result = runner.invoke(app, ["extract", *positional, *args, "-o", str(target), "-q"])
        assert result.exit_code == 2, result.output
        assert words in only_line(result)
    assert snapshot(out) == before
    assert not (tmp_path / "fresh").exists()


def test_the_library_validates_the_same_options(dataset):
    from lawreport.options import OptionError, Options

    inputs, out = dataset
    for kwargs in ({"jobs": -1}, {"formats": ("xls",)}):
        with pytest.raises(OptionError):
            extract([inputs], out, **kwargs)
    with pytest.raises(OptionError):  # the options object refuses it as it is made
        Options(encoding="latin9x")


BAD_CHECK = [
    (["--format", "xml"], "--format 'xml': unknown"),
    (["--require", "conclusions"], "--require conclusions: unknown part"),
    (["--jobs", "-1"], "--jobs -1"),
    (["--max-size", "0"], "--max-size 0.0"),
    (["--encoding", "nope"], "unknown encoding"),
]


@pytest.mark.parametrize(("args", "words"), BAD_CHECK, ids=[" ".join(args) for args, _ in BAD_CHECK])
def test_every_bad_check_option_is_one_line_exit_2(dataset, args, words):
    result = runner.invoke(app, ["check", str(dataset[0]), *args])
    assert result.exit_code == 2
    assert words in only_line(result)


BAD_EVAL = [
    (["--min-f1", "1.5"], "--min-f1 1.5: must be between 0 and 1"),
    (["--min-recall", "-0.1"], "--min-recall -0.1"),
    (["--max-violations", "-2"], "--max-violations -2"),
    (["--format", "xml"], "--format 'xml': unknown"),
]


@pytest.mark.parametrize(("args", "words"), BAD_EVAL, ids=[" ".join(args) for args, _ in BAD_EVAL])
def test_every_bad_eval_option_is_one_line_exit_2(args, words):
    result = runner.invoke(app, ["eval", "--gold", str(GOLD), *args])
    assert result.exit_code == 2
    assert words in only_line(result)


def test_one_file_commands_check_their_options(dataset):
    report = str(next(dataset[0].iterdir()))
    assert "--depth 0" in only_line(runner.invoke(app, ["sections", report, "--depth", "0"]))
    assert "unknown encoding" in only_line(runner.invoke(app, ["normalize", report, "--encoding", "x-none"]))
    assert "is not a file" in only_line(runner.invoke(app, ["indicators", str(dataset[0])]))
    listing = dataset[0] / "list.tsv"  # a file extract would skip is no report for the one-file commands
    listing.write_text("path\tsource\n", encoding="utf-8")
    for command in ("indicators", "sections", "normalize"):
        result = runner.invoke(app, [command, str(listing)])
        assert result.exit_code == 2 and "unsupported file type '.tsv'" in only_line(result)


def test_paths_with_markup_are_printed_literally(tmp_path):
    folder = tmp_path / "we[/b]ird [red]x[/red]"
    write_reports(folder, 1)
    (folder / "[bold]empty.txt").write_bytes(b"")
    out = tmp_path / "out [/]"
    result = runner.invoke(app, ["extract", str(folder), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert f"failed {folder}/[bold]empty.txt: file is empty" in result.output
    assert f"lawreport extract -> {out}" in result.output
    result = runner.invoke(app, ["extract", str(folder / "nothing [/b]"), "-o", str(out)])
    assert f"input '{folder}/nothing [/b]' does not exist" in only_line(result)
    checked = runner.invoke(app, ["check", str(folder)])
    assert f"{folder}/[bold]empty.txt: LR103 error" in checked.output


def test_rule_pack_errors_keep_their_brackets(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.toml").write_text('[pack]\nname = "p"\nversion = "1"\n', encoding="utf-8")
    (pack / "indicators.toml").write_text('[[indicator]]\nid = "x"\n', encoding="utf-8")
    write_reports(tmp_path / "in", 1)
    result = runner.invoke(app, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--rules", str(pack)])
    assert result.exit_code == 2
    assert "indicators.toml [[indicator]] #1" in only_line(result)


def test_the_dask_hint_keeps_its_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    write_reports(tmp_path / "in", 1)
    result = runner.invoke(app, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "dask"])
    assert result.exit_code == 2
    assert only_line(result) == (
        "error: the dask engine needs the optional extra. Install it with: pip install 'lawreport[dask]'"
    )


def test_message_and_hint_are_separated():
    assert str(UsageError("input 'x' does not exist", hint="Check the path.")) == (
        "input 'x' does not exist. Check the path."
    )
    assert str(UsageError("cannot read list:", hint="Give a file.")) == "cannot read list: Give a file."


def test_an_internal_error_is_one_line_not_a_traceback(dataset, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom [/b]")

    monkeypatch.setattr(batch._Run, "_publish", broken)
    inputs, out = dataset
    before = snapshot(out)
    result = runner.invoke(app, ["extract", str(inputs), "-o", str(out), "-j", "1", "-q", "--full"])
    assert result.exit_code == 1
    line = only_line(result)
    assert "internal error (RuntimeError: boom [/b])" in line and "LAWREPORT_DEBUG=1" in line
    assert snapshot(out) == before


KIND_REPORT = (
    "2024年某市政府工作报告\n各位代表:\n现在,我代表市人民政府向大会作政府工作报告,请予审议。\n"
    "一、2023年工作回顾\n全市地区生产总值增长5.5%。\n二、2024年工作安排\n地区生产总值增长5%左右。\n"
)


def test_check_eval_and_the_one_file_commands_take_the_report_kind(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(KIND_REPORT, encoding="utf-8")
    # Read as the work report it is, the sections tree names its kind and its parts.
    auto = runner.invoke(app, ["sections", str(report), "--depth", "1", "-f", "table"])
    assert auto.exit_code == 0 and "work_report" in auto.stdout and "review" in auto.stdout
    forced = runner.invoke(app, ["sections", str(report), "--depth", "1", "--kind", "fazhi", "-f", "table"])
    assert forced.exit_code == 0 and "fazhi" in forced.stdout and "review" not in forced.stdout
    # A plan-part number is a target only when the kind says plans hold targets.
    table = runner.invoke(app, ["indicators", str(report), "--kind", "other", "-f", "table"])
    assert table.exit_code == 0 and "yes" not in table.stdout
    assert "yes" in runner.invoke(app, ["indicators", str(report), "-f", "table"]).stdout
    # check requires the forced kind's parts: fazhi's shortcomings are missing, the work report's are not.
    as_fazhi = runner.invoke(app, ["check", str(report), "--kind", "fazhi", "-f", "json", "-q", "--exit-zero"])
    as_work = runner.invoke(app, ["check", str(report), "-f", "json", "-q", "--exit-zero"])
    assert "LR301" in as_fazhi.stdout and "LR301" not in as_work.stdout
    bad = runner.invoke(app, ["eval", "--gold", str(GOLD), str(report), "--kind", "nosuch"])
    assert bad.exit_code == 2 and "no such report kind" in bad.output


def test_extract_without_format_keeps_the_datasets_formats(tmp_path):
    write_reports(tmp_path / "a", 2)
    write_reports(tmp_path / "b", 2, start=2)
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(tmp_path / "a"), "-o", str(out), "-f", "csv,jsonl", "-q"]).exit_code == 0
    assert runner.invoke(app, ["extract", str(tmp_path / "b"), "-o", str(out), "-q"]).exit_code == 0
    assert (out / "documents.jsonl").is_file() and not (out / "documents.parquet").exists()
    assert runner.invoke(app, ["extract", str(tmp_path / "b"), "-o", str(out), "-f", "csv", "-q"]).exit_code == 0
    assert not (out / "documents.jsonl").exists()  # an explicit --format is what the run writes
    fresh = tmp_path / "fresh"
    assert runner.invoke(app, ["extract", str(tmp_path / "a"), "-o", str(fresh), "-q"]).exit_code == 0
    assert (fresh / "documents.csv").is_file() and (fresh / "documents.parquet").is_file()
