r"""The chain rule written out: a small network scalar by scalar, its chain-rule products, the worked example."""

from dataclasses import dataclass
from itertools import product as all_combinations
from typing import NamedTuple

import numpy as np
import sympy as sp

from mathnn import activations as _activations
from mathnn import losses as _losses
from mathnn.layers import Dense
from mathnn.network import Network
from mathnn.symbolic.forms import OUTPUT_FORMS, activation, activation_derivative, loss
from mathnn.symbolic.numeric import compare
from mathnn.validate import check_count

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
