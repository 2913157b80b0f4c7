r"""A network: a stack of :class:`~mathnn.layers.Dense` layers with a cost, trained by mini-batch SGD.

Forward: :math:`A^{[0]} = X`, then :math:`A^{[l]} = g^{[l]}(W^{[l]} A^{[l-1]} + b^{[l]})` for l = 1..L.
Backward: start from :math:`dA^{[L]} = \partial C / \partial \hat Y` and let each layer, from the last to
the first, turn its dA into dW, db and the dA of the layer before (the chain rule, one layer at a time).

Examples
--------
>>> from mathnn import data
>>> X, Y = data.logic_gate("xor")
>>> net = Network.from_sizes([2, 4, 1], hidden="tanh", output="sigmoid", loss="binary_cross_entropy", seed=1)
>>> history = net.fit(X, Y, epochs=2000, learning_rate=0.5, batch_size=4, seed=0)
>>> net.predict(X)
array([[0., 1., 1., 0.]])
"""

from collections import namedtuple

import numpy as np

from mathnn import losses
from mathnn.layers import Dense
from mathnn.optim import SGD, batches
from mathnn.validate import as_matrix, check_count, check_same_m

CLASSIFYING_OUTPUTS = ("sigmoid", "softmax", "step")


class TrainingDiverged(FloatingPointError):
    """The cost became NaN or infinite during training."""


class StopTraining(Exception):
    """Raise from a callback to end :meth:`Network.fit` early; fit returns the history so far."""


class History:
    """What :meth:`Network.fit` measured.

    ``loss`` and ``accuracy`` hold one entry per epoch, measured on the whole training set after the
    epoch; ``val_loss`` and ``val_accuracy`` the same on the validation set, if one was given;
    ``step_loss`` the cost of every mini-batch before its update. Accuracies are None for regression.
    """

    def __init__(self, loss=(), accuracy=(), val_loss=(), val_accuracy=(), step_loss=()):
        self.loss, self.accuracy = list(loss), list(accuracy)
        self.val_loss, self.val_accuracy = list(val_loss), list(val_accuracy)
        self.step_loss = list(step_loss)

    def __repr__(self):
        return f"History({len(self.loss)} epochs, {len(self.step_loss)} steps)"


class TrainingEvent(namedtuple("TrainingEvent", "kind network epoch step loss history")):
    """What a callback receives after every step (``kind == "step"``) and every epoch (``kind == "epoch"``).

    Fields: ``kind``, ``network``, ``epoch``, ``step`` (counted over the whole run), ``loss`` (the
    step's batch cost, or the epoch's cost on the whole training set) and the ``history`` so far.
    """

    __slots__ = ()


