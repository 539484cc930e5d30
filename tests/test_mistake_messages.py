"""Every known mistake gets its own message: each one is pinned to the attempt that makes it.

For every value exercise (``nnlib.exercises.VALUE_ANSWERS``) and every code exercise with
known mistakes, the tables below hold attempts that make exactly one known mistake,
**written here as a student would compute them** (from the exercise's numbers, never read
from a ``Mistake`` entry), each with a phrase of the message that mistake must get. A test
built from the ``Mistake`` table itself cannot see two messages swapped (the table would
still agree with itself): these tests can.

The phrase must be unique to its message: among an exercise's messages (for a value
exercise, those of its ``ValueAnswer``: every mistake message, its success and its hint;
for a code exercise, the messages its table's attempts receive), only its own holds it, so
an edit that makes two messages alike fails too. A phrase may start with ``«`` or end with
``»`` to anchor it at the start or the end of its message: where one message is part of
another (Exercise 4.2 tells a reader who makes both its mistakes both messages in one), no
plain phrase of the shorter one is unique.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import re

import numpy as np
import pytest

import nnlib.exercises as ex
from nnlib.exercises import LAMBDA_TABLE, SUBMODULES, VALUE_ANSWERS, Mistake


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(s):
    e = np.exp(s - np.max(s))
    return e / e.sum()


# -- the scratch work of the value exercises, as a reader does it -----------------------------

# 1.4: W¹ = [[1, 2], [0, 1]], b¹ = (1, −1), W² = [[2, 0], [1, −1]], b² = (0, 3)
W1_14, B1_14 = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, -1.0])
W2_14, B2_14 = np.array([[2.0, 0.0], [1.0, -1.0]]), np.array([0.0, 3.0])
W14, B14 = W1_14 @ W2_14, B1_14 @ W2_14 + B2_14    # the right W = [[4, −2], [1, −1]], b = (1, 4)

# 2.1: w = 0.5, b = −0.2, x = (1, 2, −1, 0.5), y = (2, 3, 0, 1), η = 0.1
X21, Y21 = np.array([1.0, 2.0, -1.0, 0.5]), np.array([2.0, 3.0, 0.0, 1.0])
R21 = 0.5 * X21 - 0.2 - Y21                        # residuals (−1.7, −2.2, −0.7, −0.95)
GW21, GB21 = np.mean(2 * R21 * X21), np.mean(2 * R21)   # −2.9375, −2.775
W21 = 0.5 - 0.1 * GW21                             # the right new w, 0.79375

# 2.2: n = 10, B = 3, rng.permutation(10) = [6, 2, 9, 0, 8, 4, 1, 7, 3, 5]: 4 batches
ORDER22 = [6, 2, 9, 0, 8, 4, 1, 7, 3, 5]

# 3.1: σ at z = (−1000, −2, 2, 1000), with u = e^(−|z|) ≤ 1
Z31 = np.array([-1000.0, -2.0, 2.0, 1000.0])
U31 = np.exp(-np.abs(Z31))
with np.errstate(over="ignore"):
    NOTES31 = 1 / (1 + np.exp(Z31))                # the notes' 1/(1 + e^z): e^1000 = inf gives 0

# 3.2: tanh(±ln 2) = ±3/5, cosh(±ln 2) = (2 + 1/2)/2 = 5/4
T32, COSH32 = np.array([0.6, -0.6]), 5 / 4

# 3.5: σ(2) and its slope
S35 = sigmoid(2.0)

# 4.1: x₁ = 0.5, y = 1, w = (1, −2, 2): hin = 0.5 − 1 + 3 = 2.5
S41 = sigmoid(2.5)                                 # hout
DE_PRED41 = 2 * (2 * S41 - 1)                      # de_pred = 2·diff, diff = w₃·hout − y
DE_W3_41 = DE_PRED41 * S41                         # de_w3 = de_pred · hout
DE_HIN41 = DE_PRED41 * 2 * S41 * (1 - S41)         # de_pred · w₃ · σ'(hin)
DE_W1_41 = DE_HIN41 * 0.5                          # · x₁

# 6.2: the centre of each 3×3 window and the sum of its 8 neighbours
C62 = np.array([[5, 4], [4, 1]])
N62 = np.array([[17, 18], [16, 19]])

# 6.4: x padded with 1 zero on every side (6×6), K = [[1, 1], [−1, −1]], stride 2: 3×3,
#      out[1, 1] = −1, out[1, 2] = 2; window (h, w) at stride s is x_pad[s·h:s·h + 2, s·w:s·w + 2]
X64 = np.pad(np.array([[1, 2, 3, 3], [0, 0, 3, 3], [0, 1, 3, 1], [1, 3, 1, 1]]), 1)
K64 = np.array([[2, 1], [-1, -1]])


def out64(kernel, s=2):
    """out[1, 1] and out[1, 2]: each window times ``kernel``, summed."""
    return tuple(int(np.sum(kernel * X64[s * h:s * h + 2, s * w:s * w + 2]))
                 for h, w in ((1, 1), (1, 2)))


# 6.5: x = [[1, 2, 0], [−1, 3, 1], [2, 0, 1]], W = [[2, 1], [0, −1]], G = [[2, −1], [1, 1]],
#      stride 1, no padding: (dx[0, 0], dx[1, 1], dW[0, 0], db) = (4, 1, 2, 3)
X65 = np.array([[1, 2, 0], [-1, 3, 1], [2, 0, 1]])
W65, G65 = np.array([[2, 1], [0, -1]]), np.array([[2, -1], [1, 1]])
DX00_65 = G65[0, 0] * W65[0, 0]                    # only window (0, 0) covers x[0, 0]
DX11_65 = np.sum(G65 * W65[::-1, ::-1])            # window (h, w) adds G[h, w]·W[1 − h, 1 − w]
DW00_65 = np.sum(G65 * X65[:2, :2])                # G against the top-left 2×2 of x

# 7.2: W = [[0.5, −1], [2, 0]], b = (0.5, −0.5), ∂E/∂W = [[0.1, 0.2], [−0.3, 0]],
#      ∂E/∂b = (0.2, 0.1), η = 0.1, λ = 0.5
W72, B72 = np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([0.5, -0.5])
GW72, GB72 = np.array([[0.1, 0.2], [-0.3, 0.0]]), np.array([0.2, 0.1])
W_NEW72 = (1 - 2 * 0.1 * 0.5) * W72 - 0.1 * GW72   # the right step, [[0.44, −0.92], [1.83, 0]]
B_NEW72 = B72 - 0.1 * GB72                         # (0.48, −0.51)

# 7.3: x = (1, 2, 3, 4), p = 0.2, r = (0.05, 0.6, 0.15, 0.8): kept where r ≥ p, out = (0, 2.5, 0, 5)
X73, P73, R73 = np.array([1.0, 2.0, 3.0, 4.0]), 0.2, np.array([0.05, 0.6, 0.15, 0.8])

# 7.4: λ = 0.001 has the lowest validation loss (row 2 of the table)
TRAIN74, VAL74, TEST74 = LAMBDA_TABLE["train"], LAMBDA_TABLE["val"], LAMBDA_TABLE["test"]

# 8.1: rows (1, 2, 3) and (1000, 1001, 1002), each minus its maximum (−2, −1, 0)
S81 = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0]])
E81 = np.exp(S81 - S81.max(axis=1, keepdims=True))
REV81 = np.exp(S81.max(axis=1, keepdims=True) - S81)   # the subtraction the wrong way round

# 8.2: p(true class) = 0.2 and 0.8
LN = math.log

# 8.3: scores (1, 3, 0), true class 0
P83 = softmax(np.array([1.0, 3.0, 0.0]))

# 9.1: C[y_true, y_pred] += 1, the NumPy way of counting each pair once
ONCE91 = np.zeros((3, 3))
ONCE91[[0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2]] += 1

# 9.4: y_train = (2, 0, 2, 1, 2, 3, 2), y_test = (0, 2, 1, 0, 0, 3, 0, 2, 1, 2)
YTRAIN94 = np.array([2, 0, 2, 1, 2, 3, 2])
YTEST94 = np.array([0, 2, 1, 0, 0, 3, 0, 2, 1, 2])
MAJ94 = np.bincount(YTRAIN94).argmax()             # 2, 4 of the 7 training labels
TESTMAJ94 = np.bincount(YTEST94).argmax()          # 0, 4 of the 10 test labels

# 2.3: w ← (1 − 2η) w: the factors 0.8, 0, −0.8, −1, −1.2
REGIMES23 = {0.1: "converges", 0.5: "converges", 0.9: "converges", 1.0: "oscillates forever",
             1.1: "diverges"}
# 8.4: what each target set is
KINDS84 = ["multi-label", "multi-class", "multi-class", "multi-label", "multi-label"]
FLIP84 = {"multi-class": "multi-label", "multi-label": "multi-class"}


def but(entries, i, value):
    """``entries`` with entry ``i`` replaced: one wrong answer among right ones."""
    out = list(entries)
    out[i] = value
    return out


# -- value exercises: {exercise: [(attempt in the notebook's form, phrase of its message)]} ----

VALUE_MISTAKES = {
    "1.1": [  # z = x·w + b = 0.5 − 0.5 − 3 + 1 = −2, a = ReLU(z) = 0
        # 0.5 − 0.5 + 3 − 1 = 2: x₃w₃ = 3·(−1) taken as +3 and the bias subtracted (every
        # sign flipped gives the same), then a = ReLU(2) = 2, or a = 0 all the same
        ((0.5 - 0.5 + 3 - 1, 2.0), "signs of x₃w₃ = (3)(-1) and of the bias b = 1 are flipped"),
        ((0.5 - 0.5 + 3 - 1, 0.0), "signs of x₃w₃ = (3)(-1) and of the bias b = 1 are flipped"),
        ((-3.0, 0.0), "alone: add the bias"),               # x·w
        ((-4.0, 0.0), "added, not subtracted"),             # x·w − b
        ((-2.0, -2.0), "is z itself"),                      # no ReLU
        ((-2.0, 2.0), "not |z|"),
        ((-2.0, float(sigmoid(-2.0))), "That is the sigmoid of z"),
    ],
    "1.3": [  # layers 784 → 128 → 64 → 10
        (784 * 128 + 128 * 64 + 64 * 10, "counts the weights only"),
        (109386 + 784, "gives the input nodes biases too"),
        (784 + 128 + 64 + 10, "counts nodes"),
        ((784 + 128) + (128 + 64) + (64 + 10), "adds layer sizes"),
        (784 * 128 + 128, "first pair of layers only"),
    ],
    "1.4": [  # W = W¹W² = [[4, −2], [1, −1]], b = b¹W² + b² = (1, 4)
        ((W2_14 @ W1_14, B14), "has the order reversed"),
        ((W2_14.T @ W1_14.T, B14), "the column-vector convention"),    # (W¹W²)ᵀ = W²ᵀW¹ᵀ
        ((W14, B2_14), "b = b² misses b¹"),
        ((W14, B1_14 @ W2_14), "misses b², which is added after W²"),
        ((W14, B1_14 + B2_14), "b¹ + b² forgets"),
        ((W14, W2_14 @ B1_14 + B2_14), "is the column-vector product"),
    ],
    "1.5": [  # z¹ = x W¹ + b¹ = (1, −3, 3), h¹ = (1, 0, 3), ŷ = 1 + 9 + 0.5 = 10.5
        ((1.0, -3.0, 3.0, 1 + 6 + 9 + 0.5), "No ReLU"),
        ((1.0, 0.0, 2.5, 1 + 7.5 + 0.5), "b¹ = (0, 1, 0.5) are missing"),   # z¹ = (1, −4, 2.5)
        ((1.0, 0.0, 3.0, 10.0), "ŷ misses the output bias"),
        ((1.0, 0.0, 3.0, 16.5), "ŷ is computed from z¹"),
        ((1.0, -3.0, 3.0, 10.5), "A hidden output is negative"),
    ],
    "2.1": [
        ((GW21, GB21), "Those are the gradients"),
        ((0.5 + 0.1 * GW21, -0.2 + 0.1 * GB21), "You step uphill"),
        ((0.5 - 0.1 * np.sum(2 * R21 * X21), -0.2 - 0.1 * np.sum(2 * R21)), "not the sum"),
        ((0.5 - 0.1 * np.mean(R21 * X21), -0.2 - 0.1 * np.mean(R21)), "The factor 2"),
        ((W21, -0.2), "b is not updated"),
        ((0.5 - 0.1 * np.mean(2 * R21), -0.2 - 0.1 * GB21), "missing the factor x"),
        ((W21, -0.2 - 0.1 * np.mean(2 * (W21 * X21 - 0.2 - Y21))), "already updated w"),
    ],
    "2.2": [  # slices order[0:3], order[3:6], order[6:9], order[9:]: (4, (0, 8, 4), 1)
        ((math.ceil(10 / 3), list(range(10))[3:6], 10 - 9), "the original order"),
        ((math.ceil(10 / 3), ORDER22[6:9], 10 - 9), "That is the third batch"),  # from 0
        ((10 // 3, ORDER22[3:6], 3), "⌊10/3⌋ = 3 batches leave out"),    # every batch full
        ((math.ceil(10 / 3), ORDER22[3:6], 3), "after 3 full batches"),  # the last one full too
    ],
    "2.3": [  # one learning rate misjudged, in the notebook's dict
        ({**REGIMES23, eta: wrong}, f"η = {eta:g} {right}, not {wrong}")
        for eta, right in REGIMES23.items()
        for wrong in ("converges", "oscillates forever", "diverges") if wrong != right
    ],
    "2.4": [  # 1797 = 56 · 32 + 5: 57 updates, the last batch of 5
        ((1797 // 32, 5), "forgets the last, partial batch"),
        ((1797 / 32, 5), "is not a whole number of updates"),
        ((57, 32), "is not a multiple of 32"),
        ((57, 0), "A last batch of 0 examples"),
    ],
    "3.1": [  # σ = (0, 0.1192, 0.8808, 1)
        (NOTES31, "the notes' slip"),
        (1 / (1 + U31), "is σ(|z|)"),                     # the z ≥ 0 branch for every z
        (U31 / (1 + U31), "is σ(−|z|)"),                  # the z < 0 branch for every z
    ],
    "3.2": [  # tanh' = 1 − tanh² = 1 − 9/25 = 0.64 at both points
        (1 - T32, "You forgot the square"),
        (T32 * (1 - T32), "the sigmoid's pattern"),
        (T32 ** 2 - 1, "The sign is off"),
        ((COSH32 ** 2,) * 2, "not cosh²(z)"),
        ((1 / COSH32,) * 2, "1/cosh(z) misses a square"),
        (1 + T32 ** 2, "the derivative of tan, not"),      # "of tan" alone is in "of tanh"
        (T32, "That is tanh itself"),
    ],
    "3.4": [  # (1/4)^10 ≈ 9.5e-7 < 1e-6 ≤ (1/4)^9: L = 10
        (9, "rounded down"),
        *((L, f"(1/4)^{L} = ") for L in range(1, 9)),                 # not deep enough
        *((L, f"so is (1/4)^{L - 1} =") for L in range(11, 21)),      # deeper than needed
    ],
    "3.5": [  # σ'(0) = 1/4, tanh'(0) = 1, σ'(2) = σ(2)(1 − σ(2))
        ((-0.25, 1.0, -S35 * (1 - S35)), "Your slopes are negative"),  # d/dz 1/(1 + e^z)
        ((0.25, 1.0, 1 - math.tanh(2.0) ** 2), "is tanh'(2)"),
        ((0.5, 1.0, S35 * (1 - S35)), "is the value of the sigmoid at 0"),
        ((0.25, 0.0, S35 * (1 - S35)), "tanh(0) = 0 is the value"),
        ((0.25, 0.25, S35 * (1 - S35)), "tanh is steeper"),
        ((0.25, 1.0, S35), "σ(2) = 0.8808 is the value"),
        ((0.25, 1.0, 1 - S35), "is one factor of the slope"),
    ],
    "3.6": [  # z per unit: (1.5, 0.5, 2.5) alive, (−0.5, −1.5, −2.5) dead, (1.5, −1.5, −0.5) alive
        (("dead", "alive", "dead"), "You marked the live units"),
        (("Dead", "alive", "alive "), "A negative bias alone"),       # dead iff b < 0
        (("alive", "dead", "dead"), "Unit 3 is ≤ 0 for some inputs"),
    ],
    "4.1": [
        ((-DE_W1_41, -DE_W1_41, -DE_W3_41), "Every gradient has the wrong sign"),  # y − pred
        ((DE_W1_41 / 2, DE_W1_41 / 2, DE_W3_41 / 2), "half the right size"),
        ((DE_PRED41 * 2 * 1 * 0.5,) * 2 + (DE_W3_41,), "use ReLU's local derivative"),
        ((DE_PRED41 * 2 * S41 * 0.5,) * 2 + (DE_W3_41,), "is σ(hin) itself"),
        ((DE_HIN41, DE_HIN41, DE_W3_41), "are de_hin alone"),
        ((DE_W1_41 / 2, DE_W1_41 / 2, DE_W3_41), "A factor w₃ = 2 is missing"),   # no · w₃
        ((DE_W1_41, DE_W1_41, DE_PRED41 * 2.5), "multiplies de_pred by hin"),
    ],
    "4.2": [  # hin = −2 − 4 + 3 = −3: the ReLU blocks; de_pred = 2(0 − 9) = −18
        ((36.0, 36.0, 54.0), "dhout_hin = 0. dpred_w3 is hout"),      # both mistakes at once
        ((36.0, 36.0, 0.0), "so dhout_hin = 0.»"),                   # −18 · 1 · 1 · (−2)
        ((0.0, 0.0, 54.0), "«dpred_w3 is hout"),                     # −18 · hin
    ],
    "4.3": [  # a = 3, b = −2, grad_out = 1.5
        ((3 * 1.5, -2 * 1.5), "The operands are swapped"),
        ((-2.0, 3.0), "grad_out is missing"),
        ((1.5, 1.5), "backward pass of an addition node"),
    ],
    "5.1": [  # row vectors: W^l is (d_(l−1), d_l), b^l is (d_l,)
        ([((128, 784), (128,)), ((64, 128), (64,)), ((10, 64), (10,))], "Every W is transposed"),
        ([((128, 784), (128,)), ((128, 64), (64,)), ((64, 10), (10,))], "W¹ has shape (128, 784)"),
        ([((784, 128), (128,)), ((64, 128), (64,)), ((64, 10), (10,))], "W² has shape (64, 128)"),
        ([((784, 128), (128,)), ((128, 64), (64,)), ((10, 64), (10,))], "W³ has shape (10, 64)"),
        ([((784, 128), (784,)), ((128, 64), (128,)), ((64, 10), (64,))],
         "Every b has one entry per input"),
        ([((784, 128), (1, 784)), ((128, 64), (64,)), ((64, 10), (10,))], "«b¹ has one entry"),
        ([((784, 128), (128,)), ((128, 64), (128,)), ((64, 10), (10,))], "«b² has one entry"),
        ([((784, 128), (128,)), ((128, 64), (64,)), ((64, 10), (64,))], "«b³ has one entry"),
    ],
    "5.2": [  # N = 32, Linear(64, 10): dW (64, 10), db (10,), dX (32, 64)
        (((10, 64), 10, (64, 32)), "dW and dX are transposed"),
        (((10, 64), 10, (32, 64)), "is GᵀX, W's transpose"),
        (((32, 10), 10, (32, 64)), "dW has no batch axis"),
        (((64, 10), (32,), (32, 64)), "db has one entry per output node"),
        (((64, 10), 10, (64, 32)), "you gave its transpose"),
        (((64, 10), 10, (32, 10)), "one column per input"),
    ],
    "5.3": [  # gain 128 · 1 / 2 = 64; std × √64 = 8 per layer, 9 layers: 8⁹
        ((128 * 1.0, 8.0 ** 9), "is twice too large"),
        ((1.0 / 2, 8.0 ** 9), "misses fan_in"),
        ((math.sqrt(64), 8.0 ** 9), "is the factor for the standard deviation"),
        ((128 / 4, 8.0 ** 9), "the halving by ReLU happens once"),
        ((64.0, 8.0 ** 10), "counts 10 layers"),
        ((64.0, 64.0 ** 9), "is the growth of the variance"),
        ((64.0, 64.0 ** 10), "over one layer too many"),
        ((64.0, 8.0 * 9), "adds the growth up"),
        ((64.0, 8.0), "is the growth over one layer"),
    ],
    "6.1": [  # (H, k, s, p) of CONV_SIZE_EXERCISE; the sizes are 24, 14, 32, 3, 150
        ([(H + 2 * p - k) // s for H, k, s, p in ex.CONV_SIZE_EXERCISE], "the +1 is missing"),
        ([(H + p - k) // s + 1 for H, k, s, p in ex.CONV_SIZE_EXERCISE], "on both sides, 2p"),
        ([math.ceil((H + 2 * p - k) / s) + 1 for H, k, s, p in ex.CONV_SIZE_EXERCISE],
         "round down, not up"),
        ([(H + 2 * p - k) / s + 1 for H, k, s, p in ex.CONV_SIZE_EXERCISE],
         "must be a whole number"),
        ([H + 2 * p - k + 1 for H, k, s, p in ex.CONV_SIZE_EXERCISE], "the stride is missing"),
        ([(H - k) // s + 1 for H, k, s, p in ex.CONV_SIZE_EXERCISE], "the padding is missing"),
        ([H / s for H, k, s, p in ex.CONV_SIZE_EXERCISE], "a rough guide only"),
    ],
    "6.2": [  # 8 · centre − Σ neighbours = [[23, 14], [16, −11]]
        ((8 * C62 + N62).tolist(), "added the neighbours instead"),
        ((9 * C62 - N62).tolist(), "multiplied the centre by 9"),
        ((8 * C62 - N62).T.tolist(), "The rows and columns are swapped"),
        ((N62 - 8 * C62).tolist(), "Each entry has the wrong sign"),
        ((8 * C62 - N62 / 8).tolist(), "averaged the neighbours"),
    ],
    "6.3": [  # blocks {3, 1, 4, 6}, {0, 2, 5, 1}, {0, 2, 1, 8}, {7, 3, 2, 2}
        ([[3.5, 2.0], [2.75, 3.5]], "average pooling"),
        ([[1, 0], [0, 2]], "minima of the blocks"),
        ([[6, 8], [5, 7]], "Rows and columns are swapped"),
    ],
    "6.4": [  # ⌊(4 + 2·1 − 2)/2⌋ + 1 = 3 rows and columns, out[1, 1] = −1, out[1, 2] = 2
        ((3, 3, *out64(K64[::-1, ::-1])), "The kernel is flipped"),
        ((3, 3, *out64(K64.T)), "The kernel is transposed"),
        ((3, 3, *out64(K64, s=1)), "The size is right, but"),        # windows at h + i
        ((4 + 2 - 2 + 1, 4 + 2 - 2 + 1, *out64(K64, s=1)), "is the output of stride 1"),
        # ⌊(4 + 2 − 2)/2⌋ without the + 1, the entries right
        (((4 + 2 - 2) // 2, (4 + 2 - 2) // 2, *out64(K64)), "is the output without the padding"),
    ],
    "6.5": [  # dx[0, 0] = G[0, 0]·W[0, 0] = 4, dx[1, 1] = 1, dW[0, 0] = 2, db = Σ G = 3
        ((G65[0, 0] * W65[1, 1], np.sum(G65 * W65), DW00_65, G65.sum()),   # scatters W flipped
         "dx: the kernel is rotated by 180°. Window"),
        ((DX00_65, DX11_65, np.sum(G65 * X65[1:, 1:]), G65.sum()), "dW is rotated by 180°"),
        ((DX00_65, DX11_65, DW00_65, G65.mean()), "db is the mean of G"),
    ],
    "7.1": [  # losses 0.8 0.6 0.65 0.6 0.62 0.5 0.55 0.58 0.57 0.59 0.7, patience 3: (5, 2)
        ((2, 5), "You swapped them"),
        ((4, 1), "count from 0"),
        ((9, 6), "A tie is no improvement"),            # 0.6 at epoch 4 counted as a new best
        ((11, 6), "not with the previous epoch"),       # 0.6 < 0.65 and 0.57 < 0.58 reset
        ((10, 6), "one epoch too long"),                # waits for 4 in a row
        ((4, 2), "one epoch too early"),                # stops after 2 in a row
        ((3, 2), "ignores the patience"),
        ((5, 6), "never saw it"),                       # the lowest loss of the whole list
        ((11, 2), "does not run to the end of the list"),
    ],
    "7.2": [
        ((W72 * (1 - 0.1 * 0.5) - 0.1 * GW72, B_NEW72), "is 2λw, not λw"),
        ((W72 + 0.1 * (GW72 + 2 * 0.5 * W72), B_NEW72), "W_new steps uphill"),  # w + η (g + 2λw)
        ((W72 * (1 - 2 * 0.5) - 0.1 * GW72, B_NEW72), "multiplied by η too"),
        ((W72 * (1 - 2 * 0.1 * 0.5), B_NEW72), "forgot the data gradient"),
        ((W72 - 0.1 * GW72, B_NEW72), "plain SGD step without the decay"),
        ((W_NEW72, B72 * (1 - 2 * 0.1 * 0.5) - 0.1 * GB72), "The bias is not decayed"),
        ((W_NEW72, B72 + 0.1 * GB72), "b_new steps uphill"),                   # b + η ∂E/∂b
    ],
    "7.3": [  # out = x·(r ≥ p)/(1 − p) = (0, 2/0.8, 0, 4/0.8) = (0, 2.5, 0, 5)
        (X73 * (R73 >= P73), "The kept entries are unchanged"),
        (X73 * (R73 >= P73) * (1 - P73), "You multiply the kept entries by 1 − p"),
        (X73 * (R73 >= P73) / P73, "not by p."),
        (X73 * (R73 < P73) / (1 - P73), "so an entry is kept when r ≥ p"),
        (X73 * (R73 < P73), "and left them unscaled"),
        (X73 * (1 - P73), "the old, non-inverted dropout"),        # all scaled, none dropped
    ],
    "7.4": [
        ((0.0, TEST74[0]), "The training loss always prefers the smallest λ"),
        ((1e-4, TEST74[1]), "λ = 0.0001 does not have"),
        ((1e-2, TEST74[3]), "λ = 0.01 does not have"),
        ((1e-1, TEST74[4]), "λ = 0.1 does not have"),
        ((1e-3, VAL74[2]), "is optimistic"),
        *(((1e-3, loss), "fit to data the network has seen") for loss in TRAIN74),
        *(((1e-3, loss), "from the same row") for k, loss in enumerate(TEST74) if k != 2),
        *(((1e-3, loss), "That is a validation loss") for k, loss in enumerate(VAL74) if k != 2),
    ],
    "8.1": [  # both rows (e^−2, e^−1, 1) / (e^−2 + e^−1 + 1) = (0.0900, 0.2447, 0.6652)
        (E81 / E81.sum(axis=0, keepdims=True), "Your columns sum to 1"),
        (E81, "These are the exponentials"),
        (S81 / S81.sum(axis=1, keepdims=True), "You divided the scores by their sum"),
        (REV81 / REV81.sum(axis=1, keepdims=True), "The order is reversed"),
    ],
    "8.2": [  # E_in = −(ln 0.2 + ln 0.8) / 2
        (-(LN(0.2) + LN(0.8)), "You summed the two losses"),
        (-(math.log2(0.2) + math.log2(0.8)) / 2, "in bits"),
        ((LN(0.2) + LN(0.8)) / 2, "The sign: L = −ln p"),
        (-(LN(0.7) + LN(0.8)) / 2, "probability of the predicted class"),
        (-(LN(0.7) + LN(0.2) + LN(0.1) + LN(0.1) + LN(0.8) + LN(0.1)) / 2, "over all classes"),
        (-(LN(0.7) + LN(0.1)) / 2, "The labels count from 0"),       # entry 0 for label 1
        (-LN(0.2), "loss of the first example only"),
    ],
    "8.3": [  # p − y with y = (1, 0, 0)
        (list(np.array([1.0, 0.0, 0.0]) - P83), "not y − p"),
        (list(P83), "That is p = softmax(s) alone"),
        (list(P83 - 1), "subtracted 1 from every entry"),
        ([1.0 - 1, 3.0, 0.0], "That is s − y"),
        ([P83[0] - 1, 0.0, 0.0], "Every score gets a gradient"),
        (list(P83 - np.array([0.0, 1.0, 0.0])), "The classes count from 0"),
    ],
    "8.4": [  # one target set misjudged (a reader's spelling of the options is accepted)
        (but(KINDS84, 0, "Multi Class"), "a has rows with two ones"),
        (but(KINDS84, 1, FLIP84[KINDS84[1]]), "b has exactly one 1 per row"),
        (but(KINDS84, 2, FLIP84[KINDS84[2]]), "c gives one integer class"),
        (but(KINDS84, 3, "multi_class"), "d has a row of zeros"),
        (but(KINDS84, 4, FLIP84[KINDS84[4]]), "e happens to show one genre"),
    ],
    "9.1": [  # pairs (0, 0), (0, 1), (1, 1), (2, 2), (2, 0), (2, 2)
        ([[1, 0, 1], [1, 1, 0], [0, 0, 2]], "Rows and columns are swapped"),
        (ONCE91, "occurs twice"),
        ([[1, 0, 0], [0, 1, 0], [0, 0, 2]], "Only the correct predictions are counted"),
    ],
    "9.2": [  # class 0: C[0, 0] = 5, column sum 8, row sum 6
        ((5 / 6, 5 / 8), "Precision and recall are swapped"),
        ((11 / 16, 11 / 16), "overall accuracy"),
        ((5 / 6, 5 / 6), "That is the recall (the row)"),
        ((5 / 8, 5 / 8), "That is the precision (the column)"),
    ],
    "9.3": [  # pairs: {0, 3} 2 + 2 = 4, {1, 2} 0 + 3 = 3; the largest entry C[2, 1] = 3
        ((1, 2, 3), "but the pair {1, 2}"),
        ((2, 1, 3), "but another pair has more"),
        ((3, 0, 4), "written the other way round"),
        ((0, 3, 2), "now count both directions"),
        ((2, 2, 25), "is on the diagonal"),
    ],
    "9.4": [  # class 2 (4 of 7 training labels), right on 3 of the 10 test labels: (2, 0.3)
        ((TESTMAJ94, np.mean(YTEST94 == TESTMAJ94)), "You took the majority class of y_test"),
        ((MAJ94, np.mean(YTEST94 == TESTMAJ94)),                  # the test majority's accuracy
         "is the accuracy of y_test's own majority"),
        ((MAJ94, np.mean(YTRAIN94 == MAJ94)), "accuracy on the training labels"),
        ((MAJ94, 1 / len(np.unique(YTRAIN94))), "the accuracy of guessing at random"),  # K = 4
        ((MAJ94, 100 * np.mean(YTEST94 == MAJ94)), "not in percent"),
        ((MAJ94, np.sum(YTEST94 == MAJ94)), "is how many test labels are"),
        ((MAJ94, MAJ94), "is the majority class itself"),
    ],
}


def in_message(phrase: str, message: str) -> bool:
    """``phrase`` in ``message``; a leading « or a trailing » anchors it at an end."""
    return phrase in f"«{message}»"


def value_messages(answer) -> set[str]:
    """Every message of a value exercise: its mistakes' (each once), its success, its hint."""
    return {m.message for m in answer.mistakes} | {answer.success, answer.hint} - {""}


