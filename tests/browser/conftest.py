"""Browser fixtures: Debian's Chromium driven by Playwright, and a local static server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium; a missing install is a failure, never a skip."""
    assert CHROMIUM.exists(), "Debian's chromium is not installed: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve_folder() -> Iterator:
    """Serve folders over HTTP on 127.0.0.1 at a free port; stopped after the tests."""
    servers = []

    def serve(root: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample_url(sample_site: Path, serve_folder, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample site served under its sub-path, as GitHub Pages would serve it."""
    root = tmp_path_factory.mktemp("pages")
    (root / "china-ai-briefing").symlink_to(sample_site, target_is_directory=True)
    return serve_folder(root) + "/china-ai-briefing/"
