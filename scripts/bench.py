"""Benchmark `lawreport extract` honestly (run with `make bench`; not a test).

The machine this runs on is usually shared, so every figure is given as CPU time beside wall
time, as the median of ``--repeat`` runs with the spread (min..max). What is measured:

- **real corpus** (``../shared/corpus/workreports``, 134 full work reports): a full run at each of
  ``--jobs``. A harness process imports lawreport, warms it up (what every run does before its
  workers fork) and then runs ``extract`` in process, so ``RUSAGE_SELF`` is the driver and
  ``RUSAGE_CHILDREN`` the workers: MB/s end to end (start-up included) and steady (after it), MB
  per CPU-second, the speed-up from 1 to 2 jobs (wall, and what the CPU figures allow), the
  driver's CPU as a share of the workers' (what caps scaling: 1 / share workers at most), peak
  RSS of the driver and of the largest worker, and the manifest and cache size per MB of input;
- **start-up**: a fresh ``lawreport extract`` process on one small file, wall and CPU;
- **unchanged re-run**: the same command again on an unchanged corpus (the incremental path);
- **synthetic corpus** (``--synthetic N`` documents recombined from paragraphs of the shared
  corpora, digits and paragraph order shuffled so caches hit about as often as on real text, one
  in ten traditional, one in seven GB18030): size growth; peak RSS must stay flat;
- **baseline**: read + decode + one digits-first regex pass over the real corpus, one core.

``--formats csv`` measures runs that write only CSV (their workers make the CSV bytes).

``--src PATH`` measures another checkout's ``src`` (e.g. a ``git archive`` of main) with this
interpreter: the before/after table of a change comes from two runs of this script.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
REAL = SHARED / "workreports"
# Files held out for the lead's blind evaluation of indicator work: never recombined here.
HELD_OUT = {"001", "011", "022", "035", "047", "053", "066", "081", "099", "121"}
DIGITS = regex.compile(r"\d+(?:\.\d+)?")

HARNESS = r"""
import json, os, resource, sys, time
started, cpu0 = time.perf_counter(), time.process_time()
corpus, out, jobs, full = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "full"
formats = {"formats": sys.argv[5]} if len(sys.argv) > 5 and sys.argv[5] else {}
from lawreport.options import Options
from lawreport.pipeline import warm_up
from lawreport.run.batch import extract
options = Options(jobs=jobs, incremental=not full, **formats)
warm_up(options)
ready, cpu1 = time.perf_counter(), time.process_time()
summary = extract([corpus], out, options)
done, cpu2 = time.perf_counter(), time.process_time()
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "bytes": summary.n_bytes, "files": summary.files, "reused": summary.reused,
    "wall_total": done - started, "wall_run": done - ready, "startup_wall": ready - started,
    "driver_cpu_total": cpu2 - cpu0, "driver_cpu_run": cpu2 - cpu1,
    "workers_cpu": kids.ru_utime + kids.ru_stime,
    "driver_rss_mb": me.ru_maxrss / 1024, "worker_rss_mb": kids.ru_maxrss / 1024,
}))
"""


def environment(src: Path | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def run_harness(corpus: Path, out: Path, jobs: int, *, full: bool, src: Path | None, formats: str = "") -> dict:
    mode = "full" if full else "incremental"
    command = [sys.executable, "-c", HARNESS, str(corpus), str(out), str(jobs), mode, formats]
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=environment(src))
    return json.loads(result.stdout.strip().splitlines()[-1])


def folder_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file()) if path.is_dir() else 0


def cache_bytes(out: Path) -> tuple[int, int]:
    """(manifest, cache) bytes of an output folder: the manifest (SQLite, with any WAL) and the
    row cache kept beside the tables (``.lawreport-cache``, when there is one)."""
    manifest = sum(folder_bytes(path) for path in out.glob("manifest.sqlite*"))
    return manifest, folder_bytes(out / ".lawreport-cache")


def startup(small: Path, workdir: Path, src: Path | None) -> tuple[float, float]:
    out = workdir / "startup-out"
    shutil.rmtree(out, ignore_errors=True)
    # As installed: with compiled bytecode (kept under the workdir, never beside the sources),
    # even where PYTHONDONTWRITEBYTECODE is set; the first of the runs writes it.
    env = {**environment(src), "PYTHONPYCACHEPREFIX": str(workdir / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lawreport", "extract", str(small), "-o", str(out), "-q"], check=True, env=env
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def baseline(corpus: Path) -> float:
    """MB per CPU-second of read + decode + one regex pass."""
    total, started = 0, time.process_time()
    for path in sorted(corpus.rglob("*.txt")):
        data = path.read_bytes()
        total += len(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        sum(1 for _ in DIGITS.finditer(text))
    return total / 1e6 / (time.process_time() - started)


def build_synthetic(folder: Path, n_docs: int, seed: int = 7) -> int:
    """``n_docs`` reports recombined from paragraphs of seeds, dev and the workreports that are
    not held out, with their digits and the order of their paragraphs shuffled."""
    import opencc

    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    sources = [*sorted((SHARED / "seeds").glob("*.txt")), *sorted((SHARED / "dev").glob("*.txt"))]
    sources += [path for path in sorted(REAL.glob("*.txt")) if path.name[:3] not in HELD_OUT]
    paragraphs = []
    for path in sources:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        paragraphs.extend(line for line in text.splitlines() if len(line) > 20)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    total = 0
    for index in range(n_docs):
        body = rng.sample(paragraphs, k=rng.randint(15, 60))
        body = [DIGITS.sub(lambda m: str(rng.randint(1, 99999)), line) for line in body]
        text = f"某市{2015 + index % 10}年法治政府建设情况报告\n" + "\n".join(body) + "\n"
        if index % 10 == 1:
            text = s2t.convert(text)
        data = text.encode("gb18030") if index % 7 == 3 else text.encode("utf-8")
        path = folder / f"{index // 1000:03d}" / f"doc_{index:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def spread(values: list[float], digits: int = 2) -> str:
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}..{max(values):.{digits}f})"


def measure_corpus(
    name: str, corpus: Path, jobs_list: list[int], repeat: int, workdir: Path, src: Path | None, formats: str = ""
) -> dict:
    figures: dict = {"corpus": name, "runs": {}}
    for jobs in jobs_list:
        runs = []
        for attempt in range(repeat):
            out = workdir / f"out-{name}-{jobs}-{attempt}"
            shutil.rmtree(out, ignore_errors=True)
            runs.append(run_harness(corpus, out, jobs, full=True, src=src, formats=formats))
            if attempt == 0:
                figures["manifest_bytes"], figures["cache_bytes"] = cache_bytes(out)
                rerun = [
                    run_harness(corpus, out, jobs, full=False, src=src, formats=formats) for _ in range(max(1, repeat))
                ]
                figures.setdefault("rerun", {})[jobs] = rerun
            if attempt > 0:
                shutil.rmtree(out, ignore_errors=True)
        figures["runs"][jobs] = runs
        figures["mb"] = runs[0]["bytes"] / 1e6
    return figures


def report(figures: dict) -> list[str]:
    mb = figures["mb"]
    lines = [f"## {figures['corpus']}: {mb:.1f} MB"]
    lines.append(
        "| jobs | MB/s end to end (wall) | MB/s steady (wall) | MB per CPU-s (all processes) | driver CPU ms/MB |"
        " workers CPU ms/MB | driver / workers | peak RSS driver / largest worker MB |"
    )
    lines.append("|---|---|---|---|---|---|---|---|")
    walls = {}
    for jobs, runs in figures["runs"].items():
        walls[jobs] = [run["wall_run"] for run in runs]
        cpu = [run["driver_cpu_run"] + run["workers_cpu"] for run in runs]
        share = [run["driver_cpu_run"] / run["workers_cpu"] if run["workers_cpu"] else float("nan") for run in runs]
        lines.append(
            f"| {jobs} | {spread([mb / run['wall_total'] for run in runs])} | {spread([mb / w for w in walls[jobs]])}"
            f" | {spread([mb / c for c in cpu])} | {spread([1000 * run['driver_cpu_run'] / mb for run in runs], 0)}"
            f" | {spread([1000 * run['workers_cpu'] / mb for run in runs], 0)}"
            f" | {spread([100 * s for s in share], 1) if jobs > 1 else '-'}{' %' if jobs > 1 else ''}"
            f" | {spread([run['driver_rss_mb'] for run in runs], 0)} / "
            f"{spread([run['worker_rss_mb'] for run in runs], 0) if jobs > 1 else '-'} |"
        )
    if 1 in walls and 2 in walls:
        ratios = [a / b for a in walls[1] for b in walls[2]]
        lines.append(f"speed-up 1 -> 2 jobs (wall, steady): {spread(ratios)}")
    lines.append(
        f"manifest {figures['manifest_bytes'] / 1e6:.2f} MB + cache {figures['cache_bytes'] / 1e6:.2f} MB"
        f" = {(figures['manifest_bytes'] + figures['cache_bytes']) / 1e6 / mb:.3f} MB per MB of input"
    )
    for jobs, reruns in figures.get("rerun", {}).items():
        lines.append(
            f"unchanged re-run (-j {jobs}): wall {spread([run['wall_total'] for run in reruns])} s end to end,"
            f" {spread([run['wall_run'] for run in reruns])} s after start-up; reused {reruns[0]['reused']}"
            f" of {reruns[0]['files']}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (medians and spread)")
    parser.add_argument("--synthetic", type=int, nargs="*", default=[2000], help="synthetic corpus sizes (docs)")
    parser.add_argument("--src", type=Path, help="measure this src folder instead of the installed lawreport")
    parser.add_argument("--workdir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument(
        "--formats", default="", help="output formats of the measured runs (default: extract's, CSV and Parquet)"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: dict = {"src": str(args.src or "installed"), "corpora": []}
    lines = [f"lawreport bench ({args.src or 'installed package'}), {os.cpu_count()} cores, load {os.getloadavg()}"]

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text(
            "某区司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n全年办理行政复议案件12件,开展普法活动3场次。\n"
            "二、存在的不足\n执法力量不足。\n三、下一步工作安排\n计划新增培训5次。\n",
            encoding="utf-8",
        )
        starts = [startup(small, args.workdir, args.src) for _ in range(max(3, args.repeat + 2) + 1)][1:]
    results["startup"] = starts
    lines.append(
        f"start-up, one small file (`lawreport extract FILE`): wall {spread([s[0] for s in starts])} s,"
        f" CPU {spread([s[1] for s in starts])} s"
    )
    if not args.skip_real:
        results["baseline_mb_per_cpu_s"] = baseline(REAL)
        lines.append(
            f"baseline (read + decode + one regex pass, one core): {results['baseline_mb_per_cpu_s']:.0f} MB/s"
        )
        name = f"workreports, --format {args.formats}" if args.formats else "workreports"
        figures = measure_corpus(name, REAL, args.jobs, args.repeat, args.workdir, args.src, args.formats)
        results["corpora"].append(figures)
        lines += report(figures)
    for n_docs in args.synthetic:
        corpus = args.workdir / f"synthetic_{n_docs}"
        build_synthetic(corpus, n_docs)
        name = f"synthetic {n_docs:,} docs" + (f", --format {args.formats}" if args.formats else "")
        figures = measure_corpus(name, corpus, args.jobs, 1, args.workdir, args.src, args.formats)
        results["corpora"].append(figures)
        lines += report(figures)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
