"""Parameters, modules and the fully connected layer (chapter "Fully connected networks").

Every module follows one protocol, the same one the convolution layers use:

* ``forward(x)`` computes the output and keeps what ``backward`` will need;
* ``backward(grad_out)`` takes ``∂E/∂out`` and returns ``∂E/∂x``, adding ``∂E/∂W``
  and ``∂E/∂b`` into the ``.grad`` of its parameters (gradients accumulate until
  ``zero_grad()``).

A network is the composition ``φᵏ(… φ²(φ¹(xW¹ + b¹)W² + b²) …)`` of the notes: a
``Sequential`` of ``Linear`` layers and activations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np

from ._checks import as_array, make_rng, positive_int, real_number

INITS = ("he", "xavier", "normal")


class Parameter:
    """A trainable array and its gradient.

    Attributes
    ----------
    value : ndarray
        The current value, e.g. a weight matrix ``W``.
    grad : ndarray
        ``∂E/∂value``, same shape and dtype; accumulated by ``backward``.
    name : str
        A label for reports (``"W"``, ``"b"``).
    decay : bool
        Whether weight decay ``λ Σ w²`` applies (True for weights, False for biases).
    """

    def __init__(self, value: np.ndarray, name: str = "", decay: bool = True) -> None:
        self.value = np.asarray(value)
        self.grad = np.zeros_like(self.value)
        self.name = name
        self.decay = decay

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def __repr__(self) -> str:
        return f"Parameter(name={self.name!r}, shape={self.value.shape}, decay={self.decay})"


class Module:
    """Base class: ``forward``, ``backward``, ``parameters``, ``train``/``eval``, ``zero_grad``.

    Parameters and sub-modules are found among the attributes, in the order they were
    assigned, so a layer that sets ``self.W`` before ``self.b`` lists its weight first.
    """

    def __init__(self) -> None:
        self.training = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def children(self) -> Iterator[Module]:
        """The direct sub-modules, in attribute order."""
        for value in vars(self).values():
            if isinstance(value, Module):
                yield value
            elif isinstance(value, (list, tuple)):
                yield from (m for m in value if isinstance(m, Module))

    def _named_members(self) -> Iterator[tuple[str, Parameter | Module]]:
        """``(name, Parameter or Module)`` for this module's own attributes, in order; a
        list of modules held in attribute ``layers`` gives ``layers.0``, ``layers.1``, ..."""
        for key, value in vars(self).items():
            if isinstance(value, (Parameter, Module)):
                yield key, value
            elif isinstance(value, (list, tuple)):
                for i, m in enumerate(value):
                    if isinstance(m, Module):
                        yield f"{key}.{i}", m

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Parameter]]:
        """``(dotted name, Parameter)`` pairs, weight before bias: ``("0.W", ...)`` for a
        ``Sequential``'s first layer, as in PyTorch."""
        named: list[tuple[str, Parameter]] = []
        for name, value in self._named_members():
            if isinstance(value, Parameter):
                named.append((prefix + name, value))
            else:
                named.extend(value.named_parameters(f"{prefix}{name}."))
        return named

    def parameters(self) -> list[Parameter]:
        """Every trainable parameter of this module and its sub-modules, weight before bias."""
        return [p for _, p in self.named_parameters()]

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter's value by dotted name (``{"0.W": ..., "0.b": ...}``)."""
        return {name: p.value.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, np.ndarray]) -> None:
        """Set every parameter from ``state`` (as made by :meth:`state_dict`).

        All or nothing: the keys must be exactly this module's and every array must have
        its parameter's shape and hold finite real numbers; otherwise a ``ValueError``
        names the key, the expected and the given shape, and no parameter is changed.
        """
        owner = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state, Mapping):
            raise TypeError(f"{owner} state must be a dict of arrays by name, "
                            f"got {type(state).__name__}")
        named = dict(self.named_parameters())
        missing = [k for k in named if k not in state]
        extra = [k for k in state if k not in named]
        if missing or extra:
            raise ValueError(f"{owner}: the state does not fit this model: missing keys "
                             f"{missing}, unexpected keys {extra} (the model has "
                             f"{list(named)})")
        arrays = {}
        for key, p in named.items():
            given = state[key]
            arr = np.asarray(given) if not isinstance(given, (str, bytes)) else None
            if arr is None or arr.dtype.kind not in "biuf":
                kind = type(given).__name__ if arr is None else f"dtype {arr.dtype}"
                raise ValueError(f"{owner}: key {key!r} must hold an array of real numbers, "
                                 f"got {kind}")
            if arr.shape != p.value.shape:
                raise ValueError(f"{owner}: key {key!r} expected shape {p.value.shape}, "
                                 f"got {arr.shape}")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{owner}: key {key!r} holds NaN or infinite values")
            arrays[key] = arr
        for key, p in named.items():        # every check passed: now change the model
            p.value[...] = arrays[key]

    def train(self, mode: bool = True) -> Module:
        """Switch to training mode (dropout active); returns ``self``."""
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (dropout is the identity); returns ``self``."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Set the ``.grad`` of every parameter to zero."""
        for p in self.parameters():
            p.grad[...] = 0

    # -- helpers for subclasses ---------------------------------------------------
    def _cached(self, attr: str) -> np.ndarray:
        """Return what ``forward`` stored under ``attr``, or explain that it has not run."""
        value = getattr(self, attr, None)
        if value is None:
            raise ValueError(f"{type(self).__name__}.backward called before forward: "
                             "call forward(x) first")
        return value

    def _check_grad(self, grad_out, shape: tuple[int, ...]) -> np.ndarray:
        grad_out = as_array(grad_out, "grad_out", owner=f"{type(self).__name__}.backward")
        if grad_out.shape != tuple(shape):
            raise ValueError(f"{type(self).__name__}.backward expected grad_out of shape "
                             f"{tuple(shape)} (the output's), got {grad_out.shape}")
        return grad_out

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def parameter_list(params, owner: str) -> list[Parameter]:
    """``params`` as a list of distinct :class:`Parameter` (a shared one counts once)."""
    if isinstance(params, Module):
        raise TypeError(f"{owner} params must be a list of Parameter, got a Module: "
                        "pass model.parameters()")
    if isinstance(params, Parameter) or not isinstance(params, Iterable):
        raise TypeError(f"{owner} params must be a list of Parameter, got "
                        f"{type(params).__name__}")
    unique: dict[int, Parameter] = {}
    for i, p in enumerate(params):
        if not isinstance(p, Parameter):
            raise TypeError(f"{owner} params must be a list of Parameter, got "
                            f"{type(p).__name__} at position {i}")
        unique.setdefault(id(p), p)
    return list(unique.values())