def value_cases() -> list:
    return [pytest.param(exercise, attempt, phrase, id=f"{exercise}-{k}: {phrase[:30]}")
            for exercise, attempts in VALUE_MISTAKES.items()
            for k, (attempt, phrase) in enumerate(attempts)]


def test_every_value_exercise_has_its_mistakes_pinned():
    assert set(VALUE_MISTAKES) == set(VALUE_ANSWERS), (
        "pin the mistakes of every value exercise here: missing "
        f"{sorted(set(VALUE_ANSWERS) - set(VALUE_MISTAKES))}, unknown "
        f"{sorted(set(VALUE_MISTAKES) - set(VALUE_ANSWERS))}")


@pytest.mark.parametrize("exercise, attempt, phrase", value_cases())
def test_value_mistake_gets_its_own_message(exercise, attempt, phrase):
    answer = VALUE_ANSWERS[exercise]
    holders = [m for m in value_messages(answer) if in_message(phrase, m)]
    assert len(holders) == 1, (
        f"Exercise {exercise}: {phrase!r} should be in exactly one of its messages, it is in "
        f"{len(holders)}: {holders}")
    fb = getattr(ex, answer.check_name)(attempt)
    assert not fb.passed and fb.code == "mistake", (exercise, attempt, str(fb))
    assert fb.messages == holders, (
        f"Exercise {exercise}: the attempt {attempt!r} should get the message holding "
        f"{phrase!r}, {holders[0]!r}; it got {fb.messages}")


