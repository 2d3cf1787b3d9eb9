"""No indicator spans a line break: "附件2\n名词解释" is no "2 名" (issue 16, item 7)."""

from __future__ import annotations

import pytest

from lawreport.indicators.find import extract_indicators


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("附件2\n名词解释\n", []),
        ("全年办理案件12\n件。", []),
        ("共计投入3\n万元。", []),
        ("三\n人参加。", []),
        # The line after the break is searched on its own: what it holds alone is still found.
        ("全年共约\n50人参加培训。", [("50人", 50, "exact")]),
        ("办理案件12件\n约\n50人参加。", [("12件", 12, "exact"), ("50人", 50, "exact")]),
        ("超过\n300人次参加。", [("300人次", 300, "exact")]),
        # Unchanged on one line.
        ("全年共约50人参加培训。", [("约50人", 50, "approx")]),
    ],
)
def test_matches_stop_at_line_breaks(text, expected):
    found = [(item.text, item.value, item.qualifier) for item in extract_indicators(text)]
    assert found == expected
