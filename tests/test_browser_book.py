"""The built HTML book in headless Chromium: the kernel-free explorers respond to their
controls and show the frame drawn for every state, and Live Code says offline what to
do. (Every page's read-only checks are in ``test_browser_pages.py``.)

``make test`` builds the book (``jupyter-book build -W``) before running these tests;
screenshots are saved under ``_build/test-artifacts/``.
"""

from __future__ import annotations

import pytest
from book import CHAPTER_PAGES, HTML
from browser import Watched, shot

pytestmark = pytest.mark.browser


def explorer_pages() -> list[str]:
    """The chapter pages whose built HTML holds a kernel-free explorer."""
    return [p for p in CHAPTER_PAGES
            if (HTML / p).exists() and 'class="nnx-explorer nnx-static"' in (HTML / p).read_text()]


def test_every_explorer_chapter_has_its_kernel_free_control():
    # The chapters that teach η, activations, convolution/pooling and λ carry explorers.
    pages = {p.split("/")[-1] for p in explorer_pages()}
    for stem in ("02_training_sgd", "03_activations", "06_convolutions", "07_overfitting"):
        assert f"{stem}.html" in pages, f"{stem} has no kernel-free explorer in the HTML"


@pytest.fixture(scope="module", params=explorer_pages())
def explorer_page(request, site, browser):
    """``(page_path, Watched)``: a chapter with kernel-free explorers at 1280 × 900, loaded
    once for both tests below (the second sets every state itself, whatever the first
    left)."""
    watched = Watched(browser)
    watched.page.goto(f"{site}/{request.param}", wait_until="networkidle")
    yield request.param, watched
    watched.close()


def test_kernel_free_controls_move_the_picture(explorer_page):
    page_path, watched = explorer_page
    page = watched.page
    roots = page.locator(".nnx-explorer.nnx-static")
    assert roots.count() >= 1
    for i in range(roots.count()):
        root = roots.nth(i)
        root.scroll_into_view_if_needed()
        name = root.get_attribute("data-testid")
        sliders = root.locator("input.nnx-slider, select.nnx-select")
        assert sliders.count() >= 1, f"{name}: no control"
        for k in range(sliders.count()):
            slider = sliders.nth(k)
            label = root.locator(f"label[for='{slider.get_attribute('id')}']").inner_text()
            assert label.strip(), f"{name}: an unlabelled control"
            before_frame = root.get_attribute("data-nnx-frame")
            before_src = root.locator("img.nnx-frame:visible").get_attribute("src")
            # the value on show: a slider's <output>, a <select>'s chosen option
            read = "e => e.tagName === 'SELECT' ? e.options[e.selectedIndex].text : " \
                "e.closest('.nnx-explorer').querySelector(`output[for='${e.id}']`).textContent"
            before_value = slider.evaluate(read)
            last = slider.evaluate("e => String(e.options ? e.options.length - 1 : e.max)")
            slider.focus()
            key = "ArrowLeft" if slider.input_value() == last else "ArrowRight"
            if slider.evaluate("e => e.tagName") == "SELECT":
                key = key.replace("Left", "Up").replace("Right", "Down")
            slider.press(key)
            after_value = slider.evaluate(read)
            assert root.get_attribute("data-nnx-frame") != before_frame, (
                f"{name}: moving {label!r} did not change the frame")
            visible = root.locator("img.nnx-frame:visible")
            assert visible.count() == 1, f"{name}: {visible.count()} frames shown at once"
            assert visible.get_attribute("src") != before_src, f"{name}: the picture is the same"
            assert after_value != before_value, f"{name}: the value readout did not follow"
        shot(page, f"{page_path}-{name}")
    assert not watched.errors, f"console errors: {watched.errors[:5]}"


