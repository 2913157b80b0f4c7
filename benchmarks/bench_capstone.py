"""Chapter 7's whole training run: the capstone network 2-25-50-50-25-1 trained on circles to >= 99% test accuracy.

Three contenders, the same run: the same initial weights (mathnn's, seed 0), the same mini-batches (one
shuffle per epoch from seed 1), float64, the same epochs, learning rate and batch size:

- mathnn: ``Network.fit``;
- bare numpy: the chapter's own hand-written loop, its cells tagged ``capstone-by-hand``, run as they stand;
- PyTorch CPU eager: ``nn.Sequential`` of ``Linear`` and ``ReLU``, ``BCEWithLogitsLoss``, ``optim.SGD``, on the
  same batches (examples in rows, as PyTorch wants them).

All three do the same work per epoch: the steps, then the cost and the accuracy on the whole training set,
the history that ``fit`` returns.

Each run must reach the target accuracy on the held-out test set, or the timing would not count.
"""

import json
from pathlib import Path

import numpy as np

from benchmarks.timing import interleaved, summary
from mathnn import Network, data

SIZES = [2, 25, 50, 50, 25, 1]
EPOCHS, LEARNING_RATE, BATCH_SIZE = 10, 0.1, 32
TARGET = 0.99
ROOT = Path(__file__).resolve().parents[1]


def chapter_loop():
    """The chapter's hand-written functions (init_parameters, forward, cost, backward, update, train_by_hand)."""
    chapter = next(p for p in (ROOT / "book" / "07_capstone.ipynb", ROOT / "book" / "drafts" / "07_capstone.ipynb")
                   if p.exists())
    cells = json.loads(chapter.read_text(encoding="utf-8"))["cells"]
    source = "\n\n".join("".join(c["source"]) for c in cells
                         if c["cell_type"] == "code" and "capstone-by-hand" in c.get("metadata", {}).get("tags", []))
    namespace = {"np": np}
    exec(compile(source, str(chapter), "exec"), namespace)  # noqa: S102 - the book's own cells
    return namespace


def problem(m=1000):
    X, Y = data.circles(m=m, seed=0)
    return data.train_test_split(X, Y, test_fraction=0.2, seed=0)


def mathnn_run(X, Y, epochs):
    def run():
        network = Network.from_sizes(SIZES, seed=0)
        network.fit(X, Y, epochs=epochs, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, seed=1)
        return lambda X_test: network.forward(X_test)

    return run


def bare_numpy_run(X, Y, epochs, loop):
    def run():
        parameters = loop["init_parameters"](SIZES, np.random.default_rng(0))
        steps_per_epoch, history = -(-X.shape[1] // BATCH_SIZE), []
        steps = loop["train_by_hand"](X, Y, parameters, epochs, LEARNING_RATE, BATCH_SIZE, np.random.default_rng(1))
        for step, _ in enumerate(steps, start=1):
            if step % steps_per_epoch == 0:  # the end of an epoch: cost and accuracy on the training set
                Y_hat, cache = loop["forward"](X, parameters)
                history.append((loop["cost"](cache[-1][1], Y), float(np.mean((Y_hat >= 0.5) == Y))))
        return lambda X_test: loop["forward"](X_test, parameters)[0]

    return run


def torch_run(X, Y, epochs):
    import torch

    start = Network.from_sizes(SIZES, seed=0)  # the same initial weights
    Xt, Yt = torch.tensor(X.T.copy()), torch.tensor(Y.T.copy())

    def run():
        layers = []
        for layer in start.layers:
            linear = torch.nn.Linear(layer.n_prev, layer.n, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.tensor(layer.W))
                linear.bias.copy_(torch.tensor(layer.b[:, 0]))
            layers += [linear, torch.nn.ReLU()]
        model = torch.nn.Sequential(*layers[:-1])  # the sigmoid is inside the loss
        loss_fn = torch.nn.BCEWithLogitsLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
        rng = np.random.default_rng(1)  # the same shuffles: one permutation per epoch from one generator
        history = []
        for _ in range(epochs):
            order = torch.from_numpy(rng.permutation(X.shape[1]))
            for batch in order.split(BATCH_SIZE):
                optimizer.zero_grad()
                loss_fn(model(Xt[batch]), Yt[batch]).backward()
                optimizer.step()
            with torch.no_grad():  # the end of an epoch: cost and accuracy on the training set
                logits = model(Xt)
                history.append((loss_fn(logits, Yt).item(), ((logits >= 0) == (Yt == 1)).double().mean().item()))
        return lambda X_test: torch.sigmoid(model(torch.tensor(X_test.T.copy()))).detach().numpy().T

    return run


def accuracy(predict, X_test, Y_test):
    return float(np.mean((predict(X_test) >= 0.5) == Y_test))


def run(repeats=5, epochs=EPOCHS, m=1000):
    """Return {contender: (median seconds per run, spread, test accuracy)}; every run must reach TARGET (full size)."""
    X_train, X_test, Y_train, Y_test = problem(m)
    contenders = {
        "mathnn": mathnn_run(X_train, Y_train, epochs),
        "bare numpy": bare_numpy_run(X_train, Y_train, epochs, chapter_loop()),
        "PyTorch": torch_run(X_train, Y_train, epochs),
    }
    accuracies = {name: accuracy(fn(), X_test, Y_test) for name, fn in contenders.items()}
    times = interleaved(contenders, repeats=repeats, warmup=0)
    return {name: (*summary(times[name]), accuracies[name]) for name in contenders}


if __name__ == "__main__":
    for name, (median, spread, acc) in run().items():
        print(f"{name:<11} {median * 1e3:8.1f} ms ±{spread:.0%}  test accuracy {acc:.1%}")
