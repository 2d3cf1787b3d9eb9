"""`lawreport check`: one test per finding code, the three output formats, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from conftest import DEV, FIXTURES
from lawreport.cli import app
from lawreport.qa.checks import CODES

runner = CliRunner()
CLEAN = (FIXTURES / "clean_report.txt").read_text(encoding="utf-8")
TEXT_LINE = re.compile(
    r"^(?P<path>.+?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<code>LR\d{3}) (?P<severity>error|warning): .+$"
)


def check(*args: str):
    return runner.invoke(app, ["check", *args])


def codes_for(path, *extra: str) -> set[str]:
    result = check(str(path), "--format", "json", *extra)
    return {finding["code"] for finding in json.loads(result.stdout)["findings"]}


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_clean_report_has_no_findings(tmp_path):
    path = write(tmp_path, "clean.txt", CLEAN)
    result = check(str(path), "--strict")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("code", "name", "content"),
    [
        ("LR101", "scan.txt", b"%PDF-1.7 binary"),
        ("LR102", "mixed.txt", "第一部分".encode() + "第二部分".encode("big5") + b"\xff\xfe\xfd"),
        ("LR103", "empty.txt", b"   \n"),
        ("LR105", "cut.txt", CLEAN.encode() + "会".encode()[:2]),
        ("LR106", "notes.docx", b"PK\x03\x04"),
        ("LR201", "untitled.txt", CLEAN.split("\n", 1)[1]),
        ("LR202", "nobody.txt", CLEAN.replace("广州市天河区司法局", "")),
        ("LR203", "noyear.txt", re.sub(r"20\d\d年度?", "", CLEAN)),
        ("LR204", "noplace.txt", CLEAN.replace("广州市天河区司法局", "某县司法局")),
        ("LR206", "system.txt", CLEAN.replace("广州市天河区司法局", "广州市天河区城管系统")),
        ("LR207", "crumb.txt", CLEAN.replace("情况报告\n", "情况报告 > 正文\n", 1)),
        ("LR205", "memo.txt", "某局2021年度情况\n一、总体情况\n全年主动公开信息35条。\n"),
        ("LR301", "noplans.txt", CLEAN.split("四、")[0] + "某局\n2024年1月15日\n"),
        (
            "LR302",
            "unknown.txt",
            CLEAN.replace("五、其他需要报告的情况\n无。\n", "") + "六、持续优化营商环境\n做好服务。\n",
        ),
        ("LR303", "jump.txt", CLEAN.replace("三、党政", "五、党政")),
        (
            "LR304",
            "flat.txt",
            "某区司法局2023年度法治政府建设情况报告\n全年办理行政复议案件42件,依法行政水平持续提升。\n",
        ),
        ("LR402", "nonumbers.txt", re.sub(r"\d+(?:件|次|%|人次)", "若干", CLEAN)),
        ("LR501", "mojibake.txt", CLEAN.replace("现将有关情况", "现将有关情况?,F将")),
        ("LR502", "pinyin.txt", CLEAN.replace("法治政府建设。", "法治政府建設(shè)。")),
        ("LR503", "placeholder.txt", CLEAN.replace("6次", "*次")),
        ("LR504", "year.txt", CLEAN.replace("2023年度法治政府建设情况报告", "2019年度法治政府建设情况报告")),
    ],
)
def test_each_finding_code(tmp_path, code, name, content):
    path = write(tmp_path, name, content)
    found = codes_for(path, "--require", "measures,shortcomings,plans")
    assert code in found, found
    assert CODES[code].severity in ("error", "warning")


def test_lr104_file_too_large(tmp_path):
    path = write(tmp_path, "big.txt", CLEAN * 50)
    assert "LR104" in codes_for(path, "--max-size", "0.001")


def test_lr110_pipeline_crash_is_a_finding(tmp_path, monkeypatch):
    import lawreport.pipeline as pipeline

    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "describe", explode)
    assert "LR110" in codes_for(write(tmp_path, "r.txt", CLEAN))


def test_lr401_rule_timeout(tmp_path):
    pack = tmp_path / "slow"
    pack.mkdir()
    (pack / "pack.toml").write_text('[pack]\nname = "slow"\nversion = "1"\n', encoding="utf-8")
    (pack / "reject.toml").write_text(
        '[[reject]]\nname = "bad"\npattern = "(\\\\p{Han}|\\\\p{Han})*[a-z]"\nexamples = []\n', encoding="utf-8"
    )
    text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥共召开会议42次。\n"
    path = write(tmp_path, "r.txt", CLEAN + text)
    assert "LR401" in codes_for(path, "--rules", str(pack), "--rule-timeout", "0.3")


def test_lr601_duplicates(tmp_path):
    write(tmp_path, "a.txt", CLEAN)
    write(tmp_path, "b.txt", CLEAN.encode("gb18030"))
    result = check(str(tmp_path), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [f["path"] for f in findings if f["code"] == "LR601"] == [str(tmp_path / "b.txt")]


def test_dev_corpus_noise_is_reported_with_positions():
    result = check(str(DEV / "081_neimenggu_prov_2022_trad_98698p.txt"), "--format", "json")
    findings = {f["code"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings["LR502"]["line"] == 1 and findings["LR502"]["column"] == 9
    assert "LR501" in findings


def test_text_format_is_compiler_style(tmp_path):
    write(tmp_path, "a.txt", CLEAN.replace("6次", "*次"))
    write(tmp_path, "b.txt", b"")
    result = check(str(tmp_path))
    lines = result.stdout.splitlines()
    assert lines and all(TEXT_LINE.match(line) for line in lines)
    placeholder = next(TEXT_LINE.match(line) for line in lines if "LR503" in line)
    assert placeholder["line"] == "4"


def test_json_format_has_findings_and_summary(tmp_path):
    write(tmp_path, "a.txt", CLEAN)
    write(tmp_path, "b.txt", b"")
    document = json.loads(check(str(tmp_path), "--format", "json").stdout)
    assert document["summary"]["files"] == 2
    assert document["summary"]["errors"] == 1 and document["summary"]["files_with_errors"] == 1
    assert document["findings"][0]["code"] == "LR103"


def test_junit_format_parses_with_a_real_xml_parser(tmp_path):
    write(tmp_path, "a.txt", CLEAN)
    write(tmp_path, "b.txt", b"")
    write(tmp_path, "c.txt", CLEAN.replace("6次", "*次"))
    result = check(str(tmp_path), "--format", "junit")
    root = ET.fromstring(result.stdout.encode())
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) == 3
    assert int(suite.get("failures")) == 1
    failed = [case for case in cases if case.find("failure") is not None]
    assert failed[0].get("name").endswith("b.txt") and failed[0].find("failure").get("type") == "LR103"
    assert "LR503" in next(case for case in cases if case.get("name").endswith("c.txt")).find("system-out").text
    strict = ET.fromstring(check(str(tmp_path), "--format", "junit", "--strict").stdout.encode())
    assert int(strict.find("testsuite").get("failures")) == 2


def test_exit_codes(tmp_path):
    clean = write(tmp_path, "clean.txt", CLEAN)
    warned = write(tmp_path, "warn.txt", CLEAN.replace("6次", "*次"))
    broken = write(tmp_path, "broken.txt", b"")
    assert check(str(clean)).exit_code == 0
    assert check(str(warned)).exit_code == 0
    assert check(str(warned), "--strict").exit_code == 1
    assert check(str(broken)).exit_code == 1
    assert check(str(broken), "--exit-zero").exit_code == 0
    assert check(str(clean), "--format", "xml").exit_code == 2
    assert check(str(clean), "--require", "conclusions").exit_code == 2
    assert check(str(tmp_path / "missing")).exit_code == 2


def test_check_runs_on_the_whole_shared_corpus(tmp_path):
    for folder in (DEV, DEV.parent / "seeds"):
        shutil.copytree(folder, tmp_path / folder.name)
    result = check(str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["summary"]["files"] == 54
    assert "LR110" not in document["summary"]["by_code"]


def test_streamed_formats_equal_the_one_shot_renderers(tmp_path):
    """`check` writes as it goes; its output is byte for byte what check_formats renders at once."""
    from lawreport.qa.check import check_files
    from lawreport.qa.formats import as_json, as_junit, as_text

    write(tmp_path, "a.txt", CLEAN)
    write(tmp_path, "b.txt", b"")
    write(tmp_path, "c.txt", CLEAN.replace("6次", "*次").replace("广州市天河区司法局", "<某&局>"))
    write(tmp_path, "d.md", "notes")
    items = list(check_files([str(tmp_path)], jobs=1))
    findings = [finding for item in items for finding in item.findings]
    paths = [item.path for item in items]
    for output_format, expected in (
        ("text", as_text(findings)),
        ("json", as_json(findings, paths)),
        ("junit", as_junit(findings, paths)),
        ("junit --strict", as_junit(findings, paths, strict=True)),
    ):
        result = check(str(tmp_path), "--format", *output_format.split(), "-j", "2")
        assert result.stdout == expected, output_format
    empty = tmp_path / "empty"
    empty.mkdir()
    for output_format, expected in (("json", as_json([], [])), ("junit", as_junit([], []))):
        result = check(str(empty), "--format", output_format)
        assert result.stdout == expected and result.exit_code == 1


def test_nothing_to_check_fails_the_gate(tmp_path):
    result = check(str(tmp_path))
    assert result.exit_code == 1 and "nothing to check" in result.output
    assert check(str(tmp_path), "--exit-zero").exit_code == 0


def test_paths_are_shown_relative_to_the_working_folder(tmp_path, monkeypatch):
    write(tmp_path, "a.txt", b"")
    monkeypatch.chdir(tmp_path)
    assert check(".", "--format", "json").stdout.count('"path": "a.txt"') == 1
    assert check(str(tmp_path)).stdout.startswith("a.txt: LR103 error")


def test_check_with_jobs_on_thousands_of_files_keeps_memory_flat(tmp_path):
    """The process that collects the findings holds nothing per file: its Python heap is the
    same after 300 and after 3,000 files (it held every result: 214 MB for 48 full reports,
    710 MB for 9,000)."""
    import tracemalloc

    from conftest import write_reports
    from lawreport.qa.check import check_files
    from lawreport.qa.stream import JsonWriter

    write_reports(tmp_path / "in", 3000)
    heap = {}
    with open(tmp_path / "out.json", "w", encoding="utf-8") as sink:
        writer = JsonWriter(sink)
        for count, item in enumerate(check_files([str(tmp_path / "in")], jobs=2), 1):
            writer.add(item)
            if count == 1:
                tracemalloc.start()  # after the workers are forked: they need not trace
            elif count in (300, 3000):
                heap[count] = tracemalloc.get_traced_memory()[0]
        writer.close()
    tracemalloc.stop()
    assert writer.files == 3000 and writer.errors == 0
    assert heap[3000] - heap[300] < 500_000, heap  # bytes, for 2,700 more files
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["summary"]["files"] == 3000


# --- Every output format holds every file name (issue 17) ---------------------------------------

ODD_NAMES = [b"ctl\x01\x1bname.txt", b"bad\xff\xfename.txt", b"line\nbreak.txt"]


@pytest.fixture
def odd_names(tmp_path):
    import os

    folder = tmp_path / "odd"
    folder.mkdir()
    report = "某局2022年法治政府建设报告\n一、工作\n办理案件12件。\n".encode()
    for name in ODD_NAMES:
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(report)
    return folder


def _run_check(folder, fmt):
    """The installed CLI in a subprocess, as CI runs it: stdout as bytes."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "lawreport", "check", str(folder), "--format", fmt, "--require", ""]
    done = subprocess.run(command, capture_output=True, timeout=120)
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    return done.stdout


