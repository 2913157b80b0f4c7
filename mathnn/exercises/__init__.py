r"""Checkers for your own code: each runs your function on test inputs and explains what is wrong.

Every ``check_*`` function takes *your function* (not its result), calls it on a few seeded inputs
with non-square shapes, compares the answer with mathnn's own code, and returns a :class:`Feedback`
that shows ✓ or ✗ and a message. A wrong answer never raises: when your function returns the wrong
shape, the transpose, the right values times m, the wrong sign, or raises an error itself, the
message says so and suggests the fix.

One module per chapter (``ch1_perceptron``, ``ch2_vectorization``, ..., ``ch7_capstone``), each a list of checkers
over the one harness, ``_harness`` (which also says "not attempted yet" for an untouched stub).
Shapes follow the book: examples are columns, ``W`` is (n, n_prev), ``b`` is (n, 1), and every
gradient ``dX`` has the shape of ``X``; the cost is averaged over the m examples.

Examples
--------
>>> import numpy as np
>>> check_dense_forward(lambda A_prev, W, b: W @ A_prev + b)
✓ check_dense_forward: correct on 2 test inputs.
>>> check_dense_forward(lambda A_prev, W, b: W @ A_prev).ok
False
"""

from mathnn.exercises._harness import Feedback
from mathnn.exercises.ch1_perceptron import (
    check_neuron_gradient,
    check_perceptron_predict,
    check_perceptron_update,
)
from mathnn.exercises.ch2_vectorization import (
    check_dense_forward,
    check_forward_pass,
    check_layer_shapes,
)
from mathnn.exercises.ch3_activations import (
    check_activation,
    check_activation_derivative,
    check_relu,
    check_relu_derivative,
    check_sigmoid,
    check_sigmoid_derivative,
    check_softmax,
    check_tanh,
    check_tanh_derivative,
)
from mathnn.exercises.ch4_losses import (
    check_bce,
    check_bce_from_logits,
    check_bce_gradient,
    check_cce_gradient,
    check_loss,
    check_loss_gradient,
    check_mse,
    check_mse_gradient,
)
from mathnn.exercises.ch5_backprop import (
    check_dA_prev,
    check_db,
    check_dense_backward,
    check_dW,
    check_output_dZ,
)
from mathnn.exercises.ch6_descent import (
    check_batches,
    check_learning_rates,
    check_sgd_step,
)
from mathnn.exercises.ch7_capstone import (
    check_accuracy,
    check_epoch_budget,
    check_spirals_network,
    check_standardize,
    check_training_step,
)

__all__ = [
    "Feedback",
    "check_neuron_gradient",
    "check_perceptron_predict",
    "check_perceptron_update",
    "check_dense_forward",
    "check_layer_shapes",
    "check_forward_pass",
    "check_activation",
    "check_activation_derivative",
    "check_sigmoid",
    "check_tanh",
    "check_relu",
    "check_softmax",
    "check_sigmoid_derivative",
    "check_tanh_derivative",
    "check_relu_derivative",
    "check_loss",
    "check_loss_gradient",
    "check_mse",
    "check_bce",
    "check_bce_from_logits",
    "check_mse_gradient",
    "check_bce_gradient",
    "check_cce_gradient",
    "check_dense_backward",
    "check_dW",
    "check_db",
    "check_dA_prev",
    "check_output_dZ",
    "check_sgd_step",
    "check_batches",
    "check_learning_rates",
    "check_training_step",
    "check_accuracy",
    "check_standardize",
    "check_spirals_network",
    "check_epoch_budget",
]
