"""Tests of mathnn.plots: every helper draws something, returns its artists and leaves global state alone."""

import ast
import inspect
import io
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

from mathnn import Network, data, diagrams, plots
from mathnn.network import History

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it


@pytest.fixture
def ax():
    return Figure().add_subplot()


def draws(ax):
    """Render the axes' figure to PNG bytes: drawing must not fail."""
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    return len(buffer.getvalue())


def test_import_mathnn_loads_neither_matplotlib_nor_ipywidgets():
    code = "import sys, mathnn; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("module", [plots, diagrams])
def test_helpers_never_show_or_touch_pyplot(module):
    tree = ast.parse(inspect.getsource(module))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names]
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not any("pyplot" in name for name in imported)
    assert not attributes & {"show", "rcParams", "rc"}


def test_helpers_leave_rcparams_unchanged(ax):
    before = dict(matplotlib.rcParams)
    plots.activation(ax, "tanh")
    diagrams.network_diagram(Figure().add_subplot(), [2, 3, 1])
    assert dict(matplotlib.rcParams) == before


def test_palette_is_okabe_ito_and_classes_differ():
    assert plots.PALETTE["blue"] == "#0072B2" and plots.PALETTE["orange"] == "#E69F00"
    colors = [plots.class_color(k) for k in range(len(plots.CLASS_COLORS))]
    assert len(set(colors)) == len(colors)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "step", "linear"])
def test_activation_draws_value_and_dashed_derivative(ax, name):
    artists = plots.activation(ax, name)
    assert isinstance(artists["value"], Line2D) and isinstance(artists["derivative"], Line2D)
    assert artists["derivative"].get_linestyle() == "--"
    assert np.isfinite(artists["value"].get_ydata()).sum() >= 400
    assert ax.get_legend() is not None
    assert draws(ax) > 0


