"""Render check findings as compiler-style text, JSON or JUnit XML."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from lawreport import __version__
from lawreport.checks import CODES, Finding


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
        place = f.path if f.line is None else f"{f.path}:{f.line}:{f.column}"
        lines.append(f"{place}: {f.code} {f.severity}: {f.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_json(findings: Sequence[Finding], paths: Sequence[str]) -> str:
    document = {
        "tool": "lawreport",
        "version": __version__,
        "findings": [f.as_dict() for f in findings],
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
        case = ET.SubElement(suite, "testcase", classname="lawreport.check", name=path)
        failures = [f for f in items if f.severity == "error" or strict]
        if failures:
            failure = ET.SubElement(
                case,
                "failure",
                message="; ".join(f"{f.code} {CODES[f.code].title}" for f in failures),
                type=failures[0].code,
            )
            failure.text = as_text(failures)
        others = [f for f in items if f not in failures]
        if others:
            ET.SubElement(case, "system-out").text = as_text(others)
    suites = ET.Element("testsuites", name="lawreport", tests=suite.get("tests"), failures=suite.get("failures"))
    suites.append(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
