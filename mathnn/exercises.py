r"""Checkers for your own code: each runs your function on test inputs and explains what is wrong.

Every ``check_*`` function takes *your function* (not its result), calls it on a few seeded inputs
with non-square shapes, compares the answer with mathnn's own code, and returns a :class:`Feedback`
that shows ✓ or ✗ and a message. A wrong answer never raises: when your function returns the wrong
shape, the transpose, the right values times m, the wrong sign, or raises an error itself, the
message says so and suggests the fix.

Shapes follow the book: examples are columns, ``W`` is (n, n_prev), ``b`` is (n, 1), and every
gradient ``dX`` has the shape of ``X``; the cost is averaged over the m examples.

Examples
--------
>>> import numpy as np
>>> check_dense_forward(lambda A_prev, W, b: W @ A_prev + b)
✓ check_dense_forward: correct on 2 test inputs.
>>> check_dense_forward(lambda A_prev, W, b: W @ A_prev).ok
False
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

from mathnn import activations, layers, losses, shapes
from mathnn.network import Network


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
class _Answer:
    """One thing the reader's function returns: its name, the right value, and known wrong ones."""

    name: str
    reference: Callable  # (**case) -> the right array
    variants: tuple = ()  # ((case) -> a wrong array, what went wrong), tried in order
    hint: str = ""  # how to get the shape right
    number: bool = False  # a single number: a float or any array of size 1 will do
    symptoms: tuple = ()  # ((got, case) -> bool, what went wrong), tried after the variants


# --- running the reader's code -------------------------------------------------------------------


def _require_callable(fn, title):
    if not callable(fn):
        raise TypeError(
            f"{title} checks a function, so pass the function itself, e.g. {title}(my_function), "
            f"but got {type(fn).__name__}. Did you call it and pass its result?"
        )


def _call(fn, case):
    """Run ``fn`` on copies of the inputs; return (result, the copies after the call, error message)."""
    copies = {name: np.copy(value) if isinstance(value, np.ndarray) else value for name, value in case.items()}
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*copies.values()), copies, None
    except Exception as error:  # the reader's code may raise anything; we explain it
        return None, copies, _explain_error(error)


def _explain_error(error):
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


def _describe(case):
    parts = []
    for name, value in case.items():
        if isinstance(value, np.ndarray):
            parts.append(f"{name} of shape {value.shape}")
        elif not callable(value):
            parts.append(f"{name} = {value}")
    return ", ".join(parts)


# --- comparing an answer with the right one ----------------------------------------------------------


def _close(a, b):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def _as_array(got, answer):
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


def _shape_message(got, expected, answer):
    name = answer.name
    text = f"{name} has the wrong shape: got {got.shape}, expected {expected.shape}."
    if got.shape == expected.shape[::-1] and _close(got.T, expected):
        return (
            f"{text} Your values are right but transposed (swapped W and W.T, or A_prev and A_prev.T?). {answer.hint}"
        )
    if got.size == expected.size and got.ndim < expected.ndim:
        return f"{text} Keep both axes: sum with keepdims=True, or .reshape{expected.shape}. {answer.hint}"
    if got.ndim == 0:
        return f"{text} You returned one number: sum over one axis only. {answer.hint}"
    return f"{text} {answer.hint}"


def _expected(answer, case):
    expected = np.asarray(answer.reference(**case), dtype=np.float64)
    return expected.reshape(()) if answer.number else expected


def _compare(got, answer, case):
    """None when ``got`` is right, else the message explaining the first thing wrong."""
    expected = _expected(answer, case)
    got = _as_array(got, answer)
    if isinstance(got, str):
        return got
    if got.shape != expected.shape:
        return _shape_message(got, expected, answer)
    if _close(got, expected):
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
        if _close(got, wrong_value.reshape(()) if answer.number else wrong_value):
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


def _unpack(result, answers, case):
    """Split a returned tuple into one value per answer, or return a message saying what is off."""
    names = ", ".join(a.name for a in answers)
    if not isinstance(result, (tuple, list)) or len(result) != len(answers):
        what = f"a {type(result).__name__}" if not isinstance(result, (tuple, list)) else f"{len(result)} values"
        return f"your function should return {len(answers)} values, ({names}), but it returned {what}."
    expected = [_expected(a, case) for a in answers]
    arrays = [_as_array(r, answer) for r, answer in zip(result, answers)]
    arrays = [None if isinstance(a, str) else a for a in arrays]
    if not all(a is not None and _close(a, e) for a, e in zip(arrays, expected)):
        for order in permutations(range(len(answers))):
            if order != tuple(range(len(answers))) and all(
                arrays[i] is not None and _close(arrays[i], e) for i, e in zip(order, expected)
            ):
                return f"your function returns the right arrays in the wrong order: return ({names})."
    return list(result)


