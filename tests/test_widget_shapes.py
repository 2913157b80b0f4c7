"""The shape explorer (mathnn.widgets.shapes): the table matches real arrays, bad sizes teach, the widget and its
site twin work."""

import json
import subprocess

import numpy as np
import pytest

from mathnn import Network, data
from mathnn.widgets import playground, shapes
from tests.twin_page import browser_or_skip, twin_page

CAPSTONE = [2, 25, 50, 50, 25, 1]


def forward_arrays(net, X):
    """Every array of a real forward pass, by the names the table uses."""
    arrays = {"X": X}
    A = X
    for l, layer in enumerate(net.layers, start=1):
        Z = layer.W @ A + layer.b
        A = layer.activation.value(Z)
        arrays.update({f"W{l}": layer.W, f"b{l}": layer.b, f"Z{l}": Z, f"A{l}": A})
    return arrays


def test_the_capstone_table_matches_a_real_forward_pass():
    X, _ = data.circles(m=1000, seed=0)
    net = Network.from_sizes(CAPSTONE, seed=0)
    arrays = forward_arrays(net, X)
    table = shapes.shape_table(CAPSTONE, m=1000)
    assert [row.name for row in table] == list(arrays)
    for row in table:
        assert row.shape == arrays[row.name].shape, row
        assert row.entries == arrays[row.name].size
    np.testing.assert_array_equal(arrays["A5"], net.forward(X))


@pytest.mark.parametrize("sizes", [CAPSTONE, [2, 1], [3, 4, 2], [7, 1, 1, 9]])
def test_parameter_count_is_the_size_of_every_parameter(sizes):
    net = Network.from_sizes(sizes, seed=0)
    expected = sum(p.size for p in net.parameters)
    assert shapes.parameter_count(sizes) == expected
    assert shapes.shape_table(sizes, m=3).parameters == expected


def test_the_capstone_has_5226_parameters():
    assert shapes.parameter_count(CAPSTONE) == 5226


def test_rows_name_the_layers_in_order():
    table = shapes.shape_table([3, 4, 2], m=5)
    assert [row.name for row in table] == ["X", "W1", "b1", "Z1", "A1", "W2", "b2", "Z2", "A2"]
    assert table[-1].symbol == "A^[2] = Ŷ"
    assert table[1].meaning == "row j: the 3 weights into unit j of layer 1"


@pytest.mark.parametrize(
    ("sizes", "error", "words"),
    [
        ([2], ValueError, "at least two"),
        ([], ValueError, "at least two"),
        ([2, 0, 1], ValueError, "layer 1 has 0"),
        ([2, -3, 1], ValueError, "layer 1 has -3"),
        ([2, 2.5, 1], TypeError, "whole number"),
        ([2, True, 1], TypeError, "whole number"),
        ("2, 25, 1", TypeError, "parse_sizes"),
        (5, TypeError, "list of whole numbers"),
        (np.ones((2, 2), dtype=int), ValueError, "flat list"),
    ],
)
def test_bad_sizes_raise_errors_that_teach(sizes, error, words):
    with pytest.raises(error, match=words):
        shapes.shape_table(sizes, m=10)


@pytest.mark.parametrize(("m", "error"), [(0, ValueError), (2.5, TypeError), ("10", TypeError)])
def test_bad_m_raises(m, error):
    with pytest.raises(error, match="m must"):
        shapes.shape_table([2, 1], m=m)


def test_numpy_integers_are_accepted():
    assert shapes.shape_table(np.array([2, 3, 1]), m=np.int64(4))[1].shape == (3, 2)


@pytest.mark.parametrize(
    ("text", "sizes"),
    [("2, 25, 50, 50, 25, 1", (2, 25, 50, 50, 25, 1)), ("2 3 1", (2, 3, 1)), (" 4,5 ,,6 ", (4, 5, 6))],
)
def test_parse_sizes(text, sizes):
    assert shapes.parse_sizes(text) == sizes


@pytest.mark.parametrize(
    ("text", "words"),
    [("2, x, 1", "'x' is not"), ("2, -3, 1", "'-3' is not"), ("2, 0", "'0' is not"), ("2", "at least two"),
     ("", "at least two"), ("2-25-1", "'2-25-1' is not"), ("2, 1000000, 1", "at most"),
     (", ".join(["3"] * 30), "at most")],
)
def test_parse_sizes_errors(text, words):
    with pytest.raises(ValueError, match=words):
        shapes.parse_sizes(text)


