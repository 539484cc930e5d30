"""Exercises of chapter 3, activations: a stable sigmoid, the derivative of
tanh, dead ReLU units and the depth at which sigmoid gradients vanish.
"""

from __future__ import annotations

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _call,
    _close,
    _floats,
    _guarded,
    _known_mistake,
    _not_a_function,
    _show,
    _verdict,
    _watched_call,
)
from ._overflow import (
    _EXP_LIKE,
    _finite_to_inf,
    _numpy_spied,
    _overflow_warns,
    _silent_overflows,
)

__all__ = [
    "DEAD_UNITS_EXERCISE", "SLOPES_EXERCISE_Z", "check_dead_units",
    "check_dead_units_by_hand", "check_sigmoid_depth", "check_slopes",
    "check_stable_sigmoid", "check_tanh_grad", "STABLE_SIGMOID_ANSWER", "TANH_GRAD_ANSWER",
    "SIGMOID_DEPTH_ANSWER", "SLOPES_ANSWER", "DEAD_UNITS_BY_HAND_ANSWER",
    "STABLE_SIGMOID_EXERCISE_Z", "check_stable_sigmoid_values", "TANH_GRAD_EXERCISE_Z",
    "check_tanh_grad_by_hand"
]

#: The mistake of Exercise 3.3 (in code) and 3.6 (by hand) alike: dead and alive swapped.
_LIVE_MARKED = ("You marked the live units: a unit is dead when its pre-activation is ≤ 0 "
                "for every input.")


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
    out, why = _floats(out, finite=False)           # nan and inf are explained by the checks
    if why:
        return None, f"Return an array of numbers, got {why}.", notes
    if out.shape != z.shape:
        return None, (f"For z of shape {z.shape} return an array of the same shape (one "
                      f"value per entry), got shape {out.shape}."), notes
    return out, None, notes


def _ch03_library_sigmoids() -> tuple:
    """``(ufunc, name)`` pairs of scipy's sigmoids, if scipy.special is loaded (else none: a
    reader's code cannot refer to them without importing it). A ufunc's call is seen by no
    trace, so :func:`~nnlib.exercises._feedback._watched_call` looks for the reader's code
    referring to it, also through a name bound before the call and on a plain array."""
    import sys

    special = sys.modules.get("scipy.special")
    return tuple((getattr(special, name), f"scipy.special.{name}")
                 for name in ("expit", "log_expit") if hasattr(special, name))


def _ch03_sigmoid_ways(sigmoid_fn, z) -> list[str]:
    """What is wrong with *how* ``sigmoid_fn(z)`` computes right values, one message (or
    none): a library sigmoid called, an overflow raised and caught, or an overflow whose
    warning was silenced, seen by watching numpy's functions or the ufuncs applied to z."""
    import warnings

    import numpy as np

    from .. import activations, autograd

    overflowed: list[str] = []

    def report(name, args, result):
        if _finite_to_inf(args, result) and f"np.{name}" not in overflowed:
            overflowed.append(f"np.{name}")

    with (warnings.catch_warnings(record=True) as caught,
          np.errstate(all="ignore", over="warn"), _numpy_spied(_EXP_LIKE, report),
          _overflow_warns()):
        warnings.simplefilter("always")
        seen = _watched_call(sigmoid_fn, z.copy(),
                             forbidden=(activations.sigmoid, autograd.Value.sigmoid,
                                        *_ch03_library_sigmoids()),
                             raises=(OverflowError, FloatingPointError))
    if any("overflow" in str(w.message) for w in caught) and not overflowed:
        overflowed.append("an operation (numpy warned 'overflow')")
    silent, applied = _silent_overflows(sigmoid_fn, z)
    library = seen.called + [f"scipy.special.{name}" for name in ("expit", "log_expit")
                             if name in applied and f"scipy.special.{name}" not in seen.called]
    if library:
        return [f"Your function calls {library[0]}, a library's sigmoid: then this check "
                "cannot see your own computation. Write the stable sigmoid yourself: "
                "exponentiate only −|z|, which is ≤ 0."]
    if seen.raised:
        article = "an" if seen.raised[0][0] in "AEIOU" else "a"
        return [f"Your values are right, but inside your function e^1000 still overflows: "
                f"{article} {seen.raised[0]} was raised for z = ±1000 and caught. Avoid the "
                "overflow instead of catching it: exponentiate only −|z|, which is ≤ 0."]
    silent = overflowed or silent
    if silent:
        return [f"Your values are right, but inside your function {silent[0]} turned finite "
                "numbers into inf for z = ±1000: e^1000 still overflows, numpy's warning was "
                "only silenced (e.g. by np.errstate). Exponentiate only −|z|, which is ≤ 0, "
                "so that nothing overflows."]
    return []


