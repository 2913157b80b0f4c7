r"""SymPy: derive the book's formulas, display them, and check them against mathnn's numpy code.

Every SymPy form here comes from the registries of the core, ``mathnn.activations.ACTIVATIONS``
and ``mathnn.losses.LOSSES``, so the derivations of the book and the numbers of the code start from
the same definition and cannot drift apart. A chapter derives a formula with ``derivative`` (or a
whole chain-rule product with ``ScalarNetwork``) and ends with one cell, ``verify``, that evaluates
the SymPy result and mathnn's numpy code on the same real numbers.

Three modules, by idea; every name is also here:

- :mod:`mathnn.symbolic.forms`: the SymPy forms of activations and losses, derivatives, identities;
- :mod:`mathnn.symbolic.numeric`: from SymPy to numbers, ``to_numpy``, ``compare``, ``verify``;
- :mod:`mathnn.symbolic.chain`: the chain rule written out, ``ScalarNetwork``, ``ChainRule``,
  ``worked_example``.

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

from mathnn.symbolic.chain import (
    WORKED_EXAMPLE,
    ChainRule,
    Factor,
    ScalarNetwork,
    WorkedStep,
    worked_example,
)
from mathnn.symbolic.forms import (
    OUTPUT_FORMS,
    Identity,
    activation,
    activation_derivative,
    derivative,
    derivative_identity,
    latex,
    linear_collapse,
    loss,
    loss_derivative,
    prove,
    sigma,
    two_class_softmax,
    y,
    y_hat,
    z,
)
from mathnn.symbolic.numeric import (
    Verification,
    _sample,  # noqa: F401 - the tests draw points as verify does
    compare,
    to_numpy,
    verify,
)

__all__ = [
    "latex",
    "activation",
    "loss",
    "activation_derivative",
    "loss_derivative",
    "derivative",
    "Identity",
    "prove",
    "derivative_identity",
    "two_class_softmax",
    "linear_collapse",
    "z",
    "y_hat",
    "y",
    "sigma",
    "OUTPUT_FORMS",
    "to_numpy",
    "Verification",
    "compare",
    "verify",
    "Factor",
    "ScalarNetwork",
    "ChainRule",
    "WorkedStep",
    "worked_example",
    "WORKED_EXAMPLE",
]
