"""nnlib: a small pure-numpy neural-network library, the code behind the course book.

One module per idea, named after the chapter that explains it:

========================  =========================================================
``nnlib.autograd``        scalar ``Value`` with ``backward()`` (forward/backward pass)
``nnlib.activations``     ReLU, sigmoid, tanh, leaky ReLU, softmax (activations)
``nnlib.layers``          ``Parameter``, ``Module``, ``Linear``, ``Flatten``, ``Dropout``,
                          ``Sequential``, initialisers (fully connected networks)
``nnlib.conv``            ``Conv2D``, max/avg/min pooling, ``convolve2d`` (convolutions)
``nnlib.losses``          ``MSELoss``, ``SoftmaxCrossEntropy``, ``l2_penalty`` (cross-entropy)
``nnlib.optim``           ``SGD`` with learning rate η and weight decay λ (training)
``nnlib.training``        ``minibatches``, ``fit``, ``EarlyStopping``, ``History`` (training)
``nnlib.data``            the digits, toy sets, splits, one-hot, standardisation
``nnlib.gradcheck``       numerical gradients and ``check_module``
``nnlib.saving``          ``save`` and ``load`` a model's weights (``.npz``, no pickle)
``nnlib.exercises``       the ``check_...`` functions of the exercises
``nnlib.plotting``        the book's figures (imports matplotlib when called)
``nnlib.widgets``         the explorers (imports ipywidgets when called)
========================  =========================================================

``import nnlib`` loads numpy only; the plotting, widget and exercise modules are imported
on first use (``nnlib.plotting.plot_conv(...)`` or ``from nnlib.widgets import ...``).
"""

from __future__ import annotations

import importlib

from .activations import (
    ACTIVATIONS,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    tanh,
)
from .autograd import Value
from .conv import AvgPool2D, Conv2D, MaxPool2D, MinPool2D, conv_output_size, convolve2d
from .gradcheck import check_module, numerical_gradient
from .layers import Dropout, Flatten, Linear, Module, Parameter, Sequential, init_weights
from .losses import BinaryCrossEntropyWithLogits, MSELoss, SoftmaxCrossEntropy, l2_penalty
from .optim import SGD
from .saving import load, save
from .training import EarlyStopping, History, accuracy, evaluate, fit, minibatches

__version__ = "0.1.0"

_LAZY = ("data", "exercises", "plotting", "widgets", "reference")


def __getattr__(name: str):
    """Import the heavier submodules (``nnlib.plotting`` ...) on first access."""
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")


__all__ = [
    "ACTIVATIONS", "AvgPool2D", "BinaryCrossEntropyWithLogits", "Conv2D", "Dropout",
    "EarlyStopping", "Flatten", "History", "LeakyReLU", "Linear", "MSELoss", "MaxPool2D",
    "MinPool2D", "Module", "Parameter", "ReLU", "SGD", "Sequential", "Sigmoid", "Softmax",
    "SoftmaxCrossEntropy", "Tanh", "Value", "accuracy", "check_module", "conv_output_size",
    "convolve2d", "evaluate", "fit", "init_weights", "l2_penalty", "leaky_relu",
    "load", "log_softmax", "minibatches", "numerical_gradient", "relu", "save", "sigmoid",
    "softmax", "tanh",
]
