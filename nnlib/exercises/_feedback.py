"""The verdict every ``check_...`` returns, :class:`~nnlib.exercises.Feedback`, and
the helpers the checks of several chapters share: placeholders, calling a reader's
function without raising, turning an attempt into finite numbers, comparing numbers, and
watching how a reader's function computes (:func:`_watched_call`).

A check never raises at the reader: :func:`_guarded` wraps each one, and the helpers
here turn anything a reader may pass or return (None, ``...``, text, NaN, inf, an int
too large for a float, ragged lists, generators, ...) into a reason, never an exception.
"""

from __future__ import annotations

import functools
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
    code : str
        For a value exercise (:class:`~nnlib.exercises.ValueAnswer`), which part of the
        rule decided: ``correct``, ``mistake``, ``wrong``, ``todo``, ``not-a-number`` or
        ``shape``; the HTML answer form reports the same code. Empty for other checks.
    """

    passed: bool
    messages: list[str] = field(default_factory=list)
    code: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = "Correct." if self.passed else "Not yet."
        return "\n".join([head, *("  • " + m for m in self.messages)])

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        head = "**Correct.**" if self.passed else "**Not yet.**"
        return "\n".join([head, "", *("- " + m for m in self.messages)])

    @property
    def text(self) -> str:
        """The verdict as plain text, ``str(self)``: the head line and one line per message."""
        return str(self)


def _verdict(problems: list[str], success: str) -> Feedback:
    """Turn a list of problems into Feedback: passed iff there are none."""
    return Feedback(False, problems) if problems else Feedback(True, [success])


_TODO = "Replace `...` with your answer, then run the cell again."

_CHECK_FAILED = "This check could not handle your attempt"
"""Start of the message :func:`_guarded` gives when a check itself fails (a bug of the
check, which the tests look for): the reader still gets "Not yet", not a traceback."""


def _guarded(check):
    """Decorate a ``check_...`` so that it never raises: an error inside the check (a case
    its guards missed) becomes a "Not yet" that says what happened."""

    @functools.wraps(check)
    def wrapper(*args, **kwargs) -> Feedback:
        try:
            return check(*args, **kwargs)
        except Exception as exc:  # a reader's attempt must never meet a traceback
            return Feedback(False, [f"{_CHECK_FAILED} ({type(exc).__name__}: "
                                    f"{_exception_text(exc)}). Check that it has the form "
                                    "the exercise asks for."])

    return wrapper


def _attempted(answer) -> bool:
    """False for the placeholders ``...`` and ``None`` a reader has not replaced yet."""
    return answer is not ... and answer is not None


def _has_placeholder(answer, depth: int = 4) -> bool:
    """True for ``...`` or ``None``, or a ``...`` inside (nested) lists and tuples."""
    if not _attempted(answer):
        return True
    if depth and isinstance(answer, (list, tuple)):
        return any(a is ... or _has_placeholder(a, depth - 1)
                   for a in answer if a is not None)
    return False


def _items(value, n: int | None = None) -> list | None:
    """``value`` as a list of its entries if it is a tuple, a list or an array with at least
    one axis (and has ``n`` entries, if given), else None."""
    import numpy as np

    if isinstance(value, (tuple, list)) or (isinstance(value, np.ndarray) and value.ndim):
        items = list(value)
        return items if n is None or len(items) == n else None
    return None


def _exception_text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # an exception whose __str__ fails
        return type(exc).__name__


_RETURNED_NONE = "your function returned None: end it with `return` and the result"


def _call(fn, *args):
    """``(result, None)`` or ``(None, "your function raised ...")``: a reader's bug never
    raises. A function that returns None (a forgotten ``return``) is reported too."""
    try:
        result = fn(*args)
    except Exception as exc:  # the reader's code may fail in any way: report, don't raise
        return None, f"your function raised {type(exc).__name__}: {_exception_text(exc)}"
    return (None, _RETURNED_NONE) if result is None else (result, None)


def _show(value, limit: int = 80) -> str:
    """``repr(value)``, shortened to about ``limit`` characters, and never raising."""
    try:
        text = repr(value)
    except Exception:
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _describe(value) -> str:
    """What ``value`` is, for a message "..., got <this>."."""
    import numbers
    import types

    if value is None:
        return "None"
    if value is ...:
        return "`...` (a placeholder)"
    if isinstance(value, bool):
        return f"{value} (a bool, not a number)"
    if isinstance(value, numbers.Integral) and abs(int(value)).bit_length() > 1000:
        return f"an integer with {len(str(abs(int(value))))} digits, too large for a float"
    if isinstance(value, (str, bytes)):
        return f"the text {_show(value)}"
    if isinstance(value, types.GeneratorType):
        return "a generator (return a list or an array, e.g. `list(...)` or `np.array(...)`)"
    if isinstance(value, (dict, set, frozenset)) or callable(value):
        return f"a {type(value).__name__}"
    return _show(value)


def _floats(value, *, finite: bool = True):
    """``(float array, None)`` if ``value`` is a number or a rectangular (nested) list or
    array of finite real numbers, else ``(None, why not)``, e.g. "None" or "nan at index
    (1,)", to follow "got". Booleans, text and complex numbers are not numbers here;
    ``finite=False`` lets nan and ±inf through (for checks that explain them)."""
    import numbers
    import warnings

    import numpy as np

    if value is None or value is ... or isinstance(value, (bool, np.bool_, str, bytes)):
        return None, _describe(value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")          # e.g. numpy's ComplexWarning
            raw = np.asarray(value)
    except Exception:                               # ragged, or an object that breaks
        return None, f"{_show(value)}, which is not a rectangular array of numbers"
    if raw.dtype.kind == "O":                       # ragged, huge ints, None, junk inside
        for item in raw.flat:
            if isinstance(item, bool) or not isinstance(item, (numbers.Real, np.number)):
                return None, _describe(item) if raw.ndim == 0 else f"{_describe(item)} inside"
        try:
            raw = raw.astype(float)
        except Exception:                           # e.g. an int too large for a float
            big = next((v for v in raw.flat if isinstance(v, numbers.Integral)
                        and abs(int(v)).bit_length() > 1000), None)
            return None, (_describe(big) if big is not None
                          else f"{_show(value)}, which is not an array of numbers")
    if raw.dtype.kind not in "fiu":
        kind = {"b": "True/False values (booleans), not numbers", "c": "complex numbers",
                "U": "text, not numbers", "S": "text, not numbers"}
        return None, kind.get(raw.dtype.kind, f"values of type {raw.dtype}")
    arr = raw.astype(float)
    bad = ~np.isfinite(arr)
    if finite and bad.any():
        first = arr[bad].flat[0]
        where = "" if arr.ndim == 0 else f" at index {tuple(int(i) for i in np.argwhere(bad)[0])}"
        return None, f"{first:g}{where}".replace("inf", "inf (infinity)")
    return arr, None


def _float(value):
    """``(float, None)`` if ``value`` is one finite real number (a 0-d or one-entry array
    too), else ``(None, why not)`` (see :func:`_floats`)."""
    arr, why = _floats(value)
    if why:
        return None, why
    if arr.size != 1:
        return None, f"{arr.size} numbers (shape {arr.shape}) where one is expected"
    return float(arr.reshape(-1)[0]), None


def _results(fn, calls, convert=None, what: str = "one number"):
    """Call a reader's ``fn`` on each case: ``calls`` maps the text of a call, as the feedback
    shows it (``"count([2, 3, 1])"``), to its arguments. ``(results, None)``, each converted
    by ``convert`` (default :func:`_float`), or ``(None, Feedback)`` for the first call that
    raises, returns the placeholder ``...`` or returns something that is not ``what``."""
    convert = convert or _float
    results = []
    for call, args in calls.items():
        out, error = _call(fn, *args)
        if error:
            return None, Feedback(False, [f"{call}: {error}."])
        if out is ...:
            return None, Feedback(False, [_TODO])
        value, why = convert(out)
        if why:
            return None, Feedback(False, [f"{call} should return {what}, got {why}."])
        results.append(value)
    return results, None


def _number(value) -> float | None:
    """``value`` as a float if it is one finite real number (a 0-d or 1-element array too),
    else None."""
    return _float(value)[0]


def _close(a, b) -> bool:
    """Equal up to float64 round-off of a few operations (rtol 1e-9, atol 1e-12); False
    when either is not an array of finite numbers."""
    import numpy as np

    (a, why_a), (b, why_b) = _floats(a), _floats(b)
    if why_a or why_b:
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def _known_mistake(answer, variants: dict) -> str | None:
    """The message of the first known wrong answer in ``variants`` (``{message: wrong
    value}``) that ``answer`` equals (``_close``), or None: names the reader's mistake."""
    return next((message for message, wrong in variants.items() if _close(answer, wrong)),
                None)


