"""`lawreport report OUT` in a real browser: headless Chromium (Debian's `chromium`, installed by
`make test-browser` when missing; outside the default suite because installing it needs apt and
the network, which CI and `make test` must not need) loads the page with no console message (a negative control proves a
script error or a blocked load would show), every chart link has its row, and a screenshot
shows the charts in their colours (Chinese in a CJK font: fonts-wqy-microhei)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PIL import Image

from lawreport.qa.overview import ACHIEVED, PALETTE
from lawreport.tables.frames import load_table

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--no-first-run",
]


def browser(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM, "chromium is not installed: run `make test-browser` (it installs chromium and fonts-wqy-microhei)"
    command = [CHROMIUM, *FLAGS, "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def console_lines(stderr: str) -> list[str]:
    # chromium logs dbus ERROR lines on every start; page messages are the CONSOLE ones
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Content Security Policy" in line]


@pytest.fixture
def page(overview_page):
    return overview_page


def test_the_page_loads_without_console_messages_and_every_mark_links_to_its_row(page):
    path, out = page
    result = browser("--dump-dom", path.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_lines(result.stderr) == []
    dom = result.stdout
    assert dom.count("<svg") >= 6
    links = re.findall(r'<a href="#(n-[0-9a-f]+-\d+)">', dom)
    ids = set(re.findall(r'<tr id="(n-[0-9a-f]+-\d+)">', dom))
    numbers = load_table(out, "indicators").dropna(subset=["indicator_id"])
    assert len(ids) == len(numbers) > 0  # every standard-indicator number has its row
    assert links and set(links) <= ids  # and every chart mark points at one of them
    assert "<script" not in path.read_text(encoding="utf-8")


def test_the_console_check_catches_a_broken_page(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><script>notDefined();</script><img src="https://example.invalid/x.png"></body></html>'
    )
    assert console_lines(browser("--dump-dom", bad.as_uri()).stderr)


def test_a_screenshot_shows_the_charts(page, tmp_path):
    path, _ = page
    png = tmp_path / "report.png"
    result = browser("--window-size=1400,2400", f"--screenshot={png}", path.as_uri())
    assert png.is_file(), result.stderr[-2000:]
    image = Image.open(png).convert("RGB")
    assert image.size == (1400, 2400)
    colours = dict((colour, count) for count, colour in image.getcolors(maxcolors=1 << 20))

    def pixels(hex_colour: str) -> int:
        return colours.get(tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)), 0)

    assert pixels(PALETTE[0]) > 20_000  # the bars of reports by year (the default kind's colour)
    assert pixels("#c05621") > 1_000  # the warning bars
    assert pixels(ACHIEVED) > 0
    white = colours.get((255, 255, 255), 0)
    assert white < 0.9 * 1400 * 2400  # not a blank page
