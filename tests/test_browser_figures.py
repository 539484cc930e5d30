"""Figures in the built book: the column width the figure-text check assumes, and a click,
a tap or the keyboard opens a figure at its natural size (kernel-free, book.js).

``make test`` builds the book before these tests; screenshots go to
``_build/test-artifacts/``.
"""

from __future__ import annotations

import pytest
from book import EXPLORER_COLUMN_PX, FIGURE_COLUMN_PX, PHONE_FIGURE_PX
from browser import Watched, shot

pytestmark = pytest.mark.browser

#: Chapter 7 has the widest figure (the λ sweep), a 2 × 2 one and a kernel-free explorer.
PAGE = "chapters/07_overfitting.html"
FIGURES = "main .cell_output img.nnx-enlargeable:not(.nnx-frame)"


@pytest.fixture(scope="module")
def chapter7(site, browser):
    """Chapter 7 loaded once at 1280 × 900 for the three tests below that read it with a
    mouse and keyboard (in this order: the widths, which only resize the window, then the
    two that open and close the enlarged figure). Each sets the window size it needs; the
    console errors of any of them fail it and the ones after it."""
    watched = Watched(browser)
    watched.page.goto(f"{site}/{PAGE}", wait_until="networkidle")
    yield watched
    watched.close()


def widest(page):
    """The index (among FIGURES) of the figure with the widest PNG."""
    widths = page.locator(FIGURES).evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    return max(range(len(widths)), key=widths.__getitem__)


def test_figures_get_the_column_width_the_text_check_assumes(chapter7):
    watched = chapter7
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 900})
    figure = page.locator(FIGURES).nth(widest(page))
    shown, natural = figure.evaluate("i => [i.clientWidth, i.naturalWidth]")
    assert natural > FIGURE_COLUMN_PX, "the widest figure should be scaled down"
    assert abs(shown - FIGURE_COLUMN_PX) <= 2, (shown, FIGURE_COLUMN_PX)
    frame = page.locator("main .nnx-static img.nnx-frame:not([hidden])").first
    assert abs(frame.evaluate("i => i.clientWidth") - EXPLORER_COLUMN_PX) <= 2
    page.set_viewport_size({"width": 390, "height": 844})
    assert abs(figure.evaluate("i => i.clientWidth") - PHONE_FIGURE_PX) <= 2
    assert not watched.errors, watched.errors[:5]


def test_keyboard_opens_a_figure_at_natural_size_and_esc_returns_focus(chapter7):
    watched = chapter7
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    figure = page.locator(FIGURES).nth(widest(page))
    assert figure.get_attribute("tabindex") == "0"
    assert figure.get_attribute("role") == "button"
    assert figure.get_attribute("aria-label").startswith("Enlarge figure: ")
    figure.focus()
    # it is in the tab order: Shift+Tab away and Tab back lands on it
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert figure.evaluate("i => i === document.activeElement")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.nnx-zoom")
    dialog.wait_for(state="visible")
    assert dialog.get_attribute("aria-modal") == "true"
    big = dialog.locator("img.nnx-zoom-image")
    page.wait_for_function(
        "() => { const i = document.querySelector('dialog.nnx-zoom img'); "
        "return i && i.complete && i.naturalWidth > 0; }")
    shown, natural = big.evaluate("i => [i.clientWidth, i.naturalWidth]")
    assert shown == natural > 390, (shown, natural)
    scroll = dialog.evaluate("d => [d.scrollWidth, d.clientWidth]")
    assert scroll[0] > scroll[1], f"the enlarged figure cannot be panned: {scroll}"
    assert page.evaluate("document.activeElement.textContent") == "Close"
    shot(page, "figures_enlarged_390")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert figure.evaluate("i => i === document.activeElement"), "focus did not come back"
    # Space opens it too
    page.keyboard.press(" ")
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert not watched.errors, watched.errors[:5]
    assert not watched.foreign, watched.foreign[:5]


def test_click_opens_and_the_close_button_and_the_backdrop_close(chapter7):
    watched = chapter7
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    figure = page.locator(FIGURES).first
    figure.scroll_into_view_if_needed()
    figure.click()
    dialog = page.locator("dialog.nnx-zoom")
    dialog.wait_for(state="visible")
    close = dialog.get_by_role("button", name="Close")
    close.click()
    dialog.wait_for(state="hidden")
    assert figure.evaluate("i => i === document.activeElement")
    # a click outside the image (the backdrop) closes it as well
    figure.click()
    dialog.wait_for(state="visible")
    page.mouse.click(2, 2)
    dialog.wait_for(state="hidden")
    assert figure.evaluate("i => i === document.activeElement")
    # the explorers' frames open too
    frame = page.locator("main .nnx-static img.nnx-frame:not([hidden])").first
    frame.scroll_into_view_if_needed()
    frame.click()
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert not watched.errors, watched.errors[:5]


def test_natural_size_figure_scrolls_in_its_own_box(site, watched):
    """Chapter 4's computational graph is shown at its natural size (its text as drawn,
    ``test_figure_text.NATURAL_SIZE``) and scrolls sideways inside its figure, at desktop
    and at phone width; the page itself does not."""
    page = watched.page
    page.goto(f"{site}/chapters/04_forward_backward.html", wait_until="networkidle")
    for width, height in ((1280, 900), (390, 844)):      # one load, the window resized
        page.set_viewport_size({"width": width, "height": height})
        graph = page.locator("figure.nnx-natural-size img")
        assert graph.count() == 1, "chapter 4's graph is not marked nnx-natural-size"
        graph.scroll_into_view_if_needed()        # it loads lazily, as a reader comes near
        graph.evaluate("i => i.decode()")
        shown, natural = graph.evaluate("i => [i.clientWidth, i.naturalWidth]")
        assert shown == natural, (width, shown, natural)
        box = page.locator("figure.nnx-natural-size").evaluate(
            "f => [f.scrollWidth > f.clientWidth, getComputedStyle(f).overflowX]")
        assert box == [True, "auto"], (width, box)
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= width + 1, (width, page_width)
    assert not watched.errors, watched.errors[:5]


def test_a_touch_screen_is_told_that_a_tap_enlarges(site, browser):
    """On a phone (no hover) a line under each scaled-down figure says a tap enlarges it;
    with a mouse it is not shown (the zoom-in cursor says so)."""
    for touch, shown in ((True, True), (False, False)):
        context = browser.new_context(viewport={"width": 390, "height": 844},
                                      has_touch=touch, is_mobile=touch)
        try:
            page = context.new_page()
            page.goto(f"{site}/{PAGE}", wait_until="networkidle")
            figures = page.locator(FIGURES)
            for k in range(3):                     # images load lazily, as they come near
                figures.nth(k).scroll_into_view_if_needed()
            page.wait_for_function(
                "() => document.querySelectorAll('.cell_output .nnx-enlarge-hint').length >= 3",
                timeout=10_000)
            hints = page.locator(".cell_output .nnx-enlarge-hint")
            visible = hints.first.is_visible()
            assert visible == shown, f"touch={touch}: hint visible={visible}"
            if touch:
                assert hints.first.inner_text() == "Tap the figure to see it full size"
        finally:
            context.close()
