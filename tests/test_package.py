"""The whole package: the names of "The nnlib contract" (DESIGN.md) exist, ``import nnlib`` stays
light, and the one-way import rule between modules holds."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import nnlib

NNLIB = Path(nnlib.__file__).parent

CONTRACT = {
    "autograd": ["Value", "trace"],
    "activations": ["relu", "sigmoid", "tanh", "leaky_relu", "softmax", "ReLU", "Sigmoid",
                    "Tanh", "LeakyReLU", "Softmax"],
    "layers": ["Parameter", "Module", "Linear", "Flatten", "Dropout", "Sequential",
               "init_weights"],
    "conv": ["Conv2D", "MaxPool2D", "AvgPool2D", "MinPool2D", "conv_output_size",
             "convolve2d"],
    "losses": ["MSELoss", "SoftmaxCrossEntropy", "l2_penalty"],
    "optim": ["SGD"],
    "training": ["minibatches", "fit", "EarlyStopping", "History", "evaluate", "accuracy"],
    "data": ["digits", "spirals", "moons", "regression_1d", "train_val_test_split",
             "one_hot", "standardize", "sample_image"],
    "gradcheck": ["numerical_gradient", "check_module"],
    "saving": ["save", "load"],
    "plotting": ["plot_graph"],
}


@pytest.mark.parametrize("module, names", CONTRACT.items())
def test_contract_names_exist(module, names):
    mod = __import__(f"nnlib.{module}", fromlist=names)
    missing = [n for n in names if not hasattr(mod, n)]
    assert not missing, f"nnlib.{module} lacks {missing}"


def test_all_exports_resolve():
    for name in nnlib.__all__:
        assert hasattr(nnlib, name), name


def test_import_is_light():
    code = ("import sys, nnlib; heavy = [m for m in ('matplotlib', 'ipywidgets', 'sklearn',"
            " 'IPython') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"import nnlib loaded {out}"


def test_lazy_submodules_and_unknown_attribute():
    assert nnlib.data.digits is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        nnlib.nope  # noqa: B018


# plotting -> widgets -> kernel_free; plotting -> training -> (layers, conv, losses, optim,
# activations) -> numpy. The explorers' declarations in plotting use widgets' machinery,
# which knows no explorer.
# A subpackage (nnlib/plotting/, nnlib/exercises/) is one layer: its modules have its layer
# and may import each other.
LAYER = {"_checks": 0, "_format": 0, "_collect": 0, "_conv_speed": 0, "autograd": 0,
         "kernel_free": 0, "layers": 1, "gradcheck": 1, "reference": 1, "data": 1,
         "activations": 2, "conv": 2, "optim": 2, "saving": 2, "losses": 3, "training": 4,
         "widgets": 5, "exercises": 6, "plotting": 6}


def _layer_of(path: Path) -> str:
    """``nnlib/conv.py`` -> "conv"; ``nnlib/plotting/ch04_graph.py`` -> "plotting"."""
    parts = path.relative_to(NNLIB).with_suffix("").parts
    return parts[0]


def _imported_layers(path: Path, source: str) -> list[tuple[int, str]]:
    """``(line, layer)`` of every nnlib module that ``source`` (the text of ``path``) imports:
    ``from .conv import``, ``from ..conv import``, ``from .. import conv`` and
    ``from nnlib.conv import`` all give "conv"."""
    package = ("nnlib", *path.relative_to(NNLIB).parent.parts)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
            elif (node.module or "").split(".")[0] == "nnlib":
                base = ()
            else:
                continue
            mods = [(*base, *node.module.split("."))] if node.module else \
                [(*base, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            mods = [tuple(a.name.split(".")) for a in node.names if a.name.startswith("nnlib.")]
        else:
            continue
        found += [(node.lineno, mod[1]) for mod in mods if len(mod) > 1]
    return found


def _one_way_violations(path: Path, source: str) -> list[str]:
    own = _layer_of(path)
    return [f"{path.relative_to(NNLIB)}:{line} imports {target}: against the one-way rule"
            for line, target in _imported_layers(path, source)
            if target != own and LAYER[target] >= LAYER[own]]


def test_imports_point_one_way():
    paths = sorted(p for p in NNLIB.rglob("*.py") if p != NNLIB / "__init__.py")
    assert NNLIB / "plotting" / "ch04_graph.py" in paths  # subpackages are checked too
    problems = [v for path in paths for v in _one_way_violations(path, path.read_text())]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("where, source, bad", [
    ("widgets.py", "from .plotting import lr_explorer\n", True),
    ("widgets.py", "def f():\n    from . import plotting\n", True),
    ("plotting/ch04_graph.py", "import nnlib.exercises\n", True),
    ("conv.py", "from .plotting import plot_conv\n", True),
    ("conv.py", "from .plotting.ch04_graph import plot_graph\n", True),
    ("plotting/ch04_graph.py", "from ..autograd import Value\nfrom ._common import _s\n", False),
    ("plotting/ch06_explorer_pooling.py",
     "from .. import conv\nfrom .ch06_explorer_conv import x\n", False),
    ("plotting/ch02_explorer_lr.py", "from ..widgets import Explorer, Param\n", False),
])
def test_one_way_rule_sees_subpackages(where, source, bad):
    assert bool(_one_way_violations(NNLIB / where, source)) == bad


def test_version_matches_pyproject():
    text = (NNLIB.parent / "pyproject.toml").read_text()
    assert f'version = "{nnlib.__version__}"' in text


def test_wheel_holds_every_module(tmp_path):
    """What Colab installs from the repository (a wheel, not the editable checkout) has
    every module of nnlib, the plotting and exercises subpackages included, and the data
    files the modules read (the answer forms' JavaScript)."""
    import shutil
    import zipfile

    # Build from a copy: setuptools writes build/ and *.egg-info/ next to the sources.
    src = tmp_path / "src"
    shutil.copytree(NNLIB, src / "nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(NNLIB.parent / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(src)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("nnlib-*.whl")
    packed = {n for n in zipfile.ZipFile(wheel).namelist() if n.endswith((".py", ".js"))}
    sources = {p.relative_to(NNLIB.parent).as_posix()
               for p in [*NNLIB.rglob("*.py"), *NNLIB.rglob("*.js")]}
    assert sources - packed == set(), f"missing from the wheel: {sorted(sources - packed)}"