def test_activation_values_are_the_registry_values(ax):
    z = np.linspace(-2, 2, 5)
    artists = plots.activation(ax, "sigmoid", z=z)
    np.testing.assert_allclose(artists["value"].get_ydata(), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(artists["derivative"].get_ydata(), np.exp(-z) / (1 + np.exp(-z)) ** 2)


def test_activation_breaks_the_line_at_a_jump(ax):
    artists = plots.activation(ax, "relu")
    assert np.isnan(artists["derivative"].get_ydata()).sum() == 1  # relu' jumps from 0 to 1 once


def test_softmax_has_no_single_curve(ax):
    with pytest.raises(ValueError, match="not elementwise"):
        plots.activation(ax, "softmax")


def test_loss_curve_from_history_with_validation_and_accuracy(ax):
    history = History(loss=[0.7, 0.5, 0.3], accuracy=[0.5, 0.7, 0.9], val_loss=[0.8, 0.6, 0.4],
                      val_accuracy=[0.4, 0.6, 0.8])
    artists = plots.loss_curve(ax, history, accuracy=True)
    assert set(artists) == {"loss", "val_loss", "accuracy", "val_accuracy"}
    np.testing.assert_array_equal(artists["loss"].get_xdata(), [1, 2, 3])
    assert artists["accuracy"].axes is not ax  # accuracy has its own y-axis
    assert draws(ax) > 0


def test_loss_curve_from_a_plain_list(ax):
    artists = plots.loss_curve(ax, [1.0, 0.5, 0.25], log=True)
    assert list(artists) == ["loss"] and ax.get_yscale() == "log"


def quartic(x):
    return x**4 - 3 * x**2 + x


def test_loss_surface_1d_draws_curve_and_path(ax):
    path = np.array([2.0, 1.0, 0.5, 1.2])
    artists = plots.loss_surface_1d(ax, quartic, path, x_range=(-2, 2))
    np.testing.assert_allclose(artists["points"].get_ydata(), quartic(path))
    assert artists["arrows"].N == len(path) - 1
    assert artists["start"].get_xdata()[0] == 2.0 and artists["end"].get_xdata()[0] == 1.2
    assert draws(ax) > 0


def test_a_diverging_path_does_not_move_the_view(ax):
    path = np.array([2.0, -5.0, 300.0, 1e9, np.inf])
    artists = plots.loss_surface_1d(ax, quartic, path, x_range=(-2, 2))
    assert ax.get_xlim() == (-2, 2)
    assert len(artists["points"].get_xdata()) == 4  # the infinite point is left out
    assert draws(ax) > 0


def test_loss_surface_2d_draws_contours_and_path(ax):
    path = np.array([[-4.0, 1.5], [-3.0, -1.0], [-2.0, 0.5]])
    artists = plots.loss_surface_2d(ax, lambda a, b: a**2 + 10 * b**2, path, (-5, 5), (-2, 2))
    assert len(ax.collections) >= 2
    assert artists["arrows"].N == 2
    np.testing.assert_array_equal(artists["points"].get_xdata(), path[:, 0])
    assert draws(ax) > 0


def test_descent_path_rejects_bad_input(ax):
    with pytest.raises(ValueError, match="needs f"):
        plots.descent_path(ax, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="shape"):
        plots.descent_path(ax, np.zeros((3, 3)))


@pytest.fixture(scope="module")
def moons_network():
    X, Y = data.make("moons", 100, seed=0)
    net = Network.from_sizes([2, 8, 1], hidden="tanh", output="sigmoid", loss="binary_cross_entropy", seed=0)
    net.fit(X, Y, epochs=50, learning_rate=0.5, batch_size=16, seed=0)
    return net, X, Y


def test_decision_boundary_binary(ax, moons_network):
    net, X, Y = moons_network
    artists = plots.decision_boundary(ax, net, X, Y, grid=50)
    assert isinstance(artists["shading"], AxesImage)
    image = artists["shading"].get_array()
    assert image.shape == (50, 50) and 0 <= image.min() < 0.5 < image.max() <= 1
    assert isinstance(artists["boundary"], LineCollection) and len(artists["boundary"].get_segments()) > 0
    assert [len(p.get_offsets()) for p in artists["points"]] == [50, 50]
    assert artists["points"][0].get_edgecolor().shape[0] > 0  # edges keep points visible on the shading
    assert draws(ax) > 0


def test_decision_boundary_multiclass_from_one_hot(ax):
    X, labels = data.make("blobs", 90, seed=0, centers=3)
    Y = data.one_hot(labels)
    net = Network.from_sizes([2, 6, 3], hidden="tanh", output="softmax", loss="categorical_cross_entropy", seed=0)
    net.fit(X, Y, epochs=30, learning_rate=0.5, batch_size=16, seed=0)
    artists = plots.decision_boundary(ax, net, X, Y, grid=40)
    assert artists["boundary"] is None
    assert set(np.unique(artists["shading"].get_array())) <= {0.0, 1.0, 2.0}
    assert len(artists["points"]) == 3
    assert draws(ax) > 0


def test_decision_boundary_takes_a_plain_function(ax):
    X = np.array([[-1.0, 1.0, -1.0, 1.0], [-1.0, -1.0, 1.0, 1.0]])
    Y = np.array([[0.0, 1.0, 0.0, 1.0]])
    artists = plots.decision_boundary(ax, lambda P: 1 / (1 + np.exp(-5 * P[0:1])), X, Y, grid=21)
    (segment,) = artists["boundary"].get_segments()
    np.testing.assert_allclose(segment[:, 0], 0.0, atol=1e-9)  # the boundary of sigmoid(5 x0) is x0 = 0


def test_decision_boundary_wants_2d_data(ax):
    with pytest.raises(ValueError, match="2-D data"):
        plots.decision_boundary(ax, lambda P: P[:1], np.zeros((3, 5)), np.zeros((1, 5)))


def test_network_diagram_small():
    ax = Figure().add_subplot()
    artists = diagrams.network_diagram(ax, [2, 3, 1])
    assert isinstance(artists["units"], PatchCollection) and len(artists["units"].get_paths()) == 6
    assert len(artists["edges"].get_segments()) == 2 * 3 + 3 * 1
    texts = [t.get_text() for t in artists["labels"]]
    assert "input\nlayer" in texts and "output\nlayer" in texts and "hidden\nlayer" in texts
    assert "$n^{[1]} = 3$" in texts
    assert draws(ax) > 0


def test_network_diagram_large_layers_show_an_ellipsis():
    ax = Figure().add_subplot()
    artists = diagrams.network_diagram(ax, [2, 25, 50, 50, 25, 1], max_units=9)
    assert len(artists["units"].get_paths()) == 2 + 4 * 8 + 1
    assert len(artists["edges"].get_segments()) == 2 * 8 + 3 * 8 * 8 + 8 * 1
    texts = [t.get_text() for t in artists["labels"]]
    assert texts.count("⋮") == 4 and "hidden layers" in texts and "$n^{[2]} = 50$" in texts
    assert draws(ax) > 0


def test_network_diagram_rejects_bad_sizes():
    with pytest.raises(ValueError, match="at least two layers"):
        diagrams.network_diagram(Figure().add_subplot(), [3])
