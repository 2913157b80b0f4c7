r"""Stochastic gradient descent on mini-batches.

One *epoch* is a pass over all m examples in a fresh random order, cut into mini-batches of
``batch_size`` columns; one *step* updates every parameter from one mini-batch:

.. math::
    W \leftarrow W - \alpha\, dW, \qquad b \leftarrow b - \alpha\, db

Examples
--------
>>> [idx.tolist() for idx in batches(5, 2, seed=0)]
[[2, 4], [3, 0], [1]]
"""

from mathnn.validate import check_count, check_positive_number, check_seed


def batches(m, batch_size, seed=None):
    """Yield the column indices of each mini-batch of one epoch, in a shuffled order.

    Parameters
    ----------
    m : int
        Number of examples.
    batch_size : int
        Columns per batch; the last batch holds what is left (m % batch_size) if that is not 0.
    seed : int >= 0 or numpy.random.Generator
        Pass the same Generator every epoch to get a new order each epoch, reproducibly.

    Yields
    ------
    ndarray of int, shape (batch_size,) or smaller for the last batch
    """
    m = check_count(m, "m")
    batch_size = check_count(batch_size, "batch_size")
    order = check_seed(seed).permutation(m)
    for start in range(0, m, batch_size):
        yield order[start : start + batch_size]


class SGD:
    """Plain gradient descent with a fixed learning rate α.

    Parameters
    ----------
    learning_rate : float > 0
    """

    def __init__(self, learning_rate):
        self.learning_rate = check_positive_number(
            learning_rate, "learning_rate", "Typical values lie between 0.001 and 1."
        )

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate:g})"

    def step(self, layers):
        """Move every layer's W and b one step against its gradient (in place)."""
        alpha = self.learning_rate
        for layer in layers:
            for parameter, gradient in zip(layer.parameters, layer.gradients):
                parameter -= alpha * gradient  # in place: the layer sees the new values