def _module_name_of(answer):
    """``(module, global name)`` under which a check finds its ``ValueAnswer``."""
    for module in (importlib.import_module(f"nnlib.exercises.{m}") for m in SUBMODULES):
        for name, value in vars(module).items():
            if value is answer and name.isupper():
                return module, name
    raise LookupError(answer.exercise)


@pytest.mark.parametrize("exercise", sorted(VALUE_ANSWERS))
def test_every_mistake_of_a_value_exercise_is_pinned(exercise, monkeypatch):
    """Each ``Mistake`` of the table is the one some attempt above meets first: the table of
    this file leaves no known mistake of the book untested."""
    answer = VALUE_ANSWERS[exercise]
    tagged = dataclasses.replace(answer, mistakes=tuple(
        Mistake(m.entries, f"#{k}") for k, m in enumerate(answer.mistakes)))
    monkeypatch.setattr(*_module_name_of(answer), tagged)
    check = getattr(ex, answer.check_name)
    met = {fb.messages[0] for fb in (check(a) for a, _ in VALUE_MISTAKES.get(exercise, ()))
           if fb.code == "mistake"}
    missing = [answer.mistakes[k] for k in range(len(answer.mistakes)) if f"#{k}" not in met]
    assert not missing, (f"Exercise {exercise}: no attempt in VALUE_MISTAKES makes the "
                         f"mistake(s) {missing}")