def _judge(fn, case, answers):
    result, copies, error = _call(fn, case)
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
        results = [result] if len(answers) == 1 else _unpack(result, answers, case)
        if isinstance(results, str):
            return results
        for got, answer in zip(results, answers):
            message = _compare(got, answer, case)
            if message:
                return message
    return None


def _is_stub(fn):
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


def _check(title, fn, cases, answers, success=""):
    """Run ``fn`` on every case; the first problem found becomes the feedback."""
    _require_callable(fn, title)
    if _is_stub(fn):
        return Feedback(False, "not attempted yet: write the function's body, then run this cell again.", title, False)
    for number, case in enumerate(cases, start=1):
        message = _judge(fn, case, answers)
        if message:
            return Feedback(False, f"{message}\n(test input {number}: {_describe(case)})", title)
    inputs = "1 test input" if len(cases) == 1 else f"{len(cases)} test inputs"
    return Feedback(True, f"correct on {inputs}.{success}", title)


# --- test inputs ---------------------------------------------------------------------------------


def _layer_cases():
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


def _pick(cases, *names):
    return [{name: case[name] for name in names} for case in cases]


def _z_cases(avoid_zero=False):
    rng = np.random.default_rng(0)
    Z = 3.0 * rng.standard_normal((3, 5))
    if avoid_zero:
        Z = np.where(np.abs(Z) < 1e-3, 0.5, Z)
    large = np.array([[-1000.0, -30.0, 0.5, 30.0, 1000.0], [800.0, -2.0, 1.0, 3.0, -800.0]])
    return [{"Z": Z}, {"Z": large}]


# --- chapter 1: the perceptron -------------------------------------------------------------------


def _perceptron_update(w, b, x, y, eta, strict=False):
    z = w @ x + b
    y_hat = float((z > 0)[0, 0]) if strict else activations.step(z)[0, 0]
    return w + eta * (y - y_hat) * x.T, b + eta * (y - y_hat)


def _neuron_gradient(X, Y, w, b, scale=1.0, chain=True):
    """∂C/∂w (1, n) and ∂C/∂b (1, 1) of C = mean((σ(w X + b) − Y)²); ``chain=False`` drops σ'(z)."""
    Z = w @ X + b
    slope = activations.sigmoid_derivative(Z) if chain else 1.0
    dZ = scale * 2.0 * (activations.sigmoid(Z) - Y) * slope / Y.shape[1]
    return dZ @ X.T, dZ.sum(axis=1, keepdims=True)


def check_neuron_gradient(fn):
    r"""Check ``fn(X, Y, w, b) -> (dw, db)`` for one sigmoid neuron and the mean squared error.

    .. math:: \frac{\partial C}{\partial w_k} = \frac{1}{m}\sum_i 2(\hat y^{(i)} - y^{(i)})\,
        \sigma'(z^{(i)})\, x_k^{(i)}, \qquad \frac{\partial C}{\partial b} = \frac{1}{m}\sum_i
        2(\hat y^{(i)} - y^{(i)})\, \sigma'(z^{(i)})

    ``X`` (n, m), ``Y`` (1, m), ``w`` a row (1, n), ``b`` (1, 1); ``dw`` (1, n) and ``db`` (1, 1).
    """
    rng = np.random.default_rng(7)
    cases = [
        {
            "X": rng.standard_normal((3, 6)),
            "Y": rng.integers(0, 2, (1, 6)).astype(float),
            "w": rng.standard_normal((1, 3)),
            "b": rng.standard_normal((1, 1)),
        }
    ]

    def part(index, **options):
        return lambda X, Y, w, b: _neuron_gradient(X, Y, w, b, **options)[index]

    def answer(index, name, shape):
        return _Answer(
            name,
            part(index),
            (
                (part(index, scale=-1.0), "the sign is flipped: the chain starts with 2(ŷ − y), not 2(y − ŷ)."),
                (part(index, scale=6.0), "it is m times too large: C averages over the m examples, so divide by m."),
                (part(index, scale=0.5), "it is half the right value: the derivative of (ŷ − y)² is 2(ŷ − y)."),
                (part(index, chain=False), "σ'(z) is missing: the chain rule's middle factor ∂ŷ/∂z."),
            ),
            f"{name} has the shape of {name[1:]}, {shape}.",
        )

    return _check("check_neuron_gradient", fn, cases, [answer(0, "dw", "(1, n)"), answer(1, "db", "(1, 1)")])


