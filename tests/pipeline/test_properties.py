"""Fuzzing with hypothesis: the normaliser, outline parser and indicator extractor never crash,
keep offsets in bounds, and every span is the text it claims (bounded examples for CI)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawreport.indicators.find import extract_indicators
from lawreport.outline.parse import parse_outline
from lawreport.text.normalize import normalize

# Report-like alphabet: digits, Chinese numerals and units, punctuation, heading marks, odd spaces.
ALPHABET = st.sampled_from(
    list(
        "0123456789.,%年月日第一二三四五六七八九十百千万亿萬億兩两个项件次人余多约超以上下至—-、。,;:()（）“”《》\n\r\t \u3000\xa0"
    )
    + list("共召开会议行政复议案件满意率达办理受理标准化是统一PGV5")
)
TEXT = st.text(ALPHABET, max_size=300)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_normalize_keeps_offsets_in_bounds(text):
    doc = normalize(text)
    for index in range(len(doc.text) + 1):
        assert 0 <= doc.offsets.to_source(index) <= len(text)


@SETTINGS
@given(TEXT)
def test_outline_tiles_any_text(text):
    doc = normalize(text)
    outline = parse_outline(doc.text)
    top = outline.top_level
    if doc.text.strip():
        assert top[0].start == 0 and top[-1].end == len(doc.text)
    for before, after in itertools.pairwise(top):
        assert before.end == after.start
    for section in outline.sections:
        assert 0 <= section.start <= section.end <= len(doc.text)


@SETTINGS
@given(TEXT)
def test_indicator_spans_are_their_text(text):
    for item in extract_indicators(text):
        assert 0 <= item.start < item.end <= len(text)
        assert text[item.start : item.end] == item.text
        assert item.value is not None or (item.value_low is not None and item.value_high is not None)
        assert "\n" not in item.text  # no match of any kind spans a line break


def test_no_indicator_spans_a_line_break_in_the_shared_corpus():
    from conftest import DEV, SEEDS
    from lawreport.pipeline import process_file

    checked = 0
    for path in sorted([*SEEDS.glob("*.txt"), *DEV.glob("*.txt")]):
        for item in process_file(str(path)).indicators:
            checked += 1
            assert "\n" not in item.text, (path.name, item.text)
    assert checked > 1000
