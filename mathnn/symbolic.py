r"""SymPy: derive the book's formulas, display them, and check them against mathnn's numpy code.

Every SymPy form here comes from the registries of the core,
``mathnn.activations.ACTIVATIONS`` and ``mathnn.losses.LOSSES``, so the derivations of the
book and the numbers of the code start from the same definition and cannot drift apart. A chapter
derives a formula with :func:`derivative` (or a whole chain-rule product with
:class:`ScalarNetwork`) and ends with one cell, :func:`verify`, that evaluates the SymPy result and
mathnn's numpy code on the same real numbers.

Symbols follow ``book/notation.md``: a superscript in square brackets names a layer
(:math:`w^{[2]}_{01}`), units are counted from 0, and :math:`\hat y` is the prediction.

Examples
--------
>>> from mathnn import activations
>>> derivative("tanh")
1 - tanh(z)**2
>>> derivative_identity("sigmoid").holds
True
>>> verify(derivative("sigmoid"), z, activations.sigmoid_derivative)
max |sympy − mathnn| = ... over 200 points ✓
"""

from dataclasses import dataclass
from itertools import product as all_combinations
from typing import NamedTuple

import numpy as np
import sympy as sp

from mathnn import activations as _activations
from mathnn import losses as _losses
from mathnn.layers import Dense
from mathnn.network import Network
from mathnn.validate import check_count

z = _Z = sp.Symbol("z", real=True)
y_hat = _Y_HAT = sp.Symbol("yhat", real=True)  # prints as \hat{y} in LaTeX
y = _Y = sp.Symbol("y", real=True)
sigma = sp.Function("sigma")  # σ as an unevaluated function, to display σ(z)(1 − σ(z))


def latex(expr, **options):
    """The LaTeX of ``expr`` (``sympy.latex``), for text that embeds a derived formula."""
    return sp.latex(expr, **options)


# --- the registries' SymPy forms ---------------------------------------------------------------


def _softmax_input(n=3):
    return sp.Matrix(sp.symbols(f"z_0:{n}", real=True))


def activation(name, z=None):
    r"""The activation ``name`` as a SymPy expression :math:`g(z)`, taken from the registry.

    Parameters
    ----------
    name : str
        A name from ``mathnn.activations.ACTIVATIONS``.
    z : sympy.Symbol, or a column sympy.Matrix for softmax, optional
        By default the symbol ``z`` (for softmax a column :math:`(z_0, z_1, z_2)`).

    Examples
    --------
    >>> activation("sigmoid")
    1/(1 + exp(-z))
    >>> activation("softmax", sp.Matrix(sp.symbols("z_0:2")))
    Matrix([
    [exp(z_0)/(exp(z_0) + exp(z_1))],
    [exp(z_1)/(exp(z_0) + exp(z_1))]])
    """
    g = _activations.get(name)
    if g.elementwise:
        z = _Z if z is None else z
        if isinstance(z, sp.MatrixBase):
            raise TypeError(f"{name} acts on one number z, but got a Matrix; pass a Symbol such as mathnn.symbolic.z.")
        return g.sympy(z, sp)
    z = _softmax_input() if z is None else z
    if not (isinstance(z, sp.MatrixBase) and z.shape[1] == 1):
        raise TypeError(
            f"softmax acts on a whole column, so z must be a column sympy.Matrix, but got {type(z).__name__} {z!r}. "
            f"Try sympy.Matrix(sympy.symbols('z_0:3'))."
        )
    return g.sympy(z, sp)


def loss(name, y_hat=None, y=None):
    r"""The per-example loss :math:`\ell(\hat y, y)` of one output, taken from the registry.

    The cost is :math:`C = \frac{1}{m}\sum_i \sum_j \ell(\hat y^{(i)}_j, y^{(i)}_j)`: summed over the outputs,
    averaged over the m examples.

    Examples
    --------
    >>> loss("mse")
    (-y + yhat)**2
    """
    y_hat = _Y_HAT if y_hat is None else y_hat
    y = _Y if y is None else y
    return _losses.get(name).sympy(y_hat, y, sp)