def _ch03_all_at_once(sigmoid_fn, z) -> list[str]:
    """The problem of ``sigmoid_fn`` on all of ``z`` in one array (each entry alone was
    right), or none: an entry's value must not depend on the others."""
    import numpy as np

    from ..activations import sigmoid

    out, error, notes = _ch03_run(sigmoid_fn, z)
    at = f"Called on all {len(z)} points at once (one array from {z.min():g} to {z.max():g})"
    if error:
        return [f"{at}, your function fails: {error}"]
    bad = np.isnan(out) | ~np.isclose(out, sigmoid(z), rtol=1e-9, atol=1e-15)
    if notes or bad.any():
        said = f", numpy reports {'; '.join(repr(n) for n in notes)}" if notes else ""
        where = ""
        if bad.any():
            k = int(np.argmax(bad))
            where = (f"{' and' if notes else ','} at z = {z[k]:g} your function gives "
                     f"{out[k]:.6g} instead of {sigmoid(z)[k]:.6g}")
        return [f"{at}{said}{where}, although each point alone is right: σ(z) of one entry "
                "must not depend on the other entries (e.g. do not shift every entry by the "
                "largest z of the array, as for a softmax). Use e^(−|z|) entry by entry."]
    return []


@_guarded
def check_stable_sigmoid(sigmoid_fn) -> Feedback:
    """Exercise 3.1: ``sigmoid_fn(z)`` must return ``1 / (1 + e^{-z})`` entry-wise for an
    array ``z``, for every finite ``z`` (±1000 and the largest floats, ±1e308, included)
    without an overflow, silenced or caught, and without NaN, each entry alone and all in
    one array, computed by the reader (not by a library's sigmoid)."""
    import numpy as np

    from ..activations import sigmoid

    not_ready = _not_a_function(sigmoid_fn, "check_stable_sigmoid")
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
    # and the largest floats: "never overflows" is for every finite z (a long double or a
    # clip at ±1000 only postpones the overflow)
    for zi in (*z[~moderate], -1e308, 1e308):
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
    if not problems:
        problems = _ch03_all_at_once(sigmoid_fn, z)
    if not problems:
        problems = _ch03_sigmoid_ways(sigmoid_fn, z)
    return _verdict(problems, "Right values, no overflow and no NaN, even at z = ±1000: your "
                              "sigmoid is safe to use on any finite input.")


#: numpy's functions through which a difference quotient or a complex step evaluates tanh.
_CH03_TANH_LIKE = ("tanh", "cosh", "sinh", "exp", "expm1", "exp2")


