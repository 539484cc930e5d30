"""Wrong attempts that the code checks of chapters 1, 2, 4, 5, 8 and 9 used to call correct
(issue 20, item 7, "checks that cannot be fooled"), in the style of test_fooled_checks.py.

Each test is one attempt, named for what it does, and requires that its check now says
"not passed" with a message that names what was done: (1) the task done by nnlib, scipy or
scikit-learn, or by a numerical derivative where the formula is asked, or with loops where
matrix operations are asked; (2) randomness from a few possibilities only or from numpy's
global state; (3) a guard escaped (an overflow silenced, a shift that overflows on rows the
check did not try, a table of the known cases); (4) a rule of the exercise broken (an
argument changed in place).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_fooled_checks import rejected

from nnlib import activations, layers, losses, training
from nnlib.autograd import Value
from nnlib.exercises import (
    check_batch_indices,
    check_collapse,
    check_confusion_matrix,
    check_forward_pass,
    check_linear_backward,
    check_majority_baseline,
    check_mul_backward,
    check_parameter_count,
    check_precision_recall,
    check_sgd_step,
    check_sigmoid_backward,
    check_softmax_ce_grad,
    check_stable_softmax,
)
from nnlib.optim import SGD

# -- Exercise 1.2: a forward pass --------------------------------------------------------

def test_forward_pass_by_nnlibs_linear_and_sequential():              # kind 1
    def by_layers(x, W1, b1, W2, b2):
        first, second = layers.Linear(*W1.shape), layers.Linear(*W2.shape)
        first.W.value[...], first.b.value[...] = W1, b1
        second.W.value[...], second.b.value[...] = W2, b2
        return layers.Sequential(first, activations.ReLU(), second)(x)

    rejected(check_forward_pass(by_layers), "calls nnlib.layers.Linear", "matrix products")


def test_forward_pass_with_einsum_is_fine():                          # an honest alternative
    def by_einsum(x, W1, b1, W2, b2):
        return np.einsum("nm,mk->nk", activations.relu(np.einsum("nd,dm->nm", x, W1) + b1),
                         W2) + b2

    assert check_forward_pass(by_einsum)


# -- Exercise 1.3: counting parameters ---------------------------------------------------

def test_parameter_count_by_nnlibs_layers():                           # kind 1
    def by_layers(sizes):
        pairs = zip(sizes, sizes[1:], strict=False)
        net = layers.Sequential(*(layers.Linear(a, b) for a, b in pairs))
        return sum(p.value.size for p in net.parameters())

    rejected(check_parameter_count(by_layers), "calls nnlib.layers.Linear", "yourself")


def test_parameter_count_that_looks_up_the_known_networks():          # kind 3
    known = {(2, 3, 1): 13, (3, 1): 4, (64, 32, 10): 2410, (10, 10, 10, 10): 330,
             (784, 128, 64, 10): 109386}

    rejected(check_parameter_count(lambda sizes: known.get(tuple(sizes), 0)),
             "Right on the 5 networks above", "not the answers")


# -- Exercise 1.4: two linear layers are one ---------------------------------------------

def test_collapse_that_adds_into_b2_in_place():                       # kind 4
    def in_place(W1, b1, W2, b2):
        b2 += b1 @ W2
        return W1 @ W2, b2

    rejected(check_collapse(in_place), "changed its input b2 in place")


# -- Exercise 2.1: one SGD step ----------------------------------------------------------

def test_sgd_step_by_a_central_difference():                          # kind 1
    def numeric(w, b, x, y, lr, h=1e-6):
        def loss(w, b):
            return np.mean((w * x + b - y) ** 2)

        g_w = (loss(w + h, b) - loss(w - h, b)) / (2 * h)
        g_b = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
        return w - lr * g_w, b - lr * g_b

    rejected(check_sgd_step(numeric), "a small step away from w or b", "numerical derivative")


def test_sgd_step_by_nnlibs_autograd():                               # kind 1
    def by_autograd(w, b, x, y, lr):
        W, B = Value(float(w)), Value(float(b))
        loss = sum(((W * float(xi) + B - float(yi)) ** 2 for xi, yi in
                    zip(x, y, strict=True)), Value(0.0)) * (1 / len(x))
        loss.backward()
        return w - lr * W.grad, b - lr * B.grad

    rejected(check_sgd_step(by_autograd), "calls nnlib.autograd.Value", "yourself")


def test_sgd_step_by_nnlibs_linear_loss_and_optimizer():              # kind 1
    def by_nnlib(w, b, x, y, lr):
        layer, loss = layers.Linear(1, 1), losses.MSELoss()
        layer.W.value[...], layer.b.value[...] = w, b
        loss(layer(x[:, None]), y[:, None])
        layer.backward(loss.backward())
        SGD(layer.parameters(), lr=lr).step()
        return float(layer.W.value[0, 0]), float(layer.b.value[0])

    rejected(check_sgd_step(by_nnlib), "calls nnlib.layers.Linear")


def test_sgd_step_that_changes_the_batch_in_place():                  # kind 4
    def in_place(w, b, x, y, lr):
        r = w * x + b - y
        g_w, g_b = np.mean(2 * r * x), np.mean(2 * r)
        x -= lr                              # the data of the next step is changed
        return w - lr * g_w, b - lr * g_b

    rejected(check_sgd_step(in_place), "changed the batch x in place")


# -- Exercise 2.2: the batches of one epoch ----------------------------------------------

def cut(order, B):
    return [order[i:i + B] for i in range(0, len(order), B)]


def test_batches_by_nnlibs_minibatches():                             # kind 1
    def by_nnlib(n, B, rng):
        return [xb[:, 0].astype(int) for xb, _ in
                training.minibatches(np.arange(n)[:, None], np.arange(n), B, rng=rng)]

    rejected(check_batch_indices(by_nnlib), "calls nnlib.training.minibatches", "yourself")


def test_batches_that_reseed_numpys_global_random_state():            # kind 2
    def global_state(n, B, rng):
        np.random.seed(int(rng.integers(2 ** 31)))          # noqa: NPY002 (the attempt tested)
        return cut(np.random.permutation(n), B)             # noqa: NPY002

    rejected(check_batch_indices(global_state), "changes numpy's global random state")


def test_batches_from_one_of_two_seeds():                             # kind 2
    def few_orders(n, B, rng):
        return cut(np.random.default_rng(int(rng.integers(2))).permutation(n), B)

    rejected(check_batch_indices(few_orders), "in only 2 different ways", "a few possibilities")


def test_batches_in_a_rotated_order():                                # kind 2
    def rotated(n, B, rng):
        return cut(np.roll(np.arange(n), int(rng.integers(n))), B)

    rejected(check_batch_indices(rotated), "30 different seeds", "rng.permutation(n)")


def test_batches_sorted_inside_each_batch_are_fine():                 # an honest alternative
    assert check_batch_indices(lambda n, B, rng: [np.sort(b) for b in cut(rng.permutation(n), B)])


# -- Exercise 4.1: the backward pass with a sigmoid --------------------------------------

def test_sigmoid_backward_by_nnlibs_autograd():                       # kind 1
    def by_autograd(x1, y, w1, w2, w3):
        w = [Value(w1), Value(w2), Value(w3)]
        ((w[2] * (w[0] * x1 + w[1] * x1 + 3).sigmoid() - y) ** 2).backward()
        return tuple(v.grad for v in w)

    rejected(check_sigmoid_backward(by_autograd), "calls nnlib.autograd.Value", "chain rule")


def test_sigmoid_backward_by_a_complex_step():                        # kind 1
    def complex_step(x1, y, w1, w2, w3, h=1e-20):
        def e(a, b, c):
            return (c / (1 + np.exp(-(a * x1 + b * x1 + 3))) - y) ** 2

        w = (w1, w2, w3)
        return tuple(float(np.imag(e(*(v + 1j * h * (i == k) for i, v in enumerate(w))))) / h
                     for k in range(3))

    rejected(check_sigmoid_backward(complex_step), "complex-step derivative")


def test_sigmoid_backward_with_nnlibs_sigmoid_grad():                 # kind 1
    def library_factor(x1, y, w1, w2, w3):
        hin = w1 * x1 + w2 * x1 + 3
        hout = activations.sigmoid(hin)
        de_pred = 2 * (w3 * hout - y)
        de_hin = de_pred * w3 * activations.sigmoid_grad(hin)
        return de_hin * x1, de_hin * x1, de_pred * hout

    rejected(check_sigmoid_backward(library_factor), "calls nnlib.activations.sigmoid_grad")


# -- Exercise 4.3: the backward pass of a multiplication node ----------------------------

def test_mul_backward_by_autograds_own_backward():                    # kind 1
    def by_value(a, b, grad_out):
        A, B = Value(a), Value(b)
        out = A * B
        out.grad = grad_out
        out._backward()
        return A.grad, B.grad

    rejected(check_mul_backward(by_value), "calls nnlib.autograd.Value")


def test_mul_backward_by_a_central_difference():                      # kind 1
    def numeric(a, b, grad_out, h=1e-6):
        return (grad_out * ((a + h) * b - (a - h) * b) / (2 * h),
                grad_out * (a * (b + h) - a * (b - h)) / (2 * h))

    rejected(check_mul_backward(numeric), "not equal to the last digit", "difference quotient")


@pytest.mark.parametrize("h", [1.0, 0.5, 2.0, 1e-3, 1e-8])
def test_mul_backward_by_a_forward_difference_of_any_step(h):          # kind 1
    """A product is linear in each operand, so a difference quotient is exact in real
    numbers for every step h (h = 1 gives integers exactly); in floating point it is off
    in the last digits once the operands differ in size, which the check's cases do."""
    def numeric(a, b, grad_out):
        return (grad_out * ((a + h) * b - a * b) / h,
                grad_out * (a * (b + h) - a * b) / h)

    rejected(check_mul_backward(numeric), "not equal to the last digit", "difference quotient")


