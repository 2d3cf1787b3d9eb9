"""Write check findings as they come, one file at a time, in the formats of
:mod:`lawreport.qa.formats` (byte for byte; a test holds the two together).

Text and JSON go straight to the stream; JUnit needs its totals in the first lines, so its
test cases are spooled to a temporary file and copied after the header. Every file's part is
cut from what :mod:`lawreport.qa.formats` renders for that file alone, so escaping and
layout have one implementation.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from typing import TextIO

from lawreport.qa.checks import FileCheck
from lawreport.qa.formats import as_github, as_json, as_junit, as_sarif, as_text, github_notice
from lawreport.version import __version__


class FindingsWriter:
    """Base: counts as it goes (the summary of :func:`lawreport.qa.formats.summary`); writes
    nothing itself (a check run with no output)."""

    def __init__(self, stream: TextIO | None, *, strict: bool = False) -> None:
        self.stream, self.strict = stream, strict
        self.files = 0
        self.files_with_errors = 0
        self.errors = 0
        self.warnings = 0
        self.by_code: Counter[str] = Counter()

    def add(self, item: FileCheck) -> None:
        self.files += 1
        errors = sum(1 for f in item.findings if f.severity == "error")
        self.errors += errors
        self.warnings += sum(1 for f in item.findings if f.severity == "warning")
        self.files_with_errors += errors > 0
        self.by_code.update(f.code for f in item.findings)
        self._write(item)

    def summary(self) -> dict[str, object]:
        return {
            "files": self.files,
            "files_with_errors": self.files_with_errors,
            "errors": self.errors,
            "warnings": self.warnings,
            "by_code": dict(sorted(self.by_code.items())),
        }

    def _write(self, item: FileCheck) -> None:
        pass

    def close(self) -> None:
        if self.stream is not None:
            self.stream.flush()


class TextWriter(FindingsWriter):
    def _write(self, item: FileCheck) -> None:
        self.stream.write(as_text(item.findings))


class JsonWriter(FindingsWriter):
    def __init__(self, stream: TextIO, *, strict: bool = False) -> None:
        super().__init__(stream, strict=strict)
        self.stream.write(f'{{\n  "tool": "lawreport",\n  "version": {json.dumps(__version__)},\n  "findings": [')
        self._first = True

    def _write(self, item: FileCheck) -> None:
        if not item.findings:
            return
        lines = as_json(item.findings, [item.path]).split("\n")
        start = lines.index('  "findings": [') + 1
        end = lines.index("  ],", start)
        self.stream.write(("\n" if self._first else ",\n") + "\n".join(lines[start:end]))
        self._first = False

    def close(self) -> None:
        summary = json.dumps({"summary": self.summary()}, ensure_ascii=False, indent=2).split("\n")[1:-1]
        self.stream.write(("]" if self._first else "\n  ]") + ",\n" + "\n".join(summary) + "\n}\n")
        super().close()


class JunitWriter(FindingsWriter):
    def __init__(self, stream: TextIO, *, strict: bool = False) -> None:
        super().__init__(stream, strict=strict)
        self._cases = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self._failures = 0

    def _write(self, item: FileCheck) -> None:
        lines = as_junit(item.findings, [item.path], strict=self.strict).split("\n")
        start = next(index for index, line in enumerate(lines) if line.startswith("  <testsuite ")) + 1
        end = lines.index("  </testsuite>", start)
        self._failures += int(lines[start - 1].split('failures="', 1)[1].split('"', 1)[0])
        self._cases.write("\n".join(lines[start:end]) + "\n")

    def close(self) -> None:
        tests, failures = self.files, self._failures
        self.stream.write(
            "<?xml version='1.0' encoding='utf-8'?>\n"
            f'<testsuites name="lawreport" tests="{tests}" failures="{failures}">\n'
            f'  <testsuite name="lawreport check" tests="{tests}" failures="{failures}" errors="0" skipped="0"'
        )
        if tests:
            self.stream.write(">\n")
            self._cases.seek(0)
            shutil.copyfileobj(self._cases, self.stream)
            self.stream.write("  </testsuite>\n")
        else:
            self.stream.write(" />\n")
        self.stream.write("</testsuites>\n")
        self._cases.close()
        super().close()


class GithubWriter(FindingsWriter):
    def _write(self, item: FileCheck) -> None:
        self.stream.write(as_github(item.findings))

    def close(self) -> None:
        self.stream.write(github_notice(self.summary()))
        super().close()


class SarifWriter(FindingsWriter):
    """The document of :func:`lawreport.qa.formats.as_sarif`, its results written as they come."""

    def __init__(self, stream: TextIO, *, strict: bool = False) -> None:
        super().__init__(stream, strict=strict)
        head = as_sarif(()).split("\n")
        self._end = head.index('      "results": []')
        self.stream.write("\n".join(head[: self._end]) + '\n      "results": [')
        self._tail = "\n".join(head[self._end + 1 :])
        self._first = True

    def _write(self, item: FileCheck) -> None:
        if not item.findings:
            return
        lines = as_sarif(item.findings).split("\n")
        start = lines.index('      "results": [') + 1
        end = lines.index("      ]", start)
        self.stream.write(("\n" if self._first else ",\n") + "\n".join(lines[start:end]))
        self._first = False

    def close(self) -> None:
        self.stream.write(("]" if self._first else "\n      ]") + "\n" + self._tail)
        super().close()


WRITERS: dict[str, type[FindingsWriter]] = {
    "text": TextWriter,
    "json": JsonWriter,
    "junit": JunitWriter,
    "github": GithubWriter,
    "sarif": SarifWriter,
}