def activation_derivative(name, z=None):
    r""":math:`g'(z)` by SymPy; for softmax the Jacobian :math:`\partial a_j / \partial z_k`, a matrix.

    Examples
    --------
    >>> activation_derivative("relu")
    Heaviside(z)
    >>> activation_derivative("step")
    DiracDelta(z)
    >>> activation_derivative("leaky_relu")
    Piecewise((1, z > 0), (1/100, True))
    """
    g = activation(name, z)
    if isinstance(g, sp.MatrixBase):
        return g.jacobian(_softmax_input() if z is None else z)
    return sp.diff(g, _Z if z is None else z)


def loss_derivative(name, y_hat=None, y=None):
    r""":math:`\partial \ell / \partial \hat y` by SymPy, for one output of one example.

    The gradient of the cost is this divided by m: ``LOSSES[name].gradient`` computes
    :math:`\frac{1}{m}\,\partial \ell / \partial \hat y` for every entry of ``Y_hat``.

    Examples
    --------
    >>> loss_derivative("binary_cross_entropy")
    -y/yhat + (1 - y)/(1 - yhat)
    """
    y_hat = _Y_HAT if y_hat is None else y_hat
    return sp.diff(loss(name, y_hat, y), y_hat)


def derivative(name, *symbols):
    r"""The derivative of an activation (:math:`dg/dz`) or of a loss (:math:`\partial\ell/\partial\hat y`).

    Parameters
    ----------
    name : str
        An activation name (then ``symbols`` is ``z``) or a loss name (then ``symbols`` is ``y_hat, y``).
    *symbols : sympy.Symbol, optional
        The variables to use instead of the defaults ``z``, ``y_hat``, ``y``.

    Examples
    --------
    >>> derivative("mse")
    -2*y + 2*yhat
    """
    if name in _activations.ACTIVATIONS:
        return activation_derivative(name, *symbols)
    if name in _losses.LOSSES:
        return loss_derivative(name, *symbols)
    known = ", ".join(sorted({*_activations.ACTIVATIONS, *_losses.LOSSES}))
    raise ValueError(f"unknown activation or loss {name!r}; the known ones are: {known}.")


# --- identities, proved by SymPy ---------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """An equation ``lhs = rhs`` and whether SymPy proved it (``holds``). Renders as LaTeX in Jupyter."""

    lhs: object
    rhs: object
    holds: bool

    def __bool__(self):
        return bool(self.holds)

    def __repr__(self):
        verdict = "✓ proved by SymPy" if self.holds else "✗ SymPy could not show this"
        return f"{self.lhs} = {self.rhs}   {verdict}"

    def _repr_latex_(self):
        verdict = r"\quad \checkmark" if self.holds else r"\quad \text{✗ not shown}"
        return rf"$\displaystyle {sp.latex(self.lhs)} = {sp.latex(self.rhs)} {verdict}$"


def _is_zero(difference):
    if isinstance(difference, sp.MatrixBase):  # entries of matrix products: polynomials, expanding decides
        return all(sp.expand(entry) == 0 for entry in difference)
    return sp.simplify(difference) == 0


def prove(lhs, rhs):
    """Ask SymPy whether ``lhs = rhs``: simplify the difference (matrices: entry by entry) and compare with 0.

    ``holds`` False means SymPy could not show it, not always that it is false.

    Examples
    --------
    >>> s = activation("sigmoid")
    >>> prove(sp.diff(s, z), s * (1 - s)).holds, prove(sp.diff(s, z), s * (1 + s)).holds
    (True, False)
    """
    if isinstance(lhs, sp.MatrixExpr) or isinstance(rhs, sp.MatrixExpr):
        difference = sp.Matrix(lhs.as_explicit()) - sp.Matrix(rhs.as_explicit())
    else:
        difference = lhs - rhs
    return Identity(lhs, rhs, _is_zero(difference))