def check_perceptron_predict(fn):
    r"""Check ``fn(X, w, b) -> Y_hat``: :math:`\hat y = \operatorname{step}(w x + b)` for every column of X.

    ``X`` (n_x, m), ``w`` a row (1, n_x), ``b`` (1, 1); ``Y_hat`` (1, m) of 0s and 1s, with
    step(0) = 1.
    """
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4, 6))
    X[:, 2] = 0.0  # with b = 0 this column has z = 0 exactly, where step gives 1
    cases = [
        {"X": X, "w": rng.standard_normal((1, 4)), "b": np.array([[-1.0]])},
        {"X": X, "w": rng.standard_normal((1, 4)), "b": np.zeros((1, 1))},
    ]

    def z(X, w, b):
        return w @ X + b

    answer = _Answer(
        "Y_hat",
        lambda X, w, b: activations.step(z(X, w, b)),
        (
            (lambda X, w, b: activations.step(w @ X), "you forgot the bias: ŷ = step(w x + b)."),
            (lambda X, w, b: z(X, w, b), "you returned z = w x + b itself; the perceptron outputs step(z)."),
            (lambda X, w, b: activations.sigmoid(z(X, w, b)), "you used the sigmoid; the perceptron uses step."),
            (lambda X, w, b: 1.0 - activations.step(z(X, w, b)), "0 and 1 are swapped: ŷ = 1 when z ≥ 0."),
            (lambda X, w, b: (z(X, w, b) > 0).astype(float), "at z = 0 the step gives 1 (z ≥ 0), yours gives 0."),
        ),
        hint="Y_hat has one entry per example, shape (1, m): compute w @ X + b.",
    )
    return _check("check_perceptron_predict", fn, cases, [answer])


def check_perceptron_update(fn):
    r"""Check ``fn(w, b, x, y, eta) -> (w, b)``, the perceptron learning rule for one example.

    .. math:: \hat y = \operatorname{step}(w x + b), \quad
        w \leftarrow w + \eta\,(y - \hat y)\, x^\top, \quad b \leftarrow b + \eta\,(y - \hat y)

    ``w`` is a row (1, n_x), ``x`` a column (n_x, 1), ``b`` (1, 1), ``y`` 0 or 1, ``eta`` > 0.
    """
    rng = np.random.default_rng(2)
    cases = []
    for kind in ("wrong", "wrong", "right"):
        w, x, b = rng.standard_normal((1, 4)), rng.standard_normal((4, 1)), rng.standard_normal((1, 1))
        y_hat = activations.step(w @ x + b)[0, 0]
        cases.append({"w": w, "b": b, "x": x, "y": 1.0 - y_hat if kind == "wrong" else y_hat, "eta": 0.3})
    cases.append({"w": np.zeros((1, 4)), "b": np.zeros((1, 1)), "x": rng.standard_normal((4, 1)), "y": 0.0, "eta": 0.3})

    def new_w(w, b, x, y, eta):
        return _perceptron_update(w, b, x, y, eta)[0]

    def new_b(w, b, x, y, eta):
        return _perceptron_update(w, b, x, y, eta)[1]

    def error(w, b, x, y, eta):
        return y - activations.step(w @ x + b)[0, 0]

    w_answer = _Answer(
        "w",
        new_w,
        (
            (lambda w, b, x, y, eta: w - eta * error(w, b, x, y, eta) * x.T, "the sign is flipped: w ← w + η(y − ŷ)x."),
            (lambda w, b, x, y, eta: w + error(w, b, x, y, eta) * x.T, "you forgot the learning rate η."),
            (
                lambda w, b, x, y, eta: _perceptron_update(w, b, x, y, eta, strict=True)[0],
                "at z = 0 the step gives ŷ = 1 (z ≥ 0); your code took ŷ = 0.",
            ),
            (lambda w, b, x, y, eta: w, "w did not change although ŷ ≠ y for this example."),
        ),
        hint="w is a row (1, n_x) and x a column (n_x, 1): add η(y − ŷ) x.T, or w + η(y − ŷ)x broadcasts to a square.",
    )
    b_answer = _Answer(
        "b",
        new_b,
        (
            (lambda w, b, x, y, eta: b, "b did not change: the bias learns too, b ← b + η(y − ŷ)."),
            (lambda w, b, x, y, eta: b - eta * error(w, b, x, y, eta), "the sign is flipped: b ← b + η(y − ŷ)."),
        ),
        number=True,
        hint="b is one number (shape (1, 1)).",
    )
    return _check("check_perceptron_update", fn, cases, [w_answer, b_answer])


# --- chapter 2: a layer, vectorized --------------------------------------------------------------


def check_dense_forward(fn):
    r"""Check ``fn(A_prev, W, b) -> Z`` with :math:`Z = W A_{prev} + b`.

    ``A_prev`` (n_prev, m), ``W`` (n, n_prev), ``b`` (n, 1); ``Z`` (n, m). The reference is
    :func:`mathnn.layers.dense_forward`.
    """
    answer = _Answer(
        "Z",
        lambda A_prev, W, b: layers.dense_forward(A_prev, W, b)[0],
        (
            (lambda A_prev, W, b: W @ A_prev, "you forgot to add the bias b."),
            (lambda A_prev, W, b: W @ A_prev - b, "you subtracted b; Z = W A_prev + b."),
            (
                lambda A_prev, W, b: activations.sigmoid(W @ A_prev + b),
                "you applied an activation; this step returns Z, before g.",
            ),
        ),
        hint="Z has one row per unit and one column per example, (n, m) = W @ A_prev + b.",
    )
    return _check("check_dense_forward", fn, _pick(_layer_cases(), "A_prev", "W", "b"), [answer])


