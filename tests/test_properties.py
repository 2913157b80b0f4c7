"""Property tests: stability and shapes hold for any input hypothesis can think of."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mathnn import Network, activations, layers, losses

finite = st.floats(-1e4, 1e4, allow_nan=False)
matrices = st.tuples(st.integers(1, 5), st.integers(1, 8)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=finite)
)


@given(Z=matrices, name=st.sampled_from(list(activations.ACTIVATIONS)))
def test_activations_are_finite_and_keep_the_shape(Z, name):
    g = activations.get(name)
    A = g.value(Z)
    assert A.shape == Z.shape and np.isfinite(A).all()
    dZ = g.backward(np.ones_like(Z), Z, A)
    assert dZ.shape == Z.shape and np.isfinite(dZ).all()


@given(Z=matrices)
def test_softmax_columns_are_probability_distributions(Z):
    A = activations.softmax(Z)
    assert (A >= 0).all() and (A <= 1).all()
    np.testing.assert_allclose(A.sum(axis=0), 1.0)


@given(Z=matrices)
def test_sigmoid_is_in_0_1_and_symmetric(Z):
    S = activations.sigmoid(Z)
    assert ((S >= 0) & (S <= 1)).all()
    np.testing.assert_allclose(S + activations.sigmoid(-Z), 1.0, atol=1e-12)


@given(Z=matrices, data=st.data())
def test_cross_entropies_are_finite_for_any_logits(Z, data):
    Y = data.draw(arrays(np.float64, Z.shape, elements=st.sampled_from([0.0, 1.0])))
    for value in (
        losses.binary_cross_entropy(activations.sigmoid(Z), Y),
        losses.binary_cross_entropy_from_logits(Z, Y),
    ):
        assert np.isfinite(value) and value >= 0
    assert np.isfinite(losses.binary_cross_entropy_gradient(activations.sigmoid(Z), Y)).all()
    one_hot = np.eye(Z.shape[0])[:, data.draw(arrays(np.int64, Z.shape[1], elements=st.integers(0, Z.shape[0] - 1)))]
    assert np.isfinite(losses.categorical_cross_entropy_from_logits(Z, one_hot))
    assert np.isfinite(losses.categorical_cross_entropy(activations.softmax(Z), one_hot))


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    m=st.integers(1, 9),
    hidden=st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu"]),
)
def test_every_gradient_has_the_shape_of_its_parameter(sizes, m, hidden):
    net = Network.from_sizes(sizes, hidden=hidden, output="sigmoid", loss="binary_cross_entropy", seed=0)
    X = np.random.default_rng(0).normal(size=(sizes[0], m))
    Y = (np.random.default_rng(1).random((sizes[-1], m)) > 0.5).astype(float)
    Y_hat = net.forward(X)
    assert Y_hat.shape == (sizes[-1], m)
    net.backward(Y)
    for parameter, gradient in zip(net.parameters, net.gradients):
        assert gradient.shape == parameter.shape and np.isfinite(gradient).all()


@given(n_prev=st.integers(1, 6), n=st.integers(1, 6), m=st.integers(1, 9))
def test_dense_forward_broadcasts_b_across_every_column(n_prev, n, m):
    rng = np.random.default_rng(n_prev * 100 + n * 10 + m)
    A_prev, W, b = rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1))
    Z, _ = layers.dense_forward(A_prev, W, b)
    assert Z.shape == (n, m)
    for i in range(m):
        np.testing.assert_allclose(Z[:, [i]], W @ A_prev[:, [i]] + b)
