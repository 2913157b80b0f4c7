r"""The problems of the gradient-descent stepper (chapter 6): f, its gradient and a good view of it.

Each problem's gradient is written by hand for speed and derived by SymPy from its formula
(:func:`derived_gradient`, :func:`derived_gradient_function`); a test holds the two equal, and another
holds the site twin's formulas to these. The stepper itself is :mod:`mathnn.widgets.descent`.

Examples
--------
>>> PROBLEMS["bowl"].value((2.0, 1.0))
7.0
>>> [str(d) for d in derived_gradient("rosenbrock")]
['-20*x0*(-x0**2 + x1) + 2*x0 - 2', '-10*x0**2 + 10*x1']
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mathnn.validate import lookup


@dataclass(frozen=True)
class Problem:
    """A function to minimise, with its gradient and a good view of it.

    ``f`` takes x (k,) for one variable, or (x0, x1) arrays of equal shape for two;
    ``gradient`` takes a point of shape (d,) and returns ∇f there, shape (d,).
    """

    title: str
    f: Callable
    gradient: Callable
    start: tuple
    x_range: tuple
    y_range: tuple | None = None
    levels: object = 15
    minimum: tuple = ()  # where the global minimum is
    formula: str = ""  # f in SymPy's syntax, in x (one variable) or x0, x1 (two)
    label: str = ""  # the title in plain text, for the site twin's canvas

    @property
    def dims(self):
        """1 or 2, the number of variables."""
        return 1 if self.y_range is None else 2

    def value(self, point):
        """f at a point of shape (d,)."""
        return float(self.f(*point))



def _quartic(x):
    return x**4 - 3 * x**2 + x


def _quartic_gradient(p):
    return np.array([4 * p[0] ** 3 - 6 * p[0] + 1])


def _bowl(x0, x1):
    return 0.5 * (x0**2 + 10 * x1**2)


def _bowl_gradient(p):
    return np.array([p[0], 10 * p[1]])


def _rosenbrock(x0, x1):
    return (1 - x0) ** 2 + 5 * (x1 - x0**2) ** 2


def _rosenbrock_gradient(p):
    x0, x1 = p
    return np.array([-2 * (1 - x0) - 20 * x0 * (x1 - x0**2), 10 * (x1 - x0**2)])


PROBLEMS = {
    "quartic": Problem(
        "$f(x) = x^4 - 3x^2 + x$: a local and a global minimum", _quartic, _quartic_gradient, (2.0,), (-2.2, 2.2),
        minimum=(float(np.roots([4, 0, -6, 1]).real.min()),),  # the leftmost root of f'(x) = 4x³ - 6x + 1
        formula="x**4 - 3*x**2 + x", label="f(x) = x⁴ − 3x² + x: a local and a global minimum",
    ),
    "bowl": Problem(
        r"$f(x) = \frac{1}{2}(x_0^2 + 10\,x_1^2)$: an elongated bowl", _bowl, _bowl_gradient, (-4.0, 1.5),
        (-5.0, 5.0), (-2.5, 2.5), levels=np.linspace(0, 45, 16), minimum=(0.0, 0.0),
        formula="(x0**2 + 10*x1**2) / 2", label="f(x) = ½(x₀² + 10 x₁²): an elongated bowl",
    ),
    "rosenbrock": Problem(
        "$f(x) = (1 - x_0)^2 + 5(x_1 - x_0^2)^2$: a curved valley", _rosenbrock, _rosenbrock_gradient,
        (-1.5, 2.0), (-2.0, 2.0), (-1.0, 3.0), levels=[0, *np.geomspace(0.05, 60, 15)], minimum=(1.0, 1.0),
        formula="(1 - x0)**2 + 5*(x1 - x0**2)**2", label="f(x) = (1 − x₀)² + 5(x₁ − x₀²)²: a curved valley",
    ),
}


def derived_gradient(problem):
    """∇f of a problem derived by SymPy: ``sp.diff`` of its formula by each variable, a list of expressions.

    The hand-written gradients of ``PROBLEMS`` are checked against these (see
    :func:`derived_gradient_function`). SymPy is imported here, on first use.
    """
    import sympy as sp

    definition = lookup(PROBLEMS, problem, "problem")
    variables = _variables(definition)
    f = sp.sympify(definition.formula, locals={v.name: v for v in variables})
    return [sp.diff(f, v) for v in variables]


def derived_gradient_function(problem):
    """A numpy function of a point (d,) returning the SymPy-derived ∇f there, shape (d,)."""
    from mathnn import symbolic

    definition = lookup(PROBLEMS, problem, "problem")
    parts = [symbolic.to_numpy(d, _variables(definition)) for d in derived_gradient(problem)]
    return lambda point: np.array([float(part(*point)) for part in parts])


def _variables(definition):
    import sympy as sp

    return [sp.Symbol("x", real=True)] if definition.dims == 1 else list(sp.symbols("x0 x1", real=True))
