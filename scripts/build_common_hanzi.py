"""Rebuild ``src/lawreport/data/zh/common_hanzi.txt``: frequent characters of government reports.

Used only to choose between GB18030 and Big5 when both decode a file. Built from the
shared corpus (simplified after OpenCC t2s) plus the traditional form of each character,
so that a Big5 report scores as high as its GB18030 twin.

    python scripts/build_common_hanzi.py ../shared/corpus
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import opencc

TOP_N = 1500
TARGET = Path(__file__).resolve().parents[1] / "src/lawreport/data/zh/common_hanzi.txt"


def main(corpus: str) -> None:
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    counts: collections.Counter[str] = collections.Counter()
    for path in sorted(Path(corpus).rglob("*.txt")):
        text = t2s.convert(path.read_text(encoding="utf-8"))
        counts.update(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    simplified = [ch for ch, _ in counts.most_common(TOP_N)]
    chars = sorted(set(simplified) | {s2t.convert(ch) for ch in simplified})
    lines = ["".join(chars[i : i + 50]) for i in range(0, len(chars), 50)]
    TARGET.write_text(
        "# frequent characters, see scripts/build_common_hanzi.py\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")
