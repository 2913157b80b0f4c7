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
from mathnn.validate import as_matrix, check_count, check_same_m, check_seed

CLASSIFYING_OUTPUTS = ("sigmoid", "softmax", "step")


class TrainingDiverged(FloatingPointError):
    """Training went off the rails: the cost became NaN or infinite, exploded, or every output unit died.

    :meth:`Network.fit` raises it with a message that names the epoch, the step and the learning rate
    and suggests a smaller one; the rule it watches is described there.
    """


class StopTraining(Exception):
    """Raise from a callback to end :meth:`Network.fit` early; fit returns the history so far."""


class History:
    """What :meth:`Network.fit` measured.

    ``loss`` holds the cost C (the mean over the examples of the per-example loss ℓ) on the whole
    training set after each epoch, and ``accuracy`` the accuracy there; ``val_loss`` and
    ``val_accuracy`` the same on the validation set, if one was given; ``step_loss`` the cost of every
    mini-batch before its update; ``initial_loss`` the cost on the training set before the first step.
    Accuracies are None for regression. Pass a History back to ``fit(history=...)`` to continue the run.
    """

    def __init__(self, loss=(), accuracy=(), val_loss=(), val_accuracy=(), step_loss=(), initial_loss=None):
        self.loss, self.accuracy = list(loss), list(accuracy)
        self.val_loss, self.val_accuracy = list(val_loss), list(val_accuracy)
        self.step_loss = list(step_loss)
        self.initial_loss = initial_loss

    def __repr__(self):
        return f"History({len(self.loss)} epochs, {len(self.step_loss)} steps)"


class TrainingEvent(namedtuple("TrainingEvent", "kind network epoch step loss history")):
    """What a callback receives after every step (``kind == "step"``) and every epoch (``kind == "epoch"``).

    Fields: ``kind``, ``network``, ``epoch``, ``step`` (both counted over the whole run, also when
    ``fit`` continues a run: see its ``first_epoch`` and ``history``), ``loss`` (the step's batch
    cost, or the epoch's cost on the whole training set) and the ``history`` so far.
    """

    __slots__ = ()


