"""Time and peak memory of `lawreport extract` on the worst file of each hostile kind.

    python scripts/hostile_bench.py [--python OTHER/.venv/bin/python] [--cap-gb 4] [--timeout 300]

Each file runs alone (one job) in a fresh process with its address space capped, so a run that
would eat the machine fails instead. --python runs another checkout's code (its venv), for a
before/after table. Files are made by tests/hostile.py at the size of the report that showed
each problem."""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import hostile

CASES = [  # (label, file name, maker, scale, extra options, pack files)
    ("30 KB without sentence ends", "no_end_30k.txt", hostile.no_sentence_end, 1, [], None),
    ("9 MB without sentence ends", "no_end_9m.txt", hostile.no_sentence_end, 300, [], None),
    ("200k nested divs", "nested.html", hostile.nested_divs, 10, [], None),
    ("200k span/div soup", "soup.html", hostile.span_div_soup, 10, [], None),
    ("200k options in a select", "select.html", hostile.select_options, 10, [], None),
    ("200k attributes on a tag", "attributes.html", hostile.many_attributes, 10, [], None),
    ("8,000 top-level parts", "headings.txt", hostile.many_headings, 2, [], None),
    ("32,000 short top-level parts", "dense.txt", hostile.dense_headings, 1, [], None),
    ("a 30-digit number", "huge.txt", hostile.huge_number, 1, [], None),
    ("compound numbers, invisible characters", "compound.txt", hostile.compound_numbers, 1, [], None),
    ("hidden HTML", "hidden.html", hostile.hidden_html, 1, [], None),
    ("UTF-7", "utf7.txt", hostile.utf7, 1, [], None),
    ("NUL after 64 KiB", "nul.txt", hostile.late_nul, 1, [], None),
    (
        "catastrophic target cue, --rule-timeout 1",
        "cue.txt",
        lambda scale: (
            "某局报告\n一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉共召开会议42次。\n"
        ).encode(),
        1,
        ["--rule-timeout", "1"],
        {"grammar.toml": "[targets]\ncues = ['(\\p{Han}|\\p{Han})*[a-z]']\n"},
    ),
    (
        "slow context on every number, --rule-timeout 1",
        "slow.txt",
        lambda scale: ("某局报告\n" + "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑召开会议42次。" * 500).encode(),
        1,
        ["--rule-timeout", "1"],
        {
            "indicators.toml": '[[indicator]]\nid = "slow"\nname = "慢"\n'
            'context = \'(?:\\p{Han}|\\p{Han}){0,19}\\d\'\nunits = ["次"]\nexamples = ["开展1次"]\n'
        },
    ),
]


def run_case(python: str, folder: Path, case: tuple, cap_gb: float, timeout: float, budget: bool) -> dict:
    label, name, make, scale, extra, pack = case
    path = folder / name
    path.write_bytes(make(scale))
    options = list(extra)
    if pack:
        pack_folder = folder / f"pack_{name}"
        pack_folder.mkdir(exist_ok=True)
        (pack_folder / "pack.toml").write_text('[pack]\nname = "bench"\nversion = "0.1.0"\n', encoding="utf-8")
        for file_name, text in pack.items():
            (pack_folder / file_name).write_text(text, encoding="utf-8")
        options += ["--rules", str(pack_folder)]
    if budget:
        options += ["--time-budget", "60"]
    out = folder / f"out_{name}"
    command = [
        python,
        "-c",
        hostile.MEASURED,
        "extract",
        str(path),
        "-o",
        str(out),
        "-j",
        "1",
        "-q",
        "--full",
        *options,
    ]

    def cap() -> None:
        limit = int(cap_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, preexec_fn=cap)
    except subprocess.TimeoutExpired:
        return {
            "case": label,
            "bytes": path.stat().st_size,
            "seconds": f">{timeout:.0f}",
            "peak_mb": "",
            "outcome": "killed at the timeout",
        }
    seconds = time.perf_counter() - started
    peak = done.stderr.rsplit("PEAK_KB", 1)[-1].strip() if "PEAK_KB" in done.stderr else ""
    outcome = f"exit {done.returncode}"
    if "Traceback" in done.stderr or "MemoryError" in done.stderr:
        outcome += ", traceback" + (" (MemoryError at the cap)" if "MemoryError" in done.stderr else "")
    elif (out / "errors.csv").exists():
        errors, documents = _rows(out / "errors.csv"), _rows(out / "documents.csv")
        if errors:
            outcome += f", error row {errors[0]['error_type']} ({errors[0]['stage']})"
        elif documents:
            size = (out / "indicators.csv").stat().st_size if (out / "indicators.csv").exists() else 0
            outcome += f", ok, {documents[0]['n_indicators']} indicators, indicators.csv {size / 1e6:.1f} MB"
    return {
        "case": label,
        "bytes": path.stat().st_size,
        "seconds": f"{seconds:.1f}",
        "peak_mb": f"{int(peak) / 1024:.0f}" if peak else "",
        "outcome": outcome,
    }


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(2**31 - 1)  # the old code wrote cells of many megabytes
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="the interpreter (venv) whose lawreport to run")
    parser.add_argument("--cap-gb", type=float, default=4.0, help="address-space cap per run")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed")
    parser.add_argument("--only", default="", help="run only cases whose label contains this")
    args = parser.parse_args()
    has_budget = (
        "--time-budget"
        in subprocess.run([args.python, "-m", "lawreport", "extract", "--help"], capture_output=True, text=True).stdout
    )
    print("| case | bytes | seconds | peak RSS MB | outcome |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as temp:
        for case in CASES:
            if args.only and args.only not in case[0]:
                continue
            row = run_case(args.python, Path(temp), case, args.cap_gb, args.timeout, has_budget)
            print(
                f"| {row['case']} | {row['bytes']:,} | {row['seconds']} | {row['peak_mb']} | {row['outcome']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
