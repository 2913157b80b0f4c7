"""The harness every checker of :mod:`mathnn.exercises` runs on: call the reader's function, compare, explain.

:func:`check` is the one way a checker runs the reader's code: it refuses a result passed instead of
a function, says "not attempted yet" for an untouched stub (a body of only a docstring, ``...`` or
``pass``), runs the function on each test input, and turns the first problem found into a
:class:`Feedback`. What is compared is either a list of :class:`Answer` (arrays, compared with
mathnn's own code, with known wrong answers recognised) or, for a check that is not an array
comparison, a function ``judge(fn, case) -> message or None``.

This module judges answers; running the reader's code (the time limit, the copies of the inputs,
explaining what it raises) is :mod:`mathnn.exercises._running`, whose names are importable from
here as well (``from mathnn.exercises._harness import call, readable, shown`` and the rest).
"""

import html
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from itertools import permutations

import numpy as np

from mathnn.exercises import _running
from mathnn.exercises._running import (  # noqa: F401 - importable from the harness, as checkers do
    TookTooLong,
    changed_inputs,
    describe,
    explain_error,
    is_stub,
    require_callable,
    run_limited,
)

NOT_ATTEMPTED = "not attempted yet: write the function's body, then run this cell again."
TIME_LIMIT = 2.0  # seconds the reader's function may take on one test input; the right answers take microseconds


@dataclass(frozen=True)
class Feedback:
    """What a checker found: ``ok`` and a message that explains it. Shows ✓ or ✗ in a notebook."""

    ok: bool
    message: str
    check: str = ""
    attempted: bool = True

    def __bool__(self):
        return self.ok

    @property
    def mark(self):
        return "✓" if self.ok else ("✗" if self.attempted else "…")

    def __repr__(self):
        return f"{self.mark} {self.check}: {self.message}"

    def _repr_html_(self):
        colour = "#1a7f37" if self.ok else ("#cf222e" if self.attempted else "#6e7781")
        mark = self.mark
        text = html.escape(self.message).replace("\n", "<br>")
        return (
            f'<div style="border-left:4px solid {colour};padding:0.3em 0.8em">'
            f'<b style="color:{colour}">{mark} {html.escape(self.check)}</b><br>{text}</div>'
        )


@dataclass(frozen=True)
class Answer:
    """One thing the reader's function returns: its name, the right value, and known wrong ones."""

    name: str
    reference: Callable  # (**case) -> the right array
    variants: tuple = ()  # ((case) -> a wrong array, what went wrong), tried in order
    hint: str = ""  # how to get the shape right
    number: bool = False  # a single number: a float or any array of size 1 will do
    symptoms: tuple = ()  # ((got, case) -> bool, what went wrong), tried after the variants


def call(fn, case, limit=None):
    """Run ``fn`` on deep copies of the inputs, stopped after ``limit`` seconds (:data:`TIME_LIMIT` by default).

    Returns (result, the copies after the call, error message): see :func:`mathnn.exercises._running.call`.
    """
    return _running.call(fn, case, TIME_LIMIT if limit is None else limit)


# --- comparing an answer with the right one ----------------------------------------------------------


def close(a, b, loose=False):
    """Equal shapes and equal values: to float64's precision, or to float32's if ``loose``."""
    rtol, atol = (1e-4, 1e-6) if loose else (1e-6, 1e-9)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def readable(got):
    """``got`` as numpy can read it: a tensor (PyTorch's, say) detached from its graph and on the CPU."""
    if not callable(getattr(got, "detach", None)):
        return got
    try:
        got = got.detach()
        got = got.cpu() if callable(getattr(got, "cpu", None)) else got
        return got.numpy() if callable(getattr(got, "numpy", None)) else got
    except Exception:  # noqa: BLE001 - then numpy tries, and if it fails too, as_array says what came
        return got


def as_array(got, answer):
    """The reader's answer as (a float64 array, the name of its dtype if less precise than float64, else "").

    Or a message saying why it is not an array of numbers.
    """
    if got is None:
        return f"{answer.name} is None: does your function `return` it?"
    got = readable(got)
    if isinstance(got, (tuple, list)):
        got = type(got)(readable(g) for g in got)
    what = shown(got)
    try:
        raw = np.asarray(got)
        if np.iscomplexobj(raw) and np.any(np.imag(raw) != 0):
            return (
                f"{answer.name} holds complex numbers; it should be real. "
                "Did a square root or log see a negative number?"
            )
        array = np.asarray(raw, dtype=np.float64)
    except Exception:  # noqa: BLE001 - whatever it is, it is not an array of numbers
        if isinstance(got, (tuple, list)):
            return (f"{answer.name} should be one array, but your function returned {len(got)} values "
                    "of different shapes.")
        return f"{answer.name} should be numbers, but your function returned {what}."
    if raw.dtype.kind not in "biufc":
        return f"{answer.name} should be numbers, but your function returned {what}."
    low = raw.dtype.name if raw.dtype.kind in "fc" and raw.dtype.itemsize < (8 if raw.dtype.kind == "f" else 16) else ""
    if answer.number:
        if array.size != 1:
            return (
                f"{answer.name} should be a single number, but your function returned an array of shape "
                f"{array.shape}. {answer.hint}"
            )
        return array.reshape(()), low
    return array, low