def init_weights(shape: tuple[int, ...], fan_in: int, fan_out: int, init: str = "he",
                 rng=None, dtype=np.float64) -> np.ndarray:
    """Draw a weight array.

    ``"he"``: N(0, 2/fan_in), for ReLU networks (the default);
    ``"xavier"``: N(0, 2/(fan_in + fan_out)), Glorot's choice for tanh/sigmoid;
    ``"normal"``: N(0, 1), the notes' "random N(0, 1)" (too large for deep nets).
    """
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    rng = make_rng(rng)
    std = {"he": np.sqrt(2.0 / fan_in),
           "xavier": np.sqrt(2.0 / (fan_in + fan_out)),
           "normal": 1.0}[init]
    return (rng.standard_normal(shape) * std).astype(dtype)


class Linear(Module):
    """Fully connected layer ``y = x W + b`` (row vectors, as in the notes).

    Parameters
    ----------
    in_features, out_features : int
        Sizes of ``x``'s rows and of ``y``'s rows.
    init : {"he", "xavier", "normal"}
        How ``W`` is drawn (see :func:`init_weights`); ``b`` starts at zero.
    rng : numpy.random.Generator or int, optional
    dtype : numpy dtype, default float64

    Shapes: ``x (N, in)``, ``W (in, out)``, ``b (out,)``, ``y (N, out)``.
    """

    def __init__(self, in_features: int, out_features: int, *, init: str = "he", rng=None,
                 dtype=np.float64) -> None:
        super().__init__()
        self.in_features = positive_int(in_features, "in_features", owner="Linear")
        self.out_features = positive_int(out_features, "out_features", owner="Linear")
        self.W = Parameter(init_weights((self.in_features, self.out_features), self.in_features,
                                        self.out_features, init, rng, dtype), "W", decay=True)
        self.b = Parameter(np.zeros(self.out_features, dtype=dtype), "b", decay=False)
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_array(x, "input", ndim=2, owner="Linear")
        if x.shape[1] != self.in_features:
            raise ValueError(f"Linear expected input of shape (N, {self.in_features}), "
                             f"got {x.shape}")
        x = x.astype(self.W.value.dtype, copy=False)
        self._x = x
        return x @ self.W.value + self.b.value

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        x = self._cached("_x")
        g = self._check_grad(grad_out, (x.shape[0], self.out_features))
        self.W.grad += x.T @ g          # ∂E/∂W = xᵀ g
        self.b.grad += g.sum(axis=0)    # ∂E/∂b = Σ_rows g
        return g @ self.W.value.T       # ∂E/∂x = g Wᵀ

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features})"


