"""Activation functions φ and their derivatives φ' (chapter "Activation functions").

Each activation comes twice: as a plain function pair ``f(z)``, ``f_grad(z) = f'(z)``
for plotting and exercises, and as a parameter-free :class:`~nnlib.layers.Module` whose
``forward`` applies ``f`` and whose ``backward`` multiplies ``∂E/∂out`` by ``f'(z)``
(the chain rule, entry by entry). Softmax is not entry-wise: its module's backward is
a Jacobian-vector product.

.. rubric:: Conventions

* At ``z = 0`` ReLU has no derivative; ``relu_grad(0) = 0``, as in the notes'
  ``dhout_hin = 1 if hin > 0 else 0``. Likewise ``leaky_relu_grad(0) = α``.
* The sigmoid is ``σ(z) = 1 / (1 + e^{-z})``. (The notes print ``1 / (1 + e^{z})``,
  which is ``σ(-z)``: a sign slip.) It is computed from ``e^{-|z|} ≤ 1`` only, so
  no finite ``z`` overflows; for ``z ≲ -745`` the result underflows to 0, which is
  the correctly rounded float64 value (numpy ignores underflow by default).
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import as_array, real_number
from .layers import Module

# -- functions ---------------------------------------------------------------------


def relu(z) -> np.ndarray:
    """ReLU ``max(0, z)``, entry-wise; same shape and dtype as ``z``."""
    z = as_array(z, "z", owner="relu")
    return np.maximum(z, 0)


def relu_grad(z) -> np.ndarray:
    """ReLU' : 1 where ``z > 0``, else 0 (0 at ``z = 0`` by convention)."""
    z = as_array(z, "z", owner="relu_grad")
    return (z > 0).astype(z.dtype)


def sigmoid(z) -> np.ndarray:
    """Logistic sigmoid ``σ(z) = 1 / (1 + e^{-z})`` in (0, 1), without overflow.

    With ``e = e^{-|z|}``: ``σ(z) = 1 / (1 + e)`` for ``z ≥ 0`` and ``e / (1 + e)``
    for ``z < 0`` (multiply top and bottom by ``e^{z}``); ``e`` never exceeds 1.
    """
    z = as_array(z, "z", owner="sigmoid")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z) -> np.ndarray:
    """σ'(z) = σ(z) (1 − σ(z))."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z) -> np.ndarray:
    """Hyperbolic tangent, in (−1, 1); ``tanh(z) = 2σ(2z) − 1``."""
    z = as_array(z, "z", owner="tanh")
    return np.tanh(z)


def tanh_grad(z) -> np.ndarray:
    """tanh'(z) = 1 − tanh²(z)."""
    t = tanh(z)
    return 1 - t * t


def leaky_relu(z, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: ``z`` for ``z > 0``, ``α z`` otherwise (``α ≥ 0``; ``α = 0`` is ReLU)."""
    z = as_array(z, "z", owner="leaky_relu")
    alpha = real_number(alpha, "alpha", low=0.0, owner="leaky_relu")
    return np.where(z > 0, z, alpha * z).astype(z.dtype, copy=False)


def leaky_relu_grad(z, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU': 1 where ``z > 0``, else ``α`` (``α`` at ``z = 0`` by convention)."""
    z = as_array(z, "z", owner="leaky_relu_grad")
    alpha = real_number(alpha, "alpha", low=0.0, owner="leaky_relu_grad")
    return np.where(z > 0, 1.0, alpha).astype(z.dtype, copy=False)


def _shifted(z, axis: int, owner: str) -> np.ndarray:
    """``z − max(z)`` along ``axis``: same softmax, and every exponent is ``≤ 0``."""
    z = as_array(z, "z", owner=owner)
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{owner} axis must be an integer, got {axis!r}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"{owner} axis must be in [{-z.ndim}, {z.ndim}) for z of shape "
                         f"{z.shape}, got {axis}")
    return z - np.max(z, axis=axis, keepdims=True)