def test_table_html_has_every_row_and_the_count():
    text = shapes.shape_table(CAPSTONE, m=1000).html()
    assert text.count("<tr") == 1 + 21 + 1  # head, X and 4 rows for each of 5 layers, parameter count
    assert "(50, 25)" in text and "5,226" in text and "W<sup>[2]</sup>" in text


# --- the widget, driven by code ------------------------------------------------------------------


def test_widget_updates_its_table():
    explorer = shapes.ShapeExplorer()
    first = explorer.table.value
    assert "(25, 1000)" in first and "5,226" in first
    explorer.sizes_box.value = "2, 3, 1"
    assert explorer.table.value != first
    assert "(3, 2)" in explorer.table.value and "13" in explorer.table.value
    before = explorer.table.value
    explorer.m_slider.value = 64
    assert explorer.table.value != before and "(3, 64)" in explorer.table.value
    assert explorer.rows == shapes.shape_table([2, 3, 1], 64)
    assert explorer.error_text == ""


def test_widget_shows_errors_inside_and_keeps_the_last_table():
    explorer = shapes.ShapeExplorer(sizes=(2, 3, 1), m=5)
    table = explorer.table.value
    explorer.sizes_box.value = "2, three, 1"
    assert "ValueError: layer sizes are whole numbers" in explorer.error_text and "'three' is not" in explorer.error_text
    assert explorer.output in explorer.widget.children  # the one error display every widget has
    assert explorer.table.value == table
    explorer.sizes_box.value = "2, 4, 1"
    assert explorer.error_text == "" and "(4, 2)" in explorer.table.value


def test_widget_carries_its_site_explorer():
    site = shapes.shape_explorer_html(sizes=(2, 3, 1), m=5)
    explorer = shapes.ShapeExplorer(sizes=(2, 3, 1), m=5)
    assert explorer.on_site(site) is explorer
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"] == site.html


# --- the kernel-free explorer --------------------------------------------------------------------


def test_site_html_has_controls_script_and_nothing_external():
    site = shapes.shape_explorer_html()
    text = site.html
    assert f'id="{site.id}-sizes"' in text and f'id="{site.id}-m"' in text and 'type="range"' in text
    assert "<script>" in text and "tableHtml" in text and "addEventListener" in text
    assert shapes.shape_table(CAPSTONE, 1000).html() in text  # the table is there before any script runs
    assert "http" not in text.lower()
    assert site.nbytes < shapes.SIZE_BUDGET
    assert site._repr_html_() == text


def test_site_ids_are_deterministic_and_unique():
    first, second = shapes.shape_explorer_html(), shapes.shape_explorer_html()
    assert first.id != second.id
    assert first.id.split("-")[-1] == second.id.split("-")[-1]  # the hash part depends on the settings only
    assert "random" not in first.html


def test_site_rejects_bad_settings():
    with pytest.raises(ValueError, match="at most max_m"):
        shapes.shape_explorer_html(m=20, max_m=10)


def test_the_javascript_writes_the_same_tables_and_errors_as_python():
    cases = [("2, 25, 50, 50, 25, 1", 1000), ("3 4 2", 7), ("1, 1", 1), ("784, 128, 10", 60000)]
    bad = ["2, x, 1", "2", "2, 0, 1", ", ".join(["3"] * 30)]
    script = shapes._javascript() + "\nvar out = [];\n"
    for text, m in cases:
        script += f"out.push(tableHtml(parseSizes({json.dumps(text)}, RULE), {m}));\n"
    for text in bad:
        script += f"try {{ parseSizes({json.dumps(text)}, RULE); out.push(null); }} catch (e) {{ out.push(e.message); }}\n"
    script += "console.log(JSON.stringify(out));\n"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    outputs = json.loads(result.stdout)
    for (text, m), got in zip(cases, outputs):
        assert got == shapes.shape_table(shapes.parse_sizes(text), m).html()
    for text, got in zip(bad, outputs[len(cases):]):
        with pytest.raises(ValueError) as python_error:
            shapes.parse_sizes(text)
        assert got == str(python_error.value)