# --- chapter 3: activations ---------------------------------------------------------------------

_SIGMOID_STABLE = (
    "Some inputs are large (|z| up to 1000). Keep exp away from large positive numbers, "
    "e.g. use exp(-|z|) (see mathnn.activations.sigmoid)."
)
_SOFTMAX_STABLE = (
    "Some inputs are large (up to 1000). Subtract each column's max before exp: "
    "it cancels in the fraction and nothing overflows."
)

_ACTIVATION_VARIANTS = {
    "sigmoid": ((lambda Z: activations.sigmoid(-Z), "you computed σ(−z): σ(z) = 1/(1 + exp(−z))."),),
    "tanh": ((lambda Z: activations.sigmoid(Z), "you computed the sigmoid, not tanh."),),
    "relu": (
        (lambda Z: np.minimum(Z, 0), "you kept the negative part: relu(z) = max(0, z)."),
        (lambda Z: np.abs(Z), "you returned |z|; relu(z) = max(0, z) sets negatives to 0."),
        (lambda Z: activations.relu_derivative(Z), "you returned the derivative (0 or 1), not max(0, z)."),
    ),
    "softmax": ((lambda Z: np.exp(Z), "you forgot to divide by the sum of each column."),),
}

_DERIVATIVE_VARIANTS = {
    "sigmoid": (
        (lambda Z: activations.sigmoid(Z), "you returned σ(z) itself; the derivative is σ(z)(1 − σ(z))."),
        (lambda Z: Z * (1 - Z), "you applied s(1 − s) to z; first compute s = sigmoid(z)."),
        (lambda Z: -activations.sigmoid_derivative(Z), "the sign is flipped: σ'(z) = σ(z)(1 − σ(z)) > 0."),
    ),
    "tanh": (
        (lambda Z: activations.tanh(Z), "you returned tanh(z) itself; the derivative is 1 − tanh²(z)."),
        (lambda Z: 1 - Z**2, "you applied 1 − t² to z; first compute t = tanh(z)."),
        (lambda Z: 1 + activations.tanh(Z) ** 2, "the sign is flipped: tanh'(z) = 1 − tanh²(z)."),
    ),
    "relu": (
        (lambda Z: activations.relu(Z), "you returned relu(z) itself; its derivative is 1 for z > 0, else 0."),
        (lambda Z: (Z < 0).astype(float), "it is flipped: the derivative is 1 for z > 0 and 0 for z < 0."),
    ),
}


def _sums_to_one(axis):
    return lambda A, Z: bool(np.allclose(A.sum(axis=axis), 1.0))


_SOFTMAX_SYMPTOMS = (
    (_sums_to_one(1), "each row sums to 1, but examples are columns: normalise over axis=0."),
    (_sums_to_one(None), "the whole matrix sums to 1; each column (example) should: sum over axis=0, keepdims=True."),
    (lambda A, Z: not np.allclose(A.sum(axis=0), 1.0), "each column of softmax(Z) should sum to 1."),
)


def check_activation(name, fn):
    """Check ``fn(Z) -> A``, the activation ``name`` on Z (n, m), against mathnn.activations."""
    g = activations.get(name)
    hint = _SOFTMAX_STABLE if name == "softmax" else _SIGMOID_STABLE if name == "sigmoid" else ""
    symptoms = _SOFTMAX_SYMPTOMS if name == "softmax" else ()
    answer = _Answer(
        "A", g.value, _ACTIVATION_VARIANTS.get(name, ()), hint or "A has the shape of Z.", symptoms=symptoms
    )
    return _check(f"check_{name}", fn, _z_cases(), [answer])


def check_activation_derivative(name, fn):
    """Check ``fn(Z) -> g'(Z)`` elementwise (Z (n, m), no entry at a kink) against mathnn.activations."""
    g = activations.get(name)
    if not g.elementwise:
        raise ValueError(f"{name} is not elementwise: its derivative is a Jacobian; check softmax_backward instead.")
    answer = _Answer("g'(Z)", g.derivative, _DERIVATIVE_VARIANTS.get(name, ()), "g'(Z) has the shape of Z.")
    return _check(f"check_{name}_derivative", fn, _z_cases(avoid_zero=True), [answer])


