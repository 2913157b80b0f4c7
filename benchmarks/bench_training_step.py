"""One SGD training step of the capstone network 2-25-50-50-25-1 (ReLU, sigmoid output, binary
cross-entropy, float64): mathnn against PyTorch CPU eager and against the same math written as bare,
straight-line numpy (the practical floor for numpy code)."""

import numpy as np

from benchmarks.timing import interleaved, summary
from mathnn import Network, data
from mathnn.optim import SGD

SIZES = [2, 25, 50, 50, 25, 1]
LEARNING_RATE = 0.1


def batch(m, seed=0):
    X, Y = data.circles(m=m, seed=seed)
    return X, Y


def mathnn_step(X, Y):
    net = Network.from_sizes(SIZES, seed=0)
    optimizer = SGD(LEARNING_RATE)
    return lambda: net.train_step(X, Y, optimizer)


def bare_numpy_step(X, Y):
    """The same step with no classes: forward, dZ = (A - Y)/m at the output, backward, update."""
    net = Network.from_sizes(SIZES, seed=0)
    params = [p.copy() for p in net.parameters]
    W1, b1, W2, b2, W3, b3, W4, b4, W5, b5 = params
    m = X.shape[1]

    def step():
        Z1 = W1 @ X + b1
        A1 = np.maximum(Z1, 0)
        Z2 = W2 @ A1 + b2
        A2 = np.maximum(Z2, 0)
        Z3 = W3 @ A2 + b3
        A3 = np.maximum(Z3, 0)
        Z4 = W4 @ A3 + b4
        A4 = np.maximum(Z4, 0)
        Z5 = W5 @ A4 + b5
        E = np.exp(-np.abs(Z5))
        A5 = np.where(Z5 >= 0, 1 / (1 + E), E / (1 + E))
        cost = np.sum(np.maximum(Z5, 0) - Z5 * Y + np.log1p(E)) / m
        dZ5 = (A5 - Y) / m
        dW5, db5 = dZ5 @ A4.T, dZ5.sum(axis=1, keepdims=True)
        dZ4 = (W5.T @ dZ5) * (Z4 > 0)
        dW4, db4 = dZ4 @ A3.T, dZ4.sum(axis=1, keepdims=True)
        dZ3 = (W4.T @ dZ4) * (Z3 > 0)
        dW3, db3 = dZ3 @ A2.T, dZ3.sum(axis=1, keepdims=True)
        dZ2 = (W3.T @ dZ3) * (Z2 > 0)
        dW2, db2 = dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True)
        dZ1 = (W2.T @ dZ2) * (Z1 > 0)
        dW1, db1 = dZ1 @ X.T, dZ1.sum(axis=1, keepdims=True)
        for p, g in zip(params, (dW1, db1, dW2, db2, dW3, db3, dW4, db4, dW5, db5)):
            p -= LEARNING_RATE * g
        return cost

    return step


def torch_step(X, Y):
    import torch

    layers = []
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        layers += [torch.nn.Linear(n_in, n_out, dtype=torch.float64), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])  # the sigmoid is inside the loss, from logits
    loss_fn = torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    Xt = torch.tensor(X.T.copy())  # PyTorch puts examples in rows
    Yt = torch.tensor(Y.T.copy())

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(Xt), Yt)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def run(batch_sizes=(32, 1000), repeats=30, number=50):
    """Return rows (batch size, contender, median seconds per step, spread)."""
    rows = []
    for m in batch_sizes:
        X, Y = batch(m)
        contenders = {"mathnn": mathnn_step(X, Y), "bare numpy": bare_numpy_step(X, Y), "PyTorch": torch_step(X, Y)}
        times = interleaved(contenders, repeats=repeats, number=number)
        for name, samples in times.items():
            median, spread = summary(samples)
            rows.append((m, name, median, spread))
    return rows


if __name__ == "__main__":
    for m, name, median, spread in run():
        print(f"batch {m:>5}  {name:<11} {median * 1e6:9.1f} µs  ±{spread:.0%}")
