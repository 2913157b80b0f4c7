"""PyTorch autograd as an independent oracle for mathnn's forward pass, cost and backpropagation."""

import numpy as np
import pytest
import torch

from mathnn import Network, data

TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=0),  # examples are columns: normalise each column
}


def torch_cost(name, Y_hat, Y):
    m = Y.shape[1]
    if name == "mse":
        return ((Y_hat - Y) ** 2).sum() / m
    if name == "binary_cross_entropy":
        return torch.nn.functional.binary_cross_entropy(Y_hat, Y, reduction="sum") / m
    return -(Y * torch.log(Y_hat)).sum() / m


CASES = [
    ([2, 25, 50, 50, 25, 1], "relu", "sigmoid", "binary_cross_entropy"),
    ([3, 6, 4], "tanh", "softmax", "categorical_cross_entropy"),
    ([4, 5, 2], "leaky_relu", "linear", "mse"),
    ([2, 8, 8, 1], "sigmoid", "sigmoid", "mse"),
]


@pytest.mark.parametrize(("sizes", "hidden", "output", "loss"), CASES, ids=lambda c: str(c))
def test_cost_and_every_gradient_match_pytorch_autograd(sizes, hidden, output, loss):
    rng = np.random.default_rng(0)
    m = 16
    X = rng.normal(size=(sizes[0], m))
    if loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, size=(sizes[-1], m)).astype(float)
    elif loss == "categorical_cross_entropy":
        Y = data.one_hot(rng.integers(0, sizes[-1], size=(1, m)).astype(float), sizes[-1])
    else:
        Y = rng.normal(size=(sizes[-1], m))
    net = Network.from_sizes(sizes, hidden=hidden, output=output, loss=loss, seed=3)
    for layer in net.layers:
        layer.b = rng.normal(scale=0.1, size=layer.b.shape)

    cost = net.cost(X, Y)
    net.backward(Y)

    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in net.parameters]
    A = torch.tensor(X, dtype=torch.float64)
    for l, layer in enumerate(net.layers):
        W, b = params[2 * l], params[2 * l + 1]
        A = TORCH_ACTIVATIONS[layer.activation.name](W @ A + b)
    reference = torch_cost(loss, A, torch.tensor(Y, dtype=torch.float64))
    reference.backward()

    assert cost == pytest.approx(reference.item(), rel=1e-10)
    for ours, theirs in zip(net.gradients, params):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-8, atol=1e-12)


def test_one_sgd_step_matches_pytorch():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 32))
    Y = rng.integers(0, 2, size=(1, 32)).astype(float)
    net = Network.from_sizes([2, 25, 50, 50, 25, 1], seed=0)
    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in net.parameters]
    optimizer = torch.optim.SGD(params, lr=0.1)

    net.fit(X, Y, epochs=1, learning_rate=0.1, batch_size=32, seed=0)

    A = torch.tensor(X, dtype=torch.float64)
    for l, layer in enumerate(net.layers):
        A = TORCH_ACTIVATIONS[layer.activation.name](params[2 * l] @ A + params[2 * l + 1])
    torch_cost("binary_cross_entropy", A, torch.tensor(Y)).backward()
    optimizer.step()
    for ours, theirs in zip(net.parameters, params):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-10, atol=1e-13)