def _not_a_function(fn, name: str) -> Feedback | None:
    """Feedback when ``fn`` is not yet a function to test, else None."""
    if not _attempted(fn):
        return Feedback(False, [_TODO])
    if not callable(fn):
        return Feedback(False, [f"Pass your function itself, e.g. `{name}(my_function)`, "
                                f"not its result; got {type(fn).__name__}."])
    return None


# -- watching how an attempt computes -------------------------------------------------------

@dataclass
class _Watched:
    """What :func:`_watched_call` saw while a reader's function ran.

    Attributes
    ----------
    result : object
        What the function returned, or None (as from :func:`_call`).
    error : str or None
        Why there is no result, as from :func:`_call`: it raised or returned None.
    called : list of str
        The dotted names of the forbidden library functions it called, in order, each once.
    lines : int
        How many lines of the reader's own code ran.
    raised : list of str
        The names of the watched exceptions raised inside it, even if it caught them.
    """

    result: object
    error: str | None
    called: list[str] = field(default_factory=list)
    lines: int = 0
    raised: list[str] = field(default_factory=list)


def _library_dirs() -> tuple[str, ...]:
    """The folders whose code is not the reader's: Python's and the installed packages',
    and nnlib's (which may be an editable checkout outside them)."""
    import os
    import sysconfig

    paths = {sysconfig.get_paths().get(key) for key in ("stdlib", "platstdlib", "purelib",
                                                         "platlib")}
    nnlib_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return tuple(os.path.join(os.path.abspath(p), "") for p in {*paths, nnlib_dir} if p)


