"""Exercise checks: each ``check_...`` runs a reader's attempt against ``nnlib`` and says
what is right or, precisely, what is wrong.

Every check returns a :class:`Feedback` (truthy when the attempt passes) whose text is
shown in the notebook; a wrong answer is explained, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Feedback:
    """The verdict of a ``check_...`` function.

    Attributes
    ----------
    passed : bool
        Whether the attempt is right.
    messages : list of str
        What is right or what is wrong, one point per entry.
    """

    passed: bool
    messages: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = "✅ Correct." if self.passed else "❌ Not yet."
        return "\n".join([head, *("  • " + m for m in self.messages)])

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        head = "✅ **Correct.**" if self.passed else "❌ **Not yet.**"
        return "\n".join([head, "", *("- " + m for m in self.messages)])


def _verdict(problems: list[str], success: str) -> Feedback:
    """Turn a list of problems into Feedback: passed iff there are none."""
    return Feedback(False, problems) if problems else Feedback(True, [success])


# ---- section: ch01: neural networks ----
NEURON_EXERCISE = {"x": (1.0, -2.0, 3.0), "w": (0.5, 0.25, -1.0), "b": 1.0}
"""Exercise 1.1 — one ReLU neuron ``a = max(0, x·w + b)`` with these numbers."""

_TODO = "Replace `...` with your answer, then run the cell again."


def _attempted(answer) -> bool:
    """False for the placeholders ``...`` and ``None`` a reader has not replaced yet."""
    return answer is not ... and answer is not None


def _call(fn, *args):
    """``(result, None)`` or ``(None, "your function raised ...")``: a reader's bug never raises."""
    try:
        return fn(*args), None
    except Exception as exc:  # the reader's code may fail in any way: report, don't raise
        return None, f"your function raised {type(exc).__name__}: {exc}"


def _number(value) -> float | None:
    """``value`` as a float if it is one real number (a 0-d or 1-element array too), else None."""
    import numpy as np

    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr.reshape(-1)[0]) if arr.size == 1 else None


def _close(a, b) -> bool:
    """Equal up to float64 round-off of a few operations (rtol 1e-9, atol 1e-12)."""
    import numpy as np

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def check_neuron(answer) -> Feedback:
    """Exercise 1.1: ``answer = (z, a)`` with ``z = x·w + b`` and ``a = ReLU(z)`` for
    :data:`NEURON_EXERCISE`."""
    import math

    if not _attempted(answer) or (isinstance(answer, tuple) and any(v is ... for v in answer)):
        return Feedback(False, [_TODO])
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Feedback(False, ["Give two numbers, `(z, a)`: the pre-activation z and the "
                                f"output a, got {answer!r}."])
    z, a = (_number(v) for v in answer)
    if z is None:
        return Feedback(False, ["z is one number, the sum x₁w₁ + x₂w₂ + x₃w₃ plus b; "
                                f"got {answer[0]!r}."])
    if a is None:
        return Feedback(False, [f"a is one number, got {answer[1]!r}."])
    x, w, b = NEURON_EXERCISE["x"], NEURON_EXERCISE["w"], NEURON_EXERCISE["b"]
    dot = sum(xi * wi for xi, wi in zip(x, w, strict=True))
    z_true = dot + b
    a_true = max(z_true, 0.0)
    problems = []
    if abs(z - z_true) > 1e-9:
        if abs(z - dot) < 1e-9:
            problems.append(f"z = {z:g} is x·w alone: add the bias b = {b:g}.")
        elif abs(z - (dot - b)) < 1e-9:
            problems.append("The bias is added, not subtracted: z = x·w + b.")
        elif abs(z + z_true) < 1e-9:
            problems.append(f"z = {z:g} has the wrong sign: check the signs of the products "
                            f"x₂w₂ = {x[1] * w[1]:g} and x₃w₃ = {x[2] * w[2]:g}.")
        else:
            terms = " + ".join(f"({xi:g})({wi:g})" for xi, wi in zip(x, w, strict=True))
            problems.append(f"z = {z:g} is not right: z = {terms} + {b:g}; "
                            "recompute the three products.")
    if abs(a - a_true) > 1e-9:
        if abs(a - z) < 1e-9 and z < 0:
            problems.append(f"a = {a:g} is z itself: ReLU keeps z only when z > 0, "
                            "so a = max(0, z).")
        elif abs(a - abs(z_true)) < 1e-9:
            problems.append("ReLU is max(0, z), not |z|: a negative z gives 0.")
        elif abs(a - 1 / (1 + math.exp(-z_true))) < 1e-6:
            problems.append("That is the sigmoid of z; this neuron's φ is ReLU, max(0, z).")
        elif not problems:
            problems.append(f"a = ReLU(z) = max(0, z); with your z = {z:g} that is "
                            f"{max(z, 0.0):g}, not {a:g}.")
        else:
            problems.append("a = max(0, z): fix z first, then apply ReLU.")
    return _verdict(problems, f"z = x·w + b = {z_true:g}, negative, so ReLU outputs a = "
                              f"{a_true:g}: this neuron is switched off for this input.")


def _forward_problem(fn_out, variants: dict) -> str:
    """Name the first known wrong variant that ``fn_out`` matches, or a generic message."""
    for message, expected in variants.items():
        if _close(fn_out, expected):
            return message
    return ("The outputs differ from ReLU(x W¹ + b¹) W² + b²: check each step on the "
            "worked example above.")


def check_forward_pass(forward) -> Feedback:
    """Exercise 1.2: ``forward(x, W1, b1, W2, b2)`` must return ``ReLU(x W1 + b1) W2 + b2``
    for a batch ``x`` of shape ``(N, d)`` (one example per row), without changing its inputs.
    """
    import numpy as np

    if not _attempted(forward):
        return Feedback(False, [_TODO])
    if not callable(forward):
        return Feedback(False, [f"Pass your function itself, got {type(forward).__name__}."])
    rng = np.random.default_rng(1)
    cases = [  # the worked example of the chapter, then a random batch of 5 examples
        (np.array([[1.0, 2.0]]), np.array([[1.0, -1.0, 0.5], [2.0, 1.0, -1.0]]),
         np.array([0.0, 1.0, 0.5]), np.array([[1.0], [-2.0], [3.0]]), np.array([0.5])),
        (rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3),
         rng.standard_normal((3, 2)), rng.standard_normal(2)),
    ]
    def relu(z):
        return np.maximum(z, 0.0)

    for x, W1, b1, W2, b2 in cases:
        args = tuple(a.copy() for a in (x, W1, b1, W2, b2))
        out, error = _call(forward, *args)
        if error:
            hint = ""
            if "matmul" in error or "shapes" in error or "align" in error:
                hint = (f" Rows of x are examples: x {x.shape} @ W¹ {W1.shape} has shape "
                        f"{(x.shape[0], W1.shape[1])}; W¹ @ x does not fit.")
            return Feedback(False, [error + "." + hint])
        if out is ...:
            return Feedback(False, [_TODO])
        changed = [n for n, a, c in zip(("x", "W1", "b1", "W2", "b2"), (x, W1, b1, W2, b2),
                                        args, strict=True) if not np.array_equal(a, c)]
        if changed:
            return Feedback(False, [f"Your function changed its input {', '.join(changed)} in "
                                    "place (e.g. `x[x < 0] = 0` or `np.maximum(z, 0, out=...)` "
                                    "on an argument): compute new arrays instead."])
        right = relu(x @ W1 + b1) @ W2 + b2
        try:
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            return Feedback(False, [f"Return an array of numbers, got {type(out).__name__}."])
        if out.shape != right.shape:
            return Feedback(False, [f"For x of shape {x.shape} the output must have shape "
                                    f"{right.shape} (one row per example), got {out.shape}."])
        if not _close(out, right):
            sig = 1 / (1 + np.exp(-(x @ W1 + b1)))
            variants = {
                "No ReLU: without φ the hidden layer is linear; use "
                "np.maximum(x @ W1 + b1, 0).": (x @ W1 + b1) @ W2 + b2,
                "ReLU is applied to the output too: here the output layer is linear "
                "(φ² is the identity), only the hidden layer uses ReLU.": relu(right),
                "The hidden bias b1 is missing: h = ReLU(x @ W1 + b1).": relu(x @ W1) @ W2 + b2,
                "The output bias b2 is missing: ŷ = h @ W2 + b2.": relu(x @ W1 + b1) @ W2,
                "The bias b1 is added after the ReLU: it belongs inside, "
                "ReLU(x @ W1 + b1).": (relu(x @ W1) + b1) @ W2 + b2,
                "That is a sigmoid hidden layer; this exercise asks for ReLU.": sig @ W2 + b2,
            }
            return Feedback(False, [_forward_problem(out, variants)])
    return Feedback(True, ["Your forward pass matches ReLU(x W¹ + b¹) W² + b², on the worked "
                           "example (ŷ = 1.5) and on a batch of 5 random examples."])


def check_parameter_count(count) -> Feedback:
    """Exercise 1.3: ``count(layer_sizes)`` returns the number of weights and biases of a
    fully connected network, e.g. ``count([2, 3, 1]) == 13``."""
    if not _attempted(count):
        return Feedback(False, [_TODO])
    if not callable(count):
        return Feedback(False, [f"Pass your function itself, got {type(count).__name__}."])
    cases = [[2, 3, 1], [3, 1], [64, 32, 10], [10, 10, 10, 10], [784, 128, 64, 10]]
    got = []
    for sizes in cases:
        out, error = _call(count, list(sizes))
        if error:
            return Feedback(False, [f"count({sizes}): {error}."])
        if out is ...:
            return Feedback(False, [_TODO])
        if _number(out) is None or isinstance(out, str):
            return Feedback(False, [f"count({sizes}) should return one integer, got {out!r}."])
        got.append(_number(out))

    def total(term) -> list[float]:
        return [float(sum(term(a, b) for a, b in zip(s[:-1], s[1:], strict=True)))
                for s in cases]

    right = total(lambda a, b: a * b + b)
    if got == right:
        return Feedback(True, ["Right: Σ (a·b + b) over consecutive layers, e.g. 13 for "
                               "[2, 3, 1] and 2410 for [64, 32, 10]."])
    # a wrong formula is recognised when it explains the answers for every case
    variants = {
        "counts the weights only: every non-input node also has a bias.":
            total(lambda a, b: a * b),
        "gives the input nodes biases too: inputs are data, they have no bias.":
            [r + s[0] for r, s in zip(right, cases, strict=True)],
        "counts nodes: count weights (edges) and biases.": [float(sum(s)) for s in cases],
        "adds layer sizes: between layers of a and b nodes there are a·b weights "
        "(every node to every node) and b biases.": total(lambda a, b: a + b),
        "counts only the first pair of layers: add a·b + b over every pair.":
            [float(s[0] * s[1] + s[1]) for s in cases],
    }
    k = next(i for i, (g, r) in enumerate(zip(got, right, strict=True)) if g != r)
    for message, values in variants.items():
        if got == values:
            return Feedback(False, [f"count({cases[k]}) = {got[k]:g}, expected {right[k]:g}: "
                                    f"your formula {message}"])
    return Feedback(False, [f"count({cases[k]}) = {got[k]:g}, expected {right[k]:g}: between "
                            "layers of a and b nodes there are a·b weights and b biases; add "
                            "these over all consecutive pairs."])


def check_collapse(collapse) -> Feedback:
    """Exercise 1.4: ``collapse(W1, b1, W2, b2) -> (W, b)`` with ``x W + b`` equal to
    ``(x W1 + b1) W2 + b2`` for every ``x``: two linear layers are one."""
    import numpy as np

    if not _attempted(collapse):
        return Feedback(False, [_TODO])
    if not callable(collapse):
        return Feedback(False, [f"Pass your function itself, got {type(collapse).__name__}."])
    rng = np.random.default_rng(2)
    W1, b1 = rng.standard_normal((4, 3)), rng.standard_normal(3)
    W2, b2 = rng.standard_normal((3, 2)), rng.standard_normal(2)
    got, error = _call(collapse, W1.copy(), b1.copy(), W2.copy(), b2.copy())
    if error:
        hint = (" (b¹ has 3 entries and b² has 2: they cannot simply be added.)"
                if "broadcast" in error else "")
        return Feedback(False, [error + "." + hint])
    if got is ... or (isinstance(got, tuple) and any(v is ... for v in got)):
        return Feedback(False, [_TODO])
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return Feedback(False, [f"Return a pair (W, b), got {type(got).__name__}."])
    W, b = (np.asarray(v, dtype=float) for v in got)
    problems = []
    if W.shape != (4, 2):
        hint = (" — the shape of (W¹W²)ᵀ: with row vectors the data meets W¹ first, so "
                "the product is W¹W²") if W.shape == (2, 4) else ""
        problems.append(f"W must map 4 inputs to 2 outputs, shape (4, 2), got {W.shape}{hint}.")
    elif not _close(W, W1 @ W2):
        problems.append("W is not W¹W²: x goes through W¹ first, then W².")
    if b.shape != (2,):
        problems.append(f"b must have one entry per output, shape (2,), got {b.shape}.")
    elif not _close(b, b1 @ W2 + b2):
        if _close(b, b2):
            problems.append("b = b² misses b¹: the first bias also passes through W², "
                            "so it contributes b¹W².")
        elif _close(b, b1 @ W2):
            problems.append("b = b¹W² misses b², which is added after W².")
        else:
            problems.append("b is not right: expand (xW¹ + b¹)W² + b² and collect what does "
                            "not multiply x.")
    return _verdict(problems, "W = W¹W² and b = b¹W² + b²: a stack of linear layers is one "
                              "linear layer, however deep.")


# <<end: ch01>>

# ---- section: ch02: training ----
SGD_STEP_EXERCISE = {"w": 0.5, "b": -0.2, "x": (1.0, 2.0, -1.0, 0.5), "y": (2.0, 3.0, 0.0, 1.0),
                     "lr": 0.1}
"""Exercise 2.1 — one SGD step for ``h(x) = w x + b`` with squared error on this batch."""

LR_EXERCISE_ETAS = (0.1, 0.5, 0.9, 1.0, 1.1)
"""Exercise 2.3 — the learning rates to classify for gradient descent on ``f(w) = w²``."""

LR_REGIMES = ("converges", "oscillates forever", "diverges")
"""Exercise 2.3 — the three possible answers."""


