"""Long work in the browser (feature-coded dash2NN): progress bar, stage names, Cancel, other pages answered.

The sample counts as large here (``background_rows=0``) and each stage of its analysis waits a
moment (``ANALYSER_STAGE_DELAY``), so the background job is slow enough to watch and to cancel.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.progress import STAGE_DELAY_VARIABLE
from tests.browser.conftest import LiveServer

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
#: Seconds each analysis stage waits: ten stages, so about 7 s of analysis after the job starts.
DELAY = "0.7"
STAGE_NAMES = r"Building the collaboration graphs|Listing who works with whom|Testing each unit for silo work|" \
              r"Finding communities|Ranking the people who bridge units|Applying the privacy mode|Saving the results"


@pytest.fixture
def slow_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """The dashboard where every analysis is a background job whose stages take a while."""
    monkeypatch.setenv(STAGE_DELAY_VARIABLE, DELAY)  # read by the job processes, which inherit it
    server = LiveServer(tmp_path / "data", background_rows=0)
    server.start()
    yield server
    server.stop()


def _get_seconds(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        response.read()
    return time.perf_counter() - start


def test_dash201_progress_cancel_and_other_pages(page, slow_server, screenshots, record_property):
    """The first analysis shows a progress bar with a stage name while other pages are answered;
    Cancel stops it and says so; Start again finishes it and the overview is drawn."""
    page.goto(slow_server.url + "/overview")
    box, stage = page.locator("#progress-analysis-box"), page.locator("#progress-analysis-stage")
    expect(box).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#progress-analysis-title")).to_contain_text("Analysing Sample municipality")
    expect(stage).to_have_text(re.compile(STAGE_NAMES), timeout=TIMEOUT)
    expect(page.locator("#progress-analysis-estimate")).to_contain_text("so far", timeout=TIMEOUT)  # the job reports
    expect(page.locator("#progress-analysis-bar .progress-bar")).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]"))
    seconds = _get_seconds(slow_server.url + "/units")  # another user's page, while the job runs
    record_property("other_page_seconds", round(seconds, 3))
    print(f"\nanother page during the analysis: {seconds:.3f} s")
    assert seconds < 1.0, f"another page took {seconds:.2f} s during the analysis"
    page.screenshot(path=screenshots / "progress-running.png")

    page.click("#progress-analysis-cancel")
    stopped = page.locator("#progress-analysis-stopped")
    expect(stopped).to_contain_text("The analysis was stopped", timeout=TIMEOUT)
    expect(box).to_be_hidden()
    page.screenshot(path=screenshots / "progress-stopped.png")

    page.click("#progress-analysis-retry")
    expect(box).to_be_visible(timeout=TIMEOUT)
    expect(stopped).to_be_hidden()
    other = page.context.new_page()  # a second tab, loaded while this one's job runs
    start = time.perf_counter()
    other.goto(slow_server.url + "/upload")
    expect(other.locator("#upload-file")).to_be_visible(timeout=TIMEOUT)
    record_property("second_tab_seconds", round(time.perf_counter() - start, 2))
    print(f"a second tab's upload page during the analysis: {time.perf_counter() - start:.2f} s")
    other.close()
    expect(page.locator("#overview-headline")).to_contain_text("projects", timeout=60_000)
    expect(box).to_be_hidden()
    page.screenshot(path=screenshots / "progress-done.png")
