"""`lawreport report OUT` without a browser: the page is self-contained (no script, a policy that
blocks every load), every chart mark links to a row of its number, and the cards count the corpus.
The same page in headless Chromium (console, screenshot colours) is tests/browser, run by
`make test-browser`."""

from __future__ import annotations

import re
import shutil

import pytest

from lawreport.qa.overview import write_report
from lawreport.tables.frames import load_table


@pytest.fixture
def page(overview_page):
    return overview_page


def test_the_page_loads_nothing_and_every_mark_links_to_its_row(page):
    path, out = page
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "Content-Security-Policy" in text
    assert not re.search(r'(?:src|href)="(?:https?:)?//', text)  # nothing fetched from elsewhere
    assert text.count("<svg") >= 6
    links = re.findall(r'<a href="#(n-[0-9a-f]+-\d+)">', text)
    ids = set(re.findall(r'<tr id="(n-[0-9a-f]+-\d+)">', text))
    numbers = load_table(out, "indicators").dropna(subset=["indicator_id"])
    assert len(ids) == len(numbers) > 0  # every standard-indicator number has its row
    assert links and set(links) <= ids  # and every chart mark points at one of them


def test_the_page_counts_the_corpus_and_uses_the_kind_column_when_present(page, tmp_path):
    import pandas as pd

    path, out = page
    text = path.read_text(encoding="utf-8")
    # the five bundled seeds, their years read from their file names by hand
    assert '<div class="card"><b>5</b>files</div>' in text and "<b>2020–2024</b>years" in text
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    documents = pd.read_csv(copy / "documents.csv", encoding="utf-8-sig")
    documents["kind"] = ["gongzuo"] + [None] * (len(documents) - 1)
    documents.to_csv(copy / "documents.csv", index=False, encoding="utf-8-sig")
    kinds = write_report(copy).read_text(encoding="utf-8")
    assert "gongzuo (1)" in kinds and "(kind not recorded) (4)" in kinds
    assert "(fazhi) (5)" in text  # the five seeds are rule-of-law reports (by hand), as the kind column says
