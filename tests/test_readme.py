"""The README's example is real code: it runs and reaches the accuracy its comment states."""

from __future__ import annotations

import contextlib
import io
import re

from book import ROOT


def test_readme_example_runs_and_prints_the_stated_accuracy():
    text = (ROOT / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    stated = re.search(r"# (\d+\.\d)%", code).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    # Fixed seeds: the same run prints the same accuracy to the digit.
    assert f"test accuracy {stated}%" in out.getvalue(), out.getvalue()