def _forbidden_code(forbidden) -> tuple[dict, dict, dict, dict]:
    """What :func:`_watched_call` looks for, from ``forbidden``: ``({code object: name},
    {file or folder: name}, {id of a C module: its name}, {id of an object: name})`` for
    functions, classes (their own methods), modules (their file, or for a module written
    in C its functions), ``(folder, name)`` pairs and ``(object, name)`` pairs (any other
    object, e.g. a ufunc such as scipy's ``expit``, which no trace sees called)."""
    import inspect
    import os

    codes: dict = {}
    places: dict = {}
    c_modules: dict = {}
    objects: dict = {}
    for item in forbidden:
        if isinstance(item, tuple) and isinstance(item[0], str):   # (folder, dotted name)
            places[os.path.join(os.path.abspath(item[0]), "")] = item[1]
        elif isinstance(item, tuple):                              # (object, dotted name)
            objects[id(item[0])] = (item[0], item[1])
        elif inspect.ismodule(item):
            source = getattr(item, "__file__", None) or ""
            if source.endswith(".py"):
                places[os.path.abspath(source)] = item.__name__
            else:                                                  # built in, or a C extension
                c_modules[id(item)] = item.__name__
        elif inspect.isclass(item):
            for attr in vars(item).values():
                fn = getattr(attr, "__func__", attr)
                if inspect.isfunction(fn):                     # __init__: the class
                    codes[fn.__code__] = (f"{item.__module__}."
                                          f"{fn.__qualname__.removesuffix('.__init__')}")
        elif inspect.isfunction(item):
            codes[item.__code__] = f"{item.__module__}.{item.__qualname__}"
    return codes, places, c_modules, objects


def _referenced(frame, names, depth: int = 3):
    """The objects that the code running in ``frame`` can reach by its names: its local,
    free, global and builtin names, and (``depth`` levels down) the attributes of modules
    among them named in the code (``scipy.special.expit``). Module attributes are read
    from the module's ``__dict__``, so no lazy import is triggered."""
    import builtins
    import types

    code = frame.f_code
    found = list(frame.f_locals.values())
    scope = frame.f_globals
    for name in code.co_names:
        if name in scope:
            found.append(scope[name])
        elif hasattr(builtins, name):
            found.append(getattr(builtins, name))
    modules = [v for v in found if isinstance(v, types.ModuleType)]
    seen = {id(m) for m in modules}
    for _ in range(depth):
        more = []
        for module in modules:
            space = vars(module)
            for name in names:
                value = space.get(name)
                if value is None:
                    continue
                found.append(value)
                if isinstance(value, types.ModuleType) and id(value) not in seen:
                    seen.add(id(value))
                    more.append(value)
        modules = more
    return found