def _ch03_tanh_grad_ways(tanh_grad_fn, z) -> list[str]:
    """What is wrong with *how* ``tanh_grad_fn(z)`` computes right values, one message (or
    none): the library's derivative, a numerical or automatic derivative, a complex step,
    or tanh evaluated a small step away from z (a difference quotient)."""
    import cmath
    import warnings

    import numpy as np

    from .. import activations, autograd, gradcheck

    complex_at: list[str] = []
    shifted: list[str] = []

    def report(name, args, result):
        for a in args:
            if not isinstance(a, (np.ndarray, np.number, complex)):
                continue
            a = np.asarray(a)
            if a.dtype.kind == "c":
                complex_at.append(f"np.{name}")
            elif a.dtype.kind == "f" and a.shape == z.shape:
                for scale in (1.0, -1.0, 2.0, -2.0):
                    step = np.abs(a - scale * z)
                    if np.all(step <= 1e-2) and step.max() > 1e-10:
                        shifted.append(f"np.{name}")

    with (warnings.catch_warnings(), np.errstate(all="ignore"),
          _numpy_spied(_CH03_TANH_LIKE, report)):
        warnings.simplefilter("ignore")
        seen = _watched_call(tanh_grad_fn, z.copy(),
                             forbidden=(activations.tanh_grad, autograd, gradcheck, cmath))
    derive = ("Derive tanh' from tanh = sinh/cosh (quotient rule) and write it as a function "
              "of tanh z.")
    if seen.called and seen.called[0].startswith("nnlib.activations"):
        return [f"Your function calls {seen.called[0]}, the library's derivative of tanh: "
                f"then this check cannot see your own formula. {derive}"]
    complex_at += [name for name in seen.called if name.startswith("cmath.")]
    seen.called = [name for name in seen.called if not name.startswith("cmath.")]
    if seen.called:
        return [f"Your function calls {seen.called[0]}: it lets nnlib differentiate tanh "
                "(numerically or automatically) instead of using the formula the exercise "
                f"asks for. {derive}"]
    if complex_at:
        return [f"Your function evaluates {complex_at[0]} at complex points z + ih: a "
                "complex-step derivative, which agrees with tanh' to round-off but is not the "
                f"formula the exercise asks for. {derive}"]
    if shifted:
        return [f"Your function evaluates {shifted[0]} a small step away from z: a difference "
                "quotient (a numerical derivative), which happens to agree with tanh' here to "
                "round-off. The exercise asks for the formula, so that you can compare it with "
                f"a central difference, not compute one. {derive}"]
    return []


def _tanh_grad_slips(z):
    """The usual slips of Exercise 3.2, each message with what it gives at ``z``: one table
    for the code check and the values by hand."""
    import numpy as np

    t = np.tanh(z)
    return {
        "You forgot the square: tanh'(z) = 1 − tanh(z)², not 1 − tanh(z).": 1 - t,
        "tanh(1 − tanh) is the sigmoid's pattern σ(1 − σ); for tanh the derivative is "
        "1 − tanh².": t * (1 - t),
        "The sign is off: tanh rises everywhere, so its derivative is positive, 1 − tanh².":
            t ** 2 - 1,
        "tanh' = 1/cosh²(z) (equal to 1 − tanh²(z)), not cosh²(z).": np.cosh(z) ** 2,
        "1/cosh(z) misses a square: the quotient rule gives 1/cosh²(z) = 1 − tanh²(z).":
            1 / np.cosh(z),
        "1 + tanh² is the derivative of tan, not of tanh: here it is 1 − tanh².": 1 + t ** 2,
        "That is tanh itself; the question asks for its derivative.": t,
    }