def check_sigmoid(fn):
    r"""Check ``fn(Z)`` computes :math:`\sigma(z) = 1/(1 + e^{-z})` elementwise, also for :math:`|z|` up to 1000."""
    return check_activation("sigmoid", fn)


def check_tanh(fn):
    """Check ``fn(Z)`` computes tanh elementwise."""
    return check_activation("tanh", fn)


def check_relu(fn):
    """Check ``fn(Z)`` computes max(0, z) elementwise."""
    return check_activation("relu", fn)


def check_softmax(fn):
    r"""Check ``fn(Z)`` computes softmax over each column of Z (n, m), also for entries up to 1000."""
    return check_activation("softmax", fn)


def check_sigmoid_derivative(fn):
    r"""Check ``fn(Z)`` computes :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))` elementwise."""
    return check_activation_derivative("sigmoid", fn)


def check_tanh_derivative(fn):
    r"""Check ``fn(Z)`` computes :math:`1 - \tanh^2 z` elementwise."""
    return check_activation_derivative("tanh", fn)


def check_relu_derivative(fn):
    """Check ``fn(Z)`` computes 1 where z > 0 and 0 where z < 0."""
    return check_activation_derivative("relu", fn)


# --- chapter 4: losses --------------------------------------------------------------------------

_SHORT = {"binary_cross_entropy": "bce", "categorical_cross_entropy": "cce"}


def _loss_cases(name):
    """Y_hat and Y of shape (3, 5) fit for the loss: n_outputs = 3 and m = 5 differ from each other and from 2."""
    rng = np.random.default_rng(4)
    if name == "categorical_cross_entropy":
        Y = np.eye(3)[:, rng.integers(0, 3, 5)]
        return [{"Y_hat": activations.softmax(rng.standard_normal((3, 5))), "Y": Y}]
    Y_hat = rng.uniform(0.05, 0.95, (3, 5))
    Y = rng.integers(0, 2, (3, 5)).astype(float) if name == "binary_cross_entropy" else rng.standard_normal((3, 5))
    return [{"Y_hat": Y_hat, "Y": Y}]


def _scaled(reference, factor):
    return lambda Y_hat, Y: reference(Y_hat, Y) * factor(Y)


def _m(Y):
    return Y.shape[1]


def _factor_variants(reference, two=False):
    """The usual slips: the sign, a factor m (summed, or averaged twice), the outputs averaged too, a factor 2."""
    variants = [
        (_scaled(reference, lambda Y: -1.0), "the sign is flipped."),
        (_scaled(reference, _m), "it is m times too large: divide by m, the number of examples (columns)."),
        (_scaled(reference, lambda Y: 1 / _m(Y)), "it is m times too small: you divided by m twice."),
        (_scaled(reference, lambda Y: 1 / Y.shape[0]), "np.mean averaged over the outputs too; divide by m only."),
    ]
    if two:
        variants += [
            (_scaled(reference, lambda Y: 0.5), "it is half the right value: the book's mse has no ½, so keep the 2."),
            (_scaled(reference, lambda Y: 2.0), "it is twice the right value: is there a factor 2 too many?"),
            (_scaled(reference, lambda Y: _m(Y) / 2), "you forgot both the 1/m and the factor 2."),
        ]
    return tuple(variants)


def check_loss(name, fn):
    """Check ``fn(Y_hat, Y) -> C``, the cost averaged over the m examples, against mathnn.losses."""
    loss = losses.get(name)
    answer = _Answer(
        "C", loss.value, _factor_variants(loss.value, two=name == "mse"), "Sum over outputs, divide by m.", number=True
    )
    return _check(f"check_{_SHORT.get(name, name)}", fn, _loss_cases(name), [answer])


def check_loss_gradient(name, fn):
    r"""Check ``fn(Y_hat, Y) -> dY_hat`` = :math:`\partial C/\partial \hat Y`, shape (n_outputs, m), 1/m included."""
    loss = losses.get(name)
    variants = _factor_variants(loss.gradient_unchecked, two=name == "mse")
    if name == "binary_cross_entropy":
        variants += ((lambda Y_hat, Y: -Y / Y_hat / _m(Y), "you kept only −y/ŷ; add (1 − y)/(1 − ŷ)."),)
    answer = _Answer("dY_hat", loss.gradient_unchecked, variants, "dY_hat has the shape of Y_hat.")
    return _check(f"check_{_SHORT.get(name, name)}_gradient", fn, _loss_cases(name), [answer])


def check_mse(fn):
    r"""Check ``fn(Y_hat, Y)`` computes :math:`C = \frac1m \sum_i \lVert \hat y^{(i)} - y^{(i)} \rVert^2`."""
    return check_loss("mse", fn)


def check_bce(fn):
    r"""Check ``fn(Y_hat, Y)`` computes binary cross-entropy averaged over the m examples."""
    return check_loss("binary_cross_entropy", fn)