def test_mul_backward_honest_orders_of_the_product_pass():
    """The rule in any order of its factors is one product per entry: exact."""
    for rule in (lambda a, b, g: (b * g, a * g), lambda a, b, g: (g * b, g * a)):
        assert check_mul_backward(rule).passed


# -- Exercise 5.2: the backward pass of a linear layer -----------------------------------

def test_linear_backward_by_nnlibs_linear():                          # kind 1
    def by_layer(X, W, G):
        layer = layers.Linear(*W.shape)
        layer.W.value[...] = W
        layer.forward(X)
        dX = layer.backward(G)
        return layer.W.grad, layer.b.grad, dX

    rejected(check_linear_backward(by_layer), "calls nnlib.layers.Linear", "matrix products")


def test_linear_backward_with_a_loop_over_the_examples():             # kind 1
    def loops(X, W, G):
        dW = np.zeros_like(W)
        for n in range(len(X)):
            dW += np.outer(X[n], G[n])
        return dW, G.sum(axis=0), G @ W.T

    rejected(check_linear_backward(loops), "it loops over examples", "matrix operations only")


# -- Exercise 8.1: a softmax that never overflows ----------------------------------------

def rows(e):
    return e / e.sum(axis=1, keepdims=True)


def test_softmax_by_nnlib():                                          # kind 1
    rejected(check_stable_softmax(lambda s: activations.softmax(s, axis=1)),
             "calls nnlib.activations.softmax", "yourself")