def test_junit_is_valid_xml_for_any_file_name(odd_names):
    raw = _run_check(odd_names, "junit")
    raw.decode("utf-8")  # valid UTF-8
    suite = ET.fromstring(raw)  # valid XML: no control characters
    names = sorted(case.get("name") for case in suite.iter("testcase"))
    assert names == sorted(
        [f"{odd_names}/bad\\xff\\xfename.txt", f"{odd_names}/ctl\\x01\\x1bname.txt", f"{odd_names}/line\nbreak.txt"]
    )


def test_json_is_utf8_for_any_file_name(odd_names):
    document = json.loads(_run_check(odd_names, "json").decode("utf-8"))
    paths = {finding["path"] for finding in document["findings"]}
    assert f"{odd_names}/bad\\xff\\xfename.txt" in paths and f"{odd_names}/ctl\x01\x1bname.txt" in paths


def test_text_keeps_one_finding_per_line_for_any_file_name(odd_names):
    lines = _run_check(odd_names, "text").decode("utf-8").splitlines()
    assert lines and all(re.match(r"^\S.*: LR\d{3} (error|warning): ", line) for line in lines)
    assert any(line.startswith(f"{odd_names}/line\\x0abreak.txt") for line in lines)


def test_ignored_codes_are_left_out_and_unknown_codes_refused(tmp_path):
    untitled = write(tmp_path, "untitled.txt", CLEAN.split("\n", 1)[1])  # the clean report without its title line
    assert "LR201" in codes_for(untitled)
    assert "LR201" not in codes_for(untitled, "--ignore", "lr201,LR303")
    empty = write(tmp_path, "empty.txt", b"")
    assert check(str(empty), "--ignore", "LR103").exit_code == 0  # its only finding is ignored
    for bad in ("LR999", "title"):
        result = check(str(untitled), "--ignore", bad)
        assert result.exit_code == 2 and bad in result.output
