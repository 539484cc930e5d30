"""Every page of the built book on a phone (390 × 844 CSS px), in headless Chromium.

Each page is loaded once for all its checks, the read-only ones first:

* no page scrolls sideways as a whole: wide tables, code and display equations scroll
  inside their own box, and the errata and notation tables keep readable columns;
* the answer forms give the notebook's verdict, without a kernel, and fit the screen.
  For every form on every built page: the truth the page carries is the one in
  ``nnlib.exercises`` (so the page is not stale), and a battery of attempts, typed as a
  reader would type them (right, each known mistake, wrong, malformed, empty, pasted as
  one list, with a Unicode minus, with decimal commas, as fractions, as percentages,
  pasted with semicolons, and texts that can be read two ways), gets the same verdict
  from the form's JavaScript as from the Python rule (``ValueAnswer.check``) that the
  notebook's ``check_...`` uses.
  The form is answered with the keyboard (Enter), as a screen-reader user would.

Screenshots at 390 px are saved under ``_build/test-artifacts/``.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from book import ARTIFACTS, CHAPTER_PAGES, HTML, PAGES
from browser import Watched, shot
from near_miss import OUTSIDE, moved

from nnlib.exercises import VALUE_ANSWERS
from nnlib.exercises._answers import ValueAnswer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# The back-matter pages whose tables are read cell by cell.
TABLE_PAGES = [p for p in PAGES if p.split("/")[-1] in ("errata.html", "notation.html")]


@pytest.fixture(scope="module", params=PAGES)
def phone(request, site, browser):
    """``(page_path, Watched)``: one page of the book at 390 × 844, loaded
    once for all the checks below (pytest runs them in order on one page, then loads the
    next). The answer forms, which change what the page shows, come last."""
    watched = Watched(browser)
    watched.page.set_viewport_size(PHONE)
    watched.page.goto(f"{site}/{request.param}", wait_until="networkidle")
    yield request.param, watched
    watched.close()


def test_phone_page_does_not_scroll_sideways(phone):
    page_path, page = phone[0], phone[1].page
    shot(page, f"phone-{page_path}")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    # +1 px: sub-pixel layout rounds a width of 390.4 px up to a scrollWidth of 391.
    if width > inner + 1:
        culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && e.getClientRects().length)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right
                                                    > window.innerWidth + 1))
            .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' +
                             [...e.classList].join('.') + ' right=' +
                             Math.round(e.getBoundingClientRect().right))""")
        pytest.fail(f"{page_path} is {width} px wide in a {inner} px window; "
                    f"widest elements: {culprits}")


def test_phone_tables_keep_readable_columns(phone):
    page_path, page = phone[0], phone[1].page
    tables = page.locator("main table")
    if page_path in TABLE_PAGES:
        assert tables.count() >= 1, f"{page_path} has no table"
    report = tables.evaluate_all("""tables => tables.map(t => {
        const em = parseFloat(getComputedStyle(t).fontSize);
        const narrowest = Math.min(...[...t.querySelectorAll('th, td')]
            .map(c => c.getBoundingClientRect().width));
        // The table scrolls in its own box: an ancestor (or itself) that is narrower
        // than the table and lets it scroll horizontally.
        let box = t, scrolls = false;
        while (box && box !== document.body) {
            const o = getComputedStyle(box).overflowX;
            if ((o === 'auto' || o === 'scroll') && box.scrollWidth > box.clientWidth) {
                scrolls = true; break;
            }
            box = box.parentElement;
        }
        const fits = t.getBoundingClientRect().right <= window.innerWidth + 1;
        return {narrowestEm: +(narrowest / em).toFixed(2), fits, scrolls};
    })""")
    # 6em is about ten characters: a narrower column wraps its text a word or less a
    # line. 0.1em of slack for sub-pixel rounding.
    squeezed = [r for r in report if r["narrowestEm"] < 5.9]
    assert not squeezed, f"{page_path}: squeezed columns (narrowest cell in em): {squeezed}"
    spilled = [r for r in report if not (r["fits"] or r["scrolls"])]
    assert not spilled, f"{page_path}: a table runs off the screen without its own scroller"