def _sgd_step_reference(w, b, x, y, lr, *, sign=1.0, scale=1.0, two=2.0, update_b=True,
                        w_uses_x=True, sequential=False):
    """One step of SGD on the batch mean of ``(w x + b − y)²``, and its typical mistakes."""
    import numpy as np

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r = w * x + b - y
    g_w = scale * np.mean(two * r * (x if w_uses_x else 1.0))
    w_new = w - sign * lr * g_w
    if sequential:                                   # b's gradient taken at the new w
        r = w_new * x + b - y
    g_b = scale * np.mean(two * r)
    return float(w_new), float(b - sign * lr * g_b) if update_b else float(b)


def check_sgd_step(sgd_step) -> Feedback:
    """Exercise 2.1: ``sgd_step(w, b, x, y, lr) -> (w_new, b_new)`` for ``h(x) = w x + b``
    and ``L = (h(x) − y)²``, with ``g`` the mean gradient over the batch ``(x, y)``."""
    import numpy as np

    if not _attempted(sgd_step):
        return Feedback(False, [_TODO])
    if not callable(sgd_step):
        return Feedback(False, [f"Pass your function itself, got {type(sgd_step).__name__}."])
    ex = SGD_STEP_EXERCISE
    cases = [(ex["w"], ex["b"], np.array(ex["x"]), np.array(ex["y"]), ex["lr"]),
             (-1.0, 2.0, np.array([0.3, -1.2, 2.0]), np.array([1.0, -0.5, 0.25]), 0.05)]
    for w, b, x, y, lr in cases:
        got, error = _call(sgd_step, w, b, x.copy(), y.copy(), lr)
        if error:
            return Feedback(False, [error + "."])
        if got is ... or (isinstance(got, tuple) and any(v is ... for v in got)):
            return Feedback(False, [_TODO])
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return Feedback(False, [f"Return the pair (w_new, b_new), got {got!r}."])
        pair = tuple(_number(v) for v in got)
        if None in pair:
            return Feedback(False, [f"w_new and b_new are single numbers, got {got!r}."])
        right = _sgd_step_reference(w, b, x, y, lr)
        if _close(pair, right):
            continue
        B = len(x)
        variants = {
            "You step uphill: the update is w ← w − η g (minus), which lowers the loss.":
                dict(sign=-1.0),
            f"g is the *mean* gradient over the batch, (1/B) Σ ∇L, not the sum: yours is "
            f"B = {B} times too large.": dict(scale=float(B)),
            "The factor 2 of the derivative of (h − y)² is missing: ∂L/∂w = 2(h − y)x.":
                dict(two=1.0),
            "b is not updated: the bias is a parameter too, with ∂L/∂b = 2(h − y).":
                dict(update_b=False),
            "∂L/∂w is missing the factor x: ∂L/∂w = 2(h(x) − y)·x (chain rule through w x).":
                dict(w_uses_x=False),
            "Compute both gradients at the old (w, b) before updating either: your b-step "
            "uses the already updated w.": dict(sequential=True),
        }
        for message, kwargs in variants.items():
            if _close(pair, _sgd_step_reference(w, b, x, y, lr, **kwargs)):
                return Feedback(False, [message])
        return Feedback(False, [f"For w = {w:g}, b = {b:g}, η = {lr:g} and this batch the step "
                                f"gives (w, b) = ({right[0]:.4f}, {right[1]:.4f}), yours "
                                f"({pair[0]:.4f}, {pair[1]:.4f}). Compute r = w x + b − y, "
                                "g_w = mean(2 r x), g_b = mean(2 r), then step."])
    w_new, b_new = _sgd_step_reference(*cases[0])
    return Feedback(True, [f"One step moves (w, b) from ({ex['w']:g}, {ex['b']:g}) to "
                           f"({w_new:.4f}, {b_new:.4f})."])