@_guarded
def check_tanh_grad(tanh_grad_fn) -> Feedback:
    """Exercise 3.2: ``tanh_grad_fn(z)`` must return ``tanh'(z) = 1 − tanh²(z)`` entry-wise."""
    import numpy as np

    not_ready = _not_a_function(tanh_grad_fn, "check_tanh_grad")
    if not_ready is not None:
        return not_ready
    # 13 points from -3 to 3, neither symmetric nor in order: tanh' is even, so on a
    # symmetric sorted grid the values reversed would pass
    z = np.array([0.35, -2.4, 1.0, -0.6, 3.0, -1.9, 0.0, 2.3, -3.0, 0.9, -1.1, 1.6, -0.2])
    out, error, _ = _ch03_run(tanh_grad_fn, z)
    if error:
        return Feedback(False, [error])
    t = np.tanh(z)
    right = 1 - t ** 2
    # honest formulas (1 − tanh², 1/cosh², 4σ'(2z), ...) agree to 1e-13 relative, the best
    # difference quotient only to 1e-10: 1e-12 tells them apart
    if _close(out, right) and np.max(np.abs(out - right) / right) <= 1e-12:
        ways = _ch03_tanh_grad_ways(tanh_grad_fn, z)
        if ways:
            return Feedback(False, ways)
        return Feedback(True, ["tanh'(z) = 1 − tanh²(z): largest (1) at z = 0, and below "
                               "0.01 once |z| > 3, so tanh saturates like the sigmoid but "
                               "with four times the peak slope."])
    slope = (np.tanh(1 + 1e-6) - np.tanh(1 - 1e-6)) / 2e-6
    variants = _tanh_grad_slips(z)
    mistake = _known_mistake(out, variants)
    if mistake:
        return Feedback(False, [mistake])
    k = int(np.argmin(np.abs(z - 1)))
    if np.all(np.isfinite(out)) and np.abs(out - right).max() < 1e-3:
        worst = int(np.argmax(np.abs(out - right) / right))
        return Feedback(False, [f"Your values are close to tanh' but not equal to round-off: "
                                f"at z = {z[worst]:g} tanh' is {right[worst]:.15g}, yours is "
                                f"{out[worst]:.15g} (relative error "
                                f"{abs(out[worst] / right[worst] - 1):.1e}; a formula is "
                                "right to 1e-13). That is what a numerical derivative (a "
                                "difference quotient) gives; the exercise asks for the exact "
                                "formula, derived from tanh = sinh/cosh."])
    return Feedback(False, [f"At z = 1 the slope of tanh (central difference) is {slope:.6f}, "
                            f"your function gives {out[k]:.6f}; at z = 0 it should be 1, "
                            f"yours gives {out[np.argmin(np.abs(z))]:.6f}."])


def _ch03_dead_cases():
    """Layers and inputs with known dead units. In the first two no pre-activation is
    exactly 0; the third is integer data, computed exactly, with a dead unit whose largest
    pre-activation is exactly 0, a dead unit at exactly 0 for every input (ReLU'(0) = 0),
    and a unit that only the last input lifts, to 2⁻⁶⁰ > 0 (alive): ``z < 0`` is not
    ``z ≤ 0``, no tolerance is right, and every input counts."""
    import numpy as np

    from ..layers import Linear

    rng = np.random.default_rng(3)
    cases = []
    for n, d, units, dead, rare in [(50, 4, 6, (1, 4), (2,)), (30, 3, 5, (0,), (3,))]:
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
    # integers, so every order of the sums gives the same z: unit 0 tops out at exactly 0,
    # unit 1 at exactly 2^-60 (its weight on the constant input 1 cancels its largest xw),
    # on the last input only, unit 2 is 0 everywhere, unit 3 is alive
    X = rng.integers(-3, 4, (40, 5)).astype(float)
    X[:, 4] = 1.0
    W = rng.integers(-2, 3, (5, 4)).astype(float)
    W[:, 2] = 0.0
    W[4, :2] = 0.0
    while not (np.sort(X @ W[:, 1])[-1] > np.sort(X @ W[:, 1])[-2] and (X @ W[:, 0]).max() > 0):
        W[:4, :2] = rng.integers(-2, 3, (4, 2))
    top = int(np.argmax(X @ W[:, 1]))
    X[[top, -1]] = X[[-1, top]]                          # the one input that lifts unit 1
    W[4, 1] = -(X @ W[:, 1]).max()
    z = X @ W
    layer = Linear(5, 4, rng=rng)
    layer.W.value[...] = W
    layer.b.value[:] = (-z[:, 0].max(), 2.0 ** -60, 0.0, 0.5)
    cases.append((X, layer))
    return cases


