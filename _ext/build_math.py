"""Math typeset once, at build time, instead of in every reader's browser.

The book used to ship MathJax (``tex-chtml.js``, 1.1 MB; 257 kB gzip'd, plus its fonts) to
every page, where it typeset the formulas after the page had loaded. Once the build has
finished, this extension runs ``_ext/typeset_math.js`` (MathJax 3 in Node, from
``package-lock.json``, installed by ``make`` with ``npm ci``) over the written pages: each
formula becomes SVG with its MathML beside it for screen readers, and the page's MathJax
``<script>`` tags are dropped. Measured in ``benchmarks/RESULTS.md`` (page weight).

A formula MathJax cannot parse fails the build with the page and the TeX error, as a
warning would (``make book`` builds with ``-W``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sphinx.errors import ExtensionError

SCRIPT = Path(__file__).with_name("typeset_math.js")
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
# Sphinx's MathJax configuration and loader (its mathjax_path, wherever it points).
_MATHJAX_TAGS = re.compile(r'<script>window\.MathJax = [^<]*</script>\s*'
                           r'|<script\b[^>]*src="[^"]*(?:mathjax|MathJax)[^"]*"[^>]*>\s*</script>\s*')


def without_mathjax(page_html: str) -> str:
    """``page_html`` without the MathJax configuration and loader."""
    return _MATHJAX_TAGS.sub("", page_html)


def _typeset(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "mathjax-full").is_dir():
        raise ExtensionError("the build typesets math with MathJax in Node: `make book` "
                             "installs it (needs `node` and `npm ci`; see .ci/system-deps)")
    pages = [p for p in sorted(Path(app.outdir).rglob("*.html"))
             if "_static" not in p.relative_to(app.outdir).parts]
    env = dict(os.environ, NODE_PATH=str(NODE_MODULES))
    done = subprocess.run([node, str(SCRIPT), *map(str, pages)], env=env, text=True,
                          capture_output=True)
    if done.returncode != 0:
        raise ExtensionError(f"MathJax could not typeset every formula:\n{done.stderr}")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        fixed = without_mathjax(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _typeset, priority=900)   # after the other rewrites
    return {"parallel_read_safe": True, "parallel_write_safe": True}
