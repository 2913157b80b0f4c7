"""Chapter 7's checkers: the right answer passes, and each wrong answer gets ✗ and its own diagnosis."""

import numpy as np
import pytest

from mathnn import exercises as ex


def training_step(X, Y, parameters, learning_rate, relu_prime=True, divide_by_m=True, sign=-1.0, update_b=True,
                  sigmoid_again=False):
    """The chapter's step (in place, returned), with switches for the bugs a reader may make."""
    A, cache = X, []
    for l, (W, b) in enumerate(parameters, start=1):
        Z = W @ A + b
        cache.append((A, Z))
        A = 1 / (1 + np.exp(-Z)) if l == len(parameters) else np.maximum(Z, 0)
    dZ = (A - Y) / (Y.shape[1] if divide_by_m else 1)
    if sigmoid_again:
        dZ = dZ * A * (1 - A)
    gradients, dA = [None] * len(parameters), None
    for l in reversed(range(len(parameters))):
        A_prev, Z = cache[l]
        if l < len(parameters) - 1:
            dZ = dA * (Z > 0) if relu_prime else dA
        gradients[l] = (dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True))
        dA = parameters[l][0].T @ dZ
    for (W, b), (dW, db) in zip(parameters, gradients):
        W += sign * learning_rate * dW
        if update_b:
            b += sign * learning_rate * db
    return parameters


def flat_training_step(X, Y, parameters, learning_rate):
    """The same step, new arrays returned flat: W1, b1, W2, b2, W3, b3."""
    copies = [[W.copy(), b.copy()] for W, b in parameters]
    return tuple(array for pair in training_step(X, Y, copies, learning_rate) for array in pair)


def accuracy(Y_hat, Y):
    return float(np.mean((Y_hat >= 0.5) == (Y == 1)))


def standardize(X_train, X_test):
    mean, std = X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)
    return (X_train - mean) / std, (X_test - mean) / std


def spirals_settings():
    return {"hidden": (32, 32), "activation": "relu", "learning_rate": 0.1, "epochs": 300, "batch_size": 16}


def budget_settings():
    return {"learning_rate": 0.3, "batch_size": 16, "epochs": 3}


