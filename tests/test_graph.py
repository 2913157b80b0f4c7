"""Tests of mathnn.graph: the dependency graph of a network, its paths, and its picture."""

import io
import math

import matplotlib
import pytest
from matplotlib.figure import Figure

from mathnn import graph
from mathnn.plots import PALETTE

matplotlib.use("Agg")


@pytest.fixture
def ax():
    return Figure(figsize=(9, 5)).add_subplot()


@pytest.mark.parametrize("sizes", [[1, 1], [2, 2, 1], [2, 2, 2], [1, 1, 1, 1, 1], [3, 2, 1]])
def test_every_quantity_is_a_node(sizes):
    g = graph.dependency_graph(sizes)
    parameters = sum(n * n_prev + n for n_prev, n in zip(sizes, sizes[1:]))
    units = sum(sizes[1:])
    assert len(g.nodes) == sizes[0] + parameters + 2 * units + 1
    assert g.kind["C"] == "C"


@pytest.mark.parametrize("sizes", [[2, 2, 1], [2, 3, 2], [1, 1, 1, 1, 1]])
def test_edges_follow_the_forward_pass(sizes):
    g = graph.dependency_graph(sizes)
    for l in range(1, len(sizes)):
        before = [f"x{k}" for k in range(sizes[0])] if l == 1 else [f"a{l - 1}_{k}" for k in range(sizes[l - 1])]
        for j in range(sizes[l]):
            expected = before + [f"w{l}_{j}{k}" for k in range(sizes[l - 1])] + [f"b{l}_{j}"]
            assert g.predecessors(f"z{l}_{j}") == expected
            assert g.successors(f"z{l}_{j}") == [f"a{l}_{j}"]
    assert g.predecessors("C") == [f"a{len(sizes) - 1}_{j}" for j in range(sizes[-1])]
    assert g.successors("C") == []


def test_paths_multiply_over_the_later_layers():
    # a weight of layer 1 reaches C through every unit of each later layer: 2 * 3 paths here
    g = graph.dependency_graph([2, 2, 2, 3])
    found = graph.paths(g, "w1_01")
    assert len(found) == 2 * 3
    assert all(p[0] == "w1_01" and p[1] == "z1_0" and p[-1] == "C" for p in found)
    assert len({tuple(p) for p in found}) == len(found)


def test_paths_of_a_chain_and_of_an_input():
    chain = graph.dependency_graph([1, 1, 1, 1, 1])
    assert graph.paths(chain, "w1_00") == [["w1_00", "z1_0", "a1_0", "z2_0", "a2_0", "z3_0", "a3_0", "z4_0",
                                             "a4_0", "C"]]
    assert len(graph.paths(graph.dependency_graph([2, 2, 1]), "x0")) == 2


def test_unknown_node_names_the_naming_scheme():
    with pytest.raises(ValueError, match="w1_01"):
        graph.paths(graph.dependency_graph([2, 2, 1]), "w1")


@pytest.mark.parametrize("sizes", [[], [2], [2, 0, 1]])
def test_bad_sizes_teach(sizes):
    with pytest.raises(ValueError, match="sizes"):
        graph.dependency_graph(sizes)


@pytest.mark.parametrize("sizes", [[2, 2, 1], [2, 2, 2], [1, 1, 1, 1, 1]])
def test_nodes_do_not_overlap(sizes):
    g = graph.dependency_graph(sizes)
    points = list(g.position.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :])
    assert closest > 2 * 0.34 + 0.02


def test_draw_returns_its_artists_and_highlights_the_paths(ax):
    g = graph.dependency_graph([2, 2, 2])
    artists = graph.draw(ax, g, highlight="w1_00")
    assert set(artists["nodes"]) == set(g.nodes) == set(artists["labels"])
    assert set(artists["edges"]) == set(g.edges)
    assert artists["highlighted"] == {"w1_00", "z1_0", "a1_0", "z2_0", "a2_0", "z2_1", "a2_1", "C"}
    hot = matplotlib.colors.to_rgba(PALETTE["vermillion"])
    assert artists["edges"]["a1_0", "z2_1"].get_edgecolor() == hot
    assert artists["edges"]["a1_1", "z2_1"].get_edgecolor() != hot
    assert artists["labels"]["w1_00"].get_text() == "$w^{[1]}_{00}$"
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    assert buffer.getvalue()


def test_draw_takes_sizes_and_no_highlight(ax):
    artists = graph.draw(ax, [1, 1, 1])
    assert artists["highlighted"] == set()
    assert artists["labels"]["z1_0"].get_text() == "$z^{[1]}$"
    assert not ax.axison
