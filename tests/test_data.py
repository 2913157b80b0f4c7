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


def test_spirals_turns_must_be_a_finite_number():
    with pytest.raises(ValueError, match=r"turns must be a finite number, but got nan\. Try turns=1\.0"):
        data.spirals(turns=float("nan"))
    with pytest.raises(TypeError, match=r"turns must be a number, but got str '2'\. Write the number without quotes: turns=2\."):
        data.spirals(turns="2")
    X, _ = data.spirals(m=50, turns=2, seed=0)
    assert np.isfinite(X).all()


@pytest.mark.parametrize("name", list(data.DATASETS))
def test_too_many_examples_are_refused_at_once_with_the_reason(name):
    with pytest.raises(ValueError, match=r"m must be at most 1,000,000, but got 100,000,000\. The toy data sets stop"):
        data.make(name, m=10**8, seed=0)
    X, _ = data.make(name, m=data.MAX_EXAMPLES, seed=0)
    assert X.shape == (2, 10**6)


def test_one_hot_of_a_huge_label_is_refused_with_the_likely_cause():
    with pytest.raises(
        ValueError,
        match=r"one_hot would make a matrix of shape \(1,000,000,001, 2\), 16\.0 GB.*did you pass values rather than class labels",
    ):
        data.one_hot([[0, 1e9]])
    with pytest.raises(ValueError, match=r"shape \(1e\+300, 2\)"):
        data.one_hot([[0, 1e300]])
    with pytest.raises(ValueError, match=r"classes=20,000,000 rows for m=1 examples\. Did you mean fewer classes\?"):
        data.one_hot([[0]], classes=2 * 10**7)
    assert data.one_hot([[2.0, 0.0]], classes=3).tolist() == [[0, 1], [0, 0], [1, 0]]
