"""The built book on a phone: every page's first-load bytes and its Lighthouse scores.

* The book in ``_build/html`` (``make bench`` builds it first) is served from 127.0.0.1
  with text gzip'd (``gzip_server.py``), as GitHub Pages serves it.
* **First load**: what headless Chromium fetches for the page at 390 × 844 before anyone
  scrolls, each file at its gzip size (``tests/pageweight.py``, the same count as the
  byte-budget test ``tests/test_page_weight.py``).
* **Lighthouse 12.2.3** (``benchmarks/lighthouse/package-lock.json``; it runs on Node 20)
  in its default mobile configuration: simulated slow 4G (150 ms RTT, 1.6 Mbit/s) and a
  4× slower CPU, on the machine's headless Chromium, one fresh run per page. Its times are
  simulated from the page's network and CPU trace, so a loaded machine shifts them less
  than wall times, but not to nothing: the table gives the other load.

Run: ``make bench`` (all benchmarks) or ``python benchmarks/run_all.py --only page``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT, Section, Target, markdown_table
from gzip_server import gzip_server

sys.path.insert(0, str(ROOT / "tests"))
from book import HTML, PAGES  # noqa: E402
from browser import chromium, chromium_path, serve  # noqa: E402
from pageweight import FIRST_LOAD_BUDGET, first_load  # noqa: E402

LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
ALL_PAGES = PAGES + ["search.html", "genindex.html", "py-modindex.html"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PERFORMANCE_GOAL, LCP_GOAL, TBT_GOAL, CLS_GOAL = 0.95, 2.0, 150.0, 0.05


def first_loads() -> dict[str, int]:
    loads = {}
    with chromium() as browser, serve(HTML) as base:
        for page_path in ALL_PAGES:
            context = browser.new_context()
            loads[page_path] = sum(first_load(context.new_page(), base, HTML,
                                              f"{base}/{page_path}").values())
            context.close()
    return loads


def lighthouse(url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
             f"--only-categories={','.join(CATEGORIES)}",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            env=dict(os.environ, CHROME_PATH=chromium_path()), check=True,
            capture_output=True, text=True)
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {"scores": {c: report["categories"][c]["score"] for c in CATEGORIES},
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"],
            "failing": sorted(k for k, a in audits.items()
                              if a.get("score") is not None and a["score"] < 0.9
                              and a.get("scoreDisplayMode") in ("binary", "metricSavings",
                                                                "numeric"))}


def run() -> Section:
    if not (HTML / "index.html").exists():
        raise SystemExit("the book is not built: `make bench` builds it first")
    if not LIGHTHOUSE.exists() or shutil.which("node") is None:
        raise SystemExit("Lighthouse is missing: `make bench` installs it (npm ci)")
    loads = first_loads()
    rows, results = [], {}
    with gzip_server(HTML) as base:
        for page_path in ALL_PAGES:
            r = results[page_path] = lighthouse(f"{base}/{page_path}")
            s = r["scores"]
            rows.append([page_path, f"{s['performance']:.2f}", f"{r['lcp']:.1f} s",
                         f"{r['tbt']:.0f} ms", f"{r['cls']:.3f}", f"{s['accessibility']:.2f}",
                         f"{s['best-practices']:.2f}", f"{s['seo']:.2f}",
                         f"{loads[page_path] / 1024:.0f} KiB", f"{r['bytes'] / 1024:.0f} KiB",
                         ", ".join(a for a in r["failing"] if a not in (
                             "first-contentful-paint", "largest-contentful-paint",
                             "speed-index", "total-blocking-time", "interactive"))[:90]])
            print("  " + " | ".join(rows[-1][:9]), flush=True)
    table = markdown_table(["page", "perf", "LCP", "TBT", "CLS", "a11y", "best pr.", "SEO",
                            "first load (gzip)", "Lighthouse bytes", "audits below 0.9"], rows)

    def worst(key, fn):
        page = min(results, key=lambda p: fn(results[p])) if key == "min" else \
            max(results, key=lambda p: fn(results[p]))
        return page, fn(results[page])

    perf_page, perf = worst("min", lambda r: r["scores"]["performance"])
    lcp_page, lcp = worst("max", lambda r: r["lcp"])
    tbt_page, tbt = worst("max", lambda r: r["tbt"])
    cls_page, cls = worst("max", lambda r: r["cls"])
    other = {c: min(r["scores"][c] for r in results.values())
             for c in CATEGORIES[1:]}
    heavy = max(loads, key=loads.get)
    targets = [
        Target("Lighthouse mobile performance, every page", f"≥ {PERFORMANCE_GOAL}",
               f"{perf:.2f} (worst: {perf_page})", perf >= PERFORMANCE_GOAL),
        Target("LCP, every page", f"≤ {LCP_GOAL} s", f"{lcp:.1f} s ({lcp_page})", lcp <= LCP_GOAL),
        Target("TBT, every page", f"≤ {TBT_GOAL:.0f} ms", f"{tbt:.0f} ms ({tbt_page})",
               tbt <= TBT_GOAL),
        Target("CLS, every page", f"≤ {CLS_GOAL}", f"{cls:.3f} ({cls_page})", cls <= CLS_GOAL),
        *[Target(f"Lighthouse {c}, every page", "1.0", f"{v:.2f}", v >= 1.0)
          for c, v in other.items()],
        Target("first load of any page, gzip'd", f"≤ {FIRST_LOAD_BUDGET // 1024} KiB",
               f"{loads[heavy] / 1024:.0f} KiB ({heavy})", loads[heavy] <= FIRST_LOAD_BUDGET),
    ]
    body = (table + "\n\nFirst load: the files Chromium fetches at 390 × 844 before any "
            "scroll, at their gzip size (`tests/pageweight.py`). Lighthouse bytes: its own "
            "count of the bytes transferred (it also loads lazy images that its tall "
            "screenshot viewport reaches).")
    return Section("Pages on a phone (Lighthouse 12.2.3, mobile)", body, targets)


if __name__ == "__main__":
    section = run()
    print(section.body)