def forms_on(page_path: str) -> list[str]:
    path = HTML / page_path
    return re.findall(r'class="nnx-answer" id="nnx-answer-(\d+)-(\d+)"',
                      path.read_text(encoding="utf-8")) if path.exists() else []


def text_of(value) -> str:
    return format(value, ".12g") if isinstance(value, float) else str(value)


def attempts(a: ValueAnswer) -> list[tuple[str, list[str], object]]:
    """(name, the text of each field, the same answer as the notebook would pass it)."""
    n, right = len(a.labels), list(a.expected)
    out = [("right", [text_of(v) for v in right], right)]
    for k, m in enumerate(a.mistakes):
        entries = [w if w is not None else x for w, x in zip(m.entries, right, strict=True)]
        out.append((f"mistake {k}", [text_of(v) for v in entries], entries))
    out.append(("empty", [""] * n, [...] * n))
    out.append(("one empty", [text_of(v) for v in right[:-1]] + [""], right[:-1] + [...]))
    if a.options is not None:
        wrong = list(right)
        wrong[0] = next(o for o in a.options if o != right[0])
        out.append(("wrong option", wrong, wrong))
        return out
    wrong = [v * 3 + 7 for v in right]
    out.append(("wrong", [text_of(v) for v in wrong], wrong))
    out.append(("junk", ["abc"] + [text_of(v) for v in right[1:]], ["abc"] + right[1:]))
    out.append(("nan", ["nan"] + [text_of(v) for v in right[1:]], [float("nan")] + right[1:]))
    out.append(("huge", ["1e400"] + [text_of(v) for v in right[1:]],
                [float("inf")] + right[1:]))
    spaced = [f"  {text_of(v)} " for v in right]
    out.append(("spaces", spaced, right))
    negative = [i for i, v in enumerate(right) if v < 0]
    if negative:
        minus = [text_of(v).replace("-", "\u2212") for v in right]
        out.append(("unicode minus", minus, right))
    if n > 1:
        listed = "[" + ", ".join(text_of(v) for v in right) + "]"
        out.append(("pasted list", [listed] + [""] * (n - 1), right))
    if n > 2:
        short = ", ".join(text_of(v) for v in right[:-1])
        out.append(("pasted, one short", [short] + [""] * (n - 1), right[:-1]))
    # numbers as people write them: the notebook is given the very same text
    texts = [text_of(v) for v in right]
    comma = [t.replace(".", ",") for t in texts]
    out.append(("decimal comma", comma, comma))
    out.append(("fractions", [fraction_of(v) for v in right], [fraction_of(v) for v in right]))
    out.append(("percent", [f"{v * 100:.12g} %" for v in right],
                [f"{v * 100:.12g} %" for v in right]))
    # precision: rounded to the digits asked (right), one digit fewer (close), and right to
    # the digits asked but not in a later one typed (close); the same texts in the notebook
    k = a.digits or 3
    for name, digits in (("rounded to the digits asked", k), ("one digit too few", k - 1)):
        rounded = [format(v, f".{digits - 1}e") for v in right]
        out.append((name, rounded, rounded))
    late = [format(v, f".{k}e") for v in right]
    late[0] = format(right[0] + 0.3 * 10.0 ** (math.floor(math.log10(abs(right[0]) or 1)) - k + 1),
                     f".{k}e")
    out.append(("a wrong digit after those asked", late, late))
    # near misses: one entry just outside its tolerance, typed to every digit Python has
    # (answers to so many digits; an exact answer's tolerance is atol, which a typed text
    # shorter than 17 digits cannot resolve: it reads as a rounding, "close", and its near
    # misses are the notebook's, tests/test_near_misses.py)
    if a.digits is not None:
        for i in range(n):
            for sign in (+1, -1):
                near = list(right)
                near[i] = moved(a, right[i], sign * OUTSIDE)
                out.append((f"entry {i} {sign * OUTSIDE:+g} tolerances",
                            [repr(v) for v in near], near))
    out.append(("1,500: a question", ["1,500"] + texts[1:], ["1,500"] + texts[1:]))
    if n > 1:
        pasted = "; ".join(comma)
        out.append(("pasted with semicolons", [pasted] + [""] * (n - 1), pasted))
    if n == 2:
        out.append(("0,5 for two entries: a question", ["0,5", ""], "0,5"))
    return out