def check_mse_gradient(fn):
    r"""Check ``fn(Y_hat, Y)`` computes :math:`\frac{2}{m}(\hat Y - Y)`."""
    return check_loss_gradient("mse", fn)


def check_bce_gradient(fn):
    r"""Check ``fn(Y_hat, Y)`` computes :math:`\frac1m\left(\frac{1-Y}{1-\hat Y} - \frac{Y}{\hat Y}\right)`."""
    return check_loss_gradient("binary_cross_entropy", fn)


def check_cce_gradient(fn):
    r"""Check ``fn(Y_hat, Y)`` computes :math:`-\frac1m\, Y / \hat Y` for one-hot Y."""
    return check_loss_gradient("categorical_cross_entropy", fn)


# --- chapter 5: backpropagation ------------------------------------------------------------------


def _backward(dZ, A_prev, W):
    return layers.dense_backward(dZ, (A_prev, W))


_TWICE = "it is m times too small: dZ already carries the 1/m of the cost, so do not divide by m again."
_TIMES_M = "it is m times too large: dZ already carries the 1/m, so use it as it is."


def _gradient_answers():
    dA_prev = _Answer(
        "dA_prev",
        lambda dZ, A_prev, W: _backward(dZ, A_prev, W)[0],
        (
            (lambda dZ, A_prev, W: -W.T @ dZ, "the sign is flipped: dA_prev = W.T @ dZ."),
            (lambda dZ, A_prev, W: W.T @ dZ / dZ.shape[1], _TWICE),
        ),
        "dA_prev has the shape of A_prev, (n_prev, m): dA_prev = W.T @ dZ.",
    )
    dW = _Answer(
        "dW",
        lambda dZ, A_prev, W: _backward(dZ, A_prev, W)[1],
        (
            (lambda dZ, A_prev, W: -dZ @ A_prev.T, "the sign is flipped: dW = dZ @ A_prev.T."),
            (lambda dZ, A_prev, W: dZ @ A_prev.T / dZ.shape[1], _TWICE),
            (lambda dZ, A_prev, W: dZ @ A_prev.T * dZ.shape[1], _TIMES_M),
        ),
        "dW has the shape of W, (n, n_prev): dW = dZ @ A_prev.T.",
    )
    db = _Answer(
        "db",
        lambda dZ, A_prev, W: _backward(dZ, A_prev, W)[2],
        (
            (lambda dZ, A_prev, W: dZ.mean(axis=1, keepdims=True), _TWICE + " Use dZ.sum, not dZ.mean."),
            (lambda dZ, A_prev, W: -dZ.sum(axis=1, keepdims=True), "the sign is flipped."),
        ),
        "db has the shape of b, (n, 1): sum dZ over the examples, dZ.sum(axis=1, keepdims=True).",
    )
    return dA_prev, dW, db


def _only(answer):
    """The same answer for a function that takes dZ and only some of (A_prev, W)."""

    def pick(function):
        def given_only(dZ, **given):
            n, m = dZ.shape
            return function(dZ, given.get("A_prev", np.ones((1, m))), given.get("W", np.ones((n, 1))))

        return given_only

    return _Answer(
        answer.name, pick(answer.reference), tuple((pick(f), why) for f, why in answer.variants), answer.hint
    )


def check_dense_backward(fn):
    r"""Check ``fn(dZ, A_prev, W) -> (dA_prev, dW, db)``, the backward pass of :math:`Z = W A_{prev} + b`.

    .. math:: dA_{prev} = W^\top dZ, \qquad dW = dZ\, A_{prev}^\top, \qquad db = \textstyle\sum_{\text{columns}} dZ

    dZ (n, m) already carries the 1/m of the cost. The reference is :func:`mathnn.layers.dense_backward`.
    """
    cases = _pick(_layer_cases(), "dZ", "A_prev", "W")
    return _check("check_dense_backward", fn, cases, list(_gradient_answers()))


def check_dW(fn):
    """Check ``fn(dZ, A_prev) -> dW`` with dW = dZ @ A_prev.T, shape (n, n_prev)."""
    cases = _pick(_layer_cases(), "dZ", "A_prev")
    return _check("check_dW", fn, cases, [_only(_gradient_answers()[1])])


def check_db(fn):
    """Check ``fn(dZ) -> db`` with db = dZ summed over the examples, shape (n, 1)."""
    return _check("check_db", fn, _pick(_layer_cases(), "dZ"), [_only(_gradient_answers()[2])])


def check_dA_prev(fn):
    """Check ``fn(dZ, W) -> dA_prev`` with dA_prev = W.T @ dZ, shape (n_prev, m)."""
    return _check("check_dA_prev", fn, _pick(_layer_cases(), "dZ", "W"), [_only(_gradient_answers()[0])])