# -- code exercises: a reader's function with one known slip each ---------------------------
#
# Each factory below is the reader's function of the exercise, written out, and ``slip``
# names the one thing done wrong (None: right, so each factory is shown to pass too).

def forward(slip=None):
    def f(x, W1, b1, W2, b2):
        if slip == "W1 @ x":
            return np.maximum(W1 @ x + b1, 0) @ W2 + b2
        z = x @ W1 + (0 if slip == "no b1" else b1)
        h = {"no ReLU": z, "sigmoid": sigmoid(z)}.get(slip, np.maximum(z, 0))
        if slip == "b1 after ReLU":
            h = np.maximum(x @ W1, 0) + b1
        out = h @ W2 + (0 if slip == "no b2" else b2)
        return np.maximum(out, 0) if slip == "ReLU on the output" else out
    return f


def count(slip=None):
    def f(sizes):
        pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
        if slip == "nodes":
            return sum(sizes)
        if slip == "first pair":
            pairs = pairs[:1]
        term = {"weights only": lambda a, b: a * b,
                "sizes added": lambda a, b: a + b}.get(slip, lambda a, b: a * b + b)
        return sum(term(a, b) for a, b in pairs) + (sizes[0] if slip == "input biases" else 0)
    return f


def collapse(slip=None):
    def f(W1, b1, W2, b2):
        W = (W1 @ W2).T if slip == "W transposed" else W1 @ W2
        b = {"b2 only": lambda: b2, "no b2": lambda: b1 @ W2,
             "biases added": lambda: b1 + b2}.get(slip, lambda: b1 @ W2 + b2)()
        return W, b
    return f