@_guarded
def check_dead_units(find_dead) -> Feedback:
    """Exercise 3.3: ``find_dead(X, layer)`` must return a boolean array of shape
    ``(out_features,)``: True for a unit whose pre-activation ``z = xW + b`` is ≤ 0 for
    every row ``x`` of ``X`` (so ReLU' = 0 for every input and its weights never change)."""
    import numpy as np

    not_ready = _not_a_function(find_dead, "check_dead_units")
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
        except Exception:                      # e.g. ragged lists
            out = np.asarray(None)
        if out.dtype.kind not in "biuf":
            return Feedback(False, [f"Return an array of booleans, got {_show(out)}."])
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
            return Feedback(False, [_LIVE_MARKED])
        if np.array_equal(out, np.any(z <= 0, axis=0)):
            return Feedback(False, ["A unit that is negative for some inputs still gets a "
                                    "gradient from the others: dead means ≤ 0 for every "
                                    "input (np.all over axis 0), not for some."])
        if np.array_equal(out, b0 < 0):
            return Feedback(False, ["A negative bias alone does not kill a unit: xW can "
                                    "outweigh it. Look at z = X @ W + b for every input."])
        top = z.max(axis=0)
        if np.array_equal(out, np.all(z < 0, axis=0)):
            j = int(np.argmax(out != right))
            return Feedback(False, [f"Unit {j} is ≤ 0 for every input and exactly 0 for "
                                    f"{int(np.sum(z[:, j] == 0))} of them, so you call it "
                                    "alive; but ReLU'(0) = 0 (nnlib's convention, "
                                    "relu_grad(0) = 0), so z = 0 passes no gradient either. "
                                    "Dead means z ≤ 0 for every input, not z < 0."])
        if np.all(out[out != right]) and np.all((top[out != right] > 0)
                                                & (top[out != right] <= 1e-6)):
            j = int(np.argmax(out != right))
            live = np.flatnonzero(z[:, j] > 0)
            which = ("the last" if live.tolist() == [len(z) - 1] else f"number {live[0] + 1}"
                     if len(live) == 1 else f"{len(live)}")
            return Feedback(False, [f"Unit {j} is positive for {which} of the {len(z)} "
                                    f"inputs, with z = {top[j]:.3g}: however small and however "
                                    "rare, a positive pre-activation passes the gradient "
                                    "(ReLU' = 1 there), so the unit is alive. Compare z ≤ 0 "
                                    "exactly, without a tolerance, for every input."])
        j = int(np.argmax(out != right))
        live = int(np.sum(z[:, j] > 0))
        return Feedback(False, [f"Unit {j}: you say {'dead' if out[j] else 'alive'}, but its "
                                f"pre-activation is > 0 for {live} of {len(z)} inputs, so it "
                                f"is {'dead' if right[j] else 'alive'}."])
    return Feedback(True, ["Dead units found, including one that is positive for a single "
                           "input only: that unit still learns, from that one input."])


def _sigmoid_depth_answer() -> ValueAnswer:
    """The truth of Exercise 3.4: the smallest depth L with (1/4)^L < 10⁻⁶."""
    import math

    bound = 6 / math.log10(4)
    L = math.floor(bound) + 1
    assert 0.25 ** (L - 1) >= 1e-6 > 0.25 ** L
    shallow = tuple(Mistake((float(k),), f"(1/4)^{k} = {0.25 ** k:.3g} is still ≥ 10⁻⁶: go "
                                         "deeper.") for k in range(1, L))
    deep = tuple(Mistake((float(k),), f"(1/4)^{k} = {0.25 ** k:.3g} is below 10⁻⁶, but so is "
                                      f"(1/4)^{k - 1} = {0.25 ** (k - 1):.3g}: look for the "
                                      "smallest L.") for k in range(L + 1, 2 * L + 1))
    return ValueAnswer(
        exercise="3.4", labels=("L",), expected=(float(L),), check_name="check_sigmoid_depth",
        digits=None,                                            # a number of layers: exact
        success=(f"(1/4)^{L - 1} ≈ {0.25 ** (L - 1):.2g} is still above 10⁻⁶, (1/4)^{L} ≈ "
                 f"{0.25 ** L:.2g} is below: L = {L}, since L > 6 / log₁₀ 4 ≈ {bound:.2f}."),
        mistakes=(
            Mistake((float(L - 1),), f"6 / log₁₀ 4 ≈ {bound:.2f} rounded down: (1/4)^{L - 1} = "
                                     f"{0.25 ** (L - 1):.3g} is still ≥ 10⁻⁶: go deeper."),
            *shallow[:-1], *deep),
        hint=("Give a whole number of layers: the smallest L with L·log₁₀ 4 > 6, i.e. "
              "(1/4)^L < 10⁻⁶."))


