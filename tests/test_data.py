"""The toy data sets: shapes, labels, seeds, and the train/test split."""

import numpy as np
import pytest

from mathnn import data


@pytest.mark.parametrize("name", list(data.DATASETS))
def test_shapes_labels_and_seeds(name):
    X, Y = data.make(name, m=101, seed=5)
    assert X.shape == (2, 101) and Y.shape == (1, 101)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    X2, Y2 = data.make(name, m=101, seed=5)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    X3, _ = data.make(name, m=101, seed=6)
    assert not np.array_equal(X, X3)


@pytest.mark.parametrize(("name", "truth"), [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("xor", [0, 1, 1, 0])])
def test_logic_gates(name, truth):
    X, Y = data.logic_gate(name)
    assert X.T.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert Y.tolist() == [truth]


def test_circles_radii_and_quadrant_labels():
    X, Y = data.circles(m=400, noise=0.0, factor=0.3, seed=0)
    radius = np.linalg.norm(X, axis=0)
    assert np.allclose(radius[Y[0] == 0], 1.0) and np.allclose(radius[Y[0] == 1], 0.3)
    X, Y = data.quadrants(m=400, noise=0.0, seed=0)
    assert np.array_equal(Y[0] == 1, X[0] * X[1] < 0)


def test_multiclass_sets_and_one_hot():
    X, Y = data.blobs(m=90, centers=3, seed=0)
    assert set(np.unique(Y)) == {0.0, 1.0, 2.0}
    H = data.one_hot(Y)
    assert H.shape == (3, 90)
    assert np.array_equal(H.argmax(axis=0), Y[0])
    assert data.one_hot([[1.0]], classes=4).T.tolist() == [[0, 1, 0, 0]]
    with pytest.raises(ValueError, match="whole-number labels"):
        data.one_hot([[0.5, 1.0]])


def test_train_test_split_partitions_the_columns():
    X, Y = data.moons(m=50, seed=0)
    X_train, X_test, Y_train, Y_test = data.train_test_split(X, Y, test_fraction=0.2, seed=1)
    assert X_train.shape == (2, 40) and X_test.shape == (2, 10)
    assert Y_train.shape == (1, 40) and Y_test.shape == (1, 10)
    together = np.hstack([X_train, X_test])
    assert sorted(map(tuple, together.T)) == sorted(map(tuple, X.T))
