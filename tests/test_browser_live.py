"""A live Jupyter server in headless Chromium: open the convolution chapter in JupyterLab,
run it up to the convolution explorer, move the explorer's stride slider and see its
output change.

The server runs on 127.0.0.1 with a random token, on a copy of the notebook in a
temporary folder (so the committed notebook is never autosaved over). A screenshot of the
explorer before and after the move is saved under ``_build/test-artifacts/``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from book import ARTIFACTS, CHAPTERS
from browser import Watched, chromium

pytestmark = pytest.mark.browser

NOTEBOOK = "06_convolutions.ipynb"
EXPLORER = ".nnx-conv-explorer"      # the CSS class the live convolution explorer carries


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    root: Path = tmp_path_factory.mktemp("lab")
    shutil.copy(CHAPTERS / NOTEBOOK, root / NOTEBOOK)
    port, token = free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["JUPYTER_CONFIG_DIR"] = str(root / ".jupyter")       # no user config leaks in
    # Never fetch Jupyter news (no request leaves the machine, no pop-up in the screenshot).
    settings = root / ".lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    env["JUPYTERLAB_SETTINGS_DIR"] = str(root / ".lab-settings")
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.news_url=None", "--allow-root",   # CI runs as root
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    log = open(root / "server.log", "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n"
                                + (root / "server.log").read_text()[-2000:])
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_stride_slider_changes_the_output_in_jupyterlab(jupyter):
    base, token = jupyter
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        w = Watched(browser)
        page = w.page
        page.set_default_timeout(120_000)
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        # Wait until the status bar reports the kernel idle (an earlier "idle" attribute
        # appears while the kernel is still starting). Then run the chapter as a reader
        # does up to the explorer: select its cell, Run ▸ Run All Above Selected Cell,
        # and Shift+Enter. (Run All would queue the rest of the chapter, ~20 s of
        # training, before the kernel answers the slider; nbval runs all of it anyway.)
        page.wait_for_function(
            "() => document.body.innerText.includes('Python 3 (ipykernel) | Idle')")
        cell = page.locator(".jp-CodeCell", has_text="conv_explorer.live()").first
        cell.scroll_into_view_if_needed()
        cell.locator(".jp-InputPrompt").click()
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-item[data-command='notebook:run-all-above']").click()
        cell.locator(".jp-InputPrompt").click()
        page.keyboard.press("Shift+Enter")
        explorer = page.locator(EXPLORER).first
        explorer.wait_for(state="visible")
        explorer.scroll_into_view_if_needed()
        image = explorer.locator("img").first
        image.wait_for(state="visible")
        before = image.get_attribute("src")
        explorer.screenshot(path=str(ARTIFACTS / "live-conv-explorer-before.png"))

        slider = explorer.locator(".widget-slider", has_text="stride").first
        handle = slider.locator(".noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")
        page.wait_for_function(
            "([sel, old]) => { const i = document.querySelector(sel + ' img');"
            " return i && i.getAttribute('src') !== old; }",
            arg=[EXPLORER, before], timeout=30_000)
        explorer.screenshot(path=str(ARTIFACTS / "live-conv-explorer-after.png"))
        after = image.get_attribute("src")
        value = slider.locator(".widget-readout").inner_text()
        assert after != before, "moving the stride slider did not redraw the explorer"
        assert value.strip() == "2", f"stride readout after one step right: {value!r}"
        assert not w.foreign, f"JupyterLab requested other hosts: {w.foreign[:5]}"
        w.close()
