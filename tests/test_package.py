"""The package as a whole: the public names of DESIGN.md §3 exist, ``import nnlib`` stays
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


# widgets -> plotting -> training -> (layers, conv, losses, optim, activations) -> numpy
LAYER = {"_checks": 0, "layers": 1, "activations": 2, "conv": 2, "losses": 3, "optim": 2,
         "autograd": 0, "gradcheck": 1, "reference": 1, "data": 1, "training": 4,
         "exercises": 5, "plotting": 5, "widgets": 6}


def test_imports_point_one_way():
    for path in sorted(NNLIB.glob("*.py")):
        if path.stem == "__init__":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                target = node.module.split(".")[0]
                assert LAYER[target] < LAYER[path.stem], (
                    f"{path.name} imports .{target}: against the one-way rule")


def test_version_matches_pyproject():
    text = (NNLIB.parent / "pyproject.toml").read_text()
    assert f'version = "{nnlib.__version__}"' in text
