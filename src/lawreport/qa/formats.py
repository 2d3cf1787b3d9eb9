"""Render check findings as compiler-style text, JSON, JUnit XML, GitHub Actions workflow
commands or SARIF 2.1.0 (GitHub code scanning, VS Code's SARIF viewer, GitLab).

Every format holds every file name: bytes that are not UTF-8 (names from Windows zips arrive
as surrogate escapes) are written as ``\\xNN``, and so are the control characters a format
cannot hold (any C0 control in XML 1.0 and in the one-finding-per-line text format; JSON
escapes them itself). The output is always valid UTF-8.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

import regex

from lawreport.qa.checks import CODES, Finding
from lawreport.version import __version__

_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_NOT_IN_XML = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_ON_A_LINE = regex.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def utf8_text(text: str) -> str:
    """``text`` with the bytes of a non-UTF-8 file name written as ``\\xNN`` (valid UTF-8)."""
    if not _SURROGATE.search(text):
        return text
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


def _escaped(pattern: regex.Pattern[str], text: str) -> str:
    return pattern.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def xml_text(text: str) -> str:
    """``text`` as XML 1.0 can hold it: UTF-8, no control characters but tab and line breaks."""
    return _escaped(_NOT_IN_XML, utf8_text(text))


def line_text(text: str) -> str:
    """``text`` for one line of the text format: UTF-8, no line breaks or other controls."""
    return _escaped(_NOT_ON_A_LINE, utf8_text(text))


def summary(findings: Sequence[Finding], paths: Sequence[str]) -> dict[str, object]:
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    failing = {f.path for f in errors}
    return {
        "files": len(paths),
        "files_with_errors": len(failing),
        "errors": len(errors),
        "warnings": len(warnings),
        "by_code": dict(sorted(Counter(f.code for f in findings).items())),
    }


def as_text(findings: Sequence[Finding]) -> str:
    lines = []
    for f in findings:
        path = line_text(f.path)
        place = path if f.line is None else f"{path}:{f.line}:{f.column}"
        lines.append(f"{place}: {f.code} {f.severity}: {line_text(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_json(findings: Sequence[Finding], paths: Sequence[str]) -> str:
    document = {
        "tool": "lawreport",
        "version": __version__,
        "findings": [
            {key: utf8_text(value) if isinstance(value, str) else value for key, value in f.as_dict().items()}
            for f in findings
        ],
        "summary": summary(findings, paths),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_junit(findings: Sequence[Finding], paths: Sequence[str], *, strict: bool = False) -> str:
    """One test case per file; errors (and warnings with ``strict``) are failures."""
    by_path: dict[str, list[Finding]] = {path: [] for path in paths}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    failing = {path for path, items in by_path.items() if any(f.severity == "error" or strict for f in items)}
    suite = ET.Element(
        "testsuite",
        name="lawreport check",
        tests=str(len(by_path)),
        failures=str(len(failing)),
        errors="0",
        skipped="0",
    )
    for path, items in by_path.items():
        failures = [f for f in items if f.severity == "error" or strict]
        # pytest's xunit1 attributes, which GitLab, Jenkins and action-junit-report read
        attributes = {"classname": "lawreport.check", "name": xml_text(path), "file": xml_text(path)}
        first_line = next((f.line for f in failures or items if f.line is not None), None)
        if first_line is not None:
            attributes["line"] = str(first_line)
        case = ET.SubElement(suite, "testcase", attributes)
        if failures:
            failure = ET.SubElement(
                case,
                "failure",
                message="; ".join(f"{f.code} {CODES[f.code].title}" for f in failures),
                type=failures[0].code,
            )
            failure.text = xml_text(as_text(failures))
        others = [f for f in items if f not in failures]
        if others:
            ET.SubElement(case, "system-out").text = xml_text(as_text(others))
    suites = ET.Element("testsuites", name="lawreport", tests=suite.get("tests"), failures=suite.get("failures"))
    suites.append(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


# -- GitHub Actions --------------------------------------------------------------------------
GITHUB_SHOWN = 10  # GitHub shows the first 10 errors and 10 warnings of a step


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = utf8_text(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def as_github(findings: Sequence[Finding]) -> str:
    """Workflow commands (``::error file=…,line=…,col=…,title=…::message``): annotations on
    the pull request's files."""
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        properties = [f"file={_github_escape(f.path, property_value=True)}"]
        if f.line is not None:
            properties += [f"line={f.line}", f"col={f.column}"]
        properties.append(f"title={_github_escape(f'{f.code} {CODES[f.code].title}', property_value=True)}")
        lines.append(f"::{level} {','.join(properties)}::{_github_escape(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def github_notice(totals: dict[str, object]) -> str:
    """The closing line: GitHub drops annotations past the first ten of each level."""
    return (
        f"::notice title=lawreport check::{totals['errors']} error(s)%2C {totals['warnings']} warning(s) in"
        f" {totals['files']} file(s) checked; GitHub shows the first {GITHUB_SHOWN} of each level\n"
    )


# -- SARIF 2.1.0 -----------------------------------------------------------------------------
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def artifact_uri(path: str) -> str:
    """A relative URI reference for a path: UTF-8 percent-encoded; a name that is not UTF-8
    keeps its raw bytes percent-encoded, so the URI names exactly the file on disk."""
    try:
        raw = path.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(path)
    return quote(raw, safe="/")


def sarif_rules() -> list[dict[str, object]]:
    return [
        {
            "id": code.code,
            "name": "".join(word.capitalize() for word in code.title.replace("/", " ").split()[:6]),
            "shortDescription": {"text": code.title},
            "defaultConfiguration": {"level": code.severity},
        }
        for code in CODES.values()
    ]


def sarif_result(finding: Finding, rule_index: dict[str, int]) -> dict[str, object]:
    # A finding about a whole file has no position: SARIF allows none, but GitHub places
    # annotations by line, so it points at line 1.
    region = (
        {"startLine": finding.line, "startColumn": finding.column} if finding.line is not None else {"startLine": 1}
    )
    location = {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
    }
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": "error" if finding.severity == "error" else "warning",
        "message": {"text": utf8_text(finding.message)},
        "locations": [location],
    }


def sarif_run(results: list[dict[str, object]], base: str | None = None) -> dict[str, object]:
    folder = Path(base or os.getcwd())
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "lawreport", "version": __version__, "rules": sarif_rules()}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": folder.as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",  # columns count characters of the decoded text
                "results": results,
            }
        ],
    }


def as_sarif(findings: Sequence[Finding]) -> str:
    index = {code: number for number, code in enumerate(CODES)}
    return json.dumps(sarif_run([sarif_result(f, index) for f in findings]), ensure_ascii=False, indent=2) + "\n"