# Every state of one kernel-free explorer: set the controls as a reader's browser does
# (value, then input and change events), read what the controls show and what the visible
# frame says it is. Returns the states where they disagree.
EVERY_STATE = """root => {
  const controls = Array.from(root.querySelectorAll("input.nnx-slider, select.nnx-select"));
  const sizes = controls.map((c) => c.tagName === "SELECT" ? c.options.length : Number(c.max) + 1);
  const shown = (c) => c.tagName === "SELECT" ? c.options[c.selectedIndex].text
    : root.querySelector(`output[for='${c.id}']`).textContent;
  const total = sizes.reduce((a, b) => a * b, 1), wrong = [];
  for (let n = 0; n < total; n++) {
    let rest = n;
    const ks = sizes.map(() => 0);
    for (let j = sizes.length - 1; j >= 0; j--) {
      ks[j] = rest % sizes[j];
      rest = Math.floor(rest / sizes[j]);
    }
    // set the controls in a scrambled order: the frame must not depend on which moved last
    [...ks.keys()].reverse().forEach((j) => {
      const c = controls[j];
      if (c.tagName === "SELECT") c.selectedIndex = ks[j]; else c.value = String(ks[j]);
      c.dispatchEvent(new Event("input", {bubbles: true}));
      c.dispatchEvent(new Event("change", {bubbles: true}));
    });
    const visible = Array.from(root.querySelectorAll("img.nnx-frame"))
      .filter((f) => !f.hidden && f.style.display !== "none");
    const readout = controls.map(shown);
    const state = visible.length === 1
      ? Object.values(JSON.parse(visible[0].dataset.state)) : null;
    if (!state || JSON.stringify(state) !== JSON.stringify(readout)) {
      wrong.push({readout, state, shown: visible.length});
    }
  }
  return {total, wrong};
}"""


def test_every_state_shows_the_frame_drawn_for_it(explorer_page):
    """Not only that the picture changes: for every combination of every explorer's
    controls, the one frame on show is the frame drawn for the values the controls read
    out (its ``data-state``). A frame index combined in the wrong order fails here."""
    _, watched = explorer_page
    roots = watched.page.locator(".nnx-explorer.nnx-static")
    assert roots.count() >= 1
    for i in range(roots.count()):
        root = roots.nth(i)
        result = root.evaluate(EVERY_STATE)
        name = root.get_attribute("data-testid")
        frames = root.locator("img.nnx-frame").count()
        assert result["total"] == frames, f"{name}: {result['total']} states, {frames} frames"
        assert not result["wrong"], f"{name}: wrong frame for {result['wrong'][:3]}"
    assert not watched.errors, f"console errors: {watched.errors[:5]}"


def test_live_code_offline_says_what_to_do(site, browser):
    """Without a network, "Live Code" says within seconds that it needs a connection and
    points to the notebook and ``make lab``, instead of spinning on "Loading thebe from
    CDN..." forever. (Watched blocks every request to another host.)"""
    watched = Watched(browser)
    try:
        page = watched.page
        failed_loads = []     # the browser's own report of the blocked thebe script
        page.on("console", lambda m: failed_loads.append(m.location.get("url", ""))
                if m.type == "error" and m.text.startswith("Failed to load resource")
                else None)
        page.goto(f"{site}/{CHAPTER_PAGES[4]}", wait_until="networkidle")
        page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
        page.locator("button.btn-launch-thebe").click()
        note = page.locator(".nnx-live-offline")
        note.wait_for(state="visible", timeout=10_000)
        text = note.inner_text()
        assert "internet connection" in text and "make lab" in text, text
        assert note.locator("a[href$='.ipynb']").count() == 1, "no link to the notebook"
        assert page.locator(".thebe-launch-button .spinner").count() == 0, "still spinning"
        shot(page, f"{CHAPTER_PAGES[4]}-live-code-offline")
        assert watched.foreign and all("thebe" in u for u in watched.foreign), watched.foreign
        # The only console error allowed is Chromium's note that the blocked thebe script
        # failed to load; nothing of the page's own scripts may fail.
        others = [e for e in watched.errors if not e.startswith("Failed to load resource")]
        assert not others, f"console errors: {others[:5]}"
        assert all("thebe" in u for u in failed_loads), failed_loads
    finally:
        watched.close()
