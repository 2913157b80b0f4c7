"""Running the reader's code for :mod:`mathnn.exercises`: stopped in time, on copies, every error explained.

A checker never calls the reader's function directly. :func:`call` runs it on deep copies of the
test inputs (so that changing them in place cannot change what its answer is compared with), stops
it after a time limit (:func:`run_limited`: a timer signal where there is one, a thread elsewhere),
and turns whatever it raises into a sentence (:func:`explain_error`). :func:`changed_inputs` says
which inputs it changed, and :func:`is_stub` whether it is still the untouched exercise. Judging
what it returned is :mod:`mathnn.exercises._harness`'s part.
"""

import ast
import copy
import inspect
import signal
import textwrap
import threading
import warnings

import numpy as np


def require_callable(fn, title):
    if not callable(fn):
        raise TypeError(
            f"{title} checks a function, so pass the function itself, e.g. {title}(my_function), "
            f"but got {type(fn).__name__}. Did you call it and pass its result?"
        )


class TookTooLong(BaseException):
    """Raised inside the reader's function when it runs past the time limit.

    A BaseException, like KeyboardInterrupt, so that an ``except Exception`` in the reader's own
    loop does not swallow it.
    """


def call(fn, case, limit):
    """Run ``fn`` on deep copies of the inputs; return (result, the copies after the call, error message).

    Deep copies, so that a function that changes its inputs in place (``W *= 2``, also for the
    arrays inside a list) cannot change what its answer is compared with. The call is stopped after
    ``limit`` seconds, see :func:`run_limited`.
    """
    copies = copy.deepcopy(case)
    try:
        return run_limited(fn, list(copies.values()), limit), copies, None
    except TookTooLong as late:
        return None, copies, str(late)
    except Exception as error:  # the reader's code may raise anything; we explain it
        return None, copies, explain_error(error)


def run_limited(fn, args, limit):
    """``fn(*args)`` with numpy's warnings silenced, stopped with :class:`TookTooLong` after ``limit`` seconds.

    Where it can, a timer signal (SIGALRM) interrupts the function itself, in the thread that runs
    the notebook's cells: nothing is left running (an import in progress is let finish first, see
    :func:`_importing`). Signals reach only the main thread, and Windows has no SIGALRM; there the
    function runs in a thread of its own and the checker stops waiting after ``limit`` seconds, but
    Python cannot stop that thread, so the message says so.
    """
    def quiet():
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)

    too_long = (
        f"your function did not finish within {limit:g} s on this input (the right answer takes well "
        "under a millisecond): is there a loop that never ends, e.g. a `while` whose condition never "
        "becomes False, or a counter that is never moved on?"
    )
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _with_alarm(quiet, limit, too_long)
    return _in_thread(quiet, limit, too_long)


def _with_alarm(fn, limit, message):
    armed = [True]

    def ring(signum, frame):
        if armed[0] and not _importing(frame):
            raise TookTooLong(message)

    previous = signal.signal(signal.SIGALRM, ring)
    try:
        # It rings again every 0.1 s, in case the reader's code catches the first with a bare except.
        signal.setitimer(signal.ITIMER_REAL, limit, 0.1)
        try:
            return fn()
        finally:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def _importing(frame):
    """Whether the interrupted code is importing a module.

    An import is never cut short: a module left half-imported (a C extension's above all) can break
    its library for the rest of the session. The timer rings again 0.1 s later.
    """
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _in_thread(fn, limit, message):
    outcome = {}

    def run():
        try:
            outcome["result"] = fn()
        except BaseException as error:  # noqa: BLE001 - handed back to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="mathnn exercise", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise TookTooLong(
            f"{message} It may still be running in the background and keep a processor busy: "
            "if the notebook slows down, restart its kernel."
        )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def changed_inputs(case, copies):
    """The names of the inputs the reader's function changed in place (arrays, and arrays inside lists)."""
    return [name for name, value in case.items() if _differs(value, copies[name])]


def _differs(before, after):
    if isinstance(before, np.ndarray):
        return not (isinstance(after, np.ndarray) and before.shape == after.shape
                    and np.array_equal(before, after, equal_nan=True))
    if isinstance(before, (list, tuple)):
        return len(before) != len(after) or any(_differs(a, b) for a, b in zip(before, after))
    return False


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
