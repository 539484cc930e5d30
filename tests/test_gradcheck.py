"""``nnlib.gradcheck.shown_error``: how the book prints a gradient check's relative error."""

import numpy as np
import pytest

from nnlib.gradcheck import PASS_BELOW, numerical_gradient, relative_error, shown_error


def test_round_off_is_shown_as_the_bound():
    assert shown_error(5.5e-9) == "< 1e-7"
    assert shown_error(1.6e-8) == "< 1e-7"        # the same check on another CPU
    assert shown_error(0.0) == "< 1e-7"
    assert shown_error(3e-11, tol=1e-9) == "< 1e-9"


def test_a_real_disagreement_is_shown_to_two_digits():
    assert shown_error(1.0) == "1"
    assert shown_error(0.3333) == "0.33"
    assert shown_error(PASS_BELOW) == "1e-07"     # the bound itself does not pass
    assert shown_error(float("nan")) == "nan"


def test_a_correct_gradient_shows_the_bound_and_a_wrong_one_its_error():
    z = np.array([-2.0, -0.5, 0.5, 2.0])
    numeric = numerical_gradient(lambda: float(np.tanh(z).sum()), z)
    assert shown_error(relative_error(1 - np.tanh(z) ** 2, numeric)) == "< 1e-7"
    assert shown_error(relative_error(1 - np.tanh(z), numeric)).startswith("0.")


@pytest.mark.parametrize("tol", [0, -1e-7, float("nan"), float("inf"), "1e-7", None])
def test_bad_tol_is_a_value_error_naming_it(tol):
    with pytest.raises(ValueError, match=r"tol must be a positive finite number, got"):
        shown_error(1e-9, tol=tol)


@pytest.mark.parametrize("error", ["1e-9", None, [1e-9]])
def test_a_non_number_error_is_a_type_error_naming_it(error):
    with pytest.raises(TypeError, match=r"error must be a real number, got"):
        shown_error(error)


@pytest.mark.parametrize(("x", "text"), [(1e-7, "1e-7"), (1e-12, "1e-12"), (3e5, "3e5"),
                                         (1.0, "1e0"), (2e-3, "2e-3")])
def test_bounds_are_written_with_one_digit_and_an_unpadded_exponent(x, text):
    from nnlib._format import bound

    assert bound(x) == text
