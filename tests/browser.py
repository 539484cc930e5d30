"""Headless Chromium for the browser tests: Debian's ``chromium-headless-shell`` driven by
Playwright.

Playwright's own browser download cannot run here (no network but the package
registries), so the tests launch the distribution's build; ``make test`` installs it with
``apt-get`` when it is missing. It is the headless shell, the same Blink as ``chromium``
and what Playwright itself runs for ``headless=True``, without the desktop browser's
window around each page: ``chromium --headless`` gives every browser context a window
with a toolbar whose omnibox drop-down is a WebUI page in a renderer of its own, about
0.5 s of CPU per context for nothing the tests look at (a page load cost about twice the
CPU it does now).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, sync_playwright

# Flags for a root, display-less, offline machine: no sandbox (root), no GPU, and no
# background connections (they would be refused by the closed network, many at a time).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium_path() -> str:
    """The headless shell, or else the desktop ``chromium`` (the same checks, more CPU)."""
    path = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if path is None:
        raise RuntimeError("Debian's chromium-headless-shell is not installed: `make test` "
                           "installs it (apt-get install chromium-headless-shell)")
    return path


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def serve(directory) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) and yield its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Watched:
    """A page with its console errors and every request to a host other than this one."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def _route(self, route) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def shot(page, name: str) -> None:
    """Save a screenshot of what ``page`` shows as ``_build/test-artifacts/<name>.png``."""
    from book import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name.replace('/', '_')}.png"), full_page=False)