def _watched_call(fn, *args, forbidden=(), allowed=(), raises=(), values=None) -> _Watched:
    """Call ``fn(*args)`` as :func:`_call` does, and watch how it computes its result.

    The watch is ``sys.settrace`` (with ``sys.setprofile`` for functions written in C),
    restored afterwards, also when the call fails, so a library function is seen however
    the reader's code reaches it, through a name bound before the call (``from nnlib.conv
    import convolve2d``) included. Code is the reader's when its file lies outside
    Python's and the installed packages' folders and outside nnlib's.

    Parameters
    ----------
    fn : callable
        The reader's function.
    *args
        Its arguments.
    forbidden : iterable
        What the reader's code must not use: functions, classes (their own methods),
        modules (every function of their file, or of a module written in C such as
        ``cmath``, every call of its functions), ``(folder, dotted name)`` pairs (every
        function of the files under the folder) and ``(object, dotted name)`` pairs (an
        object the reader's code refers to by a name, e.g. a ufunc, whose calls no trace
        sees). Called from other library code, functions count too, except through
        ``allowed``.
    allowed : iterable of functions
        Library functions that may be called, with everything they call (e.g.
        ``conv_output_size``, which uses the conv module's helpers).
    raises : tuple of exception classes
        The exceptions to report when raised inside the reader's code, e.g.
        ``(OverflowError,)``: an exception caught by the reader is reported too.
    values : callable, optional
        Called as ``values(value, lines)`` with every local variable of the reader's code
        before each line it runs, and with every value a function of the reader's returns,
        where ``lines`` is the number of the reader's lines run so far: to see when a
        result first exists. It must not raise (what it raises is ignored).

    Returns
    -------
    _Watched
        The result (or error) of the call, the forbidden functions called, the number of
        lines of the reader's own code that ran (a loop over 30 entries runs at least 30)
        and the watched exceptions raised.
    """
    import os
    import sys

    codes, places, c_modules, objects = _forbidden_code(forbidden)
    allowed_codes = {getattr(a, "__code__", None) for a in allowed} - {None}
    library = _library_dirs()
    user_files: dict = {}
    seen = _Watched(None, None)
    scanned: set = set()

    place_cache: dict = {}

    def place_of(filename: str) -> str | None:
        if filename not in place_cache:
            path = filename if filename.startswith("<") else os.path.abspath(filename)
            place_cache[filename] = places.get(path) or next(
                (name for folder, name in places.items()
                 if folder.endswith(os.sep) and path.startswith(folder)), None)
        return place_cache[filename]

    def is_user(filename: str) -> bool:
        if filename not in user_files:
            user_files[filename] = not (filename.startswith("<frozen") or
                                        os.path.abspath(filename).startswith(library))
        return user_files[filename]

    def note(name: str, where: list) -> None:
        if name not in where:
            where.append(name)

    def through_allowed(caller) -> bool:
        """True if library code between ``caller`` and the reader's code is allowed."""
        while caller is not None and not is_user(caller.f_code.co_filename):
            if caller.f_code in allowed_codes:
                return True                     # used by an allowed library function
            caller = caller.f_back
        return False

    def forbidden_name(frame) -> str | None:
        code = frame.f_code
        if code in allowed_codes:
            return None
        name = codes.get(code)
        if name is None:
            base = place_of(code.co_filename)
            qualname = getattr(code, "co_qualname", code.co_name)   # 3.10: co_name only
            qualname = qualname.removesuffix(".__init__")              # a class: its name
            name = None if base is None else f"{base}.{qualname}"
        if name is None or through_allowed(frame.f_back):
            return None
        return name

    def scan_references(frame) -> None:
        key = (frame.f_code, id(frame.f_globals))
        if key in scanned:
            return
        scanned.add(key)
        for value in _referenced(frame, set(frame.f_code.co_names)):
            if id(value) in objects and objects[id(value)][0] is value:
                note(objects[id(value)][1], seen.called)

    def show_locals(frame) -> None:
        for value in list(frame.f_locals.values()):
            values(value, seen.lines)

    def local(frame, event, arg):
        try:
            if event == "line":
                if values is not None:
                    show_locals(frame)
                seen.lines += 1
            elif event == "return" and values is not None:
                values(arg, seen.lines)
            elif event == "exception" and raises and issubclass(arg[0], raises):
                note(arg[0].__name__, seen.raised)
        except Exception:                        # a trace function must never raise
            pass
        return local

    def on_call(frame, event, arg):
        try:
            if is_user(frame.f_code.co_filename):
                if objects:
                    scan_references(frame)
                return local
            name = forbidden_name(frame)
            if name is not None:
                note(name, seen.called)
        except Exception:
            pass
        return None

    def on_c_call(frame, event, arg):
        try:
            if event == "c_call":
                owner = getattr(arg, "__self__", None)
                if id(owner) in c_modules and (is_user(frame.f_code.co_filename)
                                               or not through_allowed(frame)):
                    note(f"{c_modules[id(owner)]}.{arg.__name__}", seen.called)
        except Exception:
            pass

    previous, previous_profile = sys.gettrace(), sys.getprofile()
    sys.settrace(on_call)
    if c_modules:
        sys.setprofile(on_c_call)
    try:
        seen.result, seen.error = _call(fn, *args)
    finally:
        sys.settrace(previous)
        if c_modules:
            sys.setprofile(previous_profile)
    return seen


