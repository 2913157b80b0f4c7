r"""From SymPy to numbers: evaluate a derived formula with numpy and compare it with mathnn's code."""

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mathnn.symbolic.forms import derivative, z  # noqa: F401 - the examples below use them
from mathnn.validate import check_count

# --- from SymPy to numbers ---------------------------------------------------------------------


def _dirac_delta(x):
    """DiracDelta on numbers: 0 away from 0, infinite at 0 (where no derivative exists)."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x == 0, np.inf, 0.0)


def _resolve_symbols(expr, symbols):
    """The list of symbols to evaluate ``expr`` at; names (str) are looked up among its free symbols."""
    if isinstance(symbols, (sp.Symbol, str)):
        symbols = [symbols]
    free = {s.name: s for s in expr.free_symbols}
    resolved = []
    for symbol in symbols:
        if isinstance(symbol, str):
            symbol = free.get(symbol, sp.Symbol(symbol))
        if not isinstance(symbol, sp.Symbol):
            raise TypeError(
                f"symbols must be sympy Symbols or their names, but got {type(symbol).__name__} {symbol!r}."
            )
        if symbol not in expr.free_symbols and symbol.name in free:
            raise ValueError(
                f"the expression's {symbol.name!r} has other assumptions than the one you passed "
                f"(e.g. real=True); pass the name {symbol.name!r} or the symbol from mathnn.symbolic instead."
            )
        resolved.append(symbol)
    missing = expr.free_symbols - set(resolved)
    if missing:
        names = ", ".join(sorted(s.name for s in missing))
        raise ValueError(f"the expression also depends on {names}; add them to symbols (or substitute numbers first).")
    return resolved


def to_numpy(expr, symbols):
    r"""A numpy function of ``symbols`` that evaluates ``expr`` (via ``sympy.lambdify``).

    Parameters
    ----------
    expr : sympy expression (or Matrix)
    symbols : Symbol, str, or a list of them, in the order the numeric function takes its arguments

    Returns
    -------
    callable
        For a scalar ``expr`` it takes arrays and returns a float64 array of their broadcast shape;
        for a Matrix it takes numbers and returns a 2-D array.

    Examples
    --------
    >>> f = to_numpy(derivative("sigmoid"), z)
    >>> f(np.array([[0.0, 2.0]]))
    array([[0.25      , 0.10499359]])
    """
    symbols = _resolve_symbols(sp.sympify(expr), symbols)
    compiled = sp.lambdify(symbols, expr, modules=[{"DiracDelta": _dirac_delta}, "numpy"])
    if isinstance(expr, sp.MatrixBase):
        return lambda *numbers: np.asarray(compiled(*numbers), dtype=np.float64)

    def numeric(*arrays):
        arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        return np.broadcast_to(np.asarray(compiled(*arrays), dtype=np.float64), shape).copy()

    numeric.__doc__ = f"numpy version of {expr}, a function of {', '.join(s.name for s in symbols)}"
    return numeric


@dataclass(frozen=True)
class Verification:
    r"""How far a SymPy formula and mathnn's numpy code are apart on real numbers.

    Attributes
    ----------
    max_error : float
        The largest :math:`|\text{sympy} - \text{mathnn}|` over the points.
    n_points : int
    tolerance : float
        ``ok`` when max_error <= tolerance * (1 + scale).
    scale : float
        The largest absolute value of the reference (the SymPy side), so large values may differ in the last digits.
    worst : str
        Where the largest error happened and both values there.
    names : tuple of str
        What is compared, for the message.
    """

    max_error: float
    n_points: int
    tolerance: float
    scale: float = 1.0
    worst: str = ""
    names: tuple = ("sympy", "mathnn")

    @property
    def ok(self):
        return bool(self.max_error <= self.tolerance * (1.0 + self.scale))

    def __bool__(self):
        return self.ok

    def __repr__(self):
        first, second = self.names
        text = f"max |{first} − {second}| = {self.max_error:.1e} over {self.n_points} points"
        return f"{text} ✓" if self.ok else f"{text} ✗ they disagree: {self.worst}"

    def _repr_html_(self):
        colour = "#1a7f37" if self.ok else "#cf222e"
        return f'<pre style="color:{colour}">{repr(self)}</pre>'

    def assert_close(self):
        """Raise AssertionError, naming both values at the worst point, unless ``ok``."""
        if not self.ok:
            raise AssertionError(repr(self))
        return self


def compare(expected, got, names=("sympy", "mathnn"), tolerance=1e-9, where=None):
    """A :class:`Verification` of two arrays of numbers, ``expected`` first; ``where`` labels each point."""
    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    if got.size != expected.size:
        raise ValueError(
            f"the {names[1]} values have shape {got.shape}, but the {names[0]} values have shape {expected.shape}; "
            f"the numeric function must return one number per point, in the shape of its input."
        )
    expected, got = expected.ravel(), got.ravel()
    with np.errstate(invalid="ignore"):
        error = np.where(expected == got, 0.0, np.abs(expected - got))
    error = np.where(np.isnan(error), np.inf, error)
    worst = int(np.argmax(error)) if error.size else 0
    at = f" at {where(worst)}" if where else ""
    detail = f"{names[0]} {expected[worst]:.6g}, {names[1]} {got[worst]:.6g}{at}" if error.size else ""
    finite = np.abs(expected[np.isfinite(expected)])
    scale = float(finite.max()) if finite.size else 0.0
    return Verification(float(error.max(initial=0.0)), int(error.size), tolerance, scale, detail, tuple(names))


def _sample(symbols, points, seed):
    """One array of values per symbol, all of one shape; random points keep |v| >= 1e-3, away from kinks."""
    if points is None or isinstance(points, (int, np.integer)):
        n = 200 if points is None else check_count(int(points), "points")
        rng = np.random.default_rng(seed)
        return [rng.choice([-1.0, 1.0], (1, n)) * rng.uniform(1e-3, 4.0, (1, n)) for _ in symbols]
    if isinstance(points, dict):
        by_name = {getattr(key, "name", key): value for key, value in points.items()}
        missing = [s.name for s in symbols if s.name not in by_name]
        if missing:
            raise ValueError(f"points has no values for {', '.join(missing)}; give one array per symbol.")
        points = [by_name[s.name] for s in symbols]
    arrays = [np.asarray(p, dtype=np.float64) for p in points]
    if len(arrays) != len(symbols) or len({a.shape for a in arrays}) != 1:
        raise ValueError(
            f"points must hold one array per symbol ({len(symbols)}), all of one shape, but got shapes "
            f"{[a.shape for a in arrays]}."
        )
    return [a if a.ndim else a.reshape(1, 1) for a in arrays]


def verify(symbolic_expr, symbols, numeric_fn, points=None, seed=0, tolerance=1e-9):
    r"""Evaluate a SymPy formula and a numpy function on the same real numbers and compare.

    Parameters
    ----------
    symbolic_expr : sympy expression
    symbols : Symbol, str, or list of them
        The variables, in the order ``numeric_fn`` takes them.
    numeric_fn : callable
        Takes one array per symbol (each of shape (1, n) for random points) and returns an array of
        the same shape, e.g. ``mathnn.activations.sigmoid_derivative``.
    points : None, int, dict or list of arrays
        None for 200 random points, an int for that many; random values lie in [-4, 4] with
        :math:`|v| \ge 10^{-3}`, away from the kinks of ReLU and the step. Or the values themselves:
        ``{symbol: array}`` or one array per symbol, all of one shape.
    seed : int
        Where the random points come from.
    tolerance : float

    Returns
    -------
    Verification
        Prints as ``max |sympy − mathnn| = 2.2e-16 over 200 points ✓``; ``.ok``; ``.assert_close()``.

    Examples
    --------
    >>> from mathnn import activations
    >>> verify(derivative("relu"), z, activations.relu_derivative).ok
    True
    >>> verify(derivative("relu"), z, activations.relu).ok  # the value is not the derivative
    False
    """
    symbols = _resolve_symbols(sp.sympify(symbolic_expr), symbols)
    values = _sample(symbols, points, seed)
    expected = to_numpy(symbolic_expr, symbols)(*values)
    got = numeric_fn(*values)
    flat = [v.ravel() for v in values]

    def where(i):
        return ", ".join(f"{s.name} = {v[i]:.6g}" for s, v in zip(symbols, flat))

    return compare(expected, got, tolerance=tolerance, where=where)