def fraction_of(value: float) -> str:
    """``value`` as a fraction p/q (q ≤ 64) where it is one exactly, else as a decimal."""
    from fractions import Fraction

    f = Fraction(value).limit_denominator(64)
    return f"{f.numerator}/{f.denominator}" if f == value and f.denominator > 1 else text_of(value)


def js_verdict(page, root: str, fields: list[str]) -> dict:
    """Type ``fields`` into the form as a reader does (keyboard), press Enter, read the
    verdict."""
    for i, text in enumerate(fields):
        field = page.locator(f"#{root}-f{i}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value=text)
        else:
            field.fill(text)
    page.locator(f"#{root}-f{len(fields) - 1}").press("Enter")   # the keyboard, no click
    return read_verdict(page, root)


def read_verdict(page, root: str) -> dict:
    verdict = page.locator(f"#{root} .nnx-verdict")
    return {"code": verdict.get_attribute("data-code"),
            "passed": verdict.get_attribute("data-passed") == "true",
            "messages": verdict.locator("li").all_inner_texts()}


# Every other attempt in one round trip: set the fields, submit, read the verdict.
BATCH = """([root, attempts]) => attempts.map((fields) => {
  const el = document.getElementById(root);
  fields.forEach((text, i) => { document.getElementById(`${root}-f${i}`).value = text; });
  el.querySelector("form").requestSubmit();
  const v = el.querySelector(".nnx-verdict");
  return {code: v.dataset.code, passed: v.dataset.passed === "true",
          messages: Array.from(v.querySelectorAll("li")).map((li) => li.innerText)};
})"""


def test_forms_give_the_notebooks_verdict(phone):
    page_path, watched = phone
    page = watched.page
    found = forms_on(page_path)
    if not found:       # the back matter has none; every chapter has (counted below)
        assert page_path not in CHAPTER_PAGES, f"{page_path} has no answer form"
        return
    for chapter, number in found:
        ex, root = f"{chapter}.{number}", f"nnx-answer-{chapter}-{number}"
        assert ex in VALUE_ANSWERS, f"{page_path}: a form for {ex}, unknown to nnlib"
        answer = VALUE_ANSWERS[ex]
        embedded = page.locator(f"#{root} script.nnx-answer-spec").text_content()
        assert json.loads(embedded) == json.loads(answer.to_json()), (
            f"{page_path}: the form of {ex} is stale: run `make notebooks`")
        box = page.locator(f"#{root}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
            f"{ex} overflows the phone")
        tried = attempts(answer)
        first = [js_verdict(page, root, fields) for _, fields, _ in tried[:1]]
        rest = page.evaluate(BATCH, [root, [fields for _, fields, _ in tried[1:]]])
        for (name, fields, notebook_answer), js in zip(tried, first + rest, strict=True):
            py = answer.check(notebook_answer)
            expected = [m.replace("`", "") for m in py.messages]
            assert js["code"] == py.code, (ex, name, fields, js, str(py))
            assert js["passed"] == py.passed, (ex, name, fields, js, str(py))
            if py.code not in ("todo", "shape"):     # the form words these for a form
                assert js["messages"] == expected, (ex, name, fields, js, str(py))
        if (chapter, number) == found[0]:        # one picture per page, at phone width
            js_verdict(page, root, attempts(answer)[1][1])      # showing a known mistake
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.locator(f"#{root}").screenshot(path=str(ARTIFACTS / f"answer-{root}.png"))
    assert not watched.errors, f"console errors: {watched.errors[:5]}"
    assert not watched.foreign, f"requests to other hosts: {watched.foreign[:5]}"


def test_at_least_25_forms_in_all_nine_chapters():
    per_page = {p: forms_on(p) for p in CHAPTER_PAGES}
    chapters = {p for p, found in per_page.items() if found}
    total = sum(len(found) for found in per_page.values())
    assert total >= 25 and len(chapters) == 9, {p: len(f) for p, f in per_page.items()}
    on_pages = {f"{c}.{n}" for found in per_page.values() for c, n in found}
    assert on_pages == set(VALUE_ANSWERS), (
        f"value exercises without a form in the book: {sorted(set(VALUE_ANSWERS) - on_pages)}")
