"""Shared fixtures: the bundled sample corpus, the shared corpus and its gold file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# Property tests draw the same cases on every run: a CI result does not depend on luck (a case
# a random run would find once in a while is found here by widening a strategy, then kept).
settings.register_profile("lawreport", derandomize=True)
settings.load_profile("lawreport")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared" / "corpus"
SEEDS = SHARED / "seeds"
DEV = SHARED / "dev"
GOLD = SHARED / "seeds.gold.yaml"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden output tables in tests/golden/ from the current code (review the git diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# The bundled sample corpus holds the five seeds under meaningful names.
SEED_TO_RAW = {
    "000_d00de6e4552bbf52.txt": "guangzhou_haizhu_zsj_2022.txt",
    "001_f7d7af5dc663fa41.txt": "zhanjiang_xiashan_zsj_2024.txt",
    "002_29eac1eff9cfbf91.txt": "guangzhou_panyu_zsj_2023.txt",
    "003_816f94d3f8b4f4f3.txt": "shaoguan_wujiang_zsj_2020_trad.txt",
    "004_75f8007d6eaa5f5a.txt": "shenzhen_nanshan_zsj_2024.txt",
}


def _gold() -> list[dict]:
    if not GOLD.exists():
        pytest.fail(f"{GOLD} is missing: tests need ../shared beside the checkout", pytrace=False)
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))


GOLD_ENTRIES = _gold()
GOLD_IDS = [entry["file"][:3] for entry in GOLD_ENTRIES]


def seed_path(entry: dict) -> Path:
    return SEEDS / entry["file"]


def dev_files() -> list[Path]:
    return sorted(DEV.glob("*.txt"))


@pytest.fixture(params=GOLD_ENTRIES, ids=GOLD_IDS)
def gold_entry(request: pytest.FixtureRequest) -> dict:
    return request.param


def small_report(index: int, year: int = 2023) -> str:
    """A short rule-of-law report whose numbers depend on ``index``: many distinct small
    inputs for runs over thousands of files (written by hand here, not by the code under test)."""
    return (
        f"某区司法局{year}年度法治政府建设情况报告\n"
        f"一、主要举措和成效\n全年办理行政复议案件{index % 97 + 3}件,开展普法活动{index % 13 + 2}场次。\n"
        f"二、存在的不足\n执法队伍力量仍显不足{index}。\n"
        f"三、下一步工作安排\n计划新增培训{index % 7 + 1}次。\n"
    )


def write_reports(folder: Path, count: int, *, start: int = 0, year: int = 2023) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        path = folder / f"r{index:05d}.txt"
        path.write_text(small_report(index, year), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def overview_page(tmp_path_factory: pytest.TempPathFactory):
    """The HTML overview (`lawreport report`) of the bundled sample corpus, and its output folder."""
    from lawreport.options import Options
    from lawreport.qa.overview import write_report
    from lawreport.run.batch import extract

    out = tmp_path_factory.mktemp("overview") / "out"
    extract([str(RAW)], out, Options(jobs=1, formats=("csv",)))
    return write_report(out), out


# Every table file of an output folder in the default formats: byte-identity checks compare these.
TABLES = [
    f"{name}.{fmt}"
    for name in ("documents", "sections", "indicators", "indicators_wide", "errors")
    for fmt in ("csv", "parquet")
]


def tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}