# g'(z) written with the output a = g(z): what a backward pass computes from the cached A.
OUTPUT_FORMS = {
    "linear": lambda a: sp.Integer(1),
    "sigmoid": lambda a: a * (1 - a),
    "tanh": lambda a: 1 - a**2,
}


def derivative_identity(name, z=None):
    r"""Prove that :math:`g'(z)` equals its form in the output :math:`a = g(z)`.

    :math:`\sigma'(z) = \sigma(z)(1-\sigma(z))` and :math:`\tanh'(z) = 1-\tanh^2 z`: a backward pass
    can compute g' from the cached activations A without another exp.

    Returns
    -------
    Identity
        ``lhs`` is SymPy's derivative, ``rhs`` the form in :math:`g(z)`, ``holds`` whether
        ``simplify(lhs - rhs) == 0``.

    Examples
    --------
    >>> derivative_identity("sigmoid")
    exp(-z)/(1 + exp(-z))**2 = (1 - sigma(z))*sigma(z)   ✓ proved by SymPy
    """
    if name not in OUTPUT_FORMS:
        raise ValueError(f"an output form g'(z) = f(g(z)) is known for {', '.join(OUTPUT_FORMS)}, not {name!r}.")
    z = _Z if z is None else z
    g = activation(name, z)
    shown = sigma(z) if name == "sigmoid" else g
    rhs = OUTPUT_FORMS[name](shown)
    return Identity(sp.diff(g, z), rhs, _is_zero(sp.diff(g, z) - OUTPUT_FORMS[name](g)))


def two_class_softmax():
    r"""Prove that softmax over two classes is the sigmoid of the difference.

    .. math:: \frac{e^{z_0}}{e^{z_0}+e^{z_1}} = \sigma(z_0 - z_1)

    Examples
    --------
    >>> bool(two_class_softmax())
    True
    """
    z_0, z_1 = sp.symbols("z_0 z_1", real=True)
    lhs = activation("softmax", sp.Matrix([z_0, z_1]))[0]
    return prove(lhs, activation("sigmoid", z_0 - z_1))


def linear_collapse(n_0=3, n_1=4, n_2=2):
    r"""Prove that two layers without activation are one linear layer.

    .. math:: W_2(W_1 x + b_1) + b_2 = W' x + b', \qquad W' = W_2 W_1, \quad b' = W_2 b_1 + b_2

    :math:`W'` has shape (n_2, n_0): stacking linear layers adds no power. SymPy writes out every entry
    of both sides with matrix symbols of the given sizes and checks that they agree.

    Examples
    --------
    >>> linear_collapse()
    W2*(W1*x + b1) + b2 = W2*W1*x + W2*b1 + b2   ✓ proved by SymPy
    """
    x = sp.MatrixSymbol("x", check_count(n_0, "n_0"), 1)
    W1, b1 = sp.MatrixSymbol("W1", check_count(n_1, "n_1"), n_0), sp.MatrixSymbol("b1", n_1, 1)
    W2, b2 = sp.MatrixSymbol("W2", check_count(n_2, "n_2"), n_1), sp.MatrixSymbol("b2", n_2, 1)
    lhs = W2 * (W1 * x + b1) + b2
    W_prime, b_prime = W2 * W1, W2 * b1 + b2
    return prove(lhs, W_prime * x + b_prime)


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


# --- a network written out scalar by scalar ----------------------------------------------------


class Factor(NamedTuple):
    """One factor of a chain-rule product: a plain label, its value, and the label in LaTeX."""

    label: str
    expression: object
    latex: str


def _plain(symbol):
    """``a^{[3]}_{0}`` -> ``a[3]_0``: the symbol's name without LaTeX braces."""
    return symbol.name.replace("^{[", "[").replace("]}", "]").replace("_{", "_").replace("}", "")