def test_the_javascript_reads_hidden_sizes_in_the_playground_s_words():
    texts = ["", "8, 8", "8,x", "0", ", ".join(["4"] * 7), "65", "8 , 8,"]
    script = shapes.PARSE_SIZES_JS + f"\nvar RULE = {shapes.rule_json(playground.HIDDEN_SIZES)}, out = [];\n"
    for text in texts:
        script += f"try {{ out.push(parseSizes({json.dumps(text)}, RULE)); }} catch (e) {{ out.push(e.message); }}\n"
    script += "console.log(JSON.stringify(out));\n"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    for text, got in zip(texts, json.loads(result.stdout), strict=True):
        try:
            expected = list(playground.parse_hidden_sizes(text))
        except ValueError as error:
            expected = str(error)
        assert got == expected, text


def test_the_playground_reads_hidden_sizes_with_the_same_parser():
    assert shapes.parse_sizes("8, 8", playground.HIDDEN_SIZES) == playground.parse_hidden_sizes("8,8") == (8, 8)
    with pytest.raises(ValueError, match="hidden layer sizes are whole numbers"):
        playground.parse_hidden_sizes("8, x")


# --- m on a log scale, and a table that fits a narrow page -------------------------------------


def test_the_m_slider_is_on_a_log_scale_from_1_to_10000():
    explorer = shapes.ShapeExplorer(sizes=(2, 3, 1), m=5)
    slider = explorer.m_slider
    assert type(slider).__name__ == "FloatLogSlider" and slider.base == 10
    assert (slider.min, slider.max) == (0, 4) and 10**slider.min == 1 and 10**slider.max == shapes.MAX_M
    slider.value = 1023.29  # where a log slider lands between whole numbers
    assert explorer.rows == shapes.shape_table([2, 3, 1], 1023) and explorer.error_text == ""
    slider.value = 10_000
    assert "(3, 10000)" in explorer.table.value


@pytest.mark.parametrize("value, m", [(1.0, 1), (1.49, 1), (63.7, 64), (9999.6, 10_000), (10**1.806, 64)])
def test_m_from_slider_is_the_nearest_whole_number(value, m):
    assert shapes.m_from_slider(value) == m


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 0.2, -3.0, "10", None, True])
def test_m_from_slider_refuses_what_is_not_a_count(value):
    with pytest.raises(ValueError, match="whole number of examples"):
        shapes.m_from_slider(value)


def test_the_site_slider_holds_log10_m():
    site = shapes.shape_explorer_html(sizes=(2, 3, 1), m=64)
    assert f'id="{site.id}-m" min="0" max="4.0" step="any" value="{float(np.log10(64))!r}"' in site.html


NARROW = 400


@pytest.fixture(scope="module")
def page(request):
    twin = shapes.shape_explorer_html(CAPSTONE, m=1000)
    with twin_page(browser_or_skip(request), twin, width=NARROW) as opened:
        yield opened, twin


def test_twin_m_is_mathnns_at_every_slider_position(page):
    opened, twin = page
    assert opened.state(twin) == {"sizes": CAPSTONE, "m": 1000, "parameters": 5226, "error": ""}
    for exponent in [0.0, 0.15, 0.5, 1.0, 1.806179973983887, 2.345, 3.0, 3.999, 4.0]:
        opened.set(twin, "m", exponent)
        m = shapes.m_from_slider(10**exponent)
        state = opened.state(twin)
        assert state["m"] == m and opened.text(twin, "m-value") == f"{m:,}"
        assert opened.page.inner_html(f"#{twin.id}-table") == shapes.shape_table(CAPSTONE, m).html()
    opened.set(twin, "sizes", "3, x")
    assert opened.state(twin)["error"] == "layer sizes are whole numbers ≥ 1 like '2, 25, 1', but 'x' is not."
    opened.set(twin, "sizes", "2, 25, 50, 50, 25, 1")
    assert not opened.errors and not opened.elsewhere()


def test_the_table_fits_a_400_pixel_page(page):
    opened, twin = page
    opened.set(twin, "m", 4.0)  # the widest shapes: (50, 10000)
    box = opened.page.evaluate("""id => {
      const root = document.getElementById(id), right = root.getBoundingClientRect().right;
      const cells = [...root.querySelectorAll('td, th')].map(c => c.getBoundingClientRect().right);
      return {width: root.getBoundingClientRect().width, scroll: root.scrollWidth, client: root.clientWidth,
              right: right, widest: Math.max(...cells)};
    }""", twin.id)
    assert box["width"] <= NARROW
    assert box["scroll"] <= box["client"]  # nothing to scroll sideways: the last column is not cut
    assert box["widest"] <= box["right"]
