"""The harness every checker of :mod:`mathnn.exercises` runs on: call the reader's function, compare, explain.

:func:`check` is the one way a checker runs the reader's code: it refuses a result passed instead of
a function, says "not attempted yet" for an untouched stub (a body of only a docstring, ``...`` or
``pass``), runs the function on each test input, and turns the first problem found into a
:class:`Feedback`. What is compared is either a list of :class:`Answer` (arrays, compared with
mathnn's own code, with known wrong answers recognised) or, for a check that is not an array
comparison, a function ``judge(fn, case) -> message or None``.
"""

import ast
import html
import inspect
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from itertools import permutations

import numpy as np

NOT_ATTEMPTED = "not attempted yet: write the function's body, then run this cell again."



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


# --- running the reader's code -------------------------------------------------------------------


def require_callable(fn, title):
    if not callable(fn):
        raise TypeError(
            f"{title} checks a function, so pass the function itself, e.g. {title}(my_function), "
            f"but got {type(fn).__name__}. Did you call it and pass its result?"
        )


def call(fn, case):
    """Run ``fn`` on copies of the inputs; return (result, the copies after the call, error message)."""
    copies = {name: np.copy(value) if isinstance(value, np.ndarray) else value for name, value in case.items()}
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*copies.values()), copies, None
    except Exception as error:  # the reader's code may raise anything; we explain it
        return None, copies, explain_error(error)


def explain_error(error):
    text = f"your function raised {type(error).__name__}: {error}"
    if "matmul" in str(error) or "not aligned" in str(error):
        text += (
            ". The shapes do not fit a matrix product (A @ B needs A's columns = B's rows). W has shape "
            "(n, n_prev), so Z = W @ A_prev and dA_prev = W.T @ dZ: check which side needs .T."
        )
    elif "0-dimensional" in str(error) or "length-1" in str(error):
        text += ". float() and int() need a single number, not an array such as w @ x + b of shape (1, 1): use .item()."
    elif "broadcast" in str(error):
        text += ". Two arrays could not be broadcast together: compare their shapes, e.g. a column (n, 1) fits (n, m)."
    return text


def describe(case):
    parts = []
    for name, value in case.items():
        if isinstance(value, np.ndarray):
            parts.append(f"{name} of shape {value.shape}")
        elif not callable(value):
            parts.append(f"{name} = {value}")
    return ", ".join(parts)


# --- comparing an answer with the right one ----------------------------------------------------------


def close(a, b):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def as_array(got, answer):
    """The reader's answer as a float array, or a message saying why it is not one."""
    if got is None:
        return f"{answer.name} is None: does your function `return` it?"
    if np.iscomplexobj(got) and np.any(np.imag(got) != 0):
        return (
            f"{answer.name} holds complex numbers; it should be real. Did a square root or log see a negative number?"
        )
    try:
        array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{answer.name} should be numbers, but your function returned {type(got).__name__} {got!r:.80}."
    if answer.number:
        if array.size != 1:
            return (
                f"{answer.name} should be a single number, but your function returned an array of shape "
                f"{array.shape}. {answer.hint}"
            )
        return array.reshape(())
    return array


def shape_message(got, expected, answer):
    name = answer.name
    text = f"{name} has the wrong shape: got {got.shape}, expected {expected.shape}."
    if got.shape == expected.shape[::-1] and close(got.T, expected):
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


def compare(got, answer, case):
    """None when ``got`` is right, else the message explaining the first thing wrong."""
    expected = reference_value(answer, case)
    got = as_array(got, answer)
    if isinstance(got, str):
        return got
    if got.shape != expected.shape:
        return shape_message(got, expected, answer)
    if close(got, expected):
        return None
    broken = ~np.isfinite(got) & np.isfinite(expected)
    if broken.any():
        index = tuple(int(i) for i in np.argwhere(broken)[0])
        return (
            f"{answer.name} contains NaN or inf where the answer is finite, first at index {index}: "
            f"does something overflow or divide by 0? {answer.hint}"
        )
    for wrong, why in answer.variants:
        wrong_value = np.asarray(wrong(**case), dtype=np.float64)
        if close(got, wrong_value.reshape(()) if answer.number else wrong_value):
            return f"{answer.name} is wrong: {why}"
    for symptom, why in answer.symptoms:
        if symptom(got, **case):
            return f"{answer.name} is wrong: {why}"
    if answer.number:
        return f"{answer.name} is {float(got):.6g}, but the right value is {float(expected):.6g}."
    index = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    return (
        f"{answer.name} has the right shape {expected.shape} but wrong values: at index {tuple(map(int, index))} "
        f"your function gives {got[index]:.6g}, the right value is {expected[index]:.6g}."
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
    if not all(a is not None and close(a, e) for a, e in zip(arrays, expected)):
        for order in permutations(range(len(answers))):
            if order != tuple(range(len(answers))) and all(
                arrays[i] is not None and close(arrays[i], e) for i, e in zip(order, expected)
            ):
                return f"your function returns the right arrays in the wrong order: return ({names})."
    return list(result)


def judge(fn, case, answers):
    result, copies, error = call(fn, case)
    if error:
        return error
    if result is None:
        changed = [n for n, v in case.items() if isinstance(v, np.ndarray) and not np.array_equal(v, copies[n])]
        if changed:
            return (
                f"your function returned None and changed {', '.join(changed)} in place: "
                f"return the new values instead, ({', '.join(a.name for a in answers)})."
            )
        return f"your function returned None: did you forget `return {', '.join(a.name for a in answers)}`?"
    # the wrong answers we compare with may overflow, as yours might; odd return types may warn
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = [result] if len(answers) == 1 else unpack(result, answers, case)
        if isinstance(results, str):
            return results
        for got, answer in zip(results, answers):
            message = compare(got, answer, case)
            if message:
                return message
    return None


def is_stub(fn):
    """True when ``fn``'s body is only a docstring, ``...`` or ``pass``: the exercise is still to do."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    function = tree.body[0] if tree.body else None
    if not isinstance(function, ast.FunctionDef):
        return False
    return all(
        isinstance(statement, ast.Pass)
        or (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
        for statement in function.body
    )


def check(title, fn, cases, answers, success="", where=None, done=None):
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
    """
    require_callable(fn, title)
    if is_stub(fn):
        return Feedback(False, NOT_ATTEMPTED, title, False)
    run = answers if callable(answers) else (lambda fn, case: judge(fn, case, answers))
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