def _factor(top, bottom, expression):
    """The factor ∂top/∂bottom with its value; ``top`` is a symbol or the name "C"."""
    top_plain, top_tex = (top, top) if isinstance(top, str) else (_plain(top), sp.latex(top))
    tex = rf"\frac{{\partial {top_tex}}}{{\partial {sp.latex(bottom)}}}"
    return Factor(f"∂{top_plain}/∂{_plain(bottom)}", expression, tex)


def _at(expr, numbers):
    """``expr`` as a float with the numbers put in for its symbols (xreplace: much faster than subs)."""
    return float(sp.sympify(expr).xreplace({symbol: sp.Float(value) for symbol, value in numbers.items()}))


class ScalarNetwork:
    r"""A small network written out number by number: one SymPy symbol per input, weight, bias and unit.

    Layer l has units :math:`z^{[l]}_j = \sum_k w^{[l]}_{jk} a^{[l-1]}_k + b^{[l]}_j` and
    :math:`a^{[l]}_j = g(z^{[l]}_j)`, with :math:`a^{[0]}_k = x_k`; the cost of the one example is
    :math:`C = \sum_j \ell(a^{[L]}_j, y_j)` (for mse, :math:`(a^{[L]} - y)^2`, the same as mathnn's
    cost with m = 1). Subscripts are left out where a layer has a single unit.

    Parameters
    ----------
    sizes : list of int
        [n0, n1, ..., nL], e.g. ``[1, 1, 1, 1, 1]`` for a chain of four layers or ``[2, 2, 1]``.
    activation : str or list of str
        The activation of every layer, or one name per layer (elementwise ones; not softmax).
    loss : str

    Examples
    --------
    >>> net = ScalarNetwork.chain(2)
    >>> net.chain_rule(net.weight(2)).factors
    [('∂C/∂a[2]', 2*a^{[2]} - 2*y), ('∂a[2]/∂z[2]', a^{[2]}*(1 - a^{[2]})), ('∂z[2]/∂w[2]', a^{[1]})]
    >>> net.chain_rule(net.weight(1)).confirm().ok
    True
    """

    def __init__(self, sizes, activation="sigmoid", loss="mse"):
        sizes = [check_count(n, "each layer size") for n in sizes]
        if len(sizes) < 2:
            raise ValueError(f"sizes needs an input and at least one layer, like [2, 2, 1], but got {sizes}.")
        self.sizes = sizes
        self.L = len(sizes) - 1
        names = [activation] * self.L if isinstance(activation, str) else list(activation)
        if len(names) != self.L:
            raise ValueError(f"give one activation per layer ({self.L}), or one name for all, but got {names}.")
        if not all(_activations.get(name).elementwise for name in names):
            raise ValueError("ScalarNetwork works unit by unit, so it needs elementwise activations, not softmax.")
        self.activations = names
        self.loss = _losses.get(loss).name
        self.x = [self._symbol("x", None, k, n=sizes[0]) for k in range(sizes[0])]
        self.y = [self._symbol("y", None, j, n=sizes[-1]) for j in range(sizes[-1])]
        self.w, self.b, self.z, self.a = {}, {}, {}, {}
        for l in range(1, self.L + 1):
            for j in range(sizes[l]):
                for k in range(sizes[l - 1]):
                    self.w[l, j, k] = self._symbol("w", l, (j, k), n=sizes[l] * sizes[l - 1])
                self.b[l, j] = self._symbol("b", l, j, n=sizes[l])
                self.z[l, j] = self._symbol("z", l, j, n=sizes[l])
                self.a[l, j] = self._symbol("a", l, j, n=sizes[l])
        self._where = {symbol: ("w", *key) for key, symbol in self.w.items()}
        self._where.update({symbol: ("b", *key) for key, symbol in self.b.items()})
        self.cost = self._cost()

    @classmethod
    def chain(cls, L=4, activation="sigmoid", loss="mse"):
        """L layers of one unit each: :math:`a^{[l]} = g(w^{[l]} a^{[l-1]} + b^{[l]})`, cost :math:`(a^{[L]} - y)^2`."""
        return cls([1] * (check_count(L, "L") + 1), activation, loss)

    def __repr__(self):
        names = self.activations[0] if len(set(self.activations)) == 1 else self.activations
        return f"ScalarNetwork({self.sizes}, activation={names!r}, loss={self.loss!r})"

    def _symbol(self, letter, l, index, n):
        """``w^{[2]}_{01}``; no subscript where there is one unit (n == 1), commas past 10 units."""
        layer = "" if l is None else f"^{{[{l}]}}"
        if n == 1:
            return sp.Symbol(f"{letter}{layer}", real=True)
        index = index if isinstance(index, tuple) else (index,)
        digits = ("," if max(self.sizes) > 10 else "").join(map(str, index))
        return sp.Symbol(f"{letter}{layer}_{{{digits}}}", real=True)

    # --- symbols and local relations --------------------------------------------------------

    def weight(self, l, j=0, k=0):
        r"""The symbol :math:`w^{[l]}_{jk}`, the weight to unit j of layer l from unit k of layer l−1."""
        return self._lookup(self.w, (l, j, k), "weight")

    def bias(self, l, j=0):
        r"""The symbol :math:`b^{[l]}_j`."""
        return self._lookup(self.b, (l, j), "bias")

    def _lookup(self, table, key, kind):
        if key not in table:
            raise ValueError(
                f"this network ({self.sizes}) has no {kind} {key}; layers count 1..{self.L}, units from 0."
            )
        return table[key]

    @property
    def parameters(self):
        """Every weight and bias symbol, in the order of :attr:`mathnn.network.Network.parameters` (W1, b1, W2, ...)."""
        ordered = []
        for l in range(1, self.L + 1):
            ordered += [self.w[key] for key in sorted(self.w) if key[0] == l]
            ordered += [self.b[key] for key in sorted(self.b) if key[0] == l]
        return ordered

    def _a_prev(self, l, k):
        return self.x[k] if l == 1 else self.a[l - 1, k]

    def z_local(self, l, j):
        r""":math:`z^{[l]}_j = \sum_k w^{[l]}_{jk} a^{[l-1]}_k + b^{[l]}_j`, in the symbols of layer l−1."""
        n_prev = self.sizes[l - 1]
        return sum(self.w[l, j, k] * self._a_prev(l, k) for k in range(n_prev)) + self.b[l, j]

    def cost_local(self):
        r""":math:`C = \sum_j \ell(a^{[L]}_j, y_j)` in the output symbols."""
        return sum(loss(self.loss, self.a[self.L, j], self.y[j]) for j in range(self.sizes[-1]))

    def _cost(self):
        A = list(self.x)
        for l in range(1, self.L + 1):
            replace = {self._a_prev(l, k): A[k] for k in range(self.sizes[l - 1])}
            g = self.activations[l - 1]
            A = [activation(g, self.z_local(l, j).subs(replace)) for j in range(self.sizes[l])]
        return sum(loss(self.loss, A[j], self.y[j]) for j in range(self.sizes[-1]))

    # --- the chain rule ----------------------------------------------------------------------

    def _da_dz(self, l, j):
        """∂a/∂z written with the output a where a short form exists (σ' = a(1 − a)), else g'(z)."""
        g = self.activations[l - 1]
        if g in OUTPUT_FORMS:
            return OUTPUT_FORMS[g](self.a[l, j])
        return activation_derivative(g, self.z[l, j])

    def _path_factors(self, path, parameter):
        """The factors along one path of units j_l, ..., j_L from the parameter's unit to an output."""
        l = self.L - len(path) + 1
        top = self.a[self.L, path[-1]]
        factors = [_factor("C", top, sp.diff(self.cost_local(), top))]
        for t in range(self.L, l - 1, -1):
            j = path[t - l]
            factors.append(_factor(self.a[t, j], self.z[t, j], self._da_dz(t, j)))
            below = parameter if t == l else self.a[t - 1, path[t - 1 - l]]
            factors.append(_factor(self.z[t, j], below, sp.diff(self.z_local(t, j), below)))
        return factors

    def chain_rule(self, parameter):
        r"""The chain rule for :math:`\partial C / \partial \theta`, factor by factor.

        Parameters
        ----------
        parameter : sympy.Symbol
            A weight or bias, e.g. ``net.weight(1, 0, 1)`` or ``net.bias(2)``.

        Returns
        -------
        ChainRule
            ``factors`` for the last layer are ∂C/∂a, ∂a/∂z, ∂z/∂w; earlier layers add a pair
            ∂z/∂a, ∂a/∂z per layer. With several units after the parameter, the derivative is a sum
            over all paths to the outputs (``paths``).
        """
        if parameter not in self._where:
            raise ValueError(
                f"{parameter!r} is not a weight or bias of {self!r}; use net.weight(l, j, k) or net.bias(l, j)."
            )
        _, l, j, *_ = self._where[parameter]
        later = [range(n) for n in self.sizes[l + 1 :]]
        paths = [self._path_factors((j, *rest), parameter) for rest in all_combinations(*later)]
        return ChainRule(self, parameter, paths)

    # --- numbers -----------------------------------------------------------------------------

    def values(self, x, y, W, b=None):
        """A dict {symbol: number} for the inputs x, targets y, weight matrices W[0..L-1] and bias columns b.

        ``W[l - 1]`` is the matrix of layer l, shape (n_l, n_{l-1}); ``b`` defaults to zeros.
        """
        x, y = np.ravel(x), np.ravel(y)
        if x.size != self.sizes[0] or y.size != self.sizes[-1]:
            raise ValueError(
                f"this network takes {self.sizes[0]} input(s) and {self.sizes[-1]} target(s), "
                f"but got x with {x.size} and y with {y.size}."
            )
        numbers = dict(zip(self.x, x))
        numbers.update(zip(self.y, y))
        if len(W) != self.L:
            raise ValueError(f"W must hold one matrix per layer ({self.L}), but got {len(W)}.")
        for l in range(1, self.L + 1):
            shape = (self.sizes[l], self.sizes[l - 1])
            W_l = np.asarray(W[l - 1], dtype=np.float64)
            if W_l.size != shape[0] * shape[1]:
                raise ValueError(
                    f"W[{l - 1}] is the weight matrix of layer {l} and needs shape {shape}, got {W_l.shape}."
                )
            b_l = np.zeros(shape[0]) if b is None else np.ravel(b[l - 1])
            for (j, k), value in np.ndenumerate(W_l.reshape(shape)):
                numbers[self.w[l, j, k]] = value
            for j in range(shape[0]):
                numbers[self.b[l, j]] = b_l[j]
        return {symbol: float(value) for symbol, value in numbers.items()}

    def random_values(self, seed=0):
        """Random numbers for every symbol: x, weights and biases in [-1, 1]; targets fitting the loss."""
        rng = np.random.default_rng(seed)
        n_out = self.sizes[-1]
        y = {
            "binary_cross_entropy": rng.integers(0, 2, n_out),
            "categorical_cross_entropy": np.eye(n_out)[rng.integers(n_out)],
        }.get(self.loss, rng.uniform(0, 1, n_out))
        W = [rng.uniform(-1, 1, (n, n_prev)) for n_prev, n in zip(self.sizes, self.sizes[1:])]
        b = [rng.uniform(-1, 1, n) for n in self.sizes[1:]]
        return self.values(rng.uniform(-1, 1, self.sizes[0]), y, W, b)

    def forward_values(self, values):
        """The numbers of every z and a of the forward pass, as {symbol: number}."""
        numbers = dict(values)
        for l in range(1, self.L + 1):
            for j in range(self.sizes[l]):
                numbers[self.z[l, j]] = _at(self.z_local(l, j), numbers)
                numbers[self.a[l, j]] = _at(activation(self.activations[l - 1], self.z[l, j]), numbers)
        return numbers

    def output(self, values):
        """The outputs :math:`a^{[L]}_j` as a list of floats."""
        numbers = self.forward_values(values)
        return [numbers[self.a[self.L, j]] for j in range(self.sizes[-1])]

    def cost_value(self, values):
        """The cost C at these numbers."""
        return _at(self.cost, values)

    def gradients(self, values):
        """{parameter: ∂C/∂parameter} at these numbers, each from its chain-rule product."""
        numbers = self.forward_values(values)
        return {p: _at(self.chain_rule(p).product, numbers) for p in self.parameters}

    def step(self, values, learning_rate):
        r"""One gradient-descent step, :math:`\theta \leftarrow \theta - \alpha\, \partial C/\partial\theta`.

        Returns new values; inputs and targets stay as they were.
        """
        gradients = self.gradients(values)
        return {s: v - learning_rate * gradients[s] if s in gradients else v for s, v in values.items()}

    # --- the same network in mathnn -----------------------------------------------------------

    def to_network(self, values):
        """A :class:`mathnn.network.Network` of Dense layers with these weights and biases."""
        layers = []
        for l in range(1, self.L + 1):
            n, n_prev = self.sizes[l], self.sizes[l - 1]
            layer = Dense(n_prev, n, self.activations[l - 1], init="zeros")
            layer.W = [[values[self.w[l, j, k]] for k in range(n_prev)] for j in range(n)]
            layer.b = [[values[self.b[l, j]]] for j in range(n)]
            layers.append(layer)
        return Network(layers, self.loss)

    def to_data(self, values):
        """The one example as mathnn wants it: X of shape (n0, 1) and Y of shape (nL, 1)."""
        X = np.array([[values[s]] for s in self.x])
        Y = np.array([[values[s]] for s in self.y])
        return X, Y