class Network:
    """Layers applied in order, and the cost that judges their output.

    Parameters
    ----------
    layers : list of Dense
        Each layer's n_prev must equal the previous layer's n, its number of units.
    loss : str
        The per-example loss ℓ, whose mean over the examples is the cost C: "mse",
        "binary_cross_entropy" or "categorical_cross_entropy".
    """

    def __init__(self, layers, loss):
        layers = list(layers)
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            raise TypeError(f"layers must be a non-empty list of Dense layers, but got {layers!r}.")
        for l, (before, after) in enumerate(zip(layers, layers[1:]), start=1):
            if before.n != after.n_prev:
                raise ValueError(
                    f"layer {l} has {before.n} units, so layer {l + 1} needs n_prev={before.n}, "
                    f"but it was built with n_prev={after.n_prev}: {after!r}."
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
        rng = check_seed(seed)
        n_layers = len(sizes) - 1
        layers = [
            Dense(n_prev, n, hidden if l < n_layers else output, init=init, seed=rng)
            for l, (n_prev, n) in enumerate(zip(sizes, sizes[1:]), start=1)
        ]
        return cls(layers, loss)

    def __repr__(self):
        inner = ",\n    ".join(repr(layer) for layer in self.layers)
        return f"Network([\n    {inner},\n], loss={self.loss.name!r})"

    @property
    def sizes(self):
        """[n0, n1, ..., nL], the number of units in every layer, input first."""
        return [self.layers[0].n_prev] + [layer.n for layer in self.layers]

    @property
    def parameters(self):
        """[W1, b1, W2, b2, ...], the arrays themselves."""
        return [p for layer in self.layers for p in layer.parameters]

    @property
    def gradients(self):
        """[dW1, db1, dW2, db2, ...] from the last backward pass."""
        return [g for layer in self.layers for g in layer.gradients]

    # --- checks at the boundary -------------------------------------------------------------

    def check_X(self, X, name="X"):
        """X as a float64 matrix of shape (n_features, m), or a ValueError that explains what is wrong."""
        return as_matrix(X, name, rows=self.layers[0].n_prev, rows_meaning="features")

    def check_XY(self, X, Y, names=("X", "Y")):
        """X and Y checked against the network and against each other; errors call them ``names``."""
        x_name, y_name = names
        X = self.check_X(X, x_name)
        Y = as_matrix(Y, y_name, rows=self.layers[-1].n, rows_meaning="outputs (one per output unit)")
        check_same_m(X, Y, x_name, y_name)
        self.loss.check_targets(Y, y_name)
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
        first_epoch=None,
        history=None,
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
        seed : int >= 0 or numpy.random.Generator, optional
            The order of the examples in each epoch; the same seed gives the same training run.
        callbacks : list of callables
            Each is called with a :class:`TrainingEvent` after every step and every epoch; one may
            raise :class:`StopTraining` to end training early.
        validation : tuple (X_val, Y_val), optional
            Also measure cost and accuracy on these after every epoch.
        first_epoch : int, optional
            The number of the first epoch, for a caller that trains a few epochs at a time (a
            widget's Step button): events and error messages count epochs on from it, and steps
            on from the ``(first_epoch - 1) * ceil(m / batch_size)`` steps those earlier epochs took.
            By default 1, or one more than the epochs in ``history``.
        history : History, optional
            A run to continue: the new epochs and steps are appended to it (and it is returned), the
            epochs and steps are counted on from those it holds, and the divergence check below
            looks at the whole run, not only at this call's part of it.

        Raises
        ------
        TrainingDiverged
            When training goes off the rails; the message names the epoch, the step and the
            learning rate. Three things are watched, each a sign that the learning rate is too large:

            - the cost of a mini-batch or of an epoch is NaN or infinite;
            - the cost explodes while staying finite: for ``DIVERGENCE_EPOCHS`` (3) epochs in a row
              the epoch's cost exceeds both the cost before training (``history.initial_loss``) and
              ``DIVERGENCE_FACTOR`` (100) times the lowest cost of the run so far. These are costs on
              the whole training set, not the noisy mini-batch costs. A healthy run does not climb
              back above where it started and stay there; a single epoch may spike (the capstone
              network with learning rate 0.3 jumps from 0.004 to 12.7 for one epoch and recovers), so
              one epoch is not enough;
            - every output unit has died: the output activation's derivative g'(Z) is 0 (below
              ``DEAD_DERIVATIVE``, 1e-10) for every training example, when it was not before
              training, and the cost is no lower than before training (e.g. a ReLU output with
              Z < 0 everywhere, or a sigmoid pushed to 0 or 1 under mean squared error). No
              gradient reaches any parameter any more, so training could only go on doing nothing.
              A paired output (sigmoid with binary cross-entropy, softmax with categorical
              cross-entropy) cannot die: its dZ is (A - Y)/m.
        """
        X, Y = self.check_XY(X, Y)
        if validation is not None:
            X_val, Y_val = self.check_XY(*_validation_pair(validation), names=("X_val", "Y_val"))
        epochs = check_count(epochs, "epochs")
        batch_size = check_count(batch_size, "batch_size")
        optimizer = SGD(learning_rate)
        rng = check_seed(seed)
        if history is None:
            history = History()
        elif not isinstance(history, History):
            raise TypeError(
                f"history must be the History of the run to continue (what fit returned), "
                f"but got {type(history).__name__} {history!r}."
            )
        # The steps taken before this call: those in the history, or else those the earlier epochs took.
        step = len(history.step_loss)
        if first_epoch is None:
            first_epoch = len(history.loss) + 1
        else:
            first_epoch = check_count(first_epoch, "first_epoch")
            if not history.step_loss:
                batches_per_epoch = (X.shape[1] + batch_size - 1) // batch_size
                step = (first_epoch - 1) * batches_per_epoch
        watch = _DivergenceWatch(self, X, Y, history, optimizer)
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for epoch in range(first_epoch, first_epoch + epochs):
                    for columns in batches(X.shape[1], batch_size, rng):
                        step += 1
                        cost = self.train_step(X[:, columns], Y[:, columns], optimizer)
                        _check_finite(cost, epoch, step, optimizer)
                        history.step_loss.append(cost)
                        _notify(callbacks, TrainingEvent("step", self, epoch, step, cost, history))
                    cost = self._cost(self._forward(X), Y)
                    watch.epoch_cost(cost, epoch, step)
                    history.loss.append(cost)
                    history.accuracy.append(self._accuracy(X, Y))
                    if validation is not None:
                        history.val_loss.append(self._cost(self._forward(X_val), Y_val))
                        history.val_accuracy.append(self._accuracy(X_val, Y_val))
                    _notify(callbacks, TrainingEvent("epoch", self, epoch, step, history.loss[-1], history))
        except StopTraining:
            pass
        return history


DIVERGENCE_FACTOR = 100
DIVERGENCE_EPOCHS = 3
"""The cost explodes when it is above DIVERGENCE_FACTOR times the run's lowest (and above the cost
before training) for DIVERGENCE_EPOCHS epochs in a row: one epoch alone can be a spike a run recovers from."""

DEAD_DERIVATIVE = 1e-10
"""An output unit whose activation's derivative is below this on an example passes no gradient back."""


class _DivergenceWatch:
    """The checks of :meth:`Network.fit` that stop a run which explodes or dies before it reaches NaN."""

    def __init__(self, network, X, Y, history, optimizer):
        self.optimizer = optimizer
        self.output = output = network.layers[-1]
        # Only an elementwise output without a paired loss can die: a paired output's dZ is (A - Y)/m.
        self.derivative = None
        if not network.paired_output and output.activation.elementwise:
            self.derivative = output.activation.derivative
        self.alive = False
        if history.initial_loss is None or self.derivative is not None:  # one forward pass, if needed
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                cost_now = network._cost(network._forward(X), Y)
                self.alive = self._output_alive()
        if history.initial_loss is None:
            history.initial_loss = _check_finite(cost_now, 0, len(history.step_loss), optimizer, when="before training")
        self.initial = history.initial_loss
        self.lowest, self.epochs_above = self.initial, 0
        for cost in history.loss:  # a continued run: count on from where it stands
            self._record(cost)

    def _output_alive(self):
        if self.derivative is None:
            return True
        return bool(np.max(np.abs(self.derivative(self.output.cache[1]))) >= DEAD_DERIVATIVE)

    def _record(self, cost):
        exploding = cost > self.initial and cost > DIVERGENCE_FACTOR * self.lowest
        self.epochs_above = self.epochs_above + 1 if exploding else 0
        self.lowest = min(self.lowest, cost)

    def epoch_cost(self, cost, epoch, step):
        """Raise :class:`TrainingDiverged` if the cost after ``epoch`` is NaN, explodes, or the output died."""
        _check_finite(cost, epoch, step, self.optimizer)
        self._record(cost)
        alpha = self.optimizer.learning_rate
        if self.epochs_above >= DIVERGENCE_EPOCHS:
            raise TrainingDiverged(
                f"the cost exploded to {cost:.3g} at epoch {epoch}, step {step} (learning_rate={alpha:g}): "
                f"for {DIVERGENCE_EPOCHS} epochs in a row it has been more than {DIVERGENCE_FACTOR} times its lowest, "
                f"{self.lowest:.3g}, and above the {self.initial:.3g} before training, so gradient descent is "
                f"diverging. {_smaller_learning_rate(self.optimizer)}"
            )
        if self.alive and cost >= self.initial and not self._output_alive():
            raise TrainingDiverged(
                f"every output unit died at epoch {epoch}, step {step} (learning_rate={alpha:g}): the output "
                f"activation {self.output.activation.name!r} now has a derivative of (nearly) 0, below "
                f"{DEAD_DERIVATIVE:g}, on every training example, so no gradient reaches any parameter and training "
                f"cannot move again; the cost is stuck at {cost:.3g}, no better than the {self.initial:.3g} before "
                f"training. That follows a step too large. {_smaller_learning_rate(self.optimizer)}"
            )


def _smaller_learning_rate(optimizer):
    return f"Try a smaller learning rate, e.g. {optimizer.learning_rate / 10:g}, and start again from fresh weights."


def _check_finite(cost, epoch, step, optimizer, when=None):
    if not np.isfinite(cost):
        alpha = optimizer.learning_rate
        if when:
            raise TrainingDiverged(
                f"the cost is {cost} {when} (learning_rate={alpha:g}): the weights already hold NaN or "
                f"infinite values, probably from an earlier run that diverged. Build the network again."
            )
        raise TrainingDiverged(
            f"the cost became {cost} at epoch {epoch}, step {step} (learning_rate={alpha:g}): "
            f"gradient descent is diverging. Try a smaller learning rate, e.g. {alpha / 10:g}."
        )
    return cost


def _validation_pair(validation):
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        what = f"a {type(validation).__name__} of {len(validation)} items" if isinstance(
            validation, (tuple, list)
        ) else f"{type(validation).__name__}"
        raise TypeError(
            f"validation must be the validation data as a pair (X_val, Y_val), but got {what}. "
            f"Pass validation=(X_val, Y_val), e.g. the X_test and Y_test of data.train_test_split."
        )
    return validation


def _notify(callbacks, event):
    for callback in callbacks:
        callback(event)
