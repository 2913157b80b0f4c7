r"""A fully connected (dense) layer: :math:`Z = W A_{prev} + b`, :math:`A = g(Z)`, and its backward pass.

The math lives in two pure functions, forward and backward side by side; :class:`Dense` is a thin
stateful skin that holds W and b, caches what the backward pass needs, and stores dW and db.

Shapes (examples are columns): ``A_prev`` (n_prev, m), ``W`` (n, n_prev), ``b`` (n, 1), ``Z`` and
``A`` (n, m). Every gradient ``dX`` is ∂C/∂X and has the shape of ``X``.

Examples
--------
>>> import numpy as np
>>> W = np.array([[1.0, -1.0]]); b = np.array([[0.5]])
>>> A_prev = np.array([[1.0, 2.0, 3.0], [0.0, 2.0, 5.0]])
>>> Z, cache = dense_forward(A_prev, W, b)
>>> Z
array([[ 1.5,  0.5, -1.5]])
>>> dA_prev, dW, db = dense_backward(np.ones((1, 3)), cache)
>>> dW.shape == W.shape, db.shape == b.shape, dA_prev.shape == A_prev.shape
(True, True, True)
"""

import numpy as np

from mathnn import activations
from mathnn.validate import as_matrix, check_count, check_seed, lookup


def dense_forward(A_prev, W, b):
    r""":math:`Z = W A_{prev} + b`; b (n, 1) is broadcast across the m columns.

    Returns
    -------
    Z : ndarray of shape (n, m)
    cache : tuple (A_prev, W), what :func:`dense_backward` needs
    """
    return W @ A_prev + b, (A_prev, W)


def dense_forward_loops(A_prev, W, b):
    r"""The same :math:`Z = W A_{prev} + b`, one example, one unit and one weight at a time.

    :math:`z_j^{(i)} = \sum_k w_{jk}\, a_k^{(i)} + b_j` — what :func:`dense_forward` computes with one
    matrix product. Written out only to be compared with it, and timed against it.
    """
    n, n_prev = W.shape
    m = A_prev.shape[1]
    Z = np.zeros((n, m))
    for i in range(m):  # every example
        for j in range(n):  # every unit of this layer
            z = b[j, 0]
            for k in range(n_prev):  # every input to unit j
                z += W[j, k] * A_prev[k, i]
            Z[j, i] = z
    return Z


def dense_backward(dZ, cache):
    r"""Gradients of the affine map, given dZ = ∂C/∂Z of shape (n, m).

    .. math::
        dW = dZ\, A_{prev}^\top, \qquad db = \sum_{\text{columns}} dZ, \qquad dA_{prev} = W^\top dZ

    dZ already carries the 1/m of the averaged cost, so the sums over examples need no extra factor.

    Returns
    -------
    dA_prev : ndarray of shape (n_prev, m)
    dW : ndarray of shape (n, n_prev)
    db : ndarray of shape (n, 1)
    """
    A_prev, W = cache
    dW = dZ @ A_prev.T
    db = dZ.sum(axis=1, keepdims=True)
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def init_zeros(n_prev, n, rng):
    """All weights 0: every unit of the layer computes the same thing and stays the same forever."""
    return np.zeros((n, n_prev))


def init_normal(n_prev, n, rng):
    """Small random weights, N(0, 0.01²): breaks the symmetry, but signals shrink in deep networks."""
    return 0.01 * rng.standard_normal((n, n_prev))


def init_xavier(n_prev, n, rng):
    """Xavier/Glorot: N(0, 2/(n_prev + n)), keeps the variance of signals steady for tanh and sigmoid."""
    return np.sqrt(2.0 / (n_prev + n)) * rng.standard_normal((n, n_prev))


def init_he(n_prev, n, rng):
    """He: N(0, 2/n_prev), makes up for ReLU zeroing half of its inputs."""
    return np.sqrt(2.0 / n_prev) * rng.standard_normal((n, n_prev))


INITS = {"zeros": init_zeros, "normal": init_normal, "xavier": init_xavier, "he": init_he}


def default_init(activation_name):
    """He for the ReLU family, Xavier/Glorot for everything else."""
    return "he" if activation_name in ("relu", "leaky_relu") else "xavier"