def sgd_step(slip=None):
    def f(w, b, x, y, lr):
        r = w * x + b - y
        mean = np.sum if slip == "sum" else np.mean
        two = 1 if slip == "no 2" else 2
        g_w = mean(two * r * (1 if slip == "no x" else x))
        sign = -1 if slip == "uphill" else 1
        w_new = w - sign * lr * g_w
        if slip == "b at the new w":
            r = w_new * x + b - y
        g_b = mean(two * r)
        return w_new, (b if slip == "b not updated" else b - sign * lr * g_b)
    return f


def batch_indices(slip=None):
    def f(n, B, rng):
        if slip == "np.random":
            order = np.random.permutation(n)            # noqa: NPY002 (the slip itself)
        elif slip == "fixed seed":
            order = np.random.default_rng(42).permutation(n)
        elif slip == "no shuffle":
            order = np.arange(n)
        else:
            order = rng.permutation(n)
        if slip == "new draw per batch":
            return [rng.choice(n, size=min(B, n - i), replace=False) for i in range(0, n, B)]
        if slip == "floor":
            return [order[i * B:(i + 1) * B] for i in range(n // B)]
        if slip == "array_split":
            return np.array_split(order, -(-n // B))
        if slip == "from 1":
            order = order + 1
        return [order[i:i + B] for i in range(0, n, B)]
    return f


def stable_sigmoid(slip=None):
    def f(z):
        if slip == "notes' sign":
            return 1 / (1 + np.exp(z))
        if slip == "naive":
            return 1 / (1 + np.exp(-z))
        if slip == "e^z / (1 + e^z)":
            return np.exp(z) / (1 + np.exp(z))
        if slip == "naive, warning silenced":
            with np.errstate(over="ignore"):
                return 1 / (1 + np.exp(-z))
        u = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + u), u / (1 + u))
    return f


def find_dead(slip=None):
    def f(X, layer):
        z = layer(X)
        return {"live": lambda: np.any(z > 0, axis=0), "some": lambda: np.any(z <= 0, axis=0),
                "bias": lambda: layer.b.value < 0, "per input": lambda: z <= 0,
                "counts": lambda: (z <= 0).sum(axis=0)}.get(
                    slip, lambda: np.all(z <= 0, axis=0))()
    return f


def backward_sigmoid(slip=None):
    def f(x1, y, w1, w2, w3):
        hin = w1 * x1 + w2 * x1 + 3
        hout = 1 / (1 + np.exp(-hin))
        pred = w3 * hout
        diff = y - pred if slip == "y - pred" else pred - y
        de_pred = (1 if slip == "no 2" else 2) * diff
        de_w3 = de_pred * (hin if slip == "w3 times hin" else hout)
        local = {"ReLU's": float(hin > 0), "σ itself": hout}.get(slip, hout * (1 - hout))
        de_hin = de_pred * w3 * local
        return de_hin * x1, de_hin * x1, de_w3
    return f


def linear_backward(slip=None):
    def f(X, W, G):
        dW = {"GᵀX": lambda: G.T @ X, "/ N": lambda: X.T @ G / len(X),
              "product of sums": lambda: np.outer(X.sum(axis=0), G.sum(axis=0))}.get(
                  slip, lambda: X.T @ G)()
        db = {"mean": lambda: G.mean(axis=0), "axis 1": lambda: G.sum(axis=1)}.get(
            slip, lambda: G.sum(axis=0))()
        dX = {"(G Wᵀ)ᵀ": lambda: (G @ W.T).T, "dX summed": lambda: (G @ W.T).sum(axis=0)}.get(
            slip, lambda: G @ W.T)()
        return dW, db, dX
    return f


def convolve(slip=None):
    def f(image, kernel, stride, padding):
        x = image if slip == "no padding" else np.pad(image, padding)
        K = {"flipped": kernel[::-1, ::-1], "transposed": kernel.T}.get(slip, kernel)
        s = 1 if slip == "stride ignored" else stride
        k = K.shape[0]
        out = np.zeros(((x.shape[0] - k) // s + 1, (x.shape[1] - k) // s + 1))
        for h in range(out.shape[0]):
            for w in range(out.shape[1]):
                r, c = (h, w) if slip == "window at h + i" else (h * s, w * s)
                out[h, w] = np.sum(K * x[r:r + k, c:c + k])
        return out
    return f


def conv_backward(slip=None):
    def f(x, W, g, stride, padding):
        x_pad = np.pad(x, padding)
        k = W.shape[0]
        dx_pad, dW = np.zeros_like(x_pad), np.zeros_like(W)
        for h in range(g.shape[0]):
            for w in range(g.shape[1]):
                at = (slice(h * stride, h * stride + k), slice(w * stride, w * stride + k))
                at_1 = (slice(h, h + k), slice(w, w + k))            # stride forgotten
                dW += g[h, w] * x_pad[at_1 if slip == "dW: stride" else at]
                # scattering the flipped kernel is correlating G with W itself
                K = W[::-1, ::-1] if slip == "dx: correlation" else W
                dx_pad[at_1 if slip == "dx: stride" else at] += g[h, w] * K
        H, Wd = x.shape
        dx = {"no crop": dx_pad, "one-sided crop": dx_pad[:H, :Wd]}.get(
            slip, dx_pad[padding:padding + H, padding:padding + Wd])
        db = {"db = G": lambda: g, "db mean": lambda: g.mean(),
              "db rows": lambda: g.sum(axis=0), "db columns": lambda: g.sum(axis=1)}.get(
                  slip, lambda: g.sum())()
        return dx, (dW[::-1, ::-1] if slip == "dW flipped" else dW), db
    return f


def early_stop(slip=None):
    def f(val_losses, patience):
        patience = {"waits one more": patience + 1, "stops one early": patience - 1,
                    "no patience": 1}.get(slip, patience)
        best, best_epoch, wait, prev = math.inf, 0, 0, math.inf
        start = 0 if slip == "from 0" else 1
        for epoch, loss in enumerate(val_losses, start=start):
            if slip == "vs previous":
                better = loss < prev
                if loss < best:
                    best, best_epoch = loss, epoch
            else:
                better = loss <= best if slip == "ties improve" else loss < best
                if better:
                    best, best_epoch = loss, epoch
            prev = loss
            wait = 0 if better else wait + 1
            if wait >= patience:
                return (best_epoch, epoch) if slip == "swapped" else (epoch, best_epoch)
        last = len(val_losses) - 1 + start
        return (best_epoch, last) if slip == "swapped" else (last, best_epoch)
    return f


def dropout(slip=None):
    def f(x, p, rng, training):
        if not training and slip != "drops in evaluation":
            return x * (1 - p) if slip == "old dropout" else x
        if slip == "nothing dropped":
            return x / (1 - p)
        draw = np.random.random if slip == "np.random" else rng.random
        keep = draw(x.shape) < p if slip == "p keeps" else draw(x.shape) >= p
        if slip == "in place":
            x[~keep] = 0
            x /= 1 - p
            return x
        scale = {"unscaled": 1, "times 1 − p": 1 - p}.get(slip, 1 / (1 - p))
        return x * keep * scale
    return f


def softmax_rows(slip=None):
    def f(s):
        if slip == "naive":
            e = np.exp(s)
        else:
            e = np.exp(s - (s.max() if slip == "global max" else s.max(axis=1, keepdims=True)))
        return e / e.sum(axis=0 if slip == "columns" else 1, keepdims=True)
    return f


def ce_grad(slip=None):
    def f(scores, labels):
        N, K = scores.shape
        P, Y = softmax_rows()(scores), np.eye(K)[labels]
        return {"no / N": P - Y, "Y − P": (Y - P) / N, "P / N": P / N,
                "P − 1": (P - 1) / N}.get(slip, (P - Y) / N)
    return f


def confusion(slip=None):
    def f(y_true, y_pred, K):
        if slip == "labels seen":
            K = int(max(y_true.max(), y_pred.max())) + 1
        C = np.zeros((K, K))
        if slip == "C[t, p] += 1":
            C[y_true, y_pred] += 1
        else:
            np.add.at(C, (y_pred, y_true) if slip == "transposed" else (y_true, y_pred), 1)
        if slip == "fractions":
            return C / np.maximum(C.sum(axis=1, keepdims=True), 1)
        return np.diag(np.diag(C)) if slip == "diagonal only" else C
    return f


def precision_recall(slip=None):
    def f(cm):
        diag = np.diag(cm).astype(float)
        rows, cols = cm.sum(axis=1), cm.sum(axis=0)
        if slip == "plain division":
            return diag / cols, diag / rows
        if slip == "accuracy":
            return (np.full(len(cm), diag.sum() / cm.sum()),) * 2
        precision = np.divide(diag, cols, out=np.zeros(len(cm)), where=cols > 0)
        recall = np.divide(diag, rows, out=np.zeros(len(cm)), where=rows > 0)
        return (recall, precision) if slip == "swapped" else (precision, recall)
    return f


def most_confused(slip=None):
    def f(cm):
        both = cm - np.diag(np.diag(cm)) if slip == "largest entry" else cm + cm.T
        if slip is None:
            np.fill_diagonal(both, -1)
        return np.unravel_index(np.argmax(both), both.shape)
    return f


def majority_baseline(slip=None):
    def f(y_train, y_test):
        majority = np.bincount(y_test if slip == "test majority" else y_train).argmax()
        return {"the class": lambda: majority,
                "on training": lambda: np.mean(y_train == majority),
                "1/K": lambda: 1 / len(np.union1d(y_train, y_test))}.get(
                    slip, lambda: np.mean(y_test == majority))()
    return f


#: {check: (the reader's function, [(slip, phrase of its message)])}, and the known mistakes
#: that the value exercises' checks catch before their ValueAnswer sees the answer.
CHECK_MISTAKES = {
    "check_forward_pass": (forward, [
        ("no ReLU", "No ReLU: without φ"),
        ("ReLU on the output", "ReLU is applied to the output too"),
        ("no b1", "The hidden bias b1 is missing"),
        ("no b2", "The output bias b2 is missing"),
        ("b1 after ReLU", "added after the ReLU"),
        ("sigmoid", "That is a sigmoid hidden layer"),
        ("W1 @ x", "W¹ @ x does not fit"),
    ]),
    "check_parameter_count": (count, [
        ("weights only", "counts the weights only"),
        ("input biases", "gives the input nodes biases too"),
        ("nodes", "counts nodes"),
        ("sizes added", "adds layer sizes"),
        ("first pair", "counts only the first pair"),
    ]),
    "check_collapse": (collapse, [
        ("W transposed", "the shape of (W¹W²)ᵀ"),
        ("b2 only", "b = b² misses b¹"),
        ("no b2", "b = b¹W² misses b²"),
        ("biases added", "they cannot simply be added"),
    ]),
    "check_sgd_step": (sgd_step, [
        ("uphill", "You step uphill"),
        ("sum", "not the sum"),
        ("no 2", "The factor 2"),
        ("b not updated", "b is not updated"),
        ("no x", "missing the factor x"),
        ("b at the new w", "already updated w"),
    ]),
    "check_batch_indices": (batch_indices, [
        ("new draw per batch", "drawing new random indices for every batch"),
        ("floor", "there are ⌈n/B⌉"),
        ("no shuffle", "in the original order"),
        ("np.random", "The same seed gives a different order"),
        ("fixed seed", "Different seeds give the same order"),
        ("from 1", "indices run from 0"),
        ("array_split", "the remainder in the last"),
    ]),
    "check_stable_sigmoid": (stable_sigmoid, [
        ("notes' sign", "the notes' slip"),
        ("naive", "At z = -1000 numpy reports"),
        ("e^z / (1 + e^z)", "inf/inf, as in e^z / (1 + e^z)"),
        ("naive, warning silenced", "numpy's warning was only silenced"),
    ]),
    "check_tanh_grad": (lambda slip=None: {
        None: lambda z: 1 - np.tanh(z) ** 2, "no square": lambda z: 1 - np.tanh(z),
        "σ's pattern": lambda z: np.tanh(z) * (1 - np.tanh(z)),
        "sign": lambda z: np.tanh(z) ** 2 - 1, "cosh²": lambda z: np.cosh(z) ** 2,
        "1/cosh": lambda z: 1 / np.cosh(z),
        "tan's": lambda z: 1 + np.tanh(z) ** 2, "tanh": np.tanh}[slip], [
        ("no square", "You forgot the square"),
        ("σ's pattern", "the sigmoid's pattern"),
        ("sign", "The sign is off"),
        ("cosh²", "not cosh²(z)"),
        ("1/cosh", "1/cosh(z) misses a square"),
        ("tan's", "the derivative of tan"),
        ("tanh", "That is tanh itself"),
    ]),
    "check_dead_units": (find_dead, [
        ("live", "You marked the live units"),
        ("some", "not for some"),
        ("bias", "A negative bias alone"),
        ("per input", "one value per input and unit"),
        ("counts", "Return booleans (True = dead)"),
    ]),
    "check_sigmoid_backward": (backward_sigmoid, [
        ("ReLU's", "use ReLU's local derivative"),
        ("σ itself", "is σ(hin) itself"),
        ("y - pred", "Every gradient has the wrong sign"),
        ("no 2", "half the right size"),
        ("w3 times hin", "multiplies de_pred by hin"),
    ]),
    "check_mul_backward": (lambda slip=None: {
        None: lambda a, b, g: (b * g, a * g), "swapped": lambda a, b, g: (a * g, b * g),
        "no grad_out": lambda a, b, g: (b, a), "addition": lambda a, b, g: (g, g)}[slip], [
        ("swapped", "The operands are swapped"),
        ("no grad_out", "grad_out is missing"),
        ("addition", "backward pass of an addition node"),
    ]),
    "check_linear_backward": (linear_backward, [
        ("GᵀX", "W's transpose: ∂E/∂W must have W's shape"),
        ("/ N", "do not divide by N"),
        ("product of sums", "a product of sums"),
        ("mean", "db averages G over the rows"),
        ("axis 1", "db sums G along axis 1"),
        ("(G Wᵀ)ᵀ", "dX is (G Wᵀ)ᵀ"),
        ("dX summed", "dX is G Wᵀ summed over the examples"),
    ]),
    "check_relu_variance_gain": (lambda slip=None: {
        None: lambda s2, d: d * s2 / 2, "no ReLU half": lambda s2, d: d * s2,
        "no fan_in": lambda s2, d: s2 / 2, "std": lambda s2, d: math.sqrt(d * s2 / 2),
        "σ for σ²": lambda s2, d: d * math.sqrt(s2) / 2, "/ 4": lambda s2, d: d * s2 / 4}[slip], [
        ("no ReLU half", "twice too large"),
        ("no fan_in", "misses fan_in"),
        ("std", "the factor for the standard deviation"),
        ("σ for σ²", "treats sigma2 as a standard deviation"),
        ("/ 4", "the halving by ReLU happens once"),
    ]),
    "check_convolve2d_loops": (convolve, [
        ("flipped", "Your function flips the kernel"),
        ("window at h + i", "The windows start at x[h + i]"),
        ("transposed", "The kernel is transposed"),
        ("stride ignored", "the stride is ignored"),
        ("no padding", "the padding is missing"),
    ]),
    "check_conv_backward_loops": (conv_backward, [
        ("dx: correlation", "dx: the kernel is rotated by 180°. Entry"),
        ("dx: stride", "dx: the stride is forgotten"),
        ("no crop", "the padding crop is forgotten"),
        ("one-sided crop", "the crop is one-sided"),
        ("dW flipped", "dW is flipped"),
        ("dW: stride", "dW: the stride is forgotten"),
        ("db = G", "db is not summed"),
        ("db mean", "db is the mean of G"),
        ("db rows", "summed over its rows only"),
        ("db columns", "summed over its columns only"),
    ]),
    "check_early_stopping": (early_stop, [
        ("swapped", "You swapped them"),
        ("from 0", "count from 0"),
        ("ties improve", "A tie is no improvement"),
        ("vs previous", "not with the previous epoch"),
        ("waits one more", "one epoch too long"),
        ("stops one early", "one epoch too early"),
        ("no patience", "ignores the patience"),
    ]),
    "check_inverted_dropout": (dropout, [
        ("old dropout", "the old, non-inverted dropout"),
        ("drops in evaluation", "nothing is dropped: return x unchanged"),
        ("p keeps", "p is the probability to DROP"),
        ("unscaled", "The kept entries are unchanged"),
        ("times 1 − p", "You multiply the kept entries by 1 − p"),
        ("np.random", "Draw the mask from the `rng` argument"),
        ("in place", "changed x in place"),
        ("nothing dropped", "Nothing was dropped in training mode"),
    ]),
    "check_stable_softmax": (softmax_rows, [
        ("columns", "Your columns sum to 1"),
        ("naive", "overflows to inf, and inf/inf is nan"),
        ("global max", "subtract each row's own maximum"),
    ]),
    "check_softmax_ce_grad": (ce_grad, [
        ("no / N", "divide p − y by N"),
        ("Y − P", "not y − p"),
        ("P / N", "You return p / N"),
        ("P − 1", "You subtract y from every column"),
    ]),
    "check_confusion_matrix": (confusion, [
        ("transposed", "Rows and columns are swapped"),
        ("fractions", "Your rows sum to 1"),
        ("diagonal only", "Only the correct predictions are counted"),
        ("C[t, p] += 1", "with fancy indexing"),
        ("labels seen", "even when a class never occurs"),
    ]),
    "check_precision_recall": (precision_recall, [
        ("swapped", "Precision and recall are swapped"),
        ("accuracy", "That is the overall accuracy"),
        ("plain division", "Your result holds nan"),
    ]),
    "check_most_confused": (most_confused, [
        ("diagonal", "Leave the diagonal out (np.fill_diagonal)"),
        ("largest entry", "is the largest single entry"),
    ]),
    "check_majority_baseline": (majority_baseline, [
        ("the class", "is the majority class itself"),
        ("test majority", "You took the majority class of y_test"),
        ("on training", "That is its accuracy on the training labels"),
        ("1/K", "the accuracy of guessing at random"),
    ]),
    # the value exercises' checks that catch a mistake before their ValueAnswer does
    "check_edge_patch": (lambda slip=None: {
        None: [[23, 14], [16, -11]],
        "zero-padded, 4×4": np.zeros((4, 4)).tolist()}[slip], [
        ("zero-padded, 4×4", "fits in only 2×2 positions"),
    ]),
    "check_max_pool": (lambda slip=None: {
        None: [[6, 5], [8, 7]], "stride 1": [[6, 6, 5], [6, 7, 7], [8, 8, 7]],
        "global max": 8}[slip], [
        ("stride 1", "That is stride 1"),
        ("global max", "One number is a global max pooling"),
    ]),
    "check_layer_shapes": (lambda slip=None: {
        None: [((784, 128), (128,)), ((128, 64), (64,)), ((64, 10), (10,))],
        "a layer per size": [((784, 784), (784,)), ((784, 128), (128,)), ((128, 64), (64,)),
                             ((64, 10), (10,))]}[slip], [
        ("a layer per size", "one between each consecutive pair of sizes"),
    ]),
}


def check_cases() -> list:
    return [pytest.param(check, slip, phrase, id=f"{check}: {slip}")
            for check, (_, slips) in CHECK_MISTAKES.items() for slip, phrase in slips]


@pytest.mark.parametrize("check", sorted(CHECK_MISTAKES))
def test_each_readers_function_passes_without_its_slip(check):
    attempt = CHECK_MISTAKES[check][0]()
    fb = getattr(ex, check)(attempt)
    assert fb.passed, (check, str(fb))


@pytest.mark.parametrize("check, slip, phrase", check_cases())
def test_code_mistake_gets_its_own_message(check, slip, phrase):
    make, slips = CHECK_MISTAKES[check]
    fb = getattr(ex, check)(make(slip))
    said = "\n".join(fb.messages)
    assert not fb.passed and phrase in said, (
        f"{check}: the slip {slip!r} should get the message holding {phrase!r}; it got {said!r}")
    others = sorted({p for _, p in slips if p != phrase and p in said})
    assert not others, (
        f"{check}: the message for the slip {slip!r} also holds the phrase(s) {others} of "
        f"other mistakes, so it is not its own: {said!r}")


# -- Exercise 7.2: a step uphill is named by the parameter that took it ---------------------

@pytest.mark.parametrize("attempt, own, other", [
    ((W72 + 0.1 * (GW72 + 2 * 0.5 * W72), B_NEW72), "W", "b"),    # W: + in front of η
    ((W_NEW72, B72 + 0.1 * GB72), "b", "W"),                     # b: + in front of η
], ids=["W uphill", "b uphill"])
def test_weight_decay_step_uphill_names_its_own_parameter(attempt, own, other):
    fb = ex.check_weight_decay_step(attempt)
    said = "\n".join(fb.messages)
    assert fb.code == "mistake" and said.startswith(f"{own}_new steps uphill: {own} − η"), str(fb)
    assert not re.search(rf"\b{other}(_new)?\b", said), (
        f"the message for {own} stepped uphill names {other} too: {said!r}")
