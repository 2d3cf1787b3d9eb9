"""Benchmark `lawreport extract` on a synthetic corpus (run with `make bench`).

Builds N documents by recombining paragraphs of the bundled reports, with a share of
traditional-script (OpenCC s2t) and GB18030-encoded variants, then measures in the same run:
- baseline: read + decode + one digits-first regex pass over every file (one core);
- extract at 1 and 2 jobs: the full pipeline writing every table (a fresh output folder).
Prints MB/s, MB/s per core, docs/s, peak RSS of the largest process (main or worker), the
speed-up from 1 to 2 jobs and the ratio to the baseline. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import opencc
import regex

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
DIGITS = regex.compile(r"\d+(?:\.\d+)?")
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True)
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def build_corpus(folder: Path, n_docs: int, seed: int = 7) -> int:
    """Write ``n_docs`` reports made of the bundled ones plus shuffled paragraphs; return bytes."""
    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    texts = [path.read_text(encoding="utf-8") for path in sorted(RAW.glob("*.txt"))]
    paragraphs = [line for text in texts for line in text.splitlines() if len(line) > 20]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    total = 0
    for index in range(n_docs):
        base = texts[index % len(texts)].splitlines()
        extra = rng.sample(paragraphs, k=min(5, len(paragraphs)))
        text = "\n".join(base[:10] + extra + base[10:]) + "\n"
        if index % 10 == 1:
            text = s2t.convert(text)
        data = text.encode("gb18030") if index % 7 == 3 else text.encode("utf-8")
        path = folder / f"{index // 1000:03d}" / f"doc_{index:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def baseline(folder: Path) -> float:
    started = time.perf_counter()
    for path in sorted(folder.rglob("*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        sum(1 for _ in DIGITS.finditer(text))
    return time.perf_counter() - started


def run_extract(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    if out.exists():
        shutil.rmtree(out)
    command = [
        sys.executable,
        "-m",
        "lawreport",
        "extract",
        str(folder),
        "-o",
        str(out),
        "-q",
        "--full",
        "-j",
        str(jobs),
    ]
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True)
    seconds, peak_kb = result.stdout.split()
    return float(seconds), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workdir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rows = []
    header = f"{'docs':>6} {'MB':>6} {'jobs':>4} {'MB/s':>6} {'MB/s/core':>9} {'docs/s':>7} {'peak RSS MB':>11} {'speed-up':>8} {'vs baseline':>11}"
    print(header)
    for n_docs in args.docs:
        corpus = args.workdir / f"corpus_{n_docs}"
        n_bytes = build_corpus(corpus, n_docs)
        mb = n_bytes / 1e6
        base_mb_s = mb / baseline(corpus)
        single = None
        for jobs in args.jobs:
            seconds, peak_mb = run_extract(corpus, args.workdir / f"out_{n_docs}_{jobs}", jobs)
            single = single or seconds
            row = {
                "docs": n_docs,
                "mb": round(mb, 1),
                "jobs": jobs,
                "mb_per_s": round(mb / seconds, 2),
                "mb_per_s_per_core": round(mb / seconds / jobs, 2),
                "docs_per_s": round(n_docs / seconds, 1),
                "peak_rss_mb": round(peak_mb),
                "speed_up": round(single / seconds, 2),
                "baseline_mb_per_s": round(base_mb_s, 1),
                "vs_baseline": round(mb / seconds / base_mb_s, 3),
            }
            rows.append(row)
            print(
                f"{n_docs:>6} {mb:>6.1f} {jobs:>4} {row['mb_per_s']:>6.2f} {row['mb_per_s_per_core']:>9.2f} "
                f"{row['docs_per_s']:>7.1f} {row['peak_rss_mb']:>11} {row['speed_up']:>8.2f} {row['vs_baseline']:>11.3f}"
            )
    print(f"baseline (read + decode + one regex pass, one core): {rows[-1]['baseline_mb_per_s']} MB/s")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
