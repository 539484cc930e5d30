"""Every module's backward, gradient-checked over the shapes that hide index bugs.

A transposed weight (``dX = G·W`` for ``G·Wᵀ``), a swapped channel axis or a sum over the
wrong axis gives the right shape, and often the right numbers, when the two sizes it
confuses are equal or one of them is 1. So each module is checked with hypothesis over
shapes that *include* those cases: square layers (in == out), one example (N = 1), one
channel, equal channel counts, square and non-square images, and stacks of them.

Tolerance: central differences in float64 agree with a correct backward to ~1e-9 relative
(the modules are linear, or smooth, in each single entry, and ε = 1e-3 / 1e-5 keeps the
round-off low); a wrong index gives an O(1) error, so 1e-6 separates the two with room
(see ``assert_gradients`` for the absolute floor near zero).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import (
    AvgPool2D,
    Conv2D,
    Dropout,
    Flatten,
    LeakyReLU,
    Linear,
    MaxPool2D,
    MinPool2D,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from nnlib.gradcheck import numerical_gradient

TOL = 1e-6
FLOOR = 1e-9
PROPERTY = settings(max_examples=40, deadline=None)
SIZES = st.sampled_from([1, 2, 3])             # equal sizes and 1 come up often


def away_from_kinks(shape, seed):
    """Entries at least 0.05 from 0 and from each other: ReLU's kink and max ties stay
    farther than ε from every entry, so the central difference is exact."""
    values = (np.arange(int(np.prod(shape))) + 1) * 0.05
    rng = np.random.default_rng(seed)
    signs = rng.choice([-1.0, 1.0], size=values.size)
    return (rng.permutation(values) * signs).reshape(shape)


def assert_gradients(module, x, eps):
    """``backward`` against central differences of ``E = Σ forward(x) ⊙ G``, entry by entry:
    ``|analytic - numeric| <= TOL·(|analytic| + |numeric|) + FLOOR``. The absolute FLOOR
    (1e-9, far above the ~1e-11 round-off of a difference quotient, far below the O(1e-2)
    error of a wrong index) keeps entries whose true gradient is ~0 from failing on
    round-off alone, which a purely relative error would do."""
    x = np.array(x, dtype=np.float64)
    G = np.random.default_rng(0).standard_normal(module.forward(x).shape)

    def energy() -> float:
        return float(np.sum(module.forward(x) * G))

    module.zero_grad()
    module.forward(x)
    dx = module.backward(G)
    pairs = [(f"{p.name or 'param'}{k}", p.grad.copy(), p.value) for k, p in
             enumerate(module.parameters())] + [("input", dx, x)]
    for name, analytic, value in pairs:
        numeric = numerical_gradient(energy, value, eps)
        bad = np.abs(analytic - numeric) > TOL * (np.abs(analytic) + np.abs(numeric)) + FLOOR
        assert not bad.any(), (f"{type(module).__name__}: ∂E/∂{name} differs at "
                               f"{np.argwhere(bad)[0].tolist()}: {analytic[bad][0]} vs "
                               f"{numeric[bad][0]}")


def with_bias(module, seed):
    """A random bias: a zero bias hides a bias gradient summed over the wrong axis."""
    module.b.value[...] = np.random.default_rng(seed).standard_normal(module.b.value.shape)
    return module


@PROPERTY
@given(n=SIZES, d_in=SIZES, d_out=SIZES, seed=st.integers(0, 10**6))
def test_linear_backward_over_square_and_single_shapes(n, d_in, d_out, seed):
    layer = with_bias(Linear(d_in, d_out, rng=seed), seed + 1)
    x = np.random.default_rng(seed + 2).standard_normal((n, d_in))
    assert_gradients(layer, x, eps=1e-3)         # linear in each entry: no truncation error


def test_linear_square_layer_catches_a_transposed_weight():
    """The case the property test exists for, spelled out: with in == out, ``G @ W`` has
    the shape of ``G @ W.T``; only the numbers tell them apart, and the check sees it."""
    layer = Linear(3, 3, rng=0)
    x = np.random.default_rng(1).standard_normal((1, 3))
    G = np.random.default_rng(2).standard_normal((1, 3))
    layer.forward(x)
    dx = layer.backward(G)
    np.testing.assert_allclose(dx, G @ layer.W.value.T, rtol=1e-12)
    assert not np.allclose(dx, G @ layer.W.value)


@PROPERTY
@given(n=SIZES, c_in=SIZES, c_out=SIZES, k=st.sampled_from([1, 2, 3]),
       stride=st.sampled_from([1, 2]), padding=st.sampled_from([0, 1]),
       h=st.integers(3, 5), w=st.integers(3, 5), seed=st.integers(0, 10**6))
def test_conv2d_backward_over_channel_counts_and_single_examples(n, c_in, c_out, k, stride,
                                                                 padding, h, w, seed):
    conv = with_bias(Conv2D(c_in, c_out, k, stride=stride, padding=padding, rng=seed),
                     seed + 1)
    x = np.random.default_rng(seed + 2).standard_normal((n, c_in, h, w))
    assert_gradients(conv, x, eps=1e-3)


@PROPERTY
@given(n=SIZES, c=SIZES, k=st.sampled_from([1, 2, 3]), stride=st.sampled_from([None, 1, 2]),
       h=st.integers(3, 6), w=st.integers(3, 6), pool=st.sampled_from([MaxPool2D, AvgPool2D,
                                                                       MinPool2D]),
       seed=st.integers(0, 10**6))
def test_pool_backward_over_shapes(n, c, k, stride, h, w, pool, seed):
    x = away_from_kinks((n, c, h, w), seed)
    assert_gradients(pool(k, stride), x, eps=1e-3)


@PROPERTY
@given(n=SIZES, d=SIZES, act=st.sampled_from([ReLU, Sigmoid, Tanh, LeakyReLU, Softmax]),
       seed=st.integers(0, 10**6))
def test_activation_backward_over_shapes(n, d, act, seed):
    x = away_from_kinks((n, d), seed) * 10           # entries ≥ 0.5 from the ReLU kink
    assert_gradients(act(), x, eps=1e-5)             # smooth: a small ε, O(ε²) error


@PROPERTY
@given(n=SIZES, c=SIZES, seed=st.integers(0, 10**6))
def test_a_small_cnn_backward_end_to_end(n, c, seed):
    """Conv → tanh → AvgPool → Flatten → Dropout (eval) → Linear, with equal channel
    counts and one example allowed: every module's backward composed. (Smooth modules
    here: inside a network the inputs of a ReLU or a max cannot be kept away from their
    kinks, where a central difference is wrong; those have their own tests above.)"""
    net = Sequential(with_bias(Conv2D(c, c, 3, padding=1, rng=seed), seed), Tanh(),
                     AvgPool2D(2), Flatten(), Dropout(0.5, rng=seed),
                     with_bias(Linear(c * 4, c * 4, rng=seed + 1), seed + 2)).eval()
    x = np.random.default_rng(seed + 3).standard_normal((n, c, 4, 4)) * 0.5  # tanh unsaturated
    assert_gradients(net, x, eps=1e-5)