SIGMOID_DEPTH_ANSWER = _sigmoid_depth_answer()


@_guarded
def check_sigmoid_depth(answer) -> Feedback:
    """Exercise 3.4: the smallest depth L with (1/4)^L < 10⁻⁶ (the answer is 10), judged by
    ``SIGMOID_DEPTH_ANSWER`` as the HTML form is."""
    return SIGMOID_DEPTH_ANSWER.check(answer)


SLOPES_EXERCISE_Z = 2.0
"""Exercise 3.5 — the point z where the reader computes σ'(z)."""


def _slopes_answer() -> ValueAnswer:
    """The truth of Exercise 3.5: σ'(0), tanh'(0) and σ'(z) at :data:`SLOPES_EXERCISE_Z`."""
    import math

    z = SLOPES_EXERCISE_Z
    s = 1 / (1 + math.exp(-z))
    slope = s * (1 - s)
    return ValueAnswer(
        exercise="3.5", labels=("σ'(0)", "tanh'(0)", f"σ'({z:g})"),
        expected=(0.25, 1.0, slope), check_name="check_slopes",
        success=(f"σ'(0) = σ(0)(1 − σ(0)) = 1/4 and tanh'(0) = 1 − tanh²(0) = 1 are the "
                 f"largest slopes of the two functions; already at z = {z:g}, σ' = "
                 f"{s:.4f}·{1 - s:.4f} = {slope:.4f}, less than half its peak."),
        mistakes=(
            Mistake((-0.25, None, -slope), "Your slopes are negative: that is the derivative "
                                           "of the notes' 1/(1 + e^z) = σ(−z), which falls. "
                                           "σ rises, so σ' = σ(1 − σ) > 0."),
            Mistake((0.25, 1.0, 1 - math.tanh(z) ** 2),
                    f"{1 - math.tanh(z) ** 2:.4f} is tanh'({z:g}); the third entry asks for "
                    f"the sigmoid's slope σ'({z:g}) = σ({z:g})(1 − σ({z:g}))."),
            Mistake((0.5, None, None), "σ(0) = 0.5 is the value of the sigmoid at 0; its "
                                       "slope is σ'(0) = σ(0)(1 − σ(0))."),
            Mistake((None, 0.0, None), "tanh(0) = 0 is the value; its slope is "
                                       "tanh'(0) = 1 − tanh²(0)."),
            Mistake((None, 0.25, None), "1/4 is the sigmoid's peak slope; tanh is steeper: "
                                        "tanh'(0) = 1 − tanh²(0)."),
            Mistake((None, None, s), f"σ({z:g}) = {s:.4f} is the value; the slope is "
                                     f"σ'({z:g}) = σ({z:g})(1 − σ({z:g}))."),
            Mistake((None, None, 1 - s), f"1 − σ({z:g}) = {1 - s:.4f} is one factor of the "
                                         f"slope: multiply by σ({z:g}) = {s:.4f}."),
        ),
        hint=f"σ' = σ(1 − σ) and tanh' = 1 − tanh²; σ({z:g}) = 1/(1 + e^(−{z:g})).")


SLOPES_ANSWER = _slopes_answer()


@_guarded
def check_slopes(answer) -> Feedback:
    """Exercise 3.5: ``answer = (σ'(0), tanh'(0), σ'(2))``, judged by ``SLOPES_ANSWER`` as
    the HTML form is."""
    return SLOPES_ANSWER.check(answer)