class Flatten(Module):
    """Reshape ``(N, d1, d2, ...)`` to ``(N, d1·d2·...)``, e.g. between conv and linear layers."""

    def __init__(self) -> None:
        super().__init__()
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_array(x, "input", owner="Flatten")
        if x.ndim < 2:
            raise ValueError(f"Flatten expected input of shape (N, ...) with at least 2 "
                             f"dimensions, got {x.shape}")
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        shape = self._cached("_shape")
        g = self._check_grad(grad_out, (shape[0], int(np.prod(shape[1:]))))
        return g.reshape(shape)


class Dropout(Module):
    """Inverted dropout: in training, zero each entry with probability ``p`` and scale the
    rest by ``1/(1-p)``, so ``eval()`` mode is the identity and expectations match.
    """

    def __init__(self, p: float = 0.5, *, rng=None) -> None:
        super().__init__()
        self.p = real_number(p, "p", low=0.0, high=1.0, high_open=True, owner="Dropout")
        self.rng = make_rng(rng)
        self._mask: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_array(x, "input", owner="Dropout")
        if not self.training or self.p == 0.0:
            self._mask = np.ones((1,) * x.ndim, dtype=x.dtype)
            return x
        keep = self.rng.random(x.shape) >= self.p
        self._mask = keep.astype(x.dtype) / (1.0 - self.p)
        return x * self._mask

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        mask = self._cached("_mask")
        g = as_array(grad_out, "grad_out", owner="Dropout.backward")
        if mask.size > 1 and g.shape != mask.shape:
            raise ValueError(f"Dropout.backward expected grad_out of shape {mask.shape}, "
                             f"got {g.shape}")
        return g * mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"


class Sequential(Module):
    """Modules applied in order; ``backward`` runs them in reverse."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential expected Module instances, got "
                                f"{type(m).__name__} at position {i}")
        self.modules = list(modules)

    def forward(self, x: np.ndarray) -> np.ndarray:
        for m in self.modules:
            x = m.forward(x)
        return x

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        for m in reversed(self.modules):
            grad_out = m.backward(grad_out)
        return grad_out

    def _named_members(self) -> Iterator[tuple[str, Module]]:
        # The layers are named by position, "0", "1", ... (PyTorch's "0.W", "0.b", ...).
        return ((str(i), m) for i, m in enumerate(self.modules))

    def __getitem__(self, i: int) -> Module:
        return self.modules[i]

    def __len__(self) -> int:
        return len(self.modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def __repr__(self) -> str:
        inner = ",\n  ".join(repr(m) for m in self.modules)
        return f"Sequential(\n  {inner}\n)"