class ChainRule:
    r""":math:`\partial C/\partial\theta` as the chain rule writes it.

    Its factors, their product, and SymPy's direct derivative of the whole cost, to compare.

    Attributes
    ----------
    parameter : sympy.Symbol
    paths : list of list of Factor
        One list of factors per path from the parameter's unit to an output.
    """

    def __init__(self, network, parameter, paths):
        self.network = network
        self.parameter = parameter
        self.paths = paths

    @property
    def factors(self):
        """[(label, expression), ...] of the single path, e.g. [("∂C/∂a[3]", 2*a - 2*y), ...]."""
        if len(self.paths) != 1:
            raise ValueError(
                f"∂C/∂{_plain(self.parameter)} is a sum over {len(self.paths)} paths; read them in .paths."
            )
        return [(f.label, f.expression) for f in self.paths[0]]

    @property
    def product(self):
        """The sum over paths of the product of the factors, in the symbols of each unit (a, z, w, x, y)."""
        return sum(sp.Mul(*(f.expression for f in path)) for path in self.paths)

    @property
    def direct(self):
        """SymPy's derivative of the whole cost, written in x, y, the weights and the biases."""
        return sp.diff(self.network.cost, self.parameter)

    def confirm(self, values=None, tolerance=1e-12):
        """Compare the product with the direct derivative after substituting numbers.

        Parameters
        ----------
        values : dict or list of dict, optional
            {symbol: number} for x, y, the weights and biases (see :meth:`ScalarNetwork.values`);
            by default 10 random points.

        Returns
        -------
        Verification
        """
        if values is None:
            values = [self.network.random_values(seed) for seed in range(10)]
        points = [values] if isinstance(values, dict) else list(values)
        product, direct = self.product, self.direct
        chain = [_at(product, self.network.forward_values(point)) for point in points]
        diff = [_at(direct, point) for point in points]
        return compare(diff, chain, names=("diff(C)", "chain rule"), tolerance=tolerance)

    def __repr__(self):
        lines = [f"∂C/∂{_plain(self.parameter)} =" + (" sum over paths of" if len(self.paths) > 1 else "")]
        for path in self.paths:
            width = max(len(f.label) for f in path)
            lines += [f"    {f.label:<{width}} = {f.expression}" for f in path]
            lines.append("    ---")
        return "\n".join(lines[:-1])

    def _repr_latex_(self):
        terms = [r" \cdot ".join(f.latex for f in path) for path in self.paths]
        values = [r" \cdot ".join(rf"\left({sp.latex(f.expression)}\right)" for f in path) for path in self.paths]
        lhs = rf"\frac{{\partial C}}{{\partial {sp.latex(self.parameter)}}}"
        return rf"$\displaystyle {lhs} = {' + '.join(terms)} = {' + '.join(values)}$"