def softmax(z, axis: int = -1) -> np.ndarray:
    """Softmax ``e^{z_j} / Σ_k e^{z_k}`` along ``axis`` (each row of ``(N, K)`` scores).

    The max is subtracted first, which changes nothing mathematically and keeps
    ``exp`` from overflowing, e.g. for scores of 1e4.
    """
    e = np.exp(_shifted(z, axis, "softmax"))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """``ln softmax(z) = z − max − ln Σ_k e^{z_k − max}`` (log-sum-exp), never ``−inf``
    for finite ``z``."""
    s = _shifted(z, axis, "log_softmax")
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
}
"""The entry-wise activations by name, ``{name: (φ, φ')}`` (softmax is not entry-wise)."""

# -- modules -----------------------------------------------------------------------


class _Elementwise(Module):
    """An entry-wise activation ``out = φ(z)``; backward is ``∂E/∂z = ∂E/∂out ⊙ φ'(z)``.

    Subclasses define ``phi`` and ``phi_grad``. Shapes: any; ``out`` has ``z``'s shape.
    """

    def __init__(self) -> None:
        super().__init__()
        self._z: np.ndarray | None = None

    def phi(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def phi_grad(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def forward(self, z: np.ndarray) -> np.ndarray:
        self._z = as_array(z, "input", owner=type(self).__name__)
        return self.phi(self._z)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        z = self._cached("_z")
        return self._check_grad(grad_out, z.shape) * self.phi_grad(z)


class ReLU(_Elementwise):
    """``max(0, z)``; backward passes ``∂E/∂out`` where ``z > 0`` and blocks it elsewhere."""

    def phi(self, z):
        return relu(z)

    def phi_grad(self, z):
        return relu_grad(z)


class Sigmoid(_Elementwise):
    """``σ(z) = 1 / (1 + e^{-z})``; backward multiplies by ``σ(z)(1 − σ(z)) ≤ 1/4``."""

    def phi(self, z):
        return sigmoid(z)

    def phi_grad(self, z):
        return sigmoid_grad(z)


class Tanh(_Elementwise):
    """``tanh(z)``; backward multiplies by ``1 − tanh²(z)``."""

    def phi(self, z):
        return tanh(z)

    def phi_grad(self, z):
        return tanh_grad(z)


class LeakyReLU(_Elementwise):
    """``z`` for ``z > 0``, else ``α z``; backward multiplies by 1 or ``α``."""

    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = real_number(alpha, "alpha", low=0.0, owner="LeakyReLU")

    def phi(self, z):
        return leaky_relu(z, self.alpha)

    def phi_grad(self, z):
        return leaky_relu_grad(z, self.alpha)

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha:g})"


class Softmax(Module):
    """Softmax along ``axis``: ``p = softmax(z)``, e.g. ``(N, K)`` scores to probability rows.

    Its Jacobian is ``∂p_i/∂z_j = p_i (δ_ij − p_j)``, so backward is the product
    ``∂E/∂z = p ⊙ (g − Σ_j g_j p_j)`` with ``g = ∂E/∂p``, without forming the K×K matrix.
    For training a classifier use :class:`~nnlib.losses.SoftmaxCrossEntropy`, which
    fuses softmax into the loss (stabler, and its gradient is simply ``p − y``).
    """

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise TypeError(f"Softmax axis must be an integer, got {axis!r}")
        self.axis = int(axis)
        self._p: np.ndarray | None = None

    def forward(self, z: np.ndarray) -> np.ndarray:
        self._p = softmax(z, self.axis)
        return self._p

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        p = self._cached("_p")
        g = self._check_grad(grad_out, p.shape)
        return p * (g - np.sum(g * p, axis=self.axis, keepdims=True))

    def __repr__(self) -> str:
        return f"Softmax(axis={self.axis})"