def test_softmax_by_scipy():                                          # kind 1
    special = pytest.importorskip("scipy.special")
    rejected(check_stable_softmax(lambda s: special.softmax(s, axis=1)),
             "calls scipy.special.softmax")


def test_softmax_by_scipys_logsumexp():                               # kind 1
    special = pytest.importorskip("scipy.special")
    rejected(check_stable_softmax(
        lambda s: np.exp(s - special.logsumexp(s, axis=1, keepdims=True))),
        "calls scipy.special.logsumexp")


@pytest.mark.parametrize("shift", [
    lambda s: s.mean(axis=1, keepdims=True),
    lambda s: s.min(axis=1, keepdims=True),
    lambda s: s[:, :1],
], ids=["row mean", "row minimum", "first entry"])
def test_softmax_shifted_by_something_else_than_the_row_maximum(shift):  # kind 3
    rejected(check_stable_softmax(lambda s: rows(np.exp(s - shift(s)))),
             "[-1000.0, 0.0, 1000.0]", "exp(1000) overflows")


def test_softmax_in_long_double_precision():                          # kind 3
    def long_double(s):
        return rows(np.exp(s.astype(np.longdouble))).astype(float)

    rejected(check_stable_softmax(long_double), "1000000.0", "overflows")


def test_softmax_that_overflows_silently_and_recomputes_those_rows():  # kind 3
    def naive_first(s):
        with np.errstate(over="ignore", invalid="ignore"):
            p = rows(np.exp(s))
        bad = ~np.all(np.isfinite(p), axis=1)
        p[bad] = rows(np.exp(s - s.max(axis=1, keepdims=True)))[bad]
        return p

    rejected(check_stable_softmax(naive_first), "np.exp turned finite numbers into inf",
             "still overflows")


