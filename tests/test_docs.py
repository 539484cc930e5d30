"""The contributor documents name only files that exist: CONTRIBUTING.md, DESIGN.md and
README.md are checked against the repository, so a renamed or removed file cannot leave a
dangling name behind.

The rule, applied to every backticked span outside fenced code blocks:

- a span is a **path** when it contains a ``/``, ends in one of :data:`EXTENSIONS`
  (``.py .md .ipynb .yml .txt .toml .js .css .cfg``) or is ``Makefile``; anything else
  (``make test``, ``nnlib.plotting``, ``x @ W + b``) is not checked;
- **skipped**: spans with white space (commands: ``pytest -m slow``), URLs (``://``,
  ``git+``), a bare extension (``.ipynb``), paths under ``_build/`` or ``.venv/`` (made by
  ``make``, not stored), paths holding ``$`` or ``<``/``>`` (a variable, ``<name>``), npm
  packages (``@scope/name``) and the book's GitHub repository (``owner/name`` of
  ``repository.url`` in ``_config.yml``, which forks replace);
- a ``:line`` or ``::test`` suffix is dropped (``_config.yml:1``,
  ``tests/test_x.py::test_y``);
- the **placeholders** ``NN``, ``chNN``, ``NAME`` and ``name`` are wildcards (``NN`` two
  digits, ``NAME``/``name`` any text), as are glob characters: ``chapters/NN_name.md``
  and ``nnlib/plotting/chNN_explorer_NAME.py`` must match at least one file;
- every path is resolved against the repository root (not against the document's
  folder, nor against ``nnlib/``): write ``nnlib/exercises/_answers.py``, not
  ``_answers.py``. A trailing ``/`` names a folder.

A failure names the document, the line and the span: ``DESIGN.md:42: `nnlib/x.py```.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from book import ROOT

DOCUMENTS = ("CONTRIBUTING.md", "DESIGN.md", "README.md")
EXTENSIONS = (".py", ".md", ".ipynb", ".yml", ".txt", ".toml", ".js", ".css", ".cfg")
SKIPPED_DIRS = ("_build/", ".venv/")
#: ``nnlib-book/nnlib-book``: the repository of ``repository.url``, no file of it.
REPOSITORY = urlparse(yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
                      ).path.strip("/")

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_SUFFIX = re.compile(r"(::.*|:\d+(-\d+)?)$")
# NN (two digits) where it is no part of a longer upper-case word; chNN is "ch" + NN.
_PLACEHOLDERS = [(re.compile(r"(?<![A-Z])NN(?![A-Z])"), "[0-9][0-9]"),
                 (re.compile(r"(?<![A-Za-z])(NAME|name)(?![A-Za-z])"), "*")]


def _without_fences(text: str) -> str:
    """``text`` with the lines of fenced code blocks blanked (line numbers kept)."""
    lines, fence = text.split("\n"), None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            lines[i] = ""
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip()[len(m.group(1)):]:
                fence = None
            lines[i] = ""
    return "\n".join(lines)


def path_of(span: str) -> str | None:
    """The repository path a backticked span names, or None when the rule skips it."""
    token = span.strip()
    if (not token or re.search(r"\s", token) or "://" in token or token.startswith("git+")
            or re.search(r"[$<>]", token) or token.startswith("@") or token == REPOSITORY):
        return None
    token = _SUFFIX.sub("", token)
    if not ("/" in token or token.endswith(EXTENSIONS) or token == "Makefile"):
        return None
    if re.fullmatch(r"\.[a-z]+", token):                 # a bare extension: `.ipynb`
        return None
    if token.startswith("./"):
        token = token[2:]
    if any(token == d.rstrip("/") or token.startswith(d) for d in SKIPPED_DIRS):
        return None
    return token


def exists(path: str, root: Path) -> bool:
    """Whether ``path`` (placeholders and globs allowed) matches a file or folder."""
    pattern = path
    for placeholder, wildcard in _PLACEHOLDERS:
        pattern = placeholder.sub(wildcard, pattern)
    folder = pattern.endswith("/")
    matches = glob.glob(str(root / pattern.rstrip("/")), recursive=True)
    return any(Path(m).is_dir() if folder else Path(m).exists() for m in matches)


def missing_paths(text: str, root: Path) -> list[tuple[int, str]]:
    """``(line, span)`` of every path of ``text`` that matches nothing under ``root``."""
    text = _without_fences(text)
    found = []
    for m in _SPAN.finditer(text):
        path = path_of(m.group(2))
        if path is not None and not exists(path, root):
            found.append((text.count("\n", 0, m.start(2)) + 1, m.group(2).strip()))
    return found


@pytest.mark.parametrize("document", DOCUMENTS)
def test_documents_name_only_existing_files(document):
    path = ROOT / document
    assert path.exists(), f"{document} is missing"
    missing = missing_paths(path.read_text(encoding="utf-8"), ROOT)
    assert not missing, "names of files that do not exist:\n" + "\n".join(
        f"{document}:{line}: `{span}`" for line, span in missing)


def test_the_rule(tmp_path):
    (tmp_path / "nnlib" / "plotting").mkdir(parents=True)
    (tmp_path / "nnlib" / "plotting" / "ch02_explorer_lr.py").write_text("")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "02_training_sgd.md").write_text("")
    (tmp_path / "Makefile").write_text("")
    text = "\n".join([
        "Edit `chapters/NN_name.md`, then `make notebooks`; see `Makefile` and `Makefile:12`.",
        "An explorer: `nnlib/plotting/chNN_explorer_NAME.py`; the folder `nnlib/plotting/`.",
        "Skipped: `.venv/bin/python`, `_build/html/index.html`, `https://x.org/a.py`, `.md`,",
        "`nnlib.plotting`, `pytest tests -m slow`, `nnlib/<module>.py`, `$(STAMP)`,",
        f"`@jupyter-widgets/html-manager`, `{REPOSITORY}`.",
        "Missing: `nnlib/plotting/made_up.py` and `chapters/NN_nothing.md` and `notes.txt`,",
        "and a file for a folder: `Makefile/`.",
        "```",
        "`nnlib/in_a_fence.py`",
        "```",
        "The last: ``tests/test_gone.py::test_x``.",
    ])
    assert missing_paths(text, tmp_path) == [
        (6, "nnlib/plotting/made_up.py"), (6, "chapters/NN_nothing.md"), (6, "notes.txt"),
        (7, "Makefile/"), (11, "tests/test_gone.py::test_x")]
