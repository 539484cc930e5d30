"""Numbers as people type them, read the same way by the notebook's checks and by the
HTML answer forms (``answer_form.js`` has the same rules, line for line; a browser test
types every spelling into every form and requires the notebook's verdict).

One entry (a field of a form, or a string in a notebook answer):

* ``0.5``, ``.5``, ``+0.5``, ``−0.5`` (Unicode minus), ``1e-3``, ``2.5E3``;
* a decimal comma, ``0,5``, where it cannot be a separator;
* a fraction, ``5/8``; a power, ``8^9`` or ``2**10``; a percentage, ``62.5 %``;
* spaces anywhere inside are ignored (``1 000``).

An entry that could be read two ways is not guessed: ``1,500`` (1.5 with a decimal
comma, or 1500 with a thousands separator) gets a question back.

Several entries in one text (the first field of a form, or a notebook string) are
separated by ``;``, by spaces, or by commas: by ``, `` (comma and space) when the text has
spaces, else by bare commas (always in brackets: ``[0,5]`` is a list). ``0,79375`` where
two entries are asked is a question: the number 0.79375, or the entries 0 and 79375?
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# One number: digits with a decimal point or comma, an optional exponent.
_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?"
_ENTRY = re.compile(rf"^(?P<a>{_NUMBER})(?:(?P<op>/|\^|\*\*)(?P<b>{_NUMBER}))?(?P<pct>%)?$")
# 1,500 or 12,000 or -3,250: a comma that may be a thousands separator
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")


class Typed(float):
    """A typed number that remembers its significant digits (``None``: exact, as an
    integer, a fraction or a power of integers is)."""

    digits: int | None

    def __new__(cls, value: float, digits: int | None) -> Typed:
        self = super().__new__(cls, value)
        self.digits = digits
        return self


def significant_digits(number: str) -> int | None:
    """The significant digits of one typed decimal (``0.050`` has 2, ``2.5e3`` has 2,
    ``1e-3`` has 1); ``None`` for an integer (``10``, ``1500``), which is exact as typed."""
    if not re.search(r"[.,eE]", number):
        return None
    mantissa = re.split(r"[eE]", number.lstrip("+-"))[0]
    digits = re.sub(r"[.,]", "", mantissa).lstrip("0")
    return max(len(digits), 1)


@dataclass(frozen=True)
class Question:
    """An entry, or a list of entries, that can be read two ways: what to ask the reader."""

    text: str


class _NotANumber:
    """The marker of an entry that is no usable value (text, a bool, a dict, 10**400, ...)."""

    def __repr__(self) -> str:
        return "<not a number>"


NOT_A_NUMBER = _NotANumber()

ASK_NUMBER = "{labels}: is {text} the number {a} or {b}? Write {a} or {b}."
ASK_ENTRIES = ("Did you mean the number {one}, or the {n} entries {many}? Write {one}, or "
               "separate the entries with semicolons: {sep}.")


def _plain(text: str) -> str:
    """``text`` without spaces, with the Unicode minus as ``-``."""
    return re.sub(r"\s+", "", text.replace("\u2212", "-"))


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def read_entry(text: str, label: str = "the entry") -> Typed | Question | _NotANumber:
    """One typed entry as a :class:`Typed` float with its significant digits, a
    :class:`Question` when it can be read two ways, or ``NOT_A_NUMBER``. An empty text is
    ``...`` (not answered). A fraction or a power has the digits of its decimal parts
    (``5/8``, ``8^9``, ``10``: exact; ``0.5/3``: 1)."""
    t = _plain(text)
    if t == "":
        return ...
    if _THOUSANDS.match(t):
        a, b = t.replace(",", "."), t.replace(",", "")
        return Question(ASK_NUMBER.format(labels=label, text=t, a=a, b=b))
    m = _ENTRY.match(t)
    if m is None:
        return NOT_A_NUMBER
    parts = [significant_digits(x) for x in (m["a"], m["b"]) if x is not None]
    digits = min((d for d in parts if d is not None), default=None)   # 5/8, 8^9: exact
    try:
        value = _number(m["a"])
        if m["op"] == "/":
            value = value / _number(m["b"])
        elif m["op"]:
            exponent = _number(m["b"])
            if exponent != int(exponent) or abs(exponent) > 1000:
                return NOT_A_NUMBER
            value = value ** int(exponent)
    except (ZeroDivisionError, OverflowError, ValueError):
        return NOT_A_NUMBER
    if m["pct"]:
        value = value / 100
    return Typed(value, digits) if math.isfinite(value) else NOT_A_NUMBER


def split_entries(text: str, n: int) -> list[str] | Question:
    """The entries of a text that holds ``n`` of them (see the module's docstring). A text
    that holds one entry comes back as a list of one."""
    listed = re.search(r"[\[\]()]", text) is not None    # brackets: a list, commas separate
    t = re.sub(r"[\[\]()]", " ", text.replace("\u2212", "-")).strip()
    t = re.sub(r"\s+%", "%", t)                          # 62.5 % is one entry
    if ";" in t:
        parts = re.split(r"\s*;\s*", t)
    elif re.search(r"\s", t):
        parts = re.split(r"\s*,\s+|\s+,\s*|\s+", t)
    else:
        parts = t.split(",")
        if not listed and len(parts) == 2 and re.fullmatch(_NUMBER, t):
            if n != 2:
                return [t]               # one number with a decimal comma
            one, many = t.replace(",", "."), " and ".join(parts)
            return Question(ASK_ENTRIES.format(one=one, n=n, many=many, sep="; ".join(parts)))
    return [p for p in parts if p != ""] or [""]