def test_softmax_that_works_in_place_on_the_scores():                 # kind 4
    def in_place(s):
        s -= s.max(axis=1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=1, keepdims=True)
        return s

    rejected(check_stable_softmax(in_place), "changed the scores s in place")


# -- Exercise 8.3: the gradient p − y ----------------------------------------------------

def test_ce_grad_by_nnlibs_loss():                                    # kind 1
    def by_loss(scores, labels):
        loss = losses.SoftmaxCrossEntropy()
        loss(scores, labels)
        return loss.backward()

    rejected(check_softmax_ce_grad(by_loss), "calls nnlib.losses.SoftmaxCrossEntropy",
             "your stable softmax")


def test_ce_grad_with_scipys_softmax():                               # kind 1
    special = pytest.importorskip("scipy.special")
    rejected(check_softmax_ce_grad(lambda s, y: (special.softmax(s, axis=1)
                                                 - np.eye(s.shape[1])[y]) / len(s)),
             "calls scipy.special.softmax", "my_softmax")


# -- Exercises 9.1, 9.2 and 9.4: confusion matrix, precision and recall, baseline -------

def test_confusion_matrix_by_nnlib():                                 # kind 1
    rejected(check_confusion_matrix(lambda t, p, k: training.confusion_matrix(t, p, k)),
             "calls nnlib.training.confusion_matrix", "yourself")


def test_confusion_matrix_by_sklearn():                               # kind 1
    metrics = pytest.importorskip("sklearn.metrics")
    rejected(check_confusion_matrix(
        lambda t, p, k: metrics.confusion_matrix(t, p, labels=list(range(k)))),
        "calls sklearn.metrics.confusion_matrix")


def test_confusion_matrix_by_bincount_is_fine():                      # an honest alternative
    assert check_confusion_matrix(
        lambda t, p, k: np.bincount(t * k + p, minlength=k * k).reshape(k, k))


def test_precision_recall_by_sklearn():                               # kind 1
    metrics = pytest.importorskip("sklearn.metrics")

    def by_sklearn(cm):
        k = len(cm)
        true = np.repeat(np.repeat(np.arange(k), k), cm.ravel())
        pred = np.repeat(np.tile(np.arange(k), k), cm.ravel())
        p, r, _, _ = metrics.precision_recall_fscore_support(true, pred, labels=list(range(k)),
                                                             zero_division=0)
        return p, r

    rejected(check_precision_recall(by_sklearn),
             "calls sklearn.metrics.precision_recall_fscore_support")


def test_majority_baseline_by_sklearns_dummy_classifier():            # kind 1
    dummy = pytest.importorskip("sklearn.dummy")

    def by_dummy(y_train, y_test):
        model = dummy.DummyClassifier(strategy="most_frequent").fit(y_train[:, None], y_train)
        return model.score(y_test[:, None], y_test)

    rejected(check_majority_baseline(by_dummy), "calls sklearn.dummy.DummyClassifier")