RIGHT = {
    "check_training_step": (ex.check_training_step, training_step),
    "check_accuracy": (ex.check_accuracy, accuracy),
    "check_standardize": (ex.check_standardize, standardize),
    "check_spirals_network": (ex.check_spirals_network, spirals_settings),
    "check_epoch_budget": (ex.check_epoch_budget, budget_settings),
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_the_right_answer_passes(name):
    checker, right = RIGHT[name]
    feedback = checker(right)
    assert feedback.ok, feedback
    assert feedback.attempted


def test_a_flat_new_answer_passes_too():
    assert ex.check_training_step(flat_training_step).ok


def _step_with(**bug):
    return lambda X, Y, parameters, learning_rate: training_step(X, Y, parameters, learning_rate, **bug)


def _standardize_with(axis=1, own=False, divide=True):
    def wrong(X_train, X_test):
        mean, std = X_train.mean(axis=axis, keepdims=True), X_train.std(axis=axis, keepdims=True)
        if own:
            test_mean, test_std = X_test.mean(axis=1, keepdims=True), X_test.std(axis=1, keepdims=True)
            return (X_train - mean) / std, (X_test - test_mean) / test_std
        if not divide:
            return X_train - mean, X_test - mean
        if axis == 0:
            return (X_train - mean) / std, (X_test - X_test.mean(axis=0, keepdims=True)) / X_test.std(axis=0,
                                                                                                      keepdims=True)
        return (X_train - mean) / std, (X_test - mean) / std

    return wrong


WRONG = [
    ("check_training_step", "no ReLU derivative", _step_with(relu_prime=False), "ReLU's derivative"),
    ("check_training_step", "no 1/m", _step_with(divide_by_m=False), "(A - Y)/m"),
    ("check_training_step", "uphill", _step_with(sign=1.0), "uphill"),
    ("check_training_step", "biases left alone", _step_with(update_b=False), "biases must be updated"),
    ("check_training_step", "sigmoid counted twice", _step_with(sigmoid_again=True), "twice"),
    ("check_training_step", "nothing changes", lambda X, Y, parameters, learning_rate: parameters, "did not change"),
    ("check_training_step", "returns None after updating", lambda X, Y, p, lr: training_step(X, Y, p, lr) and None,
     "returned None"),
    ("check_training_step", "one layer missing", lambda X, Y, p, lr: training_step(X, Y, p, lr)[:2], "6 values"),
    ("check_training_step", "changes X too", lambda X, Y, p, lr: (X.__imul__(2), training_step(X, Y, p, lr))[1],
     "changed X"),
    ("check_training_step", "transposed weights", lambda X, Y, p, lr: [[W.T, b] for W, b in training_step(X, Y, p, lr)],
     "shape"),
    ("check_accuracy", "> instead of >=", lambda Y_hat, Y: float(np.mean((Y_hat > 0.5) == Y)), ">= 0.5"),
    ("check_accuracy", "a count", lambda Y_hat, Y: float(np.sum((Y_hat >= 0.5) == Y)), "divide by m"),
    ("check_accuracy", "a percentage", lambda Y_hat, Y: 100 * accuracy(Y_hat, Y), "percentage"),
    ("check_accuracy", "the error rate", lambda Y_hat, Y: 1 - accuracy(Y_hat, Y), "error rate"),
    ("check_accuracy", "probabilities compared", lambda Y_hat, Y: float(np.mean(Y_hat == Y)), "predictions"),
    ("check_standardize", "test scaled by its own statistics", _standardize_with(own=True), "training set's mean"),
    ("check_standardize", "one mean for everything", _standardize_with(axis=None), "each feature"),
    ("check_standardize", "per example", _standardize_with(axis=0), "axis=1"),
    ("check_standardize", "no division", _standardize_with(divide=False), "divide by the standard deviation"),
    ("check_standardize", "returns the inputs", lambda X_train, X_test: (X_train, X_test), "wrong values"),
    ("check_spirals_network", "too small", lambda: {**spirals_settings(), "hidden": (4,)}, "short of 90%"),
    ("check_spirals_network", "too big", lambda: {**spirals_settings(), "hidden": (64, 64, 64)}, "parameters"),
    ("check_spirals_network", "too many epochs", lambda: {**spirals_settings(), "epochs": 10**6}, "between 1 and 300"),
    ("check_spirals_network", "units over the limit", lambda: {**spirals_settings(), "hidden": (10**6,)}, "between 1"),
    ("check_spirals_network", "sizes as text", lambda: {**spirals_settings(), "hidden": "16, 16"}, "tuple"),
    ("check_spirals_network", "no hidden layer", lambda: {**spirals_settings(), "hidden": ()}, "tuple"),
    ("check_spirals_network", "an unknown activation", lambda: {**spirals_settings(), "activation": "swish"},
     "'relu' or 'tanh'"),
    ("check_spirals_network", "NaN learning rate", lambda: {**spirals_settings(), "learning_rate": float("nan")},
     "finite number > 0"),
    ("check_spirals_network", "a learning rate that diverges", lambda: {**spirals_settings(), "learning_rate": 1e6},
     "diverged"),
    ("check_spirals_network", "a key missing", lambda: {"hidden": (16,)}, "lack"),
    ("check_spirals_network", "a key too many", lambda: {**spirals_settings(), "momentum": 0.9}, "momentum"),
    ("check_spirals_network", "a float batch size", lambda: {**spirals_settings(), "batch_size": 16.5}, "whole number"),
    ("check_spirals_network", "a list, not a dict", lambda: [16, 16], "dict of settings"),
    ("check_epoch_budget", "too few epochs to learn", lambda: {**budget_settings(), "epochs": 1, "learning_rate": 0.01},
     "short of 99%"),
    ("check_epoch_budget", "over the budget", lambda: {**budget_settings(), "epochs": 30}, "between 1 and 3"),
    ("check_epoch_budget", "batch size 0", lambda: {**budget_settings(), "batch_size": 0}, "between 1"),
    ("check_epoch_budget", "a negative learning rate", lambda: {**budget_settings(), "learning_rate": -0.1}, "> 0"),
    ("check_epoch_budget", "bool epochs", lambda: {**budget_settings(), "epochs": True}, "whole number"),
    ("check_epoch_budget", "returns None", lambda: None, "dict of settings"),
]


@pytest.mark.parametrize(("name", "label", "wrong", "says"), WRONG, ids=[f"{n}-{label}" for n, label, _, _ in WRONG])
def test_a_wrong_answer_is_told_what_is_wrong(name, label, wrong, says):
    checker, _ = RIGHT[name]
    feedback = checker(wrong)
    assert not feedback.ok, f"{name} passed a wrong answer ({label})"
    assert feedback.attempted
    assert says in feedback.message, feedback.message
    assert "Traceback" not in feedback.message


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_an_untouched_stub_is_not_attempted_yet(name):
    checker, _ = RIGHT[name]

    def stub(*args):
        """Your code here."""
        ...

    feedback = checker(stub)
    assert not feedback.ok and not feedback.attempted


def test_a_result_passed_instead_of_a_function_is_refused():
    with pytest.raises(TypeError, match="checks a function"):
        ex.check_spirals_network(spirals_settings())
