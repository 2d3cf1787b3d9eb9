"""Outline of the five seeds against the gold file, and outline invariants on every real report."""

from __future__ import annotations

import itertools

import pytest
import regex

from conftest import GOLD_ENTRIES, GOLD_IDS, RAW, dev_files, seed_path
from lawreport.pipeline import process_file

PUNCTUATION = regex.compile(r"[\p{P}\p{S}\s]+")


def squash(text: str) -> str:
    return PUNCTUATION.sub("", text)


def top_outline(result) -> list[tuple[str, str]]:
    text = result.normalized.text
    return [
        (section.label, squash(text[section.start : section.end]))
        for section in result.outline.top_level
        if section.label != "title"
    ]


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_top_level_outline_matches_gold(entry):
    result = process_file(str(seed_path(entry)))
    actual = top_outline(result)
    expected = [(label, squash(prefix)) for label, prefix in entry["sections"]]
    assert [label for label, _ in actual] == [label for label, _ in expected]
    for (_, section_text), (label, prefix) in zip(actual, expected, strict=True):
        assert section_text.startswith(prefix), (label, prefix, section_text[:40])


REAL_REPORTS = [*sorted(RAW.glob("*.txt")), *dev_files()]


@pytest.mark.parametrize("path", REAL_REPORTS, ids=lambda p: p.name[:24])
def test_top_level_sections_tile_the_text(path):
    result = process_file(str(path))
    assert result.error is None, result.error
    text = result.normalized.text
    top = result.outline.top_level
    assert top, "every report has at least one section"
    assert top[0].start == 0 and top[-1].end == len(text)
    for before, after in itertools.pairwise(top):
        assert before.end == after.start
    for section in result.outline.sections:
        assert 0 <= section.start < section.end <= len(text)
        assert text[section.start :].startswith(section.number)
        assert text[section.start + len(section.number) :].lstrip(" ").startswith(section.heading)
        if section.parent_id is not None:
            parent = next(s for s in result.outline.sections if s.section_id == section.parent_id)
            assert parent.start <= section.start and section.end <= parent.end
            assert section.label == parent.label


def test_dev_reports_get_a_label_for_every_part():
    """Regression guard for the figure in the closing note of the sections issue."""
    unlabelled = []
    for path in dev_files():
        result = process_file(str(path))
        if any(section.label == "unknown" for section in result.outline.top_level):
            unlabelled.append(path.name)
    assert len(unlabelled) <= 1, unlabelled