class Network:
    """Layers applied in order, and the cost that judges their output.

    Parameters
    ----------
    layers : list of Dense
        Each layer's n_in must equal the previous layer's n_out.
    loss : str
        "mse", "binary_cross_entropy" or "categorical_cross_entropy".
    """

    def __init__(self, layers, loss):
        layers = list(layers)
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            raise TypeError(f"layers must be a non-empty list of Dense layers, but got {layers!r}.")
        for l, (before, after) in enumerate(zip(layers, layers[1:]), start=1):
            if before.n_out != after.n_in:
                raise ValueError(
                    f"layer {l} has {before.n_out} units, so layer {l + 1} needs n_in={before.n_out}, "
                    f"but it was built with n_in={after.n_in}: {after!r}."
                )
        self.layers = layers
        self.loss = losses.get(loss)
        # Sigmoid + binary cross-entropy and softmax + categorical cross-entropy: dZ = (A - Y)/m.
        self.paired_output = self.loss.paired_activation == layers[-1].activation.name

    @classmethod
    def from_sizes(cls, sizes, hidden="relu", output="sigmoid", loss="binary_cross_entropy", init=None, seed=None):
        """Build a network from its layer sizes, e.g. ``[2, 25, 50, 50, 25, 1]``.

        Every hidden layer uses the activation ``hidden``, the last uses ``output``; all initial
        weights come from one generator made from ``seed``.
        """
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output size, like [2, 1], but got {sizes}.")
        rng = np.random.default_rng(seed)
        n_layers = len(sizes) - 1
        layers = [
            Dense(n_in, n_out, hidden if l < n_layers else output, init=init, seed=rng)
            for l, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), start=1)
        ]
        return cls(layers, loss)

    def __repr__(self):
        inner = ",\n    ".join(repr(layer) for layer in self.layers)
        return f"Network([\n    {inner},\n], loss={self.loss.name!r})"

    @property
    def sizes(self):
        """[n0, n1, ..., nL], the number of units in every layer, input first."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    @property
    def parameters(self):
        """[W1, b1, W2, b2, ...], the arrays themselves."""
        return [p for layer in self.layers for p in layer.parameters]

    @property
    def gradients(self):
        """[dW1, db1, dW2, db2, ...] from the last backward pass."""
        return [g for layer in self.layers for g in layer.gradients]

    # --- checks at the boundary -------------------------------------------------------------

    def check_X(self, X):
        """X as a float64 matrix of shape (n_features, m), or a ValueError that explains what is wrong."""
        return as_matrix(X, "X", rows=self.layers[0].n_in, rows_meaning="features")

    def check_XY(self, X, Y):
        """X and Y checked against the network and against each other."""
        X = self.check_X(X)
        Y = as_matrix(Y, "Y", rows=self.layers[-1].n_out, rows_meaning="outputs (one per output unit)")
        check_same_m(X, Y)
        self.loss.check_targets(Y)
        return X, Y

    # --- forward, cost, backward ------------------------------------------------------------

    def forward(self, X):
        """Ŷ = A^[L] for X of shape (n_features, m); every layer caches what backward needs."""
        return self._forward(self.check_X(X))

    def _forward(self, A):
        for layer in self.layers:
            A = layer._forward(A)
        return A

    def cost(self, X, Y):
        """The cost C of the network's predictions for X against the targets Y (a forward pass)."""
        X, Y = self.check_XY(X, Y)
        return self._cost(self._forward(X), Y)

    def _cost(self, Y_hat, Y):
        if self.paired_output:
            return self.loss.from_logits(self.layers[-1].cache[1], Y)
        return self.loss.value(Y_hat, Y)

    def backward(self, Y):
        """Fill every layer's dW and db for the targets Y of the last forward pass."""
        Y_hat = self.layers[-1]._require_cache()[2]
        Y = as_matrix(Y, "Y")
        if Y.shape != Y_hat.shape:
            raise ValueError(
                f"Y must have the shape of the last forward pass's output, {Y_hat.shape}, but got {Y.shape}."
            )
        self._backward(Y_hat, Y)

    def _backward(self, Y_hat, Y):
        output = self.layers[-1]
        if self.paired_output:
            dA = output.backward_from_dZ(losses.output_gradient(Y_hat, Y))
        else:
            dA = output.backward(self.loss.gradient_unchecked(Y_hat, Y))
        for layer in reversed(self.layers[:-1]):
            dA = layer.backward(dA)

    # --- predictions ------------------------------------------------------------------------

    def predict(self, X):
        """Predicted labels: one-hot argmax for softmax, 1 where A ≥ 0.5 for sigmoid, else A itself."""
        return self._predict(self.check_X(X))

    def _predict(self, X):
        A = self._forward(X)
        name = self.layers[-1].activation.name
        if name == "softmax":
            return (A == A.max(axis=0, keepdims=True)).astype(np.float64)
        if name in CLASSIFYING_OUTPUTS:
            return (A >= 0.5).astype(np.float64)
        return A

    def accuracy(self, X, Y):
        """The fraction of examples whose predicted label equals Y; None for a regression output."""
        X, Y = self.check_XY(X, Y)
        return self._accuracy(X, Y)

    def _accuracy(self, X, Y):
        if self.layers[-1].activation.name not in CLASSIFYING_OUTPUTS:
            return None
        return float(np.mean(np.all(self._predict(X) == Y, axis=0)))

    # --- training -----------------------------------------------------------------------------

    def train_step(self, X, Y, optimizer):
        """One gradient-descent step on the batch (X, Y); returns the batch's cost before the update.

        Inputs are not checked here (fit checks them once): call :meth:`fit` for checked input.
        """
        Y_hat = self._forward(X)
        cost = self._cost(Y_hat, Y)
        self._backward(Y_hat, Y)
        optimizer.step(self.layers)
        return cost

    def fit(
        self,
        X,
        Y,
        epochs,
        learning_rate,
        batch_size=32,
        seed=None,
        callbacks=(),
        validation=None,
        first_epoch=1,
    ):
        """Train with mini-batch SGD and return a :class:`History`.

        Parameters
        ----------
        X : array_like of shape (n_features, m)
        Y : array_like of shape (n_outputs, m)
        epochs : int >= 1
        learning_rate : float > 0
        batch_size : int >= 1
            A batch size of m or more means full-batch gradient descent.
        seed : int or numpy.random.Generator, optional
            The order of the examples in each epoch; the same seed gives the same training run.
        callbacks : list of callables
            Each is called with a :class:`TrainingEvent` after every step and every epoch; one may
            raise :class:`StopTraining` to end training early.
        validation : tuple (X_val, Y_val), optional
            Also measure cost and accuracy on these after every epoch.
        first_epoch : int
            The number of the first epoch, for a caller that trains a few epochs at a time (a
            widget's Step button): events and error messages count on from it.

        Raises
        ------
        TrainingDiverged
            When the cost becomes NaN or infinite; the message names the epoch and step.
        """
        X, Y = self.check_XY(X, Y)
        if validation is not None:
            X_val, Y_val = self.check_XY(*validation)
        epochs = check_count(epochs, "epochs")
        first_epoch = check_count(first_epoch, "first_epoch")
        batch_size = check_count(batch_size, "batch_size")
        optimizer = SGD(learning_rate)
        rng = np.random.default_rng(seed)
        history = History()
        step = 0
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for epoch in range(first_epoch, first_epoch + epochs):
                    for columns in batches(X.shape[1], batch_size, rng):
                        step += 1
                        cost = self.train_step(X[:, columns], Y[:, columns], optimizer)
                        _check_finite(cost, epoch, step, optimizer)
                        history.step_loss.append(cost)
                        _notify(callbacks, TrainingEvent("step", self, epoch, step, cost, history))
                    history.loss.append(_check_finite(self._cost(self._forward(X), Y), epoch, step, optimizer))
                    history.accuracy.append(self._accuracy(X, Y))
                    if validation is not None:
                        history.val_loss.append(self._cost(self._forward(X_val), Y_val))
                        history.val_accuracy.append(self._accuracy(X_val, Y_val))
                    _notify(callbacks, TrainingEvent("epoch", self, epoch, step, history.loss[-1], history))
        except StopTraining:
            pass
        return history


def _check_finite(cost, epoch, step, optimizer):
    if not np.isfinite(cost):
        alpha = optimizer.learning_rate
        raise TrainingDiverged(
            f"the cost became {cost} at epoch {epoch}, step {step} (learning_rate={alpha:g}): "
            f"gradient descent is diverging. Try a smaller learning rate, e.g. {alpha / 10:g}."
        )
    return cost


def _notify(callbacks, event):
    for callback in callbacks:
        callback(event)