def check_output_dZ(fn):
    r"""Check ``fn(A, Y) -> dZ`` for a sigmoid output with binary cross-entropy: :math:`dZ = (A - Y)/m`."""
    rng = np.random.default_rng(5)
    cases = [{"A": rng.uniform(0.05, 0.95, (1, 5)), "Y": rng.integers(0, 2, (1, 5)).astype(float)}]
    answer = _Answer(
        "dZ",
        losses.output_gradient,
        (
            (lambda A, Y: (Y - A) / _m(Y), "the sign is flipped: dZ = (A − Y)/m."),
            (lambda A, Y: A - Y, "it is m times too large: the cost is averaged, so divide by m."),
            (lambda A, Y: (A - Y) / _m(Y) ** 2, "it is m times too small: you divided by m twice."),
        ),
        "dZ has the shape of A, (1, m).",
    )
    return _check("check_output_dZ", fn, cases, [answer])


# --- chapter 6: gradient descent ----------------------------------------------------------------


def check_sgd_step(fn):
    r"""Check ``fn(W, b, dW, db, learning_rate) -> (W, b)``: :math:`W \leftarrow W - \alpha\, dW`, same for b."""
    rng = np.random.default_rng(6)
    cases = [
        {
            "W": rng.standard_normal((4, 3)),
            "b": rng.standard_normal((4, 1)),
            "dW": rng.standard_normal((4, 3)),
            "db": rng.standard_normal((4, 1)),
            "learning_rate": 0.1,
        }
    ]

    def answer(name, param, grad):
        return _Answer(
            name,
            lambda **c: c[param] - c["learning_rate"] * c[grad],
            (
                (
                    lambda **c: c[param] + c["learning_rate"] * c[grad],
                    "you went uphill: subtract α times the gradient.",
                ),
                (lambda **c: c[param] - c[grad], "you forgot the learning rate α."),
                (lambda **c: c[param], f"{name} did not change: update it too."),
            ),
            f"{name} keeps its shape {cases[0][param].shape}.",
        )

    return _check("check_sgd_step", fn, cases, [answer("W", "W", "dW"), answer("b", "b", "db")])


def check_batches(fn):
    """Check ``fn(m, batch_size, rng) -> list of index arrays``: one epoch of shuffled mini-batches.

    Every example 0..m−1 must appear exactly once, each batch holds ``batch_size`` indices except
    possibly the last (the m % batch_size left over), and the order must be shuffled by ``rng``.
    """
    _require_callable(fn, "check_batches")
    m, batch_size = 103, 10
    result, _, error = _call(fn, {"m": m, "batch_size": batch_size, "rng": np.random.default_rng(0)})
    message = error or _judge_batches(result, m, batch_size)
    if message:
        return Feedback(False, f"{message}\n(test input: m = {m}, batch_size = {batch_size})", "check_batches")
    return Feedback(True, "every example once, batches of the right size, shuffled.", "check_batches")


def _judge_batches(result, m, batch_size):
    if result is None:
        return "your function returned None: return the list of index arrays."
    try:
        batches = [np.asarray(batch).ravel() for batch in result]
    except TypeError:
        return f"your function should return a list of index arrays, but returned {type(result).__name__}."
    sizes = [len(batch) for batch in batches]
    everything = np.concatenate(batches) if batches else np.array([])
    seen, counts = np.unique(everything, return_counts=True)
    if (counts > 1).any():
        first = int(np.argmax(counts > 1))
        return (
            f"example {int(seen[first])} appears {counts[first]} times: shuffle one permutation, "
            f"rng.permutation(m), instead of drawing indices with replacement."
        )
    if len(seen) < m:
        missing = m - len(seen)
        if missing == m % batch_size:
            return f"the last {missing} examples (m % batch_size) never appear: keep the smaller last batch."
        return f"{missing} of the {m} examples never appear in a batch."
    if any(size != batch_size for size in sizes[:-1]) or sizes[-1] > batch_size:
        return (
            f"the batches should hold batch_size = {batch_size} examples (the last may hold fewer), but hold {sizes}."
        )
    if np.array_equal(everything, np.arange(m)):
        return "the batches follow the original order 0, 1, 2, ...: shuffle with rng.permutation(m) each epoch."
    return None


# --- chapter 2: vectorization -------------------------------------------------------------------


def _not_attempted(title):
    return Feedback(False, "not attempted yet: write the function's body, then run this cell again.",
                              title, False)


