"""A scalar automatic differentiation engine (chapter "Forward/backward pass").

A :class:`Value` wraps one number, ``.data``, and remembers how it was computed: its
operands (``_prev``) and the operation (``_op``). Each operator below does two things
side by side, like a layer's ``forward`` and ``backward``:

* forward: compute ``out.data`` from the operands' ``.data``;
* backward: a closure ``out._backward`` that applies the chain rule locally,
  ``∂e/∂operand += (∂out/∂operand) · ∂e/∂out``.

``e.backward()`` then visits the graph from the output ``e`` back to the leaves in
reverse topological order, so every node's ``.grad = ∂e/∂node`` is complete before it
is passed on. This is the notes' worked example, written once and differentiated
automatically::

    x1, y = Value(3.0, label="x1"), Value(9.0, label="y")
    w1, w2, w3 = Value(1.0, label="w1"), Value(2.0, label="w2"), Value(1.0, label="w3")
    hin = w1 * x1 + w2 * x1 + 3
    hout = hin.relu()            # the notes' hout = max(hin, 0)
    e = (w3 * hout - y) ** 2
    e.backward()                 # w1.grad == w2.grad == 18.0, w3.grad == 72.0

.. rubric:: Conventions

* ``.data`` and ``.grad`` are Python floats and follow float arithmetic: NaN and ±inf
  are allowed (a diverging computation shows up as ``inf`` or ``nan``, it does not
  raise): ``exp`` and ``**`` overflow to ``inf`` as ``*`` does. Division by zero raises
  ``ZeroDivisionError`` as for floats. Anything that is not a real number (``bool``
  included) is a ``TypeError``.
* Gradients accumulate. Within one pass every local rule *adds* its share (that is what
  makes shared nodes right, e.g. ``a * a``). Across passes the leaves (inputs, weights)
  keep adding, like the parameters of ``nnlib.layers``: a second ``e.backward()`` doubles
  ``w.grad``, and ``e1.backward(); e2.backward()`` leaves ``∂e1/∂w + ∂e2/∂w``. Call
  ``e.zero_grad()`` to start again. Intermediate results hold the gradient of the last
  pass only (a pass resets them first; micrograd instead compounds them on a second call).
* ``relu`` has derivative 0 at 0, as the notes' ``dhout_hin = 1 if hin > 0 else 0``.
* The names follow Karpathy's micrograd (``data``, ``grad``, ``_prev``, ``_op``,
  ``_backward``, ``backward``), so its videos and this code read alike.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["Value", "trace"]


def _is_number(x) -> bool:
    """A real number that is not a bool (``True + v`` is almost always a slip)."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _exp(x: float) -> float:
    """``e**x`` that overflows to ``inf`` like numpy, instead of raising."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _pow(x: float, n: float) -> float:
    """``x**n`` that overflows to ``±inf`` like ``*`` does, instead of raising."""
    try:
        return x ** n
    except OverflowError:             # |x**n| too large; negative only for x < 0, n odd
        odd = float(n).is_integer() and int(n) % 2 == 1
        return math.copysign(math.inf, x) if odd else math.inf


class Value:
    """A scalar in a computational graph, with its gradient.

    Parameters
    ----------
    data : real number
        The value, stored as ``float``.
    _children : tuple of Value
        The operands that produced it (set by the operators, not by users).
    _op : str
        The operation that produced it, e.g. ``"+"`` or ``"ReLU"`` (set by the operators).
    label : str
        A name for drawings, e.g. ``"w1"``.

    Attributes
    ----------
    data : float
    grad : float
        ``∂e/∂self``, filled in by ``e.backward()`` (leaves add it up over calls);
        0.0 until then.
    """

    def __init__(self, data, _children: tuple[Value, ...] = (), _op: str = "",
                 label: str = "") -> None:
        if not _is_number(data):
            raise TypeError(f"Value data must be a real number, got {data!r}")
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {label!r}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._backward = lambda: None     # leaves have nothing to pass on
        self._prev = tuple(_children)     # operands in order; a * a lists a twice
        self._op = _op

    # -- binary operators: forward and local derivatives side by side ---------------
    def __add__(self, other) -> Value:
        if not isinstance(other, Value):
            if not _is_number(other):
                return NotImplemented
            other = Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():                  # ∂out/∂self = 1, ∂out/∂other = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __sub__(self, other) -> Value:
        if not isinstance(other, Value):
            if not _is_number(other):
                return NotImplemented
            other = Value(other)
        out = Value(self.data - other.data, (self, other), "-")

        def _backward():                  # ∂out/∂self = 1, ∂out/∂other = -1
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = _backward
        return out

    def __mul__(self, other) -> Value:
        if not isinstance(other, Value):
            if not _is_number(other):
                return NotImplemented
            other = Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():                  # ∂out/∂self = other, ∂out/∂other = self
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __truediv__(self, other) -> Value:
        if not isinstance(other, Value):
            if not _is_number(other):
                return NotImplemented
            other = Value(other)
        out = Value(self.data / other.data, (self, other), "/")

        def _backward():                  # ∂out/∂self = 1/other, ∂out/∂other = -self/other²
            self.grad += out.grad / other.data
            other.grad -= out.data / other.data * out.grad      # -self/other² = -out/other
        out._backward = _backward
        return out

    def __pow__(self, n) -> Value:
        if not _is_number(n):
            raise TypeError(f"Value ** n: the exponent n must be an int or float constant, "
                            f"got {n!r} (for a Value n write (n * v.log()).exp(), v > 0)")
        if self.data < 0 and not float(n).is_integer():
            raise ValueError(f"Value ** n with a non-integer exponent n={n!r} needs data >= 0, "
                             f"got {self!r}")
        out = Value(_pow(self.data, n), (self,), f"**{n:g}")

        def _backward():                  # ∂out/∂self = n · self^(n-1)
            self.grad += n * _pow(self.data, n - 1) * out.grad
        out._backward = _backward
        return out

    # numbers on the left: 3 + v, 2.0 * v, 1 - v, 2 / v
    def __radd__(self, other) -> Value:
        return self + other

    def __rmul__(self, other) -> Value:
        return self * other

    def __rsub__(self, other) -> Value:
        return Value(other) - self if _is_number(other) else NotImplemented

    def __rtruediv__(self, other) -> Value:
        return Value(other) / self if _is_number(other) else NotImplemented

    def __neg__(self) -> Value:
        out = Value(-self.data, (self,), "neg")

        def _backward():                  # ∂out/∂self = -1
            self.grad -= out.grad
        out._backward = _backward
        return out

    # -- functions of one Value -------------------------------------------------------
    def relu(self) -> Value:
        """``max(self, 0)``: the notes' ``hout = max(hin, 0)``; derivative 0 at 0."""
        out = Value(0.0 if self.data <= 0 else self.data, (self,), "ReLU")   # NaN stays NaN

        def _backward():                  # ∂out/∂self = 1 if self > 0 else 0
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self) -> Value:
        """``σ(x) = 1 / (1 + e^{-x})``, in the two-branch form that never overflows."""
        x = self.data
        s = 1 / (1 + _exp(-x)) if x >= 0 else _exp(x) / (1 + _exp(x))
        out = Value(s, (self,), "sigmoid")

        def _backward():                  # ∂out/∂self = σ (1 - σ)
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    def tanh(self) -> Value:
        """``tanh(x)``."""
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():                  # ∂out/∂self = 1 - tanh²
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def exp(self) -> Value:
        """``e^x`` (``inf`` beyond float range)."""
        out = Value(_exp(self.data), (self,), "exp")

        def _backward():                  # ∂out/∂self = e^x = out
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self) -> Value:
        """Natural logarithm; ``ValueError`` unless ``data > 0``."""
        if not self.data > 0:
            name = f" {self.label!r}" if self.label else ""
            raise ValueError(f"Value{name}.log() needs data > 0, got {self!r}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward():                  # ∂out/∂self = 1 / x
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    # builtin max(v, 0) would return one of its arguments, not a new node: say so
    def _no_comparison(self, other):
        raise TypeError("Values do not compare: for max(v, 0) write v.relu(), and compare "
                        "numbers as v.data > 0")

    __lt__ = __le__ = __gt__ = __ge__ = _no_comparison

    # -- the backward pass ------------------------------------------------------------
    def backward(self) -> None:
        """Compute ``node.grad = ∂self/∂node`` over the graph of ``self`` (``self`` = e).

        Visits the nodes in reverse topological order (each node after every node that
        uses it), so a node's gradient is complete before it is passed on. Leaves
        accumulate: their ``∂e/∂leaf`` is *added*; call :meth:`zero_grad` to clear them.
        """
        order = _topological_order(self)
        for node in order:
            if node._prev:                # intermediate results: this pass only
                node.grad = 0.0
        self.grad += 1.0                  # ∂e/∂e = 1
        for node in reversed(order):
            node._backward()

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0.0 on every node of the graph of ``self``."""
        for node in _topological_order(self):
            node.grad = 0.0

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"


def _topological_order(root: Value) -> list[Value]:
    """Every node of ``root``'s graph, each after all of its operands (``root`` last).

    An iterative depth-first search (a recursive one fails on graphs deeper than
    Python's recursion limit, ~1000): a node is pushed once to expand it and once more
    to emit it after its operands.
    """
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node._prev) if child not in seen)
    return order


def trace(root: Value) -> tuple[list[Value], list[tuple[Value, Value]]]:
    """The nodes and edges of ``root``'s computational graph, for drawing.

    Returns
    -------
    nodes : list of Value
        Every node once, operands before results, ``root`` last (deterministic).
    edges : list of (Value, Value)
        ``(operand, result)`` pairs, one per operand slot in operand order, so ``a * a``
        gives the edge ``(a, a * a)`` twice (the gradient flows along both).
    """
    if not isinstance(root, Value):
        raise TypeError(f"trace expected root to be a Value, got {type(root).__name__}")
    nodes = _topological_order(root)
    edges = [(child, node) for node in nodes for child in node._prev]
    return nodes, edges
