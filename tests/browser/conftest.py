"""Browser-test fixtures: Debian chromium, a live dashboard per test, no console errors allowed."""

from __future__ import annotations

import logging
import os
import shutil
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROME_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]  # fmt: skip
logging.getLogger("werkzeug").setLevel(logging.ERROR)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip browser tests with a clear reason when Debian chromium is not installed."""
    if CHROMIUM.exists() or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(reason="chromium not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: tests use the live server's address. (Replaces pytest-playwright's own
    fixture, which pytest 9 warns about, and warnings are errors here.)"""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's chromium (``playwright install`` cannot download here)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True, "args": CHROME_FLAGS}


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    """A 1280x900 window, the size of the README screenshots."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "accept_downloads": True}


class LiveServer:
    """A dashboard served from a thread; ``restart()`` builds a new app on the same data dir.

    ``options`` go to :func:`dashboard.app.create_app` (e.g. ``privacy_floor``).
    """

    def __init__(self, data_dir: Path, **options):
        self.data_dir = data_dir
        self.options = options
        self._server = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self) -> str:
        from dashboard.app import create_app

        self._server = make_server("127.0.0.1", 0, create_app(data_dir=self.data_dir, **self.options).server, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._server.server_close()
            self._server = None

    def restart(self) -> str:
        self.stop()
        return self.start()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The dashboard on a free port with a fresh data directory (it opens on the sample)."""
    server = LiveServer(tmp_path / "data")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def floored_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The dashboard with ``--privacy-floor pseudonyms``: names are shown to nobody."""
    server = LiveServer(tmp_path / "data", privacy_floor="pseudonyms")
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def no_console_errors(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Fail the test when the page logs a console error or throws."""
    if "page" not in request.fixturenames:
        yield []
        return
    page = request.getfixturevalue("page")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}\n{getattr(exc, 'stack', '')[:600]}"))
    yield errors
    assert not errors, "browser console errors:\n" + "\n".join(errors)


def update_screenshots(config: pytest.Config) -> bool:
    """True when asked to rewrite the README screenshots: ``--screenshots`` or ``UPDATE_SCREENSHOTS=1``."""
    return bool(config.getoption("--screenshots")) or os.environ.get("UPDATE_SCREENSHOTS", "") not in ("", "0")


def check_screenshot(path: Path) -> None:
    """A PNG of the 1280x900 window with something drawn on it (a blank page is a few kB)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path.name} is not a PNG"
    assert struct.unpack(">II", data[16:24]) == (1280, 900), f"{path.name}: size {struct.unpack('>II', data[16:24])}"
    assert len(data) > 20_000, f"{path.name} is only {len(data)} bytes: nothing rendered?"


@pytest.fixture
def screenshots(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """Where a test saves its screenshots, each checked after the test.

    docs/screenshots/ (the README's) only on request (``pytest --screenshots`` or
    ``UPDATE_SCREENSHOTS=1``); otherwise a temporary folder, so a test run leaves the checkout clean.
    """
    folder = SCREENSHOTS if update_screenshots(request.config) else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    before = {p: p.stat().st_mtime_ns for p in folder.glob("*.png")}
    yield folder
    for path in sorted(folder.glob("*.png")):
        if before.get(path) != path.stat().st_mtime_ns:
            check_screenshot(path)