class Dense:
    """A dense layer l with n_prev inputs and n units.

    The names are those of the book's notation: ``n_prev`` is :math:`n^{[l-1]}`, the units of the layer
    before (or the features, for the first layer), and ``n`` is :math:`n^{[l]}`. The order of the
    arguments is *from, to*; the order of W's shape is *to, from*.

    Parameters
    ----------
    n_prev, n : int
        W has shape (n, n_prev): row j holds the weights *to* unit j *from* each input k.
    activation : str
        A name from ``mathnn.activations.ACTIVATIONS``.
    init : str, optional
        "zeros", "normal", "xavier" or "he"; by default He for ReLU-like activations, else Xavier.
    seed : int or numpy.random.Generator, optional
        Where the initial weights come from. Biases start at 0.
    """

    def __init__(self, n_prev, n, activation="relu", init=None, seed=None):
        self.n_prev = check_count(n_prev, "n_prev")
        self.n = check_count(n, "n")
        self.activation = activations.get(activation)
        self.init = init or default_init(self.activation.name)
        make_weights = lookup(INITS, self.init, "init")
        rng = check_seed(seed)
        self._W = make_weights(self.n_prev, self.n, rng)
        self._b = np.zeros((self.n, 1))
        self.dW = None
        self.db = None
        self.cache = None

    def __repr__(self):
        return f"Dense({self.n_prev}, {self.n}, activation={self.activation.name!r}, init={self.init!r})"

    @property
    def W(self):
        """Weights, shape (n, n_prev)."""
        return self._W

    @W.setter
    def W(self, value):
        self._W = self._checked_parameter(value, "W", (self.n, self.n_prev))

    @property
    def b(self):
        """Biases, shape (n, 1)."""
        return self._b

    @b.setter
    def b(self, value):
        self._b = self._checked_parameter(value, "b", (self.n, 1))

    @property
    def parameters(self):
        """[W, b], the arrays themselves (an optimizer updates them in place)."""
        return [self._W, self._b]

    @property
    def gradients(self):
        """[dW, db] from the last backward pass, in the order of :attr:`parameters`."""
        return [self.dW, self.db]

    def _checked_parameter(self, value, name, shape):
        if isinstance(value, (int, float)) or np.ndim(value) < 2:
            raise ValueError(
                f"{name} of {self!r} must be a matrix of shape {shape}, but got "
                f"{np.shape(value) or 'a scalar'}. For b use a column: b.reshape(-1, 1)."
            )
        array = as_matrix(value, name)
        if array.shape != shape:
            hint = f" Did you mean {name}.T?" if array.shape == shape[::-1] else ""
            raise ValueError(
                f"{name} of {self!r} must have shape {shape} (units of this layer, inputs per unit), "
                f"but got shape {array.shape}.{hint}"
            )
        return array.copy()

    def forward(self, A_prev):
        """A = g(W A_prev + b) for A_prev of shape (n_prev, m); caches ((A_prev, W), Z, A) for backward."""
        A_prev = as_matrix(A_prev, "A_prev", rows=self.n_prev, rows_meaning="inputs to this layer")
        return self._forward(A_prev)

    def _forward(self, A_prev):
        Z, linear_cache = dense_forward(A_prev, self._W, self._b)
        A = self.activation.value(Z)
        self.cache = (linear_cache, Z, A)
        return A

    def backward(self, dA):
        """From dA = ∂C/∂A (n, m): store dW, db and return dA_prev (n_prev, m)."""
        _, Z, A = self._require_cache()
        if np.shape(dA) != A.shape:
            raise ValueError(f"dA must have the shape of A, {A.shape}, but got {np.shape(dA)}.")
        return self.backward_from_dZ(self.activation.backward(dA, Z, A))

    def backward_from_dZ(self, dZ):
        """From dZ = ∂C/∂Z (n, m): store dW, db and return dA_prev (n_prev, m)."""
        linear_cache, _, _ = self._require_cache()
        dA_prev, self.dW, self.db = dense_backward(dZ, linear_cache)
        return dA_prev

    def _require_cache(self):
        if self.cache is None:
            raise RuntimeError(f"{self!r}: call forward before backward; there is nothing to differentiate yet.")
        return self.cache
