"""Shared fixtures: the bundled sample corpus, the shared corpus and its gold file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared" / "corpus"
SEEDS = SHARED / "seeds"
DEV = SHARED / "dev"
GOLD = SHARED / "seeds.gold.yaml"
FIXTURES = Path(__file__).parent / "fixtures"

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
