"""The API page's sections of the submodules of ``nnlib.plotting`` and ``nnlib.exercises``,
made from the package, not listed by hand.

A line ``<!-- api-sections: nnlib.plotting -->`` in a page's source becomes one section per
submodule of that package, in the package's order (``SUBMODULES``: chapter order): a
heading with the module's name and the first clause of its docstring, the chapter that
uses it (from the ``chNN_`` of its name) and its ``automodule``. A new chapter's or
explorer's module is on the page as soon as it exists.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

MARKER = re.compile(r"^<!-- api-sections: ([\w.]+) -->$", re.M)
ROLE = re.compile(r":\w+:`~?(?:[\w.]*\.)?([^`.]+)`")


def _summary(path: Path) -> str:
    """The docstring's first clause: 'The learning-rate explorer (chapter 2)'."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = ROLE.sub(r"`\1`", " ".join(doc.split("\n\n")[0].split()))
    return re.split(r": |\. ", first, maxsplit=1)[0].rstrip(".")


def sections(package: str, chapters: Path) -> str:
    """The MyST text of the sections of ``package``'s submodules."""
    pkg = importlib.import_module(package)
    parts = []
    for name in pkg.SUBMODULES:
        module = f"{package}.{name}"
        path = Path(pkg.__file__).parent / f"{name}.py"
        number = re.match(r"ch(\d\d)_", name)
        docs = sorted(chapters.glob(f"{number[1]}_*.md")) if number else []
        used = f"Used in {{doc}}`{docs[0].stem}`.\n\n" if docs else ""
        parts.append(f"### `{module}`: {_summary(path)}\n\n{used}"
                     f"```{{eval-rst}}\n.. automodule:: {module}\n   :members:\n```\n")
    return "\n".join(parts)


def _expand(app, docname, source) -> None:
    chapters = Path(app.srcdir) / "chapters"
    source[0] = MARKER.sub(lambda m: sections(m[1], chapters), source[0])


def setup(app):
    app.connect("source-read", _expand)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