def check_batch_indices(batch_indices) -> Feedback:
    """Exercise 2.2: ``batch_indices(n, B, rng)`` returns one epoch of mini-batches as a list
    of integer index arrays: a fresh shuffle from ``rng``, every example exactly once,
    ``⌈n/B⌉`` batches of ``B`` (the last one possibly smaller)."""
    import numpy as np

    if not _attempted(batch_indices):
        return Feedback(False, [_TODO])
    if not callable(batch_indices):
        return Feedback(False, [f"Pass your function itself, got "
                                f"{type(batch_indices).__name__}."])
    results = {}
    for n, B in [(10, 3), (12, 4), (5, 8), (7, 1), (100, 16)]:
        got, error = _call(batch_indices, n, B, np.random.default_rng(0))
        if error:
            return Feedback(False, [f"batch_indices({n}, {B}, rng): {error}."])
        if got is ...:
            return Feedback(False, [_TODO])
        call = f"batch_indices({n}, {B}, rng)"
        try:
            batches = [np.asarray(idx) for idx in got]
        except TypeError:
            return Feedback(False, [f"{call} should return a list of index arrays, got "
                                    f"{type(got).__name__}."])
        if any(idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu") for idx in batches):
            return Feedback(False, [f"{call}: every batch should be a 1-D array of integer "
                                    "indices (e.g. a slice of rng.permutation(n))."])
        flat = np.concatenate(batches) if batches else np.array([], dtype=int)
        counts = np.bincount(flat[(flat >= 0) & (flat < n)], minlength=n)
        n_batches = -(-n // B)
        if flat.size and (flat.min() < 0 or flat.max() >= n):
            return Feedback(False, [f"{call} returns index {flat.max()}: indices run from 0 "
                                    f"to n − 1 = {n - 1}."])
        if np.any(counts > 1):
            dup = int(np.flatnonzero(counts > 1)[0])
            return Feedback(False, [f"{call}: example {dup} appears {counts[dup]} times in one "
                                    "epoch. Shuffle once per epoch (rng.permutation(n)) and "
                                    "cut that one order into consecutive slices: drawing new "
                                    "random indices for every batch repeats some examples "
                                    "and skips others."])
        if np.any(counts == 0):
            missing = np.flatnonzero(counts == 0).tolist()
            hint = (f" The last {n % B} examples of the shuffled order form a smaller, last "
                    f"batch: there are ⌈n/B⌉ = {n_batches} batches, not ⌊n/B⌋ = {n // B}."
                    if len(batches) == n // B and n % B else "")
            return Feedback(False, [f"{call} never uses example(s) {missing}: an epoch must "
                                    f"visit every example exactly once.{hint}"])
        sizes = [len(idx) for idx in batches]
        want = [B] * (n // B) + ([n % B] if n % B else [])
        if sizes != want:
            return Feedback(False, [f"{call} gives batches of sizes {sizes}; expected "
                                    f"{want}: B examples each, the remainder in the last."])
        results[(n, B)] = flat
    if all(np.array_equal(flat, np.arange(len(flat))) for flat in results.values()):
        return Feedback(False, ["Every batch comes in the original order 0, 1, 2, …: step 1 "
                                "of the algorithm shuffles the examples every epoch "
                                "(rng.permutation(n))."])
    again, _ = _call(batch_indices, 12, 4, np.random.default_rng(0))
    other, _ = _call(batch_indices, 12, 4, np.random.default_rng(1))
    again = np.concatenate([np.asarray(i) for i in again])
    other = np.concatenate([np.asarray(i) for i in other])
    if not np.array_equal(again, results[(12, 4)]):
        return Feedback(False, ["The same seed gives a different order: draw the shuffle from "
                                "the rng argument (rng.permutation(n)), not from np.random."])
    if np.array_equal(other, results[(12, 4)]):
        return Feedback(False, ["Different seeds give the same order: use the rng argument to "
                                "shuffle (rng.permutation(n))."])
    return Feedback(True, ["Every example exactly once per epoch, in ⌈n/B⌉ batches, in an order "
                           "drawn from rng: this is what nnlib.training.minibatches does."])


def check_lr_regimes(answer) -> Feedback:
    """Exercise 2.3: ``answer[η]`` is one of :data:`LR_REGIMES` for gradient descent
    ``w ← w − η f'(w)`` on ``f(w) = w²``, for each η in :data:`LR_EXERCISE_ETAS`."""
    if not _attempted(answer):
        return Feedback(False, [_TODO])
    if not isinstance(answer, dict):
        return Feedback(False, [f"Give a dict {{η: answer}}, got {type(answer).__name__}."])
    if any(v is ... for v in answer.values()):
        return Feedback(False, [_TODO])
    given = {}
    for key, value in answer.items():
        eta = _number(key)
        match = [e for e in LR_EXERCISE_ETAS if eta is not None and abs(e - eta) < 1e-12]
        if not match:
            return Feedback(False, [f"Unexpected key {key!r}: the keys are the learning rates "
                                    f"{', '.join(map(str, LR_EXERCISE_ETAS))}."])
        given[match[0]] = str(value).strip().lower()
    problems = []
    for eta in LR_EXERCISE_ETAS:
        r = 1 - 2 * eta
        right = ("converges" if abs(r) < 1 else "oscillates forever" if abs(r) == 1
                 else "diverges")
        if eta not in given:
            problems.append(f"η = {eta:g} is missing.")
        elif given[eta] not in LR_REGIMES:
            problems.append(f"η = {eta:g}: answer with one of {', '.join(LR_REGIMES)}; got "
                            f"{given[eta]!r}.")
        elif given[eta] != right:
            why = f"w_(t+1) = w_t − η·2w_t = (1 − 2η) w_t = ({r:g}) w_t"
            if right == "converges" and r == 0:
                why += ": the first step lands exactly on the minimum w = 0"
            elif right == "converges" and r < 0:
                why += f": the sign flips every step, but |{r:g}| < 1 so w shrinks to 0"
            elif right == "converges":
                why += f": w shrinks by the factor {r:g} every step"
            elif right == "oscillates forever":
                why += ": w jumps between w₀ and −w₀ forever"
            else:
                why += f": |{r:g}| > 1, so |w| grows every step"
            problems.append(f"η = {eta:g} {right}, not {given[eta]}: {why}.")
    return _verdict(problems, "Right: w_t = (1 − 2η)^t w₀ converges exactly when |1 − 2η| < 1, "
                              "i.e. 0 < η < 1 = 2/a with a = f'' = 2.")


def check_epoch_batches(answer) -> Feedback:
    """Exercise 2.4: ``answer = (updates, last)`` for ``n = 1797`` examples and ``B = 32``: the
    number of updates in one epoch and the size of its last batch."""
    if not _attempted(answer) or (isinstance(answer, tuple) and any(v is ... for v in answer)):
        return Feedback(False, [_TODO])
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Feedback(False, [f"Give two numbers, (updates, last batch size), got {answer!r}."])
    updates, last = (_number(v) for v in answer)
    n, B = 1797, 32
    problems = []
    if updates is None or last is None:
        return Feedback(False, [f"Both answers are whole numbers, got {answer!r}."])
    if updates != -(-n // B):
        if updates == n // B:
            problems.append(f"{updates:g} = ⌊n/B⌋ forgets the last, partial batch: "
                            f"{n // B}·{B} = {n // B * B} < {n}, so {n - n // B * B} examples "
                            "are left over and make one more update.")
        elif abs(updates - n / B) < 1e-6:
            problems.append(f"n/B = {n / B:g} is not a whole number of updates: count the "
                            "batches, the last one partial.")
        else:
            problems.append(f"{updates:g} updates is not right: each batch gives one update, and "
                            f"B = {B} examples make a batch.")
    if last != n - (n // B) * B:
        if last == B:
            problems.append(f"{n} is not a multiple of {B}: the last batch holds only what is "
                            "left over.")
        elif last == 0:
            problems.append("A last batch of 0 examples would not exist: what is left over "
                            f"after {n // B} full batches?")
        else:
            problems.append(f"The last batch holds n − {n // B}·B examples; got {last:g}.")
    return _verdict(problems, f"⌈{n}/{B}⌉ = {-(-n // B)} updates per epoch: {n // B} batches of "
                              f"{B} and a last one of {n - n // B * B}.")


# <<end: ch02>>

# ---- section: ch03: activations ----
# The helpers _TODO, _attempted, _call, _number and _close come from the ch01 section.


def _ch03_function(fn, name: str) -> Feedback | None:
    """Feedback when ``fn`` is not yet a function to test, else None."""
    if not _attempted(fn):
        return Feedback(False, [_TODO])
    if not callable(fn):
        return Feedback(False, [f"Pass your function itself, e.g. `{name}(my_function)`, "
                                f"not its result; got {type(fn).__name__}."])
    return None


def _ch03_run(fn, z):
    """Call ``fn(z.copy())`` and collect numpy's warnings.

    Returns ``(output array or None, error message or None, warning messages)``.
    """
    import warnings

    import numpy as np

    # overflow and 0/0 are reported; underflow to 0 is the right rounding, not a bug
    with (warnings.catch_warnings(record=True) as caught,
          np.errstate(over="warn", invalid="warn", divide="warn", under="ignore")):
        warnings.simplefilter("always")
        out, error = _call(fn, z.copy())
    notes = sorted({str(w.message) for w in caught})
    if error and "'ellipsis'" in error:          # e.g. 1 - ... : a placeholder left
        return None, _TODO, notes
    if error:
        if "scalar" in error:
            error += (" (the check passes a numpy array z: use numpy functions such as np.exp "
                      "and np.where, which work entry-wise, not math.exp or if/else)")
        return None, error, notes
    if out is ...:
        return None, _TODO, notes
    try:
        out = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return None, f"Return an array of numbers, got {type(out).__name__}.", notes
    if out.shape != z.shape:
        return None, (f"For z of shape {z.shape} return an array of the same shape (one "
                      f"value per entry), got shape {out.shape}."), notes
    return out, None, notes


def check_stable_sigmoid(sigmoid_fn) -> Feedback:
    """Exercise 3.1: ``sigmoid_fn(z)`` must return ``1 / (1 + e^{-z})`` entry-wise for an
    array ``z``, for every finite ``z`` (±1000 included) without an overflow, and
    without NaN."""
    import numpy as np

    from .activations import sigmoid

    not_ready = _ch03_function(sigmoid_fn, "check_stable_sigmoid")
    if not_ready is not None:
        return not_ready
    z = np.array([-1000.0, -745.0, -50.0, -5.0, -1.0, -0.25, 0.0, 0.25, 1.0, 5.0, 50.0, 745.0,
                  1000.0])
    # right to 1e-9 relative or 1e-15 absolute: round-off of a few operations, and clipping
    # z to [-40, 40] passes too (σ(40) is within 5e-18 of 1)
    moderate = np.abs(z) <= 50
    out, error, notes = _ch03_run(sigmoid_fn, z[moderate])
    if error:
        return Feedback(False, [error])
    right = sigmoid(z[moderate])
    if not np.allclose(out, right, rtol=1e-9, atol=1e-15):
        if np.allclose(out, sigmoid(-z[moderate]), rtol=1e-9, atol=1e-15):
            at_one = float(out[z[moderate] == 1.0][0])
            return Feedback(False, [
                f"Your function computes 1/(1 + e^z) = σ(−z), the notes' slip: it falls as z "
                f"rises. σ(1) should be {float(sigmoid(1.0)):.4f}, yours gives {at_one:.4f}. "
                "Flip the sign of the exponent: σ(z) = 1/(1 + e^(−z))."])
        k = int(np.argmax(~np.isclose(out, right, rtol=1e-9, atol=1e-15)))
        return Feedback(False, [f"σ({z[moderate][k]:g}) should be {right[k]:.6g}, your "
                                f"function gives {out[k]:.6g}."])
    problems = []
    for zi in z[~moderate]:
        one = np.array([zi])
        out, error, notes = _ch03_run(sigmoid_fn, one)
        if error:
            problems.append(f"At z = {zi:g}: {error}")
        elif notes or np.isnan(out[0]):
            said = "; ".join(f"'{n}'" for n in notes)
            text = f"At z = {zi:g} numpy reports {said}" if notes else f"At z = {zi:g}"
            if np.isnan(out[0]):
                text += " and your function gives nan (inf/inf, as in e^z / (1 + e^z))"
            if any("overflow" in n for n in notes):
                text += (f": e^{abs(zi):g} is far beyond the largest float64 (about 1.8e308)"
                         ". Exponentiate only −|z|, which is ≤ 0: e^(−|z|) lies in (0, 1].")
            else:
                text += ": use the form whose exponent is ≤ 0, e^(−|z|)."
            problems.append(text)
        elif not np.isclose(out[0], sigmoid(one)[0], rtol=1e-9, atol=1e-15):
            problems.append(f"σ({zi:g}) should be {sigmoid(one)[0]:.6g}, your function gives "
                            f"{out[0]:.6g}.")
        if len(problems) == 2:
            break
    return _verdict(problems, "Right values, no overflow and no NaN, even at z = ±1000: your "
                              "sigmoid is safe to use on any finite input.")


def check_tanh_grad(tanh_grad_fn) -> Feedback:
    """Exercise 3.2: ``tanh_grad_fn(z)`` must return ``tanh'(z) = 1 − tanh²(z)`` entry-wise."""
    import numpy as np

    not_ready = _ch03_function(tanh_grad_fn, "check_tanh_grad")
    if not_ready is not None:
        return not_ready
    z = np.linspace(-3.0, 3.0, 13)
    out, error, _ = _ch03_run(tanh_grad_fn, z)
    if error:
        return Feedback(False, [error])
    t = np.tanh(z)
    right = 1 - t ** 2
    if _close(out, right):
        return Feedback(True, ["tanh'(z) = 1 − tanh²(z): largest (1) at z = 0, and below "
                               "0.01 once |z| > 3, so tanh saturates like the sigmoid but "
                               "with four times the peak slope."])
    slope = (np.tanh(1 + 1e-6) - np.tanh(1 - 1e-6)) / 2e-6
    variants = {
        "You forgot the square: tanh'(z) = 1 − tanh(z)², not 1 − tanh(z).": 1 - t,
        "tanh(1 − tanh) is the sigmoid's pattern σ(1 − σ); for tanh the derivative is "
        "1 − tanh².": t * (1 - t),
        "The sign is off: tanh rises everywhere, so its derivative is positive, 1 − tanh².":
            -right,
        "tanh' = 1/cosh²(z) (equal to 1 − tanh²(z)), not cosh²(z).": np.cosh(z) ** 2,
        "1 + tanh² is the derivative of tan, not of tanh: here it is 1 − tanh².": 1 + t ** 2,
        "That is tanh itself; the question asks for its derivative.": t,
    }
    for message, wrong in variants.items():
        if _close(out, wrong):
            return Feedback(False, [message])
    k = int(np.argmin(np.abs(z - 1)))
    return Feedback(False, [f"At z = 1 the slope of tanh (central difference) is {slope:.6f}, "
                            f"your function gives {out[k]:.6f}; at z = 0 it should be 1, "
                            f"yours gives {out[np.argmin(np.abs(z))]:.6f}."])


def _ch03_dead_cases():
    """Layers and inputs with known dead units (no pre-activation is exactly 0)."""
    import numpy as np

    from .layers import Linear

    rng = np.random.default_rng(3)
    cases = []
    for n, d, units, dead, rare in [(50, 4, 6, (1, 4), (2,)), (30, 3, 5, (0,), (3,)),
                                    (40, 5, 4, (), (1,))]:
        X = rng.standard_normal((n, d))
        layer = Linear(d, units, rng=rng)
        z = X @ layer.W.value
        b = rng.uniform(-0.5, 0.5, units)
        for j in dead:                                   # below the smallest xw
            b[j] = -z[:, j].max() - rng.uniform(0.5, 2.0)
        for j in rare:                                   # positive for exactly one input
            top = np.sort(z[:, j])[-2:]
            b[j] = -(top[0] + top[1]) / 2
        layer.b.value[:] = b
        cases.append((X, layer))
    return cases


def check_dead_units(find_dead) -> Feedback:
    """Exercise 3.3: ``find_dead(X, layer)`` must return a boolean array of shape
    ``(out_features,)``: True for a unit whose pre-activation ``z = xW + b`` is ≤ 0 for
    every row ``x`` of ``X`` (so ReLU' = 0 for every input and its weights never change)."""
    import numpy as np

    not_ready = _ch03_function(find_dead, "check_dead_units")
    if not_ready is not None:
        return not_ready
    for X, layer in _ch03_dead_cases():
        W0, b0 = layer.W.value.copy(), layer.b.value.copy()
        out, error = _call(find_dead, X.copy(), layer)
        if out is ... or (error and "'ellipsis'" in error):
            return Feedback(False, [_TODO])
        if error:
            return Feedback(False, [error + "."])
        layer.W.value[...], layer.b.value[...] = W0, b0  # in case the attempt changed them
        z = X @ W0 + b0
        right = np.all(z <= 0, axis=0)
        try:
            out = np.asarray(out)
        except (TypeError, ValueError):
            return Feedback(False, [f"Return an array of booleans, got {type(out).__name__}."])
        if out.shape == z.shape:
            return Feedback(False, [f"You returned one value per input and unit, shape "
                                    f"{out.shape}; return one boolean per unit, shape "
                                    f"{right.shape}: reduce over the inputs (axis 0)."])
        if out.shape != right.shape:
            return Feedback(False, [f"Return one boolean per unit of the layer, shape "
                                    f"{right.shape}, got shape {out.shape}."])
        if out.dtype.kind not in "biu" or not np.isin(out, (0, 1)).all():
            return Feedback(False, ["Return booleans (True = dead), e.g. the result of a "
                                    f"comparison; got values {out.tolist()}."])
        out = out.astype(bool)
        if np.array_equal(out, right):
            continue
        if np.array_equal(out, ~right):
            return Feedback(False, ["You marked the live units: a unit is dead when its "
                                    "pre-activation is ≤ 0 for every input."])
        if np.array_equal(out, np.any(z <= 0, axis=0)):
            return Feedback(False, ["A unit that is negative for some inputs still gets a "
                                    "gradient from the others: dead means ≤ 0 for every "
                                    "input (np.all over axis 0), not for some."])
        if np.array_equal(out, b0 < 0):
            return Feedback(False, ["A negative bias alone does not kill a unit: xW can "
                                    "outweigh it. Look at z = X @ W + b for every input."])
        j = int(np.argmax(out != right))
        live = int(np.sum(z[:, j] > 0))
        return Feedback(False, [f"Unit {j}: you say {'dead' if out[j] else 'alive'}, but its "
                                f"pre-activation is > 0 for {live} of {len(z)} inputs, so it "
                                f"is {'dead' if right[j] else 'alive'}."])
    return Feedback(True, ["Dead units found, including one that is positive for a single "
                           "input only: that unit still learns, from that one input."])


def check_sigmoid_depth(answer) -> Feedback:
    """Exercise 3.4: the smallest depth L with (1/4)^L < 10⁻⁶ (the answer is 10)."""
    if not _attempted(answer):
        return Feedback(False, [_TODO])
    value = _number(answer)
    if value is None or value != int(value):
        return Feedback(False, [f"Give a whole number of layers, got {answer!r}."])
    L = int(value)
    if L == 10:
        return Feedback(True, ["(1/4)^9 ≈ 3.8e-06 is still above 10⁻⁶, (1/4)^10 ≈ 9.5e-07 "
                               "is below: L = 10, since L > 6 / log₁₀ 4 ≈ 9.97."])
    if L < 10:
        return Feedback(False, [f"(1/4)^{L} = {0.25 ** L:.3g} is still ≥ 10⁻⁶: go deeper."])
    return Feedback(False, [f"(1/4)^{L} = {0.25 ** L:.3g} is below 10⁻⁶, but so is (1/4)^{L - 1}"
                            f" = {0.25 ** (L - 1):.3g}: look for the smallest L."])


# <<end: ch03>>

# ---- section: ch04: forward and backward ----
# The helpers _TODO, _attempted, _call, _number and _close come from the ch01 section.

SIGMOID_EXAMPLE = {"x1": 0.5, "y": 1.0, "w1": 1.0, "w2": -2.0, "w3": 2.0}
"""Exercise 4.1 — the worked example with σ in place of ReLU, at these numbers."""

DEAD_EXAMPLE = {"x1": -2.0, "y": 9.0, "w1": 1.0, "w2": 2.0, "w3": 1.0}
"""Exercise 4.2 — the worked example (ReLU, bias 3) at an input where ``h_in < 0``."""


def _ch04_sigmoid_example(x1: float, y: float, w1: float, w2: float, w3: float):
    """``(de_w1, de_w2, de_w3)`` for ``e = (w3 σ(w1 x1 + w2 x1 + 3) − y)²``, by autograd,
    and the named intermediate values ``{"hin", "hout", "diff"}``."""
    from .autograd import Value

    w = [Value(w1), Value(w2), Value(w3)]
    hin = w[0] * x1 + w[1] * x1 + 3
    hout = hin.sigmoid()
    diff = w[2] * hout - y
    (diff ** 2).backward()
    return tuple(v.grad for v in w), {"hin": hin.data, "hout": hout.data, "diff": diff.data}


def _ch04_placeholder(error: str | None, answer) -> bool:
    """Whether a reader's function still holds a ``...`` placeholder: it returned one, or
    raised from arithmetic with one (``2.0 * ...`` is a ``TypeError`` naming 'ellipsis')."""
    if error:
        return "'ellipsis'" in error
    return answer is ... or (isinstance(answer, (tuple, list)) and ... in answer)


def _ch04_number(value) -> float | None:
    """One real number as a float, else None (``None`` included, which numpy makes NaN)."""
    return None if value is None else _number(value)


def _ch04_triple(answer, what: str):
    """``(three floats, None)`` or ``(None, message)`` for an answer ``(de_w1, de_w2, de_w3)``."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        return None, f"Give three numbers, {what} (de_w1, de_w2, de_w3); got {answer!r}."
    values = [_ch04_number(v) for v in answer]
    if None in values:
        bad = answer[values.index(None)]
        return None, f"Each gradient is one number, got {bad!r}."
    return values, None


def check_sigmoid_backward(backward) -> Feedback:
    """Exercise 4.1: ``backward(x1, y, w1, w2, w3)`` must return ``(de_w1, de_w2, de_w3)``
    for ``nn(x1) = w3 σ(w1 x1 + w2 x1 + 3)`` and ``e = (y − nn(x1))²``."""
    import math

    if not _attempted(backward):
        return Feedback(False, [_TODO])
    if not callable(backward):
        return Feedback(False, ["Pass your function itself, e.g. "
                                "`check_sigmoid_backward(backward_sigmoid)`, got "
                                f"{type(backward).__name__}."])
    cases = [tuple(SIGMOID_EXAMPLE.values()), (3.0, 9.0, 1.0, 2.0, 1.0), (1.5, -0.5, -0.5, 0.25,
                                                                           1.5),
             (-1.0, 2.0, 0.3, 1.2, -0.7)]
    for case in cases:
        answer, error = _call(backward, *case)
        if _ch04_placeholder(error, answer):
            return Feedback(False, [_TODO])
        if error:
            return Feedback(False, [error + "."])
        got, problem = _ch04_triple(answer, "return")
        if problem:
            return Feedback(False, [problem])
        right, v = _ch04_sigmoid_example(*case)
        if _close(got, right):
            continue
        x1, w3 = case[0], case[4]
        s, diff = v["hout"], v["diff"]
        at = ", ".join(f"{k} = {val:g}" for k, val in zip(SIGMOID_EXAMPLE, case, strict=True))
        relu_path = 2 * diff * w3 * (1.0 if v["hin"] > 0 else 0.0) * x1
        variants = {
            "de_w1 and de_w2 use ReLU's local derivative (1 or 0); for σ it is "
            "dhout_hin = σ(hin)(1 − σ(hin)).": (relu_path, relu_path, 2 * diff * s),
            "dhout_hin is σ(hin) itself; the local derivative is σ(hin)(1 − σ(hin)).":
                (2 * diff * w3 * s * x1,) * 2 + (2 * diff * s,),
            "Every gradient has the wrong sign: with diff = pred − y, de_diff = 2·diff and "
            "ddiff_pred = +1.": tuple(-g for g in right),
            "Every gradient is half the right size: d(diff²)/d(diff) = 2·diff.":
                tuple(g / 2 for g in right),
            "de_w3 multiplies de_pred by hin; dpred_w3 = hout = σ(hin), the value w3 "
            "multiplies.": (*right[:2], 2 * diff * v["hin"]),
        }
        for message, wrong in variants.items():
            if _close(got, wrong):
                return Feedback(False, [message + f" (checked at {at}.)"])
        names = ("de_w1", "de_w2", "de_w3")
        problems = [f"{n} should be {r:.6g} at {at}; yours is {g:.6g}."
                    for n, r, g in zip(names, right, got, strict=True) if not math.isclose(
                        g, r, rel_tol=1e-9, abs_tol=1e-12)]
        return Feedback(False, problems)
    right, v = _ch04_sigmoid_example(*SIGMOID_EXAMPLE.values())
    return Feedback(True, [f"At the exercise's numbers hin = {v['hin']:g}, σ(hin) = "
                           f"{v['hout']:.4f} and σ' = {v['hout'] * (1 - v['hout']):.4f}: "
                           f"(de_w1, de_w2, de_w3) = ({right[0]:.4f}, {right[1]:.4f}, "
                           f"{right[2]:.4f}). The graph is the same as with ReLU; only one "
                           "local derivative changed."])


def check_dead_example_gradient(answer) -> Feedback:
    """Exercise 4.2: ``(de_w1, de_w2, de_w3)`` of the worked example at
    :data:`DEAD_EXAMPLE`, where ``h_in = −3 < 0``: all three are 0."""
    if not _attempted(answer) or (isinstance(answer, (tuple, list)) and ... in answer):
        return Feedback(False, [_TODO])
    got, problem = _ch04_triple(answer, "a tuple")
    if problem:
        return Feedback(False, [problem])
    x1, y, w1, w2, w3 = DEAD_EXAMPLE.values()
    hin = w1 * x1 + w2 * x1 + 3                          # −3
    de_pred = 2 * (0.0 - y)                              # hout = pred = 0
    problems = []
    if any(g != 0 for g in got[:2]):
        if _close(got[:2], [de_pred * w3 * x1] * 2):
            problems.append(f"de_w1 = de_w2 = {de_pred * w3 * x1:g} is what flows back if the "
                            f"ReLU lets the gradient through, but hin = {hin:g} < 0, so "
                            "dhout_hin = 0.")
        else:
            problems.append("Follow the chain from e back to w1: one factor of de_w1 and "
                            f"de_w2 is dhout_hin, and hin = {hin:g}.")
    if got[2] != 0:
        if _close(got[2], de_pred * hin):
            problems.append("dpred_w3 is hout, the ReLU's output, not hin.")
        else:
            problems.append("de_w3 = de_pred · hout: what is hout when hin < 0?")
    return _verdict(problems, f"All three are 0: hin = {hin:g} < 0, so hout = 0 (hence de_w3 "
                              "= de_pred · hout = 0) and the ReLU blocks the gradient to w1 "
                              "and w2. On this example the network cannot learn at all, "
                              f"although its error is e = {y ** 2:g}.")


def check_mul_backward(mul_backward) -> Feedback:
    """Exercise 4.3: ``mul_backward(a, b, grad_out)`` must return ``(grad_a, grad_b)`` for
    the node ``out = a · b``, i.e. ``(b · grad_out, a · grad_out)``."""
    if not _attempted(mul_backward):
        return Feedback(False, [_TODO])
    if not callable(mul_backward):
        return Feedback(False, ["Pass your function itself, e.g. "
                                f"`check_mul_backward(mul_backward)`, got "
                                f"{type(mul_backward).__name__}."])
    for a, b, g in [(3.0, -2.0, 1.5), (0.5, 4.0, -2.0), (1.0, 12.0, 6.0), (2.0, 2.0, 1.0)]:
        answer, error = _call(mul_backward, a, b, g)
        if _ch04_placeholder(error, answer):
            return Feedback(False, [_TODO])
        if error:
            return Feedback(False, [error + "."])
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return Feedback(False, [f"Return two numbers, (grad_a, grad_b); got {answer!r}."])
        got = [_ch04_number(v) for v in answer]
        if None in got:
            return Feedback(False, [f"Each gradient is one number, got {answer!r}."])
        if _close(got, [b * g, a * g]):
            continue
        at = f"mul_backward({a:g}, {b:g}, {g:g})"
        variants = {
            "The operands are swapped: ∂(a·b)/∂a = b, so grad_a = b · grad_out (each "
            "operand's gradient is the other operand times grad_out).": [a * g, b * g],
            "grad_out is missing: the chain rule multiplies the local derivative by the "
            "upstream gradient, grad_a = b · grad_out.": [b, a],
            "That is the backward pass of an addition node (it passes grad_out on "
            "unchanged); a product scales it by the other operand.": [g, g],
        }
        for message, wrong in variants.items():
            if _close(got, wrong):
                return Feedback(False, [f"{message} (checked with {at}.)"])
        return Feedback(False, [f"{at} should return ({b * g:g}, {a * g:g}), yours "
                                f"returns ({got[0]:g}, {got[1]:g})."])
    return Feedback(True, ["mul_backward(w3, hout, de_pred) = mul_backward(1, 12, 6) = "
                           "(72, 6): the notes' de_w3 and de_hout in one call."])


# <<end: ch04>>

# ---- section: ch05: fully connected ----
# The helpers _TODO, _attempted, _call, _number and _close come from the ch01 section.

LAYER_SHAPES_EXERCISE = (784, 128, 64, 10)
"""Exercise 5.1 — the layer sizes of a fully connected net for 28x28 images, input first."""


def _ch05_shape(value) -> tuple | None:
    """``value`` as a tuple of ints (a shape), or None if it is not one."""
    if isinstance(value, (tuple, list)) and all(
            isinstance(v, int) or (hasattr(v, "__index__") and not isinstance(v, bool))
            for v in value):
        return tuple(int(v) for v in value)
    return None


def check_layer_shapes(shapes) -> Feedback:
    """Exercise 5.1: ``shapes = [(W¹ shape, b¹ shape), (W² shape, b² shape), ...]`` for the
    net :data:`LAYER_SHAPES_EXERCISE` in the row-vector convention ``xW + b``."""
    if not _attempted(shapes):
        return Feedback(False, [_TODO])
    sizes = LAYER_SHAPES_EXERCISE
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    if isinstance(shapes, (tuple, list)) and shapes and all(
            _ch05_shape(s) is not None for s in shapes):
        return Feedback(False, [f"Each layer needs a pair (shape of W, shape of b); "
                                f"{tuple(shapes[0])} looks like one shape alone. Write e.g. "
                                "[((784, 128), (128,)), ...]."])
    if not isinstance(shapes, (tuple, list)) or any(
            not isinstance(s, (tuple, list)) or len(s) != 2 for s in shapes):
        return Feedback(False, ["Give a list with one pair (shape of W, shape of b) per layer, "
                                "e.g. [((784, 128), (128,)), ...]."])
    if any(v is ... for s in shapes for v in s):
        return Feedback(False, [_TODO])
    if len(shapes) != len(pairs):
        return Feedback(False, [f"A net with layer sizes {list(sizes)} has {len(pairs)} "
                                f"layers of weights (one between each consecutive pair of "
                                f"sizes), got {len(shapes)} pairs."])
    problems = []
    for k, ((d_in, d_out), (w, b)) in enumerate(zip(pairs, shapes, strict=True), start=1):
        w, b = _ch05_shape(w), _ch05_shape(b)
        if w != (d_in, d_out):
            if w == (d_out, d_in):
                problems.append(f"W{k} has shape {w}: that is the column-vector convention "
                                f"W x. With row vectors x (1, {d_in}) @ W must give "
                                f"(1, {d_out}), so W{k} is ({d_in}, {d_out}).")
            else:
                problems.append(f"W{k} connects {d_in} inputs to {d_out} nodes: shape "
                                f"({d_in}, {d_out}), got {w if w else shapes[k - 1][0]!r}.")
        if b not in ((d_out,), (1, d_out)):
            if b in ((d_in,), (1, d_in)):
                problems.append(f"b{k} has one entry per input of the layer; it needs one "
                                f"per node the layer computes: ({d_out},).")
            else:
                problems.append(f"b{k} holds one bias per output node: shape ({d_out},), got "
                                f"{b if b else shapes[k - 1][1]!r}.")
    n = sum(a * c + c for a, c in pairs)
    return _verdict(problems, f"Right: W^l is (d_(l-1), d_l) and b^l is (d_l,). Together "
                              f"{n:,} parameters, {pairs[0][0] * pairs[0][1]:,} of them in "
                              "W¹ alone: the first layer of an image net holds most weights.")


def check_linear_backward(backward) -> Feedback:
    """Exercise 5.2: ``backward(X, W, G) -> (dW, db, dX)`` for ``Z = X W + b`` and
    ``G = ∂E/∂Z``; compared with :class:`nnlib.layers.Linear`."""
    import numpy as np

    from .layers import Linear

    if not _attempted(backward):
        return Feedback(False, [_TODO])
    if not callable(backward):
        return Feedback(False, ["Pass your function itself, e.g. "
                                f"`check_linear_backward(linear_backward)`, got "
                                f"{type(backward).__name__}."])
    rng = np.random.default_rng(5)
    for n, d_in, d_out in [(5, 4, 3), (1, 3, 2), (7, 2, 6)]:
        X, G = rng.standard_normal((n, d_in)), rng.standard_normal((n, d_out))
        layer = Linear(d_in, d_out, rng=rng)
        W = layer.W.value
        layer.forward(X)
        dX_right = layer.backward(G)
        right = {"dW": layer.W.grad, "db": layer.b.grad, "dX": dX_right}
        at = f"X of shape {X.shape}, W {W.shape}, G {G.shape}"
        args = (X.copy(), W.copy(), G.copy())
        got, error = _call(backward, *args)
        if error:
            hint = ""
            if any(s in error for s in ("matmul", "shapes", "align", "broadcast")):
                hint = (" Check the shapes: each gradient has the shape of its variable, and "
                        "there is one way to multiply X (N, d_in) or Wᵀ with G (N, d_out) "
                        "to get it.")
            return Feedback(False, [f"With {at}: {error}.{hint}"])
        if got is ... or (isinstance(got, (tuple, list)) and any(v is ... for v in got)):
            return Feedback(False, [_TODO])
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            return Feedback(False, [f"Return three arrays (dW, db, dX), got {got!r}."])
        if any(not np.array_equal(a, c) for a, c in zip((X, W, G), args, strict=True)):
            return Feedback(False, ["Your function changed X, W or G in place: compute new "
                                    "arrays instead."])
        try:
            got = dict(zip(("dW", "db", "dX"), (np.asarray(v, dtype=float) for v in got),
                           strict=True))
        except (TypeError, ValueError):
            return Feedback(False, ["dW, db and dX must be arrays of numbers."])
        problems = []
        wrong = {
            "dW": {"dW is (Xᵀ G)ᵀ = Gᵀ X, W's transpose: ∂E/∂W must have W's shape "
                   "(d_in, d_out), which Xᵀ G has.": G.T @ X,
                   "dW is Xᵀ G / N: do not divide by N. For a mean loss the 1/N is already "
                   "in G, and a layer cannot know how the loss was averaged.": X.T @ G / n,
                   "dW is (Σ_n x_n)ᵀ (Σ_n g_n), a product of sums; the gradient is the sum of the "
                   "products x_nᵀ g_n over the examples, Σ_n X_ni G_nj = (Xᵀ G)_ij.":
                       np.outer(X.sum(axis=0), G.sum(axis=0))},
            "db": {"db averages G over the rows; the bias is added to every row, so its "
                   "gradient is the sum of G's rows: G.sum(axis=0).": G.mean(axis=0),
                   "db sums G along axis 1 (over the outputs of one example); sum over "
                   "the examples instead, G.sum(axis=0), one entry per output.":
                       G.sum(axis=1)},
            "dX": {"dX is (G Wᵀ)ᵀ: ∂E/∂X must have X's shape (N, d_in), which G Wᵀ has.":
                       (G @ W.T).T,
                   "dX is G Wᵀ summed over the examples; each example keeps its own row, "
                   "dX = G Wᵀ.": (G @ W.T).sum(axis=0)},
        }
        for name in ("dW", "db", "dX"):
            value, target = got[name], right[name]
            if name == "db" and value.shape == (1, d_out):
                value = value.reshape(d_out)
            if value.shape == target.shape and _close(value, target):
                continue
            message = next((m for m, v in wrong[name].items()
                            if np.shape(v) == value.shape and _close(value, v)), None)
            if message is None:
                message = (f"{name} has shape {value.shape}, expected {target.shape}."
                           if value.shape != target.shape else
                           f"{name} has the right shape {target.shape} but wrong values.")
            problems.append(f"{message} (checked with {at}.)")
        if problems:
            return Feedback(False, problems)
    return Feedback(True, ["dW = Xᵀ G, db = G summed over rows, dX = G Wᵀ: the same numbers as "
                           "nnlib's Linear.backward, for batches of 5, 1 and 7 rows."])


def check_relu_variance_gain(gain) -> Feedback:
    """Exercise 5.3: ``gain(sigma2, fan_in)`` is the factor ``fan_in · σ² / 2`` by which one
    ``Linear`` + ``ReLU`` layer with weights of variance ``σ²`` multiplies ``Var(z)``."""
    import math

    if not _attempted(gain):
        return Feedback(False, [_TODO])
    if not callable(gain):
        return Feedback(False, [f"Pass your function itself, got {type(gain).__name__}."])
    cases = [(1.0, 256), (2 / 256, 256), (1 / 64, 64), (0.1, 10), (0.5, 3)]
    got = []
    for s2, d in cases:
        out, error = _call(gain, s2, d)
        if error:
            return Feedback(False, [f"gain({s2:g}, {d}): {error}."])
        if out is ...:
            return Feedback(False, [_TODO])
        value = _number(out)
        if value is None or isinstance(out, str):
            return Feedback(False, [f"gain({s2:g}, {d}) should return one number, got "
                                    f"{out!r}."])
        got.append(value)
    right = [d * s2 / 2 for s2, d in cases]
    if all(math.isclose(g, r, rel_tol=1e-9) for g, r in zip(got, right, strict=True)):
        return Feedback(True, ["gain = fan_in · σ² / 2: 128 for the notes' N(0, 1) with 256 "
                               "inputs (the std grows √128 ≈ 11.3× per layer), exactly 1 for "
                               "He's σ² = 2/fan_in."])
    variants = {
        "is fan_in · σ², twice too large: a ReLU zeroes the negative half of a symmetric z, "
        "so E[ReLU(z)²] = Var(z)/2.": [d * s2 for s2, d in cases],
        "is σ²/2 and misses fan_in: z sums fan_in products, and their variances add up.":
            [s2 / 2 for s2, d in cases],
        "is the factor for the standard deviation, √(fan_in σ²/2); the question asks for "
        "the variance.": [math.sqrt(r) for r in right],
        "treats sigma2 as a standard deviation; it is the variance σ² of the weights.":
            [d * math.sqrt(s2) / 2 for s2, d in cases],
        "is fan_in · σ² / 4: the halving by ReLU happens once, E[ReLU(z)²] = Var(z)/2.":
            [d * s2 / 4 for s2, d in cases],
    }
    k = next(i for i, (g, r) in enumerate(zip(got, right, strict=True))
             if not math.isclose(g, r, rel_tol=1e-9))
    at = f"gain({cases[k][0]:g}, {cases[k][1]}) = {got[k]:g}, expected {right[k]:g}"
    for message, values in variants.items():
        if all(math.isclose(g, v, rel_tol=1e-9) for g, v in zip(got, values, strict=True)):
            return Feedback(False, [f"{at}: your gain {message}"])
    return Feedback(False, [f"{at}. Var(z_j) = fan_in · σ² · E[a²], and for a ReLU of a "
                            "symmetric z, E[a²] = Var(z)/2."])


# <<end: ch05>>

# ---- section: ch06: convolutions ----
# The helpers _TODO, _attempted, _call, _number and _close come from the ch01 section.

CONV_SIZE_EXERCISE = ((28, 5, 1, 0), (28, 3, 2, 1), (32, 5, 1, 2), (8, 3, 2, 0), (600, 4, 4, 0))
"""Exercise 6.1 — ``(H, k, s, p)`` cases whose output size ``⌊(H + 2p − k)/s⌋ + 1`` is asked."""

EDGE_PATCH_EXERCISE = ((1, 2, 2, 1), (2, 5, 4, 2), (1, 4, 1, 1), (0, 2, 1, 0))
"""Exercise 6.2 — a 4×4 patch to convolve by hand with the notes' edge kernel ``E``."""

MAX_POOL_EXERCISE = ((3, 1, 0, 2), (4, 6, 5, 1), (0, 2, 7, 3), (1, 8, 2, 2))
"""Exercise 6.3 — a 4×4 grid to max-pool by hand with ``k = 2``, ``s = 2``."""


def _ch06_matrix(answer, shape: tuple[int, int], what: str):
    """``(array, None)`` for an answer that is an array of ``shape``, else ``(None, message)``."""
    import numpy as np

    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None, f"Give {what} as a nested list or array of numbers, got {answer!r}."
    if arr.shape != shape:
        return None, f"{what} has shape {shape}, got {arr.shape}."
    return arr, None


def _ch06_has_placeholder(answer) -> bool:
    """True for ``...`` or ``None``, also inside (nested) lists and tuples."""
    if not _attempted(answer):
        return True
    if isinstance(answer, (list, tuple)):
        return any(_ch06_has_placeholder(a) for a in answer)
    return False


def check_conv_output_sizes(sizes) -> Feedback:
    """Exercise 6.1: ``sizes[i]`` is the output size for :data:`CONV_SIZE_EXERCISE` ``[i]``."""
    import math

    import numpy as np

    if _ch06_has_placeholder(sizes):
        return Feedback(False, [_TODO])
    cases = CONV_SIZE_EXERCISE
    if isinstance(sizes, np.ndarray):
        sizes = sizes.tolist()
    if not isinstance(sizes, (list, tuple)) or len(sizes) != len(cases):
        return Feedback(False, [f"Give a list of {len(cases)} numbers, one output size per "
                                f"case (H, k, s, p) = {list(cases)}."])
    got = [_number(v) for v in sizes]
    if None in got or any(isinstance(v, str) for v in sizes):
        return Feedback(False, ["Each output size is one number (an integer)."])

    def every(f) -> list[float]:
        return [f(H, k, s, p) for H, k, s, p in cases]

    right = every(lambda H, k, s, p: (H + 2 * p - k) // s + 1)
    wrong = [i for i, (g, r) in enumerate(zip(got, right, strict=True)) if g != r]
    if not wrong:
        return Feedback(True, ["All right: ⌊(H + 2p − k)/s⌋ + 1. Note (8, 3, 2, 0): the last "
                               "column is never covered, and (32, 5, 1, 2): padding (k − 1)/2 "
                               "with stride 1 keeps the size."])
    # a wrong formula is recognised when it explains every wrong answer
    variants = {
        "the +1 is missing: the first window sits at position 0, and ⌊(H + 2p − k)/s⌋ "
        "counts the steps after it.": every(lambda H, k, s, p: (H + 2 * p - k) // s),
        "the padding is added on both sides, 2p, not once.":
            every(lambda H, k, s, p: (H + p - k) // s + 1),
        "round down, not up: a window that does not fit completely is not used.":
            every(lambda H, k, s, p: math.ceil((H + 2 * p - k) / s) + 1),
        "the size must be a whole number: round (H + 2p − k)/s down before adding 1.":
            every(lambda H, k, s, p: (H + 2 * p - k) / s + 1),
        "the stride is missing: with s > 1 the window jumps s pixels at a time, so "
        "divide by s.": every(lambda H, k, s, p: H + 2 * p - k + 1),
        "the padding is missing: add 2p to H.": every(lambda H, k, s, p: (H - k) // s + 1),
        "that is H/s, a rough guide only: the kernel size and the padding matter too.":
            every(lambda H, k, s, p: H / s),
    }
    listed = "; ".join(f"(H, k, s, p) = {cases[i]}: {got[i]:g}, expected {right[i]}"
                       for i in wrong)
    for message, values in variants.items():
        if all(got[i] == values[i] for i in wrong):
            return Feedback(False, [f"{listed}. Your formula: {message}"])
    return Feedback(False, [f"{listed}. Use ⌊(H + 2p − k)/s⌋ + 1 for each case."])


def check_edge_patch(answer) -> Feedback:
    """Exercise 6.2: ``answer`` is the 2×2 output of the edge kernel ``E`` on
    :data:`EDGE_PATCH_EXERCISE` (no padding, stride 1)."""
    import numpy as np

    from .conv import EDGE_KERNEL, convolve2d

    if _ch06_has_placeholder(answer):
        return Feedback(False, [_TODO])
    patch = np.array(EDGE_PATCH_EXERCISE, dtype=float)
    right = convolve2d(patch, EDGE_KERNEL)
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, [f"Give the output as a 2×2 nested list of numbers, got "
                                f"{answer!r}."])
    if arr.shape == (4, 4):
        return Feedback(False, ["Without padding a 3×3 window fits in only 2×2 positions of a "
                                "4×4 patch: the output is 2×2, ⌊(4 − 3)/1⌋ + 1 = 2."])
    arr, problem = _ch06_matrix(answer, (2, 2), "The output")
    if problem:
        return Feedback(False, [problem])
    if _close(arr, right):
        return Feedback(True, [f"Right: {right.astype(int).tolist()}. Top left: 8·5 minus the "
                               "8 neighbours (17) = 23; bottom right: 8·1 − 19 = −11, a dark "
                               "pixel among brighter ones gives a negative response."])
    windows = np.lib.stride_tricks.sliding_window_view(patch, (3, 3))
    centre, total = windows[..., 1, 1], windows.sum(axis=(-1, -2))
    variants = {
        "You added the neighbours instead of subtracting them: E has −1 around the 8.":
            8 * centre + (total - centre),
        "You multiplied the centre by 9; E's centre weight is 8 (9·centre − window sum is "
        "the same as 8·centre − neighbour sum, so check which sum you subtracted).":
            9 * centre - (total - centre),
        "The rows and columns are swapped: entry (i, j) is the window whose top-left "
        "corner is at row i, column j.": right.T,
        "Each entry has the wrong sign: the centre weight +8 is positive, the neighbours "
        "−1.": -right,
        "You averaged the neighbours; E subtracts their sum: 8·centre − Σ neighbours.":
            8 * centre - (total - centre) / 8,
    }
    for message, wrong in variants.items():
        if _close(arr, wrong):
            return Feedback(False, [message])
    bad = [f"({i}, {j}): {arr[i, j]:g}, expected {right[i, j]:g}"
           for i in range(2) for j in range(2) if not np.isclose(arr[i, j], right[i, j])]
    return Feedback(False, ["Wrong entries " + "; ".join(bad) + ". Each entry is 8 × the "
                            "centre of its 3×3 window minus the 8 other values."])


def check_max_pool(answer) -> Feedback:
    """Exercise 6.3: ``answer`` is :data:`MAX_POOL_EXERCISE` max-pooled with ``k = s = 2``."""
    import numpy as np

    if _ch06_has_placeholder(answer):
        return Feedback(False, [_TODO])
    grid = np.array(MAX_POOL_EXERCISE, dtype=float)
    blocks = grid.reshape(2, 2, 2, 2).swapaxes(1, 2)          # (row block, col block, 2, 2)
    right = blocks.max(axis=(2, 3))
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, [f"Give the output as a 2×2 nested list of numbers, got "
                                f"{answer!r}."])
    if arr.shape == (3, 3):
        return Feedback(False, ["That is stride 1 (overlapping windows, 3×3 output). With "
                                "s = 2 the windows sit side by side: 2×2 output."])
    if arr.shape == ():
        return Feedback(False, ["One number is a global max pooling; here each 2×2 block "
                                "gives its own maximum, so the output is 2×2."])
    arr, problem = _ch06_matrix(answer, (2, 2), "The output")
    if problem:
        return Feedback(False, [problem])
    if _close(arr, right):
        return Feedback(True, [f"Right: {right.astype(int).tolist()}. The 16 numbers became "
                               "4, each the largest of its block: the output halves in each "
                               "direction, a quarter of the area."])
    variants = {
        "These are the means of the blocks (average pooling); max pooling keeps the "
        "largest value of each block.": blocks.mean(axis=(2, 3)),
        "These are the minima of the blocks; max pooling keeps the largest value.":
            blocks.min(axis=(2, 3)),
        "Rows and columns are swapped: the top-right output comes from the top-right "
        "block.": right.T,
    }
    for message, wrong in variants.items():
        if _close(arr, wrong):
            return Feedback(False, [message])
    bad = [(i, j) for i in range(2) for j in range(2) if arr[i, j] != right[i, j]]
    return Feedback(False, [f"Each output entry is the maximum of one 2×2 block; check the "
                            f"entries {bad} (row, column of the output)."])


def check_convolve2d_loops(convolve) -> Feedback:
    """Exercise 6.4: ``convolve(image, kernel, stride, padding)`` written with loops must
    give the same numbers as :func:`nnlib.conv.convolve2d`."""
    import numpy as np

    from .conv import convolve2d

    if not _attempted(convolve):
        return Feedback(False, [_TODO])
    if not callable(convolve):
        return Feedback(False, ["Pass your function itself, e.g. "
                                f"`check_convolve2d_loops(my_convolve2d)`, got "
                                f"{type(convolve).__name__}."])
    rng = np.random.default_rng(6)
    cases = [((5, 5), 3, 1, 0), ((6, 7), 3, 1, 1), ((7, 6), 3, 2, 0), ((6, 7), 3, 2, 1),
             ((5, 4), 2, 3, 2)]
    for shape, k, s, p in cases:
        image = rng.integers(-3, 4, shape).astype(float)
        kernel = rng.integers(-2, 3, (k, k)).astype(float)
        while np.array_equal(kernel, kernel[::-1, ::-1]):      # so a flip is detectable
            kernel = rng.integers(-2, 3, (k, k)).astype(float)
        at = f"a {shape[0]}×{shape[1]} image, {k}×{k} kernel, stride {s}, padding {p}"
        got, error = _call(convolve, image.copy(), kernel.copy(), s, p)
        if error:
            return Feedback(False, [f"With {at}: {error}."])
        if got is ...:
            return Feedback(False, [_TODO])
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return Feedback(False, [f"Return an array of numbers, got {type(got).__name__}."])
        right = convolve2d(image, kernel, s, p)
        if got.shape == right.shape and _close(got, right):
            continue
        if got.shape != right.shape:
            hints = {convolve2d(image, kernel, 1, p).shape:
                     "the stride is ignored: step the window by s pixels",
                     convolve2d(image, kernel, s, 0).shape:
                     "the padding is missing: pad p zeros on every side first"}
            hint = hints.get(got.shape, "the output size is ⌊(H + 2p − k)/s⌋ + 1 per axis")
            return Feedback(False, [f"With {at} the output has shape {right.shape}, yours "
                                    f"{got.shape}: {hint}."])
        variants = {
            "Your function flips the kernel: that is the mathematical convolution. "
            "Deep-learning libraries (and nnlib) compute the cross-correlation "
            "Σ W[i, j] · x[h·s + i, w·s + j], without flipping.":
                convolve2d(image, kernel[::-1, ::-1], s, p),
            "The windows start at x[h + i] instead of x[h·s + i]: multiply the output "
            "index by the stride.":
                convolve2d(image, kernel, 1, p)[:right.shape[0], :right.shape[1]],
            "The kernel is transposed: W[i, j] multiplies the pixel i rows down and j "
            "columns right of the window's corner.": convolve2d(image, kernel.T, s, p),
        }
        for message, wrong in variants.items():
            if _close(got, wrong):
                return Feedback(False, [f"{message} (checked with {at}.)"])
        return Feedback(False, [f"With {at} the values differ from nnlib.conv.convolve2d "
                                f"(shape {right.shape} is right): check the sum over the "
                                "window and the zero padding."])
    return Feedback(True, ["Same numbers as nnlib.conv.convolve2d for 5 cases, with strides "
                           "1 to 3 and paddings 0 to 2. Your loops do k² multiply-adds per "
                           "output entry, exactly what Conv2D does in one vectorised step."])


# <<end: ch06>>

# ---- section: ch07: overfitting ----
# The helpers _TODO, _attempted, _call, _number and _close come from the ch01 section.

EARLY_STOPPING_CASES = (
    ((0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7), 3),
    ((0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7), 1),
    ((1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.8, 0.78, 0.9), 2),
    ((1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.8, 0.78, 0.9), 3),
    ((1.0, 0.8, 0.9, 0.85, 0.88, 0.86, 0.87, 0.83), 3),
    ((0.5, 0.5, 0.5, 0.4), 2),
    ((0.5, 0.4, 0.3), 2),
    ((0.3,), 1),
)
"""Exercise 7.1 — ``(validation losses per epoch, patience)`` pairs the check runs."""


def _early_stopping_reference(losses, patience: int, *, ties_improve: bool = False,
                              vs_previous: bool = False, extra_wait: int = 0):
    """``(stop_epoch, best_epoch)``, epochs from 1, as ``nnlib.training.EarlyStopping`` decides;
    the keyword arguments produce the typical mistakes."""
    best, best_epoch, wait, prev = float("inf"), 0, 0, float("inf")
    for epoch, loss in enumerate(losses, start=1):
        if vs_previous:                       # a common misreading: compare with the last epoch
            better = loss < prev
            if loss < best:
                best, best_epoch = loss, epoch
        else:
            better = loss <= best if ties_improve else loss < best
            if better:
                best, best_epoch = loss, epoch
        prev = loss
        wait = 0 if better else wait + 1
        if wait >= patience + extra_wait:
            return epoch, best_epoch
    return len(losses), best_epoch


def check_early_stopping(early_stop) -> Feedback:
    """Exercise 7.1: ``early_stop(val_losses, patience) -> (stop_epoch, best_epoch)``.

    Epochs count from 1. An epoch improves when its validation loss is below the best
    so far; training stops after ``patience`` epochs in a row without improvement (or
    when the list ends), and the best epoch is the one whose weights are kept.
    """
    if not _attempted(early_stop):
        return Feedback(False, [_TODO])
    if not callable(early_stop):
        return Feedback(False, [f"Pass your function itself, got {type(early_stop).__name__}."])
    got = []
    for losses, patience in EARLY_STOPPING_CASES:
        out, error = _call(early_stop, list(losses), patience)
        if error:
            return Feedback(False, [f"early_stop({list(losses)}, {patience}): {error}."])
        if out is ... or (isinstance(out, tuple) and any(v is ... for v in out)):
            return Feedback(False, [_TODO])
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            return Feedback(False, [f"Return the pair (stop_epoch, best_epoch), got {out!r}."])
        pair = tuple(_number(v) for v in out)
        if None in pair:
            return Feedback(False, [f"stop_epoch and best_epoch are integers, got {out!r}."])
        got.append(pair)

    def run(**kw) -> list[tuple[float, float]]:
        return [tuple(float(v) for v in _early_stopping_reference(losses, patience, **kw))
                for losses, patience in EARLY_STOPPING_CASES]

    right = run()
    if got == right:
        return Feedback(True, ["Right on all eight cases: compare with the best loss so far, "
                               "count the epochs without improvement, stop when the count "
                               "reaches the patience, and keep the best epoch's weights."])
    variants = {
        "Your epochs count from 0; the book counts them from 1 (epoch 1 is the first "
        "pass over the data), as `History.best_epoch` does.":
            [(s - 1, b - 1) for s, b in right],
        "You return (best_epoch, stop_epoch); the order is (stop_epoch, best_epoch).":
            [(b, s) for s, b in right],
        "A tie is no improvement: an epoch improves only if its loss is strictly below the "
        "best so far (`<`, not `<=`).": run(ties_improve=True),
        "Compare each loss with the best so far, not with the previous epoch: the "
        "validation loss can wobble down without beating the best.": run(vs_previous=True),
        "You wait one epoch too long: stop as soon as `patience` epochs in a row have not "
        "improved (the count reaches patience).": run(extra_wait=1),
        "You stop one epoch too early: stop when `patience` epochs in a row have not "
        "improved, not `patience - 1`.": run(extra_wait=-1),
        "You stop at the first epoch that does not improve: that ignores the patience.":
            [_early_stopping_reference(losses, 1) for losses, _ in EARLY_STOPPING_CASES],
    }
    for message, values in variants.items():
        if got == [tuple(float(v) for v in pair) for pair in values]:
            return Feedback(False, [message])
    k = next(i for i, (g, r) in enumerate(zip(got, right, strict=True)) if g != r)
    losses, patience = EARLY_STOPPING_CASES[k]
    return Feedback(False, [f"For val_losses = {list(losses)} and patience = {patience} the "
                            f"answer is (stop_epoch, best_epoch) = "
                            f"({right[k][0]:g}, {right[k][1]:g}), yours is "
                            f"({got[k][0]:g}, {got[k][1]:g}). Walk through the list epoch by "
                            "epoch, keeping the best loss and the count of epochs since it."])


WEIGHT_DECAY_EXERCISE = {"W": ((0.5, -1.0), (2.0, 0.0)), "b": (0.5, -0.5),
                         "grad_W": ((0.1, 0.2), (-0.3, 0.0)), "grad_b": (0.2, 0.1),
                         "lr": 0.1, "lam": 0.5}
"""Exercise 7.2 — one SGD step with weight decay ``λ`` on a layer's ``W`` and ``b``."""


def _weight_decay_reference(*, two: float = 2.0, decay_b: bool = False, sign: float = 1.0,
                            lr_on_decay: bool = True, grad: bool = True):
    """``(W_new, b_new)`` of one SGD step with weight decay, and the typical mistakes."""
    import numpy as np

    ex = WEIGHT_DECAY_EXERCISE
    W, b = np.array(ex["W"]), np.array(ex["b"])
    gW, gb = np.array(ex["grad_W"]), np.array(ex["grad_b"])
    lr, lam = ex["lr"], ex["lam"]
    shrink = 1 - two * lam * (lr if lr_on_decay else 1.0)
    W_new = shrink * W - sign * lr * gW * grad
    b_new = (shrink * b if decay_b else b) - sign * lr * gb * grad
    return W_new, b_new


def check_weight_decay_step(answer) -> Feedback:
    """Exercise 7.2: ``answer = (W_new, b_new)`` after one step of ``SGD(lr=η,
    weight_decay=λ)`` from :data:`WEIGHT_DECAY_EXERCISE`, computed by hand."""
    import numpy as np

    if not _attempted(answer) or (isinstance(answer, (tuple, list))
                                  and any(v is ... for v in answer)):
        return Feedback(False, [_TODO])
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Feedback(False, [f"Give the pair (W_new, b_new), got {answer!r}."])
    try:
        W_new, b_new = (np.asarray(v, dtype=float) for v in answer)
    except (TypeError, ValueError):
        return Feedback(False, ["W_new and b_new must be arrays (or nested lists) of numbers, "
                                f"got {answer!r}."])
    if W_new.shape != (2, 2) or b_new.shape != (2,):
        return Feedback(False, [f"W_new has the shape of W, (2, 2), and b_new that of b, (2,); "
                                f"got {W_new.shape} and {b_new.shape}."])
    W_right, b_right = _weight_decay_reference()
    problems = []
    if not np.allclose(W_new, W_right, rtol=1e-9, atol=1e-9):
        variants = {
            "The gradient of λ Σ w² is 2λw, not λw: W shrinks by the factor 1 − 2ηλ = 0.9, "
            "not 1 − ηλ.": _weight_decay_reference(two=1.0)[0],
            "You step uphill: w ← w − η (g + 2λw), with a minus in front of η.":
                _weight_decay_reference(sign=-1.0)[0],
            "The decay term is part of the gradient, so it is multiplied by η too: the factor "
            "is 1 − 2ηλ, not 1 − 2λ.": _weight_decay_reference(lr_on_decay=False)[0],
            "You applied the decay but forgot the data gradient −η g.":
                _weight_decay_reference(grad=False)[0],
            "You took the plain SGD step without the decay: add 2λw to the gradient.":
                _weight_decay_reference(two=0.0)[0],
        }
        message = next((m for m, v in variants.items()
                        if np.allclose(W_new, v, rtol=1e-9, atol=1e-9)),
                       "W_new is not right: W_new = (1 − 2ηλ) W − η ∂E/∂W; check each entry.")
        problems.append(message)
    if not np.allclose(b_new, b_right, rtol=1e-9, atol=1e-9):
        if np.allclose(b_new, _weight_decay_reference(decay_b=True)[1], rtol=1e-9, atol=1e-9):
            problems.append("The bias is not decayed (its Parameter has decay=False): "
                            "b_new = b − η ∂E/∂b.")
        elif np.allclose(b_new, _weight_decay_reference(sign=-1.0)[1], rtol=1e-9, atol=1e-9):
            problems.append("b_new steps uphill: b − η ∂E/∂b, with a minus.")
        else:
            problems.append("b_new is not right: the bias takes the plain step b − η ∂E/∂b.")
    return _verdict(problems, "W_new = 0.9 W − 0.1 ∂E/∂W and b_new = b − 0.1 ∂E/∂b: the weights "
                              "shrink by 1 − 2ηλ = 0.9 before the data gradient acts, the bias "
                              "does not.")


def check_inverted_dropout(dropout) -> Feedback:
    """Exercise 7.3: ``dropout(x, p, rng, training) -> out``, inverted dropout.

    In training each entry is zeroed with probability ``p`` (drawn from ``rng``) and the
    others are divided by ``1 − p``; in evaluation ``out`` is ``x`` itself.
    """
    import numpy as np

    if not _attempted(dropout):
        return Feedback(False, [_TODO])
    if not callable(dropout):
        return Feedback(False, [f"Pass your function itself, got {type(dropout).__name__}."])
    x = np.random.default_rng(7).uniform(0.5, 1.5, size=(100, 100))
    p = 0.25

    def call(x_in, p_in, seed, training):
        args = (x_in.copy(), p_in, np.random.default_rng(seed), training)
        out, error = _call(dropout, *args)
        if error:
            return None, f"dropout(x, p={p_in}, rng, training={training}): {error}."
        if out is ...:
            return None, _TODO
        if not np.array_equal(args[0], x_in):
            return None, ("Your function changed x in place (e.g. `x[mask] = 0` or "
                          "`x *= ...`): return a new array.")
        try:
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            return None, f"Return an array of numbers, got {type(out).__name__}."
        if out.shape != x_in.shape:
            return None, f"The output must have the shape of x, {x_in.shape}, got {out.shape}."
        return out, None

    out_eval, error = call(x, p, 0, False)
    if error:
        return Feedback(False, [error])
    if not np.array_equal(out_eval, x):
        if np.allclose(out_eval, (1 - p) * x):
            return Feedback(False, ["In evaluation you scale by 1 − p: that is the old, "
                                    "non-inverted dropout. Inverted dropout scales in training, "
                                    "so evaluation returns x unchanged."])
        if np.any(out_eval == 0):
            return Feedback(False, ["In evaluation (training=False) nothing is dropped: "
                                    "return x unchanged."])
        return Feedback(False, ["In evaluation (training=False) dropout is the identity: "
                                "return x unchanged."])
    out, error = call(x, p, 0, True)
    if error:
        return Feedback(False, [error])
    dropped = out == 0
    frac = float(dropped.mean())
    kept = out[~dropped] / x[~dropped]
    # 10 000 entries: the dropped fraction has std sqrt(p(1-p)/10000) ≈ 0.004; 0.03 is 7 std
    if abs(frac - (1 - p)) < 0.03:
        return Feedback(False, [f"You drop {frac:.0%} of the entries with p = {p}: p is the "
                                "probability to DROP an entry, keep it with probability 1 − p "
                                "(e.g. `rng.random(x.shape) >= p`)."])
    if frac == 0:
        return Feedback(False, ["Nothing was dropped in training mode: zero each entry with "
                                "probability p, e.g. with `rng.random(x.shape) >= p` as the "
                                "keep mask."])
    if abs(frac - p) > 0.03:
        return Feedback(False, [f"You drop {frac:.1%} of the entries; with p = {p} about "
                                f"{p:.0%} should be zero."])
    if np.allclose(kept, 1.0):
        return Feedback(False, ["The kept entries are unchanged: inverted dropout divides them "
                                "by 1 − p, so that the expected output equals x (and "
                                "evaluation can return x as it is)."])
    if np.allclose(kept, 1 - p):
        return Feedback(False, ["You multiply the kept entries by 1 − p: divide by it instead, "
                                "so that the expected output E[out] = (1 − p) · x/(1 − p) = x."])
    if not np.allclose(kept, 1 / (1 - p)):
        return Feedback(False, ["Every kept entry must be x / (1 − p); yours are scaled by "
                                f"factors from {kept.min():.3g} to {kept.max():.3g}."])
    again, _ = call(x, p, 0, True)
    other, _ = call(x, p, 1, True)
    if again is None or not np.array_equal(again, out) or np.array_equal(other, out):
        return Feedback(False, ["Draw the mask from the `rng` argument (`rng.random(...)`), not "
                                "from np.random or a fixed seed: the same rng must give the same "
                                "mask and another rng another mask."])
    out0, error = call(x, 0.0, 0, True)
    if error or not np.allclose(out0, x):
        return Feedback(False, [error or "With p = 0 nothing is dropped and nothing scaled: "
                                         "out must equal x."])
    return Feedback(True, [f"Inverted dropout: {frac:.1%} of the entries dropped (p = {p}), the "
                           f"rest scaled by 1/(1 − p) = {1 / (1 - p):.4g}, so the mean of the "
                           f"output, {out.mean():.4f}, stays close to that of x, "
                           f"{x.mean():.4f}; evaluation is the identity."])


LAMBDA_TABLE = {"lam": (0.0, 1e-4, 1e-3, 1e-2, 1e-1),
                "train": (0.0079, 0.0084, 0.0132, 0.0851, 0.8010),
                "val": (0.2909, 0.2897, 0.2823, 0.3127, 0.9450),
                "test": (0.3149, 0.3138, 0.3069, 0.3375, 0.9670)}
"""Exercise 7.4 — mean cross-entropy of a 64-128-10 ReLU network trained on 200 digits with
five values of λ, as :func:`lambda_table_digits` computes it (rounded to 4 decimals)."""


def lambda_table_digits(lams=LAMBDA_TABLE["lam"]) -> dict:
    """Recompute :data:`LAMBDA_TABLE`: for each λ, train a 64 → 128 → 10 ReLU network on
    the first 200 training digits of ``train_val_test_split(*digits(), rng=0)`` (pixels
    standardised) with ``SGD(lr=0.1, weight_decay=λ)``, B = 20, 60 epochs, and measure the
    mean cross-entropy on the three sets. Takes a few seconds.

    Returns
    -------
    dict with tuples ``lam``, ``train``, ``val``, ``test``
    """
    from .activations import ReLU
    from .data import Standardizer, digits, train_val_test_split
    from .layers import Linear, Sequential
    from .losses import SoftmaxCrossEntropy
    from .optim import SGD
    from .training import evaluate, fit

    X_train, y_train, X_val, y_val, X_test, y_test = train_val_test_split(*digits(), rng=0)
    X_train, y_train = X_train[:200], y_train[:200]
    scaler = Standardizer().fit(X_train)
    X_train, X_val, X_test = (scaler.transform(A) for A in (X_train, X_val, X_test))
    loss = SoftmaxCrossEntropy()
    table: dict = {"lam": [], "train": [], "val": [], "test": []}
    for lam in lams:
        net = Sequential(Linear(64, 128, rng=0), ReLU(), Linear(128, 10, rng=1))
        fit(net, loss, SGD(net.parameters(), lr=0.1, weight_decay=lam), X_train, y_train,
            epochs=60, batch_size=20, rng=0)
        table["lam"].append(float(lam))
        for name, (Xs, ys) in (("train", (X_train, y_train)), ("val", (X_val, y_val)),
                               ("test", (X_test, y_test))):
            table[name].append(evaluate(net, loss, Xs, ys)[0])
    return {k: tuple(v) for k, v in table.items()}


def check_choose_lambda(answer) -> Feedback:
    """Exercise 7.4: ``answer = (λ, loss to report)`` from :data:`LAMBDA_TABLE`: the λ the
    validation set picks, and the estimate of the error on new data to report for it."""
    if not _attempted(answer) or (isinstance(answer, (tuple, list))
                                  and any(v is ... for v in answer)):
        return Feedback(False, [_TODO])
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Feedback(False, [f"Give two numbers, (λ, loss to report), got {answer!r}."])
    lam, loss = (_number(v) for v in answer)
    if lam is None or loss is None:
        return Feedback(False, [f"λ and the loss are single numbers, got {answer!r}."])
    t = LAMBDA_TABLE
    k_val = min(range(5), key=lambda i: t["val"][i])
    problems = []
    if not any(abs(lam - v) <= 1e-12 for v in t["lam"]):
        problems.append(f"Choose λ among the values tried, {list(t['lam'])}.")
    elif abs(lam - t["lam"][k_val]) > 1e-12:
        k = next(i for i, v in enumerate(t["lam"]) if abs(lam - v) <= 1e-12)
        if k == min(range(5), key=lambda i: t["train"][i]):
            problems.append("The training loss always prefers the smallest λ: the penalty can "
                            "only cost training fit. Choose by the validation loss.")
        elif k == min(range(5), key=lambda i: t["test"][i]):
            problems.append("That λ has the lowest TEST loss: choosing by it uses the test set "
                            "for a decision, and then its loss no longer estimates the error on "
                            "new data. Choose by the validation loss.")
        else:
            problems.append(f"λ = {lam:g} does not have the lowest validation loss.")
    if abs(loss - t["test"][k_val]) > 1e-12:
        match = [name for name in ("train", "val") if any(abs(loss - v) <= 1e-12
                                                          for v in t[name])]
        if "val" in match:
            problems.append("The validation loss of the chosen λ is optimistic: we picked the "
                            "λ that happens to look best on the validation set. Report the "
                            "test loss of the chosen λ, the one number the choice never saw.")
        elif "train" in match:
            problems.append("The training loss measures fit to data the network has seen; "
                            "report the test loss of the chosen λ.")
        elif any(abs(loss - v) <= 1e-12 for v in t["test"]):
            problems.append("Report the test loss of the λ you chose, from the same row.")
        else:
            problems.append("Report a loss from the table: the test loss of the chosen λ.")
    return _verdict(problems, f"λ = {t['lam'][k_val]:g} has the lowest validation loss, and its "
                              f"test loss {t['test'][k_val]:g} is the honest estimate of the "
                              "loss on new data. (The notes' λ = 0.01 would be worse here than "
                              "no weight decay at all.)")


# <<end: ch07>>

# ---- section: ch08: cross-entropy ----
# The helpers _TODO, _attempted, _call, _number and _close come from the ch01 section.


def _ch08_run(fn, *args):
    """Call a reader's function with numpy's warnings silenced (the check explains instead).

    Returns ``(result as float array or None, error message or None)``.
    """
    import numpy as np

    with np.errstate(all="ignore"):
        out, error = _call(fn, *(a.copy() if isinstance(a, np.ndarray) else a for a in args))
    if error:
        return None, error
    if out is ...:
        return None, _TODO
    try:
        return np.asarray(out, dtype=float), None
    except (TypeError, ValueError):
        return None, f"return an array of numbers, got {type(out).__name__}"


def check_stable_softmax(softmax_fn) -> Feedback:
    """Exercise 8.1: ``softmax_fn(s)`` returns the softmax of each row of ``s (N, K)``,
    finite for scores of any size."""
    import numpy as np

    from .activations import softmax

    if not _attempted(softmax_fn):
        return Feedback(False, [_TODO])
    if not callable(softmax_fn):
        return Feedback(False, [f"Pass your function itself, got {type(softmax_fn).__name__}."])
    rng = np.random.default_rng(8)
    cases = [("small scores", np.array([[2.0, 1.0, 0.1]])),
             ("a random batch", rng.standard_normal((5, 4))),
             ("large scores", np.array([[1000.0, 1001.0, 1002.0]])),
             ("very negative scores", np.array([[-1000.0, -1001.0, -1002.0]])),
             ("rows of very different size", np.array([[0.0, 1.0, 2.0],
                                                        [1000.0, 1001.0, 1002.0]]))]
    for what, s in cases:
        what = f"{what} {s.tolist()}" if s.size <= 6 else f"{what} of shape {s.shape}"
        out, error = _ch08_run(softmax_fn, s)
        if error:
            return Feedback(False, [error if error == _TODO else f"On {what}: {error}."])
        right = softmax(s, axis=1)
        if out.shape != s.shape:
            return Feedback(False, [f"The output must have the shape of the scores, {s.shape}, "
                                    f"got {out.shape}."])
        if not np.all(np.isfinite(out)):
            row = int(np.argmax(~np.all(np.isfinite(out), axis=1)))
            if s.shape[0] > 1:          # only the small row fails: one maximum for all rows
                hint = ("subtract each row's own maximum (`np.max(s, axis=1, keepdims=True)`), "
                        "not the maximum of the whole array: shifted by 1002, the small row "
                        "underflows to 0/0")
            elif s[row].max() > 700:
                hint = ("exp(1000) overflows to inf, and inf/inf is nan: subtract the row's "
                        "maximum first, which changes nothing mathematically")
            else:
                hint = ("exp(−1000) underflows to 0, and 0/0 is nan: subtract the row's "
                        "maximum, so that the largest term is e⁰ = 1")
            return Feedback(False, [f"Your softmax returns {out[row].tolist()} for the row "
                                    f"{s[row].tolist()}: {hint}."])
        if np.allclose(out.sum(axis=0), 1) and not np.allclose(out.sum(axis=1), 1):
            return Feedback(False, ["Your columns sum to 1: normalise each row instead, "
                                    "`e / e.sum(axis=1, keepdims=True)` (one example per row)."])
        if not np.allclose(out, right, rtol=1e-9, atol=1e-12):
            if np.allclose(out.sum(axis=1), 1):
                return Feedback(False, [f"On {what} the rows sum to 1 but the values differ "
                                        "from e^sⱼ / Σₖ e^sₖ by up to "
                                        f"{np.max(np.abs(out - right)):.3g}."])
            return Feedback(False, [f"On {what} each row must sum to 1; yours sum to "
                                    f"{np.round(out.sum(axis=1), 4).tolist()}."])
    return Feedback(True, ["Right, and finite for scores of any size: subtracting each row's "
                           "maximum keeps every exponent ≤ 0 and the denominator ≥ 1."])


CE_EXERCISE = {"probs": ((0.7, 0.2, 0.1), (0.1, 0.8, 0.1)), "labels": (1, 1)}
"""Exercise 8.2 — predicted probabilities of two examples and their true classes."""


def check_cross_entropy_value(answer) -> Feedback:
    """Exercise 8.2: ``answer`` is ``E_in``, the mean cross-entropy (natural log) of the
    predictions in :data:`CE_EXERCISE`."""
    import math

    if not _attempted(answer):
        return Feedback(False, [_TODO])
    value = _number(answer)
    if value is None or isinstance(answer, str):
        return Feedback(False, [f"E_in is one number, got {answer!r}."])
    P, labels = CE_EXERCISE["probs"], CE_EXERCISE["labels"]
    n = len(P)
    right = -sum(math.log(P[i][c]) for i, c in enumerate(labels)) / n
    if abs(value - right) < 1e-4:
        terms = " + ".join(f"(−ln {P[i][c]:g})" for i, c in enumerate(labels))
        return Feedback(True, [f"E_in = ({terms}) / {n} = {right:.4f}. Only the probability of "
                               "the true class counts: the right prediction (0.8) costs "
                               f"{-math.log(0.8):.3f}, the wrong one (0.2 for the true class) "
                               f"{-math.log(0.2):.3f}."])
    pred = [max(range(3), key=lambda j: row[j]) for row in P]
    variants = {
        "You summed the two losses: E_in is their mean, divide by n = 2.":
            -sum(math.log(P[i][c]) for i, c in enumerate(labels)),
        "That is in bits (log₂): the loss uses the natural logarithm ln.":
            -sum(math.log2(P[i][c]) for i, c in enumerate(labels)) / n,
        "The sign: L = −ln p, which is ≥ 0 because ln p ≤ 0.":
            sum(math.log(P[i][c]) for i, c in enumerate(labels)) / n,
        "You used the probability of the predicted class (the largest one); the loss uses "
        "the probability of the TRUE class, given by the label.":
            -sum(math.log(P[i][pred[i]]) for i in range(n)) / n,
        "You added −ln pⱼ over all classes; a one-hot target keeps only the true class: "
        "L = −Σⱼ yⱼ ln pⱼ = −ln p_true.":
            -sum(math.log(p) for row in P for p in row) / n,
        "The labels count from 0: label 1 is the second entry of each row.":
            -sum(math.log(P[i][c - 1]) for i, c in enumerate(labels)) / n,
        "That is the loss of the first example only; E_in averages over both.":
            -math.log(P[0][labels[0]]),
    }
    for message, v in variants.items():
        if abs(value - v) < 1e-4:
            return Feedback(False, [message])
    return Feedback(False, [f"E_in = {value:g} is not right: for each example take −ln of the "
                            "probability of its true class, then average."])


def check_softmax_ce_grad(grad_fn) -> Feedback:
    """Exercise 8.3: ``grad_fn(scores, labels)`` returns ``∂E_in/∂scores`` of the mean
    softmax cross-entropy over the batch, ``(softmax(scores) − Y) / N``."""
    import numpy as np

    from .activations import softmax

    if not _attempted(grad_fn):
        return Feedback(False, [_TODO])
    if not callable(grad_fn):
        return Feedback(False, [f"Pass your function itself, got {type(grad_fn).__name__}."])
    rng = np.random.default_rng(9)
    cases = [(rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])),
             (3 * rng.standard_normal((6, 5)), np.array([4, 0, 0, 3, 1, 2])),
             (np.array([[1000.0, 0.0, -1000.0]]), np.array([2]))]
    for s, labels in cases:
        out, error = _ch08_run(grad_fn, s, labels)
        if error:
            return Feedback(False, [error if error == _TODO else
                                    f"On scores of shape {s.shape}: {error}."])
        n, k = s.shape
        if out.shape != s.shape:
            return Feedback(False, [f"The gradient has the shape of the scores, {s.shape}, "
                                    f"got {out.shape}."])
        P, Y = softmax(s, axis=1), np.eye(k)[labels]
        right = (P - Y) / n
        if np.allclose(out, right, rtol=1e-7, atol=1e-12):
            continue
        if not np.all(np.isfinite(out)):
            return Feedback(False, [f"For the scores {s.tolist()} your gradient is "
                                    f"{out.tolist()}: compute softmax with the maximum "
                                    "subtracted; p − y itself is always between −1 and 1."])
        variants = {
            "E_in is the MEAN over the batch: divide p − y by N.": P - Y,
            "The sign: the gradient is p − y (it pushes the true class's score up when "
            "stepping against it), not y − p.": (Y - P) / n,
            "You return p / N: subtract the one-hot target y (1 at the true class).": P / n,
            "You subtract y from every column: y is one-hot, 1 only at the true class of "
            "each row.": (P - 1) / n,
        }
        for message, v in variants.items():
            if np.allclose(out, v, rtol=1e-7, atol=1e-12):
                return Feedback(False, [message])
        return Feedback(False, [f"For scores of shape {s.shape} your gradient differs from "
                                "(softmax(s) − Y) / N by up to "
                                f"{np.max(np.abs(out - right)):.3g}."])
    return Feedback(True, ["∂E_in/∂s = (softmax(s) − Y)/N, equal to the numerical gradient of "
                           "SoftmaxCrossEntropy and finite even for scores of ±1000."])


TARGETS_EXERCISE = (
    ("a: photo tags [cat, dog, car]", ((1, 1, 0), (0, 0, 1), (1, 0, 0))),
    ("b: digit classes as one-hot rows", ((0, 0, 1, 0), (1, 0, 0, 0), (0, 0, 0, 1))),
    ("c: integer labels", (3, 0, 7, 7, 1)),
    ("d: symptoms present [fever, cough, rash]", ((0, 0, 0), (1, 0, 0), (0, 1, 0))),
    ("e: genres of a film [action, comedy, drama]", ((0, 1, 0), (1, 0, 0), (0, 0, 1))),
)
"""Exercise 8.4 — five target sets; the last one only looks multi-class (see the check)."""
_TARGET_KINDS = ("multi-label", "multi-class", "multi-class", "multi-label", "multi-label")
_TARGET_WHY = (
    "a has rows with two ones (a cat and a dog in one photo): multi-label, a sigmoid per tag.",
    "b has exactly one 1 per row: multi-class, softmax + cross-entropy.",
    "c gives one integer class per example: multi-class (the labels are one-hot rows in "
    "disguise).",
    "d has a row of zeros (no symptom at all): a softmax must put probability 1 somewhere, "
    "so this is multi-label, one yes/no per symptom.",
    "e happens to show one genre per film in these rows, but a film can be an action comedy: "
    "the question, not the sample, decides. Genres are multi-label.",
)


def check_multi_label(answer) -> Feedback:
    """Exercise 8.4: ``answer`` is a list of five strings, ``"multi-class"`` or
    ``"multi-label"``, one per target set of :data:`TARGETS_EXERCISE`."""
    if not _attempted(answer) or (isinstance(answer, (list, tuple))
                                  and any(a is ... for a in answer)):
        return Feedback(False, [_TODO])
    if not isinstance(answer, (list, tuple)) or len(answer) != len(_TARGET_KINDS):
        return Feedback(False, [f"Give a list of {len(_TARGET_KINDS)} answers, one per target "
                                f"set a–e, got {answer!r}."])
    problems = []
    for i, (given, right) in enumerate(zip(answer, _TARGET_KINDS, strict=True)):
        word = str(given).strip().lower().replace("_", "-").replace(" ", "-")
        if word not in ("multi-class", "multi-label"):
            problems.append(f"Answer {'abcde'[i]}: write \"multi-class\" or \"multi-label\", "
                            f"got {given!r}.")
        elif word != right:
            problems.append(_TARGET_WHY[i])
    return _verdict(problems, "All five right. Multi-class: exactly one class per example "
                              "(softmax + cross-entropy). Multi-label: any number of labels, "
                              "zero included (a sigmoid and a binary cross-entropy per label).")


# <<end: ch08>>

# ---- section: ch09: putting it together ----
# The helpers _TODO, _attempted, _call and _ch03_function come from the ch01 and ch03
# sections. Confusion matrices have the true class in rows, the predicted one in columns.


def _ch09_array(out, shape: tuple[int, ...], what: str):
    """``(out as a float array, None)`` or ``(None, message)`` if it is not ``shape``."""
    import numpy as np

    if out is ...:
        return None, _TODO
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return None, f"Return {what} as an array of numbers, got {type(out).__name__}."
    if arr.shape != shape:
        return None, f"Return {what} of shape {shape}, got shape {arr.shape}."
    return arr, None


def _ch09_confusion_cases():
    """``(y_true, y_pred, K)`` cases: by hand, with a class absent from both, random."""
    import numpy as np

    rng = np.random.default_rng(9)
    y_true = rng.integers(0, 10, 200)
    y_pred = np.where(rng.random(200) < 0.8, y_true, rng.integers(0, 10, 200))
    return [(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3),
            (np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), 4),
            (y_true, y_pred, 10)]


def check_confusion_matrix(fn) -> Feedback:
    """Exercise 9.1: ``fn(y_true, y_pred, num_classes)`` must return the ``(K, K)`` matrix
    whose entry ``[i, j]`` counts the examples of true class ``i`` predicted as ``j``."""
    import numpy as np

    from .training import confusion_matrix

    not_ready = _ch03_function(fn, "check_confusion_matrix")
    if not_ready is not None:
        return not_ready
    for y_true, y_pred, k in _ch09_confusion_cases():
        args = (y_true.copy(), y_pred.copy(), k)
        out, error = _call(fn, *args)
        if error:
            return Feedback(False, [error + "."])
        if not (np.array_equal(args[0], y_true) and np.array_equal(args[1], y_pred)):
            return Feedback(False, ["Your function changed y_true or y_pred in place: count "
                                    "into a new array instead."])
        right = confusion_matrix(y_true, y_pred, k)
        shape = np.shape(out) if isinstance(out, (list, tuple, np.ndarray)) else ()
        if len(shape) == 2 and shape[0] == shape[1] != k:
            return Feedback(False, [f"With num_classes = {k} the matrix is {k} x {k} even when "
                                    f"a class never occurs (here labels go up to "
                                    f"{max(y_true.max(), y_pred.max())}), got shape "
                                    f"{shape}: use num_classes, not the labels seen."])
        cm, problem = _ch09_array(out, right.shape, "the matrix")
        if problem:
            return Feedback(False, [problem])
        if np.array_equal(cm, right):
            continue
        if np.array_equal(cm, right.T):
            return Feedback(False, ["Rows and columns are swapped: row i is the TRUE class i "
                                    "and column j the PREDICTED class j, so C[y_true, y_pred] "
                                    "+= 1."])
        if np.allclose(cm, right / np.maximum(right.sum(axis=1, keepdims=True), 1)):
            return Feedback(False, ["Your rows sum to 1: return the counts, not fractions."])
        if np.array_equal(cm, np.diag(np.diag(right))):
            return Feedback(False, ["Only the correct predictions are counted: every example "
                                    "adds 1 to C[true, predicted], the mistakes off the "
                                    "diagonal too."])
        if np.array_equal(np.clip(cm, 0, 1), np.clip(right, 0, 1)) and cm.max() <= 1:
            return Feedback(False, ["Each entry is 0 or 1: with fancy indexing `C[t, p] += 1` "
                                    "a repeated pair counts once. Use np.add.at(C, (t, p), 1) "
                                    "or a loop."])
        if cm.sum() != right.sum():
            return Feedback(False, [f"For {len(y_true)} examples the entries must add up to "
                                    f"{len(y_true)}, yours add up to {cm.sum():g}."])
        i, j = np.argwhere(cm != right)[0]
        return Feedback(False, [f"For y_true = {y_true.tolist()[:12]}, y_pred = "
                                f"{y_pred.tolist()[:12]}{'…' if len(y_true) > 12 else ''}: "
                                f"C[{i}, {j}] should be {right[i, j]}, yours is {cm[i, j]:g}."])
    return Feedback(True, ["Your matrix equals nnlib.training.confusion_matrix on all three "
                           "cases, including a class that never occurs."])


def _ch09_pr_cases():
    """Confusion matrices: one with a class never predicted, one with a class never seen."""
    import numpy as np

    return [np.array([[5, 1, 0], [2, 6, 0], [1, 1, 0]]),
            np.array([[8, 2, 0, 0], [1, 9, 0, 0], [0, 0, 0, 0], [0, 3, 1, 4]])]


def check_precision_recall(fn) -> Feedback:
    """Exercise 9.2: ``fn(cm)`` must return ``(precision, recall)``, arrays of shape
    ``(K,)`` with ``recall[i] = C[i, i] / Σ_j C[i, j]`` (of the examples of class ``i``,
    the fraction found) and ``precision[j] = C[j, j] / Σ_i C[i, j]`` (of the predictions
    ``j``, the fraction right); 0 where the denominator is 0."""
    import numpy as np

    not_ready = _ch03_function(fn, "check_precision_recall")
    if not_ready is not None:
        return not_ready
    for cm in _ch09_pr_cases():
        with np.errstate(divide="ignore", invalid="ignore"):   # 0/0 is reported below
            out, error = _call(fn, cm.copy())
        if error:
            return Feedback(False, [error + "."])
        if out is ...:
            return Feedback(False, [_TODO])
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            return Feedback(False, [f"Return two arrays, (precision, recall), got "
                                    f"{type(out).__name__}."])
        k = cm.shape[0]
        precision, problem = _ch09_array(out[0], (k,), "precision")
        recall, problem2 = _ch09_array(out[1], (k,), "recall")
        if problem or problem2:
            return Feedback(False, [problem or problem2])
        diag = np.diag(cm).astype(float)
        rows, cols = cm.sum(axis=1), cm.sum(axis=0)
        right_r = np.divide(diag, rows, out=np.zeros(k), where=rows > 0)
        right_p = np.divide(diag, cols, out=np.zeros(k), where=cols > 0)
        if np.isnan(precision).any() or np.isnan(recall).any():
            empty = [f"class {j} is never predicted (column {j} sums to 0)"
                     for j in range(k) if cols[j] == 0]
            empty += [f"class {i} never occurs (row {i} sums to 0)"
                      for i in range(k) if rows[i] == 0]
            return Feedback(False, [f"Your result holds nan: {'; '.join(empty)}, so 0/0. "
                                    "Define it as 0 (e.g. np.divide(..., out=np.zeros(K), "
                                    "where=denominator > 0))."])
        if np.allclose(precision, right_p) and np.allclose(recall, right_r):
            continue
        if np.allclose(precision, right_r) and np.allclose(recall, right_p):
            return Feedback(False, ["Precision and recall are swapped: recall divides by the "
                                    "row sums (all examples of the class), precision by the "
                                    "column sums (all predictions of the class)."])
        acc = diag.sum() / cm.sum()
        if np.allclose(recall, acc) or np.allclose(precision, acc):
            return Feedback(False, [f"That is the overall accuracy {acc:.4f} for every class: "
                                    "divide each class's diagonal entry by its own row or "
                                    "column sum."])
        which, got, want = (("precision", precision, right_p)
                            if not np.allclose(precision, right_p) else
                            ("recall", recall, right_r))
        j = int(np.argmax(~np.isclose(got, want)))
        return Feedback(False, [f"For cm = {cm.tolist()}: {which}[{j}] should be "
                                f"{want[j]:.4f}, yours is {got[j]:.4f}."])
    return Feedback(True, ["Right, including the class that is never predicted and the one "
                           "that never occurs (0 by convention, where 0/0 has no value)."])


def _ch09_confused_cases():
    """Matrices where the largest single error and the most confused pair differ."""
    import numpy as np

    a = np.diag([30, 31, 29, 33, 35])
    a[2, 4], a[1, 3], a[3, 1], a[0, 2] = 4, 3, 3, 1        # pair {1, 3}: 6, largest entry: 4
    b = np.diag([20, 18, 25, 22])
    b[3, 0], b[0, 3], b[2, 1] = 2, 2, 3                    # pair {0, 3}: 4, largest entry: 3
    c = np.diag([10, 12, 11])
    c[2, 1], c[1, 2] = 4, 1                                # pair {1, 2}: 5, also largest entry
    return [a, b, c]


def check_most_confused(fn) -> Feedback:
    """Exercise 9.3: ``fn(cm)`` must return the two classes ``(a, b)`` most often mistaken
    for each other, counting both directions: the largest ``C[a, b] + C[b, a]``, ``a ≠ b``
    (in either order)."""
    import numpy as np

    not_ready = _ch03_function(fn, "check_most_confused")
    if not_ready is not None:
        return not_ready
    for cm in _ch09_confused_cases():
        out, error = _call(fn, cm.copy())
        if error:
            return Feedback(False, [error + "."])
        if out is ...:
            return Feedback(False, [_TODO])
        try:
            pair = [int(v) for v in np.asarray(out).reshape(-1)]
        except (TypeError, ValueError):
            pair = []
        if len(pair) != 2 or not np.array_equal(np.asarray(out).reshape(-1), pair):
            return Feedback(False, [f"Return two class labels, e.g. (3, 8), got {out!r}."])
        both = cm + cm.T
        np.fill_diagonal(both, -1)
        right = set(np.unravel_index(int(np.argmax(both)), both.shape))
        if set(pair) == right:
            continue
        a, b = pair
        if a == b:
            return Feedback(False, [f"({a}, {a}) is on the diagonal: those are the correct "
                                    "predictions. Leave the diagonal out (np.fill_diagonal)."])
        off = cm - np.diag(np.diag(cm))
        if set(pair) == set(np.unravel_index(int(np.argmax(off)), off.shape)):
            r = sorted(right)
            return Feedback(False, [f"({a}, {b}) is the largest single entry, {cm[a, b]} "
                                    f"mistakes in one direction; but {r[0]} and {r[1]} are "
                                    f"confused {cm[r[0], r[1]]} + {cm[r[1], r[0]]} = "
                                    f"{both[r[0], r[1]]} times in both directions together. "
                                    "Add the matrix to its transpose first."])
        return Feedback(False, [f"Classes {a} and {b} are confused {both[a, b]} times "
                                f"(C[{a},{b}] + C[{b},{a}]); another pair is confused more "
                                "often."])
    return Feedback(True, ["Right: the pair with the most mistakes in both directions "
                           "together, which need not contain the largest single entry."])


def _ch09_baseline_cases():
    """``(y_train, y_test)`` whose majority classes differ; no ties in the training labels."""
    import numpy as np

    return [(np.array([2, 2, 2, 0, 1, 2, 0]), np.array([0, 0, 0, 2, 1])),
            (np.array([1, 3, 3, 3, 0, 1, 3, 2, 3, 3]),
             np.array([0, 1, 3, 1, 1, 2, 1, 3, 1]))]


def check_majority_baseline(fn) -> Feedback:
    """Exercise 9.4: ``fn(y_train, y_test)`` must return the test accuracy of always
    predicting the most frequent class of the *training* labels."""
    import numpy as np

    not_ready = _ch03_function(fn, "check_majority_baseline")
    if not_ready is not None:
        return not_ready
    for y_train, y_test in _ch09_baseline_cases():
        out, error = _call(fn, y_train.copy(), y_test.copy())
        if error:
            return Feedback(False, [error + "."])
        if out is ...:
            return Feedback(False, [_TODO])
        value = _number(out)
        if value is None:
            return Feedback(False, [f"Return one number, the accuracy, got {out!r}."])
        majority = int(np.bincount(y_train).argmax())
        right = float(np.mean(y_test == majority))
        if abs(value - right) < 1e-6:      # float32 round-off passes; the right answers
            continue                       # (1/5, 2/9) differ from every mistake by > 0.03
        test_majority = int(np.bincount(y_test).argmax())
        k = len(np.union1d(y_train, y_test))
        if value == majority:
            return Feedback(False, [f"{value:g} is the majority class itself; return how "
                                    "often predicting it is right on y_test."])
        if abs(value - np.mean(y_test == test_majority)) < 1e-12:
            return Feedback(False, [f"You took the majority class of y_test ({test_majority}): "
                                    "the baseline may only learn from the training labels "
                                    f"(majority {majority}), or it peeks at the test set."])
        if abs(value - np.mean(y_train == majority)) < 1e-12:
            return Feedback(False, ["That is its accuracy on the training labels; measure it "
                                    "on y_test."])
        if abs(value - 1 / k) < 1e-12:
            return Feedback(False, [f"1/K = {value:g} is the accuracy of guessing at random; "
                                    "the baseline always predicts the training majority."])
        return Feedback(False, [f"For y_train = {y_train.tolist()} and y_test = "
                                f"{y_test.tolist()} the answer is {right:.4f}, yours is "
                                f"{value:.4f}."])
    return Feedback(True, ["Right: the bar any classifier must clear. Learned from the "
                           "training labels only, measured on the test labels."])


# <<end: ch09>>
