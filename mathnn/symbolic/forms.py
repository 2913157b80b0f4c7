r"""SymPy forms and identities: the registries' activations and losses as SymPy, their derivatives, proofs.

Every SymPy form here comes from the registries of the core, ``mathnn.activations.ACTIVATIONS``
and ``mathnn.losses.LOSSES``, so the derivations of the book and the numbers of the code start from
the same definition and cannot drift apart.
"""

from dataclasses import dataclass

import sympy as sp

from mathnn import activations as _activations
from mathnn import losses as _losses
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


