"""Benchmark `lawreport extract` on a synthetic corpus (run with `make bench`).

Builds N documents by recombining the bundled reports (with traditional-script and
GB18030 variants), then measures, in the same run:
- baseline: read + decode + one digits-first regex pass over every file;
- extract: the full pipeline writing all tables.
Prints MB/s, docs/s, peak RSS of the extract process and the ratio to the baseline.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
DIGITS = regex.compile(r"\d+(?:\.\d+)?")


def build_corpus(folder: Path, n_docs: int, seed: int = 7) -> int:
    """Write ``n_docs`` reports made of shuffled paragraphs of the bundled ones; return bytes."""
    rng = random.Random(seed)
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


def run_extract(folder: Path, out: Path, extra: list[str]) -> tuple[float, int]:
    command = [sys.executable, "-m", "lawreport", "extract", str(folder), "-o", str(out), "-q", *extra]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000])
    parser.add_argument("--workdir", type=Path, default=ROOT / ".bench")
    args = parser.parse_args()
    print(
        f"{'docs':>7} {'MB':>7} {'baseline MB/s':>14} {'extract MB/s':>13} {'docs/s':>8} {'peak RSS MB':>12} {'vs baseline':>12}"
    )
    for n_docs in args.docs:
        corpus = args.workdir / f"corpus_{n_docs}"
        n_bytes = build_corpus(corpus, n_docs)
        base_seconds = baseline(corpus)
        seconds, peak_kb = run_extract(corpus, args.workdir / f"out_{n_docs}", [])
        mb = n_bytes / 1e6
        print(
            f"{n_docs:>7} {mb:>7.1f} {mb / base_seconds:>14.1f} {mb / seconds:>13.2f} "
            f"{n_docs / seconds:>8.1f} {peak_kb / 1024:>12.0f} {base_seconds / seconds:>12.3f}"
        )


if __name__ == "__main__":
    main()