def shown(value, width=80):
    """``value``'s type and the start of its repr, for a message (even if its repr fails)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a reader's object may have a broken __repr__
        text = "?"
    return f"{type(value).__name__} {text[:width]}"


def too_many_values(got, expected, answer):
    """A message if ``got`` is a tuple or list whose first value is shaped like the answer, else None."""
    if isinstance(got, (tuple, list)) and len(got) > 1:
        try:
            first = np.shape(readable(got[0]))
        except Exception:  # noqa: BLE001 - not array-like: as_array explains it
            return None
        if first == expected.shape:
            return (
                f"your function returned {len(got)} values; return {answer.name} alone. (Does it return a pair such "
                f"as mathnn.layers.dense_forward's (Z, cache)? Then keep the first.)"
            )
    return None


def shape_message(got, expected, answer):
    name = answer.name
    text = f"{name} has the wrong shape: got {got.shape}, expected {expected.shape}."
    if got.shape == expected.shape[::-1] and close(got.T, expected, loose=True):
        return (
            f"{text} Your values are right but transposed (swapped W and W.T, or A_prev and A_prev.T?). {answer.hint}"
        )
    if got.size == expected.size and got.ndim < expected.ndim:
        return f"{text} Keep both axes: sum with keepdims=True, or .reshape{expected.shape}. {answer.hint}"
    if got.ndim == 0:
        return f"{text} You returned one number: sum over one axis only. {answer.hint}"
    return f"{text} {answer.hint}"


def reference_value(answer, case):
    expected = np.asarray(answer.reference(**case), dtype=np.float64)
    return expected.reshape(()) if answer.number else expected


def two_numbers(got, expected):
    """Both numbers with enough digits to tell them apart (6 if that is enough)."""
    for digits in (6, 10, 17):
        texts = f"{got:.{digits}g}", f"{expected:.{digits}g}"
        if texts[0] != texts[1]:
            break
    return texts


def compare(got, answer, case):
    """None when ``got`` is right, else the message explaining the first thing wrong.

    An answer computed in float32 is held to float32's precision; when it is wrong, the message adds
    that the book computes in float64.
    """
    expected = reference_value(answer, case)
    message = too_many_values(got, expected, answer)
    if message:
        return message
    got = as_array(got, answer)
    if isinstance(got, str):
        return got
    got, low = got
    if got.shape != expected.shape:
        return shape_message(got, expected, answer)
    if close(got, expected, loose=bool(low)):
        return None
    note = ""
    if low:
        digits = np.finfo(low if low.startswith("float") else "float32").precision
        note = (
            f" Your function computes in {low}, which keeps about {digits} significant digits; the book computes "
            "in float64 (about 15): leave the inputs as they are, without converting them."
        )
    broken = ~np.isfinite(got) & np.isfinite(expected)
    if broken.any():
        index = tuple(int(i) for i in np.argwhere(broken)[0])
        return (
            f"{answer.name} contains NaN or inf where the answer is finite, first at index {index}: "
            f"does something overflow or divide by 0? {answer.hint}{note}"
        )
    for wrong, why in answer.variants:
        wrong_value = np.asarray(wrong(**case), dtype=np.float64)
        if close(got, wrong_value.reshape(()) if answer.number else wrong_value, loose=bool(low)):
            return f"{answer.name} is wrong: {why}"
    for symptom, why in answer.symptoms:
        if symptom(got, **case):
            return f"{answer.name} is wrong: {why}"
    if answer.number:
        yours, right = two_numbers(float(got), float(expected))
        return f"{answer.name} is {yours}, but the right value is {right}.{note}"
    with np.errstate(invalid="ignore"):
        index = np.unravel_index(np.nanargmax(np.where(np.isnan(got), np.inf, np.abs(got - expected))), got.shape)
    yours, right = two_numbers(got[index], expected[index])
    return (
        f"{answer.name} has the right shape {expected.shape} but wrong values: at index {tuple(map(int, index))} "
        f"your function gives {yours}, the right value is {right}.{note}"
    )


def unpack(result, answers, case):
    """Split a returned tuple into one value per answer, or return a message saying what is off."""
    names = ", ".join(a.name for a in answers)
    if not isinstance(result, (tuple, list)) or len(result) != len(answers):
        what = f"a {type(result).__name__}" if not isinstance(result, (tuple, list)) else f"{len(result)} values"
        return f"your function should return {len(answers)} values, ({names}), but it returned {what}."
    expected = [reference_value(a, case) for a in answers]
    arrays = [as_array(r, answer) for r, answer in zip(result, answers)]
    arrays = [None if isinstance(a, str) else a for a in arrays]

    def right(i, e):
        return arrays[i] is not None and close(arrays[i][0], e, loose=bool(arrays[i][1]))

    if not all(right(i, e) for i, e in enumerate(expected)):
        for order in permutations(range(len(answers))):
            if order != tuple(range(len(answers))) and all(right(i, e) for i, e in zip(order, expected)):
                return f"your function returns the right arrays in the wrong order: return ({names})."
    return list(result)


def judge(fn, case, answers, may_change=()):
    """None if ``fn`` gives every answer right on ``case`` (and leaves its inputs alone), else what is wrong."""
    result, copies, error = call(fn, case)
    if error:
        return error
    changed_names = changed_inputs(case, copies)
    changed = ", ".join(changed_names)
    names = ", ".join(a.name for a in answers)
    if result is None:
        if changed:
            return (f"your function returned None and changed {changed} in place: "
                    f"return the new values instead, ({names}).")
        return f"your function returned None: did you forget `return {names}`?"
    # the wrong answers we compare with may overflow, as yours might; odd return types may warn
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = [result] if len(answers) == 1 else unpack(result, answers, case)
        if isinstance(results, str):
            return results
        scribbled = ", ".join(name for name in changed_names if name not in may_change)
        for got, answer in zip(results, answers):
            message = compare(got, answer, case)
            if message:
                if scribbled:
                    message += (f" Your function also changed {scribbled} in place: compute new arrays instead of "
                                "writing into the inputs with *=, += or [...] =.")
                return message
    if scribbled:
        return (
            f"your function returns the right {names}, but it also changed {scribbled} in place, and the code that "
            f"called it still needs {scribbled} as it was: compute new arrays (W @ A_prev + b makes one) "
            "instead of writing into the inputs with *=, += or [...] =."
        )
    return None


def check(title, fn, cases, answers, success="", where=None, done=None, may_change=()):
    """Run ``fn`` on every case; the first problem found becomes the feedback.

    Parameters
    ----------
    title : str, the checker's name, shown in the feedback
    fn : the reader's function
    cases : list of dict, the test inputs, passed to ``fn`` in order
    answers : list of Answer, or a function ``judge(fn, case) -> message or None``
    success : str, added to the message "correct on N test inputs."
    where : function ``where(number, case) -> str`` naming a failing test input
    done : str, the whole message when every case passes
    may_change : names of the inputs ``fn`` may update in place besides returning them (an update
        rule may); any other input it changes is a mistake
    """
    require_callable(fn, title)
    if is_stub(fn):
        return Feedback(False, NOT_ATTEMPTED, title, False)
    run = answers if callable(answers) else (lambda fn, case: judge(fn, case, answers, may_change))
    where = where or (lambda number, case: f"test input {number}: {describe(case)}")
    for number, case in enumerate(cases, start=1):
        message = run(fn, case)
        if message:
            return Feedback(False, f"{message}\n({where(number, case)})", title)
    if done is None:
        inputs = "1 test input" if len(cases) == 1 else f"{len(cases)} test inputs"
        done = f"correct on {inputs}.{success}"
    return Feedback(True, done, title)


# --- test inputs ---------------------------------------------------------------------------------


def layer_cases():
    """A_prev, W, b, dZ with n_prev, n, m all different, so W and W.T cannot be confused."""
    cases = []
    for seed, (n_prev, n, m) in enumerate([(3, 4, 5), (6, 2, 7)]):
        rng = np.random.default_rng(seed)
        cases.append(
            {
                "A_prev": rng.standard_normal((n_prev, m)),
                "W": rng.standard_normal((n, n_prev)),
                "b": rng.standard_normal((n, 1)),
                "dZ": rng.standard_normal((n, m)) / m,
            }
        )
    return cases


def pick(cases, *names):
    return [{name: case[name] for name in names} for case in cases]


def z_cases(avoid_zero=False):
    rng = np.random.default_rng(0)
    Z = 3.0 * rng.standard_normal((3, 5))
    if avoid_zero:
        Z = np.where(np.abs(Z) < 1e-3, 0.5, Z)
    large = np.array([[-1000.0, -30.0, 0.5, 30.0, 1000.0], [800.0, -2.0, 1.0, 3.0, -800.0]])
    return [{"Z": Z}, {"Z": large}]