# --- the classic worked example -----------------------------------------------------------------

WORKED_EXAMPLE = {
    "x": [0.35, 0.9],
    "y": [1.0],
    "W": [[[0.1, 0.8], [0.4, 0.6]], [[0.3, 0.9]]],
    "learning_rate": 0.5,
}


@dataclass
class WorkedStep:
    """One forward pass, backward pass and gradient-descent step of a :class:`ScalarNetwork`, in numbers."""

    network: ScalarNetwork
    before: dict
    gradients: dict
    after: dict
    learning_rate: float

    @property
    def output_before(self):
        return self.network.output(self.before)[0]

    @property
    def output_after(self):
        return self.network.output(self.after)[0]

    @property
    def target(self):
        return self.before[self.network.y[0]]

    def __repr__(self):
        net, forward = self.network, self.network.forward_values(self.before)
        lines = ["forward pass:"]
        for key in net.z:
            z_l, a_l = net.z[key], net.a[key]
            lines.append(f"    {_plain(z_l)} = {forward[z_l]:.6f}   {_plain(a_l)} = {forward[a_l]:.6f}")
        lines.append(f"    C = {net.cost_value(self.before):.6f}")
        lines.append(f"backward pass and step (learning rate {self.learning_rate:g}):")
        lines += [
            f"    ∂C/∂{_plain(p):<8} = {g:+.6f}   {_plain(p)}: {self.before[p]:.6f} -> {self.after[p]:.6f}"
            for p, g in self.gradients.items()
        ]
        lines.append(
            f"output {self.output_before:.6f} -> {self.output_after:.6f} (target {self.target:g}), "
            f"cost {net.cost_value(self.before):.6f} -> {net.cost_value(self.after):.6f}"
        )
        return "\n".join(lines)


def worked_example(learning_rate=WORKED_EXAMPLE["learning_rate"]):
    """Backpropagation by hand: two inputs, two hidden sigmoid units, one sigmoid output, target 1.

    Inputs 0.35 and 0.9, weights 0.1, 0.8 and 0.4, 0.6 into the hidden units and 0.3, 0.9 into the
    output, biases 0, cost :math:`(a^{[2]} - y)^2`: one forward pass, the chain rule for every weight
    and bias, and one gradient-descent step.

    Examples
    --------
    >>> step = worked_example()
    >>> round(step.output_before, 4), round(step.output_after, 4)
    (0.6903, 0.7178)
    """
    net = ScalarNetwork([2, 2, 1])
    before = net.values(WORKED_EXAMPLE["x"], WORKED_EXAMPLE["y"], WORKED_EXAMPLE["W"])
    gradients = net.gradients(before)
    after = net.step(before, learning_rate)
    return WorkedStep(net, before, gradients, after, learning_rate)