DEAD_UNITS_EXERCISE = {"X": ((1.0, 0.0), (0.0, 1.0), (1.0, 1.0)),
                       "W": ((2.0, -1.0, 1.0), (1.0, -2.0, -2.0)), "b": (-0.5, 0.5, 0.5)}
"""Exercise 3.6 — a batch ``X`` (one example per row) and a layer ``z = xW + b`` of three
ReLU units: which units are dead on this batch?"""

_UNIT_STATES = ("alive", "dead")


def _dead_units_by_hand_answer() -> ValueAnswer:
    """The truth of Exercise 3.6, computed from :data:`DEAD_UNITS_EXERCISE`."""
    ex = DEAD_UNITS_EXERCISE
    X, W, b = ex["X"], ex["W"], ex["b"]
    units = range(len(b))
    z = [[sum(x[i] * W[i][k] for i in range(len(x))) + b[k] for k in units] for x in X]

    def word(dead):
        return "dead" if dead else "alive"

    right = tuple(word(all(row[k] <= 0 for row in z)) for k in units)
    swapped = tuple(word(state == "alive") for state in right)
    some = tuple(word(any(row[k] <= 0 for row in z)) for k in units)
    by_bias = tuple(word(bk < 0) for bk in b)
    assert len({right, swapped, some, by_bias}) == 4      # each mistake is recognisable
    rare = next(k for k in units if right[k] == "alive" and some[k] == "dead")
    live = [n for n, row in enumerate(z) if row[rare] > 0]
    table = "; ".join(f"unit {k + 1}: z = ({', '.join(f'{row[k]:g}' for row in z)})"
                      for k in units)
    return ValueAnswer(
        exercise="3.6", labels=tuple(f"unit {k + 1}" for k in units), expected=right,
        options=_UNIT_STATES, check_name="check_dead_units_by_hand",
        success=(f"{table}. Only a unit that is ≤ 0 for every input is dead; unit "
                 f"{rare + 1} is off for most inputs but still learns from the one that "
                 "switches it on."),
        mistakes=(
            Mistake(swapped, _LIVE_MARKED),
            Mistake(by_bias, "A negative bias alone does not kill a unit, and a positive "
                             "one does not save it: xW can outweigh the bias. Compute "
                             "z = xW + b for every input."),
            Mistake(some, f"Unit {rare + 1} is ≤ 0 for some inputs, but x = "
                          f"({', '.join(f'{v:g}' for v in X[live[0]])}) switches it on, so "
                          "it still gets a gradient: dead means ≤ 0 for every input."),
        ),
        hint=("For each unit k, compute z_k = x·(column k of W) + b_k for each of the three "
              "inputs: the unit is dead when all three are ≤ 0."))


DEAD_UNITS_BY_HAND_ANSWER = _dead_units_by_hand_answer()


@_guarded
def check_dead_units_by_hand(answer) -> Feedback:
    """Exercise 3.6: ``answer = ("alive" or "dead", ...)``, one word per unit of the layer of
    :data:`DEAD_UNITS_EXERCISE`, judged by ``DEAD_UNITS_BY_HAND_ANSWER`` as the HTML form is
    (words are compared without case and surrounding spaces)."""
    if isinstance(answer, (list, tuple)):
        answer = type(answer)(a.strip().lower() if isinstance(a, str) else a for a in answer)
    return DEAD_UNITS_BY_HAND_ANSWER.check(answer)


# -- Exercises 3.1 and 3.2, by hand: the values a right function returns ----------------------

STABLE_SIGMOID_EXERCISE_Z = (-1000.0, -2.0, 2.0, 1000.0)
"""Exercise 3.1 — the points at which the reader gives ``my_sigmoid(z)``."""


