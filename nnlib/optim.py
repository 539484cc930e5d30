"""Gradient descent (chapter "Training neural networks").

The notes' update is ``w = w − η g``, with ``g`` the gradient of the mini-batch loss.
Weight decay adds ``λ Σ w²`` to ``E_in`` (notes §8.2), whose gradient ``2λw`` joins
``g`` for every weight (``decay=True``), never for a bias. Momentum, optional, lets
``g`` build up speed along directions where successive gradients agree.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ._checks import real_number
from .layers import Parameter, parameter_list


class _Hyperparameter:
    """A number attribute checked on every assignment, so ``opt.lr = -1`` fails at once."""

    def __init__(self, **bounds) -> None:
        self.bounds = bounds

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj, objtype=None):
        return self if obj is None else obj.__dict__[self.name]

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.name] = real_number(value, self.name, owner=type(obj).__name__,
                                              **self.bounds)


class SGD:
    """Stochastic gradient descent with weight decay λ and optional (classical) momentum μ.

    For every parameter ``p`` of ``params``, ``step()`` does::

        g = p.grad + 2λ p.value        (the 2λw term only if p.decay)
        v = μ v + g                    (v = g when μ = 0)
        p.value -= η v

    Parameters
    ----------
    params : list of Parameter
        Usually ``model.parameters()``; a parameter listed twice is updated once.
    lr : float
        Learning rate ``η > 0``. Settable later (``opt.lr = 0.01``), checked each time.
    weight_decay : float, default 0
        ``λ ≥ 0`` of the penalty ``λ Σ w²`` (see :func:`nnlib.losses.l2_penalty`).
    momentum : float, default 0
        ``0 ≤ μ < 1``; 0 is the plain update of the notes.

    Values are updated in place and keep their dtype.
    """

    lr = _Hyperparameter(low=0.0, low_open=True)
    weight_decay = _Hyperparameter(low=0.0)
    momentum = _Hyperparameter(low=0.0, high=1.0, high_open=True)

    def __init__(self, params: Iterable[Parameter], lr: float, weight_decay: float = 0.0,
                 momentum: float = 0.0) -> None:
        self.params = parameter_list(params, "SGD")
        if not self.params:
            raise ValueError("SGD params must hold at least one Parameter, got an empty list")
        self.lr = lr
        self.weight_decay = weight_decay
        self.momentum = momentum
        self._velocity = [np.zeros_like(p.value) for p in self.params]

    def step(self) -> None:
        """Move every parameter one step against its gradient."""
        lam, mu = self.weight_decay, self.momentum
        for p, v in zip(self.params, self._velocity, strict=True):
            g = p.grad + 2 * lam * p.value if (lam and p.decay) else p.grad
            if mu:
                v *= mu
                v += g
                g = v
            p.value -= self.lr * g

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to zero (before the next backward pass)."""
        for p in self.params:
            p.grad[...] = 0

    def __repr__(self) -> str:
        return (f"SGD(lr={self.lr:g}, weight_decay={self.weight_decay:g}, "
                f"momentum={self.momentum:g})")