def _changed(names, originals, passed) -> list[str]:
    """The names of the arguments a reader's function changed in place: ``passed[i]`` (the
    copy it was given) no longer equals ``originals[i]``. Entries that are not arrays are
    compared as arrays too; a comparison that fails counts as unchanged."""
    import numpy as np

    changed = []
    for name, original, given in zip(names, originals, passed, strict=True):
        try:
            same = np.array_equal(np.asarray(original), np.asarray(given), equal_nan=True)
        except Exception:                        # e.g. an object numpy cannot compare
            same = True
        if not same:
            changed.append(name)
    return changed


def _library_dirs_loaded(*names: str) -> tuple:
    """What :func:`_watched_call`'s ``forbidden`` takes for each of the dotted module
    ``names`` (``"scipy.special"``, ``"sklearn.dummy"``) that is loaded: a package as a
    ``(folder, dotted name)`` pair, a module of one file as the module itself. A reader's
    code cannot call a module nobody imported, so the check imports nothing."""
    import os
    import sys

    found = []
    for name in names:
        module = sys.modules.get(name)
        source = getattr(module, "__file__", None) or ""
        if os.path.basename(source) == "__init__.py":
            found.append((os.path.dirname(source), name))
        elif source.endswith(".py"):
            found.append(module)                       # a module of one file: its file
    return tuple(found)


def _near_shift(value, points, rel: float = 1e-3) -> bool:
    """True if ``value`` (a number) lies a small step away from one of ``points``: within
    ``rel`` (relative to max(1, |point|)) but not equal, as the shifted argument of a
    difference quotient ``f(w + h)`` does."""
    import numbers

    import numpy as np

    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if not isinstance(value, (numbers.Real, np.floating)):
        return False
    v = float(value)
    return any(0 < abs(v - p) <= rel * max(1.0, abs(p)) for p in points)


def _derivative_ways(fn, args, points, forbidden=()) -> tuple[list[str], str | None]:
    """How ``fn(*args)`` got its derivatives, if not by a formula: ``(library functions
    called, trick)`` where the trick is ``"complex"`` (a complex number in the reader's
    code: a complex step), ``"shifted"`` (a number a small step away from one of
    ``points``, the variables differentiated: a difference quotient) or None. The
    forbidden functions are those of :func:`_watched_call`; numpy's warnings are off."""
    import numbers

    import numpy as np

    trick: list[str] = []

    def look(value, lines):
        if trick:
            return
        if isinstance(value, (complex, np.complexfloating)) or (
                isinstance(value, np.ndarray) and value.dtype.kind == "c"):
            trick.append("complex")
        elif isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size <= 2:
            if any(_near_shift(v, points) for v in value.flat):
                trick.append("shifted")
        elif isinstance(value, numbers.Real) and _near_shift(value, points):
            trick.append("shifted")

    with np.errstate(all="ignore"):
        seen = _watched_call(fn, *args, forbidden=forbidden, values=look)
    return seen.called, (trick[0] if trick else None)