def check_layer_shapes(fn):
    """Check ``fn(sizes, m, l) -> (W_shape, b_shape, A_shape)``, the shapes of layer l's W, b and A.

    Returns a :class:`mathnn.exercises.Feedback` that explains the first wrong shape.
    """
    title = "check_layer_shapes"
    _require_callable(fn, title)
    if _is_stub(fn):
        return _not_attempted(title)
    cases = [([4, 10, 7, 3, 1], 32, 3), ([2, 25, 50, 50, 25, 1], 1000, 1), ([3, 5, 2], 7, 2), ([6, 4], 9, 1)]
    for sizes, m, l in cases:
        where = f"\n(test input: sizes = {sizes}, m = {m}, l = {l})"
        try:
            got = fn(list(sizes), m, l)
        except Exception as error:  # noqa: BLE001 - the reader's code may raise anything; we explain it
            return Feedback(False, f"your function raised {type(error).__name__}: {error}{where}", title)
        if got is None:
            return Feedback(False, f"your function returned None: did you forget "
                                      f"`return W_shape, b_shape, A_shape`?{where}", title)
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            return Feedback(False, f"return three shapes, (W_shape, b_shape, A_shape), not {got!r}.{where}",
                                      title)
        rows = {row.name: row.shape for row in shapes.shape_table(sizes, m)}
        n, n_prev = sizes[l], sizes[l - 1]
        for name, answer in zip(("W", "b", "A"), got):
            message = _shape_advice(name, answer, rows[f"{name}{l}"], l, n, n_prev, m)
            if message:
                return Feedback(False, message + where, title)
    return Feedback(True, f"correct on {len(cases)} networks.", title)


def _shape_advice(name, answer, expected, l, n, n_prev, m):
    """None if ``answer`` is the ``expected`` shape, else what is wrong with it."""
    try:
        answer = tuple(int(d) for d in answer)
    except (TypeError, ValueError):
        return f"the shape of {name}^[{l}] should be a tuple of two whole numbers, but got {answer!r}."
    if answer == expected:
        return None
    text = f"{name}^[{l}] has shape {expected}, not {answer}. "
    if name == "W" and answer == expected[::-1]:
        return text + (f"That is the transpose: row j of W^[{l}] holds the weights into unit j, so W^[{l}] has "
                       f"one row per unit of layer {l} (n[{l}] = {n}) and one column per unit of layer {l - 1} "
                       f"(n[{l - 1}] = {n_prev}).")
    if name == "b" and answer in ((n,), (1, n)):
        return text + "b is a column, one bias per unit, so that it is added to each of the m columns."
    if name == "A" and answer == (m, n):
        return text + "Examples are columns: A has one row per unit and one column per example."
    return text + (f"sizes[0] is the input, layer 0, so layer {l} has sizes[{l}] = {n} units and its inputs "
                   f"come from sizes[{l - 1}] = {n_prev} units.")


def _reference_forward(X, Ws, bs, hidden="relu", output="sigmoid"):
    A = X
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        A = activations.get(output if l == len(Ws) else hidden).value(W @ A + b)
    return A


def check_forward_pass(fn):
    """Check ``fn(X, Ws, bs) -> Y_hat``: ReLU in every hidden layer, the sigmoid in the last.

    ``Ws`` and ``bs`` are lists, ``Ws[l - 1]`` of shape (n[l], n[l-1]) and ``bs[l - 1]`` of shape (n[l], 1);
    X is (n0, m) and Y_hat (nL, m). The reference is :class:`mathnn.network.Network`'s forward pass.
    """
    title = "check_forward_pass"
    _require_callable(fn, title)
    if _is_stub(fn):
        return _not_attempted(title)
    answer = _Answer(
        "Y_hat",
        _reference_forward,
        (
            (lambda X, Ws, bs: _reference_forward(X, Ws, bs, output="relu"),
             "the last layer must use the sigmoid, not ReLU."),
            (lambda X, Ws, bs: _reference_forward(X, Ws, bs, hidden="sigmoid"),
             "the hidden layers must use ReLU; only the last uses the sigmoid."),
            (lambda X, Ws, bs: _reference_forward(X, Ws, bs, hidden="linear"),
             "you skipped the hidden layers' activation: A = relu(Z) after every hidden layer."),
            (lambda X, Ws, bs: _reference_forward(X, Ws, bs, output="linear"),
             "you returned Z of the last layer; apply the sigmoid to get Y_hat."),
        ),
        hint="Y_hat has one row per output unit and one column per example, (n[L], m).",
    )
    for number, (sizes, m) in enumerate([([3, 5, 4, 2], 6), ([2, 7, 1], 9)], start=1):
        net = Network.from_sizes(sizes, seed=number)
        rng = np.random.default_rng(number)
        for layer in net.layers:
            layer.b = rng.standard_normal(layer.b.shape)
        case = {"X": rng.standard_normal((sizes[0], m)), "Ws": [layer.W for layer in net.layers],
                "bs": [layer.b for layer in net.layers]}
        message = _judge(fn, case, [answer])
        if message:
            return Feedback(False, f"{message}\n(test network {sizes} with m = {m})", title)
    return Feedback(True, "correct on 2 networks.", title)
