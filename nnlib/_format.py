"""How the book writes a bound: one significant digit, the exponent without padding."""

from __future__ import annotations


def bound(x: float) -> str:
    """``1e-07`` as ``"1e-7"``, ``3e+05`` as ``"3e5"``: the form of the bounds the book
    prints instead of round-off digits (``< 1e-7``)."""
    mantissa, _, exponent = f"{x:.0e}".partition("e")
    return f"{mantissa}e{int(exponent)}"