def _stable_sigmoid_answer() -> ValueAnswer:
    """The truth of Exercise 3.1 by hand: σ at :data:`STABLE_SIGMOID_EXERCISE_Z`, and what the
    notes' sign slip and the two halves of the stable formula, used for every z, give."""
    import numpy as np

    from ..activations import sigmoid

    z = np.array(STABLE_SIGMOID_EXERCISE_Z)
    u = np.exp(-np.abs(z))                               # e^(−|z|), in (0, 1]

    def entries(values):
        return tuple(float(v) for v in values)

    return ValueAnswer(
        exercise="3.1", labels=tuple(f"σ({v:g})" for v in STABLE_SIGMOID_EXERCISE_Z),
        expected=entries(sigmoid(z)), check_name="check_stable_sigmoid_values",
        success=("Right: σ(−1000) is 0 and σ(1000) is 1 in float64, with no overflow when "
                 "only e^(−|z|) is computed, and σ(−2) = 1 − σ(2)."),
        mistakes=(
            Mistake(entries(sigmoid(-z)),
                    "That is 1/(1 + e^z) = σ(−z), the notes' slip: it falls as z rises. "
                    "σ(z) = 1/(1 + e^(−z)) is above 1/2 for z > 0."),
            Mistake(entries(1 / (1 + u)),
                    "1/(1 + e^(−|z|)) for every z is σ(|z|), above 1/2 even for z < 0: for "
                    "z < 0 use the other form, e^(−|z|)/(1 + e^(−|z|))."),
            Mistake(entries(u / (1 + u)),
                    "e^(−|z|)/(1 + e^(−|z|)) for every z is σ(−|z|), below 1/2 even for "
                    "z > 0: for z ≥ 0 use 1/(1 + e^(−|z|))."),
        ),
        hint=("With u = e^(−|z|): σ(z) = 1/(1 + u) for z ≥ 0 and u/(1 + u) for z < 0; "
              "σ(2) = 1/(1 + e^(−2)) ≈ 0.8808."))


STABLE_SIGMOID_ANSWER = _stable_sigmoid_answer()


@_guarded
def check_stable_sigmoid_values(answer) -> Feedback:
    """Exercise 3.1, by hand: ``answer`` holds σ(z) for each z of
    :data:`STABLE_SIGMOID_EXERCISE_Z`, judged by ``STABLE_SIGMOID_ANSWER`` as the HTML form
    is."""
    return STABLE_SIGMOID_ANSWER.check(answer)


TANH_GRAD_EXERCISE_Z = ("ln 2", "−ln 2")
"""Exercise 3.2 — the points at which the reader gives ``tanh'(z)``; tanh(±ln 2) = ±3/5."""


def _tanh_grad_answer() -> ValueAnswer:
    """The truth of Exercise 3.2 by hand: tanh' at ±ln 2, and what the slips named by
    :func:`check_tanh_grad` give there."""
    import numpy as np

    z = np.array([np.log(2.0), -np.log(2.0)])
    t = np.tanh(z)                                       # (3/5, −3/5)

    def entries(values):
        return tuple(float(v) for v in values)

    right = 1 - t ** 2
    return ValueAnswer(
        exercise="3.2", labels=tuple(f"tanh'({v})" for v in TANH_GRAD_EXERCISE_Z),
        expected=entries(right), check_name="check_tanh_grad_by_hand",
        success=("tanh'(z) = 1 − tanh²(z) = 1 − (3/5)² = 16/25 = 0.64 at both points: the "
                 "slope of tanh is even, the same at z and −z."),
        mistakes=tuple(Mistake(entries(v), m) for m, v in _tanh_grad_slips(z).items()),
        hint="Quotient rule: (sinh/cosh)' = (cosh² − sinh²)/cosh² = 1 − tanh², with "
             "tanh(±ln 2) = ±3/5.")


TANH_GRAD_ANSWER = _tanh_grad_answer()


@_guarded
def check_tanh_grad_by_hand(answer) -> Feedback:
    """Exercise 3.2, by hand: ``answer = (tanh'(ln 2), tanh'(−ln 2))``, judged by
    ``TANH_GRAD_ANSWER`` as the HTML form is."""
    return TANH_GRAD_ANSWER.check(answer)
